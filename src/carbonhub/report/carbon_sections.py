"""Carbon through the process sections of one case: the numbers of the carbon Sankey.

Every unit belongs to a section, the plant area its class states (:func:`carbonhub.costing.areas.own_area`,
the classification the capital table uses): pretreatment (feed handling), conversion
(gasification, pyrolysis, electrolysis), cleanup, synthesis, upgrading, utilities and water
treatment. Generic equipment (mixers, splitters, heaters, compressors, feed-forward sources)
joins the section of the nearest classified unit, downstream or upstream (downstream first at
equal distance), so a loop's purge splitter stays in the loop's section. Each stream that crosses from one section to another, from a feed into a section
or from a section to an outlet is a band, split by carbon origin; streams inside a section are
not drawn. Streams from a section back to an earlier one (recycles) are bands too, flagged
``back``.

The outlets are grouped as the KPIs count them: each product, ``CO2 captured`` and
``CO2 emitted`` (the CO2 molecules of storage and emission sinks, as ``co2_captured_t_per_y``
and ``co2_emitted_t_per_y``), the other carbon in those sinks (CO, CH4, ...), solid residue,
wastewater and other outlets. So, in t C/h, products / feed = ``carbon_efficiency`` and
``CO2 emitted`` x hours x M(CO2)/M(C) = ``co2_emitted_t_per_y`` (a test checks both to 1e-9).

Example
-------
>>> import carbonhub as ch
>>> from carbonhub.unitops.sources import GasSource, Sink
>>> fs = ch.Flowsheet("demo", components=ch.ComponentSet.from_ids(["CO", "CO2", "H2"]))
>>> src = fs.add(GasSource("gas", {"CO": 1, "CO2": 1}, origin="biogenic", flow=2.0))
>>> out = fs.add(Sink("out", category="emission"))
>>> _ = fs.connect(src.outlets.out, out.inlets.feed)
>>> sf = section_flows(fs.simulate())
>>> sorted(sf.nodes.index), round(sf.value("CO2 emitted") * 1000, 3)    # kg C/h
(['CO2 emitted', 'gas', 'other carbon to air (CO, CH4, ...)'], 43.24)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..core.stream import ORIGINS
from ._util import shown_case
from .flows import M_C, source_label

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..core.results import SimulationResult

SECTIONS = {"feed_handling": "pretreatment", "gasification": "conversion", "cleanup": "cleanup",
            "synthesis": "synthesis", "upgrading": "upgrading", "utilities": "utilities",
            "osbl": "water treatment"}
"""Section of each plant area (:data:`carbonhub.costing.areas.AREAS`), in process order."""

CO2_CAPTURED = "CO2 captured"
CO2_EMITTED = "CO2 emitted"
OTHER_TO_AIR = "other carbon to air (CO, CH4, ...)"
OTHER_STORED = "other carbon with the stored CO2"
RESIDUE = "solid residue"
WASTEWATER = "wastewater"

SINK_KINDS = ("product", "byproduct", "co2_storage", "emission", "solid_residue", "wastewater",
              "other")
"""Order of the outlet nodes (by kind)."""


@dataclass
class SectionFlows:
    """Carbon through the sections of one case [t C/h].

    nodes : DataFrame indexed by node name, columns ``column`` (0 feeds, 1.. sections, last
        outlets) and ``kind`` (``feed``, ``section`` or the outlet's kind: product, byproduct,
        co2_storage, emission, solid_residue, wastewater, other)
    links : DataFrame with columns source, target, origin, t_C_per_h, back (True for a stream
        to an earlier section)
    """

    nodes: "pd.DataFrame"
    links: "pd.DataFrame"
    case: int
    unit: str = "t C/h"

    def inflow(self, node: str) -> float:
        return float(self.links.loc[self.links["target"] == node, "t_C_per_h"].sum())

    def outflow(self, node: str) -> float:
        return float(self.links.loc[self.links["source"] == node, "t_C_per_h"].sum())

    def value(self, node: str) -> float:
        """Carbon through a node: what leaves a feed, what enters an outlet, max(in, out) of a
        section."""
        return max(self.inflow(node), self.outflow(node))

    def total(self, kind: str | tuple[str, ...]) -> float:
        """Carbon of all nodes of a kind (or kinds)."""
        kinds = (kind,) if isinstance(kind, str) else kind
        return sum(self.value(k) for k in self.nodes.index[self.nodes["kind"].isin(kinds)])

    @property
    def feed(self) -> float:
        return self.total("feed")


def _outlets(unit, carbon: np.ndarray, co2_c: np.ndarray) -> list[tuple[str, str, np.ndarray]]:
    """(node, kind, carbon by origin [mol C/s]) of a stream entering the sink ``unit``."""
    cat = getattr(unit, "category", "other")
    if cat in ("product", "byproduct"):
        name = getattr(unit, "product", None) or unit.id
        return [(f"{name} ({'by-product' if cat == 'byproduct' else 'product'})", cat, carbon)]
    if cat in ("co2_storage", "emission"):
        co2_name, other_name = ((CO2_CAPTURED, OTHER_STORED) if cat == "co2_storage"
                                else (CO2_EMITTED, OTHER_TO_AIR))
        return [(co2_name, cat, co2_c), (other_name, cat, carbon - co2_c)]
    if cat == "solid_residue":
        return [(RESIDUE, cat, carbon)]
    if cat == "wastewater":
        return [(WASTEWATER, cat, carbon)]
    return [(f"{unit.id} (outlet)", "other", carbon)]


def _nearest(start: str, links: dict[str, list[str]], own: dict[str, str | None]) -> str | None:
    """Area of the nearest classified unit along ``links`` (breadth first), or None."""
    seen, frontier = {start}, [start]
    while frontier:
        nxt = [w for v in frontier for w in links[v] if w not in seen]
        seen.update(nxt)
        hit = next((own[w] for w in nxt if own[w] is not None), None)
        if hit is not None:
            return hit
        frontier = list(dict.fromkeys(nxt))
    return None


def unit_sections(fs) -> dict[str, str]:
    """Section of every unit of a flowsheet. Generic equipment that divides a stream (more
    connected outlets than inlets: splitters, flashes, a loop's purge) takes the section of the
    nearest classified unit upstream, where its feed is made; other generic equipment (mixers,
    heaters, compressors, feed-forward sources) the section it delivers to, as the capital
    table's areas; the other direction when one finds nothing."""
    from ..costing.areas import own_area

    own = {uid: own_area(u) for uid, u in fs.units.items()}
    down: dict[str, list[str]] = {uid: [] for uid in fs.units}
    up: dict[str, list[str]] = {uid: [] for uid in fs.units}
    for c in fs.connections:
        down[c.src.unit.id].append(c.dst.unit.id)
        up[c.dst.unit.id].append(c.src.unit.id)
    out: dict[str, str] = {}
    for uid in fs.units:
        found = own[uid]
        if found is None:  # sources deliver; a unit with more distinct outlets than inlets divides
            divides = fs.units[uid].kind != "source" and len(set(down[uid])) > len(set(up[uid]))
            first, second = (up, down) if divides else (down, up)
            found = _nearest(uid, first, own) or _nearest(uid, second, own)
        out[uid] = SECTIONS.get(found or "utilities", "utilities")
    return out


def section_flows(res: "SimulationResult", case: int | None = None) -> SectionFlows:
    """Carbon by origin from the feeds through the process sections to the outlets."""
    import pandas as pd

    case = shown_case(res, case)
    fs = res.flowsheet
    order = list(dict.fromkeys(SECTIONS.values()))
    section = unit_sections(fs)
    ico2 = fs.components.index("CO2") if "CO2" in fs.components else None
    conv = M_C * 3.6  # mol C/s -> t C/h
    flows: dict[tuple[str, str, str], float] = {}
    kinds: dict[str, str] = {}
    solved = [(c, res.stream_data[c.id]) for c in fs.connections if c.id in res.stream_data]
    for c, s in solved:
        su, du = c.src.unit, c.dst.unit
        by_origin = np.nan_to_num(s.carbon_by_origin[case])
        if by_origin.sum() <= 0:
            continue
        bo = getattr(su, "boundary_outlets", None)
        if su.kind == "source" and (bo is None or c.src.name in bo):
            a = source_label(res, su, case)
            kinds[a] = "feed"
        else:  # a process unit (or a feed-forward source passing its reference stream on)
            a = section[su.id]
            kinds[a] = "section"
        if du.kind == "sink":
            co2 = float(np.nan_to_num(s.flow[case, ico2])) if ico2 is not None else 0.0
            ends = _outlets(du, by_origin, co2 * np.nan_to_num(s.origin[case]))
        else:
            ends = [(section[du.id], "section", by_origin)]
        for b, kind, v in ends:
            if b == a:
                continue  # inside one section
            kinds[b] = kind
            for j, o in enumerate(ORIGINS):
                if v[j] > 1e-14 * by_origin.sum():  # not the round-off of carbon - CO2
                    flows[(a, b, o)] = flows.get((a, b, o), 0.0) + float(v[j]) * conv
    names = [k for k, t in kinds.items() if t == "feed"]
    names += [s for s in order if kinds.get(s) == "section"]
    sinks = [k for k, t in kinds.items() if t not in ("feed", "section")]
    names += sorted(sinks, key=lambda k: (SINK_KINDS.index(kinds[k]), k))
    n_sec = sum(1 for s in order if kinds.get(s) == "section")
    col = {}
    for k in names:
        t = kinds[k]
        col[k] = 0 if t == "feed" else n_sec + 1 if t != "section" else \
            1 + [s for s in order if kinds.get(s) == "section"].index(k)
    nodes = pd.DataFrame({"column": [col[k] for k in names], "kind": [kinds[k] for k in names]},
                         index=pd.Index(names, name="node"))
    rows = [(a, b, o, v, col[b] <= col[a]) for (a, b, o), v in flows.items()]
    links = pd.DataFrame(rows, columns=["source", "target", "origin", "t_C_per_h", "back"])
    return SectionFlows(nodes, links.astype({"t_C_per_h": float, "back": bool}), case)
