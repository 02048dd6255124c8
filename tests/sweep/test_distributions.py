"""Distributions: inverse CDFs against scipy.stats, parsing, units, validation errors."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from carbonhub.sweep import SweepInputError
from carbonhub.sweep.distributions import (PERT, Choice, Constant, LogNormal, Normal, Triangular,
                                           Uniform, as_distribution, from_dict, parse)

pytestmark = pytest.mark.unit

U = np.linspace(0.001, 0.999, 999)


@pytest.mark.parametrize(("dist", "ref"), [
    (Uniform(1100, 1500), stats.uniform(1100, 400)),
    (Triangular(60, 80, 120), stats.triang(c=(80 - 60) / 60, loc=60, scale=60)),
    (Triangular(60, 60, 120), stats.triang(c=0.0, loc=60, scale=60)),
    (Triangular(60, 120, 120), stats.triang(c=1.0, loc=60, scale=60)),
    (PERT(0.85, 0.9, 0.93), stats.beta(1 + 4 * 0.05 / 0.08, 1 + 4 * 0.03 / 0.08, loc=0.85,
                                       scale=0.08)),
    (Normal(50, 5), stats.norm(50, 5)),
    (LogNormal(0.0, 0.2), stats.lognorm(s=0.2, scale=1.0)),
])
def test_ppf_matches_scipy(dist, ref):
    np.testing.assert_allclose(dist.ppf(U), ref.ppf(U), rtol=1e-10, atol=1e-10)


def test_pert_moments_follow_the_pert_mean():
    # Vose (2008): PERT mean = (lo + 4 mode + hi) / 6
    d = PERT(60, 80, 120)
    x = d.ppf((np.arange(200_000) + 0.5) / 200_000)
    assert x.mean() == pytest.approx((60 + 4 * 80 + 120) / 6, rel=1e-6)


def test_ppf_is_vectorised_and_keeps_shape():
    u = np.random.default_rng(0).random((7, 3))
    for d in (Uniform(0, 1), Triangular(0, 1, 2), PERT(0, 1, 2), Normal(0, 1), LogNormal(0, 1),
              Choice(["a", "b"]), Constant(3.0)):
        assert d.ppf(u).shape == (7, 3)


def test_unbounded_ppf_is_finite_at_0_and_1():
    for d in (Normal(0, 1), LogNormal(0, 1)):
        assert np.all(np.isfinite(d.ppf(np.array([0.0, 1.0]))))


def test_choice_equal_and_given_weights():
    d = Choice(["wood_chips", "wheat_straw", "miscanthus"])
    u = (np.arange(30_000) + 0.5) / 30_000
    vals, counts = np.unique(d.ppf(u), return_counts=True)
    assert dict(zip(vals, counts)) == {"wood_chips": 10_000, "wheat_straw": 10_000,
                                       "miscanthus": 10_000}
    w = Choice(["a", "b"], weights=[3, 1])
    assert w.weights == (0.75, 0.25)
    assert (w.ppf(u) == "a").mean() == pytest.approx(0.75, abs=1e-4)
    assert w.ppf(np.array([1.0])).tolist() == ["b"]


@pytest.mark.parametrize(("text", "expected"), [
    ("uniform(1100,1500)", Uniform(1100, 1500)),
    ("u(1100, 1500) K", Uniform(1100, 1500, unit="K")),
    ("tri(60,80,120) EUR/t", Triangular(60, 80, 120, unit="EUR/t")),
    ("triangular(lo=60, mode=80, hi=120)", Triangular(60, 80, 120)),
    ("pert(0.85,0.9,0.93)", PERT(0.85, 0.9, 0.93)),
    ("pert(1,2,4,6)", PERT(1, 2, 4, lamb=6)),
    ("normal(50,5) t/h", Normal(50, 5, unit="t/h")),
    ("lognormal(0,0.2)", LogNormal(0, 0.2)),
    ("choice(wood_chips,wheat_straw)", Choice(["wood_chips", "wheat_straw"])),
    ("choice('wood_chips', \"wheat_straw\")", Choice(["wood_chips", "wheat_straw"])),
    ("choice(wood_chips:3,wheat_straw:1)", Choice(["wood_chips", "wheat_straw"], [3, 1])),
    ("choice(0.8,0.9)", Choice([0.8, 0.9])),
    ("1200 K", Constant(1200.0, unit="K")),
    ("25 bar", Constant(25.0, unit="bar")),
    ("wood_chips", Constant("wood_chips")),
    ("constant(7)", Constant(7.0)),
])
def test_parse(text, expected):
    assert parse(text) == expected


def test_repr_round_trips_through_parse_and_dict():
    for d in (Uniform(1100, 1500, "K"), Triangular(60, 80, 120, "EUR/t"), PERT(1, 2, 4, 6),
              PERT(1, 2, 4), Normal(0.5, 0.1), LogNormal(1, 0.3), Choice(["a", "b"], [1, 3]),
              Choice([1.5, 2.5]), Constant("x"), Constant(2.0, "bar")):
        assert parse(repr(d)) == d
        assert from_dict(d.to_dict()) == d


def test_yaml_dict_forms():
    assert from_dict({"dist": "tri", "lo": 60, "mode": 80, "hi": 120, "unit": "EUR/t"}) == \
        Triangular(60, 80, 120, "EUR/t")
    assert from_dict({"dist": "uniform", "args": [1, 2]}) == Uniform(1, 2)
    assert from_dict({"dist": "normal", "mean": 1, "std": 0.1}) == Normal(1, 0.1)
    assert from_dict({"dist": "choice", "values": ["a", "b"], "weights": [1, 1]}) == \
        Choice(["a", "b"], [1, 1])


def test_python_object_forms():
    assert as_distribution((1, 2)) == Uniform(1, 2)
    assert as_distribution(["a", "b"]) == Choice(["a", "b"])
    assert as_distribution(3) == Constant(3.0)
    assert as_distribution(Normal(0, 1)) == Normal(0, 1)


def test_unit_conversion_including_offsets():
    d = parse("uniform(800,1000) degC").to("K", name="gasifier.T")
    assert d.unit == "K"
    np.testing.assert_allclose([d.low, d.high], [1073.15, 1273.15])
    n = parse("normal(900,10) degC").to("K")
    np.testing.assert_allclose([n.mu, n.sd], [1173.15, 10.0])  # sd converts as a difference
    t = parse("tri(0.06,0.08,0.12) EUR/kg").to("EUR/t")
    np.testing.assert_allclose([t.lo, t.mode, t.hi], [60, 80, 120])
    ln = parse("lognormal(0,0.2) t/h").to("kg/s")
    np.testing.assert_allclose(ln.ppf(np.array([0.5])), [1000 / 3600])
    assert parse("uniform(1,2)").to("K") == Uniform(1, 2, "K")  # no unit: already in K


@pytest.mark.parametrize(("make", "words"), [
    (lambda: Uniform(1500, 1100), ["low", "high", "1500", "1100"]),
    (lambda: Uniform(1, 1), ["constant"]),
    (lambda: Triangular(60, 130, 120), ["mode", "130", "[60, 120]"]),
    (lambda: Triangular(120, 80, 60), ["lo must be less than hi"]),
    (lambda: PERT(1, 0, 2), ["mode"]),
    (lambda: PERT(0, 1, 2, lamb=0), ["lamb"]),
    (lambda: Normal(50, 0), ["sd must be > 0"]),
    (lambda: Normal(50, -1), ["sd", "-1"]),
    (lambda: LogNormal(0, 0), ["sigma must be > 0"]),
    (lambda: Choice([]), ["at least one"]),
    (lambda: Choice(["a", "a"]), ["distinct"]),
    (lambda: Choice(["a", "b"], [1, -1]), ["weights"]),
    (lambda: Choice(["a", 1.0]), ["mix"]),
    (lambda: Uniform(float("nan"), 1), ["finite"]),
    (lambda: parse("unifrom(1,2)"), ["unknown distribution", "uniform"]),
    (lambda: parse("uniform(1)"), ["takes arguments", "low, high"]),
    (lambda: parse("tri(60,80)"), ["takes arguments"]),
    (lambda: parse("uniform(a,b)"), ["expected a number"]),
    (lambda: parse("normal(1,1) K").to("EUR/t", name="gasifier.T"), ["gasifier.T", "EUR/t"]),
    (lambda: parse("lognormal(0,1) degC").to("K"), ["offset"]),
    (lambda: from_dict({"dist": "uniform", "low": 1, "hgh": 2}), ["hgh"]),
    (lambda: from_dict({"low": 1}), ["dist"]),
])
def test_validation_errors_are_clear(make, words):
    with pytest.raises(SweepInputError) as err:
        make()
    for w in words:
        assert w in str(err.value)
