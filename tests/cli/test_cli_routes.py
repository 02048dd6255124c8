"""`carbonhub routes` / `carbonhub run`: listing, JSON of DESIGN.md, and user errors
(one clear line, exit code 2, nothing written)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from carbonhub.cli import main


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "carbonhub.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=600)


@pytest.mark.integration
def test_routes_lists_the_library(capsys):
    assert main(["routes"]) == 0
    out = capsys.readouterr().out
    assert "biomass_ft" in out


@pytest.mark.integration
@pytest.mark.parametrize("args, needle", [
    (["run", "no_such_route"], "unknown route 'no_such_route'"),
    (["run", "biomass_ft", "--set", "gasifier.Tx=1200"], "unknown parameter 'gasifier.Tx'"),
    (["run", "biomass_ft", "--set", "gasifier.T=3 bar"], "gasifier.T"),
    (["run", "biomass_ft", "--set", "gasifier.T=99999"], "outside the allowed range"),
    (["run", "biomass_ft", "--set", "feed.feedstock=coal"], "expected one of"),
    (["run", "biomass_ft", "--set", "gasifiert"], "expected NAME=VALUE"),
])
def test_user_errors_exit_2_one_line_no_files(tmp_path, args, needle):
    out_json, out_html = tmp_path / "o.json", tmp_path / "o.html"
    r = _cli(*args, "--json", str(out_json), "--report", str(out_html), cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    lines = [ln for ln in r.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and needle in lines[0], r.stderr
    assert "Traceback" not in r.stderr
    assert not out_json.exists() and not out_html.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.integration
def test_run_writes_design_json(tmp_path):
    out = tmp_path / "r.json"
    r = _cli("run", "biomass_ft", "--set", "gasifier.T=1123,1173", "--json", str(out))
    assert r.returncode == 0, r.stderr
    d = json.loads(out.read_text())
    for key in ("route", "carbonhub_version", "n_cases", "kpis", "balances", "status", "units", "streams"):
        assert key in d
    assert d["route"] == "biomass_ft" and d["n_cases"] == 2 and d["status"] == ["ok", "ok"]
    for k in ("feed_dry_t_per_h", "products_t_per_h", "carbon_efficiency", "carbon_to_co2_fraction",
              "cold_gas_efficiency", "energy_efficiency_lhv", "water_in_t_per_h", "wastewater_t_per_h",
              "tci_eur", "capex_eur", "opex_eur_per_y", "msp_eur_per_t", "npv_eur",
              "co2_emitted_t_per_y", "co2_captured_t_per_y"):
        assert k in d["kpis"], k
    assert set(d["balances"]["elements_rel"]) == {"C", "H", "O", "N", "S", "Cl"}
    assert d["balances"]["mass_rel"] < 1e-9 and d["balances"]["energy_rel"] < 1e-6
