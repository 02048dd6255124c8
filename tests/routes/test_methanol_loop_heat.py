"""The methanol loop's feed-effluent exchanger: the reactor feed is heated by the effluent (no
steam bought for it), the duty is the same from both sides' stream enthalpies, both ends keep
10 K, and the balances of every unit still close."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch


@pytest.fixture(scope="module")
def res():
    r = ch.routes.load("co2_methanol_mto").simulate()
    assert (r.status == "ok").all(), r.status
    return r


@pytest.mark.integration
def test_feed_effluent_exchanger_recovers_the_preheat(res):
    hx = res.unit_results["feed_effluent_hx"]
    q = float(hx.design["duty_W"][0])
    cold_in, cold_out = res.stream("loop_feed"), res.stream("reactor_feed")
    hot_in = res.stream("reactor_effluent")
    hot_out = [s for sid, s in res.stream_data.items()
               if sid not in ("loop_feed", "reactor_feed", "reactor_effluent")
               and any(c.id == sid and c.src.unit.id == "feed_effluent_hx" and c.src.name == "hot_out"
                       for c in res.flowsheet.connections)][0]
    assert q > 10e6                                                  # tens of MW recovered
    assert float(cold_out.enthalpy[0] - cold_in.enthalpy[0]) == pytest.approx(q, rel=1e-9)
    assert float(hot_in.enthalpy[0] - hot_out.enthalpy[0]) == pytest.approx(q, rel=1e-9)
    assert float(hot_in.T[0] - cold_out.T[0]) >= 10.0 - 1e-6
    assert float(hot_out.T[0] - cold_in.T[0]) >= 10.0 - 1e-6
    # the reactor no longer buys steam to heat its feed: it raises steam
    reactor = res.unit_results["meoh_reactor"]
    assert float(reactor.utilities["steam_heat_W"][0]) == 0.0
    assert float(reactor.utilities["steam_raised_W"][0]) > 0.0
    res.check_balances(mass_tol=1e-9, energy_tol=1e-6)


@pytest.mark.integration
def test_exchanger_sits_inside_the_methanol_loop_block(res):
    res.kpis
    uc = res.tea.unit_costs["feed_effluent_hx"]
    assert float(uc.installed_eur[0]) == 0.0 and uc.included_in[0] == "meoh_reactor"
