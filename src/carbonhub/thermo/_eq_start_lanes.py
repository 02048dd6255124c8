"""The linear-programming start of gas-only equilibria over lanes of states (numba): the
revised simplex of :func:`carbonhub.thermo._eq_start.lp_start` (the method is described
there), with ``lanes`` cases pivoting in step and the lane index innermost, so that pricing,
ratio test and the update of the basis inverse compile to vector instructions.

Each lane carries the whole element set; an element absent from its case keeps its
artificial column at zero level (no allowed gas holds it: its row of the entering column is
0, so it never leaves and never changes another row). A pivot is applied to every lane at
once: a lane that has settled (or failed) gets a zero column and a unit pivot, which changes
none of its numbers. Every case sees the operations of the per-case start in the same order
(same pricing and ratio-test ties, the same basis inverse to the last bit, exp and ln by
:func:`carbonhub.thermo._vexp.vexp` and :func:`carbonhub.thermo._vexp.vlog` in both, so the same
start to the last bit). The cases of a block pivot as many times as their slowest; the block's other cases are unchanged by
those pivots, so a case's start does not depend on its block (tests/thermo/test_eq_lanes.py).

For five elements (the usual C, H, O, N, Ar) and ``LANES`` lanes the pivots run in
:func:`_pivots5`: the same operations in the same order (the same bits), but the pivot step
(entering column, ratio test, update of the basis inverse, the dual and the basis) is one loop
over the lanes with every number of a lane in registers and every choice a ``select`` (a
conditional expression that LLVM's jump threading would otherwise turn into branches, which
stop the vectoriser). The general code runs ~60 short loops over the lanes per pivot, half of
them scalar (a row picked per lane); syngas set of benchmarks/bench_equilibrium.py, N = 10^4,
start alone: 0.53 -> 0.43 us per state (0.33 with the entry state written lane-innermost and
ln by :func:`carbonhub.thermo._vexp.vlog`).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit
from numba.core import types
from numba.extending import intrinsic

from ._eq_start import BIG_M, PIVOTS, X_TRACE
from ._vexp import vexp, vlog

LANES = 64
"""States advanced together. Each lane loop is vectorised by the compiler with run-time
overlap checks of its arrays (numba does not tell LLVM that the work arrays are distinct);
at 64 lanes their cost is spread over 8 AVX-512 vectors (measured at N = 10^4: 8 lanes
2.0 us per state, 32 lanes 1.56, 64 lanes 1.46, 128 lanes 1.53)."""

# rows of the five-element pivot state (:func:`_pivots5`), each ``LANES`` long
_XB, _Y, _DQ, _EN, _BEST, _RUN, _OK, _BAS, _ACOL, _ROWS = 25, 30, 35, 36, 37, 38, 39, 40, 45, 50


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
    fast = ne == 5 and K == LANES and ng <= 62
    S = np.empty((_ROWS, K))
    inb = np.empty(K, np.int64)
    best, dq, xL, uL, ip, px, N, tot, dv = lf[0], lf[1], lf[2], lf[3], lf[4], lf[5], lf[6], lf[7], lf[8]
    for q0 in range(0, nc, K):
        last = nc - 1 - q0  # a block's spare lanes repeat its last case; the lane index innermost
        for l in range(K):
            run[l] = True
            ok[l] = True
        for k in range(ne):
            for l in range(K):
                bq = b[k, q0 + min(l, last)]
                act[k, l] = bq > 1e-300
                xB[k, l] = bq if bq > 1e-300 else 0.0
                y[k, l] = BIG_M
                bas[k, l] = -1
            for k2 in range(ne):
                for l in range(K):
                    Binv[k, k2, l] = 1.0 if k == k2 else 0.0
        for jj in range(ng):
            for l in range(K):
                c[jj, l] = G[jj, q0 + min(l, last)]
                am[jj, l] = True
                inB[jj, l] = False
            for p in range(gnz[jj]):
                if ga[jj, p] > 0:  # a gas whose element is absent is not allowed
                    k = gk[jj, p]
                    for l in range(K):
                        am[jj, l] &= act[k, l]
        if fast:  # five elements: the same pivots as below, one loop over the lanes per step
            Bf = Binv.reshape(ne * ne, K)
            for i in range(ne * ne):
                for l in range(K):
                    S[i, l] = Bf[i, l]
            for i in range(ne):
                for l in range(K):
                    S[_XB + i, l] = xB[i, l]
                    S[_Y + i, l] = y[i, l]
                    S[_BAS + i, l] = -1.0
            for l in range(K):
                S[_RUN, l] = 1.0
                S[_OK, l] = 1.0
            _pivots5(S, c, am, A, iatom, inb)
            for l in range(K):
                run[l] = S[_RUN, l] != 0.0
                ok[l] = S[_OK, l] != 0.0
            for i in range(ne * ne):
                for l in range(K):
                    Bf[i, l] = S[i, l]
            for i in range(ne):
                for l in range(K):
                    xB[i, l] = S[_XB + i, l]
                    bas[i, l] = int(S[_BAS + i, l])
        else:
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
                u[i, l] = c[max(bas[i, l], 0), l]  # the basis gas' cost (a row per lane: scalar)
            for l in range(K):
                t = u[i, l] + vlog(xB[i, l] / N[l])
                v[i, l] = t if (act[i, l] and ok[l]) else 0.0
        for k in range(ne):
            for l in range(K):
                y[k, l] = 0.0
            for i in range(ne):
                for l in range(K):
                    y[k, l] += v[i, l] * Binv[i, k, l]
        for l in range(K):
            t = vlog(N[l])
            N[l] = t if ok[l] else 0.0
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
            xL[l] = vlog(1e-12 * tot[l])  # the floor of ln n
            uL[l] = vlog(tot[l])
        for l in range(K):
            q = q0 + l
            if q >= nc or not ok[l]:
                continue
            for jj in range(ng):
                lnn_out[q, jj] = max(lnn[jj, l], xL[l])
            lnN_out[q] = uL[l]
            settled_out[q] = True
    return lnn_out, lnN_out, settled_out


@intrinsic
def _sel(typingctx, cond, a, b):
    """``a if cond else b`` as LLVM's ``select`` (no branch): ``a`` and ``b`` of one type."""
    def codegen(context, builder, signature, args):
        return builder.select(context.cast(builder, args[0], signature.args[0], types.boolean), args[1], args[2])
    return a(cond, a, b), codegen


