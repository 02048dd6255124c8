"""Ideal K-values: vapour pressures against reference equations of state (CoolProp, the same
equations as the NIST Webbook fluid data) and cited data points, Henry constants against
measured solubilities, the batched Rachford-Rice solver against scipy's brentq per case,
range policies and bad input."""
from __future__ import annotations

import warnings

import CoolProp.CoolProp as CP
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.optimize import brentq

from carbonhub.thermo import ComponentSet
from carbonhub.thermo.kvalues import (KValueDataError, KValueModel, KValueRangeError,
                                      KValueRangeWarning, bubble_temperature, dew_temperature,
                                      kvalue_data, rachford_rice, vapour_pressure)

# carbonhub id -> (CoolProp fluid, tolerance, lowest T checked): CoolProp implements the
# reference equations of state (e.g. IAPWS-95 for water, Span-Wagner for CO2).
REFERENCE = {
    "H2O": ("Water", 0.006, 273.16), "CH3OH": ("Methanol", 0.03, 280.0),
    "DME": ("DimethylEther", 0.01, 250.0), "CH4": ("Methane", 0.005, 100.0),
    "C2H6": ("Ethane", 0.01, 150.0), "C2H4": ("Ethylene", 0.025, 130.0),
    "C3H8": ("Propane", 0.01, 170.0), "C3H6": ("Propylene", 0.025, 170.0),
    "C4H10": ("n-Butane", 0.01, 200.0), "C4H8": ("1-Butene", 0.025, 250.0),
    "C5H12": ("n-Pentane", 0.012, 220.0), "C7H16": ("n-Heptane", 0.01, 250.0),
    "C8H18": ("n-Octane", 0.01, 250.0), "C12H26": ("n-Dodecane", 0.015, 270.0),
    "CO2": ("CO2", 0.004, 217.0), "H2S": ("H2S", 0.016, 190.0), "NH3": ("Ammonia", 0.017, 200.0),
    "SO2": ("SulfurDioxide", 0.037, 200.0), "HCl": ("HydrogenChloride", 0.015, 160.0),
    "COS": ("CarbonylSulfide", 0.005, 135.0), "CO": ("CarbonMonoxide", 0.006, 70.0),
    "N2": ("Nitrogen", 0.003, 65.0), "O2": ("Oxygen", 0.01, 60.0), "Ar": ("Argon", 0.005, 84.0),
    "H2": ("Hydrogen", 0.016, 14.0),
}


FITTED_TO_REFERENCE = {"COS"}
"""Species whose vapour-pressure constants were fitted to the same CoolProp equation of state
they are compared with here (kvalue_data.yaml: source lemmon_span_2006_fit; no published
correlation was found): for them the comparison is a regression check of the fit, not an
independent validation."""


@pytest.mark.unit
@pytest.mark.parametrize("cid", sorted(set(REFERENCE) - FITTED_TO_REFERENCE))
def test_vapour_pressure_matches_reference_eos(cid):
    """Perry's Table 2-8 constants against an independent reference equation of state."""
    _check_against_coolprop(cid)


@pytest.mark.unit
@pytest.mark.parametrize("cid", sorted(FITTED_TO_REFERENCE))
def test_vapour_pressure_fit_regression(cid):
    """Regression check of a fit: the constants were fitted to this CoolProp equation of state
    (Lemmon & Span 2006 for COS), so agreement shows only that the fit is reproduced."""
    assert kvalue_data()["vapour_pressure"][cid].source.endswith("_fit")
    _check_against_coolprop(cid)


def _check_against_coolprop(cid):
    fluid, tol, t_lo = REFERENCE[cid]
    vp = kvalue_data()["vapour_pressure"][cid]
    T = np.linspace(max(vp.Tmin, t_lo, CP.PropsSI("Ttriple", fluid)) + 0.5,
                    min(vp.Tmax, CP.PropsSI("Tcrit", fluid)) - 0.5, 40)
    ref = CP.PropsSI("P", "T", T, "Q", 0, fluid)
    got = vapour_pressure([cid], T)[:, 0]
    assert np.abs(got / ref - 1).max() < tol


