"""Design specs solved one after the other (each iterating only the blocks between its varied
and its measured unit) against the nested solution of carbonhub's first solver."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.core.flowsheet import DesignSpec, FlowsheetRun
from carbonhub.core.results import SimulationResult
from carbonhub.core.solver import run_flowsheet, spec_plan
from carbonhub.unitops.basic import Mixer, Splitter
from carbonhub.unitops.sources import GasSource, Sink

CS_IDS = ["H2", "N2"]


def two_specs(coupled: bool = False):
    """h2 + n2 -> mixer -> splitter -> (purge, product). Spec ``h2_share``: the H2 flow varies so
    that the mixer's outlet is 75 % H2 (measured at the mixer); spec ``purge_rate``: the split
    fraction varies so that the purge carries 3 mol/s (measured at the splitter). The second
    depends on the first, not the reverse; added in the reverse order. ``coupled``: the H2 spec
    is measured at the splitter instead (each spec then depends on the other)."""
    cs = ch.ComponentSet.from_ids(CS_IDS)
    fs = ch.Flowsheet("two_specs", components=cs)
    h2 = fs.add(GasSource("h2", composition={"H2": 1.0}, flow=1.0))
    n2 = fs.add(GasSource("n2", composition={"N2": 1.0}, flow=10.0))
    mix = fs.add(Mixer("mixer", n_inlets=2))
    sp = fs.add(Splitter("split", fraction=0.5))
    fs.add(Sink("purge_sink", category="emission"))
    fs.add(Sink("product_sink", category="product", product="hydrogen", main=True))
    c = fs.connect
    c(h2.outlets.out, mix.inlets.in1)
    c(n2.outlets.out, mix.inlets.in2)
    c(mix.outlets.out, sp.inlets.feed, id="mixed")
    c(sp.outlets.purge, fs.units["purge_sink"].inlets.feed, id="purge_gas")
    c(sp.outlets.out, fs.units["product_sink"].inlets.feed, id="product")
    i = cs.index("H2")
    fs.add_spec(DesignSpec("purge_rate", "split.fraction", lambda st: st.stream("purge_gas").total_flow,
                           3.0, 0.0, 1.0, tol=1e-12, measured_unit="split"))
    share = "purge_gas" if coupled else "mixed"
    fs.add_spec(DesignSpec("h2_share", "h2.flow", lambda st: st.stream(share).flow[:, i] / st.stream(share).total_flow,
                           0.75, 0.1, 1e3, tol=1e-12, measured_unit="split" if coupled else "mixer"))
    return fs


def solve(fs, params, specs):
    run = FlowsheetRun(fs, params, None)
    run_flowsheet(fs, run, specs=specs)
    return SimulationResult(fs, run, costing=False)


@pytest.mark.unit
def test_independent_specs_are_solved_in_dependency_order_over_their_own_blocks():
    fs = two_specs()
    plan = spec_plan(fs, fs.order())
    names = [(sp.id if sp else None, sorted(u for b in pre for u in b[0]), sorted(u for b in it for u in b[0]))
             for sp, pre, it in plan]
    assert names == [("h2_share", ["n2"], ["h2", "mixer"]), ("purge_rate", [], ["split"]),
                     (None, ["product_sink", "purge_sink"], [])]
    n2 = np.array([10.0, 4.0, 30.0])
    res = solve(fs, {"n2.flow": n2}, "auto")
    assert res.ok.all(), res.status
    # independent solution: 75 % H2 means H2 = 3 N2; the purge fraction is 3 / (4 N2)
    np.testing.assert_allclose(res.stream("mixed").flow[:, 0], 3 * n2, rtol=1e-10)
    np.testing.assert_allclose(res.stream("purge_gas").total_flow, 3.0, rtol=1e-10)
    nested = solve(fs, {"n2.flow": n2}, "nested")
    for sid in ("mixed", "purge_gas", "product"):
        np.testing.assert_allclose(res.stream(sid).flow, nested.stream(sid).flow, rtol=1e-10)


@pytest.mark.unit
def test_coupled_specs_are_nested():
    fs = two_specs(coupled=True)
    assert spec_plan(fs, fs.order()) is None
    res = fs.simulate(params={"n2.flow": np.array([10.0, 4.0])}, costing=False)
    assert res.ok.all(), res.status
    x = res.stream("purge_gas")
    np.testing.assert_allclose(x.flow[:, 0] / x.total_flow, 0.75, rtol=1e-10)
    np.testing.assert_allclose(x.total_flow, 3.0, rtol=1e-10)


@pytest.mark.component
def test_biomass_methanol_specs_in_sequence_equal_the_nested_solution():
    """The route's two specs (autothermal gasifier, shift bypass for the module): the
    sequential solution equals the nested one (both converge the specs to their tolerances)."""
    fs = ch.routes.load("biomass_methanol")
    rng = np.random.default_rng(4)
    p = {"feed.rate_dry_t_per_h": rng.uniform(75.0, 92.0, 3), "gasifier.T": rng.uniform(1090.0, 1190.0, 3)}
    a, b = solve(fs, p, "auto"), solve(fs, p, "nested")
    assert a.ok.all() and b.ok.all()
    for sid in ("makeup_gas", "meoh_recycle", "methanol_product"):
        fa, fb = a.stream(sid).flow, b.stream(sid).flow
        np.testing.assert_allclose(fa, fb, rtol=1e-8, atol=1e-8 * np.abs(fb).sum())
    np.testing.assert_allclose(a.stream("makeup_gas").T, b.stream("makeup_gas").T, rtol=1e-9)
    a.check_balances(mass_tol=1e-9, energy_tol=1e-6)


@pytest.mark.unit
def test_a_spec_converged_on_its_last_evaluation_is_not_evaluated_again():
    """Illinois's final pass re-solves a case at its solution only when the state there is not
    already the converged one: a case whose last evaluation met the tolerance keeps it (no
    evaluation repeats the value before it), and the stored state meets both specs."""
    fs = two_specs()
    seen: dict[int, list[float]] = {}
    unit = fs.units["h2"]
    run = unit.run

    def record(ins, p):
        for c, v in zip(p.idx, np.broadcast_to(p.flow, p.idx.shape)):
            seen.setdefault(int(c), []).append(float(v))
        return run(ins, p)

    unit.run = record
    n2 = np.array([10.0, 4.0, 25.0])
    res = solve(fs, {"n2.flow": n2}, "auto")
    assert res.ok.all(), res.status
    for c, values in seen.items():
        assert all(a != b for a, b in zip(values, values[1:])), (c, values)
    # the state as stored: 75 % H2 in the mixer outlet (H2 = 3 N2) and 3 mol/s of purge
    np.testing.assert_allclose(res.stream("mixed")["H2"], 3 * n2, rtol=1e-11)
    np.testing.assert_allclose(res.stream("purge_gas").total_flow, 3.0, rtol=1e-11)
    conv = res.convergence
    np.testing.assert_allclose(conv["spec:h2_share.residual"], np.abs(
        res.stream("mixed")["H2"] / res.stream("mixed").total_flow - 0.75), atol=1e-15)


@pytest.mark.unit
def test_state_result_is_the_cases_alone_and_outer_specs_nest_outermost():
    """``State.result()`` (the measure of a plant-level spec, e.g. net electricity) is a result
    of the cases asked for only: its streams, parameters and status are those cases' rows of the
    whole run, each read by hand; the run itself is not changed. ``add_spec(outer=True)`` puts a
    spec first, the outermost loop of a nest."""
    from carbonhub.core.state import State

    fs = two_specs()
    run = FlowsheetRun(fs, {"n2.flow": np.array([10.0, 20.0, 30.0, 40.0])}, None)
    run_flowsheet(fs, run)
    idx = np.array([3, 1])
    sub = State(run, idx).result()
    assert sub.n_cases == 2
    np.testing.assert_array_equal(sub.param("n2.flow"), [40.0, 20.0])
    np.testing.assert_array_equal(sub.stream("purge_gas").flow, run.streams["purge_gas"].flow[idx])
    np.testing.assert_array_equal(sub.unit_results["mixer"].heat, run.results["mixer"].heat[idx])
    assert list(sub.status) == ["ok", "ok"]
    # the spec held in each case (purge 3 mol/s, H2 share 0.75): H2 = n2 x 3 in both
    np.testing.assert_allclose(sub.param("h2.flow"), [120.0, 60.0], rtol=1e-9)
    assert run.n == 4 and run.param_array("n2.flow")[3] == 40.0
    first = DesignSpec("outer", "h2.flow", lambda st: st.stream("mixed").total_flow, 1.0, 0.0, 1.0)
    fs.add_spec(first, outer=True)
    assert [sp.id for sp in fs.specs] == ["outer", "purge_rate", "h2_share"]
