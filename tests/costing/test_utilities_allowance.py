"""Cooling water and site utilities as an allowance (``economics.utilities_allowance_frac``):
the replaced rows cost nothing where the allowance is on, the allowance is the fraction of the
other installed-basis rows, and the factored build-up sees it as outside battery limits."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.costing import Economics, evaluate_tea
from carbonhub.costing.utilities_allowance import ALLOWANCE_ID, apply_utilities_allowance

N = 3


def _units():
    declared = lambda uid, eur, **kw: {"unit_id": uid, "item": "declared",  # noqa: E731
                                        "installed_cost": np.full(N, eur), "cost_currency": "EUR",
                                        "cost_year": 2023, **kw}
    return [declared("gasifier", 100e6), declared("ft", 50e6),
            {"unit_id": "loop", "item": "declared", "fixed_capital_cost": np.full(N, 30e6),
             "cost_currency": "EUR", "cost_year": 2023},
            declared("cooling_tower", 4e6, osbl=True), declared("cooling_tower.1", 1e6, osbl=True),
            declared("site_utilities", 2e6, osbl=True)]


def _tea(frac):
    return evaluate_tea(_units(), {"electricity_MWh_per_y": np.full(N, 1e4)},
                        {"methanol": np.full(N, 5e4)}, main_product="methanol",
                        economics=Economics(utilities_allowance_frac=frac))


@pytest.mark.component
def test_allowance_replaces_the_utility_rows_by_a_fraction_of_the_other_installed_costs():
    frac = np.array([0.0, 0.12, 0.05])
    r, base = _tea(frac), _tea(0.0)
    uc = r.unit_costs
    # where on: the cooling tower and site utilities cost nothing and name the allowance
    for uid in ("cooling_tower", "cooling_tower.1", "site_utilities"):
        np.testing.assert_allclose(uc[uid].installed_eur, base.unit_costs[uid].installed_eur * (frac == 0))
        assert list(uc[uid].included_in[1:]) == [ALLOWANCE_ID] * 2
    # the allowance: frac x (gasifier + FT), hand arithmetic; the all-in loop is no installed cost
    np.testing.assert_allclose(uc[ALLOWANCE_ID].installed_eur, frac * 150e6, rtol=1e-12)
    # the TIC of the paper's method: the other areas times (1 + frac), or the equipment where off
    tic = r.capital["total_installed"]
    np.testing.assert_allclose(tic, np.where(frac > 0, 150e6 * (1 + frac), 157e6), rtol=1e-12)
    # outside battery limits: the ISBL factors (warehouse, site, piping) do not apply to it
    np.testing.assert_allclose(r.capital["isbl_installed"], 150e6, rtol=1e-12)
    assert r.capital_by_area()["utilities"][1] == pytest.approx(0.12 * 150e6, rel=1e-12)


@pytest.mark.component
def test_zero_allowance_changes_nothing():
    a, b = _tea(0.0), evaluate_tea(_units(), {"electricity_MWh_per_y": np.full(N, 1e4)},
                                   {"methanol": np.full(N, 5e4)}, main_product="methanol")
    assert ALLOWANCE_ID not in a.unit_costs
    np.testing.assert_array_equal(a.msp_eur_per_t, b.msp_eur_per_t)


@pytest.mark.unit
@pytest.mark.parametrize("bad", [-0.1, 1.0, np.nan])
def test_bad_fraction_is_one_clear_line(bad):
    with pytest.raises(ValueError, match=r"economics.utilities_allowance_frac = .*expected a fraction in \[0, 1\)"):
        apply_utilities_allowance([], {}, bad)
