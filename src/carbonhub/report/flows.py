"""The numbers behind the balance figures: carbon by origin, energy and water from the
flowsheet boundary (sources and sinks) of one case. No matplotlib here, so that tests and
notebooks can check what a figure draws.

Example
-------
>>> import carbonhub as ch
>>> from carbonhub.unitops.sources import GasSource, Sink
>>> fs = ch.Flowsheet("demo", components=ch.ComponentSet.from_ids(["CO", "CO2", "H2"]))
>>> src = fs.add(GasSource("gas", {"CO": 1, "CO2": 1}, origin="biogenic", flow=2.0))
>>> out = fs.add(Sink("out", category="product", product="gas"))
>>> _ = fs.connect(src.outlets.out, out.inlets.feed)
>>> cf = carbon_flows(fs.simulate())
>>> round(cf.total_in * 1000, 3), list(cf.links["origin"])   # kg C/h, origins of the bands
(86.479, ['biogenic'])
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.boundary import boundary_connections
from ..core.stream import ORIGINS
from ..feedstocks import M_C
from ._util import shown_case

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..core.results import SimulationResult


SINK_GROUPS = {
    "co2_storage": "CO2 captured (stored)",
    "emission": "Emitted to air",
    "wastewater": "Wastewater",
    "solid_residue": "Solid residue",
}
"""Labels of the carbon Sankey's right-hand nodes per sink category (products by name)."""


def source_label(res: "SimulationResult", unit: Any, case: int) -> str:
    """``feed (wood_chips)`` for a feedstock, the unit id otherwise."""
    if "feedstock" in unit.all_params():
        try:
            return f"{unit.id} ({res.param(f'{unit.id}.feedstock')[case]})"
        except (KeyError, IndexError, ValueError):
            pass
    return unit.id


def sink_group(unit: Any) -> str:
    """Right-hand node of a sink: its product name, or its category's label."""
    cat = getattr(unit, "category", "other")
    if cat in ("product", "byproduct"):
        name = getattr(unit, "product", None) or unit.id
        return f"{name} ({'by-product' if cat == 'byproduct' else 'product'})"
    return SINK_GROUPS.get(cat, f"{unit.id} (other)")


@dataclass
class CarbonFlows:
    """Carbon through the flowsheet boundary of one case [t C/h].

    sources : DataFrame, index = source label, one column per origin
    sinks : DataFrame, index = sink group, columns ``category`` and one per origin
    links : DataFrame with columns source, sink, origin, t_C_per_h (the Sankey bands); within
        an origin, the carbon of each source is spread over the sinks in proportion to the
        sinks' carbon of that origin (origins are tracked, individual feeds are not)
    total_in, total_out : float
    """

    sources: "pd.DataFrame"
    sinks: "pd.DataFrame"
    links: "pd.DataFrame"
    total_in: float
    total_out: float
    case: int
    unit: str = "t C/h"


IMBALANCE = "imbalance"


