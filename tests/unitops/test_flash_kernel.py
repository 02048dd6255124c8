"""The flash's compiled phase split (unitops/_flash_kernel.py) and the compiled column scan
``present`` (core/_rows_kernel.py) against their numpy references, to the last bit: random
batches with absent columns, non-finite entries, signed zeros and the four K models; and the
whole Flash unit with the compiled split and with the numpy one, on a methanol-loop feed."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core import Stream
from carbonhub.thermo._rowdot_kernel import present_columns
from carbonhub.thermo import ComponentSet
from carbonhub.thermo.kvalues import NONCONDENSABLE, NONVOLATILE
from carbonhub.unitops._flash_kernel import fractions, split
from carbonhub.unitops import separations
from carbonhub.unitops.separations import Flash, split_phases


def _same_bits(a, b):
    """Equal values, NaN where NaN, and the same sign of every zero."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype
    np.testing.assert_array_equal(a, b)  # NaN == NaN here
    assert (np.signbit(a) == np.signbit(b)).all()


def _batch(seed, n=400, k=7):
    rng = np.random.default_rng(seed)
    flow = rng.uniform(0.0, 10.0, (n, k)) * (rng.uniform(size=(n, k)) < 0.7)
    flow[:, 3] = 0.0  # a column absent from every case
    flow[rng.integers(0, n, 5), rng.integers(0, k, 5)] = -0.0
    flow[rng.integers(0, n, 3), rng.integers(0, k, 3)] = np.nan
    flow[rng.integers(0, n, 3), rng.integers(0, k, 3)] = np.inf
    beta = rng.uniform(0.0, 1.0, n)
    beta[:4] = [0.0, 1.0, 0.5, np.nan]
    return rng, flow, beta


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_compiled_split_equals_the_numpy_split_to_the_last_bit(seed):
    rng, flow, beta = _batch(seed)
    cols = np.flatnonzero((flow != 0).any(axis=0))
    m = cols.size
    K = np.exp(rng.uniform(-8.0, 8.0, (flow.shape[0], m)))
    K[:, 0] = 1e15  # non-condensable
    K[5:9, 1] = [0.0, np.inf, np.nan, 1.0]
    K[10, :] = 1.0 - 1.0 / np.maximum(beta[10], 1e-3)  # a pole: 1 + beta (K - 1) = 0
    method = rng.integers(0, 4, m)
    method[0] = NONCONDENSABLE
    method[-1] = NONVOLATILE
    with np.errstate(all="ignore"):  # the non-finite entries warn in numpy
        lc, vc = split_phases(flow[:, cols], K, beta, method)
    liq_ref, vap_ref = np.zeros_like(flow), np.zeros_like(flow)
    liq_ref[:, cols], vap_ref[:, cols] = lc, vc
    liq, vap = split(flow, cols, K, beta, method, NONCONDENSABLE, NONVOLATILE)
    _same_bits(liq, liq_ref)
    _same_bits(vap, vap_ref)
    # the reference's clip is not a no-op on these data (negative and above-feed values clipped)
    with np.errstate(all="ignore"):
        raw = flow[:, cols] * (1.0 - beta[:, None]) / (1.0 + beta[:, None] * (K - 1.0))
    assert ((raw < 0) | (raw > flow[:, cols])).any()


@pytest.mark.parametrize("seed", [0, 1])
def test_compiled_fractions_equal_numpys_divide(seed):
    _, flow, _ = _batch(seed)
    flow[7] = 0.0  # a case without flow: zeros
    tot = np.nansum(flow, axis=1)
    tot[8] = -1.0  # not > 0: zeros
    cols = np.flatnonzero((flow != 0).any(axis=0))
    with np.errstate(all="ignore"):
        ref = np.divide(flow, tot[:, None], out=np.zeros_like(flow), where=tot[:, None] > 0)[:, cols]
    _same_bits(fractions(flow, tot, cols), ref)


def test_present_columns_equal_numpys_scan():
    _, flow, _ = _batch(3)
    flow[:, 5] = -0.0  # signed zeros only: absent
    flow[:, 6] = 0.0
    flow[-1, 6] = np.nan  # a NaN counts as present (NaN != 0), in the last row
    for a in (flow, np.asfortranarray(flow), flow[::3, ::2], np.zeros((0, 4)), np.zeros((5, 0))):
        ref = np.flatnonzero((a != 0).any(axis=0))
        got = present_columns(a)
        assert got.dtype == ref.dtype
        np.testing.assert_array_equal(got, ref)
    assert 5 not in present_columns(flow) and 6 in present_columns(flow)


