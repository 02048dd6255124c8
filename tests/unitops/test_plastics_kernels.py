"""Compiled kernels of plastics_pyrolysis's units (unitops/_plastics_kernels.py) against the
units' numpy paths, on random batches with per-case parameters: every outlet array, heat,
design and utility entry, status.

Two references: the unit's numpy path with the thermo kernels it calls by default (only the
unit's own switch turned off: the kernel does the same operations in the same order, so equal
to the last bit, signs of zero included), and the all-numpy path (``CARBONHUB_NUMBA=0``),
whose enthalpies sum the species in numpy's own order: there, flows are equal to the last bit
(no enthalpy enters them) and heats agree to 1e-12 of the streams' enthalpy flows. Element
and energy balances are checked on the kernels' own outputs."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core import Stream
from carbonhub.thermo.components import pyrolysis_components
from carbonhub.unitops import hydrotreating, pyrolysis
from carbonhub.unitops.hydrotreating import REACTIONS, Hydrotreater
from carbonhub.unitops.pyrolysis import PyrolysisCondenser

CS = pyrolysis_components()
OIL = ("C8H16", "C16H32", "C30H60", "C8H8", "C8H18", "C16H34", "C6H6", "C7H8", "CH2Cl2", "C6H5OH",
       "CH3CN", "C4H8", "C2H4", "CH4", "H2O", "HCl", "NH3")


def _oil(n, seed, species=OIL):
    """Random oil feeds: each species present in about 2/3 of the cases (exact zeros elsewhere),
    case 0 without any flow."""
    rng = np.random.default_rng(seed)
    f = np.zeros((n, len(CS)))
    for k in species:
        f[:, CS.index(k)] = rng.uniform(0.0, 2.0, n) * (rng.random(n) < 0.67)
    f[0] = 0.0
    return Stream(CS, f, rng.uniform(300.0, 700.0, n), rng.uniform(1e5, 60e5, n))


def _h2(n, seed, rich):
    rng = np.random.default_rng(seed + 1)
    f = np.zeros((n, len(CS)))
    f[:, CS.index("H2")] = rng.uniform(0.0, 40.0 if rich else 3.0, n)
    f[:, CS.index("CH4")] = rng.uniform(0.0, 0.3, n)
    return Stream(CS, f, rng.uniform(290.0, 400.0, n), rng.uniform(30e5, 60e5, n))


def _ht_params(n, seed):
    rng = np.random.default_rng(seed + 2)
    return {"T": rng.uniform(560.0, 700.0, n), "T_out": rng.uniform(290.0, 500.0, n),
            "X_saturation": rng.uniform(0.5, 1.0, n), "X_dechlorination": rng.uniform(0.5, 1.0, n),
            "X_deoxygenation": rng.uniform(0.0, 1.0, n), "X_denitrogenation": rng.uniform(0.5, 1.0, n)}


def _arrays(r):
    """Every array a unit result holds, by name."""
    out = {"heat": r.heat, "power": r.power}
    for port, s in r.outlets.items():
        out.update({f"{port}.flow": s.flow, f"{port}.T": s.T, f"{port}.P": s.P, f"{port}.origin": s.origin})
    out.update({f"design.{k}": np.asarray(v) for k, v in r.design.items()})
    out.update({f"utility.{k}": np.asarray(v) for k, v in r.utilities.items()})
    out["status"] = np.asarray(r.status if r.status is not None else np.full(r.heat.size, "ok", dtype=object))
    return out


def _same_bits(a, b):
    assert a.keys() == b.keys()
    for k in a:
        x, y = np.asarray(a[k]), np.asarray(b[k])
        assert x.shape == y.shape, k
        if x.dtype.kind == "f":
            # equal to the last bit: the same values, NaNs where NaNs, the same signs of zero
            assert np.array_equal(x.view(np.int64), y.view(np.int64)), k
        else:
            assert np.array_equal(x, y), k


def _close(a, b, scale):
    for k in a:
        x, y = np.asarray(a[k]), np.asarray(b[k])
        if k.endswith(".flow") or k.endswith(".origin") or x.dtype.kind != "f":
            np.testing.assert_array_equal(x, y, err_msg=k)
        else:
            np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-12 * scale, err_msg=k)


def _enthalpy_scale(*streams):
    return max(float(np.abs(s.flow * s.cs.h(s.T)).sum(axis=1).max()) for s in streams) + 1.0


def _engines(monkeypatch, module, run):
    """(kernel, the unit's numpy path, all numpy) results of ``run()``."""
    k = _arrays(run())
    monkeypatch.setattr(module, "use_numba", lambda engine="auto": False)
    ref = _arrays(run())
    monkeypatch.undo()
    monkeypatch.setenv("CARBONHUB_NUMBA", "0")
    allnp = _arrays(run())
    monkeypatch.undo()
    return k, ref, allnp


def _balance(ins, r):
    e_in = sum(s.element_flows for s in ins)
    e_out = sum(o.element_flows for o in r.outlets.values())
    np.testing.assert_allclose(e_out, e_in, rtol=1e-12, atol=1e-12 * np.abs(e_in).max())
    h_in = sum(s.enthalpy for s in ins)
    h_out = sum(o.enthalpy for o in r.outlets.values())
    np.testing.assert_allclose(h_in + r.heat, h_out, rtol=1e-9, atol=1e-6 * _enthalpy_scale(*ins))


@pytest.mark.unit
@pytest.mark.parametrize("rich", [True, False])  # H2 in excess / short in most cases
@pytest.mark.parametrize("h2_short", ["status", "scale"])
def test_hydrotreater_kernel_equals_its_numpy_path(monkeypatch, rich, h2_short):
    n = 400
    s, h = _oil(n, 3, OIL + ("H2",)), _h2(n, 3, rich)
    u = Hydrotreater("ht", h2_short=h2_short)
    p = _ht_params(n, 3)
    k, ref, allnp = _engines(monkeypatch, hydrotreating, lambda: u.run({"feed": s, "h2": h}, u.resolve(p, n)))
    _same_bits(k, ref)
    _close(k, allnp, _enthalpy_scale(s, h))
    short = k["design.h2_demand_mol_s"] > k["design.h2_consumed_mol_s"] * (1 + 1e-9)
    assert 0 < short.sum() < n and (short.sum() < n // 4) == rich  # both branches met
    r = u.run({"feed": s, "h2": h}, u.resolve(p, n))
    _balance((s, h), r)
    # the H2 consumed, independently: each class's conversion x reactant flow x its H2,
    # scaled where the H2 is short
    f0 = s.flow + h.flow
    want = sum(p[f"X_{cls}"] * f0[:, CS.index(sp)] * h2n for sp, (cls, h2n, _) in REACTIONS.items())
    f2 = f0[:, CS.index("H2")]
    scale = np.where(want > f2 * (1 + 1e-12), f2 / np.where(want > 0, want, 1), 1)
    np.testing.assert_allclose(r.design["h2_consumed_mol_s"], want * scale, rtol=1e-12, atol=1e-15)


@pytest.mark.unit
def test_hydrotreater_kernel_on_a_narrow_set_without_some_reactants(monkeypatch):
    """Inside the treat-gas loop the component set is narrowed (core.narrow): reactants no case
    carries drop out of the reaction matrix; the kernel follows the same columns."""
    ids = ["H2", "CH4", "HCl", "H2O", "NH3", "C2H6", "C8H16", "C8H18", "CH2Cl2", "C6H6", "C16H34"]
    cs = CS.subset(ids)
    n = 50
    rng = np.random.default_rng(5)
    f = rng.uniform(0.0, 1.0, (n, len(ids))) * (rng.random((n, len(ids))) < 0.7)
    s = Stream(cs, f, 330.0, 40e5)
    h = Stream.from_flows(cs, {"H2": rng.uniform(0.0, 2.0, n)}, T=320.0, P=40e5)
    u = Hydrotreater("ht")
    k, ref, _ = _engines(monkeypatch, hydrotreating, lambda: u.run({"feed": s, "h2": h}, u.resolve({}, n)))
    _same_bits(k, ref)


@pytest.mark.unit
def test_condenser_kernel_equals_its_numpy_path(monkeypatch):
    n = 400
    s = _oil(n, 11, OIL + ("H2", "CO", "CO2", "H2O(L)", "CH3COOH"))
    rng = np.random.default_rng(12)
    p = {"T": rng.uniform(280.0, 370.0, n), "hcl_to_water": rng.uniform(0.0, 1.0, n),
         "nh3_to_water": rng.uniform(0.0, 1.0, n)}
    u = PyrolysisCondenser("cond")
    k, ref, allnp = _engines(monkeypatch, pyrolysis, lambda: u.run({"feed": s}, u.resolve(p, n)))
    _same_bits(k, ref)
    _close(k, allnp, _enthalpy_scale(s))
    r = u.run({"feed": s}, u.resolve(p, n))
    _balance((s,), r)
    # independently: the water takes the set fractions of HCl and NH3 and all the water as liquid
    w = r.outlets["water"]
    np.testing.assert_array_equal(w["HCl"], s["HCl"] * p["hcl_to_water"])
    np.testing.assert_array_equal(w["H2O(L)"], s["H2O(L)"] + s["H2O"])
    assert not w["H2O"].any()


@pytest.mark.unit
def test_kernels_give_a_case_alone_its_batch_answer():
    n = 60
    s, h = _oil(n, 21, OIL + ("H2",)), _h2(n, 21, True)
    u = Hydrotreater("ht")
    p = _ht_params(n, 21)
    whole = _arrays(u.run({"feed": s, "h2": h}, u.resolve(p, n)))
    for i in (0, 7, n - 1):
        pi = u.resolve({k: v[i:i + 1] for k, v in p.items()}, 1)
        one = _arrays(u.run({"feed": s.take([i]), "h2": h.take([i])}, pi))
        for key, v in one.items():
            np.testing.assert_array_equal(v, np.asarray(whole[key])[i:i + 1], err_msg=key)


@pytest.mark.unit
def test_hydrotreater_kernel_at_the_edge_of_short(monkeypatch):
    """H2 within 1e-12 of the demand counts as enough (the round-off margin), just beyond it
    as short: the kernel draws the line where the numpy path does."""
    n = 3
    f = np.zeros((n, len(CS)))
    f[:, CS.index("C8H16")] = 1.0
    s = Stream(CS, f, 330.0, 40e5)
    h = Stream.from_flows(CS, {"H2": np.array([1.0, 1.0 / (1 + 5e-13), 1.0 / (1 + 2e-12)])}, T=320.0, P=40e5)
    u = Hydrotreater("ht", X_saturation=1.0)
    k, ref, _ = _engines(monkeypatch, hydrotreating, lambda: u.run({"feed": s, "h2": h}, u.resolve({}, n)))
    _same_bits(k, ref)
    short = "H2 supplied is short of the hydrotreating demand: conversions scaled down"
    assert list(k["status"]) == ["ok", "ok", short]


@pytest.mark.unit
@pytest.mark.parametrize("reactor", ["fluidised_bed", "fixed_bed"])
def test_slate_mix_kernel_equals_its_numpy_path(monkeypatch, reactor):
    """A polymer mix's slate, compiled, against the numpy interpolation and sum, to the last bit:
    temperatures inside, on and outside the data's points, every constituent, and a constituent
    with a single point held at its value."""
    from carbonhub.unitops.pyrolysis import Slate, constituent_slates, mixture_slate

    slates = constituent_slates(reactor)
    pts = np.concatenate([s.T for s in slates.values()])
    rng = np.random.default_rng(8)
    T = np.concatenate([rng.uniform(600.0, 1100.0, 300), pts, [pts.min() - 50.0, pts.max() + 50.0]])
    w = rng.dirichlet(np.ones(len(slates)))
    mix = dict(zip(slates, w))
    k = mixture_slate(mix, T, reactor)
    monkeypatch.setattr(pyrolysis, "use_numba", lambda engine="auto": False)
    ref = mixture_slate(mix, T, reactor)
    assert np.array_equal(k.view(np.int64), ref.view(np.int64))
    monkeypatch.undo()
    # independently: one constituent of one point is its point at every T; of two, linear
    one = Slate(np.array([800.0]), np.array([[1.0, 2.0]]))
    two = Slate(np.array([700.0, 900.0]), np.array([[0.0, 4.0], [2.0, 0.0]]))
    from carbonhub.unitops._plastics_kernels import slate_mix_rows

    got = slate_mix_rows([one, two], [0.25, 0.75], np.array([650.0, 800.0, 950.0]))
    want = 0.25 * np.array([1.0, 2.0]) + 0.75 * np.array([[0.0, 4.0], [1.0, 2.0], [2.0, 0.0]])
    np.testing.assert_allclose(got, want, rtol=1e-15)


@pytest.mark.unit
def test_cracker_kernel_equals_its_numpy_path(monkeypatch):
    """Naphtha-range feeds from hydrogen-rich (paraffins) to hydrogen-poor (aromatics): cases
    with no coke, with coke (the fuel gas's H2 used up) and flagged as too poor in hydrogen
    (nothing cracked): the kernel to the last bit of the numpy path."""
    from carbonhub.unitops import cracker
    from carbonhub.unitops.cracker import SteamCracker

    n = 400
    rng = np.random.default_rng(31)
    f = np.zeros((n, len(CS)))
    for k, hi in (("C8H18", 2.0), ("C16H34", 1.0), ("C8H16", 1.0), ("C6H6", 3.0), ("C10H8", 3.0),
                  ("C7H8", 1.0), ("CH4", 0.3), ("H2", 0.2), ("C2H6", 0.2), ("HCl", 0.01)):
        f[:, CS.index(k)] = rng.uniform(0.0, hi, n) * (rng.random(n) < 0.7)
    f[0] = 0.0
    s = Stream(CS, f, rng.uniform(300.0, 450.0, n), 2e5)
    p = {"T_out": rng.uniform(300.0, 400.0, n), "y_ethylene": rng.uniform(0.2, 0.4, n),
         "y_propylene": rng.uniform(0.1, 0.2, n), "y_fuel_oil": rng.uniform(0.0, 0.1, n)}
    u = SteamCracker("cr")
    k, ref, allnp = _engines(monkeypatch, cracker, lambda: u.run({"feed": s}, u.resolve(p, n)))
    _same_bits(k, ref)
    _close(k, allnp, _enthalpy_scale(s))
    assert 0 < (k["design.coke_kg_s"] > 0).sum() and 0 < (k["status"] != "ok").sum() < n  # each branch met
    _balance((s,), u.run({"feed": s}, u.resolve(p, n)))


@pytest.mark.unit
def test_washer_kernel_equals_its_numpy_path(monkeypatch):
    """Feeds of two polymers, char, ash, NH4Cl and moisture (some cases without a constituent,
    case 0 empty), wash water with dissolved HCl; per-case removals and moistures, with cases
    whose water is less than the solids' residual moisture (all of it stays with the solids):
    the kernel to the last bit of the numpy path, and independently the ash and organics to the
    wash water at their set fractions, the solids' moisture where the water suffices, and the
    element and energy balances."""
    from carbonhub.unitops import plastics
    from carbonhub.unitops.plastics import PlasticsWasher

    n = 400
    rng = np.random.default_rng(41)
    f = np.zeros((n, len(CS)))
    for k, hi in (("ORG_mixed_plastic_waste", 5.0), ("ORG_sorted_polyolefins", 5.0), ("C(s)", 0.5),
                  ("ASH", 0.1), ("NH4Cl(s)", 0.01), ("H2O(L)", 2.0)):
        f[:, CS.index(k)] = rng.uniform(0.0, hi, n) * (rng.random(n) < 0.8)
    f[0] = 0.0
    w = np.zeros((n, len(CS)))
    w[:, CS.index("H2O(L)")] = rng.uniform(0.0, 300.0, n) * (rng.random(n) < 0.9)
    w[:, CS.index("HCl")] = rng.uniform(0.0, 0.01, n)
    feed = Stream(CS, f, rng.uniform(280.0, 320.0, n), 1e5)
    water = Stream(CS, w, rng.uniform(280.0, 320.0, n), 1.5e5)
    p = {"ash_removal": rng.uniform(0.0, 1.0, n), "organics_loss": rng.uniform(0.0, 0.5, n),
         "residual_moisture_wt_pct": rng.uniform(0.0, 60.0, n), "T": rng.uniform(280.0, 360.0, n)}
    u = PlasticsWasher("washer")
    ins = {"feed": feed, "water": water}
    k, ref, allnp = _engines(monkeypatch, plastics, lambda: u.run(ins, u.resolve(p, n)))
    _same_bits(k, ref)
    _close(k, allnp, _enthalpy_scale(feed, water))
    r = u.run(ins, u.resolve(p, n))
    e_in = feed.element_flows + water.element_flows
    e_out = sum(o.element_flows for o in r.outlets.values())
    np.testing.assert_allclose(e_out, e_in, rtol=1e-12, atol=1e-12 * np.abs(e_in).max())
    h_out = sum(o.enthalpy for o in r.outlets.values())  # the electricity is dissipated as heat
    np.testing.assert_allclose(feed.enthalpy + water.enthalpy + r.heat + r.power, h_out, rtol=1e-9,
                               atol=1e-6 * _enthalpy_scale(feed, water))
    ww, out = r.outlets["wastewater"], r.outlets["out"]
    np.testing.assert_allclose(ww["ASH"], f[:, CS.index("ASH")] * p["ash_removal"], rtol=1e-11, atol=1e-300)
    org = f[:, CS.index("ORG_mixed_plastic_waste")]
    np.testing.assert_allclose(ww["ORG_mixed_plastic_waste"], org * p["organics_loss"], rtol=1e-11, atol=1e-300)
    assert not out["HCl"].any() and not out["H2O"].any()  # gases and dissolved gases go with the water
    m_w = out["H2O(L)"] * CS.molar_mass[CS.index("H2O(L)")]
    m_out = out.mass_flow
    enough = (ww["H2O(L)"] > 0) & (m_out > 0)
    assert 0 < (~enough[1:]).sum() < n - 1  # both branches met
    np.testing.assert_allclose(100 * m_w[enough] / m_out[enough], p["residual_moisture_wt_pct"][enough], rtol=1e-10)