def carbon_flows(res: "SimulationResult", case: int | None = None) -> CarbonFlows:
    """Carbon by origin from the feeds to products, CO2 captured, emitted and other sinks.

    Per origin the bands close: the carbon of an origin that enters equals the carbon of that
    origin that leaves. If the flowsheet does not close (a failed case), the difference shows
    as a node named ``"imbalance"`` on the side that is short.
    """
    import pandas as pd

    case = shown_case(res, case)
    ins, outs = boundary_connections(res)
    conv = M_C * 3.6  # mol C/s -> t C/h
    src: dict[str, np.ndarray] = {}
    for c, s in ins:
        v = np.nan_to_num(s.carbon_by_origin[case]) * conv
        if v.sum() > 0:
            lab = source_label(res, c.src.unit, case)
            src[lab] = src.get(lab, 0.0) + v
    snk: dict[str, np.ndarray] = {}
    cat: dict[str, str] = {}
    for c, s in outs:
        v = np.nan_to_num(s.carbon_by_origin[case]) * conv
        if v.sum() > 0:
            lab = sink_group(c.dst.unit)
            snk[lab] = snk.get(lab, 0.0) + v
            cat[lab] = getattr(c.dst.unit, "category", "other")
    tin = float(sum(v.sum() for v in src.values()))
    tout = float(sum(v.sum() for v in snk.values()))
    in_o = sum(src.values()) if src else np.zeros(len(ORIGINS))
    out_o = sum(snk.values()) if snk else np.zeros(len(ORIGINS))
    diff = np.asarray(in_o - out_o, dtype=float)
    tol = 1e-9 * max(tin, tout, 1e-300)
    if (diff > tol).any():
        snk[IMBALANCE] = np.where(diff > tol, diff, 0.0)
        cat[IMBALANCE] = IMBALANCE
    if (diff < -tol).any():
        src[IMBALANCE] = np.where(diff < -tol, -diff, 0.0)
    rows = []
    for j, o in enumerate(ORIGINS):
        out_j = sum(v[j] for v in snk.values())
        for a, va in src.items():
            if va[j] <= 0:
                continue
            for b, vb in snk.items():
                if vb[j] > 0:  # the sink's share of this origin, applied to the source's carbon
                    rows.append((a, b, o, float(va[j] * vb[j] / out_j)))
    links = pd.DataFrame(rows, columns=["source", "sink", "origin", "t_C_per_h"])
    sources = pd.DataFrame({o: [v[j] for v in src.values()] for j, o in enumerate(ORIGINS)},
                           index=pd.Index(list(src), name="source"), dtype=float)
    sinks = pd.DataFrame({o: [v[j] for v in snk.values()] for j, o in enumerate(ORIGINS)},
                         index=pd.Index(list(snk), name="sink"), dtype=float)
    sinks.insert(0, "category", [cat[k] for k in snk])
    return CarbonFlows(sources, sinks, links, tin, tout, case)


@dataclass
class BalanceBars:
    """Two stacked bars, "in" and "out", of one quantity of one case.

    inputs, outputs : DataFrame with columns ``label``, ``value`` [unit] and ``kind``
    unit : the unit of the values
    """

    inputs: "pd.DataFrame"
    outputs: "pd.DataFrame"
    unit: str
    case: int

    @property
    def total_in(self) -> float:
        return float(self.inputs["value"].sum())

    @property
    def total_out(self) -> float:
        return float(self.outputs["value"].sum())


def _frame(rows: list[tuple[str, float, str]]):
    import pandas as pd

    return pd.DataFrame(rows, columns=["label", "value", "kind"]).astype({"value": float})


def utility_duties(res: "SimulationResult", case: int | None = None) -> dict[str, float]:
    """The plant's utilities of one case [MW], as the costing prices them.

    electricity, steam_net : net imports (< 0: exported) from
        :func:`carbonhub.costing.energy.utility_energy_MW` (net steam = demand + process steam
        - steam raised, at the latent heat of MP steam; the surplus the costing credits by
        ``prices.steam_credit_rule``)
    fired_heat : net fired heat (``fired_heat_W``; < 0 when fired heaters burning the route's
        own gases deliver more than the units need, credited at the natural-gas price)
    cooling : heat rejected to cooling water (``cooling_W``)
    """
    from ..costing.energy import utility_energy_MW

    case = shown_case(res, case)
    ue = {k: float(v[case]) for k, v in utility_energy_MW(res).items()}

    def total(key: str) -> float:
        return sum(float(np.nan_to_num(r.utilities[key][case]))
                   for r in res.unit_results.values() if key in r.utilities)

    return {"electricity": ue["electricity_import_MW"] - ue["electricity_export_MW"],
            "fired_heat": total("fired_heat_W") / 1e6,
            "steam_net": ue["steam_import_MW"] - ue["steam_export_MW"],
            "cooling": total("cooling_W") / 1e6}


