"""Design specs of the core as equations of the twin, and the regimes of a spec with make-up.

A spec (:class:`~carbonhub.core.flowsheet.DesignSpec`) frees its varied parameter and adds
measure == target. A spec with ``makeup`` has three regimes, which the core picks case by
case: the varied parameter x inside its bounds (no make-up), x at the bound that raises the
measure with the make-up M > 0 taking up the rest, or (``surplus_ok``) x at the other bound
with a surplus S = measure - target > 0. The twin writes measure == target + S and holds the
regime of the core's solution: the regime's unknown (x, M or S) free, the other two fixed.

A warm re-solve at other parameters may need another regime (e.g. the reformer combustor of
biomass_methanol burning all of the loop purge plus natural gas, where the twin was built
burning part of it). Written as a complementarity (smoothed Fischer-Burmeister, or one regime
variable through smoothed max(0, .) with eps 1e-6), IPOPT's Newton step could not cross the
kink: it predicted x beyond its bound, the fraction-to-the-boundary rule stopped the flows of
the stream x empties at zero and the solve ended in restoration, "locally infeasible" (about
80 s). Instead :func:`carbonhub.eo.model.solve` asks the core for the regime at the twin's
parameters (one core case, about 0.5 s) and, where it changed, switches it here and starts
from the core's solution (:func:`set_regime`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

REGIMES = ("inside", "makeup", "surplus")


@dataclass
class MakeupSpec:
    """The twin's parts of one spec with make-up and the regime it holds."""

    spec: Any  # the DesignSpec
    x: Any  # the varied parameter's variable
    makeup: Any  # the make-up's variable
    surplus: Any  # the surplus variable (None without surplus_ok)
    regime: str = "inside"

    @property
    def bound_raising(self) -> float:
        """The bound of x that raises the measure (where make-up is taken)."""
        return float(self.spec.upper if self.spec.measure_rises else self.spec.lower)

    @property
    def bound_lowering(self) -> float:
        return float(self.spec.lower if self.spec.measure_rises else self.spec.upper)


def add_specs(m, fs, res, case: int) -> None:
    """Each design spec of the core becomes an equation: its varied parameter is freed and
    measure == target holds (the degrees of freedom stay zero); a spec with ``makeup`` holds
    the core's regime at ``case`` (:func:`add_makeup_spec`)."""
    import pyomo.environ as pyo

    from ..twin.host import NoTwinError

    m._carbonhub_makeup_specs = []
    for spec in fs.specs:
        if spec.pyomo_measure is None:
            raise NoTwinError(f"design spec {spec.id!r} has no pyomo_measure: it cannot be posed in the twin")
        if spec.makeup is not None:
            m._carbonhub_makeup_specs.append(add_makeup_spec(m, spec, res, case))
            continue
        uid, pname = spec.vary.split(".", 1)
        blk = getattr(m.fs, uid)
        blk.par[pname].unfix()
        blk.par[pname].setlb(spec.lower)
        blk.par[pname].setub(spec.upper)
        target = spec_target(spec, res, case)
        meas = spec.pyomo_measure(m)
        expr = meas[0] == target * meas[1] if isinstance(meas, tuple) else meas == target
        m.add_component(f"spec_{spec.id}", pyo.Constraint(expr=expr, doc=spec.doc or f"design spec {spec.id}"))


def add_makeup_spec(m, spec, res, case: int) -> MakeupSpec:
    """A spec with ``makeup``: measure == target (+ S >= 0 with ``surplus_ok``), x in [lower,
    upper], M >= 0, in the core's regime at ``case`` (:func:`core_regime`)."""
    import pyomo.environ as pyo

    uid, pname = spec.vary.split(".", 1)
    muid, mname = spec.makeup.split(".", 1)
    r = MakeupSpec(spec, getattr(m.fs, uid).par[pname], getattr(m.fs, muid).par[mname], None)
    r.x.setlb(float(spec.lower))
    r.x.setub(float(spec.upper))
    r.makeup.setlb(0.0)
    meas = spec.pyomo_measure(m)
    if isinstance(meas, tuple):
        raise NotImplementedError(f"design spec {spec.id!r}: a ratio measure with make-up is not supported in the twin")
    target = spec_target(spec, res, case)
    name = spec.doc or spec.id
    if spec.surplus_ok:
        r.surplus = pyo.Var(initialize=0.0, bounds=(0.0, None), units=pyo.units.get_units(meas),
                            doc=f"{name}: surplus of the measure over the target (at the bound that lowers it)")
        m.add_component(f"spec_{spec.id}_surplus", r.surplus)
        m.add_component(f"spec_{spec.id}", pyo.Constraint(expr=meas == target + r.surplus, doc=name))
    else:
        m.add_component(f"spec_{spec.id}", pyo.Constraint(expr=meas == target, doc=name))
    regime = core_regime(r, res, case)
    if regime == "surplus":
        r.surplus.set_value(max(float(pyo.value(meas)) - target, 0.0))
    set_regime(r, regime)
    return r


def core_regime(r: MakeupSpec, res, case: int) -> str:
    """The regime of the spec in the core's solution ``res`` at ``case``."""
    x0, mk0 = float(res.param(r.spec.vary)[case]), float(res.param(r.spec.makeup)[case])
    if mk0 > 0:
        if x0 != r.bound_raising:
            raise ValueError(f"design spec {r.spec.id!r}: the core takes make-up at {r.spec.vary} = {x0:g}, not at "
                             f"the bound that raises the measure (measure_rises = {r.spec.measure_rises})")
        return "makeup"
    return "surplus" if r.spec.surplus_ok and x0 == r.bound_lowering else "inside"


def set_regime(r: MakeupSpec, regime: str) -> None:
    """Free the unknown of ``regime`` (x inside its bounds, the make-up, or the surplus) and fix
    the other two (x at its bound, M and S at zero); the degrees of freedom stay zero."""
    if regime not in REGIMES:
        raise ValueError(f"regime = {regime!r}: expected one of {REGIMES}")
    if regime == "inside":
        r.x.unfix()
    else:
        r.x.fix(r.bound_raising if regime == "makeup" else r.bound_lowering)
    if regime == "makeup":
        r.makeup.unfix()
    else:
        r.makeup.fix(0.0)
    if r.surplus is not None:
        r.surplus.unfix() if regime == "surplus" else r.surplus.fix(0.0)
    r.regime = regime


def spec_target(spec, res, case: int) -> float:
    """The target of ``spec`` at ``case`` (a parameter's value or the spec's number)."""
    return (float(res.param(spec.target)[case]) if isinstance(spec.target, str)
            else float(np.broadcast_to(np.asarray(spec.target, dtype=float), (res.n_cases,))[case]))
