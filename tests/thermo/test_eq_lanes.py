"""The gas-only equilibrium kernel over lanes of states (thermo._eq_lanes) against the
per-case kernel (thermo._eq_kernel, the same iteration one case at a time), batch
independence bit for bit, and its vectorisable exp (thermo._vexp) against math.exp."""
from __future__ import annotations

import math

import numpy as np
import pytest

from carbonhub.thermo import equilibrate
from carbonhub.thermo._eq_kernel import solve_batch
from carbonhub.thermo._eq_lanes import CHUNK, LANES, solve_gas
from carbonhub.thermo._vexp import vexp
from carbonhub.thermo.equilibrium import _validate
from carbonhub.thermo.nasa7 import P_REF, R
from tests.helpers import GAS, gas_cases


def _kernel_args(mol, T, P):
    prep, _, n0, T, P = _validate(GAS, mol, T, P, None)
    sub = prep.sub
    b = n0 @ prep.A
    b = np.ascontiguousarray(b / b.sum(axis=1, keepdims=True))
    return prep.A, sub, np.ascontiguousarray(T), np.ascontiguousarray(P), b


def _lanes(mol, T, P, lanes=LANES):
    A, sub, T, P, b = _kernel_args(mol, T, P)
    return solve_gas(A, sub.low, sub.high, sub.tmid, sub.molar_volume, T, P, P_REF, R, b.T.copy(), 1e-13, 300,
                     lanes, 1e-12, np.ones(len(T)))


def _start_args(n, seed, steam):
    """Arguments of the start over lanes (G, b, A, gnz, gk, ga, 1/atoms) for ``n`` random cases,
    the first ``steam`` of them pure steam (a degenerate vertex: no start from the program), and
    the inventories b (cases, elements)."""
    from carbonhub.thermo._eq_lanes import _g_rt_p

    mol, T, P = gas_cases(n, seed)
    mol[:steam] = 0.0
    mol[:steam, GAS.index("H2O")] = 1.0
    A, sub, Tc, Pc, b = _kernel_args(mol, T, P)
    G = _g_rt_p(sub.low, sub.high, sub.tmid, sub.molar_volume, Tc, Pc, P_REF, R)
    nz = [np.flatnonzero(row) for row in A]
    gk = np.zeros(A.shape, np.int64)
    ga = np.zeros(A.shape)
    for j, k in enumerate(nz):
        gk[j, :k.size], ga[j, :k.size] = k, A[j, k]
    return (G, b.T.copy(), A, np.array([k.size for k in nz]), gk, ga, 1.0 / A.sum(axis=1)), b


@pytest.mark.unit
def test_lanes_equal_the_per_case_kernel():
    """Same iteration, same start: moles within 1e-13 (the kernels differ only by exp, within
    1 ulp), the same Newton iterations and status in every case; absent elements (N, Ar in
    about half the cases) ride along as identity rows."""
    mol, T, P = gas_cases(400, 31)
    A, sub, Tc, Pc, b = _kernel_args(mol, T, P)
    one = solve_batch(A, sub.is_gas, sub.low, sub.high, sub.tmid, sub.molar_volume, Tc, Pc, P_REF, R, b, 1e-13, 300,
                      np.zeros((1, 1)), False)
    lanes = _lanes(mol, T, P)
    assert (b[:, -1] == 0).sum() > 100  # cases without Ar: an identity row in their lanes
    assert np.abs(lanes[0] - one[0]).max() < 1e-13
    assert np.array_equal(lanes[2], one[2]) and np.array_equal(lanes[3], one[3])
    assert (lanes[3] == 0).all()


