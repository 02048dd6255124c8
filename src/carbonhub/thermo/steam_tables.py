"""Steam states in batches: tables of IAPWS-95 (used by the power island, costing/power_island.py).

The island needs, per case, the states of its expansion: saturated liquid and vapour at a
pressure, superheated steam at (T, P), and the two flashes of a turbine section, h(P, s) (the
end of an isentropic expansion) and s(P, h) (the state after a real one or after mixing). Once
admitted steam gives every case its own pressures and mixed states, CoolProp's HEOS flashes cost
~0.1 ms each per case. Here the same equation of state (IAPWS-95, CoolProp HEOS) is tabulated on
first use, in memory (nothing is written to disk), and interpolated for all cases at once:

* saturation, as functions of x = ln P: T_sat, h and s of the saturated liquid and vapour
  (cubic splines on :data:`N_SAT` nodes); ln P_sat as a function of T_sat (its inverse);
* superheated vapour, h and s on a grid in (x, w), T = T_sat(P) + w^2 (T_HI - T_sat(P)),
  w in [0, 1] (:data:`N_X` x :data:`N_W` nodes, quintic splines; w^2 puts nodes near the
  saturation line, where cp changes fastest at high pressure); row w = 0 is the saturated vapour;
* wet steam by the lever rule between the saturated states (exact at a given P: h - h_f =
  T_sat (s - s_f));
* the flashes in the vapour by Newton's method on v = w^2 over the splines, safeguarded by
  bisection, from a first guess tabulated on the splines themselves (v over ln P and the
  target's place between saturation and T_HI), to a Newton step |dv| < 1e-7 (the error left is
  of the order of its square).

States outside the tables (P outside [P_LO, P_HI], T above T_HI, subcooled liquid) are evaluated
by carbonhub.thermo.steam (HEOS) itself. Agreement with HEOS, measured point by point at 20,000
random states over 0.1-160 bar up to 600 degC (superheated, and wet of quality 0.6-1): |dh| <=
9e-3 J/kg (3.5e-9 of h), |ds| <= 1.4e-5 J/(kg K) (2.6e-9 of s), the temperature of the states
the flashes find within 8e-7 K, T_sat within 5e-11 K (tests/thermo/test_steam_tables.py
holds them to 0.02 J/kg, 3e-5 J/(kg K), 1e-5 K). The island closes its energy balance with
whatever h it uses (each enthalpy enters its balance once, as in and as out).

Example
-------
>>> import numpy as np
>>> from carbonhub.thermo.steam_tables import h_from_PS, h_sat_vapour
>>> from carbonhub.thermo.steam import h_from_PS_water
>>> p, s = np.array([1e4, 10e5]), np.array([6500.0, 7000.0])
>>> bool(np.abs(h_from_PS(p, s) - h_from_PS_water(p, s)).max() < 0.01)
True
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import steam as heos

__all__ = ["P_LO", "P_HI", "T_HI", "N_SAT", "N_X", "N_W", "T_sat", "P_sat", "h_sat_liquid",
           "h_sat_vapour", "s_sat_vapour", "h_water", "s_water", "h_from_PS", "s_from_PH"]

P_LO, P_HI = 5.0e3, 1.7e7
"""Pressure range of the tables [Pa] (the island's condenser 0.1 bar up to its largest
throttle, ``prices.steam_island_P`` <= 160 bar, with a margin)."""
T_HI = 880.0
"""Highest temperature of the vapour table [K] (``prices.steam_island_T`` <= 873.15 K)."""
N_SAT, N_X, N_W, N_INV = 2000, 256, 128, 64
"""Nodes of the saturation splines (in ln P), of the vapour grid (ln P x w) and of the first
guess of its flashes (ln P x z)."""
_FLUID = "HEOS::Water"


@lru_cache(maxsize=1)
def _tables():
    """The splines, built once per process from CoolProp HEOS (~0.5 s CPU)."""
    from CoolProp.CoolProp import PropsSI
    from scipy.interpolate import CubicSpline, RectBivariateSpline

    xs = np.linspace(np.log(P_LO), np.log(P_HI), N_SAT)
    ps = np.exp(xs)
    sat = {}
    for name, out, q in (("T", "T", 0.0), ("hf", "H", 0.0), ("hg", "H", 1.0), ("sf", "S", 0.0), ("sg", "S", 1.0)):
        sat[name] = CubicSpline(xs, np.asarray(PropsSI(out, "P", ps, "Q", np.full(N_SAT, q), _FLUID), dtype=float))
    sat["x_of_T"] = CubicSpline(sat["T"](xs), xs)
    xg = np.linspace(np.log(P_LO), np.log(P_HI), N_X)
    wg = np.linspace(0.0, 1.0, N_W)
    ts = sat["T"](xg)[:, None]
    tt = ts + wg[None, 1:] ** 2 * (T_HI - ts)
    pp = np.broadcast_to(np.exp(xg)[:, None], tt.shape)
    hs = np.asarray(PropsSI(["H", "S"], "P|gas", pp.ravel(), "T", tt.ravel(), _FLUID), dtype=float)
    grid = {}
    for k, (name, edge) in enumerate((("h", "hg"), ("s", "sg"))):
        g = np.empty((N_X, N_W))
        g[:, 0] = sat[edge](xg)
        g[:, 1:] = hs[:, k].reshape(tt.shape)
        grid[name] = RectBivariateSpline(xg, wg, g, kx=5, ky=5, s=0)
        # the first guess of the flashes: v = w^2 over (x, z), z the target's place between
        # the saturated vapour (z = 0) and T_HI (z = 1) at x, solved on the spline itself
        ends = (CubicSpline(xg, grid[name].ev(xg, np.zeros(N_X))), CubicSpline(xg, grid[name].ev(xg, np.ones(N_X))))
        xi, zi = np.linspace(xg[0], xg[-1], N_INV), np.linspace(0.0, 1.0, N_INV)
        xx, zz = (a.ravel() for a in np.meshgrid(xi, zi, indexing="ij"))
        f0, f1 = ends[0](xx), ends[1](xx)
        v = _newton(grid[name], xx, f0 + zz * (f1 - f0), zz)
        grid[name + "_guess"] = (ends, RectBivariateSpline(xi, zi, v.reshape(N_INV, N_INV), kx=3, ky=3, s=0))
    return sat, grid


def _in_range(P) -> np.ndarray:
    return (P >= P_LO) & (P <= P_HI)


def _sat(name: str, P, fallback) -> np.ndarray:
    P = np.asarray(P, dtype=float)
    ok = _in_range(P)
    if ok.all():
        return _tables()[0][name](np.log(P))
    out = np.asarray(fallback(P), dtype=float).copy()  # names a bad value as thermo.steam does
    if ok.any():
        out[ok] = _tables()[0][name](np.log(P[ok]))
    return out


def T_sat(P) -> np.ndarray:
    """Saturation temperature [K] at P [Pa]."""
    return _sat("T", P, heos.T_sat)


def h_sat_liquid(P) -> np.ndarray:
    """Enthalpy of the saturated liquid [J/kg] at P [Pa]."""
    return _sat("hf", P, heos.h_sat_liquid)


def h_sat_vapour(P) -> np.ndarray:
    """Enthalpy of the saturated vapour [J/kg] at P [Pa]."""
    return _sat("hg", P, heos.h_sat_vapour)


def s_sat_vapour(P) -> np.ndarray:
    """Entropy of the saturated vapour [J/(kg K)] at P [Pa]."""
    return _sat("sg", P, heos.s_sat_vapour)


def P_sat(T) -> np.ndarray:
    """Saturation pressure [Pa] at T [K]."""
    T = np.asarray(T, dtype=float)
    sat = _tables()[0]
    t_lo, t_hi = sat["x_of_T"].x[0], sat["x_of_T"].x[-1]
    ok = (T >= t_lo) & (T <= t_hi)
    if ok.all():
        return np.exp(sat["x_of_T"](T))
    out = np.asarray(heos.P_sat(T), dtype=float).copy()
    if ok.any():
        out[ok] = np.exp(sat["x_of_T"](T[ok]))
    return out


def _vapour(name: str, T, P, fallback) -> np.ndarray:
    """h or s of superheated vapour at (T, P) (T above T_sat(P))."""
    T, P = (np.array(a, dtype=float) for a in np.broadcast_arrays(T, P))
    ok = _in_range(P) & (T <= T_HI)
    out = np.empty(T.shape)
    if (~ok).any():
        out[~ok] = fallback(T[~ok], P[~ok])
    if ok.any():
        x = np.log(P[ok])
        ts = _tables()[0]["T"](x)
        w = np.sqrt(np.clip((T[ok] - ts) / (T_HI - ts), 0.0, 1.0))
        out[ok] = _tables()[1][name].ev(x, w)
    return out


def h_water(T, P) -> np.ndarray:
    """Enthalpy [J/kg] of superheated steam at T [K], P [Pa] (T above the saturation)."""
    return _vapour("h", T, P, heos.h_water)


def s_water(T, P) -> np.ndarray:
    """Entropy [J/(kg K)] of superheated steam at T [K], P [Pa] (T above the saturation)."""
    return _vapour("s", T, P, heos.s_water)


def _newton(spline, x: np.ndarray, target: np.ndarray, v: np.ndarray) -> np.ndarray:
    """v = w^2 in [0, 1] where the vapour spline equals ``target`` at x = ln P (its value rises
    with v), from the first guess v: Newton's method, safeguarded by bisection, until a Newton
    step is below 1e-7 (the error left is then of the order of its square)."""
    v = np.clip(np.array(v, dtype=float), 0.0, 1.0)
    lo, hi = np.zeros_like(v), np.ones_like(v)
    act = np.arange(v.size)
    for _ in range(60):
        va = v[act]
        w = np.sqrt(va)
        f = spline.ev(x[act], w) - target[act]
        lo[act] = np.where(f <= 0, va, lo[act])
        hi[act] = np.where(f >= 0, va, hi[act])
        # df/dv = (df/dw) / (2 w); at w -> 0 its limit, d2f/dw2 / 2
        dfdv = np.where(w > 1e-6, spline.ev(x[act], w, dy=1) / (2.0 * np.maximum(w, 1e-6)),
                        0.5 * spline.ev(x[act], w, dy=2))
        vn = va - f / np.where(dfdv > 0, dfdv, np.inf)
        bad = ~((vn >= lo[act]) & (vn <= hi[act])) & (f != 0)
        vn = np.where(bad, 0.5 * (lo[act] + hi[act]), vn)
        v[act] = vn
        # done: a Newton step below 1e-7, a bracket closed, or a target beyond the table's
        # end (a state on the saturation line, within the splines' error of it)
        done = ((~bad & (np.abs(vn - va) <= 1e-7)) | (hi[act] - lo[act] <= 1e-13)
                | ((f >= 0) & (va <= 0.0)) | ((f <= 0) & (va >= 1.0)))
        v[act] = np.where(done & bad, va, vn)
        act = act[~done]
        if act.size == 0:
            return v
    raise heos.SteamPropertyError(  # pragma: no cover - the splines are monotone in v
        f"steam_tables: no vapour state at P = {np.exp(x[act[0]]):.10g} Pa for {target[act[0]]:.10g}")


def _solve_v(name: str, x: np.ndarray, target: np.ndarray) -> np.ndarray:
    """v = w^2 of the vapour state at x = ln P where ``name`` (h or s) equals ``target``."""
    grid = _tables()[1]
    (end0, end1), guess = grid[name + "_guess"]
    f0 = end0(x)
    z = np.clip((target - f0) / (end1(x) - f0), 0.0, 1.0)
    return _newton(grid[name], x, target, guess.ev(x, z))


def _flash(P, y, given: str, want: str, fallback) -> np.ndarray:
    """want (h or s) at (P, given = y): wet steam by the lever rule, vapour by the table."""
    P, y = (np.array(a, dtype=float) for a in np.broadcast_arrays(P, y))
    P, y = P.ravel(), y.ravel()
    out = np.empty(P.shape)
    ok = _in_range(P)
    sat, grid = _tables()
    x = np.log(np.where(ok, P, P_LO))
    gf, gg = sat[given + "f"](x), sat[given + "g"](x)
    ok &= y >= gf  # subcooled liquid: HEOS
    wet = ok & (y <= gg)
    vap = ok & (y > gg)
    if wet.any():
        q = (y[wet] - gf[wet]) / (gg[wet] - gf[wet])
        wf, wg = sat[want + "f"](x[wet]), sat[want + "g"](x[wet])
        out[wet] = wf + q * (wg - wf)
    if vap.any():
        v = _solve_v(given, x[vap], y[vap])
        out[vap] = grid[want].ev(x[vap], np.sqrt(v))
    if (~ok).any():
        out[~ok] = fallback(P[~ok], y[~ok])
    return out.reshape(np.shape(np.broadcast_arrays(P, y)[0]))


def h_from_PS(P, s) -> np.ndarray:
    """Enthalpy [J/kg] of steam or wet steam at P [Pa] and s [J/(kg K)]."""
    shape = np.broadcast(np.asarray(P), np.asarray(s)).shape
    return _flash(P, s, "s", "h", heos.h_from_PS_water).reshape(shape)


def s_from_PH(P, h) -> np.ndarray:
    """Entropy [J/(kg K)] of steam or wet steam at P [Pa] and h [J/kg]."""
    shape = np.broadcast(np.asarray(P), np.asarray(h)).shape
    return _flash(P, h, "h", "s", heos.s_from_PH_water).reshape(shape)
