"""The sweep report: the route report's style, failed cases by reason, KPIs constant over the
sweep listed and kept out of the correlations, a matrix over the choice parameter, figures
whose axes carry units and few ticks."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from carbonhub.report.html import CSS
from carbonhub.sweep import load, run
from carbonhub.sweep import report_figures as rf
from carbonhub.sweep.report import html_report, sweep_html


def _analytic_double():
    """The sweep tests' analytic flowsheet (tests/sweep/conftest.py), loaded under its own
    module name (a plain ``import conftest`` would clash with other folders' conftest)."""
    spec = importlib.util.spec_from_file_location("carbonhub_sweep_double",
                                                  Path(__file__).with_name("conftest.py"))
    mod = sys.modules.setdefault(spec.name, importlib.util.module_from_spec(spec))
    spec.loader.exec_module(mod)
    return mod.AnalyticFlowsheet


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    AnalyticFlowsheet = _analytic_double()
    out = tmp_path_factory.mktemp("sweep") / "s.parquet"
    params = {"gasifier.T": "uniform(1100,1500)", "prices.feedstock_eur_per_t": "tri(60,80,120) EUR/t",
              "ft.alpha": "pert(0.85,0.9,0.93)", "feed.feedstock": "choice(wood_chips,wheat_straw)"}
    run(AnalyticFlowsheet(fail_above_T=1450.0), params, n=160, method="lhs", seed=3, out=out,
        progress=False)
    return load(out)


@pytest.mark.component
def test_sweep_report_sections_and_style(swept, tmp_path):
    page = html_report(swept, tmp_path / "r.html").read_text(encoding="utf-8")
    assert CSS in page  # the route report's stylesheet
    ids = re.findall(r'<section id="([a-z]+)">', page)
    assert ids == ["summary", "parameters", "status", "kpis", "scatter", "matrix", "correlations"]
    assert page.count("data:image/png;base64,") == 3  # histograms, scatter, tornado
    assert "could not be drawn" not in page


@pytest.mark.component
def test_failed_cases_by_reason(swept):
    df = swept.df
    n_bad = int((df["gasifier.T"] > 1450.0).sum())
    assert 0 < n_bad < len(df)
    page = sweep_html(swept)
    status = page.split('id="status"', 1)[1].split("</section>", 1)[0]
    assert "no convergence: gasifier energy balance" in status
    assert f'<td class="num">{n_bad}</td>' in status


@pytest.mark.component
def test_constant_kpis_are_listed_not_correlated(swept):
    ok = swept.df[swept.df["status"] == "ok"]
    vary, const = rf.varying(ok, ["msp_eur_per_t", "carbon_efficiency", "ishigami"])
    assert const == ["ishigami"] and "msp_eur_per_t" in vary  # ishigami's inputs are not swept
    page = sweep_html(swept)
    corr = page.split('id="correlations"', 1)[1]
    assert ">msp_eur_per_t<" in corr and "ishigami" not in corr
    assert "ishigami = " in page.split('id="kpis"', 1)[1].split("</section>", 1)[0]


@pytest.mark.component
def test_choice_matrix_counts_the_cases(swept):
    df = swept.df
    t = rf.matrix(df, "feed.feedstock", None, "msp_eur_per_t", "EUR2023", swept.route)
    assert list(t.index) == ["wheat_straw", "wood_chips"] and list(t.columns) == [swept.route]
    for feed in t.index:
        m = df["feed.feedstock"] == feed
        n_ok = int((m & (df["status"] == "ok")).sum())
        med = np.median(df.loc[m & (df["status"] == "ok"), "msp_eur_per_t"])
        cell = t.loc[feed, swept.route]
        assert cell.endswith(f"{n_ok}/{int(m.sum())} ok")
        assert cell.startswith(f"{med:,.1f}"[:4])


@pytest.mark.component
def test_figures_carry_units_and_few_ticks(swept):
    ok = swept.df[swept.df["status"] == "ok"]
    fig = rf.histograms(ok, ["msp_eur_per_t", "carbon_efficiency"], "EUR2023")
    a0, a1 = fig.axes[:2]
    assert a0.get_xlabel() == "msp_eur_per_t [EUR2023/t]" and a1.get_xlabel() == "carbon_efficiency [%]"
    fig = rf.scatters(ok, ["gasifier.T", "prices.feedstock_eur_per_t"],
                      {"gasifier.T": "K", "prices.feedstock_eur_per_t": "EUR/t"},
                      "msp_eur_per_t", "EUR2023", hue="feed.feedstock")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    assert ax.get_xlabel() == "gasifier.T [K]" and ax.get_ylabel() == "msp_eur_per_t [EUR2023/t]"
    lo, hi = ax.get_xlim()
    visible = [t for t in ax.get_xticklabels() if t.get_text() and lo <= t.get_position()[0] <= hi]
    assert 2 <= len(visible) <= 6  # readable: a few ticks, not one per sample


@pytest.mark.component
def test_tornado_names_every_parameter_with_its_unit(swept):
    ok = swept.df[swept.df["status"] == "ok"]
    params = ["gasifier.T", "prices.feedstock_eur_per_t", "ft.alpha"]
    t = rf.sample_tornado(ok, params, "msp_eur_per_t")
    assert sorted(t["parameter"]) == sorted(params) and (t["swing"].diff().dropna() <= 0).all()
    x = ok["gasifier.T"].to_numpy()  # the swing of gasifier.T from its own samples
    y = ok["msp_eur_per_t"].to_numpy()
    lo, hi = np.quantile(x, [0.2, 0.8])
    row = t.set_index("parameter").loc["gasifier.T"]
    assert row["low"] == np.median(y[x <= lo]) and row["high"] == np.median(y[x >= hi])
    fig = rf.tornado_figure(t, float(np.median(y)), "msp_eur_per_t",
                            {"gasifier.T": "K", "prices.feedstock_eur_per_t": "EUR/t"}, "EUR2023")
    labels = [tl.get_text() for tl in fig.axes[0].get_yticklabels()]
    assert sorted(labels) == sorted(["gasifier.T [K]", "prices.feedstock_eur_per_t [EUR/t]", "ft.alpha"])
