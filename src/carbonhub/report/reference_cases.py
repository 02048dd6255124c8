"""Published reference plants of each route beside carbonhub, figure by figure.

A route's YAML (``flowsheets/<route>.yaml``) holds ``reference_cases``: per published plant
its own settings (``paper``, in the paper's units), the route's build options for the paper's
technology choices (``build``, e.g. ``{gasifier: indirect}``), the carbonhub parameters that
express them (``settings``), design specs that hold a figure of the paper's plant while the
rest of the route moves (``specs``, e.g. ``net_electricity_import_MW: {target: 0, vary:
boiler_fuel.fraction}``: :func:`carbonhub.costing.kpis.net_electricity_spec`), the paper's finance (``finance``: applied to the ``economics.*``
parameter of the same name, or to a dotted name such as ``prices.price_year``, where the route
has one, reported as not applied otherwise; ``finance_not_expressible`` says in words what
carbonhub cannot set), the
published ``figures`` with their tolerance, which carbonhub units make each capital area
the paper reports (``areas``), and, for a paper whose plant is part of the route
(``fci_*_methanol_part``), the units inside its battery limits (``capital_scope``: their fixed
capital is summed, each unit with its own factors). :func:`compare` runs one case and returns
one row per figure;
:func:`markdown` renders every route's comparison (``scripts/generate_docs.py reference-cases`` writes it to
``docs/reference_cases.json`` for ``docs/routes.md``).

Money is converted only with :func:`carbonhub.costing.indices.convert_money`, the one money
function (CEPCI for capital, the euro-area HICP for prices).

Example
-------
>>> from carbonhub.report.reference_cases import cases
>>> sorted(cases("biomass_ft"))
['dea_2020_85', 'swanson_2010_ht', 'swanson_2010_lt']
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..costing.indices import convert_money
from ..units import BTU_J, HOUR, SHORT_TON

__all__ = ["FigureRow", "cases", "run_case", "compare", "markdown", "BTU_PER_GGE"]

BTU_PER_GGE = 116_090.0
"""LHV of one gallon of gasoline equivalent [Btu], the ratio of energy to fuel rate in the
DOE BETO Biofuels TEA Database (2019-02-14), sheet "Gasification IDL", rows 128-129."""


@dataclass(frozen=True)
class FigureRow:
    """One published figure beside carbonhub's value."""

    figure: str
    paper: float
    carbonhub: float
    tolerance: float
    kind: str
    excluded: str = ""

    @property
    def deviation(self) -> float:
        """carbonhub / paper - 1."""
        return self.carbonhub / self.paper - 1.0 if self.paper else float("nan")

    @property
    def within(self) -> bool:
        return bool(np.isfinite(self.deviation) and abs(self.deviation) <= self.tolerance)


def cases(route: str) -> dict[str, dict]:
    """The reference cases of ``route`` (``reference_cases`` of its YAML)."""
    from .. import routes

    return dict(routes.defaults(route).get("reference_cases") or {})


def run_case(route: str, case_id: str, *, specs: bool = True, settings: dict | None = None):
    """Simulate ``route`` at the case's settings; returns (result, finance keys not applied).
    ``specs=False``: without the case's own design specs; ``settings``: values set on top of
    the case's (e.g. a spec's variable at a value of one's own)."""
    from .. import routes

    case = cases(route)[case_id]
    fs = routes.load(route, **(case.get("build") or {}))  # the paper's technology choices (build options)
    known = set(fs.parameters()["name"])
    params = {**(case.get("settings") or {}), **(settings or {})}
    not_applied = []
    from ..core.unit import ParameterValueError, validate_value

    paper = case.get("paper") or {}
    cost_year = int(params.get("economics.cost_year", fs.get("economics.cost_year")))
    for k, v in (case.get("finance") or {}).items():
        if k == "construction_schedule":  # [..., y-1, y0] -> economics.construction_frac_y1..y3
            sched = [0.0] * (3 - len(v)) + [float(x) for x in v]
            if len(sched) == 3:
                params.update({f"economics.construction_frac_y{i + 1}": x for i, x in enumerate(sched)})
                continue
        if k in ("land_usd", "land_eur") and "cost_year" in paper:
            params["economics.land_eur"] = float(convert_money(
                float(v), k[-3:].upper(), int(paper["cost_year"]), to_currency="EUR", to_year=cost_year))
            continue
        name = k if "." in k else f"economics.{k}"
        if name in known:
            try:  # a descriptive value (e.g. a depreciation scheme carbonhub lacks) is not applied
                params[name] = validate_value(name, fs.param_decl(name), v)
                continue
            except ParameterValueError:
                pass
        not_applied.append(k)
    pars = fs.parameters().set_index("name")["value"]
    for k, spec in (case.get("paper_prices") or {}).items():
        params[k] = _paper_price(spec, pars, params)
    if specs and case.get("specs"):
        # the case's own design specs hold at its settings: those become the flowsheet's
        # values (its warm start then solves the case itself, not the route's defaults,
        # where the spec may have no solution)
        for k, v in params.items():
            fs.set(k, v)
        params = {}
        for name, spec in case["specs"].items():
            fs.add_spec(_case_spec(route, case_id, name, spec), outer=True)
    res = fs.simulate(params=params, **(case.get("solver") or {}))
    return res, not_applied


