"""Gasifier and air separation unit: conservation on random batched inlets (both gasifier
modes), literature and independent (Cantera) values, the autothermal design spec in a
flowsheet over 200 cases, bad input."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.optimize import brentq

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from helpers import assert_unit_conserves  # noqa: E402

from carbonhub.core import (Flowsheet, ParameterValueError, Stream, StreamError,  # noqa: E402
                            UnknownParameterError)
from carbonhub.thermo import ComponentSet  # noqa: E402
from carbonhub.thermo.components import ELEMENTS  # noqa: E402
from carbonhub.unitops.asu import AirSeparationUnit  # noqa: E402
from carbonhub.unitops.gasifier import EQ_SPECIES, Gasifier, autothermal_spec  # noqa: E402
from carbonhub.unitops.pretreatment import Dryer  # noqa: E402
from carbonhub.unitops.sources import AIR, Feedstock, GasSource, Sink  # noqa: E402

CS = ComponentSet.default()
MW = CS.molar_mass
ORGS = [c for c in CS.ids if c.startswith("ORG_")]
BIO = ["ORG_wood_chips", "ORG_forestry_residue", "ORG_wheat_straw", "ORG_sewage_sludge", "ORG_rdf"]


def _unit(cls, id="u", **kw):
    u = cls(id, **kw)
    u.cs = CS
    return u


def _ins(org, org_mol, ash_mol, water_mol, o2_mol, steam_mol, n=None, N2_frac=0.0, P=20e5):
    n = n or max(np.size(x) for x in (org_mol, o2_mol, steam_mol, water_mol))
    orgs = np.broadcast_to(np.asarray(org), (n,))
    f = np.zeros((n, len(CS)))
    for i, o in enumerate(orgs):
        f[i, CS.index(o)] = np.broadcast_to(org_mol, (n,))[i]
    f[:, CS.index("ASH")] = ash_mol
    f[:, CS.index("H2O(L)")] = water_mol
    feed = Stream(CS, f, 333.15, P)
    o2 = np.broadcast_to(np.asarray(o2_mol, dtype=float), (n,))
    ox = Stream.from_flows(CS, {"O2": o2, "Ar": 0.005 * o2, "N2": N2_frac * o2}, T=400.0, P=P, n=n)
    st_ = Stream.from_flows(CS, {"H2O": steam_mol}, T=573.15, P=P, n=n)
    return {"feed": feed, "oxidant": ox, "steam": st_}


def _stoich_o2(org):
    e = CS.element_matrix[CS.index(org)]
    ix = {k: ELEMENTS.index(k) for k in ELEMENTS}
    return e[ix["C"]] + (e[ix["H"]] - e[ix["Cl"]]) / 4 + e[ix["S"]] - e[ix["O"]] / 2


def _random_gasifier_case(data, n):
    org = data.draw(st.lists(st.sampled_from(BIO), min_size=n, max_size=n))
    org_mol = np.array(data.draw(st.lists(st.floats(1.0, 1e3), min_size=n, max_size=n)))
    er = np.array(data.draw(st.lists(st.floats(0.15, 0.45), min_size=n, max_size=n)))
    o2 = er * org_mol * np.array([_stoich_o2(o) for o in org])
    water = org_mol * np.array(data.draw(st.lists(st.floats(0.0, 0.8), min_size=n, max_size=n)))
    steam = org_mol * np.array(data.draw(st.lists(st.floats(0.0, 0.8), min_size=n, max_size=n)))
    ash = org_mol * np.array(data.draw(st.lists(st.floats(0.0, 0.05), min_size=n, max_size=n)))
    n2 = data.draw(st.sampled_from([0.0, 3.76]))  # O2-blown or air-blown
    return _ins(np.array(org), org_mol, ash, water, o2, steam, N2_frac=n2)


def _arr(data, n, lo, hi):
    return np.array(data.draw(st.lists(st.floats(lo, hi), min_size=n, max_size=n)))


# -- conservation -------------------------------------------------------------------------------

@pytest.mark.unit
@settings(deadline=None, max_examples=25)
@given(data=st.data(), n=st.integers(5, 12))
def test_gasifier_fixed_T_conserves(data, n):
    g = _unit(Gasifier, include_c2=data.draw(st.booleans()))
    ins = _random_gasifier_case(data, n)
    p = g.resolve({"T": _arr(data, n, 900.0, 1700.0), "P": _arr(data, n, 1e5, 60e5),
                   "carbon_conversion": _arr(data, n, 0.8, 1.0), "dT_approach": _arr(data, n, -150, 50),
                   "ch4_slip": _arr(data, n, 0.0, 0.1), "c2h4_slip": _arr(data, n, 0.0, 0.03),
                   "tar_slip": _arr(data, n, 0.0, 0.03),
                   "nh3_fraction_of_fuel_N": _arr(data, n, 0.0, 1.0)}, n)
    r = assert_unit_conserves(g, ins, p)
    assert r.status is None
    assert (r.outlets["syngas"].flow >= 0).all()


@pytest.mark.unit
@settings(deadline=None, max_examples=25)
@given(data=st.data(), n=st.integers(5, 12))
def test_gasifier_solid_carbon_conserves(data, n):
    """With graphite in the equilibrium every feed, plastics without oxidant included, is
    representable: no case is flagged, the soot leaves with the ash."""
    g = _unit(Gasifier, solid_carbon=True, mode=data.draw(st.sampled_from(["T", "adiabatic"])))
    org = np.array(data.draw(st.lists(st.sampled_from(ORGS), min_size=n, max_size=n)))
    org_mol = _arr(data, n, 1.0, 1e3)
    o2 = org_mol * _arr(data, n, 0.0, 0.5) * np.array([_stoich_o2(o) for o in org])
    ins = _ins(org, org_mol, 0.01 * org_mol, org_mol * _arr(data, n, 0.0, 0.3), o2,
               org_mol * _arr(data, n, 0.0, 0.5))
    p = g.resolve({"T": _arr(data, n, 900.0, 1600.0), "carbon_conversion": _arr(data, n, 0.8, 1.0)}, n)
    r = assert_unit_conserves(g, ins, p)
    ok = np.ones(n, bool) if r.status is None else r.status == "ok"
    if g.values.get("mode", "T") == "T":
        assert ok.all()
    d = r.design
    assert (d["soot_kg_s"][ok] >= 0).all()
    assert (d["carbon_conversion"][ok] <= p.carbon_conversion[ok] + 1e-12).all()


@pytest.mark.unit
@settings(deadline=None, max_examples=25)
@given(data=st.data(), n=st.integers(5, 12))
def test_gasifier_adiabatic_conserves_and_closes(data, n):
    g = _unit(Gasifier, mode="adiabatic")
    ins = _random_gasifier_case(data, n)
    p = g.resolve({"heat_loss_fraction": _arr(data, n, 0.0, 0.05), "T": _arr(data, n, 900.0, 1500.0),
                   "ch4_slip": _arr(data, n, 0.0, 0.1)}, n)
    r = assert_unit_conserves(g, ins, p)
    ok = np.ones(n, bool) if r.status is None else r.status == "ok"
    assert ok.mean() >= 0.5
    bad = ~ok
    assert all(("below" in s or "above" in s) for s in np.asarray(r.status)[bad]) if bad.any() else True
    d = r.design
    assert (np.abs(r.heat + d["heat_loss_W"])[ok] <= 1e-9 * d["lhv_feed_W"][ok]).all()


@pytest.mark.unit
@settings(deadline=None, max_examples=25)
@given(data=st.data(), n=st.integers(5, 12))
def test_asu_conserves(data, n):
    a = _unit(AirSeparationUnit)
    air_mol = _arr(data, n, 1.0, 1e4)
    air = Stream.from_flows(CS, {k: air_mol * v for k, v in AIR.items()} | {"H2O": 0.01 * air_mol},
                            T=_arr(data, n, 270.0, 320.0), P=101325.0)
    p = a.resolve({"purity": _arr(data, n, 0.9, 0.9999), "o2_recovery": _arr(data, n, 0.5, 1.0),
                   "ar_share_of_impurity": _arr(data, n, 0.0, 1.0)}, n)
    r = assert_unit_conserves(a, {"air": air}, p)
    assert np.allclose(r.design["purity"], p.purity, rtol=1e-12)
    assert (r.outlets["n2"].flow >= -1e-12).all()


# -- independent equilibrium (Cantera) ----------------------------------------------------------

def _cantera_gas(species):
    import cantera as ct
    from carbonhub.data import load_yaml

    spec = load_yaml("components.yaml")["components"]
    names = [spec[s]["cantera"] for s in species]
    allsp = {s.name: s for s in ct.Species.list_from_file("nasa_gas.yaml")}
    gas = ct.Solution(thermo="ideal-gas", species=[allsp[nm] for nm in names])
    return gas, [gas.species_names.index(nm) for nm in names]


@pytest.mark.component
def test_equilibrium_matches_cantera():
    """Syngas (no slip, no NH3 bypass) equals Cantera's TP equilibrium over the same gas-only
    species, on the element inventory of the inlets minus ash minus char, at T + dT_approach,
    to 1e-8 in mole fraction. Wheat straw carries N, S and Cl; the oxidant Ar and N2."""
    n = 6
    T = np.linspace(950.0, 1550.0, n)
    dT = np.array([0.0, -50.0, -100.0, 20.0, 0.0, -30.0])
    XC = np.array([1.0, 0.95, 0.9, 0.99, 0.97, 0.85])
    P = np.array([1e5, 5e5, 20e5, 40e5, 1e6, 30e5])
    org = "ORG_wheat_straw"
    o2 = 100.0 * np.linspace(0.25, 0.4, n) * _stoich_o2(org)
    ins = _ins(org, 100.0, 0.5, 30.0, o2, 40.0, n=n, N2_frac=0.02)
    g = _unit(Gasifier)
    p = g.resolve({"T": T, "dT_approach": dT, "carbon_conversion": XC, "P": P,
                   "nh3_fraction_of_fuel_N": 0.0}, n)
    r = g.run(ins, p)
    assert r.status is None
    # independent inventory
    el = sum(s.element_flows for s in ins.values())
    el -= np.outer(ins["feed"]["ASH"], CS.element_matrix[CS.index("ASH")])
    c_fuel = ins["feed"].flow[:, CS.index(org)] * CS.element_matrix[CS.index(org), 0]
    el[:, 0] -= (1 - XC) * c_fuel
    gas, order = _cantera_gas(EQ_SPECIES)
    ix = {e: ELEMENTS.index(e) for e in ELEMENTS}
    sg = r.outlets["syngas"]
    for i in range(n):
        C, H, O, N, S, Cl, Ar = (el[i, ix[e]] for e in ("C", "H", "O", "N", "S", "Cl", "Ar"))
        x0 = {"CO": C, "O2": (O - C) / 2, "H2": (H - Cl - 2 * S) / 2, "N2": N / 2, "Ar": Ar,
              "HCl": Cl, "H2S": S}
        X = np.zeros(gas.n_species)
        for k, v in x0.items():
            assert v >= 0
            X[order[EQ_SPECIES.index(k)]] = v
        gas.TPX = T[i] + dT[i], P[i], X
        gas.equilibrate("TP", rtol=1e-13, max_steps=10000)
        x_ct = gas.X[order]
        x_ch = sg.flow[i, CS.indices(EQ_SPECIES)] / sg.total_flow[i]
        assert np.abs(x_ch - x_ct).max() < 1e-8, (i, np.abs(x_ch - x_ct).max())
        assert sg.flow[i].sum() == pytest.approx(sg.flow[i, CS.indices(EQ_SPECIES)].sum(), rel=1e-15)
    # char and ash
    ash = r.outlets["ash"]
    assert np.allclose(ash["C(s)"], (1 - XC) * c_fuel, rtol=1e-12)
    assert np.allclose(ash["ASH"], ins["feed"]["ASH"], rtol=0)


# -- literature: cold gas efficiency ------------------------------------------------------------

def _wood_gasifier_inputs(T, o2_kg_per_kg, n=1):
    """1 kg/s dry wood chips at 10 wt% moisture, 95 %... O2 (99.5 %), steam/dry feed 0.3."""
    o = "ORG_wood_chips"
    ash = 0.0077
    org_mol = (1.0 - ash) / MW[CS.index(o)]
    water = 1.0 * 0.10 / 0.90 / MW[CS.index("H2O(L)")]
    o2 = np.atleast_1d(o2_kg_per_kg) / MW[CS.index("O2")]
    return _ins(o, org_mol, ash / MW[CS.index("ASH")], water, o2, 0.3 / MW[CS.index("H2O")], n=n)


@pytest.mark.unit
@pytest.mark.parametrize("T", [1123.15, 1173.15])
def test_cold_gas_efficiency_o2_steam_fluidised_bed(T):
    """O2/steam-blown fluidised bed, wood, 850-900 °C, 20 bar, autothermal: cold gas efficiency
    0.70-0.80, the range usually quoted for O2/steam-blown fluidised beds; a band, not one
    published plant: Barisano et al. (2016), Steam/oxygen biomass gasification at pilot scale in
    an internally circulating bubbling fluidized bed reactor, Fuel Processing Technology
    (abstract, read this session: cold gas efficiency up to 0.7 with steam/O2, atmospheric,
    820-880 °C; the pressurised case here has less heat loss per unit of gas). Fluidised-bed
    non-equilibrium as usually modelled:
    95 % carbon conversion, 8 % of the converted carbon as CH4 and 2 % as tar, 2 % heat loss.
    The O2 for autothermal operation is found here with scipy's brentq, independently of the
    flowsheet's design-spec solver."""
    kw = dict(T=T, carbon_conversion=0.95, ch4_slip=0.08, tar_slip=0.02, heat_loss_fraction=0.02)

    def run(o2):
        g = _unit(Gasifier, **kw)
        return g.run(_wood_gasifier_inputs(T, o2), g.resolve({}, 1))

    o2 = brentq(lambda x: run(x).design["heat_required_W"][0], 0.05, 1.0, xtol=1e-14)
    d = run(o2).design
    assert 0.70 <= float(d["cold_gas_efficiency"][0]) <= 0.80
    assert 0.2 <= float(d["equivalence_ratio"][0]) <= 0.35  # typical O2-blown ER
    assert 0.8 <= float(d["h2_co_ratio"][0]) <= 1.6


