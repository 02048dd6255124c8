"""Tests of the worked example of "How to add a unit operation" (examples/custom_unit.py).

They are the tests the guide asks every unit to have (docs/dev/unit_contract.md), and the guide
includes this file: conservation on random batched inlets, a literature/independent value, the
equation-oriented twin against the numpy run, and bad input.
"""
from __future__ import annotations

import doctest
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from carbonhub.core import ParameterValueError, Stream
from carbonhub.thermo import ComponentSet

ROOT = Path(__file__).resolve().parents[2]


def _load_example():
    path = ROOT / "examples" / "custom_unit.py"
    spec = importlib.util.spec_from_file_location("carbonhub_example_custom_unit", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


ex = _load_example()
FixedConversionReactor = ex.FixedConversionReactor
CS = ComponentSet.from_ids(["CO2", "H2", "CO", "H2O", "CH4", "N2"])


# --8<-- [start:conservation]
@pytest.mark.unit
@settings(deadline=None, max_examples=25)
@given(st.lists(st.tuples(st.floats(0.0, 10.0), st.floats(0.0, 10.0), st.floats(0.0, 5.0),
                          st.floats(0.0, 5.0), st.floats(300.0, 1500.0), st.floats(0.0, 1.0)),
                min_size=5, max_size=8))
def test_conserves_mass_elements_and_energy(cases):
    from helpers import assert_unit_conserves  # tests/helpers.py

    a = np.array(cases)
    feed = Stream.from_flows(CS, {"CO2": a[:, 0], "H2": a[:, 1], "CO": a[:, 2], "N2": a[:, 3]},
                             T=a[:, 4], P=20e5)
    rx = FixedConversionReactor("rwgs")
    p = rx.resolve({"conversion": a[:, 5], "T": np.full(len(a), 1100.0)}, len(a))
    status = rx.run({"feed": feed}, p).status
    assume(status is None or (np.asarray(status) == "ok").any())  # a draw with a case to check
    assert_unit_conserves(rx, {"feed": feed}, p)  # ok cases: 1e-9 mass/elements, 1e-6 energy
# --8<-- [end:conservation]


# --8<-- [start:literature]
@pytest.mark.unit
def test_heat_of_reaction_matches_nist_janaf():
    """Isothermal at 298.15 K, full conversion of 1 mol/s CO2: heat = dH_r(298.15 K).

    NIST-JANAF (Chase 1998, J. Phys. Chem. Ref. Data Monograph 9): dfH CO2 -393.522,
    H2O(g) -241.826, CO -110.527 kJ/mol -> dH_r = +41.169 kJ/mol for CO2 + H2 = CO + H2O.
    """
    feed = Stream.from_flows(CS, {"CO2": 1.0, "H2": 1.0}, T=298.15, P=1e5)
    rx = FixedConversionReactor("rwgs", conversion=1.0, T=298.15)
    r = rx.run({"feed": feed}, rx.resolve({}, 1))
    assert r.heat[0] == pytest.approx(41.169e3, rel=2e-3)


@pytest.mark.unit
def test_equilibrium_flag_agrees_with_cantera():
    """The status boundary is the equilibrium conversion that Cantera computes independently."""
    import cantera as ct

    T, P = 1100.0, 20e5
    allsp = {s.name: s for s in ct.Species.list_from_file("nasa_gas.yaml")}  # NASA Glenn data
    sub = ct.Solution(thermo="ideal-gas", species=[allsp[s] for s in ("CO2", "H2", "CO", "H2O")])
    sub.TPX = T, P, "CO2:1, H2:1"
    sub.equilibrate("TP")
    x_eq = sub["CO"].X[0] / (sub["CO"].X[0] + sub["CO2"].X[0])  # fraction of CO2 converted

    feed = Stream.from_flows(CS, {"CO2": 1.0, "H2": 1.0}, T=T, P=P, n=2)
    rx = FixedConversionReactor("rwgs", T=T)
    r = rx.run({"feed": feed}, rx.resolve({"conversion": [x_eq * (1 - 1e-6), x_eq * (1 + 1e-6)]}, 2))
    assert r.status[0] == "ok"
    assert r.status[1].startswith("conversion beyond chemical equilibrium")
# --8<-- [end:literature]


# --8<-- [start:twin]
@pytest.mark.component
@pytest.mark.solver
def test_twin_equals_core():
    from carbonhub.eo.testing import compare_twin

    feed = Stream.from_flows(CS, {"CO2": 1.0, "H2": 2.5, "CO": 0.1, "N2": 0.05}, T=650.0, P=20e5)
    rep = compare_twin(FixedConversionReactor("rwgs"), {"feed": feed},
                       {"conversion": 0.35, "T": 1150.0, "dP": 0.5e5})
    assert rep["dof"] == 0
    assert rep["termination"] == "optimal"
    assert rep["max_rel_diff"] < 1e-6, rep["diffs"]
# --8<-- [end:twin]


# --8<-- [start:bad_input]
@pytest.mark.unit
def test_bad_input_names_the_value():
    with pytest.raises(ParameterValueError, match="conversion = 1.5"):
        FixedConversionReactor("rwgs", conversion=1.5)
    with pytest.raises(ParameterValueError, match="'CO' is not a reactant"):
        FixedConversionReactor("rwgs", key="CO")
    rx = FixedConversionReactor("rwgs")
    small = ComponentSet.from_ids(["CO2", "H2", "N2"])
    feed = Stream.from_flows(small, {"CO2": 1.0, "H2": 1.0}, T=600.0, P=1e5)
    with pytest.raises(ParameterValueError, match="lacks"):
        rx.run({"feed": feed}, rx.resolve({}, 1))
# --8<-- [end:bad_input]


@pytest.mark.unit
def test_docstring_example_runs():
    failures, _ = doctest.testmod(ex, optionflags=doctest.ELLIPSIS)
    assert failures == 0
