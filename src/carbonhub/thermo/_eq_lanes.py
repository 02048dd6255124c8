"""Compiled Gibbs minimiser for gas-only cases over lanes of states (numba): the iteration of
:func:`carbonhub.thermo._eq_kernel.solve_batch`, with ``LANES`` states advanced together and
the lane index innermost in every loop of the Newton step, so that LLVM's loop vectoriser
turns each loop into vector instructions (4 doubles per AVX2 register on this machine; numba
does not tell LLVM that the work arrays are distinct, so each loop carries a run-time overlap
check, and numba's SLP vectoriser is off: lanes must be a loop, not unrolled code).

Why: the per-case kernel spends ~0.29 us per Newton iteration on a 5-element system, about
900 cycles for ~400 flops: a chain of dependent scalar operations (L D L^T of a 5 x 5 matrix,
a division per row) and ~11 calls of the C library's exp, latency- rather than
throughput-bound. Independent states in the same instructions fill the vector units.

How (batch independence kept, bit for bit):

* Every lane carries the whole element set of the species list. An element absent from the
  lane's case gets an identity row (its potential is 0); no allowed gas holds it, so its row
  and column are exactly 0 elsewhere and every active entry is computed by the same
  floating-point operations, in the same order, as in the per-case kernel (adding or
  subtracting an exact 0 changes nothing). Gases not allowed in a case carry a 0 weight.
  Every conditional in a lane loop is a select after unconditional loads (a load under a
  branch stops the vectoriser); exp is :func:`carbonhub.thermo._vexp.vexp` (within 1 ulp of
  the C library's), the only difference from the per-case kernel: on the benchmark's 20,000
  syngas states the same iterations and status in every case, moles (normalised to the
  case's inventory) within 1.5e-14.
* A lane that converges (or fails) writes its case out and takes the next case of the batch
  at once: lanes never wait for each other, and what a case computes never depends on which
  lane or which neighbours it had. g°/RT (:func:`_g_rt_p`) and the linear-programming start
  (:func:`carbonhub.thermo._eq_start_lanes.lp_start_lanes`, also over lanes) are computed
  ahead for a chunk of ``CHUNK`` cases at a time, with each case's allowed gases and its
  starting ln n (:func:`_entry`, the case index innermost): entering a lane is a copy.
* A lane whose element block is not positive definite, or whose Schur complement vanishes,
  is solved as in the per-case kernel: pivoted elimination of its reduced matrix.

Cost (syngas set of benchmarks/bench_equilibrium.py, N = 10^4, by CPU time, best of 15-20
at load 7-10): g°/RT 0.03 us per state, start 0.40 (6.6 simplex pivots per case, 8.6 in step
with the slowest of 64), lane changes ~0.15, Newton ~0.45 (4.7 iterations per state); about
1.0 us in all against 2.2 for the per-case kernel at the same load. Since then the start's
pivots for five elements run as one loop over the lanes per step, its entry state and its
ln vectorise (:mod:`carbonhub.thermo._eq_start_lanes`): start 0.53 -> 0.33 us per state, the
whole call 1.22-1.23 -> 1.10 us (load ~9). Measured by repeating one part of the Newton step
(load ~7, 0.95 us in all): matrix and exp 0.18, solve 0.07, step control 0.04, update 0.01.

tests/thermo/test_eq_lanes.py checks this kernel against the per-case one, a case alone
against it in batches (reversed, other lane counts, over chunk boundaries: the same bits)
and the start against the numpy reference.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ._eq_kernel import (LN_MIN, NO_CONV, OFF_BALANCE, OK, QUADRATIC, SINGULAR, SIZE, TRACE_TARGET, kernel_arrays,
                         solve_small)
from ._eq_start_lanes import LANES, lp_start_lanes
from ._nasa7_kernel import g_rt
from ._vexp import vexp

CHUNK = 1024
"""Cases whose g°/RT and start are computed ahead, together (~80 kB per array: they stay in the
second-level cache, and below the C library's threshold for mapping fresh pages, which each
cost a page fault when first written: 2,048 cases took 479 page faults per call of 10^4
states, 1,024 take 359; at N = 10^5 whole-batch arrays of 8 MB each made a state ~35 %
dearer)."""


@njit(cache=True, error_model="numpy")
def _g_rt_p(low, high, tmid, vol, T, P, P_ref, R):
    """g°/RT + ln(P/P°) of every species (rows) in every case (columns), the per-case kernel's
    expression; one species' coefficients at a time, over the cases in a vectorisable loop."""
    nc = T.shape[0]
    ns = tmid.shape[0]
    lt = np.empty(nc)
    lp = np.empty(nc)
    for q in range(nc):
        lt[q] = math.log(T[q])
        lp[q] = math.log(P[q] / P_ref)
    G = np.empty((ns, nc))
    for j in range(ns):
        tm = tmid[j]
        v = vol[j]
        l0, l1, l2, l3, l4, l5, l6 = low[j, 0], low[j, 1], low[j, 2], low[j, 3], low[j, 4], low[j, 5], low[j, 6]
        h0, h1, h2, h3, h4, h5, h6 = high[j, 0], high[j, 1], high[j, 2], high[j, 3], high[j, 4], high[j, 5], \
            high[j, 6]
        for q in range(nc):
            t = T[q]
            lo = t <= tm
            g = g_rt(t, lt[q], l0 if lo else h0, l1 if lo else h1, l2 if lo else h2, l3 if lo else h3,
                     l4 if lo else h4, l5 if lo else h5, l6 if lo else h6)
            if v != 0.0:
                g += v * (P[q] - P_ref) / (R * t)
            G[j, q] = g + lp[q]
    return G


