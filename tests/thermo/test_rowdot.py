"""Row-wise products and sums whose result for a case does not depend on its batch
(carbonhub.thermo.rowdot), and the NASA-7 evaluation built on them."""
from __future__ import annotations

import math

import numpy as np
import pytest

from carbonhub.thermo import nasa7
from carbonhub.thermo.components import default_components
from carbonhub.thermo.rowdot import rowdot, rowsum

ENGINES = ("numba", "numpy")


def rows(seed: int, n: int, k: int) -> np.ndarray:
    """Rows of positive numbers over 10 orders of magnitude (as component flows)."""
    rng = np.random.default_rng(seed)
    return rng.random((n, k)) * np.exp(rng.normal(0.0, 5.0, (n, k)))


def views(a: np.ndarray, i: int):
    """Row i alone and at the end of batches of other sizes, layouts and offsets."""
    yield a[i:i + 1]
    yield a[[i]]
    for lo in (max(0, i - 2), max(0, i - 5)):
        yield a[lo:i + 1]
        yield np.asfortranarray(a[lo:i + 1])
        yield a[lo:i + 1, ::-1][:, ::-1]  # negative strides


@pytest.mark.unit
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("k, m", [(3, None), (13, None), (40, None), (13, 1), (40, 6), (100, 40)])
def test_a_row_gives_the_same_bits_alone_and_in_any_batch(engine, k, m):
    a = rows(k, 9, k)
    b = np.random.default_rng(1).normal(size=k if m is None else (k, m))
    full = rowdot(a, b, engine)
    for i in range(a.shape[0]):
        for v in views(a, i):
            assert np.array_equal(rowdot(v, b, engine)[-1], full[i])


@pytest.mark.unit
@pytest.mark.parametrize("n", [50, 1, 3, 4, 7])  # the kernels take rows four at a time, then the rest
def test_engines_agree_to_the_last_bit(n):
    a = rows(3, n, 40)
    b = np.random.default_rng(4).normal(size=(40, 7))
    for x in (a, np.repeat(a, 2, axis=1)[:, ::2]):  # contiguous and a strided view
        assert np.array_equal(rowdot(x, b, "numba"), rowdot(x, b, "numpy"))
        assert np.array_equal(rowdot(x, b[:, 0], "numba"), rowdot(x, b[:, 0], "numpy"))
        assert np.array_equal(rowsum(x, "numba"), rowsum(x, "numpy"))


@pytest.mark.unit
def test_engines_agree_to_the_last_bit_on_rows_of_mostly_zeros():
    """The compiled matrix product skips a row's zero entries (+0 and -0) when the matrix is
    finite: the same bits as numpy's sum of every product, signs of zero included; with an inf
    or NaN in the matrix nothing is skipped (0 x inf is NaN in both)."""
    rng = np.random.default_rng(11)
    a = rows(5, 41, 30)
    a[rng.random(a.shape) < 0.85] = 0.0
    a[rng.random(a.shape) < 0.05] = -0.0
    a[3] = 0.0
    a[4, :] = -0.0
    a[5, 7] = -2.5  # negative entries and products of either sign
    b = rng.normal(size=(30, 7))
    b[rng.random(b.shape) < 0.2] = 0.0
    got, ref = rowdot(a, b, "numba"), rowdot(a, b, "numpy")
    assert np.array_equal(got, ref) and np.array_equal(np.signbit(got), np.signbit(ref))
    b[2, 3], b[9, 0] = np.inf, np.nan
    with np.errstate(invalid="ignore"):
        got, ref = rowdot(a, b, "numba"), rowdot(a, b, "numpy")
    assert np.array_equal(got, ref, equal_nan=True) and np.isnan(got[3, 3]) and np.isnan(got[4, 0])


@pytest.mark.unit
def test_values_are_the_row_products_to_rounding():
    # independent reference: the exactly rounded sum of each row's products (math.fsum)
    a = rows(5, 20, 40)
    b = np.random.default_rng(6).normal(size=(40, 3))
    got = rowdot(a, b)
    for i in range(20):
        for q in range(3):
            terms = [x * y for x, y in zip(a[i], b[:, q])]
            ref = math.fsum(terms)
            assert abs(got[i, q] - ref) <= 1e-14 * math.fsum(abs(t) for t in terms)
    assert rowdot(a[0], b[:, 0]) == pytest.approx(math.fsum(a[0] * b[:, 0]), rel=1e-13)


@pytest.mark.unit
@pytest.mark.parametrize("engine", ENGINES)
def test_rowsum_is_unchanged_by_columns_of_zeros(engine):
    # a batch evaluates thermo on the components present in *some* case: the other cases' rows
    # carry zeros there, and their sums must be those over their own components
    a = rows(7, 6, 11)
    wide = np.zeros((6, 30))
    wide[:, ::3][:, :10] = a[:, :10]
    wide[:, 29] = a[:, 10]
    assert np.array_equal(rowsum(wide, engine), rowsum(a, engine))
    assert np.array_equal(rowsum(a, engine)[2:3], rowsum(a[2:3], engine))


@pytest.mark.unit
def test_bad_shapes_are_rejected_in_one_line():
    with pytest.raises(ValueError, match=r"rowdot: shapes \(2, 3\) and \(4,\)"):
        rowdot(np.ones((2, 3)), np.ones(4))
    assert rowsum(np.array([[True, True, False]])).tolist() == [2]  # counts: numpy's, exact


@pytest.mark.unit
def test_gibbs_energy_of_a_temperature_does_not_depend_on_the_others():
    # g_RT is evaluated by numpy on both engines (a product per range): before rowdot, the
    # WGS equilibrium constant of a case differed in the last bits alone and in a batch
    cs = default_components().subset(["CO", "H2O", "CO2", "H2", "CH4", "N2"])
    T = np.array([1193.15, 1573.15, 900.0, 700.3, 1100.7, 460.0, 2100.0])
    g = nasa7.g_RT(T, cs.low, cs.high, cs.tmid)
    for i in range(T.size):
        assert np.array_equal(nasa7.g_RT(T[i:i + 1], cs.low, cs.high, cs.tmid)[0], g[i])
    # and it is h/RT - s/R (independent evaluation, the compiled kernel's h and s)
    np.testing.assert_allclose(g, nasa7.h_RT(T, cs.low, cs.high, cs.tmid) - nasa7.s_R(T, cs.low, cs.high, cs.tmid),
                               rtol=1e-12, atol=1e-12)
