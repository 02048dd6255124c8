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


def _fields(r) -> dict:
    d = {"heat": r.heat, "power": r.power, "status": np.array([] if r.status is None else list(r.status))}
    for k, o in r.outlets.items():
        d.update({f"{k}.flow": o.flow, f"{k}.T": o.T, f"{k}.P": o.P})
    d.update({f"design.{k}": v for k, v in r.design.items()})
    d.update({f"util.{k}": v for k, v in r.utilities.items()})
    return d


def _params(u, rng, n):
    return u.resolve({"co_conversion": rng.uniform(0.4, 0.9, n), "alpha": rng.uniform(0.8, 0.92, n),
                      "T": rng.uniform(480, 510, n), "T_sep": rng.uniform(300, 330, n),
                      "co2_selectivity": rng.uniform(0, 0.1, n), "olefin_fraction": rng.uniform(0, 0.3, n)}, n)


@pytest.mark.unit
def test_compiled_equals_numpy_bit_for_bit():
    rng = np.random.default_rng(21)
    n = 300
    ins = _feed(rng, n)
    u = FischerTropsch("ft")
    p = _params(u, rng, n)
    a, b = _fields(u.react(ins, p, engine="numpy")), _fields(u.react(ins, p, engine="numba"))
    assert [k for k in a if not np.array_equal(a[k], b[k], equal_nan=a[k].dtype.kind == "f")] == []
    limited = np.array(["H2-limited" in s for s in a["status"]])
    assert 0 < limited.sum() < n  # both branches in the batch


@pytest.mark.unit
def test_a_case_alone_equals_its_batch():
    rng = np.random.default_rng(4)
    n = 25
    ins = _feed(rng, n)
    u = FischerTropsch("ft")
    p = _params(u, rng, n)
    rb = _fields(u.react(ins, p, engine="numba"))
    for i in (0, 1, 12, 24):
        one = {"syngas": ins["syngas"].take(np.array([i]))}
        pi = u.resolve({k: getattr(p, k)[i:i + 1] for k in ("co_conversion", "alpha", "T", "T_sep",
                                                             "co2_selectivity", "olefin_fraction")}, 1)
        r1 = _fields(u.react(one, pi, engine="numba"))
        for k in ("gas.flow", "liquid.flow", "water.flow", "heat", "design.duty_W"):
            assert np.array_equal(rb[k][i], r1[k][0]), k


@pytest.mark.unit
def test_elements_and_duties_close_on_the_streams():
    rng = np.random.default_rng(8)
    n = 100
    ins = _feed(rng, n)
    u = FischerTropsch("ft")
    r = u.react(ins, _params(u, rng, n), engine="numba")
    E = CS.element_matrix
    o = r.outlets
    np.testing.assert_allclose(sum(s.flow for s in o.values()) @ E, ins["syngas"].flow @ E, rtol=1e-12, atol=1e-14)
    H_in = ins["syngas"].enthalpy
    np.testing.assert_allclose(r.heat, sum(s.enthalpy for s in o.values()) - H_in, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(r.design["duty_W"] + r.design["cooling_duty_W"], r.heat, rtol=1e-12, atol=1e-6)
