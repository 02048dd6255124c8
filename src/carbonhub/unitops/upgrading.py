"""Upgrading of Fischer-Tropsch syncrude: wax hydrocracking with a yield structure, and a
product fractionator that splits the C5+ liquid into naphtha, jet and diesel.

Example
-------
>>> from carbonhub.unitops.upgrading import HYDROCRACKER_YIELDS
>>> round(sum(HYDROCRACKER_YIELDS.values()), 12)
1.0
"""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream, mix_origins
from ..core.unit import Cost, Param, Unit, UnitResult
from ..twin.helpers import eo_design, eo_effluent_duty, eo_fired_heater_kW, eo_outlet
from ._common import (DAY, FIRED_HEATER_COST, LIQUID_HC, checked_inlets, fired_heater_design, fired_heating,
                      heat_utilities, heating_param, reactor_and_cooler_duties, require, require_map, status_array)
from ..thermo.rowdot import rowdot

__all__ = ["Hydrocracker", "ProductFractionator", "HYDROCRACKER_YIELDS"]

BARREL_M3 = 0.158987294928
"""One US oil barrel [m3] (42 US gal, exact)."""

HYDROCRACKER_YIELDS: dict[str, float] = {"naphtha": 0.20, "jet": 0.25, "diesel": 0.50,
                                         "lights": 0.05}
"""Default mass fractions of the products of cracked FT wax: naphtha (C5-C9, as C8H18), jet
(C9-C14, as C12H26), diesel (C15-C20, as C16H34), light ends (C3-C4). Representative of the
high middle-distillate selectivity (~75 %) of LTFT wax hydrocracking reported by Leckel (2009)
and de Klerk (2011); to be replaced by a catalyst-specific yield structure (e.g. the
hydroprocessing yields of Swanson et al. 2010)."""

_PRODUCTS = ("C8H18", "C12H26", "C16H34", "C3H8", "C4H10")


