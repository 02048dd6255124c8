"""Dask backend: a LocalCluster and real `dask scheduler` / `dask worker` processes on loopback
give results identical, case for case, to the in-process run; a worker killed mid-sweep loses
no finished chunk."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from carbonhub.sweep import SweepInputError, run


def _reference(make_fs, params, tmp_path, n, chunk):
    return run(make_fs(), params, n=n, method="sobol", seed=5, out=tmp_path / "local",
               chunk_size=chunk, progress=False).df


@pytest.mark.integration
def test_local_cluster_equals_local_run(make_fs, params, tmp_path):
    ref = _reference(make_fs, params, tmp_path, 3000, 250)
    res = run(make_fs(), params, n=3000, method="sobol", seed=5, out=tmp_path / "dask",
              chunk_size=250, dask="local", progress=False)
    assert len(res.parts()) == 12
    pd.testing.assert_frame_equal(res.df, ref)


def _wait_for(path: Path, procs: list[subprocess.Popen], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        for p in procs:
            if p.poll() is not None:
                raise RuntimeError(f"dask process ended early (exit {p.returncode})")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} not written in {timeout} s")
        time.sleep(0.05)


@contextmanager
def _cluster(tmp_path: Path, n_workers: int):
    """A real `dask scheduler` (random free port on 127.0.0.1) and `dask worker` processes."""
    sched_file = tmp_path / "scheduler.json"
    logs = open(tmp_path / "dask.log", "wb")
    base = [sys.executable, "-m", "dask"]
    procs: list[subprocess.Popen] = []
    try:
        procs.append(subprocess.Popen(
            [*base, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(sched_file), "--idle-timeout", "300"],
            stdout=logs, stderr=subprocess.STDOUT))
        _wait_for(sched_file, procs, 60)
        address = json.loads(sched_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        workers = []
        for i in range(n_workers):
            w = subprocess.Popen(
                [*base, "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                 "--host", "127.0.0.1", "--name", f"w{i}", "--death-timeout", "60"],
                stdout=logs, stderr=subprocess.STDOUT)
            procs.append(w)
            workers.append(w)
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(n_workers, timeout=60)
        yield address, workers
    finally:
        # workers first, then the scheduler: stopping both at once can hang a worker's close
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=15)
        logs.close()


@pytest.mark.integration
def test_real_scheduler_and_workers_equal_local_run(make_fs, params, tmp_path):
    ref = _reference(make_fs, params, tmp_path, 2000, 200)
    with _cluster(tmp_path, 2) as (address, _):
        res = run(make_fs(), params, n=2000, method="sobol", seed=5, out=tmp_path / "tcp",
                  chunk_size=200, dask=address, progress=False)
    pd.testing.assert_frame_equal(res.df, ref)


@pytest.mark.integration
@pytest.mark.slow
def test_worker_killed_mid_sweep_loses_nothing(make_fs, params, tmp_path):
    ref = _reference(make_fs, params, tmp_path, 3000, 100)
    out = tmp_path / "dying"
    killed = threading.Event()
    with _cluster(tmp_path, 2) as (address, workers):
        def killer() -> None:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                if len(list(out.glob("part-*.parquet"))) >= 4:
                    os.kill(workers[0].pid, signal.SIGKILL)
                    killed.set()
                    return
                time.sleep(0.02)

        t = threading.Thread(target=killer, daemon=True)
        t.start()
        res = run(make_fs(delay=0.15), params, n=3000, method="sobol", seed=5, out=out,
                  chunk_size=100, dask=address, progress=False)
        t.join(timeout=10)
    assert killed.is_set()
    assert workers[0].returncode == -signal.SIGKILL
    pd.testing.assert_frame_equal(res.df, ref)


@pytest.mark.unit
def test_bad_dask_argument(make_fs, params, tmp_path):
    with pytest.raises(SweepInputError, match="dask must be"):
        run(make_fs(), params, n=10, out=tmp_path / "x", dask="nonsense", progress=False)


@pytest.mark.unit
def test_route_payload_rebuilds_the_route_with_its_overrides(make_fs, monkeypatch):
    """A flowsheet with ``route_spec`` reaches workers as (route, build params, overrides)."""
    import numpy as np

    import carbonhub.routes
    from carbonhub.sweep.evaluate import _FS_CACHE, chunk_task, payload_for

    class RouteDouble:  # the double, plus what carbonhub.routes.load and the core add
        def __init__(self, **build):
            self._fs = make_fs(name="route_double")
            self.name = self._fs.name
            self.route_spec = {"route": "route_double", "build_params": build}
            self.values = {}

        def parameters(self):
            t = self._fs.parameters()
            t["value"] = [self.values.get(n, d) for n, d in zip(t["name"], t["default"])]
            return t

        def simulate(self, params=None):
            return self._fs.simulate({**self.values, **(params or {})})

    built = []

    def load(name, **build):
        built.append((name, build))
        return RouteDouble(**build)

    monkeypatch.setattr(carbonhub.routes, "load", load, raising=False)
    fs = RouteDouble(scale=2)
    fs.values["prices.feedstock_eur_per_t"] = 95.0  # set after building: not in the spec
    payload = payload_for(fs)
    assert payload.kind == "route" and payload.overrides == {"prices.feedstock_eur_per_t": 95.0}
    inputs = {"gasifier.T": np.array([1200.0, 1300.0])}
    _FS_CACHE.clear()
    kpis, status = chunk_task(payload, inputs, {}, 2)
    kpis2, _ = chunk_task(payload, inputs, {}, 2)
    assert built == [("route_double", {"scale": 2})]  # rebuilt once per worker process
    ref = fs.simulate(inputs).kpis
    np.testing.assert_array_equal(kpis["msp_eur_per_t"], ref["msp_eur_per_t"])
    np.testing.assert_array_equal(kpis2["msp_eur_per_t"], ref["msp_eur_per_t"])
    assert list(status) == ["ok", "ok"]
    _FS_CACHE.clear()


# -- a real route through Dask -------------------------------------------------------------------
# The tests above use the analytic stand-in; these send the biomass_ft route itself (rebuilt on
# each worker from its route payload) and compare case for case with the in-process run.
ROUTE_PARAMS = {
    "gasifier.T": "uniform(1100,1250)",
    "ft.alpha": "pert(0.85,0.9,0.92)",
    "feed.feedstock": "choice(wood_chips,wheat_straw)",
    "prices.feedstock_eur_per_t": "tri(40,80,130)",
}
ROUTE_N, ROUTE_CHUNK = 6, 3


def _route_sweep(out, dask=None):
    import carbonhub as ch

    return run(ch.routes.load("biomass_ft"), ROUTE_PARAMS, n=ROUTE_N, method="lhs", seed=3,
               out=out, chunk_size=ROUTE_CHUNK, dask=dask, progress=False)


def _check_route_result(res, ref):
    assert len(res.parts()) == ROUTE_N // ROUTE_CHUNK
    pd.testing.assert_frame_equal(res.df, ref)
    df = res.df
    assert (df["status"] == "ok").all(), df["status"]
    # values a reader would notice: a real FT plant's MSP and carbon efficiency, not a double's
    assert df["msp_eur_per_t"].between(500.0, 10_000.0).all()
    assert df["carbon_efficiency"].between(0.1, 0.6).all()
    assert df["msp_eur_per_t"].nunique() == ROUTE_N


@pytest.fixture(scope="module")
def route_reference(tmp_path_factory):
    return _route_sweep(tmp_path_factory.mktemp("route") / "in_process").df


@pytest.mark.integration
@pytest.mark.slow
def test_biomass_ft_sweep_on_a_local_cluster_equals_in_process(route_reference, tmp_path):
    res = _route_sweep(tmp_path / "local_cluster", dask="local")
    _check_route_result(res, route_reference)


@pytest.mark.integration
@pytest.mark.slow
def test_biomass_ft_sweep_on_a_real_scheduler_on_loopback(route_reference, tmp_path):
    with _cluster(tmp_path, 2) as (address, _):
        assert address.startswith("tcp://127.0.0.1:")
        res = _route_sweep(tmp_path / "tcp", dask=address)
    _check_route_result(res, route_reference)
