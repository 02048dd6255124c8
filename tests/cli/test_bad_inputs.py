"""A table of bad inputs, on the command line and in Python: each gives one clear line (naming
the value and what was expected), the expected exit code (2: the input or an output path; 1: a
run that cannot go on), no traceback, and leaves no partial or temporary file behind."""
from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

import carbonhub as ch
import carbonhub.routes
from carbonhub.cli import main

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False
SWEEP = ["sweep", "biomass_ft", "--n", "2", "--no-progress", "--out", "sw"]
P = ["--param", "gasifier.T=uniform(1150,1250)"]


def _file(path: str, text: str = "x"):
    def make(tmp: Path) -> None:
        (tmp / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp / path).write_text(text)
    return make


def _dir(path: str, mode: int | None = None):
    def make(tmp: Path) -> None:
        (tmp / path).mkdir(parents=True, exist_ok=True)
        if mode is not None:
            (tmp / path).chmod(mode)
    return make


def _sweep(damage: str | None = None):
    """A finished 2-case sweep in ./sw (copied from one made once), optionally damaged."""
    def make(tmp: Path, made: Path) -> None:
        shutil.copytree(made, tmp / "sw")
        if damage == "part":
            (tmp / "sw" / "part-000000.parquet").write_bytes(b"PAR1 not really parquet")
        elif damage == "meta":
            (tmp / "sw" / "_meta.json").write_text('{"route": "biomass_ft", "n_cases": ')
    make.needs_sweep = True
    return make


