"""One evaluation per result: the costing layer asks for some per-case quantities of a
simulation result several times (the annual flows five times, the units' heat utilities eight
times in one ``res.kpis``); :func:`once` keeps the first answer on the result.

A result does not change after its simulation, so an answer computed from it stays valid; an
object without a ``__dict__`` (e.g. a slotted stand-in) is simply not memoised.
"""
from __future__ import annotations

from typing import Any, Callable, Hashable

import numpy as np


def once(res: Any, key: Hashable, compute: Callable[[], Any]) -> Any:
    """``compute()`` the first time ``key`` is asked of ``res``, the kept answer after."""
    store = getattr(res, "__dict__", None)
    if store is None:
        return compute()
    memo = store.setdefault("_costing_memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def finite0(a) -> np.ndarray:
    """``np.nan_to_num(a)`` for a float array, a new array, without its four passes when
    every value is already finite (the common case)."""
    a = np.asarray(a, dtype=float)
    return a.copy() if np.isfinite(a).all() else np.nan_to_num(a)


def finite_view(a, nan: float = 0.0) -> np.ndarray:
    """``np.nan_to_num(a, nan=nan)`` to be read, not written: ``a`` itself (no copy) when every
    value is already finite (one pass instead of nan_to_num's copy and four passes).

    >>> finite_view(np.array([1.0, np.nan, -np.inf]), nan=2.0).tolist()[:2]
    [1.0, 2.0]
    """
    a = np.asarray(a, dtype=float)
    return a if np.isfinite(a).all() else np.nan_to_num(a, nan=nan)


def stream_flow(res: Any, s: Any, kind: str) -> np.ndarray:
    """``s.mass_flow``, ``s.carbon_flow``, ``s.carbon_by_origin`` or ``s.lhv()`` of a stream of
    the result ``res``, evaluated once per result and stream (the KPIs read the boundary
    streams' mass, carbon and heating value in several places), read-only so that no caller
    changes what the next one reads."""
    def compute():
        if kind == "carbon_by_origin":  # Stream.carbon_by_origin from the kept carbon flow
            v = stream_flow(res, s, "carbon_flow")[:, None] * s.origin
        else:
            v = s.lhv() if kind == "lhv" else getattr(s, kind)
        v.flags.writeable = False
        return s, v

    if kind in FUSED[1:] and FUSE_BOUNDARY:  # a boundary stream (an inner one is asked its mass only)
        _fused(res, s)
    held, v = once(res, (kind, id(s)), compute)
    return v if held is s else compute()[1]


FUSED = ("mass_flow", "carbon_flow", "lhv")
"""A boundary stream's mass, carbon and heating-value flows: asked of the same streams, so
computed together (:func:`_fused`) when its carbon flow or heating value is first asked."""
FUSE_BOUNDARY = True
_FUSED_B: dict[int, tuple] = {}


def _fused(res: Any, s: Any) -> None:
    """Keep the FUSED flows of ``s`` not yet kept, from one pass over its flows: ``rowdot`` of
    the (k, 3) matrix of molar mass, carbon atoms and molar LHV sums each column in index order
    from 0, the operations of the three (k,) products, so the same bits."""
    from ..core.stream import lhv_molar
    from ..thermo.rowdot import rowdot

    store = getattr(res, "__dict__", None)
    if store is None:
        return
    memo = store.setdefault("_costing_memo", {})
    todo = [j for j, kind in enumerate(FUSED) if memo.get((kind, id(s)), (None,))[0] is not s]
    if len(todo) < 2:  # one product alone: its own rowdot is as cheap
        return
    cs = s.cs
    if _FUSED_B.get(id(cs), (None,))[0] is not cs:
        _FUSED_B[id(cs)] = (cs, np.column_stack([cs.molar_mass, cs.carbon, lhv_molar(cs)]))
    out = rowdot(s.flow, _FUSED_B[id(cs)][1])
    for j in todo:
        v = np.ascontiguousarray(out[:, j])
        v.flags.writeable = False
        memo[(FUSED[j], id(s))] = (s, v)