def _case_spec(route: str, case_id: str, name: str, spec: dict):
    """The design spec ``name`` of a case (``specs: {name: {target, vary, lower, upper}}``)."""
    from ..costing.kpis import net_electricity_spec

    known = {"net_electricity_import_MW": net_electricity_spec}
    if name not in known:
        raise KeyError(f"{route}/{case_id}: unknown case spec {name!r} (known: {', '.join(sorted(known))})")
    return known[name](str(spec["vary"]), target=float(spec["target"]), lower=float(spec.get("lower", 0.0)),
                       upper=float(spec.get("upper", 1.0)))


def _paper_price(spec: dict, pars, params: dict) -> float:
    """A price of the paper (``{value, currency, year}``) in the money the route's ``prices.*``
    are given in (EUR of ``prices.price_year``), converted with the one money function
    (operating-cost index)."""
    to_year = int(float(params.get("prices.price_year", pars["prices.price_year"])))
    return float(convert_money(float(spec["value"]), str(spec["currency"]), int(spec["year"]),
                               to_currency="EUR", to_year=to_year, kind="operating"))


def _money(value_eur, res, case) -> float:
    """EUR of the simulation's cost year -> the paper's currency and cost year [millions]."""
    paper = case["paper"]
    cy = int(res.param("economics.cost_year")[0])
    return float(convert_money(value_eur, "EUR", cy, to_currency=paper["currency"],
                               to_year=int(paper["cost_year"]), kind="capital")) / 1e6


def _main_products(res):
    from ..core.boundary import boundary

    main = set(res.flowsheet.economics_spec["main_products"])
    return [s for u, s in boundary(res)[1]
            if getattr(u, "category", "") == "product" and getattr(u, "product", None) in main]


def _product_lhv_W(res) -> float:
    return float(sum(np.nan_to_num(s.lhv())[0] for s in _main_products(res)))


def _product_t_per_h(res) -> float:
    return float(sum(np.nan_to_num(s.mass_flow)[0] for s in _main_products(res))) * 3.6


def _tea(res):
    _ = res.kpis  # evaluates the TEA and attaches it as res.tea
    return res.tea


def _capital(res, category: str) -> float:
    t = _tea(res).category_table(0)
    return float(t.loc[("capital", category), "value"])


_ATTACHED = ("_fired_heater",)
"""Suffixes of the costing-level units the costing attaches to a process unit, in its area and
in the installed cost: the fired heater of a demand above steam's reach (costing/heat_supply.py
``<unit>_fired_heater``). A case's area that lists the unit holds it too, as the paper's areas
add up to its TIC. Not a first catalyst charge (costing/catalyst_fill.py
``<unit>_catalyst_fill``): fixed capital outside the TIC."""


def _owner(item: str) -> str:
    """The unit a row of the unit table belongs to: its id without the row number, and
    without the suffix of a costing-level unit attached to it (:data:`_ATTACHED`)."""
    uid = item.split(".")[0]
    for suffix in _ATTACHED:
        if uid.endswith(suffix):
            return uid[: -len(suffix)]
    return uid


