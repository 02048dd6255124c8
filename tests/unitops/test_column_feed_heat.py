"""A shortcut column's feed heat (unitops/column_feed.py): the heat that brings its feed to the
state q its design takes, priced with the reboiler's steam (issue 13 item 3: biomass_ft's
product columns took their 40 degC feed as saturated liquid, ~1.5 MW of heat bought nowhere).

References computed here, independently of the column: the bubble point by Raoult's law with
CoolProp's (IAPWS-style reference equations of state) vapour pressures, the ideal-gas
enthalpies from Cantera's nasa_gas.yaml (the route's enthalpy basis), the heats of
vaporisation from CoolProp."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

from carbonhub.core import Stream
from carbonhub.thermo import ComponentSet
from carbonhub.unitops.columns import ShortcutColumn

P = 1.01325e5
FLUIDS = {"C5H12": ("n-Pentane", "C5H12,n-pentane"), "C7H16": ("n-Heptane", "C7H16,n-heptane")}


def _run(T_feed: float, q: float):
    cs = ComponentSet.from_ids(list(FLUIDS))
    feed = Stream.from_flows(cs, {"C5H12": 5.0, "C7H16": 5.0}, T=T_feed, P=P)
    col = ShortcutColumn("c", light_key="C5H12", heavy_key="C7H16", P=P)
    return col.run({"feed": feed}, col.resolve({"q": q}, 1))


def _bubble_coolprop() -> float:
    from CoolProp.CoolProp import PropsSI

    return brentq(lambda T: sum(0.5 * PropsSI("P", "T", T, "Q", 0, f) / P for f, _ in FLUIDS.values()) - 1.0,
                  280.0, 400.0, xtol=1e-10)


@pytest.mark.unit
def test_subcooled_feed_takes_its_ideal_gas_sensible_heat_to_the_bubble_point():
    import cantera as ct

    r = _run(300.0, 1.0)
    Tb = float(r.design["T_feed_bubble_K"][0])
    assert Tb == pytest.approx(_bubble_coolprop(), abs=0.1)  # 327.24 K (CoolProp), 0.02 K apart
    sp = {s.name: s for s in ct.Species.list_from_file("nasa_gas.yaml")}
    want = sum(5.0 * (sp[name].thermo.h(Tb) - sp[name].thermo.h(300.0)) / 1e3 for _, name in FLUIDS.values())
    assert 3e4 < want and float(r.design["feed_heat_W"][0]) == pytest.approx(want, rel=1e-6)


@pytest.mark.unit
def test_feed_quality_below_one_adds_the_vaporisation_of_that_share():
    """q = 0.5: half the feed arrives as vapour, so its heat also holds 0.5 x sum F_j lambda_j at
    the bubble point; CoolProp's heats of vaporisation there, within the few % of the design's
    Clausius-Clapeyron latent heats (ideal vapour, liquid volume neglected)."""
    from CoolProp.CoolProp import PropsSI

    one, half = _run(300.0, 1.0), _run(300.0, 0.5)
    Tb = float(one.design["T_feed_bubble_K"][0])
    lam = sum(5.0 * (PropsSI("H", "T", Tb, "Q", 1, f) - PropsSI("H", "T", Tb, "Q", 0, f))
              * PropsSI("M", f) for f, _ in FLUIDS.values())  # J/kg x kg/mol x mol/s
    extra = float(half.design["feed_heat_W"][0] - one.design["feed_heat_W"][0])
    assert extra == pytest.approx(0.5 * lam, rel=0.05)


@pytest.mark.unit
def test_column_steam_is_the_reboiler_duty_plus_the_feed_heat_either_sign():
    cold, hot = _run(300.0, 1.0), _run(345.0, 1.0)  # below and above the 327 K bubble point
    for r, sign in ((cold, 1.0), (hot, -1.0)):
        d = r.design
        assert sign * float(d["feed_heat_W"][0]) > 1e4
        assert float(r.utilities["steam_heat_W"][0]) == pytest.approx(
            float(d["reboiler_duty_W"][0] + d["feed_heat_W"][0]), rel=1e-12)
        assert float(r.utilities["cooling_W"][0]) == pytest.approx(float(d["condenser_duty_W"][0]), rel=1e-12)


@pytest.mark.unit
def test_olefin_train_columns_buy_their_feed_heat():
    """The five columns of the olefin train (unitops/olefins.py) price their feed heat as a
    ShortcutColumn does: steam = sum over columns of max(reboiler above 300 K + feed heat, 0).
    The demethaniser's feed is the train's (dry) feed at 313.15 K: its feed heat is the
    ideal-gas enthalpy change to its bubble point, computed here with Cantera's nasa_gas.yaml."""
    import cantera as ct

    from carbonhub.unitops.olefins import OlefinSeparationTrain

    names = {"H2": "H2", "CH4": "CH4", "C2H4": "C2H4", "C2H6": "C2H6", "C3H6": "C3H6,propylene",
             "C3H8": "C3H8", "C4H8": "C4H8,1-butene"}
    f = {"H2": 2.0, "CH4": 5.0, "C2H4": 40.0, "C2H6": 3.0, "C3H6": 35.0, "C3H8": 3.0, "C4H8": 12.0}
    cs = ComponentSet.from_ids(list(f))
    feed = Stream.from_flows(cs, f, T=313.15, P=32e5)
    tr = OlefinSeparationTrain("olefins")
    r = tr.run({"feed": feed}, tr.resolve({}, 1))
    d = r.design
    sp = {s.name: s for s in ct.Species.list_from_file("nasa_gas.yaml")}
    Tb = float(d["demethaniser_T_feed_bubble_K"][0])
    assert 200.0 < Tb < 313.15  # the compressed effluent arrives above its bubble point at 32 bar
    want = sum(n * (sp[names[j]].thermo.h(Tb) - sp[names[j]].thermo.h(313.15)) / 1e3 for j, n in f.items())
    assert want < -1e5 and float(d["demethaniser_feed_heat_W"][0]) == pytest.approx(want, rel=1e-6)
    cols = ("demethaniser", "deethaniser", "c2_splitter", "depropaniser", "c3_splitter")
    steam = sum(max(float(d[f"{c}_reboiler_duty_W"][0]) * (float(d[f"{c}_T_bottom_K"][0]) >= 300.0)
                    + float(d[f"{c}_feed_heat_W"][0]), 0.0) for c in cols)
    reboilers = sum(float(d[f"{c}_reboiler_duty_W"][0]) * (float(d[f"{c}_T_bottom_K"][0]) >= 300.0) for c in cols)
    assert abs(steam - reboilers) > 1e4  # the feed heats move the steam
    assert float(r.utilities["steam_heat_W"][0]) == pytest.approx(steam, rel=1e-12)
    # the enthalpy balance still closes: steam in - cooling out = the unit's heat
    assert float(r.utilities["steam_heat_W"][0] - r.utilities["cooling_W"][0]) == pytest.approx(
        float(r.heat[0]), rel=1e-12)
    # a subcooled feed needs heat: the C3 splitter (18 bar) takes the depropaniser's (16 bar) distillate
    assert float(d["c3_splitter_feed_heat_W"][0]) > 0.0
