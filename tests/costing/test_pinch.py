"""Pinch targeting (problem table): a published four-stream textbook example reproduced exactly,
an energy-balance identity, vectorisation over cases, composite curves, and the routes' targets
never above their unintegrated utilities."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.costing.pinch import composite_curves, problem_table

# Kemp, I.C. (2007), Pinch Analysis and Process Integration, 2nd ed., section 2.3: the
# four-stream example (Linnhoff et al. 1982 User Guide). Temperatures [degC], CP [kW/K]:
#   1 cold 20 -> 135, CP 2.0 (230 kW)      2 hot 170 -> 60, CP 3.0 (330 kW)
#   3 cold 80 -> 140, CP 4.0 (240 kW)      4 hot 150 -> 30, CP 1.5 (180 kW)
# dT_min = 10 K: minimum hot utility 20 kW, cold utility 60 kW, pinch at 90 degC (hot) /
# 80 degC (cold), 85 degC shifted.
TS = np.array([20.0, 170.0, 80.0, 150.0])
TT = np.array([135.0, 60.0, 140.0, 30.0])
Q = np.array([230.0, 330.0, 240.0, 180.0])


@pytest.mark.unit
def test_kemp_four_stream_example_exactly():
    t = problem_table(TS, TT, Q, dt_min=10.0)
    assert float(t.hot_utility_min[0]) == 20.0 and float(t.cold_utility_min[0]) == 60.0
    assert float(t.pinch_shifted[0]) == 85.0
    # the problem table worked by hand (shifted 165, 145, 140, 85, 55, 25 degC; interval
    # surpluses +60, +2.5, -82.5, +75, -15 kW), cascaded with the 20 kW hot utility
    # (boundaries shared by two streams repeat as zero-width intervals: same cascade value)
    at = {}
    for T, c in zip(t.T_shifted[0], t.cascade[0]):
        assert at.setdefault(float(T), float(c)) == pytest.approx(float(c), abs=1e-12)
    assert list(at) == [165.0, 145.0, 140.0, 85.0, 55.0, 25.0]
    np.testing.assert_allclose(list(at.values()), [20.0, 80.0, 82.5, 0.0, 75.0, 60.0], atol=1e-12)


@pytest.mark.unit
def test_vectorised_over_cases_and_the_balance_identity():
    dts = np.array([0.0, 10.0, 20.0, 30.0])
    n = len(dts)
    t = problem_table(np.tile(TS, (n, 1)), np.tile(TT, (n, 1)), np.tile(Q, (n, 1)), dts)
    for i, dt in enumerate(dts):
        one = problem_table(TS, TT, Q, dt)
        assert float(t.hot_utility_min[i]) == pytest.approx(float(one.hot_utility_min[0]), abs=1e-12)
    # first law: cold utility - hot utility = heat of the hot streams - heat of the cold streams
    np.testing.assert_allclose(t.cold_utility_min - t.hot_utility_min, (330 + 180) - (230 + 240))
    assert (np.diff(t.hot_utility_min) >= 0).all() and t.hot_utility_min[0] < t.hot_utility_min[-1]
    with pytest.raises(ValueError, match="different supply and target"):
        problem_table([50.0], [50.0], [1.0])


@pytest.mark.unit
def test_a_stream_without_duty_in_a_case_does_not_move_its_pinch():
    # a batch's stream table holds every case's streams; one with no duty in a case (another
    # case's heater) still brings its temperatures to that case's grid. A threshold problem (no
    # pinch: the hot streams alone) and Kemp's example, each with a zero-duty stream above,
    # inside and below their range, keep their pinch (none / 85 degC) and their targets
    extra_ts, extra_tt = np.array([400.0, 100.0, 5.0]), np.array([390.0, 70.0, 1.0])
    for ts, tt, q, pinch in ((TS[[1, 3]], TT[[1, 3]], Q[[1, 3]], np.nan), (TS, TT, Q, 85.0)):
        alone = problem_table(ts, tt, q, dt_min=10.0)
        wide = problem_table(np.r_[ts, extra_ts], np.r_[tt, extra_tt], np.r_[q, 0.0, 0.0, 0.0], dt_min=10.0)
        np.testing.assert_equal(wide.pinch_shifted, [pinch])
        np.testing.assert_equal(alone.pinch_shifted, [pinch])
        assert float(wide.hot_utility_min[0]) == pytest.approx(float(alone.hot_utility_min[0]), abs=1e-12)
        assert float(wide.cold_utility_min[0]) == pytest.approx(float(alone.cold_utility_min[0]), abs=1e-12)


@pytest.mark.unit
def test_composite_curves_touch_at_dt_min():
    Hh, Th, Hc, Tc = composite_curves(TS, TT, Q, dt_min=10.0)
    assert Hh[-1] == pytest.approx(510.0) and Hc[-1] - Hc[0] == pytest.approx(470.0)
    assert Hc[0] == pytest.approx(60.0)  # the cold curve starts at the minimum cold utility
    lo, hi = max(Hh[0], Hc[0]), min(Hh[-1], Hc[-1])
    H = np.unique(np.r_[np.linspace(lo, hi, 201), Hh[(Hh >= lo) & (Hh <= hi)], Hc[(Hc >= lo) & (Hc <= hi)]])
    gap = np.interp(H, Hh, Th) - np.interp(H, Hc, Tc)
    assert gap.min() == pytest.approx(10.0, abs=1e-6)
