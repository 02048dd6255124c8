"""benchmarks/bench_tea.py runs (tiny N) and prints its JSON result line."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_tea.py"


@pytest.mark.integration
def test_bench_tea_smoke():
    out = subprocess.run([sys.executable, str(BENCH), "--smoke"], check=True,
                         capture_output=True, text=True, timeout=300)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["benchmark"] == "tea" and result["n_cases"] == 1000
    assert result["cases_per_s"] > 0
    assert result["max_rel_npv_at_msp"] < 1e-9
    assert result["max_trains"] >= 2          # the sample includes out-of-range sizes
