"""Units of the priced heat utilities: MP steam, cooling water and fired heat (one home for the
constants the costing, the energy KPIs and the utility choices share)."""
from __future__ import annotations

__all__ = ["STEAM_LATENT_J_PER_KG", "STEAM_T_SAT_K", "CW_J_PER_M3", "STEAM_SOURCES", "FURNACE_EFFICIENCY"]

STEAM_LATENT_J_PER_KG = 2015e3
"""Latent heat of saturated steam at 10 bar [J/kg] (IAPWS-IF97: h_fg(1 MPa) = 2014.6 kJ/kg)."""
STEAM_T_SAT_K = 453.03
"""Saturation temperature of the priced MP steam at 10 bar [K] (IAPWS-IF97: 179.88 degC): the
hottest heat the site's steam delivers (costing/heat_supply.py ``heat.steam_approach_K``)."""
CW_J_PER_M3 = 4.18e6 * 10.0
"""Cooling water: 4.18 MJ/(m3 K) x 10 K rise [J/m3]."""

FURNACE_EFFICIENCY = 0.85
"""Heat a fired heater delivers to the process per LHV of the fuel it burns [-]: "The fuel
consumed in a fired heater can be estimated from the fired heater duty divided by the furnace
efficiency. The furnace efficiency will typically be about 0.85 if both the radiant and
convective sections are used ... and about 0.6 if the process heating is in the radiant section
only" (Towler, G., Sinnott, R. (2013), Chemical Engineering Design, 2nd ed.,
Butterworth-Heinemann, ISBN 978-0-08-096659-5, section 3.2.2 "Fired heat"; verified: read in a
stored transcription of the section, 2026-12-07, which does not give the page). The default of
``heat.furnace_efficiency``."""

STEAM_SOURCES = ("steam_mp",)
"""Categories of source units that draw process steam from the plant's steam system (their
mass flow joins the net steam of :data:`carbonhub.costing.flowsheet.HEAT_UTILITIES`)."""
