"""Run a sweep: sample, evaluate chunk by chunk (here or on Dask), append Parquet parts, resume.

``run(fs, params, n, ...)`` binds the parameter specs to ``fs.parameters()`` (names, units,
bounds), builds a seeded design (:mod:`carbonhub.sweep.samplers`) and evaluates it in chunks of
``chunk_size`` cases on the vectorised ``fs.simulate``. Each finished chunk is written atomically
as ``OUT/part-NNNNNN.parquet``; ``OUT/_meta.json`` records what the sweep is. A sweep killed
mid-way (even ``kill -9``) loses at most the chunks in flight: ``resume=True`` checks that the
metadata match and evaluates only the missing chunks. Results are identical, case for case,
whatever the chunking of the progress, the backend (in-process or Dask) or interruptions.

Example (a full sweep; run it yourself)::

    import carbonhub as ch
    fs = ch.routes.load("biomass_ft")
    sw = ch.sweep.run(fs, {"gasifier.T": "uniform(1100,1500)",
                       "prices.feedstock_eur_per_t": "tri(60,80,120) EUR/t"},
                      n=100_000, method="lhs", seed=1, out="runs/ft.parquet")
    sw.df[["gasifier.T", "msp_eur_per_t", "status"]].describe()
"""
from __future__ import annotations

import json
import math
import os
import shutil
import socket
import threading
import time
import tracemalloc
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import backends
from .distributions import Distribution
from .errors import SweepInputError, SweepRuntimeError
from .evaluate import chunk_task, evaluate, overrides, payload_for
from .params import bind, fixed_values, sampled, values_from_u
from .result import LOCK_NAME, META_NAME, PART_RE, SweepResult, part_name, part_rows, read_meta
from .samplers import Method, Sampler, make_sampler

__all__ = ["run", "auto_chunk_size"]

FORMAT = "carbonhub.sweep/1"
_IDENTITY = ("format", "route", "route_spec", "base", "carbonhub_version", "method", "seed", "n",
             "n_cases", "parameters")
_PROBE_CASES = 64
_MIN_CHUNK, _MAX_CHUNK = 1024, 262_144


@dataclass
class _Plan:
    fs: Any
    dists: dict[str, Distribution]
    free: dict[str, Distribution]
    fixed: dict[str, Any]
    sampler: Sampler
    out: Path
    meta: dict[str, Any] = field(default_factory=dict)
    chunk_size: int = 0

    @property
    def n_chunks(self) -> int:
        return math.ceil(self.sampler.n_cases / self.chunk_size)

    def bounds(self, k: int) -> tuple[int, int]:
        start = k * self.chunk_size
        return start, min(start + self.chunk_size, self.sampler.n_cases)

    def inputs(self, k: int) -> dict[str, np.ndarray]:
        start, stop = self.bounds(k)
        return values_from_u(self.free, self.sampler.u(start, stop))


def _version() -> str:
    import carbonhub

    return str(getattr(carbonhub, "__version__", "unknown"))


def _jsonable(x: Any) -> Any:
    return json.loads(json.dumps(x, sort_keys=True, default=str))


def _identity(fs: Any, dists: Mapping[str, Distribution], method: Method, seed: int, n: int,
              n_cases: int) -> dict[str, Any]:
    return _jsonable({
        "format": FORMAT,
        "route": str(getattr(fs, "name", type(fs).__name__)),
        "route_spec": getattr(fs, "route_spec", None),
        "base": overrides(fs),  # parameters set on the flowsheet away from their defaults
        "carbonhub_version": _version(),
        "method": method.value, "seed": seed, "n": n, "n_cases": n_cases,
        "parameters": {k: d.to_dict() for k, d in dists.items()},
    })


def auto_chunk_size(bytes_per_case: float, n_cases: int, available: float | None = None) -> int:
    """Chunk size from the memory one case needs and the memory available.

    A chunk may use a fifth of the available memory, at most 1 GiB; there are at least ~16
    chunks for progress and resumability (but never fewer than 1024 cases per chunk).
    """
    if available is None:
        try:
            import psutil

            available = float(psutil.virtual_memory().available)
        except ImportError:  # pragma: no cover - psutil ships with distributed
            available = 4e9
    budget = min(available / 5, 2**30)
    size = int(budget / max(bytes_per_case, 64.0))
    size = min(size, _MAX_CHUNK, max(_MIN_CHUNK, math.ceil(n_cases / 16)))
    return max(1, min(max(size, _MIN_CHUNK), n_cases))


