"""The numpy side of the equilibrium gasifier (:class:`~carbonhub.unitops.gasifier.Gasifier`):
the feed as the equilibrium sees it (:class:`GasifierFeed`: everything that does not depend on
the outlet temperature), the outlet columns, starting moles, the equilibrium at an outlet
temperature, the adiabatic temperature search and the design results."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.stream import Stream, lhv_molar, mix_origins
from ..thermo.components import ELEMENTS, ComponentSet
from ..thermo.equilibrium import equilibrate
from ..thermo.nasa7 import R
from ._common import HOUR, NORMAL_P, NORMAL_T, kernel_array
from ..thermo.engine import use_numba
from ..thermo.rowdot import rowdot, rowsum

SLIP_SPECIES: dict[str, str] = {"ch4_slip": "CH4", "c2h4_slip": "C2H4", "tar_slip": "C7H16"}
"""Slip parameter -> species that bypasses the equilibrium."""
SYNGAS_FUELS: tuple[str, ...] = ("H2", "CO", "CH4", "C2H4", "C2H6")
"""Species counted in the cold gas efficiency (cold, clean syngas: no tar, H2S, COS, NH3)."""
T_ADIABATIC_BOUNDS = (600.0, 2800.0)
"""Range [K] searched for the adiabatic outlet temperature."""
_COLS_CACHE: dict = {}
_SUB_CACHE: dict = {}


@dataclass(frozen=True)
class OutletColumns:
    """The outlet columns that can be nonzero and their sub component set (thermo is evaluated
    on these only); positions of the equilibrium species, the ash and the char in it."""

    cols: np.ndarray
    sub: ComponentSet
    pos_eq: np.ndarray
    gas_eq: np.ndarray
    pos_ash: int
    pos_c: int


@dataclass(frozen=True)
class GasifierFeed:
    """The cases' feed as the equilibrium sees it [mol/s, W, kg/s] (n cases)."""

    cs: ComponentSet
    n: int
    tot: np.ndarray          # total inlet flows (n, k)
    inv: np.ndarray          # element inventory of the equilibrium (n, elements)
    char: np.ndarray         # unconverted carbon [mol/s]
    c_fuel: np.ndarray       # carbon of the fuel [mol/s]
    bypass: np.ndarray       # slips and NH3 that bypass the equilibrium (n, k)
    lhv: np.ndarray          # molar LHV of each component [J/mol]
    lhv_feed: np.ndarray     # LHV of the fuel [W]
    h_in: np.ndarray         # inlet enthalpy [W]
    o2_in: np.ndarray
    o2_stoich: np.ndarray
    dry_kg: np.ndarray       # dry feed (fuel + ash) [kg/s]
    ash: np.ndarray
    i_ash: int
    i_c: int
    origin: np.ndarray
    loss: np.ndarray         # heat loss [W]
    steam_kg: np.ndarray
    columns: OutletColumns


def enthalpy_on_columns(s: Stream) -> np.ndarray:
    """``s.enthalpy`` [W] evaluated on the columns that carry flow only (same numbers, less
    polynomial work for wide component sets)."""
    cols = np.flatnonzero((s.flow != 0).any(axis=0))
    if cols.size == 0:
        return np.zeros(s.n_cases)
    key = (s.cs.ids, cols.tobytes())
    sub = _SUB_CACHE.get(key)
    if sub is None:
        if len(_SUB_CACHE) > 256:
            _SUB_CACHE.clear()
        sub = _SUB_CACHE[key] = s.cs.subset([s.cs.ids[i] for i in cols])
    return rowsum(s.flow[:, cols] * sub.h(s.T))


def outlet_columns(cs: ComponentSet, eq_species: tuple[str, ...]) -> OutletColumns:
    """The outlet columns that can be nonzero, and their sub component set (thermo is
    evaluated on these only)."""
    key = (cs.ids, eq_species)
    if key not in _COLS_CACHE:
        gas_sp = [k for k in eq_species if k != "C(s)"]
        names = gas_sp + [v for v in SLIP_SPECIES.values() if v not in gas_sp]
        names += ["ASH", "C(s)"]
        cols = cs.indices(names)
        # position of each equilibrium species in ``names`` (C(s) -> the char column)
        pos_eq = np.array([names.index(k) for k in eq_species])
        gas_eq = np.array([k != "C(s)" for k in eq_species])
        _COLS_CACHE[key] = OutletColumns(cols=cols, sub=cs.subset(names), pos_eq=pos_eq,
                                gas_eq=gas_eq, pos_ash=len(names) - 2, pos_c=len(names) - 1)
    return _COLS_CACHE[key]


