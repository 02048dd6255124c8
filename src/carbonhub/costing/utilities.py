"""Units of the priced heat utilities: MP steam and cooling water (one home for the constants
the costing, the energy KPIs and the utility choices share)."""
from __future__ import annotations

__all__ = ["STEAM_LATENT_J_PER_KG", "CW_J_PER_M3", "STEAM_SOURCES"]

STEAM_LATENT_J_PER_KG = 2015e3
"""Latent heat of saturated steam at 10 bar [J/kg] (IAPWS-IF97: h_fg(1 MPa) = 2014.6 kJ/kg)."""
CW_J_PER_M3 = 4.18e6 * 10.0
"""Cooling water: 4.18 MJ/(m3 K) x 10 K rise [J/m3]."""

STEAM_SOURCES = ("steam_mp",)
"""Categories of source units that draw process steam from the plant's steam system (their
mass flow joins the net steam of :data:`carbonhub.costing.flowsheet.HEAT_UTILITIES`)."""
