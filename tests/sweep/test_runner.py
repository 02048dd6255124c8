"""Chunked runner: table layout, failed cases, bisection, chunk independence, resume, overwrite."""
from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest

import carbonhub
from carbonhub.sweep import SweepInputError, load, run
from carbonhub.sweep.result import META_NAME
from carbonhub.sweep.runner import auto_chunk_size

pytestmark = pytest.mark.component


def _snapshot(path):
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(path.iterdir())}


def test_table_layout_and_metadata(make_fs, fs, params, tmp_path):
    res = run(fs, params, n=500, method="lhs", seed=4, out=tmp_path / "x.parquet", chunk_size=128,
              progress=False)
    df = res.df
    assert len(df) == 500 and res.complete and len(res.parts()) == 4
    assert list(df.columns) == ["case", *sorted(params), "msp_eur_per_t", "carbon_efficiency",
                                "co2_emitted_t_per_y", "ishigami", "status"]
    assert df["case"].tolist() == list(range(500))
    assert (df["status"] == "ok").all()
    assert df["gasifier.T"].between(1100, 1500).all()
    assert (df["gasifier.P"] == 25e5).all()  # "25 bar" converted to the parameter's Pa
    assert set(df["feed.feedstock"]) == {"wood_chips", "wheat_straw"}
    meta = json.loads((tmp_path / "x.parquet" / META_NAME).read_text())
    assert meta["route"] == "analytic_double" and meta["carbonhub_version"] == carbonhub.__version__
    assert (meta["method"], meta["seed"], meta["n"], meta["chunk_size"]) == ("lhs", 4, 500, 128)
    assert meta["parameters"]["prices.feedstock_eur_per_t"] == {
        "dist": "triangular", "lo": 60.0, "mode": 80.0, "hi": 120.0, "unit": "EUR/t"}
    assert res.parameters["gasifier.T"].to_dict()["unit"] == "K"
    # the KPIs are the flowsheet's, case by case
    direct = make_fs().simulate({k: df[k].to_numpy() for k in params})
    np.testing.assert_array_equal(df["msp_eur_per_t"], direct.kpis["msp_eur_per_t"])


@pytest.mark.parametrize("method", ["lhs", "sobol", "mc", "grid"])
def test_results_do_not_depend_on_chunk_size(fs, params, tmp_path, method):
    n = 3 if method == "grid" else 1000
    a = run(fs, params, n=n, method=method, seed=9, out=tmp_path / "a", chunk_size=1000,
            progress=False).df
    b = run(fs, params, n=n, method=method, seed=9, out=tmp_path / "b", chunk_size=77,
            progress=False).df
    pd.testing.assert_frame_equal(a, b)


def test_failed_cases_are_kept_with_their_reason(make_fs, params, tmp_path):
    fs = make_fs(fail_above_T=1400.0)
    df = run(fs, params, n=400, seed=1, out=tmp_path / "f", chunk_size=100, progress=False).df
    hot = df["gasifier.T"] > 1400
    assert hot.any() and (~hot).any()
    assert (df.loc[hot, "status"] == "no convergence: gasifier energy balance").all()
    assert df.loc[hot, "msp_eur_per_t"].isna().all()
    assert (df.loc[~hot, "status"] == "ok").all() and df.loc[~hot, "msp_eur_per_t"].notna().all()


def test_exceptions_are_isolated_by_bisection(make_fs, params, tmp_path):
    good = run(make_fs(), params, n=300, seed=2, out=tmp_path / "g", chunk_size=64,
               progress=False).df
    fs = make_fs(raise_above_T=1480.0)
    df = run(fs, params, n=300, seed=2, out=tmp_path / "r", chunk_size=64, progress=False).df
    bad = df["gasifier.T"] > 1480
    assert 0 < bad.sum() < 30
    assert df.loc[bad, "status"].str.startswith(
        "error: RuntimeError: gasifier model blew up at T=").all()
    assert df.loc[bad, "msp_eur_per_t"].isna().all()
    pd.testing.assert_frame_equal(df[~bad], good[~bad])  # every other case untouched
    assert fs.calls < 20 * bad.sum() + 10  # bisection, not one call per case


def test_flowsheet_failing_everywhere_is_a_clear_error(make_fs, params, tmp_path):
    from carbonhub.sweep import SweepRuntimeError

    fs = make_fs(raise_above_T=0.0)
    with pytest.raises(SweepRuntimeError, match="fails on the first .* and at the defaults"):
        run(fs, params, n=100, out=tmp_path / "e", progress=False)


def test_unknown_parameter_error_before_anything_runs(fs, tmp_path):
    with pytest.raises(SweepInputError, match=r"unknown parameter 'gasifer\.T'.*gasifier\.T"):
        run(fs, {"gasifer.T": "uniform(1100,1500)"}, n=10, out=tmp_path / "u", progress=False)
    assert fs.calls == 0 and not (tmp_path / "u").exists()


