"""biomass_methanol: conservation, the pretreatment choice (drying vs torrefaction), feedstock
effects, physical KPIs and the literature reference case."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch

FEEDS = ("wood_chips", "forestry_residue", "wheat_straw")
MODES = ("dryer", "torrefaction")
MEOH_LHV_LIQUID = 19.944e6
"""Methanol LHV as a liquid [J/kg]: the value of the PyPSA transcription of Agora (2018), the
methanol block before DEA sheet 98 (property_data/reference_plants.yaml methanol_synthesis_loop,
note); carbonhub's own product LHV is on
the ideal-gas basis (documented simplification), ~6 % higher."""


@pytest.fixture(scope="module")
def fs():
    return ch.routes.load("biomass_methanol")


@pytest.fixture(scope="module")
def res6(fs):
    """Three feedstocks x both pretreatments in one batched simulation (cases feed-major)."""
    feeds = np.repeat(np.array(FEEDS), 2)
    modes = np.tile(np.array(MODES), 3)
    return feeds, modes, fs.simulate(params={"feed.feedstock": feeds, "pretreatment.mode": modes})


def _case(feeds, modes, feed, mode) -> int:
    return int(np.flatnonzero((feeds == feed) & (modes == mode))[0])


@pytest.mark.integration
def test_balances_close_for_every_unit_and_case(res6):
    _, _, res = res6
    assert (res.status == "ok").all(), res.status
    res.check_balances(mass_tol=1e-9, energy_tol=1e-6)
    b = res.balances
    assert (b.drop(columns="energy_rel") < 1e-9).all().all() and (b["energy_rel"] < 1e-6).all()


@pytest.mark.integration
def test_flowsheet_closes_at_the_boundary(res6):
    """C, H, O, N, S, Cl into the plant (feed, air, water, steam) = out (product, CO2 to storage,
    emissions, residues, treated water), case by case."""
    from carbonhub.core.boundary import boundary

    _, _, res = res6
    src, snk = boundary(res)
    for e in ("C", "H", "O", "N", "S", "Cl"):
        e_in = sum(s.element(e) for _, s in src)
        e_out = sum(s.element(e) for _, s in snk)
        scale = max(float(np.max(e_in)), 1.0)
        np.testing.assert_allclose(e_out, e_in, rtol=1e-9, atol=1e-12 * scale, err_msg=e)


@pytest.mark.integration
def test_torrefaction_instead_of_drying_changes_what_it_should(res6):
    """Torrefaction keeps ~90 % of the energy in ~70 % of the mass (Bergman et al. 2005, by
    construction: the kinetics are calibrated there); the rest
    (torgas) fires the boiler. Per feedstock: less methanol, lower energy and carbon efficiency,
    more CO2 to the stack, more steam from the boiler, less O2 for the (carbon-richer, oxygen-
    poorer) gasifier feed, and the moisture leaves with the torgas instead of the process water."""
    feeds, modes, res = res6
    k = res.kpis
    torr = res.unit_results["torrefaction"].design
    torgas_lhv = res.stream("torgas").lhv()
    steam = res.unit_results["boiler"].design["steam_t_per_h"]
    o2 = res.unit_results["gasifier"].design["o2_kg_s"]
    for f in FEEDS:
        d, t = _case(feeds, modes, f, "dryer"), _case(feeds, modes, f, "torrefaction")
        assert torgas_lhv[d] == 0.0 and torgas_lhv[t] > 0.0
        # the route's torrefaction conditions are the kinetics' calibration point (Bergman et
        # al. 2005): these two hold by construction and guard the route's settings only
        assert torr["mass_yield"][t] == pytest.approx(0.70, abs=0.01)
        assert torr["energy_yield"][t] == pytest.approx(0.90, abs=0.01)
        assert k["products_t_per_h.methanol"][t] < k["products_t_per_h.methanol"][d]
        assert k["energy_efficiency_products_lhv"][t] < k["energy_efficiency_products_lhv"][d]
        assert k["carbon_efficiency"][t] < k["carbon_efficiency"][d]
        assert k["co2_emitted_t_per_y"][t] > k["co2_emitted_t_per_y"][d]
        assert steam[t] > steam[d]
        assert o2[t] < o2[d]
        assert k["wastewater_t_per_h"][t] < k["wastewater_t_per_h"][d]
        # the module spec holds in both (the torrefied syngas needs more shift: less bypass)
        assert res.param("wgs.bypass")[t] < res.param("wgs.bypass")[d]


@pytest.mark.integration
def test_changing_the_feedstock_changes_what_it_should(res6):
    from carbonhub.feedstocks import get_feedstock

    feeds, modes, res = res6
    k = res.kpis
    ash = res.stream("gasifier_ash").mass_flow
    dryer_water = res.unit_results["dryer"].design["water_evaporated_t_per_h"]
    cl_out = res.stream("scrubber_wastewater").element("Cl")
    for mode in MODES:
        idx = np.array([_case(feeds, modes, f, mode) for f in FEEDS])
        fd = [get_feedstock(f) for f in FEEDS]
        # more ash in the feed -> more ash out (same dry rate)
        order = np.argsort([x.ash_dry_wt_pct for x in fd])
        assert (np.diff(ash[idx][order]) > 0).all()
        # wetter feed -> more water evaporated in the dryer
        order = np.argsort([x.moisture_ar_wt_pct for x in fd])
        assert (np.diff(dryer_water[idx][order]) > 0).all()
        # chlorine: straw carries Cl, clean wood none; it leaves with the scrubber water
        i_straw, i_wood = idx[FEEDS.index("wheat_straw")], idx[FEEDS.index("wood_chips")]
        assert cl_out[i_straw] > 0 and cl_out[i_wood] == pytest.approx(0.0, abs=1e-12)
        # methanol and CO2 follow the carbon and energy content of the feed
        meoh = k["products_t_per_h.methanol"].to_numpy()[idx]
        assert len(set(np.round(meoh, 6))) == 3
        assert len(set(np.round(k["co2_captured_t_per_y"].to_numpy()[idx], 3))) == 3
        assert np.argmax(meoh) == np.argmax([x.lhv_dry_MJ_per_kg for x in fd])


@pytest.mark.integration
def test_kpis_within_sanity_bands(res6):
    """Sanity bands, not validation: each KPI lies in a wide physically plausible range (a
    sign error or a lost stream fails, a 20-40 % error need not). The comparison with
    published plants is the reference-case test of this file."""
    _, _, res = res6
    k = res.kpis
    mod = ch.routes.module("biomass_methanol")
    y = k["products_t_per_h.methanol"] / k["feed_dry_t_per_h"]
    assert ((y > 0.2) & (y < 0.6)).all()  # t methanol per t dry feed
    assert ((k["carbon_efficiency"] > 0.15) & (k["carbon_efficiency"] < 0.5)).all()
    assert ((k["energy_efficiency_products_lhv"] > 0.3) & (k["energy_efficiency_products_lhv"] < 0.65)).all()
    assert ((k["cold_gas_efficiency"] > 0.6) & (k["cold_gas_efficiency"] < 0.95)).all()
    # the make-up gas has the module of the spec; the product is AA-grade (>= 99.85 wt%)
    np.testing.assert_allclose(mod.syngas_module(res.stream("makeup_gas")), 2.05, atol=1e-4)
    prod = res.stream("methanol_product")
    w = prod["CH3OH"] * prod.cs.molar_mass[prod.cs.index("CH3OH")] / prod.mass_flow
    assert (w >= 0.9985).all()
    # all carbon is biogenic (plus a trace of atmospheric CO2 in the air intakes)
    assert (k["carbon_in_products_biogenic_fraction"] > 0.99).all()
    assert (k["co2_emitted_fossil_t_per_y"] == 0).all()
    assert (k["co2_captured_t_per_y"] > k["co2_emitted_t_per_y"]).all()
    assert (k["msp_eur_per_t"] > 0).all() and (k["tci_eur"] > 0).all()


REF = ch.routes.defaults("biomass_methanol")["reference_case"]


@pytest.fixture(scope="module")
def ref_values(fs):
    """carbonhub's value of every reference figure at the reference settings."""
    from carbonhub.core.stream import lhv_molar

    res = fs.simulate(params=REF["settings"])
    assert res.status[0] == "ok"
    k = res.kpis.iloc[0]
    feed_lhv = float(res.stream("feed_out").lhv()[0])
    meoh_lhv = float(res.stream("methanol_product").mass_flow[0]) * MEOH_LHV_LIQUID
    mk = res.stream("makeup_gas")
    L = dict(zip(mk.cs.ids, lhv_molar(mk.cs)))
    syngas = float(mk["H2"][0] * L["H2"] + mk["CO"][0] * L["CO"])
    ch4 = float(mk["CH4"][0] * L["CH4"])
    return {
        "methanol_efficiency_lhv": meoh_lhv / feed_lhv,
        # the same plant with the make-up gas's CH4 converted at the loop's own efficiency
        "methanol_efficiency_lhv_ch4_reformed": meoh_lhv * (1.0 + ch4 / syngas) / feed_lhv,
        "methanol_yield_t_per_t_dry_min": k["products_t_per_h.methanol"] / k["feed_dry_t_per_h"],
    }


