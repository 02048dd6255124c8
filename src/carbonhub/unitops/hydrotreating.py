"""Dechlorination and hydrotreating of plastic pyrolysis oil: olefin saturation and removal of
Cl, O and N as HCl, H2O and NH3 (S as H2S where present), with the H2 these reactions consume.

Example
-------
>>> from carbonhub.unitops.hydrotreating import REACTIONS
>>> REACTIONS["CH2Cl2"]                       # CH2Cl2 + 2 H2 -> CH4 + 2 HCl
('dechlorination', 2.0, {'CH4': 1.0, 'HCl': 2.0})
"""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream
from ..core.unit import Cost, Param, Unit, UnitResult
from ..twin.helpers import eo_design, eo_effluent_duty, eo_fired_heater_kW, eo_outlet
from ._common import (DAY, FIRED_HEATER_COST, checked_inlets, fired_heater_design, fired_heating, heat_utilities,
                      heating_param, require, status_array)
from ..thermo.engine import use_numba
from ..thermo.rowdot import rowdot
from ._plastics_kernels import hydrotreat_rows

__all__ = ["Hydrotreater", "REACTIONS", "CLASSES"]

BARREL_M3 = 0.158987294928
"""One US oil barrel [m3] (42 US gal, exact)."""

REACTIONS: dict[str, tuple[str, float, dict[str, float]]] = {
    "C8H16": ("saturation", 1.0, {"C8H18": 1.0}),
    "C16H32": ("saturation", 1.0, {"C16H34": 1.0}),
    "C30H60": ("saturation", 1.0, {"C30H62": 1.0}),
    "C8H8": ("saturation", 1.0, {"C8H10": 1.0}),
    "C4H8": ("saturation", 1.0, {"C4H10": 1.0}),
    "C3H6": ("saturation", 1.0, {"C3H8": 1.0}),
    "C2H4": ("saturation", 1.0, {"C2H6": 1.0}),
    "CH2Cl2": ("dechlorination", 2.0, {"CH4": 1.0, "HCl": 2.0}),
    "C6H5OH": ("deoxygenation", 1.0, {"C6H6": 1.0, "H2O": 1.0}),
    "CH3CN": ("denitrogenation", 3.0, {"C2H6": 1.0, "NH3": 1.0}),
}
"""Reactant -> (class, mol H2 per mol, products per mol): olefins (and styrene's vinyl group)
to paraffins (ethylbenzene), organic chlorides (as CH2Cl2) to HCl, oxygenates (as phenol) to
benzene and water, nitriles (as CH3CN) to ethane and NH3. Aromatic rings are not saturated
(mild hydrotreating, as ahead of a steam cracker)."""
CLASSES = ("saturation", "dechlorination", "deoxygenation", "denitrogenation")