# (id, argv, setup, exit code, words expected in the one line)
CLI = [
    # --- carbonhub run: route, --set ---
    ("unknown-route", ["run", "no_such_route"], None, 2, "unknown route 'no_such_route'"),
    ("route-typo", ["run", "biomass_ftt"], None, 2, "did you mean biomass_ft"),
    ("unknown-param", ["run", "biomass_ft", "--set", "gasifier.Tx=1200"], None, 2, "unknown parameter 'gasifier.Tx'"),
    ("wrong-unit", ["run", "biomass_ft", "--set", "gasifier.T=3 bar"], None, 2, "gasifier.T"),
    ("out-of-range", ["run", "biomass_ft", "--set", "gasifier.T=99999"], None, 2, "outside the allowed range"),
    ("bad-choice", ["run", "biomass_ft", "--set", "feed.feedstock=coal"], None, 2, "expected one of"),
    ("set-no-equals", ["run", "biomass_ft", "--set", "gasifiert"], None, 2, "expected NAME=VALUE"),
    ("set-empty-name", ["run", "biomass_ft", "--set", "=1200"], None, 2, "parameter name is empty"),
    ("set-empty-value", ["run", "biomass_ft", "--set", "gasifier.T="], None, 2, "the value is empty"),
    ("set-twice", ["run", "biomass_ft", "--set", "gasifier.T=1200", "--set", "gasifier.T=1300"], None, 2, "--set gasifier.T given twice"),
    ("set-text-for-number", ["run", "biomass_ft", "--set", "gasifier.T=hot"], None, 2, "gasifier.T"),
    ("set-list-with-text", ["run", "biomass_ft", "--set", "gasifier.T=1100,hot"], None, 2, "gasifier.T"),
    ("set-nan", ["run", "biomass_ft", "--set", "gasifier.T=nan"], None, 2, "gasifier.T"),
    ("set-inf", ["run", "biomass_ft", "--set", "gasifier.T=inf"], None, 2, "gasifier.T"),
    ("negative-rate", ["run", "biomass_ft", "--set", "feed.rate_dry_t_per_h=-5"], None, 2, "feed.rate_dry_t_per_h"),
    ("set-default-in-list", ["run", "biomass_ft", "--set", "gasifier.T=default,1200"], None, 2, "'default' stands alone"),
    ("set-default-unknown", ["run", "biomass_ft", "--set", "gasifier.Tx=default"], None, 2, "unknown parameter 'gasifier.Tx'"),
    # --- --build NAME=VALUE: the route's build options, checked against its build() first ---
    ("build-unknown", ["run", "plastics_pyrolysis", "--build", "zdl=true", "--json", "o.json"], None, 2, "--build zdl=true: route plastics_pyrolysis has no build option 'zdl'"),
    ("build-not-bool", ["run", "plastics_pyrolysis", "--build", "zld=maybe", "--json", "o.json"], None, 2, "--build zld=maybe: expected true or false"),
    ("build-bad-choice", ["run", "plastics_pyrolysis", "--build", "h2_source=solar"], None, 2, "--build h2_source=solar: expected one of purchased, electrolyser"),
    ("build-no-equals", ["run", "plastics_pyrolysis", "--build", "zld"], None, 2, "--build 'zld': expected NAME=VALUE"),
    ("build-empty-value", ["run", "plastics_pyrolysis", "--build", "zld="], None, 2, "expected NAME=VALUE"),
    ("build-twice", ["run", "plastics_pyrolysis", "--build", "zld=true", "--build", "zld=false"], None, 2, "--build zld given twice"),
    ("build-unit-param", ["run", "biomass_ft", "--build", "gasifier.T=1200"], None, 2, "a unit parameter goes with --set gasifier.T=1200"),
    ("build-unknown-route", ["run", "no_such_route", "--build", "zld=true"], None, 2, "unknown route 'no_such_route'"),
    ("sweep-build-not-bool", [*SWEEP, *P, "--build", "zld=2"], None, 2, "--build zld=2: expected true or false"),
    ("sweep-resume-other-build", [*SWEEP, *P, "--build", "zld=true", "--resume"], _sweep(), 2, "holds a different sweep"),
    ("optimize-build-unknown", ["optimize", "biomass_ft", "--vary", "gasifier.T=1100:1200", "--build", "foo=1", "--json", "o.json"], None, 2, "no build option 'foo'"),
    ("flex-build-not-bool", ["flex", "co2_methanol_mto", "--prices", "p.csv", "--build", "zld=perhaps", "--json", "o.json"], None, 2, "--build zld=perhaps: expected true or false"),
    # --- carbonhub run: output paths (checked before simulating) ---
    ("json-is-folder", ["run", "biomass_ft", "--json", "outdir"], _dir("outdir"), 2, "--json outdir: is a folder"),
    ("json-parent-is-file", ["run", "biomass_ft", "--json", "afile/o.json"], _file("afile"), 2, "afile is a file, not a folder"),
    ("json-trailing-slash", ["run", "biomass_ft", "--json", "newdir/"], None, 2, "expected a file name, not a folder"),
    ("json-empty", ["run", "biomass_ft", "--json", ""], None, 2, "expected a file name"),
    ("report-is-folder", ["run", "biomass_ft", "--report", "outdir"], _dir("outdir"), 2, "--report outdir: is a folder"),
    ("report-parent-is-file", ["run", "biomass_ft", "--report", "afile/r.html"], _file("afile"), 2, "afile is a file, not a folder"),
    ("json-no-permission", ["run", "biomass_ft", "--json", "ro/o.json"], _dir("ro", 0o555), 2, "permission denied"),
    ("json-file-read-only", ["run", "biomass_ft", "--json", "ro.json"], None, 2, "not writable"),
    ("good-json-bad-report", ["run", "biomass_ft", "--json", "o.json", "--report", "outdir"], _dir("outdir"), 2, "--report outdir"),
    # --- argparse ---
    ("run-no-route", ["run"], None, 2, "the following arguments are required: route"),
    ("unknown-option", ["run", "biomass_ft", "--frobnicate"], None, 2, "unrecognized arguments: --frobnicate"),
    ("no-verb", [], None, 2, "required"),
    ("verb-typo", ["rn", "biomass_ft"], None, 2, "invalid choice: 'rn'"),
    ("sweep-n-not-int", ["sweep", "biomass_ft", "--n", "ten", "--out", "sw"], None, 2, "invalid int value: 'ten'"),
    ("sweep-bad-method", ["sweep", "biomass_ft", "--n", "2", "--method", "magic", "--out", "sw"], None, 2, "invalid choice: 'magic'"),
    ("sweep-no-out", ["sweep", "biomass_ft", "--n", "2"], None, 2, "required: --out"),
    ("optimize-bad-objective", ["optimize", "biomass_ft", "--objective", "fun"], None, 2, "invalid choice: 'fun'"),
    # --- carbonhub sweep: parameters ---
    ("sweep-no-param", SWEEP, None, 2, "no parameter to sweep"),
    ("param-no-equals", [*SWEEP, "--param", "gasifier.T"], None, 2, "expected NAME=DIST"),
    ("param-bad-name", [*SWEEP, "--param", "gasifier T=uniform(1,2)"], None, 2, "is not a parameter name"),
    ("param-low-high", [*SWEEP, "--param", "gasifier.T=uniform(1300,1200)"], None, 2, "low must be less than high"),
    ("param-unknown-dist", [*SWEEP, "--param", "gasifier.T=unform(1200,1300)"], None, 2, "unknown distribution"),
    ("param-outside-bounds", [*SWEEP, "--param", "gasifier.T=uniform(500,1500)"], None, 2, "outside the allowed range"),
    ("param-normal-too-wide", [*SWEEP, "--param", "gasifier.T=normal(1200,400)"], None, 2, "of the cases outside the allowed range"),
    ("param-twice", [*SWEEP, *P, "--param", "gasifier.T=uniform(1100,1200)"], None, 2, "--param gasifier.T given twice"),
    ("param-unknown", [*SWEEP, "--param", "gasifier.Tx=uniform(1100,1200)"], None, 2, "unknown parameter 'gasifier.Tx'"),
    ("param-bad-choice", [*SWEEP, "--param", "feed.feedstock=choice(wood_chips,coal)"], None, 2, "'coal' is not an allowed choice"),
    ("param-choice-for-number", [*SWEEP, "--param", "gasifier.T=choice(a,b)"], None, 2, "takes numbers"),
    ("param-wrong-unit", [*SWEEP, "--param", "gasifier.T=uniform(1100,1300) bar"], None, 2, "cannot convert"),
    ("params-file-missing", [*SWEEP, "--params-file", "p.yaml"], None, 2, "p.yaml: no such file"),
    ("params-file-folder", [*SWEEP, "--params-file", "pdir"], _dir("pdir"), 2, "pdir: is a folder"),
    ("params-file-yaml-error", [*SWEEP, "--params-file", "p.yaml"], _file("p.yaml", "gasifier.T: [1,\n  x: y\n"), 2, "p.yaml: YAML error at line"),
    ("params-file-list", [*SWEEP, "--params-file", "p.yaml"], _file("p.yaml", "- a\n- b\n"), 2, "expected a mapping"),
    ("params-file-empty", [*SWEEP, "--params-file", "p.yaml"], _file("p.yaml", ""), 2, "expected a mapping"),
    ("params-file-bad-dist", [*SWEEP, "--params-file", "p.yaml"], _file("p.yaml", "gasifier.T: uniform(2,1)\n"), 2, "p.yaml: gasifier.T"),
    ("chunk-size-zero", [*SWEEP, *P, "--chunk-size", "0"], None, 2, "--chunk-size must be a positive integer"),
    # --- carbonhub sweep: output, resume ---
    ("out-is-file", [*SWEEP, *P], _file("sw"), 2, "sw exists and is a file"),
    ("out-parent-is-file", [*SWEEP[:-1], "afile/sw", *P], _file("afile"), 2, "--out afile/sw: afile is a file, not a folder"),
    ("out-empty", [*SWEEP[:-1], "", *P], None, 2, "expected a folder name"),
    ("out-holds-sweep", [*SWEEP, *P], _sweep(), 2, "rerun with --resume"),
    ("resume-and-overwrite", [*SWEEP, *P, "--resume", "--overwrite"], None, 2, "--resume and --overwrite contradict"),
    ("resume-not-a-sweep", [*SWEEP, *P, "--resume"], _file("sw/notes.txt"), 2, "not a carbonhub sweep"),
    ("resume-other-sweep", [*SWEEP, *P, "--seed", "9", "--resume"], _sweep(), 2, "holds a different sweep"),
    ("overwrite-foreign-files", [*SWEEP, *P, "--overwrite"], _file("sw/notes.txt"), 2, "refusing to overwrite"),
    ("corrupt-part", [*SWEEP, *P, "--resume"], _sweep("part"), 2, "part-000000.parquet is damaged"),
    ("corrupt-meta", [*SWEEP, *P, "--resume"], _sweep("meta"), 2, "_meta.json is damaged"),
    ("sweep-report-folder", [*SWEEP, *P, "--report", "rdir"], _dir("rdir"), 2, "--report rdir: is a folder"),
    # --- carbonhub sweep: Dask, shards ---
    ("dask-nonsense", [*SWEEP, *P, "--dask", "nonsense"], None, 2, "dask must be"),
    ("dask-local-zero", [*SWEEP, *P, "--dask", "local:0"], None, 2, "positive whole number"),
    ("dask-unreachable", [*SWEEP, *P, "--dask", "tcp://127.0.0.1:9"], None, 1, "cannot reach the Dask scheduler at tcp://127.0.0.1:9"),
    ("scheduler-file-missing", [*SWEEP, *P, "--dask-scheduler-file", "s.json"], None, 2, "s.json does not exist"),
    ("scheduler-file-garbage", [*SWEEP, *P, "--dask-scheduler-file", "s.json"], _file("s.json", "{"), 2, "cannot be read as JSON"),
    ("dask-and-file", [*SWEEP, *P, "--dask", "local", "--dask-scheduler-file", "s.json"], None, 2, "not both"),
    ("shard-out-of-range", [*SWEEP, *P, "--shard", "3/3"], None, 2, "0 <= i < N"),
    ("shard-not-numbers", [*SWEEP, *P, "--shard", "first"], None, 2, "whole numbers"),
    ("shard-with-report", [*SWEEP, *P, "--shard", "0/2", "--report", "r.html"], None, 2, "--report with --shard"),
    ("shard-with-overwrite", [*SWEEP, *P, "--shard", "0/2", "--overwrite"], None, 2, "--shard and --overwrite contradict"),
    # --- carbonhub optimize (checked before the twin is built) ---
    ("optimize-no-vary", ["optimize", "biomass_ft"], None, 2, "--vary NAME=LO:HI"),
    ("vary-no-range", ["optimize", "biomass_ft", "--vary", "gasifier.T"], None, 2, "expected NAME=LO:HI"),
    ("vary-not-numbers", ["optimize", "biomass_ft", "--vary", "gasifier.T=a:b"], None, 2, "must be numbers"),
    ("vary-reversed", ["optimize", "biomass_ft", "--vary", "gasifier.T=1300:1100"], None, 2, "expected lower < upper"),
    ("vary-outside", ["optimize", "biomass_ft", "--vary", "gasifier.T=100:5000"], None, 2, "outside the allowed range"),
    ("vary-price", ["optimize", "biomass_ft", "--vary", "prices.feedstock_eur_per_t=10:20"], None, 2, "only unit parameters"),
    ("vary-twice", ["optimize", "biomass_ft", "--vary", "gasifier.T=1100:1200", "--vary", "gasifier.T=1100:1300"], None, 2, "given twice"),
    ("vary-unknown", ["optimize", "biomass_ft", "--vary", "gasifier.Tx=1100:1200"], None, 2, "gasifier.Tx"),
    ("optimize-json-folder", ["optimize", "biomass_ft", "--vary", "gasifier.T=1100:1200", "--json", "outdir"], _dir("outdir"), 2, "--json outdir: is a folder"),
    # --- carbonhub equilibrium ---
    ("eq-no-moles", ["equilibrium", "--species", "H2,H2O", "--T", "1000"], None, 2, "--moles is required"),
    ("eq-moles-count", ["equilibrium", "--species", "H2,H2O,CO", "--moles", "1,1", "--T", "1000"], None, 2, "2 values for 3 species"),
    ("eq-moles-text", ["equilibrium", "--species", "H2,H2O", "--moles", "a,b", "--T", "1000"], None, 2, "expected numbers"),
    ("eq-unknown-species", ["equilibrium", "--species", "H2,XYZ", "--moles", "1,1", "--T", "1000"], None, 2, "unknown species XYZ"),
    ("eq-T-too-low", ["equilibrium", "--species", "H2,H2O", "--moles", "1,1", "--T", "50"], None, 2, "--T 50 K: outside the NASA-7 data range"),
    ("eq-T-too-high", ["equilibrium", "--species", "H2,H2O", "--moles", "1,1", "--T", "1e9"], None, 2, "outside the NASA-7 data range"),
    ("eq-T-wrong-unit", ["equilibrium", "--species", "H2,H2O", "--moles", "1,1", "--T", "3 bar"], None, 2, "--T"),
    ("eq-P-negative", ["equilibrium", "--species", "H2,H2O", "--moles", "1,1", "--T", "1000", "--P", "-1"], None, 2, "P = -1.0 Pa"),
    ("eq-T-P-counts", ["equilibrium", "--species", "H2,H2O", "--moles", "1,1", "--T", "900,1000", "--P", "1e5,2e5,3e5"], None, 2, "give one of them once"),
]


