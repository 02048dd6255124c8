"""Rows of the process flow diagram that fit a printed page.

The layout (:mod:`.pfd_svg`) wraps the layers of the material graph into rows of ``cols``
columns. A row is as tall as its fullest stretch of heights: one layer that holds many units
(a reactor's product sinks, the feeds of the next layer's units, a heater on the fuel path)
can make a row taller than the page it is printed on. Such a row is cut into bands by height
(each band becomes a row of its own, in the same columns), where the fewest material streams
cross the cut and each band keeps a stream between two of its own units; the streams that do cross become numbered off-row connectors like any stream
between rows. Rows that fit are left as they are.

The page is A3 landscape less the report's 10 mm margins (``@page`` in :mod:`.html`); the
diagram prints at its natural size (96 px per inch) or scaled down to the page's width.
"""
from __future__ import annotations

PRINT_PAGE_MM = (400.0, 277.0)
"""Printable width and height of A3 landscape with 10 mm margins [mm]."""
PX_MM = 25.4 / 96
"""One CSS pixel printed at its natural size [mm]."""


def row_limit_px(width: float) -> float:
    """Tallest row [px] of a diagram ``width`` px wide that prints on one page: at its natural
    size, or scaled to the page's width when it is wider than the page."""
    mm_per_px = min(PX_MM, PRINT_PAGE_MM[0] / width)
    return PRINT_PAGE_MM[1] / mm_per_px


def compact(levels: list[float], slot: float) -> dict[float, float]:
    """Heights with every empty band between consecutive ``levels`` shrunk to one ``slot`` (a
    row keeps its order but not the empty space the whole-diagram placement left in it)."""
    out: dict[float, float] = {}
    prev, cur = None, 0.0
    for v in levels:
        cur = cur if prev is None else cur + min(v - prev, slot)
        out[v] = cur
        prev = v
    return out


def span(ys: list[float], slot: float) -> float:
    """Height [px] from the top to the bottom unit centre of a row whose units sit at ``ys``
    (empty bands compacted as in :func:`compact`)."""
    if not ys:
        return 0.0
    return max(compact(sorted(set(ys)), slot).values())


def _cut(members: list[str], y: dict[str, float], pairs: list[tuple[str, str]], room: float,
         slot: float) -> list[list[str]]:
    """``members`` (top to bottom) in bands each at most ``room`` px from its top to its bottom
    unit centre, cut where the fewest ``pairs`` (material streams) cross and each band keeps a
    stream of its own (not a band of feeds or sinks alone); a band that cannot be cut (one
    height) stays whole."""
    if span([y[v] for v in members], slot) <= room:
        return [members]
    levels = sorted({y[v] for v in members})
    best = None
    for cut in levels[:-1]:
        up = [v for v in members if y[v] <= cut]
        lo = [v for v in members if y[v] > cut]
        hu, hl = span([y[v] for v in up], slot), span([y[v] for v in lo], slot)
        a, b = set(up), set(lo)
        crossing = sum(1 for s, d in pairs if (s in a and d in b) or (s in b and d in a))
        own = all(any(s in band and d in band for s, d in pairs) for band in (a, b))
        fits = hu <= room and hl <= room
        key = (not own, not fits, crossing if fits else 0, max(hu, hl), abs(hu - hl))
        if best is None or key < best[0]:
            best = (key, up, lo)
    if best is None:
        return [members]
    _, up, lo = best
    return _cut(up, y, pairs, room, slot) + _cut(lo, y, pairs, room, slot)


def split_tall_rows(row: dict[str, int], y: dict[str, float], nodes: list[str],
                    pairs: list[tuple[str, str]], room: dict[int, float], slot: float
                    ) -> dict[str, int] | None:
    """New row of each of ``nodes`` when a row is taller than ``room[row]`` px (top to bottom
    unit centre; ``row`` and ``y`` also hold the layout's dummy nodes, which count for the
    height but get no row of their own); None when every row fits.

    Examples
    --------
    >>> y = {"a": 0.0, "b": 100.0, "c": 200.0, "d": 300.0}
    >>> split_tall_rows(dict.fromkeys(y, 0), y, list(y), [("a", "b"), ("c", "d")],
    ...                 {0: 250.0}, 104.0)
    {'a': 0, 'b': 0, 'c': 1, 'd': 1}
    """
    out: dict[str, int] = {}
    split = False
    real = set(nodes)
    k = 0
    for r in sorted({row[n] for n in nodes}):
        members = [v for v in row if row[v] == r]
        bands = _cut(members, y, pairs, room[r], slot)
        split |= len(bands) > 1
        for band in bands:
            if any(v in real for v in band):
                out.update({v: k for v in band if v in real})
                k += 1
    return out if split else None
