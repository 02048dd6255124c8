"""The cost rows' scope rule and small-size rule, applied once per result by
:func:`carbonhub.costing.flowsheet.unit_table`: a row whose scope is inside another row's block
(``includes``) costs zero in the cases where that block is costed, and ``included_in`` names the
unit that holds its cost ('' where costed here)."""
from __future__ import annotations

import numpy as np

SHARED_UNCOVERED = True
"""A row in no other row's block keeps its ``active`` array and shares one read-only
``included_in`` of '' (False: each row gets its own copies, as the general case builds them)."""


def batch_rule(rule: np.ndarray):
    """The small-size rule of every case (n,) as one string when the batch has one rule (the
    correlations then check it once, not per cost row and case), else the array itself.

    >>> batch_rule(np.array(["range_minimum"] * 3)), batch_rule(np.array(["a", "b"])).tolist()
    ('range_minimum', ['a', 'b'])
    """
    return str(rule[0]) if rule.size and (rule == rule[0]).all() else rule


def apply_scope_rule(rows: list[dict], n: int) -> list[dict]:
    """Set each row's ``included_in`` (n,) and zero its ``active`` where another row's block
    (``includes`` naming its ``scope``) is costed; ``rows`` changed in place and returned.

    >>> rows = [{"unit_id": "a", "scope": None, "includes": ("x",), "active": np.ones(2)},
    ...         {"unit_id": "b", "scope": "x", "includes": (), "active": np.ones(2)}]
    >>> [(list(r["included_in"]), r["active"].tolist()) for r in apply_scope_rule(rows, 2)]
    [(['', ''], [1.0, 1.0]), (['a', 'a'], [0.0, 0.0])]
    """
    cover: dict[str, list[tuple[str, np.ndarray]]] = {}
    for row in rows:
        for sc in row["includes"]:
            cover.setdefault(sc, []).append((row["unit_id"].split(".")[0], row["active"]))
    nowhere = np.full(n, "", dtype=object)  # one read-only array for every row costed here
    nowhere.flags.writeable = False
    for row in rows:
        holders = [(h, act) for h, act in cover.get(row["scope"], []) if h != row["unit_id"].split(".")[0]]
        active = row["active"]
        if (SHARED_UNCOVERED and not holders and isinstance(active, np.ndarray) and active.shape == (n,)
                and active.dtype == np.float64):
            row["included_in"] = nowhere  # in no other row's block: active as it is (x * True == x)
            continue
        inside = np.zeros(n, dtype=bool)
        where = np.full(n, "", dtype=object)
        for holder, act in holders:
            hit = (act > 0) & ~inside
            where[hit] = holder
            inside |= act > 0
        row["included_in"] = where
        row["active"] = active * ~inside
    return rows
