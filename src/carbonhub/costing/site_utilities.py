"""The site's other utilities: plant and instrument air, fire water and the process-water system.

A real plant has utility systems that no unit of a route models: compressed air for its
instruments and tools, a fire-water tank and pump, and a process-water tank with its pumps.
The NREL/PNNL gasification designs of the BETO biofuels TEA database cost them with the cooling
water in their area "Cooling Water & Other Utilities" (sheet "Gasification IDL", row 36;
storage and wastewater treatment are areas of their own in the database's other sheets, and
no gasification design of the sheet has either). carbonhub costs them as the costing-level unit
``site_utilities`` (area utilities, outside battery limits, no operators of its own), from the
area-900 equipment of Humbird et al. (2011) as encoded in BioSTEAM 2.52.17
(reference_plants.yaml, verified):

=====================  ==============================  ===============================
row                    item                            sized on
=====================  ==============================  ===============================
site_utilities         plant air compressor            dry feed [t/h]
site_utilities.1       plant air receiver              dry feed [t/h]
site_utilities.2       instrument air dryer            dry feed [t/h]
site_utilities.3       fire-water storage tank         dry feed [t/h]
site_utilities.4       fire-water pump                 dry feed [t/h]
site_utilities.5       process-water tank              raw water intake [t/h]
site_utilities.6       process-water pump              raw water intake [t/h]
site_utilities.7       make-up water pump              raw water intake [t/h]
=====================  ==============================  ===============================

The air and fire-water items are scaled on the plant's throughput (the dry feed, KPI
``feed_dry_t_per_h``) from the design's 2,000 dry t/d (83.333 t/h): no route models its air
demand or fire case. The water items follow the raw water the route takes in (KPI
``water_intake_t_per_h``, costing/water.py). Their electricity (about 0.3 MW at the design's
size) is not added: it is below the resolution of the routes' power balances and the
cooling-water and water prices carry the pumping of those systems. Not costed, and why: boiler-feed-water
treatment (the steam is a priced utility whose price includes it; where a route demineralises
water itself its Demineralisation unit is costed), product storage (an area of its own in the
database, absent from its gasification designs), flare (no cited correlation read).

Example
-------
>>> from carbonhub.costing.correlations import reference_plant
>>> from carbonhub.costing.site_utilities import SITE_UTILITY_COSTS
>>> [reference_plant(i[4:])["C_ref"] for i, _ in SITE_UTILITY_COSTS[:3]]
[28000, 16000, 15000]
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..core.boundary import boundary
from ..thermo.rowdot import rowdot

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

__all__ = ["SITE_UTILITY_COSTS", "dry_feed_t_per_h", "site_utility_cost_rows"]

SITE_UTILITY_COSTS = (
    ("ref.plant_air_compressor_humbird", "feed"),
    ("ref.plant_air_receiver_humbird", "feed"),
    ("ref.instrument_air_dryer_humbird", "feed"),
    ("ref.fire_water_tank_humbird", "feed"),
    ("ref.fire_water_pump_humbird", "feed"),
    ("ref.process_water_tank_humbird", "water"),
    ("ref.process_water_pump_humbird", "water"),
    ("ref.makeup_water_pump_humbird", "water"),
)
"""Cost items of the site utilities (reference_plants.yaml) and what each is sized on: ``feed``
the dry feed [t/h], ``water`` the raw water intake [t/h]."""


def dry_feed_t_per_h(res: "SimulationResult") -> np.ndarray:
    """Dry feedstock [t/h] per case: the feedstock sources' mass less their water (the KPI
    ``feed_dry_t_per_h``)."""
    cs = res.flowsheet.components
    iw = [cs.index(w) for w in ("H2O", "H2O(L)") if w in cs]
    dry = np.zeros(res.n_cases)
    for u, s in boundary(res)[0]:
        if getattr(u, "is_feedstock", False):
            dry = dry + s.mass_flow - rowdot(np.nan_to_num(s.flow[:, iw]), cs.molar_mass[iw])
    return dry * 3.6


def site_utility_cost_rows(res: "SimulationResult", extra_cooling_W=0.0) -> list[dict]:
    """Cost rows (as :func:`carbonhub.costing.flowsheet.unit_table` builds them) of the site
    utilities of :data:`SITE_UTILITY_COSTS`: unit ``site_utilities`` (rows ``site_utilities``,
    ``site_utilities.1``, ...), area utilities (no unit of the flowsheet: outside battery
    limits), no operators of its own. An item whose size is zero in every case is left out.
    ``extra_cooling_W``: cooling beyond the units' own that the site's cooling water takes (the
    steam turbine's condenser, costing/water.py ``cooling_duty_W``), whose make-up is raw water."""
    from .water import water_kpis

    sizes = {"feed": dry_feed_t_per_h(res),
             "water": np.nan_to_num(np.asarray(water_kpis(res, extra_cooling_W)["water_intake_t_per_h"],
                                               dtype=float))}
    rows = []
    for k, (item, basis) in enumerate(SITE_UTILITY_COSTS):
        size = np.maximum(sizes[basis], 0.0) + np.zeros(res.n_cases)
        if not (size > 0).any():
            continue
        rows.append({"unit_id": "site_utilities" if k == 0 else f"site_utilities.{k}", "item": item,
                     "size": np.where(size > 0, size, size[size > 0].max()), "maturity": "nth",
                     "active": (size > 0).astype(float), "scope": item[4:], "includes": (),
                     "labour": "none"})
    return rows
