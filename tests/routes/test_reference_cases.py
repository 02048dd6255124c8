"""Published reference plants, figure by figure, at the tolerances of issue 13.

Each case of ``reference_cases`` in ``flowsheets/<route>.yaml`` is simulated at the paper's own
settings; every published figure is compared with carbonhub's, converted only with
``carbonhub.costing.indices.convert_money``: product yields +-10 %, TIC/FCI/TCI +-25 %, MSP
+-20 %, capital by area +-35 %. A figure the YAML excludes (``excluded``: a technology the route
does not model) is skipped with its reason. A figure outside its tolerance is a defect with a
known cause, listed in ``KNOWN`` with that cause; it is a *strict* expected failure, so the
test fails as soon as the figure comes inside its tolerance and the entry must be removed.
"""
from __future__ import annotations

import pytest

import carbonhub as ch
from carbonhub.report.reference_cases import cases, compare, run_case

_CASES = [(r, c) for r in ch.routes.names() for c in cases(r)]

_YIELD_LT = ("yield +30 % (it was -17 % without a reformer): the tar reformer (NREL 2012-target conversions) "
             "reforms the gasifier's CH4 and the FT C1-C4, and the loop purge not burnt in its combustor (55 %) "
             "is recycled to it; the paper burns part of its tail gas in a power island and exports "
             "electricity, a technology not modelled (boiler_fuel.fraction = 0), so it makes fewer liquids")
_YIELD_HT = ("yield -12 % (it was -26 %): the FT loop purge is recycled through the reformer at the gasifier "
             "temperature (standing for the paper's recycle to its gasifier) except the 29 % burnt to heat "
             "it; what remains: the corn_stover record (stalks, C 41.9 %, HHV 16.5 MJ/kg) may hold less "
             "carbon than the paper's stover, whose analysis could not be read, and the EF gasifier's "
             "O2 demand at 1,300 degC")
_HCR = ("hydrocracker block (Knorr et al. 2013, HTL-oil hydroprocessing) sized on the FT wax, which the "
        "tail-gas recycle through the reformer raises with the yield (see the yield figure): measured "
        "+68 % (LT), +36 % (HT); it was +21 % / +19 % at the lower yields")
_CLEANUP = ("NETL coal-IGCC two-stage Selexol (64-69 MUSD2007) and sour-shift (33 MUSD2007) accounts "
            "scaled to the biomass plant for the route's physical-solvent AGR; the paper's area (which "
            "also holds its tar reformer) is below any physical-solvent estimate found (Larson et al. "
            "2009's Rectisol, 122 MUSD2003 at 4,545 t/d, secondary) and its AGR technology could not "
            "be read (an amine would be costed by acid_gas_removal_amine); the tail-gas recycle through "
            "the reformer adds its flow: measured +339 % (LT), +253 % (HT)")
_FT = ("FT reactor block (Larson et al. 2009 via a secondary compilation, unverified; reactors only, "
       "the paper's area also holds syngas compression, recycle and product recovery): measured "
       "-41 % (LT), -36 % (HT)")
_ASU = ("NETL ASU account (IDAES 4.3.a, 37.9 MUSD2018 for 4,358 short t/d O2, ~8.7 kUSD per t/d) "
        "against a biomass-plant ASU; no biomass ASU cost with its O2 rate could be read. The "
        "IDAES BB_costing_data.json holds the same ~8-9 kUSD per t/d in all three IGCC "
        "technologies with an ASU (3, 4, 5; 36-40 MUSD2018 at 4,040-4,720 t/d, cases A and B), "
        "so it is not a slip of one entry; the NETL report page was not read: "
        "measured -61 % (LT), -54 % (HT)")
