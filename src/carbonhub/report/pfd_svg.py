"""Process flow diagram as SVG, laid out to fit a page width (own layered layout, no Graphviz).

Layout: the material graph (:mod:`.pfd_graph`, reference links taken out) without its back
edges is a DAG; a unit's layer is its longest path from a feed (feeds then sit one layer
before the unit they feed). Layers fill rows of ``cols`` columns, so the main train reads left
to right and wraps into the next row; an edge that spans layers within a row passes through
free slots (dummy nodes); an edge to another row ends in a numbered off-row connector (the
same number where it comes in); a row taller than the printed page (A3 landscape) is cut into
bands by height, each a row of its own (:mod:`.pfd_rows`). Within a layer, units sit near the mean height of their
neighbours (barycentre sweeps), so side trains and utilities fall above or below the train.
Recycles within a row run back above the row in their own lane.

Units have one shape per family (feed and sink arrows, capsule reactors, columns, ellipse
heat exchangers, fired-heater boxes, trapezoid machines, hexagon mixers/splitters, boxes for
other separators) with heat and power written under them. Material streams are solid arrows
labelled with flow [t/h], T [degC] and P [bar]; their ``<title>`` holds the composition. The
labels are placed after every line is drawn, clear of other labels, units and lines wherever
there is room (:mod:`.pfd_labels`).
Reference links of feed-forward units are thin dashed grey lines, class ``reflink``.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .pfd_graph import (OTHER_COLOURS, SINK_COLOURS, MaterialEdge, back_edges, break_at_underscores, family,
                        longest_path_layers, material_graph, stream_labels)
from .pfd_labels import (CHAR_W, LINE_H, LabelRequest, Obstacles, Placement, Seg, boxes_overlap,
                         place_labels, seg_crosses)
from .pfd_rows import compact, row_limit_px, split_tall_rows

if TYPE_CHECKING:  # pragma: no cover
    from ..core.flowsheet import Flowsheet
    from ..core.results import SimulationResult

PAGE_W = 1600  # px, the widest the diagram may be
NODE_W, SHAPE_H, NODE_H = 104, 40, 54  # node box, shape height, shape + duty line
GAP = 104  # px between columns (room for the stream labels)
SLOT = 104  # px between units of a layer
SINK_SLOT = 66  # px between two outlets (sinks) of a layer: no stream leaves them
MARGIN = 18
LEFT = MARGIN + 30  # room for the connectors of streams coming in from the row above
LANE = 14  # px between recycle lanes
REF_MAX = 330  # px: longer reference links are not drawn (the unit names its stream)

COLOURS = {"feed": ("#e3f4e1", "#2f855a"), "feedforward": ("#f1f7ee", "#68a063"),
           "reactor": ("#fdecd9", "#c05621"), "column": ("#e6eefb", "#2b6cb0"),
           "heat": ("#fff5f5", "#c53030"), "fired": ("#fde2e1", "#9b2c2c"),
           "machine": ("#edf2f7", "#4a5568"), "junction": ("#f7fafc", "#718096"),
           "separator": ("#e8f4f8", "#2c7a7b")}


@dataclass
class Layout:
    """Node centres (``pos``, px) of units and dummies, columns per row and the page size."""

    pos: dict[str, tuple[float, float]]
    layer: dict[str, int]
    row_of: dict[str, int]
    cols: int
    width: float
    height: float
    row_top: list[float]
    lanes: dict[str, float]  # recycle edge key -> lane height


def _layers(nodes: list[str], edges: list[MaterialEdge], tears: set[str]
            ) -> tuple[dict[str, int], set[int]]:
    """Longest-path layers of the DAG left after removing back edges; the back edges."""
    back: set[int] = {i for i, e in enumerate(edges) if set(e.via) & tears}
    back |= back_edges(nodes, [(e.src, e.dst, i) for i, e in enumerate(edges) if i not in back])
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    succs: dict[str, list[str]] = {n: [] for n in nodes}
    for i, e in enumerate(edges):
        if i not in back:
            preds[e.dst].append(e.src)
            succs[e.src].append(e.dst)
    _, layer = longest_path_layers(nodes, preds, succs)
    return layer, back


def _place(members: list[str], want: dict[str, float], small: set[str] = frozenset()
           ) -> dict[str, float]:
    """Heights near ``want``, at least SLOT apart (SINK_SLOT between two ``small`` nodes), in
    the order of ``want``."""
    order = sorted(members, key=lambda v: (want[v], members.index(v)))
    ys: list[float] = []
    for k, v in enumerate(order):
        gap = SINK_SLOT if k and v in small and order[k - 1] in small else SLOT
        ys.append(want[v] if not ys else max(want[v], ys[-1] + gap))
    shift = sum(want[v] - y for v, y in zip(order, ys)) / max(len(order), 1)
    return {v: y + shift for v, y in zip(order, ys)}


def _rlab_centre(sid: str, rw: float, xr: float, xl: float, lane: float,
                 obs: Obstacles) -> float:
    """Centre of a recycle's one-line label on its lane: the middle of the lane when no other
    stream's line or placed box is under it, else the nearest free position along the lane
    (the middle when none is free)."""
    lo, hi = min(xr, xl) + rw / 2 + 2, max(xr, xl) - rw / 2 - 2
    mid = (xr + xl) / 2
    tries = [mid] + [c for k in range(1, 200) for c in (mid - 4 * k, mid + 4 * k)
                     if lo <= c <= hi]
    for cx in tries:
        box = (cx - rw / 2, lane - 10, cx + rw / 2, lane)
        if not any(s != sid and seg_crosses(box, g) for s, g in obs.segs) \
                and not any(boxes_overlap(box, b) for b in obs.hard):
            return cx
    return mid


def _arrange(nodes: list[str], edges: list[MaterialEdge], layer0: dict[str, int],
             row0: dict[str, int], back: set[int], sinks: set[str]):
    """Dummy nodes for the edges that span layers within a row, each edge's node chain, and
    every node's height from barycentre sweeps: (layer, row, chains, y), dummies included."""
    layer, row = dict(layer0), dict(row0)
    chains: list[list[str]] = []
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    succs: dict[str, list[str]] = {n: [] for n in nodes}
    for i, e in enumerate(edges):
        chain = [e.src]
        if i not in back and row[e.src] == row[e.dst]:
            for k in range(layer[e.src] + 1, layer[e.dst]):
                d = f"__d{i}_{k}"
                layer[d], row[d] = k, row[e.src]
                preds[d], succs[d] = [], []
                chain.append(d)
        chain.append(e.dst)
        chains.append(chain)
        if i in back or row[e.src] != row[e.dst]:
            continue
        for a, b in zip(chain, chain[1:]):
            succs[a].append(b)
            preds[b].append(a)
    n_layers = max(layer.values(), default=0) + 1
    by_layer = [[v for v in layer if layer[v] == k] for k in range(n_layers)]
    y: dict[str, float] = {}
    for members in by_layer:
        want = {}
        for i, v in enumerate(members):
            ps = [y[p] for p in preds[v] if p in y]
            want[v] = float(np.mean(ps)) if ps else i * SLOT
        y.update(_place(members, want, sinks))
    for _ in range(3):
        for members in reversed(by_layer):
            want = {v: float(np.mean([y[w] for w in preds[v] + succs[v]]))
                    if preds[v] + succs[v] else y[v] for v in members}
            y.update(_place(members, want, sinks))
        for members in by_layer:
            want = {v: float(np.mean([y[w] for w in preds[v]] or [y[v]])) for v in members}
            y.update(_place(members, want, sinks))
    return layer, row, chains, y


