"""The dual fluidised-bed (indirectly heated) gasifier: the steam-blown IndirectGasifier and its
CharCombustor. Conservation per case (mass and elements 1e-9, energy 1e-6) over a batch; the
combustor's heat to the bed against an independent computation with Cantera's own NASA data;
the char leaving the gasifier is the fuel carbon it does not gasify; numpy core and IDAES twin
agree (rtol 1e-6) for both units."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core import Stream
from carbonhub.thermo import ComponentSet
from carbonhub.thermo.components import ELEMENTS
from carbonhub.unitops.indirect_gasifier import CharCombustor, IndirectGasifier
from carbonhub.unitops.sources import AIR

from tests.helpers import check_twin

CS_COMB = ComponentSet.from_ids(["C(s)", "ASH", "H2", "CO", "CH4", "CO2", "H2O", "N2", "O2", "Ar", "SO2",
                                 "H2S", "HCl", "NH3"])


def _air(cs, o2, T=298.15, n=None):
    return Stream.from_flows(cs, {k: np.asarray(o2) / AIR["O2"] * v for k, v in AIR.items() if k in cs},
                             T=T, P=1.5e5, n=n)


def _comb_ins(n=3):
    fuel = Stream.from_flows(CS_COMB, {"C(s)": np.linspace(10.0, 30.0, n), "ASH": 0.5, "H2": 4.0, "CO": 3.0,
                                       "CH4": 1.0, "CO2": 2.0, "H2O": 5.0, "H2S": 0.01, "HCl": 0.005, "NH3": 0.02},
                             T=1123.15, P=1.5e5, n=n)
    o2 = np.linspace(10.0, 30.0, n) + 0.5 * 4.0 + 0.5 * 3.0 + 2.0 + 1.5 * 0.01 + 0.75 * 0.02
    return {"fuel": fuel, "air": _air(CS_COMB, 1.25 * o2, n=n)}


def _balances(r, ins):
    out = list(r.outlets.values())
    m_in = sum(s.mass_flow for s in ins.values())
    m_out = sum(s.mass_flow for s in out)
    el_in = sum(s.element_flows for s in ins.values())
    el_out = sum(s.element_flows for s in out)
    h_in = sum(s.enthalpy for s in ins.values())
    h_out = sum(s.enthalpy for s in out)
    return (np.abs(m_out - m_in) / m_in, np.abs(el_out - el_in).max(axis=1) / el_in.sum(axis=1),
            np.abs(h_in + r.heat - h_out) / np.abs(h_in).max())


@pytest.mark.unit
def test_char_combustor_conserves_over_a_batch():
    ins = _comb_ins()
    cc = CharCombustor("cc", T=1173.15, heat_loss_fraction=0.01)
    r = cc.run(ins, cc.resolve({}, 3))
    m, el, h = _balances(r, ins)
    assert (m < 1e-9).all() and (el < 1e-9).all() and (h < 1e-6).all()
    assert r.status is None
    np.testing.assert_allclose(r.design["excess_air"], 0.25, rtol=1e-12)
    # the heat to the bed is what the unit gives up, less its loss; its utility offsets the gasifier's
    np.testing.assert_allclose(r.design["fired_heat_W"], -r.heat - r.design["heat_loss_W"], rtol=1e-12)
    np.testing.assert_allclose(r.utilities["fired_heat_W"], -r.design["fired_heat_W"], rtol=1e-12)
    assert np.all(np.diff(r.design["fired_heat_W"]) > 0)  # more char, more heat


@pytest.mark.unit
def test_char_combustor_heat_against_cantera():
    """1 mol/s graphite at 850 degC and 20 % excess air at 25 degC burnt to a flue gas at 900 degC:
    the heat to the bed from Cantera's NASA-7 species (nasa_condensed C(gr), nasa_gas O2, N2, Ar,
    CO2), an independent computation of the same enthalpy balance."""
    import cantera as ct

    cs = ComponentSet.from_ids(["C(s)", "CO2", "N2", "O2", "Ar"])
    fuel = Stream.from_flows(cs, {"C(s)": 1.0}, T=1123.15, P=1.5e5)
    air = _air(cs, 1.2)
    cc = CharCombustor("cc", T=1173.15)
    r = cc.run({"fuel": fuel, "air": air}, cc.resolve({}, 1))

    gas = {sp.name: sp for sp in ct.Species.list_from_file("nasa_gas.yaml")}
    solid = {sp.name: sp for sp in ct.Species.list_from_file("nasa_condensed.yaml")}

    def h(sp, T):  # J/mol
        return sp.thermo.h(T) / 1000.0

    x = {k: v / AIR["O2"] * 1.2 for k, v in AIR.items() if k in ("N2", "O2", "Ar", "CO2")}
    h_in = h(solid["C(gr)"], 1123.15) + sum(n * h(gas[k], 298.15) for k, n in x.items())
    flue = {**x, "CO2": x.get("CO2", 0.0) + 1.0, "O2": x["O2"] - 1.0}
    h_out = sum(n * h(gas[k], 1173.15) for k, n in flue.items())
    assert float(r.design["fired_heat_W"][0]) == pytest.approx(h_in - h_out, rel=1e-6)


@pytest.mark.unit
def test_char_combustor_flags_too_little_air():
    ins = _comb_ins(1)
    ins["air"] = _air(CS_COMB, 1.0)
    cc = CharCombustor("cc")
    r = cc.run(ins, cc.resolve({}, 1))
    assert r.status is not None and "too little O2" in r.status[0]


def _gasifier_ins(n=2):
    cs = ComponentSet.default()
    feed = Stream.from_flows(cs, {"ORG_wood_chips": 1000.0, "ASH": 2.0, "H2O(L)": 150.0}, T=333.15, P=1.5e5, n=n)
    steam = Stream.from_flows(cs, {"H2O": np.linspace(500.0, 900.0, n)}, T=573.15, P=1.7e5)
    return {"feed": feed, "steam": steam}


GAS = dict(T=1123.15, P=1.5e5, carbon_conversion=0.711, ch4_slip=0.138, tar_slip=0.1725, heat_loss_fraction=0.017)


@pytest.mark.unit
def test_indirect_gasifier_char_and_balances():
    ins = _gasifier_ins()
    g = IndirectGasifier("gasifier", **GAS)
    g.cs = ins["feed"].cs
    assert g.inlet_names == ("feed", "steam")  # no oxidant
    r = g.run(ins, g.resolve({}, 2))
    m, el, h = _balances(r, ins)
    assert (m < 1e-9).all() and (el < 1e-9).all() and (h < 1e-6).all()
    cs = ins["feed"].cs
    fuel_c = ins["feed"].element_flows[:, ELEMENTS.index("C")]
    np.testing.assert_allclose(r.outlets["ash"]["C(s)"], (1 - 0.711) * fuel_c, rtol=1e-12)
    fuel_n = ins["feed"].element_flows[:, ELEMENTS.index("N")]
    assert (r.outlets["syngas"]["N2"] <= 0.5 * fuel_n * (1 + 1e-12)).all()  # no air nitrogen: the fuel's only
    assert (r.outlets["syngas"]["O2"] < 1e-12 * fuel_c).all()
    assert (r.design["heat_required_W"] > 0).all()  # the bed must bring heat
    np.testing.assert_allclose(r.utilities["fired_heat_W"], r.design["heat_required_W"], rtol=1e-12)
    assert r.design["heat_required_W"][1] > r.design["heat_required_W"][0]  # more steam to heat
    assert cs.index("C7H16") >= 0 and (r.outlets["syngas"]["C7H16"] > 0).all()


@pytest.mark.component
@pytest.mark.solver
def test_char_combustor_twin():
    ins = _comb_ins(1)
    check_twin(CharCombustor("cc"), ins, {"T": 1173.15, "heat_loss_fraction": 0.01})


@pytest.mark.component
@pytest.mark.solver
def test_indirect_gasifier_twin():
    ins = _gasifier_ins(1)
    check_twin(IndirectGasifier("gasifier", **GAS), ins, {})


KIRNBAUER_2014_STEAM = {"H2": (0.30, 0.45), "CO": (0.20, 0.25), "CO2": (0.20, 0.25)}
"""Typical dry gas of steam (dual fluidised-bed) gasification of biomass [mol/mol dry]: Table 1
of Kirnbauer, Rauch, Hofbauer (2014), WIREs Energy Environ., doi:10.1002/wene.97 (read in the
stored text). CH4 (6-12 vol%) is left out: the route's ch4_slip is derived from this table."""

