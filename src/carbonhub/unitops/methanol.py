"""Equilibrium methanol synthesis.

A methanol *loop* is not a unit: it is a flowsheet (feed -> mixer -> heater/compressor ->
:class:`MethanolReactor` -> flash -> purge splitter -> recycle), see
``tests/unitops/test_synthesis.py::test_methanol_loop_*``.
"""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo.components import default_components
from ..thermo.equilibrium import equilibrate
from ..twin.helpers import eo_design, eo_outlet
from ._common import DAY, HOUR, barg, NORMAL_MOLAR_VOLUME, checked_inlets, project_elements, require, status_array
from ..thermo.rowdot import rowdot, rowsum

__all__ = ["MethanolReactor"]

_MEOH_EQ = ("H2", "CO", "CO2", "H2O", "CH3OH")

_INERT_PROXY = "Ar"


class MethanolReactor(Unit):
    """Isothermal methanol synthesis reactor at chemical equilibrium (with an approach
    temperature) of CO + 2 H2 = CH3OH, CO2 + 3 H2 = CH3OH + H2O and CO + H2O = CO2 + H2.

    Model
    -----
    * The outlet composition minimises the Gibbs energy of the ideal-gas mixture
      {H2, CO, CO2, H2O, CH3OH} at ``T + dT_approach`` and ``P``
      (:func:`carbonhub.thermo.equilibrate`, NASA-7 data of Cantera's nasa_gas.yaml; the two
      independent reactions above span all three). Every other gas (CH4, N2, Ar, C2+, DME, ...)
      is inert: it takes no part (no methanation) but dilutes the mixture; its moles enter the
      minimiser as the same number of moles of an inert proxy (Ar), which is exact for an ideal
      gas. Liquid water in the feed is treated as vapour.
    * The outlet leaves at ``T`` (the approach only shifts the equilibrium: for these
      exothermic reactions a positive ``dT_approach`` lowers the conversion).
    * Optional DME by-product: ``dme_fraction`` of the methanol formed is dehydrated,
      2 CH3OH -> DME + H2O (after the equilibrium; not itself at equilibrium).
    * Heat: ``heat`` = H_out(T) - H_in (negative: removed as steam in a boiling-water reactor).
    * Design: catalyst volume from a gas hourly space velocity (normal m3 feed per m3 catalyst
      per hour), catalyst mass from a bulk density. Cost (``cost_block``): ``complete_unit``
      (default) the all-in synthesis unit by methanol made [t/d], which holds the loop
      equipment and the columns (their scopes); ``reactor`` the converter alone as a vertical
      pressure vessel of the catalyst volume at ``P`` (an ICI-type quench converter; a
      boiling-water tubular reactor costs more: a lower bound), the loop units then costed
      item by item, as in an nth-plant equipment list.

    Parameters
    ----------
    T : outlet temperature [K];  P : pressure [Pa]
    dT_approach : approach to equilibrium [K]
    dme_fraction : fraction of the methanol formed that is dehydrated to DME [-]
    ghsv : gas hourly space velocity [1/h] (normal conditions)
    catalyst_density : catalyst bulk density [kg/m3]

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> from carbonhub.unitops.methanol import MethanolReactor
    >>> cs = ComponentSet.from_ids(["H2", "CO", "CO2", "H2O", "CH3OH", "CH4", "N2", "Ar", "DME"])
    >>> feed = Stream.from_flows(cs, {"H2": 7.0, "CO": 2.5, "CO2": 0.5, "CH4": 0.2}, T=500.0, P=80e5)
    >>> mr = MethanolReactor("meoh", T=523.15, P=80e5)
    >>> r = mr.run({"feed": feed}, mr.resolve({}, 1))
    >>> round(float(r.outlets["out"]["CH3OH"][0]), 4), float(r.outlets["out"]["CH4"][0])
    (1.9115, 0.2)

    References
    ----------
    Gordon, S., McBride, B.J. (1994), NASA RP-1311 (the Gibbs minimiser); McBride, B.J.,
    Zehe, M.J., Gordon, S. (2002), NASA/TP-2002-211556 (species data); Hamelinck, C.N.,
    Faaij, A.P.C. (2002), J. Power Sources 111:1-22, doi:10.1016/S0378-7753(02)00220-3
    (biomass methanol: equilibrium reactor with approach temperature); Phillips, S.D. et al.
    (2011), NREL/TP-5100-47594 (methanol synthesis loop). The default ``ghsv`` (8000 1/h) and
    ``catalyst_density`` (1100 kg/m3) are typical values for Cu/ZnO/Al2O3, to be verified.
    """

    inlets = ("feed",)
    outlets = ("out",)
    params = {
        "T": Param(523.15, "K", 400.0, 650.0, "outlet (reactor) temperature [K]"),
        "P": Param(80e5, "Pa", 1e5, 3e7, "pressure [Pa]"),
        "dT_approach": Param(0.0, "K", 0.0, 200.0, "approach to equilibrium [K]"),
        "dme_fraction": Param(0.0, "", 0.0, 1.0,
                              "fraction of the methanol formed dehydrated to DME [-]"),
        "ghsv": Param(8000.0, "1/h", 100.0, 1e5, "gas hourly space velocity [1/h] (typical; verify)"),
        "catalyst_density": Param(1100.0, "kg/m^3", 300.0, 3000.0,
                                  "catalyst bulk density [kg/m3] (typical; verify)"),
        "cost_block": Param("complete_unit", "choice",
                            doc="complete_unit: the all-in synthesis unit incl. its loop equipment and "
                                "distillation (ref.methanol_synthesis_loop); reactor: the converter "
                                "alone, a vertical pressure vessel holding the catalyst (Turton), the "
                                "loop units and columns costed item by item",
                            choices=("complete_unit", "reactor")),
    }
    costs = (Cost("ref.methanol_synthesis_loop", "methanol_t_per_d",
                  when=("cost_block", ("complete_unit",))),
             Cost("turton.vessel_vertical", "catalyst_volume_m3", pressure="P_barg",
                  when=("cost_block", ("reactor",))))
    narrow_adds = (*_MEOH_EQ, "DME")  # the equilibrium's species and DME (core.narrow)

    def run(self, ins, p) -> UnitResult:
        s = checked_inlets(ins, self.id, "feed")
        cs = s.cs
        eq = require(cs, _MEOH_EQ, self.id, "methanol equilibrium species")
        n = s.n_cases
        F = s.flow
        feq = F[:, eq].copy()
        liq_w = cs.index("H2O(L)") if "H2O(L)" in cs else None
        if liq_w is not None:
            feq[:, 3] += F[:, liq_w]
        other_gas = cs.is_gas.copy()
        other_gas[eq] = False
        inert = rowsum(F[:, other_gas])
        moles = np.concatenate([feq, inert[:, None]], axis=1)
        T, P = p.T, p.P
        # warm start from this case's equilibrium of the previous recycle pass (if any)
        warm = p.warm("equilibrium", moles.shape[1]) if p.scratch is not None else None
        res = equilibrate(list(_MEOH_EQ) + [_INERT_PROXY], moles, T + p.dT_approach, P,
                          components=default_components(), guess=warm)
        if p.scratch is not None:
            p.keep("equilibrium", res.moles)
        empty = rowsum(feq) <= 0
        ok = (res.status == "ok") | empty
        out = F.copy()
        if liq_w is not None:
            out[:, liq_w] = 0.0
        new = np.where(ok[:, None] & ~empty[:, None], np.nan_to_num(res.moles[:, :5]), feq)
        # on the elements the five species hold (C, H, O): an element column of zeros is one the
        # projection leaves alone (its row and column an identity, its multiplier 0), so the
        # same bits on the compiled path at a fraction of the work (8 -> 3 elements)
        A = cs.element_matrix[eq]
        A = A[:, (A != 0).any(axis=0)]
        new = project_elements(np.maximum(new, 0.0), A, rowdot(feq, A))
        out[:, eq] = np.maximum(new, 0.0)
        meoh_made = out[:, eq[4]] - F[:, eq[4]]
        if np.any(p.dme_fraction > 0):
            idme = require(cs, ("DME",), self.id, "dme_fraction > 0")[0]
            x = 0.5 * p.dme_fraction * np.maximum(meoh_made, 0.0)
            out[:, eq[4]] -= 2 * x
            out[:, eq[3]] += x
            out[:, idme] += x
        failed = ~ok
        out[failed] = F[failed]  # conserved placeholder for flagged cases
        o = Stream(cs, out, T.copy(), P.copy(), s.origin, check=False)
        heat = o.enthalpy - s.enthalpy
        mw_meoh = cs.molar_mass[eq[4]]
        made = out[:, eq[4]] - F[:, eq[4]]
        dme_made = out[:, cs.index("DME")] - F[:, cs.index("DME")] if "DME" in cs else np.zeros(n)
        co_in, co2_in = F[:, eq[1]], F[:, eq[2]]
        c_in = co_in + co2_in
        q_feed_nm3_h = rowsum(s.flow[:, cs.is_gas]) * NORMAL_MOLAR_VOLUME * HOUR
        cat_m3 = q_feed_nm3_h / p.ghsv
        design = {
            "methanol_t_per_d": np.maximum(made, 0.0) * mw_meoh * DAY / 1000.0,
            "methanol_mol_s": made,
            "dme_mol_s": dme_made,
            "co_conversion": np.divide(co_in - out[:, eq[1]], co_in, out=np.zeros(n), where=co_in > 0),
            "co2_conversion": np.divide(co2_in - out[:, eq[2]], co2_in, out=np.zeros(n),
                                        where=co2_in > 0),
            "carbon_conversion": np.divide(made + 2 * dme_made, c_in, out=np.zeros(n), where=c_in > 0),
            "duty_W": heat.copy(),
            "catalyst_volume_m3": cat_m3,
            "catalyst_kg": cat_m3 * p.catalyst_density,
            "T_K": T.copy(), "P_bar": P / 1e5, "P_barg": barg(P),
        }
        util = {"steam_raised_W": np.maximum(-heat, 0.0), "steam_heat_W": np.maximum(heat, 0.0),
                "catalyst_kg": design["catalyst_kg"]}
        status = status_array(failed, [f"methanol equilibrium: {m}" for m in res.status[failed]])
        return UnitResult({"out": o}, heat, np.zeros(n), design, util, status)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: the equilibrium as constraints on the extents of two independent reactions,
        CO + 2 H2 = CH3OH (``methanol``) and CO2 + H2 = CO + H2O (``rwgs``):
        sum_j nu_j ln(y_j) + (sum_j nu_j) ln(P / P_REF) = ln K = -sum_j nu_j g°_j / (R T_eq),
        with T_eq = T + dT_approach, g° from the NASA-7 data of ``default_components()`` (as
        ``equilibrate``), and y_j = n_j / (moles of the five species + moles of every other gas),
        the inert dilution of ``run``. Elements are conserved by the extents, so ``run``'s
        element projection (which only removes the minimiser's residual) has nothing to do.

        Frozen at the core solution: whether the DME step acts (it needs methanol made > 0);
        and which reactions can proceed: without C or H in the five species both extents are
        0, and with O = C (no CO2 and no water in the feed) the ``rwgs`` extent is 0, which is
        what the element balances alone allow (no log of a zero mole number).
        """
        import pyomo.environ as pyo

        from ..twin.properties import nasa_h_expr, nasa_s0_expr
        from ..thermo.nasa7 import P_REF, R

        u = pyo.units
        cs = b.config.property_package.cs
        require(cs, _MEOH_EQ, self.id, "methanol equilibrium species")
        fi = b.sin("feed")
        F = fi.flow_mol_comp
        fl = {j: float(init.inlets["feed"][j][0]) for j in cs.ids}
        fo = {j: float(init.outlets["out"][j][0]) for j in cs.ids}
        has_liq = "H2O(L)" in cs
        has_dme = "DME" in cs
        feq = {j: F[j] for j in _MEOH_EQ}
        if has_liq:
            feq["H2O"] = F["H2O"] + F["H2O(L)"]
        inert = [j for j, g in zip(cs.ids, cs.is_gas) if g and j not in _MEOH_EQ]
        nu = {"methanol": {"CO": -1, "H2": -2, "CH3OH": 1},
              "rwgs": {"CO2": -1, "H2": -1, "CO": 1, "H2O": 1}}
        # core solution before the DME step: x = DME made, methanol made = extent of "methanol"
        x0 = fo["DME"] - fl["DME"] if has_dme else 0.0
        n0 = {j: fo[j] for j in _MEOH_EQ}
        n0["CH3OH"] += 2 * x0
        n0["H2O"] -= x0
        xi0 = {"methanol": n0["CH3OH"] - fl["CH3OH"], "rwgs": fl["CO2"] - n0["CO2"]}
        b.rxn = pyo.Set(initialize=list(nu), ordered=True,
                        doc="independent reactions: CO + 2 H2 = CH3OH, CO2 + H2 = CO + H2O")
        b.extent = pyo.Var(b.rxn, initialize=xi0, units=u.mol / u.s, doc="extent of reaction [mol/s]")
        b.n_eq = pyo.Var(_MEOH_EQ, initialize=n0, bounds=(0, None), units=u.mol / u.s,
                         doc="moles of the equilibrium species at equilibrium (before DME) [mol/s]")
        b.eq_stoich = pyo.Constraint(
            _MEOH_EQ, rule=lambda b, j: b.n_eq[j] == feq[j] + sum(nu[r].get(j, 0) * b.extent[r] for r in nu),
            doc="equilibrium moles = feed + stoichiometry x extents (conserves C, H, O)")
        b.n_total = pyo.Expression(expr=sum(b.n_eq[j] for j in _MEOH_EQ) + sum(F[j] for j in inert),
                                   doc="gas moles in the equilibrium, inerts included [mol/s]")
        # which reactions can proceed: CO2 + H2O = O - C is invariant, so without C or H, or
        # with O = C (no CO2 and no water), the extents are fixed by the element balances
        c_in = fl["CO"] + fl["CO2"] + fl["CH3OH"]
        h_in = fl["H2"] + fl["H2O"] + 2 * fl["CH3OH"] + (fl["H2O(L)"] if has_liq else 0.0)
        d_in = fl["CO2"] + fl["H2O"] + (fl["H2O(L)"] if has_liq else 0.0)
        live = {"methanol": c_in > 0 and h_in > 0, "rwgs": c_in > 0 and h_in > 0 and d_in > 0}
        T_eq = (b.pv("T") + b.pv("dT_approach")) / u.K
        dcs = default_components()

        def g_rt(j):
            return nasa_h_expr(dcs, j, T_eq) / (R * T_eq) - nasa_s0_expr(dcs, j, T_eq) / R

        b.ln_K = pyo.Expression(b.rxn, rule=lambda b, r: -sum(v * g_rt(j) for j, v in nu[r].items()),
                                doc="ln K = -sum nu g°/(R T_eq), standard state 1 atm [-]")
        # mass action in logarithms of the moles, tied to the moles by exp (no log or division
        # that could be evaluated at a non-positive argument)
        on = [r for r in nu if live[r]]
        for r in nu:
            if not live[r]:
                b.extent[r].fix(0.0)
        if on:
            sp = [j for j in _MEOH_EQ if any(j in nu[r] for r in on)]
            mol_s = u.mol / u.s
            ntot0 = sum(n0.values()) + sum(fl[j] for j in inert)
            b.ln_n = pyo.Var(sp, initialize={j: float(np.log(max(n0[j], 1e-300))) for j in sp},
                             doc="ln of the equilibrium moles [mol/s] of the species of the active reactions")
            b.ln_n_total = pyo.Var(initialize=float(np.log(ntot0)),
                                   doc="ln of the total gas moles [mol/s] in the equilibrium")
            b.eq_ln_n = pyo.Constraint(sp, rule=lambda b, j: b.n_eq[j] == pyo.exp(b.ln_n[j]) * mol_s,
                                       doc="definition of ln_n")
            b.eq_ln_n_total = pyo.Constraint(expr=b.n_total == pyo.exp(b.ln_n_total) * mol_s,
                                             doc="definition of ln_n_total")
            lnP = pyo.log(b.pv("P") / (P_REF * u.Pa))
            b.eq_equilibrium = pyo.Constraint(
                on, rule=lambda b, r: sum(v * (b.ln_n[j] - b.ln_n_total) for j, v in nu[r].items())
                + sum(nu[r].values()) * lnP == b.ln_K[r],
                doc="chemical equilibrium with partial pressures y_j P (ideal gas)")
        dme_on = has_dme and xi0["methanol"] > 0
        x = 0.5 * b.par["dme_fraction"] * b.extent["methanol"] if dme_on else 0.0
        flows = {j: F[j] for j in cs.ids}
        flows.update({j: b.n_eq[j] for j in _MEOH_EQ})
        flows["CH3OH"] = b.n_eq["CH3OH"] - 2 * x
        flows["H2O"] = b.n_eq["H2O"] + x
        if has_liq:
            flows["H2O(L)"] = 0.0
        if has_dme:
            flows["DME"] = F["DME"] + x
        eo_outlet(b, "out", flows, b.pv("T"), b.pv("P"), "equilibrium, inerts pass, DME step")
        b.power.fix(0.0)
        b.add_energy_balance()
        made = fo["CH3OH"] - fl["CH3OH"]
        mw = b.config.property_package.mw["CH3OH"]
        made_mol_s = b.sout("out").flow_mol_comp["CH3OH"] - F["CH3OH"]
        eo_design(b, {
            "methanol_t_per_d": (u.convert(made_mol_s * mw, to_units=u.tonne / u.day) if made > 0
                                 else 0.0 * u.tonne / u.day),
            "methanol_mol_s": made_mol_s,
            "duty_W": b.heat * 1.0,
            "catalyst_volume_m3": sum(F[j] for j, g in zip(cs.ids, cs.is_gas) if g) / (u.mol / u.s)
            * (NORMAL_MOLAR_VOLUME * HOUR) / b.par["ghsv"],
        }, "design results: methanol made [t/d] (cost basis; 0 if the core made none) and "
           "[mol/s], reactor duty [W]")