@njit(inline="always")
def _ldl_first3(mk0, mk1, mk2, i0, i1, i2, l10, l20, l21):
    """Row k (3 or 4) of :func:`_ldl5`'s L D L^T against its first three columns: l_k0, a_k1,
    l_k1, a_k2, l_k2 from the row's entries m_k0..m_k2, the pivots' inverses and the L entries
    above (inlined by numba: the same operations in the caller's lane loop)."""
    lk0 = mk0 * i0
    ak1 = mk1 - mk0 * l10
    lk1 = ak1 * i1
    ak2 = (mk2 - mk0 * l20) - ak1 * l21
    return lk0, ak1, lk1, ak2, ak2 * i2


@njit(cache=True, error_model="numpy")
def _ldl5(M, x, bad):
    """The Newton step of :func:`solve_gas` for five elements in ``LANES`` lanes: L D L^T of the
    element block, the Schur complement of the ln N row and the back substitution, written out
    for a 6 x 6 system as one loop over the lanes with every entry in a register (the general
    code runs ~90 short loops over the lanes per step). The same operations in the same order
    as the general code, so the same bits. ``M`` (7, 6, LANES): the matrix, then the right-hand
    side as its last row; ``bad`` gets a lane whose element block is not positive definite or
    whose Schur complement vanishes. LLVM vectorises the loop only because it reads one array
    at offsets it knows (the lane count a constant) and writes one of its own (solution and
    flag, copied out after it): with the caller's arrays or run-time strides it finds too many
    possible overlaps to check and leaves the loop scalar (its optimisation remarks say so)."""
    Mf = M.reshape(42 * LANES)  # flat: entry (i, j) at (6 i + j) LANES + l, offsets the compiler knows
    xo = np.empty(7 * LANES)
    for l in range(LANES):
        m00 = Mf[0 * LANES + l]
        m10, m11 = Mf[6 * LANES + l], Mf[7 * LANES + l]
        m20, m21, m22 = Mf[12 * LANES + l], Mf[13 * LANES + l], Mf[14 * LANES + l]
        m30, m31, m32, m33 = Mf[18 * LANES + l], Mf[19 * LANES + l], Mf[20 * LANES + l], Mf[21 * LANES + l]
        m40, m41, m42 = Mf[24 * LANES + l], Mf[25 * LANES + l], Mf[26 * LANES + l]
        m43, m44 = Mf[27 * LANES + l], Mf[28 * LANES + l]
        c0, c1, c2 = Mf[5 * LANES + l], Mf[11 * LANES + l], Mf[17 * LANES + l]
        c3, c4, s = Mf[23 * LANES + l], Mf[29 * LANES + l], Mf[35 * LANES + l]
        d0 = m00
        i0 = 1.0 / d0
        l10 = m10 * i0
        d1 = m11 - m10 * l10
        i1 = 1.0 / d1
        l20 = m20 * i0
        a21 = m21 - m20 * l10
        l21 = a21 * i1
        d2 = (m22 - m20 * l20) - a21 * l21
        i2 = 1.0 / d2
        l30, a31, l31, a32, l32 = _ldl_first3(m30, m31, m32, i0, i1, i2, l10, l20, l21)
        d3 = ((m33 - m30 * l30) - a31 * l31) - a32 * l32
        i3 = 1.0 / d3
        l40, a41, l41, a42, l42 = _ldl_first3(m40, m41, m42, i0, i1, i2, l10, l20, l21)
        a43 = ((m43 - m40 * l30) - a41 * l31) - a42 * l32
        l43 = a43 * i3
        d4 = (((m44 - m40 * l40) - a41 * l41) - a42 * l42) - a43 * l43
        i4 = 1.0 / d4
        wr0, w0 = Mf[36 * LANES + l], c0
        wr1, w1 = Mf[37 * LANES + l] - l10 * wr0, c1 - l10 * w0
        wr2, w2 = (Mf[38 * LANES + l] - l20 * wr0) - l21 * wr1, (c2 - l20 * w0) - l21 * w1
        wr3, w3 = ((Mf[39 * LANES + l] - l30 * wr0) - l31 * wr1) - l32 * wr2, ((c3 - l30 * w0) - l31 * w1) - l32 * w2
        wr4 = (((Mf[40 * LANES + l] - l40 * wr0) - l41 * wr1) - l42 * wr2) - l43 * wr3
        w4 = (((c4 - l40 * w0) - l41 * w1) - l42 * w2) - l43 * w3
        a = ((((Mf[41 * LANES + l] - w0 * i0 * wr0) - w1 * i1 * wr1) - w2 * i2 * wr2) - w3 * i3 * wr3) - w4 * i4 * wr4
        sc = ((((s - w0 * i0 * w0) - w1 * i1 * w1) - w2 * i2 * w2) - w3 * i3 * w3) - w4 * i4 * w4
        x5 = a / sc
        x4 = (wr4 - w4 * x5) * i4
        x3 = (wr3 - w3 * x5) * i3 - l43 * x4
        x2 = ((wr2 - w2 * x5) * i2 - l32 * x3) - l42 * x4
        x1 = (((wr1 - w1 * x5) * i1 - l21 * x2) - l31 * x3) - l41 * x4
        x0 = ((((wr0 - w0 * x5) * i0 - l10 * x1) - l20 * x2) - l30 * x3) - l40 * x4
        xo[l], xo[LANES + l], xo[2 * LANES + l], xo[3 * LANES + l], xo[4 * LANES + l], xo[5 * LANES + l] = (
            x0, x1, x2, x3, x4, x5)
        asc = abs(sc)
        ok = ((d0 > 0.0) & (d0 < np.inf) & (d1 > 0.0) & (d1 < np.inf) & (d2 > 0.0) & (d2 < np.inf) & (d3 > 0.0) &
              (d3 < np.inf) & (d4 > 0.0) & (d4 < np.inf) & (asc > 0.0) & (asc < np.inf))
        xo[6 * LANES + l] = 0.0 if ok else 1.0
    for i in range(6):
        for l in range(LANES):
            x[i, l] = xo[i * LANES + l]
    for l in range(LANES):
        bad[l] |= xo[6 * LANES + l] != 0.0


