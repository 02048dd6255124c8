"""Tray-column diameter from the Souders-Brown flooding velocity, in both engines.

A section carrying the vapour V [mol/s] at T, P with vapour and liquid of mole fractions x
floods at u_f = C_sb sqrt((rho_L - rho_V) / rho_V) (Fair 1961; Seader & Henley); designed at
``flood_fraction`` of it with 10 % downcomer area, its area is V R T / P / (0.9 flood_fraction
u_f), rho_V the ideal-gas density and rho_L the liquid's (:func:`~carbonhub.unitops.separations.liquid_density`).
A column takes the larger of its top and bottom diameters, at least ``d_min``.

Example
-------
>>> import numpy as np
>>> from carbonhub.thermo import ComponentSet
>>> cs = ComponentSet.from_ids(["C3H8", "C4H10"])
>>> x = np.array([[0.9, 0.1]]); one = np.ones(1)
>>> d = column_diameter(cs, 100.0 * one, 320.0 * one, x, 120.0 * one, 360.0 * one, x[:, ::-1], 10e5 * one,
...                     650.0 * one, 0.09 * one, 0.8 * one, 0.3)
>>> bool(np.array_equal(d, column_diameter(cs, 100.0 * one, 320.0 * one, x, 120.0 * one, 360.0 * one,
...                     x[:, ::-1], 10e5 * one, 650.0 * one, 0.09 * one, 0.8 * one, 0.3, engine="numpy")))
True
"""
from __future__ import annotations

import numpy as np

from ..core.stream import present
from ..thermo.engine import use_numba
from ..thermo.nasa7 import R as R_GAS
from ..thermo.rowdot import rowdot
from ._common import RHO_WATER, kernel_array
from .separations import liquid_density, pure_liquid_densities

__all__ = ["column_diameter"]


def column_diameter(cs, V_top, T_top, x_top, V_bot, T_bot, x_bot, P, rho_organic, C_sb, flood_fraction,
                    d_min: float, engine: str = "auto") -> np.ndarray:
    """max(d_top, d_bottom, d_min) (n,) [m] (module docstring): V [mol/s], T [K], P [Pa],
    ``rho_organic`` [kg/m3], ``C_sb`` [m/s], ``flood_fraction`` [-] (n,); x (n, k) mole fractions.
    ``engine``: "auto" (the compiled kernel :mod:`._column_kernel` unless ``CARBONHUB_NUMBA=0``),
    "numba" or "numpy" (the reference below); the same bits."""
    n = x_top.shape[0]
    case = lambda a: kernel_array(a, (n,))  # noqa: E731
    if use_numba(engine) and x_top.dtype == np.float64 and x_bot.dtype == np.float64:
        from ._column_kernel import column_diameter_core

        ct, cb = present(x_top), present(x_bot)
        with np.errstate(all="ignore"):
            return column_diameter_core(case(V_top), case(T_top), np.ascontiguousarray(x_top), ct,
                                        pure_liquid_densities(cs, ct), case(V_bot), case(T_bot),
                                        np.ascontiguousarray(x_bot), cb, pure_liquid_densities(cs, cb), case(P),
                                        cs.molar_mass, case(rho_organic), case(C_sb), case(flood_fraction), R_GAS,
                                        RHO_WATER, float(d_min))
    mw = cs.molar_mass

    def diam(V, T, x):
        mwv = rowdot(x, mw, engine)
        rho_v = P * mwv / (R_GAS * T)
        rho_l = liquid_density(cs, x, rho_organic)
        u = C_sb * np.sqrt(np.maximum(rho_l - rho_v, 0.0) / np.maximum(rho_v, 1e-12))
        A = V * R_GAS * T / P / np.maximum(flood_fraction * u * 0.9, 1e-12)
        return np.sqrt(4.0 * A / np.pi)

    with np.errstate(all="ignore"):
        return np.maximum(np.maximum(diam(V_top, T_top, x_top), diam(V_bot, T_bot, x_bot)), d_min)
