"""Pretreatment of plastic waste ahead of pyrolysis: washing (friction washer, sink-float tank)
with the wash water sent to water treatment, and mechanical dewatering. Shredding is
:class:`~carbonhub.unitops.pretreatment.FeedHandling` and thermal drying
:class:`~carbonhub.unitops.pretreatment.Dryer`.

Example
-------
>>> from carbonhub.thermo.components import pyrolysis_components
>>> from carbonhub.core import Stream
>>> cs = pyrolysis_components()
>>> feed = Stream.from_flows(cs, {"ORG_mixed_pcw_film_rigid": 100.0, "ASH": 20.0}, T=298.15, P=1e5)
>>> water = Stream.from_flows(cs, {"H2O(L)": 5000.0}, T=298.15, P=1e5)
>>> u = PlasticsWasher("washer", ash_removal=0.5, residual_moisture_wt_pct=12.0)
>>> r = u.run({"feed": feed, "water": water}, u.resolve({}, 1))
>>> round(float(r.design["moisture_out_wt_pct"][0]), 6)
12.0
>>> round(float(r.outlets["wastewater"]["ASH"][0]), 6)
10.0
"""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream, mix_origins
from ..core.unit import Param, Unit, UnitResult
from ..twin.helpers import eo_design, eo_outlet
from ._common import KWH, check_feed, require

__all__ = ["PlasticsWasher"]

"""[J/kWh]"""


