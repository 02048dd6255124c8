"""IDAES property package of the carbonhub component set: ideal gas (and condensed
pseudo-components) with NASA-7 enthalpy and entropy, the same data as the numpy core.

State variables: ``flow_mol_comp[j]`` [mol/s], ``temperature`` [K], ``pressure`` [Pa].
Properties: ``enth_mol_comp[j]`` [J/mol] (incl. heats of formation, NASA-7 with the low/high
range chosen by ``Expr_if`` at ``Tmid``), ``enth_flow`` [W], ``flow_mol`` [mol/s],
``flow_mass`` [kg/s], ``flow_elem[e]`` [mol/s].

Example
-------
>>> import pyomo.environ as pyo
>>> from idaes.core import FlowsheetBlock
>>> from carbonhub.twin.properties import CarbonhubParameterBlock
>>> from carbonhub.thermo import ComponentSet
>>> m = pyo.ConcreteModel()
>>> m.fs = FlowsheetBlock(dynamic=False)
>>> m.fs.props = CarbonhubParameterBlock(components=ComponentSet.from_ids(["H2", "N2"]))
>>> sb = m.fs.props.build_state_block([0], defined_state=True)
>>> sorted(m.fs.props.component_list)
['H2', 'N2']
"""
from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
from pyomo.common.config import ConfigValue
from idaes.core import (Component, EnergyBalanceType, MaterialBalanceType, MaterialFlowBasis,
                        PhysicalParameterBlock, StateBlock, StateBlockData,
                        declare_process_block_class)
from idaes.core.base.phases import Phase

from ..thermo.components import ELEMENTS, ComponentSet
from ..thermo.nasa7 import R
from ..units import ATM

units = pyo.units


@declare_process_block_class("CarbonhubParameterBlock")
class CarbonhubParameterData(PhysicalParameterBlock):
    """Parameter block: components, NASA-7 coefficients, molar masses, element matrix."""

    CONFIG = PhysicalParameterBlock.CONFIG()
    CONFIG.declare("components", ConfigValue(default=None, description="carbonhub ComponentSet"))

    def build(self):
        super().build()
        cs: ComponentSet = self.config.components
        if cs is None:
            cs = ComponentSet.default()
        self.cs = cs
        self._state_block_class = CarbonhubStateBlock
        self.Mix = Phase()
        for cid in cs.ids:
            self.add_component(cid, Component())
        self.element_list = pyo.Set(initialize=list(ELEMENTS), ordered=True, doc="elements")
        self.mw = pyo.Param(self.component_list, initialize=dict(zip(cs.ids, cs.molar_mass)),
                            units=units.kg / units.mol, doc="molar mass [kg/mol]")
        self.elem = pyo.Param(self.component_list, self.element_list,
                              initialize={(c, e): float(cs.element_matrix[i, k])
                                          for i, c in enumerate(cs.ids) for k, e in enumerate(ELEMENTS)},
                              doc="atoms of element e per molecule of j")

    @classmethod
    def define_metadata(cls, obj):
        obj.add_properties({
            "flow_mol_comp": {"method": None, "units": "mol/s"},
            "temperature": {"method": None, "units": "K"},
            "pressure": {"method": None, "units": "Pa"},
            "enth_mol_comp": {"method": None, "units": "J/mol"},
        })
        obj.add_default_units({"time": units.s, "length": units.m, "mass": units.kg,
                               "amount": units.mol, "temperature": units.K})


def nasa_h_expr(cs: ComponentSet, j: str, T):
    """Molar enthalpy [J/mol] of component j as a Pyomo expression of T (dimensionless K)."""
    i = cs.index(j)

    def poly(a):
        return R * (a[0] * T + a[1] * T**2 / 2 + a[2] * T**3 / 3 + a[3] * T**4 / 4 + a[4] * T**5 / 5 + a[5])

    lo, hi = [float(x) for x in cs.low[i]], [float(x) for x in cs.high[i]]
    if np.allclose(lo, hi):
        return poly(lo)
    return pyo.Expr_if(IF=T <= float(cs.tmid[i]), THEN=poly(lo), ELSE=poly(hi))


