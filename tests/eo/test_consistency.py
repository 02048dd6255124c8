"""The pieces of the optimiser's first-order correction (carbonhub.eo.consistency), by hand."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.eo.consistency import FD_REL_STEP, fd_points, merit, pick_slopes, violation


@pytest.mark.unit
def test_difference_points_stay_inside_the_twins_window():
    x = {"a": 5.0, "b": 10.0}
    cols, pairs = fd_points(x, {"a": (0.0, 10.0), "b": (0.0, 10.0)}, {"a": 10.0, "b": 10.0})
    h = FD_REL_STEP * 10.0
    # case 0 is the point; "a" central (5 +- h), "b" at its window's top: backward only
    np.testing.assert_allclose(cols["a"], [5.0, 5.0 + h, 5.0 - h, 5.0, 5.0])
    np.testing.assert_allclose(cols["b"], [10.0, 10.0, 10.0, 10.0, 10.0 - h])
    assert pairs[0][2] == pytest.approx(2 * h) and pairs[1][2] == pytest.approx(h)


@pytest.mark.unit
def test_a_kink_takes_the_slope_of_the_twins_side():
    # forward slope 1.0, backward -0.5: a kink between the difference points
    entry = (0.0, np.array([0.25, 2.0]), np.array([1.0, 2.0]), np.array([-0.5, 2.0]))
    # the twin's side x net grows forward in x0: the forward slope; backward: the backward one
    np.testing.assert_allclose(pick_slopes(entry, [np.array([3.0, 0.0])]), [1.0, 2.0])
    np.testing.assert_allclose(pick_slopes(entry, [np.array([-3.0, 0.0])]), [-0.5, 2.0])
    # no regime to choose by: the central difference
    np.testing.assert_allclose(pick_slopes(entry, []), [0.25, 2.0])


@pytest.mark.unit
def test_merit_and_violation_by_hand():
    vals = {"msp_eur_per_t": 1500.0, "npv_eur": 2e8, "co2_emitted_t_per_y": 4e4}
    scales = {k: abs(v) for k, v in vals.items()}
    assert merit("msp", vals, scales) == 1500.0
    assert merit("npv", vals, scales) == -2e8  # maximised: minimised as -NPV
    assert merit({"msp": 1.0, "co2": 0.5}, vals, scales) == pytest.approx(1.5)
    assert violation({"co2_emitted_t_per_y": (None, 3e4)}, vals) == pytest.approx(1e4 / 3e4)
    assert violation({"co2_emitted_t_per_y": (1e4, 5e4)}, vals) == 0.0
