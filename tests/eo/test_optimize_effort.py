"""An optimisation ends after a bounded effort with a clear status (why eo.pareto could run for
half an hour: a point whose CO2 limit is out of reach of its first trust region only shrank
the region, step after step, each step a full SLSQP run of twin solves)."""
from __future__ import annotations

import pytest

import carbonhub as ch
from carbonhub.eo import OptimizationError


@pytest.mark.integration
@pytest.mark.solver
def test_effort_limit_ends_with_a_clear_status():
    fs = ch.routes.load("biomass_ft")
    with pytest.raises(OptimizationError, match=r"effort limit reached: 2 twin solves \(max_solves\)"):
        ch.eo.optimize(fs, "msp", {"gasifier.T": (1100.0, 1250.0)}, max_solves=2, verify=False)


@pytest.mark.unit
def test_unknown_objective_is_refused_before_any_model_is_built():
    fs = ch.routes.load("biomass_ft")
    with pytest.raises(OptimizationError, match="objective 'cost'"):
        ch.eo.optimize(fs, "cost", {"gasifier.T": (1100.0, 1250.0)})
