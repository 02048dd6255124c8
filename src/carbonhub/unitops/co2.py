"""CO2 capture and conditioning: acid-gas removal (pre-combustion CO2 capture, H2S/COS removal)
and multistage intercooled CO2 compression to pipeline pressure. Both batched over cases, with
their equation-oriented twins (``build_pyomo``) next to their numpy ``run``.

The conventions of :mod:`carbonhub.unitops.cooling` apply here too (ideal-gas NASA-7 streams,
real-fluid properties from :mod:`carbonhub.thermo.steam`, ``heat`` closing the stream balance,
technology defaults resolved per case, a ``status`` reason for infeasible cases).

Example
-------
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> from carbonhub.unitops.co2 import AcidGasRemoval
>>> cs = ComponentSet.from_ids(["H2", "CO", "CO2", "H2O", "H2S"])
>>> gas = Stream.from_flows(cs, {"H2": 50.0, "CO": 20.0, "CO2": 30.0, "H2O": 0.5, "H2S": 0.1},
...                         T=313.15, P=25e5)
>>> u = AcidGasRemoval("agr", technology="selexol", co2_capture=0.95)
>>> r = u.run({"feed": gas}, u.resolve({}, 1))
>>> round(float(r.outlets["co2"]["CO2"][0]), 2), round(float(r.outlets["acid_gas"]["H2S"][0]), 3)
(28.5, 0.099)
"""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo import steam as props
from ..thermo.engine import use_numba
from ..thermo.nasa7 import R
from ..twin.helpers import gas_flow_m3_s, saturated
from ..twin.saturation import psat_twin
from ._common import (FT3_M3, HOUR, Status, choice_array, index_of, kernel_array, need, tech_default,
                      water_capacity)
from ..thermo.rowdot import rowsum

