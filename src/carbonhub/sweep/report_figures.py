"""The numbers and figures of the sweep report (:mod:`carbonhub.sweep.report`): which KPIs vary,
their values in display units, histograms and scatter plots with units and readable ticks, a
tornado from the samples, the choice-parameter matrix and failed cases by reason.

A KPI *varies* when its finite values over the ok cases span more than ``1e-6`` of their
magnitude (KPIs equal up to rounding carry no correlation); fractions are shown in %.
"""
from __future__ import annotations

import re
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..report._util import fmt, kpi_unit

KEY_KPIS = ("msp_eur_per_t", "co2_avoided_t_per_y", "co2_emitted_t_per_y", "carbon_efficiency",
            "energy_efficiency_lhv", "tci_eur", "co2_avoidance_cost_eur_per_t")
"""KPIs shown first (histograms, scatter plots, tornado) when they vary."""


def display(name: str, money: str = "EUR") -> tuple[float, str]:
    """(factor, unit) to show KPI ``name``: fractions in %, money in M<money> above 1e6."""
    unit = kpi_unit(name, money)
    if unit == "-":
        return 100.0, "%"
    if name.endswith("_eur") and unit == money:
        return 1e-6, f"M{money}"
    return 1.0, unit


def label(name: str, unit: str) -> str:
    return f"{name} [{unit}]" if unit else name


def varying(df: pd.DataFrame, kpis: Sequence[str], rel: float = 1e-6, zero: float = 1e-9
            ) -> tuple[list[str], list[str]]:
    """(KPIs that vary over the rows, KPIs constant up to ``rel``); a KPI whose values stay
    within ``zero`` of 0 (round-off, e.g. a balance residue) is constant."""
    vary, const = [], []
    for k in kpis:
        y = pd.to_numeric(df[k], errors="coerce").to_numpy(dtype=float)
        y = y[np.isfinite(y)]
        if y.size < 2:
            const.append(k)
            continue
        span, size = float(y.max() - y.min()), float(np.max(np.abs(y)))
        (vary if span > rel * size and size > zero else const).append(k)
    return vary, const


def ordered(kpis: Sequence[str]) -> list[str]:
    """The key KPIs first (in :data:`KEY_KPIS` order), then the rest as given."""
    key = [k for k in KEY_KPIS if k in kpis]
    return key + [k for k in kpis if k not in key]


def _figure(w: float, h: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(w, h), layout="constrained")