@pytest.mark.unit
def test_modes_agree():
    """The adiabatic T, given back to mode 'T', needs no external heat (heat + loss = 0)."""
    n = 5
    o2 = np.linspace(0.25, 0.45, n)
    ins = _wood_gasifier_inputs(1100.0, o2, n=n)
    ga = _unit(Gasifier, mode="adiabatic")
    ra = ga.run(ins, ga.resolve({}, n))
    assert ra.status is None
    Ta = ra.design["T_K"]
    assert (np.diff(Ta) > 0).all()
    gt = _unit(Gasifier, mode="T")
    rt = gt.run(ins, gt.resolve({"T": Ta}, n))
    assert np.abs(rt.design["heat_required_W"]).max() <= 1e-9 * rt.design["lhv_feed_W"].min()
    assert np.allclose(rt.outlets["syngas"].flow, ra.outlets["syngas"].flow, rtol=1e-9, atol=1e-12)


@pytest.mark.unit
def test_asu_specific_power_default_within_cited_benchmark():
    """Default within the cited value, not a validation of an output: the default specific
    power (an input, 200 kWh/t O2) is the 0.28 kWh per Nm3 O2 benchmark of Alsultanny &
    Al-Shammari (2014), Engineering Journal 18(2):67, doi:10.4186/ej.2014.18.2.67 (within 3 %).
    Outputs away from the default point: test_asu_off_default_product_and_power_by_hand."""
    a = _unit(AirSeparationUnit)
    air = Stream.from_flows(CS, {k: 1000.0 * v for k, v in AIR.items()}, T=298.15, P=101325.0)
    r = a.run({"air": air}, a.resolve({}, 1))
    nm3_per_h = r.outlets["o2"]["O2"][0] * 8.314462618 * 273.15 / 101325.0 * 3600.0
    assert float(r.design["power_kW"][0]) / nm3_per_h == pytest.approx(0.28, rel=0.03)
    x = r.outlets["o2"].mole_fractions[0]
    assert x[CS.index("O2")] == pytest.approx(0.995, rel=1e-12)
    assert x[CS.index("Ar")] > x[CS.index("N2")]


