"""A sweep's results on disk: a Parquet dataset (one part file per chunk) plus ``_meta.json``.

Layout of ``OUT.parquet/`` (a directory)::

    _lock                   only while a process writes the sweep (host and pid)
    _meta.json              route, route_spec, carbonhub version, parameter specs (in the
                            parameter's unit), method, seed, n, n_cases, chunk size, KPI names
    part-000000.parquet     cases [0, chunk_size): case, every input, every KPI, status
    part-000001.parquet     ...

Every part file is complete (written to a temporary file, then renamed), so a killed sweep
leaves only whole chunks behind. :class:`SweepResult` reads lazily: nothing is loaded until
:meth:`SweepResult.to_pandas` (or ``.df``) is called, and :meth:`SweepResult.iter_batches`
streams with bounded memory.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from .distributions import Distribution, from_dict
from .errors import SweepInputError

__all__ = ["SweepResult", "load", "META_NAME", "LOCK_NAME", "part_name", "PART_RE"]

META_NAME = "_meta.json"
LOCK_NAME = "_lock"  # present while a process writes the sweep
PART_RE = re.compile(r"^part-(\d{6,})\.parquet$")


def read_meta(path: str | Path) -> dict[str, Any]:
    """The sweep's ``_meta.json`` (a :class:`SweepInputError` naming the file if it is missing or
    damaged, and how to recover)."""
    meta_path = Path(path) / META_NAME
    if not meta_path.is_file():
        raise SweepInputError(f"{path}: not a carbonhub sweep (no {META_NAME})")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        meta = exc
    if not isinstance(meta, dict) or not all(k in meta for k in ("route", "n_cases", "parameters")):
        detail = f"{type(meta).__name__}: {meta}" if isinstance(meta, Exception) else "fields missing"
        raise SweepInputError(f"{meta_path} is damaged ({detail[:120]}); it records what the sweep "
                              f"is and cannot be rebuilt from the parts: restore it, or delete "
                              f"{path} and run the sweep again")
    return meta


def part_rows(p: Path) -> int:
    """Rows of the part file ``p`` (from its footer; a :class:`SweepInputError` naming the file
    and how to recover if it is damaged)."""
    import pyarrow.parquet as pq

    try:
        return int(pq.read_metadata(p).num_rows)
    except (OSError, ValueError) as exc:
        raise SweepInputError(f"{p} is damaged ({type(exc).__name__}: {' '.join(str(exc).split())[:120]}); "
                              "delete that file and pass resume=True to recompute its chunk") from None


def part_name(k: int) -> str:
    """File name of chunk ``k``."""
    return f"part-{k:06d}.parquet"


class SweepResult:
    """Lazy handle on a sweep's Parquet dataset.

    Attributes
    ----------
    path : Path
        The dataset directory.
    meta : dict
        The parsed ``_meta.json``.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.meta: dict[str, Any] = read_meta(self.path)

    def __repr__(self) -> str:
        return (f"SweepResult({str(self.path)!r}, route={self.route!r}, "
                f"{self.n_done}/{self.n_cases} cases, method={self.method!r}, seed={self.seed})")

    # -- metadata ---------------------------------------------------------------------------
    @property
    def route(self) -> str:
        """Route (flowsheet) name."""
        return str(self.meta["route"])

    @property
    def build_params(self) -> dict[str, Any]:
        """The route's build options (``carbonhub.routes.load(route, **build_params)``, e.g.
        ``{"zld": True}``; ``{}`` at the defaults), from the route spec in ``_meta.json``."""
        spec = self.meta.get("route_spec")
        return dict(spec.get("build_params") or {}) if isinstance(spec, dict) else {}

    @property
    def method(self) -> str:
        return str(self.meta["method"])

    @property
    def seed(self) -> int:
        return int(self.meta["seed"])

    @property
    def n_cases(self) -> int:
        """Cases in the whole design."""
        return int(self.meta["n_cases"])

    @property
    def parameters(self) -> dict[str, Distribution]:
        """The swept parameters and their distributions (in each parameter's unit)."""
        return {k: from_dict(v) for k, v in self.meta["parameters"].items()}

    @property
    def input_names(self) -> list[str]:
        return list(self.meta["parameters"])

    @property
    def kpi_names(self) -> list[str]:
        return list(self.meta["kpis"])

    # -- files ------------------------------------------------------------------------------
    def parts(self) -> list[Path]:
        """Finished part files, in chunk order."""
        found = [(int(m.group(1)), p) for p in self.path.iterdir()
                 if (m := PART_RE.match(p.name))]
        return [p for _, p in sorted(found)]

    @property
    def n_done(self) -> int:
        """Cases finished (from the part files' footers; no data read)."""
        return sum(part_rows(p) for p in self.parts())

    @property
    def complete(self) -> bool:
        return self.n_done == self.n_cases

    def __len__(self) -> int:
        return self.n_done

    def dataset(self) -> Any:
        """The parts as a ``pyarrow.dataset.Dataset`` (for filtered or streamed reads)."""
        import pyarrow.dataset as ds

        return ds.dataset([str(p) for p in self.parts()], format="parquet")

    # -- data -------------------------------------------------------------------------------
    def to_pandas(self, columns: Sequence[str] | None = None, ok_only: bool = False) -> pd.DataFrame:
        """The table (or some ``columns``) as a DataFrame sorted by case, index 0..n-1.

        ``ok_only`` keeps only cases with status ``"ok"``.
        """
        import pyarrow.compute as pc

        parts = self.parts()
        cols = None if columns is None else list(dict.fromkeys(["case", *columns]))
        known = ["case", *self.input_names, *self.kpi_names, "status"]
        unknown = [c for c in cols or [] if c not in known]
        if unknown:
            raise SweepInputError(f"unknown column(s) {unknown} (KPI or parameter); the sweep in "
                                  f"{self.path} has {known}")
        if not parts:
            names = cols or ["case", *self.input_names, *self.kpi_names, "status"]
            return pd.DataFrame({c: [] for c in names})
        filt = pc.field("status") == "ok" if ok_only else None
        try:
            table = self.dataset().to_table(columns=cols, filter=filt).sort_by("case")
        except (OSError, ValueError):
            for p in parts:  # name the damaged part
                part_rows(p)
            raise
        df = table.to_pandas()
        if columns is not None and "case" not in columns:
            df = df.drop(columns="case")
        return df

    @cached_property
    def df(self) -> pd.DataFrame:
        """The whole table (read once, cached)."""
        return self.to_pandas()

    def iter_batches(self, columns: Sequence[str] | None = None,
                     batch_size: int = 65_536) -> Iterator[pd.DataFrame]:
        """Stream the table in batches (chunk order), with bounded memory."""
        for batch in self.dataset().to_batches(columns=None if columns is None else list(columns),
                                                batch_size=batch_size):
            yield batch.to_pandas()

    def status_counts(self) -> pd.Series:
        """How many cases have each status (``"ok"`` and each failure reason)."""
        return self.to_pandas(columns=["status"])["status"].value_counts()


def load(path: str | Path) -> SweepResult:
    """Open a sweep written by :func:`carbonhub.sweep.run`."""
    return SweepResult(path)
