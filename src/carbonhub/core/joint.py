"""A design spec solved together with the recycle it wraps: the varied parameter joins the tears.

When the blocks a design spec iterates (:func:`carbonhub.core.solver.spec_plan`) contain a
recycle (biomass_ft: the tar reformer's firing spec on ``fuel_split.fraction`` wraps the FT
loop), the nested solve converges the whole loop again for every spec iterate (about 9 spec
evaluations x 12 tear passes per case). Here the varied parameter u is one more variable of the
tear iteration instead: each pass runs the blocks between the varied unit and the loop, the loop
once (:func:`~carbonhub.core.solver.pass_steps`), and the blocks from the loop to the measured
unit; then the block's accelerator (:class:`~carbonhub.core.recycle.TearAccelerator`: Anderson
with its safeguards and Wegstein fallback) moves the tears and u together, u by the fixed-point
map

    G(u) = clip(u - f(x, u) / J, lower, upper),   f = measure - target,

with J the spec's slope d f / d u at the flowsheet's defaults (the last secant of its nested
solve there, kept with the warm start: :mod:`.warmstart`). J only sets the first step: the
first (Wegstein) steps on u are secant steps, and Anderson's multisecant model takes the
coupling of u and the tears from the iterates. Where the loop's slopes pay (:mod:`.slopes`), each
case starts with Broyden steps from the Jacobian of the whole map, u's row and column included.

A case is converged when its tears meet the tear tolerance and |f| the spec's tolerance in the
same pass: its streams are then those of a converged loop at that u (a residual is never read
off an unconverged recycle). A case that does not get there (no convergence within
``MAX_PASSES``, a unit failing at an intermediate iterate, u held at a bound by a target out of
reach, which needs the spec's make-up) is handed back, and the nested solve (bracketed Illinois
around the converged loop) decides it as before; both solve the same equations, so a case has
the same answer either way (to the tolerances). Without a slope at the defaults (no warm start,
the spec at a bound there), with Wegstein tears, or with more than one recycle between the varied
and the measured unit, the spec is nested.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .state import State

MAX_PASSES = 100
"""Passes of the joint iteration before a case is handed to the nested solve."""
BOUND_PASSES = 3
"""Consecutive passes with u held at a bound (the map pointing beyond it) before hand-over."""


def spec_residual(run, spec, cases: np.ndarray) -> np.ndarray:
    """measure - target of ``spec`` for ``cases`` in the run's current state (NaN where the
    measure cannot be read: the measured unit did not run for a case)."""
    target = run.param_array(spec.target)[cases] if isinstance(spec.target, str) else (
        np.broadcast_to(np.asarray(spec.target, dtype=float), (run.n,))[cases])
    try:
        with np.errstate(all="ignore"):
            return np.asarray(spec.measure(State(run, cases)), dtype=float) - target
    except (KeyError, IndexError):  # the measured unit never ran
        return np.full(cases.size, np.nan)


def set_values(run, name: str, cases: np.ndarray, values: np.ndarray) -> None:
    """Set parameter ``name`` to ``values`` in ``cases`` (the other cases keep theirs)."""
    full = run.param_array(name).astype(float).copy()
    full[cases] = values
    run.set_param(name, full)


@dataclass
class JointSpec:
    """A spec solved with the tears of the one recycle block among the blocks it iterates.

    before, after : the units of the (acyclic) blocks the spec iterates ahead of and after the
        recycle block, run in every pass around the loop's own pass
    start, slope : u and d f / d u at the flowsheet's defaults (where every case starts)
    """

    spec: object
    before: list[str]
    after: list[str]
    start: float
    slope: float

    @classmethod
    def plan(cls, spec, iterate: list[tuple[list[str], list[str]]], warm: dict | None,
             method: str) -> tuple["JointSpec", list[str], list[str]] | None:
        """(joint spec, loop units, loop tears) when ``spec`` can be solved with the tears of
        the blocks it iterates, else None."""
        loops = [i for i, (_, tears) in enumerate(iterate) if tears]
        got = (warm or {}).get(f"spec:{spec.id}")
        if method != "anderson" or len(loops) != 1 or got is None:
            return None
        start, slope = got
        if not (np.isfinite(start) and np.isfinite(slope) and slope != 0):
            return None
        i = loops[0]
        flat = lambda blocks: [u for units, _ in blocks for u in units]  # noqa: E731
        return (cls(spec, flat(iterate[:i]), flat(iterate[i + 1:]), float(start), float(slope)),
                iterate[i][0], iterate[i][1])

    @property
    def scale(self) -> float:
        """Size of u for the accelerator's scaled variables: its range (or |u| at the defaults)."""
        span = float(self.spec.upper) - float(self.spec.lower)
        return span if np.isfinite(span) and span > 0 else max(abs(self.start), 1.0)

    @property
    def tol(self) -> float:
        """The spec's tolerance on |f| (its own ``tol``, else as the nested solve's: 1e-9 x
        (1 + the residual's change over the bounds at the defaults' slope))."""
        if self.spec.tol is not None:
            return float(self.spec.tol)
        return 1e-9 * (1.0 + abs(self.slope) * self.scale)

    def begin(self, run, cases: np.ndarray) -> None:
        """No make-up while the varied parameter can meet the target (as the nested solve)."""
        if self.spec.makeup is not None:
            set_values(run, self.spec.makeup, cases, np.zeros(cases.size))

    def update(self, u: np.ndarray, f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """G(u) within the bounds, and where u sits at a bound that G would leave outwards."""
        lo, hi = float(self.spec.lower), float(self.spec.upper)
        with np.errstate(all="ignore"):
            g = u - f / self.slope
        out = ((u <= lo) & (g < lo)) | ((u >= hi) & (g > hi))
        return np.clip(g, lo, hi), out
