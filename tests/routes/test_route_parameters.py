"""Every route's parameters: no sentinel values (NaN, -1 for "default"), every default shown as
the value used with where it comes from, and one home per default: the defaults listed in the
route's YAML are the values of the built flowsheet."""
from __future__ import annotations

import math

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.core import ParameterValueError

ROUTES = ch.routes.names()


@pytest.fixture(scope="module", params=ROUTES)
def route(request):
    return request.param, ch.routes.load(request.param)


@pytest.mark.unit
def test_no_sentinel_in_parameters(route):
    name, fs = route
    df = fs.parameters()
    floats = df[df.kind == "float"]
    for col in ("value", "default"):
        v = floats[col].astype(float).to_numpy()
        assert np.isfinite(v).all(), f"{name}: non-finite {col}: {list(floats.name[~np.isfinite(v)])}"
        assert not (v == -1.0).any(), f"{name}: {col} -1: {list(floats.name[v == -1.0])}"
    assert (df.source.str.len() > 0).all()


@pytest.mark.unit
def test_resolved_defaults_show_their_source(route):
    name, fs = route
    df = fs.parameters().set_index("name")
    src = df.loc["prices.feedstock_eur_per_t", "source"]
    assert src.startswith("prices.yaml"), src
    if "feed.moisture_wt_pct" in df.index:
        assert "feedstocks.yaml" in df.loc["feed.moisture_wt_pct", "source"]
        fid = fs.get("feed.feedstock")
        expected = ch.feedstocks.load_feedstocks()[fid].moisture_ar_wt_pct
        assert df.loc["feed.moisture_wt_pct", "value"] == pytest.approx(expected, rel=1e-12)


@pytest.mark.unit
def test_yaml_defaults_equal_the_built_flowsheet(route):
    name, fs = route
    spec_vars = {s.vary for s in fs.specs}
    entries = (ch.routes.defaults(name).get("defaults") or {}).items()
    assert entries, f"{name}: no defaults in its YAML"
    for pname, entry in entries:
        value = entry["value"]
        if value == "design spec":  # solved by a design spec, not a default
            assert pname in spec_vars, f"{name}: {pname} is said to be set by a design spec"
            continue
        got = fs.get(pname)
        if isinstance(value, str):
            assert got == value, f"{name}: {pname} = {got!r} in the flowsheet, {value!r} in the YAML"
        else:
            assert math.isclose(float(got), float(value), rel_tol=1e-12), \
                f"{name}: {pname} = {got!r} in the flowsheet, {value!r} in the YAML"
        assert fs.source(pname).startswith(f"{name}.yaml") or fs.source(pname) != "set"


@pytest.mark.unit
def test_a_default_can_be_set_and_reset():
    fs = ch.routes.load("biomass_ft")
    own = fs.get("prices.feedstock_eur_per_t")
    fs.set("prices.feedstock_eur_per_t", own + 10.0)
    assert fs.get("prices.feedstock_eur_per_t") == own + 10.0 and fs.source("prices.feedstock_eur_per_t") == "set"
    fs.reset("prices.feedstock_eur_per_t")
    assert fs.get("prices.feedstock_eur_per_t") == own
    fs.set("feed.feedstock", "wheat_straw")  # the resolved defaults follow their inputs
    feeds = ch.feedstocks.load_feedstocks()
    assert fs.get("feed.moisture_wt_pct") == pytest.approx(feeds["wheat_straw"].moisture_ar_wt_pct)
    assert fs.get("prices.feedstock_eur_per_t") != own


@pytest.mark.unit
@pytest.mark.parametrize("name, value", [("feed.moisture_wt_pct", -1.0), ("agr.h2s_removal", -1.0),
                                         ("sulphur.cos_removal", -0.5)])
def test_negative_moisture_or_removal_is_rejected(name, value):
    fs = ch.routes.load("biomass_ft")
    with pytest.raises(ParameterValueError) as e:
        fs.set(name, value)
    msg = str(e.value)
    assert "\n" not in msg and name in msg and "outside the allowed range [0," in msg