def _figure_params(block):
    return [pytest.param(name, marks=[pytest.mark.xfail(reason=fig["known_defect"], strict=True,
                                                              raises=AssertionError)]
                         if "known_defect" in fig else [], id=name)
            for name, fig in REF[block].items()]


@pytest.mark.integration
@pytest.mark.parametrize("name", _figure_params("figures"))
def test_reference_case_dea_and_phillips(ref_values, name):
    """Danish Energy Agency, Technology Data for Renewable Fuels, sheet 97 "Methanol from biomass
    gasif." (2020; PyPSA technology-data outputs/costs_2020.csv, rows biomass-to-methanol):
    methanol 0.58 per unit biomass input (its investment: tests/routes/test_reference_cases.py);
    Phillips et al. (2011),
    NREL/TP-5100-47594: >= 0.429 t methanol per t dry (derived from 55.1 gal gasoline + 9.3 gal
    LPG per dry US ton). Non-economic figures within +-15 % (a lower bound: 1.0-1.15); a figure
    outside is a strict expected failure carrying its cause (``known_defect`` in
    flowsheets/biomass_methanol.yaml), so it fails as soon as it is mended."""
    fig = REF["figures"][name]
    lo, hi = fig["ratio_bounds"]
    assert lo <= ref_values[name] / fig["value"] <= hi, (name, ref_values[name])


