"""MkDocs hook: pages generated from the code at build time, so that they cannot go stale.

A page holds a marker ``<!-- carbonhub:NAME -->`` on a line of its own; the hook replaces it
with Markdown made from the installed package and the repository's data:

``routes-table``  one line per route (``carbonhub.routes.describe()``)
``routes-detail`` per route: its docstring, default parameters with sources, reference case
``units``         per unit-operation family: ports, parameters (unit, bounds, doc), costs
``feedstocks``    the feedstocks of ``property_data/feedstocks.yaml``
``cli``           ``carbonhub --help`` and the help of every sub-command
``kpis``          the KPI columns of a costed route result, with units (from a static list)
``tea-defaults``  the techno-economic defaults of ``property_data/tea_defaults.yaml``
``unitops-api``   a mkdocstrings block per unit-operation family (``carbonhub.unitops.FAMILIES``)

Nothing here simulates a flowsheet: the build stays fast. A route or unit family that cannot
be imported is shown as such on the page (its own tests report why).
"""
from __future__ import annotations

import importlib
import inspect
import io
import logging
import math
import re
from contextlib import redirect_stdout
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.carbonhub")
MARKER = re.compile(r"^<!-- carbonhub:([a-z-]+) -->[ \t]*$", re.MULTILINE)
ROOT = Path(__file__).resolve().parents[2]


def _cell(v) -> str:
    """Text safe for a Markdown table cell."""
    s = "" if v is None else str(v)
    s = s.replace("|", "\\|").replace("\n", " ").strip()
    return re.sub(r"\](\s?)\[", r"]\1\\[", s)  # not a reference link


def _num(v) -> str:
    if isinstance(v, str):
        try:
            v = float(v)  # YAML 1.1 reads 2.8e6 as text
        except ValueError:
            return f"`{v}`"
    try:
        x = float(v)
    except (TypeError, ValueError):
        return _cell(v)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return ""  # unbounded
    return f"{x:.6g}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def _first_line(doc: str | None) -> str:
    """The first paragraph of a docstring, on one line."""
    para = inspect.cleandoc(doc or "").split("\n\n", 1)[0]
    return " ".join(para.split())


# -- routes -------------------------------------------------------------------------------
def _routes():
    from carbonhub import routes

    try:
        desc = routes.describe()
        return {n: (d, None) for n, d in desc.items()}
    except Exception:  # one route does not import: describe the others one by one
        out = {}
        for n in routes.names():
            try:
                out[n] = (_first_line(routes.module(n).__doc__), None)
            except Exception as exc:  # shown on the page
                out[n] = ("", f"{type(exc).__name__}: {exc}")
        return out


def routes_table(base: str = "") -> str:
    rows = []
    for n, (d, err) in _routes().items():
        rows.append([f"[`{n}`]({base}routes.md#{n})",
                     _cell(d) if err is None else f"*could not be imported: {_cell(err)}*"])
    return _table(["route", "what it is"], rows)


