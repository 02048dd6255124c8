"""The linear-programming start of gas-only equilibria (thermo.equilibrium_start and the
compiled thermo._eq_start) against SciPy's HiGHS on the same program."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from carbonhub.thermo import equilibrate
from carbonhub.thermo.components import default_components
from carbonhub.thermo.equilibrium_start import lp_start
from carbonhub.thermo.nasa7 import P_REF
from tests.helpers import GAS, gas_cases


@pytest.mark.unit
def test_basis_moles_are_the_optimal_vertex_of_highs():
    """The start holds the program's optimal vertex exactly: its basis gases at the vertex's
    moles (HiGHS solves min c.n, A^T n = b, n >= 0 independently), the others below them."""
    sub = default_components().subset(GAS)
    used = np.abs(sub.element_matrix).sum(axis=0) > 0
    A = sub.element_matrix[:, used].astype(float)
    mol, T, P = gas_cases(60, 21)
    b = mol @ A
    b /= b.sum(axis=1, keepdims=True)
    c = sub.g0_RT(T) + np.log(P / P_REF)[:, None]
    active = b > 1e-300
    allowed = ~((A[None] > 0) & ~active[:, None, :]).any(axis=2)
    lnn, lnN, settled = lp_start(A, c, b, allowed)
    checked = 0
    for i in range(len(T)):
        al, ac = allowed[i], active[i]
        ref = linprog(c[i, al], A_eq=A[al][:, ac].T, b_eq=b[i, ac], bounds=(0, None), method="highs")
        x = np.zeros(len(GAS))
        x[al] = ref.x
        basis = x > 1e-8 * x.sum()
        if basis.sum() < ac.sum():
            assert not settled[i]  # a degenerate vertex keeps the uniform start
            continue
        assert settled[i], f"case {i}"
        np.testing.assert_allclose(np.exp(lnn[i, basis]), x[basis], rtol=1e-9, err_msg=f"case {i}")
        assert lnN[i] >= np.log(x.sum()) - 1e-12  # the other gases only add to N
        checked += 1
    assert checked > 50


@pytest.mark.unit
def test_start_halves_the_newton_iterations_and_keeps_the_answer():
    """Gas only, 300 random cases: 10.5 Newton iterations on the mean from a uniform start
    (every gas at 1 mol, given as the guess), 4.7 from the linear-programming start; same moles."""
    mol, T, P = gas_cases(300, 5)
    for engine in ("numpy", "numba"):
        lp = equilibrate(GAS, mol, T, P, engine=engine)
        uniform = equilibrate(GAS, mol, T, P, engine=engine, guess=np.ones_like(mol))
        assert (lp.status == "ok").all() and (uniform.status == "ok").all()
        np.testing.assert_allclose(lp.moles, uniform.moles, rtol=1e-9, atol=1e-13)
        assert lp.iterations.mean() < 5.5 < 8.0 < uniform.iterations.mean(), engine


@pytest.mark.component
@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_degenerate_vertices_keep_cea_start_and_equal_cantera(engine):
    """Pure feeds (steam, CO2, CH4, 2 H2 + O2) put the program on a degenerate vertex (pure
    steam: H2 or O2 at zero in the basis): those cases keep CEA's uniform start; with two
    mixtures whose vertex is not degenerate beside them, all must equal Cantera's
    equilibrate('TP')."""
    from thermo.test_equilibrium import cantera_x

    sp = ["H2", "O2", "H2O", "CO", "CO2", "CH4"]
    feeds = np.array([[0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 1], [0, 0, 1, 1, 0, 0],
                      [2, 1, 0, 0, 0, 0], [1, 0, 1, 0, 1, 0]], dtype=float)
    T = np.array([3000.0, 2500.0, 1200.0, 1100.0, 2800.0, 900.0])
    P = np.array([1e5, 1e5, 5e5, 20e5, 1e5, 30e5])
    res = equilibrate(sp, feeds, T, P, engine=engine)
    assert (res.status == "ok").all()
    x_ref = cantera_x(sp, feeds, T, P)
    for i in range(len(T)):
        np.testing.assert_allclose(res.moles[i] / res.moles[i].sum(), x_ref[i], rtol=0, atol=1e-8,
                                   err_msg=f"case {i}")
