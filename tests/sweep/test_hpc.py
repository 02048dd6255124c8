"""Sweeps the way HPC users run them: `--shard i/N` batch-array tasks writing parts of one sweep
that `--resume` completes, a Dask scheduler file, `--dask local:N`, and a SLURM cluster through
dask-jobqueue (with stand-in `sbatch`/`scancel` that start the job script on this machine)."""
from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from carbonhub.sweep import SweepInputError, run
from carbonhub.sweep.backends import parse
from carbonhub.sweep.result import PART_RE


def _ref(make_fs, params, tmp_path, n=600, chunk=50):
    return run(make_fs(), params, n=n, method="sobol", seed=7, out=tmp_path / "ref",
               chunk_size=chunk, progress=False).df


def _parts(out: Path) -> set[int]:
    return {int(m.group(1)) for p in out.iterdir() if (m := PART_RE.match(p.name))}


@pytest.mark.unit
def test_shards_write_their_own_parts_and_resume_completes(make_fs, params, tmp_path):
    ref = _ref(make_fs, params, tmp_path)  # 600 cases, 12 chunks
    out = tmp_path / "sharded"
    kw = dict(n=600, method="sobol", seed=7, out=out, chunk_size=50, progress=False)
    run(make_fs(), params, shard="0/3", **kw)
    assert _parts(out) == {0, 3, 6, 9}
    run(make_fs(), params, shard=(2, 3), **kw)  # task 1 of 3 "failed"
    assert _parts(out) == {0, 2, 3, 5, 6, 8, 9, 11}
    res = run(make_fs(), params, resume=True, **kw)  # completes what is missing
    assert res.complete and _parts(out) == set(range(12))
    pd.testing.assert_frame_equal(res.df, ref)


@pytest.mark.unit
def test_concurrent_shards_agree_on_one_metadata(make_fs, params, tmp_path):
    ref = _ref(make_fs, params, tmp_path)
    out = tmp_path / "concurrent"
    errors = []

    def task(i):
        try:  # no chunk_size: the first task chooses it, the others adopt it
            run(make_fs(), params, n=600, method="sobol", seed=7, out=out, progress=False,
                shard=f"{i}/4")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=task, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    res = run(make_fs(), params, n=600, method="sobol", seed=7, out=out, progress=False, resume=True)
    pd.testing.assert_frame_equal(res.df, ref)
    assert not [p for p in out.iterdir() if p.name.startswith(".") or p.name.startswith("_lock")]


@pytest.mark.unit
@pytest.mark.parametrize("shard, words", [
    ("3/3", "0 <= i < N"), ("a/b", "whole numbers"), ("1", "whole numbers"), ("-1/2", "0 <= i < N"),
])
def test_bad_shard(make_fs, params, tmp_path, shard, words):
    with pytest.raises(SweepInputError, match=words):
        run(make_fs(), params, n=10, out=tmp_path / "x", shard=shard, progress=False)
    assert not (tmp_path / "x").exists()


@pytest.mark.unit
def test_shard_of_a_different_sweep_is_refused(make_fs, params, tmp_path):
    out = tmp_path / "s"
    run(make_fs(), params, n=100, seed=1, out=out, chunk_size=50, shard="0/2", progress=False)
    with pytest.raises(SweepInputError, match="cannot add a shard to .*seed"):
        run(make_fs(), params, n=100, seed=2, out=out, chunk_size=50, shard="1/2", progress=False)


@pytest.mark.unit
@pytest.mark.parametrize("text, expected", [
    ("local", ("local", 2)), ("local:3", ("local", 3)), ("slurm:4", ("slurm", 4)),
    ("scheduler-file:/x/s.json", ("scheduler-file", "/x/s.json")),
    ("tcp://10.0.0.1:8786", ("address", "tcp://10.0.0.1:8786")),
])
def test_dask_spec(text, expected):
    assert parse(text) == expected


@pytest.mark.unit
@pytest.mark.parametrize("text", ["local:0", "local:x", "local:2.5", "slurm:-1", "scheduler-file:", "cluster"])
def test_bad_dask_spec(text):
    with pytest.raises(SweepInputError):
        parse(text)


@pytest.mark.integration
def test_scheduler_file(make_fs, params, tmp_path):
    from distributed import LocalCluster

    ref = _ref(make_fs, params, tmp_path, n=200, chunk=50)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=":0",
                      host="127.0.0.1") as cluster:
        sched = tmp_path / "scheduler.json"  # what `dask scheduler --scheduler-file` writes
        sched.write_text(json.dumps({"type": "Scheduler", "address": cluster.scheduler_address}))
        res = run(make_fs(), params, n=200, method="sobol", seed=7, out=tmp_path / "sf",
                  chunk_size=50, dask=f"scheduler-file:{sched}", progress=False)
    pd.testing.assert_frame_equal(res.df, ref)


@pytest.mark.unit
@pytest.mark.parametrize("content, words", [
    (None, "does not exist"), ("{not json", "cannot be read as JSON"), ('{"type": "Scheduler"}', "no scheduler address"),
])
def test_bad_scheduler_file(make_fs, params, tmp_path, content, words):
    sched = tmp_path / "scheduler.json"
    if content is not None:
        sched.write_text(content)
    with pytest.raises(SweepInputError, match=words):
        run(make_fs(), params, n=10, out=tmp_path / "x", dask=f"scheduler-file:{sched}", progress=False)
    assert not (tmp_path / "x").exists()


def _fake_slurm(bin_dir: Path) -> None:
    """`sbatch SCRIPT` runs the job script in the background (its own session; job id = pid),
    `scancel ID...` ends those sessions: what SLURM does, on this machine."""
    bin_dir.mkdir()
    (bin_dir / "sbatch").write_text(
        "#!/bin/sh\ncp \"$1\" \"$0.job.$$\"\n"
        "setsid sh \"$0.job.$$\" > \"$0.log.$$\" 2>&1 < /dev/null &\n"
        "echo \"Submitted batch job $!\"\n")
    (bin_dir / "scancel").write_text(
        "#!/bin/sh\nfor id in \"$@\"; do kill -TERM -- -\"$id\" 2>/dev/null; done\nexit 0\n")
    (bin_dir / "squeue").write_text("#!/bin/sh\nexit 0\n")
    for f in ("sbatch", "scancel", "squeue"):
        (bin_dir / f).chmod(0o755)


@pytest.mark.integration
@pytest.mark.slow
def test_slurm_cluster_with_a_local_stand_in(make_fs, params, tmp_path, monkeypatch):
    pytest.importorskip("dask_jobqueue")
    _fake_slurm(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in sys.path if p))
    ref = _ref(make_fs, params, tmp_path, n=200, chunk=50)
    from carbonhub.sweep.backends import slurm_cluster

    with slurm_cluster(jobs=1, walltime="00:10:00", log_directory=str(tmp_path / "logs"),
                       scheduler_options={"host": "127.0.0.1", "dashboard_address": ":0"},
                       interface=None, local_directory=str(tmp_path / "w")) as cluster:
        assert "#SBATCH" in cluster.job_script()
        res = run(make_fs(), params, n=200, method="sobol", seed=7, out=tmp_path / "slurm",
                  chunk_size=50, dask=cluster, progress=False)
    pd.testing.assert_frame_equal(res.df, ref)
