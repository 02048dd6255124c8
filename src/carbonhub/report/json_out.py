"""The results JSON of DESIGN.md (what ``carbonhub run --json`` writes).

Per-case values are scalars for a single case and lists for several; NaN is ``null``, and a
failed case (status not "ok") carries no numbers: its KPI, unit and stream values are ``null``
(the reason is in ``status``); only plain Python types, so ``json.dumps(..., allow_nan=False)``
works.

Example
-------
>>> import json
>>> import carbonhub as ch
>>> from carbonhub.unitops.sources import GasSource, Sink
>>> fs = ch.Flowsheet("demo", components=ch.ComponentSet.from_ids(["CO", "H2"]))
>>> src = fs.add(GasSource("gas", {"CO": 1, "H2": 2}, flow=3.0))
>>> out = fs.add(Sink("out", category="product", product="syngas"))
>>> _ = fs.connect(src.outlets.out, out.inlets.feed)
>>> d = result_to_json(fs, fs.simulate())
>>> d["streams"]["gas_out"]["flow_mol_s"], d["kpis"]["products_t_per_h"]["syngas"] > 0
({'CO': 1.0, 'H2': 2.0}, True)
>>> len(json.dumps(d, allow_nan=False)) > 0
True
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..thermo.components import BALANCE_ELEMENTS
from ._util import build_params, per_case, route_name, to_py
from .costs import unit_cost_records

if TYPE_CHECKING:  # pragma: no cover
    from ..core.flowsheet import Flowsheet
    from ..core.results import SimulationResult


def _failed(res: "SimulationResult") -> np.ndarray:
    return np.asarray(res.status).astype(str) != "ok"


def _per_case(values: Any, n: int, failed: np.ndarray) -> Any:
    """:func:`per_case`, with the numbers of failed cases replaced by NaN (JSON ``null``)."""
    a = np.asarray(values)
    if failed.any() and a.dtype.kind in "fiub":
        a = np.array(np.broadcast_to(a.astype(float), (n,)) if a.ndim == 0 else a.astype(float))
        a = a.reshape(n, -1)
        a[failed] = np.nan
        a = a.reshape(-1) if a.shape[1] == 1 else a
    return per_case(a, n)


def _worst(values: Any) -> float | None:
    a = np.asarray(values, dtype=float).reshape(-1)
    a = a[np.isfinite(a)]
    return float(a.max()) if a.size else None


def kpis_json(res: "SimulationResult") -> dict[str, Any]:
    """``{name: value or [values]}``; a dotted column ``a.b`` becomes ``{"a": {"b": ...}}``
    (``products_t_per_h.diesel`` -> ``products_t_per_h: {diesel: ...}``)."""
    n, failed = res.n_cases, _failed(res)
    out: dict[str, Any] = {"products_t_per_h": {}}
    for col in res.kpis.columns:
        v = _per_case(res.kpis[col].to_numpy(), n, failed)
        if "." in str(col):
            head, tail = str(col).split(".", 1)
            d = out.setdefault(head, {})
            if isinstance(d, dict):
                d[tail] = v
                continue
        out[str(col)] = v
    return out


def balances_json(res: "SimulationResult") -> dict[str, Any]:
    """Worst residual over all cases (failed cases excluded) of each balance."""
    b = res.balances
    return {"mass_rel": _worst(b["mass_rel"]) if "mass_rel" in b else None,
            "elements_rel": {e: _worst(b[f"{e}_rel"]) if f"{e}_rel" in b else None
                             for e in BALANCE_ELEMENTS},
            "energy_rel": _worst(b["energy_rel"]) if "energy_rel" in b else None}


def units_json(res: "SimulationResult") -> dict[str, Any]:
    """Per unit: type, design results, utilities (``util_`` prefix), heat_W, power_W and, when
    costed, the unit's cost results."""
    n, failed = res.n_cases, _failed(res)
    costs = unit_cost_records(res)
    out: dict[str, Any] = {}
    for uid, unit in res.flowsheet.units.items():
        d: dict[str, Any] = {"type": type(unit).__name__}
        cat = getattr(unit, "category", None)
        if unit.kind == "sink" and cat:
            d["category"] = cat
        r = res.unit_results.get(uid)
        if r is not None:
            for k, v in r.design.items():
                d[k] = _per_case(v, n, failed)
            for k, v in r.utilities.items():
                d[f"util_{k}"] = _per_case(v, n, failed)
            d["heat_W"] = _per_case(r.heat, n, failed)
            d["power_W"] = _per_case(r.power, n, failed)
        for k, v in costs.get(uid, {}).items():
            d[k] = _per_case(v, n, failed)
        out[uid] = d
    return out


def streams_json(res: "SimulationResult") -> dict[str, Any]:
    """Per stream: T_K, P_Pa and flow_mol_s of the components that are non-zero in some case."""
    n, failed = res.n_cases, _failed(res)
    ids = list(res.flowsheet.components.ids)
    out: dict[str, Any] = {}
    for sid, s in res.stream_data.items():
        flows = {}
        for j, cid in enumerate(ids):
            col = s.flow[:, j]
            if np.any(np.nan_to_num(col) != 0):
                flows[cid] = _per_case(col, n, failed)
        out[sid] = {"T_K": _per_case(s.T, n, failed), "P_Pa": _per_case(s.P, n, failed),
                    "flow_mol_s": flows}
    return out


def result_to_json(fs: "Flowsheet", res: "SimulationResult") -> dict[str, Any]:
    """The results JSON of DESIGN.md as a dict of plain Python values.

    Keys: route, build_params (the route's build options as given to ``routes.load``, e.g.
    ``{"zld": true}``; ``{}`` at its defaults), carbonhub_version, n_cases, kpis, balances, status,
    units, streams.
    """
    from .. import __version__

    d = {
        "route": route_name(fs),
        "build_params": build_params(fs),
        "carbonhub_version": __version__,
        "n_cases": int(res.n_cases),
        "kpis": kpis_json(res),
        "balances": balances_json(res),
        "status": [str(s) for s in np.asarray(res.status).tolist()],
        "units": units_json(res),
        "streams": streams_json(res),
    }
    return to_py(d)
