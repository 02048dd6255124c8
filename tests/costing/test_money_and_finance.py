"""One money-conversion function; finance and steam-credit rules as route parameters; bad
input is one line naming the value and the allowed range."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.data import load_yaml
from carbonhub.core.unit import ParameterValueError
from carbonhub.costing.indices import CostYearError, convert_money


@pytest.mark.unit
def test_convert_money_capital_and_operating_by_hand():
    # capital: CEPCI 2007 525.4 -> 2023 797.9, then the 2023 ECB rate 1.0813 USD/EUR
    assert float(convert_money(1e6, "USD", 2007, to_currency="EUR", to_year=2023)) == pytest.approx(
        1e6 * 797.9 / 525.4 / 1.0813, rel=1e-12)
    # operating: HICP euro area 2015 = 100 -> 2023 123.15; a USD price goes through EUR at
    # its own year's rate (2007: 1.3705 USD/EUR) and back at the target year's (2023: 1.0813)
    assert float(convert_money(100.0, "EUR", 2015, to_year=2023, kind="operating")) == pytest.approx(123.15)
    assert float(convert_money(1.0, "USD", 2007, to_currency="USD", to_year=2023, kind="operating")) == \
        pytest.approx(1 / 1.3705 * 123.15 / 88.49 * 1.0813, rel=1e-12)
    # capital in EUR moves as the dollars it was worth: EUR 2017 -> EUR 2023
    assert float(convert_money(1.0, "EUR", 2017, to_year=2023)) == pytest.approx(1.1297 * 797.9 / 567.5 / 1.0813,
                                                                                 rel=1e-12)
    # and back: EUR 2023 -> USD 2007 undoes it exactly (capital and operating)
    for kind in ("capital", "operating"):
        x = convert_money(convert_money(3.0, "USD", 2007, to_year=2023, kind=kind), "EUR", 2023,
                          to_currency="USD", to_year=2007, kind=kind)
        assert float(x) == pytest.approx(3.0, rel=1e-12)


@pytest.mark.unit
@pytest.mark.parametrize("args, kw, message", [
    ((1.0, "USD", 1850), {}, r"no CEPCI for year 1850; available years: 1990-2023"),
    ((1.0, "GBP", 2010), {}, r"unknown currency 'GBP'; expected one of EUR, USD"),
    ((1.0, "EUR", 2010), {"to_year": 2030, "kind": "operating"}, r"no EUR price index for year 2030; available years: 1996-2024"),
    ((1.0, "USD", 1990), {"kind": "operating"}, r"no USD/EUR exchange rate for year 1990; available years: 1999-2025"),
    ((1.0, "EUR", 2010), {"kind": "fuel"}, r"unknown kind of money 'fuel'"),
])
def test_convert_money_bad_input_is_one_line(args, kw, message):
    with pytest.raises((CostYearError, ValueError), match=message) as ei:
        convert_money(*args, **kw)
    assert "\n" not in str(ei.value)


@pytest.fixture(scope="module")
def ft():
    return ch.routes.load("biomass_ft")


@pytest.mark.unit
@pytest.mark.parametrize("name, value, message", [
    ("economics.income_tax_rate", 0.9, r"economics.income_tax_rate = 0.9 : outside the allowed range \[0, 0.6\]"),
    ("economics.life_y", 2.0, r"economics.life_y = 2 y: outside the allowed range \[5, 60\] y"),
    ("economics.cost_year", 1980.0, r"economics.cost_year = 1980 : outside the allowed range \[1990, 2023\]"),
    ("economics.depreciation", "declining", r"economics.depreciation = 'declining': expected one of macrs, straight_line"),
    ("prices.steam_credit_rule", "sometimes", r"expected one of none, condensing_turbine, offtaker"),
])
def test_finance_parameter_out_of_range_is_one_line(ft, name, value, message):
    with pytest.raises(ParameterValueError, match=message) as ei:
        ft.set(name, value)
    assert "\n" not in str(ei.value)


@pytest.fixture(scope="module")
def bm():
    """co2_methanol_mto (a route with surplus steam at its defaults, 3.4 MW; biomass_methanol
    imports steam since its tar reformer, waste_methanol_mto since its methanol column's feed
    heat is priced, 0.1 MW) in four cases: defaults; steam by condensing turbine; by an
    off-taker; a paper's finance (39 % tax)."""
    fs = ch.routes.load("co2_methanol_mto")
    return fs.simulate(params={
        "prices.steam_credit_rule": np.array(["none", "condensing_turbine", "offtaker", "none"]),
        "economics.income_tax_rate": np.array([0.258, 0.258, 0.258, 0.39]),
    })


