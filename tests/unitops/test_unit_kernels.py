"""Compiled per-case unit kernels (unitops/_unit_kernels.py) against their numpy references:
the compressor's stages, the heat exchanger's duty and outlet temperatures, a burner's
flue-gas temperature and a steam-raising cooler's gas side, on random
batches with per-case parameters; the same answer for a case alone and in its batch; energy
balances closed by the kernels' own outputs.

Two references: the numpy path with the thermo kernels it calls by default (the kernels do the
same operations in the same order: equal to the last bit), and the all-numpy path
(``CARBONHUB_NUMBA=0``), whose entropy and enthalpy inversions are other iterations stopped at
their own tolerances (1e-13 of S, 1e-12 of the enthalpy scale): there temperatures agree to
1e-12 and duties and work to 1e-12 of the stream's enthalpy flows."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from carbonhub.core import Stream
from carbonhub.thermo import ComponentSet
from carbonhub.unitops.cooling import cooler_gas_side
from carbonhub.unitops.heat import complete_combustion, exchange, flue_gas
from carbonhub.unitops.sources import AIR
from carbonhub.unitops.machines import compressor_stages

try:
    from tests.helpers import GAS, gas_cases
except ImportError:  # run from outside the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from helpers import GAS, gas_cases  # type: ignore[no-redef]

CS = ComponentSet.from_ids(GAS)


def _stream(n, seed, T_lo, T_hi):
    mol, _, P = gas_cases(n, seed)
    rng = np.random.default_rng(seed + 100)
    mol[0] = 0.0  # a case without flow
    return Stream(CS, mol, rng.uniform(T_lo, T_hi, n), P)


def _enthalpy_scale(s: Stream, T) -> np.ndarray:
    """sum_j |n_j h_j(T)| [W]: what round-off in an enthalpy flow is relative to."""
    return np.abs(s.flow * s.cs.h(T)).sum(axis=1) + 1.0


def _stage_args(n, seed):
    rng = np.random.default_rng(seed)
    ratio = rng.uniform(1.05, 12.0, n)
    ns = rng.integers(1, 5, n)
    return ratio ** (1.0 / ns), rng.uniform(0.6, 0.95, n), ns, rng.uniform(300.0, 420.0, n)


def _no_numba(monkeypatch):
    monkeypatch.setenv("CARBONHUB_NUMBA", "0")


@pytest.mark.parametrize("polytropic", [False, True])
@pytest.mark.parametrize("after", [False, True])
def test_compressor_kernel_equals_numpy_reference(polytropic, after):
    s = _stream(300, 1, 280.0, 600.0)
    r, eta, ns, T_ic = _stage_args(300, 2)
    a = compressor_stages(CS, s.flow, s.T, r, eta, ns, polytropic, after, T_ic, engine="numba")
    b = compressor_stages(CS, s.flow, s.T, r, eta, ns, polytropic, after, T_ic, engine="numpy")
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert np.all(a[0][1:] != s.T[1:]) and np.all(a[1][1:] > 0)  # every case compressed


@pytest.mark.parametrize("polytropic", [False, True])
def test_compressor_kernel_agrees_with_all_numpy_path(monkeypatch, polytropic):
    s = _stream(300, 3, 280.0, 600.0)
    r, eta, ns, T_ic = _stage_args(300, 4)
    a = compressor_stages(CS, s.flow, s.T, r, eta, ns, polytropic, True, T_ic, engine="numba")
    _no_numba(monkeypatch)
    b = compressor_stages(CS, s.flow, s.T, r, eta, ns, polytropic, True, T_ic, engine="auto")
    np.testing.assert_allclose(a[0], b[0], rtol=1e-12, atol=0)
    np.testing.assert_allclose(a[3], b[3], rtol=1e-12, atol=0)
    scale = _enthalpy_scale(s, a[3])
    for x, y in (a[1], b[1]), (a[2], b[2]):
        assert np.all(np.abs(x - y) <= 1e-12 * scale)


def test_compressor_kernel_batch_equals_alone_and_balances():
    s = _stream(60, 5, 280.0, 600.0)
    r, eta, ns, T_ic = _stage_args(60, 6)
    T, w, q, Td = compressor_stages(CS, s.flow, s.T, r, eta, ns, False, True, T_ic, engine="numba")
    for i in range(60):
        one = compressor_stages(CS, s.flow[i:i + 1], s.T[i:i + 1], r[i:i + 1], eta[i:i + 1], ns[i:i + 1],
                                False, True, T_ic[i:i + 1], engine="numba")
        for x, y in zip((T, w, q, Td), one):
            assert abs(x[i] - y[0]) <= 1e-10 * max(abs(x[i]), 1.0)
    # first law over the machine: H_out = H_in + shaft work + coolers' duty
    H_in, H_out = s.enthalpy_at(s.T), s.enthalpy_at(T)
    assert np.all(np.abs(H_out - (H_in + w + q)) <= 1e-6 * np.maximum(1.0, _enthalpy_scale(s, T) * 1e-6))
    assert np.all(Td >= np.maximum(T, s.T) - 1e-9)


def _exchanger_streams(n, seed):
    hot = _stream(n, seed, 600.0, 900.0)
    cold = _stream(n, seed + 1, 290.0, 450.0)
    cold.flow[1] = 0.0  # a case whose cold side has no flow
    return hot, cold


@pytest.mark.parametrize("spec", ["approach", "duty", "hot_T_out", "cold_T_out"])
def test_exchanger_kernel_equals_numpy_reference(spec):
    h, c = _exchanger_streams(300, 11)
    rng = np.random.default_rng(12)
    dT, duty, Tho = rng.uniform(2.0, 40.0, 300), rng.uniform(1e3, 5e4, 300), h.T - rng.uniform(20, 150, 300)
    Tco = c.T + rng.uniform(20, 150, 300)
    a = exchange(h, c, spec, dT, duty, Tho, engine="numba", T_cold_out=Tco)
    b = exchange(h, c, spec, dT, duty, Tho, engine="numpy", T_cold_out=Tco)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert a[0][0] == 0 and a[0][1] == 0 and np.all(a[0][2:] > 0)  # no flow on a side: no duty


@pytest.mark.parametrize("spec", ["approach", "duty", "hot_T_out", "cold_T_out"])
def test_exchanger_kernel_agrees_with_all_numpy_path(monkeypatch, spec):
    h, c = _exchanger_streams(300, 13)
    rng = np.random.default_rng(14)
    dT, duty, Tho = rng.uniform(2.0, 40.0, 300), rng.uniform(1e3, 5e4, 300), h.T - rng.uniform(20, 150, 300)
    Tco = c.T + rng.uniform(20, 150, 300)
    a = exchange(h, c, spec, dT, duty, Tho, engine="numba", T_cold_out=Tco)
    _no_numba(monkeypatch)
    b = exchange(h, c, spec, dT, duty, Tho, engine="auto", T_cold_out=Tco)
    np.testing.assert_allclose(a[1], b[1], rtol=1e-12, atol=0)
    np.testing.assert_allclose(a[2], b[2], rtol=1e-12, atol=0)
    scale = _enthalpy_scale(h, h.T) + _enthalpy_scale(c, c.T)
    for x, y in (a[0], b[0]), (a[3], b[3]):
        assert np.all(np.abs(x - y) <= 1e-12 * scale)


def test_exchanger_kernel_batch_equals_alone_and_balances():
    h, c = _exchanger_streams(40, 21)
    dT, duty, Tho = np.full(40, 10.0), np.full(40, 1e4), h.T - 50.0
    q, Th, Tc, heat = exchange(h, c, "approach", dT, duty, Tho, engine="numba")
    for i in range(40):
        hi, ci = Stream(CS, h.flow[i:i + 1], h.T[i:i + 1], h.P[i:i + 1]), Stream(CS, c.flow[i:i + 1], c.T[i:i + 1], c.P[i:i + 1])
        one = exchange(hi, ci, "approach", dT[i:i + 1], duty[i:i + 1], Tho[i:i + 1], engine="numba")
        for x, y in zip((q, Th, Tc, heat), one):
            assert abs(x[i] - y[0]) <= 1e-10 * max(abs(x[i]), 1.0)
    # each side's balance: H_hot,out = H_hot,in - q and H_cold,out = H_cold,in + q (by
    # independent enthalpy evaluations), at least dT_min at the binding end
    scale = _enthalpy_scale(h, h.T) + _enthalpy_scale(c, c.T)
    assert np.all(np.abs(h.enthalpy_at(Th) - (h.enthalpy_at(h.T) - q)) <= 1e-12 * scale)
    assert np.all(np.abs(c.enthalpy_at(Tc) - (c.enthalpy_at(c.T) + q)) <= 1e-12 * scale)
    assert np.all(np.abs(heat) <= 1e-12 * scale)
    both = q > 0
    ends = np.minimum(h.T - Tc, Th - c.T)[both]
    assert np.all(ends >= 10.0 - 1e-6) and np.any(np.abs(ends - 10.0) < 1e-6)


def _burner(n, seed):
    """Fuel gas (random GAS mixtures, 300-700 K) with 1.2-2x the air its combustion needs;
    the flue gas of :func:`complete_combustion` and 50-95 % of the fuel's LHV delivered."""
    cs = ComponentSet.from_ids(GAS + ["O2"])
    mol, _, P = gas_cases(n, seed)
    rng = np.random.default_rng(seed + 7)
    fuel = np.zeros((n, len(cs)))
    fuel[:, :len(GAS)] = mol
    fu = Stream(cs, fuel, rng.uniform(300.0, 700.0, n), P)
    o2 = fu.element("C") + fu.element("H") / 4 - fu.element("O") / 2 + 0.75 * fu.element("N")
    air = Stream.from_flows(cs, {k: v * o2 / AIR["O2"] * rng.uniform(1.2, 2.0, n) for k, v in AIR.items() if k in cs},
                            T=rng.uniform(290.0, 600.0, n), P=P)
    flue, ash, _, ok = complete_combustion(fu, air, "test")
    assert ok.all()
    lhv = -(fu.enthalpy_at(298.15) + air.enthalpy_at(298.15) - Stream(cs, flue, 298.15, P).enthalpy_at(298.15))
    return fu, air, flue + ash, rng.uniform(0.5, 0.95, n) * lhv


