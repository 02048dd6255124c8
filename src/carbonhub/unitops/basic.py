"""Basic units every flowsheet uses: heater/cooler, mixer, splitter, component splitter.

Example
-------
>>> import numpy as np
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> from carbonhub.unitops.basic import Heater
>>> cs = ComponentSet.from_ids(["N2"])
>>> s = Stream.from_flows(cs, {"N2": 1.0}, T=300.0, P=1e5)
>>> r = Heater("h", T=400.0).run({"feed": s}, Heater("h", T=400.0).resolve({}, 1))
>>> round(float(r.heat[0]), 1)   # ~ cp(N2) x 100 K
2918.6
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ..core.stream import mix
from ..core.unit import Cost, Param, Unit, UnitResult
from ..twin.helpers import heated_outlet
from ._common import utility_exchanger_area, utility_exchanger_params, zeros


class Heater(Unit):
    """Heats or cools a stream to ``T`` at outlet pressure ``P - dP``; duty from the enthalpy
    balance. Costed as a fixed-tube heat exchanger with area from the duty, an overall
    coefficient ``U`` and the log-mean temperature difference to the utility."""

    inlets = ("feed",)
    outlets = ("out",)
    params = {
        "T": Param(298.15, "K", 200.0, 2500.0, "outlet temperature [K]"),
        "dP": Param(0.0, "Pa", 0.0, 1e7, "pressure drop [Pa]"),
        **utility_exchanger_params(),
    }
    costs = (Cost("turton.heat_exchanger_fixed_tube", "area_m2"),)
    narrow_adds = ()  # creates no component (core.narrow)

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        out = s.with_(T=p.T.copy(), P=np.maximum(s.P - p.dP, 1.0))
        q = out.enthalpy - s.enthalpy
        area = utility_exchanger_area(q, p)
        util = {"steam_heat_W": np.where(q > 0, q, 0.0), "cooling_W": np.where(q < 0, -q, 0.0)}
        return UnitResult({"out": out}, q, zeros(p.n),
                          {"duty_W": q, "area_m2": area, "T_out_K": p.T.copy()}, util)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: outlet at T, P - dP, same flows; heat from the energy balance."""
        heated_outlet(b, "T")


class Mixer(Unit):
    """Adiabatic mixer of ``n_inlets`` streams (ports ``in1``, ``in2``, ...)."""

    outlets = ("out",)
    narrow_adds = ()  # creates no component (core.narrow)

    def __init__(self, id: str, n_inlets: int = 2, **values: Any):
        if int(n_inlets) < 1:
            raise ValueError(f"{id}: n_inlets = {n_inlets}: expected >= 1")
        self.inlet_names = tuple(f"in{i + 1}" for i in range(int(n_inlets)))
        super().__init__(id, **values)

    def run(self, ins, p) -> UnitResult:
        out = mix([ins[k] for k in self.inlet_names])
        return UnitResult({"out": out}, zeros(p.n), zeros(p.n))

    def build_pyomo(self, b, p, init) -> None:
        """Twin: flows add, adiabatic; the outlet takes the pressure of the inlet that had the
        lowest pressure in the core solution (the min is frozen there: smooth for IPOPT)."""
        import pyomo.environ as pyo

        b.add_component_balances()
        flowing = [k for k in self.inlet_names if float(init.inlets[k].total_flow[0]) > 0] or list(self.inlet_names)
        pmin = min(float(init.inlets[k].P[0]) for k in flowing)
        # the first flowing inlet (in port order) at the lowest pressure, ties within 1e-9
        lowest = next(k for k in flowing if float(init.inlets[k].P[0]) <= pmin * (1 + 1e-9))
        b.eq_P = pyo.Constraint(expr=b.sout("out").pressure == b.sin(lowest).pressure,
                                doc=f"outlet pressure = lowest inlet pressure ({lowest})")
        b.heat.fix(0.0)
        b.power.fix(0.0)
        b.add_energy_balance()


class Splitter(Unit):
    """Splits a stream into ``out`` and ``purge`` (same composition): ``purge`` gets
    ``fraction`` of the flow."""

    inlets = ("feed",)
    outlets = ("out", "purge")
    params = {"fraction": Param(0.05, "", 0.0, 1.0, "fraction to the purge port [-]")}
    narrow_adds = ()  # creates no component (core.narrow)

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        f = p.fraction[:, None]
        return UnitResult({"out": s.with_(flow=s.flow * (1 - f)), "purge": s.with_(flow=s.flow * f)},
                          zeros(p.n), zeros(p.n))

    def build_pyomo(self, b, p, init) -> None:
        """Twin: purge = fraction x feed, out = the rest, same T and P."""
        import pyomo.environ as pyo

        b.add_component_balances()
        b.eq_split = pyo.Constraint(b.comps, rule=lambda b, j: b.sout("purge").flow_mol_comp[j]
                                    == b.par["fraction"] * b.sin("feed").flow_mol_comp[j], doc="purge split")
        for o in ("out", "purge"):
            b.same_state(o, "feed")
        b.heat.fix(0.0)
        b.power.fix(0.0)


class ComponentSplitter(Unit):
    """Sends a per-component fraction of the feed to ``top``, the rest to ``bottom``
    (isothermal, isobaric; for separations specified by recoveries)."""

    inlets = ("feed",)
    outlets = ("top", "bottom")

    def __init__(self, id: str, split: Mapping[str, float], default: float = 0.0, **values: Any):
        super().__init__(id, **values)
        self.split = dict(split)
        self.default = float(default)
        for k, v in self.split.items():
            if not 0.0 <= v <= 1.0:
                raise ValueError(f"{id}: split[{k}] = {v}: expected a fraction in [0, 1]")

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        f = np.full(len(s.cs), self.default)
        for k, v in self.split.items():
            f[s.cs.index(k)] = v
        return UnitResult({"top": s.with_(flow=s.flow * f), "bottom": s.with_(flow=s.flow * (1 - f))},
                          zeros(p.n), zeros(p.n))

    def build_pyomo(self, b, p, init) -> None:
        """Twin: top_j = split_j x feed_j, same T and P."""
        import pyomo.environ as pyo

        cs = b.config.property_package.cs
        f = {j: self.split.get(j, self.default) for j in cs.ids}
        b.add_component_balances()
        b.eq_split = pyo.Constraint(b.comps, rule=lambda b, j: b.sout("top").flow_mol_comp[j]
                                    == f[j] * b.sin("feed").flow_mol_comp[j], doc="component recoveries")
        for o in ("top", "bottom"):
            b.same_state(o, "feed")
        b.heat.fix(0.0)
        b.power.fix(0.0)
