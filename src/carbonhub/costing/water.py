"""Water KPIs of a simulated route, per case: where the water comes from (feed moisture,
reaction water, process water and steam, cooling-tower make-up), how much treated water is
reused, the water use per t of main product, and the quality of the liquid effluent against
limits given as parameters (group ``water``).

Definitions (all t/h unless the name says otherwise; water = ``H2O`` + ``H2O(L)``)::

    feed_moisture_t_per_h       water in the feedstocks as received
    reaction_water_t_per_h      net water made by the reactions of the plant
                                = water out of the boundary - water into it
                                (negative: the plant consumes water, e.g. by electrolysis)
    process_water_t_per_h       raw water drawn by sources of category ``process_water``
    process_steam_t_per_h       steam injected into the process (sources ``steam_mp``)
    cooling_tower_*_t_per_h     the evaporative cooling tower that takes the cooling water the
                                costing prices (costing.heat_supply: the units' ``cooling_W``,
                                or the pinch target under heat.utility_basis = pinch, less the
                                heat a heat pump draws from it, plus the steam turbine's
                                condenser under prices.steam_credit_rule = condensing_turbine
                                or power_island):
        evaporation E = water.ct_evaporation_factor x Q / h_fg(water.ct_T_K)   (IAPWS-95)
        drift       D = water.ct_drift_fraction x circulation,
                        circulation = Q / (cp x water.ct_range_K)
        blowdown    B = max(E / (water.ct_cycles - 1) - D, 0)   (cycles of concentration)
        make-up     M = E + D + B
    water_reused_t_per_h        treated water reused, by ``water.reuse``: the cooling-tower
                                make-up and/or the demineralisation feed (raw water of the
                                Demineralisation units, and of the process steam at
                                ``water.demin_recovery``), with ``all`` then the rest of the
                                process water, in this order, at most what each needs; the
                                reusable water is ``water.reuse_fraction`` of the liquid
                                effluent (sinks of category ``wastewater``) plus all water
                                recovered by a ZLD unit (sinks of category ``recovered_water``)
    water_intake_t_per_h        raw water taken in = process water
                                + process steam / water.demin_recovery + cooling-tower make-up
                                - water reused
    water_use_t_per_t_product   water_intake / main product (t/h)
    liquid_effluent_t_per_h     wastewater + recovered water - water reused (the cooling-tower
                                blowdown is reported apart: a utility, not a process effluent)

Closed steam and condensate loops (heating steam, steam raised by the units) are not counted.
The effluent's quality is that of the combined wastewater sinks (reuse takes water of the same
quality, so it changes the loads, not the concentrations)::

    COD   stoichiometric O2 demand of the organics (unitops.water.cod_per_mol)
    N     nitrogen of every dissolved species but N2 (total N)
    Cl    chlorine of every species
    salts dissolved electrolytes (HCl, NH3, H2S, SO2) and solids (ash, char, salts)

each in mg/L (per litre of water) and kg/h, and as the ratio to its limit
``water.<x>_limit_mg_per_L``; ``effluent_within_limits`` is 1 where every ratio is <= 1.
Without effluent discharged (none, or all of it reused) the concentrations and loads are 0.

References
----------
Cooling tower: "evaporation is approximately 1 % of the circulation for each 10 degF (5.56 K)
of range; a factor of 0.85 [...] is a reasonable approximation; 0.65 in moist, 1.0-1.2 in very
dry climates" and drift 0.1-0.2 % of circulation, down to 0.01 % with drift eliminators
(checalc.com, Cooling Tower Makeup Water, read this session; the same rule as Perry's Chemical
Engineers' Handbook, sec. 12, not re-read: verified false); B = E/(COC - 1) (tipocoolingtowers.com,
How to calculate the water loss in cooling towers, read this session). The 1 %/10 degF rule is
E = Q / 2.33 MJ/kg; carbonhub uses the latent heat of IAPWS-95 at the water temperature.
Effluent limits: Council Directive 91/271/EEC (urban waste water), Annex I, Table 1 (COD
125 mg/l O2) and Table 2 (total N, the sum of Kjeldahl, nitrate and nitrite N: 15 mg/l for
10,000-100,000 p.e., 10 mg/l above 100,000 p.e.). The Table 2 row for 10,000-100,000 p.e. and
the definition of total N were read this session (ECHA legislation list, "Urban Waste Water
Treatment Directive, Annex I: Discharge requirements"); the COD value and the 10 mg/l row are
recalled (verified false). The chloride and salts limits are assumptions (no EU-wide discharge
limit); set them from the site's permit.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..core.boundary import boundary
from ..core.unit import Param
from ..thermo.components import ELEMENTS, atomic_weights
from ..units import HOUR
from .heat_supply import heat_supply
from .memo import finite_view, once, stream_flow
from ..thermo.rowdot import rowdot

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

__all__ = ["COOLING_TOWER_COSTS", "GROUP", "REUSE_CHOICES", "add_water_params", "cooling_tower_cost_rows",
           "cooling_water_circulation_t_per_h", "cooling_duty_W", "water_kpis", "water_defaults"]

GROUP = "water"
REUSE_CHOICES = ("none", "cooling_tower", "demin", "cooling_tower+demin", "all")
CP_WATER = 4186.0
"""Specific heat of liquid water [J/(kg K)] (IAPWS-95 at 30 degC: 4.18 kJ/(kg K))."""
ELECTROLYTES = ("HCl", "NH3", "H2S", "SO2")
"""Dissolved species counted as salts in the effluent (they are ions in water)."""

PARAMS = {
    "reuse": Param("none", "choice", doc="where treated water is reused: none, cooling_tower "
                   "(cooling-tower make-up), demin (demineralisation feed), cooling_tower+demin "
                   "(the cooling tower first), all (then also the process water)", choices=REUSE_CHOICES),
    "reuse_fraction": Param(1.0, "", 0.0, 1.0, "fraction of the liquid effluent that can be reused "
                            "[-] (ZLD distillate: all)"),
    "ct_cycles": Param(5.0, "", 1.1, 20.0, "cycles of concentration of the cooling tower [-] "
                       "(assumption, typical 3-7; no source read)"),
    "ct_evaporation_factor": Param(0.85, "", 0.5, 1.2, "share of the cooling duty removed by "
                                   "evaporation [-] (checalc.com rule: 0.85; 0.65 moist to 1.2 dry)"),
    "ct_drift_fraction": Param(1e-4, "", 0.0, 0.01, "drift as a fraction of the circulation [-] "
                               "(0.01 % with drift eliminators, tipocoolingtowers.com)"),
    "ct_range_K": Param(10.0, "K", 2.0, 30.0, "cooling-water temperature rise [K] (as the priced "
                        "cooling water, costing.flowsheet.CW_J_PER_M3)"),
    "ct_T_K": Param(308.15, "K", 280.0, 330.0, "cooling-water temperature for the latent heat [K] "
                    "(assumption: the mean of 30 degC supply and 40 degC return)"),
    "demin_recovery": Param(0.75, "", 0.05, 1.0, "demin (boiler feed) water per raw water for the "
                            "process steam [-] (as unitops.water.Demineralisation)"),
    "cod_limit_mg_per_L": Param(125.0, "mg/L", 0.0, 1e6, "effluent COD limit [mg O2/L] "
                                "(91/271/EEC Annex I Table 1)"),
    "n_limit_mg_per_L": Param(10.0, "mg/L", 0.0, 1e6, "effluent total-N limit [mg N/L] "
                              "(91/271/EEC Annex I Table 2, > 100,000 p.e.)"),
    "cl_limit_mg_per_L": Param(250.0, "mg/L", 0.0, 1e6, "effluent chloride limit [mg Cl/L] "
                               "(assumption: the EU drinking-water indicator value, "
                               "Directive (EU) 2020/2184 Annex I Part C)"),
    "salts_limit_mg_per_L": Param(1000.0, "mg/L", 0.0, 1e6, "effluent dissolved and suspended "
                                  "salts limit [mg/L] (assumption: no EU-wide limit; set per permit)"),
}


def water_defaults() -> dict:
    """Default value of every ``water.*`` parameter."""
    return {k: p.default for k, p in PARAMS.items()}


def add_water_params(fs) -> None:
    """Declare the parameter group ``water`` on a flowsheet (once)."""
    if GROUP not in fs.groups:
        fs.add_group(GROUP, PARAMS)


def _param(res, name: str, n: int) -> np.ndarray:
    if GROUP in res.flowsheet.groups:
        v = res.param(f"{GROUP}.{name}")
    else:
        v = PARAMS[name].default
    v = np.broadcast_to(np.asarray(v), (n,))
    return v.astype(str) if PARAMS[name].kind == "choice" else v.astype(float)


def _water_kg_s(s, iw, mw) -> np.ndarray:
    return rowdot(finite_view(s.flow[:, iw]), mw)


def _latent_heat(T) -> np.ndarray:
    from ..thermo import steam

    P = steam.P_sat(T)
    return steam.h_sat_vapour(P) - steam.h_sat_liquid(P)


def cooling_tower(Q_W, p: dict) -> dict[str, np.ndarray]:
    """Evaporation, drift, blowdown and make-up [kg/s] of an evaporative cooling tower that
    removes Q_W [W] (see the module docstring).

    >>> import numpy as np
    >>> ct = cooling_tower(np.array([100e6]), {k: np.array([v]) for k, v in water_defaults().items()
    ...                                        if k.startswith("ct_")})
    >>> round(float(ct["evaporation"][0]), 2), round(float(ct["makeup"][0]), 2)
    (35.15, 43.94)
    """
    Q = np.maximum(np.asarray(Q_W, dtype=float), 0.0)
    E = p["ct_evaporation_factor"] * Q / _latent_heat(p["ct_T_K"])
    D = p["ct_drift_fraction"] * Q / (CP_WATER * p["ct_range_K"])
    B = np.maximum(E / (p["ct_cycles"] - 1.0) - D, 0.0)
    return {"evaporation": E, "drift": D, "blowdown": B, "makeup": E + D + B}


COOLING_TOWER_COSTS = ("ref.cooling_tower_humbird", "ref.cooling_water_pumps_humbird")
"""Cost items of the site's cooling-water system (reference_plants.yaml), each sized on the
circulation [t/h]: the tower, then its circulation pumps (Humbird et al. 2011, area 900)."""


def cooling_water_circulation_t_per_h(res: "SimulationResult", extra_cooling_W=0.0) -> np.ndarray:
    """Cooling water circulated [t/h] per case: :func:`cooling_duty_W` over cp x
    ``water.ct_range_K``, as the drift of :func:`cooling_tower`."""
    n = res.n_cases
    return np.maximum(cooling_duty_W(res, extra_cooling_W), 0.0) / (CP_WATER * _param(res, "ct_range_K", n)) * 3.6


def cooling_duty_W(res: "SimulationResult", extra_cooling_W=0.0) -> np.ndarray:
    """The cooling duty [W] per case that the costing prices as cooling water: the units'
    ``cooling_W`` or the pinch target under heat.utility_basis = pinch, less what a heat pump
    draws from it (costing/heat_supply.py), plus ``extra_cooling_W`` [W] per case: the steam
    turbine's condenser under prices.steam_credit_rule = condensing_turbine or power_island,
    which the costing and the KPIs pass (costing/power_island.py ``turbine_condenser_W``)."""
    return (np.nan_to_num(np.asarray(heat_supply(res)["cooling_W"], dtype=float))
            + np.asarray(extra_cooling_W, dtype=float))


def cooling_tower_cost_rows(res: "SimulationResult", extra_cooling_W=0.0) -> list[dict]:
    """Cost rows (as :func:`carbonhub.costing.flowsheet.unit_table` builds them) of the
    evaporative cooling tower that serves the priced cooling water, and of its circulation
    pumps: unit ``cooling_tower`` (rows ``cooling_tower``, ``cooling_tower.1``), area
    utilities (no unit of the flowsheet: outside battery limits), no operators of its own;
    [] where no case has a cooling duty. Their capital only: their power, make-up and
    chemicals are in the cooling-water price (prices.yaml ``cooling_water_eur_per_m3``).
    ``extra_cooling_W`` as :func:`cooling_duty_W`."""
    size = cooling_water_circulation_t_per_h(res, extra_cooling_W)
    if not (size > 0).any():
        return []
    active = (size > 0).astype(float)  # a case without cooling costs nothing, as alone
    size = np.where(size > 0, size, size[size > 0].max())
    return [{"unit_id": "cooling_tower" if k == 0 else f"cooling_tower.{k}", "item": item,
             "size": size, "maturity": "nth", "active": active, "scope": item[4:],
             "includes": (), "labour": "none"} for k, item in enumerate(COOLING_TOWER_COSTS)]


def _effluent_quality(cs, flow: np.ndarray, water_kg_s: np.ndarray) -> dict[str, np.ndarray]:
    """mg/L and kg/h of COD, N, Cl and salts of a combined effluent (n, n_comp) [mol/s]."""
    from ..unitops.water import M_O2, cod_per_mol

    E = cs.element_matrix
    ids = np.array(cs.ids)
    nmask = ids != "N2"
    aw = atomic_weights()
    loads = {"cod": rowdot(flow, cod_per_mol(cs)) * M_O2,
             "n": rowdot(flow[:, nmask], E[nmask, ELEMENTS.index("N")]) * aw["N"],
             "cl": rowdot(flow, E[:, ELEMENTS.index("Cl")]) * aw["Cl"]}
    salt = np.isin(ids, ELECTROLYTES) | ((cs.phase == "solid") & ~np.char.startswith(ids, "ORG_"))
    loads["salts"] = rowdot(flow[:, salt], cs.molar_mass[salt])
    litres = water_kg_s / 0.997  # L/s (997 kg/m3)
    out = {}
    for k, v in loads.items():
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"effluent_{k}_mg_per_L"] = np.where(litres > 0, v * 1e6 / np.where(litres > 0, litres, 1.0), 0.0)
        out[f"effluent_{k}_kg_per_h"] = v * HOUR
    return out


def _boundary_water(res: "SimulationResult") -> dict[str, np.ndarray]:
    """The water [kg/s] of the plant's boundary streams by kind, the main product [kg/s] and
    the combined effluent's quality (:func:`_effluent_quality`), per case: once per result
    (:func:`.memo.once`; the KPIs and the site utilities both ask)."""
    fs = res.flowsheet
    cs = fs.components
    n = res.n_cases
    iw = [cs.index(w) for w in ("H2O", "H2O(L)") if w in cs]
    mw = cs.molar_mass[iw]
    src, snk = boundary(res)
    z = np.zeros(n)
    moist, pw, steam_, w_in = z.copy(), z.copy(), z.copy(), z.copy()
    for u, s in src:
        w = _water_kg_s(s, iw, mw)
        w_in += w
        cat = getattr(u, "category", "")
        if getattr(u, "is_feedstock", False):
            moist += w
        elif cat == "process_water":
            pw += w
        elif cat == "steam_mp":
            steam_ += w
    w_out, ww_w, rec_w = z.copy(), z.copy(), z.copy()
    ww_flow = np.zeros((n, len(cs)))
    salts_solid = z.copy()
    isalt = cs.index("NH4Cl(s)") if "NH4Cl(s)" in cs else None
    main = z.copy()
    spec = getattr(fs, "economics_spec", None) or {}
    mains = spec.get("main_products")
    for u, s in snk:
        w = _water_kg_s(s, iw, mw)
        w_out += w
        cat = getattr(u, "category", "")
        if cat == "wastewater":
            ww_w += w
            ww_flow += finite_view(s.flow)
        elif cat == "recovered_water":
            rec_w += w
        elif cat == "solid_residue" and isalt is not None:
            salts_solid += np.nan_to_num(s.flow[:, isalt]) * cs.molar_mass[isalt]
        if cat == "product" and (mains is None or (u.product or u.id) in mains):
            main += stream_flow(res, s, "mass_flow")
    return {"moist": moist, "pw": pw, "steam": steam_, "w_in": w_in, "w_out": w_out, "ww_w": ww_w,
            "rec_w": rec_w, "salts_solid": salts_solid, "main": main, "quality": _effluent_quality(cs, ww_flow, ww_w)}


def water_kpis(res: "SimulationResult", extra_cooling_W=0.0) -> dict[str, np.ndarray]:
    """The water KPIs (module docstring) per case; ``extra_cooling_W`` as :func:`cooling_duty_W`."""
    from ..unitops.water import Demineralisation

    fs = res.flowsheet
    n = res.n_cases
    p = {k: _param(res, k, n) for k in PARAMS}
    b = once(res, "boundary_water", lambda: _boundary_water(res))
    moist, pw, steam_, w_in, w_out = b["moist"], b["pw"], b["steam"], b["w_in"], b["w_out"]
    ww_w, rec_w, salts_solid, main = b["ww_w"], b["rec_w"], b["salts_solid"], b["main"]
    z = np.zeros(n)
    cooling = cooling_duty_W(res, extra_cooling_W) + z  # the cooling water the costing prices
    demin_feed = z.copy()
    for uid, r in res.unit_results.items():
        if isinstance(fs.units.get(uid), Demineralisation):
            demin_feed += np.nan_to_num(r.design["demin_water_kg_s"]) / res.param(f"{uid}.recovery").astype(float)
    ct = cooling_tower(cooling, p)
    steam_raw = steam_ / p["demin_recovery"]
    reusable = p["reuse_fraction"] * ww_w + rec_w
    choice = p["reuse"]
    # the destinations in turn, each taking at most its need from what is left (kept as a
    # remainder, so that water all reused leaves exactly zero)
    left = reusable.copy()
    taken = {}
    for name, on, need in (
            ("cooling_tower", (np.char.find(choice, "cooling_tower") >= 0) | (choice == "all"), ct["makeup"]),
            ("demin", (np.char.find(choice, "demin") >= 0) | (choice == "all"), demin_feed + steam_raw),
            # process water not already counted as the feed of a Demineralisation unit
            ("process", choice == "all", np.maximum(pw - demin_feed, 0.0))):
        taken[name] = np.where(on, np.minimum(left, need), 0.0)
        left = left - taken[name]
    to_ct, to_demin, to_proc = taken["cooling_tower"], taken["demin"], taken["process"]
    reused = to_ct + to_demin + to_proc
    intake = pw + steam_raw + ct["makeup"] - reused
    k: dict[str, np.ndarray] = {"feed_moisture_t_per_h": moist * 3.6,
                                "reaction_water_t_per_h": (w_out - w_in) * 3.6,
                                "process_water_t_per_h": pw * 3.6,
                                "process_steam_t_per_h": steam_ * 3.6}
    for name, v in ct.items():
        k[f"cooling_tower_{name}_t_per_h"] = v * 3.6
    k.update({"water_reused_t_per_h": reused * 3.6, "water_reused_cooling_tower_t_per_h": to_ct * 3.6,
              "water_reused_demin_t_per_h": to_demin * 3.6, "water_reused_process_t_per_h": to_proc * 3.6,
              "water_intake_t_per_h": intake * 3.6})
    with np.errstate(divide="ignore", invalid="ignore"):
        k["water_use_t_per_t_product"] = np.where(main > 0, intake / np.where(main > 0, main, 1.0), np.nan)
    k["liquid_effluent_t_per_h"] = np.maximum((1.0 - p["reuse_fraction"]) * ww_w + left, 0.0) * 3.6
    k["salts_solid_t_per_h"] = salts_solid * 3.6
    q = b["quality"]
    # reuse takes the recovered (distilled) water first, then effluent of the same quality:
    # the loads shrink with the share of the effluent still discharged; none discharged, no
    # concentration either
    ww_left = ww_w - np.maximum(reused - rec_w, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(ww_w > 0, np.clip(ww_left / np.where(ww_w > 0, ww_w, 1.0), 0.0, 1.0), 0.0)
    within = np.ones(n, dtype=bool)
    for x in ("cod", "n", "cl", "salts"):
        conc = np.where(share > 0, q[f"effluent_{x}_mg_per_L"], 0.0)
        k[f"effluent_{x}_mg_per_L"] = conc
        k[f"effluent_{x}_kg_per_h"] = q[f"effluent_{x}_kg_per_h"] * share
        lim = p[f"{x}_limit_mg_per_L"]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(lim > 0, conc / np.where(lim > 0, lim, 1.0), np.where(conc > 0, np.inf, 0.0))
        k[f"effluent_{x}_to_limit"] = ratio
        within &= ratio <= 1.0
    k["effluent_within_limits"] = within.astype(float)
    return k
