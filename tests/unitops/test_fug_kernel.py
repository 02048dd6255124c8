"""The compiled shortcut-column design (unitops/_fug_kernel.py) and its numpy reference
(``fug_design(engine="numpy")``) give the same column: random feeds of the olefin train's and
the methanol column's components, total and partial condensers, with and without a bubble
point. The compiled bubble/dew points start Newton from the previous pass, which finds the
same root only because every K-value correlation decreases with 1/T: checked here on the data
by finite differences of the vapour pressures (an independent computation)."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.thermo import ComponentSet
from carbonhub.thermo.kvalues import KValueModel, kvalue_data, vapour_pressure
from carbonhub.unitops.columns import fug_design

pytest.importorskip("numba")

IDS = ["H2", "CO", "CO2", "CH4", "C2H4", "C2H6", "C3H6", "C3H8", "C4H8", "C4H10", "C5H12", "CH3OH",
       "H2O", "C16H34", "C30H62", "C(s)"]
CS = ComponentSet.from_ids(IDS)
KM = KValueModel(CS, light_gases="raoult", solutes="raoult",
                 overrides={c: "noncondensable" for c in ("H2", "CO", "CO2")})
KEYS = [("C2H4", "C2H6"), ("C3H6", "C3H8"), ("CH4", "C2H4"), ("CH3OH", "H2O"), ("C3H8", "C4H8")]
N = 120


def _feeds(seed: int, keys: tuple[str, str]) -> np.ndarray:
    rng = np.random.default_rng(seed)
    f = rng.uniform(0.0, 10.0, (N, len(IDS))) * (rng.uniform(size=(N, len(IDS))) < 0.5)
    f[20:, :3] = 0.0  # non-condensables in a few cases only (a total condenser has no bubble point)
    for k in keys:
        f[:, CS.index(k)] += rng.uniform(0.5, 5.0, N)
    f[:4, CS.index(keys[1])] = 0.0  # a key absent (floored at 1e-9 of the feed)
    f[4:6] = 0.0
    f[4:6, CS.index("H2")] = 1.0  # non-condensable only: no bubble point
    f[4:6, CS.index(keys[0])] = 1e-3
    return f


@pytest.mark.unit
@pytest.mark.parametrize("partial", [False, True])
@pytest.mark.parametrize("keys", KEYS, ids=["-".join(k) for k in KEYS])
def test_compiled_column_equals_numpy_reference(keys, partial):
    f = _feeds(KEYS.index(keys) + 10 * partial, keys)
    rng = np.random.default_rng(1)
    P = rng.uniform(1e5, 30e5, N)
    r_lk, r_hk, q = rng.uniform(0.9, 0.999, N), rng.uniform(0.9, 0.999, N), rng.uniform(0.0, 1.2, N)
    i_lk, i_hk = CS.index(keys[0]), CS.index(keys[1])
    args = (KM, f, P, i_lk, i_hk, r_lk, r_hk, 1.3, q, partial)
    a = fug_design(*args, engine="numpy")
    b = fug_design(*args, engine="numba")
    assert (a["status"] == b["status"]).all()
    assert (a["status"] == "ok").sum() > N // 2
    assert partial or (a["status"] != "ok").any()  # a total condenser of non-condensables: no bubble point
    F = f.sum(axis=1, keepdims=True)
    for key in ("distillate", "bottoms"):
        np.testing.assert_allclose(b[key], a[key], rtol=0, atol=1e-12 * F.max())
        assert ((a[key] > 0) == (b[key] > 0)).all()  # the same components present downstream
    np.testing.assert_allclose(b["phi_d"], a["phi_d"], rtol=1e-9, atol=1e-13)
    for key in ("T_feed", "T_top", "T_bottom", "Nmin", "N", "Rmin", "theta", "alpha_lk", "feed_stage"):
        np.testing.assert_allclose(b[key], a[key], rtol=1e-9, atol=0, err_msg=key, equal_nan=True)


@pytest.mark.unit
def test_every_vapour_pressure_rises_with_temperature():
    """ln Psat strictly increasing in T (d ln Psat/d(1/T) < 0) over the bracket of the bubble and
    dew points, 40-1500 K, for every DIPPR entry (inside its range and extrapolated), and
    every Henry constant falls with T: K-values decrease with 1/T, so the bubble/dew function
    ln sum x K^(+-1) is monotone in 1/T and its root unique."""
    data = kvalue_data()
    T = np.linspace(40.0, 1500.0, 4001)
    ids = list(data["vapour_pressure"])
    with np.errstate(over="ignore"):
        lnP = np.log(vapour_pressure(ids, T, policy="ignore"))
    assert np.isfinite(lnP).all()
    bad = [c for c, col in zip(ids, np.diff(lnP, axis=0).T) if not (col > 0).all()]
    assert not bad, f"vapour pressure not increasing with T: {bad}"
    assert all(h.dlnH > 0 for h in data["henry"].values())


@pytest.mark.unit
@pytest.mark.parametrize("engine", ["numba", "numpy"])
def test_column_batch_equals_one_by_one(engine):
    keys = KEYS[0]
    f = _feeds(3, keys)
    P = np.linspace(5e5, 25e5, N)
    args = (CS.index(keys[0]), CS.index(keys[1]), 0.99, 0.98, 1.3, 1.0)
    batch = fug_design(KM, f, P, *args, engine=engine)
    for i in (0, 5, 37, N - 1):
        one = fug_design(KM, f[i:i + 1], P[i:i + 1], *args, engine=engine)
        for key in ("T_top", "T_bottom", "N", "Rmin", "theta", "distillate"):
            np.testing.assert_allclose(one[key][0], batch[key][i], rtol=1e-10, atol=0, err_msg=key)


@pytest.mark.unit
@pytest.mark.parametrize("engine", ["numba", "numpy"])
def test_feed_components_only_give_the_same_column(engine):
    """``all_phi=False`` (the batch runs: K-values of each case's feed components only) gives
    the full design's columns bit for bit, and phi_d of the feed components; 0 for the others."""
    keys = KEYS[1]
    f = _feeds(7, keys)
    P = np.linspace(5e5, 25e5, N)
    args = (KM, f, P, CS.index(keys[0]), CS.index(keys[1]), 0.99, 0.98, 1.3, 1.0)
    full = fug_design(*args, engine=engine)
    part = fug_design(*args, engine=engine, all_phi=False)
    for key in ("distillate", "bottoms", "T_feed", "T_top", "T_bottom", "N", "Rmin", "theta", "x_top"):
        np.testing.assert_array_equal(part[key], full[key], err_msg=key)
    z = f > 0
    z[:, [CS.index(k) for k in keys]] = True  # the keys are floored into every feed
    assert (~z).any() and (full["phi_d"][~z] > 0).any()
    np.testing.assert_array_equal(part["phi_d"][z], full["phi_d"][z])
    assert (part["phi_d"][~z] == 0.0).all()


@pytest.mark.unit
@pytest.mark.parametrize("all_phi", [False, True])
def test_compiled_products_are_the_numpy_products_of_its_split(all_phi):
    """The kernel's products (distillate, bottoms, x_top, x_bottom and the Kirkbride feed stage
    that reads them) are, bit for bit, numpy's arithmetic on the feed and the kernel's own
    phi_d: feed fractions over the index-ordered row sum, keys floored at 1e-9, d = zk phi_d,
    b = zk - d, x = d / sum d; an empty feed (fractions 0, keys 1e-9) and a trace of negative
    flow (a round-off upstream), which keeps its sign in b as in numpy. ``design_ok`` is
    ``status == "ok"``."""
    from carbonhub.thermo.rowdot import rowsum

    keys = KEYS[4]
    f = _feeds(11, keys)
    f[7, CS.index("C5H12")] = -1e-18
    f[8] = 0.0
    P = np.linspace(5e5, 25e5, N)
    i_lk, i_hk = CS.index(keys[0]), CS.index(keys[1])
    r = fug_design(KM, f, P, i_lk, i_hk, 0.99, 0.98, 1.3, 1.0, False, engine="numba", all_phi=all_phi)
    F = rowsum(f)
    zk = np.divide(f, F[:, None], out=np.zeros_like(f), where=F[:, None] > 0)
    zk[:, [i_lk, i_hk]] = np.maximum(zk[:, [i_lk, i_hk]], 1e-9)
    d = zk * r["phi_d"]
    b = zk - d
    D, B = rowsum(d), rowsum(b)
    assert b[7, CS.index("C5H12")] < 0 and F[8] == 0
    np.testing.assert_array_equal(r["x_top"], np.divide(d, D[:, None], out=np.zeros_like(d), where=D[:, None] > 0))
    np.testing.assert_array_equal(r["x_bottom"], np.divide(b, B[:, None], out=np.zeros_like(b), where=B[:, None] > 0))
    np.testing.assert_array_equal(r["distillate"], f * r["phi_d"])
    np.testing.assert_array_equal(r["bottoms"], f - f * r["phi_d"])
    with np.errstate(divide="ignore", invalid="ignore"):
        kir = ((zk[:, i_hk] / zk[:, i_lk]) * (r["x_bottom"][:, i_lk] / np.maximum(r["x_top"][:, i_hk], 1e-300)) ** 2
               * (B / np.maximum(D, 1e-300))) ** 0.206
    np.testing.assert_array_equal(r["feed_stage"], r["N"] * kir / (1 + kir))
    assert (r["design_ok"] == (r["status"] == "ok")).all() and not r["design_ok"].all()


@pytest.mark.unit
@pytest.mark.parametrize("partial", [False, True])
def test_compiled_column_of_a_batch_equals_each_case_alone(partial):
    """The compiled kernel reuses its per-component scratch (normalised mixture, present
    components, ln K) from case to case and from one bubble/dew point to the next: a case's
    design must not depend on the cases before it. Every output of a 120-case batch equals the
    same case designed alone, bit for bit (a reversed batch as well)."""
    keys = ("CH4", "C2H4")
    f = _feeds(7 + partial, keys)
    rng = np.random.default_rng(3)
    P = rng.uniform(1e5, 30e5, N)
    r_lk, r_hk, q = rng.uniform(0.9, 0.999, N), rng.uniform(0.9, 0.999, N), rng.uniform(0.0, 1.2, N)
    i_lk, i_hk = CS.index(keys[0]), CS.index(keys[1])

    def design(sel):
        return fug_design(KM, f[sel], P[sel], i_lk, i_hk, r_lk[sel], r_hk[sel], 1.3, q[sel], partial,
                          engine="numba", all_phi=False)

    batch = design(np.arange(N))
    back = design(np.arange(N)[::-1])
    for i in range(0, N, 7):
        one = design(np.array([i]))
        for key, v in batch.items():
            np.testing.assert_array_equal(one[key][0], v[i], err_msg=f"{key}, case {i}")
            np.testing.assert_array_equal(back[key][N - 1 - i], v[i], err_msg=f"{key}, case {i} (reversed)")
