"""Tear-stream acceleration, per case: Anderson acceleration with safeguards, Wegstein fallback.

A recycle block is a fixed-point problem x = g(x) in the tear variables (component flows, T and
P of every tear stream). Each case (row) is iterated on its own; every operation here works
along the variable axis of a row, so a case follows exactly the iterates it would follow alone.

``anderson`` (default): Anderson acceleration (type II, memory ``m``; Walker & Ni 2011,
SIAM J. Numer. Anal. 49(4):1715-1735, doi:10.1137/10078356X) in *scaled* variables (each
variable divided by its own size, trace components by a floor of ``TRACE_FLOOR`` of their
stream's flow, T and P by themselves), with the safeguards that make it robust on equilibrium
loops:

* a case whose tears start empty takes ``WEGSTEIN_FIRST`` Wegstein steps after the first
  substitution (exact in a few steps for loops whose variables recycle independently, e.g.
  fixed-conversion loops, and a good way to fill an empty loop; their iterates fill Anderson's
  history, any sequence of (x, g(x)) pairs serves); a case that starts from a guess (the
  flowsheet's own solution at its defaults, :mod:`.warmstart`, or a design-spec iterate) takes
  ``WEGSTEIN_FIRST_WARM`` (none). Measured at +-10 % around the defaults, mean tear passes with
  6 Wegstein steps -> none from the warm start: co2_methanol_mto 18.9 -> 14.2,
  waste_methanol_mto 41.6 -> 38.5, biomass_methanol 32.9 -> 31.0, biomass_ft 30.6 -> 28.0,
  the BioSTEAM comparison's fixed-conversion loop 7.4 -> 6.0; from empty tears the test loop of
  tests/core/test_recycle.py needs 22.6 with them and 33 without;
* a small Tikhonov term in the least-squares problem (ill-conditioned differences), on the
  differences normalised to unit length: relative to each difference's own size, so that the
  small differences of the last passes are not regularised away beside the large early ones
  still in the memory (on the whole Gram matrix's trace they were: waste_methanol_mto's inert
  Ar and CH4 stalled near 1e-8 until the early differences left the memory; mean passes at
  +-10 % around the defaults: waste_methanol_mto 38.1 -> 32.4, co2_methanol_mto 14.2 -> 13.1);
* step control: the accelerated point moves at most ``STEP_MAX`` (scaled, per variable) away
  from the plain substitution g(x), and flows stay >= 0;
* restart: when a case's residual grows above ``RESTART_GROWTH`` x its best, or when it stalls
  (its best residual, on the convergence test's scale, has not halved in ``STALL_WINDOW``
  iterations), its history is cleared (and its scaling refreshed) and it takes a plain
  substitution step;
* fallback: a case that stalls again after ``STALLS_TO_WEGSTEIN`` such restarts continues with
  Wegstein's method (below) until it converges.

With per-case slopes of the loop map (``slopes``: H0 ~ (I - J)^-1 per case, :mod:`.slopes`,
measured where the first guess solves its points; only in a loop where Anderson alone needs more
than :data:`.slopes.PAYS_ABOVE` passes at those points), a case takes Broyden steps x + H (g - x) in
scaled variables, H updated by Broyden's good rank-one update after each pass
(:func:`._broyden_kernel.broyden_rows`), while its Anderson history fills from the same passes; a
case whose residual grows to ``GROWTH`` x its best leaves for the Anderson steps above (a step
takes a flow at most down to ``FLOW_FLOOR`` x its g), unless it has not yet had its slopes measured
again: then (as when its best has not halved in ``REFRESH_STALL`` passes) J is measured at its best
iterate by forward differences over copies of the case (:meth:`TearAccelerator.refresh`, run by the
solver inside the narrowed iteration) and it goes on from there with H = (I - J)^-1. Measured
at N = 10^4 around the defaults (mean tear passes): waste_methanol_mto 23.3 -> 15.9,
biomass_methanol 19.8 -> 7.6, co2_methanol_mto 10.5 -> 5.5 (benchmarks/solver_issue14.md).

The Anderson step (history, Gram matrix, least squares, step control) runs per case in one
compiled pass (:mod:`._anderson_kernel`, numba); ``TearAccelerator._anderson_numpy`` is its
readable numpy reference (``CARBONHUB_NUMBA=0``, or ``engine="numpy"``).

``wegstein``: the bounded Wegstein method of carbonhub's first solver, per variable, with
q in [Q_MIN, Q_MAX] (Wegstein 1958, Commun. ACM 1(6):9-13, doi:10.1145/368861.368871).

The convergence test (:func:`tear_error`) estimates each case's distance from the fixed point
per variable, relative to the variable (flows down to 1e-6 of the stream's flow, T, P), so that
a slowly contracting loop is not stopped early: for Wegstein |g - x| / (1 - s) with s the
observed slope of the variable; for Anderson the larger of |g - x| and the accelerated step's
distance from g (a multisecant quasi-Newton estimate of x* - g).
"""
from __future__ import annotations

