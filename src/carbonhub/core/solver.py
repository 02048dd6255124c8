"""Batched sequential-modular solution of a flowsheet.

* Blocks (strongly connected components) are solved in topological order.
* A block with recycles converges its tear streams per case (flows, T, P) by Anderson
  acceleration with safeguards and a Wegstein fallback for cases that stall, or by Wegstein's
  method alone (``method="wegstein"``, carbonhub's first solver): see :mod:`.recycle`. Where
  the first guess's points are solved, the loop map's slope is measured there too and, in a loop
  where Anderson alone needs more than a few passes at those points, each case starts with
  Broyden steps from its own slope (:mod:`.slopes`, :func:`.slopes.pays`, :func:`tear_pass`; a loop
  solved with its design spec too, over the tears and the spec's variable).
  Converged cases leave the working set, so each case follows exactly the iterations it would
  follow alone. A pass runs the block's units in order, and runs a tear's destination again
  once the tear's source has given its new value when later units read the destination's
  outlets (:func:`pass_steps`: a feed-effluent exchanger torn at its hot inlet); a tear whose
  destination's outlets read in the pass do not depend on it is not iterated (:mod:`.passive`).
  Iterations and the final tear residual of every case are kept per block
  (``run.iterations``, ``run.residuals``; ``SimulationResult.convergence``).
* Design specs are solved per case by a bracketed Illinois (modified regula falsi) iteration
  (:mod:`.illinois`). Specs whose measures do not
  depend on each other's variables in a cycle are solved one after the other, each iterating
  only the blocks downstream of its varied unit and upstream of its measured unit
  (:func:`spec_plan`); coupled specs are nested. A spec whose blocks contain a recycle is
  solved together with its tears (the varied parameter joins the tear vector, :mod:`.joint`),
  and only the cases that do not converge so by Illinois around the loop. A spec with a
  ``makeup`` parameter keeps a
  case whose target is out of reach at the nearer bound and sets ``makeup`` to the shortfall
  (e.g. natural gas topping up a reformer's firing) instead of failing it. Every spec's
  iterations and final |measure - target| are kept per case (``spec:<id>`` in ``run.iterations``).
* A case that fails (a unit reports a reason, no convergence, spec out of reach) is flagged
  in ``status`` and removed from further work; the others go on.
"""
from __future__ import annotations

import numpy as np

from ..units import ATM
from . import firstguess, narrow, passive, slopes, warmstart
from .illinois import illinois, merge_cases, record_spec
from .joint import BOUND_PASSES, MAX_PASSES, JointSpec, set_values, spec_residual
from .recycle import METHODS, TearAccelerator
from .solver_plan import spec_plan
from .stream import Stream
from .tearlayout import TearLayout
from .unit import UnitResult


def _ports(fs) -> tuple[dict[str, list[tuple[str, str]]], dict[str, dict[str, str]]]:
    """({unit id: [(inlet port, stream id)]}, {unit id: {outlet port: stream id}}) in the order of
    ``fs.connections``, built once per set of connections (a flowsheet only appends to them) and
    kept on the flowsheet, instead of a scan of every connection at every unit call."""
    got = getattr(fs, "_solver_ports", None)
    if got is None or got[0] is not fs.connections or got[1] != len(fs.connections):
        ins: dict[str, list[tuple[str, str]]] = {}
        outs: dict[str, dict[str, str]] = {}
        for c in fs.connections:
            ins.setdefault(c.dst.unit.id, []).append((c.dst.name, c.id))
            outs.setdefault(c.src.unit.id, {})[c.src.name] = c.id
        got = fs._solver_ports = (fs.connections, len(fs.connections), ins, outs)
    return got[2], got[3]


def _inputs(fs, run, uid: str, idx: np.ndarray, guesses: dict[str, Stream]) -> dict[str, Stream]:
    """The unit's inlets for cases ``idx``, read-only views where ``idx`` is every case of the
    stream (:meth:`Stream.read`: no copy), else copies."""
    return {port: guesses[sid].read(idx) if sid in guesses else run.streams[sid].read(idx)
            for port, sid in _ports(fs)[0].get(uid, ())}


