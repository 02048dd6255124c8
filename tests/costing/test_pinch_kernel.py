"""The compiled problem table (costing/_pinch_kernel.py) gives the numpy reference's numbers:
random stream sets of 1-40 streams (hot, cold, zero duties, shared temperatures, per-case
dt_min). Kemp's four-stream example (tests/costing/test_pinch.py) runs on the default engine."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.costing.pinch import problem_table


def _case_set(rng, n: int, s: int):
    Ts = rng.choice(np.arange(300.0, 700.0, 10.0), (n, s))  # on a grid: temperatures shared
    Tt = Ts + rng.choice([-1, 1], (n, s)) * rng.choice(np.arange(1.0, 200.0, 10.0), (n, s))
    Q = rng.uniform(0.0, 5e7, (n, s)) * (rng.uniform(size=(n, s)) > 0.2)  # some streams idle
    dt = rng.uniform(0.0, 30.0, n)
    return Ts, Tt, Q, dt


@pytest.mark.unit
@pytest.mark.parametrize("s", [1, 3, 8, 9, 17, 40])
def test_engines_agree(s):
    rng = np.random.default_rng(s)
    Ts, Tt, Q, dt = _case_set(rng, 200, s)
    Q[:3] = 0.0  # a case without duties: no utilities, no pinch
    a = problem_table(Ts, Tt, Q, dt, engine="numpy")
    b = problem_table(Ts, Tt, Q, dt, engine="numba")
    for name in ("hot_utility_min", "cold_utility_min", "T_shifted", "cascade"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.shape == y.shape, name
        scale = np.abs(Q).sum(axis=1) if name != "T_shifted" else 1000.0
        np.testing.assert_allclose(x, y, rtol=1e-13, atol=1e-13 * np.max(scale), err_msg=name)
    np.testing.assert_array_equal(a.pinch_shifted, b.pinch_shifted)