def _probe(plan: _Plan) -> tuple[list[str], dict[str, str], float]:
    """Evaluate the first few cases: KPI names and kinds, and memory per case [bytes]."""
    n = min(_PROBE_CASES, plan.sampler.n_cases)
    inputs = values_from_u(plan.free, plan.sampler.u(0, n))
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        kpis, status = evaluate(plan.fs, inputs, plan.fixed, n)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        if not tracing:
            tracemalloc.stop()
    if not kpis:  # every probe case raised: try the defaults for the KPI names
        kpis, st0 = evaluate(plan.fs, {}, plan.fixed, 1)
        if not kpis:
            raise SweepRuntimeError(f"{plan.meta['route']}: fs.simulate fails on the first "
                                    f"{n} cases ({status[0]}) and at the defaults ({st0[0]})")
    reserved = {"case", "status", *plan.dists}
    names = [k for k in kpis if k not in reserved]
    kinds = {k: "string" if kpis[k].dtype == object else "float" for k in names}
    per_case = peak / n + 8.0 * (len(plan.dists) + len(names) + 4)
    return names, kinds, per_case


def _tmp_path(path: Path) -> Path:
    """A temporary name beside ``path``, unique per process and thread (shards may run as
    threads of one process, e.g. on a threaded Dask worker)."""
    return path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = _tmp_path(path)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:  # interrupted (Ctrl-C, a full disk): no temporary file left behind
        tmp.unlink(missing_ok=True)


def _write_part(plan: _Plan, k: int, inputs: Mapping[str, np.ndarray],
                kpis: Mapping[str, np.ndarray], status: np.ndarray) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    start, stop = plan.bounds(k)
    m = stop - start
    cols: dict[str, Any] = {"case": pa.array(np.arange(start, stop, dtype=np.int64))}
    for name, dist in plan.dists.items():
        if name in inputs:
            v = inputs[name]
        else:
            v = dist.ppf(np.zeros(m))
        cols[name] = pa.array(v, type=pa.string() if v.dtype.kind in "UO" else pa.float64())
    for name in plan.meta["kpis"]:
        text = plan.meta["kpi_kinds"].get(name) == "string"
        v = kpis.get(name)
        if v is None:
            v = np.full(m, None, dtype=object) if text else np.full(m, np.nan)
        cols[name] = pa.array(v, type=pa.string() if text else pa.float64())
    cols["status"] = pa.array(status.astype(str), type=pa.string())
    table = pa.table(cols)
    final = plan.out / part_name(k)
    tmp = _tmp_path(final)
    try:
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)


def _is_tmp(p: Path) -> bool:
    """A temporary file of ours (a part or the metadata being written when a run was killed)."""
    return p.name.startswith(".") and ".tmp-" in p.name


def _prepare_out(out: Path, identity: dict[str, Any], resume: bool, overwrite: bool,
                 chunk_size: int | None) -> dict[str, Any] | None:
    """Check the (locked) output directory; return the stored metadata when resuming, else None.

    Stale temporary files are removed only once it is clear the directory is ours to write.
    """
    entries = [p for p in out.iterdir() if not _is_lock(p)]
    stale = [p for p in entries if _is_tmp(p)]
    entries = [p for p in entries if not _is_tmp(p)]
    if not entries:
        for p in stale:
            p.unlink()
        return None
    ours = [p for p in entries if p.name == META_NAME or PART_RE.match(p.name)]
    meta_path = out / META_NAME
    if resume:
        if not meta_path.is_file():
            raise SweepInputError(f"cannot resume: {out} is not a carbonhub sweep (no {META_NAME});"
                                  " nothing was changed")
        stored = _stored_same(out, identity, chunk_size, "resume")
        for p in stale:
            p.unlink()  # a chunk that was in flight when the sweep was killed
        return stored
    if not overwrite:
        raise SweepInputError(f"{out} already holds results; pass resume=True to continue that "
                              "sweep or overwrite=True to replace it (nothing was changed)")
    if len(ours) != len(entries):
        others = sorted(p.name for p in entries if p not in ours)[:5]
        raise SweepInputError(f"refusing to overwrite {out}: it holds files that are not a sweep's "
                              f"({others})")
    for p in [*ours, *stale]:
        p.unlink()
    return None


