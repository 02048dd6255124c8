"""Composite curves of a route's process streams (pinch targeting, :mod:`carbonhub.costing.pinch`)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..costing.pinch import DT_MIN_K, composite_curves, fired_duty_W, process_streams, problem_table
from .flows import shown_case

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

__all__ = ["composite_figure"]


def composite_figure(res: "SimulationResult", case: int | None = None) -> Any:
    """Hot and cold composite curves of one case at ``heat.dt_min`` (left) and the grand
    composite curve (right: the heat cascade against shifted temperature, touching zero at the
    pinch, the minimum hot utility of the integrated streams at its top and the minimum cold
    utility at its bottom); the fired duties, hot utility outside the curves, are named in the
    title; returns a matplotlib Figure."""
    from matplotlib.figure import Figure

    case = shown_case(res, case)
    Ts, Tt, Q, _ = process_streams(res)
    dt = (float(res.param("heat.dt_min").astype(float)[case]) if "heat" in res.flowsheet.groups
          else DT_MIN_K)
    fig = Figure(figsize=(12.0, 5.0), layout="constrained")
    ax, gx = fig.subplots(1, 2, width_ratios=[1.6, 1.0])
    if Q.shape[1] == 0 or not (Q[case] > 0).any():
        ax.text(0.5, 0.5, "no unit exchanges heat with a utility", ha="center", va="center")
        ax.axis("off")
        gx.axis("off")
        return fig
    Ts, Tt, Q = Ts[case], Tt[case], Q[case]
    Hh, Th, Hc, Tc = composite_curves(Ts, Tt, Q, dt)
    t = problem_table(Ts, Tt, Q, dt)
    ax.plot(Hh / 1e6, Th - 273.15, color="#c0392b", lw=2, label="hot composite")
    ax.plot(Hc / 1e6, Tc - 273.15, color="#2b6cb0", lw=2, label="cold composite")
    ax.set_xlabel("heat flow [MW]")
    ax.set_ylabel("temperature [degC]")
    qh, qc = float(t.hot_utility_min[0]) / 1e6, float(t.cold_utility_min[0]) / 1e6
    fired = float(fired_duty_W(res)[case]) / 1e6
    ax.set_title(f"Composite curves, case {case}: dT_min {dt:g} K, hot utility {qh:.3g} MW "
                 f"(+ fired duties {fired:.3g} MW), cold utility {qc:.3g} MW", fontsize=10)
    if np.isfinite(t.pinch_shifted[0]):
        ax.axhline(float(t.pinch_shifted[0]) - 273.15, color="#999999", lw=0.8, ls="--",
                   label="pinch (shifted)")
    ax.legend(frameon=False, fontsize=9)
    gx.plot(t.cascade[0] / 1e6, t.T_shifted[0] - 273.15, color="#444444", lw=1.8)
    gx.set_xlabel("net heat flow [MW]")
    gx.set_ylabel("shifted temperature [degC]")
    gx.set_title("Grand composite curve", fontsize=10)
    gx.set_xlim(left=0.0)
    return fig