import numpy as np

from ..thermo.engine import use_numba
from ._anderson_kernel import anderson_rows
from ._broyden_kernel import broyden_rows
from .tearlayout import TearLayout
from ..thermo.rowdot import rowdot, rowsum

METHODS = ("anderson", "wegstein")
Q_MIN, Q_MAX = -20.0, 0.0
MEMORY = 12
TRACE_FLOOR = 1e-12
STEP_MAX = 5.0
RESTART_GROWTH = 1e3
STALL_WINDOW = 20
REG = 1e-12
WEGSTEIN_FIRST = 6
WEGSTEIN_FIRST_WARM = 0
STALLS_TO_WEGSTEIN = 3
SLOPE_FLOOR = 1e-6
"""Scale floor of a trace flow in the Broyden steps and the slopes (:mod:`.slopes`), as a fraction
of its stream's flow (the convergence test's)."""
GROWTH = 10.0
"""A case whose scaled residual exceeds this multiple of its best leaves the Broyden steps."""
FLOW_FLOOR = 0.3
"""A Broyden step takes a flow at most down to this fraction of its g (0 where g is 0). Clamped at 0,
a trace or even a main component that a step drove negative came back whole in the next pass (a
relative error of 1 for several passes: waste_methanol_mto's low-capture cases). Measured on 2,000
of the routes' benchmark cases (waste_methanol_mto, mean / max loop passes, with the far points of
:mod:`.firstguess`): floor 0 15.95 / 139, 0.03 15.70 / 140, 0.1 14.85 / 67, 0.3 14.81 / 59,
0.5 15.46 / 73 (benchmarks/solver_issue14.md). Anderson's steps keep their clamp at 0 (the same
floor there: no change)."""
REFRESH_STALL = 8
"""A case on Broyden steps whose best scaled residual has not halved in this many passes has its
slopes measured again at its best iterate, as one whose residual grew to ``GROWTH`` x its best
(:meth:`TearAccelerator.refresh`; ``slopes.REFRESHES`` times at most). Measured on the routes'
10^4 benchmark cases (waste_methanol_mto, mean / max loop passes, the measuring pass counted as
one; cases refreshed; case evaluations per case with the measuring copies): no refresh
14.74 / 135, 0, 14.74; on growth only 13.19 / 62, 1,016, 14.41; on growth or no halving in 5 / 8
passes 12.83 / 60, 1,557, 14.70 and 12.93 / 62, 1,190, 14.36 (benchmarks/solver_issue14.md)."""


def slices(widths: list[int]):
    """(offset, width) of each tear in the tear vector."""
    o = 0
    for w in widths:
        yield o, w
        o += w


def variable_scale(g: np.ndarray, widths: list[int], floor: float = TRACE_FLOOR) -> np.ndarray:
    """Size of every tear variable per case: |flow| down to ``floor`` x the stream's flow,
    |T| and |P| down to 1; columns after the tears (design-spec variables) 1."""
    s = np.ones_like(g)
    for o, w in slices(widths):
        nf = w - 2
        f = np.abs(g[:, o:o + nf])
        total = f.sum(axis=1, keepdims=True)
        s[:, o:o + nf] = np.maximum(f, np.maximum(floor * total, 1e-300))
        s[:, o + nf:o + w] = np.maximum(np.abs(g[:, o + nf:o + w]), 1.0)
    return s


