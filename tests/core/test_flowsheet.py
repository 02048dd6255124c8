"""Flowsheet core: recycles (Wegstein per case), design specs, structure errors, origins."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.core import DesignSpec, FlowsheetError, ParameterValueError, UnknownParameterError
from carbonhub.unitops.basic import ComponentSplitter, Heater, Mixer, Splitter
from carbonhub.unitops.sources import GasSource, Sink

CS_IDS = ["H2", "CO", "CO2", "CH4", "H2O", "N2"]


def loop_flowsheet():
    cs = ch.ComponentSet.from_ids(CS_IDS)
    fs = ch.Flowsheet("loop", components=cs)
    src = fs.add(GasSource("feed", composition={"H2": 2, "CO": 1, "N2": 0.05}, flow=10.0, T=300.0, P=30e5))
    bio = fs.add(GasSource("bio", composition={"CO2": 1.0}, origin="biogenic", flow=1.0, T=300.0, P=30e5))
    mx = fs.add(Mixer("mix", n_inlets=3))
    hx = fs.add(Heater("heat", T=500.0))
    sep = fs.add(ComponentSplitter("sep", split={"H2": 0.3, "CO": 0.3, "CO2": 0.5, "N2": 1.0}))
    sp = fs.add(Splitter("purge", fraction=0.1))
    prod = fs.add(Sink("prod", category="product", product="x"))
    vent = fs.add(Sink("vent", category="emission"))
    fs.connect(src.outlets.out, mx.inlets.in1)
    fs.connect(bio.outlets.out, mx.inlets.in3)
    fs.connect(mx.outlets.out, hx.inlets.feed)
    fs.connect(hx.outlets.out, sep.inlets.feed)
    fs.connect(sep.outlets.bottom, prod.inlets.feed, id="product")
    fs.connect(sep.outlets.top, sp.inlets.feed)
    fs.connect(sp.outlets.out, mx.inlets.in2, id="recycle")
    fs.connect(sp.outlets.purge, vent.inlets.feed, id="vent")
    return fs


@pytest.mark.unit
def test_tear_is_the_recycle_stream():
    fs = loop_flowsheet()
    assert fs.tears == ["recycle"]


@pytest.mark.component
def test_recycle_batch_of_10k_equals_single_runs():
    fs = loop_flowsheet()
    rng = np.random.default_rng(0)
    n = 10_000
    params = {"purge.fraction": rng.uniform(0.02, 0.6, n), "heat.T": rng.uniform(350, 900, n),
              "feed.flow": rng.uniform(1, 20, n)}
    res = fs.simulate(params=params)
    assert (res.status == "ok").all()
    res.check_balances()
    for i in rng.choice(n, 12, replace=False):
        one = fs.simulate(params={k: v[i:i + 1] for k, v in params.items()})
        for sid in ("recycle", "product", "vent"):
            np.testing.assert_allclose(one.stream(sid).flow[0], res.stream(sid).flow[i], rtol=1e-10, atol=1e-14)
            assert one.stream(sid).T[0] == pytest.approx(res.stream(sid).T[i], rel=1e-10)


@pytest.mark.unit
def test_recycle_steady_state_is_analytic():
    """N2 enters only with the feed and leaves only by the purge: at steady state the purge
    carries all of it; H2 recycle follows r = s (1-f) (F + r) -> r = s (1-f) F / (1 - s (1-f))."""
    fs = loop_flowsheet()
    f = np.array([0.05, 0.2, 0.5])
    res = fs.simulate(params={"purge.fraction": f})
    F_h2 = 10.0 * 2 / 3.05
    np.testing.assert_allclose(res.stream("vent")["N2"], 10.0 * 0.05 / 3.05, rtol=1e-10)
    s = 0.3
    np.testing.assert_allclose(res.stream("recycle")["H2"], s * (1 - f) * F_h2 / (1 - s * (1 - f)), rtol=1e-10)


@pytest.mark.unit
def test_carbon_origin_follows_carbon():
    fs = loop_flowsheet()
    res = fs.simulate()
    prod = res.stream("product")
    # carbon into the system: CO fossil 10/3.05, CO2 biogenic 1.0; the mixer mixes carbon-weighted
    c_fossil, c_bio = 10.0 / 3.05, 1.0
    cbo = prod.carbon_by_origin[0]
    # at steady state every stream of the loop has the same origin mix as the total input
    assert cbo[1] / cbo.sum() == pytest.approx(c_bio / (c_fossil + c_bio), rel=1e-9)
    k = res.kpis
    assert k["carbon_in_biogenic_fraction"][0] == pytest.approx(c_bio / (c_fossil + c_bio), rel=1e-12)


@pytest.mark.component
def test_design_spec_flags_exactly_the_unreachable_cases():
    fs = loop_flowsheet()
    # vary the feed flow so that the product flow meets a per-case target
    fs.add_group("targets", {"product_mol_s": ch.core.Param(5.0, "mol/s", 0.0, 1e3, "target")})
    fs.add_spec(DesignSpec("product_rate", vary="feed.flow", target="targets.product_mol_s",
                           measure=lambda st: st.stream("product").total_flow, lower=0.1, upper=50.0))
    targets = np.array([2.0, 5.0, 1e3 * 0 + 500.0, 8.0, 0.01])
    res = fs.simulate(params={"targets.product_mol_s": targets})
    bad = np.array([False, False, True, False, True])
    assert ((res.status != "ok") == bad).all(), res.status
    assert "not reachable" in res.status[2] and "feed.flow" in res.status[2]
    np.testing.assert_allclose(res.stream("product").total_flow[~bad], targets[~bad], rtol=1e-8)
    res.check_balances()
    # the good cases equal a run with only them
    one = fs.simulate(params={"targets.product_mol_s": targets[[1]]})
    np.testing.assert_allclose(one.stream("product").flow[0], res.stream("product").flow[1], rtol=1e-9)


@pytest.mark.unit
def test_structure_errors_are_clear():
    cs = ch.ComponentSet.from_ids(CS_IDS)
    fs = ch.Flowsheet("x", components=cs)
    a = fs.add(GasSource("a", composition={"H2": 1}))
    h = fs.add(Heater("h"))
    with pytest.raises(FlowsheetError, match="duplicate id 'h'"):
        fs.add(Heater("h"))
    fs.connect(a.outlets.out, h.inlets.feed)
    with pytest.raises(FlowsheetError, match="unconnected ports: h.outlets.out"):
        fs.simulate()
    with pytest.raises(AttributeError, match="has no outlets port 'gas'; its outlets are: out"):
        h.outlets.gas
    with pytest.raises(FlowsheetError, match="already connected"):
        fs.connect(a.outlets.out, h.inlets.feed)


@pytest.mark.unit
def test_parameter_errors_name_value_and_range():
    fs = loop_flowsheet()
    with pytest.raises(UnknownParameterError, match="unknown parameter 'heat.Tout'; did you mean heat.T"):
        fs.simulate(params={"heat.Tout": 500.0})
    with pytest.raises(UnknownParameterError, match="unknown unit 'heet'.*did you mean heat"):
        fs.simulate(params={"heet.T": 500.0})
    with pytest.raises(ParameterValueError, match=r"purge.fraction = 1.5 : outside the allowed range \[0, 1\]"):
        fs.simulate(params={"purge.fraction": [0.1, 1.5]})
    with pytest.raises(ParameterValueError, match="heat.T.*dimension"):
        fs.set("heat.T", "3 bar")
    fs.set("heat.T", (227, "degC"))
    assert fs.get("heat.T") == pytest.approx(500.15)


@pytest.mark.unit
def test_failing_cases_are_isolated():
    """A unit that raises for some cases: those are flagged with the message, others go on."""

    class Picky(Heater):
        def run(self, ins, p):
            if (p.T > 800).any():
                raise ValueError("T above 800 K is not allowed here")
            return super().run(ins, p)

    fs = loop_flowsheet()
    old = fs.units["heat"]
    new = Picky("heat", T=500.0)
    new.cs = fs.components
    fs.units["heat"] = new
    for c in fs.connections:
        for port in (c.src, c.dst):
            if port.unit is old:
                port.unit = new
    T = np.array([400.0, 900.0, 500.0, 850.0])
    res = fs.simulate(params={"heat.T": T})
    assert list(res.status == "ok") == [True, False, True, False]
    assert "T above 800 K" in res.status[1]
    assert np.isfinite(res.stream("product").flow[[0, 2]]).all()
    assert res.kpis.loc[1].isna().all()
