"""Numpy core and IDAES twin agree (rtol 1e-6) for the synthesis and upgrading units:
Fischer-Tropsch, methanol reactor (equilibrium as constraints), MTO, hydrocracker, product
fractionator, and biomass_ft's naphtha and jet columns on FT liquids; the twins conserve elements, have consistent units and no structural warnings,
their continuous parameters enter algebraically (moving one and re-solving the twin gives the
core at the new value), and a methanol loop with recycle solves at zero degrees of freedom."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core import Stream
from carbonhub.thermo import ComponentSet
from carbonhub.unitops.columns import ShortcutColumn
from carbonhub.unitops.ft import FT_LUMPS, FischerTropsch, asf_lump_carbon_fractions
from carbonhub.unitops.methanol import MethanolReactor
from carbonhub.unitops.mto import MTO_TABLE, MethanolToOlefins, mto_selectivities
from carbonhub.unitops.upgrading import Hydrocracker, ProductFractionator

CS = ComponentSet.default()
MEOH_CS = ComponentSet.from_ids(["H2", "CO", "CO2", "H2O", "CH3OH", "CH4", "N2", "Ar", "DME", "H2O(L)"])


def _s(cs, flows, T, P):
    return Stream.from_flows(cs, flows, T=T, P=P)


SYNGAS = _s(CS, {"H2": 2.1, "CO": 1.0, "CO2": 0.05, "N2": 0.1, "CH4": 0.02, "H2O(L)": 0.01}, 493.15, 25e5)
MEOH_FEED = _s(MEOH_CS, {"H2": 7.0, "CO": 2.5, "CO2": 0.5, "CH4": 0.2, "N2": 0.1, "H2O(L)": 0.05},
               500.0, 80e5)
CO2_FEED = _s(MEOH_CS, {"H2": 3.0, "CO2": 1.0, "N2": 0.3, "CH3OH": 0.01}, 500.0, 50e5)
# O = C: no CO2 or water can form, only the methanol reaction acts (its decomposition here)
METHANOL_LEAN = _s(MEOH_CS, {"CH3OH": 1.0, "H2": 0.1, "N2": 0.3}, 500.0, 5e5)
NO_HYDROGEN = _s(MEOH_CS, {"CO": 1.0, "CO2": 1.0, "N2": 0.3}, 500.0, 50e5)  # no reaction possible
METHANOL = _s(CS, {"CH3OH": 100.0, "DME": 5.0, "H2O": 10.0, "N2": 1.0, "CO": 0.5}, 523.15, 3e5)
WAX = _s(CS, {"C30H62": 1.0, "C16H34": 0.5, "C8H18": 0.3, "H2O(L)": 0.01}, 473.15, 50e5)
H2 = _s(CS, {"H2": 5.0, "CH4": 0.1}, 313.15, 50e5)
C5PLUS = _s(CS, {"C5H12": 0.2, "C8H18": 1.0, "C12H26": 0.5, "C16H34": 0.3, "C30H62": 0.1}, 313.15, 2e5)
# biomass_ft's upgrading: the cracked liquid to the naphtha column (1 atm), its bottoms to the
# jet column (0.5 bar); the condensate hydrotreater's twin: tests/eo/test_twins_pyrolysis.py
CRACKED = _s(CS, {"C8H18": 4.6, "C12H26": 0.9, "C16H34": 1.6}, 313.15, 50e5)
HEAVY = _s(CS, {"C8H18": 0.046, "C12H26": 0.9, "C16H34": 1.6}, 398.0, 1.01325e5)

CASES = [
    ("ft_default", FischerTropsch("ft"), {"syngas": SYNGAS}, {}),
    ("ft_low_alpha", FischerTropsch("ft"), {"syngas": SYNGAS},
     {"alpha": 0.75, "co_conversion": 0.55, "olefin_fraction": 0.3, "co2_selectivity": 0.1,
      "ch4_extra": 0.1}),
    ("ft_high_alpha", FischerTropsch("ft"), {"syngas": SYNGAS},
     {"alpha": 0.95, "co_conversion": 0.9, "T": 513.15, "P": 30e5, "T_sep": 330.0}),
    ("meoh_default", MethanolReactor("mr"), {"feed": MEOH_FEED}, {}),
    ("meoh_approach_dme", MethanolReactor("mr"), {"feed": MEOH_FEED},
     {"T": 553.15, "P": 50e5, "dT_approach": 15.0, "dme_fraction": 0.1}),
    ("meoh_co2", MethanolReactor("mr"), {"feed": CO2_FEED}, {"T": 503.15, "P": 100e5}),
    ("meoh_decomposition", MethanolReactor("mr"), {"feed": METHANOL_LEAN}, {"dme_fraction": 0.2}),
    ("meoh_no_hydrogen", MethanolReactor("mr"), {"feed": NO_HYDROGEN}, {}),
    ("mto_default", MethanolToOlefins("mto"), {"feed": METHANOL}, {}),
    ("mto_low_T", MethanolToOlefins("mto"), {"feed": METHANOL}, {"T": 690.0, "conversion": 0.95}),
    ("mto_high_T", MethanolToOlefins("mto"), {"feed": METHANOL}, {"T": 773.15, "T_sep": 350.0, "P": 3e5}),
    ("hcr_default", Hydrocracker("hcr"), {"feed": WAX, "h2": H2}, {}),
    ("hcr_yields", Hydrocracker("hcr"), {"feed": WAX, "h2": H2},
     {"wax_conversion": 0.8, "c16_conversion": 0.4, "y_naphtha": 0.3, "y_jet": 0.3, "y_diesel": 0.35,
      "y_lights": 0.1, "lights_c3_fraction": 0.3}),
    ("hcr_diesel_only", Hydrocracker("hcr"), {"feed": WAX, "h2": H2},
     {"c16_conversion": 0.5, "y_naphtha": 0.0, "y_jet": 0.0, "y_lights": 0.0, "y_diesel": 1.0}),
    ("fractionator", ProductFractionator("frac"), {"feed": C5PLUS}, {}),
    ("naphtha_column_ft", ShortcutColumn("nc", light_key="C8H18", heavy_key="C12H26", P=1.01325e5),
     {"feed": CRACKED}, {}),
    ("jet_column_ft", ShortcutColumn("jc", light_key="C12H26", heavy_key="C16H34", P=0.5e5),
     {"feed": HEAVY}, {}),
]


def _core(unit, ins, params):
    return unit.run(ins, unit.resolve(params, 1))


def _element_residual(b) -> float:
    import pyomo.environ as pyo

    u = b.config.unit
    els = list(b.config.property_package.element_list)
    e_in = np.array([sum(pyo.value(b.sin(n).flow_elem[e]) for n in u.inlet_names) for e in els])
    e_out = np.array([sum(pyo.value(b.sout(n).flow_elem[e]) for n in u.outlet_names) for e in els])
    return float(np.abs(e_out - e_in).max() / e_in.sum())


@pytest.mark.component
@pytest.mark.solver
@pytest.mark.parametrize("name, unit, ins, params", CASES, ids=[c[0] for c in CASES])
def test_twin_equals_core(name, unit, ins, params):
    import pyomo.environ as pyo
    from idaes.core.util import DiagnosticsToolbox
    from pyomo.util.check_units import assert_units_consistent

    from carbonhub.eo.testing import compare_twin

    rep = compare_twin(unit, ins, params)
    assert rep["dof"] == 0
    assert rep["termination"] == "optimal"
    assert rep["max_rel_diff"] < 1e-6, rep["diffs"]
    m = rep["model"]
    b = getattr(m.fs, unit.id)
    assert _element_residual(b) < 1e-12
    assert_units_consistent(b)
    DiagnosticsToolbox(m).assert_no_structural_warnings()
    # every Var and Constraint of the twin is documented
    for c in b.component_objects((pyo.Var, pyo.Constraint), descend_into=False):
        assert c.doc or c.local_name.startswith("_"), c.name  # _*: the ports' references
    # design results of the twin (cost basis, duties) equal the core's
    r = _core(unit, ins, params)
    if hasattr(b, "design"):
        floor = {"duty_W": 1e-6 * max(abs(float(r.heat[0])), 1.0)}
        for k in b.design_names:
            ref = float(r.design[k][0])
            assert pyo.value(b.design[k]) == pytest.approx(ref, rel=1e-6, abs=floor.get(k, 1e-12)), k


# moving a continuous parameter in the solved twin and re-solving gives the core at the new value
MOVES = [
    ("ft_alpha", FischerTropsch("ft"), {"syngas": SYNGAS}, {"alpha": 0.9},
     {"alpha": 0.85, "co_conversion": 0.7, "ch4_extra": 0.08, "olefin_fraction": 0.2,
      "co2_selectivity": 0.05}),
    ("meoh_T_P", MethanolReactor("mr"), {"feed": MEOH_FEED}, {"dme_fraction": 0.05},
     {"T": 533.15, "P": 60e5, "dT_approach": 5.0, "dme_fraction": 0.08}),
    ("mto_T", MethanolToOlefins("mto"), {"feed": METHANOL}, {"T": 740.0}, {"T": 760.0, "conversion": 0.99}),
    ("hcr_yields", Hydrocracker("hcr"), {"feed": WAX, "h2": H2}, {"c16_conversion": 0.2},
     {"y_naphtha": 0.25, "y_jet": 0.35, "y_diesel": 0.35, "y_lights": 0.05, "wax_conversion": 0.9,
      "c16_conversion": 0.3}),
]


@pytest.mark.component
@pytest.mark.solver
@pytest.mark.parametrize("name, unit, ins, start, moved", MOVES, ids=[c[0] for c in MOVES])
def test_parameters_enter_algebraically(name, unit, ins, start, moved):
    import pyomo.environ as pyo

    from carbonhub.eo import solve
    from carbonhub.eo.testing import compare_twin

    rep = compare_twin(unit, ins, start)
    b = getattr(rep["model"].fs, unit.id)
    for k, v in moved.items():
        b.par[k].fix(v)
    assert str(solve(rep["model"]).solver.termination_condition) == "optimal"
    r = _core(unit, ins, {**start, **moved})
    for port, s in r.outlets.items():
        f = np.array([pyo.value(b.sout(port).flow_mol_comp[j]) for j in s.cs.ids])
        np.testing.assert_allclose(f, s.flow[0], rtol=0, atol=1e-7 * max(float(s.total_flow[0]), 1e-12))
        assert pyo.value(b.sout(port).temperature) == pytest.approx(float(s.T[0]), rel=1e-9)
    assert pyo.value(b.heat) == pytest.approx(float(r.heat[0]), rel=1e-7, abs=1e-3)


@pytest.mark.unit
def test_asf_expressions_equal_numpy():
    """The generic ASF terms (used by the twin with alpha a Pyomo variable) equal the numpy lumps."""
    from carbonhub.unitops.ft import _asf_lump_terms

    for a in (0.05, 0.5, 0.8, 0.9, 0.97):
        t = np.array(_asf_lump_terms(a))
        np.testing.assert_allclose(t / t.sum(), asf_lump_carbon_fractions(a)[0], rtol=1e-13)
    assert len(FT_LUMPS) == 7


@pytest.mark.component
def test_mto_twin_freezes_the_table_segment():
    """The twin's selectivities are the numpy interpolation on the segment of the core's T;
    par[T] is bounded to that segment."""
    import pyomo.environ as pyo

    from carbonhub.eo import build_model
    from carbonhub.eo.testing import FixedStream
    from carbonhub.core import Flowsheet
    from carbonhub.unitops.sources import Sink

    for T0, seg in ((690.0, (673.15, 723.15)), (723.15, (723.15, 773.15)), (750.0, (723.15, 773.15))):
        fs = Flowsheet("mto", components=CS)
        src = fs.add(FixedStream("src", METHANOL))
        mto = fs.add(MethanolToOlefins("mto", T=T0))
        fs.connect(src.outlets.out, mto.inlets.feed)
        for port in mto.outlet_names:
            fs.connect(getattr(mto.outlets, port), fs.add(Sink(f"snk_{port}")).inlets.feed)
        b = build_model(fs).fs.mto
        assert (b.par["T"].lb, b.par["T"].ub) == seg
        for T in np.linspace(*seg, 7):
            b.par["T"].fix(T)
            ref = mto_selectivities(T)
            for k in MTO_TABLE:
                if k != "T_K":
                    got = pyo.value(b.selectivity[k])
                    assert got == pytest.approx(float(ref[k][0]), rel=1e-13, abs=1e-16)


def methanol_loop():
    """feed -> mixer -> preheater -> methanol reactor -> liquid knock-out -> purge -> recycle."""
    from carbonhub import Flowsheet
    from carbonhub.unitops.basic import ComponentSplitter, Heater, Mixer, Splitter
    from carbonhub.unitops.sources import GasSource, Sink

    fs = Flowsheet("methanol_loop_eo", components=MEOH_CS)
    syngas = {"H2": 0.67, "CO": 0.23, "CO2": 0.06, "CH4": 0.03, "N2": 0.01}
    feed = fs.add(GasSource("feed", composition=syngas, flow=100.0, T=313.15, P=80e5))
    mixer = fs.add(Mixer("mixer", n_inlets=2))
    heater = fs.add(Heater("preheat", T=503.15))
    reactor = fs.add(MethanolReactor("reactor", T=523.15, P=80e5, dT_approach=10.0, dme_fraction=0.01))
    flash = fs.add(ComponentSplitter("flash", split={"CH3OH": 0.0, "H2O": 0.0, "DME": 0.0}, default=1.0))
    purge = fs.add(Splitter("purge", fraction=0.05))
    crude = fs.add(Sink("crude", category="product", product="methanol", main=True))
    vent = fs.add(Sink("vent", category="emission"))
    fs.connect(feed.outlets.out, mixer.inlets.in1)
    fs.connect(mixer.outlets.out, heater.inlets.feed)
    fs.connect(heater.outlets.out, reactor.inlets.feed)
    fs.connect(reactor.outlets.out, flash.inlets.feed)
    fs.connect(flash.outlets.bottom, crude.inlets.feed, id="crude")
    fs.connect(flash.outlets.top, purge.inlets.feed)
    fs.connect(purge.outlets.purge, vent.inlets.feed, id="purge_gas")
    fs.connect(purge.outlets.out, mixer.inlets.in2, id="recycle")
    return fs


@pytest.mark.integration
@pytest.mark.solver
def test_methanol_loop_twin():
    import pyomo.environ as pyo
    from idaes.core.util import DiagnosticsToolbox

    from carbonhub.eo import degrees_of_freedom, solve, streams_from_model

    fs = methanol_loop()
    params = {"purge.fraction": [0.05, 0.15], "reactor.T": [523.15, 538.15], "reactor.P": [80e5, 60e5]}
    res = fs.simulate(params=params, costing=False, max_iter=1000)
    assert (res.status == "ok").all(), res.status
    for case in (0, 1):
        m = fs.to_pyomo(case=case, params=params)
        assert degrees_of_freedom(m) == 0
        DiagnosticsToolbox(m).assert_no_structural_warnings()
        assert str(solve(m).solver.termination_condition) == "optimal"
        st = streams_from_model(m)
        for c in fs.connections:
            core = res.stream(c.id)
            f = np.array([st[c.id][0][j] for j in fs.components.ids])
            np.testing.assert_allclose(f, core.flow[case], rtol=1e-6,
                                       atol=1e-9 * float(core.total_flow[case]))
            assert st[c.id][1] == pytest.approx(float(core.T[case]), rel=1e-6)
            assert st[c.id][2] == pytest.approx(float(core.P[case]), rel=1e-6)
        for uid in ("preheat", "reactor"):
            assert pyo.value(getattr(m.fs, uid).heat) == pytest.approx(
                float(res.unit_results[uid].heat[case]), rel=1e-6)
        # the loop conserves carbon: feed = crude + purge gas
        c_in = pyo.value(m.fs.feed.sout("out").flow_elem["C"])
        c_out = sum(pyo.value(getattr(m.fs, u).sin("feed").flow_elem["C"]) for u in ("crude", "vent"))
        assert c_out == pytest.approx(c_in, rel=1e-9)
