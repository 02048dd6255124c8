"""A single self-contained HTML report of a simulation: figures embedded as base64 PNG (the
process flow diagram as inline SVG, for its tooltips), a small inline stylesheet, no scripts and
no external assets (opens offline, can be mailed).

Sections: summary, KPIs, process flow diagram, carbon Sankey, energy and water balances,
CAPEX/OPEX, MSP waterfall (with a note when the result has no costs), stream, unit and
balance tables, case status, parameters.
"""
from __future__ import annotations

import base64
import datetime as _dt
import html as _html
import io
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from ._util import build_facts, fmt, money_label, route_name, shown_case
from .costs import has_costs, msp_contributions

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..core.flowsheet import Flowsheet
    from ..core.results import SimulationResult

SECTIONS = (
    ("summary", "Summary"),
    ("kpis", "Key performance indicators"),
    ("pfd", "Process flow diagram"),
    ("carbon", "Carbon and energy through the process"),
    ("energy", "Energy balance"),
    ("water", "Water balance"),
    ("costs", "Capital and operating costs"),
    ("msp", "Minimum selling price"),
    ("streams", "Stream table"),
    ("units", "Unit table"),
    ("balances", "Mass, element and energy balances"),
    ("status", "Case status"),
    ("parameters", "Parameters"),
)
"""(anchor, header) of every section, in page order."""

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1f2933;
 margin:0;background:#f5f7fa;line-height:1.45}
