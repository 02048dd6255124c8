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
* steam: heat demand by steam up to MP steam's reach minus heat recovered as steam, as MP steam
  (latent heat at 10 bar, 2015 kJ/kg, IAPWS-IF97); a surplus credited by prices.steam_credit_rule;
* cooling water: 10 K rise, 4.18 MJ/(m3 K); feeds chilled below its reach: refrigeration power;
* fired heat and heat above steam's reach: natural gas (LHV) at heat.furnace_efficiency (heat_supply.py).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable

import numpy as np

from ..core.stream import ORIGINS
from ..core.unit import Derived, Param
from ..feedstocks import M_C
from ..units import HOUR, MWH
from .finance import (STEAM_CREDIT_RULES, economics_from_params, finance_params, price_escalation,
                      steam_to_power_default)
from .catalyst_fill import (CATALYST_LIFE_Y, FIRST_FILL_CHOICES, catalyst_fill_cost_rows,
                            catalyst_inventories)
from .correlations import SMALL_SIZE_RULES
from .heat_supply import apply_heat_supply, heat_supply_cost_rows, own_fuel_raises_steam
from .hydrogen import hydrogen_price
from .power_island import settle_steam_turbine, steam_turbine_cost_rows, turbine_condenser_W
from .steam_price import steam_price_default
from .site_utilities import site_utility_cost_rows
from .labour import labour_note, operators_per_shift
from .memo import finite_view, once, stream_flow
from .water import cooling_tower_cost_rows
from .utilities import CW_J_PER_M3, STEAM_LATENT_J_PER_KG, STEAM_SOURCES  # (also re-exported here)

_STEAM_NET = (("steam_heat_W", 1.0), ("steam_raised_W", -1.0))
HEAT_UTILITIES = {
    "steam_import": ("t", _STEAM_NET, STEAM_LATENT_J_PER_KG * 1e3),
    "steam_export": ("t", _STEAM_NET, STEAM_LATENT_J_PER_KG * 1e3),
    "cooling_water": ("m3", (("cooling_W", 1.0),), CW_J_PER_M3),
}
"""Priced utilities that are heat duties of the units: item -> (unit of its annual flow,
((``UnitResult.utilities`` key, sign), ...), J per unit of the flow). Steam is the plant's net
steam (demand minus the steam its units raise): ``steam_import`` where it is positive (bought at
``prices.steam_import_eur_per_t``), ``steam_export`` (negative: a sale) where it is negative,
credited by ``prices.steam_credit_rule``."""

ITEM_ALIASES = {"turton.fixed_tube_hx": "turton.heat_exchanger_fixed_tube"}

CHEMICALS = ("caustic_soda",)
"""Consumables that units report as utilities ``<name>_kg_s`` (not streams, e.g. NaOH of the
flue-gas scrubber: sodium is not a balanced element); annual flow ``<name>_t_per_y``, priced
at prices.yaml ``<name>_eur_per_t``."""

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


def _price_or_error(fid: str) -> float:
    try:
        return feedstock_price(fid)
    except KeyError:
        raise ValueError(f"no default price for feedstock {fid!r} in prices.yaml: set "
                         "prices.feedstock_eur_per_t") from None


def blend_price(blend: str) -> float:
    """Price [EUR per t as received] of a feed blend ``"a:0.6,b:0.4"`` (shares of the dry
    feed): the feedstocks' prices.yaml prices weighted by their mass as received (each at its
    own moisture)."""
    from ..feedstocks import load_feedstocks, parse_blend

    feeds = load_feedstocks()
    ar = {f: w / (1.0 - feeds[f].moisture_ar_wt_pct / 100.0) for f, w in parse_blend(blend).items()}
    return sum(m * _price_or_error(f) for f, m in ar.items()) / sum(ar.values())


