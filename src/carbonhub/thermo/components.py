"""Components: ids, element matrix, molar masses and NASA-7 thermo from Cantera's data files.

A :class:`ComponentSet` is passed explicitly to everything that needs it (no global state).
``ComponentSet.default()`` holds the species of ``property_data/components.yaml`` plus one
organic pseudo-component ``ORG_<feedstock>`` per feedstock of ``property_data/feedstocks.yaml``.

Example
-------
>>> from carbonhub.thermo import ComponentSet
>>> cs = ComponentSet.default()
>>> cs.index("CO2"), round(float(cs.molar_mass[cs.index("CO2")]) * 1000, 3)
(2, 44.009)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

from . import nasa7
from .nasa7 import R

ELEMENTS: tuple[str, ...] = ("C", "H", "O", "N", "S", "Cl", "Ar", "Si")
"""Element order of every element matrix in carbonhub."""

BALANCE_ELEMENTS: tuple[str, ...] = ("C", "H", "O", "N", "S", "Cl")
"""Elements whose balance is reported per unit and per case."""

# Cantera's atomic weights [kg/kmol] (IUPAC), read at build time from Cantera itself.


class UnknownComponentError(KeyError):
    """A component id that is not in the component set."""

    def __str__(self) -> str:  # KeyError quotes its message; show it plainly
        return str(self.args[0])


@dataclass(frozen=True)
class Component:
    """One species or pseudo-component.

    Attributes
    ----------
    id : str
        carbonhub id, e.g. ``"CO2"``, ``"H2O(L)"``, ``"ORG_wood_chips"``.
    elements : dict[str, float]
        atoms per molecule (for ``ORG_*``: per carbon atom, i.e. CH_aO_b...).
    phase : str
        ``"gas"``, ``"liquid"`` or ``"solid"``.
    low, high : np.ndarray
        NASA-7 coefficients (7,) below/above ``tmid`` [K].
    source : str
        where the thermo comes from.
    """

    id: str
    elements: dict[str, float]
    phase: str
    low: np.ndarray
    high: np.ndarray
    tmid: float
    t_range: tuple[float, float]
    source: str
    note: str = ""
    density: float = 0.0
    """[kg/m3] of a condensed species (its molar volume enters mu = g°(T) + v (P - P°)); 0 for gases."""


@lru_cache(maxsize=None)
def _cantera_species(filename: str) -> dict:
    import cantera as ct

    return {s.name: s for s in ct.Species.list_from_file(filename)}


@lru_cache(maxsize=1)
def atomic_weights() -> dict[str, float]:
    """Atomic weights [kg/mol] from Cantera's element table."""
    import cantera as ct

    return {e: ct.Element(e).weight / 1000.0 for e in ELEMENTS}


def _from_cantera(cid: str, name: str, filename: str, phase: str, note: str = "",
                  density: float = 0.0) -> Component:
    sp = _cantera_species(filename).get(name)
    if sp is None:
        raise UnknownComponentError(f"species {name!r} not found in Cantera's {filename}")
    th = sp.input_data["thermo"]
    if th["model"] != "NASA7":
        raise ValueError(f"{name}: thermo model {th['model']} is not NASA7")
    ranges = th["temperature-ranges"]
    data = [np.asarray(d, dtype=float) for d in th["data"]]
    low = data[0]
    high = data[1] if len(data) > 1 else data[0]
    tmid = ranges[1] if len(ranges) > 2 else ranges[-1]
    return Component(cid, dict(sp.composition), phase, low, high, float(tmid),
                     (float(ranges[0]), float(ranges[-1])), f"NASA Glenn ({filename}: {name})", note,
                     float(density))


