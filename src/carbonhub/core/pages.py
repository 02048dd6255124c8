"""Large arrays on ordinary (4 KiB) pages while carbonhub simulates and costs (Linux).

numpy marks each allocation of 4 MiB or more for transparent huge pages (``madvise`` with
``MADV_HUGEPAGE``, numpy's default on Linux). Where the kernel's transparent huge pages are
set to ``madvise`` with defrag ``madvise`` (a common distribution default, and this project's
benchmark machine), the first write to such a region may stall in a synchronous memory
compaction when no free huge page is at hand (numpy issue #31590, "Setting MADV_HUGEPAGE on
heap allocations can adversely affect the behavior of later allocations"). A simulation at
N = 10^4 creates hundreds of such arrays: a stream of 53 components is 4.2 MB, and most of a
route's time goes to arrays met for the first time. Measured on the benchmark machine (load ~10):
a new (10^4 x 53) array written costs 3.0-6.5 ms with the mark and 1.7 ms without.

:func:`small_pages` turns numpy's mark off for the duration of a carbonhub call and restores the
setting it found. A user who sets ``NUMPY_MADVISE_HUGEPAGE`` (numpy's own switch) keeps that
choice: nothing is changed then. No number changes: only the pages the memory comes from.

>>> with small_pages():
...     x = np.zeros((10_000, 53)); x[:, 0] = 1.0
>>> float(x.sum())
10000.0
"""
from __future__ import annotations

import contextlib
import os
from typing import Callable, Iterator

import numpy as np


def _switch() -> Callable[[bool], bool] | None:
    """numpy's setter of the huge-page mark (returns the setting before), or None."""
    for mod in ("numpy._core.multiarray", "numpy.core.multiarray"):
        try:
            return getattr(__import__(mod, fromlist=["_set_madvise_hugepage"]), "_set_madvise_hugepage")
        except (ImportError, AttributeError):
            continue
    return None


@contextlib.contextmanager
def small_pages() -> Iterator[None]:
    """Within the block, numpy does not mark new large arrays for huge pages (see the module
    doc); the setting before is restored after it, also on an exception."""
    switch = _switch()
    if switch is None or "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        yield
        return
    before = switch(False)
    try:
        yield
    finally:
        switch(before)
