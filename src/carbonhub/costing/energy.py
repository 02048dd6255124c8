"""Energy crossing the plant boundary as utilities, per case [MW]: electricity bought and sold,
natural gas burnt for fired heat, and MP steam bought and sold, with the same conventions as the costing
(:mod:`carbonhub.costing.flowsheet`): the plant's net steam is the units' steam demand
(``steam_heat_W``) minus the steam they raise (``steam_raised_W``) plus the process steam drawn
from the steam system (sources of category ``steam_mp``, at the latent heat of MP steam);
positive: bought, negative: sold. Steam counts at the heat it delivers (latent heat at 10 bar,
IAPWS-IF97), electricity at its energy, fired heat at the LHV of the gas burnt (the heat
delivered over ``heat.furnace_efficiency``).

These terms make the documented energy efficiency::

    energy_efficiency_lhv = (LHV products + electricity sold + steam sold)
                            / (LHV feeds + electricity bought + fired heat + steam bought)
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .heat_supply import furnace_efficiency, own_fuel_raises_steam, unit_heat_utilities
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
    """``electricity_import_MW``, ``electricity_export_MW`` (the units' power and the
    refrigeration of feeds chilled below cooling water), ``fired_heat_MW`` (natural gas burnt,
    LHV: the net fired heat delivered, the steam demands above steam's reach included, over
    ``heat.furnace_efficiency``), ``steam_import_MW``, ``steam_export_MW`` (all >= 0) per case
    (:func:`carbonhub.costing.heat_supply.unit_heat_utilities`)."""
    u = unit_heat_utilities(res)
    power = unit_power_W(res) + u["refrigeration_W"]
    steam = u["steam_heat_W"] - u["steam_raised_W"] + u["steam_sources_W"]
    fired = u["fired_bought_W"] + u["fired_surplus_W"]
    steam, fired, _ = own_fuel_raises_steam(steam, fired)  # own surplus fuel raises the steam first
    return {"electricity_import_MW": np.maximum(power, 0.0) / 1e6,
            "electricity_export_MW": np.maximum(-power, 0.0) / 1e6,
            # net fired heat bought (a heater burning the route's own gases reports negative
            # fired heat: a surplus is not an input), as the gas a furnace burns for it
            "fired_heat_MW": np.maximum(fired, 0.0) / furnace_efficiency(res) / 1e6,
            "steam_import_MW": np.maximum(steam, 0.0) / 1e6,
            "steam_export_MW": np.maximum(-steam, 0.0) / 1e6}
