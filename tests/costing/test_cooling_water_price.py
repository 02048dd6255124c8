"""The default cooling-water price is the per-GJ utility price read in its source (issue 13
item 2).

prices.yaml ``cooling_water_eur_per_m3`` is 0.354 USD(2016) per GJ removed (Ge et al. 2023,
Comput. Chem. Eng. 169, Table 2, as transcribed with that citation in IDAES-PSE's
power-generation costing), put on carbonhub's m3 of circulated water at its 10 K rise. The
source figure is typed here and also read from the installed IDAES at run time, not from
carbonhub's price, so the test fails if the price moves without its source.
"""
from __future__ import annotations

import pytest

from carbonhub.costing.flowsheet import default_price
from carbonhub.costing.indices import convert_money

pytestmark = pytest.mark.unit

GE_2023_TABLE_2_USD2016_PER_GJ = 0.354
WATER_J_PER_M3_K = 4.18e6          # volumetric heat capacity of water, 4.18 MJ/(m3 K)
RISE_K = 10.0                      # the cooling-water rise the routes are priced on


def test_cooling_water_price_is_the_per_gj_price_on_a_10_k_rise():
    usd2016_per_m3 = GE_2023_TABLE_2_USD2016_PER_GJ * WATER_J_PER_M3_K * RISE_K / 1e9
    assert usd2016_per_m3 == pytest.approx(0.0147972, rel=1e-9)
    eur2023 = float(convert_money(usd2016_per_m3, "USD", 2016, to_year=2023, kind="operating"))
    assert default_price("cooling_water_eur_per_m3") == pytest.approx(eur2023, abs=5e-6)


def test_the_per_gj_figure_is_the_one_idaes_carries():
    from idaes.core.base.costing_base import register_idaes_currency_units
    from idaes.models_extra.power_generation.costing import power_plant_costing_dictionaries as d
    from pyomo.environ import units as pyunits, value

    register_idaes_currency_units()       # the module's prices are in IDAES USD_<year> units
    d.register_power_plant_currency_units()  # and its own USD_2018_Dec etc.
    cw = d.load_default_resource_prices()["cooling_water"]
    assert value(pyunits.convert(cw, to_units=pyunits.USD_2016 / pyunits.GJ)) == pytest.approx(
        GE_2023_TABLE_2_USD2016_PER_GJ, rel=1e-12)
    assert str(pyunits.get_units(cw)) == "USD_2016/GJ"
