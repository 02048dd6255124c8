"""Narrow streams inside a recycle block: the loop's units on the components the loop carries.

A stream holds every component of the flowsheet (40 in the methanol-to-olefins routes), but a
methanol loop carries 6-8 of them: each unit of each pass copied, summed and scattered (n, 40)
arrays of which ~33 columns were zero in every case. When every unit of a block declares the
components it may create (``Unit.narrow_adds``: a reactor's products, a flash's liquid water;
``()`` for a unit that only moves what it is given), the block iterates on a sub-set of the
components: those with flow in some case of the block's inlets or tear guesses, plus every
declared addition. Its streams are narrowed when the iteration starts and written back at full
width once it ends (:func:`begin`, :meth:`Narrow.end`); the outside world never sees a narrow
stream. A component outside the sub-set is zero in every case throughout (nothing brings it in,
no unit creates it), so the units do the same arithmetic on fewer exact zeros.

A declaration is read from the unit's own class only (a subclass may run differently: it
declares again or stays on the whole set); a class whose additions depend on the instance (a
feed of a given composition) declares a property. A block solved with a design spec's variable
(:mod:`.joint`) is narrowed with the units the spec runs inside each pass (the varied unit's
blocks ahead of the loop, the measured unit's after it): all of them must declare, and the
spec's measure reads the narrow streams by component id.
"""
from __future__ import annotations

import numpy as np

from ..thermo.components import ComponentSet
from .stream import Stream, every_case

_SETS: dict[tuple, tuple[ComponentSet, ComponentSet]] = {}  # (id(cs), cols) -> (cs, sub-set)


def additions(unit) -> tuple[str, ...] | None:
    """The components ``unit`` declares it may create (its own class's ``narrow_adds``, a
    property read on the unit), or None when its class declares nothing (the unit needs the
    whole component set)."""
    a = type(unit).__dict__.get("narrow_adds")
    return a.__get__(unit) if isinstance(a, property) else a


def subset(cs: ComponentSet, cols: np.ndarray) -> ComponentSet:
    """The sub-set of ``cs`` at ``cols`` (ascending), one object per (cs, cols): units cache
    their models by the component set's identity, so it must stay the same object."""
    key = (id(cs), tuple(int(c) for c in cols))
    got = _SETS.get(key)
    if got is None:
        got = _SETS[key] = (cs, cs.subset([cs.ids[c] for c in cols]))
    return got[1]


def _narrowed(s: Stream, sub: ComponentSet, cols: np.ndarray) -> Stream:
    return Stream._of(sub, np.ascontiguousarray(s.flow[:, cols]), s.T.copy(), s.P.copy(), s.origin.copy())


class Narrow:
    """The narrowed streams of one block solve; :meth:`end` restores the whole-set streams."""

    def __init__(self, run, cs: ComponentSet, cols: np.ndarray, idx: np.ndarray, inside: list[str],
                 outside: dict[str, Stream], before: dict[str, tuple[Stream, bool]]):
        self.run, self.cs, self.cols, self.idx = run, cs, cols, idx
        self.sub = subset(cs, cols)
        self.inside, self.outside, self.before = inside, outside, before

    def end(self) -> None:
        """Write the block's cases back into the whole-set streams (the other cases as before)
        and put the block's inlets back."""
        run, idx, cols, k = self.run, self.idx, self.cols, len(self.cs)
        for sid, s in self.outside.items():
            run.streams[sid] = s
        if every_case(idx, run.n):
            # the block's cases are all of them, in order: each stream is its narrow one at
            # full width (new arrays of the run's own; nothing of the streams before is kept)
            for sid in self.inside:
                s, _ = run.drop_stream(sid)
                if s is None:
                    if sid in self.before:
                        full, kept = self.before[sid]
                        run.streams[sid] = full.copy() if kept else full
                    continue
                flow = np.zeros((idx.size, k))
                flow[:, cols] = s.flow
                run.streams[sid] = Stream._of(self.cs, flow, s.T.copy(), s.P.copy(), s.origin.copy())
            return
        for sid in self.inside:
            s, _ = run.drop_stream(sid)
            if sid in self.before:  # a copy if a unit's arrays: those are never written to
                full, kept = self.before[sid]
                run.streams[sid] = full.copy() if kept else full
            if s is None:
                continue
            flow = np.zeros((idx.size, k))
            flow[:, cols] = s.flow[idx]
            run.put_stream(sid, idx, Stream._of(self.cs, flow, s.T[idx], s.P[idx], s.origin[idx]))


def begin(fs, run, units: list[str], idx: np.ndarray, guesses: dict[str, Stream]) -> Narrow | None:
    """Narrow the streams of the block ``units`` for cases ``idx`` (and the tear ``guesses``,
    in place), or None when the block stays on the whole component set: a unit declares no
    additions, an inlet from outside the block is not there yet, or nothing would be left out."""
    cs = fs.components
    adds: set[str] = set()
    for uid in units:
        a = additions(fs.units[uid])
        if a is None:
            return None
        adds.update(c for c in a if c in cs)
    inner = set(units)
    outside = [c.id for c in fs.connections if c.dst.unit.id in inner and c.src.unit.id not in inner]
    inside = [c.id for c in fs.connections if c.src.unit.id in inner]
    if any(sid not in run.streams for sid in outside):
        return None
    carried = np.zeros(len(cs), dtype=bool)
    carried[[cs.index(c) for c in adds]] = True
    for sid in outside:
        carried |= (run.streams[sid].flow[idx] != 0).any(axis=0)  # NaN counts as carried
    for g in guesses.values():
        carried |= (g.flow != 0).any(axis=0)
    if carried.all():
        return None
    cols = np.flatnonzero(carried)
    before = {}
    for sid in inside:
        if sid in run.streams:
            before[sid] = run.drop_stream(sid)
    nb = Narrow(run, cs, cols, idx, inside, {sid: run.streams[sid] for sid in outside}, before)
    sub = nb.sub
    for sid in outside:
        run.streams[sid] = _narrowed(run.streams[sid], sub, cols)
    for sid, (full, _) in before.items():
        run.streams[sid] = _narrowed(full, sub, cols)
    for t, g in guesses.items():
        guesses[t] = _narrowed(g, sub, cols)
    return nb
