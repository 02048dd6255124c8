"""CO2 avoided against the fossil product, its cost, the financial gap and the simple payback
of a simulated route, per case (cradle-to-gate).

A route's main product (e.g. the FT cuts, methanol, ethylene + propylene) replaces the same mass
of the fossil product made the usual way (diesel/jet/naphtha from crude oil, methanol from
natural gas, olefins from naphtha cracking). Both sides are counted from the cradle to the gate
of the plant, with the factors of ``property_data/co2_references.yaml`` (each cited, with its
verification status) and the route's own flows::

    reference  = sum_p Q_p x EF_ref(p)                 (main products)    [t CO2eq/y]
               + sum_b Q_b x EF_ref(b)                 (by-products sold: substitution credit)
    route      = fossil-like CO2 emitted (fossil + recycled origin, tea_defaults.yaml)
               + electricity imported x EF_el
                 EF_el = ghg.ppa_share x ghg.ppa_ef_t_per_MWh + (1 - share) x ghg.grid_ef_t_per_MWh
               + fired heat (natural gas, LHV) x ghg.natural_gas_ef_t_per_MWh
               + steam imported x ghg.steam_ef_t_per_t
               + hydrogen bought x ghg.hydrogen_ef_t_per_t              (costing/hydrogen.py)
               + feedstock as received x ghg.feedstock_ef_t_per_t       (supply chain)
               - non-fossil CO2 captured for storage                    (a removal)
    co2_avoided_t_per_y = reference - route
    co2_avoided_cost_eur_per_t = (MSP - market price) x Q / co2_avoided   (NaN where avoided <= 0)
    financial_gap_eur_per_t = MSP - market price;  financial_gap_eur_per_y = gap x Q
    simple_payback_y = TCI / (market revenue + by-product revenue - OPEX)  (inf if never)

By-products (Sinks of category ``byproduct``, e.g. the C4 cut of an MTO unit, pyrolysis diesel)
replace fossil products too: they are credited with their own reference (system expansion,
ISO 14044 section 4.3.4.2), as the MSP credits their revenue; a by-product with no cited
reference (``no_reference`` in the YAML) is credited zero, a lower bound. The electricity of a
route designed around a renewable supply (co2_methanol_mto: electrolysis) is bought under a PPA
(``ghg.ppa_share`` = 1 in its defaults, factor: life-cycle onshore wind); the grid factor applies
to the rest. A negative CO2 avoided is reported as it is (its cost is then NaN: nothing avoided).

Biogenic and atmospheric CO2 emitted count zero (EU ETS MRR Art. 38, as for the CO2 price).
Carbon in the products is outside a cradle-to-gate boundary on both sides (a fossil product
carries fossil carbon that is emitted after the gate, a biogenic product carries carbon taken
from the air; neither is counted), so CO2 avoided here is a lower bound for a biogenic product
whose use replaces a fossil one. Electricity exported earns no credit (conservative). The market
price is the mass-weighted ``prices.<product>_eur_per_t`` of the
main products (escalated from ``prices.price_year`` to ``economics.cost_year`` with the HICP).

Example
-------
>>> import numpy as np
>>> from carbonhub.costing.avoided import reference_factor
>>> round(float(reference_factor({"methanol": np.array([1000.0])})[0]), 3)
0.623
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

import numpy as np

from ..units import HOUR, MWH
from .ghg_params import GROUP, add_ghg_params, electricity_ef, references as _refs
from .hydrogen import hydrogen_ef
from .memo import finite_view, stream_flow

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

__all__ = ["GROUP", "add_ghg_params", "reference_factor", "byproduct_credit", "avoided_kpis"]


def reference_factor(main_t_per_y: Mapping[str, np.ndarray]) -> np.ndarray:
    """Mass-weighted cradle-to-gate factor of the fossil products replaced [t CO2eq/t].

    main_t_per_y : main product name (``Sink.product``) -> t/y per case. A product with no
    reference in ``co2_references.yaml`` (``product_references``), e.g. the syngas of a user's
    own route, has no fossil counterpart to displace: the factor is NaN (CO2 avoided undefined)
    rather than an error, so the rest of the KPIs of such a route still come out.
    """
    table, refs = _refs()["product_references"], _refs()["reference_products"]
    num = den = 0.0
    for name, q in main_t_per_y.items():
        q = np.asarray(q, dtype=float)
        factor = float(refs[table[name]]["value"]) if name in table else np.nan
        num = num + q * factor
        den = den + q
    num, den = np.broadcast_arrays(np.asarray(num, dtype=float), np.asarray(den, dtype=float))
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def byproduct_credit(byproducts_t_per_y: Mapping[str, np.ndarray]) -> np.ndarray:
    """Cradle-to-gate CO2 of the fossil products the by-products replace [t CO2eq/y]:
    sum of ``Q_b x EF_ref(b)``; a by-product with no reference counts zero (listed with its
    reason under ``no_reference`` in ``co2_references.yaml``)."""
    table, refs = _refs()["product_references"], _refs()["reference_products"]
    out = 0.0
    for name, q in byproducts_t_per_y.items():
        if name in table:
            out = out + np.asarray(q, dtype=float) * float(refs[table[name]]["value"])
    return np.asarray(out, dtype=float)


def _byproduct_split(res: "SimulationResult", hours: np.ndarray) -> dict[str, np.ndarray]:
    """t/y of each product or by-product sold that is not a main product."""
    from ..core.boundary import boundary

    main = set(res.flowsheet.economics_spec["main_products"])
    out: dict[str, np.ndarray] = {}
    for u, s in boundary(res)[1]:
        name = getattr(u, "product", None) or u.id
        if getattr(u, "category", "") in ("product", "byproduct") and name not in main:
            out[name] = out.get(name, 0.0) + finite_view(stream_flow(res, s, "mass_flow")) * hours * 3.6
    return out


def _market_price(res: "SimulationResult", main: Mapping[str, np.ndarray]) -> np.ndarray:
    """The main product's price (:func:`carbonhub.costing.flowsheet.main_product_price`) in EUR
    of the cost year."""
    from .finance import price_escalation
    from .flowsheet import main_product_price

    ok = res.ok
    cy = res.param("economics.cost_year").astype(float)
    cost_year = int(cy[ok][0]) if ok.any() else 2023
    return main_product_price(res, main) * price_escalation(res, cost_year)


def avoided_kpis(res: "SimulationResult", k: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """CO2 avoided, its cost, financial gap and payback per case (see the module docstring).

    res : a simulated route with economics (``res.tea`` set by the economic KPIs)
    k : the KPIs computed so far (``co2_emitted_fossil_like_t_per_y``,
        ``co2_captured_nonfossil_t_per_y``, ``msp_eur_per_t``, ``tci_eur``,
        ``opex_eur_per_y``)
    """
    from .flowsheet import annual_flows, main_product_split

    fs = res.flowsheet
    if GROUP not in fs.groups or not hasattr(fs, "economics_spec"):
        return {}
    n = res.n_cases
    hours = res.param("economics.operating_hours").astype(float)
    P = lambda name: np.broadcast_to(res.param(f"{GROUP}.{name}").astype(float), (n,))  # noqa: E731
    main = main_product_split(res, hours)
    q = sum(main.values(), np.zeros(n))
    flows = annual_flows(res, hours)
    from .heat_supply import heat_supply

    fired = heat_supply(res)["fired_W"]  # natural gas fired, under the heat.* utility choices
    fired_MWh = fired * hours * HOUR / MWH
    credit = np.broadcast_to(byproduct_credit(_byproduct_split(res, hours)), (n,))
    h2 = flows.get("hydrogen_t_per_y", np.zeros(n)) * hydrogen_ef(res)  # bought H2 by its origin
    ref = q * reference_factor(main) + credit
    route = (np.asarray(k["co2_emitted_fossil_like_t_per_y"], dtype=float)
             + flows["electricity_MWh_per_y"] * electricity_ef(res)
             + fired_MWh * P("natural_gas_ef_t_per_MWh")
             + flows["steam_import_t_per_y"] * P("steam_ef_t_per_t")
             + h2
             + flows["feedstock_t_per_y"] * P("feedstock_ef_t_per_t")
             - np.asarray(k["co2_captured_nonfossil_t_per_y"], dtype=float))
    avoided = ref - route
    price = _market_price(res, main)
    msp = np.asarray(k["msp_eur_per_t"], dtype=float)
    gap = msp - price
    out = {"co2_reference_t_per_y": ref, "co2_byproduct_credit_t_per_y": np.array(credit, dtype=float),
           "co2_route_t_per_y": route, "co2_hydrogen_t_per_y": np.array(h2, dtype=float),
           "co2_avoided_t_per_y": avoided}
    with np.errstate(invalid="ignore", divide="ignore"):
        out["co2_avoided_t_per_t_product"] = np.where(q > 0, avoided / np.where(q > 0, q, 1.0), np.nan)
        out["co2_avoided_cost_eur_per_t"] = np.where(avoided > 0, gap * q / np.where(avoided > 0, avoided, 1.0),
                                                     np.nan)
        out["market_price_eur_per_t"] = price
        out["financial_gap_eur_per_t"] = gap
        out["financial_gap_eur_per_y"] = gap * q
        tea = getattr(res, "tea", None)
        by_rev = (np.broadcast_to(np.asarray(tea.byproduct_revenue_eur_per_y, dtype=float), (n,))
                  if tea is not None else np.zeros(n))
        cash = price * q + by_rev - np.asarray(k["opex_eur_per_y"], dtype=float)
        out["simple_payback_y"] = np.where(cash > 0, np.asarray(k["tci_eur"], dtype=float)
                                           / np.where(cash > 0, cash, 1.0), np.inf)
    bad = ~res.ok
    for v in out.values():
        v[bad] = np.nan
    return out
