"""The linear-programming start of gas-only equilibria over lanes of states (numba): the
revised simplex of :func:`carbonhub.thermo._eq_start.lp_start` (the method is described
there), with ``lanes`` cases pivoting in step and the lane index innermost, so that pricing,
ratio test and the update of the basis inverse compile to vector instructions.

Each lane carries the whole element set; an element absent from its case keeps its
artificial column at zero level (no allowed gas holds it: its row of the entering column is
0, so it never leaves and never changes another row). A pivot is applied to every lane at
once: a lane that has settled (or failed) gets a zero column and a unit pivot, which changes
none of its numbers. Every case sees the operations of the per-case start in the same order
(same pricing and ratio-test ties, the same basis inverse to the last bit); only the sum
``tot`` uses :func:`carbonhub.thermo._vexp.vexp` (fused multiply-adds, within 1 ulp of
``math.exp``). The cases of a block pivot as many times as their slowest; the block's other cases are unchanged by
those pivots, so a case's start does not depend on its block (tests/thermo/test_eq_lanes.py).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ._eq_start import BIG_M, PIVOTS, X_TRACE
from ._vexp import vexp


@njit(cache=True, error_model="numpy")
def lp_start_lanes(G, b, A, gnz, gk, ga, iatom, lanes):
    """Start of every case: ``G`` (ng, nc) g°/RT + ln(P/P°) per gas and case, ``b`` (ne, nc) the
    normalised element inventory, ``A`` (ng, ne) the element matrix, ``gnz``/``gk``/``ga``
    each gas' non-zero coefficients and their elements, ``iatom`` 1 / atoms per gas. Returns (lnn (nc, ng), lnN (nc,), settled
    (nc,)); where not settled the caller keeps CEA's uniform start."""
    K = lanes
    ng, nc = G.shape
    ne = b.shape[0]
    lnn_out = np.zeros((nc, ng))
    lnN_out = np.zeros(nc)
    settled_out = np.zeros(nc, np.bool_)
    gf = np.empty((2, ng, K))  # per gas: c, ln n
    c, lnn = gf[0], gf[1]
    gb = np.empty((2, ng, K), np.bool_)  # per gas: allowed, in the basis
    am, inB = gb[0], gb[1]
    act = np.empty((ne, K), np.bool_)
    Binv = np.empty((ne, ne, K))
    ef = np.empty((6, ne, K))  # per basis row: pivot row, level, dual, entering column in the basis, ...
    prow, xB, y, u, v, acol = ef[0], ef[1], ef[2], ef[3], ef[4], ef[5]
    bas = np.empty((ne, K), np.int64)
    lb = np.empty((2, K), np.bool_)
    run, ok = lb[0], lb[1]
    li = np.empty((2, K), np.int64)
    enter, leave = li[0], li[1]
    lf = np.empty((9, K))
    best, dq, xL, uL, ip, px, N, tot, dv = lf[0], lf[1], lf[2], lf[3], lf[4], lf[5], lf[6], lf[7], lf[8]
    for q0 in range(0, nc, K):
        for l in range(K):
            q = min(q0 + l, nc - 1)  # a block's spare lanes repeat its last case
            run[l] = True
            ok[l] = True
            for k in range(ne):
                act[k, l] = b[k, q] > 1e-300
                xB[k, l] = b[k, q] if act[k, l] else 0.0
                y[k, l] = BIG_M
                bas[k, l] = -1
                for k2 in range(ne):
                    Binv[k, k2, l] = 0.0
                Binv[k, k, l] = 1.0
            for jj in range(ng):
                c[jj, l] = G[jj, q]
                a = True
                for p in range(gnz[jj]):
                    if ga[jj, p] > 0 and not act[gk[jj, p], l]:
                        a = False
                am[jj, l] = a
                inB[jj, l] = False
        for _ in range(PIVOTS):
            # pricing: Dantzig's rule on the reduced cost per atom, first gas on ties
            for l in range(K):
                best[l] = -1e-9
                enter[l] = -1
                dq[l] = 0.0
            for jj in range(ng):
                for l in range(K):
                    dv[l] = c[jj, l]
                for p in range(gnz[jj]):
                    a = ga[jj, p]
                    k = gk[jj, p]
                    for l in range(K):
                        dv[l] -= a * y[k, l]
                ia = iatom[jj]
                for l in range(K):
                    d = dv[l]
                    e = d * ia
                    bt = best[l]
                    en = enter[l]
                    dd = dq[l]
                    take = am[jj, l] & (not inB[jj, l]) & (e < bt)  # loads first, then selects: vectorises
                    best[l] = e if take else bt
                    enter[l] = jj if take else en
                    dq[l] = d if take else dd
            more = False
            for l in range(K):
                if run[l] and enter[l] < 0:
                    run[l] = False  # optimal: settled
                if not run[l]:
                    enter[l] = -1
                    dq[l] = 0.0
                more |= run[l]
            if not more:
                break
            # entering column in the basis, ratio test (smallest row on ties)
            for l in range(K):
                xL[l] = math.inf
                uL[l] = 1.0
                leave[l] = -1
            for k in range(ne):  # the entering gas' column of A, dense
                for l in range(K):
                    e = enter[l]
                    a = A[max(e, 0), k]
                    acol[k, l] = a if e >= 0 else 0.0
            for i in range(ne):
                for l in range(K):
                    dv[l] = 0.0
                for k in range(ne):  # zero terms add exact zeros: the per-case sum's bits
                    for l in range(K):
                        dv[l] += Binv[i, k, l] * acol[k, l]
                for l in range(K):
                    ui = dv[l]
                    u[i, l] = ui
                    xb = xB[i, l]
                    ul = uL[l]
                    xl = xL[l]
                    lv = leave[l]
                    take = (ui > 1e-12) & (xb * ul < xl * ui)
                    xL[l] = xb if take else xl
                    uL[l] = ui if take else ul
                    leave[l] = i if take else lv
            for l in range(K):
                if run[l] and leave[l] < 0:  # unbounded: no start from the program
                    run[l] = False
                    ok[l] = False
                if not run[l]:
                    leave[l] = 0
                    dq[l] = 0.0
                    for i in range(ne):
                        u[i, l] = 0.0
                    u[0, l] = 1.0  # a unit pivot on row 0: changes nothing
                ip[l] = 1.0 / u[leave[l], l]
                px[l] = xB[leave[l], l] * ip[l]
            for k in range(ne):
                for l in range(K):
                    prow[k, l] = Binv[leave[l], k, l] * ip[l]
            for i in range(ne):
                for k in range(ne):
                    for l in range(K):
                        pr = prow[k, l]
                        nb = Binv[i, k, l] - u[i, l] * pr
                        Binv[i, k, l] = pr if i == leave[l] else nb
                for l in range(K):
                    pxl = px[l]
                    nx = xB[i, l] - u[i, l] * pxl
                    xB[i, l] = pxl if i == leave[l] else nx
            for k in range(ne):  # the dual after the pivot
                for l in range(K):
                    y[k, l] += dq[l] * prow[k, l]
            for l in range(K):
                if run[l]:
                    if bas[leave[l], l] >= 0:
                        inB[bas[leave[l], l], l] = False
                    bas[leave[l], l] = enter[l]
                    inB[enter[l], l] = True
        # the vertex's potentials and every gas' start
        for l in range(K):
            ok[l] = ok[l] and not run[l]  # PIVOTS pivots without settling: no start
            N[l] = 0.0
        for i in range(ne):
            for l in range(K):
                if act[i, l]:
                    ok[l] = ok[l] and bas[i, l] >= 0  # an artificial left in the basis
                    N[l] += max(xB[i, l], 0.0)
        for l in range(K):
            ok[l] = ok[l] and N[l] > 0.0
        for i in range(ne):
            for l in range(K):
                if act[i, l]:
                    ok[l] = ok[l] and xB[i, l] >= X_TRACE * N[l]  # degenerate vertex
        for i in range(ne):
            for l in range(K):
                v[i, l] = c[bas[i, l], l] + math.log(xB[i, l] / N[l]) if (act[i, l] and ok[l]) else 0.0
        for k in range(ne):
            for l in range(K):
                y[k, l] = 0.0
            for i in range(ne):
                for l in range(K):
                    y[k, l] += v[i, l] * Binv[i, k, l]
        for l in range(K):
            N[l] = math.log(N[l]) if ok[l] else 0.0
            tot[l] = 0.0
        for jj in range(ng):
            for l in range(K):
                dv[l] = -c[jj, l]
            for p in range(gnz[jj]):
                a = ga[jj, p]
                k = gk[jj, p]
                for l in range(K):
                    dv[l] += a * y[k, l]
            for l in range(K):
                lnn[jj, l] = min(dv[l], 0.0) + N[l]
                e = vexp(lnn[jj, l])
                tot[l] += e if am[jj, l] else 0.0
        for l in range(K):
            q = q0 + l
            if q >= nc or not ok[l]:
                continue
            floor = math.log(1e-12 * tot[l])
            for jj in range(ng):
                lnn_out[q, jj] = max(lnn[jj, l], floor)
            lnN_out[q] = math.log(tot[l])
            settled_out[q] = True
    return lnn_out, lnN_out, settled_out
