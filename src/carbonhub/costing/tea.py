"""Techno-economic evaluation of a plant, vectorised over cases: units -> capital -> OPEX ->
DCF (NPV, minimum selling price, levelised cost) -> carbon/CO2 KPIs.

Inputs are plain dicts of arrays of shape ``(n_cases,)`` (or scalars, broadcast):

``units`` -- list of dicts, one per unit::

    {"unit_id": "hx1",
     "item": "turton.heat_exchanger_fixed_tube" | "sslw.heat_exchanger" | "ref.<block>"
             | "declared",
     "size": array [size_unit], "size_unit": "m2",
     "material": "CS/SS" | None, "pressure_barg": array | None,
     "maturity": "nth" | "foak" | TRL | fraction   (default Economics.default_maturity),
     "osbl": False,            # outside battery limits (utilities, storage, water treatment)
     "labour": "fluid" | "solids" | "none"   (Turton operator count; default from the item),
     "params": {...},          # item-specific: diameter_m, n_trays, superheat_K,
                               # tube_side_only, (sslw) options and head_m, power_kW, ...
     "install_factor": float,  # required for sslw items (purchase -> installed)
     # "declared" items: "purchased_cost" (or "installed_cost" or "fixed_capital_cost"),
     #                   "cost_currency", "cost_year", "install_factor"
     "active": array of 0/1,   # per case: 0 where the unit is not costed here (other choice)
     "included_in": array of str | None,  # per case: unit id whose block covers this scope
    }

Cost basis: every unit's cost enters the TCI build-up as an installed cost (Turton bare-module,
SSLW purchase x install factor, reference-plant entries by their declared ``basis``: purchased
x install_factor, installed as is) or, for ``basis: fixed_capital`` entries (all-in cost of a
complete unit), straight into the fixed capital with no factor applied again. A unit whose
scope sits inside another unit's block (``includes``) costs zero there; ``UnitCost.included_in``
says where its cost is.

``flows`` -- annual quantities and optional per-case price overrides, see
:mod:`carbonhub.costing.opex` (e.g. ``"electricity_MWh_per_y"``,
``"feedstock_wood_chips_t_per_y"``, ``"feedstock_price_eur_per_t"``).

``products`` -- ``{product: t/y}``; ``main_product`` names the one whose minimum selling price
is computed; by-product prices come from ``byproduct_prices`` or prices.yaml
(``<product>_eur_per_t``).

Costs are escalated to ``Economics.cost_year`` with CEPCI in their quoted currency and
converted to EUR at the cost year's exchange rate (:mod:`carbonhub.costing.indices`).

Example
-------
>>> import numpy as np
>>> from carbonhub.costing.tea import evaluate_tea
>>> units = [{"unit_id": "E1", "item": "turton.heat_exchanger_fixed_tube",
...           "size": np.array([100.0, 200.0]), "size_unit": "m2"},
...          {"unit_id": "K1", "item": "turton.compressor_centrifugal",
...           "size": np.array([1000.0, 1500.0]), "size_unit": "kW"}]
>>> flows = {"electricity_MWh_per_y": np.array([8000.0, 12000.0])}
>>> r = evaluate_tea(units, flows, {"methanol": np.array([20e3, 30e3])},
...                  main_product="methanol")
>>> r.msp_eur_per_t.shape, bool(np.all(np.abs(r.npv_at(r.msp_eur_per_t)) < 1e-3))
((2,), True)

References
----------
.. [1] Humbird, D. et al. (2011). NREL/TP-5100-47764, doi:10.2172/1013269.
.. [2] Turton, R. et al. (2012). ISBN 978-0-13-261812-0, Appendix A and Chapter 8.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Mapping, Sequence

import numpy as np

from carbonhub.costing import co2 as _co2
from carbonhub.costing.capital import CapitalBreakdown, CapitalFactors, lang_tci, tci_buildup
from carbonhub.costing.dcf import (CashFlowInputs, DCFParams, levelised_cost,
                                   minimum_selling_price, msp_breakdown, npv)
from carbonhub.costing.indices import convert_money
from carbonhub.costing.opex import fixed_opex, operators_per_shift_turton, variable_opex
from carbonhub.costing.unit_costs import UnitCost, cost_units, labour_class
from carbonhub.data import load_yaml

__all__ = ["Economics", "TEAResult", "evaluate_tea"]



@lru_cache(maxsize=1)
def _tea_defaults() -> dict:
    return load_yaml("tea_defaults.yaml")


@dataclass(frozen=True)
class Economics:
    """Economic parameters of an evaluation (defaults from property_data/tea_defaults.yaml).

    Attributes
    ----------
    cost_year : int
        Year of every cost result (CEPCI and exchange rate of that year).
    currency : str
        Currency of every result; ``"EUR"`` (prices are in EUR).
    dcf : DCFParams
        IRR, life, tax, construction schedule, depreciation, start-up.
    capital : CapitalFactors
        TCI build-up fractions.
    capital_method : {"factored", "lang"}
        Factored build-up from installed costs, or the Lang shortcut on purchased costs.
    lang_plant_type : {"solids", "mixed", "fluids"}
        Lang factor choice when ``capital_method == "lang"``.
    default_maturity : str or int
        Maturity of units that do not state one (``"nth"``).
    operators_per_shift : float or ndarray, optional
        Operator positions per shift; None = Turton Eq. 8.3 from the unit list.
    operators_hired_per_position, operator_salary_eur_per_y, labour_burden_frac,
    maintenance_frac_isbl, insurance_tax_frac_fci : float, optional
        Fixed-OPEX parameters; None = tea_defaults.yaml.
    other_fixed_eur_per_y : float or ndarray
        Further fixed costs [EUR/y].
    operating_hours_per_y : float
        On-stream hours [h/y], for :meth:`annual` (flows are given per year).
    prices : mapping
        ``"<name>_eur_per_<unit>"`` -> price, overriding prices.yaml.
    reference_product : str or float, optional
        Fossil reference of the main product for CO2 avoided (name or t CO2eq/t).
    reference_price_eur_per_t : float or ndarray, optional
        Price of the fossil reference, for the cost of CO2 avoided (default prices.yaml
        ``<main_product>_eur_per_t``).
    grid_ef_t_per_MWh : float or ndarray
        Emission factor of imported electricity [t CO2eq/MWh]; 0 = not counted.
    utilities_allowance_frac : float or ndarray
        Cooling water and site utilities as an allowance of the other installed costs instead
        of their equipment (:mod:`carbonhub.costing.utilities_allowance`); 0 = equipment.
    """

    cost_year: int = 2023
    currency: str = "EUR"
    dcf: DCFParams = field(default_factory=DCFParams)
    capital: CapitalFactors = field(default_factory=CapitalFactors)
    capital_method: str = "factored"
    lang_plant_type: str = "fluids"
    default_maturity: str | int = "nth"
    operators_per_shift: Any = None
    operators_hired_per_position: Any = None
    operator_salary_eur_per_y: Any = None
    labour_burden_frac: Any = None
    maintenance_frac_isbl: Any = None
    insurance_tax_frac_fci: Any = None
    other_fixed_eur_per_y: Any = 0.0
    operating_hours_per_y: float = field(default_factory=lambda: float(
        _tea_defaults()["operation"]["operating_hours_per_y"]["value"]))
    prices: Mapping[str, Any] = field(default_factory=dict)
    reference_product: str | float | None = None
    reference_price_eur_per_t: Any = None
    grid_ef_t_per_MWh: Any = 0.0
    utilities_allowance_frac: Any = 0.0

    def __post_init__(self) -> None:
        if str(self.currency).upper() != "EUR":
            raise ValueError(f"currency {self.currency!r} not supported: results are in EUR "
                             "(prices are EUR); convert with costing.indices.to_currency")
        if self.capital_method not in ("factored", "lang"):
            raise ValueError(f"capital_method must be 'factored' or 'lang', got "
                             f"{self.capital_method!r}")
        if not 0 < self.operating_hours_per_y <= 8784:
            raise ValueError(f"operating_hours_per_y must be in (0, 8784], got "
                             f"{self.operating_hours_per_y!r}")

    def with_dcf(self, **kw: Any) -> "Economics":
        """A copy with DCF fields changed, e.g. ``econ.with_dcf(irr=0.08, life_y=25)``."""
        return replace(self, dcf=replace(self.dcf, **kw))

    def annual(self, per_hour):
        """Convert a rate per on-stream hour to per year: ``x * operating_hours_per_y``."""
        return np.asarray(per_hour, dtype=float) * self.operating_hours_per_y


@dataclass
class TEAResult:
    """Results of :func:`evaluate_tea`: arrays of shape (n_cases,) [EUR, cost year] and tables."""

    cost_year: int
    currency: str
    main_product: str
    tci_eur: np.ndarray
    capex_eur: np.ndarray
    opex_eur_per_y: np.ndarray
    fixed_opex_eur_per_y: np.ndarray
    variable_opex_eur_per_y: np.ndarray
    byproduct_revenue_eur_per_y: np.ndarray
    msp_eur_per_t: np.ndarray
    npv_eur: np.ndarray
    levelised_cost_eur_per_t: np.ndarray
    n_trains: dict[str, np.ndarray]
    unit_costs: dict[str, UnitCost]
    capital: CapitalBreakdown
    fixed_opex: dict[str, np.ndarray]
    variable_opex: dict[str, np.ndarray]
    co2: dict[str, np.ndarray]
    cash_flow_inputs: CashFlowInputs
    dcf: DCFParams
    unit_areas: dict[str, str] = field(default_factory=dict)
    """Plant area of each cost row (``unit["area"]``)."""

    @property
    def n_cases(self) -> int:
        return int(np.size(self.tci_eur))

    def npv_at(self, price) -> np.ndarray:
        """NPV [EUR] at main-product price ``price`` [EUR/t] (target-IRR discounting)."""
        return npv(price, self.cash_flow_inputs, self.dcf)

    def unit_table(self, case: int = 0):
        """DataFrame per unit: item, n_trains, purchased_eur, installed_eur, share of installed."""
        import pandas as pd

        def at(v):
            a = np.atleast_1d(np.asarray(v))
            return a[case if a.size > 1 else 0]

        df = pd.DataFrame([{"unit_id": uid, "item": uc.item, "n_trains": int(at(uc.n_trains)),
                            "purchased_eur": float(at(uc.purchased_eur)),
                            "installed_eur": float(at(uc.installed_eur))}
                           for uid, uc in self.unit_costs.items()]).set_index("unit_id")
        df["share_of_installed"] = df["installed_eur"] / df["installed_eur"].sum()
        return df

    def category_table(self, case: int = 0):
        """DataFrame of capital categories [EUR] and annual cost categories [EUR/y]."""
        import pandas as pd

        def at(v):
            a = np.atleast_1d(np.asarray(v, dtype=float))
            return float(a[case if a.size > 1 else 0])

        rows = [("capital", k, at(v), "EUR") for k, v in self.capital.items()]
        rows += [("fixed_opex", k, at(v), "EUR/y") for k, v in self.fixed_opex.items()]
        rows += [("variable_opex", k, at(v), "EUR/y") for k, v in self.variable_opex.items()]
        rows += [("revenue", "byproducts", at(self.byproduct_revenue_eur_per_y), "EUR/y")]
        return pd.DataFrame(rows, columns=["kind", "category", "value", "unit"]).set_index(
            ["kind", "category"])

    def capital_by_area(self) -> dict[str, np.ndarray]:
        """Installed cost by plant area [EUR] (complete units at their all-in cost), areas of
        :data:`carbonhub.costing.areas.AREAS` in order; units without an area in ``other``."""
        from carbonhub.costing.areas import AREAS

        n = self.n_cases
        out = {a: np.zeros(n) for a in AREAS}
        for uid, uc in self.unit_costs.items():
            a = self.unit_areas.get(uid, "other")
            out[a] = out.get(a, np.zeros(n)) + np.broadcast_to(np.asarray(uc.installed_eur, dtype=float), (n,))
        return out

    def msp_breakdown(self) -> dict[str, np.ndarray]:
        """Contributions to the MSP [EUR/t] per case (capital, each OPEX item, by-product
        credit); they add up to ``msp_eur_per_t``. See :func:`carbonhub.costing.dcf.msp_breakdown`.
        """
        var = {k: v for k, v in self.variable_opex.items() if k != "total"}
        fix = {k: v for k, v in self.fixed_opex.items() if k != "total"}
        return msp_breakdown(self.cash_flow_inputs, self.dcf, variable=var, fixed=fix)

    def cost_tables(self, case: int | None = None) -> dict:
        """The cost tables for reports: ``by_unit`` (installed cost per unit [EUR]),
        ``by_category`` (capital build-up [EUR]), ``opex`` (annual costs [EUR/y], by-product
        credit negative) and ``msp`` (MSP contributions [EUR/t]).

        ``case`` given: one column ``value`` per table. ``case=None``: one integer column per
        case (``0 .. n-1``; meant for small batches).
        """
        import pandas as pd

        n = self.n_cases
        cols = range(n) if case is None else [case]

        def table(d: Mapping[str, Any], label: str):
            data = {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for k, v in d.items()}
            df = pd.DataFrame({c: {k: float(v[c]) for k, v in data.items()} for c in cols})
            df.index.name = label
            return df.rename(columns={case: "value"}) if case is not None else df

        opex = {k: v for k, v in self.variable_opex.items() if k != "total"}
        opex.update({k: v for k, v in self.fixed_opex.items() if k != "total"})
        opex["byproduct_credit"] = -np.asarray(self.byproduct_revenue_eur_per_y)
        return {"by_unit": table({u: c.installed_eur for u, c in self.unit_costs.items()},
                                 "unit"),
                "by_category": table(dict(self.capital), "category"),
                "opex": table(opex, "category"), "msp": table(self.msp_breakdown(), "category")}

    def kpis(self):
        """DataFrame, one row per case, with the DESIGN.md KPI names available here."""
        import pandas as pd

        return pd.DataFrame(self.kpi_columns())

    def kpi_columns(self) -> dict[str, np.ndarray]:
        """The columns of :meth:`kpis` as arrays (n_cases,), read-only views, without the table."""
        n = self.n_cases
        cols = {"tci_eur": self.tci_eur, "capex_eur": self.capex_eur,
                "opex_eur_per_y": self.opex_eur_per_y, "msp_eur_per_t": self.msp_eur_per_t,
                "npv_eur": self.npv_eur,
                "levelised_cost_eur_per_t": self.levelised_cost_eur_per_t}
        br = self.msp_breakdown()
        credit = (np.asarray(br.get("steam_export", np.zeros(n)), dtype=float)  # the steam credit:
                  + np.asarray(br.get("power_island_electricity", np.zeros(n)), dtype=float))  # its power
        cols["steam_credit_eur_per_t"] = -credit
        cols["msp_no_steam_credit_eur_per_t"] = np.asarray(self.msp_eur_per_t) - credit
        for area, v in self.capital_by_area().items():
            cols[f"capital_{area}_eur"] = v
        cols.update(self.co2)
        for uid, nt in self.n_trains.items():
            cols[f"n_trains.{uid}"] = nt
        return {k: np.broadcast_to(np.asarray(v), (n,)) for k, v in cols.items()}


def _price(product: str, given: Mapping[str, Any] | None, econ: Economics):
    if given is not None and product in given:
        return given[product]
    key = f"{product}_eur_per_t"
    if key in econ.prices:
        return econ.prices[key]
    items = load_yaml("prices.yaml").get("items", {})
    if key in items:
        it = items[key]
        v = float(it["value"])
        return v if it.get("year") is None else float(convert_money(
            v, "EUR", it["year"], to_year=econ.cost_year, kind="operating"))
    return None


def evaluate_tea(units: Sequence[Mapping[str, Any]], flows: Mapping[str, Any],
                 products: Mapping[str, Any], *, main_product: str,
                 economics: Economics | None = None,
                 byproduct_prices: Mapping[str, Any] | None = None,
                 product_price_eur_per_t: Any = None,
                 carbon: Mapping[str, Mapping[str, Any]] | None = None,
                 catalysts: Mapping[str, Mapping[str, Any]] | None = None,
                 capex_factor: Any = 1.0) -> TEAResult:
    """Full cost, cash-flow and CO2 evaluation of every case.

    Parameters
    ----------
    units : list of dict
        Unit table (module docstring).
    flows : dict
        Annual flows and price overrides (:mod:`carbonhub.costing.opex`).
    products : dict
        Product -> output [t/y].
    main_product : str
        Product whose minimum selling price is computed.
    economics : Economics, optional
    byproduct_prices : dict, optional
        Product -> price [EUR/t] (default prices.yaml ``<product>_eur_per_t``).
    product_price_eur_per_t : float or ndarray, optional
        Main-product price for ``npv_eur`` (default prices.yaml; NaN if none).
    carbon : dict, optional
        ``{"feed": {origin: t C/y}, "products": {...}, "emitted": {...}, "captured": {...},
        "main_product": {...}}`` for the carbon and CO2 KPIs; captured CO2 is taken as stored.
    catalysts : dict, optional
        ``{name: {"inventory_kg": ..., "life_y": ...}}``: priced as ``"<name>_kg_per_y"``
        (inventory / life) at ``<name>_eur_per_kg``.
    capex_factor : float or ndarray
        Multiplier on every unit's purchased and installed cost (sensitivity and inverse
        TEA: "what CAPEX would reach a target price?").

    Returns
    -------
    TEAResult
    """
    from carbonhub.costing.opex import catalyst_replacement_kg_per_y
    from carbonhub.costing.utilities_allowance import apply_utilities_allowance

    econ = economics or Economics()
    if main_product not in products:
        raise ValueError(f"main_product {main_product!r} not in products {sorted(products)}")
    ucs = cost_units(units, econ.cost_year)
    if not ucs:
        raise ValueError("evaluate_tea: the unit table is empty")
    cf = np.asarray(capex_factor, dtype=float)
    if np.any(~np.isfinite(cf)) or np.any(cf <= 0):
        raise ValueError(f"capex_factor = {capex_factor!r}: expected finite values > 0")
    if not np.all(cf == 1.0):
        ucs = {u: replace(c, purchased_eur=c.purchased_eur * cf, installed_eur=c.installed_eur * cf)
               for u, c in ucs.items()}
    units, ucs = apply_utilities_allowance(units, ucs, econ.utilities_allowance_frac)
    if econ.capital_method == "factored":
        cap = tci_buildup({u: c.installed_eur for u, c in ucs.items()},
                          maturity={str(u["unit_id"]): econ.default_maturity
                                    if u.get("maturity") is None else u["maturity"]
                                    for u in units},
                          osbl={str(u["unit_id"]): bool(u.get("osbl", False)) for u in units},
                          factors=econ.capital,
                          fixed_capital={u: c.basis == "fixed_capital" for u, c in ucs.items()})
        # maintenance base: ISBL installed cost, complete units at their all-in cost
        isbl = cap["isbl_installed"] + cap["complete_units_fixed_capital"]
    else:
        purchased = sum(c.purchased_eur for c in ucs.values())
        cap = lang_tci(purchased, plant_type=econ.lang_plant_type,
                       working_capital_frac_fci=econ.capital.working_capital_frac_fci,
                       land_eur=econ.capital.land_eur)
        isbl = sum(c.installed_eur for c in ucs.values())
    if econ.operators_per_shift is None:
        cls = [labour_class(u) for u in units]
        ops = operators_per_shift_turton(cls.count("solids"), cls.count("fluid"))
    else:
        ops = econ.operators_per_shift
    fx = fixed_opex(cap.fci, isbl, operators_per_shift=ops,
                    operators_hired_per_position=econ.operators_hired_per_position,
                    salary_eur_per_y=econ.operator_salary_eur_per_y,
                    labour_burden_frac=econ.labour_burden_frac,
                    maintenance_frac_isbl=econ.maintenance_frac_isbl,
                    insurance_tax_frac_fci=econ.insurance_tax_frac_fci,
                    other_fixed_eur_per_y=econ.other_fixed_eur_per_y)
    all_flows = dict(flows)
    for name, c in (catalysts or {}).items():
        all_flows[f"{name}_kg_per_y"] = catalyst_replacement_kg_per_y(c["inventory_kg"],
                                                                      c["life_y"])
    vx = variable_opex(all_flows, econ.prices, cost_year=econ.cost_year)
    by_rev = np.asarray(0.0)
    for p, q in products.items():
        if p == main_product:
            continue
        price = _price(p, byproduct_prices, econ)
        if price is None:
            raise ValueError(f"no price for by-product {p!r}: give byproduct_prices[{p!r}] or "
                             f"prices.yaml items.{p}_eur_per_t")
        by_rev = by_rev + np.asarray(q, dtype=float) * np.asarray(price, dtype=float)
    n = max(np.size(cap.tci), np.size(products[main_product]), np.size(vx["total"]))
    cfi = CashFlowInputs(fci=cap.fci, main_product_t_per_y=np.asarray(products[main_product],
                                                                      dtype=float),
                         variable_opex_eur_per_y=vx["total"], fixed_opex_eur_per_y=fx["total"],
                         byproduct_revenue_eur_per_y=by_rev,
                         working_capital_eur=cap["working_capital"], land_eur=cap["land"])
    msp = np.broadcast_to(minimum_selling_price(cfi, econ.dcf), (n,))
    lcop = np.broadcast_to(levelised_cost(cfi, econ.dcf), (n,))
    price = product_price_eur_per_t if product_price_eur_per_t is not None else \
        _price(main_product, None, econ)
    npv_v = np.full(n, np.nan) if price is None else np.broadcast_to(npv(price, cfi, econ.dcf),
                                                                      (n,))
    co2_out: dict[str, np.ndarray] = {}
    if carbon is not None:
        co2_out = _co2.carbon_kpis(carbon.get("feed", {}), carbon.get("products", {}),
                                   carbon.get("emitted"), carbon.get("captured"))
        if econ.reference_product is not None:
            fossil = _co2.fossil_like_origins()
            mp = carbon.get("main_product", carbon.get("products", {}))
            cap_c = carbon.get("captured") or {}
            av = _co2.co2_avoided(
                products[main_product], econ.reference_product,
                direct_fossil_co2_t_per_y=co2_out["co2_emitted_fossil_like_t_per_y"],
                electricity_MWh_per_y=flows.get("electricity_MWh_per_y", 0.0),
                grid_ef_t_per_MWh=econ.grid_ef_t_per_MWh,
                product_fossil_c_t_per_y=sum((np.asarray(v, dtype=float) for o, v in mp.items()
                                              if o in fossil), np.asarray(0.0)),
                stored_nonfossil_co2_t_per_y=_co2.co2_per_c() * sum(
                    (np.asarray(v, dtype=float) for o, v in cap_c.items() if o not in fossil),
                    np.asarray(0.0)))
            co2_out.update(av)
            ref_price = econ.reference_price_eur_per_t if econ.reference_price_eur_per_t \
                is not None else _price(main_product, None, econ)
            if ref_price is not None:
                co2_out["co2_avoided_cost_eur_per_t"] = _co2.co2_avoidance_cost(
                    msp, ref_price, products[main_product], av["co2_avoided_t_per_y"])
    fx = {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for k, v in fx.items()}
    vx = {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for k, v in vx.items()}
    fixed_total, var_total = fx["total"], vx["total"]
    return TEAResult(
        cost_year=econ.cost_year, currency="EUR", main_product=main_product,
        tci_eur=np.broadcast_to(cap.tci, (n,)), capex_eur=np.broadcast_to(cap.fci, (n,)),
        opex_eur_per_y=fixed_total + var_total, fixed_opex_eur_per_y=fixed_total,
        variable_opex_eur_per_y=var_total,
        byproduct_revenue_eur_per_y=np.broadcast_to(by_rev, (n,)), msp_eur_per_t=msp,
        npv_eur=npv_v, levelised_cost_eur_per_t=lcop,
        n_trains={u: c.n_trains for u, c in ucs.items()}, unit_costs=ucs, capital=cap,
        fixed_opex=fx, variable_opex=vx, co2=co2_out, cash_flow_inputs=cfi, dcf=econ.dcf,
        unit_areas={str(u["unit_id"]): str(u["area"]) for u in units if u.get("area")})