def feed_prices(feed) -> np.ndarray:
    """prices.yaml price [EUR/t as received] of each feed in ``feed``: a blend ``"a:0.6,b:0.4"``
    (:func:`blend_price`) or a feedstock id."""
    names = np.array([str(f) for f in np.atleast_1d(feed).tolist()], dtype=object)
    if names.size == 0:
        return np.zeros(0)
    uniq, inv = np.unique(names, return_inverse=True)  # each distinct feed priced once
    prices = np.array([blend_price(f) if ":" in f else _price_or_error(f) for f in uniq], dtype=float)
    return prices[inv.reshape(-1)]


def _feedstock_unit(fs) -> tuple[str, str] | None:
    """(unit id, parameter) the route's feedstock price follows: ``feed`` by convention, its
    ``blend`` where it has one, else its ``feedstock``."""
    units = [u for u in fs.units.values() if getattr(u, "is_feedstock", False) and "feedstock" in u.all_params()]
    if not units:
        return None
    u = next((u for u in units if u.id == "feed"), units[0])
    return u.id, "blend" if "blend" in u.all_params() else "feedstock"


def _product_price_params(main_products) -> dict[str, Param]:
    """``<product>_eur_per_t`` for each main product with a price in prices.yaml."""
    out = {}
    for name in main_products:
        try:
            out[f"{name}_eur_per_t"] = Param(default_price(f"{name}_eur_per_t"), "EUR/t", 0.0, 1e5,
                                             f"price of {name} for the NPV [EUR/t]", source="prices.yaml")
        except KeyError:
            pass
    return out


def _default_hours() -> float:
    from ..data import load_yaml

    return float(load_yaml("tea_defaults.yaml")["operation"]["operating_hours_per_y"]["value"])


