"""The caustic price is the figure read in its source, converted (issue 13 item 2).

prices.yaml ``caustic_soda_usd_per_t`` is Davis et al. (2013), NREL/TP-5100-60223, as carried in
the BioSTEAM Bioindustrial-Park price lists: 0.0832 USD(2011) per lb of caustic. The figure is
typed here from that transcription (see the entry's ``verified_in``), and the pound from its
definition (0.45359237 kg), so the test fails if the price, its year or its unit change alone.
"""
from __future__ import annotations

import pytest

from carbonhub.data import load_yaml

SOURCE_USD_PER_LB = 0.0832        # 2011 USD, Davis et al. (2013) via BioSTEAM
LB_PER_T = 1000.0 / 0.45359237    # international pound


@pytest.mark.unit
def test_caustic_price_is_the_source_figure_per_tonne():
    item = load_yaml("prices.yaml")["items"]["caustic_soda_usd_per_t"]
    assert item["value"] == pytest.approx(SOURCE_USD_PER_LB * LB_PER_T, abs=0.05)   # 183.42
    assert item["year"] == 2011
    assert item["unit"] == "USD/t NaOH"
    assert item["verified"] is True and "unit" in item["unverified_fields"]
