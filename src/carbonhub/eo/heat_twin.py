"""The twin's heat supply: which part of each unit's steam demand is steam, which is fired heat.

The core (:mod:`carbonhub.costing.heat_supply`) heats a steam demand above the reach of every
steam level with fired heat: natural gas at ``heat.furnace_efficiency``, its CO2 paying the ETS
price (cost line ``fired_gas_co2``) and a fired heater costed on the duty (``<unit>_fired_heater``);
a demand a higher level the route raises itself reaches stays on steam up to what that level
raises. The twin holds this split as the core made it at the build point (which demands are
fired follows from their temperatures, a regime the optimiser's steps do not cross) and writes
each side as an expression of the unit's duty:

* a demand wholly on steam or wholly fired: the whole demand on that side;
* a demand partly on the route's own steam (the level it draws on is used up): the steam part
  stays what the level gives at the build point, every change of the demand is fired heat.

The plant's net steam is then the core's (the units' steam parts less the steam raised, plus the
steam sources), so that the twin prices it by the side of zero it is on (the regime of
:func:`carbonhub.eo.tea._steam_regime`); the fired heat delivered is the units' fired duties
plus the fired parts, and the natural gas, its CO2 and the fired heaters' sizes follow it.
This holds where the core's heat is the units' own (``heat.utility_basis`` units,
``heat.hot_utility`` fuel) and no surplus of the route's own fuel raises steam;
:func:`heat_split` returns None otherwise (the TEA then scales the core's totals, as before).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..units import MWH


@dataclass
class HeatSplit:
    """The build point's split: per unit with a fired part, ``hot0`` the demand fired [W], the
    steam side (core value, twin expression) and the fired side (twin expression), in W as numbers."""

    hot0: dict[str, float] = field(default_factory=dict)
    steam: dict[str, tuple] = field(default_factory=dict)
    fired_parts: dict[str, object] = field(default_factory=dict)

    def steam_side(self, uid: str, u0: float, full):
        """(core value, twin expression) of the steam side of unit ``uid``'s steam demand
        ``u0`` [W] whose whole is ``full`` (twin expression, ``u0`` at the point)."""
        return self.steam.get(uid, (u0, full))


def heat_split(res, k: int, unit_flow) -> HeatSplit | None:
    """The split of case ``k`` (:func:`carbonhub.costing.heat_supply.above_steam_reach_W`),
    ``unit_flow(uid, key)`` giving (core value, twin expression) of a unit's utility; None where
    the core's heat is not the units' own (pinch basis, electrified heat, own fuel raising
    steam): there the twin keeps the scaling of the core's totals."""
    from carbonhub.costing.heat_supply import above_steam_reach_W, heat_supply

    heat = res.flowsheet.groups.get("heat")
    for name, own in (("utility_basis", "units"), ("hot_utility", "fuel")):
        if heat is not None and name in heat.params:
            if str(np.broadcast_to(np.asarray(res.param(f"heat.{name}")), (res.n_cases,))[k]) != own:
                return None
    if heat_supply(res)["own_steam_W"][k] != 0.0:
        return None
    out = HeatSplit()
    for uid, q in above_steam_reach_W(res).items():
        hot = float(q[k])
        if hot <= 0.0:
            continue
        u0, full = unit_flow(uid, "steam_heat_W")
        out.hot0[uid] = hot
        if hot >= u0 * (1.0 - 1e-12):  # wholly fired
            out.steam[uid], out.fired_parts[uid] = (0.0, 0.0), full
        else:  # the steam side what the route's own level gives it, held; the change fired
            out.steam[uid], out.fired_parts[uid] = (u0 - hot, u0 - hot), full - (u0 - hot)
    return out


def fired_terms(split: HeatSplit, unit_fired, res, k: int, flows, var0, s_per_y: float) -> dict:
    """Variable OPEX terms [EUR/y] of the natural gas and its CO2 as twin expressions of the
    fired heat delivered: the units' fired duties (``unit_fired``: [(core value, twin
    expression)] of their ``fired_heat_W``) plus the fired parts of the steam demands. {} where
    the twin's fired heat at the point is not the core's (to 1e-9) or none is bought."""
    from carbonhub.costing.heat_supply import furnace_efficiency, heat_supply

    fired0 = float(heat_supply(res)["fired_delivered_W"][k])
    tw0 = sum(v for v, _ in unit_fired) + sum(split.hot0.values())
    if fired0 <= 0.0 or abs(tw0 - fired0) > 1e-9 * fired0:
        return {}
    fired = sum(e for _, e in unit_fired) + sum(split.fired_parts.values())
    eta = float(furnace_efficiency(res)[k])
    out = {}
    gas0 = float(np.asarray(flows["natural_gas_MWh_per_y"]).ravel()[k])
    if var0.get("natural_gas", 0.0) and gas0 > 0.0:
        # natural gas = its sources + fired heat / efficiency: the change is the fired heat's
        out["natural_gas"] = var0["natural_gas"] * (1.0 + (fired - fired0) / eta * s_per_y / MWH / gas0)
    if var0.get("fired_gas_co2", 0.0):
        out["fired_gas_co2"] = var0["fired_gas_co2"] * fired / fired0  # CO2 of the gas: proportional
    return out


FIRED_HEATER_SUFFIX = "_fired_heater"
"""The cost row of a unit's fired heater is ``<unit>_fired_heater`` (costing.heat_supply)."""


def fired_heater_size_ratio(split: HeatSplit | None, row_id: str):
    """Twin expression of the size ratio S/S0 of a fired heater's cost row (its duty: the
    unit's fired part over the build point's), or None (not a fired heater row, or frozen)."""
    if split is None or not row_id.endswith(FIRED_HEATER_SUFFIX):
        return None
    uid = row_id[:-len(FIRED_HEATER_SUFFIX)]
    e, hot = split.fired_parts.get(uid), split.hot0.get(uid, 0.0)
    if e is None or hot <= 0.0 or isinstance(e, (int, float)):
        return None
    return e / hot