@njit(cache=True, error_model="numpy")
def _entry(G, b, A, gnz, gk, ga, iatom, K):
    """Each case's state on entering a lane, the case index innermost (``G`` (ng, nc), ``b``
    (ne, nc)): ln n of every gas (the linear-programming start where it settled, CEA's uniform
    start otherwise, LN_MIN for a gas the case does not allow: one of its elements absent),
    ln N, and the allowed gases."""
    ng, nc = G.shape
    ne = b.shape[0]
    lnn0, lnN0, settled = lp_start_lanes(G, b, A, gnz, gk, ga, iatom, K)
    am = np.ones((ng, nc), np.bool_)
    nallow = np.zeros(nc, np.int64)
    for jj in range(ng):
        for p in range(gnz[jj]):
            if ga[jj, p] > 0:
                k = gk[jj, p]
                for q in range(nc):
                    am[jj, q] &= b[k, q] > 1e-300
        for q in range(nc):
            nallow[q] += am[jj, q]
    nea = np.zeros(nc, np.int64)
    for k in range(ne):
        for q in range(nc):
            nea[q] += b[k, q] > 1e-300
    lnn = np.empty((ng, nc))
    lnN = np.empty(nc)
    for q in range(nc):
        if nea[q] > 0 and settled[q]:
            lnN[q] = lnN0[q]
            for jj in range(ng):
                lnn[jj, q] = lnn0[q, jj] if am[jj, q] else LN_MIN
        else:  # CEA's uniform start
            l0 = math.log(0.1 / max(nallow[q], 1))
            for jj in range(ng):
                lnn[jj, q] = l0 if am[jj, q] else LN_MIN
            lnN[q] = math.log(0.1)
    return lnn, lnN, am


