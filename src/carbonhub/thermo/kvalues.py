"""Ideal K-values K_i = y_i / x_i for vapour-liquid splits, batched over cases.

Each component of a :class:`~carbonhub.thermo.ComponentSet` gets one of four models:

* ``raoult``: K = Psat(T) / P with Psat from the DIPPR-101 equation of
  ``property_data/kvalue_data.yaml`` (Perry's Handbook Table 2-8; triple to critical point).
* ``henry``: dissolved gas in water, K = c_w / (Hcp(T) P) with Hcp from Sander (2015).
* ``noncondensable``: K = infinity (never in a liquid).
* ``nonvolatile``: K = 0 (solids, ash, organic pseudo-components, the C30 wax lump).

Which gases use Henry's law is an option: ``light_gases`` (H2, CO, N2, O2, Ar, CH4) may be
``"henry"`` (default; right when the liquid is mainly water), ``"noncondensable"``, or
``"raoult"`` (their own vapour pressure, for cryogenic separations); ``solutes`` (CO2, H2S, NH3)
may be ``"henry"`` (default, aqueous) or ``"raoult"`` (hydrocarbon liquids). Henry's law with
the water constant underestimates gas solubility in a hydrocarbon liquid (documented limit).
Water is ``H2O`` (vapour) and ``H2O(L)`` (liquid): both get the K-value of water.

Limits. A correlation is valid on [Tmin, Tmax] (Henry: 273.15-373.15 K). Outside it, ln Psat
(ln Hcp) is extrapolated linearly in 1/T from the nearest bound, the Clausius-Clapeyron
extrapolation Aspen Plus applies to its extended Antoine equation; a supercritical component
(T > Tc) thus gets a pseudo vapour pressure. Every such use is reported according to a
:class:`RangePolicy`: ``warn`` (a :class:`KValueRangeWarning` naming the components, the
temperatures and the valid ranges), ``raise`` (:class:`KValueRangeError`), ``status`` (a
reason per case, for units) or ``ignore``.

Accuracy: the Perry constants reproduce the reference equations of state in CoolProp within
0.2-3.6 % above 250 K (methanol 6 % at 250 K); see the ``checked`` notes in the YAML file.

Example
-------
>>> import numpy as np
>>> from carbonhub.thermo.kvalues import vapour_pressure
>>> round(float(vapour_pressure(["H2O"], 373.15)[0, 0]))   # Perry Table 2-8 water, ~1 atm
101261

References
----------
Green, D.W., Perry, R.H. (2008), Perry's Chemical Engineers' Handbook, 8th ed., Table 2-8.
Sander, R. (2015), Atmos. Chem. Phys. 15:4399-4981, doi:10.5194/acp-15-4399-2015.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

from .engine import use_numba
from .nasa7 import R
from .rowdot import rowsum

RAOULT, HENRY, NONCONDENSABLE, NONVOLATILE = 0, 1, 2, 3
METHOD_NAMES = ("raoult", "henry", "noncondensable", "nonvolatile")
K_NONCONDENSABLE = 1e15
"""Finite stand-in for K = infinity (the flash sets such liquid flows to exactly zero)."""


class RangePolicy(str, Enum):
    """What to do when a correlation is used outside its temperature range."""

    WARN = "warn"
    RAISE = "raise"
    STATUS = "status"
    IGNORE = "ignore"


class GasModel(str, Enum):
    """K-value model of a gas group (``light_gases`` or ``solutes``)."""

    HENRY = "henry"
    NONCONDENSABLE = "noncondensable"
    RAOULT = "raoult"


class KValueRangeWarning(UserWarning):
    """A vapour-pressure or Henry correlation was extrapolated beyond its valid range."""


class KValueRangeError(ValueError):
    """A correlation was needed outside its valid range and the policy is ``raise``."""


class KValueDataError(KeyError):
    """A component without K-value data (the message lists the components that have data)."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class VapourPressure:
    """DIPPR-101 vapour pressure ln P[Pa] = C1 + C2/T + C3 ln T + C4 T^C5 on [Tmin, Tmax] [K]."""

    cid: str
    C: tuple[float, float, float, float, float]
    Tmin: float
    Tmax: float
    source: str


