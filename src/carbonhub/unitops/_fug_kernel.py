"""Compiled Fenske-Underwood design of a shortcut column (numba), case by case.

The same equations and iterations as the numpy reference in :mod:`carbonhub.unitops.columns`
(:func:`~carbonhub.unitops.columns.fug_design` with ``engine="numpy"``): the bubble point of
the feed, ``n_iter`` passes of the Fenske (Hengstebeck-Geddes) distribution and the top and
bottom bubble (dew) points, the relative volatilities as the geometric mean of top and bottom,
then Underwood's root by bisection. Fused so that a case evaluates K-values only of its own
components (all components only where the distribution ``phi_d`` is returned) and stops each
iteration at its own count. ``CARBONHUB_NUMBA=0`` selects the numpy path;
tests/unitops/test_fug_kernel.py checks that both agree.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..thermo._kv_kernel import NONCONDENSABLE, lnk_cols, phase_point_from

T_LO, T_HI, MAX_ITER = 40.0, 1500.0, 100  # the bracket of bubble_temperature
T_START = 300.0  # [K] first guess of the feed's bubble point; each pass starts from the last
BIG = np.finfo(np.float64).max
LN_MAX = math.log(BIG)


@njit(cache=True, error_model="numpy", inline="always")
def _phase(T0, x, cols, m, lp, bubble, tol, method, row, C, H, ln_cw, ln_knc, w, nz, lk, du):
    """Bubble (dew) point of x over the components cols[:m] (normalised into the scratch w),
    Newton started at T0 [K]."""
    tot = 0.0
    for jj in range(m):
        tot += x[cols[jj]]
    q = 0
    for jj in range(m):
        j = cols[jj]
        if tot > 0.0:
            w[j] = x[j] / tot
        if w[j] > 0.0:
            nz[q] = j
            q += 1
    if not tot > 0.0 or q == 0:
        return np.nan, False
    return phase_point_from(T0, w, nz[:q], lp, T_LO, T_HI, tol, bubble, MAX_ITER, method, row, C, H, ln_cw, ln_knc,
                            lk, du)


@njit(cache=True, error_model="numpy")
def _distribution(la, nmin, r_lk, r_hk, i_lk, i_hk, cols, m, phi):
    """Fenske distribution phi_d of the components cols[:m] (see fug_design)."""
    base = math.log((1 - r_hk) / r_hk)
    for jj in range(m):
        j = cols[jj]
        lr = base + nmin * la[j]
        if math.isnan(lr):
            lr = 0.0
        elif lr == np.inf:
            lr = 800.0
        elif lr == -np.inf:
            lr = -800.0
        phi[j] = 0.0 if -lr > LN_MAX else 1.0 / (1.0 + math.exp(-lr))  # exp overflows to inf in numpy
    phi[i_lk] = r_lk
    phi[i_hk] = 1.0 - r_hk


@njit(cache=True, error_model="numpy")
def fug_core(flow, P, r_lk, r_hk, q, i_lk, i_hk, partial, n_iter, tol, all_phi, method, row, C, H, ln_cw, ln_knc):
    """Per case: feed mole fractions, feed bubble point, the Fenske/bubble-point iteration,
    Underwood's root and the products.

    flow (n, k): feed flows; the design's feed zk = flow / sum(flow) (0 where the sum is not
    positive) with the keys floored at 1e-9; P, r_lk, r_hk, q (n,); tol: the relative tolerance
    in 1/T of the bubble and dew points.
    Returns T_feed (300 K where the feed has no bubble point), T_top, T_bottom, ok (top and bottom
    points of the last pass), Nmin (nan unless ln alpha_LK > 1e-9), ln alpha_LK, phi_d (n, k)
    (from the volatilities of the last-but-one pass, as the distillate; with ``all_phi`` False
    only for the components in the case's feed, 0 for the others, whose K-values are then never
    evaluated), Rmin (before its floor), theta, the keys' zk (n, 2: light, heavy), D = sum d
    and B = sum b of the design's d = zk phi_d and b = zk - d (sums in index order, as
    :func:`~carbonhub.thermo.rowdot.rowsum`), x_D = d / D and x_B = b / B (n, k; 0 where the
    sum is not positive), and the distillate flow phi_d and bottoms flow - flow phi_d (n, k):
    the operations of the numpy reference on the same numbers, so the same bits."""
    n, k = flow.shape
    out_zkey = np.empty((n, 2))
    out_D = np.empty(n)
    out_B = np.empty(n)
    out_xd = np.zeros((n, k))
    out_xb = np.zeros((n, k))
    out_dist = np.empty((n, k))
    out_bott = np.empty((n, k))
    out_Tf = np.empty(n)
    out_Tt = np.empty(n)
    out_Tb = np.empty(n)
    out_ok = np.zeros(n, dtype=np.bool_)
    out_nmin = np.empty(n)
    out_lalk = np.empty(n)
    out_phi = np.empty((n, k))
    out_rmin = np.empty(n)
    out_theta = np.empty(n)
    allc = np.arange(k)
    ints = np.empty((3, k), dtype=np.int64)  # scratch: present, condensable, nonzero components
    pres, cond, nz = ints[0], ints[1], ints[2]
    work = np.zeros((10, k))  # scratch rows per component
    w, lt, lb, la, alpha, d, b = work[0], work[1], work[2], work[3], work[4], work[5], work[6]
    slk, sdu, z = work[7], work[8], work[9]
    for i in range(n):
        fi = flow[i]
        F = 0.0
        for j in range(k):
            F += fi[j]
        for j in range(k):
            z[j] = fi[j] / F if F > 0.0 else 0.0
        for j in (i_lk, i_hk):  # keys present in the design at least in traces (nan kept)
            z[j] = z[j] if (z[j] >= 1e-9 or z[j] != z[j]) else 1e-9
        out_zkey[i, 0], out_zkey[i, 1] = z[i_lk], z[i_hk]
        phi = out_phi[i]
        lp = math.log(P[i])
        m = 0
        mc = 0
        for j in range(k):
            if z[j] > 0.0:
                pres[m] = j
                m += 1
                if method[j] != NONCONDENSABLE:
                    cond[mc] = j
                    mc += 1
        # initial temperature: bubble point of the condensable part of the feed
        Tf, okf = _phase(T_START, z, cond, mc, lp, True, tol, method, row, C, H, ln_cw, ln_knc, w, nz, slk, sdu)
        if not okf:
            Tf = 300.0
        out_Tf[i] = Tf
        if not all_phi:
            phi[:] = 0.0
        cols, mm = (allc, k) if n_iter == 1 and all_phi else (pres, m)
        lnk_cols(Tf, lp, cols, mm, method, row, C, H, ln_cw, ln_knc, lt, sdu)
        for jj in range(mm):
            la[cols[jj]] = lt[cols[jj]] - lt[i_hk]
        L = math.log(r_lk[i] / (1 - r_lk[i]) * r_hk[i] / (1 - r_hk[i]))
        Tt, Tb, ok = Tf, Tf, False
        for it in range(n_iter):
            nmin = L / la[i_lk] if la[i_lk] > 0 else np.nan
            cols, mm = (allc, k) if it == n_iter - 1 and all_phi else (pres, m)
            _distribution(la, nmin, r_lk[i], r_hk[i], i_lk, i_hk, cols, mm, phi)
            for jj in range(m):
                j = pres[jj]
                d[j] = z[j] * phi[j]
                b[j] = z[j] - d[j]
            Tt, okt = _phase(Tt, d, pres, m, lp, not partial, tol, method, row, C, H, ln_cw, ln_knc, w, nz, slk, sdu)
            Tb, okb = _phase(Tb, b, pres, m, lp, True, tol, method, row, C, H, ln_cw, ln_knc, w, nz, slk, sdu)
            if not okt:
                Tt = Tf
            if not okb:
                Tb = Tf
            # the volatilities of the last-but-one pass give the returned distribution: all components
            cols, mm = (allc, k) if it == n_iter - 2 and all_phi else (pres, m)
            lnk_cols(Tt, lp, cols, mm, method, row, C, H, ln_cw, ln_knc, lt, sdu)
            lnk_cols(Tb, lp, cols, mm, method, row, C, H, ln_cw, ln_knc, lb, sdu)
            for jj in range(mm):
                j = cols[jj]
                v = 0.5 * ((lt[j] - lt[i_hk]) + (lb[j] - lb[i_hk]))
                # as np.nan_to_num(la, nan=-inf): nan -> -inf, +-inf -> +-largest float
                la[j] = -np.inf if math.isnan(v) else -BIG if v == -np.inf else BIG if v == np.inf else v
            ok = okt and okb
        out_Tt[i], out_Tb[i], out_ok[i] = Tt, Tb, ok
        la_lk = la[i_lk]
        out_lalk[i] = la_lk
        out_nmin[i] = L / la_lk if la_lk > 1e-9 else np.nan
        # Underwood: theta between alpha_HK = 1 and the next larger volatility present
        a_hi = np.inf
        for jj in range(m):
            al = math.exp(la[pres[jj]])
            alpha[pres[jj]] = al
            if al > 1.0 + 1e-12 and al < a_hi:
                a_hi = al
        lo = 1.0 + 1e-12
        hi = (a_hi if math.isfinite(a_hi) else 2.0) * (1 - 1e-12)
        for _ in range(200):
            if hi - lo <= 1e-15 * hi:
                break
            mid = 0.5 * (lo + hi)
            f = 0.0
            for jj in range(m):
                j = pres[jj]
                f += alpha[j] * z[j] / (alpha[j] - mid)
            f -= 1 - q[i]
            if f < 0:
                lo = mid
            elif f >= 0:
                hi = mid
        theta = 0.5 * (lo + hi)
        D = 0.0
        for jj in range(m):
            D += d[pres[jj]]
        s = 0.0
        if D > 0.0:
            for jj in range(m):
                j = pres[jj]
                xd = d[j] / D
                if xd > 0.0:
                    s += alpha[j] * xd / (alpha[j] - theta)
        out_rmin[i] = s - 1.0
        out_theta[i] = theta
        # the products over every component, as the numpy reference (a component outside
        # the case's feed adds 0, or its own sign where its flow is negative)
        Ds = 0.0
        Bs = 0.0
        for j in range(k):
            dj = z[j] * phi[j]
            Ds += dj
            Bs += z[j] - dj
        out_D[i], out_B[i] = Ds, Bs
        for j in range(k):
            dj = z[j] * phi[j]
            if Ds > 0.0:
                out_xd[i, j] = dj / Ds
            if Bs > 0.0:
                out_xb[i, j] = (z[j] - dj) / Bs
            v = fi[j] * phi[j]
            out_dist[i, j] = v
            out_bott[i, j] = fi[j] - v
        for jj in range(m):
            d[pres[jj]] = 0.0
            b[pres[jj]] = 0.0
    return (out_Tf, out_Tt, out_Tb, out_ok, out_nmin, out_lalk, out_phi, out_rmin, out_theta, out_zkey, out_D, out_B,
            out_xd, out_xb, out_dist, out_bott)
