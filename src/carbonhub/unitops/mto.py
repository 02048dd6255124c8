"""Methanol-to-olefins (MTO) on SAPO-34 in a fluidised bed: yield model on a carbon basis.

Example
-------
>>> from carbonhub.unitops.mto import mto_selectivities
>>> s = mto_selectivities(723.15)       # 450 degC
>>> round(float(s["C2H4"][0] + s["C3H6"][0]), 3)
0.79
"""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream
from ..core.unit import Cost, Param, Unit, UnitResult
from ..twin.helpers import eo_design, eo_effluent_duty, eo_outlet
from ._common import (DAY, HOUR, checked_inlets, heat_utilities, reactor_and_cooler_duties, require_map, status_array,
                      water_as_vapour)

__all__ = ["MethanolToOlefins", "MTO_TABLE", "mto_selectivities"]

MTO_TABLE: dict[str, tuple[float, ...]] = {
    #          400 C   450 C   500 C
    "T_K":    (673.15, 723.15, 773.15),
    "C2H4":   (0.3423, 0.3950, 0.4254),
    "C3H6":   (0.4277, 0.3950, 0.3546),
    "C4H8":   (0.1200, 0.1000, 0.0850),
    "C5H12":  (0.0400, 0.0300, 0.0250),
    "CH4":    (0.0150, 0.0200, 0.0350),
    "C2H6":   (0.0050, 0.0070, 0.0100),
    "C3H8":   (0.0150, 0.0130, 0.0120),
    "CO":     (0.0015, 0.0020, 0.0025),
    "CO2":    (0.0015, 0.0020, 0.0025),
    "C(s)":   (0.0320, 0.0360, 0.0480),
}
"""Carbon selectivities (fraction of the converted carbon) of MTO on SAPO-34 vs temperature.

Constructed to reproduce the published performance envelope of fluidised-bed SAPO-34
processes (DMTO, UOP/Hydro MTO): ethylene + propylene 77-79 % of the converted carbon, the
ethylene/propylene ratio rising with severity (temperature) from 0.8 at 400 degC to 1.2 at
500 degC (mass = carbon ratio for olefins), C4 olefins 8-12 %, C5+ 2-4 %, C1-C3 paraffins and
CO/CO2 a few per cent, coke 3-5 % (Tian et al. 2015; Chen et al. 2005; REFERENCES.md). It is an
envelope, not one measured data set: replace it with a primary table for a given catalyst.
Rows sum to 1 (checked in the tests). C5+ is represented by n-pentane; coke by graphite.
"""

_PRODUCTS = tuple(k for k in MTO_TABLE if k != "T_K")


def mto_selectivities(T) -> dict[str, np.ndarray]:
    """Carbon selectivities at T [K] (n,), linear interpolation in :data:`MTO_TABLE`
    (clamped at its ends), renormalised to sum to 1."""
    T = np.atleast_1d(np.asarray(T, dtype=float))
    tk = np.array(MTO_TABLE["T_K"])
    s = np.stack([np.interp(T, tk, np.array(MTO_TABLE[k])) for k in _PRODUCTS], axis=1)
    s = s / s.sum(axis=1, keepdims=True)
    return {k: s[:, i] for i, k in enumerate(_PRODUCTS)}


_REQUIRED = ("CH3OH", "DME", "H2", "H2O", "H2O(L)") + _PRODUCTS


