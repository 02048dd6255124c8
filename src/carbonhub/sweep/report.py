"""A self-contained HTML page for one sweep, in the style of the route report
(:mod:`carbonhub.report.html`): summary, swept parameters with units, failed cases by reason,
KPI distributions (histograms with units), the main KPI over each parameter (scatter), a
matrix over the choice parameters (e.g. feedstock) when the sweep has one, and rank
correlations and a tornado for the KPIs that vary (KPIs constant up to rounding are listed,
not correlated).

Figures are embedded as PNG (base64), so the page is a single file.

Example (a full sweep; run it yourself)::

    from carbonhub.sweep.report import html_report
    html_report(ch.sweep.load("runs/ft.parquet"), "runs/ft.html")
"""
from __future__ import annotations

import datetime as _dt
import html
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..report._util import build_words, fmt
from ..report.html import fig_to_img, page, table_html
from . import report_figures as rf
from .analysis import spearman
from .result import SweepResult

__all__ = ["html_report", "sweep_html"]


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _figure(make: Any, alt: str) -> str:
    try:
        return fig_to_img(make(), alt=alt)
    except Exception as exc:  # one failing figure must not cost the user the whole report
        return f'<p class="note warn">The figure could not be drawn: {_e(type(exc).__name__)}: {_e(exc)}</p>'


def _long(df: pd.DataFrame, stub: str, first: int = 12, what: str = "rows", **kw: Any) -> str:
    """A table of its first ``first`` rows, the rest behind a "show" switch."""
    if len(df) <= first + 3:
        return table_html(df, stub=stub, **kw)
    return (table_html(df.iloc[:first], stub=stub, **kw)
            + f"<details><summary>{len(df) - first} more {what} (show)</summary>"
            + table_html(df.iloc[first:], stub=stub, **kw) + "</details>")


def _money(result: SweepResult) -> str:
    base = result.meta.get("base", {})
    year = base.get("economics.cost_year")
    if year is None:
        try:
            from ..routes import load

            year = load(result.route, **result.build_params).get("economics.cost_year")
        except Exception:  # a route that is not installed here, or without economics
            year = None
    return f"EUR{int(year)}" if year is not None else "EUR"


def _parameters(result: SweepResult) -> tuple[str, dict[str, str], list[str], list[str]]:
    """(HTML table, units, numeric varied parameters, choice parameters)."""
    rows, units, numeric, choice = [], {}, [], []
    for name, spec in result.meta["parameters"].items():
        d = result.parameters[name]
        units[name] = str(spec.get("unit", "") or "")
        if d.dist == "choice":
            choice.append(name)
            what = ", ".join(map(str, spec.get("values", [])))
        elif d.dist == "constant":
            what = str(spec.get("value", ""))
        else:
            numeric.append(name)
            what = ", ".join(f"{k} {fmt(v)}" for k, v in spec.items()
                             if k not in ("dist", "unit") and isinstance(v, (int, float)))
        rows.append((name, d.dist, what, units[name]))
    t = pd.DataFrame(rows, columns=["parameter", "distribution", "values", "unit"]).set_index("parameter")
    return table_html(t, stub="parameter"), units, numeric, choice