class PlasticsWasher(Unit):
    """Washing line for shredded plastic waste: wash water in, dirty water out.

    Model
    -----
    * A fraction ``ash_removal`` of the inert matter (``ASH``: sand, glass, dirt) and a fraction
      ``organics_loss`` of the organics (labels, fines) go with the wash water to
      ``wastewater``; the rest of the solids leaves in ``out``.
    * After mechanical dewatering (centrifuge) the washed solids hold
      ``residual_moisture_wt_pct`` of liquid water (wt% as received); all other water of
      ``feed`` and ``water`` leaves as ``wastewater`` (if there is less water, all of it stays
      with the solids).
    * Electricity ``specific_electricity_kWh_per_t`` per tonne of feed as received (pumps,
      friction washer, centrifuge), dissipated as heat; both outlets at ``T``; ``heat`` closes
      the energy balance (sum H_in + heat + power = sum H_out).
    * No public cost figure for a washing line was found: the unit carries no cost (its
      electricity and water are counted). Listed as open in the route's YAML.

    Parameters
    ----------
    ash_removal : fraction of the inert matter washed out [-], default 0.5 (assumption).
    organics_loss : fraction of the organics to the wash water [-], default 0 (assumption).
    residual_moisture_wt_pct : moisture after dewatering [wt% as received], default 12.
    specific_electricity_kWh_per_t : [kWh/t feed as received], default 60 (assumption).
    T : outlet temperature [K], default 298.15.

    Design results
    --------------
    feed_ar_t_per_h, wash_water_m3_per_h, moisture_out_wt_pct, power_kW.
    """

    inlets = ("feed", "water")
    outlets = ("out", "wastewater")
    params = {
        "ash_removal": Param(0.5, "", 0.0, 1.0, "fraction of the inert matter washed out [-]"),
        "organics_loss": Param(0.0, "", 0.0, 0.5, "fraction of the organics lost to the wash water [-]"),
        "residual_moisture_wt_pct": Param(12.0, "", 0.0, 60.0, "moisture after dewatering [wt% as received]"),
        "specific_electricity_kWh_per_t": Param(60.0, "kWh/t", 0.0, 500.0,
                                                "electricity per tonne of feed as received [kWh/t]"),
        "T": Param(298.15, "K", 273.15, 373.15, "outlet temperature [K]"),
    }
    costs = ()

    @staticmethod
    def _masks(cs):
        ids = np.array(cs.ids)
        org = np.char.startswith(ids.astype(str), "ORG_")
        ash = ids == "ASH"
        return org, ash

    def run(self, ins, p) -> UnitResult:
        f, w = ins["feed"], ins["water"]
        check_feed(f, self.id, "feed")
        check_feed(w, self.id, "water")
        cs = f.cs
        require(cs, ("ASH", "H2O(L)"), self.id)
        org, ash = self._masks(cs)
        il = cs.index("H2O(L)")
        tot = f.flow + w.flow
        to_ww = np.where(org[None, :], p.organics_loss[:, None], 0.0) + np.where(ash[None, :], p.ash_removal[:, None], 0.0)
        solid = ~cs.is_gas.copy()
        solid[il] = False
        sol_out = np.where(solid[None, :], tot * (1 - to_ww), 0.0)
        m_dry = sol_out @ cs.molar_mass
        wt = p.residual_moisture_wt_pct / 100.0
        keep = np.minimum(wt / (1 - wt) * m_dry / cs.molar_mass[il], tot[:, il])
        out = sol_out.copy()
        out[:, il] = keep
        ww = tot - out
        T = p.T
        origin = mix_origins([f, w])
        so = Stream(cs, out, T.copy(), f.P.copy(), origin, check=False)
        sw = Stream(cs, ww, T.copy(), f.P.copy(), origin.copy(), check=False)
        power = p.specific_electricity_kWh_per_t * KWH / 1000.0 * f.mass_flow
        heat = so.enthalpy + sw.enthalpy - f.enthalpy - w.enthalpy - power
        m_out = so.mass_flow
        design = {"feed_ar_t_per_h": f.mass_flow * 3.6,
                  "wash_water_m3_per_h": w.flow[:, il] * cs.molar_mass[il] * 3.6,
                  "moisture_out_wt_pct": np.divide(100.0 * keep * cs.molar_mass[il], m_out,
                                                   out=np.zeros(f.n_cases), where=m_out > 0),
                  "power_kW": power / 1000.0}
        return UnitResult({"out": so, "wastewater": sw}, heat, power, design, {"electricity_W": power})

    def build_pyomo(self, b, p, init) -> None:
        """Twin: the removal fractions and the residual moisture as parameters; whether the
        water suffices for the residual moisture is frozen at the core solution."""
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        org, ash = self._masks(cs)
        fi, wi = b.sin("feed"), b.sin("water")
        solid = [j for i, j in enumerate(cs.ids) if not cs.is_gas[i] and j != "H2O(L)"]
        frac = {j: (b.par["organics_loss"] if org[cs.index(j)] else b.par["ash_removal"] if ash[cs.index(j)] else 0.0)
                for j in solid}
        tot = {j: fi.flow_mol_comp[j] + wi.flow_mol_comp[j] for j in cs.ids}
        out = {j: tot[j] * (1 - frac[j]) for j in solid}
        m_dry = sum(out[j] * float(cs.molar_mass[cs.index(j)]) for j in solid)
        wt = b.par["residual_moisture_wt_pct"] / 100.0
        mw = float(cs.molar_mass[cs.index("H2O(L)")])
        enough = float(init.outlets["wastewater"]["H2O(L)"][0]) > 0
        out["H2O(L)"] = wt / (1 - wt) * m_dry / mw if enough else tot["H2O(L)"]
        ww = {j: tot[j] - out.get(j, 0.0) for j in cs.ids}
        eo_outlet(b, "out", out, b.pv("T"), fi.pressure, "washed, dewatered solids")
        eo_outlet(b, "wastewater", ww, b.pv("T"), fi.pressure, "wash water with the removed matter")
        b.eq_power = pyo.Constraint(
            expr=b.power == u.convert(b.pv("specific_electricity_kWh_per_t") * fi.flow_mass, to_units=u.W),
            doc="power = specific electricity x feed as received")
        b.add_energy_balance()
        eo_design(b, {"power_kW": b.power / (1000.0 * u.W)}, "design results: power [kW]")
