"""Thermodynamics: NASA-7 species data (from Cantera's bundled NASA Glenn files), batched
Gibbs equilibrium, equilibrium constants, and CoolProp for water/steam and CO2."""
from .components import Component, ComponentSet, ELEMENTS, BALANCE_ELEMENTS, UnknownComponentError
from .equilibrium import EquilibriumInputError, EquilibriumResult, equilibrate
from .reactions import equilibrium_constant, Reaction

__all__ = ["Component", "ComponentSet", "ELEMENTS", "BALANCE_ELEMENTS", "UnknownComponentError",
           "equilibrate", "EquilibriumResult", "EquilibriumInputError", "equilibrium_constant",
           "Reaction"]
