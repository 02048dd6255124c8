"""``economics.maturity`` reaches the capital build-up: the process contingency of every unit
that does not state its own maturity (all route units; the site utilities state nth) is the
AACE 16R-90 band midpoint of the route's maturity (tea_defaults.yaml: foak 0.125), by hand.
Before this test every unit carried the base class's "nth", so the parameter had no effect."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.costing import flowsheet as glue

pytestmark = pytest.mark.integration


def test_foak_adds_the_process_contingency_of_the_route_units():
    fs = ch.routes.load("plastics_pyrolysis")
    res = fs.simulate(params={"economics.maturity": "foak"})
    res.kpis
    tea = res.tea
    rows = glue.unit_table(res)
    own = {r["unit_id"] for r in rows if r["maturity"] is None}
    assert own and {"cooling_tower", "cooling_tower.1"}.isdisjoint(own)
    base = sum(float(uc.installed_eur[0]) for u, uc in tea.unit_costs.items()
               if u in own and uc.basis != "fixed_capital")
    assert base > 0
    table = tea.category_table(0)
    assert float(table.loc[("capital", "process_contingency"), "value"]) == pytest.approx(0.125 * base, rel=1e-12)
    nth = ch.routes.load("plastics_pyrolysis").simulate()
    nth.kpis
    assert float(nth.tea.category_table(0).loc[("capital", "process_contingency"), "value"]) == 0.0
    assert float(np.asarray(tea.capital.fci).ravel()[0]) > float(np.asarray(nth.tea.capital.fci).ravel()[0])
