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
