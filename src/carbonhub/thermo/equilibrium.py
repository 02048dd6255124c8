"""Batched Gibbs-energy minimisation: ideal-gas mixtures with optional condensed species.

The method is the one of NASA CEA (Gordon & McBride 1994, NASA RP-1311, ch. 2-3): Newton
iterations on the logarithms of the gas moles, reduced to a small linear system in the element
potentials pi_k, the log of total gas moles and the moles of the condensed species; step control
per RP-1311 eqs. (3.1)-(3.3); condensed species (e.g. graphite ``C(s)``) enter when their
chemical potential test says they lower G and leave when their moles go negative.

Start: gas-only cases without a guess start from the optimal vertex of the linear program
"minimise G at unit mole fractions" and the element potentials that make its basis species
exact at their mole fractions (:mod:`carbonhub.thermo.equilibrium_start`); CEA's uniform
start (RP-1311 sec. 3.5) is kept with condensed species and where the vertex is degenerate.
On the 10-species syngas benchmark this halves the Newton iterations (10.5 -> 4.8 mean).
Convergence: the scaled corrections below ``tol`` (RP-1311 sec. 3.3, tightened), or - after
two full steps in a row that contract - the next correction predicted from the observed
quadratic contraction, crit^3 / crit_prev^2, below 0.1 ``tol`` (the step that would only
confirm convergence is not taken).

Every quantity carries a leading case axis: one call solves n_cases (T, P, element inventory)
states at once. Cases converge independently; converged cases are frozen and removed from the
working set, so the cost follows the stragglers only. A case that does not converge is flagged
in ``status`` with the reason; the others are returned.

Example
-------
>>> import numpy as np
>>> from carbonhub.thermo import equilibrate
>>> r = equilibrate(["CO", "H2", "CO2", "H2O", "CH4"], [[1, 1, 0, 1, 0]], T=1100.0, P=1e5)
>>> str(r.status[0]), bool(abs(r.moles[0, [0, 2, 4]].sum() - 1) < 1e-12)   # carbon conserved
('ok', True)
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .components import ComponentSet, UnknownComponentError, default_components
from .engine import use_numba
from .equilibrium_start import lp_start
from .nasa7 import P_REF, R
from .rowdot import rowdot, rowsum

__all__ = ["equilibrate", "EquilibriumResult", "EquilibriumInputError"]

_SIZE = -18.420681  # ln(1e-8): CEA's trace-species threshold
_TRACE_TARGET = 9.2103404  # -ln(1e-4)
_LN_MIN = -690.0  # below this exp underflows
_QUADRATIC = 0.1  # converged by contraction: the next correction, crit^3/crit_prev^2, < 0.1 tol
ELEMENT_RTOL = 1e-12  # an "ok" case balances every element to this fraction of its inventory


class EquilibriumInputError(ValueError):
    """Invalid input to :func:`equilibrate` (names the value and what was expected)."""


@dataclass
class EquilibriumResult:
    """Result of a batched equilibrium.

    Attributes
    ----------
    species : list of str
    moles : ndarray (n_cases, n_species)
        equilibrium moles [mol] (NaN where ``status`` is not ``"ok"``).
    status : ndarray of str (n_cases,)
        ``"ok"`` or the reason the case failed.
    iterations : ndarray of int (n_cases,)
    element_potentials : ndarray (n_cases, n_elements)
        pi_k = lambda_k / RT at equilibrium (dimensionless).
    elements : tuple of str
    """

    species: list[str]
    moles: np.ndarray
    status: np.ndarray
    iterations: np.ndarray
    element_potentials: np.ndarray
    elements: tuple[str, ...]

    def __array__(self, dtype=None, copy=None):
        return self.moles if dtype is None else self.moles.astype(dtype)

    @property
    def ok(self) -> np.ndarray:
        return self.status == "ok"

    def gas_mole_fractions(self, gas_mask: np.ndarray | None = None) -> np.ndarray:
        m = self.moles if gas_mask is None else self.moles * gas_mask
        return m / m.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class _Prepared:
    """What a species list needs before any case: its component subset, the element matrix
    over the elements it holds, their names and the NASA-7 data range."""

    sub: ComponentSet
    A: np.ndarray
    elements: tuple[str, ...]
    t_range: tuple[float, float]


_PREPARED: "weakref.WeakKeyDictionary[ComponentSet, dict[tuple[str, ...], _Prepared]]" = \
    weakref.WeakKeyDictionary()


def _prepare(cs: ComponentSet, species: list[str]) -> _Prepared:
    """The :class:`_Prepared` of ``species`` in ``cs``, built once per component set and
    species list (building a subset costs more than solving 50 states); the species must be
    known. Raises :class:`EquilibriumInputError` for a liquid or a list without gases."""
    per_set = _PREPARED.setdefault(cs, {})
    key = tuple(species)
    if key not in per_set:
        sub = cs.subset(species)
        if any(p == "liquid" for p in sub.phase):
            raise EquilibriumInputError(
                "species: liquid species are not supported by the ideal-gas/solid minimiser: "
                f"{[s for s, p in zip(species, sub.phase) if p == 'liquid']}")
        if not sub.is_gas.any():
            raise EquilibriumInputError("species: at least one gas species is needed")
        used = np.flatnonzero(np.abs(sub.element_matrix).sum(axis=0) > 0)
        per_set[key] = _Prepared(sub, np.ascontiguousarray(sub.element_matrix[:, used], dtype=float),
                                 tuple(sub.elements[k] for k in used), data_range(sub))
    return per_set[key]


def _species(species, components) -> tuple[_Prepared, list[str]]:
    """The :class:`_Prepared` of a checked species list, and the list (errors name the problem)."""
    cs = components if components is not None else default_components()
    species = list(species)
    if not species:
        raise EquilibriumInputError("species: expected at least one species id, got an empty list")
    if len(set(species)) != len(species):
        raise EquilibriumInputError(f"species: duplicate ids in {species}")
    for s in species:
        if s not in cs:
            raise UnknownComponentError(
                f"unknown species {s!r}; known species: {', '.join(cs.ids)}")
    return _prepare(cs, species), species


def _validate(species, moles, T, P, components):
    prep, species = _species(species, components)
    n = np.atleast_2d(np.asarray(moles, dtype=float))
    if n.ndim != 2 or n.shape[1] != len(species):
        raise EquilibriumInputError(
            f"moles: expected shape (n_cases, {len(species)}) [mol], got {np.shape(moles)}")
    nc = n.shape[0]
    Ta = np.broadcast_to(np.asarray(T, dtype=float), (nc,)) if np.ndim(T) <= 1 else None
    Pa = np.broadcast_to(np.asarray(P, dtype=float), (nc,)) if np.ndim(P) <= 1 else None
    if Ta is None or Pa is None:
        raise EquilibriumInputError(f"T and P: expected scalars or arrays of shape ({nc},)")
    for name, arr, unit in (("T", Ta, "K"), ("P", Pa, "Pa")):
        bad = ~np.isfinite(arr) | (arr <= 0)
        if bad.any():
            i = int(np.argmax(bad))
            raise EquilibriumInputError(
                f"{name} = {float(arr[i])!r} {unit} in case {i}: expected a finite value > 0 {unit}")
    badn = ~np.isfinite(n)
    if badn.any():
        i, j = np.argwhere(badn)[0]
        raise EquilibriumInputError(
            f"moles[{i}, {species[j]}] = {float(n[i, j])!r} mol: expected a finite value >= 0")
    if (n < 0).any():
        i, j = np.argwhere(n < 0)[0]
        raise EquilibriumInputError(
            f"moles[{i}, {species[j]}] = {float(n[i, j])!r} mol: expected >= 0")
    return prep, species, n, np.array(Ta), np.array(Pa)


def equilibrate(species: Sequence[str], moles, T, P, *, components: ComponentSet | None = None,
                tol: float = 1e-13, max_iter: int = 300, guess=None, engine: str = "auto"
                ) -> EquilibriumResult:
    """Minimise the Gibbs energy at fixed T and P for a batch of cases.

    Parameters
    ----------
    species : sequence of str
        component ids (gases and, optionally, solids such as ``"C(s)"``).
    moles : array (n_cases, n_species)
        initial moles [mol]; only their element inventory matters.
    T : float or array (n_cases,)
        temperature [K].
    P : float or array (n_cases,)
        pressure [Pa].
    components : ComponentSet, optional
        where to look the species up (default: ``ComponentSet.default()``).
    engine : {"auto", "numba", "numpy"}
        "auto" uses the compiled kernels when numba is installed and ``CARBONHUB_NUMBA`` is
        not "0" (gas-only cases without a guess: states advanced in lanes of 64 with vector
        instructions, :mod:`carbonhub.thermo._eq_lanes`; otherwise the per-case kernel,
        :mod:`carbonhub.thermo._eq_kernel`); "numpy" the pure-numpy batched iteration. Same
        answers; a case's result does not depend on its batch (to the last bit with numba).
    tol : float
        convergence tolerance on the scaled Newton corrections (met, or predicted for the
        next step from the quadratic contraction of the last two; see the module docstring).
    guess : array (n_cases, n_species), optional
        a previous equilibrium of nearby states (warm start: recycle and design-spec
        iterations converge in a few Newton steps). Only its shape matters for correctness.

    Returns
    -------
    EquilibriumResult

    References
    ----------
    Gordon, S., McBride, B.J. (1994), Computer Program for Calculation of Complex Chemical
    Equilibrium Compositions and Applications, I. Analysis, NASA RP-1311.
    """
    fast = _gas_lanes(species, moles, T, P, components, tol, max_iter, guess, engine)
    if fast is not None:
        return fast
    prep, species, n0, T, P = _validate(species, moles, T, P, components)
    r, off = _equilibrate(prep, species, n0, T, P, components, engine, tol, max_iter, guess)
    return _restore_elements(r, off, prep, species, n0, T, P, components, engine, tol, max_iter)


def _gas_lanes(species, moles, T, P, components, tol, max_iter, guess, engine) -> EquilibriumResult | None:
    """The usual batch in compiled passes (:mod:`carbonhub.thermo._eq_lanes`): a gas-only
    species list, no guess, every value valid, every case solvable and converged (off-balance
    cases re-solved as :func:`_restore_elements` does).
    The same numbers as the checked path; None where that path must run (it validates, names
    what is wrong, and handles the cases it does not solve)."""
    if guess is not None or max_iter < 1 or not isinstance(species, (list, tuple)) or not _use_numba(engine):
        return None
    prep, species = _species(species, components)
    if not prep.sub.is_gas.all() or np.ndim(T) > 1 or np.ndim(P) > 1:
        return None
    n0 = np.ascontiguousarray(np.atleast_2d(np.asarray(moles, dtype=float)))
    if n0.ndim != 2 or n0.shape[1] != len(species):
        return None
    from ._eq_kernel import NO_CONV, OFF_BALANCE, SINGULAR
    from ._eq_lanes import LANES, gas_inventory, solve_gas

    nc = n0.shape[0]
    T, P = (np.asarray(x, dtype=float) for x in (T, P))
    # writable contiguous (nc,) arrays, as the checked path passes: a read-only one (a broadcast
    # view) would make numba load a second specialisation of the kernel (~30 ms) at first use
    T, P = (np.full(nc, x.reshape(-1)[0]) if x.size == 1 and nc != 1 else np.ascontiguousarray(x) for x in (T, P))
    if T.shape != (nc,) or P.shape != (nc,) or not (T.flags.writeable and P.flags.writeable):
        return None
    bn, scale, good = gas_inventory(n0, prep.A, T, P, *prep.t_range)  # bn: (elements, cases)
    if not good:
        return None
    sub = prep.sub
    n, pi, it, code = solve_gas(prep.A, sub.low, sub.high, sub.tmid, sub.molar_volume, T, P, P_REF, R, bn,
                                float(tol), int(max_iter), LANES, ELEMENT_RTOL, scale)
    if code.any() and ((code == NO_CONV) | (code == SINGULAR)).any():
        return None
    r = EquilibriumResult(species, n, np.full(nc, "ok"), it, pi, prep.elements)
    if not code.any():
        return r
    return _restore_elements(r, code == OFF_BALANCE, prep, r.species, n0, T, P, components, engine, tol, max_iter)


def _restore_elements(r: EquilibriumResult, off, prep, species, n0, T, P, components, engine, tol, max_iter
                      ) -> EquilibriumResult:
    """One more Newton solve, warm from its own answer, for an "ok" case whose element balance
    is off by more than :data:`ELEMENT_RTOL` of any element's inventory. The convergence test
    scales the corrections by the total moles, so a trace element (S at 1e-4 of the gas) could
    stop 5e-7 off its own inventory; the Newton step restores the balance to second order. Per
    case, so a case's answer does not depend on its batch. ``off``: the cases the lanes kernel
    found off balance (it checks every case it returns), or None: checked here."""
    ok = r.status == "ok"
    if not ok.any():
        return r
    if off is None:
        b0 = rowdot(n0[ok], prep.A)
        err = np.abs(rowdot(r.moles[ok], prep.A) - b0)
        rows = np.flatnonzero(ok)[(err > ELEMENT_RTOL * b0).any(axis=1)]
    else:
        rows = np.flatnonzero(off & ok)
    if not rows.size:
        return r
    again, _ = _equilibrate(prep, species, n0[rows], T[rows], P[rows], components, engine, tol, max_iter,
                            r.moles[rows])
    status = r.status.astype(object)  # a longer reason than "ok" must not be truncated
    status[rows] = again.status
    r.moles[rows], r.status = again.moles, status.astype(str)
    r.iterations[rows] += again.iterations
    r.element_potentials[rows] = again.element_potentials
    return r


def _equilibrate(prep, species, n0, T, P, components, engine, tol, max_iter, guess
                 ) -> tuple[EquilibriumResult, np.ndarray | None]:
    """:func:`equilibrate` after validation, before :func:`_restore_elements`: the result and the
    cases found off their element balance (None where no kernel checked it)."""
    off = None
    if guess is not None:  # a case without a usable guess row starts cold, as it would alone
        g = np.asarray(guess, dtype=float)
        has = np.isfinite(g).all(axis=1) if g.shape == n0.shape else np.ones(n0.shape[0], dtype=bool)
        if not has.all():
            return _split_by_guess(species, n0, T, P, components, engine, tol, max_iter, g, has), None
    sub, A, elements = prep.sub, prep.A, prep.elements  # A: (ns, ne) over the elements held
    nc = n0.shape[0]
    ne = A.shape[1]
    b = rowdot(n0, A)  # (nc, ne), each case summed in index order: the same alone or in any batch
    scale = rowsum(b)
    empty = scale <= 0
    outside = ((T < prep.t_range[0]) | (T > prep.t_range[1])) & ~empty
    every = not (empty.any() or outside.any())
    # every case solvable (the usual batch): whole arrays rather than gathered copies
    work = slice(None) if every else np.flatnonzero(~empty & ~outside)
    if every or work.size:
        gmask = sub.is_gas
        bn = b[work] / scale[work, None]
        gs = None
        if guess is not None:
            gs = np.asarray(guess, dtype=float)
            if gs.shape != n0.shape:
                raise EquilibriumInputError(f"guess: expected shape {n0.shape} [mol], got {gs.shape}")
            gs = np.nan_to_num(gs[work], nan=0.0) / scale[work, None]
        if _use_numba(engine):
            c = np.ascontiguousarray
            if gmask.all() and gs is None and max_iter >= 1:  # gas only, cold start: states in lanes
                from ._eq_kernel import OFF_BALANCE
                from ._eq_lanes import LANES, solve_gas

                res_n, res_pi, res_it, code = solve_gas(
                    A, sub.low, sub.high, sub.tmid, sub.molar_volume, c(T[work]), c(P[work]), P_REF, R, c(bn.T),
                    float(tol), int(max_iter), LANES, ELEMENT_RTOL, np.ones(bn.shape[0]))
                off_w = code == OFF_BALANCE
                off = np.zeros(nc, dtype=bool)
                if off_w.any():
                    off[work] = off_w
                    code = np.where(off_w, 0, code)
            else:
                from ._eq_kernel import solve_batch

                res_n, res_pi, res_it, code = solve_batch(
                    A, c(gmask), sub.low, sub.high, sub.tmid, sub.molar_volume, c(T[work]), c(P[work]), P_REF, R,
                    c(bn), float(tol), int(max_iter), c(gs if gs is not None else np.zeros((1, 1))), gs is not None)
            if not code.any():  # every case converged: no per-case strings to build
                res_st = None
            else:
                res_st = np.array(["ok", f"no convergence in {max_iter} iterations",
                                   "singular Newton matrix (inconsistent element inventory?)"], dtype=object)[code]
        else:
            res_n, res_pi, res_it, res_st = _solve(A, gmask, _g_RT(sub, T[work], P[work]),
                                                   np.log(P[work] / P_REF), bn, tol, max_iter, gs)
        if res_st is None and every:  # all cases solved and converged
            return EquilibriumResult(species, res_n * scale[:, None], np.full(nc, "ok"), res_it, res_pi,
                                     elements), off
        status, iters = _unsolved_status(sub, T, empty, outside), np.zeros(nc, dtype=int)
        out = np.full(n0.shape, np.nan)
        pis = np.full((nc, ne), np.nan)
        out[work] = res_n * scale[work, None]
        pis[work] = res_pi
        iters[work] = res_it
        if res_st is not None:
            status[work] = res_st
        bad = status != "ok"
        out[bad] = np.nan
    else:
        status, iters = _unsolved_status(sub, T, empty, outside), np.zeros(nc, dtype=int)
        out, pis = np.full(n0.shape, np.nan), np.full((nc, ne), np.nan)
    return EquilibriumResult(species, out, status.astype(str), iters, pis, elements), off


def _split_by_guess(species, n0, T, P, components, engine, tol, max_iter, guess, has) -> EquilibriumResult:
    """:func:`equilibrate` of the cases with a finite guess row from it, the others from the
    cold start: each case's iteration is the one it follows alone (a missing row is not read as
    a guess of zeros, and one case's missing guess does not cold-start the others)."""
    parts = [(np.flatnonzero(has), guess[has]), (np.flatnonzero(~has), None)]
    res = [(rows, equilibrate(species, n0[rows], T[rows], P[rows], components=components, engine=engine,
                              tol=tol, max_iter=max_iter, guess=g)) for rows, g in parts if rows.size]
    r0 = res[0][1]
    out = EquilibriumResult(r0.species, np.full(n0.shape, np.nan), np.full(n0.shape[0], "", dtype=object),
                            np.zeros(n0.shape[0], dtype=int),
                            np.full((n0.shape[0], r0.element_potentials.shape[1]), np.nan), r0.elements)
    for rows, r in res:
        out.moles[rows], out.status[rows] = r.moles, r.status
        out.iterations[rows], out.element_potentials[rows] = r.iterations, r.element_potentials
    out.status = out.status.astype(str)
    return out