def energy_flows(res: "SimulationResult", case: int | None = None) -> BalanceBars:
    """Energy in and out of one case [MW], utilities apart from losses.

    In: LHV of each feed, electricity imported, fired heat (purchased fuel), net steam imported.
    Out: LHV of each product, LHV leaving in other sinks, electricity exported, net steam
    exported, net fired heat delivered, heat rejected to cooling water (see :func:`utility_duties`), and "other losses"
    (the rest: stack and sensible heat of the outlets, heat not recovered). When the itemised
    outputs exceed the inputs, the difference is an input "other heat (net)" (e.g. the sensible
    heat of feeds above 25 degC, which the LHV basis leaves out).
    The denominator of ``energy_efficiency_lhv`` is feed LHV + electricity + fired heat + steam
    imported; its numerator adds the electricity and steam exported (:mod:`carbonhub.costing.energy`).
    """
    case = shown_case(res, case)
    ins, outs = boundary_connections(res)
    util = utility_duties(res, case)
    inputs: list[tuple[str, float, str]] = []
    for c, s in ins:
        v = float(np.nan_to_num(s.lhv()[case])) / 1e6
        if v > 0:
            inputs.append((f"{source_label(res, c.src.unit, case)} (LHV)", v, "feed"))
    if util["electricity"] > 0:
        inputs.append(("electricity import", util["electricity"], "electricity"))
    if util["fired_heat"] > 0:
        inputs.append(("fired heat (fuel)", util["fired_heat"], "heat"))
    if util["steam_net"] > 0:
        inputs.append(("steam import (net)", util["steam_net"], "steam"))
    outputs: list[tuple[str, float, str]] = []
    other: dict[str, float] = {}
    for c, s in outs:
        v = float(np.nan_to_num(s.lhv()[case])) / 1e6
        if v <= 0:
            continue
        u = c.dst.unit
        if getattr(u, "category", "other") in ("product", "byproduct"):
            outputs.append((f"{getattr(u, 'product', None) or u.id} (LHV)", v, "product"))
        else:
            lab = {"emission": "LHV emitted to air (unburnt)", "wastewater": "LHV in wastewater",
                   "co2_storage": "LHV in stored CO2", "solid_residue": "LHV in solid residue"
                   }.get(u.category, f"LHV to {u.id}")
            other[lab] = other.get(lab, 0.0) + v
    outputs += [(k, v, "other") for k, v in other.items()]
    if util["electricity"] < 0:
        outputs.append(("electricity export", -util["electricity"], "electricity"))
    if util["steam_net"] < 0:
        outputs.append(("steam export (net)", -util["steam_net"], "steam"))
    if util["fired_heat"] < 0:  # a fired heater burning process fuel delivers more than is fired
        outputs.append(("fired heat delivered (net)", -util["fired_heat"], "heat"))
    if util["cooling"] > 0:
        outputs.append(("heat to cooling water", util["cooling"], "cooling"))
    loss = sum(v for _, v, _ in inputs) - sum(v for _, v, _ in outputs)
    if abs(loss) <= 1e-9 * max(sum(v for _, v, _ in inputs), 1e-300):
        loss = 0.0  # round-off of a balance that closes
    if loss >= 0:
        outputs.append(("other losses (stack, sensible heat)", loss, "loss"))
    else:
        inputs.append(("other heat (net)", -loss, "heat"))
    return BalanceBars(_frame(inputs), _frame(outputs), "MW", case)


def unit_duties(res: "SimulationResult", case: int | None = None) -> "pd.DataFrame":
    """Heat [MW] and power [MW] added to each unit that exchanges energy (one case)."""
    import pandas as pd

    case = shown_case(res, case)
    rows = []
    for uid, r in res.unit_results.items():
        q = float(np.nan_to_num(r.heat[case])) / 1e6
        w = float(np.nan_to_num(r.power[case])) / 1e6
        if q != 0 or w != 0:
            rows.append((uid, q, w))
    return pd.DataFrame(rows, columns=["unit", "heat_MW", "power_MW"])


def _water_index(cs) -> list[int]:
    return [cs.index(w) for w in ("H2O", "H2O(L)") if w in cs]


