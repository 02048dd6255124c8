"""Exergy (carbonhub.thermo.exergy) against independent values: Szargut's tabulated standard
chemical exergies of species that are not anchors of the reference environment, Cantera for the
physical exergy of a gas mixture, and Szargut's reference atmosphere, whose exergy is zero."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.thermo import ComponentSet
from carbonhub.thermo.exergy import (P0, T0, carnot_factor, chemical_exergy, physical_exergy,
                                     standard_chemical_exergy)

# Szargut, Morris, Steward (1988), standard chemical exergy [kJ/mol], as transcribed in oemof/tespy
# (src/tespy/data/ChemEx/libChemExSzargut1988.py); graphite from the "Szargut 1989" column of
# Valero et al. (Table 2). None of these species is an anchor of property_data/exergy_reference.yaml
# (the anchors are O2, H2, N2, Ar, CO2, SO2, HCl, quartz): the code computes them from its NASA-7
# Gibbs energies, so the comparison tests both the method and the thermo data.
SZARGUT_KJ_PER_MOL = {"CH4": 831.65, "CO": 275.10, "CH3OH": 722.3, "C2H4": 1361.1, "C3H6": 2003.9,
                      "C2H6": 1495.84, "C3H8": 2154.0, "C4H10": 2805.8, "DME": 1419.5, "NH3": 337.9,
                      "H2S": 812.0, "H2O": 9.5, "H2O(L)": 0.9, "C(s)": 410.26}


@pytest.mark.unit
@pytest.mark.parametrize("cid", sorted(SZARGUT_KJ_PER_MOL))
def test_standard_chemical_exergy_matches_szargut(cid):
    cs = ComponentSet.default()
    ex = float(standard_chemical_exergy(cs)[cs.index(cid)]) / 1e3
    # 0.2 %: the NASA Glenn Gibbs energies of formation differ from Szargut's by up to ~3 kJ/mol
    # (propane 2150.9 against 2154.0); water (liquid) within 0.1 kJ/mol
    assert ex == pytest.approx(SZARGUT_KJ_PER_MOL[cid], rel=2e-3, abs=0.1)


@pytest.mark.unit
@pytest.mark.parametrize("cid,p_bar", [("N2", 0.758), ("O2", 0.204), ("H2O", 0.022), ("Ar", 9.06e-3),
                                       ("CO2", 3.35e-4)])
def test_a_gas_of_the_reference_atmosphere_at_its_partial_pressure_has_no_exergy(cid, p_bar):
    """Each gaseous reference species at its partial pressure in Szargut's atmosphere (Valero
    et al., Table 2, column P0n, in units of 100 kPa) is in the dead state: physical exergy
    R T0 ln(p/P0) < 0 cancels its standard chemical exergy, to the rounding of the table."""
    cs = ComponentSet.from_ids([cid])
    one = np.ones((1, 1))
    total = float(physical_exergy(cs, one, T0, p_bar * 1e5)[0] + chemical_exergy(cs, one)[0])
    assert abs(total) < 15.0  # J/mol (the tabulated exergies have 10 J/mol steps)
    assert float(physical_exergy(cs, one, T0, P0)[0]) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.unit
def test_physical_exergy_of_a_syngas_matches_cantera():
    ct = pytest.importorskip("cantera")
    names = {"H2": "H2", "CO": "CO", "CO2": "CO2", "H2O": "H2O", "CH4": "CH4", "N2": "N2"}
    cs = ComponentSet.from_ids(list(names))
    species = {s.name: s for s in ct.Species.list_from_file("nasa_gas.yaml")}
    gas = ct.Solution(thermo="ideal-gas", species=[species[names[c]] for c in cs.ids])
    flow = np.array([[30.0, 25.0, 10.0, 20.0, 5.0, 2.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]])  # mol/s
    T = np.array([1123.15, 450.0])
    P = np.array([30e5, 0.8e5])
    ours = physical_exergy(cs, flow, T, P)
    for i in range(2):
        gas.TPX = T0, P0, flow[i]
        h0, s0 = gas.enthalpy_mole, gas.entropy_mole  # J/kmol, J/(kmol K)
        gas.TPX = T[i], P[i], flow[i]
        ex = (gas.enthalpy_mole - h0 - T0 * (gas.entropy_mole - s0)) / 1e3 * flow[i].sum()
        assert float(ours[i]) == pytest.approx(ex, rel=1e-9)


@pytest.mark.unit
def test_heat_and_natural_gas():
    from carbonhub.costing.exergy import STEAM_T_SAT_K, natural_gas_exergy_ratio

    assert float(carnot_factor(STEAM_T_SAT_K)) == pytest.approx(1 - 298.15 / 453.03, rel=1e-12)
    # Szargut (1988/2007): methane 831.65 kJ/mol of exergy, 802.3 kJ/mol LHV
    assert natural_gas_exergy_ratio() == pytest.approx(831.65 / 802.3, rel=1e-3)


@pytest.mark.unit
def test_organic_matter_outside_the_beta_correlations_is_undefined_not_an_error():
    from carbonhub.thermo.components import ComponentSet as CS, organic_pseudo_component

    base = ComponentSet.default()
    by_id = {c.id: c for c in base.components}
    odd = organic_pseudo_component("odd", {"C": 10.0, "H": 2.0, "O": 80.0}, 5.0, 0.0, by_id)  # o/c = 8
    cs = CS([by_id["CO2"], odd])
    ex = standard_chemical_exergy(cs)
    assert np.isfinite(ex[0]) and np.isnan(ex[1])
    wood = base.index("ORG_wood_chips")  # inside: about 1.1 x its LHV, finite
    assert np.isfinite(standard_chemical_exergy(base)[wood])
