"""A per-case first guess of the tears: the defaults' solution moved along each parameter.

The warm start (:mod:`.warmstart`) starts every case from the flowsheet's converged tears at its
defaults, scaled by the case's inflow into the loop. A parameter that moves the loop's chemistry
moves its holdup far more than its inflow: waste_methanol_mto's methanol reactor at +29 K of its
default holds twice the defaults' CO and a third of their CO2 in the recycle, and such a case
spent its first 15 passes near a relative error of 0.1 before Anderson's model found the loop.

Here the flowsheet is also solved, once and kept like the defaults' solution, at the defaults with
one parameter moved to each side (``STEP`` of its value, inside its declared range): one batch of
two cases per parameter the run sets. Along each parameter the tears' converged values per unit
inflow are fitted by the quadratic through the three points (flows in logarithms, so that they stay
positive and a throughput parameter is a pure scale; T and P as they are), and a case's guess adds
the quadratics of its own parameter offsets (clamped to ``REACH`` times the points' offsets) to the
defaults' solution. Cross terms are left out: the guess only has to be near the fixed point, the
iteration and its tolerance decide where a case stops.

Like the warm start, the guess depends only on the flowsheet and the case's own parameter values,
never on the other cases of a batch; a parameter at its default adds nothing, whatever else the
run sets.
"""
from __future__ import annotations

import numpy as np

from ..thermo.rowdot import rowsum

STEP = 0.05
"""Offset of the two points along a parameter: this fraction of its default (of its declared
range where the default is 0)."""
REACH = 2.0
"""A case's offset is clamped to this multiple of the points' offsets (the quadratics are not
extrapolated further)."""
OWN_INFLOW = 1e-6
"""A component whose inflow into the loop at the defaults exceeds this fraction of the total scales
with its own inflow (:func:`inflow_factor`)."""
MAX_LOG = np.log(10.0)
"""The flows' summed log-correction is clamped to +- this (a guess within 10x of the defaults')."""


def varied(fs, run) -> list[str]:
    """The unit parameters the run sets away from their value at the defaults: numbers, not
    derived, not varied by a design spec."""
    by_spec = {s.vary for s in fs.specs}
    out = []
    for uid, vals in run.overrides.items():
        if uid not in fs.units:
            continue
        for pname, v in vals.items():
            name = f"{uid}.{pname}"
            decl = fs.param_decl(name)
            if decl.kind != "float" or decl.derived is not None or name in by_spec:
                continue
            p0 = fs.units[uid].values.get(pname, decl.default)
            if np.ndim(p0) == 0 and np.isfinite(float(p0)) and np.any(np.asarray(v, dtype=float) != float(p0)):
                out.append(name)
    return sorted(out)


def offsets(fs, name: str) -> tuple[float, float, float] | None:
    """(default, lower point, upper point) of parameter ``name``, or None when no two points fit
    inside its declared range."""
    decl = fs.param_decl(name)
    uid, pname = name.split(".", 1)
    p0 = float(fs.units[uid].values.get(pname, decl.default))
    span = float(decl.upper) - float(decl.lower)
    h = STEP * abs(p0) if p0 != 0 else (STEP * span if np.isfinite(span) else 0.0)
    lo, hi = max(p0 - h, float(decl.lower)), min(p0 + h, float(decl.upper))
    if not (h > 0 and lo < p0 < hi):
        return None
    return p0, lo, hi


def solve_points(fs, names: list[str], solve, warm: dict, new_run) -> dict:
    """Solve the flowsheet at the defaults with each parameter of ``names`` at its two points
    (one batch ``new_run(fs, params, n)``), with ``solve(run)`` (the solver on a run whose tears
    start from ``warm``).
    Returns {name: point data or None}: the tears of every block, every stream's total flow and
    every spec's value at the two points."""
    pts = {n: offsets(fs, n) for n in names}
    use = [n for n in names if pts[n] is not None]
    out: dict = {n: None for n in names}
    if not use:
        return out
    k = 2 * len(use)
    params = {}
    for i, n in enumerate(use):
        v = np.full(k, pts[n][0])
        v[2 * i:2 * i + 2] = pts[n][1:]
        params[n] = v
    run = new_run(fs, params, k)
    run.warm = warm
    solve(run)
    specs = {sp.id: run.param_array(sp.vary).astype(float) for sp in fs.specs}
    for i, n in enumerate(use):
        c = slice(2 * i, 2 * i + 2)
        if not (run.status[c] == "ok").all():
            continue
        tears = {}
        for units, ts in fs.order():
            if ts and all(t in run.streams for t in ts):
                tears[",".join(ts)] = {t: (run.streams[t].flow[c], run.streams[t].T[c], run.streams[t].P[c]) for t in ts}
        p0, lo, hi = pts[n]
        out[n] = {"d": np.array([lo - p0, hi - p0]), "p0": p0, "tears": tears,
                  "flows": {sid: s.flow[c] for sid, s in run.streams.items()}, "specs": {s: v[c] for s, v in specs.items()}}
    return out


