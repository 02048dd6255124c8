"""The power island's steam tables (carbonhub.thermo.steam_tables) against CoolProp's
HEOS (IAPWS-95) point by point, called here directly through PropsSI (not through the tables
nor carbonhub.thermo.steam), and the island on the tables against the island on HEOS."""
from __future__ import annotations

import numpy as np
import pytest
from CoolProp.CoolProp import PropsSI

from carbonhub.costing import power_island as pim
from carbonhub.thermo import steam_tables as tab
from carbonhub.thermo import steam as heos

W = "HEOS::Water"
RNG = np.random.default_rng(20261207)
N = 2000
# 0.1-160 bar (the island's condenser to the largest throttle), up to 600 degC
P = np.exp(RNG.uniform(np.log(1e4), np.log(1.6e7), N))
TS = np.asarray(PropsSI("T", "P", P, "Q", np.zeros(N), W))
T = TS + RNG.uniform(0.0, 1.0, N) ** 2 * (873.15 - TS)
T[:100] = TS[:100] + RNG.uniform(1e-6, 0.5, 100)  # just above the saturation line


@pytest.mark.unit
def test_saturation_matches_heos():
    np.testing.assert_allclose(tab.T_sat(P), TS, rtol=0, atol=1e-6)
    np.testing.assert_allclose(tab.P_sat(TS), P, rtol=1e-9)
    np.testing.assert_allclose(tab.h_sat_liquid(P), PropsSI("H", "P", P, "Q", np.zeros(N), W), rtol=0, atol=0.02)
    np.testing.assert_allclose(tab.h_sat_vapour(P), PropsSI("H", "P", P, "Q", np.ones(N), W), rtol=0, atol=0.02)
    np.testing.assert_allclose(tab.s_sat_vapour(P), PropsSI("S", "P", P, "Q", np.ones(N), W), rtol=0, atol=3e-5)


@pytest.mark.unit
def test_superheated_steam_matches_heos():
    np.testing.assert_allclose(tab.h_water(T, P), PropsSI("H", "P|gas", P, "T", T, W), rtol=0, atol=0.02)
    np.testing.assert_allclose(tab.s_water(T, P), PropsSI("S", "P|gas", P, "T", T, W), rtol=0, atol=3e-5)


@pytest.mark.unit
def test_the_flashes_match_heos_in_the_vapour_and_the_wet_region():
    """h(P, s) and s(P, h): superheated states and wet steam of quality 0.6-1."""
    s_vap = np.asarray(PropsSI("S", "P|gas", P, "T", T, W))
    sf, sg = PropsSI("S", "P", P, "Q", np.zeros(N), W), PropsSI("S", "P", P, "Q", np.ones(N), W)
    s = np.where(np.arange(N) % 3 == 0, sf + RNG.uniform(0.6, 1.0, N) * (sg - sf), s_vap)
    h = np.asarray(PropsSI("H", "P", P, "S", s, W))
    got_h = tab.h_from_PS(P, s)
    np.testing.assert_allclose(got_h, h, rtol=0, atol=0.02)
    np.testing.assert_allclose(tab.s_from_PH(P, h), s, rtol=0, atol=3e-5)
    # the temperature of the states the flashes find: T(P, h) by HEOS at the table's h
    np.testing.assert_allclose(PropsSI("T", "P", P, "H", got_h, W), PropsSI("T", "P", P, "S", s, W), rtol=0, atol=1e-5)


@pytest.mark.unit
def test_states_outside_the_tables_are_heos_and_bad_input_is_named():
    p = np.array([2.0e7, 1e5, 1e3])  # above, inside, below the tables' pressures
    t = np.array([900.0, 400.0, 400.0])
    np.testing.assert_allclose(tab.h_water(t, p), PropsSI("H", "P", p, "T", t, W), rtol=1e-12)
    assert tab.h_water(np.array([1000.0]), np.array([1e6]))[0] == heos.h_water(1000.0, 1e6)  # above T_HI
    with pytest.raises(heos.SteamPropertyError, match=r"P = -1.0 Pa"):
        tab.h_from_PS(np.array([2e7, -1.0]), np.array([6000.0, 6000.0]))


class _Heos:
    """The island's steam functions straight from carbonhub.thermo.steam (CoolProp HEOS)."""
    h_sat_liquid, h_sat_vapour, s_sat_vapour = heos.h_sat_liquid, heos.h_sat_vapour, heos.s_sat_vapour
    T_sat, P_sat, h_water, s_water = heos.T_sat, heos.P_sat, heos.h_water, heos.s_water
    h_from_PS, s_from_PH = heos.h_from_PS_water, heos.s_from_PH_water


@pytest.mark.unit
def test_the_island_on_the_tables_is_the_island_on_heos(monkeypatch):
    """200 random islands (hot sources, two admissions above / below MP, any demand, throttle
    20-100 bar at saturation to 550 degC): every output within 1e-7 of the island evaluated
    with HEOS flashes; each closes its energy balance to 1e-9."""
    n = 200
    Pt = RNG.uniform(20e5, 100e5, n)
    Tt = np.maximum(PropsSI("T", "P", Pt, "Q", np.zeros(n), W) - 5.0 + RNG.uniform(0, 1, n) * 200.0, 400.0)
    hot, q1, q2 = (RNG.uniform(0, 100e6, n) for _ in range(3))
    args = (hot, RNG.uniform(0, 250e6, n), Pt, Tt,
            [(RNG.uniform(11e5, 30e5, n), q1), (RNG.uniform(0.5e5, 9e5, n), q2)])
    got = pim.island(*args)
    monkeypatch.setattr(pim, "props", _Heos)
    ref = pim.island(*args)
    for k, v in vars(ref).items():
        np.testing.assert_allclose(getattr(got, k), v, rtol=1e-7, atol=1e-3, err_msg=k)
    out = got.electricity_W + got.generator_loss_W + got.process_heat_W + got.condenser_W
    np.testing.assert_allclose(out, hot + q1 + q2, rtol=1e-9)


@pytest.mark.unit
def test_equal_cases_are_evaluated_once_with_the_result_of_each(monkeypatch):
    """island_of evaluates each distinct case once (a sweep that leaves the steam system alone):
    the same numbers, bit for bit, as the island of every case, with fewer cases evaluated."""
    n = 7
    demand = np.array([0.0, 50e6, 0.0, 50e6, 50e6, 120e6, 0.0])
    p = np.full(n, 40e5)
    t = np.full(n, 673.15)
    levels = [(np.array([19e5, 19e5, 19e5, 19e5, 25e5, 19e5, 19e5]), np.array([60e6, 60e6, 60e6, 60e6, 60e6, 60e6, 70e6])),
              (np.full(n, 40e5), np.full(n, 30e6))]
    ref = pim.island(np.zeros(n), demand, p, t, levels)
    sizes = []
    real = pim.island
    monkeypatch.setattr(pim, "island", lambda raised, *a: sizes.append(len(raised)) or real(raised, *a))
    got = pim._island_of_unique(demand, p, t, levels)
    assert sizes == [5]  # (0, 19 bar, 60 MW) x3 and (50 MW, 19 bar) x2 evaluated once each
    for k, v in vars(ref).items():
        np.testing.assert_array_equal(getattr(got, k), v, err_msg=k)
