"""Compiled per-case kernel of the Gibbs minimiser (numba), the same CEA iteration as the
numpy path in :mod:`carbonhub.thermo.equilibrium`, case by case in machine code.

This is the one inner kernel numpy cannot express efficiently: a Newton iteration whose
number of steps differs from case to case. It is optional: ``CARBONHUB_NUMBA=0`` (or
``equilibrate(..., engine="numpy")``) uses the numpy path; both give the same answers
(tests/thermo/test_equilibrium.py).

Gas-only cases without a guess go to :mod:`carbonhub.thermo._eq_lanes` instead (the same
iteration over lanes of 64 states in vector instructions, ~2x faster per state); this kernel
serves condensed species, warm starts and ``max_iter < 1``.

Cost (benchmarks/bench_equilibrium.py, by CPU time; issue 14): for the 10-species syngas set
~0.25 us of set-up per case (g°/RT included), ~0.65 us for the linear-programming start and
~0.29 us per Newton iteration, 4.8 iterations per state (10.5 from CEA's uniform start);
flat in the batch size (each case touches only its own O(species x elements) working set,
allocated once per call). No helper taking arrays is called inside the iteration: numba
reference-counts array arguments with atomic instructions, which cost about a fifth of the
kernel's time when the linear solve was a call (the start is called once per case).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ._eq_start import lp_start
from ._nasa7_kernel import g_rt

SIZE = -18.420681
TRACE_TARGET = 9.2103404
LN_MIN = -690.0

QUADRATIC = 0.1
"""Safety factor of the converged-by-contraction test (see :mod:`carbonhub.thermo.equilibrium`)."""

OK, NO_CONV, SINGULAR = 0, 1, 2
OFF_BALANCE = 3
"""Converged, but an element is off its own inventory by more than the caller's relative
tolerance (:func:`carbonhub.thermo._eq_lanes.solve_gas` checks every case it returns)."""


@njit(cache=True)
def solve_small(M, r, m):
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
def kernel_arrays(nc, nout, ne, m, zero):
    """The arrays of an equilibrium kernel: per case its moles (``nout`` species), element
    potentials, iterations and status, and one Newton system's matrix (m, m) and right-hand
    side (m): zero-filled if ``zero``, else left unset (a kernel that writes every entry)."""
    if zero:
        return (np.zeros((nc, nout)), np.zeros((nc, ne)), np.zeros(nc, np.int64),
                np.zeros(nc, np.int64), np.zeros((m, m)), np.zeros(m))
    return (np.empty((nc, nout)), np.empty((nc, ne)), np.empty(nc, np.int64),
            np.empty(nc, np.int64), np.empty((m, m)), np.empty(m))


@njit(cache=True)
def solve_batch(A, gmask, low, high, tmid, vol, T, P, P_ref, R, b, tol, max_iter, guess, use_guess):
    """Solve every case of the batch (see :func:`carbonhub.thermo.equilibrium._solve`).

    Per case the Newton system is assembled only over what that case holds: its active
    elements (an absent element's potential is 0, so its row and column are left out rather
    than replaced by an identity row) and each gas species' non-zero stoichiometric
    coefficients (a sparse a_j a_j^T update: CO touches 2 of 5 elements). The linear system
    is solved through the L D L^T factor of its element block (assembled as its lower
    triangle; one division per row) and a 1 x 1 (gas only) or small Schur complement, with pivoted elimination of the whole matrix as the fallback.
    The iteration (start, steps, step control, convergence test, condensed-phase changes)
    is the numpy path's; results agree to rounding.

    Each case's g°/RT comes from the NASA-7 coefficients ``low``/``high`` (ns, 7), split at
    ``tmid`` (ns,), at its T [K] (one polynomial per species in the range T falls in, ln T
    once), plus v (P - P_ref)/RT for condensed species of molar volume ``vol`` [m3/mol].
    Gas-only cases without a ``guess`` start from the linear-programming estimate of
    :func:`carbonhub.thermo._eq_start.lp_start` (CEA's uniform start when it does not settle).
    """
    nc = T.shape[0]
    ns = A.shape[0]
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
    # sparse stoichiometry of the gases: element index and coefficient of each non-zero
    gnz = np.zeros(ng, np.int64)
    gk = np.zeros((ng, ne), np.int64)
    ga = np.zeros((ng, ne))
    for jj in range(ng):
        for k in range(ne):
            if A[gi[jj], k] != 0.0:
                gk[jj, gnz[jj]] = k
                ga[jj, gnz[jj]] = A[gi[jj], k]
                gnz[jj] += 1
    iatom = np.empty(ng)
    for jj in range(ng):
        iatom[jj] = 0.0
        for p in range(gnz[jj]):
            iatom[jj] += ga[jj, p]
        iatom[jj] = 1.0 / iatom[jj] if iatom[jj] > 0 else 0.0
    m = ne + ncd + 1
    out, out_pi, iters, status, M, r = kernel_arrays(nc, ns, ne, m, True)
    lnn = np.empty(ng)
    nj = np.empty(ng)
    mu = np.empty(ng)
    dlnn = np.empty(ng)
    gq = np.empty(ng)
    allowed = np.empty(ng, np.bool_)
    alist = np.empty(ng, np.int64)
    rk = np.empty((ng, ne), np.int64)
    allowed_c = np.empty(ncd, np.bool_)
    cact = np.empty(ncd, np.bool_)
    ncond = np.empty(ncd)
    acr = np.zeros((max(ncd, 1), ne))
    ea = np.empty(ne, np.int64)
    pos = np.empty(ne, np.int64)
    bg = np.empty(ne)
    bq = np.empty(ne)
    L = np.empty((ne, ne))
    LD = np.empty((ne, ne))
    iD = np.empty(ne)
    W = np.empty((ne, ncd + 1))
    wr = np.empty(ne)
    S = np.empty((ncd + 1, ncd + 1))
    su = np.empty(ncd + 1)
    gall = np.empty(ns)
    Binv = np.empty((ne, ne))
    xB = np.empty(ne)
    cB = np.empty(ne)
    bas = np.empty(ne, np.int64)
    ylp = np.empty(ne)
    ulp = np.empty(ne)
    inB = np.empty(ng, np.bool_)
    for q in range(nc):
        tq = T[q]
        lt = math.log(tq)
        lnPq = math.log(P[q] / P_ref)
        for j in range(ns):
            gall[j] = g_rt(tq, lt, low[j, 0], low[j, 1], low[j, 2], low[j, 3], low[j, 4], low[j, 5], low[j, 6]) \
                if tq <= tmid[j] else \
                g_rt(tq, lt, high[j, 0], high[j, 1], high[j, 2], high[j, 3], high[j, 4], high[j, 5], high[j, 6])
            if vol[j] != 0.0:
                gall[j] += vol[j] * (P[q] - P_ref) / (R * tq)
        # active elements of this case and their rows in the reduced system
        nea = 0
        for k in range(ne):
            if b[q, k] > 1e-300:
                pos[k] = nea
                ea[nea] = k
                bq[nea] = b[q, k]
                nea += 1
            else:
                pos[k] = -1
        mr = nea + ncd + 1
        last = mr - 1
        nallow = 0
        for jj in range(ng):
            ok = True
            for p in range(gnz[jj]):
                if ga[jj, p] > 0 and pos[gk[jj, p]] < 0:
                    ok = False
            allowed[jj] = ok
            if ok:
                alist[nallow] = jj
                nallow += 1
                for p in range(gnz[jj]):
                    rk[jj, p] = pos[gk[jj, p]]
            gq[jj] = gall[gi[jj]] + lnPq
        for cc in range(ncd):
            j = ci[cc]
            ok = True
            cap = np.inf
            for k in range(ne):
                if A[j, k] > 0:
                    if pos[k] < 0:
                        ok = False
                    cap = min(cap, b[q, k] / A[j, k])
            for kr in range(nea):
                acr[cc, kr] = A[j, ea[kr]]
            allowed_c[cc] = ok
            cact[cc] = ok
            ncond[cc] = 0.5 * cap / max(ncd, 1) if (ok and math.isfinite(cap)) else 0.0
        l0 = math.log(0.1 / max(nallow, 1))
        for jj in range(ng):
            lnn[jj] = l0 if allowed[jj] else LN_MIN
            nj[jj] = 0.0
            dlnn[jj] = 0.0
        lnN = math.log(0.1)
        if ncd == 0 and not use_guess and nea > 0:
            settled, lnN_lp = lp_start(nea, bq, nallow, alist, gnz, ga, rk, iatom, gq, Binv, xB, cB, bas, ylp, ulp,
                                       inB, dlnn)
            if settled:
                lnN = lnN_lp
                for t2 in range(nallow):
                    lnn[alist[t2]] = dlnn[alist[t2]]
            for jj in range(ng):
                dlnn[jj] = 0.0
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
        crit_prev = np.inf
        lam_prev = 0.0
        while it < max_iter:
            it += 1
            N = math.exp(lnN)
            for i1 in range(mr):
                r[i1] = 0.0
                for i2 in range(mr):
                    M[i1, i2] = 0.0
            for kr in range(nea):
                bg[kr] = 0.0
            sn = 0.0
            snmu = 0.0
            for t in range(nallow):
                jj = alist[t]
                w = math.exp(lnn[jj])
                mj = gq[jj] + lnn[jj] - lnN
                nj[jj] = w
                mu[jj] = mj
                sn += w
                wm = w * mj
                snmu += wm
                for p in range(gnz[jj]):
                    kp = rk[jj, p]
                    ap = ga[jj, p]
                    bg[kp] += ap * w
                    r[kp] += ap * wm
                    apw = ap * w
                    for p2 in range(p + 1):  # lower triangle only (rk rises with p)
                        M[kp, rk[jj, p2]] += apw * ga[jj, p2]
            for kr in range(nea):
                bc = 0.0
                for cc in range(ncd):
                    bc += acr[cc, kr] * ncond[cc]
                r[kr] += bq[kr] - bg[kr] - bc
                M[kr, last] = bg[kr]
                M[last, kr] = bg[kr]
            for cc in range(ncd):
                row = nea + cc
                if cact[cc]:
                    for kr in range(nea):
                        M[kr, row] = acr[cc, kr]
                        M[row, kr] = acr[cc, kr]
                    r[row] = gall[ci[cc]]
                else:
                    M[row, row] = 1.0
                    r[row] = 0.0
            M[last, last] = sn - N
            r[last] = N - sn + snmu
            # Newton system [[B, C], [C^T, D]] [pi; u] = r, B = sum_j n_j a_j a_j^T (nea x nea,
            # symmetric positive definite), u = (condensed moles, dlnN): L D L^T of B and the
            # small Schur complement D - C^T B^-1 C. Written out here rather than called: a
            # call passing arrays costs atomic reference counts each iteration, about a fifth
            # of the kernel's time. B not positive definite (an element held only by a
            # condensed species): pivoted elimination of the whole matrix instead.
            nb = mr - nea
            spd = True
            for i in range(nea):  # B = L D L^T, L unit lower; 1/D kept: one division per row
                for j in range(i):
                    sij = M[i, j]
                    for k in range(j):
                        sij -= LD[i, k] * L[j, k]
                    L[i, j] = sij * iD[j]
                    LD[i, j] = sij
                sij = M[i, i]
                for k in range(i):
                    sij -= LD[i, k] * L[i, k]
                if not (sij > 0.0 and sij < np.inf):
                    spd = False
                    break
                iD[i] = 1.0 / sij
            if spd:
                for i in range(nea):  # W = L^-1 C, wr = L^-1 r_e
                    sij = r[i]
                    for k in range(i):
                        sij -= L[i, k] * wr[k]
                    wr[i] = sij
                    for c2 in range(nb):
                        sij = M[i, nea + c2]
                        for k in range(i):
                            sij -= L[i, k] * W[k, c2]
                        W[i, c2] = sij
                for c1 in range(nb):  # Schur complement S = D_c - W^T D^-1 W
                    sij = r[nea + c1]
                    for k in range(nea):
                        sij -= W[k, c1] * iD[k] * wr[k]
                    su[c1] = sij
                    for c2 in range(nb):
                        sij = M[nea + c1, nea + c2]
                        for k in range(nea):
                            sij -= W[k, c1] * iD[k] * W[k, c2]
                        S[c1, c2] = sij
                for col in range(nb):  # S u = su, partial pivoting (nb = 1 + condensed species)
                    piv = col
                    bestp = abs(S[col, col])
                    for row in range(col + 1, nb):
                        if abs(S[row, col]) > bestp:
                            bestp, piv = abs(S[row, col]), row
                    if not (bestp > 0.0 and bestp < np.inf):
                        spd = False
                        break
                    if piv != col:
                        for k in range(nb):
                            tmp = S[col, k]; S[col, k] = S[piv, k]; S[piv, k] = tmp
                        tmp = su[col]; su[col] = su[piv]; su[piv] = tmp
                    for row in range(col + 1, nb):
                        f = S[row, col] / S[col, col]
                        for k in range(col, nb):
                            S[row, k] -= f * S[col, k]
                        su[row] -= f * su[col]
            if spd:
                for row in range(nb - 1, -1, -1):
                    sij = su[row]
                    for k in range(row + 1, nb):
                        sij -= S[row, k] * su[k]
                    su[row] = sij / S[row, row]
                for i in range(nea - 1, -1, -1):  # L^T pi = D^-1 (wr - W u)
                    sij = wr[i]
                    for c2 in range(nb):
                        sij -= W[i, c2] * su[c2]
                    sij *= iD[i]
                    for k in range(i + 1, nea):
                        sij -= L[k, i] * r[k]
                    r[i] = sij
                for c2 in range(nb):
                    r[nea + c2] = su[c2]
            else:
                for i in range(nea):  # the element block was assembled as its lower triangle
                    for j in range(i):
                        M[j, i] = M[i, j]
                if not solve_small(M, r, mr):
                    st = SINGULAR
                    break
            dlnN = r[last]
            big = 5.0 * abs(dlnN)
            l2 = np.inf
            for t in range(nallow):
                jj = alist[t]
                s = -mu[jj] + dlnN
                for p in range(gnz[jj]):
                    s += ga[jj, p] * r[rk[jj, p]]
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
                    ncond[cc] += lam * r[nea + cc]
                else:
                    ncond[cc] = 0.0
                totn += ncond[cc]
            for cc in range(ncd):
                if cact[cc]:
                    crit = max(crit, abs(r[nea + cc]))
            for t in range(nallow):
                jj = alist[t]
                lnn[jj] = max(lnn[jj] + lam * dlnn[jj], LN_MIN)
                crit = max(crit, nj[jj] * abs(dlnn[jj]))
            lnN += lam * dlnN
            crit = max(crit, N * abs(dlnN)) / totn
            if not (math.isfinite(lnN)):
                st = SINGULAR
                break
            done = lam == 1.0 and (crit < tol or (lam_prev == 1.0 and crit < crit_prev and
                                                  crit * crit * crit < QUADRATIC * tol * crit_prev * crit_prev))
            crit_prev = crit
            lam_prev = lam
            if done:
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
                            test = gall[ci[cc]]
                            for kr in range(nea):
                                test -= acr[cc, kr] * r[kr]
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
        for kr in range(nea):
            out_pi[q, ea[kr]] = r[kr]
        for jj in range(ng):
            out[q, gi[jj]] = math.exp(lnn[jj]) if allowed[jj] else 0.0
        for cc in range(ncd):
            out[q, ci[cc]] = ncond[cc]
    return out, out_pi, iters, status


@njit(cache=True, error_model="numpy")
def element_projection(n, A, b):
    """Per case the n-weighted projection of ``unitops._common.project_elements`` (see there):
    moles n (c, s), element matrix A (s, e), target inventory b (c, e). Returns (moles,
    singular (c,)); a singular case is returned unchanged for the caller's pseudo-inverse."""
    c, s = n.shape
    e = A.shape[1]
    out = n.copy()
    singular = np.zeros(c, dtype=np.bool_)
    M = np.empty((e, e))
    r = np.empty(e)
    d = np.empty(e)
    for i in range(c):
        need = False
        for a in range(e):
            t = b[i, a]
            for k in range(s):
                t -= n[i, k] * A[k, a]
            r[a] = t
            if abs(t) > 1e-15 * abs(b[i, a]):
                need = True
        if not need:
            continue
        dmax = 0.0
        for a in range(e):
            for l in range(e):
                t = 0.0
                for k in range(s):
                    t += n[i, k] * A[k, a] * A[k, l]
                M[a, l] = t
            d[a] = M[a, a]
            dmax = max(dmax, d[a])
        for a in range(e):
            if d[a] <= 1e-300 * max(dmax, 1e-300):  # an element absent from the case: left alone
                M[a, a] = 1.0
                r[a] = 0.0
        if not solve_small(M, r, e):
            singular[i] = True
            continue
        for k in range(s):
            t = 0.0
            for a in range(e):
                t += r[a] * A[k, a]
            out[i, k] = max(n[i, k] + n[i, k] * t, 0.0)
    return out, singular