def _stored_same(out: Path, identity: dict[str, Any], chunk_size: int | None, verb: str) -> dict[str, Any]:
    """The stored metadata of ``out``, checked to describe the sweep asked for."""
    stored = read_meta(out)
    diff = [k for k in _IDENTITY if stored.get(k) != identity.get(k)]
    if diff:
        lines = "; ".join(f"{k}: {stored.get(k)!r} in {out} vs {identity.get(k)!r} now" for k in diff)
        raise SweepInputError(f"cannot {verb} {out}: it holds a different sweep ({lines}). "
                              "Nothing was changed; use another `out` or overwrite=True.")
    if chunk_size is not None and chunk_size != stored["chunk_size"]:
        raise SweepInputError(f"cannot {verb} {out} with chunk_size={chunk_size}: it was "
                              f"written with chunk_size={stored['chunk_size']} (omit it)")
    return stored


def parse_shard(shard: Any) -> tuple[int, int] | None:
    """``"i/N"`` or ``(i, N)`` with 0 <= i < N -> (i, N); None -> None."""
    if shard is None:
        return None
    try:
        i, n = (int(x) for x in (shard.split("/") if isinstance(shard, str) else shard))
    except (TypeError, ValueError):
        raise SweepInputError(f"shard={shard!r}: expected i/N with whole numbers, e.g. 0/8 "
                              "(task i of N, counted from 0)") from None
    if not (n >= 1 and 0 <= i < n):
        raise SweepInputError(f"shard={shard!r}: expected i/N with 0 <= i < N (task i of N, counted "
                              "from 0; SLURM: --shard $SLURM_ARRAY_TASK_ID/N with --array=0-(N-1))")
    return i, n


def _prepare_shard(plan: _Plan, identity: dict[str, Any], chunk_size: int | None) -> None:
    """A shard's start: the first shard writes the metadata (exclusively), the others check it
    and adopt its chunk size; other shards' files are left alone."""
    out = plan.out
    if not (out / META_NAME).exists():
        others = [p for p in out.iterdir()
                  if not (_is_tmp(p) or _is_lock(p) or PART_RE.match(p.name))]
        if others:
            raise SweepInputError(f"{out} holds files that are not a sweep's "
                                  f"({sorted(p.name for p in others)[:5]}); use another `out`")
        if _start(plan, chunk_size, exclusive=True):
            return
    stored = _stored_same(out, identity, chunk_size, "add a shard to")
    plan.meta, plan.chunk_size = stored, int(stored["chunk_size"])


def _is_lock(p: Path) -> bool:
    return p.name == LOCK_NAME or p.name.startswith(LOCK_NAME + ".shard-")


def _alive(pid: Any) -> bool:
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, TypeError, ValueError, OverflowError):
        return True
    return True


class _Lock:
    """``OUT/_lock``: one writer per sweep directory (a lock left by a killed process on this
    host is taken over)."""

    def __init__(self, out: Path, name: str = LOCK_NAME) -> None:
        self.path = out / name
        self.held = False

    def acquire(self) -> None:
        me = {"host": socket.gethostname(), "pid": os.getpid()}
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                try:
                    other = json.loads(self.path.read_text())
                except (OSError, ValueError):
                    other = {}
                if other.get("host") == me["host"] and not _alive(other.get("pid")):
                    self.path.unlink(missing_ok=True)  # stale: its process is gone
                    continue
                raise SweepInputError(
                    f"{self.path.parent} is being written by another sweep (pid "
                    f"{other.get('pid', '?')} on {other.get('host', '?')}); if that process is "
                    f"gone, delete {self.path}") from None
            with os.fdopen(fd, "w") as fh:
                json.dump(me, fh)
            self.held = True
            return
        raise SweepInputError(f"cannot take the lock {self.path}")

    def release(self) -> None:
        if self.held:
            self.path.unlink(missing_ok=True)
            self.held = False


def _check_parts(plan: _Plan) -> list[int]:
    """Indices of the chunks still to do; verifies the row count of finished parts."""
    todo = []
    for k in range(plan.n_chunks):
        p = plan.out / part_name(k)
        if not p.exists():
            todo.append(k)
            continue
        start, stop = plan.bounds(k)
        rows = part_rows(p)
        if rows != stop - start:
            raise SweepInputError(f"{p} is damaged ({rows} rows, expected {stop - start}): delete "
                                  "that file and pass resume=True to recompute its chunk")
    return todo


def _progress(plan: _Plan, done: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=plan.sampler.n_cases, initial=done, unit="case", unit_scale=True,
                desc=f"sweep {plan.meta['route']}", disable=not enabled, dynamic_ncols=True,
                smoothing=0.1)


