"""Utilities: compressor, pump, two-stream heat exchanger, water electrolyser, fuel-gas boiler,
and a steam-turbine utility calculation.

Gases are ideal with the NASA-7 data of the component set (the same thermo as every
balance), so compression follows the exact ideal-gas entropy s = sum n [s°(T) - R ln(y P/P°)]
with temperature-dependent cp.

Example
-------
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> from carbonhub.unitops.utilities import Compressor
>>> cs = ComponentSet.from_ids(["N2", "O2"])
>>> air = Stream.from_flows(cs, {"N2": 0.79, "O2": 0.21}, T=300.0, P=1e5)
>>> c = Compressor("c", P_out=5e5, eta=0.8)
>>> r = c.run({"feed": air}, c.resolve({}, 1))
>>> round(float(r.outlets["out"].T[0]), 2), round(float(r.power[0]), 1)
(515.46, 6359.5)
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core.stream import Stream, lhv_molar, mix_origins
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo.components import ELEMENTS
from ..thermo.nasa7 import R


def _zero(n: int) -> np.ndarray:
    return np.zeros(n)


def solve_T_for_H(cs, flow: np.ndarray, H: np.ndarray, T0, tol: float = 1e-13, max_iter: int = 60,
                  T_min: float = 50.0, T_max: float = 6000.0) -> np.ndarray:
    """Temperature [K] (n,) where sum n_i h_i(T) = H [W]; batched Newton with a bisection
    guard that keeps a converged point. (Local twin of carbonhub.core.stream.solve_T_for_H,
    which can return a bisection midpoint after convergence; reported upstream.)"""
    T = np.clip(np.array(np.broadcast_to(T0, H.shape), dtype=float), T_min, T_max)
    lo = np.full_like(T, T_min)
    hi = np.full_like(T, T_max)
    scale = np.maximum(np.abs(H), (np.abs(flow) * 1e4).sum(axis=1)) + 1e-300
    act = np.flatnonzero(flow.sum(axis=1) > 0)
    for _ in range(max_iter):
        if act.size == 0:
            break
        Ta, fa = T[act], flow[act]
        g = (fa * cs.h(Ta)).sum(axis=1) - H[act]
        dg = (fa * cs.cp(Ta)).sum(axis=1)
        conv = np.abs(g) <= tol * scale[act]
        lo[act] = np.where(g < 0, Ta, lo[act])
        hi[act] = np.where(g > 0, Ta, hi[act])
        Tn = Ta - g / np.where(dg > 0, dg, 1.0)
        bad = (Tn <= lo[act]) | (Tn >= hi[act]) | ~np.isfinite(Tn)
        Tn = np.where(conv, Ta, np.where(bad, 0.5 * (lo[act] + hi[act]), Tn))
        T[act] = Tn
        act = act[~conv & (np.abs(Tn - Ta) > 1e-14 * Ta)]
    return T


def solve_T_for_S(cs, flow: np.ndarray, S_target: np.ndarray, T0: np.ndarray, tol: float = 1e-13,
                  max_iter: int = 60) -> np.ndarray:
    """Temperature [K] (n,) where sum n_i s°_i(T) = S_target [W/K] (standard-state entropy
    flow at P° = 1 atm); batched Newton (dS/dT = sum n cp / T > 0) with a bisection guard."""
    T = np.array(T0, dtype=float)
    lo = np.full_like(T, 50.0)
    hi = np.full_like(T, 6000.0)
    act = np.flatnonzero(flow.sum(axis=1) > 0)
    for _ in range(max_iter):
        if act.size == 0:
            break
        Ta, fa = T[act], flow[act]
        g = (fa * cs.s0(Ta)).sum(axis=1) - S_target[act]
        dg = (fa * cs.cp(Ta)).sum(axis=1) / Ta
        conv = np.abs(g) <= tol * np.abs(S_target[act])
        lo[act] = np.where(g < 0, Ta, lo[act])
        hi[act] = np.where(g > 0, Ta, hi[act])
        Tn = Ta - g / np.where(dg > 0, dg, 1.0)
        bad = (Tn <= lo[act]) | (Tn >= hi[act]) | ~np.isfinite(Tn)
        Tn = np.where(conv, Ta, np.where(bad, 0.5 * (lo[act] + hi[act]), Tn))
        T[act] = Tn
        act = act[~conv & (np.abs(Tn - Ta) > tol * Ta)]
    return T


def compress(cs, flow: np.ndarray, T1: np.ndarray, ratio: np.ndarray, eta: np.ndarray,
             polytropic: bool) -> tuple[np.ndarray, np.ndarray]:
    """One adiabatic compression stage of an ideal gas by pressure ratio ``ratio``.
    Returns (T2 [K], work [W]) per case.

    Isentropic efficiency: T2s from sum n s°(T2s) = sum n s°(T1) + R N ln(ratio), then
    h2 = h1 + (h2s - h1)/eta. Polytropic efficiency: along the path dh = v dP / eta_p, so
    ds = (1/eta_p - 1) R dP/P and sum n s°(T2) = sum n s°(T1) + (R N / eta_p) ln(ratio),
    exact for an ideal gas with variable cp."""
    N = flow.sum(axis=1)
    S1 = (flow * cs.s0(T1)).sum(axis=1)
    H1 = (flow * cs.h(T1)).sum(axis=1)
    lnr = np.log(ratio)
    guess = T1 * ratio ** 0.3
    if polytropic:
        T2 = solve_T_for_S(cs, flow, S1 + R * N * lnr / eta, guess)
        return T2, (flow * cs.h(T2)).sum(axis=1) - H1
    T2s = solve_T_for_S(cs, flow, S1 + R * N * lnr, guess)
    H2 = H1 + ((flow * cs.h(T2s)).sum(axis=1) - H1) / eta
    T2 = solve_T_for_H(cs, flow, H2, T2s)
    return T2, H2 - H1


def _H_at(cs, st, Tn):
    """Enthalpy flow [W] of the flows of state block ``st`` at the dimensionless temperature
    ``Tn`` (= T/K; any Pyomo expression), NASA-7 as the property package."""
    import pyomo.environ as pyo

    from ..eo.properties import nasa_h_expr

    return sum(st.flow_mol_comp[j] * nasa_h_expr(cs, j, Tn) for j in cs.ids) * pyo.units.J / pyo.units.mol


def _S_at(cs, st, Tn):
    """Standard-state entropy flow [W/K] (pure species at 1 atm) of ``st``'s flows at Tn."""
    import pyomo.environ as pyo

    from ..eo.properties import nasa_s0_expr

    return sum(st.flow_mol_comp[j] * nasa_s0_expr(cs, j, Tn) for j in cs.ids) * pyo.units.J / pyo.units.mol / pyo.units.K


