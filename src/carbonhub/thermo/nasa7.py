"""Vectorised NASA-7 polynomials: cp, h, s, g of many species for many temperatures.

Coefficients follow Cantera's ``NasaPoly2`` convention: two ranges split at ``Tmid``, the low
range used for ``T <= Tmid`` (McBride, Gordon, Reno 1993, NASA TM-4513, eqs. 1-3):

    cp/R = a1 + a2 T + a3 T^2 + a4 T^3 + a5 T^4
    h/RT = a1 + a2 T/2 + a3 T^2/3 + a4 T^3/4 + a5 T^4/5 + a6/T
    s/R  = a1 ln T + a2 T + a3 T^2/2 + a4 T^3/3 + a5 T^4/4 + a7

All functions take ``T`` of shape ``(n,)`` (or a scalar) and coefficient arrays ``low``,
``high`` of shape ``(k, 7)`` and ``tmid`` of shape ``(k,)``; they return ``(n, k)``.

With numba (:mod:`carbonhub.thermo.engine`) each (T, species) pair evaluates only the range it
falls in (:mod:`._nasa7_kernel`); the numpy path below, the readable reference, evaluates both
ranges as matrix products and selects (``CARBONHUB_NUMBA=0``).
"""
from __future__ import annotations

import numpy as np

from ..units import ATM
from .engine import use_numba
from .rowdot import rowdot

R = 8.31446261815324
"""Molar gas constant [J/(mol K)] (CODATA 2018, exact)."""

P_REF = ATM
"""Standard-state pressure of the NASA Glenn data as bundled with Cantera [Pa] (1 atm)."""


def _select(T: np.ndarray, low: np.ndarray, high: np.ndarray, tmid: np.ndarray,
            basis: np.ndarray, cols: list[int]) -> np.ndarray:
    """Evaluate ``basis @ coeffs[:, cols].T`` with the range each (T, species) pair falls in
    (row by row, :func:`.rowdot.rowdot`: a temperature's values do not depend on the others)."""
    vl = rowdot(basis, low[:, cols].T)
    vh = rowdot(basis, high[:, cols].T)
    return np.where(T[:, None] <= tmid[None, :], vl, vh)


def _as_T(T) -> np.ndarray:
    return np.atleast_1d(np.asarray(T, dtype=float))


def _compiled(T, low, high, tmid, kind: int) -> np.ndarray | None:
    """The numba evaluation of ``kind`` (see :mod:`._nasa7_kernel`), or None for numpy."""
    if not use_numba():
        return None
    from . import _nasa7_kernel as K

    c = np.ascontiguousarray
    return K.evaluate(c(T, dtype=float), c(low, dtype=float), c(high, dtype=float), c(tmid, dtype=float), kind)


def cp_R(T, low, high, tmid) -> np.ndarray:
    """Heat capacity cp/R, shape (n, k)."""
    T = _as_T(T)
    out = _compiled(T, low, high, tmid, 0)
    if out is not None:
        return out
    basis = np.stack([np.ones_like(T), T, T**2, T**3, T**4], axis=1)
    return _select(T, low, high, tmid, basis, [0, 1, 2, 3, 4])


def h_RT(T, low, high, tmid) -> np.ndarray:
    """Enthalpy h/(RT), shape (n, k)."""
    T = _as_T(T)
    out = _compiled(T, low, high, tmid, 1)
    if out is not None:
        return out
    basis = np.stack([np.ones_like(T), T / 2, T**2 / 3, T**3 / 4, T**4 / 5, 1 / T], axis=1)
    return _select(T, low, high, tmid, basis, [0, 1, 2, 3, 4, 5])


def s_R(T, low, high, tmid) -> np.ndarray:
    """Standard entropy s°/R at P_REF, shape (n, k)."""
    T = _as_T(T)
    out = _compiled(T, low, high, tmid, 2)
    if out is not None:
        return out
    basis = np.stack([np.log(T), T, T**2 / 2, T**3 / 3, T**4 / 4, np.ones_like(T)], axis=1)
    return _select(T, low, high, tmid, basis, [0, 1, 2, 3, 4, 6])


def g_RT(T, low, high, tmid) -> np.ndarray:
    """Standard Gibbs energy g°/(RT) = h/RT - s/R at P_REF, shape (n, k).

    Evaluated as one polynomial so that equilibrium sweeps pay one product per range:
    g/RT = a1 (1 - ln T) - a2 T/2 - a3 T^2/6 - a4 T^3/12 - a5 T^4/20 + a6/T - a7.
    """
    T = _as_T(T)
    # numpy on both engines: evaluated once per equilibrium solve (not a hot path), and the
    # equilibrium solvers' degenerate-inventory checks are tested on these exact values
    basis = np.stack([1 - np.log(T), -T / 2, -(T**2) / 6, -(T**3) / 12, -(T**4) / 20, 1 / T,
                      -np.ones_like(T)], axis=1)
    return _select(T, low, high, tmid, basis, [0, 1, 2, 3, 4, 5, 6])


def mixture_h(flow, T, low, high, tmid) -> np.ndarray | None:
    """Compiled enthalpy flow [W] of a mixture per case, over each case's species with flow
    (see :func:`._nasa7_kernel.mixture_h`); None when numpy is the engine (the caller, e.g.
    :meth:`carbonhub.core.stream.Stream.enthalpy_at`, then evaluates with numpy)."""
    if not use_numba():
        return None
    from . import _nasa7_kernel as K

    c = np.ascontiguousarray
    return K.mixture_h(c(flow, dtype=float), c(np.broadcast_to(T, flow.shape[:1]), dtype=float), low, high, tmid, R)


def mixture_T_for_H(flow, H, T0, low, high, tmid, scale, tol: float, max_iter: int, T_min: float,
                    T_max: float) -> np.ndarray | None:
    """Compiled per-case inversion of a mixture's enthalpy (see
    :func:`._nasa7_kernel.t_for_h`); None when numpy is the engine (the caller, e.g.
    :func:`carbonhub.core.stream.solve_T_for_H`, then iterates with numpy)."""
    if not use_numba():
        return None
    from . import _nasa7_kernel as K

    c = np.ascontiguousarray
    T = np.array(np.clip(T0, T_min, T_max), dtype=float)
    return K.t_for_h(c(flow, dtype=float), c(H, dtype=float), T, c(low, dtype=float), c(high, dtype=float),
                     c(tmid, dtype=float), c(scale, dtype=float), float(tol), int(max_iter), float(T_min),
                     float(T_max), R)


def mix_two(f1, f2, T1, T2, low, high, tmid, carbon):
    """Compiled row sums of a two-inlet adiabatic mix (see :func:`._nasa7_kernel.mix_two`):
    (flow, enthalpy flow [W], total flows (2, n), carbon flows (2, n)); None when numpy is the
    engine or an array is not float64 (the caller, :func:`carbonhub.core.stream.mix`, then
    sums with numpy)."""
    if not use_numba() or any(np.asarray(a).dtype != np.float64 for a in (f1, f2, T1, T2)):
        return None
    from . import _nasa7_kernel as K

    c = np.ascontiguousarray
    n = f1.shape[0]
    return K.mix_two(c(f1), c(f2), c(np.broadcast_to(T1, (n,))), c(np.broadcast_to(T2, (n,))), low, high, tmid, R,
                     c(carbon, dtype=float))