@pytest.mark.unit
@pytest.mark.parametrize("cid, T_boil, tol", [
    ("H2O", 373.124, 0.002),     # IAPWS-95 normal boiling point (Wagner & Pruss 2002)
    ("CH3OH", 337.8, 0.02),      # NIST Webbook, methanol Tboil 337.8 +- 0.3 K
    ("C16H34", 560.0, 0.05),     # NIST Webbook, hexadecane Tboil ~ 560 K
    ("C8H18", 398.8, 0.02),      # NIST Webbook, octane Tboil 398.8 K
])
def test_normal_boiling_points(cid, T_boil, tol):
    assert vapour_pressure([cid], T_boil)[0, 0] == pytest.approx(101325.0, rel=tol)


@pytest.mark.unit
def test_bubble_point_of_pure_methanol_and_water():
    km = KValueModel(ComponentSet.from_ids(["CH3OH", "H2O", "H2O(L)"]))
    T, ok = bubble_temperature(km, np.array([[1.0, 0, 0], [0, 0, 1.0]]), 101325.0)
    assert ok.all()
    assert T[0] == pytest.approx(337.8, abs=0.5)      # NIST Webbook
    assert T[1] == pytest.approx(373.124, abs=0.2)    # IAPWS-95
    Td, okd = dew_temperature(km, np.array([[1.0, 0, 0]]), 101325.0)
    assert okd.all() and Td[0] == pytest.approx(T[0], rel=1e-9)


@pytest.mark.unit
def test_henry_solubilities_match_measurements():
    """Mole fraction in water under 1 atm of the pure gas at 298.15 K: CO2 6.1e-4 (Carroll,
    Slupsky, Mather 1991, J. Phys. Chem. Ref. Data 20:1201, doi:10.1063/1.555900); O2 2.3e-5
    (Battino, Rettich, Tominaga 1983, J. Phys. Chem. Ref. Data 12:163, doi:10.1063/1.555680)."""
    km = KValueModel(ComponentSet.from_ids(["CO2", "O2", "H2O", "H2O(L)"]))
    K = km.K([298.15], [101325.0])[0]
    assert 1 / K[0] == pytest.approx(6.1e-4, rel=0.05)
    assert 1 / K[1] == pytest.approx(2.3e-5, rel=0.05)


@pytest.mark.unit
def test_models_and_overrides():
    cs = ComponentSet.from_ids(["H2", "CH4", "CO2", "C2H4", "C30H62", "C(s)", "H2O", "H2O(L)"])
    d = KValueModel(cs).describe()
    assert d == {"H2": "henry", "CH4": "henry", "CO2": "henry", "C2H4": "raoult",
                 "C30H62": "nonvolatile", "C(s)": "nonvolatile", "H2O": "raoult", "H2O(L)": "raoult"}
    d2 = KValueModel(cs, light_gases="raoult", solutes="raoult", overrides={"H2": "noncondensable"}).describe()
    assert d2["H2"] == "noncondensable" and d2["CH4"] == "raoult" and d2["CO2"] == "raoult"
    K = KValueModel(cs, light_gases="noncondensable").K([300.0], [1e5])[0]
    assert K[0] > 1e14 and K[4] == 0.0 and K[5] == 0.0


@pytest.mark.unit
def test_range_policies_name_component_T_and_range():
    cs = ComponentSet.from_ids(["C2H4", "C8H18"])
    km = KValueModel(cs)
    T = np.array([250.0, 320.0])
    present = np.ones((2, 2), dtype=bool)
    with pytest.warns(KValueRangeWarning, match=r"C2H4 at T = 320-320 K \(valid 104-282.34 K\)"):
        km.check(T, present, "warn")
    with pytest.raises(KValueRangeError, match="C2H4"):
        km.check(T, present, "raise")
    st_ = km.check(T, present, "status")
    assert st_[0] == "ok" and "C2H4" in st_[1] and "320" in st_[1]
    assert km.check(T, present, "ignore") is None
    # absent components are not reported
    assert km.check(T, np.array([[True, True], [False, True]]), "status") is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        vapour_pressure(["H2O"], [300.0, 400.0])  # inside the range: silent


@pytest.mark.unit
def test_extrapolation_is_continuous_and_monotone():
    T = np.linspace(200.0, 800.0, 601)
    with pytest.warns(KValueRangeWarning):
        P = vapour_pressure(["H2O"], T)[:, 0]
    assert (np.diff(np.log(P)) > 0).all()
    Tc = 647.096
    lo, hi = vapour_pressure(["H2O"], [Tc - 1e-7], "ignore"), vapour_pressure(["H2O"], [Tc + 1e-7], "ignore")
    assert hi[0, 0] == pytest.approx(lo[0, 0], rel=1e-6)


