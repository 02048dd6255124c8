"""Flowsheet KPIs per case (names as in DESIGN.md): mass, carbon, energy and water from the
sources and sinks; economics from :mod:`carbonhub.costing` when a costing model is attached.

Units in the names: ``_t_per_y`` of CO2 are tonnes of CO2; ``_tC_per_y`` are tonnes of carbon
(carbon in solid residue: char and soot with the ash; carbon other: carbon leaving as anything
but products, CO2 or solids, e.g. CO and CH4 in vents or organics in wastewater). Product energy
is the liquid-basis LHV for products that are liquid at 25 degC (methanol, FT liquids).

Composed here, above the core: ``SimulationResult.kpis`` reaches :func:`compute_kpis` through
the core's one documented hook (:mod:`carbonhub.core.hooks`)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..core.boundary import boundary, operating_hours
from ..core.stream import ORIGINS
from ..feedstocks import M_C
from ..units import HOUR
from .co2 import carbon_kpis
from .energy import unit_power_W, utility_energy_MW
from .memo import finite_view, stream_flow
from .exergy import exergy_kpis
from .heat_supply import heat_supply_kpis
from .power_island import power_island_kpis, turbine_condenser_W
from .pinch import pinch_kpis
from .site_utilities import dry_feed_t_per_h
from .water import water_kpis
from ..thermo.rowdot import rowdot

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

LIQUID_PRODUCTS = {"CH3OH": "Methanol", "C5H12": "n-Pentane", "C7H16": "n-Heptane", "C8H18": "n-Octane",
                   "C12H26": "n-Dodecane", "C6H6": "Benzene", "C7H8": "Toluene", "C8H10": "EthylBenzene"}
"""Components that are liquid at 25 degC, 1 atm, with their CoolProp fluid: their LHV in a
product is on the liquid basis (gas-basis LHV minus the enthalpy of vaporisation at 298.15 K)."""
_HVAP_CACHE: dict[int, np.ndarray] = {}


def vaporisation_enthalpy_298(cs) -> np.ndarray:
    """Enthalpy of vaporisation at 298.15 K [J/mol] of each component that is a liquid product
    (0 for the others): CoolProp (reference equations of state) for :data:`LIQUID_PRODUCTS`;
    the heavier n-alkane lumps C16H34 and C30H62 by the linear n-alkane increment of CoolProp's
    n-octane to n-dodecane (5.01 kJ/mol per C; hexadecane then 81.6 kJ/mol against 81.4 kJ/mol
    measured, Chickos and Acree 2003, J. Phys. Chem. Ref. Data 32, 519); the 1-alkene lumps
    C16H32 and C30H60 as the n-alkane of the same carbon number. Lumps CoolProp lacks (1-octene,
    styrene, naphthalene, phenol) keep the gas basis."""
    key = id(cs)
    if key not in _HVAP_CACHE:
        import CoolProp.CoolProp as CP

        def hv(fluid: str) -> float:
            M = CP.PropsSI("M", fluid)
            return (CP.PropsSI("H", "T", 298.15, "Q", 1, fluid) - CP.PropsSI("H", "T", 298.15, "Q", 0, fluid)) * M

        out = np.zeros(len(cs))
        for i, cid in enumerate(cs.ids):
            if cid in LIQUID_PRODUCTS:
                out[i] = hv(LIQUID_PRODUCTS[cid])
            elif cid in ("C16H34", "C30H62", "C16H32", "C30H60"):  # 1-alkenes: as the n-alkane
                c8, c12 = hv("n-Octane"), hv("n-Dodecane")
                out[i] = c12 + (c12 - c8) / 4.0 * (int(cid[1:3]) - 12)
        _HVAP_CACHE[key] = out
    return _HVAP_CACHE[key]


def physical_kpis(res: "SimulationResult") -> dict[str, np.ndarray]:
    fs = res.flowsheet
    cs = fs.components
    n = res.n_cases
    hours = operating_hours(res)
    src, snk = boundary(res)
    k: dict[str, np.ndarray] = {}
    iw = [cs.index(w) for w in ("H2O", "H2O(L)") if w in cs]
    ico2 = cs.index("CO2") if "CO2" in cs else None
    c_in = np.zeros(n); lhv_in = np.zeros(n); water_in = np.zeros(n)
    c_in_origin = np.zeros((n, len(ORIGINS)))
    for u, s in src:
        c_in += stream_flow(res, s, "carbon_flow")
        c_in_origin += stream_flow(res, s, "carbon_by_origin")
        lhv_in += stream_flow(res, s, "lhv")
        water_in += (s.flow[:, iw] * cs.molar_mass[iw]).sum(axis=1)
    k["feed_dry_t_per_h"] = dry_feed_t_per_h(res)
    c_prod = np.zeros(n); lhv_prod = np.zeros(n); c_co2 = np.zeros(n)
    co2_c = {"emitted": np.zeros((n, len(ORIGINS))), "captured": np.zeros((n, len(ORIGINS)))}
    ww = np.zeros(n); c_prod_origin = np.zeros((n, len(ORIGINS)))
    c_solid = np.zeros(n)
    products: dict[str, np.ndarray] = {}
    for u, s in snk:
        cat = getattr(u, "category", "other")
        if cat in ("product", "byproduct"):
            c_prod += stream_flow(res, s, "carbon_flow")
            c_prod_origin += stream_flow(res, s, "carbon_by_origin")
            lhv_prod += stream_flow(res, s, "lhv") - rowdot(s.flow, vaporisation_enthalpy_298(cs))  # liquid-basis LHV
            name = u.product or u.id
            products[name] = products.get(name, 0.0) + stream_flow(res, s, "mass_flow") * 3.6
        if ico2 is not None and cat in ("emission", "co2_storage"):
            co2 = s.flow[:, ico2]
            c_co2 += co2
            # carbon of the CO2 by origin [mol C/s], split by the stream's origin fractions
            co2_c["emitted" if cat == "emission" else "captured"] += co2[:, None] * s.origin
        if cat == "wastewater":
            ww += stream_flow(res, s, "mass_flow")
        if cat == "solid_residue":
            c_solid += stream_flow(res, s, "carbon_flow")
    with np.errstate(divide="ignore", invalid="ignore"):
        k["carbon_efficiency"] = np.where(c_in > 0, c_prod / c_in, np.nan)
        k["carbon_to_co2_fraction"] = np.where(c_in > 0, c_co2 / c_in, np.nan)
        for j, o in enumerate(ORIGINS):
            k[f"carbon_in_{o}_fraction"] = np.where(c_in > 0, c_in_origin[:, j] / c_in, np.nan)
            k[f"carbon_in_products_{o}_fraction"] = np.where(c_prod > 0, c_prod_origin[:, j] / c_prod, np.nan)
    k["electricity_MW"] = unit_power_W(res) / 1e6
    # energy crossing the boundary as utilities, each explicit (costing/energy.py)
    ue = utility_energy_MW(res)
    k.update(ue)
    e_in = lhv_in / 1e6 + ue["electricity_import_MW"] + ue["fired_heat_MW"] + ue["steam_import_MW"]
    with np.errstate(divide="ignore", invalid="ignore"):
        k["energy_efficiency_lhv"] = (lhv_prod / 1e6 + ue["electricity_export_MW"]
                                      + ue["steam_export_MW"]) / e_in
        k["energy_efficiency_products_lhv"] = lhv_prod / 1e6 / e_in
    for uid, r in res.unit_results.items():
        if "cold_gas_efficiency" in r.design:
            k["cold_gas_efficiency"] = r.design["cold_gas_efficiency"]
            break
    k["water_in_t_per_h"] = water_in * 3.6
    k["wastewater_t_per_h"] = ww * 3.6
    tC = M_C * hours * HOUR / 1000.0  # mol C/s -> t C/y
    # CO2 emitted and captured, total and by origin: one definition (costing.co2.carbon_kpis),
    # the same the TEA reports; each origin once, so the four origins sum to the total
    by = {w: {o: np.maximum(finite_view(a[:, j]), 0.0) * tC for j, o in enumerate(ORIGINS)} for w, a in co2_c.items()}
    ck = carbon_kpis({}, {}, by["emitted"], by["captured"])
    k.update({name: v for name, v in ck.items() if name.startswith("co2_")})
    k["carbon_in_solid_residue_tC_per_y"] = c_solid * tC
    k["carbon_other_tC_per_y"] = (c_in - c_prod - c_co2 - c_solid) * tC
    feed_ar = sum((stream_flow(res, s, "mass_flow") for u, s in src if getattr(u, "is_feedstock", False)), np.zeros(n)) * 3.6
    for name, v in products.items():
        k[f"products_t_per_h.{name}"] = np.asarray(v) * np.ones(n)
    for name, v in products.items():  # e.g. t circular ethylene per t plastic waste
        with np.errstate(divide="ignore", invalid="ignore"):
            k[f"products_t_per_t_feed.{name}"] = np.where(feed_ar > 0, np.asarray(v) / feed_ar, np.nan)
    return k


def compute_kpis(res: "SimulationResult", costing: bool = True):

    k = physical_kpis(res)
    k.update(pinch_kpis(res))  # minimum utilities by pinch targeting (costing/pinch.py)
    k.update(exergy_kpis(res))  # exergy efficiency (costing/exergy.py)
    k.update(heat_supply_kpis(res))  # heat bought and electrified heat (costing/heat_supply.py)
    pre = None  # the annual flows before the power island settles them (costing/power_island.py)
    if costing and "economics" in res.flowsheet.groups:
        from .flowsheet import annual_flows

        pre = annual_flows(res, res.param("economics.operating_hours").astype(float), island=False)
    # water sources, reuse, water use, effluent quality (costing/water.py), with the steam
    # credit's turbine condenser on the site's cooling water
    k.update(water_kpis(res, turbine_condenser_W(res, pre) if pre is not None and "prices" in res.flowsheet.groups
                         else 0.0))
    if pre is not None:
        from .flowsheet import economic_kpis

        # names computed on both sides (carbon and CO2 by origin) come from the same function,
        # costing.co2.carbon_kpis, on the same flows: they agree (tests/costing/test_co2_origins.py)
        k.update({name: v for name, v in economic_kpis(res).items() if name not in k})
        from .avoided import avoided_kpis

        k.update(avoided_kpis(res, k))
        from .gate_fee import gate_fee_kpis

        k.update(gate_fee_kpis(res, k))  # break-even gate fee per t of feed (costing/gate_fee.py)
        # the turbine of the steam credit (costing/power_island.py)
        k.update(power_island_kpis(res, pre))
    return kpi_frame(k, res.ok)


def kpi_frame(k: dict, ok: np.ndarray):
    """``pd.DataFrame(k)`` with the rows of failed cases (``~ok``) NaN. When every column is a
    float array (n,) (the usual), the table is filled as one (columns, n) block in one pass
    instead of pandas' column-by-column construction, stacking and masked assignment: the same
    values and dtypes."""
    import pandas as pd

    n = ok.shape[0]
    if k and all(isinstance(v, np.ndarray) and v.shape == (n,) and v.dtype == np.float64 for v in k.values()):
        block = np.empty((len(k), n))
        for j, v in enumerate(k.values()):
            block[j] = v
        block[:, ~ok] = np.nan
        return pd.DataFrame(block.T, columns=list(k), copy=False)
    df = pd.DataFrame(k)
    df.loc[~ok, :] = np.nan
    return df


def net_electricity_import_MW(res: "SimulationResult") -> np.ndarray:
    """Net electricity the plant buys [MW] per case: the units' own net power less the gross
    output of the steam credit's turbine (:func:`~carbonhub.costing.power_island.steam_turbine_MW`); the KPI
    ``net_electricity_export_MW`` with the opposite sign."""
    from .flowsheet import annual_flows

    flows = annual_flows(res, res.param("economics.operating_hours").astype(float), island=False)
    return -power_island_kpis(res, flows)["net_electricity_export_MW"]


def net_electricity_spec(vary: str, target: float = 0.0, lower: float = 0.0, upper: float = 1.0,
                         tol: float = 1e-6):
    """Design spec: ``vary`` (e.g. biomass_ft's ``boiler_fuel.fraction``, the share of the fuel
    gas burnt for power) in [``lower``, ``upper``] per case so that the plant's net electricity
    import (:func:`net_electricity_import_MW`) is ``target`` MW, within ``tol`` MW. Its measure
    reads the plant as a whole (every unit's power, the steam they raise and take, the turbine),
    so it is the outermost loop of the route's specs (``fs.add_spec(spec, outer=True)``) and
    has no twin equation (:mod:`carbonhub.eo` refuses it by name).

    >>> from carbonhub.costing.kpis import net_electricity_spec
    >>> sp = net_electricity_spec("boiler_fuel.fraction")
    >>> sp.id, sp.target, (sp.lower, sp.upper), sp.measured_unit is None
    ('net_electricity_import_MW', 0.0, (0.0, 1.0), True)
    """
    from ..core.flowsheet import DesignSpec

    def measure(state) -> np.ndarray:
        return net_electricity_import_MW(state.result())

    return DesignSpec("net_electricity_import_MW", vary, measure, float(target), float(lower), float(upper),
                      tol=float(tol), doc=f"net electricity import = {target:g} MW by {vary}")

