"""Binding parameter specs to a flowsheet's parameter table."""
from __future__ import annotations

import pytest

from carbonhub.sweep import SweepInputError
from carbonhub.sweep.distributions import Constant, Triangular, Uniform
from carbonhub.sweep.params import bind

pytestmark = pytest.mark.unit


def test_bind_converts_units_and_sorts(fs):
    b = bind(fs, {"prices.feedstock_eur_per_t": "tri(0.06,0.08,0.12) EUR/kg",
                  "gasifier.T": "uniform(850,1050) degC", "gasifier.P": "25 bar"})
    assert list(b) == ["gasifier.P", "gasifier.T", "prices.feedstock_eur_per_t"]
    assert b["gasifier.P"] == Constant(25e5, "Pa")
    assert b["gasifier.T"] == Uniform(1123.15, 1323.15, "K")
    t = b["prices.feedstock_eur_per_t"]
    assert isinstance(t, Triangular)
    assert (t.lo, t.mode, t.hi) == pytest.approx((60, 80, 120))


def test_unknown_parameter_lists_close_matches(fs):
    with pytest.raises(SweepInputError) as err:
        bind(fs, {"gasifier.temp": "uniform(1100,1500)"})
    msg = str(err.value)
    assert "unknown parameter 'gasifier.temp'" in msg and "gasifier.T" in msg


@pytest.mark.parametrize(("params", "words"), [
    ({"gasifier.T": "uniform(1100,1700)"}, ["gasifier.T", "1700", "outside", "1600"]),
    ({"gasifier.T": "uniform(1100,1500) EUR/t"}, ["gasifier.T", "EUR/t"]),
    ({"gasifier.T": "choice(a,b)"}, ["gasifier.T", "numbers"]),
    ({"feed.feedstock": "uniform(1,2)"}, ["feed.feedstock", "choice"]),
    ({"feed.feedstock": "choice(wood_chip,wheat_straw)"}, ["wood_chip", "wood_chips"]),
    ({"feed.feedstock": "plastic"}, ["plastic", "allowed"]),
    ({"gasifier.T": "uniform(1500,1100)"}, ["gasifier.T", "low must be less than high"]),
    ({"gasifier.T": "normal(1200,0)"}, ["gasifier.T", "sd must be > 0"]),
])
def test_bad_specs_name_the_parameter(fs, params, words):
    with pytest.raises(SweepInputError) as err:
        bind(fs, params)
    for w in words:
        assert w in str(err.value)