def add_economics(fs, main_products: Iterable[str], *, main_name: str | None = None,
                  reference_product: str | None = None, maturity: str = "nth") -> None:
    """Declare a route's economics: parameter groups ``prices`` and ``economics``.

    main_products : product names (``Sink.product``) whose sum is the main product
    main_name : name of the main product in the results (default: the single product name)
    maturity : the default of ``economics.maturity``

    Money: ``prices.*`` are in EUR of ``prices.price_year`` and escalate to
    ``economics.cost_year`` with the euro-area HICP; capital is in EUR of ``economics.cost_year``
    (CEPCI); both through :func:`carbonhub.costing.indices.convert_money`.
    """
    main_products = list(main_products)
    feed_ref = _feedstock_unit(fs)
    feed_price = (Derived(f"prices.yaml feedstock_eur_per_t[{'.'.join(feed_ref)}]", ('.'.join(feed_ref),),
                          feed_prices) if feed_ref else 0.0)
    fs.add_group("prices", {
        "feedstock_eur_per_t": Param(feed_price, "EUR/t", -500.0, 1000.0,
                                     "feedstock price as received [EUR/t] (default: prices.yaml for the "
                                     "feedstock)"),
        "electricity_eur_per_MWh": Param(default_price("electricity_eur_per_MWh"), "EUR/MWh", 0.0, 1000.0,
                                         "electricity price [EUR/MWh]", source="prices.yaml"),
        "co2_eur_per_t": Param(default_price("co2_eu_ets_eur_per_t"), "EUR/t", 0.0, 1000.0,
                               "price of fossil CO2 emitted (EU ETS) [EUR/t]", source="prices.yaml"),
        "co2_storage_eur_per_t": Param(default_price("co2_transport_storage_eur_per_t"), "EUR/t", 0.0, 500.0,
                                       "CO2 transport and storage [EUR/t]", source="prices.yaml"),
        **_product_price_params(main_products),
        "steam_import_eur_per_t": Param(steam_price_default(), "EUR/t", 0.0, 500.0, "steam bought (MP, 10 bar) "
                                        "[EUR/t] (default: prices.yaml at co2_eur_per_t, costing/steam_price.py)"),
        "steam_export_eur_per_t": Param(steam_price_default(), "EUR/t", 0.0, 500.0, "surplus steam sold to an "
                                        "off-taker [EUR/t] (rule 'offtaker'; default as steam_import_eur_per_t)"),
        "steam_credit_rule": Param("none", "choice", doc="credit for surplus steam: none (default, "
                                   "conservative), condensing_turbine (power at the electricity price), "
                                   "offtaker (sold at steam_export_eur_per_t), power_island (all the raised steam "
                                   "through an extraction-condensing turbine, costing/power_island.py)",
                                   choices=STEAM_CREDIT_RULES),
        "steam_to_power_MWh_per_t": Param(steam_to_power_default(), "MWh/t", 0.0, 0.5,
                                          "electricity from 1 t of surplus MP steam in a condensing turbine [MWh/t]"),
        "steam_island_P": Param(4.0e6, "Pa", 10e5, 1.6e7,
                                "throttle pressure of the power island (rule power_island) [Pa] (default: "
                                "40 bar, the steam of the route's syngas cooler, SyngasCooler.P_steam)"),
        "steam_island_T": Param(673.15, "K", 373.15, 873.15,
                                "throttle temperature of the power island (rule power_island) [K]; saturated "
                                "steam at or below saturation (default: 400 degC, the superheated HP steam of "
                                "prices.yaml steam_hp_eur_per_t, DEA)"),
        "price_year": Param(2023.0, "", 1996.0, 2024.0,
                            "year of the prices.* values and prices.yaml defaults (escalated to "
                            "economics.cost_year with the HICP)"),
    })
    fs.add_group("economics", {
        "operating_hours": Param(_default_hours(), "h", 1000.0, 8760.0,
                                 "on-stream hours per year [h] (default: tea_defaults.yaml)"),
        "capex_factor": Param(1.0, "", 0.1, 10.0, "multiplier on every installed cost [-]"),
        "catalyst_life_y": Param(CATALYST_LIFE_Y, "", 0.25, 20.0, "catalyst replacement interval [y]"),
        "catalyst_first_fill": Param("capital", "choice", doc="first catalyst charge: capital (bought with "
                                     "the plant, fixed capital without factors; NETL QGESS owner's cost) "
                                     "or none (only the replacements counted)", choices=FIRST_FILL_CHOICES),
        "cost_year": Param(2023.0, "", 1990.0, 2023.0, "year of all costs (CEPCI, price index, exchange rate)"),
        "small_size_rule": Param("capacity_exponent", "choice", doc="item below its cost correlation's range: capacity_"
                                 "exponent C(S_min)(S/S_min)^n or range_minimum C(S_min)", choices=SMALL_SIZE_RULES),
        **finance_params(maturity),
    })
    from .ghg_params import add_ghg_params
    from .heat_supply import add_heat_params
    from .hydrogen import add_hydrogen_params
    from .water import add_water_params

    add_ghg_params(fs)  # emission factors for CO2 avoided (group ghg)
    add_hydrogen_params(fs)  # a route that buys hydrogen: its origin, price and emission factor
    add_heat_params(fs)  # heat.dt_min for pinch targeting
    add_water_params(fs)  # water reuse, cooling tower and effluent limits (group water)
    fs.economics_spec = {"main_products": main_products,
                         "main_name": main_name or (main_products[0] if len(main_products) == 1 else "main_product"),
                         "reference_product": reference_product, "maturity": maturity}
    # keep costing import-time light: the TEA is evaluated lazily by SimulationResult.kpis


def _cost_year(res) -> int:
    """The one cost year of a simulation's cases (``economics.cost_year``; 2023 if none is ok)."""
    ok = res.ok
    cy = res.param("economics.cost_year").astype(float)
    if ok.any() and not (cy[ok] == cy[ok][0]).all():
        raise ValueError("economics.cost_year must be the same in all cases of a simulation")
    return int(cy[ok][0]) if ok.any() else 2023