def tear_error(x: np.ndarray, g: np.ndarray, widths: list[int], dist=None,
               elements: np.ndarray | None = None) -> np.ndarray:
    """Estimated relative distance of each case's tears from the fixed point: ``dist`` per
    variable (|g - x| when not given), relative to the variable (see module doc). With the
    component set's ``elements`` matrix (n_components, n_elements) every element's flow in each
    tear is also converged relative to itself, so that trace elements (S, Cl in a loop gas) meet
    the element balances whatever their components' share of the flow."""
    err = np.zeros(x.shape[0])
    d = np.abs(g - x) if dist is None else dist
    for o, w in slices(widths):
        nf = w - 2
        fx, fg = x[:, o:o + nf], g[:, o:o + nf]
        floor = np.maximum(1e-6 * np.abs(fg).sum(axis=1, keepdims=True), 1e-300)
        e_flow = (d[:, o:o + nf] / np.maximum(np.abs(fg), floor)).max(axis=1)
        e_T = d[:, o + nf] / np.maximum(np.abs(g[:, o + nf]), 1.0)
        e_P = d[:, o + nf + 1] / np.maximum(np.abs(g[:, o + nf + 1]), 1.0)
        # an empty tear (no flow both ways) is converged in flow
        e_flow = np.where(rowsum(np.abs(fg)) + rowsum(np.abs(fx)) == 0, 0.0, e_flow)
        err = np.maximum(err, np.maximum(e_flow, np.maximum(e_T, e_P)))
        if elements is not None:
            num = rowdot(d[:, o:o + nf], elements)
            den = rowdot(np.abs(fg), elements)
            e_el = np.where(num > 0, num / np.maximum(den, 1e-300), 0.0).max(axis=1)
            err = np.maximum(err, e_el)
    return np.nan_to_num(err, nan=np.inf)


def wegstein_step(x, g, x_prev, g_prev):
    """Bounded Wegstein step per variable; (next x, estimated distance |g - x| / (1 - s) of g
    from the fixed point, s the observed slope of the variable)."""
    dx = x - x_prev
    dg = g - g_prev
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(np.abs(dx) > 1e-300, dg / dx, 0.0)
        q = np.where(np.abs(s - 1) > 1e-12, s / (s - 1), 0.0)
    q = np.clip(np.nan_to_num(q), Q_MIN, Q_MAX)
    xn = q * x + (1 - q) * g
    amp = 1.0 / (1.0 - np.clip(np.nan_to_num(s), 0.0, 0.999))
    return xn, np.abs(g - x) * amp


def broyden_numpy(H, rows, on, update, x, x_prev, f, f_prev, s, g, step_max, floor, is_flow, xn, dist):
    """The readable reference of :func:`._broyden_kernel.broyden_rows` (same arguments)."""
    r = np.flatnonzero(on)
    if update and r.size:
        Hr = H[rows[r]]
        dx, df = (x[r] - x_prev[r]) / s[r], f[r] - f_prev[r]
        Hdf = np.einsum("nab,nb->na", Hr, df)
        xH = np.einsum("na,nab->nb", dx, Hr)
        den = (xH * df).sum(axis=1)
        size = np.sqrt((dx * dx).sum(axis=1) * (Hdf * Hdf).sum(axis=1))
        ok = np.isfinite(den) & (np.abs(den) > 1e-14 * size)
        with np.errstate(all="ignore"):
            u = -(dx + Hdf) / np.where(ok, den, 1.0)[:, None]
        H[rows[r]] = Hr + np.where(ok[:, None, None], u[:, :, None] * xH[:, None, :], 0.0)
    step = np.einsum("nab,nb->na", H[rows[r]], f[r])
    big = np.abs(step).max(axis=1, initial=0.0)
    step *= np.minimum(1.0, step_max / np.maximum(big, 1e-300))[:, None]
    v = x[r] + step * s[r]
    v = np.where(is_flow[None, :] & ((v < floor * g[r]) | (g[r] == 0.0)), floor * g[r], v)
    xn[r] = v
    dist[r] = np.maximum(np.abs(g[r] - x[r]), np.abs(v - g[r]))


