"""benchmarks/bench_eo.py cannot rot: its ``--smoke`` run (biomass_ft, 3 cases) completes and the
IDAES twin agrees with the vectorised core, and its MSP optimisation of three operating variables
ends optimal, equal to the core at the optimum and no worse than a core grid. Timings are
printed, never asserted."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_eo.py"
RTOL = 1e-6


@pytest.mark.integration
@pytest.mark.solver
@pytest.mark.slow
def test_bench_eo_smoke(tmp_path):
    out_json = tmp_path / "eo.json"
    p = subprocess.run([sys.executable, str(BENCH), "--smoke", "--json", str(out_json)],
                       capture_output=True, text=True, timeout=1200)
    assert p.returncode == 0, f"bench_eo.py --smoke failed (exit {p.returncode}):\n{p.stdout[-4000:]}\n{p.stderr[-4000:]}"
    last = json.loads(p.stdout.strip().splitlines()[-1])
    written = json.loads(out_json.read_text())
    assert last == written
    assert written["benchmark"] == "eo" and written["smoke"] is True and written["passed"] is True
    assert written["rtol"] == RTOL and written["ratio"] > 0
    (r,) = written["routes"]
    assert r["route"] == "biomass_ft" and r["passed"] and all(r["checks"].values())

    d = r["defaults"]  # the twin at the defaults reproduces the core
    assert d["dof"] == 0 and d["termination"] == "optimal"
    assert d["msp_rel"] <= RTOL and d["product_rel"] <= RTOL

    o = r["optimisation"]  # three decision variables, verified in the core and against a grid
    assert len(o["vary"]) == 3 and o["termination"] == "optimal"
    assert o["msp_after"] < o["msp_before"]
    assert o["msp_core_rel"] <= 1e-4 and o["no_worse_than_grid"]

    pp = r["per_point"]  # the same 3 cases: IDAES (warm-started, one model) vs the core
    assert pp["n"] == 3 and pp["idaes_optimal"] == 3 and pp["core_ok"] == 3
    assert pp["product_max_rel"] <= RTOL and pp["co2_max_rel"] <= RTOL
    assert len(pp["rebuilt"]) == 3  # MSP: twins rebuilt at each case (exact TEA there)
    assert pp["rebuilt_msp_max_rel"] <= RTOL and pp["rebuilt_product_max_rel"] <= RTOL
    assert {c["n"] for c in pp["core"]} == {3, 100}
    for c in pp["core"]:
        assert c["ok"] == c["n"] and c["cases_per_s"] > 0 and c["ratio_vs_idaes_warm"] > 0