def _quadratic(d: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """a, b of y = a d + b d^2 through (0, 0) and the two points (d[j], y[j]) (y: (2, m))."""
    s1, s2 = y[0] / d[0], y[1] / d[1]
    b = (s1 - s2) / (d[0] - d[1])
    return s1 - b * d[0], b


def _offset(run, name: str, pt: dict, idx: np.ndarray) -> np.ndarray:
    """The cases' offsets from the default along ``name``, clamped to REACH x the points'."""
    d = run.param_array(name)[idx].astype(float) - pt["p0"]
    return np.clip(d, REACH * pt["d"][0], REACH * pt["d"][1])


def inflow_of(flows: dict, into: list[str], nc: int) -> np.ndarray:
    """Component inflow (..., n_components) over connections ``into`` from ``flows`` {id: flow}."""
    return sum((flows[c] for c in into if c in flows), np.zeros(nc))


def inflow_factor(F: np.ndarray, F0: np.ndarray) -> np.ndarray:
    """Per-case, per-component factor of the loop's holdup from its inflow ``F`` (n, n_components)
    over the defaults' ``F0`` (n_components,): a component that enters the loop (more than
    ``OWN_INFLOW`` of the defaults' total inflow) scales with its own inflow (an inert held up by
    the purge is exactly so), the others (made in the loop) with the total inflow."""
    tot, tot0 = rowsum(F), F0.sum()
    whole = np.where(np.isfinite(tot) & (tot0 > 0), tot / (tot0 if tot0 > 0 else 1.0), 1.0)
    own = F0 > OWN_INFLOW * tot0
    with np.errstate(all="ignore"):
        r = F / np.where(own, F0, 1.0)
    return np.where(own & np.isfinite(r) & (r > 0), r, whole[:, None])


def tear_guess(run, key: str, t: str, into: list[str], F0: np.ndarray, idx: np.ndarray, flow0: np.ndarray,
               T0: float, P0: float) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Per-case correction of the defaults' tear ``t`` (flows ``flow0`` (n_components,) per unit
    of :func:`inflow_factor` over connections ``into``, whose inflow there is ``F0``; ``T0``,
    ``P0``): the log of the flow factor (n, n_components), and T and P (n,); None without points."""
    pts = getattr(run, "guess_points", None)
    if not pts:
        return None
    n = idx.size
    logf = np.zeros((n, flow0.size))
    T = np.full(n, T0)
    P = np.full(n, P0)
    used = False
    pos = flow0 > 0
    for name, pt in pts.items():
        if pt is None or key not in pt["tears"]:
            continue
        d = _offset(run, name, pt, idx)
        if not d.any():
            continue
        fl, Tp, Pp = pt["tears"][key][t]
        r = inflow_factor(inflow_of(pt["flows"], into, flow0.size), F0)
        with np.errstate(all="ignore"):
            y = np.log(fl / np.where(pos, flow0, 1.0) / r)
        ok = pos & np.isfinite(y).all(axis=0)
        a, b = _quadratic(pt["d"], np.where(ok, y, 0.0))
        logf += d[:, None] * a + (d * d)[:, None] * b
        aT, bT = _quadratic(pt["d"], np.stack([Tp - T0, Pp - P0], axis=1))
        T += d * aT[0] + d * d * bT[0]
        P += d * aT[1] + d * d * bT[1]
        used = True
    if not used:
        return None
    return np.clip(logf, -MAX_LOG, MAX_LOG), T, P


def spec_guess(run, spec_id: str, u0: float, idx: np.ndarray) -> np.ndarray:
    """Per-case start of a design spec's variable solved with the tears (:mod:`.joint`): its value
    at the defaults ``u0`` moved along each parameter by the quadratic through its two points."""
    u = np.full(idx.size, float(u0))
    for name, pt in (getattr(run, "guess_points", None) or {}).items():
        if pt is None or spec_id not in pt["specs"]:
            continue
        d = _offset(run, name, pt, idx)
        if d.any():
            a, b = _quadratic(pt["d"], (pt["specs"][spec_id] - u0)[:, None])
            u += d * a[0] + d * d * b[0]
    return u

