"""Bind user parameter specs to a flowsheet's parameter table: names, units, kinds and bounds.

The flowsheet's ``parameters()`` table (columns name, default, unit, lower, upper, doc, kind,
choices) is the reference: every swept name must be in it (else a :class:`SweepInputError` that
lists close matches), every distribution is converted to the parameter's unit, a text choice may
only feed a ``choice`` parameter and must use its allowed values, a bounded distribution must
lie inside [lower, upper], and an unbounded one (normal, lognormal) may put no more than 1 case in
10,000 outside it.

Example
-------
>>> import pandas as pd
>>> from carbonhub.sweep.params import bind
>>> table = pd.DataFrame({"name": ["gasifier.T"], "default": [1200.0], "unit": ["K"],
...     "lower": [900.0], "upper": [1600.0], "doc": [""], "kind": ["float"], "choices": [None]})
>>> bind(table, {"gasifier.T": "uniform(850,1050) degC"})
{'gasifier.T': uniform(1123.15, 1323.15) K}
"""
from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .distributions import DIMENSIONLESS, Constant, Distribution, as_distribution
from .errors import SweepInputError

__all__ = ["bind", "parameter_table", "check_names"]

_COLUMNS = ("name", "default", "unit", "lower", "upper", "doc", "kind", "choices")


def parameter_table(fs: Any) -> pd.DataFrame:
    """``fs.parameters()`` indexed by name, with missing optional columns filled."""
    table = fs.parameters() if not isinstance(fs, pd.DataFrame) else fs
    table = table.copy()
    if "name" not in table.columns:
        raise SweepInputError("flowsheet parameters() table has no 'name' column")
    for col, fill in (("unit", None), ("lower", math.nan), ("upper", math.nan), ("kind", "float"),
                      ("choices", None), ("default", None), ("doc", "")):
        if col not in table.columns:
            table[col] = fill
    return table.set_index("name", drop=False)


def check_names(table: pd.DataFrame, names: list[str]) -> None:
    """Raise :class:`SweepInputError` for the first name not in ``table``, with close matches."""
    known = list(table.index)
    for name in names:
        if name not in table.index:
            close = difflib.get_close_matches(name, known, n=5, cutoff=0.5)
            hint = f"; did you mean: {', '.join(close)}?" if close else ""
            raise SweepInputError(f"unknown parameter {name!r}{hint} "
                                  f"({len(known)} parameters: see fs.parameters())")


def _finite(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _bind_one(name: str, spec: Any, row: pd.Series) -> Distribution:
    try:
        dist = as_distribution(spec)
    except SweepInputError as exc:
        raise SweepInputError(f"parameter {name!r}: {exc}") from None
    unit = row["unit"] if isinstance(row["unit"], str) else None
    kind = str(row["kind"]) if isinstance(row["kind"], str) else "float"
    if kind == "text":  # e.g. feed.blend: a choice of texts, each checked when the cases run
        if dist.kind != "choice":
            raise SweepInputError(f"parameter {name!r} takes text; {dist!r} gives numbers "
                                  "(use choice('a','b',...) or a single value)")
        return dist
    if kind == "choice":
        if dist.kind != "choice":
            raise SweepInputError(f"parameter {name!r} is a choice; {dist!r} gives numbers "
                                  "(use choice(a,b,...) or a single value)")
        allowed = row["choices"]
        if allowed is not None and not (isinstance(allowed, float) and math.isnan(allowed)):
            allowed = [str(a) for a in allowed]
            values = dist.values if hasattr(dist, "values") else (dist.value,)  # type: ignore[attr-defined]
            for v in values:
                if v not in allowed:
                    close = difflib.get_close_matches(str(v), allowed, n=3, cutoff=0.5)
                    hint = f" (did you mean {', '.join(close)}?)" if close else ""
                    raise SweepInputError(f"parameter {name!r}: {v!r} is not an allowed choice"
                                          f"{hint}; allowed: {allowed}")
        return dist
    if dist.kind == "choice":
        raise SweepInputError(f"parameter {name!r} takes numbers [{unit or '-'}]; got {dist!r}")
    try:
        dist = dist.to(unit, name=name)
    except SweepInputError as exc:
        raise SweepInputError(f"parameter {name!r}: {exc}") from None
    lo, hi = _finite(row["lower"]), _finite(row["upper"])
    u = f" {unit}" if unit not in DIMENSIONLESS else ""
    allowed = f"[{lo if lo is not None else '-inf'}, {hi if hi is not None else 'inf'}]{u}"
    if dist.bounded or isinstance(dist, Constant):
        s_lo, s_hi = dist.support()
        if (lo is not None and s_lo < lo - 1e-12 * abs(lo)) or (
                hi is not None and s_hi > hi + 1e-12 * abs(hi)):
            raise SweepInputError(
                f"parameter {name!r}: {dist!r} spans [{s_lo:g}, {s_hi:g}]{u}, outside the allowed "
                f"range {allowed}")
        return dist
    # unbounded (normal, lognormal): refuse up front when a noticeable share of the cases
    # (1 in 10,000 or more) would fall outside the allowed range, rather than let those cases
    # fail one by one; the far tails beyond that are left to fail per case (status)
    q = (np.arange(10_000) + 0.5) / 10_000
    x = dist.ppf(q)
    out = ((x < lo) if lo is not None else False) | ((x > hi) if hi is not None else False)
    if np.any(out):
        raise SweepInputError(
            f"parameter {name!r}: {dist!r} puts about {100 * float(np.mean(out)):.2g} % of the cases "
            f"outside the allowed range {allowed}; use a bounded distribution (uniform, tri, pert) "
            "or a narrower spread")
    return dist


def bind(fs_or_table: Any, params: Mapping[str, Any]) -> dict[str, Distribution]:
    """Check names and convert every spec to a :class:`Distribution` in the parameter's unit.

    Returns a dict sorted by parameter name (the order of the sampler's dimensions, so that the
    samples do not depend on the order the user wrote the parameters in).
    """
    if not isinstance(params, Mapping):
        raise SweepInputError(f"params must be a mapping name -> distribution, got {type(params)}")
    table = parameter_table(fs_or_table)
    names = sorted(params)
    check_names(table, names)
    return {name: _bind_one(name, params[name], table.loc[name]) for name in names}


def free_bind(params: Mapping[str, Any]) -> dict[str, Distribution]:
    """Bind without a flowsheet (plain functions): specs as given, no unit conversion."""
    out: dict[str, Distribution] = {}
    for name in sorted(params):
        try:
            out[name] = as_distribution(params[name])
        except SweepInputError as exc:
            raise SweepInputError(f"parameter {name!r}: {exc}") from None
    return out


def fixed_values(dists: Mapping[str, Distribution]) -> dict[str, Any]:
    """The constants among ``dists`` as plain values (float or str)."""
    return {k: d.value for k, d in dists.items() if isinstance(d, Constant)}  # type: ignore[attr-defined]


def sampled(dists: Mapping[str, Distribution]) -> dict[str, Distribution]:
    """The non-constant distributions (the sampler's dimensions), in order."""
    return {k: d for k, d in dists.items() if not isinstance(d, Constant)}


def values_from_u(dists: Mapping[str, Distribution], u: np.ndarray) -> dict[str, np.ndarray]:
    """Map u-samples (n, d) column by column through each distribution's ppf."""
    return {k: d.ppf(u[:, j]) for j, (k, d) in enumerate(dists.items())}
