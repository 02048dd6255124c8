"""Compiled row scatter (numba) for :meth:`carbonhub.core.stream.Stream.put`: ``dst[idx] = src``
row by row. numpy's fancy-index assignment pays ~15 ns of set-up per row, which on the narrow
(n, 4) carbon-origin array costs ~10x a copy of its bytes (160 us at n = 10^4 against 15 us);
every unit's outlets are put into the run's streams in every tear pass. The numpy assignment
stays the reference (``CARBONHUB_NUMBA=0``); tests/core/test_stream_rows.py checks both."""
from __future__ import annotations

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
