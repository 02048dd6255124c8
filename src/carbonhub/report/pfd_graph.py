"""The material graph a process flow diagram draws, and the numbers on its streams.

Feed-forward units (``ProportionalFeed``, ``CombustionAir``: units with ``boundary_outlets``)
pass a process stream through unchanged to measure it. That pass-through is a *reference
link* (a signal), not a material flow: the material graph joins the stream's producer
directly to its consumer and keeps the feed-forward unit as a source of its boundary outlet
only. No matplotlib here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.graph import kahn_order

if TYPE_CHECKING:  # pragma: no cover
    from ..core.flowsheet import Flowsheet
    from ..core.results import SimulationResult


SINK_COLOURS = {"product": ("#dbe9f8", "#1f4e8c"), "byproduct": ("#dbe9f8", "#1f4e8c"),
                "emission": ("#fbe3e0", "#c0392b"), "co2_storage": ("#ece6f5", "#6b4fa0"),
                "wastewater": ("#dff3f3", "#16a0a0"), "solid_residue": ("#efe9e6", "#8d6e63")}
"""(fill, edge) colours of a sink by its category, in both diagrams."""
OTHER_COLOURS = ("#f0f0f0", "#777777")
"""(fill, edge) colours of a sink of another category."""


@dataclass
class MaterialEdge:
    """A material stream from ``src`` (port ``src_port``) to ``dst`` (port ``dst_port``).

    sid : the stream whose values the label shows (the first of ``via``)
    via : every stream id of the flowsheet this edge stands for (a stream passed through
        feed-forward units keeps its values, so they are all equal)
    refs : the feed-forward units that measure this stream (reference links)
    """

    src: str
    src_port: str
    dst: str
    dst_port: str
    sid: str
    via: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)


@dataclass
class RefLink:
    """Feed-forward unit ``unit`` sets its outlet in proportion to stream ``sid``."""

    unit: str
    sid: str


def _passes(unit: Any) -> set[str]:
    """Outlet names of ``unit`` that pass an inlet of the same name through (reference)."""
    bo = getattr(unit, "boundary_outlets", None)
    if bo is None:
        return set()
    return {o for o in unit.outlet_names if o not in bo and o in unit.inlet_names}


def material_graph(fs: "Flowsheet") -> tuple[list[MaterialEdge], list[RefLink]]:
    """Material streams (pass-throughs joined) and reference links of ``fs``."""
    units = fs.units
    edges: list[MaterialEdge] = []
    refs: list[RefLink] = []
    for c in fs.connections:
        su = c.src.unit
        if c.src.name in _passes(su):
            continue  # drawn as part of the edge from the original producer
        # follow the stream downstream through pass-through units
        via, measured_by = [c.id], []
        dst_unit, dst_port = c.dst.unit.id, c.dst.name
        seen = set()
        while dst_port in _passes(units[dst_unit]) and dst_unit not in seen:
            seen.add(dst_unit)
            measured_by.append(dst_unit)
            nxt = next((k for k in fs.connections
                        if k.src.unit.id == dst_unit and k.src.name == dst_port), None)
            if nxt is None:
                break
            via.append(nxt.id)
            dst_unit, dst_port = nxt.dst.unit.id, nxt.dst.name
        if dst_port in _passes(units[dst_unit]):  # a pass-through left open: stop at the unit
            measured_by = measured_by[:-1]
        edges.append(MaterialEdge(su.id, c.src.name, dst_unit, dst_port, c.id, via, measured_by))
        refs += [RefLink(u, c.id) for u in measured_by]
    return edges, refs


@dataclass
class StreamLabel:
    """What the PFD writes on a stream (one case): mass flow [t/h], T [degC], P [bar] and
    the mole fractions for the tooltip."""

    sid: str
    mass_t_h: float
    T_C: float
    P_bar: float
    x: dict[str, float]

    def lines(self) -> list[str]:
        """The label text, one line per quantity."""
        return [f"{_num(self.mass_t_h)} t/h", f"{_num(self.T_C, 3)} °C",
                f"{_num(self.P_bar)} bar"]


def back_edges(nodes: list[str], edges: list[tuple[str, str, Any]]) -> set[Any]:
    """Keys of the edges ``(src, dst, key)`` that close a cycle in a depth-first search
    (iterative); removing them leaves an acyclic graph."""
    adj: dict[str, list[tuple[str, Any]]] = {n: [] for n in nodes}
    for a, b, key in edges:
        adj[a].append((b, key))
    state = dict.fromkeys(nodes, 0)  # 0 new, 1 on stack, 2 done
    back: set[Any] = set()
    for root in nodes:
        if state[root]:
            continue
        stack = [(root, iter(adj[root]))]
        state[root] = 1
        while stack:
            v, it = stack[-1]
            for w, key in it:
                if state[w] == 1:
                    back.add(key)
                elif state[w] == 0:
                    state[w] = 1
                    stack.append((w, iter(adj[w])))
                    break
            else:
                state[v] = 2
                stack.pop()
    return back


def longest_path_layers(nodes: list[str], preds: dict[str, list[str]],
                        succs: dict[str, list[str]]) -> tuple[list[str], dict[str, int]]:
    """Topological order (Kahn) and layer of each node of an acyclic graph: the longest path
    from a source, then each node without inlets pulled next to the first node it feeds."""
    topo = kahn_order(nodes, succs)
    layer = dict.fromkeys(nodes, 0)
    for v in topo:
        for w in succs[v]:
            layer[w] = max(layer[w], layer[v] + 1)
    for v in reversed(topo):
        if not preds[v] and succs[v]:
            layer[v] = max(min(layer[w] for w in succs[v]) - 1, 0)
    return topo, layer


def break_at_underscores(text: str, width: int) -> list[str]:
    """``text`` cut after underscores into lines of about ``width`` characters (a part longer
    than ``width`` stays whole; the underscore ends the line it breaks)."""
    parts, lines, cur = text.split("_"), [], ""
    for p in parts:
        cand = f"{cur}_{p}" if cur else p
        if len(cand) > width and cur:
            lines.append(cur + "_")
            cur = p
        else:
            cur = cand
    lines.append(cur)
    return lines


def _num(v: float, sig: int = 3) -> str:
    """``v`` to ``sig`` significant digits (no exponent below 1e6), "–" when not finite."""
    if not np.isfinite(v):
        return "–"
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 10 ** (sig - 1):
        return f"{v:,.0f}"
    d = max(sig - 1 - int(np.floor(np.log10(a))), 0)
    return f"{v:.{d}f}"


def stream_labels(res: "SimulationResult", case: int) -> dict[str, StreamLabel]:
    """Label data of every stream of ``res`` for ``case`` (from the stream data)."""
    cs = res.flowsheet.components
    out = {}
    for sid, s in res.stream_data.items():
        f = np.nan_to_num(np.asarray(s.flow[case], dtype=float))
        tot = float(f.sum())
        x = {cid: float(v / tot) for cid, v in zip(cs.ids, f)} if tot > 0 else {}
        out[sid] = StreamLabel(sid, float(s.mass_flow[case]) * 3.6, float(s.T[case]) - 273.15,
                               float(s.P[case]) / 1e5, x)
    return out


FAMILIES = {
    "feed": ("Feedstock", "GasSource", "CapturedCO2"),
    "feedforward": ("ProportionalFeed", "CombustionAir"),
    "reactor": ("Gasifier", "FischerTropsch", "MethanolReactor", "WaterGasShift", "Hydrocracker",
                "Hydrotreater", "MethanolToOlefins", "PyrolysisReactor", "SteamCracker",
                "Electrolyser", "Torrefaction"),
    "column": ("ShortcutColumn", "ProductFractionator", "OlefinSeparationTrain",
               "SourWaterStripper", "Scrubber", "AcidGasRemoval"),
    "heat": ("Heater", "HeatExchanger", "SyngasCooler", "PyrolysisCondenser"),
    "fired": ("Boiler", "FiredHeater"),
    "machine": ("Compressor", "Pump", "CO2Compression"),
    "junction": ("Mixer", "Splitter"),
}
"""Unit families by class name (drawn with one shape each); anything else is "separator"."""


def family(unit: Any) -> str:
    """The family of ``unit``: sink, one of :data:`FAMILIES` or "separator"."""
    if unit.kind == "sink":
        return "sink"
    names = [c.__name__ for c in type(unit).__mro__]
    for fam, classes in FAMILIES.items():
        if any(n in classes for n in names):
            return fam
    return "feed" if unit.kind == "source" else "separator"
