"""From a simulated flowsheet to costs and economic KPIs, vectorised over its cases.

A route declares its economics with :func:`add_economics` (parameter groups ``prices.*`` and
``economics.*``, its main product). :func:`economic_kpis` then collects, per case:

* the units' cost declarations (``Unit.costs``) with their sizes from the design results;
* annual flows from the utilities of every unit and from the flowsheet boundary (feedstock as
  received, water, wastewater, fossil CO2 emitted, CO2 stored, purchased gases);
* products by sink, and carbon by origin,

and calls :func:`carbonhub.costing.tea.evaluate_tea`.

Utility conventions (documented simplifications of a screening TEA):
* net electricity (sum of unit power) is bought, or sold at the same price when negative;
* steam: heat demand by steam minus heat recovered as steam, as MP steam (latent heat at
  10 bar, 2015 kJ/kg, IAPWS-IF97); a surplus is credited at the same price;
* cooling water: 10 K rise, 4.18 MJ/(m3 K);
* fired heat: natural gas by LHV.
"""
from __future__ import annotations

import math
from typing import Any, Iterable

import numpy as np

from ..core.stream import ORIGINS
from ..core.unit import Param

STEAM_LATENT_J_PER_KG = 2015e3
"""Latent heat of saturated steam at 10 bar [J/kg] (IAPWS-IF97: h_fg(1 MPa) = 2014.6 kJ/kg)."""
CW_J_PER_M3 = 4.18e6 * 10.0
"""Cooling water: 4.18 MJ/(m3 K) x 10 K rise [J/m3]."""

HEAT_UTILITIES = {
    "steam_mp": ("t", (("steam_heat_W", 1.0), ("steam_raised_W", -1.0)), STEAM_LATENT_J_PER_KG * 1e3),
    "cooling_water": ("m3", (("cooling_W", 1.0),), CW_J_PER_M3),
}
"""Priced utilities that are heat duties of the units: item -> (unit of its annual flow,
((``UnitResult.utilities`` key, sign), ...), J per unit of the flow). Steam is net of the steam
the units raise."""

ITEM_ALIASES = {"turton.fixed_tube_hx": "turton.heat_exchanger_fixed_tube"}

CATALYSTS = {  # unit class -> (price key without _eur_per_kg, life [y])
    "FischerTropsch": "cobalt_ft_catalyst",
    "MethanolReactor": "cu_zno_methanol_catalyst",
    "WaterGasShift": "shift_catalyst",
    "MethanolToOlefins": "sapo34_mto_catalyst",
}
CATALYST_LIFE_Y = 3.0
"""Catalyst replacement interval [y] (typical 2-5 y for Co-FT, Cu/ZnO methanol and shift
catalysts; Spath & Dayton 2003, NREL/TP-510-34929, ch. 6-7). Parameter ``economics.catalyst_life_y``."""


def _prices_yaml() -> dict:
    from ..data import load_yaml

    return load_yaml("prices.yaml")


def default_price(key: str) -> float:
    """A price from property_data/prices.yaml (``items``), e.g. ``electricity_eur_per_MWh``."""
    items = _prices_yaml().get("items", _prices_yaml())
    if key not in items:
        raise KeyError(f"no price {key!r} in prices.yaml")
    v = items[key]
    return float(v["value"] if isinstance(v, dict) else v)


def feedstock_price(fid: str) -> float:
    return float(_prices_yaml()["feedstock_eur_per_t"][fid]["value"])


def _default_hours() -> float:
    from ..data import load_yaml

    return float(load_yaml("tea_defaults.yaml")["operation"]["operating_hours_per_y"]["value"])


