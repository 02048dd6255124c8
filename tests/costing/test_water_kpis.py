"""Water KPIs (carbonhub.costing.water) on every route at its defaults and over random cases,
checked against independent computations: the reaction water from the units' own inlets and
outlets, the cooling tower from IAPWS-95 (CoolProp called directly), the reuse credit from the
effluent streams, the effluent COD and chlorine from the sink streams by hand; and the
zero-liquid-discharge case (no liquid effluent, salts leave as solids, balances close)."""
from __future__ import annotations

import CoolProp.CoolProp as CP
import numpy as np
import pytest

import carbonhub as ch
from carbonhub.core.boundary import boundary
from carbonhub.thermo.components import ELEMENTS
from helpers import refrigeration_by_hand

pytestmark = pytest.mark.integration
ROUTES = ["biomass_ft", "biomass_methanol", "co2_methanol_mto", "waste_methanol_mto", "plastics_pyrolysis"]
M_O2 = 0.0319988


def _water(cs, s) -> np.ndarray:
    iw = [cs.index(w) for w in ("H2O", "H2O(L)") if w in cs]
    return s.flow[:, iw] @ cs.molar_mass[iw]


def _random_case_params(rng, fs, n):
    """Case 0 at the defaults, cases 1.. random (feed rate +-30 %, water parameters)."""
    rate = float(fs.get("feed.rate_dry_t_per_h"))
    pick = lambda lo, hi, d: np.r_[d, rng.uniform(lo, hi, n - 1)]  # noqa: E731
    return {"feed.rate_dry_t_per_h": pick(0.7 * rate, 1.3 * rate, rate),
            "water.reuse": np.r_[["none"], rng.choice(["none", "cooling_tower", "demin", "cooling_tower+demin", "all"], n - 1)],
            "water.reuse_fraction": pick(0.2, 1.0, 1.0), "water.ct_cycles": pick(2.0, 8.0, 5.0),
            "water.ct_evaporation_factor": pick(0.65, 1.1, 0.85)}


@pytest.fixture(scope="module", params=ROUTES)
def route_res(request):
    fs = ch.routes.load(request.param)
    res = fs.simulate(params=_random_case_params(np.random.default_rng(17), fs, 4))
    return request.param, fs, res


def test_water_kpis_finite_at_defaults_and_random_cases(route_res):
    name, fs, res = route_res
    assert (res.status == "ok").all(), res.status
    k = res.kpis
    for col in ("water_use_t_per_t_product", "reaction_water_t_per_h", "feed_moisture_t_per_h",
                "water_intake_t_per_h", "cooling_tower_makeup_t_per_h", "liquid_effluent_t_per_h"):
        assert np.isfinite(k[col].to_numpy()).all(), (name, col, k[col].tolist())
    assert (k["water_use_t_per_t_product"] > 0).all()
    assert k["water_reused_t_per_h"][0] == 0.0  # the default: no reuse
    decl = fs.groups["water"].params["reuse"]
    assert decl.choices == ("none", "cooling_tower", "demin", "cooling_tower+demin", "all")


def test_reaction_water_equals_the_units_own_balances(route_res):
    """Net water made = sum over the process units of (water out - water in), each unit from
    its own inlet and outlet streams (independent of the boundary sum the KPI uses)."""
    name, fs, res = route_res
    cs = fs.components
    net = np.zeros(res.n_cases)
    through = np.zeros(res.n_cases)
    for c in fs.connections:
        s = res.stream_data.get(c.id)
        if s is None:
            continue
        w = _water(cs, s)
        through += w
        if c.src.unit.kind not in ("source", "sink"):
            net += w
        if c.dst.unit.kind not in ("source", "sink"):
            net -= w
    got = res.kpis["reaction_water_t_per_h"].to_numpy() / 3.6
    assert np.allclose(got, net, rtol=0, atol=1e-9 * through.max()), name


