"""Total capital investment (TCI) build-up, vectorised over cases.

Two methods, both documented in ``property_data/tea_defaults.yaml``:

**Factored build-up** (NREL design-report convention, Humbird et al. 2011), from the installed
cost of every unit::

    TIC  = sum of installed costs (ISBL units + OSBL units)
    TDC  = TIC + warehouse + site development + additional piping   (fractions of ISBL)
               + process contingency       (per unit, by technology maturity: 'nth', 'foak', TRL)
    FCI  = TDC + prorateable + field expenses + home office & fee
               + project contingency + other costs (start-up, permits)   (fractions of TDC)
               + complete units (all-in fixed capital, ``basis: fixed_capital``: no factor)
    TCI  = FCI + working capital (fraction of FCI) + land

Only installed costs take the factors: a complete unit whose cost is already an all-in fixed
capital (a methanol loop, an electrolyser system priced per kW) enters the FCI as it is.

**Lang-factor shortcut** (Lang 1948): ``FCI = f_L x delivered cost of the major equipment``
(3.10 solids, 3.63 mixed, 4.74 fluids processing), ``TCI = FCI + working capital + land``.

Process contingency is placed in the total direct cost, so that the indirect costs and the
project contingency (as fractions of TDC) apply to it too, as in Rubin et al. (2013), where
project contingency is a fraction of (bare erected cost + fees + process contingency).

Example
-------
>>> import numpy as np
>>> from carbonhub.costing.capital import tci_buildup
>>> cb = tci_buildup({"gasifier": np.array([100e6]), "asu": np.array([50e6])},
...                  maturity={"gasifier": "foak", "asu": "nth"})
>>> round(float(cb["fci"][0]) / 1e6, 2), round(float(cb["tci"][0]) / 1e6, 2)
(302.0, 317.1)

References
----------
.. [1] Humbird, D. et al. (2011). NREL/TP-5100-47764, doi:10.2172/1013269 (TCI build-up).
.. [2] AACE International RP 16R-90; Rubin, E.S. et al. (2013), Int. J. Greenh. Gas Control 17,
   488-503, doi:10.1016/j.ijggc.2013.06.004 (process contingency by technology status).
.. [3] Lang, H.J. (1948), Chem. Eng. 55(6), 112; Towler & Sinnott (2013), ISBN
   978-0-08-096659-5, Section 7.5 (Lang factors).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Iterator, Mapping

import numpy as np

from carbonhub.data import load_yaml

__all__ = [
    "CapitalFactors",
    "CapitalBreakdown",
    "process_contingency_fraction",
    "tci_buildup",
    "lang_tci",
    "capital_table",
]


@lru_cache(maxsize=1)
def _defaults() -> dict:
    return load_yaml("tea_defaults.yaml")


def _cap(key: str) -> float:
    return float(_defaults()["capital"][key]["value"])


@dataclass(frozen=True)
class CapitalFactors:
    """Fractions of the factored TCI build-up (defaults: Humbird et al. 2011, tea_defaults.yaml).

    Every field may be a scalar or an array of shape ``(n_cases,)`` (for sweeps).
    """

    warehouse_frac_isbl: float = field(default_factory=lambda: _cap("warehouse_frac_isbl"))
    site_development_frac_isbl: float = field(
        default_factory=lambda: _cap("site_development_frac_isbl"))
    additional_piping_frac_isbl: float = field(
        default_factory=lambda: _cap("additional_piping_frac_isbl"))
    prorateable_frac_tdc: float = field(default_factory=lambda: _cap("prorateable_frac_tdc"))
    field_expenses_frac_tdc: float = field(
        default_factory=lambda: _cap("field_expenses_frac_tdc"))
    home_office_frac_tdc: float = field(default_factory=lambda: _cap("home_office_frac_tdc"))
    project_contingency_frac_tdc: float = field(
        default_factory=lambda: _cap("project_contingency_frac_tdc"))
    other_costs_frac_tdc: float = field(default_factory=lambda: _cap("other_costs_frac_tdc"))
    working_capital_frac_fci: float = field(
        default_factory=lambda: _cap("working_capital_frac_fci"))
    land_eur: float = field(default_factory=lambda: _cap("land_eur"))

    def __post_init__(self) -> None:
        for f in fields(self):
            v = np.asarray(getattr(self, f.name), dtype=float)
            if np.any(~np.isfinite(v)) or np.any(v < 0):
                raise ValueError(f"CapitalFactors.{f.name} must be finite and >= 0, got "
                                 f"{getattr(self, f.name)!r}")


def process_contingency_fraction(maturity: str | int | float | None) -> float:
    """Process contingency [fraction of installed cost] of a technology maturity.

    Parameters
    ----------
    maturity : {"nth", "foak"} or int 1..9 (TRL) or float
        ``"nth"``: nth-of-a-kind (0); ``"foak"``: first of a kind; an integer 1-9 is a TRL
        mapped to its AACE 16R-90 band midpoint; a float in [0, 1) is taken as the fraction
        itself. None means ``"nth"``.

    Raises
    ------
    ValueError
        For an unknown maturity, naming it and the accepted values.
    """
    pc = _defaults()["capital"]["process_contingency"]
    if maturity is None:
        maturity = "nth"
    if isinstance(maturity, str):
        key = maturity.strip().lower()
        if key in pc["by_maturity"]:
            return float(pc["by_maturity"][key])
        if key.startswith("trl"):
            key = key[3:].strip()
        if key.isdigit():
            maturity = int(key)
        else:
            raise ValueError(f"unknown technology maturity {maturity!r}; expected 'nth', "
                             "'foak', a TRL 1-9 (int or 'TRL5') or a fraction in [0, 1)")
    if isinstance(maturity, (bool, np.bool_)):
        raise ValueError(f"unknown technology maturity {maturity!r}")
    if isinstance(maturity, (int, np.integer)):
        trl = {int(k): float(v) for k, v in pc["by_trl"].items()}
        if int(maturity) not in trl:
            raise ValueError(f"TRL {maturity!r} out of range; expected 1-9")
        return trl[int(maturity)]
    f = float(maturity)
    if not 0.0 <= f < 1.0:
        raise ValueError(f"process contingency fraction {maturity!r} must be in [0, 1)")
    return f


class CapitalBreakdown(Mapping[str, np.ndarray]):
    """Ordered categories of the capital build-up, each an array of shape ``(n_cases,)`` [EUR].

    Behaves as a read-only dict; ``.fci`` and ``.tci`` are shortcuts; :meth:`table` returns a
    pandas DataFrame.
    """

    def __init__(self, items: Mapping[str, np.ndarray], method: str,
                 per_unit: Mapping[str, np.ndarray] | None = None,
                 fci_per_unit: Mapping[str, np.ndarray] | None = None) -> None:
        self._d = {k: np.asarray(v, dtype=float) for k, v in items.items()}
        self.method = method
        self.per_unit = dict(per_unit or {})
        self.fci_per_unit = dict(fci_per_unit or {})
        """Each unit's share of the FCI [EUR] (factored build-up only): a complete unit at its
        all-in cost, a factored unit at its installed cost with its own process contingency, the
        ISBL fractions (ISBL units only) and the indirect fractions; the shares add up to ``fci``."""

    def __getitem__(self, key: str) -> np.ndarray:
        return self._d[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    @property
    def fci(self) -> np.ndarray:
        """Fixed capital investment [EUR]."""
        return self._d["fci"]

    @property
    def tci(self) -> np.ndarray:
        """Total capital investment [EUR]."""
        return self._d["tci"]

    def table(self, case: int | None = None):
        """pandas DataFrame of the categories (see :func:`capital_table`)."""
        return capital_table(self, case)

    def __repr__(self) -> str:
        n = np.size(self.tci)
        return f"CapitalBreakdown(method={self.method!r}, n_cases={n}, keys={list(self._d)})"


def _as_cases(x) -> np.ndarray:
    return np.atleast_1d(np.asarray(x, dtype=float))


def tci_buildup(installed: Mapping[str, np.ndarray], *,
                maturity: Mapping[str, str | int | float | None] | None = None,
                osbl: Mapping[str, bool] | None = None,
                factors: CapitalFactors | None = None,
                fixed_capital: Mapping[str, bool] | None = None) -> CapitalBreakdown:
    """Factored TCI build-up from installed unit costs.

    Parameters
    ----------
    installed : mapping unit_id -> float or ndarray, shape (n_cases,)
        Installed cost of each unit [EUR] (bare-module or installed reference-plant cost).
    maturity : mapping unit_id -> maturity, optional
        ``"nth"`` (default), ``"foak"``, a TRL or a fraction (see
        :func:`process_contingency_fraction`).
    osbl : mapping unit_id -> bool, optional
        Units outside battery limits (utilities, storage, water treatment): excluded from the
        ISBL base of warehouse, site development, additional piping.
    factors : CapitalFactors, optional
        Fractions (defaults from tea_defaults.yaml).
    fixed_capital : mapping unit_id -> bool, optional
        Units whose ``installed`` value is the all-in fixed capital of a complete unit: added
        to the FCI without any factor (nor process contingency).

    Returns
    -------
    CapitalBreakdown
        Keys: isbl_installed, osbl_installed, total_installed, warehouse, site_development,
        additional_piping, process_contingency, total_direct, prorateable, field_expenses,
        home_office_construction, project_contingency, other_costs_startup, total_indirect,
        complete_units_fixed_capital, fci, working_capital, land, tci [EUR], each of shape
        (n_cases,); ``fci_per_unit`` holds each unit's share of the FCI (they add up to it), so
        the fixed capital of part of a plant is the sum over its units.
    """
    if not installed:
        raise ValueError("tci_buildup: no units given (installed is empty)")
    f = factors or CapitalFactors()
    maturity = maturity or {}
    osbl = osbl or {}
    fixed_capital = fixed_capital or {}
    unknown = (set(maturity) | set(osbl) | set(fixed_capital)) - set(installed)
    if unknown:
        raise ValueError(f"tci_buildup: maturity/osbl given for unknown units {sorted(unknown)}")
    costs = {u: _as_cases(c) for u, c in installed.items()}
    for u, c in costs.items():
        if np.any(~np.isfinite(c)) or np.any(c < 0):
            raise ValueError(f"tci_buildup: installed cost of {u!r} must be finite and >= 0, "
                             f"got {float(np.min(c))!r} EUR")
    n = max(c.size for c in costs.values())
    zero = np.zeros(n)
    complete = zero + sum((c for u, c in costs.items() if fixed_capital.get(u, False)), zero)
    factored = {u: c for u, c in costs.items() if not fixed_capital.get(u, False)}
    isbl = zero + sum((c for u, c in factored.items() if not osbl.get(u, False)), zero)
    osbl_c = zero + sum((c for u, c in factored.items() if osbl.get(u, False)), zero)
    pcont = zero + sum((c * process_contingency_fraction(maturity.get(u)) for u, c in
                        factored.items()), zero)
    tic = isbl + osbl_c
    d: dict[str, np.ndarray] = {
        "isbl_installed": isbl,
        "osbl_installed": osbl_c,
        "total_installed": tic,
        "warehouse": f.warehouse_frac_isbl * isbl,
        "site_development": f.site_development_frac_isbl * isbl,
        "additional_piping": f.additional_piping_frac_isbl * isbl,
        "process_contingency": pcont,
    }
    tdc = tic + d["warehouse"] + d["site_development"] + d["additional_piping"] + pcont
    d["total_direct"] = tdc
    d["prorateable"] = f.prorateable_frac_tdc * tdc
    d["field_expenses"] = f.field_expenses_frac_tdc * tdc
    d["home_office_construction"] = f.home_office_frac_tdc * tdc
    d["project_contingency"] = f.project_contingency_frac_tdc * tdc
    d["other_costs_startup"] = f.other_costs_frac_tdc * tdc
    d["total_indirect"] = (d["prorateable"] + d["field_expenses"]
                           + d["home_office_construction"] + d["project_contingency"]
                           + d["other_costs_startup"])
    d["complete_units_fixed_capital"] = complete
    d["fci"] = tdc + d["total_indirect"] + complete
    d["working_capital"] = f.working_capital_frac_fci * d["fci"]
    d["land"] = zero + f.land_eur
    d["tci"] = d["fci"] + d["working_capital"] + d["land"]
    # each unit's share of the FCI: the build-up above is linear in the unit costs
    isbl_frac = (f.warehouse_frac_isbl + f.site_development_frac_isbl
                 + f.additional_piping_frac_isbl)
    indirect = (f.prorateable_frac_tdc + f.field_expenses_frac_tdc + f.home_office_frac_tdc
                + f.project_contingency_frac_tdc + f.other_costs_frac_tdc)
    share = {u: zero + (c if fixed_capital.get(u, False) else
                        c * (1.0 + process_contingency_fraction(maturity.get(u))
                             + (0.0 if osbl.get(u, False) else isbl_frac)) * (1.0 + indirect))
             for u, c in costs.items()}
    return CapitalBreakdown(d, "factored", per_unit=costs, fci_per_unit=share)


def lang_tci(purchased_equipment, *, plant_type: str = "fluids", lang_factor=None,
             working_capital_frac_fci=None, land_eur=None) -> CapitalBreakdown:
    """Lang-factor shortcut: FCI = f_L x delivered major-equipment cost.

    Parameters
    ----------
    purchased_equipment : float or ndarray, shape (n_cases,)
        Total delivered cost of the major equipment [EUR].
    plant_type : {"solids", "mixed", "fluids"}
        Selects the Lang factor of tea_defaults.yaml (3.10, 3.63, 4.74).
    lang_factor : float or ndarray, optional
        Overrides the plant-type factor.
    working_capital_frac_fci, land_eur : float, optional
        Default from tea_defaults.yaml.

    Returns
    -------
    CapitalBreakdown
        Keys: purchased_equipment, installation_and_indirect, fci, working_capital, land, tci.

    Example
    -------
    >>> round(float(lang_tci(10e6)["fci"][0]) / 1e6, 1)
    47.4
    """
    table = _defaults()["capital"]["lang_factors"]
    if lang_factor is None:
        if plant_type not in ("solids", "mixed", "fluids"):
            raise ValueError(f"unknown plant_type {plant_type!r}; expected 'solids', 'mixed' or "
                             "'fluids'")
        lang_factor = float(table[plant_type])
    fl = np.asarray(lang_factor, dtype=float)
    if np.any(fl < 1.0):
        raise ValueError(f"Lang factor must be >= 1, got {float(np.min(fl))!r}")
    pe = _as_cases(purchased_equipment)
    if np.any(pe < 0):
        raise ValueError(f"purchased equipment cost must be >= 0, got {float(np.min(pe))!r} EUR")
    wc = _cap("working_capital_frac_fci") if working_capital_frac_fci is None \
        else working_capital_frac_fci
    land = _cap("land_eur") if land_eur is None else land_eur
    fci = fl * pe
    d = {"purchased_equipment": pe, "installation_and_indirect": fci - pe, "fci": fci,
         "working_capital": wc * fci, "land": np.zeros_like(pe) + land}
    d["tci"] = d["fci"] + d["working_capital"] + d["land"]
    return CapitalBreakdown(d, "lang")


def capital_table(breakdown: Mapping[str, np.ndarray], case: int | None = None):
    """A pandas DataFrame of a capital breakdown.

    Parameters
    ----------
    breakdown : CapitalBreakdown or mapping
        Categories -> arrays (n_cases,) [EUR].
    case : int, optional
        One case: column ``EUR`` and ``share_of_tci``. None: statistics over cases (``mean``,
        ``p05``, ``p50``, ``p95`` [EUR]).
    """
    import pandas as pd

    keys = list(breakdown)
    data = np.vstack([np.atleast_1d(np.asarray(breakdown[k], dtype=float)) for k in keys])
    if case is not None:
        col = data[:, case]
        tci = float(np.asarray(breakdown["tci"]).reshape(-1)[case]) if "tci" in breakdown \
            else float("nan")
        return pd.DataFrame({"EUR": col, "share_of_tci": col / tci}, index=pd.Index(keys,
                            name="category"))
    q = np.percentile(data, [5, 50, 95], axis=1)
    return pd.DataFrame({"mean": data.mean(axis=1), "p05": q[0], "p50": q[1], "p95": q[2]},
                        index=pd.Index(keys, name="category"))
