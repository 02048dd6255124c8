"""Equipment purchase-cost correlations (Turton/CAPCOST), reference-plant scaling, parallel trains.

Pure functions on arrays of shape ``(n_cases,)``. Costs are returned in the currency and cost
basis of the correlation (Turton: USD at CEPCI 397; reference plants: the entry's currency and
year); :mod:`carbonhub.costing.indices` escalates and converts them.

Valid ranges
    A size above the correlation's maximum is split into ``n = ceil(S / S_max)`` identical
    parallel trains, each costed at ``S / n`` (what practitioners do, and what Turton recommends
    instead of extrapolating). A size below the minimum ``S_min`` is costed by the small-size
    rule (:data:`SMALL_SIZE_RULES`, per case; the routes' parameter
    ``economics.small_size_rule``):

    ``capacity_exponent`` (default)
        the cost at the range minimum scaled down with the correlation's capacity exponent,
        ``C(S) = C(S_min) (S / S_min)^n`` [1]_ (Eq. 7.1; [2]_ Sect. 7.3), i.e. the cost-capacity
        power law continued from the smallest size the correlation was fitted to. ``n`` is a
        reference-plant entry's own ``exponent`` (its power law simply continues) and, for a
        Turton item (a quadratic in log-log form with no single exponent), the item's
        ``small_size_exponent`` in cost_correlations.yaml, else 0.6, the six-tenths rule [3]_.
        Continuous at ``S_min``.
    ``range_minimum``
        the cost at ``S_min`` (the smallest item the correlation was fitted to): an upper bound,
        which over-prices small items (a 0.84 kW compressor costed as a 450 kW one).

    Either case emits one :class:`CostRangeWarning` per call naming the item, the range, how
    many cases were affected and the rule applied; the number of trains per case is returned
    with ``return_trains=True``.

Example
-------
>>> from carbonhub.costing.correlations import turton_cp0, turton_cbm
>>> round(float(turton_cp0("heat_exchanger_fixed_tube", 100.0)))   # USD, CEPCI 397
23567
>>> round(float(turton_cbm("heat_exchanger_fixed_tube", 100.0, material="CS/SS")))
109223

References
----------
.. [1] Turton, R., Bailie, R.C., Whiting, W.B., Shaeiwitz, J.A., Bhattacharyya, D. (2012).
   Analysis, Synthesis, and Design of Chemical Processes, 4th ed., Prentice Hall,
   ISBN 978-0-13-261812-0, Appendix A (Eqs. A.1-A.4, Tables A.1-A.6, Figs. A.18-A.19).
.. [2] Towler, G., Sinnott, R. (2013). Chemical Engineering Design, 2nd ed.,
   ISBN 978-0-08-096659-5, Section 7.3 (capacity-exponent scaling C = C_ref (S/S_ref)^n).
.. [3] Williams, R. Jr. (1947). Six-tenths factor aids in approximating costs. Chemical
   Engineering 54(12), 124-125 (cost of equipment of another capacity: C2 = C1 (S2/S1)^0.6).
"""
from __future__ import annotations

import warnings
from functools import lru_cache
from typing import Any, Mapping

import numpy as np

from carbonhub.data import load_yaml

__all__ = [
    "CostRangeWarning",
    "SMALL_SIZE_RULES",
    "SIX_TENTHS",
    "check_size",
    "parallel_trains",
    "sized_trains",
    "turton_items",
    "turton_item",
    "turton_cp0",
    "turton_pressure_factor",
    "turton_material_factor",
    "turton_cbm",
    "turton_costs",
    "reference_plant",
    "reference_plants",
    "entry_unit",
    "check_entry",
    "scaled_cost",
]


class CostRangeWarning(UserWarning):
    """A size (or pressure) lies outside a cost correlation's range of validity."""


# ---------------------------------------------------------------------------------------------
# sizes and trains


def check_size(size, item: str, unit: str) -> np.ndarray:
    """Return ``size`` as a float array; raise ValueError if any value is <= 0 or not finite.

    The message names the item, the first offending value and the unit.
    """
    s = np.asarray(size, dtype=float)
    bad = ~np.isfinite(s) | (s <= 0.0)
    if np.any(bad):
        first = float(s[bad].flat[0]) if s.ndim else float(s)
        raise ValueError(
            f"{item}: size must be positive and finite, got {first!r} {unit} "
            f"({int(np.count_nonzero(bad))} of {s.size} cases)"
        )
    return s