def test_cooling_tower_by_hand(route_res):
    """Make-up = E + D + B with E = f Q / h_fg(35 degC) (IAPWS-95 by CoolProp directly),
    D = 1e-4 Q / (cp 10 K), B = E / (cycles - 1) - D; Q = the units' cooling duties and the
    electricity of the refrigeration that chills column feeds below cooling water (its heat)."""
    name, fs, res = route_res
    Q = sum(np.nan_to_num(np.asarray(r.utilities.get("cooling_W", 0.0), dtype=float))
            for r in res.unit_results.values()) + np.zeros(res.n_cases)
    if "olefin_train" in res.unit_results:
        Q = Q + refrigeration_by_hand(res, "olefin_train", ("demethaniser", "deethaniser", "c2_splitter",
                                                            "depropaniser", "c3_splitter"))
    hfg = CP.PropsSI("H", "T", 308.15, "Q", 1, "Water") - CP.PropsSI("H", "T", 308.15, "Q", 0, "Water")
    f = res.param("water.ct_evaporation_factor").astype(float)
    cyc = res.param("water.ct_cycles").astype(float)
    E = f * Q / hfg
    D = 1e-4 * Q / (4186.0 * 10.0)
    M = E + D + np.maximum(E / (cyc - 1) - D, 0.0)
    assert np.allclose(res.kpis["cooling_tower_makeup_t_per_h"].to_numpy(), M * 3.6, rtol=1e-9), name


def test_reuse_credit_from_the_effluent(route_res):
    """Cases reusing for the cooling tower take min(fraction x effluent water, make-up) off
    the intake; nothing is reused beyond what the effluent holds."""
    name, fs, res = route_res
    cs = fs.components
    ww = sum((_water(cs, s) for u, s in boundary(res)[1] if u.category == "wastewater"), np.zeros(res.n_cases))
    k = res.kpis
    frac = res.param("water.reuse_fraction").astype(float)
    choice = np.asarray(res.param("water.reuse")).astype(str)
    ct = (np.char.find(choice, "cooling_tower") >= 0) | (choice == "all")
    want = np.minimum(frac * ww * 3.6, k["cooling_tower_makeup_t_per_h"].to_numpy())
    assert np.allclose(k["water_reused_cooling_tower_t_per_h"].to_numpy()[ct], want[ct], rtol=1e-12)
    assert (k["water_reused_t_per_h"].to_numpy() <= frac * ww * 3.6 * (1 + 1e-12)).all()
    assert (k["water_reused_t_per_h"].to_numpy()[choice == "none"] == 0).all()


@pytest.mark.parametrize("route, component", [("co2_methanol_mto", "CH3OH"), ("plastics_pyrolysis", "HCl")])
def test_effluent_quality_by_hand(route, component):
    """COD of methanol 1.5 mol O2/mol (CH3OH + 3/2 O2 -> CO2 + 2 H2O); chloride 35.453 g/mol
    of HCl (textbook atomic weight; carbonhub takes Cantera's); per litre of the water of all wastewater sinks together (997 kg/m3)."""
    fs = ch.routes.load(route)
    res = fs.simulate()
    cs = fs.components
    sinks = [s for u, s in boundary(res)[1] if u.category == "wastewater"]
    litres = sum(float(_water(cs, s)[0]) for s in sinks) / 0.997
    mol = sum(float(s.flow[0, cs.index(component)]) for s in sinks)
    k = res.kpis
    if component == "CH3OH":  # the effluent's only carbon is its methanol: its COD is all
        assert sum(float(s.carbon_flow[0]) for s in sinks) == pytest.approx(mol, rel=1e-12)
        assert float(k["effluent_cod_mg_per_L"][0]) == pytest.approx(mol * 1.5 * M_O2 * 1e6 / litres, rel=1e-9)
        assert float(k["effluent_cod_to_limit"][0]) == pytest.approx(float(k["effluent_cod_mg_per_L"][0]) / 125.0)
    else:  # HCl is the effluent's only chlorine carrier
        icl = ELEMENTS.index("Cl")
        assert sum(float(s.element_flows[0, icl]) for s in sinks) == pytest.approx(mol, rel=1e-12)
        assert float(k["effluent_cl_mg_per_L"][0]) == pytest.approx(mol * 0.035453 * 1e6 / litres, rel=1e-4)
        assert float(k["effluent_within_limits"][0]) == 0.0  # 3.3 g/L chloride > 250 mg/L


