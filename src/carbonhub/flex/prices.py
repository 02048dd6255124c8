"""Hourly electricity price profiles: read, check, and the synthetic Dutch profile.

A profile is one year of hourly day-ahead prices (8,760 rows) in EUR/MWh, optionally with the
grid's CO2 intensity of each hour. Files are CSV (``#`` comment lines allowed before the header)
or Parquet; the header names each column with its unit:

=====================  ===========  ==========================================================
column                 unit         meaning
=====================  ===========  ==========================================================
``price_eur_per_MWh``  EUR/MWh      day-ahead price of the hour (negative prices are allowed)
``grid_co2_t_per_MWh`` t CO2/MWh    optional: CO2 intensity of grid electricity in that hour
                                    (``grid_co2_g_per_kWh`` / ``grid_co2_kg_per_MWh`` also read)
=====================  ===========  ==========================================================

Other columns (``hour``, a timestamp) are ignored. A bad file raises :class:`PriceProfileError`
with one line naming the file, the column or row, the value and what was expected.

The shipped ``property_data/prices_nl_synthetic.csv`` is **synthetic**: made by
:func:`synthetic_nl_profile` from published statistics of the Dutch day-ahead market
(see :data:`NL_2024_STATISTICS` and property_data/README.md); it is not market data.

Example
-------
>>> from carbonhub.flex.prices import PriceProfile
>>> p = PriceProfile.flat(80.0)
>>> p.n_hours, p.mean_eur_per_MWh
(8760, 80.0)
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["HOURS_PER_YEAR", "NL_2024_STATISTICS", "PriceProfile", "PriceProfileError", "read_prices",
           "shipped_profile_path", "synthetic_nl_profile", "write_prices"]

HOURS_PER_YEAR = 8760
PRICE_COLUMN = "price_eur_per_MWh"
GRID_COLUMNS = {"grid_co2_t_per_MWh": 1.0, "grid_co2_kg_per_MWh": 1e-3, "grid_co2_g_per_kWh": 1e-3}
"""Accepted names of the grid-intensity column -> factor to t CO2/MWh."""
PRICE_LIMIT = 10_000.0
"""|price| above this [EUR/MWh] is taken as a unit error (the day-ahead market clears within
-500 and +4,000 EUR/MWh, the SDAC harmonised limits)."""


class PriceProfileError(ValueError):
    """A price profile that cannot be used (the message is one line)."""


@dataclass(frozen=True)
class PriceProfile:
    """Hourly prices of one year.

    Attributes
    ----------
    price_eur_per_MWh : ndarray (8760,)
        Price of each hour [EUR/MWh].
    grid_co2_t_per_MWh : ndarray (8760,) or None
        CO2 intensity of grid electricity of each hour [t CO2/MWh].
    name : str
        Where the profile came from (file name or a description).
    period : bool
        False (default): one year, 8,760 hours. True: a representative period of whole days
        (24 k hours, k < 365) that repeats through the year (the year is periodic: e.g. one
        day of a two-level tariff); each of its hours stands for 8760/n hours of the year.
    """

    price_eur_per_MWh: np.ndarray
    grid_co2_t_per_MWh: np.ndarray | None = None
    name: str = "profile"
    period: bool = False

    def __post_init__(self) -> None:
        p = np.asarray(self.price_eur_per_MWh, dtype=float)
        _check_values(p, self.name, PRICE_COLUMN, "EUR/MWh", -PRICE_LIMIT, PRICE_LIMIT, self.period)
        object.__setattr__(self, "price_eur_per_MWh", p)
        if self.grid_co2_t_per_MWh is not None:
            g = np.asarray(self.grid_co2_t_per_MWh, dtype=float)
            if g.shape != p.shape:
                raise PriceProfileError(f"{self.name}: grid CO2 intensity has {g.size} hours, prices "
                                        f"{p.size}; expected one intensity per hour")
            _check_values(g, self.name, "grid_co2_t_per_MWh", "t CO2/MWh", 0.0, 2.0, self.period)
            object.__setattr__(self, "grid_co2_t_per_MWh", g)

    @property
    def n_hours(self) -> int:
        return int(self.price_eur_per_MWh.size)

    @property
    def mean_eur_per_MWh(self) -> float:
        return float(self.price_eur_per_MWh.mean())

    @classmethod
    def flat(cls, price_eur_per_MWh: float, grid_co2_t_per_MWh: float | None = None) -> "PriceProfile":
        """The same price (and grid intensity) in every hour of the year."""
        g = None if grid_co2_t_per_MWh is None else np.full(HOURS_PER_YEAR, float(grid_co2_t_per_MWh))
        return cls(np.full(HOURS_PER_YEAR, float(price_eur_per_MWh)), g,
                   name=f"flat {price_eur_per_MWh:g} EUR/MWh")

    def flattened(self) -> "PriceProfile":
        """The flat profile at this profile's mean price (grid intensity kept hour by hour)."""
        return PriceProfile(np.full(self.n_hours, self.mean_eur_per_MWh), self.grid_co2_t_per_MWh,
                            name=f"{self.name} (flat at its mean)", period=self.period)

    def scaled(self, level: float = 1.0, spread: float = 1.0) -> "PriceProfile":
        """Price scenario: ``mean*level + (price - mean)*spread`` (same intensity)."""
        m = self.mean_eur_per_MWh
        return PriceProfile(m * level + (self.price_eur_per_MWh - m) * spread, self.grid_co2_t_per_MWh,
                            name=f"{self.name} x{level:g} level, x{spread:g} spread", period=self.period)