def ch2_increment(n: int) -> Component:
    """n-paraffin CnH2n+2 by the CH2 increment of n-octane minus n-heptane (NASA Glenn).

    The coefficients are linear in chain length: a(Cn) = a(C8) + (n - 8) [a(C8) - a(C7)],
    range by range (both species share Tmid = 1000 K). See property_data/components.yaml.
    """
    c8 = _from_cantera("C8H18", "C8H18,n-octane", "nasa_gas.yaml", "gas")
    c7 = _from_cantera("C7H16", "C7H16,n-heptane", "nasa_gas.yaml", "gas")
    if c8.tmid != c7.tmid:
        raise ValueError("CH2 increment needs a common Tmid")
    low = c8.low + (n - 8) * (c8.low - c7.low)
    high = c8.high + (n - 8) * (c8.high - c7.high)
    return Component(f"C{n}H{2 * n + 2}", {"C": float(n), "H": float(2 * n + 2)}, "gas", low, high,
                     c8.tmid, c8.t_range, "CH2 increment of NASA Glenn n-octane/n-heptane")


def olefin_increment(n: int) -> Component:
    """n-olefin CnH2n: 1-octene (NASA Glenn) plus (n - 8) CH2 increments of n-octane minus
    n-heptane, range by range (see :func:`ch2_increment`)."""
    c8e = _from_cantera("C8H16", "C8H16,1-octene", "nasa_gas.yaml", "gas")
    c8 = _from_cantera("C8H18", "C8H18,n-octane", "nasa_gas.yaml", "gas")
    c7 = _from_cantera("C7H16", "C7H16,n-heptane", "nasa_gas.yaml", "gas")
    if not c8e.tmid == c8.tmid == c7.tmid:
        raise ValueError("CH2 increment needs a common Tmid")
    low = c8e.low + (n - 8) * (c8.low - c7.low)
    high = c8e.high + (n - 8) * (c8.high - c7.high)
    return Component(f"C{n}H{2 * n}", {"C": float(n), "H": float(2 * n)}, "gas", low, high,
                     c8e.tmid, c8e.t_range, "1-octene + CH2 increments of NASA Glenn n-octane/n-heptane")


# -- organic pseudo-components (biomass, plastics) ------------------------------------------

KOUFOPANOS_CP = (1500.0, 1.0)
"""Specific heat of dry biomass, cp = 1500 + 1.0 T [J/(kg K)], T in K.
Koufopanos, Papayannakos, Maschio, Lucchesi (1991), Can. J. Chem. Eng. 69:907-915,
doi:10.1002/cjce.5450690413."""

COMBUSTION_PRODUCTS = {"C": ("CO2", 1.0), "H": ("H2O(L)", 0.5), "N": ("N2", 0.5), "S": ("SO2", 1.0),
                       "Cl": ("HCl", 1.0)}
"""HHV reference products: CO2(g), H2O(l), N2(g), SO2(g), HCl(g); the H that goes to HCl is
taken out of the water. Standard convention for heats of formation from heating values
(e.g. Basu, Biomass Gasification, Pyrolysis and Torrefaction, 3rd ed. 2018, ch. 3)."""


