"""Exergy efficiency of a simulated route, per case: the exergy of what it delivers over the
exergy of what it takes, with the same boundary and utilities as ``energy_efficiency_lhv``
(:mod:`carbonhub.costing.energy`)::

    exergy_efficiency = (Ex products + electricity sold + Ex steam sold)
                        / (Ex feeds + electricity bought + Ex fired fuel + Ex steam bought)

* Ex of a stream = physical + chemical exergy (:mod:`carbonhub.thermo.exergy`: NASA-7 entropies,
  Szargut's reference environment at 298.15 K, 101.325 kPa); products are the sinks of category
  ``product`` and ``byproduct``; feeds every source (feedstock, air, water, CO2, H2 ...) except
  the process steam drawn from the steam system, which is in the steam terms;
* electricity counts at its value (pure work);
* steam bought or sold counts at the heat it carries (latent heat at 10 bar, as the energy
  efficiency) times the Carnot factor at its saturation temperature, 1 - T0/453.03 K = 0.342
  (condensing steam: its exergy is h_fg - T0 s_fg);
* fired heat is natural gas by LHV: its exergy is the LHV times Szargut's ratio of methane,
  ex/LHV = 831.65/802.3 kJ/mol (computed here from the same data, 1.037).

Everything else leaving (flue gas, CO2, wastewater, ash, heat to cooling water) and what the
units destroy is ``exergy_lost_destroyed_MW = in - out``: an exergy balance that closes by
definition, reported so that the report can show where the exergy goes.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ..core.boundary import boundary
from ..thermo.exergy import (P0, carnot_factor, chemical_exergy, physical_exergy, present_columns,
                             standard_chemical_exergy)
from .energy import utility_energy_MW
from .memo import finite_view
from .utilities import STEAM_SOURCES, STEAM_T_SAT_K

if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

__all__ = ["STEAM_T_SAT_K", "natural_gas_exergy_ratio", "stream_exergy_W", "exergy_kpis"]


@lru_cache(maxsize=1)
def natural_gas_exergy_ratio() -> float:
    """Chemical exergy / LHV of natural gas, taken as methane [-]."""
    from ..core.stream import lhv_molar
    from ..thermo import ComponentSet

    cs = ComponentSet.from_ids(["CH4"])
    return float(standard_chemical_exergy(cs)[0] / lhv_molar(cs)[0])


def stream_exergy_W(s) -> tuple[np.ndarray, np.ndarray]:
    """(physical, chemical) exergy flow [W] of a :class:`~carbonhub.core.stream.Stream`, (n,) each."""
    flow = finite_view(s.flow)
    cols = present_columns(flow)  # once for both terms
    return physical_exergy(s.cs, flow, finite_view(s.T, nan=298.15),
                           finite_view(s.P, nan=P0), cols), chemical_exergy(s.cs, flow, cols)


def exergy_kpis(res: "SimulationResult") -> dict[str, np.ndarray]:
    """``exergy_efficiency`` and its terms [MW] per case (see the module docstring):
    ``exergy_feeds_MW`` (of which ``exergy_feeds_physical_MW``), ``exergy_products_MW``,
    ``exergy_utilities_in_MW``, ``exergy_utilities_out_MW``, ``exergy_lost_destroyed_MW``."""
    n = res.n_cases
    src, snk = boundary(res)
    feeds = np.zeros(n); feeds_ph = np.zeros(n); prod = np.zeros(n)
    for u, s in src:
        if getattr(u, "category", "") in STEAM_SOURCES:
            continue
        ph, ch = stream_exergy_W(s)
        feeds += ph + ch
        feeds_ph += ph
    for u, s in snk:
        if getattr(u, "category", "") in ("product", "byproduct"):
            ph, ch = stream_exergy_W(s)
            prod += ph + ch
    ue = utility_energy_MW(res)
    steam_f = float(carnot_factor(STEAM_T_SAT_K))
    u_in = (ue["electricity_import_MW"] + ue["fired_heat_MW"] * natural_gas_exergy_ratio()
            + ue["steam_import_MW"] * steam_f)
    u_out = ue["electricity_export_MW"] + ue["steam_export_MW"] * steam_f
    e_in = feeds / 1e6 + u_in
    e_out = prod / 1e6 + u_out
    with np.errstate(divide="ignore", invalid="ignore"):
        eff = np.where(e_in > 0, e_out / np.where(e_in > 0, e_in, 1.0), np.nan)
    return {"exergy_efficiency": eff, "exergy_feeds_MW": feeds / 1e6,
            "exergy_feeds_physical_MW": feeds_ph / 1e6, "exergy_products_MW": prod / 1e6,
            "exergy_utilities_in_MW": u_in, "exergy_utilities_out_MW": u_out,
            "exergy_lost_destroyed_MW": e_in - e_out}
