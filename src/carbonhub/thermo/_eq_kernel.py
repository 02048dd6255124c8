"""Compiled per-case kernel of the Gibbs minimiser (numba), the same CEA iteration as the
numpy path in :mod:`carbonhub.thermo.equilibrium`, case by case in machine code.

This is the one inner kernel numpy cannot express efficiently: a Newton iteration whose
number of steps differs from case to case. It is optional: ``CARBONHUB_NUMBA=0`` (or
``equilibrate(..., engine="numpy")``) uses the numpy path; both give the same answers
(tests/thermo/test_equilibrium.py).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

SIZE = -18.420681
TRACE_TARGET = 9.2103404
LN_MIN = -690.0

OK, NO_CONV, SINGULAR = 0, 1, 2


@njit(cache=True)
def _solve_small(M, r, m):
    """Gaussian elimination with partial pivoting (in place); returns False if singular."""
    for col in range(m):
        piv = col
        best = abs(M[col, col])
        for row in range(col + 1, m):
            v = abs(M[row, col])
            if v > best:
                best, piv = v, row
        if best == 0.0 or not math.isfinite(best):
            return False
        if piv != col:
            for k in range(m):
                t = M[col, k]; M[col, k] = M[piv, k]; M[piv, k] = t
            t = r[col]; r[col] = r[piv]; r[piv] = t
        inv = 1.0 / M[col, col]
        for row in range(col + 1, m):
            f = M[row, col] * inv
            if f != 0.0:
                for k in range(col, m):
                    M[row, k] -= f * M[col, k]
                r[row] -= f * r[col]
    for row in range(m - 1, -1, -1):
        s = r[row]
        for k in range(row + 1, m):
            s -= M[row, k] * r[k]
        r[row] = s / M[row, row]
    return True


@njit(cache=True)
def solve_batch(A, gmask, g, lnP, b, tol, max_iter, guess, use_guess):
    nc, ns = g.shape
    ne = A.shape[1]
    ng = 0
    for j in range(ns):
        if gmask[j]:
            ng += 1
    ncd = ns - ng
    gi = np.empty(ng, np.int64)
    ci = np.empty(ncd, np.int64)
    a = 0
    c = 0
    for j in range(ns):
        if gmask[j]:
            gi[a] = j; a += 1
        else:
            ci[c] = j; c += 1
    m = ne + ncd + 1
    out = np.zeros((nc, ns))
    out_pi = np.zeros((nc, ne))
    iters = np.zeros(nc, np.int64)
    status = np.zeros(nc, np.int64)
    M = np.empty((m, m))
    r = np.empty(m)
    lnn = np.empty(ng)
    nj = np.empty(ng)
    mu = np.empty(ng)
    dlnn = np.empty(ng)
    allowed = np.empty(ng, np.bool_)
    allowed_c = np.empty(ncd, np.bool_)
    cact = np.empty(ncd, np.bool_)
    ncond = np.empty(ncd)
    active_el = np.empty(ne, np.bool_)
    bg = np.empty(ne)
    for q in range(nc):
        for k in range(ne):
            active_el[k] = b[q, k] > 1e-300
        nallow = 0
        for jj in range(ng):
            j = gi[jj]
            ok = True
            for k in range(ne):
                if A[j, k] > 0 and not active_el[k]:
                    ok = False
            allowed[jj] = ok
            if ok:
                nallow += 1
        for cc in range(ncd):
            j = ci[cc]
            ok = True
            cap = np.inf
            for k in range(ne):
                if A[j, k] > 0:
                    if not active_el[k]:
                        ok = False
                    cap = min(cap, b[q, k] / A[j, k])
            allowed_c[cc] = ok
            cact[cc] = ok
            ncond[cc] = 0.5 * cap / max(ncd, 1) if (ok and math.isfinite(cap)) else 0.0
        l0 = math.log(0.1 / max(nallow, 1))
        for jj in range(ng):
            lnn[jj] = l0 if allowed[jj] else LN_MIN
        lnN = math.log(0.1)
        if use_guess:
            tot = 0.0
            for jj in range(ng):
                tot += max(guess[q, gi[jj]], 0.0)
            if tot > 0:
                floor = 1e-12 * tot
                for jj in range(ng):
                    if allowed[jj]:
                        lnn[jj] = math.log(max(max(guess[q, gi[jj]], 0.0), floor))
                lnN = math.log(tot)
                for cc in range(ncd):
                    gc0 = guess[q, ci[cc]]
                    cact[cc] = allowed_c[cc] and gc0 > 0
                    ncond[cc] = gc0 if cact[cc] else 0.0
        st = NO_CONV
        it = 0
        while it < max_iter:
            it += 1
            N = math.exp(lnN)
            sn = 0.0
            for jj in range(ng):
                if allowed[jj]:
                    nj[jj] = math.exp(lnn[jj])
                    mu[jj] = g[q, gi[jj]] + lnn[jj] - lnN + lnP[q]
                else:
                    nj[jj] = 0.0
                    mu[jj] = 0.0
                sn += nj[jj]
            for i1 in range(m):
                r[i1] = 0.0
                for i2 in range(m):
                    M[i1, i2] = 0.0
            for k in range(ne):
                bg[k] = 0.0
            snmu = 0.0
            for jj in range(ng):
                w = nj[jj]
                if w == 0.0:
                    continue
                j = gi[jj]
                snmu += w * mu[jj]
                for k in range(ne):
                    ak = A[j, k]
                    if ak == 0.0:
                        continue
                    bg[k] += ak * w
                    r[k] += ak * w * mu[jj]
                    for i2 in range(ne):
                        M[k, i2] += ak * A[j, i2] * w
            for k in range(ne):
                bc = 0.0
                for cc in range(ncd):
                    bc += A[ci[cc], k] * ncond[cc]
                r[k] += b[q, k] - bg[k] - bc
                M[k, m - 1] = bg[k]
                M[m - 1, k] = bg[k]
            for cc in range(ncd):
                row = ne + cc
                if cact[cc]:
                    for k in range(ne):
                        M[k, row] = A[ci[cc], k]
                        M[row, k] = A[ci[cc], k]
                    r[row] = g[q, ci[cc]]
                else:
                    M[row, row] = 1.0
                    r[row] = 0.0
            M[m - 1, m - 1] = sn - N
            r[m - 1] = N - sn + snmu
            for k in range(ne):
                if not active_el[k]:
                    for i2 in range(m):
                        M[k, i2] = 0.0
                        M[i2, k] = 0.0
                    M[k, k] = 1.0
                    r[k] = 0.0
            if not _solve_small(M, r, m):
                st = SINGULAR
                break
            dlnN = r[m - 1]
            big = 5.0 * abs(dlnN)
            l2 = np.inf
            for jj in range(ng):
                if not allowed[jj]:
                    dlnn[jj] = 0.0
                    continue
                j = gi[jj]
                s = -mu[jj] + dlnN
                for k in range(ne):
                    s += A[j, k] * r[k]
                dlnn[jj] = s
                lnx = lnn[jj] - lnN
                if lnx > SIZE:
                    big = max(big, abs(s))
                elif s >= 0:
                    den = s - dlnN
                    if den > 0:
                        l2 = min(l2, abs((-lnx - TRACE_TARGET) / den))
            lam = 1.0
            if big > 2.0:
                lam = 2.0 / big
            lam = min(lam, l2)
            lam = min(lam, 1.0)
            crit = 0.0
            totn = sn
            for cc in range(ncd):
                if cact[cc]:
                    ncond[cc] += lam * r[ne + cc]
                else:
                    ncond[cc] = 0.0
                totn += ncond[cc]
            for cc in range(ncd):
                if cact[cc]:
                    crit = max(crit, abs(r[ne + cc]) / totn)
            for jj in range(ng):
                if allowed[jj]:
                    lnn[jj] = max(lnn[jj] + lam * dlnn[jj], LN_MIN)
                    crit = max(crit, nj[jj] * abs(dlnn[jj]) / totn)
            lnN += lam * dlnN
            crit = max(crit, N * abs(dlnN) / totn)
            if not (math.isfinite(lnN)):
                st = SINGULAR
                break
            if crit < tol and lam == 1.0:
                change = False
                neg = False
                for cc in range(ncd):
                    if cact[cc] and ncond[cc] < 0:
                        cact[cc] = False
                        ncond[cc] = 0.0
                        change = True
                        neg = True
                if not neg:
                    best = -1e-10
                    pick = -1
                    for cc in range(ncd):
                        if (not cact[cc]) and allowed_c[cc]:
                            test = g[q, ci[cc]]
                            for k in range(ne):
                                test -= A[ci[cc], k] * r[k]
                            if test < best:
                                best = test
                                pick = cc
                    if pick >= 0:
                        cact[pick] = True
                        change = True
                if not change:
                    st = OK
                    break
        iters[q] = it
        status[q] = st
        for k in range(ne):
            out_pi[q, k] = r[k]
        for jj in range(ng):
            out[q, gi[jj]] = math.exp(lnn[jj]) if allowed[jj] else 0.0
        for cc in range(ncd):
            out[q, ci[cc]] = ncond[cc]
    return out, out_pi, iters, status
