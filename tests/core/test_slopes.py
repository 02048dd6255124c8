"""Per-case slopes of a loop's tear map (:mod:`carbonhub.core.slopes`) and the Broyden steps of
:class:`carbonhub.core.recycle.TearAccelerator` that start from them: the kernels against numpy's
linear algebra, the measured slope against the loop's own fixed point, and the methanol loop
converging to the same state in fewer passes, alone as in a batch."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core import slopes, solver
from carbonhub.core._broyden_kernel import broyden_rows, inverse_rows, moved_rows

from test_recycle import STREAMS, assert_alone_as_in_batch, assert_same, loop_cases, methanol_loop


@pytest.mark.unit
def test_inverse_rows_inverts_i_minus_j_and_falls_back_to_the_identity():
    rng = np.random.default_rng(1)
    J = rng.uniform(-0.3, 0.3, (5, 7, 7))
    J[3] = np.eye(7)  # I - J singular
    H = np.empty_like(J)
    inverse_rows(J, np.arange(7), H)
    for i in (0, 1, 2, 4):
        np.testing.assert_allclose(H[i], np.linalg.inv(np.eye(7) - J[i]), rtol=1e-12, atol=1e-13)
    assert np.array_equal(H[3], np.eye(7))


@pytest.mark.unit
def test_moved_rows_adds_each_case_terms_to_the_defaults():
    rng = np.random.default_rng(2)
    F, C, J0 = rng.normal(size=(3, 4)), rng.normal(size=(3, 5)), rng.normal(size=5)
    out = np.empty((4, 5))
    moved_rows(F, C, J0, out)  # F: one row per term
    np.testing.assert_allclose(out, J0 + F.T @ C, rtol=1e-13, atol=1e-14)


@pytest.mark.unit
def test_broyden_update_meets_the_secant_condition_and_steps_by_h():
    """After the update H df = -dx (the secant condition of x -> g - x), H changes by a rank-one
    matrix, and the step is x + H f s (flows kept >= ``floor`` x g, held at 0 where g is 0); a
    case not ``on`` is left alone."""
    rng = np.random.default_rng(3)
    n, d = 3, 6
    H = np.eye(d)[None] + 0.2 * rng.normal(size=(n, d, d))
    H0 = H.copy()
    x, x_prev = rng.uniform(1, 2, (n, d)), rng.uniform(1, 2, (n, d))
    s = rng.uniform(0.5, 3, (n, d))
    f, f_prev = rng.normal(size=(n, d)), rng.normal(size=(n, d))
    g = x + f * s
    g[1, 2] = 0.0
    is_flow = np.array([True] * 4 + [False] * 2)
    on = np.array([True, True, False])
    xn, dist = np.empty((n, d)), np.empty((n, d))
    floor = 0.3
    broyden_rows(H, np.arange(n), on, True, x, x_prev, f, f_prev, s, g, 1e9, floor, is_flow, xn, dist)
    for i in (0, 1):
        dx, df = (x[i] - x_prev[i]) / s[i], f[i] - f_prev[i]
        np.testing.assert_allclose(H[i] @ df, -dx, rtol=1e-10, atol=1e-12)
        assert np.linalg.matrix_rank(H[i] - H0[i], tol=1e-10) == 1
        want = x[i] + (H[i] @ f[i]) * s[i]
        want[:4] = np.where(g[i, :4] == 0, 0.0, np.maximum(want[:4], floor * g[i, :4]))
        np.testing.assert_allclose(xn[i], want, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(dist[i], np.maximum(np.abs(g[i] - x[i]), np.abs(want - g[i])), rtol=1e-12)
    assert xn[1, 2] == 0.0
    assert np.array_equal(H[2], H0[2])


@pytest.mark.unit
def test_a_step_below_the_flow_floor_stops_there_in_kernel_and_reference():
    """A Broyden step that would take a flow below ``floor`` x its g (here to -3) stops at
    floor x g (not at 0, where the next pass would find the whole flow missing); a flow the loop
    returns as 0 stays 0; T is not bounded. Kernel and numpy reference: the same bits."""
    from carbonhub.core.recycle import broyden_numpy

    H = np.eye(3)[None].copy()
    x = np.array([[5.0, 2.0, 400.0]])
    g = np.array([[1.0, 0.0, 300.0]])
    s = np.ones((1, 3))
    f = (g - x) / s
    is_flow = np.array([True, True, False])
    got = []
    for fn in (broyden_rows, broyden_numpy):
        Hc, xn, dist = H.copy(), np.zeros((1, 3)), np.zeros((1, 3))
        # H = 2 I: the step x + 2 (g - x) = (-3, -2, 200)
        fn(2.0 * Hc, np.zeros(1, dtype=np.int64), np.ones(1, dtype=bool), False, x, x, f, f, s, g, 1e9, 0.25,
           is_flow, xn, dist)
        got.append(xn)
        assert xn[0].tolist() == [0.25, 0.0, 200.0]
    assert np.array_equal(got[0], got[1])


@pytest.mark.unit
def test_jacobian_of_a_linear_map_is_its_matrix_in_scaled_variables():
    """g(x) = A x + b: the forward differences give S^-1 A S up to round-off (S the variables'
    scale at x: a flow's own size, T and P themselves), on the carried variables only."""
    rng = np.random.default_rng(4)
    widths = [5]  # three flows, T, P
    A = np.zeros((5, 5))
    A[:3, :3] = rng.uniform(-0.5, 0.5, (3, 3))  # flows mix; T and P each on its own
    A[3, 3], A[4, 4] = 0.4, 0.9
    b = rng.uniform(1, 2, 5) * np.array([1.0, 1.0, 1.0, 300.0, 1e6])
    X = rng.uniform(1, 3, (2, 5)) * np.array([1.0, 1e-3, 1.0, 300.0, 1e6])
    X[:, 2] = 0.0  # a component the loop does not carry

    def tear_pass(rows, Xp):
        return Xp @ A.T + b

    cols = slopes.carried(X, widths)
    assert list(cols) == [0, 1, 3, 4]
    J = slopes.jacobian(tear_pass, X, cols, widths)
    for i in range(2):
        S = np.array([X[i, 0], X[i, 1], 1.0, X[i, 3], X[i, 4]])[cols]
        np.testing.assert_allclose(J[i], A[np.ix_(cols, cols)] * S[None, :] / S[:, None], rtol=1e-6, atol=1e-8)


@pytest.mark.unit
def test_full_index_of_a_narrowed_iteration():
    """Two tears over the components (1, 4) of a set of 6 (width 4 each): flows, T and P map to the
    whole-set vector of width 8 per tear, by hand."""
    got = slopes.full_index(np.arange(8), 4, np.array([1, 4]), 6)
    assert list(got) == [1, 4, 6, 7, 9, 12, 14, 15]


def _no_slopes(monkeypatch):
    monkeypatch.setattr(slopes, "loop_blocks", lambda fs, warm, joints=(): [])


@pytest.mark.component
def test_the_defaults_slope_gives_a_newton_step_to_the_loop_solution():
    """From the loop's tears at its defaults x* (solved from empty tears by Anderson alone) moved by
    1e-3 (relative, random signs), one step x + (I - J)^-1 (g(x) - x) with the J measured at the
    defaults lands within 5 % of that distance from x*, where a plain substitution stays at more
    than half of it (the loop's inerts at 1 - purge = 0.99)."""
    fs = methanol_loop(exchanger_tears=("reactor_effluent", "meoh_recycle"))
    res = fs.simulate(params=loop_cases(4, seed=8), costing=False)
    units, tears = next((u, t) for u, t in fs.order() if t)
    cols, J0 = res._run.guess_slopes[",".join(tears)]
    ref = fs.simulate(params={"purge.fraction": np.array([fs.get("purge.fraction")])}, costing=False,
                      warm_start=False)
    assert ref.ok.all()
    widths = [len(fs.components) + 2] * len(tears)
    X = np.repeat(np.concatenate([solver._vec(ref._run.streams[t]) for t in tears], axis=1), 6, axis=0)
    S = slopes.variable_scale(X, widths, slopes.SLOPE_FLOOR)
    dx = np.zeros_like(X)
    dx[:, cols] = 1e-3 * np.random.default_rng(9).choice([-1.0, 1.0], (6, cols.size)) * S[:, cols]
    x = X + dx
    g = solver.tear_pass(fs, ref._run, units, tears, np.zeros(6, dtype=int), x)
    P = np.linalg.inv(np.eye(cols.size) - J0)
    f = (g - x)[:, cols] / S[:, cols]
    err_newton = np.abs(x[:, cols] + (f @ P.T) * S[:, cols] - X[:, cols]) / S[:, cols]
    err_plain = np.abs(g[:, cols] - X[:, cols]) / S[:, cols]
    assert err_newton.max() < 0.05e-3, err_newton.max()
    assert err_plain.max() > 0.5e-3, err_plain.max()


@pytest.mark.component
def test_loop_with_slopes_converges_to_the_same_state_in_fewer_passes(monkeypatch):
    """Random methanol-loop cases at 1 % purge: with each case's slope the loop converges to the
    state the Anderson iteration alone reaches (1e-9), in fewer passes (mean), with balances
    closed; a case alone gives its batch's streams (1e-10)."""
    fs = methanol_loop(exchanger_tears=("reactor_effluent", "meoh_recycle"))
    p = loop_cases(60, seed=11)
    res = fs.simulate(params=p, costing=False)
    key = ",".join(t for u, ts in fs.order() for t in ts)
    assert res.ok.all() and res._run.guess_slopes and key in res._run.guess_slopes
    res.check_balances(mass_tol=1e-9, energy_tol=1e-6)
    with monkeypatch.context() as m:
        _no_slopes(m)
        fs.guess_points = None
        plain = fs.simulate(params=p, costing=False)
        assert plain.ok.all() and not plain._run.guess_slopes
    fs.guess_points = None  # kept without the slopes: measured again with them
    for i in range(60):
        assert_same(res, plain, i, i, 1e-9)
    assert res.iterations[key].mean() < 0.8 * plain.iterations[key].mean(), (
        res.iterations[key].mean(), plain.iterations[key].mean())
    assert_alone_as_in_batch(fs, p, res, key, (0, 17, 59))
    assert STREAMS


@pytest.mark.unit
def test_broyden_kernel_and_numpy_reference_agree():
    from carbonhub.core.recycle import broyden_numpy

    rng = np.random.default_rng(5)
    n, d = 4, 5
    H = np.eye(d)[None] + 0.3 * rng.normal(size=(n, d, d))
    x, x_prev, s = rng.uniform(1, 2, (n, d)), rng.uniform(1, 2, (n, d)), rng.uniform(0.5, 2, (n, d))
    f, f_prev = rng.normal(size=(n, d)), rng.normal(size=(n, d))
    g = x + f * s
    is_flow = np.array([True, True, True, False, False])
    on = np.array([True, False, True, True])
    out = []
    for fn in (broyden_rows, broyden_numpy):
        Hc, xn, dist = H.copy(), np.zeros((n, d)), np.zeros((n, d))
        fn(Hc, np.arange(n)[::-1].copy(), on, True, x, x_prev, f, f_prev, s, g, 0.5, 0.3, is_flow, xn, dist)
        out.append((Hc, xn, dist))
    for a, b in zip(*out):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.component
def test_the_numpy_reference_converges_the_loop_to_the_same_state(monkeypatch):
    """``CARBONHUB_NUMBA=0``: the slopes, the Broyden and Anderson steps on numpy; the same
    converged loop (1e-9)."""
    fs = methanol_loop(exchanger_tears=("reactor_effluent", "meoh_recycle"))
    p = loop_cases(20, seed=12)
    a = fs.simulate(params=p, costing=False)
    monkeypatch.setenv("CARBONHUB_NUMBA", "0")
    fs.guess_points = None
    b = fs.simulate(params=p, costing=False)
    assert a.ok.all() and b.ok.all() and b._run.guess_slopes
    for i in range(20):
        assert_same(a, b, i, i, 1e-9)


@pytest.mark.unit
def test_slopes_pay_where_anderson_needs_more_passes_at_the_points():
    """A block takes the slopes where Anderson's mean passes at the first guess's points (the
    defaults' own point left out, a failed point skipped) exceed ``PAYS_ABOVE``; a block the
    points did not solve takes none."""
    def pts(*passes, defaults=1):
        out = {"": {"passes": {"k": np.array([defaults])}}, "b": None}
        for i, p in enumerate(passes):
            out[f"p{i}"] = {"passes": {"k": np.array(p)}}
        return out

    limit = slopes.PAYS_ABOVE
    assert not slopes.pays(pts([limit - 1, limit], [limit + 1]), "k")  # mean == limit
    assert slopes.pays(pts([limit - 1, limit], [limit + 2]), "k")  # mean above
    assert not slopes.pays(pts([limit - 1], defaults=100), "k")  # the defaults do not count
    assert not slopes.pays(pts([limit + 5]), "other")
    assert not slopes.pays({}, "k")


@pytest.mark.component
def test_a_loop_anderson_solves_fast_at_its_points_takes_no_slopes(monkeypatch):
    """With the limit above the loop's passes at its points, the loop is solved by Anderson
    alone: every case's passes and tears exactly those of a run with the slopes switched off;
    with the default limit (the loop needs ~12 passes there) the slopes are taken and the same
    state is reached (1e-9)."""
    fs = methanol_loop()
    p = loop_cases(30, seed=13)
    res = fs.simulate(params=p, costing=False)
    pts = res._run.guess_points
    v = np.concatenate([pt["passes"]["meoh_recycle"] for k, pt in pts.items() if k and pt])
    assert v.mean() > slopes.PAYS_ABOVE and slopes.case_jacobian(res._run, "meoh_recycle", np.arange(3), ("meoh_recycle",)) is not None
    monkeypatch.setattr(slopes, "PAYS_ABOVE", float(v.mean()) + 0.01)
    fast = fs.simulate(params=p, costing=False)
    assert slopes.case_jacobian(fast._run, "meoh_recycle", np.arange(3), ("meoh_recycle",)) is None
    with monkeypatch.context() as m:
        _no_slopes(m)
        plain = fs.simulate(params=p, costing=False)
    assert np.array_equal(fast.iterations["meoh_recycle"], plain.iterations["meoh_recycle"])
    for sid in STREAMS:
        assert np.array_equal(fast.stream(sid).flow, plain.stream(sid).flow)
    for i in range(30):
        assert_same(res, fast, i, i, 1e-9)


@pytest.mark.unit
@pytest.mark.parametrize("engine", ["1", "0"])
def test_start_inverts_only_the_columns_the_map_depends_on(monkeypatch, engine):
    """With J's columns Z zero (variables no unit of the pass reads), H0 from the (act x act)
    block and J_ZA equals the whole (I - J)^-1 (numpy's inverse, 1e-12), both engines, and
    with a carried variable J does not know H0 substitutes it (identity row and column)."""
    monkeypatch.setenv("CARBONHUB_NUMBA", engine)
    rng = np.random.default_rng(6)
    n, d = 4, 7
    act = np.array([1, 2, 5])
    J = np.zeros((n, d, d))
    J[:, :, act] = rng.uniform(-0.4, 0.4, (n, d, act.size))
    cols = np.arange(10, 10 + d)
    H = slopes.start(J, cols, cols, act)
    for i in range(n):
        np.testing.assert_allclose(H[i], np.linalg.inv(np.eye(d) - J[i]), rtol=1e-12, atol=1e-13)
    wide = np.concatenate([cols[:3], [13.5], cols[3:]]).astype(float)
    Hw = slopes.start(J, cols.astype(float), wide, act)
    assert np.array_equal(Hw[:, 3], np.eye(d + 1)[3][None].repeat(n, 0))
    np.testing.assert_allclose(np.delete(np.delete(Hw, 3, 1), 3, 2), H, rtol=1e-12, atol=1e-13)