def _item(c) -> str:
    return ITEM_ALIASES.get(c.item, c.item)


def _cost_rows(res) -> list[dict]:
    """One row per cost declaration in use: unit_id, item, size, maturity, active (per case:
    0 where a ``Cost.when`` choice does not hold), scope and includes (reference-plant blocks)."""
    from . import correlations as cor

    fs = res.flowsheet
    n = res.n_cases
    rows = []
    for uid, unit in fs.units.items():
        r = res.unit_results.get(uid)
        if r is None:
            continue
        for k, c in enumerate(unit.costs):
            if c.size not in r.design:
                raise KeyError(f"{uid}: cost declaration needs design result {c.size!r}; "
                               f"design results: {', '.join(r.design)}")
            size = finite_view(r.design[c.size])
            active = np.ones(n)
            if c.when is not None:
                param, choices = c.when
                val = np.broadcast_to(np.asarray(res.param(f"{uid}.{param}")).astype(str), (n,))
                active = np.isin(val, [str(x) for x in choices]).astype(float)
            if not ((size > 0) & (active > 0)).any():
                continue  # unit not costed by this item in any case (an empty bypass, other choice)
            # a case where the unit is absent (size 0) costs nothing, as it does alone; its size
            # only needs to be valid for the correlation (the batch's largest, times active 0)
            present = (size > 0) & (active > 0)
            active = active * (size > 0)
            size = np.where(size > 0, size, size[size > 0].max())
            item = _item(c)
            scope, includes = getattr(unit, "cost_scope", None), ()
            if item.startswith("ref."):
                entry = cor.reference_plant(item[4:])
                scope = scope or cor.entry_scope(item[4:], entry)
                includes = tuple(entry.get("includes") or ())
            row = {"unit_id": uid if k == 0 else f"{uid}.{k}", "item": item, "size": size,
                   "maturity": getattr(unit, "maturity", None), "active": active,
                   "scope": scope, "includes": includes, "present": present}
            if c.pressure is not None:
                row["pressure_barg"] = np.maximum(finite_view(r.design[c.pressure]), 0.0)
                if "vessel" in item or "tower" in item:  # the pressure factor needs a diameter
                    d = r.design.get("diameter_m")
                    row.setdefault("params", {})["diameter_m"] = (
                        np.asarray(d, dtype=float) if d is not None and "vessel" in item
                        else (4.0 * size / (3.0 * np.pi)) ** (1.0 / 3.0))  # L/D = 3 where not designed
            if c.material is not None:
                row["material"] = c.material
            if c.size_unit is not None:
                row["size_unit"] = c.size_unit
            if "quantity " in c.label:  # e.g. trays: "per tray; quantity n_trays"
                qkey = c.label.split("quantity ", 1)[1].strip()
                row.setdefault("params", {})["n_trays"] = (np.maximum(finite_view(r.design[qkey]), 1.0))
            rows.append(row)
    rows.extend(heat_supply_cost_rows(res))  # electric boiler / heat pump (heat.hot_utility)
    pre = (annual_flows(res, res.param("economics.operating_hours").astype(float), island=False)
           if "prices" in fs.groups else None)  # before the power island settles them
    cond = turbine_condenser_W(res, pre) if pre is not None else 0.0  # the steam turbine's condenser
    rows.extend(cooling_tower_cost_rows(res, cond))  # the site's cooling tower and its pumps
    rows.extend(site_utility_cost_rows(res, cond))  # plant/instrument air, fire water, process water
    rows.extend(catalyst_fill_cost_rows(res, _cost_year(res)))  # first catalyst charges
    if pre is not None:  # the condensing turbine of the steam credit (power_island.py)
        rows.extend(steam_turbine_cost_rows(res, pre))
    return rows


