"""Exergy of species and streams: standard chemical exergy in Szargut's reference environment and
physical exergy from the NASA-7 polynomials, vectorised over cases.

Reference environment: T0 = 298.15 K, P0 = 101.325 kPa, Szargut, Morris, Steward (1988)
(``property_data/exergy_reference.yaml``). Definitions, per mole of a stream of molar flows n_i
at T, P:

* standard chemical exergy of a species, ``ex_i = g_i(T0) + sum_e nu_ie b_e``: its NASA-7 Gibbs
  energy and one constant per element, ``b_e = ex_e - g_e(T0)``, fixed by the tabulated exergy
  of one anchor species per element (O2, H2, N2, Ar, CO2, SO2, HCl, quartz). This is Szargut's
  ``ex = dGf + sum nu ex_el`` with carbonhub's own Gibbs energies, so that exergy balances close
  on the same thermo as the energy balances. Solid organic matter (``ORG_*``, whose NASA-7 entry
  has no entropy) takes Szargut's beta correlation, ``ex = beta(h/c, o/c, n/c) x LHV``;
* chemical exergy of a stream, ``sum_i n_i ex_i + R T0 sum_gas n_i ln x_i`` (ideal mixing of the
  gas-phase species, x_i their mole fraction among the gases; condensed species as pure phases);
* physical exergy, ``sum_i n_i [h_i(T) - h_i(T0) - T0 (s_i(T) - s_i(T0))] + n_gas R T0 ln(P/P0)
  + sum_condensed n_i v_i (P - P0)`` (ideal gas; incompressible condensed species with the molar
  volume of components.yaml where it is known);
* heat Q at temperature T carries ``Q (1 - T0/T)`` (Carnot factor); work and electricity count
  at their value.

Species carry the phase of their carbonhub component (e.g. methanol is an ideal gas here, as in
the energy balances; Szargut's liquid methanol is 718.0 against 722.3 kJ/mol for the gas).

Example
-------
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.thermo.exergy import standard_chemical_exergy
>>> cs = ComponentSet.from_ids(["CH4", "CO2"])
>>> [round(float(x) / 1000, 1) for x in standard_chemical_exergy(cs)]  # Szargut's table: 831.65, 19.87
[831.9, 19.9]

References
----------
.. [1] Szargut, J., Morris, D.R., Steward, F.R. (1988). Exergy Analysis of Thermal, Chemical, and
   Metallurgical Processes. Hemisphere, New York.
.. [2] Kotas, T.J. (1985). The Exergy Method of Thermal Plant Analysis. Butterworths, ch. 2.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..units import ATM
from .components import ELEMENTS, ComponentSet, atomic_weights
from .nasa7 import P_REF, R
from .rowdot import present, rowdot, rowsum

__all__ = ["T0", "P0", "element_constants", "standard_chemical_exergy", "chemical_exergy",
           "physical_exergy", "carnot_factor"]

T0 = 298.15
"""Temperature of the reference environment [K]."""
P0 = ATM
"""Pressure of the reference environment [Pa] (1 atm)."""


@lru_cache(maxsize=1)
def _reference() -> dict:
    from ..data import load_yaml

    return load_yaml("exergy_reference.yaml")


@lru_cache(maxsize=1)
def element_constants() -> dict[str, float]:
    """``b_e = ex_e - g_e(T0)`` per atom of each element [J/mol], from the anchor species."""
    anchors = _reference()["anchors"]
    cs = ComponentSet.from_ids(list(anchors))
    g = cs.g0_RT(T0)[0] * R * T0
    b: dict[str, float] = {}
    pending = dict(anchors)
    while pending:  # an anchor is solved once the other elements it contains are known
        for cid, a in list(pending.items()):
            el = a["element"]
            comp = cs.components[cs.index(cid)].elements
            others = {e: n for e, n in comp.items() if e != el}
            if all(e in b for e in others):
                rest = sum(n * b[e] for e, n in others.items())
                b[el] = (float(a["value"]) * 1e3 - g[cs.index(cid)] - rest) / comp[el]
                del pending[cid]
                break
        else:
            raise ValueError(f"exergy_reference.yaml: anchors {sorted(pending)} cannot be solved")
    return b


def _beta(E: np.ndarray) -> float:
    """Szargut's beta (exergy / LHV) of solid organic matter from its atoms per C (one row);
    NaN above the wood correlation's range (mass ratio o/c > 2.67)."""
    aw = atomic_weights()
    m = {e: E[ELEMENTS.index(e)] * aw[e] for e in ("C", "H", "O", "N")}
    h_c, o_c, n_c = m["H"] / m["C"], m["O"] / m["C"], m["N"] / m["C"]
    c = _reference()["beta_correlations"]
    f = c["fossil_solid"]
    if o_c <= f["max_o_c"]:
        return f["const"] + f["h_c"] * h_c + f["o_c"] * o_c + f["n_c"] * n_c
    w = c["wood"]
    if o_c > w["max_o_c"]:  # outside both correlations: undefined (NaN), not an error that
        return float("nan")  # would stop every other KPI of the result
    num = w["const"] + w["h_c"] * h_c + w["o_c"] * o_c * (1.0 + w["o_c_h_c"] * h_c) + w["n_c"] * n_c
    return num / (1.0 + w["denominator_o_c"] * o_c)


