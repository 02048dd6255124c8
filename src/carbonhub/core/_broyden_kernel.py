"""Compiled per-case kernels of the Broyden steps (:mod:`.slopes`, :class:`.recycle.TearAccelerator`):
each case's arithmetic in one pass over its own (d, d) matrix, in a fixed order, so that a case
gives the same numbers alone or in any batch (numpy's stacked ``inv``/``matmul`` loop over small
matrices at several microseconds each)."""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, error_model="numpy")
def inverse_rows(J, act, H):
    """H[i] = (I - J[i])^-1 where J[i]'s columns outside ``act`` (ascending positions) are zero:
    P = (I - J_AA)^-1 by Gauss-Jordan in place (partial pivoting, columns swapped back at the
    end; the identity where a pivot is zero or the result is not finite), H_AA = P, H_ZA = J_ZA P,
    H_ZZ = I, H_AZ = 0 (``act`` = every position: the whole inverse)."""
    n, dd, _ = J.shape
    d = act.size
    M = np.empty((d, d))
    piv = np.empty(d, dtype=np.int64)
    other = np.ones(dd, dtype=np.bool_)
    for a in range(d):
        other[act[a]] = False
    for i in range(n):
        for a in range(d):
            for b in range(d):
                M[a, b] = (1.0 if a == b else 0.0) - J[i, act[a], act[b]]
        good = True
        for c in range(d):
            p = c
            for r in range(c + 1, d):
                if abs(M[r, c]) > abs(M[p, c]):
                    p = r
            piv[c] = p
            if not (abs(M[p, c]) > 0.0):
                good = False
                break
            if p != c:
                for b in range(d):
                    t = M[c, b]
                    M[c, b] = M[p, b]
                    M[p, b] = t
            inv = 1.0 / M[c, c]
            M[c, c] = 1.0
            for b in range(d):
                M[c, b] *= inv
            for r in range(d):
                if r != c:
                    fac = M[r, c]
                    if fac != 0.0:
                        M[r, c] = 0.0
                        for b in range(d):
                            M[r, b] -= fac * M[c, b]
        if good:
            for c in range(d - 1, -1, -1):  # undo the row swaps as column swaps
                p = piv[c]
                if p != c:
                    for a in range(d):
                        t = M[a, c]
                        M[a, c] = M[a, p]
                        M[a, p] = t
            for a in range(d):
                for b in range(d):
                    if not np.isfinite(M[a, b]):
                        good = False
        if not good:
            for a in range(d):
                for b in range(d):
                    M[a, b] = 1.0 if a == b else 0.0
        for r in range(dd):
            for c in range(dd):
                H[i, r, c] = 1.0 if (r == c and other[r]) else 0.0
        for a in range(d):
            for b in range(d):
                H[i, act[a], act[b]] = M[a, b]
        for r in range(dd):
            if other[r]:
                for c in range(d):
                    e = J[i, r, act[c]]
                    if e != 0.0:
                        for b in range(d):
                            H[i, r, act[b]] += e * M[c, b]


@njit(cache=True, error_model="numpy")
def moved_rows(F, C, J0, out):
    """out[i] = J0 + sum_t F[t, i] C[t] (terms in order: each case's own sum; the sum over the
    terms runs outside the entries, so that the inner loop reads C's rows in order). F (T, n):
    one contiguous row per term."""
    T, n = F.shape
    m = C.shape[1]
    acc = np.empty(m)
    for i in range(n):
        for j in range(m):
            acc[j] = 0.0
        for t in range(T):
            f = F[t, i]
            for j in range(m):
                acc[j] += f * C[t, j]
        for j in range(m):
            out[i, j] = J0[j] + acc[j]


@njit(cache=True, error_model="numpy")
def broyden_rows(H, rows, on, update, x, x_prev, f, f_prev, s, g, step_max, floor, is_flow, xn, dist):
    """For every case i with ``on[i]`` (its H in row ``rows[i]``): Broyden's good update of
    H ~ (I - J)^-1 (scaled) by
    the secant pair dx = (x - x_prev)/s, df = f - f_prev when ``update`` (H <- H - (dx + H df)
    (dx^T H) / (dx^T H df), skipped when the denominator is ~0); then the step x + H f s (at most
    ``step_max`` per scaled variable; a flow at least ``floor`` x its g, 0 where g is 0) into ``xn[i]``, and
    max(|g - x|, |xn - g|) into ``dist[i]``."""
    n, d = x.shape
    dx = np.empty(d)
    df = np.empty(d)
    Hdf = np.empty(d)
    xH = np.empty(d)
    st = np.empty(d)
    for i in range(n):
        if not on[i]:
            continue
        h = rows[i]
        if update:
            for a in range(d):
                dx[a] = (x[i, a] - x_prev[i, a]) / s[i, a]
                df[a] = f[i, a] - f_prev[i, a]
            den = 0.0
            nx = 0.0
            nh = 0.0
            for a in range(d):
                c = 0.0
                for b in range(d):
                    c += H[h, a, b] * df[b]
                Hdf[a] = c
                xH[a] = 0.0
            for b in range(d):  # dx^T H by H's rows (each xH[a] summed over b in order)
                e = dx[b]
                for a in range(d):
                    xH[a] += e * H[h, b, a]
            for a in range(d):
                den += xH[a] * df[a]
                nx += dx[a] * dx[a]
                nh += Hdf[a] * Hdf[a]
            if np.isfinite(den) and abs(den) > 1e-14 * np.sqrt(nx * nh):
                for a in range(d):
                    u = -(dx[a] + Hdf[a]) / den
                    for b in range(d):
                        H[h, a, b] += u * xH[b]
        big = 0.0
        for a in range(d):
            c = 0.0
            for b in range(d):
                c += H[h, a, b] * f[i, b]
            st[a] = c
            if abs(c) > big:
                big = abs(c)
        shrink = min(1.0, step_max / max(big, 1e-300))
        for a in range(d):
            v = x[i, a] + st[a] * shrink * s[i, a]
            if is_flow[a] and (v < floor * g[i, a] or g[i, a] == 0.0):
                v = floor * g[i, a]  # 0 where the loop returns 0
            xn[i, a] = v
            dist[i, a] = max(abs(g[i, a] - x[i, a]), abs(v - g[i, a]))
