"""Excel export of the TEA of one case (``carbonhub run ROUTE --xlsx OUT.xlsx``): a workbook a
reader can audit, with live formulas.

Sheets
------
``Inputs``      cost year, currency, finance parameters, annual quantities (values from the run)
``Capital``     one row per cost item (item, area, basis, where an included unit's cost sits,
                installed cost split ISBL / OSBL / complete unit) and the factored build-up as
                formulas: TIC, warehouse, site development, piping, TDC, indirects, FCI,
                working capital, TCI
``Operating``   variable costs (credits negative) and fixed costs, with totals as formulas
``Cash flow``   one row per year: construction spend, start-up factors, depreciation, the cash
                flow without the main product's revenue and the revenue per EUR/t of price;
                MSP = -NPV(price 0) / (dNPV/dprice) at the target IRR as a formula, and the
                cash flow and NPV at that MSP (NPV = 0)

The MSP the sheet computes equals the code's (:func:`carbonhub.costing.dcf.minimum_selling_price`)
because it is the same algebra on the same numbers: tax losses are credited in the year they
occur (NREL convention), so NPV is linear in the price. Money is in EUR of the cost year.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._util import money_label

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

__all__ = ["tea_workbook", "write_xlsx"]


def _at(v, case: int) -> float:
    a = np.atleast_1d(np.asarray(v, dtype=float))
    return float(a[case if a.size > 1 else 0])


def tea_workbook(res: "SimulationResult", case: int = 0):
    """An ``openpyxl.Workbook`` with the TEA of ``case`` (see the module docstring)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..costing.dcf import year_factors

    if "economics" not in res.flowsheet.groups:
        raise ValueError(f"route {res.flowsheet.name!r} has no economics: nothing to export to Excel")
    if not bool(np.asarray(res.ok)[case]):
        raise ValueError(f"case {case} did not solve ({res.status[case]}): no TEA to export")
    res.kpis
    tea = res.tea
    money = money_label(res)
    bold = Font(bold=True)
    wb = Workbook()

    # -- Inputs -------------------------------------------------------------------------------
    ws = wb.active
    ws.title = "Inputs"
    dcf = tea.dcf
    cfi = tea.cash_flow_inputs
    cap_f = res.flowsheet  # noqa: F841 (kept for clarity of the parameter names below)
    inputs = [
        ("route", res.flowsheet.name, ""),
        ("case", case, ""),
        ("cost year", tea.cost_year, ""),
        ("currency", money, ""),
        ("irr", _at(dcf.irr, case), "-"),
        ("income_tax_rate", _at(dcf.income_tax_rate, case), "-"),
        ("life_y", int(dcf.life_y), "y"),
        ("main_product_t_per_y", _at(cfi.main_product_t_per_y, case), "t/y"),
        ("byproduct_revenue", _at(cfi.byproduct_revenue_eur_per_y, case), f"{money}/y"),
    ]
    ws.append(["name", "value", "unit"])
    for c in ws[1]:
        c.font = bold
    ref = {}
    for name, v, unit in inputs:
        ws.append([name, v, unit])
        ref[name] = f"Inputs!$B${ws.max_row}"
    for key in ("warehouse_frac_isbl", "site_development_frac_isbl", "additional_piping_frac_isbl",
                "prorateable_frac_tdc", "field_expenses_frac_tdc", "home_office_frac_tdc",
                "project_contingency_frac_tdc", "other_costs_frac_tdc", "working_capital_frac_fci"):
        ws.append([key, _at(getattr(_capital_factors(res, tea), key), case), "-"])
        ref[key] = f"Inputs!$B${ws.max_row}"
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 18

    # -- Capital ------------------------------------------------------------------------------
    wc = wb.create_sheet("Capital")
    wc.append(["cost item", "item", "area", "basis", "cost held by", f"ISBL installed, {money}",
               f"OSBL installed, {money}", f"complete unit (all-in), {money}"])
    for c in wc[1]:
        c.font = bold
    first = 2
    for uid, uc in tea.unit_costs.items():
        v = _at(uc.installed_eur, case)
        inc = "" if uc.included_in is None else str(np.atleast_1d(uc.included_in)[case if np.size(uc.included_in) > 1 else 0])
        osbl = tea.unit_areas.get(uid) in ("utilities", "osbl")
        cols = [0.0, 0.0, 0.0]
        cols[2 if uc.basis == "fixed_capital" else (1 if osbl else 0)] = v
        wc.append([uid, uc.item, tea.unit_areas.get(uid, ""), uc.basis, inc, *cols])
    last = wc.max_row
    wc.append([])
    cap = tea.capital

    def row(label, formula_or_value):
        wc.append([label, None, None, None, None, formula_or_value])
        return f"Capital!$F${wc.max_row}"

    isbl = row("ISBL installed", f"=SUM(F{first}:F{last})")
    osbl = row("OSBL installed", f"=SUM(G{first}:G{last})")
    complete = row("complete units (all-in fixed capital)", f"=SUM(H{first}:H{last})")
    tic = row("total installed cost (TIC)", f"={isbl}+{osbl}")
    wh = row("warehouse", f"={ref['warehouse_frac_isbl']}*{isbl}")
    sd = row("site development", f"={ref['site_development_frac_isbl']}*{isbl}")
    ap = row("additional piping", f"={ref['additional_piping_frac_isbl']}*{isbl}")
    pc = row("process contingency (by maturity, from the code)", _at(cap["process_contingency"], case))
    tdc = row("total direct cost (TDC)", f"={tic}+{wh}+{sd}+{ap}+{pc}")
    ind = [row(lab, f"={ref[k]}*{tdc}") for lab, k in (
        ("prorateable costs", "prorateable_frac_tdc"), ("field expenses", "field_expenses_frac_tdc"),
        ("home office and construction", "home_office_frac_tdc"),
        ("project contingency", "project_contingency_frac_tdc"), ("start-up and permits", "other_costs_frac_tdc"))]
    fci = row("fixed capital investment (FCI)", f"={tdc}+{'+'.join(ind)}+{complete}")
    wcap = row("working capital", f"={ref['working_capital_frac_fci']}*{fci}")
    land = row("land", _at(cap["land"], case))
    row("total capital investment (TCI)", f"={fci}+{wcap}+{land}")
    for c in ("A", "B", "E"):
        wc.column_dimensions[c].width = 30
    for c in ("F", "G", "H"):
        wc.column_dimensions[c].width = 22

    # -- Operating ----------------------------------------------------------------------------
    wo = wb.create_sheet("Operating")
    wo.append(["cost", f"{money}/y", "kind"])
    for c in wo[1]:
        c.font = bold
    r0 = 2
    for k, v in tea.variable_opex.items():
        if k != "total":
            wo.append([k, _at(v, case), "variable (credits negative)"])
    rv = wo.max_row
    for k, v in tea.fixed_opex.items():
        if k != "total":
            wo.append([k, _at(v, case), "fixed"])
    rf = wo.max_row
    wo.append(["variable total", f"=SUM(B{r0}:B{rv})", ""])
    var_tot = f"Operating!$B${wo.max_row}"
    wo.append(["fixed total", f"=SUM(B{rv + 1}:B{rf})", ""])
    fix_tot = f"Operating!$B${wo.max_row}"
    wo.column_dimensions["A"].width = 30
    wo.column_dimensions["B"].width = 18

    # -- Cash flow ----------------------------------------------------------------------------
    wf = wb.create_sheet("Cash flow")
    fac = year_factors(dcf)
    t = fac["t"]
    head = ["year t", "construction share", "revenue factor", "variable-cost factor", "fixed-cost factor",
            "depreciation share", "discount factor", f"cash flow at price 0, {money}",
            f"revenue per {money}/t of price", f"cash flow at the MSP, {money}"]
    wf.append(head)
    for c in wf[1]:
        c.font = bold
    tau, irr, q, by = ref["income_tax_rate"], ref["irr"], ref["main_product_t_per_y"], ref["byproduct_revenue"]
    f0 = 2
    fl = f0 + t.size - 1
    msp_cell = f"'Cash flow'!$B${fl + 2}"
    for i, ti in enumerate(t):
        r = f0 + i
        extra = ""
        if i == 0:
            extra += f"-{land}"
        if ti == 0:
            extra += f"-{wcap}"
        if i == t.size - 1:
            if dcf.recover_working_capital:
                extra += f"+{wcap}"
            if dcf.recover_land:
                extra += f"+{land}"
        wf.append([int(ti), float(fac["build"][i]), float(fac["q"][i]), float(fac["v"][i]), float(fac["f"][i]),
                   float(fac["dep"][i]), f"=(1+{irr})^(-A{r})",
                   f"=(1-{tau})*(C{r}*{by}-D{r}*{var_tot}-E{r}*{fix_tot})+{tau}*F{r}*{fci}-B{r}*{fci}{extra}",
                   f"=(1-{tau})*C{r}*{q}",
                   f"=H{r}+I{r}*{msp_cell}"])
    wf.append([])
    wf.append(["MSP", f"=-SUMPRODUCT(H{f0}:H{fl},G{f0}:G{fl})/SUMPRODUCT(I{f0}:I{fl},G{f0}:G{fl})",
               f"{money}/t", "minimum selling price of the main product at the target IRR"])
    wf.append(["NPV at the MSP", f"=SUMPRODUCT(J{f0}:J{fl},G{f0}:G{fl})", money, "zero by construction"])
    wf.append(["MSP (carbonhub)", _at(tea.msp_eur_per_t, case), f"{money}/t", "the code's value, for comparison"])
    for c, w in zip("ABCDEFGHIJ", (14, 18, 14, 18, 16, 18, 16, 24, 24, 24)):
        wf.column_dimensions[c].width = w
    return wb


def _capital_factors(res, tea):
    """The CapitalFactors used (from the route's economics.* parameters)."""
    from ..costing.finance import economics_from_params

    hours = res.param("economics.operating_hours").astype(float)
    return economics_from_params(res, res.flowsheet.economics_spec, tea.cost_year, hours).capital


def write_xlsx(res: "SimulationResult", path, case: int = 0) -> None:
    """Write :func:`tea_workbook` to ``path`` (atomically: a temporary file, then renamed)."""
    import io

    buf = io.BytesIO()
    tea_workbook(res, case).save(buf)
    _atomic_bytes(path, buf.getvalue())


def _atomic_bytes(path, data: bytes) -> None:
    import os
    import tempfile
    from pathlib import Path

    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, p)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