@pytest.mark.unit
def test_asu_off_default_product_and_power_by_hand():
    """Away from the defaults (95 % purity, 90 % recovery, 350 kWh/t, humid-free air at
    3 kmol/s): the O2 product, its argon and nitrogen, the vent and the power recomputed by
    hand from the O2 and impurity balances."""
    a = _unit(AirSeparationUnit, purity=0.95, o2_recovery=0.90, specific_power_kWh_per_t=350.0)
    air_mol = 3000.0
    air = Stream.from_flows(CS, {k: air_mol * v for k, v in AIR.items()}, T=298.15, P=101325.0)
    r = a.run({"air": air}, a.resolve({}, 1))
    prod = r.outlets["o2"]
    o2 = 0.90 * air_mol * AIR["O2"]
    imp = o2 * 0.05 / 0.95
    ar = min(0.9 * imp, air_mol * AIR["Ar"])
    assert prod["O2"][0] == pytest.approx(o2, rel=1e-12)
    assert prod["Ar"][0] == pytest.approx(ar, rel=1e-12)
    assert prod["N2"][0] == pytest.approx(imp - ar, rel=1e-12)
    assert prod.mole_fractions[0][CS.index("O2")] == pytest.approx(0.95, rel=1e-12)
    assert float(r.design["power_kW"][0]) == pytest.approx(350.0 * o2 * 0.0319988 * 3.6, rel=1e-4)
    np.testing.assert_allclose(prod.flow + r.outlets[[k for k in r.outlets if k != "o2"][0]].flow,
                               air.flow, rtol=1e-12, atol=1e-12)


