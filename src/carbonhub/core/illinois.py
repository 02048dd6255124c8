"""Design specs by a bracketed Illinois (modified regula falsi) iteration per case (Dowell &
Jarratt 1971, BIT 11:168-174, doi:10.1007/BF01934364), around whatever part of the flowsheet
the measure needs (:func:`carbonhub.core.solver.spec_plan`), and the per-case record of every
spec's solve (``res.convergence`` columns ``spec:<id>.iterations`` / ``.residual``).
"""
from __future__ import annotations

import numpy as np

from .joint import set_values, spec_residual


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
    f_lo, ok_lo = evaluate(idx, lo)
    f_hi, ok_hi = evaluate(idx, hi)
    bad = ~(ok_lo & ok_hi)
    nosign = ~bad & (np.sign(f_lo) == np.sign(f_hi)) & (f_lo != 0) & (f_hi != 0)
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
    a, b, fa, fb = lo[active], hi[active], f_lo[active], f_hi[active]
    side = np.zeros(active.size, dtype=int)
    xs = np.where(fa == 0, a, b)
    done = (fa == 0) | (fb == 0)
    # the last secant over a step wider than 1e-6 of the bounds: the spec's slope at its
    # solution, which the joint solve starts from (:mod:`.joint`, kept by :mod:`.warmstart`)
    x_last, f_last = b.copy(), fb.copy()
    slope = (fb - fa) / (b - a)
    # a case that converges in the iteration was evaluated last at its solution: its state is
    # already the converged one (when the final pass solves the same blocks)
    at_solution = np.zeros(active.size, dtype=bool)
    f_sol = np.full(active.size, np.nan)
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
        tolw = spec.tol if spec.tol is not None else 1e-9 * (1 + np.abs(fbw - faw))
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


def record_spec(run, spec, cases: np.ndarray, iterations: np.ndarray, f: np.ndarray) -> None:
    """Per case: the iterations of the spec's solve (Illinois evaluations, or passes of the
    joint solve) and its final |measure - target| (``res.convergence`` ``spec:<id>.*``)."""
    key = f"spec:{spec.id}"
    run.iterations[key] = merge_cases(run.iterations, key, cases, iterations.astype(int), run.n, 0)
    run.residuals[key] = merge_cases(run.residuals, key, cases, np.abs(f), run.n, np.nan)
