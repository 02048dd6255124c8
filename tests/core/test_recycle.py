"""Recycle convergence: Anderson acceleration (safeguarded, Wegstein fallback) vs Wegstein,
per-case independence, convergence reporting and the checks of the solver settings."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.core.recycle import TearAccelerator, tear_error
from carbonhub.unitops.basic import Mixer, Splitter
from carbonhub.unitops.separations import Flash
from carbonhub.unitops.sources import GasSource, Sink
from carbonhub.unitops.methanol import MethanolReactor
from carbonhub.unitops.machines import Compressor

P_LOOP = 80e5  # Pa
LOOP_CS = ["H2", "CO", "CO2", "CH4", "H2O", "H2O(L)", "N2", "CH3OH"]
STREAMS = ("meoh_recycle", "crude", "purge_gas")


def methanol_loop(purge: float = 0.01, exchanger_tears: tuple[str, str] | None = None,
                  components: ch.ComponentSet | None = None, inert: str | None = None, mixer=Mixer):
    """Make-up gas (H2/CO2 = 3 with a little CO and N2) -> mixer -> equilibrium Cu/ZnO reactor
    (523 K, 10 K approach) -> separator (313 K) -> purge -> recycle compressor -> mixer.
    With ``exchanger_tears``: a feed-effluent exchanger ``fehe`` (10 K approach) between the
    mixer and the reactor (two cycles through it), torn at the two streams given. On
    ``components`` (default LOOP_CS); ``inert``: a second source ``inert`` of that gas (its
    ``flow`` 5 mol/s) into the mixer; ``mixer``: the mixer's class."""
    from carbonhub.unitops.heat import HeatExchanger

    cs = components or ch.ComponentSet.from_ids(LOOP_CS)
    fs = ch.Flowsheet("meoh_loop", components=cs)
    src = fs.add(GasSource("feed", composition={"H2": 0.74, "CO2": 0.245, "CO": 0.01, "N2": 0.005},
                           flow=1000.0, T=313.15, P=P_LOOP))
    mix = fs.add(mixer("loop_mixer", n_inlets=3 if inert else 2))
    if inert:
        gas = fs.add(GasSource("inert", composition={inert: 1.0}, flow=5.0, T=313.15, P=P_LOOP))
        fs.connect(gas.outlets.out, mix.inlets.in3)
    hx = fs.add(HeatExchanger("fehe", spec="approach", dT_min=10.0)) if exchanger_tears else None
    rx = fs.add(MethanolReactor("meoh_reactor", T=523.15, P=P_LOOP, dT_approach=10.0))
    sep = fs.add(Flash("hp_separator", T=313.15, P=P_LOOP - 1e5))
    sp = fs.add(Splitter("purge", fraction=purge))
    comp = fs.add(Compressor("recycle_compressor", P_out=P_LOOP))
    crude = fs.add(Sink("crude_sink", category="product", product="methanol", main=True))
    vent = fs.add(Sink("purge_sink", category="emission"))
    c = fs.connect
    c(src.outlets.out, mix.inlets.in1)
    if hx is None:
        c(mix.outlets.out, rx.inlets.feed)
        c(rx.outlets.out, sep.inlets.feed)
    else:
        c(mix.outlets.out, hx.inlets.cold, id="loop_feed")
        c(hx.outlets.cold_out, rx.inlets.feed, id="reactor_feed")
        c(rx.outlets.out, hx.inlets.hot, id="reactor_effluent")
        c(hx.outlets.hot_out, sep.inlets.feed)
    c(sep.outlets.liquid, crude.inlets.feed, id="crude")
    c(sep.outlets.vapor, sp.inlets.feed)
    c(sp.outlets.purge, vent.inlets.feed, id="purge_gas")
    c(sp.outlets.out, comp.inlets.feed)
    c(comp.outlets.out, mix.inlets.in2, id="meoh_recycle")
    fs.tear_hints += list(exchanger_tears or ("meoh_recycle",))
    return fs


