"""Compiled Anderson step over cases (numba): the history update, the Gram matrix, the
regularised least squares and the step control of :meth:`carbonhub.core.recycle.TearAccelerator`
for each case in one pass over its own memory (the numpy reference builds (n, m, d) temporaries
for the same arithmetic). Same equations as the numpy path; ``CARBONHUB_NUMBA=0`` (or the
accelerator's ``engine="numpy"``) selects that path, and tests/core/test_recycle.py checks that
both give the same converged tears.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, error_model="numpy")
def pivot_row(M, col, n):
    """The row r in [col, n) with the largest |M[r, col]| (the first one among equals)."""
    p = col
    for r in range(col + 1, n):
        if abs(M[r, col]) > abs(M[p, col]):
            p = r
    return p


@njit(cache=True, error_model="numpy")
def anderson_rows(x, g, s, f_prev, g_prev, dF, dG, A, rows, k, pos, wmode, reg, step_max, is_flow, cols, xa):
    """For every case i (history in row ``rows[i]`` of ``dF``, ``dG``, ``A``): store the new
    differences (scaled residual f - f_prev, scaled g - g_prev) in ring slot ``pos[i]``, update
    the Gram matrix ``A = dF dF^T`` (row and column of that slot), advance ``pos``/``k``; then,
    unless ``wmode[i]``, solve (A_kk + (reg tr(A_kk) + 1e-300) I) gamma = dF_k f over the
    ``k[i]`` valid slots (Gaussian elimination, partial pivoting; a non-finite gamma counts as
    zero), take delta = -dG_k^T gamma, shrink it to at most ``step_max`` per variable, and
    write x_a = g + delta s (flows >= 0, and 0 where g is 0) to ``xa[i]``; in ``wmode`` x_a = g. Returns
    f = (g - x)/s. History, sums and steps run over the variables ``cols`` only: the caller
    leaves out variables that have been zero in x and g in every case and every iteration
    (components absent from the loop), whose differences are exactly zero, so the result is
    that of all variables (x_a = g = 0 there)."""
    n, d = x.shape
    m = dF.shape[1]
    f = np.empty((n, d))
    M = np.empty((m, m + 1))
    gamma = np.empty(m)
    dn = np.empty(m)
    for i in range(n):
        h = rows[i]
        slot = pos[i]
        for j in range(d):
            f[i, j] = (g[i, j] - x[i, j]) / s[i, j]
            xa[i, j] = g[i, j]
        for j in cols:
            dF[h, slot, j] = f[i, j] - f_prev[i, j]
            dG[h, slot, j] = (g[i, j] - g_prev[i, j]) / s[i, j]
        kk = min(k[i] + 1, m)
        # the valid slots are 0 .. kk - 1 (the ring fills from slot 0 after a start or restart):
        # an entry of a slot not yet valid is written again when that slot is filled
        for a in range(kk):
            c = 0.0
            for j in cols:
                c += dF[h, a, j] * dF[h, slot, j]
            A[h, slot, a] = c
            A[h, a, slot] = c
        pos[i] = (slot + 1) % m
        k[i] = kk
        if wmode[i]:
            continue
        # columns normalised to unit length (diagonal of A), so that the regularisation is
        # relative to each difference's own size: a small recent difference is not swamped
        # by the large early ones still in the memory
        for a in range(kk):
            dn[a] = np.sqrt(A[h, a, a]) if A[h, a, a] > 0.0 else 1.0
        tr = 0.0
        for a in range(kk):
            tr += A[h, a, a] / (dn[a] * dn[a])
        for a in range(kk):
            for b in range(kk):
                M[a, b] = A[h, a, b] / (dn[a] * dn[b])
            M[a, a] += reg * tr + 1e-300
            c = 0.0
            for j in cols:
                c += dF[h, a, j] * f[i, j]
            M[a, kk] = c / dn[a]
        # Gaussian elimination with partial pivoting on the augmented (kk, kk + 1) matrix
        for col in range(kk):
            p = pivot_row(M, col, kk)
            if p != col:
                for b in range(col, kk + 1):
                    t = M[col, b]
                    M[col, b] = M[p, b]
                    M[p, b] = t
            piv = M[col, col]
            for r in range(col + 1, kk):
                fac = M[r, col] / piv
                for b in range(col, kk + 1):
                    M[r, b] -= fac * M[col, b]
        for a in range(kk - 1, -1, -1):
            c = M[a, kk]
            for b in range(a + 1, kk):
                c -= M[a, b] * gamma[b]
            gamma[a] = c / M[a, a]
        for a in range(kk):
            gamma[a] /= dn[a]
            if not np.isfinite(gamma[a]):
                gamma[a] = 0.0
        big = 0.0
        for j in cols:
            dj = 0.0
            for a in range(kk):
                dj -= gamma[a] * dG[h, a, j]
            xa[i, j] = dj
            if abs(dj) > big:
                big = abs(dj)
        shrink = min(1.0, step_max / max(big, 1e-300))
        for j in cols:
            v = g[i, j] + xa[i, j] * shrink * s[i, j]
            if is_flow[j] and (v < 0.0 or g[i, j] == 0.0):
                v = 0.0  # flows >= 0; a flow the loop returns as exactly zero stays zero
            xa[i, j] = v
    return f