def _run_local(plan: _Plan, todo: list[int], bar: Any) -> None:
    for k in todo:
        start, stop = plan.bounds(k)
        inputs = plan.inputs(k)
        kpis, status = evaluate(plan.fs, inputs, plan.fixed, stop - start)
        _write_part(plan, k, inputs, kpis, status)
        bar.update(stop - start)


def _run_dask(plan: _Plan, todo: list[int], bar: Any, client: Any, dask: Any) -> None:
    from distributed import as_completed

    backends.wait_for_workers(client, dask, plan.out)
    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    payload = payload_for(plan.fs)
    token = uuid.uuid4().hex[:12]
    pending = iter(todo)
    in_flight: dict[str, tuple[int, dict[str, np.ndarray]]] = {}
    ac = as_completed()

    def submit() -> bool:
        k = next(pending, None)
        if k is None:
            return False
        start, stop = plan.bounds(k)
        inputs = plan.inputs(k)
        fut = client.submit(chunk_task, payload, inputs, plan.fixed, stop - start,
                            key=f"carbonhub-sweep-{token}-{k}", retries=2)
        in_flight[fut.key] = (k, inputs)
        ac.add(fut)
        return True

    for _ in range(2 * n_workers + 1):
        if not submit():
            break
    for fut in ac:
        k, inputs = in_flight.pop(fut.key)
        try:
            kpis, status = fut.result()
        except Exception as exc:  # noqa: BLE001 - infrastructure failure after retries
            for other in list(ac.futures):
                other.cancel()
            raise SweepRuntimeError(
                f"chunk {k} failed on the Dask cluster after retries ({type(exc).__name__}: "
                f"{exc}); the finished chunks are saved in {plan.out}: run again with "
                "resume=True") from exc
        _write_part(plan, k, inputs, kpis, status)
        fut.release()
        bar.update(plan.bounds(k)[1] - plan.bounds(k)[0])
        submit()


