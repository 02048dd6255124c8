"""Water-gas shift, mode h2_co, adiabatic bed: a target short of equilibrium is taken directly
(its extent and adiabatic temperature, without the equilibrium Newton); a target near or
beyond equilibrium keeps the full path. Both must give what the full path gives, with the
same flags, case by case and in any batch."""
from __future__ import annotations

import cantera as ct
import numpy as np
import pytest

import carbonhub.unitops.shift as shift
from carbonhub.core import Stream
from carbonhub.thermo import ComponentSet
from carbonhub.unitops.shift import WaterGasShift

IDS = ["CO", "H2O", "CO2", "H2", "N2", "CH4"]
CS = ComponentSet.from_ids(IDS)
FEED = {"CO": 1.0, "H2": 0.8, "CO2": 0.2, "N2": 0.3, "CH4": 0.05}
STEAM = 1.3
T_IN = 573.15


def _run(h2_co: np.ndarray):
    n = h2_co.size
    f = Stream.from_flows(CS, {k: np.full(n, v) for k, v in FEED.items()}, T=np.full(n, 500.0), P=25e5)
    s = Stream.from_flows(CS, {"H2O": np.full(n, STEAM)}, T=np.full(n, 500.0), P=25e5)
    u = WaterGasShift("w", mode="h2_co", thermal="adiabatic", T=T_IN)
    return u.run({"feed": f, "steam": s}, u.resolve({"h2_co": h2_co}, n))


def _equilibrium_h2_co() -> float:
    """H2/CO at the adiabatic equilibrium of this feed (the unit's equilibrium mode, checked
    against Cantera's HP equilibrium in tests/unitops/test_cleanup.py)."""
    f = Stream.from_flows(CS, FEED, T=500.0, P=25e5)
    s = Stream.from_flows(CS, {"H2O": STEAM}, T=500.0, P=25e5)
    u = WaterGasShift("w", mode="equilibrium", thermal="adiabatic", T=T_IN)
    r = u.run({"feed": f, "steam": s}, u.resolve({}, 1))
    return float(r.design["h2_co_out"][0])


@pytest.mark.unit
def test_targets_short_of_and_beyond_equilibrium_as_the_full_path(monkeypatch):
    r_eq = _equilibrium_h2_co()
    # well short, just short (inside the 1e-9 margin: full path), at and beyond equilibrium
    h2_co = np.array([0.9, 1.5, 0.5 * r_eq, 0.999 * r_eq, r_eq * (1 - 1e-13), r_eq, 1.01 * r_eq, 3 * r_eq])
    taken = []
    real = shift._target_short_of_equilibrium

    def spy(*args):
        out = real(*args)
        taken.append(out[0])
        return out

    monkeypatch.setattr(shift, "_target_short_of_equilibrium", spy)
    new = _run(h2_co)
    # the shortcut takes the cases short of equilibrium by more than its margin, and only those
    assert taken[0].tolist() == [True, True, True, True, False, False, False, False]
    monkeypatch.setattr(shift, "_target_short_of_equilibrium",
                        lambda n0, nb, tot, H_T, p, cand, bed_T, cs: (np.zeros(n0.shape[0], dtype=bool),
                                                                      np.zeros(0), np.zeros(0)))
    old = _run(h2_co)
    np.testing.assert_allclose(new.outlets["out"].flow, old.outlets["out"].flow, rtol=1e-12, atol=1e-15)
    # the bed temperature solved from another start: equal within solve_T_for_H's tolerance
    # (enthalpy residual <= 1e-12 of max(|H|, 1e4 sum n), here ~2e-12 of T)
    np.testing.assert_allclose(new.design["T_reactor_K"], old.design["T_reactor_K"], rtol=1e-10)
    np.testing.assert_allclose(new.heat, old.heat, rtol=1e-9, atol=1e-9)
    assert list(new.status) == list(old.status)
    beyond = h2_co > r_eq * (1 + 1e-9)
    assert all(("beyond the shift equilibrium" in s) == b for s, b in zip(new.status, beyond))
    short = h2_co < 0.999 * r_eq * (1 + 1e-12)
    np.testing.assert_allclose(new.design["h2_co_out"][short], h2_co[short], rtol=1e-12)


@pytest.mark.unit
def test_adiabatic_temperature_of_a_target_equals_cantera_enthalpy_balance():
    """The bed outlet at the target extent has the enthalpy of the reactor inlet at T_IN
    (Cantera's NASA-7 enthalpies, independent of the unit's thermo)."""
    r = _run(np.array([1.2, 1.8]))
    sp = {s.name: s for s in ct.Species.list_from_file("nasa_gas.yaml")}
    gas = ct.Solution(thermo="ideal-gas", species=[sp[k] for k in IDS])

    def H(moles: np.ndarray, T: float) -> float:
        gas.TP = T, ct.one_atm
        return float(moles @ gas.partial_molar_enthalpies) / 1e3  # W per mol/s

    rin = np.array([FEED.get(k, 0.0) + (STEAM if k == "H2O" else 0.0) for k in IDS])
    for i in range(2):
        assert r.status is None or r.status[i] == "ok"
        out = r.outlets["out"].flow[i, [CS.index(k) for k in IDS]]
        assert H(out, r.design["T_reactor_K"][i]) == pytest.approx(H(rin, T_IN), rel=1e-10)


@pytest.mark.unit
def test_a_case_has_the_same_bits_in_a_batch_and_alone():
    r_eq = _equilibrium_h2_co()
    h2_co = np.array([1.1, 1.01 * r_eq, 0.7 * r_eq, r_eq * (1 - 1e-13), 1.9])
    rb = _run(h2_co)
    for i in range(h2_co.size):
        r1 = _run(h2_co[i:i + 1])
        assert np.array_equal(rb.outlets["out"].flow[i], r1.outlets["out"].flow[0])
        assert rb.outlets["out"].T[i] == r1.outlets["out"].T[0]
