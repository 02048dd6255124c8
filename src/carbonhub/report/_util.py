"""Small helpers shared by the report modules: JSON-safe values, number formatting, the case
shown in figures, KPI units read from KPI names. No matplotlib here."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult


def to_py(v: Any) -> Any:
    """A JSON-safe Python value: numpy scalars/arrays to float/int/bool/str/list, NaN and
    infinities to None, mappings and sequences recursively."""
    if v is None or type(v) is bool:
        return v
    if isinstance(v, str):  # includes numpy.str_
        return str(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return f if math.isfinite(f) else None
    if isinstance(v, np.ndarray):
        return [to_py(x) for x in v.tolist()] if v.ndim else to_py(v.item())
    if isinstance(v, dict):
        return {str(k): to_py(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [to_py(x) for x in v]
    if hasattr(v, "item") and callable(v.item):  # other numpy-like scalars
        try:
            return to_py(v.item())
        except (TypeError, ValueError):
            pass
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return f if math.isfinite(f) else None


def per_case(values: Any, n: int) -> Any:
    """A JSON value for a per-case array: a scalar when ``n == 1``, else a list of length n."""
    a = np.asarray(values)
    if a.ndim == 0:
        a = np.full(n, a.item(), dtype=a.dtype if a.dtype.kind in "USO" else float)
    a = a.reshape(-1)
    if n == 1:
        return to_py(a[0])
    return [to_py(x) for x in a.tolist()]


def fmt(v: Any, sig: int = 4) -> str:
    """A number for people: 4 significant digits, thousands separators for large values,
    "–" for NaN/None; strings pass through."""
    if v is None:
        return "–"
    if isinstance(v, (str, np.str_)):
        return str(v)
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not math.isfinite(f):
        return "–"
    if f == 0:
        return "0"
    a = abs(f)
    if f == round(f) and a < 1e9:
        return f"{f:,.0f}"
    if a >= 1e9 or a < 1e-3:
        return f"{f:.{sig - 1}e}"
    if a >= 10 ** (sig - 1):
        return f"{f:,.0f}"
    decimals = max(sig - 1 - int(math.floor(math.log10(a))), 0)
    text = f"{f:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def shown_case(res: "SimulationResult", case: int | None = None) -> int:
    """The case a figure shows: ``case`` if given (checked), else the first "ok" case (0 when
    none is ok)."""
    n = res.n_cases
    if case is None:
        ok = np.flatnonzero(np.asarray(res.status) == "ok")
        return int(ok[0]) if ok.size else 0
    c = int(case)
    if not 0 <= c < n:
        raise IndexError(f"case {case}: expected 0 <= case < {n} (the result has {n} cases)")
    return c


def route_name(fs: Any) -> str:
    spec = getattr(fs, "route_spec", None)
    if isinstance(spec, dict) and spec.get("route"):
        return str(spec["route"])
    return str(getattr(fs, "name", "flowsheet"))


def build_params(fs: Any) -> dict[str, Any]:
    """The build options the route was built with (``fs.route_spec["build_params"]``, as given
    to ``carbonhub.routes.load``; ``{}`` for defaults or a flowsheet not from the library)."""
    spec = getattr(fs, "route_spec", None)
    return dict(spec.get("build_params") or {}) if isinstance(spec, dict) else {}


def build_facts(fs: Any) -> str:
    """:func:`build_words` of the flowsheet's route and build options ("" for a flowsheet not
    built by ``carbonhub.routes.load``)."""
    if not isinstance(getattr(fs, "route_spec", None), dict):
        return ""
    return build_words(route_name(fs), build_params(fs))


def build_words(route: str, given: dict[str, Any]) -> str:
    """A route's build options in words for a report (``zld = true; h2_source = purchased
    (default)``): those ``given``, then every other option of its ``build()`` marked as the
    default; "" when it has none (or is not a library route and none was given)."""
    try:
        from ..routes import build_options

        options = build_options(route)
    except Exception:  # noqa: BLE001 - a flowsheet not from the route library: what was given
        options = {}
    words = [f"{k} = {str(v).lower() if isinstance(v, bool) else v}" for k, v in given.items()]
    words += [f"{o.name} = {o.shown_default()} (default)" for o in options.values() if o.name not in given]
    return "; ".join(words)


_UNIT_SUFFIXES = (
    ("_tC_per_y", "t C/y"),
    ("_eur_per_t", "EUR/t"), ("_eur_per_y", "EUR/y"), ("_eur_per_MWh", "EUR/MWh"),
    ("_eur", "EUR"), ("_t_per_h", "t/h"), ("_t_per_y", "t/y"), ("_t_per_d", "t/d"),
    ("_MW", "MW"), ("_kW", "kW"), ("_W", "W"), ("_K", "K"), ("_Pa", "Pa"), ("_bar", "bar"),
    ("_pct", "%"), ("_fraction", "-"), ("_efficiency", "-"), ("_efficiency_lhv", "-"),
    ("_rel", "-"), ("_y", "y"),
)


def kpi_unit(name: str, money: str = "EUR") -> str:
    """The unit a KPI name states (``msp_eur_per_t`` -> "EUR/t"); "" when it states none.

    ``money`` labels amounts of money with their currency and cost year (e.g. ``"EUR2023"``:
    ``tci_eur`` -> "EUR2023"); CO2 flows read "t CO2/y", carbon flows (``_tC_per_y``) "t C/y".
    """
    base = name.split(".", 1)[0]
    if base.startswith("co2_") and base.endswith("_t_per_y"):
        return "t CO2/y"
    if base.startswith("co2_") and base.endswith("_t_per_t_product"):
        return "t CO2/t product"
    if base.endswith("_t_per_t_feed"):
        return "t/t feed"
    if base.startswith("carbon_efficiency"):
        return "-"
    for suffix, unit in _UNIT_SUFFIXES:
        if base.endswith(suffix):
            return unit.replace("EUR", money) if unit.startswith("EUR") else unit
    if "efficiency" in base or "fraction" in base:
        return "-"
    return ""


def finite(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=float).reshape(-1)
    return a[np.isfinite(a)]


def spread(desired: list[float], gap: float, lo: float, hi: float) -> list[float]:
    """Label heights near ``desired`` (given top to bottom) at least ``gap`` apart, inside
    [lo, hi] when they fit; the order is kept."""
    if not desired:
        return []
    ys = [min(desired[0], hi)]
    for d in desired[1:]:
        ys.append(min(d, ys[-1] - gap))
    if ys[-1] < lo:  # pushed out at the bottom: push back up from there
        ys[-1] = lo
        for i in range(len(ys) - 2, -1, -1):
            ys[i] = max(ys[i], ys[i + 1] + gap)
    return ys


def money_label(res) -> str:
    """Currency and cost year of a result's money, e.g. ``"EUR2023"`` (``"EUR"`` without
    economics)."""
    try:
        cy = np.asarray(res.param("economics.cost_year"), dtype=float).ravel()
    except Exception:  # no economics group
        return "EUR"
    return f"EUR{int(cy[0])}" if cy.size and np.isfinite(cy[0]) else "EUR"