def unit_table(res) -> list[dict]:
    """The cost rows of :func:`_cost_rows` with the scope rule applied: a row whose scope is
    inside another row's block (``includes``) costs zero in the cases where that block is
    costed, and ``included_in`` names the unit that holds its cost ('' where costed here)."""
    from .areas import OSBL_AREAS, unit_areas
    from .scope import apply_scope_rule, batch_rule

    rows = _cost_rows(res)
    n = res.n_cases
    areas = unit_areas(res.flowsheet)
    rule = batch_rule(np.broadcast_to(np.asarray(res.param("economics.small_size_rule")).astype(str), (n,)))
    for row in rows:
        row["small_size_rule"] = rule
        # a costing row with no unit of its own: the area it states (a catalyst fill), else utilities
        row["area"] = areas.get(row["unit_id"].split(".")[0], row.get("area") or "utilities")
        row["osbl"] = row["area"] in OSBL_AREAS
    return apply_scope_rule(rows, n)


def annual_flows(res, hours: np.ndarray, island: bool = True) -> dict[str, np.ndarray]:
    """The plant's priced annual flows per case (``<name>_<unit>_per_y``, with per-case prices
    ``<name>_price_eur_per_<unit>``). ``island=False``: before the steam credit's turbine settles
    them (power_island.py ``settle_steam_turbine``: the island's steam and electricity under
    ``power_island``, the condenser's cooling water under both turbine rules).
    Evaluated once per result, hours and island (:func:`carbonhub.costing.memo.once`); each
    call gets its own dict of the same arrays."""
    hours = np.asarray(hours, dtype=float)
    key = ("annual_flows", bool(island), hours.shape, hours.tobytes())
    return dict(once(res, key, lambda: _annual_flows(res, hours, island)))


