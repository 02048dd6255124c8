"""Every route's parameters: no sentinel values (NaN, -1 for "default"), every default shown as
the value used with where it comes from, and one home per default: the defaults listed in the
route's YAML are the values of the built flowsheet."""
from __future__ import annotations

import copy
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


def _perturbed(name: str, fs) -> dict:
    """The route's YAML with every numeric default moved by 1 % (inside its bounds)."""
    doc = copy.deepcopy(ch.routes.defaults(name))
    upper = fs.parameters().set_index("name")["upper"]
    for pname, entry in doc["defaults"].items():
        v = entry["value"]
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            entry["value"] = v * 1.01 if v * 1.01 <= upper[pname] else v * 0.99
    return doc


@pytest.mark.unit
def test_the_build_reads_its_defaults_from_the_yaml(route, monkeypatch):
    """One home: a route's YAML changed is the built flowsheet changed (no second value in the
    build code)."""
    name, fs = route
    doc = _perturbed(name, fs)
    monkeypatch.setattr(ch.routes, "defaults", lambda n: doc if n == name else {})
    built = ch.routes.load(name)
    numeric = {k: e["value"] for k, e in doc["defaults"].items() if isinstance(e["value"], float)}
    assert numeric, f"{name}: no numeric default in its YAML"
    for pname, value in numeric.items():
        assert built.get(pname) == pytest.approx(value, rel=1e-12), f"{name}: {pname} does not follow the YAML"
        assert built.parameters().set_index("name").loc[pname, "default"] == pytest.approx(value, rel=1e-12)


@pytest.mark.unit
def test_a_default_written_in_the_build_code_too_is_an_error():
    fs = ch.routes.load("biomass_ft")
    ch.routes.apply_defaults(fs, ch.routes.RouteDefaults("biomass_ft"))  # the YAML's own values: fine
    fs.set("ft.alpha", 0.9)  # as a build that writes the YAML's value in code
    with pytest.raises(ch.routes.RouteDefaultsError) as e:
        ch.routes.apply_defaults(fs, ch.routes.RouteDefaults("biomass_ft"))
    msg = str(e.value)
    assert "\n" not in msg and "route biomass_ft: ft.alpha = 0.9 is written in the build code" in msg


@pytest.mark.unit
def test_reset_returns_to_the_route_default():
    fs = ch.routes.load("biomass_ft")
    yaml_T = ch.routes.defaults("biomass_ft")["defaults"]["gasifier.T"]["value"]
    unit_T = fs.units["gasifier"].all_params()["T"].default
    assert yaml_T != unit_T  # the route's default is not the unit's
    fs.set("gasifier.T", 1200.0)
    assert fs.get("gasifier.T") == 1200.0 and fs.source("gasifier.T") == "set"
    fs.reset("gasifier.T")
    assert fs.get("gasifier.T") == yaml_T and fs.source("gasifier.T").startswith("biomass_ft.yaml: ")


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