def _lane_h(r: int, row: dict[str, int], edges: list[MaterialEdge], back: set[int]) -> float:
    """Height [px] of the recycle lanes above row ``r``."""
    rec = [i for i in back if row[edges[i].src] == r and row[edges[i].dst] == r]
    return LANE * len(rec) + (10 if rec else 0)


ROW_PAD = 30 + NODE_H / 2 + 50  # px a row adds above and below its unit centres and lanes


def layout(fs: "Flowsheet", page_width: float = PAGE_W
           ) -> tuple[Layout, list[MaterialEdge], list[list[str]], set[int]]:
    """Positions of units and dummies; the material edges; each edge's node chain; the indices
    of back (recycle) edges. A row taller than the printed page is cut into bands by height
    (:mod:`.pfd_rows`)."""
    edges, _ = material_graph(fs)
    nodes = list(fs.units)
    try:
        tears = set(fs.tears)
    except Exception:  # an unfinished flowsheet is still drawn: back edges found by DFS
        tears = set()
    layer0, back = _layers(nodes, edges, tears)
    cols = max(int((page_width - LEFT - MARGIN) // (NODE_W + GAP)), 2)
    sinks = {v for v in nodes if fs.units[v].kind == "sink"}
    n_layers = max(layer0.values(), default=0) + 1
    used_cols = min(cols, n_layers)
    width = LEFT + MARGIN + used_cols * (NODE_W + GAP)
    limit = row_limit_px(width)
    pairs = [(e.src, e.dst) for e in edges]
    row0 = {n: layer0[n] // cols for n in nodes}
    for _ in range(4):  # a cut row is arranged again: its bands may need another cut
        layer, row, chains, y = _arrange(nodes, edges, layer0, row0, back, sinks)
        room = {r: limit - ROW_PAD - MARGIN - _lane_h(r, row, edges, back)
                for r in set(row0.values())}
        cut = split_tall_rows(row, y, nodes, pairs, room, SLOT)
        if cut is None:
            break
        row0 = cut
    n_rows = max(row.values(), default=0) + 1
    lanes: dict[str, float] = {}
    pos: dict[str, tuple[float, float]] = {}
    row_top: list[float] = []
    top = MARGIN + 22
    for r in range(n_rows):
        members = [v for v in layer if row[v] == r]
        rec = [i for i in back if row[edges[i].src] == r and row[edges[i].dst] == r]
        lane_h = _lane_h(r, row, edges, back)
        row_top.append(top)
        if not members:
            continue
        ys = compact(sorted({y[v] for v in members}), SLOT)
        y0 = min(ys.values())
        for k, i in enumerate(sorted(rec)):
            lanes[str(i)] = top + 6 + LANE * k
        for v in members:
            c = layer[v] % cols
            pos[v] = (LEFT + NODE_W / 2 + c * (NODE_W + GAP), top + lane_h + 30 + ys[y[v]] - y0)
        top = max(p[1] for v, p in pos.items() if row[v] == r) + NODE_H / 2 + 50
    lay = Layout(pos, layer, row, cols, width, top + MARGIN, row_top, lanes)
    return lay, edges, chains, back


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _shape(fam: str, x: float, y: float, fc: str, ec: str) -> str:
    """SVG of a unit shape of family ``fam`` centred at (x, y) in a NODE_W x SHAPE_H box."""
    w, h = NODE_W / 2, SHAPE_H / 2
    st = f'fill="{fc}" stroke="{ec}" stroke-width="1.4"'
    if fam in ("feed", "feedforward", "sink"):
        pts = [(x - w, y - h), (x + w - 12, y - h), (x + w, y), (x + w - 12, y + h), (x - w, y + h)]
        dash = ' stroke-dasharray="4 2"' if fam == "feedforward" else ""
        return f'<polygon points="{_pts(pts)}" {st}{dash}/>'
    if fam == "reactor":
        return f'<rect x="{x - w}" y="{y - h}" width="{NODE_W}" height="{SHAPE_H}" rx="{h}" {st}/>'
    if fam == "column":
        return (f'<rect x="{x - w}" y="{y - h}" width="{NODE_W}" height="{SHAPE_H}" rx="6" {st}/>'
                f'<line x1="{x - w + 7}" y1="{y - h}" x2="{x - w + 7}" y2="{y + h}" stroke="{ec}"/>'
                f'<line x1="{x + w - 7}" y1="{y - h}" x2="{x + w - 7}" y2="{y + h}" stroke="{ec}"/>')
    if fam == "heat":
        return f'<ellipse cx="{x}" cy="{y}" rx="{w}" ry="{h}" {st}/>'
    if fam == "fired":
        return (f'<rect x="{x - w}" y="{y - h}" width="{NODE_W}" height="{SHAPE_H}" {st}/>'
                f'<polyline points="{_pts([(x - 10, y + h), (x - 5, y + h - 7), (x, y + h), (x + 5, y + h - 7), (x + 10, y + h)])}" '
                f'fill="none" stroke="{ec}"/>')
    if fam == "machine":
        pts = [(x - w, y - h), (x + w, y - h + 9), (x + w, y + h - 9), (x - w, y + h)]
        return f'<polygon points="{_pts(pts)}" {st}/>'
    if fam == "junction":
        pts = [(x - w, y), (x - w + 14, y - h), (x + w - 14, y - h), (x + w, y),
               (x + w - 14, y + h), (x - w + 14, y + h)]
        return f'<polygon points="{_pts(pts)}" {st}/>'
    return f'<rect x="{x - w}" y="{y - h}" width="{NODE_W}" height="{SHAPE_H}" rx="3" {st}/>'


def _pts(pts: list[tuple[float, float]]) -> str:
    return " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)


def _wrap(text: str, width: int = 17) -> list[str]:
    """``text`` broken after underscores into at most two lines of about ``width`` chars."""
    if len(text) <= width:
        return [text]
    lines = break_at_underscores(text, width)
    if len(lines) > 2:
        lines = [lines[0], "".join(lines[1:])]
    return [ln if len(ln) <= width + 3 else ln[:width + 1] + "…" for ln in lines]


def _ports(names: list[str], partner_y: dict[str, float], yc: float) -> dict[str, float]:
    """Port heights on a unit's side, ordered by the height of the other end."""
    order = sorted(names, key=lambda n: partner_y.get(n, yc))
    k = len(order)
    span = SHAPE_H * 0.7
    offs = [0.0] if k <= 1 else [-span / 2 + i * span / (k - 1) for i in range(k)]
    return {n: yc + o for n, o in zip(order, offs)}


def _duty(res: "SimulationResult | None", uid: str, case: int) -> str:
    if res is None or uid not in res.unit_results:
        return ""
    r = res.unit_results[uid]
    q, w = float(r.heat[case]) / 1e6, float(r.power[case]) / 1e6
    bits = []
    if np.isfinite(q) and abs(q) >= 5e-4:
        bits.append(f"Q {q:+.3g} MW")
    if np.isfinite(w) and abs(w) >= 5e-4:
        bits.append(f"W {w:+.3g} MW")
    return ", ".join(bits)


def pfd_svg(fs: "Flowsheet", res: "SimulationResult | None" = None, case: int = 0,
            page_width: float = PAGE_W) -> str:
    """The process flow diagram of ``fs`` as an SVG document (a string), at most
    ``page_width`` px wide. With ``res``, streams carry flow, T and P of ``case`` and units
    their heat and power."""
    lay, edges, chains, back = layout(fs, page_width)
    labels = stream_labels(res, case) if res is not None else {}
    _, refs = material_graph(fs)
    units = fs.units
    out_partner: dict[str, dict[str, float]] = {u: {} for u in units}
    in_partner: dict[str, dict[str, float]] = {u: {} for u in units}
    for i, (e, ch) in enumerate(zip(edges, chains)):
        out_partner[e.src][e.src_port] = lay.pos[ch[1]][1] - (1e5 if i in back else 0)
        in_partner[e.dst][e.dst_port] = lay.pos[ch[-2]][1] - (1e5 if i in back else 0)
    out_y = {u: _ports(list(units[u].outlet_names), out_partner[u], lay.pos[u][1]) for u in units}
    in_y = {u: _ports(list(units[u].inlet_names), in_partner[u], lay.pos[u][1]) for u in units}
    jog = _jogs(lay, edges, chains, back, out_y, in_y)
    # a fan-out (two or more outlets drawn forward): the lowest outlet's label tries below its
    # line, so that the labels of the top and bottom streams spread apart, not over each other
    lowest: dict[str, float] = {}
    fans: dict[str, int] = {}
    for i, e in enumerate(edges):
        if i not in back:
            fans[e.src] = fans.get(e.src, 0) + 1
            lowest[e.src] = max(lowest.get(e.src, -1e9), out_y[e.src][e.src_port])
    parts: list[str] = []
    rlabs: list[tuple[str, str, float, float, float]] = []
    reqs: list[LabelRequest] = []
    tips: list[str] = []
    obs = Obstacles()
    anchor: dict[str, tuple[float, float]] = {}
    n_conn = 0
    half = NODE_W / 2
    for i, (e, ch) in enumerate(zip(edges, chains)):
        xa, ya = lay.pos[e.src][0] + half, out_y[e.src][e.src_port]
        xb, yb = lay.pos[e.dst][0] - half, in_y[e.dst][e.dst_port]
        lab = labels.get(e.sid)
        tip = _tooltip(e, lab, units)
        if i in back and lay.row_of[e.src] == lay.row_of[e.dst]:
            lane = lay.lanes[str(i)]
            xr, xl = xa + 10 + 4 * (i % 4), xb - 10 - 4 * (i % 4)
            pts = [(xa, ya), (xr, ya), (xr, lane), (xl, lane), (xl, yb), (xb, yb)]
            parts.append(_path(pts, "recycle", tip, e.sid))
            obs.segs += _segments(e.sid, pts)
            ltxt = f"{e.sid} (recycle)" + (f": {lab.lines()[0]}" if lab else "")
            rlabs.append((e.sid, ltxt, xr, xl, lane))
            anchor[e.sid] = ((xr + xl) / 2, lane)
            continue
        below = fans.get(e.src, 0) > 1 and ya == lowest.get(e.src)
        lines = [e.sid if len(e.sid) <= 18 else e.sid[:17] + "…"] + (lab.lines() if lab else [])
        if lay.row_of[e.src] != lay.row_of[e.dst]:
            n_conn += 1
            cx1, cx2 = xa + GAP * 0.62, xb - GAP * 0.3
            parts.append(_path([(xa, ya), (cx1 - 8, ya)], "material", tip, e.sid, arrow=False))
            parts.append(_connector(cx1, ya, n_conn, f"{e.sid} continues to {e.dst} (row "
                                    f"{lay.row_of[e.dst] + 1})"))
            parts.append(_connector(cx2, yb, n_conn, f"{e.sid} comes from {e.src} (row "
                                    f"{lay.row_of[e.src] + 1})"))
            parts.append(_path([(cx2 + 8, yb), (xb, yb)], "material", tip, e.sid))
            obs.segs += _segments(e.sid, [(xa, ya), (cx1 - 8, ya)])
            obs.segs += _segments(e.sid, [(cx2 + 8, yb), (xb, yb)])
            obs.hard += [(cx1 - 8, ya - 8, cx1 + 8, ya + 8), (cx2 - 8, yb - 8, cx2 + 8, yb + 8)]
            reqs.append(LabelRequest(e.sid, lines, [(xa, cx1 - 8, ya)], below))
            tips.append(tip)
            anchor[e.sid] = (xa + 20, ya)
            continue
        pts = [(xa, ya)]
        for k, (a, b) in enumerate(zip(ch, ch[1:])):
            x0 = pts[-1][0]
            y0 = pts[-1][1]
            if b == e.dst:
                x1, y1 = xb, yb
            else:
                x1, y1 = lay.pos[b][0] - half, lay.pos[b][1]
            xm = jog.get((i, k), x1 - GAP * 0.25)
            if abs(y1 - y0) > 0.5:
                pts += [(xm, y0), (xm, y1)]
            pts.append((x1, y1))
            if b != e.dst:
                pts.append((x1 + NODE_W, y1))
        parts.append(_path(pts, "material", tip, e.sid))
        obs.segs += _segments(e.sid, pts)
        runs = [(p[0], q[0], p[1]) for p, q in zip(pts, pts[1:])
                if abs(p[1] - q[1]) < 0.5 and q[0] > p[0]]
        sink = None
        if units[e.dst].kind == "sink":
            sx, sy = lay.pos[e.dst]
            sink = (sx - half, sy - SHAPE_H / 2, sx + half, sy + SHAPE_H / 2)
        vruns = [(p[0], p[1], q[1]) for p, q in zip(pts, pts[1:])
                 if abs(p[0] - q[0]) < 0.5 and abs(p[1] - q[1]) > 0.5]
        reqs.append(LabelRequest(e.sid, lines, runs, below, sink, vruns))
        tips.append(tip)
        anchor[e.sid] = (xa + 20, ya)
    for sid, ltxt, xr, xl, lane in rlabs:  # on its lane, clear of the other streams' lines
        rw = CHAR_W * len(ltxt)
        cx = _rlab_centre(sid, rw, xr, xl, lane, obs)
        parts.append(f'<text class="rlab" x="{cx:.1f}" y="{lane - 2:.1f}" '
                     f'text-anchor="middle" data-stream="{_e(sid)}">{_e(ltxt)}</text>')
        obs.hard.append((cx - rw / 2, lane - 10, cx + rw / 2, lane))
    for uid in units:
        x, y = lay.pos[uid]
        follows = [r.sid for r in refs if r.unit == uid]
        duty = _duty(res, uid, case) or ("ref: " + ", ".join(follows) if follows else "")
        dw = 5.0 * len(duty)  # the duty line under the shape (8.5 px font)
        obs.hard.append((x - half, y - SHAPE_H / 2, x + half, y + SHAPE_H / 2))
        if duty:
            obs.hard.append((x - dw / 2, y + SHAPE_H / 2, x + dw / 2, y + SHAPE_H / 2 + 13))
    for req, tip, pl in zip(reqs, tips, place_labels(reqs, obs, (0, 0, lay.width, lay.height))):
        parts.append(_stream_label(req, pl, tip))
    for r in refs:  # reference links: dashed, to the label of the measured stream
        if r.sid in anchor and r.unit in lay.pos:
            x, y = lay.pos[r.unit]
            ax_, ay = anchor[r.sid]
            if abs(ax_ - x) + abs(ay - y) > REF_MAX:  # far: the unit names the stream instead
                continue
            y_edge = y - SHAPE_H / 2 if ay < y else y + SHAPE_H / 2
            parts.append(f'<line class="reflink" x1="{x:.1f}" y1="{y_edge:.1f}" x2="{ax_:.1f}" '
                         f'y2="{ay:.1f}" data-unit="{_e(r.unit)}" data-stream="{_e(r.sid)}">'
                         f"<title>{_e(r.unit)} follows stream {_e(r.sid)} (reference, not a "
                         "material flow)</title></line>")
    for uid, u in units.items():
        parts.append(_unit(uid, u, lay.pos[uid], _duty(res, uid, case), refs))
    for r, top in enumerate(lay.row_top):
        if len(lay.row_top) > 1:
            parts.insert(0, f'<text class="row" x="{MARGIN}" y="{top - 8:.0f}">row {r + 1}</text>'
                         + (f'<line class="rowsep" x1="{MARGIN}" x2="{lay.width - MARGIN:.0f}" '
                            f'y1="{top - 20:.0f}" y2="{top - 20:.0f}"/>' if r else ""))
    w, h = lay.width, lay.height
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="pfd" width="{w:.0f}" '
            f'height="{h:.0f}" viewBox="0 0 {w:.0f} {h:.0f}" font-family="DejaVu Sans, Arial, '
            f'sans-serif">{_defs()}<g id="pfd-all">{"".join(parts)}</g></svg>')


def print_rows(svg: str) -> str:
    """HTML for printing a wrapped diagram one row per block: an SVG per row that shows the
    drawing's ``#pfd-all`` group through its row's window (``<use>``, so nothing is drawn
    twice), for the report's print rules to put page breaks between rows, not through them.
    Empty for a one-row diagram."""
    import re

    m = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    tops = [float(y) + 8 for y in re.findall(r'<text class="row" x="[\d.]+" y="([\d.]+)"', svg)]
    if m is None or len(tops) < 2:
        return ""
    w, h = float(m.group(1)), float(m.group(2))
    edges = [t - 24 for t in sorted(tops)] + [h]
    rows = "".join(f'<svg class="pfd-row" width="{w:.0f}" height="{b - a:.0f}" '
                   f'viewBox="0 {a:.0f} {w:.0f} {b - a:.0f}"><use href="#pfd-all"/></svg>'
                   for a, b in zip(edges, edges[1:]))
    return f'<div class="pfd-print">{rows}</div>'


def _jogs(lay: Layout, edges: list[MaterialEdge], chains: list[list[str]], back: set[int],
          out_y: dict, in_y: dict) -> dict[tuple[int, int], float]:
    """x of the vertical part of each segment (edge i, segment k) that changes height: the
    segments ending in one gap are spread over its right half (top starts rightmost), so
    that no two vertical parts lie on one line."""
    half = NODE_W / 2
    by_gap: dict[float, list[tuple[float, float, tuple[int, int]]]] = {}
    for i, (e, ch) in enumerate(zip(edges, chains)):
        if i in back or lay.row_of[e.src] != lay.row_of[e.dst]:
            continue
        y0 = out_y[e.src][e.src_port]
        for k, b in enumerate(ch[1:]):
            x1 = lay.pos[b][0] - half
            y1 = in_y[e.dst][e.dst_port] if b == e.dst else lay.pos[b][1]
            if abs(y1 - y0) > 0.5:
                by_gap.setdefault(round(x1, 1), []).append((y0, y1, (i, k)))
            y0 = y1
    out: dict[tuple[int, int], float] = {}
    for x1, segs in by_gap.items():
        segs.sort(key=lambda t: (t[1] < t[0], t[0] if t[1] > t[0] else -t[0]))
        n = len(segs)
        lo, hi = x1 - GAP * 0.5, x1 - 10.0
        for j, (_, _, key) in enumerate(segs):
            out[key] = hi - (hi - lo) * (j / (n - 1) if n > 1 else 0.5)
    return out


def _defs() -> str:
    return ('<defs><marker id="arr" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker>'
            '<marker id="arrr" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#c05621"/>'
            '</marker></defs><style>'
            '.material{fill:none;stroke:#333;stroke-width:1.3}'
            '.recycle{fill:none;stroke:#c05621;stroke-width:1.5}'
            '.reflink{stroke:#999;stroke-width:1;stroke-dasharray:3 3}'
            '.leader{stroke:#a0aec0;stroke-width:0.8}'
            '.slab{font-size:9px;fill:#222;paint-order:stroke;stroke:#fff;stroke-width:2.5px;stroke-linejoin:round}.slab .sid{font-weight:bold;fill:#1a365d}'
            '.rlab{font-size:9px;fill:#9c4221;paint-order:stroke;stroke:#fff;stroke-width:3px}'
            '.uid{font-size:9.5px;font-weight:bold;fill:#1a202c}'
            '.utype{font-size:8px;fill:#4a5568}.duty{font-size:8.5px;fill:#9b2c2c}'
            '.conn{font-size:9px;font-weight:bold;fill:#fff}'
            '.ref{font-size:8.5px;fill:#718096;font-style:italic}'
            '.row{font-size:11px;fill:#718096;font-weight:bold}.rowsep{stroke:#cbd5e0}'
            '</style>')


def _path(pts: list[tuple[float, float]], cls: str, tip: str, sid: str, arrow: bool = True) -> str:
    d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in pts)
    mk = (' marker-end="url(#arrr)"' if cls == "recycle" else ' marker-end="url(#arr)"') \
        if arrow else ""
    return (f'<path class="{cls}" d="{d}"{mk} data-stream="{_e(sid)}"><title>{_e(tip)}</title>'
            "</path>")


def _connector(x: float, y: float, n: int, tip: str) -> str:
    return (f'<g class="connector"><circle cx="{x:.1f}" cy="{y:.1f}" r="8" fill="#4a5568"/>'
            f'<text class="conn" x="{x:.1f}" y="{y + 3:.1f}" text-anchor="middle">{n}</text>'
            f"<title>{_e(tip)}</title></g>")


def _segments(sid: str, pts: list[tuple[float, float]]) -> list[tuple[str, Seg]]:
    return [(sid, (p[0], p[1], q[0], q[1])) for p, q in zip(pts, pts[1:])]


def _stream_label(req: LabelRequest, pl: Placement, tip: str) -> str:
    """Stream id and (with results) flow, T, P at the placement ``pl`` (:mod:`.pfd_labels`),
    with a thin leader line to the stream when the label had to move off it."""
    x, top = pl.x, pl.top
    leader = ""
    if pl.leader is not None:
        x1, y1, x2, y2 = pl.leader
        leader = f'<line class="leader" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>'
    rows = "".join(f'<tspan x="{x:.1f}" dy="{LINE_H if k else 0}"'
                   + (' class="sid"' if k == 0 else "") + f">{_e(s)}</tspan>"
                   for k, s in enumerate(req.lines))
    return (leader + f'<text class="slab" x="{x:.1f}" y="{top + 9:.1f}" '
            f'data-stream="{_e(req.sid)}"><title>{_e(tip)}</title>{rows}</text>')


def _tooltip(e: MaterialEdge, lab: Any, units: dict) -> str:
    s = f"{e.sid}: {e.src}.{e.src_port} -> {e.dst}.{e.dst_port}"
    if e.refs:
        s += f" (measured by {', '.join(e.refs)}; passes them unchanged)"
    if lab is None:
        return s
    s += f"\n{lab.mass_t_h:.4g} t/h, {lab.T_C:.4g} °C, {lab.P_bar:.4g} bar\nmole fractions:"
    top = sorted(lab.x.items(), key=lambda kv: -kv[1])
    s += "".join(f"\n  {k} {v:.4f}" for k, v in top if v >= 1e-4)
    return s


def _unit(uid: str, u: Any, p: tuple[float, float], duty: str, refs: list) -> str:
    fam = family(u)
    x, y = p
    if fam == "sink":
        fc, ec = SINK_COLOURS.get(getattr(u, "category", ""), OTHER_COLOURS)
        sub = f"{getattr(u, 'category', 'sink').replace('_', ' ')}"
    else:
        fc, ec = COLOURS[fam]
        sub = type(u).__name__
    lines = _wrap(uid)
    ty = y - 2 - 5.5 * (len(lines) - 1)
    txt = "".join(f'<text class="uid" x="{x:.1f}" y="{ty + 11 * k:.1f}" text-anchor="middle">'
                  f"{_e(s)}</text>" for k, s in enumerate(lines))
    txt += (f'<text class="utype" x="{x:.1f}" y="{y + SHAPE_H / 2 - 3:.1f}" '
            f'text-anchor="middle">{_e(sub)}</text>')
    follows = [r.sid for r in refs if r.unit == uid]
    if follows and not duty:
        duty_cls, duty = "ref", "ref: " + ", ".join(follows)
    else:
        duty_cls = "duty"
    if duty:
        txt += (f'<text class="{duty_cls}" x="{x:.1f}" y="{y + SHAPE_H / 2 + 10:.1f}" '
                f'text-anchor="middle">{_e(duty)}</text>')
    tip = f"{uid} ({type(u).__name__}, {fam})"
    if follows:
        tip += f"; feed-forward on stream {', '.join(follows)}"
    if duty:
        tip += f"; {duty}"
    return (f'<g class="unit" data-unit="{_e(uid)}" data-family="{fam}">'
            f"<title>{_e(tip)}</title>{_shape(fam, x, y, fc, ec)}{txt}</g>")


class SVGFigure:
    """An SVG drawing: shown inline by Jupyter (``_repr_svg_``), written by :meth:`save` (SVG)
    or :meth:`savefig` (SVG, or PNG through a headless Chromium)."""

    def __init__(self, svg: str):
        self.svg = svg

    def _repr_svg_(self) -> str:
        return self.svg

    def save(self, path: Any) -> None:
        """Write the SVG to ``path`` (UTF-8)."""
        from pathlib import Path

        Path(path).write_text(self.svg, encoding="utf-8")

    def savefig(self, path: Any, dpi: float = 96.0, **_: Any) -> None:
        """Write ``path``: an SVG, or a PNG (``.png``) rendered by a headless Chromium
        (:mod:`carbonhub.report.browser`) at ``dpi`` (96: one pixel per SVG pixel); the name
        of matplotlib's method, so that figures of either kind are saved alike."""
        from pathlib import Path

        path = Path(path)
        if path.suffix.lower() != ".png":
            self.save(path)
            return
        from .browser import svg_to_png

        svg_to_png(self.svg, path, scale=float(dpi) / 96.0)
