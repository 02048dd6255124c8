"""CoolProp wrapper for water/steam (IAPWS-95) and CO2 (Span & Wagner) against the published
check values of the formulations, plus shapes, bad input and independence from HOME."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pytest

from carbonhub.thermo import steam
from carbonhub.thermo.steam import (
    SteamPropertyError, P_sat, P_sat_co2, T_from_PH_co2, T_from_PS_co2, T_sat, cp_co2, h_co2,
    h_from_PS_co2, h_sat_liquid, h_sat_vapour, h_water, isentropic_co2, rho_co2, rho_water, s_co2,
    s_water)

# IAPWS R6-95(2018), "Revised Release on the IAPWS Formulation 1995 for the Thermodynamic
# Properties of Ordinary Water Substance for General and Scientific Use", Table 7
# ("Thermodynamic property values in the single-phase region for selected values of T and rho"),
# the computer-program verification values of Wagner & Pruss (2002), J. Phys. Chem. Ref. Data
# 31:387, doi:10.1063/1.1461829. Columns: T [K], rho [kg/m3], p [MPa], s [kJ/(kg K)].
IAPWS95_TABLE7 = [
    (300.0, 0.9965560e3, 0.992418352e-1, 0.393062643),
    (300.0, 0.1005308e4, 0.200022515e2, 0.387405401),
    (300.0, 0.1188202e4, 0.700004704e3, 0.132609616),
    (500.0, 0.4350000, 0.999679423e-1, 0.794488271e1),
    (500.0, 0.4532000e1, 0.999938125, 0.682502725e1),
    (500.0, 0.8380250e3, 0.100003858e2, 0.256690919e1),
    (500.0, 0.1084564e4, 0.700000405e3, 0.203237509e1),
    (900.0, 0.2410000, 0.100062559, 0.916653194e1),
    (900.0, 0.5261500e2, 0.200000690e2, 0.659070225e1),
    (900.0, 0.8707690e3, 0.700000006e3, 0.417223802e1),
]
# Same Table 7, near-critical point (T = 647 K, rho = 358 kg/m3): p = 22.0384756 MPa. The
# density is extremely sensitive to p here, so it is checked with a looser tolerance.
IAPWS95_NEAR_CRITICAL = (647.0, 0.3580000e3, 0.220384756e2, 0.432092307e1)

# IAPWS R6-95(2018), Table 8 ("Thermodynamic property values in the two-phase region for
# selected values of temperature"). Columns: T [K], p_sat [MPa], h' [kJ/kg], h'' [kJ/kg].
IAPWS95_TABLE8 = [
    (275.0, 0.698451167e-3, 0.775972202e1, 0.250428995e4),
    (450.0, 0.932203564, 0.749161585e3, 0.277441078e4),
    (625.0, 0.169082693e2, 0.168626976e4, 0.255071625e4),
]

# IAPWS R7-97(2012), "Revised Release on the IAPWS Industrial Formulation 1997 for the
# Thermodynamic Properties of Water and Steam", Table 35 (saturation pressure from Eq. 30) and
# Table 36 (saturation temperature from Eq. 31). IF97 approximates IAPWS-95, so these are met to
# the consistency of the two formulations, not exactly: rtol 2.5e-4 (the largest deviation here
# is 1.2e-4, at 500 K).
IF97_TABLE35 = [(300.0, 0.353658941e-2), (500.0, 0.263889776e1), (600.0, 0.123443146e2)]
IF97_TABLE36 = [(0.1, 0.372755919e3), (1.0, 0.453035632e3), (10.0, 0.584149488e3)]

# Span & Wagner (1996), J. Phys. Chem. Ref. Data 25:1509, doi:10.1063/1.555991, Table 35
# (single-phase region) on their reference state (h = s = 0 for the ideal gas at 298.15 K and
# 0.101325 MPa). Columns: T [K], p [MPa], rho [kg/m3], h [kJ/kg], s [kJ/(kg K)].
SPAN_WAGNER_TABLE35 = [
    (240.0, 0.05, 1.1084, -48.014, -0.04483),
    (280.0, 0.5, 9.7568, -20.594, -0.36761),
    (290.0, 5.0, 148.41, -81.892, -0.95959),
    (480.0, 10.0, 119.65, 133.66, -0.48595),
    (1100.0, 0.1, 0.48109, 883.69, 1.3827),
    (1100.0, 100.0, 371.36, 887.14, 0.03152),
]
# Span & Wagner (1996), Table 34 (saturation): T [K], p_sat [MPa].
SPAN_WAGNER_TABLE34 = [(240.0, 1.2825), (260.0, 2.4188), (280.0, 4.1607), (300.0, 6.7131)]


@pytest.mark.unit
@pytest.mark.parametrize("T, rho, p_MPa, s_kJ", IAPWS95_TABLE7)
def test_iapws95_single_phase_check_values(T, rho, p_MPa, s_kJ):
    P = p_MPa * 1e6
    assert float(rho_water(T, P)) == pytest.approx(rho, rel=1e-8)
    assert float(s_water(T, P)) == pytest.approx(s_kJ * 1e3, rel=1e-8)


@pytest.mark.unit
def test_iapws95_near_critical_check_value():
    T, rho, p_MPa, s_kJ = IAPWS95_NEAR_CRITICAL
    assert float(rho_water(T, p_MPa * 1e6)) == pytest.approx(rho, rel=1e-5)
    assert float(s_water(T, p_MPa * 1e6)) == pytest.approx(s_kJ * 1e3, rel=1e-6)


@pytest.mark.unit
def test_iapws95_saturation_check_values():
    T = np.array([r[0] for r in IAPWS95_TABLE8])
    p = np.array([r[1] for r in IAPWS95_TABLE8]) * 1e6
    hl = np.array([r[2] for r in IAPWS95_TABLE8]) * 1e3
    hv = np.array([r[3] for r in IAPWS95_TABLE8]) * 1e3
    np.testing.assert_allclose(P_sat(T), p, rtol=1e-8)
    np.testing.assert_allclose(T_sat(p), T, rtol=1e-8)
    np.testing.assert_allclose(h_sat_liquid(p), hl, rtol=1e-8)
    np.testing.assert_allclose(h_sat_vapour(p), hv, rtol=1e-8)


@pytest.mark.unit
def test_if97_saturation_check_values_within_consistency():
    T, p = np.array(IF97_TABLE35).T
    np.testing.assert_allclose(P_sat(T), p * 1e6, rtol=2.5e-4)
    p, T = np.array(IF97_TABLE36).T
    np.testing.assert_allclose(T_sat(p * 1e6), T, rtol=2.5e-4)


@pytest.mark.unit
def test_water_enthalpy_consistent_with_saturation():
    """h_water 1 mK below/above T_sat equals h'/h'' within cp x 1 mK (< 10 J/kg)."""
    P = np.array([1e5, 40e5, 100e5])
    Ts = T_sat(P)
    np.testing.assert_allclose(h_water(Ts - 1e-3, P), h_sat_liquid(P), rtol=0, atol=10.0)
    np.testing.assert_allclose(h_water(Ts + 1e-3, P), h_sat_vapour(P), rtol=0, atol=10.0)


