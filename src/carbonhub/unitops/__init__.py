"""Unit operations, one module per family; each unit has its numpy ``run`` and, next to it,
its equation-oriented twin ``build_pyomo``. Modules are imported on first use."""
from __future__ import annotations

import importlib

FAMILIES = ("sources", "basic", "pretreatment", "gasification", "cleanup", "co2", "synthesis", "mto",
            "upgrading", "separations", "columns", "water", "utilities", "plastics", "pyrolysis",
            "hydrotreating", "cracker")


def __getattr__(name: str):
    if name in FAMILIES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'carbonhub.unitops' has no attribute {name!r}")
