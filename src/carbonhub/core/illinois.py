"""Design specs by a bracketed Illinois (modified regula falsi) iteration per case (Dowell &
Jarratt 1971, BIT 11:168-174, doi:10.1007/BF01934364), around whatever part of the flowsheet
the measure needs (:func:`carbonhub.core.solver.spec_plan`), and the per-case record of every
spec's solve (``res.convergence`` columns ``spec:<id>.iterations`` / ``.residual``).

Where the warm start knows the spec's value and slope at the defaults, each case first steps from
its own first guess (that value moved along the case's parameters, :mod:`.firstguess`) by Newton
with the defaults' slope, then secant steps, and takes the bounds' bracket only where these
neither bracket the root nor meet the tolerance in 4 evaluations (:func:`guess_bracket`):
gasification routes' autothermal spec at N = 2,000 of the routes benchmark's cases, 8.0-10.1 ->
3.3-4.1 evaluations per case (benchmarks/solver_issue14.md).
"""
from __future__ import annotations

import numpy as np

from .joint import set_values, spec_residual

REL_TOL = 1e-12
"""Tolerance on |f| of a case bracketed from its first guess (:func:`guess_bracket`), relative to
f's change over the bounds at the defaults' slope."""


def merge_cases(store: dict, key: str, idx: np.ndarray, values: np.ndarray, n: int, fill) -> np.ndarray:
    """``values`` of cases ``idx`` written into the full-size (n,) array ``store[key]`` (made,
    filled with ``fill``, if missing), which is returned."""
    full = store.get(key)
    if full is None:
        full = np.full(n, fill, dtype=values.dtype)
    full[idx] = values
    return full


