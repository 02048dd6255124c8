"""evaluate_tea end to end: consistency with the building blocks, tables, trains, errors."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.costing import (CostRangeWarning, Economics, convert_cost, evaluate_tea,
                               tci_buildup, turton_cbm)
from carbonhub.costing.correlations import scaled_cost
from carbonhub.costing.dcf import cash_flows, irr

N = 4


def _units():
    return [
        {"unit_id": "E1", "item": "turton.heat_exchanger_fixed_tube",
         "size": np.linspace(50.0, 400.0, N), "size_unit": "m2", "material": "CS/SS",
         "pressure_barg": np.full(N, 30.0)},
        {"unit_id": "K1", "item": "turton.compressor_centrifugal",
         "size": np.linspace(800.0, 2500.0, N), "size_unit": "kW", "maturity": "foak"},
        {"unit_id": "ASU", "item": "ref.air_separation_unit_netl",
         "size": np.linspace(1000.0, 3000.0, N), "size_unit": "t/d", "osbl": True},
        {"unit_id": "X1", "item": "declared", "installed_cost": np.full(N, 5e6),
         "cost_currency": "EUR", "cost_year": 2020},
        {"unit_id": "C1", "item": "sslw.compressor", "size": np.full(N, 300.0),
         "size_unit": "kW", "install_factor": 2.15, "params": {"compressor_type": "Screw"}},
    ]


def _flows():
    return {"electricity_MWh_per_y": np.linspace(5e3, 2e4, N),
            "feedstock_wood_chips_t_per_y": np.full(N, 1e5),
            "cooling_water_m3_per_y": np.full(N, 1e6)}


def _products():
    return {"methanol": np.linspace(2e4, 6e4, N), "lpg": np.full(N, 1e3)}


@pytest.mark.component
def test_consistent_with_building_blocks():
    r = evaluate_tea(_units(), _flows(), _products(), main_product="methanol")
    cy = 2023
    e1 = convert_cost(turton_cbm("heat_exchanger_fixed_tube", np.linspace(50.0, 400.0, N),
                                 material="CS/SS", pressure=30.0), "USD", "turton_2001",
                      to_year=cy)
    k1 = convert_cost(turton_cbm("compressor_centrifugal", np.linspace(800.0, 2500.0, N)),
                      "USD", "turton_2001", to_year=cy)
    t_per_d_to_ton_per_d = 1.0 / 0.90718474
    asu = convert_cost(scaled_cost("air_separation_unit_netl",
                                   np.linspace(1000.0, 3000.0, N) * t_per_d_to_ton_per_d),
                       "USD", 2018, to_year=cy)
    x1 = convert_cost(np.full(N, 5e6), "EUR", 2020, to_year=cy)
    np.testing.assert_allclose(r.unit_costs["E1"].installed_eur, e1, rtol=1e-12)
    np.testing.assert_allclose(r.unit_costs["K1"].installed_eur, k1, rtol=1e-12)
    np.testing.assert_allclose(r.unit_costs["ASU"].installed_eur, asu, rtol=1e-9)
    np.testing.assert_allclose(r.unit_costs["X1"].installed_eur, x1, rtol=1e-12)
    cap = tci_buildup({u: c.installed_eur for u, c in r.unit_costs.items()},
                      maturity={"K1": "foak"}, osbl={"ASU": True})
    np.testing.assert_allclose(r.tci_eur, cap.tci, rtol=1e-12)
    np.testing.assert_allclose(r.capex_eur, cap.fci, rtol=1e-12)
    np.testing.assert_allclose(r.opex_eur_per_y, r.fixed_opex_eur_per_y
                               + r.variable_opex_eur_per_y)
    np.testing.assert_allclose(r.byproduct_revenue_eur_per_y, 1e3 * 550.0)   # prices.yaml LPG
    np.testing.assert_allclose(r.npv_at(r.msp_eur_per_t) / r.capex_eur, 0.0, atol=1e-12)
    years, flows = cash_flows(r.msp_eur_per_t, r.cash_flow_inputs, r.dcf)
    np.testing.assert_allclose(irr(years, flows), r.dcf.irr, rtol=1e-9)
    np.testing.assert_allclose(r.npv_eur, r.npv_at(400.0))     # prices.yaml methanol
    # Turton operators: E1, K1, ASU (block) and C1 are fluid steps; X1 declared is not
    assert r.fixed_opex["labour"][0] == pytest.approx((6.29 + 0.23 * 4) ** 0.5 * 4.5 * 53940.0)


@pytest.mark.component
def test_tables_and_kpis():
    r = evaluate_tea(_units(), _flows(), _products(), main_product="methanol")
    ut = r.unit_table(case=2)
    assert list(ut.index) == ["E1", "K1", "ASU", "X1", "C1"]
    assert ut["share_of_installed"].sum() == pytest.approx(1.0)
    assert ut.loc["K1", "installed_eur"] == pytest.approx(r.unit_costs["K1"].installed_eur[2])
    ct = r.category_table(case=2)
    assert ct.loc[("capital", "tci"), "value"] == pytest.approx(r.tci_eur[2])
    assert ct.loc[("variable_opex", "total"), "value"] == pytest.approx(
        r.variable_opex_eur_per_y[2])
    k = r.kpis()
    assert len(k) == N
    for col in ("tci_eur", "capex_eur", "opex_eur_per_y", "msp_eur_per_t", "npv_eur",
                "n_trains.K1"):
        assert col in k.columns


@pytest.mark.component
def test_out_of_range_sizes_warn_and_are_stated_as_trains():
    units = _units()
    units[1]["size"] = np.array([1000.0, 2000.0, 6500.0, 9500.0])
    with pytest.warns(CostRangeWarning, match="parallel trains"):
        r = evaluate_tea(units, _flows(), _products(), main_product="methanol")
    assert r.n_trains["K1"].tolist() == [1, 1, 3, 4]
    assert r.kpis()["n_trains.K1"].tolist() == [1, 1, 3, 4]
    assert r.unit_table(case=3).loc["K1", "n_trains"] == 4


@pytest.mark.component
def test_co2_kpis_and_lang_and_economics_overrides():
    carbon = {"feed": {"biogenic": np.full(N, 5e4)},
              "products": {"biogenic": np.full(N, 2e4)},
              "emitted": {"biogenic": np.full(N, 2e4), "fossil": np.full(N, 1e3)},
              "captured": {"biogenic": np.full(N, 5e3)}}
    econ = Economics(reference_product="methanol_fuel", capital_method="lang").with_dcf(
        irr=0.08, life_y=25)
    r = evaluate_tea(_units(), _flows(), _products(), main_product="methanol", economics=econ,
                     carbon=carbon)
    assert r.dcf.irr == 0.08 and r.dcf.life_y == 25
    assert r.capital.method == "lang"
    purchased = sum(c.purchased_eur for c in r.unit_costs.values())
    np.testing.assert_allclose(r.capex_eur, 4.74 * purchased)
    np.testing.assert_allclose(r.co2["carbon_efficiency"], 0.4)
    assert np.all(np.isfinite(r.co2["co2_avoided_cost_eur_per_t"]))


@pytest.mark.unit
@pytest.mark.parametrize("mutate,match", [
    (lambda u: u[0].update(item="turton.flux_capacitor"), "flux_capacitor"),
    (lambda u: u[0].update(item="magic.thing"), "unknown item kind"),
    (lambda u: u[4].pop("install_factor"), "install_factor"),
    (lambda u: u[0].update(size_unit="kg"), r"size_unit 'kg'"),
    (lambda u: u[0].update(size=np.array([1.0, -2.0, 3.0, 4.0])), r"heat_exchanger.*-2\.0 m2"),
    (lambda u: u.append(dict(u[0])), "duplicate unit_id 'E1'"),
    (lambda u: u[2].update(item="ref.no_such_block"), "no_such_block"),
])
def test_bad_units_raise(mutate, match):
    units = _units()
    mutate(units)
    with pytest.raises((ValueError, KeyError), match=match):
        evaluate_tea(units, _flows(), _products(), main_product="methanol")


@pytest.mark.unit
def test_bad_products_and_economics():
    with pytest.raises(ValueError, match="'diesel' not in products"):
        evaluate_tea(_units(), _flows(), _products(), main_product="diesel")
    with pytest.raises(ValueError, match="by-product 'unobtainium'"):
        evaluate_tea(_units(), _flows(), {"methanol": 1e4, "unobtainium": 5.0},
                     main_product="methanol")
    with pytest.raises(ValueError, match="GBP"):
        Economics(currency="GBP")
    with pytest.raises(ValueError, match="2030"):
        evaluate_tea(_units(), _flows(), _products(), main_product="methanol",
                     economics=Economics(cost_year=2030))


@pytest.mark.component
def test_msp_breakdown_adds_up_and_cost_tables():
    r = evaluate_tea(_units(), _flows(), _products(), main_product="methanol")
    parts = r.msp_breakdown()
    np.testing.assert_allclose(sum(parts.values()), r.msp_eur_per_t, rtol=1e-12)
    assert {"capital", "electricity", "feedstock_wood_chips", "labour", "maintenance",
            "byproduct_credit"} <= set(parts)
    assert "variable_other" not in parts and "fixed_other" not in parts
    np.testing.assert_allclose(parts["byproduct_credit"], -1e3 * 550.0 / _products()["methanol"])
    t = r.cost_tables(case=1)
    assert set(t) == {"by_unit", "by_category", "opex", "msp"}
    assert t["msp"]["value"].sum() == pytest.approx(r.msp_eur_per_t[1])
    assert t["by_unit"].loc["K1", "value"] == pytest.approx(r.unit_costs["K1"].installed_eur[1])
    wide = r.cost_tables()
    assert list(wide["by_category"].columns) == list(range(N))
    assert wide["by_category"].loc["tci", 3] == pytest.approx(r.tci_eur[3])
