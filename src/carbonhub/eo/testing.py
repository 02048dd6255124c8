"""Check that a unit's equation-oriented twin reproduces its numpy ``run`` (rtol 1e-6 by
default): the cross-check every unit carries (DESIGN.md "Two engines, one answer").

Example
-------
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> from carbonhub.unitops.basic import Heater
>>> from carbonhub.eo.testing import compare_twin
>>> cs = ComponentSet.from_ids(["N2", "H2O"])
>>> feed = Stream.from_flows(cs, {"N2": 1.0, "H2O": 0.2}, T=300.0, P=2e5)
>>> report = compare_twin(Heater("h", T=450.0), {"feed": feed})
>>> report["max_rel_diff"] < 1e-6 and report["termination"] == "optimal"
True
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ..core.flowsheet import Flowsheet
from ..core.stream import Stream
from ..core.unit import Unit, UnitResult


class FixedStream(Unit):
    """A source that emits a given one-case stream (tests and twin checks)."""

    kind = "source"
    outlets = ("out",)

    def __init__(self, id: str, stream: Stream):
        super().__init__(id)
        self.stream = stream

    def run(self, ins, p) -> UnitResult:
        s = self.stream
        idx = np.zeros(p.n, dtype=int) if s.n_cases == 1 else np.arange(p.n)
        return UnitResult({"out": s.take(idx)}, np.zeros(p.n), np.zeros(p.n))

    def build_pyomo(self, b, p, init) -> None:
        st = b.sout("out")
        for i, j in enumerate(self.stream.cs.ids):
            st.flow_mol_comp[j].fix(float(self.stream.flow[0, i]))
        st.temperature.fix(float(self.stream.T[0]))
        st.pressure.fix(float(self.stream.P[0]))
        b.heat.fix(0.0)
        b.power.fix(0.0)


def compare_twin(unit: Unit, ins: Mapping[str, Stream], params: Mapping[str, Any] | None = None,
                 tee: bool = False) -> dict:
    """Run ``unit`` on one-case inlets in both engines; return the differences.

    Returns a dict with ``termination`` (IPOPT), ``dof``, ``max_rel_diff`` over outlet flows,
    T, P, heat and power (relative to the stream's total flow / value, floor 1e-12), and the
    per-quantity details.
    """
    from . import build_model, degrees_of_freedom, solve, streams_from_model
    from ..unitops.sources import Sink

    cs = next(iter(ins.values())).cs
    fs = Flowsheet(f"twin_{unit.id}", components=cs)
    fs.add(unit)
    for name, s in ins.items():
        src = fs.add(FixedStream(f"src_{name}", s.take(np.array([0]))))
        fs.connect(src.outlets.out, getattr(unit.inlets, name), id=f"in_{name}")
    for name in unit.outlet_names:
        snk = fs.add(Sink(f"sink_{name}"))
        fs.connect(getattr(unit.outlets, name), snk.inlets.feed, id=f"out_{name}")
    prefixed = {f"{unit.id}.{k}": v for k, v in (params or {}).items()}
    res = fs.simulate(params=prefixed, costing=False)
    if res.status[0] != "ok":
        raise ValueError(f"core run failed: {res.status[0]}")
    m = build_model(fs, case=0, res=res, tea=False)
    dof = degrees_of_freedom(m)
    # perturb the initial point slightly so that the check is not trivially at the answer
    import pyomo.environ as pyo

    for v in m.component_data_objects(pyo.Var, descend_into=True):
        if not v.fixed and v.value is not None and v.value != 0:
            v.set_value(v.value * (1 + 1e-4))
    r = solve(m, tee=tee)
    term = str(r.solver.termination_condition)
    st = streams_from_model(m)
    diffs = {}
    inflow = sum(float(s.total_flow[0]) for s in ins.values())
    for name in unit.outlet_names:
        sid = f"out_{name}"
        core = res.stream(sid)
        f = np.array([st[sid][0][j] for j in cs.ids])
        scale = max(float(core.total_flow[0]), 1e-9 * inflow, 1e-12)  # near-empty outlets: vs throughput
        diffs[f"{sid}.flow"] = float(np.abs(f - core.flow[0]).max() / scale)
        diffs[f"{sid}.T"] = abs(st[sid][1] - float(core.T[0])) / float(core.T[0])
        diffs[f"{sid}.P"] = abs(st[sid][2] - float(core.P[0])) / float(core.P[0])
    blk = getattr(m.fs, unit.id)
    ur = res.unit_results[unit.id]
    hscale = max(abs(float(ur.heat[0])), abs(float(ur.power[0])),
                 1e-8 * max(float(np.abs(s.enthalpy).max()) for s in ins.values()), 1e-6)
    diffs["heat"] = abs(pyo.value(blk.heat) - float(ur.heat[0])) / hscale
    diffs["power"] = abs(pyo.value(blk.power) - float(ur.power[0])) / hscale
    return {"termination": term, "dof": dof, "max_rel_diff": max(diffs.values()), "diffs": diffs,
            "model": m}
