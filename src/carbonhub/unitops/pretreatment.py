"""Pretreatment of solid feedstocks: feed handling (size reduction, conveying), drying and
torrefaction. Batched numpy; every organic pseudo-component ``ORG_<feedstock>`` is handled
generically through the element matrix, so one batch may mix feedstocks across cases.

Example
-------
>>> import numpy as np
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.unitops.sources import Feedstock
>>> from carbonhub.unitops.pretreatment import Dryer
>>> cs = ComponentSet.default()
>>> feed = Feedstock("feed", feedstock="wood_chips", rate_dry_t_per_h=10.0)
>>> feed.cs = cs
>>> wet = feed.run({}, feed.resolve({}, 1)).outlets["out"]     # 35 wt% moisture
>>> dryer = Dryer("dryer", moisture_out_wt_pct=10.0)
>>> dryer.cs = cs
>>> r = dryer.run({"feed": wet}, dryer.resolve({}, 1))
>>> round(float(r.design["moisture_out_wt_pct"][0]), 6)
10.0
>>> 2.8 < float(r.design["specific_heat_MJ_per_kg_water"][0]) < 3.6
True
"""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream, lhv_molar, mix_origins
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo.components import ELEMENTS, ComponentSet
from ..thermo.nasa7 import R

__all__ = ["FeedHandling", "Dryer", "Torrefaction", "organic_columns"]

KWH = 3.6e6
"""[J/kWh]"""
SHORT_TON = 907.18474
"""US short ton [kg] (the size unit of the NETL cost accounts in reference_plants.yaml)."""
OPERATING_HOURS = 8410.0
"""[h/y] used only to express annual capacities for reference-plant costing (tea_defaults.yaml:
operation.operating_hours_per_y, Humbird et al. 2011)."""


def _zero(n: int) -> np.ndarray:
    return np.zeros(n)


def organic_columns(cs: ComponentSet) -> np.ndarray:
    """Indices of the organic pseudo-components ``ORG_*`` of a component set."""
    return np.array([i for i, c in enumerate(cs.ids) if c.startswith("ORG_")], dtype=int)


def _check_feed(s: Stream, uid: str) -> None:
    s.validate()  # StreamError (a ValueError) names the bad value


# -- helpers of the equation-oriented twins (Pyomo is imported by the caller) -------------------

def _flow_constraints(b, name: str, state, flows: dict, doc: str) -> None:
    """``state.flow_mol_comp[j] == flows[j]`` for every component (0 where ``flows`` has no
    entry), as one indexed Constraint ``b.<name>``."""
    import pyomo.environ as pyo

    def rule(b, j):
        return state.flow_mol_comp[j] == flows.get(j, 0.0)

    b.add_component(name, pyo.Constraint(b.comps, rule=rule, doc=doc))


def _design_expressions(b, exprs: dict) -> None:
    """``b.design[key]``: design results of the core as dimensionless Pyomo expressions (the
    number in the unit named by the key, as in ``UnitResult.design``)."""
    import pyomo.environ as pyo

    b.design = pyo.Expression(list(exprs), rule=lambda b, k: exprs[k],
                              doc="design results (value in the unit named by the key)")