def _annual_flows(res, hours: np.ndarray, island: bool) -> dict[str, np.ndarray]:
    from ..core.boundary import boundary

    fs = res.flowsheet
    cs = fs.components
    s_per_y = hours * HOUR
    n = res.n_cases
    z = np.zeros(n)
    power = z.copy(); fired = z.copy()
    pw = z.copy(); demin = z.copy()
    heat = {name: z.copy() for name in HEAT_UTILITIES}
    for r in res.unit_results.values():
        power += finite_view(r.power)
        u = r.utilities
        for name, (_, terms, _) in HEAT_UTILITIES.items():
            for key, sign in terms:
                if key in u:  # an absent utility adds nothing
                    heat[name] += sign * finite_view(u[key])
        for key, acc in (("fired_heat_W", fired), ("process_water_kg_s", pw), ("demin_water_kg_s", demin)):
            if key in u:
                acc += finite_view(u[key])
    elec = power * s_per_y / MWH
    flows = {
        "electricity_MWh_per_y": np.maximum(elec, 0.0),
        "electricity_export_MWh_per_y": np.minimum(elec, 0.0),
        **{f"{name}_{unit}_per_y": heat[name] / j_per_unit * s_per_y
           for name, (unit, _, j_per_unit) in HEAT_UTILITIES.items()},
        "natural_gas_MWh_per_y": fired * s_per_y / MWH,
        "process_water_m3_per_y": pw * s_per_y / 1000.0,
        "demin_water_m3_per_y": demin * s_per_y / 1000.0,
    }
    for c in CHEMICALS:
        used = [finite_view(r.utilities[f"{c}_kg_s"]) for r in res.unit_results.values()
                if f"{c}_kg_s" in r.utilities]
        if used:
            flows[f"{c}_t_per_y"] = sum(used) * s_per_y / 1000.0
    src, snk = boundary(res)
    feed_t = z.copy(); feed_cost = z.copy()
    ico2 = cs.index("CO2") if "CO2" in cs else None
    fossil = [ORIGINS.index("fossil"), ORIGINS.index("recycled")]
    pf = res.param("prices.feedstock_eur_per_t").astype(float)
    feed_ref = _feedstock_unit(res.flowsheet)
    for u, s in src:
        t_y = stream_flow(res, s, "mass_flow") * s_per_y / 1000.0
        if getattr(u, "is_feedstock", False):
            # the route's feed at prices.feedstock_eur_per_t; another feedstock unit at the
            # prices.yaml price of the blend (or feedstock) each case used
            if feed_ref is not None and u.id == feed_ref[0]:
                price = pf
            else:
                used = res.unit_results[u.id].design.get("blend")
                price = feed_prices(np.broadcast_to(np.asarray(
                    used if used is not None else res.param(f"{u.id}.feedstock")).astype(str), (n,)))
            feed_t += t_y
            feed_cost += t_y * price
        else:
            cat = getattr(u, "category", "utility")
            if cat == "process_water":
                flows["process_water_m3_per_y"] = flows["process_water_m3_per_y"] + t_y
            elif cat == "natural_gas":
                flows["natural_gas_MWh_per_y"] = flows["natural_gas_MWh_per_y"] + stream_flow(res, s, "lhv") * s_per_y / MWH
            elif cat not in ("utility", "air"):
                flows[f"{cat}_t_per_y"] = flows.get(f"{cat}_t_per_y", z) + t_y
    with np.errstate(invalid="ignore", divide="ignore"):
        flows["feedstock_t_per_y"] = feed_t
        flows["feedstock_price_eur_per_t"] = np.where(feed_t > 0, feed_cost / np.where(feed_t > 0, feed_t, 1), 0.0)
    ww = z.copy(); co2_f = z.copy(); co2_s = z.copy()
    for u, s in snk:
        cat = getattr(u, "category", "other")
        if cat == "wastewater" and not getattr(u, "treated_on_site", False):
            # an effluent of the route's own treatment plant is not priced as treatment again
            ww += stream_flow(res, s, "mass_flow") * s_per_y / 1000.0
        if ico2 is not None and cat in ("emission", "co2_storage"):
            t = s.flow[:, ico2] * cs.molar_mass[ico2] * s_per_y / 1000.0
            if cat == "emission":
                co2_f += t * s.origin[:, fossil].sum(axis=1)
            else:
                co2_s += t
    flows["wastewater_m3_per_y"] = ww
    flows["co2_fossil_emitted_t_per_y"] = co2_f
    flows["co2_stored_t_per_y"] = co2_s
    # process steam taken from the steam system (sources of category steam_mp, e.g. gasifier
    # and shift steam) is part of the plant's net steam balance
    net = flows["steam_import_t_per_y"] + sum(flows.pop(f"{c}_t_per_y", z) for c in STEAM_SOURCES)
    flows["steam_import_t_per_y"] = np.maximum(net, 0.0)
    flows["steam_export_t_per_y"] = np.minimum(net, 0.0)
    # heat utilities by heat_supply.py: steam's reach, furnace efficiency, refrigeration, heat.* choices
    apply_heat_supply(res, flows, s_per_y)
    # a route whose own fuel (e.g. the pyrolysis heater burning its gas and char) gives more heat
    # than it needs (net fired heat < 0) first raises its own steam with it (heat_supply
    # own_fuel_raises_steam), buys no natural gas and sells what is left as fuel to the site's
    # fuel-gas network at the natural-gas price (LHV of the heat it displaces): its own MSP line,
    # ``fuel_gas_export``, apart from the gas bought and from surplus steam
    t_to_MWh = STEAM_LATENT_J_PER_KG * 1e3 / MWH
    steam, gas, _ = own_fuel_raises_steam((flows["steam_import_t_per_y"] + flows["steam_export_t_per_y"]) * t_to_MWh,
                                          flows["natural_gas_MWh_per_y"])
    flows["steam_import_t_per_y"] = np.maximum(steam, 0.0) / t_to_MWh
    flows["steam_export_t_per_y"] = np.minimum(steam, 0.0) / t_to_MWh
    flows["natural_gas_MWh_per_y"] = np.maximum(gas, 0.0)
    flows["fuel_gas_export_MWh_per_y"] = np.minimum(gas, 0.0)
    elec_p = res.param("prices.electricity_eur_per_MWh").astype(float)
    flows["electricity_price_eur_per_MWh"] = elec_p
    flows["electricity_export_price_eur_per_MWh"] = elec_p
    flows["steam_import_price_eur_per_t"] = res.param("prices.steam_import_eur_per_t").astype(float)
    rule = np.broadcast_to(np.asarray(res.param("prices.steam_credit_rule")).astype(str), (n,))
    flows["steam_export_price_eur_per_t"] = np.select(
        [rule == "condensing_turbine", rule == "offtaker"],
        [res.param("prices.steam_to_power_MWh_per_t").astype(float) * elec_p,
         res.param("prices.steam_export_eur_per_t").astype(float) + z], 0.0)
    flows["co2_fossil_emitted_price_eur_per_t"] = res.param("prices.co2_eur_per_t").astype(float)
    flows["co2_stored_price_eur_per_t"] = res.param("prices.co2_storage_eur_per_t").astype(float)
    if "hydrogen_t_per_y" in flows and (h2_price := hydrogen_price(res)) is not None:
        flows["hydrogen_price_eur_per_t"] = h2_price  # costing/hydrogen.py: by prices.hydrogen_origin
    if island:  # the steam credit's turbine: the power island's steam and power, its condenser's cooling water
        settle_steam_turbine(res, flows, s_per_y)
    return flows


