"""Torrefaction (mild pyrolysis) of solid biomass feeds."""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream, lhv_molar, mix_origins
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo.components import ELEMENTS
from ..thermo.nasa7 import R
from ..twin.helpers import design_expressions, flow_constraints
from ._common import OPERATING_HOURS, P_ATM, validate_feed, zeros
from .pretreatment import organic_columns
from ..thermo.rowdot import rowdot, rowsum

__all__ = ["Torrefaction"]

TORR_T_REF = 553.15
"""Reference temperature of the mass-loss kinetics [K] (280 °C)."""

VOLATILE_SPECIES = ("H2O", "CO2", "CO", "CH4", "CH3OH", "NH3", "H2S", "HCl")
"""Species of the released volatiles (torgas); acetic acid C2H4O2 is lumped as CH4 + CO2."""


class Torrefaction(Unit):
    """Torrefaction (mild pyrolysis, 200-300 °C, inert atmosphere) of a solid biomass feed.

    Mass loss of the dry ash-free organics follows a first-order global kinetics towards an
    asymptote (the reactive, mostly hemicellulose, fraction):

        ML = ML_max (1 - exp(-k t)),   k = k_ref exp(-E/R (1/T - 1/T_ref)),  T_ref = 553.15 K,

    with the defaults calibrated to the typical torrefaction point of Bergman et al. (2005),
    ~70 % mass yield at ~280 °C and 17.5 min (k_ref = ln 4 / 1050 s with ML_max = 0.40).
    The energy (LHV) yield follows Bergman's typical balance, 30 % of the mass carrying 10 % of
    the energy: EY = 1 - r_E ML with r_E = 1/3.

    Representation with fixed components: per mol ``ORG_<feed>`` in, a fraction x is
    decomposed and y mol graphite ``C(s)`` formed, so that the solid (1-x) ORG + y C(s) has the
    mass yield (x M - y M_C = ML M) and the energy yield ((1-x) LHV_org + y LHV_C = EY LHV_org;
    LHVs from the heats of formation, :func:`carbonhub.core.stream.lhv_molar`). The released
    elements (C = x - y, H = a x, O = b x, and all N, S, Cl of the decomposed organics) form the
    volatiles: N, S, Cl as NH3, H2S, HCl; C, H, O over H2O, CO2, CO, CH4 and CH3OH with fixed
    molar ratios CO/CO2 and CH3OH/CO2, H2O, CO2 and CH4 from the exact element balance (a 3x3
    linear solve per case and organic). CH4 + CO2 is the element-exact lump of acetic acid, the
    main organic of torgas (its LHV differs by 2 % from acetic acid's). All moisture evaporates
    into the volatiles. Solids and volatiles leave at ``T``; heat from the enthalpy balance.

    Limitation (documented, see ``reaction_heat_kJ_per_kg``): because the solid is ORG plus
    graphite, matching 70 % mass and 90 % energy yield leaves volatiles that are mostly water,
    the carbon yield is 0.96 (measured: ~0.8) and the apparent reaction heat is exothermic
    (-0.92 MJ/kg dry organics at the reference point), whereas measured torrefaction heats are
    small: the heat duty is too low by about that amount, and the torgas carries too little
    carbon and LHV (3.0 MJ/kg). A case whose
    element balance would need negative volatiles (feeds far from lignocellulose, e.g. plastics)
    is flagged in ``status`` and passed through unreacted.

    Parameters
    ----------
    T : float            torrefaction temperature [K], 473.15-573.15, default 553.15
    residence_time : float   solids residence time [s], default 1050 (17.5 min)
    mass_loss_max : float    asymptotic mass loss of the organics [-], default 0.40
    k_ref : float        rate constant at T_ref [1/s], default ln(4)/1050
    activation_energy : float  apparent activation energy [J/mol], default 110e3 (between the
                         two steps of the willow kinetics of Prins et al. 2006a)
    energy_loss_ratio : float  r_E in EY = 1 - r_E ML [-], default 1/3 (Bergman et al. 2005)
    co_to_co2, ch3oh_to_co2 : float  molar ratios in the volatiles, defaults 0.3 and 0.1

    Design results
    --------------
    mass_yield (solid organics out / organics in, daf), energy_yield (LHV), energy_densification,
    mass_yield_dry (incl. ash), carbon_yield, product_t_per_h, product_t_per_y (cost basis of
    ``ref.torrefaction``, 8410 h/y), feed_dry_t_per_h, solids_holdup_kg, heat_W,
    reaction_heat_kJ_per_kg (at 298.15 K per kg dry organics, negative = exothermic),
    torgas_lhv_MJ_per_kg.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.default()
    >>> s = Stream.from_flows(cs, {"ORG_wood_chips": 100.0, "ASH": 0.5, "H2O(L)": 10.0},
    ...                       T=298.15, P=1e5)
    >>> u = Torrefaction("torr", T=553.15, residence_time=1050.0)
    >>> u.cs = cs
    >>> r = u.run({"feed": s}, u.resolve({}, 1))
    >>> round(float(r.design["mass_yield"][0]), 4), round(float(r.design["energy_yield"][0]), 4)
    (0.7, 0.9)

    References
    ----------
    Bergman, P.C.A., Boersma, A.R., Zwart, R.W.R., Kiel, J.H.A. (2005). Torrefaction for biomass
    co-firing in existing coal-fired power stations ("BIOCOAL"). ECN report ECN-C--05-013,
    Energy research Centre of the Netherlands (typical balance: 70 % mass, 90 % energy yield).
    Prins, M.J., Ptasinski, K.J., Janssen, F.J.J.G. (2006a). Torrefaction of wood. Part 1.
    Weight loss kinetics. J. Anal. Appl. Pyrolysis 77, 28-34, doi:10.1016/j.jaap.2006.01.002.
    Prins, M.J., Ptasinski, K.J., Janssen, F.J.J.G. (2006b). Torrefaction of wood. Part 2.
    Analysis of products. J. Anal. Appl. Pyrolysis 77, 35-40, doi:10.1016/j.jaap.2006.01.001
    (willow: 20.7 MJ/kg after 15 min at 270 °C vs 17.7 MJ/kg untreated).
    """

    inlets = ("feed",)
    outlets = ("out", "volatiles")
    params = {
        "T": Param(553.15, "K", 473.15, 573.15, "torrefaction temperature [K]"),
        "residence_time": Param(1050.0, "s", 10.0, 14400.0, "solids residence time [s]"),
        "mass_loss_max": Param(0.40, "", 0.01, 0.9, "asymptotic mass loss of the organics [-]"),
        "k_ref": Param(float(np.log(4.0) / 1050.0), "1/s", 1e-8, 1.0,
                       "first-order mass-loss rate constant at 553.15 K [1/s]"),
        "activation_energy": Param(110e3, "J/mol", 1e3, 400e3,
                                   "apparent activation energy of the mass loss [J/mol]"),
        "energy_loss_ratio": Param(1.0 / 3.0, "", 0.0, 1.0,
                                   "energy yield = 1 - ratio x mass loss [-]"),
        "co_to_co2": Param(0.3, "", 0.0, 10.0, "molar CO/CO2 of the volatiles [-]"),
        "ch3oh_to_co2": Param(0.1, "", 0.0, 10.0, "molar CH3OH/CO2 of the volatiles [-]"),
        "P": Param(P_ATM, "Pa", 1e4, 1e7, "pressure [Pa]"),
    }
    costs = (Cost("ref.torrefaction", "product_t_per_y"),)

    def mass_loss(self, p) -> np.ndarray:
        """Mass loss of the dry ash-free organics [-] (n,)."""
        k = p.k_ref * np.exp(-p.activation_energy / R * (1.0 / p.T - 1.0 / TORR_T_REF))
        return p.mass_loss_max * (1.0 - np.exp(-k * p.residence_time))

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        validate_feed(s, self.id)
        cs = s.cs
        n = s.n_cases
        E = cs.element_matrix
        mw = cs.molar_mass
        lhv = lhv_molar(cs)
        ix = {e: ELEMENTS.index(e) for e in ELEMENTS}
        ic = cs.index("C(s)")
        iv = {k: cs.index(k) for k in VOLATILE_SPECIES}
        orgs = organic_columns(cs)
        ML = self.mass_loss(p)
        r1, r2 = p.co_to_co2, p.ch3oh_to_co2
        s1 = 1.0 + r1 + r2  # C per mol CO2-group
        s2 = 2.0 + r1 + r2  # O per mol CO2-group
        sh = 4.0 * r2  # H per mol CO2-group
        f_sol = np.where(cs.is_gas[None, :], 0.0, s.flow)
        iw = cs.index("H2O(L)")
        f_sol[:, iw] = 0.0
        f_vol = np.where(cs.is_gas[None, :], s.flow, 0.0)
        f_vol[:, iv["H2O"]] += s.flow[:, iw]  # all moisture evaporates
        feasible = np.ones(n, dtype=bool)
        dec = np.zeros((n, len(cs)))  # reaction change (products - reactants) [mol/s]
        MC, LC = mw[ic], lhv[ic]
        for j in orgs:
            nj = s.flow[:, j]
            if not (nj > 0).any():
                continue
            M, L = mw[j], lhv[j]
            a, b = E[j, ix["H"]], E[j, ix["O"]]
            nN, nS, nCl = E[j, ix["N"]], E[j, ix["S"]], E[j, ix["Cl"]]
            # mass and energy yield -> x (ORG decomposed), y (graphite formed) per mol ORG
            den = LC * M / MC - L
            x = ML * (LC * M / MC - p.energy_loss_ratio * L) / den
            y = M * (x - ML) / MC
            Cv = x - y
            Hv = x * (a - 3 * nN - 2 * nS - nCl)
            Ov = x * b
            c = (2 * Ov + 4 * Cv - Hv) / (2 * s2 + 4 * s1 - sh)
            m = Cv - c * s1
            w = Ov - c * s2
            ok = (x >= 0) & (x <= 1) & (y >= 0) & (c >= 0) & (m >= 0) & (w >= 0)
            ok |= nj <= 0
            feasible &= ok
            g = np.where(ok, nj, 0.0)
            dec[:, j] -= g * x
            dec[:, ic] += g * y
            dec[:, iv["H2O"]] += g * w
            dec[:, iv["CO2"]] += g * c
            dec[:, iv["CO"]] += g * c * r1
            dec[:, iv["CH3OH"]] += g * c * r2
            dec[:, iv["CH4"]] += g * m
            dec[:, iv["NH3"]] += g * x * nN
            dec[:, iv["H2S"]] += g * x * nS
            dec[:, iv["HCl"]] += g * x * nCl
        solid_cols = ~cs.is_gas
        f_sol = f_sol + np.where(solid_cols[None, :], dec, 0.0)
        f_vol = f_vol + np.where(solid_cols[None, :], 0.0, dec)
        origin = mix_origins([s])
        T = p.T.copy()
        out = Stream(cs, f_sol, T, p.P.copy(), origin, check=False)
        vol = Stream(cs, f_vol, T.copy(), p.P.copy(), origin.copy(), check=False)
        heat = out.enthalpy + vol.enthalpy - s.enthalpy
        # yields (organics only: ORG_* and graphite formed)
        org_in_kg = rowdot(s.flow[:, orgs], mw[orgs])
        org_in_lhv = rowdot(s.flow[:, orgs], lhv[orgs])
        org_out_kg = rowdot(f_sol[:, orgs], mw[orgs]) + dec[:, ic] * MC
        org_out_lhv = rowdot(f_sol[:, orgs], lhv[orgs]) + dec[:, ic] * LC
        c_in = rowdot(s.flow[:, orgs], E[orgs, ix["C"]])
        c_out = rowdot(f_sol[:, orgs], E[orgs, ix["C"]]) + dec[:, ic]
        solid_mask = ~cs.is_gas.copy()
        solid_mask[iw] = False
        dry_in = rowsum((s.flow * mw)[:, solid_mask])
        dry_out = out.mass_flow
        h298 = cs.h(np.array([298.15]))[0]
        dh = rowdot(dec, h298)
        vol_kg = rowsum(np.where(solid_cols[None, :], 0.0, dec) * mw)
        vol_lhv = rowdot(np.where(solid_cols[None, :], 0.0, dec), lhv)

        def ratio(a_, b_):
            return np.divide(a_, b_, out=np.full(n, np.nan), where=b_ > 0)

        my = ratio(org_out_kg, org_in_kg)
        ey = ratio(org_out_lhv, org_in_lhv)
        design = {
            "mass_yield": my,
            "energy_yield": ey,
            "energy_densification": ratio(ey, my),
            "mass_yield_dry": ratio(dry_out, dry_in),
            "carbon_yield": ratio(c_out, c_in),
            "product_t_per_h": dry_out * 3.6,
            "product_t_per_y": dry_out * 3.6 * OPERATING_HOURS,
            "feed_dry_t_per_h": dry_in * 3.6,
            "solids_holdup_kg": dry_in * p.residence_time,
            "heat_W": heat,
            "reaction_heat_kJ_per_kg": ratio(dh, org_in_kg) / 1000.0,
            "torgas_lhv_MJ_per_kg": ratio(vol_lhv, vol_kg) / 1e6,
        }
        status = None
        if not feasible.all():
            status = np.where(feasible, "ok",
                              "element balance of the volatiles infeasible for this "
                              "feed (needs a lignocellulosic feed; O/C or H/C too far from wood)"
                              ).astype(object)
        util = {"fired_heat_W": np.maximum(heat, 0.0), "cooling_W": np.maximum(-heat, 0.0)}
        return UnitResult({"out": out, "volatiles": vol}, heat, zeros(n), design, util, status)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: the mass loss, the decomposed fraction x, the graphite y and the volatiles
        (H2O, CO2, CO, CH4, CH3OH, NH3, H2S, HCl) per mol of each organic as algebraic
        expressions of the parameters (T, residence time, kinetics, yields, ratios: all can be
        optimised); moisture evaporates; solids and volatiles at ``T`` and ``P``; heat from the
        energy balance. As in the core, the feasibility of the volatiles (x, y, c, m, w >= 0) is
        not a constraint: the core flags such cases and no twin is built for them."""
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        E, mw, lhv = cs.element_matrix, cs.molar_mass, lhv_molar(cs)
        ix = {e: ELEMENTS.index(e) for e in ELEMENTS}
        fi, so, sv = b.sin("feed"), b.sout("out"), b.sout("volatiles")
        gas = {j: bool(g) for j, g in zip(cs.ids, cs.is_gas)}
        orgs = [cs.ids[i] for i in organic_columns(cs)]
        MC, LC = float(mw[cs.index("C(s)")]), float(lhv[cs.index("C(s)")])
        Rg = R * u.J / u.mol / u.K
        k = b.pv("k_ref") * pyo.exp(-b.pv("activation_energy") / Rg
                                    * (1.0 / b.pv("T") - 1.0 / (TORR_T_REF * u.K)))
        b.mass_loss = pyo.Expression(
            expr=b.par["mass_loss_max"] * (1.0 - pyo.exp(-k * b.pv("residence_time"))),
            doc="mass loss of the dry ash-free organics [-]")
        r1, r2, elr = b.par["co_to_co2"], b.par["ch3oh_to_co2"], b.par["energy_loss_ratio"]
        s1, s2, sh = 1.0 + r1 + r2, 2.0 + r1 + r2, 4.0 * r2
        ML = b.mass_loss
        b.orgs = pyo.Set(initialize=orgs, ordered=True, doc="organic pseudo-components")
        const = {}
        for j in orgs:
            i = cs.index(j)
            M, L = float(mw[i]), float(lhv[i])
            const[j] = dict(M=M, L=L, den=LC * M / MC - L, a=float(E[i, ix["H"]]), bO=float(E[i, ix["O"]]),
                            nN=float(E[i, ix["N"]]), nS=float(E[i, ix["S"]]), nCl=float(E[i, ix["Cl"]]))
        b.x_dec = pyo.Expression(
            b.orgs, rule=lambda b, j: ML * (LC * const[j]["M"] / MC - elr * const[j]["L"]) / const[j]["den"],
            doc="mol organic decomposed per mol in [-]")
        b.y_char = pyo.Expression(b.orgs, rule=lambda b, j: const[j]["M"] * (b.x_dec[j] - ML) / MC,
                                  doc="mol graphite formed per mol organic in [-]")

        def _cv(j):
            return b.x_dec[j] - b.y_char[j]

        def _hv(j):
            c = const[j]
            return b.x_dec[j] * (c["a"] - 3 * c["nN"] - 2 * c["nS"] - c["nCl"])

        def _ov(j):
            return b.x_dec[j] * const[j]["bO"]

        b.n_co2 = pyo.Expression(b.orgs, rule=lambda b, j: (2 * _ov(j) + 4 * _cv(j) - _hv(j))
                                 / (2 * s2 + 4 * s1 - sh), doc="mol CO2 released per mol organic in [-]")
        b.n_ch4 = pyo.Expression(b.orgs, rule=lambda b, j: _cv(j) - b.n_co2[j] * s1,
                                 doc="mol CH4 released per mol organic in [-]")
        b.n_h2o = pyo.Expression(b.orgs, rule=lambda b, j: _ov(j) - b.n_co2[j] * s2,
                                 doc="mol H2O released per mol organic in [-]")
        f_sol = {j: fi.flow_mol_comp[j] for j in cs.ids if not gas[j] and j != "H2O(L)"}
        f_vol = {j: fi.flow_mol_comp[j] for j in cs.ids if gas[j]}
        f_vol["H2O"] = f_vol["H2O"] + fi.flow_mol_comp["H2O(L)"]

        def add(d, j, term):
            d[j] = d[j] + term if j in d else term

        for j in orgs:
            g, c = fi.flow_mol_comp[j], const[j]
            add(f_sol, j, -g * b.x_dec[j])
            add(f_sol, "C(s)", g * b.y_char[j])
            add(f_vol, "H2O", g * b.n_h2o[j])
            add(f_vol, "CO2", g * b.n_co2[j])
            add(f_vol, "CO", g * b.n_co2[j] * r1)
            add(f_vol, "CH3OH", g * b.n_co2[j] * r2)
            add(f_vol, "CH4", g * b.n_ch4[j])
            for sp, n in (("NH3", c["nN"]), ("H2S", c["nS"]), ("HCl", c["nCl"])):
                if n:
                    add(f_vol, sp, g * b.x_dec[j] * n)
        flow_constraints(b, "eq_out", so, f_sol, "torrefied solids")
        flow_constraints(b, "eq_volatiles", sv, f_vol, "volatiles (torgas) incl. the moisture")
        for name, st in (("out", so), ("volatiles", sv)):
            b.add_component(f"eq_T_{name}", pyo.Constraint(expr=st.temperature == b.pv("T"),
                                                           doc=f"{name} at the torrefaction temperature"))
            b.add_component(f"eq_P_{name}", pyo.Constraint(expr=st.pressure == b.pv("P"),
                                                           doc=f"{name} at the torrefaction pressure"))
        b.power.fix(0.0)
        b.add_energy_balance()
        design_expressions(b, {
            "product_t_per_h": so.flow_mass * (3.6 * u.s / u.kg),
            "product_t_per_y": so.flow_mass * (3.6 * OPERATING_HOURS * u.s / u.kg),
            "heat_W": b.heat / u.W,
        })