@njit(inline="always")
def _pick(i, v0, v1, v2, v3, v4):
    """``(v0, ..., v4)[i]`` by selects."""
    return _sel(i == 0, v0, _sel(i == 1, v1, _sel(i == 2, v2, _sel(i == 3, v3, v4))))


@njit(inline="always")
def _row5(Sf, o, l):
    """Rows ``o`` .. ``o + 4`` of lane ``l`` of the flat pivot state."""
    return Sf[o * LANES + l], Sf[(o + 1) * LANES + l], Sf[(o + 2) * LANES + l], Sf[(o + 3) * LANES + l], \
        Sf[(o + 4) * LANES + l]


@njit(inline="always")
def _dot5(r, a):
    """Row ``r`` of the basis inverse times the entering column, summed from 0 in column order
    (the general code's sum: zero terms add exact zeros)."""
    return ((((0.0 + r[0] * a[0]) + r[1] * a[1]) + r[2] * a[2]) + r[3] * a[3]) + r[4] * a[4]


@njit(inline="always")
def _ratio(i, ui, xb, xl, ul, lv):
    """One row of the ratio test (the general code's comparison, without dividing)."""
    take = (ui > 1e-12) & (xb * ul < xl * ui)
    return _sel(take, xb, xl), _sel(take, ui, ul), _sel(take, i, lv)


@njit(inline="always")
def _new_row(Sf, o, l, r, ui, pivot_row, prow):
    """Row ``o`` of the basis inverse after the pivot: the scaled pivot row, else r - u_i prow."""
    for k in range(5):
        nb = r[k] - ui * prow[k]
        Sf[(o + k) * LANES + l] = _sel(pivot_row, prow[k], nb)


@njit(error_model="numpy")
def _price5(Sf, cj, amk, inb, jj, aj, ia):
    """Pricing of gas ``jj`` (coefficients ``aj``, 1/atoms ``ia``) in every lane: its reduced
    cost c_j - sum_k a_jk y_k per atom against the best so far (the general code's rule and
    sums: a zero coefficient subtracts an exact zero); the entering gas, its reduced cost and
    its column of A where it is taken."""
    for l in range(LANES):
        d = cj[l]
        for k in range(5):
            d -= aj[k] * Sf[(_Y + k) * LANES + l]
        e = d * ia
        bt = Sf[_BEST * LANES + l]
        en = Sf[_EN * LANES + l]
        dd = Sf[_DQ * LANES + l]
        take = (((amk[l] >> jj) & 1) == 1) & (((inb[l] >> jj) & 1) == 0) & (e < bt)
        Sf[_BEST * LANES + l] = _sel(take, e, bt)
        Sf[_EN * LANES + l] = _sel(take, float(jj), en)
        Sf[_DQ * LANES + l] = _sel(take, d, dd)
        for k in range(5):
            o = (_ACOL + k) * LANES + l
            Sf[o] = _sel(take, aj[k], Sf[o])