def routes_detail() -> str:
    from carbonhub import routes

    parts = []
    for n, (d, err) in _routes().items():
        parts.append(f"## {n}\n")
        if err is not None:
            parts.append(f"!!! failure \"could not be imported\"\n    {_cell(err)}\n")
            continue
        doc = inspect.cleandoc(routes.module(n).__doc__ or "")
        body = doc.split("\n", 1)[1].strip() if "\n" in doc else ""
        parts.append(f"**{_cell(d)}**\n")
        if body:
            parts.append(re.sub(r"\](\s?)\[", r"]\1\\[", body) + "\n")
        parts.append(f"Module `flowsheets/{n}.py`; defaults and reference case "
                     f"`flowsheets/{n}.yaml`.\n")
        y = routes.defaults(n)
        defaults = y.get("defaults") or {}
        if defaults:
            rows = []
            for k, v in defaults.items():
                v = v if isinstance(v, dict) else {"value": v}
                rows.append([f"`{k}`", _num(v.get("value")), _cell(v.get("unit", "")),
                             _cell(v.get("source", ""))])
            parts.append("**Default parameters** (every other parameter: its unit's default)\n")
            parts.append(_table(["parameter", "value", "unit", "source"], rows) + "\n")
        ref = y.get("reference_case")
        if ref:
            parts.append("**Reference case (yields and efficiencies)**\n")
            lines = [f"- source: {_cell(ref.get('source', ''))}",
                     f"- verified against a stored copy of the source: {ref.get('verified')}"]
            if ref.get("settings"):
                lines.append("- settings: " + ", ".join(f"`{k} = {v}`" for k, v in ref["settings"].items()))
            for k, f in (ref.get("figures") or {}).items():
                f = f if isinstance(f, dict) else {"value": f}
                band = f.get("ratio_bounds")
                lines.append(f"- `{k}` = {_num(f.get('value'))}"
                             + (f", accepted ratio carbonhub / reference in [{band[0]}, {band[1]}]"
                                if band else ""))
            if ref.get("tolerance_justification"):
                lines.append(f"- why this tolerance: {_cell(ref['tolerance_justification'])}")
            if ref.get("note"):
                lines.append(f"- note: {_cell(ref['note'])}")
            parts.append("\n".join(lines) + "\n")
        parts.append(_reference_cases(n, y.get("reference_cases") or {}))
    return "\n".join(parts)


def _reference_cases(route: str, refs: dict) -> str:
    """Published plants of a route beside carbonhub (docs/reference_cases.json, written by
    scripts/reference_cases.py), figure by figure."""
    import json

    from carbonhub.report.reference_cases import markdown

    if not refs:
        return ""
    path = Path(__file__).resolve().parents[1] / "reference_cases.json"
    records = json.loads(path.read_text()) if path.exists() else []
    parts = ["**Published reference plants** (tests/routes/test_reference_cases.py: yields "
             "±10 %, TIC/FCI/TCI ±25 %, MSP ±20 %, capital by area ±35 %)\n"]
    def setting(v):
        if not isinstance(v, dict):
            return _cell("not stated" if v is None else v)
        extra = " ".join(str(v[k]) for k in ("unit", "note") if v.get(k))
        if v.get("value") is None:
            return _cell(extra or "not stated")
        return _cell(f"{_num(v['value'])} {extra}".strip())

    for cid, case in refs.items():
        paper = case.get("paper") or {}
        parts.append(f"- `{cid}`: {_cell(case.get('source', ''))} Read in: "
                     f"{_cell(case.get('read_in', ''))} Paper's settings: "
                     + "; ".join(f"{k.replace('_', ' ')} = {setting(v)}" for k, v in paper.items())
                     + (f". Deviations: {_cell(case['deviations'])}" if case.get("deviations") else ""))
    parts.append("")
    table = markdown(records, route)
    parts.append(table if table else "(run `scripts/reference_cases.py` to fill in carbonhub's values)\n")
    return "\n".join(parts)


