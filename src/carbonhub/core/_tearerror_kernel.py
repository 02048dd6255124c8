"""Compiled convergence test of :meth:`carbonhub.core.tearlayout.TearLayout.error` (numba): per
case, the same operations in the same order as its numpy reference, so the same bits: each
tear's total flow summed in index order from 0 (:func:`carbonhub.thermo.rowdot.rowsum`), the
element flows as :func:`carbonhub.thermo.rowdot.rowdot` sums them (a zero term skipped: it adds
+0 to a sum that starts at +0), ``np.maximum``'s NaN propagation, a NaN anywhere in a case's
maximum giving NaN, and ``np.nan_to_num(err, nan=inf)`` at the end (NaN -> inf, inf -> the
largest float). One pass over each case's row instead of ~25 numpy calls over (n, d) arrays.
"""
from __future__ import annotations

import numpy as np
from numba import njit

BIG = np.finfo(np.float64).max


@njit(cache=True, inline="always")
def _npmax(a, b):
    """np.maximum(a, b) of two floats: NaN if either is NaN (a NaN a is returned; a NaN b fails
    a >= b)."""
    return a if (a >= b or a != a) else b


@njit(cache=True, inline="always")
def _row_products(v, el, absolute, out):
    """out[q] = 0 + v[0] el[0, q] + v[1] el[1, q] + ... (|v| with ``absolute``), a zero v[j]
    skipped: :func:`carbonhub.thermo.rowdot.rowdot`'s sums of one row."""
    for q in range(out.size):
        out[q] = 0.0
    for j in range(v.size):
        a = abs(v[j]) if absolute else v[j]
        if a != 0.0:
            for q in range(out.size):
                out[q] += a * el[j, q]


@njit(cache=True, error_model="numpy")
def tear_error_rows(x, g, d, flows, ptr, tear_or0, is_flow, in_tears, el, out):
    """out[i] = the tear error of case i (:meth:`.tearlayout.TearLayout.error`): ``flows``
    the carried positions of each tear's flows (tear t: ``flows[ptr[t]:ptr[t + 1]]``, ascending),
    ``tear_or0`` each variable's tear, ``in_tears`` the variables in the maximum, ``el`` the
    element matrix of the carried variables (size, n_tears x n_elements; 0 columns: no element
    test)."""
    n, size = x.shape
    nt = ptr.size - 1
    nq = el.shape[1]
    tg = np.empty(nt)
    empty = np.empty(nt, dtype=np.bool_)
    num = np.empty(nq)
    den = np.empty(nq)
    for i in range(n):
        for t in range(nt):
            sg = 0.0
            sx = 0.0
            for k in range(ptr[t], ptr[t + 1]):
                sg += abs(g[i, flows[k]])
            for k in range(ptr[t], ptr[t + 1]):
                sx += abs(x[i, flows[k]])
            tg[t] = sg
            empty[t] = (sg + sx) == 0.0
        m = -np.inf
        nan = False
        for j in range(size):
            if not in_tears[j]:
                continue
            ag = abs(g[i, j])
            if is_flow[j]:
                t = tear_or0[j]
                if empty[t]:
                    r = 0.0
                else:
                    r = d[i, j] / _npmax(ag, _npmax(1e-6 * tg[t], 1e-300))
            else:
                r = d[i, j] / _npmax(ag, 1.0)
            if r != r:
                nan = True
            elif r > m:
                m = r
        err = np.nan if nan else m
        if nq:
            _row_products(d[i], el, False, num)
            _row_products(g[i], el, True, den)
            e = -np.inf
            enan = False
            for q in range(nq):
                w = num[q] / _npmax(den[q], 1e-300) if num[q] > 0 else 0.0
                if w != w:
                    enan = True
                elif w > e:
                    e = w
            err = _npmax(err, np.nan if enan else e)
        if err != err:
            err = np.inf
        elif err == np.inf:
            err = BIG
        elif err == -np.inf:
            err = -BIG
        out[i] = err


@njit(cache=True, error_model="numpy")
def scaled_max_rows(x, g, floor, flows, ptr, tear_or0, is_flow, extra_start, extra, out):
    """out[i] = max_j |g - x| / s (NaN if any term is NaN): s the variables' scale
    (:meth:`.tearlayout.TearLayout.scale`: a flow's |g| down to ``floor`` x its tear's flow and
    1e-300, T and P's |g| down to 1, a variable from ``extra_start`` on its ``extra`` column),
    the operations of ``(np.abs(g - x) / layout.scale(g, floor, extra)).max(axis=1)``."""
    n, size = x.shape
    nt = ptr.size - 1
    tg = np.empty(nt)
    for i in range(n):
        for t in range(nt):
            sg = 0.0
            for k in range(ptr[t], ptr[t + 1]):
                sg += abs(g[i, flows[k]])
            tg[t] = sg
        m = -np.inf
        nan = False
        for j in range(size):
            ag = abs(g[i, j])
            if j >= extra_start:
                sc = extra[i, j - extra_start]
            elif is_flow[j]:
                sc = _npmax(ag, _npmax(floor * tg[tear_or0[j]], 1e-300))
            else:
                sc = _npmax(ag, 1.0)
            r = abs(g[i, j] - x[i, j]) / sc
            if r != r:
                nan = True
            elif r > m:
                m = r
        out[i] = np.nan if nan else m