def test_flue_gas_kernel_equals_numpy_reference_and_all_numpy_path(monkeypatch):
    fu, air, flue, q = _burner(300, 31)
    a = flue_gas(fu, air, flue, q, engine="numba")
    b = flue_gas(fu, air, flue, q, engine="numpy")
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert np.all(a[0] > 400.0)  # the flue gas carries heat: well above the inlets
    _no_numba(monkeypatch)
    c = flue_gas(fu, air, flue, q, engine="auto")
    np.testing.assert_allclose(a[0], c[0], rtol=1e-12, atol=0)
    scale = _enthalpy_scale(fu, fu.T) + _enthalpy_scale(air, air.T)
    assert np.all(np.abs(a[1] - c[1]) <= 1e-12 * scale)


def test_flue_gas_kernel_batch_equals_alone_and_balances():
    fu, air, flue, q = _burner(40, 41)
    T, heat = flue_gas(fu, air, flue, q, engine="numba")
    cs = fu.cs
    for i in range(40):
        one = flue_gas(Stream(cs, fu.flow[i:i + 1], fu.T[i:i + 1], fu.P[i:i + 1]),
                       Stream(cs, air.flow[i:i + 1], air.T[i:i + 1], air.P[i:i + 1]), flue[i:i + 1], q[i:i + 1],
                       engine="numba")
        assert abs(one[0][0] - T[i]) <= 1e-10 * T[i] and abs(one[1][0] - heat[i]) <= 1e-10 * abs(heat[i])
    # first law: the heat delivered is q, by independent enthalpy evaluations of the flue gas
    H_flue = Stream(cs, flue, T, fu.P).enthalpy_at(T)
    scale = _enthalpy_scale(fu, fu.T) + _enthalpy_scale(air, air.T)
    assert np.all(np.abs(H_flue - (fu.enthalpy + air.enthalpy - q)) <= 1e-12 * scale)
    assert np.all(np.abs(heat + q) <= 1e-12 * scale)


