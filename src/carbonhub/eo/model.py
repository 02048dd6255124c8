"""Flowsheet -> IDAES/Pyomo model, initialised from the vectorised core, solved by IPOPT.

``build_model(fs, case)`` simulates the case with the core, builds an IDAES
``FlowsheetBlock`` with one :class:`~carbonhub.twin.host.CarbonhubUnit` per unit and an Arc
per connection, and sets every variable to the core's solution: IPOPT starts at the answer.
At the defaults the model has zero degrees of freedom (every parameter is a fixed variable).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from . import _solver_env
from .specs import add_specs, core_regime, set_regime


@dataclass
class CaseInit:
    """Core solution of one case for one unit: streams by port, heat, power, design."""

    inlets: dict
    outlets: dict
    heat: float
    power: float
    design: dict
    utilities: dict


def _case_params(fs, res, case: int) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for owner in list(fs.units.values()) + list(fs.groups.values()):
        d = {}
        for k, decl in owner.all_params().items():
            a = np.asarray(res.param(f"{owner.id}.{k}"))
            v = a[case] if a.ndim else a
            d[k] = v.item() if hasattr(v, "item") else v
        out[owner.id] = d
    return out


def build_model(fs, case: int = 0, params: Mapping[str, Any] | None = None, res=None, tea: bool = True):
    """The IDAES model of ``fs`` for one case (``params`` as in ``fs.simulate``); with the
    route's TEA as expressions in ``m.tea`` when the flowsheet has economics."""
    _solver_env.configure(idaes=True)
    import pyomo.environ as pyo
    from pyomo.network import Arc
    from idaes.core import FlowsheetBlock

    from ..twin.properties import CarbonhubParameterBlock
    from ..twin.host import CarbonhubUnit

    if res is None:
        res = fs.simulate(params=params or {}, costing=tea)
    if not 0 <= case < res.n_cases:
        raise ValueError(f"case = {case}: expected 0 <= case < {res.n_cases}")
    if res.status[case] != "ok":
        raise ValueError(f"case {case} failed in the core ({res.status[case]}): cannot initialise the twin")
    pvals = _case_params(fs, res, case)
    m = pyo.ConcreteModel(name=f"carbonhub {fs.name} case {case}")
    m.fs = FlowsheetBlock(dynamic=False)
    m.fs.props = CarbonhubParameterBlock(components=fs.components)
    streams = {sid: s.take(np.array([case])) for sid, s in res.stream_data.items()}
    for uid, unit in fs.units.items():
        ins = {c.dst.name: streams[c.id] for c in fs.connections if c.dst.unit is unit}
        outs = {c.src.name: streams[c.id] for c in fs.connections if c.src.unit is unit}
        r = res.unit_results.get(uid)
        init = CaseInit(ins, outs, float(r.heat[case]) if r is not None else 0.0,
                        float(r.power[case]) if r is not None else 0.0,
                        {k: _item(v[case]) for k, v in (r.design.items() if r else [])},
                        {k: _item(v[case]) for k, v in (r.utilities.items() if r else [])})
        blk = CarbonhubUnit(property_package=m.fs.props, unit=unit, params=pvals[uid], init=init)
        m.fs.add_component(uid, blk)
    for c in fs.connections:
        src = getattr(m.fs, c.src.unit.id)
        dst = getattr(m.fs, c.dst.unit.id)
        m.fs.add_component(f"s_{c.id}", Arc(source=getattr(src, f"out_{c.src.name}"),
                                     destination=getattr(dst, f"in_{c.dst.name}"),
                                     doc=f"stream {c.id}"))
    pyo.TransformationFactory("network.expand_arcs").apply_to(m)  # arcs are named s_<stream id>
    initialise_from_core(m, fs, res, case)
    m._carbonhub = {"fs": fs, "case": case, "params": pvals, "res": res}
    add_specs(m, fs, res, case)
    if tea:
        from .tea import add_tea

        add_tea(m, fs, res, case)
    return m


def _item(v):
    return v.item() if hasattr(v, "item") else v


def initialise_from_core(m, fs, res, case: int) -> None:
    """Set every state variable, heat and power from the core solution of ``case``."""
    cs = fs.components
    for c in fs.connections:
        s = res.stream_data[c.id]
        for blk, sb in ((getattr(m.fs, c.src.unit.id), f"out_{c.src.name}"),
                        (getattr(m.fs, c.dst.unit.id), f"in_{c.dst.name}")):
            st = blk.sout(c.src.name) if sb.startswith("out_") else blk.sin(c.dst.name)
            for j, cid in enumerate(cs.ids):
                st.flow_mol_comp[cid].set_value(float(s.flow[case, j]))
            st.temperature.set_value(float(s.T[case]))
            st.pressure.set_value(float(s.P[case]))
    for uid in fs.units:
        r = res.unit_results.get(uid)
        if r is None:
            continue
        blk = getattr(m.fs, uid)
        blk.heat.set_value(float(r.heat[case]))
        blk.power.set_value(float(r.power[case]))


