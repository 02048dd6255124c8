"""Compiled flash phase split (numba) for :class:`carbonhub.unitops.separations.Flash`: the
feed's mole fractions over the components present and the liquid/vapour split of
:func:`carbonhub.unitops.separations.split_phases`, written straight into the full-width outlet
arrays, case by case in one pass over the rows (the numpy reference builds and re-reads about a
dozen (n, k) temporaries: ~0.3 us per case and pass on the methanol loop's 5-component flash,
against ~0.03 us here). The same operations per element in the same order, so the same bits;
``CARBONHUB_NUMBA=0`` (or ``engine="numpy"``) selects the reference, and
tests/unitops/test_flash_kernel.py checks that both agree, non-finite values included.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def fractions(flow, tot, cols):
    """z (n, m): flow[:, cols] / tot where tot > 0, else 0 (numpy's ``divide(..., where=)``
    into zeros, then the columns ``cols``)."""
    n, m = flow.shape[0], cols.shape[0]
    z = np.zeros((n, m))
    for i in range(n):
        t = tot[i]
        if t > 0:
            for c in range(m):
                z[i, c] = flow[i, cols[c]] / t
    return z


@njit(cache=True, error_model="numpy")
def split(flow, cols, K, beta, method, noncondensable, nonvolatile):
    """(liquid, vapour) (n, k) with the split of ``split_phases`` in the columns ``cols`` (``K``
    and ``method`` (m,) over them) and exact zeros elsewhere. Per element, as the reference:
    l = f (1 - b) / (1 + b (K - 1)); 0 for a non-condensable, f for a non-volatile species;
    where not finite, f x (b < 0.5); clipped to [0, f] with numpy's clip (NaN kept, max then
    min); vapour = f - l."""
    n, k = flow.shape
    m = cols.shape[0]
    liq = np.zeros((n, k))
    vap = np.zeros((n, k))
    for i in range(n):
        b = beta[i]
        half = 1.0 if b < 0.5 else 0.0
        for c in range(m):
            j = cols[c]
            f = flow[i, j]
            if method[c] == noncondensable:
                x = 0.0
            elif method[c] == nonvolatile:
                x = f
            else:
                x = f * (1.0 - b) / (1.0 + b * (K[i, c] - 1.0))
            if not np.isfinite(x):
                x = f * half
            if not np.isnan(x):  # numpy's clip: maximum(x, 0) then minimum(., f), NaN kept
                x = x if x > 0.0 else 0.0
                if not np.isnan(x):
                    x = x if x < f else f
            liq[i, j] = x
            vap[i, j] = f - x
    return liq, vap


@njit(cache=True, inline="always")
def _maximum(a, b):
    """numpy's maximum of two floats: NaN if either is NaN."""
    if a != a:
        return a
    if b != b:
        return b
    return a if a >= b else b


@njit(cache=True, error_model="numpy")
def separator(vap, liq, cols, mm, rho_cols, rho_organic, T, P, K_SB, residence_time, R, rho_water):
    """(volume, gas-limited diameter) (n,) of :func:`carbonhub.unitops.separations.separator_volume`
    with the liquid density of :func:`~carbonhub.unitops.separations.liquid_density`, case by
    case: ``cols`` the liquid's present columns, ``rho_cols`` their pure densities (0 where the
    case's ``rho_organic`` applies), ``mm`` the molar masses of all columns. Sums in index order
    from 0, products and quotients in the reference's order."""
    n, k = vap.shape
    m = cols.shape[0]
    vol = np.empty(n)
    dg = np.empty(n)
    for i in range(n):
        sm = 0.0
        sv = 0.0
        for c in range(m):
            j = cols[c]
            mj = liq[i, j] * mm[j]
            r = rho_cols[c] if rho_cols[c] > 0 else rho_organic[i]
            sv += mj / r
            sm += mj
        rho_l = sm / sv if sv > 0 else rho_water
        nv = 0.0
        mv = 0.0
        ml = 0.0
        for j in range(k):
            nv += vap[i, j]
            mv += vap[i, j] * mm[j]
            ml += liq[i, j] * mm[j]
        mw_v = mv / nv if nv > 0 else 0.0
        rho_v = P[i] * mw_v / (R * T[i])
        qv = nv * R * T[i] / P[i]
        u = K_SB[i] * np.sqrt(_maximum(rho_l - rho_v, 0.0) / _maximum(rho_v, 1e-12))
        d = np.sqrt(4.0 * qv / (np.pi * _maximum(u, 1e-12)))
        v_liq = 2.0 * ml / rho_l * residence_time[i]
        vol[i] = _maximum(np.pi / 4 * (d * d) * 3.0 * d, v_liq)
        dg[i] = d
    return vol, dg
