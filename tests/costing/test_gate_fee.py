"""Break-even gate fee (costing/gate_fee.py): the feed price at which a route breaks even with
every product at its market price.

The reference is the definition itself, checked with the DCF's own NPV (not with the closed
form under test): put the gate fee into the cash flows as the feed's price and the NPV at the
market price is zero, here with start-up factors that weigh variable costs and revenue apart
(so a formula that used the revenue's weights would fail). Through the whole TEA of a route:
tests/routes/test_plastics_pyrolysis.py (prices.feedstock_eur_per_t set to the break-even price:
NPV 0, MSP = market price).
"""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.costing.dcf import CashFlowInputs, DCFParams, npv, npv_coefficients
from carbonhub.costing.gate_fee import break_even_gate_fee


@pytest.mark.unit
def test_gate_fee_zeroes_the_npv_of_explicit_cash_flows():
    params = DCFParams(irr=0.1, life_y=20, construction_schedule=(0.3, 0.7), income_tax_rate=0.25,
                       startup_fraction_of_year=0.5, startup_revenue_factor=0.5,
                       startup_variable_cost_factor=0.9, startup_fixed_cost_factor=1.0)
    q_feed = np.array([4.0e4, 4.0e4, 2.0e5])          # t feed / y
    p_feed = np.array([-20.0, 30.0, 60.0])            # EUR/t now (negative: paid to take it)
    other_var = np.array([3.0e6, 3.0e6, 1.0e7])       # EUR/y
    base = dict(fci=np.array([5.0e7, 5.0e7, 2.0e8]), main_product_t_per_y=np.array([5.0e3, 5.0e3, 3.0e4]),
                fixed_opex_eur_per_y=np.array([4.0e6, 4.0e6, 1.2e7]),
                byproduct_revenue_eur_per_y=np.array([1.5e7, 1.5e7, 2.0e7]),
                working_capital_eur=np.array([2.5e6, 2.5e6, 1.0e7]))
    market = 1000.0
    cf = CashFlowInputs(variable_opex_eur_per_y=other_var + p_feed * q_feed, **base)
    g = break_even_gate_fee(npv(market, cf, params), q_feed, p_feed, params.income_tax_rate,
                            npv_coefficients(params)["S_v"])
    # the plant paid g per t of feed: its feed cost is -g x Q
    at_fee = CashFlowInputs(variable_opex_eur_per_y=other_var - g * q_feed, **base)
    np.testing.assert_allclose(npv(market, at_fee, params), 0.0, atol=1e-6 * base["fci"].max())
    # the same plant with its feed priced differently now breaks even at the same fee
    assert g[0] == pytest.approx(g[1], rel=1e-12)


@pytest.mark.unit
def test_no_feed_gives_nan():
    assert np.isnan(break_even_gate_fee(1e6, 0.0, 0.0, 0.25, 8.0))
