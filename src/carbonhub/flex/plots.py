"""Plots of a flexible-operation solution: the price duration curve with the dispatch, and the
buffers over a representative week. Each returns a matplotlib Figure (Agg-safe)."""
from __future__ import annotations

import numpy as np

from carbonhub.flex.dispatch import Dispatch

__all__ = ["price_duration_plot", "representative_week", "storage_week_plot"]


def price_duration_plot(d: Dispatch):
    """Hours sorted by price (highest first): the price [EUR/MWh] and, on a second axis, the
    electrolyser and synthesis loads in those hours (relative to the steady-state plant)."""
    import matplotlib.pyplot as plt

    p = d.profile.price_eur_per_MWh
    order = np.argsort(-p, kind="stable")
    x = np.arange(p.size) * (8760.0 / p.size)
    fig, ax = plt.subplots(figsize=(8.0, 4.2))
    ax.plot(x, p[order], color="#1f2933", lw=1.4, label="price")
    ax.axhline(d.profile.mean_eur_per_MWh, color="#9fb3c8", ls="--", lw=1.0, label="mean price")
    ax.set_xlabel("hours of the year, by falling price [h]")
    ax.set_ylabel("day-ahead price [EUR/MWh]")
    ax2 = ax.twinx()
    ax2.plot(x, d.electrolyser_load[order], ".", ms=2.0, color="#2b6cb0", alpha=0.6, label="electrolyser load")
    ax2.plot(x, d.synthesis_load[order], ".", ms=2.0, color="#d97706", alpha=0.6, label="synthesis load")
    ax2.set_ylabel("load relative to the steady-state plant [-]")
    ax2.set_ylim(bottom=0.0)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper right", fontsize=8, markerscale=4)
    ax.set_title(f"Price duration curve and dispatch ({d.profile.name})", fontsize=10)
    fig.tight_layout()
    return fig


def representative_week(d: Dispatch) -> int:
    """First hour of the week whose price spread (max - min) is the median of the year's weeks
    (hour 0 for a profile shorter than two weeks)."""
    p = d.profile.price_eur_per_MWh
    n_weeks = p.size // 168
    if n_weeks < 2:
        return 0
    w = p[: n_weeks * 168].reshape(n_weeks, 168)
    spread = w.max(axis=1) - w.min(axis=1)
    return int(np.argsort(spread)[n_weeks // 2] * 168)


def storage_week_plot(d: Dispatch, start: int | None = None):
    """H2 stored [t] (and methanol stored [t] when there is a tank), the loads and the price over
    one week starting at hour ``start`` (default :func:`representative_week`)."""
    import matplotlib.pyplot as plt

    start = representative_week(d) if start is None else int(start)
    n = d.profile.n_hours
    idx = (start + np.arange(min(168, n))) % n
    t = np.arange(idx.size)
    fig, (ax, bx) = plt.subplots(2, 1, figsize=(8.0, 5.6), sharex=True)
    ax.fill_between(t, d.h2_stored_kg[idx] / 1000.0, color="#90cdf4", label="H2 stored [t]")
    if d.sizes.methanol_storage_t > 0:
        ax.plot(t, d.methanol_stored_t[idx], color="#805ad5", label="methanol stored [t]")
    ax.axhline(d.sizes.h2_storage_kg / 1000.0, color="#2b6cb0", ls="--", lw=1.0, label="H2 store size [t]")
    ax.set_ylabel("stored [t]")
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(f"Buffers over a week (hours {start}-{start + idx.size - 1})", fontsize=10)
    bx.step(t, d.electrolyser_load[idx], where="post", color="#2b6cb0", label="electrolyser load")
    bx.step(t, d.synthesis_load[idx], where="post", color="#d97706", label="synthesis load")
    bx.set_ylabel("load [-]")
    bx.set_xlabel("hour of the week [h]")
    cx = bx.twinx()
    cx.plot(t, d.profile.price_eur_per_MWh[idx], color="#1f2933", lw=0.9, alpha=0.7, label="price")
    cx.set_ylabel("price [EUR/MWh]")
    h1, l1 = bx.get_legend_handles_labels()
    h2, l2 = cx.get_legend_handles_labels()
    bx.legend(h1 + h2, l1 + l2, loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig
