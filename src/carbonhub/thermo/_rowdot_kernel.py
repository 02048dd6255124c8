"""Compiled row-wise product of :func:`carbonhub.thermo.rowdot.rowdot` (numba): per row, the
products summed in index order starting from 0 (no fast-math, so no reassociation and no fused
multiply-add), the operations of the numpy reference in the same order.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, error_model="numpy")
def rowdot_kernel(a, B, skip_zeros):
    """out[i, q] = 0 + a[i, 0] B[0, q] + a[i, 1] B[1, q] + ... for a (n, k), B (k, m).

    ``skip_zeros`` (only for a finite ``B``): an a[i, j] of 0 or -0 adds nothing and is
    skipped. Its products are +-0, and a sum that starts at +0 is never -0 (x + y is -0 only
    when both are), so adding +-0 leaves it as it is: the same bits, about half the time on
    the routes' streams (most components have no flow in most streams). With a non-finite
    B[j, q], 0 x B[j, q] is NaN and must be added: the caller passes False."""
    n, k = a.shape
    m = B.shape[1]
    out = np.zeros((n, m))
    for i in range(n):
        for j in range(k):
            aij = a[i, j]
            if skip_zeros and aij == 0.0:
                continue
            for q in range(m):
                out[i, q] += aij * B[j, q]
    return out


@njit(cache=True, error_model="numpy")
def rowdot_vec_kernel(a, b):
    """out[i] = 0 + a[i, 0] b[0] + a[i, 1] b[1] + ... for a (n, k), b (k,): four rows at a
    time, each summed along its own (contiguous) row in index order; the four sums are
    independent, so their additions overlap instead of waiting on one another (2-3x faster than
    a loop over the cases innermost, which strides across the rows: 0.66 -> 0.25 ms at
    10^4 x 40). The same operations per row, so the same bits."""
    n, k = a.shape
    out = np.empty(n)
    i = 0
    while i + 4 <= n:
        s0 = 0.0
        s1 = 0.0
        s2 = 0.0
        s3 = 0.0
        for j in range(k):
            bj = b[j]
            s0 += a[i, j] * bj
            s1 += a[i + 1, j] * bj
            s2 += a[i + 2, j] * bj
            s3 += a[i + 3, j] * bj
        out[i] = s0
        out[i + 1] = s1
        out[i + 2] = s2
        out[i + 3] = s3
        i += 4
    while i < n:
        s0 = 0.0
        for j in range(k):
            s0 += a[i, j] * b[j]
        out[i] = s0
        i += 1
    return out


@njit(cache=True, error_model="numpy")
def rowsum_kernel(a):
    """out[i] = 0 + a[i, 0] + a[i, 1] + ... for a (n, k): :func:`rowdot_vec_kernel` with ones
    (x * 1.0 is x exactly, so the same bits as the plain sum)."""
    return rowdot_vec_kernel(a, np.ones(a.shape[1]))


@njit(cache=True)
def present_columns(flow):
    """Columns of ``flow`` (n, k) holding a nonzero (or NaN) entry in some row, in order: numpy's
    ``flatnonzero((flow != 0).any(axis=0))`` without the (n, k) boolean temporary. The rows are
    read in order, each along its contiguous row (a column walked down the rows reads a cache
    line per entry: a stream's many all-zero columns cost 5-7x the pass over its bytes), and
    the reading stops once every column has shown a nonzero entry (checked every 16 rows)."""
    n, k = flow.shape
    mask = np.zeros(k, dtype=np.bool_)
    i = 0
    while i < n:
        stop = min(i + 16, n)
        while i < stop:
            for j in range(k):
                mask[j] |= flow[i, j] != 0.0
            i += 1
        if mask.all():
            break
    return np.flatnonzero(mask)