def _areas(res, case) -> dict[str, float]:
    table = _tea(res).unit_table(0)
    base = np.array([_owner(str(i)) for i in table.index])
    out = {}
    for area, unit_ids in (case.get("areas") or {}).items():
        mask = np.isin(base, list(unit_ids))
        out[area] = _money(float(table["installed_eur"].to_numpy()[mask].sum()), res, case)
    return out


def _scope_fci(res, case) -> float:
    """Fixed capital [EUR] of the units of ``capital_scope`` (a partial plant): the sum of
    their shares of the FCI (``CapitalBreakdown.fci_per_unit``: a complete unit at its all-in
    cost, a factored unit with its installation, ISBL and indirect fractions)."""
    cap = _tea(res).capital
    if not cap.fci_per_unit:
        raise ValueError(f"capital_scope needs the factored capital build-up "
                         f"(economics.capital_method = 'factored'), got {cap.method!r}")
    scope = set(case["capital_scope"])
    return float(sum(np.atleast_1d(v)[0] for u, v in cap.fci_per_unit.items()
                     if u.split(".")[0] in scope))


def _gge_per_h(res) -> float:
    return _product_lhv_W(res) * HOUR / (BTU_PER_GGE * BTU_J)


def _product_W(res, case) -> float:
    """Main products' energy [W]: the paper's own LHV where it states one, else carbonhub's."""
    lhv = (case.get("paper") or {}).get("product_lhv_MJ_per_kg")
    if lhv is None:
        return _product_lhv_W(res)
    return _product_t_per_h(res) / 3.6 * float(lhv) * 1e6


def _feed_W(res) -> float:
    from ..core.boundary import boundary

    return float(sum(np.nan_to_num(s.lhv())[0] for u, s in boundary(res)[0] if u.id == "feed"))


def _efficiency(res, case) -> float:
    return _product_W(res, case) / _feed_W(res)


def _specific_investment(res, case) -> float:
    return _money(_capital(res, "fci"), res, case) / (_product_W(res, case) / 1e6)


def _methanol_t_per_h(res) -> float:
    s = res.stream("methanol")
    return float(np.nan_to_num(s["CH3OH"])[0]) * 32.04186e-3 * 3.6


def _olefins_t_per_h(res) -> float:
    k = res.kpis.iloc[0]
    return float(k["products_t_per_h.ethylene"] + k["products_t_per_h.propylene"])


def _carbon_to_methanol(res) -> float:
    from ..core.boundary import boundary

    c_feed = sum(float(np.nan_to_num(s.carbon_flow)[0]) for u, s in boundary(res)[0] if u.id == "feed")
    return float(np.nan_to_num(res.stream("methanol")["CH3OH"])[0]) / c_feed


def _oil_per_feed_ar(res) -> float:
    """Condensed pyrolysis oil (stream ``pyrolysis_oil``) per tonne of feed as received."""
    from ..core.boundary import boundary

    feed = sum(float(s.mass_flow[0]) for u, s in boundary(res)[0] if u.id == "feed")
    return float(res.stream("pyrolysis_oil").mass_flow[0]) / feed


_FIGURES: dict[str, Callable[[Any, dict], Any]] = {
    "tic_musd": lambda r, c: _money(_capital(r, "total_installed"), r, c),
    "fci_musd": lambda r, c: _money(_capital(r, "fci"), r, c),
    "tci_musd": lambda r, c: _money(_capital(r, "tci"), r, c),
    "tic_meur": lambda r, c: _money(_capital(r, "total_installed"), r, c),
    "fci_meur": lambda r, c: _money(_capital(r, "fci"), r, c),
    "tci_meur": lambda r, c: _money(_capital(r, "tci"), r, c),
    "fuel_yield_gge_per_dry_short_ton": lambda r, c: _gge_per_h(r) / (
        float(r.param("feed.rate_dry_t_per_h")[0]) * 1000.0 / SHORT_TON),
    "msp_usd_per_gge": lambda r, c: _money(float(r.kpis["msp_eur_per_t"].iloc[0]) * 1e6, r, c)
    * _product_t_per_h(r) / _gge_per_h(r),
    "product_t_per_t_dry": lambda r, c: _product_t_per_h(r) / float(r.param("feed.rate_dry_t_per_h")[0]),
    "liquids_efficiency_lhv": _efficiency,
    "methanol_efficiency_lhv": _efficiency,
    "specific_investment_meur_per_mw": _specific_investment,
    "h2_per_t_methanol": lambda r, c: float(
        r.unit_results["electrolyser"].design["h2_kg_per_h"][0]) / 1000.0 / _methanol_t_per_h(r),
    "co2_per_t_methanol": lambda r, c: float(r.param("feed.rate_dry_t_per_h")[0]) / _methanol_t_per_h(r),
    "methanol_per_t_light_olefins": lambda r, c: _methanol_t_per_h(r) / _olefins_t_per_h(r),
    "methanol_per_t_feed_ar": lambda r, c: _methanol_t_per_h(r) / float(
        r.kpis["feed_dry_t_per_h"].iloc[0]) * (1.0 - float(c["paper"]["feed_moisture_wt_pct"]) / 100.0),
    "carbon_to_methanol_fraction": lambda r, c: _carbon_to_methanol(r),
    "fci_meur_methanol_part": lambda r, c: _money(_scope_fci(r, c), r, c),
    "fci_musd_methanol_part": lambda r, c: _money(_scope_fci(r, c), r, c),
    "pyrolysis_oil_per_t_feed_ar": lambda r, c: _oil_per_feed_ar(r),
    "area_musd": _areas,
    "area_meur": _areas,
}