@pytest.mark.unit
def test_a_case_does_not_depend_on_its_batch_or_lane():
    """A case's result is the same to the last bit alone, in reverse order, in a batch smaller
    than the lanes, with any number of lanes (it takes whichever lane frees first) and
    anywhere in a batch of several chunks."""
    mol, T, P = gas_cases(150, 32)
    ref = _lanes(mol, T, P)
    rev = _lanes(mol[::-1], T[::-1], P[::-1])
    assert all(np.array_equal(a, r[::-1]) for a, r in zip(ref, rev))
    for lanes in (1, 3, 8):
        assert all(np.array_equal(a, r) for a, r in zip(ref, _lanes(mol, T, P, lanes)))
    reps = -(-(2 * CHUNK + 5) // len(T))  # over two chunk boundaries of the start's pre-pass
    big = _lanes(np.tile(mol, (reps, 1)), np.tile(T, reps), np.tile(P, reps))
    assert all(np.array_equal(np.concatenate([a] * reps), r) for a, r in zip(ref, big))
    batch = equilibrate(GAS, mol, T, P).moles  # element inventories by rowdot, not BLAS: same bits too
    for i in (0, 77, 149):
        assert np.array_equal(equilibrate(GAS, mol[i:i + 1], T[i], P[i]).moles[0], batch[i])


@pytest.mark.unit
def test_vexp_within_one_ulp_of_math_exp():
    rng = np.random.default_rng(33)
    for x in np.concatenate([rng.uniform(-700.0, 5.0, 2000), rng.uniform(-1.0, 1.0, 2000), [0.0, -708.0, 709.0]]):
        ref = math.exp(x)
        assert abs(vexp(x) - ref) <= math.ulp(ref), x
    assert vexp(-708.5) == 0.0 and vexp(-math.inf) == 0.0
    assert vexp(709.5) == math.inf and math.isnan(vexp(math.nan))


@pytest.mark.unit
def test_vlog_within_one_ulp_of_math_log():
    """thermo._vexp.vlog (fdlibm's e_log.c in plain arithmetic) against the C library's log:
    within 1 ulp over the whole positive range, subnormals and the special values included."""
    from carbonhub.thermo._vexp import vlog

    rng = np.random.default_rng(38)
    xs = np.concatenate([np.exp(rng.uniform(-700.0, 700.0, 2000)), rng.uniform(0.5, 2.0, 2000),
                         rng.uniform(1e-8, 1.0, 2000), [1.0, 2.0, math.sqrt(2.0), 5e-324, 1e-310, 1.7976931348623157e308]])
    for x in xs:
        ref = math.log(x)
        assert abs(vlog(x) - ref) <= math.ulp(ref), x
    assert vlog(0.0) == -math.inf and vlog(math.inf) == math.inf
    assert math.isnan(vlog(-1.0)) and math.isnan(vlog(math.nan))


@pytest.mark.unit
def test_lane_start_equals_the_batched_numpy_start():
    """The linear-programming start over lanes (thermo._eq_start_lanes) against the numpy
    reference of the same simplex (thermo.equilibrium_start): same settled cases, same start."""
    from carbonhub.thermo._eq_start_lanes import lp_start_lanes
    from carbonhub.thermo.equilibrium_start import lp_start

    args, b = _start_args(300, 34, 5)
    G, A = args[0], args[2]
    lnn, lnN, settled = lp_start_lanes(*args, LANES)
    allowed = ~((A[None] > 0) & ~(b > 1e-300)[:, None, :]).any(axis=2)
    ref_lnn, ref_lnN, ref_settled = lp_start(A, G.T, b, allowed)
    assert not settled[:5].any() and settled[5:].sum() > 250
    assert np.array_equal(settled, ref_settled)
    np.testing.assert_allclose(lnN[settled], ref_lnN[settled], rtol=0, atol=1e-12)
    np.testing.assert_allclose(np.where(allowed, lnn, 0)[settled], np.where(allowed, ref_lnn, 0)[settled],
                               rtol=1e-12, atol=1e-12)


@pytest.mark.unit
def test_kernel_flags_the_cases_off_their_element_balance():
    """The lanes kernel's own balance check (status OFF_BALANCE) marks exactly the converged
    cases whose sum_j a_jk n_j is off b_k by more than 1e-12 b_k for some element k, computed
    here independently (numpy, float128 sums): the trace-S gasifier state of
    test_equilibrium.py (S at 6e-5 of the moles stops 4.6e-7 off its own inventory) among
    syngas states that balance."""
    from carbonhub.thermo._eq_kernel import OFF_BALANCE
    from carbonhub.thermo.components import default_components

    sp = ["H2", "CO", "CO2", "H2O", "CH4", "N2", "Ar", "H2S", "COS", "NH3", "HCl", "O2", "SO2"]
    trace = [0.5983989115059776, 0.8162025672823446, 0, 0, 0.049218526467655344, 0.6931679115943162,
             0.000921108989473704, 0.00014387146603957824, 0, 0, 0.0033829477921565824, 0, 0]
    rng = np.random.default_rng(34)
    mol = np.vstack([rng.uniform(0.0, 1.0, (20, len(sp))) * (rng.uniform(size=(20, len(sp))) > 0.5), [trace]])
    mol[:-1, 1] += 0.05
    T = np.concatenate([rng.uniform(700.0, 1600.0, 20), [1476.52109195]])
    P = np.concatenate([rng.uniform(1e5, 40e5, 20), [358262.66631655]])
    prep, _, n0, T, P = _validate(sp, mol, T, P, default_components())
    b = n0 @ prep.A
    b = np.ascontiguousarray(b / b.sum(axis=1, keepdims=True))
    sub = prep.sub
    n, _, _, status = solve_gas(prep.A, sub.low, sub.high, sub.tmid, sub.molar_volume, T, P, P_REF, R, b.T.copy(),
                                1e-13, 300, LANES, 1e-12, np.ones(len(T)))
    err = np.abs((n.astype(np.longdouble) @ prep.A.astype(np.longdouble)) - b)
    off = (err > 1e-12 * b).any(axis=1)
    assert off[-1] and status[-1] == OFF_BALANCE
    assert np.array_equal(status == OFF_BALANCE, off & (status != 1) & (status != 2))


@pytest.mark.unit
def test_compiled_wrapper_equals_the_checked_path():
    """equilibrate's compiled pass for a gas-only batch (inventory, checks and the
    scaling of the moles in the kernels) gives the checked path's result to the last bit, and
    hands a batch it does not take (an empty case, T outside the data, a bad value) to that
    path, which names the problem or flags the cases."""
    from carbonhub.thermo import equilibrium as eq

    mol, T, P = gas_cases(300, 35)
    mol[7] *= 1e3  # inventories of other sizes: the scaling is per case
    mol[8] *= 1e-4
    fast = equilibrate(GAS, mol, T, P)  # the compiled pass
    assert eq._gas_lanes(GAS, mol, T, P, None, 1e-13, 300, None, "auto") is not None
    prep, sp, n0, Tc, Pc = _validate(GAS, mol, T, P, None)
    r, off = eq._equilibrate(prep, sp, n0, Tc, Pc, None, "auto", 1e-13, 300, None)
    checked = eq._restore_elements(r, off, prep, sp, n0, Tc, Pc, None, "auto", 1e-13, 300)
    for f in ("moles", "status", "iterations", "element_potentials"):
        assert np.array_equal(getattr(fast, f), getattr(checked, f)), f
    odd = mol[:3].copy()
    odd[1] = 0.0
    res = equilibrate(GAS, odd, np.array([900.0, 900.0, 7000.0]), 1e5)
    assert res.status[0] == "ok" and "no atoms" in res.status[1] and "outside the NASA-7" in res.status[2]
    assert np.array_equal(res.moles[0], equilibrate(GAS, odd[:1], 900.0, 1e5).moles[0])
    odd[1, 2] = -1.0
    with pytest.raises(ValueError, match=r"moles\[1, CO2\] = -1\.0 mol"):
        equilibrate(GAS, odd, 900.0, 1e5)
    with pytest.raises(ValueError, match=r"P = inf Pa in case 0"):
        equilibrate(GAS, mol[:2], 900.0, np.inf)


@pytest.mark.unit
def test_five_element_solve_against_numpy():
    """The written-out Newton solve for five elements (thermo._eq_lanes._ldl5): each lane's
    6 x 6 system (positive definite element block, negative ln N pivot, as in the kernel) solved
    as numpy.linalg.solve does to 1e-12; a lane with a zero element row, or without a finite
    Schur complement, is flagged and no other."""
    from carbonhub.thermo._eq_lanes import _ldl5

    rng = np.random.default_rng(36)
    M = np.zeros((6, 6, LANES))
    for l in range(LANES):
        B = rng.normal(size=(5, 5))
        M[:5, :5, l] = B @ B.T + 0.5 * np.eye(5)
        M[:5, 5, l] = M[5, :5, l] = rng.uniform(0.0, 1.0, 5)
        M[5, 5, l] = -rng.uniform(0.5, 2.0)
    M[2, :, 7] = M[:, 2, 7] = 0.0  # an element row of zeros: not positive definite
    M[5, 5, 11] = np.nan  # no finite Schur complement
    r = rng.normal(size=(6, LANES))
    x = np.zeros((6, LANES))
    bad = np.zeros(LANES, np.bool_)
    _ldl5(np.concatenate([M, r[None]]), x, bad)  # the right-hand side as the last row
    good = np.ones(LANES, bool)
    good[[7, 11]] = False
    assert bad[7] and bad[11] and not bad[good].any()
    for l in np.flatnonzero(good):
        np.testing.assert_allclose(x[:, l], np.linalg.solve(M[:, :, l], r[:, l]), rtol=1e-12, atol=1e-12)


@pytest.mark.unit
def test_five_element_pivots_equal_the_general_pivots():
    """The start's pivots written out for five elements (thermo._eq_start_lanes._pivots5, taken
    at LANES lanes) give the general lane code's start to the last bit (the same operations in the
    same order), on cases with absent elements, pure steam (a degenerate vertex: no start) and
    a batch that leaves spare lanes in its last block."""
    from carbonhub.thermo._eq_start_lanes import lp_start_lanes

    args, b = _start_args(3 * LANES + 17, 37, 4)
    fast, general = lp_start_lanes(*args, LANES), lp_start_lanes(*args, LANES - 1)
    assert not fast[2][:4].any() and fast[2][4:].sum() > 150 and (b == 0).any()
    assert all(np.array_equal(x, y) for x, y in zip(fast, general))
