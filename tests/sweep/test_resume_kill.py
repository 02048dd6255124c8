"""A sweep killed with SIGKILL mid-way resumes to exactly the uninterrupted result."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from carbonhub.sweep import load, run

HERE = Path(__file__).resolve().parent
N, CHUNK = 2000, 50  # 40 chunks


def _script(out: Path, params: dict) -> str:
    return textwrap.dedent(f"""
        import importlib.util, sys
        spec = importlib.util.spec_from_file_location("sweep_double", {str(HERE / "conftest.py")!r})
        mod = importlib.util.module_from_spec(spec)
        sys.modules["sweep_double"] = mod
        spec.loader.exec_module(mod)
        from carbonhub.sweep import run
        print("started", flush=True)
        run(mod.AnalyticFlowsheet(delay=0.1), {params!r}, n={N}, method="lhs", seed=3,
            out={str(out)!r}, chunk_size={CHUNK}, progress=False)
    """)


@pytest.mark.integration
def test_kill_9_then_resume_equals_uninterrupted_run(make_fs, params, tmp_path):
    out = tmp_path / "killed.parquet"
    proc = subprocess.Popen([sys.executable, "-c", _script(out, params)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while len(list(out.glob("part-*.parquet"))) < 5:
            if proc.poll() is not None:
                pytest.fail(f"sweep subprocess ended early: {proc.communicate()[1].decode()}")
            if time.monotonic() > deadline:
                pytest.fail("no part files after 120 s")
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        proc.stdout.close()  # type: ignore[union-attr]
        proc.stderr.close()  # type: ignore[union-attr]
    assert proc.returncode == -signal.SIGKILL
    killed = load(out)
    done = killed.n_done
    assert 5 * CHUNK <= done < N  # interrupted mid-way; only whole chunks on disk
    finished = {p.name: p.read_bytes() for p in out.glob("part-*.parquet")}

    fs = make_fs()
    resumed = run(fs, params, n=N, method="lhs", seed=3, out=out, resume=True, progress=False)
    assert fs.cases_evaluated == N - done  # finished chunks were not recomputed
    assert all((out / name).read_bytes() == data for name, data in finished.items())
    assert not list(out.glob(".part-*"))

    reference = run(make_fs(), params, n=N, method="lhs", seed=3, out=tmp_path / "ref.parquet",
                    chunk_size=CHUNK, progress=False)
    pd.testing.assert_frame_equal(resumed.df, reference.df)
    assert resumed.complete and len(resumed.df) == N
