"""Fixtures of the report tests: results of the toy flowsheet of ``report_toy``."""
from __future__ import annotations

import numpy as np
import pytest
from report_toy import FAILED_CASE, FAILED_REASON, N_MULTI, attach_costs, build_toy


@pytest.fixture(scope="module")
def toy():
    return build_toy()


@pytest.fixture(scope="module")
def res1(toy):
    return toy.simulate()


@pytest.fixture(scope="module")
def res_costs():
    res = build_toy().simulate()
    attach_costs(res)
    return res


@pytest.fixture(scope="module")
def res_multi(toy):
    res = toy.simulate(params={"loop.fraction": np.linspace(0.05, 0.5, N_MULTI)})
    status = np.array(res.status, dtype=object)
    status[FAILED_CASE] = FAILED_REASON
    res.status = status.astype(str)
    return res
