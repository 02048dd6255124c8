"""An outlet that passes an inlet's arrays on unchanged (a utility feed's reference stream, a
burner's fuel, a heater's flows) is kept sharing them (FlowsheetRun.put_stream): only where
the arrays belong to a stream that is never written to (a kept unit outlet) and never where
they view a tear (edited in place by the recycle solver) or a stream written case by case."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core.flowsheet import FlowsheetRun
from carbonhub.core.stream import Stream
from test_recycle import methanol_loop

pytestmark = pytest.mark.unit


def stream(cs, n: int, seed: int) -> Stream:
    rng = np.random.default_rng(seed)
    return Stream(cs, rng.uniform(0, 10, (n, len(cs))), rng.uniform(300, 900, n), rng.uniform(1e5, 8e6, n),
                  rng.dirichlet(np.ones(4), n))


def test_a_pass_through_outlet_shares_only_the_arrays_of_a_kept_stream():
    fs = methanol_loop()
    n, cs = 6, fs.components
    every = np.arange(n)
    tear = fs.tears[0]
    a, b, c, d = [x.id for x in fs.connections if x.id not in fs.tears][:4]
    run = FlowsheetRun(fs, {}, n)
    src = stream(cs, n, 1)
    run.put_stream(a, every, src)  # a unit's outlet of every case: kept as it is
    assert run.streams[a] is src
    # passed on unchanged: the same memory, read-only
    run.put_stream(b, every, run.streams[a].read(every))
    assert all(np.shares_memory(u, v) for u, v in zip((run.streams[b].flow, run.streams[b].origin),
                                                      (src.flow, src.origin)))
    assert not run.streams[b].flow.flags.writeable
    # a heater: its flows passed on, a new temperature (its own array, kept as it is)
    new_T = np.full(n, 500.0)
    run.put_stream(c, every, run.streams[a].read(every).with_(T=new_T))
    assert np.shares_memory(run.streams[c].flow, src.flow)
    assert np.array_equal(run.streams[c].T, new_T) and run.streams[c].T.flags.writeable
    # a later write of some cases to the source copies it first: the sharers keep their values
    before = src.flow.copy()
    run.put_stream(a, np.array([1, 4]), stream(cs, 2, 2))
    assert np.array_equal(run.streams[b].flow, before) and np.array_equal(run.streams[c].flow, before)
    assert not np.array_equal(run.streams[a].flow, before)
    # a view of a tear (edited in place) or of a stream written case by case: copied
    run.put_stream(tear, every, stream(cs, n, 3))
    run.put_stream(d, every, run.streams[tear].read(every))
    assert not np.shares_memory(run.streams[d].flow, run.streams[tear].flow)
    assert run.streams[d].flow.flags.writeable
    run.put_stream(b, every, run.streams[a].read(every))  # a: written case by case above
    assert not np.shares_memory(run.streams[b].flow, run.streams[a].flow)
    got = run.streams[b].flow.copy()
    run.put_stream(a, np.array([0]), stream(cs, 1, 4))
    assert np.array_equal(run.streams[b].flow, got)


def test_small_pages_lifts_numpys_huge_page_mark_inside_and_restores_it(monkeypatch):
    """core.pages.small_pages: numpy's huge-page mark off inside the block, the setting found
    restored after it (also on an error), nothing changed where the user set numpy's switch."""
    from numpy._core.multiarray import _get_madvise_hugepage, _set_madvise_hugepage

    from carbonhub.core.pages import small_pages

    monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE", raising=False)
    found = _set_madvise_hugepage(True)
    try:
        assert _get_madvise_hugepage()
        with small_pages():
            assert not _get_madvise_hugepage()
            with small_pages():  # nested: still off, and off again after the inner block
                assert not _get_madvise_hugepage()
            assert not _get_madvise_hugepage()
        assert _get_madvise_hugepage()
        with pytest.raises(RuntimeError):
            with small_pages():
                raise RuntimeError("inside")
        assert _get_madvise_hugepage()
        monkeypatch.setenv("NUMPY_MADVISE_HUGEPAGE", "1")
        with small_pages():
            assert _get_madvise_hugepage()
    finally:
        _set_madvise_hugepage(found)