def products_and_carbon(res, hours):
    from ..core.boundary import boundary

    fs = res.flowsheet
    cs = fs.components
    spec = fs.economics_spec
    s_per_y = hours * HOUR
    n = res.n_cases
    src, snk = boundary(res)
    products: dict[str, np.ndarray] = {}
    main = np.zeros(n)
    carbon = {k: {o: np.zeros(n) for o in ORIGINS} for k in ("feed", "products", "emitted", "captured", "main_product")}
    tC = M_C * s_per_y / 1000.0  # mol C/s -> t C/y
    def add(key, cbo):  # a stream's carbon by origin (n, 4) [mol C/s], computed once per stream
        for j, o in enumerate(ORIGINS):
            carbon[key][o] += cbo[:, j] * tC
    for u, s in src:
        add("feed", stream_flow(res, s, "carbon_by_origin"))
    ico2 = cs.index("CO2") if "CO2" in cs else None
    for u, s in snk:
        cat = getattr(u, "category", "other")
        if cat in ("product", "byproduct"):
            t_y = stream_flow(res, s, "mass_flow") * s_per_y / 1000.0
            name = u.product or u.id
            cbo = stream_flow(res, s, "carbon_by_origin")
            if name in spec["main_products"]:
                main += t_y
                add("main_product", cbo)
            else:
                products[name] = products.get(name, np.zeros(n)) + t_y
            add("products", cbo)
        elif ico2 is not None and cat in ("emission", "co2_storage"):
            key = "emitted" if cat == "emission" else "captured"
            for j, o in enumerate(ORIGINS):
                carbon[key][o] += s.flow[:, ico2] * s.origin[:, j] * tC
    products[spec["main_name"]] = main
    return products, carbon


def main_product_split(res, hours) -> dict[str, np.ndarray]:
    """t/y of each product that makes up the main product."""
    from ..core.boundary import boundary

    spec = res.flowsheet.economics_spec
    out: dict[str, np.ndarray] = {}
    for u, s in boundary(res)[1]:
        name = getattr(u, "product", None)
        if getattr(u, "category", "") in ("product", "byproduct") and name in spec["main_products"]:
            out[name] = out.get(name, 0.0) + finite_view(stream_flow(res, s, "mass_flow")) * hours * 3.6
    return out


