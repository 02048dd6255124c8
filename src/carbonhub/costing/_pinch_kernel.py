"""Compiled problem table (numba) for :func:`carbonhub.costing.pinch.problem_table`: one pass per
case over its temperature intervals and streams. The numpy reference builds an (n_cases,
n_intervals, n_streams) overlap array, O(s^2) bytes per case: ~24 MB per temporary for 30
streams at 10^4 cases, and most of the KPI layer's time on biomass_ft (issue 14). The numpy
path stays the reference (``CARBONHUB_NUMBA=0`` or ``engine="numpy"``); tests/costing/
test_pinch_kernel.py checks that both give the same numbers.

The sums over streams run in stream order (numpy's reduction pairs terms otherwise): the
engines agree to rounding, ~1e-16 of the duties (the test holds them to 1e-13).
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def problem_table(Ts, Tt, Q, dt):
    """(hot utility, cold utility, shifted pinch T, shifted interval temperatures, cascade) of
    each case; arrays (n, s) and dt (n,), as the numpy reference takes them after its checks."""
    n, s = Ts.shape
    m = 2 * s
    per_case = np.empty((3, n))  # hot utility, cold utility, pinch
    qh, qc, pinch = per_case[0], per_case[1], per_case[2]
    T_all = np.empty((n, m))
    casc_all = np.empty((n, m))
    per_stream = np.empty((4, s))  # shifted top and bottom, signed CP, |Q| of the case's streams
    hi, lo, cp, absq = per_stream[0], per_stream[1], per_stream[2], per_stream[3]
    for i in range(n):
        half = dt[i] / 2.0
        for j in range(s):
            a, b, q = Ts[i, j], Tt[i, j], Q[i, j]
            hot = a > b
            shift = -half if hot else half
            hi[j] = max(a, b) + shift
            lo[j] = min(a, b) + shift
            dT = abs(a - b)
            c = q / (dT if dT > 0 else 1.0) if q > 0 else 0.0
            cp[j] = c * (1.0 if hot else -1.0)
            absq[j] = abs(q)
        # a stream idle in this case (another case's, in a batch) sits at the case's top
        # temperature: zero-width intervals there add exactly nothing, so the cascade is the
        # one of the case's own streams, bit for bit, in any batch
        top_own = -np.inf
        for j in range(s):
            if Q[i, j] > 0:
                top_own = max(top_own, hi[j])
        if top_own > -np.inf:
            for j in range(s):
                if not Q[i, j] > 0:
                    hi[j] = top_own
                    lo[j] = top_own
        T = T_all[i]
        for j in range(s):
            T[j] = hi[j]
            T[s + j] = lo[j]
        T[:] = -np.sort(-T)
        casc = casc_all[i]
        casc[0] = 0.0
        for k in range(m - 1):
            upper, lower = T[k], T[k + 1]
            net = 0.0
            for j in range(s):
                ov = min(hi[j], upper) - max(lo[j], lower)
                net += (ov if ov > 0.0 else 0.0) * cp[j]
            casc[k + 1] = casc[k] + net
        lowest = casc[0]
        for k in range(1, m):
            lowest = min(lowest, casc[k])
        h = max(-lowest, 0.0)
        for k in range(m):
            casc[k] = casc[k] + h
        qh[i] = h
        qc[i] = casc[m - 1]
        total = 0.0
        for j in range(s):
            total += absq[j]
        tol = 1e-9 * max(total, 1e-300)
        # the pinch: the highest zero strictly inside the case's own streams' span, at one of
        # their temperatures (the grid also holds other cases' streams, idle in this one)
        top, bottom = -np.inf, np.inf
        for j in range(s):
            if Q[i, j] > 0:
                top = max(top, hi[j])
                bottom = min(bottom, lo[j])
        pinch[i] = np.nan
        for k in range(m):
            if abs(casc[k]) <= tol and T[k] < top and T[k] > bottom:
                own = False
                for j in range(s):
                    if Q[i, j] > 0 and (T[k] == hi[j] or T[k] == lo[j]):
                        own = True
                        break
                if own:
                    pinch[i] = T[k]
                    break
    return qh, qc, pinch, T_all, casc_all