main{max-width:1600px;box-sizing:border-box;margin:0 auto;padding:0 28px 40px;background:#fff;min-height:100vh}
header{padding:26px 0 10px;border-bottom:3px solid #2b6cb0}
h1{margin:0 0 4px;font-size:28px}
.meta{color:#52606d;font-size:14px;margin:0}
nav{font-size:13px;margin:12px 0 4px;line-height:1.9}
nav a{color:#2b6cb0;text-decoration:none;margin-right:14px;white-space:nowrap}
h2{font-size:20px;margin:34px 0 10px;padding-bottom:4px;border-bottom:1px solid #d9e2ec}
section>p{margin:6px 0 10px}
.note{color:#52606d;background:#f0f4f8;border-left:4px solid #9fb3c8;padding:8px 12px;
 font-size:14px}
.warn{border-left-color:#c0392b;background:#fdf0ee}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{border:1px solid #d9e2ec;border-radius:6px;padding:10px 14px;min-width:150px;background:#fafcff}
.card .v{font-size:21px;font-weight:600;color:#102a43}
.card .k{font-size:12px;color:#52606d}
.fig{text-align:center;margin:8px 0}
.fig img{max-width:100%;height:auto}
.fig.pfd svg{max-width:100%;height:auto}
@page{size:A3 landscape;margin:10mm}
.pfd-print{display:none}
@media print{body{background:#fff}main{max-width:none;padding:0}nav{display:none}
 .fig,.card,tr{break-inside:avoid}h2{break-after:avoid}details>*{display:block}
 .fig.pfd{break-inside:auto}.fig.pfd>svg.pfd{display:none}.pfd-print{display:block}
 .pfd-print svg{display:block;width:100%;height:auto;break-inside:avoid;margin:0 0 4mm}}
.pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(680px,1fr));gap:10px}
.scroll{overflow-x:auto;border:1px solid #e4e7eb;border-radius:4px}
.scroll img{max-width:none}
table{border-collapse:collapse;font-size:12.5px;margin:4px 0}
th,td{padding:3px 9px;border-bottom:1px solid #e4e7eb;text-align:left;vertical-align:top}
th{background:#f0f4f8;font-weight:600;position:sticky;top:0}
tbody tr:nth-child(even){background:#fafbfc}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.bad{color:#b42318;font-weight:600}
td.txt{max-width:520px}
td.stub,th.stub{position:sticky;left:0;background:#f7f9fb;font-weight:600;white-space:nowrap}
.tablewrap{overflow-x:auto;max-width:100%}
details summary{cursor:pointer;color:#2b6cb0;margin:6px 0}
footer{margin-top:40px;color:#7b8794;font-size:12px;border-top:1px solid #d9e2ec;padding-top:8px}
"""


def _e(x: Any) -> str:
    return _html.escape(str(x), quote=True)


def fig_to_img(fig: Any, dpi: int = 100, alt: str = "", scroll: bool = False) -> str:
    """An ``<img>`` with the figure as a base64 PNG (inside a scrolling box if ``scroll``)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    img = f'<img alt="{_e(alt)}" src="data:image/png;base64,{data}">'
    return f'<div class="fig{" scroll" if scroll else ""}">{img}</div>'


def _figure_html(make: Callable[[], Any], alt: str, scroll: bool = False) -> str:
    try:
        fig = make()
    except Exception as exc:  # one failing figure must not cost the user the whole report
        return f'<p class="note warn">The figure could not be drawn: {_e(type(exc).__name__)}: {_e(exc)}</p>'
    return fig_to_img(fig, alt=alt, scroll=scroll)


def table_html(df: "pd.DataFrame", stub: str | None = None,
               cell: Callable[[Any, Any, Any], tuple[str, str]] | None = None) -> str:
    """A DataFrame as an HTML table; numbers formatted with :func:`fmt` and right-aligned.
    ``cell(row, column, value) -> (text, css class)`` overrides the formatting."""
    head = "".join(f"<th>{_e(c)}</th>" for c in df.columns)
    if stub is not None:
        head = f'<th class="stub">{_e(stub)}</th>' + head
    rows = []
    for idx, r in df.iterrows():
        cells = [f'<td class="stub">{_e(idx)}</td>'] if stub is not None else []
        for c, v in r.items():
            if cell is not None:
                text, cls = cell(idx, c, v)
            elif isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
                text, cls = fmt(v), "num"
            else:
                text, cls = ("" if v is None else str(v)), "txt"
            cells.append(f'<td class="{cls}">{_e(text)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="tablewrap"><table><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _summary(fs: "Flowsheet", res: "SimulationResult", case: int, params: "pd.DataFrame") -> str:
    n = res.n_cases
    status = np.asarray(res.status)
    n_ok = int((status == "ok").sum())
    k = res.kpis
    cards = []

    ok = status == "ok"

    def card(label: str, col: str, scale: float = 1.0, unit: str = "") -> None:
        if col in k.columns:
            if n == 1:
                v = float(k[col].iloc[0]) * scale
            else:
                a = k[col].to_numpy(dtype=float)[ok]
                a = a[np.isfinite(a)]
                v = float(np.median(a)) * scale if a.size else np.nan
                label = f"{label}, median of {a.size} cases"
            cards.append(f'<div class="card"><div class="v">{_e(fmt(v, 3))} {_e(unit)}</div>'
                         f'<div class="k">{_e(label)}</div></div>')

    for col in k.columns:
        if str(col).startswith("products_t_per_h."):
            card(f"product: {str(col).split('.', 1)[1]}", col, 1.0, "t/h")
    card("carbon efficiency (C in products / C in feed)", "carbon_efficiency", 100.0, "%")
    card("energy efficiency (LHV)", "energy_efficiency_lhv", 100.0, "%")
    card("CO2 emitted", "co2_emitted_t_per_y", 1e-3, "kt/y")
    card("CO2 captured", "co2_captured_t_per_y", 1e-3, "kt/y")
    money = money_label(res)
    card("total capital investment", "tci_eur", 1e-6, f"M{money}")
    card("minimum selling price", "msp_eur_per_t", 1.0, f"{money}/t")
    card("minimum selling price without the steam credit", "msp_no_steam_credit_eur_per_t", 1.0, f"{money}/t")
    # per t of feed, every product at its market price: the basis of a waste-treatment route
    card("break-even gate fee per t of feed (negative: the plant can pay that for its feed)",
         "gate_fee_eur_per_t_feed", 1.0, f"{money}/t")
    var = params[params["varied"]] if len(params) and "varied" in params else params.iloc[0:0]
    facts = [f"<b>Route:</b> {_e(route_name(fs))}",
             f"<b>Cases:</b> {n} ({n_ok} ok, {n - n_ok} failed)",
             f"<b>Units:</b> {len(fs.units)}, <b>streams:</b> {len(fs.connections)}"]
    if build_facts(fs):
        facts.insert(1, f"<b>Build options:</b> {_e(build_facts(fs))}")
    if len(var):
        facts.append("<b>Varied between cases:</b> " + "; ".join(
            f"{_e(r['name'])} = {_e(r['in this run'])} {_e(r['unit'] or '')}"
            for _, r in var.iterrows()))
    text = "<p>" + "<br>".join(facts) + "</p>"
    shown = (f'<p class="note">Figures and the stream and unit tables show case {case}'
             + (" (the first case that solved)." if n > 1 else ".") + "</p>") if n > 1 else ""
    if n_ok == 0:
        shown = '<p class="note warn">No case solved: the numbers below are not meaningful.</p>'
    return text + shown + (f'<div class="cards">{"".join(cards)}</div>' if cards else "")


PFD_LEGEND = (
    "<p>Case {case}. Material streams are solid arrows labelled with stream id, mass flow [t/h], "
    "temperature [°C] and pressure [bar] (hover a stream for its composition; the stream table "
    "below has every value); recycles are orange and run back above their row. Shapes: feeds and "
    "products are arrow tags (dashed: utilities drawn in proportion to a process stream, whose "
    "reference link is a dotted grey line, not a material flow), reactors capsules, columns "
    "boxes with side bars, heat exchangers ellipses, fired units red boxes, compressors and "
    "pumps trapezoids, mixers and splitters hexagons. Q = heat added, W = power added [MW]. "
    "The train wraps into rows; numbered circles join a stream to where it continues. Printed "
    "(A3 landscape), each row starts on a page of its own when it does not fit the rest of "
    "one.</p>")


def _pfd_section(fs: "Flowsheet", res: "SimulationResult", case: int) -> str:
    """The inline SVG process flow diagram (tooltips need inline SVG, not an image)."""
    from .pfd_svg import pfd_svg, print_rows

    try:
        svg = pfd_svg(fs, res, case)
        svg += print_rows(svg)
    except Exception as exc:  # one failing figure must not cost the user the whole report
        return ('<p class="note warn">The process flow diagram could not be drawn: '
                f"{_e(type(exc).__name__)}: {_e(exc)}</p>")
    return PFD_LEGEND.format(case=case) + f'<div class="fig pfd">{svg}</div>'


def _kpi_section(res: "SimulationResult") -> str:
    from .tables import kpi_table

    t = kpi_table(res, percent=True)
    out = ""
    if res.n_cases > 1:
        from .plots import kpi_cases

        out = _figure_html(lambda: kpi_cases(res), "KPIs over the cases")
    note = ('<p>Fractions in %; carbon in t C, CO2 in t CO2; money in '
            f"{_e(money_label(res))} (currency and cost year).</p>")
    if res.n_cases > 8:
        note += '<p class="note">Percentiles over the cases that solved.</p>'
    return note + table_html(t, stub="KPI") + out + _kpi_definitions_html(res)


def _kpi_definitions_html(res: "SimulationResult") -> str:
    """The definitions (unit, definition, source) of the KPIs shown, folded
    (:func:`carbonhub.costing.kpi_table.kpi_definitions_for`)."""
    from ..costing.kpi_table import kpi_definitions_for

    d = kpi_definitions_for(res.kpis.columns).set_index("name")
    return "<details><summary>KPI definitions</summary>" + table_html(d, stub="KPI") + "</details>"


def _balance_cell(tol: "pd.Series") -> Callable[[Any, Any, Any], tuple[str, str]]:
    def cell(row: Any, col: Any, v: Any) -> tuple[str, str]:
        try:
            f = float(v)
        except (TypeError, ValueError):
            return str(v), "txt"
        if not np.isfinite(f):
            return "–", "num"
        bad = row != "tolerance" and col in tol and f > float(tol[col])
        return f"{f:.1e}", "num bad" if bad else "num"
    return cell


def _status_section(fs: "Flowsheet", res: "SimulationResult", params: "pd.DataFrame") -> str:
    import pandas as pd

    status = pd.Series(np.asarray(res.status), name="status")
    counts = status.value_counts()
    rows = [f"<li><b>{_e(s)}</b>: {int(c)} case{'s' if c != 1 else ''}</li>" for s, c in counts.items()]
    out = f"<ul>{''.join(rows)}</ul>"
    varied = list(params[params["varied"]]["name"]) if len(params) and "varied" in params else []
    if res.n_cases == 1:
        return out
    show = np.arange(res.n_cases) if res.n_cases <= 40 else np.flatnonzero(status != "ok")[:40]
    if len(show):
        d = {"status": status.to_numpy()[show]}
        for name in varied[:6]:
            d[name] = np.asarray(res.param(name))[show]
        t = pd.DataFrame(d, index=pd.Index(show, name="case"))
        if res.n_cases > 40:
            out += "<p>Failed cases (first 40):</p>"

        def cell(row: Any, col: Any, v: Any) -> tuple[str, str]:
            if col == "status":
                return str(v), "txt" if v == "ok" else "txt bad"
            return (fmt(v), "num") if isinstance(v, (float, np.floating)) else (str(v), "txt")
        out += table_html(t, stub="case", cell=cell)
    return out


def _parameters_section(params: "pd.DataFrame") -> str:
    """What was set for this run, then every default as resolved, each with its source."""
    if not len(params):
        return '<p class="note">The flowsheet declares no parameters.</p>'
    cols = ["in this run", "unit", "source", "default", "lower", "upper", "doc"]
    pt = params.set_index("name")[cols]
    chosen = params["set"].to_numpy(dtype=bool)
    out = (f"<p>{int(chosen.sum())} parameters set (on the flowsheet, by the route or for this "
           f"run), {int((~chosen).sum())} at their default; the source says where each value "
           "comes from (the route's YAML with its reference, a data file, or the code).</p>")
    out += ("<h3>Set</h3>" + table_html(pt[chosen], stub="parameter")) if chosen.any() else ""
    tbl = table_html(pt[~chosen], stub="parameter")
    if (~chosen).sum() > 40:
        tbl = f"<details><summary>{int((~chosen).sum())} defaults (show)</summary>{tbl}</details>"
    return out + "<h3>Defaults used (resolved)</h3>" + tbl


def html_report(fs: "Flowsheet", res: "SimulationResult", title: str | None = None,
                case: int | None = None) -> str:
    """The report of ``res`` (a result of ``fs.simulate``) as one self-contained HTML page.

    ``case`` is the case the figures and the stream/unit tables show (default: the first ok
    case); KPI, balance and status tables cover all cases.
    """
    from .. import __version__
    from .plots import (cost_breakdown, energy_balance, msp_waterfall, sankey_carbon, sankey_energy,
                        water_balance)
    from .tables import balance_table, parameters_used, stream_table, unit_table

    case = shown_case(res, case)
    route = route_name(fs)
    title = title or f"carbonhub report: {route}"
    now = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    params = parameters_used(fs, res)
    body: dict[str, str] = {}
    body["summary"] = _summary(fs, res, case, params)
    body["kpis"] = _kpi_section(res)
    body["pfd"] = _pfd_section(fs, res, case)
    body["carbon"] = (
        "<p>Left: carbon [t C/h] from the feeds through the process sections (each unit in the "
        "section of its plant area) to products, CO2 captured, CO2 emitted and other outlets, "
        "coloured by origin; the outlet nodes are the carbon KPIs (products / feed = carbon "
        "efficiency; CO2 emitted x operating hours x M(CO2)/M(C) = CO2 emitted in t CO2/y). "
        "Streams back to an earlier section are recycles (hatched slots, dashed arrow). Right: "
        "energy [MW, LHV basis] with electricity, fired heat, steam and cooling apart from the "
        "losses. Flows below 0.01 % of the input are not drawn.</p><div class=\"pair\">"
        + _figure_html(lambda: sankey_carbon(res, case), "carbon Sankey")
        + _figure_html(lambda: sankey_energy(res, case), "energy Sankey") + "</div>")
    body["energy"] = _figure_html(lambda: energy_balance(res, case), "energy balance")
    body["water"] = _figure_html(lambda: water_balance(res, case), "water balance")
    if has_costs(res):
        from .tea_tables import capital_area_table

        body["costs"] = (_figure_html(lambda: cost_breakdown(res, case), "cost breakdown")
                         + f"<p>Case {case}. Installed cost by plant area (complete units at their "
                         "all-in cost).</p>" + table_html(capital_area_table(res, case), stub="area"))
    else:
        body["costs"] = ('<p class="note">No cost results: this result was simulated without a '
                         "costing model (an <code>economics</code> parameter group), so there is "
                         "no CAPEX or OPEX breakdown.</p>")
    if len(msp_contributions(res, case)):
        body["msp"] = ("<p>Contributions to the minimum selling price of the main product; "
                       "capital includes the return on and of capital at the target IRR and "
                       "income tax.</p>" + _figure_html(lambda: msp_waterfall(res, case),
                                                         "MSP waterfall"))
        from .tea_tables import msp_table

        mt = msp_table(res, case)
        if len(mt):
            body["msp"] += (f"<p>Case {case}, item by item: utility credits (surplus steam by the "
                            "stated rule, exported electricity) and by-product credits are negative; "
                            "the last line is the MSP with the steam credit switched off.</p>"
                            + table_html(mt, stub="item"))
    else:
        body["msp"] = ('<p class="note">No minimum selling price: the result has no cost results '
                       "(KPI <code>msp_eur_per_t</code> and an operating-cost table).</p>")
    st = stream_table(res, case)
    body["streams"] = (f"<p>Case {case}. Mole fractions of all phases; components absent from "
                       "every stream are left out.</p>" + table_html(st, stub="stream"))
    body["units"] = f"<p>Case {case}. Heat and power added to the process.</p>" + \
        table_html(unit_table(res, case), stub="unit")
    bt = balance_table(res)
    if len(bt):
        body["balances"] = ("<p>Worst relative residual over the cases that solved, per unit. "
                            "Closures worse than the tolerance (last row) are marked.</p>"
                            + table_html(bt, stub="unit", cell=_balance_cell(bt.loc["tolerance"])))
    else:
        body["balances"] = '<p class="note">No unit balances (the flowsheet has no process units).</p>'
    body["status"] = _status_section(fs, res, params)
    body["parameters"] = _parameters_section(params)
    meta = (f"route <b>{_e(route)}</b> · {res.n_cases} case{'s' if res.n_cases != 1 else ''} · "
            f"carbonhub {_e(__version__)} · {_e(now)}")
    return page(title, meta, [(a, h, body[a]) for a, h in SECTIONS],
                f"Generated by carbonhub {_e(__version__)} on {_e(now)}. SI units inside the "
                "model; t/h, MW, bar and MEUR in this report.")


def page(title: str, meta_html: str, sections: list[tuple[str, str, str]], footer_html: str) -> str:
    """A report page in the report's style: title, a meta line, a navigation bar and one
    ``<section>`` per (anchor, header, body HTML); used by the route and the sweep report."""
    nav = "\n".join(f'<a href="#{a}">{_e(h)}</a>' for a, h, _ in sections)
    body = "".join(f'<section id="{a}"><h2>{_e(h)}</h2>{b}</section>' for a, h, b in sections)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(title)}</title><style>{CSS}</style></head><body><main>"
            f"<header><h1>{_e(title)}</h1><p class=\"meta\">{meta_html}</p><nav>{nav}</nav>"
            f"</header>{body}<footer>{footer_html}</footer></main></body></html>\n")
