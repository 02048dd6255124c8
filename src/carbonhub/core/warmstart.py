"""Warm start of the tear streams from the flowsheet's own solution at its defaults.

A recycle block started from empty tears (zero flows at 298.15 K, 1 atm) spends its first
passes filling the loop; a block that a design spec re-solves (a spec wrapping a recycle)
does so at its first evaluation. Here every case's tears start instead from the converged
tears of the flowsheet at its current defaults (one case, solved once and cached), with the
flows scaled by the case's total molar inflow into the block over the defaults' (a loop's
holdup scales with its throughput), T and P as at the defaults, and the carbon origin of the
block's inlets (origins are carried, not iterated, so the guess must not bring a foreign
one).

The guess depends only on the flowsheet, never on the other cases of a batch: a case gives
the same answer alone or in any batch, chunk or worker. It changes where the iteration starts,
not where it stops (the same tear tolerance). ``Flowsheet.simulate(warm_start=False)`` starts
from empty tears, as before this module.
"""
from __future__ import annotations

import numpy as np

from . import firstguess
from .stream import Stream, mix_origins
from ..thermo.rowdot import rowsum


def _value_key(v) -> object:
    if isinstance(v, np.ndarray):
        return (v.shape, str(v.dtype), v.tobytes())
    return repr(v)


def fingerprint(fs, settings: tuple) -> tuple:
    """What the solution at the defaults depends on: units, parameter values, connections,
    specs, solver settings."""
    owners = list(fs.units.values()) + list(fs.groups.values())
    return (tuple((o.id, type(o).__name__, tuple(sorted((k, _value_key(v)) for k, v in o.values.items())))
                  for o in owners),
            tuple((c.id, c.src.unit.id, c.src.name, c.dst.unit.id, c.dst.name) for c in fs.connections),
            tuple((s.id, s.vary, repr(s.target), s.lower, s.upper) for s in fs.specs),
            tuple(fs.tear_hints), settings)


def inlets(fs, run, units) -> list:
    """The connections into the block ``units`` from outside it, the block widened upstream
    until each of them holds this run's values: a unit whose outlet feeds the block but runs
    inside the same iteration (a design spec's varied unit solved with the tears, :mod:`.joint`)
    has not written it yet, so its own inlets are read instead (plastics_pyrolysis: the make-up
    H2 feed ahead of the treat-gas loop; without this the guess was scaled by a zero inflow and
    the loop started empty). Decided by the flowsheet and the streams written so far, never by
    the values of a case."""
    inside = set(units)
    while True:
        into = [c for c in fs.connections if c.dst.unit.id in inside and c.src.unit.id not in inside]
        missing = {c.src.unit.id for c in into if c.id not in run.streams}
        if not missing:
            return into
        inside |= missing


def inflow(fs, run, units, idx: np.ndarray) -> tuple[np.ndarray, list[Stream]]:
    """Total molar flow [mol/s] (n,) into the block ``units`` from outside it (:func:`inlets`),
    for cases ``idx``, and those inlet streams."""
    F = np.zeros(idx.size)
    ins = []
    for c in inlets(fs, run, units):
        s = run.streams[c.id].take(idx)
        F += rowsum(s.flow)
        ins.append(s)
    return F, ins


def record(fs, run, key: tuple) -> None:
    """Keep the tears of a solved one-case run at the defaults (case 0) as the warm start, with
    the total flow of every stream there (the inflow a guess is scaled by, :func:`guess`)."""
    data = None
    if run.n == 1 and run.status[0] == "ok":
        data = {}
        zero = np.zeros(1, dtype=int)
        flows = {sid: s.flow[0].copy() for sid, s in run.streams.items()}
        for units, tears in fs.order():
            if tears and all(t in run.streams for t in tears):
                data[",".join(tears)] = ({t: run.streams[t].take(zero) for t in tears}, flows)
        for sp in fs.specs:  # each spec's value and slope there (:mod:`.joint`)
            if sp.id in run.spec_slopes:
                data[f"spec:{sp.id}"] = (float(run.param_array(sp.vary)[0]), float(run.spec_slopes[sp.id][0]))
    fs.nominal_tears = (key, data)


def guess(fs, run, units, tears: list[str], t: str, idx: np.ndarray) -> Stream | None:
    """The warm-start guess of tear ``t`` of block ``units`` for cases ``idx``, or None: the
    defaults' tear scaled by the case's inflow into the block over the defaults' (both over the
    same inlets, :func:`inlets`; per component, :func:`.firstguess.inflow_factor`), then moved
    along the case's parameters (:func:`.firstguess.tear_guess`)."""
    warm = getattr(run, "warm", None)
    if not warm or ",".join(tears) not in warm:
        return None
    streams, flows0 = warm[",".join(tears)]
    into = [c.id for c in inlets(fs, run, units)]
    _, ins = inflow(fs, run, units, idx)
    F = sum((s.flow for s in ins), np.zeros((idx.size, len(fs.components))))
    F0 = firstguess.inflow_of(flows0, into, len(fs.components))
    g0 = streams[t]
    origin = mix_origins(ins) if ins else None
    flow, T, P = g0.flow[:1] * firstguess.inflow_factor(F, F0), g0.T[0], g0.P[0]
    moved = firstguess.tear_guess(run, ",".join(tears), t, into, F0, idx, g0.flow[0], T, P)
    if moved is not None:  # moved along the case's parameters (:mod:`.firstguess`)
        flow, T, P = flow * np.exp(moved[0]), moved[1], moved[2]
    return Stream(fs.components, flow, T, P, origin, check=False)


def points(fs, run, key: tuple, solve, slopes=None) -> dict:
    """The flowsheet solved at the defaults with each parameter the run sets moved to two points,
    and each pair of them to one (:func:`.firstguess.solve_points`), kept with the warm start
    (each point solved once). With ``slopes`` (:func:`.firstguess.solve_points`) the defaults are
    solved among the first points too (key ``""``: their slopes, :func:`defaults_slopes`)."""
    kept = getattr(fs, "guess_points", None)
    if kept is None or kept[0] != key:
        kept = fs.guess_points = (key, {})
    names = firstguess.varied(fs, run)
    keys = names + [n + firstguess.FAR for n in names] + [f"{a}|{b}" for i, a in enumerate(names) for b in names[i + 1:]]
    new = [k for k in keys if k not in kept[1]]
    if new:
        plan = firstguess.plan_points(fs, [k for k in new if "|" not in k],
                                      [tuple(k.split("|")) for k in new if "|" in k])
        if slopes is not None and "" not in kept[1] and plan:  # the defaults, once
            name = next(iter(plan[0][1]))
            plan.insert(0, ("", {name: np.array([firstguess.offsets(fs, name)[0]])}))
        got = firstguess.solve_points(fs, plan, solve, fs.nominal_tears[1], type(run), slopes)
        kept[1].update({k: got.get(k) for k in new + ([""] if "" in got else [])})
    return {k: kept[1][k] for k in keys}


def defaults_slopes(fs, cols: dict) -> dict | None:
    """{block key: (cols, J)} at the defaults (:func:`points` with ``slopes``), ``cols`` {block key:
    the variables J is measured on}, or None."""
    kept = getattr(fs, "guess_points", None)
    got = kept[1].get("") if kept else None
    if not got:
        return None
    return {b: (cols[b], J[0]) for b, J in got["slopes"].items() if b in cols}