KNOWN = {
    ("biomass_ft", "swanson_2010_lt"): {
        "fuel_yield_gge_per_dry_short_ton": _YIELD_LT,
        "area_musd.syngas_cleanup": _CLEANUP,
        "area_musd.fuel_synthesis": _FT,
        "area_musd.hydroprocessing": _HCR,
        "area_musd.air_separation": _ASU,
    },
    ("biomass_ft", "swanson_2010_ht"): {
        "fuel_yield_gge_per_dry_short_ton": _YIELD_HT,
        "msp_usd_per_gge": "MSP follows the yield deficit above (capital within 10 %): measured +24 %",
        "area_musd.hydroprocessing": _HCR,
        "area_musd.syngas_cleanup": _CLEANUP,
        "area_musd.fuel_synthesis": _FT,
        "area_musd.air_separation": _ASU,
    },
    ("biomass_ft", "dea_2020_85"): {
        "liquids_efficiency_lhv": "DEA's 25 % liquids per unit input is far below Swanson et al.'s "
                                  "entrained-flow plant (~41 %); the sheet gives no flowsheet to follow: "
                                  "measured 0.48 (+92 %; 0.40 before the tail gas was recycled through the "
                                  "reformer)",
        "specific_investment_meur_per_mw": (
            "measured -26 % (it was -20 %): the FT tail gas recycled through the reformer raises the "
            "liquids by a fifth, more than the capital (the cleanup and FT blocks scale with exponents "
            "below 1), so capital per MW of liquids falls; DEA's sheet gives no area breakdown"),
    },
    ("biomass_methanol", "dea_2020_97"): {
        "specific_investment_meur_per_mw": (
            "measured -38 % (-48 % with the tar reformer and the Agora methanol block used linearly, "
            "-34 % before the reformer; -23 % with the unverified Larson gasifier block): the methanol "
            "block is now DEA's own sheet-98 plant with its economy of scale; the tar reformer raises "
            "the methanol output by 43 % (efficiency 0.62 against DEA's 0.58, within tolerance) at "
            "little extra capital, so capital per MW is low; DEA's plant (22 dry t/h) is a quarter of "
            "the NREL reference size, so the blocks' exponents (0.6-0.8, the gasifier's 0.7 assumed) "
            "carry most costs far from their reference; the NETL ASU (0.4-0.5x a biomass-plant ASU) "
            "adds to it; DEA's sheet gives no area breakdown to locate the rest"),
    },
    ("biomass_methanol", "phillips_2011"): {
        "area_musd.utilities": (
            "measured +359 % (+336 % before the tar reformer): 18.4 of carbonhub's 19.5 MUSD2007 is "
            "the Humbird et al. (2011) biorefinery wastewater plant (anaerobic + aerobic digestion, RO) "
            "scaled by flow to this route's 80 m3/h of dilute condensate (COD 4.4 g/L, 0.35 t/h, an "
            "order of magnitude below the biorefinery effluent the block was costed for: an upper "
            "bound, reference_plants.yaml); the paper's area is cooling water and other utilities "
            "(4.2 MUSD) and the database lists no wastewater area for it, while Swanson et al.'s area "
            "of the same name is 27-33 MUSD at the same 2,000 t/d, so no one block fits both; carbonhub "
            "costs no cooling tower (water KPIs only). The NETL IGCC process-water account (3.7, 11.8 "
            "MUSD2018 at 1,075 gpm, exponent 0.71) would cost this flow at 4.7 MUSD2007 (area about "
            "+36 %), but Swanson's utilities would fall to about -75 % (estimated by hand, not "
            "simulated)"),
    },
    ("waste_methanol_mto", "w2c_rotterdam_2018"): {
        "fci_meur_methanol_part": (
            "press estimate for a plant that buys O2 and H2 on an existing site: measured +53 % "
            "over W2C's battery limits (no ASU, shift, CO2 compression or MtO; each unit's own "
            "share of the FCI): DEA's sheet-98 e-methanol plant 141 of 306 MEUR, the NETL coal "
            "two-stage Selexol account 71 (W2C's H2-enriched gas needs less CO2 removal; its AGR "
            "technology is not published), NETL coal feed handling 30, Humbird biorefinery "
            "wastewater block 23. It was +67 % with the shift and CO2 compression in and the FCI "
            "shared out by installed cost (complete units given indirects)"),
    },
}


@pytest.fixture(scope="module")
def compared():
    """Compare each case once; cases with the same settings share one simulation."""
    sims, memo = {}, {}

    def get(route, case_id):
        if (route, case_id) not in memo:
            case = cases(route)[case_id]
            key = (route, repr(sorted((case.get("settings") or {}).items())),
                   repr(sorted((case.get("finance") or {}).items())), repr(case.get("solver")))
            if key not in sims:
                sims[key], _ = run_case(route, case_id)
            res = sims[key]
            assert (res.status == "ok").all(), res.status
            memo[route, case_id] = {r.figure: r for r in compare(route, case_id, res)}
        return memo[route, case_id]
    return get


def _params():
    out = []
    for route, case_id in _CASES:
        case = cases(route)[case_id]
        for name, fig in case["figures"].items():
            keys = ([f"{name}.{a}" for a in fig["value"]] if isinstance(fig["value"], dict)
                    else [name])
            for key in keys:
                marks = []
                why = KNOWN.get((route, case_id), {}).get(key)
                if why:
                    marks.append(pytest.mark.xfail(reason=why, strict=True))
                out.append(pytest.param(route, case_id, key, marks=marks,
                                        id=f"{route}-{case_id}-{key}"))
    return out


def test_every_route_has_two_references_from_different_papers():
    """Issue 13 item 5: >= 2 published cases per route, from different papers."""
    for route in ch.routes.names():
        sources = {c["source"] for c in cases(route).values()}
        assert len(sources) >= 2, (route, sources)


def test_docs_comparison_covers_every_case_with_the_yaml_figures():
    """docs/reference_cases.json (scripts/generate_docs.py reference-cases, shown in docs/routes.md) holds
    every case with the published values of the YAML; re-run the script after a change."""
    import json

    from carbonhub.data import project_root

    records = json.loads((project_root() / "docs" / "reference_cases.json").read_text())
    got = {(r["route"], r["case"]): {x["figure"]: x["paper"] for x in r["rows"]} for r in records}
    assert set(got) == set(_CASES)
    for route, case_id in _CASES:
        for name, fig in cases(route)[case_id]["figures"].items():
            vals = fig["value"] if isinstance(fig["value"], dict) else {None: fig["value"]}
            for area, v in vals.items():
                key = name if area is None else f"{name}.{area}"
                assert got[route, case_id][key] == pytest.approx(float(v)), (route, case_id, key)


def test_cases_carry_the_papers_own_settings():
    for route, case_id in _CASES:
        case = cases(route)[case_id]
        for key in ("source", "read_in", "verified", "paper", "settings", "figures"):
            assert key in case, (route, case_id, key)
        for key in ("feed_rate", "on_stream", "cost_year", "currency"):
            assert key in case["paper"], (route, case_id, key)
        for name, fig in case["figures"].items():
            assert fig["tolerance"] == {"yield": 0.10, "capital": 0.25, "msp": 0.20,
                                        "area": 0.35}[fig["kind"]], (route, case_id, name)


@pytest.mark.integration
@pytest.mark.parametrize("route, case_id, figure", _params())
def test_reference_figure(compared, route, case_id, figure):
    row = compared(route, case_id)[figure]
    if row.excluded:
        pytest.skip(f"excluded in the YAML: {row.excluded}")
    assert row.within, (f"{route}/{case_id} {figure}: carbonhub {row.carbonhub:.4g} vs paper "
                        f"{row.paper:.4g} ({100 * row.deviation:+.0f} %, tolerance "
                        f"±{100 * row.tolerance:.0f} %)")
