"""The reduced-space step's SLSQP and its first-order (KKT) test, on problems with an analytic
optimum (no twin, no IPOPT: milliseconds).

The toy is the shape of waste_methanol_mto's step at zero net steam: the objective falls with
z1 (the purge) until an inequality with a steep, curved slope holds it (the net steam,
g = a (z1 - z*) + b (z1 - z*)^2 >= 0), the other variable sits at its bound. The optimum is
(0, z*) by hand. SLSQP's linearisation lands a hair outside g >= 0 and its L1 line search back
has a directional derivative of zero to round-off: it exits "Positive directional derivative
for linesearch" (status 8) beside the optimum."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.eo.reduced_space import KKT_RTOL, SLSQP_LINESEARCH_STALL, kkt_holds, slsqp_box


def _toy(a, b, z_star, w):
    f = lambda z: 1.0 + w * z[1] + 0.01 * z[0]  # noqa: E731
    df = lambda z: np.array([0.01, w])  # noqa: E731
    g = lambda z: a * (z[1] - z_star) + b * (z[1] - z_star) ** 2  # noqa: E731
    dg = lambda z: np.array([0.0, a + 2 * b * (z[1] - z_star)])  # noqa: E731
    return f, df, [{"type": "ineq", "fun": g, "jac": dg}]


@pytest.mark.unit
@pytest.mark.parametrize("a, b, z_star, w, z1", [(8e4, -8e7, 0.7, 0.013, 0.72), (6e4, -2e7, 0.55, 0.04, 0.56)])
def test_a_line_search_stall_at_the_optimum_is_the_optimum(a, b, z_star, w, z1):
    from scipy.optimize import minimize

    f, df, cons = _toy(a, b, z_star, w)
    z0 = np.array([0.5, z1])
    plain = minimize(f, z0, jac=df, method="SLSQP", bounds=[(0.0, 1.0)] * 2, constraints=cons,
                     options={"ftol": 1e-10, "maxiter": 100})
    # the case this guards (if a scipy release stops stalling here, the test no longer
    # exercises the KKT fallback: pick another instance)
    assert plain.status == SLSQP_LINESEARCH_STALL, plain.message
    z, term = slsqp_box(f, df, z0, cons)
    assert term == "optimal"
    assert z[0] == pytest.approx(0.0, abs=1e-12)
    assert z[1] == pytest.approx(z_star, abs=1e-9)  # the root of g, by hand
    assert cons[0]["fun"](z) >= -1e-6


@pytest.mark.unit
def test_kkt_conditions_by_hand():
    # min z0 + z1 s.t. g = z1 - 0.3 >= 0, z in [0, 1]^2: optimum (0, 0.3), lambda = 1, mu_0 = 1
    grad = np.array([1.0, 1.0])
    jac = [np.array([0.0, 1.0])]
    assert kkt_holds(grad, [0.0], jac, np.array([0.0, 0.3]))
    # feasible but not stationary: z1 could still fall to 0.3
    assert not kkt_holds(grad, [0.1], jac, np.array([0.0, 0.4]))
    # stationary on the constraint but z0 free: the objective still falls along -z0
    assert not kkt_holds(grad, [0.0], jac, np.array([0.2, 0.3]))
    # infeasible beyond the tolerance
    assert not kkt_holds(grad, [-1e-3], jac, np.array([0.0, 0.299]))
    # a multiplier of the wrong sign: the constraint pushes the way the objective goes
    assert not kkt_holds(np.array([1.0, -1.0]), [0.0], jac, np.array([0.0, 0.3]))
    # an upper bound holds a rising objective's negative gradient: stationary
    assert kkt_holds(np.array([0.0, -2.0]), [], [], np.array([0.5, 1.0]))
    # an interior point with a gradient above the tolerance is not stationary
    assert not kkt_holds(np.array([0.0, 10 * KKT_RTOL]), [], [], np.array([0.5, 0.5]))