@dataclass(frozen=True)
class HenryConstant:
    """Hcp(T) = Hcp_298 exp(dlnH (1/T - 1/298.15)) [mol/(m3 Pa)] on [Tmin, Tmax] [K]."""

    cid: str
    Hcp_298: float
    dlnH: float
    Tmin: float
    Tmax: float
    source: str


@lru_cache(maxsize=1)
def kvalue_data() -> dict:
    """The parsed ``property_data/kvalue_data.yaml`` (cached)."""
    from ..data import load_yaml

    d = load_yaml("kvalue_data.yaml")
    vp = {k: VapourPressure(k, tuple(float(c) for c in v["C"]), float(v["Tmin"]), float(v["Tmax"]),
                            v["source"]) for k, v in d["vapour_pressure"].items()}
    he = {k: HenryConstant(k, float(v["Hcp_298"]), float(v["dlnH"]), float(v["Tmin"]),
                           float(v["Tmax"]), v["source"]) for k, v in d["henry"].items()}
    return {"vapour_pressure": vp, "henry": he, "nonvolatile": set(d["nonvolatile"]),
            "c_water": float(d["water_molar_density_mol_per_m3"]["value"]),
            "light_gases": tuple(d["groups"]["light_gases"]), "solutes": tuple(d["groups"]["solutes"])}


def vapour_pressure_key(cid: str) -> str:
    """The key of a component's vapour-pressure correlation (liquid water uses H2O's)."""
    return "H2O" if cid == "H2O(L)" else cid


def _as_T(T) -> np.ndarray:
    T = np.atleast_1d(np.asarray(T, dtype=float))
    if T.ndim != 1:
        raise ValueError(f"T: expected shape (n,) [K], got {T.shape}")
    if (~np.isfinite(T) | (T <= 0)).any():
        bad = T[~np.isfinite(T) | (T <= 0)][0]
        raise ValueError(f"T = {bad} K: expected a finite temperature > 0 K")
    return T


class Dippr:
    """Vectorised DIPPR-101 with linear-in-1/T extrapolation outside [Tmin, Tmax]."""

    def __init__(self, corr: Sequence[VapourPressure]):
        self.C = np.array([c.C for c in corr]).reshape(-1, 5)
        self.Tmin = np.array([c.Tmin for c in corr])
        self.Tmax = np.array([c.Tmax for c in corr])
        self.lnP_lo, self.m_lo = self._raw(self.Tmin[None, :])
        self.lnP_hi, self.m_hi = self._raw(self.Tmax[None, :])

    def _raw(self, T: np.ndarray):
        """ln P and its slope d lnP / d(1/T) = -T^2 d lnP/dT, for T of shape (n, k)."""
        C1, C2, C3, C4, C5 = (self.C[:, j] for j in range(5))
        TC5 = T ** C5
        lnP = C1 + C2 / T + C3 * np.log(T) + C4 * TC5
        dlnP_dT = -C2 / T**2 + C3 / T + C4 * C5 * TC5 / T
        return lnP, -T**2 * dlnP_dT

    def lnP(self, T: np.ndarray):
        """ln Psat [Pa] and d lnP/d(1/T) [K] at T (n,), each (n, k)."""
        Tk = np.clip(T[:, None], self.Tmin, self.Tmax)
        lnP, m = self._raw(Tk)
        invT = 1.0 / T[:, None]
        lo = T[:, None] < self.Tmin
        hi = T[:, None] > self.Tmax
        lnP = np.where(lo, self.lnP_lo + self.m_lo * (invT - 1.0 / self.Tmin), lnP)
        lnP = np.where(hi, self.lnP_hi + self.m_hi * (invT - 1.0 / self.Tmax), lnP)
        m = np.where(lo, self.m_lo, np.where(hi, self.m_hi, m))
        return lnP, m


