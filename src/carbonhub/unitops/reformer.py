"""Catalytic tar and methane reformer of raw biomass syngas: per-component conversions of CH4,
C2+ hydrocarbons, tars and NH3 to syngas, water-gas shift at equilibrium, isothermal, heated by
a fired duty; batched over cases, with its equation-oriented twin next to ``run``.

Example
-------
>>> import numpy as np
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> from carbonhub.unitops.reformer import TarReformer
>>> cs = ComponentSet.from_ids(["H2", "CO", "CO2", "H2O", "CH4", "C2H4", "C7H16", "NH3", "N2"])
>>> raw = Stream.from_flows(cs, {"H2": 30.0, "CO": 30.0, "CO2": 15.0, "H2O": 35.0, "CH4": 8.0,
...                              "C2H4": 1.0, "C7H16": 0.1, "NH3": 0.3, "N2": 1.0}, T=1143.15, P=28e5)
>>> steam = Stream.from_flows(cs, {}, T=573.15, P=30e5)
>>> u = TarReformer("tar_reformer")
>>> r = u.run({"feed": raw, "steam": steam}, u.resolve({}, 1))
>>> round(float(r.design["ch4_conversion"][0]), 6), bool(r.heat[0] > 0)   # endothermic
(0.8, True)
"""
from __future__ import annotations

import numpy as np

from ..core.stream import ORIGINS, Stream, mix_origins
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo.components import ELEMENTS
from ..thermo.equilibrium import equilibrate
from ..thermo.nasa7 import P_REF, R
from ..thermo.reactions import equilibrium_constant
from ..twin.helpers import eo_design, eo_outlet
from ._common import Status, choice_array, need, water_as_vapour
from .shift import wgs_extent
from ..thermo.rowdot import rowdot

__all__ = ["TarReformer", "ReformerSteam", "REFORMED"]

REFORMED: dict[str, tuple[str, ...]] = {
    "x_CH4": ("CH4",),
    "x_C2H6": ("C2H6",),
    "x_C2H4": ("C2H4",),
    "x_C3_C4": ("C3H8", "C3H6", "C4H10", "C4H8"),
    "x_benzene": ("C6H6",),
    "x_tar": ("C7H16", "C7H8", "C10H8", "C6H5OH"),
}
"""Conversion parameter -> the hydrocarbon components it converts (those present in the
component set). ``C7H16`` is the gasifier's tar lump (:class:`~carbonhub.unitops.gasifier.Gasifier`
``tar_slip``); toluene, naphthalene and phenol are the aromatic tar species."""

_WGS = "CO + H2O = CO2 + H2"
_SMR = "CH4 + H2O = CO + 3 H2"
_SHIFT = ("CO", "H2O", "CO2", "H2")
_EQ = ("H2", "CO", "CO2", "H2O", "CH4", "N2", "Ar")
"""Species of the methane equilibrium (``methane="equilibrium"``); N2 and Ar are inert there,
the other species (H2S, what is left of the C2+ and tars, NH3) are frozen and not counted."""


