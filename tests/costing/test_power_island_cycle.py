"""The extraction-condensing power island of ``prices.steam_credit_rule = power_island``
(carbonhub.costing.power_island.island), checked against a hand computation with CoolProp's
own PropsSI (a path independent of carbonhub.thermo.steam), against the condensing turbine it
reduces to at a saturated 10-bar throttle, and for its energy closure."""
from __future__ import annotations

import numpy as np
import pytest
from CoolProp.CoolProp import PropsSI

from carbonhub.costing.power_island import (ISLAND_ETA_GENERATOR, ISLAND_ETA_TURBINE, ISLAND_P_CONDENSER,
                                            ISLAND_P_MP, island)
from carbonhub.costing.finance import steam_to_power_default


def _hand(raised, demand, P, T):
    """The island by hand: one case, CoolProp PropsSI (IAPWS-95) state by state."""
    h1, s1 = PropsSI("H", "T", T, "P", P, "Water"), PropsSI("S", "T", T, "P", P, "Water")
    h_fw = PropsSI("H", "P", ISLAND_P_MP, "Q", 0, "Water")
    m = raised / (h1 - h_fw)
    h2 = h1 - ISLAND_ETA_TURBINE * (h1 - PropsSI("H", "P", ISLAND_P_MP, "S", s1, "Water"))
    m_x = min(m, demand / (h2 - h_fw))
    s2 = PropsSI("S", "P", ISLAND_P_MP, "H", h2, "Water")
    h3 = h2 - ISLAND_ETA_TURBINE * (h2 - PropsSI("H", "P", ISLAND_P_CONDENSER, "S", s2, "Water"))
    elec = ISLAND_ETA_GENERATOR * (m * (h1 - h2) + (m - m_x) * (h2 - h3))
    return elec, m_x, (m - m_x) * (h3 - h_fw), demand - m_x * (h2 - h_fw)


@pytest.mark.unit
@pytest.mark.parametrize("demand", [0.0, 40e6, 200e6])  # all condensed, part extracted, steam bought
def test_island_matches_a_hand_computation(demand):
    got = island(np.array([100e6]), np.array([demand]), np.array([40e5]), np.array([673.15]))
    elec, m_x, cond, bought = _hand(100e6, demand, 40e5, 673.15)
    np.testing.assert_allclose([got.electricity_W[0], got.extraction_kg_s[0], got.condenser_W[0],
                                got.steam_bought_W[0]], [elec, m_x, cond, bought], rtol=1e-6, atol=1e-3)
    assert got.steam_bought_W[0] >= 0.0 and (demand < 150e6) == (got.steam_bought_W[0] < 1e-3)


@pytest.mark.unit
def test_island_at_a_saturated_mp_throttle_is_the_condensing_turbine():
    """No back-pressure work where the throttle is the MP level itself: each t of steam makes
    prices.steam_to_power_MWh_per_t (tea_defaults.yaml, derived there to 3 digits: 0.140)."""
    one_t_per_h = (PropsSI("H", "P", 10e5, "Q", 1, "Water") - PropsSI("H", "P", 10e5, "Q", 0, "Water")) / 3.6
    got = island(np.array([one_t_per_h]), np.zeros(1), np.array([10e5]), np.array([400.0]))
    assert got.electricity_W[0] / 1e6 == pytest.approx(steam_to_power_default(), abs=5e-4)


@pytest.mark.unit
def test_island_closes_its_energy_balance():
    raised = np.array([50e6, 100e6, 120e6, 80e6])
    demand = np.array([0.0, 60e6, 200e6, 80e6])
    got = island(raised, demand, np.array([40e5, 60e5, 40e5, 10e5]), np.array([673.15, 753.15, 500.0, 453.0]))
    out = got.electricity_W + got.generator_loss_W + got.process_heat_W + got.condenser_W
    np.testing.assert_allclose(out, raised, rtol=1e-6)
    np.testing.assert_allclose(got.process_heat_W + got.steam_bought_W, demand, rtol=1e-9, atol=1e-6)
    assert (got.extraction_kg_s + got.condensing_kg_s == pytest.approx(got.throttle_kg_s, rel=1e-12))


