"""The benchmarks cannot rot: bench_flowsheet.py and bench_scaling.py run in --smoke mode (tiny
N, seconds) and their correctness checks pass (bench_tea.py: tests/costing/test_tea_bench_smoke.py).
Timings are printed, never asserted."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def _run(script: str, tmp_path: Path) -> tuple[dict, dict]:
    out_json = tmp_path / f"{script}.json"
    p = subprocess.run([sys.executable, str(BENCH / script), "--smoke", "--json", str(out_json)],
                       capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, f"{script} --smoke failed (exit {p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}"
    last = json.loads(p.stdout.strip().splitlines()[-1])
    return last, json.loads(out_json.read_text())


@pytest.mark.integration
def test_bench_flowsheet_smoke(tmp_path):
    last, written = _run("bench_flowsheet.py", tmp_path)
    assert last == written
    assert written["benchmark"] == "flowsheet" and written["smoke"] is True
    assert written["passed"] is True
    for c in written["checks"]:  # each looped single case equals its batch counterpart
        assert c["passed"] and c["max_normalised_error"] <= 1.0 and c["loop_cases"] > 0
    for r in written["rows"]:
        assert r["ok"] == r["n"] and r["cases_per_s"] > 0 and r["peak_traced_mb"] > 0
    assert {r["oxidant"] for r in written["rows"]} == {"ratio", "autothermal"}
    assert written["threads"]["OPENBLAS_NUM_THREADS"] == "1"


@pytest.mark.integration
def test_bench_scaling_smoke(tmp_path):
    last, written = _run("bench_scaling.py", tmp_path)
    assert last == written
    assert written["benchmark"] == "scaling" and written["passed"] is True
    assert all(written["checks"].values())
    modes = {r["mode"] for r in written["rows"]}
    assert modes == {"direct", "sweep"}
    for r in written["rows"]:
        assert r["ok"] == r["n"] and r["unit_evals_per_case"] > 1
        assert r["ns_per_case_unit_eval"] > 0 and r["fraction_of_copy_bandwidth"] > 0
    sweep = [r for r in written["rows"] if r["mode"] == "sweep"]
    assert sweep[0]["chunks"] >= 2 and sweep[0]["sweep_vs_direct_max_rel"] <= 1e-9
    assert written["bandwidth"]["copy_GB_s"] > 0



@pytest.mark.integration
def test_bench_routes_smoke(tmp_path):
    out_json = tmp_path / "routes.json"
    p = subprocess.run([sys.executable, str(BENCH / "bench_routes.py"), "--smoke", "--routes", "co2_methanol_mto",
                        "--json", str(out_json)], capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, f"bench_routes.py --smoke failed:\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}"
    written = json.loads(out_json.read_text())
    assert {r["config"] for r in written["rows"]} == {"new", "old", "new_at_old_purge"}
    new = [r for r in written["rows"] if r["config"] != "old"]  # the old solver fails the two-tear loop
    assert all(r["ok"] == r["n"] and len(r["parameters"]) >= 6 for r in new)
    assert written["checks"] and all(c["passed"] is not False for c in written["checks"])
