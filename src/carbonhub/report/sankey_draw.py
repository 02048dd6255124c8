"""A layered Sankey diagram drawn with matplotlib patches (``matplotlib.sankey`` handles one
source poorly and several columns not at all).

Nodes sit in columns (left to right); a node's height is the larger of what enters and what
leaves it; bands run from the right edge of one node to the left edge of another, their width
in proportion to the flow. A band to a node in the same or an earlier column (a recycle) takes
the bottom of both nodes: a hatched slot on both nodes and a dashed arrow below the nodes, labelled with its flow. Labels: first column left of the nodes, last column right, the others
above their node.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from ._util import fmt, spread

NODE_W = 0.018  # node bar width (axes units)
GAP = 0.045  # gap between nodes of a column, as a fraction of the drawing height
LANE = 0.028  # gap between the nodes and the first recycle lane, and between lanes


@dataclass
class Band:
    source: str
    target: str
    value: float
    color: str
    back: bool = False


def _band(ax: Any, x0: float, y0: tuple[float, float], x1: float, y1: tuple[float, float],
          color: str) -> None:
    """A forward band from segment y0 = (top, bottom) at x0 to segment y1 at x1."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    xm = 0.5 * (x0 + x1)
    verts = [(x0, y0[0]), (xm, y0[0]), (xm, y1[0]), (x1, y1[0]), (x1, y1[1]),
             (xm, y1[1]), (xm, y0[1]), (x0, y0[1]), (x0, y0[0])]
    codes = [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO,
             Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.CLOSEPOLY]
    ax.add_patch(PathPatch(Path(verts, codes), facecolor=color, edgecolor="none", alpha=0.5,
                           zorder=1))


