"""Passive tears (core/passive.py): biomass_ft's shift effluent, torn at the hot inlet of the
shift's feed-effluent exchanger (spec cold_T_out), is not iterated with the FT/reformer loop's
tears. The reference is the same solver iterating every tear (the rule switched off): the
solutions agree to 1e-9, case by case, from the defaults' warm start and from empty tears (where
the first pass's exchanger sees no hot flow and passes its cold side unheated); the balances
close; and fewer passes are taken. The guard (:func:`passive.same`: a case is accepted only where
the destination's outlets read in the pass equal those of its run on the fresh tear) is checked
on its own. A block whose only tear is passive (waste_methanol_mto's shift) is iterated as
before."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.core import passive
from carbonhub.unitops.heat import HeatExchanger

N = 12
SPACE = {"gasifier.T": (1100.0, 1250.0), "ft.alpha": (0.86, 0.92), "ft.co_conversion": (0.5, 0.7),
         "purge.fraction": (0.1, 0.3)}


def test_only_a_cold_outlet_at_a_set_temperature_is_independent_of_the_hot_inlet():
    for spec, free in (("cold_T_out", {"cold_out"}), ("approach", set()), ("duty", set()), ("hot_T_out", set())):
        hx = HeatExchanger("hx", spec=spec)
        p = hx.resolve({}, 3)
        assert set(hx.independent_outlets(p, "hot")) == free, spec
        assert not hx.independent_outlets(p, "cold")
    hx = HeatExchanger("hx")  # a per-case spec mixing both: not independent in every case
    assert not hx.independent_outlets(hx.resolve({"spec": np.array(["cold_T_out", "approach"])}, 2), "hot")


def test_the_guard_accepts_only_the_cases_whose_read_outlets_did_not_move():
    from carbonhub.core import Stream
    from carbonhub.thermo import ComponentSet

    cs = ComponentSet.from_ids(["H2", "CO", "H2O"])
    s = Stream(cs, np.array([[1.0, 2.0, 0.0], [1.0, 2.0, 0.5], [3.0, 0.0, 0.0]]), np.array([573.15, 573.15, 500.0]), 30e5)
    run = type("Run", (), {"streams": {"feed_hot": s}})()
    cases = np.arange(3)
    first = passive.snapshot(run, ("feed_hot",), cases)
    assert passive.same(run, first, cases, 1e-11).all()
    moved = s.take(cases)
    moved.flow[1, 2] *= 1 + 1e-9   # a flow off by more than the tolerance
    moved.T[2] = 313.15             # a cold side passed unheated
    run.streams["feed_hot"] = moved
    assert passive.same(run, first, cases, 1e-11).tolist() == [True, False, False]
    assert passive.same(run, first, cases, 1e-8).tolist() == [True, True, False]


def _blocks(route):
    fs = ch.routes.load(route)
    run = type("Run", (), {"overrides": {}})()
    return fs, {",".join(t): passive.of_block(fs, run, u, t, np.arange(1)) for u, t in fs.order() if t}


def test_the_shift_effluent_is_the_passive_tear():
    _, ft = _blocks("biomass_ft")
    assert ft["shift_effluent,ft_gas"] == {"shift_effluent": ("wgs_feh", ("shift_feed_hot",))}
    assert ft["hydrocracker_effluent"] == {}  # the hydrotreater's exchanger: spec approach
    _, w = _blocks("waste_methanol_mto")
    assert w["shift_effluent"] == {"shift_effluent": ("wgs_feh", ("shift_feed_hot",))}
    assert w["meoh_recycle,reactor_effluent"] == {}


def _cases():
    rng = np.random.default_rng(5)
    return {k: rng.uniform(lo, hi, N) for k, (lo, hi) in SPACE.items()}


@pytest.mark.integration
@pytest.mark.parametrize("warm_start", [True, False], ids=["defaults_start", "empty_start"])
def test_passive_tear_gives_the_same_solution_in_fewer_passes(monkeypatch, warm_start):
    params = _cases()
    fs = ch.routes.load("biomass_ft")
    res = fs.simulate(params=params, warm_start=warm_start)
    with monkeypatch.context() as mp:
        mp.setattr(passive, "of_block", lambda *a: {})  # every tear iterated
        ref = ch.routes.load("biomass_ft").simulate(params=params, warm_start=warm_start)
    assert res.ok.all() and ref.ok.all()
    res.check_balances(mass_tol=1e-9, energy_tol=1e-6)
    key = "shift_effluent,ft_gas"
    its, its_ref = res.iterations[key], ref.iterations[key]
    assert its.mean() < its_ref.mean(), (its.mean(), its_ref.mean())
    # the same fixed point: every stream of every case (tear tolerance 1e-11; the FT loop's
    # design spec solved with the tears to its own tolerance)
    assert_same_solution(res, ref, 1e-9)


def assert_same_solution(res, ref, tol):
    """Every stream of every case of ``res`` within ``tol`` of ``ref`` (flows relative to the
    stream's total, T relative), and the MSP within ``tol``."""
    for sid in ref.stream_data:
        a, b = res.stream(sid), ref.stream(sid)
        scale = np.maximum(b.total_flow, 1e-9)[:, None]
        assert (np.abs(a.flow - b.flow) / scale).max() <= tol, sid
        assert np.abs(a.T - b.T).max() <= tol * b.T.max(), sid
    msp, msp_ref = res.kpis["msp_eur_per_t"].to_numpy(), ref.kpis["msp_eur_per_t"].to_numpy()
    assert np.abs(msp / msp_ref - 1).max() <= tol


@pytest.mark.integration
def test_a_block_of_passive_tears_only_is_iterated_as_before(monkeypatch):
    """waste_methanol_mto's shift block has no other tear to iterate: the rule leaves it alone
    (the same passes and the same bits as with the rule switched off)."""
    params = {"gasifier.T": np.linspace(1400.0, 1550.0, 4)}
    res = ch.routes.load("waste_methanol_mto").simulate(params=params)
    with monkeypatch.context() as mp:
        mp.setattr(passive, "of_block", lambda *a: {})
        ref = ch.routes.load("waste_methanol_mto").simulate(params=params)
    assert res.ok.all() and ref.ok.all()
    assert (res.iterations["shift_effluent"] == ref.iterations["shift_effluent"]).all()
    for sid in ("shift_feed_hot", "shift_effluent"):
        assert np.array_equal(res.stream(sid).flow, ref.stream(sid).flow)