def prepare_feed(inlet_names: tuple[str, ...], eq_species: tuple[str, ...], ins: dict[str, Stream], p,
                 engine: str = "auto") -> GasifierFeed:
    """Everything of the cases that does not depend on the outlet temperature. ``engine``:
    "auto" (the arithmetic per case in one compiled pass,
    :func:`carbonhub.unitops._unit_kernels.gasifier_feed`, unless ``CARBONHUB_NUMBA=0``),
    "numba" or "numpy" (the reference, :func:`_feed_numpy`): the same bits."""
    streams = [ins[k] for k in inlet_names]
    cs = streams[0].cs
    E = cs.element_matrix
    if use_numba(engine) and "steam" in inlet_names and np.isfinite(E).all():
        f = _feed_compiled(inlet_names, streams, cs, p)
        # compiled per case over its own species with flow (nasa7.mixture_h): the zero flows
        # that enthalpy_on_columns multiplies add exact zeros, so the same bits
        h_in = sum(s.enthalpy for s in streams)
    else:
        f = _feed_numpy(inlet_names, streams, cs, p)
        h_in = sum(enthalpy_on_columns(s) for s in streams)
    tot, inv, char, c_fuel, bypass, lhv_feed, dry_kg, steam_kg, o2_in, o2_stoich, ash = f
    return GasifierFeed(cs=cs, n=streams[0].n_cases, tot=tot, inv=inv, char=char, c_fuel=c_fuel,
                        bypass=bypass, lhv=lhv_molar(cs), lhv_feed=lhv_feed,
                        h_in=h_in, o2_in=o2_in,
                        o2_stoich=o2_stoich, dry_kg=dry_kg, ash=ash, i_ash=cs.index("ASH"),
                        i_c=cs.index("C(s)"), origin=mix_origins(streams),
                        loss=p.heat_loss_fraction * lhv_feed, steam_kg=steam_kg,
                        columns=outlet_columns(cs, eq_species))


def _masks(cs: ComponentSet) -> tuple[np.ndarray, np.ndarray]:
    """The fuel (condensed, not liquid water, not ash) and the dry feed (fuel + ash) columns."""
    key = ("masks", cs.ids)
    if key not in _COLS_CACHE:
        ash = np.arange(len(cs)) == cs.index("ASH")
        fuel = ~cs.is_gas & (np.array(cs.ids) != "H2O(L)") & ~ash
        _COLS_CACHE[key] = (fuel, fuel | ash)
    return _COLS_CACHE[key]


def _feed_numpy(inlet_names, streams, cs, p) -> tuple:
    """The reference of :func:`prepare_feed`'s arithmetic (numpy, whole-batch operations)."""
    for s in streams:
        s.validate()
    n = streams[0].n_cases
    E = cs.element_matrix
    ix = {e: ELEMENTS.index(e) for e in ELEMENTS}
    i_ash = cs.index("ASH")
    tot = sum(s.flow for s in streams)
    fuel_mask, dry_mask = _masks(cs)
    fuel = np.where(fuel_mask[None, :], tot, 0.0)
    fuel_el = rowdot(fuel, E)
    c_fuel = fuel_el[:, ix["C"]]
    XC = p.carbon_conversion
    char = (1.0 - XC) * c_fuel
    c_conv = XC * c_fuel
    bypass = np.zeros((n, len(cs)))
    for name, sp in SLIP_SPECIES.items():
        frac = getattr(p, name)
        if np.any(frac > 0):
            j = cs.index(sp)
            bypass[:, j] += frac * c_conv / E[j, ix["C"]]
    bypass[:, cs.index("NH3")] += p.nh3_fraction_of_fuel_N * fuel_el[:, ix["N"]]
    inv = rowdot(np.where((np.arange(len(cs)) == i_ash)[None, :], 0.0, tot), E)
    inv[:, ix["C"]] -= char
    inv -= rowdot(bypass, E)
    lhv_feed = rowdot(fuel, lhv_molar(cs))
    o2_stoich = (fuel_el[:, ix["C"]] + (fuel_el[:, ix["H"]] - fuel_el[:, ix["Cl"]]) / 4
                 + fuel_el[:, ix["S"]] - fuel_el[:, ix["O"]] / 2)
    dry_kg = rowdot(np.where(dry_mask[None, :], tot, 0.0), cs.molar_mass)
    steam_kg = streams[inlet_names.index("steam")].mass_flow
    return (tot, inv, char, c_fuel, bypass, lhv_feed, dry_kg, steam_kg, tot[:, cs.index("O2")],
            o2_stoich, tot[:, i_ash])


