"""Cryogenic air separation unit (oxygen for the gasifier)."""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream
from ..core.unit import Cost, Param, Unit, UnitResult
from ._common import DAY, KWH, SHORT_TON
from ..thermo.rowdot import rowsum

__all__ = ["AirSeparationUnit"]


class AirSeparationUnit(Unit):
    """Cryogenic air separation: oxygen of ``purity`` (mol O2, balance argon and nitrogen) in
    ``o2``; the rest of the air (N2, remaining O2 and Ar, and the CO2 and water removed by the
    front-end purification) in ``n2``.

    Of the air's O2 the fraction ``o2_recovery`` goes to the product. The impurity of the
    product is ``ar_share_of_impurity`` argon (argon boils at 87.3 K, close to O2 at 90.2 K, so
    it is the main impurity of 99.5 % oxygen), limited to the argon available, and N2 for the
    rest. Power = ``specific_power_kWh_per_t`` x O2 product; it is rejected to cooling water
    (products leave at ``T_out``), so ``heat = H_out - H_in - power``.

    Parameters
    ----------
    purity : O2 mole fraction of the product [-], default 0.995.
    o2_recovery : [-], default 0.95 (assumption).
    specific_power_kWh_per_t : [kWh per t of O2 product], default 200: the benchmark of
        0.28 kWh/Nm3 O2 (~196 kWh/t) of Alsultanny & Al-Shammari (2014) for modern cryogenic
        ASUs; older plants 0.46-0.64 kWh/Nm3. Compression of the O2 to gasifier pressure adds
        to it.
    ar_share_of_impurity : [-], default 0.9 (assumption).
    T_out : product temperature [K], default 298.15.

    Design results
    --------------
    o2_kg_s, o2_t_per_d, o2_short_ton_per_d (cost basis of ``ref.air_separation_unit_netl``,
    US short tons per day), purity, power_kW, air_mol_s.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> from carbonhub.unitops.sources import AIR
    >>> cs = ComponentSet.default()
    >>> air = Stream.from_flows(cs, {k: 100.0 * v for k, v in AIR.items()}, T=298.15, P=101325.0)
    >>> asu = AirSeparationUnit("asu")
    >>> asu.cs = cs
    >>> r = asu.run({"air": air}, asu.resolve({}, 1))
    >>> round(float(r.outlets["o2"].mole_fractions[0, cs.index("O2")]), 6)
    0.995
    >>> round(float(r.design["power_kW"][0]), 1)      # 200 kWh/t x 19.9 mol/s x 32 g/mol
    458.5

    References
    ----------
    Alsultanny, Y.A., Al-Shammari, N.N. (2014). Oxygen specific power consumption comparison for
    air separation units. Engineering Journal 18(2), 67-80, doi:10.4186/ej.2014.18.2.67.
    Smith, A.R., Klosek, J. (2001). A review of air separation technologies and their
    integration with energy conversion processes. Fuel Processing Technology 70, 115-134,
    doi:10.1016/S0378-3820(01)00131-X.
    """

    inlets = ("air",)
    outlets = ("o2", "n2")
    params = {
        "purity": Param(0.995, "", 0.5, 0.99999, "O2 mole fraction of the product [-]"),
        "o2_recovery": Param(0.95, "", 0.01, 1.0, "fraction of the air's O2 in the product [-]"),
        "specific_power_kWh_per_t": Param(200.0, "kWh/t", 10.0, 2000.0,
                                          "electricity per t of O2 product [kWh/t]"),
        "ar_share_of_impurity": Param(0.9, "", 0.0, 1.0, "argon share of the product impurity [-]"),
        "T_out": Param(298.15, "K", 200.0, 600.0, "product temperature [K]"),
    }
    costs = (Cost("ref.air_separation_unit_netl", "o2_short_ton_per_d"),)

    def run(self, ins, p) -> UnitResult:
        s = ins["air"]
        s.validate()
        cs = s.cs
        n = s.n_cases
        io2, iar, in2 = cs.index("O2"), cs.index("Ar"), cs.index("N2")
        o2 = p.o2_recovery * s.flow[:, io2]
        imp = o2 * (1.0 - p.purity) / p.purity
        ar = np.minimum(p.ar_share_of_impurity * imp, s.flow[:, iar])
        n2 = imp - ar
        status = None
        short = n2 > s.flow[:, in2] * (1 + 1e-12)
        if short.any():
            status = np.where(short, "not enough N2 + Ar in the air for this purity", "ok").astype(object)
            n2 = np.minimum(n2, s.flow[:, in2])
        prod = np.zeros_like(s.flow)
        prod[:, io2], prod[:, iar], prod[:, in2] = o2, ar, n2
        rest = s.flow - prod
        T = p.T_out.copy()
        o2s = Stream(cs, prod, T, s.P.copy(), s.origin.copy(), check=False)
        n2s = Stream(cs, rest, T.copy(), s.P.copy(), s.origin.copy(), check=False)
        o2_kg = o2 * cs.molar_mass[io2]
        power = p.specific_power_kWh_per_t * KWH / 1000.0 * o2_kg
        heat = o2s.enthalpy + n2s.enthalpy - s.enthalpy - power
        tot = rowsum(prod)
        design = {
            "o2_kg_s": o2_kg,
            "o2_t_per_d": o2_kg * 86.4,
            "o2_short_ton_per_d": o2_kg * DAY / SHORT_TON,
            "purity": np.divide(o2, tot, out=np.full(n, np.nan), where=tot > 0),
            "power_kW": power / 1000.0,
            "air_mol_s": s.total_flow,
        }
        util = {"electricity_W": power, "cooling_W": np.maximum(-heat, 0.0)}
        return UnitResult({"o2": o2s, "n2": n2s}, heat, power, design, util, status)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: O2 product = recovery x O2 in; impurity = O2 (1 - purity)/purity, argon
        ``ar_share_of_impurity`` of it (or all the argon, whichever is less: the branch is frozen
        at the core solution), N2 the rest; both products at ``T_out`` and the inlet pressure;
        power = specific power x O2 product; heat from the energy balance."""
        import pyomo.environ as pyo

        from ..twin.helpers import design_expressions, flow_constraints

        u = pyo.units
        cs = b.config.property_package.cs
        fa, so, sn = b.sin("air"), b.sout("o2"), b.sout("n2")
        s0 = init.inlets["air"]
        pur, rec, share = (float(p[k]) for k in ("purity", "o2_recovery", "ar_share_of_impurity"))
        o2_0 = rec * float(s0.flow[0, cs.index("O2")])
        ar_limited = share * o2_0 * (1.0 - pur) / pur > float(s0.flow[0, cs.index("Ar")])
        b.o2_product = pyo.Expression(expr=b.par["o2_recovery"] * fa.flow_mol_comp["O2"],
                                      doc="O2 in the product [mol/s]")
        b.impurity = pyo.Expression(expr=b.o2_product * (1.0 - b.par["purity"]) / b.par["purity"],
                                    doc="Ar + N2 in the product [mol/s]")
        ar = fa.flow_mol_comp["Ar"] if ar_limited else b.par["ar_share_of_impurity"] * b.impurity
        prod = {"O2": b.o2_product, "Ar": ar, "N2": b.impurity - ar}
        flow_constraints(b, "eq_o2", so, prod, "oxygen product")
        rest = {j: fa.flow_mol_comp[j] - prod[j] if j in prod else fa.flow_mol_comp[j] for j in cs.ids}
        flow_constraints(b, "eq_n2", sn, rest, "rest of the air")
        for name, st in (("o2", so), ("n2", sn)):
            b.add_component(f"eq_T_{name}", pyo.Constraint(expr=st.temperature == b.pv("T_out"),
                                                           doc=f"{name} at T_out"))
        b.same_state("o2", "air", T=False)
        b.same_state("n2", "air", T=False)
        o2_kg = b.o2_product * (float(cs.molar_mass[cs.index("O2")]) * u.kg / u.mol)
        b.eq_power = pyo.Constraint(
            expr=b.power == u.convert(b.pv("specific_power_kWh_per_t") * o2_kg, to_units=u.W),
            doc="power = specific power x O2 product")
        b.add_energy_balance()
        design_expressions(b, {
            "o2_kg_s": o2_kg * (u.s / u.kg),
            "o2_t_per_d": o2_kg * (86.4 * u.s / u.kg),
            "o2_short_ton_per_d": o2_kg * (DAY / SHORT_TON * u.s / u.kg),
            "power_kW": b.power / (1000.0 * u.W),
        })
