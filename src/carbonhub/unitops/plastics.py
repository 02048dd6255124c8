"""Plastic waste around its pyrolysis: washing (friction washer, sink-float tank) with the wash
water sent to water treatment and mechanical dewatering (:class:`PlasticsWasher`), and the
caustic scrubber that takes the HCl out of the fired heater's flue gas
(:class:`FlueGasScrubber`). Shredding is :class:`~carbonhub.unitops.pretreatment.FeedHandling`
and thermal drying :class:`~carbonhub.unitops.pretreatment.Dryer`.

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
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo.nasa7 import R
from ..units import ATM
from ..twin.helpers import eo_design, eo_outlet, gas_flow_m3_s
from ..thermo.engine import use_numba
from ._common import KWH, check_feed, require
from ._plastics_kernels import wash
from .cooling import Scrubber
from ..thermo.rowdot import rowdot

__all__ = ["PlasticsWasher", "FlueGasScrubber"]

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
    * Capital: the sink-float tank, a Turton vertical process vessel (``turton.vessel_vertical``,
      Turton et al. 2012, Appendix A) holding ``tank_residence_min`` of the feed and wash water
      (taken at 1000 kg/m3), and the dewatering centrifuge, a scroll solid-bowl centrifuge sized
      on the dry solids it discharges (``ref.solids_centrifuge_scroll_seider``: Seider et al.
      2017, Cp = 68,040 S^0.5 at CE 567, S in short tons/h, via BioSTEAM). The friction
      washers and screens are not priced: no public cost of them was found (listed as open in
      the route's YAML); their electricity and the water are counted.

    Parameters
    ----------
    ash_removal : fraction of the inert matter washed out [-], default 0.5 (assumption).
    organics_loss : fraction of the organics to the wash water [-], default 0 (assumption).
    residual_moisture_wt_pct : moisture after dewatering [wt% as received], default 12.
    specific_electricity_kWh_per_t : [kWh/t feed as received], default 60 (assumption).
    T : outlet temperature [K], default 298.15.
    tank_residence_min : residence time of the sink-float tank [min], default 10 (assumption).

    Design results
    --------------
    feed_ar_t_per_h, wash_water_m3_per_h, moisture_out_wt_pct, power_kW, tank_volume_m3 (cost
    basis of the tank), centrifuge_solids_t_per_h (dry solids out [t/h]: cost basis of the
    centrifuge).
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
        "tank_residence_min": Param(10.0, "min", 1.0, 120.0,
                                    "residence time of feed and wash water in the sink-float tank [min]"),
    }
    costs = (Cost("turton.vessel_vertical", "tank_volume_m3", label="sink-float tank"),
             Cost("ref.solids_centrifuge_scroll_seider", "centrifuge_solids_t_per_h", label="dewatering centrifuge"))
    RHO_SLURRY = 1000.0
    """Density taken for the tank's content [kg/m3] (water; plastics 900-1400)."""

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
        solid = ~cs.is_gas.copy()
        solid[il] = False
        if use_numba():  # one compiled pass per case: the same operations as the numpy path below
            kind = np.where(solid, np.where(org, 2, np.where(ash, 3, 1)), 0).astype(np.int64)
            c = np.ascontiguousarray
            out, tot, m_dry = wash(c(f.flow), c(w.flow), kind, c(p.organics_loss, dtype=float),
                                   c(p.ash_removal, dtype=float), c(cs.molar_mass, dtype=float))
        else:
            tot = f.flow + w.flow
            to_ww = (np.where(org[None, :], p.organics_loss[:, None], 0.0)
                     + np.where(ash[None, :], p.ash_removal[:, None], 0.0))
            out = np.where(solid[None, :], tot * (1 - to_ww), 0.0)
            m_dry = rowdot(out, cs.molar_mass)
        wt = p.residual_moisture_wt_pct / 100.0
        keep = np.minimum(wt / (1 - wt) * m_dry / cs.molar_mass[il], tot[:, il])
        out[:, il] = keep
        ww = np.subtract(tot, out, out=tot)  # the wash water: tot - out
        T = p.T
        origin = mix_origins([f, w])
        so = Stream(cs, out, T.copy(), f.P.copy(), origin, check=False)
        sw = Stream(cs, ww, T.copy(), f.P.copy(), origin.copy(), check=False)
        m_feed = f.mass_flow
        power = p.specific_electricity_kWh_per_t * KWH / 1000.0 * m_feed
        heat = so.enthalpy + sw.enthalpy - f.enthalpy - w.enthalpy - power
        m_out = so.mass_flow
        design = {"feed_ar_t_per_h": m_feed * 3.6,
                  "wash_water_m3_per_h": w.flow[:, il] * cs.molar_mass[il] * 3.6,
                  "moisture_out_wt_pct": np.divide(100.0 * keep * cs.molar_mass[il], m_out,
                                                   out=np.zeros(f.n_cases), where=m_out > 0),
                  "power_kW": power / 1000.0,
                  "tank_volume_m3": (m_feed + w.mass_flow) / self.RHO_SLURRY * p.tank_residence_min * 60.0,
                  "centrifuge_solids_t_per_h": m_dry * 3.6}
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
        eo_design(b, {"power_kW": b.power / (1000.0 * u.W),
                      "tank_volume_m3": (fi.flow_mass + wi.flow_mass) / (self.RHO_SLURRY * u.kg / u.s)
                      * b.par["tank_residence_min"] * 60.0,
                      "centrifuge_solids_t_per_h": m_dry * 3.6 * u.s / u.mol},  # m_dry: kg/s as mol/s x float kg/mol
                  "design results: power [kW], sink-float tank volume [m3], dry solids out of the "
                  "centrifuge [t/h] (cost bases)")