def vapour_pressure(cids: Iterable[str], T, policy: RangePolicy | str = RangePolicy.WARN) -> np.ndarray:
    """Vapour pressure [Pa] of the components ``cids`` at T [K] (n,), shape (n, k).

    Outside a correlation's range, the extrapolated value is returned and ``policy`` applies.
    """
    cids = list(cids)
    data = kvalue_data()["vapour_pressure"]
    missing = [c for c in cids if vapour_pressure_key(c) not in data]
    if missing:
        raise KValueDataError(f"no vapour-pressure data for {missing}; available: {', '.join(data)}")
    T = _as_T(T)
    d = Dippr([data[vapour_pressure_key(c)] for c in cids])
    lnP, _ = d.lnP(T)
    out = (T[:, None] < d.Tmin) | (T[:, None] > d.Tmax)
    _apply_policy(RangePolicy(policy), out, T, cids, d.Tmin, d.Tmax, "vapour pressure")
    return np.exp(lnP)


def _range_messages(out: np.ndarray, T: np.ndarray, cids: Sequence[str], Tmin, Tmax,
                    what: str) -> np.ndarray:
    """(n,) object array: "" or a reason naming components, T and ranges (vectorised over
    components; cases are only touched through boolean masks)."""
    msg = np.full(T.shape[0], "", dtype=object)
    for j in np.flatnonzero(out.any(axis=0)):
        sel = out[:, j]
        part = f"{cids[j]} ({what} valid {Tmin[j]:g}-{Tmax[j]:g} K)"
        msg[sel] = msg[sel] + np.where(msg[sel] == "", "", "; ") + part
    return msg


def _apply_policy(policy: RangePolicy, out: np.ndarray, T: np.ndarray, cids, Tmin, Tmax,
                  what: str) -> np.ndarray | None:
    if policy is RangePolicy.IGNORE or not out.any():
        return None
    cols = np.flatnonzero(out.any(axis=0))
    summary = ", ".join(
        f"{cids[j]} at T = {T[out[:, j]].min():g}-{T[out[:, j]].max():g} K (valid {Tmin[j]:g}-"
        f"{Tmax[j]:g} K)" for j in cols)
    text = f"{what} extrapolated outside its valid range: {summary}"
    if policy is RangePolicy.RAISE:
        raise KValueRangeError(text)
    if policy is RangePolicy.WARN:
        warnings.warn(text, KValueRangeWarning, stacklevel=3)
        return None
    msgs = _range_messages(out, T, cids, Tmin, Tmax, what)
    return np.where(msgs == "", "ok", "T = " + np.char.mod("%g", T).astype(object)
                    + " K outside the valid range of " + msgs)


@lru_cache(maxsize=1)
def water_pair():
    """The component set (H2O, H2O(L)) of the water vapour-pressure checks (cached)."""
    from .components import ComponentSet

    return ComponentSet.from_ids(["H2O", "H2O(L)"])


