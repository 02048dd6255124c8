"""The runnable examples in the carbonhub.costing docstrings stay runnable and correct."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["indices", "correlations", "sslw", "capital", "opex", "dcf", "co2", "tea", "avoided", "pinch"]


@pytest.mark.unit
@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    mod = importlib.import_module(f"carbonhub.costing.{name}")
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.attempted > 0, f"carbonhub.costing.{name} has no runnable example"
    assert res.failed == 0


@pytest.mark.unit
def test_package_example_and_no_heavy_imports():
    """``import carbonhub.costing`` pulls in none of pyomo, idaes, pandas, pint (what keeps the
    import light; timings are not asserted), and the package docstring's example runs."""
    import subprocess
    import sys

    code = ("import sys; import carbonhub.costing as cc; "
            "heavy = {'pyomo', 'idaes', 'pandas', 'pint'} & set(sys.modules); "
            "print(','.join(sorted(heavy)))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True)
    assert out.stdout.strip() == "", f"import carbonhub.costing imported {out.stdout.strip()}"
    res = doctest.testmod(importlib.import_module("carbonhub.costing"))
    assert res.attempted > 0 and res.failed == 0
