"""The numbers behind the balance figures close: carbon by origin, energy, water."""
from __future__ import annotations

import doctest

import numpy as np
import pytest

from carbonhub.core.boundary import DEFAULT_HOURS
from report_toy import FAILED_CASE, build_toy

from carbonhub.core.stream import ORIGINS
from carbonhub.report import flows
from carbonhub.report.flows import IMBALANCE, M_C, carbon_flows, energy_flows, water_flows


def _feed_carbon_t_per_h(res, case: int) -> float:
    fs = res.flowsheet
    return sum(float(res.stream_data[c.id].carbon_flow[case]) for c in fs.connections
               if c.src.unit.kind == "source") * M_C * 3.6


@pytest.mark.unit
def test_carbon_sankey_closes(res1):
    cf = carbon_flows(res1)
    c_in = _feed_carbon_t_per_h(res1, 0)
    assert cf.total_in == pytest.approx(c_in, rel=1e-12)
    assert cf.links["t_C_per_h"].sum() == pytest.approx(c_in, rel=1e-9)
    assert cf.total_out == pytest.approx(c_in, rel=1e-9)
    # per node: the bands leaving a source sum to its carbon, those entering a sink to its carbon
    by_src = cf.links.groupby("source")["t_C_per_h"].sum()
    by_snk = cf.links.groupby("sink")["t_C_per_h"].sum()
    for k in cf.sources.index:
        assert by_src[k] == pytest.approx(cf.sources.loc[k, list(ORIGINS)].sum(), rel=1e-9)
    for k in cf.sinks.index:
        assert by_snk[k] == pytest.approx(cf.sinks.loc[k, list(ORIGINS)].sum(), rel=1e-9)
    # per origin: fossil from natural gas, biogenic from the syngas
    for o in ORIGINS:
        assert cf.links[cf.links["origin"] == o]["t_C_per_h"].sum() == pytest.approx(
            cf.sources[o].sum(), rel=1e-9, abs=1e-15)
    assert cf.sources.loc["natgas", "fossil"] > 0 and cf.sources.loc["natgas", "biogenic"] == 0
    assert set(cf.sinks["category"]) == {"product", "emission", "co2_storage"}
    assert IMBALANCE not in cf.sinks.index and IMBALANCE not in cf.sources.index


@pytest.mark.unit
def test_carbon_sankey_matches_kpis(res1):
    cf = carbon_flows(res1)
    prod = cf.sinks[cf.sinks["category"] == "product"][list(ORIGINS)].to_numpy().sum()
    assert prod / cf.total_in == pytest.approx(res1.kpis["carbon_efficiency"][0], rel=1e-9)
    co2 = cf.sinks.loc["CO2 captured (stored)", list(ORIGINS)].sum()
    co2_t_per_y = co2 * 44.0095 / 12.011 * DEFAULT_HOURS
    assert co2_t_per_y == pytest.approx(res1.kpis["co2_captured_t_per_y"][0], rel=1e-4)


@pytest.mark.unit
def test_carbon_sankey_closes_in_every_case(res_multi):
    for case in range(res_multi.n_cases):
        cf = carbon_flows(res_multi, case)
        assert cf.case == case
        assert cf.links["t_C_per_h"].sum() == pytest.approx(_feed_carbon_t_per_h(res_multi, case),
                                                              rel=1e-9)


@pytest.mark.unit
def test_default_case_is_first_ok(res_multi):
    import carbonhub.report._util as u

    res_multi_status = np.asarray(res_multi.status)
    assert res_multi_status[FAILED_CASE] != "ok"
    assert u.shown_case(res_multi) == 0
    with pytest.raises(IndexError, match="0 <= case < 12"):
        carbon_flows(res_multi, 12)


@pytest.mark.unit
def test_carbon_imbalance_is_shown_not_hidden():
    res = build_toy().simulate()
    res.stream_data["product_sep_top"].flow[:] *= 0.5  # lose half of the product carbon
    cf = carbon_flows(res)
    assert IMBALANCE in cf.sinks.index
    assert cf.links["t_C_per_h"].sum() == pytest.approx(cf.total_in, rel=1e-12)


@pytest.mark.unit
def test_energy_flows_close_and_match_efficiency(res1):
    e = energy_flows(res1)
    assert e.unit == "MW"
    assert e.total_in == pytest.approx(e.total_out, rel=1e-12)
    prod = e.outputs[e.outputs["kind"] == "product"]["value"].sum()
    e_in = e.inputs[e.inputs["label"] != "other heat (net)"]["value"].sum()
    assert prod / e_in == pytest.approx(res1.kpis["energy_efficiency_products_lhv"][0], rel=1e-9)
    # the cooler's 28.9 kW go to cooling water, shown apart from losses; the LHV basis leaves
    # the feeds' sensible heat (320 K and 300 K, above 25 degC) as "other heat (net)"
    assert set(e.inputs["label"]) == {"syngas (LHV)", "natgas (LHV)", "other heat (net)"}
    cooling = e.outputs[e.outputs["kind"] == "cooling"]["value"].sum()
    assert cooling == pytest.approx(-float(res1.unit_results["cooler"].heat[0]) / 1e6, rel=1e-12)
    assert "loss" not in set(e.outputs["kind"])


@pytest.mark.unit
def test_water_flows_match_kpis(res1):
    w = water_flows(res1)
    assert w.total_in == pytest.approx(res1.kpis["water_in_t_per_h"][0], rel=1e-12)
    ww = w.outputs[w.outputs["label"] == "wastewater"]["value"].sum()
    assert ww == pytest.approx(res1.kpis["wastewater_t_per_h"][0], rel=1e-12)
    assert w.total_in == pytest.approx(w.total_out, rel=1e-9)


@pytest.mark.unit
def test_docstring_example():
    assert doctest.testmod(flows, raise_on_error=False).failed == 0


@pytest.mark.component
def test_energy_flows_show_the_steam_the_costing_credits_apart_from_losses():
    """biomass_ft with a Selexol AGR exports steam (the default amine's reboiler takes the
    surplus): the energy bars show the costing's net steam export [t] at the latent heat of MP
    steam as "steam export (net)", not under losses."""
    import carbonhub as ch
    from carbonhub.costing.flowsheet import STEAM_LATENT_J_PER_KG, annual_flows

    res = ch.routes.load("biomass_ft").simulate(params={"agr.technology": "selexol"})
    e = energy_flows(res)
    flows = annual_flows(res, np.ones(res.n_cases))  # one operating hour: t/h
    export_mw = -float(flows["steam_export_t_per_y"][0]) * 1e3 * STEAM_LATENT_J_PER_KG / 3.6e9
    assert export_mw > 5.0   # 17 MW since the tar reformer (it was ~120 MW before)
    out = dict(zip(e.outputs["label"], e.outputs["value"]))
    assert out["steam export (net)"] == pytest.approx(export_mw, rel=1e-9)
    assert e.total_in == pytest.approx(e.total_out, rel=1e-12)
