"""Per-case first guess of the tears (:mod:`carbonhub.core.firstguess`): the defaults' solution
moved along each parameter by quadratics through two solved points, per-component inflow scaling;
closer starts, the same converged loops, the same guess alone and in a batch."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core import firstguess, warmstart

from test_recycle import assert_same, loop_cases, methanol_loop


def _guesses(res, fs, with_points: bool = True) -> dict[str, np.ndarray]:
    """The warm-start guess of every tear for every case of a solved result (its inlets are the
    converged ones), with or without the points along the parameters."""
    run = res._run
    kept = run.guess_points
    if not with_points:
        run.guess_points = {}
    out = {}
    try:
        for units, tears in fs.order():
            for t in tears:
                out[t] = warmstart.guess(fs, run, units, tears, t, np.arange(run.n))
    finally:
        run.guess_points = kept
    return out


@pytest.mark.unit
def test_quadratic_through_the_origin_and_two_points():
    """y = 3 d - 2 d^2 read back from two points on either side (by hand: a = 3, b = -2)."""
    d = np.array([-0.5, 0.7])
    y = (3 * d - 2 * d * d)[:, None] * np.array([1.0, -4.0])
    a, b = firstguess._quadratic(d, y)
    np.testing.assert_allclose(a, [3.0, -12.0], rtol=1e-14)
    np.testing.assert_allclose(b, [-2.0, 8.0], rtol=1e-14)


@pytest.mark.unit
def test_quadratics_and_pair_terms_rebuild_a_quadratic_of_two_parameters():
    """A quantity y = a1 d1 + b1 d1^2 + a2 d2 + b2 d2^2 + c d1 d2 known only at the five points
    (each parameter at its two points, both at their upper points) is rebuilt exactly at any
    offsets within REACH x the points', clamped beyond."""
    a1, b1, a2, b2, c = 2.0, -3.0, 0.5, 4.0, 7.0

    def y(d1, d2):
        return a1 * d1 + b1 * d1 * d1 + a2 * d2 + b2 * d2 * d2 + c * d1 * d2

    h1, h2 = np.array([-0.1, 0.2]), np.array([-0.3, 0.25])
    p0 = {"u.x": 1.0, "u.z": 5.0}
    pts = {"u.x": {"d": {"u.x": h1}, "p0": p0, "v": y(h1, 0.0)},
           "u.z": {"d": {"u.z": h2}, "p0": p0, "v": y(0.0, h2)},
           "u.x|u.z": {"d": {"u.x": h1[1:], "u.z": h2[1:]}, "p0": p0, "v": y(h1[1:], h2[1:])}}
    d1 = np.array([0.0, -0.15, 0.3, 0.4, 1.0])
    d2 = np.array([0.1, 0.5, -0.6, 0.0, -1.0])

    class Run:
        guess_points = pts

        @staticmethod
        def param_array(name):
            return p0[name] + (d1 if name == "u.x" else d2)

    got = firstguess._moved(Run, np.arange(5), lambda pt: pt["v"][:, None])[:, 0]
    e1 = np.clip(d1, firstguess.REACH * h1[0], firstguess.REACH * h1[1])
    e2 = np.clip(d2, firstguess.REACH * h2[0], firstguess.REACH * h2[1])
    np.testing.assert_allclose(got, y(e1, e2), rtol=1e-12, atol=1e-14)
    assert not np.allclose(e1, d1)  # the last case is clamped


@pytest.mark.unit
def test_far_points_give_each_side_its_own_quadratic(monkeypatch):
    """A quantity with one quadratic below the default and another above (y = 2 d - 30 d^2 for
    d < 0, y = 2 d + 5 d^2 above, by hand) known at the two points and the two far points
    (REACH x the points' offsets) is rebuilt exactly between the far points, clamped beyond; the
    two points alone (one quadratic) miss it. The compiled sum and the numpy reference give the
    same bits."""
    def y(d):
        return np.where(d < 0, 2 * d - 30 * d * d, 2 * d + 5 * d * d)

    h = np.array([-0.1, 0.2])
    hf = firstguess.REACH * h
    p0 = {"u.x": 1.0}
    pts = {"u.x": {"d": {"u.x": h}, "p0": p0, "v": y(h)},
           "u.x" + firstguess.FAR: {"d": {"u.x": hf}, "p0": p0, "v": y(hf)}}
    d = np.array([0.0, -0.05, -0.2, 0.1, 0.35, 0.4, 0.9, -1.0])

    class Run:
        guess_points = pts

        @staticmethod
        def param_array(name):
            return p0[name] + d

    def moved(points, engine):
        Run.guess_points = points
        monkeypatch.setattr(firstguess, "use_numba", lambda: engine)
        return firstguess._moved(Run, np.arange(d.size), lambda pt: pt["v"][:, None])[:, 0]

    got = moved(pts, True)
    np.testing.assert_allclose(got, y(np.clip(d, hf[0], hf[1])), rtol=1e-12, atol=1e-15)
    assert np.array_equal(got, moved(pts, False))
    near = moved({"u.x": pts["u.x"]}, True)
    assert np.abs(near - y(np.clip(d, hf[0], hf[1]))).max() > 0.1


