"""Compiled per-case kernels of the K-value model (numba): ln K, Rachford-Rice and the
bubble/dew-point iteration, fused so that a case touches only its own components and stops at
its own iteration count. The same equations and iterations as the numpy reference in
:mod:`carbonhub.thermo.kvalues` (DIPPR-101 with linear-in-1/T extrapolation, van 't Hoff
Henry constants, the safeguarded Newton of Rachford-Rice, the Illinois iteration in 1/T);
``CARBONHUB_NUMBA=0`` selects the numpy path, and tests/thermo/test_kv_kernel.py checks that
both agree.

The model is passed as flat arrays (see :meth:`KValueModel.kernel_args`): per component its
method code (0 Raoult, 1 Henry, 2 non-condensable, 3 non-volatile) and the row of its
coefficients in ``C`` (DIPPR C1..C5, Tmin, Tmax, ln P(Tmin), slope at Tmin, ln P(Tmax), slope
at Tmax) or ``H`` (ln Hcp(298.15 K), d ln Hcp / d(1/T)).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

RAOULT, HENRY, NONCONDENSABLE, NONVOLATILE = 0, 1, 2, 3


@njit(cache=True, error_model="numpy")
def lnk_cols(T, lnPtot, cols, m, method, row, C, H, ln_cw, ln_knc, lk, du):
    """ln K and d ln K / d(1/T) of the components cols[:m] at T [K] and ln P = ``lnPtot`` into
    lk[j] and du[j]. One call per state: the per-component work stays inside this loop (a
    helper called per component costs ~10x its arithmetic, as numba reference-counts each
    array argument of each call with atomic instructions)."""
    lnT = math.log(T)
    for jj in range(m):
        j = cols[jj]
        mth = method[j]
        if mth == RAOULT:
            r = row[j]
            Tmin, Tmax = C[r, 5], C[r, 6]
            if T < Tmin:
                lk[j] = C[r, 7] + C[r, 8] * (1.0 / T - 1.0 / Tmin) - lnPtot
                du[j] = C[r, 8]
            elif T > Tmax:
                lk[j] = C[r, 9] + C[r, 10] * (1.0 / T - 1.0 / Tmax) - lnPtot
                du[j] = C[r, 10]
            else:
                t5 = C[r, 3] * math.exp(C[r, 4] * lnT)
                lk[j] = C[r, 0] + C[r, 1] / T + C[r, 2] * lnT + t5 - lnPtot
                du[j] = C[r, 1] - C[r, 2] * T - C[r, 4] * t5 * T
        elif mth == HENRY:
            r = row[j]
            lk[j] = ln_cw - (H[r, 0] + H[r, 1] * (1.0 / T - 1.0 / 298.15)) - lnPtot
            du[j] = -H[r, 1]
        elif mth == NONCONDENSABLE:
            lk[j] = ln_knc
            du[j] = 0.0
        else:
            lk[j] = -np.inf
            du[j] = 0.0


@njit(cache=True, error_model="numpy")
def lnk_batch(T, P, method, row, C, H, ln_cw, ln_knc):
    """ln K (n, k) at T (n,) [K], P (n,) [Pa]."""
    n, k = T.shape[0], method.shape[0]
    out = np.empty((n, k))
    allc = np.arange(k)
    du = np.empty(k)
    for i in range(n):
        lnk_cols(T[i], math.log(P[i]), allc, k, method, row, C, H, ln_cw, ln_knc, out[i], du)
    return out


@njit(cache=True, error_model="numpy")
def latent_batch(T, R, method, row, C, H, ln_cw, ln_knc):
    """Clausius-Clapeyron heat of vaporisation -R d ln Psat/d(1/T) [J/mol] (n, k) of the
    Raoult components at T (n,) [K] (0 for the other models), as ``KValueModel.latent_heat``."""
    n, k = T.shape[0], method.shape[0]
    out = np.zeros((n, k))
    ra = np.flatnonzero(method == RAOULT)
    lk = np.empty(k)
    du = np.empty(k)
    for i in range(n):
        lnk_cols(T[i], 0.0, ra, ra.size, method, row, C, H, ln_cw, ln_knc, lk, du)
        for j in ra:
            out[i, j] = -R * du[j]
    return out


@njit(cache=True, error_model="numpy")
def latent_dot_batch(x, T, R, dh_water, water, method, row, C, H, ln_cw, ln_knc):
    """sum_j x[i, j] lambda_j(T[i]) (n,) in index order, lambda as :func:`latent_batch` with the
    water columns ``water`` at ``dh_water`` (n,): the latent heats of a case's components with
    x != 0 only (T finite, > 0: a term x = 0 adds an exact zero to the sum)."""
    n, k = x.shape
    out = np.empty(n)
    idx = np.empty(k, dtype=np.int64)
    lk = np.empty(k)
    du = np.zeros(k)
    isw = np.zeros(k, dtype=np.bool_)
    for j in water:
        isw[j] = True
    for i in range(n):
        m = 0
        for j in range(k):
            if method[j] == RAOULT and not isw[j] and x[i, j] != 0.0:
                idx[m] = j
                m += 1
        lnk_cols(T[i], 0.0, idx, m, method, row, C, H, ln_cw, ln_knc, lk, du)
        s = 0.0
        for j in range(k):
            if x[i, j] == 0.0:
                continue
            if isw[j]:
                lam = dh_water[i]
            elif method[j] == RAOULT:
                lam = -R * du[j]
            else:
                lam = 0.0
            s += x[i, j] * lam
        out[i] = s
    return out


@njit(cache=True, error_model="numpy")
def _phase_g(u, w, nz, lp, bubble, method, row, C, H, ln_cw, ln_knc, lk, du):
    """ln sum w K (bubble) or ln sum w / K (dew) at 1/T = u over the components nz, and its
    derivative in u (lk, du: scratch of length k)."""
    lnk_cols(1.0 / u, lp, nz, nz.size, method, row, C, H, ln_cw, ln_knc, lk, du)
    sgn = 1.0 if bubble else -1.0
    s = 0.0
    ds = 0.0
    for j in nz:
        t = w[j] * math.exp(sgn * lk[j])
        s += t
        ds += t * sgn * du[j]
    if s > 0.0:
        return math.log(s), ds / s
    return -np.inf, 0.0


@njit(cache=True, error_model="numpy")
def phase_point(w, P, T0, T_lo, T_hi, tol, bubble, max_iter, method, row, C, H, ln_cw, ln_knc):
    """Bubble (``bubble``) or dew temperature [K] of the mixtures w (n, k) (normalised) at
    P (n,) [Pa], case by case on each case's present components: :func:`phase_point_from` the
    start T0[i] [K] where it is finite, else :func:`phase_point_one`. Returns (T (n,), ok (n,))."""
    n, k = w.shape
    T = np.full(n, np.nan)
    ok = np.zeros(n, dtype=np.bool_)
    nz = np.empty(k, dtype=np.int64)
    lk = np.empty(k)
    du = np.empty(k)
    for i in range(n):
        m = 0
        tot = 0.0
        for j in range(k):
            if w[i, j] > 0.0:
                nz[m] = j
                m += 1
                tot += w[i, j]
        if tot <= 0.0:
            continue
        if math.isfinite(T0[i]):
            T[i], ok[i] = phase_point_from(T0[i], w[i], nz[:m], math.log(P[i]), T_lo, T_hi, tol, bubble, max_iter,
                                           method, row, C, H, ln_cw, ln_knc, lk, du)
        else:
            T[i], ok[i] = phase_point_one(w[i], nz[:m], math.log(P[i]), T_lo, T_hi, tol, bubble, max_iter,
                                          method, row, C, H, ln_cw, ln_knc, lk, du)
    return T, ok


@njit(cache=True, error_model="numpy")
def phase_point_one(wi, idx, lp, T_lo, T_hi, tol, bubble, max_iter, method, row, C, H, ln_cw, ln_knc, lk, du):
    """Bubble or dew temperature [K] of one mixture ``wi`` (k,) (normalised; ``idx`` its
    components with w > 0) at ln P = ``lp``: the root of ln sum w K^(+-1) in u = 1/T inside the
    bracket [1/T_hi, 1/T_lo] (as the numpy reference), by Newton steps with the analytic
    derivative, kept in the bracket (a step that leaves it, or does not halve the residual, is
    replaced by the Illinois point). Stops when a step is below ``tol`` x u. Returns (T, ok);
    (nan, False) when the bracket holds no root."""
    a, b = 1.0 / T_hi, 1.0 / T_lo
    fa, _ = _phase_g(a, wi, idx, lp, bubble, method, row, C, H, ln_cw, ln_knc, lk, du)
    fb, _ = _phase_g(b, wi, idx, lp, bubble, method, row, C, H, ln_cw, ln_knc, lk, du)
    if not (math.isfinite(fa) and math.isfinite(fb)) or np.sign(fa) == np.sign(fb):
        return np.nan, False
    c = (a * fb - b * fa) / (fb - fa)
    if not (math.isfinite(c) and c > min(a, b) and c < max(a, b)):
        c = 0.5 * (a + b)
    f_prev = np.inf
    conv = False
    for _ in range(max_iter):
        fc, dfc = _phase_g(c, wi, idx, lp, bubble, method, row, C, H, ln_cw, ln_knc, lk, du)
        if fc == 0.0:
            conv = True
            break
        if np.sign(fc) == np.sign(fa):
            a, fa = c, fc
        else:
            b, fb = c, fc
        cn = c - fc / dfc if dfc != 0.0 else np.nan
        if not (math.isfinite(cn) and cn > min(a, b) and cn < max(a, b)) or abs(fc) > 0.5 * f_prev:
            cn = (a * fb - b * fa) / (fb - fa)  # Illinois/secant point of the bracket
            if not (math.isfinite(cn) and cn > min(a, b) and cn < max(a, b)):
                cn = 0.5 * (a + b)
        f_prev = abs(fc)
        step = abs(cn - c)
        c = cn
        if step <= tol * abs(c) or abs(b - a) <= tol * abs(c):
            conv = True
            break
    return 1.0 / c, conv


@njit(cache=True, error_model="numpy", inline="always")
def phase_point_from(T0, wi, idx, lp, T_lo, T_hi, tol, bubble, max_iter, method, row, C, H, ln_cw, ln_knc, lk, du):
    """:func:`phase_point_one` started from a guess T0 [K]: plain Newton steps in u = 1/T from
    1/T0 while they stay inside [1/T_hi, 1/T_lo] and the residual falls; otherwise (or after
    20 steps) the bracketed iteration of :func:`phase_point_one`. Every K-value model decreases
    with 1/T (Raoult: the Clausius-Clapeyron slope of ln Psat is negative for every DIPPR entry
    over 40-1500 K; Henry: d ln Hcp/d(1/T) > 0; non-condensable: constant), so ln sum w K^(+-1)
    is monotone in u and its root in the bracket, where there is one, is the same."""
    a, b = 1.0 / T_hi, 1.0 / T_lo
    c = min(max(1.0 / T0, a), b)
    f_prev = np.inf
    for _ in range(20):
        fc, dfc = _phase_g(c, wi, idx, lp, bubble, method, row, C, H, ln_cw, ln_knc, lk, du)
        if fc == 0.0:
            return 1.0 / c, True
        if not (math.isfinite(fc) and dfc != 0.0) or abs(fc) >= f_prev:
            break
        cn = c - fc / dfc
        if not (math.isfinite(cn) and cn > a and cn < b):
            break
        f_prev = abs(fc)
        step = abs(cn - c)
        c = cn
        if step <= tol * abs(c):
            return 1.0 / c, True
    return phase_point_one(wi, idx, lp, T_lo, T_hi, tol, bubble, max_iter, method, row, C, H, ln_cw, ln_knc, lk, du)


@njit(cache=True, error_model="numpy")
def rachford_rice(z, K, tol, max_iter):
    """Vapour fraction beta (n,) and iterations (n,): the safeguarded Newton of
    ``kvalues.rachford_rice`` (bracket and pole-factored function of Leibovici & Neoschil),
    case by case."""
    n, k = z.shape
    beta = np.zeros(n)
    its = np.zeros(n, dtype=np.int64)
    for i in range(n):
        f0 = 0.0
        f1 = 0.0
        bmin = 0.0
        bmax = 1.0
        kmax = -np.inf
        kmin = np.inf
        for j in range(k):
            zj, Kj = z[i, j], K[i, j]
            a = Kj - 1.0
            f0 += zj * a
            if zj > 0.0:
                f1 += zj * a / Kj if Kj > 0.0 else -np.inf
                kmax = max(kmax, Kj)
                kmin = min(kmin, Kj)
                if Kj > 1.0:
                    bmin = max(bmin, (Kj * zj - 1.0) / a)
                if Kj < 1.0:
                    bmax = min(bmax, (1.0 - zj) / (1.0 - Kj))
        if not (f0 > 0.0 and f1 < 0.0):
            beta[i] = 0.0 if f0 <= 0.0 else 1.0
            continue
        pl = 1.0 / (1.0 - kmax)  # the poles next to [0, 1]: pl < 0, pr > 1
        pr = 1.0 / (1.0 - kmin)
        lo = min(max(bmin, 0.0), 1.0)
        hi = max(min(max(bmax, 0.0), 1.0), lo)
        b = 0.5 * (lo + hi)
        done = False
        for it in range(max_iter):
            f = 0.0
            df = 0.0
            for j in range(k):
                a = K[i, j] - 1.0
                d = 1.0 + b * a
                t = z[i, j] * a / d
                f += t
                df -= t * a / d
            if f > 0.0:
                lo = b
            if f < 0.0:
                hi = b
            u = b - pl
            v = pr - b
            bn = b - u * v * f / ((v - u) * f + u * v * df)
            if not math.isfinite(bn):
                bn = 0.5 * (lo + hi)
            elif abs(bn - b) > tol * max(b, 1e-300) and not (lo < bn < hi):
                if hi <= bn <= hi + tol * hi and b != hi:  # past a bound by round-off: the bound
                    bn = hi  # itself (a root can sit on it: all but one component non-condensable)
                elif lo - tol * lo <= bn <= lo and b != lo:
                    bn = lo
                else:
                    bn = 0.5 * (lo + hi)
            if abs(bn - b) <= tol * max(b, 1e-300) or f == 0.0 or hi - lo <= tol * hi:
                beta[i] = b if f == 0.0 else bn
                its[i] = it + 1
                done = True
                break
            b = bn
        if not done:
            beta[i] = b
            its[i] = max_iter
    return beta, its
