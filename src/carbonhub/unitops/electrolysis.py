"""Water electrolysis (PEM or alkaline) for green hydrogen."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core.stream import Stream
from ..core.unit import Cost, Param, Unit, UnitResult
from ..twin.helpers import set_flows
from ._common import KWH, tech_default

ELECTROLYSER_SEC = {"pem": 55.0, "alkaline": 52.5}
"""Default system electricity use [kWh/kg H2], inside the 2020 state-of-the-art ranges of
IRENA (2020), Green Hydrogen Cost Reduction, Table 1 / Fig. 12: alkaline 50-78, PEM 50-83
kWh/kg H2 (system, incl. balance of plant); 55 kWh/kg is 61 % of the H2 LHV (33.3 kWh/kg)."""

LHV_H2_KWH_PER_KG = 33.33
ELECTROLYSER_SEC_TABLE = {tech: {"sec": sec} for tech, sec in ELECTROLYSER_SEC.items()}


class Electrolyser(Unit):
    """Water electrolyser (PEM or alkaline): 2 H2O(L) -> 2 H2 + O2.

    ``water_conversion`` of the (demineralised) water fed is split; the rest leaves as
    ``water_out``. Electricity = ``sec_kWh_per_kg`` (system; default: the
    technology's, ELECTROLYSER_SEC) x H2 produced; it is the unit's ``power``; the rejected heat closes
    the enthalpy balance (``heat`` < 0, to cooling). Products leave at ``T``; H2 at ``P``
    (pressurised stack), O2 at ``P_o2``; both dry (the water they carry is in water_out).
    Non-water species in the feed leave with water_out.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["H2O(L)", "H2", "O2"])
    >>> w = Stream.from_flows(cs, {"H2O(L)": 100.0}, T=298.15, P=31e5)
    >>> el = Electrolyser("el", technology="pem")
    >>> r = el.run({"water": w}, el.resolve({}, 1))
    >>> round(float(r.design["power_kW"][0] / r.design["h2_kg_per_h"][0]), 3)
    55.0

    References
    ----------
    IRENA (2020), Green Hydrogen Cost Reduction: Scaling up Electrolysers to Meet the 1.5 °C
    Climate Goal, International Renewable Energy Agency, Abu Dhabi, ISBN 978-92-9260-295-6.
    """

    inlets = ("water",)
    outlets = ("h2", "o2", "water_out")
    params = {
        "technology": Param("pem", "choice", doc="electrolyser type", choices=("pem", "alkaline")),
        "sec_kWh_per_kg": Param(tech_default(ELECTROLYSER_SEC_TABLE, "sec", "unitops.electrolysis.ELECTROLYSER_SEC"),
                                "", LHV_H2_KWH_PER_KG, 200.0,
                                "system electricity per kg H2 [kWh/kg] (default: the technology's; at least "
                                "the H2 LHV)"),
        "water_conversion": Param(1.0, "", 0.0, 1.0, "fraction of the fed water electrolysed [-]"),
        "T": Param(353.15, "K", 273.16, 1200.0, "product temperature [K]"),
        "P": Param(30e5, "Pa", 1e4, 1e7, "H2 pressure [Pa]"),
        "P_o2": Param(1.2e5, "Pa", 1e4, 1e7, "O2 pressure [Pa]"),
    }

    def __init__(self, id: str, **values: Any):
        super().__init__(id, **values)
        tech = self.values.get("technology", "pem")
        self.costs = (Cost(f"ref.electrolyser_{tech}", "power_kW"),)

    def run(self, ins, p) -> UnitResult:
        s = ins["water"]
        cs = s.cs
        iw, ih, io = cs.index("H2O(L)"), cs.index("H2"), cs.index("O2")
        sec = p.sec_kWh_per_kg
        n_h2 = p.water_conversion * s.flow[:, iw]
        h2 = np.zeros_like(s.flow)
        h2[:, ih] = n_h2
        o2 = np.zeros_like(s.flow)
        o2[:, io] = 0.5 * n_h2
        rest = s.flow.copy()
        rest[:, iw] -= n_h2
        kg_h2 = n_h2 * cs.molar_mass[ih]
        power = sec * kg_h2 * KWH
        org = s.origin
        outs = {"h2": Stream(cs, h2, p.T.copy(), p.P.copy(), org, check=False),
                "o2": Stream(cs, o2, p.T.copy(), p.P_o2.copy(), org, check=False),
                "water_out": Stream(cs, np.clip(rest, 0.0, None), p.T.copy(), s.P.copy(), org, check=False)}
        heat = sum(o.enthalpy for o in outs.values()) - s.enthalpy - power
        design = {"power_kW": power / 1e3, "h2_kg_per_h": kg_h2 * 3600, "sec_kWh_per_kg": sec,
                  "efficiency_lhv": np.where(power > 0, LHV_H2_KWH_PER_KG / sec, 0.0),
                  "heat_rejected_W": -heat, "o2_t_per_d": 0.5 * n_h2 * cs.molar_mass[io] * 86.4,
                  "water_used_kg_s": n_h2 * cs.molar_mass[iw]}
        # the water arrives as the inlet stream (priced where it enters the flowsheet)
        util = {"electricity_W": power, "cooling_W": np.maximum(-heat, 0.0)}
        return UnitResult(outs, heat, power, design, util)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: 2 H2O(L) -> 2 H2 + O2 on ``water_conversion`` of the water; power = specific
        electricity x H2 mass; products at T, P and P_o2; ``heat`` closes the balance."""
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        mw = b.config.property_package.mw
        fi = b.sin("water")
        f = fi.flow_mol_comp
        n_h2 = b.par["water_conversion"] * f["H2O(L)"]
        set_flows(b, "h2", {"H2": n_h2}, "hydrogen")
        set_flows(b, "o2", {"O2": 0.5 * n_h2}, "oxygen")
        set_flows(b, "water_out", {j: f[j] - (n_h2 if j == "H2O(L)" else 0.0 * u.mol / u.s) for j in cs.ids},
                   "water not electrolysed and non-water species")
        sec = b.par["sec_kWh_per_kg"]
        b.eq_power = pyo.Constraint(expr=b.power == u.convert(sec * u.kW * u.hour / u.kg * n_h2 * mw["H2"], to_units=u.W),
                                    doc="electricity = specific consumption x H2 mass")
        for port, P in (("h2", b.pv("P")), ("o2", b.pv("P_o2")), ("water_out", fi.pressure)):
            b.add_component(f"eq_T_{port}", pyo.Constraint(expr=b.sout(port).temperature == b.pv("T"),
                                                           doc="product temperature"))
            b.add_component(f"eq_P_{port}", pyo.Constraint(expr=b.sout(port).pressure == P, doc=f"{port} pressure"))
        b.add_energy_balance("energy balance: heat (rejected) = H_out - H_in - power")
