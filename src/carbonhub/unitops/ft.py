"""Low-temperature Fischer-Tropsch synthesis (cobalt, slurry bed) with an exact
Anderson-Schulz-Flory product distribution.

A methanol *loop* is not a unit: it is a flowsheet (feed -> mixer -> heater/compressor ->
:class:`MethanolReactor` -> flash -> purge splitter -> recycle), see
``tests/unitops/test_synthesis.py::test_methanol_loop_*``.

Example
-------
>>> import numpy as np
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> from carbonhub.unitops.ft import asf_lump_carbon_fractions
>>> f = asf_lump_carbon_fractions(0.9)          # C1, C2, C3, C4, C5-C11, C12-C20, C21+
>>> round(float(f[0, 0]), 6), round(float(f[0].sum()), 12)
(0.01, 1.0)
"""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream
from ..core.unit import Cost, Param, Unit, UnitResult
from ..twin.helpers import eo_design, eo_effluent_duty, eo_outlet
from ._common import (HOUR, LIQUID_HC, barg, checked_inlets, heat_utilities, reactor_and_cooler_duties, require,
                      require_map, status_array, eo_utility_exchanger_area, utility_exchanger_area,
                      utility_exchanger_params, water_as_vapour, kernel_array)
from .separations import RHO_ORGANIC, separator_volume
from ..thermo.engine import use_numba
from ..thermo.nasa7 import R
from ..thermo.rowdot import rowdot, rowsum

__all__ = ["FischerTropsch", "asf_lump_carbon_fractions", "FT_LUMPS"]

FT_LUMPS: tuple[tuple[str, int, int | None, int], ...] = (
    ("CH4", 1, 1, 1),
    ("C2", 2, 2, 2),        # C2H6 (+ C2H4)
    ("C3", 3, 3, 3),        # C3H8 (+ C3H6)
    ("C4", 4, 4, 4),        # C4H10 (+ C4H8)
    ("C8H18", 5, 11, 8),    # naphtha C5-C11, represented by n-octane
    ("C16H34", 12, 20, 16),  # distillate C12-C20, represented by n-hexadecane
    ("C30H62", 21, None, 30),  # wax C21+, represented by n-triacontane
)
"""Product lumps of :class:`FischerTropsch`: (name, first n, last n (None: infinity),
carbon number of the representative species)."""


def _asf_tail(a: np.ndarray, N: int) -> np.ndarray:
    """sum_{n > N} n (1-a)^2 a^(n-1) = a^N (1 + N (1 - a))."""
    return a**N * (1.0 + N * (1.0 - a))


def asf_lump_carbon_fractions(alpha) -> np.ndarray:
    """Carbon (= CH2-unit mass) fractions of the :data:`FT_LUMPS`, shape (n, 7).

    W_n = n (1 - alpha)^2 alpha^(n-1) summed in closed form: single carbon numbers directly,
    ranges as differences of the tail sums a^N (1 + N (1-a)); rows sum to 1 (normalised
    against rounding)."""
    a = np.atleast_1d(np.asarray(alpha, dtype=float))
    cols = []
    for _, lo, hi, _rep in FT_LUMPS:
        if hi == lo:
            cols.append(lo * (1.0 - a) ** 2 * a ** (lo - 1))
        elif hi is None:
            cols.append(_asf_tail(a, lo - 1))
        else:
            cols.append(_asf_tail(a, lo - 1) - _asf_tail(a, hi))
    f = np.stack(cols, axis=1)
    return f / f.sum(axis=1, keepdims=True)


def _asf_lump_terms(a) -> list:
    """Unnormalised ASF carbon fractions of the :data:`FT_LUMPS` for a scalar ``a`` (a float
    or a Pyomo expression): the terms of :func:`asf_lump_carbon_fractions`."""
    cols = []
    for _, lo, hi, _rep in FT_LUMPS:
        if hi == lo:
            cols.append(lo * (1.0 - a) ** 2 * (a ** (lo - 1) if lo > 1 else 1.0))
        elif hi is None:
            cols.append(_asf_tail(a, lo - 1))
        else:
            cols.append(_asf_tail(a, lo - 1) - _asf_tail(a, hi))
    return cols


