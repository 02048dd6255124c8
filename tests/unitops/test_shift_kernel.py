"""The water-gas shift's compiled row work (:mod:`carbonhub.unitops._shift_kernel`, engine
"numba") against its numpy reference (engine "numpy"): every outlet, heat, design value and
status bit for bit, over random batches of every mode (H2/CO target or equilibrium, adiabatic
or isothermal, with and without bypass, targets short of and beyond equilibrium, a species in
some cases only, empty rows); a case alone equals the same case in its batch; and the answers
close the element and energy balances computed here from the streams (not from the unit)."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core import Stream
from helpers import assert_case_alone_equals_batch, differing_fields, result_fields  # tests/helpers.py (tests/conftest.py)
from carbonhub.thermo import ComponentSet
from carbonhub.unitops.shift import WaterGasShift

IDS = ["CO", "H2O", "CO2", "H2", "N2", "CH4", "H2S", "NH3", "Ar"]
CS = ComponentSet.from_ids(IDS)


def _inlets(rng, n, empty=()):
    flow = {"CO": rng.uniform(0.2, 2.0, n), "H2": rng.uniform(0.1, 1.5, n), "CO2": rng.uniform(0, 0.5, n),
            "N2": rng.uniform(0, 0.3, n), "CH4": rng.uniform(0, 0.1, n), "H2O": rng.uniform(0, 0.2, n),
            "H2S": np.where(rng.random(n) < 0.3, rng.uniform(0, 1e-3, n), 0.0)}  # in some cases only
    for k in flow:
        flow[k][list(empty)] = 0.0
    steam = rng.uniform(0.5, 2.5, n)
    steam[list(empty)] = 0.0
    f = Stream.from_flows(CS, flow, T=rng.uniform(450, 650, n), P=25e5)
    s = Stream.from_flows(CS, {"H2O": steam}, T=rng.uniform(480, 620, n), P=25e5)
    return {"feed": f, "steam": s}




CASES = [dict(mode="h2_co", thermal="adiabatic"), dict(mode="equilibrium", thermal="isothermal"),
         dict(mode="equilibrium", thermal="adiabatic"), dict(mode="h2_co", thermal="isothermal")]


@pytest.mark.unit
@pytest.mark.parametrize("kw", CASES, ids=lambda k: f"{k['mode']}-{k['thermal']}")
@pytest.mark.parametrize("bypass", [False, True])
def test_compiled_equals_numpy_bit_for_bit(kw, bypass):
    rng = np.random.default_rng(7)
    n = 300
    ins = _inlets(rng, n, empty=(3, 150))
    u = WaterGasShift("w", T=573.15, **kw)
    over = {"h2_co": rng.uniform(0.5, 6.0, n), "T": rng.uniform(520, 700, n), "dT_approach": rng.uniform(0, 20, n)}
    if bypass:
        over["bypass"] = np.where(rng.random(n) < 0.7, rng.uniform(0, 0.6, n), 0.0)
    p = u.resolve(over, n)
    a, b = result_fields(u.shift(ins, p, engine="numpy")), result_fields(u.shift(ins, p, engine="numba"))
    assert differing_fields(a, b) == []
    if kw["mode"] == "h2_co":  # both sides of equilibrium occur in the batch
        st = a["status"]
        assert 0 < sum("beyond the shift equilibrium" in s for s in st) < n


@pytest.mark.unit
def test_a_case_alone_equals_its_batch():
    rng = np.random.default_rng(3)
    n = 40
    u = WaterGasShift("w", mode="h2_co", thermal="adiabatic", T=573.15)
    over = {"h2_co": rng.uniform(0.8, 4.0, n), "bypass": rng.uniform(0, 0.4, n)}
    assert_case_alone_equals_batch(lambda ins, o: u.shift(ins, u.resolve(o, len(o["h2_co"])), engine="numba"),
                                   _inlets(rng, n), over, (0, 7, 23, 39),
                                   ("out.flow", "out.T", "heat", "design.T_reactor_K"))


@pytest.mark.unit
def test_balances_close_on_the_compiled_path():
    """Elements in = out to 1e-12 and heat = H_out - H_feed - H_steam to 1e-9 of the enthalpy
    flows, both from the streams' own element matrix and enthalpy (independent of the kernel)."""
    rng = np.random.default_rng(11)
    n = 200
    ins = _inlets(rng, n)
    u = WaterGasShift("w", mode="equilibrium", thermal="adiabatic", T=573.15)
    p = u.resolve({"bypass": rng.uniform(0, 0.5, n)}, n)
    r = u.shift(ins, p, engine="numba")
    o = r.outlets["out"]
    E = CS.element_matrix
    el_in = (ins["feed"].flow + ins["steam"].flow) @ E
    np.testing.assert_allclose(o.flow @ E, el_in, rtol=1e-12, atol=1e-14)
    H_in = ins["feed"].enthalpy + ins["steam"].enthalpy
    scale = np.abs(H_in) + np.abs(o.enthalpy)
    assert np.all(np.abs(r.heat - (o.enthalpy - H_in)) <= 1e-9 * scale)
    assert (r.design["T_reactor_K"] > 573.15).all()  # exothermic bed


@pytest.mark.unit
def test_a_one_case_stream_serves_every_case_as_in_numpy():
    feed = Stream.from_flows(CS, {"H2": 1.0, "CO": 1.0, "CO2": 0.1, "N2": 0.1}, T=620.0, P=25e5)
    steam = Stream.from_flows(CS, {"H2O": [1.5, 2.5, 0.7]}, T=620.0, P=25e5)
    u = WaterGasShift("w", thermal="adiabatic", T=623.15)
    p = u.resolve({"bypass": np.array([0.0, 0.2, 0.5])}, 3)
    ins = {"feed": feed, "steam": steam}
    a, b = result_fields(u.shift(ins, p, engine="numpy")), result_fields(u.shift(ins, p, engine="numba"))
    assert differing_fields(a, b) == []
    assert b["out.flow"].shape == (3, len(CS))
