"""Compiled per-case pieces of the water-gas shift (:class:`carbonhub.unitops.shift.WaterGasShift`):
the reactor inlet's row sums, the bed temperature of an extent, and the outlet, each in one pass
over a case's row of the full component set instead of (n, k) tables of molar enthalpies,
products and row sums over the batch's present components.

The same operations in the same order as the numpy reference (``engine="numpy"``): reactor inlet
``feed (1 - bypass) + steam``, bypass ``feed bypass``, sums in index order from 0 over the
species with flow (the zero terms the reference adds are exact), enthalpy terms
flow x ((R T) h/RT) as ``flow * cs.h(T)`` (written out in each loop: the range select behind a
helper kept numba's reference counting, ~6x slower), the temperature roots by
:func:`carbonhub.unitops._unit_kernels.t_for_h_row` (the iteration of
:func:`carbonhub.core.stream.solve_T_for_H`). The equilibrium constants (numpy's exp and log)
stay with the caller. tests/unitops/test_shift_kernel.py checks that both engines agree bit for
bit.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..thermo._nasa7_kernel import H, poly
from ._unit_kernels import t_for_h_row

NU = np.array([-1.0, -1.0, 1.0, 1.0])
"""Stoichiometry of CO + H2O = CO2 + H2 over [CO, H2O, CO2, H2] (the order of ``ix``)."""


@njit(cache=True, error_model="numpy")
def shift_inlet(F, S, T_f, T_s, T, b, ix, is_gas, low, high, tmid, R):
    """Per case: enthalpy flows of feed at ``T_f``, steam at ``T_s`` and the reactor inlet
    (feed (1 - b) + steam) at ``T`` [W], the reactor inlet's total and dry-gas flows (gas species
    less H2O) [mol/s], and the reactor inlet and bypass moles of [CO, H2O, CO2, H2] (n, 4) each."""
    n, k = F.shape
    H_f, H_s, H_T, tot, dry = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    n0, nb = np.empty((n, 4)), np.empty((n, 4))
    for i in range(n):
        tf, ts, t, bi = T_f[i], T_s[i], T[i], b[i]
        hf = hs = ht = s = g = 0.0  # enthalpy flows of feed, steam and inlet at T; totals
        for j in range(k):
            f, st = F[i, j], S[i, j]
            r = f * (1.0 - bi) + st
            if f != 0.0:
                hf += f * ((R * tf) * poly(H, tf, low[j] if tf <= tmid[j] else high[j]))
            if st != 0.0:
                hs += st * ((R * ts) * poly(H, ts, low[j] if ts <= tmid[j] else high[j]))
            if r != 0.0:
                ht += r * ((R * t) * poly(H, t, low[j] if t <= tmid[j] else high[j]))
                s += r
                g += r * (1.0 if is_gas[j] else 0.0)  # as rin * is_gas
        for m in range(4):
            f = F[i, ix[m]]
            n0[i, m] = f * (1.0 - bi) + S[i, ix[m]]
            nb[i, m] = f * bi
        H_f[i], H_s[i], H_T[i], tot[i], dry[i] = hf, hs, ht, s, g - n0[i, 1]
    return H_f, H_s, H_T, tot, dry, n0, nb


@njit(cache=True, error_model="numpy")
def bed_temperature(F, S, b, ix, sel, x, H_T, T0, low, high, tmid, R):
    """Adiabatic bed outlet temperature [K] of cases ``sel`` at extent ``x`` (len(sel)): the
    reactor inlet with the extent applied (not clipped), its enthalpy flow = ``H_T``, from
    ``T0`` (the reference's ``solve_T_for_H`` of the composition)."""
    k = F.shape[1]
    row = np.empty((1, k))
    T = np.empty(sel.size)
    for c in range(sel.size):
        i = sel[c]
        for j in range(k):
            row[0, j] = F[i, j] * (1.0 - b[i]) + S[i, j]
        for m in range(4):
            row[0, ix[m]] += x[c] * NU[m]
        T[c] = t_for_h_row(row, 0, H_T[c], T0[c], low, high, tmid, R)
    return T


@njit(cache=True, error_model="numpy")
def shift_outlet(F, S, b, ix, x, T_r, H_f, H_s, low, high, tmid, R):
    """Per case: the outlet flows (n, k) (reactor outlet clipped at zero, as numpy's maximum,
    plus the bypass), their temperature [K] (the bypass mixed adiabatically after the bed at
    ``T_r``: H_reactor_out + b H_f) and the unit's heat H_out - H_f - H_s [W]."""
    n, k = F.shape
    flow = np.empty((n, k))
    rout = np.empty((1, k))
    T_out, heat = np.empty(n), np.empty(n)
    for i in range(n):
        bi, tr = b[i], T_r[i]
        for j in range(k):
            f = F[i, j]
            rout[0, j] = f * (1.0 - bi) + S[i, j]
        for m in range(4):
            rout[0, ix[m]] += x[i] * NU[m]
        for j in range(k):
            r = rout[0, j]
            r = r if (r >= 0.0 or r != r) else 0.0  # numpy's maximum(r, 0)
            rout[0, j] = r
            flow[i, j] = r + F[i, j] * bi
        t = tr
        if bi > 0:
            hr = 0.0
            for j in range(k):
                r = rout[0, j]
                if r != 0.0:
                    hr += r * ((R * tr) * poly(H, tr, low[j] if tr <= tmid[j] else high[j]))
            t = t_for_h_row(flow, i, hr + bi * H_f[i], tr, low, high, tmid, R)
        ho = 0.0
        for j in range(k):
            fl = flow[i, j]
            if fl != 0.0:
                ho += fl * ((R * t) * poly(H, t, low[j] if t <= tmid[j] else high[j]))
        T_out[i], heat[i] = t, ho - H_f[i] - H_s[i]
    return flow, T_out, heat