NAOH_KG_PER_MOL = 0.039997
"""Molar mass of NaOH [kg/mol] (IUPAC standard atomic weights)."""
P_REF_ACFM = ATM
T_REF_ACFM = 313.15
"""Reference state of ref.syngas_scrubber's size: actual volume expressed as kmol/h at 1 atm, 40 degC."""


class FlueGasScrubber(Scrubber):
    """Caustic wet scrubber for the fired heater's flue gas: removes the HCl that the burnt
    pyrolysis gas, char and off-gases carry (from PVC), quenching the gas to ``T_out``.

    Model: :class:`~carbonhub.unitops.cooling.Scrubber` (one stage: ``hcl_removal`` of the HCl
    to the blowdown, the gas leaves saturated with water at ``T_out``; energy closed by the
    cooling duty of the recirculating liquor). The HCl is neutralised with caustic soda,
    ``naoh_ratio`` mol NaOH per mol HCl removed: the NaOH is a priced consumable (utility
    ``caustic_soda_kg_s``, prices.yaml ``caustic_soda_eur_per_t``), not a stream, because
    sodium is not among carbonhub's balanced elements; the blowdown carries the chloride as
    dissolved HCl (the NaCl brine, by its chlorine), so the Cl balance closes exactly.

    Capital: an atmospheric venturi scrubber, ``ref.syngas_scrubber`` (Wang et al. 2004,
    carbon steel; the size is the actual inlet gas volume expressed as kmol/h at 1.01325 bar
    and 40 degC, ``gas_flow_acfm_kmol_per_h``).

    Design results: as Scrubber, plus ``gas_flow_acfm_kmol_per_h`` (cost basis),
    ``hcl_removed_kg_s`` and ``caustic_soda_kg_s``.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["CO2", "H2O", "N2", "O2", "HCl", "H2O(L)"])
    >>> gas = Stream.from_flows(cs, {"CO2": 10.0, "H2O": 12.0, "N2": 70.0, "O2": 3.0, "HCl": 0.1},
    ...                         T=450.0, P=1.1e5)
    >>> water = Stream.from_flows(cs, {"H2O(L)": 20.0}, T=298.15, P=1.1e5)
    >>> u = FlueGasScrubber("scrubber")
    >>> r = u.run({"gas": gas, "water": water}, u.resolve({}, 1))
    >>> round(float(r.outlets["gas"]["HCl"][0]), 6), round(float(r.utilities["caustic_soda_kg_s"][0]), 6)
    (0.001, 0.004158)
    """

    params = {
        **Scrubber.params,
        "T_out": Param(333.15, "K", 274.0, 450.0, "gas and liquor outlet temperature [K]"),
        "naoh_ratio": Param(1.05, "", 1.0, 2.0, "mol NaOH per mol HCl removed [-] (assumption: 5 % excess)"),
    }
    costs = (Cost("ref.syngas_scrubber", "gas_flow_acfm_kmol_per_h", label="venturi scrubber"),)

    def run(self, ins, p) -> UnitResult:
        r = super().run(ins, p)
        cs = ins["gas"].cs
        ih = cs.index("HCl")
        hcl = r.outlets["wastewater"].flow[:, ih] - ins["water"].flow[:, ih]
        naoh = p.naoh_ratio * hcl * NAOH_KG_PER_MOL
        r.design["hcl_removed_kg_s"] = hcl * cs.molar_mass[ih]
        r.design["caustic_soda_kg_s"] = naoh
        r.design["gas_flow_acfm_kmol_per_h"] = r.design["gas_flow_m3_s"] * P_REF_ACFM / (R * T_REF_ACFM) * 3.6
        r.utilities = {**r.utilities, "caustic_soda_kg_s": naoh}
        return r

    def build_pyomo(self, b, p, init) -> None:
        """Twin: the Scrubber's, with the venturi size and the caustic among the design results."""
        import pyomo.environ as pyo

        super().build_pyomo(b, p, init)
        u = pyo.units
        cs = b.config.property_package.cs
        g, w, ow = b.sin("gas"), b.sin("water"), b.sout("wastewater")
        terms = {k: b.design[k].expr for k in b.design_names}
        b.del_component(b.design)
        b.del_component(b.design_names)
        hcl = (ow.flow_mol_comp["HCl"] - w.flow_mol_comp["HCl"]) / (u.mol / u.s)
        terms.update({"gas_flow_acfm_kmol_per_h": gas_flow_m3_s(g, cs) * P_REF_ACFM / (R * T_REF_ACFM) * 3.6,
                      "hcl_removed_kg_s": hcl * float(cs.molar_mass[cs.index("HCl")]),
                      "caustic_soda_kg_s": b.par["naoh_ratio"] * hcl * NAOH_KG_PER_MOL})
        eo_design(b, terms, "design results of the twin (as the core's, value in the unit of the key)")
