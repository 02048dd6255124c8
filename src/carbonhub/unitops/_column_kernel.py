"""Compiled tray-column diameter of a shortcut column (numba), case by case.

The operations of the numpy reference :func:`carbonhub.unitops.column_diameter.column_diameter`
(``engine="numpy"`` or ``CARBONHUB_NUMBA=0``) in the same order: the vapour's molar mass and the
liquid's volume and mass summed in index order from 0 (as :func:`~carbonhub.thermo.rowdot.rowdot`
and :func:`~carbonhub.thermo.rowdot.rowsum`), numpy's NaN-propagating maximum; so the same bits
without the (n, k) temporaries of the reference. tests/unitops/test_column_diameter.py checks
that both agree.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, error_model="numpy")
def column_diameter_core(V_top, T_top, x_top, cols_top, rho_top, V_bot, T_bot, x_bot, cols_bot, rho_bot, P, mw,
                         rho_organic, C_sb, flood_fraction, R, rho_water, d_min):
    """max(d(top), d(bottom), d_min) (n,) [m]: d the Souders-Brown diameter of a section with
    vapour flow V (n,) [mol/s] at T (n,) [K] and P (n,) [Pa], vapour and liquid of the mole
    fractions x (n, k); ``cols_top``, ``cols_bot`` the columns of x_top, x_bot with a nonzero
    entry in some case (:func:`carbonhub.core.stream.present`), ``rho_top``, ``rho_bot`` their
    pure-liquid densities (0 where the case's ``rho_organic`` applies)."""
    n, k = x_top.shape
    out = np.empty(n)
    for i in range(n):
        dmax = 0.0
        for s in range(2):
            x = x_top if s == 0 else x_bot
            V = V_top[i] if s == 0 else V_bot[i]
            T = T_top[i] if s == 0 else T_bot[i]
            cols = cols_top if s == 0 else cols_bot
            rho_cols = rho_top if s == 0 else rho_bot
            mwv = 0.0
            for j in range(k):
                mwv += x[i, j] * mw[j]
            rho_v = P[i] * mwv / (R * T)
            sm = 0.0
            sv = 0.0
            for c in range(cols.shape[0]):
                mj = x[i, cols[c]] * mw[cols[c]]
                sv += mj / (rho_cols[c] if rho_cols[c] > 0 else rho_organic[i])
                sm += mj
            rho_l = sm / sv if sv > 0 else rho_water
            a = rho_l - rho_v
            b = rho_v
            u = C_sb[i] * np.sqrt((a if (a >= 0.0 or a != a) else 0.0) / (b if (b >= 1e-12 or b != b) else 1e-12))
            g = flood_fraction[i] * u * 0.9
            A = V * R * T / P[i] / (g if (g >= 1e-12 or g != g) else 1e-12)
            d = np.sqrt(4.0 * A / np.pi)
            # numpy's maximum: NaN if either is NaN, else the larger (the first on a tie)
            dmax = d if s == 0 else (dmax if (dmax >= d or dmax != dmax) else d)
        out[i] = dmax if (dmax >= d_min or dmax != dmax) else d_min
    return out
