"""Capital of the site utilities: the cooling tower and its pumps on the priced cooling water, and
the wastewater-treatment block chosen by the effluent (``biotreatment.cost_block``).

References typed here from their sources, not read from property_data: Humbird et al. (2011),
NREL/TP-5100-47764, area 900 as encoded in BioSTEAM 2.52.17 (biosteam/facilities/
_cooling_tower.py): cooling tower 1,375,000 USD(CE 551) at 557,183 kmol/h of water, n 0.7,
BM 1.5; cooling-water pump 283,671 USD at 609,624 kmol/h, n 0.8, BM 3.1. NETL IGCC account
3.7 (IDAES BB_costing_data.json, technology 5, CCS B): 11,827.512 kUSD2018 at 1,074.8234
gal/min, n 0.71. Humbird's wastewater system (BioSTEAM WastewaterSystemCost): 50,280,080 USD
at 393,100 kg/h, n 0.6. Money moves with the one conversion function (convert_money)."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.costing import flowsheet as glue
from carbonhub.costing.indices import convert_money

pytestmark = pytest.mark.integration
M_H2O = 18.01528e-3  # kg/mol
GAL_PER_M3 = 264.172052


@pytest.fixture(scope="module")
def res():
    """plastics_pyrolysis (the fastest route with a cooling duty and a biological treatment), one
    case per wastewater block."""
    fs = ch.routes.load("plastics_pyrolysis")
    r = fs.simulate(params={"biotreatment.cost_block": np.array(["condensate", "biorefinery"])})
    r.kpis  # evaluates the TEA (r.tea)
    return r


def _usd(year: int) -> float:
    return float(convert_money(1.0, "USD", year, to_currency="EUR", to_year=2023, kind="capital"))


def test_cooling_tower_and_pumps_by_hand(res):
    """Circulation = the units' cooling duties / (4186 J/(kg K) x 10 K); each item scaled from
    Humbird's size with its exponent and installation factor; area utilities, no scope twice."""
    Q = sum(np.nan_to_num(np.asarray(r.utilities.get("cooling_W", 0.0), dtype=float))
            for r in res.unit_results.values()) + np.zeros(res.n_cases)
    assert (Q > 0).all()
    circ_kg_h = Q / (4186.0 * 10.0) * 3600.0
    tower = 1.5 * 1_375_000 * (circ_kg_h / (557_183 * 1e3 * M_H2O)) ** 0.7 * _usd(2010)
    pumps = 3.1 * 283_671 * (circ_kg_h / (609_624 * 1e3 * M_H2O)) ** 0.8 * _usd(2010)
    uc = res.tea.unit_costs
    # the sizes typed from BioSTEAM's kmol/h and the YAML's kg/h (the report's figures) differ by 1e-6
    assert uc["cooling_tower"].installed_eur == pytest.approx(tower, rel=1e-5)
    assert uc["cooling_tower.1"].installed_eur == pytest.approx(pumps, rel=1e-5)
    rows = {r["unit_id"]: r for r in glue.unit_table(res)}
    for uid in ("cooling_tower", "cooling_tower.1"):
        assert rows[uid]["area"] == "utilities" and rows[uid]["osbl"]
        assert uid not in res.flowsheet.units


def test_no_cooling_duty_no_tower(res, monkeypatch):
    """Cases with no cooling duty cost no tower: the rows are absent."""
    from carbonhub.costing import water

    rows = water.cooling_tower_cost_rows(res)
    assert [r["unit_id"] for r in rows] == ["cooling_tower", "cooling_tower.1"]
    monkeypatch.setattr(water, "heat_supply", lambda r: {"cooling_W": np.zeros(r.n_cases)})
    assert water.cooling_tower_cost_rows(res) == []


def test_wastewater_block_follows_the_effluent_choice(res):
    """condensate: the NETL IGCC process-water account on the water treated (gal/min);
    biorefinery: Humbird's plant (kg/h); exactly one is costed in each case."""
    m3_h = np.asarray(res.unit_results["biotreatment"].design["feed_m3_per_h"], dtype=float)
    netl = 11_827_512.0 * (m3_h * GAL_PER_M3 / 60.0 / 1074.8234) ** 0.71 * _usd(2018)
    humbird = 50_280_080.0 * (m3_h * 1000.0 / 393_100) ** 0.6 * _usd(2010)
    uc = res.tea.unit_costs
    assert uc["biotreatment"].item == "ref.wastewater_treatment_netl"
    assert uc["biotreatment.1"].item == "ref.biological_wastewater_treatment"
    assert uc["biotreatment"].installed_eur == pytest.approx([netl[0], 0.0], rel=1e-9)
    assert uc["biotreatment.1"].installed_eur == pytest.approx([0.0, humbird[1]], rel=1e-9)
    # the effluent's COD the choice is made by, from the inlet stream by hand
    from carbonhub.unitops.water import cod_per_mol

    sid = next(c.id for c in res.flowsheet.connections
               if c.dst.unit.id == "biotreatment" and c.dst.name == "feed")
    feed = res.stream(sid)
    cod_mg_L = feed.flow @ cod_per_mol(feed.cs) * 0.0319988 * 1e6 / (m3_h / 3.6)
    assert res.unit_results["biotreatment"].design["cod_in_mg_per_L"] == pytest.approx(cod_mg_L, rel=1e-12)


def test_own_treatment_effluent_is_not_priced_as_treatment_again(res):
    """The treated water of the route's own biological treatment (capital and aeration power
    costed) is effluent, not a second treatment: the wastewater priced at
    wastewater_treatment_eur_per_m3 is only the untreated scrubber blowdown (t/y, 1 t = 1 m3 as
    the costing takes it); the KPI wastewater_t_per_h still counts both."""
    hours = res.param("economics.operating_hours").astype(float)
    flows = glue.annual_flows(res, hours)
    sinks = {u.id: u for u in res.flowsheet.units.values() if getattr(u, "kind", "") == "sink"}
    assert sinks["treated_water"].treated_on_site and not sinks["scrubber_blowdown"].treated_on_site

    def t_per_h(sid):
        c = next(c for c in res.flowsheet.connections if c.dst.unit.id == sid)
        return res.stream(c.id).mass_flow * 3.6

    assert flows["wastewater_m3_per_y"] == pytest.approx(t_per_h("scrubber_blowdown") * hours, rel=1e-12)
    both = t_per_h("scrubber_blowdown") + t_per_h("treated_water")
    assert res.kpis["wastewater_t_per_h"].to_numpy() == pytest.approx(both, rel=1e-9)
    with pytest.raises(ValueError, match="treated_on_site applies to category 'wastewater'"):
        from carbonhub.unitops.sources import Sink
        Sink("x", "emission", treated_on_site=True)
