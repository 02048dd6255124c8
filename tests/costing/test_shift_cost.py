"""The water-gas shift's capital: its own design (a catalyst-filled pressure vessel and the
exchanger of its heat, Turton) or NETL's coal-IGCC sour-shift account, by ``wgs.cost_block``.
Expected costs are computed here by hand from the published correlations (Turton et al. 2012,
Appendix A, Table A.1/A.4 and Eq. A.2; NETL account 5.7 as encoded in IDAES), not by the
costing code."""
from __future__ import annotations

import math

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.data import load_yaml


@pytest.fixture(scope="module")
def both_blocks():
    # biomass_methanol: its isothermal shift's heat leaves through the shift's own exchanger
    # (biomass_ft's shift has a feed-effluent exchanger, wgs_feh, and no duty of its own)
    fs = ch.routes.load("biomass_methanol")
    res = fs.simulate(params={"wgs.cost_block": np.array(["vessels", "netl_account"])})
    assert (res.status == "ok").all(), res.status
    res.kpis
    return res


@pytest.mark.integration
def test_shift_vessels_cost_the_catalyst_volume_as_a_turton_pressure_vessel(both_blocks):
    res = both_blocks
    d = res.unit_results["wgs"].design
    uc = res.tea.unit_costs
    vessel, hx, netl = uc["wgs"], uc["wgs.1"], uc["wgs.2"]
    assert vessel.item == "turton.vessel_vertical" and hx.item == "turton.heat_exchanger_fixed_tube"
    assert netl.item == "ref.water_gas_shift_reactors_netl"
    # each block costs only in its own case
    assert vessel.installed_eur[1] == 0 and hx.installed_eur[1] == 0 and netl.installed_eur[0] == 0
    # the vessel by hand: Turton Table A.1 (K), Table A.4 (B1, B2), Eq. A.2 (FP), carbon steel,
    # L/D = 3, CEPCI 397 -> 2023 (797.9), EUR at the 2023 rate (1.0813 USD/EUR)
    V, P = float(d["volume_m3"][0]), float(d["P_barg"][0])
    assert 0.3 <= V <= 520.0
    lv = math.log10(V)
    cp0 = 10 ** (3.4974 + 0.4485 * lv + 0.1074 * lv * lv)
    D = (4.0 * V / (3.0 * math.pi)) ** (1.0 / 3.0)
    fp = max(((P + 1.0) * D / (2.0 * (850.0 - 0.6 * (P + 1.0))) + 0.00315) / 0.0063, 1.0)
    cbm = cp0 * (2.25 + 1.82 * fp)
    assert vessel.installed_eur[0] == pytest.approx(cbm * 797.9 / 397.0 / 1.0813, rel=1e-9)
    # the exchanger of the shift's heat: area = |duty| / (U dT_utility)
    U, dT = res.param("wgs.U")[0], res.param("wgs.dT_utility")[0]
    assert d["exchanger_area_m2"][0] == pytest.approx(abs(d["duty_W"][0]) / (U * dT), rel=1e-12)
    # the NETL account by hand: 136,477,457 USD2018 at 17,622.56 ft3 of catalyst, exponent 0.8
    cepci = load_yaml("cepci.yaml")["values"]
    ft3 = float(d["catalyst_volume_ft3"][1])
    by_hand = 136477457.0 * (ft3 / 17622.5616) ** 0.8 * cepci[2023] / cepci[2018] / 1.0813
    assert netl.installed_eur[1] == pytest.approx(by_hand, rel=1e-9)
    # the physics is the same in both cases: only the cost differs, by an order of magnitude
    assert d["volume_m3"][0] == pytest.approx(d["volume_m3"][1], rel=1e-9)
    assert 5 * (vessel.installed_eur[0] + hx.installed_eur[0]) < netl.installed_eur[1]
