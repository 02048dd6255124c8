"""Figures: each returns a Figure that renders; PFD layout; costs absent vs present."""
from __future__ import annotations

import doctest
import subprocess
import sys

import pytest

from carbonhub.core.boundary import DEFAULT_HOURS
from matplotlib.figure import Figure
from matplotlib.text import Text

from carbonhub.report import plots
from carbonhub.report.costs import msp_contributions, opex_group
from carbonhub.report.plots import NoCostResultsError, ResultPlots


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text)]


@pytest.mark.component
def test_every_plot_renders(res_costs, tmp_path):
    p = ResultPlots(res_costs)
    for name in ("sankey", "energy_sankey", "energy", "water", "costs", "waterfall", "kpis"):
        fig = getattr(p, name)()
        assert isinstance(fig, Figure), name
        out = tmp_path / f"{name}.png"
        fig.savefig(out, dpi=60)
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.component
def test_sankey_labels_every_node(res1):
    from carbonhub.report.carbon_sections import section_flows
    from carbonhub.report.sankey import DRAWN

    fig = ResultPlots(res1).sankey()
    texts = "\n".join(_texts(fig))
    sf = section_flows(res1)
    drawn = [n for n in sf.nodes.index if sf.value(n) >= DRAWN * sf.feed]
    assert {"syngas", "natgas", "sng (product)", "CO2 captured", "CO2 emitted"} <= set(drawn)
    for node in drawn:
        assert node in texts
    assert "fossil carbon" in texts and "biogenic carbon" in texts


@pytest.mark.component
def test_energy_sankey_labels_utilities_apart_from_losses(res1):
    from carbonhub.report.flows import energy_flows

    texts = "\n".join(_texts(ResultPlots(res1).energy_sankey()))
    bars = energy_flows(res1)
    for lab, v in list(zip(bars.inputs["label"], bars.inputs["value"])) + \
            list(zip(bars.outputs["label"], bars.outputs["value"])):
        if v >= 1e-4 * bars.total_in:
            assert lab in texts
    assert "heat to cooling water" in texts  # the toy's cooler: a utility, not a loss


@pytest.mark.component
def test_pfd_contains_all_units_and_streams(toy):
    import xml.etree.ElementTree as ET

    fig = ResultPlots(toy.simulate()).pfd()
    root = ET.fromstring(fig.svg)
    ns = "{http://www.w3.org/2000/svg}"
    units = {g.get("data-unit") for g in root.iter(f"{ns}g") if g.get("class") == "unit"}
    assert units == set(toy.units)
    drawn = {p.get("data-stream") for p in root.iter() if p.get("data-stream")}
    assert {c.id for c in toy.connections} <= drawn


@pytest.mark.unit
def test_pfd_layout_layers_and_recycle(toy):
    from carbonhub.report.pfd_svg import layout

    lay, edges, _, back = layout(toy)
    assert set(toy.units) <= set(lay.pos)
    assert [(edges[i].src, edges[i].dst) for i in back] == [("loop", "mixer")]
    assert "recycle" in edges[next(iter(back))].via
    for i, e in enumerate(edges):  # forward streams go to a later layer
        if i not in back:
            assert lay.layer[e.dst] > lay.layer[e.src]
    assert lay.layer["syngas"] == 0 and lay.layer["mixer"] == 1


@pytest.mark.unit
def test_pfd_layout_of_unfinished_flowsheet_with_cycle():
    from carbonhub.core.flowsheet import Flowsheet
    from carbonhub.report.pfd_svg import layout
    from carbonhub.thermo import ComponentSet
    from carbonhub.unitops.basic import Mixer, Splitter
    from carbonhub.unitops.sources import GasSource

    fs = Flowsheet("open", components=ComponentSet.from_ids(["N2"]))
    src = fs.add(GasSource("src", {"N2": 1}))
    mix = fs.add(Mixer("mix"))
    spl = fs.add(Splitter("spl"))
    fs.connect(src.outlets.out, mix.inlets.in1)
    fs.connect(mix.outlets.out, spl.inlets.feed)
    fs.connect(spl.outlets.out, mix.inlets.in2)  # spl.purge left unconnected: fs.check() fails
    lay, edges, _, back = layout(fs)
    assert [(edges[i].src, edges[i].dst) for i in back] == [("spl", "mix")]
    assert {u: lay.layer[u] for u in fs.units} == {"src": 0, "mix": 1, "spl": 2}


@pytest.mark.component
def test_cost_figures_need_costs(res1):
    p = ResultPlots(res1)
    with pytest.raises(NoCostResultsError, match="no cost results"):
        p.costs()
    with pytest.raises(NoCostResultsError, match="msp_eur_per_t"):
        p.waterfall()


@pytest.mark.unit
def test_msp_contributions_sum_to_msp(res_costs):
    c = msp_contributions(res_costs)
    assert list(c.index) == ["capital", "feedstock", "utilities", "O&M", "credits"]
    assert c.sum() == pytest.approx(900.0, rel=1e-12)
    t_per_y = float(res_costs.kpis["products_t_per_h.sng"][0]) * DEFAULT_HOURS
    assert c["feedstock"] == pytest.approx(3e6 / t_per_y)
    assert c["utilities"] == pytest.approx(1.3e6 / t_per_y)
    assert c["O&M"] == pytest.approx(1.5e6 / t_per_y)
    assert c["credits"] == pytest.approx(-0.6e6 / t_per_y)


@pytest.mark.unit
def test_opex_groups():
    assert opex_group("feedstock_wood_chips", 1.0) == "feedstock"
    assert opex_group("labour_burden", 1.0) == "O&M"
    assert opex_group("electricity", 1.0) == "utilities"
    assert opex_group("electricity", -1.0) == "credits"
    assert opex_group("byproduct_revenue", 1.0) == "credits"


@pytest.mark.component
def test_multi_case_plots(res_multi):
    p = ResultPlots(res_multi)
    assert "case 0" in p.sankey().axes[0].get_title()
    assert "case 5" in p.sankey(case=5).axes[0].get_title()
    fig = p.kpis()
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert "products_t_per_h.sng" in titles and "carbon_efficiency" in titles
    assert "water_in_t_per_h" not in titles  # constant over the cases: not shown
    assert repr(p).startswith("ResultPlots(")


@pytest.mark.unit
def test_import_is_light():
    code = ("import sys, carbonhub.report as r; from carbonhub.report import result_to_json, "
            "kpi_summary; from carbonhub.report import json_out, tables, flows; "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.component
def test_docstring_example():
    assert doctest.testmod(plots, raise_on_error=False).failed == 0