# -- flowsheet with the autothermal design spec -------------------------------------------------

def _flowsheet():
    fs = Flowsheet("gasification_test")
    feed = fs.add(Feedstock("feed", feedstock="wood_chips", rate_dry_t_per_h=10.0))
    dryer = fs.add(Dryer("dryer"))
    air = fs.add(GasSource("air", composition=AIR, flow=150.0, T=298.15, P=101325.0))
    asu = fs.add(AirSeparationUnit("asu"))
    steam = fs.add(GasSource("steam", composition={"H2O": 1.0}, flow=50.0, T=573.15, P=20e5))
    gas = fs.add(Gasifier("gasifier", T=1123.15, P=20e5, ch4_slip=0.08, carbon_conversion=0.95))
    for sid, port in (("exhaust", dryer.outlets.exhaust), ("n2", asu.outlets.n2),
                      ("syngas", gas.outlets.syngas), ("ash", gas.outlets.ash)):
        s = fs.add(Sink(sid + "_sink"))
        fs.connect(port, s.inlets.feed)
    fs.connect(feed.outlets.out, dryer.inlets.feed)
    fs.connect(dryer.outlets.out, gas.inlets.feed)
    fs.connect(air.outlets.out, asu.inlets.air)
    fs.connect(asu.outlets.o2, gas.inlets.oxidant)
    fs.connect(steam.outlets.out, gas.inlets.steam)
    # air 10..600 mol/s is ER ~0.02..1.0 for this feed (beyond ER 1 the heat demand rises again)
    fs.add_spec(autothermal_spec("gasifier", "air.flow", 10.0, 600.0))
    return fs


