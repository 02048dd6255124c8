"""core.unit.Unit.resolve: a unit's number parameters for a batch, read-only, one value per case,
each the value set for that case (a copy: the caller's array is not shared), a scalar repeated."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.unitops.basic import Heater

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("idx", [None, np.arange(6), np.array([4, 0, 5]), np.array([2])])
def test_resolved_number_parameters_are_read_only_copies_of_each_cases_value(idx):
    n_all = 6
    T = np.array([400.0, 450.0, -0.0, 500.0, 525.0, 610.0])  # -0.0: the bits, not only the value
    h = Heater("h", T=300.0)
    n = n_all if idx is None else idx.size
    p = h.resolve({"T": T}, n, idx)
    want = (T if idx is None else T[idx]).copy()
    got = p.T
    assert got.shape == (n,) and got.dtype == np.float64
    assert got.tobytes() == want.tobytes()
    with pytest.raises(ValueError):
        got[0] = 1.0  # read-only
    T[:] = 1.0  # the caller's array changed after: the resolved values are a copy
    assert got.tobytes() == want.tobytes()


def test_a_scalar_parameter_is_repeated_for_every_case():
    h = Heater("h", T=612.25)
    got = h.resolve({}, 4).T
    assert got.shape == (4,) and got.dtype == np.float64
    assert got.tobytes() == np.array([612.25] * 4).tobytes()
    h.set("T", 480.5)
    assert h.resolve({}, 3).T.tobytes() == np.array([480.5] * 3).tobytes()
