"""Narrow streams in a recycle block (core.narrow): a methanol loop over the whole default
component set runs on the components it carries and gives the answers of the whole-set run;
the block's streams are written back at full width for its cases only; a unit that declares
nothing (or a subclass that does not declare for itself) keeps the block on the whole set."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
import carbonhub.core.narrow as narrow
from carbonhub.unitops.basic import Mixer
from carbonhub.unitops.methanol import MethanolReactor
from carbonhub.unitops.sources import GasSource
from test_recycle import methanol_loop

pytestmark = pytest.mark.component

LOOP = ["loop_mixer", "fehe", "meoh_reactor", "hp_separator", "purge", "recycle_compressor"]


class PlainMixer(Mixer):
    """A subclass: it inherits Mixer's run but no declaration of its own."""


def loop(mixer=Mixer) -> ch.Flowsheet:
    """The methanol loop of test_recycle with its feed-effluent exchanger, on the whole default
    component set, with a separate Ar feed (zero in some cases)."""
    return methanol_loop(exchanger_tears=("meoh_recycle", "reactor_effluent"), components=ch.ComponentSet.default(),
                         inert="Ar", mixer=mixer)


def cases(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    ar = rng.uniform(0.0, 10.0, n)
    ar[::3] = 0.0  # a third of the cases carry no Ar
    return {"purge.fraction": rng.uniform(0.008, 0.012, n), "meoh_reactor.T": rng.uniform(503.15, 543.15, n),
            "hp_separator.T": rng.uniform(303.15, 323.15, n), "feed.flow": rng.uniform(500.0, 1500.0, n),
            "inert.flow": ar}


def whole(fs, params, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(narrow, "begin", lambda *a, **k: None)
        return fs.simulate(params=params, costing=False)


def assert_same(fs, res, ref, units) -> None:
    """Every stream (whole width outside the block) and the block's heat and design results of
    ``res`` equal those of the whole-set run ``ref`` to 1e-12."""
    assert res.ok.all() and ref.ok.all()
    cs = fs.components
    for c in fs.connections:
        a, b = res.stream(c.id), ref.stream(c.id)
        assert a.cs is cs and a.flow.shape == (res.n_cases, len(cs))
        np.testing.assert_allclose(a.flow, b.flow, rtol=1e-12, atol=1e-12 * max(np.abs(b.flow).max(), 1e-300),
                                   err_msg=c.id)
        np.testing.assert_allclose(a.T, b.T, rtol=1e-12, err_msg=c.id)
        np.testing.assert_allclose(a.origin, b.origin, rtol=1e-12, atol=1e-15, err_msg=c.id)
    for uid in units:
        ra, rb = res.unit_results[uid], ref.unit_results[uid]
        np.testing.assert_allclose(ra.heat, rb.heat, rtol=1e-12, atol=1e-6)
        for k, v in rb.design.items():
            if np.asarray(v).dtype.kind == "f":
                np.testing.assert_allclose(ra.design[k], v, rtol=1e-12, atol=1e-12, err_msg=f"{uid}.{k}")


def test_the_loop_runs_narrow_and_gives_the_whole_set_answers(monkeypatch):
    fs = loop()
    params = cases(12)
    seen = []
    real = narrow.begin

    def spy(*a, **k):
        nb = real(*a, **k)
        seen.append(nb)
        return nb

    monkeypatch.setattr(narrow, "begin", spy)
    res = fs.simulate(params=params, costing=False)
    monkeypatch.setattr(narrow, "begin", real)
    got = [nb for nb in seen if nb is not None]
    assert got, "the loop did not run narrow"
    sub = got[-1].sub
    assert len(sub) < len(fs.components) // 3
    assert {"H2", "CO", "CO2", "H2O", "H2O(L)", "CH3OH", "N2", "Ar"} <= set(sub.ids)
    ref = whole(fs, params, monkeypatch)
    assert_same(fs, res, ref, LOOP)
    np.testing.assert_array_equal(res.iterations["meoh_recycle,reactor_effluent"],
                                  ref.iterations["meoh_recycle,reactor_effluent"])
    bal = res.balances
    assert bal[["mass_rel", "C_rel", "H_rel", "O_rel", "N_rel"]].abs().to_numpy().max() < 1e-9
    assert bal["energy_rel"].abs().max() < 1e-6


def test_a_case_alone_gives_its_answer_in_the_batch():
    """The carried components depend on the batch (Ar is carried only where some case has
    it): a case alone, narrower, gives the batch's answer."""
    fs = loop()
    params = cases(6, 3)
    batch = fs.simulate(params=params, costing=False)
    for i in (0, 1):  # case 0 without Ar, case 1 with
        one = fs.simulate(params={k: v[i:i + 1] for k, v in params.items()}, costing=False)
        for sid in ("crude", "purge_gas", "meoh_recycle"):
            b = batch.stream(sid).flow[i]
            np.testing.assert_allclose(one.stream(sid).flow[0], b, rtol=1e-10, atol=1e-10 * np.abs(b).max())


def test_write_back_touches_only_the_blocks_cases():
    fs = loop()
    params = cases(8, 5)
    res = fs.simulate(params=params, costing=False)
    run = res._run
    before = {sid: (s.flow.copy(), s.T.copy()) for sid, s in run.streams.items()}
    idx = np.array([1, 4, 6])
    nb = narrow.begin(fs, run, LOOP, idx, {})
    assert nb is not None
    cols = nb.cols
    assert run.streams["meoh_recycle"].flow.shape == (8, cols.size)
    run.streams["meoh_recycle"].flow[idx] *= 2.0  # what the block's iteration would write
    nb.end()
    for sid, (f, T) in before.items():
        s = run.streams[sid]
        assert s.flow.shape == f.shape and s.cs is fs.components
        other = np.setdiff1d(np.arange(8), idx)
        np.testing.assert_array_equal(s.flow[other], f[other])
        want = f[idx] * (2.0 if sid == "meoh_recycle" else 1.0)
        np.testing.assert_array_equal(s.flow[idx], want)
        np.testing.assert_array_equal(s.T, T)


def test_write_back_of_every_case_gives_the_narrow_streams_at_full_width():
    """The block's cases are all the run's: each stream inside is its narrow stream at full
    width, in arrays of its own (an in-place edit of one changes no other stream)."""
    fs = loop()
    params = cases(8, 5)
    res = fs.simulate(params=params, costing=False)
    run = res._run
    before = {sid: (s.flow.copy(), s.T.copy()) for sid, s in run.streams.items()}
    nb = narrow.begin(fs, run, LOOP, np.arange(8), {})
    assert nb is not None
    cols = nb.cols
    run.streams["meoh_recycle"].flow[:] *= 2.0  # what the block's iteration would write
    narrow.Narrow.end(nb)
    for sid, (f, T) in before.items():
        s = run.streams[sid]
        assert s.flow.shape == f.shape and s.cs is fs.components
        want = f * (2.0 if sid == "meoh_recycle" else 1.0)
        np.testing.assert_array_equal(s.flow, want, err_msg=sid)
        np.testing.assert_array_equal(s.T, T, err_msg=sid)
    inside = [sid for sid in nb.inside if sid in run.streams]
    arrays = [a for sid in inside for a in (run.streams[sid].flow, run.streams[sid].T)]
    assert all(a.flags.writeable for a in arrays)
    assert not any(np.shares_memory(a, b) for i, a in enumerate(arrays) for b in arrays[i + 1:])
    assert cols.size < len(fs.components)


def test_a_unit_without_its_own_declaration_keeps_the_block_whole():
    assert narrow.additions(Mixer("m")) == ()
    assert narrow.additions(PlainMixer("m")) is None  # not inherited
    assert narrow.additions(GasSource("g", composition={"N2": 1.0})) is None
    assert set(narrow.additions(MethanolReactor("r"))) >= {"CH3OH", "H2O", "CO"}
    fs = loop(PlainMixer)
    res = fs.simulate(params=cases(4), costing=False)
    assert res.ok.all()
    assert narrow.begin(fs, res._run, LOOP, np.arange(4), {}) is None


# -- a block solved with its design spec's variable (core.joint): plastics_pyrolysis's treat-gas
# loop with its make-up feed h2_feed (varied by the treat_gas spec, run before the loop in every pass)

JOINT = ["h2_feed", "treat_gas_mixer", "hydrotreater", "ht_wash_water", "ht_wash_mixer", "ht_separator",
         "ht_purge", "ht_recycle_compressor"]


@pytest.fixture(scope="module")
def plastics():
    return ch.routes.load("plastics_pyrolysis")


def plastics_cases(fs, n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    out = {k: float(fs.get(k)) * rng.uniform(0.9, 1.1, n)
           for k in ("feed.rate_dry_t_per_h", "pyrolysis.T", "condenser.T", "hydrotreater.T", "ht_purge.fraction")}
    out["treat_gas.excess"] = rng.uniform(2.0, 4.0, n)
    return out


def spy_on_begin(monkeypatch):
    """``narrow.begin`` recorded from now on: (the list of (block units, number of cases, its
    Narrow or None) per call, the real ``begin``)."""
    seen, real = [], narrow.begin

    def spy(f, run, units, idx, guesses):
        nb = real(f, run, units, idx, guesses)
        seen.append((list(units), idx.size, nb))
        return nb

    monkeypatch.setattr(narrow, "begin", spy)
    return seen, real


def test_a_spec_joined_loop_runs_narrow_and_gives_the_whole_set_answers(plastics, monkeypatch):
    fs = plastics
    params = plastics_cases(fs, 10, 11)
    seen, real = spy_on_begin(monkeypatch)
    res = fs.simulate(params=params, costing=False)
    monkeypatch.setattr(narrow, "begin", real)
    joint = [nb for units, n, nb in seen if units == JOINT and n]
    assert joint and all(nb is not None for nb in joint), "the spec-joined block did not run narrow"
    assert len(joint[0].sub) < len(fs.components) // 2
    assert {"H2", "H2O", "H2O(L)", "HCl", "NH3", "CH4"} <= set(joint[0].sub.ids)
    ref = whole(fs, params, monkeypatch)
    assert_same(fs, res, ref, JOINT)
    np.testing.assert_allclose(res.param("h2_feed.ratio"), ref.param("h2_feed.ratio"), rtol=1e-12)
    for k, v in ref.iterations.items():
        np.testing.assert_array_equal(res.iterations[k], v, err_msg=k)
    # the spec met: H2 into the hydrotreater = excess x its demand (read independently of the spec's code)
    ht = res.unit_results["hydrotreater"].design["h2_demand_mol_s"]
    np.testing.assert_allclose(res.stream("h2")["H2"], params["treat_gas.excess"] * ht, rtol=1e-8)
    bal = res.balances
    assert bal[["mass_rel", "C_rel", "H_rel", "O_rel", "N_rel", "Cl_rel"]].abs().to_numpy().max() < 1e-9
    assert bal["energy_rel"].abs().max() < 1e-6


def test_a_case_alone_gives_its_answer_in_the_spec_joined_batch(plastics):
    fs = plastics
    params = plastics_cases(fs, 6, 4)
    batch = fs.simulate(params=params, costing=False)
    for i in (0, 3):
        one = fs.simulate(params={k: v[i:i + 1] for k, v in params.items()}, costing=False)
        for sid in ("h2", "ht_recycle", "h2_makeup", "ht_offgas", "ht_separator_gas"):
            b = batch.stream(sid).flow[i]
            np.testing.assert_allclose(one.stream(sid).flow[0], b, rtol=1e-10, atol=1e-10 * np.abs(b).max(),
                                       err_msg=sid)
        np.testing.assert_allclose(one.param("h2_feed.ratio")[0], batch.param("h2_feed.ratio")[i], rtol=1e-10)


def test_declarations_of_the_treat_gas_loop_units():
    from carbonhub.unitops.hydrotreating import REACTIONS, Hydrotreater
    from carbonhub.unitops.pyrolysis import PyrolysisCondenser
    from carbonhub.unitops.sources import ProportionalFeed

    assert narrow.additions(ProportionalFeed("w", composition={"H2O(L)": 1.0})) == ("H2O(L)",)
    assert set(narrow.additions(ProportionalFeed("s", composition={"H2O": 1.0}, basis="mol:CO"))) == {"H2O", "CO"}
    products = {k for _, _, prod in REACTIONS.values() for k in prod}
    assert products | {"H2"} <= set(narrow.additions(Hydrotreater("h")))
    assert not set(REACTIONS) & set(narrow.additions(Hydrotreater("h")))  # reactants are never made
    assert {"H2O(L)", "HCl", "NH3"} <= set(narrow.additions(PyrolysisCondenser("c")))


def test_the_hydrotreater_on_a_sub_set_without_any_reactant_equals_the_whole_set():
    """A narrowed oil may carry none of the reactions' reactants (a saturated, clean oil): the
    hydrotreater then runs on an empty reaction matrix and gives the whole set's answers bit for bit."""
    from carbonhub.core import Stream
    from carbonhub.thermo.components import pyrolysis_components
    from carbonhub.unitops.hydrotreating import Hydrotreater

    cs = pyrolysis_components()
    oil = Stream.from_flows(cs, {"C8H18": 1.0, "C6H6": 0.3}, T=313.15, P=40e5)
    h2 = Stream.from_flows(cs, {"H2": 1.5}, T=313.15, P=40e5)
    u = Hydrotreater("ht")
    whole_ = u.run({"feed": oil, "h2": h2}, u.resolve({}, 1))
    cols = np.array(sorted({cs.index(c) for c in {*narrow.additions(u), "C8H18", "C6H6"}}))
    sub = narrow.subset(cs, cols)
    part = u.run({k: Stream._of(sub, s.flow[:, cols].copy(), s.T.copy(), s.P.copy(), s.origin.copy())
                  for k, s in (("feed", oil), ("h2", h2))}, u.resolve({}, 1))
    np.testing.assert_array_equal(part.outlets["product"].flow, whole_.outlets["product"].flow[:, cols])
    np.testing.assert_array_equal(part.heat, whole_.heat)
    for k, v in whole_.design.items():
        np.testing.assert_array_equal(part.design[k], v, err_msg=k)
    assert whole_.design["h2_consumed_mol_s"][0] == 0.0
