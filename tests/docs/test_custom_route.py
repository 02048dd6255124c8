"""Tests of the worked example of "How to add a route" (examples/custom_route.py + .yaml).

The same tests a library route has in tests/routes/: every unit conserves in every case, the
plant's boundary closes in carbon and hydrogen, the product meets its specification, and the
reference case lies within its stated band.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _load_example():
    path = ROOT / "examples" / "custom_route.py"
    spec = importlib.util.spec_from_file_location("carbonhub_example_custom_route", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def route():
    return _load_example()


@pytest.fixture(scope="module")
def res(route):
    fs = route.build()
    return fs.simulate(params={"gasifier.T": np.array([1100.0, 1143.15, 1200.0])})


# --8<-- [start:tests]
@pytest.mark.integration
def test_every_unit_conserves_in_every_case(res):
    assert (res.status == "ok").all(), res.status
    res.check_balances(mass_tol=1e-9, energy_tol=1e-6)


@pytest.mark.integration
def test_plant_boundary_closes_in_carbon_and_hydrogen(res):
    from carbonhub.core.boundary import boundary

    sources, sinks = boundary(res)
    for element in ("C", "H"):
        into = sum(s.element(element) for _, s in sources)
        out = sum(s.element(element) for _, s in sinks)
        np.testing.assert_allclose(out, into, rtol=1e-9)


@pytest.mark.integration
def test_product_meets_its_specification(res):
    gas = res.stream("agr_clean")
    np.testing.assert_allclose(gas["H2"] / gas["CO"], 2.0, rtol=1e-6)


@pytest.mark.integration
def test_reference_case_within_its_band(route):
    ref = yaml.safe_load((ROOT / "examples" / "custom_route.yaml").read_text())["reference_case"]
    res = route.build(**ref["settings"]).simulate()
    for kpi, fig in ref["figures"].items():
        lo, hi = fig["ratio_bounds"]
        ratio = float(res.kpis[kpi].iloc[0]) / fig["value"]
        assert lo <= ratio <= hi, f"{kpi}: carbonhub / reference = {ratio:.3f}, band [{lo}, {hi}]"
# --8<-- [end:tests]
