"""Heat priced by the utility that can deliver it (costing/heat_supply.py, issue 13): a demand
hotter than MP steam reaches (10 bar, 179.88 degC, less heat.steam_approach_K) is fired heat, a
fired heat burns natural gas at heat.furnace_efficiency (Towler & Sinnott 2013, 3.2.2: 0.85), a
column feed chilled below cooling water is refrigeration electricity. References by hand: the
heater's duty from its own enthalpy balance, the gas as duty / efficiency, the refrigeration
by the Carnot fraction written out (tests/helpers.py ``refrigeration_by_hand``)."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.costing.flowsheet import CW_J_PER_M3, STEAM_LATENT_J_PER_KG, add_economics, annual_flows
from carbonhub.costing.heat_supply import heat_supply
from carbonhub.unitops.basic import Heater
from carbonhub.unitops.olefins import OlefinSeparationTrain
from carbonhub.unitops.sources import GasSource, Sink
from helpers import refrigeration_by_hand

T_SAT_10BAR = 453.03  # IAPWS-IF97: saturation at 1 MPa, 179.88 degC
MWH = 3.6e9


def _heater_route():
    fs = ch.Flowsheet("heated_gas")
    gas = fs.add(GasSource("gas", {"CH4": 1.0}, flow=200.0, T=313.15, P=20e5))
    h = fs.add(Heater("heater"))
    prod = fs.add(Sink("prod", "product", product="ethylene", main=True))
    fs.connect(gas.outlets.out, h.inlets.feed)
    fs.connect(h.outlets.out, prod.inlets.feed)
    add_economics(fs, ["ethylene"])
    return fs


@pytest.fixture(scope="module")
def heated():
    """Cases: 400 K (steam), 500 K (fired, 0.85), 700 K (fired, 0.6), 440 K at an approach of
    10 K (steam, below 443.03 K) and of 20 K (fired, above 433.03 K)."""
    fs = _heater_route()
    res = fs.simulate(params={"heater.T": np.array([400.0, 500.0, 700.0, 440.0, 440.0]),
                              "heat.furnace_efficiency": np.array([0.85, 0.85, 0.6, 0.85, 0.85]),
                              "heat.steam_approach_K": np.array([10.0, 10.0, 10.0, 10.0, 20.0])})
    assert (res.status == "ok").all(), res.status
    return res


@pytest.mark.integration
def test_heat_above_mp_steam_is_fired_gas_over_the_furnace_efficiency(heated):
    res = heated
    duty = np.asarray(res.unit_results["heater"].heat, dtype=float)  # W, the heater's enthalpy rise
    assert (duty > 0).all()
    fired = np.array([False, True, True, False, True])  # T > 453.03 K - approach, decided here
    eta = np.array([0.85, 0.85, 0.6, 0.85, 0.85])
    hours = res.param("economics.operating_hours").astype(float)
    s = hours * 3600.0
    f = annual_flows(res, hours)
    np.testing.assert_allclose(f["natural_gas_MWh_per_y"], np.where(fired, duty / eta, 0.0) * s / MWH, rtol=1e-12)
    np.testing.assert_allclose(f["steam_import_t_per_y"], np.where(fired, 0.0, duty) / (STEAM_LATENT_J_PER_KG * 1e3) * s,
                               rtol=1e-12)
    k = res.kpis
    np.testing.assert_allclose(k["fired_heat_MW"], np.where(fired, duty / eta, 0.0) / 1e6, rtol=1e-12)
    np.testing.assert_allclose(k["steam_import_MW"], np.where(fired, 0.0, duty) / 1e6, rtol=1e-12)
    # the energy efficiency counts the gas burnt: LHV of the product over LHV of the feed + gas
    lhv = float(res.stream_data[res.flowsheet.connections[0].id].lhv()[0])
    np.testing.assert_allclose(k["energy_efficiency_lhv"], lhv / (lhv + duty / np.where(fired, eta, 1.0)), rtol=1e-9)
    # the CO2 of the gas burnt (ghg.natural_gas_ef_t_per_MWh on its LHV) is the route's only CO2
    ef = res.param("ghg.natural_gas_ef_t_per_MWh").astype(float)
    steam_ef = res.param("ghg.steam_ef_t_per_t").astype(float)
    want = np.where(fired, duty / eta * s / MWH * ef, f["steam_import_t_per_y"] * steam_ef)
    elec = f["electricity_MWh_per_y"]
    assert (elec == 0).all()
    np.testing.assert_allclose(k["co2_route_t_per_y"], want, rtol=1e-9)
    # ... and pays the EU ETS price, as the bought steam's price holds its boiler's CO2
    np.testing.assert_allclose(f["fired_gas_co2_t_per_y"], np.where(fired, duty / eta * s / MWH * ef, 0.0), rtol=1e-12)
    np.testing.assert_allclose(res.tea.variable_opex["fired_gas_co2"],
                               f["fired_gas_co2_t_per_y"] * res.param("prices.co2_eur_per_t").astype(float), rtol=1e-12)


@pytest.mark.integration
def test_a_fired_heater_is_costed_where_the_heat_is_fired(heated):
    res = heated
    res.kpis
    row = res.tea.unit_costs["heater_fired_heater"]
    cost = np.asarray(row.installed_eur, dtype=float)
    fired = np.array([False, True, True, False, True])
    assert (cost[fired] > 0).all() and (cost[~fired] == 0).all()


@pytest.fixture(scope="module")
def olefins():
    """The olefin train of the OlefinSeparationTrain docstring (an MTO effluent at 40 degC, 32 bar)."""
    fs = ch.Flowsheet("olefin_train")
    f = {"H2": 2.0, "CH4": 5.0, "C2H4": 40.0, "C2H6": 3.0, "C3H6": 35.0, "C3H8": 3.0, "C4H8": 12.0}
    tot = sum(f.values())
    gas = fs.add(GasSource("gas", {k: v / tot for k, v in f.items()}, flow=tot, T=313.15, P=32e5))
    tr = fs.add(OlefinSeparationTrain("train"))
    fs.connect(gas.outlets.out, tr.inlets.feed)
    for port, cat in (("ethylene", "product"), ("propylene", "byproduct"), ("c4plus", "other"),
                      ("fuel_gas", "other"), ("ethane_propane", "other")):
        snk = fs.add(Sink(port, cat, product=port if cat != "other" else None, main=port == "ethylene"))
        fs.connect(getattr(tr.outlets, port), snk.inlets.feed)
    add_economics(fs, ["ethylene"])
    res = fs.simulate()
    assert (res.status == "ok").all(), res.status
    return res


@pytest.mark.integration
def test_demethaniser_feed_chilling_is_refrigeration_electricity(olefins):
    res = olefins
    d = res.unit_results["train"].design
    assert float(d["demethaniser_T_feed_bubble_K"][0]) < 308.15 and float(d["demethaniser_feed_heat_W"][0]) < 0
    cols = ("demethaniser", "deethaniser", "c2_splitter", "depropaniser", "c3_splitter")
    w = refrigeration_by_hand(res, "train", cols)
    assert float(w[0]) > 0
    hours = res.param("economics.operating_hours").astype(float)
    s = hours * 3600.0
    f = annual_flows(res, hours)
    power = np.asarray(res.unit_results["train"].power, dtype=float)  # the condensers' refrigeration
    np.testing.assert_allclose(f["electricity_MWh_per_y"], (power + w) * s / MWH, rtol=1e-12)
    cooling = np.asarray(res.unit_results["train"].utilities["cooling_W"], dtype=float)
    np.testing.assert_allclose(f["cooling_water_m3_per_y"], (cooling + w) / CW_J_PER_M3 * s, rtol=1e-12)
    np.testing.assert_allclose(res.kpis["electricity_import_MW"], (power + w) / 1e6, rtol=1e-12)


@pytest.mark.integration
@pytest.mark.parametrize("which", ["heated", "olefins"])
def test_utilities_close_the_plant_energy_balance(which, request):
    """First law over the plant: steam + fired heat delivered + electricity - cooling = the
    enthalpy the products carry out less the feeds' (1e-6 of the duties), in every case."""
    res = request.getfixturevalue(which)
    from carbonhub.core.boundary import boundary

    src, snk = boundary(res)
    dH = sum(s.enthalpy for _, s in snk) - sum(s.enthalpy for _, s in src)
    h = heat_supply(res)
    power = sum(np.asarray(r.power, dtype=float) for r in res.unit_results.values())
    net = h["steam_net_W"] + h["fired_delivered_W"] + power + h["refrigeration_W"] - h["cooling_W"]
    scale = np.abs(h["steam_net_W"]) + np.abs(h["fired_delivered_W"]) + np.abs(power) + np.abs(h["cooling_W"])
    assert (np.abs(net - dH) <= 1e-6 * scale).all(), (net, dH)