@pytest.mark.integration
@pytest.mark.parametrize("name", _figure_params("model_derived"))
def test_model_derived_efficiency_with_ch4_reformed(ref_values, name):
    """Not an independent validation: DEA's 0.58 against carbonhub's efficiency with the make-up
    gas's CH4 credited at carbonhub's own loop efficiency (+-15 %). It checks the chain upstream
    of the loop under that assumption only."""
    fig = REF["model_derived"][name]
    lo, hi = fig["ratio_bounds"]
    assert lo <= ref_values[name] / fig["value"] <= hi, (name, ref_values[name])


@pytest.mark.unit
def test_pretreatment_is_a_choice_parameter(fs):
    from carbonhub.core.unit import ParameterValueError

    par = fs.parameters().set_index("name")
    assert par.loc["pretreatment.mode", "choices"] == list(MODES)
    assert par.loc["module.target", "value"] == 2.05
    with pytest.raises(ParameterValueError, match="expected one of dryer, torrefaction"):
        fs.simulate(params={"pretreatment.mode": "pyrolysis"})
    with pytest.raises(ParameterValueError, match="expected one of dryer, torrefaction"):
        ch.routes.load("biomass_methanol", **{"pretreatment.mode": "steam_explosion"})


@pytest.mark.component
@pytest.mark.solver
@pytest.mark.parametrize("mode", MODES)
def test_pretreatment_choice_twin_equals_core(mode):
    from carbonhub.core import Stream
    from carbonhub.eo.testing import compare_twin
    from carbonhub.thermo import ComponentSet

    unit = ch.routes.module("biomass_methanol").PretreatmentChoice("pretreatment")
    cs = ComponentSet.from_ids(["ORG_wood_chips", "ASH", "H2O(L)", "H2O"])
    feed = Stream.from_flows(cs, {"ORG_wood_chips": 50.0, "ASH": 0.2, "H2O(L)": 8.0}, T=333.15, P=1.0e5)
    rep = compare_twin(unit, {"feed": feed}, {"mode": mode})
    assert rep["dof"] == 0 and rep["termination"] == "optimal"
    assert rep["max_rel_diff"] < 1e-6, rep["diffs"]


@pytest.mark.unit
def test_pretreatment_choice_routes_and_conserves():
    from helpers import assert_unit_conserves

    from carbonhub.core import Stream
    from carbonhub.thermo import ComponentSet

    unit = ch.routes.module("biomass_methanol").PretreatmentChoice("pretreatment")
    cs = ComponentSet.from_ids(["ORG_wood_chips", "ASH", "H2O(L)"])
    feed = Stream.from_flows(cs, {"ORG_wood_chips": [50.0, 40.0, 30.0], "ASH": 0.2, "H2O(L)": 8.0},
                             T=333.15, P=1.0e5)
    unit.cs = cs
    p = unit.resolve({"mode": np.array(["dryer", "torrefaction", "dryer"])}, 3)
    r = unit.run({"feed": feed}, p)
    np.testing.assert_array_equal(r.outlets["torrefaction"].total_flow > 0, [False, True, False])
    np.testing.assert_allclose(r.outlets["dryer"].flow + r.outlets["torrefaction"].flow, feed.flow, rtol=0, atol=0)
    assert_unit_conserves(unit, {"feed": feed}, p)