# -- unit operations ----------------------------------------------------------------------
def units() -> str:
    from carbonhub import unitops
    from carbonhub.core import Unit

    parts = []
    for fam in unitops.FAMILIES:
        try:
            mod = importlib.import_module(f"carbonhub.unitops.{fam}")
        except Exception as exc:  # shown on the page
            parts.append(f"## {fam}\n\n!!! failure \"could not be imported\"\n    {_cell(exc)}\n")
            continue
        classes = [c for _, c in inspect.getmembers(mod, inspect.isclass)
                   if issubclass(c, Unit) and c is not Unit and c.__module__ == mod.__name__
                   and not c.__name__.startswith("_")]
        if not classes:
            continue
        classes.sort(key=lambda c: inspect.getsourcelines(c)[1])
        parts.append(f"## {fam}\n")
        parts.append(f"{_cell(_first_line(mod.__doc__))} API: [`carbonhub.unitops.{fam}`]"
                     f"(api/unitops.md#carbonhub.unitops.{fam}).\n")
        for c in classes:
            parts.append(f"### {c.__name__}\n")
            parts.append(_cell(_first_line(c.__doc__)) + "\n")
            ins = ", ".join(f"`{p}`" for p in c.inlets) or "(set per instance)"
            outs = ", ".join(f"`{p}`" for p in c.outlets) or "(set per instance)"
            kind = getattr(c, "kind", "unit")
            parts.append(f"- kind: {kind}; inlets: {ins}; outlets: {outs}")
            costs = getattr(c, "costs", ()) or ()
            if costs:
                parts.append("- costed as: " + "; ".join(
                    f"`{k.item}` on design result `{k.size}`" for k in costs))
            elif getattr(c, "cost_note", ""):
                parts.append(f"- costed as: {_cell(c.cost_note)}")
            twin = "yes" if hasattr(c, "build_pyomo") else "not yet"
            parts.append(f"- equation-oriented twin (`build_pyomo`): {twin}\n")
            try:
                decl = c.all_params()
            except TypeError:  # an instance method (choices known at run time): the declarations
                decl = {}
                for klass in reversed(c.__mro__):
                    decl.update(getattr(klass, "params", {}) or {})
            if decl:
                rows = []
                for k, p in decl.items():
                    choices = ", ".join(f"`{x}`" for x in p.choices) if p.choices else ""
                    rows.append([f"`{k}`", _num(p.default),
                                 _cell(p.unit if p.unit != "choice" else "choice"),
                                 choices or f"{_num(p.lower)} … {_num(p.upper)}".strip(" …"),
                                 _cell(p.doc)])
                parts.append(_table(["parameter", "default", "unit", "range / choices", "meaning"], rows)
                             + "\n")
    return "\n".join(parts)


# -- data -------------------------------------------------------------------------------
def feedstocks() -> str:
    from carbonhub.feedstocks import load_feedstocks

    rows = []
    for fid, f in load_feedstocks().items():
        u = f.ultimate_dry_wt_pct
        rows.append([f"`{fid}`", _cell(f.name), f.category, _num(f.biogenic_carbon_fraction),
                     _num(u.get("C")), _num(u.get("H")), _num(u.get("O")), _num(f.ash_dry_wt_pct),
                     _num(f.moisture_ar_wt_pct), _num(round(f.lhv_dry_MJ_per_kg, 2)), _cell(f.source)])
    return _table(["id", "name", "category", "biogenic C", "C", "H", "O", "ash", "moisture (ar)",
                   "LHV dry [MJ/kg]", "source"], rows)


