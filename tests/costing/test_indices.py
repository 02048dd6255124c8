"""CEPCI escalation and USD/EUR conversion, checked by hand against the published indices."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.costing.indices import (CostYearError, cepci, convert_cost, escalate, to_currency,
                                       usd_per_eur)


@pytest.mark.unit
def test_escalation_by_hand():
    # CEPCI annual averages 2010 = 550.8, 2023 = 797.9 (Chemical Engineering magazine, Plant Cost
    # Index; the same values in IDAES idaes/core/base/costing_base.py)
    assert float(escalate(1000.0, 2010, 2023)) == pytest.approx(1000.0 * 797.9 / 550.8, rel=1e-14)
    # Turton basis 397 -> 2019 (607.5)
    assert float(escalate(23567.0, "turton_2001", 2019)) == pytest.approx(
        23567.0 * 607.5 / 397.0, rel=1e-14)
    assert float(escalate(1.0, "idaes_CE500", 2022)) == pytest.approx(816.0 / 500.0)
    assert cepci(2001) == 394.3 and cepci("turton_2001") == 397.0


@pytest.mark.unit
def test_escalation_is_vectorised_and_round_trips():
    c = np.linspace(1.0, 2.0, 7)
    out = escalate(escalate(c, 2005, 2021), 2021, 2005)
    np.testing.assert_allclose(out, c, rtol=1e-14)
    assert escalate(c, 2005, 2021).shape == (7,)


@pytest.mark.unit
def test_currency_by_hand():
    # ECB 2023 annual average 1.0813 USD/EUR
    assert usd_per_eur(2023) == 1.0813
    assert float(to_currency(1.0813e6, "USD", "EUR", 2023)) == pytest.approx(1e6, rel=1e-14)
    assert float(to_currency(1e6, "eur", "usd", 2023)) == pytest.approx(1.0813e6, rel=1e-14)
    assert float(to_currency(5.0, "EUR", "EUR", 1900)) == 5.0   # no rate needed
    # escalate in USD, then convert at the target year
    got = convert_cost(2e6, "USD", 2010, to_currency="EUR", to_year=2022)
    assert float(got) == pytest.approx(2e6 * 816.0 / 550.8 / 1.0530, rel=1e-14)


@pytest.mark.unit
def test_year_without_cepci_names_year_and_lists_available():
    with pytest.raises(CostYearError, match=r"2030.*1990-2023"):
        escalate(1.0, 2010, 2030)
    with pytest.raises(CostYearError, match="1985"):
        cepci(1985)
    with pytest.raises(CostYearError, match="turton_2001"):
        cepci("nonsense_basis")
    with pytest.raises(CostYearError, match="1998"):
        usd_per_eur(1998)
    with pytest.raises(ValueError, match="GBP"):
        to_currency(1.0, "GBP", "EUR", 2020)
