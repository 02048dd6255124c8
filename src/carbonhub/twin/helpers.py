"""Helpers of the equation-oriented twins: outlet flows/temperature/pressure as constraints,
design results as expressions, enthalpy and entropy flows of a state block at a temperature.
Pyomo is imported inside each helper (a twin is built only on request)."""
from __future__ import annotations

from ..thermo.nasa7 import R


def eo_outlet(b, port: str, flows: dict, T, P, what: str) -> None:
    """Twin constraints of outlet ``port``: component flows ``flows[j]`` (0 where j is absent),
    temperature ``T`` and pressure ``P`` (Pyomo expressions with units)."""
    import pyomo.environ as pyo

    st = b.sout(port)
    flow_constraints(b, f"eq_flow_{port}", st, flows, f"{port}: {what}")
    b.add_component(f"eq_T_{port}", pyo.Constraint(expr=st.temperature == T, doc=f"{port} temperature"))
    b.add_component(f"eq_P_{port}", pyo.Constraint(expr=st.pressure == P, doc=f"{port} pressure"))


def eo_design(b, terms: dict, doc: str) -> None:
    """``b.design[name]``: design results of the twin (names and units as in the core's
    ``UnitResult.design``; the costing reads its size from here)."""
    import pyomo.environ as pyo

    b.design_names = pyo.Set(initialize=list(terms), ordered=True, doc="design results of the twin")
    b.design = pyo.Expression(b.design_names, rule=lambda b, k: terms[k], doc=doc)


def eo_fired_heater_kW(init, duty):
    """Twin of a unit's ``fired_heater_kW`` (:func:`carbonhub.unitops._common.fired_heater_design`):
    the heating duty ``duty`` [W, a Pyomo expression] in kW where the core's case fires its
    feed heater (the regime frozen at the case), else 0."""
    import numpy as np
    import pyomo.environ as pyo

    fired0 = float(np.ravel(init.design.get("fired_heater_kW", [0.0]))[0]) > 0
    return duty / (1e3 * pyo.units.W) if fired0 else 0.0


def eo_effluent_duty(b, effluent: dict, T, water_vapour: bool = True):
    """H(effluent at T) - sum H_in [W] as a Pyomo expression (the reactor part of ``heat``,
    as :func:`reactor_and_cooler_duties`); liquid water counted as vapour if asked."""
    import pyomo.environ as pyo

    from .properties import nasa_h_expr

    cs = b.config.property_package.cs
    eff = dict(effluent)
    if water_vapour and "H2O(L)" in eff and "H2O" in eff:
        eff["H2O"], eff["H2O(L)"] = eff["H2O"] + eff["H2O(L)"], 0.0
    Tn = T / pyo.units.K
    H = sum(eff[j] * nasa_h_expr(cs, j, Tn) * pyo.units.J / pyo.units.mol
            for j in cs.ids if not (isinstance(eff[j], float) and eff[j] == 0.0))
    return H - sum(b.sin(n).enth_flow for n in b.config.unit.inlet_names)


def flow_constraints(b, name: str, state, flows: dict, doc: str, zero=0.0) -> None:
    """``state.flow_mol_comp[j] == flows[j]`` for every component (``zero`` where ``flows`` has
    no entry), as one indexed Constraint ``b.<name>``: the one way the twins set outlet flows."""
    import pyomo.environ as pyo

    def rule(b, j):
        return state.flow_mol_comp[j] == flows.get(j, zero)

    b.add_component(name, pyo.Constraint(b.comps, rule=rule, doc=doc))


def design_expressions(b, exprs: dict) -> None:
    """``b.design[key]``: design results of the core as dimensionless Pyomo expressions (the
    number in the unit named by the key, as in ``UnitResult.design``)."""
    eo_design(b, exprs, "design results (value in the unit named by the key)")


def set_flows(b, port: str, exprs: dict, doc: str) -> None:
    """Constraint ``eq_flow_<port>[j]``: outlet ``port`` flows = ``exprs[j]`` (0 mol/s if absent)."""
    import pyomo.environ as pyo

    flow_constraints(b, f"eq_flow_{port}", b.sout(port), exprs, doc, zero=0.0 * pyo.units.mol / pyo.units.s)


def heated_outlet(b, T_param: str, dP_doc: str = "pressure drop") -> None:
    """Twin of a heater or cooler (one inlet ``feed``, one outlet ``out``): flows unchanged,
    outlet at the parameter ``T_param`` and at the inlet pressure less ``dP``, no power, heat
    from the energy balance."""
    import pyomo.environ as pyo

    b.add_component_balances()
    b.eq_T = pyo.Constraint(expr=b.sout("out").temperature == b.pv(T_param), doc="outlet temperature")
    b.eq_P = pyo.Constraint(expr=b.sout("out").pressure == b.sin("feed").pressure - b.pv("dP"), doc=dP_doc)
    b.power.fix(0.0)
    b.add_energy_balance()


def same_flows(b, out: str, inlet: str) -> None:
    """Constraint ``eq_flow_<out>[j]``: outlet ``out`` carries the flows of inlet ``inlet``."""
    si = b.sin(inlet)
    flow_constraints(b, f"eq_flow_{out}", b.sout(out), {j: si.flow_mol_comp[j] for j in b.comps},
                     f"{out}: flows of {inlet}")


def H_at(cs, st, Tn):
    """Enthalpy flow [W] of the flows of state block ``st`` at the dimensionless temperature
    ``Tn`` (= T/K; any Pyomo expression), NASA-7 as the property package."""
    import pyomo.environ as pyo

    from .properties import nasa_h_expr

    return sum(st.flow_mol_comp[j] * nasa_h_expr(cs, j, Tn) for j in cs.ids) * pyo.units.J / pyo.units.mol


def S_at(cs, st, Tn):
    """Standard-state entropy flow [W/K] (pure species at 1 atm) of ``st``'s flows at Tn."""
    import pyomo.environ as pyo

    from .properties import nasa_s0_expr

    return sum(st.flow_mol_comp[j] * nasa_s0_expr(cs, j, Tn) for j in cs.ids) * pyo.units.J / pyo.units.mol / pyo.units.K


def saturated(b, name: str, vap, dry, P, psat, doc: str):
    """Constraint ``name``: vapour ``vap`` saturates ``dry`` gas at P with the water saturation
    pressure ``psat`` (y_w = P_sat/P), written vap (P - P_sat) = P_sat dry (no division)."""
    import pyomo.environ as pyo

    b.add_component(name, pyo.Constraint(expr=vap * (P - psat) == psat * dry, doc=doc))


def gas_flow_m3_s(st, cs):
    """Actual gas flow [m3/s, dimensionless] of a state block as an ideal gas (as the core)."""
    import pyomo.environ as pyo

    u = pyo.units
    n = sum(st.flow_mol_comp[j] for i, j in enumerate(cs.ids) if cs.is_gas[i]) / (u.mol / u.s)
    return n * R * (st.temperature / u.K) / (st.pressure / u.Pa)


def frozen_min(a, a0: float, b_, b0: float):
    """min(a, b) with the branch frozen at the core values (a0, b0): a on ties."""
    return a if a0 <= b0 else b_
