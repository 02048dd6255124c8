"""Compiled start of the Gibbs minimiser for gas-only cases (numba): the linear program
"minimise G at unit mole fractions" and the element potentials it implies, mixing included.

For the gases of a case (standard chemical potentials c_j = g°_j/RT + ln(P/P°)) the linear
program

    min  sum_j c_j n_j    s.t.  sum_j a_jk n_j = b_k,  n_j >= 0

is Gibbs minimisation without the entropy of mixing; its optimal vertex holds one major
species per active element (the "basis"). Its moles n_B give mole fractions x_B = n_B / N,
and the element potentials pi that make the basis species exact at those mole fractions,
a_j . pi = c_j + ln x_j (j in B), give every other gas x_j = exp(a_j . pi - c_j). That is
the classic start of element-potential solvers (Cantera's ``MultiPhaseEquil`` and
``ChemEquil`` estimate from a linear-programming composition in the same spirit; Smith and
Missen 1982, Chemical Reaction Equilibrium Analysis, ch. 6). It replaces CEA's uniform
start (Gordon & McBride 1994, NASA RP-1311, sec. 3.5) and roughly halves the Newton
iterations (the 10-species syngas benchmark: 10.5 -> about 5).

The program is solved by a dense revised simplex with the basis inverse kept explicitly
(nea x nea, nea <= number of elements): artificial columns at cost BIG_M start the basis,
Dantzig pricing on the reduced cost per atom, the ratio test with the smallest row index on
ties (first index on pricing ties), the dual updated by each pivot rather than recomputed.
(Numba's cache does not see edits of this file from the cached kernel that calls it: touch
``_eq_kernel.py`` or clear its ``__pycache__`` after changing it.) The numpy reference of
the same algorithm, over the whole batch at once, is :mod:`carbonhub.thermo.equilibrium_start`.
exp and ln are :func:`carbonhub.thermo._vexp.vexp` and :func:`carbonhub.thermo._vexp.vlog`
(within 1 ulp of the C library's), as in the start over lanes
(:mod:`carbonhub.thermo._eq_start_lanes`), which gives the same start to the last bit.
"""
from __future__ import annotations

import math

from numba import njit

from ._vexp import vexp, vlog

BIG_M = 1.0e4
"""Cost of an artificial column [dimensionless, like g/RT]: above any |c_j| of the NASA-7
species between 200 and 6000 K (|g/RT| < ~300 there) times the largest stoichiometric
coefficient met in practice."""

PIVOTS = 50
"""Simplex pivots allowed per case before the start falls back to CEA's uniform one."""

X_TRACE = 1e-8
"""A vertex with a basis species below this mole fraction (CEA's trace threshold, RP-1311
sec. 3.3) is degenerate: its potentials are not fixed by the basis, and the case keeps
CEA's uniform start (e.g. pure steam, whose vertex holds H2 or O2 at zero)."""


@njit(cache=True)
def lp_start(nea, bq, nallow, alist, gnz, ga, rk, iatom, c, Binv, xB, cB, bas, y, u, inB, lnn):
    """Write the start ``lnn`` (ln moles of each allowed gas ``alist[:nallow]``) of one case
    and return (True, ln N), or (False, 0.0) when the program does not settle (then the
    caller keeps its own start). ``bq``: the case's element inventory over its ``nea``
    active elements; ``ga``/``rk``: each gas' non-zero coefficients and their active rows;
    ``c``: c_j per gas; the other arrays are work space of at least nea (ng for ``inB``)."""
    for i in range(nea):
        for k in range(nea):
            Binv[i, k] = 0.0
        Binv[i, i] = 1.0
        xB[i] = bq[i]
        cB[i] = BIG_M
        bas[i] = -1
        y[i] = BIG_M  # y = Binv^T c_B: the program's dual, its element potentials
    for t in range(nallow):
        inB[alist[t]] = False
    settled = False
    for _ in range(PIVOTS):
        enter = -1
        best = -1e-9
        dq = 0.0
        for t in range(nallow):
            jj = alist[t]
            if inB[jj]:
                continue
            d = c[jj]
            for p in range(gnz[jj]):
                d -= ga[jj, p] * y[rk[jj, p]]
            # per atom: fewer pivots out of the artificial basis than Dantzig's plain rule
            if d * iatom[jj] < best:
                best = d * iatom[jj]
                enter = jj
                dq = d
        if enter < 0:
            settled = True
            break
        leave = -1
        uL = 1.0
        xL = math.inf
        for i in range(nea):  # column of the entering gas in the current basis: u = Binv a
            ui = 0.0
            for p in range(gnz[enter]):
                ui += Binv[i, rk[enter, p]] * ga[enter, p]
            u[i] = ui
            if ui > 1e-12 and xB[i] * uL < xL * ui:  # ratio test xB/u without dividing
                xL = xB[i]
                uL = ui
                leave = i
        if leave < 0:
            return False, 0.0
        ip = 1.0 / u[leave]
        for k in range(nea):
            Binv[leave, k] *= ip
        xB[leave] *= ip
        for i in range(nea):
            if i != leave:
                f = u[i]
                if f != 0.0:
                    for k in range(nea):
                        Binv[i, k] -= f * Binv[leave, k]
                    xB[i] -= f * xB[leave]
        for k in range(nea):  # the dual after the pivot: y += d_q (new row of the leaving basis place)
            y[k] += dq * Binv[leave, k]
        if bas[leave] >= 0:
            inB[bas[leave]] = False
        bas[leave] = enter
        inB[enter] = True
        cB[leave] = c[enter]
    if not settled:
        return False, 0.0
    N = 0.0
    for i in range(nea):
        if bas[i] < 0:  # an artificial left in the basis: no element potentials from it
            return False, 0.0
        N += max(xB[i], 0.0)
    if not N > 0.0:
        return False, 0.0
    for i in range(nea):  # a degenerate vertex (a basis species at zero) fixes no potential
        if not xB[i] >= X_TRACE * N:
            return False, 0.0
    for i in range(nea):  # the basis species exact at their mole fractions: a_j . pi = c_j + ln x_j
        xB[i] = c[bas[i]] + vlog(xB[i] / N)
    for k in range(nea):
        s = 0.0
        for i in range(nea):
            s += xB[i] * Binv[i, k]
        y[k] = s
    lnN = vlog(N)
    tot = 0.0
    for t in range(nallow):
        jj = alist[t]
        s = -c[jj]
        for p in range(gnz[jj]):
            s += ga[jj, p] * y[rk[jj, p]]
        lnn[jj] = min(s, 0.0) + lnN
        tot += vexp(lnn[jj])
    floor = vlog(1e-12 * tot)
    for t in range(nallow):
        jj = alist[t]
        lnn[jj] = max(lnn[jj], floor)
    return True, vlog(tot)