def _unsolved_status(sub: ComponentSet, T: np.ndarray, empty: np.ndarray, outside: np.ndarray) -> np.ndarray:
    """Per-case status before solving: "ok", or why a case is not solved (no atoms, T outside
    the NASA-7 data range)."""
    status = np.full(T.shape[0], "ok", dtype=object)
    status[empty] = "no atoms in the feed (all moles zero)"
    status[outside] = [_range_reason(sub, t) for t in T[outside]]
    return status


def _g_RT(sub: ComponentSet, T: np.ndarray, P: np.ndarray) -> np.ndarray:
    """mu°/RT of every species (n_cases, n_species) at T [K] and P [Pa]: g°/RT, plus
    v (P - P°)/RT for condensed species (incompressible, as Cantera's fixed-stoichiometry
    phases)."""
    g = sub.g0_RT(T)
    if sub.molar_volume.any():
        g = g + sub.molar_volume[None, :] * (P - P_REF)[:, None] / (R * T)[:, None]
    return g


def data_range(sub: ComponentSet) -> tuple[float, float]:
    """The temperatures [K] where every species' NASA-7 polynomials hold."""
    return (max(c.t_range[0] for c in sub.components), min(c.t_range[1] for c in sub.components))


def _range_reason(sub: ComponentSet, T: float) -> str:
    lo, hi = data_range(sub)
    limiting = [c.id for c in sub.components if (T < lo and c.t_range[0] == lo) or (T > hi and c.t_range[1] == hi)]
    return (f"T = {T:g} K is outside the NASA-7 data range [{lo:g}, {hi:g}] K of "
            f"{', '.join(limiting)}: no equilibrium computed")