SMALL_SIZE_RULES = ("capacity_exponent", "range_minimum")
"""How a size below a correlation's range minimum is costed (module docstring, Valid ranges):
``capacity_exponent`` (default), ``C(S_min) (S/S_min)^n``; ``range_minimum``, ``C(S_min)``."""

SIX_TENTHS = 0.6
"""Capacity exponent of the six-tenths rule (Williams 1947), used below a Turton item's range
when the item states no ``small_size_exponent`` of its own."""


def _rule_mask(rule, shape, item: str) -> np.ndarray:
    """Per case: True where the small-size rule is ``capacity_exponent``."""
    if isinstance(rule, str) and rule in SMALL_SIZE_RULES:  # one rule for every case (the usual)
        return np.broadcast_to(rule == "capacity_exponent", shape)
    r = np.asarray(rule)
    bad = ~np.isin(r, SMALL_SIZE_RULES)
    if np.any(bad):
        raise ValueError(f"{item}: small_size_rule {str(r[bad].flat[0])!r}; expected one of "
                         f"{', '.join(SMALL_SIZE_RULES)}")
    return np.broadcast_to(r == "capacity_exponent", shape)


def sized_trains(size, s_max: float | None, s_min: float | None = None, *, item: str,
                 unit: str, exponent: float = SIX_TENTHS, rule="capacity_exponent",
                 warn: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parallel trains above ``s_max``; the small-size rule below ``s_min`` (module docstring).

    Parameters
    ----------
    size : float or ndarray, shape (n_cases,)
        Total required size [unit].
    s_max, s_min : float or None
        Range of validity of the correlation per train [unit]; None = unbounded.
    item, unit : str
        Names used in messages.
    exponent : float
        Capacity exponent n of the rule ``capacity_exponent`` [-].
    rule : str or ndarray of str, shape (n_cases,)
        One of :data:`SMALL_SIZE_RULES` (per case).
    warn : bool
        Emit a :class:`CostRangeWarning` when any case is outside the range.

    Returns
    -------
    n_trains : ndarray of int64
        Number of identical parallel trains per case (>= 1).
    size_per_train : ndarray
        Size at which to evaluate the correlation per train [unit] (at least ``s_min``).
    scale : ndarray
        Factor on that cost per train [-]: ``(S / s_min)^exponent`` below the range under
        ``capacity_exponent``, else 1.

    Example
    -------
    >>> n, s, k = sized_trains([200.0, 900.0, 5000.0], 3000.0, 450.0, item="x", unit="kW",
    ...                        warn=False)
    >>> n.tolist(), s.tolist(), [round(float(v), 6) for v in k]
    ([1, 1, 2], [450.0, 900.0, 2500.0], [0.614739, 1.0, 1.0])
    """
    s = check_size(size, item, unit)
    n = np.ones(s.shape, dtype=np.int64)
    if s_max is not None:
        over = s > s_max
        if np.any(over):
            n = np.where(over, np.ceil(s / s_max), 1.0).astype(np.int64)
            if warn:
                warnings.warn(
                    f"{item}: {int(np.count_nonzero(over))} of {s.size} cases above the "
                    f"correlation maximum {s_max:g} {unit} (largest {float(np.max(s)):.4g} "
                    f"{unit}): costed as up to {int(np.max(n))} parallel trains",
                    CostRangeWarning, stacklevel=3)
    per_train = s / n
    scale = np.ones(s.shape)
    if s_min is not None:
        under = per_train < s_min
        ext = _rule_mask(rule, s.shape, item)
        if np.any(under):
            scale = np.where(under & ext, (per_train / s_min) ** exponent, 1.0)
            if warn:
                how = [f"from the minimum size with capacity exponent {exponent:g} "
                       "(C(S_min) (S/S_min)^n)"] if np.any(under & ext) else []
                how += ["at the minimum size"] if np.any(under & ~ext) else []
                warnings.warn(
                    f"{item}: {int(np.count_nonzero(under))} of {s.size} cases below the "
                    f"correlation minimum {s_min:g} {unit} (smallest "
                    f"{float(np.min(per_train)):.4g} {unit}): costed {' or '.join(how)}",
                    CostRangeWarning, stacklevel=3)
            per_train = np.maximum(per_train, s_min)
    return n, per_train, scale


def parallel_trains(size, s_max: float | None, s_min: float | None = None, *, item: str,
                    unit: str, warn: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Split sizes above ``s_max`` into parallel trains; sizes below ``s_min`` are returned at
    ``s_min`` (the rule ``range_minimum``; :func:`sized_trains` also gives the factor of the
    default small-size rule).

    Returns
    -------
    n_trains : ndarray of int64
        Number of identical parallel trains per case (>= 1).
    size_per_train : ndarray
        Size of each train [unit], clipped up to ``s_min``.
    """
    n, s, _ = sized_trains(size, s_max, s_min, item=item, unit=unit, rule="range_minimum",
                           warn=warn)
    return n, s


# ---------------------------------------------------------------------------------------------
# Turton (CAPCOST) correlations


@lru_cache(maxsize=1)
def _turton() -> dict[str, dict[str, Any]]:
    raw = load_yaml("cost_correlations.yaml")["turton"]
    out: dict[str, dict[str, Any]] = {}
    for name, entry in raw.items():
        e = dict(entry)
        ref = e.get("material_factor_same_as")
        if ref is not None and "material_factor" not in e:
            e["material_factor"] = raw[ref]["material_factor"]
        if e.get("pressure_factor_formula", "").startswith("same as"):
            e["pressure_factor_formula"] = raw[e["pressure_factor_formula"].split()[-1]][
                "pressure_factor_formula"]
        out[name] = e
    return out


def turton_items() -> list[str]:
    """Names of the Turton items in ``property_data/cost_correlations.yaml``."""
    return sorted(_turton())


def turton_item(item: str) -> Mapping[str, Any]:
    """The data of one Turton item (K, size range, bare-module factors, source)."""
    data = _turton()
    try:
        return data[item]
    except KeyError:
        raise KeyError(f"unknown Turton item {item!r}; known items: {sorted(data)}") from None


_LN10 = np.log(10.0)


def _log10_poly(c, x):
    lx = np.log10(x)
    return np.exp(_LN10 * (c[0] + c[1] * lx + c[2] * lx * lx))   # 10**(...), faster


def turton_cp0(item: str, size, *, return_trains: bool = False,
               small_size_rule="capacity_exponent"):
    """Turton base purchased cost Cp0 [USD, CEPCI 397] (carbon steel, near-ambient pressure).

    ``log10 Cp0 = K1 + K2 log10 A + K3 (log10 A)^2`` per train, times the number of trains.

    Parameters
    ----------
    item : str
        Turton item name, e.g. ``"heat_exchanger_fixed_tube"`` (see :func:`turton_items`).
    size : float or ndarray, shape (n_cases,)
        Capacity A in the item's ``size_unit`` (m2, m3, kW, m3/s).
    return_trains : bool
        Also return the number of parallel trains per case.
    small_size_rule : str or ndarray of str
        Below the item's ``size_min``: one of :data:`SMALL_SIZE_RULES` (per case).

    Returns
    -------
    ndarray or (ndarray, ndarray)
        Cp0 of all trains [USD, CEPCI 397] (and the number of trains).
    """
    d = turton_item(item)
    n, a, k = sized_trains(size, d.get("size_max"), d.get("size_min"), item=f"turton.{item}",
                           unit=d["size_unit"], rule=small_size_rule,
                           exponent=float(d.get("small_size_exponent", SIX_TENTHS)))
    cost = n * _log10_poly(d["K"], a) * k
    return (cost, n) if return_trains else cost


def _vessel_fp(p, diameter_m, item):
    """Turton Eq. A.2 vessel pressure factor (as stated in cost_correlations.yaml)."""
    if diameter_m is None:
        raise ValueError(f"turton.{item}: the vessel pressure factor needs params "
                         "diameter_m [m] when pressure_barg is given")
    d = np.asarray(diameter_m, dtype=float)
    if np.any(~np.isfinite(d) | (d <= 0)):
        raise ValueError(f"turton.{item}: diameter_m must be positive, got "
                         f"{np.min(d)!r} m")
    # FP = ((P+1) D / (2 (850 - 0.6 (P+1))) + 0.00315) / 0.0063   [Turton Eq. A.2]
    fp = ((p + 1.0) * d / (2.0 * (850.0 - 0.6 * (p + 1.0))) + 0.00315) / 0.0063
    fp = np.maximum(fp, 1.0)
    return np.where(p < -0.5, 1.25, fp)   # vacuum vessels: FP = 1.25 [Turton App. A]


def turton_pressure_factor(item: str, pressure, *, diameter_m=None,
                           tube_side_only: bool = False) -> np.ndarray:
    """Turton pressure factor F_P [-].

    Parameters
    ----------
    item : str
        Turton item name.
    pressure : float or ndarray or None
        Design pressure [barg] (fans: pressure rise [kPa]). None -> F_P = 1.
    diameter_m : float or ndarray, optional
        Vessel diameter [m]; required for vessels and towers when ``pressure`` is given.
    tube_side_only : bool
        Heat exchangers: only the tube side is at pressure.

    Returns
    -------
    ndarray
        F_P [-] (1 below the lowest pressure band). Above the highest band the last band is
        extrapolated with a :class:`CostRangeWarning`.
    """
    d = turton_item(item)
    if pressure is None:
        return np.asarray(1.0)
    p = np.asarray(pressure, dtype=float)
    if "pressure_factor_formula" in d:
        return _vessel_fp(p, diameter_m, item)
    key = "pressure_factor_tube_only" if tube_side_only and "pressure_factor_tube_only" in d \
        else "pressure_factor"
    bands = d.get(key)
    if not bands or bands == "none":
        return np.ones_like(p)
    lo_key, hi_key = ("dP_min_kPa", "dP_max_kPa") if "dP_max_kPa" in bands[0] else \
        ("P_min_barg", "P_max_barg")
    fp = np.ones_like(p)
    top = bands[-1][hi_key]
    for band in bands:
        c = band["C"]
        if not any(c):
            continue
        lo = band[lo_key] if band[lo_key] is not None else -np.inf
        hi = band[hi_key] if band is not bands[-1] else np.inf
        mask = (p >= lo) & (p < hi)
        if np.any(mask):
            fp = np.where(mask, _log10_poly(c, np.where(mask, p, 1.0)), fp)
    if np.any(p > top):
        warnings.warn(f"turton.{item}: {int(np.count_nonzero(p > top))} cases above the "
                      f"pressure-factor range ({top:g} {hi_key.split('_')[-1]}, highest "
                      f"{float(np.max(p)):.4g}): last band extrapolated", CostRangeWarning,
                      stacklevel=2)
    return fp


def turton_material_factor(item: str, material: str | None) -> float:
    """Material factor [-]: F_M (B1B2 form) or F_BM (FBM form) of ``material``.

    ``None`` selects the base material (the first key of the table: carbon steel or cast iron).
    """
    d = turton_item(item)
    table = d.get("material_factor") if d["bare_module_form"] == "B1B2" else d.get("F_BM")
    if not table:
        return 1.0
    if material is None:
        return float(next(iter(table.values())))
    if material in table:
        return float(table[material])
    if "all" in table:
        return float(table["all"])
    raise ValueError(f"turton.{item}: unknown material {material!r}; expected one of "
                     f"{sorted(table)}")


def turton_cbm(item: str, size, *, material: str | None = None, pressure=None,
               diameter_m=None, n_trays=None, superheat_K=None, tube_side_only: bool = False,
               return_trains: bool = False, small_size_rule="capacity_exponent"):
    """Turton bare-module cost C_BM [USD, CEPCI 397] (purchase + installation, module method).

    B1B2 form: ``C_BM = Cp0 (B1 + B2 F_M F_P)``; FBM form: ``C_BM = Cp0 F_BM F_P`` (trays:
    times the number of trays and the tray quantity factor; fired heaters: times the
    superheat factor).

    Parameters
    ----------
    item : str
        Turton item name.
    size : float or ndarray, shape (n_cases,)
        Capacity [item size_unit].
    material : str, optional
        Material key of the item's table (e.g. ``"CS/SS"``, ``"SS"``).
    pressure : float or ndarray, optional
        Design pressure [barg] (fans: pressure rise [kPa]).
    diameter_m : float or ndarray, optional
        Vessel diameter [m] (vessels and towers under pressure).
    n_trays : int or ndarray, optional
        Number of trays (tray items).
    superheat_K : float or ndarray, optional
        Steam superheat [K] (fired heaters).
    tube_side_only : bool
        Heat exchangers with only the tube side at pressure.
    return_trains : bool
        Also return the number of parallel trains.
    small_size_rule : str or ndarray of str
        Below the item's ``size_min``: one of :data:`SMALL_SIZE_RULES` (per case).

    Returns
    -------
    ndarray or (ndarray, ndarray)
        C_BM of all trains [USD, CEPCI 397] (and the number of trains).
    """
    _, cbm, n = turton_costs(item, size, material=material, pressure=pressure,
                             diameter_m=diameter_m, n_trays=n_trays, superheat_K=superheat_K,
                             tube_side_only=tube_side_only, small_size_rule=small_size_rule)
    return (cbm, n) if return_trains else cbm


def turton_costs(item: str, size, *, material: str | None = None, pressure=None,
                 diameter_m=None, n_trays=None, superheat_K=None, tube_side_only: bool = False,
                 small_size_rule="capacity_exponent"
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Purchased cost Cp0, bare-module cost C_BM [USD, CEPCI 397] and trains, in one pass.

    Same parameters as :func:`turton_cbm`. For tray items the purchased cost is that of all
    ``n_trays`` trays. Out-of-range sizes warn once.

    Returns
    -------
    cp0, cbm : ndarray
        [USD, CEPCI 397], all trains.
    n_trains : ndarray of int64
    """
    d = turton_item(item)
    cp0, n = turton_cp0(item, size, return_trains=True, small_size_rule=small_size_rule)
    fp = turton_pressure_factor(item, pressure, diameter_m=diameter_m,
                                tube_side_only=tube_side_only)
    fm = turton_material_factor(item, material)
    if d["bare_module_form"] == "B1B2":
        cbm = cp0 * (d["B1"] + d["B2"] * fm * fp)
    else:
        cbm = cp0 * (fm * fp)
    if "quantity_factor" in d:
        if n_trays is None:
            raise ValueError(f"turton.{item}: a tray item needs params n_trays")
        nt = np.asarray(n_trays, dtype=float)
        if np.any(nt < 1):
            raise ValueError(f"turton.{item}: n_trays must be >= 1, got {float(np.min(nt))!r}")
        # log10 Fq = 0.4771 + 0.08516 log10 N - 0.3473 (log10 N)^2 for N < 20, else 1
        # [Turton App. A, tray quantity factor; as in cost_correlations.yaml]
        fq = np.where(nt < 20, _log10_poly((0.4771, 0.08516, -0.3473), nt), 1.0)
        cbm = cbm * nt * fq
        cp0 = cp0 * nt
    if "superheat_factor" in d and superheat_K is not None:
        dt = np.asarray(superheat_K, dtype=float)
        # F_T = 1 + 0.00184 dT - 0.00000335 dT^2 [Turton App. A; cost_correlations.yaml]
        cbm = cbm * (1.0 + 0.00184 * dt - 0.00000335 * dt * dt)
    return cp0, cbm, n


# ---------------------------------------------------------------------------------------------
# reference-plant (block) scaling


@lru_cache(maxsize=1)
def _reference_plants() -> dict[str, dict[str, Any]]:
    raw = load_yaml("reference_plants.yaml")
    blocks = raw.get("units", {}) if isinstance(raw, dict) else {}
    return {str(k): v for k, v in blocks.items()
            if isinstance(v, dict) and "C_ref" in v and "S_ref" in v}


def entry_unit(entry: Mapping[str, Any]) -> str:
    """The size unit of a reference-plant entry without its comment (``"t/d (dry)"`` -> ``t/d``)."""
    return str(entry.get("unit", "")).split(" (")[0].strip()


def reference_plants() -> list[str]:
    """Names of the reference-plant blocks in ``property_data/reference_plants.yaml``."""
    return sorted(_reference_plants())


def reference_plant(name: str) -> Mapping[str, Any]:
    """One block of ``reference_plants.yaml``: basis, unit, S_ref, C_ref, currency, year, ..."""
    data = _reference_plants()
    try:
        return data[name]
    except KeyError:
        raise KeyError(f"unknown reference plant {name!r}; known: {sorted(data)}") from None


COST_BASES = ("purchased", "installed", "fixed_capital")
"""What a cost entry's C_ref is: ``purchased`` (bare equipment: its ``install_factor`` and the
indirect factors apply), ``installed`` (installed cost: the indirect factors of the TCI build-up
apply), ``fixed_capital`` (all-in fixed capital of a complete unit: no factor applies again)."""


def entry_basis(entry: Mapping[str, Any], label: str) -> str:
    """The declared cost basis of a reference-plant entry (one of :data:`COST_BASES`)."""
    b = entry.get("basis")
    if b not in COST_BASES:
        raise ValueError(f"{label}: cost basis {b!r}; expected one of {', '.join(COST_BASES)} "
                         "(property_data/reference_plants.yaml, key 'basis')")
    f = entry.get("install_factor")
    if b == "purchased" and (f is None or float(f) <= 1.0):
        raise ValueError(f"{label}: a purchased-cost entry needs an install_factor > 1, got {f!r}")
    if b != "purchased" and f is not None and float(f) != 1.0:
        raise ValueError(f"{label}: basis {b!r} with install_factor {f!r}: only a purchased cost "
                         "takes an installation factor")
    return str(b)


def entry_scope(name: str, entry: Mapping[str, Any]) -> str:
    """The scope a reference-plant entry covers (its ``scope`` key, else its name)."""
    return str(entry.get("scope") or name)


def check_entry(entry: Mapping[str, Any], label: str) -> None:
    """Raise ValueError if a reference-plant entry lacks a number needed for scaling.

    Entries recorded without a verified figure (``status: missing``) are refused, naming
    their candidate sources.
    """
    for key in ("S_ref", "C_ref", "exponent", "currency", "year"):
        if entry.get(key) is None:
            status = entry.get("status")
            extra = f" (status: {status}; candidate sources: {entry.get('candidate_sources')})" \
                if status else ""
            raise ValueError(f"{label}: reference-plant entry has no {key!r}{extra}; enter a "
                             "cited value in property_data/reference_plants.yaml")


def scaled_cost(entry: Mapping[str, Any] | str, size, *, installed: bool = True,
                return_trains: bool = False, name: str | None = None,
                small_size_rule="capacity_exponent"):
    """Reference-plant scaling ``C = n C_ref ((S/n) / S_ref)^exponent`` (x install factor).

    Parameters
    ----------
    entry : mapping or str
        A reference-plant entry ``{S_ref, C_ref, exponent, unit, currency, year,
        install_factor, S_max_per_train, S_min (optional)}`` or its name in
        reference_plants.yaml.
    size : float or ndarray, shape (n_cases,)
        Capacity S [entry unit].
    installed : bool
        Multiply by the entry's ``install_factor`` (1 if absent or null: C_ref already
        installed).
    return_trains : bool
        Also return the number of parallel trains.
    name : str, optional
        Name for messages (defaults to the entry name).
    small_size_rule : str or ndarray of str
        Below the entry's ``S_min``: one of :data:`SMALL_SIZE_RULES` (per case); under
        ``capacity_exponent`` the entry's own power law continues below ``S_min``.

    Returns
    -------
    ndarray or (ndarray, ndarray)
        Cost of all trains [entry currency, entry year] (and the number of trains).

    Example
    -------
    >>> e = {"S_ref": 100.0, "C_ref": 1.0e6, "exponent": 0.6, "unit": "t/h",
    ...      "currency": "USD", "year": 2010, "install_factor": 2.0, "S_max_per_train": 150.0}
    >>> cost, n = scaled_cost(e, [50.0, 100.0], return_trains=True)
    >>> [round(c) for c in cost], n.tolist()
    ([1319508, 2000000], [1, 1])
    """
    if isinstance(entry, str):
        name = name or entry
        entry = reference_plant(entry)
    label = f"ref.{name}" if name else "reference plant"
    check_entry(entry, label)
    unit = entry_unit(entry)
    x = float(entry["exponent"])
    n, s, k = sized_trains(size, entry.get("S_max_per_train"), entry.get("S_min"), item=label,
                           unit=unit, exponent=x, rule=small_size_rule)
    cost = n * float(entry["C_ref"]) * (s / float(entry["S_ref"])) ** x * k
    if installed and entry.get("install_factor") is not None:
        cost = cost * float(entry["install_factor"])
    return (cost, n) if return_trains else cost
