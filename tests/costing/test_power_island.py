"""The condensing turbine of the steam credit (carbonhub.costing.power_island): its electricity
follows the surplus steam of the energy balance (costing/energy.py, a separate path from the
costing's annual flows), its capital is the NETL steam-turbine account scaled by hand from the
YAML entry, and nothing is costed under the other credit rules."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.costing.correlations import reference_plant
from carbonhub.costing.flowsheet import STEAM_LATENT_J_PER_KG
from carbonhub.costing.indices import convert_money

RULES = np.array(["none", "condensing_turbine", "offtaker", "power_island"])


@pytest.fixture(scope="module")
def res():
    # with a Selexol AGR (a choice; the default amine's reboiler takes the surplus) biomass_ft sells steam
    r = ch.routes.load("biomass_ft").simulate(params={"prices.steam_credit_rule": RULES,
                                                      "agr.technology": "selexol"})
    assert (r.status == "ok").all(), r.status
    return r


@pytest.mark.integration
def test_turbine_power_is_the_surplus_steam_times_the_credit_factor(res):
    k = res.kpis
    steam_t_per_h = k["steam_export_MW"].to_numpy() * 1e6 / STEAM_LATENT_J_PER_KG * 3.6
    assert steam_t_per_h[1] > 1.0  # biomass_ft with a Selexol AGR sells steam
    per_t = res.param("prices.steam_to_power_MWh_per_t").astype(float)
    np.testing.assert_allclose(k["steam_turbine_MW"].to_numpy()[:3], [0.0, steam_t_per_h[1] * per_t[1], 0.0],
                               rtol=1e-9, atol=0.0)


@pytest.mark.integration
def test_power_island_expands_all_the_raised_steam_and_sells_its_power(res):
    """Under power_island the turbine takes ALL the steam the units raise (not only the surplus of
    the energy balance, costing/energy.py) and extracts the process steam: its output is the
    island of (raised, raised + net steam), each unit's steam admitted at the pressure its heat
    can raise (the syngas cooler and boiler at their declared 40 bar, the throttle; the FT
    reactor's heat at 493.15 K raises saturated steam at the saturation pressure of 483.15 K,
    10 K below, by CoolProp here: ~19 bar, admitted there), and it is sold as its own MSP line
    at the electricity price; no steam is sold."""
    from CoolProp.CoolProp import PropsSI

    from carbonhub.costing.finance import price_escalation
    from carbonhub.costing.power_island import island

    k = res.kpis
    q = {uid: np.nan_to_num(r.utilities["steam_raised_W"]) for uid, r in res.unit_results.items()
         if "steam_raised_W" in r.utilities and (np.nan_to_num(r.utilities["steam_raised_W"]) > 0).any()}
    assert set(q) == {"cooler", "ft", "boiler"} or set(q) == {"cooler", "ft"}, set(q)
    raised = sum(q.values())
    hot = raised - q["ft"]
    T_ft = float(res.param("ft.T")[3])
    p_ft = np.array([PropsSI("P", "T", T_ft - 10.0, "Q", 1, "Water")])
    assert 17e5 < p_ft[0] < 21e5  # below the throttle's 40 bar, above the MP level
    net = (k["steam_import_MW"] - k["steam_export_MW"]).to_numpy() * 1e6
    want = island(hot[3:], raised[3:] + net[3:], res.param("prices.steam_island_P")[3:],
                  res.param("prices.steam_island_T")[3:], [(p_ft, q["ft"][3:])]).electricity_W[0] / 1e6
    all_hot = island(raised[3:], raised[3:] + net[3:], res.param("prices.steam_island_P")[3:],
                     res.param("prices.steam_island_T")[3:]).electricity_W[0] / 1e6
    assert want < all_hot
    mw = k["steam_turbine_MW"].to_numpy()
    assert mw[3] == pytest.approx(want, rel=1e-9) and mw[3] > 1.5 * mw[1]  # all the steam, not the surplus
    tea = res.tea
    hours = float(res.param("economics.operating_hours")[3])
    price = float(res.param("prices.electricity_eur_per_MWh")[3]) * price_escalation(
        res, int(res.param("economics.cost_year")[3]))
    assert float(tea.variable_opex["power_island_electricity"][3]) == pytest.approx(-mw[3] * hours * price, rel=1e-9)
    assert float(np.asarray(tea.variable_opex.get("steam_export", np.zeros(4)))[3]) == 0.0


@pytest.mark.integration
def test_turbine_capital_is_the_netl_accounts_scaled_by_hand(res):
    _ = res.kpis  # evaluates the TEA (res.tea)
    tea = res.tea
    k = res.kpis
    mw = float(k["steam_turbine_MW"].iloc[1])
    # the condenser takes the steam's heat (latent heat of MP steam, the costing's count) less
    # the shaft work (electricity / generator efficiency 0.97; the generator's loss leaves
    # through its own coolers): 1 MMBtu/h = 1055.05585262e6 J / 3600 s
    q_mmbtu_h = (float(k["steam_export_MW"].iloc[1]) - mw / 0.97) * 1e6 * 3600.0 / 1055.05585262e6
    cy = int(res.param("economics.cost_year")[1])
    t1 = tea.unit_table(1)
    for row, name, size in (("steam_turbine", "steam_turbine_netl", mw * 1e3),
                            ("steam_turbine.1", "steam_turbine_auxiliaries_netl", mw * 1e3),
                            ("steam_turbine.2", "steam_condenser_netl", q_mmbtu_h)):
        e = reference_plant(name)
        usd = e["C_ref"] * (size / e["S_ref"]) ** e["exponent"]  # one train: far below the reference size
        want = float(convert_money(usd, e["currency"], e["year"], to_currency="EUR", to_year=cy, kind="capital"))
        assert float(t1.loc[row, "installed_eur"]) == pytest.approx(want, rel=1e-9), row
    for case in (0, 2):  # no steam expanded: nothing costed
        t = tea.unit_table(case)
        rows = [i for i in t.index if str(i).split(".")[0] == "steam_turbine"]
        assert all(float(t.loc[i, "installed_eur"]) == 0.0 for i in rows)
    tci = k["tci_eur"].to_numpy()
    assert tci[1] > tci[0] == pytest.approx(tci[2], rel=1e-12)


@pytest.mark.integration
def test_island_rest_of_the_steam_cycle_is_the_netl_accounts_scaled_by_hand(res):
    """Under power_island the island also holds NETL's feedwater systems (3.1 + 3.3, 3.5) and
    steam piping (8.4), sized on the steam it raises, and the turbine foundations (8.5), sized
    on its output, and NETL's generator equipment (11.1), on its output: each row is its YAML entry scaled by hand, the feedwater flow computed here
    with CoolProp (all the raised steam at the throttle state from saturated liquid at 10 bar).
    The condensing turbine of case 1 has none of them."""
    from CoolProp.CoolProp import PropsSI

    from carbonhub.costing.power_island import ISLAND_P_MP

    k = res.kpis
    raised = float(sum(np.nan_to_num(r.utilities.get("steam_raised_W", np.zeros(4)))[3]
                       for r in res.unit_results.values()))
    q_ft = float(np.nan_to_num(res.unit_results["ft"].utilities["steam_raised_W"])[3])
    P, T = float(res.param("prices.steam_island_P")[3]), float(res.param("prices.steam_island_T")[3])
    h_fw = PropsSI("H", "P", ISLAND_P_MP, "Q", 0.0, "Water")
    # the steam raised: the hot sources' at the throttle, the FT reactor's saturated 10 K below its T
    h_ft = PropsSI("H", "T", float(res.param("ft.T")[3]) - 10.0, "Q", 1.0, "Water")
    kg_s = (raised - q_ft) / (PropsSI("H", "P", P, "T", T, "Water") - h_fw) + q_ft / (h_ft - h_fw)
    lb_h = kg_s * 3600.0 / 0.45359237
    kw = float(k["steam_turbine_MW"].iloc[3]) * 1e3
    cy = int(res.param("economics.cost_year")[3])
    t3, t1 = res.tea.unit_table(3), res.tea.unit_table(1)
    for row, name, size in (("steam_turbine.3", "steam_feedwater_netl", lb_h),
                            ("steam_turbine.4", "steam_boiler_plant_systems_netl", lb_h),
                            ("steam_turbine.5", "steam_piping_netl", lb_h),
                            ("steam_turbine.6", "steam_turbine_foundations_netl", kw),
                            ("steam_turbine.7", "steam_generator_equipment_netl", kw)):
        e = reference_plant(name)
        usd = e["C_ref"] * (size / e["S_ref"]) ** e["exponent"]
        want = float(convert_money(usd, e["currency"], e["year"], to_currency="EUR", to_year=cy, kind="capital"))
        assert float(t3.loc[row, "installed_eur"]) == pytest.approx(want, rel=1e-6), row
        assert row not in t1.index or float(t1.loc[row, "installed_eur"]) == 0.0, row


@pytest.mark.integration
def test_island_is_evaluated_once_per_result_and_the_cache_changes_nothing(res, monkeypatch):
    """The island (IAPWS-95 per case) is asked for by the settlement of the annual flows, the
    turbine size, the condenser duty, the cost rows and the KPIs: it is evaluated once for all
    of them, and the cached island is the one evaluated anew, field by field."""
    import dataclasses

    from carbonhub.costing import power_island as pim
    from carbonhub.costing.flowsheet import annual_flows

    hours = res.param("economics.operating_hours").astype(float)
    flows = annual_flows(res, hours, island=False)
    fresh = pim.island_of(res, flows, cache=False)[1]
    pim._ISLANDS.pop(res, None)
    calls = []
    real = pim.island
    monkeypatch.setattr(pim, "island", lambda *a: calls.append(1) or real(*a))
    settled = annual_flows(res, hours)  # settles the island (rule power_island)
    mw, q = pim.steam_turbine_MW(res, flows), pim.condenser_duty_MW(res, flows)
    rows, kpis = pim.steam_turbine_cost_rows(res, flows), pim.power_island_kpis(res, flows)
    assert len(calls) == 1 and len(rows) >= 6
    cached = pim.island_of(res, annual_flows(res, hours, island=False))[1]
    assert len(calls) == 1
    for f in dataclasses.fields(fresh):
        np.testing.assert_array_equal(getattr(cached, f.name), getattr(fresh, f.name), err_msg=f.name)
    assert mw[3] == fresh.electricity_W[0] / 1e6 and q[3] == fresh.condenser_W[0] / 1e6
    assert kpis["steam_turbine_MW"][3] == mw[3]
    assert settled["power_island_electricity_MWh_per_y"][3] < 0.0
    with pytest.raises(ValueError):  # shared by every caller: read only
        cached.electricity_W[0] = 0.0


@pytest.mark.integration
def test_turbine_condenser_heat_is_bought_as_cooling_water_through_the_site_tower(res):
    """Under condensing_turbine (case 1) and power_island (case 3) the heat the turbine rejects
    is cooling water: its condenser's duty (the exhaust steam, what the condenser is sized on)
    plus its generator's 3 % loss (through the generator's coolers), the same rule for both:
    bought (the annual flow rises by that heat over the cooling water's J per m3, 4.18 MJ/(m3 K)
    x the 10 K rise) and taken by the site's cooling tower, whose circulation and evaporation
    (the KPI) per W of cooling are those of the case without a turbine (both linear in the
    duty). The condensing turbine by hand: condenser = the surplus steam's heat (latent heat of
    10-bar steam, the costing's count) less the shaft work (electricity / 0.97), generator loss
    = electricity x (1/0.97 - 1); and, independently, from IAPWS-95 (CoolProp): per kg the
    exhaust's enthalpy (10 bar saturated -> 0.1 bar at 75 % isentropic efficiency) above
    saturated liquid at 10 bar (the feedwater the steam raisers take), and 3 % of the
    expansion work, which the 0.140 MWh/t and 2015 kJ/kg of the costing reproduce to their
    rounding (1e-3). Cooling the exhaust to saturated liquid at the condenser pressure instead
    would reject 2,066 kJ/kg, more than the 2,015 kJ/kg the steam brought less the work: the
    condensate's reheat to 180 degC is heat the steam system gives back, not cooling water.
    The island's generator loss: its electricity / 0.97 less its electricity."""
    from CoolProp.CoolProp import PropsSI

    from carbonhub.costing.flowsheet import CW_J_PER_M3, annual_flows
    from carbonhub.costing.heat_supply import heat_supply
    from carbonhub.costing.power_island import (condenser_duty_MW, generator_loss_MW, island_of,
                                                turbine_condenser_W)
    from carbonhub.costing.water import cooling_water_circulation_t_per_h

    hours = res.param("economics.operating_hours").astype(float)
    pre = annual_flows(res, hours, island=False)
    q = condenser_duty_MW(res, pre) * 1e6
    loss = generator_loss_MW(res, pre) * 1e6
    steam_kg_s = -float(pre["steam_export_t_per_y"][1]) * 1e3 / (hours[1] * 3600.0)
    per_t = float(res.param("prices.steam_to_power_MWh_per_t")[1])
    elec_W = steam_kg_s * 3.6 * per_t * 1e6  # t/h x MWh/t = MW
    assert steam_kg_s > 0.3 and q[1] == pytest.approx(steam_kg_s * STEAM_LATENT_J_PER_KG - elec_W / 0.97, rel=1e-9)
    assert loss[1] == pytest.approx(elec_W * (1.0 / 0.97 - 1.0), rel=1e-12)
    h1 = PropsSI("H", "P", 10e5, "Q", 1.0, "Water")
    h3 = h1 - 0.75 * (h1 - PropsSI("H", "P", 1e4, "S", PropsSI("S", "P", 10e5, "Q", 1.0, "Water"), "Water"))
    assert q[1] == pytest.approx(steam_kg_s * (h3 - PropsSI("H", "P", 10e5, "Q", 0.0, "Water")), rel=1e-3)
    # the generator loss follows the 0.140 MWh/t as given (3 digits: +-0.0005 is 3.6e-3 of it)
    assert loss[1] == pytest.approx(steam_kg_s * 0.03 * (h1 - h3), rel=4e-3)
    elec3 = float(island_of(res, pre)[1].electricity_W[0])
    assert q[3] > 1e6 and loss[3] == pytest.approx(elec3 / 0.97 - elec3, rel=1e-9)
    assert q[0] == q[2] == loss[0] == loss[2] == 0.0  # no steam expanded in cases 0 and 2
    cw = q + loss
    np.testing.assert_allclose(turbine_condenser_W(res, pre), cw, rtol=1e-12)
    added = annual_flows(res, hours)["cooling_water_m3_per_y"] - pre["cooling_water_m3_per_y"]
    np.testing.assert_allclose(added, cw * hours * 3600.0 / (4.18e6 * 10.0), rtol=1e-9, atol=1e-6)
    assert CW_J_PER_M3 == 4.18e6 * 10.0
    units = np.asarray(heat_supply(res)["cooling_W"], dtype=float)
    circ = cooling_water_circulation_t_per_h(res, turbine_condenser_W(res, pre))
    evap = res.kpis["cooling_tower_evaporation_t_per_h"].to_numpy()
    for case in (1, 3):
        assert circ[case] / (units[case] + cw[case]) == pytest.approx(circ[0] / units[0], rel=1e-12)
        assert evap[case] / (units[case] + cw[case]) == pytest.approx(evap[0] / units[0], rel=1e-12)

@pytest.mark.integration
def test_island_closes_the_energy_of_the_steam_its_units_raise(res):
    """Per case: the heat every unit raises as steam (summed here from the units' own results)
    = the island's electricity + generator loss + process heat extracted + condenser duty."""
    from carbonhub.costing import power_island as pim
    from carbonhub.costing.flowsheet import annual_flows

    flows = annual_flows(res, res.param("economics.operating_hours").astype(float), island=False)
    pi, isl = pim.island_of(res, flows, cache=False)
    assert pi.tolist() == [False, False, False, True]
    raised = sum(np.nan_to_num(r.utilities.get("steam_raised_W", np.zeros(4))) for r in res.unit_results.values())
    out = isl.electricity_W + isl.generator_loss_W + isl.process_heat_W + isl.condenser_W
    np.testing.assert_allclose(out, raised[pi], rtol=1e-9)
    assert (isl.condenser_W > 0).all() and (isl.electricity_W > 0).all()
