"""Energy crossing the plant boundary as utilities, per case [MW]: electricity bought and sold,
fired heat, and MP steam bought and sold, with the same conventions as the costing
(:mod:`carbonhub.costing.flowsheet`): the plant's net steam is the units' steam demand
(``steam_heat_W``) minus the steam they raise (``steam_raised_W``) plus the process steam drawn
from the steam system (sources of category ``steam_mp``, at the latent heat of MP steam);
positive: bought, negative: sold. Steam counts at the heat it delivers (latent heat at 10 bar,
IAPWS-IF97), electricity at its energy.

These terms make the documented energy efficiency::

    energy_efficiency_lhv = (LHV products + electricity sold + steam sold)
                            / (LHV feeds + electricity bought + fired heat + steam bought)
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .heat_supply import own_fuel_raises_steam, unit_heat_utilities
from .memo import finite0, once

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

__all__ = ["unit_power_W", "utility_energy_MW"]


def unit_power_W(res: "SimulationResult") -> np.ndarray:
    """Net electrical power of the flowsheet's units [W] per case (positive: consumed); once
    per result (:func:`.memo.once`), so not to be written to."""
    def total():
        power = np.zeros(res.n_cases)
        for r in res.unit_results.values():
            power = power + finite0(r.power)
        return power
    return once(res, "unit_power_W", total)


def utility_energy_MW(res: "SimulationResult") -> dict[str, np.ndarray]:
    """``electricity_import_MW``, ``electricity_export_MW``, ``fired_heat_MW``,
    ``steam_import_MW``, ``steam_export_MW`` (all >= 0) per case."""
    power = unit_power_W(res)
    u = unit_heat_utilities(res)
    steam = u["steam_heat_W"] - u["steam_raised_W"] + u["steam_sources_W"]
    fired = u["fired_bought_W"] + u["fired_surplus_W"]
    steam, fired, _ = own_fuel_raises_steam(steam, fired)  # own surplus fuel raises the steam first
    return {"electricity_import_MW": np.maximum(power, 0.0) / 1e6,
            "electricity_export_MW": np.maximum(-power, 0.0) / 1e6,
            # net fired heat bought (a heater burning the route's own gases reports negative
            # fired heat: a surplus is not an input)
            "fired_heat_MW": np.maximum(fired, 0.0) / 1e6,
            "steam_import_MW": np.maximum(steam, 0.0) / 1e6,
            "steam_export_MW": np.maximum(-steam, 0.0) / 1e6}
