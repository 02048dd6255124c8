"""The reduced-space step of :func:`carbonhub.eo.optimize`: SLSQP over the decision variables
alone, each function value the square twin solved by IPOPT, each gradient the twin's exact
reduced gradient (implicit function theorem on its Jacobian)."""
from __future__ import annotations

import re

import numpy as np


from .errors import OptimizationError


def decision_var(m, name):
    """The twin variable of the unit parameter ``name`` (``unit.param``)."""
    uid, pname = name.split(".", 1)
    return getattr(m.fs, uid).par[pname]


EVAL_MAX_ITER = 100
"""IPOPT iterations allowed to one warm square re-solve inside the reduced-space optimiser
(:func:`optimize`, ``method="reduced"``); the routes' re-solves take fewer than 20."""


def reduced_solve(m, fs, vary, tee=False, budget=None) -> str:
    """Minimise the active objective of ``m`` subject to its KPI constraints (``con_*``) over
    the free decision variables, with SLSQP in [0, 1]-scaled coordinates: each evaluation
    fixes them, solves the square twin (warm) and takes the reduced gradients. Leaves ``m``
    at the optimum (the decision variables free); returns a termination string."""
    import pyomo.environ as pyo

    from .model import follow_core_regimes, solve

    xs = [decision_var(m, k) for k in vary]
    lo = np.array([v.lb for v in xs])
    hi = np.array([v.ub for v in xs])
    width = np.where(hi > lo, hi - lo, 1.0)
    obj = next(m.component_data_objects(pyo.Objective, active=True))
    sense = 1.0 if obj.sense == pyo.minimize else -1.0
    cons = [c for c in m.component_data_objects(pyo.Constraint, active=True) if c.parent_component().local_name.startswith("con_")]
    for c in cons:
        c.deactivate()  # inequalities: handled by SLSQP
    obj.deactivate()
    cache = {}
    nlp = {}  # the twin's PyNumero NLP, kept while its structure and regimes stay (reduced_gradients)

    def evaluate(z):
        key = tuple(np.round(z, 14))
        if key in cache:
            return cache[key]
        if budget is not None:
            if budget["left"] <= 0:
                raise _StepFailed("effort limit reached (max_solves)")
            budget["left"] -= 1
        for v, val in zip(xs, lo + np.clip(z, 0.0, 1.0) * width):
            v.fix(float(val))
        # a warm re-solve near the last point takes a few IPOPT iterations; one that needs more
        # than EVAL_MAX_ITER has crossed something the twin cannot follow (a regime of the point
        # it was built at): fail the step at once, the outer loop rebuilds from the core
        if follow_core_regimes(m):  # (what solve's regimes="core" does) a regime changed:
            nlp.clear()  # the NLP's constants (mutable parameters) are stale
        term = str(solve(m, tee=tee, options={"max_iter": EVAL_MAX_ITER}, regimes="fixed").solver.termination_condition)
        if term not in ("optimal", "locallyOptimal"):
            raise _StepFailed(term)
        exprs = [obj.expr] + [c.body for c in cons]
        vals = [pyo.value(e) for e in exprs]
        grads = reduced_gradients(m, exprs, xs, nlp)
        out = (vals, [g * width for g in grads])
        cache[key] = out
        return out

    def f(z):
        return sense * evaluate(z)[0][0]

    def df(z):
        return sense * evaluate(z)[1][0]

    scipy_cons = []
    for i, c in enumerate(cons, start=1):
        # body <= upper  /  body >= lower, as g(z) >= 0 with a relative scale
        scale = max(abs(pyo.value(c.upper if c.has_ub() else c.lower)), 1.0)
        if c.has_ub():
            scipy_cons.append({"type": "ineq", "fun": lambda z, i=i, c=c, s=scale: (pyo.value(c.upper) - evaluate(z)[0][i]) / s,
                               "jac": lambda z, i=i, s=scale: -evaluate(z)[1][i] / s})
        if c.has_lb():
            scipy_cons.append({"type": "ineq", "fun": lambda z, i=i, c=c, s=scale: (evaluate(z)[0][i] - pyo.value(c.lower)) / s,
                               "jac": lambda z, i=i, s=scale: evaluate(z)[1][i] / s})
    z0 = np.clip((np.array([v.value for v in xs]) - lo) / width, 0.0, 1.0)
    f0 = abs(f(z0)) or 1.0
    try:
        z, term = slsqp_box(lambda z: f(z) / f0, lambda z: df(z) / f0, z0, scipy_cons)
        evaluate(z)  # leave the model at the optimum
        for v, val in zip(xs, lo + np.clip(z, 0.0, 1.0) * width):
            v.set_value(float(val))
    except _StepFailed as exc:
        term = str(exc)
    finally:
        for v in xs:
            v.unfix()
        for c in cons:
            c.activate()
        obj.activate()
    return term


