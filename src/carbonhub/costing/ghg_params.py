"""The route parameter group ``ghg``: emission factors of what a route buys, per case, with
their defaults from ``property_data/co2_references.yaml`` (used by
:mod:`carbonhub.costing.avoided`)."""
from __future__ import annotations

from functools import lru_cache

from ..core.unit import Param
from ..data import load_yaml

__all__ = ["GROUP", "references", "add_ghg_params"]

GROUP = "ghg"
"""Parameter group of the emission factors (``ghg.grid_ef_t_per_MWh`` ...)."""


@lru_cache(maxsize=1)
def references() -> dict:
    """``property_data/co2_references.yaml`` (cached; read-only)."""
    return load_yaml("co2_references.yaml")


def _utility(key: str) -> float:
    return float(references()["utilities"][key]["value"])


def add_ghg_params(fs) -> None:
    """Declare the parameter group ``ghg`` (emission factors, per case) on a flowsheet."""
    if GROUP in fs.groups:
        return
    fs.add_group(GROUP, {
        "grid_ef_t_per_MWh": Param(_utility("grid_ef_t_per_MWh"), "t/MWh", 0.0, 2.0,
                                   "emission factor of electricity bought [t CO2eq/MWh] "
                                   "(default: EU-27 2018, EEA)"),
        "natural_gas_ef_t_per_MWh": Param(_utility("natural_gas_ef_t_per_MWh"), "t/MWh", 0.0, 1.0,
                                          "emission factor of natural gas fired for heat "
                                          "[t CO2/MWh LHV] (IPCC 2006)"),
        "steam_ef_t_per_t": Param(_utility("steam_ef_t_per_t"), "t/t", 0.0, 1.0,
                                  "emission factor of MP steam bought [t CO2/t steam]"),
        "feedstock_ef_t_per_t": Param(0.0, "t/t", 0.0, 5.0,
                                      "supply-chain emissions of the feedstock as received "
                                      "[t CO2eq/t] (default 0: not counted)"),
    })
