"""The SVG process flow diagram: stream labels equal the stream table, reference links of
feed-forward units are not material flows, and every route fits a 1,600 px page."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from report_toy import COMPONENTS

import carbonhub as ch
from carbonhub.report.pfd_graph import family, material_graph
from carbonhub.report.pfd_svg import GAP, NODE_W, layout, pfd_svg
from carbonhub.report.tables import stream_table
from carbonhub.unitops.basic import Heater, Mixer
from carbonhub.unitops.sources import GasSource, ProportionalFeed, Sink

SVG = "{http://www.w3.org/2000/svg}"


def _number(text: str) -> float:
    return float(re.match(r"-?[\d,]*\.?\d+", text.strip()).group(0).replace(",", ""))


def _labels(svg: str) -> dict[str, list[str]]:
    root = ET.fromstring(svg)
    out = {}
    for t in root.iter(f"{SVG}text"):
        if t.get("class") == "slab":
            out[t.get("data-stream")] = [s.text for s in t.iter(f"{SVG}tspan")]
    return out


@pytest.mark.component
def test_stream_labels_equal_the_stream_table(res1):
    svg = pfd_svg(res1.flowsheet, res1, 0)
    labels = _labels(svg)
    table = stream_table(res1, 0)
    drawn = [c.id for c in res1.flowsheet.connections if c.id != "recycle"]
    assert set(drawn) <= set(labels)
    for sid in drawn:
        sid_line, flow, temp, pres = labels[sid]
        assert sid_line == sid
        assert flow.endswith(" t/h") and temp.endswith(" °C") and pres.endswith(" bar")
        want = (table.loc["mass flow [t/h]", sid], table.loc["T [K]", sid] - 273.15,
                table.loc["P [bar]", sid])
        for text, v in zip((flow, temp, pres), want):
            got = _number(text)
            # three significant digits (whole numbers from 100 up): within half the last digit
            decimals = len(text.split()[0].split(".")[1]) if "." in text.split()[0] else 0
            assert abs(got - v) <= 0.5 * 10 ** -decimals + 1e-12, (sid, text, v)
            assert abs(got - v) <= 5e-3 * abs(v) or abs(v) >= 100, (sid, text, v)
    rec = re.search(r'<text class="rlab"[^>]*data-stream="recycle">([^<]*)</text>', svg)
    assert rec is not None and "(recycle)" in rec.group(1)


def _feed_forward_flowsheet() -> ch.Flowsheet:
    """gas -> ref of a steam feed-forward -> mixer <- steam; mixer -> heater -> product."""
    fs = ch.Flowsheet("ff", components=ch.ComponentSet.from_ids(COMPONENTS))
    gas = fs.add(GasSource("gas", {"CO": 1, "H2": 2}, flow=10.0, P=20e5))
    pf = fs.add(ProportionalFeed("steam", {"H2O": 1}, basis="mol:CO", ratio=1.5, T=500.0,
                                 P=20e5))
    mix = fs.add(Mixer("mix", n_inlets=2))
    hx = fs.add(Heater("heat", T=600.0))
    out = fs.add(Sink("product", category="product", product="gas"))
    fs.connect(gas.outlets.out, pf.inlets.ref, id="gas_out")
    fs.connect(pf.outlets.ref, mix.inlets.in1, id="gas_passed")
    fs.connect(pf.outlets.out, mix.inlets.in2, id="steam_out")
    fs.connect(mix.outlets.out, hx.inlets.feed, id="mixed")
    fs.connect(hx.outlets.out, out.inlets.feed, id="hot")
    return fs


@pytest.mark.component
def test_reference_links_are_not_drawn_as_material_flows():
    fs = _feed_forward_flowsheet()
    res = fs.simulate()
    edges, refs = material_graph(fs)
    pairs = {(e.src, e.dst) for e in edges}
    assert pairs == {("gas", "mix"), ("steam", "mix"), ("mix", "heat"), ("heat", "product")}
    assert [(r.unit, r.sid) for r in refs] == [("steam", "gas_out")]
    svg = pfd_svg(fs, res, 0)
    root = ET.fromstring(svg)
    material = [p.get("data-stream") for p in root.iter(f"{SVG}path")
                if p.get("class") in ("material", "recycle")]
    assert sorted(material) == ["gas_out", "hot", "mixed", "steam_out"]  # not gas_passed
    ref = [ln for ln in root.iter(f"{SVG}line") if ln.get("class") == "reflink"]
    assert [(ln.get("data-unit"), ln.get("data-stream")) for ln in ref] == [("steam", "gas_out")]
    # the material arrow of gas_out ends on the mixer, not on the feed-forward unit
    lay, *_ = layout(fs)
    d = next(p.get("d") for p in root.iter(f"{SVG}path") if p.get("data-stream") == "gas_out")
    x_end = float(d.split("L")[-1].split(",")[0])
    assert x_end == pytest.approx(lay.pos["mix"][0] - NODE_W / 2, abs=0.1)
    # the passed stream equals the one drawn (its values are those on the label)
    a, b = res.stream_data["gas_out"], res.stream_data["gas_passed"]
    assert np.array_equal(a.flow, b.flow) and np.array_equal(a.T, b.T)
    fams = {u: family(fs.units[u]) for u in fs.units}
    assert fams == {"gas": "feed", "steam": "feedforward", "mix": "junction", "heat": "heat",
                    "product": "sink"}


@pytest.mark.component
@pytest.mark.parametrize("route", ch.routes.names())
def test_every_route_pfd_fits_1600_px(route):
    fs = ch.routes.load(route)
    lay, edges, _, _ = layout(fs)
    assert lay.width <= 1600
    xs = [p[0] for p in lay.pos.values()]
    assert max(xs) + NODE_W / 2 + GAP <= lay.width  # room for the last column's labels
    assert min(xs) - NODE_W / 2 >= 0
    svg = pfd_svg(fs)
    w = float(re.search(r'<svg[^>]* width="(\d+)"', svg).group(1))
    assert w <= 1600
    root = ET.fromstring(svg)  # well-formed
    units = [g.get("data-unit") for g in root.iter(f"{SVG}g") if g.get("class") == "unit"]
    assert sorted(units) == sorted(fs.units)
    # no feed-forward unit receives a material stream on its reference inlet
    ff = {u for u in fs.units if family(fs.units[u]) == "feedforward"}
    assert ff and not any(e.dst in ff for e in edges)


@pytest.mark.unit
def test_result_plots_give_the_svg_pfd(res1, tmp_path):
    from carbonhub.report.plots import ResultPlots

    fig = ResultPlots(res1).pfd()
    assert fig._repr_svg_().startswith("<svg") and 'class="pfd"' in fig.svg
    assert ResultPlots(res1).pfd_svg().svg == fig.svg  # the earlier name, the same diagram
    fig.save(tmp_path / "pfd.svg")
    assert ET.parse(tmp_path / "pfd.svg").getroot().tag == f"{SVG}svg"
    fig.savefig(tmp_path / "again.svg")
    assert (tmp_path / "again.svg").read_text(encoding="utf-8") == fig.svg


@pytest.mark.component
def test_pfd_png_export_through_headless_chromium(res1, tmp_path):
    from PIL import Image

    from helpers import require_browser

    from carbonhub.report.plots import ResultPlots

    require_browser()
    fig = ResultPlots(res1).pfd()
    fig.savefig(tmp_path / "pfd.png", dpi=96)
    w = float(re.search(r'<svg[^>]* width="([\d.]+)"', fig.svg).group(1))
    h = float(re.search(r'<svg[^>]* height="([\d.]+)"', fig.svg).group(1))
    img = Image.open(tmp_path / "pfd.png").convert("L")
    assert abs(img.size[0] - w) <= 1 and abs(img.size[1] - h) <= 1
    lo, hi = img.getextrema()
    assert lo < 100 and hi > 240  # drawn: dark lines and text on white


A3_LANDSCAPE_MM = (400.0, 277.0)  # 420 x 297 mm less 10 mm margins (the report's @page rule)
PX_MM = 25.4 / 96  # one CSS pixel printed at its natural size
PT_MM = 25.4 / 72


@pytest.mark.component
@pytest.mark.parametrize("route", ch.routes.names())
def test_pfd_prints_readably_on_a3_landscape(route):
    """Scaled to the printable width of A3 landscape, the stream labels (9 px) are at least
    6 pt and every row of the diagram fits the page height (plastics_pyrolysis's second row
    was 311 mm before a row taller than the page was cut into bands)."""
    fs = ch.routes.load(route)
    lay, _, _, _ = layout(fs)
    mm_per_px = min(PX_MM, A3_LANDSCAPE_MM[0] / lay.width)
    svg = pfd_svg(fs)
    label_px = float(re.search(r"\.slab\{font-size:([\d.]+)px", svg).group(1))
    assert label_px * mm_per_px >= 6 * PT_MM, (route, label_px * mm_per_px / PT_MM)
    tops = list(lay.row_top) + [lay.height]
    for r, (a, b) in enumerate(zip(tops, tops[1:])):
        assert (b - a) * mm_per_px <= A3_LANDSCAPE_MM[1], (route, r, (b - a) * mm_per_px)


@pytest.mark.unit
def test_print_rows_window_the_one_drawing(res1):
    """For print, one SVG per row shows the drawing's #pfd-all group through that row's
    window; the windows tile the diagram from the first row's top to its bottom."""
    import carbonhub as ch
    from carbonhub.report.pfd_svg import print_rows

    fs = ch.routes.load("plastics_pyrolysis")
    svg = pfd_svg(fs)
    lay, _, _, _ = layout(fs)
    html = print_rows(svg)
    boxes = [tuple(map(float, b.split())) for b in re.findall(r'viewBox="([\d. -]+)"><use', html)]
    assert len(boxes) == len(lay.row_top) >= 2
    assert html.count('<use href="#pfd-all"/>') == len(boxes) and 'id="pfd-all"' in svg
    for (x, y, w, h), (_, y2, _, _) in zip(boxes, boxes[1:]):
        assert y + h == pytest.approx(y2)  # no gap, no overlap
    assert boxes[-1][1] + boxes[-1][3] == pytest.approx(lay.height, abs=1)
    assert print_rows(pfd_svg(res1.flowsheet)) == "" or len(layout(res1.flowsheet)[0].row_top) > 1


