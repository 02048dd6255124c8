"""The indirectly heated (dual fluidised-bed) gasifier: a steam-blown gasifier
(:class:`IndirectGasifier`, no oxidant) and its char combustor (:class:`CharCombustor`): the
char that the gasifier leaves, plus a share of its product gas where the char is not enough,
burnt with air; the hot bed material carries the heat back to the gasifier. A route couples the
two with a design spec on the share of gas fired (combustor heat = gasifier heat demand).

Example
-------
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> from carbonhub.unitops.sources import AIR
>>> from carbonhub.unitops.indirect_gasifier import CharCombustor
>>> cs = ComponentSet.from_ids(["C(s)", "ASH", "CO2", "H2O", "N2", "O2", "Ar"])
>>> fuel = Stream.from_flows(cs, {"C(s)": 1.0, "ASH": 0.01}, T=1123.15, P=1.5e5)
>>> air = Stream.from_flows(cs, {k: 1.2 / AIR["O2"] * v for k, v in AIR.items() if k in cs},
...                         T=298.15, P=1.5e5)
>>> cc = CharCombustor("cc", T=1173.15, heat_loss_fraction=0.0)
>>> r = cc.run({"fuel": fuel, "air": air}, cc.resolve({}, 1))
>>> round(float(r.design["excess_air"][0]), 3)          # 1.2 x the O2 of 1 mol/s carbon
0.2
>>> q = float(r.design["fired_heat_W"][0])              # heat to the bed: 393.5 kJ/mol less the
>>> bool(200e3 < q < 393.5e3)                           # sensible heat of the flue gas
True
"""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream, lhv_molar, mix_origins
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo.components import ELEMENTS
from ..twin.helpers import design_expressions, set_flows
from ._common import zeros
from .gasifier import Gasifier
from .heat import combustion_inventory, combustion_products, complete_combustion
from .sources import o2_demand_per_mol
from ..thermo.rowdot import rowdot, rowsum

__all__ = ["IndirectGasifier", "CharCombustor"]


class IndirectGasifier(Gasifier):
    """The gasifier side of a dual fluidised bed: the :class:`~carbonhub.unitops.gasifier.
    Gasifier` model with steam as the only gasifying agent (inlets ``feed`` and ``steam``, no
    oxidant), its heat supplied by the circulating bed from a :class:`CharCombustor`. Mode "T"
    (the bed temperature is set); ``heat_required_W`` (> 0) is the heat the bed must bring
    (heating feed and steam, devolatilisation and the endothermic reactions, plus the heat
    loss) and is the unit's ``fired_heat_W`` utility, offset by the combustor's.

    What differs from an O2-blown bed is in the parameters: ``carbon_conversion`` is the
    fraction of the fuel carbon that leaves as gas, the rest leaving as char (``C(s)``, port
    ``ash``) for the combustor; in a DFB most of the devolatilisation char is not gasified
    (Larsson et al. 2013: char conversion 0-4 % at 830 degC on silica sand); ``tar_slip`` the
    carbon of the condensable organics. The raw gas holds no N2 from air. Yields taken at one
    bed temperature (830-850 degC) do not follow ``T``: only the equilibrium part of the gas does.
    NREL's designs use the Battelle (BCL) correlations instead (gas composition and char yield as
    polynomials in the gasifier temperature; Phillips et al. 2007, NREL/TP-510-41168; Dutta et al.
    2011, NREL/TP-5100-51400), which could not be read in a stored source. Cost: the block
    ``ref.gasifier_indirect_biomass`` (``type`` "indirect", which includes the combustor).

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.default()
    >>> feed = Stream.from_flows(cs, {"ORG_wood_chips": 1000.0, "ASH": 2.0, "H2O(L)": 150.0},
    ...                          T=333.15, P=1.5e5)
    >>> steam = Stream.from_flows(cs, {"H2O": 600.0}, T=573.15, P=1.7e5)
    >>> g = IndirectGasifier("gasifier", T=1123.15, P=1.5e5, carbon_conversion=0.711)
    >>> g.cs = cs
    >>> r = g.run({"feed": feed, "steam": steam}, g.resolve({}, 1))
    >>> round(float(r.design["carbon_conversion"][0]), 3)   # the rest leaves as char to the combustor
    0.711
    >>> bool(r.design["heat_required_W"][0] > 0)           # heat the bed must bring
    True

    References
    ----------
    Larsson, A., Seemann, M., Neves, D., Thunman, H. (2013). Energy & Fuels 27, 6665-6680,
    doi:10.1021/ef400981j.
    """

    inlets = ("feed", "steam")
    params = {**Gasifier.params,
              "type": Param("indirect", "choice", doc="cost block: indirect (the dual fluidised bed incl. its "
                            "char combustor and the syngas cooler)", choices=("indirect",))}
    costs = (Cost("ref.gasifier_indirect_biomass", "feed_dry_t_per_d"),)