def loop_cases(n: int, seed: int = 0, purge: float = 0.01) -> dict[str, np.ndarray]:
    """Random cases around the defaults: purge 0.8-1.2 %, reactor T, approach, separator T, feed."""
    rng = np.random.default_rng(seed)
    return {"purge.fraction": rng.uniform(0.8 * purge, 1.2 * purge, n),
            "meoh_reactor.T": rng.uniform(503.15, 543.15, n),
            "meoh_reactor.dT_approach": rng.uniform(5.0, 15.0, n),
            "hp_separator.T": rng.uniform(303.15, 323.15, n),
            "feed.flow": rng.uniform(500.0, 1500.0, n)}


def assert_same(a, b, ia, ib, rtol):
    for sid in STREAMS:
        fa, fb = a.stream(sid).flow[ia], b.stream(sid).flow[ib]
        np.testing.assert_allclose(fa, fb, rtol=rtol, atol=rtol * np.abs(fb).sum())
        assert a.stream(sid).T[ia] == pytest.approx(b.stream(sid).T[ib], rel=rtol)


def assert_alone_as_in_batch(fs, p, res, key, cases, rtol=1e-10):
    """Each of ``cases`` run alone takes the passes of block ``key`` it took in the batch ``res``
    (parameters ``p``) and gives its streams (``rtol``)."""
    for i in cases:
        alone = fs.simulate(params={k: v[i:i + 1] for k, v in p.items()}, costing=False)
        assert alone.iterations[key][0] == res.iterations[key][i]
        assert_same(alone, res, 0, i, rtol)


@pytest.mark.component
def test_methanol_loop_at_one_percent_purge_converges_in_every_case():
    fs = methanol_loop()
    res = fs.simulate(params=loop_cases(1000), costing=False)
    assert (res.status == "ok").all(), set(res.status[res.status != "ok"])
    conv = res.convergence
    assert (conv["meoh_recycle.residual"] <= 1e-11).all()
    assert conv["meoh_recycle.iterations"].max() < 200
    res.check_balances(mass_tol=1e-9, energy_tol=1e-6)


@pytest.mark.component
def test_anderson_and_wegstein_agree_where_both_converge():
    fs = methanol_loop(purge=0.05)
    p = loop_cases(40, seed=1, purge=0.05)
    a = fs.simulate(params=p, costing=False)
    w = fs.simulate(params=p, costing=False, method="wegstein", max_iter=1000)
    both = np.flatnonzero(a.ok & w.ok)
    assert both.size >= 35
    for i in both:
        assert_same(a, w, i, i, 1e-9)
    # Anderson needs fewer iterations than Wegstein on this equilibrium loop
    assert a.iterations["meoh_recycle"].mean() < w.iterations["meoh_recycle"].mean()


@pytest.mark.component
def test_batch_equals_one_by_one():
    fs = methanol_loop()
    p = loop_cases(60, seed=2)
    batch = fs.simulate(params=p, costing=False)
    for i in (0, 17, 42, 59):
        one = fs.simulate(params={k: v[i:i + 1] for k, v in p.items()}, costing=False)
        assert_same(one, batch, 0, i, 1e-10)


@pytest.mark.unit
def test_non_converged_case_has_a_clear_status_and_residual():
    fs = methanol_loop()
    res = fs.simulate(params=loop_cases(3), costing=False, max_iter=3)
    assert not res.ok.any()
    assert all(s.startswith("recycle meoh_recycle: no convergence in 3 iterations (tear residual ")
               for s in res.status)
    conv = res.convergence
    assert list(conv.columns) == ["meoh_recycle.iterations", "meoh_recycle.residual", "converged"]
    assert (conv["meoh_recycle.iterations"] == 3).all() and (conv["meoh_recycle.residual"] > 1e-11).all()
    assert not conv["converged"].any()


@pytest.mark.unit
@pytest.mark.parametrize("kw, words", [
    ({"tol": 0.0}, "tol = 0.0: expected a relative tear tolerance > 0"),
    ({"tol": -1e-9}, "tol = -1e-09: expected"),
    ({"tol": float("nan")}, "tol = nan: expected"),
    ({"max_iter": 0}, "max_iter = 0: expected an integer number of iterations >= 1"),
    ({"max_iter": 2.5}, "max_iter = 2.5: expected"),
    ({"method": "newton"}, "method = 'newton': expected one of 'anderson', 'wegstein'"),
])
def test_nonsensical_settings_are_rejected_in_one_line(kw, words):
    fs = methanol_loop()
    with pytest.raises(ValueError) as e:
        fs.simulate(**kw)
    assert str(e.value).startswith(words) and "\n" not in str(e.value)


