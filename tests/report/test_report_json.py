"""The results JSON of DESIGN.md: structure, plain Python types, NaN as null, round trip."""
from __future__ import annotations

import doctest
import json

import numpy as np
import pytest
from report_toy import FAILED_CASE, N_MULTI

import carbonhub
from carbonhub.report import json_out
from carbonhub.report.json_out import result_to_json

KEYS = ["route", "build_params", "carbonhub_version", "n_cases", "kpis", "balances", "status", "units", "streams"]


def _plain(x) -> bool:
    if isinstance(x, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in x.items())
    if isinstance(x, list):
        return all(_plain(v) for v in x)
    return x is None or type(x) in (str, int, float, bool)


@pytest.mark.unit
def test_structure_single_case(toy, res1):
    d = result_to_json(toy, res1)
    assert list(d) == KEYS
    assert d["route"] == "toy_sng" and d["carbonhub_version"] == carbonhub.__version__
    assert d["build_params"] == {}  # not built by carbonhub.routes.load
    assert d["n_cases"] == 1 and d["status"] == ["ok"]
    assert set(d["units"]) == set(toy.units)
    assert set(d["streams"]) == {c.id for c in toy.connections}
    k = d["kpis"]
    assert isinstance(k["carbon_efficiency"], float)
    assert set(k["products_t_per_h"]) == {"sng"}
    assert k["products_t_per_h"]["sng"] == pytest.approx(res1.kpis["products_t_per_h.sng"][0])
    assert not any("." in name for name in k)
    b = d["balances"]
    assert set(b) == {"mass_rel", "elements_rel", "energy_rel"}
    assert list(b["elements_rel"]) == ["C", "H", "O", "N", "S", "Cl"]
    assert b["mass_rel"] < 1e-9 and b["energy_rel"] < 1e-6
    cooler = d["units"]["cooler"]
    assert cooler["type"] == "Heater"
    assert cooler["heat_W"] == pytest.approx(float(res1.unit_results["cooler"].heat[0]))
    assert {"duty_W", "area_m2", "power_W", "util_cooling_W"} <= set(cooler)
    assert d["units"]["storage"]["category"] == "co2_storage"
    assert _plain(d)


@pytest.mark.unit
def test_streams_omit_zero_components(toy, res1):
    d = result_to_json(toy, res1)
    ng = d["streams"]["natgas_out"]
    assert set(ng) == {"T_K", "P_Pa", "flow_mol_s"}
    assert set(ng["flow_mol_s"]) == {"CH4", "CO2", "N2"}
    assert ng["flow_mol_s"]["CH4"] == pytest.approx(4.75)
    assert ng["T_K"] == 300.0 and ng["P_Pa"] == 20e5
    assert set(d["streams"]["knockout_top"]["flow_mol_s"]) == {"H2O"}


@pytest.mark.unit
def test_round_trip_without_nan_tokens(toy, res1):
    d = result_to_json(toy, res1)
    text = json.dumps(d, allow_nan=False)
    assert json.loads(text) == d


@pytest.mark.unit
def test_multi_case_lists_and_failed_case_is_null(toy, res_multi):
    d = result_to_json(toy, res_multi)
    assert d["n_cases"] == N_MULTI and len(d["status"]) == N_MULTI
    assert d["status"][FAILED_CASE] != "ok"
    ce = d["kpis"]["carbon_efficiency"]
    assert isinstance(ce, list) and len(ce) == N_MULTI
    assert ce[FAILED_CASE] is None and all(v is not None for i, v in enumerate(ce) if i != FAILED_CASE)
    assert d["kpis"]["products_t_per_h"]["sng"][FAILED_CASE] is None
    assert len(d["streams"]["recycle"]["T_K"]) == N_MULTI
    assert len(d["units"]["cooler"]["heat_W"]) == N_MULTI
    # balances: the worst over the ok cases (the failed case is NaN and left out)
    worst = np.nanmax(res_multi.balances["mass_rel"].to_numpy())
    assert d["balances"]["mass_rel"] == pytest.approx(worst)
    text = json.dumps(d, allow_nan=False)
    assert "NaN" not in text and json.loads(text) == d


@pytest.mark.unit
def test_unit_cost_results_join_the_units(res_costs):
    d = result_to_json(res_costs.flowsheet, res_costs)
    assert d["units"]["agr"]["installed_eur"] == 5e6
    assert d["units"]["agr"]["purchased_eur"] == 2e6
    assert "installed_eur" not in d["units"]["mixer"]
    assert d["kpis"]["msp_eur_per_t"] == 900.0
    json.dumps(d, allow_nan=False)


@pytest.mark.unit
def test_to_py_converts_numpy_and_non_finite():
    from carbonhub.report._util import to_py

    v = to_py({"a": np.float32(1.5), "b": np.array([1, 2], dtype=np.int64), "c": np.nan,
               "d": [np.inf, np.bool_(True)], "e": np.str_("x"), 3: None})
    assert v == {"a": 1.5, "b": [1, 2], "c": None, "d": [None, True], "e": "x", "3": None}
    assert _plain(v)


@pytest.mark.unit
def test_docstring_example():
    assert doctest.testmod(json_out, raise_on_error=False).failed == 0
