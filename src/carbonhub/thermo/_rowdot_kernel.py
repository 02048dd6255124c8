"""Compiled row-wise product of :func:`carbonhub.thermo.rowdot.rowdot` (numba): per row, the
products summed in index order starting from 0 (no fast-math, so no reassociation and no fused
multiply-add), the operations of the numpy reference in the same order.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, error_model="numpy")
def rowdot_kernel(a, B):
    """out[i, q] = 0 + a[i, 0] B[0, q] + a[i, 1] B[1, q] + ... for a (n, k), B (k, m)."""
    n, k = a.shape
    m = B.shape[1]
    out = np.zeros((n, m))
    for i in range(n):
        for j in range(k):
            aij = a[i, j]
            for q in range(m):
                out[i, q] += aij * B[j, q]
    return out


@njit(cache=True, error_model="numpy")
def rowdot_vec_kernel(a, b):
    """out[i] = 0 + a[i, 0] b[0] + a[i, 1] b[1] + ... for a (n, k), b (k,)."""
    n, k = a.shape
    out = np.zeros(n)
    for j in range(k):  # across the cases innermost (vectorised); per row still j in order
        bj = b[j]
        for i in range(n):
            out[i] += a[i, j] * bj
    return out


@njit(cache=True, error_model="numpy")
def rowsum_kernel(a):
    """out[i] = 0 + a[i, 0] + a[i, 1] + ... for a (n, k)."""
    n, k = a.shape
    out = np.zeros(n)
    for j in range(k):
        for i in range(n):
            out[i] += a[i, j]
    return out