def _use_numba(engine: str) -> bool:
    return use_numba(engine, EquilibriumInputError)


def _solve(A, gmask, g, lnP, b, tol, max_iter, guess=None):
    """Core CEA iteration on a batch (see module docstring). b is normalised (sum = 1)."""
    nc, ns = g.shape
    ne = A.shape[1]
    gi = np.flatnonzero(gmask)
    ci = np.flatnonzero(~gmask)
    Ag = A[gi]  # (ng, ne)
    Ac = A[ci]  # (ncd, ne)
    ng, ncd = gi.size, ci.size
    gg = g[:, gi]
    gc = g[:, ci]
    active_el = b > 1e-300
    # a species is allowed in a case when all its elements are present there
    allowed_g = ~((Ag[None, :, :] > 0) & ~active_el[:, None, :]).any(axis=2)
    allowed_c = ~((Ac[None, :, :] > 0) & ~active_el[:, None, :]).any(axis=2)
    n_allowed = rowsum(allowed_g)
    lnn = np.where(allowed_g, np.log(0.1 / np.maximum(n_allowed, 1))[:, None], _LN_MIN)
    lnN = np.full(nc, np.log(0.1))
    # condensed species start active (a carbon-rich inventory may have no gas-only solution);
    # one that ends with negative moles is dropped and the case re-converged
    cact = allowed_c.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        cap = np.where(Ac[None, :, :] > 0, b[:, None, :] / Ac[None, :, :], np.inf).min(axis=2)
    ncond = np.where(cact, 0.5 * np.where(np.isfinite(cap), cap, 0.0) / max(ncd, 1), 0.0)
    if ncd == 0 and guess is None:  # gas only: the linear-programming start (equilibrium_start)
        lp_lnn, lp_lnN, settled = lp_start(Ag, gg + lnP[:, None], b, allowed_g)
        lnn = np.where(settled[:, None], np.where(allowed_g, lp_lnn, _LN_MIN), lnn)
        lnN = np.where(settled, lp_lnN, lnN)
    if guess is not None:
        gg0 = np.maximum(guess[:, gi], 0.0)
        tot = rowsum(gg0)
        usable = tot > 0
        floor = 1e-12 * np.where(usable, tot, 1.0)
        lnn = np.where(usable[:, None] & allowed_g, np.log(np.maximum(gg0, floor[:, None])), lnn)
        lnN = np.where(usable, np.log(np.where(usable, tot, 1.0)), lnN)
        if ncd:
            gc0 = guess[:, ci]
            cact = np.where(usable[:, None], allowed_c & (gc0 > 0), cact)
            ncond = np.where(usable[:, None], np.where(cact, gc0, 0.0), ncond)

    out_n = np.zeros((nc, ns))
    out_pi = np.zeros((nc, ne))
    out_it = np.zeros(nc, dtype=int)
    out_st = np.full(nc, "ok", dtype=object)
    nodes = np.arange(nc)  # working set: original case indices
    it_count = np.zeros(nc, dtype=int)
    pi = np.zeros((nc, ne))
    crit_prev = np.full(nc, np.inf)
    lam_prev = np.zeros(nc)
    m = ne + ncd + 1
    AA = np.einsum("jk,ji->jki", Ag, Ag).reshape(ng, ne * ne)  # outer products a_j a_j^T

    for it in range(max_iter):
        if nodes.size == 0:
            break
        it_count += 1
        nj = np.where(allowed_g, np.exp(lnn), 0.0)  # (w, ng)
        N = np.exp(lnN)
        mu = gg + lnn - lnN[:, None] + lnP[:, None]  # mu/RT of gases
        mu = np.where(allowed_g, mu, 0.0)
        w = nj.shape[0]
        M = np.zeros((w, m, m))
        r = np.zeros((w, m))
        # element rows
        M[:, :ne, :ne] = (nj @ AA).reshape(w, ne, ne)
        bg = nj @ Ag  # (w, ne) element content of the gas
        if ncd:
            M[:, :ne, ne:ne + ncd] = (Ac.T[None, :, :] * cact[:, None, :])
            # condensed rows: sum_i a_ic pi_i = g_c (active), else Delta n_c = 0
            M[:, ne:ne + ncd, :ne] = Ac[None, :, :] * cact[:, :, None]
            idx = np.arange(ncd)
            M[:, ne + idx, ne + idx] = np.where(cact, 0.0, 1.0)
            r[:, ne:ne + ncd] = np.where(cact, gc, 0.0)
        M[:, :ne, m - 1] = bg
        bc = ncond @ Ac if ncd else 0.0
        r[:, :ne] = b - bg - bc + (nj * mu) @ Ag
        # total-moles row
        M[:, m - 1, :ne] = bg
        M[:, m - 1, m - 1] = rowsum(nj) - N
        r[:, m - 1] = N - rowsum(nj) + rowsum(nj * mu)
        # absent elements: pi_k = 0
        inact = ~active_el
        if inact.any():
            M[:, :ne, :] = np.where(inact[:, :, None], 0.0, M[:, :ne, :])
            M[:, :, :ne] = np.where(inact[:, None, :], 0.0, M[:, :, :ne])
            kk = np.arange(ne)
            M[:, kk, kk] = np.where(inact, 1.0, M[:, kk, kk])
            r[:, :ne] = np.where(inact, 0.0, r[:, :ne])
        try:
            x = np.linalg.solve(M, r[..., None])[..., 0]
            singular = ~np.isfinite(x).all(axis=1)
        except np.linalg.LinAlgError:
            x = np.zeros_like(r)
            singular = np.zeros(w, dtype=bool)
            for q in range(w):  # rare fallback: isolate the singular cases
                try:
                    x[q] = np.linalg.solve(M[q], r[q])
                except np.linalg.LinAlgError:  # minimum-norm step through the degeneracy
                    x[q] = np.linalg.lstsq(M[q], r[q], rcond=None)[0]
                    singular[q] = not np.isfinite(x[q]).all()
        pi = x[:, :ne]
        dlnN = x[:, m - 1]
        dnc = x[:, ne:ne + ncd]
        dlnn = -mu + pi @ Ag.T + dlnN[:, None]
        dlnn = np.where(allowed_g, dlnn, 0.0)
        # step control, RP-1311 eqs. (3.1)-(3.3)
        lnx = lnn - lnN[:, None]
        major = allowed_g & (lnx > _SIZE)
        big = np.maximum(5 * np.abs(dlnN), np.where(major, np.abs(dlnn), 0.0).max(axis=1))
        lam1 = np.where(big > 2.0, 2.0 / np.maximum(big, 1e-300), 1.0)
        minor = allowed_g & (lnx <= _SIZE) & (dlnn >= 0)
        den = dlnn - dlnN[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            l2 = np.abs((-lnx - _TRACE_TARGET) / den)
        l2 = np.where(minor & (den > 0), l2, np.inf).min(axis=1)
        lam = np.minimum(1.0, np.minimum(lam1, l2))
        lnn = np.where(allowed_g, np.maximum(lnn + lam[:, None] * dlnn, _LN_MIN), _LN_MIN)
        lnN = lnN + lam * dlnN
        if ncd:
            ncond = np.where(cact, ncond + lam[:, None] * dnc, 0.0)
        # convergence (scaled corrections, RP-1311 sec. 3.3, tightened)
        tot = rowsum(nj) + (rowsum(ncond) if ncd else 0.0)
        crit = np.maximum((nj * np.abs(dlnn)).max(axis=1) / tot, N * np.abs(dlnN) / tot)
        if ncd:
            crit = np.maximum(crit, np.where(cact, np.abs(dnc), 0.0).max(axis=1) / tot)
        conv = (lam == 1.0) & ~singular & ((crit < tol) | ((lam_prev == 1.0) & (crit < crit_prev) & (
            crit ** 3 < _QUADRATIC * tol * crit_prev ** 2)))
        crit_prev, lam_prev = crit, lam
        # condensed phase changes at convergence
        change = np.zeros(w, dtype=bool)
        if ncd and conv.any():
            neg = cact & (ncond < 0)
            drop = neg & conv[:, None]
            if drop.any():
                cact = cact & ~drop
                ncond = np.where(drop, 0.0, ncond)
                change |= drop.any(axis=1)
            test = (gc - pi @ Ac.T)  # g_c/RT - sum a_ic pi_i < 0 -> lowers G
            add = conv[:, None] & ~cact & allowed_c & (test < -1e-10) & ~neg
            if add.any():
                # take the most favourable one per case
                score = np.where(add, test, np.inf)
                pick = np.argmin(score, axis=1)
                addone = np.zeros_like(add)
                rows = np.flatnonzero(add.any(axis=1))
                addone[rows, pick[rows]] = True
                cact = cact | addone
                change |= add.any(axis=1)
        conv = conv & ~change
        fail = singular | ~np.isfinite(lnN) | ~np.isfinite(lnn).all(axis=1)
        done = conv | fail
        if done.any():
            d = np.flatnonzero(done)
            idx = nodes[d]
            full = np.zeros((d.size, ns))
            full[:, gi] = np.where(allowed_g[d], np.exp(lnn[d]), 0.0)
            if ncd:
                full[:, ci] = ncond[d]
            out_n[idx] = full
            out_pi[idx] = pi[d]
            out_it[idx] = it_count[d]
            out_st[idx[fail[d]]] = "singular Newton matrix (inconsistent element inventory?)"
            keep = ~done
            nodes = nodes[keep]
            lnn, lnN, ncond, cact = lnn[keep], lnN[keep], ncond[keep], cact[keep]
            allowed_g, allowed_c, active_el = allowed_g[keep], allowed_c[keep], active_el[keep]
            gg, gc, b, lnP, it_count = gg[keep], gc[keep], b[keep], lnP[keep], it_count[keep]
            crit_prev, lam_prev = crit_prev[keep], lam_prev[keep]
    if nodes.size:
        out_st[nodes] = f"no convergence in {max_iter} iterations"
        out_it[nodes] = max_iter
    return out_n, out_pi, out_it, out_st
