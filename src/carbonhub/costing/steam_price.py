"""The price of MP steam bought and sold follows the case's CO2 price (issue 13 item 3).

prices.yaml ``steam_mp_eur_per_t`` (65.87 EUR/t of 2023) is the cash cost of steam from a
gas-fired boiler: fuel + the boiler's CO2 at the EU ETS price + O&M. Its CO2 part is the steam's
emission factor (co2_references.yaml ``utilities.steam_ef_t_per_t``, 0.1425 t CO2/t: 2.540 GJ of
gas per t x the IPCC 0.0561 t/GJ) times the ETS price the sum was built with (prices.yaml
``co2_eu_ets_eur_per_t``, 73.27 EUR/t). A route's ``prices.steam_import_eur_per_t`` and
``prices.steam_export_eur_per_t`` are derived per case from ``prices.co2_eur_per_t``, the way
``costing.hydrogen`` derives the grey-hydrogen price::

    price = steam_mp_eur_per_t + steam_ef_t_per_t x (prices.co2_eur_per_t - co2_eu_ets_eur_per_t)

so the default case pays the prices.yaml price to the cent, and a sweep of the CO2 price moves
steam by 0.1425 EUR/t per EUR/t CO2 (the supplier's boiler is an EU ETS installation and passes
its allowances on). A price set by the user is used as given.

Example
-------
>>> from carbonhub.costing.steam_price import steam_price_eur_per_t
>>> round(float(steam_price_eur_per_t(73.27)), 2), round(float(steam_price_eur_per_t(173.27)), 2)
(65.87, 80.12)
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..core.unit import Derived
from ..data import load_yaml

__all__ = ["steam_price_eur_per_t", "steam_price_default", "STEAM_PRICE_SOURCE"]

STEAM_PRICE_SOURCE = ("costing.steam_price: prices.yaml steam_mp_eur_per_t + co2_references.yaml steam_ef_t_per_t"
                      " x (prices.co2_eur_per_t - prices.yaml co2_eu_ets_eur_per_t)")


@lru_cache(maxsize=1)
def _figures() -> tuple[float, float, float]:
    """(MP steam price [EUR/t], the ETS price it holds [EUR/t CO2], steam factor [t CO2/t])."""
    items = load_yaml("prices.yaml")["items"]
    ef = load_yaml("co2_references.yaml")["utilities"]["steam_ef_t_per_t"]["value"]
    return (float(items["steam_mp_eur_per_t"]["value"]), float(items["co2_eu_ets_eur_per_t"]["value"]), float(ef))


def steam_price_eur_per_t(co2_eur_per_t) -> np.ndarray:
    """Price of MP steam [EUR/t, EUR of the prices.yaml year] at the CO2 price
    ``co2_eur_per_t`` [EUR/t CO2] (per case; module docstring)."""
    price, ets, ef = _figures()
    return price + ef * (np.asarray(co2_eur_per_t, dtype=float) - ets)


def steam_price_default() -> Derived:
    """The Derived default of ``prices.steam_import_eur_per_t`` / ``steam_export_eur_per_t``."""
    return Derived(STEAM_PRICE_SOURCE, ("co2_eur_per_t",), steam_price_eur_per_t)
