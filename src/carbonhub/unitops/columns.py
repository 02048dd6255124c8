"""Distillation: Fenske-Underwood-Gilliland shortcut column (the light-olefin separation train
that uses it: :mod:`~carbonhub.unitops.olefins`).

Each unit has its numpy ``run`` and, next to it, its equation-oriented twin ``build_pyomo``;
:func:`fug_pyomo` is the shortcut design as Pyomo equations, shared by both.

Example
-------
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> from carbonhub.unitops.columns import ShortcutColumn
>>> cs = ComponentSet.from_ids(["C3H8", "C4H10", "C5H12"])
>>> feed = Stream.from_flows(cs, {"C3H8": 30.0, "C4H10": 40.0, "C5H12": 30.0}, T=330.0, P=10e5)
>>> col = ShortcutColumn("dep", light_key="C3H8", heavy_key="C4H10", P=10e5)
>>> r = col.run({"feed": feed}, col.resolve({}, 1))
>>> round(float(r.outlets["distillate"]["C3H8"][0]), 2)
29.7
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core.stream import Stream
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo.engine import use_numba
from ..thermo.kvalues import (NONCONDENSABLE, NONVOLATILE, RAOULT, KValueModel, bubble_temperature,
                              dew_temperature)
from ._common import chiller_cop
from .separations import (RANGE_POLICY, RHO_ORGANIC, as_liquid, fold_water, folded_flows, kmodel,
                          status_merge, water_columns)
from ..twin.helpers import set_flows
from ..twin.kvalues import kvalue_region, latent_heat_expr, lnK_expr
from ._common import P_ATM, barg, zeros
from .column_diameter import column_diameter
from .column_feed import feed_heat_pyomo, feed_heat_W
from ..thermo.rowdot import rowsum

PHASE_TOL = 1e-13
"""Relative tolerance in 1/T of the columns' bubble and dew points (both engines; the
bubble_temperature default 1e-10 left 1e-8 between them in the distribution of trace components)."""
_STATUS = np.array(["light key is not more volatile than the heavy key at column conditions",
                    "no bubble/dew point of the column products", "ok"])  # fug_design's status


def molokanov(X: np.ndarray) -> np.ndarray:
    """Gilliland correlation in the form of Molokanov et al. (1972):
    Y = (N - Nmin)/(N + 1) = 1 - exp[(1 + 54.4 X)/(11 + 117.2 X) (X - 1)/sqrt(X)],
    X = (R - Rmin)/(R + 1). Molokanov, Korablina, Mazurina, Nikiforov (1972), Int. Chem. Eng.
    12(2):209-212."""
    X = np.clip(np.asarray(X, dtype=float), 1e-12, 1.0)
    return 1.0 - np.exp((1 + 54.4 * X) / (11 + 117.2 * X) * (X - 1) / np.sqrt(X))


def fenske_nmin(r_lk, r_hk, alpha_lk) -> np.ndarray:
    """Minimum equilibrium stages at total reflux (Fenske 1932):
    Nmin = ln[(d_LK/b_LK)(b_HK/d_HK)] / ln(alpha_LK,HK), recoveries r of LK to distillate and
    HK to bottoms. Fenske, M.R. (1932), Ind. Eng. Chem. 24:482, doi:10.1021/ie50269a003."""
    r_lk, r_hk = np.asarray(r_lk, float), np.asarray(r_hk, float)
    return np.log(r_lk / (1 - r_lk) * r_hk / (1 - r_hk)) / np.log(alpha_lk)


def underwood(alpha: np.ndarray, z: np.ndarray, xd: np.ndarray, q) -> tuple[np.ndarray, np.ndarray]:
    """Underwood's minimum reflux (Underwood 1948, Chem. Eng. Prog. 44:603): theta between
    alpha_HK = 1 and the next larger relative volatility present solves
    sum alpha_i z_i / (alpha_i - theta) = 1 - q; Rmin = sum alpha_i x_D,i/(alpha_i - theta) - 1.
    alpha (n, k) relative to the heavy key. Returns (Rmin, theta)."""
    n = alpha.shape[0]
    q = np.broadcast_to(np.asarray(q, float), (n,))
    cols = np.flatnonzero((z > 0).any(axis=0))  # components absent in every case add 0
    alpha_c, z_c = alpha[:, cols], z[:, cols]
    present = z_c > 0
    above = np.where(present & (alpha_c > 1.0 + 1e-12), alpha_c, np.inf)
    a_hi = above.min(axis=1)
    lo = np.ones(n) * (1.0 + 1e-12)
    hi = np.where(np.isfinite(a_hi), a_hi, 2.0) * (1 - 1e-12)

    def phi(th):
        with np.errstate(divide="ignore", invalid="ignore"):
            return rowsum(np.where(present, alpha_c * z_c / (alpha_c - th[:, None]), 0.0)) - (1 - q)

    # bisection in theta: phi increases monotonically between the two poles; each case stops
    # at its own width (a case's root does not depend on the others in the batch)
    for _ in range(200):
        act = hi - lo > 1e-15 * hi
        if not act.any():
            break
        mid = 0.5 * (lo + hi)
        f = phi(mid)
        lo = np.where(act & (f < 0), mid, lo)
        hi = np.where(act & (f >= 0), mid, hi)
    theta = 0.5 * (lo + hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        rmin = rowsum(np.where(xd > 0, alpha * xd / (alpha - theta[:, None]), 0.0)) - 1.0
    return rmin, theta


def fug_design(km: KValueModel, flow: np.ndarray, P, i_lk: int, i_hk: int, r_lk, r_hk,
               reflux_factor, q, partial_condenser: bool = False, n_iter: int = 4,
               engine: str = "auto", all_phi: bool = True) -> dict:
    """Shortcut (Fenske-Underwood-Gilliland) design of a column on feed ``flow`` (n, k) with
    water folded into one column. Non-key components are distributed by the Fenske equation
    (Hengstebeck-Geddes): d_i/b_i = (d_HK/b_HK) alpha_i^Nmin; relative volatilities at the top
    and bottom temperatures (bubble or dew points), geometric mean, iterated ``n_iter`` (>= 1)
    times. ``engine``: "auto" (the compiled kernel :mod:`._fug_kernel` unless
    ``CARBONHUB_NUMBA=0``), "numba" or "numpy" (the readable reference below); same answers.
    ``all_phi`` False: ``phi_d`` of each case's feed components only (0 for the others, whose
    K-values are skipped; the twin freezes an absent component's split at its ``phi_d``). Returns a dict of (n,) arrays
    and (n, k) distillate/bottoms flows; ``design_ok``: ``status`` == "ok"."""
    n, k = flow.shape
    P, r_lk, r_hk, q = (np.broadcast_to(np.asarray(a, float), (n,)) for a in (P, r_lk, r_hk, q))
    if use_numba(engine):
        from ._fug_kernel import fug_core

        with np.errstate(all="ignore"):
            Tf, Tt, Tb, ok, nmin, la_lk, phi_d, rmin, theta, zkey, D, Bt, xd, xb, d_act, b_act = fug_core(
                np.ascontiguousarray(flow, dtype=float), np.ascontiguousarray(P), np.ascontiguousarray(r_lk),
                np.ascontiguousarray(r_hk), np.ascontiguousarray(q), i_lk, i_hk, bool(partial_condenser), int(n_iter),
                PHASE_TOL, bool(all_phi), *km.kernel_args)
    else:
        F = rowsum(flow)
        z = np.divide(flow, F[:, None], out=np.zeros_like(flow), where=F[:, None] > 0)
        zk = z.copy()
        zk[:, [i_lk, i_hk]] = np.maximum(zk[:, [i_lk, i_hk]], 1e-9)  # keys in traces: volatilities defined
        Tf, Tt, Tb, ok, nmin, la_lk, phi_d, rmin, theta = _fug_numpy(km, zk, P, i_lk, i_hk, r_lk, r_hk, q,
                                                                      partial_condenser, n_iter)
        phi_d = phi_d if all_phi else np.where(zk > 0, phi_d, 0.0)
        d = zk * phi_d
        b = zk - d
        D, Bt, zkey = rowsum(d), rowsum(b), zk[:, [i_lk, i_hk]]
        xd, xb = (np.divide(a, s[:, None], out=np.zeros_like(a), where=s[:, None] > 0) for a, s in ((d, D), (b, Bt)))
        d_act = flow * phi_d
        b_act = flow - d_act
    order_ok = la_lk > 1e-9
    rmin = np.maximum(rmin, 1e-3)  # floor: a negative Underwood value means an easy split
    R = reflux_factor * rmin
    Y = molokanov((R - rmin) / (R + 1))
    N = (nmin + Y) / (1 - Y)
    # Kirkbride (1944), Petrol. Refiner 23(9):321: N_rect/N_strip
    with np.errstate(divide="ignore", invalid="ignore"):
        kir = ((zkey[:, 1] / zkey[:, 0]) * (xb[:, i_lk] / np.maximum(xd[:, i_hk], 1e-300)) ** 2
               * (Bt / np.maximum(D, 1e-300))) ** 0.206
    feed_stage = N * kir / (1 + kir)
    good = order_ok & ok
    status = np.full(n, "ok", _STATUS.dtype) if good.all() else _STATUS[np.where(~order_ok, 0, np.where(~ok, 1, 2))]
    return {"Nmin": nmin, "N": N, "Rmin": rmin, "R": R, "theta": theta, "alpha_lk": np.exp(la_lk),
            "T_top": Tt, "T_bottom": Tb, "T_feed": Tf, "feed_stage": feed_stage, "phi_d": phi_d,
            "distillate": d_act, "bottoms": b_act, "x_top": xd, "x_bottom": xb,
            "status": status, "design_ok": good}


def _fug_numpy(km: KValueModel, zk, P, i_lk, i_hk, r_lk, r_hk, q, partial_condenser, n_iter):
    """The Fenske iteration and Underwood's root of :func:`fug_design`, numpy reference:
    (T_feed, T_top, T_bottom, ok, Nmin, ln alpha_LK, phi_d, Rmin before its floor, theta)."""
    n = zk.shape[0]
    tol = PHASE_TOL
    # initial temperature: bubble point of the condensable part of the feed
    Tf, okf = bubble_temperature(km, np.where(km.method == NONCONDENSABLE, 0.0, zk), P, tol=tol, engine="numpy")
    Tf = np.where(okf, Tf, 300.0)
    lnK = km.lnK(Tf, P, engine="numpy")
    la = lnK - lnK[:, [i_hk]]
    ok = np.ones(n, dtype=bool)
    for _ in range(n_iter):
        la_lk = la[:, i_lk]
        nmin = np.log(r_lk / (1 - r_lk) * r_hk / (1 - r_hk)) / np.where(la_lk > 0, la_lk, np.nan)
        with np.errstate(over="ignore", invalid="ignore"):  # non-key components far off: clipped below
            lr = np.log((1 - r_hk) / r_hk)[:, None] + nmin[:, None] * la
        with np.errstate(over="ignore"):
            phi_d = 1.0 / (1.0 + np.exp(-np.nan_to_num(lr, nan=0.0, neginf=-800.0, posinf=800.0)))
        phi_d[:, i_lk] = r_lk
        phi_d[:, i_hk] = 1.0 - r_hk
        d = zk * phi_d
        b = zk - d
        if partial_condenser:
            Tt, okt = dew_temperature(km, d, P, tol=tol, engine="numpy")
        else:
            Tt, okt = bubble_temperature(km, d, P, tol=tol, engine="numpy")
        Tb, okb = bubble_temperature(km, b, P, tol=tol, engine="numpy")
        Tt = np.where(okt, Tt, Tf)
        Tb = np.where(okb, Tb, Tf)
        lt, lb = km.lnK(Tt, P, engine="numpy"), km.lnK(Tb, P, engine="numpy")
        with np.errstate(invalid="ignore"):
            la = 0.5 * ((lt - lt[:, [i_hk]]) + (lb - lb[:, [i_hk]]))
        la = np.nan_to_num(la, nan=-np.inf)
        ok = okt & okb
    la_lk = la[:, i_lk]
    nmin = np.log(r_lk / (1 - r_lk) * r_hk / (1 - r_hk)) / np.where(la_lk > 1e-9, la_lk, np.nan)
    D = rowsum(d)
    xd = np.divide(d, D[:, None], out=np.zeros_like(d), where=D[:, None] > 0)
    rmin, theta = underwood(np.exp(la), zk, xd, q)
    return Tf, Tt, Tb, ok, nmin, la_lk, phi_d, rmin, theta


def column_sizing(cs, km: KValueModel, res: dict, F: np.ndarray, P, q, p, partial: bool) -> dict:
    """Duties, refrigeration and hydraulics of a shortcut column (see ShortcutColumn)."""
    D = rowsum(res["distillate"])
    Ftot = rowsum(F)
    R, Tt, Tb = res["R"], res["T_top"], res["T_bottom"]
    lam_t = km.latent_dot(res["x_top"], Tt)
    lam_b = km.latent_dot(res["x_bottom"], Tb)
    V_top = (R + 1.0) * D
    V_bot = np.maximum(V_top - (1.0 - q) * Ftot, 0.0)
    q_cond = lam_t * (R * D if partial else V_top)
    q_reb = lam_b * V_bot
    dia = column_diameter(cs, V_top, Tt, res["x_top"], V_bot, Tb, res["x_bottom"], P, p.rho_organic, p.C_sb,
                          p.flood_fraction, 0.3)
    n_trays = np.maximum(res["N"] - 1.0 - (1.0 if partial else 0.0), 1.0) / p.tray_efficiency
    height = n_trays * p.tray_spacing + p.extra_height
    area = np.pi / 4 * dia**2
    T_evap = Tt - p.dT_condenser
    refrig = Tt < p.T_cooling_water
    cop = chiller_cop(T_evap, p.T_ambient, p.carnot_fraction)
    w_ref = np.where(refrig, q_cond / cop, 0.0)
    return {"n_stages": res["N"], "n_min_stages": res["Nmin"], "reflux_ratio": R,
            "min_reflux_ratio": res["Rmin"], "feed_stage": res["feed_stage"],
            "alpha_lk_hk": res["alpha_lk"], "T_top_K": Tt, "T_bottom_K": Tb,
            "condenser_duty_W": q_cond, "reboiler_duty_W": q_reb, "n_trays": n_trays,
            "diameter_m": dia, "height_m": height, "volume_m3": area * height, "tray_area_m2": area,
            "P_barg": barg(P),
            "reboiler_area_m2": q_reb / (p.U_reboiler * p.dT_reboiler),
            "condenser_area_m2": q_cond / (p.U_condenser * p.dT_condenser),
            "refrigeration_power_W": w_ref, "refrigeration_power_kW": w_ref / 1e3,
            "D_mol_s": D, "B_mol_s": Ftot - D}

COLUMN_PARAMS = {  # shared by the columns of this module and olefins.py
    "reflux_factor": Param(1.3, "", 1.01, 10.0, "reflux ratio / minimum reflux ratio [-]"),
    "q": Param(1.0, "", 0.0, 1.5, "feed quality (1 saturated liquid, 0 saturated vapour) [-]"),
    "tray_efficiency": Param(0.7, "", 0.1, 1.0, "overall tray efficiency [-]"),
    "tray_spacing": Param(0.6, "m", 0.2, 1.5, "tray spacing [m]"),
    "extra_height": Param(4.0, "m", 0.0, 20.0, "sump, top disengagement and feed zones [m]"),
    "C_sb": Param(0.09, "m/s", 0.01, 0.5, "Souders-Brown flooding capacity factor [m/s]"),
    "flood_fraction": Param(0.8, "", 0.3, 1.0, "design vapour velocity / flooding velocity [-]"),
    "rho_organic": RHO_ORGANIC,
    "U_reboiler": Param(800.0, "W/m^2/K", 10.0, 1e4, "reboiler U [W/(m2 K)]"),
    "dT_reboiler": Param(20.0, "K", 1.0, 200.0, "reboiler temperature difference [K]"),
    "U_condenser": Param(500.0, "W/m^2/K", 10.0, 1e4, "condenser U [W/(m2 K)]"),
    "dT_condenser": Param(10.0, "K", 1.0, 200.0, "condenser temperature difference [K]"),
    "T_cooling_water": Param(308.15, "K", 250.0, 350.0, "lowest condensing T on cooling water [K]"),
    "T_ambient": Param(313.15, "K", 250.0, 350.0, "refrigerant heat-rejection temperature [K]"),
    "carnot_fraction": Param(0.5, "", 0.1, 1.0, "refrigeration COP / Carnot COP [-]", source="checked against EnergyPlus's DOE-2 centrifugal chiller (COP 5.5 at 6.67/29.4 degC: quality grade 0.447 on its fluid temperatures; this model gives COP 3.11 there); not verified below 0 degC (property_data/README.md)"),
}


class ShortcutColumn(Unit):
    """Distillation column by Fenske-Underwood-Gilliland (shortcut) design.

    Specified: the recovery of the light key (LK) in the distillate and of the heavy key (HK)
    in the bottoms, the column pressure, R/Rmin and the feed quality q. Non-keys distribute by
    the Fenske equation. Relative volatilities from the ideal K-values at the top (bubble
    point of the distillate, or dew point with a partial condenser) and the bottom (bubble
    point), geometric mean, iterated. Nmin (Fenske), Rmin (Underwood, theta solved per case
    by bisection between alpha_HK = 1 and the next volatility), N (Gilliland correlation in
    the form of Molokanov et al. 1972), feed stage (Kirkbride 1944).

    Duties: condenser V_top lambda_top (partial condenser: the reflux only), reboiler
    V_bottom lambda_bottom, with V_bottom = (R + 1) D - (1 - q) F and lambda the heat of
    vaporisation of the liquid (Clausius-Clapeyron from the vapour pressures; water from
    NASA). ``heat`` closes the enthalpy balance with the outlets at their bubble (dew) points;
    it differs from reboiler - condenser duty by the latent heat of the non-water condensables,
    absent from the ideal-gas enthalpy basis, and by the feed condition: the heat that brings
    the feed to the state q (``feed_heat_W``, :mod:`~carbonhub.unitops.column_feed`) is priced
    with the reboiler's (steam; a negative one lowers it, not below 0). Condensers below
    ``T_cooling_water`` are refrigerated: electricity = Q_cond / COP, COP = carnot_fraction
    T_evap / (T_ambient - T_evap). Reboilers below 300 K are taken as heat-integrated with the
    refrigeration system (no steam).

    Sizing: diameter from the Souders-Brown flooding velocity u_f = C_sb sqrt((rho_L -
    rho_V)/rho_V) at ``flood_fraction`` and 10 % downcomer area (Fair 1961; Seader & Henley);
    trays = (N - 1) / efficiency (reboiler = one stage), height = trays x spacing + extra.

    Parameters
    ----------
    light_key, heavy_key : component ids (constructor arguments)
    P [Pa], lk_recovery, hk_recovery [-], condenser "total" | "partial", plus the column
    parameters listed in ``params``.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["C3H8", "C4H10", "C5H12"])
    >>> feed = Stream.from_flows(cs, {"C3H8": 30.0, "C4H10": 40.0, "C5H12": 30.0}, T=330.0, P=10e5)
    >>> col = ShortcutColumn("dep", light_key="C3H8", heavy_key="C4H10", P=10e5)
    >>> r = col.run({"feed": feed}, col.resolve({}, 1))
    >>> round(float(r.design["n_min_stages"][0]), 2), round(float(r.design["reflux_ratio"][0]), 3)
    (7.54, 1.306)

    References
    ----------
    Fenske (1932), Ind. Eng. Chem. 24:482, doi:10.1021/ie50269a003.
    Underwood (1948), Chem. Eng. Prog. 44:603-614.
    Gilliland (1940), Ind. Eng. Chem. 32:1220, doi:10.1021/ie50369a035.
    Molokanov et al. (1972), Int. Chem. Eng. 12(2):209-212.
    Kirkbride (1944), Petrol. Refiner 23(9):321.
    Fair (1961), Petro/Chem Eng. 33(10):45; Seader, Henley, Roper (2011), Separation Process
    Principles, 3rd ed., Wiley, ch. 6 and 9.
    """

    inlets = ("feed",)
    outlets = ("distillate", "bottoms")
    params = {
        "P": Param(P_ATM, "Pa", 1e3, 1e7, "column pressure [Pa]"),
        "lk_recovery": Param(0.99, "", 0.5, 0.999999, "light key to distillate [-]"),
        "hk_recovery": Param(0.99, "", 0.5, 0.999999, "heavy key to bottoms [-]"),
        "condenser": Param("total", "choice", doc="total or partial condenser", choices=("total", "partial")),
        **COLUMN_PARAMS,
        "range_policy": RANGE_POLICY,
        "light_gases": Param("noncondensable", "choice", doc="K model of H2, CO, N2, O2, Ar, CH4",
                             choices=("henry", "noncondensable", "raoult")),
        "solutes": Param("raoult", "choice", doc="K model of CO2, H2S, NH3", choices=("henry", "raoult")),
    }
    costs = (Cost("turton.tower_shell", "volume_m3", pressure="P_barg"),
             Cost("turton.tray_sieve", "tray_area_m2", label="per tray; quantity n_trays"),
             Cost("turton.heat_exchanger_kettle_reboiler", "reboiler_area_m2"),
             Cost("turton.heat_exchanger_fixed_tube", "condenser_area_m2"),
             Cost("turton.compressor_centrifugal", "refrigeration_power_kW", label="refrigeration"))

    def __init__(self, id: str, light_key: str, heavy_key: str, **values: Any):
        super().__init__(id, **values)
        if light_key == heavy_key:
            raise ValueError(f"{id}: light_key and heavy_key are both {light_key!r}")
        self.light_key, self.heavy_key = light_key, heavy_key
        self._km: dict = {}

    def _check_keys(self, km: KValueModel) -> None:
        """A key without volatility (K = 0) gives no relative volatility: a clear error rather
        than a design of NaNs."""
        for role, key in (("light_key", self.light_key), ("heavy_key", self.heavy_key)):
            if km.method[km.ids.index(key)] == NONVOLATILE:
                raise ValueError(f"{self.id}: {role} {key!r} is non-volatile in the K-value model "
                                 "(property_data/kvalue_data.yaml): expected a key with a vapour "
                                 "pressure, a Henry constant or a light gas")

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs = s.cs
        w = water_columns(cs)
        for key in (self.light_key, self.heavy_key):
            cs.index(key)  # clear error for unknown ids
        km = kmodel(self._km, cs, str(p.scalar("light_gases")), str(p.scalar("solutes")))
        self._check_keys(km)
        flow = fold_water(s.flow, w)
        i_lk, i_hk = cs.index(self.light_key), cs.index(self.heavy_key)
        if w is not None:
            i_lk = w[0] if i_lk == w[1] else i_lk
            i_hk = w[0] if i_hk == w[1] else i_hk
        partial = str(p.scalar("condenser")) == "partial"
        res = fug_design(km, flow, p.P, i_lk, i_hk, p.lk_recovery, p.hk_recovery, p.reflux_factor,
                         p.q, partial_condenser=partial, all_phi=False)  # the twin asks for all
        policy = str(p.scalar("range_policy"))
        st1 = km.check(res["T_top"], res["distillate"] > 0, policy, "K-value (column top)")
        st2 = km.check(res["T_bottom"], res["bottoms"] > 0, policy, "K-value (column bottom)")
        status = status_merge(res["status"], st1, st2)
        d = res["distillate"] if partial else as_liquid(res["distillate"], w)
        b = as_liquid(res["bottoms"], w)
        dout = Stream(cs, d, res["T_top"], p.P.copy(), s.origin, check=False)
        bout = Stream(cs, b, res["T_bottom"], p.P.copy(), s.origin, check=False)
        heat = dout.enthalpy + bout.enthalpy - s.enthalpy
        design = column_sizing(cs, km, res, flow, p.P, p.q, p, partial)
        design["duty_W"] = heat
        lat_nw = ((km.method == RAOULT) & ~np.isin(np.array(cs.ids), ["H2O", "H2O(L)"]))
        design["latent_heat_nonwater_W"] = km.latent_dot(res["bottoms"] * lat_nw, res["T_bottom"])
        design["feed_heat_W"], design["T_feed_bubble_K"] = feed_heat_W(s, flow, km, p.P, p.q, PHASE_TOL,
                                                                         res["T_feed"])
        util = column_utilities(design)
        return UnitResult({"distillate": dout, "bottoms": bout}, heat, zeros(p.n), design, util,
                          None if status is None or (status == "ok").all() else status)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: the shortcut design as equations (:func:`fug_pyomo` on block ``column``):
        distillate = key recoveries and the Fenske distribution of the non-keys; outlets at
        the top (bubble or dew) and bottom (bubble) temperatures and the column pressure;
        water leaves as H2O(L) (as H2O in a partial condenser's vapour distillate); ``heat``
        closes the enthalpy balance. Underwood theta, Rmin, Gilliland stages and the duties
        are in ``column`` for costing and optimisation."""
        import pyomo.environ as pyo

        cs = b.config.property_package.cs
        km = kmodel(self._km, cs, str(p["light_gases"]), str(p["solutes"]))
        self._check_keys(km)
        w = water_columns(cs)
        pp = self.resolve(p, 1)
        flow0 = fold_water(init.inlets["feed"].flow, w)
        i_lk, i_hk = cs.index(self.light_key), cs.index(self.heavy_key)
        if w is not None:
            i_lk = w[0] if i_lk == w[1] else i_lk
            i_hk = w[0] if i_hk == w[1] else i_hk
        partial = str(p["condenser"]) == "partial"
        res = fug_design(km, flow0, pp.P, i_lk, i_hk, pp.lk_recovery, pp.hk_recovery, pp.reflux_factor,
                         pp.q, partial_condenser=partial)
        size = column_sizing(cs, km, res, flow0, pp.P, pp.q, pp, partial)
        feed = folded_flows(b.sin("feed"), cs)
        b.column = pyo.Block(doc="Fenske-Underwood-Gilliland design")
        fug_pyomo(b.column, b, km, feed, flow0[0], b.pv("P"), cs.ids[i_lk], cs.ids[i_hk],
                  b.par["lk_recovery"], b.par["hk_recovery"], partial, res, size)
        feed_heat_pyomo(b.column, b, km, feed, flow0[0], b.pv("P"), float(feed_heat_W(
            init.inlets["feed"], flow0, km, pp.P, pp.q, PHASE_TOL)[1][0]))
        dist = {j: b.column.distillate[j] for j in feed}

        def liquid(j):
            return "H2O(L)" if w is not None and j == "H2O" else j

        set_flows(b, "distillate", {(j if partial else liquid(j)): e for j, e in dist.items()},
                  "distillate flows")
        so = b.sout("distillate")
        set_flows(b, "bottoms", {liquid(j): feed[j] - so.flow_mol_comp[j if partial else liquid(j)] for j in feed},
                  "bottoms = feed - distillate")
        for port, T in (("distillate", b.column.T_top), ("bottoms", b.column.T_bottom)):
            b.add_component(f"eq_T_{port}", pyo.Constraint(expr=b.sout(port).temperature == T,
                                                           doc=f"{port} temperature"))
            b.add_component(f"eq_P_{port}", pyo.Constraint(expr=b.sout(port).pressure == b.pv("P"),
                                                           doc="column pressure"))
        b.power.fix(0.0)
        b.add_energy_balance("energy balance: heat = H_distillate + H_bottoms - H_feed")


