"""Unit-hypercube designs: full-factorial grid, Monte Carlo, Latin hypercube and Sobol'.

A :class:`Sampler` describes an ``n_cases x d`` design in [0, 1]^d and returns any slice of it,
``sampler.u(start, stop)``, identical whatever the slicing: chunk size and backend never change
the samples. Monte Carlo draws fixed blocks of 8192 rows, each from its own seed sequence
``(seed, block)``; Sobol' fast-forwards a scrambled, seeded engine to ``start``; the grid maps
case indices to levels arithmetically; Latin hypercube needs the whole design at once (its strata
span all cases): it is generated once (n x d float64: 96 MB for 10^6 x 12) and sliced.

Values follow by mapping each column through its distribution's ``ppf``; :func:`sample` does both.

Example
-------
>>> from carbonhub.sweep.samplers import make_sampler
>>> s = make_sampler("sobol", d=2, n=8, seed=1)
>>> bool((s.u(0, 8)[3:6] == s.u(3, 6)).all())
True

References
----------
Sobol', I. M. (1967). USSR Comput. Math. Math. Phys. 7(4), 86-112. doi:10.1016/0041-5553(67)90144-9
McKay, M. D., Beckman, R. J., Conover, W. J. (1979). Technometrics 21(2), 239-245.
doi:10.2307/1268522
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

import numpy as np
import pandas as pd

from .distributions import Distribution
from .errors import SweepInputError

__all__ = ["Method", "Sampler", "make_sampler", "sample"]

_MC_BLOCK = 8192
_MAX_CASES = 2**40


class Method(str, Enum):
    """Sampling method."""

    GRID = "grid"
    MC = "mc"
    LHS = "lhs"
    SOBOL = "sobol"

    @classmethod
    def parse(cls, value: Any) -> Method:
        aliases = {"montecarlo": "mc", "monte_carlo": "mc", "random": "mc", "latin": "lhs",
                   "latin_hypercube": "lhs", "factorial": "grid", "full_factorial": "grid"}
        key = str(value.value if isinstance(value, Enum) else value).lower()
        try:
            return cls(aliases.get(key, key))
        except ValueError:
            raise SweepInputError(f"unknown sampling method {value!r}; expected one of "
                                  f"{[m.value for m in cls]}") from None


def _check_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise SweepInputError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


class Sampler:
    """An ``n_cases x d`` unit-hypercube design, sliceable: ``u(start, stop)``.

    Parameters
    ----------
    method : Method
    d : int
        Number of sampled dimensions.
    n_cases : int
        Rows of the design.
    seed : int
    levels : list of ndarray, optional
        Grid only: the quantile levels of each dimension.
    """

    def __init__(self, method: Method, d: int, n_cases: int, seed: int,
                 levels: Sequence[np.ndarray] | None = None) -> None:
        self.method, self.d, self.n_cases, self.seed = method, d, n_cases, seed
        self._levels = [np.asarray(lv, dtype=float) for lv in (levels or [])]
        self._full: np.ndarray | None = None

    def __repr__(self) -> str:
        return (f"Sampler(method={self.method.value!r}, d={self.d}, n_cases={self.n_cases}, "
                f"seed={self.seed})")

    def u(self, start: int, stop: int) -> np.ndarray:
        """Rows ``start:stop`` of the design, shape ``(stop - start, d)``."""
        if not 0 <= start <= stop <= self.n_cases:
            raise IndexError(f"slice [{start}, {stop}) outside the design of {self.n_cases} cases")
        n = stop - start
        if self.d == 0 or n == 0:
            return np.empty((n, self.d))
        m = self.method
        if m is Method.GRID:
            idx = np.unravel_index(np.arange(start, stop), [len(lv) for lv in self._levels])
            return np.column_stack([lv[i] for lv, i in zip(self._levels, idx)])
        if m is Method.MC:
            b0, b1 = start // _MC_BLOCK, (stop - 1) // _MC_BLOCK
            blocks = [np.random.default_rng([self.seed, b]).random((_MC_BLOCK, self.d))
                      for b in range(b0, b1 + 1)]
            off = start - b0 * _MC_BLOCK
            return np.concatenate(blocks)[off:off + n]
        if m is Method.SOBOL:
            from scipy.stats import qmc

            eng = qmc.Sobol(self.d, scramble=True, rng=np.random.default_rng(self.seed))
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*balance properties of Sobol",
                                        category=UserWarning)
                if start:
                    eng.fast_forward(start)
                return eng.random(n)
        return self.full()[start:stop]

    def full(self) -> np.ndarray:
        """The whole design (generated once and cached for Latin hypercube)."""
        if self.method is Method.LHS:
            if self._full is None:
                from scipy.stats import qmc

                if self.d == 0:
                    self._full = np.empty((self.n_cases, 0))
                else:
                    eng = qmc.LatinHypercube(self.d, rng=np.random.default_rng(self.seed))
                    self._full = eng.random(self.n_cases)
            return self._full
        return self.u(0, self.n_cases)


def grid_cases(dists: Mapping[str, Distribution], n: int) -> int:
    """Number of grid cases: ``n`` levels per numeric dimension, every value of a choice."""
    return math.prod(len(d.grid_u(n)) for d in dists.values())


def make_sampler(method: str | Method, d: int | None = None, n: int = 0, seed: int = 0,
                 dists: Mapping[str, Distribution] | None = None) -> Sampler:
    """A :class:`Sampler` for ``d`` dimensions (or the given sampled ``dists``).

    ``n`` is the number of cases, except for ``grid``: levels per dimension (every value for a
    choice), so the design has ``n ** d`` cases.
    """
    meth = Method.parse(method)
    seed = _check_seed(seed)
    if d is None:
        if dists is None:
            raise SweepInputError("make_sampler: give d or dists")
        d = len(dists)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise SweepInputError(f"n must be a positive integer, got {n!r}")
    n = int(n)
    if meth is Method.GRID:
        if dists is None:
            levels = [np.linspace(0.0, 1.0, n) if n > 1 else np.array([0.5])] * d
        else:
            levels = [dist.grid_u(n) for dist in dists.values()]
        n_cases = math.prod(len(lv) for lv in levels)
        if n_cases > _MAX_CASES:
            raise SweepInputError(f"grid of {n} levels over {d} parameters is {n_cases:.3g} cases")
        return Sampler(meth, d, n_cases, seed, levels)
    if meth is Method.SOBOL and n > 2**30:
        raise SweepInputError(f"sobol: at most 2**30 cases, got {n}")
    return Sampler(meth, d, n, seed)


def sample(dists: Mapping[str, Any], n: int, method: str | Method = "lhs",
           seed: int = 0) -> pd.DataFrame:
    """Sample values (no flowsheet): one column per parameter, constants included.

    ``dists`` maps names to anything :func:`~carbonhub.sweep.distributions.as_distribution`
    accepts; numbers are taken as given (no unit conversion). Columns are sorted by name.
    """
    from .params import fixed_values, free_bind, sampled, values_from_u

    bound = free_bind(dists)
    free = sampled(bound)
    s = make_sampler(method, n=n, seed=seed, dists=free)
    values = values_from_u(free, s.u(0, s.n_cases))
    for k, v in fixed_values(bound).items():
        values[k] = np.full(s.n_cases, v, dtype=None if isinstance(v, str) else float)
    return pd.DataFrame({k: values[k] for k in bound})