@pytest.mark.unit
def test_a_layer_taller_than_the_page_is_cut_into_rows_that_fit():
    """Twenty feeds into one mixer make one layer 20 x 104 px tall (2,080 px against the
    1,054 px that A3 landscape holds at this width): the layout cuts it into bands, each a row
    of its own that fits the page, and still draws every unit and every stream (those that now
    join two rows as numbered connectors, in pairs)."""
    fs = ch.Flowsheet("tall", components=ch.ComponentSet.from_ids(COMPONENTS))
    mix = fs.add(Mixer("mix", n_inlets=20))
    for i in range(20):
        g = fs.add(GasSource(f"g{i}", {"CO": 1.0}, flow=1.0, P=2e5))
        fs.connect(g.outlets.out, getattr(mix.inlets, f"in{i + 1}"), id=f"s{i}")
    out = fs.add(Sink("product", category="product", product="gas"))
    fs.connect(mix.outlets.out, out.inlets.feed, id="mixed")
    lay, edges, _, _ = layout(fs)
    mm_per_px = min(PX_MM, A3_LANDSCAPE_MM[0] / lay.width)
    tops = list(lay.row_top) + [lay.height]
    assert len(lay.row_top) >= 2
    assert all((b - a) * mm_per_px <= A3_LANDSCAPE_MM[1] for a, b in zip(tops, tops[1:]))
    assert set(lay.pos) >= set(fs.units)
    svg = pfd_svg(fs)
    crossing = sum(lay.row_of[e.src] != lay.row_of[e.dst] for e in edges)
    assert crossing > 0 and svg.count('class="connector"') == 2 * crossing
