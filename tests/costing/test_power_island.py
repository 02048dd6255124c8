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
    island of (raised, raised + net steam) and it is sold as its own MSP line at the
    electricity price; no steam is sold."""
    from carbonhub.costing.finance import price_escalation
    from carbonhub.costing.power_island import island

    k = res.kpis
    raised = sum(np.nan_to_num(r.utilities.get("steam_raised_W", np.zeros(4))) for r in res.unit_results.values())
    net = (k["steam_import_MW"] - k["steam_export_MW"]).to_numpy() * 1e6
    want = island(raised[3:], raised[3:] + net[3:], res.param("prices.steam_island_P")[3:],
                  res.param("prices.steam_island_T")[3:]).electricity_W[0] / 1e6
    mw = k["steam_turbine_MW"].to_numpy()
    assert mw[3] == pytest.approx(want, rel=1e-9) and mw[3] > 3.0 * mw[1]  # all the steam, not the surplus
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
    # the electricity: 1 MMBtu/h = 1055.05585262e6 J / 3600 s
    q_mmbtu_h = (float(k["steam_export_MW"].iloc[1]) - mw) * 1e6 * 3600.0 / 1055.05585262e6
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