class TarReformer(Unit):
    """Catalytic tar/CH4 reformer (fluidised catalyst with a regenerator, or fixed bed) at the
    temperature ``T``, in the form of the NREL thermochemical designs (Phillips et al. 2007,
    NREL/TP-510-41168; Dutta et al. 2011, NREL/TP-5100-51400), where the reformer is specified
    by the fraction of each species converted.

    Model
    -----
    1. The ``steam`` inlet (e.g. from :class:`ReformerSteam`) joins the feed; liquid water is
       vaporised (the reactor is hot).
    2. Steam reforming by species: a fraction ``x_<group>`` of each hydrocarbon of the groups
       :data:`REFORMED` reacts as C_nH_mO_k + (n - k) H2O -> n CO + (m/2 + n - k) H2, and
       ``x_NH3`` of the ammonia cracks, 2 NH3 -> N2 + 3 H2. Where the feed holds less steam than
       the reforming needs, the hydrocarbon conversions are scaled down alike (``reforming_scale``
       < 1) and the case gets a status.
    3. ``shift="equilibrium"``: CO + H2O = CO2 + H2 at equilibrium at ``T + dT_approach``
       (K from the NASA-7 data, as :class:`~carbonhub.unitops.shift.WaterGasShift`);
       ``"frozen"``: no shift. ``methane="equilibrium"`` (instead of ``x_CH4``): methane steam
       reforming and the shift both at equilibrium at ``T + dT_approach`` and the outlet
       pressure (Gibbs minimum over :data:`_EQ` by :func:`carbonhub.thermo.equilibrate`, the
       NASA-7 data; ``shift`` is then implied), the approach of Aspen RGibbs/REquil models of
       such reformers; ``x_CH4`` is then not used.
    4. Isothermal: the gas leaves at ``T`` and ``P_in - dP``; ``heat`` = H_out - H_in is the
       reformer duty (endothermic reforming plus heating the feed to ``T``), supplied by a
       fired duty: utility ``fired_heat_W`` (a catalyst regenerator/combustor burning the
       route's fuel gas offsets it, e.g. :class:`~carbonhub.unitops.pyrolysis.FiredHeater`,
       else it is bought as natural gas). A net heat release goes to ``cooling_W``.

    Design: ``duty_W``, ``duty_MW`` (cost basis of ``ref.tar_reformer``), ``T_reactor_K``,
    ``ch4_conversion`` (net: 1 - CH4 out / CH4 in), ``reforming_scale``, ``wgs_extent_mol_s``,
    ``h2_co_out``.

    Parameters
    ----------
    T : reactor temperature [K]
    dP : pressure drop [Pa]
    x_CH4, x_C2H6, x_C2H4, x_C3_C4, x_benzene, x_tar, x_NH3 : fractions converted [-]
    shift : "equilibrium" or "frozen"
    dT_approach : shift equilibrium at T + dT [K]

    References
    ----------
    .. [1] Phillips, S., Aden, A., Jechura, J., Dayton, D., Eggeman, T. (2007). Thermochemical
       Ethanol via Indirect Gasification and Mixed Alcohol Synthesis of Lignocellulosic
       Biomass. NREL/TP-510-41168, doi:10.2172/908937 (tar reformer conversions, current and
       2012 target).
    .. [2] Dutta, A., Talmadge, M., Hensley, J., et al. (2011). Process Design and Economics for
       Conversion of Lignocellulosic Biomass to Ethanol: Thermochemical Pathway by Indirect
       Gasification and Mixed Alcohol Synthesis. NREL/TP-5100-51400, doi:10.2172/1015885.
    """

    inlets = ("feed", "steam")
    outlets = ("out",)
    params = {
        "T": Param(1183.15, "K", 900.0, 1800.0, "reactor temperature [K]"),
        "dP": Param(0.0, "Pa", 0.0, 1e7, "pressure drop [Pa]"),
        "x_CH4": Param(0.80, "", 0.0, 1.0, "fraction of the CH4 reformed [-]"),
        "x_C2H6": Param(0.99, "", 0.0, 1.0, "fraction of the ethane reformed [-]"),
        "x_C2H4": Param(0.90, "", 0.0, 1.0, "fraction of the ethylene reformed [-]"),
        "x_C3_C4": Param(0.99, "", 0.0, 1.0, "fraction of the C3-C4 hydrocarbons reformed [-]"),
        "x_benzene": Param(0.99, "", 0.0, 1.0, "fraction of the benzene reformed [-]"),
        "x_tar": Param(0.99, "", 0.0, 1.0, "fraction of the tars reformed [-]"),
        "x_NH3": Param(0.90, "", 0.0, 1.0, "fraction of the ammonia cracked to N2 + H2 [-]"),
        "shift": Param("equilibrium", "choice", doc="water-gas shift at equilibrium or frozen",
                       choices=("equilibrium", "frozen")),
        "dT_approach": Param(0.0, "K", -300.0, 300.0, "shift (and methane) equilibrium at T + dT [K]"),
        "methane": Param("conversion", "choice", doc="CH4 by x_CH4, or CH4 reforming and shift at equilibrium",
                         choices=("conversion", "equilibrium")),
    }
    costs = (Cost("ref.tar_reformer", "duty_MW"),)
    cost_area = "cleanup"
    # reforming and cracking make CO, H2, N2; the shift CO2/H2O; the methane equilibrium runs over
    # the _EQ species present in the set (Ar inert there): all kept, so its species list is the
    # whole set's (core.narrow)
    narrow_adds = _EQ  # as the NREL designs' "tar reforming, quench, acid gas removal" area

    def _stoichiometry(self, cs):
        """Per component: its conversion parameter (or None), and the reforming coefficients
        (CO made, H2O used, H2 made) per mol reformed."""
        E = cs.element_matrix
        iC, iH, iO = (ELEMENTS.index(e) for e in ("C", "H", "O"))
        rows = []
        for name, species in REFORMED.items():
            for sp in species:
                if sp in cs:
                    e = E[cs.index(sp)]
                    rows.append((cs.index(sp), name, e[iC], e[iC] - e[iO], e[iH] / 2 + e[iC] - e[iO]))
        return rows

    def run(self, ins, p) -> UnitResult:
        f, sm = ins["feed"], ins["steam"]
        cs, n, st = f.cs, p.n, Status(p.n)
        iCO, iW, iCO2, iH2 = need(cs, _SHIFT, f"{self.id} (TarReformer)")
        F = water_as_vapour(cs, f.flow + sm.flow)
        rows = self._stoichiometry(cs)
        out = F.copy()
        co = np.zeros(n); w = np.zeros(n); h2 = np.zeros(n)
        reacted = {}
        meq = choice_array(p, "methane") == "equilibrium"
        for i, name, a_co, a_w, a_h2 in rows:
            r = np.where(meq, 0.0, getattr(p, name)) * F[:, i] if name == "x_CH4" else getattr(p, name) * F[:, i]
            reacted[i] = r
            co += a_co * r; w += a_w * r; h2 += a_h2 * r
        avail = F[:, iW]
        short = w > avail * (1.0 + 1e-12)
        scale = np.where(short, avail / np.where(w > 0, w, 1.0), 1.0)
        st.flag(short, "too little steam in the feed for the specified reforming: conversions scaled down")
        for i, r in reacted.items():
            out[:, i] -= scale * r
        out[:, iCO] += scale * co
        out[:, iW] -= scale * w
        out[:, iH2] += scale * h2
        if "NH3" in cs:
            iN = cs.index("NH3")
            nh3 = p.x_NH3 * F[:, iN]
            if np.any(nh3 > 0):
                need(cs, ["N2"], f"{self.id} (TarReformer: NH3 cracking)")
                out[:, iN] -= nh3
                out[:, cs.index("N2")] += 0.5 * nh3
                out[:, iH2] += 1.5 * nh3
        out = np.maximum(out, 0.0)
        before = out.copy()
        x = np.zeros(n)
        P_out = np.maximum(f.P - p.dP, 1.0)
        eq = (choice_array(p, "shift") == "equilibrium") & ~meq
        if meq.any():
            need(cs, ["CH4"], f"{self.id} (TarReformer: methane equilibrium)")
            sp = [k for k in _EQ if k in cs]
            ix = cs.indices(sp)
            sel = np.flatnonzero(meq)
            Te = (p.T + p.dT_approach) * np.ones(n)
            r = equilibrate(sp, out[sel][:, ix], Te[sel], P_out[sel], components=cs)
            good = r.status == "ok"
            st.flag(np.isin(np.arange(n), sel[~good]), "methane equilibrium did not converge")
            sub = out[sel]
            sub[np.ix_(good, ix)] = r.moles[good]
            out[sel] = sub
        if eq.any():
            K = equilibrium_constant(_WGS, p.T + p.dT_approach, cs)
            x = np.where(eq, wgs_extent(out[:, [iCO, iW, iCO2, iH2]], K)[0], 0.0)
            for i, s in zip((iCO, iW, iCO2, iH2), (-1.0, -1.0, 1.0, 1.0)):
                out[:, i] = np.maximum(out[:, i] + s * x, 0.0)
        T = np.asarray(p.T, dtype=float) * np.ones(n)
        o = Stream(cs, out, T, np.maximum(f.P - p.dP, 1.0), mix_origins([f, sm]), check=False)
        heat = o.enthalpy - f.enthalpy - sm.enthalpy
        ch4_in = F[:, cs.index("CH4")] if "CH4" in cs else np.zeros(n)
        ch4_out = out[:, cs.index("CH4")] if "CH4" in cs else np.zeros(n)
        design = {
            "duty_W": heat, "duty_MW": np.maximum(heat, 0.0) / 1e6, "T_reactor_K": T,
            "ch4_conversion": np.divide(ch4_in - ch4_out, ch4_in, out=np.zeros(n), where=ch4_in > 0),
            "reforming_scale": scale, "wgs_extent_mol_s": out[:, iCO2] - before[:, iCO2],
            "smr_extent_mol_s": (before[:, cs.index("CH4")] - out[:, cs.index("CH4")]) if "CH4" in cs else np.zeros(n),
            "h2_co_out": np.divide(out[:, iH2], out[:, iCO], out=np.zeros(n), where=out[:, iCO] > 0),
        }
        util = {"fired_heat_W": np.maximum(heat, 0.0), "cooling_W": np.maximum(-heat, 0.0)}
        return UnitResult({"out": o}, heat, np.zeros(n), design, util, st.result())

    def build_pyomo(self, b, p, init) -> None:
        """Twin: feed and steam join; the reformed flows are linear in the inlet flows (conversion parameters as
        fixed variables; the steam-limited scale frozen at the core's value), the shift extent
        a variable with (CO2)(H2) = K (CO)(H2O) at T + dT_approach from the NASA-7 data (mode
        equilibrium), outlet at T and P_in - dP, heat from the energy balance. Frozen: the
        clip of a flow at zero (none occurs unless a conversion is 1 with no shift)."""
        import pyomo.environ as pyo

        from ..twin.properties import nasa_h_expr, nasa_s0_expr

        u = pyo.units
        cs = b.config.property_package.cs
        fi, si = b.sin("feed"), b.sin("steam")
        F = {j: fi.flow_mol_comp[j] + si.flow_mol_comp[j] for j in cs.ids}
        if "H2O(L)" in cs:
            F["H2O"] = F["H2O"] + F["H2O(L)"]
            F["H2O(L)"] = 0.0 * u.mol / u.s
        scale = float(np.ravel(init.design["reforming_scale"])[0])
        meq = str(p["methane"]) == "equilibrium"
        flows = dict(F)
        for i, name, a_co, a_w, a_h2 in self._stoichiometry(cs):
            j = cs.ids[i]
            if meq and name == "x_CH4":
                continue
            r = scale * b.par[name] * F[j]
            flows[j] = flows[j] - r
            flows["CO"] = flows["CO"] + a_co * r
            flows["H2O"] = flows["H2O"] - a_w * r
            flows["H2"] = flows["H2"] + a_h2 * r
        if "NH3" in cs:
            r = b.par["x_NH3"] * F["NH3"]
            flows["NH3"] = flows["NH3"] - r
            if "N2" in cs:
                flows["N2"] = flows["N2"] + 0.5 * r
            flows["H2"] = flows["H2"] + 1.5 * r
        nu = {"CO": -1.0, "H2O": -1.0, "CO2": 1.0, "H2": 1.0}
        if meq:
            b.smr_extent = pyo.Var(initialize=float(np.ravel(init.design["smr_extent_mol_s"])[0]), units=u.mol / u.s,
                                   doc="extent of CH4 + H2O = CO + 3 H2 in the reformer [mol/s]")
            for j, s_ in {"CH4": -1.0, "H2O": -1.0, "CO": 1.0, "H2": 3.0}.items():
                flows[j] = flows[j] + s_ * b.smr_extent
        if str(p["shift"]) == "equilibrium" or meq:
            b.extent = pyo.Var(initialize=float(np.ravel(init.design["wgs_extent_mol_s"])[0]), units=u.mol / u.s,
                               doc="extent of CO + H2O = CO2 + H2 in the reformer [mol/s]")
            for j, s in nu.items():
                flows[j] = flows[j] + s * b.extent
            Te = (b.pv("T") + b.pv("dT_approach")) / u.K
            g_RT = {j: nasa_h_expr(cs, j, Te) / (R * Te) - nasa_s0_expr(cs, j, Te) / R for j in nu}
            b.ln_K = pyo.Expression(expr=-sum(s * g_RT[j] for j, s in nu.items()),
                                    doc="ln K of the shift at T + dT_approach (NASA-7)")
            b.eq_shift = pyo.Constraint(expr=flows["CO2"] * flows["H2"] == pyo.exp(b.ln_K) * flows["CO"] * flows["H2O"],
                                        doc="shift equilibrium at the reformer outlet")
        if meq:  # at the outlet composition (after both extents)
            Te = (b.pv("T") + b.pv("dT_approach")) / u.K
            nu_s = {"CH4": -1.0, "H2O": -1.0, "CO": 1.0, "H2": 3.0}
            g_RT = {j: nasa_h_expr(cs, j, Te) / (R * Te) - nasa_s0_expr(cs, j, Te) / R for j in nu_s}
            b.ln_K_smr = pyo.Expression(expr=-sum(s_ * g_RT[j] for j, s_ in nu_s.items()),
                                        doc="ln K of CH4 steam reforming at T + dT_approach (NASA-7, 1 atm)")
            n_tot = sum(flows[k] for k in _EQ if k in cs)
            p_rel = (fi.pressure - b.pv("dP")) / (P_REF * u.Pa)
            b.eq_smr = pyo.Constraint(  # as products: no logarithm or division of a flow
                expr=flows["CO"] * flows["H2"] ** 3 * p_rel ** 2
                == pyo.exp(b.ln_K_smr) * flows["CH4"] * flows["H2O"] * n_tot ** 2,
                doc="methane steam-reforming equilibrium at the outlet (ideal gas, inerts N2 and Ar)")
        eo_outlet(b, "out", flows, b.pv("T"), fi.pressure - b.pv("dP"), "reformed, shifted")
        b.power.fix(0.0)
        b.add_energy_balance("energy balance: reformer duty (isothermal at T)")
        eo_design(b, {"duty_W": b.heat / u.W, "duty_MW": b.heat / (1e6 * u.W), "T_reactor_K": b.pv("T") / u.K},
                  doc="design results of the twin (as the core's, value in the unit of the key)")