def add_economics(fs, main_products: Iterable[str], *, main_name: str | None = None,
                  reference_product: str | None = None, maturity: str = "nth") -> None:
    """Declare a route's economics: parameter groups ``prices`` and ``economics``.

    main_products : product names (``Sink.product``) whose sum is the main product
    main_name : name of the main product in the results (default: the single product name)
    """
    main_products = list(main_products)
    nan = math.nan
    fs.add_group("prices", {
        "feedstock_eur_per_t": Param(nan, "EUR/t", -500.0, 1000.0,
                                     "feedstock price as received [EUR/t]; NaN: prices.yaml for the feedstock"),
        "electricity_eur_per_MWh": Param(default_price("electricity_eur_per_MWh"), "EUR/MWh", 0.0, 1000.0,
                                         "electricity price [EUR/MWh]"),
        "co2_eur_per_t": Param(default_price("co2_eu_ets_eur_per_t"), "EUR/t", 0.0, 1000.0,
                               "price of fossil CO2 emitted (EU ETS) [EUR/t]"),
        "co2_storage_eur_per_t": Param(default_price("co2_transport_storage_eur_per_t"), "EUR/t", 0.0, 500.0,
                                       "CO2 transport and storage [EUR/t]"),
        "product_eur_per_t": Param(nan, "EUR/t", 0.0, 1e5,
                                   "main product price for the NPV [EUR/t]; NaN: prices.yaml"),
    })
    fs.add_group("economics", {
        "operating_hours": Param(_default_hours(), "h", 1000.0, 8760.0,
                                 "on-stream hours per year [h] (default: tea_defaults.yaml)"),
        "irr": Param(0.10, "", 0.0, 0.5, "target internal rate of return (real) [-]"),
        "capex_factor": Param(1.0, "", 0.1, 10.0, "multiplier on every installed cost [-]"),
        "catalyst_life_y": Param(CATALYST_LIFE_Y, "", 0.25, 20.0, "catalyst replacement interval [y]"),
        "cost_year": Param(2023.0, "", 2001.0, 2023.0, "year of all costs (CEPCI, exchange rate)"),
    })
    fs.economics_spec = {"main_products": main_products,
                         "main_name": main_name or (main_products[0] if len(main_products) == 1 else "main_product"),
                         "reference_product": reference_product, "maturity": maturity}
    # keep costing import-time light: the TEA is evaluated lazily by SimulationResult.kpis


def _item(c) -> str:
    return ITEM_ALIASES.get(c.item, c.item)


def unit_table(res) -> list[dict]:
    fs = res.flowsheet
    rows = []
    for uid, unit in fs.units.items():
        r = res.unit_results.get(uid)
        if r is None:
            continue
        for k, c in enumerate(unit.costs):
            if c.size not in r.design:
                raise KeyError(f"{uid}: cost declaration needs design result {c.size!r}; "
                               f"design results: {', '.join(r.design)}")
            size = np.nan_to_num(np.asarray(r.design[c.size], dtype=float), nan=0.0)
            if not (size > 0).any():
                continue  # unit not used in any case (e.g. an empty bypass)
            size = np.maximum(size, 1e-6 * size.max())  # a unit absent in some cases costs ~0
            rows.append({"unit_id": uid if k == 0 else f"{uid}.{k}", "item": _item(c), "size": size,
                         "maturity": getattr(unit, "maturity", "nth")})
    return rows


