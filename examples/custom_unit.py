"""A new unit operation, start to finish: a fixed-conversion reactor.

This file is the worked example of the guide "How to add a unit operation"
(docs/dev/add_unit.md), which includes it piece by piece. Run it::

    python examples/custom_unit.py

The unit converts a given fraction of a key reactant by one reaction (here the reverse
water-gas shift CO2 + H2 = CO + H2O, the first step of many CO2-to-fuels routes) at a given
outlet temperature. It is the simplest reactor model a screening study uses when conversion
data come from a pilot plant or a vendor. Because a conversion given by hand can exceed what
thermodynamics allows, the unit checks every case against chemical equilibrium and flags the
cases that lie beyond it.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from carbonhub.core import Cost, Param, ParameterValueError, Stream, Unit, UnitResult
from carbonhub.core.stream import mix_origins
from carbonhub.thermo import Reaction, equilibrium_constant

P_STD = 101325.0  # standard-state pressure of carbonhub's equilibrium constants [Pa]
R_GAS = 8.31446261815324  # [J/(mol K)]


# --8<-- [start:class]
class FixedConversionReactor(Unit):
    """Reactor at a fixed conversion of a key reactant by one reaction.

    Model
    -----
    * Extent of reaction xi = X F_key,in / |nu_key| [mol/s]; outlet flows
      F_j,out = F_j,in + nu_j xi (exact element balance when the reaction balances).
    * The outlet leaves at ``T`` and at the inlet pressure minus ``dP``; the heat added
      closes the energy balance, heat = H_out - H_in (enthalpies include heats of formation).
    * Equilibrium check: a case whose outlet reaction quotient exceeds the equilibrium
      constant, Q > K(T) (ideal gas, standard state 1 atm, NASA-7 data), lies beyond chemical
      equilibrium; it is returned with a status naming Q/K instead of numbers that cannot be.
    * Design: reactor volume from a gas residence time at outlet conditions, V = tau Q_out;
      fired duty when heat is added (an externally fired tubular reactor).

    Parameters
    ----------
    reaction : str
        Stoichiometry, e.g. ``"CO2 + H2 = CO + H2O"``; must balance in elements.
    key : str
        The reactant whose conversion is given.
    conversion : float
        Fraction of the key reactant converted [-].
    T : float
        Outlet temperature [K].
    dP : float
        Pressure drop [Pa].
    residence_time : float
        Gas residence time for sizing [s].

    Examples
    --------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["CO2", "H2", "CO", "H2O", "CH4"])
    >>> feed = Stream.from_flows(cs, {"CO2": 1.0, "H2": 3.0}, T=600.0, P=20e5)
    >>> rx = FixedConversionReactor("rwgs", conversion=0.3, T=1100.0)
    >>> r = rx.run({"feed": feed}, rx.resolve({}, 1))
    >>> round(float(r.outlets["out"]["CO"][0]), 6), r.status[0]
    (0.3, 'ok')

    References
    ----------
    Gordon, S., McBride, B.J. (1994), NASA RP-1311 (equilibrium constants from Gibbs energies);
    McBride, B.J., Zehe, M.J., Gordon, S. (2002), NASA/TP-2002-211556 (species data);
    Turton, R. et al. (2012), Analysis, Synthesis and Design of Chemical Processes, 4th ed.,
    ISBN 978-0-13-261812-0, Appendix A (vessel and fired-heater costs).
    """

    inlets = ("feed",)
    outlets = ("out",)
    params = {
        "conversion": Param(0.5, "", 0.0, 1.0, "conversion of the key reactant [-]"),
        "T": Param(1073.15, "K", 250.0, 2000.0, "outlet temperature [K]"),
        "dP": Param(0.0, "Pa", 0.0, 1e7, "pressure drop [Pa]"),
        "residence_time": Param(2.0, "s", 1e-3, 3600.0, "gas residence time for sizing [s]"),
    }
    costs = (Cost("turton.vessel_vertical", "volume_m3", pressure="P_barg"),
             Cost("turton.fired_heater_nonreactive", "fired_duty_kW", label="reactor furnace"))

    def __init__(self, id: str, reaction: str = "CO2 + H2 = CO + H2O", key: str = "CO2",
                 **values: Any):
        super().__init__(id, **values)
        self.reaction = Reaction.parse(reaction)
        self.key = key
        nu_key = self.reaction.nu.get(key, 0.0)
        if nu_key >= 0:
            raise ParameterValueError(
                f"{id}: key {key!r} is not a reactant of {reaction!r}: expected one of "
                f"{[c for c, v in self.reaction.nu.items() if v < 0]}")
    # --8<-- [end:class]

    # --8<-- [start:run]
    def run(self, ins: dict[str, Stream], p) -> UnitResult:
        s = ins["feed"]
        cs = s.cs
        missing = [c for c in self.reaction.nu if c not in cs]
        if missing:
            raise ParameterValueError(f"{self.id}: the component set lacks {missing} "
                                      f"(reaction {self.reaction.nu})")
        idx = cs.indices(self.reaction.nu)
        nu = np.array(list(self.reaction.nu.values()))
        nu_vec = np.zeros(len(cs))
        nu_vec[idx] = nu
        # extent of reaction per case (n,): no loop over cases
        xi = p.conversion * s[self.key] / abs(self.reaction.nu[self.key])
        flow = np.maximum(s.flow + xi[:, None] * nu_vec[None, :], 0.0)
        out = Stream(cs, flow, p.T.copy(), np.maximum(s.P - p.dP, 1.0), mix_origins([s]),
                     check=False)
        heat = out.enthalpy - s.enthalpy  # [W]: H_in + heat = H_out

        # equilibrium check: ln Q vs ln K(T), ideal gas, standard state 1 atm
        y = out.gas_mole_fractions()[:, idx]
        with np.errstate(divide="ignore", invalid="ignore"):
            lnQ = (nu * np.log(y * (out.P / P_STD)[:, None])).sum(axis=1)
        lnK = np.log(equilibrium_constant(self.reaction, p.T, components=cs))
        lnQ = np.where(np.isnan(lnQ), -np.inf, lnQ)  # no products and no reactants: no reaction
        beyond = lnQ > lnK
        status = np.where(beyond, np.char.add("conversion beyond chemical equilibrium: Q/K = ",
                                              np.exp(np.minimum(lnQ - lnK, 700)).round(3).astype(str)),
                          "ok").astype(object)

        q_out = out.total_flow * R_GAS * out.T / out.P  # [m3/s] at outlet conditions
        design = {
            "extent_mol_s": xi,
            "duty_W": heat,
            "fired_duty_kW": np.maximum(heat, 0.0) / 1e3,
            "volume_m3": q_out * p.residence_time,
            "P_barg": out.P / 1e5 - 1.01325,
            "ln_Q_over_K": lnQ - lnK,
        }
        utilities = {"fired_heat_W": np.maximum(heat, 0.0), "cooling_W": np.maximum(-heat, 0.0)}
        return UnitResult({"out": out}, heat, np.zeros(p.n), design, utilities, status)
    # --8<-- [end:run]

    # --8<-- [start:twin]
    def build_pyomo(self, b, p, init) -> None:
        """Twin: the same extent, component balances, outlet T and P, energy balance.

        ``b`` is the IDAES host block (:class:`carbonhub.twin.host.CarbonhubUnit`): ``b.sin`` /
        ``b.sout`` give the inlet/outlet states, ``b.par[name]`` the parameters as fixed
        variables (``b.pv(name)`` with their units), ``b.heat`` and ``b.power`` [W].
        ``init`` is the core solution of the same case (used here for the initial extent).
        """
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        nu = {j: self.reaction.nu.get(j, 0.0) for j in cs.ids}
        fin, fout = b.sin("feed"), b.sout("out")
        xi0 = float(p["conversion"]) * float(init.inlets["feed"][self.key][0]) / abs(nu[self.key])
        b.extent = pyo.Var(initialize=xi0, units=u.mol / u.s, doc="extent of reaction [mol/s]")
        b.eq_extent = pyo.Constraint(
            expr=b.extent * abs(nu[self.key]) == b.par["conversion"] * fin.flow_mol_comp[self.key],
            doc="extent from the conversion of the key reactant")
        b.eq_comp = pyo.Constraint(
            b.comps, rule=lambda b, j: fout.flow_mol_comp[j] == fin.flow_mol_comp[j] + nu[j] * b.extent,
            doc="component balances with one reaction")
        b.eq_T = pyo.Constraint(expr=fout.temperature == b.pv("T"), doc="outlet temperature")
        b.eq_P = pyo.Constraint(expr=fout.pressure == fin.pressure - b.pv("dP"), doc="pressure drop")
        b.power.fix(0.0)
        b.add_energy_balance()
    # --8<-- [end:twin]


# --8<-- [start:demo]
def demo_flowsheet():
    """CO2 and H2 -> reverse water-gas shift -> syngas, with the unit in a costed flowsheet."""
    import carbonhub as ch
    from carbonhub.costing.flowsheet import add_economics
    from carbonhub.unitops.sources import GasSource, Sink

    cs = ch.ComponentSet.from_ids(["CO2", "H2", "CO", "H2O", "CH4", "N2"])
    fs = ch.Flowsheet("rwgs_demo", components=cs)
    feed = fs.add(GasSource("feed", composition={"CO2": 1.0, "H2": 2.0}, flow=300.0, T=600.0,
                            P=20e5, origin="atmospheric", category="utility"))  # not priced here
    rx = fs.add(FixedConversionReactor("rwgs", conversion=0.3, T=1173.15))
    product = fs.add(Sink("syngas", category="product", product="syngas", main=True))
    fs.connect(feed.outlets.out, rx.inlets.feed)
    fs.connect(rx.outlets.out, product.inlets.feed)
    add_economics(fs, ["syngas"])
    return fs


if __name__ == "__main__":
    from carbonhub.thermo import ComponentSet

    # 1. the unit alone, on five cases at once (one call, arrays of shape (5,))
    cs = ComponentSet.from_ids(["CO2", "H2", "CO", "H2O", "CH4"])
    feed = Stream.from_flows(cs, {"CO2": 1.0, "H2": 2.0}, T=600.0, P=20e5, n=5)
    rx = FixedConversionReactor("rwgs", T=1073.15)
    X = np.array([0.2, 0.4, 0.6, 0.7, 0.8])
    r = rx.run({"feed": feed}, rx.resolve({"conversion": X}, 5))
    print("conversion   CO out [mol/s]   heat [kW]   ln(Q/K)   status")
    for i in range(5):
        print(f"{X[i]:10.2f} {r.outlets['out']['CO'][i]:16.3f} {r.heat[i] / 1e3:11.2f} "
              f"{r.design['ln_Q_over_K'][i]:9.3f}   {r.status[i]}")
    # checks: X mol/s of CO from 1 mol/s of CO2; a case is flagged exactly when X exceeds the
    # equilibrium conversion, here from Cantera's NASA data (CO2 + H2 = CO + H2O, 1:2 feed):
    # X^2 / ((1 - X) (2 - X)) = K
    import cantera as ct

    sp = {s.name: s for s in ct.Species.list_from_file("nasa_gas.yaml")}
    g = {k: sp[k].thermo.h(1073.15) - 1073.15 * sp[k].thermo.s(1073.15)
         for k in ("CO2", "H2", "CO", "H2O")}
    K = np.exp(-(g["CO"] + g["H2O"] - g["CO2"] - g["H2"]) / (ct.gas_constant * 1073.15))
    x_eq = [x.real for x in np.roots([1 - K, 3 * K, -2 * K]) if 0 < x.real < 1][0]
    assert np.allclose(r.outlets["out"]["CO"], X, rtol=1e-12)
    assert list(np.asarray(r.status) == "ok") == list(X < x_eq), (x_eq, r.status)

    # 2. in a flowsheet: balances, design and costs over a range of temperatures
    fs = demo_flowsheet()
    res = fs.simulate(params={"rwgs.T": np.linspace(900.0, 1300.0, 5)})
    print(res.balances[["mass_rel", "C_rel", "energy_rel"]].to_string())
    print(res.kpis[["capex_eur", "msp_eur_per_t"]].assign(status=res.status).to_string())
    ok = res.status == "ok"
    assert ok.any() and (res.balances[ok].drop(columns="energy_rel") < 1e-9).all().all()
    print("checks passed")
# --8<-- [end:demo]