@pytest.mark.unit
def test_bad_input():
    with pytest.raises(KValueDataError, match="ASH"):
        vapour_pressure(["ASH"], 300.0)
    with pytest.raises(ValueError, match="T = -5"):
        vapour_pressure(["H2O"], -5.0)
    km = KValueModel(ComponentSet.from_ids(["H2O", "H2O(L)"]))
    with pytest.raises(ValueError, match="P = 0"):
        km.K([300.0], [0.0])
    with pytest.raises(ValueError, match="solutes"):
        KValueModel(ComponentSet.from_ids(["CO2"]), solutes="noncondensable")
    with pytest.raises(ValueError, match="overrides"):
        KValueModel(ComponentSet.from_ids(["CO2"]), overrides={"CO2": "magic"})
    with pytest.raises(KValueDataError, match="no Henry constant"):
        KValueModel(ComponentSet.from_ids(["C2H6"]), overrides={"C2H6": "henry"})


def _rr_brentq(z, K):
    """Independent Rachford-Rice: scipy brentq on [0, 1] per case (K = 0 and K = inf allowed)."""
    out = []
    for zi, Ki in zip(z, K):
        pr = zi > 0

        def f(b):
            with np.errstate(all="ignore"):
                return float(np.sum(zi[pr] * (Ki[pr] - 1) / (1 + b * (Ki[pr] - 1))))
        hi = 1.0 if (Ki[pr] > 0).all() else 1.0 - 1e-15
        if f(0.0) <= 0:
            out.append(0.0)
        elif f(hi) >= 0:
            out.append(1.0)
        else:
            out.append(brentq(f, 0.0, hi, xtol=1e-15, rtol=1e-15, maxiter=500))
    return np.array(out)


@pytest.mark.unit
@settings(deadline=None, max_examples=25)
@given(z=hnp.arrays(float, (6, 5), elements=st.floats(0.0, 1.0)),
       lnK=hnp.arrays(float, (6, 5), elements=st.floats(-8.0, 8.0)),
       special=st.booleans())
def test_rachford_rice_matches_brentq(z, lnK, special):
    z = np.where(z < 1e-9, 0.0, z)  # no denormal mole fractions
    z[:, 0] += 0.01
    z = z / z.sum(axis=1, keepdims=True)
    K = np.exp(lnK)
    if special:  # a non-volatile and a (nearly) non-condensable component
        K[:, 3] = 0.0
        K[:, 4] = 1e15
    beta, _ = rachford_rice(z, K)
    ref = _rr_brentq(z, K)
    assert np.allclose(beta, ref, atol=1e-10, rtol=1e-9)


@pytest.mark.unit
@pytest.mark.parametrize("engine", ["numba", "numpy"])
def test_rachford_rice_root_on_the_upper_bound(engine):
    """A methanol-loop flash: four non-condensable gases (K = 1e15) and methanol. The liquid is
    nearly pure methanol, so the root lies within ~1e-15 of Leibovici & Neoschil's upper bound
    (1 - z_m)/(1 - K_m); a Newton step on f leaves the bracket there and bisection took 33
    iterations per case on the BioSTEAM benchmark's states. The pole-factored function must
    land on the root (brentq to 1e-15) in a few steps, with both engines."""
    rng = np.random.default_rng(3)
    n = 200
    z = rng.uniform(0.02, 0.6, (n, 5))
    z[:, 4] = rng.uniform(0.05, 0.3, n)  # methanol: two phases at its K below
    z[:, :4] *= (1 - z[:, 4:]) / z[:, :4].sum(axis=1, keepdims=True)
    K = np.full((n, 5), 1e15)
    K[:, 4] = np.exp(rng.uniform(np.log(1e-3), np.log(1e-2), n))
    beta, its = rachford_rice(z, K, engine=engine)
    ref = _rr_brentq(z, K)
    assert np.allclose(beta, ref, rtol=1e-13, atol=0.0)
    f = (z * (K - 1) / (1 + beta[:, None] * (K - 1))).sum(axis=1)
    assert np.abs(f).max() < 1e-13
    assert its.max() <= 4
