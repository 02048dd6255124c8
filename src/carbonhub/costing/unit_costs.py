"""Cost of each unit [EUR of the cost year]: Turton, SSLW, reference-plant blocks (by their
declared basis) and declared costs, converted with :func:`~carbonhub.costing.indices.convert_money`;
and the labour class of a unit for the operator count.

A unit dict (see :mod:`carbonhub.costing.tea`) gives ``unit_id``, ``item``, ``size``,
``size_unit`` and the item's options (``small_size_rule``: how a size below the correlation's
range is costed, :data:`carbonhub.costing.correlations.SMALL_SIZE_RULES`); ``active`` (per case 0/1) and ``included_in`` (the unit
holding its cost) come from the scope rule of :func:`carbonhub.costing.flowsheet.unit_table`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from carbonhub.costing.indices import convert_money

__all__ = ["UnitCost", "cost_unit", "cost_units", "labour_class"]

_FLUID_WORDS = ("heat_exchanger", "compressor", "tower", "fired_heater", "heater", "turbine",
                "reactor", "expander")


@dataclass(frozen=True)
class UnitCost:
    """Cost of one unit over all cases [EUR, cost year]."""

    unit_id: str
    item: str
    purchased_eur: np.ndarray
    installed_eur: np.ndarray
    n_trains: np.ndarray
    basis: str = "installed"
    """``installed`` (installed_eur is an installed cost: indirect factors apply) or
    ``fixed_capital`` (installed_eur is the all-in fixed capital of a complete unit)."""
    included_in: np.ndarray | None = None
    """Per case, the unit id whose block holds this unit's cost ('' where costed here)."""


def _unit_factor(frm: str, to: str, label: str) -> float:
    """Factor converting a size in unit ``frm`` to unit ``to`` (1 if the strings agree)."""
    import re

    def norm(u: str) -> str:   # "m2" -> "m**2", "ft3/min" -> "ft**3/min", "t/y" -> "t/year"
        u = re.sub(r"([A-Za-z])\^?(\d)", r"\1**\2", u.strip().replace("**", "^"))
        return re.sub(r"/(y|a)$", "/year", u)

    a, b = norm(frm), norm(to)
    if a == b:
        return 1.0
    from carbonhub.units import ureg

    try:
        return float(ureg.Quantity(1.0, a).to(b).magnitude)
    except Exception as exc:  # pint raises several kinds
        raise ValueError(f"{label}: size_unit {frm!r} cannot be converted to the correlation "
                         f"unit {to!r} ({exc})") from None