def _outlet_ids(fs, uid: str) -> dict[str, str]:
    return _ports(fs)[1].get(uid, {})


def run_unit(fs, run, uid: str, idx: np.ndarray, guesses: dict[str, Stream],
             soft: dict | None = None) -> np.ndarray:
    """Run one unit on cases ``idx``; returns the mask (over idx) of cases that are ok.

    ``soft``: inside a recycle iteration, a reason a unit reports for a case (with finite
    outlets) is kept in ``soft[unit id]`` (an object array over all cases), not in the run
    status, and the case goes on iterating: an intermediate iterate may be infeasible where
    the converged state is not. The block writes the reasons that still hold at convergence."""
    unit = fs.units[uid]
    if idx.size == 0:
        return np.ones(0, dtype=bool)
    p = unit.resolve(run.overrides.get(uid, {}), idx.size, idx)
    p.idx, p.n_total, p.scratch = idx, run.n, run.scratch.setdefault(uid, {})
    ins = _inputs(fs, run, uid, idx, guesses)
    try:
        with np.errstate(all="ignore"):
            res: UnitResult = unit.run(ins, p)
    except (ValueError, ArithmeticError) as exc:
        # a unit that rejects the whole batch: isolate the bad cases by bisection
        if idx.size == 1:
            run.status[idx] = f"{uid}: {exc}"
            return np.zeros(1, dtype=bool)
        h = idx.size // 2
        a = run_unit(fs, run, uid, idx[:h], guesses, soft)
        b = run_unit(fs, run, uid, idx[h:], guesses, soft)
        return np.concatenate([a, b])
    ok = np.ones(idx.size, dtype=bool)
    if soft is not None:
        pending = soft.get(uid)
        if pending is not None:
            pending[idx] = None
    if res.status is not None:
        bad = np.asarray(res.status) != "ok"
        if bad.any():
            reasons = np.array([f"{uid}: {s}" for s in np.asarray(res.status)[bad]], dtype=object)
            if soft is None:
                run.status[idx[bad]] = reasons
                ok &= ~bad
            else:
                if uid not in soft:
                    soft[uid] = np.full(run.n, None, dtype=object)
                soft[uid][idx[bad]] = reasons
    for port, sid in _outlet_ids(fs, uid).items():
        if port not in res.outlets:
            raise RuntimeError(f"{uid} ({type(unit).__name__}).run did not return outlet {port!r}")
        s = res.outlets[port]
        finite = s.finite_rows()
        newbad = ok & ~finite
        if newbad.any():
            run.status[idx[newbad]] = f"{uid}: non-finite outlet {port}"
            ok &= finite
        run.put_stream(sid, idx, s)
    run.put_result(uid, idx, res)
    return ok


def _vec(s: Stream) -> np.ndarray:
    return np.concatenate([s.flow, s.T[:, None], s.P[:, None]], axis=1)