class Hydrocracker(Unit):
    """Hydrocracker of FT wax (C30H62) and, optionally, part of the distillate (C16H34) into
    naphtha (C8H18), jet (C12H26), diesel (C16H34) and light ends (C3H8, C4H10).

    Model
    -----
    * ``wax_conversion`` of the C30H62 and ``c16_conversion`` of the C16H34 in ``feed`` are
      cracked. The cracked wax gives the products in the mass fractions ``y_naphtha``,
      ``y_jet``, ``y_diesel``, ``y_lights`` (normalised to 1; lights split by
      ``lights_c3_fraction`` into C3H8, the rest C4H10). Cracked C16H34 gives the same
      structure without the diesel cut (renormalised; nothing if ``y_diesel`` = 1).
    * The total product mass follows from the carbon balance (mass fractions x carbon content
      of each representative paraffin); the H2 consumed is the H balance, so all elements
      close exactly. H2 comes from the ``h2`` inlet (and any H2 in ``feed``); the excess leaves
      in ``offgas``. If the H2 supplied is short, the case is flagged and both conversions
      are scaled down to what the H2 allows.
    * Outlets at ``T_out`` and ``P``: ``product`` (the C5+ liquid, uncracked feed included),
      ``offgas`` (H2, light ends and every other gas). Other C5+ species pass through.
    * Heat: ``heat`` = H_out - H_in; reactor part at ``T`` (cracking is exothermic) and cooler.
      Heating the feed to ``T`` is a fired heater's duty (``fired_heat_W``) above the reach of
      high-pressure steam (``heating``, as :class:`~carbonhub.unitops.hydrotreating.Hydrotreater`).
    * Design: wax feed in barrels per day (cost basis, at ``liquid_density``), H2 consumption.

    Parameters
    ----------
    wax_conversion, c16_conversion : fractions cracked [-]
    y_naphtha, y_jet, y_diesel, y_lights : mass yields of cracked wax [-]
    lights_c3_fraction : C3H8 share of the light ends by mass [-]
    T : reactor temperature [K];  P : pressure [Pa];  T_out : outlet temperature [K]
    liquid_density : density of the liquid feed for volumetric rates [kg/m3]

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> from carbonhub.unitops.upgrading import Hydrocracker
    >>> cs = ComponentSet.default()
    >>> wax = Stream.from_flows(cs, {"C30H62": 1.0, "C16H34": 0.5}, T=473.15, P=50e5)
    >>> h2 = Stream.from_flows(cs, {"H2": 5.0}, T=313.15, P=50e5)
    >>> hc = Hydrocracker("hcr")
    >>> r = hc.run({"feed": wax, "h2": h2}, hc.resolve({}, 1))
    >>> round(float(r.design["h2_consumed_mol_s"][0]), 4)
    1.7386
    >>> round(float(r.design["h2_consumption_wt_pct"][0]), 3)   # of the liquid feed
    0.654

    References
    ----------
    Leckel, D. (2009), Diesel production from Fischer-Tropsch: the past, the present, and new
    concepts, Energy Fuels 23:2342-2358, doi:10.1021/ef900064c; de Klerk, A. (2011),
    Fischer-Tropsch Refining, Wiley-VCH, doi:10.1002/9783527635603; Swanson, R.M. et al.
    (2010), NREL/TP-6A20-46587 (hydroprocessing area of a biomass FT plant).
    """

    inlets = ("feed", "h2")
    outlets = ("product", "offgas")
    params = {
        "wax_conversion": Param(1.0, "", 0.0, 1.0, "fraction of C30H62 cracked [-]"),
        "c16_conversion": Param(0.0, "", 0.0, 1.0, "fraction of C16H34 cracked [-]"),
        "y_naphtha": Param(HYDROCRACKER_YIELDS["naphtha"], "", 0.0, 1.0,
                           "naphtha (C8H18) mass yield of cracked wax [-]"),
        "y_jet": Param(HYDROCRACKER_YIELDS["jet"], "", 0.0, 1.0, "jet (C12H26) mass yield [-]"),
        "y_diesel": Param(HYDROCRACKER_YIELDS["diesel"], "", 0.0, 1.0,
                          "diesel (C16H34) mass yield [-]"),
        "y_lights": Param(HYDROCRACKER_YIELDS["lights"], "", 0.0, 1.0,
                          "light ends (C3-C4) mass yield [-]"),
        "lights_c3_fraction": Param(0.5, "", 0.0, 1.0, "C3H8 share of the light ends [-]"),
        "T": Param(623.15, "K", 473.15, 773.15, "reactor temperature [K]"),
        "P": Param(50e5, "Pa", 1e5, 2e7, "pressure [Pa]"),
        "T_out": Param(313.15, "K", 273.15, 773.15, "outlet temperature [K]"),
        "liquid_density": Param(780.0, "kg/m^3", 500.0, 1100.0,
                                "liquid feed density for bbl/d [kg/m3] (~n-hexadecane)"),
        "heating": heating_param(),
    }
    costs = (Cost("ref.hydrocracker", "wax_feed_bbl_per_d"),
             Cost(FIRED_HEATER_COST, "fired_heater_kW", pressure="fired_heater_P_barg", label="feed heater"))
    narrow_adds = ("H2", "C30H62", *_PRODUCTS)  # its products; H2 and the wax read by id (core.narrow)

    def run(self, ins, p) -> UnitResult:
        s, h = checked_inlets(ins, self.id, "feed", "h2")
        cs = s.cs
        need_ids = ("H2", "C30H62") + _PRODUCTS
        ix = require_map(cs, need_ids, self.id, "hydrocracker products")
        n = s.n_cases
        M = cs.molar_mass
        E = cs.element_matrix
        iC, iH = cs.elements.index("C"), cs.elements.index("H")
        pidx = np.array([ix[c] for c in _PRODUCTS])
        nC, nH, Mp = E[pidx, iC], E[pidx, iH], M[pidx]
        yl = p.y_lights
        y = np.stack([p.y_naphtha, p.y_jet, p.y_diesel, yl * p.lights_c3_fraction,
                      yl * (1 - p.lights_c3_fraction)], axis=1)
        tot = y.sum(axis=1, keepdims=True)
        if (tot <= 0).any():
            raise ValueError(f"{self.id}: y_naphtha + y_jet + y_diesel + y_lights = 0 in case "
                             f"{int(np.argmax(tot[:, 0] <= 0))}: expected a positive sum")
        y = y / tot
        y16 = y.copy()
        y16[:, 2] = 0.0
        t16 = y16.sum(axis=1, keepdims=True)
        can16 = t16[:, 0] > 0
        y16 = np.divide(y16, t16, out=np.zeros_like(y16), where=t16 > 0)
        # mol of each product per mol C cracked: y_k / M_k / sum_j(y_j nC_j / M_j)
        per_c = (y / Mp) / ((y * nC / Mp).sum(axis=1, keepdims=True))
        per_c16 = np.divide(y16 / Mp, (y16 * nC / Mp).sum(axis=1, keepdims=True),
                            out=np.zeros_like(y16), where=t16 > 0)
        F = s.flow
        wax, c16 = F[:, ix["C30H62"]], F[:, ix["C16H34"]]
        x_w = p.wax_conversion.copy()
        x_d = np.where(can16, p.c16_conversion, 0.0)
        nC30, nH30 = E[ix["C30H62"], iC], E[ix["C30H62"], iH]
        nC16, nH16 = E[ix["C16H34"], iC], E[ix["C16H34"], iH]
        # H2 per unit conversion (linear in the conversions)
        h2_w = 0.5 * (wax * nC30 * rowdot(per_c, nH) - wax * nH30)
        h2_d = 0.5 * (c16 * nC16 * rowdot(per_c16, nH) - c16 * nH16)
        need = x_w * h2_w + x_d * h2_d
        avail = h.flow[:, ix["H2"]] + F[:, ix["H2"]]
        short = need > avail * (1 + 1e-12)
        f = np.divide(avail, need, out=np.ones(n), where=short)  # short => need > avail >= 0
        x_w, x_d = x_w * f, x_d * f
        out = F + h.flow
        out[:, ix["C30H62"]] -= x_w * wax
        out[:, ix["C16H34"]] -= x_d * c16
        out[:, pidx] += (x_w * wax * nC30)[:, None] * per_c + (x_d * c16 * nC16)[:, None] * per_c16
        used = x_w * h2_w + x_d * h2_d
        out[:, ix["H2"]] = np.where(short, 0.0, avail - used)
        out = np.maximum(out, 0.0)
        liq = np.isin(np.array(cs.ids), LIQUID_HC) | (cs.phase != "gas")
        origin = mix_origins([s, h])
        T_out, P = p.T_out.copy(), p.P.copy()
        outlets = {"product": Stream(cs, out * liq, T_out, P, origin, check=False),
                   "offgas": Stream(cs, out * ~liq, T_out, P, origin, check=False)}
        H_in = s.enthalpy + h.enthalpy
        heat, duty_rx, duty_cool = reactor_and_cooler_duties(cs, H_in, out, p.T, outlets)
        liq_hc = np.isin(np.array(cs.ids), LIQUID_HC)
        feed_kg_s = rowdot(F * liq_hc, M)
        wax_kg_s = wax * M[ix["C30H62"]]
        cracked_kg_s = x_w * wax * M[ix["C30H62"]] + x_d * c16 * M[ix["C16H34"]]
        md = (per_c[:, 1] * Mp[1] + per_c[:, 2] * Mp[2]) / rowdot(per_c, Mp)
        design = {
            "h2_consumed_mol_s": used,
            "h2_consumption_wt_pct": 100 * np.divide(used * M[ix["H2"]], feed_kg_s,
                                                     out=np.zeros(n), where=feed_kg_s > 0),
            "wax_conversion": x_w, "c16_conversion": x_d,
            "cracked_kg_s": cracked_kg_s,
            "middle_distillate_yield": md,
            "wax_feed_bbl_per_d": wax_kg_s / p.liquid_density / BARREL_M3 * DAY,
            "feed_bbl_per_d": feed_kg_s / p.liquid_density / BARREL_M3 * DAY,
            "duty_W": duty_rx, "cooling_duty_W": duty_cool,
            "T_K": p.T.copy(), "P_bar": P / 1e5,
        }
        status = None
        if short.any():
            k = np.flatnonzero(short)
            status = status_array(short, [
                f"H2-limited: {a:.4g} mol/s H2 supplied, {b:.4g} mol/s needed; conversions "
                f"scaled by {c:.4g}" for a, b, c in zip(avail[k], need[k], f[k])])
        fired = fired_heating(p, p.T)
        design.update(fired_heater_design(fired, duty_rx, P))
        return UnitResult(outlets, heat, np.zeros(n), design, heat_utilities(duty_rx, duty_cool, fired),
                          status)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: the balances of ``run`` as Pyomo expressions of the conversions and of the
        yields ``y_*`` and ``lights_c3_fraction`` (normalised as numpy does), so that an
        optimiser can vary them. Frozen at the case: whether cracked C16H34 has any product
        (``y_diesel`` < 1). Not mirrored: the H2-short branch (flagged in the core; the
        H2 >= 0 bound of ``offgas`` plays that role in the twin).
        """
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        need_ids = ("H2", "C30H62") + _PRODUCTS
        require(cs, need_ids, self.id, "hydrocracker products")
        F, Fh = b.sin("feed").flow_mol_comp, b.sin("h2").flow_mol_comp
        par = b.par
        E, M = cs.element_matrix, cs.molar_mass
        iC, iH = cs.elements.index("C"), cs.elements.index("H")
        nC = {j: float(E[cs.index(j), iC]) for j in need_ids}
        nH = {j: float(E[cs.index(j), iH]) for j in need_ids}
        Mp = {j: float(M[cs.index(j)]) for j in _PRODUCTS}
        yl = par["y_lights"]
        y = dict(zip(_PRODUCTS, (par["y_naphtha"], par["y_jet"], par["y_diesel"],
                                 yl * par["lights_c3_fraction"], yl * (1 - par["lights_c3_fraction"]))))
        tot = sum(y.values())
        y = {j: v / tot for j, v in y.items()}
        t16 = sum(v for j, v in y.items() if j != "C16H34")
        y16 = {j: (0.0 if j == "C16H34" else v / t16) for j, v in y.items()}  # without the diesel cut
        f = {k: float(p[k]) for k in ("y_naphtha", "y_jet", "y_lights")}
        can16 = f["y_naphtha"] + f["y_jet"] + f["y_lights"] > 0
        b.products = pyo.Set(initialize=_PRODUCTS, ordered=True, doc="hydrocracker products")
        b.per_c_wax = pyo.Expression(
            b.products, rule=lambda b, j: (y[j] / Mp[j]) / sum(y[k] * nC[k] / Mp[k] for k in _PRODUCTS),
            doc="mol of product j per mol C of cracked wax [-]")
        b.per_c_c16 = pyo.Expression(
            b.products, rule=lambda b, j: ((y16[j] / Mp[j]) / sum(y16[k] * nC[k] / Mp[k] for k in _PRODUCTS)
                                           if can16 and j != "C16H34" else 0.0),
            doc="mol of product j per mol C of cracked C16H34 (no diesel cut) [-]")
        wax, c16 = F["C30H62"], F["C16H34"]
        x_w = par["wax_conversion"]
        x_d = par["c16_conversion"] if can16 else 0.0

        def h2_per(flow, sp, per):  # H2 per unit conversion of species sp
            return 0.5 * (flow * nC[sp] * sum(per[j] * nH[j] for j in _PRODUCTS) - flow * nH[sp])

        b.h2_consumed = pyo.Expression(
            expr=x_w * h2_per(wax, "C30H62", b.per_c_wax) + x_d * h2_per(c16, "C16H34", b.per_c_c16),
            doc="H2 consumed [mol/s]")
        delta = {j: x_w * wax * nC["C30H62"] * b.per_c_wax[j]
                 + x_d * c16 * nC["C16H34"] * b.per_c_c16[j] for j in _PRODUCTS}
        delta["C30H62"] = -x_w * wax
        delta["C16H34"] = delta["C16H34"] - x_d * c16
        delta["H2"] = -b.h2_consumed
        b.effluent = pyo.Expression(b.comps, rule=lambda b, j: F[j] + Fh[j] + delta.get(j, 0.0),
                                    doc="reactor effluent (feed + H2 + cracking) [mol/s]")
        eff = b.effluent
        liq = dict(zip(cs.ids, np.isin(np.array(cs.ids), LIQUID_HC) | (cs.phase != "gas")))
        T_out, P = b.pv("T_out"), b.pv("P")
        eo_outlet(b, "product", {j: eff[j] for j in cs.ids if liq[j]}, T_out, P, "C5+ liquid")
        eo_outlet(b, "offgas", {j: eff[j] for j in cs.ids if not liq[j]}, T_out, P, "H2, light ends, gases")
        b.power.fix(0.0)
        b.add_energy_balance()
        wax_m3 = wax * float(M[cs.index("C30H62")]) * u.kg / u.mol / b.pv("liquid_density")
        duty = eo_effluent_duty(b, {j: eff[j] for j in cs.ids}, b.pv("T"), water_vapour=False)
        eo_design(b, {
            "wax_feed_bbl_per_d": u.convert(wax_m3, to_units=u.m**3 / u.day) / (BARREL_M3 * u.m**3 / u.day),
            "h2_consumed_mol_s": b.h2_consumed * 1.0,
            "duty_W": duty,
            "fired_heater_kW": eo_fired_heater_kW(init, duty),
        }, "design results: wax feed [bbl/d] (cost basis), H2 consumed [mol/s], reactor duty [W], fired feed "
           "heater [kW] (cost basis)")


class ProductFractionator(Unit):
    """Splits a C5+ liquid by component into ``naphtha`` (everything but the cuts below),
    ``jet`` (C12H26) and ``diesel`` (C16H34 and the wax C30H62), isothermal and isobaric
    (a sharp split by representative component, uncosted). biomass_ft fractionates with two
    :class:`~carbonhub.unitops.columns.ShortcutColumn` (naphtha/jet and jet/diesel keys), sized
    and costed; this split stays for a flowsheet that wants the cuts without a column.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> from carbonhub.unitops.upgrading import ProductFractionator
    >>> cs = ComponentSet.default()
    >>> liq = Stream.from_flows(cs, {"C8H18": 1.0, "C12H26": 0.5, "C16H34": 0.3}, T=313.15, P=2e5)
    >>> fr = ProductFractionator("frac")
    >>> r = fr.run({"feed": liq}, fr.resolve({}, 1))
    >>> [float(r.outlets[k].total_flow[0]) for k in ("naphtha", "jet", "diesel")]
    [1.0, 0.5, 0.3]

    References
    ----------
    de Klerk, A. (2011), Fischer-Tropsch Refining, Wiley-VCH, doi:10.1002/9783527635603
    (boiling ranges of the naphtha, jet and diesel cuts of FT syncrude).
    """

    inlets = ("feed",)
    outlets = ("naphtha", "jet", "diesel")
    JET = ("C12H26",)
    DIESEL = ("C16H34", "C30H62")

    def run(self, ins, p) -> UnitResult:
        s = checked_inlets(ins, self.id, "feed")
        ids = np.array(s.cs.ids)
        jet = np.isin(ids, self.JET)
        dsl = np.isin(ids, self.DIESEL)
        nap = ~jet & ~dsl
        out = {k: s.with_(flow=s.flow * m) for k, m in (("naphtha", nap), ("jet", jet), ("diesel", dsl))}
        z = np.zeros(s.n_cases)
        return UnitResult(out, z, z.copy())

    def build_pyomo(self, b, p, init) -> None:
        """Twin: sharp split by component, outlets at the feed's T and P."""
        cs = b.config.property_package.cs
        fi = b.sin("feed")
        cut = {j: ("jet" if j in self.JET else "diesel" if j in self.DIESEL else "naphtha") for j in cs.ids}
        for port in self.outlet_names:
            eo_outlet(b, port, {j: fi.flow_mol_comp[j] for j in cs.ids if cut[j] == port},
                      fi.temperature, fi.pressure, "its components of the feed")
        b.heat.fix(0.0)
        b.power.fix(0.0)