def cost_unit(unit: Mapping[str, Any], cost_year: int = 2023) -> UnitCost:
    """Purchased and installed cost [EUR, cost_year] of one unit (see module docstring).

    A size outside its correlation's range warns (:class:`~carbonhub.costing.correlations.
    CostRangeWarning`) with the unit's id in front, and only if the unit is costed here in some
    case (not where its cost sits inside another unit's block)."""
    import warnings

    from carbonhub.costing.correlations import CostRangeWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        uc = _cost_unit(unit, cost_year)
    for w in caught:
        if not issubclass(w.category, CostRangeWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        elif np.any(np.asarray(unit.get("active", 1.0)) > 0):
            warnings.warn(f"unit {uc.unit_id!r}: {w.message}", CostRangeWarning, stacklevel=2)
    return uc


def _cost_unit(unit: Mapping[str, Any], cost_year: int) -> UnitCost:
    from carbonhub.costing import correlations as cor

    if not unit.get("unit_id"):
        raise ValueError(f"unit without a 'unit_id': {dict(unit)!r:.200}")
    uid = str(unit["unit_id"])
    item = str(unit.get("item", ""))
    kind, _, name = item.partition(".")
    label = f"unit {uid!r} ({item})"
    cost_basis = "installed"
    params = dict(unit.get("params") or {})
    size = unit.get("size")
    rule = unit.get("small_size_rule", "capacity_exponent")  # below a correlation's range
    if kind == "turton":
        d = cor.turton_item(name)
        s = np.asarray(size, dtype=float) * _unit_factor(unit.get("size_unit", d["size_unit"]),
                                                         d["size_unit"], label)
        cp0, cbm, n = cor.turton_costs(
            name, s, material=unit.get("material"),
            pressure=unit.get("pressure_barg", params.get("dp_kPa")),
            diameter_m=params.get("diameter_m"), n_trays=params.get("n_trays"),
            superheat_K=params.get("superheat_K"),
            tube_side_only=bool(params.get("tube_side_only", False)), small_size_rule=rule)
        basis, cur = "turton_2001", "USD"
        purchased, installed = cp0, cbm
    elif kind == "sslw":
        purchased, n = _sslw_cost(name, unit, params, label)
        if unit.get("install_factor") is None:
            raise ValueError(f"{label}: SSLW correlations give purchase costs; give the unit an "
                             "'install_factor' (e.g. a Guthrie bare-module factor)")
        installed = purchased * float(unit["install_factor"])
        basis, cur = "idaes_CE500", "USD"
    elif kind == "ref":
        e = cor.reference_plant(name)
        cor.check_entry(e, f"ref.{name}")
        eu = cor.entry_unit(e)
        s = np.asarray(size, dtype=float) * _unit_factor(
            str(unit.get("size_unit", eu)).split(" (")[0].strip(), eu, label)
        purchased, n = cor.scaled_cost(e, s, installed=False, return_trains=True, name=name,
                                       small_size_rule=rule)
        f = e.get("install_factor")
        installed = purchased * (1.0 if f is None else float(f))
        basis, cur = e["year"], e["currency"]
        cost_basis = "fixed_capital" if cor.entry_basis(e, f"ref.{name}") == "fixed_capital" \
            else "installed"
    elif item == "declared":
        cur, basis = unit.get("cost_currency", "EUR"), unit.get("cost_year", cost_year)
        if unit.get("fixed_capital_cost") is not None:
            installed = np.asarray(unit["fixed_capital_cost"], dtype=float)
            purchased = installed
            cost_basis = "fixed_capital"
        elif unit.get("installed_cost") is not None:
            installed = np.asarray(unit["installed_cost"], dtype=float)
            purchased = installed / float(unit.get("install_factor") or 1.0)
        elif unit.get("purchased_cost") is not None:
            purchased = np.asarray(unit["purchased_cost"], dtype=float)
            if unit.get("install_factor") is None:
                raise ValueError(f"{label}: a declared purchased_cost needs an install_factor")
            installed = purchased * float(unit["install_factor"])
        else:
            raise ValueError(f"{label}: a declared item needs 'installed_cost', "
                             "'purchased_cost' or 'fixed_capital_cost'")
        if np.any(installed < 0):
            raise ValueError(f"{label}: declared cost must be >= 0, got "
                             f"{float(np.min(installed))!r}")
        n = np.ones(np.shape(installed), dtype=np.int64)
    else:
        raise ValueError(f"{label}: unknown item kind; expected 'turton.<item>', 'sslw.<item>', "
                         "'ref.<block>' or 'declared'")
    k = float(convert_money(1.0, cur, basis, to_currency="EUR", to_year=cost_year, kind="capital"))
    active = np.asarray(unit.get("active", 1.0), dtype=float)
    purchased, installed = purchased * k * active, installed * k * active
    inc = unit.get("included_in")
    return UnitCost(uid, item, np.atleast_1d(purchased), np.atleast_1d(installed),
                    np.atleast_1d(n), cost_basis, None if inc is None else np.atleast_1d(inc))


def _sslw_cost(name: str, unit: Mapping[str, Any], params: dict, label: str):
    from carbonhub.costing import sslw

    opts = {k: v for k, v in params.items()}
    smax = unit.get("S_max_per_train")
    size = unit.get("size")
    units = {"heat_exchanger": "m2", "compressor": "kW", "fired_heater": "kW", "turbine": "kW",
             "blower": "kW", "fan": "m3/s", "pump": "m3/s", "vessel": "m3"}
    if name not in units:
        raise ValueError(f"{label}: unknown SSLW item {name!r}; expected one of {sorted(units)}")
    s = np.asarray(size, dtype=float) * _unit_factor(unit.get("size_unit", units[name]),
                                                     units[name], label)
    if name == "vessel":
        if "diameter_m" not in opts:
            raise ValueError(f"{label}: SSLW vessel needs params diameter_m")
        d = np.asarray(opts.pop("diameter_m"), dtype=float)
        length = s / (np.pi / 4.0 * d * d)
        return sslw.sslw_vessel(d, length, **opts), np.ones(np.shape(s), dtype=np.int64)
    if name in ("heat_exchanger", "fired_heater") and unit.get("pressure_barg") is not None:
        opts["pressure_barg"] = unit["pressure_barg"]
    if unit.get("material") is not None:
        opts["material"] = unit["material"]
    fn = getattr(sslw, f"sslw_{name}")
    smax_kw = {"heat_exchanger": "s_max_m2", "fan": "s_max_m3_s", "pump": "s_max_m3_s"}.get(
        name, "s_max_kW")
    return fn(s, **opts, **{smax_kw: smax}, return_trains=True)


def cost_units(units: Sequence[Mapping[str, Any]], cost_year: int = 2023) -> dict[str, UnitCost]:
    """:func:`cost_unit` for every unit; unit ids must be unique."""
    out: dict[str, UnitCost] = {}
    for u in units:
        uc = cost_unit(u, cost_year)
        if uc.unit_id in out:
            raise ValueError(f"duplicate unit_id {uc.unit_id!r}")
        out[uc.unit_id] = uc
    return out


def labour_class(unit: Mapping[str, Any]) -> str:
    cls = unit.get("labour")
    if cls is not None:
        if cls not in ("fluid", "solids", "none"):
            raise ValueError(f"unit {unit.get('unit_id')!r}: labour must be 'fluid', 'solids' or "
                             f"'none', got {cls!r}")
        return str(cls)
    item = str(unit.get("item", ""))
    if item.startswith("ref."):
        return "fluid"
    return "fluid" if any(w in item for w in _FLUID_WORDS) else "none"