def solve_block(fs, run, units: list[str], tears: list[str], idx: np.ndarray, tol: float,
                max_iter: int, method: str = "anderson", empty_start: bool = False,
                joint: JointSpec | None = None, defaults_start: bool = False, use_slopes: bool = True) -> np.ndarray:
    """Solve one block for cases idx; returns the ok mask over idx.

    The tears start from this run's values (design-spec iterations), else from
    ``fs.tear_guesses``, else from the flowsheet's solution at its defaults (:mod:`.warmstart`),
    else empty. A case that fails from the defaults' solution is solved again from empty tears
    (a case far from the defaults, e.g. another gasifier type); ``empty_start`` starts there.

    ``defaults_start``: start from ``fs.tear_guesses`` or the defaults' solution, not from this
    run's tears; a case that fails from this run's tears is solved again so.

    ``use_slopes``: each case starts with Broyden steps from its slope where one is known
    (:mod:`.slopes`); a case that fails so is solved again without.

    ``joint``: a design spec solved with the tears (:mod:`.joint`); a case that does not
    converge so is not failed but left in ``joint.handoff`` (a mask over idx) for the nested
    solve."""
    ok = np.ones(idx.size, dtype=bool)
    if not tears:
        for uid in units:
            sub = np.flatnonzero(ok)
            m = run_unit(fs, run, uid, idx[sub], {})
            ok[sub[~m]] = False
        return ok
    cs = fs.components
    previous = not (empty_start or defaults_start) and all(t in run.streams for t in tears)
    if previous and joint is None:
        # per case: a case with this run's tears (a design-spec iterate) starts from them, one
        # without from the defaults' solution, whatever the other cases of the batch hold
        fin = np.ones(idx.size, dtype=bool)
        for t in tears:
            fin &= np.isfinite(run.streams[t].flow[idx]).all(axis=1)
        if fin.any() and not fin.all():
            ok = np.zeros(idx.size, dtype=bool)
            ok[fin] = solve_block(fs, run, units, tears, idx[fin], tol, max_iter, method)
            ok[~fin] = solve_block(fs, run, units, tears, idx[~fin], tol, max_iter, method, defaults_start=True)
            return ok
        previous = bool(fin.all())
    guesses: dict[str, Stream] = {}
    from_defaults = False
    for t in tears:
        if empty_start:
            g = None
        elif previous and np.isfinite(run.streams[t].flow[idx]).all():
            g = run.streams[t].take(idx)  # warm start (design-spec iterations)
        elif t in fs.tear_guesses:
            g0 = fs.tear_guesses[t]
            g = Stream(cs, np.broadcast_to(g0.flow[:1], (idx.size, len(cs))).copy(), g0.T[0], g0.P[0])
        else:  # the flowsheet's solution at its defaults, scaled (warmstart)
            g = warmstart.guess(fs, run, units, tears, t, idx)
            from_defaults |= g is not None
        guesses[t] = g if g is not None else Stream(cs, np.zeros((idx.size, len(cs))), 298.15, ATM)
    # the loop's streams (with a joint spec's units) on the components they carry
    # (:mod:`.narrow`), whole again at the end
    block = units if joint is None else [*joint.before, *units, *joint.after]
    nb = narrow.begin(fs, run, block, idx, guesses)
    if nb is not None:
        cs = nb.sub
    # a passive tear (:mod:`.passive`) stays out of the iterated tears ``loop`` (unless all are)
    pas = passive.of_block(fs, run, units, tears, idx)
    loop = [t for t in tears if t not in pas] if len(pas) < len(tears) else tears
    pas = {t: v for t, v in pas.items() if t not in loop}
    x = np.concatenate([_vec(guesses[t]) for t in loop], axis=1)
    widths = [len(cs) + 2] * len(loop)
    if joint is not None:  # the spec's variable after the tears
        joint.begin(run, idx)
        joint.handoff = np.zeros(idx.size, dtype=bool)
        joint.f = np.full(idx.size, np.nan)
        x = np.concatenate([x, firstguess.spec_guess(run, joint.spec.id, joint.start, idx)[:, None]], axis=1)
        held = np.zeros(idx.size, dtype=int)  # passes at a bound that the map would leave
        max_iter = min(max_iter, MAX_PASSES)
    # the iteration runs on the variables the loop carries (:mod:`.tearlayout`)
    layout = TearLayout.of_nonzero(x, widths, 0 if joint is None else 1, cs.element_matrix)
    x = layout.compact(x)
    slope = slopes.case_jacobian(run, ",".join(tears), idx, loop) if use_slopes and method == "anderson" else None
    acc = TearAccelerator(method, widths, idx.size, layout=layout,
                          extra_scale=None if joint is None else np.full((idx.size, 1), joint.scale),
                          slopes=None if slope is None else slopes.start(slope[1], slope[0], slopes.full_index(
                              layout.cols, widths[0], None if nb is None else nb.cols, len(fs.components), len(loop)), slope[2]))
    max_all = max_iter
    if acc.H is not None:  # a case not converged so by then is solved again without the slopes
        max_iter = min(max_iter, slopes.MAX_PASSES)
        acc.refreshes = slopes.REFRESHES if joint is None else 0
        dead = np.setdiff1d(slope[0], slope[0][slope[2]])  # variables the map does not depend on
    steps = pass_steps(fs, units, tears, rerun=pas)
    watch: dict = {}  # destination -> its outlets read before its run on the fresh tear
    for d, sids in pas.values():
        watch[d] = (*watch.get(d, ()), *sids)
    if joint is not None:
        steps = [(u, frozenset()) for u in joint.before] + steps + [(u, frozenset()) for u in joint.after]
    soft: dict = {}
    active = np.arange(idx.size)  # positions in idx
    iters = np.zeros(idx.size, dtype=int)
    resid = np.full(idx.size, np.inf)
    for it in range(max_iter):
        if active.size == 0:
            break
        cases = idx[active]
        # the guess streams (stored by position in idx) take the iterate; units take case ids
        for t, (_, _, fpos, comp, tp, pp) in zip(loop, layout.parts):
            gs = guesses[t]
            gs.flow[np.ix_(active, comp)] = np.maximum(x[:, fpos], 0.0)
            gs.T[active] = x[:, tp]
            gs.P[active] = x[:, pp]
        okb = np.ones(active.size, dtype=bool)
        indexed = _reindex(guesses, idx)
        jc = layout.extra_start  # the spec's variable in the carried vector
        if joint is not None:
            set_values(run, joint.spec.vary, cases, x[:, jc])
        for uid, fresh in steps:
            if fresh and uid in watch:  # a passive tear's destination, before its run on the fresh tear
                first = passive.snapshot(run, watch[uid], cases)
            sub = np.flatnonzero(okb)
            gs = {t: v for t, v in indexed.items() if t not in fresh} if fresh else indexed
            m = run_unit(fs, run, uid, cases[sub], gs, soft)
            okb[sub[~m]] = False
        iters[active] += 1
        if any(t not in run.streams for t in tears):  # every case failed before a tear's source
            ok[active] = False
            if joint is not None:
                joint.handoff[active] = True
            active = active[:0]
            break
        tear_s = [run.streams[t] for t in loop]
        flows = [st.flow[cases] for st in tear_s]
        Ts, Ps = [st.T[cases] for st in tear_s], [st.P[cases] for st in tear_s]
        # carbon origins of the tears follow their source
        for t, st in zip(loop, tear_s):
            guesses[t].origin[active] = st.origin[cases]
        if pas:  # the passive tears' guesses take their fresh values
            passive.refresh(guesses, run, pas, active, cases)
        finite = np.ones(active.size, dtype=bool)
        for fl, t_, p_ in zip(flows, Ts, Ps):
            finite &= np.isfinite(fl).all(axis=1) & np.isfinite(t_) & np.isfinite(p_)
        bad = ~okb | ~finite
        gu = None
        if joint is not None:
            f = spec_residual(run, joint.spec, cases)
            joint.f[active] = f
            gu, out = joint.update(x[:, jc], f)
            gu = gu[:, None]
            bad |= ~np.isfinite(f)
            held[active] = np.where(out, held[active] + 1, 0)
        # a component reaching the tears for the first time joins the carried variables
        grown = layout.grow_flows([fl[~bad] for fl in flows] if bad.any() else flows)
        if grown is not None:
            wide = np.zeros((x.shape[0], layout.size))
            wide[:, grown] = x
            x = wide
            g = layout.gather(flows, Ts, Ps, gu)
            acc.widen(grown, np.where(bad[:, None], x, g))
            jc = layout.extra_start
        g = layout.gather(flows, Ts, Ps, gu)
        with np.errstate(all="ignore"):
            xn, dist = acc.step(x, np.where(bad[:, None], x, g))
        err = layout.error(x, g, dist)
        resid[active] = err
        conv = (err <= tol) & ~bad
        if pas:  # and the passive tears' destinations gave the pass what the fresh tears give
            conv &= passive.same(run, first, cases, tol)
        if joint is not None:
            conv &= np.abs(f) <= joint.tol
            bad |= ~conv & (held[active] >= BOUND_PASSES)
            joint.handoff[active[bad]] = True
            xn[:, jc] = np.clip(xn[:, jc], joint.spec.lower, joint.spec.upper)
        ok[active[bad]] = False
        if conv.any():  # the converged tears as the iteration read them, flows >= 0
            for st, fl in zip(tear_s, flows):
                st.flow[cases[conv]] = np.maximum(fl[conv], 0.0)
        keep = ~conv & ~bad
        if acc.H is not None and acc.wanted.size:  # slopes measured again (:meth:`TearAccelerator.refresh`)
            acc.wanted = acc.wanted[keep[acc.wanted]]
            if acc.wanted.size:
                w = acc.wanted
                act = np.flatnonzero(~np.isin(slopes.full_index(layout.cols, widths[0], None if nb is None else nb.cols,
                                                                len(fs.components), len(loop)), dead))
                J = slopes.jacobian(lambda r, Xp: tear_pass(fs, run, units, tears, cases[w][r], Xp, loop, cs=cs),
                                    layout.expand(acc.xbest[w]), layout.cols, widths, act=act)
                acc.refresh(slopes.start(np.where(np.isfinite(J), J, 0.0), layout.cols, layout.cols, act),
                            layout.scale(acc.xbest[w], slopes.SLOPE_FLOOR), xn)
                iters[active[w]] += 1  # the measuring pass (len(act) + 1 copies of each case)
        acc.keep(keep)
        x = xn[keep]
        active = active[keep]
    if nb is not None:
        nb.end()
    name = ", ".join(tears)
    if active.size and joint is not None:  # left for the nested solve
        joint.handoff[active] = True
        ok[active] = False
    elif active.size:
        run.status[idx[active]] = np.array(
            [f"recycle {name}: no convergence in {max_iter} iterations (tear residual {e:.2g} > tol {tol:g})"
             for e in resid[active]], dtype=object)
        ok[active] = False
    for pending in soft.values():  # unit reasons that still hold in the converged state
        hold = ok & (pending[idx] != None).astype(bool)  # noqa: E711 (elementwise)
        if hold.any():
            run.status[idx[hold]] = pending[idx[hold]]
            ok &= ~hold
    key = ",".join(tears)
    run.iterations[key] = merge_cases(run.iterations, key, idx, iters, run.n, 0)
    run.residuals[key] = merge_cases(run.residuals, key, idx, resid, run.n, np.nan)
    if slope is not None and joint is None and not ok.all():
        # a case that fails on the Broyden steps is solved again without them (Anderson alone),
        # from its first guess (or empty tears); its passes are the two solves' together
        again = np.flatnonzero(~ok)
        run.status[idx[again]] = "ok"
        ok[again] = solve_block(fs, run, units, tears, idx[again], tol, max_all, method, empty_start=empty_start,
                                defaults_start=not empty_start, use_slopes=False)
        run.iterations[key][idx[again]] += iters[again]
        return ok
    if joint is not None:
        run.status[idx[joint.handoff]] = "ok"  # the nested solve decides these
    elif previous and not ok.all():
        # a case that fails from a design-spec iterate's tears (e.g. the last pass of a joint
        # solve that handed it over) is solved again from the defaults' solution, then empty
        again = np.flatnonzero(~ok)
        run.status[idx[again]] = "ok"
        ok[again] = solve_block(fs, run, units, tears, idx[again], tol, max_iter, method, defaults_start=True)
    elif from_defaults and not ok.all():  # again from empty tears (iterations of that solve kept)
        again = np.flatnonzero(~ok)
        run.status[idx[again]] = "ok"
        ok[again] = solve_block(fs, run, units, tears, idx[again], tol, max_iter, method, empty_start=True)
    return ok