@pytest.mark.unit
def test_far_points_inside_the_range_only():
    """The far points lie at REACH x the points' offsets, inside the declared range, and only on
    a side where the range leaves them beyond FAR_MIN x the point's offset (a fraction at 0.95
    with its upper bound 1: the lower side only)."""
    import carbonhub as ch

    fs = ch.routes.load("waste_methanol_mto")
    p0, lo, hi = firstguess.offsets(fs, "agr.co2_capture")
    far = firstguess.far_offsets(fs, "agr.co2_capture")
    np.testing.assert_allclose(far, [p0 - firstguess.REACH * (p0 - lo)], rtol=1e-14)
    p0, lo, hi = firstguess.offsets(fs, "meoh_reactor.T")
    np.testing.assert_allclose(firstguess.far_offsets(fs, "meoh_reactor.T"),
                               [p0 - firstguess.REACH * (p0 - lo), p0 + firstguess.REACH * (hi - p0)], rtol=1e-14)


@pytest.mark.unit
def test_inflow_factor_per_component():
    """A component entering the loop scales with its own inflow, one made in the loop (or below
    OWN_INFLOW of the inflow) with the total inflow."""
    F0 = np.array([80.0, 20.0, 0.0, 1e-9])
    F = np.array([[40.0, 30.0, 0.0, 5e-9], [80.0, 20.0, 1.0, 1e-9]])
    r = firstguess.inflow_factor(F, F0)
    tot = F.sum(axis=1) / F0.sum()
    np.testing.assert_allclose(r[:, 0], [0.5, 1.0], rtol=1e-15)
    np.testing.assert_allclose(r[:, 1], [1.5, 1.0], rtol=1e-15)
    np.testing.assert_allclose(r[:, 2], tot, rtol=1e-15)  # made in the loop
    np.testing.assert_allclose(r[:, 3], tot, rtol=1e-15)  # a trace below OWN_INFLOW


@pytest.mark.component
def test_first_guess_starts_nearer_and_converges_to_the_same_loop(monkeypatch):
    """Across random loop cases (reactor T +-20 K, purge, approach, separator T, feed), the guess
    moved along the parameters is nearer each case's converged recycle than the defaults' solution
    scaled by the inflow, the loop converges to the same state as from empty tears (1e-9), and in
    fewer passes than without the points."""
    fs = methanol_loop(exchanger_tears=("reactor_effluent", "meoh_recycle"))
    p = loop_cases(40, seed=5)
    res = fs.simulate(params=p, costing=False)
    cold = fs.simulate(params=p, costing=False, warm_start=False)
    assert res.ok.all() and cold.ok.all()
    names = sorted(p)
    assert set(res._run.guess_points) == (set(names) | {n + firstguess.FAR for n in names}
                                          | {f"{a}|{b}" for i, a in enumerate(names) for b in names[i + 1:]})
    for i in range(40):
        assert_same(res, cold, i, i, 1e-9)
    moved, plain = _guesses(res, fs), _guesses(res, fs, with_points=False)
    for t in fs.tears:
        conv = res.stream(t).flow
        major = conv > 1e-3 * conv.sum(axis=1, keepdims=True)
        err = lambda g: np.where(major, np.abs(g.flow - conv) / np.where(major, conv, 1.0), 0.0).max(axis=1)  # noqa: E731
        assert np.median(err(moved[t])) < 0.5 * np.median(err(plain[t])), (t, np.median(err(moved[t])), np.median(err(plain[t])))
    key = ",".join(fs.tears)
    monkeypatch.setattr(firstguess, "varied", lambda fs, run: [])
    fs.guess_points = None
    without = fs.simulate(params=p, costing=False)
    assert without.ok.all() and not without._run.guess_points
    assert res.iterations[key].mean() < without.iterations[key].mean(), (res.iterations[key].mean(), without.iterations[key].mean())


@pytest.mark.component
def test_first_guess_of_a_case_is_the_same_alone_and_in_a_batch(monkeypatch):
    """A case's guess depends on its own parameters only: bit for bit the same alone, in a batch,
    and with another parameter passed at its default value; the points are solved once per
    parameter and again when a default changes."""
    fs = methanol_loop(exchanger_tears=("reactor_effluent", "meoh_recycle"))
    p = loop_cases(12, seed=3)
    p["meoh_reactor.T"][4] = fs.get("meoh_reactor.T")  # case 4 at the default reactor T
    batch = fs.simulate(params=p, costing=False)
    gb = _guesses(batch, fs)
    for i in (0, 4, 11):
        alone = fs.simulate(params={k: v[i:i + 1] for k, v in p.items()}, costing=False)
        ga = _guesses(alone, fs)
        for t in fs.tears:
            assert np.array_equal(ga[t].flow[0], gb[t].flow[i]) and ga[t].T[0] == gb[t].T[i], (i, t)
    # case 4 without the reactor T passed at all: the same guess
    q = {k: v[4:5] for k, v in p.items() if k != "meoh_reactor.T"}
    g4 = _guesses(fs.simulate(params=q, costing=False), fs)
    for t in fs.tears:
        assert np.array_equal(g4[t].flow[0], gb[t].flow[4]) and g4[t].T[0] == gb[t].T[4]
    # kept: a second run solves no points; a new default solves them again
    kept = fs.guess_points

    def fail(*a, **k):
        raise AssertionError("points solved again")

    monkeypatch.setattr(firstguess, "solve_points", fail)
    fs.simulate(params=p, costing=False)
    assert fs.guess_points is kept
    monkeypatch.undo()
    fs.set("purge.fraction", 0.012)
    fs.simulate(params=p, costing=False)
    assert fs.guess_points[0] != kept[0]
