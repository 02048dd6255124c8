"""Slopes of a loop solved with the design spec that wraps it (:mod:`carbonhub.core.joint`): biomass_ft's
FT/reformer loop with its firing spec on ``fuel_split.fraction`` and its passive shift-effluent tear
(:mod:`carbonhub.core.passive`). The map's Jacobian is measured over the iterated tears and the
spec's variable (:func:`carbonhub.core.solver.tear_pass` with the spec's units and G(u)), so the
loop takes Broyden steps like a loop without a spec. References: the same solver with the joint
block's slopes switched off (Anderson alone, the code before), and the loop's own fixed point."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.core import slopes, solver

from test_passive import assert_same_solution

KEY = "shift_effluent,ft_gas"
SPACE = {"gasifier.T": (1150.0, 1250.0), "ft.alpha": (0.86, 0.92), "ft.co_conversion": (0.55, 0.65),
         "purge.fraction": (0.15, 0.25), "feed.rate_dry_t_per_h": (75.0, 92.0)}


@pytest.mark.unit
def test_full_index_puts_a_joint_spec_variable_after_the_whole_set_tears():
    # two narrowed tears of 2 flows (components 1 and 4 of 6) + T, P, then the spec's variable
    got = slopes.full_index(np.arange(9), 4, np.array([1, 4]), 6, n_tears=2)
    assert list(got) == [1, 4, 6, 7, 9, 12, 14, 15, 16]


@pytest.mark.unit
def test_jacobian_scales_a_spec_variable_by_its_own_size():
    """g(x, u) = A [x; u] + b: the forward differences give S^-1 A S with u's scale the given one
    (the accelerator's: the spec's range), not 1."""
    rng = np.random.default_rng(6)
    widths = [4]  # two flows, T, P; then u
    D = np.array([1.0, 1.0, 300.0, 1e6, 0.25])  # each variable's size: A mixes them in proportion
    A = D[:, None] * rng.uniform(-0.4, 0.4, (5, 5)) / D[None, :]
    b = np.array([1.0, 2.0, 300.0, 1e6, 0.3])
    X = np.array([[1.5, 0.5, 310.0, 1.1e6, 0.2], [0.7, 2.5, 290.0, 0.9e6, 0.6]])
    cols = slopes.carried(X, widths)
    assert list(cols) == [0, 1, 2, 3, 4]
    J = slopes.jacobian(lambda rows, Xp: Xp @ A.T + b, X, cols, widths, extra_scale=0.25)
    for i in range(2):
        S = np.array([X[i, 0], X[i, 1], X[i, 2], X[i, 3], 0.25])
        np.testing.assert_allclose(J[i], A * S[None, :] / S[:, None], rtol=1e-6, atol=1e-8)


def _cases(n, seed):
    rng = np.random.default_rng(seed)
    return {k: rng.uniform(lo, hi, n) for k, (lo, hi) in SPACE.items()}


@pytest.mark.integration
def test_the_pass_at_a_solved_case_returns_its_tears_and_its_spec_variable():
    """The Jacobian's pass (the spec's units, the loop once with its passive tear at its solved
    value, G(u)) leaves a converged case where it is (and the slopes are offered only to an
    iteration over the same tears): its tears within the tear tolerance, u
    within the spec's tolerance over the spec's slope (a wrong pass, e.g. one without the spec's
    units, moves them by orders of magnitude more)."""
    fs = ch.routes.load("biomass_ft")
    res = fs.simulate(params=_cases(3, 4), costing=False)
    assert res.ok.all()
    run = res._run
    blocks = {b[0]: b for b in slopes.loop_blocks(fs, run.warm, solver._joint_loops(fs, run.warm, "auto"))}
    _, units, tears, cols, widths, loop, joint = blocks[KEY]
    assert loop == ("ft_gas",) and joint is not None and joint.spec.vary == "fuel_split.fraction"
    # the slopes serve only an iteration over the tears they were measured on
    assert slopes.case_jacobian(run, KEY, np.arange(3), ["ft_gas"]) is not None
    assert slopes.case_jacobian(run, KEY, np.arange(3), ["shift_effluent", "ft_gas"]) is None
    rows = np.arange(3)
    X = np.concatenate([solver._vec(run.streams["ft_gas"].take(rows)), run.param_array(joint.spec.vary)[rows][:, None]],
                       axis=1)
    g = solver.tear_pass(fs, run, units, tears, rows, X, loop, joint)
    S = slopes.variable_scale(X, widths, slopes.SLOPE_FLOOR)
    S[:, -1] = joint.scale
    err = np.abs(g - X)[:, cols] / S[:, cols]
    assert err[:, :-1].max() < 1e-9, err[:, :-1].max()
    assert err[:, -1].max() * joint.scale < 10 * joint.tol / abs(joint.slope), err[:, -1]


@pytest.mark.integration
def test_joint_loop_with_slopes_converges_to_the_same_state_in_fewer_passes(monkeypatch):
    """With the slopes the FT loop and its firing spec converge to the state Anderson alone reaches
    (every stream within 1e-9 of its total flow, MSP 1e-9), in fewer passes (mean < 0.6x), with the
    balances closed; a case alone gives its batch's streams (1e-10) in the same passes."""
    p = _cases(12, 5)
    fs = ch.routes.load("biomass_ft")
    res = fs.simulate(params=p)
    assert res.ok.all() and KEY in res._run.guess_slopes
    res.check_balances(mass_tol=1e-9, energy_tol=1e-6)
    with monkeypatch.context() as mp:
        mp.setattr(solver, "_joint_loops", lambda *a: [])
        ref = ch.routes.load("biomass_ft").simulate(params=p)
    assert ref.ok.all() and KEY not in (ref._run.guess_slopes or {})
    assert_same_solution(res, ref, 1e-9)
    its, its_ref = res.iterations[KEY], ref.iterations[KEY]
    assert its.mean() < 0.6 * its_ref.mean(), (its.mean(), its_ref.mean())
    for i in (0, 7):
        alone = fs.simulate(params={k: v[i:i + 1] for k, v in p.items()})
        assert alone.iterations[KEY][0] == its[i]
        for sid in ref.stream_data:
            a, b = alone.stream(sid), res.stream(sid)
            scale = max(float(b.total_flow[i]), 1e-9)
            assert np.abs(a.flow[0] - b.flow[i]).max() / scale <= 1e-10, sid
            assert abs(a.T[0] - b.T[i]) <= 1e-10 * b.T[i], sid
