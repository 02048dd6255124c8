"""Reactions and equilibrium constants from the NASA-7 data of the components.

K(T) = exp(-sum nu_i g°_i(T) / RT), standard state ideal gas at P° = 1 atm (101325 Pa), so
K is a pressure-based constant in atm^(sum nu_gas). This is the documented choice of
carbonhub: the same data as Cantera, hence comparable to it exactly; popular correlations
deviate from it (Moe's water-gas-shift correlation by 3-15 %, Graaf et al. (1986) for methanol
by ~20 %; see /shared/REFERENCES.md).

Example
-------
>>> from carbonhub.thermo import equilibrium_constant
>>> round(float(equilibrium_constant("CO + H2O = CO2 + H2", 1000.0)[0]), 3)
1.435
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .components import ComponentSet, default_components
from .rowdot import rowdot

_TERM = re.compile(r"^\s*(\d+(?:\.\d+)?)?\s*([A-Za-z0-9_()]+)\s*$")


@dataclass(frozen=True)
class Reaction:
    """Stoichiometry {component id: nu}, products positive."""

    nu: dict[str, float]

    @classmethod
    def parse(cls, text: str) -> "Reaction":
        """Parse ``"CO + 2 H2 = CH3OH"`` (``=``, ``<=>`` or ``->``)."""
        parts = re.split(r"<=>|=|->", text)
        if len(parts) != 2:
            raise ValueError(f"reaction {text!r}: expected 'reactants = products'")
        nu: dict[str, float] = {}
        for side, sign in ((parts[0], -1.0), (parts[1], 1.0)):
            for term in side.split(" + "):
                mt = _TERM.match(term)
                if not mt:
                    raise ValueError(f"reaction {text!r}: cannot parse term {term!r}")
                coef = float(mt.group(1)) if mt.group(1) else 1.0
                nu[mt.group(2)] = nu.get(mt.group(2), 0.0) + sign * coef
        return cls(nu)

    def check_balance(self, cs: ComponentSet) -> np.ndarray:
        """Element imbalance of the reaction (zeros when balanced)."""
        idx = cs.indices(self.nu)
        return np.array(list(self.nu.values())) @ cs.element_matrix[idx]


def equilibrium_constant(reaction: str | Reaction | dict, T, components: ComponentSet | None = None
                         ) -> np.ndarray:
    """K(T) of a reaction, shape (n,), standard state 1 atm (see module docstring).

    Raises ``ValueError`` if the reaction does not balance in elements.
    """
    cs = components if components is not None else default_components()
    rx = reaction if isinstance(reaction, Reaction) else (
        Reaction(dict(reaction)) if isinstance(reaction, dict) else Reaction.parse(reaction))
    imb = rx.check_balance(cs)
    if np.abs(imb).max() > 1e-12:
        raise ValueError(f"reaction {rx.nu} does not balance: element imbalance {imb}")
    T = np.atleast_1d(np.asarray(T, dtype=float))
    if (~np.isfinite(T) | (T <= 0)).any():
        raise ValueError(f"T = {T[~np.isfinite(T) | (T <= 0)][0]!r} K: expected a finite value > 0 K")
    sub = cs.subset(rx.nu)
    g = sub.g0_RT(T)
    return np.exp(-rowdot(g, np.array(list(rx.nu.values()))))
