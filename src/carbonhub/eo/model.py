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


def add_specs(m, fs, res, case: int) -> None:
    """Each design spec of the core becomes an equation: its varied parameter is freed and
    measure == target holds (the degrees of freedom stay zero). A spec with ``makeup`` whose
    case needed make-up in the core frees the make-up instead (the variable stays at its
    bound); a surplus case at a bound (``surplus_ok``) keeps the variable fixed, no equation."""
    import pyomo.environ as pyo

    from ..twin.host import NoTwinError

    for spec in fs.specs:
        if spec.pyomo_measure is None:
            raise NoTwinError(f"design spec {spec.id!r} has no pyomo_measure: it cannot be posed in the twin")
        uid, pname = spec.vary.split(".", 1)
        blk = getattr(m.fs, uid)
        if spec.makeup is not None:
            x = float(res.param(spec.vary)[case])
            if float(res.param(spec.makeup)[case]) > 0:
                # the core kept the variable at its bound: the make-up is the spec's unknown
                muid, mname = spec.makeup.split(".", 1)
                mk = getattr(m.fs, muid).par[mname]
                mk.unfix()
                mk.setlb(0.0)
                meas = spec.pyomo_measure(m)
                m.add_component(f"spec_{spec.id}", pyo.Constraint(
                    expr=meas == _spec_target(spec, res, case), doc=(spec.doc or spec.id) + " (make-up)"))
                continue
            if x in (float(spec.lower), float(spec.upper)):
                continue  # a surplus at the bound (surplus_ok): the variable stays fixed there
        blk.par[pname].unfix()
        blk.par[pname].setlb(spec.lower)
        blk.par[pname].setub(spec.upper)
        target = _spec_target(spec, res, case)
        meas = spec.pyomo_measure(m)
        expr = meas[0] == target * meas[1] if isinstance(meas, tuple) else meas == target
        m.add_component(f"spec_{spec.id}", pyo.Constraint(expr=expr, doc=spec.doc or f"design spec {spec.id}"))


def _spec_target(spec, res, case: int) -> float:
    return (float(res.param(spec.target)[case]) if isinstance(spec.target, str)
            else float(np.broadcast_to(np.asarray(spec.target, dtype=float), (res.n_cases,))[case]))


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


def degrees_of_freedom(m) -> int:
    from idaes.core.util.model_statistics import degrees_of_freedom as dof

    return int(dof(m))


# IPOPT starts at the core's solution: pushing variables off their bounds (IPOPT's default
# bound_push/bound_frac of 1e-2) would move thousands of zero trace flows off zero and start the
# solve far from the answer (the methanol/MtO routes then end "locally infeasible").
WARM_START_OPTIONS = {"bound_push": 1e-8, "bound_frac": 1e-8}


def solve(m, tee: bool = False, options: Mapping[str, Any] | None = None, warm: bool = True):
    """Solve with IDAES's ``ipopt_v2`` (MUMPS); returns the Pyomo results object (also when
    IPOPT does not converge: check ``results.solver.termination_condition``).

    warm : the model is initialised at (or near) a solution, as :func:`build_model` does; IPOPT
        keeps variables at their bounds (and, for a simulation without objective, starts with a
        small barrier parameter). If that solve does not end optimal, it is repeated from the
        same point with IPOPT's default (cold) start.
    """
    _solver_env.configure(idaes=True)
    import pyomo.environ as pyo

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