def _feed_compiled(inlet_names, streams, cs, p) -> tuple:
    """:func:`_feed_numpy` per case in one compiled pass (same bits); an inlet flagged as
    possibly bad (negative or non-finite flow, T or P) goes through ``Stream.validate``."""
    from ._unit_kernels import gasifier_feed

    n = streams[0].n_cases
    fuel_mask, dry_mask = _masks(cs)
    E = np.ascontiguousarray(cs.element_matrix, dtype=float)

    def vec(x):
        return kernel_array(x, (n,))

    slip_cols = np.array([cs.index(sp) for sp in SLIP_SPECIES.values()], dtype=np.int64)
    fr = [getattr(p, name) for name in SLIP_SPECIES]
    slip_on = np.array([bool(np.any(f > 0)) for f in fr])
    slip_frac = np.ascontiguousarray(np.stack([vec(f) for f in fr]))
    el = np.array([ELEMENTS.index(e) for e in ("C", "H", "O", "N", "S", "Cl")] + [cs.index("O2")],
                  dtype=np.int64)
    out = gasifier_feed(tuple(np.ascontiguousarray(s.flow, dtype=float) for s in streams),
                        tuple(vec(s.T) for s in streams), tuple(vec(s.P) for s in streams),
                        fuel_mask, dry_mask, cs.index("ASH"), E, np.ascontiguousarray(lhv_molar(cs)),
                        np.ascontiguousarray(cs.molar_mass, dtype=float), vec(p.carbon_conversion),
                        slip_cols, slip_frac, slip_on, cs.index("NH3"), vec(p.nh3_fraction_of_fuel_N),
                        inlet_names.index("steam"), el)
    if out[-1]:
        for s in streams:
            s.validate()
    return out[:-1]


def initial_moles(inv: np.ndarray, eq_species: tuple[str, ...], solid_carbon: bool) -> tuple[np.ndarray, np.ndarray]:
    """Nonnegative species moles with the element inventory ``inv`` (n, n_elements) in
    the equilibrium species basis, and the feasibility mask (gas-only representable)."""
    ix = {e: ELEMENTS.index(e) for e in ELEMENTS}
    C, H, O = inv[:, ix["C"]], inv[:, ix["H"]], inv[:, ix["O"]]
    N, S, Cl, Ar = inv[:, ix["N"]], inv[:, ix["S"]], inv[:, ix["Cl"]], inv[:, ix["Ar"]]
    sp = {k: i for i, k in enumerate(eq_species)}
    m = np.zeros((inv.shape[0], len(eq_species)))
    m[:, sp["HCl"]] = Cl
    m[:, sp["H2S"]] = S
    m[:, sp["N2"]] = N / 2
    m[:, sp["Ar"]] = Ar
    co = np.minimum(C, O)
    m[:, sp["CO"]] = co
    crem = C - co
    if solid_carbon:  # carbon beyond what H can hold as CH4 starts as graphite
        ch4 = np.minimum(crem, np.maximum(H - Cl - 2 * S, 0.0) / 4)
        m[:, sp["C(s)"]] = crem - ch4
        crem = ch4
    m[:, sp["CH4"]] = crem
    Hrem = H - Cl - 2 * S - 4 * crem
    m[:, sp["O2"]] = (O - co) / 2
    m[:, sp["H2"]] = np.maximum(Hrem, 0.0) / 2
    scale = rowsum(np.abs(inv)) + 1e-300
    neg = rowsum(np.minimum(inv[:, :7], 0.0))
    feasible = (Hrem >= -1e-13 * scale) & (neg >= -1e-13 * scale) & (inv[:, ix["Si"]] <= 1e-13 * scale)
    return np.maximum(m, 0.0), feasible


