"""Per-case slopes of a recycle block's tear map: a Newton-Broyden start for every case.

A loop's tear map x -> g(x) has ~15 slow modes (waste_methanol_mto's inerts at 1 - purge = 0.97,
the reactor's equilibrium species at 0.5-0.95); Anderson acceleration learns about one of them per
pass, so a case takes 15-25 passes even from a start within 1e-4 of its fixed point. With the map's
Jacobian J at the case's own fixed point, a Newton step x + (I - J)^-1 (g - x) removes every mode at
once: measured on 200 cases of waste_methanol_mto, the chord iteration with each case's exact J takes
5.6 passes where Anderson takes 23.

The Jacobian costs d + 1 passes per case (d ~ 14-30 carried variables), more than it saves. It is
therefore measured once per flowsheet where :mod:`.firstguess` already solves it: at the defaults and
at each parameter point (+-5 % of a parameter, and each pair), by forward differences of one tear
pass over a batch of perturbed copies (:func:`point_jacobians`), in scaled variables (each flow over
its own size, down to 1e-6 of its stream's flow; T and P over themselves), so that J is a matrix of
elasticities, unchanged by a throughput scale. A case's J is the defaults' moved along its parameters
like its first guess (quadratic per parameter, bilinear per pair: :func:`case_jacobian`); its
median error against each case's own J at its fixed point is 4.6 % on waste_methanol_mto (the
defaults' J alone: 22 %).

The iteration (:class:`.recycle.TearAccelerator` with ``slopes``) starts every case from
H0 = (I - J)^-1 and takes quasi-Newton steps x + H (g - x) (scaled), updating H per case by
Broyden's ("good") rank-one update after every pass (Broyden 1965, Math. Comp. 19(92):577-593,
doi:10.1090/S0025-5718-1965-0198670-6), so that the interpolation error is corrected along the
directions the case explores; a case whose residual grows to ``recycle.GROWTH`` x its best (or whose
best has not halved in ``recycle.REFRESH_STALL`` passes) has its J measured again at its best iterate,
by the same forward differences over copies of the case inside its iteration (``REFRESHES``), and
goes on from there; one that grows again leaves for the Anderson step (whose history is kept from
the same passes) and its safeguards.

A loop solved with the design spec that wraps it (:mod:`.joint`: biomass_ft's FT/reformer loop and
its firing spec) has its J over the iterated tears and the spec's variable u: the measuring pass
runs the spec's units around the loop and returns G(u) beside the tears
(:func:`carbonhub.core.solver.tear_pass`), u scaled by the spec's range as in the iteration; a
passive tear (:mod:`.passive`) is left out as in the iteration. biomass_ft at N = 10^4: 15.6 -> 6.2
mean passes (benchmarks/solver_issue14.md).
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from . import firstguess, passive
from ._broyden_kernel import inverse_rows, moved_rows
from ..thermo.engine import use_numba
from .recycle import SLOPE_FLOOR, variable_scale

STEP = 1e-6
"""Forward-difference step, relative to each variable's scale."""
PAYS_ABOVE = 4.0
"""A loop takes the slopes only where Anderson alone needs more than this many tear passes, on
average, at the first guess's points (each parameter moved by ``firstguess.STEP``, and each pair;
solved from the defaults' tears before any slope is known): :func:`pays`. Measured at those points
(mean passes by Anderson) and at N = 10^4 of each benchmark's cases (mean passes Anderson ->
slopes): the BioSTEAM comparison's fixed-conversion loop (7 variables) 2.57 at its points, 5.68 ->
6.96 in the batch (the slopes lose); co2_methanol_mto 9.0, 10.4 -> 5.5; waste_methanol_mto 20.6,
23.3 -> 15.9; biomass_methanol 20.0, 19.8 -> 7.6; the 1 %-purge loop of tests/core/test_recycle.py
12.0, 11.0 -> 7.0 (benchmarks/solver_issue14.md). A loop Anderson
solves in a few passes spans its few modes in its history before an interpolated slope has been
corrected by Broyden's updates (the best slopes measured took 3.0 passes: cases within half
the points' slope change of the defaults)."""
REFRESHES = 1
"""Times a case on Broyden steps whose residual grows to ``recycle.GROWTH`` x its best (or stalls,
``recycle.REFRESH_STALL``) has its slopes measured again at its best iterate (forward differences
over copies of the case, on the variables the map depends on: :meth:`.recycle.TearAccelerator.refresh`)
before it leaves for Anderson's steps. Measured on 2,000 of waste_methanol_mto's benchmark cases
(REFRESH_STALL 3; mean / max loop passes): once 12.80 / 62, twice 12.90 / 65."""
MAX_PASSES = 100
"""Passes a case may take with the slopes before it is solved again by Anderson alone
(:func:`.solver.solve_block`; on the benchmark's cases the most a case converged in was 71, and 2
of 10,000 waste_methanol_mto cases stalled near residual 1)."""


