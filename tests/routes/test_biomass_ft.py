"""biomass_ft: conservation, feedstock effects, the literature reference case."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch


@pytest.fixture(scope="module")
def fs():
    return ch.routes.load("biomass_ft")


@pytest.fixture(scope="module")
def res_feeds(fs):
    feeds = np.array(["wood_chips", "forestry_residue", "wheat_straw"])
    return feeds, fs.simulate(params={"feed.feedstock": feeds})


@pytest.mark.integration
def test_balances_close_for_every_unit_and_case(res_feeds):
    feeds, res = res_feeds
    assert (res.status == "ok").all(), res.status
    res.check_balances(mass_tol=1e-9, energy_tol=1e-6)
    b = res.balances
    assert (b.drop(columns="energy_rel") < 1e-9).all().all() and (b["energy_rel"] < 1e-6).all()


@pytest.mark.integration
def test_flowsheet_carbon_closes_at_the_boundary(res_feeds):
    """Carbon into the plant (feed + air CO2) = carbon out (products + CO2 + residues)."""
    from carbonhub.core.boundary import boundary

    _, res = res_feeds
    src, snk = boundary(res)
    c_in = sum(s.carbon_flow for _, s in src)
    c_out = sum(s.carbon_flow for _, s in snk)
    np.testing.assert_allclose(c_out, c_in, rtol=1e-9)
    h_in = sum(s.element("H") for _, s in src)
    h_out = sum(s.element("H") for _, s in snk)
    np.testing.assert_allclose(h_out, h_in, rtol=1e-9)


@pytest.mark.integration
def test_changing_the_feedstock_changes_what_it_should(res_feeds):
    from carbonhub.feedstocks import get_feedstock

    feeds, res = res_feeds
    k = res.kpis
    ash = res.stream("gasifier_ash").mass_flow
    dryer_water = res.unit_results["dryer"].design["water_evaporated_t_per_h"]
    cl_out = res.stream("scrubber_wastewater").element("Cl")
    f = [get_feedstock(x) for x in feeds]
    # more ash in the feed -> more ash out (same dry rate)
    order = np.argsort([x.ash_dry_wt_pct for x in f])
    assert (np.diff(ash[order]) > 0).all()
    # wetter feed -> more water evaporated in the dryer
    order = np.argsort([x.moisture_ar_wt_pct for x in f])
    assert (np.diff(dryer_water[order]) > 0).all()
    # chlorine: straw carries Cl, clean wood none; it leaves with the scrubber water
    i_straw, i_wood = list(feeds).index("wheat_straw"), list(feeds).index("wood_chips")
    assert cl_out[i_straw] > 0 and cl_out[i_wood] == pytest.approx(0.0, abs=1e-12)
    # product yield and CO2 follow the carbon and energy content of the feed
    fuels = sum(k[c] for c in k.columns if c.startswith("products_t_per_h."))
    assert fuels.nunique() == 3 and k["co2_captured_t_per_y"].nunique() == 3
    lhv = np.array([x.lhv_dry_MJ_per_kg for x in f])
    assert np.argmax(fuels.to_numpy()) == np.argmax(lhv)


@pytest.mark.integration
def test_kpis_within_sanity_bands(res_feeds):
    """Sanity bands, not validation: each KPI lies in a wide physically plausible range (a
    sign error or a lost stream fails, a 20-40 % error need not). The comparison with
    published plants is the reference-case test of this file."""
    _, res = res_feeds
    k = res.kpis
    assert ((k["carbon_efficiency"] > 0.15) & (k["carbon_efficiency"] < 0.5)).all()
    assert ((k["cold_gas_efficiency"] > 0.6) & (k["cold_gas_efficiency"] < 0.9)).all()
    assert ((k["energy_efficiency_products_lhv"] > 0.2) & (k["energy_efficiency_products_lhv"] < 0.6)).all()
    # all carbon is biogenic (plus a trace of atmospheric CO2 in the air intakes)
    assert (k["carbon_in_products_biogenic_fraction"] > 0.99).all()
    assert (k["co2_emitted_fossil_t_per_y"] == 0).all()
    assert (k["msp_eur_per_t"] > 0).all() and (k["tci_eur"] > 0).all()


# The published reference plants (Swanson et al. 2010, both scenarios) are checked figure by
# figure in tests/routes/test_reference_cases.py.


@pytest.mark.integration
def test_tar_reformer_is_fired_by_the_tail_gas_and_reforms_the_methane(res_feeds):
    """The reformer's duty is met by its combustor burning part of the FT tail-gas purge (the
    design spec, to 1 W), no natural gas is bought for it, the gasifier's CH4 is reformed at the
    specified 80 % and the unburnt purge is recycled to the reformer."""
    _, res = res_feeds
    duty = res.unit_results["tar_reformer"].heat
    delivered = -res.unit_results["reformer_combustor"].heat
    assert (duty > 1e6).all()
    np.testing.assert_allclose(delivered, duty, rtol=0, atol=1.0)
    np.testing.assert_allclose(res.unit_results["tar_reformer"].design["ch4_conversion"], 0.8, rtol=1e-12)
    frac = res.param("fuel_split.fraction")
    assert ((frac > 0) & (frac < 1)).all()
    purge, recycle = res.stream("tail_gas_purge"), res.stream("reformer_recycle")
    np.testing.assert_allclose(recycle.total_flow, (1 - frac) * purge.total_flow, rtol=1e-12)


@pytest.mark.integration
def test_reforming_raises_the_liquids_yield(fs):
    """The same plant with the reformer's conversions at zero (it then only heats the gas):
    the gasifier's CH4 and the recycled C1-C4 stay hydrocarbons and leave with the purge, so
    the carbon efficiency falls and the purge carries more CH4. Half of the purge goes to the
    boiler in both cases (without reforming, a full recycle would accumulate the CH4)."""
    groups = ("x_CH4", "x_C2H6", "x_C2H4", "x_C3_C4", "x_tar", "x_benzene")
    params = {f"tar_reformer.{g}": np.array([fs.get(f"tar_reformer.{g}"), 0.0]) for g in groups}
    res = fs.simulate(params={**params, "boiler_fuel.fraction": 0.5})
    assert (res.status == "ok").all(), res.status
    ce = res.kpis["carbon_efficiency"].to_numpy()
    assert ce[0] > ce[1] + 0.03, ce
    purge = res.stream("tail_gas_purge")
    assert purge["CH4"][1] > 2.0 * purge["CH4"][0]


@pytest.mark.integration
def test_a_case_marked_ok_has_its_spec_met_on_converged_loops(fs):
    """The reformer_fired spec wraps the FT loop. With Wegstein and 200 passes the loop fails at
    some spec iterates of this case; the spec must not take those residuals (it used to, and the
    case came out 'ok' with an MSP 3.7e-4 off, the loop converged only at a wrong fuel split). A
    case is either flagged with the recycle's reason or equal to the tightly converged answer."""
    case = {"feed.rate_dry_t_per_h": 87.81286266515278, "purge.fraction": 0.20007718415202597,
            "gasifier.T": 1179.0310882493677, "ft.alpha": 0.8227756218868139,
            "ft.co_conversion": 0.6527503815396472, "agr.co2_capture": 0.8291117241242256,
            "prices.electricity_eur_per_MWh": 199.67652014669622}
    params = {k: np.array([v]) for k, v in case.items()}
    ref = fs.simulate(params=params, method="anderson", tol=1e-13, max_iter=1000)
    assert ref.ok.all(), ref.status
    msp_ref = float(ref.kpis["msp_eur_per_t"].iloc[0])
    weg = fs.simulate(params=params, method="wegstein")
    if weg.ok.all():
        # the defect was 3.7e-4; the default run stops at its own tear and spec tolerances
        # (measured 1.4e-9 from the 1e-13 reference after the per-case restarts, 2026-12-07)
        assert float(weg.kpis["msp_eur_per_t"].iloc[0]) == pytest.approx(msp_ref, rel=1e-8)
    else:
        assert "recycle ft_gas: no convergence" in str(weg.status[0])


