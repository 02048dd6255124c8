"""The carbon Sankey through the process sections carries the carbon KPIs: products / feed =
``carbon_efficiency``, the CO2 emitted and captured of each origin and the carbon in solid
residue equal the KPIs to 1e-9, and every section passes on the carbon it receives."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.core.boundary import operating_hours
from carbonhub.core.stream import ORIGINS
from carbonhub.costing.co2 import co2_per_c
from carbonhub.report.carbon_sections import (CO2_CAPTURED, CO2_EMITTED, RESIDUE, section_flows,
                                              unit_sections)


def _into(sf, node: str, origin: str | None = None) -> float:
    lk = sf.links[sf.links["target"] == node]
    if origin is not None:
        lk = lk[lk["origin"] == origin]
    return float(lk["t_C_per_h"].sum())


def _check_against_kpis(res, case: int = 0) -> None:
    sf = section_flows(res, case)
    k = res.kpis.iloc[case]
    hours = float(operating_hours(res)[case])
    feed = sf.feed
    assert feed > 0
    products = sf.total(("product", "byproduct"))
    assert products / feed == pytest.approx(float(k["carbon_efficiency"]), rel=1e-9)
    for node, what in ((CO2_EMITTED, "emitted"), (CO2_CAPTURED, "captured")):
        total = _into(sf, node) * hours * co2_per_c()
        assert total == pytest.approx(float(k[f"co2_{what}_t_per_y"]), rel=1e-9, abs=1e-9)
        for o in ORIGINS:
            v = _into(sf, node, o) * hours * co2_per_c()
            assert v == pytest.approx(float(k[f"co2_{what}_{o}_t_per_y"]), rel=1e-9, abs=1e-9)
    residue = _into(sf, RESIDUE) * hours
    assert residue == pytest.approx(float(k["carbon_in_solid_residue_tC_per_y"]), rel=1e-9,
                                    abs=1e-9)
    # the rest of the outlets is the KPI's "other" carbon (CO/CH4 to air, wastewater, ...)
    rest = feed - products - _into(sf, CO2_EMITTED) - _into(sf, CO2_CAPTURED) - _into(sf, RESIDUE)
    assert rest * hours == pytest.approx(float(k["carbon_other_tC_per_y"]), abs=1e-9 * feed * hours)
    outlets = sf.nodes.index[~sf.nodes["kind"].isin(["feed", "section"])]
    assert sum(sf.value(n) for n in outlets) == pytest.approx(feed, rel=1e-9)
    for n in sf.nodes.index[sf.nodes["kind"] == "section"]:  # a section passes its carbon on
        assert sf.inflow(n) == pytest.approx(sf.outflow(n), abs=1e-9 * feed), n


@pytest.mark.component
def test_toy_sankey_equals_the_carbon_kpis(res1):
    _check_against_kpis(res1)


@pytest.mark.component
def test_toy_sankey_in_every_solved_case(res_multi):
    for case in np.flatnonzero(np.asarray(res_multi.status) == "ok")[:4]:
        _check_against_kpis(res_multi, int(case))


@pytest.fixture(scope="module", params=["plastics_pyrolysis", "waste_methanol_mto"])
def route_res(request):
    return ch.routes.load(request.param).simulate()


@pytest.mark.integration
def test_route_sankey_equals_the_carbon_kpis(route_res):
    _check_against_kpis(route_res)


@pytest.mark.integration
def test_route_sections_follow_the_process(route_res):
    """Reactors sit in conversion or synthesis, the feed in pretreatment, the loop purge in
    the loop's section (upstream), the fuel mixer in utilities (where it delivers)."""
    sec = unit_sections(route_res.flowsheet)
    assert sec["feed"] == "pretreatment"
    if "pyrolysis" in sec:
        assert sec["pyrolysis"] == "conversion" and sec["cracker"] == "upgrading"
    if "meoh_reactor" in sec:
        assert sec["gasifier"] == "conversion" and sec["meoh_reactor"] == "synthesis"
        assert sec["purge"] == "synthesis" and sec["fuel_mixer"] == "utilities"
    sf = section_flows(route_res)
    assert {"pretreatment", "conversion", "upgrading"} <= set(sf.nodes.index)