class TearAccelerator:
    """Per-case state of the tear iteration of one block (rows = the block's active cases).

    ``step(x, g)`` returns the next iterate and the estimated distance of g from the fixed
    point per variable (for :func:`tear_error`);
    ``keep(mask)`` drops the rows of cases that left (converged or failed).

    ``extra_scale`` (n, k): k variables after the tears (design-spec variables solved with the
    tears, :mod:`.joint`), each with its own fixed size per case; not flows, not in
    :func:`tear_error`."""

    def __init__(self, method: str, widths: list[int], n: int, memory: int = MEMORY, engine: str = "auto",
                 extra_scale: np.ndarray | None = None, layout: TearLayout | None = None,
                 slopes: np.ndarray | None = None):
        if method not in METHODS:
            raise ValueError(f"recycle method {method!r}: expected one of {', '.join(METHODS)}")
        self.method, self.widths, self.m = method, widths, memory
        self.compiled = use_numba(engine)
        self.extra_scale = extra_scale
        n_extra = 0 if extra_scale is None else extra_scale.shape[1]
        # x and g are the layout's carried variables (all of them without a layout)
        self.layout = TearLayout(widths, n_extra) if layout is None else layout
        d = self.layout.size
        self.flow_cols, self.is_flow = self.layout.flow_cols, self.layout.is_flow
        self.x_prev = self.g_prev = None
        self.wegstein = np.full(n, method == "wegstein")
        if method == "anderson":
            # history per case, stored in row rows[i] for active case i (cases that leave
            # only drop out of ``rows``: the large arrays are not copied)
            self.dF = np.zeros((n, memory, d))
            self.dG = np.zeros((n, memory, d))
            self.A = np.zeros((n, memory, memory))  # dF dF^T
            self.rows = np.arange(n)
            self.used = np.zeros(d, dtype=np.bool_)  # variables nonzero in some case, ever
            self.k = np.zeros(n, dtype=int)  # valid history columns
            self.pos = np.zeros(n, dtype=int)  # next ring slot
            self.scale = None
            self.f_prev = None  # scaled residual of the previous iterate
            self.best = np.full(n, np.inf)
            self.since = np.zeros(n, dtype=int)  # iterations since best halved
            self.restarts = np.zeros(n, dtype=int)
            self.its = np.zeros(n, dtype=int)  # accelerated steps taken
            self.first = np.full(n, WEGSTEIN_FIRST)  # Wegstein steps first (set at the start)
            self.stalls = np.zeros(n, dtype=int)
        # Broyden steps from per-case slopes (:mod:`.slopes`): H (n, d, d) ~ (I - J)^-1 scaled
        self.H = slopes if method == "anderson" else None
        if self.H is not None:
            self.hrow = np.arange(n)  # row of H of each active case (H itself is not copied)
            self.newton = np.ones(n, dtype=bool)  # cases on Broyden steps
            self.bs = self.bf = None  # the Broyden steps' fixed scale, last scaled residual
            self.bbest = np.full(n, np.inf)
            # the best iterate of each case on Broyden steps (x, g), its slopes measured again
            # there once when it would leave (``refreshes``, :meth:`refresh`)
            self.xbest = self.gbest = None
            self.refreshed = np.zeros(n, dtype=int)
            self.bsince = np.zeros(n, dtype=int)  # passes since the best halved
            self.wanted = np.zeros(0, dtype=int)
        self.refreshes = 0

    def widen(self, pos: np.ndarray, g: np.ndarray) -> None:
        """The layout carries more variables (:meth:`TearLayout.grow`): ``pos`` are the new
        positions of the variables carried so far, ``g`` the current (widened) values. The new
        variables were zero in every earlier x and g, so their history entries are zero; they
        are scaled as a trace flow of their tear now (``TRACE_FLOOR`` x the tear's flow)."""
        lay = self.layout
        d = lay.size
        self.flow_cols, self.is_flow = lay.flow_cols, lay.is_flow

        def wide(a, fill=0.0):
            if a is None:
                return None
            out = np.full(a.shape[:-1] + (d,), fill)
            out[..., pos] = a
            return out

        self.x_prev, self.g_prev = wide(self.x_prev), wide(self.g_prev)
        if self.method != "anderson":
            return
        if self.H is not None:  # a new variable is substituted (H's identity) until updated
            self.xbest, self.gbest = wide(self.xbest), wide(self.gbest)
            H = np.zeros((self.hrow.size, d, d))
            H[:, np.arange(d), np.arange(d)] = 1.0
            H[:, pos[:, None], pos[None, :]] = self.H[self.hrow]
            self.H, self.hrow, self.bf = H, np.arange(self.hrow.size), wide(self.bf)
            if self.bs is not None:
                bs = self._scale(g, SLOPE_FLOOR)
                bs[:, pos] = self.bs
                self.bs = bs
        self.dF, self.dG, self.f_prev = wide(self.dF), wide(self.dG), wide(self.f_prev)
        self.used = wide(self.used, False)
        if self.scale is not None:
            s = self._scale(g)
            s[:, pos] = self.scale
            self.scale = s

    # -- bookkeeping ---------------------------------------------------------------------
    def keep(self, mask: np.ndarray) -> None:
        if mask.all():
            return
        for name in ("x_prev", "g_prev", "wegstein", "rows", "k", "pos", "scale", "f_prev",
                     "best", "since", "restarts", "its", "stalls", "extra_scale", "first",
                     "hrow", "newton", "bs", "bf", "bbest", "xbest", "gbest", "refreshed", "bsince"):
            v = getattr(self, name, None)
            if v is not None:
                setattr(self, name, v[mask])

    def _scale(self, g: np.ndarray, floor: float = TRACE_FLOOR, rows=slice(None)) -> np.ndarray:
        """:func:`variable_scale` of the carried tear variables, and the extra variables' own
        sizes."""
        return self.layout.scale(g, floor, None if self.extra_scale is None else self.extra_scale[rows])

    def _scaled_max(self, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        """Each case's largest |g - x| on the convergence test's scale (trace flows down to 1e-6
        of their stream): ``(|g - x| / _scale(g, 1e-6)).max(axis=1)``, compiled
        (:meth:`.tearlayout.TearLayout.scaled_max`)."""
        return self.layout.scaled_max(x, g, 1e-6, self.extra_scale, "numba" if self.compiled else "numpy")

    # -- the step ------------------------------------------------------------------------
    def step(self, x: np.ndarray, g: np.ndarray):
        if self.method == "anderson":
            self.used |= (x != 0).any(axis=0) | (g != 0).any(axis=0)
        if self.x_prev is None:  # first evaluation: plain substitution
            xn, dist = g.copy(), None
            if self.method == "anderson":
                self.scale = self._scale(g)
                self.f_prev = (g - x) / self.scale
                self.best = self._scaled_max(x, g)
                empty = (x[:, self.flow_cols] == 0).all(axis=1)
                self.first = np.where(empty, WEGSTEIN_FIRST, WEGSTEIN_FIRST_WARM)
        elif self.method == "wegstein":
            xn, dist = wegstein_step(x, g, self.x_prev, self.g_prev)
        else:
            xn, dist = self._anderson(x, g)
        if self.H is not None:
            xn, dist = self._broyden(x, g, xn, dist)
        self.x_prev, self.g_prev = x, g
        return xn, dist

    def _broyden(self, x, g, xn, dist):
        """Broyden steps x + H (g - x) (scaled) for the cases still on them (:mod:`.slopes`): H
        updated by the last pass's secant pair; a case whose residual grew to ``GROWTH`` x its
        best (or became non-finite) leaves for the Anderson step ``xn`` computed beside it."""
        if self.bs is None:
            self.bs = self._scale(g, SLOPE_FLOOR)
        if dist is None:
            dist = np.abs(g - x)
        s = self.bs
        f = (g - x) / s
        fn = np.abs(f).max(axis=1)
        leave = ~((fn <= GROWTH * self.bbest) & np.isfinite(fn))
        # a case that would leave takes its slopes measured again at its best iterate instead
        # (the first ``refreshes`` times; :meth:`refresh`, run by the solver after this pass)
        halved = fn < 0.5 * self.bbest
        self.bsince = np.where(halved, 0, self.bsince + 1)
        self.wanted = np.flatnonzero(self.newton & (leave | (self.bsince >= REFRESH_STALL))
                                     & (self.refreshed < self.refreshes) & np.isfinite(self.bbest))
        leave[self.wanted] = False
        self.newton &= ~leave
        if self.refreshes:
            better = (fn < self.bbest)[:, None]
            self.xbest = np.where(better, x, x if self.xbest is None else self.xbest)
            self.gbest = np.where(better, g, g if self.gbest is None else self.gbest)
            self.bsince[self.wanted] = 0
        self.bbest = np.minimum(self.bbest, fn)
        xb, db = np.empty_like(x), np.empty_like(x)
        args = (self.H, self.hrow, self.newton, self.bf is not None, x, x if self.x_prev is None else self.x_prev, f,
                f if self.bf is None else self.bf, s, g, STEP_MAX, FLOW_FLOOR, self.is_flow, xb, db)
        (broyden_rows if self.compiled else broyden_numpy)(*args)
        self.bf = f
        xn = np.where(self.newton[:, None], xb, xn)
        dist = np.where(self.newton[:, None], db, dist)
        return xn, dist

    def refresh(self, H: np.ndarray, S: np.ndarray, xn: np.ndarray) -> None:
        """The cases ``wanted`` at the last :meth:`step` go on from their best iterate with
        their slopes measured there: H (k, d, d) = (I - J)^-1 in the variables scaled by ``S``
        (k, d) (:func:`.slopes.jacobian` at the best x, :func:`.slopes.start`), which become
        their Broyden scale; their next iterate (in ``xn``) is the step from the best x, and the
        next secant pair (Broyden's and Anderson's) is taken from the best (x, g)."""
        w = self.wanted
        rows = self.hrow[w]
        self.H[rows] = H
        self.bs[w] = S
        xb, gb = self.xbest[w], self.gbest[w]
        fb = (gb - xb) / S
        out, dist = np.empty_like(xb), np.empty_like(xb)
        (broyden_rows if self.compiled else broyden_numpy)(
            self.H, rows, np.ones(w.size, dtype=bool), False, xb, xb, fb, fb, S, gb, STEP_MAX, FLOW_FLOOR,
            self.is_flow, out, dist)
        xn[w] = out
        self.x_prev, self.g_prev = self.x_prev.copy(), self.g_prev.copy()
        self.x_prev[w], self.g_prev[w], self.bf[w] = xb, gb, fb
        self.f_prev[w] = (gb - xb) / self.scale[w]
        self.refreshed[w] += 1

    def _anderson(self, x, g):
        s = self.scale
        # progress is judged on the convergence test's scale (trace components down to 1e-6 of
        # the stream), not on the finer scale of the least squares
        fn = self._scaled_max(x, g)
        # Anderson step for the cases not on Wegstein steps (the first ``first`` steps, or
        # after repeated stalls): least squares min |f - dF^T gamma| over the valid columns
        wmode = self.wegstein | (self.its + 1 <= self.first)
        if self.H is not None:  # on Broyden steps: the history only (:meth:`_broyden`)
            wmode = wmode | self.newton
        if self.compiled:
            xa = np.empty_like(g)
            f = anderson_rows(x, g, s, self.f_prev, self.g_prev, self.dF, self.dG, self.A, self.rows,
                              self.k, self.pos, wmode, REG, STEP_MAX, self.is_flow, np.flatnonzero(self.used), xa)
        else:
            f, xa = self._anderson_numpy(x, g, wmode)
        return self._safeguards(x, g, f, fn, xa)

    def _anderson_numpy(self, x, g, wmode):
        """The readable reference of :func:`._anderson_kernel.anderson_rows`."""
        s = self.scale
        f = (g - x) / s
        # history: differences of scaled residuals and of scaled g (case i in row rows[i])
        rows = self.rows
        slot = self.pos
        new = f - self.f_prev
        self.dF[rows, slot] = new
        self.dG[rows, slot] = (g - self.g_prev) / s
        # Gram matrix dF dF^T kept up to date: only the new column's row and column change
        col = np.einsum("nid,nd->ni", self.dF[rows], new)
        self.A[rows, slot, :] = col
        self.A[rows, :, slot] = col
        self.pos = (slot + 1) % self.m
        self.k = np.minimum(self.k + 1, self.m)
        # least squares over the valid columns (normal equations, Tikhonov)
        xa = g.copy()
        r = np.flatnonzero(~wmode)
        if r.size:
            valid = np.arange(self.m)[None, :] < self.k[r, None]
            both = valid[:, :, None] & valid[:, None, :]
            h = rows[r]
            A = np.where(both, self.A[h], 0.0)
            b = np.where(valid, np.einsum("nid,nd->ni", self.dF[h], f[r]), 0.0)
            # columns normalised to unit length, so that the regularisation is relative to
            # each difference's own size (a small recent difference is not swamped by the
            # large early ones still in the memory)
            dg_ = np.diagonal(A, axis1=1, axis2=2)
            dn = np.where(dg_ > 0, np.sqrt(np.where(dg_ > 0, dg_, 1.0)), 1.0)
            A = A / (dn[:, :, None] * dn[:, None, :])
            b = b / dn
            tr = np.trace(A, axis1=1, axis2=2)
            eye = np.eye(self.m)[None]
            A = A + (REG * tr + 1e-300)[:, None, None] * eye + (~valid)[:, :, None] * eye
            with np.errstate(all="ignore"):
                gamma = np.linalg.solve(A, b[:, :, None])[:, :, 0] / dn
            gamma = np.where(valid & np.isfinite(gamma), gamma, 0.0)
            delta = -np.einsum("ni,nid->nd", gamma, self.dG[h])
            # step control: at most STEP_MAX (scaled) from g per variable
            big = np.abs(delta).max(axis=1)
            delta *= np.minimum(1.0, STEP_MAX / np.maximum(big, 1e-300))[:, None]
            xr = g[r] + delta * s[r]
            fc = self.flow_cols
            xr[:, fc] = np.where(g[r][:, fc] == 0.0, 0.0, np.maximum(xr[:, fc], 0.0))
            xa[r] = xr
        return f, xa

    def _safeguards(self, x, g, f, fn, xa):
        """Stalls, restarts and the Wegstein fallback (per case), then the next iterate."""
        # stall: no halving of the best residual in STALL_WINDOW iterations -> a restart, and
        # Wegstein at a stall after STALLS_TO_WEGSTEIN restarts
        improved = fn < 0.5 * self.best
        self.best = np.where(improved, fn, np.minimum(self.best, fn))
        self.since = np.where(improved, 0, self.since + 1)
        stalled = self.since >= STALL_WINDOW
        self.wegstein |= stalled & (self.stalls >= STALLS_TO_WEGSTEIN)
        self.stalls += stalled
        self.since[stalled] = 0
        # restart: residual far above the best (or a stall) -> clear history, rescale,
        # plain step
        restart = (fn > RESTART_GROWTH * self.best) | (stalled & ~self.wegstein)
        if restart.any():
            self.k[restart] = 0
            self.pos[restart] = 0
            self.restarts[restart] += 1
            s_new = self._scale(g[restart], rows=restart)
            self.scale[restart] = s_new
            xa[restart] = g[restart]
            f[restart] = (g[restart] - x[restart]) / s_new
        self.f_prev = f
        # distance of g from the fixed point: the multisecant (quasi-Newton) step of Anderson
        # estimates x* - x, so |x_a - g| estimates |x* - g|; never less than |g - x|
        dist_a = np.maximum(np.abs(g - x), np.abs(xa - g))
        self.its += 1
        w = self.wegstein | (self.its <= self.first)  # as wmode, after stalls
        if not w.any():
            return xa, dist_a
        # Wegstein (its own step and amplification) for the cases on Wegstein steps
        r = np.flatnonzero(w)
        xa[r], dist_a[r] = wegstein_step(x[r], g[r], self.x_prev[r], self.g_prev[r])
        return xa, dist_a