def _lhv_298(cs: ComponentSet, i: int) -> float:
    """LHV [J/mol] at T0 of component i: products CO2, H2O(g), N2, SO2, HCl."""
    ref = ComponentSet.from_ids(["CO2", "H2O", "N2", "SO2", "HCl", "O2"])
    hp = dict(zip(ref.ids, ref.h(T0)[0]))
    E = dict(zip(ELEMENTS, cs.element_matrix[i]))
    cl = E["Cl"]
    o2 = E["C"] + (E["H"] - cl) / 4.0 + E["S"] - E["O"] / 2.0
    prod = (E["C"] * hp["CO2"] + (E["H"] - cl) / 2.0 * hp["H2O"] + E["N"] / 2.0 * hp["N2"]
            + E["S"] * hp["SO2"] + cl * hp["HCl"] - o2 * hp["O2"])
    return float(cs.h(T0)[0, i] - prod)


_CACHE: dict[int, np.ndarray] = {}


def standard_chemical_exergy(cs: ComponentSet) -> np.ndarray:
    """Standard chemical exergy of each component [J/mol] at T0, P0 (see the module docstring)."""
    key = id(cs)
    if key not in _CACHE:
        b = element_constants()
        bvec = np.array([b.get(e, np.nan) for e in ELEMENTS])
        used = (cs.element_matrix != 0).any(axis=0)
        if np.isnan(bvec[used]).any():
            missing = [e for e, u, v in zip(ELEMENTS, used, bvec) if u and np.isnan(v)]
            raise ValueError(f"no anchor species for elements {missing} in exergy_reference.yaml")
        ex = cs.g0_RT(T0)[0] * R * T0 + cs.element_matrix @ np.nan_to_num(bvec)
        for i, cid in enumerate(cs.ids):
            if cid.startswith("ORG_"):
                ex[i] = _beta(cs.element_matrix[i]) * _lhv_298(cs, i)
        _CACHE[key] = ex
    return _CACHE[key]


def chemical_exergy(cs: ComponentSet, flow, cols=None) -> np.ndarray:
    """Chemical exergy flow [W] of streams ``flow`` (n, n_comp) [mol/s], with the ideal mixing
    term of the gas-phase species, shape (n,). ``cols``: the columns with flow in any case, if
    already known."""
    flow = np.atleast_2d(np.asarray(flow, dtype=float))
    cols = present_columns(flow) if cols is None else cols  # a component absent from every case adds exactly nothing
    fl = flow[:, cols]
    gas = cs.is_gas[cols]
    # sums in index order (rowsum, rowdot): the same for a case with or without the columns
    # of components only other cases of its batch carry
    ng = rowsum(fl[:, gas])[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(ng > 0, fl[:, gas] / np.where(ng > 0, ng, 1.0), 0.0)
        mix = rowsum(np.where(x > 0, fl[:, gas] * np.log(np.where(x > 0, x, 1.0)), 0.0))
    return rowdot(fl, standard_chemical_exergy(cs)[cols]) + R * T0 * mix


def physical_exergy(cs: ComponentSet, flow, T, P, cols=None) -> np.ndarray:
    """Physical exergy flow [W] of streams ``flow`` (n, n_comp) [mol/s] at T [K], P [Pa] against
    the same streams at T0, P0, shape (n,). ``cols`` as in :func:`chemical_exergy`."""
    flow = np.atleast_2d(np.asarray(flow, dtype=float))
    n = flow.shape[0]
    T = np.broadcast_to(np.asarray(T, dtype=float), (n,))
    P = np.broadcast_to(np.asarray(P, dtype=float), (n,))
    cols = present_columns(flow) if cols is None else cols  # NASA-7 of the components with flow only (10-15 of ~40)
    fl = flow[:, cols]
    dh = cs.h_cols(T, cols) - cs.h_cols(T0, cols)
    ds = cs.s0_cols(T, cols) - cs.s0_cols(T0, cols)
    thermal = rowsum(fl * (dh - T0 * ds))  # in index order: as for the case alone
    ng = rowsum(fl[:, cs.is_gas[cols]])
    with np.errstate(divide="ignore", invalid="ignore"):
        pressure = ng * R * T0 * np.log(np.where(P > 0, P, np.nan) / P0)
    liquid = rowdot(fl, cs.molar_volume[cols]) * (P - P0)
    return thermal + np.where(ng > 0, pressure, 0.0) + liquid


def present_columns(flow: np.ndarray) -> np.ndarray:
    """Columns with a nonzero flow in any case (compiled: :func:`carbonhub.thermo.rowdot.present`)."""
    return present(flow)


def carnot_factor(T) -> np.ndarray:
    """Exergy per unit of heat at temperature T [K]: ``1 - T0/T``."""
    return 1.0 - T0 / np.asarray(T, dtype=float)
