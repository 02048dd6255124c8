"""A case on Broyden steps that stalls or diverges has its slopes measured again at its best
iterate (:meth:`carbonhub.core.recycle.TearAccelerator.refresh`, forward differences over copies of
the case inside the narrowed, partly converged iteration): the measured columns, the same converged
state as without, a case alone as in its batch."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core import recycle, slopes

from test_recycle import assert_alone_as_in_batch, assert_same, loop_cases, methanol_loop


@pytest.mark.unit
def test_jacobian_on_the_active_columns_measures_only_those():
    """g(x) = A x + b with x's third variable not read by the map: J over ``act`` (0, 1, 3) equals
    the whole J in those columns (S^-1 A S), is zero in the other, and the pass is run on
    len(act) + 1 copies of each row (not d + 1)."""
    rng = np.random.default_rng(21)
    widths = [5]
    A = np.zeros((5, 5))
    A[:3, :3] = rng.uniform(-0.5, 0.5, (3, 3))  # flows mix; T and P each on its own
    A[3, 3], A[4, 4] = 0.4, 0.9
    A[:, 2] = 0.0  # no unit reads the third flow
    b = rng.uniform(1, 2, 5) * np.array([1.0, 1.0, 1.0, 300.0, 1e6])
    X = rng.uniform(1, 3, (3, 5)) * np.array([1.0, 1e-3, 1.0, 300.0, 1e6])
    seen = []

    def tear_pass(rows, Xp):
        seen.append(rows.size)
        return Xp @ A.T + b

    cols = np.arange(5)
    act = np.array([0, 1, 3, 4])
    J = slopes.jacobian(tear_pass, X, cols, widths, act=act)
    full = slopes.jacobian(tear_pass, X, cols, widths)
    assert seen == [3 * 5, 3 * 6]
    assert np.array_equal(J[:, :, act], full[:, :, act])
    assert not J[:, :, 2].any()
    for i in range(3):
        S = X[i]  # each flow its own size (above the floor), T and P themselves
        np.testing.assert_allclose(J[i][:, act], (A * S[None, :] / S[:, None])[:, act], rtol=1e-6, atol=1e-8)


def _counting(monkeypatch):
    got = []
    real = recycle.TearAccelerator.refresh

    def refresh(self, H, S, xn):
        got.append(self.wanted.size)
        return real(self, H, S, xn)

    monkeypatch.setattr(recycle.TearAccelerator, "refresh", refresh)
    return got


@pytest.mark.component
def test_refreshed_slopes_reach_the_same_state_alone_as_in_the_batch(monkeypatch):
    """Every case has its slopes measured again at its best iterate
    (REFRESH_STALL = 0: at its second pass): the loop (narrowed to the components it carries) converges in every case
    to the state it reaches without any refresh (1e-9), balances close (1e-9 / 1e-6), and a case
    alone takes the same passes and gives its batch's streams (1e-10)."""
    fs = methanol_loop(exchanger_tears=("reactor_effluent", "meoh_recycle"))
    p = loop_cases(40, seed=31)
    monkeypatch.setattr(slopes, "REFRESHES", 0)
    plain = fs.simulate(params=p, costing=False)
    monkeypatch.setattr(slopes, "REFRESHES", 1)
    monkeypatch.setattr(recycle, "REFRESH_STALL", 0)
    got = _counting(monkeypatch)
    res = fs.simulate(params=p, costing=False)
    assert sum(got) > 0, "no case was refreshed: the test does not reach the refresh"
    assert res.ok.all() and plain.ok.all()
    res.check_balances(mass_tol=1e-9, energy_tol=1e-6)
    for i in range(40):
        assert_same(res, plain, i, i, 1e-9)
    key = ",".join(t for u, ts in fs.order() for t in ts)
    assert_alone_as_in_batch(fs, p, res, key, (0, 13, 39))


@pytest.mark.component
def test_the_numpy_reference_refreshes_to_the_same_state(monkeypatch):
    """``CARBONHUB_NUMBA=0``: the refresh's inverse and step on numpy; the same converged loop as
    the compiled kernels (1e-9)."""
    monkeypatch.setattr(recycle, "REFRESH_STALL", 0)
    fs = methanol_loop(exchanger_tears=("reactor_effluent", "meoh_recycle"))
    p = loop_cases(12, seed=32)
    a = fs.simulate(params=p, costing=False)
    got = _counting(monkeypatch)
    monkeypatch.setenv("CARBONHUB_NUMBA", "0")
    fs.guess_points = None
    b = fs.simulate(params=p, costing=False)
    assert sum(got) > 0 and a.ok.all() and b.ok.all()
    for i in range(12):
        assert_same(a, b, i, i, 1e-9)
