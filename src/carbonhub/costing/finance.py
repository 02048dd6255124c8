"""Finance and utility-credit rules as route parameters: the ``economics.*`` group that lets a
paper's case be reproduced with its own assumptions, and the :class:`Economics` built from it.

Defaults and sources are in ``property_data/tea_defaults.yaml`` (Humbird et al. 2011 for the
build-up factors, DCF conventions and fixed-OPEX fractions; the Dutch corporate income tax;
AACE 16R-90 process contingency by maturity). Every value is range-checked by its ``Param``
(one line naming the parameter, its value and the allowed range); the parameters that shape
the time grid of the cash flow (life, depreciation, construction schedule, start-up, maturity)
must be the same in all cases of one simulation.

Example
-------
>>> p = finance_params()
>>> p["income_tax_rate"].default, p["life_y"].default, p["depreciation"].default
(0.258, 30.0, 'macrs')
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..core.unit import Param

__all__ = ["STEAM_CREDIT_RULES", "finance_params", "economics_from_params", "steam_to_power_default",
           "price_escalation"]


@lru_cache(maxsize=1)
def _tea_yaml() -> dict:
    from ..data import load_yaml

    return load_yaml("tea_defaults.yaml")


def _dflt(section: str, key: str):
    return _tea_yaml()[section][key]["value"]


def steam_to_power_default() -> float:
    """Condensing-turbine electricity per t of surplus MP steam [MWh/t] (tea_defaults.yaml)."""
    return float(_dflt("utilities", "steam_to_power_MWh_per_t"))


STEAM_CREDIT_RULES = ("none", "condensing_turbine", "offtaker", "power_island")
"""How surplus steam is credited (``prices.steam_credit_rule``): ``none`` (default: not
credited, the conservative rule; a surplus is heat the plant rejects), ``condensing_turbine``
(expanded in a condensing turbine: ``prices.steam_to_power_MWh_per_t`` MWh of electricity per
t, credited at the electricity price), ``offtaker`` (sold at ``prices.steam_export_eur_per_t``
to a declared off-taker), ``power_island`` (ALL the steam the units raise through an
extraction-condensing turbine at ``prices.steam_island_P``/``steam_island_T``, the process
steam extracted at the MP level, the rest condensed: its electricity is sold at the electricity
price, costing/power_island.py)."""


_FRACTIONS = (  # (parameter = tea_defaults.yaml key, section, upper bound, doc)
    ("project_contingency_frac_tdc", "capital", 0.5, "project contingency [fraction of total direct cost]"),
    ("warehouse_frac_isbl", "capital", 0.5, "warehouse [fraction of ISBL]"),
    ("site_development_frac_isbl", "capital", 0.5, "site development [fraction of ISBL]"),
    ("additional_piping_frac_isbl", "capital", 0.5, "additional piping [fraction of ISBL]"),
    ("prorateable_frac_tdc", "capital", 0.5, "prorateable costs [fraction of TDC]"),
    ("field_expenses_frac_tdc", "capital", 0.5, "field expenses [fraction of TDC]"),
    ("home_office_frac_tdc", "capital", 0.5, "home office and construction fee [fraction of TDC]"),
    ("maintenance_frac_isbl", "fixed_opex", 0.2, "maintenance per year [fraction of ISBL installed cost]"),
    ("insurance_tax_frac_fci", "fixed_opex", 0.1, "property insurance and local taxes per year [fraction of FCI]"),
    ("labour_burden_frac", "fixed_opex", 3.0, "labour burden and overhead [fraction of salaries]"),
)
"""Build-up and fixed-OPEX fractions exposed as ``economics.*`` parameters (defaults: Humbird et
al. 2011, in tea_defaults.yaml)."""


def finance_params(maturity: str = "nth") -> dict[str, Param]:
    """The finance parameters of group ``economics`` (defaults and sources: tea_defaults.yaml,
    after Humbird et al. 2011 and the Dutch corporate income tax): what a paper's case sets to
    be reproduced with its own assumptions."""
    cap = _tea_yaml()["capital"]
    fx = _tea_yaml()["fixed_opex"]
    d = lambda k: _dflt("dcf", k)  # noqa: E731
    sched = [float(x) for x in d("construction_schedule")] + [0.0] * 3
    return {
        "irr": Param(float(d("irr")), "", 0.0, 0.5, "target internal rate of return (real, after tax) [-]"),
        "income_tax_rate": Param(float(d("income_tax_rate")), "", 0.0, 0.6,
                                 "income tax rate [-] (NL corporate income tax 2023, 25.8 %)"),
        "life_y": Param(float(d("life_y")), "y", 5.0, 60.0, "plant operating life [y] (whole years)"),
        "depreciation": Param(str(d("depreciation")), "choice", doc="tax depreciation of the FCI",
                              choices=("macrs", "straight_line")),
        "depreciation_years": Param(float(d("depreciation_years")), "y", 1.0, 40.0,
                                    "depreciation period [y] (MACRS: 3, 5, 7, 10, 15 or 20)"),
        "construction_frac_y1": Param(sched[0], "", 0.0, 1.0, "share of the FCI spent in construction year 1 [-]"),
        "construction_frac_y2": Param(sched[1], "", 0.0, 1.0, "share of the FCI spent in construction year 2 [-]"),
        "construction_frac_y3": Param(sched[2], "", 0.0, 1.0,
                                      "share of the FCI spent in construction year 3 [-] (the three sum to 1; "
                                      "leading zeros shorten the construction period)"),
        "working_capital_frac_fci": Param(float(cap["working_capital_frac_fci"]["value"]), "", 0.0, 0.5,
                                          "working capital [fraction of FCI]"),
        "land_eur": Param(float(cap["land_eur"]["value"]), "EUR", 0.0, 1e10,
                          "land purchase [EUR of economics.cost_year]"),
        "startup_costs_frac_tdc": Param(float(cap["other_costs_frac_tdc"]["value"]), "", 0.0, 0.5,
                                        "start-up, commissioning and permits [fraction of total direct cost]"),
        "startup_fraction_of_year": Param(float(d("startup_fraction_of_year")), "", 0.0, 1.0,
                                          "share of operating year 1 spent in start-up [-]"),
        "startup_revenue_factor": Param(float(d("startup_revenue_factor")), "", 0.0, 1.0,
                                        "revenue during start-up relative to normal [-]"),
        "startup_variable_cost_factor": Param(float(d("startup_variable_cost_factor")), "", 0.0, 1.5,
                                              "variable costs during start-up relative to normal [-]"),
        "startup_fixed_cost_factor": Param(float(d("startup_fixed_cost_factor")), "", 0.0, 1.5,
                                           "fixed costs during start-up relative to normal [-]"),
        "maturity": Param(maturity, "choice", doc="technology maturity of the route's units: process "
                          "contingency by AACE 16R-90 (nth 0, foak 12.5 %, TRL bands)",
                          choices=("nth", "foak") + tuple(f"trl{i}" for i in range(1, 10))),
        **{key: Param(float(_tea_yaml()[sec][key]["value"]), "", 0.0, upper, doc)
           for key, sec, upper, doc in _FRACTIONS},
        "operator_salary_eur_per_y": Param(float(fx["operator_salary_eur_per_y"]["value"]), "EUR", 0.0, 1e6,
                                           "gross salary per operator [EUR/y of prices.price_year]"),
        "utilities_allowance_frac": Param(0.0, "", 0.0, 0.5,
                                          "cooling water and other site utilities as this fraction of the other "
                                          "installed costs instead of their equipment (a paper's method, "
                                          "costing/utilities_allowance.py; 0: equipment costed) [-]"),
    }


def _same(res, name: str, ok: np.ndarray):
    v = np.asarray(res.param(name))
    v = np.broadcast_to(v, (res.n_cases,))[ok] if ok.any() else np.broadcast_to(v, (res.n_cases,))
    if v.size and not (v == v[0]).all():
        raise ValueError(f"{name} must be the same in all cases of a simulation (got {sorted(set(v.tolist()))[:3]})")
    return v[0] if v.size else np.asarray(res.param(name)).ravel()[0]


def price_escalation(res, cost_year: int) -> float:
    """Factor taking ``prices.*`` (EUR of ``prices.price_year``) to EUR of the cost year (HICP)."""
    from .indices import convert_money

    ok = res.ok
    py = int(float(_same(res, "prices.price_year", ok)))
    return float(convert_money(1.0, "EUR", py, to_currency="EUR", to_year=cost_year, kind="operating"))


def economics_from_params(res, spec: dict, cost_year: int, hours: np.ndarray):
    """The :class:`~carbonhub.costing.tea.Economics` of a simulation from its ``economics.*``
    parameters (per-case arrays where the cash-flow algebra allows: IRR, tax rate, build-up
    and fixed-OPEX fractions, land, salary)."""
    from .capital import CapitalFactors
    from .dcf import DCFParams
    from .tea import Economics

    ok = res.ok
    P = lambda k: res.param(f"economics.{k}").astype(float)  # noqa: E731
    one = lambda k: _same(res, f"economics.{k}", ok)  # noqa: E731
    sched = [float(one(f"construction_frac_y{i}")) for i in (1, 2, 3)]
    if abs(sum(sched) - 1.0) > 1e-9:
        raise ValueError(f"economics.construction_frac_y1..y3 = {sched[0]:g}, {sched[1]:g}, {sched[2]:g}: "
                         f"must sum to 1 (got {sum(sched):g})")
    while sched and sched[0] == 0.0:
        sched.pop(0)
    life = float(one("life_y"))
    if life != int(life):
        raise ValueError(f"economics.life_y = {life:g} y: expected a whole number of years")
    dep_years = float(one("depreciation_years"))
    if dep_years != int(dep_years):
        raise ValueError(f"economics.depreciation_years = {dep_years:g} y: expected a whole number of years")
    dcf = DCFParams(irr=P("irr"), life_y=int(life), construction_schedule=tuple(sched),
                    income_tax_rate=P("income_tax_rate"), depreciation=str(one("depreciation")),
                    depreciation_years=int(dep_years),
                    startup_fraction_of_year=float(one("startup_fraction_of_year")),
                    startup_revenue_factor=float(one("startup_revenue_factor")),
                    startup_variable_cost_factor=float(one("startup_variable_cost_factor")),
                    startup_fixed_cost_factor=float(one("startup_fixed_cost_factor")))
    cap = CapitalFactors(
        warehouse_frac_isbl=P("warehouse_frac_isbl"), site_development_frac_isbl=P("site_development_frac_isbl"),
        additional_piping_frac_isbl=P("additional_piping_frac_isbl"), prorateable_frac_tdc=P("prorateable_frac_tdc"),
        field_expenses_frac_tdc=P("field_expenses_frac_tdc"), home_office_frac_tdc=P("home_office_frac_tdc"),
        project_contingency_frac_tdc=P("project_contingency_frac_tdc"),
        other_costs_frac_tdc=P("startup_costs_frac_tdc"), working_capital_frac_fci=P("working_capital_frac_fci"),
        land_eur=P("land_eur"))
    maturity = str(one("maturity"))
    maturity = int(maturity[3:]) if maturity.startswith("trl") else maturity
    k_price = price_escalation(res, cost_year)
    return Economics(cost_year=cost_year, operating_hours_per_y=float(np.median(hours)),
                     reference_product=spec.get("reference_product"), default_maturity=maturity,
                     dcf=dcf, capital=cap, maintenance_frac_isbl=P("maintenance_frac_isbl"),
                     insurance_tax_frac_fci=P("insurance_tax_frac_fci"), labour_burden_frac=P("labour_burden_frac"),
                     operator_salary_eur_per_y=P("operator_salary_eur_per_y") * k_price,
                     utilities_allowance_frac=P("utilities_allowance_frac"))