def pass_steps(fs, units: list[str], tears: list[str], rerun=()) -> list[tuple[str, frozenset]]:
    """The units of one tear pass in order, as (unit id, tears read fresh): the block's order,
    and after the source of a tear whose destination ran earlier in the pass, a second run of
    that destination with the tear's new value when a unit still to run reads one of the
    destination's outlets. E.g. a feed-effluent exchanger whose hot inlet (the reactor
    effluent) is the tear: its cold outlet feeds the reactor, and the exchanger runs again
    on the fresh effluent before the separator reads its hot outlet, so that material goes
    round the loop once per pass instead of once per two passes. At the fixed point the
    second run equals the first. The destination of a tear in ``rerun`` (a passive tear,
    :mod:`.passive`) runs again so whatever reads it."""
    pos = {u: i for i, u in enumerate(units)}
    src = {c.id: c.src.unit.id for c in fs.connections}
    dst = {c.id: c.dst.unit.id for c in fs.connections}
    readers: dict[str, set[str]] = {}
    for c in fs.connections:
        if c.src.unit.id in pos and c.dst.unit.id in pos and c.id not in tears:
            readers.setdefault(c.src.unit.id, set()).add(c.dst.unit.id)
    after: dict[str, list[str]] = {}
    for t in tears:
        s_, d_ = src[t], dst[t]
        if pos[d_] < pos[s_] and (t in rerun or any(pos[r] > pos[s_] for r in readers.get(d_, ()))):
            after.setdefault(s_, []).append(t)
    steps = []
    for u in units:
        steps.append((u, frozenset()))
        for t in after.get(u, ()):
            steps.append((dst[t], frozenset(x for x in tears if pos[src[x]] <= pos[u])))
    return steps


