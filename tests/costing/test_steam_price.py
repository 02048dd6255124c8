"""The default steam prices follow from the figures read in their sources (issue 13 item 2).

prices.yaml ``steam_lp/mp/hp_eur_per_t`` are the cash cost of steam from a gas-fired boiler: the
gas (Eurostat price, DEA boiler efficiency, IAPWS-IF97 enthalpies), its CO2 at the EU ETS price
(IPCC factor) and the boiler's O&M (DEA). The source figures below are typed from the entries'
notes, the enthalpies come from CoolProp, so the test fails if a price changes without its
inputs.
"""
from __future__ import annotations

import CoolProp.CoolProp as CP
import pytest

from carbonhub.costing.flowsheet import default_price
from carbonhub.costing.indices import convert_money

GAS_EUR_PER_MWH_LHV = 77.11          # Eurostat nrg_pc_203, NL band I5, 2023
BOILER_EFFICIENCY = 0.92             # DEA 311.1c, total efficiency net, annual average, 2020
CO2_T_PER_GJ = 0.0561                # IPCC 2006, natural gas, NCV basis
ETS_EUR_PER_T = 73.27                # EU ETS, 2023 (programme documents)
DEA_VOM_EUR2020_PER_MWH = 1.1        # DEA 311.1c variable O&M
DEA_FOM_EUR2020_PER_MW_Y = 2000.0    # DEA 311.1c fixed O&M
HOURS = 8410.0                       # tea_defaults.yaml operating hours
FEED_WATER_K = 378.15                # 105 degC, saturated liquid
STEAM_BAR = {"lp": 6.013, "mp": 10.0, "hp": 42.01}   # saturated steam, absolute


def _cash_cost(p_bar: float, ets: float = ETS_EUR_PER_T) -> float:
    h_fw = CP.PropsSI("H", "T", FEED_WATER_K, "Q", 0, "IF97::Water")
    h = CP.PropsSI("H", "P", p_bar * 1e5, "Q", 1, "IF97::Water")
    heat_gj = (h - h_fw) / 1e6                        # GJ per t of steam
    gas_gj = heat_gj / BOILER_EFFICIENCY
    om_2020 = DEA_VOM_EUR2020_PER_MWH + DEA_FOM_EUR2020_PER_MW_Y / HOURS   # EUR per MWh of heat
    om = float(convert_money(om_2020, "EUR", 2020, to_year=2023, kind="operating"))
    return (gas_gj / 3.6 * GAS_EUR_PER_MWH_LHV + gas_gj * CO2_T_PER_GJ * ets
            + heat_gj / 3.6 * om)


@pytest.mark.unit
@pytest.mark.parametrize("level", sorted(STEAM_BAR))
def test_steam_price_is_fuel_co2_and_om_of_a_gas_boiler(level):
    assert default_price(f"steam_{level}_eur_per_t") == pytest.approx(
        _cash_cost(STEAM_BAR[level]), abs=0.01)


@pytest.mark.unit
def test_steam_bought_carries_the_co2_of_its_gas():
    # the CO2 part of the MP price is the co2_references.yaml steam factor at the ETS price
    from carbonhub.data import load_yaml

    ef = load_yaml("co2_references.yaml")["utilities"]["steam_ef_t_per_t"]["value"]
    fuel_only = 2.540 / 3.6 * GAS_EUR_PER_MWH_LHV
    assert default_price("steam_mp_eur_per_t") - fuel_only == pytest.approx(
        ef * ETS_EUR_PER_T + 1.02, abs=0.02)


@pytest.mark.integration
def test_steam_bought_follows_the_case_co2_price():
    """prices.steam_import_eur_per_t / steam_export_eur_per_t follow prices.co2_eur_per_t
    (costing/steam_price.py): per case, the gas boiler's cash cost rebuilt here from the source
    figures with that case's CO2 price (0.1425 EUR/t per EUR/t CO2); a price the user sets is
    used as given. biomass_methanol buys steam: its steam line moves with the price, the steam
    bought does not."""
    import numpy as np

    import carbonhub as ch

    co2 = np.array([ETS_EUR_PER_T, 0.0, 200.0])
    fs = ch.routes.load("biomass_methanol")
    res = fs.simulate(params={"prices.co2_eur_per_t": co2})
    assert (res.status == "ok").all(), res.status
    want = np.array([_cash_cost(STEAM_BAR["mp"], c) for c in co2])
    np.testing.assert_allclose(res.param("prices.steam_import_eur_per_t"), want, atol=0.02)
    np.testing.assert_allclose(res.param("prices.steam_export_eur_per_t"), want, atol=0.02)
    assert want[2] - want[1] == pytest.approx(200.0 * 0.1425, abs=0.01)
    _ = res.kpis  # evaluates the TEA (res.tea)
    line = np.asarray(res.tea.variable_opex["steam_import"], dtype=float)
    assert line[0] > 1e6
    np.testing.assert_allclose(line / line[0], want / want[0], rtol=1e-3)
    fs.set("prices.co2_eur_per_t", 200.0)
    fs.set("prices.steam_import_eur_per_t", 50.0)  # the user's price is used as given
    assert fs.get("prices.steam_import_eur_per_t") == 50.0
    assert fs.get("prices.steam_export_eur_per_t") == pytest.approx(want[2], abs=0.02)