def water_flows(res: "SimulationResult", case: int | None = None) -> BalanceBars:
    """Water (H2O vapour + liquid) in and out of one case [t/h].

    In: water in each feed (moisture, steam, make-up). Out: wastewater, evaporated (water in
    emissions to air), in products, in other outlets. The difference is water made or used by
    reactions: an input "formed by reactions" or an output "consumed by reactions".
    """
    case = shown_case(res, case)
    cs = res.flowsheet.components
    iw = _water_index(cs)
    mw = cs.molar_mass[iw] if iw else np.zeros(0)
    ins, outs = boundary_connections(res)
    inputs: list[tuple[str, float, str]] = []
    for c, s in ins:
        v = float(np.nan_to_num(s.flow[case, iw]) @ mw) * 3.6
        if v > 0:
            inputs.append((source_label(res, c.src.unit, case), v, "feed"))
    groups: dict[str, float] = {}
    kinds: dict[str, str] = {}
    for c, s in outs:
        v = float(np.nan_to_num(s.flow[case, iw]) @ mw) * 3.6
        if v <= 0:
            continue
        cat = getattr(c.dst.unit, "category", "other")
        lab = {"wastewater": "wastewater", "emission": "evaporated (to air)",
               "product": "in products", "byproduct": "in products",
               "co2_storage": "with stored CO2", "solid_residue": "with solid residue",
               "recovered_water": "recovered (ZLD distillate)"}.get(
                   cat, f"to {c.dst.unit.id}")
        groups[lab] = groups.get(lab, 0.0) + v
        kinds[lab] = cat
    outputs = [(k, v, kinds[k]) for k, v in groups.items()]
    net = sum(v for _, v, _ in inputs) - sum(v for _, v, _ in outputs)
    if net > 1e-12 * max(sum(v for _, v, _ in inputs), 1e-300):
        outputs.append(("consumed by reactions", net, "reaction"))
    elif net < 0:
        inputs.append(("formed by reactions", -net, "reaction"))
    return BalanceBars(_frame(inputs), _frame(outputs), "t/h", case)


def site_water_flows(res: "SimulationResult", case: int | None = None) -> BalanceBars:
    """The site's water [t/h] of one case: the process (:func:`water_flows`) with its utility
    water as :mod:`carbonhub.costing.water` counts it.

    In: raw-water intake (net of reuse), feed moisture, other water in the feeds, reaction
    water, and the treated water reused (kind ``reuse``). Out: cooling-tower evaporation,
    drift and blowdown, the reject of the demineralisation that makes the process steam, the
    process effluent discharged, the process effluent reused (kind ``reuse``: the loop back to
    the intake), and the process's other water outlets. In and out close, the reuse counted on
    both sides.
    """
    case = shown_case(res, case)
    k = res.kpis.iloc[case]
    bars = water_flows(res, case)
    g = lambda name: float(k[name]) if name in k.index and np.isfinite(k[name]) else 0.0  # noqa: E731
    reused = g("water_reused_t_per_h")
    steam = g("process_steam_t_per_h")
    raw_steam = steam / float(np.atleast_1d(res.param("water.demin_recovery"))[case]) \
        if "water" in res.flowsheet.groups else steam
    proc_in = bars.inputs[bars.inputs["kind"] == "feed"]["value"].sum()
    moist, pw = g("feed_moisture_t_per_h"), g("process_water_t_per_h")
    inputs = [("raw water intake", g("water_intake_t_per_h"), "feed"), ("feed moisture", moist, "feed"),
              ("other water in feeds (steam, air)", max(proc_in - moist - pw - steam, 0.0), "feed")]
    inputs += [(lab, v, kind) for lab, v, kind in bars.inputs.itertuples(index=False, name=None) if kind == "reaction"]
    inputs.append(("treated water reused", reused, "reuse"))
    outputs = [("cooling tower: evaporation", g("cooling_tower_evaporation_t_per_h"), "emission"),
               ("cooling tower: drift", g("cooling_tower_drift_t_per_h"), "emission"),
               ("cooling tower: blowdown", g("cooling_tower_blowdown_t_per_h"), "wastewater"),
               ("demin reject (process steam)", raw_steam - steam, "wastewater")]
    effluent = bars.outputs[bars.outputs["kind"].isin(["wastewater", "recovered_water"])]["value"].sum()
    outputs.append(("process effluent discharged", max(effluent - reused, 0.0), "wastewater"))
    outputs += [(lab, v, kind) for lab, v, kind in bars.outputs.itertuples(index=False, name=None)
                if kind not in ("wastewater", "recovered_water")]
    outputs.append(("process effluent reused", reused, "reuse"))
    scale = max(sum(r[1] for r in inputs), 1e-300)
    keep = lambda rows: [r for r in rows if r[1] > 1e-9 * scale]  # noqa: E731
    return BalanceBars(_frame(keep(inputs)), _frame(keep(outputs)), "t/h", case)
