"""Tables of a simulation result: KPIs (text for the terminal and a DataFrame), streams as
columns (the classic stream table of a process flow diagram) and units.

Example
-------
>>> import carbonhub as ch
>>> from carbonhub.unitops.sources import GasSource, Sink
>>> fs = ch.Flowsheet("demo", components=ch.ComponentSet.from_ids(["CO", "H2"]))
>>> src = fs.add(GasSource("gas", {"CO": 1, "H2": 2}, flow=3.0, P=2e5))
>>> out = fs.add(Sink("out", category="product", product="syngas"))
>>> _ = fs.connect(src.outlets.out, out.inlets.feed)
>>> res = fs.simulate()
>>> print(stream_table(res).loc[["P [bar]", "x H2"]].astype(float).round(4))
stream   gas_out
P [bar]   2.0000
x H2      0.6667
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..feedstocks import M_C
from ._util import finite, fmt, kpi_unit, money_label, route_name
from .costs import capex_by_unit

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..core.flowsheet import Flowsheet
    from ..core.results import SimulationResult

MAX_CASE_COLUMNS = 8
PERCENTILES = (5, 50, 95)


def kpi_table(res: "SimulationResult", percent: bool = False) -> "pd.DataFrame":
    """KPIs as rows with a ``unit`` column and one column per case (``case 0`` ...) for up to
    8 cases, else the percentiles ``p5``, ``p50``, ``p95`` over the ok cases and ``n ok``.
    With ``percent``, fractions (unit "-") are shown in % (values x 100, unit "%")."""
    import pandas as pd

    k = res.kpis
    if percent:
        frac = [c for c in k.columns if kpi_unit(str(c)) == "-"]
        k = k.assign(**{c: k[c].to_numpy(dtype=float) * 100.0 for c in frac})
    n = res.n_cases
    idx = pd.Index([str(c) for c in k.columns], name="kpi")
    money = money_label(res)
    units = [kpi_unit(c, money) for c in idx]
    if percent:
        units = ["%" if u == "-" else u for u in units]
    out = pd.DataFrame({"unit": units}, index=idx)
    if n <= MAX_CASE_COLUMNS:
        for i in range(n):
            out[f"case {i}"] = k.iloc[i].to_numpy(dtype=float)
        return out
    for p in PERCENTILES:
        vals = []
        for c in k.columns:
            a = finite(k[c].to_numpy(dtype=float))
            vals.append(float(np.percentile(a, p)) if a.size else np.nan)
        out[f"p{p}"] = vals
    out["n ok"] = [int(finite(k[c].to_numpy(dtype=float)).size) for c in k.columns]
    return out


def kpi_summary(res: "SimulationResult") -> str:
    """An aligned text table of the KPIs for the terminal (see :func:`kpi_table`)."""
    t = kpi_table(res)
    n = res.n_cases
    n_ok = int((np.asarray(res.status) == "ok").sum())
    head = (f"{route_name(res.flowsheet)}: {n} case{'s' if n != 1 else ''}, {n_ok} ok"
            + ("" if n <= MAX_CASE_COLUMNS else " (percentiles over the ok cases)"))
    cols = [c for c in t.columns if c != "unit"]
    rows = [["KPI", "unit", *cols]]
    for name, r in t.iterrows():
        rows.append([str(name), r["unit"] or "", *[fmt(r[c]) for c in cols]])
    if n <= MAX_CASE_COLUMNS and n_ok < n:
        rows.append(["status", "", *[str(s)[:24] for s in np.asarray(res.status)]])
    widths = [max(len(r[j]) for r in rows) for j in range(len(rows[0]))]
    lines = [head]
    for i, r in enumerate(rows):
        cells = [r[0].ljust(widths[0]), r[1].ljust(widths[1])]
        cells += [c.rjust(w) for c, w in zip(r[2:], widths[2:])]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _ends(res: "SimulationResult") -> dict[str, tuple[str, str]]:
    return {c.id: (f"{c.src.unit.id}.{c.src.name}", f"{c.dst.unit.id}.{c.dst.name}")
            for c in res.flowsheet.connections}


def stream_table(res: "SimulationResult", case: int = 0, basis: str = "mole_fraction",
                 min_value: float = 0.0) -> "pd.DataFrame":
    """Streams as columns, in flowsheet connection order, for one case.

    Rows: from, to, T [K], T [°C], P [bar], molar flow [kmol/h], mass flow [t/h], carbon [t C/h],
    then per component present in any stream either ``x <id>`` (mole fraction, basis
    "mole_fraction") or ``<id> [kmol/h]`` (basis "flow"). Components whose value never exceeds
    ``min_value`` are left out.
    """
    import pandas as pd

    if basis not in ("mole_fraction", "flow"):
        raise ValueError(f"basis = {basis!r}: expected 'mole_fraction' or 'flow'")
    if not 0 <= case < res.n_cases:
        raise IndexError(f"case {case}: expected 0 <= case < {res.n_cases}")
    ends = _ends(res)
    cs = res.flowsheet.components
    cols: dict[str, list] = {}
    comp_rows: dict[str, np.ndarray] = {}
    sids = [c.id for c in res.flowsheet.connections if c.id in res.stream_data]
    for sid in sids:
        s = res.stream_data[sid]
        f = s.flow[case]
        tot = float(f.sum())
        cols[sid] = [ends[sid][0], ends[sid][1], float(s.T[case]), float(s.T[case]) - 273.15,
                     float(s.P[case]) / 1e5,
                     tot * 3.6, float(s.mass_flow[case]) * 3.6,
                     float(s.carbon_flow[case]) * M_C * 3.6]
        comp_rows[sid] = f / tot if (basis == "mole_fraction" and tot > 0) else (
            f * 3.6 if basis == "flow" else np.zeros_like(f))
    head = ["from", "to", "T [K]", "T [°C]", "P [bar]", "molar flow [kmol/h]", "mass flow [t/h]",
            "carbon [t C/h]"]
    df = pd.DataFrame(cols, index=head, dtype=object)
    if sids:
        mat = np.array([comp_rows[s] for s in sids])  # (streams, components)
        keep = np.nan_to_num(mat).max(axis=0) > min_value
        names = [f"x {c}" if basis == "mole_fraction" else f"{c} [kmol/h]" for c in cs.ids]
        comp = pd.DataFrame(mat[:, keep].T, index=[n for n, k in zip(names, keep) if k],
                            columns=sids)
        df = pd.concat([df, comp.astype(object)])
    df.columns.name = "stream"
    return df


def unit_table(res: "SimulationResult", case: int = 0) -> "pd.DataFrame":
    """Units as rows for one case: type, heat [MW], power [MW], installed cost [MEUR] and the
    unit's ``cost_note`` (when costed; e.g. the scope of a unit that carries no capital) and its
    design results and utilities as readable ``name = value`` text."""
    import pandas as pd

    if not 0 <= case < res.n_cases:
        raise IndexError(f"case {case}: expected 0 <= case < {res.n_cases}")
    capex = capex_by_unit(res, case)
    rows = []
    for uid, unit in res.flowsheet.units.items():
        r = res.unit_results.get(uid)
        kind = type(unit).__name__
        if unit.kind == "sink":
            kind += f" ({getattr(unit, 'category', 'other')})"
        row = {"unit": uid, "type": kind,
               "heat [MW]": float(r.heat[case]) / 1e6 if r is not None else np.nan,
               "power [MW]": float(r.power[case]) / 1e6 if r is not None else np.nan}
        if len(capex):
            row["installed cost [MEUR]"] = float(capex.get(uid, np.nan)) / 1e6
            row["cost note"] = getattr(unit, "cost_note", "")  # why a unit without a cost has none
        design = {} if r is None else {k: v[case] for k, v in r.design.items()}
        util = {} if r is None else {k: v[case] for k, v in r.utilities.items()}
        row["design"] = "; ".join(f"{k} = {fmt(v)}" for k, v in design.items())
        row["utilities"] = "; ".join(f"{k} = {fmt(v)}" for k, v in util.items())
        rows.append(row)
    return pd.DataFrame(rows).set_index("unit")


def balance_table(res: "SimulationResult") -> "pd.DataFrame":
    """Worst relative residual over the ok cases of each balance, per unit, with the
    tolerance of DESIGN.md (mass and elements 1e-9, energy 1e-6)."""
    import pandas as pd

    from ..core.results import ENERGY_TOL, MASS_TOL

    ok = np.asarray(res.status) == "ok"
    rows = []
    for uid, d in res.unit_balances.items():
        row = {"unit": uid}
        for k, v in d.items():
            a = finite(np.asarray(v)[ok])
            row[k] = float(a.max()) if a.size else np.nan
        rows.append(row)
    if not rows:
        return pd.DataFrame()
    df = pd.DataFrame(rows).set_index("unit")
    worst = df.max(axis=0)
    tol = pd.Series({c: ENERGY_TOL if c == "energy_rel" else MASS_TOL for c in df.columns})
    df.loc["worst of all units"] = worst
    df.loc["tolerance"] = tol
    return df


def parameters_used(fs: "Flowsheet", res: "SimulationResult") -> "pd.DataFrame":
    """Parameters as in ``fs.parameters()`` (value, default, source, unit, ...) plus
    ``in this run`` (the value used, or the range over the cases), ``varied`` (True when it
    differs between cases) and ``set`` (varied, given for this run, set on the flowsheet or by
    the route, as opposed to a default from the code or a data file)."""
    params = fs.parameters()
    used, varied, given = [], [], []
    for name, value in zip(params["name"], params["value"]) if len(params) else []:
        try:
            a = np.asarray(res.param(name))
        except Exception:  # a parameter the run cannot resolve: show the declared value
            used.append("")
            varied.append(False)
            given.append(False)
            continue
        flat = a.reshape(-1)
        numeric = a.dtype.kind in "fiub"
        if flat.size and numeric and not np.all(flat == flat[0]):
            used.append(f"{fmt(flat.min())} … {fmt(flat.max())} ({np.unique(flat).size} values)")
            varied.append(True)
        elif flat.size and not numeric and len(set(map(str, flat.tolist()))) > 1:
            vals = sorted(set(map(str, flat.tolist())))
            used.append(", ".join(vals[:6]) + (" …" if len(vals) > 6 else ""))
            varied.append(True)
        else:
            used.append(fmt(flat[0]) if flat.size else "")
            varied.append(False)
        given.append(varied[-1] or (flat.size > 0 and str(flat[0]) != str(value)
                                    and not (numeric and _same(flat[0], value))))
    if len(params):
        by_route = params["name"].isin(list(getattr(fs, "param_sources", None) or {}))
        params = params.assign(**{"in this run": used, "varied": varied,
                                  "set": np.asarray(given, dtype=bool)
                                  | (params["source"].astype(str) == "set").to_numpy()
                                  | by_route.to_numpy()})
    return params


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(np.isclose(float(a), float(b), rtol=1e-12, atol=0.0))
    except (TypeError, ValueError):
        return False
