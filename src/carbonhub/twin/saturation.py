"""Water saturation pressure as a Pyomo expression for the twins (Wagner-Pruss, calibrated to
IAPWS-95 at the core solution)."""
from __future__ import annotations

import numpy as np

from ..thermo import steam as props

_WP_A = (-7.85951783, 1.84408259, -11.7866497, 22.6807411, -15.9618719, 1.80122502)
"""Vapour pressure of water, ln(P_sat/P_c) = T_c/T (a1 t + a2 t^1.5 + a3 t^3 + a4 t^3.5 + a5 t^4
+ a6 t^7.5), t = 1 - T/T_c: Wagner, W., Pruss, A. (1993), J. Phys. Chem. Ref. Data 22:783,
doi:10.1063/1.555926 (IAPWS SR1-86(1992)); within 7e-5 of IAPWS-95 (CoolProp) at 274-640 K."""


def _psat_wagner(T, sq, exp):
    """The equation of ``_WP_A`` at T [K, dimensionless] with sq = sqrt(1 - T/T_c)."""
    a, t = _WP_A, 1.0 - T / props.T_CRIT_WATER
    return props.P_CRIT_WATER * exp(props.T_CRIT_WATER / T * (
        a[0] * t + a[1] * t * sq + a[2] * t**3 + a[3] * t**3 * sq + a[4] * t**4 + a[5] * t**7 * sq))


def psat_twin(b, tag: str, T, T0: float):
    """P_sat of water [Pa] at ``T`` (a Pyomo expression in K) for a twin: the Wagner-Pruss
    equation times the constant that makes it equal CoolProp's IAPWS-95 value (the core's
    P_sat) at the core temperature ``T0``. Exact at the core solution; elsewhere it deviates
    from IAPWS-95 by the change of the equation's own error: < 6.3e-5 (relative) within 10 K of
    ``T0``, < 1.2e-4 anywhere in 274-640 K. A temperature that is not fixed gets the variable
    ``psat_<tag>_sqrt_tau`` = sqrt(1 - T/T_c) in [0, 1] (no fractional power of a quantity that
    could turn negative; valid below the critical point)."""
    import pyomo.environ as pyo

    Tc = props.T_CRIT_WATER
    T0 = min(max(float(T0), props.T_TRIPLE_WATER), Tc)
    Tn = T / pyo.units.K
    if Tn.is_fixed():
        sq = pyo.sqrt(1.0 - Tn / Tc)
    else:
        sq = pyo.Var(bounds=(0.0, 1.0), initialize=np.sqrt(1.0 - T0 / Tc),
                     doc=f"sqrt(1 - T/T_c) of the water saturation at {tag}")
        b.add_component(f"psat_{tag}_sqrt_tau", sq)
        b.add_component(f"eq_psat_{tag}_sqrt_tau", pyo.Constraint(
            expr=sq**2 == 1.0 - Tn / Tc, doc=f"definition of psat_{tag}_sqrt_tau"))
    cal = float(props.P_sat(T0)) / _psat_wagner(T0, np.sqrt(1.0 - T0 / Tc), np.exp)
    return cal * _psat_wagner(Tn, sq, pyo.exp) * pyo.units.Pa
