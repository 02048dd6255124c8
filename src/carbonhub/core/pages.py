"""Where the memory of carbonhub's large arrays comes from while it simulates and costs (Linux).

**Ordinary (4 KiB) pages.** numpy marks each allocation of 4 MiB or more for transparent huge
pages (``madvise`` with ``MADV_HUGEPAGE``, numpy's default on Linux). Where the kernel's
transparent huge pages are set to ``madvise`` with defrag ``madvise`` (a common distribution
default, and this project's benchmark machine), the first write to such a region may stall in a
synchronous memory compaction when no free huge page is at hand (numpy issue #31590, "Setting
MADV_HUGEPAGE on heap allocations can adversely affect the behavior of later allocations"). A
simulation at N = 10^4 creates hundreds of such arrays: a stream of 53 components is 4.2 MB, and
most of a route's time goes to arrays met for the first time. Measured on the benchmark machine
(load ~10): a new (10^4 x 53) array written costs 3.0-6.5 ms with the mark and 1.7 ms without.
:func:`small_pages` turns numpy's mark off for the duration of a carbonhub call and restores the
setting it found. A user who sets ``NUMPY_MADVISE_HUGEPAGE`` (numpy's own switch) keeps that
choice: nothing is changed then.

**Freed blocks reused** (:func:`reuse_freed_memory`, once per process, at the first
:func:`small_pages`). glibc's malloc serves a block of its mmap threshold or more (128 KiB,
raised to the size of the last such block freed) by a fresh ``mmap`` and returns it to the
system when it is freed; blocks of one size, as a simulation's (n_cases, n_components) arrays
are, keep taking that path. So each new array's pages are first touched again: one page fault
per 4 KiB (~1 us on the benchmark machine: 58k faults, 0.09 s, to write 56 new (10^4 x 53)
arrays against 0.035 s to write them again), in every simulation of a process, even where the
previous result's memory has just been freed. Blocks up to 32 MiB (glibc's largest threshold
on 64-bit) are therefore taken from the heap, and the heap keeps up to
:data:`KEEP_FREED_BYTES` of free memory at its top (glibc's trim threshold) instead of
returning it, so a simulation reuses what an earlier one (or an earlier unit of the same one)
freed. A user who sets glibc's own switches (``MALLOC_MMAP_THRESHOLD_``,
``MALLOC_TRIM_THRESHOLD_``, ``MALLOC_TOP_PAD_``, ``MALLOC_MMAP_MAX_`` or a ``glibc.malloc``
tunable in ``GLIBC_TUNABLES``) keeps that choice: nothing is changed then; e.g.
``MALLOC_TRIM_THRESHOLD_=131072`` gives the memory back as glibc does by default (dask's nanny
sets ``MALLOC_TRIM_THRESHOLD_`` for its workers, so a sweep's dask workers keep dask's setting). The cost: a
process's resident memory does not fall when a result is dropped (up to
:data:`KEEP_FREED_BYTES` stays for the next one).

No number changes: only the pages the memory comes from.

>>> with small_pages():
...     x = np.zeros((10_000, 53)); x[:, 0] = 1.0
>>> float(x.sum())
10000.0
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import platform
from typing import Callable, Iterator

import numpy as np

MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024
"""Blocks below this size come from the heap (glibc's largest mmap threshold on 64-bit)."""

KEEP_FREED_BYTES = 1 << 30
"""Free memory the heap keeps at its top for reuse (glibc's trim threshold): 1 GiB, above one
N = 10^4 result with its KPIs (~300 MB for plastics_pyrolysis)."""

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)
_GLIBC_SWITCHES = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_MAX_")
_reuse_set: bool | None = None  # None: not yet decided in this process


def _switch() -> Callable[[bool], bool] | None:
    """numpy's setter of the huge-page mark (returns the setting before), or None."""
    for mod in ("numpy._core.multiarray", "numpy.core.multiarray"):
        try:
            return getattr(__import__(mod, fromlist=["_set_madvise_hugepage"]), "_set_madvise_hugepage")
        except (ImportError, AttributeError):
            continue
    return None


def reuse_freed_memory() -> bool:
    """Make glibc keep freed blocks below :data:`MMAP_THRESHOLD_BYTES` in the heap, up to
    :data:`KEEP_FREED_BYTES` (see the module doc); once per process. True when the setting is
    in force (set now or before), False where it does not apply: not glibc, or the user set
    glibc's own malloc switches."""
    global _reuse_set
    if _reuse_set is None:
        _reuse_set = False
        user = any(k in os.environ for k in _GLIBC_SWITCHES) or "glibc.malloc." in os.environ.get("GLIBC_TUNABLES", "")
        if not user and platform.system() == "Linux" and platform.libc_ver()[0] == "glibc":
            mallopt = ctypes.CDLL(None).mallopt
            mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
            _reuse_set = bool(mallopt(_M_TRIM_THRESHOLD, KEEP_FREED_BYTES)) and bool(
                mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
    return _reuse_set


@contextlib.contextmanager
def small_pages() -> Iterator[None]:
    """Within the block, numpy does not mark new large arrays for huge pages (see the module
    doc); the setting before is restored after it, also on an exception. Freed blocks are kept
    for reuse from the first call on (:func:`reuse_freed_memory`)."""
    reuse_freed_memory()
    switch = _switch()
    if switch is None or "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        yield
        return
    before = switch(False)
    try:
        yield
    finally:
        switch(before)
