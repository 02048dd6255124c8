"""Evaluate one chunk of cases on a flowsheet, isolating the cases that raise.

:func:`evaluate` calls ``fs.simulate`` once on the whole chunk. If that raises, the chunk is
bisected and each half retried, down to single cases, so that only the cases that raise are
flagged (status ``"error: <ExceptionType>: <message>"``) and every other case keeps its numbers.
Cases that the flowsheet itself marks as failed keep the flowsheet's reason.

The same function runs in-process and on Dask workers (:func:`chunk_task`); a flowsheet reaches
a worker as its route spec (``fs.route_spec``, rebuilt with ``carbonhub.routes.load``) or, for a
flowsheet without one, pickled with cloudpickle.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .errors import SweepRuntimeError

__all__ = ["evaluate", "FlowsheetPayload", "payload_for", "chunk_task", "kpi_arrays", "overrides"]

_REASON_MAX = 400


def _reason(exc: BaseException) -> str:
    msg = " ".join(str(exc).split())
    text = f"error: {type(exc).__name__}: {msg}" if msg else f"error: {type(exc).__name__}"
    return text[:_REASON_MAX]


def kpi_arrays(kpis: Any, n: int) -> dict[str, np.ndarray]:
    """A result's KPI table as float (or text) columns of length ``n``; dict cells are flattened
    into ``name.key`` columns (e.g. ``products_t_per_h.diesel``)."""
    df = kpis if isinstance(kpis, pd.DataFrame) else pd.DataFrame(kpis)
    if len(df) != n:
        raise SweepRuntimeError(f"fs.simulate returned {len(df)} KPI rows for {n} cases")
    out: dict[str, np.ndarray] = {}
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            out[str(col)] = s.to_numpy(dtype=float, na_value=np.nan)
            continue
        cells = s.tolist()
        if any(isinstance(v, Mapping) for v in cells):
            sub = pd.DataFrame([dict(v) if isinstance(v, Mapping) else {} for v in cells])
            for k in sub.columns:
                out[f"{col}.{k}"] = pd.to_numeric(sub[k], errors="coerce").to_numpy(dtype=float)
        else:
            out[str(col)] = np.array([None if v is None or v != v else str(v) for v in cells],
                                     dtype=object)
    return out


def _unpack(res: Any, n: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    n_res = int(getattr(res, "n_cases", n))
    if n_res != n:
        raise SweepRuntimeError(f"fs.simulate returned {n_res} cases for {n} inputs")
    status = np.asarray(res.status).astype(str).reshape(-1)
    if status.shape != (n,):
        raise SweepRuntimeError(f"fs.simulate returned {status.size} status values for {n} cases")
    return kpi_arrays(res.kpis, n), status.astype(object)


def _merge(parts: list[tuple[dict[str, np.ndarray], int]]) -> dict[str, np.ndarray]:
    names: list[str] = []
    kinds: dict[str, bool] = {}
    for kp, _ in parts:
        for k, v in kp.items():
            if k not in kinds:
                names.append(k)
                kinds[k] = v.dtype == object
    out = {}
    for k in names:
        cols = []
        for kp, m in parts:
            if k in kp:
                cols.append(kp[k])
            else:
                cols.append(np.full(m, None, dtype=object) if kinds[k] else np.full(m, np.nan))
        out[k] = np.concatenate(cols)
    return out


def evaluate(fs: Any, inputs: Mapping[str, np.ndarray], fixed: Mapping[str, Any],
             n: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Simulate ``n`` cases: ``inputs`` (arrays of length ``n``) on top of ``fixed`` values.

    Returns (KPI columns, status array). An exception from ``fs.simulate`` is isolated by
    bisection to the cases that raise it; those cases get NaN KPIs and an ``"error: ..."`` status.
    """
    params = {**fixed, **inputs}
    try:
        res = fs.simulate(params)
    except Exception as exc:  # noqa: BLE001 - any failure of a case is recorded, never fatal
        if n <= 1:
            return {}, np.array([_reason(exc)], dtype=object)
        h = n // 2
        left = evaluate(fs, {k: v[:h] for k, v in inputs.items()}, fixed, h)
        right = evaluate(fs, {k: v[h:] for k, v in inputs.items()}, fixed, n - h)
        return _merge([(left[0], h), (right[0], n - h)]), np.concatenate([left[1], right[1]])
    return _unpack(res, n)


@dataclass(frozen=True)
class FlowsheetPayload:
    """What a worker needs to rebuild the flowsheet: a route spec (JSON) or cloudpickle bytes.

    ``overrides`` are the parameter values set on the flowsheet after it was built (they are not
    in the route spec); the worker passes them to every ``simulate`` call.
    """

    key: str
    kind: str  # "route" or "pickle"
    data: Any
    overrides: dict[str, Any] = field(default_factory=dict)


def overrides(fs: Any) -> dict[str, Any]:
    """Parameters whose current ``value`` differs from their ``default`` (``parameters()``)."""
    table = fs.parameters()
    if "value" not in table.columns or "default" not in table.columns:
        return {}
    out = {}
    for name, v, d in zip(table["name"], table["value"], table["default"]):
        try:
            same = bool(np.all(np.asarray(v) == np.asarray(d)))
        except (TypeError, ValueError):
            same = False
        if not same and isinstance(v, float) and isinstance(d, float) and v != v and d != d:
            same = True  # both NaN
        if not same:
            out[str(name)] = v.tolist() if isinstance(v, np.ndarray) else v
    return out


def payload_for(fs: Any) -> FlowsheetPayload:
    """The payload of ``fs``: its ``route_spec`` (plus parameter overrides) when it has one,
    else cloudpickle of ``fs``."""
    spec = getattr(fs, "route_spec", None)
    if spec is not None:
        ov = overrides(fs)
        text = json.dumps([spec, ov], sort_keys=True, default=str)
        return FlowsheetPayload(hashlib.sha256(text.encode()).hexdigest(), "route", spec, ov)
    import cloudpickle

    blob = cloudpickle.dumps(fs)
    return FlowsheetPayload(hashlib.sha256(blob).hexdigest(), "pickle", blob)


def build_route(spec: Any) -> Any:
    """Rebuild a flowsheet from a route spec: ``"name"``, ``(name, params)`` or
    ``{"route" or "name": name, "params": {...}}`` -> ``carbonhub.routes.load(name, **params)``."""
    from carbonhub import routes  # type: ignore[attr-defined]

    if isinstance(spec, str):
        return routes.load(spec)
    if isinstance(spec, Mapping):
        name = spec.get("route", spec.get("name"))
        kw = spec.get("params", spec.get("build_params", spec.get("kwargs"))) or {}
    else:
        name, kw = spec
    return routes.load(name, **dict(kw))


_FS_CACHE: dict[str, Any] = {}


def _flowsheet(payload: FlowsheetPayload) -> Any:
    fs = _FS_CACHE.get(payload.key)
    if fs is None:
        if payload.kind == "route":
            fs = build_route(payload.data)
        else:
            import cloudpickle

            fs = cloudpickle.loads(payload.data)
        if len(_FS_CACHE) >= 4:
            _FS_CACHE.clear()
        _FS_CACHE[payload.key] = fs
    return fs


def chunk_task(payload: FlowsheetPayload, inputs: Mapping[str, np.ndarray],
               fixed: Mapping[str, Any], n: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Dask task: rebuild (once per worker) the flowsheet and :func:`evaluate` one chunk."""
    return evaluate(_flowsheet(payload), inputs, {**payload.overrides, **fixed}, n)