def annual_flows(res, hours: np.ndarray) -> dict[str, np.ndarray]:
    from ..core.kpis import boundary

    fs = res.flowsheet
    cs = fs.components
    s_per_y = hours * 3600.0
    n = res.n_cases
    z = np.zeros(n)
    power = z.copy(); fired = z.copy()
    pw = z.copy(); demin = z.copy()
    heat = {name: z.copy() for name in HEAT_UTILITIES}
    for r in res.unit_results.values():
        power += np.nan_to_num(r.power)
        u = r.utilities
        for name, (_, terms, _) in HEAT_UTILITIES.items():
            for key, sign in terms:
                heat[name] += sign * np.nan_to_num(u.get(key, z))
        fired += np.nan_to_num(u.get("fired_heat_W", z))
        pw += np.nan_to_num(u.get("process_water_kg_s", z))
        demin += np.nan_to_num(u.get("demin_water_kg_s", z))
    flows = {
        "electricity_MWh_per_y": power * s_per_y / 3.6e9,
        **{f"{name}_{unit}_per_y": heat[name] / j_per_unit * s_per_y
           for name, (unit, _, j_per_unit) in HEAT_UTILITIES.items()},
        "natural_gas_MWh_per_y": fired * s_per_y / 3.6e9,
        "process_water_m3_per_y": pw * s_per_y / 1000.0,
        "demin_water_m3_per_y": demin * s_per_y / 1000.0,
    }
    src, snk = boundary(res)
    feed_t = z.copy(); feed_cost = z.copy()
    ico2 = cs.index("CO2") if "CO2" in cs else None
    fossil = [ORIGINS.index("fossil"), ORIGINS.index("recycled")]
    pf = res.param("prices.feedstock_eur_per_t").astype(float)
    for u, s in src:
        t_y = s.mass_flow * s_per_y / 1000.0
        if getattr(u, "is_feedstock", False):
            fid = np.broadcast_to(np.asarray(res.param(f"{u.id}.feedstock")).astype(str), (n,))
            price = pf.copy()
            need = ~np.isfinite(price)
            for f in np.unique(fid[need]):  # prices.yaml only where no price was given
                sel = need & (fid == f)
                try:
                    price[sel] = feedstock_price(str(f))
                except KeyError:
                    raise ValueError(f"no default price for feedstock {f!r} in prices.yaml: set "
                                     "prices.feedstock_eur_per_t") from None
            feed_t += t_y
            feed_cost += t_y * price
        else:
            cat = getattr(u, "category", "utility")
            if cat == "process_water":
                flows["process_water_m3_per_y"] = flows["process_water_m3_per_y"] + t_y
            elif cat == "natural_gas":
                flows["natural_gas_MWh_per_y"] = flows["natural_gas_MWh_per_y"] + s.lhv() * s_per_y / 3.6e9
            elif cat not in ("utility", "air"):
                flows[f"{cat}_t_per_y"] = flows.get(f"{cat}_t_per_y", z) + t_y
    with np.errstate(invalid="ignore", divide="ignore"):
        flows["feedstock_t_per_y"] = feed_t
        flows["feedstock_price_eur_per_t"] = np.where(feed_t > 0, feed_cost / np.where(feed_t > 0, feed_t, 1), 0.0)
    ww = z.copy(); co2_f = z.copy(); co2_s = z.copy()
    for u, s in snk:
        cat = getattr(u, "category", "other")
        if cat == "wastewater":
            ww += s.mass_flow * s_per_y / 1000.0
        if ico2 is not None and cat in ("emission", "co2_storage"):
            t = s.flow[:, ico2] * cs.molar_mass[ico2] * s_per_y / 1000.0
            if cat == "emission":
                co2_f += t * s.origin[:, fossil].sum(axis=1)
            else:
                co2_s += t
    flows["wastewater_m3_per_y"] = ww
    flows["co2_fossil_emitted_t_per_y"] = co2_f
    flows["co2_stored_t_per_y"] = co2_s
    flows["electricity_price_eur_per_MWh"] = res.param("prices.electricity_eur_per_MWh").astype(float)
    flows["co2_fossil_emitted_price_eur_per_t"] = res.param("prices.co2_eur_per_t").astype(float)
    flows["co2_stored_price_eur_per_t"] = res.param("prices.co2_storage_eur_per_t").astype(float)
    return flows


def products_and_carbon(res, hours):
    from ..core.kpis import boundary

    fs = res.flowsheet
    cs = fs.components
    spec = fs.economics_spec
    s_per_y = hours * 3600.0
    n = res.n_cases
    src, snk = boundary(res)
    products: dict[str, np.ndarray] = {}
    main = np.zeros(n)
    carbon = {k: {o: np.zeros(n) for o in ORIGINS} for k in ("feed", "products", "emitted", "captured",
                                                              "main_product")}
    tC = 12.011e-3 * s_per_y / 1000.0  # mol C/s -> t C/y
    for u, s in src:
        for j, o in enumerate(ORIGINS):
            carbon["feed"][o] += s.carbon_by_origin[:, j] * tC
    ico2 = cs.index("CO2") if "CO2" in cs else None
    for u, s in snk:
        cat = getattr(u, "category", "other")
        if cat in ("product", "byproduct"):
            t_y = s.mass_flow * s_per_y / 1000.0
            name = u.product or u.id
            if name in spec["main_products"]:
                main += t_y
                for j, o in enumerate(ORIGINS):
                    carbon["main_product"][o] += s.carbon_by_origin[:, j] * tC
            else:
                products[name] = products.get(name, np.zeros(n)) + t_y
            for j, o in enumerate(ORIGINS):
                carbon["products"][o] += s.carbon_by_origin[:, j] * tC
        elif ico2 is not None and cat in ("emission", "co2_storage"):
            key = "emitted" if cat == "emission" else "captured"
            for j, o in enumerate(ORIGINS):
                carbon[key][o] += s.flow[:, ico2] * s.origin[:, j] * tC
    products[spec["main_name"]] = main
    return products, carbon


def _main_product_split(res, hours) -> dict[str, np.ndarray]:
    """t/y of each product that makes up the main product."""
    from ..core.kpis import boundary

    spec = res.flowsheet.economics_spec
    out: dict[str, np.ndarray] = {}
    for u, s in boundary(res)[1]:
        name = getattr(u, "product", None)
        if getattr(u, "category", "") in ("product", "byproduct") and name in spec["main_products"]:
            out[name] = out.get(name, 0.0) + np.nan_to_num(s.mass_flow) * hours * 3.6
    return out