def nasa_s0_expr(cs: ComponentSet, j: str, T):
    """Standard molar entropy [J/(mol K)] at 1 atm as a Pyomo expression of T."""
    i = cs.index(j)

    def poly(a):
        return R * (a[0] * pyo.log(T) + a[1] * T + a[2] * T**2 / 2 + a[3] * T**3 / 3 + a[4] * T**4 / 4 + a[6])

    lo, hi = [float(x) for x in cs.low[i]], [float(x) for x in cs.high[i]]
    if np.allclose(lo, hi):
        return poly(lo)
    return pyo.Expr_if(IF=T <= float(cs.tmid[i]), THEN=poly(lo), ELSE=poly(hi))


def nasa_g_RT_expr(cs: ComponentSet, j: str, T):
    """Standard Gibbs energy g°/(RT) at P° of component j as a Pyomo expression of the
    dimensionless temperature T (the NASA-7 polynomial of :func:`carbonhub.thermo.nasa7.g_RT`,
    low range for T <= Tmid as in the core)."""
    import pyomo.environ as pyo

    i = cs.index(j)

    def poly(a):
        return (a[0] * (1.0 - pyo.log(T)) - a[1] * T / 2 - a[2] * T**2 / 6 - a[3] * T**3 / 12
                - a[4] * T**4 / 20 + a[5] / T - a[6])

    lo, hi = [float(x) for x in cs.low[i]], [float(x) for x in cs.high[i]]
    if np.allclose(lo, hi):
        return poly(lo)
    return pyo.Expr_if(IF=T <= float(cs.tmid[i]), THEN=poly(lo), ELSE=poly(hi))


class _CarbonhubStateBlock(StateBlock):
    def fix_initialization_states(self):
        from idaes.core.util.initialization import fix_state_vars

        fix_state_vars(self)


@declare_process_block_class("CarbonhubStateBlock", block_class=_CarbonhubStateBlock)
class CarbonhubStateBlockData(StateBlockData):
    """State of one stream: component flows, T, P; NASA-7 enthalpy."""

    def build(self):
        super().build()
        cs = self.params.cs
        self.flow_mol_comp = pyo.Var(self.params.component_list, initialize=0.0, bounds=(0, None),
                                     units=units.mol / units.s, doc="component molar flow [mol/s]")
        self.temperature = pyo.Var(initialize=298.15, bounds=(150.0, 6000.0), units=units.K,
                                   doc="temperature [K]")
        self.pressure = pyo.Var(initialize=ATM, bounds=(1.0, 1e9), units=units.Pa,
                                doc="pressure [Pa]")
        Tn = self.temperature / units.K  # dimensionless for the polynomials

        def _h(b, j):
            return nasa_h_expr(cs, j, Tn) * units.J / units.mol

        self.enth_mol_comp = pyo.Expression(self.params.component_list, rule=_h,
                                            doc="molar enthalpy incl. formation [J/mol]")
        self.enth_flow = pyo.Expression(
            expr=sum(self.flow_mol_comp[j] * self.enth_mol_comp[j] for j in self.params.component_list),
            doc="enthalpy flow [W]")
        self.flow_mol = pyo.Expression(expr=sum(self.flow_mol_comp[j] for j in self.params.component_list),
                                       doc="total molar flow [mol/s]")
        self.flow_mass = pyo.Expression(
            expr=sum(self.flow_mol_comp[j] * self.params.mw[j] for j in self.params.component_list),
            doc="mass flow [kg/s]")
        self.flow_elem = pyo.Expression(
            self.params.element_list,
            rule=lambda b, e: sum(b.flow_mol_comp[j] * b.params.elem[j, e] for j in b.params.component_list),
            doc="element flow [mol atoms/s]")

    def get_material_flow_terms(self, p, j):
        return self.flow_mol_comp[j]

    def get_enthalpy_flow_terms(self, p):
        return self.enth_flow

    def default_material_balance_type(self):
        return MaterialBalanceType.componentTotal

    def default_energy_balance_type(self):
        return EnergyBalanceType.enthalpyTotal

    def get_material_flow_basis(self):
        return MaterialFlowBasis.molar

    def define_state_vars(self):
        return {"flow_mol_comp": self.flow_mol_comp, "temperature": self.temperature,
                "pressure": self.pressure}

    def define_display_vars(self):
        return self.define_state_vars()