@pytest.fixture(scope="module")
def made_sweep(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("made") / "sw"
    assert main(["sweep", "biomass_ft", "--n", "2", "--no-progress", "--out", str(out), *P]) == 0
    return out


@pytest.fixture
def fast_routes(monkeypatch):
    """Build each route once for the whole table (the CLI's behaviour is unchanged)."""
    real = carbonhub.routes.load
    cached = functools.lru_cache(maxsize=None)(lambda name: real(name))
    monkeypatch.setattr(carbonhub.routes, "load", lambda name, **kw: real(name, **kw) if kw else cached(name))
    monkeypatch.setenv("CARBONHUB_DASK_TIMEOUT", "3s")


def _snapshot(tmp: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(tmp)): (p.read_bytes() if p.is_file() else None) for p in tmp.rglob("*")}


@pytest.mark.integration
@pytest.mark.parametrize("argv, setup, code, words", [c[1:] for c in CLI], ids=[c[0] for c in CLI])
def test_cli_bad_input(argv, setup, code, words, tmp_path, monkeypatch, capsys, fast_routes, request):
    if ROOT and ("ro/o.json" in argv or "ro.json" in argv):
        pytest.skip("file permissions do not bind root")
    if "ro.json" in argv:
        (tmp_path / "ro.json").write_text("{}")
        (tmp_path / "ro.json").chmod(0o444)
    if setup is not None:
        if getattr(setup, "needs_sweep", False):
            setup(tmp_path, request.getfixturevalue("made_sweep"))
        else:
            setup(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = _snapshot(tmp_path)
    capsys.readouterr()
    try:
        rc = main(argv)
    except SystemExit as exc:  # argparse: usage errors
        rc = exc.code
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert rc == code, err
    assert len(lines) == 1, err
    assert words in lines[0], lines[0]
    assert "Traceback" not in err and "resume=True" not in err and "overwrite=True" not in err
    after = _snapshot(tmp_path)
    assert after == before, sorted(set(after) ^ set(before))  # nothing written, nothing changed
    for p in tmp_path.rglob("*"):
        p.chmod(0o755) if p.is_dir() else None


# Python API: (id, call, exception type, words)
def _fs():
    return ch.routes.load("biomass_ft")


PY = [
    ("load-unknown-route", lambda tmp: ch.routes.load("no_such_route"), KeyError, "unknown route 'no_such_route'"),
    ("build-option-bad-value", lambda tmp: ch.routes.check_build_params("biomass_ft", {"zld": "maybe"}), ValueError, "zld=maybe: expected true or false"),
    ("build-option-unknown", lambda tmp: ch.routes.check_build_params("biomass_ft", {"zdl": "true"}), ValueError, "did you mean zld?"),
    ("build-option-text-for-bool", lambda tmp: ch.routes.load("biomass_ft", zld="false"), ValueError, "zld = 'false': route biomass_ft's build option zld expects true or false"),
    ("build-option-not-a-choice", lambda tmp: ch.routes.load("plastics_pyrolysis", h2_source="grey"), ValueError, "h2_source = 'grey'"),
    ("simulate-unknown-param", lambda tmp: _fs().simulate(params={"gasifier.Tx": 1200.0}), KeyError, "gasifier.Tx"),
    ("simulate-out-of-range", lambda tmp: _fs().simulate(params={"gasifier.T": np.array([1200.0, 99999.0])}), ValueError, "outside the allowed range"),
    ("sweep-bad-dask", lambda tmp: ch.sweep.run(_fs(), {"gasifier.T": (1150, 1250)}, n=2, out=tmp / "s", dask="x", progress=False), ValueError, "dask must be"),
    ("sweep-bad-shard", lambda tmp: ch.sweep.run(_fs(), {"gasifier.T": (1150, 1250)}, n=2, out=tmp / "s", shard="5/2", progress=False), ValueError, "0 <= i < N"),
    ("sweep-outside-bounds", lambda tmp: ch.sweep.run(_fs(), {"gasifier.T": (500, 1500)}, n=2, out=tmp / "s", progress=False), ValueError, "outside the allowed range"),
    ("sweep-load-missing", lambda tmp: ch.sweep.load(tmp / "nothing"), ValueError, "not a carbonhub sweep"),
    ("load-params-missing", lambda tmp: ch.sweep.load_params(tmp / "p.yaml"), ValueError, "no such file"),
    ("optimize-bad-objective", lambda tmp: ch.eo.optimize(_fs(), "fun", {"gasifier.T": (1100, 1200)}), ValueError, "objective 'fun'"),
    ("optimize-no-vary", lambda tmp: ch.eo.optimize(_fs(), "msp", {}), ValueError, "give at least one decision variable"),
    ("equilibrate-bad-moles", lambda tmp: ch.thermo.equilibrate(["H2", "H2O"], [[1.0, -1.0]], 1000.0, 1e5), ValueError, "expected >= 0"),
    ("data-folder-missing", lambda tmp: (os.environ.__setitem__("CARBONHUB_DATA", str(tmp / "no")), ch.data.data_dir()), FileNotFoundError, "no such folder"),
    ("routes-folder-missing", lambda tmp: (os.environ.__setitem__("CARBONHUB_ROUTES", str(tmp / "no")), ch.routes.names()), FileNotFoundError, "route folder"),
]


@pytest.mark.integration
@pytest.mark.parametrize("call, exc, words", [c[1:] for c in PY], ids=[c[0] for c in PY])
def test_python_bad_input(call, exc, words, tmp_path, monkeypatch, fast_routes):
    monkeypatch.delenv("CARBONHUB_DATA", raising=False)
    monkeypatch.delenv("CARBONHUB_ROUTES", raising=False)
    with pytest.raises(exc) as err:
        call(tmp_path)
    msg = err.value.args[0] if isinstance(err.value, KeyError) else str(err.value)
    assert "\n" not in str(msg) and words in str(msg), msg
    assert list(tmp_path.iterdir()) == []
    os.environ.pop("CARBONHUB_DATA", None)
    os.environ.pop("CARBONHUB_ROUTES", None)


@pytest.mark.unit
def test_equilibrium_outside_nasa7_range_is_flagged_per_case():
    r = ch.thermo.equilibrate(["H2", "H2O", "O2"], [[1.0, 1.0, 0.0]] * 3, np.array([50.0, 1000.0, 1e9]), 1e5)
    assert r.status[1] == "ok"
    for i, T in ((0, "50"), (2, "1e+09")):
        assert r.status[i].startswith(f"T = {T} K is outside the NASA-7 data range [200, 6000] K")
        assert np.isnan(r.moles[i]).all()


@pytest.mark.unit
def test_failed_case_has_no_numbers_in_the_json():
    from carbonhub.report.json_out import result_to_json

    fs = _fs()
    res = fs.simulate(params={"gasifier.T": np.array([1200.0, 1250.0])})
    res.status = np.array(["ok", "no convergence: test"], dtype=object)
    d = result_to_json(fs, res)
    assert d["kpis"]["msp_eur_per_t"][1] is None and d["kpis"]["msp_eur_per_t"][0] > 0
    for unit in d["units"].values():
        for k, v in unit.items():
            if isinstance(v, list):
                assert v[1] is None or isinstance(v[1], str), (k, v)
    for s in d["streams"].values():
        assert s["T_K"][1] is None and all(v[1] is None for v in s["flow_mol_s"].values())


@pytest.mark.unit
def test_the_table_is_large_enough():
    assert len(CLI) + len(PY) >= 60


@pytest.mark.integration
def test_ctrl_c_during_a_sweep_says_rerun_with_resume(tmp_path, monkeypatch, capsys, fast_routes):
    import carbonhub.sweep.runner as runner

    real, calls = runner.evaluate, []

    def evaluate(*args, **kw):
        calls.append(1)
        if len(calls) == 3:  # the probe, chunk 0, then Ctrl-C during chunk 1
            raise KeyboardInterrupt
        return real(*args, **kw)

    monkeypatch.setattr(runner, "evaluate", evaluate)
    monkeypatch.chdir(tmp_path)
    argv = [*SWEEP[:-1], "sw", "--n", "4", "--chunk-size", "2", *P]
    assert main(argv) == 130
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["carbonhub: interrupted: rerun with --resume to continue"]
    left = sorted(p.name for p in (tmp_path / "sw").iterdir())
    assert left == ["_meta.json", "part-000000.parquet"]  # the finished chunk; no lock, no .tmp
    monkeypatch.setattr(runner, "evaluate", real)
    assert main([*argv, "--resume"]) == 0
    assert ch.sweep.load(tmp_path / "sw").complete