def _hand_admission(hot, demand, P, T, p_a, q_a):
    """By hand, one case: the hot sources' steam at the throttle (P, T) expands to p_a (MP < p_a
    < P), mixes there with saturated steam raised at p_a by the heat q_a, then expands to MP (the
    extraction) and on to the condenser; CoolProp PropsSI state by state."""
    h_fw = PropsSI("H", "P", ISLAND_P_MP, "Q", 0, "Water")
    h1, s1 = PropsSI("H", "T", T, "P", P, "Water"), PropsSI("S", "T", T, "P", P, "Water")
    m1 = hot / (h1 - h_fw)
    h_a = PropsSI("H", "P", p_a, "Q", 1, "Water")
    m_a = q_a / (h_a - h_fw)
    h2 = h1 - ISLAND_ETA_TURBINE * (h1 - PropsSI("H", "P", p_a, "S", s1, "Water"))
    hm = (m1 * h2 + m_a * h_a) / (m1 + m_a)
    sm = PropsSI("S", "P", p_a, "H", hm, "Water")
    h3 = hm - ISLAND_ETA_TURBINE * (hm - PropsSI("H", "P", ISLAND_P_MP, "S", sm, "Water"))
    m = m1 + m_a
    m_x = min(m, demand / (h3 - h_fw))
    s3 = PropsSI("S", "P", ISLAND_P_MP, "H", h3, "Water")
    h4 = h3 - ISLAND_ETA_TURBINE * (h3 - PropsSI("H", "P", ISLAND_P_CONDENSER, "S", s3, "Water"))
    shaft = m1 * (h1 - h2) + m * (hm - h3) + (m - m_x) * (h3 - h4)
    return ISLAND_ETA_GENERATOR * shaft, m_x, (m - m_x) * (h4 - h_fw)


@pytest.mark.unit
@pytest.mark.parametrize("demand", [0.0, 60e6, 300e6])
def test_steam_admitted_below_the_throttle_matches_a_hand_computation(demand):
    """An FT reactor's heat (493 K) cannot boil water at the 40-bar throttle (523.5 K): it raises
    saturated steam at ~19 bar, admitted to the turbine there."""
    got = island(np.array([60e6]), np.array([demand]), np.array([40e5]), np.array([673.15]),
                 [(np.array([19e5]), np.array([50e6]))])
    elec, m_x, cond = _hand_admission(60e6, demand, 40e5, 673.15, 19e5, 50e6)
    np.testing.assert_allclose([got.electricity_W[0], got.extraction_kg_s[0], got.condenser_W[0]],
                               [elec, m_x, cond], rtol=1e-6, atol=1e-3)
    hp = island(np.array([110e6]), np.array([demand]), np.array([40e5]), np.array([673.15]))
    assert got.electricity_W[0] < hp.electricity_W[0]  # the single-level island overstated it


@pytest.mark.unit
def test_sources_that_reach_the_throttle_give_the_single_level_island():
    """Every source hot (at or above the throttle pressure): the single-level island, as by hand."""
    for demand in (0.0, 40e6, 200e6):
        got = island(np.zeros(1), np.array([demand]), np.array([40e5]), np.array([673.15]),
                     [(np.array([40e5]), np.array([70e6])), (np.array([60e5]), np.array([30e6]))])
        elec, m_x, cond, bought = _hand(100e6, demand, 40e5, 673.15)
        np.testing.assert_allclose([got.electricity_W[0], got.extraction_kg_s[0], got.condenser_W[0],
                                    got.steam_bought_W[0]], [elec, m_x, cond, bought], rtol=1e-6, atol=1e-3)


