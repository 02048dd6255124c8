"""Process flow diagram drawn from the flowsheet graph (no graphviz).

Layout: the graph without its tear (recycle) streams is a DAG; each unit's layer is its
longest path from a source (sources are then pulled right, next to the first unit they feed).
Within a layer units sit near the mean height of their neighbours (barycentre placement, then
spaced apart). Units are boxes labelled with id and type, streams are arrows labelled with
their id, recycle streams are dashed back-arrows routed below the diagram.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .pfd_graph import OTHER_COLOURS, SINK_COLOURS, back_edges, break_at_underscores, longest_path_layers

if TYPE_CHECKING:  # pragma: no cover
    from ..core.flowsheet import Flowsheet

DX = 2.7  # distance between layers
DY = 1.0  # distance between units of a layer
BOX_W, BOX_H = 1.55, 0.62
INCH = 0.85  # inches per layout unit

FILL = {"source": ("#e3f4e1", "#3a9a3a"), "unit": ("#e8f0fb", "#2b6cb0"), **SINK_COLOURS,
        "other": OTHER_COLOURS}


@dataclass
class PFDLayout:
    """Positions of the units and the streams to draw.

    pos : {unit id: (x, y)} box centres
    layer : {unit id: layer index}
    edges : [(src unit, src port, dst unit, dst port, stream id)] drawn left to right
    recycles : the same for the recycle (tear) streams, drawn as back-arrows
    """

    pos: dict[str, tuple[float, float]]
    layer: dict[str, int]
    edges: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    recycles: list[tuple[str, str, str, str, str]] = field(default_factory=list)


def _tears(fs: "Flowsheet") -> set[str]:
    try:
        return set(fs.tears)
    except Exception:  # an unfinished flowsheet can still be drawn: back edges by DFS below
        return set()


def pfd_layout(fs: "Flowsheet") -> PFDLayout:
    """Layered left-to-right layout of ``fs`` (see module docstring)."""
    nodes = list(fs.units)
    conns = [(c.src.unit.id, c.src.name, c.dst.unit.id, c.dst.name, c.id) for c in fs.connections]
    tears = _tears(fs)
    forward = [(a, b, sid) for a, _, b, _, sid in conns if sid not in tears]
    tears |= back_edges(nodes, forward)
    fwd = [e for e in conns if e[4] not in tears]
    rec = [e for e in conns if e[4] in tears]
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    succs: dict[str, list[str]] = {n: [] for n in nodes}
    for a, _, b, _, _ in fwd:
        preds[b].append(a)
        succs[a].append(b)
    topo, layer = longest_path_layers(nodes, preds, succs)
    n_layers = max(layer.values(), default=0) + 1
    by_layer: list[list[str]] = [[n for n in topo if layer[n] == k] for k in range(n_layers)]
    y: dict[str, float] = {}
    for k, members in enumerate(by_layer):  # forward: follow predecessors
        want = {}
        for i, v in enumerate(members):
            ps = [y[p] for p in preds[v] if p in y]
            want[v] = sum(ps) / len(ps) if ps else None
        y.update(_place(members, want, default_centre=0.0))
    for _ in range(2):  # backward: units without placed predecessors follow their successors
        for k in range(n_layers - 1, -1, -1):
            members = by_layer[k]
            want = {}
            for v in members:
                ps = [y[p] for p in preds[v]]
                ss = [y[s] for s in succs[v]]
                nb = ps + ss if ps else ss
                want[v] = sum(nb) / len(nb) if nb else y[v]
            y.update(_place(members, want, default_centre=0.0))
    pos = {v: (layer[v] * DX, y[v]) for v in nodes}
    return PFDLayout(pos, layer, fwd, rec)


def _place(members: list[str], want: dict[str, float | None], default_centre: float
           ) -> dict[str, float]:
    """Heights near ``want`` (None: no preference), at least DY apart, order by preference."""
    if not members:
        return {}
    n = len(members)
    base = {v: (default_centre + (n - 1) / 2 * DY - i * DY) for i, v in enumerate(members)}
    desired = {v: (want[v] if want[v] is not None else base[v]) for v in members}
    order = sorted(members, key=lambda v: (-desired[v], members.index(v)))
    ys: list[float] = []
    for v in order:
        ys.append(desired[v] if not ys else min(desired[v], ys[-1] - DY))
    shift = sum(desired[v] - yv for v, yv in zip(order, ys)) / n
    return {v: yv + shift for v, yv in zip(order, ys)}


def _port_offsets(k: int) -> list[float]:
    if k <= 1:
        return [0.0]
    span = BOX_H * 0.7
    return [span / 2 - i * span / (k - 1) for i in range(k)]


def _bezier(p: list[tuple[float, float]], t: float) -> tuple[float, float]:
    """Point at ``t`` of the cubic Bezier curve with control points ``p``."""
    w = ((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3)
    return (sum(wi * q[0] for wi, q in zip(w, p)), sum(wi * q[1] for wi, q in zip(w, p)))


def _port_heights(fs: "Flowsheet", lay: PFDLayout
                  ) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """Heights of the ports on the box edges: outlets ordered by the height of what they feed,
    inlets by the height of what feeds them (recycles last), so that arrows do not cross."""
    partner_out: dict[tuple[str, str], float] = {}
    partner_in: dict[tuple[str, str], float] = {}
    for a, pa, b, pb, _ in lay.edges:
        partner_out[(a, pa)] = lay.pos[b][1]
        partner_in[(b, pb)] = lay.pos[a][1]
    for a, pa, b, pb, _ in lay.recycles:  # recycles run below the diagram
        partner_out[(a, pa)] = -1e9
        partner_in[(b, pb)] = -1e9
    out_y: dict[tuple[str, str], float] = {}
    in_y: dict[tuple[str, str], float] = {}
    for uid, u in fs.units.items():
        yc = lay.pos[uid][1]
        for names, partner, dest in ((u.outlet_names, partner_out, out_y),
                                     (u.inlet_names, partner_in, in_y)):
            order = sorted(names, key=lambda n: -partner.get((uid, n), yc))
            for name, off in zip(order, _port_offsets(len(order))):
                dest[(uid, name)] = yc + off
    return out_y, in_y


def _label(uid: str, width: int = 15) -> str:
    """``uid`` broken after underscores into lines of about ``width`` characters."""
    if len(uid) <= width or "_" not in uid:
        return uid
    return "\n".join(break_at_underscores(uid, width))


def pfd(fs: "Flowsheet", title: str | None = None) -> Any:
    """Process flow diagram of ``fs`` (a matplotlib Figure)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path

    lay = pfd_layout(fs)
    if not lay.pos:
        fig = Figure(figsize=(4, 2))
        fig.text(0.5, 0.5, "empty flowsheet", ha="center")
        return fig
    xs = [p[0] for p in lay.pos.values()]
    ys = [p[1] for p in lay.pos.values()]
    lane0 = min(ys) - BOX_H / 2 - 0.5
    lanes = [lane0 - 0.42 * i for i in range(len(lay.recycles))]
    x0, x1 = min(xs) - BOX_W / 2 - 0.3, max(xs) + BOX_W / 2 + 0.3
    y0 = (min(lanes) if lanes else min(ys) - BOX_H / 2) - 0.35
    y1 = max(ys) + BOX_H / 2 + 0.3
    fig = Figure(figsize=((x1 - x0) * INCH, (y1 - y0) * INCH + (0.4 if title else 0.0)))
    ax = fig.add_axes((0, 0, 1, 1 if not title else 1 - 0.4 / ((y1 - y0) * INCH + 0.4)))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.axis("off")
    if title:
        fig.suptitle(title, fontsize=11, y=0.995, va="top")
    units = fs.units
    out_y, in_y = _port_heights(fs, lay)
    style = dict(arrowstyle="-|>", mutation_scale=9, shrinkA=0, shrinkB=0)
    for a, pa, b, pb, sid in lay.edges:
        xa, ya = lay.pos[a][0] + BOX_W / 2, out_y[(a, pa)]
        xb, yb = lay.pos[b][0] - BOX_W / 2, in_y[(b, pb)]
        d = 0.45 * (xb - xa)
        path = Path([(xa, ya), (xa + d, ya), (xb - d, yb), (xb, yb)],
                    [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
        ax.add_patch(FancyArrowPatch(path=path, color="#444444", lw=1.0, zorder=2, **style))
        # label where the arrows fan out: near the inlet when the source has several outlets
        # and the target one inlet, near the outlet otherwise
        fan_out = len(units[a].outlet_names) > len(units[b].inlet_names)
        if xb - xa > DX:  # spans layers: label right after the outlet
            lx, ly = xa + 0.5 * (DX - BOX_W), ya
        else:
            lx, ly = _bezier([(xa, ya), (xa + d, ya), (xb - d, yb), (xb, yb)],
                             0.68 if fan_out else 0.32)
        ax.text(lx, ly, _label(sid, 16), fontsize=6.0, ha="center", va="center",
                color="#333333", zorder=4, linespacing=0.95,
                bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.85))
    gap = DX - BOX_W
    for k, (a, pa, b, pb, sid) in enumerate(lay.recycles):
        xa, ya = lay.pos[a][0] + BOX_W / 2, out_y[(a, pa)]
        xb, yb = lay.pos[b][0] - BOX_W / 2, in_y[(b, pb)]
        xr = xa + gap * (0.12 + 0.07 * (k % 3))
        xl = xb - gap * (0.12 + 0.07 * (k % 3))
        lane = lanes[k]
        path = Path([(xa, ya), (xr, ya), (xr, lane), (xl, lane), (xl, yb), (xb, yb)],
                    [Path.MOVETO] + [Path.LINETO] * 5)
        ax.add_patch(FancyArrowPatch(path=path, color="#d35400", lw=1.1, ls="--", zorder=2,
                                     **style))
        ax.text(0.5 * (xr + xl), lane, f"{sid} (recycle)", fontsize=6.5, ha="center",
                va="center", color="#a04000", zorder=4,
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9))
    for uid, u in units.items():
        x, yc = lay.pos[uid]
        if u.kind == "sink":
            key = getattr(u, "category", "other")
            sub = f"sink: {key.replace('_', ' ')}"
        elif u.kind == "source":
            key, sub = "source", type(u).__name__
        else:
            key, sub = "unit", type(u).__name__
        fc, ec = FILL.get(key, FILL["other"])
        ax.add_patch(FancyBboxPatch((x - BOX_W / 2, yc - BOX_H / 2), BOX_W, BOX_H,
                                    boxstyle="round,pad=0,rounding_size=0.08", fc=fc, ec=ec,
                                    lw=1.2, zorder=3))
        lab = _label(uid)
        fs_id = 7.8 if "\n" not in lab else 6.8
        ax.text(x, yc + 0.08, lab, ha="center", va="center", fontsize=fs_id,
                fontweight="bold", zorder=5, color="#1a1a1a", gid=f"unit:{uid}")
        ax.text(x, yc - BOX_H / 2 + 0.1, sub, ha="center", va="center", fontsize=6.2,
                zorder=5, color="#444444")
    return fig
