"""biomass_methanol with the build option gasifier=indirect (dual fluidised bed): listed as a
build option, no air separation (the ASU is absent and nothing is costed for it), the combustor
heats the gasifier (the design spec closes the bed's heat balance), the gasifier block is the
indirect one with the combustor and both coolers inside it, the flue gas goes to the stack with
biogenic carbon, and every unit and case conserves mass, elements and energy."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.core.stream import ORIGINS
from carbonhub.costing import flowsheet as glue


@pytest.mark.unit
def test_gasifier_is_a_listed_build_option():
    opt = ch.routes.build_options("biomass_methanol")["gasifier"]
    assert opt.default == "o2_blown" and opt.choices == ("o2_blown", "indirect")
    assert "indirect" in opt.doc
    with pytest.raises(ch.routes.BuildOptionError, match="gasifier"):
        ch.routes.check_build_params("biomass_methanol", {"gasifier": "plasma"})


@pytest.mark.unit
def test_variant_defaults_replace_the_route_defaults():
    base = ch.routes.RouteDefaults("biomass_methanol")
    dfb = ch.routes.RouteDefaults("biomass_methanol", variant="indirect")
    assert base["gasifier.carbon_conversion"] == 0.97 and dfb["gasifier.carbon_conversion"] == 0.711
    assert "dfb_combustor.T" in dfb and "dfb_combustor.T" not in base
    assert dfb["agr.technology"] == base["agr.technology"]  # the rest as the route's defaults
    with pytest.raises(ch.routes.RouteDefaultsError, match="no defaults for the variant 'plasma'"):
        ch.routes.RouteDefaults("biomass_methanol", variant="plasma")


@pytest.fixture(scope="module")
def res():
    fs = ch.routes.load("biomass_methanol", gasifier="indirect")
    return fs.simulate(params={"pretreatment.mode": ["dryer", "torrefaction"]})


@pytest.mark.integration
def test_indirect_route_conserves_and_closes_the_bed_heat(res):
    assert (res.status == "ok").all(), res.status
    res.check_balances(mass_tol=1e-9, energy_tol=1e-6)
    comb, gas = res.unit_results["dfb_combustor"], res.unit_results["gasifier"]
    q, need = comb.design["fired_heat_W"], gas.design["heat_required_W"]
    frac = res.param("dfb_gas_split.fraction")
    # the spec: heat to the bed = the gasifier's demand, or the char alone gives more (no gas fired)
    assert np.all((np.abs(q - need) <= 1.0) | ((frac == 0.0) & (q > need)))
    assert np.all(comb.design["excess_air"] == pytest.approx(res.param("dfb_air.excess_air"), rel=1e-9))
    assert (gas.design["T_K"] == pytest.approx(1123.15)) and (gas.design["P_Pa"] == pytest.approx(1.5e5))


@pytest.mark.integration
def test_no_air_separation_and_the_indirect_block(res):
    fs = res.flowsheet
    assert "asu" not in fs.units and "air" not in fs.units and "n2_vent" not in fs.units
    rows = glue.unit_table(res)
    items = {r["unit_id"]: r for r in rows}
    assert not any("air_separation" in r["item"] or r["unit_id"].startswith("asu") for r in rows)
    assert (res.kpis["capex_eur"] > 0).all()
    g = [r for r in rows if r["item"] == "ref.gasifier_indirect_biomass"]
    assert len(g) == 1 and (g[0]["active"] > 0).all()
    assert not any(r["item"] in ("ref.gasifier_fluidised_bed_biomass", "ref.gasifier_entrained_flow_biomass")
                   and (r["active"] > 0).any() for r in rows)
    for uid in ("cooler", "dfb_flue_cooler"):  # inside the gasifier block, cost zero here
        assert list(items[uid]["included_in"]) == ["gasifier"] * res.n_cases
        assert float(res.tea.unit_costs[uid].installed_eur[0]) == 0.0


@pytest.mark.integration
def test_flue_gas_to_the_stack_is_biogenic(res):
    flue = res.stream_data[next(c.id for c in res.flowsheet.connections if c.dst.unit.id == "dfb_flue")]
    assert res.flowsheet.units["dfb_flue"].category == "emission"
    co2 = flue["CO2"]
    assert (co2 > 0).all()
    air = res.stream_data[next(c.id for c in res.flowsheet.connections
                               if c.dst.unit.id == "dfb_combustor" and c.dst.name == "air")]
    # all its carbon is the fuel's (biogenic) but the air's own CO2 (atmospheric)
    bio = flue.origin[:, ORIGINS.index("biogenic")] * co2
    np.testing.assert_allclose(bio, co2 - air["CO2"], rtol=1e-9)
    assert (air["CO2"] < 0.01 * co2).all()
    # the char's carbon leaves with the flue gas: the flue CO2 holds at least the char carbon
    char_c = res.unit_results["dfb_combustor"].design["char_C_mol_s"]
    assert (co2 >= char_c * (1 - 1e-12)).all()
