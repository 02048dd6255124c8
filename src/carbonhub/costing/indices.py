"""Money between currencies and years: :func:`convert_money` is the one function that does it.

Capital costs escalate with CEPCI, operating prices with the consumer price index of their
currency (property_data/price_indices.yaml: Eurostat HICP for EUR, BLS CPI-U for USD), and
change currency at the target year's exchange rate. Every conversion in carbonhub (unit costs,
prices, finance inputs, reference-case figures in the tests, reports) goes through it.

All functions accept scalars or arrays of shape ``(n_cases,)`` and broadcast; the indices are
looked up once per call (per year), never per case.

Convention (:func:`convert_money`): each index is measured in its own currency (CEPCI in USD,
the HICP in EUR). An amount is converted into the index's currency at the exchange rate of its
own year, escalated there, and converted to the target currency at the target year's rate::

    C[EUR, y1] = C[USD, y0] * CEPCI(y1) / CEPCI(y0) / (USD per EUR)(y1)
    C[USD, y0] = C[EUR, y1] * (USD per EUR)(y1) * CEPCI(y0) / CEPCI(y1)     (the exact reverse)

A euro-quoted equipment cost therefore moves between years as the dollar cost it was worth
(CEPCI is a US index; no European equipment index is at hand). Results carry their cost year
and currency.

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
    "convert_money",
    "price_index",
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
        raise ValueError(f"unknown currency {cur!r}; expected one of {', '.join(CURRENCIES)}")
    return c


@lru_cache(maxsize=1)
def _price_index_table() -> dict[str, dict[int, float]]:
    raw = load_yaml("price_indices.yaml")["indices"]
    return {str(c).upper(): {int(k): float(v) for k, v in d["values"].items()} for c, d in raw.items()}


def price_index(currency: str, year: YearLike) -> float:
    """Consumer price index [-] of ``currency`` in ``year`` (EUR: Eurostat HICP euro area,
    2015 = 100; USD: BLS CPI-U, 1982-84 = 100), for operating prices.

    Raises
    ------
    CostYearError
        A year without a value: the message names it and the years available.
    """
    c = _check_currency(currency)
    table = _price_index_table()[c]
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise CostYearError(f"price year {year!r} is not a year") from None
    if isinstance(year, (float, np.floating)) and float(year) != y:
        raise CostYearError(f"price year {year!r} is not a whole year")
    if y not in table:
        raise CostYearError(f"no {c} price index for year {y}; available years: {_span(sorted(table))} "
                            "(property_data/price_indices.yaml)")
    return table[y]


INDEX_CURRENCY = {"capital": "USD", "operating": "EUR"}
"""The currency each index is measured in: CEPCI (capital) is a US index, the HICP (operating)
a euro-area index. Money is converted into that currency at its own year, escalated there, and
converted to the target currency at the target year: the conversion is then exactly invertible
(A -> B -> A gives A back) and never mixes one year's exchange rate with another year's prices."""


def _index_year_for_fx(year: YearLike) -> int:
    """The calendar year of a year or CEPCI basis name (for its exchange rate)."""
    if isinstance(year, str) and not year.strip().isdigit():
        raw = load_yaml("cepci.yaml").get("basis_points") or {}
        y = (raw.get(year) or {}).get("year")
        if y is None:
            raise CostYearError(f"CEPCI basis {year!r} has no calendar year: quote its amounts in USD")
        return int(y)
    return int(year)


def convert_money(value, currency: str, year: YearLike, *, to_currency: str = "EUR",
                  to_year: YearLike = 2023, kind: str = "capital"):
    """Move money between currencies and years: the one conversion function of carbonhub.

    Capital escalates with CEPCI (a USD index), operating prices with the euro-area HICP (a EUR
    index). The amount is converted into the index's currency at its own year's exchange rate
    (ECB annual average), escalated there, and converted to ``to_currency`` at ``to_year``'s
    rate::

        capital:    V[to, y1] = V[cur, y0] * fx(cur->USD, y0) * CEPCI(y1)/CEPCI(y0) * fx(USD->to, y1)
        operating:  V[to, y1] = V[cur, y0] * fx(cur->EUR, y0) * HICP(y1)/HICP(y0)   * fx(EUR->to, y1)

    so that a conversion and its reverse cancel exactly.

    Parameters
    ----------
    value : float or ndarray
        Amount [currency of ``year``].
    currency : {"EUR", "USD"}
        Currency the amount is quoted in.
    year : int or str
        Year of the amount (capital in USD: also a CEPCI basis name, e.g. ``"turton_2001"``).
    to_currency : {"EUR", "USD"}
    to_year : int
    kind : {"capital", "operating"}
        CEPCI (equipment and plant costs) or HICP (prices, wages, operating costs).

    Returns
    -------
    float or ndarray
        Amount [to_currency of to_year].

    Raises
    ------
    CostYearError
        A year outside the index or exchange-rate table (the message names the allowed years).
    ValueError
        An unknown currency or kind (the message lists the allowed ones).

    Example
    -------
    >>> round(float(convert_money(100.0, "USD", 2007, to_currency="EUR", to_year=2023)), 2)
    140.45
    >>> round(float(convert_money(100.0, "EUR", 2015, to_year=2023, kind="operating")), 2)
    123.15
    """
    f, t = _check_currency(currency), _check_currency(to_currency)
    if kind not in INDEX_CURRENCY:
        raise ValueError(f"unknown kind of money {kind!r}; expected 'capital' (CEPCI) or 'operating' "
                         "(price index)")
    base = INDEX_CURRENCY[kind]
    v = np.asarray(value, dtype=float)
    if f != base:
        v = _fx(v, f, base, _index_year_for_fx(year))
    if kind == "capital":
        v = escalate(v, year, to_year)
    else:
        v = v * (price_index(base, to_year) / price_index(base, year))
    return _fx(v, base, t, to_year) if t != base else v


def to_currency(cost, from_cur: str, to_cur: str, year: YearLike):
    """Convert ``cost`` between USD and EUR at the annual-average rate of ``year`` (no
    escalation; use :func:`convert_money` to move money between years).

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
    return convert_money(cost, currency, year, to_currency=to_currency, to_year=to_year, kind="capital")