def compare(route: str, case_id: str, res=None) -> list[FigureRow]:
    """Every published figure of the case beside carbonhub's value (one row per figure/area)."""
    case = cases(route)[case_id]
    if res is None:
        res, _ = run_case(route, case_id)
    excluded = case.get("excluded") or {}
    rows = []
    for name, fig in (case.get("figures") or {}).items():
        if name not in _FIGURES:
            raise KeyError(f"{route}/{case_id}: no carbonhub counterpart for figure {name!r} "
                           f"(known: {', '.join(sorted(_FIGURES))})")
        ours = _FIGURES[name](res, case)
        tol, kind = float(fig["tolerance"]), str(fig.get("kind", ""))
        if isinstance(fig["value"], dict):
            for area, v in fig["value"].items():
                key = f"{name}.{area}"
                rows.append(FigureRow(key, float(v), float(ours[area]), tol, kind,
                                      str(excluded.get(key, ""))))
        else:
            rows.append(FigureRow(name, float(fig["value"]), float(ours), tol, kind,
                                  str(excluded.get(name, ""))))
    return rows


def as_records(route: str, case_id: str, rows: list[FigureRow], not_applied=()) -> dict:
    """JSON-ready record of one comparison (for docs/reference_cases.json). carbonhub's value and
    the deviation carry 9 significant digits: the file is checked for being current, and the
    last digits of a route's answer differ between machines and BLAS builds."""
    case = cases(route)[case_id]
    sig = lambda x: float(f"{x:.9g}")  # noqa: E731
    return {"route": route, "case": case_id, "title": case.get("title", case_id),
            "finance_not_applied": list(not_applied),
            "rows": [{"figure": r.figure, "paper": r.paper, "carbonhub": sig(r.carbonhub),
                      "deviation": sig(r.deviation), "tolerance": r.tolerance, "within": r.within,
                      "excluded": r.excluded} for r in rows]}


def markdown(records: list[dict], route: str) -> str:
    """Markdown tables of a route's reference comparisons (records of :func:`as_records`)."""
    parts = []
    for rec in (r for r in records if r["route"] == route):
        parts.append(f"**{rec['title']}** (`{rec['case']}`)\n")
        lines = ["| figure | paper | carbonhub | deviation | tolerance | status |",
                 "|---|---|---|---|---|---|"]
        for r in rec["rows"]:
            status = ("excluded: " + r["excluded"][:80] + "…") if r["excluded"] else (
                "within" if r["within"] else "**outside**")
            lines.append(f"| `{r['figure']}` | {r['paper']:.4g} | {r['carbonhub']:.4g} | "
                         f"{100 * r['deviation']:+.0f} % | ±{100 * r['tolerance']:.0f} % | {status} |")
        parts.append("\n".join(lines) + "\n")
        if rec["finance_not_applied"]:
            parts.append("Finance of the paper not yet expressible as a carbonhub parameter: "
                         + ", ".join(f"`{k}`" for k in rec["finance_not_applied"]) + ".\n")
    return "\n".join(parts)