@pytest.mark.unit
def test_anderson_solves_a_linear_map_in_few_steps():
    """x = A x + b with a slow mode (spectral radius 0.99): Anderson (memory 5) reaches the
    fixed point, computed independently by a linear solve, in far fewer steps than the ~2,500
    plain substitutions need for 1e-11."""
    rng = np.random.default_rng(3)
    d = 6  # 4 flows, T, P
    Q, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    A = Q @ np.diag([0.99, 0.5, 0.2, -0.3]) @ Q.T
    x_star = np.array([1.0, 2.0, 0.5, 1.5])
    b = x_star - A @ x_star
    assert np.allclose(np.linalg.solve(np.eye(4) - A, b), x_star)
    g = lambda x: np.concatenate([A @ x[:4] + b, [400.0, 1e5]])  # noqa: E731
    acc = TearAccelerator("anderson", [d], 1)
    x = np.concatenate([x_star * 1.5, [400.0, 1e5]])[None]
    for k in range(60):
        gx = g(x[0])[None]
        xn, dist = acc.step(x, gx)
        if tear_error(x, gx, [d], dist)[0] <= 1e-11:
            break
        x = xn
    assert k < 30
    np.testing.assert_allclose(gx[0, :4], x_star, rtol=1e-9)


@pytest.mark.component
def test_compiled_and_numpy_engines_give_the_same_loop(monkeypatch):
    """The numba kernels (Anderson step, K-values, Rachford-Rice, NASA-7) and their numpy
    references (``CARBONHUB_NUMBA=0``) converge the 1 %-purge loop to the same tears (1e-9)."""
    fs = methanol_loop()
    p = loop_cases(30, seed=5)
    compiled = fs.simulate(params=p, costing=False)
    monkeypatch.setenv("CARBONHUB_NUMBA", "0")
    reference = fs.simulate(params=p, costing=False)
    assert compiled.ok.all() and reference.ok.all()
    for i in range(30):
        assert_same(compiled, reference, i, i, 1e-9)
    reference.check_balances(mass_tol=1e-9, energy_tol=1e-6)


@pytest.mark.component
def test_exchanger_rerun_converges_to_the_same_loop_in_fewer_passes():
    """Torn at the reactor effluent, the exchanger runs again on the fresh effluent in every
    pass (:func:`carbonhub.core.solver.pass_steps`), so that material goes round the loop once
    per pass; torn at the reactor feed it runs once per pass. Same converged loop (1e-9, an
    independent path to it), fewer passes."""
    from carbonhub.core.solver import pass_steps

    p = loop_cases(40, seed=7)
    rerun = methanol_loop(exchanger_tears=("reactor_effluent", "meoh_recycle"))
    once = methanol_loop(exchanger_tears=("reactor_feed", "meoh_recycle"))
    (units, tears), = [b for b in rerun.order() if b[1]]
    steps = [u for u, _ in pass_steps(rerun, units, tears)]
    assert steps.count("fehe") == 2 and steps.index("meoh_reactor") < len(steps) - 1 - steps[::-1].index("fehe")
    (units1, tears1), = [b for b in once.order() if b[1]]
    assert [u for u, _ in pass_steps(once, units1, tears1)] == units1
    a = rerun.simulate(params=p, costing=False, warm_start=False)  # both from empty tears
    b = once.simulate(params=p, costing=False, warm_start=False)
    assert a.ok.all() and b.ok.all()
    for i in range(40):
        assert_same(a, b, i, i, 1e-9)
        for sid in ("reactor_feed", "reactor_effluent"):
            np.testing.assert_allclose(a.stream(sid).flow[i], b.stream(sid).flow[i], rtol=1e-9,
                                       atol=1e-9 * b.stream(sid).flow[i].sum())
            assert a.stream(sid).T[i] == pytest.approx(b.stream(sid).T[i], rel=1e-9)
    a.check_balances(mass_tol=1e-9, energy_tol=1e-6)
    it_a, it_b = a.iterations[",".join(tears)], b.iterations[",".join(tears1)]
    assert it_a.mean() < 0.75 * it_b.mean(), (it_a.mean(), it_b.mean())