def _same_flows(b, out: str, inlet: str) -> None:
    import pyomo.environ as pyo

    so, si = b.sout(out), b.sin(inlet)
    b.add_component(f"eq_flow_{out}", pyo.Constraint(b.comps, rule=lambda b, j: so.flow_mol_comp[j] == si.flow_mol_comp[j],
                                                     doc=f"{out}: flows of {inlet}"))


def _set_flows(b, port: str, exprs: dict, doc: str) -> None:
    import pyomo.environ as pyo

    st = b.sout(port)
    zero = 0.0 * pyo.units.mol / pyo.units.s
    b.add_component(f"eq_flow_{port}", pyo.Constraint(b.comps, rule=lambda b, j: st.flow_mol_comp[j] == exprs.get(j, zero),
                                                      doc=doc))


def _lmtd(dt1: np.ndarray, dt2: np.ndarray) -> np.ndarray:
    dt1, dt2 = np.maximum(dt1, 1e-9), np.maximum(dt2, 1e-9)
    same = np.abs(dt1 - dt2) < 1e-9 * dt1
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(same, dt1, (dt1 - dt2) / np.log(dt1 / dt2))


class Compressor(Unit):
    """Multistage adiabatic compressor of an ideal gas with intercooling.

    ``n_stages`` stages of equal pressure ratio (P_out/P_in)^(1/n); each stage adiabatic with
    isentropic or polytropic efficiency ``eta`` (exact NASA-7 entropy, :func:`compress`);
    between stages the gas is cooled to ``T_intercool`` (not below its own temperature; no
    condensation: put a Flash after a wet gas), and after the last stage too if
    ``aftercooler`` is "yes". ``power`` = sum of the stage enthalpy rises (shaft power);
    electricity = power / ``eta_drive``; ``heat`` = the coolers' duties (negative).

    Design: ``power_kW`` (shaft = fluid power, the Turton compressor size), ``T_discharge_K``
    (highest stage outlet), ``intercooler_duty_W``, ``area_m2`` (coolers, U and the approach
    to cooling water).

    References
    ----------
    McBride, Zehe, Gordon (2002), NASA/TP-2002-211556 (species thermo, via Cantera).
    Turton et al. (2012), Analysis, Synthesis and Design of Chemical Processes, 4th ed., App. A.
    """

    inlets = ("feed",)
    outlets = ("out",)
    params = {
        "P_out": Param(10e5, "Pa", 1e3, 5e7, "discharge pressure [Pa]"),
        "eta": Param(0.78, "", 0.3, 1.0, "isentropic or polytropic efficiency [-]"),
        "efficiency_type": Param("isentropic", "choice", doc="meaning of eta",
                                 choices=("isentropic", "polytropic")),
        "n_stages": Param(1.0, "", 1.0, 12.0, "number of stages [-] (rounded)"),
        "T_intercool": Param(313.15, "K", 200.0, 600.0, "gas temperature after each cooler [K]"),
        "aftercooler": Param("no", "choice", doc="cool after the last stage", choices=("no", "yes")),
        "eta_drive": Param(0.95, "", 0.5, 1.0, "motor efficiency [-]"),
        "U": Param(300.0, "W/m^2/K", 1.0, 1e4, "cooler overall U [W/(m2 K)]"),
        "dT_utility": Param(20.0, "K", 1.0, 500.0, "mean approach to cooling water [K]"),
    }
    costs = (Cost("turton.compressor_centrifugal", "power_kW"),
             Cost("turton.electric_motor_explosion_proof", "power_kW"),
             Cost("turton.heat_exchanger_fixed_tube", "area_m2", label="intercoolers"))

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs = s.cs
        f = s.flow
        liquid = (f[:, ~cs.is_gas].sum(axis=1) > 1e-12 * np.maximum(f.sum(axis=1), 1e-300))
        pin = s.P
        ratio_tot = p.P_out / pin
        ns = np.rint(p.n_stages).astype(int)
        r = ratio_tot ** (1.0 / ns)
        poly = str(p.scalar("efficiency_type")) == "polytropic"
        after = str(p.scalar("aftercooler")) == "yes"
        T = s.T.copy()
        work = np.zeros(p.n)
        q_cool = np.zeros(p.n)
        T_dis = T.copy()
        for k in range(int(ns.max())):
            on = k < ns
            T2, w = compress(cs, f, T, r, p.eta, poly)
            T2 = np.where(on, T2, T)
            work += np.where(on, w, 0.0)
            T_dis = np.maximum(T_dis, T2)
            cool = on & ((k < ns - 1) | after) & (T2 > p.T_intercool)
            Tc = np.where(cool, p.T_intercool, T2)
            q_cool += np.where(cool, (f * cs.h(Tc)).sum(axis=1) - (f * cs.h(T2)).sum(axis=1), 0.0)
            T = Tc
        out = s.with_(T=T, P=p.P_out.copy())
        heat = q_cool  # cooler duties; H_in + heat + work = H_out to the solver tolerance
        bad = (ratio_tot < 1.0) | liquid
        status = np.where(ratio_tot < 1.0, "P_out below the inlet pressure (use a valve or expander)",
                          np.where(liquid, "compressor feed contains liquid or solid species", "ok"))
        design = {"power_kW": work / 1e3, "n_stages": ns.astype(float), "pressure_ratio_stage": r,
                  "T_discharge_K": T_dis, "T_out_K": T, "intercooler_duty_W": -heat,
                  "area_m2": np.abs(heat) / (p.U * p.dT_utility)}
        util = {"electricity_W": work / p.eta_drive, "cooling_W": -heat}
        return UnitResult({"out": out}, heat, work, design, util, status if bad.any() else None)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: per stage k (number of stages frozen at the rounded ``n_stages``), the
        isentropic outlet ``T_isentropic[k]``: S°(T2s) = S°(T_k) + R N ln r (NASA-7 entropy
        with T-dependent cp, :func:`carbonhub.eo.properties.nasa_s0_expr`), the actual outlet
        ``T_stage[k]``: eta (H(T2) - H(T_k)) = H(T2s) - H(T_k) (polytropic: S°(T2) = S°(T_k) +
        R N ln r / eta); r = (P_out/P_in)^(1/n). After a stage cooled in the core (intercooler,
        aftercooler) the gas is at ``T_intercool``. power = sum of the stage enthalpy rises;
        ``heat`` (the coolers) closes the enthalpy balance."""
        import pyomo.environ as pyo

        from ..thermo.nasa7 import R as R_GAS

        u = pyo.units
        cs = b.config.property_package.cs
        s = init.inlets["feed"]
        pp = self.resolve(p, 1)
        ns = int(np.rint(float(p["n_stages"])))
        poly = str(p["efficiency_type"]) == "polytropic"
        after = str(p["aftercooler"]) == "yes"
        # the core's stage temperatures (initial values and the cooling branches)
        r0 = (pp.P_out / s.P) ** (1.0 / ns)
        T = s.T.copy()
        T2s0, T20, cool = [], [], []
        for k in range(ns):
            N = s.flow.sum(axis=1)
            S1 = (s.flow * cs.s0(T)).sum(axis=1)
            T2s0.append(float(solve_T_for_S(cs, s.flow, S1 + R * N * np.log(r0) / (pp.eta if poly else 1.0),
                                            T * r0 ** 0.3)[0]))
            T2, _ = compress(cs, s.flow, T, r0, pp.eta, poly)
            T20.append(float(T2[0]))
            c = ((k < ns - 1) or after) and float(T2[0]) > float(pp.T_intercool[0])
            cool.append(c)
            T = pp.T_intercool.copy() if c else T2
        fi, so = b.sin("feed"), b.sout("out")
        b.stages = pyo.RangeSet(0, ns - 1, doc="compression stages")
        b.T_stage = pyo.Var(b.stages, initialize=dict(enumerate(T20)), bounds=(150.0, 6000.0), units=u.K,
                            doc="stage outlet temperature [K]")
        lnr = pyo.log(b.pv("P_out") / fi.pressure) / ns
        N = fi.flow_mol
        Rg = R_GAS * u.J / u.mol / u.K
        T_in = {0: fi.temperature}
        for k in range(1, ns):
            T_in[k] = b.pv("T_intercool") if cool[k - 1] else b.T_stage[k - 1]
        if poly:
            b.eq_stage = pyo.Constraint(b.stages, rule=lambda b, k: _S_at(cs, fi, b.T_stage[k] / u.K)
                                        == _S_at(cs, fi, T_in[k] / u.K) + Rg * N * lnr / b.par["eta"],
                                        doc="polytropic path: S(T2) = S(T1) + R N ln(r) / eta")
        else:
            b.T_isentropic = pyo.Var(b.stages, initialize=dict(enumerate(T2s0)), bounds=(150.0, 6000.0), units=u.K,
                                     doc="isentropic stage outlet temperature [K]")
            b.eq_isentropic = pyo.Constraint(b.stages, rule=lambda b, k: _S_at(cs, fi, b.T_isentropic[k] / u.K)
                                             == _S_at(cs, fi, T_in[k] / u.K) + Rg * N * lnr,
                                             doc="isentropic: S(T2s) = S(T1) + R N ln(r)")
            b.eq_stage = pyo.Constraint(b.stages, rule=lambda b, k: b.par["eta"] * (
                _H_at(cs, fi, b.T_stage[k] / u.K) - _H_at(cs, fi, T_in[k] / u.K))
                == _H_at(cs, fi, b.T_isentropic[k] / u.K) - _H_at(cs, fi, T_in[k] / u.K),
                doc="isentropic efficiency: eta (h2 - h1) = h2s - h1")
        b.eq_power = pyo.Constraint(expr=b.power == sum(_H_at(cs, fi, b.T_stage[k] / u.K) - _H_at(cs, fi, T_in[k] / u.K)
                                                        for k in range(ns)), doc="shaft power = sum of stage work")
        _same_flows(b, "out", "feed")
        b.eq_T = pyo.Constraint(expr=so.temperature == (b.pv("T_intercool") if cool[-1] else b.T_stage[ns - 1]),
                                doc="outlet temperature (after the aftercooler, if any)")
        b.eq_P = pyo.Constraint(expr=so.pressure == b.pv("P_out"), doc="discharge pressure")
        b.add_energy_balance("energy balance: heat (coolers) = H_out - H_in - power")


class Pump(Unit):
    """Liquid pump: work W = V (P_out - P_in) / ``eta`` with the volumetric flow from the
    densities of the liquid: water (H2O(L)) by CoolProp (IAPWS-95) at the inlet T, P; solids
    from their molar volume; other liquids (on gas ids) ``rho_organic``. The work heats the
    liquid (outlet T from the enthalpy balance); electricity = W / ``eta_drive``.

    References
    ----------
    Wagner, W., Pruss, A. (2002), J. Phys. Chem. Ref. Data 31:387, doi:10.1063/1.1461829
    (IAPWS-95, via CoolProp: Bell et al. 2014, Ind. Eng. Chem. Res. 53:2498,
    doi:10.1021/ie4033999).
    """

    inlets = ("feed",)
    outlets = ("out",)
    params = {
        "P_out": Param(10e5, "Pa", 1e3, 5e7, "discharge pressure [Pa]"),
        "eta": Param(0.75, "", 0.1, 1.0, "pump efficiency [-]"),
        "eta_drive": Param(0.95, "", 0.5, 1.0, "motor efficiency [-]"),
        "rho_organic": Param(750.0, "kg/m^3", 300.0, 2000.0, "density of non-water liquids [kg/m3]"),
    }
    costs = (Cost("turton.pump_centrifugal", "power_kW", pressure="P_barg"),)

    def run(self, ins, p) -> UnitResult:
        import CoolProp.CoolProp as CP

        s = ins["feed"]
        cs = s.cs
        m = s.mass_flows
        rho = np.where(cs.molar_volume > 0, cs.molar_mass / np.where(cs.molar_volume > 0, cs.molar_volume, 1), 0.0)
        rho = np.broadcast_to(rho, m.shape).copy()
        if "H2O(L)" in cs:
            iw = cs.index("H2O(L)")
            Tw = np.clip(s.T, 273.16, 640.0)
            rho[:, iw] = CP.PropsSI("D", "T", Tw, "P", np.maximum(s.P, 1.01 * CP.PropsSI("P", "T", Tw, "Q", 0, "Water")), "Water")
        rho = np.where(rho > 0, rho, p.rho_organic[:, None])
        V = (m / rho).sum(axis=1)
        dP = p.P_out - s.P
        work = V * np.maximum(dP, 0.0) / p.eta
        H = s.enthalpy + work
        T = solve_T_for_H(cs, s.flow, H, s.T)
        out = s.with_(T=T, P=p.P_out.copy())
        heat = out.enthalpy - s.enthalpy - work
        status = np.where(dP < 0, "P_out below the inlet pressure", "ok")
        design = {"power_kW": work / 1e3, "volume_flow_m3_s": V, "head_Pa": dP, "P_barg": p.P_out / 1e5 - 1.01325}
        return UnitResult({"out": out}, heat, work, design, {"electricity_W": work / p.eta_drive},
                          status if (dP < 0).any() else None)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: power = V (P_out - P_in) / eta with V = sum_j m_j / rho_j; the outlet
        temperature from the enthalpy balance (heat = 0). The water density (CoolProp,
        IAPWS-95, at the inlet T and P of the core solution) is a constant of the twin: it
        enters the power only, not the stream balances."""
        import CoolProp.CoolProp as CP
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        mw = b.config.property_package.mw
        fi, so = b.sin("feed"), b.sout("out")
        rho = {}
        for j in cs.ids:
            i = cs.index(j)
            if j == "H2O(L)":
                s = init.inlets["feed"]
                Tw = float(np.clip(s.T[0], 273.16, 640.0))
                rho[j] = float(CP.PropsSI("D", "T", Tw, "P", max(float(s.P[0]), 1.01 * CP.PropsSI("P", "T", Tw, "Q", 0, "Water")),
                                          "Water")) * u.kg / u.m**3
            elif cs.molar_volume[i] > 0:
                rho[j] = float(cs.molar_mass[i] / cs.molar_volume[i]) * u.kg / u.m**3
            else:
                rho[j] = b.pv("rho_organic")
        if "H2O(L)" in rho:
            b.rho_water = pyo.Param(initialize=pyo.value(rho["H2O(L)"]), units=u.kg / u.m**3,
                                    doc="water density frozen at the core's inlet state [kg/m3] (CoolProp)")
            rho["H2O(L)"] = b.rho_water
        V = sum(fi.flow_mol_comp[j] * mw[j] / rho[j] for j in cs.ids)
        dp_pos = float(p["P_out"]) >= float(init.inlets["feed"].P[0])
        b.eq_power = pyo.Constraint(expr=b.power * b.par["eta"] == (V * (b.pv("P_out") - fi.pressure) if dp_pos else 0.0 * u.W),
                                    doc="pump work W eta = V (P_out - P_in)")
        _same_flows(b, "out", "feed")
        b.eq_P = pyo.Constraint(expr=so.pressure == b.pv("P_out"), doc="discharge pressure")
        b.heat.fix(0.0)
        if float(init.inlets["feed"].total_flow[0]) > 0:
            b.add_energy_balance("energy balance: the work heats the liquid (outlet T)")
        else:  # no flow: the core keeps the inlet temperature
            b.eq_T = pyo.Constraint(expr=so.temperature == fi.temperature, doc="no flow: inlet temperature")


