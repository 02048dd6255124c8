"""The compiled mix of three or more inlets (:mod:`carbonhub.core._stream_kernels`) against the
separate sums it replaces and against an independent energy balance."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core import stream as stream_mod
from carbonhub.core.stream import Stream, mix
from carbonhub.thermo.components import default_components

pytest.importorskip("numba")


def _inlets(m: int, n: int, seed: int):
    cs = default_components()
    rng = np.random.default_rng(seed)
    out = []
    for q in range(m):
        f = rng.uniform(0.0, 10.0, (n, len(cs))) * (rng.random((n, len(cs))) < 0.3)
        f[q * 3:(q + 1) * 3] = 0.0  # an empty inlet in some cases (its pressure ignored)
        f[20 + q, 4] = -0.0
        T = rng.uniform(250.0, 1500.0, n)
        T[-40:] = cs.tmid[:40] if q == 0 else T[-40:]  # at Tmid: the low range
        origin = rng.dirichlet(np.ones(4), n)
        out.append(Stream(cs, f, T, rng.uniform(1e5, 3e6, n), origin, check=False))
    out[1].flow[7, 2] = np.nan
    out[0] = out[0].read(np.arange(n))  # read-only arrays beside writeable ones (a unit's inlets)
    return cs, out


@pytest.mark.unit
@pytest.mark.parametrize("m", [3, 4, 6])
def test_mix_of_several_inlets_in_one_pass_equals_the_separate_sums(m, monkeypatch):
    """flows, T, P and carbon origins of the compiled mix equal, bit for bit (signs of zero and
    a NaN flow included), those of the separate evaluations (each inlet's enthalpy, total and
    carbon flow summed one after the other); within rounding of the numpy engine; and the
    outlet's enthalpy at its T equals the inlets' (``cs.h`` over every column, independent of
    both paths)."""
    n = 300
    cs, ins = _inlets(m, n, 31 + m)
    assert stream_mod._mix_rows(cs, ins) is not None  # the compiled path is taken
    fused = mix(ins)
    monkeypatch.setattr(stream_mod, "_mix_rows", lambda cs, streams: None)  # the separate sums
    separate = mix(ins)
    for x, y in ((fused.flow, separate.flow), (fused.T, separate.T), (fused.P, separate.P),
                 (fused.origin, separate.origin)):
        assert np.array_equal(x, y, equal_nan=True)
        assert np.array_equal(np.signbit(x), np.signbit(y))
    assert np.isnan(fused.flow[7, 2])
    monkeypatch.setenv("CARBONHUB_NUMBA", "0")
    reference = mix(ins)
    ok = np.isfinite(fused.T) & (np.arange(n) != 7)
    np.testing.assert_allclose(fused.T[ok], reference.T[ok], rtol=1e-10)
    H_in = sum((s.flow * cs.h(s.T)).sum(axis=1) for s in ins)
    H_out = (fused.flow * cs.h(fused.T)).sum(axis=1)
    scale = sum(np.abs(s.flow * cs.h(s.T)).sum(axis=1) for s in ins) + 1.0
    assert np.all(np.abs(H_out - H_in)[ok] <= 1e-9 * scale[ok])
    np.testing.assert_array_equal(fused.flow[ok], sum(s.flow for s in ins)[ok])


@pytest.mark.unit
def test_mix_of_several_inlets_alone_equals_its_batch():
    """A case mixed alone gives the same bits as in its batch."""
    cs, ins = _inlets(3, 50, 5)
    batch = mix(ins)
    for i in (0, 13, 49):
        one = mix([s.take(np.array([i])) for s in ins])
        assert np.array_equal(one.flow[0], batch.flow[i]) and one.T[0] == batch.T[i]
        assert np.array_equal(one.origin[0], batch.origin[i])


@pytest.mark.unit
def test_every_case_compiled_equals_numpys_differences(monkeypatch):
    """``every_case`` (compiled ``in_order``) against the numpy expression it replaces, on index
    arrays in order, with one entry moved, swapped, repeated, shifted, reversed, too short, of
    another integer type, and a boolean mask (not an index array)."""
    from carbonhub.core.stream import every_case

    n = 1000
    base = np.arange(n)
    cases = [base, base[:-1], base + 1, base[::-1].copy(), np.arange(n, dtype=np.uint32),
             np.arange(n, dtype=np.int32), np.ones(n, dtype=bool), np.zeros(0, dtype=np.int64)]
    for k in (1, 500, n - 2):
        a = base.copy()
        a[k], a[k + 1] = a[k + 1], a[k]
        b = base.copy()
        b[k] = b[k - 1]
        c = base.copy()
        c[k] += 2 ** 40  # a high bit only
        cases += [a, b, c]

    def reference(idx, n):
        return (isinstance(idx, np.ndarray) and idx.ndim == 1 and idx.dtype.kind in "iu" and idx.size == n
                and n > 0 and idx[0] == 0 and idx[-1] == n - 1 and bool((np.diff(idx) == 1).all()))

    for idx in cases:
        for m in (n, n - 1, 0):
            assert every_case(idx, m) == reference(idx, m)
    assert every_case(base, n) and not every_case(cases[8], n)
