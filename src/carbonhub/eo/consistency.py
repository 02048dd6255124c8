"""First-order consistency of the twin's trust-region model with the core.

The twin's physics is the core's, but its TEA is not everything the core computes: some
costs follow the core only to first order in the unit sizes, some are frozen at the core's
value or scaled with the main product (utility rows of the costing, the pinch-targeted heat
supply, the fuel-gas export credit of a route burning its own gases, ...). Its value equals
the core's at the point it is built from; its gradient need not. A trust-region method whose
model has the wrong gradient does not converge to a stationary point of the true problem:
its steps stop where the *model*'s gradient vanishes, which may be beaten by a plain grid of
core points (plastics_pyrolysis: the twin saw no dependence of the fuel-gas credit on the
condenser temperature and drove it to the wrong bound), or wander without converging.

The remedy is the standard one of trust-region methods with approximate models (Alexandrov,
Dennis, Lewis & Torczon 1998, Struct. Optim. 15:16-23, doi:10.1007/BF01197433; Eason & Biegler
2016, AIChE J. 62:3124-3136, doi:10.1002/aic.15325): add to each twin expression ``e`` that
enters the problem (objective, KPI constraints) the linear term that makes its gradient at the
anchor point ``x_b`` the core's,

    e_c(x) = e(x) + (g_core - g_twin)^T (x - x_b),

with ``g_core`` from central differences of the core (all ``2 n`` points in one vectorised
call, cheap next to one IPOPT solve) and ``g_twin`` the twin's reduced gradient. At a point
where the corrected model's step vanishes, the core's first-order conditions hold.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

FD_REL_STEP = 1e-4
"""Central-difference step of the core gradient, as a fraction of each decision variable's
range (its trust-region box width): large against the core's convergence noise (tears to
~1e-10 relative), small against the curvature."""

OBJECTIVE_KPI = {"msp": "msp_eur_per_t", "npv": "npv_eur", "co2": "co2_emitted_t_per_y"}


def fd_points(x_b: Mapping[str, float], window: Mapping[str, tuple[float, float]],
              span: Mapping[str, float]) -> tuple[dict[str, np.ndarray], list[tuple[int, int, float]]]:
    """Parameters of the 1 + 2n core cases around ``x_b`` (case 0 the point itself) and, per
    variable, (case +, case -, their distance). The pair stays inside ``window`` (the twin's
    own validity window, e.g. an MtO yield-table segment): one-sided at its edge, so the core's
    slope is that of the segment the twin models, not the average across a kink."""
    names = list(x_b)
    cols = {k: [x_b[k]] for k in names}
    pairs = []
    for i, k in enumerate(names):
        lo, hi = window[k]
        h = FD_REL_STEP * span[k]
        up, dn = min(x_b[k] + h, hi), max(x_b[k] - h, lo)
        if hi - lo < 2 * h:  # a window narrower than the step: both points at its ends
            up, dn = hi, lo
        for j, k2 in enumerate(names):
            cols[k2] += [up if j == i else x_b[k2], dn if j == i else x_b[k2]]
        pairs.append((1 + 2 * i, 2 + 2 * i, up - dn))
    return {k: np.array(v, dtype=float) for k, v in cols.items()}, pairs


def core_gradients(fs, base: Mapping, x_b: Mapping[str, float], window, span, names) -> dict:
    """Core KPI values at ``x_b`` and their gradients over the decision variables, for the KPI
    ``names`` the core reports: {name: (value, central, forward, backward differences)}. Raises ValueError when a
    core case fails (no gradient there)."""
    cols, pairs = fd_points(x_b, window, span)
    n = 1 + 2 * len(x_b)
    params = {}
    for k, v in base.items():  # one case: every other parameter repeated over the 1 + 2n cases
        if k not in cols:
            a = np.ravel(np.asarray(v))
            params[k] = np.repeat(a[:1], n) if a.size == 1 else v
    res = fs.simulate(params={**params, **cols})
    bad = [str(s) for s in res.status if s != "ok"]
    if bad:
        raise ValueError(f"the core fails next to the point: {bad[0]}")
    out = {}
    for name in names:
        if name not in res.kpis.columns:
            continue
        v = res.kpis[name].to_numpy(dtype=float)
        x = [(cols[k][a], cols[k][0], cols[k][b]) for k, (a, b, _) in zip(x_b, pairs)]
        central = np.array([(v[a] - v[b]) / d for a, b, d in pairs])
        fwd = np.array([(v[a] - v[0]) / (xa - x0) if xa > x0 else c
                        for (a, _, _), (xa, x0, _), c in zip(pairs, x, central)])
        bwd = np.array([(v[0] - v[b]) / (x0 - xb_) if x0 > xb_ else c
                        for (_, b, _), (_, x0, xb_), c in zip(pairs, x, central)])
        out[name] = (float(v[0]), central, fwd, bwd)
    return out


KINK_REL = 0.05
"""Forward and backward core slopes that differ by more than this fraction reveal a kink
within the difference step (e.g. the plant's net steam crossing zero): the slope of the side
the twin's regime holds is taken instead of their average."""


def pick_slopes(core_entry, regime_slopes) -> np.ndarray:
    """The core gradient for the correction: central differences, or at a kink the one-sided
    slope on the side where every regime of the twin keeps its sign (``regime_slopes``: the
    twin's gradients of side x net, > 0 where moving forward stays on the side)."""
    _, central, fwd, bwd = core_entry
    g = central.copy()
    for i in range(g.size):
        if abs(fwd[i] - bwd[i]) > KINK_REL * max(abs(fwd[i]), abs(bwd[i])) and regime_slopes:
            g[i] = fwd[i] if all(r[i] >= 0 for r in regime_slopes) else bwd[i]
    return g


def kpi_names(objective, constraints) -> list[str]:
    """The twin KPIs (``m.tea`` attributes) an objective and its constraints use."""
    from .errors import OptimizationError

    objs = list(objective) if isinstance(objective, Mapping) else [objective]
    bad = [o for o in objs if o not in OBJECTIVE_KPI]
    if bad:
        raise OptimizationError(f"objective {bad[0]!r}: expected one of {tuple(OBJECTIVE_KPI)} or a dict of weights")
    names = [OBJECTIVE_KPI[o] for o in objs]
    return list(dict.fromkeys(names + list(constraints or {})))


class Corrected:
    """The twin KPI expressions with the first-order correction: ``getattr(c, name)`` is the
    corrected expression where the core gave a gradient, else the twin's own."""

    def __init__(self, tea, terms: Mapping):
        self._tea, self._terms = tea, dict(terms)

    def __getattr__(self, name):
        e = getattr(self._tea, name)
        t = self._terms.get(name)
        return e if t is None else e + t


def correction(m, xs, x_b, names, core: Mapping, reduced_gradients) -> tuple["Corrected", dict]:
    """Take the twin's reduced gradients of the KPIs ``names`` at ``x_b`` (``xs`` fixed there;
    the twin is at the core's solution it was initialised from, which satisfies its equations
    to round-off, so no solve is needed) and build the correction terms toward the ``core``
    gradients. Returns the corrected KPIs and {name: (twin gradient, core gradient)}."""
    for v, val in zip(xs, x_b):
        v.fix(float(val))
    have = [n for n in names if n in core and hasattr(m.tea, n)]
    regimes = list(m._carbonhub.get("regimes", {}).values())
    exprs = [getattr(m.tea, n) for n in have] + [r.side * r.net_t_per_y for r in regimes]
    grads = reduced_gradients(m, exprs, xs) if have else []
    for v in xs:
        v.unfix()
    terms, record = {}, {}
    for n, g in zip(have, grads):
        gc = pick_slopes(core[n], grads[len(have):])
        d = gc - g
        terms[n] = sum(float(di) * (v - float(x0)) for di, v, x0 in zip(d, xs, x_b))
        record[n] = (g, gc)
    return Corrected(m.tea, terms), record


ETA = 0.1
"""A step is taken when the core's reduction of the objective is at least this fraction of the
corrected model's prediction (the usual acceptance ratio of trust-region methods)."""

VIOLATION_TOL = 1e-6
"""Relative violation of a KPI constraint that still counts as met in the core."""


def objective_sense(name: str) -> int:
    """+1 for the KPIs minimised (MSP, CO2), -1 for NPV (maximised)."""
    return -1 if name == "npv" else 1


def merit(objective, vals: Mapping[str, float], scales: Mapping[str, float]) -> float:
    """The objective as minimised, from KPI values: sense x KPI, or for a dict of weights the
    weighted sum of the KPIs over their ``scales`` (their values at the anchor point)."""
    if isinstance(objective, Mapping):
        return sum(float(w) * objective_sense(o) * vals[OBJECTIVE_KPI[o]] / scales[OBJECTIVE_KPI[o]]
                   for o, w in objective.items())
    return objective_sense(objective) * vals[OBJECTIVE_KPI[objective]]


def violation(constraints, vals: Mapping[str, float]) -> float:
    """Sum of the relative violations of the KPI constraints {name: (lower, upper)}."""
    out = 0.0
    for name, (lo, hi) in (constraints or {}).items():
        v = vals[name]
        if lo is not None:
            out += max(0.0, float(lo) - v) / max(abs(float(lo)), 1.0)
        if hi is not None:
            out += max(0.0, v - float(hi)) / max(abs(float(hi)), 1.0)
    return out


def core_accepts(fs, base: Mapping, x: Mapping[str, float], objective, constraints, scales,
                 f_b: float, v_b: float, f_model: float):
    """Simulate the trial point ``x`` in the core and decide: True, or the reason it is
    rejected. ``f_b``/``v_b``: merit and violation at the anchor (core), ``f_model``: the
    corrected model's merit at ``x``."""
    p = dict(base)
    p.update({k: np.array([v]) for k, v in x.items()})
    res = fs.simulate(params=p)
    if res.status[0] != "ok":
        return f"the core fails there: {res.status[0]}"
    vals = {n: float(res.kpis[n].iloc[0]) for n in scales if n in res.kpis.columns}
    if any(n not in vals for n in scales):
        return True  # a KPI the core does not report: nothing to test it against
    f_t, v_t = merit(objective, vals, scales), violation(constraints, vals)
    if v_b > VIOLATION_TOL:  # restoring feasibility: any progress toward it
        return True if v_t < v_b else f"constraint violation {v_b:.3g} -> {v_t:.3g} in the core"
    if v_t > VIOLATION_TOL:
        return f"the core violates the constraints there ({v_t:.3g})"
    pred, act = f_b - f_model, f_b - f_t
    if pred <= 0.0:
        return True if act >= 0.0 else f"no reduction predicted, the core's objective rises by {-act:.3g}"
    rho = act / pred
    return True if rho >= ETA else f"actual / predicted reduction {rho:.3g} < {ETA:g}"
