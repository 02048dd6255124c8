"""The vectorised flowsheet core: batched streams, units, flowsheet graph and solver."""
from .stream import ORIGINS, Stream, StreamError, mix
from .unit import Cost, Derived, Param, ParameterValueError, Params, Unit, UnitResult, UnknownParameterError
from .flowsheet import DesignSpec, Flowsheet, FlowsheetError, State
from .results import SimulationResult

__all__ = ["ORIGINS", "Stream", "StreamError", "mix", "Cost", "Derived", "Param", "ParameterValueError",
           "Params", "Unit", "UnitResult", "UnknownParameterError", "DesignSpec", "Flowsheet",
           "FlowsheetError", "State", "SimulationResult"]
