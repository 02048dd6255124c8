"""The result-assembly and costing shortcuts of issue 14 change no number: a route's KPIs (MSP,
TEA, exergy, water, pinch ...) with them equal the KPIs computed the long way, and the exergy
of a stream over its present components equals the sum over every component."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import carbonhub as ch
import carbonhub.core.flowsheet as core_fs
import carbonhub.core.stream as core_stream
import carbonhub.costing.memo as memo
import carbonhub.unitops.sources as sources
from carbonhub.thermo import ComponentSet
from carbonhub.thermo.exergy import P0, R, T0, chemical_exergy, physical_exergy, standard_chemical_exergy

# plastics_pyrolysis as benchmarks/bench_routes.py varies it (+-10 % around the defaults)
VARIED = ("feed.rate_dry_t_per_h", "prices.electricity_eur_per_MWh", "pyrolysis.T", "condenser.T",
          "h2_feed.ratio", "hydrotreater.T", "cracker.y_ethylene", "prices.hydrogen_eur_per_t")
REL = 1e-12


def _params(fs, n: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(14)
    return {k: float(fs.get(k)) * rng.uniform(0.9, 1.1, n) for k in VARIED}


def _table_long_way(k, ok):
    df = pd.DataFrame(k)
    df.loc[~ok, :] = np.nan
    return df


def _long_way(monkeypatch) -> None:
    """Every shortcut off: streams assembled by NaN-filled copies, unit inlets copied, no memo,
    nan_to_num, the derived feed defaults evaluated case by case, the numpy problem table and
    solids check, the small-size rule per case, each cost row its own scope arrays, the KPI
    table built by pandas."""
    monkeypatch.setattr(core_fs, "every_case", lambda idx, n: False)
    monkeypatch.setattr(core_stream, "every_case", lambda idx, n: False)
    monkeypatch.setattr("carbonhub.costing.pinch.use_numba", lambda engine="auto": False)
    monkeypatch.setattr("carbonhub.costing.labour.use_numba", lambda engine="auto": False)
    monkeypatch.setattr("carbonhub.costing.scope.SHARED_UNCOVERED", False)
    monkeypatch.setattr(memo, "FUSE_BOUNDARY", False)
    monkeypatch.setattr("carbonhub.costing.scope.batch_rule", lambda rule: rule)
    monkeypatch.setattr("carbonhub.costing.kpis.kpi_frame", _table_long_way)
    monkeypatch.setattr(memo, "once", lambda res, key, compute: compute())
    for mod in ("carbonhub.costing.flowsheet", "carbonhub.costing.heat_supply", "carbonhub.costing.labour",
                "carbonhub.costing.energy", "carbonhub.costing.pinch", "carbonhub.costing.exergy",
                "carbonhub.costing.water", "carbonhub.costing.kpis", "carbonhub.costing.avoided"):
        if mod not in ("carbonhub.costing.pinch", "carbonhub.costing.exergy", "carbonhub.costing.kpis",
                       "carbonhub.costing.avoided"):
            monkeypatch.setattr(f"{mod}.once", lambda res, key, compute: compute())
        for name in ("finite_view", "finite0"):
            monkeypatch.setattr(f"{mod}.{name}", lambda a, nan=0.0: np.nan_to_num(np.asarray(a, dtype=float), nan=nan),
                                raising=False)
    monkeypatch.setattr(sources, "per_distinct",
                        lambda values, rule, dtype: np.array([rule(str(v)) for v in np.atleast_1d(
                            np.asarray(values, dtype=object)).tolist()], dtype=dtype))


def _assert_same(a, b) -> None:
    assert list(a.columns) == list(b.columns)
    for c in a.columns:
        x, y = a[c].to_numpy(), b[c].to_numpy()
        if x.dtype.kind not in "fiu":
            assert (x == y).all(), c
            continue
        x, y = x.astype(float), y.astype(float)
        assert (np.isnan(x) == np.isnan(y)).all(), c
        f = ~np.isnan(x)
        scale = np.maximum(np.abs(x[f]), np.abs(y[f]))
        err = np.abs(x[f] - y[f]) / np.where(scale > 0, scale, 1.0)
        assert err.max(initial=0.0) <= REL, f"{c}: {err.max():.2e}"


@pytest.mark.integration
def test_plastics_kpis_equal_the_long_way(monkeypatch):
    fs = ch.routes.load("plastics_pyrolysis")
    p = _params(fs, 40)
    fast = fs.simulate(params=p)
    k_fast = fast.kpis
    assert fast.ok.all()
    with monkeypatch.context() as m:
        _long_way(m)
        slow = fs.simulate(params=p)
        k_slow = slow.kpis
    _assert_same(k_fast, k_slow)
    for sid, s in slow.stream_data.items():  # the streams themselves, bit for bit
        assert np.array_equal(s.flow, fast.stream_data[sid].flow), sid
        assert np.array_equal(s.T, fast.stream_data[sid].T), sid


@pytest.mark.integration
def test_plastics_batch_equals_one_by_one():
    """Case 2's flue-gas scrubber inlet carries solids above 1 %, cases 0-1's not: labour counted
    it as a solids step for the whole batch (opex 4,580 EUR/y and MSP ~1 EUR/t off in cases 0-1
    before the count was made per case, costing/labour.py)."""
    fs = ch.routes.load("plastics_pyrolysis")
    p = _params(fs, 3)
    batch = fs.simulate(params=p).kpis
    for i in range(3):
        one = fs.simulate(params={k: v[i:i + 1] for k, v in p.items()}).kpis
        _assert_same(batch.iloc[[i]].reset_index(drop=True), one)


@pytest.mark.unit
def test_exergy_over_present_components_equals_the_full_sum():
    """The definitions written out over all components (Szargut: physical = sum n (dh - T0 ds)
    plus the gas pressure term plus v dP of the liquids; chemical = sum n ex0 + R T0 sum n_g ln x_g)."""
    cs = ComponentSet.default()
    rng = np.random.default_rng(3)
    n = 6
    flow = np.zeros((n, len(cs)))
    cols = rng.choice(len(cs), 9, replace=False)
    flow[:, cols] = rng.uniform(0.0, 5.0, (n, 9))
    flow[0] = 0.0  # an empty case
    T, P = rng.uniform(300.0, 900.0, n), rng.uniform(1e5, 40e5, n)
    thermal = (flow * (cs.h(T) - cs.h(T0) - T0 * (cs.s0(T) - cs.s0(T0)))).sum(axis=1)
    ng = (flow * cs.is_gas).sum(axis=1)
    ph = thermal + ng * R * T0 * np.log(P / P0) + (flow * cs.molar_volume).sum(axis=1) * (P - P0)
    g = flow * cs.is_gas
    x = np.divide(g, ng[:, None], out=np.zeros_like(g), where=ng[:, None] > 0)
    mix = np.where(x > 0, g * np.log(np.where(x > 0, x, 1.0)), 0.0).sum(axis=1)
    chem = flow @ standard_chemical_exergy(cs) + R * T0 * mix
    scale = np.abs(flow).sum() * 1e6
    assert np.allclose(physical_exergy(cs, flow, T, P), ph, rtol=1e-12, atol=1e-12 * scale)
    assert np.allclose(chemical_exergy(cs, flow), chem, rtol=1e-12, atol=1e-12 * scale)
    assert physical_exergy(cs, flow, T, P)[0] == 0.0 and chemical_exergy(cs, flow)[0] == 0.0


@pytest.mark.unit
def test_a_streams_kept_flows_are_its_own_read_only_and_evaluated_once(monkeypatch):
    """memo.stream_flow: the stream's mass, carbon, carbon-by-origin and LHV flows as its
    properties give them, evaluated once per result and stream, read-only, and another stream
    (even one at the id of a dropped stream) gets its own."""
    from carbonhub.core.stream import Stream

    cs = ComponentSet.from_ids(["CH4", "CO2", "H2O", "N2"])
    rng = np.random.default_rng(5)

    def stream():
        return Stream(cs, rng.uniform(0, 3, (4, len(cs))), rng.uniform(300, 600, 4), 1e5,
                      rng.dirichlet(np.ones(4), 4))

    class Res:  # a result stand-in: what memo.once keeps answers on
        pass

    res, a, b = Res(), stream(), stream()
    calls = []
    real = Stream.mass_flow.fget
    monkeypatch.setattr(Stream, "mass_flow", property(lambda s: calls.append(1) or real(s)))
    for s in (a, b):
        assert np.array_equal(memo.stream_flow(res, s, "mass_flow"), (s.flow * cs.molar_mass).sum(axis=1))
        assert np.array_equal(memo.stream_flow(res, s, "carbon_flow"), s.flow @ cs.carbon)
        assert np.array_equal(memo.stream_flow(res, s, "carbon_by_origin"), (s.flow @ cs.carbon)[:, None] * s.origin)
        assert np.array_equal(memo.stream_flow(res, s, "lhv"), s.lhv())
    assert memo.stream_flow(res, a, "mass_flow") is memo.stream_flow(res, a, "mass_flow")
    assert len(calls) == 2  # once per stream
    with pytest.raises(ValueError):
        memo.stream_flow(res, a, "carbon_flow")[0] = 0.0
    # a new stream at a kept key's id is not given the old stream's answer
    key = next(k for k in res._costing_memo if k[0] == "mass_flow" and k[1] == id(a))
    c = stream()
    res._costing_memo[("mass_flow", id(c))] = res._costing_memo.pop(key)
    assert np.array_equal(memo.stream_flow(res, c, "mass_flow"), (c.flow * cs.molar_mass).sum(axis=1))