class Hydrotreater(Unit):
    """Fixed-bed dechlorination/hydrotreating reactor (NiMo/CoMo on alumina, 300-400 degC,
    30-100 bar) for plastic pyrolysis oil.

    Model
    -----
    * Each reactant of :data:`REACTIONS` in ``feed`` converts by its class's conversion
      (``X_saturation``, ``X_dechlorination``, ``X_deoxygenation``, ``X_denitrogenation``) with
      the stoichiometric H2; H2 comes from the ``h2`` inlet (and any H2 in the feed), the excess
      leaves with the product. If the H2 supplied is short, every conversion is scaled down
      to what the H2 allows and the case is flagged (``h2_short="status"``; ``"scale"``: not
      flagged, for a design spec whose trial make-up may be short, as plastics_pyrolysis's
      treat_gas spec, whose solution never is).
    * One outlet ``product`` at ``T_out`` and ``P`` (reactor effluent after the product
      cooler); the route separates gas, water and the cuts downstream. ``heat`` = H_out - H_in;
      reactor duty at ``T`` (saturation is exothermic) and cooler reported separately.
    * Heating to ``T`` (a positive reactor duty) is a fired heater's (``fired_heat_W``) where
      ``T`` is above the reach of high-pressure steam (``heating = "auto"``, the default:
      :data:`~carbonhub.unitops._common.FIRED_ABOVE_K`), else steam (``steam_heat_W``).

    Design results
    --------------
    oil_feed_bbl_per_d (cost basis, ``ref.hydrotreater``, at ``liquid_density``), h2_consumed_mol_s,
    h2_demand_mol_s (the H2 the set conversions need: the consumption unless the H2 is short),
    h2_consumed_kg_per_t_oil, and the H2 consumed by each
    class (``h2_<class>_mol_s``), duty_reactor_W, duty_cooler_W.

    Example
    -------
    >>> from carbonhub.thermo.components import pyrolysis_components
    >>> from carbonhub.core import Stream
    >>> cs = pyrolysis_components()
    >>> oil = Stream.from_flows(cs, {"C8H16": 1.0, "C8H18": 1.0, "CH2Cl2": 0.01}, T=313.15, P=40e5)
    >>> h2 = Stream.from_flows(cs, {"H2": 1.5}, T=313.15, P=40e5)
    >>> u = Hydrotreater("ht", X_saturation=1.0, X_dechlorination=1.0)
    >>> r = u.run({"feed": oil, "h2": h2}, u.resolve({}, 1))
    >>> round(float(r.design["h2_consumed_mol_s"][0]), 6)     # 1 (olefin) + 0.02 (Cl)
    1.02
    >>> round(float(r.outlets["product"]["HCl"][0]), 6)
    0.02

    References
    ----------
    Kusenberg, M., Eschenbacher, A., Djokic, M.R., et al. (2022). Opportunities and challenges
    for the application of post-consumer plastic waste pyrolysis oils as steam cracker
    feedstocks: to decontaminate or not to decontaminate? Waste Management 138, 83-115,
    doi:10.1016/j.wasman.2021.11.009 (hydrotreating removes Cl, N, O and saturates olefins
    ahead of the cracker).
    """

    inlets = ("feed", "h2")
    outlets = ("product",)
    params = {
        "T": Param(623.15, "K", 523.15, 723.15, "reactor temperature [K]"),
        "P": Param(40e5, "Pa", 5e5, 2e7, "reactor pressure [Pa]"),
        "T_out": Param(313.15, "K", 273.15, 723.15, "effluent temperature after the cooler [K]"),
        "X_saturation": Param(0.99, "", 0.0, 1.0, "conversion of olefins [-]"),
        "X_dechlorination": Param(0.99, "", 0.0, 1.0, "conversion of organic chlorides [-]"),
        "X_deoxygenation": Param(0.95, "", 0.0, 1.0, "conversion of oxygenates [-]"),
        "X_denitrogenation": Param(0.95, "", 0.0, 1.0, "conversion of nitriles [-]"),
        "liquid_density": Param(780.0, "kg/m^3", 500.0, 1200.0, "oil density for the size [kg/m3]"),
        "heating": heating_param(),
        "h2_short": Param("status", "choice", doc="H2 short of the demand: 'status' fails the case, 'scale' "
                          "only scales the conversions down (a design spec's trial make-up)",
                          choices=("status", "scale")),
    }
    costs = (Cost("ref.hydrotreater", "oil_feed_bbl_per_d"),
             Cost(FIRED_HEATER_COST, "fired_heater_kW", pressure="fired_heater_P_barg", label="feed heater"))
    # every reaction's products and the species run() requires; a reactant no case carries
    # drops out of the matrix with its zero extent (core.narrow)
    narrow_adds = tuple(dict.fromkeys(["H2", "CH4", "HCl", "H2O", "NH3", "C2H6",
                                       *(k for _, _, prod in REACTIONS.values() for k in prod)]))

    def _matrix(self, cs) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """Reactant columns (r,), stoichiometric change per mol reacted (r, n_comp) incl. H2,
        and a class mask per class (r,)."""
        react = [k for k in REACTIONS if k in cs]
        ih2 = cs.index("H2")
        nu = np.zeros((len(react), len(cs)))
        for a, k in enumerate(react):
            _, h2, prod = REACTIONS[k]
            nu[a, cs.index(k)] -= 1.0
            nu[a, ih2] -= h2
            for sp, v in prod.items():
                nu[a, cs.index(sp)] += v
        masks = {c: np.array([REACTIONS[k][0] == c for k in react], dtype=bool) for c in CLASSES}
        return cs.indices(react), nu, masks

    def run(self, ins, p) -> UnitResult:
        s, h = checked_inlets(ins, self.id, "feed", "h2")
        cs = s.cs
        require(cs, ("H2", "CH4", "HCl", "H2O", "NH3", "C2H6"), self.id)
        cols, nu, masks = self._matrix(cs)
        ih2 = cs.index("H2")
        mw_oil = np.where(np.isin(np.array(cs.ids), ["H2", "H2O", "H2O(L)"]), 0.0, cs.molar_mass)
        Xc = np.stack([np.broadcast_to(getattr(p, f"X_{c}"), (s.n_cases,)) for c in CLASSES], axis=1)
        if use_numba():  # one compiled pass per case: the same operations as the numpy path below
            cls_of = np.array([CLASSES.index(REACTIONS[cs.ids[j]][0]) for j in cols], dtype=np.int64)
            flow, short, h2cls, per = hydrotreat_rows(s, h, p.T_out, p.T, cols, cls_of, Xc, nu, ih2, mw_oil)
            need, h2c, c_feed, c_h2, H_in, H_out, H_rx, oil_kg = per
            origin = c_feed[:, None] * s.origin + c_h2[:, None] * h.origin
            by_class = {c: h2cls[:, q] for q, c in enumerate(CLASSES)}
        else:
            f0 = s.flow + h.flow
            X = np.zeros((s.n_cases, len(cols)))
            for q, (c, m) in enumerate(masks.items()):
                X[:, m] = Xc[:, q:q + 1]
            ext = f0[:, cols] * X  # mol/s reacted per reactant
            need = rowdot(ext, -nu[:, ih2])  # the demand at the set conversions
            short = need > f0[:, ih2] * (1 + 1e-12)
            scale = np.where(short, np.divide(f0[:, ih2], need, out=np.zeros_like(need), where=need > 0), 1.0)
            ext = ext * scale[:, None]
            flow = f0 + rowdot(ext, nu)
            # where short, all the H2 reacts: exactly none left (not a round-off residue that a
            # recycle of the unreacted gas would chase as a trace component)
            flow[:, ih2] = np.where(short, 0.0, np.maximum(flow[:, ih2], 0.0))
            origin = (s.carbon_by_origin + h.carbon_by_origin)
            H_in = s.enthalpy + h.enthalpy
            H_out = Stream(cs, flow, p.T_out, p.P, check=False).enthalpy
            H_rx = Stream(cs, flow, p.T, p.P, check=False).enthalpy  # the effluent at the reactor T
            h2c = rowdot(ext, -nu[:, ih2])
            oil_kg = rowdot(s.flow, mw_oil)
            by_class = {c: rowdot(ext[:, m], -nu[m, ih2]) for c, m in masks.items()}
        tot = origin.sum(axis=1, keepdims=True)
        origin = np.divide(origin, tot, out=s.origin.copy(), where=tot > 0)
        out = Stream(cs, flow, p.T_out.copy(), p.P.copy(), origin, check=False)
        heat = H_out - H_in
        duty_rx = H_rx - H_in
        design = {
            "oil_feed_bbl_per_d": oil_kg / p.liquid_density * DAY / BARREL_M3,
            "h2_consumed_mol_s": h2c,
            "h2_demand_mol_s": need,
            "h2_consumed_kg_per_t_oil": np.divide(h2c * cs.molar_mass[ih2] * 1000.0, oil_kg,
                                                  out=np.zeros(s.n_cases), where=oil_kg > 0),
            **{f"h2_{c}_mol_s": v for c, v in by_class.items()},
            "duty_reactor_W": duty_rx, "duty_cooler_W": heat - duty_rx,
        }
        fired = fired_heating(p, p.T)
        design.update(fired_heater_design(fired, duty_rx, p.P))
        util = heat_utilities(duty_rx, heat - duty_rx, fired)
        if str(p.scalar("h2_short")) == "scale":
            short = np.zeros_like(short)
        status = status_array(short, "H2 supplied is short of the hydrotreating demand: conversions scaled down")
        return UnitResult({"product": out}, heat, np.zeros(s.n_cases), design, util, status)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: extents = conversion x reactant flow (each class's conversion a parameter),
        H2 by stoichiometry; effluent at ``T_out`` and ``P``; heat from the energy balance. A
        case whose H2 was short in the core is frozen at the core's scaling factor."""
        import pyomo.environ as pyo

        cs = b.config.property_package.cs
        cols, nu, masks = self._matrix(cs)
        react = [cs.ids[i] for i in cols]
        fs_, fh = b.sin("feed"), b.sin("h2")
        f0 = {j: fs_.flow_mol_comp[j] + fh.flow_mol_comp[j] for j in cs.ids}
        d0 = init.design
        need0 = float(np.ravel(d0["h2_consumed_mol_s"])[0])
        s0 = init.inlets["feed"].flow[0] + init.inlets["h2"].flow[0]
        ih2 = cs.index("H2")
        full = float(sum(s0[cols[a]] * float(p[f"X_{REACTIONS[k][0]}"]) * -nu[a, ih2]
                         for a, k in enumerate(react)))
        scale = need0 / full if full > 0 and need0 < full * (1 - 1e-12) else 1.0
        ext = {k: scale * b.par[f"X_{REACTIONS[k][0]}"] * f0[k] for k in react}
        flows = {j: f0[j] + sum(ext[k] * float(nu[a, cs.index(j)]) for a, k in enumerate(react)
                                if nu[a, cs.index(j)] != 0) for j in cs.ids}
        eo_outlet(b, "product", flows, b.pv("T_out"), b.pv("P"), "hydrotreated effluent")
        b.power.fix(0.0)
        b.add_energy_balance()
        u = pyo.units
        oil = [j for j in cs.ids if j not in ("H2", "H2O", "H2O(L)")]
        oil_kg = sum(fs_.flow_mol_comp[j] * float(cs.molar_mass[cs.index(j)]) * u.kg / u.mol for j in oil)
        eo_design(b, {"h2_consumed_mol_s": sum(ext[k] * float(-nu[a, ih2]) for a, k in enumerate(react))
                      / (u.mol / u.s),
                      "h2_demand_mol_s": sum(b.par[f"X_{REACTIONS[k][0]}"] * f0[k] * float(-nu[a, ih2])
                                             for a, k in enumerate(react)) / (u.mol / u.s),
                      "oil_feed_bbl_per_d": oil_kg / b.pv("liquid_density") * (DAY / BARREL_M3 * u.s / u.m**3),
                      "fired_heater_kW": eo_fired_heater_kW(init, eo_effluent_duty(b, flows, b.pv("T"), water_vapour=False))},
                  "design results: H2 consumed and demanded at the set conversions [mol/s], oil feed "
                  "[bbl/d] (cost basis), fired feed heater [kW] (cost basis)")