@pytest.mark.unit
def test_span_wagner_single_phase_check_values():
    """Density exactly; h and s as differences to the first state (the reference states of
    CoolProp and of the table differ by a constant)."""
    tab = np.array(SPAN_WAGNER_TABLE35)
    T, P = tab[:, 0], tab[:, 1] * 1e6
    np.testing.assert_allclose(rho_co2(T, P), tab[:, 2], rtol=5e-5)
    h, s = h_co2(T, P), s_co2(T, P)
    # the tabulated values have 5 significant digits: tolerances of a unit in their last digit
    np.testing.assert_allclose((h - h[0]) / 1e3, tab[:, 3] - tab[0, 3], rtol=0, atol=0.01)
    np.testing.assert_allclose((s - s[0]) / 1e3, tab[:, 4] - tab[0, 4], rtol=0, atol=1e-4)


@pytest.mark.unit
def test_span_wagner_vapour_pressure_check_values():
    T, p = np.array(SPAN_WAGNER_TABLE34).T
    np.testing.assert_allclose(P_sat_co2(T), p * 1e6, rtol=2e-5)


@pytest.mark.unit
def test_co2_flashes_round_trip():
    T = np.array([250.0, 313.15, 400.0, 600.0])
    P = np.array([1e5, 40e5, 110e5, 150e5])
    s, h = s_co2(T, P), h_co2(T, P)
    np.testing.assert_allclose(T_from_PS_co2(P, s), T, rtol=1e-9)
    np.testing.assert_allclose(h_from_PS_co2(P, s), h, rtol=1e-9)
    np.testing.assert_allclose(T_from_PH_co2(P, h), T, rtol=1e-9)