def _check_values(v: np.ndarray, name: str, col: str, unit: str, lo: float, hi: float,
                  period_ok: bool = False) -> None:
    if period_ok and v.ndim == 1 and 0 < v.size < HOURS_PER_YEAR and v.size % 24 == 0:
        pass
    elif v.ndim != 1 or v.size != HOURS_PER_YEAR:
        extra = " (a leap year? drop 29 February)" if v.size == 8784 else ""
        raise PriceProfileError(f"{name}: {col} has {v.size} values{extra}; expected {HOURS_PER_YEAR} "
                                "hourly values (one year)")
    bad = np.flatnonzero(~np.isfinite(v))
    if bad.size:
        rows = ", ".join(str(i + 1) for i in bad[:3]) + (f" (+{bad.size - 3} more)" if bad.size > 3 else "")
        raise PriceProfileError(f"{name}: {col} is empty or NaN in hour(s) {rows}; expected a number in "
                                f"{unit} for every hour")
    out = np.flatnonzero((v < lo) | (v > hi))
    if out.size:
        i = int(out[0])
        raise PriceProfileError(f"{name}: {col} = {v[i]:g} {unit} in hour {i + 1} is outside "
                                f"[{lo:g}, {hi:g}] {unit}; check the unit of the column")


def _column_unit(col: str) -> str:
    """``price_eur_per_kWh`` -> ``EUR/kWh``; ``grid_co2_lb_per_MWh`` -> ``lb/MWh``."""
    import re

    m = re.match(r".*_([A-Za-z0-9]+)_per_([A-Za-z0-9]+)$", col)
    if not m:
        return "no unit"
    num = m.group(1).upper() if m.group(1).lower() in ("eur", "usd", "gbp") else m.group(1)
    return f"{num}/{m.group(2)}"


def read_prices(path: str | Path) -> PriceProfile:
    """Read a price profile from CSV or Parquet (module docstring for the columns).

    Raises
    ------
    PriceProfileError
        Missing file, no ``price_eur_per_MWh`` column, a price column in another unit, wrong
        number of rows, empty/NaN/non-numeric hours, implausible values.
    """
    import pandas as pd

    path = Path(path)
    name = path.name
    if not path.is_file():
        raise PriceProfileError(f"price profile {str(path)!r} not found; expected a CSV or Parquet file "
                                f"with a column {PRICE_COLUMN!r}")
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            df = pd.read_parquet(path)
        else:
            df = pd.read_csv(path, comment="#", skipinitialspace=True)
    except Exception as exc:  # noqa: BLE001 (pandas/pyarrow raise many kinds)
        raise PriceProfileError(f"{name}: cannot be read as {'Parquet' if path.suffix.lower() in ('.parquet', '.pq') else 'CSV'} "
                                f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})") from None
    cols = {str(c).strip(): c for c in df.columns}
    lower = {k.lower(): k for k in cols}
    if PRICE_COLUMN.lower() not in lower:
        other = [k for k in cols if k.lower().startswith("price")]
        if other:
            raise PriceProfileError(f"{name}: price column {other[0]!r} is in {_column_unit(other[0])}; "
                                    f"expected EUR/MWh in a column named {PRICE_COLUMN!r}")
        raise PriceProfileError(f"{name}: no column {PRICE_COLUMN!r} in the header "
                                f"({', '.join(cols) or 'empty'}); expected the price of each hour in EUR/MWh")
    price = _numeric(df[cols[lower[PRICE_COLUMN.lower()]]], name, PRICE_COLUMN)
    grid = None
    gcols = [k for k in cols if k.lower().startswith("grid_co2")]
    if gcols:
        g = gcols[0]
        factor = {k.lower(): f for k, f in GRID_COLUMNS.items()}.get(g.lower())
        if factor is None:
            raise PriceProfileError(f"{name}: grid intensity column {g!r} has unit {_column_unit(g)}; "
                                    f"expected one of {', '.join(GRID_COLUMNS)}")
        grid = _numeric(df[cols[g]], name, g) * factor
    with open(path, "rb") as fh:  # a profile that says it is synthetic keeps the label
        first = fh.readline(300).decode("utf-8", "replace")
    if first.startswith("#") and "SYNTHETIC" in first:
        name += " (SYNTHETIC)"
    return PriceProfile(price, grid, name=name)


