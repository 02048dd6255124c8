"""Operating costs: fixed OPEX (labour, maintenance, insurance and taxes) and variable OPEX
(feedstocks, utilities, catalysts, chemicals, CO2 price and storage) from annual flows.

Arrays of shape ``(n_cases,)``; one Python loop over the *flow names* (a dozen), never over
cases.

Flow names and prices
    A flow is named ``"<name>_<unit>_per_y"`` with unit one of t, kg, MWh, GJ, m3, Nm3, MMBtu
    (e.g. ``"electricity_MWh_per_y"``, ``"steam_lp_t_per_y"``,
    ``"feedstock_wood_chips_t_per_y"``). Its price [EUR per unit] is, in this order:

    1. ``"<name>_price_eur_per_<unit>"`` in the flows dict itself (per-case array or scalar);
    2. ``prices["<name>_eur_per_<unit>"]`` passed by the caller;
    3. property_data/prices.yaml ``items["<alias>_eur_per_<unit>"]`` (or ``_usd_per_``,
       converted at the price's year), where ``<alias>`` maps carbonhub flow names onto price
       names (tea_defaults.yaml ``price_aliases``: ``wastewater`` -> ``wastewater_treatment``,
       ``co2_fossil_emitted`` -> ``co2_eu_ets``, ``co2_stored`` -> ``co2_transport_storage``,
       a ``null`` alias = no cost, e.g. biogenic CO2 emitted);
    4. for ``feedstock_<id>``: prices.yaml ``feedstock_eur_per_t[<id>]`` (as received).

    A negative quantity is a sale at the same price (e.g. electricity export). A missing price
    raises a ValueError naming the flow and the keys that were tried.

Example
-------
>>> import numpy as np
>>> from carbonhub.costing.opex import variable_opex, fixed_opex
>>> v = variable_opex({"electricity_MWh_per_y": np.array([1000.0, 2000.0]),
...                    "electricity_price_eur_per_MWh": 100.0})
>>> v["electricity"].tolist(), v["total"].tolist()
([100000.0, 200000.0], [100000.0, 200000.0])
>>> f = fixed_opex(fci=100e6, isbl_installed=50e6, operators_per_shift=5)
>>> round(float(f["total"]) / 1e6, 3)
4.506

References
----------
.. [1] Humbird, D. et al. (2011). NREL/TP-5100-47764, doi:10.2172/1013269 (labour burden 90 %,
   maintenance 3 % of ISBL, property insurance and local taxes 0.7 % of FCI).
.. [2] Turton, R. et al. (2012). Analysis, Synthesis, and Design of Chemical Processes, 4th ed.,
   ISBN 978-0-13-261812-0, Section 8.3 (operators per shift, Eq. 8.3; 4.5 operators per
   position).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Mapping

import numpy as np

from carbonhub.data import load_yaml

__all__ = [
    "FLOW_UNITS",
    "operators_per_shift_turton",
    "fixed_opex",
    "price_of",
    "variable_opex",
    "catalyst_replacement_kg_per_y",
]

FLOW_UNITS = ("t", "kg", "MWh", "GJ", "m3", "Nm3", "MMBtu")
_FLOW_RE = re.compile(r"^(?P<name>.+)_(?P<unit>" + "|".join(FLOW_UNITS) + r")_per_y$")
_PRICE_RE = re.compile(r"_price_eur_per_(" + "|".join(FLOW_UNITS) + r")$")


@lru_cache(maxsize=1)
def _tea() -> dict:
    return load_yaml("tea_defaults.yaml")


@lru_cache(maxsize=1)
def _prices() -> dict:
    return load_yaml("prices.yaml")


def _fx(key: str) -> float:
    return float(_tea()["fixed_opex"][key]["value"])


def operators_per_shift_turton(n_solids_steps=0, n_fluid_steps=0):
    """Operators per shift N_OL [-] (Turton et al. 2012, Eq. 8.3).

    ``N_OL = (6.29 + 31.7 P^2 + 0.23 N_np)^0.5``

    Parameters
    ----------
    n_solids_steps : int or ndarray
        Processing steps handling particulate solids, P (Turton: P <= 2).
    n_fluid_steps : int or ndarray
        Non-particulate steps N_np: compressors, towers, reactors, heaters, exchangers (not
        pumps or vessels).

    Example
    -------
    >>> round(float(operators_per_shift_turton(1, 10)), 3)
    6.347
    """
    p = np.asarray(n_solids_steps, dtype=float)
    nnp = np.asarray(n_fluid_steps, dtype=float)
    if np.any(p < 0) or np.any(nnp < 0):
        raise ValueError(f"step counts must be >= 0, got P={n_solids_steps!r}, "
                         f"N_np={n_fluid_steps!r}")
    return np.sqrt(6.29 + 31.7 * p * p + 0.23 * nnp)


def fixed_opex(fci, isbl_installed, *, operators_per_shift, operators_hired_per_position=None,
               salary_eur_per_y=None, labour_burden_frac=None, maintenance_frac_isbl=None,
               insurance_tax_frac_fci=None, other_fixed_eur_per_y=0.0) -> dict[str, np.ndarray]:
    """Fixed operating costs [EUR/y].

    labour = operators per shift x operators hired per position x salary;
    labour burden (benefits, supervision, overhead) = burden x labour;
    maintenance = fraction x ISBL installed cost; insurance & local taxes = fraction x FCI.

    Parameters
    ----------
    fci : float or ndarray, shape (n_cases,)
        Fixed capital investment [EUR].
    isbl_installed : float or ndarray
        ISBL installed equipment cost [EUR] (maintenance base).
    operators_per_shift : float or ndarray
        Operator positions per shift [-] (e.g. :func:`operators_per_shift_turton`).
    operators_hired_per_position : float, optional
        Operators employed per position for continuous operation (default 4.5, Turton).
    salary_eur_per_y : float or ndarray, optional
        Gross wage per operator [EUR/y] (default CBS 2023 manufacturing, tea_defaults.yaml).
    labour_burden_frac, maintenance_frac_isbl, insurance_tax_frac_fci : float, optional
        Defaults from tea_defaults.yaml (Humbird et al. 2011: 0.90, 0.03, 0.007).
    other_fixed_eur_per_y : float or ndarray
        Any further fixed cost (land rent, licences) [EUR/y].

    Returns
    -------
    dict
        labour, labour_burden, maintenance, insurance_tax, other_fixed, total [EUR/y].
    """
    def d(v, key):
        return _fx(key) if v is None else v

    ops = np.asarray(operators_per_shift, dtype=float)
    if np.any(ops < 0):
        raise ValueError(f"operators_per_shift must be >= 0, got {operators_per_shift!r}")
    labour = ops * d(operators_hired_per_position, "operators_hired_per_position") * \
        d(salary_eur_per_y, "operator_salary_eur_per_y")
    out = {
        "labour": np.asarray(labour, dtype=float),
        "labour_burden": d(labour_burden_frac, "labour_burden_frac") * labour,
        "maintenance": d(maintenance_frac_isbl, "maintenance_frac_isbl")
        * np.asarray(isbl_installed, dtype=float),
        "insurance_tax": d(insurance_tax_frac_fci, "insurance_tax_frac_fci")
        * np.asarray(fci, dtype=float),
        "other_fixed": np.asarray(other_fixed_eur_per_y, dtype=float),
    }
    out["total"] = sum(out.values())
    return out


def catalyst_replacement_kg_per_y(inventory_kg, life_y):
    """Average catalyst consumption [kg/y] = inventory / replacement interval.

    Parameters
    ----------
    inventory_kg : float or ndarray
        Catalyst charge [kg].
    life_y : float or ndarray
        Replacement interval [y] (> 0).
    """
    life = np.asarray(life_y, dtype=float)
    if np.any(life <= 0):
        raise ValueError(f"catalyst replacement interval must be > 0 years, got {life_y!r}")
    return np.asarray(inventory_kg, dtype=float) / life


def price_of(name: str, unit: str, prices: Mapping[str, object] | None = None,
             flows: Mapping[str, object] | None = None, cost_year: int | None = None):
    """Price [EUR per unit] of flow ``name`` (see the module docstring for the lookup order).

    A prices.yaml price is moved from its own year (and currency) to EUR of ``cost_year``
    with :func:`~carbonhub.costing.indices.convert_money` (operating: price index, then the
    cost year's exchange rate); without ``cost_year`` it stays in its own year (USD converted
    at that year's rate). Prices given in ``flows`` or ``prices`` are taken as they are.

    Returns None if the alias table says the flow has no cost. Raises ValueError if no price
    is found.
    """
    from carbonhub.costing.indices import convert_money

    def money(v: float, cur: str, year) -> float:
        if year is None:
            if cur == "EUR":
                return v
            raise ValueError(f"prices.yaml: the USD price of flow {name!r} has no year")
        return float(convert_money(v, cur, year, to_currency="EUR",
                                   to_year=year if cost_year is None else cost_year, kind="operating"))

    key = f"{name}_price_eur_per_{unit}"
    if flows is not None and key in flows:
        return flows[key]
    pkey = f"{name}_eur_per_{unit}"
    if prices is not None and pkey in prices:
        return prices[pkey]
    aliases = _tea().get("price_aliases", {})
    alias = aliases.get(name, name)
    if name in aliases and alias is None:
        return None
    items = _prices().get("items", {})
    tried = [key, pkey]
    for cur in ("eur", "usd"):
        k = f"{alias}_{cur}_per_{unit}"
        tried.append(f"prices.yaml items.{k}")
        if k in items:
            it = items[k]
            return money(float(it["value"]), cur.upper(), it.get("year"))
    if alias.startswith("feedstock_") and unit == "t":
        feed = alias[len("feedstock_"):]
        table = _prices().get("feedstock_eur_per_t", {})
        tried.append(f"prices.yaml feedstock_eur_per_t.{feed}")
        if feed in table:
            return money(float(table[feed]["value"]), "EUR", table[feed].get("year"))
    raise ValueError(f"no price for flow '{name}_{unit}_per_y'; tried {tried}. Give "
                     f"flows['{key}'] or prices['{pkey}']")


def variable_opex(flows: Mapping[str, object], prices: Mapping[str, object] | None = None,
                  cost_year: int | None = None) -> dict[str, np.ndarray]:
    """Variable operating costs [EUR/y] of every priced flow, plus ``total``.

    Parameters
    ----------
    flows : mapping
        ``"<name>_<unit>_per_y"`` -> quantity per year (scalar or (n_cases,)), and optional
        per-case price overrides ``"<name>_price_eur_per_<unit>"``. Other keys raise an error
        (so that a misspelt flow is never silently free).
    prices : mapping, optional
        ``"<name>_eur_per_<unit>"`` -> price, taking precedence over prices.yaml.
    cost_year : int, optional
        Year of the result: prices.yaml prices are escalated to it (see :func:`price_of`).

    Returns
    -------
    dict
        ``{name: cost [EUR/y]}`` for each flow, and ``"total"``.
    """
    out: dict[str, np.ndarray] = {}
    for key, qty in flows.items():
        if _PRICE_RE.search(key):
            base = _PRICE_RE.sub("", key)
            unit = _PRICE_RE.search(key).group(1)
            if f"{base}_{unit}_per_y" not in flows:
                raise ValueError(f"price {key!r} given without its flow '{base}_{unit}_per_y'")
            continue
        m = _FLOW_RE.match(key)
        if m is None:
            raise ValueError(f"flow name {key!r} not understood: expected '<name>_<unit>_per_y' "
                             f"with unit in {FLOW_UNITS}, or '<name>_price_eur_per_<unit>'")
        name, unit = m.group("name"), m.group("unit")
        q = np.asarray(qty, dtype=float)
        if np.any(~np.isfinite(q)):
            raise ValueError(f"flow {key!r} has non-finite values")
        p = price_of(name, unit, prices, flows, cost_year)
        out[name] = np.zeros_like(q) if p is None else q * np.asarray(p, dtype=float)
    out["total"] = sum(out.values(), np.asarray(0.0))
    return out
