"""Hydrogen a route buys: its origin, and with it a price and an emission factor that belong
together (issue 13: a fossil price with a fossil footprint, or a green price).

A route that takes hydrogen over its fence (a source of category ``"hydrogen"``, e.g. the
hydrotreater's H2 of plastics_pyrolysis) gets three parameters from :func:`add_hydrogen_params`:

* ``prices.hydrogen_origin``: ``grey_smr`` (default) or ``green``. The default is the
  conservative one, as for surplus steam (``prices.steam_credit_rule = none``): a route that
  buys its hydrogen (plastics_pyrolysis's default build has no electrolyser; its hydrotreating
  follows the refinery practice reviewed by Kusenberg et al. 2022, doi:10.1016/j.wasman.2021.11.009)
  gets hydrogen made from natural gas, the bulk of the hydrogen made today, unless a green
  supply is chosen (or the electrolyser built, ``build(h2_source="electrolyser")``);
* ``prices.hydrogen_eur_per_t``: derived from the origin, per case:

  - ``grey_smr``: the cash cost of hydrogen from a central steam-methane reformer without CO2
    capture, with the H2A 2018 figures (prices.yaml ``hydrogen_supply``) at the route's prices::

        price = gas [GJ/kg] / 3.6 x natural gas [EUR/MWh LHV]        (prices.yaml default)
              + gas [GJ/kg] x 0.0561 t CO2/GJ x prices.co2_eur_per_t  (EU ETS: SMR is an ETS
                                                                     activity, Annex I)
              + electricity [kWh/kg] / 1000 x prices.electricity_eur_per_MWh
              + non-energy cost (capital recovery and O&M, USD2016 -> EUR of prices.price_year
                with costing.indices.convert_money, operating)       all x 1000 [EUR/t]

    the way the prices.yaml steam prices are built (fuel + ETS CO2 + running cost);
  - ``green``: the EEX HYDRIX green-hydrogen index for Germany at its launch (24 May 2023),
    228.16 EUR/MWh on the LHV, x 33.33 MWh/t (prices.yaml ``hydrogen_green_eur_per_t``);

* ``ghg.hydrogen_ef_t_per_t``: derived from the origin, per case [t CO2eq per t H2]:

  - ``grey_smr``: gas [MWh/kg] x ``ghg.natural_gas_ef_t_per_MWh`` x 1000 (all the gas carbon,
    feed and fuel, leaves an SMR without capture as CO2) + electricity x
    ``ghg.grid_ef_t_per_MWh``: 9.41 t/t at the defaults;
  - ``green``: the electricity of PEM electrolysis (unitops.electrolysis ELECTROLYSER_SEC, 55
    kWh/kg) x ``ghg.ppa_ef_t_per_MWh`` (renewable power, life cycle): 0.61 t/t.

:func:`carbonhub.costing.avoided.avoided_kpis` counts ``hydrogen bought x
ghg.hydrogen_ef_t_per_t`` in the route's emissions (``co2_hydrogen_t_per_y``, part of
``co2_route_t_per_y``), as it counts electricity and steam bought.

Example
-------
>>> from carbonhub.costing.hydrogen import smr_price_eur_per_t, smr_ef_t_per_t
>>> round(float(smr_price_eur_per_t(77.11, 73.27, 212.9)))
4686
>>> round(float(smr_ef_t_per_t(0.20196, 0.281)), 2)
9.41

References
----------
.. [1] NREL/DOE H2A Production Model, Current Central Hydrogen Production from Natural Gas
   without CO2 sequestration (H2A 2018, Results tab), as transcribed in GCAM's
   ``energy/H2A_IO_coef_data.csv`` and ``energy/H2A_NE_cost_data.csv`` (JGCRI/gcam-core).
.. [2] EEX HYDRIX, green hydrogen index Germany, first publication 24 May 2023 (EEX press
   release; HYDRIX FAQ: EUR/MWh on the LHV).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Literal, get_args

import numpy as np

from ..core.unit import Derived, Param
from ..data import load_yaml
from .ghg_params import GROUP as GHG

__all__ = ["HydrogenOrigin", "HYDROGEN_ORIGINS", "buys_hydrogen", "add_hydrogen_params",
           "smr_price_eur_per_t", "smr_ef_t_per_t", "green_ef_t_per_t", "hydrogen_price", "hydrogen_ef"]

HydrogenOrigin = Literal["grey_smr", "green"]
"""Where bought hydrogen comes from (``prices.hydrogen_origin``)."""
HYDROGEN_ORIGINS = get_args(HydrogenOrigin)
CATEGORY = "hydrogen"
"""Category of a source that brings bought hydrogen into a flowsheet."""
GJ_PER_MWH = 3.6


@lru_cache(maxsize=1)
def _supply() -> dict[str, float]:
    """prices.yaml ``hydrogen_supply`` (the H2A SMR figures), values only."""
    d = load_yaml("prices.yaml")["hydrogen_supply"]
    return {k: float(v["value"]) for k, v in d.items()}


@lru_cache(maxsize=1)
def _items() -> dict:
    return load_yaml("prices.yaml")["items"]


def _item(key: str) -> float:
    return float(_items()[key]["value"])


def _co2_t_per_GJ_gas() -> float:
    """IPCC 2006 natural-gas factor [t CO2/GJ LHV], from co2_references.yaml (t/MWh / 3.6)."""
    from .ghg_params import references

    return float(references()["utilities"]["natural_gas_ef_t_per_MWh"]["value"]) / GJ_PER_MWH


def smr_price_eur_per_t(gas_eur_per_MWh, co2_eur_per_t, electricity_eur_per_MWh,
                        price_year: int = 2023) -> np.ndarray:
    """Cash cost of grey hydrogen from SMR [EUR/t H2, EUR of ``price_year``] (module docstring).

    gas_eur_per_MWh : natural gas [EUR/MWh LHV]; co2_eur_per_t : EU ETS [EUR/t CO2];
    electricity_eur_per_MWh : [EUR/MWh]; price_year : year of those prices (the H2A non-energy
    cost, USD of 2016, is moved to it with the price index)."""
    from .indices import convert_money

    s = _supply()
    gas_GJ = s["smr_natural_gas_GJ_per_kg"]
    non_energy = float(convert_money(s["smr_non_energy_usd2016_per_kg"], "USD", 2016, to_currency="EUR",
                                     to_year=int(price_year), kind="operating"))
    per_kg = (gas_GJ / GJ_PER_MWH * np.asarray(gas_eur_per_MWh, dtype=float)
              + gas_GJ * _co2_t_per_GJ_gas() * np.asarray(co2_eur_per_t, dtype=float)
              + s["smr_electricity_GJ_per_kg"] / GJ_PER_MWH * np.asarray(electricity_eur_per_MWh, dtype=float)
              + non_energy)
    return per_kg * 1000.0


def smr_ef_t_per_t(natural_gas_ef_t_per_MWh, grid_ef_t_per_MWh) -> np.ndarray:
    """Emission factor of grey SMR hydrogen [t CO2eq/t H2]: its gas and electricity x factors."""
    s = _supply()
    return 1000.0 / GJ_PER_MWH * (s["smr_natural_gas_GJ_per_kg"] * np.asarray(natural_gas_ef_t_per_MWh, dtype=float)
                                  + s["smr_electricity_GJ_per_kg"] * np.asarray(grid_ef_t_per_MWh, dtype=float))


def green_ef_t_per_t(ppa_ef_t_per_MWh) -> np.ndarray:
    """Emission factor of green hydrogen [t CO2eq/t H2]: PEM electricity x the PPA factor."""
    from ..unitops.electrolysis import ELECTROLYSER_SEC

    return ELECTROLYSER_SEC["pem"] * np.asarray(ppa_ef_t_per_MWh, dtype=float)  # kWh/kg = MWh/t


def _is_grey(origin) -> np.ndarray:
    return np.asarray(origin).astype(str) == "grey_smr"


def _price_rule(origin, co2, elec):
    # in EUR of the prices.yaml gas price's year (2023), as every prices.yaml default
    gas = _items()["natural_gas_eur_per_MWh"]
    grey = smr_price_eur_per_t(float(gas["value"]), co2, elec, int(gas["year"]))
    return np.where(_is_grey(origin), grey, _item("hydrogen_green_eur_per_t"))


def _ef_rule(origin, gas_ef, grid_ef, ppa_ef):
    return np.where(_is_grey(origin), smr_ef_t_per_t(gas_ef, grid_ef), green_ef_t_per_t(ppa_ef))


def buys_hydrogen(fs) -> bool:
    """True if a source of category ``"hydrogen"`` brings bought hydrogen into ``fs``."""
    return any(getattr(u, "category", None) == CATEGORY and not getattr(u, "is_feedstock", False)
               for u in fs.units.values())


def add_hydrogen_params(fs) -> None:
    """Declare ``prices.hydrogen_origin``, ``prices.hydrogen_eur_per_t`` and
    ``ghg.hydrogen_ef_t_per_t`` on a flowsheet that buys hydrogen (after its ``prices`` and
    ``ghg`` groups exist; :func:`carbonhub.costing.flowsheet.add_economics` calls it)."""
    if not buys_hydrogen(fs):
        return
    fs.groups["prices"].params.update({
        "hydrogen_origin": Param("grey_smr", "choice", doc="origin of the hydrogen bought: grey_smr (steam-"
                                 "methane reforming, no capture: its price and fossil CO2; the default, "
                                 "conservative for CO2 avoided) or green (EEX HYDRIX price, electrolysis "
                                 "on renewable power: its PPA electricity's CO2)", choices=HYDROGEN_ORIGINS),
        "hydrogen_eur_per_t": Param(
            Derived("costing.hydrogen: grey_smr = H2A SMR at prices.yaml natural gas + prices.co2_eur_per_t + "
                    "prices.electricity_eur_per_MWh; green = prices.yaml hydrogen_green_eur_per_t",
                    ("hydrogen_origin", "co2_eur_per_t", "electricity_eur_per_MWh"), _price_rule),
            "EUR/t", 0.0, 50000.0, "price of the hydrogen bought [EUR/t H2] (default: from prices.hydrogen_origin)"),
    })
    fs.groups[GHG].params["hydrogen_ef_t_per_t"] = Param(
        Derived("costing.hydrogen: grey_smr = H2A SMR gas x natural_gas_ef + electricity x grid_ef; green = "
                "PEM electricity x ppa_ef",
                ("prices.hydrogen_origin", "natural_gas_ef_t_per_MWh", "grid_ef_t_per_MWh", "ppa_ef_t_per_MWh"),
                _ef_rule),
        "t/t", 0.0, 30.0, "emission factor of the hydrogen bought [t CO2eq/t H2] (default: from "
        "prices.hydrogen_origin)")


def hydrogen_price(res) -> np.ndarray | None:
    """``prices.hydrogen_eur_per_t`` per case, or None where the route declares no hydrogen."""
    if "hydrogen_eur_per_t" not in res.flowsheet.groups["prices"].params:
        return None
    return np.broadcast_to(res.param("prices.hydrogen_eur_per_t").astype(float), (res.n_cases,))


def hydrogen_ef(res) -> np.ndarray:
    """``ghg.hydrogen_ef_t_per_t`` per case (zeros where the route declares no hydrogen)."""
    if GHG not in res.flowsheet.groups or "hydrogen_ef_t_per_t" not in res.flowsheet.groups[GHG].params:
        return np.zeros(res.n_cases)
    return np.broadcast_to(res.param(f"{GHG}.hydrogen_ef_t_per_t").astype(float), (res.n_cases,))
