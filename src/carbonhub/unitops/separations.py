"""Separations: isothermal flash, PSA, membrane (shortcut distillation: :mod:`~carbonhub.unitops.columns`,
the olefin separation train: :mod:`~carbonhub.unitops.olefins`).

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

from ..core.stream import Stream, present
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo.engine import use_numba
from ..thermo.kvalues import HENRY, NONCONDENSABLE, NONVOLATILE, RAOULT, KValueModel, RangePolicy, rachford_rice
from ..thermo.nasa7 import R
from ..twin.helpers import set_flows
from ..twin.kvalues import kvalue_region, lnK_expr
from ._common import P_ATM, RHO_WATER, barg, kernel_array, utility_exchanger_area, utility_exchanger_params, zeros
from ..thermo.rowdot import rowdot, rowsum

POLICIES = tuple(p.value for p in RangePolicy)
RANGE_POLICY = Param("warn", "choice", doc="K-values outside their range", choices=POLICIES)
"""The ``range_policy`` parameter of the flashes and columns."""
RHO_ORGANIC = Param(750.0, "kg/m^3", 300.0, 1500.0, "density of non-water liquids [kg/m3]")
"""The ``rho_organic`` parameter of :func:`liquid_density` (flash drums, columns)."""


def kmodel(cache: dict, cs, light_gases: str, solutes: str) -> KValueModel:
    key = (id(cs), light_gases, solutes)
    if key not in cache:
        cache[key] = KValueModel(cs, light_gases=light_gases, solutes=solutes)
    return cache[key]


def water_columns(cs) -> tuple[int, int] | None:
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


def pure_liquid_densities(cs, cols) -> np.ndarray:
    """Densities [kg/m3] of the components ``cols`` as pure liquids: water 997, solids from
    their molar volume, 0 for the others (they take the case's ``rho_organic``)."""
    mm, mv = cs.molar_mass[cols], cs.molar_volume[cols]
    rho = np.where(mv > 0, mm / np.where(mv > 0, mv, 1), 0.0)
    rho[np.isin(np.asarray(cs.ids)[cols], ("H2O", "H2O(L)"))] = RHO_WATER
    return rho


def liquid_density(cs, flow: np.ndarray, rho_organic) -> np.ndarray:
    """Liquid density [kg/m3] (n,): water 997, solids from their molar volume, other liquids
    (on gas ids) ``rho_organic``; ideal mixing by volume. Over the components
    with flow in the batch only: the others add exact zeros to the index-ordered sums."""
    cols = present(flow)
    m = flow[:, cols] * cs.molar_mass[cols]
    rho = pure_liquid_densities(cs, cols)
    rho = np.where(rho > 0, rho, np.asarray(rho_organic, dtype=float)[:, None])
    vol = rowsum(m / rho)
    return np.divide(rowsum(m), vol, out=np.full(flow.shape[0], RHO_WATER), where=vol > 0)


def separator_volume(cs, vap: np.ndarray, liq: np.ndarray, T, P, K_SB, residence_time,
                     rho_organic) -> tuple[np.ndarray, np.ndarray]:
    """Volume [m3] and gas-limited diameter [m] (n,) of a vertical separator, L/D = 3.

    The diameter carries the vapour ``vap`` [mol/s] at the Souders-Brown velocity
    u = K_SB sqrt((rho_l - rho_v) / rho_v) (GPSA Engineering Data Book, 13th ed., Section 7);
    the volume is the larger of that cylinder and twice the liquid ``liq`` [mol/s] held for
    ``residence_time`` [s] (half full). The diameter of the chosen volume at L/D = 3 is
    (4 V / (3 pi))^(1/3), which the costing uses for the vessel's pressure factor. Compiled
    case by case (:func:`carbonhub.unitops._flash_kernel.separator`, the same operations); the
    numpy lines below are the reference (``CARBONHUB_NUMBA=0``).
    """
    n = vap.shape[0]
    if use_numba() and vap.dtype == np.float64 and liq.dtype == np.float64:
        from ._flash_kernel import separator

        cols = present(liq)
        case = lambda x: kernel_array(x, (n,))  # noqa: E731
        return separator(vap, liq, cols, cs.molar_mass, pure_liquid_densities(cs, cols), case(rho_organic),
                         case(T), case(P), case(K_SB), case(residence_time), R, RHO_WATER)
    mw_v = np.divide(rowdot(vap, cs.molar_mass), rowsum(vap), out=np.zeros(n), where=rowsum(vap) > 0)
    rho_v = P * mw_v / (R * T)
    rho_l = liquid_density(cs, liq, rho_organic)
    qv = rowsum(vap) * R * T / P  # m3/s
    u = K_SB * np.sqrt(np.maximum(rho_l - rho_v, 0.0) / np.maximum(rho_v, 1e-12))
    d_gas = np.sqrt(4.0 * qv / (np.pi * np.maximum(u, 1e-12)))
    v_liq = 2.0 * rowdot(liq, cs.molar_mass) / rho_l * residence_time
    return np.maximum(np.pi / 4 * d_gas**2 * 3.0 * d_gas, v_liq), d_gas


def status_merge(*sts) -> np.ndarray | None:
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
        "P": Param(P_ATM, "Pa", 100.0, 3e7, "flash pressure [Pa]"),
        "range_policy": RANGE_POLICY,
        "light_gases": Param("henry", "choice", doc="K model of H2, CO, N2, O2, Ar, CH4",
                             choices=("henry", "noncondensable", "raoult")),
        "solutes": Param("henry", "choice", doc="K model of CO2, H2S, NH3", choices=("henry", "raoult")),
        "K_SB": Param(0.07, "m/s", 0.01, 0.5, "Souders-Brown coefficient [m/s]"),
        "residence_time": Param(300.0, "s", 0.0, 7200.0, "liquid residence time [s]"),
        "rho_organic": RHO_ORGANIC,
        **utility_exchanger_params(),
    }
    costs = (Cost("turton.vessel_vertical", "volume_m3", pressure="P_barg"),
             Cost("turton.heat_exchanger_fixed_tube", "area_m2"))
    narrow_adds = ("H2O", "H2O(L)")  # water condenses to H2O(L) (core.narrow)

    def __init__(self, id: str, **values: Any):
        super().__init__(id, **values)
        self._km: dict = {}

    def kvalues(self, cs, p) -> KValueModel:
        return kmodel(self._km, cs, str(p.scalar("light_gases")), str(p.scalar("solutes")))

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs = s.cs
        w = water_columns(cs)
        km = self.kvalues(cs, p)
        flow = fold_water(s.flow, w)
        tot = rowsum(flow)
        T, P = p.T, p.P
        status = km.check(T, flow > 0, str(p.scalar("range_policy")), "K-value")
        # the components present in some case (absent ones stay at zero in both phases)
        cols = present(flow)
        K = km.K(T, P, cols)
        if use_numba():  # the same operations compiled, one pass over the rows (_flash_kernel)
            from ._flash_kernel import fractions, split

            beta, _ = rachford_rice(fractions(flow, tot, cols), K)
            liq, vap = split(flow, cols, K, beta, km.method[cols], NONCONDENSABLE, NONVOLATILE)
        else:
            z = np.divide(flow, tot[:, None], out=np.zeros_like(flow), where=tot[:, None] > 0)
            beta, _ = rachford_rice(z[:, cols], K)
            lc, vc = split_phases(flow[:, cols], K, beta, km.method[cols])
            liq, vap = np.zeros_like(flow), np.zeros_like(flow)
            liq[:, cols], vap[:, cols] = lc, vc
        liq = as_liquid(liq, w)
        origin = s.origin
        vout = Stream(cs, vap, T.copy(), P.copy(), origin, check=False)
        lout = Stream(cs, liq, T.copy(), P.copy(), origin, check=False)
        q = vout.enthalpy + lout.enthalpy - s.enthalpy
        vol, d_gas = separator_volume(cs, vap, liq, T, P, p.K_SB, p.residence_time, p.rho_organic)
        lat = km.latent_heat(T)
        nonwater = (km.method == RAOULT) & ~np.isin(np.array(cs.ids), ["H2O", "H2O(L)"])
        design = {
            "vapor_fraction": beta, "duty_W": q, "area_m2": utility_exchanger_area(q, p),
            "volume_m3": vol, "diameter_m": np.maximum(d_gas, (vol / (np.pi / 4 * 3.0)) ** (1 / 3)),
            "P_barg": barg(P),
            "latent_heat_nonwater_W": rowsum(liq * lat * nonwater),
        }
        util = {"steam_heat_W": np.where(q > 0, q, 0.0), "cooling_W": np.where(q < 0, -q, 0.0)}
        return UnitResult({"vapor": vout, "liquid": lout}, q, zeros(p.n), design, util, status)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: Rachford-Rice flash as equations at the outlet T and P.

        Variables: vapour fraction ``beta``, liquid mole fractions ``x[j]`` (Raoult/Henry and
        non-volatile species), vapour mole fractions ``y[j]`` (Raoult/Henry and
        non-condensable species). Equations: y_j = K_j(T, P) x_j with K_j the same DIPPR-101 /
        Henry expressions as the core (:func:`lnK_expr`), z_j = (1 - beta) x_j + beta y_j, and
        Rachford-Rice sum_j (y_j - x_j) = 0. Liquid flows (1 - beta) F x_j, vapour = feed -
        liquid; water leaves the liquid as H2O(L). Frozen at the core solution: each
        component's K model and correlation range, and whether the feed is two-phase (a
        core vapour fraction of exactly 0 or 1 gives an all-liquid / all-vapour split).

        Zero flows: a species with no feed in the core solution is split linearly with the
        core's liquid fraction (1 - beta)/(1 + beta (K - 1)) (exact while it stays absent), so
        that the NL writer's linear presolve, which fixes its outlet flows at 0 from their
        bounds, leaves no equation without a variable."""
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        km = kmodel(self._km, cs, str(p["light_gases"]), str(p["solutes"]))
        w = water_columns(cs)
        fi, vo, lo = b.sin("feed"), b.sout("vapor"), b.sout("liquid")
        fold = folded_flows(fi, cs)
        ids = list(fold)
        F = sum(fold.values())
        for o in (vo, lo):
            b.add_component(f"eq_T_{'vapor' if o is vo else 'liquid'}",
                            pyo.Constraint(expr=o.temperature == b.pv("T"), doc="flash temperature"))
            b.add_component(f"eq_P_{'vapor' if o is vo else 'liquid'}",
                            pyo.Constraint(expr=o.pressure == b.pv("P"), doc="flash pressure"))
        meth = {j: int(km.method[cs.index(j)]) for j in ids}
        part = [j for j in ids if meth[j] in (RAOULT, HENRY)]
        beta0 = float(init.design["vapor_fraction"])
        liq0 = fold_water(init.outlets["liquid"].flow, w)[0]
        vap0 = fold_water(init.outlets["vapor"].flow, w)[0]
        F0 = float(liq0.sum() + vap0.sum())
        if 0.0 < beta0 < 1.0 and F0 > 0:
            # species absent from the core's feed split at the core's K-values (a linear,
            # frozen split: see "zero flows" in the docstring)
            fold0 = fold_water(init.inlets["feed"].flow, w)[0]
            absent = [j for j in part if fold0[cs.index(j)] == 0.0]
            T0, P0 = float(init.outlets["vapor"].T[0]), float(init.outlets["vapor"].P[0])
            K0 = km.K([T0], [P0])[0]
            xs = [j for j in ids if meth[j] != NONCONDENSABLE and j not in absent]
            ys = [j for j in ids if meth[j] != NONVOLATILE and j not in absent]
            eq = [j for j in part if j not in absent]
            b.x = pyo.Var(xs, bounds=(0.0, 1.0), units=u.dimensionless, doc="liquid mole fraction",
                          initialize={j: liq0[cs.index(j)] / ((1 - beta0) * F0) for j in xs})
            b.y = pyo.Var(ys, bounds=(0.0, 1.0), units=u.dimensionless, doc="vapour mole fraction",
                          initialize={j: vap0[cs.index(j)] / (beta0 * F0) for j in ys})
            b.beta = pyo.Var(initialize=beta0, bounds=(0.0, 1.0), units=u.dimensionless,
                             doc="vapour fraction (vapour / feed moles)")
            Tn, lnP = vo.temperature / u.K, pyo.log(vo.pressure / u.Pa)
            lnK = {j: lnK_expr(km, cs.index(j), Tn, lnP, kvalue_region(km, cs.index(j), T0)) for j in eq}
            b.eq_equilibrium = pyo.Constraint(eq, rule=lambda b, j: b.y[j] == pyo.exp(lnK[j]) * b.x[j],
                                              doc="phase equilibrium y_j = K_j(T, P) x_j")
            b.eq_split = pyo.Constraint(sorted(set(xs) | set(ys), key=ids.index), rule=lambda b, j: fold[j] == F * (
                ((1 - b.beta) * b.x[j] if j in xs else 0.0) + (b.beta * b.y[j] if j in ys else 0.0)),
                doc="component balance z_j F = (1 - beta) F x_j + beta F y_j")
            b.eq_rachford_rice = pyo.Constraint(expr=sum(b.y[j] for j in ys) == sum(b.x[j] for j in xs),
                                                doc="Rachford-Rice: sum_j (y_j - x_j) = 0")
            liq = {j: (1 - b.beta) * F * b.x[j] for j in eq}
            liq.update({j: fold[j] for j in ids if meth[j] == NONVOLATILE})
            liq.update({j: float((1 - beta0) / (1 + beta0 * (K0[cs.index(j)] - 1))) * fold[j] for j in absent})
            liq = {j: liq.get(j) for j in ids}
        else:  # single phase in the core: all liquid (beta = 0) or all vapour (beta = 1)
            to_liq = (lambda j: meth[j] != NONCONDENSABLE) if beta0 <= 0.0 else (lambda j: meth[j] == NONVOLATILE)
            liq = {j: fold[j] if to_liq(j) else None for j in ids}
        zero = 0.0 * u.mol / u.s
        lout = {("H2O(L)" if w is not None and j == "H2O" else j): (zero if e is None else e) for j, e in liq.items()}
        vout = {j: (fold[j] - lout[("H2O(L)" if w is not None and j == "H2O" else j)]) for j in ids}
        set_flows(b, "liquid", lout, "liquid flows (water as H2O(L))")
        set_flows(b, "vapor", vout, "vapour = feed - liquid (water as H2O)")
        b.power.fix(0.0)
        b.add_energy_balance("energy balance: heat = H_vapour + H_liquid - H_feed")


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


def folded_flows(state, cs) -> dict:
    """{component: flow expression} of a state block with all water on H2O (H2O(L) dropped),
    as :func:`fold_water` does for the phase split."""
    w = water_columns(cs)
    out = {j: state.flow_mol_comp[j] for j in cs.ids if not (w is not None and j == "H2O(L)")}
    if w is not None:
        out["H2O"] = state.flow_mol_comp["H2O"] + state.flow_mol_comp["H2O(L)"]
    return out

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
        wmask = np.where((rowsum(f[:, weak & others]) > 0)[:, None], weak & others, others)
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
        pt = rowsum(prod)
        design = {"feed_kmol_per_h": s.total_flow * 3.6, "h2_product_kg_per_h": h2 * cs.molar_mass[ih] * 3600,
                  "h2_purity": np.divide(prod[:, ih], pt, out=np.zeros(p.n), where=pt > 0)}
        return UnitResult({"product": pout, "tail_gas": tout}, heat, zeros(p.n), design)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: product H2 = recovery x feed H2; impurity flow = H2 (1 - purity)/purity drawn
        from the weak adsorbates in proportion to their feed (product_j x sum of their feed =
        feed_j x impurity); tail gas = feed - product. Frozen at the core solution: which
        species make up the impurity (weak adsorbates present or all others), which of them
        are capped at their feed flow, the pressure branches (max(P - dP, 1 Pa),
        min(P_tail, P)); species absent from the feed at the core's impurity/feed ratio."""
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        ids = list(cs.ids)
        fi, po, to = b.sin("feed"), b.sout("product"), b.sout("tail_gas")
        f0 = init.inlets["feed"].flow[0]
        others = [j for j in ids if j != "H2"]
        weak = [j for j in others if j in WEAK_ADSORBATES]
        group = weak if sum(f0[cs.index(j)] for j in weak) > 0 else others
        bt0 = sum(f0[cs.index(j)] for j in group)
        h2 = b.par["h2_recovery"] * fi.flow_mol_comp["H2"]
        imp = h2 * (1 - b.par["h2_purity"]) / b.par["h2_purity"]
        imp0 = float(p["h2_recovery"]) * f0[cs.index("H2")] * (1 - float(p["h2_purity"])) / float(p["h2_purity"])
        capped = [j for j in group if bt0 > 0 and f0[cs.index(j)] / bt0 * imp0 >= f0[cs.index(j)] > 0]
        prop = [j for j in group if bt0 > 0 and j not in capped and f0[cs.index(j)] > 0]
        absent = [j for j in group if bt0 > 0 and f0[cs.index(j)] == 0]  # linear, frozen (see Flash)
        bt = sum(fi.flow_mol_comp[j] for j in group)
        b.eq_impurity = pyo.Constraint(prop, rule=lambda b, j: po.flow_mol_comp[j] * bt == fi.flow_mol_comp[j] * imp,
                                       doc="impurity in proportion to the feed of the weak adsorbates")
        zero = 0.0 * u.mol / u.s
        prod = {"H2": h2, **{j: fi.flow_mol_comp[j] for j in capped},
                **{j: min(imp0 / bt0, 1.0) * fi.flow_mol_comp[j] for j in absent}}
        b.eq_product = pyo.Constraint([j for j in ids if j not in prop], rule=lambda b, j:
                                      po.flow_mol_comp[j] == prod.get(j, zero),
                                      doc="product H2 by recovery; capped impurities at their feed; others 0")
        set_flows(b, "tail_gas", {j: fi.flow_mol_comp[j] - po.flow_mol_comp[j] for j in ids}, "tail = feed - product")
        P0 = float(init.inlets["feed"].P[0])
        b.same_state("product", "feed", P=False)
        b.same_state("tail_gas", "feed", P=False)
        b.eq_P_product = pyo.Constraint(expr=po.pressure == (fi.pressure - b.pv("dP") if P0 - float(p["dP"]) > 1.0
                                                             else 1.0 * u.Pa), doc="product pressure P - dP")
        b.eq_P_tail = pyo.Constraint(expr=to.pressure == (b.pv("P_tail") if float(p["P_tail"]) <= P0 else fi.pressure),
                                     doc="tail-gas pressure min(P_tail, P)")
        b.power.fix(0.0)
        b.add_energy_balance("energy balance: heat = H_product + H_tail - H_feed (isothermal)")

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
            return rowsum(cq * Ph * z / ((1 - th) * (1 + cq * Pl) + cq * Ph * th))

        ylim = rowsum(np.where(rel > 0, Ph * z / ((1 - th) * Pl + Ph * th), 0.0))
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
        return UnitResult({"permeate": pout, "retentate": rout}, heat, zeros(p.n), design, {},
                          None if (status == "ok").all() else status)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: complete-mixing permeation as flux equations. For each gas j, permeate flow
        p_j = A Q_j (P_h x_j - P_l y_j) with x_j = r_j / R (retentate), y_j = p_j / P
        (permeate), written p_j R P = A Q_j (P_h r_j P - P_l p_j R) (no division); stage cut
        sum_j p_j = theta F; retentate = feed - permeate. Variable: membrane area ``area``.
        Equivalent to the core's y_j = c Q_j P_h z_j / [(1 - theta)(1 + c Q_j P_l) + c Q_j P_h
        theta] with c = A/(theta F). Frozen: the permeate pressure branch min(P_permeate, P);
        species absent from the core's feed permeate at the core's limiting fraction."""
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        ids = list(cs.ids)
        fi, po, ro = b.sin("feed"), b.sout("permeate"), b.sout("retentate")
        F0 = max(float(init.inlets["feed"].total_flow[0]), 1e-12)
        area0 = float(init.design["area_m2"])
        b.area = pyo.Var(initialize=area0, bounds=(0.0, None), units=u.m**2, doc="membrane area [m2]")
        gpu = GPU * u.mol / (u.m**2 * u.s * u.Pa)
        rel = {j: 1.0 for j in ("CO2", "H2S", "H2O")}
        rel["H2"] = 1.0 / b.par["selectivity"]
        gas = [j for j in ids if cs.is_gas[cs.index(j)]]
        Q = {j: rel.get(j, b.par["slow_gas_relative"]) * b.par["permeance_GPU"] * gpu for j in gas}
        Ph = fi.pressure
        Pl = b.pv("P_permeate") if float(p["P_permeate"]) <= float(init.inlets["feed"].P[0]) else fi.pressure
        Ptot = sum(po.flow_mol_comp[j] for j in ids)
        Rtot = sum(ro.flow_mol_comp[j] for j in ids)
        sc = (F0 * u.mol / u.s) ** 2  # constant scale: residuals in mol/s
        f0 = init.inlets["feed"].flow[0]
        present = [j for j in gas if f0[cs.index(j)] > 0]
        b.eq_flux = pyo.Constraint(present, rule=lambda b, j: po.flow_mol_comp[j] * Rtot * Ptot / sc
                                   == b.area * Q[j] * (Ph * ro.flow_mol_comp[j] * Ptot - Pl * po.flow_mol_comp[j] * Rtot) / sc,
                                   doc="complete-mixing flux p_j = A Q_j (P_h x_j - P_l y_j)")
        # species absent from the core's feed: the core's permeate fraction at the limit z_j -> 0
        # (linear, frozen; see Flash.build_pyomo on zero flows)
        th = float(p["stage_cut"])
        c0 = area0 / (th * F0)
        Ph0 = float(init.inlets["feed"].P[0])
        Pl0 = float(init.outlets["permeate"].P[0])
        frac = {j: 0.0 for j in ids}
        for j in gas:
            cq = c0 * float(pyo.value(Q[j] / gpu)) * GPU
            frac[j] = th * cq * Ph0 / ((1 - th) * (1 + cq * Pl0) + cq * Ph0 * th)
        b.eq_absent = pyo.Constraint([j for j in ids if j not in present], rule=lambda b, j:
                                     po.flow_mol_comp[j] == frac[j] * fi.flow_mol_comp[j],
                                     doc="species absent from the feed (and liquids, solids: 0) at a fixed fraction")
        b.eq_stage_cut = pyo.Constraint(expr=Ptot == b.par["stage_cut"] * fi.flow_mol, doc="stage cut theta")
        set_flows(b, "retentate", {j: fi.flow_mol_comp[j] - po.flow_mol_comp[j] for j in ids},
                  "retentate = feed - permeate")
        b.same_state("permeate", "feed", P=False)
        b.same_state("retentate", "feed")
        b.eq_P_permeate = pyo.Constraint(expr=po.pressure == Pl, doc="permeate pressure min(P_permeate, P)")
        b.power.fix(0.0)
        b.add_energy_balance("energy balance: heat = H_permeate + H_retentate - H_feed (isothermal)")
