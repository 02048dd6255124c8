"""The runnable examples in the route modules' docstrings (flowsheets/*.py) run and print what
they say: pytest's --doctest-modules collects src/carbonhub only, so they are run from here."""
from __future__ import annotations

import doctest

import pytest

import carbonhub as ch


@pytest.mark.unit
@pytest.mark.parametrize("route", ch.routes.names())
def test_route_docstring_examples(route):
    mod = ch.routes.module(route)
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0, f"{route}: {res.failed} of {res.attempted} examples failed"


@pytest.mark.unit
def test_co2_methanol_mto_has_a_runnable_example():
    res = doctest.testmod(ch.routes.module("co2_methanol_mto"))
    assert res.attempted > 0 and res.failed == 0
