"""Every route report and a sweep report opened in headless Chromium: each page loads with
nothing on the console, fits 1,600 px without horizontal scrolling, and every figure (the SVG
process flow diagram, the PNG figures) is present and drawn; whole-page screenshots are taken
(kept in ``$CARBONHUB_SCREENSHOTS`` when set, for a person to look at).

``make test`` installs Debian's ``chromium`` first (scripts/install_browser.sh). Without a
browser the test fails on CI (``$CI`` set) and wherever apt-get and root could install one;
it is skipped only where the platform cannot (``helpers.require_browser``)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import carbonhub as ch
from carbonhub.report.browser import inspect_pages, screenshot_pages
from helpers import require_browser

WIDTH = 1600


def _route_page(route: str, folder: str) -> str:
    from carbonhub.report import html_report

    fs = ch.routes.load(route)
    page = Path(folder) / f"{route}.html"
    page.write_text(html_report(fs, fs.simulate()), encoding="utf-8")
    return str(page)


def _sweep_page(folder: str) -> str:
    from carbonhub.sweep.report import html_report

    params = {"feed.feedstock": "choice(mixed_pcw_film_rigid,sorted_polyolefins,mixed_plastic_waste)",
              "pyrolysis.T": "uniform(720,800)", "prices.electricity_eur_per_MWh": "uniform(50,150)"}
    out = Path(folder) / "sweep.parquet"
    sw = ch.sweep.run(ch.routes.load("plastics_pyrolysis"), params, n=30, method="lhs", seed=1,
                      out=out, progress=False)
    return str(html_report(sw, Path(folder) / "sweep_plastics_pyrolysis.html"))


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    require_browser()
    folder = Path(os.environ.get("CARBONHUB_SCREENSHOTS") or tmp_path_factory.mktemp("browser"))
    folder.mkdir(parents=True, exist_ok=True)
    routes = ch.routes.names()
    # in this process, one after the other: no forked workers (threads of earlier tests)
    paths = [Path(_route_page(r, str(folder))) for r in routes] + [Path(_sweep_page(str(folder)))]
    found = inspect_pages(paths, WIDTH)
    shots = screenshot_pages(paths, [(WIDTH, int(p["height"])) for p in found],
                             [p.with_suffix(".png") for p in paths], scale=0.5)
    return routes, paths, found, shots


@pytest.mark.integration
def test_every_report_loads_without_console_messages_and_fits_the_page(pages):
    routes, paths, found, _ = pages
    assert len(found) == len(routes) + 1
    for path, page in zip(paths, found):
        want = ("carbonhub sweep: plastics_pyrolysis" if path.name.startswith("sweep")
                else f"carbonhub report: {path.stem}")
        assert page["title"] == want, path.name
        assert page["console"] == [], (path.name, page["console"])
        assert page["width"] <= WIDTH, (path.name, page["width"])  # no horizontal scrolling


@pytest.mark.integration
def test_every_figure_is_present_and_drawn(pages):
    _, paths, found, _ = pages
    for path, page in zip(paths, found):
        text = path.read_text(encoding="utf-8")
        assert "could not be drawn" not in text, path.name
        figs = page["figures"]
        assert len(figs) == text.count('<div class="fig'), path.name
        assert all(f["ok"] for f in figs), (path.name, [f for f in figs if not f["ok"]])
        if path.name.startswith("sweep"):
            assert [f["alt"] for f in figs] == ["KPI histograms", "scatter plots", "tornado"]
        else:
            alts = [f["alt"] for f in figs]
            assert alts[:3] == ["pfd", "carbon Sankey", "energy Sankey"], (path.name, alts)
            assert {"energy balance", "water balance", "cost breakdown", "MSP waterfall"} <= set(alts)
            assert figs[0]["w"] <= WIDTH  # the PFD fits the page


@pytest.mark.integration
def test_screenshots_are_not_blank(pages):
    from PIL import Image

    _, paths, found, shots = pages
    for page, shot in zip(found, shots):
        img = Image.open(shot).convert("L")
        assert img.size[0] == WIDTH // 2 and img.size[1] >= int(page["height"]) // 2, shot.name
        hist = img.histogram()
        dark = sum(hist[:200]) / (img.size[0] * img.size[1])
        assert dark > 0.02, (shot.name, dark)  # text, tables and figures, not an empty page