def _cooler(n, seed):
    """Gas at 900-1,300 K cooled to 450-650 K raising steam; steam-side enthalpy differences
    [J/kg] of 1-10 MPa steam with 0-150 K superheat from 105 degC feedwater (IAPWS-95 ranges)."""
    s = _stream(n, seed, 900.0, 1300.0)
    rng = np.random.default_rng(seed + 3)
    T_out = rng.uniform(450.0, 650.0, n)
    T_out[2] = s.T[2] + 10.0  # a case that would be heated: no steam
    dh_super, dh_evap = rng.uniform(0.0, 3e5, n), rng.uniform(1.3e6, 2.0e6, n)
    return s, T_out, dh_super + dh_evap + rng.uniform(3e5, 8e5, n), dh_super, dh_evap


def test_cooler_gas_side_kernel_equals_numpy_reference_and_all_numpy_path(monkeypatch):
    args = _cooler(300, 51)
    a = cooler_gas_side(*args, engine="numba")
    b = cooler_gas_side(*args, engine="numpy")
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert a[1][2] == 0 and a[1][0] == 0 and np.all(a[1][3:] > 0)  # heated or empty: no steam
    _no_numba(monkeypatch)
    c = cooler_gas_side(*args, engine="auto")
    for k in (4, 5):
        np.testing.assert_allclose(a[k], c[k], rtol=1e-12, atol=0)
    scale = _enthalpy_scale(args[0], args[0].T)
    for k in (0, 2, 3):
        assert np.all(np.abs(a[k] - c[k]) <= 1e-12 * scale)


