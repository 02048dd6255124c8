"""``--build NAME=VALUE``: a route's build options (the keywords of its ``build()``) from the
command line: listed by ``carbonhub routes ROUTE``, parsed as the signature declares, and carried
with the results (JSON, report, sweep metadata, the route rebuilt on sweep workers). Bad values:
tests/cli/test_bad_inputs.py."""
from __future__ import annotations

import json

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.cli import main
from carbonhub.routes import BuildOption, BuildOptionError

ROUTE = "plastics_pyrolysis"  # the fastest route that has a ZLD build (and a second option)


@pytest.mark.unit
def test_build_options_come_from_the_build_signature():
    opts = ch.routes.build_options(ROUTE)
    assert list(opts) == ["h2_source", "zld"]  # build(h2_source=..., zld=..., **params)
    assert opts["zld"].default is False and opts["zld"].kind == "bool"
    assert opts["h2_source"].choices == ("purchased", "electrolyser")
    assert "zero-liquid-discharge" in opts["zld"].doc
    for name in ch.routes.names():
        assert "zld" in ch.routes.build_options(name), name


@pytest.mark.unit
@pytest.mark.parametrize("option, text, value", [
    (BuildOption("zld", False, False, "bool"), "TRUE", True),
    (BuildOption("zld", False, False, "bool"), "no", False),
    (BuildOption("zld", False, False, "bool"), "0", False),
    (BuildOption("n_trains", 2, False, "int"), "3", 3),
    (BuildOption("scale", 1.0, False, "float"), "2.5e-1", 0.25),
    (BuildOption("mode", "a", False, "str", ("a", "b")), "b", "b"),
    (BuildOption("anything", None, False, ""), "false", False),  # no type declared: inferred
    (BuildOption("anything", None, False, ""), "7", 7),
    (BuildOption("anything", None, False, ""), "7.5", 7.5),
    (BuildOption("anything", None, False, ""), "rdf", "rdf"),
])
def test_values_are_parsed_as_the_signature_declares(option, text, value):
    got = option.parse(text)
    assert got == value and type(got) is type(value)


@pytest.mark.unit
@pytest.mark.parametrize("option, text, words", [
    (BuildOption("zld", False, False, "bool"), "2", "zld=2: expected true or false (default false)"),
    (BuildOption("n_trains", 2, False, "int"), "2.5", "n_trains=2.5: expected a whole number"),
    (BuildOption("scale", 1.0, False, "float"), "inf", "scale=inf: expected a finite number"),
    (BuildOption("mode", "a", False, "str", ("a", "b")), "c", "mode=c: expected one of a, b (default a)"),
])
def test_a_value_the_option_cannot_take_names_it(option, text, words):
    with pytest.raises(BuildOptionError, match="^" + words.replace("(", r"\(").replace(")", r"\)")):
        option.parse(text)


@pytest.mark.integration
def test_routes_route_lists_its_build_options(capsys):
    assert main(["routes", ROUTE]) == 0
    out = capsys.readouterr().out
    assert out.startswith(ROUTE) and "biomass_ft" not in out
    assert "zld = false  (true or false)" in out and "h2_source = purchased  (one of purchased, electrolyser)" in out
    assert main(["routes", "--verbose"]) == 0
    out = capsys.readouterr().out
    assert out.count("zld = false") == len(ch.routes.names())


@pytest.mark.integration
def test_run_with_build_zld_is_the_python_zld_build(tmp_path, monkeypatch, capsys):
    """``carbonhub run ROUTE --build zld=true`` = ``ch.routes.load(ROUTE, zld=True)``: no liquid
    effluent (the default build has some), every KPI equal to 1e-12, the option in the JSON
    and in the report's summary (its words; the HTML page takes seconds to draw)."""
    from carbonhub.report._util import build_facts

    monkeypatch.chdir(tmp_path)
    assert main(["run", ROUTE, "--build", "zld=true", "--json", "z.json"]) == 0
    d = json.loads((tmp_path / "z.json").read_text())
    assert d["build_params"] == {"zld": True}
    fs = ch.routes.load(ROUTE, zld=True)
    ref = fs.simulate().kpis
    default = ch.routes.load(ROUTE).simulate().kpis
    assert default["liquid_effluent_t_per_h"].iloc[0] > 1.0  # t/h: the default build discharges water
    assert d["kpis"]["liquid_effluent_t_per_h"] == 0.0 and d["kpis"]["wastewater_t_per_h"] == 0.0
    compared = 0
    for k, v in d["kpis"].items():
        if k in ref and isinstance(v, (int, float)) and not isinstance(v, bool):
            np.testing.assert_allclose(v, float(ref[k].iloc[0]), rtol=1e-12, atol=1e-12, err_msg=k)
            compared += 1
    assert compared > 50
    assert d["kpis"]["msp_eur_per_t"] != pytest.approx(float(default["msp_eur_per_t"].iloc[0]), rel=1e-6)
    assert build_facts(fs) == "zld = true; h2_source = purchased (default)"
    assert main(["run", ROUTE, "--json", "d.json"]) == 0  # at the defaults: nothing given
    assert json.loads((tmp_path / "d.json").read_text())["build_params"] == {}


@pytest.mark.integration
def test_a_sweep_records_the_build_and_workers_rebuild_it(tmp_path, monkeypatch):
    """The sweep's metadata holds the build options, and a worker's task (the route rebuilt from
    its spec, as on Dask) gives the ZLD build's KPIs."""
    from carbonhub.sweep.evaluate import _FS_CACHE, chunk_task, payload_for

    monkeypatch.chdir(tmp_path)
    argv = ["sweep", ROUTE, "--build", "zld=true", "--n", "2", "--param", "pyrolysis.T=uniform(740,800)",
            "--out", "sw", "--no-progress"]
    assert main(argv) == 0
    res = ch.sweep.load(tmp_path / "sw")
    assert res.build_params == {"zld": True}
    assert (res.df["liquid_effluent_t_per_h"] == 0.0).all()
    fs = ch.routes.load(ROUTE, zld=True)
    payload = payload_for(fs)
    assert payload.kind == "route" and payload.data == {"route": ROUTE, "build_params": {"zld": True}}
    _FS_CACHE.clear()
    T = res.df["pyrolysis.T"].to_numpy()
    kpis, status = chunk_task(payload, {"pyrolysis.T": T}, {}, 2)
    _FS_CACHE.clear()
    ref = fs.simulate(params={"pyrolysis.T": T}).kpis
    assert list(status) == ["ok", "ok"] and (kpis["liquid_effluent_t_per_h"] == 0.0).all()
    np.testing.assert_allclose(kpis["msp_eur_per_t"], ref["msp_eur_per_t"], rtol=1e-12)
    np.testing.assert_allclose(res.df["msp_eur_per_t"], ref["msp_eur_per_t"], rtol=1e-12)
