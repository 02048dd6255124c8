"""The gasifier's feed preparation compiled per case (unitops/_unit_kernels.py
``gasifier_feed``, :func:`carbonhub.unitops.gasifier_model.prepare_feed` with engine "numba")
against its numpy reference (engine "numpy"): every field bit for bit on random batches (mixed
feedstocks, liquid water, char-free and ash-free cases, slips on in some cases, off in all, an
empty case), a case alone equals the case in its batch, the element inventory closes against an
independent count of the inlets, and bad inlets raise the reference's own error."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_gasification import BIO, CS, _ins, _unit  # noqa: E402

from carbonhub.core import Stream, StreamError  # noqa: E402
from carbonhub.thermo.components import ELEMENTS  # noqa: E402
from carbonhub.unitops.gasifier import Gasifier  # noqa: E402
from carbonhub.unitops.gasifier_model import SLIP_SPECIES, prepare_feed  # noqa: E402

pytestmark = pytest.mark.unit


def _case(n, seed, slips=True):
    rng = np.random.default_rng(seed)
    org = rng.choice(BIO, n)
    ins = _ins(org, rng.uniform(0.0, 5.0, n), rng.uniform(0.0, 0.5, n), rng.uniform(0.0, 3.0, n),
               rng.uniform(0.5, 4.0, n), rng.uniform(0.0, 2.0, n), n=n, N2_frac=0.02)
    ins["feed"].flow[0] = 0.0  # a case without feed
    ins["feed"].flow[1, CS.index("ASH")] = 0.0
    g = _unit(Gasifier)
    vals = {"carbon_conversion": rng.uniform(0.8, 1.0, n),
            "nh3_fraction_of_fuel_N": rng.uniform(0.0, 1.0, n),
            "heat_loss_fraction": rng.uniform(0.0, 0.05, n)}
    if slips:
        vals["ch4_slip"] = np.where(rng.random(n) < 0.5, rng.uniform(0.0, 0.1, n), 0.0)
        vals["tar_slip"] = rng.uniform(0.0, 0.02, n)
    return g, ins, g.resolve(vals, n)


def _fields(ctx):
    return {k: getattr(ctx, k) for k in ctx.__dataclass_fields__
            if isinstance(getattr(ctx, k), np.ndarray) and getattr(ctx, k).dtype.kind == "f"}


@pytest.mark.parametrize("seed, slips", [(1, True), (2, False), (3, True)])
def test_compiled_feed_equals_numpy_reference_bit_for_bit(seed, slips):
    g, ins, p = _case(300, seed, slips)
    a = _fields(prepare_feed(g.inlet_names, g.eq_species, ins, p, engine="numpy"))
    b = _fields(prepare_feed(g.inlet_names, g.eq_species, ins, p, engine="numba"))
    assert a.keys() == b.keys() and len(a) >= 14
    for k in a:
        assert a[k].shape == b[k].shape and np.array_equal(a[k], b[k], equal_nan=True), k
    if slips:  # the slips reached the bypass in the cases that have them
        assert (a["bypass"][:, CS.index(SLIP_SPECIES["tar_slip"])] > 0).sum() > 250


def test_case_alone_equals_the_case_in_its_batch():
    g, ins, p = _case(40, 4)
    full = _fields(prepare_feed(g.inlet_names, g.eq_species, ins, p, engine="numba"))
    for i in (0, 7, 39):
        one = {k: Stream(CS, s.flow[i:i + 1], s.T[i:i + 1], s.P[i:i + 1]) for k, s in ins.items()}
        pi = g.resolve({k: v[i:i + 1] for k, v in
                        {"carbon_conversion": p.carbon_conversion, "nh3_fraction_of_fuel_N":
                         p.nh3_fraction_of_fuel_N, "heat_loss_fraction": p.heat_loss_fraction,
                         "ch4_slip": p.ch4_slip, "tar_slip": p.tar_slip}.items()}, 1)
        alone = _fields(prepare_feed(g.inlet_names, g.eq_species, one, pi, engine="numba"))
        for k in full:
            if k == "lhv":  # per component, not per case
                continue
            assert np.array_equal(full[k][i:i + 1], alone[k], equal_nan=True), (k, i)


def test_inventory_closes_against_an_independent_count():
    """inventory + char (as C) + bypass elements = elements of all inlets except the ash, each
    counted here with numpy's matrix product (a different summation: 1e-12 relative)."""
    g, ins, p = _case(200, 5)
    ctx = prepare_feed(g.inlet_names, g.eq_species, ins, p, engine="numba")
    E = CS.element_matrix
    no_ash = sum(s.flow for s in ins.values()).copy()
    no_ash[:, CS.index("ASH")] = 0.0
    expect = no_ash @ E
    got = ctx.inv + ctx.bypass @ E
    got[:, ELEMENTS.index("C")] += ctx.char
    scale = np.abs(expect).sum(axis=1, keepdims=True) + 1e-300
    assert np.abs(got - expect).max() / scale.max() < 1e-12
    assert np.allclose(ctx.steam_kg, ins["steam"].flow @ CS.molar_mass, rtol=1e-14, atol=0)


