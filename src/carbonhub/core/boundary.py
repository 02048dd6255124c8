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


def boundary(res: "SimulationResult"):
    """(sources, sinks): lists of (unit, Stream) at the flowsheet boundary."""
    fs = res.flowsheet
    src, snk = [], []
    for c in fs.connections:
        s = res.stream_data.get(c.id)
        if s is None:
            continue
        if c.src.unit.kind == "source":
            bo = getattr(c.src.unit, "boundary_outlets", None)
            if bo is None or c.src.name in bo:
                src.append((c.src.unit, s))
        if c.dst.unit.kind == "sink":
            snk.append((c.dst.unit, s))
    return src, snk


def operating_hours(res: "SimulationResult") -> np.ndarray:
    fs = res.flowsheet
    if "economics" in fs.groups and "operating_hours" in fs.groups["economics"].params:
        return res.param("economics.operating_hours").astype(float)
    return np.full(res.n_cases, DEFAULT_HOURS)
