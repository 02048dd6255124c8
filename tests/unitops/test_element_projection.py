"""The element projection after an equilibrium solve (``unitops._common.project_elements``):
compiled per-case kernel and numpy reference agree, and the projected moles carry exactly the
target element inventory (checked by the matrix product, an independent computation)."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.thermo import ComponentSet
from carbonhub.unitops._common import project_elements

pytest.importorskip("numba")

SPECIES = ["CO", "CO2", "H2", "H2O", "CH3OH"]


@pytest.mark.unit
def test_compiled_projection_equals_numpy_and_closes_the_elements():
    A = ComponentSet.from_ids(SPECIES).element_matrix
    A = A[:, A.any(axis=0)]  # C, H, O
    rng = np.random.default_rng(4)
    n_cases = 300
    n = rng.uniform(0.0, 10.0, (n_cases, len(SPECIES))) * (rng.uniform(size=(n_cases, len(SPECIES))) < 0.8)
    b = n @ A
    moles = n * (1.0 + rng.normal(0.0, 1e-7, n.shape))  # an equilibrium solver's residual
    moles[:10] = n[:10]  # already exact: unchanged
    moles[10:13] = 0.0
    moles[10:13, 1] = 2.0  # pure CO2: C and O bound in one species (singular system)
    b[10:13] = moles[10:13] @ A * (1 + 1e-8)
    a = project_elements(moles, A, b, engine="numpy")
    c = project_elements(moles, A, b, engine="numba")
    np.testing.assert_allclose(c, a, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(c[:10], moles[:10])
    assert ((c > 0) == (moles > 0)).all()  # species with zero moles stay zero
    regular = np.arange(n_cases) >= 13
    np.testing.assert_allclose(c[regular] @ A, b[regular], rtol=1e-12)
    assert np.abs(c[regular] - moles[regular]).max() > 1e-9  # a correction was made