def _ticks(ax: Any, y: bool = True) -> None:
    """At most five ticks per axis (``y``: the y axis too), numbers as :func:`fmt` writes them."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    for axis in (ax.xaxis, ax.yaxis) if y else (ax.xaxis,):
        axis.set_major_locator(MaxNLocator(nbins=5))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt(v, 3)))
    ax.tick_params(labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def histograms(df: pd.DataFrame, kpis: Sequence[str], money: str) -> Any:
    """One histogram per KPI (ok cases), three per row, with P5 / P50 / P95 marked."""
    from matplotlib.ticker import MaxNLocator

    n = len(kpis)
    cols = min(3, n)
    rows = -(-n // cols)
    fig = _figure(4.2 * cols, 2.9 * rows)
    axes = np.atleast_1d(fig.subplots(rows, cols)).reshape(-1)
    for ax, k in zip(axes, kpis):
        f, unit = display(k, money)
        y = pd.to_numeric(df[k], errors="coerce").to_numpy(dtype=float) * f
        y = y[np.isfinite(y)]
        ax.hist(y, bins=min(40, max(6, int(np.sqrt(y.size)) + 1)), color="#2b6cb0", alpha=0.85)
        for q, v in zip((5, 50, 95), np.percentile(y, (5, 50, 95))):
            ax.axvline(v, color="#222222", ls=":" if q != 50 else "--", lw=0.9)
        ax.set_xlabel(label(k, unit), fontsize=8.5)
        ax.set_ylabel("cases", fontsize=8.5)
        _ticks(ax)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))  # counts of cases
        ax.set_title(f"P50 {fmt(np.median(y), 4)} {unit} (P5–P95 {fmt(np.percentile(y, 5), 3)}"
                     f" – {fmt(np.percentile(y, 95), 3)})", fontsize=8.5)
    for ax in axes[n:]:
        ax.axis("off")
    return fig


def scatters(df: pd.DataFrame, params: Sequence[str], units: dict[str, str], kpi: str,
             money: str, hue: str | None = None) -> Any:
    """The KPI over each numeric swept parameter (ok cases), coloured by a choice parameter."""
    n = len(params)
    cols = min(3, n)
    rows = -(-n // cols)
    fig = _figure(4.2 * cols, 3.0 * rows)
    axes = np.atleast_1d(fig.subplots(rows, cols)).reshape(-1)
    f, unit = display(kpi, money)
    y = pd.to_numeric(df[kpi], errors="coerce").to_numpy(dtype=float) * f
    groups = [(None, np.ones(len(df), bool))] if hue is None else [
        (v, (df[hue].astype(str) == v).to_numpy()) for v in sorted(df[hue].astype(str).unique())]
    colors = ["#2b6cb0", "#d08a1e", "#3a9a3a", "#c0392b", "#6b4fa0", "#16a0a0", "#8d6e63"]
    for ax, p in zip(axes, params):
        x = pd.to_numeric(df[p], errors="coerce").to_numpy(dtype=float)
        for i, (name, m) in enumerate(groups):
            ax.scatter(x[m], y[m], s=9, alpha=0.7, color=colors[i % len(colors)],
                       label=name, edgecolors="none")
        ax.set_xlabel(label(p, units.get(p, "")), fontsize=8.5)
        ax.set_ylabel(label(kpi, unit), fontsize=8.5)
        _ticks(ax)
    if hue is not None and len(axes):
        axes[0].legend(title=hue, fontsize=7.5, title_fontsize=7.5, frameon=False)
    for ax in axes[n:]:
        ax.axis("off")
    return fig


def sample_tornado(df: pd.DataFrame, params: Sequence[str], kpi: str, q: float = 0.2
                   ) -> pd.DataFrame:
    """Median KPI among the cases with the lowest ``q`` and the highest ``q`` of each
    parameter's samples (the other parameters as sampled): columns low, high, swing; sorted by
    swing, largest first."""
    y = pd.to_numeric(df[kpi], errors="coerce").to_numpy(dtype=float)
    rows = []
    for p in params:
        x = pd.to_numeric(df[p], errors="coerce").to_numpy(dtype=float)
        ok = np.isfinite(x) & np.isfinite(y)
        if ok.sum() < 5:
            continue
        lo_x, hi_x = np.quantile(x[ok], [q, 1 - q])
        lo, hi = np.median(y[ok & (x <= lo_x)]), np.median(y[ok & (x >= hi_x)])
        rows.append((p, lo, hi, abs(hi - lo)))
    t = pd.DataFrame(rows, columns=["parameter", "low", "high", "swing"])
    return t.sort_values("swing", ascending=False).reset_index(drop=True)


def tornado_figure(t: pd.DataFrame, base: float, kpi: str, units: dict[str, str], money: str,
                   q: float = 0.2) -> Any:
    f, unit = display(kpi, money)
    t = t.iloc[::-1]
    fig = _figure(8.5, 0.45 * len(t) + 1.5)
    ax = fig.subplots()
    yy = np.arange(len(t))
    ax.barh(yy, (t["low"] - base) * f, left=base * f, color="#4C72B0",
            label=f"lowest {100 * q:.0f} % of the parameter")
    ax.barh(yy, (t["high"] - base) * f, left=base * f, color="#DD8452",
            label=f"highest {100 * q:.0f} % of the parameter")
    ax.set_yticks(yy, [label(p, units.get(p, "")) for p in t["parameter"]], fontsize=8.5)
    ax.axvline(base * f, color="k", lw=0.8)
    ax.set_xlabel(f"median {label(kpi, unit)}", fontsize=8.5)
    ax.legend(fontsize=7.5, frameon=False, loc="lower right")
    _ticks(ax, y=False)  # the y ticks are the parameters
    return fig


def matrix(df: pd.DataFrame, rows: str, cols: str | None, kpi: str, money: str,
           route: str) -> pd.DataFrame:
    """Median (P5–P95) of ``kpi`` and ok/all cases for each value of the choice parameter
    ``rows`` against each value of ``cols`` (the route when None)."""
    f, unit = display(kpi, money)
    r = df[rows].astype(str)
    c = df[cols].astype(str) if cols else pd.Series(route, index=df.index)
    ok = (df["status"] == "ok").to_numpy()
    y = pd.to_numeric(df[kpi], errors="coerce").to_numpy(dtype=float) * f
    out: dict[str, dict[str, str]] = {}
    for cv in sorted(c.unique()):
        col: dict[str, str] = {}
        for rv in sorted(r.unique()):
            m = ((r == rv) & (c == cv)).to_numpy()
            v = y[m & ok]
            v = v[np.isfinite(v)]
            col[rv] = (f"{fmt(np.median(v), 4)} ({fmt(np.percentile(v, 5), 3)}–"
                       f"{fmt(np.percentile(v, 95), 3)}) · {v.size}/{int(m.sum())} ok"
                       if v.size else f"– · 0/{int(m.sum())} ok")
        out[cv] = col
    t = pd.DataFrame(out)
    t.index.name = rows
    t.attrs["unit"] = unit
    return t


def failure_reasons(status: pd.Series, show: int = 5) -> pd.DataFrame:
    """Failed cases grouped by reason (numbers in the message replaced by #): cases, share of
    all cases, an example message and the first cases."""
    st = status.astype(str)
    bad = st[st != "ok"]
    key = bad.map(lambda s: re.sub(r"[-+]?\d[\d.,eE+-]*", "#", s))
    rows = []
    for k, idx in bad.groupby(key).groups.items():
        rows.append((k, len(idx), len(idx) / max(len(st), 1), bad.loc[idx[0]],
                     ", ".join(str(int(i)) for i in list(idx)[:show]) + (" …" if len(idx) > show else "")))
    t = pd.DataFrame(rows, columns=["reason", "cases", "share", "example", "first cases"])
    return t.sort_values("cases", ascending=False).set_index("reason")
