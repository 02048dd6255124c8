"""Site utilities as an allowance: a fraction of the installed cost of the rest of the plant.

carbonhub costs the cooling-water system (costing/water.py, unit ``cooling_tower``) and the
site's other utilities (costing/site_utilities.py, unit ``site_utilities``) as equipment. Some
published TEAs do not: they put a fixed share of the installed cost of their other areas into
"cooling water and other utilities". Swanson et al. (2010, NREL/TP-6A20-46587) is one: in its own
area figures (BETO biofuels TEA database, sheet "Gasification IDL", rows 20-38, column of each
case) "Cooling Water & Other Utilities" is 12.000 % of all its other areas to the dollar in both
cases (27,206,364 = 0.12 x 226,719,703 USD2007, low temperature; 33,148,054 = 0.12 x 276,233,780,
high temperature; tests/routes/test_reference_cases.py checks it), while the database's other
2,000 t/d gasification plants cost theirs (Phillips et al. 2011: 3.7 %).

``economics.utilities_allowance_frac`` reproduces such a paper with its own method: where it is
above zero, the cost rows of the cooling-water system and the site utilities cost nothing
(``included_in`` names the allowance) and one row ``utilities_allowance`` (area utilities, outside
battery limits, no operators) costs that fraction of the purchased and installed cost of every
other row the factored build-up takes (complete units at their all-in fixed capital are not
installed costs and stay out of the base). The default, 0, costs the equipment.

Example
-------
>>> import numpy as np
>>> from carbonhub.costing.unit_costs import UnitCost
>>> one = lambda u, c: UnitCost(u, "x", np.array([c / 2]), np.array([c]), np.array([1.0]))
>>> ucs = {"gasifier": one("gasifier", 100.0), "cooling_tower": one("cooling_tower", 3.0)}
>>> units, out = apply_utilities_allowance([], ucs, np.array([0.12]))
>>> float(out["cooling_tower"].installed_eur[0]), float(out[ALLOWANCE_ID].installed_eur[0])
(0.0, 12.0)
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping, Sequence

import numpy as np

from .unit_costs import UnitCost

__all__ = ["ALLOWANCE_ID", "REPLACED_UNITS", "apply_utilities_allowance"]

ALLOWANCE_ID = "utilities_allowance"
"""Unit id of the allowance's cost row."""

REPLACED_UNITS = ("cooling_tower", "site_utilities")
"""Costing-level units whose rows the allowance replaces (their rows ``<id>`` and ``<id>.k``)."""


def _replaced(unit_id: str) -> bool:
    return unit_id.split(".")[0] in REPLACED_UNITS


def apply_utilities_allowance(units: Sequence[Mapping[str, Any]], ucs: Mapping[str, UnitCost],
                              frac) -> tuple[list, dict[str, UnitCost]]:
    """The unit table and unit costs with the allowance applied in the cases where ``frac > 0``
    (unchanged where no case has one).

    Parameters
    ----------
    units : list of dict
        Unit table of :func:`carbonhub.costing.tea.evaluate_tea`.
    ucs : dict
        Unit id -> :class:`~carbonhub.costing.unit_costs.UnitCost`.
    frac : float or ndarray
        Allowance per case [fraction of the other rows' installed cost], in [0, 1).
    """
    frac = np.atleast_1d(np.asarray(frac, dtype=float))
    if np.any(~np.isfinite(frac)) or np.any(frac < 0) or np.any(frac >= 1):
        bad = frac[~np.isfinite(frac) | (frac < 0) | (frac >= 1)][0]
        raise ValueError(f"economics.utilities_allowance_frac = {bad!r}: expected a fraction in [0, 1)")
    if not np.any(frac > 0):
        return list(units), dict(ucs)
    on = frac > 0
    base = [c for u, c in ucs.items() if not _replaced(u) and c.basis != "fixed_capital"]
    out: dict[str, UnitCost] = {}
    for u, c in ucs.items():
        if _replaced(u):
            n = np.broadcast_shapes(np.shape(c.installed_eur), on.shape)
            prev = np.broadcast_to(c.included_in if c.included_in is not None else "", n)
            keep = np.where(on, 0.0, 1.0)
            c = replace(c, purchased_eur=c.purchased_eur * keep, installed_eur=c.installed_eur * keep,
                        included_in=np.where(on, ALLOWANCE_ID, prev).astype(object))
        out[u] = c
    purchased = frac * sum((c.purchased_eur for c in base), np.zeros(1))
    installed = frac * sum((c.installed_eur for c in base), np.zeros(1))
    out[ALLOWANCE_ID] = UnitCost(ALLOWANCE_ID, "allowance", purchased, installed,
                                 np.ones_like(installed), included_in=np.full(installed.shape, "", dtype=object))
    row = {"unit_id": ALLOWANCE_ID, "item": "allowance", "area": "utilities", "osbl": True,
           "maturity": "nth", "labour": "none"}
    return [*units, row], out
