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