@pytest.mark.parametrize("field, value, match", [
    ("flow", -1.0, r"flow\[5, O2\] = -1.0 mol/s: expected >= 0"),
    ("flow", np.nan, r"flow\[5, O2\] = nan mol/s: expected finite"),
    ("T", 0.0, r"T = 0.0 K in case 5: expected a finite value > 0"),
])
def test_bad_inlet_raises_the_reference_error(field, value, match):
    g, ins, p = _case(20, 6)
    ox = ins["oxidant"]
    if field == "flow":
        ox.flow[5, CS.index("O2")] = value
    else:
        ox.T[5] = value
    for engine in ("numpy", "numba"):
        with pytest.raises(StreamError, match=match):
            prepare_feed(g.inlet_names, g.eq_species, ins, p, engine=engine)


def test_round_off_negative_flow_is_accepted_by_both():
    g, ins, p = _case(20, 7)
    ins["oxidant"].flow[3, CS.index("N2")] = -1e-15  # inside validate's round-off allowance
    a = _fields(prepare_feed(g.inlet_names, g.eq_species, ins, p, engine="numpy"))
    b = _fields(prepare_feed(g.inlet_names, g.eq_species, ins, p, engine="numba"))
    assert all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)


@pytest.mark.parametrize("solid_carbon, seed", [(False, 8), (True, 9)])
def test_compiled_outlet_equals_numpy_reference_bit_for_bit(monkeypatch, solid_carbon, seed):
    """evaluate's outlet columns and enthalpy, compiled vs numpy, on the equilibrium of random
    cases, with NaN and +-inf written into some cases' moles (read as 0 and the largest floats
    by both), with and without graphite among the equilibrium species."""
    import carbonhub.unitops.gasifier_model as gm

    g, ins, p = _case(120, seed)
    if solid_carbon:
        g = _unit(Gasifier, solid_carbon=True)
        p = g.resolve({"carbon_conversion": p.carbon_conversion, "tar_slip": p.tar_slip}, 120)
    ctx = prepare_feed(g.inlet_names, g.eq_species, ins, p)
    m0, feasible = gm.initial_moles(ctx.inv, g.eq_species, g.solid_carbon)
    idx = np.flatnonzero(feasible)
    T = np.random.default_rng(seed).uniform(900.0, 1400.0, idx.size)
    real = gm.equilibrate

    def spoiled(*a, **k):
        r = real(*a, **k)
        r.moles[3, 0], r.moles[4, 1], r.moles[5, 2] = np.nan, np.inf, -np.inf
        return r

    monkeypatch.setattr(gm, "equilibrate", spoiled)
    args = (ctx, g.eq_species, idx, T, T, p.P[idx], m0[idx])
    with np.errstate(all="ignore"):  # as inside a flowsheet run (core.solver.run_unit)
        _, *a = gm.evaluate(*args, engine="numpy")
        _, *b = gm.evaluate(*args, engine="numba")
    for x, y in zip(a, b):
        assert x.shape == y.shape and np.array_equal(x, y, equal_nan=True)
    assert np.isfinite(a[2][6:]).all() and (a[1][:, ctx.columns.pos_c] > 0).any()
