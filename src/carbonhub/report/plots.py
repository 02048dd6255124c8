"""Figures of a simulation result; each function returns a matplotlib ``Figure`` (no pyplot,
no global state; renders headless with Agg) and takes ``res`` and ``case`` (default: the first
ok case).

``ResultPlots(res)`` bundles them for notebooks: ``res.plot.sankey()``, ``.energy_sankey()``,
``.energy()``, ``.water()``, ``.costs()``, ``.waterfall()``, and ``.pfd()`` (the report's SVG
process flow diagram).

Example
-------
>>> import carbonhub as ch
>>> from carbonhub.unitops.sources import GasSource, Sink
>>> fs = ch.Flowsheet("demo", components=ch.ComponentSet.from_ids(["CO", "H2", "H2O"]))
>>> src = fs.add(GasSource("gas", {"CO": 1, "H2": 2, "H2O": 0.1}, flow=3.0))
>>> out = fs.add(Sink("out", category="product", product="syngas"))
>>> _ = fs.connect(src.outlets.out, out.inlets.feed)
>>> ResultPlots(fs.simulate()).water().axes[0].get_title()
'Process water balance, case 0'
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._util import fmt, shown_case, spread
from .costs import (capex_by_category, capex_by_unit, has_costs, msp_contributions,
                    opex_by_category)
from .flows import BalanceBars, energy_flows, site_water_flows, unit_duties, water_flows
from .sankey import sankey_carbon, sankey_energy

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

__all__ = ["sankey_carbon", "sankey_energy", "energy_balance", "water_balance", "cost_breakdown",
           "msp_waterfall", "kpi_cases", "ResultPlots", "NoCostResultsError"]

KIND_COLORS = {
    "feed": ["#3a9a3a", "#6cbf5a", "#9ad486", "#2e7a2e"],
    "electricity": ["#e6b800"], "heat": ["#e67e22", "#f0a35e"],
    "product": ["#2b6cb0", "#5a93d0", "#8ab6e6", "#1f4e8c"],
    "other": ["#8e7cc3", "#b4a7d6"], "loss": ["#b0b0b0"],
    "steam": ["#d35400"], "cooling": ["#5dade2"],
    "wastewater": ["#16a0a0"], "emission": ["#c0392b"], "reaction": ["#f0a35e"],
    "reuse": ["#1abc9c"], "recovered_water": ["#48c9b0"],
}


class NoCostResultsError(ValueError):
    """The result carries no cost results (simulate a flowsheet with costing)."""


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _stacked_pair(ax: Any, bars: BalanceBars, what: str) -> None:
    """Two stacked bars (in, out) with labelled segments and totals."""
    total = max(bars.total_in, bars.total_out, 1e-300)
    for x, frame, side in ((0.0, bars.inputs, -1), (1.0, bars.outputs, 1)):
        frame = frame[frame["value"] > 1e-6 * total]
        top = float(frame["value"].sum())
        y = top
        centres, labels, colors = [], [], []
        count: dict[str, int] = {}
        for lab, v, kind in frame.itertuples(index=False, name=None):
            pal = KIND_COLORS.get(kind, KIND_COLORS["other"])
            c = pal[count.get(kind, 0) % len(pal)]
            count[kind] = count.get(kind, 0) + 1
            ax.bar(x, v, bottom=y - v, width=0.5, color=c, edgecolor="white", lw=0.8)
            centres.append(y - v / 2)
            labels.append(f"{lab}: {fmt(v, 3)} {bars.unit} ({100 * v / total:.1f} %)")
            colors.append(c)
            y -= v
        ys = spread(centres, 0.055 * total, 0.03 * total, 1.05 * total)
        for yc, yl, lab in zip(centres, ys, labels):
            xt = x + side * 0.32
            ax.annotate(lab, xy=(x + side * 0.25, yc), xytext=(xt, yl), fontsize=8,
                        ha="left" if side > 0 else "right", va="center",
                        arrowprops=dict(arrowstyle="-", color="#999999", lw=0.6))
        ax.text(x, top + 0.02 * total, f"{fmt(top, 4)} {bars.unit}", ha="center", va="bottom",
                fontsize=8.5, fontweight="bold")
    ax.set_xticks([0, 1], [f"{what} in", f"{what} out"])
    ax.set_xlim(-2.5, 3.5)
    ax.set_ylim(0, 1.1 * total)
    ax.set_yticks([])  # every segment carries its value: no y axis to collide with the labels
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def energy_balance(res: "SimulationResult", case: int | None = None) -> Any:
    """Energy in (feed LHV, electricity, heat) and out (product LHV, other outlets, losses)
    [MW], and the heat and power of each unit."""
    case = shown_case(res, case)
    bars = energy_flows(res, case)
    duties = unit_duties(res, case)
    fig = _figure(12.0, max(4.4, 0.3 * len(duties) + 1.8))
    ax, ax2 = fig.subplots(1, 2, width_ratios=[1.9, 1.0])
    _stacked_pair(ax, bars, "energy")
    k = res.kpis
    eff = float(k["energy_efficiency_lhv"].iloc[case]) if "energy_efficiency_lhv" in k else np.nan
    note = f"\nLHV efficiency {100 * eff:.1f} %" if np.isfinite(eff) else ""
    if note and "energy_efficiency_products_lhv" in k:
        note += (f" with exported utilities, "
                 f"{100 * float(k['energy_efficiency_products_lhv'].iloc[case]):.1f} % products only")
    ax.set_title(f"Energy balance, case {case}{note}", fontsize=10.5)
    if duties.empty:
        ax2.text(0.5, 0.5, "no unit adds or removes heat or power", ha="center", va="center")
        ax2.axis("off")
    else:
        y = np.arange(len(duties))[::-1]
        big = float(np.abs(duties[["heat_MW", "power_MW"]].to_numpy()).max()) >= 1.0
        f, unit = (1.0, "MW") if big else (1e3, "kW")
        ax2.barh(y + 0.18, duties["heat_MW"] * f, height=0.36,
                 color=np.where(duties["heat_MW"] >= 0, "#e67e22", "#3a7fc1"), label="heat")
        ax2.barh(y - 0.18, duties["power_MW"] * f, height=0.36, color="#e6b800", label="power")
        ax2.set_yticks(y, duties["unit"])
        ax2.axvline(0, color="k", lw=0.8)
        ax2.set_xlabel(f"{unit} added (negative: removed)")
        ax2.set_title("Heat (orange: heating, blue: cooling)\nand power (yellow) per unit",
                      fontsize=10)
        for side in ("top", "right"):
            ax2.spines[side].set_visible(False)
    return fig


def water_balance(res: "SimulationResult", case: int | None = None) -> Any:
    """Left: the process's water in by source and out to wastewater, air, products and
    reactions [t/h]. Right: the site's water (:func:`carbonhub.report.flows.site_water_flows`):
    raw-water intake, cooling tower, demineralisation, effluent, and the reuse loop (treated
    water back to the intake, an arrow between the two ``reuse`` segments)."""
    case = shown_case(res, case)
    bars = water_flows(res, case)
    fig = _figure(15.0, 4.8)
    ax, ax2 = fig.subplots(1, 2)
    if bars.total_in <= 0 and bars.total_out <= 0:
        ax.text(0.5, 0.5, "no water crosses the flowsheet boundary", ha="center", va="center")
        ax.axis("off")
    else:
        _stacked_pair(ax, bars, "water")
    ax.set_title(f"Process water balance, case {case}")
    site = site_water_flows(res, case)
    if site.total_in <= 0:
        ax2.text(0.5, 0.5, "no site water", ha="center", va="center")
        ax2.axis("off")
        return fig
    _stacked_pair(ax2, site, "site water")
    reused = float(site.inputs.loc[site.inputs["kind"] == "reuse", "value"].sum())
    if reused > 0:  # the reuse rows are the last of both bars: the bottom segments [0, reused]
        ax2.annotate("", xy=(0.26, reused / 2), xytext=(0.74, reused / 2),
                     arrowprops=dict(arrowstyle="-|>", color="#117a65", lw=2.0))
        ax2.text(0.5, reused / 2, f"reuse loop\n{fmt(reused, 3)} t/h", ha="center", va="bottom",
                 fontsize=8, color="#117a65")
    k = res.kpis
    wu = float(k["water_use_t_per_t_product"].iloc[case]) if "water_use_t_per_t_product" in k else np.nan
    note = f": {fmt(wu, 3)} t water per t product" if np.isfinite(wu) else ""
    ax2.set_title(f"Site water with cooling tower and reuse{note}")
    return fig


def _require_costs(res: "SimulationResult") -> None:
    if not has_costs(res):
        raise NoCostResultsError(
            "the result has no cost results (res.costs): simulate a flowsheet with costing "
            "(an 'economics' parameter group) to draw cost figures")


_TOTALS = ("fci", "tci", "total", "isbl", "osbl_total")


def _hbars(ax: Any, s, unit: str, title: str, max_rows: int = 16) -> None:
    s = s[np.isfinite(s.to_numpy(dtype=float))]
    if len(s) > max_rows:
        order = s.abs().sort_values(ascending=False)
        keep = s[order.index[: max_rows - 1]]
        keep[f"other ({len(s) - max_rows + 1})"] = s[order.index[max_rows - 1:]].sum()
        s = keep
    y = np.arange(len(s))[::-1]
    colors = ["#7f8c8d" if any(t == str(k).lower() or str(k).lower().startswith("total")
                                for t in _TOTALS) else ("#3a9a3a" if v < 0 else "#2b6cb0")
              for k, v in s.items()]
    ax.barh(y, s.to_numpy(dtype=float), color=colors)
    ax.set_yticks(y, [str(k).replace("_", " ") for k in s.index])
    vmax = float(np.abs(s.to_numpy(dtype=float)).max()) if len(s) else 1.0
    for yi, v in zip(y, s.to_numpy(dtype=float)):
        ax.text(v + (0.01 if v >= 0 else -0.01) * vmax, yi, fmt(v, 3), va="center",
                ha="left" if v >= 0 else "right", fontsize=7.5)
    ax.axvline(0, color="k", lw=0.8)
    ax.set_xlabel(unit)
    ax.set_title(title, fontsize=10)
    vals = s.to_numpy(dtype=float)
    lo, hi = min(0.0, float(vals.min(initial=0.0))), max(0.0, float(vals.max(initial=0.0)))
    pad = 0.22 * max(hi - lo, 1e-12)
    ax.set_xlim(lo - (pad if lo < 0 else 0.0), hi + (pad if hi > 0 else 0.0))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def cost_breakdown(res: "SimulationResult", case: int | None = None) -> Any:
    """CAPEX by unit (or by category) [MEUR] and OPEX by category [MEUR/y]; raises
    :class:`NoCostResultsError` when the result has no cost results."""
    _require_costs(res)
    case = shown_case(res, case)
    panels = []
    by_unit = capex_by_unit(res, case)
    by_cat = capex_by_category(res, case)
    opex = opex_by_category(res, case)
    if len(by_unit):
        panels.append((by_unit.sort_values(ascending=False) / 1e6, "MEUR",
                       "Capital cost by unit (installed)"))
    if len(by_cat):
        panels.append((by_cat / 1e6, "MEUR", "Capital cost build-up"))
    if len(opex):
        panels.append((opex / 1e6, "MEUR/y (credits negative)", "Operating cost by category"))
    rows = max(min(len(p[0]), 16) for p in panels)
    fig = _figure(min(4.3 * len(panels) + 0.8, 13.0), max(3.5, 0.32 * rows + 1.5))
    axes = np.atleast_1d(fig.subplots(1, len(panels)))
    for ax, (s, unit, title) in zip(axes, panels):
        _hbars(ax, s, unit, title)
    fig.suptitle(f"Costs, case {case}", fontsize=11)
    return fig


def msp_waterfall(res: "SimulationResult", case: int | None = None) -> Any:
    """Contributions to the minimum selling price [EUR/t]: capital, feedstock, utilities, O&M,
    credits, and the MSP; raises :class:`NoCostResultsError` without an MSP."""
    case = shown_case(res, case)
    contrib = msp_contributions(res, case)
    if contrib.empty:
        raise NoCostResultsError(
            "the result has no minimum selling price breakdown: it needs the KPI msp_eur_per_t "
            "and res.costs['opex'] (or res.costs['msp']) and a main product")
    msp = float(contrib.sum())
    fig = _figure(8.5, 4.5)
    ax = fig.subplots()
    labels = list(contrib.index) + ["MSP"]
    cum, peak, low = 0.0, max(msp, 0.0), min(msp, 0.0)
    for i, (k, v) in enumerate(contrib.items()):
        color = "#3a9a3a" if v < 0 else "#2b6cb0"
        ax.bar(i, v, bottom=cum, color=color, width=0.6)
        ax.text(i, cum + max(v, 0.0), fmt(v, 3), ha="center", va="bottom", fontsize=8.5)
        if i < len(contrib):
            ax.plot([i + 0.3, i + 0.7], [cum + v, cum + v], color="#777777", lw=0.8)
        cum += v
        peak, low = max(peak, cum, cum - v), min(low, cum, cum - v)
    ax.bar(len(contrib), msp, color="#2c3e50", width=0.6)
    ax.text(len(contrib), max(msp, 0.0), fmt(msp, 4), ha="center", va="bottom", fontsize=9,
            fontweight="bold")
    ax.set_xticks(range(len(labels)), labels)
    ax.axhline(0, color="k", lw=0.8)
    ax.set_ylim(low * 1.1, peak * 1.12 + 1e-12)
    ax.set_ylabel("EUR per t of main product")
    ax.set_title(f"Minimum selling price, case {case}: {fmt(msp, 4)} EUR/t")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig


KEY_KPIS = ("carbon_efficiency", "energy_efficiency_lhv", "msp_eur_per_t", "tci_eur",
            "co2_emitted_t_per_y", "co2_captured_t_per_y", "carbon_to_co2_fraction",
            "water_in_t_per_h", "wastewater_t_per_h")


def kpi_cases(res: "SimulationResult", kpis: list[str] | None = None) -> Any:
    """Key KPIs over the cases: a bar per case for up to 8 cases, else a histogram of the ok
    cases (up to 6 KPIs: the products first, then KEY_KPIS that vary)."""
    k = res.kpis
    if kpis is None:
        cands = [c for c in k.columns if str(c).startswith("products_t_per_h.")]
        cands += [c for c in KEY_KPIS if c in k.columns]
        kpis = []
        for c in cands:
            a = k[c].to_numpy(dtype=float)
            a = a[np.isfinite(a)]
            if a.size and np.ptp(a) > 1e-12 * max(np.abs(a).max(), 1e-300):
                kpis.append(c)
        kpis = (kpis or [c for c in cands if np.isfinite(k[c].to_numpy(dtype=float)).any()])[:6]
    ncol = min(3, max(len(kpis), 1))
    nrow = max(1, -(-len(kpis) // ncol))
    fig = _figure(3.6 * ncol + 0.6, 2.6 * nrow + 0.3)
    axes = np.atleast_1d(fig.subplots(nrow, ncol)).reshape(-1)
    for ax in axes[len(kpis):]:
        ax.axis("off")
    if not kpis:
        axes[0].text(0.5, 0.5, "no KPIs", ha="center", va="center")
    for ax, c in zip(axes, kpis):
        a = k[c].to_numpy(dtype=float)
        if res.n_cases <= 8:
            ax.bar(np.arange(a.size), np.nan_to_num(a), color="#2b6cb0")
            ax.set_xticks(np.arange(a.size), [str(i) for i in range(a.size)])
            ax.set_xlabel("case")
        else:
            f = a[np.isfinite(a)]
            ax.hist(f if f.size else [0.0], bins=min(40, max(5, int(np.sqrt(max(f.size, 1))))),
                    color="#2b6cb0")
            ax.set_ylabel("cases")
        ax.set_title(str(c), fontsize=9)
        ax.tick_params(labelsize=8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    return fig


class ResultPlots:
    """Figures of one result: ``ResultPlots(res).sankey()`` (``res.plot.sankey()``). Each
    method returns a matplotlib Figure, except :meth:`pfd` (an SVG drawing)."""

    def __init__(self, res: "SimulationResult"):
        self._res = res

    def sankey(self, case: int | None = None) -> Any:
        """Carbon through the process sections by origin (:func:`sankey_carbon`)."""
        return sankey_carbon(self._res, case)

    def energy_sankey(self, case: int | None = None) -> Any:
        """Energy Sankey, LHV basis, utilities apart from losses (:func:`sankey_energy`)."""
        return sankey_energy(self._res, case)

    def energy(self, case: int | None = None) -> Any:
        """Energy balance (:func:`energy_balance`)."""
        return energy_balance(self._res, case)

    def composite(self, case: int | None = None) -> Any:
        """Composite and grand composite curves (:func:`carbonhub.report.composite.composite_figure`)."""
        from .composite import composite_figure

        return composite_figure(self._res, case)

    def water(self, case: int | None = None) -> Any:
        """Water balance (:func:`water_balance`)."""
        return water_balance(self._res, case)

    def costs(self, case: int | None = None) -> Any:
        """CAPEX and OPEX breakdown (:func:`cost_breakdown`)."""
        return cost_breakdown(self._res, case)

    def waterfall(self, case: int | None = None) -> Any:
        """MSP waterfall (:func:`msp_waterfall`)."""
        return msp_waterfall(self._res, case)

    def pfd(self, case: int | None = None) -> Any:
        """The report's process flow diagram with the stream data of ``case`` (an
        :class:`~carbonhub.report.pfd_svg.SVGFigure`: shown inline by Jupyter, ``.save(path)``
        writes the SVG, ``.savefig(path)`` an SVG or, through a headless Chromium, a PNG;
        :func:`carbonhub.report.pfd_svg.pfd_svg`)."""
        from .pfd_svg import SVGFigure, pfd_svg

        return SVGFigure(pfd_svg(self._res.flowsheet, self._res, shown_case(self._res, case)))

    def pfd_svg(self, case: int | None = None) -> Any:
        """The same as :meth:`pfd` (its earlier name)."""
        return self.pfd(case)

    def kpis(self, kpis: list[str] | None = None) -> Any:
        """Key KPIs over the cases (:func:`kpi_cases`)."""
        return kpi_cases(self._res, kpis)

    def __repr__(self) -> str:
        return "ResultPlots(sankey, energy_sankey, energy, composite, water, costs, waterfall, pfd, kpis)"