class HeatExchanger(Unit):
    """Two-stream counter-current heat exchanger (ports ``hot``/``cold`` -> ``hot_out``/
    ``cold_out``), adiabatic overall (heat = 0, power = 0).

    Specification ``spec``: "approach" (the largest duty with at least ``dT_min`` at both
    ends: Q = min[H_hot(T_h,in) - H_hot(T_c,in + dT_min), H_cold(T_h,in - dT_min) -
    H_cold(T_c,in)]), "duty" (``duty`` [W]) or "hot_T_out" (``T_hot_out`` [K]). The other
    outlet temperature follows from its enthalpy balance (NASA-7; no phase change: a hot
    stream cooled below its dew point does not condense here, put a Flash after it). A
    temperature cross (either end below ``dT_min``, or negative duty) gives a status.
    Area = Q / (U LMTD).
    """

    inlets = ("hot", "cold")
    outlets = ("hot_out", "cold_out")
    params = {
        "spec": Param("approach", "choice", doc="what fixes the duty", choices=("approach", "duty", "hot_T_out")),
        "dT_min": Param(10.0, "K", 0.0, 500.0, "minimum approach temperature [K]"),
        "duty": Param(1e6, "W", 0.0, 1e10, "heat transferred (spec 'duty') [W]"),
        "T_hot_out": Param(350.0, "K", 50.0, 2500.0, "hot outlet temperature (spec 'hot_T_out') [K]"),
        "U": Param(300.0, "W/m^2/K", 1.0, 1e4, "overall heat-transfer coefficient [W/(m2 K)]"),
        "dP_hot": Param(0.0, "Pa", 0.0, 1e7, "hot-side pressure drop [Pa]"),
        "dP_cold": Param(0.0, "Pa", 0.0, 1e7, "cold-side pressure drop [Pa]"),
    }
    costs = (Cost("turton.heat_exchanger_floating_head", "area_m2"),)

    def run(self, ins, p) -> UnitResult:
        h, c = ins["hot"], ins["cold"]
        cs = h.cs
        spec = str(p.scalar("spec"))
        Hh, Hc = h.enthalpy, c.enthalpy
        if spec == "approach":
            q = np.minimum(Hh - h.enthalpy_at(c.T + p.dT_min), c.enthalpy_at(h.T - p.dT_min) - Hc)
        elif spec == "duty":
            q = p.duty.copy()
        else:
            q = Hh - h.enthalpy_at(p.T_hot_out)
        q = np.where((h.total_flow > 0) & (c.total_flow > 0), q, 0.0)
        Th = solve_T_for_H(cs, h.flow, Hh - q, np.where(spec == "hot_T_out", p.T_hot_out, h.T))
        Tc = solve_T_for_H(cs, c.flow, Hc + q, c.T)
        if spec == "hot_T_out":
            Th = np.where(h.total_flow > 0, p.T_hot_out, h.T)
        ho = h.with_(T=Th, P=np.maximum(h.P - p.dP_hot, 1.0))
        co = c.with_(T=Tc, P=np.maximum(c.P - p.dP_cold, 1.0))
        dt1, dt2 = h.T - Tc, Th - c.T
        tol = 1e-6
        cross = (q < 0) | (dt1 < p.dT_min - tol) | (dt2 < p.dT_min - tol)
        status = np.where(cross & (q != 0), "temperature cross: approach below dT_min or duty < 0", "ok")
        area = np.where(q > 0, q / (p.U * _lmtd(dt1, dt2)), 0.0)
        design = {"duty_W": q, "area_m2": area, "lmtd_K": _lmtd(dt1, dt2), "T_hot_out_K": Th,
                  "T_cold_out_K": Tc}
        # heat = 0: both sides' balances close through the solved temperatures
        heat = (ho.enthalpy + co.enthalpy) - (Hh + Hc)
        return UnitResult({"hot_out": ho, "cold_out": co}, heat, _zero(p.n), design, {},
                          status if (status != "ok").any() else None)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: ``duty`` Q by the specification (approach: the side of the min that binds in
        the core solution; duty; hot outlet T), hot_out: H = H_hot - Q, cold_out: H = H_cold +
        Q (NASA-7 enthalpy; outlet temperatures are the unknowns), pressure drops; heat = power
        = 0. Frozen: the binding side, zero-flow sides, the 1 Pa pressure floor."""
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        h, c = init.inlets["hot"], init.inlets["cold"]
        spec = str(p["spec"])
        hi, ci, ho, co = b.sin("hot"), b.sin("cold"), b.sout("hot_out"), b.sout("cold_out")
        b.duty = pyo.Var(initialize=float(init.design["duty_W"]), units=u.W, doc="heat transferred hot -> cold [W]")
        if float(h.total_flow[0]) <= 0 or float(c.total_flow[0]) <= 0:
            q = 0.0 * u.W
        elif spec == "approach":
            dT = b.pv("dT_min")
            qa = hi.enth_flow - _H_at(cs, hi, (ci.temperature + dT) / u.K)
            qb = _H_at(cs, ci, (hi.temperature - dT) / u.K) - ci.enth_flow
            dt = float(p["dT_min"])
            qa0 = float(h.enthalpy[0] - h.enthalpy_at(c.T + dt)[0])
            qb0 = float(c.enthalpy_at(h.T - dt)[0] - c.enthalpy[0])
            q = qa if qa0 <= qb0 else qb
        elif spec == "duty":
            q = b.pv("duty")
        else:
            q = hi.enth_flow - _H_at(cs, hi, b.pv("T_hot_out") / u.K)
        b.eq_duty = pyo.Constraint(expr=b.duty == q, doc=f"duty by the specification ({spec})")
        _same_flows(b, "hot_out", "hot")
        _same_flows(b, "cold_out", "cold")
        # a side without flow keeps its inlet temperature (as the core's solve_T_for_H)
        b.eq_hot = pyo.Constraint(expr=ho.enth_flow == hi.enth_flow - b.duty if float(h.total_flow[0]) > 0
                                  else ho.temperature == hi.temperature, doc="hot side: H_out = H_in - Q")
        b.eq_cold = pyo.Constraint(expr=co.enth_flow == ci.enth_flow + b.duty if float(c.total_flow[0]) > 0
                                   else co.temperature == ci.temperature, doc="cold side: H_out = H_in + Q")
        for port, st, init_s, dp in (("hot_out", hi, h, "dP_hot"), ("cold_out", ci, c, "dP_cold")):
            Pout = st.pressure - b.pv(dp) if float(init_s.P[0]) - float(p[dp]) > 1.0 else 1.0 * u.Pa
            b.add_component(f"eq_P_{port}", pyo.Constraint(expr=b.sout(port).pressure == Pout, doc=f"{port} pressure drop"))
        b.heat.fix(0.0)
        b.power.fix(0.0)


ELECTROLYSER_SEC = {"pem": 55.0, "alkaline": 52.5}
"""Default system electricity use [kWh/kg H2], inside the 2020 state-of-the-art ranges of
IRENA (2020), Green Hydrogen Cost Reduction, Table 1 / Fig. 12: alkaline 50-78, PEM 50-83
kWh/kg H2 (system, incl. balance of plant); 55 kWh/kg is 61 % of the H2 LHV (33.3 kWh/kg)."""
LHV_H2_KWH_PER_KG = 33.33


class Electrolyser(Unit):
    """Water electrolyser (PEM or alkaline): 2 H2O(L) -> 2 H2 + O2.

    ``water_conversion`` of the (demineralised) water fed is split; the rest leaves as
    ``water_out``. Electricity = ``sec_kWh_per_kg`` (system; <= 0: the technology default
    of ELECTROLYSER_SEC) x H2 produced; it is the unit's ``power``; the rejected heat closes
    the enthalpy balance (``heat`` < 0, to cooling). Products leave at ``T``; H2 at ``P``
    (pressurised stack), O2 at ``P_o2``; both dry (the water they carry is in water_out).
    Non-water species in the feed leave with water_out.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["H2O(L)", "H2", "O2"])
    >>> w = Stream.from_flows(cs, {"H2O(L)": 100.0}, T=298.15, P=31e5)
    >>> el = Electrolyser("el", technology="pem")
    >>> r = el.run({"water": w}, el.resolve({}, 1))
    >>> round(float(r.design["power_kW"][0] / r.design["h2_kg_per_h"][0]), 3)
    55.0

    References
    ----------
    IRENA (2020), Green Hydrogen Cost Reduction: Scaling up Electrolysers to Meet the 1.5 °C
    Climate Goal, International Renewable Energy Agency, Abu Dhabi, ISBN 978-92-9260-295-6.
    """

    inlets = ("water",)
    outlets = ("h2", "o2", "water_out")
    params = {
        "technology": Param("pem", "choice", doc="electrolyser type", choices=("pem", "alkaline")),
        "sec_kWh_per_kg": Param(-1.0, "", -1.0, 200.0, "system electricity per kg H2; <= 0: default"),
        "water_conversion": Param(1.0, "", 0.0, 1.0, "fraction of the fed water electrolysed [-]"),
        "T": Param(353.15, "K", 273.16, 1200.0, "product temperature [K]"),
        "P": Param(30e5, "Pa", 1e4, 1e7, "H2 pressure [Pa]"),
        "P_o2": Param(1.2e5, "Pa", 1e4, 1e7, "O2 pressure [Pa]"),
    }

    def __init__(self, id: str, **values: Any):
        super().__init__(id, **values)
        tech = self.values.get("technology", "pem")
        self.costs = (Cost(f"ref.electrolyser_{tech}", "power_kW"),)

    def run(self, ins, p) -> UnitResult:
        s = ins["water"]
        cs = s.cs
        iw, ih, io = cs.index("H2O(L)"), cs.index("H2"), cs.index("O2")
        tech = np.broadcast_to(np.asarray(p.technology), (p.n,))
        sec = np.where(p.sec_kWh_per_kg > 0, p.sec_kWh_per_kg,
                       np.where(tech == "pem", ELECTROLYSER_SEC["pem"], ELECTROLYSER_SEC["alkaline"]))
        n_h2 = p.water_conversion * s.flow[:, iw]
        h2 = np.zeros_like(s.flow)
        h2[:, ih] = n_h2
        o2 = np.zeros_like(s.flow)
        o2[:, io] = 0.5 * n_h2
        rest = s.flow.copy()
        rest[:, iw] -= n_h2
        kg_h2 = n_h2 * cs.molar_mass[ih]
        power = sec * kg_h2 * 3.6e6
        org = s.origin
        outs = {"h2": Stream(cs, h2, p.T.copy(), p.P.copy(), org, check=False),
                "o2": Stream(cs, o2, p.T.copy(), p.P_o2.copy(), org, check=False),
                "water_out": Stream(cs, np.clip(rest, 0.0, None), p.T.copy(), s.P.copy(), org, check=False)}
        heat = sum(o.enthalpy for o in outs.values()) - s.enthalpy - power
        design = {"power_kW": power / 1e3, "h2_kg_per_h": kg_h2 * 3600, "sec_kWh_per_kg": sec,
                  "efficiency_lhv": np.where(power > 0, LHV_H2_KWH_PER_KG / sec, 0.0),
                  "heat_rejected_W": -heat, "o2_t_per_d": 0.5 * n_h2 * cs.molar_mass[io] * 86.4,
                  "water_used_kg_s": n_h2 * cs.molar_mass[iw]}
        # the water arrives as the inlet stream (priced where it enters the flowsheet)
        util = {"electricity_W": power, "cooling_W": np.maximum(-heat, 0.0)}
        return UnitResult(outs, heat, power, design, util)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: 2 H2O(L) -> 2 H2 + O2 on ``water_conversion`` of the water; power = specific
        electricity x H2 mass (the technology default when ``sec_kWh_per_kg`` <= 0: branch
        frozen); products at T, P and P_o2; ``heat`` closes the balance."""
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        mw = b.config.property_package.mw
        fi = b.sin("water")
        f = fi.flow_mol_comp
        n_h2 = b.par["water_conversion"] * f["H2O(L)"]
        _set_flows(b, "h2", {"H2": n_h2}, "hydrogen")
        _set_flows(b, "o2", {"O2": 0.5 * n_h2}, "oxygen")
        _set_flows(b, "water_out", {j: f[j] - (n_h2 if j == "H2O(L)" else 0.0 * u.mol / u.s) for j in cs.ids},
                   "water not electrolysed and non-water species")
        sec = b.par["sec_kWh_per_kg"] if float(p["sec_kWh_per_kg"]) > 0 else ELECTROLYSER_SEC[str(p["technology"])]
        b.eq_power = pyo.Constraint(expr=b.power == u.convert(sec * u.kW * u.hour / u.kg * n_h2 * mw["H2"], to_units=u.W),
                                    doc="electricity = specific consumption x H2 mass")
        for port, P in (("h2", b.pv("P")), ("o2", b.pv("P_o2")), ("water_out", fi.pressure)):
            b.add_component(f"eq_T_{port}", pyo.Constraint(expr=b.sout(port).temperature == b.pv("T"),
                                                           doc="product temperature"))
            b.add_component(f"eq_P_{port}", pyo.Constraint(expr=b.sout(port).pressure == P, doc=f"{port} pressure"))
        b.add_energy_balance("energy balance: heat (rejected) = H_out - H_in - power")


