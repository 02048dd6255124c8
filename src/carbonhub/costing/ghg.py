"""GHG emission factors for CO2 avoided: the ``ghg`` parameter group (grid electricity, natural
gas, steam, feedstock supply) and the cradle-to-gate factors of the fossil reference products,
from ``property_data/co2_references.yaml``; used by :mod:`carbonhub.costing.avoided`.

Example
-------
>>> import numpy as np
>>> from carbonhub.costing.avoided import reference_factor
>>> round(float(reference_factor({"methanol": np.array([1000.0])})[0]), 3)
0.617
"""
from __future__ import annotations

from functools import lru_cache
from typing import Mapping

import numpy as np

from ..core.unit import Param
from ..data import load_yaml

__all__ = ["GROUP", "add_ghg_params", "reference_factor"]

GROUP = "ghg"
"""Parameter group of the emission factors (``ghg.grid_ef_t_per_MWh`` ...)."""


@lru_cache(maxsize=1)
def _refs() -> dict:
    return load_yaml("co2_references.yaml")


def _utility(key: str) -> float:
    return float(_refs()["utilities"][key]["value"])


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


def reference_factor(main_t_per_y: Mapping[str, np.ndarray]) -> np.ndarray:
    """Mass-weighted cradle-to-gate factor of the fossil products replaced [t CO2eq/t].

    main_t_per_y : main product name (``Sink.product``) -> t/y per case. Raises KeyError naming
    a product that has no reference in ``co2_references.yaml`` (``product_references``).
    """
    table, refs = _refs()["product_references"], _refs()["reference_products"]
    num = den = 0.0
    for name, q in main_t_per_y.items():
        if name not in table:
            raise KeyError(f"main product {name!r} has no fossil reference: add it to "
                           f"property_data/co2_references.yaml product_references "
                           f"(references: {sorted(refs)})")
        q = np.asarray(q, dtype=float)
        num = num + q * float(refs[table[name]]["value"])
        den = den + q
    num, den = np.broadcast_arrays(np.asarray(num, dtype=float), np.asarray(den, dtype=float))
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out
