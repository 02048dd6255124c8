"""The carried tear variables (core.tearlayout): scaling and convergence test on the carried
variables equal the full-vector references (core.recycle.variable_scale / tear_error), and a
component that reaches the loop late joins the iteration without changing the converged loop."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core.recycle import TearAccelerator, tear_error, variable_scale
from carbonhub.core.tearlayout import TearLayout

pytestmark = pytest.mark.unit

NC = 9  # components per tear


def tears(n: int, seed: int = 0, absent=(1, 4, 7)) -> tuple[np.ndarray, list[int]]:
    """Two tears of NC flows + T + P (components ``absent`` zero in every case) and a spec
    variable after them; flows spread over 12 decades (trace species)."""
    rng = np.random.default_rng(seed)
    widths = [NC + 2, NC + 2]
    v = np.empty((n, sum(widths) + 1))
    o = 0
    for w in widths:
        f = 10.0 ** rng.uniform(-9, 3, (n, NC))
        f[:, list(absent)] = 0.0
        v[:, o:o + NC] = f
        v[:, o + NC] = rng.uniform(300, 600, n)
        v[:, o + NC + 1] = rng.uniform(1e6, 8e6, n)
        o += w
    v[:, -1] = rng.uniform(0.1, 0.9, n)
    return v, widths


def test_scale_and_error_on_the_carried_variables_equal_the_full_references():
    x, widths = tears(200, 1)
    g = x * (1 + np.random.default_rng(2).normal(0, 1e-6, x.shape))
    g[5, 3] = 0.0  # a component that vanished in one case
    g[7, :NC] = 0.0  # and x[7] an empty first tear both ways
    x[7, :NC] = 0.0
    E = np.random.default_rng(3).integers(0, 3, (NC, 6)).astype(float)
    lay = TearLayout.of_nonzero(np.vstack([x, g]), widths, 1, E)
    assert lay.size == x.shape[1] - 2 * 3  # three absent components in each tear
    xc, gc = lay.compact(x), lay.compact(g)
    ref = variable_scale(g, widths, 1e-12)
    got = lay.scale(gc, 1e-12)
    assert np.allclose(got, ref[:, lay.cols], rtol=1e-14, atol=0)
    dist = np.abs(g - x) * 3.0
    e_ref = tear_error(x, g, widths, dist, E)
    e_got = lay.error(xc, gc, lay.compact(dist))
    assert np.allclose(e_got, e_ref, rtol=1e-12, atol=0)
    assert e_got[7] < np.inf and np.all(np.isfinite(e_got))
    assert np.array_equal(lay.expand(xc), x)


def test_compiled_error_is_the_numpy_reference_to_the_bit():
    """The compiled convergence test (and the accelerator's largest scaled residual) gives the
    numpy reference's bits: trace flows over 12
    decades, a vanished component, an empty tear, a spec variable left out, NaN and inf in x, g
    and the distances (a NaN case -> inf, an inf error -> the largest float), with and without
    the element test and the accelerator's distances."""
    x, widths = tears(300, 4)
    rng = np.random.default_rng(5)
    g = x * (1 + rng.normal(0, 1e-3, x.shape))
    g[5, 3] = 0.0
    g[7, :NC] = x[7, :NC] = 0.0
    g[9, 2], x[11, 0], g[13, NC] = np.nan, np.inf, np.inf
    g[15, NC + 2] = -0.0
    dist = np.abs(g - x) * rng.uniform(1, 3, x.shape)
    dist[17, 5] = np.nan
    E = rng.integers(0, 3, (NC, 6)).astype(float)
    for elements, n_extra in ((E, 1), (None, 1), (E, 0)):
        xs, gs, ds = (v if n_extra else v[:, :-1] for v in (x, g, dist))
        lay = TearLayout.of_nonzero(np.vstack([xs[np.isfinite(xs).all(axis=1)]]), widths, n_extra, elements)
        xc, gc, dc = lay.compact(xs), lay.compact(gs), lay.compact(ds)
        for d in (dc, None):
            with np.errstate(all="ignore"):
                a, b = lay.error(xc, gc, d, engine="numba"), lay.error(xc, gc, d, engine="numpy")
            assert np.array_equal(a, b), np.flatnonzero(a != b)
        assert np.isinf(a[9]) and np.isinf(lay.error(xc, gc, dc)[17])
        extra = rng.uniform(0.5, 2.0, (xs.shape[0], n_extra))
        for floor, ex in ((1e-6, None), (1e-12, extra if n_extra else None)):
            with np.errstate(all="ignore"):
                a = lay.scaled_max(xc, gc, floor, ex, engine="numba")
                b = lay.scaled_max(xc, gc, floor, ex, engine="numpy")
            assert np.array_equal(a, b, equal_nan=True), np.flatnonzero(a != b)
            assert np.isnan(a[9]) and np.isfinite(a[:5]).all()


def test_a_component_that_appears_late_joins_and_the_fixed_point_is_the_same():
    """A linear loop x = A x + b whose third variable is fed only through the second: from
    zero, it is zero in the first iterate and appears in the second. Anderson on the growing
    carried set reaches the fixed point of the full problem (an independent solve)."""
    d = 6
    widths = [d]  # 4 flows + T + P
    rng = np.random.default_rng(4)
    A = np.zeros((d, d))
    A[:4, :4] = rng.uniform(0, 0.2, (4, 4))
    A[2, :] = 0.0
    A[2, 1] = 0.3  # component 2 only from component 1
    A[1, 2] = 0.0
    A[3, :] = 0.0  # component 3 never appears
    A[4:, 4:] = np.diag([0.5, 0.5])
    b = np.array([1.0, 2.0, 0.0, 0.0, 150.0, 1e5])
    xstar = np.linalg.solve(np.eye(d) - A, b)
    # start: component 1 and 2 empty, so component 2 appears only in the second evaluation
    x_full = np.array([[1.0, 0.0, 0.0, 0.0, 300.0, 2e5]])
    lay = TearLayout.of_nonzero(x_full, widths)
    acc = TearAccelerator("anderson", widths, 1, layout=lay)
    x = lay.compact(x_full)
    grew = 0
    for _ in range(60):
        g_full = lay.expand(x) @ A.T + b
        pos = lay.grow(g_full)
        if pos is not None:
            grew += 1
            wide = np.zeros((1, lay.size))
            wide[:, pos] = x
            x = wide
            acc.widen(pos, lay.compact(g_full))
        g = lay.compact(g_full)
        xn, dist = acc.step(x, g)
        if lay.error(x, g, dist)[0] <= 1e-12:
            break
        x = xn
    assert grew == 2  # component 1, then component 2 one pass later
    assert lay.size == 5  # component 3 never appears
    assert np.allclose(lay.expand(g)[0], xstar, rtol=1e-10, atol=1e-12)


def test_compiled_anderson_step_follows_the_numpy_reference_through_wraps_and_restarts():
    """The compiled Anderson step (history ring, Gram matrix kept on the valid slots only) and its
    numpy reference take the same steps on a contracting linear loop, memory 4 (the ring wraps),
    with a case restarted midway (its ring refills from slot 0): iterates within 1e-10."""
    rng = np.random.default_rng(8)
    n, nf = 5, 6
    widths = [nf + 2]
    A = rng.uniform(0, 0.9 / nf, (n, nf + 2, nf + 2))
    b = rng.uniform(1, 10, (n, nf + 2))
    b[:, nf:] = [400.0, 5e6]
    accs = [TearAccelerator("anderson", widths, n, memory=4, engine=e) for e in ("numba", "numpy")]
    xs = [np.full((n, nf + 2), 1.0) for _ in accs]
    for it in range(14):
        out = []
        for acc, x in zip(accs, xs):
            g = np.einsum("nab,nb->na", A, x) + b
            if it == 11:  # a restart of case 2 (as the safeguards do)
                acc.k[2] = 0
                acc.pos[2] = 0
            out.append(acc.step(x, g))
        np.testing.assert_allclose(out[0][0], out[1][0], rtol=1e-10, atol=1e-12)
        if it:  # the first step is a plain substitution (no distance)
            np.testing.assert_allclose(out[0][1], out[1][1], rtol=1e-10, atol=1e-12)
        xs = [o[0] for o in out]
    assert accs[0].k.max() == 4 and accs[0].k[2] < 4