def test_flash_unit_same_with_the_compiled_and_the_numpy_split(monkeypatch):
    cs = ComponentSet.from_ids(["H2", "CO", "N2", "CH4", "CH3OH", "H2O", "H2O(L)"])
    rng = np.random.default_rng(5)
    n = 300
    flow = rng.uniform(0.0, 50.0, (n, len(cs)))
    flow[:, cs.index("H2O(L)")] = 0.0
    flow[::7, cs.index("CH3OH")] = 0.0
    flow[0] = 0.0  # no flow
    feed = Stream(cs, flow, rng.uniform(480.0, 540.0, n), rng.uniform(50e5, 100e5, n))
    fl = Flash("flash", light_gases="noncondensable", range_policy="ignore")
    p = fl.resolve({"T": rng.uniform(300.0, 330.0, n), "P": feed.P.copy()}, n)
    with np.errstate(all="ignore"):  # as the solver runs units
        a = fl.run({"feed": feed}, p)
        # the numpy split and fractions, every other kernel as before (CARBONHUB_NUMBA=0 would
        # also switch Rachford-Rice to its numpy iteration, equal to ~1e-13 only)
        monkeypatch.setattr(separations, "use_numba", lambda *a, **k: False)
        b = fl.run({"feed": feed}, p)
    for port in ("vapor", "liquid"):
        _same_bits(a.outlets[port].flow, b.outlets[port].flow)
    _same_bits(a.design["vapor_fraction"], b.design["vapor_fraction"])
    # a real two-phase split (not a trivial one): methanol in both phases, the light gases all vapour
    im = cs.index("CH3OH")
    assert (a.outlets["liquid"].flow[1:, im] > 0).sum() > n // 2
    assert (a.outlets["liquid"].flow[:, cs.index("H2")] == 0).all()
    total = a.outlets["vapor"].flow + a.outlets["liquid"].flow
    total[:, cs.index("H2O")] += total[:, cs.index("H2O(L)")]
    total[:, cs.index("H2O(L)")] = 0.0
    np.testing.assert_allclose(total, flow, rtol=1e-14, atol=0)


@pytest.mark.parametrize("seed", [0, 1])
def test_compiled_separator_volume_equals_the_numpy_one_to_the_last_bit(seed, monkeypatch):
    """Volume and gas-limited diameter of the flash drum: cases all vapour, all liquid, empty,
    with water and a solid (its own density) and organics at the case's rho_organic."""
    cs = ComponentSet.from_ids(["H2", "CO", "CH3OH", "H2O", "H2O(L)", "ASH"])
    rng = np.random.default_rng(seed)
    n = 300
    vap = rng.uniform(0.0, 50.0, (n, len(cs))) * (rng.uniform(size=(n, len(cs))) < 0.8)
    liq = rng.uniform(0.0, 5.0, (n, len(cs))) * (rng.uniform(size=(n, len(cs))) < 0.8)
    vap[:, [cs.index("H2O(L)"), cs.index("ASH")]] = 0.0
    liq[:, [cs.index("H2"), cs.index("H2O")]] = 0.0
    vap[1], liq[2], vap[3], liq[3] = 0.0, 0.0, 0.0, 0.0  # all liquid, all vapour, empty
    liq[4, cs.index("ASH")] = 0.0
    T, P = rng.uniform(280.0, 400.0, n), rng.uniform(1e5, 1e7, n)
    args = (T, P, rng.uniform(0.05, 0.1, n), rng.uniform(0.0, 600.0, n), rng.uniform(600.0, 900.0, n))
    got = separations.separator_volume(cs, vap, liq, *args)
    monkeypatch.setattr(separations, "use_numba", lambda *a, **k: False)
    ref = separations.separator_volume(cs, vap, liq, *args)
    for a, b in zip(got, ref):
        _same_bits(a, b)
    vol, d = got
    assert vol[3] == 0.0 and (vol[5:] > 0).all()  # the empty case holds nothing
    assert (vol >= np.pi / 4 * d**2 * 3.0 * d * (1 - 1e-15)).all()