def cli() -> str:
    from carbonhub.cli import build_parser

    p = build_parser()
    out = ["```text", "$ carbonhub --help", p.format_help().rstrip(), "```"]
    sub = next(a for a in p._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, sp in sub.choices.items():
        out += ["", f"```text", f"$ carbonhub {name} --help", sp.format_help().rstrip(), "```"]
    return "\n".join(out)


KPIS = [
    ("feed_dry_t_per_h", "t/h", "dry feedstock rate"),
    ("products_t_per_h.<product>", "t/h", "each product (one column per product)"),
    ("carbon_efficiency", "-", "carbon in the products / carbon in the feed"),
    ("carbon_to_co2_fraction", "-", "carbon in the feed leaving as CO2 (emitted or captured)"),
    ("carbon_in_<origin>_fraction", "-", "share of the carbon fed that is fossil / biogenic / recycled / atmospheric"),
    ("carbon_in_products_<origin>_fraction", "-", "the same for the carbon in the products"),
    ("carbon_efficiency_<origin>", "-", "carbon efficiency of each origin"),
    ("cold_gas_efficiency", "-", "LHV of the cold raw syngas / LHV of the feed (routes with a gasifier)"),
    ("energy_efficiency_lhv", "-", "(LHV of the products (liquid basis for liquid products such as methanol) + electricity sold + steam sold) / (LHV of the feeds + electricity bought + fired heat + steam bought); steam at its latent heat at 10 bar (costing/energy.py)"),
    ("energy_efficiency_products_lhv", "-", "LHV of the products / the same denominator (the products alone)"),
    ("electricity_import_MW, electricity_export_MW", "MW", "electricity bought and sold (net of all units)"),
    ("steam_import_MW, steam_export_MW", "MW", "MP steam bought and sold as heat: units' steam demand - steam raised + process steam drawn (as the costing counts it)"),
    ("fired_heat_MW", "MW", "natural gas fired for heat (LHV), net"),
    ("electricity_MW", "MW", "net electricity demand"),
    ("water_in_t_per_h", "t/h", "water entering (moisture, steam, process water)"),
    ("wastewater_t_per_h", "t/h", "water discharged"),
    ("co2_emitted_t_per_y", "t CO2/y", "CO2 emitted to air, all origins"),
    ("co2_emitted_<origin>_t_per_y", "t CO2/y", "CO2 emitted of that origin only (fossil, biogenic, recycled, atmospheric): the four sum to co2_emitted_t_per_y"),
    ("co2_emitted_fossil_like_t_per_y", "t CO2/y", "CO2 emitted of the fossil-like origins (tea_defaults.yaml co2.fossil_like_origins: fossil + recycled), the CO2 charged under the EU ETS"),
    ("co2_emitted_nonfossil_t_per_y", "t CO2/y", "the rest (biogenic + atmospheric); fossil_like + nonfossil = total"),
    ("co2_captured_t_per_y", "t CO2/y", "CO2 sent to storage; by origin, fossil_like and nonfossil as for co2_emitted_*"),
    ("tci_eur", "EUR", "total capital investment"),
    ("capex_eur", "EUR", "fixed capital investment"),
    ("opex_eur_per_y", "EUR/y", "operating cost (fixed + variable, credits negative)"),
    ("msp_eur_per_t", "EUR/t", "minimum selling price of the main product at the target IRR"),
    ("levelised_cost_eur_per_t", "EUR/t", "levelised cost of the main product"),
    ("npv_eur", "EUR", "net present value at the product prices (prices.<product>_eur_per_t, defaults from prices.yaml)"),
    ("co2_reference_t_per_y", "t CO2eq/y", "cradle-to-gate emissions of the fossil products the main product replaces (property_data/co2_references.yaml)"),
    ("co2_byproduct_credit_t_per_y", "t CO2eq/y", "cradle-to-gate emissions of the fossil products the by-products replace (substitution; part of co2_reference_t_per_y)"),
    ("co2_route_t_per_y", "t CO2eq/y", "the route's cradle-to-gate emissions: fossil-like CO2 emitted + electricity bought x (ghg.ppa_share x ghg.ppa_ef_t_per_MWh + rest x ghg.grid_ef_t_per_MWh) + fired natural gas + steam bought + feedstock supply - non-fossil CO2 stored"),
    ("co2_avoided_t_per_y", "t CO2eq/y", "co2_reference_t_per_y - co2_route_t_per_y (costing/avoided.py)"),
    ("co2_avoided_t_per_t_product", "t CO2eq/t", "CO2 avoided per tonne of main product"),
    ("co2_avoided_cost_eur_per_t", "EUR/t CO2", "(MSP - market price) x main product / CO2 avoided; NaN where the route avoids nothing"),
    ("market_price_eur_per_t", "EUR/t", "market price of the main product (prices.<product>_eur_per_t, defaults from prices.yaml), in EUR of the cost year"),
    ("financial_gap_eur_per_t", "EUR/t", "MSP - market price"),
    ("financial_gap_eur_per_y", "EUR/y", "financial gap x main product per year"),
    ("simple_payback_y", "y", "TCI / (market revenue + by-product revenue - OPEX); inf where that cash flow is not positive"),
    ("carbon_in_solid_residue_tC_per_y", "t C/y", "carbon leaving as char/soot in solid residue (ash, spent sorbent, sludge): tonnes of CARBON"),
    ("carbon_other_tC_per_y", "t C/y", "carbon leaving in neither products, CO2 nor solids (CO/CH4 in vents, organics in wastewater): tonnes of CARBON"),
    ("hot_utility_min_MW, cold_utility_min_MW", "MW", "minimum hot and cold utility by pinch targeting at heat.dt_min (costing/pinch.py; docs guide/heat.md)"),
    ("hot_utility_unintegrated_MW, cold_utility_unintegrated_MW", "MW", "the units' heating and cooling duties as they are"),
    ("heat_recovery_MW", "MW", "heat a heat-exchanger network could recover (unintegrated - minimum hot utility)"),
    ("pinch_T_K", "K", "shifted pinch temperature (NaN where none)"),
    ("hot_utility_bought_MW", "MW", "steam and natural gas bought for heat on the chosen heat.utility_basis (units or pinch targets), before electrification"),
    ("heat_electricity_MW", "MW", "electricity of the electrified heat (heat.hot_utility: electric_boiler or heat_pump)"),
    ("exergy_efficiency", "-", "(exergy of the products + electricity sold + steam sold x Carnot factor) / (exergy of the feeds + electricity bought + fired gas x ex/LHV + steam bought x Carnot factor); Szargut reference environment (costing/exergy.py; docs guide/heat.md)"),
    ("msp_no_steam_credit_eur_per_t", "EUR/t", "the MSP with the surplus-steam credit switched off"),
    ("steam_credit_eur_per_t", "EUR/t", "surplus-steam credit in the MSP (prices.steam_credit_rule)"),
    ("capital_<area>_eur", "EUR", "installed cost by area: feed_handling, gasification, cleanup, synthesis, upgrading, utilities, osbl"),
]


def kpis() -> str:
    return _table(["KPI", "unit", "meaning"], [[f"`{k}`", u, _cell(m)] for k, u, m in KPIS])


def tea_defaults() -> str:
    from carbonhub.data import load_yaml

    d = load_yaml("tea_defaults.yaml")
    rows = []
    for section in ("capital", "fixed_opex", "dcf", "operation"):
        for k, v in (d.get(section) or {}).items():
            if not isinstance(v, dict) or "value" not in v:
                continue
            val = v["value"]
            val = ", ".join(_num(x) for x in val) if isinstance(val, list) else _num(val)
            rows.append([section, f"`{k}`", val, _cell(v.get("source") or ""),
                         _cell(v.get("verified")), _cell(v.get("note") or "")])
    pc = (d.get("capital") or {}).get("process_contingency") or {}
    for k, v in (pc.get("by_maturity") or {}).items():
        rows.append(["capital", f"`process_contingency.{k}`", _num(v), _cell(pc.get("source")),
                     _cell(pc.get("verified")), "fraction of the unit's installed cost"])
    return _table(["section", "name", "value", "source", "verified", "note"], rows)


def unitops_api() -> str:
    from carbonhub import unitops

    out = []
    for fam in unitops.FAMILIES:
        try:
            importlib.import_module(f"carbonhub.unitops.{fam}")
        except Exception as exc:  # shown on the page
            out.append(f"## carbonhub.unitops.{fam}\n\n!!! failure \"could not be imported\"\n"
                       f"    {_cell(exc)}\n")
            continue
        out.append(f"::: carbonhub.unitops.{fam}\n")
    return "\n".join(out)


GENERATORS = {"routes-table": routes_table, "routes-detail": routes_detail, "units": units,
              "feedstocks": feedstocks, "cli": cli, "kpis": kpis, "tea-defaults": tea_defaults,
              "unitops-api": unitops_api}


def on_page_markdown(markdown: str, page, config, files) -> str:
    def repl(m: re.Match) -> str:
        name = m.group(1)
        if name not in GENERATORS:
            log.warning("unknown carbonhub marker %r in %s", name, page.file.src_path)
            return m.group(0)
        kwargs = {}
        if name == "routes-table":  # relative link from the page to routes.md
            depth = page.file.src_uri.count("/")
            kwargs["base"] = "../" * depth
        buf = io.StringIO()
        with redirect_stdout(buf):  # keep the build log clean
            return GENERATORS[name](**kwargs)

    return MARKER.sub(repl, markdown)
