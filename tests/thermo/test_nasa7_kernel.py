"""The compiled NASA-7 kernels (one range per (T, species) pair; the per-case H -> T Newton)
against the numpy reference paths (``CARBONHUB_NUMBA=0``)."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core.stream import solve_T_for_H
from carbonhub.thermo import nasa7
from carbonhub.thermo.components import default_components

pytest.importorskip("numba")


@pytest.mark.unit
@pytest.mark.parametrize("fn", [nasa7.cp_R, nasa7.h_RT, nasa7.s_R])
def test_compiled_polynomials_equal_the_numpy_reference(fn, monkeypatch):
    """(g/RT stays on numpy: the kernel's G branch is checked against h/RT - s/R below.)"""
    cs = default_components()
    # both sides of every species' Tmid, and the Tmid values themselves (low range there)
    T = np.concatenate([np.linspace(250.0, 3000.0, 301), cs.tmid, cs.tmid + 1e-9])
    compiled = fn(T, cs.low, cs.high, cs.tmid)
    monkeypatch.setenv("CARBONHUB_NUMBA", "0")
    reference = fn(T, cs.low, cs.high, cs.tmid)
    np.testing.assert_allclose(compiled, reference, rtol=1e-12, atol=1e-12)


@pytest.mark.unit
def test_compiled_T_for_H_equals_the_numpy_reference_and_inverts_h(monkeypatch):
    cs = default_components()
    rng = np.random.default_rng(7)
    n = 400
    flow = rng.uniform(0.0, 10.0, (n, len(cs))) * (rng.random((n, len(cs))) < 0.3)
    flow[:5] = 0.0  # no flow: T0 is kept
    T_true = rng.uniform(280.0, 2500.0, n)
    H = (flow * cs.h(T_true)).sum(axis=1)
    T0 = np.full(n, 600.0)
    compiled = solve_T_for_H(cs, flow, H, T0)
    monkeypatch.setenv("CARBONHUB_NUMBA", "0")
    reference = solve_T_for_H(cs, flow, H, T0)
    np.testing.assert_allclose(compiled, reference, rtol=1e-10)
    has = flow.sum(axis=1) > 0
    np.testing.assert_allclose(compiled[has], T_true[has], rtol=1e-9)
    assert (compiled[~has] == 600.0).all()


@pytest.mark.unit
def test_compiled_mixture_enthalpy_equals_the_numpy_reference(monkeypatch):
    """``Stream.enthalpy_at``: one compiled pass per case over its species with flow, against
    the numpy path (present columns, table of molar enthalpies) and an independent sum over
    every column of ``cs.h`` (zeros included); a scalar T broadcasts; a NaN flow stays NaN."""
    from carbonhub.core.stream import Stream

    cs = default_components()
    rng = np.random.default_rng(9)
    n = 300
    flow = rng.uniform(0.0, 10.0, (n, len(cs))) * (rng.random((n, len(cs))) < 0.3)
    flow[:3] = 0.0
    T = np.concatenate([rng.uniform(250.0, 3000.0, n - 40), cs.tmid[:40]])  # at Tmid: low range
    s = Stream(cs, flow, T, 1e5)
    compiled, at_900 = s.enthalpy, s.enthalpy_at(900.0)
    bad = Stream(cs, np.where(np.arange(len(cs)) == 2, np.nan, flow[3:4]), 500.0, 1e5, check=False).enthalpy
    monkeypatch.setenv("CARBONHUB_NUMBA", "0")
    reference, ref_900 = s.enthalpy, s.enthalpy_at(900.0)
    independent = (flow * cs.h(T)).sum(axis=1)
    scale = (np.abs(flow * cs.h(T))).sum(axis=1)  # rounding of a sum is relative to this
    assert np.all(np.abs(compiled - reference) <= 1e-13 * scale)
    assert np.all(np.abs(compiled - independent) <= 1e-13 * scale)
    scale_900 = (np.abs(flow * cs.h(np.full(n, 900.0)))).sum(axis=1)
    assert np.all(np.abs(at_900 - ref_900) <= 1e-13 * scale_900)
    assert (compiled[:3] == 0.0).all() and np.isnan(bad).all()


@pytest.mark.unit
def test_compiled_T_for_S_equals_the_numpy_reference_and_inverts_s():
    """The compressor's isentropic-temperature solve (``unitops.machines.solve_T_for_S``)."""
    from carbonhub.unitops.machines import solve_T_for_S

    cs = default_components()
    rng = np.random.default_rng(8)
    n = 400
    flow = rng.uniform(0.0, 10.0, (n, len(cs))) * (rng.random((n, len(cs))) < 0.3)
    flow[:, ~cs.is_gas] = 0.0
    flow[:5] = 0.0  # no flow: T0 is kept
    T_true = rng.uniform(250.0, 2000.0, n)
    S = (flow * cs.s0(T_true)).sum(axis=1)
    T0 = T_true * rng.uniform(0.7, 1.4, n)
    compiled = solve_T_for_S(cs, flow, S, T0, engine="numba")
    reference = solve_T_for_S(cs, flow, S, T0, engine="numpy")
    np.testing.assert_allclose(compiled, reference, rtol=1e-11)
    has = flow.sum(axis=1) > 0
    np.testing.assert_allclose(compiled[has], T_true[has], rtol=1e-10)
    np.testing.assert_array_equal(compiled[~has], T0[~has])


@pytest.mark.unit
def test_compiled_g_branch_is_h_minus_s():
    from carbonhub.thermo import _nasa7_kernel as K

    cs = default_components()
    T = np.linspace(250.0, 3000.0, 101)
    g = K.evaluate(T, cs.low, cs.high, cs.tmid, K.G)
    np.testing.assert_allclose(g, nasa7.h_RT(T, cs.low, cs.high, cs.tmid) - nasa7.s_R(T, cs.low, cs.high, cs.tmid),
                               rtol=1e-11, atol=1e-9)


@pytest.mark.unit
def test_two_inlet_mix_in_one_pass_equals_the_separate_sums(monkeypatch):
    """``core.stream.mix`` of two inlets sums flows, enthalpies, totals and carbon in one
    compiled pass (``nasa7.mix_two``): the same bits as the separate evaluations it replaces
    (each stream's enthalpy, total and carbon flow), with zero rows, inlets at and beside Tmid,
    an empty inlet (its pressure ignored) and a NaN flow; and within rounding of the numpy
    engine and of an independent energy balance (``cs.h`` over every column)."""
    from carbonhub.core.stream import Stream, mix

    cs = default_components()
    rng = np.random.default_rng(21)
    n = 300
    f1 = rng.uniform(0.0, 10.0, (n, len(cs))) * (rng.random((n, len(cs))) < 0.3)
    f2 = rng.uniform(0.0, 10.0, (n, len(cs))) * (rng.random((n, len(cs))) < 0.3)
    f1[:3] = 0.0
    f2[3:6] = 0.0
    f2[7, 2] = np.nan
    T1 = np.concatenate([rng.uniform(250.0, 1500.0, n - 40), cs.tmid[:40]])  # at Tmid: low range
    T2 = rng.uniform(250.0, 1500.0, n)
    origin = rng.dirichlet(np.ones(4), n)
    a = Stream(cs, f1, T1, rng.uniform(1e5, 3e6, n), origin, check=False)
    b = Stream(cs, f2, T2, rng.uniform(1e5, 3e6, n), check=False)
    assert nasa7.mix_two(f1, f2, T1, T2, cs.low, cs.high, cs.tmid, cs.carbon) is not None  # compiled path taken
    fused = mix([a, b])
    monkeypatch.setattr(nasa7, "mix_two", lambda *args: None)  # the separate sums
    separate = mix([a, b])
    for x, y in ((fused.flow, separate.flow), (fused.T, separate.T), (fused.P, separate.P),
                 (fused.origin, separate.origin)):
        assert np.array_equal(x, y, equal_nan=True)
    assert np.isnan(fused.flow[7, 2]) and (fused.P[3:6] == a.P[3:6]).all()
    monkeypatch.setenv("CARBONHUB_NUMBA", "0")
    reference = mix([a, b])
    ok = np.isfinite(fused.T) & (np.arange(n) != 7)
    np.testing.assert_allclose(fused.T[ok], reference.T[ok], rtol=1e-10)
    H_in = (f1 * cs.h(T1)).sum(axis=1) + (f2 * cs.h(T2)).sum(axis=1)
    H_out = (fused.flow * cs.h(fused.T)).sum(axis=1)
    scale = (np.abs(f1 * cs.h(T1)) + np.abs(f2 * cs.h(T2))).sum(axis=1) + 1.0
    assert np.all(np.abs(H_out - H_in)[ok] <= 1e-9 * scale[ok])
