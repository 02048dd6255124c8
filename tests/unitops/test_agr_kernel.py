"""The acid-gas removal's compiled split (:func:`carbonhub.unitops._unit_kernels.acid_gas_split`,
engine "numba") against its numpy reference (engine "numpy"): every outlet, heat, design value
and status bit for bit over random batches (CO absorption, H2S/COS removal, the CO2 product's
water below and at saturation, water boiling at T and P_co2, feeds with and without water, a
species in some cases only, empty rows); a case alone equals its batch; the split conserves
every species and the heat is the enthalpy balance of the streams (computed here)."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core import Stream
from helpers import assert_case_alone_equals_batch, differing_fields, result_fields  # tests/helpers.py (tests/conftest.py)
from carbonhub.thermo import ComponentSet
from carbonhub.unitops.co2 import AcidGasRemoval


def _feed(rng, n, ids, water=True):
    cs = ComponentSet.from_ids(ids)
    flows = {"CO2": rng.uniform(0.1, 1.0, n), "H2": rng.uniform(0.5, 2.0, n), "CO": rng.uniform(0.2, 1.0, n),
             "N2": rng.uniform(0, 0.1, n), "H2S": np.where(rng.random(n) < 0.5, rng.uniform(0, 1e-3, n), 0.0)}
    if water:
        flows["H2O"] = np.where(rng.random(n) < 0.8, rng.uniform(0, 0.05, n), 0.0)
    if "COS" in ids:
        flows["COS"] = rng.uniform(0, 1e-4, n)
    for v in flows.values():
        v[[2, n - 1]] = 0.0
    return cs, Stream.from_flows(cs, flows, T=rng.uniform(300, 330, n), P=rng.uniform(20e5, 30e5, n))




IDS = ["CO2", "H2", "CO", "N2", "H2S", "H2O", "CH4", "COS"]


def _batch(seed, n, water=True):
    """(random numbers, component set, a random feed of n cases, the unit)."""
    rng = np.random.default_rng(seed)
    cs, s = _feed(rng, n, IDS if water else [i for i in IDS if i != "H2O"], water)
    return rng, cs, s, AcidGasRemoval("agr")


@pytest.mark.unit
@pytest.mark.parametrize("water", [True, False])
def test_compiled_equals_numpy_bit_for_bit(water):
    n = 400
    rng, cs, s, u = _batch(5, n, water)
    over = {"co2_capture": rng.uniform(0.5, 0.99, n), "co_absorption": rng.uniform(0, 0.05, n),
            "T": rng.uniform(290, 390, n), "P_co2": rng.uniform(0.3e5, 3e5, n)}  # some at boiling
    p = u.resolve(over, n)
    a, b = result_fields(u.split({"feed": s}, p, engine="numpy")), result_fields(u.split({"feed": s}, p, engine="numba"))
    assert differing_fields(a, b) == []
    if water:
        boils = np.array(["water boils" in x for x in a["status"]])
        assert 0 < boils.sum() < n
        iw = cs.index("H2O")
        saturated = (a["co2.flow"][:, iw] < s.flow[:, iw]) & ~boils
        assert 0 < saturated.sum() < n  # the capacity binds in some cases only


@pytest.mark.unit
def test_a_case_alone_equals_its_batch():
    n = 30
    rng, cs, s, u = _batch(9, n)
    over = {"co2_capture": rng.uniform(0.5, 0.99, n), "T": rng.uniform(290, 340, n)}
    assert_case_alone_equals_batch(lambda ins, o: u.split(ins, u.resolve(o, len(o["T"])), engine="numba"),
                                   {"feed": s}, over, (0, 2, 17, 29),
                                   ("clean.flow", "co2.flow", "acid_gas.flow", "heat"))


@pytest.mark.unit
def test_species_conserved_and_heat_is_the_enthalpy_balance():
    n = 200
    rng, cs, s, u = _batch(13, n)
    r = u.split({"feed": s}, u.resolve({"co_absorption": rng.uniform(0, 0.05, n)}, n), engine="numba")
    o = r.outlets
    np.testing.assert_allclose(o["clean"].flow + o["co2"].flow + o["acid_gas"].flow, s.flow, rtol=1e-13, atol=1e-16)
    H = o["clean"].enthalpy + o["co2"].enthalpy + o["acid_gas"].enthalpy - s.enthalpy - r.power
    np.testing.assert_allclose(r.heat, H, rtol=1e-12, atol=1e-6)
