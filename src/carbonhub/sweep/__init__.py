"""Techno-economic sweeps at scale: distributions, samplers, chunked and resumable execution
(in-process or on Dask), Parquet results, and sensitivity analysis.

Example (a full sweep; run it yourself)::

    import carbonhub as ch
    fs = ch.routes.load("biomass_ft")
    sw = ch.sweep.run(fs, {"gasifier.T": "uniform(1100,1500)"}, n=10_000,
                      method="sobol", seed=1, out="runs/ft.parquet")
    ch.sweep.summary(sw)

Heavy dependencies (Dask, SALib, matplotlib) are imported only by the functions that use them.
"""
from __future__ import annotations

import importlib
from typing import Any

from .distributions import (PERT, Choice, Constant, Distribution, LogNormal, Normal, Triangular,
                            Uniform, as_distribution, from_dict, parse)
from .errors import SweepInputError, SweepRuntimeError
from .paramfile import load_params
from .result import SweepResult, load
from .runner import auto_chunk_size, remove, run
from .samplers import Method, Sampler, make_sampler, sample

_ANALYSIS = {"sobol_indices", "morris_indices", "spearman", "tornado", "break_even_surface",
             "summary", "Surface", "feedstock_route_matrix"}
_PLOTS = {"plot_tornado", "plot_sobol", "plot_distribution", "plot_break_even", "plot_spearman"}


def __getattr__(name: str) -> Any:
    if name in _ANALYSIS:
        return getattr(importlib.import_module(".analysis", __name__), name)
    if name in _PLOTS:
        return getattr(importlib.import_module(".plots", __name__), name)
    raise AttributeError(f"module 'carbonhub.sweep' has no attribute {name!r}")


__all__ = [
    "run", "load", "load_params", "remove", "SweepResult", "auto_chunk_size",
    "Distribution", "Uniform", "Triangular", "PERT", "Normal", "LogNormal", "Choice", "Constant",
    "parse", "from_dict", "as_distribution", "Method", "Sampler", "make_sampler", "sample",
    "SweepInputError", "SweepRuntimeError", *sorted(_ANALYSIS), *sorted(_PLOTS),
]
