"""Unit operations, one module per family; each unit has its numpy ``run`` and, next to it,
its equation-oriented twin ``build_pyomo``. Modules are imported on first use; what the
families share lives in :mod:`carbonhub.unitops._common` (constants, feed checks, status)
and, for the twins, in :mod:`carbonhub.twin`."""
from __future__ import annotations

import importlib

FAMILIES = ("sources", "basic", "pretreatment", "torrefaction", "gasifier", "indirect_gasifier", "reformer", "asu",
            "cooling", "sulphur", "shift", "co2", "ft", "methanol", "mto", "upgrading", "separations", "columns", "olefins",
            "water", "zld", "machines", "heat", "electrolysis", "plastics", "pyrolysis", "hydrotreating", "cracker")


def __getattr__(name: str):
    if name in FAMILIES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'carbonhub.unitops' has no attribute {name!r}")
