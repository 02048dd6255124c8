"""The compiled solids check of labour (costing/_labour_kernel.py) gives the numpy expressions'
answer in every case: clear cases by its own sums, cases too close to 1 % (or non-finite) left
to numpy; and the answer itself against hand-made inlets."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from carbonhub.costing._labour_kernel import decide
from carbonhub.costing.labour import _solids_cases


def _inlets(flows, M):
    cs = SimpleNamespace(molar_mass=M)
    return [SimpleNamespace(flow=f, cs=cs) for f in flows]


@pytest.mark.unit
def test_solids_by_hand():
    """Inlet masses [kg/s]: solid 5 of 100 -> a solids step; 0.5 of 100 -> not; none -> not."""
    M = np.array([1.0, 2.0, 0.5])  # kg/mol; the last component is the solid
    solid = np.array([False, False, True])
    flow = np.array([[60.0, 17.5, 10.0],     # 60 + 35 + 5 = 100 kg/s, 5 solid
                     [60.0, 19.75, 1.0],     # 60 + 39.5 + 0.5 = 100, 0.5 solid
                     [0.0, 0.0, 0.0]])
    for engine in ("numba", "numpy"):
        assert _solids_cases(_inlets([flow], M), solid, engine).tolist() == [True, False, False]
        # split over two inlets: the same masses
        assert _solids_cases(_inlets([flow / 2, flow / 2], M), solid, engine).tolist() == [True, False, False]


@pytest.mark.unit
def test_compiled_equals_numpy_with_ties_and_non_finite_flows():
    rng = np.random.default_rng(12)
    n, k = 4000, 23
    M = rng.uniform(0.002, 0.3, k)
    solid = np.zeros(k, dtype=bool)
    solid[[3, 11, 17]] = True
    for n_in in (1, 2, 3):
        flows = [rng.uniform(0, 5, (n, k)) * (rng.random((n, k)) < 0.5) for _ in range(n_in)]
        f0 = flows[0]
        f0[::7, solid] = 0.0  # no solids
        f0[5] = np.nan
        f0[6, 2] = np.inf
        f0[8, 4] = -np.inf
        for f in flows:
            f[9] = 0.0  # an empty case
            f[10] = -0.0
        # solid mass tuned to 1 % of the total (to rounding): undecided by the kernel
        near = np.arange(20, 40)
        for i in near:
            for f in flows:
                f[i, solid] = 0.0
            fluid = sum((f[i] * M).sum() for f in flows)
            flows[0][i, 3] = fluid * (0.01 / 0.99) / M[3] * (1 + rng.uniform(-1e-15, 1e-15))
        inlets = _inlets(flows, M)
        fast, ref = _solids_cases(inlets, solid, "numba"), _solids_cases(inlets, solid, "numpy")
        assert np.array_equal(fast, ref)
        m = sum(np.nan_to_num(f * M) for f in flows)
        _, sure = decide(m, solid)
        assert not sure[near].any() and sure[9] and sure[10]
        assert sure.sum() > n - 100  # the rest decided by the kernel
        clear = sure & (np.arange(n) > 40)
        assert fast[clear].any() and not fast[clear].all()


@pytest.mark.unit
def test_has_solids_compiled_equals_numpy():
    from carbonhub.costing.labour import _has_solids

    rng = np.random.default_rng(4)
    solid = np.array([False, True, False, True, False])
    flow = rng.uniform(0, 1, (50, 5))
    flow[:, solid] = 0.0
    cases = [flow.copy(), flow.copy(), flow.copy(), flow.copy()]
    cases[1][49, 3] = 1e-300  # the last case only
    cases[2][7, 1] = np.nan  # NaN counts as nonzero, as in numpy's any()
    cases[3][0, 1] = -0.0
    for f in cases + [np.asfortranarray(cases[1]), flow[:, :]]:
        assert _has_solids(f, solid, "numba") == _has_solids(f, solid, "numpy") == bool(f[:, solid].any())
    assert [_has_solids(f, solid, "numba") for f in cases] == [False, True, True, False]
    assert not _has_solids(cases[1], np.zeros(5, dtype=bool), "numba")


@pytest.mark.unit
@pytest.mark.parametrize("n", [1, 63, 64, 65, 200])
def test_has_solids_at_each_row_of_the_blocks(n):
    """The compiled check reads rows in blocks of 64: a single solid entry (or NaN) in any row,
    at the edges of a block or in the last, shorter one, is found; none found in all-zero solids."""
    from carbonhub.costing.labour import _has_solids

    solid = np.array([True, False, False, True])
    base = np.random.default_rng(n).uniform(0.1, 1.0, (n, 4))
    base[:, solid] = 0.0
    assert not _has_solids(base, solid, "numba")
    for i in sorted({0, n // 2, 62, 63, 64, 65, 127, 128, n - 1} & set(range(n))):
        for v in (1e-300, np.nan, -2.0):
            f = base.copy()
            f[i, 3] = v
            assert _has_solids(f, solid, "numba") and _has_solids(f, solid, "numpy"), (i, v)
