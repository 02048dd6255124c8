"""Carbon efficiency by origin, CO2 emitted/captured/avoided and its cost, checked by hand."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.costing.co2 import (carbon_kpis, co2_avoidance_cost, co2_avoided, co2_per_c,
                                   energy_efficiency_lhv, reference_product)

K = (12.011 + 2 * 15.999) / 12.011     # IUPAC 2013 conventional atomic weights


@pytest.mark.unit
def test_carbon_kpis_by_hand():
    feed = {"biogenic": np.array([80.0, 60.0]), "fossil": np.array([20.0, 40.0])}
    products = {"biogenic": np.array([30.0, 20.0]), "fossil": np.array([10.0, 10.0])}
    emitted = {"biogenic": np.array([30.0, 20.0]), "fossil": np.array([10.0, 30.0])}
    captured = {"biogenic": np.array([15.0, 20.0])}
    k = carbon_kpis(feed, products, emitted, captured)
    assert co2_per_c() == pytest.approx(K, rel=1e-6)
    np.testing.assert_allclose(k["carbon_efficiency"], [0.4, 0.3])
    np.testing.assert_allclose(k["carbon_efficiency_biogenic"], [30 / 80, 20 / 60])
    np.testing.assert_allclose(k["carbon_efficiency_fossil"], [0.5, 0.25])
    np.testing.assert_allclose(k["carbon_to_co2_fraction"], [55 / 100, 70 / 100])
    np.testing.assert_allclose(k["co2_emitted_fossil_t_per_y"], co2_per_c() * np.array([10, 30]))
    np.testing.assert_allclose(k["co2_emitted_fossil_like_t_per_y"],
                               co2_per_c() * np.array([10, 30]))
    np.testing.assert_allclose(k["co2_emitted_nonfossil_t_per_y"],
                               co2_per_c() * np.array([30, 20]))
    np.testing.assert_allclose(k["co2_captured_t_per_y"], co2_per_c() * np.array([15, 20]))
    np.testing.assert_allclose(k["carbon_not_co2_tC_per_y"], [5.0, 0.0])


@pytest.mark.unit
def test_recycled_counts_as_fossil_and_missing_origin_is_nan():
    k = carbon_kpis({"recycled": 10.0}, {"recycled": 5.0, "biogenic": 1.0},
                    {"recycled": 4.0})
    assert float(k["co2_emitted_fossil_like_t_per_y"]) == pytest.approx(4.0 * co2_per_c())
    assert float(k["co2_emitted_fossil_t_per_y"]) == 0.0   # the fossil origin alone
    assert float(k["co2_emitted_recycled_t_per_y"]) == pytest.approx(4.0 * co2_per_c())
    assert np.isnan(k["carbon_efficiency_biogenic"])


@pytest.mark.unit
def test_co2_avoided_and_cost_by_hand():
    ef = reference_product("diesel")["value"]
    assert ef == pytest.approx(0.094 * 43.0)           # RED II: 94 g/MJ x 43 MJ/kg
    q = np.array([1000.0, 1000.0])
    av = co2_avoided(q, "diesel", direct_fossil_co2_t_per_y=500.0, electricity_MWh_per_y=2000.0,
                     grid_ef_t_per_MWh=0.3, product_fossil_c_t_per_y=np.array([0.0, 100.0]),
                     stored_nonfossil_co2_t_per_y=200.0)
    route = 500.0 + 600.0 - 200.0 + co2_per_c() * np.array([0.0, 100.0])
    np.testing.assert_allclose(av["route_emissions_t_per_y"], route)
    np.testing.assert_allclose(av["co2_avoided_t_per_y"], 1000.0 * ef - route)
    cost = co2_avoidance_cost(np.array([1500.0, 1500.0]), 800.0, q, av["co2_avoided_t_per_y"])
    np.testing.assert_allclose(cost, 700.0 * 1000.0 / (1000.0 * ef - route))
    assert np.isnan(co2_avoidance_cost(1500.0, 800.0, 1.0, -3.0)).all()
    with pytest.raises(KeyError, match="unobtainium"):
        reference_product("unobtainium")


@pytest.mark.unit
def test_energy_efficiency_and_bad_origin():
    assert float(energy_efficiency_lhv(50.0, 90.0, 10.0)) == 0.5
    with pytest.raises(ValueError, match="plasma"):
        carbon_kpis({"plasma": 1.0}, {})
    with pytest.raises(ValueError, match=r"feed\['fossil'\].*-1\.0"):
        carbon_kpis({"fossil": -1.0}, {})
