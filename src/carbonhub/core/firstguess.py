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
iteration and its tolerance decide where a case stops. (Pairs of parameters, each at its upper
point, add a bilinear term: :func:`moved_terms`.)

Each parameter is also solved at its far points, ``REACH`` times the points' offsets (inside its
declared range), so that a case between a point and the clamp takes the quadratic through the
defaults, its side's point and far point, instead of the two-sided quadratic extrapolated
(:func:`far_offsets`): waste_methanol_mto's CO2 capture moves the loop's chemistry much faster
below its default than above it (the CO2 slip 1 - capture triples at -10 %). The same terms move
the loops' slopes (:mod:`.slopes`) and the design specs' starts.

Like the warm start, the guess depends only on the flowsheet and the case's own parameter values,
never on the other cases of a batch; a parameter at its default adds nothing, whatever else the
run sets.
"""
from __future__ import annotations

import numpy as np

from ..thermo.engine import use_numba
from ..thermo.rowdot import rowsum
from ._broyden_kernel import moved_rows

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
FAR = ">"
"""Key suffix of a parameter's far points (:func:`plan_points`): at ``REACH`` x its points'
offsets, so that a case between its points and the clamp is interpolated, not extrapolated."""
FAR_MIN = 1.25
"""A side's far point is solved only where the declared range leaves it beyond this multiple of
the near point's offset."""


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


def far_offsets(fs, name: str) -> np.ndarray | None:
    """The far points of parameter ``name``: its value at ``REACH`` x each point's offset, inside
    the declared range, on each side where that lies beyond ``FAR_MIN`` x the point's offset;
    None where no side has one (or the parameter has no points)."""
    pt = offsets(fs, name)
    if pt is None:
        return None
    decl = fs.param_decl(name)
    p0, lo, hi = pt
    far = [min(max(p0 + REACH * (v - p0), float(decl.lower)), float(decl.upper)) for v in (lo, hi)]
    keep = [f for f, v in zip(far, (lo, hi)) if abs(f - p0) > FAR_MIN * abs(v - p0)]
    return np.array(keep) if keep else None


def plan_points(fs, names: list[str], pairs: list[tuple[str, str]]) -> list[tuple[str, dict]]:
    """The points to solve: (key, {parameter: values}) with two values (the two points) for each
    parameter of ``names`` (key = its name; a name ending in ``FAR``: that parameter's far points,
    :func:`far_offsets`) and one (both at their upper point) for each pair (key = "a|b"); a
    parameter without two points in its range is left out."""
    out = []
    for n in names:
        if n.endswith(FAR):
            far = far_offsets(fs, n[:-len(FAR)])
            if far is not None:
                out.append((n, {n[:-len(FAR)]: far}))
            continue
        pt = offsets(fs, n)
        if pt is not None:
            out.append((n, {n: np.array(pt[1:])}))
    for a, b in pairs:
        pa, pb = offsets(fs, a), offsets(fs, b)
        if pa is not None and pb is not None:
            out.append((f"{a}|{b}", {a: np.array(pa[2:]), b: np.array(pb[2:])}))
    return out


def solve_points(fs, plan: list[tuple[str, dict]], solve, warm: dict, new_run, slopes=None) -> dict:
    """Solve the flowsheet at the defaults with the points of ``plan`` (:func:`plan_points`) in
    one batch ``new_run(fs, params, n)`` with ``solve(run)`` (the solver on a run whose tears start
    from ``warm``). Returns {key: point data, or None where a point failed}: the offsets, the
    tears of every block, every stream's flow and every spec's value at the key's points; with
    ``slopes(run, rows)`` ({block key: (rows, ...)} at the solved rows, :mod:`.slopes`) those too."""
    if not plan:
        return {}
    rows = [len(next(iter(v.values()))) for _, v in plan]
    k = sum(rows)
    names = sorted({n for _, v in plan for n in v})
    p0 = {n: offsets(fs, n)[0] for n in names}
    params = {n: np.full(k, p0[n]) for n in names}
    o = 0
    for (_, v), r in zip(plan, rows):
        for n, vals in v.items():
            params[n][o:o + r] = vals
        o += r
    run = new_run(fs, params, k)
    run.warm = warm
    solve(run)
    specs = {sp.id: run.param_array(sp.vary).astype(float) for sp in fs.specs}
    out: dict = {}
    good = np.flatnonzero(run.status == "ok")
    measured = slopes(run, good) if slopes is not None and good.size else {}
    o = 0
    for (key, v), r in zip(plan, rows):
        c = slice(o, o + r)
        o += r
        if not (run.status[c] == "ok").all():
            out[key] = None
            continue
        at = np.searchsorted(good, np.arange(c.start, c.stop))
        tears = {}
        for units, ts in fs.order():
            if ts and all(t in run.streams for t in ts):
                tears[",".join(ts)] = {t: (run.streams[t].flow[c], run.streams[t].T[c], run.streams[t].P[c]) for t in ts}
        out[key] = {"d": {n: vals - p0[n] for n, vals in v.items()}, "p0": {n: p0[n] for n in v}, "tears": tears,
                    "flows": {sid: s.flow[c] for sid, s in run.streams.items()}, "specs": {s: x[c] for s, x in specs.items()},
                    "slopes": {b: J[at] for b, J in measured.items()},
                    "passes": {b: it[c] for b, it in run.iterations.items()}}
    return out


