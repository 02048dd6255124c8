"""Optimisation, Pareto fronts and inverse TEA with the equation-oriented twin and IPOPT.

    opt = ch.eo.optimize(fs, objective="msp", vary={"gasifier.T": (1100, 1300), ...})
    opt.x, opt.kpis, opt.termination, opt.core_kpis     # optimum, twin KPIs, IPOPT status,
                                                        # KPIs of the optimum re-simulated in the core
    front = ch.eo.pareto(fs, vary={...}, n=5)           # MSP vs CO2 by the epsilon-constraint method
    inv = ch.eo.inverse_tea(fs, "ft.alpha", target_msp=2500, bounds=(0.8, 0.95))

Decision variables are unit parameters (``unit.param``): their fixed variables in the twin are
freed within the given bounds. Prices and economic factors enter the TEA linearly; inverse
TEA over them is solved in the core (MSP is linear in them) by a bracketed secant.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

OBJECTIVES = ("msp", "npv", "co2")


class OptimizationError(ValueError):
    """A user error or an infeasible/unbounded problem (with IPOPT's termination condition)."""


@dataclass
class OptimizationResult:
    objective: str
    termination: str
    x: dict[str, float]
    kpis: dict[str, float]
    core_kpis: dict[str, float] = field(default_factory=dict)
    x0: dict[str, float] = field(default_factory=dict)
    kpis0: dict[str, float] = field(default_factory=dict)
    solve_s: float = 0.0
    model: Any = None
    outer_iterations: int = 1

    @property
    def ok(self) -> bool:
        return self.termination in ("optimal", "locallyOptimal")

    def table(self):
        import pandas as pd

        rows = [{"quantity": k, "initial": self.x0.get(k), "optimum": v} for k, v in self.x.items()]
        rows += [{"quantity": k, "initial": self.kpis0.get(k), "optimum": v,
                  "core_at_optimum": self.core_kpis.get(k)} for k, v in self.kpis.items()]
        return pd.DataFrame(rows).set_index("quantity")


def _validate_vary(fs, vary: Mapping[str, tuple[float, float]]) -> None:
    """Check names, kinds and bounds before anything is built (fast, clear errors)."""
    from ..core.unit import Unit

    for name, bounds in vary.items():
        owner, _ = fs._owner(name)
        decl = fs._param_decl(name)
        if not isinstance(owner, Unit):
            raise OptimizationError(
                f"{name}: only unit parameters can be decision variables of the twin; prices and "
                "economic factors enter the TEA linearly — use carbonhub.eo.inverse_tea")
        if decl.kind != "float":
            raise OptimizationError(f"{name}: a choice parameter cannot be optimised continuously")
        lo, hi = (float(v) for v in bounds)
        if not lo < hi:
            raise OptimizationError(f"{name}: bounds ({lo:g}, {hi:g}) {decl.unit}: expected lower < upper")
        if lo < decl.lower or hi > decl.upper:
            raise OptimizationError(f"{name}: bounds ({lo:g}, {hi:g}) {decl.unit} outside the allowed range "
                                    f"[{decl.lower:g}, {decl.upper:g}]")


def _free(m, fs, vary: Mapping[str, tuple[float, float]]):
    """Free the decision variables of ``m`` within their (validated) bounds; returns x0."""
    _validate_vary(fs, vary)
    x0 = {}
    for name, bounds in vary.items():
        owner, pname = fs._owner(name)
        lo, hi = (float(v) for v in bounds)
        v = getattr(m.fs, owner.id).par[pname]
        x0[name] = float(v.value)
        v.unfix()
        # a twin may restrict a parameter to where its structure holds (e.g. a table segment):
        # intersect; the outer re-linearisation moves that window with the optimum
        v.setlb(lo if v.lb is None else max(lo, v.lb))
        v.setub(hi if v.ub is None else min(hi, v.ub))
    return x0


def _objective_expr(m, objective, weights=None):
    if not hasattr(m, "tea"):
        raise OptimizationError("the flowsheet has no economics (costing.add_economics): no objective")
    if isinstance(objective, Mapping):  # weighted sum of normalised objectives
        import pyomo.environ as pyo

        terms = []
        for name, w in objective.items():
            e, sense = _objective_expr(m, name)
            scale = abs(pyo.value(e)) or 1.0
            terms.append(float(w) * sense * e / scale)
        return sum(terms), 1
    if objective == "msp":
        return m.tea.msp_eur_per_t, 1
    if objective == "npv":
        if not hasattr(m.tea, "npv_eur"):
            raise OptimizationError("objective npv: the main product has no price (prices.product_eur_per_t)")
        return m.tea.npv_eur, -1
    if objective == "co2":
        return m.tea.co2_emitted_t_per_y, 1
    raise OptimizationError(f"objective {objective!r}: expected one of {OBJECTIVES} or a dict of weights")


def _solve(m, tee, options=None):
    from .model import solve

    r = solve(m, tee=tee, options=options)
    return str(r.solver.termination_condition)


def optimize(fs, objective="msp", vary: Mapping[str, tuple[float, float]] | None = None,
             constraints: Mapping[str, tuple[float | None, float | None]] | None = None,
             case: int = 0, params: Mapping[str, Any] | None = None, tee: bool = False,
             verify: bool = True, max_outer: int = 6, xtol: float = 1e-4) -> OptimizationResult:
    """Optimise ``objective`` ("msp", "npv", "co2" or {name: weight}) over unit parameters.

    The twin's cost model is exact at the point it is built from (the core solution) and
    first-order away from it (see :mod:`carbonhub.eo.tea`). The optimisation therefore
    re-builds the twin at each optimum and re-solves until the decision variables move less
    than ``xtol`` (relative to their range): at the final point the twin's KPIs equal the
    core's.

    constraints : {twin KPI name (see :func:`carbonhub.eo.tea.kpis`): (lower, upper)}
    verify : re-simulate the optimum in the core and report its KPIs (``core_kpis``)
    """
    import time

    import pyomo.environ as pyo

    from .model import build_model, degrees_of_freedom
    from .tea import kpis as twin_kpis

    if not vary:
        raise OptimizationError("vary: give at least one decision variable, e.g. {'gasifier.T': (1100, 1300)}")
    _validate_vary(fs, vary)
    base = dict(params or {})
    if any(np.ndim(v) for v in base.values()):
        base = {k: (np.asarray(v)[[case]] if np.ndim(v) else v) for k, v in base.items()}
        case = 0
    x_prev = None
    kp0 = x0 = None
    t = time.perf_counter()
    for outer in range(max_outer):
        m = build_model(fs, case=case, params=base)
        if degrees_of_freedom(m) != 0:
            raise OptimizationError(f"the simulation model has {degrees_of_freedom(m)} degrees of freedom (expected 0)")
        xb = _free(m, fs, vary)
        if kp0 is None:
            kp0, x0 = twin_kpis(m), dict(xb)
        expr, sense = _objective_expr(m, objective)
        m.objective = pyo.Objective(expr=expr, sense=pyo.minimize if sense > 0 else pyo.maximize,
                                    doc=f"objective: {objective}")
        for name, (lo, hi) in (constraints or {}).items():
            if not hasattr(m.tea, name):
                raise OptimizationError(f"constraint on {name!r}: not a twin KPI; known: "
                                        f"{', '.join(k for k in twin_kpis(m))}")
            e = getattr(m.tea, name)
            if lo is not None:
                m.add_component(f"con_{name}_lo", pyo.Constraint(expr=e >= float(lo), doc=f"{name} >= {lo}"))
            if hi is not None:
                m.add_component(f"con_{name}_hi", pyo.Constraint(expr=e <= float(hi), doc=f"{name} <= {hi}"))
        term = _solve(m, tee)
        if term not in ("optimal", "locallyOptimal"):
            raise OptimizationError(f"IPOPT did not find an optimum: termination condition {term!r} "
                                    "(infeasible bounds or constraints?)")
        x = {name: float(pyo.value(getattr(m.fs, name.split(".", 1)[0]).par[name.split(".", 1)[1]]))
             for name in vary}
        step = max(abs(x[k] - xb[k]) / (vary[k][1] - vary[k][0]) for k in vary)
        base.update({k: np.array([v]) for k, v in x.items()})
        if step <= xtol:
            break
    dt = time.perf_counter() - t
    out = OptimizationResult(str(objective), term, x, twin_kpis(m), x0=x0, kpis0=kp0, solve_s=dt, model=m)
    out.outer_iterations = outer + 1
    if verify:
        r = fs.simulate(params=base)
        if r.status[0] == "ok":
            k = r.kpis.iloc[0]
            out.core_kpis = {n: float(k[n]) for n in out.kpis if n in k.index}
    return out


def pareto(fs, vary: Mapping[str, tuple[float, float]], n: int = 5, case: int = 0,
           params: Mapping[str, Any] | None = None, tee: bool = False):
    """MSP vs CO2 emitted by the epsilon-constraint method: minimise CO2 and MSP alone, then
    minimise MSP with CO2 <= eps for ``n`` eps between the two extremes. DataFrame."""
    import pandas as pd

    lo = optimize(fs, "co2", vary, case=case, params=params, tee=tee, verify=False)
    hi = optimize(fs, "msp", vary, case=case, params=params, tee=tee, verify=False)
    if lo.kpis["co2_emitted_t_per_y"] >= hi.kpis["co2_emitted_t_per_y"]:
        n = 1  # no trade-off: the cheapest design is also the cleanest
    c_min, c_max = lo.kpis["co2_emitted_t_per_y"], hi.kpis["co2_emitted_t_per_y"]
    rows = []
    for eps in np.linspace(c_min, c_max, n):
        try:
            r = optimize(fs, "msp", vary, constraints={"co2_emitted_t_per_y": (None, eps * (1 + 1e-9) + 1e-9)},
                         case=case, params=params, tee=tee, verify=False)
            rows.append({"eps_co2_t_per_y": eps, **r.x, "msp_eur_per_t": r.kpis["msp_eur_per_t"],
                         "co2_emitted_t_per_y": r.kpis["co2_emitted_t_per_y"], "termination": r.termination})
        except OptimizationError as exc:
            rows.append({"eps_co2_t_per_y": eps, "termination": str(exc)})
    return pd.DataFrame(rows)


def inverse_tea(fs, param: str, target_msp: float, bounds: tuple[float, float], case: int = 0,
                params: Mapping[str, Any] | None = None, tee: bool = False) -> dict:
    """The value of ``param`` that gives ``target_msp`` [EUR/t].

    A unit parameter (e.g. ``ft.alpha``): the twin with the parameter free and MSP == target.
    A price or economic factor (``prices.*``, ``economics.capex_factor``): solved in the core.
    Raises OptimizationError if the target cannot be reached within ``bounds``.
    """
    from ..core.unit import Unit

    lo, hi = (float(v) for v in bounds)
    if not lo < hi:
        raise OptimizationError(f"{param}: bounds ({lo:g}, {hi:g}): expected lower < upper")
    owner, pname = fs._owner(param)
    if isinstance(owner, Unit):
        import pyomo.environ as pyo

        from .model import build_model

        m = build_model(fs, case=case, params=params)
        _free(m, fs, {param: (lo, hi)})
        m.target = pyo.Constraint(expr=m.tea.msp_eur_per_t == float(target_msp), doc="MSP = target")
        term = _solve(m, tee)
        if term not in ("optimal", "locallyOptimal"):
            raise OptimizationError(f"{param}: MSP {target_msp:g} EUR/t not reachable in [{lo:g}, {hi:g}] "
                                    f"(IPOPT termination condition {term!r})")
        return {"param": param, "value": float(pyo.value(getattr(m.fs, owner.id).par[pname])),
                "msp_eur_per_t": float(pyo.value(m.tea.msp_eur_per_t)), "termination": term, "engine": "twin"}
    # linear in prices/factors: two core evaluations bracket it, a secant refines it
    xs = np.array([lo, hi])
    base = {k: v for k, v in (params or {}).items()}

    def msp(v):
        p = dict(base)
        p[param] = np.asarray(v, dtype=float)
        r = fs.simulate(params=p)
        return r.kpis["msp_eur_per_t"].to_numpy()

    f = msp(xs) - target_msp
    if not np.isfinite(f).all() or np.sign(f[0]) == np.sign(f[1]):
        raise OptimizationError(f"{param}: MSP {target_msp:g} EUR/t not reachable in [{lo:g}, {hi:g}] "
                                f"(MSP there: {f[0] + target_msp:.4g} .. {f[1] + target_msp:.4g} EUR/t)")
    a, b, fa, fb = lo, hi, f[0], f[1]
    for _ in range(30):
        x = b - fb * (b - a) / (fb - fa)
        fx = float(msp([x])[0] - target_msp)
        if abs(fx) <= 1e-9 * max(abs(target_msp), 1.0):
            break
        if np.sign(fx) == np.sign(fa):
            a, fa = x, fx
        else:
            b, fb = x, fx
    return {"param": param, "value": float(x), "msp_eur_per_t": float(fx + target_msp),
            "termination": "converged", "engine": "core"}