class CharCombustor(Unit):
    """Combustor of a dual fluidised-bed (indirectly heated) gasifier: complete combustion of
    ``fuel`` (the gasifier's char with its ash, and the share of product gas fired beside it)
    with ``air`` to CO2, H2O, N2, SO2, HCl (Ar passes, the excess O2 leaves with the flue gas);
    the flue gas and the ash leave at the combustor temperature ``T``. The heat released,
    less the flue gas's sensible heat and the heat loss, is what the circulating bed material
    carries to the gasifier:

        fired_heat_W = H(fuel) + H(air) - H(flue gas, ash at T) - heat_loss_fraction x LHV(fuel)

    (enthalpies with heats of formation, NASA-7). ``heat`` = -(fired_heat + loss) (released).
    The utility ``fired_heat_W`` = -fired heat (as :class:`~carbonhub.unitops.pyrolysis.
    FiredHeater`): it offsets the gasifier's own ``fired_heat_W`` (its heat demand); a design
    spec on the share of gas fired makes the two equal. ``makeup_heat_W`` (set by that spec's
    ``makeup``) is heat from make-up natural gas where even all the fuel is too little; a
    surplus where the char alone delivers more than the gasifier needs stays this unit's
    negative ``fired_heat_W`` (the route's surplus-heat rule). Status: air with too little O2.

    The bed circulation that carries the heat is a design result: fired heat / (cp_bed x
    ``bed_dT``) [kg/s].

    Design: fired_heat_W (delivered, fuel plus make-up), makeup_heat_W, heat_loss_W, lhv_in_W,
    T_flue_K, o2_demand_mol_s, excess_air (O2 in / O2 demand - 1), flue_gas_mol_s,
    bed_circulation_kg_s, char_C_mol_s. No cost of its own: the combustor is inside the indirect
    gasifier block (scope ``char_combustor`` of ``ref.gasifier_indirect_biomass``).

    Parameters
    ----------
    T : combustor and flue-gas temperature [K]; default 1173.15 (900 degC: the upper limit for
        lignocellulosic fuels on a silica-sand bed, Larsson et al. 2013).
    heat_loss_fraction : of the fuel's LHV [-], default 0.0.
    cp_bed, bed_dT : heat capacity of the bed material [J/(kg K)] and the temperature drop of
        the bed across the gasifier [K], for the circulation rate only (defaults 1000 and 50:
        assumptions, not read in a source; no other result depends on them).

    References
    ----------
    Larsson, A., Seemann, M., Neves, D., Thunman, H. (2013). Evaluation of performance of
    industrial-scale dual fluidized bed gasifiers using the Chalmers 2-4-MWth gasifier.
    Energy & Fuels 27, 6665-6680, doi:10.1021/ef400981j (the DFB heat balance; combustor below
    900 degC with silica sand).
    """

    inlets = ("fuel", "air")
    outlets = ("flue_gas", "ash")
    params = {
        "T": Param(1173.15, "K", 900.0, 1600.0, "combustor (flue gas) temperature [K]"),
        "heat_loss_fraction": Param(0.0, "", 0.0, 0.3, "heat loss / LHV of the fuel [-]"),
        "makeup_heat_W": Param(0.0, "W", 0.0, 1e11, "heat delivered by make-up natural gas beside the fuel [W]"),
        "cp_bed": Param(1000.0, "J/kg/K", 300.0, 3000.0, "heat capacity of the bed material [J/(kg K)]"),
        "bed_dT": Param(50.0, "K", 1.0, 500.0, "bed temperature drop across the gasifier [K]"),
    }
    costs = ()
    cost_scope = "char_combustor"
    cost_note = "inside ref.gasifier_indirect_biomass (the combustor of the dual fluidised bed)"

    def run(self, ins, p) -> UnitResult:
        fu, air = ins["fuel"], ins["air"]
        cs = fu.cs
        zero = np.zeros(p.n)

        def col(s, k):
            return s.flow[:, cs.index(k)] if k in cs else zero

        flue, ash, _, ok_air = complete_combustion(fu, air, self.id)
        T = np.asarray(p.T, dtype=float) * np.ones(p.n)
        P = np.minimum(fu.P, air.P)
        org = mix_origins([fu, air])
        out = Stream(cs, flue, T, P.copy(), org, check=False)
        ash_s = Stream(cs, ash, T.copy(), P.copy(), org.copy(), check=False)
        lhv = rowdot(fu.flow, lhv_molar(cs))
        loss = p.heat_loss_fraction * lhv
        heat = out.enthalpy + ash_s.enthalpy - fu.enthalpy - air.enthalpy
        q = -heat - loss
        mk = np.asarray(p.makeup_heat_W, dtype=float) * np.ones(p.n)
        demand = rowdot(fu.flow, o2_demand_per_mol(cs))
        o2_in = col(air, "O2") + col(fu, "O2")
        with np.errstate(divide="ignore", invalid="ignore"):
            excess = np.where(demand > 0, o2_in / demand - 1.0, np.nan)
        design = {"fired_heat_W": q + mk, "makeup_heat_W": mk, "heat_loss_W": loss, "lhv_in_W": lhv,
                  "T_flue_K": T.copy(), "o2_demand_mol_s": demand, "excess_air": excess,
                  "flue_gas_mol_s": rowsum(flue), "char_C_mol_s": col(fu, "C(s)"),
                  "bed_circulation_kg_s": (q + mk) / (p.cp_bed * p.bed_dT)}
        status = np.where(ok_air, "ok", "air supplies too little O2 for complete combustion")
        return UnitResult({"flue_gas": out, "ash": ash_s}, heat, zeros(p.n), design, {"fired_heat_W": -q},
                          status if (status != "ok").any() else None)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: flue gas from the element balance of fuel + air (complete combustion, as the
        core; which products are clipped at 0 frozen at the core solution), ash passes, flue gas
        and ash at ``T`` and min(P_fuel, P_air), heat from the energy balance; ``b.fired_heat``
        = -heat - loss + make-up (the heat the bed carries to the gasifier)."""
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        fu, ai, so, sa = b.sin("fuel"), b.sin("air"), b.sout("flue_gas"), b.sout("ash")
        has_ash = "ASH" in cs
        ash = fu.flow_mol_comp["ASH"] + ai.flow_mol_comp["ASH"] if has_ash else 0.0
        prod = combustion_products(combustion_inventory(cs, {k: fu.flow_elem[k] + ai.flow_elem[k] for k in ELEMENTS},
                                                        ash))
        flue0 = init.outlets["flue_gas"].flow[0]
        zero = 0.0 * u.mol / u.s
        set_flows(b, "flue_gas", {k: (v if flue0[cs.index(k)] > 0 else zero) for k, v in prod.items() if k in cs},
                  "complete combustion products")
        set_flows(b, "ash", {"ASH": ash} if has_ash else {}, "the ash passes")
        b.eq_T = pyo.Constraint(expr=so.temperature == b.pv("T"), doc="flue gas at the combustor temperature")
        b.eq_T_ash = pyo.Constraint(expr=sa.temperature == b.pv("T"), doc="ash at the combustor temperature")
        Pf, Pa = float(init.inlets["fuel"].P[0]), float(init.inlets["air"].P[0])
        Pmin = fu.pressure if Pf <= Pa else ai.pressure
        b.eq_P = pyo.Constraint(expr=so.pressure == Pmin, doc="flue gas at min(P_fuel, P_air)")
        b.eq_P_ash = pyo.Constraint(expr=sa.pressure == Pmin, doc="ash at min(P_fuel, P_air)")
        b.power.fix(0.0)
        b.add_energy_balance("energy balance: heat released in the combustor")
        lhv = dict(zip(cs.ids, lhv_molar(cs)))
        b.lhv_in = pyo.Expression(expr=sum(fu.flow_mol_comp[j] * lhv[j] for j in cs.ids) * u.J / u.mol,
                                  doc="LHV of the fuel [W]")
        b.heat_loss = pyo.Expression(expr=b.par["heat_loss_fraction"] * b.lhv_in, doc="heat loss [W]")
        b.fired_heat = pyo.Expression(expr=-b.heat - b.heat_loss + b.pv("makeup_heat_W"),
                                      doc="heat the bed carries to the gasifier: fuel plus make-up [W]")
        design_expressions(b, {"fired_heat_W": b.fired_heat / u.W, "heat_loss_W": b.heat_loss / u.W,
                               "lhv_in_W": b.lhv_in / u.W, "T_flue_K": so.temperature / u.K})