def initialise_all_from_core(m, fs, res, case: int) -> None:
    """Set every free variable of ``m.fs`` (streams, heat, power and each unit twin's own
    variables: duties, extents, column internals...) to the core's solution of ``case``, read
    from a twin built there (without TEA; :func:`build_model` initialises every variable from
    the core). :func:`initialise_from_core` sets only streams, heat and power: after a jump of
    the parameters the units' own variables stayed at the old point (biomass_methanol from the
    defaults to gasifier.T = 1400 K: 201 equations off, up to 6.8e8 W in a column condenser,
    and IPOPT's first iteration did not end in minutes). Each variable of the TEA (``m.tea``,
    defined as ``v == expression`` of the physics and of earlier TEA variables) is then
    evaluated from its equation, in the order they were written; one that has no real value
    there (the TEA is a first-order model about the build point: a size ratio of a cost power
    law whose driver changed sign, e.g. biomass_methanol's tar reformer releasing heat above
    ~1350 K) is left to IPOPT, which then cannot satisfy it: rebuild the twin at such a point."""
    import pyomo.environ as pyo
    from pyomo.util.calc_var_value import calculate_variable_from_constraint

    ref = build_model(fs, case=case, res=res, tea=False)
    values = {v.name: v.value for v in ref.fs.component_data_objects(pyo.Var, descend_into=True)}
    for v in m.fs.component_data_objects(pyo.Var, descend_into=True):
        x = values.get(v.name)
        if not v.fixed and x is not None:
            v.set_value(x, skip_validation=True)
    tea = getattr(m, "tea", None)
    for c in (tea.component_data_objects(pyo.Constraint, active=True) if tea is not None else ()):
        lhs = c.expr.args[0] if c.equality else None
        if getattr(lhs, "is_variable_type", lambda: False)() and not lhs.fixed:
            try:
                calculate_variable_from_constraint(lhs, c)
            except (ValueError, ArithmeticError):  # no real value at this point (see above)
                continue


def degrees_of_freedom(m) -> int:
    from idaes.core.util.model_statistics import degrees_of_freedom as dof

    return int(dof(m))


# IPOPT starts at the core's solution: pushing variables off their bounds (IPOPT's default
# bound_push/bound_frac of 1e-2) would move thousands of zero trace flows off zero and start the
# solve far from the answer (the methanol/MtO routes then end "locally infeasible").
WARM_START_OPTIONS = {"bound_push": 1e-8, "bound_frac": 1e-8}


def core_branches(m) -> list[tuple[str, Any, Any]]:
    """(unit id, mutable Param, rule) of every branch a unit twin took at the core's solution
    and lets the core switch: a twin's ``core_branches`` maps the Param's name to
    ``rule(design, case)``, the branch's value from the core's design results (e.g.
    :class:`~carbonhub.unitops.reformer.ReformerSteam`: steam added or not)."""
    out = []
    for uid in m._carbonhub["fs"].units:
        blk = getattr(m.fs, uid)
        for name, rule in (getattr(blk, "core_branches", None) or {}).items():
            out.append((uid, getattr(blk, name), rule))
    return out


