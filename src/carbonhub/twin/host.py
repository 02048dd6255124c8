"""The IDAES unit model that hosts the equation-oriented twin of any carbonhub unit.

``CarbonhubUnit`` is a ``UnitModelBlockData`` with one IDAES state block and one Port per
inlet (``in_<port>``) and outlet (``out_<port>``), a ``heat`` and a ``power`` variable [W],
the unit's float parameters as fixed variables ``par[name]`` (with their units), and the
twin's equations added by the carbonhub unit's own ``build_pyomo(self, b, p, init)`` method,
which lives next to its numpy ``run`` in the same module.

``init`` is the core solution of the same case for this unit (streams by port, heat,
power, design): twins may freeze discrete choices at it (e.g. which inlet sets the mixer
pressure), so that at zero degrees of freedom the twin reproduces the core exactly.
"""
from __future__ import annotations


import pyomo.environ as pyo
from pyomo.common.config import ConfigValue
from pyomo.core.base.units_container import _PyomoUnit
from idaes.core import UnitModelBlockData, declare_process_block_class
from idaes.core.util.config import is_physical_parameter_block

units = pyo.units


class NoTwinError(NotImplementedError):
    """A carbonhub unit without an equation-oriented twin."""


def pyomo_units(text: str):
    """Pyomo units for a Param.unit string (dimensionless when pint does not know it)."""
    reg = units._pint_registry
    if not text or text in ("choice", "-"):
        return units.dimensionless
    try:
        return _PyomoUnit(reg.parse_units(text), reg)
    except Exception:
        return units.dimensionless


@declare_process_block_class("CarbonhubUnit")
class CarbonhubUnitData(UnitModelBlockData):
    """Host block of a carbonhub unit's equation-oriented twin (see module docstring)."""

    CONFIG = UnitModelBlockData.CONFIG()
    CONFIG.declare("property_package", ConfigValue(default=None, domain=is_physical_parameter_block,
                                                   description="carbonhub property package"))
    CONFIG.declare("unit", ConfigValue(default=None, description="the carbonhub core Unit"))
    CONFIG.declare("params", ConfigValue(default=None, description="parameter values of the case"))
    CONFIG.declare("init", ConfigValue(default=None, description="core solution of the case"))

    def build(self):
        super().build()
        unit = self.config.unit
        pp = self.config.property_package
        t = self.flowsheet().time
        self._in, self._out = {}, {}
        for name in unit.inlet_names:
            sb = pp.build_state_block(t, defined_state=True, doc=f"inlet {name}")
            self.add_component(f"state_in_{name}", sb)
            self.add_port(f"in_{name}", sb, doc=f"inlet port {name}")
            self._in[name] = sb
        for name in unit.outlet_names:
            sb = pp.build_state_block(t, defined_state=False, doc=f"outlet {name}")
            self.add_component(f"state_out_{name}", sb)
            self.add_port(f"out_{name}", sb, doc=f"outlet port {name}")
            self._out[name] = sb
        self.heat = pyo.Var(initialize=0.0, units=units.W, doc="heat added to the process [W]")
        self.power = pyo.Var(initialize=0.0, units=units.W, doc="shaft/electric power added [W]")
        p = self.config.params or {}
        decl = unit.all_params()
        floats = [k for k, d in decl.items() if d.kind == "float"]
        self.par_names = pyo.Set(initialize=floats, ordered=True, doc="float parameters")
        self.par = pyo.Var(self.par_names, initialize={k: float(p[k]) for k in floats},
                           doc="unit parameters (fixed unless optimised), SI or as declared")
        for k in floats:
            self.par[k].fix(float(p[k]))
        self.choices = {k: p[k] for k, d in decl.items() if d.kind in ("choice", "text")}
        build = getattr(unit, "build_pyomo", None)
        if build is None:
            raise NoTwinError(f"{unit.id} ({type(unit).__name__}) has no equation-oriented twin "
                              "(build_pyomo) yet")
        build(self, p, self.config.init)

    # -- helpers for twin authors ------------------------------------------------------------
    def sin(self, name: str):
        """Inlet state (at the single steady-state time point)."""
        return self._in[name][self.flowsheet().time.first()]

    def sout(self, name: str):
        """Outlet state."""
        return self._out[name][self.flowsheet().time.first()]

    def pv(self, name: str, unit: str | None = None):
        """Parameter ``name`` as an expression carrying ``unit`` (default: its declared unit)."""
        u = self.config.unit.all_params()[name].unit if unit is None else unit
        return self.par[name] * pyomo_units(u)

    @property
    def comps(self):
        return self.config.property_package.component_list

    def add_energy_balance(self, doc: str = "energy balance: sum H_in + heat + power = sum H_out"):
        self.eq_energy = pyo.Constraint(
            expr=sum(self.sin(n).enth_flow for n in self._in) + self.heat + self.power
            == sum(self.sout(n).enth_flow for n in self._out), doc=doc)

    def add_component_balances(self, doc: str = "component balances (no reaction)"):
        def rule(b, j):
            return sum(b.sin(n).flow_mol_comp[j] for n in b._in) == sum(b.sout(n).flow_mol_comp[j] for n in b._out)

        self.eq_comp = pyo.Constraint(self.comps, rule=rule, doc=doc)

    def same_state(self, out: str, inlet: str, T: bool = True, P: bool = True):
        """Outlet ``out`` at the inlet's temperature and/or pressure."""
        if T:
            self.add_component(f"eq_T_{out}", pyo.Constraint(
                expr=self.sout(out).temperature == self.sin(inlet).temperature, doc=f"{out} at inlet T"))
        if P:
            self.add_component(f"eq_P_{out}", pyo.Constraint(
                expr=self.sout(out).pressure == self.sin(inlet).pressure, doc=f"{out} at inlet P"))
