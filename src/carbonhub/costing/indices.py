"""Cost escalation (CEPCI) and currency conversion (USD <-> EUR) by year.

All functions accept scalars or arrays of shape ``(n_cases,)`` and broadcast; the indices are
looked up once per call (per year), never per case.

Convention used by :mod:`carbonhub.costing`: a cost quoted in currency *X* in year *y0* is
escalated **in its own currency** with the CEPCI ratio to the cost year *y1*, then converted to
the target currency with the **cost year's** annual-average exchange rate::

    C[EUR, y1] = C[USD, y0] * CEPCI(y1) / CEPCI(y0) / (USD per EUR)(y1)

CEPCI is a US index; applying it to euro-quoted equipment costs is the usual approximation when
no European equipment index is at hand (stated in every result's ``cost_year``/``currency``).

Example
-------
>>> from carbonhub.costing.indices import escalate, to_currency, convert_cost
>>> round(float(escalate(100.0, 2010, 2023)), 2)        # 100 * 797.9 / 550.8
144.86
>>> round(float(escalate(100.0, "turton_2001", 2023)), 2)  # from the CAPCOST basis, 397
200.98
>>> round(float(to_currency(1081.3, "USD", "EUR", 2023)), 2)
1000.0
>>> round(float(convert_cost(1.0e6, "USD", 2010, to_currency="EUR", to_year=2023)), 0)
1339702.0

References
----------
.. [1] Chemical Engineering magazine, Chemical Engineering Plant Cost Index (annual averages),
   as tabulated in IDAES-PSE ``idaes/core/base/costing_base.py`` (see property_data/cepci.yaml).
.. [2] European Central Bank, euro foreign exchange reference rates, USD per EUR annual averages
   (see property_data/exchange_rates.yaml).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Union

import numpy as np

from carbonhub.data import load_yaml

__all__ = [
    "CostYearError",
    "cepci",
    "cepci_years",
    "escalate",
    "usd_per_eur",
    "to_currency",
    "convert_cost",
    "CURRENCIES",
]

YearLike = Union[int, str, float]
CURRENCIES = ("EUR", "USD")


class CostYearError(ValueError):
    """A cost year (or currency year) has no CEPCI / exchange-rate value in property_data."""


@lru_cache(maxsize=1)
def _cepci_table() -> tuple[dict[int, float], dict[str, float]]:
    raw = load_yaml("cepci.yaml")
    values = {int(k): float(v) for k, v in raw["values"].items()}
    basis = {str(k): float(v["value"]) for k, v in (raw.get("basis_points") or {}).items()}
    return values, basis


@lru_cache(maxsize=1)
def _fx_table() -> dict[int, float]:
    raw = load_yaml("exchange_rates.yaml")
    return {int(k): float(v) for k, v in raw["values"].items()}


def cepci_years() -> list[int]:
    """Years with an annual-average CEPCI in ``property_data/cepci.yaml``."""
    return sorted(_cepci_table()[0])


def _span(years: list[int]) -> str:
    contiguous = years == list(range(years[0], years[-1] + 1))
    return f"{years[0]}-{years[-1]}" if contiguous else str(years)


def cepci(year: YearLike) -> float:
    """CEPCI [-] of ``year`` (an int year, or a basis name such as ``"turton_2001"`` (397)).

    Raises
    ------
    CostYearError
        If the year has no CEPCI; the message names the year and lists those available.
    """
    values, basis = _cepci_table()
    if isinstance(year, str):
        if year in basis:
            return basis[year]
        if year.strip().isdigit():
            year = int(year)
        else:
            raise CostYearError(
                f"unknown CEPCI basis {year!r}; use a year ({_span(sorted(values))}) or one of "
                f"{sorted(basis)}"
            )
    if isinstance(year, (float, np.floating)) and float(year) != int(year):
        raise CostYearError(f"cost year {year!r} is not a whole year")
    y = int(year)
    try:
        return values[y]
    except KeyError:
        raise CostYearError(
            f"no CEPCI for year {y}; available years: {_span(sorted(values))} "
            f"(property_data/cepci.yaml), or a basis {sorted(basis)}"
        ) from None


def escalate(cost, from_year: YearLike, to_year: YearLike):
    """Escalate ``cost`` from ``from_year`` to ``to_year`` with the CEPCI ratio.

    Parameters
    ----------
    cost : float or ndarray
        Cost in any currency [currency of from_year].
    from_year, to_year : int or str
        Years with a CEPCI, or a basis name from cepci.yaml ``basis_points``
        (``"turton_2001"`` = 397, ``"idaes_CE500"`` = 500).

    Returns
    -------
    float or ndarray
        ``cost * CEPCI(to_year) / CEPCI(from_year)`` [same currency].
    """
    return np.asarray(cost, dtype=float) * (cepci(to_year) / cepci(from_year))


def usd_per_eur(year: YearLike) -> float:
    """ECB annual-average exchange rate [USD/EUR] of ``year``."""
    table = _fx_table()
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise CostYearError(f"exchange-rate year {year!r} is not a year") from None
    try:
        return table[y]
    except KeyError:
        raise CostYearError(
            f"no USD/EUR exchange rate for year {y}; available years: {_span(sorted(table))} "
            "(property_data/exchange_rates.yaml)"
        ) from None


def _check_currency(cur: str) -> str:
    c = str(cur).upper()
    if c not in CURRENCIES:
        raise ValueError(f"unknown currency {cur!r}; expected one of {CURRENCIES}")
    return c


def to_currency(cost, from_cur: str, to_cur: str, year: YearLike):
    """Convert ``cost`` between USD and EUR at the annual-average rate of ``year``.

    Parameters
    ----------
    cost : float or ndarray
        Amount [from_cur].
    from_cur, to_cur : {"USD", "EUR"}
    year : int
        Year of the exchange rate.

    Returns
    -------
    float or ndarray
        Amount [to_cur].
    """
    return _fx(cost, from_cur, to_cur, year)


def _fx(cost, from_cur: str, to_cur: str, year: YearLike):
    f, t = _check_currency(from_cur), _check_currency(to_cur)
    c = np.asarray(cost, dtype=float)
    if f == t:
        return c
    rate = usd_per_eur(year)
    return c / rate if (f == "USD" and t == "EUR") else c * rate


def convert_cost(cost, currency: str, year: YearLike, *, to_currency: str = "EUR",
                 to_year: int = 2023):
    """Escalate (CEPCI, in the quoted currency) then convert at the target year's rate.

    Parameters
    ----------
    cost : float or ndarray
        Cost [currency, year].
    currency : {"USD", "EUR"}
        Currency the cost is quoted in.
    year : int or str
        Year (or CEPCI basis name) the cost is quoted in.
    to_currency : {"USD", "EUR"}
        Target currency.
    to_year : int
        Target cost year.

    Returns
    -------
    float or ndarray
        Cost [to_currency, to_year].
    """
    return _fx(escalate(cost, year, to_year), currency, to_currency, to_year)
