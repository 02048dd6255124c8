"""Compiled NASA-7 evaluation (numba): each (case, species) pair evaluates only the polynomial
of the temperature range it falls in (the numpy reference in :mod:`carbonhub.thermo.nasa7`
evaluates both ranges as two matrix products and selects), and the enthalpy -> temperature
inversion of a mixture as one safeguarded Newton iteration per case (the numpy reference is
:func:`carbonhub.core.stream.solve_T_for_H`). Same polynomials (McBride, Gordon, Reno 1993,
NASA TM-4513, eqs. 1-3) and the same iteration; ``CARBONHUB_NUMBA=0`` selects the numpy path,
and tests/thermo/test_nasa7_kernel.py checks that both agree.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

CP, H, S, G = 0, 1, 2, 3
"""What :func:`evaluate` returns: cp/R, h/RT, s/R, g/RT."""


@njit(cache=True, inline="always")
def poly(kind, T, a):
    """One species' NASA-7 value of ``kind`` at T from its 7 coefficients ``a`` of the range."""
    if kind == CP:
        return a[0] + T * (a[1] + T * (a[2] + T * (a[3] + T * a[4])))
    if kind == H:
        return a[0] + T * (a[1] / 2 + T * (a[2] / 3 + T * (a[3] / 4 + T * a[4] / 5))) + a[5] / T
    if kind == S:
        return a[0] * math.log(T) + T * (a[1] + T * (a[2] / 2 + T * (a[3] / 3 + T * a[4] / 4))) + a[6]
    return (a[0] * (1.0 - math.log(T)) - T * (a[1] / 2 + T * (a[2] / 6 + T * (a[3] / 12 + T * a[4] / 20)))
            + a[5] / T - a[6])


@njit(cache=True, inline="always")
def g_rt(T, lnT, a1, a2, a3, a4, a5, a6, a7):
    """g°/RT at T [K] (ln T given) from one range's seven coefficients, as scalars (no array
    argument: the equilibrium kernel calls it per species and case)."""
    return a1 * (1.0 - lnT) - T * (a2 / 2 + T * (a3 / 6 + T * (a4 / 12 + T * a5 / 20))) + a6 / T - a7


@njit(cache=True, error_model="numpy")
def evaluate(T, low, high, tmid, kind):
    """(n, k) values of ``kind`` (CP, H, S or G) for temperatures T (n,) and species
    coefficients ``low``, ``high`` (k, 7) split at ``tmid`` (k,) (low range for T <= tmid)."""
    n, k = T.shape[0], tmid.shape[0]
    out = np.empty((n, k))
    for i in range(n):
        t = T[i]
        for j in range(k):
            out[i, j] = poly(kind, t, low[j] if t <= tmid[j] else high[j])
    return out


@njit(cache=True, inline="always")
def _mixture(kind, t, flow, i, low, high, tmid, c, c_cp):
    """(sum flow c x ``kind``, sum flow c_cp x cp/R) of case i at t over its species with flow."""
    v = 0.0
    cp = 0.0
    for j in range(flow.shape[1]):
        if flow[i, j] == 0.0:
            continue
        a = low[j] if t <= tmid[j] else high[j]
        v += flow[i, j] * c * poly(kind, t, a)
        cp += flow[i, j] * c_cp * poly(CP, t, a)
    return v, cp


@njit(cache=True, error_model="numpy")
def mixture_h(flow, T, low, high, tmid, R):
    """Enthalpy flow [W] of each case (row of ``flow`` [mol/s], columns = species of
    ``low``/``high``) at its temperature ``T`` [K]: sum_j flow_j (R T) h_j/RT over the case's
    own species with flow, each in its temperature range, in one pass over the row (the numpy
    reference, :meth:`carbonhub.core.stream.Stream.enthalpy_at`, gathers the present columns and
    builds the (n, k) table of molar enthalpies first)."""
    n = flow.shape[0]
    out = np.empty(n)
    for i in range(n):
        t = T[i]
        rt = R * t
        v = 0.0
        for j in range(flow.shape[1]):
            f = flow[i, j]
            if f == 0.0:
                continue
            v += f * (rt * poly(H, t, low[j] if t <= tmid[j] else high[j]))
        out[i] = v
    return out


@njit(cache=True, inline="always")
def row_sum(flow, i):
    tot = 0.0
    for j in range(flow.shape[1]):
        tot += flow[i, j]
    return tot


@njit(cache=True, error_model="numpy")
def t_for_h(flow, H_target, T, low, high, tmid, scale, tol, max_iter, T_min, T_max, R):
    """Temperature of each case (row of ``flow`` [mol/s], columns = species of ``low``/``high``)
    at which the mixture's enthalpy is ``H_target`` [W]: Newton on sum(flow h) - H with
    cp = sum(flow cp), a bracket [T_min, T_max] narrowed by the sign of the residual, a bisection
    when Newton leaves it; converged when |residual| <= tol x scale or the step is below 1e-11 T.
    ``T`` holds the start (clipped) and receives the result; rows with no flow keep it. ``R`` is
    the gas constant [J/(mol K)]."""
    n = flow.shape[0]
    for i in range(n):
        if row_sum(flow, i) > 0:
            T[i] = h_root(flow, i, H_target[i], T[i], low, high, tmid, scale[i], tol, max_iter, T_min, T_max, R)
    return T