class Boiler(Unit):
    """Fuel-gas (or any fuel) boiler raising steam: complete combustion with the ``air``
    inlet to CO2, H2O (vapour), N2, SO2, HCl (ash and Ar pass). ``efficiency`` x LHV of the
    fuel (the stream's own heats of formation, :func:`carbonhub.core.stream.lhv_molar`) goes
    to steam (``heat`` = -Q, ``steam_raised_W`` = Q); the flue-gas temperature follows from the
    enthalpy balance. Steam mass from CoolProp (IAPWS-95): superheated steam at ``steam_P``,
    ``steam_T`` from feed water at ``T_feedwater``. Status: air with too little O2, or a
    flue gas that would leave below ``T_flue_min`` (efficiency too high for this air).

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> from carbonhub.unitops.sources import AIR
    >>> cs = ComponentSet.from_ids(["CH4", "H2", "CO2", "H2O", "N2", "O2", "Ar"])
    >>> fuel = Stream.from_flows(cs, {"CH4": 1.0}, T=298.15, P=1.5e5)
    >>> air = Stream.from_flows(cs, {k: 11.0 * v for k, v in AIR.items() if k in cs}, T=298.15, P=1.5e5)
    >>> b = Boiler("boiler")
    >>> r = b.run({"fuel": fuel, "air": air}, b.resolve({}, 1))
    >>> round(float(r.utilities["steam_raised_W"][0] / 1e3), 1), round(float(r.design["T_flue_K"][0]), 1)
    (706.3, 554.9)

    References
    ----------
    Wagner & Pruss (2002), J. Phys. Chem. Ref. Data 31:387 (IAPWS-95 via CoolProp).
    """

    inlets = ("fuel", "air")
    outlets = ("flue_gas",)
    params = {
        "efficiency": Param(0.88, "", 0.1, 1.0, "steam heat / fuel LHV [-]"),
        "steam_P": Param(40e5, "Pa", 1.5e5, 2e7, "steam pressure [Pa]"),
        "steam_T": Param(673.15, "K", 385.0, 900.0, "steam temperature [K]"),
        "T_feedwater": Param(378.15, "K", 280.0, 500.0, "feed-water temperature [K]"),
        "T_flue_min": Param(373.15, "K", 300.0, 600.0, "lowest acceptable flue-gas temperature [K]"),
    }
    costs = (Cost("ref.boiler_package", "steam_t_per_h"),)

    def run(self, ins, p) -> UnitResult:
        import CoolProp.CoolProp as CP

        fu, air = ins["fuel"], ins["air"]
        cs = fu.cs
        el = fu.element_flows + air.element_flows
        e = {k: el[:, ELEMENTS.index(k)] for k in ELEMENTS}
        if "ASH" in cs:  # the ash (SiO2) passes: its oxygen is not available for combustion
            e["O"] = e["O"] - (fu.flow[:, cs.index("ASH")] + air.flow[:, cs.index("ASH")]) * cs.element_matrix[
                cs.index("ASH"), ELEMENTS.index("O")]
        prod = {"CO2": e["C"], "H2O": (e["H"] - e["Cl"]) / 2, "N2": e["N"] / 2, "SO2": e["S"],
                "HCl": e["Cl"], "Ar": e["Ar"]}
        prod["O2"] = (e["O"] - 2 * prod["CO2"] - prod["H2O"] - 2 * prod["SO2"]) / 2
        flue = np.zeros_like(fu.flow)
        for k, v in prod.items():
            if k not in cs:
                if np.any(v > 0):
                    raise ValueError(f"Boiler: flue gas holds {k}: add it to the component set")
                continue
            flue[:, cs.index(k)] = np.maximum(v, 0.0)
        if "ASH" in cs:
            flue[:, cs.index("ASH")] = fu.flow[:, cs.index("ASH")] + air.flow[:, cs.index("ASH")]
        ok_air = prod["O2"] >= -1e-12 * np.maximum(e["O"], 1e-300)
        lhv = fu.flow @ lhv_molar(cs)
        q = p.efficiency * lhv
        H = fu.enthalpy + air.enthalpy - q
        T = solve_T_for_H(cs, flue, H, np.full(p.n, 500.0), T_min=200.0)
        ok_T = T >= p.T_flue_min
        status = np.where(~ok_air, "air supplies too little O2 for complete combustion",
                          np.where(~ok_T, "flue gas below T_flue_min: efficiency too high", "ok"))
        out = Stream(cs, flue, T, np.minimum(fu.P, air.P), mix_origins([fu, air]), check=False)
        heat = out.enthalpy - fu.enthalpy - air.enthalpy
        from ..thermo.steam import h_water  # IAPWS-95; one CoolProp call when the cases agree

        h_st = h_water(p.steam_T, p.steam_P)
        h_fw = h_water(np.minimum(p.T_feedwater, p.steam_T - 1), p.steam_P)
        steam = -heat / (h_st - h_fw)
        design = {"duty_W": -heat, "T_flue_K": T, "lhv_in_W": lhv, "steam_t_per_h": steam * 3.6}
        util = {"steam_raised_W": -heat, "steam_raised_kg_s": steam}
        return UnitResult({"flue_gas": out}, heat, _zero(p.n), design, util,
                          status if (status != "ok").any() else None)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: flue gas from the element balance of fuel + air (complete combustion to CO2,
        H2O, N2, SO2, HCl, Ar, excess O2; ash passes), heat = -efficiency x LHV of the fuel,
        flue-gas temperature from the enthalpy balance. Frozen: which products are clipped at
        0 in the core. ``steam_kg_s`` is an expression with the IAPWS-95 enthalpy rise
        (CoolProp) frozen at the parameters of the case: it does not enter the balances."""
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        fu, ai, so = b.sin("fuel"), b.sin("air"), b.sout("flue_gas")
        e = {k: fu.flow_elem[k] + ai.flow_elem[k] for k in ELEMENTS}
        if "ASH" in cs:  # the ash passes: its oxygen is not available for combustion
            e["O"] = e["O"] - (fu.flow_mol_comp["ASH"] + ai.flow_mol_comp["ASH"]) * float(
                cs.element_matrix[cs.index("ASH"), ELEMENTS.index("O")])
        prod = {"CO2": e["C"], "H2O": (e["H"] - e["Cl"]) / 2, "N2": e["N"] / 2, "SO2": e["S"], "HCl": e["Cl"],
                "Ar": e["Ar"]}
        prod["O2"] = (e["O"] - 2 * prod["CO2"] - prod["H2O"] - 2 * prod["SO2"]) / 2
        flue0 = init.outlets["flue_gas"].flow[0]
        zero = 0.0 * u.mol / u.s
        flows = {k: (v if k in cs and flue0[cs.index(k)] > 0 else zero) for k, v in prod.items() if k in cs}
        if "ASH" in cs:
            flows["ASH"] = fu.flow_mol_comp["ASH"] + ai.flow_mol_comp["ASH"]
        _set_flows(b, "flue_gas", flows, "complete combustion products")
        lhv = dict(zip(cs.ids, lhv_molar(cs)))
        b.eq_heat = pyo.Constraint(expr=b.heat == -b.par["efficiency"] * sum(
            fu.flow_mol_comp[j] * lhv[j] for j in cs.ids) * u.J / u.mol, doc="steam heat = efficiency x fuel LHV")
        b.power.fix(0.0)
        b.add_energy_balance("energy balance: flue-gas temperature")
        Pf, Pa = float(init.inlets["fuel"].P[0]), float(init.inlets["air"].P[0])
        b.eq_P = pyo.Constraint(expr=so.pressure == (fu.pressure if Pf <= Pa else ai.pressure),
                                doc="flue gas at min(P_fuel, P_air)")
        from ..thermo.steam import h_water

        sP, sT, Tfw = (np.array([float(p[k])]) for k in ("steam_P", "steam_T", "T_feedwater"))
        dh = float((h_water(sT, sP) - h_water(np.minimum(Tfw, sT - 1), sP))[0])
        b.steam_kg_s = pyo.Expression(expr=-b.heat / (dh * u.J / u.kg),
                                      doc="steam raised [kg/s] (IAPWS-95 enthalpy rise frozen at the case)")


def steam_turbine(steam_kg_s=None, *, steam_raised_W=None, P_in=40e5, T_in=673.15, P_out=0.1e5,
                  eta_isentropic=0.8, eta_generator=0.97, T_feedwater=378.15) -> dict[str, np.ndarray]:
    """Electricity from steam in a condensing (or back-pressure) turbine: a utility
    calculation on IAPWS-95 steam (CoolProp), batched over arrays.

    Steam is not a carbonhub process stream here (its NASA ideal-gas enthalpy differs from
    IAPWS-95 by a few %), so the turbine is a utility function rather than a Unit: give
    ``steam_kg_s`` or ``steam_raised_W`` (e.g. the sum of the units' ``steam_raised_W``,
    converted with the enthalpy rise from feed water at ``T_feedwater`` to steam at P_in,
    T_in). Work = eta_isentropic (h_in - h_out,s); electricity = eta_generator x work.
    Industrial steam turbines: isentropic efficiency 0.7-0.85 (verify for the machine size).

    Returns {"power_W", "steam_kg_s", "h_in", "h_out", "quality_out"} (arrays; quality NaN when
    the exhaust is superheated).

    Example
    -------
    >>> r = steam_turbine(10.0)
    >>> round(float(r["power_W"][0] / 1e6), 3)
    8.303
    """
    import CoolProp.CoolProp as CP

    P_in, T_in, P_out = (np.atleast_1d(np.asarray(x, float)) for x in (P_in, T_in, P_out))
    if (P_out >= P_in).any():
        raise ValueError(f"steam_turbine: P_out = {P_out.min():g} Pa must be below P_in = {P_in.min():g} Pa")
    h_in = CP.PropsSI("H", "P", P_in, "T", T_in, "Water")
    s_in = CP.PropsSI("S", "P", P_in, "T", T_in, "Water")
    if steam_kg_s is None:
        if steam_raised_W is None:
            raise ValueError("steam_turbine: give steam_kg_s or steam_raised_W")
        h_fw = CP.PropsSI("H", "P", P_in, "T", np.minimum(T_feedwater, T_in - 1), "Water")
        steam_kg_s = np.asarray(steam_raised_W, float) / (h_in - h_fw)
    m = np.atleast_1d(np.asarray(steam_kg_s, float))
    if (m < 0).any():
        raise ValueError(f"steam_turbine: steam flow {m.min():g} kg/s: expected >= 0")
    h_s = CP.PropsSI("H", "P", P_out, "S", s_in, "Water")
    h_out = h_in - eta_isentropic * (h_in - h_s)
    q = CP.PropsSI("Q", "P", P_out, "H", h_out, "Water")
    q = np.where((q >= 0) & (q <= 1), q, np.nan)
    return {"power_W": eta_generator * m * (h_in - h_out), "steam_kg_s": m, "h_in": h_in,
            "h_out": h_out, "quality_out": q}