@pytest.mark.integration
def test_biomass_ft_fires_only_what_no_steam_level_reaches():
    """biomass_ft at its defaults: its syngas cooler and boiler raise 40-bar steam (saturated at
    523.50 K, IAPWS-IF97 table: 250.35 degC), which reaches 513.50 K with the 10 K approach, more
    than the FT feed preheat (to 493.15 K) takes; the product columns' reboilers (~529 K) lie
    above every level and are fired, each with a fired heater. The shift's feed is preheated by
    its effluent (the feed-effluent exchanger wgs_feh): no fired shift heater."""
    from carbonhub.costing.heat_supply import above_steam_reach_W

    res = ch.routes.load("biomass_ft").simulate()
    fired = above_steam_reach_W(res)
    assert set(fired) == {"naphtha_column", "jet_column"}
    T_pre = float(res.stream("ft_preheat_out").T[0])
    assert T_SAT_10BAR - 10.0 < T_pre <= 523.50 - 10.0
    hp = sum(float(res.unit_results[u].utilities["steam_raised_W"][0]) for u in ("cooler", "boiler")
             if u in res.unit_results)
    assert hp > float(res.unit_results["ft_preheat"].utilities["steam_heat_W"][0])
    for uid, q in fired.items():
        assert float(q[0]) == float(res.unit_results[uid].utilities["steam_heat_W"][0])
    res.kpis
    assert all(float(np.asarray(res.tea.unit_costs[f"{u}_fired_heater"].installed_eur)[0]) > 0 for u in fired)
