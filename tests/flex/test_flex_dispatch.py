"""Dispatch and sizing LP of co2_methanol_mto against price profiles, checked against
independent computations: a flat price must give the steady-state plant and its MSP; a
two-level daily price is solved by hand (below) and by a grid search over electrolyser and
storage sizes; balances are recomputed from the hourly arrays.

Hand solution of the two-level day (H cheap hours at p_lo, then 24 - H at p_hi; synthesis and
MtO held at full load by min_load = 1; no electrolyser limits): with electrolyser capacity A and
a store of SH kg, the electrolyser runs e_c = min(A, 24/H, 1 + SH/(w H H0)) in the cheap hours
(w = on-stream hours per clock hour, H0 the steady-state H2 rate) or not above 1 at all (the
MSP is linear in e_c, so one of the two ends is optimal), and e_x = (24 - H e_c)/(24 - H) in
the expensive ones; the store compressor is (e_c - 1) H0; the bill is 365 w sum(price x power).
"""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.flex import FlexPlant, Limits, PriceProfile, Sizes, flex_kpis, solve_dispatch

pytestmark = pytest.mark.integration

H, P_LO, P_HI = 12, 40.0, 300.0
TWO_LEVEL = PriceProfile(np.r_[np.full(H, P_LO), np.full(24 - H, P_HI)], name="two-level day", period=True)
FLAT_SYNTHESIS = Limits.default(synthesis_min_load=1.0, downstream_min_load=1.0)


@pytest.fixture(scope="module")
def plant():
    res = ch.routes.load("co2_methanol_mto").simulate()
    return FlexPlant(res)


def hand_msp(pl: FlexPlant, A: float, SH: float) -> float:
    w = pl.hours / 8760.0
    H0 = pl.h2_kg_per_h
    P = pl.power_MW
    rest = P["synthesis"] + P["downstream"]
    kc = pl.compression_MWh_per_kg * H0
    best = np.inf
    for ec in (1.0, min(A, 24.0 / H, 1.0 + SH / (w * H * H0))):
        ex = (24.0 - H * ec) / (24.0 - H)
        cheap = P["electrolysis"] * ec + rest + kc * (ec - 1.0)
        dear = P["electrolysis"] * ex + rest
        mwh = 365.0 * w * (H * cheap + (24 - H) * dear)
        bill = 365.0 * w * (H * P_LO * cheap + (24 - H) * P_HI * dear)
        sizes = Sizes(A, 1.0, 1.0, SH, (ec - 1.0) * H0, 0.0)
        best = min(best, pl.msp(sizes, mwh, bill))
    return best


def test_flat_price_gives_the_steady_state(plant):
    """Done means: a flat series gives exactly the steady-state MSP (1e-9), full load every hour
    (a flat day here; the whole flat year through the CLI in test_cli_flex.py)."""
    price = float(plant.result.param("prices.electricity_eur_per_MWh")[0])
    for prof in (PriceProfile(np.full(24, price), period=True),
                 PriceProfile(np.full(48, price), np.full(48, 0.3), period=True)):
        d = solve_dispatch(plant, prof)
        assert d.msp_eur_per_t == pytest.approx(plant.steady_msp, rel=1e-9)
        assert np.allclose(d.electrolyser_load, 1.0, atol=1e-9) and np.allclose(d.synthesis_load, 1.0, atol=1e-9)
        assert d.sizes.h2_storage_kg < 1e-6 and d.sizes.electrolyser == pytest.approx(1.0, abs=1e-9)


def test_two_level_day_equals_the_hand_solution(plant):
    for A, SH in ((1.5, 0.0), (1.5, 6e4), (2.0, 2e5)):
        d = solve_dispatch(plant, TWO_LEVEL, limits=FLAT_SYNTHESIS,
                           fixed={"electrolyser": A, "h2_storage_kg": SH})
        assert d.msp_eur_per_t == pytest.approx(hand_msp(plant, A, SH), rel=1e-9), (A, SH)