@pytest.mark.integration
def test_hydrotreater_feed_is_heated_by_the_cracker_effluent(res_feeds):
    """The feed-effluent exchanger (issue 13 item 3): the cracker's C5+ effluent (at its 623 K
    reactor temperature, no cooler of its own) heats the FT condensate to 10 K below it, both
    sides' enthalpy changes equal its duty, and the hydrotreater fires only the last 10 K of its
    feed (and its H2) in its feed heater: the FT liquids are paraffins, so nothing reacts there and its
    duty is the two inlets' sensible heat to 623.15 K, computed here from the streams."""
    _, res = res_feeds
    hx, ht, hcr = (res.unit_results[u] for u in ("ht_feed_effluent_hx", "hydrotreater", "hydrocracker"))
    cond, feed = res.stream("ft_condensate"), res.stream("hydrotreater_feed")
    hot_in, hot_out = res.stream("hydrocracker_effluent"), res.stream("naphtha_column_feed")
    q = hx.design["duty_W"]
    assert (q > 1.5e6).all()
    np.testing.assert_allclose(feed.enthalpy - cond.enthalpy, q, rtol=1e-9)
    np.testing.assert_allclose(hot_in.enthalpy - hot_out.enthalpy, q, rtol=1e-9)
    np.testing.assert_allclose(hot_in.T, 623.15, rtol=1e-12)
    approach = np.minimum(hot_in.T - feed.T, hot_out.T - cond.T)
    np.testing.assert_allclose(approach, 10.0, rtol=1e-9)
    assert (ht.design["h2_consumed_mol_s"] == 0.0).all()
    h2 = res.stream([c.id for c in res.flowsheet.connections
                     if c.dst.unit.id == "hydrotreater" and c.dst.name == "h2"][0])
    sensible = (feed.enthalpy_at(np.full(3, 623.15)) - feed.enthalpy) + (h2.enthalpy_at(np.full(3, 623.15)) - h2.enthalpy)
    # heated to 350 degC: a fired heater's duty, no steam (Towler & Sinnott 2013, 3.2.2)
    np.testing.assert_allclose(ht.utilities["fired_heat_W"], sensible, rtol=1e-9)
    assert (ht.utilities["steam_heat_W"] == 0.0).all()
    assert (ht.utilities["fired_heat_W"] < 0.2 * q).all()
    # no cooler of its own: at most the round-off of the effluent's enthalpy flow (9.3e-10 W
    # measured in CI against |H| ~ 1e7-1e8 W)
    cool = hcr.utilities.get("cooling_W", np.zeros(3))
    assert (np.abs(cool) <= 1e-12 * np.abs(hot_in.enthalpy)).all()
