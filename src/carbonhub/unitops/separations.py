"""Separations: isothermal flash, shortcut distillation, PSA, membrane, olefin separation train.

All units are batched over cases (no Python loop over cases). Phase splits use the ideal
K-values of :mod:`carbonhub.thermo.kvalues`. Water changes its component id with its phase:
liquid water leaves as ``H2O(L)`` (whose NASA data carry the latent heat), vapour as ``H2O``.
Other condensables keep their gas ids in liquid outlets (ideal-gas enthalpy basis, a documented
simplification of carbonhub): the enthalpy balance then misses their latent heat. The units
report that amount as ``latent_heat_nonwater_W`` (e.g. methanol 38 kJ/mol, n-octane 41 kJ/mol,
n-hexadecane 81 kJ/mol at 298 K from the Clausius-Clapeyron slope of the vapour pressure).

Example
-------
>>> import numpy as np
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> from carbonhub.unitops.separations import Flash
>>> cs = ComponentSet.from_ids(["H2", "CO2", "CH3OH", "H2O", "H2O(L)"])
>>> feed = Stream.from_flows(cs, {"H2": 6.0, "CO2": 1.0, "CH3OH": 1.0, "H2O": 1.0}, T=500.0, P=50e5)
>>> fl = Flash("flash", T=313.15, P=49e5)
>>> r = fl.run({"feed": feed}, fl.resolve({}, 1))
>>> round(float(r.design["vapor_fraction"][0]), 4), round(float(r.outlets["liquid"]["H2O(L)"][0]), 4)
(0.7804, 0.9947)
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core.stream import Stream
from ..core.unit import Cost, Param, ParameterValueError, Unit, UnitResult
from ..thermo.kvalues import (HENRY, NONCONDENSABLE, NONVOLATILE, RAOULT, KValueModel, RangePolicy,
                              bubble_temperature, dew_temperature, rachford_rice)

POLICIES = tuple(p.value for p in RangePolicy)
P_ATM = 101325.0
RHO_WATER = 997.0
"""Liquid water density used for vessel sizing [kg/m3] (IAPWS-95 at 298 K)."""


def _zero(n: int) -> np.ndarray:
    return np.zeros(n)


def _kmodel(cache: dict, cs, light_gases: str, solutes: str) -> KValueModel:
    key = (id(cs), light_gases, solutes)
    if key not in cache:
        cache[key] = KValueModel(cs, light_gases=light_gases, solutes=solutes)
    return cache[key]


def _water(cs) -> tuple[int, int] | None:
    has_v, has_l = "H2O" in cs, "H2O(L)" in cs
    if has_v != has_l:
        raise ValueError("separations need both H2O (vapour) and H2O(L) (liquid) in the component "
                         f"set, or neither; it has only {'H2O' if has_v else 'H2O(L)'}")
    return (cs.index("H2O"), cs.index("H2O(L)")) if has_v else None


def fold_water(flow: np.ndarray, w) -> np.ndarray:
    """All water moved to the H2O column (for phase-split calculations)."""
    f = flow.copy()
    if w is not None:
        f[:, w[0]] += f[:, w[1]]
        f[:, w[1]] = 0.0
    return f


def as_liquid(flow: np.ndarray, w) -> np.ndarray:
    """All water moved to the H2O(L) column (a liquid outlet)."""
    f = flow.copy()
    if w is not None:
        f[:, w[1]] += f[:, w[0]]
        f[:, w[0]] = 0.0
    return f


def liquid_density(cs, flow: np.ndarray, rho_organic) -> np.ndarray:
    """Liquid density [kg/m3] (n,): water 997, solids from their molar volume, other liquids
    (on gas ids) ``rho_organic``; ideal mixing by volume."""
    m = flow * cs.molar_mass
    rho = np.where(cs.molar_volume > 0, cs.molar_mass / np.where(cs.molar_volume > 0, cs.molar_volume, 1), 0.0)
    rho = np.broadcast_to(rho, flow.shape).copy()
    for cid in ("H2O", "H2O(L)"):
        if cid in cs:
            rho[:, cs.index(cid)] = RHO_WATER
    rho = np.where(rho > 0, rho, np.asarray(rho_organic, dtype=float)[:, None])
    vol = (m / rho).sum(axis=1)
    return np.divide(m.sum(axis=1), vol, out=np.full(flow.shape[0], RHO_WATER), where=vol > 0)


def _status_merge(*sts) -> np.ndarray | None:
    out = None
    for s in sts:
        if s is None:
            continue
        s = np.asarray(s, dtype=object)
        out = s.copy() if out is None else np.where(out == "ok", s, out)
    return out


class Flash(Unit):
    """Isothermal two-phase flash at ``T`` and ``P`` with ideal K-values.

    The vapour fraction solves the Rachford-Rice equation per case (batched safeguarded
    Newton, :func:`carbonhub.thermo.kvalues.rachford_rice`); liquid flows
    l_i = f_i (1 - beta) / (1 + beta (K_i - 1)), vapour = feed - liquid (exact conservation).
    Non-condensable gases get no liquid, non-volatile species (solids, ash, ORG_*, wax) no
    vapour. The heat duty closes the enthalpy balance. The vessel is sized by the
    Souders-Brown velocity of the vapour and a liquid residence time.

    Parameters
    ----------
    T : outlet temperature [K]; P : outlet pressure [Pa]
    range_policy : "warn" | "raise" | "status" | "ignore" -- K-value correlations outside range
    light_gases : "henry" | "noncondensable" | "raoult"; solutes : "henry" | "raoult"
        (see :class:`carbonhub.thermo.kvalues.KValueModel`)
    K_SB : Souders-Brown coefficient [m/s]; residence_time [s]; rho_organic [kg/m3];
    U [W/(m2 K)], dT_utility [K] : cooler/heater area

    References
    ----------
    Rachford, H.H., Rice, J.D. (1952), J. Petrol. Technol. 4(10):19, doi:10.2118/952327-G.
    GPSA Engineering Data Book, 13th ed. (2012), Section 7 (Separation equipment):
    Souders-Brown K = 0.18-0.35 ft/s (0.055-0.107 m/s) for vertical separators with mesh pad.
    """

    inlets = ("feed",)
    outlets = ("vapor", "liquid")
    params = {
        "T": Param(313.15, "K", 60.0, 1500.0, "flash temperature [K]"),
        "P": Param(101325.0, "Pa", 100.0, 3e7, "flash pressure [Pa]"),
        "range_policy": Param("warn", "choice", doc="K-values outside their range", choices=POLICIES),
        "light_gases": Param("henry", "choice", doc="K model of H2, CO, N2, O2, Ar, CH4",
                             choices=("henry", "noncondensable", "raoult")),
        "solutes": Param("henry", "choice", doc="K model of CO2, H2S, NH3", choices=("henry", "raoult")),
        "K_SB": Param(0.07, "m/s", 0.01, 0.5, "Souders-Brown coefficient [m/s]"),
        "residence_time": Param(300.0, "s", 0.0, 7200.0, "liquid residence time [s]"),
        "rho_organic": Param(750.0, "kg/m^3", 300.0, 1500.0, "density of non-water liquids [kg/m3]"),
        "U": Param(500.0, "W/m^2/K", 1.0, 1e4, "overall heat-transfer coefficient [W/(m2 K)]"),
        "dT_utility": Param(20.0, "K", 1.0, 500.0, "approach to the utility [K]"),
    }
    costs = (Cost("turton.vessel_vertical", "volume_m3", pressure="P_barg"),
             Cost("turton.heat_exchanger_fixed_tube", "area_m2"))

    def __init__(self, id: str, **values: Any):
        super().__init__(id, **values)
        self._km: dict = {}

    def kvalues(self, cs, p) -> KValueModel:
        return _kmodel(self._km, cs, str(p.scalar("light_gases")), str(p.scalar("solutes")))

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs = s.cs
        w = _water(cs)
        km = self.kvalues(cs, p)
        flow = fold_water(s.flow, w)
        tot = flow.sum(axis=1)
        z = np.divide(flow, tot[:, None], out=np.zeros_like(flow), where=tot[:, None] > 0)
        T, P = p.T, p.P
        status = km.check(T, flow > 0, str(p.scalar("range_policy")), "K-value")
        K = km.K(T, P)
        beta, _ = rachford_rice(z, K)
        liq, vap = split_phases(flow, K, beta, km.method)
        liq = as_liquid(liq, w)
        origin = s.origin
        vout = Stream(cs, vap, T.copy(), P.copy(), origin, check=False)
        lout = Stream(cs, liq, T.copy(), P.copy(), origin, check=False)
        q = vout.enthalpy + lout.enthalpy - s.enthalpy
        # sizing
        mw_v = np.divide(vap @ cs.molar_mass, vap.sum(axis=1), out=np.zeros(p.n), where=vap.sum(axis=1) > 0)
        rho_v = P * mw_v / (8.31446261815324 * T)
        rho_l = liquid_density(cs, liq, p.rho_organic)
        qv = vap.sum(axis=1) * 8.31446261815324 * T / P  # m3/s
        u = p.K_SB * np.sqrt(np.maximum(rho_l - rho_v, 0.0) / np.maximum(rho_v, 1e-12))
        d_gas = np.sqrt(4.0 * qv / (np.pi * np.maximum(u, 1e-12)))
        v_liq = 2.0 * (liq @ cs.molar_mass) / rho_l * p.residence_time
        vol = np.maximum(np.pi / 4 * d_gas**2 * 3.0 * d_gas, v_liq)
        lat = km.latent_heat(T)
        nonwater = (km.method == RAOULT) & ~np.isin(np.array(cs.ids), ["H2O", "H2O(L)"])
        design = {
            "vapor_fraction": beta, "duty_W": q, "area_m2": np.abs(q) / (p.U * p.dT_utility),
            "volume_m3": vol, "diameter_m": np.maximum(d_gas, (vol / (np.pi / 4 * 3.0)) ** (1 / 3)),
            "P_barg": P / 1e5 - P_ATM / 1e5,
            "latent_heat_nonwater_W": (liq * lat * nonwater).sum(axis=1),
        }
        util = {"steam_heat_W": np.where(q > 0, q, 0.0), "cooling_W": np.where(q < 0, -q, 0.0)}
        return UnitResult({"vapor": vout, "liquid": lout}, q, _zero(p.n), design, util, status)


def split_phases(flow: np.ndarray, K: np.ndarray, beta: np.ndarray, method: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(liquid, vapour) flows (n, k) for vapour fraction beta; exact: liquid + vapour = flow."""
    b = beta[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        liq = flow * (1.0 - b) / (1.0 + b * (K - 1.0))
    liq = np.where(method == NONCONDENSABLE, 0.0, liq)
    liq = np.where(method == NONVOLATILE, flow, liq)
    liq = np.where(np.isfinite(liq), liq, flow * (b < 0.5))
    liq = np.clip(liq, 0.0, flow)
    vap = flow - liq
    return liq, vap


# --------------------------------------------------------------------------------------------
# Fenske-Underwood-Gilliland shortcut design (shared by ShortcutColumn and the olefin train)

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
    present = z > 0
    above = np.where(present & (alpha > 1.0 + 1e-12), alpha, np.inf)
    a_hi = above.min(axis=1)
    lo = np.ones(n) * (1.0 + 1e-12)
    hi = np.where(np.isfinite(a_hi), a_hi, 2.0) * (1 - 1e-12)

    def phi(th):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(present, alpha * z / (alpha - th[:, None]), 0.0).sum(axis=1) - (1 - q)

    # bisection in theta: phi increases monotonically between the two poles
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        f = phi(mid)
        lo = np.where(f < 0, mid, lo)
        hi = np.where(f >= 0, mid, hi)
        if (hi - lo <= 1e-15 * hi).all():
            break
    theta = 0.5 * (lo + hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        rmin = np.where(xd > 0, alpha * xd / (alpha - theta[:, None]), 0.0).sum(axis=1) - 1.0
    return rmin, theta


def fug_design(km: KValueModel, flow: np.ndarray, P, i_lk: int, i_hk: int, r_lk, r_hk,
               reflux_factor, q, partial_condenser: bool = False, n_iter: int = 4) -> dict:
    """Shortcut (Fenske-Underwood-Gilliland) design of a column on feed ``flow`` (n, k) with
    water folded into one column. Non-key components are distributed by the Fenske equation
    (Hengstebeck-Geddes): d_i/b_i = (d_HK/b_HK) alpha_i^Nmin; relative volatilities at the top
    and bottom temperatures (bubble or dew points), geometric mean, iterated ``n_iter`` times.
    Returns a dict of (n,) arrays and (n, k) distillate/bottoms flows."""
    n, k = flow.shape
    P = np.broadcast_to(np.asarray(P, float), (n,))
    r_lk = np.broadcast_to(np.asarray(r_lk, float), (n,))
    r_hk = np.broadcast_to(np.asarray(r_hk, float), (n,))
    F = flow.sum(axis=1)
    z = np.divide(flow, F[:, None], out=np.zeros_like(flow), where=F[:, None] > 0)
    # keys present in the design at least in traces, so that volatilities are defined
    zk = z.copy()
    zk[:, [i_lk, i_hk]] = np.maximum(zk[:, [i_lk, i_hk]], 1e-9)
    # initial temperature: bubble point of the condensable part of the feed
    Tf, okf = bubble_temperature(km, np.where(km.method == NONCONDENSABLE, 0.0, zk), P)
    Tf = np.where(okf, Tf, 300.0)
    lnK = km.lnK(Tf, P)
    la = lnK - lnK[:, [i_hk]]
    ok = np.ones(n, dtype=bool)
    for _ in range(n_iter):
        la_lk = la[:, i_lk]
        nmin = np.log(r_lk / (1 - r_lk) * r_hk / (1 - r_hk)) / np.where(la_lk > 0, la_lk, np.nan)
        lr = np.log((1 - r_hk) / r_hk)[:, None] + nmin[:, None] * la
        with np.errstate(over="ignore"):
            phi_d = 1.0 / (1.0 + np.exp(-np.nan_to_num(lr, nan=0.0, neginf=-800.0, posinf=800.0)))
        phi_d[:, i_lk] = r_lk
        phi_d[:, i_hk] = 1.0 - r_hk
        d = zk * phi_d
        b = zk - d
        if partial_condenser:
            Tt, okt = dew_temperature(km, d, P)
        else:
            Tt, okt = bubble_temperature(km, d, P)
        Tb, okb = bubble_temperature(km, b, P)
        Tt = np.where(okt, Tt, Tf)
        Tb = np.where(okb, Tb, Tf)
        lt, lb = km.lnK(Tt, P), km.lnK(Tb, P)
        with np.errstate(invalid="ignore"):
            la = 0.5 * ((lt - lt[:, [i_hk]]) + (lb - lb[:, [i_hk]]))
        la = np.nan_to_num(la, nan=-np.inf)
        ok = okt & okb
    la_lk = la[:, i_lk]
    order_ok = la_lk > 1e-9
    nmin = np.log(r_lk / (1 - r_lk) * r_hk / (1 - r_hk)) / np.where(order_ok, la_lk, np.nan)
    alpha = np.exp(la)
    D = d.sum(axis=1)
    xd = np.divide(d, D[:, None], out=np.zeros_like(d), where=D[:, None] > 0)
    rmin, theta = underwood(alpha, zk, xd, q)
    rmin = np.maximum(rmin, 1e-3)  # floor: a negative Underwood value means an easy split
    R = reflux_factor * rmin
    Y = molokanov((R - rmin) / (R + 1))
    N = (nmin + Y) / (1 - Y)
    Bt = b.sum(axis=1)
    xb = np.divide(b, Bt[:, None], out=np.zeros_like(b), where=Bt[:, None] > 0)
    # Kirkbride (1944), Petrol. Refiner 23(9):321: N_rect/N_strip
    with np.errstate(divide="ignore", invalid="ignore"):
        kir = ((zk[:, i_hk] / zk[:, i_lk]) * (xb[:, i_lk] / np.maximum(xd[:, i_hk], 1e-300)) ** 2
               * (Bt / np.maximum(D, 1e-300))) ** 0.206
    feed_stage = N * kir / (1 + kir)
    status = np.where(~order_ok, "light key is not more volatile than the heavy key at column "
                      "conditions", np.where(~ok, "no bubble/dew point of the column products", "ok"))
    d_act = flow * phi_d
    return {"Nmin": nmin, "N": N, "Rmin": rmin, "R": R, "theta": theta, "alpha_lk": np.exp(la_lk),
            "T_top": Tt, "T_bottom": Tb, "T_feed": Tf, "feed_stage": feed_stage, "phi_d": phi_d,
            "distillate": d_act, "bottoms": flow - d_act, "x_top": xd, "x_bottom": xb,
            "status": status}


R_GAS = 8.31446261815324


def column_sizing(cs, km: KValueModel, res: dict, F: np.ndarray, P, q, p, partial: bool) -> dict:
    """Duties, refrigeration and hydraulics of a shortcut column (see ShortcutColumn)."""
    n = F.shape[0]
    D = res["distillate"].sum(axis=1)
    Ftot = F.sum(axis=1)
    R, Tt, Tb = res["R"], res["T_top"], res["T_bottom"]
    lam_t = (res["x_top"] * km.latent_heat(Tt)).sum(axis=1)
    lam_b = (res["x_bottom"] * km.latent_heat(Tb)).sum(axis=1)
    V_top = (R + 1.0) * D
    V_bot = np.maximum(V_top - (1.0 - q) * Ftot, 0.0)
    q_cond = lam_t * (R * D if partial else V_top)
    q_reb = lam_b * V_bot
    mw = cs.molar_mass

    def diam(V, T, x):
        mwv = x @ mw
        rho_v = P * mwv / (R_GAS * T)
        rho_l = liquid_density(cs, x, p.rho_organic)
        u = p.C_sb * np.sqrt(np.maximum(rho_l - rho_v, 0.0) / np.maximum(rho_v, 1e-12))
        A = V * R_GAS * T / P / np.maximum(p.flood_fraction * u * 0.9, 1e-12)
        return np.sqrt(4.0 * A / np.pi)

    dia = np.maximum(diam(V_top, Tt, res["x_top"]), diam(V_bot, Tb, res["x_bottom"]))
    dia = np.maximum(dia, 0.3)
    n_trays = np.maximum(res["N"] - 1.0 - (1.0 if partial else 0.0), 1.0) / p.tray_efficiency
    height = n_trays * p.tray_spacing + p.extra_height
    area = np.pi / 4 * dia**2
    T_evap = Tt - p.dT_condenser
    refrig = Tt < p.T_cooling_water
    cop = p.carnot_fraction * T_evap / np.maximum(p.T_ambient - T_evap, 1.0)
    w_ref = np.where(refrig, q_cond / cop, 0.0)
    return {"n_stages": res["N"], "n_min_stages": res["Nmin"], "reflux_ratio": R,
            "min_reflux_ratio": res["Rmin"], "feed_stage": res["feed_stage"],
            "alpha_lk_hk": res["alpha_lk"], "T_top_K": Tt, "T_bottom_K": Tb,
            "condenser_duty_W": q_cond, "reboiler_duty_W": q_reb, "n_trays": n_trays,
            "diameter_m": dia, "height_m": height, "volume_m3": area * height, "tray_area_m2": area,
            "P_barg": P / 1e5 - P_ATM / 1e5,
            "reboiler_area_m2": q_reb / (p.U_reboiler * p.dT_reboiler),
            "condenser_area_m2": q_cond / (p.U_condenser * p.dT_condenser),
            "refrigeration_power_W": w_ref, "refrigeration_power_kW": w_ref / 1e3,
            "D_mol_s": D, "B_mol_s": Ftot - D}


_COLUMN_PARAMS = {
    "reflux_factor": Param(1.3, "", 1.01, 10.0, "reflux ratio / minimum reflux ratio [-]"),
    "q": Param(1.0, "", 0.0, 1.5, "feed quality (1 saturated liquid, 0 saturated vapour) [-]"),
    "tray_efficiency": Param(0.7, "", 0.1, 1.0, "overall tray efficiency [-]"),
    "tray_spacing": Param(0.6, "m", 0.2, 1.5, "tray spacing [m]"),
    "extra_height": Param(4.0, "m", 0.0, 20.0, "sump, top disengagement and feed zones [m]"),
    "C_sb": Param(0.09, "m/s", 0.01, 0.5, "Souders-Brown flooding capacity factor [m/s]"),
    "flood_fraction": Param(0.8, "", 0.3, 1.0, "design vapour velocity / flooding velocity [-]"),
    "rho_organic": Param(750.0, "kg/m^3", 300.0, 1500.0, "density of non-water liquids [kg/m3]"),
    "U_reboiler": Param(800.0, "W/m^2/K", 10.0, 1e4, "reboiler U [W/(m2 K)]"),
    "dT_reboiler": Param(20.0, "K", 1.0, 200.0, "reboiler temperature difference [K]"),
    "U_condenser": Param(500.0, "W/m^2/K", 10.0, 1e4, "condenser U [W/(m2 K)]"),
    "dT_condenser": Param(10.0, "K", 1.0, 200.0, "condenser temperature difference [K]"),
    "T_cooling_water": Param(308.15, "K", 250.0, 350.0, "lowest condensing T on cooling water [K]"),
    "T_ambient": Param(313.15, "K", 250.0, 350.0, "refrigerant heat-rejection temperature [K]"),
    "carnot_fraction": Param(0.5, "", 0.1, 1.0, "refrigeration COP / Carnot COP [-]"),
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
    absent from the ideal-gas enthalpy basis, and by the feed condition. Condensers below
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
        "P": Param(101325.0, "Pa", 1e3, 1e7, "column pressure [Pa]"),
        "lk_recovery": Param(0.99, "", 0.5, 0.999999, "light key to distillate [-]"),
        "hk_recovery": Param(0.99, "", 0.5, 0.999999, "heavy key to bottoms [-]"),
        "condenser": Param("total", "choice", doc="total or partial condenser", choices=("total", "partial")),
        **_COLUMN_PARAMS,
        "range_policy": Param("warn", "choice", doc="K-values outside their range", choices=POLICIES),
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

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs = s.cs
        w = _water(cs)
        for key in (self.light_key, self.heavy_key):
            cs.index(key)  # clear error for unknown ids
        km = _kmodel(self._km, cs, str(p.scalar("light_gases")), str(p.scalar("solutes")))
        flow = fold_water(s.flow, w)
        i_lk, i_hk = cs.index(self.light_key), cs.index(self.heavy_key)
        if w is not None:
            i_lk = w[0] if i_lk == w[1] else i_lk
            i_hk = w[0] if i_hk == w[1] else i_hk
        partial = str(p.scalar("condenser")) == "partial"
        res = fug_design(km, flow, p.P, i_lk, i_hk, p.lk_recovery, p.hk_recovery, p.reflux_factor,
                         p.q, partial_condenser=partial)
        policy = str(p.scalar("range_policy"))
        st1 = km.check(res["T_top"], res["distillate"] > 0, policy, "K-value (column top)")
        st2 = km.check(res["T_bottom"], res["bottoms"] > 0, policy, "K-value (column bottom)")
        status = _status_merge(res["status"], st1, st2)
        d = res["distillate"] if partial else as_liquid(res["distillate"], w)
        b = as_liquid(res["bottoms"], w)
        dout = Stream(cs, d, res["T_top"], p.P.copy(), s.origin, check=False)
        bout = Stream(cs, b, res["T_bottom"], p.P.copy(), s.origin, check=False)
        heat = dout.enthalpy + bout.enthalpy - s.enthalpy
        design = column_sizing(cs, km, res, flow, p.P, p.q, p, partial)
        design["duty_W"] = heat
        lat_nw = ((km.method == RAOULT) & ~np.isin(np.array(cs.ids), ["H2O", "H2O(L)"]))
        lat = km.latent_heat(res["T_bottom"])
        design["latent_heat_nonwater_W"] = (res["bottoms"] * lat * lat_nw).sum(axis=1)
        util = _column_utilities(design)
        return UnitResult({"distillate": dout, "bottoms": bout}, heat, _zero(p.n), design, util,
                          None if status is None or (status == "ok").all() else status)


def _column_utilities(design: dict, prefix: str = "") -> dict:
    qc, qr = design[prefix + "condenser_duty_W"], design[prefix + "reboiler_duty_W"]
    w = design[prefix + "refrigeration_power_W"]
    steam = np.where(design[prefix + "T_bottom_K"] >= 300.0, qr, 0.0)
    return {"steam_heat_W": steam, "cooling_W": np.where(w > 0, qc + w, qc), "electricity_W": w}


# --------------------------------------------------------------------------------------------

WEAK_ADSORBATES = ("N2", "Ar", "O2", "CO", "CH4")
"""Least strongly adsorbed impurities on PSA beds (activated carbon / zeolite): they break
through first and make up the product impurity (Sircar & Golden 2000)."""


class PSA(Unit):
    """Hydrogen pressure-swing adsorption: H2 recovery and product purity specified.

    The product carries ``h2_recovery`` of the feed H2 and impurities so that its H2 mole
    fraction is ``h2_purity``; the impurity is drawn from the weakly adsorbed species present
    (N2, Ar, O2, CO, CH4; all others if none), in proportion to their feed flows and at most
    their feed flow (the purity is then higher). Everything else leaves with the tail gas at
    ``P_tail``. Isothermal; product at P - dP. Typical industrial units: 99.9-99.999 % H2 at
    75-92 % recovery (Sircar & Golden 2000).

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["H2", "CO", "CO2", "CH4"])
    >>> feed = Stream.from_flows(cs, {"H2": 75.0, "CO": 3.0, "CO2": 18.0, "CH4": 4.0}, T=313.0, P=25e5)
    >>> psa = PSA("psa")
    >>> r = psa.run({"feed": feed}, psa.resolve({}, 1))
    >>> round(float(r.outlets["product"]["H2"][0]), 3), round(float(r.design["h2_purity"][0]), 4)
    (66.0, 0.999)

    References
    ----------
    Sircar, S., Golden, T.C. (2000), Purification of hydrogen by pressure swing adsorption,
    Sep. Sci. Technol. 35(5):667-687, doi:10.1081/SS-100100183.
    """

    inlets = ("feed",)
    outlets = ("product", "tail_gas")
    params = {
        "h2_recovery": Param(0.88, "", 0.0, 1.0, "H2 to product [-] (typical 0.85-0.90)"),
        "h2_purity": Param(0.999, "", 0.5, 1.0, "H2 mole fraction of the product [-]"),
        "dP": Param(0.5e5, "Pa", 0.0, 1e7, "product pressure drop [Pa]"),
        "P_tail": Param(1.3e5, "Pa", 1e4, 1e7, "tail-gas pressure [Pa]"),
    }
    costs = (Cost("ref.psa_hydrogen", "feed_kmol_per_h"),)

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs = s.cs
        ih = cs.index("H2")
        f = s.flow
        h2 = p.h2_recovery * f[:, ih]
        imp_total = h2 * (1.0 - p.h2_purity) / p.h2_purity
        weak = np.isin(np.array(cs.ids), WEAK_ADSORBATES)
        others = np.ones(len(cs), dtype=bool)
        others[ih] = False
        wmask = np.where((f[:, weak & others].sum(axis=1) > 0)[:, None], weak & others, others)
        base = np.where(wmask, f, 0.0)
        bt = base.sum(axis=1, keepdims=True)
        imp = np.minimum(np.divide(base, bt, out=np.zeros_like(base), where=bt > 0) * imp_total[:, None], f)
        prod = imp.copy()
        prod[:, ih] = h2
        tail = np.clip(f - prod, 0.0, None)
        prod = f - tail
        pout = Stream(cs, prod, s.T.copy(), np.maximum(s.P - p.dP, 1.0), s.origin, check=False)
        tout = Stream(cs, tail, s.T.copy(), np.minimum(p.P_tail, s.P), s.origin, check=False)
        heat = pout.enthalpy + tout.enthalpy - s.enthalpy
        pt = prod.sum(axis=1)
        design = {"feed_kmol_per_h": s.total_flow * 3.6, "h2_product_kg_per_h": h2 * cs.molar_mass[ih] * 3600,
                  "h2_purity": np.divide(prod[:, ih], pt, out=np.zeros(p.n), where=pt > 0)}
        return UnitResult({"product": pout, "tail_gas": tout}, heat, _zero(p.n), design)


GPU = 3.348e-10
"""1 gas permeation unit = 1e-6 cm3(STP)/(cm2 s cmHg) = 3.348e-10 mol/(m2 s Pa)."""


class Membrane(Unit):
    """Gas-permeation membrane stage, complete-mixing model, constant permeances.

    Relative permeances (CO2 = 1): CO2, H2S and H2O 1; H2 1/``selectivity`` (CO2/H2
    selectivity); all other gases ``slow_gas_relative`` (CO2/N2 selectivity 50 -> 0.02);
    liquids and solids 0. For a stage cut theta (permeate / feed) the permeate composition
    solves y_i = c Q_i P_h z_i / [(1 - theta)(1 + c Q_i P_l) + c Q_i P_h theta], sum y = 1,
    with c = A / (theta F) found per case by bisection (Weller & Steiner 1950 complete-mixing
    equations; conservative compared with cross-flow). Area A = c theta F. Isothermal;
    permeate at ``P_permeate``, retentate at the feed pressure. A stage cut above what the
    permeable species can carry is infeasible (status). Defaults: a CO2-selective polymer
    (Polaris type): 1000 GPU CO2, CO2/N2 50 (Merkel et al. 2010), CO2/H2 about 10 (Merkel
    et al. 2012). ``selectivity`` < 1 gives an H2-selective membrane.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["H2", "CO2"])
    >>> feed = Stream.from_flows(cs, {"H2": 60.0, "CO2": 40.0}, T=313.0, P=30e5)
    >>> m = Membrane("mem", stage_cut=0.4)
    >>> r = m.run({"feed": feed}, m.resolve({}, 1))
    >>> round(float(r.outlets["permeate"]["CO2"][0] / 40.0), 3)     # CO2 recovery to permeate
    0.689

    References
    ----------
    Weller, S., Steiner, W.A. (1950), Chem. Eng. Prog. 46:585-590.
    Merkel, T.C., Lin, H., Wei, X., Baker, R. (2010), J. Membr. Sci. 359:126-139,
    doi:10.1016/j.memsci.2009.10.041.
    Merkel, T.C., Zhou, M., Baker, R.W. (2012), J. Membr. Sci. 389:441-450,
    doi:10.1016/j.memsci.2011.11.012.
    """

    inlets = ("feed",)
    outlets = ("permeate", "retentate")
    params = {
        "stage_cut": Param(0.3, "", 1e-6, 0.999, "permeate / feed molar flow [-]"),
        "selectivity": Param(10.0, "", 0.001, 1000.0, "CO2/H2 permeance ratio [-]"),
        "slow_gas_relative": Param(0.02, "", 0.0, 10.0, "permeance of other gases / CO2 [-]"),
        "permeance_GPU": Param(1000.0, "", 1.0, 1e5, "CO2 permeance [GPU]"),
        "P_permeate": Param(1.5e5, "Pa", 1e3, 1e7, "permeate pressure [Pa]"),
    }
    costs = (Cost("ref.membrane_module", "area_m2"),)

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs = s.cs
        ids = np.array(cs.ids)
        rel = np.where(np.isin(ids, ["CO2", "H2S", "H2O"]), 1.0, p.slow_gas_relative[:, None])
        rel = np.where(ids == "H2", 1.0 / p.selectivity[:, None], rel)
        rel = np.where(cs.is_gas, rel, 0.0)
        F = s.total_flow
        z = s.mole_fractions
        th = p.stage_cut[:, None]
        Ph, Pl = s.P[:, None], np.minimum(p.P_permeate, s.P)[:, None]
        Q = rel * (p.permeance_GPU * GPU)[:, None]

        def ysum(c):
            cq = c[:, None] * Q
            return (cq * Ph * z / ((1 - th) * (1 + cq * Pl) + cq * Ph * th)).sum(axis=1)

        ylim = np.where(rel > 0, Ph * z / ((1 - th) * Pl + Ph * th), 0.0).sum(axis=1)
        feasible = (ylim > 1.0 + 1e-12) & (F > 0)
        lo = np.full(p.n, -40.0)
        hi = np.full(p.n, 40.0)
        scale = 1.0 / (np.max(Q, axis=1) * s.P + 1e-300)
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            big = ysum(scale * np.exp(mid)) > 1.0
            hi = np.where(big, mid, hi)
            lo = np.where(big, lo, mid)
            if (hi - lo < 1e-13).all():
                break
        c = scale * np.exp(0.5 * (lo + hi))
        cq = c[:, None] * Q
        y = cq * Ph * z / ((1 - th) * (1 + cq * Pl) + cq * Ph * th)
        y = y / np.where(y.sum(axis=1, keepdims=True) > 0, y.sum(axis=1, keepdims=True), 1.0)
        perm = np.where(feasible[:, None], np.minimum(th * F[:, None] * y, s.flow), 0.0)
        ret = s.flow - perm
        status = np.where(feasible | (F == 0), "ok", "stage cut too high for the permeable species "
                          "(no complete-mixing solution)")
        pout = Stream(cs, perm, s.T.copy(), Pl[:, 0].copy(), s.origin, check=False)
        rout = Stream(cs, ret, s.T.copy(), s.P.copy(), s.origin, check=False)
        heat = pout.enthalpy + rout.enthalpy - s.enthalpy
        design = {"area_m2": np.where(feasible, c * p.stage_cut * F, 0.0), "stage_cut": p.stage_cut.copy()}
        return UnitResult({"permeate": pout, "retentate": rout}, heat, _zero(p.n), design, {},
                          None if (status == "ok").all() else status)


_TRAIN = (  # column, feed from, light key, heavy key, pressure param, condenser
    ("demethaniser", None, "CH4", "C2H4", "P_demethaniser", True),
    ("deethaniser", ("demethaniser", "bottoms"), "C2H6", "C3H6", "P_deethaniser", False),
    ("c2_splitter", ("deethaniser", "distillate"), "C2H4", "C2H6", "P_c2_splitter", False),
    ("depropaniser", ("deethaniser", "bottoms"), "C3H8", "C4H8", "P_depropaniser", False),
    ("c3_splitter", ("depropaniser", "distillate"), "C3H6", "C3H8", "P_c3_splitter", False),
)
FUEL_GAS = ("H2", "CO", "N2", "O2", "Ar", "CH4", "CO2")
"""Species of the demethaniser overhead (CO2: a caustic wash upstream is assumed; any CO2
that reaches the train is reported with the fuel gas)."""


class OlefinSeparationTrain(Unit):
    """Light-olefin recovery (front-end demethaniser sequence) of an MTO or cracker effluent.

    Products (exact by specification): ``ethylene`` (``ethylene_recovery`` of the C2H4, with
    C2H6 as the impurity to ``ethylene_purity``), ``propylene`` (likewise with C3H8),
    ``fuel_gas`` (H2, CO, N2, O2, Ar, CH4, CO2), ``ethane_propane`` (remaining C2H6/C3H8 and
    the olefin losses: recycle to a cracker or fuel) and ``c4plus`` (everything heavier,
    oxygenates and any water: drying upstream assumed). Outlets leave at the feed
    temperature (cold recovered against the feed) and the pressure of the column they leave.

    Energy: the five columns (demethaniser with partial condenser, deethaniser, C2 splitter,
    depropaniser, C3 splitter) are designed by Fenske-Underwood-Gilliland on the feeds the
    sequence gives them (Fenske distribution of non-keys; non-product key recoveries
    ``key_recovery``), with ideal K-values (H2, CO, N2, O2, Ar, CO2 non-condensable).
    Condensers below ``T_cooling_water`` are refrigerated (ethylene/propylene cycles) with
    COP = carnot_fraction T_evap / (T_ambient - T_evap); their electricity is the unit's
    ``power``, rejected with the condenser duties to cooling water (``heat``), so the enthalpy
    balance closes exactly. Design keys per column: ``<column>_<key>``.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["H2", "CH4", "C2H4", "C2H6", "C3H6", "C3H8", "C4H8"])
    >>> f = {"H2": 2.0, "CH4": 5.0, "C2H4": 40.0, "C2H6": 3.0, "C3H6": 35.0, "C3H8": 3.0, "C4H8": 12.0}
    >>> feed = Stream.from_flows(cs, f, T=313.15, P=32e5)
    >>> tr = OlefinSeparationTrain("olefins")
    >>> r = tr.run({"feed": feed}, tr.resolve({}, 1))
    >>> round(float(r.outlets["ethylene"]["C2H4"][0]), 3), round(float(r.design["refrigeration_power_kW"][0]), 1)
    (39.8, 1535.3)

    References
    ----------
    Zimmermann, H., Walzl, R. (2009), Ethylene, Ullmann's Encyclopedia of Industrial
    Chemistry, Wiley-VCH, doi:10.1002/14356007.a10_045.pub3 (separation sequences, column
    pressures, polymer-grade purities: ethylene >= 99.9 mol%, propylene >= 99.5 mol%).
    """

    inlets = ("feed",)
    outlets = ("ethylene", "propylene", "c4plus", "fuel_gas", "ethane_propane")
    params = {
        "ethylene_recovery": Param(0.995, "", 0.5, 0.99999, "C2H4 to the ethylene product [-]"),
        "ethylene_purity": Param(0.999, "", 0.5, 1.0, "C2H4 mole fraction of the product [-]"),
        "propylene_recovery": Param(0.99, "", 0.5, 0.99999, "C3H6 to the propylene product [-]"),
        "propylene_purity": Param(0.995, "", 0.5, 1.0, "C3H6 mole fraction of the product [-]"),
        "key_recovery": Param(0.995, "", 0.5, 0.99999, "key recoveries of the non-product cuts [-]"),
        "P_demethaniser": Param(32e5, "Pa", 1e5, 6e6, "demethaniser pressure [Pa]"),
        "P_deethaniser": Param(25e5, "Pa", 1e5, 6e6, "deethaniser pressure [Pa]"),
        "P_c2_splitter": Param(19e5, "Pa", 1e5, 6e6, "C2 splitter pressure [Pa]"),
        "P_depropaniser": Param(16e5, "Pa", 1e5, 6e6, "depropaniser pressure [Pa]"),
        "P_c3_splitter": Param(18e5, "Pa", 1e5, 6e6, "C3 splitter pressure [Pa]"),
        **_COLUMN_PARAMS,
        "reflux_factor": Param(1.2, "", 1.01, 10.0, "reflux ratio / minimum reflux ratio [-]"),
    }
    costs = tuple(c for col, *_ in _TRAIN for c in (
        Cost("turton.tower_shell", f"{col}_volume_m3", pressure=f"{col}_P_barg", label=col),
        Cost("turton.tray_sieve", f"{col}_tray_area_m2", label=f"{col}; quantity {col}_n_trays"),
        Cost("turton.heat_exchanger_kettle_reboiler", f"{col}_reboiler_area_m2", label=col),
        Cost("turton.heat_exchanger_fixed_tube", f"{col}_condenser_area_m2", label=col))) + (
        Cost("turton.compressor_centrifugal", "refrigeration_power_kW", label="refrigeration"),)

    def __init__(self, id: str, **values: Any):
        super().__init__(id, **values)
        self._km: dict = {}

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs = s.cs
        ids = np.array(cs.ids)
        f = s.flow
        n = p.n

        def col(cid):
            return f[:, cs.index(cid)] if cid in cs else np.zeros(n)

        out = {k: np.zeros_like(f) for k in self.outlet_names}
        fuel = np.isin(ids, FUEL_GAS)
        out["fuel_gas"][:, fuel] = f[:, fuel]
        for olefin, paraffin, rec, pur, prod in (("C2H4", "C2H6", p.ethylene_recovery, p.ethylene_purity, "ethylene"),
                                                 ("C3H6", "C3H8", p.propylene_recovery, p.propylene_purity, "propylene")):
            o, pa = col(olefin), col(paraffin)
            o_prod = rec * o
            imp = np.minimum(o_prod * (1 - pur) / pur, pa)
            if olefin in cs:
                out[prod][:, cs.index(olefin)] = o_prod
                out["ethane_propane"][:, cs.index(olefin)] = o - o_prod
            if paraffin in cs:
                out[prod][:, cs.index(paraffin)] = imp
                out["ethane_propane"][:, cs.index(paraffin)] = pa - imp
        assigned = fuel | np.isin(ids, ["C2H4", "C2H6", "C3H6", "C3H8"])
        out["c4plus"][:, ~assigned] = f[:, ~assigned]
        for k in out:
            out[k] = np.clip(out[k], 0.0, None)
        design, power, pressures = self._columns(cs, f, p)
        port_P = {"ethylene": pressures["c2_splitter"], "propylene": pressures["c3_splitter"],
                  "c4plus": pressures["depropaniser"], "fuel_gas": pressures["demethaniser"],
                  "ethane_propane": pressures["deethaniser"]}
        streams = {k: Stream(cs, v, s.T.copy(), np.minimum(port_P[k], s.P), s.origin, check=False)
                   for k, v in out.items()}
        h_out = sum(st.enthalpy for st in streams.values())
        heat = h_out - s.enthalpy - power
        steam = sum(np.where(design[f"{c}_T_bottom_K"] >= 300.0, design[f"{c}_reboiler_duty_W"], 0.0)
                    for c, *_ in _TRAIN)
        util = {"electricity_W": power, "steam_heat_W": steam, "cooling_W": -heat + steam}
        st = design.pop("_status")
        return UnitResult(streams, heat, power, design, util, None if (st == "ok").all() else st)

    def _columns(self, cs, f, p):
        over = {c: "noncondensable" for c in ("H2", "CO", "N2", "O2", "Ar", "CO2") if c in cs}
        key = tuple(sorted(over.items()))
        if (id(cs), key) not in self._km:
            self._km[(id(cs), key)] = KValueModel(cs, light_gases="raoult", solutes="raoult", overrides=over)
        km = self._km[(id(cs), key)]
        feed = np.where(np.isin(np.array(cs.ids), ["H2O", "H2O(L)"]), 0.0, f)  # dried upstream
        feeds, design, pressures = {}, {}, {}
        power = np.zeros(p.n)
        status = np.full(p.n, "ok", dtype=object)
        for name, src, lk, hk, pkey, partial in _TRAIN:
            P = getattr(p, pkey)
            pressures[name] = P
            x = feed if src is None else feeds[src]
            if lk not in cs or hk not in cs:
                continue
            i_lk, i_hk = cs.index(lk), cs.index(hk)
            r_lk, r_hk = p.key_recovery, p.key_recovery
            if name == "c2_splitter":
                r_lk = p.ethylene_recovery
            elif name == "c3_splitter":
                r_lk = p.propylene_recovery
            res = fug_design(km, x, P, i_lk, i_hk, r_lk, r_hk, p.reflux_factor, p.q, partial_condenser=partial)
            feeds[(name, "distillate")] = res["distillate"]
            feeds[(name, "bottoms")] = res["bottoms"]
            d = column_sizing(cs, km, res, x, P, p.q, p, partial)
            design.update({f"{name}_{k}": v for k, v in d.items()})
            power = power + d["refrigeration_power_W"]
            bad = (res["status"] != "ok") & (status == "ok") & (x.sum(axis=1) > 0)
            status = np.where(bad, name + ": " + res["status"].astype(object), status)
        design["refrigeration_power_W"] = power
        design["refrigeration_power_kW"] = power / 1e3
        design["_status"] = status
        return design, power, pressures
