"""Feed blends (``feed.blend``): a 50/50 blend gives exactly the mixture's element inflows, a blend
of 1.0 equals the single feedstock to 1e-12 (unit and route), the carbon origin follows each
feedstock's carbon, prices follow the mass as received, and bad blends are clear errors."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.core.stream import ORIGINS
from carbonhub.core.unit import ParameterValueError
from carbonhub.costing.flowsheet import blend_price, feedstock_price
from carbonhub.feedstocks import feedstock_ids, load_feedstocks, parse_blend
from carbonhub.thermo.components import pyrolysis_components
from carbonhub.unitops.sources import Feedstock

CS = pyrolysis_components()


def _feed(params, n=1, **values):
    u = Feedstock("feed", rate_dry_t_per_h=10.0, **values)
    u.cs = CS
    return u.run({}, u.resolve(params, n)).outlets["out"]


@pytest.mark.unit
@pytest.mark.parametrize("fid", feedstock_ids())
def test_blend_of_one_equals_the_feedstock(fid):
    single = _feed({"feedstock": fid})
    blend = _feed({"blend": f"{fid}:1"})
    np.testing.assert_allclose(blend.flow, single.flow, rtol=1e-12, atol=0)
    np.testing.assert_allclose(blend.origin, single.origin, rtol=1e-12, atol=1e-15)


@pytest.mark.unit
@pytest.mark.parametrize("a, b", [("rdf", "wood_chips"), ("mixed_pcw_film_rigid", "sewage_sludge"),
                                  ("sorted_polyolefins", "wheat_straw")])
def test_half_half_blend_is_the_mixture(a, b):
    """Element inflows (C, H, O, N, S, Cl, Si) and water of a 50/50 blend at 10 t/h dry = those of
    5 t/h of each; the carbon origin is carbon-weighted."""
    sa, sb = _feed({"feedstock": a, "rate_dry_t_per_h": 5.0}), _feed({"feedstock": b, "rate_dry_t_per_h": 5.0})
    m = _feed({"blend": f"{a}:0.5,{b}:0.5"})
    np.testing.assert_allclose(m.element_flows, sa.element_flows + sb.element_flows, rtol=1e-12)
    np.testing.assert_allclose(m.mass_flow, sa.mass_flow + sb.mass_flow, rtol=1e-12)
    cb = sa.carbon_by_origin + sb.carbon_by_origin
    np.testing.assert_allclose(m.origin, cb / cb.sum(axis=1, keepdims=True), rtol=1e-12, atol=1e-15)


@pytest.mark.unit
def test_blend_follows_the_feedstock_unless_set_and_varies_by_case():
    u = Feedstock("feed", feedstock="rdf")
    assert list(u.resolve({}, 1).blend) == ["rdf:1"]  # a derived default: the feedstock alone
    p = u.resolve({"feedstock": np.array(["rdf", "wood_chips"])}, 2)
    assert list(p.blend) == ["rdf:1", "wood_chips:1"]
    p = u.resolve({"blend": np.array(["rdf:0.3,wood_chips:0.7", "rdf:1"], dtype=object)}, 2)
    assert list(p.blend) == ["rdf:0.3,wood_chips:0.7", "rdf:1"]


@pytest.mark.unit
def test_origin_and_moisture_of_a_blend():
    feeds = load_feedstocks()
    s = _feed({"blend": "rdf:0.25,wood_chips:0.75"})
    # water: each feedstock at its own moisture as received
    w = sum(x * feeds[f].moisture_ar_wt_pct / (100 - feeds[f].moisture_ar_wt_pct)
            for f, x in (("rdf", 0.25), ("wood_chips", 0.75)))
    assert float(s["H2O(L)"][0] * CS.molar_mass[CS.index("H2O(L)")] * 3.6) == pytest.approx(10.0 * w, rel=1e-12)
    bio = s.origin[0, ORIGINS.index("biogenic")]
    assert 0.52 < bio < 1.0 and s.origin[0].sum() == pytest.approx(1.0)
    s2 = _feed({"blend": "rdf:0.25,wood_chips:0.75", "moisture_wt_pct": 10.0})
    assert float(s2["H2O(L)"][0] * CS.molar_mass[CS.index("H2O(L)")] / s2.mass_flow[0]) == pytest.approx(0.10)


@pytest.mark.unit
def test_blend_price_weights_the_mass_as_received():
    feeds = load_feedstocks()
    ar = {f: x / (1 - feeds[f].moisture_ar_wt_pct / 100) for f, x in (("rdf", 0.5), ("wood_chips", 0.5))}
    expect = sum(m * feedstock_price(f) for f, m in ar.items()) / sum(ar.values())
    assert blend_price("rdf:0.5,wood_chips:0.5") == pytest.approx(expect, rel=1e-12)
    assert blend_price("rdf:1") == feedstock_price("rdf")


@pytest.mark.unit
@pytest.mark.parametrize("value, msg", [
    ("rdf:0.6,wood:0.4", "unknown feedstock 'wood'"),
    ("rdf:0.6,wood_chips:0.5", "shares sum to 1.1; expected 1"),
    ("rdf:-0.2,wood_chips:1.2", "share of 'rdf' = -0.2: expected >= 0"),
    ("rdf:abc", "expected a number"),
    ("rdf:0.5,rdf:0.5", "given twice"),
])
def test_bad_blends_are_clear_errors(value, msg):
    fs = ch.routes.load("plastics_pyrolysis")
    with pytest.raises(ParameterValueError, match=msg) as e:
        fs.simulate(params={"feed.blend": np.array([value, "rdf:1"], dtype=object)})
    assert str(e.value).startswith("feed.blend = ") and "\n" not in str(e.value)
    with pytest.raises(ParameterValueError, match=msg):
        fs.set("feed.blend", value)
    assert parse_blend("rdf:1 + wood_chips:0") == {"rdf": 1.0, "wood_chips": 0.0}


@pytest.mark.integration
def test_route_blend_of_one_equals_single_and_blends_balance():
    """On a route: 'x:1' equals feed.feedstock = x to 1e-12 (KPIs and every stream); a blend of
    two plastics closes every balance; its pyrolysis oil is the mixture's (the reactor is linear
    in the feed)."""
    fs = ch.routes.load("plastics_pyrolysis")
    single = fs.simulate(params={"feed.feedstock": "mixed_plastic_waste"})
    res = fs.simulate(params={"feed.blend": np.array(
        ["mixed_plastic_waste:1", "mixed_plastic_waste:0.5,sorted_polyolefins:0.5", "sorted_polyolefins:1"],
        dtype=object)})
    assert (res.status == "ok").all()
    res.check_balances(mass_tol=1e-9, energy_tol=1e-6)
    for sid in res.stream_data:
        np.testing.assert_allclose(res.stream(sid).flow[0], single.stream(sid).flow[0], rtol=1e-12, atol=1e-14)
    for k in ("msp_eur_per_t", "carbon_efficiency", "products_t_per_t_feed.ethylene"):
        assert float(res.kpis[k][0]) == pytest.approx(float(single.kpis[k][0]), rel=1e-12), k
    oil = res.stream("pyrolysis_oil").mass_flow
    assert oil[1] == pytest.approx(0.5 * (oil[0] + oil[2]), rel=1e-12)


@pytest.mark.integration
def test_sweep_over_blends(tmp_path):
    """A choice of blends (quoted, '+' inside) is a sweep parameter like any other."""
    import pandas as pd

    fs = ch.routes.load("plastics_pyrolysis")
    out = tmp_path / "blends.parquet"
    ch.sweep.run(fs, params={"feed.blend": "choice('mixed_plastic_waste:0.6+sorted_polyolefins:0.4',"
                                           "'mixed_plastic_waste:1')"}, n=4, method="lhs", out=str(out))
    df = pd.read_parquet(out)
    assert set(df["feed.blend"]) == {"mixed_plastic_waste:0.6+sorted_polyolefins:0.4", "mixed_plastic_waste:1"}
    assert (df["status"] == "ok").all()


@pytest.mark.integration
def test_feedstock_route_matrix_takes_a_blend():
    fs = ch.routes.load("plastics_pyrolysis")
    blend = "mixed_plastic_waste:0.5,sorted_polyolefins:0.5"
    m = ch.sweep.feedstock_route_matrix({"plastics_pyrolysis": fs}, {"economics.irr": "uniform(0.08,0.12)"}, n=2,
                                        feedstocks=["mixed_plastic_waste", blend], kpis=("carbon_efficiency",))
    assert set(m["feedstock"]) == {"mixed_plastic_waste", blend}
    assert (m["n_ok"] == 2).all()
