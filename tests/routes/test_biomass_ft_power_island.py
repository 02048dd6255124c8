"""biomass_ft's Swanson et al. (2010) low-temperature case with its FT tail gas burnt for power:
the power island the paper has (it buys no electricity and exports some, DOE BETO Biofuels TEA
Database, sheet "Gasification IDL", rows 81 and 83) lowers the liquids but cannot bring the
yield within the issue's +-10 % of the paper's 47.21 GGE per dry short ton (row 15). This is
the measured fact behind the strict xfail of the yield in tests/routes/test_reference_cases.py:
the paper's split could not be read, and even the largest split leaves the yield above the
tolerance (measured +10.5 %, a thin margin: when a change brings it inside, the split may
explain the yield after all and the paper's own split is worth finding), so the split alone is
not the cause."""
from __future__ import annotations

import pytest

import carbonhub as ch
from carbonhub.report.reference_cases import cases, compare


@pytest.mark.integration
def test_all_tail_gas_to_power_leaves_the_lt_yield_above_the_paper():
    case = cases("biomass_ft")["swanson_2010_lt"]
    params = dict(case["settings"], **{"boiler_fuel.fraction": 1.0, "prices.steam_credit_rule": "condensing_turbine"})
    res = ch.routes.load("biomass_ft").simulate(params=params)
    assert (res.status == "ok").all(), res.status
    k = res.kpis
    # with all the tail-gas purge the reformer does not need burnt for power, the plant exports
    # electricity, as the paper's does
    assert float(k["steam_turbine_MW"].iloc[0] - k["electricity_MW"].iloc[0]) > 0
    row = {r.figure: r for r in compare("biomass_ft", "swanson_2010_lt", res)}["fuel_yield_gge_per_dry_short_ton"]
    assert row.paper == pytest.approx(47.209, abs=1e-3)
    assert row.deviation > row.tolerance  # still above the paper by more than 10 %
