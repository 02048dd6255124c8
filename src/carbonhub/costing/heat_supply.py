"""Which utilities supply a route's heat, per case: the units' own duties or the pinch targets
(``heat.utility_basis``), by fuel or electrified (``heat.hot_utility``). Used by the costing
(:func:`carbonhub.costing.flowsheet.annual_flows`) and by CO2 avoided, so that both price and
count the same electricity, steam, natural gas and cooling water.

Which utility can deliver a heat demand (every case, before the choices below):

* steam: the site's steam is MP steam at 10 bar (saturated at 453.03 K); it heats a unit's
  demand (``steam_heat_W``) up to its saturation temperature less ``heat.steam_approach_K``
  (default 10 K, Kemp's dT_min, :data:`~carbonhub.costing.pinch.DT_MIN_K`). The demand's
  temperature is the one the unit reports (design ``heat_demand_T_K``) or else its hottest
  outlet (:func:`heat_demand_T_K`). A hotter demand stays on steam where a higher level the
  route raises itself reaches it (a syngas cooler's or boiler's 40 bar, 523.5 K, less the same
  approach: biomass_ft's FT feed preheat to 493 K, 18.1 MW), up to the steam raised there
  (:func:`own_steam_levels`; counted, as all steam in carbonhub, at the heat it delivers, and
  taken from the island's MP extraction under ``power_island``). Otherwise it is fired heat
  (Towler & Sinnott 2013, 3.2.2: "Fired heaters are used for process heating duties above the
  highest temperatures that can be reached using high pressure steam, typically about 250 degC"),
  with a fired heater costed on it (:func:`fired_heater_cost_rows`): biomass_ft's product-column
  reboilers (529 K, 0.8 MW) at the defaults. (The shifts' reactor-inlet preheat, once fired here,
  15.4 MW in biomass_ft and 6.0 MW in waste_methanol_mto, is the island's feed-effluent exchanger
  ``wgs_feh``.)
* fired heat: the units' fired duties and these demands are heat delivered to the process; the
  natural gas bought for them is that heat over ``heat.furnace_efficiency`` (default 0.85,
  :data:`~carbonhub.costing.utilities.FURNACE_EFFICIENCY`), in the costing, in CO2 avoided
  (the gas burnt times its factor) and in the energy and exergy KPIs (costing/energy.py). A
  surplus of the route's own heaters (negative ``fired_heat_W``) is heat they deliver, their own
  efficiency already in it.
* refrigeration: a column feed chilled to a bubble point below the reach of cooling water (the
  olefin train's demethaniser feed at 266 K) is chilled by a refrigeration cycle
  (:func:`chilling_below_cooling_water`): its electricity, chill / COP with the Carnot-fraction
  model of the unit's refrigerated condensers, is bought and rejected with the chill to cooling
  water.

``heat.utility_basis``
    ``units`` (default): each unit's heating and cooling by its own utility, as simulated.
    ``pinch``: the heat a heat-exchanger network at ``heat.dt_min`` would leave: the units'
    steam demand is scaled by ``hot_utility_min / hot_utility_unintegrated`` and their cooling
    terms (cooling water, steam raised) by ``cold_utility_min / cold_utility_unintegrated``
    (:mod:`carbonhub.costing.pinch`), per case, both ratios of the integrated streams (the
    fired duties apart). The fired duties stay as they are: furnace heat at the units' reaction
    temperatures, which the pinch targets do not integrate (see :mod:`carbonhub.costing.pinch`;
    scaling them too once made plastics_pyrolysis sell as fuel gas the heat its pyrolysis
    reactor and the host cracker's coils need, MSP -243 instead of 206 EUR/t). The mix of
    utility kinds within each side is kept: a screening assumption (a utility-level targeting
    on the grand composite would place them).
``heat.hot_utility``
    ``fuel`` (default): the net steam is bought (or sold) as MP steam and the fired heat burns
    natural gas. ``electric_boiler``: the steam bought and the natural gas bought for fired heat
    (net of the route's own gases burned) come from electricity
    at ``heat.electric_boiler_efficiency`` (default 0.99). ``heat_pump``: the steam bought comes
    from a heat pump lifting process waste heat at ``heat.heat_pump_T_source_K`` to
    ``heat.heat_pump_T_sink_K`` with the Carnot-fraction model
    ``COP = eta x T_sink / (T_sink - T_source)`` (``eta`` = ``heat.heat_pump_carnot_fraction``,
    default 0.5); the heat it draws, ``Q (1 - 1/COP)``, is taken off the cooling water (at most
    all of it); fired heat (above a heat pump's range) stays on natural gas.

Capital: an electric boiler (70 EUR2019/kW of heat) or a heat pump (934.56 EUR2019/kW of heat, up
to 150 degC) is costed on the heat it delivers in each case (Danish Energy Agency, Technology Data
for Industrial Process Heat, 2030 figures, all in 2019 EUR, ``reference_plants.yaml``), as a unit
``heat_supply`` in the utilities area (:func:`heat_supply_cost_rows`). Their fixed and variable
O&M (DEA: 1.5 %/y and 0.9 EUR/MWh; 0.1 %/y and 3.2 EUR/MWh) are not added beyond carbonhub's
own maintenance share of the installed cost.

Defaults: the electric boiler's efficiency 0.99 is DEA's "310.1 Electric boiler steam" (total
efficiency, net, annual average); the heat pump's quality grade 0.5 is the middle of the 0.4-0.6
that Arpagaus (2019, Hochtemperatur-Waermepumpen, VDE-Verlag) finds for high-temperature heat
pumps, as quoted in the oemof-thermal documentation (compression heat pumps and chillers; the
book was not read). With it the model gives 3.02 from 80 to 150 degC, DEA's "302.b High temp.
hp Up to 150" lists a COP of 3.05.

Example
-------
>>> from carbonhub.costing.heat_supply import heat_pump_cop
>>> round(float(heat_pump_cop(453.03, 353.15, 0.5)), 3)
2.268
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..core.boundary import boundary
from ..core.unit import Param
from ..units import MWH
from .pinch import DT_MIN_K, pinch_kpis
from .utilities import CW_J_PER_M3, FURNACE_EFFICIENCY, STEAM_LATENT_J_PER_KG, STEAM_SOURCES, STEAM_T_SAT_K
from ..unitops._common import ROUND_OFF_DUTY_W, chiller_cop
from .memo import finite0, once

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

__all__ = ["own_fuel_raises_steam", "unit_heat_utilities", "own_steam_cost_rows", "UTILITY_BASES", "HOT_UTILITIES", "HEAT_SUPPLY_COSTS", "heat_supply_cost_rows", "add_heat_params", "heat_supply_params", "heat_pump_cop", "heat_supply",
           "apply_heat_supply", "heat_supply_kpis", "heat_demand_T_K", "above_steam_reach_W",
           "chilling_below_cooling_water", "furnace_efficiency", "steam_reach_K",
           "fired_heater_cost_rows", "chiller_cop"]

UTILITY_BASES = ("units", "pinch")
HOT_UTILITIES = ("fuel", "electric_boiler", "heat_pump")
HEAT_SUPPLY_COSTS = {"electric_boiler": "ref.electric_boiler_steam_dea",
                     "heat_pump": "ref.industrial_heat_pump_high_temperature_dea"}
"""Cost item (reference_plants.yaml) of each electrified hot utility, sized in MW of heat."""


def heat_supply_params() -> dict[str, Param]:
    """The ``heat.*`` parameters of the utility choices (declared with ``heat.dt_min``)."""
    return {
        "utility_basis": Param("units", "choice", doc="utilities from the units' own duties (units) or "
                               "from the pinch targets at heat.dt_min (pinch)", choices=UTILITY_BASES),
        "hot_utility": Param("fuel", "choice", doc="heat by bought steam and natural gas (fuel), an "
                             "electric boiler/heater (electric_boiler) or a heat pump for the steam "
                             "(heat_pump)", choices=HOT_UTILITIES),
        "electric_boiler_efficiency": Param(0.99, "", 0.5, 1.0,
                                            "heat delivered per electricity of an electric boiler [-] "
                                            "(DEA technology data 310.1)"),
        "heat_pump_carnot_fraction": Param(0.5, "", 0.1, 0.9,
                                           "heat pump COP as a fraction of the Carnot COP (quality "
                                           "grade) [-] (0.4-0.6 for high-temperature heat pumps, "
                                           "Arpagaus 2019)"),
        "heat_pump_T_source_K": Param(353.15, "K", 273.15, 600.0,
                                      "temperature of the process waste heat a heat pump lifts [K]"),
        "heat_pump_T_sink_K": Param(453.03, "K", 300.0, 700.0,
                                    "temperature a heat pump delivers [K] (default: MP steam, 10 bar)"),
        "furnace_efficiency": Param(FURNACE_EFFICIENCY, "", 0.3, 1.0,
                                    "heat a fired heater delivers per LHV of the natural gas it burns [-] "
                                    "(Towler & Sinnott 2013, 3.2.2: ~0.85 radiant + convective)"),
        "steam_approach_K": Param(DT_MIN_K, "K", 0.0, 100.0,
                                  "MP steam (10 bar, 179.9 degC) heats a demand up to its saturation "
                                  "temperature less this approach; hotter demands are fired [K]"),
    }


def add_heat_params(fs) -> None:
    """Declare the parameter group ``heat`` on a flowsheet: ``heat.dt_min`` (pinch targeting,
    :mod:`carbonhub.costing.pinch`) and the utility choices of :func:`heat_supply_params`."""
    if "heat" in fs.groups:
        return
    fs.add_group("heat", {"dt_min": Param(DT_MIN_K, "K", 0.0, 100.0,
                                          "minimum approach temperature for pinch targeting [K]"),
                          **heat_supply_params()})


def heat_pump_cop(T_sink, T_source, carnot_fraction) -> np.ndarray:
    """Heating COP of the Carnot-fraction model, ``eta T_sink / (T_sink - T_source)``, at least 1."""
    T_sink, T_source = np.asarray(T_sink, dtype=float), np.asarray(T_source, dtype=float)
    lift = np.maximum(T_sink - T_source, 1e-9)
    return np.maximum(np.asarray(carnot_fraction, dtype=float) * T_sink / lift, 1.0)


def _choice(res, name: str, default: str) -> np.ndarray:
    n = res.n_cases
    if "heat" not in res.flowsheet.groups or name not in res.flowsheet.groups["heat"].params:
        return np.full(n, default)
    return np.broadcast_to(np.asarray(res.param(f"heat.{name}")).astype(str), (n,))


def _p(res, name: str) -> np.ndarray:
    return np.broadcast_to(res.param(f"heat.{name}").astype(float), (res.n_cases,))


def own_fuel_raises_steam(steam_net, fired):
    """The route's own surplus fuel raises its steam before anything is bought or sold.

    ``fired`` < 0 (signed as the units report ``fired_heat_W``) is heat that a heater burning
    the route's own gases and char delivers beyond the fired duties; ``steam_net`` > 0 is steam
    the route would buy. A plant with surplus fired heat does not buy steam: the surplus raises
    it (steam coils in the heater's convection section, a waste-heat boiler on its flue gas)
    up to the net steam demand, heat for heat (the heater's delivered heat already carries its
    efficiency; steam is counted as heat in carbonhub, as the demand). Only the remainder is a
    fuel surplus (``fuel_gas_export``). Any consistent units (W, J/y). Returns
    ``(steam_net, fired, raised)`` with ``raised`` >= 0 the steam heat raised from own fuel.

    >>> own_fuel_raises_steam(np.array([2.0, 5.0, 1.0]), np.array([-3.0, -3.0, 0.5]))
    (array([0., 2., 1.]), array([-1. ,  0. ,  0.5]), array([2., 3., 0.]))
    """
    steam_net, fired = np.asarray(steam_net, dtype=float), np.asarray(fired, dtype=float)
    raised = np.minimum(np.maximum(-fired, 0.0), np.maximum(steam_net, 0.0))
    return steam_net - raised, fired + raised, raised


def _p_or(res, name: str, default: float) -> np.ndarray:
    """``heat.<name>`` per case, or ``default`` on a flowsheet without it."""
    if "heat" not in res.flowsheet.groups or name not in res.flowsheet.groups["heat"].params:
        return np.full(res.n_cases, float(default))
    return _p(res, name)


def _outlets(res: "SimulationResult") -> dict[str, list[str]]:
    """The outlet stream ids of each unit, once per result."""
    def build():
        out: dict[str, list[str]] = {}
        for c in res.flowsheet.connections:
            if c.id in res.stream_data:
                out.setdefault(c.src.unit.id, []).append(c.id)
        return out
    return once(res, "unit_outlet_streams", build)


def heat_demand_T_K(res: "SimulationResult", uid: str) -> np.ndarray:
    """The temperature a unit's heat demand must reach [K] per case: its design result
    ``heat_demand_T_K`` where it reports one, else the hottest of its outlet streams that carry
    flow (a heater's outlet, a column's bottoms at its reboiler, a reactor's effluent); -inf
    where it has none."""
    r = res.unit_results[uid]
    if "heat_demand_T_K" in r.design:
        return np.broadcast_to(finite0(r.design["heat_demand_T_K"]), (res.n_cases,))
    T = np.full(res.n_cases, -np.inf)
    for sid in _outlets(res).get(uid, []):
        s = res.stream_data[sid]
        T = np.where(finite0(s.mass_flow) > 0, np.maximum(T, finite0(s.T)), T)
    return T


def furnace_efficiency(res: "SimulationResult") -> np.ndarray:
    """``heat.furnace_efficiency`` per case (the default,
    :data:`~carbonhub.costing.utilities.FURNACE_EFFICIENCY`, where the flowsheet has none)."""
    return _p_or(res, "furnace_efficiency", FURNACE_EFFICIENCY)


def steam_reach_K(res: "SimulationResult") -> np.ndarray:
    """The hottest demand the site's MP steam heats [K] per case: its saturation temperature
    (10 bar, :data:`~carbonhub.costing.utilities.STEAM_T_SAT_K`) less ``heat.steam_approach_K``."""
    return STEAM_T_SAT_K - _p_or(res, "steam_approach_K", DT_MIN_K)


MIN_DEMAND_W = ROUND_OFF_DUTY_W
"""A steam demand of at most 1 W is round-off of a unit's balance (e.g. 3e-9 W in the
hydrocracker's), not a heater to build: it stays on steam."""


def own_steam_levels(res: "SimulationResult") -> list[tuple[np.ndarray, np.ndarray]]:
    """The steam levels above MP that the route's own units raise: ``(T_sat [K], raised [W])``
    per case of each unit raising steam (``steam_raised_W``) at a pressure it declares
    (parameter ``P_steam``, a syngas cooler's, or ``steam_P``, a boiler's), IAPWS-95."""
    from ..thermo import steam as props

    out = []
    for uid, r in res.unit_results.items():
        pars = res.flowsheet.units[uid].all_params()
        key = "P_steam" if "P_steam" in pars else "steam_P" if "steam_P" in pars else None
        if key is None or "steam_raised_W" not in r.utilities:
            continue
        q = finite0(r.utilities["steam_raised_W"])
        if (q > 0).any():
            P = np.broadcast_to(res.param(f"{uid}.{key}").astype(float), (res.n_cases,))
            out.append((np.asarray(props.T_sat(P), dtype=float), np.maximum(q, 0.0)))
    return out


def above_steam_reach_W(res: "SimulationResult") -> dict[str, np.ndarray]:
    """Per unit, the steam demand (``steam_heat_W``) [W] per case that no steam level of the
    site reaches (:func:`heat_demand_T_K` above :func:`steam_reach_K`): fired heat. A demand
    above MP steam's reach stays on steam where a higher level the route raises itself
    (:func:`own_steam_levels`) reaches it (its saturation temperature less the same approach),
    up to the steam raised at that level (the demands in the flowsheet's unit order take it
    first; a part beyond it is fired). Units without such a demand are left out. Once per
    result."""
    def build():
        reach = steam_reach_K(res)
        approach = STEAM_T_SAT_K - reach
        levels = [(T, q.copy()) for T, q in own_steam_levels(res)]
        out = {}
        for uid, r in res.unit_results.items():
            if "steam_heat_W" not in r.utilities:
                continue
            q = finite0(r.utilities["steam_heat_W"])
            if not (q > MIN_DEMAND_W).any():
                continue
            T = heat_demand_T_K(res, uid)
            hot = np.where((q > MIN_DEMAND_W) & (T > reach), q, 0.0)
            for T_sat, left in levels:  # a higher own level that reaches it takes what it can
                take = np.where(T <= T_sat - approach, np.minimum(hot, left), 0.0)
                hot = hot - take
                left -= take
            if (hot > 0).any():
                out[uid] = hot
        return out
    return once(res, "above_steam_reach_W", build)


def chilling_below_cooling_water(res: "SimulationResult") -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per unit, ``(chill_W, electricity_W)`` per case: a column feed cooled to a bubble point
    below the reach of cooling water (design results ``<column>_feed_heat_W`` < 0 and
    ``<column>_T_feed_bubble_K`` below the unit's ``T_cooling_water``, e.g. the olefin train's
    demethaniser feed at 266 K) is chilled by refrigeration: electricity = chill / COP
    (:func:`chiller_cop` at T_evap = bubble point - ``dT_condenser``, rejecting to
    ``T_ambient``, quality grade ``carnot_fraction``: the unit's parameters, those of its
    refrigerated condensers). Units without such a feed are left out. Once per result."""
    def build():
        out = {}
        for uid, r in res.unit_results.items():
            keys = [k for k in r.design if k.endswith("feed_heat_W")
                    and k[:-len("feed_heat_W")] + "T_feed_bubble_K" in r.design]
            if not keys:
                continue
            par = {k: np.broadcast_to(res.param(f"{uid}.{k}").astype(float), (res.n_cases,))
                   for k in ("T_cooling_water", "T_ambient", "carnot_fraction", "dT_condenser")}
            chill = np.zeros(res.n_cases)
            elec = np.zeros(res.n_cases)
            for k in keys:
                Tb = finite0(r.design[k[:-len("feed_heat_W")] + "T_feed_bubble_K"])
                q = np.where(Tb < par["T_cooling_water"], np.maximum(-finite0(r.design[k]), 0.0), 0.0)
                cop = chiller_cop(Tb - par["dT_condenser"], par["T_ambient"], par["carnot_fraction"])
                chill, elec = chill + q, elec + q / cop
            if (chill > 0).any():
                out[uid] = (chill, elec)
        return out
    return once(res, "chilling_below_cooling_water", build)


def unit_heat_utilities(res: "SimulationResult") -> dict[str, np.ndarray]:
    """The units' own heat utilities summed per case [W], before any heat-supply choice:
    ``steam_heat_W`` (steam used, up to :func:`steam_reach_K`), ``steam_raised_W``,
    ``cooling_W`` (with the heat the refrigeration of :func:`chilling_below_cooling_water`
    rejects beyond the chill: its electricity), ``fired_bought_W`` (the positive
    ``fired_heat_W`` and the steam demands above steam's reach, :func:`above_steam_reach_W`:
    heat delivered to the process), ``fired_above_steam_W`` (the latter alone),
    ``fired_surplus_W`` (the negative ``fired_heat_W``: heaters burning the route's own gases),
    ``refrigeration_W`` (electricity of that chilling) and ``steam_sources_W`` (process steam
    of the boundary steam sources at the latent heat of MP steam)."""
    return dict(once(res, "unit_heat_utilities", lambda: _unit_heat_utilities(res)))


def _unit_heat_utilities(res: "SimulationResult") -> dict[str, np.ndarray]:
    z = np.zeros(res.n_cases)
    out = {k: z.copy() for k in ("steam_heat_W", "steam_raised_W", "cooling_W", "fired_bought_W",
                                 "fired_surplus_W", "steam_sources_W")}
    for r in res.unit_results.values():
        u = r.utilities
        for k in ("steam_heat_W", "steam_raised_W", "cooling_W"):
            if k in u:  # an absent utility adds nothing
                out[k] = out[k] + finite0(u[k])
        if "fired_heat_W" in u:
            f = finite0(u["fired_heat_W"])
            out["fired_bought_W"] = out["fired_bought_W"] + np.maximum(f, 0.0)
            out["fired_surplus_W"] = out["fired_surplus_W"] + np.minimum(f, 0.0)
    hot = sum(above_steam_reach_W(res).values(), z.copy())
    out["steam_heat_W"] = out["steam_heat_W"] - hot
    out["fired_bought_W"] = out["fired_bought_W"] + hot
    out["fired_above_steam_W"] = hot
    out["refrigeration_W"] = sum((e for _, e in chilling_below_cooling_water(res).values()), z.copy())
    out["cooling_W"] = out["cooling_W"] + out["refrigeration_W"]
    for unit, s in boundary(res)[0]:
        if getattr(unit, "category", "") in STEAM_SOURCES:
            out["steam_sources_W"] = out["steam_sources_W"] + finite0(s.mass_flow) * STEAM_LATENT_J_PER_KG
    return out


def _ratio(num, den) -> np.ndarray:
    """num / den where den > 1e-12 MW, else 1 (nothing to integrate)."""
    ok = den > 1e-12
    return np.where(ok, np.maximum(num, 0.0) / np.where(ok, den, 1.0), 1.0)


def heat_supply(res: "SimulationResult") -> dict[str, np.ndarray]:
    """Per case [W]: ``steam_net_W`` (bought > 0, sold < 0, incl. the process steam of steam
    sources), ``fired_W`` (natural gas burnt, LHV: the net fired heat delivered over
    ``heat.furnace_efficiency`` where it is bought; a surplus of the route's own heaters < 0, as
    the units report it), ``fired_delivered_W`` (that heat delivered to the process),
    ``cooling_W``, ``electricity_W`` (extra electricity of the electrified heat),
    ``refrigeration_W`` (electricity of the chilling below cooling water) and, for the report,
    ``hot_utility_bought_W`` (the heat bought: steam and natural gas, before electrification).
    Once per result (:func:`.memo.once`); each call gets its own dict of the same arrays."""
    return dict(once(res, "heat_supply", lambda: _heat_supply(res)))


def _heat_supply(res: "SimulationResult") -> dict[str, np.ndarray]:
    z = np.zeros(res.n_cases)
    u = unit_heat_utilities(res)
    steam_heat, raised, cooling = u["steam_heat_W"], u["steam_raised_W"], u["cooling_W"]
    fired_pos, fired_neg, src_steam = u["fired_bought_W"], u["fired_surplus_W"], u["steam_sources_W"]
    basis = _choice(res, "utility_basis", "units")
    if (basis == "pinch").any():
        k = pinch_kpis(res)
        # not integrated: the fired duties (in both hot utilities as they are) and the steam
        # demands above steam's reach (in the targets as process streams), all fired
        fired_mw = fired_pos / 1e6
        fh = _ratio(k["hot_utility_min_MW"] - fired_mw, k["hot_utility_unintegrated_MW"] - fired_mw)
        fc = _ratio(k["cold_utility_min_MW"], k["cold_utility_unintegrated_MW"])
        pinch = basis == "pinch"
        steam_heat = np.where(pinch, fh * steam_heat, steam_heat)
        cooling = np.where(pinch, fc * cooling, cooling)
        raised = np.where(pinch, fc * raised, raised)
    # a heater burning the route's own gases reports its surplus < 0; it raises the steam first
    steam_net, fired, own = own_fuel_raises_steam(steam_heat - raised + src_steam, fired_pos + fired_neg)
    bought = np.maximum(steam_net, 0.0)
    delivered = np.maximum(fired, 0.0)  # fired heat bought, as heat delivered to the process
    eta = furnace_efficiency(res)
    out = {"hot_utility_bought_W": bought + delivered / eta, "own_steam_W": own,
           "refrigeration_W": u["refrigeration_W"]}
    hot = _choice(res, "hot_utility", "fuel")
    elec = z.copy()
    if (hot == "electric_boiler").any():
        eb = hot == "electric_boiler"
        elec = np.where(eb, (bought + delivered) / _p(res, "electric_boiler_efficiency"), elec)
        steam_net = np.where(eb, np.minimum(steam_net, 0.0), steam_net)
        fired = np.where(eb, np.minimum(fired, 0.0), fired)
    if (hot == "heat_pump").any():
        hp = hot == "heat_pump"
        cop = heat_pump_cop(_p(res, "heat_pump_T_sink_K"), _p(res, "heat_pump_T_source_K"),
                            _p(res, "heat_pump_carnot_fraction"))
        elec = np.where(hp, bought / cop, elec)
        cooling = np.where(hp, np.maximum(cooling - bought * (1.0 - 1.0 / cop), 0.0), cooling)
        steam_net = np.where(hp, np.minimum(steam_net, 0.0), steam_net)
    out.update({"steam_net_W": steam_net, "fired_W": np.where(fired > 0, fired / eta, fired),
                "fired_delivered_W": fired, "cooling_W": cooling, "electricity_W": elec})
    return out


def apply_heat_supply(res: "SimulationResult", flows: dict[str, np.ndarray], s_per_y: np.ndarray) -> None:
    """Overwrite the annual utility flows of :func:`~carbonhub.costing.flowsheet.annual_flows`
    (steam bought and sold, cooling water, natural gas fired, electricity) with those of
    :func:`heat_supply`: the steam demands above steam's reach fired, the natural gas the fired
    heat burns at ``heat.furnace_efficiency``, the refrigeration's electricity, and the
    choices ``heat.utility_basis`` and ``heat.hot_utility``; and ``fired_gas_co2_t_per_y``, the
    CO2 of the gas burnt (``ghg.natural_gas_ef_t_per_MWh`` on its LHV), at ``prices.co2_eur_per_t``
    (no stream carries it; bought steam's price holds its boiler's CO2 at that price too)."""
    h = heat_supply(res)
    steam_t = h["steam_net_W"] / (STEAM_LATENT_J_PER_KG * 1e3) * s_per_y
    flows["steam_import_t_per_y"] = np.maximum(steam_t, 0.0)
    flows["steam_export_t_per_y"] = np.minimum(steam_t, 0.0)
    flows["cooling_water_m3_per_y"] = h["cooling_W"] / CW_J_PER_M3 * s_per_y
    u = unit_heat_utilities(res)
    # the units' own fired duties as annual_flows counted them (natural-gas sources kept)
    fired_units = u["fired_bought_W"] - u["fired_above_steam_W"] + u["fired_surplus_W"]
    flows["natural_gas_MWh_per_y"] = flows["natural_gas_MWh_per_y"] + (h["fired_W"] - fired_units) * s_per_y / MWH
    if "ghg" in res.flowsheet.groups and "prices" in res.flowsheet.groups:
        # the fired heaters' CO2 (no stream carries it) pays the EU ETS price, as bought steam's does
        ef = res.param("ghg.natural_gas_ef_t_per_MWh").astype(float)
        flows["fired_gas_co2_t_per_y"] = np.maximum(h["fired_W"], 0.0) * s_per_y / MWH * ef
        flows["fired_gas_co2_price_eur_per_t"] = res.param("prices.co2_eur_per_t").astype(float) + 0.0 * ef
    net = (flows["electricity_MWh_per_y"] + flows["electricity_export_MWh_per_y"]
           + (h["electricity_W"] + h["refrigeration_W"]) * s_per_y / MWH)
    flows["electricity_MWh_per_y"] = np.maximum(net, 0.0)
    flows["electricity_export_MWh_per_y"] = np.minimum(net, 0.0)


def heat_supply_kpis(res: "SimulationResult") -> dict[str, np.ndarray]:
    """``hot_utility_bought_MW`` (steam bought + natural gas burnt under ``heat.utility_basis``),
    ``heat_electricity_MW`` (electricity of the electrified heat under ``heat.hot_utility``),
    ``heat_above_steam_MW`` (:func:`above_steam_reach_W`, summed) and
    ``refrigeration_electricity_MW`` (:func:`chilling_below_cooling_water`)."""
    h = heat_supply(res)
    return {"hot_utility_bought_MW": h["hot_utility_bought_W"] / 1e6,
            "heat_electricity_MW": h["electricity_W"] / 1e6,
            "heat_above_steam_MW": unit_heat_utilities(res)["fired_above_steam_W"] / 1e6,
            "refrigeration_electricity_MW": h["refrigeration_W"] / 1e6}


OWN_STEAM_COST = "ref.boiler_package"
"""Cost item of the steam raised from a route's own surplus fuel (:func:`own_fuel_raises_steam`),
sized on the heat it raises [MW]: Seider's fired steam boiler, an upper estimate for the steam
coils of a heater's convection section or a waste-heat boiler on its flue gas."""


def own_steam_cost_rows(own_steam_W) -> list[dict]:
    """The cost row (unit ``own_steam``, area utilities, no operators of its own) of the steam
    raised from own surplus fuel, in the cases that raise some; [] where none does."""
    own = np.asarray(own_steam_W, dtype=float) / 1e6
    if not (own > 0).any():
        return []
    return [{"unit_id": "own_steam", "item": OWN_STEAM_COST, "size": np.where(own > 0, own, own[own > 0].max()),
             "maturity": "nth", "active": (own > 0).astype(float), "scope": None, "includes": (),
             "labour": "none"}]


def fired_heater_cost_rows(res: "SimulationResult") -> list[dict]:
    """A fired heater per unit whose steam demand lies above steam's reach
    (:func:`above_steam_reach_W`): unit ``<unit>_fired_heater`` in the unit's area, Turton's
    non-reactive process heater (:data:`~carbonhub.unitops._common.FIRED_HEATER_COST`) on that
    duty [kW], its tubes at the pressure of the unit's outlets; active in the cases with such
    a demand. The unit's own exchanger (a heater's, a column's reboiler) stays costed: an upper
    estimate."""
    from ..unitops._common import FIRED_HEATER_COST
    from .areas import unit_areas

    areas = unit_areas(res.flowsheet)
    rows = []
    for uid, q in above_steam_reach_W(res).items():
        kw = q / 1e3
        P = np.zeros(res.n_cases)
        for sid in _outlets(res).get(uid, []):
            P = np.maximum(P, finite0(res.stream_data[sid].P))
        rows.append({"unit_id": f"{uid}_fired_heater", "item": FIRED_HEATER_COST,
                     "size": np.where(kw > 0, kw, kw.max()), "maturity": getattr(res.flowsheet.units[uid], "maturity", None),
                     "active": (kw > 0).astype(float), "scope": None, "includes": (),
                     "area": areas.get(uid, "utilities"), "pressure_barg": np.maximum(P / 1e5 - 1.01325, 0.0)})
    return rows


def heat_supply_cost_rows(res: "SimulationResult") -> list[dict]:
    """Cost rows (as :func:`carbonhub.costing.flowsheet.unit_table` builds them) of the electric
    boiler or heat pump of the cases that choose one: unit ``heat_supply``, area utilities,
    size = heat it delivers [MW] (steam and natural gas bought it replaces; a heat pump: the
    steam); of the steam raised from own surplus fuel (:func:`own_steam_cost_rows`); and of the
    fired heaters of the demands above steam's reach (:func:`fired_heater_cost_rows`)."""
    h = heat_supply(res)
    rows = own_steam_cost_rows(h["own_steam_W"]) + fired_heater_cost_rows(res)
    hot = _choice(res, "hot_utility", "fuel")
    if not np.isin(hot, tuple(HEAT_SUPPLY_COSTS)).any():
        return rows
    for k, (choice, item) in enumerate(HEAT_SUPPLY_COSTS.items()):
        active = (hot == choice).astype(float)
        cop = {"electric_boiler": _p(res, "electric_boiler_efficiency"),
               "heat_pump": heat_pump_cop(_p(res, "heat_pump_T_sink_K"), _p(res, "heat_pump_T_source_K"),
                                          _p(res, "heat_pump_carnot_fraction"))}[choice]
        size = np.where(active > 0, h["electricity_W"] * cop / 1e6, 0.0)
        if not (size > 0).any():
            continue
        rows.append({"unit_id": "heat_supply" if k == 0 else f"heat_supply.{k}", "item": item,
                     "size": np.where(size > 0, size, size[size > 0].max()), "maturity": "nth",
                     "active": active * (size > 0),
                     "scope": None, "includes": (), "labour": "none"})
    return rows