@pytest.mark.component
def test_warm_start_from_the_defaults_gives_the_cold_start_loop():
    """Tears started from the loop's solution at its defaults, scaled per case
    (:mod:`carbonhub.core.warmstart`), converge to the loop the empty start gives (1e-9) in
    fewer passes; the solution at the defaults is solved once, kept, and solved again when a
    default changes."""
    fs = methanol_loop(exchanger_tears=("reactor_effluent", "meoh_recycle"))
    p = loop_cases(30, seed=11)
    cold = fs.simulate(params=p, costing=False, warm_start=False)
    assert fs.nominal_tears is None
    warm = fs.simulate(params=p, costing=False)
    key, data = fs.nominal_tears
    it = ",".join(fs.tears)
    assert set(data) == {it} and set(fs.tears) == {"reactor_effluent", "meoh_recycle"}
    assert cold.ok.all() and warm.ok.all()
    for i in range(30):
        assert_same(warm, cold, i, i, 1e-9)
        assert warm.stream("meoh_recycle").origin[i] == pytest.approx(cold.stream("meoh_recycle").origin[i], abs=1e-12)
    assert warm.iterations[it].mean() < cold.iterations[it].mean()
    fs.simulate(params=p, costing=False)
    assert fs.nominal_tears[0] == key  # kept
    fs.set("purge.fraction", 0.012)
    fs.simulate(params=p, costing=False)
    assert fs.nominal_tears[0] != key  # solved again at the new default


@pytest.mark.unit
@pytest.mark.parametrize("engine", ["numpy", "auto"])
def test_anderson_keeps_a_flow_the_loop_returns_as_zero_at_zero(engine):
    """A component the loop's units return as exactly zero (removed, or absent at this case's
    conditions, after earlier passes carried it) stays zero in the next iterate: extrapolated
    from the history it was 1.057 here, and such a flow (tiny in a route: swanson_2010_ht's
    joint spec) kept the element test of the convergence check from ever passing (an element
    with no flow in g), so the joint solve handed every case over. Both engines."""
    G = [[0.76, 1.89, 1.94], [0.81, 1.85, 1.47], [1.19, 1.69, 1.57], [1.63, 0.85, 0.75], [1.749, 0.0, 0.696]]
    acc = TearAccelerator("anderson", [5], 1, engine=engine)
    x = np.array([[1.0, 1.0, 1.0, 400.0, 1e5]])
    for g3 in G:
        g = np.array([g3 + [400.0, 1e5]])
        xn, dist = acc.step(x, g)
        x_prev, x = x, xn
    assert xn[0, 1] == 0.0
    assert xn[0, 0] != g[0, 0] and xn[0, 2] != g[0, 2]  # the others still accelerated
    el = np.eye(3)  # an element per component: the one of the removed component has no flow in g
    assert tear_error(x_prev, g, [5], dist, el)[0] < 1e300


@pytest.mark.unit
def test_anderson_engines_agree_on_a_step():
    """The compiled Anderson step and its numpy reference give the same iterates (1e-12)."""
    rng = np.random.default_rng(4)
    accs = [TearAccelerator("anderson", [6], 3, engine=e) for e in ("numpy", "auto")]
    xs = [np.column_stack([rng.uniform(0.5, 2, (3, 4)), np.full(3, 400.0), np.full(3, 1e5)])] * 2
    for _ in range(8):
        g = np.column_stack([rng.uniform(0.5, 2, (3, 4)), np.full(3, 400.0), np.full(3, 1e5)])
        g[:, 1] = np.where(rng.random(3) < 0.3, 0.0, g[:, 1])
        out = [a.step(x, g) for a, x in zip(accs, xs)]
        np.testing.assert_allclose(out[0][0], out[1][0], rtol=1e-12, atol=1e-14)
        if out[0][1] is not None:  # the distance estimate (none after the first substitution)
            np.testing.assert_allclose(out[0][1], out[1][1], rtol=1e-12, atol=1e-14)
        xs = [o[0] for o in out]