class FeedHandling(Unit):
    """Receiving, size reduction and conveying of a solid feed: the mass passes through
    unchanged; electricity is a specific consumption per tonne as received.

    The electricity is dissipated as heat to the surroundings (``heat = -power``), so the
    outlet keeps the inlet temperature and the energy balance closes.

    Parameters
    ----------
    specific_electricity_kWh_per_t : float
        electricity per tonne of feed as received [kWh/t], default 20. Hammer milling of
        agricultural residues to 3.2 mm takes roughly 11-52 kWh/t depending on the material
        (Mani et al. 2004); coarser sizing for fluidised beds (a few mm to cm) needs less, fine
        grinding for entrained flow much more (see Torrefaction).

    Design results
    --------------
    feed_ar_t_per_h, feed_ar_t_per_d, feed_ar_short_ton_per_d (cost basis of
    ``ref.feed_handling_coal_netl``, US short tons/d as received), power_kW.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["ORG_wood_chips", "ASH", "H2O(L)"])
    >>> s = Stream.from_flows(cs, {"ORG_wood_chips": 100.0, "H2O(L)": 50.0}, T=298.15, P=1e5)
    >>> u = FeedHandling("handling", specific_electricity_kWh_per_t=20.0)
    >>> r = u.run({"feed": s}, u.resolve({}, 1))
    >>> round(float(r.power[0]) / 1e3, 1)      # kW: 20 kWh/t x 3.33 kg/s
    240.0
    >>> bool(abs(r.outlets["out"].mass_flow[0] - s.mass_flow[0]) == 0)
    True

    References
    ----------
    Mani, S., Tabil, L.G., Sokhansanj, S. (2004). Grinding performance and physical properties
    of wheat and barley straws, corn stover and switchgrass. Biomass and Bioenergy 27, 339-352,
    doi:10.1016/j.biombioe.2004.03.007.
    """

    inlets = ("feed",)
    outlets = ("out",)
    params = {
        "specific_electricity_kWh_per_t": Param(
            20.0, "kWh/t", 0.0, 500.0, "electricity per tonne of feed as received [kWh/t]"),
    }
    costs = (Cost("ref.feed_handling_coal_netl", "feed_ar_short_ton_per_d"),)

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        _check_feed(s, self.id)
        m = s.mass_flow  # kg/s as received
        power = p.specific_electricity_kWh_per_t * KWH / 1000.0 * m
        out = s.copy()
        design = {
            "feed_ar_t_per_h": m * 3.6,
            "feed_ar_t_per_d": m * 86.4,
            "feed_ar_short_ton_per_d": m * 86400.0 / SHORT_TON,
            "power_kW": power / 1000.0,
        }
        return UnitResult({"out": out}, -power, power, design, {"electricity_W": power})

    def build_pyomo(self, b, p, init) -> None:
        """Twin: the outlet is the inlet (flows, T, P); power = specific electricity x mass
        flow as received, dissipated as heat (heat = -power)."""
        import pyomo.environ as pyo

        u = pyo.units
        fi = b.sin("feed")
        b.add_component_balances(doc="the solids pass unchanged")
        b.same_state("out", "feed")
        b.eq_power = pyo.Constraint(
            expr=b.power == u.convert(b.pv("specific_electricity_kWh_per_t") * fi.flow_mass, to_units=u.W),
            doc="power = specific electricity x mass flow as received")
        b.eq_heat = pyo.Constraint(expr=b.heat == -b.power, doc="electricity dissipated as heat")
        _design_expressions(b, {
            "feed_ar_t_per_h": fi.flow_mass * (3.6 * u.s / u.kg),
            "feed_ar_short_ton_per_d": fi.flow_mass * (86400.0 / SHORT_TON * u.s / u.kg),
            "power_kW": b.power / (1000.0 * u.W),
        })