def illinois(run, spec, idx, solve, solve_final) -> None:
    """Solve ``spec`` per case by the Illinois method; ``solve(cases)`` computes the flowsheet
    part the measure needs at the current value of the varied parameter, ``solve_final`` the
    part to leave in the converged state."""

    evals = np.zeros(run.n, dtype=int)

    def evaluate(cases: np.ndarray, values: np.ndarray, how=solve) -> tuple[np.ndarray, np.ndarray]:
        """Residual of the spec for ``values``; a case is usable when its measure is finite
        (a failure downstream of the measured unit does not stop the iteration: the status of
        every case is reset here and reflects the final, converged evaluation)."""
        set_values(run, spec.vary, cases, values)
        run.status[cases] = "ok"
        how(cases)
        evals[cases] += 1
        f = spec_residual(run, spec, cases)
        # a measure read from a recycle that did not converge is not a usable residual: the
        # root would be sought on unconverged loops and the final pass would hide it
        st = run.status[cases]
        looped = np.zeros(cases.size, dtype=bool)
        flagged = np.flatnonzero(st != "ok")  # the reasons read only where there is one
        looped[flagged] = [str(r).startswith("recycle ") for r in st[flagged]]
        okm = np.isfinite(f) & ~looped
        return np.where(okm, f, np.nan), okm

    lo = np.full(idx.size, float(spec.lower))
    hi = np.full(idx.size, float(spec.upper))
    if spec.makeup is not None:  # no make-up while the varied parameter can meet the target
        set_values(run, spec.makeup, idx, np.zeros(idx.size))
    A, B, f_lo, f_hi, ok_lo, tol_fix, there0 = guess_bracket(run, spec, idx, evaluate)
    ok_hi = ok_lo.copy()
    rest = np.flatnonzero(~ok_lo)  # no bracket from the first guess: the bounds, as before
    if rest.size:
        A[rest], B[rest] = lo[rest], hi[rest]
        f_lo[rest], ok_lo[rest] = evaluate(idx[rest], lo[rest])
        f_hi[rest], ok_hi[rest] = evaluate(idx[rest], hi[rest])
    bad = ~(ok_lo & ok_hi)
    nosign = ~bad & ~there0 & (np.sign(f_lo) == np.sign(f_hi)) & (f_lo != 0) & (f_hi != 0)
    # the measure short of the target at both bounds: the bound nearer it, the rest made up
    near_lo = np.abs(f_lo) < np.abs(f_hi)
    f_near = np.where(near_lo, f_lo, f_hi)
    sat = (nosign & ((f_near < 0) | spec.surplus_ok) if spec.makeup is not None
           else np.zeros(idx.size, dtype=bool))
    nosign &= ~sat
    reasons = {}
    for i in np.flatnonzero(bad):
        reasons[i] = f"spec {spec.id}: the measure cannot be evaluated at the bounds of {spec.vary}"
    for i in np.flatnonzero(nosign):
        reasons[i] = (f"spec {spec.id}: target not reachable with {spec.vary} in "
                      f"[{spec.lower:g}, {spec.upper:g}] (residual {f_lo[i]:.3g} .. {f_hi[i]:.3g})")
    active = np.flatnonzero(~bad & ~nosign & ~sat)
    a, b, fa, fb = A[active], B[active], f_lo[active], f_hi[active]
    tol_fix, there0 = tol_fix[active], there0[active]
    side = np.zeros(active.size, dtype=int)
    xs = np.where(fa == 0, a, b)
    done = (fa == 0) | (fb == 0)
    # the last secant over a step wider than 1e-6 of the bounds: the spec's slope at its
    # solution, which the joint solve starts from (:mod:`.joint`, kept by :mod:`.warmstart`)
    x_last, f_last = b.copy(), fb.copy()
    slope = (fb - fa) / (b - a)
    # a case that converges in the iteration was evaluated last at its solution: its state is
    # already the converged one (when the final pass solves the same blocks)
    at_solution = there0.copy()  # met at a guess (its last evaluation)
    f_sol = np.where(there0, fb, np.nan)
    xs[there0] = b[there0]
    done |= there0
    for it in range(spec.max_iter):
        work = np.flatnonzero(~done)
        if work.size == 0:
            break
        aw, bw, faw, fbw = a[work], b[work], fa[work], fb[work]
        x = bw - fbw * (bw - aw) / (fbw - faw)
        x = np.where(np.isfinite(x) & (x > np.minimum(aw, bw)) & (x < np.maximum(aw, bw)), x, 0.5 * (aw + bw))
        fx, okx = evaluate(idx[active[work]], x)
        failed = ~okx
        for i in work[failed]:
            done[i] = True
            st = str(run.status[idx[active[i]]])
            reasons[active[i]] = (f"spec {spec.id}: the measure failed at {spec.vary} = "
                                  f"{x[np.flatnonzero(work == i)[0]]:g}"
                                  + (f" ({st})" if st.startswith("recycle ") else ""))
        tolw = spec.tol if spec.tol is not None else np.where(
            np.isnan(tol_fix[work]), 1e-9 * (1 + np.abs(fbw - faw)), tol_fix[work])
        conv = okx & ((np.abs(fx) <= tolw) | (np.abs(bw - aw) <= 1e-13 * np.maximum(np.abs(x), 1.0)))
        xs[work] = x
        wide = okx & (np.abs(x - x_last[work]) > 1e-6 * abs(spec.upper - spec.lower))
        with np.errstate(all="ignore"):
            slope[work[wide]] = ((fx - f_last[work]) / (x - x_last[work]))[wide]
        x_last[work[okx]], f_last[work[okx]] = x[okx], fx[okx]
        # Illinois update
        same_b = np.sign(fx) == np.sign(fbw)
        na, nb, nfa, nfb = aw.copy(), bw.copy(), faw.copy(), fbw.copy()
        # fx has sign of fb -> replace b, and halve fa if b was replaced last time too
        nb = np.where(same_b, x, bw)
        nfb = np.where(same_b, fx, fbw)
        nfa = np.where(same_b & (side[work] == 1), faw / 2, nfa)
        na = np.where(~same_b, bw, aw)
        nfa = np.where(~same_b, fbw, nfa)
        nb = np.where(~same_b, x, nb)
        nfb = np.where(~same_b, fx, nfb)
        side[work] = np.where(same_b, 1, -1)
        a[work], b[work], fa[work], fb[work] = na, nb, nfa, nfb
        done[work[conv]] = True
        at_solution[work[conv]] = True
        f_sol[work[conv]] = fx[conv]
    unconv = ~done
    for i in np.flatnonzero(unconv):
        reasons[active[i]] = f"spec {spec.id}: no convergence in {spec.max_iter} iterations"
    # final pass at the solution so that the stored state (and status) is the converged one;
    # not for a case whose last evaluation was at its solution when the final pass would solve
    # the same blocks again (same state, one flowsheet-part solve less per case and spec)
    okf_all = done & ~np.isin(active, list(reasons))
    there = okf_all & at_solution & (solve_final is solve)
    okf = np.flatnonzero(okf_all & ~there)
    js = np.flatnonzero(sat)
    if js.size:
        mk = run.param_array(spec.makeup).astype(float).copy()
        mk[idx[js]] = np.maximum(-f_near[js], 0.0)
        run.set_param(spec.makeup, mk)
    cases = np.concatenate([active[okf], js])
    f_end = np.full(idx.size, np.nan)
    if cases.size:
        order = np.argsort(cases)
        cases = cases[order]
        x_final = np.concatenate([xs[okf], np.where(near_lo, lo, hi)[js]])[order]
        f_end[cases] = evaluate(idx[cases], x_final, solve_final)[0]
    f_end[active[there]] = f_sol[there]
    for i, why in reasons.items():
        run.status[idx[i]] = why
    run.spec_slopes[spec.id] = merge_cases(run.spec_slopes, spec.id, idx[active], slope, run.n, np.nan)
    record_spec(run, spec, idx, evals[idx], f_end)