class MethanolToOlefins(Unit):
    """Fluidised-bed methanol-to-olefins reactor (SAPO-34, 400-500 degC) with product quench.

    Model
    -----
    * ``conversion`` of the methanol and of the DME in the feed is converted; the converted
      carbon goes to the products by the carbon selectivities of :data:`MTO_TABLE`, linearly
      interpolated in the reactor temperature ``T``: C2H4, C3H6, C4H8, C5+ (as C5H12), CH4,
      C2H6, C3H8, CO, CO2 and coke (as C(s), pure carbon).
    * Oxygen: every O atom of the converted oxygenates that does not leave as CO/CO2 leaves
      as water. Hydrogen: the free variable is H2 (a small make of H2, as observed), computed
      from the H balance, so all elements close exactly. If the table ever asked for more H
      than the feed has, the case is flagged.
    * Outlets: ``product`` (hydrocarbons, H2, CO, CO2, unconverted DME and inerts; gas after the
      quench at ``T_sep``), ``water`` (all water as H2O(L), plus unconverted methanol, which
      dissolves in the quench water), ``coke`` (C(s) on the spent catalyst, at ``T``, to the
      regenerator: it is not burned here; connect it to a combustor or a Sink, so that the
      flowsheet decides whether it becomes flue-gas CO2).
    * Heat: ``heat`` = H_out - H_in; the reactor part (effluent at ``T`` - feed) is raised as
      steam; ``coke_combustion_heat_W`` reports what burning the coke to CO2 would release.
    * Design: methanol-equivalent feed [t/d] (cost basis), ethylene/propylene make, catalyst
      inventory from a weight hourly space velocity.

    Parameters
    ----------
    T : reactor temperature [K] (673.15-773.15)
    P : reactor pressure [Pa]
    conversion : conversion of methanol and DME [-]
    T_sep : quench temperature of the outlets [K]
    whsv : methanol (equivalent) per catalyst per hour [1/h] (typical; verify)

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> from carbonhub.unitops.mto import MethanolToOlefins
    >>> cs = ComponentSet.default()
    >>> feed = Stream.from_flows(cs, {"CH3OH": 100.0}, T=523.15, P=3e5)
    >>> mto = MethanolToOlefins("mto", T=723.15)
    >>> r = mto.run({"feed": feed}, mto.resolve({}, 1))
    >>> round(float(r.design["light_olefin_selectivity"][0]), 3), round(float(r.design["c2_c3_mass_ratio"][0]), 2)
    (0.79, 1.0)
    >>> bool(r.heat[0] < 0)
    True

    References
    ----------
    Tian, P., Wei, Y., Ye, M., Liu, Z. (2015), Methanol to olefins (MTO): from fundamentals to
    commercialization, ACS Catal. 5:1922-1938, doi:10.1021/acscatal.5b00007 (DMTO);
    Chen, J.Q., Bozzano, A., Glover, B., Fuglerud, T., Kvisle, S. (2005), Recent advancements in
    ethylene and propylene production using the UOP/Hydro MTO process, Catal. Today
    106:103-107, doi:10.1016/j.cattod.2005.07.178; Ghavipour, M. et al. (2014), J. Nat. Gas
    Sci. Eng. 21:532-539 (SAPO-34 at 400-460 degC: light olefins 77-78.5 %, C2=/C3= rising with
    temperature).
    """

    inlets = ("feed",)
    outlets = ("product", "water", "coke")
    params = {
        "T": Param(723.15, "K", 673.15, 773.15, "reactor temperature [K]"),
        "P": Param(2.5e5, "Pa", 1e5, 1e6, "reactor pressure [Pa]"),
        "conversion": Param(0.998, "", 0.0, 1.0, "conversion of methanol and DME [-]"),
        "T_sep": Param(313.15, "K", 273.15, 773.15, "quench temperature of the outlets [K]"),
        "whsv": Param(3.0, "1/h", 0.05, 100.0,
                      "methanol-equivalent feed per catalyst mass [1/h] (typical; verify)"),
    }
    costs = (Cost("ref.mto_unit", "methanol_feed_t_per_d"),)

    def run(self, ins, p) -> UnitResult:
        s = checked_inlets(ins, self.id, "feed")
        cs = s.cs
        ix = require_map(cs, _REQUIRED, self.id, "MTO products")
        n = s.n_cases
        F = s.flow
        meoh, dme = F[:, ix["CH3OH"]], F[:, ix["DME"]]
        X = p.conversion
        c_conv = X * (meoh + 2 * dme)
        o_conv = X * (meoh + dme)
        h_conv = X * (4 * meoh + 6 * dme)
        sel = mto_selectivities(p.T)
        E = cs.element_matrix
        iC, iH = cs.elements.index("C"), cs.elements.index("H")
        out = F.copy()
        out[:, ix["CH3OH"]] -= X * meoh
        out[:, ix["DME"]] -= X * dme
        h_prod = np.zeros(n)
        for k in _PRODUCTS:
            j = ix[k]
            mol = sel[k] * c_conv / E[j, iC]
            out[:, j] += mol
            h_prod += mol * E[j, iH]
        water = o_conv - out[:, ix["CO"]] + F[:, ix["CO"]] - 2 * (out[:, ix["CO2"]] - F[:, ix["CO2"]])
        h2 = 0.5 * (h_conv - h_prod - 2 * water)
        out[:, ix["H2O"]] += water
        out[:, ix["H2"]] += h2
        short = out[:, ix["H2"]] < -1e-12 * (1 + h_conv)
        out[:, ix["H2"]] = np.maximum(out[:, ix["H2"]], 0.0)

        ids = np.array(cs.ids)
        wat_mask = np.isin(ids, ("H2O", "H2O(L)", "CH3OH"))
        coke_mask = cs.phase == "solid"
        prod_mask = ~wat_mask & ~coke_mask
        wat = out * wat_mask
        wat[:, ix["H2O(L)"]] += wat[:, ix["H2O"]]
        wat[:, ix["H2O"]] = 0.0
        T_sep, P, T = p.T_sep.copy(), p.P.copy(), p.T.copy()
        outlets = {"product": Stream(cs, out * prod_mask, T_sep, P, s.origin, check=False),
                   "water": Stream(cs, wat, T_sep, P, s.origin, check=False),
                   "coke": Stream(cs, out * coke_mask, T, P, s.origin, check=False)}
        # reactor effluent at T: coke at T as well; water as vapour
        heat, duty_rx, duty_cool = reactor_and_cooler_duties(
            cs, s.enthalpy, water_as_vapour(cs, out), T, outlets)

        M = cs.molar_mass
        mw_meoh = M[ix["CH3OH"]]
        meoh_eq_kg_s = (meoh + 2 * dme) * mw_meoh
        c2 = (out[:, ix["C2H4"]] - F[:, ix["C2H4"]]) * M[ix["C2H4"]]
        c3 = (out[:, ix["C3H6"]] - F[:, ix["C3H6"]]) * M[ix["C3H6"]]
        coke = out[:, ix["C(s)"]] - F[:, ix["C(s)"]]
        h298 = cs.h(298.15)[0]
        dh_comb = h298[ix["CO2"]] - h298[ix["C(s)"]] - (h298[cs.index("O2")] if "O2" in cs else 0.0)
        cat_kg = meoh_eq_kg_s * HOUR / p.whsv
        design = {
            "methanol_feed_t_per_d": meoh_eq_kg_s * DAY / 1000.0,
            "conversion": X.copy(),
            "light_olefin_selectivity": sel["C2H4"] + sel["C3H6"],
            "c2_c4_olefin_selectivity": sel["C2H4"] + sel["C3H6"] + sel["C4H8"],
            "c2_c3_mass_ratio": np.divide(c2, c3, out=np.zeros(n), where=c3 > 0),
            "ethylene_t_per_d": c2 * DAY / 1000.0,
            "propylene_t_per_d": c3 * DAY / 1000.0,
            "coke_selectivity": sel["C(s)"],
            "coke_kg_s": coke * M[ix["C(s)"]],
            "coke_combustion_heat_W": -coke * dh_comb,
            "h2_make_mol_s": h2,
            "duty_W": duty_rx, "cooling_duty_W": duty_cool,
            "catalyst_kg": cat_kg,
            "T_K": T.copy(), "P_bar": P / 1e5,
        }
        util = heat_utilities(duty_rx, duty_cool)
        util["catalyst_kg"] = cat_kg
        status = status_array(short, "MTO yield table needs more H than the feed provides")
        return UnitResult(outlets, heat, np.zeros(n), design, util, status)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: the balances of ``run`` as Pyomo expressions of ``conversion`` and ``T``.

        The selectivities are :data:`MTO_TABLE` interpolated linearly in ``T``, exactly as
        ``np.interp`` does, on the table segment that holds the core's ``T`` (frozen; the
        upper segment when ``T`` sits on the middle node): smooth for IPOPT. The bounds of
        ``par[T]`` are set to that segment, so an optimiser cannot leave it silently; at a
        bound, rebuild the twin from the core at the new ``T`` to move to the next segment.
        Not mirrored: the H-short branch (flagged in the core; the H2 >= 0 bound of the
        ``product`` outlet plays that role in the twin).
        """
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        ix = require_map(cs, _REQUIRED, self.id, "MTO products")
        F = b.sin("feed").flow_mol_comp
        X = b.par["conversion"]
        tk = np.array(MTO_TABLE["T_K"])
        T0 = float(p["T"])
        i = int(np.clip(np.searchsorted(tk, T0, side="right") - 1, 0, len(tk) - 2))
        lo, hi = float(tk[i]), float(tk[i + 1])
        Tn = b.pv("T") / u.K
        if tk[0] <= T0 <= tk[-1]:
            b.par["T"].setlb(lo)
            b.par["T"].setub(hi)
            raw = {k: MTO_TABLE[k][i] + (MTO_TABLE[k][i + 1] - MTO_TABLE[k][i]) / (hi - lo) * (Tn - lo)
                   for k in _PRODUCTS}
        else:  # clamped at the end of the table (np.interp): constant
            end = 0 if T0 < tk[0] else len(tk) - 1
            raw = {k: MTO_TABLE[k][end] + 0.0 * Tn for k in _PRODUCTS}
        total = sum(raw.values())
        b.products = pyo.Set(initialize=_PRODUCTS, ordered=True, doc="MTO products")
        b.selectivity = pyo.Expression(b.products, rule=lambda b, k: raw[k] / total,
                                       doc="carbon selectivity (MTO_TABLE at T, renormalised) [-]")
        meoh, dme = F["CH3OH"], F["DME"]
        b.c_converted = pyo.Expression(expr=X * (meoh + 2 * dme), doc="carbon converted [mol/s]")
        E = cs.element_matrix
        iC, iH = cs.elements.index("C"), cs.elements.index("H")
        mol = {k: b.selectivity[k] * b.c_converted / float(E[ix[k], iC]) for k in _PRODUCTS}
        b.water_made = pyo.Expression(expr=X * (meoh + dme) - mol["CO"] - 2 * mol["CO2"],
                                      doc="water formed: O of the converted oxygenates not in CO/CO2 [mol/s]")
        b.h2_made = pyo.Expression(
            expr=0.5 * (X * (4 * meoh + 6 * dme) - sum(mol[k] * float(E[ix[k], iH]) for k in _PRODUCTS)
                        - 2 * b.water_made), doc="H2 made, from the H balance [mol/s]")
        delta = dict(mol)
        delta["CH3OH"] = -X * meoh
        delta["DME"] = -X * dme
        delta["H2O"] = b.water_made
        delta["H2"] = b.h2_made
        b.effluent = pyo.Expression(b.comps, rule=lambda b, j: F[j] + delta.get(j, 0.0),
                                    doc="reactor effluent before the quench [mol/s]")
        eff = b.effluent
        ids = np.array(cs.ids)
        wat = dict(zip(cs.ids, np.isin(ids, ("H2O", "H2O(L)", "CH3OH"))))
        coke = dict(zip(cs.ids, cs.phase == "solid"))
        T_sep, P = b.pv("T_sep"), b.pv("P")
        eo_outlet(b, "product", {j: eff[j] for j in cs.ids if not wat[j] and not coke[j]}, T_sep, P,
                  "hydrocarbons, H2, CO, CO2, unconverted DME, inerts")
        eo_outlet(b, "water", {"H2O(L)": eff["H2O(L)"] + eff["H2O"], "CH3OH": eff["CH3OH"]}, T_sep, P,
                  "water as liquid and unconverted methanol")
        eo_outlet(b, "coke", {j: eff[j] for j in cs.ids if coke[j]}, b.pv("T"), P, "coke and solids")
        b.power.fix(0.0)
        b.add_energy_balance()
        mw = b.config.property_package.mw["CH3OH"]
        eo_design(b, {
            "methanol_feed_t_per_d": u.convert((meoh + 2 * dme) * mw, to_units=u.tonne / u.day),
            "light_olefin_selectivity": b.selectivity["C2H4"] + b.selectivity["C3H6"],
            "h2_make_mol_s": b.h2_made * 1.0,
            "duty_W": eo_effluent_duty(b, {j: eff[j] for j in cs.ids}, b.pv("T")),
        }, "design results: methanol-equivalent feed [t/d] (cost basis), light-olefin "
           "selectivity [-], H2 made [mol/s], reactor duty [W]")
