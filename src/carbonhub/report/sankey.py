"""Carbon Sankey by origin: feeds on the left, products / CO2 captured / emitted / other sinks
on the right, bands coloured by carbon origin (fossil, biogenic, recycled, atmospheric).

A two-column Sankey drawn with matplotlib patches (``matplotlib.sankey`` handles one source
poorly and several not at all). Node heights and band widths are proportional to carbon flow
[t C/h]; the numbers come from :func:`carbonhub.report.flows.carbon_flows`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.stream import ORIGINS
from ._util import fmt, spread
from .flows import CarbonFlows, carbon_flows

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

ORIGIN_COLORS = {"fossil": "#5f5f5f", "biogenic": "#3a9a3a", "recycled": "#d08a1e",
                 "atmospheric": "#3a7fc1"}
SINK_COLORS = {"product": "#2b6cb0", "byproduct": "#4a90c8", "co2_storage": "#6b4fa0",
               "emission": "#c0392b", "wastewater": "#16a0a0", "solid_residue": "#8d6e63",
               "other": "#888888", "imbalance": "#e0b000"}

NODE_W = 0.035  # node bar width (axes units)
X_LEFT, X_RIGHT = 0.30, 0.70 - NODE_W
GAP = 0.035  # gap between nodes, as a fraction of the drawing height


def _stack(values: list[float], scale: float) -> list[tuple[float, float]]:
    """(top, bottom) of stacked nodes with gaps, centred vertically in 0..1."""
    height = scale * sum(values) + GAP * max(len(values) - 1, 0)
    out, y = [], 0.5 + 0.5 * height
    for v in values:
        out.append((y, y - v * scale))
        y -= v * scale + GAP
    return out


def _band(ax: Any, x0: float, y0: tuple[float, float], x1: float, y1: tuple[float, float],
          color: str) -> None:
    """A band from the left segment (top, bottom) y0 at x0 to the right segment y1 at x1."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    xm = 0.5 * (x0 + x1)
    verts = [(x0, y0[0]), (xm, y0[0]), (xm, y1[0]), (x1, y1[0]), (x1, y1[1]),
             (xm, y1[1]), (xm, y0[1]), (x0, y0[1]), (x0, y0[0])]
    codes = [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO,
             Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.CLOSEPOLY]
    ax.add_patch(PathPatch(Path(verts, codes), facecolor=color, edgecolor="none", alpha=0.45,
                           zorder=1))


def _segments(nodes, partners, val: dict, scale: float, top: dict, left_side: bool
              ) -> dict[tuple[str, str, str], tuple[float, float]]:
    """(top, bottom) of each band's end inside its node, stacked from the node's ``top`` by
    partner node (in order), then by origin, so that bands rarely cross. ``val`` is keyed
    (source, sink, origin); ``nodes`` are the sources when ``left_side``, else the sinks."""
    top = dict(top)
    out: dict[tuple[str, str, str], tuple[float, float]] = {}
    for a in nodes:
        for b in partners:
            for o in ORIGINS:
                key = (a, b, o) if left_side else (b, a, o)
                h = val.get(key, 0.0) * scale
                if h > 0:
                    out[key] = (top[a], top[a] - h)
                    top[a] -= h
    return out


def draw_carbon_sankey(ax: Any, cf: CarbonFlows) -> None:
    """Draw ``cf`` on ``ax`` (axes limits 0..1 in x; y 0..1 plus labels)."""
    from matplotlib.patches import Rectangle

    total = max(cf.total_in, cf.total_out, sum(cf.links["t_C_per_h"]), 1e-300)
    src = cf.sources
    snk = cf.sinks
    scale = (1.0 - GAP * max(len(src) - 1, len(snk) - 1, 0)) / total
    left = dict(zip(src.index, _stack([float(src.loc[k, list(ORIGINS)].sum()) for k in src.index],
                                      scale)))
    right = dict(zip(snk.index, _stack([float(snk.loc[k, list(ORIGINS)].sum()) for k in snk.index],
                                       scale)))
    val = {(a, b, o): v for a, b, o, v in cf.links[["source", "sink", "origin", "t_C_per_h"]]
           .itertuples(index=False, name=None)}
    lpos = _segments(src.index, snk.index, val, scale, {k: left[k][0] for k in src.index}, True)
    rpos = _segments(snk.index, src.index, val, scale, {k: right[k][0] for k in snk.index}, False)
    for key, yl in lpos.items():
        color = ORIGIN_COLORS[key[2]]
        _band(ax, X_LEFT + NODE_W, yl, X_RIGHT, rpos[key], color)
        for x, (top, bottom) in ((X_LEFT, yl), (X_RIGHT, rpos[key])):
            ax.add_patch(Rectangle((x, bottom), NODE_W, top - bottom, facecolor=color,
                                   edgecolor="none", zorder=2))
    # labels: two lines each, moved apart where nodes are thin (with a leader line)
    ax_h = ax.get_position().height * ax.figure.get_figheight()  # inches
    gap = 0.36 / max(ax_h, 1e-6) * 1.08  # 0.36 in per label in data units (ylim spans 1.08)
    for frame, pos, x, align in ((src, left, X_LEFT, "right"), (snk, right, X_RIGHT, "left")):
        centres = [0.5 * (pos[k][0] + pos[k][1]) for k in frame.index]
        ys = spread(centres, gap, -0.03, 1.03)
        for k, yc, yl in zip(frame.index, centres, ys):
            top, bottom = pos[k]
            cat = frame.loc[k, "category"] if "category" in frame.columns else "source"
            ax.add_patch(Rectangle((x, bottom), NODE_W, top - bottom, fill=False,
                                   edgecolor=SINK_COLORS.get(cat, "#333333"), lw=1.2, zorder=3))
            v = float(frame.loc[k, list(ORIGINS)].sum())
            pct = 100.0 * v / cf.total_in if cf.total_in > 0 else np.nan
            text = f"{k}\n{fmt(v, 3)} t C/h ({pct:.1f} %)"
            edge = x if align == "right" else x + NODE_W
            tx = edge - 0.03 if align == "right" else edge + 0.03
            ax.annotate(text, xy=(edge, yc), xytext=(tx, yl), ha=align, va="center",
                        fontsize=8.5, color="#222222", zorder=4,
                        arrowprops=None if abs(yl - yc) < 1e-9 else
                        dict(arrowstyle="-", color="#999999", lw=0.6))
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(-0.04, 1.04)
    ax.axis("off")


def sankey_carbon(res: "SimulationResult", case: int | None = None) -> Any:
    """Carbon Sankey by origin of one case (default: the first ok case); returns a Figure."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    cf = carbon_flows(res, case)
    n_nodes = max(len(cf.sources), len(cf.sinks), 1)
    fig = Figure(figsize=(9.0, max(3.8, 0.75 * n_nodes + 1.6)), layout="constrained")
    ax = fig.subplots()
    if cf.total_in <= 0 and cf.total_out <= 0:
        ax.text(0.5, 0.5, "no carbon crosses the flowsheet boundary", ha="center", va="center")
        ax.axis("off")
        return fig
    draw_carbon_sankey(ax, cf)
    present = [o for o in ORIGINS if cf.links[cf.links["origin"] == o]["t_C_per_h"].sum() > 0]
    ax.legend(handles=[Patch(color=ORIGIN_COLORS[o], label=f"{o} carbon") for o in present],
              loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=len(present), frameon=False,
              fontsize=8.5)
    ax.set_title(f"Carbon flows by origin, case {cf.case}: {fmt(cf.total_in, 4)} t C/h in",
                 fontsize=11)
    return fig
