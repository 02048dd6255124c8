"""Discounted cash flow: hand-checked small cases, closed-form MSP on a random batch, IRR, errors.

The reference values are computed here from explicitly written cash flows (and scipy's brentq
for the IRR), not with the code under test.
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

from carbonhub.costing.dcf import (CashFlowInputs, DCFParams, cash_flows, depreciation_schedule,
                                   irr, levelised_cost, minimum_selling_price, npv,
                                   npv_coefficients, npv_of_cash_flows)


def _simple_params(**kw):
    base = dict(irr=0.10, life_y=3, construction_schedule=(1.0,), income_tax_rate=0.25,
                depreciation="straight_line", depreciation_years=3,
                startup_fraction_of_year=0.0)
    base.update(kw)
    return DCFParams(**base)


def _simple_inputs():
    return CashFlowInputs(fci=np.array([300.0]), main_product_t_per_y=np.array([10.0]),
                          variable_opex_eur_per_y=np.array([20.0]),
                          fixed_opex_eur_per_y=np.array([10.0]),
                          working_capital_eur=np.array([10.0]))


@pytest.mark.unit
def test_hand_checked_small_dcf():
    # One construction year (t=0): -300 FCI - 10 working capital.
    # Years 1-3: revenue 10 p, costs 30, straight-line depreciation 100, tax 25 %:
    #   CF = 0.75 (10 p - 30) + 0.25 * 100 = 7.5 p + 2.5 ; working capital back in year 3.
    p = 20.0
    flows = [-310.0, 7.5 * p + 2.5, 7.5 * p + 2.5, 7.5 * p + 2.5 + 10.0]   # [-310, 152.5, ...]
    hand_npv = sum(cf / 1.1**t for t, cf in enumerate(flows))
    assert hand_npv == pytest.approx(76.75808, abs=1e-5)
    params, cf = _simple_params(), _simple_inputs()
    assert float(npv(p, cf, params)[0]) == pytest.approx(hand_npv, rel=1e-13)
    years, explicit = cash_flows(p, cf, params)
    assert years.tolist() == [0, 1, 2, 3]
    np.testing.assert_allclose(explicit[:, 0], flows, rtol=1e-14)
    # MSP: 7.5 p + 2.5 = (310 - 10/1.1^3) / annuity(10 %, 3 y)
    annuity = 1 / 1.1 + 1 / 1.1**2 + 1 / 1.1**3
    hand_msp = ((310.0 - 10.0 / 1.1**3) / annuity - 2.5) / 7.5
    assert float(minimum_selling_price(cf, params)[0]) == pytest.approx(hand_msp, rel=1e-13)
    # IRR of the p = 20 flows, by brentq on the explicit polynomial
    hand_irr = brentq(lambda r: sum(c / (1 + r) ** t for t, c in enumerate(flows)), 0.0, 1.0,
                      xtol=1e-14)
    got = irr(years, explicit)
    assert float(got[0]) == pytest.approx(hand_irr, abs=1e-10)
    # levelised cost = MSP without tax: 10 p - 30 = (310 - 10/1.1^3) / annuity
    hand_lcop = ((310.0 - 10.0 / 1.1**3) / annuity + 30.0) / 10.0
    assert float(levelised_cost(cf, params)[0]) == pytest.approx(hand_lcop, rel=1e-13)


@pytest.mark.unit
def test_hand_checked_nrel_style_schedule():
    # 2 construction years (40 % / 60 %), land in the first; life 4 y; MACRS 3-year
    # (IRS Pub. 946: 33.33/44.45/14.81/7.41 %); start-up: half of year 1 at 50 % revenue,
    # 75 % variable and 100 % fixed costs; tax 30 %; working capital recovered, land not.
    params = DCFParams(irr=0.08, life_y=4, construction_schedule=(0.4, 0.6),
                       income_tax_rate=0.30, depreciation="macrs", depreciation_years=3,
                       startup_fraction_of_year=0.5, startup_revenue_factor=0.5,
                       startup_variable_cost_factor=0.75, startup_fixed_cost_factor=1.0)
    fci, wc, land, q, price, by, cv, cfix = 1000.0, 50.0, 20.0, 100.0, 5.0, 40.0, 150.0, 60.0
    cf = CashFlowInputs(fci=fci, main_product_t_per_y=q, variable_opex_eur_per_y=cv,
                        fixed_opex_eur_per_y=cfix, byproduct_revenue_eur_per_y=by,
                        working_capital_eur=wc, land_eur=land)
    rev = price * q + by                               # 540 at full output
    macrs = [0.3333, 0.4445, 0.1481, 0.0741]
    year1_rev = rev * (0.5 + 0.5 * 0.5)                # 405
    year1_cost = cv * (0.5 + 0.5 * 0.75) + cfix        # 191.25
    op = [(year1_rev, year1_cost)] + [(rev, cv + cfix)] * 3
    flows = {-1: -0.4 * fci - land, 0: -0.6 * fci - wc}
    for t, (r, c) in enumerate(op, start=1):
        flows[t] = 0.7 * (r - c) + 0.3 * macrs[t - 1] * fci
    flows[4] += wc
    hand = sum(v / 1.08**t for t, v in flows.items())
    assert float(npv(price, cf, params)[0]) == pytest.approx(hand, rel=1e-12)
    years, explicit = cash_flows(price, cf, params)
    assert years.tolist() == [-1, 0, 1, 2, 3, 4]
    np.testing.assert_allclose(explicit[:, 0], [flows[t] for t in years], rtol=1e-13)
    assert float(npv_of_cash_flows(years, explicit, 0.08)[0]) == pytest.approx(hand, rel=1e-12)
    msp = float(minimum_selling_price(cf, params)[0])
    assert float(npv(msp, cf, params)[0]) == pytest.approx(0.0, abs=1e-9 * fci)


@pytest.mark.unit
def test_msp_zeroes_npv_for_every_case_of_a_random_batch():
    rng = np.random.default_rng(42)
    n = 10_000
    cf = CashFlowInputs(
        fci=rng.uniform(1e7, 2e9, n), main_product_t_per_y=rng.uniform(1e4, 1e6, n),
        variable_opex_eur_per_y=rng.uniform(1e6, 5e8, n),
        fixed_opex_eur_per_y=rng.uniform(1e6, 1e8, n),
        byproduct_revenue_eur_per_y=rng.uniform(0, 5e7, n),
        working_capital_eur=rng.uniform(0, 1e8, n), land_eur=rng.uniform(0, 1e7, n))
    params = DCFParams(irr=rng.uniform(0.02, 0.25, n), income_tax_rate=0.258)
    msp = minimum_selling_price(cf, params)
    assert msp.shape == (n,)
    # same code path ...
    np.testing.assert_allclose(npv(msp, cf, params) / cf.fci, 0.0, atol=1e-9)
    # ... and the independent explicit cash flows, discounted at each case's own rate
    years, flows = cash_flows(msp, cf, params)
    disc = (1.0 + params.irr)[None, :] ** (-years[:, None].astype(float))
    np.testing.assert_allclose((flows * disc).sum(axis=0) / cf.fci, 0.0, atol=1e-9)
    # the IRR of the MSP cash flows is the target IRR
    np.testing.assert_allclose(irr(years, flows), params.irr, rtol=1e-9, atol=1e-12)


@pytest.mark.unit
def test_npv_is_linear_in_price_including_tax_losses():
    # Tax losses are credited (negative tax), so NPV is exactly linear even at low prices.
    params, cf = _simple_params(), _simple_inputs()
    p = np.array([-50.0, 0.0, 10.0, 40.0])
    v = npv(p, cf, params)
    np.testing.assert_allclose(np.diff(v) / np.diff(p), 0.75 * 10.0 * (1 / 1.1 + 1 / 1.21
                                                                       + 1 / 1.331), rtol=1e-12)


@pytest.mark.unit
def test_irr_without_sign_change_is_nan():
    years = np.array([0, 1, 2])
    flows = np.array([[-100.0, -100.0], [50.0, -10.0], [80.0, -10.0]])
    out = irr(years, flows)
    assert np.isfinite(out[0]) and np.isnan(out[1])


@pytest.mark.unit
def test_macrs_tables_sum_to_one_and_straight_line():
    for y in (3, 5, 7, 10, 15, 20):
        s = depreciation_schedule("macrs", y)
        assert s.size == y + 1
        assert s.sum() == pytest.approx(1.0, abs=2e-4)
    assert depreciation_schedule("macrs", 7)[1] == 0.2449      # IRS Pub. 946 Table A-1
    np.testing.assert_allclose(depreciation_schedule("straight_line", 4), [0.25] * 4)


@pytest.mark.unit
@pytest.mark.parametrize("kw,match", [
    ({"irr": -1.0}, r"irr.*-1\.0"),
    ({"irr": -1.5}, r"irr.*-1\.5"),
    ({"life_y": 2, "construction_schedule": (0.2, 0.3, 0.5), "depreciation": "straight_line",
      "depreciation_years": 1}, r"plant life 2 y is shorter than the construction period \(3 y\)"),
    ({"construction_schedule": (0.5, 0.6)}, r"construction_schedule.*0\.6"),
    ({"income_tax_rate": 1.2}, r"income_tax_rate.*1\.2"),
    ({"depreciation": "double_declining"}, "double_declining"),
    ({"depreciation_years": 6}, r"MACRS.*6"),
    ({"life_y": 5, "depreciation_years": 7}, r"longer than the plant life 5"),
])
def test_bad_parameters_raise_naming_the_value(kw, match):
    with pytest.raises(ValueError, match=match):
        DCFParams(**kw)


@pytest.mark.unit
def test_bad_rate_and_product_raise():
    params, cf = _simple_params(), _simple_inputs()
    with pytest.raises(ValueError, match=r"-2\.0"):
        npv(10.0, cf, params, rate=-2.0)
    bad = CashFlowInputs(fci=1.0, main_product_t_per_y=np.array([1.0, 0.0]),
                         variable_opex_eur_per_y=0.0, fixed_opex_eur_per_y=0.0)
    with pytest.raises(ValueError, match=r"main product.*0\.0 t/y"):
        minimum_selling_price(bad, params)


@pytest.mark.unit
def test_npv_coefficients_of_a_batch_equal_each_case_alone():
    """A batch with one discount rate (its sums taken once) and a batch of mixed rates give
    every case the bits it gets alone."""
    p = DCFParams()
    alone = {r: npv_coefficients(p, np.array([r])) for r in (0.1, 0.08, 0.125)}
    same = npv_coefficients(p, np.full(5, 0.1))
    mixed = npv_coefficients(p, np.array([0.08, 0.1, 0.125, 0.1]))
    for k in same:
        assert np.array_equal(same[k], np.repeat(alone[0.1][k], 5))
        assert np.array_equal(mixed[k], np.concatenate([alone[r][k] for r in (0.08, 0.1, 0.125, 0.1)]))
