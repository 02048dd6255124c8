"""Samplers: seeded reproducibility, independence from chunking, stratification properties."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import qmc

from carbonhub.sweep import SweepInputError
from carbonhub.sweep.distributions import Choice, Uniform
from carbonhub.sweep.samplers import Method, make_sampler, sample

pytestmark = pytest.mark.unit

METHODS = ["mc", "lhs", "sobol", "grid"]


def _chunked(s, size):
    return np.concatenate([s.u(a, min(a + size, s.n_cases)) for a in range(0, s.n_cases, size)])


@pytest.mark.parametrize("method", METHODS)
def test_same_seed_same_samples_whatever_the_chunking(method):
    n = 7 if method == "grid" else 20_000
    s = make_sampler(method, d=4, n=n, seed=11)
    full = s.u(0, s.n_cases)
    for size in (1, 97, 8192, 8193, s.n_cases):
        if size == 1 and s.n_cases > 3000:
            continue
        np.testing.assert_array_equal(_chunked(make_sampler(method, d=4, n=n, seed=11), size), full)
    np.testing.assert_array_equal(make_sampler(method, d=4, n=n, seed=11).u(123, 456), full[123:456])
    assert full.shape == (s.n_cases, 4)
    assert full.min() >= 0 and full.max() <= 1


@pytest.mark.parametrize("method", ["mc", "lhs", "sobol"])
def test_other_seed_other_samples(method):
    a = make_sampler(method, d=3, n=64, seed=1).u(0, 64)
    b = make_sampler(method, d=3, n=64, seed=2).u(0, 64)
    assert not np.allclose(a, b)


def test_lhs_is_stratified_in_every_dimension():
    n = 1000
    u = make_sampler("lhs", d=5, n=n, seed=3).u(0, n)
    for j in range(5):
        np.testing.assert_array_equal(np.sort(np.floor(u[:, j] * n)), np.arange(n))


def test_sobol_equals_one_scrambled_scipy_sequence():
    u = make_sampler("sobol", d=3, n=256, seed=5).u(0, 256)
    ref = qmc.Sobol(3, scramble=True, rng=np.random.default_rng(5)).random(256)
    np.testing.assert_array_equal(u, ref)
    assert qmc.discrepancy(u) < 1e-3


def test_grid_levels_and_order():
    dists = {"a": Uniform(1100, 1500), "b": Choice(["x", "y"])}
    df = sample(dists, n=3, method="grid")
    assert len(df) == 6
    assert df["a"].tolist() == [1100, 1100, 1300, 1300, 1500, 1500]
    assert df["b"].tolist() == ["x", "y"] * 3


def test_sample_gives_values_with_constants():
    df = sample({"T": "uniform(1100,1500)", "f": "wood_chips", "p": "25"}, n=50, method="lhs")
    assert list(df.columns) == ["T", "f", "p"]
    assert df["T"].between(1100, 1500).all()
    assert set(df["f"]) == {"wood_chips"} and set(df["p"]) == {25.0}


def test_method_aliases_and_errors():
    assert Method.parse("LHS") is Method.LHS and Method.parse("montecarlo") is Method.MC
    with pytest.raises(SweepInputError, match="unknown sampling method 'halton'"):
        make_sampler("halton", d=1, n=4)
    with pytest.raises(SweepInputError, match="seed"):
        make_sampler("lhs", d=1, n=4, seed=-1)
    with pytest.raises(SweepInputError, match="positive integer"):
        make_sampler("lhs", d=1, n=0)
    with pytest.raises(IndexError):
        make_sampler("mc", d=1, n=4).u(2, 5)
