"""The power island of the condensing-turbine steam credit: its electricity and its capital.

Under ``prices.steam_credit_rule = condensing_turbine`` the plant's surplus MP steam (the net
steam balance of :func:`carbonhub.costing.flowsheet.annual_flows`, after the heat supply) is
expanded in a condensing steam turbine and credited as electricity,
``prices.steam_to_power_MWh_per_t`` MWh per t. A turbine that earns that credit has to be
built: this module sizes it and costs it as the costing-level unit ``steam_turbine`` (area
utilities, no operators of its own) with three NETL bituminous-baseline accounts as encoded
in IDAES (reference_plants.yaml, verified): the steam turbine generator (8.1,
``steam_turbine_netl``) and its plant auxiliaries (8.2, ``steam_turbine_auxiliaries_netl``),
sized on the electricity it makes, and the condenser (8.3, ``steam_condenser_netl``), sized on
the heat the steam rejects there: the steam's heat as the costing counts it (latent heat of MP
steam) less the electricity. The condenser's cooling water is not bought, as the surplus heat
rejected under the rule ``none`` is not. Under the other rules no steam is expanded and nothing
is costed. What the route burns for power (e.g. biomass_ft's ``boiler_fuel.fraction``, the share of
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

from ..units import BTU_J, HOUR
from .utilities import STEAM_LATENT_J_PER_KG

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

__all__ = ["STEAM_TURBINE_COST", "STEAM_TURBINE_AUXILIARIES_COST", "STEAM_CONDENSER_COST", "steam_turbine_MW",
           "condenser_duty_MW", "steam_turbine_cost_rows", "power_island_kpis"]

STEAM_TURBINE_COST = "ref.steam_turbine_netl"
"""Cost item of the condensing turbine, sized on its electrical output [kW]."""
STEAM_TURBINE_AUXILIARIES_COST = "ref.steam_turbine_auxiliaries_netl"
"""Cost item of the turbine plant auxiliaries, sized on its electrical output [kW]."""
STEAM_CONDENSER_COST = "ref.steam_condenser_netl"
"""Cost item of the condenser, sized on the heat it takes [MMBtu/h]."""


def _surplus_steam_t_per_h(res: "SimulationResult", flows: dict[str, np.ndarray]) -> np.ndarray:
    """The plant's surplus MP steam [t/h] per case (>= 0)."""
    hours = res.param("economics.operating_hours").astype(float)
    return np.maximum(-np.nan_to_num(np.asarray(flows["steam_export_t_per_y"], dtype=float)), 0.0) / hours


def steam_turbine_MW(res: "SimulationResult", flows: dict[str, np.ndarray]) -> np.ndarray:
    """Electricity [MW] of the condensing turbine per case: surplus steam [t/h] x
    ``prices.steam_to_power_MWh_per_t`` where ``prices.steam_credit_rule`` is
    ``condensing_turbine``, 0 elsewhere. ``flows``: the annual flows of the cases
    (:func:`carbonhub.costing.flowsheet.annual_flows`)."""
    rule = np.broadcast_to(np.asarray(res.param("prices.steam_credit_rule")).astype(str), (res.n_cases,))
    return np.where(rule == "condensing_turbine", _surplus_steam_t_per_h(res, flows)
                    * res.param("prices.steam_to_power_MWh_per_t").astype(float), 0.0)


def condenser_duty_MW(res: "SimulationResult", flows: dict[str, np.ndarray]) -> np.ndarray:
    """Heat [MW] the condensing turbine's steam rejects in its condenser per case: the surplus
    steam's heat (latent heat of MP steam, as the costing counts it) less the electricity
    (:func:`steam_turbine_MW`); 0 where no steam is expanded."""
    mw = steam_turbine_MW(res, flows)
    steam_kg_s = _surplus_steam_t_per_h(res, flows) * 1e3 / HOUR
    return np.where(mw > 0, np.maximum(steam_kg_s * STEAM_LATENT_J_PER_KG / 1e6 - mw, 0.0), 0.0)


def steam_turbine_cost_rows(res: "SimulationResult", flows: dict[str, np.ndarray]) -> list[dict]:
    """The cost rows of the condensing turbine (unit ``steam_turbine``: ``steam_turbine``
    the turbine generator and ``steam_turbine.1`` its auxiliaries, sized on its electrical
    output [kW]; ``steam_turbine.2`` the condenser, sized on :func:`condenser_duty_MW`
    [MMBtu/h]) in the cases that expand surplus steam; [] where none does. ``flows`` as
    :func:`steam_turbine_MW`."""
    if "prices" not in res.flowsheet.groups:
        return []
    kw = steam_turbine_MW(res, flows) * 1e3
    if not (kw > 0).any():
        return []
    q = condenser_duty_MW(res, flows) * 1e6 * HOUR / (BTU_J * 1e6)  # MMBtu/h
    rows = []
    for k, (item, size) in enumerate(((STEAM_TURBINE_COST, kw), (STEAM_TURBINE_AUXILIARIES_COST, kw),
                                      (STEAM_CONDENSER_COST, q))):
        rows.append({"unit_id": "steam_turbine" if k == 0 else f"steam_turbine.{k}", "item": item,
                     "size": np.maximum(size, 1e-6 * size.max()), "maturity": "nth",
                     "active": (kw > 0).astype(float), "scope": None, "includes": (), "labour": "none"})
    return rows


def power_island_kpis(res: "SimulationResult", flows: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``steam_turbine_MW``: electricity of the condensing turbine (0 unless the steam credit
    rule is ``condensing_turbine``). ``flows`` as :func:`steam_turbine_MW`."""
    if "prices" not in res.flowsheet.groups:
        return {}
    return {"steam_turbine_MW": steam_turbine_MW(res, flows)}
