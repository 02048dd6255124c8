"""The view of a running simulation that design-spec measures receive: streams, unit results
and parameters of the cases being solved."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .stream import Stream
from .unit import UnitResult

if TYPE_CHECKING:  # pragma: no cover
    from .flowsheet import FlowsheetRun


class State:
    """Streams and unit results of the cases being solved (used by design-spec measures)."""

    def __init__(self, run: "FlowsheetRun", idx: np.ndarray):
        self._run, self.idx = run, idx

    def stream(self, sid: str) -> Stream:
        return self._run.streams[sid].take(self.idx)

    def unit(self, uid: str) -> UnitResult:
        return self._run.take_result(uid, self.idx)

    def param(self, name: str) -> np.ndarray:
        return self._run.param_array(name)[self.idx]

    def result(self):
        """The cases being solved as a :class:`~carbonhub.core.results.SimulationResult` of
        their own (a copy: the run goes on), for a measure read from the plant as a whole, e.g.
        its utilities or net electricity (:func:`carbonhub.costing.kpis.net_electricity_spec`)."""
        from .results import SimulationResult

        return SimulationResult(self._run.fs, self._run.take(self.idx))

