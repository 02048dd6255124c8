"""The self-contained HTML report: every section, embedded images, no external assets."""
from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser

import pytest
from report_toy import FAILED_REASON, build_toy

import carbonhub
from carbonhub.report import html_report, result_to_json
from carbonhub.report.html import SECTIONS

VOID = {"meta", "img", "br", "hr", "link", "input"}


class _Checker(HTMLParser):
    """Collects h2 headers and image sources and checks that tags are balanced."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.h2: list[str] = []
        self.imgs: list[str] = []
        self._in_h2 = False
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.imgs.append(dict(attrs)["src"])
        if tag not in VOID:
            self.stack.append(tag)
        self._in_h2 = tag == "h2"

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
        else:
            self.stack.pop()
        self._in_h2 = False

    def handle_data(self, data):
        if self._in_h2:
            self.h2.append(data)


def _check(page: str) -> _Checker:
    c = _Checker()
    c.feed(page)
    c.close()
    assert not c.errors and not c.stack, (c.errors, c.stack)
    return c


@pytest.mark.component
def test_report_has_every_section_and_embedded_images(res_costs):
    page = html_report(res_costs.flowsheet, res_costs)
    c = _check(page)
    assert c.h2 == [h for _, h in SECTIONS]
    assert len(c.imgs) == 6  # carbon and energy Sankeys, energy, water, costs, msp (1 case: no KPI plot)
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="pfd"') == 1  # inline PFD
    for src in c.imgs:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:4] == b"\x89PNG"
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # no external assets
    assert "<script" not in page
    assert f"carbonhub {carbonhub.__version__}" in page
    assert "could not be drawn" not in page and "No cost results" not in page
    for uid in res_costs.flowsheet.units:
        assert f">{uid}<" in page  # unit table
    assert "cooler.T" in page  # parameter table


@pytest.mark.component
def test_parameters_used_lists_what_was_set_and_every_default(res1):
    from carbonhub.report.tables import parameters_used

    fs = res1.flowsheet
    p = parameters_used(fs, res1).set_index("name")
    declared = fs.parameters()
    assert list(p.index) == list(declared["name"])  # every parameter, none left out
    # the toy sets cooler.T on the unit: "set"; the cooler's U keeps its code default
    assert p.loc["cooler.T", "set"] and p.loc["cooler.T", "source"] == "set"
    assert not p.loc["cooler.U", "set"] and p.loc["cooler.U", "source"] == "code"
    defaults = p[~p["set"]]
    assert len(defaults) and (defaults["source"] != "set").all()
    page = html_report(fs, res1)
    sec = page.split('id="parameters"', 1)[1]
    assert "<h3>Set</h3>" in sec and "<h3>Defaults used (resolved)</h3>" in sec
    for name in declared["name"]:
        assert f">{name}<" in sec
    assert sec.index(">cooler.T<") < sec.index("Defaults used")


@pytest.mark.component
def test_parameters_given_for_a_run_count_as_set(toy):
    from carbonhub.report.tables import parameters_used

    res = toy.simulate(params={"cooler.dP": 1000.0})  # a code default (0 Pa) given for the run
    p = parameters_used(toy, res).set_index("name")
    assert p.loc["cooler.dP", "set"] and p.loc["cooler.dP", "in this run"] == "1,000"
    assert not p.loc["cooler.dP", "varied"] and p.loc["cooler.dP", "source"] == "code"
    assert not parameters_used(toy, toy.simulate()).set_index("name").loc["cooler.dP", "set"]


@pytest.mark.component
def test_report_without_costs_notes_the_missing_sections(res1):
    page = html_report(res1.flowsheet, res1, title="Toy <SNG> & co")
    c = _check(page)
    assert c.h2 == [h for _, h in SECTIONS]
    assert "No cost results" in page and "No minimum selling price" in page
    assert len(c.imgs) == 4  # two Sankeys, energy, water (the PFD is inline SVG)
    assert "<title>Toy &lt;SNG&gt; &amp; co</title>" in page


@pytest.mark.component
def test_multi_case_report(res_multi):
    page = html_report(res_multi.flowsheet, res_multi)
    c = _check(page)
    assert c.h2 == [h for _, h in SECTIONS]
    assert len(c.imgs) == 5  # the KPIs over the cases in addition
    assert "12 (11 ok, 1 failed)" in page
    assert FAILED_REASON in page and 'class="txt bad"' in page
    assert "loop.fraction = 0.05 … 0.5 (12 values)" in page
    assert ">p50<" in page and "median of 11 cases" in page
    page5 = html_report(res_multi.flowsheet, res_multi, case=5)
    assert "show case 5" in page5


@pytest.mark.integration
def test_json_and_report_files(tmp_path):
    fs = build_toy()
    res = fs.simulate(params={"cooler.T": [300.0, 320.0, 340.0]})
    jpath, hpath = tmp_path / "out.json", tmp_path / "out.html"
    jpath.write_text(json.dumps(result_to_json(fs, res), indent=1, allow_nan=False))
    hpath.write_text(html_report(fs, res), encoding="utf-8")
    d = json.loads(jpath.read_text())
    assert d["n_cases"] == 3 and d["units"]["cooler"]["T_out_K"] == [300.0, 320.0, 340.0]
    page = hpath.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert ">case 2<" in page  # one KPI column per case
