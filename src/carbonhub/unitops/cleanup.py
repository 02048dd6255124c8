"""Syngas cleanup and conditioning: syngas cooler, water scrubber, sulphur removal, water-gas
shift, acid-gas removal (CO2 capture) and CO2 compression. All batched over cases.

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

import numpy as np

from ..core.stream import Stream, mix_origins, solve_T_for_H
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo import steam as props
from ..thermo.nasa7 import R
from ..thermo.reactions import equilibrium_constant

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
        Ps = p.P_steam
        Tsat = props.T_sat(Ps)
        st.flag(p.T_feedwater >= Tsat, "feedwater at or above the saturation temperature")
        h_fw = props.h_water(np.minimum(p.T_feedwater, Tsat - 0.01), Ps)
        h_f, h_g = props.h_sat_liquid(Ps), props.h_sat_vapour(Ps)
        sh = p.superheat >= 0.01  # below: saturated (CoolProp's T-P flash needs that margin)
        T_st = Tsat + p.superheat
        h_st = h_g.copy()
        if sh.any():
            h_st[sh] = props.h_water(np.minimum(T_st[sh], 1273.15), Ps[sh])
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
    ``sulphur_t_per_d``, ``sulphur_lb_per_h`` (size of ``ref.sulfur_recovery_claus_netl``).

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
    }
    costs = (Cost("ref.sulfur_recovery_claus_netl", "sulphur_lb_per_h"),)

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
                  "sulphur_lb_per_h": S_kg * 3600.0 / 0.45359237, "duty_W": q}
        return UnitResult({"out": out, "sulphur": sp}, q, np.zeros(n), design, util, st.result())


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


# -- acid-gas removal ------------------------------------------------------------------------------

AGR_TECH = {
    # h2s, cos: fractions removed; heat: reboiler [GJ/t CO2]; el: electricity [kWh/t CO2]
    "mea": {"h2s": 0.99, "cos": 0.0, "heat": 3.7, "el": 20.0},
    "mdea": {"h2s": 0.99, "cos": 0.0, "heat": 2.0, "el": 15.0},
    "selexol": {"h2s": 0.99, "cos": 0.5, "heat": 0.1, "el": 40.0},
    "rectisol": {"h2s": 0.9999, "cos": 0.9999, "heat": 0.3, "el": 60.0},
}
"""Technology defaults of :class:`AcidGasRemoval`. MEA reboiler heat 3.7 GJ/t CO2: 30 wt%
aqueous MEA is reported at 3.5-4.0 GJ/t (e.g. Abu-Zahra et al. 2007, Int. J. Greenh. Gas Control
1:37-46, doi:10.1016/S1750-5836(06)00007-7, base case 3.9 GJ/t; Knudsen et al. 2009, Energy
Procedia 1:783-790, doi:10.1016/j.egypro.2009.01.104, pilot 3.7 GJ/t; see also Rochelle 2009,
Science 325:1652, doi:10.1126/science.1176731). All other entries are typical values from the
gas-treating literature (Kohl & Nielsen 1997) that were NOT verified against a primary source in
this session: MDEA (activated, flash-assisted regeneration), Selexol and Rectisol (physical
solvents; electricity for solvent pumps, recycle compression and refrigeration)."""


class AcidGasRemoval(Unit):
    """Acid-gas removal / pre-combustion CO2 capture by split fractions and specific energy.

    Outlets: ``clean`` (treated gas), ``co2`` (the captured CO2, for compression and storage,
    saturated with water at ``T`` and ``P_co2`` as far as the feed holds water) and ``acid_gas``
    (the removed H2S and COS, e.g. to a Claus unit). ``co_absorption`` is the fraction of the
    other gases (H2, CO, CH4, N2, ...) leaving with the CO2. Liquids and solids stay in the clean
    gas. All outlets at ``T``; clean gas at the feed pressure minus ``dP``, the others at
    ``P_co2``. Energy: reboiler heat = specific heat x CO2 captured (``steam_heat_W``),
    electricity = specific electricity x CO2 captured (``power``); ``heat`` closes the stream
    balance and ``cooling_W`` = reboiler heat - ``heat`` (rejected to cooling water).
    Defaults per technology in ``AGR_TECH`` (-1 selects them).

    Design: ``co2_captured_t_per_h``, ``reboiler_duty_W``, ``specific_heat_GJ_per_t``,
    ``electricity_kW``, ``gas_flow_ft3_per_min`` (actual inlet gas, ideal gas; size of
    ``ref.acid_gas_removal_selexol_two_stage_netl``).

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["H2", "CO", "CO2", "H2O", "H2S"])
    >>> gas = Stream.from_flows(cs, {"H2": 50.0, "CO": 20.0, "CO2": 30.0, "H2O": 0.5, "H2S": 0.1},
    ...                         T=313.15, P=25e5)
    >>> u = AcidGasRemoval("agr", technology="mea")
    >>> r = u.run({"feed": gas}, u.resolve({}, 1))
    >>> round(float(r.outlets["co2"]["CO2"][0]), 3), round(float(r.design["specific_heat_GJ_per_t"][0]), 2)
    (27.0, 3.7)

    References
    ----------
    .. [1] Kohl, A.L., Nielsen, R.B. (1997). Gas Purification, 5th ed., ISBN 0-88415-220-0.
    .. [2] Abu-Zahra, M.R.M., Schneiders, L.H.J., Niederer, J.P.M., Feron, P.H.M., Versteeg, G.F.
       (2007). CO2 capture from power plants. Part I. Int. J. Greenh. Gas Control 1:37-46,
       doi:10.1016/S1750-5836(06)00007-7.
    """

    inlets = ("feed",)
    outlets = ("clean", "co2", "acid_gas")
    params = {
        "technology": Param("mea", "choice", doc="mea, mdea, selexol or rectisol",
                            choices=tuple(AGR_TECH)),
        "co2_capture": Param(0.90, "", 0.0, 1.0, "fraction of the feed CO2 captured [-]"),
        "h2s_removal": Param(-1.0, "", -1.0, 1.0, "fraction of H2S removed; -1: technology default"),
        "cos_removal": Param(-1.0, "", -1.0, 1.0, "fraction of COS removed; -1: technology default"),
        "co_absorption": Param(0.0, "", 0.0, 0.5, "fraction of other gases leaving with the CO2"),
        "reboiler_GJ_per_t": Param(-1.0, "GJ/t", -1.0, 20.0,
                                   "reboiler heat per t CO2 captured; -1: technology default"),
        "electricity_kWh_per_t": Param(-1.0, "kWh/t", -1.0, 2000.0,
                                       "electricity per t CO2 captured; -1: technology default"),
        "T": Param(313.15, "K", 274.0, 400.0, "temperature of all outlets [K]"),
        "P_co2": Param(1.5e5, "Pa", 1e4, 1e7, "pressure of the CO2 and acid-gas outlets [Pa]"),
        "dP": Param(0.0, "Pa", 0.0, 1e7, "clean-gas pressure drop [Pa]"),
    }
    costs = (Cost("ref.acid_gas_removal_selexol_two_stage_netl", "gas_flow_ft3_per_min"),)

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs, n, st = s.cs, p.n, _Status(p.n)
        (ic,) = _need(cs, ["CO2"], f"{self.id} (AcidGasRemoval)")
        tech = _choice(p, "technology")
        to_co2 = np.where(cs.is_gas, 1.0, 0.0)[None, :] * p.co_absorption[:, None]
        to_acid = np.zeros((n, len(cs)))
        to_co2[:, ic] = p.co2_capture
        for cid, key, val in (("H2S", "h2s", p.h2s_removal), ("COS", "cos", p.cos_removal)):
            if cid in cs:
                to_acid[:, cs.index(cid)] = _by_tech(val, tech, AGR_TECH, key)
                to_co2[:, cs.index(cid)] = 0.0
        iw = _idx(cs, "H2O")
        if iw is not None:
            to_co2[:, iw] = 0.0
        co2 = s.flow * to_co2
        acid = s.flow * to_acid
        if iw is not None:  # CO2 product saturated with water (as far as the feed has water)
            cap, boils = _water_capacity(co2, cs, p.T, p.P_co2, iw)
            st.flag(boils, "water boils at T and P_co2")
            co2[:, iw] = np.minimum(s.flow[:, iw], np.where(boils, 0.0, cap))
        clean = s.flow - co2 - acid
        T = p.T
        o_clean = Stream(cs, np.maximum(clean, 0.0), T.copy(), np.maximum(s.P - p.dP, 1.0), s.origin,
                         check=False)
        o_co2 = Stream(cs, co2, T.copy(), p.P_co2.copy(), s.origin, check=False)
        o_acid = Stream(cs, acid, T.copy(), p.P_co2.copy(), s.origin, check=False)
        kg = co2[:, ic] * cs.molar_mass[ic]
        q_reb = _by_tech(p.reboiler_GJ_per_t, tech, AGR_TECH, "heat") * 1e6 * kg
        w_el = _by_tech(p.electricity_kWh_per_t, tech, AGR_TECH, "el") * 3600.0 * kg
        heat = o_clean.enthalpy + o_co2.enthalpy + o_acid.enthalpy - s.enthalpy - w_el
        steam = np.maximum(q_reb, heat)
        Q = (s.flow * cs.is_gas).sum(axis=1) * R * s.T / s.P
        design = {"co2_captured_t_per_h": kg * 3.6, "reboiler_duty_W": q_reb,
                  "specific_heat_GJ_per_t": np.divide(q_reb, kg * 1e6, out=np.zeros(n), where=kg > 0),
                  "electricity_kW": w_el / 1e3, "gas_flow_ft3_per_min": Q / FT3_M3 * 60.0,
                  "duty_W": heat}
        util = {"steam_heat_W": steam, "cooling_W": steam - heat, "electricity_W": w_el}
        return UnitResult({"clean": o_clean, "co2": o_co2, "acid_gas": o_acid}, heat, w_el, design,
                          util, st.result())


# -- CO2 compression -------------------------------------------------------------------------------

class CO2Compression(Unit):
    """Multistage intercooled compression of CO2 to pipeline pressure (real gas, CoolProp).

    ``n_stages`` = ceil(ln(P_out/P_in) / ln(max_stage_ratio)) with equal pressure ratios. Each
    stage: isentropic outlet from Span & Wagner (CoolProp), actual enthalpy rise
    (h2s - h1)/``eta_isentropic``; discharge temperature to first order,
    T2 = T2s + (h2 - h2s)/cp(T2s). The gas is intercooled to ``T_intercool`` after every stage
    but the last and aftercooled to ``T_out``. The compression work per mole is that of pure CO2
    and is applied to all gas moles (impurities mole for mole: a simplification fit for CO2 of
    >~95 % purity). With ``water_knockout = "yes"`` liquid water and water above saturation
    (y_w = P_sat(T)/P, IAPWS-95) leave through ``condensate`` (as ``H2O(L)`` at ``T_intercool``)
    at the suction drum and after every cooler. A stage whose suction would be liquid CO2 (an
    intercooler below the critical temperature at a pressure above the vapour pressure) gets a
    status.

    Energy: ``power`` is the real-gas shaft power from CoolProp enthalpies; the stream balance
    uses ideal-gas NASA-7 enthalpies, and ``heat`` = sum H_out - H_in - power closes it exactly,
    so the real-gas departure (the residual enthalpy of dense CO2, which the ideal-gas streams do
    not carry) ends up in ``heat``: for pure CO2 cooled back to its inlet temperature,
    ``heat`` = -power. The physical cooling-water duty is reported separately,
    ``cooling_W`` = ``cooling_duty_W`` = -heat + ``real_gas_departure_W`` with the departure
    = H_res(in) - H_res(out), H_res the residual enthalpy of the gas as CO2 (Span & Wagner).
    Utilities: ``electricity_W`` = power / ``eta_drive``, ``cooling_W``. Design: ``power_kW``
    (electric; size of ``ref.co2_compression_drying_netl``), ``shaft_power_kW``, ``n_stages``,
    ``stage_pressure_ratio``, ``T_discharge_max_K``, ``cooling_duty_W``,
    ``real_gas_departure_W``, ``specific_work_kWh_per_t`` (electric, per t CO2 fed).

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["CO2", "H2O", "H2O(L)", "N2"])
    >>> co2 = Stream.from_flows(cs, {"CO2": 1000.0, "H2O": 20.0, "N2": 5.0}, T=313.15, P=1.5e5)
    >>> u = CO2Compression("comp", P_out=110e5)
    >>> r = u.run({"feed": co2}, u.resolve({}, 1))
    >>> int(r.design["n_stages"][0]), round(float(r.design["specific_work_kWh_per_t"][0]), 1)
    (4, 94.3)

    References
    ----------
    .. [1] Span, R., Wagner, W. (1996). J. Phys. Chem. Ref. Data 25:1509, doi:10.1063/1.555991.
    .. [2] McCollum, D.L., Ogden, J.M. (2006). Techno-Economic Models for Carbon Dioxide
       Compression, Transport, and Storage. Institute of Transportation Studies, UC Davis,
       UCD-ITS-RR-06-14.
    """

    inlets = ("feed",)
    outlets = ("out", "condensate")
    params = {
        "P_out": Param(1.1e7, "Pa", 1e5, 3e7, "delivery (pipeline) pressure [Pa]"),
        "eta_isentropic": Param(0.80, "", 0.3, 1.0, "isentropic efficiency of every stage [-]"),
        "max_stage_ratio": Param(3.0, "", 1.1, 10.0, "largest pressure ratio per stage [-]"),
        "T_intercool": Param(313.15, "K", 274.0, 400.0, "gas temperature after intercoolers [K]"),
        "T_out": Param(313.15, "K", 274.0, 400.0, "delivery temperature after the aftercooler [K]"),
        "eta_drive": Param(1.0, "", 0.5, 1.0, "drive efficiency, electricity to shaft [-]"),
        "water_knockout": Param("yes", "choice", doc="remove condensed water after each cooler",
                                choices=("yes", "no")),
    }
    costs = (Cost("ref.co2_compression_drying_netl", "power_kW"),)

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs, n, st = s.cs, p.n, _Status(p.n)
        (ic,) = _need(cs, ["CO2"], f"{self.id} (CO2Compression)")
        iw, il = _idx(cs, "H2O"), _idx(cs, "H2O(L)")
        knock = _choice(p, "water_knockout") == "yes"
        if knock.any() and iw is not None and il is None:
            raise ValueError(f"{self.id} (CO2Compression): water knock-out needs H2O(L) in the "
                             "component set")
        flow = s.flow.copy()
        cond = np.zeros_like(flow)

        def knockout(T, P):
            if il is not None:
                liq = np.where(knock, flow[:, il], 0.0)
                flow[:, il] -= liq
                cond[:, il] += liq
            if iw is not None and il is not None:
                cap, _ = _water_capacity(flow, cs, T, P, iw)
                ex = np.where(knock, np.maximum(flow[:, iw] - cap, 0.0), 0.0)
                flow[:, iw] -= ex
                cond[:, il] += ex

        P_in = s.P
        ratio = np.maximum(p.P_out / P_in, 1.0)
        nst = np.where(ratio > 1.0, np.ceil(np.log(ratio) / np.log(p.max_stage_ratio) - 1e-9), 0)
        nst = np.maximum(nst, (ratio > 1.0).astype(float)).astype(int)
        r = ratio ** (1.0 / np.maximum(nst, 1))
        knockout(s.T, P_in)
        w_shaft = np.zeros(n)
        T_dis = s.T.copy()
        ok_T = (s.T >= props.T_TRIPLE_CO2) & (s.T <= 1100.0)
        st.flag(~ok_T, "feed temperature outside the range of the CO2 equation of state")
        for k in range(int(nst.max(initial=0))):
            P1, P2 = P_in * r**k, P_in * r ** (k + 1)
            T1 = s.T if k == 0 else p.T_intercool
            liquid = T1 < props.T_CRIT_CO2
            if liquid.any():
                liquid[liquid] = P1[liquid] >= props.P_sat_co2(np.maximum(T1[liquid], 216.6))
            st.flag((k < nst) & liquid, f"CO2 is liquid at the suction of stage {k + 1}")
            a = np.flatnonzero((k < nst) & ~liquid & ok_T)
            if a.size:
                h1, T2s, h2s, cp2 = props.isentropic_co2(T1[a], P1[a], P2[a])
                dh = (h2s - h1) / p.eta_isentropic[a]
                w_shaft[a] += (flow[a] * cs.is_gas).sum(axis=1) * dh * props.M_CO2
                T_dis[a] = np.maximum(T_dis[a], T2s + (dh - (h2s - h1)) / cp2)
            last = k == nst - 1
            mid = (k < nst) & ~last
            if mid.any():  # intercooler + knock-out (only the cases still compressing)
                keep = flow.copy(), cond.copy()
                knockout(p.T_intercool, P2)
                flow[~mid], cond[~mid] = keep[0][~mid], keep[1][~mid]
        P_fin = np.where(nst > 0, P_in * r ** nst, P_in)
        knockout(p.T_out, P_fin)
        out = Stream(cs, flow, p.T_out.copy(), P_fin, s.origin, check=False)
        c = Stream(cs, cond, np.where(nst > 0, p.T_intercool, p.T_out), P_in.copy(), s.origin,
                   check=False)
        heat = out.enthalpy + c.enthalpy - s.enthalpy - w_shaft
        # real cooling duty = -heat + H_res(in) - H_res(out), H_res = residual enthalpy of the
        # gas as CO2 (real minus ideal gas at the same T; ideal gas taken at 100 Pa)
        dep = np.zeros(n)
        a = np.flatnonzero(ok_T & (nst > 0))
        if a.size:
            def h_res(T, P, moles):
                return moles * props.M_CO2 * (props.h_co2(T, P) - props.h_co2(T, 100.0))

            g_in = (s.flow[a] * cs.is_gas).sum(axis=1)
            g_out = (flow[a] * cs.is_gas).sum(axis=1)
            dep[a] = h_res(s.T[a], P_in[a], g_in) - h_res(p.T_out[a], P_fin[a], g_out)
        w_el = w_shaft / p.eta_drive
        t_co2 = s.flow[:, ic] * cs.molar_mass[ic] * 3.6  # t/h
        design = {"power_kW": w_el / 1e3, "shaft_power_kW": w_shaft / 1e3,
                  "n_stages": nst.astype(float), "stage_pressure_ratio": r,
                  "T_discharge_max_K": T_dis, "cooling_duty_W": -heat + dep,
                  "real_gas_departure_W": dep,
                  "specific_work_kWh_per_t": np.divide(w_el / 1e3, t_co2, out=np.zeros(n),
                                                       where=t_co2 > 0)}
        util = {"electricity_W": w_el, "cooling_W": np.maximum(-heat + dep, 0.0),
                "steam_heat_W": np.maximum(heat - dep, 0.0)}
        return UnitResult({"out": out, "condensate": c}, heat, w_shaft, design, util, st.result())
