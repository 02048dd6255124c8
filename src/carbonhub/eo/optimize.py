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

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from .errors import OptimizationError
from .reduced_space import EVAL_MAX_ITER, reduced_gradients  # noqa: F401 (public via carbonhub.eo)
from .reduced_space import decision_var as _par, reduced_solve as _reduced_solve
from .consistency import (OBJECTIVE_KPI, core_accepts as _core_accepts, core_gradients, correction, kpi_names,
                          merit, violation as _violation)

OBJECTIVES = ("msp", "npv", "co2")


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
    converged: bool = True
    """False when ``max_outer`` trust-region steps ended before the step fell below ``xtol``
    (the result is then the last optimal step)."""

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
        owner, _ = fs.param_owner(name)
        decl = fs.param_decl(name)
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
        owner, pname = fs.param_owner(name)
        lo, hi = (float(v) for v in bounds)
        v = getattr(m.fs, owner.id).par[pname]
        x0[name] = float(v.value)
        v.unfix()
        # a twin may restrict a parameter to where its structure holds (e.g. a table segment):
        # intersect; the outer re-linearisation moves that window with the optimum
        v.setlb(lo if v.lb is None else max(lo, v.lb))
        v.setub(hi if v.ub is None else min(hi, v.ub))
    return x0


def _objective_expr(m, objective, src=None, scales=None):
    """(expression, sense) of the objective over the KPI expressions ``src`` (default the twin's
    own ``m.tea``; the optimiser passes them with the first-order correction); a dict of
    weights is a weighted sum of the KPIs over ``scales`` (default: their current values)."""
    if not hasattr(m, "tea"):
        raise OptimizationError("the flowsheet has no economics (costing.add_economics): no objective")
    src = m.tea if src is None else src
    if isinstance(objective, Mapping):  # weighted sum of normalised objectives
        import pyomo.environ as pyo

        terms = []
        for name, w in objective.items():
            e, sense = _objective_expr(m, name, src)
            kpi = OBJECTIVE_KPI.get(name)
            scale = (scales or {}).get(kpi) or abs(pyo.value(e)) or 1.0
            terms.append(float(w) * sense * e / scale)
        return sum(terms), 1
    if objective == "msp":
        return src.msp_eur_per_t, 1
    if objective == "npv":
        if not hasattr(m.tea, "npv_eur"):
            raise OptimizationError("objective npv: a main product has no price (prices.<product>_eur_per_t)")
        return src.npv_eur, -1
    if objective == "co2":
        return src.co2_emitted_t_per_y, 1
    raise OptimizationError(f"objective {objective!r}: expected one of {OBJECTIVES} or a dict of weights")


def _solve(m, tee, options=None):
    from .model import solve

    r = solve(m, tee=tee, options=options)
    return str(r.solver.termination_condition)


