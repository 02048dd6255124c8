"""Compiled kernels of :mod:`carbonhub.core.stream` (numba).

:func:`mix_rows`: the row sums of an adiabatic mix of three or more inlets, for
:func:`carbonhub.core.stream.mix`: the mixed flows, the enthalpy flow, and each inlet's total and
carbon flow in one pass over the rows. The two-inlet mix has its own kernel
(:func:`carbonhub.thermo._nasa7_kernel.mix_two`); this one takes any number of inlets as a
tuple. Each quantity is the operations of its separate evaluation in the same order (the
reference is the numpy path of :func:`~carbonhub.core.stream.mix`, ``CARBONHUB_NUMBA=0``):

* mixed flows ((0 + f_1) + f_2) + ... (Python's ``sum`` of the inlets' arrays);
* enthalpy flow ((0 + H_1) + H_2) + ..., each H_m summed over the inlet's species with flow as
  :func:`carbonhub.thermo._nasa7_kernel.mixture_h`;
* each inlet's total flow 0 + f_0 + f_1 + ... and carbon flow 0 + f_0 c_0 + f_1 c_1 + ...
  (:func:`carbonhub.thermo.rowdot.rowsum`, :func:`~carbonhub.thermo.rowdot.rowdot`).

So the same bits; tests/core/test_stream_kernels.py checks them.

:func:`in_order`: whether an index array is 0, 1, ..., n-1 (:func:`carbonhub.core.stream.every_case`,
asked for every inlet and outlet of every unit call), one pass without temporaries.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..thermo._nasa7_kernel import H, poly


@njit(cache=True, error_model="numpy")
def mix_rows(flows, Ts, low, high, tmid, R, carbon):
    """``flows``: a tuple of m inlets' flows (n, k) [mol/s], ``Ts`` their temperatures (n,) [K];
    returns (flow (n, k), H (n,) [W], totals (m, n), carbon flows (m, n))."""
    m = len(flows)
    n, k = flows[0].shape
    flow = np.empty((n, k))
    Hm = np.empty(n)
    tot = np.empty((m, n))
    cf = np.empty((m, n))
    h = np.empty(m)
    s = np.empty(m)
    c = np.empty(m)
    rt = np.empty(m)
    for i in range(n):
        h[:] = 0.0  # each inlet's sums from 0, as its own evaluation
        s[:] = 0.0
        c[:] = 0.0
        for q in range(m):
            rt[q] = R * Ts[q][i]
        for j in range(k):
            v = 0.0
            for q in range(m):
                a = flows[q][i, j]
                v += a
                s[q] += a * 1.0
                c[q] += a * carbon[j]
                if a != 0.0:
                    t = Ts[q][i]
                    h[q] += a * (rt[q] * poly(H, t, low[j] if t <= tmid[j] else high[j]))
            flow[i, j] = v
        v = 0.0
        for q in range(m):
            v += h[q]
            tot[q, i] = s[q]
            cf[q, i] = c[q]
        Hm[i] = v
    return flow, Hm, tot, cf


@njit(cache=True)
def in_order(idx):
    """idx[i] == i for every i of an int64 array (numpy's ``(np.diff(idx) == 1).all()`` with
    idx[0] == 0, without its two temporaries): the bits of every idx[i] ^ i or'ed together are
    0 exactly then (no branch per entry: it compiles to vector instructions)."""
    acc = 0
    for i in range(idx.shape[0]):
        acc |= idx[i] ^ i
    return acc == 0
