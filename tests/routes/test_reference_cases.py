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

_EF_COOLER = ("entrained-flow case (gasifier.type = entrained_flow): the EF block (van Vliet et al. 2009 via a "
              "secondary compilation, unverified) plus the NETL coal-IGCC radiant syngas cooler account for the "
              "1,300 degC gas (61 MUSD2007); whether the EF figure already holds a syngas cooler or the paper "
              "quenches is not known (refs: verify, then set includes)")
_TECH_GASIFIER = ("technology differs: the paper's indirectly heated gasifier needs no ASU (carbonhub's "
                  "O2-blown route counts its ASU here), and carbonhub's fluidised-bed block (Larson et "
                  "al. 2009, incl. its syngas cooler; unverified) is itself 2.3x Swanson et al.'s area")
_AGORA_LOOP = ("carbonhub's methanol block is Agora's (2018) all-in power-to-methanol unit incl. "
               "distillation (reference_plants.yaml methanol_synthesis_loop), scaled with its own "
               "exponent; the DEA and NREL figures are for other battery limits and scales")
_PER_MW = ("-40 % (was -23 % without the tar reformer): the reformer raises the methanol output by 43 % "
           "(methanol efficiency now 0.62 against DEA's 0.58) while the capital grows by the small reformer "
           "block and the flow-scaled cleanup only, so capital per MW of methanol falls below DEA's screening "
           "figure; DEA's battery limits (district heat and power co-products) are not stated in detail")
_YIELD_LT = ("yield +30 % (was -17 % without a reformer): carbonhub's tar reformer (NREL 2012-target "
             "conversions) reforms the gasifier's CH4 and the FT C1-C4, and the tail-gas purge not burnt in the "
             "reformer's combustor (55 %) is recycled to it; the paper burns part of its tail gas in a power island "
             "and exports electricity (a technology not modelled: boiler_fuel.fraction = 0), so it makes fewer "
             "liquids")
_YIELD_HT = ("yield -12 % (was -26 %): the FT tail gas is recycled through the reformer at the gasifier "
             "temperature (standing for the paper's recycle to the gasifier); what remains: the FT loop purges "
             "20 % of its gas, of which 29 % is burnt to heat the recycle, and the corn_stover record (stalks, "
             "C 41.9 %) may hold less carbon than the paper's stover, whose analysis could not be read")
_MORE_LIQUIDS = ("capital follows the larger liquids make and the tail-gas recycle through cleanup (+30 % yield, "
                 "see the yield figure) on top of the NETL coal cleanup accounts (issue 13 item 1)")
KNOWN = {
    ("biomass_ft", "swanson_2010_lt"): {
        "fuel_yield_gge_per_dry_short_ton": _YIELD_LT,
        "tic_musd": _MORE_LIQUIDS, "fci_musd": _MORE_LIQUIDS, "tci_musd": _MORE_LIQUIDS,
        "area_musd.hydroprocessing": "hydrocracker block sized on a liquids make 30 % above the paper's",
        "area_musd.gasification": "the fluidised-bed block (Larson et al. 2009, GTI gasifier incl. cyclone and "
                                  "syngas cooler, unverified) is 2.3x the paper's gasification area",
        "area_musd.syngas_cleanup": "NETL two-stage Selexol and shift accounts for coal (issue 13 item 1)",
        "area_musd.fuel_synthesis": "FT reactor block (Larson et al. 2009, unverified) below the paper's",
        "area_musd.air_separation": "NETL ASU account against a biomass-plant ASU (issue 13 item 1)",
    },
    ("biomass_ft", "swanson_2010_ht"): {
        "fuel_yield_gge_per_dry_short_ton": _YIELD_HT,
        "area_musd.hydroprocessing": "hydrocracker block (Knorr et al. 2013, HTL oil) scaled to the FT wax: +36 %",
        "tic_musd": _EF_COOLER, "fci_musd": _EF_COOLER, "tci_musd": _EF_COOLER,
        "msp_usd_per_gge": "MSP follows the capital excess and the yield deficit above",
        "area_musd.gasification": _EF_COOLER,
        "area_musd.syngas_cleanup": "NETL two-stage Selexol and shift accounts for coal (issue 13 item 1)",
        "area_musd.fuel_synthesis": "FT reactor block (Larson et al. 2009, unverified) below the paper's",
        "area_musd.air_separation": "NETL ASU account against a biomass-plant ASU (issue 13 item 1)",
    },
    ("biomass_ft", "dea_2020_85"): {
        "liquids_efficiency_lhv": "DEA's 25 % liquids per unit input is far below Swanson et al.'s "
                                  "entrained-flow plant (~41 %); the sheet gives no flowsheet to follow "
                                  "(carbonhub 48 % with its tail gas recycled through the reformer)",
    },
    ("biomass_methanol", "dea_2020_97"): {
        "specific_investment_meur_per_mw": _PER_MW,
    },
    ("biomass_methanol", "phillips_2011"): {
        "area_musd.gasification": _TECH_GASIFIER,
        "area_musd.syngas_cleanup": "NETL Selexol, shift, Claus and CO2 compression accounts for coal "
                                    "(issue 13 item 1); the paper removes CO2 with amine and vents it",
        "area_musd.methanol_synthesis": _AGORA_LOOP,
        "area_musd.utilities": "Humbird biological wastewater treatment scaled to this plant against "
                               "the paper's cooling water and other utilities (no WWT area there)",
    },
    ("co2_methanol_mto", "dea_2020_98"): {
        "area_meur.methanol_synthesis": _AGORA_LOOP,
    },
    ("waste_methanol_mto", "w2c_rotterdam_2018"): {
        "fci_meur_methanol_part": "press estimate for a plant that buys O2 and H2 on an existing site; "
                                  "carbonhub's route has an ASU, shift and NETL-scaled cleanup "
                                  "(issue 13 item 1)",
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
    """docs/reference_cases.json (scripts/reference_cases.py, shown in docs/routes.md) holds
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