def carried(X: np.ndarray, widths: list[int]) -> np.ndarray:
    """Full-vector indices of the variables a slope is measured on: the flows nonzero in some row
    of ``X`` (n, d_full), every tear's T and P, and the variables after the tears (a joint design
    spec's, :mod:`.joint`)."""
    keep = (X != 0).any(axis=0)
    o = 0
    for w in widths:
        keep[o + w - 2:o + w] = True
        o += w
    keep[o:] = True
    return np.flatnonzero(keep)


def jacobian(tear_pass, X: np.ndarray, cols: np.ndarray, widths: list[int],
             extra_scale: float | None = None, act: np.ndarray | None = None) -> np.ndarray:
    """Scaled Jacobian (n, d, d) of the tear map over variables ``cols`` at each row of ``X``
    (n, d_full), a fixed point of the map: J[i, a, b] = d(g_a / s_a) / d(x_b / s_b), s the
    variables' scale (:func:`.recycle.variable_scale`, floor ``SLOPE_FLOOR``) at X; a design-spec
    variable after the tears (:mod:`.joint`) scaled by ``extra_scale`` (as the accelerator's).
    ``tear_pass(rows, Xp)`` runs one pass of the block for the cases ``rows`` (row positions
    into X, repeated) at tears ``Xp`` and returns their g. ``act``: the positions in ``cols`` of the
    variables the map depends on (the others' columns of J are zero and not measured; default
    all)."""
    n, d = X.shape[0], cols.size
    a = np.arange(d) if act is None else np.asarray(act, dtype=np.int64)
    S = variable_scale(X, widths, SLOPE_FLOOR)
    if extra_scale is not None:
        S[:, sum(widths):] = extra_scale
    Xp = np.repeat(X[:, None, :], a.size + 1, axis=1)
    Xp[:, np.arange(a.size) + 1, cols[a]] += STEP * S[:, cols[a]]
    G = tear_pass(np.repeat(np.arange(n), a.size + 1), Xp.reshape(n * (a.size + 1), -1)).reshape(n, a.size + 1, -1)
    Gs = G[:, :, cols] / S[:, None, cols]
    J = np.zeros((n, d, d))
    J[:, :, a] = ((Gs[:, 1:, :] - Gs[:, :1, :]) / STEP).transpose(0, 2, 1)
    return J


def point_jacobians(blocks, tears_of, tear_pass) -> dict:
    """{block key: J (rows, d, d)} for the recycle ``blocks`` (:func:`loop_blocks`) of a solved run:
    ``tears_of(loop, joint)`` gives the run's iterated vector (rows, d_full): the tears ``loop``
    and the joint spec's variable, ``tear_pass(block, rows, Xp)`` one pass (:func:`jacobian`)."""
    out = {}
    for b in blocks:
        key, _, _, cols, widths, loop, joint = b
        X = tears_of(loop, joint)
        J = jacobian(lambda r, Xp, b=b: tear_pass(b, r, Xp), X, cols, widths, None if joint is None else joint.scale)
        out[key] = np.where(np.isfinite(J), J, 0.0)
    return out