def evaluate(ctx: GasifierFeed, eq_species: tuple[str, ...], idx: np.ndarray, T: np.ndarray, T_eq: np.ndarray, P: np.ndarray,
              m0: np.ndarray, guess=None, engine: str = "auto"):
    """Equilibrium and outlet enthalpy for the cases ``idx`` at outlet T. ``engine``: the
    outlet columns and their enthalpy compiled per case ("auto": unless ``CARBONHUB_NUMBA=0``;
    :func:`carbonhub.unitops._unit_kernels.gasifier_outlet`), or numpy (the reference)."""
    r = equilibrate(eq_species, m0, T_eq, P, components=ctx.cs, guess=guess)
    if use_numba(engine):  # the same bits per case in one compiled pass (_unit_kernels)
        from ._unit_kernels import gasifier_outlet

        oc, sub = ctx.columns, ctx.columns.sub
        gas, solids, H_out = gasifier_outlet(
            ctx.bypass, np.asarray(idx, dtype=np.int64), oc.cols.astype(np.int64),
            np.ascontiguousarray(r.moles, dtype=float), oc.pos_eq.astype(np.int64), oc.gas_eq,
            ctx.ash, ctx.char, oc.pos_ash, oc.pos_c, np.ascontiguousarray(T, dtype=float),
            sub.low, sub.high, sub.tmid, R)
        return r, gas, solids, H_out
    gas = ctx.bypass[idx][:, ctx.columns.cols]
    eqm = np.nan_to_num(r.moles, nan=0.0)
    ge = ctx.columns.gas_eq
    gas[:, ctx.columns.pos_eq[ge]] += eqm[:, ge]
    solids = np.zeros_like(gas)
    solids[:, ctx.columns.pos_ash] = ctx.ash[idx]
    solids[:, ctx.columns.pos_c] = ctx.char[idx] + rowsum(eqm[:, ~ge])
    H_out = rowsum((gas + solids) * ctx.columns.sub.h(T))
    return r, gas, solids, H_out


def solve_adiabatic(ctx: GasifierFeed, eq_species: tuple[str, ...], idx, T0, p, m0):
    """Outlet T per case with H_out(T) - H_in + loss = 0 (bracketed secant/Illinois)."""
    lo_b, hi_b = T_ADIABATIC_BOUNDS
    k = idx.size
    dT = p.dT_approach[idx]
    P = p.P[idx]
    target = ctx.h_in[idx] - ctx.loss[idx]
    scale = np.maximum(ctx.lhv_feed[idx], np.abs(ctx.h_in[idx])) + 1.0
    tol = 1e-12 * scale
    nc = len(ctx.columns.cols)
    gas = np.full((k, nc), np.nan)
    sol = np.full((k, nc), np.nan)
    Hs = np.full(k, np.nan)
    Tsol = np.array(T0, dtype=float)
    st = np.full(k, "ok", dtype=object)
    moles = np.zeros((k, len(eq_species)))
    # bracket bookkeeping
    T_lo = np.full(k, lo_b); f_lo = np.full(k, np.nan)
    T_hi = np.full(k, hi_b); f_hi = np.full(k, np.nan)
    T_prev = np.full(k, np.nan); f_prev = np.full(k, np.nan)
    T_cur = np.clip(Tsol, lo_b, hi_b)
    active = np.arange(k)
    guess = None
    for it in range(80):
        if active.size == 0:
            break
        a = active
        r, g, s_, h = evaluate(ctx, eq_species, idx[a], T_cur[a], T_cur[a] + dT[a], P[a], m0[a], guess)
        f = h - target[a]
        eq_bad = r.status != "ok"
        st[a[eq_bad]] = [f"equilibrium: {x}" for x in r.status[eq_bad]]
        moles[a] = np.nan_to_num(r.moles, nan=0.0)
        gas[a], sol[a], Hs[a], Tsol[a] = g, s_, h, T_cur[a]
        conv = (np.abs(f) <= tol[a]) & ~eq_bad
        # update bracket
        neg = f < 0
        T_lo[a] = np.where(neg, T_cur[a], T_lo[a]); f_lo[a] = np.where(neg, f, f_lo[a])
        T_hi[a] = np.where(~neg, T_cur[a], T_hi[a]); f_hi[a] = np.where(~neg, f, f_hi[a])
        # at a bound with the wrong sign: no solution in range
        at_hi = (T_cur[a] >= hi_b) & neg
        at_lo = (T_cur[a] <= lo_b) & ~neg
        st[a[at_hi & ~conv]] = (f"adiabatic outlet T above {hi_b:g} K "
                                "(too much oxidant for gasification)")
        st[a[at_lo & ~conv]] = (f"adiabatic outlet T below {lo_b:g} K "
                                "(too little oxidant)")
        narrow = (T_hi[a] - T_lo[a]) <= 1e-9 * T_cur[a]
        done = conv | eq_bad | ((at_hi | at_lo) & ~conv) | (narrow & np.isfinite(f_lo[a]) & np.isfinite(f_hi[a]))
        # next iterate: secant on the last two points (a Newton step with the frozen heat
        # capacity first); bisection when it leaves a known bracket
        both = np.isfinite(f_lo[a]) & np.isfinite(f_hi[a])
        with np.errstate(divide="ignore", invalid="ignore"):
            sec = T_cur[a] - f * (T_cur[a] - T_prev[a]) / (f - f_prev[a])
        if it == 0:  # Newton step with the frozen heat capacity of the outlet
            cp = rowsum((g + s_) * ctx.columns.sub.cp(T_cur[a]))
            sec = T_cur[a] - f / np.where(cp > 0, cp, 1.0)
        nxt = sec
        nxt = T_cur[a] + np.clip(nxt - T_cur[a], -400.0, 400.0)
        inside = (nxt > T_lo[a]) & (nxt < T_hi[a]) & np.isfinite(nxt)
        nxt = np.where(both & ~inside, 0.5 * (T_lo[a] + T_hi[a]), nxt)
        nxt = np.clip(nxt, lo_b, hi_b)
        T_prev[a], f_prev[a] = T_cur[a], f
        T_cur[a] = nxt
        keep = ~done
        active = a[keep]
        guess = moles[active]
    if active.size:
        st[active] = "adiabatic outlet T: no convergence in 80 iterations"
    return Tsol, gas, sol, Hs, st


