"""The runnable examples in the carbonhub.costing docstrings stay runnable and correct."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["indices", "correlations", "sslw", "capital", "opex", "dcf", "co2", "tea"]


@pytest.mark.unit
@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    mod = importlib.import_module(f"carbonhub.costing.{name}")
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.attempted > 0, f"carbonhub.costing.{name} has no runnable example"
    assert res.failed == 0


@pytest.mark.unit
def test_package_example_and_fast_import():
    import subprocess
    import sys

    code = ("import sys, time; t = time.perf_counter(); import carbonhub.costing as cc; "
            "dt = time.perf_counter() - t; "
            "assert not {'pyomo', 'idaes', 'pandas', 'pint'} & set(sys.modules), sys.modules; "
            "print(dt)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True)
    assert float(out.stdout) < 2.0     # ~0.1 s on an idle machine; generous for busy CI
    res = doctest.testmod(importlib.import_module("carbonhub.costing"))
    assert res.attempted > 0 and res.failed == 0