@pytest.mark.unit
def test_isentropic_co2_equals_coolprop_ps_flash():
    T1 = np.array([313.15, 313.15, 313.15, 350.0])
    P1 = np.array([1.0e5, 4.3e5, 37.6e5, 60e5])
    P2 = np.array([3.0e5, 12.7e5, 110e5, 150e5])
    h1, T2s, h2s, cp2 = isentropic_co2(T1, P1, P2)
    s1 = s_co2(T1, P1)
    np.testing.assert_allclose(T2s, T_from_PS_co2(P2, s1), rtol=1e-9)
    np.testing.assert_allclose(h2s, h_from_PS_co2(P2, s1), rtol=1e-9)
    np.testing.assert_allclose(h1, h_co2(T1, P1), rtol=1e-12)
    np.testing.assert_allclose(cp2, cp_co2(T2s, P2), rtol=1e-9)


@pytest.mark.unit
def test_saturation_up_to_the_critical_point():
    assert float(P_sat(647.096)) == pytest.approx(22.064e6, rel=1e-7)
    assert float(T_sat(22.064e6)) == pytest.approx(647.096, rel=1e-7)
    assert float(h_sat_vapour(22.064e6)) == pytest.approx(float(h_sat_liquid(22.064e6)), rel=3e-3)
    assert float(P_sat_co2(304.1282)) == pytest.approx(7.3773e6, rel=1e-6)


@pytest.mark.unit
def test_shapes_broadcast_scalars_and_empty():
    a = h_water(np.array([[300.0], [400.0]]), np.array([1e5, 2e5, 3e5]))
    assert a.shape == (2, 3)
    assert np.ndim(P_sat(373.0)) == 0 and isinstance(float(P_sat(373.0)), float)
    assert h_co2(np.array([]), 1e5).shape == (0,)
    # the batched call equals element-wise calls
    T = np.linspace(280.0, 800.0, 7)
    np.testing.assert_array_equal(h_water(T, 5e6), [float(h_water(t, 5e6)) for t in T])


@pytest.mark.unit
def test_one_state_remembered_equals_coolprop_and_is_history_free():
    """A state repeated over the cases (or met again on a later call) is looked up, not solved
    again: the answers equal CoolProp's own for that state (PropsSI called directly, the
    reference), alone or among other states, before and after the memory is filled."""
    PropsSI = steam._propssi()
    steam._ONE_STATE.clear()
    cases = [("P", "T", 313.15, "Q", 0.0), ("H", "T", 600.0, "P", 4e6), ("T", "P", 40e5, "Q", 0.0),
             ("H", "P", 10e5, "Q", 1.0)]
    for out, k1, x1, k2, x2 in cases:
        ref = float(PropsSI(out, k1, np.array([x1]), k2, np.array([x2]), steam.WATER)[0])
        for _ in range(2):  # first solved, then remembered
            got = steam._call(out, k1, np.full(5, x1), k2, np.full(5, x2), steam.WATER, "t")
            assert got.shape == (5,) and (got == ref).all()
            one = steam._call(out, k1, np.array([x1]), k2, np.array([x2]), steam.WATER, "t")
            assert one.shape == (1,) and one[0] == ref
        # the same state inside a batch of different states: CoolProp's array answer, same bits
        mixed = steam._call(out, k1, np.array([x1, x1 * 1.01]), k2, np.array([x2, x2]), steam.WATER, "t")
        assert mixed[0] == ref
    multi = steam._call(["H", "S"], "T", np.full((2, 3), 500.0), "P", 1e6, steam.WATER, "t")
    ref = PropsSI(["H", "S"], "T", np.array([500.0]), "P", np.array([1e6]), steam.WATER)
    assert multi.shape == (2, 3, 2) and (multi == np.asarray(ref).reshape(1, 1, 2)).all()
    # each call returns its own array (the remembered one is never handed out)
    assert steam._call("P", "T", np.full(3, 313.15), "Q", np.zeros(3), steam.WATER, "t").flags.writeable
    # a one-state failure still names the state (and is not remembered as an answer)
    msg = r"no solution at P = 100000 Pa, S = -5000 J/\(kg K\)"
    for _ in range(2):
        with pytest.raises(SteamPropertyError, match=msg):
            T_from_PS_co2(np.array([1e5, 1e5]), np.array([-5000.0, -5000.0]))


