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
    from scipy.optimize import minimize

    from .model import solve

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
        term = str(solve(m, tee=tee, options={"max_iter": EVAL_MAX_ITER}).solver.termination_condition)
        if term not in ("optimal", "locallyOptimal"):
            raise _StepFailed(term)
        exprs = [obj.expr] + [c.body for c in cons]
        vals = [pyo.value(e) for e in exprs]
        grads = reduced_gradients(m, exprs, xs)
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
        r = minimize(lambda z: f(z) / f0, z0, jac=lambda z: df(z) / f0, method="SLSQP",
                     bounds=[(0.0, 1.0)] * len(xs), constraints=scipy_cons,
                     options={"ftol": 1e-10, "maxiter": 100})
        evaluate(r.x)  # leave the model at the optimum
        for v, val in zip(xs, lo + np.clip(r.x, 0.0, 1.0) * width):
            v.set_value(float(val))
        term = "optimal" if r.success else f"SLSQP: {r.message}"
    except _StepFailed as exc:
        term = str(exc)
    finally:
        for v in xs:
            v.unfix()
        for c in cons:
            c.activate()
        obj.activate()
    return term


class _StepFailed(Exception):
    """IPOPT did not solve the square twin at a trial point of the reduced-space step."""


def reduced_gradients(m, exprs, xvars) -> list[np.ndarray]:
    """Gradients of the Pyomo expressions ``exprs`` with respect to the variables ``xvars``
    along the solution of the square model (``xvars`` fixed, every other variable solved):
    g_x - J_x^T lambda with J_y^T lambda = g_y (implicit function theorem), J the Jacobian of
    the equality constraints at the current point. ``xvars`` are left fixed."""
    import pyomo.environ as pyo
    import scipy.sparse.linalg as spla

    from . import _solver_env

    _solver_env.configure(idaes=True)  # before PyNumero looks for its library
    from pyomo.contrib.pynumero.interfaces.pyomo_nlp import PyomoNLP
    from pyomo.core.expr.calculus.derivatives import differentiate

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
    J = nlp.evaluate_jacobian_eq().tocsc()
    vs = nlp.get_pyomo_variables()
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