def pays(points: dict, key: str) -> bool:
    """Whether block ``key`` takes the slopes: Anderson's mean tear passes at the first guess's
    ``points`` (:func:`.firstguess.solve_points`, the defaults left out) above ``PAYS_ABOVE``. The
    points depend on the parameters a run sets, never on its other cases: a case takes the same
    steps alone as in any batch."""
    got = [pt["passes"][key] for name, pt in points.items() if name and pt and key in pt.get("passes", {})]
    return bool(got) and float(np.concatenate(got).mean()) > PAYS_ABOVE


def case_jacobian(run, key: str, idx: np.ndarray, loop: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(cols, J (n, d, d), act): each case's J of block ``key`` over the variables ``cols``, the
    defaults' (``run.guess_slopes``) moved along the case's parameters (:func:`.firstguess._moved`,
    the points' J in ``run.guess_points``), and the positions ``act`` of the variables the map
    depends on (J's columns nonzero at the defaults or in a term: the same for every case; on
    waste_methanol_mto 12 of 28, the others are the tears' variables no unit of the pass reads),
    or None when the defaults' J is not known, was measured over other iterated tears than
    ``loop`` (a tear passive at the defaults but not here, :mod:`.passive`) or the slopes do not
    pay in this block (:func:`pays`). Only J's entries nonzero at the defaults or in a term are
    summed."""
    base = getattr(run, "guess_slopes", None)
    if (not base or key not in base or (getattr(run, "slope_loops", None) or {}).get(key) != tuple(loop)
            or not pays(getattr(run, "guess_points", None) or {}, key)):
        return None
    cols, J0 = base[key]
    d = J0.shape[0]

    def change(pt):
        got = pt.get("slopes", {}).get(key)
        return None if got is None else (got - J0[None]).reshape(got.shape[0], -1)

    fac, coef = firstguess.moved_terms(run, idx, change)
    F = np.stack(fac) if fac else np.zeros((0, idx.size))  # (terms, n)
    C = np.stack(coef) if coef else np.zeros((0, d * d))
    live = (J0.ravel() != 0) | (C != 0).any(axis=0)
    act = np.flatnonzero(live.reshape(d, d).any(axis=0))
    if use_numba():
        e = np.flatnonzero(live)
        J = np.zeros((idx.size, d * d))
        part = np.empty((idx.size, e.size))
        moved_rows(F, np.ascontiguousarray(C[:, e]), J0.ravel()[e], part)
        J[:, e] = part
    else:  # the readable reference: the terms summed in the same order
        acc = np.zeros((idx.size, d * d))
        for t in range(F.shape[0]):
            acc = acc + F[t, :, None] * C[t]
        J = J0.ravel() + acc
    return cols, J.reshape(idx.size, d, d), act


def start(J: np.ndarray, cols: np.ndarray, layout_cols: np.ndarray, act: np.ndarray | None = None) -> np.ndarray:
    """H0 (n, dc, dc) on the iteration's carried variables ``layout_cols`` (full-vector indices):
    (I - J)^-1 over J's variables ``cols``, taken at the carried ones (a variable of ``cols`` the
    batch does not carry is zero in every case: its column multiplies a zero residual), the
    identity (a plain substitution) for a carried variable J does not know. Inverted over
    ``cols`` whatever the batch carries, so that a case's steps do not depend on its batch.

    ``act``: the positions of J's columns that may be nonzero (the variables the map depends on,
    :func:`case_jacobian`); with the others Z zero, (I - J)^-1 = [[P, 0], [J_ZA P, I]] with
    P = (I - J_AA)^-1, so only the (act x act) block is inverted (12 of 28 variables on
    waste_methanol_mto: 8 % of the whole inverse's work)."""
    n, d, dc = J.shape[0], cols.size, layout_cols.size
    if use_numba():
        P = np.empty((n, d, d))
        inverse_rows(J, np.arange(d) if act is None else np.asarray(act, dtype=np.int64), P)
    else:  # the readable reference: the whole inverse, the identity where singular
        eye = np.eye(d)
        P = np.repeat(eye[None], n, axis=0)
        for i in range(n):
            try:
                Pi = np.linalg.inv(eye - J[i])
            except np.linalg.LinAlgError:
                continue
            if np.isfinite(Pi).all():
                P[i] = Pi
    pos = np.searchsorted(cols, layout_cols)
    known = (pos < d) & (cols[np.minimum(pos, d - 1)] == layout_cols)
    if dc == d and known.all():  # the same variables (both ascending)
        return P
    a = np.flatnonzero(known)
    H = np.zeros((n, dc, dc))
    H[:, np.arange(dc), np.arange(dc)] = 1.0
    H[:, a[:, None], a[None, :]] = P[:, pos[a][:, None], pos[a][None, :]]
    return H


def loop_blocks(fs, warm: dict, joints=()) -> list[tuple]:
    """The recycle blocks a slope is measured for: [(key, units, tears, cols, widths, loop, joint)],
    each block with tears in the defaults' solution ``warm`` (:mod:`.warmstart`): a block with no
    design spec's varied or measured unit inside, and each block a spec is solved with
    (``joints``: [(joint spec, units, tears)], :meth:`.joint.JointSpec.plan`), its J then over the
    tears and the spec's variable. ``loop`` the tears iterated (a passive tear at the defaults left
    out, :mod:`.passive`), ``cols`` the variables carried at the defaults (:func:`carried`)."""
    nc = len(fs.components)
    at_defaults = SimpleNamespace(overrides={})  # a run at the defaults: no parameter set
    out = []
    spec_blocks = {",".join(t): j for j, _, t in joints}
    for units, tears in fs.order():
        key = ",".join(tears)
        if not tears or key not in warm:
            continue
        joint = spec_blocks.get(key)
        if joint is None and any(sp.vary.split(".", 1)[0] in units or sp.measured_unit in units for sp in fs.specs):
            continue
        pas = passive.of_block(fs, at_defaults, units, tears, np.arange(1))
        loop = tuple(t for t in tears if t not in pas) if len(pas) < len(tears) else tuple(tears)
        widths = [nc + 2] * len(loop)
        s = warm[key][0]
        X0 = np.concatenate([np.concatenate([s[t].flow, s[t].T[:, None], s[t].P[:, None]], axis=1) for t in loop]
                            + ([] if joint is None else [np.full((1, 1), joint.start)]), axis=1)
        out.append((key, units, tears, carried(X0, widths), widths, loop, joint))
    return out


def full_index(cols: np.ndarray, width: int, comps: np.ndarray | None, nc: int, n_tears: int | None = None) -> np.ndarray:
    """Indices in the whole-set tear vector (tears of ``nc`` + 2 variables) of an iteration's
    variables ``cols`` over tears of ``width`` variables whose flows are the components ``comps``
    (:mod:`.narrow`; None: the whole set); with ``n_tears``, the variables after those tears (a
    joint spec's) follow the whole-set tears."""
    extra = np.zeros(cols.size, dtype=bool) if n_tears is None else cols >= n_tears * width
    t, r = np.divmod(np.where(extra, 0, cols), width)
    ns = width - 2
    comp = np.arange(nc) if comps is None else np.asarray(comps)
    inner = t * (nc + 2) + np.where(r < ns, comp[np.minimum(r, ns - 1)], nc + r - ns)
    return np.where(extra, cols - (0 if n_tears is None else n_tears) * (width - nc - 2), inner)
