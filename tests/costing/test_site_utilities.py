"""The site's other utilities (plant/instrument air, fire water, process water) and the first
catalyst charges, by hand.

References typed here from their sources, not read from property_data: Humbird et al. (2011),
NREL/TP-5100-47764, area 900 as encoded in BioSTEAM 2.52.17 (biosteam/facilities/
_air_distribution_package.py, _fire_water_tank.py, _process_water_center.py): plant air
compressor 28,000 USD (CE 551, n 0.6, BM 1.6), plant air receiver 16,000 (CE 522, n 0.6, BM 3.1),
instrument air dryer 15,000 (CE 522, n 0.6, BM 1.8), fire-water tank 803,000 (CE 522, n 0.7,
BM 1.8), fire-water pump 15,000 (CE 522, n 0.8, BM 1.7), process-water tank 250,000 at 451,555
kg/h (CE 522, n 0.7, BM 1.7), process-water pump 15,292 at 518,924 kg/h (CE 551, n 0.8, BM 3.1),
make-up water pump 6,864 at 155,564 kg/h (CE 551, n 0.8, BM 3.1); the air and fire-water items
scaled on the dry feed from the design's 2,000 dry t/d (83.333 t/h). The catalyst price is
prices.yaml's cu_zno_methanol_catalyst_eur_per_kg (25 EUR2023/kg). Money moves with the one
conversion function (convert_money)."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.costing import flowsheet as glue
from carbonhub.costing.indices import convert_money

pytestmark = pytest.mark.integration

HUMBIRD_900 = [  # (row, cost USD, CE year, n, BM, size basis, S_ref [t/h])
    ("site_utilities", 28_000, 2010, 0.6, 1.6, "feed", 83.333),
    ("site_utilities.1", 16_000, 2009, 0.6, 3.1, "feed", 83.333),
    ("site_utilities.2", 15_000, 2009, 0.6, 1.8, "feed", 83.333),
    ("site_utilities.3", 803_000, 2009, 0.7, 1.8, "feed", 83.333),
    ("site_utilities.4", 15_000, 2009, 0.8, 1.7, "feed", 83.333),
    ("site_utilities.5", 250_000, 2009, 0.7, 1.7, "water", 451.555),
    ("site_utilities.6", 15_292, 2010, 0.8, 3.1, "water", 518.924),
    ("site_utilities.7", 6_864, 2010, 0.8, 3.1, "water", 155.564),
]


def _usd(year: int) -> float:
    return float(convert_money(1.0, "USD", year, to_currency="EUR", to_year=2023, kind="capital"))


@pytest.fixture(scope="module")
def pyro():
    r = ch.routes.load("plastics_pyrolysis").simulate()
    r.kpis  # evaluates the TEA (r.tea)
    return r


def test_site_utilities_by_hand(pyro):
    """Each item scaled from Humbird's size with its exponent and installation factor, on the
    dry plastic fed (by hand from the feed streams) or the raw water intake; area utilities,
    outside battery limits, no operators."""
    res = pyro
    cs = res.flowsheet.components
    iw = [cs.index(w) for w in ("H2O", "H2O(L)") if w in cs]
    dry = sum(float(res.stream(c.id).mass_flow[0] - res.stream(c.id).flow[0, iw] @ cs.molar_mass[iw])
              for c in res.flowsheet.connections if getattr(c.src.unit, "is_feedstock", False)) * 3.6
    assert dry == pytest.approx(float(res.kpis["feed_dry_t_per_h"].iloc[0]), rel=1e-12)
    size = {"feed": dry, "water": float(res.kpis["water_intake_t_per_h"].iloc[0])}
    assert size["feed"] > 0 and size["water"] > 0
    uc = res.tea.unit_costs
    rows = {r["unit_id"]: r for r in glue.unit_table(res)}
    for uid, cost, year, n, bm, basis, s_ref in HUMBIRD_900:
        want = bm * cost * (size[basis] / s_ref) ** n * _usd(year)
        assert float(uc[uid].installed_eur[0]) == pytest.approx(want, rel=1e-9), uid
        assert rows[uid]["area"] == "utilities" and rows[uid]["osbl"] and rows[uid]["labour"] == "none"
        assert uid.split(".")[0] not in res.flowsheet.units


@pytest.fixture(scope="module")
def meoh():
    """co2_methanol_mto with the methanol converter costed as a vessel (its first charge then
    bought apart) and as DEA's complete plant (charge inside), each with the first fill as
    capital and not counted."""
    fs = ch.routes.load("co2_methanol_mto")
    r = fs.simulate(params={"meoh_reactor.cost_block": np.array(["reactor", "reactor", "complete_unit"]),
                            "economics.catalyst_first_fill": np.array(["capital", "none", "capital"])})
    assert (r.status == "ok").all(), r.status
    r.kpis
    return r


def test_first_catalyst_charge_is_fixed_capital_where_no_block_holds_it(meoh):
    res = meoh
    inv = np.asarray(res.unit_results["meoh_reactor"].utilities["catalyst_kg"], dtype=float)
    fill = 25.0 * inv  # EUR2023: prices.yaml price in the cost year (2023), no factor
    uc = res.tea.unit_costs["meoh_reactor_catalyst_fill"]
    assert uc.basis == "fixed_capital"
    assert uc.installed_eur == pytest.approx([fill[0], 0.0, 0.0], rel=1e-12)
    # 'none' removes exactly the charge from the fixed capital (same plant in cases 0 and 1)
    fci = np.asarray(res.tea.capex_eur, dtype=float)
    assert fci[0] - fci[1] == pytest.approx(fill[0], rel=1e-9)
    rows = {r["unit_id"]: r for r in glue.unit_table(res)}
    assert rows["meoh_reactor_catalyst_fill"]["area"] == "synthesis"
    # DEA's complete plant holds its charge: costed zero, and the table says where it is
    assert rows["meoh_reactor_catalyst_fill"]["included_in"][2] == "meoh_reactor"
    assert rows["mto_catalyst_fill"]["included_in"][0] == "mto"   # the MtO unit holds its own


def test_first_fill_choice_is_checked():
    fs = ch.routes.load("plastics_pyrolysis")
    with pytest.raises(Exception, match="catalyst_first_fill"):
        fs.simulate(params={"economics.catalyst_first_fill": "opex"})
