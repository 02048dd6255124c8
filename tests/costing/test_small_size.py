"""Sizes below a cost correlation's range: the small-size rule (costing/correlations.py).

Default ``capacity_exponent``: ``C(S) = C(S_min) (S/S_min)^n`` (Turton et al. 2012 Eq. 7.1) with
n the item's equipment-type exponent read in a cited table (cost_correlations.yaml
``small_size_exponent``: centrifugal and reciprocating compressors 0.80, Seider et al. 2009 as
transcribed in IDAES SSLW.py; shell-and-tube exchangers 0.71 and the centrifugal pump with motor
0.39, Boehm 1987 App. D), else the six-tenths rule (Williams 1947, Chem. Eng. 54(12):124); a
reference-plant entry's own exponent. References below are computed by hand from Turton's
published coefficients (Table A.1) and the exponents typed from their sources, never from the
code under test.
"""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.costing.correlations import (CostRangeWarning, scaled_cost, sized_trains,
                                            turton_cbm, turton_cp0)
from carbonhub.costing.unit_costs import cost_unit

# Turton et al. (2012) Table A.1, centrifugal compressor (fluid power, kW, 450-3000 kW), CEPCI 397
K_COMP = (2.2897, 1.3604, -0.1027)
# capacity exponent of a centrifugal compressor, Seider et al. (2009) Ch. 22: C_B = exp(7.5800 +
# 0.80 ln P_C), P_C in hp (IDAES SSLW.py cost_compressor; process_costing_sslw.rst Table 10)
N_COMP = 0.80
# Boehm (1987) Appendix D: shell-and-tube heat exchanger (floating head, 2-2000 m2) m = 0.71;
# centrifugal pump with motor (1-23 kW) m = 0.39
N_HX, N_PUMP = 0.71, 0.39


def _turton(k, a):
    la = np.log10(a)
    return 10 ** (k[0] + k[1] * la + k[2] * la * la)


@pytest.mark.unit
def test_compressor_below_range_by_hand_with_its_type_exponent():
    # 0.8447 kW: plastics_pyrolysis's treat-gas recycle compressor at the defaults
    sizes = np.array([0.8447, 100.0, 449.0])
    hand = _turton(K_COMP, 450.0) * (sizes / 450.0) ** N_COMP
    with pytest.warns(CostRangeWarning, match=r"3 of 3 cases below.*450 kW.*capacity exponent 0\.8"):
        c = turton_cp0("compressor_centrifugal", sizes)
    np.testing.assert_allclose(c, hand, rtol=1e-12)
    # at 100 kW: 45,040 USD (CEPCI 397; 60,847 with the six-tenths rule) against 150,027 at 450 kW
    assert float(c[1]) == pytest.approx(45040.16, rel=1e-6)
    # the type exponent continues Turton's own curve: its local slope at 450 kW is 0.815
    slope = K_COMP[1] + 2.0 * K_COMP[2] * np.log10(450.0)
    assert slope == pytest.approx(N_COMP, abs=0.02)
    with pytest.warns(CostRangeWarning):
        floor = turton_cp0("compressor_centrifugal", sizes, small_size_rule="range_minimum")
    np.testing.assert_allclose(floor, _turton(K_COMP, 450.0), rtol=1e-12)


@pytest.mark.unit
@pytest.mark.parametrize("rule", ["capacity_exponent", "range_minimum"])
def test_continuous_at_the_range_minimum(rule):
    eps = 1e-9
    with pytest.warns(CostRangeWarning):
        below = turton_cbm("compressor_centrifugal", 450.0 * (1 - eps), material="SS",
                           small_size_rule=rule)
    at = turton_cbm("compressor_centrifugal", 450.0, material="SS")
    assert float(below) == pytest.approx(float(at), rel=1e-8)
    e = {"S_ref": 100.0, "C_ref": 1e6, "exponent": 0.7, "unit": "t/h", "currency": "USD",
         "year": 2018, "install_factor": 2.0, "S_min": 20.0}
    with pytest.warns(CostRangeWarning):
        b = scaled_cost(e, 20.0 * (1 - eps), small_size_rule=rule)
    assert float(b) == pytest.approx(float(scaled_cost(e, 20.0)), rel=1e-8)


@pytest.mark.unit
def test_reference_entry_continues_its_own_power_law():
    e = {"S_ref": 100.0, "C_ref": 1e6, "exponent": 0.7, "unit": "t/h", "currency": "USD",
         "year": 2018, "install_factor": 2.0, "S_min": 20.0}
    with pytest.warns(CostRangeWarning, match=r"ref\.x.*capacity exponent 0\.7"):
        c = scaled_cost(e, np.array([5.0, 50.0]), name="x")
    np.testing.assert_allclose(c, 2e6 * (np.array([5.0, 50.0]) / 100.0) ** 0.7, rtol=1e-12)
    with pytest.warns(CostRangeWarning, match="at the minimum size"):
        f = scaled_cost(e, 5.0, name="x", small_size_rule="range_minimum")
    assert float(f) == pytest.approx(2e6 * 0.2**0.7, rel=1e-12)


@pytest.mark.unit
def test_batch_with_rule_per_case_equals_single_cases():
    sizes = np.array([0.8447, 60.0, 900.0, 7000.0, 60.0])
    rules = np.array(["capacity_exponent", "range_minimum", "capacity_exponent",
                      "range_minimum", "capacity_exponent"])
    with pytest.warns(CostRangeWarning) as rec:
        batch = turton_cbm("compressor_centrifugal", sizes, material="CS", small_size_rule=rules)
    assert any("3 of 5 cases below" in str(w.message) and "capacity exponent 0.8" in str(w.message)
               and "or at the minimum size" in str(w.message) for w in rec)
    with pytest.warns(CostRangeWarning):
        one = [float(turton_cbm("compressor_centrifugal", s, material="CS", small_size_rule=r))
               for s, r in zip(sizes, rules)]
    np.testing.assert_allclose(batch, one, rtol=1e-14)
    assert batch[1] > batch[4]   # the same size: the range minimum prices it higher


