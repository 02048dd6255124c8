"""Where a sweep's chunks run: in-process, or as tasks on a Dask cluster.

``dask`` (of :func:`carbonhub.sweep.run`, ``--dask`` on the command line) is one of

- ``"local"`` or ``"local:N"``: a :class:`distributed.LocalCluster` of N single-threaded worker
  processes on this machine (default 2);
- ``"tcp://HOST:PORT"`` (any ``scheme://`` address): a running scheduler;
- ``"scheduler-file:PATH"``: the scheduler whose address is in the JSON file ``PATH`` (written by
  ``dask scheduler --scheduler-file PATH``: the usual hand-off inside a batch job; CLI
  ``--dask-scheduler-file PATH``);
- ``"slurm:N"``: a SLURM cluster of N jobs through dask-jobqueue (``pip install
  carbonhub[hpc]``), each job one worker; queue, account, walltime, cores and memory come from
  dask-jobqueue's configuration (``jobqueue.slurm`` in ``~/.config/dask/jobqueue.yaml``) or, in
  Python, from :func:`slurm_cluster`;
- a :class:`distributed.Client`, or any Dask cluster object (``LocalCluster``,
  ``SLURMCluster``, ...): used as given and left open.

Example
-------
>>> parse("local:4")
('local', 4)
>>> parse("scheduler-file:/scratch/me/scheduler.json")
('scheduler-file', '/scratch/me/scheduler.json')
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .errors import SweepInputError, SweepRuntimeError

__all__ = ["parse", "connect", "slurm_cluster", "DEFAULT_LOCAL_WORKERS"]

DEFAULT_LOCAL_WORKERS = 2
_EXPECTED = ("'local', 'local:N', a scheduler address 'tcp://HOST:PORT', "
             "'scheduler-file:PATH', 'slurm:N', a distributed.Client or a Dask cluster")


def _count(text: str, what: str, raw: Any) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1 or str(n) != text.strip():
        raise SweepInputError(f"dask={raw!r}: {what} must be a positive whole number, got {text!r}")
    return n


def parse(dask: Any) -> tuple[str, Any]:
    """Check ``dask`` up front (before any work); return ``(kind, argument)``."""
    if dask is None:
        return "none", None
    if isinstance(dask, str):
        text = dask.strip()
        if text == "local":
            return "local", DEFAULT_LOCAL_WORKERS
        if text.startswith("local:"):
            return "local", _count(text[6:], "the number of local workers", dask)
        if text.startswith("scheduler-file:"):
            path = text[len("scheduler-file:"):]
            if not path:
                raise SweepInputError(f"dask={dask!r}: expected scheduler-file:PATH")
            return "scheduler-file", path
        if text == "slurm":
            return "slurm", 1
        if text.startswith("slurm:"):
            return "slurm", _count(text[6:], "the number of SLURM jobs", dask)
        if "://" in text:
            return "address", text
    elif type(dask).__name__ == "Client" and hasattr(dask, "submit"):
        return "client", dask
    elif hasattr(dask, "scheduler_address"):
        return "cluster", dask
    raise SweepInputError(f"dask must be {_EXPECTED}; got {dask!r}")


def _scheduler_address(path: str) -> str:
    p = Path(path).expanduser()
    try:
        info = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SweepInputError(f"Dask scheduler file {p} does not exist (start the scheduler with "
                              f"`dask scheduler --scheduler-file {p}` first)") from None
    except (OSError, ValueError) as exc:
        raise SweepInputError(f"Dask scheduler file {p} cannot be read as JSON ({exc.__class__.__name__}); "
                              "expected the file written by `dask scheduler --scheduler-file`") from None
    address = info.get("address") if isinstance(info, dict) else None
    if not isinstance(address, str) or "://" not in address:
        raise SweepInputError(f"Dask scheduler file {p} holds no scheduler address (expected the "
                              "file written by `dask scheduler --scheduler-file`)")
    return address


def slurm_cluster(jobs: int = 1, **options: Any) -> Any:
    """A dask-jobqueue ``SLURMCluster`` scaled to ``jobs`` jobs of one single-threaded worker
    each; ``options`` go to ``SLURMCluster`` (``queue``, ``account``, ``walltime``, ``cores``,
    ``memory``, ``job_extra_directives``, ...) on top of dask-jobqueue's configuration.

    Pass the result as ``dask=`` to :func:`carbonhub.sweep.run`; close it when done.
    """
    try:
        from dask_jobqueue import SLURMCluster
    except ImportError:
        raise SweepInputError("a SLURM cluster needs dask-jobqueue: pip install 'carbonhub[hpc]'") from None
    options.setdefault("cores", 1)
    options.setdefault("processes", 1)
    options.setdefault("memory", "4GB")
    cluster = SLURMCluster(**options)
    cluster.scale(jobs=int(jobs))
    return cluster


def connect(dask: Any) -> tuple[Any, list[Any]]:
    """``(client, things to close afterwards)`` for ``dask`` (see the module doc)."""
    from distributed import Client, LocalCluster

    kind, arg = parse(dask)
    if kind == "client":
        return arg, []
    if kind == "cluster":
        return Client(arg), []
    if kind == "local":
        # ":0": the scheduler's HTTP endpoint on a free port (the default 8787 may be taken)
        cluster = LocalCluster(n_workers=arg, threads_per_worker=1, processes=True,
                               dashboard_address=":0", host="127.0.0.1")
        client = Client(cluster)
        return client, [client, cluster]
    if kind == "slurm":
        cluster = slurm_cluster(arg)
        return Client(cluster), [cluster]
    address = _scheduler_address(arg) if kind == "scheduler-file" else arg
    try:
        client = Client(address, timeout=os.environ.get("CARBONHUB_DASK_TIMEOUT", "30s"))
    except (OSError, TimeoutError) as exc:
        raise SweepRuntimeError(f"cannot reach the Dask scheduler at {address} "
                                f"({exc.__class__.__name__}); nothing was computed") from None
    return client, [client]


def wait_for_workers(client: Any, dask: Any, out: Any) -> None:
    """Wait for a first worker: 60 s (``CARBONHUB_DASK_WORKER_TIMEOUT`` [s]), an hour for SLURM
    jobs that may wait in the queue; a clear :class:`SweepRuntimeError` otherwise."""
    kind, _ = parse(dask)
    default = 3600 if kind == "slurm" else 60
    timeout = float(os.environ.get("CARBONHUB_DASK_WORKER_TIMEOUT", default))
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise SweepRuntimeError(f"no Dask worker joined the scheduler within {timeout:g} s; the "
                                f"finished chunks are saved in {out}: rerun with --resume") from None