# products of the FT reactor: (id, carbon number) in the order the code fills them
_FT_PRODUCTS = ("CH4", "C2H6", "C2H4", "C3H8", "C3H6", "C4H10", "C4H8", "C8H18", "C16H34", "C30H62")

_FT_REQUIRED = ("H2", "CO", "CO2", "H2O", "H2O(L)") + _FT_PRODUCTS



class FischerTropsch(Unit):
    """Low-temperature (cobalt, slurry-bed) Fischer-Tropsch reactor with an exact
    Anderson-Schulz-Flory (ASF) product distribution and a three-phase separator.

    Model
    -----
    * A fraction ``co_conversion`` of the CO is converted. ``co2_selectivity`` of the converted
      carbon leaves as CO2 by water-gas shift (CO + H2O -> CO2 + H2; ~0 on cobalt), the rest as
      hydrocarbons: ``ch4_extra`` of it as methane above the ASF value (cobalt makes more CH4
      than ASF predicts), the remainder by ASF with chain-growth probability ``alpha``:
      W_n = n (1-alpha)^2 alpha^(n-1) (carbon basis), summed in closed form over the lumps
      C1 -> CH4, C2 -> C2H6/C2H4, C3 -> C3H8/C3H6, C4 -> C4H10/C4H8, C5-C11 -> C8H18,
      C12-C20 -> C16H34, C21+ -> C30H62 (:data:`FT_LUMPS`). The carbon of every lump is exact;
      its moles are carbon / representative carbon number. ``olefin_fraction`` of the C2-C4
      carbon is olefin (C2H4, C3H6, C4H8).
    * Every O atom of the CO converted to hydrocarbons leaves as water
      (n CO + (2n+1) H2 -> CnH2n+2 + n H2O); H2 consumption follows from the H balance with the
      representative formulas, so all elements close exactly.
    * If the feed holds less H2 than the specified conversion needs, the case is flagged
      (``status``) and its conversion is limited by the H2 (the numbers stay conserved).
    * Outlets after cooling to ``T_sep`` at ``P``: ``gas`` (unconverted syngas, inerts, C1-C4,
      CO2), ``liquid`` (all C5+ hydrocarbons: a simplification, part of the naphtha would stay
      in the gas; solids also leave here), ``water`` (all water, as ``H2O(L)``).
    * Heat: ``heat`` = H_out(T_sep) - H_in; the reactor part, H(effluent at T) - H_in (negative),
      is raised as steam (``steam_raised_W``), the cooler part goes to cooling water.
    * Design: catalyst mass from a C5+ productivity, slurry volume from a catalyst hold-up,
      cost basis syngas (H2 + CO) feed [kmol/h]; the product cooler ahead of the three-phase
      separator (the cooler part of ``heat``, to ``T_sep`` on cooling water) sized as
      ``cooler_area_m2`` = abs(cooling duty) / (``U`` ``dT_utility``); the three-phase
      separator (gas / hydrocarbon liquid / water at ``T_sep`` and ``P``) sized as a flash drum
      (:func:`~carbonhub.unitops.separations.separator_volume`: Souders-Brown gas velocity,
      ``K_SB``, and both liquids held ``residence_time``, L/D = 3): ``separator_volume_m3``.
    * Cost: the FT reactors by their syngas feed (``ref.ft_synthesis_reactor_and_catalyst``,
      reactors only), the product cooler by its area (Turton fixed-tube exchanger at the
      reactor pressure) and the three-phase separator by its volume (Turton vertical vessel at
      the reactor pressure): product recovery belongs to the synthesis area (as the recycle
      compressor, a unit of its own), and the reactor block holds neither.

    Parameters
    ----------
    co_conversion : CO conversion per pass [-]
    alpha : ASF chain-growth probability, in (0, 1) [-]
    ch4_extra : carbon fraction of the hydrocarbons made as CH4 above ASF [-]
    olefin_fraction : olefin share of the C2-C4 carbon [-]
    co2_selectivity : carbon fraction of the converted CO leaving as CO2 [-] (<= 0.5)
    T, P : reactor temperature [K] and pressure [Pa]
    T_sep : temperature of the three-phase separator [K]
    productivity : kg C5+ per kg catalyst per hour [1/h]
    catalyst_holdup : catalyst per reactor volume [kg/m3]
    U, dT_utility : product-cooler overall heat-transfer coefficient [W/(m2 K)] and mean
        approach to the cooling water [K]
    K_SB, residence_time, rho_organic : three-phase separator: Souders-Brown coefficient
        [m/s], liquid hold-up time [s], density of the hydrocarbon liquid [kg/m3] (those of
        :class:`~carbonhub.unitops.separations.Flash`)

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> from carbonhub.unitops.ft import FischerTropsch
    >>> cs = ComponentSet.default()
    >>> syngas = Stream.from_flows(cs, {"H2": 2.1, "CO": 1.0, "N2": 0.1}, T=493.15, P=25e5)
    >>> ft = FischerTropsch("ft", co_conversion=0.8, alpha=0.9, ch4_extra=0.05)
    >>> r = ft.run({"syngas": syngas}, ft.resolve({}, 1))
    >>> round(float(r.design["c5plus_selectivity"][0]), 4), round(float(r.design["c1_selectivity"][0]), 4)
    (0.8726, 0.0595)
    >>> bool(r.heat[0] < 0), r.status is None
    (True, True)

    References
    ----------
    Flory, P.J. (1936), J. Am. Chem. Soc. 58:1877-1885, doi:10.1021/ja01301a016 (the
    most-probable chain-length distribution); Anderson, R.B. (1984), The Fischer-Tropsch
    Synthesis, Academic Press (ASF for FT products); Dry, M.E. (2002), Catal. Today 71:227-241,
    doi:10.1016/S0920-5861(01)00453-9 (LTFT on cobalt: slurry reactors, alpha ~0.9, low WGS
    activity); de Klerk, A. (2011), Fischer-Tropsch Refining, Wiley-VCH,
    doi:10.1002/9783527635603; Swanson, R.M. et al. (2010), NREL/TP-6A20-46587 (biomass FT
    plant design). Defaults of ``ch4_extra`` (0.05), ``productivity`` and ``catalyst_holdup``
    are typical orders of magnitude, to be verified against a primary source for a given
    catalyst.
    """

    inlets = ("syngas",)
    outlets = ("gas", "liquid", "water")
    params = {
        "co_conversion": Param(0.8, "", 0.0, 1.0, "CO conversion per pass [-]"),
        "alpha": Param(0.9, "", 0.01, 0.99, "ASF chain-growth probability in (0, 1) [-]"),
        "ch4_extra": Param(0.05, "", 0.0, 1.0,
                           "carbon fraction of hydrocarbons made as CH4 above ASF [-]"),
        "olefin_fraction": Param(0.0, "", 0.0, 1.0, "olefin share of the C2-C4 carbon [-]"),
        "co2_selectivity": Param(0.0, "", 0.0, 0.5,
                                 "carbon fraction of converted CO leaving as CO2 (WGS) [-]"),
        "T": Param(493.15, "K", 423.15, 623.15, "reactor temperature [K]"),
        "P": Param(25e5, "Pa", 1e5, 1e7, "reactor pressure [Pa]"),
        "T_sep": Param(313.15, "K", 273.15, 623.15, "three-phase separator temperature [K]"),
        "productivity": Param(0.3, "1/h", 1e-3, 10.0,
                              "catalyst productivity [kg C5+ / (kg cat h)] (typical; verify)"),
        "catalyst_holdup": Param(400.0, "kg/m^3", 10.0, 2000.0,
                                 "catalyst per slurry reactor volume [kg/m3] (typical; verify)"),
        **utility_exchanger_params(U_doc="product cooler (to T_sep) overall U [W/(m2 K)]",
                                   dT_doc="product cooler: mean approach to the cooling water [K]"),
        "K_SB": Param(0.07, "m/s", 0.01, 0.5,
                      "three-phase separator: Souders-Brown coefficient [m/s] (GPSA 0.055-0.107)"),
        "residence_time": Param(300.0, "s", 0.0, 7200.0,
                                "three-phase separator: liquid hold-up time [s] (as Flash)"),
        "rho_organic": RHO_ORGANIC,
    }
    costs = (Cost("ref.ft_synthesis_reactor_and_catalyst", "syngas_kmol_per_h"),
             Cost("turton.heat_exchanger_fixed_tube", "cooler_area_m2", pressure="P_barg",
                  label="product cooler"),
             Cost("turton.vessel_vertical", "separator_volume_m3", pressure="P_barg",
                  label="three-phase separator"))
    narrow_adds = _FT_REQUIRED  # its products, water and the shift's CO2 (core.narrow)

    def run(self, ins, p) -> UnitResult:
        return self.react(ins, p)

    def react(self, ins, p, engine: str = "auto") -> UnitResult:
        """``run`` with the engine of its (n, k) row work: "auto" (effluent, three-phase split and
        enthalpy flows compiled per case, :func:`carbonhub.unitops._unit_kernels.ft_outlets`,
        unless ``CARBONHUB_NUMBA=0``) or "numpy" (the reference); the same bits
        (tests/unitops/test_ft_kernel.py)."""
        s = checked_inlets(ins, self.id, "syngas")
        cs = s.cs
        ix = require_map(cs, _FT_REQUIRED, self.id, "Fischer-Tropsch products")
        F = s.flow
        co_in, h2_in = F[:, ix["CO"]], F[:, ix["H2"]]
        s_co2 = p.co2_selectivity
        hc = 1.0 - s_co2  # hydrocarbon carbon per mol CO converted
        lump = asf_lump_carbon_fractions(p.alpha) * ((1.0 - p.ch4_extra) * hc)[:, None]
        lump[:, 0] += p.ch4_extra * hc
        olef = p.olefin_fraction
        # moles of each product per mol CO converted, in _FT_PRODUCTS order
        per = np.stack([
            lump[:, 0],
            (1 - olef) * lump[:, 1] / 2, olef * lump[:, 1] / 2,
            (1 - olef) * lump[:, 2] / 3, olef * lump[:, 2] / 3,
            (1 - olef) * lump[:, 3] / 4, olef * lump[:, 3] / 4,
            lump[:, 4] / 8, lump[:, 5] / 16, lump[:, 6] / 30], axis=1)
        H_atoms = cs.element_matrix[[ix[c] for c in _FT_PRODUCTS], cs.elements.index("H")]
        dH2O = 1.0 - 2.0 * s_co2  # net water per mol CO converted (FT water - WGS water)
        h2_demand = 0.5 * rowdot(per, H_atoms) + dH2O  # > 0 for s_co2 <= 0.5
        c_conv = p.co_conversion * co_in
        need = h2_demand * c_conv
        limited = need > h2_in * (1.0 + 1e-12)
        c_conv = np.where(limited, h2_in / h2_demand, c_conv)
        liq_mask = np.isin(np.array(cs.ids), LIQUID_HC) | (cs.phase == "solid")
        wat_mask = np.isin(np.array(cs.ids), ("H2O", "H2O(L)"))
        gas_mask = ~liq_mask & ~wat_mask
        n = s.n_cases
        T_sep = p.T_sep.copy()
        P = p.P.copy()
        pidx = np.array([ix[c] for c in _FT_PRODUCTS])
        if use_numba(engine) and not (liq_mask & wat_mask).any():
            from ._unit_kernels import ft_outlets

            def c(a, shape=(n,), dtype=float):
                return kernel_array(a, shape, dtype)

            cols = np.array([ix[k] for k in ("CO", "CO2", "H2", "H2O", "H2O(L)")])
            phase = np.where(wat_mask, 2, np.where(liq_mask, 1, 0))
            out, gas, liq, water, Hg, Hl, Hw, H_in, H_eff = ft_outlets(
                c(F, F.shape), c(s.T), c(c_conv), c(s_co2), c(h2_in), c(h2_demand), c(limited, dtype=bool),
                c(dH2O), c(per, per.shape), pidx, cols, phase, c(T_sep), c(p.T), cs.low, cs.high, cs.tmid, R)
            outlets = {name: Stream(cs, flow, T_sep, P, s.origin, check=False)
                       for name, flow in (("gas", gas), ("liquid", liq), ("water", water))}
            heat = sum((Hg, Hl, Hw)) - H_in  # as reactor_and_cooler_duties
            duty_rx = H_eff - H_in
            duty_cool = heat - duty_rx
        else:
            out = F.copy()
            out[:, ix["CO"]] -= c_conv
            out[:, ix["CO2"]] += s_co2 * c_conv
            out[:, ix["H2"]] = np.where(limited, 0.0, h2_in - h2_demand * c_conv)
            out[:, ix["H2O"]] += dH2O * c_conv
            out[:, pidx] += per * c_conv[:, None]
            out[:, ix["CO"]] = np.maximum(out[:, ix["CO"]], 0.0)
            # three-phase split
            water = np.zeros_like(out)
            water[:, ix["H2O(L)"]] = rowsum(out[:, wat_mask])
            outlets = {
                "gas": Stream(cs, out * gas_mask, T_sep, P, s.origin, check=False),
                "liquid": Stream(cs, out * liq_mask, T_sep, P, s.origin, check=False),
                "water": Stream(cs, water, T_sep, P, s.origin, check=False),
            }
            heat, duty_rx, duty_cool = reactor_and_cooler_duties(
                cs, s.enthalpy, water_as_vapour(cs, out), p.T, outlets)

        # design
        x_eff = np.divide(c_conv, co_in, out=np.zeros(n), where=co_in > 0)
        c1 = lump[:, 0]
        c2c4 = rowsum(lump[:, 1:4])
        c5p = rowsum(lump[:, 4:])
        c5_kg_h = rowdot(per[:, 7:], cs.molar_mass[pidx[7:]]) * c_conv * HOUR
        cat_kg = c5_kg_h / p.productivity
        design = {
            "co_conversion": x_eff,
            "c1_selectivity": c1, "c2_c4_selectivity": c2c4, "c5plus_selectivity": c5p,
            "co2_selectivity": s_co2.copy(),
            "h2_consumed_mol_s": h2_demand * c_conv,
            "usage_ratio": h2_demand.copy(),
            "c5plus_kg_h": c5_kg_h,
            "duty_W": duty_rx, "cooling_duty_W": duty_cool,
            "catalyst_kg": cat_kg, "volume_m3": cat_kg / p.catalyst_holdup,
            "syngas_kmol_per_h": (co_in + h2_in) * HOUR / 1000.0,
            "T_K": p.T.copy(), "P_bar": P / 1e5, "P_barg": barg(P),
            "cooler_area_m2": utility_exchanger_area(duty_cool, p),
            "separator_volume_m3": separator_volume(
                cs, outlets["gas"].flow, outlets["liquid"].flow + water, T_sep, P, p.K_SB,
                p.residence_time, p.rho_organic)[0],
        }
        util = heat_utilities(duty_rx, duty_cool)
        util["catalyst_kg"] = cat_kg
        status = None
        if limited.any():
            k = np.flatnonzero(limited)
            ratio = np.divide(h2_in[k], co_in[k], out=np.zeros(k.size), where=co_in[k] > 0)
            status = status_array(limited, [
                f"H2-limited: feed H2/CO = {r:.4g} below the usage ratio {u:.4g} needed for "
                f"co_conversion = {x:.4g}; CO conversion limited to {xe:.4g}"
                for r, u, x, xe in zip(ratio, h2_demand[k], p.co_conversion[k], x_eff[k])])
        return UnitResult(outlets, heat, np.zeros(n), design, util, status)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: the closed-form balances of ``run`` as Pyomo expressions of the parameters.

        The ASF lump fractions are the closed-form sums of :func:`asf_lump_carbon_fractions`
        as expressions of ``par[alpha]`` (normalised by their sum, as numpy does), so that
        ``alpha``, ``co_conversion``, ``ch4_extra``, ``olefin_fraction`` and
        ``co2_selectivity`` can be optimised. Not mirrored: the H2-limited branch (such a case
        is flagged in the core and cannot initialise a twin); in the twin the bound
        H2 >= 0 of the ``gas`` outlet keeps an optimiser out of that region instead.
        """
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        require(cs, _FT_REQUIRED, self.id, "Fischer-Tropsch products")
        F = b.sin("syngas").flow_mol_comp
        par = b.par
        H = dict(zip(cs.ids, cs.element_matrix[:, cs.elements.index("H")]))
        names = [lump[0] for lump in FT_LUMPS]
        raw = dict(zip(names, _asf_lump_terms(par["alpha"])))
        total = sum(raw.values())
        hc = 1.0 - par["co2_selectivity"]
        b.lumps = pyo.Set(initialize=names, ordered=True, doc="ASF product lumps (FT_LUMPS)")
        b.lump_carbon = pyo.Expression(
            b.lumps, rule=lambda b, k: raw[k] / total * (1.0 - par["ch4_extra"]) * hc
            + (par["ch4_extra"] * hc if k == "CH4" else 0.0),
            doc="carbon of each lump per mol CO converted (ASF + extra CH4) [-]")
        L, olef = b.lump_carbon, par["olefin_fraction"]
        per = {"CH4": L["CH4"], "C2H6": (1 - olef) * L["C2"] / 2, "C2H4": olef * L["C2"] / 2,
               "C3H8": (1 - olef) * L["C3"] / 3, "C3H6": olef * L["C3"] / 3,
               "C4H10": (1 - olef) * L["C4"] / 4, "C4H8": olef * L["C4"] / 4,
               "C8H18": L["C8H18"] / 8, "C16H34": L["C16H34"] / 16, "C30H62": L["C30H62"] / 30}
        b.products = pyo.Set(initialize=_FT_PRODUCTS, ordered=True, doc="FT products")
        b.yield_per_co = pyo.Expression(b.products, rule=lambda b, j: per[j],
                                        doc="mol of product j per mol CO converted [-]")
        d_h2o = 1.0 - 2.0 * par["co2_selectivity"]
        b.usage_ratio = pyo.Expression(
            expr=0.5 * sum(b.yield_per_co[j] * float(H[j]) for j in _FT_PRODUCTS) + d_h2o,
            doc="H2 consumed per mol CO converted [-]")
        b.co_converted = pyo.Expression(expr=par["co_conversion"] * F["CO"], doc="CO converted [mol/s]")
        c = b.co_converted
        delta = {"CO": -c, "CO2": par["co2_selectivity"] * c, "H2": -b.usage_ratio * c,
                 "H2O": d_h2o * c}
        for j in _FT_PRODUCTS:
            delta[j] = delta.get(j, 0.0) + b.yield_per_co[j] * c
        b.effluent = pyo.Expression(b.comps, rule=lambda b, j: F[j] + delta.get(j, 0.0),
                                    doc="reactor effluent before the three-phase separator [mol/s]")
        ids = np.array(cs.ids)
        liq = dict(zip(cs.ids, np.isin(ids, LIQUID_HC) | (cs.phase == "solid")))
        wat = dict(zip(cs.ids, np.isin(ids, ("H2O", "H2O(L)"))))
        eff = b.effluent
        T_sep, P = b.pv("T_sep"), b.pv("P")
        eo_outlet(b, "gas", {j: eff[j] for j in cs.ids if not liq[j] and not wat[j]}, T_sep, P,
                  "unconverted gas, inerts, C1-C4, CO2")
        eo_outlet(b, "liquid", {j: eff[j] for j in cs.ids if liq[j]}, T_sep, P, "C5+ and solids")
        eo_outlet(b, "water", {"H2O(L)": eff["H2O"] + eff["H2O(L)"]}, T_sep, P, "all water as liquid")
        b.power.fix(0.0)
        b.add_energy_balance()
        duty_rx = eo_effluent_duty(b, {j: eff[j] for j in cs.ids}, b.pv("T"))
        eo_design(b, {
            "duty_W": duty_rx,
            "syngas_kmol_per_h": u.convert(F["CO"] + F["H2"], to_units=u.kmol / u.hour),
            "h2_consumed_mol_s": b.usage_ratio * c,
            "c5plus_selectivity": L["C8H18"] + L["C16H34"] + L["C30H62"],
            # the cooler part of heat (to T_sep), as the core's utility_exchanger_area
            "cooler_area_m2": eo_utility_exchanger_area(b, b.heat - duty_rx,
                                                        float(np.ravel(init.design["cooling_duty_W"])[0])),
        }, "design results: reactor duty [W], cost basis (H2 + CO feed) [kmol/h], H2 consumed "
           "[mol/s], C5+ carbon selectivity [-], product cooler area [m2]")
