"""Heat exchange: two-stream heat exchanger, fuel-gas boiler and a steam-turbine utility
calculation."""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream, lhv_molar, mix_origins, solve_T_for_H
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo.components import ELEMENTS
from ..thermo.engine import use_numba
from ..thermo.nasa7 import R
from ..twin.helpers import H_at, same_flows, set_flows
from ._common import lmtd, zeros
from ..thermo.rowdot import rowdot


def exchange(h: Stream, c: Stream, spec: str, dT_min: np.ndarray, duty: np.ndarray, T_hot_out: np.ndarray,
             engine: str = "auto", T_cold_out: np.ndarray | None = None
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(duty q [W], hot outlet T [K], cold outlet T [K], heat [W]) per case of the exchanger
    :class:`HeatExchanger` between ``h`` and ``c`` by ``spec`` (``T_cold_out`` [K] for spec
    "cold_T_out"); heat = H_out - H_in, zero to the enthalpy inversion's tolerance (both sides'
    balances close through the solved temperatures). ``engine``: "auto" (the same steps compiled per case,
    :func:`carbonhub.unitops._unit_kernels.exchange`, unless ``CARBONHUB_NUMBA=0``), "numba" or
    "numpy" (the reference below)."""
    T_cold_out = c.T if T_cold_out is None else np.broadcast_to(np.asarray(T_cold_out, dtype=float), c.T.shape)
    if use_numba(engine):
        from . import _unit_kernels as K

        cs, a = h.cs, np.ascontiguousarray
        code = {"approach": K.APPROACH, "duty": K.DUTY, "hot_T_out": K.HOT_T_OUT, "cold_T_out": K.COLD_T_OUT}[spec]
        with np.errstate(all="ignore"):
            return K.exchange(a(h.flow), a(h.T), a(c.flow), a(c.T), code, a(dT_min, dtype=float),
                              a(duty, dtype=float), a(T_hot_out, dtype=float), a(T_cold_out, dtype=float),
                              cs.low, cs.high, cs.tmid, R)
    cs = h.cs
    Hh, Hc = h.enthalpy, c.enthalpy
    if spec == "approach":
        q = np.minimum(Hh - h.enthalpy_at(c.T + dT_min), c.enthalpy_at(h.T - dT_min) - Hc)
    elif spec == "duty":
        q = np.array(duty, dtype=float)
    elif spec == "cold_T_out":
        q = c.enthalpy_at(T_cold_out) - Hc
    else:
        q = Hh - h.enthalpy_at(T_hot_out)
    flows = (h.total_flow > 0) & (c.total_flow > 0)
    q = np.where(flows, q, 0.0)
    Th = solve_T_for_H(cs, h.flow, Hh - q, np.where(spec == "hot_T_out", T_hot_out, h.T))
    if spec == "cold_T_out":  # the set temperature where heat flows (as the hot side's below)
        Tc = np.where(flows, T_cold_out, c.T)
    else:
        Tc = solve_T_for_H(cs, c.flow, Hc + q, c.T)
    if spec == "hot_T_out":
        Th = np.where(h.total_flow > 0, T_hot_out, h.T)
    heat = (h.enthalpy_at(Th) + c.enthalpy_at(Tc)) - (Hh + Hc)
    return q, Th, Tc, heat


class HeatExchanger(Unit):
    """Two-stream counter-current heat exchanger (ports ``hot``/``cold`` -> ``hot_out``/
    ``cold_out``), adiabatic overall (heat = 0, power = 0).

    Specification ``spec``: "approach" (the largest duty with at least ``dT_min`` at both
    ends: Q = min[H_hot(T_h,in) - H_hot(T_c,in + dT_min), H_cold(T_h,in - dT_min) -
    H_cold(T_c,in)]), "duty" (``duty`` [W]), "hot_T_out" (``T_hot_out`` [K]) or "cold_T_out"
    (the cold side heated to ``T_cold_out`` [K]: Q = H_cold(T_cold_out) - H_cold(T_c,in), e.g.
    a reactor's feed brought to its inlet temperature by its effluent). The other
    outlet temperature follows from its enthalpy balance (NASA-7; no phase change: a hot
    stream cooled below its dew point does not condense here, put a Flash after it). A
    temperature cross (either end below ``dT_min``, or negative duty) gives a status.
    Area = Q / (U LMTD).
    """

    inlets = ("hot", "cold")
    outlets = ("hot_out", "cold_out")
    params = {
        "spec": Param("approach", "choice", doc="what fixes the duty",
                      choices=("approach", "duty", "hot_T_out", "cold_T_out")),
        "dT_min": Param(10.0, "K", 0.0, 500.0, "minimum approach temperature [K]"),
        "duty": Param(1e6, "W", 0.0, 1e10, "heat transferred (spec 'duty') [W]"),
        "T_hot_out": Param(350.0, "K", 50.0, 2500.0, "hot outlet temperature (spec 'hot_T_out') [K]"),
        "T_cold_out": Param(573.15, "K", 50.0, 2500.0, "cold outlet temperature (spec 'cold_T_out') [K]"),
        "U": Param(300.0, "W/m^2/K", 1.0, 1e4, "overall heat-transfer coefficient [W/(m2 K)]"),
        "dP_hot": Param(0.0, "Pa", 0.0, 1e7, "hot-side pressure drop [Pa]"),
        "dP_cold": Param(0.0, "Pa", 0.0, 1e7, "cold-side pressure drop [Pa]"),
    }
    costs = (Cost("turton.heat_exchanger_floating_head", "area_m2"),)
    narrow_adds = ()  # creates no component (core.narrow)

    def run(self, ins, p) -> UnitResult:
        h, c = ins["hot"], ins["cold"]
        spec = str(p.scalar("spec"))
        q, Th, Tc, heat = exchange(h, c, spec, p.dT_min, p.duty, p.T_hot_out, T_cold_out=p.T_cold_out)
        ho = h.with_(T=Th, P=np.maximum(h.P - p.dP_hot, 1.0))
        co = c.with_(T=Tc, P=np.maximum(c.P - p.dP_cold, 1.0))
        dt1, dt2 = h.T - Tc, Th - c.T
        tol = 1e-6
        cross = (q < 0) | (dt1 < p.dT_min - tol) | (dt2 < p.dT_min - tol)
        crossed = cross & (q != 0)
        area = np.where(q > 0, q / (p.U * lmtd(dt1, dt2)), 0.0)
        design = {"duty_W": q, "area_m2": area, "lmtd_K": lmtd(dt1, dt2), "T_hot_out_K": Th,
                  "T_cold_out_K": Tc}
        return UnitResult({"hot_out": ho, "cold_out": co}, heat, zeros(p.n), design, {},
                          np.where(crossed, "temperature cross: approach below dT_min or duty < 0", "ok")
                          if crossed.any() else None)

    def independent_outlets(self, p, inlet: str) -> frozenset[str]:
        """Outlets that do not depend on ``inlet`` where both sides carry flow
        (:mod:`carbonhub.core.passive`): with spec "cold_T_out" in every case, the cold outlet
        (the cold inlet at ``T_cold_out``) does not depend on the hot inlet."""
        if inlet == "hot" and (np.asarray(p.spec) == "cold_T_out").all():
            return frozenset({"cold_out"})
        return frozenset()

    def build_pyomo(self, b, p, init) -> None:
        """Twin: ``duty`` Q by the specification (approach: the side of the min that binds in
        the core solution; duty; hot outlet T; cold outlet T), hot_out: H = H_hot - Q, cold_out: H = H_cold +
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
            qa = hi.enth_flow - H_at(cs, hi, (ci.temperature + dT) / u.K)
            qb = H_at(cs, ci, (hi.temperature - dT) / u.K) - ci.enth_flow
            dt = float(p["dT_min"])
            qa0 = float(h.enthalpy[0] - h.enthalpy_at(c.T + dt)[0])
            qb0 = float(c.enthalpy_at(h.T - dt)[0] - c.enthalpy[0])
            q = qa if qa0 <= qb0 else qb
        elif spec == "duty":
            q = b.pv("duty")
        elif spec == "cold_T_out":  # the cold outlet at T_cold_out (eq_cold), Q its enthalpy rise
            q = co.enth_flow - ci.enth_flow
        else:
            q = hi.enth_flow - H_at(cs, hi, b.pv("T_hot_out") / u.K)
        b.eq_duty = pyo.Constraint(expr=b.duty == q, doc=f"duty by the specification ({spec})")
        same_flows(b, "hot_out", "hot")
        same_flows(b, "cold_out", "cold")
        # a side without flow keeps its inlet temperature (as the core's solve_T_for_H)
        b.eq_hot = pyo.Constraint(expr=ho.enth_flow == hi.enth_flow - b.duty if float(h.total_flow[0]) > 0
                                  else ho.temperature == hi.temperature, doc="hot side: H_out = H_in - Q")
        flows = float(h.total_flow[0]) > 0 and float(c.total_flow[0]) > 0
        b.eq_cold = pyo.Constraint(expr=co.temperature == b.pv("T_cold_out") if spec == "cold_T_out" and flows
                                   else co.enth_flow == ci.enth_flow + b.duty if float(c.total_flow[0]) > 0
                                   else co.temperature == ci.temperature,
                                   doc="cold side: H_out = H_in + Q (spec cold_T_out: T_out = T_cold_out)")
        for port, st, init_s, dp in (("hot_out", hi, h, "dP_hot"), ("cold_out", ci, c, "dP_cold")):
            Pout = st.pressure - b.pv(dp) if float(init_s.P[0]) - float(p[dp]) > 1.0 else 1.0 * u.Pa
            b.add_component(f"eq_P_{port}", pyo.Constraint(expr=b.sout(port).pressure == Pout, doc=f"{port} pressure drop"))
        b.heat.fix(0.0)
        b.power.fix(0.0)


def flue_gas(fu: Stream, air: Stream, flue: np.ndarray, q: np.ndarray, engine: str = "auto"
             ) -> tuple[np.ndarray, np.ndarray]:
    """(flue-gas temperature [K], heat [W]) per case of a burner of ``fu`` with ``air`` whose
    products ``flue`` (flows, mol/s) deliver ``q`` [W]: H_flue(T) = H_fuel + H_air - q (from
    500 K), heat = H_flue(T) - H_fuel - H_air (= -q to the inversion's tolerance). ``engine``:
    "auto" (compiled per case, :func:`carbonhub.unitops._unit_kernels.flue_gas`, unless
    ``CARBONHUB_NUMBA=0``), "numba" or "numpy" (the reference below)."""
    cs = fu.cs
    if use_numba(engine):
        from ._unit_kernels import flue_gas as kernel

        a = np.ascontiguousarray
        with np.errstate(all="ignore"):
            return kernel(a(fu.flow), a(fu.T), a(air.flow), a(air.T), a(flue, dtype=float), a(q, dtype=float),
                          500.0, cs.low, cs.high, cs.tmid, R)
    H = fu.enthalpy + air.enthalpy - q
    T = solve_T_for_H(cs, flue, H, np.full(q.shape, 500.0), T_min=200.0)
    return T, Stream(cs, flue, T, fu.P, check=False).enthalpy - fu.enthalpy - air.enthalpy


def combustion_products(e: dict) -> dict:
    """Complete combustion of an element inventory ``e`` (element -> flow [mol/s]; numpy arrays
    or Pyomo expressions alike): C -> CO2, H -> H2O (less the H of HCl), N -> N2, S -> SO2,
    Cl -> HCl, Ar passes, and the O left over as O2 (negative: too little oxygen)."""
    prod = {"CO2": e["C"], "H2O": (e["H"] - e["Cl"]) / 2, "N2": e["N"] / 2, "SO2": e["S"],
            "HCl": e["Cl"], "Ar": e["Ar"]}
    prod["O2"] = (e["O"] - 2 * prod["CO2"] - prod["H2O"] - 2 * prod["SO2"]) / 2
    return prod


COMBUSTION_PRODUCTS = tuple(combustion_products({e: 0.0 for e in ELEMENTS}))
"""The species :func:`combustion_products` makes (a burner's flue gas, read by id)."""


def combustion_inventory(cs, elem: dict, ash) -> dict:
    """The element inventory that burns: ``elem`` (element -> flow of fuel + air, arrays or Pyomo
    expressions) less the oxygen of the inert ash (SiO2; ``ash`` its flow), which passes."""
    e = dict(elem)
    if "ASH" in cs:
        e["O"] = e["O"] - ash * float(cs.element_matrix[cs.index("ASH"), ELEMENTS.index("O")])
    return e


def complete_combustion(fu: Stream, air: Stream, who: str) -> tuple[np.ndarray, np.ndarray, dict, np.ndarray]:
    """Numpy side of a burner of ``fu`` with ``air``: (flue-gas flows without the ash (products
    of :func:`combustion_products`, clipped at 0), ash flows, products, air-sufficient mask)."""
    cs = fu.cs
    el = fu.element_flows + air.element_flows
    ash_in = fu.flow[:, cs.index("ASH")] + air.flow[:, cs.index("ASH")] if "ASH" in cs else 0.0
    e = combustion_inventory(cs, {k: el[:, ELEMENTS.index(k)] for k in ELEMENTS}, ash_in)
    prod = combustion_products(e)
    flue = np.zeros_like(fu.flow)
    for k, v in prod.items():
        if k not in cs:
            if np.any(v > 0):
                raise ValueError(f"{who}: flue gas holds {k}: add it to the component set")
            continue
        flue[:, cs.index(k)] = np.maximum(v, 0.0)
    ash = np.zeros_like(fu.flow)
    if "ASH" in cs:
        ash[:, cs.index("ASH")] = ash_in
    return flue, ash, prod, prod["O2"] >= -1e-12 * np.maximum(e["O"], 1e-300)


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
        fu, air = ins["fuel"], ins["air"]
        cs = fu.cs
        flue, ash, _, ok_air = complete_combustion(fu, air, "Boiler")
        flue = flue + ash  # the ash (SiO2) passes with the flue gas
        lhv = rowdot(fu.flow, lhv_molar(cs))
        T, heat = flue_gas(fu, air, flue, p.efficiency * lhv)
        ok_T = T >= p.T_flue_min
        status = np.where(~ok_air, "air supplies too little O2 for complete combustion",
                          np.where(~ok_T, "flue gas below T_flue_min: efficiency too high", "ok"))
        out = Stream(cs, flue, T, np.minimum(fu.P, air.P), mix_origins([fu, air]), check=False)
        from ..thermo.steam import h_water  # IAPWS-95; one CoolProp call when the cases agree

        h_st = h_water(p.steam_T, p.steam_P)
        h_fw = h_water(np.minimum(p.T_feedwater, p.steam_T - 1), p.steam_P)
        steam = -heat / (h_st - h_fw)
        design = {"duty_W": -heat, "T_flue_K": T, "lhv_in_W": lhv, "steam_t_per_h": steam * 3.6}
        util = {"steam_raised_W": -heat, "steam_raised_kg_s": steam}
        return UnitResult({"flue_gas": out}, heat, zeros(p.n), design, util,
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
        ash = fu.flow_mol_comp["ASH"] + ai.flow_mol_comp["ASH"] if "ASH" in cs else 0.0
        prod = combustion_products(combustion_inventory(cs, {k: fu.flow_elem[k] + ai.flow_elem[k] for k in ELEMENTS},
                                                        ash))
        flue0 = init.outlets["flue_gas"].flow[0]
        zero = 0.0 * u.mol / u.s
        flows = {k: (v if k in cs and flue0[cs.index(k)] > 0 else zero) for k, v in prod.items() if k in cs}
        if "ASH" in cs:
            flows["ASH"] = fu.flow_mol_comp["ASH"] + ai.flow_mol_comp["ASH"]
        set_flows(b, "flue_gas", flows, "complete combustion products")
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