def optimize(fs, objective="msp", vary: Mapping[str, tuple[float, float]] | None = None,
             constraints: Mapping[str, tuple[float | None, float | None]] | None = None,
             case: int = 0, params: Mapping[str, Any] | None = None, tee: bool = False,
             verify: bool = True, max_outer: int = 15, xtol: float = 1e-4,
             trust_radius: float = 0.25, method: str = "reduced",
             max_solves: int = 300) -> OptimizationResult:
    """Optimise ``objective`` ("msp", "npv", "co2" or {name: weight}) over unit parameters.

    The twin's cost model is exact in value at the point it is built from (the core solution)
    but approximate away from it (see :mod:`carbonhub.eo.tea`), and IPOPT is at its most
    reliable near the core's solution it starts from. The optimisation is therefore a sequence
    of trust-region steps: each builds the twin from the core at the current point (the
    anchor), corrects the twin's objective and KPI constraints to the core's gradient there
    (:mod:`carbonhub.eo.consistency`: central differences of the core in one vectorised call),
    lets the decision variables move within ``trust_radius`` (a fraction of their range) of it,
    and solves. The trial point is simulated in the core: the step is taken when the core's
    objective falls by at least a tenth of the predicted reduction (and the constraints hold),
    otherwise the region shrinks around the same anchor; a failed solve halves the radius, an
    accepted step on the trust-region edge doubles it. It stops when the decision variables
    move less than ``xtol`` (relative to their range) inside the region: a stationary point of
    the core's problem, where the twin's KPIs equal the core's. Regimes of the core that the
    twin holds (the sign of the plant's net steam, priced differently on each side) are
    constraints of the step; a step held at one tries the other side once.

    A twin may restrict a variable further, to where its equations hold (the MtO yield table
    segment of the core's temperature): an optimum on such a bound moves the next step to the
    neighbouring segment.

    Each step is solved in one of two ways (``method``):

    - ``"reduced"`` (default): SLSQP over the decision variables alone; every function value
      is the square twin solved by IPOPT at those values (warm, about a second), every gradient
      the exact reduced gradient of the twin (implicit function theorem on its Jacobian).
    - ``"full"``: one IPOPT solve of the whole model with the decision variables free (fast
      for small models, but IPOPT can stall on the larger methanol/MtO twins).

    constraints : {twin KPI name (see :func:`carbonhub.eo.tea.kpis`): (lower, upper)}
    verify : re-simulate the optimum in the core and report its KPIs (``core_kpis``)
    max_solves : the effort allowed: IPOPT solves of the twin over all steps. When it is spent,
        or after four failed steps in a row (e.g. constraints that cannot be met near the start
        point), the result is the last optimal step with ``converged=False`` and the reason in
        ``termination``, or an :class:`OptimizationError` if no step succeeded: never an
        optimisation that does not end.
    """
    import time

    import pyomo.environ as pyo

    from .tea import kpis as twin_kpis

    if not vary:
        raise OptimizationError("vary: give at least one decision variable, e.g. {'gasifier.T': (1100, 1300)}")
    if not isinstance(objective, Mapping) and objective not in OBJECTIVES:
        raise OptimizationError(f"objective {objective!r}: expected one of {OBJECTIVES} or a dict of weights")
    _validate_vary(fs, vary)
    if method not in ("reduced", "full"):
        raise OptimizationError(f"method = {method!r}: expected 'reduced' or 'full'")
    if not 0 < trust_radius <= 1:
        raise OptimizationError(f"trust_radius = {trust_radius:g} (fraction of each range): expected 0 < r <= 1")
    base = dict(params or {})
    if any(np.ndim(v) for v in base.values()):
        base = {k: (np.asarray(v)[[case]] if np.ndim(v) else v) for k, v in base.items()}
        case = 0
    span = {k: float(hi) - float(lo) for k, (lo, hi) in vary.items()}
    names = kpi_names(objective, constraints)
    kp0 = x0 = None
    r = float(trust_radius)
    t = time.perf_counter()
    last_fail = None
    anchor = None  # decision variables where the core last initialised the twin
    ok = None  # (model, x, termination) of the last optimal step
    converged = False
    tried = set()  # (variable, twin window bound, side) already explored
    budget = {"left": int(max_solves)}
    failures = 0  # failed steps in a row
    stopped = ""  # why the steps ended before converging
    m = None  # the twin at the anchor (kept when a step is rejected: only the region shrinks)
    for outer in range(max_outer):
        if budget["left"] <= 0:
            stopped = f"effort limit reached: {max_solves} twin solves (max_solves)"
            break
        if failures >= 4:
            stopped = f"4 failed steps in a row ({last_fail})"
            break
        if m is None:
            try:
                m = _build_or_fail(fs, case, base)
            except OptimizationError as exc:  # the core fails at the trial point: step back, smaller
                if anchor is None:
                    raise
                last_fail = str(exc)
                base.update({k: np.array([v]) for k, v in anchor.items()})
                r /= 2
                continue
            xb = _free(m, fs, vary)
            anchor = dict(xb)
            flipped = set()  # regimes (m._carbonhub["regimes"]) whose other side was tried here
            if kp0 is None:
                kp0, x0 = twin_kpis(m), dict(xb)
            window = {k: (float(_par(m, k).lb), float(_par(m, k).ub)) for k in vary}
            kpis_b, src = _consistent_model(m, fs, base, vary, xb, window, span, names)
            scales = {n: (abs(v) or 1.0) for n, v in kpis_b.items()}
            f_b = merit(objective, kpis_b, scales)
            v_b = _violation(constraints, kpis_b)
            snapshot = [(v, v.value) for v in m.component_data_objects(pyo.Var, descend_into=True)]
        else:  # the same anchor, a smaller region: back to the anchor's solution
            for v, val in snapshot:
                v.set_value(val, skip_validation=True)
            _clear_objective(m)
        box = {}
        for k, (lo, hi) in vary.items():
            v = _par(m, k)
            box[k] = (max(float(lo), xb[k] - r * span[k]), min(float(hi), xb[k] + r * span[k]))
            v.setlb(max(box[k][0], window[k][0]))
            v.setub(min(box[k][1], window[k][1]))
        _set_objective(m, objective, constraints, twin_kpis, src=src, scales=scales)
        if method == "full":
            budget["left"] -= 1
            term = _solve(m, tee)
        else:
            term = _reduced_solve(m, fs, vary, tee, budget)
        if term not in ("optimal", "locallyOptimal"):
            last_fail = f"termination condition {term!r}"
            failures += 1
            r /= 2
            if r < 1e-3:
                stopped = f"trust region below 1e-3 of the ranges ({last_fail})"
                break
            continue
        failures = 0
        x = {k: float(pyo.value(_par(m, k))) for k in vary}
        step = max(abs(x[k] - xb[k]) / span[k] for k in vary)
        on_edge = on_twin_bound = False
        nxt = dict(x)
        for k, (lo, hi) in vary.items():
            v, tol, (tlo, thi) = _par(m, k), 1e-7 * span[k], box[k]
            if (abs(x[k] - tlo) <= tol and tlo > lo) or (abs(x[k] - thi) <= tol and thi < hi):
                on_edge = True
            elif abs(x[k] - v.lb) <= tol and v.lb > tlo and (k, v.lb, -1) not in tried:
                # on the twin's own window: try the window below (once: a kink optimum stays)
                on_twin_bound, nxt[k] = (k, v.lb, -1), v.lb - 1e-9 * span[k]
            elif abs(x[k] - v.ub) <= tol and v.ub < thi and (k, v.ub, 1) not in tried:
                on_twin_bound = (k, v.ub, 1)  # the twin built at v.ub has the window above
        if step <= xtol and not on_edge and not on_twin_bound:
            blocked = _blocking_regime(m, flipped)
            if blocked is None:
                ok = (m, x, term)
                converged = True
                break
            # held at a regime's edge (e.g. zero net steam): try the other side once, from here
            r_ = m._carbonhub["regimes"][blocked]
            r_.side.set_value(-pyo.value(r_.side))
            r_.price.set_value(r_.prices[pyo.value(r_.side)])
            flipped.add(blocked)
            continue
        # the step is taken only if the core agrees that it improves (ratio of the actual to
        # the predicted reduction, as trust-region methods test their model); a step too small
        # to measure that only moves to a neighbouring twin window or edge is taken as it is
        verdict = True if step <= xtol else _core_accepts(
            fs, base, x, objective, constraints, scales, f_b, v_b, _merit_of_model(m, objective, src, scales, names))
        if verdict is not True:
            last_fail = f"step rejected by the core ({verdict})"
            r = max(min(r, step) / 2, 1e-9)
            if r < 1e-6:
                stopped = f"trust region below 1e-6 of the ranges ({last_fail})"
                break
            continue
        ok = (m, x, term)
        if on_twin_bound:
            tried.add(on_twin_bound)
        base.update({k: np.array([v]) for k, v in nxt.items()})
        m = None  # rebuild at the accepted point
        if on_edge:
            r = min(1.0, 2 * r)
    if ok is None:
        raise OptimizationError(f"no optimum found ({stopped or last_fail}): infeasible bounds or "
                                "constraints near the start point?")
    m, x, term = ok
    if stopped:  # (ending at max_outer keeps the last optimal step's termination, converged=False)
        term = f"not converged: {stopped}"
    base.update({k: np.array([v]) for k, v in x.items()})
    dt = time.perf_counter() - t
    out = OptimizationResult(str(objective), term, x, twin_kpis(m), x0=x0, kpis0=kp0, solve_s=dt, model=m)
    out.outer_iterations = outer + 1
    out.converged = converged
    if verify:
        res = fs.simulate(params=base)
        if res.status[0] == "ok":
            k = res.kpis.iloc[0]
            out.core_kpis = {n: float(k[n]) for n in out.kpis if n in k.index}
    return out


