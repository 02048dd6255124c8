"""Pretreatment of solid feedstocks: feed handling (size reduction, conveying) and drying
(torrefaction: :mod:`~carbonhub.unitops.torrefaction`). Batched numpy; every organic pseudo-component ``ORG_<feedstock>`` is handled
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

from ..core.stream import Stream
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo.components import ComponentSet
from ..twin.helpers import design_expressions, flow_constraints
from ._common import DAY, KWH, SHORT_TON, validate_feed, zeros
from ..thermo.rowdot import rowsum

__all__ = ["FeedHandling", "Dryer", "organic_columns"]


def organic_columns(cs: ComponentSet) -> np.ndarray:
    """Indices of the organic pseudo-components ``ORG_*`` of a component set."""
    return np.array([i for i, c in enumerate(cs.ids) if c.startswith("ORG_")], dtype=int)


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
        validate_feed(s, self.id)
        m = s.mass_flow  # kg/s as received
        power = p.specific_electricity_kWh_per_t * KWH / 1000.0 * m
        out = s  # passes unchanged (stored sharing its arrays: FlowsheetRun.put_stream)
        design = {
            "feed_ar_t_per_h": m * 3.6,
            "feed_ar_t_per_d": m * 86.4,
            "feed_ar_short_ton_per_d": m * DAY / SHORT_TON,
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
        design_expressions(b, {
            "feed_ar_t_per_h": fi.flow_mass * (3.6 * u.s / u.kg),
            "feed_ar_short_ton_per_d": fi.flow_mass * (DAY / SHORT_TON * u.s / u.kg),
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
        validate_feed(s, self.id)
        cs = s.cs
        mw = cs.molar_mass
        iw, iv = cs.index("H2O(L)"), cs.index("H2O")
        cond = ~cs.is_gas
        solid = cond.copy()
        solid[iw] = False
        m_dry = rowsum(s.flow[:, solid] * mw[solid])
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
        return UnitResult({"out": out, "exhaust": exh}, heat, zeros(p.n), design, util)

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
        flow_constraints(b, "eq_out", so, f_out, "dried solids (liquid water at the target)")
        flow_constraints(b, "eq_exhaust", sx, f_exh, "exhaust: gases of the feed + evaporated water")
        b.eq_T_out = pyo.Constraint(expr=so.temperature == b.pv("T_out"), doc="solids outlet temperature")
        b.eq_T_exhaust = pyo.Constraint(expr=sx.temperature == b.pv("T_exhaust"), doc="vapour temperature")
        b.same_state("out", "feed", T=False)
        b.same_state("exhaust", "feed", T=False)
        b.power.fix(0.0)
        b.add_energy_balance()
        kg_evap = (evap * float(mw[iw]) * u.kg / u.mol) if evaporates else 0.0 * u.kg / u.s
        design_expressions(b, {
            "water_evaporated_kg_s": kg_evap * (u.s / u.kg),
            "water_evaporated_t_per_h": kg_evap * (3.6 * u.s / u.kg),
            "heat_net_W": b.heat / u.W,
        })
