"""TCI build-up (factored, by maturity) and Lang shortcut, checked by hand."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.costing.capital import (CapitalFactors, capital_table, lang_tci,
                                       process_contingency_fraction, tci_buildup)


@pytest.mark.unit
def test_factored_buildup_by_hand():
    installed = {"gasifier": np.array([100.0, 200.0]), "synthesis": np.array([60.0, 60.0]),
                 "water": np.array([40.0, 40.0])}
    cb = tci_buildup(installed, maturity={"gasifier": "foak", "synthesis": 5},
                     osbl={"water": True})
    isbl = np.array([160.0, 260.0])
    tic = isbl + 40.0
    osbl_adds = (0.04 + 0.09 + 0.045) * isbl                   # Humbird et al. 2011
    pcont = 0.125 * installed["gasifier"] + 0.275 * 60.0       # foak; TRL 5 (AACE midpoints)
    tdc = tic + osbl_adds + pcont
    fci = tdc * (1 + 0.10 + 0.10 + 0.20 + 0.10 + 0.10)
    tci = fci * 1.05
    np.testing.assert_allclose(cb["isbl_installed"], isbl)
    np.testing.assert_allclose(cb["process_contingency"], pcont)
    np.testing.assert_allclose(cb["total_direct"], tdc, rtol=1e-14)
    np.testing.assert_allclose(cb.fci, fci, rtol=1e-14)
    np.testing.assert_allclose(cb.tci, tci, rtol=1e-14)
    parts = sum(cb[k] for k in ("total_installed", "warehouse", "site_development",
                                "additional_piping", "process_contingency", "total_indirect",
                                "working_capital", "land"))
    np.testing.assert_allclose(parts, cb.tci, rtol=1e-14)


@pytest.mark.unit
def test_fci_per_unit_by_hand_and_adds_up():
    """Each unit's share of the FCI, by hand: an ISBL unit carries its process contingency,
    the ISBL fractions (0.175) and the indirects (0.60); an OSBL unit no ISBL fractions; a
    complete unit (fixed capital) nothing. The shares add up to the FCI."""
    installed = {"gasifier": np.array([100.0, 200.0]), "synthesis": np.array([60.0, 60.0]),
                 "water": np.array([40.0, 40.0]), "loop": np.array([90.0, 10.0])}
    cb = tci_buildup(installed, maturity={"gasifier": "foak"}, osbl={"water": True},
                     fixed_capital={"loop": True})
    by_hand = {"gasifier": installed["gasifier"] * (1 + 0.125 + 0.175) * 1.6,
               "synthesis": 60.0 * 1.175 * 1.6, "water": 40.0 * 1.6, "loop": installed["loop"]}
    for u, v in by_hand.items():
        np.testing.assert_allclose(cb.fci_per_unit[u], v, rtol=1e-14)
    np.testing.assert_allclose(sum(cb.fci_per_unit.values()), cb.fci, rtol=1e-14)


@pytest.mark.unit
def test_factors_can_be_swept_per_case():
    f = CapitalFactors(project_contingency_frac_tdc=np.array([0.10, 0.30]))
    cb = tci_buildup({"a": 100.0}, factors=f)
    assert cb.fci[1] - cb.fci[0] == pytest.approx(0.20 * float(cb["total_direct"][0]))


@pytest.mark.unit
def test_process_contingency_mapping():
    assert process_contingency_fraction("nth") == 0.0
    assert process_contingency_fraction(None) == 0.0
    assert process_contingency_fraction("FOAK") == 0.125
    assert process_contingency_fraction("TRL4") == 0.50
    assert process_contingency_fraction(9) == 0.05
    assert process_contingency_fraction(0.3) == 0.3
    for bad in ("prototype", 12, 1.5, True):
        with pytest.raises(ValueError, match=str(bad).replace(".", r"\.")):
            process_contingency_fraction(bad)


@pytest.mark.unit
def test_lang_shortcut():
    cb = lang_tci(np.array([10.0, 20.0]), plant_type="solids")
    np.testing.assert_allclose(cb.fci, [31.0, 62.0])
    np.testing.assert_allclose(cb.tci, np.array([31.0, 62.0]) * 1.05)
    assert float(lang_tci(1.0, lang_factor=5.0).fci[0]) == 5.0
    with pytest.raises(ValueError, match="gas"):
        lang_tci(1.0, plant_type="gas")


@pytest.mark.unit
def test_bad_inputs():
    with pytest.raises(ValueError, match=r"'a'.*-5"):
        tci_buildup({"a": np.array([10.0, -5.0])})
    with pytest.raises(ValueError, match="unknown units"):
        tci_buildup({"a": 1.0}, maturity={"b": "nth"})
    with pytest.raises(ValueError, match=r"project_contingency_frac_tdc.*-0\.1"):
        CapitalFactors(project_contingency_frac_tdc=-0.1)


@pytest.mark.unit
def test_tables():
    cb = tci_buildup({"a": np.array([1.0, 2.0, 3.0])})
    one = cb.table(case=1)
    assert one.loc["tci", "share_of_tci"] == pytest.approx(1.0)
    assert one.loc["total_installed", "EUR"] == 2.0
    stats = capital_table(cb)
    assert list(stats.columns) == ["mean", "p05", "p50", "p95"]
    assert stats.loc["total_installed", "mean"] == pytest.approx(2.0)