def tear_pass(fs, run, units: list[str], tears: list[str], rows: np.ndarray, X: np.ndarray,
              loop=None, joint: JointSpec | None = None, cs=None) -> np.ndarray:
    """One pass of block ``units`` for copies of the cases ``rows`` of a solved ``run`` with their
    iterated tears ``loop`` (default: every tear) at ``X`` (whole-set tear vectors, one row per
    copy; a passive tear (:mod:`.passive`) at its solved value) and, with ``joint``, the spec's
    variable in X's last column (:mod:`.joint`): the pass's tears and G(u). ``cs``: the tears'
    component set (a narrowed iteration's, :mod:`.narrow`; default the flowsheet's)."""
    sub = run.take(rows)
    idx = np.arange(rows.size)
    cs = fs.components if cs is None else cs
    nc = len(cs)
    loop = list(tears if loop is None else loop)
    guesses = {t: Stream(cs, np.maximum(X[:, o:o + nc], 0.0), X[:, o + nc].copy(), X[:, o + nc + 1].copy(), check=False)
               for t, o in zip(loop, range(0, len(loop) * (nc + 2), nc + 2))}
    guesses.update({t: sub.streams[t].take(idx) for t in tears if t not in loop})
    indexed = _reindex(guesses, idx)
    steps = pass_steps(fs, units, tears, rerun=[t for t in tears if t not in loop])
    if joint is not None:
        set_values(sub, joint.spec.vary, idx, X[:, -1])
        steps = [(u, frozenset()) for u in joint.before] + steps + [(u, frozenset()) for u in joint.after]
    for uid, fresh in steps:
        run_unit(fs, sub, uid, idx, {t: v for t, v in indexed.items() if t not in fresh}, {})
    g = [_vec(sub.streams[t]) for t in loop]
    if joint is not None:
        g.append(joint.update(X[:, -1], spec_residual(sub, joint.spec, idx))[0][:, None])
    return np.concatenate(g, axis=1)


