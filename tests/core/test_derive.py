"""Derived defaults (core.unit.derive): choices or texts the same in every case are evaluated
once and given to every case; the answer is the rule's own per-case answer."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core.unit import Derived, Param, derive

TABLE = {"a": 1.5, "b": 2.5}


def _rule_calls():
    sizes = []

    def rule(tech, text):
        sizes.append(np.size(tech))
        return np.array([TABLE[str(t)] + len(str(x)) for t, x in zip(np.asarray(tech).tolist(),
                                                                     np.asarray(text).tolist())])
    return rule, sizes


@pytest.mark.unit
@pytest.mark.parametrize("tech, text", [("a", "xy"),
                                        (np.array(["a"] * 7, dtype=object), "xyz"),
                                        (np.array(["a", "b", "a", "a", "b", "a", "a"], dtype=object), "xy"),
                                        ("b", np.array(["x", "xy", "x", "x", "x", "x", "x"]))])
def test_derived_default_equals_the_rule_case_by_case(tech, text):
    n = 7
    rule, sizes = _rule_calls()
    decl = Param(Derived("table[tech]", ("tech", "text"), rule), "")
    got = derive(decl, lambda k: {"tech": tech, "text": text}[k], n)
    t, x = np.broadcast_to(np.asarray(tech), (n,)), np.broadcast_to(np.asarray(text), (n,))
    want = np.array([TABLE[str(t[i])] + len(str(x[i])) for i in range(n)], dtype=float)
    assert got.dtype == np.float64 and got.shape == (n,) and got.flags.writeable
    np.testing.assert_array_equal(got, want)
    alike = len(set(np.asarray(t).tolist())) == 1 and len(set(np.asarray(x).tolist())) == 1
    assert sizes == ([1] if alike else [n])  # once for all when every case is alike


@pytest.mark.unit
def test_numeric_needs_are_evaluated_for_every_case():
    """A numeric need (the same in every case or not) goes to the rule whole."""
    sizes = []

    def rule(x):
        sizes.append(np.size(x))
        return 2.0 * np.asarray(x)

    got = derive(Param(Derived("2x", ("x",), rule), ""), lambda k: np.full(5, 3.0), 5)
    np.testing.assert_array_equal(got, np.full(5, 6.0))
    assert sizes == [5]