def column_utilities(design: dict, prefix: str = "") -> dict:
    """A column's utilities [W] from its design keys ``prefix`` + ...: steam = reboiler (if >= 300 K)
    + feed heat, >= 0; cooling = condenser (+ refrigeration power) + any excess feed heat."""
    qc, qr = design[prefix + "condenser_duty_W"], design[prefix + "reboiler_duty_W"]
    w = design[prefix + "refrigeration_power_W"]
    heat_in = np.where(design[prefix + "T_bottom_K"] >= 300.0, qr, 0.0) + design.get(prefix + "feed_heat_W", 0.0)
    return {"steam_heat_W": np.maximum(heat_in, 0.0), "cooling_W": np.where(w > 0, qc + w, qc) + np.maximum(-heat_in, 0.0),
            "electricity_W": w}


def _sigmoid(lr, upper: bool):
    """1/(1 + exp(-lr)) written so that it cannot overflow on the side of ``lr`` seen at the
    core solution (``upper``: lr >= 0)."""
    import pyomo.environ as pyo

    return 1.0 / (1.0 + pyo.exp(-lr)) if upper else pyo.exp(lr) / (1.0 + pyo.exp(lr))


def fug_pyomo(blk, b, km: KValueModel, feed: dict, f0: np.ndarray, P, lk: str, hk: str, r_lk, r_hk,
              partial: bool, res: dict, size: dict) -> None:
    """Build the Fenske-Underwood-Gilliland design of one column on the Pyomo block ``blk``
    (parameters ``reflux_factor``, ``q`` and the refrigeration parameters from the unit block
    ``b``).

    ``feed``: {component: feed flow expression [mol/s]} (water folded, or removed); ``f0``:
    the core's feed flows (n_comp,) of the case; ``P``: column pressure expression [Pa];
    ``r_lk``, ``r_hk``: key recoveries; ``res``, ``size``: the core's :func:`fug_design` and
    :func:`column_sizing` results of the case (branches and initial values).

    The twin is the converged shortcut design (the core's fixed-point iteration on the top and
    bottom temperatures, converged to ~1e-10 after its ``n_iter`` = 4 passes): variables
    ``T_top``, ``T_bottom`` (bubble points; dew point with a partial condenser), ``n_min``
    (Fenske), ``ln_gap`` = ln[(alpha_p - theta)/alpha_p] of the nearest volatility alpha_p
    above the Underwood root theta (theta an expression of it; a variable where none is above)
    and ``v[j]`` = alpha_j/(alpha_j - theta) of the other components (Underwood),
    ``min_reflux_ratio``, the condenser and reboiler duties and the refrigeration power.
    Expressions: the ``distillate`` and ``bottoms`` flows (Hengstebeck-Geddes distribution
    d_j/b_j = (d_HK/b_HK) alpha_j^Nmin, written as logistic functions so that traces of very
    light or heavy species carry no round-off into the next column), ``reflux_ratio``,
    ``n_stages`` (Gilliland, Molokanov form) and ``feed_stage`` (Kirkbride). Relative
    volatilities: geometric mean of top and bottom K-value ratios. Frozen at the core
    solution: correlation ranges, the key-trace floor (z >= 1e-9), the Rmin floor (1e-3),
    the components present in the Underwood sum, V_bottom >= 0, refrigeration (T_top <
    T_cooling_water), and the split of non-keys absent from the feed (linear)."""
    import pyomo.environ as pyo

    from ..twin.properties import units as u

    cs = km.cs
    ids = list(feed)
    ix = {j: cs.index(j) for j in ids}
    vol = [j for j in ids if km.method[ix[j]] != NONVOLATILE]
    F = sum(feed.values())
    F0 = float(sum(f0[ix[j]] for j in ids))
    Tt0, Tb0 = float(res["T_top"][0]), float(res["T_bottom"][0])
    phi0 = res["phi_d"][0]
    floor = {j for j in (lk, hk) if f0[ix[j]] / F0 < 1e-9}
    eff = {j: (1e-9 * F if j in floor else feed[j]) for j in ids}  # zk x F
    P0 = float(pyo.value(P))
    lt0, lb0 = km.lnK([Tt0], [P0])[0], km.lnK([Tb0], [P0])[0]
    with np.errstate(invalid="ignore"):
        la0 = {j: 0.5 * ((lt0[ix[j]] - lt0[ix[hk]]) + (lb0[ix[j]] - lb0[ix[hk]])) for j in vol}
    dim = u.dimensionless
    blk.T_top = pyo.Var(initialize=Tt0, bounds=(40.0, 1500.0), units=u.K,
                        doc="top temperature: bubble point of the distillate (dew point, partial condenser)")
    blk.T_bottom = pyo.Var(initialize=Tb0, bounds=(40.0, 1500.0), units=u.K, doc="bubble point of the bottoms")
    blk.n_min = pyo.Var(initialize=float(res["Nmin"][0]), bounds=(0.0, None), units=dim,
                        doc="minimum equilibrium stages (Fenske)")
    lnP = pyo.log(P / u.Pa)
    Tt, Tb = blk.T_top / u.K, blk.T_bottom / u.K
    lkt = {j: lnK_expr(km, ix[j], Tt, lnP, kvalue_region(km, ix[j], Tt0)) for j in vol}
    lkb = {j: lnK_expr(km, ix[j], Tb, lnP, kvalue_region(km, ix[j], Tb0)) for j in vol}
    la = {j: (0.0 if j == hk else 0.5 * ((lkt[j] - lkt[hk]) + (lkb[j] - lkb[hk]))) for j in vol}
    blk.eq_fenske = pyo.Constraint(expr=blk.n_min * la[lk] == pyo.log(r_lk / (1 - r_lk) * r_hk / (1 - r_hk)),
                                   doc="Fenske: Nmin ln alpha_LK = ln[(d/b)_LK (b/d)_HK]")
    lr = {j: pyo.log((1 - r_hk) / r_hk) + blk.n_min * la[j] for j in vol}
    phi = {j: _sigmoid(lr[j], phi0[ix[j]] >= 0.5) for j in vol}
    one_minus_phi = {j: _sigmoid(-lr[j], phi0[ix[j]] < 0.5) for j in vol}
    phi[lk], one_minus_phi[lk] = r_lk, 1 - r_lk
    phi[hk], one_minus_phi[hk] = 1 - r_hk, r_hk
    # a non-key absent from the core's feed: the core's split, linear (see Flash.build_pyomo)
    absent = {j for j in vol if f0[ix[j]] == 0 and j not in (lk, hk)}
    blk.distillate = pyo.Expression(ids, rule=lambda blk, j: (
        0.0 * u.mol / u.s if j not in vol else float(phi0[ix[j]]) * feed[j] if j in absent else phi[j] * feed[j]),
        doc="distillate flows [mol/s]: key recoveries, non-keys by Fenske (Hengstebeck-Geddes)")
    blk.bottoms = pyo.Expression(ids, rule=lambda blk, j: (
        feed[j] if j not in vol else float(1 - phi0[ix[j]]) * feed[j] if j in absent else one_minus_phi[j] * feed[j]),
        doc="bottoms flows [mol/s] (written without cancellation: traces of light species stay exact)")
    wd = {j: eff[j] * phi[j] for j in vol}  # distillate on the key-floored basis (x F)
    wb = {j: eff[j] * one_minus_phi[j] for j in vol}
    wb.update({j: eff[j] for j in ids if j not in vol})
    if partial:
        blk.eq_T_top = pyo.Constraint(expr=sum(wd[j] * pyo.exp(-lkt[j]) for j in vol) == sum(wd.values()),
                                      doc="dew point of the distillate: sum_j y_j / K_j(T_top) = 1")
    else:
        blk.eq_T_top = pyo.Constraint(expr=sum(wd[j] * pyo.exp(lkt[j]) for j in vol) == sum(wd.values()),
                                      doc="bubble point of the distillate: sum_j x_j K_j(T_top) = 1")
    blk.eq_T_bottom = pyo.Constraint(expr=sum(wb[j] * pyo.exp(lkb[j]) for j in vol) == sum(wb.values()),
                                     doc="bubble point of the bottoms: sum_j x_j K_j(T_bottom) = 1")
    # Underwood: theta between alpha_HK = 1 and the next volatility; v_j = alpha_j/(alpha_j - theta)
    present = [j for j in vol if (1e-9 if j in floor else f0[ix[j]] / F0) > 0]
    theta0 = float(res["theta"][0])
    # signs keep theta between the same two poles as in the core (no jump to another root):
    # alpha_j > theta gives v_j = alpha_j/(alpha_j - theta) >= 1, alpha_j < theta gives v_j < 0
    v0 = {j: np.exp(la0[j]) / (np.exp(la0[j]) - theta0) for j in present}
    above = [j for j in present if v0[j] > 0]
    pole = min(above, key=lambda j: la0[j]) if above else None
    if pole is None:
        blk.theta = pyo.Var(initialize=theta0, bounds=(1.0, None), units=dim, doc="Underwood root theta")
        theta, v_pole = blk.theta, {}
    else:
        # theta sits next to the pole alpha_p above it, within (alpha_p - theta)/alpha_p ~ z_p:
        # a trace component there (1e-10 of the feed) puts theta within 1e-9 of alpha_p and
        # v_p near 1e9. Written as theta = alpha_p (1 - exp(ln_gap)), v_p = exp(-ln_gap), the
        # root follows alpha_p as the temperatures move and v_p is smooth in ln_gap (with
        # theta and v_p as variables, a warm re-solve's first Newton step moved v_p by 1e9)
        blk.ln_gap = pyo.Var(initialize=float(np.log(1.0 - theta0 * np.exp(-la0[pole]))), bounds=(None, 0.0),
                             units=dim, doc=f"ln[(alpha_p - theta)/alpha_p], p = {pole} (the nearest "
                                            "volatility above the Underwood root)")
        theta = pyo.exp(la[pole]) * (1 - pyo.exp(blk.ln_gap))
        blk.theta = pyo.Expression(expr=theta, doc="Underwood root theta = alpha_p (1 - exp(ln_gap))")
        v_pole = {pole: pyo.exp(-blk.ln_gap)}
    rest = [j for j in present if j != pole]
    blk.v = pyo.Var(rest, initialize={j: v0[j] for j in rest},
                    bounds=lambda blk, j: (1.0, None) if v0[j] > 0 else (None, 0.0),
                    units=dim, doc="Underwood term alpha_j / (alpha_j - theta)")
    blk.eq_v = pyo.Constraint(rest, rule=lambda blk, j: blk.v[j] * (1 - theta * pyo.exp(-la[j])) == 1,
                              doc="v_j (alpha_j - theta) = alpha_j")
    v = {**{j: blk.v[j] for j in rest}, **v_pole}
    blk.eq_underwood = pyo.Constraint(expr=sum(eff[j] * v[j] for j in present) == (1 - b.par["q"]) * F,
                                      doc="Underwood: sum_j alpha_j z_j / (alpha_j - theta) = 1 - q")
    Dz = sum(wd.values())
    Bz = sum(wb.values())
    rmin_floored = float(res["Rmin"][0]) <= 1e-3
    if rmin_floored:
        rmin = 1e-3
    else:
        blk.min_reflux_ratio = pyo.Var(initialize=float(res["Rmin"][0]), bounds=(0.0, None), units=dim,
                                       doc="minimum reflux ratio (Underwood)")
        blk.eq_rmin = pyo.Constraint(expr=(blk.min_reflux_ratio + 1) * Dz == sum(wd[j] * v[j] for j in present),
                                     doc="Underwood: Rmin + 1 = sum_j alpha_j x_D,j / (alpha_j - theta)")
        rmin = blk.min_reflux_ratio
    R = b.par["reflux_factor"] * rmin
    X = (R - rmin) / (R + 1)
    Y = 1 - pyo.exp((1 + 54.4 * X) / (11 + 117.2 * X) * (X - 1) / pyo.sqrt(X))
    blk.reflux_ratio = pyo.Expression(expr=R, doc="reflux ratio R = reflux_factor x Rmin")
    blk.n_stages = pyo.Expression(expr=(blk.n_min + Y) / (1 - Y), doc="stages (Gilliland, Molokanov form)")
    kir = ((eff[hk] / eff[lk]) * ((wb[lk] / Bz) / (wd[hk] / Dz)) ** 2 * (Bz / Dz)) ** 0.206
    blk.feed_stage = pyo.Expression(expr=blk.n_stages * kir / (1 + kir), doc="feed stage (Kirkbride)")
    # duties and refrigeration (column_sizing)
    D = sum(blk.distillate[j] for j in vol)
    V_top = (R + 1) * D
    V_bot0 = float(res["R"][0] + 1) * float(res["distillate"][0].sum()) - (1 - float(pyo.value(b.par["q"]))) * F0
    V_bot = V_top - (1 - b.par["q"]) * F if V_bot0 > 0 else 0.0 * u.mol / u.s  # max(., 0) frozen
    lam_t = sum(wd[j] * latent_heat_expr(km, ix[j], Tt, Tt0) for j in vol) * u.J / u.mol
    lam_b = sum(wb[j] * latent_heat_expr(km, ix[j], Tb, Tb0) for j in vol) * u.J / u.mol
    blk.condenser_duty = pyo.Var(initialize=float(size["condenser_duty_W"][0]), units=u.W,
                                 doc="condenser duty [W] (latent heat of the top vapour or reflux)")
    blk.reboiler_duty = pyo.Var(initialize=float(size["reboiler_duty_W"][0]), units=u.W, doc="reboiler duty [W]")
    blk.eq_condenser = pyo.Constraint(expr=blk.condenser_duty * Dz == lam_t * (R * D if partial else V_top),
                                      doc="Q_cond = lambda_top x (R D, partial; V_top, total)")
    blk.eq_reboiler = pyo.Constraint(expr=blk.reboiler_duty * Bz == lam_b * V_bot,
                                     doc="Q_reb = lambda_bottom x V_bottom, V_bottom = (R + 1) D - (1 - q) F")
    if Tt0 < float(pyo.value(b.par["T_cooling_water"])):
        T_ev = blk.T_top - b.pv("dT_condenser")
        lift = b.pv("T_ambient") - T_ev
        if float(pyo.value(lift)) < 1.0:
            lift = 1.0 * u.K
        blk.refrigeration_power = pyo.Var(initialize=float(size["refrigeration_power_W"][0]), units=u.W,
                                          doc="refrigeration electricity [W] of a condenser below cooling water")
        blk.eq_refrigeration = pyo.Constraint(
            expr=blk.refrigeration_power * b.par["carnot_fraction"] * T_ev == blk.condenser_duty * lift,
            doc="W = Q_cond / COP, COP = carnot_fraction T_evap / (T_ambient - T_evap)")
