"""Read the cost results of a simulation (``res.costs``) for tables, plots and the report.

``res.costs`` is optional (a result without costing has none). When present it is a dict of
pandas tables; this module accepts three layouts for each table, so that the costing package
is free to choose:

``"by_unit"`` (capital per unit [EUR]), ``"by_category"`` (capital build-up [EUR]),
``"opex"`` (operating cost per category [EUR/y], credits negative), optionally ``"msp"``
(contributions to the minimum selling price [EUR/t]).

1. wide by case: index = label (unit id / category), integer columns ``0 .. n-1``;
2. long: a ``"case"`` column, a label column (``unit``, ``category``, ``item`` or ``name``, or
   the index) and value column(s);
3. one case: index = label, value column(s) (e.g. ``EUR``, ``installed_eur``).

A mapping ``{label: array (n,) or scalar}`` is accepted too. When several value columns exist
the preferred one is the first whose name contains, in order, "installed", "bare_module",
"total", "eur", "value", "cost"; otherwise the first numeric column.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..core.results import SimulationResult

TABLES = ("by_unit", "by_category", "opex", "msp")
_LABEL_COLUMNS = ("unit", "unit_id", "category", "item", "name", "label")
_PREFERRED = ("installed", "bare_module", "total", "eur", "value", "cost")

MSP_GROUPS = ("capital", "feedstock", "utilities", "O&M", "credits")
"""Groups of the MSP waterfall (capital includes return on and of capital and taxes)."""


def cost_results(res: "SimulationResult") -> dict[str, Any]:
    """``res.costs`` as a dict (empty when the result has no cost results)."""
    c = getattr(res, "costs", None)
    if c is None:
        return {}
    if isinstance(c, Mapping):
        return {k: v for k, v in c.items() if v is not None}
    return {k: getattr(c, k) for k in TABLES if getattr(c, k, None) is not None}


def has_costs(res: "SimulationResult") -> bool:
    """True when the result holds a capital (by unit or by category) or an opex table."""
    c = cost_results(res)
    return any(k in c for k in ("by_unit", "by_category", "opex"))


def _numeric_columns(df: "pd.DataFrame") -> list:
    import pandas as pd

    return [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and c != "case"]


def _pick_column(cols: list) -> Any:
    for key in _PREFERRED:
        for c in cols:
            if key in str(c).lower():
                return c
    return cols[0]


def _label_frame(df: "pd.DataFrame") -> "pd.DataFrame":
    for c in _LABEL_COLUMNS:
        if c in df.columns:
            return df.set_index(c)
    return df


def table_columns(table: Any, case: int) -> "pd.DataFrame":
    """All value columns of one case of a cost table: index = label, numeric columns."""
    import pandas as pd

    if table is None:
        return pd.DataFrame()
    if isinstance(table, pd.Series):
        table = table.to_frame("value")
    if isinstance(table, Mapping):
        vals = {}
        for k, v in table.items():
            a = np.asarray(v, dtype=float).reshape(-1)
            vals[str(k)] = float(a[case] if a.size > 1 else a[0]) if a.size else np.nan
        return pd.DataFrame({"value": pd.Series(vals, dtype=float)})
    df = table
    if "case" in df.columns:
        df = _label_frame(df[df["case"] == case])
        return df[_numeric_columns(df)]
    int_cols = [c for c in df.columns if isinstance(c, (int, np.integer))]
    if int_cols:
        col = case if case in int_cols else int_cols[0]
        return pd.DataFrame({"value": df[col].astype(float)})
    df = _label_frame(df)
    return df[_numeric_columns(df)]


def table_values(table: Any, case: int) -> "pd.Series":
    """One case of a cost table as a Series label -> value (the preferred value column)."""
    import pandas as pd

    cols = table_columns(table, case)
    if cols.empty or not len(cols.columns):
        return pd.Series(dtype=float)
    s = cols[_pick_column(list(cols.columns))].astype(float)
    s.index = [str(i) for i in s.index]
    return s


def capex_by_unit(res: "SimulationResult", case: int = 0) -> "pd.Series":
    """Capital per unit [EUR] (empty when unknown)."""
    return table_values(cost_results(res).get("by_unit"), case)


def capex_by_category(res: "SimulationResult", case: int = 0) -> "pd.Series":
    """Capital build-up per category [EUR] (empty when unknown)."""
    return table_values(cost_results(res).get("by_category"), case)


def opex_by_category(res: "SimulationResult", case: int = 0) -> "pd.Series":
    """Operating cost per category [EUR/y], credits negative; a ``total`` row is dropped."""
    s = table_values(cost_results(res).get("opex"), case)
    return s[[i for i in s.index if i.lower() not in ("total", "sum")]]


def unit_cost_records(res: "SimulationResult") -> dict[str, dict[str, np.ndarray]]:
    """Per unit id: {cost column: (n,) array} from the ``by_unit`` table, for the JSON."""
    table = cost_results(res).get("by_unit")
    if table is None:
        return {}
    n = res.n_cases
    cases = range(n) if _varies_by_case(table) else [0]
    out: dict[str, dict[str, np.ndarray]] = {}
    for i in cases:
        cols = table_columns(table, i)
        for label, row in cols.iterrows():
            rec = out.setdefault(str(label), {})
            for col, v in row.items():
                key = "installed_cost_eur" if col == "value" else str(col)
                rec.setdefault(key, np.full(n, np.nan))[i if len(cases) > 1 else slice(None)] = v
    return out


def _varies_by_case(table: Any) -> bool:
    import pandas as pd

    if isinstance(table, pd.DataFrame):
        return "case" in table.columns or any(isinstance(c, (int, np.integer)) for c in table.columns)
    if isinstance(table, Mapping):
        return any(np.size(v) > 1 for v in table.values())
    return False


def opex_group(category: str, value: float) -> str:
    """The MSP-waterfall group of an opex category (by name; negative values are credits)."""
    c = category.lower()
    if value < 0 or any(k in c for k in ("credit", "revenue", "byproduct", "by_product", "sale",
                                          "export")):
        return "credits"
    if "feed" in c:
        return "feedstock"
    if any(k in c for k in ("labour", "labor", "maint", "insurance", "tax", "overhead",
                            "fixed", "admin", "operat")):
        return "O&M"
    return "utilities"  # electricity, steam, cooling water, catalysts, chemicals, CO2, disposal


def main_product(res: "SimulationResult") -> str | None:
    """Name of the main product (a Sink with ``main=True``, else the first product sink)."""
    names = []
    for u in res.flowsheet.units.values():
        if getattr(u, "kind", "") == "sink" and getattr(u, "category", "") == "product":
            name = u.product or u.id
            if getattr(u, "main", False):
                return name
            names.append(name)
    return names[0] if names else None


def msp_contributions(res: "SimulationResult", case: int = 0) -> "pd.Series":
    """Contributions to the minimum selling price [EUR/t of main product], in MSP_GROUPS order,
    summing to ``msp_eur_per_t``.

    From ``res.costs["msp"]`` when the costing provides it (grouped with :func:`opex_group`
    unless its labels already are the groups); otherwise each opex category per tonne of main
    product goes to its group and *capital* is the remainder (capital recovery at the target
    IRR, including return on and of capital and income tax). Empty when there is no MSP.
    """
    import pandas as pd

    kpis = res.kpis
    if "msp_eur_per_t" not in kpis.columns:
        return pd.Series(dtype=float)
    msp = float(kpis["msp_eur_per_t"].iloc[case])
    if not np.isfinite(msp):
        return pd.Series(dtype=float)
    given = table_values(cost_results(res).get("msp"), case)
    groups = dict.fromkeys(MSP_GROUPS, 0.0)
    if len(given):
        for k, v in given.items():
            g = k if k in groups else ("capital" if "capital" in k.lower() else opex_group(k, v))
            groups[g] += float(v)
        return pd.Series(groups, dtype=float)
    opex = opex_by_category(res, case)
    product = main_product(res)
    col = f"products_t_per_h.{product}"
    if opex.empty or product is None or col not in kpis.columns:
        return pd.Series(dtype=float)
    from ..core.boundary import operating_hours

    t_per_y = float(kpis[col].iloc[case]) * float(operating_hours(res)[case])
    if not t_per_y > 0:
        return pd.Series(dtype=float)
    for k, v in opex.items():
        groups[opex_group(k, float(v))] += float(v) / t_per_y
    groups["capital"] = msp - sum(v for g, v in groups.items() if g != "capital")
    return pd.Series(groups, dtype=float)
