"""biomass_ft's upgrading train on a Fischer-Tropsch C5+ liquid, wired as in
flowsheets/biomass_ft.py: reactor wax apart from the condensate (wax_split), condensate
hydrotreater, wax hydrocracker (taking the hydrotreated condensate and its H2), naphtha column
(C8/C12 keys, 1 atm) and jet column (C12/C16 keys, 0.5 bar). Balances, batch == one by one,
the columns' top temperatures against a bubble point computed here from Perry's vapour-pressure
constants, and the hydrotreater's cost against its source's own mass basis."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

import carbonhub as ch
from carbonhub.data import load_yaml
from carbonhub.unitops.basic import ComponentSplitter
from carbonhub.unitops.columns import ShortcutColumn
from carbonhub.unitops.ft import asf_lump_carbon_fractions
from carbonhub.unitops.hydrotreating import Hydrotreater
from carbonhub.unitops.sources import GasSource, Sink
from carbonhub.unitops.upgrading import Hydrocracker

LB_KG = 0.45359237  # lb [kg], exact


def _ft_liquid(alpha: float) -> dict[str, float]:
    """Mole fractions of an ASF C5+ liquid: the carbon of the C5-C11, C12-C20 and C21+ lumps
    over their representative carbon numbers 8, 16, 30."""
    c = asf_lump_carbon_fractions(alpha)[0, 4:7]
    return dict(zip(("C8H18", "C16H34", "C30H62"), c / np.array([8.0, 16.0, 30.0])))


def _train(alpha: float) -> ch.Flowsheet:
    fs = ch.Flowsheet("ft_upgrading")
    liq = GasSource("ft_liquid", _ft_liquid(alpha), origin="biogenic", flow=20.0, T=313.15, P=25e5)
    h2 = GasSource("h2", {"H2": 0.98, "CH4": 0.02}, flow=30.0, T=313.15, P=50e5)
    wax = ComponentSplitter("wax_split", split={"C30H62": 1.0})
    ht = Hydrotreater("hydrotreater", P=50e5, T_out=623.15)
    hcr = Hydrocracker("hydrocracker")
    nap = ShortcutColumn("naphtha_column", light_key="C8H18", heavy_key="C12H26", P=1.01325e5)
    jet = ShortcutColumn("jet_column", light_key="C12H26", heavy_key="C16H34", P=0.5e5)
    sinks = [Sink(k, category="product") for k in ("naphtha", "jet", "diesel")] + [Sink("offgas", category="emission")]
    for u in (liq, h2, wax, ht, hcr, nap, jet, *sinks):
        fs.add(u)
    c = fs.connect
    c(liq.outlets.out, wax.inlets.feed)
    c(wax.outlets.bottom, ht.inlets.feed)
    c(h2.outlets.out, ht.inlets.h2)
    c(wax.outlets.top, hcr.inlets.feed)
    c(ht.outlets.product, hcr.inlets.h2)
    c(hcr.outlets.offgas, sinks[3].inlets.feed)
    c(hcr.outlets.product, nap.inlets.feed, id="hcr_product")
    c(nap.outlets.distillate, sinks[0].inlets.feed, id="naphtha_column_distillate")
    c(nap.outlets.bottoms, jet.inlets.feed, id="naphtha_column_bottoms")
    c(jet.outlets.distillate, sinks[1].inlets.feed, id="jet_column_distillate")
    c(jet.outlets.bottoms, sinks[2].inlets.feed, id="jet_column_bottoms")
    return fs


RATES = np.array([5.0, 20.0, 40.0])  # mol/s of FT liquid


@pytest.fixture(scope="module")
def batch():
    """The alpha = 0.9 train at three feed rates in one call (cases 0-2)."""
    return _train(0.9).simulate(params={"ft_liquid.flow": RATES})


@pytest.mark.unit
def test_train_conserves_and_separates(batch):
    res = batch
    assert (res.status == "ok").all(), res.status
    b = res.balances.abs().max()
    assert b[["mass_rel", "C_rel", "H_rel", "O_rel", "N_rel"]].max() < 1e-9, b
    assert b["energy_rel"] < 1e-6, b
    s = res.stream_data
    # the hydrocracker took all the wax; each column kept its keys to their recoveries
    np.testing.assert_array_equal(s["hcr_product"]["C30H62"], 0.0)
    for uid, lk, hk in (("naphtha_column", "C8H18", "C12H26"), ("jet_column", "C12H26", "C16H34")):
        d, bt = s[f"{uid}_distillate"], s[f"{uid}_bottoms"]
        np.testing.assert_allclose(d[lk] / (d[lk] + bt[lk]), 0.99, rtol=1e-9, err_msg=uid)
        np.testing.assert_allclose(bt[hk] / (d[hk] + bt[hk]), 0.99, rtol=1e-9, err_msg=uid)


@pytest.mark.unit
def test_batch_equals_one_by_one(batch):
    fs = _train(0.9)
    many = batch
    for k, r in enumerate(RATES):
        one = fs.simulate(params={"ft_liquid.flow": r})
        for uid in ("hydrotreater", "hydrocracker", "naphtha_column", "jet_column"):
            for key, v in one.unit_results[uid].design.items():
                np.testing.assert_allclose(many.unit_results[uid].design[key][k], v[0], rtol=1e-12, atol=0,
                                           err_msg=f"{uid}.{key}")


def _bubble_T(x: dict[str, float], P: float) -> float:
    """Bubble point [K] of an ideal liquid (Raoult): sum x_i Psat_i(T) = P with Perry's Table
    2-8 form ln Psat = C1 + C2/T + C3 ln T + C4 T^C5 [Pa] (property_data/kvalue_data.yaml)."""
    data = load_yaml("kvalue_data.yaml")["vapour_pressure"]

    def f(T):
        tot = 0.0
        for j, xj in x.items():
            c1, c2, c3, c4, c5 = data[j]["C"]
            tot += xj * np.exp(c1 + c2 / T + c3 * np.log(T) + c4 * T**c5)
        return tot - P
    return brentq(f, 250.0, 700.0, xtol=1e-12)


@pytest.mark.unit
def test_column_tops_at_the_bubble_point_of_their_distillates(batch):
    for uid, P in (("naphtha_column", 1.01325e5), ("jet_column", 0.5e5)):
        d = batch.stream_data[f"{uid}_distillate"]
        ids = [j for j in ("C8H18", "C12H26", "C16H34") if d[j][1] > 0]
        tot = sum(d[j][1] for j in ids)
        assert tot == pytest.approx(d.total_flow[1], rel=1e-12)  # only these paraffins
        T_ref = _bubble_T({j: d[j][1] / tot for j in ids}, P)
        assert d.T[1] == pytest.approx(T_ref, rel=1e-6), uid


@pytest.mark.unit
def test_hydrotreater_on_paraffinic_condensate_takes_no_h2_and_costs_its_source_basis(batch):
    """FT C5+ lumps are paraffins (no olefin or oxygenate species): the hydrotreater saturates
    nothing. Its cost: Knorr et al. (2013) via QSDsan, 27 MUSD2007 installed at 69,637 lb/h of
    oil, exponent 0.68, here on the condensate's mass rate in the source's own unit."""
    from carbonhub.costing.correlations import scaled_cost

    d = batch.unit_results["hydrotreater"].design
    np.testing.assert_array_equal(d["h2_consumed_mol_s"], 0.0)
    liq = _ft_liquid(0.9)
    M = {"C8H18": 0.11423, "C16H34": 0.22645}  # kg/mol (C 12.011, H 1.008)
    tot = sum(liq.values())
    kg_s = RATES * sum(liq[j] / tot * M[j] for j in M)
    lb_h = kg_s * 3600.0 / LB_KG
    ref = 27e6 * (lb_h / 69637.0) ** 0.68
    np.testing.assert_allclose(scaled_cost("hydrotreater", d["oil_feed_bbl_per_d"]), ref, rtol=2e-4)


@pytest.mark.unit
def test_a_wax_key_is_a_clear_error():
    """The C21+ wax lump has no vapour pressure (kvalue_data.yaml: non-volatile): as a column
    key it would give a design of NaNs, so it is refused in one line naming it."""
    from carbonhub.core import Stream
    from carbonhub.thermo import ComponentSet

    feed = Stream.from_flows(ComponentSet.default(), {"C16H34": 1.0, "C30H62": 0.5}, T=313.15, P=1e5)
    col = ShortcutColumn("wax_column", light_key="C16H34", heavy_key="C30H62")
    with pytest.raises(ValueError, match=r"wax_column: heavy_key 'C30H62' is non-volatile"):
        col.run({"feed": feed}, col.resolve({}, 1))


@pytest.mark.unit
@pytest.mark.parametrize("unit_cls", [Hydrotreater, Hydrocracker])
def test_feed_heating_beyond_high_pressure_steam_is_a_fired_heater(unit_cls):
    """Process heating above ~250 degC, the reach of high-pressure steam, is done in fired heaters
    (Towler & Sinnott 2013, Chemical Engineering Design, 3.2.2): the unit heating its feed to
    350 degC reports that duty as ``fired_heat_W`` (no steam) and sizes its feed heater on it
    (``fired_heater_kW``, costed as a Turton fired heater at its tube pressure); at 250 degC, or
    with ``heating = "steam"``, the same duty is steam and no heater is sized. The duty is the
    enthalpy rise of the unreacted feed to T, summed here over the components."""
    from carbonhub.core import Stream
    from carbonhub.unitops._common import FIRED_ABOVE_K, FIRED_HEATER_COST

    cs = ch.ComponentSet.default()
    liquid = {"C8H18": 1.0, "C16H34": 0.5} if unit_cls is Hydrotreater else {"C30H62": 0.4}
    oil = Stream.from_flows(cs, liquid, T=313.15, P=50e5)
    h2 = Stream.from_flows(cs, {"H2": 2.0}, T=313.15, P=50e5)
    assert FIRED_ABOVE_K == 523.15 and FIRED_HEATER_COST in [c.item for c in unit_cls.costs]
    for T, heating, fired in ((623.15, "auto", True), (523.15, "auto", False), (623.15, "steam", False),
                              (523.15, "fired", True)):
        kw = {"wax_conversion": 0.0} if unit_cls is Hydrocracker else {}  # no reaction: the duty is the feed's heat
        u = unit_cls("u", T=T, T_out=T, P=50e5, heating=heating, **kw)
        r = u.run({"feed": oil, "h2": h2}, u.resolve({}, 1))
        h = lambda flows, t: sum(n * float(cs.h(np.array([t]))[0, cs.index(k)]) for k, n in flows.items())  # noqa: E731
        duty = h({**liquid, "H2": 2.0}, T) - h({**liquid, "H2": 2.0}, 313.15)
        assert duty > 0
        u_ = r.utilities
        assert float(u_.get("fired_heat_W", np.zeros(1))[0]) == pytest.approx(duty if fired else 0.0, rel=1e-9, abs=1e-9)
        assert float(u_["steam_heat_W"][0]) == pytest.approx(0.0 if fired else duty, rel=1e-9, abs=1e-6)
        assert float(r.design["fired_heater_kW"][0]) == pytest.approx(duty / 1e3 if fired else 0.0, rel=1e-9)
        assert float(r.design["fired_heater_P_barg"][0]) == pytest.approx(50.0 - 1.01325, rel=1e-12)
    with pytest.raises(Exception, match="heating"):
        unit_cls("u", heating="electric").resolve({}, 1)
