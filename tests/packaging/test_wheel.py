"""The wheel is complete: built from the project's files, installed (``--no-deps``) into a target
folder outside the repository and run from an empty folder with that install first on
``sys.path``, it lists the routes, runs ``biomass_ft`` and a small ``sweep --dask local``, and its
KPIs equal the checkout's to 1e-12."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import carbonhub as ch
from carbonhub.data import project_root

ROOT = project_root()
SWEEP = ["--n", "6", "--method", "lhs", "--seed", "3", "--chunk-size", "3", "--no-progress",
         "--param", "gasifier.T=uniform(1150,1350)", "--param", "prices.feedstock_eur_per_t=uniform(60,120)"]


def _copy_project(dest: Path) -> Path:
    """The files a wheel is built from, copied so that the build leaves nothing in the checkout."""
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    for name in ("src", "flowsheets", "property_data"):
        shutil.copytree(ROOT / name, dest / name, ignore=skip)
    return dest


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("wheel")
    (base / "project").mkdir()
    src = _copy_project(base / "project")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", str(src),
                    "-w", str(base / "dist")], check=True, capture_output=True, text=True, timeout=300)
    wheel = next((base / "dist").glob("carbonhub-*.whl"))
    target = base / "site"
    subprocess.run([*pip, "install", "--no-deps", "--no-index", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, text=True, timeout=300)
    empty = base / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "CARBONHUB_"))}
    env.update(PYTHONPATH=str(target), HOME=str(base / "home"), PYTHONNOUSERSITE="1")
    return {"wheel": wheel, "target": target.resolve(), "cwd": empty, "env": env}


def _carbonhub(inst: dict, *args: str) -> subprocess.CompletedProcess:
    code = ("import sys, carbonhub, carbonhub.cli; "
            "sys.stderr.write('carbonhub from ' + carbonhub.__file__ + '\\n'); "
            "sys.exit(carbonhub.cli.main(sys.argv[1:]))")
    r = subprocess.run([sys.executable, "-c", code, *args], cwd=inst["cwd"], env=inst["env"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    origin = Path(r.stderr.splitlines()[0].removeprefix("carbonhub from "))
    assert origin.is_relative_to(inst["target"]), origin
    return r


@pytest.mark.integration
@pytest.mark.slow
def test_wheel_carries_routes_and_data(installed):
    names = {p.relative_to("carbonhub").as_posix() for p in _wheel_names(installed["wheel"])}
    for route in ch.routes.names():
        assert f"flowsheets/{route}.py" in names and f"flowsheets/{route}.yaml" in names
    for folder in ("property_data", "flowsheets"):  # every data file, in sub-folders too
        for f in (ROOT / folder).rglob("*"):
            if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc":
                assert f.relative_to(ROOT).as_posix() in names, f
    r = _carbonhub(installed, "routes")
    listed = [ln.split()[0] for ln in r.stdout.splitlines() if ln.strip()]
    assert listed == ch.routes.names()


def _wheel_names(wheel: Path) -> list[Path]:
    import zipfile

    with zipfile.ZipFile(wheel) as z:
        return [Path(n) for n in z.namelist() if n.startswith("carbonhub/")]


@pytest.mark.integration
@pytest.mark.slow
def test_wheel_run_json_equals_checkout(installed):
    from carbonhub.report.json_out import result_to_json

    _carbonhub(installed, "run", "biomass_ft", "--json", "ft.json")
    got = json.loads((installed["cwd"] / "ft.json").read_text())
    fs = ch.routes.load("biomass_ft")
    want = json.loads(json.dumps(result_to_json(fs, fs.simulate())))
    assert got["status"] == want["status"] == ["ok"]
    assert set(got["kpis"]) == set(want["kpis"])
    for k, v in want["kpis"].items():
        _close(got["kpis"][k], v, k)


def _close(a, b, name):
    if isinstance(b, dict):
        assert set(a) == set(b), name
        for k in b:
            _close(a[k], b[k], f"{name}.{k}")
    elif isinstance(b, (int, float)) and not isinstance(b, bool):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=0, err_msg=name)
    else:
        assert a == b, name


@pytest.mark.integration
@pytest.mark.slow
def test_wheel_dask_sweep_equals_checkout(installed, tmp_path):
    _carbonhub(installed, "sweep", "biomass_ft", *SWEEP, "--out", "sw.parquet", "--dask", "local:1")
    got = ch.sweep.load(installed["cwd"] / "sw.parquet").df
    from carbonhub.cli import main

    assert main(["sweep", "biomass_ft", *SWEEP, "--out", str(tmp_path / "ref.parquet")]) == 0
    want = ch.sweep.load(tmp_path / "ref.parquet").df
    assert len(got) == len(want) == 6
    num = [c for c in want.columns if pd.api.types.is_numeric_dtype(want[c])]
    assert "msp_eur_per_t" in num
    np.testing.assert_allclose(got[num].to_numpy(float), want[num].to_numpy(float), rtol=1e-12, atol=0)