def evaluate(res, adjust=None):
    """TEAResult for a simulation result (all cases; failed cases give NaN).

    ``adjust``, optional: ``adjust(units, flows, products) -> (units, flows, products)`` changes
    the inputs of :func:`~carbonhub.costing.tea.evaluate_tea` (the unit table, annual flows and
    products, as built here) just before the evaluation, e.g. other unit sizes, added units or
    an electricity bill of flexible operation (:mod:`carbonhub.flex`). The result is returned,
    not stored on ``res``."""
    from .tea import Economics, evaluate_tea

    fs = res.flowsheet
    if not hasattr(fs, "economics_spec"):
        raise ValueError(f"flowsheet {fs.name!r} has no economics: call costing.add_economics(fs, ...)")
    spec = fs.economics_spec
    hours = res.param("economics.operating_hours").astype(float)
    ok = res.ok
    cy = res.param("economics.cost_year").astype(float)
    if ok.any() and not (cy[ok] == cy[ok][0]).all():
        raise ValueError("economics.cost_year must be the same in all cases of a simulation")
    cost_year = int(cy[ok][0]) if ok.any() else 2023
    units = unit_table(res)
    flows = annual_flows(res, hours)
    products, carbon = products_and_carbon(res, hours)

    econ = Economics(cost_year=cost_year, operating_hours_per_y=float(np.median(hours)),
                     reference_product=spec.get("reference_product"), default_maturity=spec["maturity"])
    econ = econ.with_dcf(irr=res.param("economics.irr").astype(float))
    cat = {}
    life = res.param("economics.catalyst_life_y").astype(float)
    for uid, unit in fs.units.items():
        name = CATALYSTS.get(type(unit).__name__)
        r = res.unit_results.get(uid)
        if name and r is not None and "catalyst_kg" in r.utilities:
            inv = np.nan_to_num(r.utilities["catalyst_kg"])
            if name in cat:
                cat[name]["inventory_kg"] = cat[name]["inventory_kg"] + inv
            else:
                cat[name] = {"inventory_kg": inv, "life_y": life}
    # failed cases: feed zeros so that the arithmetic stays finite, then mask
    bad = ~ok
    if bad.any():
        for d in units:
            d["size"] = np.where(bad, np.nanmax(d["size"][ok]) if ok.any() else 1.0, d["size"])
        flows = {k: np.where(bad, 0.0, np.nan_to_num(np.asarray(v, dtype=float))) for k, v in flows.items()}
        products = {k: np.where(bad, 1.0, np.nan_to_num(v)) for k, v in products.items()}
        carbon = {k: {o: np.where(bad, 0.0, np.nan_to_num(v)) for o, v in d.items()} for k, d in carbon.items()}
    pp = res.param("prices.product_eur_per_t").astype(float)
    # default main-product price: mass-weighted prices.yaml prices of its products
    main_t = np.zeros(res.n_cases); main_v = np.zeros(res.n_cases)
    for name, t in _main_product_split(res, hours).items():
        try:
            main_v += t * default_price(f"{name}_eur_per_t")
            main_t += t
        except KeyError:
            main_v += np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        default_main = np.where(main_t > 0, main_v / np.where(main_t > 0, main_t, 1.0), np.nan)
    price = np.where(np.isfinite(pp), pp, default_main)
    import warnings

    from .correlations import CostRangeWarning

    if adjust is not None:
        units, flows, products = adjust(units, flows, products)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CostRangeWarning)
        tea = evaluate_tea(units, flows, products, main_product=spec["main_name"], economics=econ,
                           carbon=carbon, catalysts=cat, product_price_eur_per_t=price,
                           capex_factor=res.param("economics.capex_factor").astype(float))
    # sizes outside a correlation's range are costed as parallel trains: stated in the results
    res.cost_notes = sorted({str(w.message) for w in caught if issubclass(w.category, CostRangeWarning)})
    for w in caught:
        if not issubclass(w.category, CostRangeWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return tea


def economic_kpis(res) -> dict[str, np.ndarray]:
    tea = evaluate(res)
    res.tea = tea
    k = tea.kpis()
    out = {c: k[c].to_numpy(dtype=float, copy=True) for c in k.columns if not c.startswith("n_trains.")}
    bad = ~res.ok
    for v in out.values():
        v[bad] = np.nan
    return out
