"""Machines: compressor and pump (the steam turbine is in :mod:`~carbonhub.unitops.heat`).

Gases are ideal with the NASA-7 data of the component set (the same thermo as every
balance), so compression follows the exact ideal-gas entropy s = sum n [s°(T) - R ln(y P/P°)]
with temperature-dependent cp.

Example
-------
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> from carbonhub.unitops.machines import Compressor
>>> cs = ComponentSet.from_ids(["N2", "O2"])
>>> air = Stream.from_flows(cs, {"N2": 0.79, "O2": 0.21}, T=300.0, P=1e5)
>>> c = Compressor("c", P_out=5e5, eta=0.8)
>>> r = c.run({"feed": air}, c.resolve({}, 1))
>>> round(float(r.outlets["out"].T[0]), 2), round(float(r.power[0]), 1)
(515.46, 6359.5)
"""
from __future__ import annotations

import numpy as np

from ..core.stream import present, solve_T_for_H
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo.engine import use_numba
from ..thermo.nasa7 import R
from ..twin.helpers import H_at, S_at, same_flows
from ._common import barg, utility_exchanger_area, utility_exchanger_params
from ..thermo.rowdot import rowsum


def solve_T_for_S(cs, flow: np.ndarray, S_target: np.ndarray, T0: np.ndarray, tol: float = 1e-13,
                  max_iter: int = 60, engine: str = "auto") -> np.ndarray:
    """Temperature [K] (n,) where sum n_i s°_i(T) = S_target [W/K] (standard-state entropy
    flow at P° = 1 atm); batched Newton (dS/dT = sum n cp / T > 0) with a bisection guard.
    ``engine``: "auto" (the same iteration compiled per case over its own species,
    ``thermo._nasa7_kernel.t_for_s``, unless ``CARBONHUB_NUMBA=0``), "numba" or "numpy" (the
    reference below)."""
    if use_numba(engine):
        from ..thermo._nasa7_kernel import t_for_s

        cols = present(flow)
        c = np.ascontiguousarray
        with np.errstate(all="ignore"):
            return t_for_s(c(flow[:, cols], dtype=float), c(S_target, dtype=float), np.array(T0, dtype=float),
                           c(cs.low[cols]), c(cs.high[cols]), c(cs.tmid[cols]), float(tol), int(max_iter),
                           50.0, 6000.0, R)
    T = np.array(T0, dtype=float)
    lo = np.full_like(T, 50.0)
    hi = np.full_like(T, 6000.0)
    act = np.flatnonzero(rowsum(flow) > 0)
    for _ in range(max_iter):
        if act.size == 0:
            break
        Ta, fa = T[act], flow[act]
        g = rowsum(fa * cs.s0(Ta)) - S_target[act]
        dg = rowsum(fa * cs.cp(Ta)) / Ta
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
    N = rowsum(flow)
    cols = present(flow)  # thermo of the components present only
    fc = flow[:, cols]
    S1 = rowsum(fc * cs.s0_cols(T1, cols))
    H1 = rowsum(fc * cs.h_cols(T1, cols))
    lnr = np.log(ratio)
    guess = T1 * ratio ** 0.3
    if polytropic:
        T2 = solve_T_for_S(cs, flow, S1 + R * N * lnr / eta, guess)
        return T2, rowsum(fc * cs.h_cols(T2, cols)) - H1
    T2s = solve_T_for_S(cs, flow, S1 + R * N * lnr, guess)
    H2 = H1 + (rowsum(fc * cs.h_cols(T2s, cols)) - H1) / eta
    T2 = solve_T_for_H(cs, flow, H2, T2s)
    return T2, H2 - H1


