"""Price profiles: reading, the one-line errors of bad files, and the shipped synthetic profile
against the published statistics it was built from (Electricity Maps, Grid Review 2025: The
Netherlands, 2024 figures)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonhub.flex.prices import (HOURS_PER_YEAR, NL_2024_STATISTICS, PriceProfile, PriceProfileError,
                                   read_prices, shipped_profile_path, synthetic_nl_profile, write_prices)

pytestmark = pytest.mark.unit


def _csv(tmp_path, text: str, name: str = "p.csv"):
    f = tmp_path / name
    f.write_text(text)
    return f


def _good(n=HOURS_PER_YEAR, col="price_eur_per_MWh", value="50"):
    return f"hour,{col}\n" + "".join(f"{i},{value}\n" for i in range(n))


def test_reads_csv_and_parquet_with_negative_prices(tmp_path):
    p = np.where(np.arange(HOURS_PER_YEAR) % 24 == 12, -35.5, 80.0)   # negative prices are real
    prof = PriceProfile(p, np.full(HOURS_PER_YEAR, 0.3), name="x")
    for name in ("a.csv", "a.parquet"):
        back = read_prices(write_prices(prof, tmp_path / name, header="a comment"))
        assert np.array_equal(back.price_eur_per_MWh, p)
        assert np.allclose(back.grid_co2_t_per_MWh, 0.3)
    g = read_prices(_csv(tmp_path, "price_eur_per_MWh,grid_co2_g_per_kWh\n" + "70,250\n" * HOURS_PER_YEAR))
    assert np.allclose(g.grid_co2_t_per_MWh, 0.25)                   # g/kWh -> t/MWh


@pytest.mark.parametrize("text, words", [
    (_good(8784), ["8784 values", "leap year", "expected 8760"]),
    (_good(100), ["100 values", "expected 8760"]),
    (_good(col="price_eur_per_kWh", value="0.05"), ["'price_eur_per_kWh'", "EUR/kWh", "expected EUR/MWh"]),
    (_good(col="cost"), ["no column 'price_eur_per_MWh'", "hour, cost"]),
    ("price_eur_per_MWh\n" + "50\n" * 40 + "\n" * 0 + "nan\n" + "50\n" * (HOURS_PER_YEAR - 41),
     ["NaN in hour(s) 41", "EUR/MWh for every hour"]),
    ("price_eur_per_MWh\n" + "50\n" * 9 + "abc\n" + "50\n" * (HOURS_PER_YEAR - 10), ["hour 10", "'abc'", "not a number"]),
    ("price_eur_per_MWh\n" + "50000\n" + "50\n" * (HOURS_PER_YEAR - 1), ["50000 EUR/MWh in hour 1", "unit"]),
    ("price_eur_per_MWh,grid_co2_lb_per_MWh\n" + "50,1\n" * HOURS_PER_YEAR, ["'grid_co2_lb_per_MWh'", "lb/MWh"]),
    ("price_eur_per_MWh,grid_co2_t_per_MWh\n" + "50,-1\n" * HOURS_PER_YEAR, ["grid_co2_t_per_MWh = -1"]),
])
def test_bad_files_give_one_line(tmp_path, text, words):
    with pytest.raises(PriceProfileError) as e:
        read_prices(_csv(tmp_path, text))
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith("p.csv")
    for w in words:
        assert w in msg, msg


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(PriceProfileError, match="not found"):
        read_prices(tmp_path / "nope.csv")
    (tmp_path / "b.parquet").write_bytes(b"not parquet")
    with pytest.raises(PriceProfileError, match="cannot be read as Parquet"):
        read_prices(tmp_path / "b.parquet")


def test_representative_period_only_when_asked():
    with pytest.raises(PriceProfileError, match="expected 8760"):
        PriceProfile(np.full(24, 50.0))
    assert PriceProfile(np.full(48, 50.0), period=True).n_hours == 48
    with pytest.raises(PriceProfileError):
        PriceProfile(np.full(30, 50.0), period=True)        # not whole days


def test_scaled_keeps_mean_and_scales_spread():
    p = PriceProfile(np.r_[np.full(4380, 20.0), np.full(4380, 100.0)])
    q = p.scaled(level=1.5, spread=2.0)
    assert q.mean_eur_per_MWh == pytest.approx(90.0)
    assert q.price_eur_per_MWh.max() - q.price_eur_per_MWh.min() == pytest.approx(160.0)


def test_shipped_profile_is_the_generator_output_and_labelled_synthetic():
    shipped = read_prices(shipped_profile_path())
    assert "SYNTHETIC" in shipped.name
    gen = synthetic_nl_profile()
    assert np.array_equal(shipped.price_eur_per_MWh, gen.price_eur_per_MWh)
    assert np.allclose(shipped.grid_co2_t_per_MWh, gen.grid_co2_t_per_MWh, atol=1e-12)


def test_shipped_profile_matches_the_2024_statistics():
    """Hours per price range (Electricity Maps 2024, scaled from 8,700 counted hours to 8,760),
    the 2024 mean and the extremes."""
    p = read_prices(shipped_profile_path()).price_eur_per_MWh
    st = NL_2024_STATISTICS
    counts = np.array(list(st["hours_by_range"].values()), dtype=float)
    edges = [lo for lo, _ in st["hours_by_range"]] + [873.0 + 1e-9]
    got, _ = np.histogram(p, bins=edges)
    # prices are rounded to cents: a few hours within 0.005 EUR/MWh of an edge change bin
    assert np.all(np.abs(got - counts / counts.sum() * HOURS_PER_YEAR) <= 4.0)
    assert p.mean() == pytest.approx(77.3, abs=0.01)            # 2024 mean, EUR/MWh
    assert -200.0 <= p.min() < -150.0 and 700.0 < p.max() <= 873.0
    assert (p < 0).sum() == pytest.approx(458 * HOURS_PER_YEAR / counts.sum(), abs=4)
    day = p.reshape(365, 24)
    neg_hours = np.flatnonzero(p < 0) % 24
    assert np.mean((neg_hours >= 9) & (neg_hours <= 17)) > 0.5   # mostly around midday (CREG 2024)
    assert 0.8 < (day.max(1) - day.min(1)).mean() / st["daily_swing_eur_per_MWh"] < 1.4
    assert pd.Series(p).corr(pd.Series(read_prices(shipped_profile_path()).grid_co2_t_per_MWh)) > 0.5
