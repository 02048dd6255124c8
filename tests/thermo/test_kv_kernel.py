"""The compiled K-value kernels (numba) and the numpy reference give the same answers:
ln K, Rachford-Rice, bubble and dew points (CARBONHUB_NUMBA=0 selects the reference)."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.thermo.engine import use_numba
from carbonhub.thermo.kvalues import KValueModel, bubble_temperature, dew_temperature, rachford_rice

pytest.importorskip("numba")


@pytest.fixture(scope="module")
def model():
    return KValueModel(ch.ComponentSet.default())


@pytest.fixture(scope="module")
def states(model):
    rng = np.random.default_rng(0)
    n, k = 400, len(model.ids)
    T = rng.uniform(150.0, 900.0, n)  # inside and outside the DIPPR and Henry ranges
    P = rng.uniform(1e4, 1e7, n)
    z = rng.uniform(0.0, 1.0, (n, k)) * (rng.uniform(size=(n, k)) < 0.3)
    z[:5] = 0.0
    z[:5, 0] = 1.0  # single components
    return T, P, z / z.sum(axis=1, keepdims=True)


@pytest.mark.unit
def test_lnK_kernel_equals_numpy(model, states):
    T, P, _ = states
    a, b = model.lnK(T, P, engine="numpy"), model.lnK(T, P, engine="numba")
    assert (np.isneginf(a) == np.isneginf(b)).all()
    fin = np.isfinite(a)
    np.testing.assert_allclose(b[fin], a[fin], rtol=0, atol=1e-12)


@pytest.mark.unit
@pytest.mark.parametrize("engine", ["numba", "numpy"])
def test_lnK_of_some_components_equals_those_columns(model, states, engine):
    """``cols`` (the components present in a flash) gives exactly those columns of the full
    evaluation, in the given order."""
    T, P, _ = states
    cols = np.array([7, 0, 3, len(model.ids) - 1, 12])
    full = model.lnK(T, P, engine=engine)
    np.testing.assert_array_equal(model.lnK(T, P, engine=engine, cols=cols), full[:, cols])


@pytest.mark.unit
def test_latent_heat_kernel_equals_numpy(model, states):
    T, _, _ = states
    a, b = model.latent_heat(T, engine="numpy"), model.latent_heat(T, engine="numba")
    np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-9)
    assert (a > 1e3).sum() > 1000  # Raoult components exercised, inside and outside their ranges


@pytest.mark.unit
def test_rachford_rice_kernel_equals_numpy(model, states):
    T, P, z = states
    K = np.exp(model.lnK(T, P, engine="numpy"))
    a, _ = rachford_rice(z, K, engine="numpy")
    b, _ = rachford_rice(z, K, engine="numba")
    np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-14)
    assert ((a > 0) & (a < 1)).sum() > 50  # two-phase cases are exercised


@pytest.mark.unit
@pytest.mark.parametrize("fun", [bubble_temperature, dew_temperature])
def test_phase_point_kernel_equals_numpy(model, states, fun):
    _, P, z = states
    liq = np.where(model.method >= 2, 0.0, z)  # no non-condensable / non-volatile part
    Ta, oka = fun(model, liq, P, engine="numpy")
    Tb, okb = fun(model, liq, P, engine="numba")
    assert (oka == okb).all() and oka.sum() > 300
    # both iterate to 1e-10 in 1/T (the reference stops on the bracket width)
    np.testing.assert_allclose(Tb[oka], Ta[oka], rtol=5e-10)
    # the point found is the root: sum x K = 1 (bubble) or sum y / K = 1 (dew)
    lnK = model.lnK(Tb[okb], P[okb], engine="numpy")
    w = liq[okb] / liq[okb].sum(axis=1, keepdims=True)
    with np.errstate(over="ignore", invalid="ignore"):
        s = np.where(w > 0, w * np.exp(lnK if fun is bubble_temperature else -lnK), 0.0).sum(axis=1)
    # to the tolerance in 1/T: 1e-10 relative, times d ln(sum)/d ln(1/T) of up to ~20
    np.testing.assert_allclose(s, 1.0, rtol=5e-9)


@pytest.mark.unit
@pytest.mark.parametrize("engine", ["numba", "numpy"])
def test_latent_dot_is_the_row_sum_of_the_latent_heat_table(model, states, engine):
    """``latent_dot`` (only the components with x != 0 evaluated) is, bit for bit, the
    index-ordered row sum of x times the same engine's latent-heat table (water from NASA), also
    where x has negative entries."""
    from carbonhub.thermo.rowdot import rowsum

    T, _, z = states
    x = z.copy()
    x[:, model.ids.index("H2O")] += 0.1
    x[3, 7] = -1e-3
    ref = rowsum(x * model.latent_heat(T, engine=engine))
    got = model.latent_dot(x, T, engine=engine)
    np.testing.assert_array_equal(got, ref)
    assert np.isfinite(got).all() and (x == 0).any() and (got != 0).all()


@pytest.mark.unit
def test_a_started_bubble_point_is_the_same_root(model, states):
    """``T_start`` only starts the Newton: from the root itself, from 50 K off or from no start
    (nan) the bubble point is the bracketed one to the 1e-13 tolerance in 1/T, and a mixture
    without a root in the bracket stays not ok whatever its start."""
    _, P, z = states
    liq = np.where(model.method >= 2, 0.0, z)
    T0, ok0 = bubble_temperature(model, liq, P, tol=1e-13, engine="numba")
    assert ok0.sum() > 300 and (~ok0).any()
    rng = np.random.default_rng(1)
    starts = (np.where(ok0, T0, 300.0), np.where(ok0, T0, 300.0) + rng.uniform(-50.0, 50.0, T0.size),
              np.full(T0.size, np.nan))
    for start in starts:
        T, ok = bubble_temperature(model, liq, P, tol=1e-13, engine="numba", T_start=start)
        assert (ok == ok0).all()
        np.testing.assert_allclose(1.0 / T[ok], 1.0 / T0[ok0], rtol=2e-13)


@pytest.mark.unit
def test_engine_switch(monkeypatch):
    monkeypatch.setenv("CARBONHUB_NUMBA", "0")
    assert not use_numba("auto") and use_numba("numba")
    monkeypatch.setenv("CARBONHUB_NUMBA", "1")
    assert use_numba("auto") and not use_numba("numpy")
    with pytest.raises(ValueError, match="engine = 'fast': expected 'auto', 'numba' or 'numpy'"):
        use_numba("fast")