def organic_pseudo_component(feed_id: str, ultimate_dry_wt_pct: dict[str, float],
                             hhv_dry_MJ_per_kg: float, ash_dry_wt_pct: float,
                             products: dict[str, Component]) -> Component:
    """Build ``ORG_<feed_id>``: the dry ash-free organic matter, one mole per carbon atom.

    Formula CH_aO_bN_cS_dCl_e from the dry ultimate analysis. The heat of formation at
    298.15 K follows from the measured heating value of the dry fuel, attributed wholly to the
    organic matter (ash is inert):
        dHf(org) = sum nu_p dHf(p) + HHV_daf * M_org,  products as in COMBUSTION_PRODUCTS.
    cp(T) per Koufopanos et al. (1991) on a mass basis. Entropy: a7 = 0 (the organic matter
    never takes part in an equilibrium; it is converted by yield models).
    """
    aw = atomic_weights()
    c_mol = ultimate_dry_wt_pct["C"] / 100.0 / aw["C"]  # mol C per kg dry
    if c_mol <= 0:
        raise ValueError(f"feedstock {feed_id!r}: carbon content must be > 0 wt%, got "
                         f"{ultimate_dry_wt_pct['C']}")
    elems = {}
    for e in ("C", "H", "O", "N", "S", "Cl"):
        w = float(ultimate_dry_wt_pct.get(e, 0.0) or 0.0)
        if w < 0:
            raise ValueError(f"feedstock {feed_id!r}: {e} = {w} wt% is negative")
        if w > 0:
            elems[e] = (w / 100.0 / aw[e]) / c_mol
    M = sum(n * aw[e] for e, n in elems.items())  # kg per mol ORG
    org_frac = 1.0 - ash_dry_wt_pct / 100.0
    hhv_daf = hhv_dry_MJ_per_kg * 1e6 / org_frac  # J/kg organic
    # sum of products' heats of formation at 298.15 K
    h_prod = 0.0
    T0 = np.array([298.15])
    for e, n in elems.items():
        if e == "O":  # oxygen of the fuel reduces the O2 needed; O2 has dHf = 0
            continue
        pid, nu = COMBUSTION_PRODUCTS[e]
        p = products[pid]
        hf = float(nasa7.h_RT(T0, p.low[None], p.high[None], np.array([p.tmid]))[0, 0]) * R * 298.15
        h_prod += n * nu * hf
    if "Cl" in elems:  # H in HCl is not in water
        p = products["H2O(L)"]
        hf = float(nasa7.h_RT(T0, p.low[None], p.high[None], np.array([p.tmid]))[0, 0]) * R * 298.15
        h_prod -= 0.5 * elems["Cl"] * hf
    dhf = h_prod + hhv_daf * M  # J/mol
    a1 = KOUFOPANOS_CP[0] * M / R
    a2 = KOUFOPANOS_CP[1] * M / R
    # h/R at 298.15 = a1 T + a2 T^2/2 + a6  =>  a6
    a6 = dhf / R - a1 * 298.15 - a2 * 298.15**2 / 2
    coeff = np.array([a1, a2, 0.0, 0.0, 0.0, a6, 0.0])
    return Component(f"ORG_{feed_id}", elems, "solid", coeff, coeff.copy(), 1000.0, (250.0, 1000.0),
                     "organic pseudo-component: dHf from HHV, cp per Koufopanos et al. (1991)")


