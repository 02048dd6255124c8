"""The default CO2 transport-and-storage price follows from the figures read in its sources
(issue 13 item 2).

prices.yaml ``co2_transport_storage_eur_per_t`` is an undiscounted cost per tonne stored: the
Porthos investment at its 2023 final investment decision, net of its EU grant, over the tonnes
it will store, plus the operating and end-of-life costs of the Danish Energy Agency's
pipeline-fed offshore storage with re-used platform and pipeline (sheet 451.3d). The figures
below are typed from those sources (see the entry's ``note``), not taken from the code, so the
test fails if the price changes without its inputs.
"""
from __future__ import annotations

import pytest

from carbonhub.costing.flowsheet import default_price
from carbonhub.costing.indices import convert_money

PORTHOS_INVESTMENT_MEUR = 1300.0      # final investment decision, October 2023
PORTHOS_EU_GRANT_MEUR = 102.0         # Connecting Europe Facility
PORTHOS_STORED_MT = 37.0              # about 2.5 Mt/y for 15 years
DEA_451_3D_EUR2020_PER_T = {          # 2020 column, EUR(2020) per t CO2
    "decommissioning": 0.705, "fixed O&M": 1.494, "variable O&M": 5.516, "energy": 0.625,
    "pre-FID": 0.124, "post-closure monitoring": 0.620}


@pytest.mark.unit
def test_storage_price_is_porthos_capital_plus_dea_operating_costs():
    capital = (PORTHOS_INVESTMENT_MEUR - PORTHOS_EU_GRANT_MEUR) / PORTHOS_STORED_MT
    operating = float(convert_money(sum(DEA_451_3D_EUR2020_PER_T.values()), "EUR", 2020,
                                    to_year=2023, kind="operating"))
    assert capital == pytest.approx(32.378, abs=1e-3)
    assert default_price("co2_transport_storage_eur_per_t") == pytest.approx(
        capital + operating, abs=0.01)


@pytest.mark.unit
def test_storage_price_covers_the_porthos_capital_per_tonne():
    # a tariff that recovers the system's investment (net of the grant) cannot be lower
    capital_net = (PORTHOS_INVESTMENT_MEUR - PORTHOS_EU_GRANT_MEUR) / PORTHOS_STORED_MT
    assert default_price("co2_transport_storage_eur_per_t") > capital_net