@pytest.mark.unit
def test_isentropic_co2_one_state_batch_equals_the_state_among_others():
    """Cases at one state are solved once: the same bits as that state inside a batch of
    different states (where it iterates with the others), for every output."""
    same = isentropic_co2(np.full(4, 313.15), np.full(4, 1.1e5), np.full(4, 3.3e5))
    mixed = isentropic_co2(np.array([300.0, 313.15]), np.array([1e5, 1.1e5]), np.array([2e5, 3.3e5]))
    for a, b in zip(same, mixed):
        assert a.shape == (4,) and (a == b[1]).all()


@pytest.mark.unit
@pytest.mark.parametrize("call, match", [
    (lambda: h_water(250.0, 1e5), r"T = 250.0 K is outside the range \[273.16, 1273.15\] K"),
    (lambda: h_water(300.0, -1e5), r"P = -100000.0 Pa is outside the range \(0, 1e\+09\] Pa"),
    (lambda: s_water(np.array([300.0, np.nan]), 1e5), r"T = nan K is outside"),
    (lambda: T_sat(3e7), r"P = 30000000.0 Pa is outside the range"),
    (lambda: P_sat(700.0), r"T = 700.0 K is outside the range \[273.16, 647.096\] K"),
    (lambda: h_co2(1200.0, 1e5), r"T = 1200.0 K .* \[216.592, 1100\] K"),
    (lambda: P_sat_co2(310.0), r"T = 310.0 K .* \[216.592, 304.128"),
    (lambda: T_from_PS_co2(1e5, np.inf), r"s = inf J/\(kg K\)"),
])
def test_bad_input_names_value_and_unit(call, match):
    with pytest.raises(SteamPropertyError, match=match):
        call()


@pytest.mark.unit
def test_no_solution_names_the_state():
    # entropy far below any fluid state at 1 bar: CoolProp finds no solution
    msg = r"no solution at P = 100000 Pa, S = -5000 J/\(kg K\)"
    with pytest.raises(SteamPropertyError, match=msg):
        T_from_PS_co2(np.array([1e5]), np.array([-5000.0]))
    with pytest.raises(SteamPropertyError, match=msg):  # found among valid states
        T_from_PS_co2(np.array([1e6, 1e5, 1e6]), np.array([2000.0, -5000.0, -5000.0]))


_SNIPPET = """
import json, numpy as np
from carbonhub.thermo import steam
print(json.dumps([float(steam.h_water(500.0, 1e6)), float(steam.T_sat(1e6)),
                  float(steam.h_co2(313.15, 110e5)), float(steam.isentropic_co2(313.15, 1e5, 3e5)[2])]))
"""


@pytest.mark.component
@pytest.mark.parametrize("home", ["empty", "unset"])
def test_independent_of_home(home):
    """Same numbers with an empty HOME (nothing written there) and with HOME unset."""
    expected = [float(h_water(500.0, 1e6)), float(T_sat(1e6)), float(h_co2(313.15, 110e5)),
                float(isentropic_co2(313.15, 1e5, 3e5)[2])]
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        if home == "empty":
            env["HOME"] = tmp
        else:
            env.pop("HOME", None)
        out = subprocess.run([sys.executable, "-c", _SNIPPET], env=env, capture_output=True,
                             text=True, check=True, cwd=tmp)
        assert os.listdir(tmp) == []
    assert json.loads(out.stdout) == pytest.approx(expected, rel=1e-14)


@pytest.mark.unit
def test_import_does_not_load_coolprop():
    code = ("import sys, carbonhub.thermo.steam, carbonhub.unitops.shift; "
            "print('CoolProp' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert steam.WATER == "HEOS::Water" and steam.CO2 == "HEOS::CO2"