@pytest.mark.parametrize("route", ["waste_methanol_mto", "plastics_pyrolysis"])
def test_zero_liquid_discharge_case(route):
    """The chloride-bearing routes built with zld=True: no liquid effluent at the defaults and
    over random cases (the distillate all reused, water.reuse = "all"), the chloride leaves as
    solid NH4Cl (or to air: guard bed, flue gas), no chlorine in any liquid, and every balance
    closes (1e-9 mass and elements, 1e-6 energy)."""
    fs = ch.routes.load(route, zld=True)
    assert not [u for u in fs.units.values() if getattr(u, "category", "") == "wastewater"]
    params = _random_case_params(np.random.default_rng(3), fs, 3)
    del params["water.reuse"]  # the ZLD build's default
    res = fs.simulate(params=params)
    assert (res.status == "ok").all(), res.status
    k = res.kpis
    assert (k["wastewater_t_per_h"] == 0).all() and (k["liquid_effluent_t_per_h"] == 0).all()
    assert np.isfinite(k["water_use_t_per_t_product"]).all() and np.isfinite(k["reaction_water_t_per_h"]).all()
    b = res.balances
    for col in b.columns:
        assert (b[col].to_numpy() <= (1e-6 if col == "energy_rel" else 1e-9)).all(), (col, b[col].tolist())
    cs = fs.components
    icl = ELEMENTS.index("Cl")
    src, snk = boundary(res)
    cl_in = sum((s.element_flows[:, icl] for u, s in src), np.zeros(res.n_cases))
    cl_out = {cat: sum((s.element_flows[:, icl] for u, s in snk if u.category == cat), np.zeros(res.n_cases))
              for cat in ("solid_residue", "emission", "recovered_water")}
    assert (cl_out["recovered_water"] == 0).all()
    assert np.allclose(cl_out["solid_residue"] + cl_out["emission"], cl_in, rtol=1e-9)
    salts = next(s for u, s in snk if u.id == "zld_salts")
    i_salt = cs.index("NH4Cl(s)")
    assert (salts.flow[:, i_salt] > 0).all()
    assert (salts.element_flows[:, icl] > 0.5 * cl_in).all()  # most of the chlorine crystallises
    assert np.allclose(k["salts_solid_t_per_h"], salts.flow[:, i_salt] * cs.molar_mass[i_salt] * 3.6)
    dist = next(s for u, s in snk if u.id == "zld_distillate")
    assert np.allclose(k["water_reused_t_per_h"], _water(cs, dist) * 3.6, rtol=1e-12)


def test_cooling_tower_follows_the_priced_cooling_water():
    """Under heat.utility_basis = pinch the costing prices the pinch target's cooling water:
    the cooling tower's make-up scales with it (cold_utility_min / cold_utility_unintegrated)."""
    fs = ch.routes.load("co2_methanol_mto")
    res = fs.simulate(params={"heat.utility_basis": np.array(["units", "pinch"])})
    k = res.kpis
    ratio = float(k["cold_utility_min_MW"][1] / k["cold_utility_unintegrated_MW"][1])
    assert ratio < 1.0
    E = k["cooling_tower_evaporation_t_per_h"].to_numpy()
    assert E[1] == pytest.approx(ratio * E[0], rel=1e-9)
    assert k["water_use_t_per_t_product"][1] < k["water_use_t_per_t_product"][0]


def test_effluent_all_reused_discharges_no_load():
    """plastics_pyrolysis: its effluent (about 12 t/h) is less than the cooling-tower make-up plus the
    process water, so with water.reuse = "all" nothing is discharged: no load, no concentration,
    within limits; with "none" the chloride load is the effluent's."""
    res = ch.routes.load("plastics_pyrolysis").simulate(params={"water.reuse": np.array(["none", "all"])})
    k = res.kpis
    assert k["effluent_cl_kg_per_h"][0] > 0 and k["effluent_within_limits"][0] == 0.0
    assert k["liquid_effluent_t_per_h"][1] == 0.0
    for x in ("cod", "n", "cl", "salts"):
        assert k[f"effluent_{x}_kg_per_h"][1] == 0.0 and k[f"effluent_{x}_mg_per_L"][1] == 0.0
    assert k["effluent_within_limits"][1] == 1.0
