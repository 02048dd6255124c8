"""carbonhub: simulate and cost carbon-hub routes (biomass, waste, CO2 -> fuels and chemicals).

Two engines, one flowsheet: a vectorised numpy core with a case axis (``carbonhub.core``) and
an IDAES/Pyomo equation-oriented twin (``carbonhub.eo``, imported on first use).
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY = {"thermo", "core", "unitops", "costing", "eo", "sweep", "report", "flex", "routes", "units",
         "data", "feedstocks"}
_LAZY_ATTR = {"Flowsheet": "core", "Stream": "core", "ComponentSet": "thermo", "equilibrate": "thermo"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_ATTR:
        return getattr(importlib.import_module(f".{_LAZY_ATTR[name]}", __name__), name)
    raise AttributeError(f"module 'carbonhub' has no attribute {name!r}")


__all__ = ["__version__", *sorted(_LAZY), *sorted(_LAZY_ATTR)]