def test_cooler_gas_side_kernel_batch_equals_alone_and_balances():
    s, T_out, dh, dsh, dev = _cooler(40, 61)
    q, m, q_sh, q_ev, T1, T2 = out = cooler_gas_side(s, T_out, dh, dsh, dev, engine="numba")
    for i in range(40):
        one = cooler_gas_side(Stream(CS, s.flow[i:i + 1], s.T[i:i + 1], s.P[i:i + 1]), T_out[i:i + 1],
                              dh[i:i + 1], dsh[i:i + 1], dev[i:i + 1], engine="numba")
        for x, y in zip(out, one):
            assert abs(x[i] - y[0]) <= 1e-10 * max(abs(x[i]), 1.0)
    # the gas gives the steam side its duties, zone by zone (independent enthalpy evaluations)
    scale = _enthalpy_scale(s, s.T)
    H_in = s.enthalpy_at(s.T)
    np.testing.assert_allclose(q, H_in - s.enthalpy_at(T_out), rtol=0, atol=0)
    np.testing.assert_allclose(m * dh, np.maximum(q, 0.0), rtol=1e-14)
    assert np.all(np.abs(s.enthalpy_at(T1) - (H_in - q_sh)) <= 1e-12 * scale)
    assert np.all(np.abs(s.enthalpy_at(T2) - (H_in - q_sh - q_ev)) <= 1e-12 * scale)
    cooled = q > 0
    assert np.all((s.T >= T1)[cooled]) and np.all((T1 >= T2)[cooled]) and np.all((T2 >= T_out)[cooled])
