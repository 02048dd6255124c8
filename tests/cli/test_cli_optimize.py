"""`carbonhub optimize`: a summary table and JSON; user errors give one line and exit 2."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "carbonhub.cli", *args], capture_output=True, text=True,
                          timeout=900)


@pytest.mark.integration
@pytest.mark.solver
@pytest.mark.slow
def test_optimize_writes_json(tmp_path):
    out = tmp_path / "opt.json"
    r = _cli("optimize", "biomass_ft", "--objective", "msp", "--vary", "ft.co_conversion=0.5:0.7",
             "--json", str(out))
    assert r.returncode == 0, r.stderr[-2000:]
    assert "IPOPT optimal" in r.stdout
    d = json.loads(out.read_text())
    assert d["termination"] == "optimal"
    assert d["kpis"]["msp_eur_per_t"] <= d["kpis0"]["msp_eur_per_t"] * (1 + 1e-9)
    assert d["core_kpis"]["msp_eur_per_t"] == pytest.approx(d["kpis"]["msp_eur_per_t"], rel=1e-4)


@pytest.mark.integration
@pytest.mark.solver
@pytest.mark.parametrize("vary, needle", [
    ("ft.co_conversion=0.7:0.5", "expected lower < upper"),
    ("ft.co_conversion", "expected NAME=LO:HI"),
    ("ft.nope=0:1", "unknown parameter 'ft.nope'"),
])
def test_optimize_user_errors(tmp_path, vary, needle):
    out = tmp_path / "o.json"
    r = _cli("optimize", "biomass_ft", "--vary", vary, "--json", str(out))
    assert r.returncode == 2, r.stderr[-2000:]
    lines = [ln for ln in r.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and needle in lines[0], r.stderr[-2000:]
    assert not out.exists()