@njit(error_model="numpy")
def _pivot5(Sf, inb):
    """One pivot in every lane (the general code's ratio test, pivot, dual update and basis
    change; a lane that has settled or failed gets the unit pivot that changes nothing)."""
    for l in range(LANES):
        e = int(Sf[_EN * LANES + l])
        run = Sf[_RUN * LANES + l] != 0.0
        dq = Sf[_DQ * LANES + l]
        a = _row5(Sf, _ACOL, l)
        b0, b1, b2, b3, b4 = _row5(Sf, 0, l), _row5(Sf, 5, l), _row5(Sf, 10, l), _row5(Sf, 15, l), _row5(Sf, 20, l)
        u0, u1, u2, u3, u4 = _dot5(b0, a), _dot5(b1, a), _dot5(b2, a), _dot5(b3, a), _dot5(b4, a)
        x0, x1, x2, x3, x4 = _row5(Sf, _XB, l)
        xl, ul, lv = _ratio(0, u0, x0, math.inf, 1.0, -1)
        xl, ul, lv = _ratio(1, u1, x1, xl, ul, lv)
        xl, ul, lv = _ratio(2, u2, x2, xl, ul, lv)
        xl, ul, lv = _ratio(3, u3, x3, xl, ul, lv)
        xl, ul, lv = _ratio(4, u4, x4, xl, ul, lv)
        Sf[_OK * LANES + l] = _sel(run & (lv < 0), 0.0, Sf[_OK * LANES + l])  # unbounded: no start
        run = run & (lv >= 0)
        Sf[_RUN * LANES + l] = _sel(run, 1.0, 0.0)
        lv = _sel(run, lv, 0)
        dq = _sel(run, dq, 0.0)
        us = (_sel(run, u0, 1.0), _sel(run, u1, 0.0), _sel(run, u2, 0.0), _sel(run, u3, 0.0), _sel(run, u4, 0.0))
        ip = 1.0 / _pick(lv, us[0], us[1], us[2], us[3], us[4])
        px = _pick(lv, x0, x1, x2, x3, x4) * ip
        prow = (_pick(lv, b0[0], b1[0], b2[0], b3[0], b4[0]) * ip, _pick(lv, b0[1], b1[1], b2[1], b3[1], b4[1]) * ip,
                _pick(lv, b0[2], b1[2], b2[2], b3[2], b4[2]) * ip, _pick(lv, b0[3], b1[3], b2[3], b3[3], b4[3]) * ip,
                _pick(lv, b0[4], b1[4], b2[4], b3[4], b4[4]) * ip)
        _new_row(Sf, 0, l, b0, us[0], lv == 0, prow)
        _new_row(Sf, 5, l, b1, us[1], lv == 1, prow)
        _new_row(Sf, 10, l, b2, us[2], lv == 2, prow)
        _new_row(Sf, 15, l, b3, us[3], lv == 3, prow)
        _new_row(Sf, 20, l, b4, us[4], lv == 4, prow)
        xs = (x0, x1, x2, x3, x4)
        for i in range(5):
            Sf[(_XB + i) * LANES + l] = _sel(i == lv, px, xs[i] - us[i] * px)
        for k in range(5):
            Sf[(_Y + k) * LANES + l] += dq * prow[k]
        bas = _row5(Sf, _BAS, l)
        old = int(_pick(lv, bas[0], bas[1], bas[2], bas[3], bas[4]))
        m = inb[l]
        m = _sel(old >= 0, m & ~(1 << max(old, 0)), m) | (1 << max(e, 0))
        inb[l] = _sel(run, m, inb[l])
        for i in range(5):
            Sf[(_BAS + i) * LANES + l] = _sel(run & (i == lv), float(e), bas[i])


@njit(error_model="numpy")
def _pivots5(S, c, am, A, iatom, inb):
    """The pivots of a block of ``LANES`` cases over five elements (see the module doc): ``S``
    (_ROWS, LANES) holds the basis inverse, levels, dual, run and ok flags and basis at entry
    and at return; ``c`` (ng, LANES) the costs, ``am`` the allowed gases; ``inb`` work space.
    Each lane's basis and allowed gases are bit masks (at most 62 gases)."""
    ng = c.shape[0]
    Sf = S.reshape(_ROWS * LANES)
    amk = np.zeros(LANES, np.int64)
    for jj in range(ng):
        for l in range(LANES):
            amk[l] |= np.int64(am[jj, l]) << jj
            inb[l] = 0
    for _ in range(PIVOTS):
        for l in range(LANES):
            S[_BEST, l] = -1e-9
            S[_EN, l] = -1.0
            S[_DQ, l] = 0.0
        for jj in range(ng):
            _price5(Sf, c[jj], amk, inb, jj, A[jj], iatom[jj])
        more = False
        for l in range(LANES):
            r = (S[_RUN, l] != 0.0) & (S[_EN, l] >= 0.0)  # no gas enters: optimal, settled
            S[_RUN, l] = _sel(r, 1.0, 0.0)
            S[_EN, l] = _sel(r, S[_EN, l], -1.0)
            S[_DQ, l] = _sel(r, S[_DQ, l], 0.0)
            for k in range(5):
                S[_ACOL + k, l] = _sel(r, S[_ACOL + k, l], 0.0)
            more |= r
        if not more:
            break
        _pivot5(Sf, inb)
