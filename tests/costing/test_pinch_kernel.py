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


def _cascade_in_stream_order(Ts, Tt, Q, dt):
    """The compiled kernel's documented arithmetic, written out in Python floats: shifted
    stream ends (idle streams at the case's top), intervals in descending order, each interval's
    net heat sum_j overlap_j CP_j over every stream in stream order from +0 (a stream outside the
    interval adds 0 x CP), the cascade, the hot utility lifting its lowest point to 0."""
    n, s = Ts.shape
    qh, qc, casc_all = np.empty(n), np.empty(n), np.empty((n, 2 * s))
    for i in range(n):
        half = dt[i] / 2.0
        hi, lo, cp = [], [], []
        for j in range(s):
            a, b, q = float(Ts[i, j]), float(Tt[i, j]), float(Q[i, j])
            sh = -half if a > b else half
            hi.append(max(a, b) + sh)
            lo.append(min(a, b) + sh)
            dT = abs(a - b)
            cp.append((q / (dT if dT > 0 else 1.0) if q > 0 else 0.0) * (1.0 if a > b else -1.0))
        own = [hi[j] for j in range(s) if Q[i, j] > 0]
        if own:
            for j in range(s):
                if not Q[i, j] > 0:
                    hi[j] = lo[j] = max(own)
        T = sorted(hi + lo, reverse=True)
        casc = [0.0]
        for k in range(2 * s - 1):
            net = 0.0
            for j in range(s):
                ov = min(hi[j], T[k]) - max(lo[j], T[k + 1])
                net += (ov if ov > 0.0 else 0.0) * cp[j]
            casc.append(casc[-1] + net)
        h = max(-min(casc), 0.0)
        casc_all[i] = [c + h for c in casc]
        qh[i], qc[i] = h, casc_all[i, -1]
    return qh, qc, casc_all


@pytest.mark.unit
@pytest.mark.parametrize("s", [1, 2, 9, 30])
def test_compiled_cascade_is_the_stream_order_sum_to_the_bit(s):
    """The kernel's cascade is the sum over every stream in stream order, to the bit (an
    infinite duty, which the wrapper refuses, makes its 0 x inf = NaN reach the cascade)."""
    rng = np.random.default_rng(100 + s)
    Ts, Tt, Q, dt = _case_set(rng, 60, s)
    Q[:2] = 0.0
    Q[2, 0] = np.inf  # a non-finite CP: its NaNs reach the cascade as in the full sum
    Tt[3, 0] = Ts[3, 0]  # a stream without a temperature change
    from carbonhub.costing._pinch_kernel import problem_table as kernel  # the wrapper refuses inf duties

    got_qh, got_qc, _, _, got_casc = kernel(Ts, Tt, Q, dt)
    with np.errstate(invalid="ignore"):
        qh, qc, casc = _cascade_in_stream_order(Ts, Tt, Q, dt)
    bits = lambda a: np.ascontiguousarray(a).view(np.int64)  # noqa: E731
    assert np.isnan(casc[2]).any() and (qh[5:] > 0).any()
    assert np.array_equal(bits(got_qh), bits(qh))
    assert np.array_equal(bits(got_qc), bits(qc))
    assert np.array_equal(bits(got_casc), bits(casc))
