"""Cost basis and scope: every cost entry declares what its number is; all-in complete units
take no factor again; no piece of scope is costed twice on any route; the block follows the
technology chosen (gasifier type, sulphur technology)."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.costing import correlations as cor
from carbonhub.costing import flowsheet as glue
from carbonhub.costing.capital import tci_buildup
from carbonhub.data import load_yaml

ROUTES = ch.routes.names()


@pytest.fixture(scope="module")
def sims():
    out = {}
    for r in ROUTES:
        res = ch.routes.load(r).simulate()
        res.kpis  # evaluates the TEA (res.tea)
        out[r] = res
    return out


@pytest.mark.unit
def test_every_reference_plant_entry_declares_its_basis_and_scope():
    units = load_yaml("reference_plants.yaml")["units"]
    names = set(units)
    for name, e in units.items():
        assert cor.entry_basis(e, name) in cor.COST_BASES
        for inc in e.get("includes") or ():
            assert isinstance(inc, str) and inc != cor.entry_scope(name, e), name
        if e.get("included_in"):   # the holder names this scope in its includes
            holder = units[e["included_in"]]
            assert cor.entry_scope(name, e) in (holder.get("includes") or ()), name
    assert "syngas_cooler" in units["gasifier_fluidised_bed_biomass"]["includes"]
    assert names >= {"methanol_synthesis_loop", "electrolyser_pem", "mto_unit"}
    for complete in ("methanol_synthesis_loop", "electrolyser_pem", "electrolyser_alkaline", "mto_unit"):
        assert units[complete]["basis"] == "fixed_capital", complete


@pytest.mark.unit
def test_basis_errors_name_the_entry_and_the_allowed_values():
    with pytest.raises(ValueError, match=r"ref.x: cost basis 'bare'; expected one of purchased, installed, fixed_capital"):
        cor.entry_basis({"basis": "bare"}, "ref.x")
    with pytest.raises(ValueError, match="needs an install_factor > 1"):
        cor.entry_basis({"basis": "purchased", "install_factor": 1.0}, "ref.x")


@pytest.mark.unit
def test_fixed_capital_units_take_no_factor():
    # by hand: Humbird fractions on the installed unit only; the complete unit is added as is
    cb = tci_buildup({"a": np.array([100.0]), "b": np.array([50.0])}, fixed_capital={"b": True})
    isbl = 100.0
    tdc = isbl * (1 + 0.04 + 0.09 + 0.045)
    fci = tdc * (1 + 0.1 + 0.1 + 0.2 + 0.1 + 0.1) + 50.0
    assert float(cb["fci"][0]) == pytest.approx(fci, rel=1e-12)
    assert float(cb["complete_units_fixed_capital"][0]) == 50.0


@pytest.mark.integration
@pytest.mark.parametrize("route", ROUTES)
def test_no_scope_is_costed_twice(sims, route):
    res = sims[route]
    rows = glue.unit_table(res)
    n = res.n_cases
    costed_units = {r["unit_id"].split(".")[0] for r in rows if (r["active"] > 0).any()}
    scopes = {r["scope"] for r in rows if r["scope"]} | {sc for r in rows for sc in r["includes"]}
    for sc in scopes:
        for i in range(n):   # in every case, at most one unit costs each scope
            holders = {r["unit_id"].split(".")[0] for r in rows
                       if (r["scope"] == sc or sc in r["includes"]) and r["active"][i] > 0}
            assert len(holders) <= 1, f"{route}: scope {sc!r} costed by {sorted(holders)}"
    # and every unit that costs nothing says which costed unit holds its cost
    for r in rows:
        inc = r["included_in"]
        for i in range(n):
            if r["active"][i] == 0 and inc[i]:
                assert inc[i] in costed_units, (route, r["unit_id"], inc[i])
    tea = res.tea
    for uid, uc in tea.unit_costs.items():
        if uc.included_in is not None and uc.included_in[0]:
            assert float(uc.installed_eur[0]) == 0.0


def _verified(item: str) -> bool:
    """A cost item's number was read in its source: reference-plant entries say so themselves;
    the Turton correlations of cost_correlations.yaml are stored and checked (none is marked
    unverified)."""
    kind, name = item.split(".", 1)
    if kind == "ref":
        return load_yaml("reference_plants.yaml")["units"][name].get("verified") is True
    return load_yaml("cost_correlations.yaml")[kind][name].get("verified", True) is not False


_TOP80_KNOWN = {"biomass_ft": "the FT reactor block (ft_synthesis_reactor_and_catalyst, Larson et al. "
                              "2009 read only in a secondary compilation) is 17.1 % of the installed cost (main 66eb0a9; "
                              "16.7 % at 0de9822, 18.4 % before the condensate hydrotreater and product columns), the largest "
                              "block since the hydrocracker is costed at its quoted size "
                              "(2026-12-07): no FT reactor cost with its size could be read in a stored "
                              "public source (searched six times on 2026-12-07: stored code has FT only as "
                              "all-in plants per kW or an unpublished model's cost (SolarTherm); the FT "
                              "reports and papers are stored as first pages only; property_data/README.md "
                              "lists each lead)"}


@pytest.mark.integration
@pytest.mark.parametrize("route", [pytest.param(r, marks=pytest.mark.xfail(reason=_TOP80_KNOWN[r], strict=True))
                                   if r in _TOP80_KNOWN else r for r in ROUTES])
def test_blocks_making_80_percent_of_the_installed_cost_are_verified(sims, route):
    """Issue 13 item 2: the largest cost items that together make 80 % of a route's installed
    cost (default case) carry verified numbers."""
    costs = sorted(((float(uc.installed_eur[0]), uc.item) for uc in sims[route].tea.unit_costs.values()),
                   reverse=True)
    total, acc, unverified = sum(c for c, _ in costs), 0.0, []
    for c, item in costs:
        if acc >= 0.8 * total:
            break
        acc += c
        if not _verified(item):
            unverified.append(item)
    assert not unverified, f"{route}: unverified blocks in the top 80 %: {unverified}"


@pytest.mark.integration
def test_syngas_cooler_inside_both_gasifier_blocks_and_the_block_follows_the_type():
    """Both biomass gasifier blocks are NREL gasification areas (Swanson et al. 2010 via the
    BETO database) whose plants have no separate syngas-cooler area, so the cooler costs
    nothing of its own with either gasifier type; the block follows gasifier.type."""
    fs = ch.routes.load("biomass_ft")
    res = fs.simulate(params={"gasifier.type": np.array(["fluidised_bed", "entrained_flow"])})
    res.kpis
    uc = res.tea.unit_costs
    assert uc["cooler"].included_in.tolist() == ["gasifier", "gasifier"]
    assert (uc["cooler"].installed_eur == 0.0).all()
    fb, ef = uc["gasifier"].installed_eur, uc["gasifier.1"].installed_eur
    assert fb[0] > 0 and fb[1] == 0 and ef[0] == 0 and ef[1] > 0
    # the EF block by hand: 67.778518 MUSD(2007) x (dry t/d / 2000)^0.7, escalated by CEPCI
    # 2007 -> 2023 (525.4 -> 797.9) and converted at the 2023 rate (1.0813 USD/EUR)
    tpd = res.unit_results["gasifier"].design["feed_dry_t_per_d"][1]
    e = cor.reference_plant("gasifier_entrained_flow_biomass")
    assert (e["C_ref"], e["S_ref"], e["year"]) == (67778518, 2000, 2007)
    by_hand = 67778518 * (tpd / 2000) ** e["exponent"] * 797.9 / 525.4 / 1.0813
    assert ef[1] == pytest.approx(by_hand, rel=1e-9)


@pytest.mark.integration
def test_zno_guard_bed_is_a_vessel_not_a_claus_plant():
    fs = ch.routes.load("biomass_ft")
    res = fs.simulate(params={"sulphur.technology": np.array(["zno", "claus"])})
    res.kpis
    uc = res.tea.unit_costs
    claus, vessel = uc["sulphur"].installed_eur, uc["sulphur.1"].installed_eur
    assert claus[0] == 0 and claus[1] > 0
    assert vessel[0] > 0 and vessel[1] == 0
    assert uc["sulphur.1"].item == "turton.vessel_vertical"


@pytest.mark.integration
def test_acid_gas_removal_block_follows_the_solvent():
    """Physical solvents keep the NETL Selexol account; an amine is costed as the amine unit
    of Karimi et al. (2011) via BioSTEAM: 50.117 MUSD(2009) installed at 24,123 kmol/h of gas,
    exponent 0.6 (sum of the eight items' purchase cost x bare-module factor, by hand)."""
    fs = ch.routes.load("biomass_ft")
    res = fs.simulate(params={"agr.technology": np.array(["selexol", "mdea"])})
    res.kpis
    uc = res.tea.unit_costs
    netl, amine = uc["agr"].installed_eur, uc["agr.1"].installed_eur
    assert netl[0] > 0 and netl[1] == 0 and amine[0] == 0 and amine[1] > 0
    items = [(4.81, 4.3), (4.0, 4.3), (0.42, 3.3), (0.27, 4.17), (0.53, 3.17), (2.28, 3.17),
             (0.09, 3.17), (0.23, 2.3)]
    c_ref = 1e6 * sum(c * bm for c, bm in items)
    kmol_h = res.unit_results["agr"].design["gas_flow_kmol_per_h"][1]
    # USD 2009 -> 2023 by CEPCI (521.9 -> 797.9), EUR at the 2023 rate (1.0813 USD/EUR)
    cepci = load_yaml("cepci.yaml")["values"]
    by_hand = c_ref * (kmol_h / 24123) ** 0.6 * cepci[2023] / cepci[2009] / 1.0813
    assert amine[1] == pytest.approx(by_hand, rel=1e-9)


@pytest.mark.integration
def test_methanol_cost_block_complete_unit_or_reactor_with_the_loop_item_by_item():
    """cost_block complete_unit: the all-in synthesis unit holds the loop equipment (which costs
    nothing of its own); reactor: the converter is a Turton pressure vessel of the catalyst
    volume and the separator and recycle compressor are costed item by item."""
    fs = ch.routes.load("biomass_methanol")
    res = fs.simulate(params={"meoh_reactor.cost_block": np.array(["complete_unit", "reactor"])})
    res.kpis
    uc = res.tea.unit_costs
    block, vessel = uc["meoh_reactor"].installed_eur, uc["meoh_reactor.1"].installed_eur
    assert block[0] > 0 and block[1] == 0 and vessel[0] == 0 and vessel[1] > 0
    assert uc["meoh_reactor.1"].item == "turton.vessel_vertical"
    for loop_unit in ("hp_separator", "recycle_compressor"):
        assert uc[loop_unit].included_in.tolist() == ["meoh_reactor", ""]
        inst = uc[loop_unit].installed_eur
        assert inst[0] == 0 and inst[1] > 0
