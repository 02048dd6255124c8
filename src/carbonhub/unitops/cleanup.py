"""Syngas cleanup and conditioning: syngas cooler, water scrubber, sulphur removal, water-gas
shift; acid-gas removal (CO2 capture) and CO2 compression live in :mod:`carbonhub.unitops.co2`
and are re-exported here. All batched over cases, each unit with its equation-oriented twin
(``build_pyomo``) next to its numpy ``run``.

Conventions shared by the units of this module

* Real-fluid properties (steam raised, water saturation, CO2 compression) come from
  :mod:`carbonhub.thermo.steam` (CoolProp: IAPWS-95, Span & Wagner); the material streams keep
  the ideal-gas NASA-7 enthalpy of :class:`~carbonhub.core.stream.Stream`. Every unit closes
  ``sum H_in + heat + power = sum H_out`` exactly with the stream enthalpies: ``heat`` is
  computed from that balance once the outlets are fixed.
* Parameters whose default depends on a technology choice take ``-1`` for "the technology's
  default" (the tables ``SULPHUR_TECH`` and ``AGR_TECH``).
* A physically infeasible case (temperature cross, gas below its dew point, target beyond
  equilibrium, CO2 liquid at a compressor suction) returns a ``status`` reason; its numbers are
  still balanced but must not be used.
* Twins (``build_pyomo``) reproduce ``run`` at the core solution of the case: the branch of
  every ``min``/``where`` (which of two limits binds, technology defaults, number of compressor
  stages) is frozen there; water saturation uses the IAPWS-95-calibrated Wagner-Pruss
  equation (``_psat_twin``); property values of real fluids that depend on parameters only
  (steam enthalpies, CO2 isentropic enthalpy rises) are evaluated once with CoolProp at the case.

Example
-------
>>> import numpy as np
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> from carbonhub.unitops.cleanup import WaterGasShift
>>> cs = ComponentSet.from_ids(["H2", "CO", "CO2", "H2O", "N2"])
>>> feed = Stream.from_flows(cs, {"H2": 1.0, "CO": 1.0, "CO2": 0.1, "N2": 0.1}, T=620.0, P=25e5)
>>> steam = Stream.from_flows(cs, {"H2O": [1.5, 2.5]}, T=620.0, P=25e5)
>>> wgs = WaterGasShift("wgs", thermal="isothermal", T=623.15)
>>> r = wgs.run({"feed": feed, "steam": steam}, wgs.resolve({}, 2))
>>> np.round(r.design["co_conversion"], 4)      # more steam, more conversion
array([0.8659, 0.9391])

References
----------
.. [1] Higman, C., van der Burgt, M. (2008). Gasification, 2nd ed., Gulf Professional
   Publishing, ISBN 978-0-7506-8528-3 (syngas cooling, scrubbing, shift, acid-gas removal).
.. [2] Kohl, A.L., Nielsen, R.B. (1997). Gas Purification, 5th ed., Gulf Publishing,
   ISBN 0-88415-220-0 (alkanolamines, physical solvents, sulphur recovery).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..core.stream import Stream, mix_origins, solve_T_for_H
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo import steam as props
from ..thermo.nasa7 import R
from ..thermo.reactions import equilibrium_constant

if TYPE_CHECKING:  # re-exported lazily (below): co2 imports this module's helpers
    from .co2 import AGR_TECH, AcidGasRemoval, CO2Compression

__all__ = ["SyngasCooler", "Scrubber", "SulphurRemoval", "WaterGasShift", "AcidGasRemoval",
           "CO2Compression", "SULPHUR_TECH", "AGR_TECH"]

BTU_J = 1055.05585262  # International Table Btu [J]
FT3_M3 = 0.028316846592  # [m3]
V_STP = R * 273.15 / 101325.0  # ideal-gas molar volume at 0 degC, 1 atm [m3/mol]


# -- helpers ------------------------------------------------------------------------------------

def _idx(cs, cid: str) -> int | None:
    return cs.index(cid) if cid in cs else None


def _need(cs, ids, who: str) -> list[int]:
    missing = [c for c in ids if c not in cs]
    if missing:
        raise ValueError(f"{who}: needs component(s) {', '.join(missing)} in the component set "
                         f"(have: {', '.join(cs.ids)})")
    return [cs.index(c) for c in ids]


class _Status:
    """Per-case status: reasons (object array) and a boolean mask of the flagged cases."""

    __slots__ = ("reason", "bad")

    def __init__(self, n: int):
        self.reason = np.full(n, "ok", dtype=object)
        self.bad = np.zeros(n, dtype=bool)

    def flag(self, mask: np.ndarray, reason) -> None:
        """Record ``reason`` (a str, or a callable of the case indices returning one str per
        case) for the cases of ``mask`` that are not flagged yet (the first reason wins)."""
        sel = np.asarray(mask, dtype=bool) & ~self.bad
        if sel.any():
            self.reason[sel] = reason(np.flatnonzero(sel)) if callable(reason) else reason
            self.bad |= sel

    def result(self):
        return self.reason if self.bad.any() else None


def _choice(p, name: str) -> np.ndarray:
    return np.broadcast_to(np.asarray(getattr(p, name), dtype=object), (p.n,))


def _by_tech(value: np.ndarray, tech: np.ndarray, table: dict, key: str) -> np.ndarray:
    """Per case: the parameter value, or the technology default where it is -1."""
    default = np.array([table[t][key] for t in tech.tolist()], dtype=float)
    return np.where(value < 0, default, value)


def _lmtd(d1, d2):
    d1, d2 = np.maximum(d1, 1e-6), np.maximum(d2, 1e-6)
    same = np.abs(d1 - d2) < 1e-9 * np.maximum(d1, d2)
    return np.where(same, 0.5 * (d1 + d2), (d1 - d2) / np.log(np.where(same, 2.0, d1 / d2)))


def _heat_utilities(q: np.ndarray) -> dict[str, np.ndarray]:
    return {"steam_heat_W": np.maximum(q, 0.0), "cooling_W": np.maximum(-q, 0.0)}


def _water_capacity(flow, cs, T, P, iw):
    """Largest water-vapour flow [mol/s] the gas phase of ``flow`` holds at (T, P):
    y_w = P_sat(T)/P (ideal mixture, Raoult/Dalton). Returns (capacity, boils) where ``boils``
    marks cases with P_sat(T) >= P."""
    Tc = np.minimum(T, props.T_CRIT_WATER)
    psat = props.P_sat(np.maximum(Tc, props.T_TRIPLE_WATER))
    dry = (flow * cs.is_gas).sum(axis=1) - flow[:, iw]
    boils = psat >= P
    y = np.where(boils, 0.0, psat / P)
    return np.where(boils, np.inf, y / (1.0 - y) * dry), boils


# -- helpers of the equation-oriented twins (Pyomo is imported only inside them) ----------------

_WP_A = (-7.85951783, 1.84408259, -11.7866497, 22.6807411, -15.9618719, 1.80122502)
"""Vapour pressure of water, ln(P_sat/P_c) = T_c/T (a1 t + a2 t^1.5 + a3 t^3 + a4 t^3.5 + a5 t^4
+ a6 t^7.5), t = 1 - T/T_c: Wagner, W., Pruss, A. (1993), J. Phys. Chem. Ref. Data 22:783,
doi:10.1063/1.555926 (IAPWS SR1-86(1992)); within 7e-5 of IAPWS-95 (CoolProp) at 274-640 K."""


def _psat_wagner(T, sq, exp):
    """The equation of ``_WP_A`` at T [K, dimensionless] with sq = sqrt(1 - T/T_c)."""
    a, t = _WP_A, 1.0 - T / props.T_CRIT_WATER
    return props.P_CRIT_WATER * exp(props.T_CRIT_WATER / T * (
        a[0] * t + a[1] * t * sq + a[2] * t**3 + a[3] * t**3 * sq + a[4] * t**4 + a[5] * t**7 * sq))


def _psat_twin(b, tag: str, T, T0: float):
    """P_sat of water [Pa] at ``T`` (a Pyomo expression in K) for a twin: the Wagner-Pruss
    equation times the constant that makes it equal CoolProp's IAPWS-95 value (the core's
    P_sat) at the core temperature ``T0``. Exact at the core solution; elsewhere it deviates
    from IAPWS-95 by the change of the equation's own error: < 6.3e-5 (relative) within 10 K of
    ``T0``, < 1.2e-4 anywhere in 274-640 K. A temperature that is not fixed gets the variable
    ``psat_<tag>_sqrt_tau`` = sqrt(1 - T/T_c) in [0, 1] (no fractional power of a quantity that
    could turn negative; valid below the critical point)."""
    import pyomo.environ as pyo

    Tc = props.T_CRIT_WATER
    T0 = min(max(float(T0), props.T_TRIPLE_WATER), Tc)
    Tn = T / pyo.units.K
    if Tn.is_fixed():
        sq = pyo.sqrt(1.0 - Tn / Tc)
    else:
        sq = pyo.Var(bounds=(0.0, 1.0), initialize=np.sqrt(1.0 - T0 / Tc),
                     doc=f"sqrt(1 - T/T_c) of the water saturation at {tag}")
        b.add_component(f"psat_{tag}_sqrt_tau", sq)
        b.add_component(f"eq_psat_{tag}_sqrt_tau", pyo.Constraint(
            expr=sq**2 == 1.0 - Tn / Tc, doc=f"definition of psat_{tag}_sqrt_tau"))
    cal = float(props.P_sat(T0)) / _psat_wagner(T0, np.sqrt(1.0 - T0 / Tc), np.exp)
    return cal * _psat_wagner(Tn, sq, pyo.exp) * pyo.units.Pa


def _saturated(b, name: str, vap, dry, P, psat, doc: str):
    """Constraint ``name``: vapour ``vap`` saturates ``dry`` gas at P with the water saturation
    pressure ``psat`` (y_w = P_sat/P), written vap (P - P_sat) = P_sat dry (no division)."""
    import pyomo.environ as pyo

    b.add_component(name, pyo.Constraint(expr=vap * (P - psat) == psat * dry, doc=doc))


def _gas_flow_m3_s(st, cs):
    """Actual gas flow [m3/s, dimensionless] of a state block as an ideal gas (as the core)."""
    import pyomo.environ as pyo

    u = pyo.units
    n = sum(st.flow_mol_comp[j] for i, j in enumerate(cs.ids) if cs.is_gas[i]) / (u.mol / u.s)
    return n * R * (st.temperature / u.K) / (st.pressure / u.Pa)


def _frozen_min(a, a0: float, b_, b0: float):
    """min(a, b) with the branch frozen at the core values (a0, b0): a on ties."""
    return a if a0 <= b0 else b_


def _tech_expr(b, p, name: str, table: dict, tech: str, key: str):
    """A ``-1 = technology default`` parameter in a twin: the parameter (with its unit) where the
    case sets it, else the default of ``tech`` (the choice is frozen at the case)."""
    from ..eo.unit import pyomo_units

    if float(p[name]) >= 0:
        return b.pv(name)
    return float(table[tech][key]) * pyomo_units(b.config.unit.all_params()[name].unit)


def _steam_side(P_steam, T_feedwater, superheat):
    """Steam raised at P_steam from feedwater (IAPWS-95): T_sat, T_steam, h_feedwater, h_sat
    liquid, h_sat vapour, h_steam [K, J/kg] (arrays)."""
    Tsat = props.T_sat(P_steam)
    h_fw = props.h_water(np.minimum(T_feedwater, Tsat - 0.01), P_steam)
    h_f, h_g = props.h_sat_liquid(P_steam), props.h_sat_vapour(P_steam)
    sh = superheat >= 0.01  # below: saturated (CoolProp's T-P flash needs that margin)
    T_st = Tsat + superheat
    h_st = h_g.copy()
    if sh.any():
        h_st[sh] = props.h_water(np.minimum(T_st[sh], 1273.15), P_steam[sh])
    return Tsat, T_st, h_fw, h_f, h_g, h_st


# -- syngas cooler --------------------------------------------------------------------------------

class SyngasCooler(Unit):
    """Cools gas to ``T_out`` and raises steam at ``P_steam`` from feedwater at ``T_feedwater``.

    Steam: saturated (``superheat = 0``) or superheated by ``superheat`` [K]; enthalpies from
    IAPWS-95. The steam flow follows from the gas-side duty (no heat loss). Area: counter-current
    economiser, evaporator and superheater zones, each with its LMTD and the overall coefficient
    ``U``. The gas must stay above its water dew point: a case with ``T_out`` below it gets a
    status (condensation is the :class:`Scrubber`'s job); so does a case whose gas comes within
    ``dT_min`` of the water side (pinch) or that would be heated. Design: ``duty_W``,
    ``duty_MMBtu_per_h`` (size of ``ref.syngas_cooler_netl``), ``area_m2``, ``steam_raised_kg_s``,
    ``T_sat_K``, ``dT_pinch_K``. Utilities: ``steam_raised_W``, ``steam_raised_kg_s``.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["H2", "CO", "CO2", "H2O", "N2"])
    >>> gas = Stream.from_flows(cs, {"H2": 300.0, "CO": 400.0, "CO2": 100.0, "H2O": 150.0},
    ...                         T=1300.0, P=30e5)
    >>> u = SyngasCooler("sc", T_out=573.15, P_steam=40e5)
    >>> r = u.run({"feed": gas}, u.resolve({}, 1))
    >>> round(float(r.design["duty_W"][0]) / 1e6, 2), round(float(r.design["steam_raised_kg_s"][0]), 2)
    (24.32, 10.32)

    References
    ----------
    .. [1] Higman, C., van der Burgt, M. (2008). Gasification, 2nd ed., ISBN 978-0-7506-8528-3
       (syngas coolers raising high-pressure steam).
    .. [2] Wagner, W., Pruss, A. (2002), J. Phys. Chem. Ref. Data 31:387, doi:10.1063/1.1461829.
    """

    inlets = ("feed",)
    outlets = ("out",)
    params = {
        "T_out": Param(573.15, "K", 274.0, 2000.0, "gas outlet temperature [K]"),
        "dP": Param(0.0, "Pa", 0.0, 1e7, "gas-side pressure drop [Pa]"),
        "P_steam": Param(4.0e6, "Pa", 1e5, 2.0e7, "pressure of the steam raised [Pa]"),
        "superheat": Param(0.0, "K", 0.0, 400.0, "steam superheat above saturation [K]"),
        "T_feedwater": Param(378.15, "K", 274.0, 640.0, "boiler feedwater temperature [K]"),
        "dT_min": Param(10.0, "K", 0.0, 300.0, "minimum gas-to-water temperature difference [K]"),
        "U": Param(100.0, "W/m^2/K", 1.0, 1e4,
                   "overall heat-transfer coefficient, gas to boiling water (typical) [W/(m2 K)]"),
    }
    costs = (Cost("ref.syngas_cooler_netl", "duty_MMBtu_per_h"),)

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs, n, st = s.cs, p.n, _Status(p.n)
        out = Stream(cs, s.flow, p.T_out.copy(), np.maximum(s.P - p.dP, 1.0), s.origin, check=False)
        H_in = s.enthalpy
        q = H_in - out.enthalpy  # released by the gas [W]
        st.flag(p.T_out >= s.T, "T_out is not below the inlet temperature: nothing to cool")
        iw = _idx(cs, "H2O")
        if iw is not None:
            cap, _ = _water_capacity(out.flow, cs, out.T, out.P, iw)
            st.flag((out.T < props.T_CRIT_WATER) & (out.flow[:, iw] > cap),
                  "T_out is below the water dew point of the gas (use a Scrubber to condense)")
        Tsat, T_st, h_fw, h_f, h_g, h_st = _steam_side(p.P_steam, p.T_feedwater, p.superheat)
        st.flag(p.T_feedwater >= Tsat, "feedwater at or above the saturation temperature")
        qp = np.maximum(q, 0.0)
        m = qp / (h_st - h_fw)
        q_sh, q_ev = m * (h_st - h_g), m * (h_g - h_f)
        q_ec = qp - q_sh - q_ev
        T1 = solve_T_for_H(cs, s.flow, H_in - q_sh, s.T)  # gas leaving the superheater
        T2 = solve_T_for_H(cs, s.flow, H_in - q_sh - q_ev, T1)  # gas leaving the evaporator
        d = [s.T - T_st, T1 - Tsat, T2 - Tsat, out.T - np.minimum(p.T_feedwater, Tsat)]
        pinch = np.minimum.reduce(d)
        st.flag(pinch < p.dT_min, lambda i: [
            f"pinch: gas comes within {pinch[k]:.1f} K of the water side (dT_min = {p.dT_min[k]:g} K);"
            f" lower P_steam or raise T_out" for k in i])
        ua = (q_sh / _lmtd(d[0], d[1]) + q_ev / _lmtd(d[1], d[2]) + q_ec / _lmtd(d[2], d[3]))
        design = {"duty_W": q, "duty_MMBtu_per_h": qp * 3600.0 / BTU_J / 1e6, "area_m2": ua / p.U,
                  "steam_raised_kg_s": m, "T_sat_K": Tsat, "dT_pinch_K": pinch}
        util = {"steam_raised_W": qp, "steam_raised_kg_s": m}
        return UnitResult({"out": out}, -q, np.zeros(n), design, util, st.result())

    def build_pyomo(self, b, p, init) -> None:
        """Twin: gas at T_out and P - dP, flows unchanged, heat from the energy balance; the steam
        raised follows the duty, its specific enthalpy rise (IAPWS-95) evaluated at the case's
        P_steam, T_feedwater and superheat (fixed: it does not follow if those are freed)."""
        import pyomo.environ as pyo

        u = pyo.units
        b.add_component_balances()
        b.eq_T = pyo.Constraint(expr=b.sout("out").temperature == b.pv("T_out"), doc="outlet temperature")
        b.eq_P = pyo.Constraint(expr=b.sout("out").pressure == b.sin("feed").pressure - b.pv("dP"),
                                doc="gas-side pressure drop")
        b.power.fix(0.0)
        b.add_energy_balance()
        *_, h_fw, _, _, h_st = _steam_side(*(np.array([float(p[k])])
                                             for k in ("P_steam", "T_feedwater", "superheat")))
        b.dh_steam = pyo.Param(initialize=float(h_st[0] - h_fw[0]), units=u.J / u.kg,
                               doc="enthalpy rise feedwater -> steam (IAPWS-95, at the case) [J/kg]")
        b.steam_raised = pyo.Var(initialize=float(init.design["steam_raised_kg_s"]), units=u.kg / u.s,
                                 doc="steam raised [kg/s]")
        duty = -b.heat if init.heat <= 0 else 0.0 * u.W  # a heated gas raises no steam (core: max)
        b.eq_steam = pyo.Constraint(expr=b.steam_raised * b.dh_steam == duty,
                                    doc="steam raised x enthalpy rise = heat released by the gas")
        from .synthesis import eo_design

        eo_design(b, {"duty_W": -b.heat / u.W, "duty_MMBtu_per_h": duty / u.W * (3600.0 / BTU_J / 1e6),
                      "steam_raised_kg_s": b.steam_raised / (u.kg / u.s)},
                  doc="design results of the twin (as the core's, value in the unit of the key)")


# -- water quench / scrubber ----------------------------------------------------------------------

class Scrubber(Unit):
    """Water quench/scrubber: removes HCl, NH3 and particulates, cools the gas to ``T_out``
    and saturates it with water.

    Model: one equilibrium stage at ``T_out``. The fractions ``hcl_removal``, ``nh3_removal``
    and ``particulate_removal`` (all solid components, e.g. ``ASH``, ``C(s)``) go to the
    wastewater (dissolved HCl and NH3 keep their gas ids there). The gas leaves saturated,
    y_H2O = P_sat(T_out)/P (IAPWS-95 vapour pressure, ideal mixture); all other water (the gas's
    vapour and liquid plus the ``water`` inlet) leaves as ``H2O(L)``. Both outlets leave at
    ``T_out``; the energy balance is closed by the heat term (``heat`` < 0: removed by the
    recirculating water's cooler), i.e. the quench is not adiabatic. Other gases (CO2, H2S) are
    taken as insoluble. A case whose water supply cannot saturate the gas, or with ``T_out`` at
    or above the boiling point at the outlet pressure, gets a status.

    Sizing: a vertical vessel, diameter from the actual inlet gas flow and the superficial
    velocity ``u_gas``, height ``L_over_D`` times the diameter (``volume_m3``).

    The removal defaults (0.99) are typical design values for a water scrubber downstream of a
    gasifier, not verified against a primary source in this session.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["H2", "CO", "CO2", "H2O", "NH3", "HCl", "H2O(L)", "ASH"])
    >>> gas = Stream.from_flows(cs, {"H2": 30.0, "CO": 40.0, "CO2": 10.0, "H2O": 20.0,
    ...                              "NH3": 0.2, "HCl": 0.05, "ASH": 0.1}, T=573.15, P=2e5)
    >>> water = Stream.from_flows(cs, {"H2O(L)": 100.0}, T=298.15, P=2e5)
    >>> u = Scrubber("scrub", T_out=313.15)
    >>> r = u.run({"gas": gas, "water": water}, u.resolve({}, 1))
    >>> round(float(r.outlets["gas"]["H2O"][0]), 3), round(float(r.outlets["wastewater"]["NH3"][0]), 3)
    (3.067, 0.198)

    References
    ----------
    .. [1] Higman, C., van der Burgt, M. (2008). Gasification, 2nd ed., ISBN 978-0-7506-8528-3
       (water wash/quench removing solids, HCl and NH3 from raw syngas).
    .. [2] Wagner, W., Pruss, A. (2002), J. Phys. Chem. Ref. Data 31:387, doi:10.1063/1.1461829
       (vapour pressure of water).
    """

    inlets = ("gas", "water")
    outlets = ("gas", "wastewater")
    params = {
        "T_out": Param(313.15, "K", 274.0, 450.0, "gas and water outlet temperature [K]"),
        "dP": Param(0.0, "Pa", 0.0, 1e6, "gas pressure drop [Pa]"),
        "hcl_removal": Param(0.99, "", 0.0, 1.0, "fraction of HCl to the wastewater (typical)"),
        "nh3_removal": Param(0.99, "", 0.0, 1.0, "fraction of NH3 to the wastewater (typical)"),
        "particulate_removal": Param(0.99, "", 0.0, 1.0,
                                     "fraction of solids (ash, char) to the wastewater (typical)"),
        "u_gas": Param(1.5, "m/s", 0.05, 20.0, "superficial gas velocity for sizing [m/s]"),
        "L_over_D": Param(4.0, "", 0.5, 20.0, "vessel height over diameter [-]"),
    }
    costs = (Cost("turton.vessel_vertical", "volume_m3"),)

    def run(self, ins, p) -> UnitResult:
        g, w = ins["gas"], ins["water"]
        cs, n, st = g.cs, p.n, _Status(p.n)
        iw, il = _need(cs, ["H2O", "H2O(L)"], f"{self.id} (Scrubber)")
        flow = g.flow + w.flow
        P_out = np.maximum(g.P - p.dP, 1.0)
        frac = np.zeros((n, len(cs)))
        for cid, f in (("HCl", p.hcl_removal), ("NH3", p.nh3_removal)):
            if cid in cs:
                frac[:, cs.index(cid)] = f
        solid = cs.phase == "solid"
        frac[:, solid] = p.particulate_removal[:, None]
        ww = flow * frac
        gas = flow - ww
        water = gas[:, iw] + gas[:, il]
        gas[:, iw] = 0.0
        gas[:, il] = 0.0
        cap, boils = _water_capacity(gas, cs, p.T_out, P_out, iw)
        st.flag(boils, "T_out is at or above the boiling point of water at the outlet pressure")
        vap = np.minimum(water, cap)
        st.flag(~boils & (water < cap), lambda i: [
            f"water supply too low to saturate the gas at T_out: {water[k]:.4g} mol/s available, "
            f"{cap[k]:.4g} mol/s needed" for k in i])
        gas[:, iw] = vap
        ww[:, il] += water - vap
        org = mix_origins([g, w])
        T = p.T_out.copy()
        out_g = Stream(cs, gas, T, P_out, org, check=False)
        out_w = Stream(cs, ww, T.copy(), P_out.copy(), org, check=False)
        q = out_g.enthalpy + out_w.enthalpy - g.enthalpy - w.enthalpy
        Q = (g.flow * cs.is_gas).sum(axis=1) * R * g.T / g.P  # actual inlet gas flow [m3/s]
        D = np.sqrt(4.0 * Q / (np.pi * p.u_gas))
        design = {"duty_W": q, "gas_flow_m3_s": Q, "diameter_m": D,
                  "volume_m3": np.pi / 4.0 * D**2 * p.L_over_D * D,
                  "gas_flow_kmol_per_h": (g.flow * cs.is_gas).sum(axis=1) * 3.6,
                  "water_condensed_mol_s": g.flow[:, iw] - vap}
        return UnitResult({"gas": out_g, "wastewater": out_w}, q, np.zeros(n), design,
                          _heat_utilities(q), st.result())

    def build_pyomo(self, b, p, init) -> None:
        """Twin: removal fractions to the wastewater, the gas saturated with water at T_out
        (P_sat: :func:`_psat_twin`), the rest of the water liquid; both outlets at T_out and
        P - dP; heat from the energy balance. Frozen at the case: whether the water supply
        saturates the gas (else all water leaves as vapour, as in the core's flagged cases)."""
        import pyomo.environ as pyo

        cs = b.config.property_package.cs
        g, w, og, ow = b.sin("gas"), b.sin("water"), b.sout("gas"), b.sout("wastewater")
        frac = {"HCl": b.par["hcl_removal"], "NH3": b.par["nh3_removal"]}
        frac.update({j: b.par["particulate_removal"] for j in cs.ids if cs.phase[cs.index(j)] == "solid"})

        def feed(j):
            return g.flow_mol_comp[j] + w.flow_mol_comp[j]

        fg, fw = og.flow_mol_comp, ow.flow_mol_comp
        rest = [j for j in cs.ids if j not in ("H2O", "H2O(L)")]
        b.eq_removed = pyo.Constraint(rest, rule=lambda b, j: fw[j] == frac.get(j, 0.0) * feed(j),
                                      doc="removal fractions to the wastewater")
        b.eq_gas = pyo.Constraint(rest, rule=lambda b, j: fg[j] == feed(j) - fw[j],
                                  doc="the rest stays in the gas")
        b.eq_no_liquid = pyo.Constraint(expr=fg["H2O(L)"] == 0, doc="no liquid water in the gas")
        b.eq_no_vapour = pyo.Constraint(expr=fw["H2O"] == 0, doc="no vapour in the wastewater")
        b.eq_water = pyo.Constraint(expr=fg["H2O"] + fw["H2O(L)"] == feed("H2O") + feed("H2O(L)"),
                                    doc="water balance")
        if float(init.outlets["wastewater"]["H2O(L)"][0]) > 0:  # saturated (else: all water vapour)
            dry = sum(fg[j] for j in cs.ids if cs.is_gas[cs.index(j)] and j != "H2O")
            _saturated(b, "eq_saturation", fg["H2O"], dry, og.pressure,
                       _psat_twin(b, "T_out", b.pv("T_out"), float(p["T_out"])),
                       "gas saturated with water at T_out")
        else:
            b.eq_saturation = pyo.Constraint(expr=fw["H2O(L)"] == 0,
                                             doc="all water evaporates (supply below saturation)")
        for k, o in (("gas", og), ("wastewater", ow)):
            b.add_component(f"eq_T_{k}", pyo.Constraint(expr=o.temperature == b.pv("T_out"),
                                                        doc=f"{k} at T_out"))
            b.add_component(f"eq_P_{k}", pyo.Constraint(expr=o.pressure == g.pressure - b.pv("dP"),
                                                        doc=f"{k} at the gas pressure - dP"))
        b.power.fix(0.0)
        b.add_energy_balance()
        from .synthesis import eo_design

        Q = _gas_flow_m3_s(g, cs)
        D = pyo.sqrt(4.0 * Q / (np.pi * b.par["u_gas"]))
        eo_design(b, {"duty_W": b.heat / pyo.units.W, "gas_flow_m3_s": Q, "diameter_m": D,
                      "volume_m3": np.pi / 4.0 * D**3 * b.par["L_over_D"]},
                  doc="design results of the twin (as the core's, value in the unit of the key)")


# -- sulphur removal -------------------------------------------------------------------------------

SULPHUR_TECH = {
    # h2s, cos: fractions removed; chem: chemicals [kg per kg S removed]
    "zno": {"h2s": 0.999, "cos": 0.5, "chem": 81.38 / 32.06},
    "lo_cat": {"h2s": 0.99, "cos": 0.0, "chem": 0.0},
    "claus": {"h2s": 0.97, "cos": 0.0, "chem": 0.0},
}
"""Technology defaults of :class:`SulphurRemoval` (typical values, to be verified): ZnO guard
bed (chemicals: stoichiometric ZnO + H2S -> ZnS + H2O, i.e. full sorbent utilisation, a lower
bound), LO-CAT liquid redox (chelated-iron make-up not known here: 0), Claus unit on an acid gas
(2-3 catalytic stages, ~94-98 % recovery)."""


class SulphurRemoval(Unit):
    """Removes H2S and COS; the sulphur removed leaves through ``sulphur`` as H2S.

    Removed COS is converted to H2S so that elements balance exactly: by hydrolysis
    COS + H2O -> CO2 + H2S as far as the gas holds water, the rest by hydrogenation
    COS + H2 -> CO + H2S (a case with neither left keeps its COS and gets a status). Isothermal
    at the inlet temperature and pressure; the small heat of those reactions is the ``heat``.
    ``technology`` sets the default fractions and chemicals use (``SULPHUR_TECH``); each can be
    overridden (-1 = default). Utilities: ``chemicals_kg_s``. Design: ``sulphur_kg_s``,
    ``sulphur_t_per_d``, ``sulphur_lb_per_h`` (size of ``ref.sulfur_recovery_claus_netl``, the
    cost of the ``claus`` and ``lo_cat`` technologies), ``bed_volume_m3`` (normal gas flow /
    ``ghsv_per_h``: the ZnO guard bed, costed as a Turton vertical pressure vessel), ``P_barg``.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["H2", "CO", "CO2", "H2O", "H2S", "COS"])
    >>> gas = Stream.from_flows(cs, {"H2": 40.0, "CO": 40.0, "H2O": 5.0, "H2S": 0.1, "COS": 0.01},
    ...                         T=623.15, P=25e5)
    >>> u = SulphurRemoval("zno", technology="zno")
    >>> r = u.run({"feed": gas}, u.resolve({}, 1))
    >>> round(float(r.outlets["sulphur"]["H2S"][0]), 4), round(float(r.outlets["out"]["COS"][0]), 4)
    (0.1049, 0.005)

    References
    ----------
    .. [1] Kohl, A.L., Nielsen, R.B. (1997). Gas Purification, 5th ed., ISBN 0-88415-220-0
       (Claus sulphur recovery, liquid redox processes such as LO-CAT, zinc oxide beds).
    .. [2] Higman, C., van der Burgt, M. (2008). Gasification, 2nd ed., ISBN 978-0-7506-8528-3
       (COS hydrolysis COS + H2O = CO2 + H2S ahead of sulphur removal).
    """

    inlets = ("feed",)
    outlets = ("out", "sulphur")
    params = {
        "technology": Param("zno", "choice", doc="zno (guard bed), lo_cat (liquid redox) or claus",
                            choices=tuple(SULPHUR_TECH)),
        "h2s_removal": Param(-1.0, "", -1.0, 1.0, "fraction of H2S removed; -1: technology default"),
        "cos_removal": Param(-1.0, "", -1.0, 1.0, "fraction of COS removed; -1: technology default"),
        "chemicals_kg_per_kg_S": Param(-1.0, "", -1.0, 1e3,
                                       "chemicals used per kg S removed; -1: technology default"),
        "ghsv_per_h": Param(2000.0, "1/h", 100.0, 20000.0,
                            "ZnO guard bed: gas hourly space velocity, Nm3/h of gas per m3 of bed "
                            "[1/h] (sizes the bed vessel; assumption, typical 1000-3000)"),
    }
    costs = (Cost("ref.sulfur_recovery_claus_netl", "sulphur_lb_per_h",
                  when=("technology", ("claus", "lo_cat"))),
             Cost("turton.vessel_vertical", "bed_volume_m3", pressure="P_barg",
                  when=("technology", ("zno",))))

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs, n, st = s.cs, p.n, _Status(p.n)
        (ih,) = _need(cs, ["H2S"], f"{self.id} (SulphurRemoval)")
        tech = _choice(p, "technology")
        fh = _by_tech(p.h2s_removal, tech, SULPHUR_TECH, "h2s")
        fc = _by_tech(p.cos_removal, tech, SULPHUR_TECH, "cos")
        chem = _by_tech(p.chemicals_kg_per_kg_S, tech, SULPHUR_TECH, "chem")
        flow = s.flow.copy()
        h2s = fh * flow[:, ih]
        flow[:, ih] -= h2s
        ic = _idx(cs, "COS")
        if ic is not None:
            cos = fc * flow[:, ic]
            iw, ico2, ih2, ico = (_idx(cs, c) for c in ("H2O", "CO2", "H2", "CO"))
            x_w = np.minimum(cos, flow[:, iw]) if iw is not None and ico2 is not None else 0.0 * cos
            x_h = (np.minimum(cos - x_w, flow[:, ih2]) if ih2 is not None and ico is not None
                   else 0.0 * cos)
            left = cos - x_w - x_h
            st.flag(left > 1e-12 * np.maximum(cos, 1e-300),
                  "not enough H2O or H2 to convert the removed COS to H2S")
            conv = x_w + x_h
            flow[:, ic] -= conv
            if iw is not None and ico2 is not None:
                flow[:, iw] -= x_w
                flow[:, ico2] += x_w
            if ih2 is not None and ico is not None:
                flow[:, ih2] -= x_h
                flow[:, ico] += x_h
            h2s = h2s + conv
        sul = np.zeros_like(flow)
        sul[:, ih] = h2s
        out = Stream(cs, np.maximum(flow, 0.0), s.T, s.P, s.origin, check=False)
        sp = Stream(cs, sul, s.T.copy(), s.P.copy(), s.origin, check=False)
        q = out.enthalpy + sp.enthalpy - s.enthalpy
        S_kg = h2s * 0.032065  # kg S/s (IUPAC atomic weight of S)
        util = _heat_utilities(q)
        util["chemicals_kg_s"] = S_kg * chem
        design = {"sulphur_kg_s": S_kg, "sulphur_t_per_d": S_kg * 86.4,
                  "sulphur_lb_per_h": S_kg * 3600.0 / 0.45359237, "duty_W": q,
                  "bed_volume_m3": s.flow.sum(axis=1) * V_STP * 3600.0 / p.ghsv_per_h,
                  "P_barg": s.P / 1e5 - 1.01325}
        return UnitResult({"out": out, "sulphur": sp}, q, np.zeros(n), design, util, st.result())

    def build_pyomo(self, b, p, init) -> None:
        """Twin: H2S removed by its fraction, removed COS converted to H2S by hydrolysis as far as
        the gas holds water, the rest by hydrogenation (which of those minima binds is frozen
        at the case); outlets at the inlet T and P; heat from the energy balance."""
        import pyomo.environ as pyo

        cs = b.config.property_package.cs
        F, O, S = b.sin("feed"), b.sout("out"), b.sout("sulphur")
        f0 = dict(zip(cs.ids, init.inlets["feed"].flow[0].tolist()))
        tech = str(p["technology"])
        # flows as linear combinations {k: coefficient} of the feed flows, coefficients combined
        # before the constraints are written (an x - x term would make Pyomo's NL writer fail)
        out = {j: {j: 1.0} for j in cs.ids}
        to_h2s = {"H2S": _tech_expr(b, p, "h2s_removal", SULPHUR_TECH, tech, "h2s")}

        def add(j, terms, sign):
            for k, c in terms.items():
                out[j][k] = out[j].get(k, 0.0) + sign * c

        add("H2S", to_h2s, -1)
        if "COS" in cs:
            fc = _tech_expr(b, p, "cos_removal", SULPHUR_TECH, tech, "cos")
            left, left0 = {"COS": fc}, pyo.value(fc) * f0["COS"]  # COS removed, not yet converted
            for sub, prod in (("H2O", "CO2"), ("H2", "CO")):
                if sub in cs and prod in cs:  # hydrolysis, then hydrogenation: x = min(left, reactant)
                    x = _frozen_min(left, left0, {sub: 1.0}, f0[sub])
                    for j, sign in (("COS", -1), (sub, -1), (prod, 1)):
                        add(j, x, sign)
                    for k, c in x.items():
                        to_h2s[k] = to_h2s.get(k, 0.0) + c
                        left[k] = left.get(k, 0.0) - c
                    left0 -= min(left0, f0[sub])

        def flow(terms):
            return sum(c * F.flow_mol_comp[k] for k, c in terms.items() if not (type(c) is float and c == 0.0))

        b.eq_out = pyo.Constraint(b.comps, rule=lambda b, j: O.flow_mol_comp[j] == flow(out[j]),
                                  doc="removal and COS conversion")
        b.eq_sulphur = pyo.Constraint(b.comps, rule=lambda b, j: S.flow_mol_comp[j]
                                      == (flow(to_h2s) if j == "H2S" else 0.0), doc="sulphur removed, as H2S")
        for o in ("out", "sulphur"):
            b.same_state(o, "feed")
        b.power.fix(0.0)
        b.add_energy_balance()
        from .synthesis import eo_design

        S_kg = S.flow_mol_comp["H2S"] / (pyo.units.mol / pyo.units.s) * 0.032065
        eo_design(b, {"sulphur_kg_s": S_kg, "sulphur_t_per_d": S_kg * 86.4,
                      "sulphur_lb_per_h": S_kg * 3600.0 / 0.45359237},
                  doc="design results of the twin (as the core's, value in the unit of the key)")


# -- water-gas shift -------------------------------------------------------------------------------

_WGS = "CO + H2O = CO2 + H2"


def _wgs_extent(n0: np.ndarray, K: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equilibrium extent of CO + H2O = CO2 + H2 from moles (n, 4) [CO, H2O, CO2, H2] and K (n,).

    (c2 + x)(h + x) = K (c - x)(w - x) is a quadratic in x whose physical root (in
    [-min(c2, h), min(c, w)], where the residual is monotone) is -2C / (B + sqrt(B^2 - 4AC)).
    Returns the extent and d(extent)/dK.
    """
    c, w, c2, h = n0.T
    A = 1.0 - K
    B = c2 + h + K * (c + w)
    C = c2 * h - K * c * w
    den = B + np.sqrt(np.maximum(B * B - 4.0 * A * C, 0.0))
    x = np.where(den > 0, -2.0 * C / np.where(den > 0, den, 1.0), 0.0)
    x = np.clip(x, -np.minimum(c2, h), np.minimum(c, w))
    dg = (c2 + h + 2.0 * x) + K * (c + w - 2.0 * x)
    dx = np.where(dg > 0, (c - x) * (w - x) / np.where(dg > 0, dg, 1.0), 0.0)
    return x, dx


class WaterGasShift(Unit):
    """Water-gas shift CO + H2O = CO2 + H2 with steam addition and bypass.

    The fraction ``bypass`` of the feed goes around the reactor; the rest and all of the
    ``steam`` inlet (expected as vapour, ``H2O``) react. ``mode``:

    * ``"equilibrium"``: shift equilibrium at the reactor outlet temperature plus
      ``dT_approach`` (K from :func:`carbonhub.thermo.equilibrium_constant`, i.e. the NASA-7
      data of the components; other reactions such as methanation are taken as
      kinetically frozen);
    * ``"h2_co"``: the extent that gives ``h2_co`` (H2/CO, molar) in the combined outlet; a case
      whose target lies beyond equilibrium (or below the feed's ratio: reverse shift) gets a
      status and the equilibrium (or zero) extent.

    ``thermal``: ``"isothermal"`` (reactor outlet at ``T``; heat removed or added) or
    ``"adiabatic"`` (reactor inlet brought to ``T``, the bed adiabatic, its outlet temperature
    solved together with the equilibrium by a safeguarded Newton iteration). The bypass is mixed
    adiabatically after the reactor. ``heat`` = preheat/cooling of the reactor inlet to ``T``
    (adiabatic) or all heat exchanged (isothermal).

    Design: catalyst volume = dry reactor-inlet gas at 0 degC, 1 atm [Nm3/h] / ``ghsv``
    (``volume_m3``, ``catalyst_volume_ft3`` for ``ref.water_gas_shift_reactors_netl``),
    ``catalyst_kg``, ``co_conversion`` (of the CO in feed + steam), ``h2_co_out``,
    ``T_reactor_K``, ``steam_to_co``. Defaults ``ghsv`` = 1000 1/h and ``catalyst_density`` =
    1200 kg/m3 are typical of high-temperature Fe-Cr catalysts, not verified in this session.

    Example
    -------
    >>> import numpy as np
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["H2", "CO", "CO2", "H2O", "N2"])
    >>> feed = Stream.from_flows(cs, {"H2": 1.0, "CO": 1.0, "N2": 0.1}, T=500.0, P=25e5)
    >>> steam = Stream.from_flows(cs, {"H2O": 1.2}, T=500.0, P=25e5)
    >>> u = WaterGasShift("wgs", mode="h2_co", h2_co=2.0)
    >>> r = u.run({"feed": feed, "steam": steam}, u.resolve({}, 1))
    >>> round(float(r.design["h2_co_out"][0]), 6), round(float(r.design["T_reactor_K"][0]), 1)
    (2.0, 738.7)

    References
    ----------
    .. [1] Gordon, S., McBride, B.J. (1994), NASA RP-1311 (equilibrium from NASA polynomials).
    .. [2] Newsome, D.S. (1980). The Water-Gas Shift Reaction. Catal. Rev. Sci. Eng. 21:275-318,
       doi:10.1080/03602458008066535.
    """

    inlets = ("feed", "steam")
    outlets = ("out",)
    params = {
        "mode": Param("equilibrium", "choice", doc="equilibrium or h2_co (extent to a target)",
                      choices=("equilibrium", "h2_co")),
        "thermal": Param("adiabatic", "choice", doc="adiabatic bed or isothermal reactor",
                         choices=("adiabatic", "isothermal")),
        "T": Param(623.15, "K", 400.0, 1500.0,
                   "reactor inlet (adiabatic) or reactor (isothermal) temperature [K]"),
        "dT_approach": Param(0.0, "K", 0.0, 300.0, "approach to equilibrium: K at T_out + dT [K]"),
        "h2_co": Param(2.0, "", 0.01, 1e4, "target H2/CO of the outlet (mode h2_co) [mol/mol]"),
        "bypass": Param(0.0, "", 0.0, 1.0, "fraction of the feed bypassing the reactor [-]"),
        "dP": Param(0.0, "Pa", 0.0, 1e7, "pressure drop [Pa]"),
        "ghsv": Param(1000.0, "1/h", 1.0, 1e6, "dry-gas hourly space velocity at 0 degC, 1 atm [1/h]"),
        "catalyst_density": Param(1200.0, "kg/m^3", 100.0, 5000.0, "catalyst bulk density [kg/m3]"),
    }
    costs = (Cost("ref.water_gas_shift_reactors_netl", "catalyst_volume_ft3"),)

    def run(self, ins, p) -> UnitResult:
        f, s = ins["feed"], ins["steam"]
        full, n, st = f.cs, p.n, _Status(p.n)
        ids = ["CO", "H2O", "CO2", "H2"]
        _need(full, ids, f"{self.id} (WaterGasShift)")
        # thermo on the components present in this batch only (the others have zero flow)
        cols = np.union1d(np.flatnonzero((f.flow != 0).any(axis=0) | (s.flow != 0).any(axis=0)),
                          full.indices(ids))
        cs = full.subset([full.ids[i] for i in cols])
        ix = cs.indices(ids)
        nu = np.array([-1.0, -1.0, 1.0, 1.0])
        ff, sf = f.flow[:, cols], s.flow[:, cols]
        b = p.bypass[:, None]
        rin = ff * (1.0 - b) + sf
        byp = ff * b
        H_f, H_s = (ff * cs.h(f.T)).sum(axis=1), (sf * cs.h(s.T)).sum(axis=1)
        adiabatic = _choice(p, "thermal") == "adiabatic"
        h_T = cs.h(p.T)
        H_T = (rin * h_T).sum(axis=1)  # reactor inlet at T
        n0 = rin[:, ix]

        def composition(x):
            out = rin.copy()
            out[:, ix] += x[:, None] * nu
            return np.maximum(out, 0.0)

        # equilibrium: isothermal at T, adiabatic by Newton on the bed outlet temperature
        T_r = p.T.copy()
        x, _ = _wgs_extent(n0, equilibrium_constant(_WGS, T_r + p.dT_approach, cs))
        act = np.flatnonzero(adiabatic & (rin.sum(axis=1) > 0))
        lo, hi = np.full(act.size, 250.0), np.full(act.size, 3000.0)
        for _ in range(60):
            if act.size == 0:
                break
            Ta = T_r[act]
            Te = Ta + p.dT_approach[act]
            K = equilibrium_constant(_WGS, Te, cs)
            xa, dxdK = _wgs_extent(n0[act], K)
            na = rin[act]
            hT, cpT = cs.h(Ta), cs.cp(Ta)
            dH = hT[:, ix] @ nu
            g = (na * hT).sum(axis=1) + xa * dH - H_T[act]
            dH_e = cs.h(Te)[:, ix] @ nu  # reaction enthalpy at T + dT (van 't Hoff)
            dgdT = ((na * cpT).sum(axis=1) + xa * (cpT[:, ix] @ nu)
                    + dH * dxdK * K * dH_e / (R * Te**2))
            lo = np.where(g < 0, Ta, lo)
            hi = np.where(g > 0, Ta, hi)
            Tn = Ta - g / dgdT
            bad = ~((Tn > lo) & (Tn < hi)) | ~np.isfinite(Tn)
            Tn = np.where(bad, 0.5 * (lo + hi), Tn)
            T_r[act], x[act] = Tn, xa
            done = np.abs(Tn - Ta) < 1e-11 * Ta
            keep = ~done
            act, lo, hi = act[keep], lo[keep], hi[keep]
        if act.size:
            st.flag(np.isin(np.arange(n), act), "adiabatic shift: no convergence of T_out")
        ad = np.flatnonzero(adiabatic)
        x_eq = x.copy()
        if ad.size:  # the extent at the converged temperature
            x_eq[ad] = _wgs_extent(n0[ad], equilibrium_constant(
                _WGS, T_r[ad] + p.dT_approach[ad], cs))[0]
        x = x_eq
        target = _choice(p, "mode") == "h2_co"
        if target.any():
            r = p.h2_co
            tot = rin[:, ix] + byp[:, ix]
            xt = (r * tot[:, 0] - tot[:, 3]) / (1.0 + r)
            st.flag(target & (xt < -1e-12 * (tot[:, 0] + tot[:, 3])),
                  "target H2/CO is below the feed's: reverse shift is not modelled")
            st.flag(target & (xt > x_eq * (1 + 1e-12) + 1e-300),
                  "target H2/CO lies beyond the shift equilibrium")
            xt = np.clip(xt, 0.0, np.maximum(x_eq, 0.0))
            x = np.where(target, xt, x_eq)
            # adiabatic: bed outlet temperature for the target extent
            sel = target & adiabatic
            if sel.any():
                T_r[sel] = solve_T_for_H(cs, composition(x)[sel], H_T[sel], T_r[sel])
        rout = composition(x)
        flow = rout + byp
        T_out = T_r.copy()
        h_out = h_T.copy()  # isothermal without bypass: outlet at T
        has_b = p.bypass > 0
        if has_b.any():  # bypass mixed adiabatically after the reactor
            H_r = (rout[has_b] * cs.h(T_r[has_b])).sum(axis=1)
            T_out[has_b] = solve_T_for_H(cs, flow[has_b], H_r + p.bypass[has_b] * H_f[has_b],
                                         T_r[has_b])
        redo = has_b | adiabatic
        if redo.any():
            h_out[redo] = cs.h(T_out[redo])
        full_flow = np.zeros((n, len(full)))
        full_flow[:, cols] = flow
        out = Stream(full, full_flow, T_out, np.maximum(f.P - p.dP, 1.0), mix_origins([f, s]),
                     check=False)
        # adiabatic: = preheat of the reactor inlet to T (the bed itself is adiabatic)
        heat = (flow * h_out).sum(axis=1) - H_f - H_s
        co_in = n0[:, 0] + byp[:, ix[0]]  # CO of feed + steam
        dry = (rin * cs.is_gas).sum(axis=1) - n0[:, 1]  # dry reactor-inlet gas [mol/s]
        V = dry * V_STP * 3600.0 / p.ghsv
        design = {
            "co_conversion": np.divide(x, co_in, out=np.zeros(n), where=co_in > 0),
            "h2_co_out": np.divide(flow[:, ix[3]], flow[:, ix[0]], out=np.zeros(n),
                                   where=flow[:, ix[0]] > 0),
            "T_reactor_K": T_r, "T_out_K": T_out, "duty_W": heat, "volume_m3": V,
            "catalyst_volume_ft3": V / FT3_M3, "catalyst_kg": V * p.catalyst_density,
            "steam_to_co": np.divide(n0[:, 1], n0[:, 0], out=np.zeros(n), where=n0[:, 0] > 0),
        }
        util = _heat_utilities(heat)
        util["catalyst_kg"] = V * p.catalyst_density
        return UnitResult({"out": out}, heat, np.zeros(n), design, util, st.result())

    def build_pyomo(self, b, p, init) -> None:
        """Twin: extent of the shift in the reactor (feed minus bypass, plus steam) and the bed
        outlet temperature as variables. Mode equilibrium: (CO2)(H2) = K (CO)(H2O) at the bed
        outlet with K(T_reactor + dT_approach) = exp(-sum nu g0/RT) from the NASA-7 data;
        mode h2_co: outlet H2 = h2_co x CO (the core's clip of a target beyond equilibrium is
        not mirrored: those cases carry a status). Isothermal: bed at T; adiabatic: bed
        enthalpy = reactor inlet at T. The bypass is mixed adiabatically after the reactor;
        heat from the overall energy balance."""
        import pyomo.environ as pyo

        from ..eo.properties import nasa_h_expr, nasa_s0_expr

        u = pyo.units
        cs = b.config.property_package.cs
        F, S, O = b.sin("feed"), b.sin("steam"), b.sout("out")
        nu = {"CO": -1.0, "H2O": -1.0, "CO2": 1.0, "H2": 1.0}
        rin = {j: (1 - b.par["bypass"]) * F.flow_mol_comp[j] + S.flow_mol_comp[j] for j in cs.ids}
        co0 = float(init.inlets["feed"]["CO"][0] + init.inlets["steam"]["CO"][0])
        b.extent = pyo.Var(initialize=co0 - float(init.outlets["out"]["CO"][0]), units=u.mol / u.s,
                           doc="extent of CO + H2O = CO2 + H2 in the reactor [mol/s]")
        b.T_reactor = pyo.Var(initialize=float(init.design["T_reactor_K"]), bounds=(250.0, 3000.0),
                              units=u.K, doc="bed outlet temperature [K]")
        rout = {j: rin[j] + nu.get(j, 0.0) * b.extent for j in cs.ids}

        def H(flows, T):  # enthalpy flow [W] of ``flows`` at T [K] (NASA-7, as the streams)
            return sum(flows[j] * nasa_h_expr(cs, j, T / u.K) * u.J / u.mol for j in cs.ids)

        b.eq_flows = pyo.Constraint(b.comps, rule=lambda b, j: O.flow_mol_comp[j] == F.flow_mol_comp[j]
                                    + S.flow_mol_comp[j] + nu.get(j, 0.0) * b.extent,
                                    doc="stoichiometry of the shift (bypass and reactor together)")
        if p["mode"] == "equilibrium":
            Te = (b.T_reactor + b.pv("dT_approach")) / u.K
            g_RT = {j: nasa_h_expr(cs, j, Te) / (R * Te) - nasa_s0_expr(cs, j, Te) / R for j in nu}
            b.ln_K = pyo.Expression(expr=-sum(n * g_RT[j] for j, n in nu.items()),
                                    doc="ln K of the shift at T_reactor + dT_approach (NASA-7)")
            b.eq_reaction = pyo.Constraint(
                expr=rout["CO2"] * rout["H2"] == pyo.exp(b.ln_K) * rout["CO"] * rout["H2O"],
                doc="shift equilibrium at the bed outlet")
        else:
            b.eq_reaction = pyo.Constraint(expr=O.flow_mol_comp["H2"] == b.par["h2_co"] * O.flow_mol_comp["CO"],
                                           doc="outlet H2/CO = target")
        b.enth_reactor_out = pyo.Expression(expr=H(rout, b.T_reactor), doc="enthalpy flow out of the bed [W]")
        if p["thermal"] == "isothermal":
            b.eq_T_reactor = pyo.Constraint(expr=b.T_reactor == b.pv("T"), doc="isothermal bed at T")
        else:
            b.eq_T_reactor = pyo.Constraint(expr=b.enth_reactor_out == H(rin, b.pv("T")),
                                            doc="adiabatic bed: outlet enthalpy = reactor inlet at T")
        b.eq_mix = pyo.Constraint(expr=O.enth_flow == b.enth_reactor_out + b.par["bypass"] * F.enth_flow,
                                  doc="bypass mixed adiabatically after the bed")
        b.eq_P = pyo.Constraint(expr=O.pressure == F.pressure - b.pv("dP"), doc="pressure drop")
        b.power.fix(0.0)
        b.add_energy_balance()
        from .synthesis import eo_design

        dry = sum(rin[j] for i, j in enumerate(cs.ids) if cs.is_gas[i] and j != "H2O") / (u.mol / u.s)
        V = dry * (V_STP * 3600.0) / b.par["ghsv"]
        eo_design(b, {"volume_m3": V, "catalyst_volume_ft3": V / FT3_M3,
                      "catalyst_kg": V * b.par["catalyst_density"], "T_reactor_K": b.T_reactor / u.K},
                  doc="design results of the twin (as the core's, value in the unit of the key)")


# -- re-exports ------------------------------------------------------------------------------------

_FROM_CO2 = ("AcidGasRemoval", "CO2Compression", "AGR_TECH")


def __getattr__(name: str):
    """``from carbonhub.unitops.cleanup import AcidGasRemoval, CO2Compression, AGR_TECH`` keeps
    working: the units moved to :mod:`carbonhub.unitops.co2`, which imports the helpers of this
    module, so they are re-exported on first access (a plain ``from .co2 import ...`` here would
    make the two modules import each other in a cycle)."""
    if name in _FROM_CO2:
        from . import co2

        return getattr(co2, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
