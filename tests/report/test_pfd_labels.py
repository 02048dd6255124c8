"""The PFD's stream labels do not overlap each other or the units, measured on the SVG itself.

The geometry is read back from the generated SVG (``<text>`` positions, unit ``<rect>``,
``<polygon>`` and ``<ellipse>`` shapes, the ``d`` of every stream path), not from the placement
code's own bookkeeping. A label's box is estimated from its character count as the placement
does (bold 9 px stream id 6.2 px a character, value lines 5.6 px; 10 px a line), the duty
line under a unit at 5 px a character (8.5 px font). A route's results take up to ~20 s to
simulate, so every route is drawn with stand-in results whose labels and duties are as wide as
real ones get ("0.000123 t/h", "-12.3 °C", "12.3 bar"; "Q -12.3 MW, W +1.23 MW" on every
unit); the toy flowsheet is drawn with its real results.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.report.pfd_svg import pfd_svg

SVG = "{http://www.w3.org/2000/svg}"
TOL = 0.2  # px: coordinates are written to 0.1 px


def _stand_in(fs):
    n = len(fs.components.ids)
    one = np.ones((1, n))
    streams = {c.id: SimpleNamespace(flow=one, mass_flow=np.array([0.000123 / 3.6]),
                                     T=np.array([-12.3 + 273.15]), P=np.array([12.34e5]))
               for c in fs.connections}
    units = {u: SimpleNamespace(heat=np.array([-12.3e6]), power=np.array([1.23e6]))
             for u in fs.units}
    return SimpleNamespace(stream_data=streams, unit_results=units, flowsheet=fs)


def _geometry(svg: str):
    """Label boxes (stream, box), unit boxes (unit, box) and stream segments (stream, seg)."""
    root = ET.fromstring(svg)
    labels, units, segs = [], [], []
    for t in root.iter(f"{SVG}text"):
        cls = t.get("class")
        if cls == "slab":
            lines = [s.text for s in t.iter(f"{SVG}tspan")]
            x, y = float(t.get("x")), float(t.get("y"))
            w = max([6.2 * len(lines[0])] + [5.6 * len(s) for s in lines[1:]])
            labels.append((t.get("data-stream"), (x, y - 9, x + w, y - 9 + 10 * len(lines) + 2)))
        elif cls == "rlab":  # a recycle's one-line label, centred
            x, y, w = float(t.get("x")), float(t.get("y")), 5.6 * len(t.text)
            labels.append((t.get("data-stream"), (x - w / 2, y - 8, x + w / 2, y + 2)))
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "unit":
            continue
        uid = g.get("data-unit")
        shape = next(el for el in g if el.tag[len(SVG):] in ("rect", "polygon", "ellipse"))
        tag = shape.tag[len(SVG):]
        if tag == "rect":
            x, y, w, h = (float(shape.get(k)) for k in ("x", "y", "width", "height"))
            units.append((uid, (x, y, x + w, y + h)))
        elif tag == "polygon":
            xs, ys = zip(*(map(float, p.split(",")) for p in shape.get("points").split()))
            units.append((uid, (min(xs), min(ys), max(xs), max(ys))))
        else:
            cx, cy, rx, ry = (float(shape.get(k)) for k in ("cx", "cy", "rx", "ry"))
            units.append((uid, (cx - rx, cy - ry, cx + rx, cy + ry)))
        for t in g.iter(f"{SVG}text"):
            if t.get("class") in ("duty", "ref"):
                x, y, w = float(t.get("x")), float(t.get("y")), 5.0 * len(t.text)
                units.append((uid, (x - w / 2, y - 8, x + w / 2, y + 2)))
    for p in root.iter(f"{SVG}path"):
        if p.get("class") in ("material", "recycle"):
            pts = [tuple(map(float, q.split(","))) for q in re.findall(r"-?[\d.]+,-?[\d.]+",
                                                                      p.get("d"))]
            segs += [(p.get("data-stream"), a + b) for a, b in zip(pts, pts[1:])]
    return labels, units, segs


def _overlap(a, b) -> bool:
    return (a[0] < b[2] - TOL and b[0] < a[2] - TOL and a[1] < b[3] - TOL
            and b[1] < a[3] - TOL)


def _crosses(box, seg) -> bool:
    x0, y0, x1, y1 = box[0] + TOL, box[1] + TOL, box[2] - TOL, box[3] - TOL
    ax, ay, bx, by = seg
    return (min(ax, bx) < x1 and max(ax, bx) > x0 and min(ay, by) < y1 and max(ay, by) > y0
            and (ax == bx or ay == by))


def _overlaps(svg: str):
    labels, units, segs = _geometry(svg)
    ll = [(a, b) for k, (a, ba) in enumerate(labels) for b, bb in labels[k + 1:]
          if _overlap(ba, bb)]
    lu = [(a, u) for a, ba in labels for u, bu in units if _overlap(ba, bu)]
    ls = sorted({(a, s) for a, ba in labels for s, seg in segs if s != a and _crosses(ba, seg)})
    return ll, lu, ls


# label boxes crossing another stream's line, as drawn now (a ratchet: lower it, never raise)
LINE_CROSSINGS = {"biomass_ft": 1}


@pytest.mark.component
@pytest.mark.parametrize("route", ch.routes.names())
def test_stream_labels_overlap_no_label_and_no_unit(route):
    fs = ch.routes.load(route)
    svg = pfd_svg(fs, _stand_in(fs), 0)
    ll, lu, ls = _overlaps(svg)
    assert ll == [], f"{route}: labels over labels {ll}"
    assert lu == [], f"{route}: labels over units {lu}"
    assert len(ls) <= LINE_CROSSINGS.get(route, 0), f"{route}: labels over lines {ls}"
    assert float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1)) <= 1600
    assert pfd_svg(fs, _stand_in(fs), 0) == svg  # deterministic


@pytest.mark.component
def test_labels_of_real_results_overlap_nothing(res1):
    ll, lu, ls = _overlaps(pfd_svg(res1.flowsheet, res1, 0))
    assert (ll, lu, ls) == ([], [], [])


@pytest.mark.unit
def test_the_measurement_sees_an_overlap():
    """The check above can fail: two labels written at one place, and a label on a unit."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg">'
           '<text class="slab" x="10" y="20" data-stream="a"><tspan>a</tspan></text>'
           '<text class="slab" x="12" y="24" data-stream="b"><tspan>b</tspan></text>'
           '<g class="unit" data-unit="u"><rect x="100" y="0" width="50" height="40"/></g>'
           '<text class="slab" x="90" y="20" data-stream="c"><tspan>cccc</tspan></text>'
           '<path class="material" d="M0,18 L200,18" data-stream="d"/></svg>')
    ll, lu, ls = _overlaps(svg)
    assert ll == [("a", "b")] and lu == [("c", "u")]
    assert ls == [("a", "d"), ("b", "d"), ("c", "d")]