def _point_slopes(fs, blocks):
    """``slopes(run, rows)`` for :func:`.firstguess.solve_points`: each block's Jacobian at the
    solved rows (:func:`.slopes.point_jacobians`)."""
    def measure(run, rows):
        def tears_of(loop, joint):
            X = [_vec(run.streams[t].take(rows)) for t in loop]
            return np.concatenate(X + ([] if joint is None else [run.param_array(joint.spec.vary)[rows][:, None]]), axis=1)
        return slopes.point_jacobians(blocks, tears_of, lambda b, r, X: tear_pass(
            fs, run, b[1], b[2], rows[r], X, b[5], b[6]))
    return measure


def _joint_loops(fs, warm: dict, specs: str) -> list[tuple]:
    """[(joint spec, units, tears)]: the recycle each design spec is solved with (:mod:`.joint`)."""
    plan = spec_plan(fs, fs.order()) if specs == "auto" and fs.specs else None
    got = [JointSpec.plan(sp, iterate, warm, "anderson") for sp, _, iterate in plan or () if sp is not None]
    return [g for g in got if g is not None]


def _reindex(guesses: dict[str, Stream], idx: np.ndarray) -> dict[str, Stream]:
    """Guesses are stored by position in idx; units take case ids. Map case id -> position."""
    return {t: _CaseIndexed(s, idx) for t, s in guesses.items()}