@pytest.mark.unit
def test_island_with_admissions_closes_its_energy_balance():
    """Admissions above, at and below the MP level, at the throttle, and an empty one."""
    hot = np.array([50e6, 0.0, 120e6, 80e6, 30e6])
    a1 = np.array([40e6, 90e6, 0.0, 20e6, 10e6])
    a2 = np.array([10e6, 30e6, 25e6, 0.0, 5e6])
    demand = np.array([0.0, 60e6, 400e6, 80e6, 20e6])
    got = island(hot, demand, np.array([40e5, 60e5, 40e5, 10e5, 40e5]), np.array([673.15, 753.15, 500.0, 453.0, 673.15]),
                 [(np.array([19e5, 10e5, 33e5, 5e5, 40e5]), a1), (np.array([5e5, 33e5, 2e5, 19e5, 10e5]), a2)])
    raised = hot + a1 + a2
    out = got.electricity_W + got.generator_loss_W + got.process_heat_W + got.condenser_W
    np.testing.assert_allclose(out, raised, rtol=1e-9)
    np.testing.assert_allclose(got.process_heat_W + got.steam_bought_W, demand, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(got.extraction_kg_s + got.condensing_kg_s, got.throttle_kg_s, rtol=1e-12)


def _hand_below_mp(hot, demand, P, T, p_a, q_a):
    """By hand, one case: a source below the MP level (p_a < 10 bar) boils its own drum's
    saturated liquid (its drum cannot hold the 10-bar feedwater, 179.9 degC: it would flash);
    the hot steam expands from the throttle to MP (extraction), on to p_a, mixes there with the
    source's saturated steam and expands to the condenser; the condenser returns each flow's
    condensate at its own feed state (10-bar or p_a saturated liquid). CoolProp PropsSI."""
    h_fw = PropsSI("H", "P", ISLAND_P_MP, "Q", 0, "Water")
    h1, s1 = PropsSI("H", "T", T, "P", P, "Water"), PropsSI("S", "T", T, "P", P, "Water")
    m1 = hot / (h1 - h_fw)
    h_a, h_fa = PropsSI("H", "P", p_a, "Q", 1, "Water"), PropsSI("H", "P", p_a, "Q", 0, "Water")
    m_a = q_a / (h_a - h_fa)
    h2 = h1 - ISLAND_ETA_TURBINE * (h1 - PropsSI("H", "P", ISLAND_P_MP, "S", s1, "Water"))
    m_x = min(m1, demand / (h2 - h_fw))
    s2 = PropsSI("S", "P", ISLAND_P_MP, "H", h2, "Water")
    h3 = h2 - ISLAND_ETA_TURBINE * (h2 - PropsSI("H", "P", p_a, "S", s2, "Water"))
    m = m1 - m_x + m_a
    hm = ((m1 - m_x) * h3 + m_a * h_a) / m
    sm = PropsSI("S", "P", p_a, "H", hm, "Water")
    h4 = hm - ISLAND_ETA_TURBINE * (hm - PropsSI("H", "P", ISLAND_P_CONDENSER, "S", sm, "Water"))
    shaft = m1 * (h1 - h2) + (m1 - m_x) * (h2 - h3) + m * (hm - h4)
    cond = (m1 - m_x) * h4 + m_a * h4 - (m1 - m_x) * h_fw - m_a * h_fa
    return ISLAND_ETA_GENERATOR * shaft, m1 + m_a, m_x, cond


@pytest.mark.unit
@pytest.mark.parametrize("demand", [0.0, 40e6, 300e6])
def test_a_source_below_the_mp_level_boils_its_own_saturated_liquid(demand):
    """A reactor whose heat raises 5-bar steam (151.8 degC) is fed its drum's saturated liquid,
    not the 10-bar feedwater (179.9 degC, above its boiling point): its heat raises
    q / (h''(5 bar) - h'(5 bar)) of steam, ~6 % less than from 10-bar water, and the energy closes
    with the condenser returning that flow's condensate at its own feed state."""
    got = island(np.array([60e6]), np.array([demand]), np.array([40e5]), np.array([673.15]),
                 [(np.array([5e5]), np.array([30e6]))])
    elec, m_tot, m_x, cond = _hand_below_mp(60e6, demand, 40e5, 673.15, 5e5, 30e6)
    np.testing.assert_allclose([got.electricity_W[0], got.throttle_kg_s[0], got.extraction_kg_s[0], got.condenser_W[0]],
                               [elec, m_tot, m_x, cond], rtol=1e-6, atol=1e-3)
    out = got.electricity_W + got.generator_loss_W + got.process_heat_W + got.condenser_W
    np.testing.assert_allclose(out, 90e6, rtol=1e-9)
    at_mp_feed = 30e6 / (PropsSI("H", "P", 5e5, "Q", 1, "Water") - PropsSI("H", "P", ISLAND_P_MP, "Q", 0, "Water"))
    assert got.throttle_kg_s[0] - 60e6 / (PropsSI("H", "T", 673.15, "P", 40e5, "Water")
                                          - PropsSI("H", "P", ISLAND_P_MP, "Q", 0, "Water")) < 0.95 * at_mp_feed