def _build_or_fail(fs, case, params):
    """The twin at ``params`` (one case); an OptimizationError (not a traceback) when the
    core fails there or the simulation model is not square."""
    from .model import build_model, degrees_of_freedom

    try:
        m = build_model(fs, case=case, params=params)
    except ValueError as exc:
        shown = {k: (float(np.ravel(v)[0]) if np.asarray(v).dtype.kind in "fi" else str(np.ravel(v)[0]))
                 for k, v in params.items()}
        raise OptimizationError(f"the core fails at {shown or 'the defaults'}: {exc}") from exc
    if degrees_of_freedom(m) != 0:
        raise OptimizationError(f"the simulation model has {degrees_of_freedom(m)} degrees of freedom (expected 0)")
    return m


def _set_objective(m, objective, constraints, twin_kpis, src=None, scales=None):
    import pyomo.environ as pyo

    src = m.tea if src is None else src
    expr, sense = _objective_expr(m, objective, src, scales)
    m.objective = pyo.Objective(expr=expr, sense=pyo.minimize if sense > 0 else pyo.maximize,
                                doc=f"objective: {objective}")
    for name, r in m._carbonhub.get("regimes", {}).items():  # stay on the side the twin prices
        m.add_component(f"con_regime_{name}", pyo.Constraint(expr=r.side * r.net_t_per_y / r.scale >= 0,
                                                             doc=f"{name}: the regime the twin models"))
    for name, (lo, hi) in (constraints or {}).items():
        if not hasattr(m.tea, name):
            raise OptimizationError(f"constraint on {name!r}: not a twin KPI; known: "
                                    f"{', '.join(k for k in twin_kpis(m))}")
        e = getattr(src, name)
        if lo is not None:
            m.add_component(f"con_{name}_lo", pyo.Constraint(expr=e >= float(lo), doc=f"{name} >= {lo}"))
        if hi is not None:
            m.add_component(f"con_{name}_hi", pyo.Constraint(expr=e <= float(hi), doc=f"{name} <= {hi}"))