def _numeric(s, name: str, col: str) -> np.ndarray:
    import pandas as pd

    v = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(np.isnan(v) & s.notna().to_numpy())
    if bad.size:
        i = int(bad[0])
        raise PriceProfileError(f"{name}: {col} in hour {i + 1} is {str(s.iloc[i])!r}, not a number")
    return v


def write_prices(profile: PriceProfile, path: str | Path, header: str = "") -> Path:
    """Write ``profile`` as CSV (``hour,price_eur_per_MWh[,grid_co2_t_per_MWh]``) or Parquet;
    ``header`` lines are written as ``#`` comments (CSV only). Written whole or not at all."""
    import os

    import pandas as pd

    path = Path(path)
    df = pd.DataFrame({"hour": np.arange(profile.n_hours), PRICE_COLUMN: profile.price_eur_per_MWh})
    if profile.grid_co2_t_per_MWh is not None:
        df["grid_co2_t_per_MWh"] = profile.grid_co2_t_per_MWh
    tmp = path.with_name(path.name + ".part")
    if path.suffix.lower() in (".parquet", ".pq"):
        df.to_parquet(tmp, index=False)
    else:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            for line in header.splitlines():
                fh.write(f"# {line}\n" if line else "#\n")
            df.to_csv(fh, index=False, float_format="%.4f", lineterminator="\n")
    os.replace(tmp, path)
    return path


# --------------------------------------------------------------------------------------------
# synthetic Dutch profile
NL_2024_STATISTICS = {
    "source": ("Electricity Maps (2026), Electricity Grid Review 2025: The Netherlands, "
               "2024 vs 2025, sections 1 and 1.1-1.6 (day-ahead prices from ENTSO-E); read in "
               "this session"),
    "mean_eur_per_MWh": 77.3,
    "hours_by_range": {(-200.0, 0.0): 458, (0.0, 50.0): 1336, (50.0, 100.0): 4656,
                       (100.0, 150.0): 1963, (150.0, 200.0): 189, (200.0, 873.0): 98},
    "min_eur_per_MWh": -200.0,   # 1 May 2024 11:00
    "max_eur_per_MWh": 873.0,    # 12 Dec 2024 16:00
    "daily_mean_sd_eur_per_MWh": 32.3,  # from "days by price range" 2024, bin mid-points
    "daily_swing_eur_per_MWh": 124.0,   # average daily max - min, given for 2025
    "hour_of_day_range_eur_per_MWh": 135.4 - 42.6,  # highest - lowest hour-of-day mean, 2025
    "grid_co2_mean_t_per_MWh": 0.26,
}
"""Statistics the synthetic profile is built to match (module docstring, property_data/README.md).
``daily_mean_sd`` is computed here from the 2024 histogram of daily means (57, 247, 56, 4, 2
days in 0-50, 51-100, 101-150, 151-200, 201+ EUR/MWh, mid-points 25-250); ``grid_co2_mean`` is
the 2024 Dutch mix (gas 36 %, coal 7 %, wind 26 %, solar 18 %, biomass 6 %, nuclear 3 %;
Ember data as summarised by Low Carbon Power, 2024) times IPCC AR5 WGIII Annex III life-cycle medians (490, 820,
11, 48, 230, 12 g/kWh): 0.26 t/MWh (a derived, unverified figure)."""


def _target_quantiles(n: int, k_tail: float) -> np.ndarray:
    """n sorted prices whose histogram is the 2024 one (scaled to n hours): uniform inside the
    middle bins, ``lo + (hi-lo) * u**k`` / ``hi - (hi-lo) * u**k`` in the tails (towards 0 and
    200 EUR/MWh, where real negative and scarcity prices cluster)."""
    bins = NL_2024_STATISTICS["hours_by_range"]
    counts = np.array(list(bins.values()), dtype=float)
    alloc = np.floor(counts / counts.sum() * n).astype(int)
    alloc[np.argsort(-(counts / counts.sum() * n - alloc))[: n - alloc.sum()]] += 1
    out = []
    for j, ((lo, hi), m) in enumerate(zip(bins, alloc)):
        u = (np.arange(m) + 0.5) / m
        if j == 0:
            v = hi - (hi - lo) * (1.0 - u) ** k_tail   # dense near 0
        elif j == len(bins) - 1:
            v = lo + (hi - lo) * u ** k_tail           # dense near 200
        else:
            v = lo + (hi - lo) * u
        out.append(v)
    return np.sort(np.concatenate(out))


