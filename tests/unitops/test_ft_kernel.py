"""The Fischer-Tropsch reactor's compiled effluent, three-phase split and enthalpy flows
(:func:`carbonhub.unitops._unit_kernels.ft_outlets`, engine "numba") against its numpy reference
(engine "numpy"): every outlet, heat, design value and status bit for bit over random batches
(H2-limited cases among them, liquid water in the feed, empty rows); a case alone equals its
batch; elements are conserved and the duties close on the streams' own enthalpies (computed
here)."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core import Stream
from helpers import assert_case_alone_equals_batch, differing_fields, result_fields  # tests/helpers.py (tests/conftest.py)
from carbonhub.thermo import ComponentSet
from carbonhub.unitops.ft import FischerTropsch

PRODUCTS = ("CH4", "C2H6", "C2H4", "C3H8", "C3H6", "C4H10", "C4H8", "C8H18", "C16H34", "C30H62")
CS = ComponentSet.from_ids(("H2", "CO", "CO2", "H2O", "H2O(L)", "N2", "Ar") + PRODUCTS)


def _feed(rng, n):
    co = rng.uniform(0.5, 1.5, n)
    flows = {"CO": co, "H2": co * rng.uniform(1.0, 2.4, n), "CO2": rng.uniform(0, 0.2, n),
             "N2": rng.uniform(0, 0.1, n), "CH4": rng.uniform(0, 0.1, n), "C3H8": rng.uniform(0, 0.02, n),
             "H2O(L)": np.where(rng.random(n) < 0.3, rng.uniform(0, 0.01, n), 0.0)}
    for v in flows.values():
        v[[1, n - 2]] = 0.0
    return {"syngas": Stream.from_flows(CS, flows, T=rng.uniform(450, 520, n), P=25e5)}



def _params(u, rng, n):
    return u.resolve({"co_conversion": rng.uniform(0.4, 0.9, n), "alpha": rng.uniform(0.8, 0.92, n),
                      "T": rng.uniform(480, 510, n), "T_sep": rng.uniform(300, 330, n),
                      "co2_selectivity": rng.uniform(0, 0.1, n), "olefin_fraction": rng.uniform(0, 0.3, n)}, n)


def _batch(seed, n):
    """A reactor, a random feed of n cases and random parameters."""
    rng = np.random.default_rng(seed)
    u = FischerTropsch("ft")
    return u, _feed(rng, n), _params(u, rng, n)


@pytest.mark.unit
def test_compiled_equals_numpy_bit_for_bit():
    n = 300
    u, ins, p = _batch(21, n)
    a, b = result_fields(u.react(ins, p, engine="numpy")), result_fields(u.react(ins, p, engine="numba"))
    assert differing_fields(a, b) == []
    limited = np.array(["H2-limited" in s for s in a["status"]])
    assert 0 < limited.sum() < n  # both branches in the batch


@pytest.mark.unit
def test_a_case_alone_equals_its_batch():
    u, ins, p = _batch(4, 25)
    over = {k: getattr(p, k) for k in ("co_conversion", "alpha", "T", "T_sep", "co2_selectivity", "olefin_fraction")}
    assert_case_alone_equals_batch(lambda ins, o: u.react(ins, u.resolve(o, len(o["T"])), engine="numba"),
                                   ins, over, (0, 1, 12, 24),
                                   ("gas.flow", "liquid.flow", "water.flow", "heat", "design.duty_W"))


@pytest.mark.unit
def test_elements_and_duties_close_on_the_streams():
    u, ins, p = _batch(8, 100)
    r = u.react(ins, p, engine="numba")
    E = CS.element_matrix
    o = r.outlets
    np.testing.assert_allclose(sum(s.flow for s in o.values()) @ E, ins["syngas"].flow @ E, rtol=1e-12, atol=1e-14)
    H_in = ins["syngas"].enthalpy
    np.testing.assert_allclose(r.heat, sum(s.enthalpy for s in o.values()) - H_in, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(r.design["duty_W"] + r.design["cooling_duty_W"], r.heat, rtol=1e-12, atol=1e-6)
