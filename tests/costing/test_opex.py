"""Fixed and variable OPEX: hand checks, price lookup, errors."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.costing.opex import (catalyst_replacement_kg_per_y, fixed_opex,
                                    operators_per_shift_turton, price_of, variable_opex)


@pytest.mark.unit
def test_fixed_opex_by_hand():
    f = fixed_opex(fci=np.array([100e6, 200e6]), isbl_installed=np.array([50e6, 80e6]),
                   operators_per_shift=4.0, salary_eur_per_y=60000.0)
    labour = 4.0 * 4.5 * 60000.0                   # Turton: 4.5 operators per position
    np.testing.assert_allclose(f["labour"], labour)
    np.testing.assert_allclose(f["labour_burden"], 0.9 * labour)     # Humbird et al. 2011
    np.testing.assert_allclose(f["maintenance"], [0.03 * 50e6, 0.03 * 80e6])
    np.testing.assert_allclose(f["insurance_tax"], [0.007 * 100e6, 0.007 * 200e6])
    np.testing.assert_allclose(f["total"], 1.9 * labour + np.array([1.5e6 + 0.7e6,
                                                                    2.4e6 + 1.4e6]))


@pytest.mark.unit
def test_turton_operators_eq_8_3():
    assert float(operators_per_shift_turton(0, 0)) == pytest.approx(6.29**0.5)
    assert float(operators_per_shift_turton(2, 20)) == pytest.approx((6.29 + 126.8 + 4.6)**0.5)
    with pytest.raises(ValueError, match="-1"):
        operators_per_shift_turton(-1, 3)


@pytest.mark.unit
def test_variable_opex_prices_from_yaml_and_overrides():
    flows = {"electricity_MWh_per_y": np.array([100.0, 200.0]),
             "steam_lp_t_per_y": 10.0,
             "wastewater_m3_per_y": 1000.0,                       # alias -> wastewater_treatment
             "co2_fossil_emitted_t_per_y": 50.0,                  # alias -> EU ETS price
             "co2_biogenic_emitted_t_per_y": 500.0,               # no cost
             "feedstock_wood_chips_t_per_y": 1000.0,              # prices.yaml feedstock table
             "feedstock_wood_chips_price_eur_per_t": np.array([70.0, 110.0])}
    v = variable_opex(flows)
    np.testing.assert_allclose(v["electricity"], [100.0 * 212.9, 200.0 * 212.9])   # 212.9 EUR/MWh (prices.yaml)
    assert float(v["steam_lp"]) == pytest.approx(10.0 * 65.28)                      # prices.yaml
    assert float(v["wastewater"]) == pytest.approx(1000.0 * 1.5)
    assert float(v["co2_fossil_emitted"]) == pytest.approx(50.0 * 73.27)
    assert float(v["co2_biogenic_emitted"]) == 0.0
    np.testing.assert_allclose(v["feedstock_wood_chips"], [70e3, 110e3])
    total = v["electricity"] + 652.8 + 1500.0 + 50.0 * 73.27 + np.array([70e3, 110e3])
    np.testing.assert_allclose(v["total"], total)
    # caller prices override prices.yaml; the table value is used otherwise
    v2 = variable_opex({"electricity_MWh_per_y": 10.0}, {"electricity_eur_per_MWh": 80.0})
    assert float(v2["total"]) == 800.0
    assert price_of("feedstock_rdf", "t") == -40.0
    # USD prices are converted at the price year's rate (NETL natural gas, 2018)
    assert price_of("natural_gas_netl", "MMBtu") == pytest.approx(4.42 / 1.1810)


@pytest.mark.unit
def test_negative_quantity_is_a_sale():
    v = variable_opex({"electricity_MWh_per_y": -10.0, "electricity_price_eur_per_MWh": 50.0})
    assert float(v["total"]) == -500.0


@pytest.mark.unit
def test_catalyst_replacement():
    assert float(catalyst_replacement_kg_per_y(1000.0, 4.0)) == 250.0
    with pytest.raises(ValueError, match="0"):
        catalyst_replacement_kg_per_y(1000.0, 0.0)


@pytest.mark.unit
def test_bad_flows_raise_naming_the_key():
    with pytest.raises(ValueError, match="unobtainium_t_per_y"):
        variable_opex({"unobtainium_t_per_y": 1.0})
    with pytest.raises(ValueError, match="electricity_kWh_per_y"):
        variable_opex({"electricity_kWh_per_y": 1.0})
    with pytest.raises(ValueError, match="steam_lp_price_eur_per_t"):
        variable_opex({"steam_lp_price_eur_per_t": 1.0})
    with pytest.raises(ValueError, match="non-finite"):
        variable_opex({"electricity_MWh_per_y": np.array([1.0, np.nan])})