def main_product_price(res, split: dict[str, np.ndarray]) -> np.ndarray:
    """Price [EUR/t, of prices.price_year] of the main product per case: the
    ``prices.<product>_eur_per_t`` of its products weighted by their mass ``split``
    (:func:`main_product_split`); NaN where a product has no price (the NPV is then undefined)."""
    main_t = np.zeros(res.n_cases)
    main_v = np.zeros(res.n_cases)
    group = res.flowsheet.groups["prices"].params
    for name, t in split.items():
        key = f"{name}_eur_per_t"
        main_v = main_v + t * (res.param(f"prices.{key}").astype(float) if key in group else np.nan)
        main_t = main_t + t
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(main_t > 0, main_v / np.where(main_t > 0, main_t, 1.0), np.nan)


def evaluate(res, adjust=None):
    """TEAResult for a simulation result (all cases; failed cases give NaN).

    ``adjust``, optional: ``adjust(units, flows, products) -> (units, flows, products)`` changes
    the inputs of :func:`~carbonhub.costing.tea.evaluate_tea` (the unit table, annual flows and
    products, as built here) just before the evaluation, e.g. other unit sizes, added units or
    an electricity bill of flexible operation (:mod:`carbonhub.flex`). The result is returned,
    not stored on ``res``."""
    from .tea import evaluate_tea

    fs = res.flowsheet
    if not hasattr(fs, "economics_spec"):
        raise ValueError(f"flowsheet {fs.name!r} has no economics: call costing.add_economics(fs, ...)")
    spec = fs.economics_spec
    hours = res.param("economics.operating_hours").astype(float)
    ok = res.ok
    cost_year = _cost_year(res)
    units = unit_table(res)
    flows = annual_flows(res, hours)
    products, carbon = products_and_carbon(res, hours)

    econ = economics_from_params(res, spec, cost_year, hours)
    econ = replace(econ, operators_per_shift=operators_per_shift(res, units))
    # prices.* are in EUR of prices.price_year: escalate them to the cost year (HICP)
    k_price = price_escalation(res, cost_year)
    for key in [k for k in flows if "_price_eur_per_" in k]:
        flows[key] = flows[key] * k_price
    cat = catalyst_inventories(res)
    # failed cases: feed zeros so that the arithmetic stays finite, then mask
    bad = ~ok
    if bad.any():
        for d in units:
            d["size"] = np.where(bad, np.nanmax(d["size"][ok]) if ok.any() else 1.0, d["size"])
            for key, v in (d.get("params") or {}).items():  # e.g. a vessel's diameter_m
                if np.ndim(v):
                    v = np.asarray(v, dtype=float)
                    d["params"][key] = np.where(bad, np.nanmax(v[ok]) if ok.any() else 1.0, v)
        flows = {k: np.where(bad, 0.0, np.nan_to_num(np.asarray(v, dtype=float))) for k, v in flows.items()}
        products = {k: np.where(bad, 1.0, np.nan_to_num(v)) for k, v in products.items()}
        carbon = {k: {o: np.where(bad, 0.0, np.nan_to_num(v)) for o, v in d.items()} for k, d in carbon.items()}
    price = main_product_price(res, main_product_split(res, hours))
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
    if (note := labour_note(res)) is not None:
        res.cost_notes.append(note)
    for w in caught:
        if not issubclass(w.category, CostRangeWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return tea


def economic_kpis(res) -> dict[str, np.ndarray]:
    tea = evaluate(res)
    res.tea = tea
    k = tea.kpi_columns()  # the columns of tea.kpis(), without building the table
    # carbon leaving as other than products and CO2 is split by the physical KPIs (solid residue
    # and other, t C/y): the costing's lump sum is not repeated
    out = {c: np.array(v, dtype=float) for c, v in k.items()
           if not c.startswith("n_trains.") and c != "carbon_not_co2_tC_per_y"}
    bad = ~res.ok
    for v in out.values():
        v[bad] = np.nan
    return out