@njit(cache=True, error_model="numpy")
def gas_inventory(n, A, T, P, t_lo, t_hi):
    """The normalised element inventory of every case, b / sum(b) as (elements, cases) (b = n A,
    each case's sum in species order from 0: the bits of :func:`carbonhub.thermo.rowdot.rowdot`,
    a zero coefficient's exact +0 term left out; its sum as :func:`carbonhub.thermo.rowdot.rowsum`),
    the sums, and whether the batch is the usual one: every mole finite and >= 0, T and P
    finite and > 0, T within [t_lo, t_hi], atoms in every case (if not, the caller takes the
    checked path, which names what is wrong or which cases are not solved). The case index
    innermost, so that every loop vectorises: ``rowdot_kernel``'s loops, with the elements
    innermost, took 0.035 us per state here against 0.016, and its (cases, elements) result
    would need a transpose for the lanes."""
    nc, ns = n.shape
    ne = A.shape[1]
    bn = np.zeros((ne, nc))
    for k in range(ne):  # element k's row, its species in index order (rowdot's order of sums)
        row = bn[k]
        for j in range(ns):
            if A[j, k] != 0.0:
                a = A[j, k]
                for q in range(nc):
                    row[q] += n[q, j] * a
    good = True
    nf = n.reshape(nc * ns)  # C-contiguous
    for i in range(nc * ns):
        x = nf[i]
        good &= (x >= 0.0) & (x < np.inf)
    scale = np.zeros(nc)
    for k in range(ne):
        for q in range(nc):
            scale[q] += bn[k, q]
    for q in range(nc):
        s = scale[q]
        t = T[q]
        pr = P[q]
        good &= (s > 0.0) & (s < np.inf) & (t >= t_lo) & (t <= t_hi) & (pr > 0.0) & (pr < np.inf)
    for k in range(ne):
        for q in range(nc):
            bn[k, q] /= scale[q]
    return bn, scale, good


