"""Plots of sweep analyses; each returns a matplotlib ``Figure`` (no pyplot, no global state).

Figures are built on ``matplotlib.figure.Figure`` and render with the Agg backend on
``fig.savefig(path)``, so they work headless and in tests.

Example
-------
>>> import pandas as pd
>>> from carbonhub.sweep.plots import plot_tornado
>>> df = pd.DataFrame({"parameter": ["a", "b"], "low": [0, 0], "high": [1, 1],
...                    "kpi_low": [9.0, 9.5], "kpi_high": [12.0, 10.5], "swing": [3.0, 1.0]})
>>> df.attrs["base_kpi"] = 10.0
>>> plot_tornado(df).axes[0].get_title()
'Tornado: kpi'
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .analysis import Surface
from .result import SweepResult

__all__ = ["plot_tornado", "plot_sobol", "plot_spearman", "plot_distribution", "plot_break_even"]


def _figure(width: float = 7.0, height: float = 4.5) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _fmt(v: Any) -> str:
    return v if isinstance(v, str) else f"{float(v):.4g}"


def plot_tornado(df: pd.DataFrame, *, max_params: int = 15) -> Any:
    """Horizontal bars from the base KPI to the KPI at each parameter's low and high value."""
    df = df.head(max_params).iloc[::-1]
    base = float(df.attrs.get("base_kpi", np.nan))
    kpi = df.attrs.get("kpi", "kpi")
    fig = _figure(7.5, 0.45 * len(df) + 1.6)
    ax = fig.subplots()
    ypos = np.arange(len(df))
    ax.barh(ypos, df["kpi_low"] - base, left=base, color="#4C72B0", label="low value")
    ax.barh(ypos, df["kpi_high"] - base, left=base, color="#DD8452", label="high value")
    ax.set_yticks(ypos, [f"{p}  [{_fmt(lo)} / {_fmt(hi)}]"
                         for p, lo, hi in zip(df["parameter"], df["low"], df["high"])])
    ax.axvline(base, color="k", lw=0.8)
    ax.set_xlabel(kpi)
    ax.set_title(f"Tornado: {kpi}")
    ax.legend(loc="lower right", fontsize="small")
    return fig


def plot_sobol(df: pd.DataFrame) -> Any:
    """First-order (S1) and total (ST) Sobol' indices with confidence intervals."""
    fig = _figure(7.0, 0.4 * len(df) + 2.0)
    ax = fig.subplots()
    order = df.sort_values("ST").index
    d = df.loc[order]
    ypos = np.arange(len(d))
    ax.barh(ypos - 0.2, d["ST"], height=0.4, xerr=d.get("ST_conf"), label="total (ST)",
            color="#DD8452")
    ax.barh(ypos + 0.2, d["S1"], height=0.4, xerr=d.get("S1_conf"), label="first order (S1)",
            color="#4C72B0")
    ax.set_yticks(ypos, list(order))
    ax.set_xlim(left=min(0.0, float(np.nanmin(d[["S1", "ST"]].to_numpy())) - 0.02))
    ax.set_xlabel("Sobol' index")
    ax.set_title(f"Sobol' indices: {df.attrs.get('kpi', '')}")
    ax.legend(loc="lower right", fontsize="small")
    return fig


def plot_spearman(df: pd.DataFrame, kpi: str | None = None) -> Any:
    """Spearman rank correlations of the inputs with one KPI (a column of :func:`spearman`)."""
    kpi = kpi or str(df.columns[0])
    s = df[kpi].dropna().sort_values(key=np.abs)
    fig = _figure(7.0, 0.4 * len(s) + 1.6)
    ax = fig.subplots()
    ax.barh(np.arange(len(s)), s.to_numpy(), color=np.where(s > 0, "#DD8452", "#4C72B0"))
    ax.set_yticks(np.arange(len(s)), list(s.index))
    ax.axvline(0, color="k", lw=0.8)
    ax.set_xlim(-1, 1)
    ax.set_xlabel(f"Spearman rank correlation with {kpi}")
    return fig


def plot_distribution(data: SweepResult | pd.DataFrame | pd.Series | np.ndarray,
                      kpi: str = "msp_eur_per_t", *, bins: int = 60,
                      percentiles: Sequence[float] = (5, 50, 95)) -> Any:
    """Histogram and empirical CDF of a KPI over the ok cases, with percentile markers."""
    if isinstance(data, SweepResult):
        df = data.to_pandas(columns=[kpi, "status"], ok_only=True)
        y = df[kpi].to_numpy(dtype=float)
    elif isinstance(data, pd.DataFrame):
        df = data[data["status"] == "ok"] if "status" in data else data
        y = df[kpi].to_numpy(dtype=float)
    else:
        y = np.asarray(data, dtype=float)
    y = np.sort(y[np.isfinite(y)])
    fig = _figure(9.0, 3.8)
    ax1, ax2 = fig.subplots(1, 2)
    ax1.hist(y, bins=bins, color="#4C72B0")
    ax1.set_xlabel(kpi)
    ax1.set_ylabel("cases")
    ax2.plot(y, np.arange(1, y.size + 1) / max(y.size, 1), color="#4C72B0")
    ax2.set_xlabel(kpi)
    ax2.set_ylabel("cumulative probability")
    if y.size:
        for q, v in zip(percentiles, np.percentile(y, percentiles)):
            for ax in (ax1, ax2):
                ax.axvline(v, color="k", ls=":", lw=0.8)
            ax2.annotate(f"P{q:g} = {v:.4g}", (v, q / 100), fontsize="small",
                         xytext=(4, 0), textcoords="offset points")
    fig.suptitle(f"{kpi}: {y.size} cases")
    return fig


def plot_break_even(surface: Surface, target: float | None = None, *, levels: int = 15) -> Any:
    """Filled contours of the KPI over two parameters; the ``target`` contour is the break-even
    line (e.g. the market price the MSP must beat)."""
    fig = _figure(7.0, 5.0)
    ax = fig.subplots()
    cs = ax.contourf(surface.x, surface.y, surface.z, levels=levels, cmap="viridis")
    fig.colorbar(cs, ax=ax, label=surface.kpi)
    if target is not None and np.nanmin(surface.z) <= target <= np.nanmax(surface.z):
        line = ax.contour(surface.x, surface.y, surface.z, levels=[target], colors="w",
                          linewidths=2)
        ax.clabel(line, fmt={target: f"break-even {target:g}"}, fontsize="small")
    ax.set_xlabel(surface.x_name)
    ax.set_ylabel(surface.y_name)
    ax.set_title(f"{surface.kpi} over {surface.x_name} and {surface.y_name}")
    return fig