def test_optimum_beats_flat_and_a_grid_search(plant):
    """Done means: flexible MSP below flat operation's at the same average price, and no worse
    than a grid search over electrolyser and storage sizes."""
    d = solve_dispatch(plant, TWO_LEVEL, limits=FLAT_SYNTHESIS)
    k = flex_kpis(d)
    assert k["msp_eur_per_t"] < k["msp_flat_eur_per_t"] - 100.0
    full = (plant.hours / 8760.0) * H * plant.h2_kg_per_h       # store for a whole cheap block
    grid = [hand_msp(plant, A, f * full) for A in (1.0, 1.25, 1.5, 1.75, 2.0, 2.5)
            for f in (0.0, 0.25, 0.5, 0.75, 1.0, 1.25)]
    assert d.msp_eur_per_t <= min(grid) * (1 + 1e-9)
    # at 40 vs 300 EUR/MWh it pays to move all H2 production into the cheap hours
    assert d.sizes.electrolyser == pytest.approx(24.0 / H, rel=1e-6)
    assert d.sizes.h2_storage_kg == pytest.approx(full, rel=1e-6)


def test_balances_close_and_stores_stay_within_size(plant):
    """Done means: H2 (and methanol, energy, product) balances close hour by hour and over the
    year; storage never negative nor above its size. With a methanol tank and free synthesis."""
    rng = np.random.default_rng(7)
    p = 80.0 + 60.0 * np.sin(np.arange(72) * 2 * np.pi / 24) + rng.normal(0, 20, 72)
    p[30:34] = -50.0                                   # negative prices: run flat out, no trouble
    d = solve_dispatch(plant, PriceProfile(p, period=True), methanol_storage=True)
    b = flex_kpis(d)["balances"]
    for k in ("h2_hour_rel", "h2_store_hour_rel", "h2_year_rel", "methanol_store_hour_rel",
              "methanol_year_rel", "product_year_rel", "energy_hour_rel"):
        assert b[k] < 1e-9, (k, b[k])
    assert b["h2_storage_min_kg"] >= 0.0 and b["h2_storage_max_over_size"] <= 1.0 + 1e-9
    assert b["methanol_storage_min_t"] >= 0.0 and b["methanol_storage_max_over_size"] <= 1.0 + 1e-9
    assert np.all(d.electrolyser_load[30:34] == pytest.approx(d.sizes.electrolyser, rel=1e-9))
    assert np.all(d.synthesis_load >= 0.3 * d.sizes.synthesis - 1e-9)        # turndown kept


def test_bad_options_name_the_value(plant):
    with pytest.raises(ValueError, match="fixed size 'storage'"):
        solve_dispatch(plant, TWO_LEVEL, fixed={"storage": 1.0})
    with pytest.raises(ValueError, match="synthesis_min_load = 1.5"):
        Limits.default(synthesis_min_load=1.5)
    with pytest.raises(ValueError, match="storage = 'balloon'"):
        FlexPlant(plant.result, storage="balloon")


def test_scenarios_in_one_call_equal_single_evaluations(plant):
    """1,000 level/spread scenarios of a fixed plan in one call equal the route's TEA evaluated
    one by one (three checked), and flat operation's equal the steady state at each mean."""
    from carbonhub.flex import scenario_msp

    d = solve_dispatch(plant, TWO_LEVEL, limits=FLAT_SYNTHESIS)
    rng = np.random.default_rng(1)
    level, spread = rng.uniform(0.5, 2.0, 1000), rng.uniform(0.0, 2.0, 1000)
    base = TWO_LEVEL.price_eur_per_MWh
    prices = base.mean() * level[:, None] + (base - base.mean())[None, :] * spread[:, None]
    out = scenario_msp(d, prices)
    assert out["msp_eur_per_t"].shape == (1000,)
    for i in (0, 17, 999):
        bill = d.weight_h * float(prices[i] @ d.power_MW)
        assert out["msp_eur_per_t"][i] == pytest.approx(plant.msp(d.sizes, d.electricity_MWh_per_y, bill), rel=1e-9)
        e = plant.steady_electricity_MWh_per_y
        assert out["msp_flat_eur_per_t"][i] == pytest.approx(plant.msp(Sizes(), e, e * prices[i].mean()), rel=1e-9)
