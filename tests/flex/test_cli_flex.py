"""`carbonhub flex`: user errors are one line with exit code 2 and write nothing; a run writes
the JSON (msp_eur_per_t among the KPIs, as `carbonhub run`) and the HTML report."""
from __future__ import annotations

import json

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.cli import main
from carbonhub.flex import PriceProfile, write_prices

pytestmark = pytest.mark.integration


def _prices(tmp_path, n=8760, col="price_eur_per_MWh"):
    f = tmp_path / "prices.csv"
    f.write_text(f"{col}\n" + "120\n" * n)
    return f


@pytest.mark.parametrize("make, extra, needle", [
    (lambda p: _prices(p, n=8784), [], "8784 values (a leap year? drop 29 February)"),
    (lambda p: _prices(p, col="price_eur_per_kWh"), [], "'price_eur_per_kWh' is in EUR/kWh"),
    (lambda p: p / "missing.csv", [], "not found"),
    (lambda p: _prices(p), ["--limit", "synthesis_min_load=2"], "synthesis_min_load = 2.0"),
    (lambda p: _prices(p), ["--limit", "turbo=1"], "unknown limit 'turbo'"),
    (lambda p: _prices(p), ["--set", "feed.rate_dry_t_per_h=50,60"], "takes one value"),
])
def test_user_errors_exit_2_one_line_no_files(tmp_path, capsys, make, extra, needle):
    src = make(tmp_path)
    out = tmp_path / "out"
    code = main(["flex", "co2_methanol_mto", "--prices", str(src), *extra,
                 "--json", str(out / "f.json"), "--report", str(out / "f.html")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and needle in err[0], err
    assert not out.exists()


def test_unknown_route(tmp_path, capsys):
    code = main(["flex", "no_such_route", "--prices", str(_prices(tmp_path))])
    err = capsys.readouterr().err
    assert code == 2 and "no_such_route" in err and len(err.strip().splitlines()) == 1


def test_flex_writes_json_and_report(tmp_path, capsys):
    """A year at a flat price: the JSON's msp_eur_per_t is the steady-state MSP of the route at
    that electricity price (the route simulated with it), full load, no store. The route is the
    ZLD build (``--build zld=true``): its steady state is ``routes.load(..., zld=True)``'s."""
    f = write_prices(PriceProfile(np.full(8760, 120.0), np.full(8760, 0.2)), tmp_path / "flat.parquet")
    j, h = tmp_path / "f.json", tmp_path / "f.html"
    code = main(["flex", "co2_methanol_mto", "--prices", str(f), "--set", "prices.electricity_eur_per_MWh=120",
                 "--build", "zld=true", "--json", str(j), "--report", str(h)])
    out = capsys.readouterr().out
    assert code == 0 and "MSP, flexible" in out
    d = json.loads(j.read_text())
    k = d["kpis"]
    assert d["route"] == "co2_methanol_mto" and "carbonhub_version" in d and d["build_params"] == {"zld": True}
    steady = ch.routes.load("co2_methanol_mto", zld=True).simulate(params={"prices.electricity_eur_per_MWh": 120.0})
    assert k["msp_steady_state_eur_per_t"] == pytest.approx(float(steady.kpis["msp_eur_per_t"].iloc[0]), rel=1e-9)
    assert k["msp_eur_per_t"] == pytest.approx(k["msp_steady_state_eur_per_t"], rel=1e-9)
    assert k["msp_eur_per_t"] == pytest.approx(k["msp_flat_eur_per_t"], rel=1e-9)
    assert k["electrolyser_capacity_factor"] == pytest.approx(1.0, abs=1e-9)
    assert k["h2_storage_kg"] < 1e-6 and k["electrolyser_hours_run"] == 8760
    assert k["grid_co2_t_per_y"] == pytest.approx(k["grid_co2_flat_t_per_y"], rel=1e-9)
    page = h.read_text()
    assert 'id="flex"' in page and "Flexible operation" in page and page.count("data:image/png") >= 2