def _back_link(ax: Any, xs: float, ys: tuple[float, float], xd: float,
               yd: tuple[float, float], lane: float, color: str, text: str) -> None:
    """A recycle: hatched slots on the two nodes (their share of the node's height) and a
    dashed arrow below the nodes from the source's slot to the target's, labelled."""
    from matplotlib.patches import FancyArrowPatch, Rectangle
    from matplotlib.path import Path

    for x, (top, bot) in ((xs, ys), (xd - 0.008, yd)):
        ax.add_patch(Rectangle((x, bot), 0.008, top - bot, facecolor="white", edgecolor=color,
                               hatch="////", lw=0.8, zorder=2))
    y0, y1 = 0.5 * (ys[0] + ys[1]), 0.5 * (yd[0] + yd[1])
    path = Path([(xs + 0.008, y0), (xs + 0.06, lane), (xd - 0.06, lane), (xd - 0.008, y1)],
                [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
    ax.add_patch(FancyArrowPatch(path=path, arrowstyle="-|>", mutation_scale=12, color=color,
                                 lw=1.4, ls="--", zorder=2))
    ax.text(0.5 * (xs + xd), 0.25 * (y0 + y1) + 0.5 * lane, text, ha="center", va="top",
            fontsize=8, color="#333333", zorder=4,
            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))


def draw_sankey(ax: Any, columns: Sequence[Sequence[str]], bands: Sequence[Band],
                unit: str, total: float, labels: dict[str, str] | None = None,
                node_colors: dict[str, str] | None = None, x_margin: float = 0.2) -> None:
    """Draw a layered Sankey on ``ax``.

    columns : node names per column, top to bottom
    bands : flows between nodes (value in ``unit``); ``back`` ones drawn as recycles
    total : the value the percentages in the labels refer to (e.g. the feed)
    labels : display names of nodes (default: the name)
    x_margin : fraction of the width kept free left and right for the labels
    """
    from matplotlib.patches import Rectangle

    labels = labels or {}
    node_colors = node_colors or {}
    col_of = {k: i for i, col in enumerate(columns) for k in col}
    inflow = {k: 0.0 for k in col_of}
    outflow = {k: 0.0 for k in col_of}
    for b in bands:
        outflow[b.source] += b.value
        inflow[b.target] += b.value
    value = {k: max(inflow[k], outflow[k]) for k in col_of}
    n_col = len(columns)
    xs = [x_margin + (1 - 2 * x_margin - NODE_W) * i / max(n_col - 1, 1) for i in range(n_col)]
    biggest = max(sum(value[k] for k in col) for col in columns) or 1.0
    most = max(len(col) for col in columns)
    scale = (1.0 - GAP * max(most - 1, 0)) / biggest
    pos: dict[str, tuple[float, float]] = {}
    for col in columns:  # centred stacks
        height = scale * sum(value[k] for k in col) + GAP * (len(col) - 1)
        y = 0.5 + 0.5 * height
        for k in col:
            pos[k] = (y, y - value[k] * scale)
            y -= value[k] * scale + GAP
    # slots: forward bands in the order of their partner's column and height, recycles last
    centre = {k: 0.5 * (t + b) for k, (t, b) in pos.items()}

    def order_out(b: Band) -> tuple:
        return (b.back, col_of[b.target], -centre[b.target])

    def order_in(b: Band) -> tuple:
        return (b.back, col_of[b.source], -centre[b.source])

    out_pos: dict[int, tuple[float, float]] = {}
    in_pos: dict[int, tuple[float, float]] = {}
    cur_out = {k: pos[k][0] for k in pos}
    cur_in = {k: pos[k][0] for k in pos}
    idx = list(range(len(bands)))
    for i in sorted(idx, key=lambda i: order_out(bands[i])):
        h = bands[i].value * scale
        k = bands[i].source
        out_pos[i] = (cur_out[k], cur_out[k] - h)
        cur_out[k] -= h
    for i in sorted(idx, key=lambda i: order_in(bands[i])):
        h = bands[i].value * scale
        k = bands[i].target
        in_pos[i] = (cur_in[k], cur_in[k] - h)
        cur_in[k] -= h
    lane = min(b for _, b in pos.values()) - LANE
    backs: dict[tuple[str, str], list[int]] = {}
    for i, b in enumerate(bands):
        if b.value <= 0:
            continue
        x0, x1 = xs[col_of[b.source]] + NODE_W, xs[col_of[b.target]]
        if b.back:
            backs.setdefault((b.source, b.target), []).append(i)
        else:
            _band(ax, x0, out_pos[i], x1, in_pos[i], b.color)
    for (a, t), ii in backs.items():  # one arrow per pair of nodes (all origins together)
        lane -= 1.6 * LANE
        top_s = max(out_pos[i][0] for i in ii), min(out_pos[i][1] for i in ii)
        top_d = max(in_pos[i][0] for i in ii), min(in_pos[i][1] for i in ii)
        v = sum(bands[i].value for i in ii)
        _back_link(ax, xs[col_of[a]] + NODE_W, top_s, xs[col_of[t]], top_d, lane,
                   bands[ii[0]].color if len(ii) == 1 else "#555555",
                   f"recycle {fmt(v, 3)} {unit}")
    bottom = min(lane - LANE, min(b for _, b in pos.values()))
    for k, (top, bot) in pos.items():
        ax.add_patch(Rectangle((xs[col_of[k]], bot), NODE_W, max(top - bot, 1e-4),
                               facecolor=node_colors.get(k, "#444444"), edgecolor="none",
                               zorder=3))
    # labels
    ax_h = ax.get_position().height * ax.figure.get_figheight()  # inches
    span = 1.06 - bottom
    gap = 0.34 / max(ax_h, 1e-6) * span  # two lines of 8.5 pt per label, in data units
    for i, col in enumerate(columns):
        texts = {k: f"{labels.get(k, k)}\n{fmt(value[k], 3)} {unit}"
                 + (f" ({100 * value[k] / total:.1f} %)" if total > 0 else "") for k in col}
        if 0 < i < n_col - 1:  # middle columns: above the node, every other one a line higher
            for k in col:
                ax.text(xs[i] + NODE_W / 2, pos[k][0] + 0.012 + (0.5 * gap if i % 2 else 0.0),
                        f"{labels.get(k, k)}\n{fmt(value[k], 3)} {unit}", ha="center",
                        va="bottom", fontsize=8, color="#222222", zorder=4,
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
            continue
        right = i == n_col - 1 and n_col > 1
        centres = [centre[k] for k in col]
        ys = spread(centres, gap, bottom, 1.04)
        edge = xs[i] + (NODE_W if right else 0.0)
        tx = edge + (0.012 if right else -0.012)
        for k, yc, yl in zip(col, centres, ys):
            ax.annotate(texts[k], xy=(edge, yc), xytext=(tx, yl), ha="left" if right else "right",
                        va="center", fontsize=8.5, color="#222222", zorder=4,
                        arrowprops=None if abs(yl - yc) < 1e-9 else
                        dict(arrowstyle="-", color="#999999", lw=0.6))
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(bottom - 0.02, 1.06 + gap)
    ax.axis("off")