def _clear_objective(m):
    """Remove the objective and KPI constraints of a step (the model is re-used for a smaller one)."""
    import pyomo.environ as pyo

    for c in list(m.component_objects(pyo.Constraint, descend_into=False)):
        if c.local_name.startswith("con_"):
            m.del_component(c)
    if hasattr(m, "objective"):
        m.del_component(m.objective)


def _consistent_model(m, fs, base, vary, xb, window, span, names):
    """The KPIs at the anchor (the core's) and the twin's KPI expressions corrected to the
    core's gradient there (:mod:`carbonhub.eo.consistency`); the twin's own when the core has
    no gradient next to the point (recorded in ``m._carbonhub["consistency"]``)."""
    import pyomo.environ as pyo

    xs = [_par(m, k) for k in vary]
    try:
        core = core_gradients(fs, base, xb, window, span, names)
        src, record = correction(m, xs, [xb[k] for k in vary], names, core, reduced_gradients)
        m._carbonhub["consistency"] = record
    except ValueError as exc:
        core, src = {}, m.tea
        m._carbonhub["consistency"] = f"uncorrected: {exc}"
    return {n: (core[n][0] if n in core else float(pyo.value(getattr(m.tea, n)))) for n in names}, src


def _blocking_regime(m, flipped):
    """The name of a twin regime whose edge holds the step (side x net ~ 0) and whose other
    side has not been tried from this anchor, or None."""
    import pyomo.environ as pyo

    for name, r in m._carbonhub.get("regimes", {}).items():
        if name not in flipped and pyo.value(r.side * r.net_t_per_y / r.scale) <= 1e-6:
            return name
    return None