class _CaseIndexed:
    """Wrap a stream stored by block position so that ``take(case ids)`` works."""

    def __init__(self, s: Stream, idx: np.ndarray):
        self.s = s
        self.pos = np.full(idx.max() + 1 if idx.size else 0, -1)
        self.pos[idx] = np.arange(idx.size)

    def take(self, cases: np.ndarray) -> Stream:
        return self.s.take(self.pos[cases])

    def read(self, cases: np.ndarray) -> Stream:
        return self.s.read(self.pos[cases])


def solve_blocks(fs, run, blocks, idx: np.ndarray, tol: float, max_iter: int,
                 method: str = "anderson") -> np.ndarray:
    ok = np.ones(idx.size, dtype=bool)
    for units, tears in blocks:
        sub = np.flatnonzero(ok)
        m = solve_block(fs, run, units, tears, idx[sub], tol, max_iter, method)
        ok[sub[~m]] = False
    return ok


SPEC_MODES = ("auto", "sequential", "nested")


def check_settings(tol: float, max_iter: int, method: str) -> None:
    """One-line errors for solver settings that cannot work."""
    if not (isinstance(tol, (int, float, np.floating, np.integer)) and np.isfinite(tol) and tol > 0):
        raise ValueError(f"tol = {tol!r}: expected a relative tear tolerance > 0 (e.g. 1e-11)")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"max_iter = {max_iter!r}: expected an integer number of iterations >= 1")
    if method not in METHODS:
        raise ValueError(f"method = {method!r}: expected one of {', '.join(map(repr, METHODS))}")


def run_flowsheet(fs, run, tol: float = 1e-11, max_iter: int = 200, method: str = "anderson",
                  specs: str = "auto", warm_start: bool = True) -> None:
    """Solve the flowsheet for every case of ``run``.

    Design specs (``specs``): ``"auto"`` solves them one after the other when each spec's
    measure does not depend on the variables of the specs solved after it (the usual case: an
    autothermal gasifier upstream of a shift bypass), each iterating only the blocks between
    its varied and its measured unit (:func:`spec_plan`), a spec that wraps a recycle together
    with its tears (:mod:`.joint`; the cases that do not converge so as below);
    ``"sequential"`` in the same order, each spec by Illinois around its blocks (the loop
    converged at every spec iterate); otherwise, or with ``"nested"``, the specs are nested
    (the first one outermost) as in carbonhub's first solver.

    ``warm_start``: tears start from the flowsheet's solution at its defaults (solved once and
    kept in ``fs.nominal_tears``; a run of one case at the defaults is that solution), scaled
    per case (:mod:`.warmstart`); otherwise from empty tears."""
    check_settings(tol, max_iter, method)
    if specs not in SPEC_MODES:
        raise ValueError(f"specs = {specs!r}: expected one of {', '.join(map(repr, SPEC_MODES))}")
    if not (warm_start and fs.tears):
        _run_flowsheet(fs, run, tol, max_iter, method, specs)
        return
    key = warmstart.fingerprint(fs, (tol, max_iter, method, specs))
    at_defaults = run.n == 1 and not run.overrides
    if not at_defaults:
        if fs.nominal_tears is None or fs.nominal_tears[0] != key:
            nominal = type(run)(fs, {}, 1)
            _run_flowsheet(fs, nominal, tol, max_iter, method, specs)
            warmstart.record(fs, nominal, key)
        run.warm = fs.nominal_tears[1]
        if run.warm:  # and moved along each parameter the run sets (:mod:`.firstguess`), with the
            # loops' slopes there (:mod:`.slopes`)
            blocks = slopes.loop_blocks(fs, run.warm, _joint_loops(fs, run.warm, specs)) if method == "anderson" else []
            run.guess_points = warmstart.points(fs, run, key, lambda r: _run_flowsheet(fs, r, tol, max_iter, method, specs),
                                                _point_slopes(fs, blocks) if blocks else None)
            run.guess_slopes = warmstart.defaults_slopes(fs, {b[0]: b[3] for b in blocks})
            run.slope_loops = {b[0]: b[5] for b in blocks}
    _run_flowsheet(fs, run, tol, max_iter, method, specs)
    if at_defaults:
        warmstart.record(fs, run, key)