def design_results(ctx: GasifierFeed, p, syngas: Stream, ash: Stream, T: np.ndarray, heat: np.ndarray) -> dict:
    cs = ctx.cs
    lhv = ctx.lhv
    fl = syngas.flow
    fuels = [cs.index(k) for k in SYNGAS_FUELS if k in cs]
    lhv_gas = rowdot(fl[:, fuels], lhv[fuels])
    tot = rowsum(fl)

    def frac(k):
        return np.divide(fl[:, cs.index(k)], tot, out=np.full_like(tot, np.nan), where=tot > 0)

    def ratio(a, b):
        return np.divide(a, b, out=np.full_like(a, np.nan), where=b > 0)

    vol = tot * R * T / p.P
    c_solid = ash.flow[:, ctx.i_c]
    loss = ctx.loss
    dry_kg = ctx.dry_kg
    return {
        "T_K": T.copy(),
        "T_equilibrium_K": T + p.dT_approach,
        "P_Pa": p.P.copy(),
        "cold_gas_efficiency": ratio(lhv_gas, ctx.lhv_feed),
        "carbon_conversion": 1.0 - ratio(c_solid, ctx.c_fuel),
        "equivalence_ratio": ratio(ctx.o2_in, ctx.o2_stoich),
        "steam_to_dry_feed": ratio(ctx.steam_kg, dry_kg),
        "h2_co_ratio": ratio(fl[:, cs.index("H2")], fl[:, cs.index("CO")]),
        "x_H2": frac("H2"), "x_CO": frac("CO"), "x_CO2": frac("CO2"), "x_CH4": frac("CH4"),
        "x_H2O": frac("H2O"),
        "syngas_mol_s": tot,
        "syngas_m3_per_s": vol,
        "syngas_Nm3_per_h": tot * R * NORMAL_T / NORMAL_P * HOUR,
        "volume_m3": vol * p.residence_time,
        "feed_dry_kg_s": dry_kg,
        "feed_dry_t_per_d": dry_kg * 86.4,
        "lhv_feed_W": ctx.lhv_feed,
        "lhv_feed_MW": ctx.lhv_feed / 1e6,
        "lhv_syngas_W": lhv_gas,
        "heat_W": heat,
        "heat_loss_W": loss,
        "heat_required_W": heat + loss,
        "o2_kg_s": ctx.o2_in * cs.molar_mass[cs.index("O2")],
        "steam_kg_s": ctx.steam_kg,
        "char_kg_s": c_solid * cs.molar_mass[ctx.i_c],
        "soot_kg_s": (c_solid - ctx.char) * cs.molar_mass[ctx.i_c],
    }