def _shape(rng: np.random.Generator, day_sd: float, intraday: float, noise: float) -> np.ndarray:
    t = np.arange(HOURS_PER_YEAR)
    h, d = t % 24, t // 24
    season = np.cos(2 * np.pi * (d - 15) / 365.0)            # +1 mid January, -1 mid July
    summer = 0.5 * (1.0 - season)
    weekend = np.isin(d % 7, (5, 6)).astype(float)           # the year starts on a Monday
    gauss = lambda c, w: np.exp(-0.5 * ((h - c) / w) ** 2)   # noqa: E731
    daily = (0.6 * gauss(8.0, 1.5) + 1.0 * gauss(19.0, 2.0) - (0.4 + 1.2 * summer) * gauss(13.0, 2.5)
             - 0.5 * gauss(3.0, 2.5))
    days = np.zeros(365)
    e = rng.standard_normal(365)
    for i in range(1, 365):                                  # weather: AR(1) over days
        days[i] = 0.75 * days[i - 1] + np.sqrt(1 - 0.75 ** 2) * e[i]
    hourly = np.zeros(HOURS_PER_YEAR)
    eh = rng.standard_normal(HOURS_PER_YEAR)
    for i in range(1, HOURS_PER_YEAR):                       # wind/solar forecast noise within days
        hourly[i] = 0.8 * hourly[i - 1] + np.sqrt(1 - 0.8 ** 2) * eh[i]
    return (0.25 * season - 0.25 * weekend + day_sd * days[d] + intraday * daily + noise * hourly)


def synthetic_nl_profile(seed: int = 2024) -> PriceProfile:
    """The **synthetic** Dutch day-ahead profile shipped as property_data/prices_nl_synthetic.csv.

    A deterministic shape (winter-high season, weekday/weekend, morning and evening peaks, a
    midday solar dip deepest in summer, an AR(1) weather signal over days and AR(1) noise over
    hours) is ranked and mapped onto the 2024 Dutch distribution of hourly prices
    (:data:`NL_2024_STATISTICS`: hours per price range, extremes), with the tails' shape chosen
    so the mean is the 2024 mean (77.3 EUR/MWh). The weights of the daily signal and of the
    intraday shape are picked on a small grid so that the standard deviation of daily means
    (32.3 EUR/MWh), the average daily swing (124 EUR/MWh) and the range of the hour-of-day
    means (42.6-135.4 EUR/MWh) are met as well as the grid allows. The grid intensity
    follows the price rank linearly (fossil plants set high prices), mean 0.26 t/MWh.
    """
    import itertools

    from scipy.optimize import brentq

    st = NL_2024_STATISTICS
    k = brentq(lambda kk: _target_quantiles(HOURS_PER_YEAR, kk).mean() - st["mean_eur_per_MWh"], 1.0, 10.0)
    target = _target_quantiles(HOURS_PER_YEAR, k)
    best = None
    for day_sd, intraday, noise in itertools.product((0.0, 0.15, 0.3, 0.45), (0.3, 0.45, 0.6, 0.8),
                                                     (0.1, 0.2, 0.3, 0.4)):
        z = _shape(np.random.default_rng(seed), day_sd, intraday, noise)
        p = np.empty(HOURS_PER_YEAR)
        p[np.argsort(z, kind="stable")] = target
        daily = p.reshape(365, 24)
        by_hour = daily.mean(axis=0)
        err = ((daily.mean(axis=1).std() / st["daily_mean_sd_eur_per_MWh"] - 1) ** 2
               + (np.mean(daily.max(axis=1) - daily.min(axis=1)) / st["daily_swing_eur_per_MWh"] - 1) ** 2
               + ((by_hour.max() - by_hour.min()) / st["hour_of_day_range_eur_per_MWh"] - 1) ** 2)
        if best is None or err < best[0]:
            best = (err, p, z)
    _, price, z = best
    rank = np.empty(HOURS_PER_YEAR)
    rank[np.argsort(z, kind="stable")] = (np.arange(HOURS_PER_YEAR) + 0.5) / HOURS_PER_YEAR
    g_mean = st["grid_co2_mean_t_per_MWh"]
    grid = g_mean * (0.2 + 1.6 * rank)          # 0.05 .. 0.47 t/MWh, mean 0.26
    return PriceProfile(np.round(price, 2), np.round(grid, 4), name="prices_nl_synthetic.csv (SYNTHETIC)")


def shipped_profile_path() -> Path:
    """property_data/prices_nl_synthetic.csv (the synthetic Dutch profile)."""
    from carbonhub.data import data_dir

    return data_dir() / "prices_nl_synthetic.csv"
