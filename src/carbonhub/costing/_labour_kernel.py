"""Compiled solids check of :func:`carbonhub.costing.labour.solids_by_case` (numba): per case,
the inlets' mass flows summed per component (non-finite values as by ``nan_to_num``), then the
solid and the total mass, in one pass over the inlets' flows instead of numpy's temporaries.

The sums run in index order, numpy's ``sum(axis=1)`` pairwise: they may differ in the last bits.
A case is decided here only where the solid mass is farther from 1 % of the total than any such
difference can reach (1e-12 of the summed absolute mass flows; the difference is at most
~2 k eps of it for k components); the caller decides the others by the numpy expressions.
"""
from __future__ import annotations

import numpy as np
from numba import njit

_BIG = np.finfo(np.float64).max
MARGIN = 1e-12
"""Relative margin (of the summed absolute mass flows) inside which a case is left undecided."""
TINY = 1e-290
"""Summed absolute mass flows below which a nonzero case is left undecided (the 1e-300 floor)."""


@njit(cache=True, error_model="numpy")
def add_mass(flow, M, m, first):
    """m[i, j] (+)= nan_to_num(flow[i, j] M[j]); ``first``: m is written, not added to."""
    n, k = flow.shape
    for i in range(n):
        for j in range(k):
            v = flow[i, j] * M[j]
            if v != v:
                v = 0.0
            elif v > _BIG:
                v = _BIG
            elif v < -_BIG:
                v = -_BIG
            if first:
                m[i, j] = v
            else:
                m[i, j] += v


@njit(cache=True, error_model="numpy")
def decide(m, solid):
    """Per case: (solid mass > 1 % of the total mass, decided) for m (n, k) of mass flows."""
    n, k = m.shape
    out = np.zeros(n, dtype=np.bool_)
    sure = np.ones(n, dtype=np.bool_)
    for i in range(n):
        tot = 0.0
        sol = 0.0
        mag = 0.0
        for j in range(k):
            v = m[i, j]
            tot += v
            mag += abs(v)
            if solid[j]:
                sol += v
        if mag == 0.0:  # every term +-0: both numpy sums are exactly 0, and 0 > 1e-302 is False
            continue
        if not (mag < np.inf) or mag < TINY:
            sure[i] = False
            continue
        d = sol - 0.01 * max(tot, 1e-300)
        if abs(d) <= MARGIN * mag:
            sure[i] = False
        else:
            out[i] = d > 0.0
    return out, sure


@njit(cache=True, error_model="numpy")
def any_nonzero(flow, cols):
    """``flow[:, cols].any()`` (NaN counts as nonzero) without the gathered copy: rows read in
    blocks of 64, each block's nonzero entries counted without a branch per entry (the loop
    vectorises), stopping after the first block that holds one."""
    n = flow.shape[0]
    m = cols.shape[0]
    i = 0
    while i < n:
        stop = min(i + 64, n)
        c = 0
        while i < stop:
            for q in range(m):
                c += flow[i, cols[q]] != 0.0
            i += 1
        if c > 0:
            return True
    return False
