"""What crosses a flowsheet's boundary (sources and sinks) and its on-stream hours: the physical
basis of the KPIs (:mod:`carbonhub.costing.kpis`) and of annual flows in the costing."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from .results import SimulationResult

DEFAULT_HOURS = 8410.0
"""On-stream hours per year when a flowsheet declares no economics (Humbird et al. 2011,
NREL/TP-5100-47764: 96 % on-stream; the same value as property_data/tea_defaults.yaml)."""


def boundary_connections(res: "SimulationResult"):
    """(into, out of): lists of (Connection, Stream) of the streams leaving sources and entering
    sinks. A feed-forward source that passes a reference stream through names its
    ``boundary_outlets``; its other outlets are not at the boundary."""
    into, out = [], []
    for c in res.flowsheet.connections:
        s = res.stream_data.get(c.id)
        if s is None:
            continue
        if c.src.unit.kind == "source":
            bo = getattr(c.src.unit, "boundary_outlets", None)
            if bo is None or c.src.name in bo:
                into.append((c, s))
        if c.dst.unit.kind == "sink":
            out.append((c, s))
    return into, out


def boundary(res: "SimulationResult"):
    """(sources, sinks): lists of (unit, Stream) at the flowsheet boundary."""
    into, out = boundary_connections(res)
    return [(c.src.unit, s) for c, s in into], [(c.dst.unit, s) for c, s in out]


def operating_hours(res: "SimulationResult") -> np.ndarray:
    fs = res.flowsheet
    if "economics" in fs.groups and "operating_hours" in fs.groups["economics"].params:
        return res.param("economics.operating_hours").astype(float)
    return np.full(res.n_cases, DEFAULT_HOURS)
