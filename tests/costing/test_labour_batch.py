"""Operating labour per case: a case's operators do not depend on the other cases of its batch.

The operators per shift (Turton Eq. 8.3) counted every cost row of the batch; a technology
choice swaps rows (the AGR's amine block or its physical-solvent block), so an amine case
batched with a Rectisol case was charged the Rectisol block's operators too (waste_methanol_mto:
MSP 1,629.38 instead of 1,629.32 EUR/t, 4e-5, found by comparing a twin with the core)."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch


@pytest.mark.component
def test_labour_of_a_case_is_independent_of_its_batch():
    fs = ch.routes.load("waste_methanol_mto")
    mixed = fs.simulate(params={"agr.technology": ["rectisol", "mdea"]})
    alone = fs.simulate(params={"agr.technology": ["mdea"]})
    assert (mixed.status == "ok").all() and alone.status[0] == "ok"
    for name in ("msp_eur_per_t", "opex_eur_per_y"):
        np.testing.assert_allclose(mixed.kpis[name].to_numpy()[1], alone.kpis[name].to_numpy()[0],
                                   rtol=1e-10, err_msg=name)
