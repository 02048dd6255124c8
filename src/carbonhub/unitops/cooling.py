"""Syngas cooling and scrubbing: a syngas cooler raising steam and a water scrubber (sulphur
removal: :mod:`~carbonhub.unitops.sulphur`, water-gas shift: :mod:`~carbonhub.unitops.shift`,
CO2 capture and compression: :mod:`~carbonhub.unitops.co2`). All batched over cases, each unit with its equation-oriented twin
(``build_pyomo``) next to its numpy ``run``.

Conventions shared by the units of this module

* Real-fluid properties (steam raised, water saturation, CO2 compression) come from
  :mod:`carbonhub.thermo.steam` (CoolProp: IAPWS-95, Span & Wagner); the material streams keep
  the ideal-gas NASA-7 enthalpy of :class:`~carbonhub.core.stream.Stream`. Every unit closes
  ``sum H_in + heat + power = sum H_out`` exactly with the stream enthalpies: ``heat`` is
  computed from that balance once the outlets are fixed.
* A parameter whose default depends on a technology choice (the tables ``SULPHUR_TECH`` and
  ``AGR_TECH``) gets that default resolved per case (``Flowsheet.parameters()`` shows it and
  its source); a value set by the user replaces it, ``reset`` returns to it.
* A physically infeasible case (temperature cross, gas below its dew point, target beyond
  equilibrium, CO2 liquid at a compressor suction) returns a ``status`` reason; its numbers are
  still balanced but must not be used.
* Twins (``build_pyomo``) reproduce ``run`` at the core solution of the case: the branch of
  every ``min``/``where`` (which of two limits binds, number of compressor stages) is frozen there; water saturation uses the IAPWS-95-calibrated Wagner-Pruss
  equation (``psat_twin``); property values of real fluids that depend on parameters only
  (steam enthalpies, CO2 isentropic enthalpy rises) are evaluated once with CoolProp at the case.

References
----------
.. [1] Higman, C., van der Burgt, M. (2008). Gasification, 2nd ed., Gulf Professional
   Publishing, ISBN 978-0-7506-8528-3 (syngas cooling, scrubbing, shift, acid-gas removal).
.. [2] Kohl, A.L., Nielsen, R.B. (1997). Gas Purification, 5th ed., Gulf Publishing,
   ISBN 0-88415-220-0 (alkanolamines, physical solvents, sulphur recovery).
"""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream, mix_origins, solve_T_for_H
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo import steam as props
from ..thermo.engine import use_numba
from ..thermo.nasa7 import R
from ..twin.helpers import gas_flow_m3_s, heated_outlet, saturated
from ..twin.saturation import psat_twin
from ._common import BTU_J, HOUR, Status, duty_utilities, index_of, lmtd, need, water_capacity
from ..thermo.rowdot import rowsum

__all__ = ["SyngasCooler", "Scrubber"]



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


