"""Compiled row scatter (numba) for :meth:`carbonhub.core.stream.Stream.put`: ``dst[idx] = src``
row by row. numpy's fancy-index assignment pays ~15 ns of set-up per row, which on the narrow
(n, 4) carbon-origin array costs ~10x a copy of its bytes (160 us at n = 10^4 against 15 us);
every unit's outlets are put into the run's streams in every tear pass. The numpy assignment
stays the reference (``CARBONHUB_NUMBA=0``); tests/core/test_stream_rows.py checks both.
:func:`finite_rows` is the per-case finiteness check of a unit's outlets
(:meth:`carbonhub.core.stream.Stream.finite_rows`), with numpy's
``isfinite(flow).all(axis=1) & isfinite(T) & isfinite(P)`` as its reference."""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def scatter_rows(dst, idx, src):
    """dst[idx[i], :] = src[i, :] for every i (2-D arrays, idx non-negative)."""
    k = dst.shape[1]
    for i in range(idx.shape[0]):
        r = idx[i]
        for j in range(k):
            dst[r, j] = src[i, j]


@njit(cache=True)
def scatter(dst, idx, src):
    """dst[idx[i]] = src[i] for every i (1-D arrays, idx non-negative)."""
    for i in range(idx.shape[0]):
        dst[idx[i]] = src[i]


@njit(cache=True, fastmath={"reassoc"})
def finite_rows(flow, T, P):
    """ok[i] = every flow[i, :], T[i] and P[i] finite: one pass over the rows, no (n, k)
    temporary (numpy's ``isfinite(flow).all(axis=1)`` writes and re-reads a boolean array).
    x * 0 is 0 for a finite x and NaN for NaN or +-inf, so a row's sum of them is 0 exactly
    when the row is finite (a sum without branches: it compiles to vector instructions). A sum
    of +-0 and NaN terms is +-0 or NaN in any order: the additions may be reassociated (the
    one fast-math flag allowed here, so that they run as several vector lanes; no flag that
    assumes finite values), and the answer is the same."""
    n, k = flow.shape
    ok = np.empty(n, dtype=np.bool_)
    for i in range(n):
        z = T[i] * 0.0 + P[i] * 0.0
        for j in range(k):
            z += flow[i, j] * 0.0
        ok[i] = z == 0.0
    return ok


@njit(cache=True)
def first_bad_flow(flow):
    """(i, j) of the first entry, in row order, of ``flow`` that is negative, NaN or +-inf, or
    (-1, -1): the inlet check of the units (:func:`carbonhub.unitops._common.check_feed`) in one
    pass without (n, k) temporaries; its reference is numpy's
    ``argwhere(~isfinite(flow) | (flow < 0))[0]``. A row is searched only when its sum of
    x * 0 is not 0 (a non-finite x) or it holds a negative x."""
    n, k = flow.shape
    for i in range(n):
        z = 0.0
        neg = False
        for j in range(k):
            x = flow[i, j]
            z += x * 0.0
            neg |= x < 0.0
        if z != 0.0 or neg:
            for j in range(k):
                x = flow[i, j]
                if not (x >= 0.0) or x == np.inf:
                    return i, j
    return -1, -1