SLSQP_LINESEARCH_STALL = 8
"""scipy SLSQP's exit status "Positive directional derivative for linesearch" (Kraft 1988,
DFVLR-FB 88-28): the directional derivative of its L1 merit function, g.s - sum mu_j
max(-c_j, 0), is not negative. The penalty weights start at the multipliers (mu_j =
max(|r_j|, (mu_j + |r_j|)/2), from 0), so where one inequality holds the optimum and only one
variable is free (waste_methanol_mto's step at zero net steam: the reactor temperatures at
their bounds, the purge on the kink), the step back onto the constraint from a point the
linearisation left just outside it raises the objective by what it removes from the penalty:
the derivative is zero to round-off and its sign decides between "optimal" and this exit
(measured: 1.7e-10 against 1.7e-10, both sides). The step is then judged by the first-order
(KKT) conditions at the points SLSQP evaluated (:func:`kkt_holds`)."""

KKT_RTOL = 1e-6
"""First-order conditions hold when the gradient of the Lagrangian is at most this fraction of
the objective's gradient, or of 1 if that is smaller (the objective over its start value in
[0, 1]-scaled coordinates: 1e-6 of the objective across the whole box), with non-negative
multipliers of the active bounds and constraints."""

FEAS_TOL = 1e-6
"""A scaled inequality g(z) >= 0 counts as met (and active) within this much (the core's
tolerance on KPI constraints, carbonhub.eo.consistency.VIOLATION_TOL; the net-steam regime is
scaled by the plant's gross steam, carbonhub.eo.tea)."""


def kkt_holds(grad, cons, jacs, z, bound_tol=1e-9) -> bool:
    """True when ``z`` in the box [0, 1]^n is feasible (``cons`` g_i(z) >= -FEAS_TOL) and
    stationary for min f s.t. g(z) >= 0: ``grad`` (of f) = sum lambda_i grad g_i (active
    constraints, |g_i| <= FEAS_TOL) + mu at the active bounds (+e_j at 0, -e_j at 1), with
    every multiplier >= 0 (non-negative least squares), to :data:`KKT_RTOL` of max(|grad|, 1).

    >>> kkt_holds(np.array([1.0, 0.0]), [], [], np.array([0.0, 0.5]))   # held by the bound z_0 = 0
    True
    >>> kkt_holds(np.array([-1.0, 0.0]), [], [], np.array([0.0, 0.5]))  # it would rather go up
    False
    """
    from scipy.optimize import nnls

    grad = np.asarray(grad, dtype=float)
    if any(float(c) < -FEAS_TOL for c in cons):
        return False
    cols = [np.asarray(j, dtype=float) for c, j in zip(cons, jacs) if abs(float(c)) <= FEAS_TOL]
    eye = np.eye(grad.size)
    cols += [eye[j] for j in range(grad.size) if z[j] <= bound_tol]
    cols += [-eye[j] for j in range(grad.size) if z[j] >= 1.0 - bound_tol]
    tol = KKT_RTOL * max(float(np.linalg.norm(grad)), 1.0)
    if not cols:
        return bool(np.linalg.norm(grad) <= tol)
    _, resid = nnls(np.column_stack(cols), grad)
    return bool(resid <= tol)