@njit(cache=True, error_model="numpy")
def solve_gas(A, low, high, tmid, vol, T, P, P_ref, R, b, tol, max_iter, K, erel, scale):
    """Solve every case of a gas-only batch without a guess; the arguments and results are
    those of :func:`carbonhub.thermo._eq_kernel.solve_batch` (every species a gas; ``b`` as
    (elements, cases), :func:`gas_inventory`), the moles
    multiplied by ``scale`` (per case: the inventory's sum, which ``b`` is normalised by), and
    a converged case whose element balance sum_j a_jk n_j is off b_k by more than ``erel`` b_k
    for any element k (before the scaling) gets the status ``OFF_BALANCE`` (each sum in
    species order, as :func:`carbonhub.thermo.rowdot.rowdot`)."""
    nc = T.shape[0]
    ng = A.shape[0]
    ne = A.shape[1]
    m = ne + 1
    last = ne
    gnz = np.zeros(ng, np.int64)
    gk = np.zeros((ng, ne), np.int64)
    ga = np.zeros((ng, ne))
    iatom = np.zeros(ng)
    for jj in range(ng):
        for k in range(ne):
            if A[jj, k] != 0.0:
                gk[jj, gnz[jj]] = k
                ga[jj, gnz[jj]] = A[jj, k]
                iatom[jj] += A[jj, k]
                gnz[jj] += 1
        iatom[jj] = 1.0 / iatom[jj] if iatom[jj] > 0 else 0.0
    # every entry of the results written when its case leaves its lane
    out, out_pi, iters, status, Mr, rr = kernel_arrays(nc, ng, ne, m, False)
    # lane state [..., lane], as rows of one allocation per kind
    lane_i = np.zeros((4, K), np.int64)
    case, itl, lane_nea, fin = lane_i[0], lane_i[1], lane_i[2], lane_i[3]  # fin -1: take a case; OK,
    # NO_CONV, SINGULAR: write it out, then take one; -2: running
    lane_ea = np.zeros((K, ne), np.int64)
    lane_f = np.zeros((12, K))
    crit_prev, lam_prev, lnN, acc, acc2, N, sn, snmu, big, l2, lam, crit = (
        lane_f[0], lane_f[1], lane_f[2], lane_f[3], lane_f[4], lane_f[5], lane_f[6], lane_f[7], lane_f[8],
        lane_f[9], lane_f[10], lane_f[11])
    bad = np.zeros(K, np.bool_)
    gas_f = np.zeros((5, ng, K))  # per gas: ln n, g/RT + ln P, n, mu, Newton correction
    lnn, gq, wv, mu, dl = gas_f[0], gas_f[1], gas_f[2], gas_f[3], gas_f[4]
    am = np.zeros((ng, K), np.bool_)
    el_f = np.zeros((6, ne, K))  # per element: inventory, 1 if absent, 1/D, L^-1 C, L^-1 r, sum a n
    bf, ina, iD, W, wr, bg = el_f[0], el_f[1], el_f[2], el_f[3], el_f[4], el_f[5]
    Mr_ = np.zeros((m + 1, m, K))  # Newton matrix and right-hand side, one allocation: :func:`_ldl5`
    M, r = Mr_[:m], Mr_[m]
    x = np.zeros((m, K))  # solution
    LL = np.zeros((2, ne, ne, K))  # L and L D
    L, LD = LL[0], LL[1]
    Mf = M.reshape(m * m * K)  # flat views of the same memory
    rf = r.reshape(m * K)
    bgf = bg.reshape(ne * K)
    for l in range(K):  # idle lanes: no case, every gas absent, every element an identity row
        case[l] = -1
        fin[l] = -1
        for jj in range(ng):
            lnn[jj, l] = LN_MIN
        for k in range(ne):
            ina[k, l] = 1.0
    c0 = 0  # the chunk of cases whose g/RT and start are at hand: [c0, c1)
    c1 = 0
    G = np.empty((ng, 0))
    lnn0 = np.empty((ng, 0))
    lnN0 = np.empty(0)
    am0 = np.empty((ng, 0), np.bool_)
    nxt = 0
    live = 0
    while True:
        # lanes done: write their case out and take the next one
        for l in range(K):
            if fin[l] < -1:
                continue
            if fin[l] >= 0:
                q = case[l]
                iters[q] = itl[l]
                status[q] = fin[l]
                for jj in range(ng):
                    out[q, jj] = lnn[jj, l] if am[jj, l] else -np.inf  # ln n: exp taken below, vectorised
                for k in range(ne):
                    out_pi[q, k] = 0.0
                for kr in range(lane_nea[l]):
                    out_pi[q, lane_ea[l, kr]] = x[lane_ea[l, kr], l]
                case[l] = -1
                live -= 1
            fin[l] = -2
            if nxt >= nc:
                continue
            q = nxt
            nxt += 1
            if q >= c1:  # g/RT and starts of the next chunk (each case's own: no dependence on the chunk)
                c0 = q
                c1 = min(q + CHUNK, nc)
                G = _g_rt_p(low, high, tmid, vol, T[c0:c1], P[c0:c1], P_ref, R)
                lnn0, lnN0, am0 = _entry(G, b[:, c0:c1], A, gnz, gk, ga, iatom, K)
            qc = q - c0
            case[l] = q
            live += 1
            itl[l] = 0
            crit_prev[l] = np.inf
            lam_prev[l] = 0.0
            nea = 0
            for k in range(ne):
                if b[k, q] > 1e-300:
                    lane_ea[l, nea] = k
                    bf[k, l] = b[k, q]
                    ina[k, l] = 0.0
                    nea += 1
                else:
                    bf[k, l] = 0.0
                    ina[k, l] = 1.0
            lane_nea[l] = nea
            lnN[l] = lnN0[qc]
            for jj in range(ng):
                gq[jj, l] = G[jj, qc]
                lnn[jj, l] = lnn0[jj, qc]
                am[jj, l] = am0[jj, qc]
        if live == 0:
            break
        # one Newton step in every lane (idle lanes repeat their last case's harmlessly)
        for l in range(K):
            N[l] = vexp(lnN[l])
            sn[l] = 0.0
            snmu[l] = 0.0
        for i in range(m * m * K):  # one loop each (a loop per row costs its set-up each time)
            Mf[i] = 0.0
        for i in range(m * K):
            rf[i] = 0.0
        for i in range(ne * K):
            bgf[i] = 0.0
        for jj in range(ng):
            for l in range(K):
                e = vexp(lnn[jj, l])  # every load and the arithmetic first, then a select: vectorises
                wv[jj, l] = e if am[jj, l] else 0.0
        for jj in range(ng):
            for l in range(K):
                w = wv[jj, l]
                mj = gq[jj, l] + lnn[jj, l] - lnN[l]
                mu[jj, l] = mj
                sn[l] += w
                wm = w * mj
                snmu[l] += wm
                acc[l] = wm
            for p in range(gnz[jj]):
                kp = gk[jj, p]
                ap = ga[jj, p]
                for l in range(K):
                    bg[kp, l] += ap * wv[jj, l]
                    r[kp, l] += ap * acc[l]
                for p2 in range(p + 1):  # lower triangle only (gk rises with p)
                    k2 = gk[jj, p2]
                    a2 = ga[jj, p2]
                    for l in range(K):
                        M[kp, k2, l] += ap * wv[jj, l] * a2
        for k in range(ne):
            for l in range(K):
                r[k, l] += bf[k, l] - bg[k, l]
                M[k, last, l] = bg[k, l]
                M[last, k, l] = bg[k, l]
                M[k, k, l] += ina[k, l]
        for l in range(K):
            M[last, last, l] = sn[l] - N[l]
            r[last, l] = N[l] - sn[l] + snmu[l]
            bad[l] = False
        # L D L^T of the element block, Schur complement of the ln N row, back substitution
        if ne == 5 and K == LANES:  # the usual C, H, O, N, Ar set: one vectorised loop
            _ldl5(Mr_, x, bad)
        else:
            for i in range(ne):
                for j in range(i + 1):  # row i of L and D: s_ij = M_ij - sum_k<j LD_ik L_jk
                    for l in range(K):
                        acc[l] = M[i, j, l]
                    for k in range(j):
                        for l in range(K):
                            acc[l] -= LD[i, k, l] * L[j, k, l]
                    if j < i:
                        for l in range(K):
                            L[i, j, l] = acc[l] * iD[j, l]
                            LD[i, j, l] = acc[l]
                    else:
                        for l in range(K):
                            a = acc[l]
                            bad[l] |= not ((a > 0.0) & (a < np.inf))
                            iD[i, l] = 1.0 / a
            for i in range(ne):  # W = L^-1 C, wr = L^-1 r_e
                for l in range(K):
                    acc[l] = r[i, l]
                    acc2[l] = M[i, last, l]
                for k in range(i):
                    for l in range(K):
                        acc[l] -= L[i, k, l] * wr[k, l]
                        acc2[l] -= L[i, k, l] * W[k, l]
                for l in range(K):
                    wr[i, l] = acc[l]
                    W[i, l] = acc2[l]
            for l in range(K):
                acc[l] = r[last, l]
                acc2[l] = M[last, last, l]
            for k in range(ne):
                for l in range(K):
                    acc[l] -= W[k, l] * iD[k, l] * wr[k, l]
                    acc2[l] -= W[k, l] * iD[k, l] * W[k, l]
            for l in range(K):
                a = abs(acc2[l])
                bad[l] |= not ((a > 0.0) & (a < np.inf))
                x[last, l] = acc[l] / acc2[l]
            for i in range(ne - 1, -1, -1):
                for l in range(K):
                    acc[l] = (wr[i, l] - W[i, l] * x[last, l]) * iD[i, l]
                for k in range(i + 1, ne):
                    for l in range(K):
                        acc[l] -= L[k, i, l] * x[k, l]
                for l in range(K):
                    x[i, l] = acc[l]
        for l in range(K):
            if bad[l] and case[l] >= 0:  # pivoted elimination of the lane's reduced system
                nea = lane_nea[l]
                for i in range(nea):
                    for j in range(i + 1):
                        Mr[i, j] = M[lane_ea[l, i], lane_ea[l, j], l]
                        Mr[j, i] = Mr[i, j]
                    Mr[i, nea] = M[lane_ea[l, i], last, l]
                    Mr[nea, i] = Mr[i, nea]
                    rr[i] = r[lane_ea[l, i], l]
                Mr[nea, nea] = M[last, last, l]
                rr[nea] = r[last, l]
                for k in range(m):
                    x[k, l] = 0.0
                if solve_small(Mr, rr, nea + 1):
                    for i in range(nea):
                        x[lane_ea[l, i], l] = rr[i]
                    x[last, l] = rr[nea]
                else:
                    fin[l] = SINGULAR
        # step control (RP-1311 eqs. 3.1-3.3), update, convergence test
        for l in range(K):
            big[l] = 5.0 * abs(x[last, l])
            l2[l] = np.inf
        for jj in range(ng):
            for l in range(K):
                dl[jj, l] = -mu[jj, l] + x[last, l]
            for p in range(gnz[jj]):
                kp = gk[jj, p]
                ap = ga[jj, p]
                for l in range(K):
                    dl[jj, l] += ap * x[kp, l]
            for l in range(K):  # as selects, so that the loop vectorises
                s = dl[jj, l]
                lnx = lnn[jj, l] - lnN[l]
                a = am[jj, l]
                bg_ = big[l]
                l2_ = l2[l]
                den = s - x[last, l]
                major = a & (lnx > SIZE)
                trace = a & (not lnx > SIZE) & (s >= 0) & (den > 0)
                big[l] = max(bg_, abs(s)) if major else bg_
                l2[l] = min(l2_, abs((-lnx - TRACE_TARGET) / den)) if trace else l2_
        for l in range(K):
            v = 1.0
            if big[l] > 2.0:
                v = 2.0 / big[l]
            v = min(v, l2[l])
            lam[l] = min(v, 1.0)
            crit[l] = 0.0
        for jj in range(ng):
            for l in range(K):
                a = am[jj, l]
                ln_ = lnn[jj, l]
                d = dl[jj, l]
                cr = crit[l]
                nv = max(ln_ + lam[l] * d, LN_MIN)
                cv = max(cr, wv[jj, l] * abs(d))
                lnn[jj, l] = nv if a else ln_
                crit[l] = cv if a else cr
        for l in range(K):
            dlnN = x[last, l]
            lnN[l] += lam[l] * dlnN
            crit[l] = max(crit[l], N[l] * abs(dlnN)) / sn[l]
        for l in range(K):
            if case[l] < 0:
                continue
            itl[l] += 1
            if fin[l] == SINGULAR:
                continue
            if not math.isfinite(lnN[l]):
                fin[l] = SINGULAR
                continue
            c = crit[l]
            done = lam[l] == 1.0 and (c < tol or (lam_prev[l] == 1.0 and c < crit_prev[l] and
                                                  c * c * c < QUADRATIC * tol * crit_prev[l] * crit_prev[l]))
            crit_prev[l] = c
            lam_prev[l] = lam[l]
            if done:
                fin[l] = OK
            elif itl[l] >= max_iter:
                fin[l] = NO_CONV
    of = out.reshape(nc * ng)
    for i in range(nc * ng):
        of[i] = vexp(of[i])  # vexp(-inf) = 0: the gases a case does not allow
    bal = np.zeros(ne)
    for q in range(nc):  # each element against its own inventory
        if status[q] != OK:
            continue
        for k in range(ne):
            bal[k] = 0.0
        for jj in range(ng):
            nq = out[q, jj]
            for p in range(gnz[jj]):
                bal[gk[jj, p]] += nq * ga[jj, p]
        for k in range(ne):
            if abs(bal[k] - b[k, q]) > erel * b[k, q]:
                status[q] = OFF_BALANCE
    for q in range(nc):
        s = scale[q]
        for jj in range(ng):
            out[q, jj] *= s
    return out, out_pi, iters, status
