"""The break-even gate fee of a route's feed: what the plant must be paid per tonne of feed (or,
negative, what it can pay) for its NPV to be zero at the target IRR with every product sold at
its market price.

A waste-treatment route is judged per tonne of waste treated, not per tonne of one product: the
minimum selling price of plastics_pyrolysis's light olefins is negative at the defaults because
the diesel, wax, C4 and pyrolysis-gasoline by-products (at their prices.yaml prices) already pay
for the plant. The gate fee asks the question the other way round: with the main product at its
market price (``market_price_eur_per_t``) and the by-products at theirs, which feed price makes
the project break even? It is the same question for any feed (wood chips: the highest price the
plant can pay), so the routes compare on one basis per tonne of feed.

Closed form (costing/dcf.py: tax is linear in the cash flows, so NPV is linear in the feed
price; the feed cost is a variable cost, weighted by the start-up factors of the variable costs,
``S_v``, where the product revenue is weighted by ``S_q``)::

    NPV(g) = NPV_market + (1 - tau) x Q_feed x S_v x (g + p_feed)
    gate_fee_eur_per_t_feed = -p_feed - NPV_market / ((1 - tau) x Q_feed x S_v)

with NPV_market the NPV at the main product's market price (``npv_eur``), Q_feed the feed as
received [t/y], p_feed its price now (EUR of the cost year, blends at their mixed price) and g
the gate fee paid to the plant. ``feed_break_even_price_eur_per_t`` = -gate fee is the same
number as a feed price. NaN where the main product has no market price.

Example
-------
>>> import numpy as np
>>> from carbonhub.costing.gate_fee import break_even_gate_fee
>>> float(break_even_gate_fee(np.array([0.0]), np.array([1e5]), np.array([20.0]), 0.21, 10.0)[0])
-20.0
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

__all__ = ["break_even_gate_fee", "gate_fee_kpis"]


def break_even_gate_fee(npv_market_eur, feed_t_per_y, feed_price_eur_per_t, tax_rate, s_v) -> np.ndarray:
    """Gate fee [EUR/t feed] paid to the plant for NPV = 0 (see the module docstring).

    npv_market_eur : NPV at the main product's market price and the feed's price now [EUR]
    feed_t_per_y : feed as received [t/y]
    feed_price_eur_per_t : the feed's price now [EUR/t] (what the plant pays)
    tax_rate : income tax rate [-]
    s_v : discounted sum of the variable-cost year factors (:func:`carbonhub.costing.dcf.npv_coefficients`)
    """
    q = np.asarray(feed_t_per_y, dtype=float)
    slope = (1.0 - np.asarray(tax_rate, dtype=float)) * q * np.asarray(s_v, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(slope > 0, -np.asarray(feed_price_eur_per_t, dtype=float)
                        - np.asarray(npv_market_eur, dtype=float) / np.where(slope > 0, slope, 1.0), np.nan)


def gate_fee_kpis(res: "SimulationResult", k: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``gate_fee_eur_per_t_feed`` and ``feed_break_even_price_eur_per_t`` per case.

    res : a simulated route with economics (``res.tea`` set by the economic KPIs)
    k : the KPIs computed so far (``npv_eur``)
    """
    from .dcf import npv_coefficients

    tea = getattr(res, "tea", None)
    if tea is None or "npv_eur" not in k:
        return {}
    n = res.n_cases
    feed_cost = np.broadcast_to(np.asarray(tea.variable_opex.get("feedstock", 0.0), dtype=float), (n,))
    hours = res.param("economics.operating_hours").astype(float)
    from .flowsheet import annual_flows

    q = np.broadcast_to(annual_flows(res, hours)["feedstock_t_per_y"], (n,))
    with np.errstate(invalid="ignore", divide="ignore"):
        p_feed = np.where(q > 0, feed_cost / np.where(q > 0, q, 1.0), 0.0)
    s_v = npv_coefficients(tea.dcf)["S_v"]
    g = np.broadcast_to(break_even_gate_fee(np.asarray(k["npv_eur"], dtype=float), q, p_feed,
                                            tea.dcf.income_tax_rate, s_v), (n,)).copy()
    g[~res.ok] = np.nan
    return {"gate_fee_eur_per_t_feed": g, "feed_break_even_price_eur_per_t": -g}