def cooler_gas_side(s: Stream, T_out: np.ndarray, dh_steam: np.ndarray, dh_super: np.ndarray,
                    dh_evap: np.ndarray, engine: str = "auto") -> tuple[np.ndarray, ...]:
    """Gas side of :class:`SyngasCooler`: (q [W] released by the gas cooled from its T to
    ``T_out``, steam raised [kg/s] = max(q, 0) / ``dh_steam``, superheater and evaporator duties
    [W] (steam x ``dh_super``, steam x ``dh_evap``), gas temperature [K] leaving the superheater
    and leaving the evaporator) per case; the steam side's enthalpy differences [J/kg] are
    given. ``engine``: "auto" (compiled per case,
    :func:`carbonhub.unitops._unit_kernels.cooler_gas_side`, unless ``CARBONHUB_NUMBA=0``),
    "numba" or "numpy" (the reference below)."""
    cs = s.cs
    if use_numba(engine):
        from ._unit_kernels import cooler_gas_side as kernel

        a = np.ascontiguousarray
        with np.errstate(all="ignore"):
            return kernel(a(s.flow), a(s.T), a(T_out, dtype=float), a(dh_steam, dtype=float),
                          a(dh_super, dtype=float), a(dh_evap, dtype=float), cs.low, cs.high, cs.tmid, R)
    H_in = s.enthalpy
    q = H_in - s.enthalpy_at(T_out)
    m = np.maximum(q, 0.0) / dh_steam
    q_sh, q_ev = m * dh_super, m * dh_evap
    T1 = solve_T_for_H(cs, s.flow, H_in - q_sh, s.T)
    T2 = solve_T_for_H(cs, s.flow, H_in - q_sh - q_ev, T1)
    return q, m, q_sh, q_ev, T1, T2


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
    narrow_adds = ()  # creates no component (core.narrow)

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs, n, st = s.cs, p.n, Status(p.n)
        out = Stream(cs, s.flow, p.T_out.copy(), np.maximum(s.P - p.dP, 1.0), s.origin, check=False)
        st.flag(p.T_out >= s.T, "T_out is not below the inlet temperature: nothing to cool")
        iw = index_of(cs, "H2O")
        if iw is not None:
            cap, _ = water_capacity(out.flow, cs, out.T, out.P, iw)
            st.flag((out.T < props.T_CRIT_WATER) & (out.flow[:, iw] > cap),
                  "T_out is below the water dew point of the gas (use a Scrubber to condense)")
        Tsat, T_st, h_fw, h_f, h_g, h_st = _steam_side(p.P_steam, p.T_feedwater, p.superheat)
        st.flag(p.T_feedwater >= Tsat, "feedwater at or above the saturation temperature")
        # q released by the gas [W], steam m [kg/s], gas leaving the superheater (T1) and the
        # evaporator (T2)
        q, m, q_sh, q_ev, T1, T2 = cooler_gas_side(s, p.T_out, h_st - h_fw, h_st - h_g, h_g - h_f)
        qp = np.maximum(q, 0.0)
        q_ec = qp - q_sh - q_ev
        d = [s.T - T_st, T1 - Tsat, T2 - Tsat, out.T - np.minimum(p.T_feedwater, Tsat)]
        pinch = np.minimum.reduce(d)
        st.flag(pinch < p.dT_min, lambda i: [
            f"pinch: gas comes within {pinch[k]:.1f} K of the water side (dT_min = {p.dT_min[k]:g} K);"
            f" lower P_steam or raise T_out" for k in i])
        ua = (q_sh / lmtd(d[0], d[1]) + q_ev / lmtd(d[1], d[2]) + q_ec / lmtd(d[2], d[3]))
        design = {"duty_W": q, "duty_MMBtu_per_h": qp * HOUR / BTU_J / 1e6, "area_m2": ua / p.U,
                  "steam_raised_kg_s": m, "T_sat_K": Tsat, "dT_pinch_K": pinch}
        util = {"steam_raised_W": qp, "steam_raised_kg_s": m}
        return UnitResult({"out": out}, -q, np.zeros(n), design, util, st.result())

    def build_pyomo(self, b, p, init) -> None:
        """Twin: gas at T_out and P - dP, flows unchanged, heat from the energy balance; the steam
        raised follows the duty, its specific enthalpy rise (IAPWS-95) evaluated at the case's
        P_steam, T_feedwater and superheat (fixed: it does not follow if those are freed)."""
        import pyomo.environ as pyo

        u = pyo.units
        heated_outlet(b, "T_out", "gas-side pressure drop")
        *_, h_fw, _, _, h_st = _steam_side(*(np.array([float(p[k])])
                                             for k in ("P_steam", "T_feedwater", "superheat")))
        b.dh_steam = pyo.Param(initialize=float(h_st[0] - h_fw[0]), units=u.J / u.kg,
                               doc="enthalpy rise feedwater -> steam (IAPWS-95, at the case) [J/kg]")
        b.steam_raised = pyo.Var(initialize=float(init.design["steam_raised_kg_s"]), units=u.kg / u.s,
                                 doc="steam raised [kg/s]")
        duty = -b.heat if init.heat <= 0 else 0.0 * u.W  # a heated gas raises no steam (core: max)
        b.eq_steam = pyo.Constraint(expr=b.steam_raised * b.dh_steam == duty,
                                    doc="steam raised x enthalpy rise = heat released by the gas")
        from ..twin.helpers import eo_design

        eo_design(b, {"duty_W": -b.heat / u.W, "duty_MMBtu_per_h": duty / u.W * (HOUR / BTU_J / 1e6),
                      "steam_raised_kg_s": b.steam_raised / (u.kg / u.s)},
                  doc="design results of the twin (as the core's, value in the unit of the key)")


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
    narrow_adds = ("H2O", "H2O(L)")  # water evaporates into the gas or condenses (core.narrow)

    def run(self, ins, p) -> UnitResult:
        g, w = ins["gas"], ins["water"]
        cs, n, st = g.cs, p.n, Status(p.n)
        iw, il = need(cs, ["H2O", "H2O(L)"], f"{self.id} (Scrubber)")
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
        cap, boils = water_capacity(gas, cs, p.T_out, P_out, iw)
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
        Q = rowsum(g.flow * cs.is_gas) * R * g.T / g.P  # actual inlet gas flow [m3/s]
        D = np.sqrt(4.0 * Q / (np.pi * p.u_gas))
        design = {"duty_W": q, "gas_flow_m3_s": Q, "diameter_m": D,
                  "volume_m3": np.pi / 4.0 * D**2 * p.L_over_D * D,
                  "gas_flow_kmol_per_h": rowsum(g.flow * cs.is_gas) * 3.6,
                  "water_condensed_mol_s": g.flow[:, iw] - vap}
        return UnitResult({"gas": out_g, "wastewater": out_w}, q, np.zeros(n), design,
                          duty_utilities(q), st.result())

    def build_pyomo(self, b, p, init) -> None:
        """Twin: removal fractions to the wastewater, the gas saturated with water at T_out
        (P_sat: :func:`psat_twin`), the rest of the water liquid; both outlets at T_out and
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
            saturated(b, "eq_saturation", fg["H2O"], dry, og.pressure,
                       psat_twin(b, "T_out", b.pv("T_out"), float(p["T_out"])),
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
        from ..twin.helpers import eo_design

        Q = gas_flow_m3_s(g, cs)
        D = pyo.sqrt(4.0 * Q / (np.pi * b.par["u_gas"]))
        eo_design(b, {"duty_W": b.heat / pyo.units.W, "gas_flow_m3_s": Q, "diameter_m": D,
                      "volume_m3": np.pi / 4.0 * D**3 * b.par["L_over_D"]},
                  doc="design results of the twin (as the core's, value in the unit of the key)")
