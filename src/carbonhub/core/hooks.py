"""The one documented hook through which the core reaches layers above it.

The core ends at a result (streams, unit results, balances, status). Three conveniences of
its objects are composed higher up and are looked up here, by module and attribute name, only
when they are used:

=================  =====================================  ======================================
convenience        provided by                            layer
=================  =====================================  ======================================
``res.kpis``       :func:`carbonhub.costing.kpis.compute_kpis`   costing (KPIs and TEA)
``res.plot``       :class:`carbonhub.report.ResultPlots`         report
``fs.to_pyomo``    :func:`carbonhub.eo.build_model`              eo (IDAES/Pyomo)
=================  =====================================  ======================================

No other module of the core imports from above it (``tests/test_layers.py`` checks that).
"""
from __future__ import annotations

import importlib
from typing import Any

HOOKS: dict[str, tuple[str, str]] = {
    "kpis": ("carbonhub.costing.kpis", "compute_kpis"),
    "plot": ("carbonhub.report", "ResultPlots"),
    "to_pyomo": ("carbonhub.eo", "build_model"),
}
"""Convenience name -> (module, attribute) that implements it."""


def hook(name: str) -> Any:
    """The implementation of convenience ``name`` (one of :data:`HOOKS`), imported on first use."""
    module, attr = HOOKS[name]
    return getattr(importlib.import_module(module), attr)
