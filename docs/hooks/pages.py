"""MkDocs hook: pages generated from the code at build time, so that they cannot go stale.

A page holds a marker ``<!-- carbonhub:NAME -->`` on a line of its own; the hook replaces it
with Markdown made from the installed package and the repository's data:

``routes-table``  one line per route (``carbonhub.routes.describe()``)
``routes-detail`` per route: its docstring, default parameters with sources, reference case
``units``         per unit-operation family: ports, parameters (unit, bounds, doc), costs
``feedstocks``    the feedstocks of ``property_data/feedstocks.yaml``
``cli``           ``carbonhub --help`` and the help of every sub-command
``kpis``          the KPI columns of a route result: unit, definition, source (costing.kpi_table)
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
        tables = [("**Default parameters** (every other parameter: its unit's default)", y.get("defaults") or {})]
        tables += [(f"**Defaults of the variant `{name}`** (a build option; they replace or add to the above)",
                    entries or {})
                   for name, entries in (y.get("variants") or {}).items()]
        for title, defaults in tables:
            if not defaults:
                continue
            rows = []
            for k, v in defaults.items():
                v = v if isinstance(v, dict) else {"value": v}
                rows.append([f"`{k}`", _num(v.get("value")), _cell(v.get("unit", "")),
                             _cell(v.get("source", ""))])
            parts.append(title + "\n")
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


def kpis() -> str:
    """The KPI table of carbonhub.costing.kpi_table (also written to docs/guide/kpis.md)."""
    from carbonhub.costing.kpi_table import kpi_table_markdown

    return kpi_table_markdown(header=False)


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
