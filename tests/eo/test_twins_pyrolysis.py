"""Numpy core and IDAES twin agree (rtol 1e-6) for the plastics units: washer, pyrolysis
reactor (two temperatures, inside and outside the slate points), condenser, fired heater,
hydrotreater, steam cracker and flue-gas scrubber; the solved twins conserve every element and close the energy
balance, and their design sizes (the costing's basis) equal the core's."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core import Stream
from carbonhub.thermo.components import ELEMENTS, pyrolysis_components
from carbonhub.unitops.cracker import SteamCracker
from carbonhub.unitops.hydrotreating import Hydrotreater
from carbonhub.unitops.plastics import FlueGasScrubber, PlasticsWasher
from carbonhub.unitops.pyrolysis import FiredHeater, PyrolysisCondenser, PyrolysisReactor
from carbonhub.unitops.sources import AIR

IDS = ["H2", "CH4", "C2H4", "C2H6", "C3H6", "C3H8", "C4H8", "C4H10", "CO", "CO2", "H2O", "HCl", "NH3",
       "H2S", "N2", "O2", "Ar", "SO2", "C8H18", "C8H16", "C16H34", "C16H32", "C30H62", "C30H60", "C6H6",
       "C7H8", "C8H8", "C8H10", "C10H8", "C6H5OH", "CH3CN", "CH2Cl2", "CH3COOH", "C4H6", "H2O(L)", "C(s)", "ASH",
       "ORG_mixed_pcw_film_rigid", "ORG_sorted_polyolefins"]
CS = pyrolysis_components().subset(IDS)


def _s(flows, T=298.15, P=1.2e5) -> Stream:
    return Stream.from_flows(CS, flows, T=T, P=P)


def _check(unit, ins, params):
    import pyomo.environ as pyo

    from carbonhub.eo.testing import compare_twin

    rep = compare_twin(unit, ins, params)
    assert rep["dof"] == 0
    assert rep["termination"] == "optimal"
    assert rep["max_rel_diff"] < 1e-6, rep["diffs"]
    blk = getattr(rep["model"].fs, unit.id)
    for e in ELEMENTS:
        e_in = sum(pyo.value(blk.sin(k).flow_elem[e]) for k in unit.inlet_names)
        e_out = sum(pyo.value(blk.sout(k).flow_elem[e]) for k in unit.outlet_names)
        assert e_out == pytest.approx(e_in, rel=1e-9, abs=1e-10), e
    h_in = sum(pyo.value(blk.sin(k).enth_flow) for k in unit.inlet_names)
    h_out = sum(pyo.value(blk.sout(k).enth_flow) for k in unit.outlet_names)
    assert h_in + pyo.value(blk.heat) + pyo.value(blk.power) == pytest.approx(h_out, rel=1e-9, abs=1e-3)
    core = unit.run(ins, unit.resolve(params, 1))
    for c in unit.costs:
        assert pyo.value(blk.design[c.size]) == pytest.approx(float(core.design[c.size][0]), rel=1e-8)
    if hasattr(blk, "fired_heat"):  # FiredHeater: heat delivered, fuel plus make-up gas
        assert pyo.value(blk.fired_heat) == pytest.approx(float(core.design["fired_heat_W"][0]), rel=1e-6)
    return rep


FEED = {"ORG_mixed_pcw_film_rigid": 50.0, "ORG_sorted_polyolefins": 30.0, "ASH": 2.0, "H2O(L)": 3.0}
VAPOUR = {"CH4": 1.0, "C2H4": 2.0, "C3H6": 1.5, "HCl": 0.2, "NH3": 0.05, "CO2": 0.3, "H2O": 2.0, "C8H18": 1.0,
          "C8H16": 1.5, "C16H34": 0.5, "C30H62": 0.2, "C8H8": 0.3, "C6H5OH": 0.05, "CH3CN": 0.02, "CH2Cl2": 0.01,
          "CH3COOH": 0.1}
OIL = {"C8H18": 1.0, "C8H16": 1.5, "C16H34": 0.5, "C16H32": 0.6, "C30H60": 0.2, "C8H8": 0.3, "C6H5OH": 0.05,
       "CH3CN": 0.02, "CH2Cl2": 0.01, "C7H8": 0.2}


@pytest.mark.component
@pytest.mark.solver
@pytest.mark.parametrize("unit, ins, params", [
    (PyrolysisReactor("pyro"), {"feed": _s(FEED)}, {"T": 773.15}),
    (PyrolysisReactor("pyro"), {"feed": _s(FEED)}, {"T": 698.15}),  # below PE/PP's first point: held
    (PyrolysisReactor("pyro"), {"feed": _s(FEED)}, {"T": 813.15, "reactor": "fixed_bed"}),  # PE's own slate
    (PyrolysisCondenser("cond"), {"feed": _s(VAPOUR, T=773.15)}, {"hcl_to_water": 0.8}),
    (Hydrotreater("ht"), {"feed": _s(OIL, T=313.15, P=40e5), "h2": _s({"H2": 3.0}, T=313.15, P=40e5)}, {}),
    (SteamCracker("cracker"), {"feed": _s({"C8H18": 5.0, "C7H8": 0.5, "C6H6": 0.2, "CH4": 0.1}, T=313.15)}, {}),
    (PlasticsWasher("washer"), {"feed": _s(FEED), "water": _s({"H2O(L)": 300.0})}, {"ash_removal": 0.4}),
    (FiredHeater("fh"), {"fuel": _s({"CH4": 1.0, "C2H4": 0.5, "C(s)": 0.5, "HCl": 0.01, "ASH": 0.1}),
                         "air": _s({k: 25.0 * v for k, v in AIR.items()})}, {"efficiency": 0.85}),
    (FiredHeater("fh"), {"fuel": _s({"CH4": 1.0, "C2H4": 0.5}), "air": _s({k: 25.0 * v for k, v in AIR.items()})},
     {"efficiency": 0.85, "makeup_heat_W": 2.0e5}),
    (FlueGasScrubber("scrubber"), {"gas": _s({"CO2": 10.0, "H2O": 12.0, "N2": 70.0, "O2": 3.0, "HCl": 0.1}, T=450.0),
                                   "water": _s({"H2O(L)": 20.0})}, {"naoh_ratio": 1.1}),
], ids=["pyrolysis_773K", "pyrolysis_698K", "pyrolysis_fixed_bed", "condenser", "hydrotreater", "cracker", "washer", "fired_heater",
        "fired_heater_makeup", "flue_gas_scrubber"])
def test_twin_equals_core(unit, ins, params):
    _check(unit, ins, params)


@pytest.mark.component
@pytest.mark.solver
def test_pyrolysis_twin_follows_temperature():
    """The twin is a model of T, not a copy: re-solved at another T (same slate interval) it
    gives the core's answer at that T."""
    import pyomo.environ as pyo

    from carbonhub.eo import solve, streams_from_model

    u, ins = PyrolysisReactor("pyro"), {"feed": _s(FEED)}
    rep = _check(u, ins, {"T": 790.0})  # 516.85 degC: inside an interval of every slate
    m = rep["model"]
    m.fs.pyro.par["T"].fix(800.0)
    assert str(solve(m).solver.termination_condition) == "optimal"
    core = u.run(ins, u.resolve({"T": 800.0}, 1))
    f = np.array([streams_from_model(m)["out_vapour"][0][j] for j in CS.ids])
    assert np.abs(f - core.outlets["vapour"].flow[0]).max() < 1e-6 * core.outlets["vapour"].total_flow[0]
    assert pyo.value(m.fs.pyro.heat) == pytest.approx(float(core.heat[0]), rel=1e-6)
