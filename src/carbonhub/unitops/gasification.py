"""Gasification: an equilibrium gasifier (O2/steam- or air-blown) and a cryogenic air
separation unit. Batched numpy: one call gasifies n cases; the Gibbs equilibrium is
:func:`carbonhub.thermo.equilibrate` (batched, warm-started inside the adiabatic solve).

Example
-------
>>> import numpy as np
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> from carbonhub.unitops.gasification import Gasifier
>>> cs = ComponentSet.default()
>>> feed = Stream.from_flows(cs, {"ORG_wood_chips": 1000.0, "ASH": 2.0, "H2O(L)": 150.0},
...                          T=333.15, P=20e5)
>>> ox = Stream.from_flows(cs, {"O2": 280.0, "Ar": 1.0}, T=400.0, P=20e5)
>>> st = Stream.from_flows(cs, {"H2O": 300.0}, T=573.15, P=20e5)
>>> g = Gasifier("gasifier", T=1123.15, P=20e5)
>>> g.cs = cs
>>> r = g.run({"feed": feed, "oxidant": ox, "steam": st}, g.resolve({}, 1))
>>> 0.6 < float(r.design["cold_gas_efficiency"][0]) < 0.9
True
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core.flowsheet import DesignSpec
from ..core.stream import Stream, lhv_molar, mix_origins
from ..core.unit import Cost, Param, ParameterValueError, Unit, UnitResult
from ..thermo.components import ELEMENTS, ComponentSet
from ..thermo.equilibrium import equilibrate
from ..thermo.nasa7 import P_REF, R

__all__ = ["Gasifier", "AirSeparationUnit", "autothermal_spec", "EQ_SPECIES", "SYNGAS_FUELS"]

EQ_SPECIES: tuple[str, ...] = ("H2", "CO", "CO2", "H2O", "CH4", "N2", "Ar", "H2S", "COS", "NH3",
                               "HCl", "O2", "SO2")
"""Gas species of the gasifier equilibrium (C2H4 and C2H6 are added with ``include_c2=True``).
O2 and SO2 are there so that over-oxidised (ER >= 1) cases stay solvable; at gasification
conditions both are below 1e-15 mol/mol."""
SYNGAS_FUELS: tuple[str, ...] = ("H2", "CO", "CH4", "C2H4", "C2H6")
"""Species counted in the cold gas efficiency (cold, clean syngas: no tar, H2S, COS, NH3)."""
SLIP_SPECIES: dict[str, str] = {"ch4_slip": "CH4", "c2h4_slip": "C2H4", "tar_slip": "C7H16"}
"""Slip parameter -> species that bypasses the equilibrium."""
T_ADIABATIC_BOUNDS = (600.0, 2800.0)
"""Range [K] searched for the adiabatic outlet temperature."""
NORMAL_T, NORMAL_P = 273.15, 101325.0
"""Normal conditions for Nm3 [K], [Pa]."""
SHORT_TON = 907.18474
"""US short ton [kg]."""
KWH = 3.6e6
_COLS_CACHE: dict = {}
SOOT_FB_EPS = 1e-7
"""Smoothing of the graphite complementarity in the twin (n/n_C + a - sqrt((n/n_C)^2 + a^2 +
eps^2) = 0): where graphite is present the affinity a is eps^2/(2 n/n_C), where it is absent
n/n_C = eps^2/(2 a); both far below the 1e-6 agreement with the core except within ~eps of the
phase boundary."""


def _zero(n: int) -> np.ndarray:
    return np.zeros(n)


def _g_RT_expr(cs: ComponentSet, j: str, T):
    """Standard Gibbs energy g°/(RT) at P° of component j as a Pyomo expression of the
    dimensionless temperature T (the NASA-7 polynomial of :func:`carbonhub.thermo.nasa7.g_RT`,
    low range for T <= Tmid as in the core)."""
    import pyomo.environ as pyo

    i = cs.index(j)

    def poly(a):
        return (a[0] * (1.0 - pyo.log(T)) - a[1] * T / 2 - a[2] * T**2 / 6 - a[3] * T**3 / 12
                - a[4] * T**4 / 20 + a[5] / T - a[6])

    lo, hi = [float(x) for x in cs.low[i]], [float(x) for x in cs.high[i]]
    if np.allclose(lo, hi):
        return poly(lo)
    return pyo.Expr_if(IF=T <= float(cs.tmid[i]), THEN=poly(lo), ELSE=poly(hi))


_SUB_CACHE: dict = {}


def _enthalpy(s: Stream) -> np.ndarray:
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
    return (s.flow[:, cols] * sub.h(s.T)).sum(axis=1)


class Gasifier(Unit):
    """Equilibrium gasifier with carbon conversion, hydrocarbon slip, heat loss and an
    adiabatic or fixed-temperature outlet.

    Model
    -----
    1. Carbon conversion: of the carbon in the condensed fuel of all inlets (``ORG_*``,
       ``C(s)``), the fraction ``1 - carbon_conversion`` leaves unconverted as char ``C(s)``
       with the ash (``ASH`` is inert and leaves through ``ash``).
    2. Slip (non-equilibrium species, fractions of the *converted* fuel carbon):
       ``ch4_slip`` -> CH4 (fluidised beds make far more methane than equilibrium predicts),
       ``c2h4_slip`` -> C2H4, ``tar_slip`` -> C7H16. Tar is lumped as n-heptane: element-exact
       but H-richer (H/C 2.3) than real, aromatic tars (toluene, naphthalene; H/C 0.8-1.1), so
       it takes more hydrogen from the syngas and over-states the tar LHV per carbon by ~20 %;
       downstream units see C7H16 (a gas component) in the syngas. Tar is not counted in the
       cold gas efficiency.
    3. Fuel nitrogen: ``nh3_fraction_of_fuel_N`` of the N in the condensed fuel leaves as NH3
       outside the equilibrium (equilibrium NH3 is ppm-level; measured NH3 is far higher).
    4. The remaining elements (fuel, moisture, oxidant, steam) reach Gibbs equilibrium over the
       gas species :data:`EQ_SPECIES` at ``T + dT_approach`` and ``P``: all Cl ends as HCl, S
       as H2S/COS, N as N2/NH3. ``dT_approach`` is the temperature approach of Aspen Plus
       RGibbs/REquil (equilibrium evaluated at T + dT); a negative approach raises CH4 and
       lowers shift conversion. The gas leaves at ``T``.
    5. Energy: ``heat = H_out - H_in`` (enthalpies incl. heats of formation) is what the
       process streams receive. The heat loss is ``heat_loss_fraction`` x LHV of the condensed
       fuel (dry basis). ``heat_required_W = heat + heat_loss_W`` is what must be supplied from
       outside (negative: surplus). ``mode="T"``: the outlet T is given and ``heat`` follows;
       for an autothermal gasifier add :func:`autothermal_spec` (a design spec on the oxidant
       flow with heat_required_W -> 0). ``mode="adiabatic"``: the outlet T is solved per case so
       that heat = -heat_loss (vectorised bracketed secant, warm-started equilibria).

    Cold gas efficiency: LHV (298.15 K, from the heats of formation) of H2, CO, CH4, C2H4,
    C2H6 in the syngas / LHV of the dry feed (condensed fuel: ORG_* and C(s); moisture and ash
    carry no LHV), i.e. the heating value of the cold product gas over that of the fuel as in
    Higman & van der Burgt (2008) and Basu (2018), here on an LHV and dry-feed basis (the
    books use HHV or LHV; say which when comparing).

    Constructor options: ``include_c2=True`` adds C2H4 and C2H6 to the equilibrium species;
    ``solid_carbon=True`` adds graphite ``C(s)`` (the carbon-deposition boundary: at low O/C
    the equilibrium carbon leaves with the ash as soot instead of the case being flagged; the
    default gas-only equilibrium flags such cases, e.g. plastics with too little oxidant).

    Parameters
    ----------
    mode : {"T", "adiabatic"}
    T : outlet temperature [K] (mode "T"), or the first guess (mode "adiabatic"); default
        1123.15 (850 °C, O2/steam-blown fluidised bed).
    P : pressure [Pa], default 20e5 (pressurised; the feeding system is not modelled).
    carbon_conversion : [-], default 0.97.
    dT_approach : [K], default 0.
    ch4_slip, c2h4_slip, tar_slip : fractions of the converted carbon [-], default 0.
    nh3_fraction_of_fuel_N : [-], default 0.5. Zhou et al. (2000) find NH3 and N2 carrying
        > 90 % of the fuel N in fluidised-bed biomass gasification, NH3 falling with
        temperature; 0.5 is a mid value (assumption; lower it for entrained flow).
    heat_loss_fraction : of the dry-feed LHV [-], default 0.02.
    residence_time : gas residence time for the reactor volume [s], default 5.

    Design results
    --------------
    T_K, T_equilibrium_K, P_Pa, cold_gas_efficiency, carbon_conversion, equivalence_ratio,
    steam_to_dry_feed, h2_co_ratio, x_H2, x_CO, x_CO2, x_CH4, x_H2O (wet mole fractions),
    syngas_mol_s, syngas_m3_per_s (actual), syngas_Nm3_per_h, volume_m3 (= actual gas flow x
    residence time), feed_dry_kg_s, feed_dry_t_per_d (cost basis of
    ``ref.gasifier_fluidised_bed_biomass``), lhv_feed_W, lhv_feed_MW (cost basis of
    ``ref.gasifier_entrained_flow_biomass``), lhv_syngas_W, heat_W, heat_loss_W,
    heat_required_W, o2_kg_s, steam_kg_s, char_kg_s (all C(s) leaving with the ash),
    soot_kg_s (the part from the equilibrium, ``solid_carbon=True`` only); carbon_conversion is
    the effective one, 1 - C(s) out / fuel C. Utilities: fired_heat_W (heat_required_W
    > 0, e.g. an allothermal gasifier's char combustor), cooling_W (surplus).

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.default()
    >>> feed = Stream.from_flows(cs, {"ORG_wood_chips": 1000.0, "ASH": 2.0, "H2O(L)": 150.0},
    ...                          T=333.15, P=20e5, n=2)
    >>> ox = Stream.from_flows(cs, {"O2": [250.0, 300.0], "Ar": 1.0}, T=400.0, P=20e5)
    >>> st = Stream.from_flows(cs, {"H2O": 300.0}, T=573.15, P=20e5, n=2)
    >>> g = Gasifier("gasifier", mode="adiabatic", heat_loss_fraction=0.02)
    >>> g.cs = cs
    >>> r = g.run({"feed": feed, "oxidant": ox, "steam": st}, g.resolve({}, 2))
    >>> T = r.design["T_K"]
    >>> bool(T[1] > T[0])                                   # more O2, hotter
    True
    >>> bool(np.all(np.abs(r.heat + r.design["heat_loss_W"]) < 1e-9 * r.design["lhv_feed_W"]))
    True

    References
    ----------
    Higman, C., van der Burgt, M. (2008). Gasification, 2nd ed., Gulf Professional Publishing,
    ISBN 978-0-7506-8528-3 (cold gas efficiency; equilibrium modelling of gasifiers).
    Basu, P. (2018). Biomass Gasification, Pyrolysis and Torrefaction, 3rd ed., Academic Press,
    ISBN 978-0-12-812992-0.
    Zhou, J., Masutani, S.M., Ishimura, D.M., Turn, S.Q., Kinoshita, C.M. (2000). Release of
    fuel-bound nitrogen during biomass gasification. Ind. Eng. Chem. Res. 39, 626-634.
    Gordon, S., McBride, B.J. (1994). NASA RP-1311 (the equilibrium method).
    """

    inlets = ("feed", "oxidant", "steam")
    outlets = ("syngas", "ash")
    params = {
        "mode": Param("T", "choice", doc="'T': outlet T given; 'adiabatic': outlet T solved",
                      choices=("T", "adiabatic")),
        "T": Param(1123.15, "K", 700.0, 2200.0, "outlet temperature [K] (guess if adiabatic)"),
        "P": Param(20e5, "Pa", 1e4, 1e7, "gasifier pressure [Pa]"),
        "carbon_conversion": Param(0.97, "", 0.0, 1.0, "fraction of fuel carbon gasified [-]"),
        "dT_approach": Param(0.0, "K", -400.0, 400.0, "equilibrium evaluated at T + dT [K]"),
        "ch4_slip": Param(0.0, "", 0.0, 0.5, "converted carbon leaving as CH4 (no eq.) [-]"),
        "c2h4_slip": Param(0.0, "", 0.0, 0.3, "converted carbon leaving as C2H4 (no eq.) [-]"),
        "tar_slip": Param(0.0, "", 0.0, 0.3, "converted carbon leaving as tar, C7H16 [-]"),
        "nh3_fraction_of_fuel_N": Param(0.5, "", 0.0, 1.0, "fuel N leaving as NH3 (no eq.) [-]"),
        "heat_loss_fraction": Param(0.02, "", 0.0, 0.3, "heat loss / LHV of the dry feed [-]"),
        "residence_time": Param(5.0, "s", 0.01, 600.0, "gas residence time (volume) [s]"),
        "type": Param("fluidised_bed", "choice", doc="gasifier type: chooses the cost block "
                      "(fluidised_bed: incl. syngas cooler and cyclone; entrained_flow)",
                      choices=("fluidised_bed", "entrained_flow")),
    }
    costs = (Cost("ref.gasifier_fluidised_bed_biomass", "feed_dry_t_per_d",
                  when=("type", ("fluidised_bed",))),
             Cost("ref.gasifier_entrained_flow_biomass", "lhv_feed_MW",
                  when=("type", ("entrained_flow",))))

    def __init__(self, id: str, *, include_c2: bool = False, solid_carbon: bool = False,
                 **values: Any):
        super().__init__(id, **values)
        self.include_c2 = bool(include_c2)
        self.solid_carbon = bool(solid_carbon)
        self.eq_species = (EQ_SPECIES + (("C2H4", "C2H6") if self.include_c2 else ())
                           + (("C(s)",) if self.solid_carbon else ()))

    # -- preparation (everything that does not depend on the outlet T) ----------------------
    def _prepare(self, ins: dict[str, Stream], p) -> dict[str, Any]:
        for port in self.inlet_names:
            ins[port].validate()
        streams = [ins[k] for k in self.inlet_names]
        cs = streams[0].cs
        n = streams[0].n_cases
        E = cs.element_matrix
        ix = {e: ELEMENTS.index(e) for e in ELEMENTS}
        i_ash, i_c = cs.index("ASH"), cs.index("C(s)")
        tot = sum(s.flow for s in streams)
        fuel_mask = ~cs.is_gas & (np.array(cs.ids) != "H2O(L)") & (np.arange(len(cs)) != i_ash)
        fuel = np.where(fuel_mask[None, :], tot, 0.0)
        fuel_el = fuel @ E
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
        inv = np.where((np.arange(len(cs)) == i_ash)[None, :], 0.0, tot) @ E
        inv[:, ix["C"]] -= char
        inv -= bypass @ E
        lhv = lhv_molar(cs)
        lhv_feed = fuel @ lhv
        h_in = sum(_enthalpy(s) for s in streams)
        o2_in = tot[:, cs.index("O2")]
        o2_stoich = (fuel_el[:, ix["C"]] + (fuel_el[:, ix["H"]] - fuel_el[:, ix["Cl"]]) / 4
                     + fuel_el[:, ix["S"]] - fuel_el[:, ix["O"]] / 2)
        dry_kg = np.where((fuel_mask | (np.arange(len(cs)) == i_ash))[None, :], tot, 0.0) @ cs.molar_mass
        return dict(cs=cs, n=n, tot=tot, inv=inv, char=char, c_fuel=c_fuel, bypass=bypass, lhv=lhv,
                    lhv_feed=lhv_feed, h_in=h_in, o2_in=o2_in, o2_stoich=o2_stoich,
                    dry_kg=dry_kg, ash=tot[:, i_ash], i_ash=i_ash, i_c=i_c,
                    origin=mix_origins(streams), loss=p.heat_loss_fraction * lhv_feed,
                    steam_kg=ins["steam"].mass_flow, **self._columns(cs))

    def _columns(self, cs: ComponentSet) -> dict[str, Any]:
        """The outlet columns that can be nonzero, and their sub component set (thermo is
        evaluated on these only)."""
        key = (cs.ids, self.eq_species)
        if key not in _COLS_CACHE:
            gas_sp = [k for k in self.eq_species if k != "C(s)"]
            names = gas_sp + [v for v in SLIP_SPECIES.values() if v not in gas_sp]
            names += ["ASH", "C(s)"]
            cols = cs.indices(names)
            # position of each equilibrium species in ``names`` (C(s) -> the char column)
            pos_eq = np.array([names.index(k) for k in self.eq_species])
            gas_eq = np.array([k != "C(s)" for k in self.eq_species])
            _COLS_CACHE[key] = dict(cols=cols, sub=cs.subset(names), pos_eq=pos_eq,
                                    gas_eq=gas_eq, pos_ash=len(names) - 2, pos_c=len(names) - 1)
        return _COLS_CACHE[key]

    def _initial_moles(self, inv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Nonnegative species moles with the element inventory ``inv`` (n, n_elements) in
        the equilibrium species basis, and the feasibility mask (gas-only representable)."""
        ix = {e: ELEMENTS.index(e) for e in ELEMENTS}
        C, H, O = inv[:, ix["C"]], inv[:, ix["H"]], inv[:, ix["O"]]
        N, S, Cl, Ar = inv[:, ix["N"]], inv[:, ix["S"]], inv[:, ix["Cl"]], inv[:, ix["Ar"]]
        sp = {k: i for i, k in enumerate(self.eq_species)}
        m = np.zeros((inv.shape[0], len(self.eq_species)))
        m[:, sp["HCl"]] = Cl
        m[:, sp["H2S"]] = S
        m[:, sp["N2"]] = N / 2
        m[:, sp["Ar"]] = Ar
        co = np.minimum(C, O)
        m[:, sp["CO"]] = co
        crem = C - co
        if self.solid_carbon:  # carbon beyond what H can hold as CH4 starts as graphite
            ch4 = np.minimum(crem, np.maximum(H - Cl - 2 * S, 0.0) / 4)
            m[:, sp["C(s)"]] = crem - ch4
            crem = ch4
        m[:, sp["CH4"]] = crem
        Hrem = H - Cl - 2 * S - 4 * crem
        m[:, sp["O2"]] = (O - co) / 2
        m[:, sp["H2"]] = np.maximum(Hrem, 0.0) / 2
        scale = np.abs(inv).sum(axis=1) + 1e-300
        neg = np.minimum(inv[:, :7], 0.0).sum(axis=1)
        feasible = (Hrem >= -1e-13 * scale) & (neg >= -1e-13 * scale) & (inv[:, ix["Si"]] <= 1e-13 * scale)
        return np.maximum(m, 0.0), feasible

    def _evaluate(self, ctx, idx: np.ndarray, T: np.ndarray, T_eq: np.ndarray, P: np.ndarray,
                  m0: np.ndarray, guess=None):
        """Equilibrium and outlet enthalpy for the cases ``idx`` at outlet T."""
        r = equilibrate(self.eq_species, m0, T_eq, P, components=ctx["cs"], guess=guess)
        gas = ctx["bypass"][idx][:, ctx["cols"]]
        eqm = np.nan_to_num(r.moles, nan=0.0)
        ge = ctx["gas_eq"]
        gas[:, ctx["pos_eq"][ge]] += eqm[:, ge]
        solids = np.zeros_like(gas)
        solids[:, ctx["pos_ash"]] = ctx["ash"][idx]
        solids[:, ctx["pos_c"]] = ctx["char"][idx] + eqm[:, ~ge].sum(axis=1)
        H_out = ((gas + solids) * ctx["sub"].h(T)).sum(axis=1)
        return r, gas, solids, H_out

    # -- run -----------------------------------------------------------------------------------
    def run(self, ins, p) -> UnitResult:
        ctx = self._prepare(dict(ins), p)
        cs, n = ctx["cs"], ctx["n"]
        mode = np.broadcast_to(np.asarray(p.mode), (n,))
        m0, feasible = self._initial_moles(ctx["inv"])
        status = np.full(n, "ok", dtype=object)
        status[~feasible] = ("O and H too low to keep the converted carbon in the gas (raise "
                             "oxidant/steam, lower carbon_conversion, or use solid_carbon=True)")
        T = np.array(p.T, dtype=float)
        nsub = len(ctx["cols"])
        gas = np.full((n, nsub), np.nan)
        solids = np.full((n, nsub), np.nan)
        H_out = np.full(n, np.nan)
        fixed = np.flatnonzero(feasible & (mode == "T"))
        if fixed.size:
            T_eq = T[fixed] + p.dT_approach[fixed]
            if (T_eq <= 200.0).any():
                raise ParameterValueError(f"{self.id}: T + dT_approach = {T_eq.min():g} K: expected > 200 K")
            warm = p.warm("equilibrium", len(self.eq_species)) if getattr(p, "scratch", None) is not None else None
            r, g, s_, h = self._evaluate(ctx, fixed, T[fixed], T_eq, p.P[fixed], m0[fixed],
                                         None if warm is None else warm[fixed])
            gas[fixed], solids[fixed], H_out[fixed] = g, s_, h
            if getattr(p, "scratch", None) is not None:  # warm start for the next iteration
                p.keep("equilibrium", r.moles, fixed)
            bad = r.status != "ok"
            status[fixed[bad]] = [f"equilibrium: {x}" for x in r.status[bad]]
        adia = np.flatnonzero(feasible & (mode == "adiabatic"))
        if adia.size:
            Ta, g, s_, h, st = self._solve_adiabatic(ctx, adia, T[adia], p, m0[adia])
            T[adia], gas[adia], solids[adia], H_out[adia] = Ta, g, s_, h
            status[adia] = np.where(st == "ok", status[adia], st)
        ok = status == "ok"
        gas_full = np.zeros((n, len(cs)))
        sol_full = np.zeros((n, len(cs)))
        gas_full[:, ctx["cols"]] = gas
        sol_full[:, ctx["cols"]] = solids
        gas_full[~ok] = np.nan
        sol_full[~ok] = np.nan
        syngas = Stream(cs, gas_full, T, p.P.copy(), ctx["origin"], check=False)
        ash = Stream(cs, sol_full, T.copy(), p.P.copy(), ctx["origin"].copy(), check=False)
        heat = H_out - ctx["h_in"]
        design = self._design(ctx, p, syngas, ash, T, heat)
        req = heat + ctx["loss"]
        util = {"fired_heat_W": np.maximum(req, 0.0), "cooling_W": np.maximum(-req, 0.0)}
        return UnitResult({"syngas": syngas, "ash": ash}, heat, _zero(n), design, util,
                          None if ok.all() else status)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: carbon conversion, slips and fuel-N NH3 as in the core (expressions of the
        inlet flows and the parameters); Gibbs equilibrium of the remaining elements as
        constraints: element balances over the equilibrium species and, for every gas species
        j present, mu_j/RT = g°_j(T_eq)/RT + ln(n_j/N) + ln(P/P°) = sum_k a_jk lambda_k with
        log-mole variables ``ln_n[j]`` (n_j = exp(ln_n_j) mol/s: robust for trace species),
        ``ln_n_tot`` and element potentials ``elem_pot[k]`` = lambda_k/RT. With
        ``solid_carbon=True`` graphite ``n_soot`` is either present, (g°_C(s) + v (P - P°))/RT
        = lambda_C, or absent, n_soot = 0 with a positive affinity: the core's phase test as a
        smoothed complementarity (Fischer-Burmeister, :data:`SOOT_FB_EPS`), so that the twin
        crosses the carbon-deposition boundary. g°/RT is the NASA-7 polynomial of the core
        (range by ``Expr_if`` at Tmid), at T_eq = T + dT_approach. Mode "T": outlet T = ``T``,
        heat from the energy balance; mode "adiabatic": heat = -heat loss, T free.

        Frozen at the core solution: the mode and which elements (hence which gas species) are
        present. Internal variables start at the core's Gibbs equilibrium at its outlet
        temperature. ``b.design`` mirrors the core's main design results (cost basis
        feed_dry_t_per_d, cold gas efficiency, heat loss, heat_required_W: constrain it to 0
        for an autothermal gasifier)."""
        import pyomo.environ as pyo

        from .pretreatment import _design_expressions, _flow_constraints

        u = pyo.units
        cs = b.config.property_package.cs
        E, mw = cs.element_matrix, cs.molar_mass
        ix = {e: ELEMENTS.index(e) for e in ELEMENTS}
        gas = {j: bool(g) for j, g in zip(cs.ids, cs.is_gas)}
        mode = str(p["mode"])
        if mode not in ("T", "adiabatic"):
            raise ParameterValueError(f"{self.id}.mode = {mode!r}: expected 'T' or 'adiabatic'")
        # -- the core's preparation and equilibrium at the core solution (initial values, and
        #    which elements/species are present)
        pr = self.resolve(p, 1)
        ctx = self._prepare({k: init.inlets[k] for k in self.inlet_names}, pr)
        m0, _ = self._initial_moles(ctx["inv"])
        T0 = float(init.outlets["syngas"].T[0])
        r = equilibrate(self.eq_species, m0, T0 + pr.dT_approach, pr.P, components=cs)
        if r.status[0] != "ok":
            raise ValueError(f"{self.id}: equilibrium at the core solution failed ({r.status[0]})")
        n_eq = dict(zip(self.eq_species, r.moles[0]))
        b0 = m0[0] @ cs.subset(self.eq_species).element_matrix  # as equilibrate sees it
        present = {e: b0[ix[e]] > 1e-300 * b0.sum() for e in ELEMENTS}

        def allowed(j):
            return all(present[e] for e in ELEMENTS if E[cs.index(j), ix[e]] != 0)

        J = [j for j in self.eq_species if gas[j] and allowed(j)]
        soot = self.solid_carbon and allowed("C(s)")
        K = [e for e in ELEMENTS if present[e]
             and any(E[cs.index(j), ix[e]] != 0 for j in J + (["C(s)"] if soot else []))]
        pi0 = dict(zip(r.elements, r.element_potentials[0]))

        # -- fuel, char, slips (expressions of the inlet flows and the parameters)
        fin = {j: sum(b.sin(k).flow_mol_comp[j] for k in self.inlet_names) for j in cs.ids}
        fuel = [j for j in cs.ids if not gas[j] and j not in ("H2O(L)", "ASH")]
        XC = b.par["carbon_conversion"]

        def fuel_el(e):
            return sum(float(E[cs.index(j), ix[e]]) * fin[j] for j in fuel if E[cs.index(j), ix[e]] != 0)

        b.fuel_carbon = pyo.Expression(expr=fuel_el("C"), doc="carbon in the condensed fuel [mol/s]")
        b.char = pyo.Expression(expr=(1.0 - XC) * b.fuel_carbon, doc="unconverted carbon, char C(s) [mol/s]")
        byp = {}
        for name, sp in SLIP_SPECIES.items():
            if sp in cs:
                byp[sp] = b.par[name] * XC * b.fuel_carbon / float(E[cs.index(sp), ix["C"]])
        byp["NH3"] = byp.get("NH3", 0.0) + b.par["nh3_fraction_of_fuel_N"] * fuel_el("N")
        b.bypass_species = pyo.Set(initialize=list(byp), ordered=True,
                                   doc="species bypassing the equilibrium")
        b.bypass = pyo.Expression(b.bypass_species, rule=lambda b, j: byp[j],
                                  doc="slip and fuel-N NH3 flows outside the equilibrium [mol/s]")

        def inventory(b, e):
            tot = sum(float(E[cs.index(j), ix[e]]) * fin[j] for j in cs.ids
                      if j != "ASH" and E[cs.index(j), ix[e]] != 0)
            tot = tot - sum(float(E[cs.index(j), ix[e]]) * b.bypass[j] for j in byp
                            if E[cs.index(j), ix[e]] != 0)
            return tot - b.char if e == "C" else tot

        b.elements_eq = pyo.Set(initialize=K, ordered=True, doc="elements present in the equilibrium")
        b.species_eq = pyo.Set(initialize=J, ordered=True, doc="gas species of the equilibrium present")
        b.inventory = pyo.Expression(b.elements_eq, rule=inventory,
                                     doc="element inventory of the equilibrium [mol/s]")
        lhv = lhv_molar(cs)
        b.lhv_feed = pyo.Expression(expr=sum(float(lhv[cs.index(j)]) * u.J / u.mol * fin[j] for j in fuel),
                                    doc="LHV of the condensed fuel [W]")
        b.heat_loss = pyo.Expression(expr=b.par["heat_loss_fraction"] * b.lhv_feed,
                                     doc="heat loss = fraction x LHV of the dry feed [W]")
        b.heat_required = pyo.Expression(expr=b.heat + b.heat_loss,
                                         doc="heat to supply from outside = heat + loss [W] (0: autothermal)")

        # -- Gibbs equilibrium
        sg, sa = b.sout("syngas"), b.sout("ash")
        mol_s = u.mol / u.s
        tiny = 1e-300
        b.ln_n = pyo.Var(b.species_eq, initialize={j: float(np.log(max(n_eq[j], tiny))) for j in J},
                         doc="ln(n_j / (mol/s)), equilibrium moles of gas species j [-]")
        n_gas0 = sum(n_eq[j] for j in J)
        b.ln_n_tot = pyo.Var(initialize=float(np.log(max(n_gas0, tiny))),
                             doc="ln(N / (mol/s)), total equilibrium gas moles [-]")
        b.elem_pot = pyo.Var(b.elements_eq, initialize={e: float(pi0.get(e, 0.0)) for e in K},
                             doc="element potential lambda_k / RT [-]")
        if soot:
            b.n_soot = pyo.Var(initialize=float(max(n_eq["C(s)"], 0.0)), units=mol_s,
                               doc="graphite from the equilibrium (soot) [mol/s]")
        Teq = sg.temperature + b.pv("dT_approach")
        Tn = Teq / u.K
        lnP = pyo.log(sg.pressure / (P_REF * u.Pa))

        def a(j, e):
            return float(E[cs.index(j), ix[e]])

        def el_rule(b, e):
            lhs = sum(a(j, e) * pyo.exp(b.ln_n[j]) for j in J if a(j, e) != 0) * mol_s
            if soot and e == "C":
                lhs = lhs + b.n_soot
            return lhs == b.inventory[e]

        b.eq_elements = pyo.Constraint(b.elements_eq, rule=el_rule,
                                       doc="element balance of the equilibrium species")
        b.eq_total = pyo.Constraint(expr=pyo.exp(b.ln_n_tot) == sum(pyo.exp(b.ln_n[j]) for j in J),
                                    doc="total equilibrium gas moles")
        b.eq_chem_pot = pyo.Constraint(
            b.species_eq, rule=lambda b, j: _g_RT_expr(cs, j, Tn) + b.ln_n[j] - b.ln_n_tot + lnP
            == sum(a(j, e) * b.elem_pot[e] for e in K if a(j, e) != 0),
            doc="chemical potential mu_j/RT = sum_k a_jk lambda_k/RT")
        if soot:
            v = float(cs.molar_volume[cs.index("C(s)")])
            b.soot_affinity = pyo.Expression(
                expr=_g_RT_expr(cs, "C(s)", Tn) + v * u.m**3 / u.mol * (sg.pressure - P_REF * u.Pa)
                / (R * u.J / u.mol / u.K * Teq) - b.elem_pot["C"],
                doc="graphite: (g° + v (P - P°))/RT - lambda_C/RT [-], 0 where present, > 0 where absent")
            # present (affinity 0, n >= 0) or absent (n = 0, affinity > 0): the complementarity
            # of the core's phase test, smoothed (Fischer-Burmeister, eps = SOOT_FB_EPS) so that
            # the twin crosses the carbon-deposition boundary instead of freezing the phase
            n_ref = float(max(b0[ix["C"]], 1e-12))  # scale [mol/s]: carbon of the equilibrium
            nh = b.n_soot / (n_ref * mol_s)
            b.eq_soot = pyo.Constraint(
                expr=nh + b.soot_affinity - pyo.sqrt(nh**2 + b.soot_affinity**2 + SOOT_FB_EPS**2) == 0,
                doc="graphite present (affinity 0) or absent (n = 0): smoothed complementarity")

        # -- outlets
        f_gas = {j: pyo.exp(b.ln_n[j]) * mol_s for j in J}
        for j in byp:
            f_gas[j] = f_gas[j] + b.bypass[j] if j in f_gas else b.bypass[j]
        f_ash = {"ASH": fin["ASH"], "C(s)": b.char + (b.n_soot if soot else 0.0)}
        _flow_constraints(b, "eq_syngas", sg, f_gas, "syngas: equilibrium + slips + fuel-N NH3")
        _flow_constraints(b, "eq_ash", sa, f_ash, "ash: inert ash + char (+ soot)")
        if mode == "T":
            b.eq_T = pyo.Constraint(expr=sg.temperature == b.pv("T"), doc="outlet temperature (mode T)")
        else:
            b.eq_adiabatic = pyo.Constraint(expr=b.heat == -b.heat_loss,
                                            doc="adiabatic: heat = -heat loss (outlet T free)")
        b.eq_T_ash = pyo.Constraint(expr=sa.temperature == sg.temperature,
                                    doc="ash at the outlet temperature")
        b.eq_P_syngas = pyo.Constraint(expr=sg.pressure == b.pv("P"), doc="gasifier pressure")
        b.eq_P_ash = pyo.Constraint(expr=sa.pressure == b.pv("P"), doc="ash at the gasifier pressure")
        b.power.fix(0.0)
        b.add_energy_balance()

        # -- design results used by costing and KPIs
        fuels = [j for j in SYNGAS_FUELS if j in cs]
        lhv_gas = sum(float(lhv[cs.index(j)]) * u.J / u.mol * sg.flow_mol_comp[j] for j in fuels)
        dry = fuel + ["ASH"]
        dry_kg = sum(float(mw[cs.index(j)]) * u.kg / u.mol * fin[j] for j in dry)
        _design_expressions(b, {
            "feed_dry_kg_s": dry_kg * (u.s / u.kg),
            "feed_dry_t_per_d": dry_kg * (86.4 * u.s / u.kg),
            "lhv_feed_W": b.lhv_feed / u.W,
            "lhv_syngas_W": lhv_gas / u.W,
            "cold_gas_efficiency": lhv_gas / b.lhv_feed,
            "heat_W": b.heat / u.W,
            "heat_loss_W": b.heat_loss / u.W,
            "heat_required_W": b.heat_required / u.W,
            "syngas_mol_s": sg.flow_mol / mol_s,
            "T_K": sg.temperature / u.K,
        })

    def _solve_adiabatic(self, ctx, idx, T0, p, m0):
        """Outlet T per case with H_out(T) - H_in + loss = 0 (bracketed secant/Illinois)."""
        lo_b, hi_b = T_ADIABATIC_BOUNDS
        k = idx.size
        dT = p.dT_approach[idx]
        P = p.P[idx]
        target = ctx["h_in"][idx] - ctx["loss"][idx]
        scale = np.maximum(ctx["lhv_feed"][idx], np.abs(ctx["h_in"][idx])) + 1.0
        tol = 1e-12 * scale
        nc = len(ctx["cols"])
        gas = np.full((k, nc), np.nan)
        sol = np.full((k, nc), np.nan)
        Hs = np.full(k, np.nan)
        Tsol = np.array(T0, dtype=float)
        st = np.full(k, "ok", dtype=object)
        moles = np.zeros((k, len(self.eq_species)))
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
            r, g, s_, h = self._evaluate(ctx, idx[a], T_cur[a], T_cur[a] + dT[a], P[a], m0[a], guess)
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
                cp = ((g + s_) * ctx["sub"].cp(T_cur[a])).sum(axis=1)
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

    def _design(self, ctx, p, syngas: Stream, ash: Stream, T: np.ndarray, heat: np.ndarray) -> dict:
        cs = ctx["cs"]
        lhv = ctx["lhv"]
        fl = syngas.flow
        fuels = [cs.index(k) for k in SYNGAS_FUELS if k in cs]
        lhv_gas = fl[:, fuels] @ lhv[fuels]
        tot = fl.sum(axis=1)

        def frac(k):
            return np.divide(fl[:, cs.index(k)], tot, out=np.full_like(tot, np.nan), where=tot > 0)

        def ratio(a, b):
            return np.divide(a, b, out=np.full_like(a, np.nan), where=b > 0)

        vol = tot * R * T / p.P
        c_solid = ash.flow[:, ctx["i_c"]]
        loss = ctx["loss"]
        dry_kg = ctx["dry_kg"]
        return {
            "T_K": T.copy(),
            "T_equilibrium_K": T + p.dT_approach,
            "P_Pa": p.P.copy(),
            "cold_gas_efficiency": ratio(lhv_gas, ctx["lhv_feed"]),
            "carbon_conversion": 1.0 - ratio(c_solid, ctx["c_fuel"]),
            "equivalence_ratio": ratio(ctx["o2_in"], ctx["o2_stoich"]),
            "steam_to_dry_feed": ratio(ctx["steam_kg"], dry_kg),
            "h2_co_ratio": ratio(fl[:, cs.index("H2")], fl[:, cs.index("CO")]),
            "x_H2": frac("H2"), "x_CO": frac("CO"), "x_CO2": frac("CO2"), "x_CH4": frac("CH4"),
            "x_H2O": frac("H2O"),
            "syngas_mol_s": tot,
            "syngas_m3_per_s": vol,
            "syngas_Nm3_per_h": tot * R * NORMAL_T / NORMAL_P * 3600.0,
            "volume_m3": vol * p.residence_time,
            "feed_dry_kg_s": dry_kg,
            "feed_dry_t_per_d": dry_kg * 86.4,
            "lhv_feed_W": ctx["lhv_feed"],
            "lhv_feed_MW": ctx["lhv_feed"] / 1e6,
            "lhv_syngas_W": lhv_gas,
            "heat_W": heat,
            "heat_loss_W": loss,
            "heat_required_W": heat + loss,
            "o2_kg_s": ctx["o2_in"] * cs.molar_mass[cs.index("O2")],
            "steam_kg_s": ctx["steam_kg"],
            "char_kg_s": c_solid * cs.molar_mass[ctx["i_c"]],
            "soot_kg_s": (c_solid - ctx["char"]) * cs.molar_mass[ctx["i_c"]],
        }


def autothermal_spec(gasifier_id: str, oxidant_unit_param: str, lower: float, upper: float, *,
                     tol: float | None = None, id: str | None = None) -> DesignSpec:
    """Design spec that makes a ``mode="T"`` gasifier autothermal: vary ``oxidant_unit_param``
    (e.g. ``"air.flow"`` of the GasSource feeding the ASU, or ``"oxygen.flow"``) within
    [lower, upper] so that the gasifier's ``heat_required_W`` (heat + heat loss) is 0.

    Choose ``upper`` at an equivalence ratio of about 1 or less: beyond complete combustion
    the heat demand rises again (the excess O2 has to be heated), so the residual is not
    monotonic over very wide bounds; and ``lower`` where the gas-only equilibrium is still
    feasible (or build the gasifier with ``solid_carbon=True``), since a case that fails at
    a bound is flagged by the spec solver.

    Example
    -------
    >>> spec = autothermal_spec("gasifier", "air.flow", 100.0, 5000.0)
    >>> spec.vary, spec.target
    ('air.flow', 0.0)
    """

    def measure(state) -> np.ndarray:
        return state.unit(gasifier_id).design["heat_required_W"]

    def pyomo_measure(m):
        return getattr(m.fs, gasifier_id).design["heat_required_W"]

    return DesignSpec(id or f"{gasifier_id}_autothermal", oxidant_unit_param, measure, 0.0,
                      float(lower), float(upper), tol=tol,
                      doc=f"{gasifier_id}: heat + heat loss = 0 (autothermal) by {oxidant_unit_param}",
                      measured_unit=gasifier_id, pyomo_measure=pyomo_measure)


class AirSeparationUnit(Unit):
    """Cryogenic air separation: oxygen of ``purity`` (mol O2, balance argon and nitrogen) in
    ``o2``; the rest of the air (N2, remaining O2 and Ar, and the CO2 and water removed by the
    front-end purification) in ``n2``.

    Of the air's O2 the fraction ``o2_recovery`` goes to the product. The impurity of the
    product is ``ar_share_of_impurity`` argon (argon boils at 87.3 K, close to O2 at 90.2 K, so
    it is the main impurity of 99.5 % oxygen), limited to the argon available, and N2 for the
    rest. Power = ``specific_power_kWh_per_t`` x O2 product; it is rejected to cooling water
    (products leave at ``T_out``), so ``heat = H_out - H_in - power``.

    Parameters
    ----------
    purity : O2 mole fraction of the product [-], default 0.995.
    o2_recovery : [-], default 0.95 (assumption).
    specific_power_kWh_per_t : [kWh per t of O2 product], default 200: the benchmark of
        0.28 kWh/Nm3 O2 (~196 kWh/t) of Alsultanny & Al-Shammari (2014) for modern cryogenic
        ASUs; older plants 0.46-0.64 kWh/Nm3. Compression of the O2 to gasifier pressure adds
        to it.
    ar_share_of_impurity : [-], default 0.9 (assumption).
    T_out : product temperature [K], default 298.15.

    Design results
    --------------
    o2_kg_s, o2_t_per_d, o2_short_ton_per_d (cost basis of ``ref.air_separation_unit_netl``,
    US short tons per day), purity, power_kW, air_mol_s.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> from carbonhub.unitops.sources import AIR
    >>> cs = ComponentSet.default()
    >>> air = Stream.from_flows(cs, {k: 100.0 * v for k, v in AIR.items()}, T=298.15, P=101325.0)
    >>> asu = AirSeparationUnit("asu")
    >>> asu.cs = cs
    >>> r = asu.run({"air": air}, asu.resolve({}, 1))
    >>> round(float(r.outlets["o2"].mole_fractions[0, cs.index("O2")]), 6)
    0.995
    >>> round(float(r.design["power_kW"][0]), 1)      # 200 kWh/t x 19.9 mol/s x 32 g/mol
    458.5

    References
    ----------
    Alsultanny, Y.A., Al-Shammari, N.N. (2014). Oxygen specific power consumption comparison for
    air separation units. Engineering Journal 18(2), 67-80, doi:10.4186/ej.2014.18.2.67.
    Smith, A.R., Klosek, J. (2001). A review of air separation technologies and their
    integration with energy conversion processes. Fuel Processing Technology 70, 115-134,
    doi:10.1016/S0378-3820(01)00131-X.
    """

    inlets = ("air",)
    outlets = ("o2", "n2")
    params = {
        "purity": Param(0.995, "", 0.5, 0.99999, "O2 mole fraction of the product [-]"),
        "o2_recovery": Param(0.95, "", 0.01, 1.0, "fraction of the air's O2 in the product [-]"),
        "specific_power_kWh_per_t": Param(200.0, "kWh/t", 10.0, 2000.0,
                                          "electricity per t of O2 product [kWh/t]"),
        "ar_share_of_impurity": Param(0.9, "", 0.0, 1.0, "argon share of the product impurity [-]"),
        "T_out": Param(298.15, "K", 200.0, 600.0, "product temperature [K]"),
    }
    costs = (Cost("ref.air_separation_unit_netl", "o2_short_ton_per_d"),)

    def run(self, ins, p) -> UnitResult:
        s = ins["air"]
        s.validate()
        cs = s.cs
        n = s.n_cases
        io2, iar, in2 = cs.index("O2"), cs.index("Ar"), cs.index("N2")
        o2 = p.o2_recovery * s.flow[:, io2]
        imp = o2 * (1.0 - p.purity) / p.purity
        ar = np.minimum(p.ar_share_of_impurity * imp, s.flow[:, iar])
        n2 = imp - ar
        status = None
        short = n2 > s.flow[:, in2] * (1 + 1e-12)
        if short.any():
            status = np.where(short, "not enough N2 + Ar in the air for this purity", "ok").astype(object)
            n2 = np.minimum(n2, s.flow[:, in2])
        prod = np.zeros_like(s.flow)
        prod[:, io2], prod[:, iar], prod[:, in2] = o2, ar, n2
        rest = s.flow - prod
        T = p.T_out.copy()
        o2s = Stream(cs, prod, T, s.P.copy(), s.origin.copy(), check=False)
        n2s = Stream(cs, rest, T.copy(), s.P.copy(), s.origin.copy(), check=False)
        o2_kg = o2 * cs.molar_mass[io2]
        power = p.specific_power_kWh_per_t * KWH / 1000.0 * o2_kg
        heat = o2s.enthalpy + n2s.enthalpy - s.enthalpy - power
        tot = prod.sum(axis=1)
        design = {
            "o2_kg_s": o2_kg,
            "o2_t_per_d": o2_kg * 86.4,
            "o2_short_ton_per_d": o2_kg * 86400.0 / SHORT_TON,
            "purity": np.divide(o2, tot, out=np.full(n, np.nan), where=tot > 0),
            "power_kW": power / 1000.0,
            "air_mol_s": s.total_flow,
        }
        util = {"electricity_W": power, "cooling_W": np.maximum(-heat, 0.0)}
        return UnitResult({"o2": o2s, "n2": n2s}, heat, power, design, util, status)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: O2 product = recovery x O2 in; impurity = O2 (1 - purity)/purity, argon
        ``ar_share_of_impurity`` of it (or all the argon, whichever is less: the branch is frozen
        at the core solution), N2 the rest; both products at ``T_out`` and the inlet pressure;
        power = specific power x O2 product; heat from the energy balance."""
        import pyomo.environ as pyo

        from .pretreatment import _design_expressions, _flow_constraints

        u = pyo.units
        cs = b.config.property_package.cs
        fa, so, sn = b.sin("air"), b.sout("o2"), b.sout("n2")
        s0 = init.inlets["air"]
        pur, rec, share = (float(p[k]) for k in ("purity", "o2_recovery", "ar_share_of_impurity"))
        o2_0 = rec * float(s0.flow[0, cs.index("O2")])
        ar_limited = share * o2_0 * (1.0 - pur) / pur > float(s0.flow[0, cs.index("Ar")])
        b.o2_product = pyo.Expression(expr=b.par["o2_recovery"] * fa.flow_mol_comp["O2"],
                                      doc="O2 in the product [mol/s]")
        b.impurity = pyo.Expression(expr=b.o2_product * (1.0 - b.par["purity"]) / b.par["purity"],
                                    doc="Ar + N2 in the product [mol/s]")
        ar = fa.flow_mol_comp["Ar"] if ar_limited else b.par["ar_share_of_impurity"] * b.impurity
        prod = {"O2": b.o2_product, "Ar": ar, "N2": b.impurity - ar}
        _flow_constraints(b, "eq_o2", so, prod, "oxygen product")
        rest = {j: fa.flow_mol_comp[j] - prod[j] if j in prod else fa.flow_mol_comp[j] for j in cs.ids}
        _flow_constraints(b, "eq_n2", sn, rest, "rest of the air")
        for name, st in (("o2", so), ("n2", sn)):
            b.add_component(f"eq_T_{name}", pyo.Constraint(expr=st.temperature == b.pv("T_out"),
                                                           doc=f"{name} at T_out"))
        b.same_state("o2", "air", T=False)
        b.same_state("n2", "air", T=False)
        o2_kg = b.o2_product * (float(cs.molar_mass[cs.index("O2")]) * u.kg / u.mol)
        b.eq_power = pyo.Constraint(
            expr=b.power == u.convert(b.pv("specific_power_kWh_per_t") * o2_kg, to_units=u.W),
            doc="power = specific power x O2 product")
        b.add_energy_balance()
        _design_expressions(b, {
            "o2_kg_s": o2_kg * (u.s / u.kg),
            "o2_t_per_d": o2_kg * (86.4 * u.s / u.kg),
            "o2_short_ton_per_d": o2_kg * (86400.0 / SHORT_TON * u.s / u.kg),
            "power_kW": b.power / (1000.0 * u.W),
        })