_WGS = ("the raw gas outside the slips is at water-gas-shift equilibrium at 850 degC (a documented "
        "simplification); real DFB gas is far below it (Larsson et al. 2013: H2/CO 0.7 at Chalmers, "
        "only ~5 % of the steam converted), so the model has more H2 and CO2 and less CO: measured "
        "dry H2 45.3 %, CO 19.2 %, CO2 26.3 % for dried wood chips at the route's defaults (H2/CO 2.4)")


@pytest.mark.unit
@pytest.mark.parametrize("species", [pytest.param(k, marks=pytest.mark.xfail(strict=True, reason=_WGS))
                                     for k in KIRNBAUER_2014_STEAM])
def test_dry_raw_gas_against_steam_gasification_data(species):
    """The route's gasifier (its variant defaults, biomass_methanol.yaml) on dried wood chips
    (10 wt% moisture) with 0.5 kg steam per kg dry: the dry raw gas (without tar) within the
    published range."""
    import carbonhub as ch
    from carbonhub.unitops.sources import Feedstock

    D = ch.routes.RouteDefaults("biomass_methanol", variant="indirect")
    keys = ("T", "P", "carbon_conversion", "ch4_slip", "tar_slip", "heat_loss_fraction")
    g = IndirectGasifier("gasifier", **{k: D[f"gasifier.{k}"] for k in keys})
    cs = ComponentSet.default()
    src = Feedstock("feed", feedstock="wood_chips", rate_dry_t_per_h=36.0, moisture_wt_pct=10.0, T=333.15,
                    P=D["gasifier.P"])
    src.cs = cs
    feed = src.run({}, src.resolve({}, 1)).outlets["out"]
    steam = Stream.from_flows(cs, {"H2O": D["gasifier_steam.ratio"] * 10.0 / 0.018015}, T=573.15,
                              P=D["gasifier.P"] + 2e5)   # 36 t/h dry = 10 kg/s
    g.cs = cs
    r = g.run({"feed": feed, "steam": steam}, g.resolve({}, 1))
    f = r.outlets["syngas"]
    dry = f.total_flow - f["H2O"] - f["C7H16"]
    lo, hi = KIRNBAUER_2014_STEAM[species]
    x = float(f[species][0] / dry[0])
    assert lo <= x <= hi, f"{species}: {x:.3f} outside [{lo}, {hi}]"