def test_existing_output_is_never_silently_overwritten(fs, params, tmp_path):
    out = tmp_path / "o"
    run(fs, params, n=100, seed=1, out=out, progress=False)
    before = _snapshot(out)
    with pytest.raises(SweepInputError, match="resume=True .* overwrite=True"):
        run(fs, params, n=100, seed=2, out=out, progress=False)
    assert _snapshot(out) == before
    res = run(fs, params, n=100, seed=2, out=out, overwrite=True, progress=False)
    assert res.seed == 2 and res.complete
    (out / "notes.txt").write_text("mine")
    with pytest.raises(SweepInputError, match="not a sweep"):
        run(fs, params, n=100, seed=3, out=out, overwrite=True, progress=False)
    assert (out / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize(("change", "word"), [
    ({"name": "other_route"}, "route"),
    ({"seed": 8}, "seed"),
    ({"n": 401}, "n_cases"),
    ({"method": "sobol"}, "method"),
    ({"params": {"gasifier.T": "uniform(1100,1400)"}}, "parameters"),
    ({"chunk_size": 50}, "chunk_size"),
])
def test_resume_with_mismatching_metadata_errors_and_leaves_files_untouched(
        make_fs, params, tmp_path, change, word):
    out = tmp_path / "m"
    base = {"fs": make_fs(), "params": params, "n": 400, "method": "lhs", "seed": 7,
            "chunk_size": 100}
    run(**base, out=out, progress=False)
    (out / "part-000002.parquet").unlink()  # make it an unfinished sweep
    before = _snapshot(out)
    change = dict(change)
    kw = {**base, **change}
    if "name" in change:
        kw["fs"] = make_fs(name=kw.pop("name"))
    if kw["params"] is not params:
        kw["params"] = {**params, **kw["params"]}
    with pytest.raises(SweepInputError) as err:
        run(**kw, out=out, resume=True, progress=False)
    assert word in str(err.value)
    assert _snapshot(out) == before


def test_resume_of_a_foreign_directory_errors(fs, params, tmp_path):
    out = tmp_path / "foreign"
    out.mkdir()
    (out / "data.parquet").write_bytes(b"not ours")
    with pytest.raises(SweepInputError, match="not a carbonhub sweep"):
        run(fs, params, n=10, out=out, resume=True, progress=False)
    assert (out / "data.parquet").read_bytes() == b"not ours"


def test_resume_computes_only_missing_chunks(make_fs, params, tmp_path):
    out = tmp_path / "r"
    full = run(make_fs(), params, n=1000, seed=3, out=out, chunk_size=100,
               progress=False).df
    for k in (1, 5, 9):
        os.remove(out / f"part-00000{k}.parquet")
    (out / ".part-000005.parquet.tmp-123").write_bytes(b"half a chunk")
    kept = {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.parquet")}
    fs = make_fs()
    res = run(fs, params, n=1000, seed=3, out=out, resume=True, progress=False)
    assert fs.cases_evaluated == 300
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.parquet")
            if p.name in kept} == kept
    assert not list(out.glob(".part-*"))
    pd.testing.assert_frame_equal(res.df, full)
    again = make_fs()
    run(again, params, n=1000, seed=3, out=out, resume=True, progress=False)
    assert again.calls == 0  # complete: nothing to do


def test_result_access(make_fs, params, tmp_path):
    res = run(make_fs(fail_above_T=1450.0), params, n=200, seed=1,
              out=tmp_path / "a", chunk_size=64, progress=False)
    res2 = load(tmp_path / "a")
    assert len(res2) == 200 and "200/200" in repr(res2)
    cols = res2.to_pandas(columns=["gasifier.T", "msp_eur_per_t"])
    assert list(cols.columns) == ["gasifier.T", "msp_eur_per_t"]
    ok = res2.to_pandas(ok_only=True)
    assert (ok["status"] == "ok").all() and len(ok) == res2.status_counts()["ok"]
    assert sum(len(b) for b in res2.iter_batches(columns=["case"], batch_size=50)) == 200
    assert res2.kpi_names == ["msp_eur_per_t", "carbon_efficiency", "co2_emitted_t_per_y",
                              "ishigami"]


@pytest.mark.parametrize(("bpc", "n", "avail", "expected"), [
    (1e3, 1_000_000, 8e9, 62_500),       # at least ~16 chunks
    (1e6, 1_000_000, 8e9, 1073),         # memory-bound: 1 GiB / 1 MB
    (1e7, 1_000_000, 8e9, 1024),         # but never below 1024
    (1e4, 100, 8e9, 100),                # never more than the design
    (100.0, 10_000_000, 64e9, 262_144),  # capped
])
def test_auto_chunk_size(bpc, n, avail, expected):
    assert auto_chunk_size(bpc, n, available=avail) == expected


def test_one_writer_per_directory(fs, params, tmp_path):
    import socket
    import subprocess
    import sys

    out = tmp_path / "locked"
    run(fs, params, n=200, seed=1, out=out, chunk_size=50, progress=False)
    os.remove(out / "part-000003.parquet")
    host = socket.gethostname()
    (out / "_lock").write_text(json.dumps({"host": host, "pid": os.getpid()}))  # alive writer
    with pytest.raises(SweepInputError, match="being written by another sweep"):
        run(fs, params, n=200, seed=1, out=out, resume=True, progress=False)
    assert not (out / "part-000003.parquet").exists()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (out / "_lock").write_text(json.dumps({"host": host, "pid": int(dead)}))  # killed writer
    res = run(fs, params, n=200, seed=1, out=out, resume=True, progress=False)
    assert res.complete and not (out / "_lock").exists()
