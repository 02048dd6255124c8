"""Catalysts of a route: their inventories, their replacement and their first fill.

The reactors that hold a catalyst report its inventory (``UnitResult.utilities["catalyst_kg"]``:
FT, methanol, water-gas shift, MtO; :data:`CATALYSTS` maps the unit class to its price key,
``prices.yaml <name>_eur_per_kg``). The TEA buys the inventory again every
``economics.catalyst_life_y`` years as a variable operating cost (:func:`catalyst_inventories`,
costing/opex.py) and, under ``economics.catalyst_first_fill = capital`` (the default), buys the
first charge with the plant: the costing-level unit ``<unit>_catalyst_fill`` (a declared
fixed-capital row: inventory x price, no installation or indirect factor, in the unit's own
area, depreciated with the fixed capital). ``none`` leaves the first charge out (a paper that
counts only the replacements).

The first charge is capital in the cost methods this project follows: the NETL QGESS cost
estimation methodology (doi:10.2172/1567736) counts an "initial cost for catalyst and chemicals"
among the owner's costs of the total overnight cost (read as encoded in IDAES 2.13
``idaes/models/costing/QGESS.py``, ``total_overnight_capital``, where NETL sizes it as six
months of the chemicals' cost; carbonhub takes the inventory the reactor holds). A cost block
that already holds the catalyst declares it in its ``includes`` (scope
``<price key>_first_fill``): the complete methanol plant of DEA sheet 98 and the DECHEMA MtO
unit, all-in plant costs, are taken to include their first charge, so the row costs zero there
and the cost table names the block that holds it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .areas import unit_areas

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

__all__ = ["CATALYSTS", "CATALYST_LIFE_Y", "FIRST_FILL_CHOICES", "catalyst_units",
           "catalyst_inventories", "catalyst_fill_cost_rows"]

CATALYSTS = {  # unit class -> price key without _eur_per_kg
    "FischerTropsch": "cobalt_ft_catalyst",
    "MethanolReactor": "cu_zno_methanol_catalyst",
    "WaterGasShift": "shift_catalyst",
    "MethanolToOlefins": "sapo34_mto_catalyst",
}
CATALYST_LIFE_Y = 3.0
"""Catalyst replacement interval [y] (typical 2-5 y for Co-FT, Cu/ZnO methanol and shift
catalysts; Spath & Dayton 2003, NREL/TP-510-34929, ch. 6-7). Parameter ``economics.catalyst_life_y``."""
FIRST_FILL_CHOICES = ("capital", "none")
"""``economics.catalyst_first_fill``: the first charge bought with the plant, or not counted."""


def catalyst_units(res: "SimulationResult") -> list[tuple[str, str, np.ndarray]]:
    """(unit id, price key, inventory [kg] per case) of every unit holding a catalyst."""
    out = []
    for uid, unit in res.flowsheet.units.items():
        name = CATALYSTS.get(type(unit).__name__)
        r = res.unit_results.get(uid)
        if name and r is not None and "catalyst_kg" in r.utilities:
            out.append((uid, name, np.nan_to_num(np.asarray(r.utilities["catalyst_kg"], dtype=float))
                        + np.zeros(res.n_cases)))
    return out


def catalyst_inventories(res: "SimulationResult") -> dict[str, dict[str, np.ndarray]]:
    """Inventory [kg] and replacement interval [y] per catalyst (price key), summed over the
    units that hold it: the ``catalysts`` argument of :func:`carbonhub.costing.tea.evaluate_tea`."""
    life = res.param("economics.catalyst_life_y").astype(float)
    cat: dict[str, dict[str, np.ndarray]] = {}
    for _, name, inv in catalyst_units(res):
        if name in cat:
            cat[name]["inventory_kg"] = cat[name]["inventory_kg"] + inv
        else:
            cat[name] = {"inventory_kg": inv, "life_y": life}
    return cat


def catalyst_fill_cost_rows(res: "SimulationResult", cost_year: int) -> list[dict]:
    """Cost rows of the first catalyst charges (unit ``<unit>_catalyst_fill`` per catalyst
    unit: a declared fixed-capital cost, inventory x the catalyst's price in EUR of
    ``cost_year``), active where ``economics.catalyst_first_fill`` is ``capital``; [] where the
    flowsheet has no economics or no catalyst."""
    from .opex import price_of

    fs = res.flowsheet
    if "economics" not in fs.groups:
        return []
    units = catalyst_units(res)
    if not units:
        return []
    choice = np.broadcast_to(np.asarray(res.param("economics.catalyst_first_fill")).astype(str), (res.n_cases,))
    active = (choice == "capital").astype(float)
    areas = unit_areas(fs)
    rows = []
    for uid, name, inv in units:
        price = float(price_of(name, "kg", None, None, cost_year))
        rows.append({"unit_id": f"{uid}_catalyst_fill", "item": "declared", "size": inv,
                     "fixed_capital_cost": inv * price, "cost_currency": "EUR", "cost_year": cost_year,
                     "maturity": "nth", "active": active, "scope": f"{name}_first_fill",
                     "includes": (), "labour": "none", "area": areas.get(uid, "synthesis")})
    return rows
