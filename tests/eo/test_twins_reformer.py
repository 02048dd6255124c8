"""Numpy core and IDAES twin of the tar reformer agree (rtol 1e-6); the solved twin conserves
elements and energy, its units are consistent, IDAES finds no structural warnings, and a
re-solve at changed parameters equals the core (the twin is a model, not a copy)."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core import Stream
from carbonhub.thermo import ComponentSet
from carbonhub.thermo.components import ELEMENTS
from carbonhub.unitops.reformer import TarReformer

pytestmark = [pytest.mark.component, pytest.mark.solver]

CS = ComponentSet.from_ids(["H2", "CO", "CO2", "H2O", "H2O(L)", "CH4", "C2H4", "C2H6", "C3H8", "C7H16",
                            "NH3", "N2", "H2S"])
RAW = {"H2": 30.0, "CO": 30.0, "CO2": 15.0, "H2O": 35.0, "H2O(L)": 1.0, "CH4": 8.0, "C2H4": 1.0,
       "C2H6": 0.5, "C3H8": 0.2, "C7H16": 0.1, "NH3": 0.3, "N2": 1.0, "H2S": 0.05}


def _ins():
    return {"feed": Stream.from_flows(CS, RAW, T=1143.15, P=28e5),
            "steam": Stream.from_flows(CS, {"H2O": 4.0}, T=573.15, P=30e5)}


@pytest.mark.parametrize("params, changes", [
    ({}, {"T": 1230.0, "x_CH4": 0.6}),
    ({"shift": "frozen", "T": 1250.0, "dP": 1e5}, {"x_C2H4": 0.5, "x_NH3": 0.7}),
    ({"methane": "equilibrium", "dP": 1e5}, {"T": 1250.0, "dT_approach": -30.0}),
], ids=["equilibrium_shift", "frozen_shift", "methane_equilibrium"])
def test_tar_reformer_twin(params, changes):
    import pyomo.environ as pyo
    from idaes.core.util.diagnostics_tools.diagnostics_toolbox import DiagnosticsToolbox
    from pyomo.util.check_units import assert_units_consistent

    from carbonhub.eo import solve, streams_from_model
    from carbonhub.eo.testing import compare_twin

    u, ins = TarReformer("tr"), _ins()
    rep = compare_twin(u, ins, params)
    assert rep["dof"] == 0 and rep["termination"] == "optimal"
    assert rep["max_rel_diff"] < 1e-6, rep["diffs"]
    m = rep["model"]
    blk = m.fs.tr
    for e in ELEMENTS:
        e_in = sum(pyo.value(blk.sin(k).flow_elem[e]) for k in ("feed", "steam"))
        e_out = pyo.value(blk.sout("out").flow_elem[e])
        assert e_out == pytest.approx(e_in, rel=1e-9, abs=1e-10), e
    h_in = sum(pyo.value(blk.sin(k).enth_flow) for k in ("feed", "steam"))
    h_out = pyo.value(blk.sout("out").enth_flow)
    assert h_in + pyo.value(blk.heat) == pytest.approx(h_out, rel=1e-9, abs=1e-3)
    assert_units_consistent(blk)
    DiagnosticsToolbox(m).assert_no_structural_warnings()
    core = u.run(ins, u.resolve(params, 1))
    assert {c.size for c in u.costs} <= set(blk.design_names)
    for k in blk.design_names:
        assert pyo.value(blk.design[k]) == pytest.approx(float(core.design[k][0]), rel=1e-8), k
    # re-solve at new parameters: the twin follows the core
    for k, v in changes.items():
        blk.par[k].fix(v)
    assert str(solve(m).solver.termination_condition) == "optimal"
    twin = streams_from_model(m)["out_out"]
    core = u.run(ins, u.resolve({**params, **changes}, 1))
    f = np.array([twin[0][j] for j in CS.ids])
    assert np.abs(f - core.outlets["out"].flow[0]).max() <= 1e-6 * float(core.outlets["out"].total_flow[0])
    assert pyo.value(blk.heat) == pytest.approx(float(core.heat[0]), rel=1e-6)


@pytest.mark.parametrize("water", [35.0, 2.0], ids=["no_make_up", "make_up"])
def test_reformer_steam_twin(water):
    from carbonhub.eo.testing import compare_twin
    from carbonhub.unitops.reformer import ReformerSteam

    ins = {"ref": Stream.from_flows(CS, {**RAW, "H2O": water, "H2O(L)": 0.0}, T=1143.15, P=28e5)}
    rep = compare_twin(ReformerSteam("rs"), ins, {"steam_to_carbon": 2.0})
    assert rep["dof"] == 0 and rep["termination"] == "optimal"
    assert rep["max_rel_diff"] < 1e-6, rep["diffs"]
