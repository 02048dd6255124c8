"""Reports of simulation results: the results JSON, text and DataFrame tables, figures
(carbon Sankey by origin, energy and water balances, CAPEX/OPEX, MSP waterfall, process flow
diagram) and a self-contained HTML page.

Importing this package is light: matplotlib and pandas are imported when a figure or table
is made.

>>> from carbonhub.report import html_report, result_to_json, kpi_summary, ResultPlots
"""
from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "html_report": "html",
    "result_to_json": "json_out",
    "kpi_summary": "tables",
    "stream_table": "tables",
    "unit_table": "tables",
    "kpi_table": "tables",
    "ResultPlots": "plots",
    "carbon_flows": "flows",
    "energy_flows": "flows",
    "water_flows": "flows",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    mod = _EXPORTS.get(name)
    if mod is None:
        raise AttributeError(f"module 'carbonhub.report' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{mod}", __name__), name)


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_EXPORTS))
