"""The route parameter group ``ghg``: emission factors of what a route buys, per case, with
their defaults from ``property_data/co2_references.yaml`` (used by
:mod:`carbonhub.costing.avoided`)."""
from __future__ import annotations

from functools import lru_cache

from ..core.unit import Param
from ..data import load_yaml

__all__ = ["GROUP", "references", "add_ghg_params", "electricity_ef"]

GROUP = "ghg"
"""Parameter group of the emission factors (``ghg.grid_ef_t_per_MWh`` ...)."""


@lru_cache(maxsize=1)
def references() -> dict:
    """``property_data/co2_references.yaml`` (cached; read-only)."""
    return load_yaml("co2_references.yaml")


def _utility(key: str) -> float:
    return float(references()["utilities"][key]["value"])


def add_ghg_params(fs, ppa_share: float = 0.0) -> None:
    """Declare the parameter group ``ghg`` (emission factors, per case) on a flowsheet.

    ppa_share : the default of ``ghg.ppa_share`` (a route built around renewable electricity,
        e.g. electrolysis, declares the group itself with 1.0 before ``add_economics``)."""
    if GROUP in fs.groups:
        return
    fs.add_group(GROUP, {
        "grid_ef_t_per_MWh": Param(_utility("grid_ef_t_per_MWh"), "t/MWh", 0.0, 2.0,
                                   "emission factor of grid electricity bought [t CO2eq/MWh] "
                                   "(default: EU-27 2018, EEA)"),
        "ppa_share": Param(float(ppa_share), "", 0.0, 1.0,
                           "share of the electricity bought under a renewable power purchase "
                           "agreement (factor ppa_ef_t_per_MWh); the rest is grid electricity"),
        "ppa_ef_t_per_MWh": Param(_utility("ppa_ef_t_per_MWh"), "t/MWh", 0.0, 2.0,
                                  "life-cycle emission factor of the PPA electricity [t CO2eq/MWh] "
                                  "(default: onshore wind, IPCC AR5 WGIII Annex III median)"),
        "natural_gas_ef_t_per_MWh": Param(_utility("natural_gas_ef_t_per_MWh"), "t/MWh", 0.0, 1.0,
                                          "emission factor of natural gas fired for heat "
                                          "[t CO2/MWh LHV] (IPCC 2006)"),
        "steam_ef_t_per_t": Param(_utility("steam_ef_t_per_t"), "t/t", 0.0, 1.0,
                                  "emission factor of MP steam bought [t CO2/t steam]"),
        "feedstock_ef_t_per_t": Param(0.0, "t/t", 0.0, 5.0,
                                      "supply-chain emissions of the feedstock as received "
                                      "[t CO2eq/t] (default 0: not counted)"),
    })


def electricity_ef(res) -> "np.ndarray":
    """Emission factor of the electricity a route buys, per case [t CO2eq/MWh]:
    ``ppa_share x ppa_ef_t_per_MWh + (1 - ppa_share) x grid_ef_t_per_MWh``."""
    import numpy as np

    n = res.n_cases
    P = lambda name: np.broadcast_to(res.param(f"{GROUP}.{name}").astype(float), (n,))  # noqa: E731
    share = P("ppa_share")
    return share * P("ppa_ef_t_per_MWh") + (1.0 - share) * P("grid_ef_t_per_MWh")