@pytest.mark.unit
def test_cost_unit_passes_the_rule_and_rejects_an_unknown_one():
    unit = {"unit_id": "k1", "item": "turton.compressor_centrifugal", "size": np.array([45.0]),
            "material": "CS"}
    with pytest.warns(CostRangeWarning):
        a = cost_unit(unit).installed_eur
        b = cost_unit(dict(unit, small_size_rule="range_minimum")).installed_eur
    assert float(a[0] / b[0]) == pytest.approx(0.1**N_COMP, rel=1e-12)
    with pytest.raises(ValueError, match=r"turton\.compressor_centrifugal: small_size_rule 'tiny'; "
                                         r"expected one of capacity_exponent, range_minimum"):
        cost_unit(dict(unit, small_size_rule="tiny"))


@pytest.mark.unit
def test_range_note_names_the_unit_and_is_silent_inside_another_block():
    import warnings

    unit = {"unit_id": "recycle_compressor", "item": "turton.compressor_centrifugal",
            "size": np.array([45.0, 45.0]), "material": "CS", "active": np.array([1.0, 0.0])}
    with pytest.warns(CostRangeWarning, match=r"^unit 'recycle_compressor': turton\.compressor_"
                                              r"centrifugal: 2 of 2 cases below"):
        cost_unit(unit)
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # inside the loop's block in every case: no note
        c = cost_unit(dict(unit, active=np.zeros(2)))
    assert c.installed_eur.tolist() == [0.0, 0.0]


@pytest.mark.unit
def test_sized_trains_inside_range_is_untouched():
    n, s, k = sized_trains(np.array([500.0, 2999.0]), 3000.0, 450.0, item="x", unit="kW")
    assert n.tolist() == [1, 1] and s.tolist() == [500.0, 2999.0] and k.tolist() == [1.0, 1.0]


@pytest.mark.unit
def test_plastics_treat_gas_compressor_priced_by_the_rule_per_case():
    # the route's defaults put the hydrotreater's recycle compressor at ~0.84 kW, far below
    # Turton's 450 kW; the two rules side by side in one batch
    import carbonhub as ch
    from carbonhub.costing.flowsheet import unit_table

    res = ch.routes.load("plastics_pyrolysis").simulate(
        params={"economics.small_size_rule": np.array(["capacity_exponent", "range_minimum"])})
    k = res.kpis
    rows = {r["unit_id"]: r for r in unit_table(res)}
    uc = res.tea.unit_costs
    # the compressor with its type's exponent, its explosion-proof motor (no exponent read) 0.6
    for uid, s_min, n in (("ht_recycle_compressor", 450.0, N_COMP), ("ht_recycle_compressor.1", 75.0, 0.6)):
        size = np.asarray(rows[uid]["size"], dtype=float)
        assert size[0] == size[1] and size[0] < s_min / 50
        c = uc[uid].installed_eur
        assert c[0] / c[1] == pytest.approx((size[0] / s_min) ** n, rel=1e-9)
    assert k["capex_eur"].iloc[0] < k["capex_eur"].iloc[1]
    notes = [n for n in res.cost_notes if n.startswith("unit 'ht_recycle_compressor'")]
    assert notes and "capacity exponent 0.8" in notes[0] and "or at the minimum size" in notes[0]


@pytest.mark.unit
def test_type_exponents_are_the_ones_read_in_their_sources():
    """cost_correlations.yaml's small_size_exponent per item against the source: the
    compressors' from the installed IDAES SSLW.py (the transcription of Seider et al. read),
    the others typed above from Boehm (1987); every other Turton item falls back to 0.6."""
    import inspect
    import re

    from idaes.models.costing.SSLW import SSLWCostingData

    from carbonhub.costing.correlations import turton_item, turton_items

    src = inspect.getsource(SSLWCostingData.cost_compressor)
    sslw = {t: float(m) for t, m in re.findall(r"CompressorType\.(\w+): \{1: [\d.]+, 2: ([\d.]+)\}", src)}
    assert sslw["Centrifugal"] == N_COMP and sslw["Reciprocating"] == N_COMP
    want = {"compressor_centrifugal": sslw["Centrifugal"], "compressor_reciprocating": sslw["Reciprocating"],
            "heat_exchanger_fixed_tube": N_HX, "heat_exchanger_floating_head": N_HX,
            "heat_exchanger_u_tube": N_HX, "pump_centrifugal": N_PUMP}
    for item in turton_items():
        d = turton_item(item)
        assert d.get("small_size_exponent") == want.get(item), item
        if item in want:
            assert d["small_size_exponent_verified"] is True and d["small_size_exponent_source"]
    # by hand below the range: a 2 m2 fixed-tube exchanger and a 0.5 kW pump
    k_hx, k_pump = (4.3247, -0.3030, 0.1634), (3.3892, 0.0536, 0.1538)  # Turton Table A.1
    with pytest.warns(CostRangeWarning):
        hx = turton_cp0("heat_exchanger_fixed_tube", 2.0)
        pump = turton_cp0("pump_centrifugal", 0.5)
    assert float(hx) == pytest.approx(_turton(k_hx, 10.0) * 0.2**N_HX, rel=1e-12)
    assert float(pump) == pytest.approx(_turton(k_pump, 1.0) * 0.5**N_PUMP, rel=1e-12)
