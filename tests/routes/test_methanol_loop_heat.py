"""Feed-effluent exchangers: the methanol loop's (the reactor feed heated by the effluent, no steam
bought for it) and the gasification island's shift exchanger ``wgs_feh`` (the shift's gas feed
brought to the reactor's inlet temperature by the shift effluent, so the shift no longer buys
its preheat, fired above steam's reach). The duty is the same from both sides' stream
enthalpies, both ends keep 10 K, and the balances of every unit still close."""
from __future__ import annotations

import pytest

import carbonhub as ch


def _solved(route: str):
    r = ch.routes.load(route).simulate()
    assert (r.status == "ok").all(), r.status
    return r


@pytest.fixture(scope="module")
def res():
    return _solved("co2_methanol_mto")


@pytest.fixture(scope="module", params=["biomass_ft", "waste_methanol_mto"])
def island(request):
    return _solved(request.param)


def _exchanger_duty(res, uid: str, cold_in: str, cold_out: str, hot_in: str) -> float:
    """The exchanger's duty [W] after checking it against both sides' stream enthalpies, the
    10 K at both ends and every unit's balances."""
    q = float(res.unit_results[uid].design["duty_W"][0])
    ci, co, hi = (res.stream(s) for s in (cold_in, cold_out, hot_in))
    ho = res.stream(res.flowsheet.stream_id(res.flowsheet.units[uid].outlets.hot_out))
    assert float(co.enthalpy[0] - ci.enthalpy[0]) == pytest.approx(q, rel=1e-9)
    assert float(hi.enthalpy[0] - ho.enthalpy[0]) == pytest.approx(q, rel=1e-9)
    assert float(hi.T[0] - co.T[0]) >= 10.0 - 1e-6
    assert float(ho.T[0] - ci.T[0]) >= 10.0 - 1e-6
    res.check_balances(mass_tol=1e-9, energy_tol=1e-6)
    return q


@pytest.mark.integration
def test_feed_effluent_exchanger_recovers_the_preheat(res):
    q = _exchanger_duty(res, "feed_effluent_hx", "loop_feed", "reactor_feed", "reactor_effluent")
    assert q > 10e6                                                  # tens of MW recovered
    # the reactor no longer buys steam to heat its feed: it raises steam
    reactor = res.unit_results["meoh_reactor"]
    assert float(reactor.utilities["steam_heat_W"][0]) == 0.0
    assert float(reactor.utilities["steam_raised_W"][0]) > 0.0


@pytest.mark.integration
def test_exchanger_sits_inside_the_methanol_loop_block(res):
    res.kpis
    uc = res.tea.unit_costs["feed_effluent_hx"]
    assert float(uc.installed_eur[0]) == 0.0 and uc.included_in[0] == "meoh_reactor"


@pytest.mark.integration
def test_shift_feed_is_heated_by_its_effluent(island):
    q = _exchanger_duty(island, "wgs_feh", "shift_feed", "shift_feed_hot", "shift_effluent")
    assert q > 1e6                                                   # MW recovered
    assert float(island.stream("shift_feed_hot").T[0]) == pytest.approx(float(island.param("wgs.T")[0]), abs=1e-9)
    # the shift's inlet is at its T already: its own preheat (once fired) is gone
    assert abs(float(island.unit_results["wgs"].heat[0])) < 1e-6 * q
    # and with it the shift's preheat exchanger: a round-off duty sizes none, costs nothing and is
    # no operator's item (it was a 1e-11 m2 exchanger present or not by the sign of the round-off)
    assert float(island.unit_results["wgs"].design["exchanger_area_m2"][0]) == 0.0
    from carbonhub.costing.flowsheet import unit_table

    assert not [r["unit_id"] for r in unit_table(island) if r["unit_id"].startswith("wgs.")]