class Dryer(Unit):
    """Belt or rotary dryer: the liquid moisture ``H2O(L)`` of a solid feed is reduced so that
    the dried solids hold ``moisture_out_wt_pct`` (wt% of the outlet solids as received); the
    evaporated water leaves as vapour ``H2O`` through ``exhaust``.

    Model: the dried solids leave at ``T_out``, the vapour at ``T_exhaust`` (the drying
    medium itself, air or superheated steam, is not modelled: it passes through unchanged in a
    real plant). The net heat ``heat = H_out + H_exhaust - H_in`` (evaporation, sensible heat
    of water and solids; enthalpies with heats of formation) closes the balance; the heat to be
    supplied is ``heat / thermal_efficiency`` (losses with the spent drying medium and casing),
    reported as ``heat_supplied_W`` and as the utility ``steam_heat_W``. A feed already drier
    than the target is only heated. Gas species in the feed leave with the exhaust.

    Parameters
    ----------
    moisture_out_wt_pct : float
        target moisture of the dried solids [wt%, as-received basis], default 10
        (dryers for gasification feed: 10-15 wt%, Fagernäs et al. 2010).
    T_out : float
        outlet temperature of the dried solids [K], default 333.15.
    T_exhaust : float
        temperature at which the evaporated water leaves [K], default 363.15.
    thermal_efficiency : float
        net heat / heat supplied [-], default 0.90 (assumption). With it the gross specific
        heat consumption of a wood-chip dryer (35 -> 10 wt%) is 3.06 MJ/kg water evaporated
        (net 2.75 MJ/kg),
        inside the 2.8-3.6 MJ/kg that Havlík et al. (2020) give for indirect dryers; direct
        (hot-air/flue-gas) dryers need 4-6 MJ/kg (thermal_efficiency ~0.5-0.7).

    Design results
    --------------
    water_evaporated_kg_s, water_evaporated_t_per_h (cost basis of ``ref.dryer_biomass``),
    moisture_in_wt_pct, moisture_out_wt_pct, heat_net_W, heat_supplied_W, heat_loss_W,
    specific_heat_MJ_per_kg_water (gross, 0 where nothing is evaporated),
    specific_heat_net_MJ_per_kg_water, feed_dry_t_per_h.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["H2O", "ORG_wood_chips", "ASH", "H2O(L)"])
    >>> s = Stream.from_flows(cs, {"ORG_wood_chips": 100.0, "H2O(L)": [80.0, 10.0]}, T=298.15, P=1e5)
    >>> u = Dryer("dryer", moisture_out_wt_pct=10.0)
    >>> r = u.run({"feed": s}, u.resolve({}, 2))
    >>> [round(float(x), 6) for x in r.design["moisture_out_wt_pct"]]   # second case was drier
    [10.0, 6.895694]
    >>> float(r.outlets["exhaust"]["H2O"][1])
    0.0

    References
    ----------
    Havlík, J., Dlouhý, T., Sabová, M. (2020). Indirect dryers for biomass drying - comparison
    of experimental characteristics for drum and rotary configurations. ChemEngineering 4(1), 18,
    doi:10.3390/chemengineering4010018 (direct dryers 4.0-6.0, indirect 2.8-3.6 MJ per kg of
    evaporated water).
    Fagernäs, L., Brammer, J., Wilén, C., Lauer, M., Verhoeff, F. (2010). Drying of biomass for
    second generation synfuel production. Biomass and Bioenergy 34, 1267-1277,
    doi:10.1016/j.biombioe.2010.04.005.
    """

    inlets = ("feed",)
    outlets = ("out", "exhaust")
    params = {
        "moisture_out_wt_pct": Param(10.0, "", 0.0, 80.0,
                                     "target moisture of the dried solids [wt% as received]"),
        "T_out": Param(333.15, "K", 273.15, 393.15, "outlet temperature of the dried solids [K]"),
        "T_exhaust": Param(363.15, "K", 273.15, 573.15, "temperature of the evaporated water [K]"),
        "thermal_efficiency": Param(0.90, "", 0.1, 1.0, "net heat / heat supplied [-]"),
    }
    costs = (Cost("ref.dryer_biomass", "water_evaporated_t_per_h"),)

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        _check_feed(s, self.id)
        cs = s.cs
        mw = cs.molar_mass
        iw, iv = cs.index("H2O(L)"), cs.index("H2O")
        cond = ~cs.is_gas
        solid = cond.copy()
        solid[iw] = False
        m_dry = (s.flow[:, solid] * mw[solid]).sum(axis=1)
        w_t = p.moisture_out_wt_pct / 100.0
        n_w_target = w_t / (1.0 - w_t) * m_dry / mw[iw]
        evap = np.maximum(s.flow[:, iw] - n_w_target, 0.0)
        f_out = np.where(cond[None, :], s.flow, 0.0)
        f_out[:, iw] = np.where(evap > 0, n_w_target, s.flow[:, iw])
        f_exh = np.where(cond[None, :], 0.0, s.flow)
        f_exh[:, iv] = f_exh[:, iv] + evap
        out = Stream(cs, f_out, p.T_out.copy(), s.P.copy(), s.origin.copy(), check=False)
        exh = Stream(cs, f_exh, p.T_exhaust.copy(), s.P.copy(), s.origin.copy(), check=False)
        heat = out.enthalpy + exh.enthalpy - s.enthalpy
        supplied = np.where(heat > 0, heat / p.thermal_efficiency, heat)
        kg_evap = evap * mw[iw]
        m_w_out = f_out[:, iw] * mw[iw]
        with np.errstate(divide="ignore", invalid="ignore"):
            spec = np.where(kg_evap > 0, supplied / np.where(kg_evap > 0, kg_evap, 1.0) / 1e6, 0.0)
            spec_net = np.where(kg_evap > 0, heat / np.where(kg_evap > 0, kg_evap, 1.0) / 1e6, 0.0)
            tot_in = m_dry + s.flow[:, iw] * mw[iw]
            tot_out = m_dry + m_w_out
            mo_in = np.where(tot_in > 0, 100.0 * s.flow[:, iw] * mw[iw] / np.where(tot_in > 0, tot_in, 1), 0.0)
            mo_out = np.where(tot_out > 0, 100.0 * m_w_out / np.where(tot_out > 0, tot_out, 1), 0.0)
        design = {
            "water_evaporated_kg_s": kg_evap,
            "water_evaporated_t_per_h": kg_evap * 3.6,
            "moisture_in_wt_pct": mo_in,
            "moisture_out_wt_pct": mo_out,
            "heat_net_W": heat,
            "heat_supplied_W": supplied,
            "heat_loss_W": supplied - heat,
            "specific_heat_MJ_per_kg_water": spec,
            "specific_heat_net_MJ_per_kg_water": spec_net,
            "feed_dry_t_per_h": m_dry * 3.6,
        }
        util = {"steam_heat_W": np.maximum(supplied, 0.0), "cooling_W": np.maximum(-heat, 0.0)}
        return UnitResult({"out": out, "exhaust": exh}, heat, _zero(p.n), design, util)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: the dried solids keep ``moisture_out_wt_pct`` (the evaporated water leaves as
        vapour with the gases of the feed), solids at ``T_out``, vapour at ``T_exhaust``, both
        at the inlet pressure; heat from the energy balance. Whether water evaporates (feed
        wetter than the target) is frozen at the core solution."""
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        mw = cs.molar_mass
        fi, so, sx = b.sin("feed"), b.sout("out"), b.sout("exhaust")
        gas = {j: bool(g) for j, g in zip(cs.ids, cs.is_gas)}
        solid = [j for j in cs.ids if not gas[j] and j != "H2O(L)"]
        b.water_target = pyo.Expression(
            expr=b.par["moisture_out_wt_pct"] / (100.0 - b.par["moisture_out_wt_pct"])
            * sum(fi.flow_mol_comp[j] * (float(mw[cs.index(j)]) * u.kg / u.mol) for j in solid)
            / (float(mw[cs.index("H2O(L)")]) * u.kg / u.mol),
            doc="liquid water the dried solids keep at the target moisture [mol/s]")
        s0 = init.inlets["feed"]
        iw = cs.index("H2O(L)")
        m_dry = float((s0.flow[0, [cs.index(j) for j in solid]] * mw[[cs.index(j) for j in solid]]).sum())
        w_t = float(p["moisture_out_wt_pct"]) / 100.0
        evaporates = float(s0.flow[0, iw]) - w_t / (1.0 - w_t) * m_dry / mw[iw] > 0.0
        evap = (fi.flow_mol_comp["H2O(L)"] - b.water_target) if evaporates else 0.0
        f_out = {j: fi.flow_mol_comp[j] for j in cs.ids if not gas[j]}
        if evaporates:
            f_out["H2O(L)"] = b.water_target
        f_exh = {j: fi.flow_mol_comp[j] for j in cs.ids if gas[j]}
        f_exh["H2O"] = f_exh["H2O"] + evap
        _flow_constraints(b, "eq_out", so, f_out, "dried solids (liquid water at the target)")
        _flow_constraints(b, "eq_exhaust", sx, f_exh, "exhaust: gases of the feed + evaporated water")
        b.eq_T_out = pyo.Constraint(expr=so.temperature == b.pv("T_out"), doc="solids outlet temperature")
        b.eq_T_exhaust = pyo.Constraint(expr=sx.temperature == b.pv("T_exhaust"), doc="vapour temperature")
        b.same_state("out", "feed", T=False)
        b.same_state("exhaust", "feed", T=False)
        b.power.fix(0.0)
        b.add_energy_balance()
        kg_evap = (evap * float(mw[iw]) * u.kg / u.mol) if evaporates else 0.0 * u.kg / u.s
        _design_expressions(b, {
            "water_evaporated_kg_s": kg_evap * (u.s / u.kg),
            "water_evaporated_t_per_h": kg_evap * (3.6 * u.s / u.kg),
            "heat_net_W": b.heat / u.W,
        })


# -- torrefaction -------------------------------------------------------------------------------

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
        "P": Param(101325.0, "Pa", 1e4, 1e7, "pressure [Pa]"),
    }
    costs = (Cost("ref.torrefaction", "product_t_per_y"),)

    def mass_loss(self, p) -> np.ndarray:
        """Mass loss of the dry ash-free organics [-] (n,)."""
        k = p.k_ref * np.exp(-p.activation_energy / R * (1.0 / p.T - 1.0 / TORR_T_REF))
        return p.mass_loss_max * (1.0 - np.exp(-k * p.residence_time))

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        _check_feed(s, self.id)
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
        EY = 1.0 - p.energy_loss_ratio * ML
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
        org_in_kg = s.flow[:, orgs] @ mw[orgs]
        org_in_lhv = s.flow[:, orgs] @ lhv[orgs]
        org_out_kg = f_sol[:, orgs] @ mw[orgs] + dec[:, ic] * MC
        org_out_lhv = f_sol[:, orgs] @ lhv[orgs] + dec[:, ic] * LC
        c_in = s.flow[:, orgs] @ E[orgs, ix["C"]]
        c_out = f_sol[:, orgs] @ E[orgs, ix["C"]] + dec[:, ic]
        solid_mask = ~cs.is_gas.copy()
        solid_mask[iw] = False
        dry_in = (s.flow * mw)[:, solid_mask].sum(axis=1)
        dry_out = out.mass_flow
        h298 = cs.h(np.array([298.15]))[0]
        dh = dec @ h298
        vol_kg = (np.where(solid_cols[None, :], 0.0, dec) * mw).sum(axis=1)
        vol_lhv = np.where(solid_cols[None, :], 0.0, dec) @ lhv

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
        return UnitResult({"out": out, "volatiles": vol}, heat, _zero(n), design, util, status)

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
        _flow_constraints(b, "eq_out", so, f_sol, "torrefied solids")
        _flow_constraints(b, "eq_volatiles", sv, f_vol, "volatiles (torgas) incl. the moisture")
        for name, st in (("out", so), ("volatiles", sv)):
            b.add_component(f"eq_T_{name}", pyo.Constraint(expr=st.temperature == b.pv("T"),
                                                           doc=f"{name} at the torrefaction temperature"))
            b.add_component(f"eq_P_{name}", pyo.Constraint(expr=st.pressure == b.pv("P"),
                                                           doc=f"{name} at the torrefaction pressure"))
        b.power.fix(0.0)
        b.add_energy_balance()
        _design_expressions(b, {
            "product_t_per_h": so.flow_mass * (3.6 * u.s / u.kg),
            "product_t_per_y": so.flow_mass * (3.6 * OPERATING_HOURS * u.s / u.kg),
            "heat_W": b.heat / u.W,
        })