@pytest.mark.component
def test_autothermal_flowsheet_batch_equals_single_cases():
    fs = _flowsheet()
    n = 200
    T = np.linspace(1073.15, 1273.15, n)
    res = fs.simulate(params={"gasifier.T": T}, costing=False)
    assert (res.status == "ok").all()
    res.check_balances()
    d = res.unit_results["gasifier"].design
    assert np.abs(d["heat_required_W"]).max() <= 1e-6 * d["lhv_feed_W"].min()
    assert (np.diff(res.param("air.flow")) > 0).all()  # hotter needs more oxygen
    assert ((d["cold_gas_efficiency"] > 0.7) & (d["cold_gas_efficiency"] < 0.85)).all()
    for i in (0, 37, 111, 199):
        one = fs.simulate(params={"gasifier.T": T[i:i + 1]}, costing=False)
        assert one.status[0] == "ok"
        a, b = res.stream("gasifier_syngas").flow[i], one.stream("gasifier_syngas").flow[0]
        assert np.abs(a - b).max() <= 1e-9 * np.abs(b).max()
        assert res.param("air.flow")[i] == pytest.approx(one.param("air.flow")[0], rel=1e-9)


# -- bad input ----------------------------------------------------------------------------------

@pytest.mark.unit
@pytest.mark.parametrize("name, value", [("T", 3000.0), ("T", 500.0), ("carbon_conversion", 1.5),
                                         ("mode", "isothermal"), ("heat_loss_fraction", -0.1),
                                         ("P", 0.0), ("ch4_slip", 0.9)])
