"""The compiled tray-column diameter (unitops/_column_kernel.py) equals its numpy reference
(``column_diameter(engine="numpy")``) to the last bit, on random top and bottom compositions with
water, a solid, zero, negative and non-finite entries; a case alone equals its batch; and one
case against the Souders-Brown sizing worked by hand (an independent computation)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from carbonhub.thermo import ComponentSet
from carbonhub.unitops.column_diameter import column_diameter

pytest.importorskip("numba")

CS = ComponentSet.from_ids(["H2", "CH4", "C2H4", "C2H6", "C3H6", "C3H8", "C4H8", "CH3OH", "H2O", "C(s)"])
N = 3000


def _case(seed: int):
    rng = np.random.default_rng(seed)
    k = len(CS.ids)

    def x():
        a = rng.uniform(0.0, 1.0, (N, k)) * (rng.uniform(size=(N, k)) < 0.5)
        a[:, 0] = 0.0  # a column absent from the batch
        a[5, 3], a[6, 2], a[7], a[9, 2], a[11, 1], a[12, 4] = np.nan, np.inf, 0.0, -0.0, -1e-3, 1e300
        return a

    V = rng.uniform(0.0, 300.0, N)
    V[3], V[4], V[13] = -1.0, 0.0, np.nan
    T = rng.uniform(120.0, 420.0, N)
    T[8] = np.inf
    P = rng.uniform(1e5, 3e6, N)
    P[14] = 0.0
    rho_org = rng.uniform(450.0, 800.0, N)
    return (CS, V, T, x(), 1.3 * V, T + 40.0, x(), P, rho_org, rng.uniform(0.05, 0.12, N),
            rng.uniform(0.6, 0.9, N), 0.3)


def _bits(a):
    return np.ascontiguousarray(a).view(np.int64)


@pytest.mark.unit
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_compiled_equals_numpy_to_the_bit(seed):
    args = _case(seed)
    with np.errstate(all="ignore"):
        ref = column_diameter(*args, engine="numpy")
    got = column_diameter(*args, engine="numba")
    assert np.isnan(ref).any() and np.isinf(ref).any() and (ref == 0.3).any()  # the odd cases are exercised
    assert np.array_equal(_bits(got), _bits(ref))


@pytest.mark.unit
def test_a_case_alone_equals_its_batch():
    cs, V, T, xt, Vb, Tb, xb, P, ro, c, f, dmin = _case(3)
    got = column_diameter(cs, V, T, xt, Vb, Tb, xb, P, ro, c, f, dmin)
    for i in (0, 1, 17, 250):
        one = column_diameter(cs, V[i:i + 1], T[i:i + 1], xt[i:i + 1], Vb[i:i + 1], Tb[i:i + 1], xb[i:i + 1],
                              P[i:i + 1], ro[i:i + 1], c[i:i + 1], f[i:i + 1], dmin)
        assert _bits(one)[0] == _bits(got)[i]


@pytest.mark.unit
@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_souders_brown_by_hand(engine):
    """Top: 0.9 propane / 0.1 water; bottom: pure propane. rho_L by ideal mixing of volumes (water
    997 kg/m3, propane at rho_organic), rho_V = P M / (R T), u = C_sb sqrt((rho_L - rho_V) / rho_V),
    A = V R T / P / (0.9 f u), d = sqrt(4 A / pi); the column takes the larger."""
    cs = ComponentSet.from_ids(["C3H8", "H2O"])
    M = {"C3H8": 0.0440962, "H2O": 0.01801528}  # kg/mol (IUPAC atomic weights)
    R, P, C, f, rho_o = 8.314462618, 15e5, 0.09, 0.8, 500.0

    def d_hand(V, T, x3, xw):
        m3, mw = x3 * M["C3H8"], xw * M["H2O"]
        rho_l = (m3 + mw) / (m3 / rho_o + mw / 997.0)
        rho_v = P * (m3 + mw) / (R * T)
        u = C * math.sqrt((rho_l - rho_v) / rho_v)
        return math.sqrt(4.0 * (V * R * T / P / (0.9 * f * u)) / math.pi)

    one = np.ones(1)
    got = column_diameter(cs, 80.0 * one, 315.0 * one, np.array([[0.9, 0.1]]), 95.0 * one, 330.0 * one,
                          np.array([[1.0, 0.0]]), P * one, rho_o * one, C * one, f * one, 0.3, engine=engine)
    want = max(d_hand(80.0, 315.0, 0.9, 0.1), d_hand(95.0, 330.0, 1.0, 0.0))
    assert got[0] == pytest.approx(want, rel=1e-4)  # the component data round molar masses to 1 mg/mol
