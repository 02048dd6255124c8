"""Where the PFD writes its stream labels: a placement in which no label overlaps another
label, a unit, a connector or a stream line, wherever the drawing leaves room for one.

Every label is a box (width estimated from its character count: :func:`label_size`). The
drawing's obstacles are boxes (unit shapes with their duty line, off-row connectors, recycle
labels) and the horizontal and vertical segments of every stream path. For each stream in
turn, candidate positions are tried in a fixed order and the first free one is taken:

1. above, then below, each horizontal run of the stream's own path (first run first), at the
   run's start, its end and its middle (a fan-out's lowest outlet tries below first);
2. for a stream into an outlet (sink), right of the outlet's arrow, where no stream leaves;
3. beside each vertical run of the path (left or right; middle, top, bottom);
4. off a run (near its start or end; right or left of the leader), stepped up and down 4 px
   at a time (the nearest first, over all runs), with a thin leader line to it (a leader
   crossing other streams' lines counts against it).

When no candidate is free, the one with the least overlap is taken (a label or unit covered
outweighs any number of lines crossed; a line under the label outweighs one under a leader).
The order is fixed, so the placement is deterministic. The placed box then becomes an obstacle
for the streams after it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 (px)
Seg = tuple[float, float, float, float]  # x0, y0, x1, y1: horizontal or vertical

CHAR_W_ID, CHAR_W = 6.2, 5.6  # px per character: bold stream id, the value lines (9 px font)
LINE_H = 10  # px between label lines
STEP, MAX_SHIFT = 4.0, 160.0  # px: the leader fallback's step and reach
GAP = 1.0  # px kept free between a label and a box


def label_size(lines: list[str]) -> tuple[float, float]:
    """(width, height) in px of a label of ``lines`` (first line the bold stream id)."""
    w = max([CHAR_W_ID * len(lines[0])] + [CHAR_W * len(s) for s in lines[1:]])
    return w, LINE_H * len(lines) + 2


@dataclass
class LabelRequest:
    """A stream label to place: its lines, its path's horizontal runs ``(x0, x1, y)`` in
    path order, whether it prefers to sit under its line, and the outlet box it ends in."""

    sid: str
    lines: list[str]
    runs: list[tuple[float, float, float]]
    below_first: bool = False
    sink: Box | None = None
    vruns: list[tuple[float, float, float]] = field(default_factory=list)  # (x, y0, y1)


@dataclass
class Placement:
    """A placed label: top-left corner, size and the leader line (or None)."""

    x: float
    top: float
    w: float
    h: float
    leader: Seg | None = None


@dataclass
class Obstacles:
    """What a label must not cover: boxes (units, connectors, placed labels; ``hard``) and
    stream segments."""

    hard: list[Box] = field(default_factory=list)
    segs: list[tuple[str, Seg]] = field(default_factory=list)


def boxes_overlap(a: Box, b: Box, gap: float = 0.0) -> bool:
    """Whether boxes ``a`` and ``b`` come closer than ``gap``."""
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def seg_crosses(box: Box, s: Seg, pad: float = 0.0) -> bool:
    """Whether the axis-parallel segment ``s`` passes through ``box`` (shrunk by ``pad``)."""
    x0, y0, x1, y1 = box[0] + pad, box[1] + pad, box[2] - pad, box[3] - pad
    ax, ay, bx, by = s
    if abs(ay - by) < 1e-6:
        return y0 < ay < y1 and min(ax, bx) < x1 and max(ax, bx) > x0
    if abs(ax - bx) < 1e-6:
        return x0 < ax < x1 and min(ay, by) < y1 and max(ay, by) > y0
    return boxes_overlap(box, (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))


def _cost(box: Box, obs: Obstacles, bounds: Box) -> int:
    if box[0] < bounds[0] or box[1] < bounds[1] or box[2] > bounds[2] or box[3] > bounds[3]:
        return 10 ** 6
    c = sum(1000 for b in obs.hard if boxes_overlap(box, b, GAP))
    return c + sum(10 for _, s in obs.segs if seg_crosses(box, s))


def _candidates(req: LabelRequest, w: float, h: float):
    """(x, top, leader) in the order they are tried."""
    for x0, x1, y in req.runs:
        sides = (y + 2, y - h - 1) if req.below_first else (y - h - 1, y + 2)
        for top in sides:
            for x in (x0 + 3, x1 - 4 - w, (x0 + x1 - w) / 2):
                yield x, top, None
    if req.sink is not None:
        sx0, sy0, sx1, sy1 = req.sink
        yield sx1 + 4, (sy0 + sy1 - h) / 2, None
        yield sx1 + 4, sy0 - h - 1, None
        yield sx1 + 4, sy1 + 1, None
    for x, y0, y1 in req.vruns:
        for top in ((y0 + y1 - h) / 2, min(y0, y1) + 2, max(y0, y1) - h - 2):
            yield x + 3, top, None
            yield x - w - 3, top, None
    k = 1
    while k * STEP <= MAX_SHIFT:  # the nearest first, over all runs
        for x0, x1, y in req.runs:
            for top in (y + 2 + k * STEP, y - h - 1 - k * STEP):
                ly = top if top > y else top + h
                for xl in (x0 + 3, x1 - 3):
                    if xl - 1 > x0 - 1e-9 and xl <= x1:
                        yield xl + 2, top, (xl, y, xl, ly)
                        yield xl - 2 - w, top, (xl, y, xl, ly)  # left of its leader
        k += 1


def place_labels(reqs: list[LabelRequest], obs: Obstacles, bounds: Box) -> list[Placement]:
    """A placement of each of ``reqs`` (in their order) inside ``bounds``; placed boxes are
    added to ``obs.hard``."""
    out = []
    for req in reqs:
        w, h = label_size(req.lines)
        best, best_cost = None, None
        for x, top, leader in _candidates(req, w, h):
            box = (x, top, x + w, top + h)
            c = _cost(box, obs, bounds)
            if leader is not None:  # a leader crosses no box, and other lines if it can
                lx, ly0, _, ly1 = leader
                lb = (lx, min(ly0, ly1), lx, max(ly0, ly1))
                c += sum(1000 for b in obs.hard if seg_crosses(b, leader))
                c += sum(1 for sid, sg in obs.segs if sid != req.sid and seg_crosses(lb, sg))
            if best_cost is None or c < best_cost:
                best, best_cost = Placement(x, top, w, h, leader), c
            if c == 0:
                break
        if best is None:  # no path: nothing to place against (a stream without runs)
            best = Placement(bounds[0], bounds[1], w, h)
        obs.hard.append((best.x, best.top, best.x + best.w, best.top + best.h))
        out.append(best)
    return out
