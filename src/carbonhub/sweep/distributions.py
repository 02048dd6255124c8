"""Probability distributions of uncertain sweep parameters, with units, from Python, YAML or text.

Every distribution maps unit-hypercube samples ``u`` in [0, 1] to values through its vectorised
inverse CDF, :meth:`Distribution.ppf`, so any sampler (grid, Monte Carlo, Latin hypercube,
Sobol') works with any distribution. Numbers are in ``unit`` when one is given (``"tri(60,80,120)
EUR/t"``); :meth:`Distribution.to` converts to the parameter's own unit (pint, via
:mod:`carbonhub.units`), including offset units (``uniform(800,1000) degC`` -> K).

Text forms (the CLI and YAML): ``uniform(a,b)``, ``triangular(lo,mode,hi)`` or ``tri(...)``,
``pert(lo,mode,hi)`` (beta-PERT, optional 4th argument lambda, default 4), ``normal(mu,sd)``,
``lognormal(mu,sigma)`` (mu and sigma of ln x), ``choice(a,b,...)`` with optional weights
``choice(a:0.7,b:0.3)``, ``constant(x)`` or a bare value (``1200 K``, ``wood_chips``), each
optionally followed by a unit.

Example
-------
>>> import numpy as np
>>> from carbonhub.sweep.distributions import parse
>>> d = parse("tri(60,80,120) EUR/t")
>>> d
triangular(60, 80, 120) EUR/t
>>> d.ppf(np.array([0.0, 1 / 3, 1.0])).round(6).tolist()
[60.0, 80.0, 120.0]
>>> parse("uniform(800,1000) degC").to("K").ppf(np.array([0.0, 1.0])).round(2).tolist()
[1073.15, 1273.15]
>>> parse("choice(wood_chips:0.75,wheat_straw:0.25)").ppf(np.array([0.1, 0.9])).tolist()
['wood_chips', 'wheat_straw']

References
----------
Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley, ch. 9 (PERT, triangular).
ISBN 978-0-470-51284-5.
"""
from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

from .errors import SweepInputError

__all__ = [
    "Distribution", "Uniform", "Triangular", "PERT", "Normal", "LogNormal", "Choice", "Constant",
    "parse", "from_dict", "as_distribution", "DIMENSIONLESS",
]

_TINY = 1e-12  # unbounded distributions: u is clipped to [_TINY, 1 - _TINY] (about 7 sigma)
DIMENSIONLESS = {None, "", "-", "1", "dimensionless"}


