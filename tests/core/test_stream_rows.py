"""Stream.take / Stream.put on the case axis: the compiled row scatter and np.take give exactly
numpy's fancy indexing (index arrays, boolean masks, one broadcast row, empty selections)."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core.stream import Stream
from carbonhub.thermo import ComponentSet

pytestmark = pytest.mark.unit

CS = ComponentSet.from_ids(["H2", "CO", "CO2", "H2O", "CH4", "N2"])


def stream(n: int, seed: int) -> Stream:
    rng = np.random.default_rng(seed)
    origin = rng.dirichlet(np.ones(4), n)
    return Stream(CS, rng.uniform(0, 10, (n, len(CS))), rng.uniform(300, 900, n), rng.uniform(1e5, 8e6, n),
                  origin)


def fancy_put(s: Stream, idx, o: Stream) -> None:
    s.flow[idx], s.T[idx], s.P[idx], s.origin[idx] = o.flow, o.T, o.P, o.origin


@pytest.mark.parametrize("engine", ["1", "0"])
def test_take_and_put_equal_numpy_fancy_indexing(engine, monkeypatch):
    monkeypatch.setenv("CARBONHUB_NUMBA", engine)
    rng = np.random.default_rng(1)
    n = 500
    for idx in (rng.permutation(n)[:200], np.arange(n), rng.random(n) < 0.3, np.zeros(0, dtype=int),
                np.array([7]), np.arange(n, dtype=np.int32)[::-3], [3], [4, 1, 4], slice(10, 20)):
        src = stream(n, 2)  # lists and slices too: numpy's general indexing (a list once took
        got = src.take(idx)  # the wrong branch and gained an axis)
        for a, b in ((got.flow, src.flow[idx]), (got.T, src.T[idx]), (got.P, src.P[idx]),
                     (got.origin, src.origin[idx])):
            assert a.shape == b.shape and np.array_equal(a, b)
        got.flow[...] = -1.0  # a copy: the source is untouched
        assert (src.flow >= 0).all()
        if not isinstance(idx, np.ndarray):
            continue
        k = int(np.count_nonzero(idx)) if idx.dtype == bool else idx.size
        new = stream(k, 3)
        a, b = stream(n, 4), stream(n, 4)
        a.put(idx, new)
        fancy_put(b, idx, new)
        for u, v in ((a.flow, b.flow), (a.T, b.T), (a.P, b.P), (a.origin, b.origin)):
            assert np.array_equal(u, v)
    # one row broadcast to the selected cases, as numpy assignment does
    a, b = stream(n, 5), stream(n, 5)
    one = stream(1, 6)
    a.put(np.arange(10, 20), one)
    b.flow[10:20], b.T[10:20], b.P[10:20], b.origin[10:20] = one.flow, one.T, one.P, one.origin
    assert np.array_equal(a.flow, b.flow) and np.array_equal(a.origin, b.origin) and np.array_equal(a.T, b.T)


@pytest.mark.parametrize("engine", ["1", "0"])
def test_finite_rows_flags_exactly_the_cases_with_a_non_finite_value(engine, monkeypatch):
    """Stream.finite_rows (compiled, or numpy's expression with CARBONHUB_NUMBA=0) is False
    exactly in the cases where a flow, T or P is NaN or infinite, on contiguous arrays and on a
    column slice's strided view."""
    monkeypatch.setenv("CARBONHUB_NUMBA", engine)
    s = stream(300, 3)
    s.flow[5, 2], s.flow[17, 0], s.flow[40, 5] = np.nan, np.inf, -np.inf
    s.T[60], s.P[99] = np.nan, np.inf
    want = np.ones(300, dtype=bool)
    want[[5, 17, 40, 60, 99]] = False
    assert np.array_equal(s.finite_rows(), want)
    wide = np.zeros((300, 2 * len(CS)))
    wide[:, ::2] = s.flow
    strided = Stream(CS, wide[:, ::2], s.T, s.P, check=False)
    assert not strided.flow.flags.c_contiguous
    assert np.array_equal(strided.finite_rows(), want)


@pytest.mark.parametrize("engine", ["numba", "numpy"])
def test_first_bad_flow_is_the_first_negative_or_non_finite_entry_in_row_order(engine):
    """The units' inlet check (unitops._common.first_bad_flow, compiled or numpy) names the
    first entry that is negative, NaN or +-inf, row by row; -0.0 and 0 are good flows."""
    from carbonhub.unitops._common import first_bad_flow

    rng = np.random.default_rng(8)
    for trial in range(60):
        n, k = int(rng.integers(1, 40)), int(rng.integers(1, 12))
        f = rng.uniform(0.0, 5.0, (n, k))
        f[rng.random((n, k)) < 0.3] = 0.0
        f[rng.random((n, k)) < 0.1] = -0.0
        for bad in rng.choice([np.nan, np.inf, -np.inf, -1e-300, -2.0], size=int(rng.integers(0, 3))):
            f[rng.integers(n), rng.integers(k)] = bad
        want = (-1, -1)
        for i in range(n):  # the reference: a plain scan
            hit = [j for j in range(k) if not (np.isfinite(f[i, j]) and f[i, j] >= 0)]
            if hit:
                want = (i, hit[0])
                break
        assert first_bad_flow(f, engine) == want


@pytest.mark.parametrize("engine", ["1", "0"])
def test_unit_results_are_written_as_numpys_fancy_assignment(engine, monkeypatch):
    """FlowsheetRun.put_result writes each design/utility array into cases ``idx``: compiled
    for float values one per index, numpy's assignment otherwise (scalars, integers, strings,
    boolean masks, repeated indices: the last write wins in both)."""
    from carbonhub.core.flowsheet import FlowsheetRun
    from carbonhub.core.unit import UnitResult

    monkeypatch.setenv("CARBONHUB_NUMBA", engine)
    n = 50
    run = object.__new__(FlowsheetRun)
    run.n, run.results = n, {}
    rng = np.random.default_rng(4)
    ref: dict[str, np.ndarray] = {}
    for idx in (rng.permutation(n)[:20], rng.random(n) < 0.5, np.array([3, 9, 3]), np.arange(n)):
        m = int(np.size(np.arange(n)[idx]))
        vals = {"x": rng.uniform(-1, 1, m), "k": rng.integers(0, 5, m), "s": 2.5,
                "why": np.array(["a"] * m, dtype=object)}
        r = UnitResult({}, rng.uniform(size=m), rng.uniform(size=m), dict(vals), {"u": vals["x"] * 2})
        run.put_result("u1", idx, r)
        for key, v in (("heat", r.heat), ("power", r.power), *vals.items(), ("u", vals["x"] * 2)):
            if key not in ref:
                ref[key] = np.full(n, None, dtype=object) if key == "why" else np.full(n, np.nan)
            ref[key][idx] = v
    st = run.results["u1"]
    got = {"heat": st.heat, "power": st.power, **st.design, **st.utilities}
    assert set(got) == set(ref)
    for key in ref:
        assert got[key].dtype == ref[key].dtype
        assert np.array_equal(got[key], ref[key], equal_nan=key != "why"), key