def test_gasifier_bad_parameters(name, value):
    with pytest.raises(ParameterValueError, match=name):
        Gasifier("g", **{name: value})


@pytest.mark.unit
def test_bad_streams_and_names():
    ins = _wood_gasifier_inputs(1123.15, 0.3)
    bad = ins["steam"].copy()
    bad.flow[0, CS.index("H2O")] = -1.0
    g = _unit(Gasifier)
    with pytest.raises(StreamError, match="expected >= 0"):
        g.run(ins | {"steam": bad}, g.resolve({}, 1))
    with pytest.raises(UnknownParameterError, match="carbon_conversion"):
        Gasifier("g", carbon_convrsion=0.9)
    with pytest.raises(ParameterValueError, match="purity"):
        AirSeparationUnit("asu", purity=1.2)
    fs = _flowsheet()
    with pytest.raises(UnknownParameterError):
        fs.add_spec(autothermal_spec("gasifier", "air.flw", 1.0, 10.0))


@pytest.mark.unit
def test_infeasible_cases_are_flagged_not_raised():
    """Plastic without oxidant or steam cannot keep its carbon in the gas (no solid carbon in
    the equilibrium); too much O2 in adiabatic mode exceeds the temperature range. Only those
    cases are flagged; the others are exact."""
    n = 3
    ins = _ins(np.array(["ORG_mixed_plastic_waste", "ORG_wood_chips", "ORG_wood_chips"]),
               100.0, 0.1, 0.0, np.array([0.0, 30.0, 300.0]), 0.0, n=n)
    g = _unit(Gasifier)
    r = assert_unit_conserves(g, ins, g.resolve({}, n))
    assert "O and H too low" in r.status[0] and r.status[1] == r.status[2] == "ok"
    ga = _unit(Gasifier, mode="adiabatic")
    r = assert_unit_conserves(ga, ins, ga.resolve({}, n))
    assert r.status[1] == "ok" and "above" in r.status[2]
    assert np.isnan(r.outlets["syngas"].flow[2]).all()
    # with graphite allowed, the plastic case is solved (soot), the others are unchanged
    gs = _unit(Gasifier, solid_carbon=True)
    rs = assert_unit_conserves(gs, ins, gs.resolve({}, n))
    r0 = g.run(ins, g.resolve({}, n))
    assert rs.status is None and rs.design["soot_kg_s"][0] > 0
    # case 1 (dry wood, no steam, ER 0.3, 20 bar) lies below the carbon-deposition boundary:
    # graphite is stable there, so the gas-only equilibrium over-states the conversion
    assert rs.design["soot_kg_s"][1] > 0
    assert rs.design["soot_kg_s"][2] == 0.0  # oxidising: no graphite, same answer
    assert np.allclose(rs.outlets["syngas"].flow[2], r0.outlets["syngas"].flow[2], rtol=1e-9, atol=1e-12)