class KValueModel:
    """Ideal K-values of every component of a component set (see module docstring).

    Parameters
    ----------
    cs : ComponentSet
    light_gases : "henry" | "noncondensable" | "raoult"
        model of H2, CO, N2, O2, Ar, CH4.
    solutes : "henry" | "raoult"
        model of CO2, H2S, NH3.
    overrides : {component id: "raoult" | "henry" | "noncondensable" | "nonvolatile"}, optional
        per-component choice (e.g. H2 non-condensable but CH4 by Raoult in a cold box).

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.thermo.kvalues import KValueModel
    >>> km = KValueModel(ComponentSet.from_ids(["H2", "CH3OH", "H2O", "H2O(L)"]))
    >>> K = km.K([313.15], [50e5])
    >>> [f"{k:.3g}" for k in K[0]]       # H2 by Henry's law; water twice (H2O, H2O(L))
    ['1.55e+03', '0.00707', '0.00148', '0.00148']
    """

    def __init__(self, cs, light_gases: GasModel | str = GasModel.HENRY,
                 solutes: GasModel | str = GasModel.HENRY, overrides: dict[str, str] | None = None):
        data = kvalue_data()
        overrides = dict(overrides or {})
        for cid, m in overrides.items():
            if m not in METHOD_NAMES:
                raise ValueError(f"overrides[{cid!r}] = {m!r}: expected one of {METHOD_NAMES}")
        self.cs = cs
        self.light_gases = GasModel(light_gases)
        self.solutes = GasModel(solutes)
        if self.solutes is GasModel.NONCONDENSABLE:
            raise ValueError("solutes = 'noncondensable': expected 'henry' or 'raoult' (CO2, H2S, "
                             "NH3 dissolve in water)")
        ids = list(cs.ids)
        method = np.empty(len(ids), dtype=int)
        for j, cid in enumerate(ids):
            group = (self.light_gases if cid in data["light_gases"] else
                     self.solutes if cid in data["solutes"] else None)
            if cid in overrides:
                method[j] = METHOD_NAMES.index(overrides[cid])
                if method[j] == RAOULT and vapour_pressure_key(cid) not in data["vapour_pressure"]:
                    raise KValueDataError(f"overrides[{cid!r}] = 'raoult': no vapour-pressure data")
                if method[j] == HENRY and cid not in data["henry"]:
                    raise KValueDataError(f"overrides[{cid!r}] = 'henry': no Henry constant; "
                                          f"available: {', '.join(data['henry'])}")
            elif group is GasModel.HENRY:
                method[j] = HENRY
            elif group is GasModel.NONCONDENSABLE:
                method[j] = NONCONDENSABLE
            elif vapour_pressure_key(cid) in data["vapour_pressure"]:
                method[j] = RAOULT
            elif cid in data["nonvolatile"] or cid.startswith("ORG_") or cs.phase[j] == "solid":
                method[j] = NONVOLATILE
            else:
                raise KValueDataError(
                    f"component {cid!r} has no K-value data in property_data/kvalue_data.yaml "
                    f"(vapour pressure: {', '.join(data['vapour_pressure'])}; Henry: "
                    f"{', '.join(data['henry'])}; non-volatile: {', '.join(sorted(data['nonvolatile']))}"
                    ", ORG_*)")
        self.method = method
        self.ids = tuple(ids)
        self._ra = np.flatnonzero(method == RAOULT)
        self._he = np.flatnonzero(method == HENRY)
        self._dippr = Dippr([data["vapour_pressure"][vapour_pressure_key(ids[j])] for j in self._ra])
        hc = [data["henry"][ids[j]] for j in self._he]
        self._H298 = np.array([h.Hcp_298 for h in hc])
        self._dlnH = np.array([h.dlnH for h in hc])
        self.Tmin = np.zeros(len(ids))
        self.Tmax = np.full(len(ids), np.inf)
        self.Tmin[self._ra], self.Tmax[self._ra] = self._dippr.Tmin, self._dippr.Tmax
        self.Tmin[self._he] = [h.Tmin for h in hc]
        self.Tmax[self._he] = [h.Tmax for h in hc]
        self.c_water = data["c_water"]
        self._kargs = None

    @property
    def kernel_args(self) -> tuple:
        """The model as flat arrays for the compiled kernels (:mod:`._kv_kernel`): method
        codes, coefficient rows, DIPPR table (C1..C5, Tmin, Tmax, ln P and slope at both
        bounds), Henry table (ln Hcp(298.15 K), d ln Hcp/d(1/T)), ln c_water, ln K of a
        non-condensable."""
        if self._kargs is None:
            d = self._dippr
            C = np.column_stack([d.C, d.Tmin, d.Tmax, d.lnP_lo.ravel(), d.m_lo.ravel(),
                                 d.lnP_hi.ravel(), d.m_hi.ravel()]) if self._ra.size else np.zeros((0, 11))
            H = np.column_stack([np.log(self._H298), self._dlnH]) if self._he.size else np.zeros((0, 2))
            row = np.zeros(len(self.ids), dtype=np.int64)
            row[self._ra] = np.arange(self._ra.size)
            row[self._he] = np.arange(self._he.size)
            self._kargs = (self.method.astype(np.int64), row, np.ascontiguousarray(C, dtype=float),
                           np.ascontiguousarray(H, dtype=float), float(np.log(self.c_water)),
                           float(np.log(K_NONCONDENSABLE)))
        return self._kargs

    def describe(self) -> dict[str, str]:
        """{component: model name}."""
        return {cid: METHOD_NAMES[m] for cid, m in zip(self.ids, self.method)}

    def lnK(self, T, P, engine: str = "auto", cols: np.ndarray | None = None) -> np.ndarray:
        """ln K (n, n_comp) at T [K] and P [Pa] (each (n,) or scalar). Non-volatile: -inf.
        ``engine``: "auto" (compiled kernel unless ``CARBONHUB_NUMBA=0``), "numba" or
        "numpy" (the reference below); same answers. ``cols`` (component indices): only those
        columns, (n, len(cols)) (the compiled kernel evaluates only them)."""
        T = _as_T(T)
        P = np.broadcast_to(np.asarray(P, dtype=float), T.shape)
        if (~np.isfinite(P) | (P <= 0)).any():
            raise ValueError(f"P = {P[~np.isfinite(P) | (P <= 0)][0]} Pa: expected a finite pressure > 0 Pa")
        if use_numba(engine):
            from ._kv_kernel import lnk_batch

            method, row, *rest = self.kernel_args
            if cols is not None:
                method, row = np.ascontiguousarray(method[cols]), np.ascontiguousarray(row[cols])
            return lnk_batch(T, np.ascontiguousarray(P), method, row, *rest)
        if cols is not None:
            return self.lnK(T, P, "numpy")[:, cols]
        lnP = np.log(P)[:, None]
        out = np.empty((T.shape[0], len(self.ids)))
        out[:, self.method == NONVOLATILE] = -np.inf
        out[:, self.method == NONCONDENSABLE] = np.log(K_NONCONDENSABLE)
        if self._ra.size:
            lp, _ = self._dippr.lnP(T)
            out[:, self._ra] = lp - lnP
        if self._he.size:
            invT = 1.0 / T[:, None]
            # ln Hcp linear in 1/T (van 't Hoff) -- the same form inside and outside the range
            lnH = np.log(self._H298) + self._dlnH * (invT - 1.0 / 298.15)
            out[:, self._he] = np.log(self.c_water) - lnH - lnP
        return out

    def K(self, T, P, cols: np.ndarray | None = None) -> np.ndarray:
        """K-values (n, n_comp) [-] at T [K], P [Pa] (``cols``: only those components)."""
        return np.exp(self.lnK(T, P, cols=cols))

    def latent_heat(self, T, engine: str = "auto") -> np.ndarray:
        """Heat of vaporisation (n, n_comp) [J/mol] of the Raoult components from the slope of
        ln Psat (Clausius-Clapeyron: ideal vapour, liquid volume neglected; overestimates by a
        few % near Tc); 0 for the other models. Water: NASA h(H2O) - h(H2O(L)). ``engine`` as
        for :meth:`lnK` (the compiled kernel evaluates the same slope)."""
        T = _as_T(T)
        if use_numba(engine):
            from ._kv_kernel import latent_batch

            out = latent_batch(T, R, *self.kernel_args)
        else:
            out = np.zeros((T.shape[0], len(self.ids)))
            if self._ra.size:
                _, m = self._dippr.lnP(T)
                out[:, self._ra] = -R * m
        water, dh = self._water_latent(T)
        out[:, water] = dh[:, None]
        return out

    def _water_latent(self, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The water columns and their heat of vaporisation NASA h(H2O) - h(H2O(L)) (n,) [J/mol]."""
        water = np.array([self.ids.index(c) for c in ("H2O", "H2O(L)") if c in self.ids], dtype=np.int64)
        if not water.size:
            return water, np.zeros(T.shape[0])
        h = water_pair().h(np.clip(T, 273.15, 600.0))
        return water, h[:, 0] - h[:, 1]

    def latent_dot(self, x: np.ndarray, T, engine: str = "auto") -> np.ndarray:
        """``rowsum(x * latent_heat(T))`` (n,) for x (n, n_comp): the same sum, by the compiled
        kernel over each case's components with x != 0 only."""
        T = _as_T(T)
        if not use_numba(engine):
            return rowsum(np.asarray(x, dtype=float) * self.latent_heat(T, engine))
        from ._kv_kernel import latent_dot_batch

        water, dh = self._water_latent(T)
        return latent_dot_batch(np.ascontiguousarray(x, dtype=float), T, R, dh, water, *self.kernel_args)

    def out_of_range(self, T, present=None) -> np.ndarray:
        """(n, n_comp) mask of components used outside their range (``present``: (n, n_comp)
        mask of the components that matter, e.g. flow > 0)."""
        T = _as_T(T)
        out = (T[:, None] < self.Tmin) | (T[:, None] > self.Tmax)
        return out if present is None else out & present

    def check(self, T, present, policy: RangePolicy | str, what: str = "K-value") -> np.ndarray | None:
        """Apply ``policy`` to the out-of-range components; returns a status array
        ("ok" or the reason) for policy ``status``, else None."""
        T = _as_T(T)
        out = self.out_of_range(T, present)
        return _apply_policy(RangePolicy(policy), out, T, self.ids, self.Tmin, self.Tmax, what)


def rachford_rice(z: np.ndarray, K: np.ndarray, tol: float = 1e-14, max_iter: int = 200,
                  engine: str = "auto") -> tuple[np.ndarray, np.ndarray]:
    """Vapour fraction beta (n,) solving sum z (K-1)/(1 + beta (K-1)) = 0 on [0, 1].

    Batched safeguarded Newton: the function is monotone decreasing on [0, 1], so a bracket
    is kept and a Newton step that leaves it is replaced by bisection (Rachford & Rice 1952,
    J. Petrol. Technol. 4(10):19, doi:10.2118/952327-G). The bracket starts from the bounds
    of Leibovici & Neoschil (1992), Fluid Phase Equilib. 74:303, doi:10.1016/0378-3812(92)85069-K:
    beta >= max over K > 1 of (K z - 1)/(K - 1) and beta <= min over K < 1 of (1 - z)/(1 - K).
    The Newton steps are those of the same paper's function g = (beta - p_l)(p_r - beta) f,
    f times its two poles next to [0, 1] (p_l = 1/(1 - K_max) < 0, p_r = 1/(1 - K_min) > 1):
    same sign and root as f in the bracket, without the poles' curvature. On a methanol-loop
    flash (four non-condensable gases at K = 1e15, methanol at K ~ 0.01) the root sits
    within 1e-16 of the upper bound, where Newton on f leaves the bracket at every step:
    33 iterations per case, mostly bisections, against 3-4 with g.
    Subcooled cases (f(0) <= 0) give beta = 0, superheated ones (f(1) >= 0) beta = 1. Returns
    (beta, iterations (n,)). K may hold 0 (non-volatile) and very large values (non-condensable).
    ``engine`` as for :meth:`KValueModel.lnK` (the compiled kernel runs the same iteration).
    """
    z = np.asarray(z, dtype=float)
    K = np.asarray(K, dtype=float)
    if use_numba(engine):
        from ._kv_kernel import rachford_rice as rr_kernel

        with np.errstate(all="ignore"):
            return rr_kernel(np.ascontiguousarray(z), np.ascontiguousarray(K), float(tol), int(max_iter))
    n = z.shape[0]
    a = K - 1.0
    pos = z > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        f0 = rowsum(z * a)
        f1 = rowsum(np.where(pos, np.where(K > 0, z * a / np.where(K > 0, K, 1.0), -np.inf), 0.0))
        bmin = np.where(pos & (K > 1), (K * z - 1.0) / a, 0.0).max(axis=1)
        bmax = np.where(pos & (K < 1), (1.0 - z) / (1.0 - K), 1.0).min(axis=1)
    beta = np.where(f0 <= 0, 0.0, 1.0)
    it = np.zeros(n, dtype=int)
    act = np.flatnonzero((f0 > 0) & (f1 < 0))
    if act.size == 0:
        return beta, it
    lo = np.clip(bmin[act], 0.0, 1.0)
    hi = np.clip(bmax[act], 0.0, 1.0)
    hi = np.maximum(hi, lo)
    za, aa = z[act], a[act]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        pos_a = pos[act]
        pl = 1.0 / (1.0 - np.where(pos_a, K[act], -np.inf).max(axis=1))  # poles: pl < 0 < 1 < pr
        pr = 1.0 / (1.0 - np.where(pos_a, K[act], np.inf).min(axis=1))
        return _rr_loop(beta, it, act, lo, hi, za, aa, pl, pr, tol, max_iter)


def _rr_loop(beta, it, act, lo, hi, za, aa, pl, pr, tol, max_iter):
    b = 0.5 * (lo + hi)
    idx = np.arange(act.size)
    for k in range(max_iter):
        d = 1.0 + b[:, None] * aa
        t = za * aa / d
        f = rowsum(t)
        df = -rowsum(t * aa / d)
        lo = np.where(f > 0, b, lo)
        hi = np.where(f < 0, b, hi)
        u, v = b - pl, pr - b
        bn = b - u * v * f / ((v - u) * f + u * v * df)
        fin = np.isfinite(bn)
        out = fin & (np.abs(bn - b) > tol * np.maximum(b, 1e-300)) & ~((lo < bn) & (bn < hi))
        up = out & (hi <= bn) & (bn <= hi + tol * hi) & (b != hi)  # past a bound by round-off: the bound
        dn = out & ~up & (lo - tol * lo <= bn) & (bn <= lo) & (b != lo)
        bn = np.where(up, hi, np.where(dn, lo, bn))
        bn = np.where(~fin | (out & ~up & ~dn), 0.5 * (lo + hi), bn)
        done = (np.abs(bn - b) <= tol * np.maximum(b, 1e-300)) | (f == 0) | (hi - lo <= tol * hi)
        if done.any():
            beta[act[idx[done]]] = np.where(f[done] == 0, b[done], bn[done])
            it[act[idx[done]]] = k + 1
            keep = ~done
            if not keep.any():
                break
            bn, lo, hi, za, aa, idx = bn[keep], lo[keep], hi[keep], za[keep], aa[keep], idx[keep]
            pl, pr = pl[keep], pr[keep]
        b = bn
    else:  # pragma: no cover - the bracket halves at least every other step
        beta[act[idx]] = b
        it[act[idx]] = max_iter
    return beta, it


def _illinois(fun, a: np.ndarray, b: np.ndarray, fa: np.ndarray, fb: np.ndarray, tol: float,
              max_iter: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Batched Illinois (modified regula falsi) for brackets with fa, fb of opposite signs.
    ``fun(x, idx)`` evaluates the cases ``idx``. Returns (root, converged mask)."""
    x = 0.5 * (a + b)
    conv = np.zeros(a.shape[0], dtype=bool)
    idx = np.arange(a.shape[0])
    side = np.zeros(a.shape[0])
    for _ in range(max_iter):
        if idx.size == 0:
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            c = (a[idx] * fb[idx] - b[idx] * fa[idx]) / (fb[idx] - fa[idx])
        c = np.where(np.isfinite(c) & (c > np.minimum(a[idx], b[idx])) & (c < np.maximum(a[idx], b[idx])),
                     c, 0.5 * (a[idx] + b[idx]))
        fc = fun(c, idx)
        x[idx] = c
        same_b = np.sign(fc) == np.sign(fb[idx])
        # replace the end point of the same sign; halve the retained one if it is kept twice
        b_new = np.where(same_b, c, b[idx]); fb_new = np.where(same_b, fc, fb[idx])
        a_new = np.where(same_b, a[idx], c); fa_new = np.where(same_b, fa[idx], fc)
        fa_new = np.where(same_b & (side[idx] == 1), 0.5 * fa_new, fa_new)
        fb_new = np.where(~same_b & (side[idx] == -1), 0.5 * fb_new, fb_new)
        side[idx] = np.where(same_b, 1, -1)
        a[idx], b[idx], fa[idx], fb[idx] = a_new, b_new, fa_new, fb_new
        done = (np.abs(b_new - a_new) <= tol * np.abs(c)) | (fc == 0)
        conv[idx[done]] = True
        idx = idx[~done]
    return x, conv


def bubble_temperature(km: KValueModel, x: np.ndarray, P, T_lo: float = 40.0, T_hi: float = 1500.0,
                       tol: float = 1e-10, engine: str = "auto", T_start=None) -> tuple[np.ndarray, np.ndarray]:
    """Bubble-point temperature [K] (n,) of liquids x (n, n_comp) at P [Pa]: sum x K(T) = 1.

    Solved in 1/T, where ln sum x K is close to linear, by a batched Illinois iteration.
    Returns (T, ok): ok is False where no root lies in [T_lo, T_hi] (e.g. only non-volatile
    components) or x is empty. ``engine`` as for :meth:`KValueModel.lnK`. ``T_start`` (n,)
    [K], optional: a start of the compiled engine's Newton (a case with a non-finite start
    starts from the bracket); the root is the same to ``tol``, only the steps are fewer when the
    start is near it (the numpy engine iterates from the bracket)."""
    return _phase_point(km, x, P, T_lo, T_hi, tol, True, engine, T_start)


def dew_temperature(km: KValueModel, y: np.ndarray, P, T_lo: float = 40.0, T_hi: float = 1500.0,
                    tol: float = 1e-10, engine: str = "auto") -> tuple[np.ndarray, np.ndarray]:
    """Dew-point temperature [K] (n,) of vapours y (n, n_comp) at P [Pa]: sum y / K(T) = 1."""
    return _phase_point(km, y, P, T_lo, T_hi, tol, False, engine)


def _phase_point(km, w, P, T_lo, T_hi, tol, bubble: bool, engine: str = "auto", T_start=None):
    w = np.asarray(w, dtype=float)
    n = w.shape[0]
    P = np.broadcast_to(np.asarray(P, dtype=float), (n,)).copy()
    tot = w.sum(axis=1, keepdims=True)
    w = np.divide(w, tot, out=np.zeros_like(w), where=tot > 0)
    if use_numba(engine):
        from ._kv_kernel import phase_point

        with np.errstate(all="ignore"):
            T0 = np.full(n, np.nan) if T_start is None else np.broadcast_to(np.asarray(T_start, dtype=float), (n,))
            return phase_point(np.ascontiguousarray(w), P, np.ascontiguousarray(T0), float(T_lo), float(T_hi),
                               float(tol), bubble, 100, *km.kernel_args)

    def g(u, idx):
        lnK = km.lnK(1.0 / u, P[idx])
        wi = w[idx]
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            if bubble:
                s = rowsum(np.where(wi > 0, wi * np.exp(lnK), 0.0))
            else:
                s = rowsum(np.where(wi > 0, wi * np.exp(-lnK), 0.0))
            return np.log(s)

    all_idx = np.arange(n)
    a = np.full(n, 1.0 / T_hi)
    b = np.full(n, 1.0 / T_lo)
    with np.errstate(all="ignore"):
        fa, fb = g(a, all_idx), g(b, all_idx)
    ok = np.isfinite(fa) & np.isfinite(fb) & (np.sign(fa) != np.sign(fb)) & (tot[:, 0] > 0)
    T = np.full(n, np.nan)
    sel = np.flatnonzero(ok)
    if sel.size:
        def gs(u, idx):
            return g(u, sel[idx])

        u, conv = _illinois(gs, a[sel].copy(), b[sel].copy(), fa[sel].copy(), fb[sel].copy(), tol)
        T[sel] = 1.0 / u
        ok[sel] = conv
    return T, ok
