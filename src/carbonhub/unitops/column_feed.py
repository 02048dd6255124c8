"""The heat that brings a shortcut column's feed to the state its design takes, in both engines.

A Fenske-Underwood-Gilliland design (:class:`~carbonhub.unitops.columns.ShortcutColumn`) takes
its feed in the thermal state ``q`` (1: saturated liquid at its bubble point at the column
pressure; 0: saturated vapour): the reboiler duty lambda_B [(R + 1) D - (1 - q) F] holds no
heat for a feed that arrives colder (a product column fed from a 40 degC separator) and no
credit for one that arrives hotter. That difference is the column's feed heat::

    Q_feed = H(feed at T_bub) - H(feed) + (1 - q) sum_j F_j lambda_j(T_bub)

with T_bub the bubble point at the column pressure of the feed's liquid formers, the species
with a vapour pressure (Raoult's law in the K-value model: water, methanol, the hydrocarbons):
light gases and dissolved solutes (Henry's law: 0.1 % of CO2 in a methanol/water feed puts
its first bubble at 281 K, while the liquid boils at ~350 K) leave in the first flash and do not
set the temperature the liquid must reach. H is the enthalpy of the
route's basis (NASA-7; the hydrocarbons as ideal gas, so the sensible heat of a liquid feed is
that of its vapour: Q_feed is a lower bound by the ratio of the liquid's to the vapour's heat
capacity, ~1.2-1.4 for C8-C16 paraffins) and lambda the design's heats of vaporisation. The
column's heat input is the reboiler's plus Q_feed (a feed preheater on the same steam, or the
reboiler's extra boil-up for a subcooled feed, q > 1: the same heat); a negative Q_feed (a feed
above its bubble point flashes on entry) lowers it, not below zero
(:func:`carbonhub.unitops.columns.column_utilities`).

Example
-------
A pentane/heptane liquid fed at 300 K to a column at 1 atm (bubble point ~330 K) needs its
sensible heat up to there:

>>> import numpy as np
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> from carbonhub.unitops.columns import ShortcutColumn
>>> cs = ComponentSet.from_ids(["C5H12", "C7H16"])
>>> feed = Stream.from_flows(cs, {"C5H12": 5.0, "C7H16": 5.0}, T=300.0, P=1.01325e5)
>>> col = ShortcutColumn("c", light_key="C5H12", heavy_key="C7H16", P=1.01325e5)
>>> d = col.run({"feed": feed}, col.resolve({}, 1)).design
>>> q = feed.enthalpy_at(d["T_feed_bubble_K"]) - feed.enthalpy
>>> bool(np.isclose(d["feed_heat_W"][0], q[0], rtol=1e-12)), bool(300.0 < d["T_feed_bubble_K"][0] < 380.0)
(True, True)
"""
from __future__ import annotations

import numpy as np

from ..thermo.kvalues import RAOULT, KValueModel, bubble_temperature
from ..thermo.rowdot import rowsum

__all__ = ["feed_heat_W", "feed_heat_pyomo"]


def feed_heat_W(feed, flow: np.ndarray, km: KValueModel, P, q, tol: float = 1e-10,
                T_start=None) -> tuple[np.ndarray, np.ndarray]:
    """(Q_feed [W], T_bub [K]) per case (module docstring): ``feed`` the column's feed Stream,
    ``flow`` its flows with water folded (n, k) [mol/s], ``P`` the column pressure [Pa], ``q``
    the design's feed quality [-], ``tol`` the bubble point's tolerance in 1/T; ``T_start``
    (n,) [K], optional: the bubble point's Newton start (the design's feed bubble point of its
    condensable species, the same root where the feed holds no non-volatile species). Q_feed = 0
    and T_bub = the feed's temperature where the feed holds no species with a vapour pressure."""
    x = flow * (km.method == RAOULT)
    T_bub, ok = bubble_temperature(km, x, P, tol=tol, T_start=T_start)
    ok = ok & (rowsum(x) > 0)
    T_bub = np.where(ok, T_bub, feed.T)
    q_feed = feed.enthalpy_at(T_bub) - feed.enthalpy
    vap = 1.0 - np.asarray(q, dtype=float)
    if np.any(vap != 0.0):  # a feed taken as saturated liquid (q = 1) has no vaporised share
        q_feed = q_feed + vap * rowsum(x * km.latent_heat(T_bub))
    return np.where(ok, q_feed, 0.0), T_bub


def feed_heat_pyomo(blk, b, km: KValueModel, feed: dict, f0: np.ndarray, P, T_bub0: float,
                    feed_T=None) -> None:
    """Twin of :func:`feed_heat_W` on the column's design block ``blk`` (``b``: the unit block,
    its ``feed`` inlet and parameter ``q``): variable ``T_feed`` (the bubble point of the feed's
    species with a vapour pressure), Expression ``feed_heat`` [W]. ``feed``: folded feed flow
    expressions; ``f0``: the core's folded feed flows (n_comp,) of the case; ``T_bub0``: the
    core's bubble point [K]; ``feed_T``: the feed's temperature [K] (a Pyomo expression) where
    the feed is ``feed``'s flows at that temperature (a column inside a unit, fed by another
    column's product), else None: the unit's ``feed`` inlet. Frozen at the core solution: a
    feed without such species (``feed_heat`` = 0), the vapour-pressure ranges."""
    import pyomo.environ as pyo

    from ..twin.helpers import H_at
    from ..twin.kvalues import kvalue_region, latent_heat_expr, lnK_expr
    from ..twin.properties import units as u

    cs = km.cs
    ix = {j: cs.index(j) for j in feed}
    liq = [j for j in feed if km.method[ix[j]] == RAOULT]
    if not any(f0[ix[j]] > 0 for j in liq):
        blk.feed_heat = pyo.Expression(expr=0.0 * u.W, doc="heat that brings the feed to the design's state [W]")
        return
    blk.T_feed = pyo.Var(initialize=T_bub0, bounds=(40.0, 1500.0), units=u.K,
                         doc="bubble point of the feed's species with a vapour pressure, at the column pressure")
    Tn, lnP = blk.T_feed / u.K, pyo.log(P / u.Pa)
    lnk = {j: lnK_expr(km, ix[j], Tn, lnP, kvalue_region(km, ix[j], T_bub0)) for j in liq}
    blk.eq_T_feed = pyo.Constraint(expr=sum(feed[j] * pyo.exp(lnk[j]) for j in liq) == sum(feed[j] for j in liq),
                                   doc="bubble point: sum_j x_j K_j(T_feed) = 1 over the species with a vapour pressure")
    lam = sum(feed[j] * latent_heat_expr(km, ix[j], Tn, T_bub0) for j in liq) * u.J / u.mol
    if feed_T is None:
        fi = b.sin("feed")
        h_bub, h_feed = H_at(cs, fi, Tn), fi.enth_flow
    else:
        from ..twin.properties import nasa_h_expr

        h_bub, h_feed = (sum(feed[j] * nasa_h_expr(cs, j, T) for j in feed) * u.J / u.mol
                         for T in (Tn, feed_T / u.K))
    blk.feed_heat = pyo.Expression(
        expr=h_bub - h_feed + (1 - b.par["q"]) * lam,
        doc="heat that brings the feed to the design's state [W]: H(T_feed) - H_feed + (1 - q) F lambda")
