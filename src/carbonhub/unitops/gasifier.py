"""Gasification: an equilibrium gasifier (O2/steam- or air-blown) and its autothermal design spec. Batched numpy: one call gasifies n cases; the Gibbs equilibrium is
:func:`carbonhub.thermo.equilibrate` (batched, warm-started inside the adiabatic solve).

Example
-------
>>> import numpy as np
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> from carbonhub.unitops.gasifier import Gasifier
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
from ..core.stream import Stream, lhv_molar
from ..core.unit import Cost, Param, ParameterValueError, Unit, UnitResult
from ..thermo.components import ELEMENTS
from ..thermo.equilibrium import equilibrate
from ..thermo.nasa7 import P_REF, R
from .gasifier_model import (SLIP_SPECIES, SYNGAS_FUELS, design_results, evaluate, initial_moles, prepare_feed,
                             solve_adiabatic)
from ._common import zeros

__all__ = ["Gasifier", "autothermal_spec", "EQ_SPECIES", "SYNGAS_FUELS"]

EQ_SPECIES: tuple[str, ...] = ("H2", "CO", "CO2", "H2O", "CH4", "N2", "Ar", "H2S", "COS", "NH3",
                               "HCl", "O2", "SO2")
"""Gas species of the gasifier equilibrium (C2H4 and C2H6 are added with ``include_c2=True``).
O2 and SO2 are there so that over-oxidised (ER >= 1) cases stay solvable; at gasification
conditions both are below 1e-15 mol/mol."""

SOOT_FB_EPS = 1e-7
"""Smoothing of the graphite complementarity in the twin (n/n_C + a - sqrt((n/n_C)^2 + a^2 +
eps^2) = 0): where graphite is present the affinity a is eps^2/(2 n/n_C), where it is absent
n/n_C = eps^2/(2 a); both far below the 1e-6 agreement with the core except within ~eps of the
phase boundary."""


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
    residence time), feed_dry_kg_s, feed_dry_t_per_d (cost basis of both blocks,
    ``ref.gasifier_fluidised_bed_biomass`` and ``ref.gasifier_entrained_flow_biomass``),
    lhv_feed_W, lhv_feed_MW, lhv_syngas_W, heat_W, heat_loss_W,
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
                      "(fluidised_bed or entrained_flow; both incl. the syngas cooler; the indirectly "
                      "heated one is carbonhub.unitops.indirect_gasifier.IndirectGasifier)",
                      choices=("fluidised_bed", "entrained_flow")),
    }
    costs = (Cost("ref.gasifier_fluidised_bed_biomass", "feed_dry_t_per_d",
                  when=("type", ("fluidised_bed",))),
             Cost("ref.gasifier_entrained_flow_biomass", "feed_dry_t_per_d",
                  when=("type", ("entrained_flow",))))

    def __init__(self, id: str, *, include_c2: bool = False, solid_carbon: bool = False,
                 **values: Any):
        super().__init__(id, **values)
        self.include_c2 = bool(include_c2)
        self.solid_carbon = bool(solid_carbon)
        self.eq_species = (EQ_SPECIES + (("C2H4", "C2H6") if self.include_c2 else ())
                           + (("C(s)",) if self.solid_carbon else ()))





    # -- run -----------------------------------------------------------------------------------
    def run(self, ins, p) -> UnitResult:
        ctx = prepare_feed(self.inlet_names, self.eq_species, dict(ins), p)
        cs, n = ctx.cs, ctx.n
        mode = np.broadcast_to(np.asarray(p.mode), (n,))
        m0, feasible = initial_moles(ctx.inv, self.eq_species, self.solid_carbon)
        status = np.full(n, "ok", dtype=object)
        status[~feasible] = ("O and H too low to keep the converted carbon in the gas (raise "
                             "oxidant/steam, lower carbon_conversion, or use solid_carbon=True)")
        T = np.array(p.T, dtype=float)
        nsub = len(ctx.columns.cols)
        gas = np.full((n, nsub), np.nan)
        solids = np.full((n, nsub), np.nan)
        H_out = np.full(n, np.nan)
        fixed = np.flatnonzero(feasible & (mode == "T"))
        if fixed.size:
            T_eq = T[fixed] + p.dT_approach[fixed]
            if (T_eq <= 200.0).any():
                raise ParameterValueError(f"{self.id}: T + dT_approach = {T_eq.min():g} K: expected > 200 K")
            warm = p.warm("equilibrium", len(self.eq_species)) if getattr(p, "scratch", None) is not None else None
            r, g, s_, h = evaluate(ctx, self.eq_species, fixed, T[fixed], T_eq, p.P[fixed], m0[fixed],
                                         None if warm is None else warm[fixed])
            gas[fixed], solids[fixed], H_out[fixed] = g, s_, h
            if getattr(p, "scratch", None) is not None:  # warm start for the next iteration
                p.keep("equilibrium", r.moles, fixed)
            bad = r.status != "ok"
            status[fixed[bad]] = [f"equilibrium: {x}" for x in r.status[bad]]
        adia = np.flatnonzero(feasible & (mode == "adiabatic"))
        if adia.size:
            Ta, g, s_, h, st = solve_adiabatic(ctx, self.eq_species, adia, T[adia], p, m0[adia])
            T[adia], gas[adia], solids[adia], H_out[adia] = Ta, g, s_, h
            status[adia] = np.where(st == "ok", status[adia], st)
        ok = status == "ok"
        gas_full = np.zeros((n, len(cs)))
        sol_full = np.zeros((n, len(cs)))
        gas_full[:, ctx.columns.cols] = gas
        sol_full[:, ctx.columns.cols] = solids
        gas_full[~ok] = np.nan
        sol_full[~ok] = np.nan
        syngas = Stream(cs, gas_full, T, p.P.copy(), ctx.origin, check=False)
        ash = Stream(cs, sol_full, T.copy(), p.P.copy(), ctx.origin.copy(), check=False)
        heat = H_out - ctx.h_in
        design = design_results(ctx, p, syngas, ash, T, heat)
        req = heat + ctx.loss
        util = {"fired_heat_W": np.maximum(req, 0.0), "cooling_W": np.maximum(-req, 0.0)}
        return UnitResult({"syngas": syngas, "ash": ash}, heat, zeros(n), design, util,
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

        from ..twin.helpers import design_expressions, flow_constraints
        from ..twin.properties import nasa_g_RT_expr

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
        ctx = prepare_feed(self.inlet_names, self.eq_species, {k: init.inlets[k] for k in self.inlet_names}, pr)
        m0, _ = initial_moles(ctx.inv, self.eq_species, self.solid_carbon)
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
            b.species_eq, rule=lambda b, j: nasa_g_RT_expr(cs, j, Tn) + b.ln_n[j] - b.ln_n_tot + lnP
            == sum(a(j, e) * b.elem_pot[e] for e in K if a(j, e) != 0),
            doc="chemical potential mu_j/RT = sum_k a_jk lambda_k/RT")
        if soot:
            v = float(cs.molar_volume[cs.index("C(s)")])
            b.soot_affinity = pyo.Expression(
                expr=nasa_g_RT_expr(cs, "C(s)", Tn) + v * u.m**3 / u.mol * (sg.pressure - P_REF * u.Pa)
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
        flow_constraints(b, "eq_syngas", sg, f_gas, "syngas: equilibrium + slips + fuel-N NH3")
        flow_constraints(b, "eq_ash", sa, f_ash, "ash: inert ash + char (+ soot)")
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
        design_expressions(b, {
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
