"""Passive tears: a recycle tear whose destination's outlets, as the pass reads them, do not depend on it.

A feed-effluent exchanger that heats its cold side to a set temperature (spec ``cold_T_out``, the
gasification island's ``wgs_feh``) is torn at its hot inlet, the reactor's effluent. Its cold
outlet, which the reactor reads in the same pass, is the cold inlet at the set temperature
whatever the hot inlet holds; the exchanger runs again on the fresh effluent once the reactor has
run (:func:`carbonhub.core.solver.pass_steps`) and only that run's hot outlet goes on. The tear's
guess is therefore read by nothing that stays: iterating it with the loop's other tears only adds
variables (and modes) to the accelerated vector (biomass_ft: 15.6 -> 19.4 mean passes), and a
block whose every tear is passive (waste_methanol_mto's shift and its exchanger) is solved by one
pass.

A unit says which of its outlets do not depend on an inlet by a method
``independent_outlets(p, inlet) -> frozenset[str]`` (``p`` its resolved parameters; a unit
without it: none). :func:`of_block` gives the block's passive tears; the solver leaves them out of
the iterated vector, runs each destination again after the tear's source in every pass, carries
each passive tear's guess as its last value and accepts a case only where its destination's
outlets read in the pass are the same from the guess as from the fresh value (:func:`same`,
relative ``tol``; e.g. a guess with no flow, where the exchanger would pass its cold side
unheated, takes one more pass).
"""
from __future__ import annotations

import numpy as np

from .stream import Stream


def of_block(fs, run, units: list[str], tears: list[str], idx: np.ndarray) -> dict[str, tuple[str, tuple[str, ...]]]:
    """{tear: (its destination, the stream ids of the destination's outlets read in the pass
    before the tear's source has run)} for each passive tear of the block (``units`` in pass
    order) at the parameters of cases ``idx``: its destination runs before its source and
    declares each of those outlets independent of the tear's inlet."""
    pos = {u: i for i, u in enumerate(units)}
    out = {}
    for c in fs.connections:
        if c.id not in tears:
            continue
        src, dst = c.src.unit.id, c.dst.unit.id
        unit = fs.units[dst]
        free = getattr(unit, "independent_outlets", None)
        if free is None or pos[dst] >= pos[src]:
            continue
        read = [o for o in fs.connections
                if o.src.unit.id == dst and o.dst.unit.id in pos and pos[dst] < pos[o.dst.unit.id] <= pos[src]]
        ok = free(unit.resolve(run.overrides.get(dst, {}), idx.size, idx), c.dst.name)
        if read and all(o.src.name in ok for o in read):
            out[c.id] = (dst, tuple(o.id for o in read))
    return out


def snapshot(run, sids, cases: np.ndarray) -> dict[str, Stream]:
    """Copies of streams ``sids`` for ``cases`` (a destination's outlets before its second run)."""
    return {sid: run.streams[sid].take(cases) for sid in sids}


def same(run, first: dict[str, Stream], cases: np.ndarray, tol: float) -> np.ndarray:
    """Per case: every stream of ``first`` equals its value now (after the destination's run on the
    fresh tear) within ``tol`` (flows relative to the larger of the flow and 1e-6 of the stream's
    total, T and P relative)."""
    ok = np.ones(cases.size, dtype=bool)
    for sid, a in first.items():
        b = run.streams[sid].take(cases)
        floor = np.maximum(1e-6 * b.flow.sum(axis=1), 1e-300)[:, None]
        rel = np.abs(a.flow - b.flow) / np.maximum(np.abs(b.flow), floor)
        ok &= (rel <= tol).all(axis=1) & (np.abs(a.T - b.T) <= tol * np.abs(b.T)) & (np.abs(a.P - b.P) <= tol * np.abs(b.P))
    return ok


def refresh(guesses: dict[str, Stream], run, tears, active: np.ndarray, cases: np.ndarray) -> None:
    """Each passive tear's guess (stored by position ``active``) takes its fresh value of ``cases``."""
    for t in tears:
        s, g = run.streams[t], guesses[t]
        g.flow[active] = s.flow[cases]
        g.T[active], g.P[active], g.origin[active] = s.T[cases], s.P[cases], s.origin[cases]
