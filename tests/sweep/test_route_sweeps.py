"""Sweeps of a real route (biomass_ft): kill -9 and resume equals the uninterrupted run;
Sobol indices of the MSP; every case conserves."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pandas as pd
import pytest

import carbonhub as ch
from carbonhub.sweep import load, run

PARAMS = {
    "gasifier.T": "uniform(1100,1250)",
    "ft.alpha": "pert(0.85,0.9,0.92)",
    "purge.fraction": "uniform(0.1,0.4)",
    "feed.rate_dry_t_per_h": "uniform(40,120)",
    "feed.feedstock": "choice(wood_chips,forestry_residue,wheat_straw)",
    "prices.feedstock_eur_per_t": "tri(40,80,130)",
    "prices.electricity_eur_per_MWh": "uniform(60,200)",
    "economics.capex_factor": "lognormal(0,0.2)",
    "gasifier_steam.ratio": "uniform(0.2,0.5)",
    "ft.co_conversion": "uniform(0.5,0.7)",
}
N, CHUNK = 600, 50


@pytest.mark.integration
@pytest.mark.slow
def test_route_sweep_kill_9_then_resume_is_identical(tmp_path):
    out = tmp_path / "killed"
    script = textwrap.dedent(f"""
        import carbonhub as ch
        from carbonhub.sweep import run
        run(ch.routes.load("biomass_ft"), {PARAMS!r}, n={N}, method="lhs", seed=5, out={str(out)!r},
            chunk_size={CHUNK}, progress=False)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        while len(list(out.glob("part-*.parquet"))) < 3:
            if proc.poll() is not None:
                pytest.fail(f"sweep ended before it could be killed: {proc.communicate()[1].decode()[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail("no part files after 300 s")
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=60)
        proc.stderr.close()  # type: ignore[union-attr]
    done = load(out).n_done
    assert 3 * CHUNK <= done < N
    fs = ch.routes.load("biomass_ft")
    resumed = run(fs, PARAMS, n=N, method="lhs", seed=5, out=out, resume=True, progress=False)
    ref = run(ch.routes.load("biomass_ft"), PARAMS, n=N, method="lhs", seed=5, out=tmp_path / "ref",
              chunk_size=CHUNK, progress=False)
    pd.testing.assert_frame_equal(resumed.df, ref.df)
    assert (resumed.df["status"] == "ok").mean() > 0.95


@pytest.mark.integration
def test_route_sweep_cases_equal_direct_simulation(tmp_path):
    fs = ch.routes.load("biomass_ft")
    sw = run(fs, PARAMS, n=60, method="sobol", seed=2, out=tmp_path / "s", chunk_size=25, progress=False)
    df = sw.df.sort_values("case").reset_index(drop=True)
    direct = fs.simulate(params={k: df[k].to_numpy() for k in PARAMS})
    np.testing.assert_allclose(df["msp_eur_per_t"], direct.kpis["msp_eur_per_t"], rtol=1e-9)
    direct.check_balances()


@pytest.mark.integration
@pytest.mark.slow
def test_sobol_indices_of_the_route_msp():
    """Capital-cost factor and feedstock price must matter for the MSP; the electricity price
    (a small share of the cost) less; first-order indices sum to at most ~1."""
    from carbonhub.sweep.analysis import sobol_indices

    fs = ch.routes.load("biomass_ft")
    params = {"economics.capex_factor": "uniform(0.7,1.3)", "prices.feedstock_eur_per_t": "uniform(40,130)",
              "prices.electricity_eur_per_MWh": "uniform(60,200)", "ft.alpha": "uniform(0.86,0.92)"}
    si = sobol_indices(fs, params, n=128, kpi="msp_eur_per_t", seed=1)
    s1 = si["S1"].to_dict()  # DataFrame indexed by parameter
    assert s1["economics.capex_factor"] > s1["prices.electricity_eur_per_MWh"]
    assert s1["prices.feedstock_eur_per_t"] > s1["prices.electricity_eur_per_MWh"]
    assert sum(s1.values()) < 1.15
