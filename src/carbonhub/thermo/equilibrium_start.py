"""Start of the Gibbs minimiser for gas-only cases, batched in numpy: the readable reference
of the compiled :func:`carbonhub.thermo._eq_start.lp_start` (the method is described there).

Every case runs the same revised simplex on the linear program "minimise G at unit mole
fractions" (min c.n, A^T n = b, n >= 0, c_j = g°_j/RT + ln(P/P°)), all cases pivoting in
step; then the element potentials that make the optimal basis exact at its mole fractions
give every gas its start. An element absent from a case keeps its artificial column at zero
cost and level (its potential is 0, as in the Newton iteration).

Example
-------
Hydrogen with some steam (H2, O2, H2O over the elements H, O; c at some T and P): the
vertex holds H2 and H2O, and O2 starts at the trace its potentials imply.

>>> import numpy as np
>>> A = np.array([[2.0, 0.0], [0.0, 2.0], [2.0, 1.0]])
>>> c = np.array([[-20.0, -25.0, -40.0]])
>>> lnn, lnN, ok = lp_start(A, c, np.array([[3.0, 1.0]]), np.ones((1, 3), bool))
>>> bool(ok[0]), [f"{v:.4g}" for v in np.exp(lnn[0])]   # O2: N x_O2 = 1.5 (4 e^-15) = 1.835e-06
(True, ['0.5', '1.835e-06', '1'])
"""
from __future__ import annotations

import numpy as np
from .rowdot import rowsum

BIG_M = 1.0e4
"""Cost of an artificial column (as :data:`carbonhub.thermo._eq_start.BIG_M`)."""

PIVOTS = 50
"""Pivots allowed before a case keeps CEA's uniform start."""

X_TRACE = 1e-8
"""A basis species below this mole fraction marks a degenerate vertex (uniform start kept)."""


def lp_start(A: np.ndarray, c: np.ndarray, b: np.ndarray, allowed: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start of the Newton iteration for gas-only cases.

    Parameters
    ----------
    A : array (ng, ne)
        element matrix of the gases.
    c : array (nc, ng)
        g°_j/RT + ln(P/P°) per case.
    b : array (nc, ne)
        element inventory per case (normalised; 0 where an element is absent).
    allowed : bool array (nc, ng)
        gases whose elements are all present in the case.

    Returns
    -------
    lnn : array (nc, ng)
        ln moles of the start (meaningful where ``allowed`` and ``settled``).
    lnN : array (nc,)
        ln total moles of the start.
    settled : bool array (nc,)
        False where the program did not settle (keep CEA's uniform start there).
    """
    nc, ng = c.shape
    ne = A.shape[1]
    active = b > 1e-300
    atoms = rowsum(A)
    rows = np.arange(nc)
    Binv = np.broadcast_to(np.eye(ne), (nc, ne, ne)).copy()
    xB = np.where(active, b, 0.0)
    cB = np.where(active, BIG_M, 0.0)
    bas = np.full((nc, ne), -1)
    inB = np.zeros((nc, ng), dtype=bool)
    settled = np.zeros(nc, dtype=bool)
    failed = np.zeros(nc, dtype=bool)
    for _ in range(PIVOTS):
        go = np.flatnonzero(~settled & ~failed)
        if go.size == 0:
            break
        y = np.einsum("ci,cik->ck", cB[go], Binv[go])  # the program's dual
        d = (c[go] - y @ A.T) / atoms  # reduced cost per atom
        d = np.where(allowed[go] & ~inB[go], d, np.inf)
        enter = np.argmin(d, axis=1)
        opt = d[np.arange(go.size), enter] >= -1e-9
        settled[go[opt]] = True
        go, enter = go[~opt], enter[~opt]
        u = np.einsum("cik,ck->ci", Binv[go], A[enter])  # entering column in the basis
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(u > 1e-12, xB[go] / u, np.inf)
        leave = np.argmin(ratio, axis=1)
        unbounded = ~np.isfinite(ratio[np.arange(go.size), leave])
        failed[go[unbounded]] = True
        go, enter, leave, u = go[~unbounded], enter[~unbounded], leave[~unbounded], u[~unbounded]
        k = np.arange(go.size)
        piv = u[k, leave]
        prow = Binv[go, leave] / piv[:, None]
        px = xB[go, leave] / piv
        Binv[go] -= u[:, :, None] * prow[:, None, :]
        xB[go] -= u * px[:, None]
        Binv[go, leave] = prow
        xB[go, leave] = px
        old = bas[go, leave]
        had = old >= 0
        inB[go[had], old[had]] = False
        bas[go, leave] = enter
        inB[go, enter] = True
        cB[go, leave] = c[go, enter]
    settled &= ~(active & (bas < 0)).any(axis=1)  # an artificial left in the basis
    N = rowsum(np.where(active, np.maximum(xB, 0.0), 0.0))
    settled &= N > 0
    settled &= ~(active & ~(xB >= X_TRACE * N[:, None])).any(axis=1)  # a degenerate vertex
    Ns = np.where(settled, N, 1.0)
    cb = c[rows[:, None], np.maximum(bas, 0)]
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(active & (bas >= 0) & settled[:, None], cb + np.log(xB / Ns[:, None]), 0.0)
    pi = np.einsum("ci,cik->ck", v, Binv)
    lnn = np.minimum(pi @ A.T - c, 0.0) + np.log(Ns)[:, None]
    tot = rowsum(np.where(allowed, np.exp(lnn), 0.0))
    lnn = np.maximum(lnn, np.log(1e-12 * tot)[:, None])
    return lnn, np.log(tot), settled