def guess_bracket(run, spec, idx: np.ndarray, evaluate, steps: int = 4):
    """A bracket of each case's root from its first guess, before the bounds: u0 the spec's value
    at the defaults moved along the case's parameters (:func:`.firstguess.spec_guess`; the
    defaults' value and slope kept with the warm start, :mod:`.warmstart`), u1 = u0 - f(u0) / slope,
    then secant steps (at most ``steps`` evaluations in all, every u within the bounds) until f
    changes sign or meets the tolerance. Returns (a, b, f(a), f(b), ok, tol, conv) over ``idx``:
    ok where [a, b] brackets the root (b the last evaluation) or ``conv`` (|f(b)| within tol at b,
    the case's last evaluation); elsewhere the caller evaluates the bounds. tol (NaN where not ok)
    is fixed as the bounds' bracket gives it at its start, 1e-9 (1 + |slope| (upper - lower)) (the
    joint solve's, :mod:`.joint`), not shrunk with a narrow bracket's span. Without a slope at the
    defaults nothing is evaluated (ok False everywhere)."""
    from . import firstguess

    n = idx.size
    a, b, fa, fb, tol = (np.full(n, np.nan) for _ in range(5))
    ok, conv = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    got = (getattr(run, "warm", None) or {}).get(f"spec:{spec.id}")
    lo, hi = float(spec.lower), float(spec.upper)
    if got is None or not (np.isfinite(got[0]) and np.isfinite(got[1]) and got[1] != 0) or n == 0:
        return a, b, fa, fb, ok, tol, conv
    t = REL_TOL * (1.0 + abs(float(got[1])) * (hi - lo)) if spec.tol is None else float(spec.tol)
    b[:] = np.clip(firstguess.spec_guess(run, spec.id, got[0], idx), lo, hi)
    fb[:], live = evaluate(idx, b)
    slope = np.full(n, float(got[1]))
    for _ in range(steps - 1):
        conv |= live & (np.abs(fb) <= t)
        r = np.flatnonzero(live & ~conv & ~ok)
        if r.size == 0:
            break
        with np.errstate(all="ignore"):
            x = np.clip(b[r] - fb[r] / slope[r], lo, hi)
        step = np.isfinite(x) & (x != b[r])
        live[r[~step]] = False
        r, x = r[step], x[step]
        if r.size == 0:
            break
        fx, okx = evaluate(idx[r], x)
        live[r[~okx]] = False
        r, x, fx = r[okx], x[okx], fx[okx]
        with np.errstate(all="ignore"):
            slope[r] = np.where(x != b[r], (fx - fb[r]) / (x - b[r]), slope[r])
        a[r], fa[r], b[r], fb[r] = b[r], fb[r], x, fx
        ok[r] = (np.sign(fa[r]) != np.sign(fb[r])) | (fb[r] == 0)
        live &= np.isfinite(slope) & (slope != 0)
    conv |= live & (np.abs(fb) <= t)
    ok |= conv
    tol[ok] = t
    return a, b, fa, fb, ok, tol, conv


def record_spec(run, spec, cases: np.ndarray, iterations: np.ndarray, f: np.ndarray) -> None:
    """Per case: the iterations of the spec's solve (Illinois evaluations, or passes of the
    joint solve) and its final |measure - target| (``res.convergence`` ``spec:<id>.*``)."""
    key = f"spec:{spec.id}"
    run.iterations[key] = merge_cases(run.iterations, key, cases, iterations.astype(int), run.n, 0)
    run.residuals[key] = merge_cases(run.residuals, key, cases, np.abs(f), run.n, np.nan)
