"""Turton (CAPCOST) correlations and reference-plant scaling: worked examples, factors, ranges."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.costing.correlations import (CostRangeWarning, parallel_trains, scaled_cost,
                                            turton_cbm, turton_cp0, turton_material_factor,
                                            turton_pressure_factor)

# Worked examples at CEPCI 397, carbon steel, ambient pressure, computed from the K1-K3
# coefficients of Turton, Bailie, Whiting, Shaeiwitz, Analysis, Synthesis and Design of
# Chemical Processes, 4th ed. (2012), Appendix A, Table A.1.
# Tolerance 0.5 %: the K values are rounded in the tables.
WORKED = [
    ("heat_exchanger_fixed_tube", 100.0, 23567.0),
    ("heat_exchanger_floating_head", 100.0, 25328.0),
    ("vessel_vertical", 10.0, 11306.0),
    ("compressor_centrifugal", 1000.0, 279640.0),
    ("pump_centrifugal", 10.0, 3950.0),
]


@pytest.mark.unit
@pytest.mark.parametrize("item,size,expected", WORKED)
def test_turton_worked_examples(item, size, expected):
    assert float(turton_cp0(item, size)) == pytest.approx(expected, rel=5e-3)


@pytest.mark.unit
def test_turton_cp0_by_hand_and_vectorised():
    a = np.array([10.0, 100.0, 1000.0])
    k1, k2, k3 = 4.3247, -0.3030, 0.1634
    hand = 10 ** (k1 + k2 * np.log10(a) + k3 * np.log10(a) ** 2)
    np.testing.assert_allclose(turton_cp0("heat_exchanger_fixed_tube", a), hand, rtol=1e-14)


@pytest.mark.unit
def test_bare_module_by_hand():
    cp0 = float(turton_cp0("heat_exchanger_fixed_tube", 100.0))
    # 50 barg, both sides: log10 FP = 0.03881 - 0.11272 log10 50 + 0.08183 (log10 50)^2
    lp = np.log10(50.0)
    fp = 10 ** (0.03881 - 0.11272 * lp + 0.08183 * lp**2)
    assert float(turton_pressure_factor("heat_exchanger_fixed_tube", 50.0)) == pytest.approx(fp)
    assert float(turton_pressure_factor("heat_exchanger_fixed_tube", 3.0)) == 1.0
    cbm = turton_cbm("heat_exchanger_fixed_tube", 100.0, material="SS/SS", pressure=50.0)
    assert float(cbm) == pytest.approx(cp0 * (1.63 + 1.66 * 2.73 * fp), rel=1e-12)
    # FBM form: compressor, stainless steel 5.8
    c = turton_cbm("compressor_centrifugal", 1000.0, material="SS")
    assert float(c) == pytest.approx(float(turton_cp0("compressor_centrifugal", 1000.0)) * 5.8)
    assert turton_material_factor("pump_centrifugal", None) == 1.0


@pytest.mark.unit
def test_vessel_pressure_factor_eq_a2():
    p, d = 20.0, 2.0
    fp = ((p + 1) * d / (2 * (850 - 0.6 * (p + 1))) + 0.00315) / 0.0063
    got = turton_pressure_factor("vessel_vertical", p, diameter_m=d)
    assert float(got) == pytest.approx(fp, rel=1e-14)
    assert float(turton_pressure_factor("vessel_vertical", 0.5, diameter_m=1.0)) == 1.0
    assert float(turton_pressure_factor("vessel_vertical", -0.8, diameter_m=1.0)) == 1.25
    with pytest.raises(ValueError, match="diameter_m"):
        turton_pressure_factor("vessel_vertical", 10.0)


@pytest.mark.unit
def test_trays_quantity_factor():
    one = float(turton_cp0("tray_sieve", 2.0))
    n = 10
    fq = 10 ** (0.4771 + 0.08516 * np.log10(n) - 0.3473 * np.log10(n) ** 2)
    got = turton_cbm("tray_sieve", 2.0, material="CS", n_trays=n)
    assert float(got) == pytest.approx(one * 1.05 * n * fq, rel=1e-12)
    with pytest.raises(ValueError, match="n_trays"):
        turton_cbm("tray_sieve", 2.0)


@pytest.mark.unit
def test_out_of_range_warns_and_uses_parallel_trains():
    sizes = np.array([1000.0, 3000.0, 3001.0, 7000.0])
    with pytest.warns(CostRangeWarning, match=r"compressor_centrifugal.*2 of 4.*3 parallel"):
        cost, n = turton_cp0("compressor_centrifugal", sizes, return_trains=True)
    assert n.tolist() == [1, 1, 2, 3]
    one = turton_cp0("compressor_centrifugal", np.array([1000.0, 3000.0, 1500.5, 7000.0 / 3]))
    np.testing.assert_allclose(cost, n * one, rtol=1e-14)


@pytest.mark.unit
def test_below_range_warns_and_costs_at_minimum_under_rule_range_minimum():
    with pytest.warns(CostRangeWarning, match=r"below the correlation minimum 10 m2.*at the minimum size"):
        c = turton_cp0("heat_exchanger_fixed_tube", np.array([2.0, 50.0]),
                       small_size_rule="range_minimum")
    assert c[0] == pytest.approx(float(turton_cp0("heat_exchanger_fixed_tube", 10.0)))


@pytest.mark.unit
def test_pressure_above_range_warns():
    with pytest.warns(CostRangeWarning, match="pressure-factor range"):
        turton_pressure_factor("pump_centrifugal", np.array([20.0, 150.0]))


@pytest.mark.unit
@pytest.mark.parametrize("bad", [0.0, -3.0, np.nan])
def test_nonpositive_size_raises_naming_item_value_unit(bad):
    with pytest.raises(ValueError, match=r"pump_centrifugal.*kW"):
        turton_cp0("pump_centrifugal", np.array([5.0, bad]))


@pytest.mark.unit
def test_unknown_item_and_material():
    with pytest.raises(KeyError, match="flux_capacitor"):
        turton_cp0("flux_capacitor", 1.0)
    with pytest.raises(ValueError, match="unobtainium"):
        turton_cbm("pump_centrifugal", 10.0, material="unobtainium")


@pytest.mark.unit
def test_scaled_cost_by_hand_and_trains():
    e = {"S_ref": 100.0, "C_ref": 2.0e6, "exponent": 0.6, "unit": "t/h", "currency": "USD",
         "year": 2018, "install_factor": 1.5, "S_max_per_train": 150.0}
    with pytest.warns(CostRangeWarning, match="parallel trains"):
        c, n = scaled_cost(e, np.array([50.0, 100.0, 400.0]), return_trains=True, name="x")
    assert n.tolist() == [1, 1, 3]
    hand = np.array([2e6 * 0.5**0.6, 2e6, 3 * 2e6 * (400 / 3 / 100) ** 0.6]) * 1.5
    np.testing.assert_allclose(c, hand, rtol=1e-14)
    assert float(scaled_cost(e, 100.0, installed=False)) == pytest.approx(2e6)


@pytest.mark.unit
def test_reference_plant_from_yaml_and_missing_entries():
    c = scaled_cost("air_separation_unit_netl", 4358.1028)
    assert float(c) == pytest.approx(75830647.28, rel=1e-12)   # at S_ref: C_ref (BEC, 2018 USD)
    missing = {"unit": "t/d", "S_ref": None, "C_ref": None, "exponent": None, "status": "missing",
               "candidate_sources": "Swanson et al. (2010)"}
    with pytest.raises(ValueError, match=r"ref\.gasifier.*status: missing.*Swanson"):
        scaled_cost(missing, 100.0, name="gasifier")
    with pytest.raises(KeyError, match="no_such_block"):
        scaled_cost("no_such_block", 100.0)


@pytest.mark.unit
def test_parallel_trains_helper():
    n, s = parallel_trains(np.array([1.0, 10.0]), 5.0, None, item="x", unit="u", warn=False)
    assert n.tolist() == [1, 2] and s.tolist() == [1.0, 5.0]