@njit(cache=True, error_model="numpy")
def h_root(flow, i, target, t, low, high, tmid, scale, tol, max_iter, lo, hi, R):
    """The enthalpy root of case i from t in the bracket [lo, hi] (see :func:`t_for_h`)."""
    for _ in range(max_iter):
        f, cp = _mixture(H, t, flow, i, low, high, tmid, R * t, R)
        f -= target
        if f < 0:
            lo = t
        if f > 0:
            hi = t
        if abs(f) <= tol * scale:
            break
        step = f / (cp if cp > 0 else 1.0)
        tn = t - step
        if abs(step) < 1e-11 * t:
            t = tn
            break
        if tn <= lo or tn >= hi or not np.isfinite(tn):
            tn = 0.5 * (lo + hi)
        t = tn
    return t


@njit(cache=True, error_model="numpy")
def t_for_s(flow, S_target, T, low, high, tmid, tol, max_iter, T_min, T_max, R):
    """Temperature of each case at which the mixture's standard-state entropy flow
    sum(flow s°) is ``S_target`` [W/K]: the Newton iteration of
    :func:`carbonhub.unitops.machines.solve_T_for_S` (dS/dT = sum(flow cp)/T, a bracket
    [T_min, T_max] narrowed by the sign of the residual, a bisection when Newton leaves it;
    converged when |residual| <= tol |S_target| or the step is below tol x T), case by case
    over its own species. ``T`` holds the start and receives the result; rows with no flow
    keep it."""
    for i in range(flow.shape[0]):
        if row_sum(flow, i) > 0:
            T[i] = s_root(flow, i, S_target[i], T[i], low, high, tmid, tol, max_iter, T_min, T_max, R)
    return T


@njit(cache=True, error_model="numpy")
def s_root(flow, i, target, t, low, high, tmid, tol, max_iter, lo, hi, R):
    """The entropy root of case i from t in the bracket [lo, hi] (see :func:`t_for_s`)."""
    for _ in range(max_iter):
        g, dg = _mixture(S, t, flow, i, low, high, tmid, R, R)
        g -= target
        dg /= t
        if abs(g) <= tol * abs(target):
            break
        if g < 0:
            lo = t
        if g > 0:
            hi = t
        tn = t - g / (dg if dg > 0 else 1.0)
        if tn <= lo or tn >= hi or not np.isfinite(tn):
            tn = 0.5 * (lo + hi)
        small = abs(tn - t) <= tol * t
        t = tn
        if small:
            break
    return t


@njit(cache=True, error_model="numpy")
def mix_two(f1, f2, T1, T2, low, high, tmid, R, carbon):
    """The row sums of an adiabatic mix of two inlets (rows of ``f1``, ``f2`` [mol/s] at
    ``T1``, ``T2`` [K]) in one pass over the rows: the mixed flows (0 + f1) + f2, the enthalpy
    flow (0 + H1) + H2 with each H as :func:`mixture_h`, and per inlet its total flow
    0 + f_0 + f_1 + ... and carbon flow 0 + f_0 c_0 + f_1 c_1 + ... (``carbon`` [mol C/mol]):
    each the operations of its separate evaluation in the same order (the numpy reference is
    :func:`carbonhub.core.stream.mix`), so the same bits. Returns (flow, H, totals (2, n),
    carbon flows (2, n))."""
    n, k = f1.shape
    flow = np.empty((n, k))
    Hm = np.empty(n)
    tot = np.empty((2, n))
    cf = np.empty((2, n))
    for i in range(n):
        t1, t2 = T1[i], T2[i]
        rt1, rt2 = R * t1, R * t2
        h1 = 0.0
        h2 = 0.0
        s1 = 0.0
        s2 = 0.0
        c1 = 0.0
        c2 = 0.0
        for j in range(k):
            a = f1[i, j]
            b = f2[i, j]
            flow[i, j] = (0.0 + a) + b
            s1 += a * 1.0
            s2 += b * 1.0
            c1 += a * carbon[j]
            c2 += b * carbon[j]
            if a != 0.0:
                h1 += a * (rt1 * poly(H, t1, low[j] if t1 <= tmid[j] else high[j]))
            if b != 0.0:
                h2 += b * (rt2 * poly(H, t2, low[j] if t2 <= tmid[j] else high[j]))
        Hm[i] = (0.0 + h1) + h2
        tot[0, i] = s1
        tot[1, i] = s2
        cf[0, i] = c1
        cf[1, i] = c2
    return flow, Hm, tot, cf