class ComponentSet:
    """An ordered set of components with batched thermo.

    Parameters
    ----------
    components : sequence of Component
    """

    def __init__(self, components: Sequence[Component]):
        ids = [c.id for c in components]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate component ids in {ids}")
        self.components: tuple[Component, ...] = tuple(components)
        self.ids: tuple[str, ...] = tuple(ids)
        self._index = {cid: i for i, cid in enumerate(ids)}
        self.elements = ELEMENTS
        self.element_matrix = np.array([[c.elements.get(e, 0.0) for e in ELEMENTS]
                                        for c in components])  # (n_comp, n_el)
        unknown = {e for c in components for e in c.elements} - set(ELEMENTS)
        if unknown:
            raise ValueError(f"elements {sorted(unknown)} are not supported (known: {ELEMENTS})")
        aw = atomic_weights()
        self.molar_mass = self.element_matrix @ np.array([aw[e] for e in ELEMENTS])  # kg/mol
        self.low = np.array([c.low for c in components])
        self.high = np.array([c.high for c in components])
        self.tmid = np.array([c.tmid for c in components])
        self.phase = np.array([c.phase for c in components])
        self.is_gas = self.phase == "gas"
        self.carbon = self.element_matrix[:, ELEMENTS.index("C")]
        dens = np.array([c.density for c in components])
        self.molar_volume = np.where(dens > 0, self.molar_mass / np.where(dens > 0, dens, 1.0), 0.0)
        """Molar volume of condensed species [m3/mol] (0 for gases and where unknown)."""

    # -- lookup ------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, cid: object) -> bool:
        return cid in self._index

    def __repr__(self) -> str:
        return f"ComponentSet({len(self)} components: {', '.join(self.ids)})"

    def index(self, cid: str) -> int:
        """Position of ``cid``; unknown ids raise a clear error listing the known ones."""
        try:
            return self._index[cid]
        except KeyError:
            raise UnknownComponentError(
                f"unknown component {cid!r}; known components: {', '.join(self.ids)}") from None

    def indices(self, cids: Iterable[str]) -> np.ndarray:
        return np.array([self.index(c) for c in cids], dtype=int)

    def subset(self, cids: Iterable[str]) -> "ComponentSet":
        return ComponentSet([self.components[self.index(c)] for c in cids])

    # -- thermo [SI] -------------------------------------------------------------------------
    def cp(self, T) -> np.ndarray:
        """Molar heat capacity [J/(mol K)], shape (n, n_comp)."""
        return R * nasa7.cp_R(T, self.low, self.high, self.tmid)

    def h(self, T) -> np.ndarray:
        """Molar enthalpy incl. formation [J/mol], shape (n, n_comp)."""
        T = np.atleast_1d(np.asarray(T, dtype=float))
        return R * T[:, None] * nasa7.h_RT(T, self.low, self.high, self.tmid)

    def h_cols(self, T, cols: np.ndarray) -> np.ndarray:
        """Molar enthalpy [J/mol] of the components ``cols`` only, shape (n, len(cols))."""
        T = np.atleast_1d(np.asarray(T, dtype=float))
        return R * T[:, None] * nasa7.h_RT(T, self.low[cols], self.high[cols], self.tmid[cols])

    def cp_cols(self, T, cols: np.ndarray) -> np.ndarray:
        """Molar heat capacity [J/(mol K)] of the components ``cols`` only."""
        return R * nasa7.cp_R(T, self.low[cols], self.high[cols], self.tmid[cols])

    def s0(self, T) -> np.ndarray:
        """Standard molar entropy at 1 atm [J/(mol K)], shape (n, n_comp)."""
        return R * nasa7.s_R(T, self.low, self.high, self.tmid)

    def s0_cols(self, T, cols: np.ndarray) -> np.ndarray:
        """Standard molar entropy at 1 atm [J/(mol K)] of the components ``cols`` only."""
        return R * nasa7.s_R(T, self.low[cols], self.high[cols], self.tmid[cols])

    def g0_RT(self, T) -> np.ndarray:
        """Standard Gibbs energy g°/(RT) at 1 atm, shape (n, n_comp)."""
        return nasa7.g_RT(T, self.low, self.high, self.tmid)

    # -- constructors ------------------------------------------------------------------------
    @classmethod
    def from_ids(cls, cids: Iterable[str]) -> "ComponentSet":
        """A set of the given ids from ``ComponentSet.default()``."""
        return default_components().subset(cids)

    @classmethod
    def default(cls) -> "ComponentSet":
        """All species of property_data/components.yaml plus one ORG_* per feedstock."""
        return default_components()


_INCREMENTS = {"olefin_increment": olefin_increment, "ch2_increment": ch2_increment}
"""components.yaml keys of the group-additivity species: the key's value is the carbon number."""


def _load_components_yaml(section: str = "components") -> list[Component]:
    from ..data import load_yaml

    spec = load_yaml("components.yaml")[section]
    out = []
    for cid, d in spec.items():
        increment = [(key, make) for key, make in _INCREMENTS.items() if key in d]
        if increment:
            key, make = increment[0]
            c = make(int(d[key]))
            if c.id != cid:
                raise ValueError(f"components.yaml: {cid} does not match {key} {d[key]} ({c.id})")
            out.append(c)
        else:
            out.append(_from_cantera(cid, d["cantera"], d["file"], d["phase"], d.get("lump", ""),
                                     d.get("density_kg_per_m3", 0.0)))
    return out


@lru_cache(maxsize=1)
def default_components() -> ComponentSet:
    base = _load_components_yaml()
    by_id = {c.id: c for c in base}
    from ..feedstocks import load_feedstocks

    orgs = [organic_pseudo_component(f.id, f.ultimate_dry_wt_pct, f.hhv_dry_MJ_per_kg,
                                     f.ash_dry_wt_pct, by_id)
            for f in load_feedstocks().values()]
    return ComponentSet(base + orgs)


@lru_cache(maxsize=1)
def pyrolysis_components() -> ComponentSet:
    """``ComponentSet.default()`` plus the species of the plastics pyrolysis route
    (``pyrolysis_components`` of property_data/components.yaml: olefin, aromatic and
    heteroatom lumps of pyrolysis oil and the steam-cracker products)."""
    extra = _load_components_yaml("pyrolysis_components")
    return ComponentSet(list(default_components().components) + extra)
