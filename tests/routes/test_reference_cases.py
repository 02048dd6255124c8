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

_TECH_GASIFIER = ("technology differs: the paper's indirectly heated gasifier needs no ASU (carbonhub's "
                  "O2-blown route counts its ASU here) and carbonhub's block is the O2/steam fluidised-bed "
                  "area of Swanson et al. 2010 (28.2 MUSD2007 at 2,000 t/d), twice the paper's indirect "
                  "gasifier area: measured +158 %")
_AGORA_LOOP = ("carbonhub's methanol block is Agora's (2018) all-in power-to-methanol unit incl. "
               "distillation (reference_plants.yaml methanol_synthesis_loop), scaled linearly; DEA's "
               "figure is for other battery limits and another scale: measured -42 %")
_NO_REFORMER = ("no reformer for the gasifier's CH4 in the route: ~1/4 of the make-up gas LHV is purged "
                "(flowsheets/biomass_methanol.yaml reference_case.tolerance_justification)")
_YIELD = ("yield: (i) the route's FT loop purges 20 % of the tail gas to the boiler (5 % would "
          "add ~10 %: HT case 44.8 -> 49.2 GGE/dry US ton measured), (ii) its C1-C4 and, in the LT "
          "case, the gasifier's CH4 (8 % of the carbon) are burnt, not reformed as in the paper, "
          "(iii) the corn_stover record (stalks, C 41.9 %, HHV 16.5 MJ/kg) may hold less carbon "
          "than the paper's stover, whose analysis could not be read")
_CLEANUP = ("NETL coal-IGCC two-stage Selexol (64-69 MUSD2007) and sour-shift (33 MUSD2007) accounts "
            "scaled to the biomass plant for the route's physical-solvent AGR; the paper's area (which "
            "also holds its tar reformer) is below any physical-solvent estimate found (Larson et al. "
            "2009's Rectisol, 122 MUSD2003 at 4,545 t/d, secondary) and its AGR technology could not "
            "be read (an amine would be costed by acid_gas_removal_amine): measured +234 % (LT), "
            "+205 % (HT)")
_FT = ("FT reactor block (Larson et al. 2009 via a secondary compilation, unverified; reactors only, "
       "the paper's area also holds syngas compression, recycle and product recovery): measured "
       "-57 % (LT), -44 % (HT)")
_ASU = ("NETL ASU account (IDAES 4.3.a, 37.9 MUSD2018 for 4,358 short t/d O2, ~8.7 kUSD per t/d) "
        "against a biomass-plant ASU; no biomass ASU cost with its O2 rate could be read: "
        "measured -61 % (LT), -54 % (HT)")
KNOWN = {
    ("biomass_ft", "swanson_2010_lt"): {
        "fuel_yield_gge_per_dry_short_ton": _YIELD,
        "area_musd.syngas_cleanup": _CLEANUP,
        "area_musd.fuel_synthesis": _FT,
        "area_musd.air_separation": _ASU,
    },
    ("biomass_ft", "swanson_2010_ht"): {
        "fuel_yield_gge_per_dry_short_ton": _YIELD,
        "msp_usd_per_gge": "MSP follows the yield deficit above (capital now within 2 %): measured +30 %",
        "area_musd.syngas_cleanup": _CLEANUP,
        "area_musd.fuel_synthesis": _FT,
        "area_musd.air_separation": _ASU,
    },
    ("biomass_ft", "dea_2020_85"): {
        "liquids_efficiency_lhv": "DEA's 25 % liquids per unit input is far below Swanson et al.'s "
                                  "entrained-flow plant (~41 %); the sheet gives no flowsheet to follow",
    },
    ("biomass_methanol", "dea_2020_97"): {
        "methanol_efficiency_lhv": _NO_REFORMER,
        "specific_investment_meur_per_mw": (
            "measured -34 % since the gasifier block is Swanson et al.'s verified area (the "
            "unverified Larson block, 2.3x dearer, had kept it at -23 %); DEA's plant (22 dry t/h) "
            "is a quarter of the NREL reference size, so the blocks' exponents (0.6-0.8, the "
            "gasifier's 0.7 assumed) carry most costs far from their reference; the NETL ASU "
            "(0.4-0.5x a biomass-plant ASU) and the missing reformer add to it; DEA's sheet gives no "
            "area breakdown to locate the rest"),
    },
    ("biomass_methanol", "phillips_2011"): {
        "area_musd.gasification": _TECH_GASIFIER,
        "area_musd.syngas_cleanup": "NETL Selexol and shift accounts for coal (the paper: amine AGR, "
                                    "LO-CAT and tar reformer): measured +119 %",
        "area_musd.methanol_synthesis": (
            "with the paper's nth-plant scope (converter as a Turton vessel, a lower bound, and the "
            "loop item by item): measured +44 %, of which the feed-effluent exchanger (Turton floating "
            "head, 10 trains, 5.6 MUSD2007, on since the route turned it on) is the largest item; the "
            "all-in Agora block gave 14.8x"),
        "area_musd.utilities": "Humbird biological wastewater treatment scaled to this plant against "
                               "the paper's cooling water and other utilities (no WWT area there): "
                               "measured 4.4x",
    },
    ("co2_methanol_mto", "dea_2020_98"): {
        "area_meur.methanol_synthesis": _AGORA_LOOP,
    },
    ("waste_methanol_mto", "w2c_rotterdam_2018"): {
        "fci_meur_methanol_part": "press estimate for a plant that buys O2 and H2 on an existing site; "
                                  "carbonhub's route has an ASU, shift and NETL-scaled cleanup "
                                  "(Selexol, shift): measured +53 %",
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
