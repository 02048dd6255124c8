"""Units at the API edge: one pint registry and SI conversion helpers.

Inside carbonhub everything is SI (K, Pa, mol/s, kg/s, W, J/mol). Users may give
quantities with units at the edge; :func:`to_si` converts them and raises a clear
error naming the parameter when the dimension is wrong.

Example
-------
>>> from carbonhub.units import to_si, ureg
>>> to_si("1200 K", "K", name="gasifier.T")
1200.0
>>> round(float(to_si((927, "degC"), "K", name="gasifier.T")), 2)
1200.15
>>> round(float(to_si(2000 * ureg("t/d"), "kg/s", name="feed.rate")), 4)
23.1481
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["ureg", "to_si", "UnitError", "parse_quantity", "ATM", "KWH", "HOUR", "DAY", "SHORT_TON",
           "BTU_J", "FT3_M3", "LB_KG", "MWH"]

# Exact conversion factors to SI, defined once (NIST SP 811, Appendix B)
ATM = 101325.0
"""Standard atmosphere [Pa]."""
KWH = 3.6e6
"""Kilowatt hour [J]."""
MWH = 3.6e9
"""Megawatt hour [J]."""
HOUR = 3600.0
"""[s]"""
DAY = 86400.0
"""[s]"""
SHORT_TON = 907.18474
"""US short ton [kg] (the size unit of the NETL cost accounts in reference_plants.yaml)."""
BTU_J = 1055.05585262
"""International Table Btu [J]."""
FT3_M3 = 0.028316846592
"""Cubic foot [m3]."""
LB_KG = 0.45359237
"""Avoirdupois pound [kg]."""


class UnitError(ValueError):
    """A quantity was given with a unit of the wrong dimension, or an unparsable unit."""


@lru_cache(maxsize=1)
def _registry():
    import pint

    reg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    reg.define("tonne_per_day = tonne / day = tpd")
    reg.define("EUR = [currency_eur]")
    reg.define("USD = [currency_usd]")
    reg.define("kWh_el = kWh")
    return reg


class _LazyRegistry:
    """The project's one pint registry, created on first use (keeps import fast)."""

    def __getattr__(self, item: str) -> Any:
        return getattr(_registry(), item)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _registry()(*args, **kwargs)


ureg = _LazyRegistry()


def parse_quantity(value: Any, name: str = "value"):
    """Return a pint Quantity for ``"1200 K"``, ``(927, "degC")`` or a Quantity."""
    reg = _registry()
    if isinstance(value, reg.Quantity):
        return value
    if isinstance(value, str):
        try:
            return reg.Quantity(value)
        except Exception as exc:  # pint raises several kinds
            raise UnitError(f"{name}: cannot parse quantity {value!r} ({exc})") from None
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str):
        mag, unit = value
        try:
            return reg.Quantity(np.asarray(mag, dtype=float) if not np.isscalar(mag) else float(mag), unit)
        except Exception as exc:
            raise UnitError(f"{name}: cannot parse unit {unit!r} ({exc})") from None
    raise UnitError(f"{name}: {value!r} is not a quantity with units")


def to_si(value: Any, unit: str, name: str = "value") -> Any:
    """Convert ``value`` to ``unit`` (the SI unit the code works in) and return magnitudes.

    A plain number or array is taken to be in ``unit`` already. A string, a
    ``(magnitude, unit)`` tuple or a pint Quantity is converted; a wrong dimension raises
    :class:`UnitError` naming ``name``, the value and the expected unit.
    """
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, (list, np.ndarray)):
        return np.asarray(value, dtype=float)
    q = parse_quantity(value, name)
    reg = _registry()
    try:
        target = reg.Unit(unit)
    except Exception as exc:
        raise UnitError(f"{name}: unknown target unit {unit!r} ({exc})") from None
    if q.dimensionality != target.dimensionality:
        raise UnitError(
            f"{name}: {value!r} has dimension {q.dimensionality}, expected a quantity "
            f"convertible to {unit} ({target.dimensionality})"
        )
    mag = q.to(target).magnitude
    return float(mag) if np.isscalar(mag) else np.asarray(mag, dtype=float)