def _num(x: Any, what: str) -> float:
    """A finite float, or a :class:`SweepInputError` naming ``what``."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise SweepInputError(f"{what}: expected a number, got {x!r}") from None
    if not math.isfinite(v):
        raise SweepInputError(f"{what}: expected a finite number, got {x!r}")
    return v


def _fmt(v: Any) -> str:
    if isinstance(v, str):
        return v
    return repr(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(float(v))


def _affine(from_unit: str, to_unit: str) -> tuple[float, float]:
    """(k, c) with x[to_unit] = k * x[from_unit] + c (offset units such as degC included)."""
    from carbonhub.units import UnitError, to_si

    target = "dimensionless" if to_unit in DIMENSIONLESS else to_unit
    try:
        c = float(to_si((0.0, from_unit), target, name="distribution"))
        k = float(to_si((1.0, from_unit), target, name="distribution")) - c
    except UnitError as exc:
        raise SweepInputError(str(exc)) from None
    return k, c


class Distribution(ABC):
    """An input distribution; numbers are in :attr:`unit` (``None``: the parameter's unit).

    Subclasses define ``dist`` (canonical name), ``args`` (argument names, in order) and
    :meth:`ppf`. Instances are immutable and compare equal when :meth:`to_dict` is equal.
    """

    dist: ClassVar[str]
    args: ClassVar[tuple[str, ...]]
    aliases: ClassVar[dict[str, str]] = {}
    kind: ClassVar[str] = "float"  # "float" or "choice" (parameter kind it can feed)
    bounded: ClassVar[bool] = True  # finite support: ppf(0) and ppf(1) are finite

    unit: str | None

    @abstractmethod
    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF: values for unit-hypercube samples ``u`` (any shape) [unit]."""

    @abstractmethod
    def _values(self) -> dict[str, Any]:
        """The arguments by name (JSON-serialisable)."""

    @abstractmethod
    def _converted(self, k: float, c: float) -> Distribution:
        """A copy with every location mapped x -> k x + c (scales x -> k x)."""

    def support(self) -> tuple[float, float]:
        """Smallest and largest value (``-inf``/``inf`` when unbounded)."""
        return float(self.ppf(np.array(0.0))), float(self.ppf(np.array(1.0)))

    def percentile(self, q: float | np.ndarray) -> np.ndarray:
        """Value at quantile(s) ``q`` in [0, 1]."""
        return self.ppf(np.asarray(q, dtype=float))

    def grid_u(self, n: int) -> np.ndarray:
        """Quantiles of an ``n``-level grid: the bounds included when finite, else mid-points."""
        if n < 1:
            raise SweepInputError(f"grid: need at least 1 level per parameter, got {n}")
        if n == 1:
            return np.array([0.5])
        if self.bounded:
            return np.linspace(0.0, 1.0, n)
        return (np.arange(n) + 0.5) / n

    def to(self, unit: str | None, name: str = "value") -> Distribution:
        """The same distribution with its numbers in ``unit`` (pint conversion).

        No conversion when this distribution has no unit (it is taken to be in ``unit``
        already) or when both units are the same.
        """
        if self.unit in DIMENSIONLESS or self.unit == unit:
            return self._with_unit(unit)
        try:
            k, c = _affine(self.unit, unit)  # type: ignore[arg-type]
        except SweepInputError as exc:
            raise SweepInputError(f"{name}: cannot convert {self!r} to {unit!r}: {exc}") from None
        out = self._converted(k, c)
        return out._with_unit(unit)

    def _with_unit(self, unit: str | None) -> Distribution:
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.unit = None if unit in DIMENSIONLESS else unit
        return new

    def to_dict(self) -> dict[str, Any]:
        """JSON/YAML form, e.g. ``{"dist": "uniform", "low": 1100.0, "high": 1500.0, "unit": "K"}``."""
        d: dict[str, Any] = {"dist": self.dist, **self._values()}
        if self.unit not in DIMENSIONLESS:
            d["unit"] = self.unit
        return d

    def __repr__(self) -> str:
        vals = self._values()
        body = ", ".join(_fmt(vals[a]) for a in self.args if a in vals)
        return f"{self.dist}({body})" + (f" {self.unit}" if self.unit else "")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Distribution) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash(repr(self))


class Uniform(Distribution):
    """Uniform on [low, high]."""

    dist, args = "uniform", ("low", "high")
    aliases = {"lo": "low", "min": "low", "lower": "low", "a": "low",
               "hi": "high", "max": "high", "upper": "high", "b": "high"}

    def __init__(self, low: float, high: float, unit: str | None = None) -> None:
        self.low, self.high = _num(low, "uniform low"), _num(high, "uniform high")
        self.unit = None if unit in DIMENSIONLESS else unit
        if not self.low < self.high:
            raise SweepInputError(
                f"uniform(low={_fmt(self.low)}, high={_fmt(self.high)}): low must be less than "
                "high (use constant(x) for a fixed value)")

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.low + (self.high - self.low) * np.asarray(u, dtype=float)

    def _values(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high}

    def _converted(self, k: float, c: float) -> Distribution:
        lo, hi = sorted((k * self.low + c, k * self.high + c))
        return Uniform(lo, hi)


class _ThreePoint(Distribution):
    """Shared validation of (lo, mode, hi) distributions."""

    aliases = {"low": "lo", "min": "lo", "lower": "lo", "a": "lo", "peak": "mode", "c": "mode",
               "likely": "mode", "high": "hi", "max": "hi", "upper": "hi", "b": "hi"}

    def _check(self) -> None:
        lo, mode, hi = self.lo, self.mode, self.hi
        if not lo < hi:
            raise SweepInputError(f"{self.dist}(lo={_fmt(lo)}, mode={_fmt(mode)}, hi={_fmt(hi)}): "
                                  "lo must be less than hi")
        if not lo <= mode <= hi:
            raise SweepInputError(f"{self.dist}(lo={_fmt(lo)}, mode={_fmt(mode)}, hi={_fmt(hi)}): "
                                  f"mode must lie in [lo, hi] = [{_fmt(lo)}, {_fmt(hi)}]")


