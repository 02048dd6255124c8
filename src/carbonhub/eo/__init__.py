"""Equation-oriented twin: carbonhub flowsheets as IDAES/Pyomo models solved with IPOPT.

Pyomo and IDAES are imported only when this package is used (``import carbonhub`` stays fast).
"""
from __future__ import annotations

from . import _solver_env

_solver_env.configure()

from .model import build_model, degrees_of_freedom, initialise_from_core, solve, streams_from_model  # noqa: E402
from .optimize import (OptimizationError, OptimizationResult, inverse_tea, optimize, pareto,  # noqa: E402
                       reduced_gradients)
from .tea import kpis  # noqa: E402

__all__ = ["build_model", "solve", "degrees_of_freedom", "initialise_from_core", "streams_from_model",
           "optimize", "pareto", "inverse_tea", "kpis", "OptimizationError", "OptimizationResult",
           "reduced_gradients"]
