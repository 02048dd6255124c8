"""Errors raised by :mod:`carbonhub.sweep` (each names the bad value and what was expected)."""
from __future__ import annotations

__all__ = ["SweepInputError", "SweepRuntimeError"]


class SweepInputError(ValueError):
    """Bad sweep input: unknown parameter, impossible distribution, mismatching output on resume."""


class SweepRuntimeError(RuntimeError):
    """A sweep could not go on (e.g. the flowsheet fails even on one case, a chunk was lost)."""