def slsqp_box(f, df, z0, cons, ftol: float = 1e-10, maxiter: int = 100) -> tuple[np.ndarray, str]:
    """Minimise ``f`` (gradient ``df``) over the box [0, 1]^n subject to ``cons`` (scipy's
    ``{"type": "ineq", "fun", "jac"}``, g(z) >= 0) with SLSQP from ``z0``; returns (z,
    "optimal") or (SLSQP's last point, "SLSQP: <its message>"). Where SLSQP's line search
    stalls (:data:`SLSQP_LINESEARCH_STALL`), the best point it evaluated at which the
    first-order conditions hold (:func:`kkt_holds`) is the optimum."""
    from scipy.optimize import minimize

    seen = []

    def fun(z):
        seen.append(np.array(z, dtype=float))
        return f(z)

    r = minimize(fun, z0, jac=df, method="SLSQP", bounds=[(0.0, 1.0)] * len(z0), constraints=cons,
                 options={"ftol": ftol, "maxiter": maxiter})
    if r.success:
        return r.x, "optimal"
    if r.status == SLSQP_LINESEARCH_STALL:
        ok = [(f(p), i, p) for i, p in enumerate(seen)
              if kkt_holds(df(p), [c["fun"](p) for c in cons], [c["jac"](p) for c in cons], p)]
        if ok:
            return min(ok, key=lambda t: t[:2])[2], "optimal"
    return r.x, f"SLSQP: {r.message}"


class _StepFailed(Exception):
    """IPOPT did not solve the square twin at a trial point of the reduced-space step."""


def reduced_gradients(m, exprs, xvars, keep: dict | None = None) -> list[np.ndarray]:
    """Gradients of the Pyomo expressions ``exprs`` with respect to the variables ``xvars``
    along the solution of the square model (``xvars`` fixed, every other variable solved):
    g_x - J_x^T lambda with J_y^T lambda = g_y (implicit function theorem), J the Jacobian of
    the equality constraints at the current point. ``xvars`` are left fixed.

    keep : a dict that holds the PyNumero NLP between calls on the same model with the same
        fixed variables, active constraints and parameter values (the reduced-space step's
        evaluations: only variable values change); the NLP then only takes the current values
        instead of writing the model out again (an ``.nl`` write per call, like IPOPT's).
        Clear it when a mutable parameter or the structure changes."""
    import pyomo.environ as pyo
    import scipy.sparse.linalg as spla

    from . import _solver_env

    _solver_env.configure(idaes=True)  # before PyNumero looks for its library
    from pyomo.contrib.pynumero.interfaces.pyomo_nlp import PyomoNLP
    from pyomo.core.expr.calculus.derivatives import differentiate

    nlp = (keep or {}).get("nlp")
    if nlp is None:
        active = list(m.component_data_objects(pyo.Objective, active=True))
        for o in active:
            o.deactivate()
        for v in xvars:
            v.unfix()
        m._reduced_gradient_objective = pyo.Objective(expr=0.0)
        try:
            nlp = PyomoNLP(m)
        finally:
            m.del_component(m._reduced_gradient_objective)
            for o in active:
                o.activate()
            for v in xvars:
                v.fix()
        if keep is not None:
            keep["nlp"] = nlp
    vs = nlp.get_pyomo_variables()
    nlp.set_primals(np.array([v.value for v in vs], dtype=float))
    J = nlp.evaluate_jacobian_eq().tocsc()
    pos = {id(v): i for i, v in enumerate(vs)}
    idle = [re.sub(r"^fs\.(\w+)\.par\[(.+)\]$", r"\1.\2", v.name) for v in xvars if id(v) not in pos]
    if idle:  # a parameter the twin's equations do not use: no gradient, no optimum to find
        raise OptimizationError(f"{', '.join(idle)}: appears in no equation of the twin (the twin does not "
                                "model its effect), so it cannot be a decision variable; choose another")
    ix = [pos[id(v)] for v in xvars]
    iy = np.setdiff1d(np.arange(len(vs)), ix)
    lu = spla.splu(J[:, iy].T.tocsc())
    Jx = J[:, ix]
    out = []
    for e in exprs:
        g = np.asarray(differentiate(e, wrt_list=vs, mode=differentiate.Modes.reverse_numeric), dtype=float)
        out.append(g[ix] - Jx.T @ lu.solve(g[iy]))
    return out


