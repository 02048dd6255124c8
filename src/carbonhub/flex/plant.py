"""The steady-state route cut into sections for flexible operation, and its TEA at other sizes.

:class:`FlexPlant` reads one solved case of a route (a :class:`~carbonhub.core.results.SimulationResult`)
and the route's sections from property_data/flex.yaml:

* **electrolysis** (electrolyser and its water): power ``P_E`` [MW] at the steady-state H2 rate
  ``h2_kg_per_h``;
* **synthesis** (CO2 and H2 compression, methanol loop, distillation): power ``P_S`` [MW] at the
  steady-state methanol rate ``methanol_t_per_h``;
* **downstream** (every other unit: MtO, olefin train, boiler, water treatment): power ``P_O``.

Each section runs at a load relative to the steady state (1 = the simulated case) and its
power, flows and products scale with that load (constant specific consumptions: a documented
simplification; part-load efficiencies are not modelled). ``P_E + P_S + P_O`` is the route's net
power (its units' shaft power and the electricity of their refrigeration and electrified heat), so a plant at load 1 in every hour is the steady-state plant.

:meth:`FlexPlant.msp` evaluates the route's own TEA (:func:`carbonhub.costing.flowsheet.evaluate`
with its ``adjust`` hook) with the sections' cost sizes scaled by their capacities, the buffers
added as declared units (costs of property_data/flex.yaml) and the electricity bill of the
dispatch: the same costing functions as ``carbonhub run``, so every change of the costing flows
through, and at capacity 1, no buffers and the steady-state bill it is the route's MSP.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

__all__ = ["FlexPlant", "Sizes", "flex_data"]


def flex_data() -> dict:
    """property_data/flex.yaml."""
    from carbonhub.data import load_yaml

    return load_yaml("flex.yaml")


@dataclass(frozen=True)
class Sizes:
    """Capacities of a flexible plant.

    electrolyser, synthesis, downstream : float
        Capacity relative to the steady-state section (1 = as simulated) [-].
    h2_storage_kg : float
        Working capacity of the H2 store [kg].
    h2_charge_kg_per_h : float
        Storage compressor capacity [kg/h] (costed for salt caverns only).
    methanol_storage_t : float
        Methanol tank capacity [t].
    """

    electrolyser: float = 1.0
    synthesis: float = 1.0
    downstream: float = 1.0
    h2_storage_kg: float = 0.0
    h2_charge_kg_per_h: float = 0.0
    methanol_storage_t: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {k: float(getattr(self, k)) for k in self.__dataclass_fields__}


class FlexPlant:
    """One steady-state case of a route, cut into sections (module docstring).

    Parameters
    ----------
    result : SimulationResult
        A simulated route (``case`` selects one of its cases).
    storage : {"salt_cavern", "tank"}
        H2 store technology (costs from property_data/flex.yaml).
    """

    def __init__(self, result, *, case: int = 0, storage: str = "salt_cavern") -> None:
        data = flex_data()
        fs = result.flowsheet
        name = fs.name
        if name not in data["routes"]:
            raise ValueError(f"route {name!r} has no flexible-operation sections in "
                             f"property_data/flex.yaml; supported: {', '.join(data['routes'])}")
        if storage not in data["h2_storage"]:
            raise ValueError(f"storage = {storage!r}: expected one of {', '.join(data['h2_storage'])}")
        if result.n_cases != 1 and not 0 <= case < result.n_cases:
            raise ValueError(f"case = {case}: the result has {result.n_cases} cases")
        if not bool(result.ok[case]):
            raise ValueError(f"case {case} of {name!r} failed ({result.status[case]}): no flexible plant")
        if result.n_cases != 1:
            raise ValueError(f"FlexPlant needs a one-case result (got {result.n_cases}); simulate the case alone")
        spec = data["routes"][name]
        self.route = name
        self.result = result
        self.storage = storage
        self.data = data
        units = list(fs.units)
        optional = set(spec.get("build_only") or ())  # units only some builds have (e.g. not with zld)
        for sec in ("electrolysis", "synthesis"):
            missing = [u for u in spec[sec] if u not in fs.units and u not in optional]
            if missing:
                raise ValueError(f"flex.yaml: {sec} units {missing} are not units of {name!r}")
        self.sections = {sec: [u for u in spec[sec] if u in fs.units] for sec in ("electrolysis", "synthesis")}
        self.sections["downstream"] = [u for u in units if u not in spec["electrolysis"] and u not in spec["synthesis"]]
        self.section_of = {u: s for s, us in self.sections.items() for u in us}

        from carbonhub.costing.heat_supply import chilling_below_cooling_water, heat_supply

        # the units' shaft power, plus the electricity the costing adds for their heat: a unit's
        # refrigeration (feeds chilled below cooling water) in its section, the plant's
        # electrified heat (heat.hot_utility) downstream with the steam system
        chill = {u: float(e[0]) for u, (_, e) in chilling_below_cooling_water(result).items()}

        def power(sec):
            return sum(float(np.nan_to_num(result.unit_results[u].power[0])) + chill.get(u, 0.0)
                       for u in self.sections[sec] if u in result.unit_results) / 1e6

        self.power_MW = {s: power(s) for s in self.sections}
        self.power_MW["downstream"] += float(heat_supply(result)["electricity_W"][0]) / 1e6
        """Net power of each section at load 1 [MW]: ``P_E + P_S + P_O`` is the electricity the
        route's TEA buys (or sells) in the steady state."""
        self.h2_kg_per_h = float(result.unit_results[spec["h2_unit"]].design["h2_kg_per_h"][0])
        self.methanol_t_per_h = float(result.stream(spec["methanol_stream"]).mass_flow[0]) * 3.6
        self.hours = float(result.param("economics.operating_hours")[0])
        self.electricity_price = float(result.param("prices.electricity_eur_per_MWh")[0])
        from carbonhub.costing.finance import price_escalation

        self.price_factor = price_escalation(result, int(result.param("economics.cost_year")[0]))
        """Factor from the profile's EUR (of ``prices.price_year``, like every ``prices.*``) to
        EUR of the cost year: the TEA escalates the electricity price with it."""
        self.steady_msp = float(np.asarray(result.kpis["msp_eur_per_t"])[0])
        self.main_product_t_per_y = float(result.tea.cash_flow_inputs.main_product_t_per_y[0])

    # -- buffers --------------------------------------------------------------------------------
    @property
    def lhv_kWh_per_kg(self) -> float:
        return float(self.data["h2_lhv_kWh_per_kg"]["value"])

    @property
    def compression_MWh_per_kg(self) -> float:
        """Electricity to store 1 kg of H2 (30 -> 250 bar) [MWh/kg]."""
        c = self.data["h2_storage_compressor"]
        return float(c["electricity_MWh_per_MWh_h2"]) * self.lhv_kWh_per_kg / 1000.0

    def _buffer_units(self, s: Sizes) -> list[dict]:
        d = self.data
        st = d["h2_storage"][self.storage]
        lhv = self.lhv_kWh_per_kg
        rows = [{"unit_id": "flex.h2_storage", "item": "declared",
                 "installed_cost": np.atleast_1d(st["cost_eur_per_kWh_h2"] * lhv * s.h2_storage_kg),
                 "cost_currency": st["currency"], "cost_year": st["year"], "osbl": True, "labour": "none"}]
        if st.get("compressor"):
            c = d["h2_storage_compressor"]
            rows.append({"unit_id": "flex.h2_storage_compressor", "item": "declared",
                         "installed_cost": np.atleast_1d(c["cost_eur_per_kW_h2"] * lhv * s.h2_charge_kg_per_h),
                         "cost_currency": c["currency"], "cost_year": c["year"], "osbl": True, "labour": "none"})
        m = d["methanol_storage"]
        rows.append({"unit_id": "flex.methanol_storage", "item": "declared",
                     "installed_cost": np.atleast_1d(m["cost_eur_per_m3"] * s.methanol_storage_t * 1000.0
                                                     / m["density_kg_per_m3"]),
                     "cost_currency": m["currency"], "cost_year": m["year"], "osbl": True, "labour": "none"})
        return rows

    # -- TEA ------------------------------------------------------------------------------------
    def tea(self, sizes: Sizes, electricity_MWh_per_y: float, electricity_cost_eur_per_y: float):
        """TEAResult of the plant with ``sizes`` and this annual electricity [MWh/y] and bill
        [EUR/y, in EUR of the route's ``prices.price_year`` like the profile's prices; the TEA
        escalates it to the cost year as it does ``prices.electricity_eur_per_MWh``]. Every
        other annual flow is as in the steady state: the plant makes the same product per year."""
        from carbonhub.costing.flowsheet import evaluate

        scale = {"electrolysis": sizes.electrolyser, "synthesis": sizes.synthesis,
                 "downstream": sizes.downstream}
        buffers = self._buffer_units(sizes) if (sizes.h2_storage_kg > 0 or sizes.h2_charge_kg_per_h > 0
                                                or sizes.methanol_storage_t > 0) else []
        mwh = float(electricity_MWh_per_y)
        price = float(electricity_cost_eur_per_y) / mwh * self.price_factor if mwh != 0 else 0.0

        def adjust(units, flows, products):
            out = []
            for u in units:
                base = str(u["unit_id"]).split(".")[0]
                k = scale[self.section_of.get(base, "downstream")]
                out.append(u if k == 1.0 else {**u, "size": np.asarray(u["size"], dtype=float) * k})
            flows = dict(flows)
            flows["electricity_MWh_per_y"] = np.atleast_1d(mwh)
            flows["electricity_price_eur_per_MWh"] = np.atleast_1d(price)
            return out + buffers, flows, products

        return evaluate(self.result, adjust=adjust)

    def msp(self, sizes: Sizes, electricity_MWh_per_y: float, electricity_cost_eur_per_y: float) -> float:
        """Minimum selling price of the main product [EUR/t] (:meth:`tea`)."""
        return float(self.tea(sizes, electricity_MWh_per_y, electricity_cost_eur_per_y).msp_eur_per_t[0])

    @property
    def steady_electricity_MWh_per_y(self) -> float:
        return sum(self.power_MW.values()) * self.hours

    def gradients(self, sizes: Sizes, electricity_MWh_per_y: float, electricity_cost_eur_per_y: float,
                  rel_step: float = 1e-4) -> dict[str, float]:
        """d MSP / d (each size, the electricity bill) by forward differences of :meth:`msp`
        [EUR/t per unit of the size; per EUR/y]. Sizes at zero step by a small absolute amount.
        The MSP is affine in the bill and in every declared (linear) buffer cost, so those are
        exact; capacity costs with an exponent below 1 are linearised here."""
        base = self.msp(sizes, electricity_MWh_per_y, electricity_cost_eur_per_y)
        steps = {"electrolyser": 1e-3, "synthesis": 1e-3, "downstream": 1e-3,
                 "h2_storage_kg": 1e3, "h2_charge_kg_per_h": 100.0, "methanol_storage_t": 100.0}
        out = {}
        for k, a in steps.items():
            v = getattr(sizes, k)
            h = max(abs(v) * rel_step, a * rel_step) if v > 0 else a
            s2 = Sizes(**{**sizes.as_dict(), k: v + h})
            out[k] = (self.msp(s2, electricity_MWh_per_y, electricity_cost_eur_per_y) - base) / h
        h = max(abs(electricity_cost_eur_per_y), 1e6) * rel_step
        out["electricity_eur_per_y"] = (self.msp(sizes, electricity_MWh_per_y, electricity_cost_eur_per_y + h)
                                        - base) / h
        return out

    def describe(self) -> Mapping[str, Any]:
        return {"route": self.route, "storage": self.storage, "power_MW": dict(self.power_MW),
                "h2_kg_per_h": self.h2_kg_per_h, "methanol_t_per_h": self.methanol_t_per_h,
                "operating_hours": self.hours, "steady_msp_eur_per_t": self.steady_msp,
                "sections": {k: list(v) for k, v in self.sections.items()}}
