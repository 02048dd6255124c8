"""Utility choices (carbonhub.costing.heat_supply): utilities from the pinch targets and
electrified heat (electric boiler, heat pump), by hand on the plastics pyrolysis route with
heaters of low efficiency (0.25: its own gases and char then give less heat than its fired and
steam duties, so it buys heat; at its defaults their surplus raises all its steam), and the
annual flows the costing prices follow them."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.costing.flowsheet import CW_J_PER_M3, STEAM_LATENT_J_PER_KG, annual_flows
from carbonhub.costing.heat_supply import heat_pump_cop, heat_supply

CASES = {"heat.utility_basis": np.array(["units", "pinch", "units", "units", "pinch", "pinch"]),
         "heat.hot_utility": np.array(["fuel", "fuel", "electric_boiler", "heat_pump", "heat_pump", "fuel"]),
         # case 5: the route's own heaters (0.85, flowsheets/plastics_pyrolysis.yaml), which avoid CO2
         "heater.efficiency": np.array([0.25] * 5 + [0.85]),
         "cracker_furnace.efficiency": np.array([0.25] * 5 + [0.85])}


@pytest.fixture(scope="module")
def res():
    r = ch.routes.load("plastics_pyrolysis").simulate(params=CASES)
    assert (r.status == "ok").all(), r.status
    return r


@pytest.mark.unit
def test_heat_pump_cop_by_hand():
    # Carnot COP 453.03 / (453.03 - 353.15) = 4.5357, x 0.5
    assert float(heat_pump_cop(453.03, 353.15, 0.5)) == pytest.approx(0.5 * 453.03 / 99.88, rel=1e-12)
    assert float(heat_pump_cop(400.0, 399.0, 0.001)) == 1.0  # never below a resistance heater


@pytest.mark.integration
def test_electrified_heat_by_hand(res):
    h = heat_supply(res)
    k = res.kpis
    bought = float(h["hot_utility_bought_W"][0])
    steam = float(k["steam_import_MW"][0]) * 1e6  # case 0: the units' own utilities
    assert bought > 0 and float(h["steam_net_W"][0]) == pytest.approx(steam, rel=1e-12)
    # electric boiler: all heat bought from electricity at 99 %, nothing bought as steam or gas
    assert float(h["electricity_W"][2]) == pytest.approx(bought / 0.99, rel=1e-12)
    assert float(h["steam_net_W"][2]) <= 0 and float(h["fired_W"][2]) <= 0
    # heat pump at the defaults (80 -> 179.88 degC, 0.5 of Carnot): steam / COP, and the heat it
    # lifts comes off the cooling water
    cop = 0.5 * 453.03 / (453.03 - 353.15)
    assert float(h["electricity_W"][3]) == pytest.approx(steam / cop, rel=1e-9)
    assert float(h["cooling_W"][0] - h["cooling_W"][3]) == pytest.approx(
        min(steam * (1 - 1 / cop), float(h["cooling_W"][0])), rel=1e-9)
    # the costing buys what heat_supply says
    hours = res.param("economics.operating_hours").astype(float)
    f = annual_flows(res, hours)
    s = hours * 3600.0
    np.testing.assert_allclose(f["steam_import_t_per_y"], np.maximum(h["steam_net_W"], 0) / (STEAM_LATENT_J_PER_KG * 1e3) * s,
                               rtol=1e-12)
    np.testing.assert_allclose(f["cooling_water_m3_per_y"], h["cooling_W"] / CW_J_PER_M3 * s, rtol=1e-12)
    extra = (f["electricity_MWh_per_y"] + f["electricity_export_MWh_per_y"]) - (
        f["electricity_MWh_per_y"][0] + f["electricity_export_MWh_per_y"][0])
    np.testing.assert_allclose(extra, h["electricity_W"] * s / 3.6e9, rtol=1e-9, atol=1e-9)


@pytest.mark.integration
def test_pinch_basis_buys_the_targets(res):
    """On the pinch basis, heating and cooling both shrink by the heat recovered (first law):
    the net heat the plant exchanges with its utilities is unchanged, and less is bought."""
    h = heat_supply(res)
    k = res.kpis
    net = h["steam_net_W"] + h["fired_W"] - h["cooling_W"]
    assert float(net[1]) == pytest.approx(float(net[0]), rel=1e-9)
    recovered = float(k["heat_recovery_MW"][0]) * 1e6
    assert recovered > 0
    assert float(h["cooling_W"][0] - h["cooling_W"][1]) <= recovered * (1 + 1e-9)
    assert float(h["hot_utility_bought_W"][1]) < float(h["hot_utility_bought_W"][0])
    assert float(k["msp_eur_per_t"][1]) < float(k["msp_eur_per_t"][0])  # less utility bought
    # with heaters this poor the route avoids no CO2 (cases 0-4): its avoided cost is finite
    # exactly where it avoids some (case 5, the route's own heaters; at the defaults on every
    # route: tests/costing/test_co2_origins.py)
    pos = np.asarray(k["co2_avoided_t_per_y"], dtype=float) > 0
    assert pos.any()
    cost = np.asarray(k["co2_avoided_cost_eur_per_t"], dtype=float)
    assert np.isfinite(cost[pos]).all() and np.isnan(cost[~pos]).all()


@pytest.mark.integration
def test_electrified_heat_is_costed_on_the_heat_it_delivers(res):
    """The electric boiler (70 EUR2019/kW) and the heat pump (934.56 EUR2019/kW; DEA technology data via
    PyPSA technology-data) enter the unit table as unit heat_supply, sized in MW of heat, active
    only in their cases; the fuel cases carry no such cost."""
    from carbonhub.costing.flowsheet import unit_table
    from carbonhub.costing.heat_supply import heat_supply_cost_rows

    h = heat_supply(res)
    rows = {r["item"]: r for r in heat_supply_cost_rows(res)}
    eb, hp = rows["ref.electric_boiler_steam_dea"], rows["ref.industrial_heat_pump_high_temperature_dea"]
    np.testing.assert_array_equal(eb["active"], [0, 0, 1, 0, 0, 0])
    # active where chosen and delivering heat: a case that delivers none costs nothing (as it
    # does alone, where the row does not exist), not a floor at 1e-6 of the batch's largest
    delivers = np.asarray(h["hot_utility_bought_W"], dtype=float) > 0
    np.testing.assert_array_equal(hp["active"], np.array([0, 0, 0, 1, 1, 0], dtype=bool) & delivers)
    assert hp["active"][3] == 1
    assert float(eb["size"][2]) == pytest.approx(float(h["hot_utility_bought_W"][2]) / 1e6, rel=1e-12)
    assert float(hp["size"][3]) == pytest.approx(float(h["hot_utility_bought_W"][3]) / 1e6, rel=1e-12)
    table = {r["unit_id"]: r for r in unit_table(res)}
    assert table["heat_supply"]["area"] == "utilities"
    tea = res.tea  # the KPIs of the fixture evaluated it
    inst = np.asarray(tea.unit_costs["heat_supply"].installed_eur, dtype=float)
    assert inst[2] > 0 and inst[0] == 0 and inst[3] == 0


@pytest.mark.integration
def test_pinch_basis_keeps_the_fired_duties_of_plastics_pyrolysis():
    """plastics_pyrolysis at its defaults, units vs pinch basis. The pyrolysis reactor's and the
    cracker's fired duties are furnace heat at 500 and ~850 degC; the cracker's products leave
    quenched at 40 degC, so as a process stream its duty looked like 40 degC heat. Scaling the
    fired duties by the pinch ratio once sold them as fuel gas (MSP -243 EUR/t against 206 on
    the units basis). Checked here from the units' own utilities, not from heat_supply: the
    minimum hot utility holds every fired duty, and the pinch basis sells as fuel gas at most
    the heaters' heat beyond those duties (on the units basis less: part of it raises steam)."""
    r = ch.routes.load("plastics_pyrolysis").simulate(params={"heat.utility_basis": np.array(["units", "pinch"])})
    assert (r.status == "ok").all(), r.status
    fired = {uid: np.asarray(u.utilities["fired_heat_W"], dtype=float) for uid, u in r.unit_results.items()
             if "fired_heat_W" in u.utilities}
    duties = sum(np.maximum(f, 0.0) for f in fired.values())
    heaters = -sum(np.minimum(f, 0.0) for f in fired.values())  # heat the heaters burning own fuel give
    assert float(fired["pyrolysis"][0]) > 0 and float(fired["cracker"][0]) > 0
    k = r.kpis
    assert (np.asarray(k["hot_utility_min_MW"]) * 1e6 >= duties * (1 - 1e-12)).all()
    h = heat_supply(r)
    sold = -np.minimum(h["fired_W"], 0.0)
    assert float(sold[1]) <= float(heaters[1] - duties[1]) * (1 + 1e-12)
    assert float(sold[0]) < float(sold[1])
    # the heat recovered is the steam the units basis raised from the route's own fuel
    assert float(sold[1] - sold[0]) == pytest.approx(float(h["own_steam_W"][0] - h["own_steam_W"][1]), rel=1e-9)


@pytest.mark.unit
@pytest.mark.parametrize("item, meur_per_mw", [("electric_boiler_steam_dea", 0.07),
                                                ("industrial_heat_pump_high_temperature_dea", 0.93456)])
def test_electrified_heat_prices_are_the_dea_2030_figures_in_2019_eur(item, meur_per_mw):
    """DEA, Technology Data for Industrial Process Heat (workbook in PyPSA technology-data,
    inputs/technology_data_for_industrial_process_heat.xlsx), sheets "310.1 Electric boiler steam"
    and "302.b High temp. hp Up to 150", row "Nominal investment (M EUR per MW)", 2030 column;
    the workbook's index: "All cost data is in 2019 EUR" (not the 2025 EUR that technology-data's
    outputs inflate them to: 88.63 and 1,183.28 EUR/kW)."""
    from carbonhub.costing.correlations import reference_plant

    e = reference_plant(item)
    assert (e["currency"], int(e["year"]), e["exponent"]) == ("EUR", 2019, 1.0)
    assert e["C_ref"] / e["S_ref"] / 1e6 == pytest.approx(meur_per_mw, rel=1e-12)