__all__ = ["AcidGasRemoval", "CO2Compression", "AGR_TECH"]


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
    ``ref.acid_gas_removal_selexol_two_stage_netl``, the block of the physical solvents
    selexol and rectisol), ``gas_flow_kmol_per_h`` (inlet gas; size of
    ``ref.acid_gas_removal_amine``, the block of the amines mea and mdea).

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
        "h2s_removal": Param(tech_default(AGR_TECH, "h2s", "unitops.co2.AGR_TECH"), "", 0.0, 1.0,
                             "fraction of H2S removed (default: the technology's)"),
        "cos_removal": Param(tech_default(AGR_TECH, "cos", "unitops.co2.AGR_TECH"), "", 0.0, 1.0,
                             "fraction of COS removed (default: the technology's)"),
        "co_absorption": Param(0.0, "", 0.0, 0.5, "fraction of other gases leaving with the CO2"),
        "reboiler_GJ_per_t": Param(tech_default(AGR_TECH, "heat", "unitops.co2.AGR_TECH"), "GJ/t", 0.0, 20.0,
                                   "reboiler heat per t CO2 captured (default: the technology's)"),
        "electricity_kWh_per_t": Param(tech_default(AGR_TECH, "el", "unitops.co2.AGR_TECH"), "kWh/t", 0.0, 2000.0,
                                       "electricity per t CO2 captured (default: the technology's)"),
        "T": Param(313.15, "K", 274.0, 400.0, "temperature of all outlets [K]"),
        "P_co2": Param(1.5e5, "Pa", 1e4, 1e7, "pressure of the CO2 and acid-gas outlets [Pa]"),
        "dP": Param(0.0, "Pa", 0.0, 1e7, "clean-gas pressure drop [Pa]"),
    }
    costs = (Cost("ref.acid_gas_removal_selexol_two_stage_netl", "gas_flow_ft3_per_min",
                  when=("technology", ("selexol", "rectisol"))),
             Cost("ref.acid_gas_removal_amine", "gas_flow_kmol_per_h",
                  when=("technology", ("mea", "mdea"))))
    narrow_adds = ("CO2",)  # creates none; CO2 is read by id (core.narrow)

    def run(self, ins, p) -> UnitResult:
        return self.split(ins, p)

    def split(self, ins, p, engine: str = "auto") -> UnitResult:
        """``run`` with the engine of its (n, k) row work: "auto" (the split, water and enthalpy
        flows compiled per case, :func:`carbonhub.unitops._unit_kernels.acid_gas_split`, unless
        ``CARBONHUB_NUMBA=0``) or "numpy" (the reference); the same bits
        (tests/unitops/test_agr_kernel.py)."""
        s = ins["feed"]
        cs, n, st = s.cs, p.n, Status(p.n)
        (ic,) = need(cs, ["CO2"], f"{self.id} (AcidGasRemoval)")
        to_co2 = np.where(cs.is_gas, 1.0, 0.0)[None, :] * p.co_absorption[:, None]
        to_acid = np.zeros((n, len(cs)))
        to_co2[:, ic] = p.co2_capture
        for cid, val in (("H2S", p.h2s_removal), ("COS", p.cos_removal)):
            if cid in cs:
                to_acid[:, cs.index(cid)] = val
                to_co2[:, cs.index(cid)] = 0.0
        iw = index_of(cs, "H2O")
        if iw is not None:
            to_co2[:, iw] = 0.0
        if use_numba(engine):
            from ._unit_kernels import acid_gas_split

            ratio, boils = np.zeros(n), np.zeros(n, dtype=bool)
            if iw is not None:  # the capacity per mol of dry gas, y/(1 - y): of one mol of CO2
                one = np.zeros((1, len(cs)))
                one[0, ic] = 1.0
                ratio, boils = water_capacity(one, cs, p.T, p.P_co2, iw)
                st.flag(boils, "water boils at T and P_co2")

            c = kernel_array
            clean, co2, acid, *H, gas = acid_gas_split(
                c(s.flow, (n, len(cs))), c(s.T, (n,)), c(p.T, (n,)), to_co2, to_acid,
                -1 if iw is None else iw, c(ratio, (n,)), c(boils, (n,), bool), cs.is_gas, cs.low,
                cs.high, cs.tmid, R)
            return self._finish(s, p, st, ic, clean, co2, acid, H, gas)
        co2 = s.flow * to_co2
        acid = s.flow * to_acid
        if iw is not None:  # CO2 product saturated with water (as far as the feed has water)
            cap, boils = water_capacity(co2, cs, p.T, p.P_co2, iw)
            st.flag(boils, "water boils at T and P_co2")
            co2[:, iw] = np.minimum(s.flow[:, iw], np.where(boils, 0.0, cap))
        clean = np.maximum(s.flow - co2 - acid, 0.0)
        return self._finish(s, p, st, ic, clean, co2, acid, None, rowsum(s.flow * cs.is_gas))

    def _finish(self, s, p, st, ic, clean, co2, acid, H, gas) -> UnitResult:
        """Outlets, heat, design and utilities from the split (``H``: the enthalpy flows of
        clean, CO2, acid gas and feed, or None: evaluated from the streams)."""
        cs, n = s.cs, p.n
        T = p.T
        o_clean = Stream(cs, clean, T.copy(), np.maximum(s.P - p.dP, 1.0), s.origin, check=False)
        o_co2 = Stream(cs, co2, T.copy(), p.P_co2.copy(), s.origin, check=False)
        o_acid = Stream(cs, acid, T.copy(), p.P_co2.copy(), s.origin, check=False)
        kg = co2[:, ic] * cs.molar_mass[ic]
        q_reb = p.reboiler_GJ_per_t * 1e6 * kg
        w_el = p.electricity_kWh_per_t * HOUR * kg
        Hc, Hq, Ha, Hs = H if H is not None else (o_clean.enthalpy, o_co2.enthalpy, o_acid.enthalpy, s.enthalpy)
        heat = Hc + Hq + Ha - Hs - w_el
        steam = np.maximum(q_reb, heat)
        Q = gas * R * s.T / s.P
        design = {"co2_captured_t_per_h": kg * 3.6, "reboiler_duty_W": q_reb,
                  "specific_heat_GJ_per_t": np.divide(q_reb, kg * 1e6, out=np.zeros(n), where=kg > 0),
                  "electricity_kW": w_el / 1e3, "gas_flow_ft3_per_min": Q / FT3_M3 * 60.0,
                  "gas_flow_kmol_per_h": gas * 3.6, "duty_W": heat}
        util = {"steam_heat_W": steam, "cooling_W": steam - heat, "electricity_W": w_el}
        return UnitResult({"clean": o_clean, "co2": o_co2, "acid_gas": o_acid}, heat, w_el, design,
                          util, st.result())

    def build_pyomo(self, b, p, init) -> None:
        """Twin: split fractions to the CO2 and acid-gas outlets, the rest clean; the CO2 takes
        water up to saturation at T and P_co2 (P_sat: :func:`~carbonhub.twin.saturation.psat_twin`)
        or all of the feed's, whichever is less (the branch is frozen at the case); all outlets
        at T; power = specific electricity x CO2 captured; heat from the energy balance; the
        reboiler duty as an expression (``reboiler_duty``)."""
        import pyomo.environ as pyo

        u = pyo.units
        pp = b.config.property_package
        cs = pp.cs
        F, C, Q, A = b.sin("feed"), b.sout("clean"), b.sout("co2"), b.sout("acid_gas")
        f, c, q, a = (s.flow_mol_comp for s in (F, C, Q, A))
        to_co2 = {j: (b.par["co_absorption"] if cs.is_gas[i] else 0.0) for i, j in enumerate(cs.ids)}
        to_co2["CO2"] = b.par["co2_capture"]
        to_acid = {j: 0.0 for j in cs.ids}
        for j, key in (("H2S", "h2s"), ("COS", "cos")):
            if j in cs:
                to_acid[j], to_co2[j] = b.pv(f"{key}_removal"), 0.0
        b.eq_co2 = pyo.Constraint([j for j in cs.ids if j != "H2O"], doc="fractions to the CO2 outlet",
                                  rule=lambda b, j: q[j] == to_co2[j] * f[j])
        b.eq_acid = pyo.Constraint(b.comps, rule=lambda b, j: a[j] == to_acid[j] * f[j],
                                   doc="fractions to the acid-gas outlet")
        b.eq_clean = pyo.Constraint(b.comps, rule=lambda b, j: c[j] == f[j] - q[j] - a[j],
                                    doc="the rest is clean gas")
        if "H2O" in cs:
            w0, f0 = float(init.outlets["co2"]["H2O"][0]), float(init.inlets["feed"]["H2O"][0])
            T0 = min(max(float(p["T"]), props.T_TRIPLE_WATER), props.T_CRIT_WATER)
            if w0 >= f0:
                b.eq_co2_water = pyo.Constraint(expr=q["H2O"] == f["H2O"],
                                                doc="all of the feed's water (below saturation)")
            elif float(props.P_sat(T0)) >= float(p["P_co2"]):
                b.eq_co2_water = pyo.Constraint(expr=q["H2O"] == 0,
                                                doc="no water: it boils at T and P_co2 (as the core)")
            else:
                dry = sum(q[j] for i, j in enumerate(cs.ids) if cs.is_gas[i] and j != "H2O")
                saturated(b, "eq_co2_water", q["H2O"], dry, Q.pressure,
                           psat_twin(b, "T", b.pv("T"), float(p["T"])),
                           "CO2 product saturated with water at T and P_co2")
        for k, o in (("clean", C), ("co2", Q), ("acid_gas", A)):
            b.add_component(f"eq_T_{k}", pyo.Constraint(expr=o.temperature == b.pv("T"), doc=f"{k} at T"))
            P = F.pressure - b.pv("dP") if k == "clean" else b.pv("P_co2")
            b.add_component(f"eq_P_{k}", pyo.Constraint(expr=o.pressure == P, doc=f"{k} pressure"))
        kg = q["CO2"] * pp.mw["CO2"]  # CO2 captured [kg/s]
        el = b.pv("electricity_kWh_per_t")
        reb = b.pv("reboiler_GJ_per_t")
        b.eq_power = pyo.Constraint(expr=b.power == u.convert(el * kg, to_units=u.W),
                                    doc="electricity = specific electricity x CO2 captured")
        b.reboiler_duty = pyo.Expression(expr=u.convert(reb * kg, to_units=u.W),
                                         doc="reboiler heat = specific heat x CO2 captured [W]")
        b.add_energy_balance()
        from ..twin.helpers import eo_design

        eo_design(b, {"co2_captured_t_per_h": kg / (u.kg / u.s) * 3.6,
                      "reboiler_duty_W": b.reboiler_duty / u.W, "electricity_kW": b.power / u.W / 1e3,
                      "gas_flow_ft3_per_min": gas_flow_m3_s(F, cs) / FT3_M3 * 60.0,
                      "gas_flow_kmol_per_h": sum(f[j] for i, j in enumerate(cs.ids) if cs.is_gas[i])
                      / (u.mol / u.s) * 3.6, "duty_W": b.heat / u.W},
                  doc="design results of the twin (as the core's, value in the unit of the key)")

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
        cs, n, st = s.cs, p.n, Status(p.n)
        (ic,) = need(cs, ["CO2"], f"{self.id} (CO2Compression)")
        iw, il = index_of(cs, "H2O"), index_of(cs, "H2O(L)")
        knock = choice_array(p, "water_knockout") == "yes"
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
                cap, _ = water_capacity(flow, cs, T, P, iw)
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
                w_shaft[a] += rowsum(flow[a] * cs.is_gas) * dh * props.M_CO2
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

            g_in = rowsum(s.flow[a] * cs.is_gas)
            g_out = rowsum(flow[a] * cs.is_gas)
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

    def build_pyomo(self, b, p, init) -> None:
        """Twin: the core's stage train with the number of stages and, for every knock-out
        (suction drum, intercoolers, aftercooler), whether it removes water frozen at the case;
        the water vapour entering each stage (``water_stage``) and leaving is saturated
        (P_sat: :func:`~carbonhub.twin.saturation.psat_twin`) at the knock-out that binds;
        stage pressures P_in (P_out/P_in)^(k/n). Power = sum over stages of gas moles x
        isentropic enthalpy rise / eta_isentropic, the rises (``dh_isentropic``, CoolProp Span &
        Wagner) evaluated at the case's inlet T and P, P_out and T_intercool (fixed: they do not
        follow if those change). Heat closes the stream balance, as in the core."""
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        F, O, C = b.sin("feed"), b.sout("out"), b.sout("condensate")
        f, o, c = F.flow_mol_comp, O.flow_mol_comp, C.flow_mol_comp
        f0 = init.inlets["feed"]
        T0, P0 = float(f0.T[0]), float(f0.P[0])
        nst = int(round(init.design["n_stages"]))
        knock = p["water_knockout"] == "yes"
        has_w, has_l = "H2O" in cs, "H2O(L)" in cs
        r0 = max(float(p["P_out"]) / P0, 1.0) ** (1.0 / max(nst, 1))
        Tic = float(p["T_intercool"])
        P_fin = b.pv("P_out") if nst > 0 else F.pressure

        def P_stage(k):  # discharge pressure of stage k (k = 1 .. nst - 1)
            return F.pressure * (b.pv("P_out") / F.pressure) ** (k / nst)

        # knock-outs (T, T at the case, P, P at the case): suction drum, intercoolers, aftercooler
        pts = ([(F.temperature, T0, F.pressure, P0)]
               + [(b.pv("T_intercool"), Tic, P_stage(k), P0 * r0**k) for k in range(1, nst)]
               + [(b.pv("T_out"), float(p["T_out"]), P_fin, P0 * r0**nst if nst > 0 else P0)])
        bind, vap, src, w = [], [], None, float(f0["H2O"][0]) if has_w else 0.0
        for i, (_, Tv, _, Pv) in enumerate(pts):  # the core's sequence of knock-outs, at the case
            if knock and has_w and has_l:
                cap, _ = water_capacity(f0.flow, cs, np.array([Tv]), np.array([Pv]), cs.index("H2O"))
                if float(cap[0]) < w:
                    src, w = i, float(cap[0])
            bind.append(src)  # the knock-out that set the vapour leaving knock-out i (None: feed)
            vap.append(w)
        dry = sum(f[j] for i, j in enumerate(cs.ids) if cs.is_gas[i] and j != "H2O")
        psat = {}  # P_sat at the knock-outs that bind, built once each

        def water(name, v, i, doc):  # vapour v after knock-out i: the binding one saturates it
            if bind[i] is None:
                b.add_component(name, pyo.Constraint(expr=v == f["H2O"], doc=f"{doc}: all of the feed's"))
                return
            T, Tv, P, _ = pts[bind[i]]
            if bind[i] not in psat:
                psat[bind[i]] = psat_twin(b, f"knockout_{bind[i]}", T, Tv)
            saturated(b, name, v, dry, P, psat[bind[i]], f"{doc}: saturated at knock-out {bind[i]}")

        b.eq_out = pyo.Constraint([j for j in cs.ids if j not in ("H2O", "H2O(L)")],
                                  rule=lambda b, j: o[j] == f[j], doc="gases other than water pass")
        b.eq_cond = pyo.Constraint([j for j in cs.ids if j != "H2O(L)"], rule=lambda b, j: c[j] == 0,
                                   doc="the condensate is liquid water only")
        if has_w:
            water("eq_out_water", o["H2O"], len(pts) - 1, "water vapour delivered")
        if has_l:
            b.eq_out_liquid = pyo.Constraint(expr=o["H2O(L)"] == (0.0 if knock else f["H2O(L)"]),
                                             doc="liquid water knocked out (or passing)")
            b.eq_cond_water = pyo.Constraint(
                expr=c["H2O(L)"] == f["H2O(L)"] - o["H2O(L)"] + (f["H2O"] - o["H2O"] if has_w else 0.0),
                doc="condensate: liquid water and the vapour knocked out")
        b.eq_T_out = pyo.Constraint(expr=O.temperature == b.pv("T_out"), doc="delivery temperature")
        b.eq_P_out = pyo.Constraint(expr=O.pressure == P_fin, doc="delivery pressure")
        b.eq_T_cond = pyo.Constraint(expr=C.temperature == b.pv("T_intercool" if nst > 0 else "T_out"),
                                     doc="condensate temperature")
        b.eq_P_cond = pyo.Constraint(expr=C.pressure == F.pressure, doc="condensate at the suction P")
        if nst == 0:
            b.power.fix(0.0)
        else:
            dh = {}
            for k in range(nst):  # the core's property calls, at the case
                T1, P1, P2 = T0 if k == 0 else Tic, P0 * r0**k, P0 * r0 ** (k + 1)
                h1, _, h2s, _ = props.isentropic_co2(T1, P1, P2)
                dh[k] = float(h2s - h1)
            b.dh_isentropic = pyo.Param(range(nst), initialize=dh, units=u.J / u.kg,
                                        doc="isentropic enthalpy rise per stage (Span & Wagner, at the case)")
            gas = {k: dry for k in range(nst)}  # gas moles through each stage
            if has_w:
                b.water_stage = pyo.Var(range(nst), units=u.mol / u.s, bounds=(0, None),
                                        initialize=dict(enumerate(vap[:nst])),
                                        doc="water vapour entering each stage [mol/s]")
                for k in range(nst):
                    water(f"eq_water_stage_{k + 1}", b.water_stage[k], k, f"water entering stage {k + 1}")
                    gas[k] = dry + b.water_stage[k]
            M = props.M_CO2 * u.kg / u.mol
            work = sum(gas[k] * M * b.dh_isentropic[k] for k in range(nst))
            b.eq_power = pyo.Constraint(expr=b.power == work / b.par["eta_isentropic"],
                                        doc="shaft power: gas moles x isentropic rise / efficiency")
        b.add_energy_balance()
        from ..twin.helpers import eo_design

        kW = b.power / u.W / 1e3  # shaft power [kW]
        eo_design(b, {"power_kW": kW / b.par["eta_drive"], "shaft_power_kW": kW, "n_stages": float(nst)},
                  doc="design results of the twin (as the core's, value in the unit of the key)")
