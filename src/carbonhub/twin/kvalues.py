"""K-values as Pyomo expressions of T and P for the twins: the same DIPPR-101 and Henry formulas
as :mod:`carbonhub.thermo.kvalues`, with the correlation range frozen at the core solution
("in", or the linear-in-1/T extrapolation "lo" below Tmin / "hi" above Tmax)."""
from __future__ import annotations

import numpy as np

from ..thermo.kvalues import K_NONCONDENSABLE, NONCONDENSABLE, NONVOLATILE, RAOULT, KValueModel


def kvalue_region(km: KValueModel, i: int, T: float) -> str:
    """Where T [K] lies in the vapour-pressure range of component i: "lo", "in" or "hi"
    (always "in" for Henry, non-condensable and non-volatile components)."""
    if km.method[i] != RAOULT:
        return "in"
    return "lo" if T < km.Tmin[i] else "hi" if T > km.Tmax[i] else "in"


def _dippr(cid: str):
    from ..thermo.kvalues import Dippr, vapour_pressure_key, kvalue_data

    c = kvalue_data()["vapour_pressure"][vapour_pressure_key(cid)]
    return c, Dippr([c])


def lnpsat_expr(cid: str, Tn, region: str = "in"):
    """ln(Psat / Pa) of ``cid`` (DIPPR-101, Perry Table 2-8) as a Pyomo expression of the
    dimensionless temperature ``Tn`` = T/K; ``region`` as :func:`kvalue_region`."""
    import pyomo.environ as pyo

    c, d = _dippr(cid)
    if region == "in":
        C1, C2, C3, C4, C5 = c.C
        return C1 + C2 / Tn + C3 * pyo.log(Tn) + C4 * Tn ** C5
    if region == "lo":
        return float(d.lnP_lo[0, 0]) + float(d.m_lo[0, 0]) * (1.0 / Tn - 1.0 / c.Tmin)
    return float(d.lnP_hi[0, 0]) + float(d.m_hi[0, 0]) * (1.0 / Tn - 1.0 / c.Tmax)


def lnK_expr(km: KValueModel, i: int, Tn, lnPn, region: str = "in"):
    """ln K of component i as a Pyomo expression of Tn = T/K and lnPn = ln(P/Pa), exactly as
    :meth:`KValueModel.lnK`; None for a non-volatile component (K = 0)."""
    from ..thermo.kvalues import kvalue_data

    m = km.method[i]
    if m == NONVOLATILE:
        return None
    if m == NONCONDENSABLE:
        return float(np.log(K_NONCONDENSABLE))
    if m == RAOULT:
        return lnpsat_expr(km.ids[i], Tn, region) - lnPn
    h = kvalue_data()["henry"][km.ids[i]]
    return float(np.log(km.c_water) - np.log(h.Hcp_298)) - h.dlnH * (1.0 / Tn - 1.0 / 298.15) - lnPn


def latent_heat_expr(km: KValueModel, i: int, Tn, T0: float):
    """Heat of vaporisation [J/mol, as a plain number] of component i as a Pyomo expression of
    Tn = T/K, exactly as :meth:`KValueModel.latent_heat` (Clausius-Clapeyron slope of ln Psat;
    water from NASA, T clipped to 273.15-600 K); ranges frozen at T0 [K]."""
    from .properties import nasa_h_expr
    from ..thermo.kvalues import water_pair
    from ..thermo.nasa7 import R

    cid = km.ids[i]
    if cid in ("H2O", "H2O(L)"):
        wp = water_pair()
        if not 273.15 <= T0 <= 600.0:
            h = wp.h(np.clip([T0], 273.15, 600.0))[0]
            return float(h[0] - h[1])
        return nasa_h_expr(wp, "H2O", Tn) - nasa_h_expr(wp, "H2O(L)", Tn)
    if km.method[i] != RAOULT:
        return 0.0
    region = kvalue_region(km, i, T0)
    c, d = _dippr(cid)
    if region == "in":
        _, C2, C3, C4, C5 = c.C
        return R * (-C2 + C3 * Tn + C4 * C5 * Tn ** (C5 + 1))
    return float(-R * (d.m_lo if region == "lo" else d.m_hi)[0, 0])