def _run_flowsheet(fs, run, tol, max_iter, method, specs) -> None:
    blocks = fs.order()
    idx = np.arange(run.n)
    if not fs.specs:
        solve_blocks(fs, run, blocks, idx, tol, max_iter, method)
        return
    plan = spec_plan(fs, blocks) if specs != "nested" else None
    if plan is not None:
        _solve_sequential(fs, run, plan, idx, tol, max_iter, method, joint=specs == "auto")
        return
    # blocks upstream of every varied unit are solved once
    varied = {s.vary.split(".", 1)[0] for s in fs.specs}
    first = min(i for i, (units, _) in enumerate(blocks) if varied & set(units)) if varied & set(fs.units) else 0
    ok = solve_blocks(fs, run, blocks[:first], idx, tol, max_iter, method)
    _solve_specs(fs, run, fs.specs, blocks[first:], idx[ok], tol, max_iter, method)


def _solve_sequential(fs, run, plan, idx, tol, max_iter, method, joint: bool = True) -> None:
    """The specs of a sequential plan, each with the tears it wraps (:mod:`.joint`) where it
    can (``joint``), the cases left over (and every other spec) by Illinois around the blocks."""
    for spec, pre, iterate in plan:
        cases = idx[run.status[idx] == "ok"]
        ok = solve_blocks(fs, run, pre, cases, tol, max_iter, method)
        if spec is None:
            return
        cases = cases[ok]

        def solve(c: np.ndarray, iterate=iterate) -> None:
            solve_blocks(fs, run, iterate, c, tol, max_iter, method)

        got = JointSpec.plan(spec, iterate, getattr(run, "warm", None), method) if joint else None
        if got is not None and cases.size:
            js, units, tears = got
            done = solve_block(fs, run, units, tears, cases, tol, max_iter, method, joint=js)
            record_spec(run, spec, cases[~js.handoff], run.iterations[",".join(tears)][cases[~js.handoff]],
                         js.f[~js.handoff])
            cases = cases[js.handoff]
        illinois(run, spec, cases, solve, solve)


def _solve_specs(fs, run, specs, blocks, idx, tol, max_iter, method="anderson") -> None:
    """Nested specs: the first spec is the outer loop (one spec is the usual case)."""
    spec, rest = specs[0], specs[1:]
    full_blocks = blocks
    nest = [spec, *rest]
    if all(sp.measured_unit is not None for sp in nest):
        # iterate only up to the furthest measured unit of the nest; the rest of the
        # flowsheet is solved once, in the final pass at the converged values
        pos = [next((i for i, (units, _) in enumerate(blocks) if sp.measured_unit in units), None)
               for sp in nest]
        if None not in pos:
            blocks = blocks[:max(pos) + 1]

    def solver(bl):
        def solve(cases: np.ndarray) -> None:
            if rest:
                _solve_specs(fs, run, rest, bl, cases, tol, max_iter, method)
            else:
                solve_blocks(fs, run, bl, cases, tol, max_iter, method)
        return solve

    illinois(run, spec, idx, solver(blocks), solver(full_blocks))