class ReformerSteam(Unit):
    """Steam added ahead of the reformer where the gas holds too little (a feed-forward
    calculator, like :class:`~carbonhub.unitops.sources.ProportionalFeed`): ``ref`` passes
    unchanged; ``out`` (a boundary source, category ``steam_mp``) carries the steam that raises
    the water of ``ref`` (vapour and liquid) to ``steam_to_carbon`` x the carbon of its
    reformable hydrocarbons (:data:`REFORMED`, CH4 counted with its conversion parameter group
    alike), and none where the gas already holds that much (a dried biomass gasifier's gas
    usually does; a torrefied or dry feed's may not).

    Design: ``steam_mol_s``, ``steam_kg_s``.
    """

    kind = "source"
    boundary_outlets = ("out",)
    inlets = ("ref",)
    outlets = ("ref", "out")
    narrow_adds = ("H2O",)  # the steam; ref passes (core.narrow)
    params = {
        "steam_to_carbon": Param(2.0, "", 0.0, 10.0, "minimum H2O per C of the reformable hydrocarbons [mol/mol]"),
        "T": Param(573.15, "K", 373.15, 1200.0, "steam temperature [K]"),
        "P": Param(30e5, "Pa", 1e5, 2e7, "steam pressure [Pa]"),
    }

    def __init__(self, id: str, **values):
        super().__init__(id, **values)
        self.category, self.origin = "steam_mp", "fossil"

    @staticmethod
    def _carbon(cs) -> np.ndarray:
        c = np.zeros(len(cs))
        iC = ELEMENTS.index("C")
        for species in REFORMED.values():
            for sp in species:
                if sp in cs:
                    c[cs.index(sp)] = cs.element_matrix[cs.index(sp), iC]
        return c

    @staticmethod
    def _water(cs) -> np.ndarray:
        return np.isin(np.array(cs.ids), ["H2O", "H2O(L)"]).astype(float)

    def run(self, ins, p) -> UnitResult:
        ref = ins["ref"]
        cs = ref.cs
        need(cs, ["H2O"], f"{self.id} (ReformerSteam)")
        carbon, water = rowdot(ref.flow, self._carbon(cs)), rowdot(ref.flow, self._water(cs))
        add = np.maximum(p.steam_to_carbon * carbon - water, 0.0)
        flow = np.zeros((p.n, len(cs)))
        flow[:, cs.index("H2O")] = add
        org = np.zeros((p.n, len(ORIGINS)))
        org[:, ORIGINS.index(self.origin)] = 1.0
        out = Stream(cs, flow, p.T * np.ones(p.n), p.P * np.ones(p.n), org, check=False)
        design = {"steam_mol_s": add, "steam_kg_s": out.mass_flow}
        return UnitResult({"ref": ref.copy(), "out": out}, np.zeros(p.n), np.zeros(p.n), design)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: ref passes; out = S/C x reformable carbon - water where the core adds steam,
        else zero: the branch of the max is the mutable ``adds`` (1 or 0), set at the core's
        solution and switched by :func:`carbonhub.eo.model.follow_core_regimes` when a re-solve
        at other parameters moves the core to the other branch (``core_branches``)."""
        import pyomo.environ as pyo

        cs = b.config.property_package.cs
        c, w = dict(zip(cs.ids, self._carbon(cs))), dict(zip(cs.ids, self._water(cs)))
        fi, fo, o = b.sin("ref"), b.sout("ref"), b.sout("out")
        b.eq_pass = pyo.Constraint(b.comps, rule=lambda b, j: fo.flow_mol_comp[j] == fi.flow_mol_comp[j],
                                   doc="ref passes through")
        b.same_state("ref", "ref")
        b.adds = pyo.Param(initialize=float(float(np.ravel(init.design["steam_mol_s"])[0]) > 0), mutable=True,
                           doc="1 where the core adds steam (the max's positive branch), else 0")
        b.core_branches = {"adds": lambda design, k: float(float(np.ravel(design["steam_mol_s"])[k]) > 0)}
        short = (b.par["steam_to_carbon"] * sum(c[j] * fi.flow_mol_comp[j] for j in cs.ids)
                 - sum(w[j] * fi.flow_mol_comp[j] for j in cs.ids))
        b.eq_out = pyo.Constraint(b.comps, rule=lambda b, j: o.flow_mol_comp[j]
                                  == (b.adds * short if j == "H2O" else 0.0 * pyo.units.mol / pyo.units.s),
                                  doc="steam make-up to the minimum S/C (branch of the max: adds)")
        b.eq_T = pyo.Constraint(expr=o.temperature == b.pv("T"), doc="steam temperature")
        b.eq_P = pyo.Constraint(expr=o.pressure == b.pv("P"), doc="steam pressure")
        b.heat.fix(0.0)
        b.power.fix(0.0)