def compressor_stages(cs, flow: np.ndarray, T_in: np.ndarray, r: np.ndarray, eta: np.ndarray,
                      ns: np.ndarray, polytropic: bool, after: bool, T_ic: np.ndarray,
                      engine: str = "auto") -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(T_out [K], work [W], q_cool [W], T_discharge [K]) per case of ``ns`` stages of pressure
    ratio ``r`` (:func:`compress`), the gas cooled to ``T_ic`` between stages (and after the
    last if ``after``) where hotter; q_cool (negative) is the coolers' duty. ``engine``:
    "auto" (the same stages compiled per case over its own species,
    :func:`carbonhub.unitops._unit_kernels.compressor_stages`, unless ``CARBONHUB_NUMBA=0``),
    "numba" or "numpy" (the reference below)."""
    if use_numba(engine):
        from ._unit_kernels import compressor_stages as kernel

        c = np.ascontiguousarray
        with np.errstate(all="ignore"):
            # ln r and r^0.3 by numpy, as the reference (its SIMD log and power may differ from
            # the C library's in the last bit, and so would the roots)
            return kernel(c(flow, dtype=float), c(T_in, dtype=float), np.log(r), r ** 0.3, c(eta, dtype=float),
                          c(ns, dtype=np.int64), bool(polytropic), c(T_ic, dtype=float), bool(after),
                          cs.low, cs.high, cs.tmid, R)
    T = np.array(T_in, dtype=float)
    work = np.zeros(T.size)
    q_cool = np.zeros(T.size)
    T_dis = T.copy()
    cols = present(flow)
    fc = flow[:, cols]
    for k in range(int(ns.max(initial=0))):
        on = k < ns
        T2, w = compress(cs, flow, T, r, eta, polytropic)
        T2 = np.where(on, T2, T)
        work += np.where(on, w, 0.0)
        T_dis = np.maximum(T_dis, T2)
        cool = on & ((k < ns - 1) | after) & (T2 > T_ic)
        Tc = np.where(cool, T_ic, T2)
        dh = rowsum(fc * (cs.h_cols(Tc, cols) - cs.h_cols(T2, cols)))
        q_cool += np.where(cool, dh, 0.0)
        T = Tc
    return T, work, q_cool, T_dis


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
        **utility_exchanger_params(300.0, "cooler overall U [W/(m2 K)]", "mean approach to cooling water [K]"),
    }
    costs = (Cost("turton.compressor_centrifugal", "power_kW"),
             Cost("turton.electric_motor_explosion_proof", "power_kW"),
             Cost("turton.heat_exchanger_fixed_tube", "area_m2", label="intercoolers"))
    narrow_adds = ()  # creates no component (core.narrow)

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs = s.cs
        f = s.flow
        liquid = (rowsum(f[:, ~cs.is_gas]) > 1e-12 * np.maximum(rowsum(f), 1e-300))
        pin = s.P
        ratio_tot = p.P_out / pin
        ns = np.rint(p.n_stages).astype(int)
        r = ratio_tot ** (1.0 / ns)
        poly = str(p.scalar("efficiency_type")) == "polytropic"
        after = str(p.scalar("aftercooler")) == "yes"
        T, work, q_cool, T_dis = compressor_stages(cs, f, s.T, r, p.eta, ns, poly, after, p.T_intercool)
        out = s.with_(T=T, P=p.P_out.copy())
        heat = q_cool  # cooler duties; H_in + heat + work = H_out to the solver tolerance
        bad = (ratio_tot < 1.0) | liquid
        status = None  # the reasons (an array of strings per case) only where a case has one
        if bad.any():
            status = np.where(ratio_tot < 1.0, "P_out below the inlet pressure (use a valve or expander)",
                              np.where(liquid, "compressor feed contains liquid or solid species", "ok"))
        design = {"power_kW": work / 1e3, "n_stages": ns.astype(float), "pressure_ratio_stage": r,
                  "T_discharge_K": T_dis, "T_out_K": T, "intercooler_duty_W": -heat,
                  "area_m2": utility_exchanger_area(heat, p)}
        util = {"electricity_W": work / p.eta_drive, "cooling_W": -heat}
        return UnitResult({"out": out}, heat, work, design, util, status)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: per stage k (number of stages frozen at the rounded ``n_stages``), the
        isentropic outlet ``T_isentropic[k]``: S°(T2s) = S°(T_k) + R N ln r (NASA-7 entropy
        with T-dependent cp, :func:`carbonhub.twin.properties.nasa_s0_expr`), the actual outlet
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
            N = rowsum(s.flow)
            S1 = rowsum(s.flow * cs.s0(T))
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
            b.eq_stage = pyo.Constraint(b.stages, rule=lambda b, k: S_at(cs, fi, b.T_stage[k] / u.K)
                                        == S_at(cs, fi, T_in[k] / u.K) + Rg * N * lnr / b.par["eta"],
                                        doc="polytropic path: S(T2) = S(T1) + R N ln(r) / eta")
        else:
            b.T_isentropic = pyo.Var(b.stages, initialize=dict(enumerate(T2s0)), bounds=(150.0, 6000.0), units=u.K,
                                     doc="isentropic stage outlet temperature [K]")
            b.eq_isentropic = pyo.Constraint(b.stages, rule=lambda b, k: S_at(cs, fi, b.T_isentropic[k] / u.K)
                                             == S_at(cs, fi, T_in[k] / u.K) + Rg * N * lnr,
                                             doc="isentropic: S(T2s) = S(T1) + R N ln(r)")
            b.eq_stage = pyo.Constraint(b.stages, rule=lambda b, k: b.par["eta"] * (
                H_at(cs, fi, b.T_stage[k] / u.K) - H_at(cs, fi, T_in[k] / u.K))
                == H_at(cs, fi, b.T_isentropic[k] / u.K) - H_at(cs, fi, T_in[k] / u.K),
                doc="isentropic efficiency: eta (h2 - h1) = h2s - h1")
        b.eq_power = pyo.Constraint(expr=b.power == sum(H_at(cs, fi, b.T_stage[k] / u.K) - H_at(cs, fi, T_in[k] / u.K)
                                                        for k in range(ns)), doc="shaft power = sum of stage work")
        same_flows(b, "out", "feed")
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
        V = rowsum(m / rho)
        dP = p.P_out - s.P
        work = V * np.maximum(dP, 0.0) / p.eta
        H = s.enthalpy + work
        T = solve_T_for_H(cs, s.flow, H, s.T)
        out = s.with_(T=T, P=p.P_out.copy())
        heat = out.enthalpy - s.enthalpy - work
        design = {"power_kW": work / 1e3, "volume_flow_m3_s": V, "head_Pa": dP, "P_barg": barg(p.P_out)}
        return UnitResult({"out": out}, heat, work, design, {"electricity_W": work / p.eta_drive},
                          np.where(dP < 0, "P_out below the inlet pressure", "ok") if (dP < 0).any() else None)

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
        same_flows(b, "out", "feed")
        b.eq_P = pyo.Constraint(expr=so.pressure == b.pv("P_out"), doc="discharge pressure")
        b.heat.fix(0.0)
        if float(init.inlets["feed"].total_flow[0]) > 0:
            b.add_energy_balance("energy balance: the work heats the liquid (outlet T)")
        else:  # no flow: the core keeps the inlet temperature
            b.eq_T = pyo.Constraint(expr=so.temperature == fi.temperature, doc="no flow: inlet temperature")