def sweep_html(result: SweepResult) -> str:
    """The report of ``result`` as one HTML page (a string)."""
    from .. import __version__

    meta = result.meta
    money = _money(result)
    df = result.to_pandas()
    status = df["status"].astype(str) if "status" in df else pd.Series([], dtype=str)
    ok = (status == "ok").to_numpy()
    n_ok, n_done = int(ok.sum()), len(df)
    kinds = meta.get("kpi_kinds", {})
    numeric_kpis = [k for k in result.kpi_names if kinds.get(k) != "string" and k in df
                    and pd.api.types.is_numeric_dtype(df[k])]
    dok = df[ok]
    vary, const = rf.varying(dok, numeric_kpis) if n_ok else ([], numeric_kpis)
    vary = rf.ordered(vary)
    ptable, units, params, choices = _parameters(result)
    sec: list[tuple[str, str, str]] = []

    cards = []
    for k in [k for k in rf.KEY_KPIS if k in numeric_kpis][:5]:
        f, unit = rf.display(k, money)
        y = pd.to_numeric(dok[k], errors="coerce").to_numpy(dtype=float) * f
        y = y[np.isfinite(y)]
        if y.size:
            cards.append(f'<div class="card"><div class="v">{_e(fmt(np.median(y), 4))} {_e(unit)}'
                         f'</div><div class="k">{_e(k)}, median; P5–P95 {_e(fmt(np.percentile(y, 5), 3))}'
                         f" – {_e(fmt(np.percentile(y, 95), 3))}</div></div>")
    build = build_words(result.route, result.build_params) if result.meta.get("route_spec") else ""
    facts = [f"<b>Route:</b> {_e(result.route)}",
             *([f"<b>Build options:</b> {_e(build)}"] if build else []),
             f"<b>Design:</b> {_e(result.method)}, seed {result.seed}, {result.n_cases} cases",
             f"<b>Finished:</b> {n_done} of {result.n_cases} ({n_ok} ok, {n_done - n_ok} failed)",
             f"<b>KPIs:</b> {len(vary)} vary, {len(const)} constant over the ok cases",
             f"<b>Money:</b> {_e(money)} (currency and cost year)"]
    sec.append(("summary", "Summary", "<p>" + "<br>".join(facts) + "</p>"
                + (f'<div class="cards">{"".join(cards)}</div>' if cards else "")))
    sec.append(("parameters", "Swept parameters", ptable))

    reasons = rf.failure_reasons(status)
    if len(reasons):
        body = ("<p>Failed cases grouped by reason (numbers in the messages replaced by #).</p>"
                + table_html(reasons, stub="reason", cell=lambda r, c, v: (
                    (f"{100 * v:.1f} %", "num") if c == "share" else
                    (fmt(v), "num") if c == "cases" else (str(v), "txt"))))
    else:
        body = f"<p>All {n_done} finished cases solved.</p>"
    sec.append(("status", "Case status", body))

    if not n_ok:
        sec.append(("kpis", "KPI distributions", '<p class="note warn">No case solved.</p>'))
    else:
        rows = []
        for k in vary:
            f, unit = rf.display(k, money)
            y = pd.to_numeric(dok[k], errors="coerce").to_numpy(dtype=float) * f
            y = y[np.isfinite(y)]
            p5, p50, p95 = np.percentile(y, (5, 50, 95))
            rows.append((k, unit, p5, p50, p95, y.mean(), y.std(ddof=1) if y.size > 1 else 0.0, y.size))
        kt = pd.DataFrame(rows, columns=["KPI", "unit", "P5", "P50", "P95", "mean", "std", "n ok"])
        body = ("<p>Over the cases that solved; fractions in %, money in "
                f"{_e(money)}.</p>" + _long(kt.set_index("KPI"), "KPI", what="KPIs"))
        if const:
            cv = []
            for k in const:
                f, unit = rf.display(k, money)
                y = pd.to_numeric(dok[k], errors="coerce").to_numpy(dtype=float) * f
                y = y[np.isfinite(y)]
                cv.append(f"{_e(k)} = {_e(fmt(y[0], 4)) if y.size else '–'} {_e(unit)}")
            body += (f"<details><summary>{len(const)} KPIs constant over the sweep (up to "
                     f"rounding; not correlated)</summary><p>{'; '.join(cv)}</p></details>")
        shown = vary[:9]
        if shown:
            body += _figure(lambda: rf.histograms(dok, shown, money), "KPI histograms")
        sec.append(("kpis", "KPI distributions", body))

        main = next((k for k in rf.KEY_KPIS if k in vary), vary[0] if vary else None)
        if main and params:
            hue = choices[0] if choices else None
            sec.append(("scatter", f"{main} over the parameters", _figure(
                lambda: rf.scatters(dok, params[:9], units, main, money, hue), "scatter plots")))
        if choices and main:
            rows_p = choices[0]
            cols_p = choices[1] if len(choices) > 1 else None
            mt = rf.matrix(df, rows_p, cols_p, main, money, result.route)
            sec.append(("matrix", f"{rows_p} × {cols_p or 'route'}",
                        f"<p>Median {_e(main)} [{_e(mt.attrs['unit'])}] (P5–P95) and cases ok / "
                        "sampled in each cell.</p>" + table_html(mt, stub=rows_p)))
        if params and vary and n_ok > 2:
            rho = spearman(dok, vary, params)
            body = ("<p>Spearman rank correlation of each numeric parameter with each KPI that "
                    "varies (ok cases).</p>" + _long(rho.T.rename_axis("KPI"), "KPI", what="KPIs",
                                                    cell=lambda r, c, v: (f"{v:+.2f}", "num")))
            if main and n_ok >= 10:
                t = rf.sample_tornado(dok, params, main)
                base = float(np.nanmedian(pd.to_numeric(dok[main], errors="coerce")))
                if len(t):
                    body += (f"<p>Tornado of {_e(main)} from the samples: the median over the "
                             "cases in the lowest and the highest 20 % of each parameter.</p>"
                             + _figure(lambda: rf.tornado_figure(t, base, main, units, money),
                                       "tornado"))
            sec.append(("correlations", "Correlations and tornado", body))
    now = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    title = f"carbonhub sweep: {result.route}"
    meta_line = (f"route <b>{_e(result.route)}</b> · {result.n_cases} cases · "
                 f"carbonhub {_e(meta.get('carbonhub_version', __version__))} · {_e(now)}")
    return page(title, meta_line, sec, f"Generated by carbonhub {_e(__version__)} on {_e(now)}.")


def html_report(result: SweepResult, path: str | Path) -> Path:
    """Write the report of ``result`` to ``path`` and return the path."""
    text = sweep_html(result)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    try:  # atomic: the old report or the complete new one, no temporary file left
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
