"""The flexible-operation section of the HTML report: key figures, the price duration curve
with the dispatch and the buffers over a representative week. :func:`flex_report_html` puts it
at the top of the route's own report (``carbonhub run --report``) of the steady-state case."""
from __future__ import annotations

import html as _html
from typing import Any, Mapping

from carbonhub.flex.dispatch import Dispatch

__all__ = ["flex_section_html", "flex_report_html"]

ROWS = (
    ("msp_eur_per_t", "MSP, flexible operation", "EUR/t"),
    ("msp_flat_eur_per_t", "MSP, flat operation at the same average price", "EUR/t"),
    ("msp_saving_eur_per_t", "saving", "EUR/t"),
    ("price_mean_eur_per_MWh", "average price of the profile", "EUR/MWh"),
    ("price_paid_eur_per_MWh", "average price paid", "EUR/MWh"),
    ("electricity_cost_eur_per_t", "electricity cost per t of product", "EUR/t"),
    ("electricity_cost_flat_eur_per_t", "electricity cost per t, flat operation", "EUR/t"),
    ("electrolyser_capacity_MW", "electrolyser capacity", "MW"),
    ("electrolyser_capacity_factor", "electrolyser capacity factor", "-"),
    ("electrolyser_hours_run", "electrolyser hours run (of the profile)", "h"),
    ("synthesis_capacity_rel", "synthesis capacity (1 = steady state)", "-"),
    ("synthesis_capacity_factor", "synthesis capacity factor", "-"),
    ("h2_storage_kg", "H2 store", "kg"),
    ("h2_storage_hours_of_h2", "H2 store, hours of steady-state H2", "h"),
    ("methanol_storage_t", "methanol tank", "t"),
    ("grid_co2_t_per_t", "grid CO2, flexible", "t CO2/t"),
    ("grid_co2_flat_t_per_t", "grid CO2, flat operation", "t CO2/t"),
)


def _e(x: Any) -> str:
    return _html.escape(str(x), quote=True)


def flex_section_html(d: Dispatch, kpis: Mapping[str, Any]) -> str:
    """``<section id="flex">`` with the KPI table and the two figures."""
    from carbonhub.report._util import fmt
    from carbonhub.report.html import fig_to_img

    from carbonhub.flex.plots import price_duration_plot, storage_week_plot

    rows = "".join(f'<tr><td class="stub">{_e(label)}</td><td class="num">{_e(fmt(kpis[k]))}</td>'
                   f'<td class="txt">{_e(unit)}</td></tr>' for k, label, unit in ROWS if k in kpis)
    lp = kpis.get("lp", {})
    note = (f"<p>Profile <b>{_e(d.profile.name)}</b>; H2 store: {_e(d.plant.storage)}. Sizes and the "
            "hourly dispatch minimise the route's MSP at the same annual product "
            f"(linear programme, HiGHS: {lp.get('n_variables', '?')} variables, "
            f"{lp.get('n_constraints', '?')} constraints, {lp.get('iterations', '?')} linearisation(s)). "
            "The MSPs are the route's own TEA at these sizes and this electricity bill.</p>")
    import matplotlib.pyplot as plt

    figs = []
    for make, alt in ((price_duration_plot, "price duration curve with dispatch"),
                      (storage_week_plot, "storage over a representative week")):
        fig = make(d)
        figs.append(fig_to_img(fig, alt=alt))
        plt.close(fig)
    table = (f'<div class="tablewrap"><table><thead><tr><th class="stub">figure</th><th>value</th>'
             f"<th>unit</th></tr></thead><tbody>{rows}</tbody></table></div>")
    return f'<section id="flex"><h2>Flexible operation</h2>{note}{table}{"".join(figs)}</section>'


def flex_report_html(d: Dispatch, kpis: Mapping[str, Any]) -> str:
    """The route's HTML report of the steady-state case with the flexible-operation section
    first."""
    from carbonhub.report import html_report

    res = d.plant.result
    page = html_report(res.flowsheet, res, title=f"carbonhub flexible operation: {d.plant.route}")
    sec = flex_section_html(d, kpis)
    page = page.replace('<section id="summary">', sec + '<section id="summary">', 1)
    return page.replace("<nav>", '<nav><a href="#flex">Flexible operation</a>\n', 1)