def follow_core_regimes(m) -> bool:
    """Where the twin has a design spec with make-up (:mod:`carbonhub.eo.specs`) or a unit
    branch the core decides (:func:`core_branches`) and its fixed unit parameters differ from
    those it was built at: simulate that point in the core (one case) and put each such spec in
    the core's regime there, each branch on the core's side; where one changes, start from the
    core's solution (:func:`initialise_all_from_core`: every variable of the flowsheet, then
    the TEA's). Returns True when a regime or branch changed. A point the core fails at leaves
    the twin as it is."""
    import pyomo.environ as pyo

    regs = getattr(m, "_carbonhub_makeup_specs", [])
    branches = core_branches(m)
    if not regs and not branches:
        return False
    info = m._carbonhub
    fs = info["fs"]
    outputs = {n for s in fs.specs for n in (s.vary, s.makeup) if n is not None}
    point, moved = {}, False
    for oid, values in info["params"].items():
        par = getattr(getattr(m.fs, oid, None), "par", None)
        for k, v0 in values.items():
            name = f"{oid}.{k}"
            if name in outputs:
                continue
            v = v0
            if par is not None and k in par and par[k].fixed and par[k].value != v0:
                v, moved = float(par[k].value), True
            point[name] = [v]
    if moved:
        res, case = fs.simulate(params=point), 0
        if res.status[0] != "ok":
            return False
    else:  # back at the build point: the core's solution there
        res, case = info["res"], info["case"]
    new = [core_regime(r, res, case) for r in regs]
    new_b = [rule(res.unit_results[uid].design, case) for uid, _, rule in branches]
    if (all(n == r.regime for n, r in zip(new, regs))
            and all(v == pyo.value(par) for v, (_, par, _) in zip(new_b, branches))):
        return False
    for v, (_, par, _) in zip(new_b, branches):
        par.set_value(v)
    initialise_all_from_core(m, fs, res, case)
    for spec in fs.specs:
        uid, pname = spec.vary.split(".", 1)
        getattr(m.fs, uid).par[pname].set_value(float(res.param(spec.vary)[case]))
    for n, r in zip(new, regs):
        r.makeup.set_value(float(res.param(r.spec.makeup)[case]))
        set_regime(r, n)
        if r.surplus is not None:
            c = getattr(m, f"spec_{r.spec.id}")
            r.surplus.set_value(max(float(pyo.value(c.body)) + float(r.surplus.value or 0.0), 0.0) if n == "surplus" else 0.0)
    return True


def solve(m, tee: bool = False, options: Mapping[str, Any] | None = None, warm: bool = True,
          regimes: str = "core"):
    """Solve with IDAES's ``ipopt_v2`` (MUMPS); returns the Pyomo results object (also when
    IPOPT does not converge: check ``results.solver.termination_condition``).

    warm : the model is initialised at (or near) a solution, as :func:`build_model` does; IPOPT
        keeps variables at their bounds (and, for a simulation without objective, starts with a
        small barrier parameter). If that solve does not end optimal, it is repeated from the
        same point with IPOPT's default (cold) start.
    regimes : ``"core"``: a twin re-solved at other parameters than it was built at takes the
        regime of each design spec with make-up, and each unit branch the core decides, from the
        core there (:func:`follow_core_regimes`: one core case, ~0.5 s, only where such a spec
        or branch exists; where one changes, also a twin built there to start from, ~2-3 s);
        ``"fixed"``: as built.
    """
    _solver_env.configure(idaes=True)
    import pyomo.environ as pyo

    if regimes not in ("core", "fixed"):
        raise ValueError(f"regimes = {regimes!r}: expected 'core' or 'fixed'")
    if regimes == "core":
        follow_core_regimes(m)

    base = {"tol": 1e-10, "max_iter": 500}
    tries = []
    if warm:
        w = dict(WARM_START_OPTIONS)
        if not any(True for _ in m.component_data_objects(pyo.Objective, active=True)):
            w["mu_init"] = 1e-8
        tries.append({**base, **w, **(options or {})})
    tries.append({**base, **(options or {})})
    start = [(v, v.value) for v in m.component_data_objects(pyo.Var, descend_into=True) if not v.fixed]
    for i, opts in enumerate(tries):
        if i:
            for v, val in start:
                v.set_value(val, skip_validation=True)
        r = _solve_once(m, tee, opts)
        if str(r.solver.termination_condition) in ("optimal", "locallyOptimal"):
            break
    return r


def _solve_once(m, tee, opts):
    from idaes.core.solvers import get_solver

    # no linear presolve: it would fix zero flows from their bounds while keeping the
    # equations that set them ("too few degrees of freedom")
    solver = get_solver("ipopt_v2", options=opts, writer_config={"linear_presolve": False})
    try:
        return solver.solve(m, tee=tee, raise_exception_on_nonoptimal_result=False)
    except Exception:  # no optimal solution to load: report the termination condition instead
        return solver.solve(m, tee=tee, raise_exception_on_nonoptimal_result=False, load_solutions=False)


def streams_from_model(m):
    """{stream id: (flows dict, T, P)} read from the solved model."""
    import pyomo.environ as pyo

    fs = m._carbonhub["fs"]
    out = {}
    for c in fs.connections:
        st = getattr(m.fs, c.src.unit.id).sout(c.src.name)
        out[c.id] = ({j: pyo.value(st.flow_mol_comp[j]) for j in fs.components.ids},
                     pyo.value(st.temperature), pyo.value(st.pressure))
    return out