class Triangular(_ThreePoint):
    """Triangular on [lo, hi] with its peak at ``mode``."""

    dist, args = "triangular", ("lo", "mode", "hi")

    def __init__(self, lo: float, mode: float, hi: float, unit: str | None = None) -> None:
        self.lo, self.mode, self.hi = (_num(lo, "triangular lo"), _num(mode, "triangular mode"),
                                       _num(hi, "triangular hi"))
        self.unit = None if unit in DIMENSIONLESS else unit
        self._check()

    def ppf(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        lo, m, hi = self.lo, self.mode, self.hi
        fc = (m - lo) / (hi - lo)
        left = lo + np.sqrt(np.clip(u, 0.0, fc) * (hi - lo) * (m - lo))
        right = hi - np.sqrt(np.clip(1.0 - u, 0.0, 1.0 - fc) * (hi - lo) * (hi - m))
        return np.where(u < fc, left, right)

    def _values(self) -> dict[str, Any]:
        return {"lo": self.lo, "mode": self.mode, "hi": self.hi}

    def _converted(self, k: float, c: float) -> Distribution:
        lo, m, hi = (k * v + c for v in (self.lo, self.mode, self.hi))
        return Triangular(*((lo, m, hi) if k > 0 else (hi, m, lo)))


class PERT(_ThreePoint):
    """Beta-PERT on [lo, hi] with mode ``mode`` and shape ``lamb`` (4: the classic PERT).

    alpha = 1 + lamb (mode - lo) / (hi - lo), beta = 1 + lamb (hi - mode) / (hi - lo).
    """

    dist, args = "pert", ("lo", "mode", "hi", "lamb")
    aliases = {**_ThreePoint.aliases, "lambda": "lamb", "gamma": "lamb", "shape": "lamb"}

    def __init__(self, lo: float, mode: float, hi: float, lamb: float = 4.0,
                 unit: str | None = None) -> None:
        self.lo, self.mode, self.hi = (_num(lo, "pert lo"), _num(mode, "pert mode"),
                                       _num(hi, "pert hi"))
        self.lamb = _num(lamb, "pert lamb")
        self.unit = None if unit in DIMENSIONLESS else unit
        self._check()
        if self.lamb <= 0:
            raise SweepInputError(f"pert(...): shape lamb must be > 0, got {_fmt(self.lamb)}")

    def ppf(self, u: np.ndarray) -> np.ndarray:
        from scipy.special import betaincinv

        w = self.hi - self.lo
        a = 1.0 + self.lamb * (self.mode - self.lo) / w
        b = 1.0 + self.lamb * (self.hi - self.mode) / w
        return self.lo + w * betaincinv(a, b, np.clip(np.asarray(u, dtype=float), 0.0, 1.0))

    def _values(self) -> dict[str, Any]:
        return {"lo": self.lo, "mode": self.mode, "hi": self.hi, "lamb": self.lamb}

    def __repr__(self) -> str:
        body = f"{_fmt(self.lo)}, {_fmt(self.mode)}, {_fmt(self.hi)}"
        if self.lamb != 4.0:
            body += f", {_fmt(self.lamb)}"
        return f"pert({body})" + (f" {self.unit}" if self.unit else "")

    def _converted(self, k: float, c: float) -> Distribution:
        lo, m, hi = (k * v + c for v in (self.lo, self.mode, self.hi))
        return PERT(*((lo, m, hi) if k > 0 else (hi, m, lo)), lamb=self.lamb)


class Normal(Distribution):
    """Normal with mean ``mu`` and standard deviation ``sd`` (unbounded)."""

    dist, args = "normal", ("mu", "sd")
    aliases = {"mean": "mu", "loc": "mu", "sigma": "sd", "std": "sd", "scale": "sd"}
    bounded = False

    def __init__(self, mu: float, sd: float, unit: str | None = None) -> None:
        self.mu, self.sd = _num(mu, "normal mu"), _num(sd, "normal sd")
        self.unit = None if unit in DIMENSIONLESS else unit
        if self.sd <= 0:
            raise SweepInputError(f"normal(mu={_fmt(self.mu)}, sd={_fmt(self.sd)}): "
                                  "sd must be > 0")

    def ppf(self, u: np.ndarray) -> np.ndarray:
        from scipy.special import ndtri

        return self.mu + self.sd * ndtri(np.clip(np.asarray(u, dtype=float), _TINY, 1 - _TINY))

    def support(self) -> tuple[float, float]:
        return -math.inf, math.inf

    def _values(self) -> dict[str, Any]:
        return {"mu": self.mu, "sd": self.sd}

    def _converted(self, k: float, c: float) -> Distribution:
        return Normal(k * self.mu + c, abs(k) * self.sd)


class LogNormal(Distribution):
    """Lognormal: ln x is normal with mean ``mu`` and standard deviation ``sigma``.

    The median is exp(mu); to describe a median m with a geometric spread, use mu = ln m.
    """

    dist, args = "lognormal", ("mu", "sigma")
    aliases = {"mean_log": "mu", "meanlog": "mu", "sd": "sigma", "s": "sigma", "sdlog": "sigma"}
    bounded = False

    def __init__(self, mu: float, sigma: float, unit: str | None = None) -> None:
        self.mu, self.sigma = _num(mu, "lognormal mu"), _num(sigma, "lognormal sigma")
        self.unit = None if unit in DIMENSIONLESS else unit
        if self.sigma <= 0:
            raise SweepInputError(f"lognormal(mu={_fmt(self.mu)}, sigma={_fmt(self.sigma)}): "
                                  "sigma must be > 0")

    def ppf(self, u: np.ndarray) -> np.ndarray:
        from scipy.special import ndtri

        z = ndtri(np.clip(np.asarray(u, dtype=float), _TINY, 1 - _TINY))
        return np.exp(self.mu + self.sigma * z)

    def support(self) -> tuple[float, float]:
        return 0.0, math.inf

    def _values(self) -> dict[str, Any]:
        return {"mu": self.mu, "sigma": self.sigma}

    def _converted(self, k: float, c: float) -> Distribution:
        if c != 0.0 or k <= 0:
            raise SweepInputError(f"{self!r}: a lognormal cannot be converted between units "
                                  "with an offset (e.g. degC -> K); give it in the parameter's unit")
        return LogNormal(self.mu + math.log(k), self.sigma)


class Choice(Distribution):
    """Discrete choice among ``values`` (strings such as feedstock ids, or numbers).

    Equal weights unless ``weights`` (positive, normalised here) are given.
    """

    dist, args = "choice", ("values", "weights")
    aliases = {"choices": "values", "options": "values", "p": "weights", "probabilities": "weights"}

    def __init__(self, values: Sequence[Any], weights: Sequence[float] | None = None,
                 unit: str | None = None) -> None:
        if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
            raise SweepInputError(f"choice: values must be a list, got {values!r}")
        vals = list(values.tolist() if isinstance(values, np.ndarray) else values)
        if not vals:
            raise SweepInputError("choice(): needs at least one value")
        is_str = [isinstance(v, str) for v in vals]
        if any(is_str) and not all(is_str):
            raise SweepInputError(f"choice{tuple(vals)}: mix of text and numbers")
        self.numeric = not all(is_str)
        if self.numeric:
            vals = [_num(v, "choice value") for v in vals]
        if len(set(vals)) != len(vals):
            raise SweepInputError(f"choice{tuple(vals)}: values must be distinct")
        self.values: tuple[Any, ...] = tuple(vals)
        if weights is None:
            w = np.full(len(vals), 1.0 / len(vals))
            self.weights: tuple[float, ...] | None = None
        else:
            w = np.array([_num(x, "choice weight") for x in weights])
            if w.shape != (len(vals),) or np.any(w <= 0):
                raise SweepInputError(f"choice{tuple(vals)}: weights {list(weights)} must be "
                                      f"{len(vals)} positive numbers")
            w = w / w.sum()
            self.weights = tuple(float(x) for x in w)
        self._cum = np.cumsum(w)
        self._cum[-1] = 1.0
        self.unit = None if unit in DIMENSIONLESS else unit
        if not self.numeric and self.unit:
            raise SweepInputError(f"choice{tuple(vals)}: text choices take no unit, got {unit!r}")

    @property
    def kind(self) -> str:  # type: ignore[override]
        return "float" if self.numeric else "choice"

    def ppf(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        idx = np.minimum(np.searchsorted(self._cum, u, side="right"), len(self.values) - 1)
        arr = np.array(self.values, dtype=float if self.numeric else str)
        return arr[idx]

    def support(self) -> tuple[float, float]:
        if not self.numeric:
            return math.nan, math.nan
        return float(min(self.values)), float(max(self.values))

    def grid_u(self, n: int) -> np.ndarray:
        """Every value once (``n`` is ignored): the mid-point of each value's quantile band."""
        lo = np.concatenate([[0.0], self._cum[:-1]])
        return (lo + self._cum) / 2

    def _values(self) -> dict[str, Any]:
        d: dict[str, Any] = {"values": list(self.values)}
        if self.weights is not None:
            d["weights"] = list(self.weights)
        return d

    def __repr__(self) -> str:
        if self.weights is None:
            body = ",".join(_fmt(v) for v in self.values)
        else:
            body = ",".join(f"{_fmt(v)}:{w:.12g}" for v, w in zip(self.values, self.weights))
        return f"choice({body})" + (f" {self.unit}" if self.unit else "")

    def _converted(self, k: float, c: float) -> Distribution:
        if not self.numeric:
            return self
        return Choice([k * v + c for v in self.values], self.weights)


class Constant(Distribution):
    """A fixed value (number or text): not sampled, only recorded and passed on."""

    dist, args = "constant", ("value",)
    aliases = {"x": "value"}

    def __init__(self, value: Any, unit: str | None = None) -> None:
        self.value = value if isinstance(value, str) else _num(value, "constant value")
        self.unit = None if unit in DIMENSIONLESS else unit
        if isinstance(value, str) and self.unit:
            raise SweepInputError(f"constant({value}): text takes no unit, got {unit!r}")

    @property
    def kind(self) -> str:  # type: ignore[override]
        return "choice" if isinstance(self.value, str) else "float"

    def ppf(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u)
        return np.full(u.shape, self.value, dtype=None if isinstance(self.value, str) else float)

    def support(self) -> tuple[float, float]:
        if isinstance(self.value, str):
            return math.nan, math.nan
        return self.value, self.value

    def _values(self) -> dict[str, Any]:
        return {"value": self.value}

    def _converted(self, k: float, c: float) -> Distribution:
        return self if isinstance(self.value, str) else Constant(k * self.value + c)


_CLASSES: dict[str, type[Distribution]] = {
    "uniform": Uniform, "u": Uniform, "unif": Uniform,
    "triangular": Triangular, "tri": Triangular, "triang": Triangular,
    "pert": PERT, "betapert": PERT, "beta_pert": PERT,
    "normal": Normal, "norm": Normal, "gauss": Normal, "gaussian": Normal,
    "lognormal": LogNormal, "lognorm": LogNormal,
    "choice": Choice, "discrete": Choice, "categorical": Choice,
    "constant": Constant, "const": Constant, "fixed": Constant,
}
_CALL = re.compile(r"^\s*([A-Za-z_]\w*)\s*\((.*)\)\s*(.*?)\s*$", re.S)
_NUMBER_UNIT = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


def _token(tok: str) -> Any:
    tok = tok.strip()
    if len(tok) >= 2 and tok[0] == tok[-1] and tok[0] in "'\"":
        return tok[1:-1]
    try:
        return float(tok)
    except ValueError:
        return tok


def _value_weight(tok: str) -> tuple[str, str | None]:
    """``"a:3"`` -> ("a", "3"); a quoted value keeps its colons (``"'rdf:0.6+wood_chips:0.4':2"``
    -> ("'rdf:0.6+wood_chips:0.4'", "2"), e.g. a feed blend); no weight -> None."""
    if tok[:1] in "'\"":
        end = tok.find(tok[0], 1)
        if end > 0:
            rest = tok[end + 1:].strip()
            return tok[:end + 1], (rest[1:].strip() if rest.startswith(":") else None)
    if ":" in tok:
        v, w = tok.rsplit(":", 1)
        return v, w
    return tok, None


def _unknown_dist(name: str) -> SweepInputError:
    import difflib

    close = difflib.get_close_matches(name.lower(), sorted(set(_CLASSES)), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return SweepInputError(f"unknown distribution {name!r}{hint} (known: uniform, triangular/tri, "
                           "pert, normal, lognormal, choice, constant)")


def parse(text: str) -> Distribution:
    """Parse ``"tri(60,80,120) EUR/t"``, ``"choice(a,b)"``, ``"1200 K"``, ``"wood_chips"``.

    Raises :class:`SweepInputError` naming the text for an unknown distribution, wrong number of
    arguments or an impossible distribution.
    """
    if not isinstance(text, str):
        raise SweepInputError(f"expected a distribution as text, got {text!r}")
    m = _CALL.match(text)
    if m is None:
        nu = _NUMBER_UNIT.match(text)
        if nu:
            return Constant(float(nu.group(1)), unit=nu.group(2) or None)
        if not text.strip():
            raise SweepInputError("empty distribution text")
        return Constant(_token(text))
    fname, body, unit = m.group(1), m.group(2), m.group(3) or None
    cls = _CLASSES.get(fname.lower())
    if cls is None:
        raise _unknown_dist(fname)
    toks = [t for t in (s.strip() for s in body.split(",")) if t]
    try:
        if cls is Choice:
            pairs = [_value_weight(t) for t in toks]
            if any(w is not None for _, w in pairs):
                return Choice([_token(v) for v, _ in pairs], [float(w if w is not None else "nan")
                                                               for _, w in pairs], unit)
            return Choice([_token(t) for t in toks], unit=unit)
        pos: list[Any] = []
        kw: dict[str, Any] = {}
        for t in toks:
            if "=" in t:
                k, v = (s.strip() for s in t.split("=", 1))
                kw[cls.aliases.get(k, k)] = _token(v)
            else:
                pos.append(_token(t))
        n_req = len(cls.args) - (1 if cls is PERT else 0)
        if not n_req <= len(pos) + len(kw) <= len(cls.args) or any(k not in cls.args for k in kw):
            raise SweepInputError(f"{text.strip()!r}: {cls.dist} takes arguments "
                                  f"({', '.join(cls.args)}), got {body!r}")
        return cls(*pos, **kw, unit=unit)  # type: ignore[call-arg]
    except SweepInputError as exc:
        if text.strip() in str(exc):
            raise
        raise SweepInputError(f"{text.strip()!r}: {exc}") from None


def from_dict(spec: Mapping[str, Any]) -> Distribution:
    """Build from the YAML/JSON form: ``{"dist": "tri", "lo": 60, "mode": 80, "hi": 120,
    "unit": "EUR/t"}``, ``{"dist": "uniform", "args": [1100, 1500]}`` or
    ``{"dist": "choice", "values": [...], "weights": [...]}``."""
    spec = dict(spec)
    name = spec.pop("dist", None) or spec.pop("distribution", None) or spec.pop("type", None)
    if name is None:
        raise SweepInputError(f"{spec!r}: missing 'dist' (e.g. dist: uniform)")
    cls = _CLASSES.get(str(name).lower())
    if cls is None:
        raise _unknown_dist(str(name))
    unit = spec.pop("unit", None)
    pos = list(spec.pop("args", []))
    kw = {cls.aliases.get(k, k): v for k, v in spec.items()}
    bad = [k for k in kw if k not in cls.args]
    if bad:
        raise SweepInputError(f"{name}: unknown field(s) {bad}; expected {list(cls.args)}, unit")
    try:
        return cls(*pos, **kw, unit=unit)  # type: ignore[call-arg]
    except TypeError as exc:
        raise SweepInputError(f"{name}: {exc}; expected fields {list(cls.args)}") from None


def as_distribution(spec: Any) -> Distribution:
    """Any accepted form -> :class:`Distribution`.

    A :class:`Distribution`; text (:func:`parse`); a mapping (:func:`from_dict`); a
    ``(low, high)`` tuple of numbers (uniform); a list (equal-weight choice); a number, pint
    Quantity or text value (constant).
    """
    if isinstance(spec, Distribution):
        return spec
    if isinstance(spec, str):
        return parse(spec)
    if isinstance(spec, Mapping):
        return from_dict(spec)
    if isinstance(spec, tuple) and len(spec) == 2 and all(
            isinstance(v, (int, float, np.integer, np.floating)) for v in spec):
        return Uniform(*spec)
    if isinstance(spec, (list, np.ndarray)):
        return Choice(list(spec))
    if isinstance(spec, (int, float, np.integer, np.floating)) and not isinstance(spec, bool):
        return Constant(float(spec))
    if hasattr(spec, "magnitude") and hasattr(spec, "units"):  # pint Quantity
        return Constant(float(spec.magnitude), unit=f"{spec.units:~}")
    raise SweepInputError(f"cannot make a distribution from {spec!r} ({type(spec).__name__})")