@pytest.mark.integration
def test_steam_credit_rules_and_msp_without_credit(bm):
    k, tea = bm.kpis, bm.tea
    msp = k["msp_eur_per_t"].to_numpy()
    surplus_t = -tea.variable_opex["steam_export"]  # EUR/y credited, >= 0
    flows = glue_flows(bm)
    assert (flows["steam_export_t_per_y"] <= 0).all()
    assert (flows["steam_export_t_per_y"] < 0).all()           # the route has surplus steam to credit
    assert surplus_t[0] == 0.0                         # rule none: no credit
    s = -flows["steam_export_t_per_y"]
    elec = load_yaml("prices.yaml")["items"]["electricity_eur_per_MWh"]["value"]  # the default price
    assert surplus_t[1] == pytest.approx(s[1] * 0.140 * elec, rel=1e-9)
    steam_mp = load_yaml("prices.yaml")["items"]["steam_mp_eur_per_t"]["value"]  # the off-taker's price
    assert surplus_t[2] == pytest.approx(s[2] * steam_mp, rel=1e-9)
    assert msp[1] < msp[0] and msp[2] < msp[0]
    # the breakdown shows the credit explicitly and adds up to the MSP
    br = tea.msp_breakdown()
    assert br["steam_export"][0] == 0.0 and br["steam_export"][2] < 0.0
    assert np.allclose(sum(v for v in br.values()), msp, rtol=1e-9)
    # without the credit: the plant as built. Rules none and offtaker build nothing for the
    # credit; condensing_turbine keeps its turbine (costing/power_island.py) and the cooling water
    # its condenser takes: its MSP without the credit is rule none's plant with that turbine's
    # rows and its condenser's cooling water (heat less electricity over 4.18 MJ/(m3 K) x 10 K)
    # added, evaluated on its own
    nc = k["msp_no_steam_credit_eur_per_t"].to_numpy()
    assert nc[[0, 2, 3]] == pytest.approx(np.r_[msp[0], msp[0], msp[3]], rel=1e-9)
    from carbonhub.costing import flowsheet as glue

    table = glue.unit_table(bm)
    turbine = [r for r in table if r["unit_id"].split(".")[0] == "steam_turbine"]
    assert len(turbine) == 3 and all(r["active"].tolist() == [0.0, 1.0, 0.0, 0.0] for r in turbine)
    # the site's cooling tower and utilities carry the condenser's heat too: case 1's sizes
    site = [r for r in table if r["unit_id"].split(".")[0] in ("cooling_tower", "site_utilities")]
    assert site and any(r["size"][1] > r["size"][0] for r in site)
    hours = bm.param("economics.operating_hours").astype(float)
    cw_m3_per_y = (s[1] * 2015e3 * 1e3 / (hours[1] * 3600.0) - s[1] / hours[1] * 0.140 * 1e6) \
        / (4.18e6 * 10.0) * hours[1] * 3600.0  # case 1's condenser: (steam heat, h_fg 2015 kJ/kg at 10 bar, - electricity) [W] -> m3/y

    def add_turbine(units, flows, products):  # case 1's turbine (generator, auxiliaries, condenser) in every case
        rows = [dict(r, active=np.ones(4), size=np.full(4, r["size"][1])) for r in turbine + site]
        flows = dict(flows, cooling_water_m3_per_y=flows["cooling_water_m3_per_y"] + cw_m3_per_y)
        swapped = {r["unit_id"] for r in rows}
        return [u for u in units if u["unit_id"] not in swapped] + rows, flows, products

    with_turbine = glue.evaluate(bm, adjust=add_turbine)
    assert nc[1] == pytest.approx(float(with_turbine.msp_eur_per_t[0]), rel=1e-9)
    assert nc[1] > msp[0]


def glue_flows(res):
    from carbonhub.costing import flowsheet as glue

    return glue.annual_flows(res, res.param("economics.operating_hours").astype(float))


@pytest.mark.integration
def test_tax_rate_is_a_route_parameter(bm):
    msp = bm.kpis["msp_eur_per_t"].to_numpy()
    assert msp[3] > msp[0]          # higher tax, higher MSP at the same after-tax IRR
    assert bm.tea.dcf.income_tax_rate[3] == 0.39


@pytest.mark.integration
def test_structural_finance_must_be_the_same_in_all_cases():
    fs = ch.routes.load("co2_methanol_mto")
    res = fs.simulate(params={"economics.life_y": np.array([20.0, 30.0])})
    with pytest.raises(ValueError, match=r"economics.life_y must be the same in all cases"):
        res.kpis
    fs2 = ch.routes.load("co2_methanol_mto")
    fs2.set("economics.construction_frac_y1", 0.5)
    with pytest.raises(ValueError, match=r"construction_frac_y1..y3 = 0.5, 0.6, 0.32: must sum to 1"):
        fs2.simulate().kpis