def _merit_of_model(m, objective, src, scales, names):
    import pyomo.environ as pyo

    return merit(objective, {n: float(pyo.value(getattr(src, n))) for n in names}, scales)


def pareto(fs, vary: Mapping[str, tuple[float, float]], n: int = 5, case: int = 0,
           params: Mapping[str, Any] | None = None, tee: bool = False, **optimize_kw):
    """MSP vs CO2 emitted by the epsilon-constraint method: minimise CO2 and MSP alone, then
    minimise MSP with CO2 <= eps for ``n`` eps from the lowest CO2 to the CO2 of the cheapest
    design (the two ends are the CO2 and the MSP optima themselves, not solved again; each
    point in between starts from the previous one's optimum). ``optimize_kw`` go to
    :func:`optimize` (``max_outer``, ``xtol``, ``trust_radius``, ``max_solves``: every point
    ends after a bounded effort). DataFrame, one row per eps, ordered by CO2; a point that
    fails or stops early keeps its row with the reason in ``termination``."""
    import pandas as pd

    if n < 1:
        raise OptimizationError(f"n = {n}: expected at least 1 point on the front")
    kw = dict(case=case, tee=tee, **optimize_kw)
    base = dict(params or {})
    lo = optimize(fs, "co2", vary, params=base, verify=False, **kw)
    hi = optimize(fs, "msp", vary, params=base, verify=False, **kw)
    c_min, c_max = lo.kpis["co2_emitted_t_per_y"], hi.kpis["co2_emitted_t_per_y"]

    def row(eps, r):
        return {"eps_co2_t_per_y": eps, **r.x, "msp_eur_per_t": r.kpis["msp_eur_per_t"],
                "co2_emitted_t_per_y": r.kpis["co2_emitted_t_per_y"], "termination": r.termination}

    if c_min >= c_max * (1 - 1e-9):  # no trade-off: the cheapest design is also the cleanest
        return pd.DataFrame([row(c_max, hi)])
    if n == 1:
        return pd.DataFrame([row(c_max, hi)])
    # the clean end is the CO2 optimum itself (only it meets CO2 <= c_min); each next point
    # starts from the previous optimum, which meets its looser constraint: every step starts
    # feasible (from the defaults, CO2 <= c_min is out of reach of the first trust region and
    # the steps could only shrink)
    rows, start = [row(c_min, lo)], lo.x
    for eps in np.linspace(c_min, c_max, n)[1:-1]:
        try:
            r = optimize(fs, "msp", vary, constraints={"co2_emitted_t_per_y": (None, eps * (1 + 1e-9) + 1e-9)},
                         params={**base, **start},
                         verify=False, **kw)
            rows.append(row(eps, r))
            start = r.x
        except OptimizationError as exc:
            rows.append({"eps_co2_t_per_y": eps, "termination": str(exc)})
    rows.append(row(c_max, hi))
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
    owner, pname = fs.param_owner(param)
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