def run(fs: Any, params: Mapping[str, Any], n: int, method: str | Method = "lhs", seed: int = 0,
        out: str | os.PathLike[str] = "runs/sweep.parquet", chunk_size: int | None = None,
        resume: bool = False, overwrite: bool = False, dask: Any = None,
        progress: bool = True, shard: str | tuple[int, int] | None = None) -> SweepResult:
    """Run a sweep of ``fs`` over ``params`` and write it to the Parquet dataset ``out``.

    Parameters
    ----------
    fs : flowsheet
        Anything with ``name``, ``parameters()`` and ``simulate(params)`` (see module doc).
    params : mapping
        Parameter name -> distribution: a :class:`~carbonhub.sweep.distributions.Distribution`,
        text (``"tri(60,80,120) EUR/t"``), a YAML-style dict, ``(low, high)`` (uniform), a list
        (choice) or a single value (constant). Numbers without a unit are in the parameter's
        unit (``fs.parameters().unit``).
    n : int
        Number of cases; for ``method="grid"`` the levels per parameter (every value of a
        choice), so ``n ** d`` cases.
    method : {"lhs", "sobol", "mc", "grid"}
    seed : int
        Seed of the design: the same seed gives the same cases, whatever the chunking.
    out : path
        Output directory (a Parquet dataset).
    chunk_size : int, optional
        Cases per chunk; default from the memory one case needs and the memory available.
    resume : bool
        Continue the sweep in ``out`` (same route, parameters, method, seed and n, else an error
        and nothing is changed): only missing chunks are evaluated.
    overwrite : bool
        Replace an existing sweep in ``out`` (otherwise an existing sweep is an error).
    dask : None, "local", "local:N", "tcp://HOST:PORT", "scheduler-file:PATH", "slurm:N", a Client or a cluster
        Evaluate chunks as Dask tasks (:mod:`carbonhub.sweep.backends`; ``"local"``: a
        LocalCluster of 2 single-threaded worker processes). Results are written by this
        process as chunks complete.
    progress : bool
        Show a progress bar (cases/s, ETA).
    shard : "i/N" or (i, N), optional
        Evaluate only chunks k with k % N == i (0 <= i < N): N independent tasks (a batch
        array) each write their own parts of the one sweep in ``out``; the first to start writes
        the metadata, the others check it. A run without ``shard`` and ``resume=True``, after
        the tasks end, completes whatever is missing (e.g. a task that failed). Give every task
        the same arguments (and ``chunk_size``, or let the first task choose it).

    Returns
    -------
    SweepResult
        Lazy handle on the dataset (``.df``, ``.to_pandas(columns)``, ``.meta``).
    """
    meth = Method.parse(method)
    backends.parse(dask)
    sh = parse_shard(shard)
    if resume and overwrite:
        raise SweepInputError("resume=True and overwrite=True contradict each other")
    if sh and overwrite:
        raise SweepInputError("shard and overwrite=True contradict each other: shards add to one sweep")
    if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(
            chunk_size, (int, np.integer)) or chunk_size < 1):
        raise SweepInputError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    dists = bind(fs, params)
    free = sampled(dists)
    sampler = make_sampler(meth, n=n, seed=seed, dists=free)
    out_path = Path(out)
    identity = _identity(fs, dists, meth, int(seed), int(n), sampler.n_cases)
    plan = _Plan(fs, dists, free, fixed_values(dists), sampler, out_path, meta=identity)
    if out_path.exists() and not out_path.is_dir():
        if not overwrite:
            raise SweepInputError(f"{out_path} exists and is a file; choose another `out` or "
                                  "overwrite=True")
        out_path.unlink()
    # reach the Dask scheduler before anything is written: if it cannot be reached, the same
    # command can simply be run again
    client, closers = backends.connect(dask) if dask is not None else (None, [])
    created = not out_path.exists()
    lock = _Lock(out_path, LOCK_NAME if sh is None else f"{LOCK_NAME}.shard-{sh[0]}-of-{sh[1]}")
    try:
        out_path.mkdir(parents=True, exist_ok=True)
        lock.acquire()
        if sh is not None:
            _prepare_shard(plan, identity, chunk_size)
        else:
            stored = _prepare_out(out_path, identity, resume, overwrite, chunk_size)
            if stored is not None:
                plan.meta, plan.chunk_size = stored, int(stored["chunk_size"])
            else:
                _start(plan, chunk_size)
        todo = _check_parts(plan)
        done = sampler.n_cases - sum(plan.bounds(k)[1] - plan.bounds(k)[0] for k in todo)
        if sh is not None:
            todo = [k for k in todo if k % sh[1] == sh[0]]
        with _progress(plan, done, progress) as bar:
            if todo and client is not None:
                _run_dask(plan, todo, bar, client, dask)
            elif todo:
                _run_local(plan, todo, bar)
    except BaseException:
        lock.release()
        if created and out_path.is_dir() and not any(out_path.iterdir()):
            out_path.rmdir()
        raise
    finally:
        for c in closers:
            c.close()
    lock.release()
    return SweepResult(out_path)


def _start(plan: _Plan, chunk_size: int | None, exclusive: bool = False) -> bool:
    """A new sweep: probe the flowsheet, choose the chunk size, write the metadata (with
    ``exclusive``, only if no other process has: False then)."""
    kpis, kinds, per_case = _probe(plan)
    n_cases = plan.sampler.n_cases
    size = int(chunk_size) if chunk_size else auto_chunk_size(per_case, n_cases)
    plan.chunk_size = min(size, n_cases)
    plan.meta = {**plan.meta, "chunk_size": plan.chunk_size,
                 "n_chunks": math.ceil(n_cases / plan.chunk_size), "kpis": kpis,
                 "kpi_kinds": kinds, "sampled": list(plan.free), "fixed": _jsonable(plan.fixed),
                 "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    data = json.dumps(plan.meta, indent=1).encode()
    if not exclusive:
        _write_atomic(plan.out / META_NAME, data)
        return True
    tmp = _tmp_path(plan.out / META_NAME)
    for _ in range(5):
        tmp.write_bytes(data)
        try:
            os.link(tmp, plan.out / META_NAME)  # fails if another shard wrote it first
        except FileExistsError:
            return False
        except FileNotFoundError:  # a shard starting at the same moment removed it as stale
            continue
        finally:
            tmp.unlink(missing_ok=True)
        return True
    raise SweepRuntimeError(f"{plan.out / META_NAME}: could not be written (its temporary file kept "
                        "disappearing: is another program cleaning the folder?); rerun with --resume")


def remove(out: str | os.PathLike[str]) -> None:
    """Delete a sweep directory written by :func:`run` (refuses anything else)."""
    p = Path(out)
    if not (p / META_NAME).is_file():
        raise SweepInputError(f"{p} is not a carbonhub sweep (no {META_NAME}); not removed")
    shutil.rmtree(p)
