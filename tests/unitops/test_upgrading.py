"""Hydrocracking of FT wax and product fractionation: conservation, exact stoichiometry,
H2 shortage, bad input."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from helpers import assert_unit_conserves, residuals  # noqa: E402

from carbonhub.core import ParameterValueError, Stream, StreamError  # noqa: E402
from carbonhub.thermo import ComponentSet  # noqa: E402
from carbonhub.unitops.upgrading import (HYDROCRACKER_YIELDS, Hydrocracker,  # noqa: E402
                                         ProductFractionator)

CS = ComponentSet.default()
LIQ = ("C8H18", "C12H26", "C16H34", "C30H62")
flow_el = st.one_of(st.just(0.0), st.floats(1e-6, 10.0))


def _liquid(flows, T=473.15, P=50e5):
    f = np.zeros((flows.shape[0], len(CS)))
    f[:, CS.indices(LIQ)] = flows
    return Stream(CS, f, T, P)


@pytest.mark.unit
@settings(deadline=None, max_examples=25)
@given(data=st.data(), n=st.integers(5, 12))
def test_hydrocracker_conserves(data, n):
    d = data.draw
    feed = _liquid(d(hnp.arrays(np.float64, (n, len(LIQ)), elements=flow_el)))
    h2 = Stream.from_flows(CS, {"H2": d(hnp.arrays(np.float64, n, elements=flow_el)),
                                "CH4": d(hnp.arrays(np.float64, n, elements=flow_el))},
                           T=313.15, P=50e5)
    u = Hydrocracker("hcr")

    def arr(lo, hi):
        return d(hnp.arrays(np.float64, n, elements=st.floats(lo, hi)))

    p = u.resolve({"wax_conversion": arr(0, 1), "c16_conversion": arr(0, 1), "y_naphtha": arr(0, 1),
                   "y_jet": arr(0, 1), "y_diesel": arr(0, 1), "y_lights": arr(0.01, 1),
                   "lights_c3_fraction": arr(0, 1), "T": arr(500, 700), "T_out": arr(290, 600)}, n)
    r = u.run({"feed": feed, "h2": h2}, p)
    res = residuals({"feed": feed, "h2": h2}, r)
    for k, v in res.items():  # flagged (H2-short) cases are conserved too
        assert v.max() <= (1e-9 if k == "energy_rel" else 1e-12), k
    for o in r.outlets.values():
        assert (o.flow >= 0).all()


@pytest.mark.unit
def test_hydrocracker_exact_stoichiometry():
    """With yields chosen as the mass fractions of the balanced reaction
    C30H62 + 3 H2 -> C16H34 + C8H18 + 2 C3H8 (hand balance: H 62 + 6 = 34 + 18 + 16),
    one mole of wax consumes exactly 3 mol H2 and gives these moles."""
    M = {c: CS.molar_mass[CS.index(c)] for c in ("C16H34", "C8H18", "C3H8")}
    tot = M["C16H34"] + M["C8H18"] + 2 * M["C3H8"]
    u = Hydrocracker("hcr", y_diesel=M["C16H34"] / tot, y_naphtha=M["C8H18"] / tot, y_jet=0.0,
                     y_lights=2 * M["C3H8"] / tot, lights_c3_fraction=1.0)
    feed = Stream.from_flows(CS, {"C30H62": 1.0}, T=473.15, P=50e5)
    h2 = Stream.from_flows(CS, {"H2": 10.0}, T=313.15, P=50e5)
    r = assert_unit_conserves(u, {"feed": feed, "h2": h2}, u.resolve({}, 1))
    prod, gas = r.outlets["product"], r.outlets["offgas"]
    assert r.design["h2_consumed_mol_s"][0] == pytest.approx(3.0, rel=1e-12)
    assert gas["H2"][0] == pytest.approx(7.0, rel=1e-12)
    assert prod["C16H34"][0] == pytest.approx(1.0, rel=1e-12)
    assert prod["C8H18"][0] == pytest.approx(1.0, rel=1e-12)
    assert gas["C3H8"][0] == pytest.approx(2.0, rel=1e-12)
    assert prod["C30H62"][0] == 0.0 and prod["C12H26"][0] == pytest.approx(0.0, abs=1e-15)


@pytest.mark.unit
def test_hydrocracker_default_yields_and_mass_fractions():
    """Default structure: middle distillate (jet + diesel) 75 % of the cracked products, the
    high distillate selectivity of LTFT wax hydrocracking (Leckel 2009, Energy Fuels 23:2342,
    doi:10.1021/ef900064c). The outlet masses follow the yields exactly."""
    assert HYDROCRACKER_YIELDS["jet"] + HYDROCRACKER_YIELDS["diesel"] >= 0.7
    feed = Stream.from_flows(CS, {"C30H62": 2.0}, T=473.15, P=50e5)
    h2 = Stream.from_flows(CS, {"H2": 20.0}, T=313.15, P=50e5)
    u = Hydrocracker("hcr")
    r = u.run({"feed": feed, "h2": h2}, u.resolve({}, 1))
    mf = r.outlets["product"].mass_flows[0] + r.outlets["offgas"].mass_flows[0]
    made = {k: mf[CS.index(k)] for k in ("C8H18", "C12H26", "C16H34", "C3H8", "C4H10")}
    tot = sum(made.values())
    assert made["C8H18"] / tot == pytest.approx(0.20, rel=1e-12)
    assert made["C12H26"] / tot == pytest.approx(0.25, rel=1e-12)
    assert made["C16H34"] / tot == pytest.approx(0.50, rel=1e-12)
    assert (made["C3H8"] + made["C4H10"]) / tot == pytest.approx(0.05, rel=1e-12)
    assert r.design["middle_distillate_yield"][0] == pytest.approx(0.75, rel=1e-12)
    # hydrogen added = product mass - wax mass
    assert tot - 2.0 * CS.molar_mass[CS.index("C30H62")] == pytest.approx(
        r.design["h2_consumed_mol_s"][0] * CS.molar_mass[CS.index("H2")], rel=1e-9)
    assert r.design["wax_feed_bbl_per_d"][0] > 0


@pytest.mark.unit
def test_hydrocracker_h2_shortage_flags_exactly_those_cases():
    feed = Stream.from_flows(CS, {"C30H62": 1.0}, T=473.15, P=50e5)
    feed = Stream(CS, np.repeat(feed.flow, 3, axis=0), 473.15, 50e5)
    h2 = Stream.from_flows(CS, {"H2": [5.0, 0.5, 2.0]}, T=313.15, P=50e5)
    u = Hydrocracker("hcr")
    r = u.run({"feed": feed, "h2": h2}, u.resolve({}, 3))
    need = u.run({"feed": feed.take([0]), "h2": h2.take([0])}, u.resolve({}, 1)).design[
        "h2_consumed_mol_s"][0]
    expect = np.array([5.0, 0.5, 2.0]) < need
    assert list(r.status != "ok") == list(expect)
    assert (r.outlets["offgas"]["H2"][expect] == 0).all()
    np.testing.assert_allclose(r.design["wax_conversion"][expect], np.array([0.5, 2.0])[expect[1:]] / need)


@pytest.mark.unit
def test_hydrocracker_bad_input():
    with pytest.raises(ParameterValueError, match="wax_conversion"):
        Hydrocracker("hcr", wax_conversion=1.2)
    with pytest.raises(ParameterValueError, match="y_jet"):
        Hydrocracker("hcr", y_jet=-0.1)
    u = Hydrocracker("hcr", y_naphtha=0.0, y_jet=0.0, y_diesel=0.0, y_lights=0.0)
    feed = Stream.from_flows(CS, {"C30H62": 1.0}, T=473.15, P=50e5)
    h2 = Stream.from_flows(CS, {"H2": 5.0}, T=313.15, P=50e5)
    with pytest.raises(ValueError, match="positive sum"):
        u.run({"feed": feed, "h2": h2}, u.resolve({}, 1))
    f = h2.flow.copy()
    f[0, CS.index("H2")] = -1.0
    with pytest.raises(StreamError, match="hcr.h2"):
        Hydrocracker("hcr").run({"feed": feed, "h2": Stream(CS, f, 313.15, 50e5, check=False)},
                                Hydrocracker("hcr").resolve({}, 1))


@pytest.mark.unit
@settings(deadline=None, max_examples=25)
@given(flows=hnp.arrays(np.float64, (6, len(LIQ)), elements=flow_el))
def test_fractionator_conserves_and_splits(flows):
    s = _liquid(flows, T=400.0, P=2e5)
    u = ProductFractionator("frac")
    r = assert_unit_conserves(u, {"feed": s}, u.resolve({}, 6), mass_tol=1e-14, energy_tol=1e-14)
    np.testing.assert_array_equal(r.outlets["jet"]["C12H26"], s["C12H26"])
    np.testing.assert_array_equal(r.outlets["diesel"]["C30H62"], s["C30H62"])
    np.testing.assert_array_equal(r.outlets["naphtha"]["C8H18"], s["C8H18"])
    assert r.outlets["naphtha"]["C16H34"].sum() == 0


@pytest.mark.unit
def test_fractionator_bad_input():
    f = np.zeros((1, len(CS)))
    f[0, CS.index("C8H18")] = np.nan
    u = ProductFractionator("frac")
    with pytest.raises(StreamError, match="frac.feed"):
        u.run({"feed": Stream(CS, f, 400.0, 2e5, check=False)}, u.resolve({}, 1))
