"""The power island of the steam credit: its electricity and its capital.

Two rules build a turbine (``prices.steam_credit_rule``):

* ``condensing_turbine``: the plant's surplus MP steam (the net
steam balance of :func:`carbonhub.costing.flowsheet.annual_flows`, after the heat supply) is
expanded in a condensing steam turbine and credited as electricity,
``prices.steam_to_power_MWh_per_t`` MWh per t. A turbine that earns that credit has to be
built: this module sizes it and costs it as the costing-level unit ``steam_turbine`` (area
utilities, no operators of its own) with three NETL bituminous-baseline accounts as encoded
in IDAES (reference_plants.yaml, verified): the steam turbine generator (8.1,
``steam_turbine_netl``) and its plant auxiliaries (8.2, ``steam_turbine_auxiliaries_netl``),
sized on the electricity it makes, and the condenser (8.3, ``steam_condenser_netl``), sized on
the heat the exhaust steam rejects there: the steam's heat as the costing counts it (latent heat
of MP steam, the feedwater returned at its saturation) less the turbine's shaft work (the
electricity over the generator efficiency :data:`ISLAND_ETA_GENERATOR`, the assumption of
``prices.steam_to_power_MWh_per_t``). Both rules treat the generator alike (first law over the
turbine, then over the generator): the condenser takes the exhaust (sized on it), the
generator's loss (shaft work less electricity, 3 %) leaves through the generator's own coolers
(air or hydrogen, water-cooled) and joins the condenser's heat in the site's cooling water:
condenser duty plus generator loss is bought as cooling water and carried by the site's
cooling tower (:func:`generator_loss_MW`, :func:`turbine_condenser_W`,
:func:`settle_steam_turbine`: one path for both rules; under ``condensing_turbine`` that sum is
the steam's heat less the electricity). Under the other rules no steam is expanded and nothing is costed (the
surplus heat rejected under the rule ``none`` is not priced).

* ``power_island``: a steam-cycle power island (the scope of, e.g., Swanson et al. 2010's
  "steam system and power generation" area): ALL the steam the plant's units raise
  (``steam_raised_W``) passes one extraction-condensing turbine, each unit's steam at the
  pressure its heat can raise (:func:`steam_source_levels`), all of it from feedwater returned
  as saturated liquid at the MP level (10 bar), except a source below that level: its drum
  cannot hold 10-bar water (179.9 degC; it would flash), so it is fed saturated liquid at its
  own pressure and its heat raises what it can from there. The hot sources, those whose steam reaches the
  throttle (a syngas cooler's or boiler's declared 40 bar), are raised at the island's throttle
  conditions (``prices.steam_island_P``, ``prices.steam_island_T``) and pass the HP section; a
  source whose heat is too cold for the throttle's saturation (an FT reactor at 493 K, a
  methanol reactor at 523 K, under the 40-bar 523.5 K less the approach) raises saturated steam
  at the saturation pressure of its temperature less ``heat.steam_approach_K`` (10 K by
  default, Kemp's dT_min, the approach of the site's steam; FT ~19 bar, methanol ~33 bar),
  admitted to the turbine at that pressure (an admission turbine: it mixes with the steam
  expanding there). The whole flow expands to the MP level,
  where the process steam is extracted (the plant's steam demand, its own units' steam and
  the process steam of its steam sources), the rest on to the condenser (0.1 bar). Where the
  plant needs more MP steam than its turbine passes, the rest is bought as MP steam
  (``steam_import``) and nothing is condensed. Isentropic efficiency 0.75 and generator
  efficiency 0.97 in both sections, the assumptions of ``prices.steam_to_power_MWh_per_t``
  (tea_defaults.yaml): at a saturated 10-bar throttle the island is the condensing turbine
  above, MWh for MWh. Its electricity (:func:`island`) is an MSP line of its own,
  ``power_island_electricity`` (a sale at the electricity price; the units' own power is
  still bought or sold as ``electricity``), and it makes no ``steam_export``. The island is
  costed with the same three NETL accounts, sized on its gross output and its condenser duty,
  and with the rest of NETL's steam cycle (:data:`ISLAND_STEAM_COSTS`: feedwater system with
  pumps, deaerator and heaters, other feedwater subsystems, other boiler-plant systems, steam
  piping, sized on the steam it raises at all its levels; turbine-generator foundations and generator equipment,
  on its output). The
  steam raising itself belongs to the units that raise the steam (syngas cooler, FT
  reactor, fuel-gas boiler), so no HRSG account is added: where such a unit costs nothing of
  its own because its scope is inside another block (a syngas cooler under a gasifier block
  that ``includes`` it), its heat-recovery equipment is costed only as far as that block holds
  it. The condenser's heat and the
  generator's loss go to the site's cooling water: bought at the cooling-water price with the
  units' (:func:`settle_steam_turbine`) and carried by the site's cooling tower and its pumps
  (costing/water.py sizes them on the units' cooling duty plus :func:`turbine_condenser_W`,
  which the costing and the KPIs pass it), where NETL's own plants have a cooling system of
  their own (account 9).
  Energy closes per case: heat raised = electricity + generator loss + process heat by
  extraction + condenser duty (the condensate returned at the feedwater enthalpy of the
  source it feeds; its deaeration lumped into the condenser). Steam properties: IAPWS-95
  tabulated on first use (thermo/steam_tables.py, within 0.01 J/kg of CoolProp HEOS).

What the route burns for power (e.g. biomass_ft's ``boiler_fuel.fraction``, the share of
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

import hashlib
import weakref
from dataclasses import dataclass

import numpy as np

from ..thermo import steam_tables as props
from ..units import BTU_J, HOUR, LB_KG
from .utilities import CW_J_PER_M3, STEAM_LATENT_J_PER_KG, STEAM_T_SAT_K

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

__all__ = ["STEAM_TURBINE_COST", "STEAM_TURBINE_AUXILIARIES_COST", "STEAM_CONDENSER_COST", "ISLAND_STEAM_COSTS",
           "steam_turbine_MW", "condenser_duty_MW", "generator_loss_MW", "island_feedwater_lb_per_h", "turbine_condenser_W", "settle_steam_turbine", "steam_turbine_cost_rows", "power_island_kpis", "Island", "island",
           "ISLAND_P_MP", "ISLAND_P_CONDENSER", "ISLAND_ETA_TURBINE", "ISLAND_ETA_GENERATOR"]

STEAM_TURBINE_COST = "ref.steam_turbine_netl"
"""Cost item of the condensing turbine, sized on its electrical output [kW]."""
STEAM_TURBINE_AUXILIARIES_COST = "ref.steam_turbine_auxiliaries_netl"
"""Cost item of the turbine plant auxiliaries, sized on its electrical output [kW]."""
STEAM_CONDENSER_COST = "ref.steam_condenser_netl"
"""Cost item of the condenser, sized on the heat it takes [MMBtu/h]."""
ISLAND_STEAM_COSTS = (("ref.steam_feedwater_netl", "feedwater"), ("ref.steam_boiler_plant_systems_netl", "feedwater"),
                      ("ref.steam_piping_netl", "feedwater"), ("ref.steam_turbine_foundations_netl", "power"),
                      ("ref.steam_generator_equipment_netl", "power"))
"""Cost items the power island holds besides the turbine, its auxiliaries and condenser (rule
``power_island`` only), each with its size: the feedwater system and the other feedwater
subsystems (NETL 3.1 + 3.3), the other boiler-plant systems (3.5) and the steam piping (8.4),
sized on the steam the island raises [lb/h]; the turbine-generator foundations (8.5) and the
generator equipment (11.1), sized on its gross output [kW]."""
ISLAND_P_MP = 10e5
"""Extraction (MP steam) pressure of the power island [Pa]: the MP level at which the costing
counts process steam (latent heat of MP steam at 10 bar, costing/utilities.py)."""
ISLAND_P_CONDENSER = 1e4
"""Condenser pressure of the power island [Pa] (0.1 bar, as ``steam_to_power_MWh_per_t``)."""
ISLAND_ETA_TURBINE = 0.75
"""Isentropic efficiency of each turbine section (assumption of ``steam_to_power_MWh_per_t``,
tea_defaults.yaml: typical 0.70-0.85 for industrial turbines)."""
ISLAND_ETA_GENERATOR = 0.97
"""Generator efficiency (assumption of ``steam_to_power_MWh_per_t``: typical 0.95-0.98)."""


@dataclass(frozen=True)
class Island:
    """The power island per case (:func:`island`): all in W or kg/s, each of shape (n_cases,)."""

    electricity_W: np.ndarray
    """gross electrical output of the turbine generator"""
    throttle_kg_s: np.ndarray
    """all the steam raised (the throttle's and that admitted below it): the feedwater"""
    extraction_kg_s: np.ndarray
    """steam extracted at the MP level for the process"""
    condensing_kg_s: np.ndarray
    """steam on to the condenser"""
    condenser_W: np.ndarray
    """heat rejected in the condenser"""
    generator_loss_W: np.ndarray
    """shaft work not turned into electricity"""
    process_heat_W: np.ndarray
    """process heat the extracted steam delivers"""
    steam_bought_W: np.ndarray
    """process heat the island cannot cover, bought as MP steam (>= 0)"""


def island(raised_W, demand_W, P, T, admitted=()) -> Island:
    """The extraction-condensing power island that expands all the steam the plant raises.

    Parameters
    ----------
    raised_W : heat the plant's hot sources raise as throttle steam [W], (n_cases,)
    demand_W : process heat the plant takes as MP steam [W], (n_cases,)
    P, T : throttle pressure [Pa] and temperature [K] (saturated steam where T is at or below
        the saturation temperature)
    admitted : ``(P_k [Pa], raised_k [W])`` pairs, each (n_cases,): heat raised as saturated
        steam at P_k and admitted to the turbine at that pressure (an admission turbine:
        it mixes, adiabatically, with the steam expanding there); where P_k >= P (the source
        reaches the throttle) that heat joins ``raised_W`` at the throttle state. P_k below the
        condenser pressure is taken at the condenser pressure.

    All steam raised from saturated liquid at :data:`ISLAND_P_MP`, or at P_k where P_k is
    below it (the condenser then takes the feed heating that source does not need); the steam is expanded
    section by section between the admission pressures, the MP extraction and the condenser,
    each section at :data:`ISLAND_ETA_TURBINE`, the generator at :data:`ISLAND_ETA_GENERATOR`;
    steam admitted at the MP level may be extracted there. Steam properties IAPWS-95
    (tables of CoolProp HEOS, :mod:`carbonhub.thermo.steam_tables`).

    Example
    -------
    Saturated 10-bar steam, no process demand: the condensing turbine of
    ``prices.steam_to_power_MWh_per_t`` (0.140 MWh/t; tea_defaults.yaml):

    >>> import numpy as np
    >>> from carbonhub.costing.utilities import STEAM_LATENT_J_PER_KG
    >>> one_t_per_h = np.array([STEAM_LATENT_J_PER_KG / 3.6])  # 1 t/h of MP steam [W]
    >>> isl = island(one_t_per_h, np.zeros(1), np.array([10e5]), np.array([400.0]))
    >>> round(float(isl.electricity_W[0]) / 1e6, 3)
    0.14

    The same heat raised at 20 bar (saturated) and admitted there makes less than at a
    40-bar, 400 degC throttle:

    >>> q = np.array([10e6])
    >>> hp = island(q, np.zeros(1), np.array([40e5]), np.array([673.15]))
    >>> mp = island(np.zeros(1), np.zeros(1), np.array([40e5]), np.array([673.15]), [(np.array([20e5]), q)])
    >>> bool(mp.electricity_W[0] < hp.electricity_W[0])
    True
    """
    raised = np.maximum(np.asarray(raised_W, dtype=float), 0.0)
    demand = np.maximum(np.asarray(demand_W, dtype=float), 0.0)
    P = np.broadcast_to(np.asarray(P, dtype=float), raised.shape)
    T = np.broadcast_to(np.asarray(T, dtype=float), raised.shape)
    p_mp = np.full(raised.shape, ISLAND_P_MP)
    p_c = np.full(raised.shape, ISLAND_P_CONDENSER)
    h_fw = props.h_sat_liquid(p_mp)
    lvl_P, lvl_m, lvl_h = [], [], []
    fw_short = np.zeros(raised.shape)  # feed heating a source below the MP level does not take
    for p_k, q_k in admitted:
        p_k = np.maximum(np.broadcast_to(np.asarray(p_k, dtype=float), raised.shape), ISLAND_P_CONDENSER)
        q_k = np.maximum(np.broadcast_to(np.asarray(q_k, dtype=float), raised.shape), 0.0)
        hot = p_k >= P
        raised = raised + np.where(hot, q_k, 0.0)
        q_k = np.where(hot, 0.0, q_k)
        if (q_k > 0).any():
            h_k = props.h_sat_vapour(np.minimum(p_k, P))
            # its feedwater: saturated liquid at the MP level, or at its own pressure below it
            h_f = np.where(p_k < ISLAND_P_MP, props.h_sat_liquid(np.minimum(p_k, ISLAND_P_MP)), h_fw)
            lvl_P.append(np.where(hot, P, p_k))
            lvl_m.append(q_k / (h_k - h_f))
            lvl_h.append(h_k)
            fw_short = fw_short + lvl_m[-1] * (h_fw - h_f)
    tsat = props.T_sat(P)
    sup = T > tsat + 1e-3
    h = props.h_sat_vapour(P)
    s = props.s_sat_vapour(P)
    if sup.any():
        h = np.where(sup, props.h_water(np.where(sup, T, tsat + 1.0), P), h)
        s = np.where(sup, props.s_water(np.where(sup, T, tsat + 1.0), P), s)
    m0 = raised / (h - h_fw)
    # points along the expansion, highest pressure first: the admissions, then the MP
    # extraction (last among equal pressures: steam admitted at MP can be extracted there)
    pts = np.array(lvl_P + [p_mp])
    order = np.argsort(-pts, axis=0, kind="stable")
    k_x = len(lvl_P)
    m, p_now = m0.copy(), P
    shaft = np.zeros(raised.shape)
    m_x = q_x = None
    for j in range(k_x + 1):
        idx = order[j]
        p_j = np.take_along_axis(pts, idx[None], axis=0)[0]
        down = p_j < p_now
        if down.any():  # expand the flow to the point
            h2 = np.where(down, h - ISLAND_ETA_TURBINE * (h - props.h_from_PS(np.where(down, p_j, p_now), s)), h)
            shaft = shaft + m * (h - h2)
            h = h2
        p_now = np.minimum(p_now, p_j)
        is_x = idx == k_x
        if is_x.any():  # the MP extraction
            qx = h - h_fw  # heat an extracted kg delivers to the process
            mx = np.where(is_x, np.minimum(m, demand / qx), 0.0)
            m_x = mx if m_x is None else m_x + mx
            q_x = np.where(is_x, qx, 0.0) if q_x is None else np.where(is_x, qx, q_x)
            m = m - mx
        for k in range(k_x):  # an admission: adiabatic mixing
            at = (idx == k) & (lvl_m[k] > 0)
            if at.any():
                mk = np.where(at, lvl_m[k], 0.0)
                tot = m + mk
                h = np.where(at, (m * h + mk * lvl_h[k]) / np.where(tot > 0, tot, 1.0), h)
                m = tot
        s = props.s_from_PH(p_now, h)
    h3 = h - ISLAND_ETA_TURBINE * (h - props.h_from_PS(p_c, s))
    shaft = shaft + m * (h - h3)
    elec = ISLAND_ETA_GENERATOR * shaft
    m_tot = m0 + sum(lvl_m, np.zeros(raised.shape))
    return Island(electricity_W=elec, throttle_kg_s=m_tot, extraction_kg_s=m_x, condensing_kg_s=m,
                  condenser_W=m * (h3 - h_fw) + fw_short, generator_loss_W=shaft - elec,
                  process_heat_W=m_x * q_x, steam_bought_W=demand - m_x * q_x)


def steam_source_levels(res: "SimulationResult") -> list[tuple[str, np.ndarray, np.ndarray]]:
    """``(unit, P [Pa], raised [W])`` per case of each unit raising steam (``steam_raised_W``):
    the highest pressure at which its heat raises saturated steam. A unit that declares the
    pressure of the steam it raises (``P_steam``, a syngas cooler's; ``steam_P``, a boiler's) at
    that pressure; any other (an FT or methanol reactor's cooling) at the saturation pressure of
    its heat's temperature less ``heat.steam_approach_K`` (default 10 K, Kemp's dT_min, the
    approach of the site's steam, costing/heat_supply.py): that temperature is the reactor's
    (design ``T_K``, else its parameter ``T``), else the hottest outlet the unit reports. IAPWS-95
    (:mod:`carbonhub.thermo.steam_tables`)."""
    from .heat_supply import heat_demand_T_K, steam_reach_K

    approach = STEAM_T_SAT_K - steam_reach_K(res)
    n = (res.n_cases,)
    out = []
    for uid, r in res.unit_results.items():
        if "steam_raised_W" not in r.utilities:
            continue
        q = np.maximum(np.nan_to_num(np.asarray(r.utilities["steam_raised_W"], dtype=float)), 0.0)
        if not (q > 0).any():
            continue
        pars = res.flowsheet.units[uid].all_params()
        key = "P_steam" if "P_steam" in pars else "steam_P" if "steam_P" in pars else None
        if key is not None:
            p = res.param(f"{uid}.{key}").astype(float)
        else:
            t = (r.design["T_K"] if "T_K" in r.design else res.param(f"{uid}.T") if "T" in pars
                 else heat_demand_T_K(res, uid))
            t = np.asarray(t, dtype=float) - approach
            p = props.P_sat(np.clip(t, 280.0, 647.0))
        out.append((uid, np.broadcast_to(np.asarray(p, dtype=float), n), np.broadcast_to(q, n)))
    return out


def _rule(res: "SimulationResult") -> np.ndarray:
    return np.broadcast_to(np.asarray(res.param("prices.steam_credit_rule")).astype(str), (res.n_cases,))


def _surplus_steam_t_per_h(res: "SimulationResult", flows: dict[str, np.ndarray]) -> np.ndarray:
    """The plant's surplus MP steam [t/h] per case (>= 0)."""
    hours = res.param("economics.operating_hours").astype(float)
    return np.maximum(-np.nan_to_num(np.asarray(flows["steam_export_t_per_y"], dtype=float)), 0.0) / hours


_ISLANDS: "weakref.WeakKeyDictionary[SimulationResult, dict[bytes, Island]]" = weakref.WeakKeyDictionary()
"""The islands already evaluated, per result (dropped with it), keyed by a digest of the
inputs :func:`island_of` reads besides the result's own unit results: its settlement, turbine
size, condenser duty and KPIs ask for the same island, which is evaluated once."""


def _digest(*arrays) -> bytes:
    """A digest of the arrays' dtypes, shapes and bytes (the key of :data:`_ISLANDS`)."""
    h = hashlib.blake2b(digest_size=16)
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(f"{a.dtype.str}{a.shape}".encode())
        h.update(a.tobytes())
    return h.digest()


def _island_of_unique(demand, P, T, levels) -> Island:
    """:func:`island` (no steam at the throttle but the sources' own) evaluated once per distinct
    case (a parameter sweep that leaves the steam system alone gives many equal cases): each case's
    island is elementwise, so the result is the same as evaluating them all."""
    cols = np.column_stack([demand, P, T] + [a for lvl in levels for a in lvl])
    uniq, first, inv = np.unique(cols, axis=0, return_index=True, return_inverse=True)
    if len(uniq) == len(cols):
        return island(np.zeros(len(cols)), demand, P, T, levels)
    one = island(np.zeros(len(uniq)), demand[first], P[first], T[first], [(p[first], q[first]) for p, q in levels])
    inv = inv.ravel()
    return Island(**{k: v[inv] for k, v in vars(one).items()})


def island_of(res: "SimulationResult", flows: dict[str, np.ndarray], *,
              cache: bool = True) -> tuple[np.ndarray, Island | None]:
    """(mask, :class:`Island`) of the cases whose rule is ``power_island`` (the island of
    those cases only; None where there are none). ``flows``: the annual flows before the island
    settles them (:func:`carbonhub.costing.flowsheet.annual_flows` with ``island=False``):
    the plant's net MP steam there plus the steam its units raise is its process steam demand.

    The island (IAPWS-95 tables, all cases at once) is evaluated once per result and input: a later call
    with the same net steam, hours and throttle conditions returns the same :class:`Island`
    (``cache=False`` evaluates it anew)."""
    from .heat_supply import unit_heat_utilities

    pi = _rule(res) == "power_island"
    if not pi.any():
        return pi, None
    hours = res.param("economics.operating_hours").astype(float)
    imp = np.asarray(flows["steam_import_t_per_y"], dtype=float)
    exp = np.asarray(flows["steam_export_t_per_y"], dtype=float)
    P = np.broadcast_to(res.param("prices.steam_island_P").astype(float), pi.shape)
    T = np.broadcast_to(res.param("prices.steam_island_T").astype(float), pi.shape)
    memo = _ISLANDS.setdefault(res, {}) if cache else {}
    key = _digest(pi, np.broadcast_to(hours, pi.shape), imp, exp, P, T)
    if key not in memo:
        net_t_per_h = (imp + exp) / hours
        raised = unit_heat_utilities(res)["steam_raised_W"]
        demand = raised + net_t_per_h * 1e3 / HOUR * STEAM_LATENT_J_PER_KG
        levels = [(p[pi], q[pi]) for _, p, q in steam_source_levels(res)]
        isl = _island_of_unique(demand[pi], P[pi], T[pi], levels)
        for a in vars(isl).values():
            a.setflags(write=False)  # shared by every caller: read only
        memo[key] = isl
    return pi, memo[key]


def settle_power_island(res: "SimulationResult", flows: dict[str, np.ndarray], s_per_y: np.ndarray) -> None:
    """Under ``power_island``: replace the net steam of ``flows`` (annual flows, in place) by
    what the island leaves (MP steam bought where it cannot cover the process, no export) and
    add its electricity, ``power_island_electricity_MWh_per_y`` (negative: made and sold, at
    the electricity price: ``electricity_price_eur_per_MWh`` must already be in ``flows``).
    Its condenser's cooling water: :func:`settle_steam_turbine`."""
    pi, isl = island_of(res, flows)
    if isl is None:
        return
    from ..units import MWH

    sy = np.broadcast_to(s_per_y, pi.shape)[pi]
    imp = np.array(flows["steam_import_t_per_y"], dtype=float, copy=True)
    exp = np.array(flows["steam_export_t_per_y"], dtype=float, copy=True)
    imp[pi] = isl.steam_bought_W / STEAM_LATENT_J_PER_KG / 1e3 * sy
    exp[pi] = 0.0
    elec = np.zeros(pi.shape)
    elec[pi] = -isl.electricity_W * sy / MWH
    flows["steam_import_t_per_y"], flows["steam_export_t_per_y"] = imp, exp
    flows["power_island_electricity_MWh_per_y"] = elec
    flows["power_island_electricity_price_eur_per_MWh"] = flows["electricity_price_eur_per_MWh"]


def settle_steam_turbine(res: "SimulationResult", flows: dict[str, np.ndarray], s_per_y: np.ndarray) -> None:
    """Settle the turbine of the steam credit in ``flows`` (annual flows before it, in place):
    the island's steam and electricity (:func:`settle_power_island`), and, under both
    ``condensing_turbine`` and ``power_island``, the heat its condenser and generator reject
    (:func:`turbine_condenser_W`) added to the cooling water bought
    (``cooling_water_m3_per_y``, at :data:`~carbonhub.costing.utilities.CW_J_PER_M3`)."""
    q = turbine_condenser_W(res, flows)  # from the flows before the island settles them
    settle_power_island(res, flows, s_per_y)
    if (q > 0).any():
        flows["cooling_water_m3_per_y"] = (np.asarray(flows["cooling_water_m3_per_y"], dtype=float)
                                           + q / CW_J_PER_M3 * s_per_y)


def steam_turbine_MW(res: "SimulationResult", flows: dict[str, np.ndarray]) -> np.ndarray:
    """Gross electricity [MW] of the turbine per case: under ``condensing_turbine`` surplus
    steam [t/h] x ``prices.steam_to_power_MWh_per_t``, under ``power_island`` the island's
    output (:func:`island`), 0 elsewhere. ``flows``: the annual flows before the island
    settles them (:func:`carbonhub.costing.flowsheet.annual_flows` with ``island=False``)."""
    out = np.where(_rule(res) == "condensing_turbine", _surplus_steam_t_per_h(res, flows)
                   * res.param("prices.steam_to_power_MWh_per_t").astype(float), 0.0)
    pi, isl = island_of(res, flows)
    if isl is not None:
        out = np.array(out, dtype=float, copy=True)
        out[pi] = isl.electricity_W / 1e6
    return out


def condenser_duty_MW(res: "SimulationResult", flows: dict[str, np.ndarray]) -> np.ndarray:
    """Heat [MW] the turbine's exhaust steam rejects in its condenser per case: under
    ``condensing_turbine`` the surplus steam's heat (latent heat of MP steam, as the costing
    counts it) less the shaft work (:func:`steam_turbine_MW` over :data:`ISLAND_ETA_GENERATOR`),
    under ``power_island`` the island's condenser duty; 0 where no steam is expanded.
    ``flows`` as :func:`steam_turbine_MW`."""
    mw = steam_turbine_MW(res, flows)
    steam_kg_s = _surplus_steam_t_per_h(res, flows) * 1e3 / HOUR
    out = np.where((mw > 0) & (_rule(res) == "condensing_turbine"),
                   np.maximum(steam_kg_s * STEAM_LATENT_J_PER_KG / 1e6 - mw / ISLAND_ETA_GENERATOR, 0.0), 0.0)
    pi, isl = island_of(res, flows)
    if isl is not None:
        out[pi] = isl.condenser_W / 1e6
    return out


def generator_loss_MW(res: "SimulationResult", flows: dict[str, np.ndarray]) -> np.ndarray:
    """Heat [MW] the turbine's generator loses per case (shaft work less electricity: the
    electricity x (1/:data:`ISLAND_ETA_GENERATOR` - 1) under ``condensing_turbine``, the
    island's :attr:`Island.generator_loss_W` under ``power_island``), 0 where no steam is
    expanded. ``flows`` as :func:`steam_turbine_MW`."""
    mw = steam_turbine_MW(res, flows)
    out = np.where(_rule(res) == "condensing_turbine", mw * (1.0 / ISLAND_ETA_GENERATOR - 1.0), 0.0)
    pi, isl = island_of(res, flows)
    if isl is not None:
        out[pi] = isl.generator_loss_W / 1e6
    return out


def island_feedwater_lb_per_h(res: "SimulationResult", flows: dict[str, np.ndarray]) -> np.ndarray:
    """Feedwater [lb/h] to the power island per case: the steam it raises (its throttle flow,
    :attr:`Island.throttle_kg_s`) under ``power_island``, 0 elsewhere. ``flows`` as
    :func:`steam_turbine_MW`."""
    out = np.zeros(res.n_cases)
    pi, isl = island_of(res, flows)
    if isl is not None:
        out[pi] = isl.throttle_kg_s * HOUR / LB_KG
    return out


def turbine_condenser_W(res: "SimulationResult", flows: dict[str, np.ndarray]) -> np.ndarray:
    """Heat [W] the steam credit's turbine rejects to the site's cooling water per case: its
    condenser's duty (:func:`condenser_duty_MW`) plus its generator's loss
    (:func:`generator_loss_MW`), under both rules (``condensing_turbine``: the surplus steam's
    heat less the electricity), 0 where no steam is expanded. What :func:`settle_steam_turbine`
    buys as cooling water and costing/water.py adds to the cooling tower's duty. ``flows`` as
    :func:`steam_turbine_MW`."""
    return (condenser_duty_MW(res, flows) + generator_loss_MW(res, flows)) * 1e6


def steam_turbine_cost_rows(res: "SimulationResult", flows: dict[str, np.ndarray]) -> list[dict]:
    """The cost rows of the turbine (unit ``steam_turbine``: ``steam_turbine``
    the turbine generator and ``steam_turbine.1`` its auxiliaries, sized on its gross electrical
    output [kW]; ``steam_turbine.2`` the condenser, sized on :func:`condenser_duty_MW`
    [MMBtu/h]) in the cases that expand steam; under ``power_island`` also the rest of the
    island, :data:`ISLAND_STEAM_COSTS` (``steam_turbine.3`` ...: feedwater systems and steam
    piping sized on :func:`island_feedwater_lb_per_h`, the foundations on the output), which
    the units that raise the steam do not cost (their blocks are heat exchangers and a package
    boiler); [] where none does. ``flows`` as :func:`steam_turbine_MW`."""
    if "prices" not in res.flowsheet.groups:
        return []
    kw = steam_turbine_MW(res, flows) * 1e3
    if not (kw > 0).any():
        return []
    q = condenser_duty_MW(res, flows) * 1e6 * HOUR / (BTU_J * 1e6)  # MMBtu/h
    items = [(STEAM_TURBINE_COST, kw), (STEAM_TURBINE_AUXILIARIES_COST, kw), (STEAM_CONDENSER_COST, q)]
    fw = island_feedwater_lb_per_h(res, flows)
    if (fw > 0).any():
        items += [(item, fw if basis == "feedwater" else np.where(fw > 0, kw, 0.0))
                  for item, basis in ISLAND_STEAM_COSTS]
    rows = []
    for k, (item, size) in enumerate(items):
        if not (size > 0).any():
            continue  # an island with no condensing flow has no condenser
        rows.append({"unit_id": "steam_turbine" if k == 0 else f"steam_turbine.{k}", "item": item,
                     "size": np.where(size > 0, size, size[size > 0].max()), "maturity": "nth",
                     "active": ((kw > 0) & (size > 0)).astype(float), "scope": None, "includes": (),
                     "labour": "none"})
    return rows


def power_island_kpis(res: "SimulationResult", flows: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``steam_turbine_MW``: gross electricity of the turbine (0 unless the steam credit rule is
    ``condensing_turbine`` or ``power_island``); ``net_electricity_export_MW``: that less the
    units' own net power (negative: the plant buys electricity). ``flows`` as
    :func:`steam_turbine_MW`."""
    if "prices" not in res.flowsheet.groups:
        return {}
    mw = steam_turbine_MW(res, flows)
    from .energy import unit_power_W

    return {"steam_turbine_MW": mw, "net_electricity_export_MW": mw - unit_power_W(res) / 1e6}
