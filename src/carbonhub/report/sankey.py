"""The carbon Sankey through the process sections and the energy Sankey (LHV) of one case.

Carbon [t C/h]: feeds on the left, the process sections (pretreatment, conversion, cleanup,
synthesis, upgrading, utilities, water treatment) in the middle, products / CO2 captured / CO2
emitted / residue on the right; bands coloured by carbon origin (fossil, biogenic, recycled,
atmospheric); recycles between sections hatched below. The numbers come from
:func:`carbonhub.report.carbon_sections.section_flows` and equal the carbon KPIs.

Energy [MW]: the inputs of :func:`carbonhub.report.flows.energy_flows` (feed LHV, electricity,
fired heat, steam) into the plant and its outputs (product LHV, exported electricity and steam,
heat to cooling water, other losses), utilities apart from losses.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core.stream import ORIGINS
from ._util import fmt, shown_case
from .carbon_sections import section_flows
from .flows import energy_flows
from .sankey_draw import Band, draw_sankey

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

ORIGIN_COLORS = {"fossil": "#5f5f5f", "biogenic": "#3a9a3a", "recycled": "#d08a1e",
                 "atmospheric": "#3a7fc1"}
SINK_COLORS = {"product": "#2b6cb0", "byproduct": "#4a90c8", "co2_storage": "#6b4fa0",
               "emission": "#c0392b", "wastewater": "#16a0a0", "solid_residue": "#8d6e63",
               "other": "#888888", "feed": "#2e7a2e", "section": "#444444"}
ENERGY_COLORS = {"feed": "#3a9a3a", "electricity": "#e6b800", "heat": "#e67e22",
                 "steam": "#d35400", "product": "#2b6cb0", "other": "#8e7cc3",
                 "cooling": "#5dade2", "loss": "#b0b0b0"}
PLANT = "plant"
DRAWN = 1e-4
"""Smallest band drawn, as a fraction of the feed (carbon) or of the inputs (energy)."""


def _figure(n_nodes: int, n_back: int = 0) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(11.0, max(4.6, 0.62 * n_nodes + 0.5 * n_back + 1.8)),
                  layout="constrained")


def sankey_carbon(res: "SimulationResult", case: int | None = None) -> Any:
    """Carbon through the process sections by origin, one case (default: the first ok case);
    returns a Figure."""
    from matplotlib.patches import Patch

    case = shown_case(res, case)
    sf = section_flows(res, case)
    nodes = sf.nodes
    columns = [list(nodes.index[nodes["column"] == c]) for c in sorted(set(nodes["column"]))]
    # bands below DRAWN of the feed carbon are left out of the drawing (not of the numbers)
    links = sf.links[sf.links["t_C_per_h"] >= DRAWN * sf.feed]
    shown = set(links["source"]) | set(links["target"])
    columns = [c for c in ([k for k in col if k in shown] for col in columns) if c]
    fig = _figure(max((len(c) for c in columns), default=1), int(links["back"].sum()))
    ax = fig.subplots()
    if sf.feed <= 0 or not len(links):
        ax.text(0.5, 0.5, "no carbon crosses the flowsheet boundary", ha="center", va="center")
        ax.axis("off")
        return fig
    bands = [Band(a, b, v, ORIGIN_COLORS[o], bool(back)) for a, b, o, v, back in
             links[["source", "target", "origin", "t_C_per_h", "back"]].itertuples(index=False)]
    colors = {k: SINK_COLORS.get(t, "#444444") for k, t in nodes["kind"].items()}
    for k in nodes.index[nodes["kind"] == "feed"]:  # a feed in the colour of its main origin
        mine = links[links["source"] == k].groupby("origin")["t_C_per_h"].sum()
        if len(mine):
            colors[k] = ORIGIN_COLORS[str(mine.idxmax())]
    draw_sankey(ax, columns, bands, sf.unit, sf.feed, node_colors=colors,
                x_margin=0.17)
    present = [o for o in ORIGINS if links.loc[links["origin"] == o, "t_C_per_h"].sum() > 0]
    ax.legend(handles=[Patch(color=ORIGIN_COLORS[o], alpha=0.6, label=f"{o} carbon")
                       for o in present] + ([Patch(facecolor="white", edgecolor="#777777",
                                                   hatch="///", label="recycle between sections")]
                                            if links["back"].any() else []),
              loc="upper center", bbox_to_anchor=(0.5, -0.005), ncol=len(present) + 1,
              frameon=False, fontsize=8.5)
    prod = sf.total(("product", "byproduct"))
    ax.set_title(f"Carbon through the process, case {case}: {fmt(sf.feed, 4)} t C/h in, "
                 f"{100 * prod / sf.feed:.1f} % to products", fontsize=11)
    return fig


def sankey_energy(res: "SimulationResult", case: int | None = None) -> Any:
    """Energy (LHV basis) into and out of the plant, utilities apart from losses [MW]; one
    case; returns a Figure."""
    case = shown_case(res, case)
    bars = energy_flows(res, case)
    ins = [(f"{lab} ", v, kind) for lab, v, kind in bars.inputs.itertuples(index=False)
           if v >= DRAWN * bars.total_in]
    outs = [(lab, v, kind) for lab, v, kind in bars.outputs.itertuples(index=False)
            if v >= DRAWN * bars.total_in]
    fig = _figure(max(len(ins), len(outs), 1))
    ax = fig.subplots()
    if not ins:
        ax.text(0.5, 0.5, "no energy crosses the flowsheet boundary", ha="center", va="center")
        ax.axis("off")
        return fig
    bands = [Band(lab, PLANT, v, ENERGY_COLORS.get(kind, "#8e7cc3")) for lab, v, kind in ins]
    bands += [Band(PLANT, lab, v, ENERGY_COLORS.get(kind, "#8e7cc3")) for lab, v, kind in outs]
    colors = {lab: ENERGY_COLORS.get(kind, "#8e7cc3") for lab, _, kind in ins + outs}
    draw_sankey(ax, [[b[0] for b in ins], [PLANT], [b[0] for b in outs]], bands, bars.unit,
                bars.total_in, node_colors=colors, x_margin=0.24)
    k = res.kpis
    eff = ""
    if "energy_efficiency_lhv" in k:
        eff = f", LHV efficiency {100 * float(k['energy_efficiency_lhv'].iloc[case]):.1f} %"
    ax.set_title(f"Energy (LHV basis), case {case}: {fmt(bars.total_in, 4)} MW in{eff}",
                 fontsize=11)
    return fig
