"""NASA-7 thermo of the component set equals Cantera's (same NASA Glenn data) to 1e-10."""
from __future__ import annotations

import cantera as ct
import numpy as np
import pytest

from carbonhub.thermo import ComponentSet, UnknownComponentError
from carbonhub.thermo.components import ch2_increment, default_components

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def cs():
    return default_components()


def _cantera_species(cs):
    gas = {s.name: s for s in ct.Species.list_from_file("nasa_gas.yaml")}
    cond = {s.name: s for s in ct.Species.list_from_file("nasa_condensed.yaml")}
    import yaml
    from carbonhub.data import data_dir

    spec = yaml.safe_load((data_dir() / "components.yaml").read_text())["components"]
    out = {}
    for cid, d in spec.items():
        if "cantera" in d:
            out[cid] = (gas if d["file"] == "nasa_gas.yaml" else cond)[d["cantera"]]
    return out


def test_nasa7_equals_cantera(cs):
    T = np.array([250.0, 298.15, 500.0, 999.9, 1000.0, 1000.1, 1500.0, 2500.0])
    for cid, sp in _cantera_species(cs).items():
        i = cs.index(cid)
        lo, hi = sp.thermo.min_temp, sp.thermo.max_temp
        Ts = T[(T >= lo) & (T <= hi)]
        cp_ref = np.array([sp.thermo.cp(t) for t in Ts]) / 1000.0  # J/kmol/K -> J/mol/K
        h_ref = np.array([sp.thermo.h(t) for t in Ts]) / 1000.0
        s_ref = np.array([sp.thermo.s(t) for t in Ts]) / 1000.0
        np.testing.assert_allclose(cs.cp(Ts)[:, i], cp_ref, rtol=1e-10, err_msg=cid)
        np.testing.assert_allclose(cs.h(Ts)[:, i], h_ref, rtol=1e-10, atol=1e-7, err_msg=cid)
        np.testing.assert_allclose(cs.s0(Ts)[:, i], s_ref, rtol=1e-10, err_msg=cid)
        g_ref = (h_ref - Ts * s_ref) / (8.31446261815324 * Ts)
        np.testing.assert_allclose(cs.g0_RT(Ts)[:, i], g_ref, rtol=1e-10, atol=1e-9, err_msg=cid)


def test_molar_mass_equals_cantera(cs):
    for cid, sp in _cantera_species(cs).items():
        w = sum(n * ct.Element(e).weight for e, n in sp.composition.items()) / 1000.0
        assert cs.molar_mass[cs.index(cid)] == pytest.approx(w, rel=1e-12), cid


def test_ch2_increment_reproduces_known_alkanes():
    """The increment built from C7/C8 reproduces n-pentane (NASA Glenn) and the NIST
    gas-phase heat of formation of n-hexadecane (-374.8 +- 1.7 kJ/mol; Prosen & Rossini 1945,
    doi:10.6028/jres.034.013, as compiled in the NIST Chemistry WebBook)."""
    c5 = ch2_increment(5)
    sp = {s.name: s for s in ct.Species.list_from_file("nasa_gas.yaml")}["C5H12,n-pentane"]
    cs5 = ComponentSet([c5])
    for T in (300.0, 600.0, 900.0):
        assert cs5.h(T)[0, 0] / 1000 == pytest.approx(sp.thermo.h(T) / 1e6, abs=1.5)  # kJ/mol
        assert cs5.cp(T)[0, 0] == pytest.approx(sp.thermo.cp(T) / 1000, rel=0.02)
    c16 = ComponentSet([ch2_increment(16)])
    assert c16.h(298.15)[0, 0] / 1000 == pytest.approx(-374.8, abs=3.0)


def test_unknown_component_is_named(cs):
    with pytest.raises(UnknownComponentError, match="unknown component 'XYZ'.*H2"):
        cs.index("XYZ")


def test_organic_pseudo_component_reproduces_hhv(cs):
    """Burning ORG_<feed> with the component set's own data gives back the feedstock HHV."""
    from carbonhub.feedstocks import load_feedstocks

    h = cs.h(298.15)[0]
    hh = {k: h[cs.index(k)] for k in ("CO2", "H2O(L)", "N2", "SO2", "HCl")}
    for f in load_feedstocks().values():
        i = cs.index(f.org_id)
        el = dict(zip(cs.elements, cs.element_matrix[i]))
        prod = (el["C"] * hh["CO2"] + (el["H"] - el["Cl"]) / 2 * hh["H2O(L)"] + el["N"] / 2 * hh["N2"]
                + el["S"] * hh["SO2"] + el["Cl"] * hh["HCl"])
        hhv_per_mol = h[i] - prod  # J/mol organic (O2 has h = 0 at 298.15 K)
        org_frac = 1 - f.ash_dry_wt_pct / 100
        hhv_dry = hhv_per_mol / cs.molar_mass[i] * org_frac / 1e6
        assert hhv_dry == pytest.approx(f.hhv_dry_MJ_per_kg, rel=1e-9), f.id