def _quadratic(d: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """a, b of y = a d + b d^2 through (0, 0) and the two points (d[j], y[j]) (y: (2, m))."""
    s1, s2 = y[0] / d[0], y[1] / d[1]
    b = (s1 - s2) / (d[0] - d[1])
    return s1 - b * d[0], b


def _offset(run, name: str, pt: dict, idx: np.ndarray) -> np.ndarray:
    """The cases' offsets from the default along ``name`` (a parameter's own points ``pt``),
    clamped to REACH x the points'."""
    d = run.param_array(name)[idx].astype(float) - pt["p0"][name]
    return np.clip(d, REACH * pt["d"][name][0], REACH * pt["d"][name][1])


def _sides(d: np.ndarray, y: np.ndarray, far: dict | None, yf: np.ndarray | None, name: str) -> list:
    """[(a, b)] of the quadratic below and above the default: through the two points where no
    far point is known on that side, else through (0, 0), the side's point and its far point."""
    a, b = _quadratic(d, y)
    out = [(a, b), (a, b)]
    if far is not None and yf is not None:
        for j, df in enumerate(far["d"][name]):
            side = int(df > 0)
            out[side] = _quadratic(np.array([d[side], df]), np.stack([y[side], yf[j]]))
    return out


def moved_terms(run, idx: np.ndarray, value) -> tuple[list, list]:
    """The terms of :func:`_moved` in order: (per-case factors [(n,)], coefficients [(m,)]): for
    each parameter its offset d and d^2 with the quadratic's a and b (where its far points are
    known, :func:`far_offsets`: the offset below and above the default, each with its side's
    quadratic), for each pair the product of the offsets with the bilinear coefficient; a term
    that is zero in every case is left out."""
    pts = getattr(run, "guess_points", None) or {}
    coef, fac, cs, offset = {}, [], [], {}
    for name, pt in pts.items():
        if pt is None or "|" in name or name.endswith(FAR):
            continue
        y = value(pt)
        if y is None:
            continue
        coef[name] = _quadratic(pt["d"][name], y)
        far = pts.get(name + FAR)
        yf = None if far is None else value(far)
        d = offset[name] = _offset(run, name, pt, idx)
        if yf is None:
            parts = [(d, coef[name])]
        else:
            (al, bl), (ah, bh) = _sides(pt["d"][name], y, far, yf, name)
            parts = [(np.minimum(d, 0.0), (al, bl)), (np.maximum(d, 0.0), (ah, bh))]
        for dd, (a, b) in parts:
            if dd.any():
                fac += [dd, dd * dd]
                cs += [a, b]
    for key, pt in pts.items():
        if pt is None or "|" not in key:
            continue
        na, nb = key.split("|")
        y = value(pt)
        if y is None or na not in coef or nb not in coef:
            continue
        ha, hb = pt["d"][na][0], pt["d"][nb][0]
        (aa, ba), (ab, bb) = coef[na], coef[nb]
        c = (y[0] - (aa * ha + ba * ha * ha) - (ab * hb + bb * hb * hb)) / (ha * hb)
        dd = offset[na] * offset[nb]
        if dd.any():
            fac.append(dd)
            cs.append(c)
    return fac, cs


def _moved(run, idx: np.ndarray, value) -> np.ndarray | None:
    """The change (n, m) of a quantity from the defaults to each case: the sum over the
    parameters of the quadratic through each parameter's two points, and over the pairs of
    parameters of the bilinear term that the pair's point adds to their two quadratics.
    ``value(point data)`` gives the quantity's change at a key's points (rows, m), or None."""
    fac, coef = moved_terms(run, idx, value)
    if not fac:
        return None
    if use_numba():  # each case's terms summed in the same order, compiled
        out = np.empty((idx.size, coef[0].size))
        moved_rows(np.stack(fac), np.stack(coef), np.zeros(coef[0].size), out)
        return out
    total = None
    for f, c in zip(fac, coef):
        total = (0.0 if total is None else total) + f[:, None] * c
    return total


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
    pos = flow0 > 0

    def log_flow_temperature_pressure(pt):  # one column per component, then T and P
        if key not in pt["tears"]:
            return None
        r = inflow_factor(inflow_of(pt["flows"], into, flow0.size), F0)
        flow, Tp, Pp = pt["tears"][key][t]
        with np.errstate(all="ignore"):
            y = np.log(flow / np.where(pos, flow0, 1.0) / r)
        return np.concatenate([np.where(pos & np.isfinite(y), y, 0.0), (Tp - T0)[:, None], (Pp - P0)[:, None]], axis=1)

    got = _moved(run, idx, log_flow_temperature_pressure)  # each column on its own: as one by one
    if got is None:
        return None
    nc = flow0.size
    return np.clip(got[:, :nc], -MAX_LOG, MAX_LOG), T0 + got[:, nc], P0 + got[:, nc + 1]


def spec_guess(run, spec_id: str, u0: float, idx: np.ndarray) -> np.ndarray:
    """Per-case start of a design spec's variable solved with the tears (:mod:`.joint`): its value
    at the defaults ``u0`` moved along the parameters (:func:`_moved`)."""
    du = _moved(run, idx, lambda pt: (pt["specs"][spec_id] - u0)[:, None] if spec_id in pt["specs"] else None)
    return np.full(idx.size, float(u0)) if du is None else float(u0) + du[:, 0]
