"""The power island of the condensing-turbine steam credit: its electricity and its capital.

Under ``prices.steam_credit_rule = condensing_turbine`` the plant's surplus MP steam (the net
steam balance of :func:`carbonhub.costing.flowsheet.annual_flows`, after the heat supply) is
expanded in a condensing steam turbine and credited as electricity,
``prices.steam_to_power_MWh_per_t`` MWh per t. A turbine that earns that credit has to be
built: this module sizes it on the electricity it makes and costs it as the NETL steam turbine
generator account (reference_plants.yaml ``steam_turbine_netl``: NETL bituminous baseline,
account 8.1, as encoded in IDAES; verified), as the costing-level unit ``steam_turbine`` (area
utilities, no operators of its own). Under the other rules no steam is expanded and nothing is
costed. What the route burns for power (e.g. biomass_ft's ``boiler_fuel.fraction``, the share of
the FT tail-gas purge sent to the boiler) reaches the turbine as the boiler's steam.

Example
-------
>>> from carbonhub.costing.correlations import reference_plant
>>> from carbonhub.costing.power_island import STEAM_TURBINE_COST
>>> e = reference_plant(STEAM_TURBINE_COST[4:])
>>> e["S_ref"], e["unit"], e["verified"]
(232200.0, 'kW (kW)', True)
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

__all__ = ["STEAM_TURBINE_COST", "steam_turbine_MW", "steam_turbine_cost_rows", "power_island_kpis"]

STEAM_TURBINE_COST = "ref.steam_turbine_netl"
"""Cost item of the condensing turbine, sized on its electrical output [kW]."""


def steam_turbine_MW(res: "SimulationResult", flows: dict[str, np.ndarray]) -> np.ndarray:
    """Electricity [MW] of the condensing turbine per case: surplus steam [t/h] x
    ``prices.steam_to_power_MWh_per_t`` where ``prices.steam_credit_rule`` is
    ``condensing_turbine``, 0 elsewhere. ``flows``: the annual flows of the cases
    (:func:`carbonhub.costing.flowsheet.annual_flows`)."""
    hours = res.param("economics.operating_hours").astype(float)
    rule = np.broadcast_to(np.asarray(res.param("prices.steam_credit_rule")).astype(str), (res.n_cases,))
    steam_t_per_h = np.maximum(-np.nan_to_num(np.asarray(flows["steam_export_t_per_y"], dtype=float)), 0.0) / hours
    return np.where(rule == "condensing_turbine",
                    steam_t_per_h * res.param("prices.steam_to_power_MWh_per_t").astype(float), 0.0)


def steam_turbine_cost_rows(res: "SimulationResult", flows: dict[str, np.ndarray]) -> list[dict]:
    """The cost row of the condensing turbine (unit ``steam_turbine``, item
    :data:`STEAM_TURBINE_COST`, size its electrical output [kW]) in the cases that expand
    surplus steam; [] where none does. ``flows`` as :func:`steam_turbine_MW`."""
    if "prices" not in res.flowsheet.groups:
        return []
    mw = steam_turbine_MW(res, flows)
    if not (mw > 0).any():
        return []
    kw = mw * 1e3
    return [{"unit_id": "steam_turbine", "item": STEAM_TURBINE_COST, "size": np.maximum(kw, 1e-6 * kw.max()),
             "maturity": "nth", "active": (kw > 0).astype(float), "scope": None, "includes": (),
             "labour": "none"}]


def power_island_kpis(res: "SimulationResult", flows: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``steam_turbine_MW``: electricity of the condensing turbine (0 unless the steam credit
    rule is ``condensing_turbine``). ``flows`` as :func:`steam_turbine_MW`."""
    if "prices" not in res.flowsheet.groups:
        return {}
    return {"steam_turbine_MW": steam_turbine_MW(res, flows)}
