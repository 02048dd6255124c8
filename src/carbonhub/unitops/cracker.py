"""Steam-cracker co-feed: circular naphtha (hydrotreated plastic pyrolysis oil, C5-C11) into an
existing naphtha cracker, with product yields per tonne of feed from cited pilot data; the
fuel gas (H2, CH4) closes the carbon and hydrogen balances.

Example
-------
>>> from carbonhub.unitops.cracker import CRACKER_YIELDS
>>> CRACKER_YIELDS["ethylene"], CRACKER_YIELDS["propylene"]
(0.27, 0.175)
"""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream
from ..core.unit import Param, Unit, UnitResult
from ..thermo.components import ELEMENTS
from ..twin.helpers import eo_design, eo_outlet
from ._common import check_feed, require, status_array
from .pyrolysis import FiredHeater
from ..thermo.engine import use_numba
from ..thermo.rowdot import rowdot
from ._plastics_kernels import crack_rows

__all__ = ["SteamCracker", "CrackerFurnace", "CRACKER_YIELDS", "cracked_columns"]

CRACKER_YIELDS: dict[str, float] = {"ethylene": 0.27, "propylene": 0.175, "c4": 0.10, "pygas": 0.24,
                                    "fuel_oil": 0.03, "ethane": 0.04}
"""Default mass yields per kg of cracked feed.

* Ethylene 0.27 and propylene 0.175: steam cracking of naphtha made from plastic waste (Mura
  Hydro-PRT) in the Ghent University pilot at a coil-outlet temperature of 850 degC, 0.4 s,
  1.7 bar, 0.45 kg steam/kg: ethylene > 27 wt%, propylene 17.5 wt% (AIChE Spring Meeting 2025,
  paper 137c, abstract, read). Consistent with Kusenberg et al. (2022), Waste Manag.,
  doi:10.1016/j.wasman.2022.01.033 (Elsevier PII S0956-053X(22)00040-X), abstract: plastic
  pyrolysis oil blends give about 23 wt% ethylene at 820 degC and 28 wt% at 850 degC (fossil
  naphtha 22 and 27 wt%) (read).
* C4 (butenes + butadiene) 0.10 and pyrolysis gasoline 0.24: naphtha cracked in a steam
  cracker, "29 wt.% ethene, 16 wt.% propene, 10 wt.% butene/butadiene, and 24 wt.% pyrolysis
  gasoline", as quoted for comparison in "Pyrolysis of polyolefins with steam to yield
  olefins", J. Anal. Appl. Pyrolysis, doi:10.1016/S0165-2370(96)00950-3, abstract (read).
* Pyrolysis fuel oil 0.03 and ethane 0.04 (to the fuel gas): typical naphtha-cracker values,
  recalled, not read (the rest, about 0.145, is the CH4 + H2 fuel gas that closes C and H)."""
PRODUCT_SPECIES = {"ethylene": {"C2H4": 1.0}, "propylene": {"C3H6": 1.0}, "c4": {"C4H6": 0.5, "C4H8": 0.5},
                   "pygas": {"C6H6": 0.3, "C7H8": 0.2, "C8H16": 0.5}, "fuel_oil": {"C10H8": 1.0},
                   "ethane": {"C2H6": 1.0}}
"""Species (mass fractions) of each product cut (ethane leaves with the fuel gas)."""


def cracked_columns(cs) -> np.ndarray:
    """Boolean mask of the species that are cracked: hydrocarbons (C and H only) with five or
    more carbon atoms (the naphtha-range feed); all else passes to the fuel gas."""
    E = cs.element_matrix
    ch_only = (E[:, [i for i, e in enumerate(ELEMENTS) if e not in ("C", "H")]] == 0).all(axis=1)
    return ch_only & (E[:, ELEMENTS.index("C")] >= 5) & cs.is_gas


class SteamCracker(Unit):
    """Steam-cracker co-feed block: cracking furnace, quench and separation train as one unit.

    Model
    -----
    * The naphtha-range hydrocarbons of ``feed`` (:func:`cracked_columns`) give ethylene,
      propylene, C4 (1,3-butadiene + 1-butene), pyrolysis gasoline (benzene, toluene, C8H16),
      pyrolysis fuel oil (as naphthalene) and ethane (to the fuel gas) in the mass yields
      ``y_*`` per kg cracked feed.
    * Fuel gas closes the balances: its CH4 takes the remaining carbon and its H2 the remaining
      hydrogen, so C and H close exactly. A feed too poor in hydrogen for the yields (H2 < 0)
      turns CH4 into coke (C(s), leaving with the fuel oil) until H2 = 0; if even that does not
      suffice the case is flagged and nothing is cracked (the feed passes to the fuel gas).
    * Everything that is not cracked (light ends, heteroatom species, water) joins the fuel
      gas. Products leave at ``T_out``; ``heat`` = H_out - H_in is the net cracking duty
      (endothermic), utility ``fired_heat_W`` (the route fires it with fuel gas).
    * Scope: co-feed into an existing cracker with spare capacity. Dilution steam, the quench
      and the cold-end compression and refrigeration of the host cracker are not charged to the
      co-feed, nor is any capital (``costs`` empty).

    Design results
    --------------
    feed_cracked_t_per_h, yields per kg cracked feed (``yield_<product>``, incl. fuel_gas and
    coke), h2_in_fuel_gas_kg_s, duty_W.

    Example
    -------
    >>> from carbonhub.thermo.components import pyrolysis_components
    >>> from carbonhub.core import Stream
    >>> cs = pyrolysis_components()
    >>> f = Stream.from_flows(cs, {"C8H18": 10.0}, T=313.15, P=2e5)
    >>> u = SteamCracker("cracker")
    >>> r = u.run({"feed": f}, u.resolve({}, 1))
    >>> round(float(r.design["yield_ethylene"][0]), 3), round(float(r.design["yield_fuel_gas"][0]), 3)
    (0.27, 0.185)
    """

    inlets = ("feed",)
    outlets = ("ethylene", "propylene", "c4", "pygas", "fuel_oil", "fuel_gas")
    params = {
        **{f"y_{k}": Param(v, "", 0.0, 1.0, f"mass yield of {k} per kg cracked feed [-]")
           for k, v in CRACKER_YIELDS.items()},
        "T_out": Param(313.15, "K", 273.15, 500.0, "temperature of the products [K]"),
        "P": Param(1.5e5, "Pa", 1e4, 5e6, "pressure of the products [Pa]"),
    }
    costs = ()
    cost_note = ("not costed (scope): co-feed into an existing steam cracker with spare capacity; no "
                 "capital, and the host's dilution steam, quench and cold end are not charged to the co-feed")

    def _product_matrix(self, cs) -> dict[str, np.ndarray]:
        """mol of each component per kg of each product cut."""
        out = {}
        for k, sp in PRODUCT_SPECIES.items():
            v = np.zeros(len(cs))
            for j, w in sp.items():
                v[cs.index(j)] = w / cs.molar_mass[cs.index(j)]
            out[k] = v
        return out

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        check_feed(s, self.id, "feed")
        cs = s.cs
        require(cs, ("H2", "CH4", "C(s)", "C2H4", "C3H6", "C4H6", "C4H8", "C6H6", "C7H8", "C10H8"), self.id)
        mask = cracked_columns(cs)
        if use_numba():  # one compiled pass per case: the same operations as the numpy path below
            return self._run_compiled(s, p, mask, self._product_matrix(cs))
        n = s.n_cases
        crack = np.where(mask[None, :], s.flow, 0.0)
        m = rowdot(crack, cs.molar_mass)
        E = cs.element_matrix
        iC, iH = ELEMENTS.index("C"), ELEMENTS.index("H")
        mats = self._product_matrix(cs)
        outs, held = {}, {}
        C_used, H_used = np.zeros(n), np.zeros(n)
        for k, v in mats.items():
            f = (getattr(p, f"y_{k}") * m)[:, None] * v[None, :]
            outs[k] = f
            # the cut's flows are zero outside its species (a finite mass x 0): the sums in
            # index order over its species alone are the whole rows' sums, bit for bit
            held[k] = nz = np.flatnonzero(v)
            fk = f[:, nz]
            C_used += rowdot(fk, E[nz, iC])
            H_used += rowdot(fk, E[nz, iH])
        C_res = rowdot(crack, E[:, iC]) - C_used
        H_res = rowdot(crack, E[:, iH]) - H_used
        ch4 = C_res
        h2 = (H_res - 4.0 * ch4) / 2.0
        coke = np.where(h2 < 0, -h2 / 2.0, 0.0)  # CH4 -> C + 2 H2 until H2 = 0
        bad = (ch4 < -1e-12 * np.maximum(m, 1e-300)) | (coke > ch4)
        coke = np.clip(coke, 0.0, np.maximum(ch4, 0.0))
        ch4 = np.maximum(ch4 - coke, 0.0)
        h2 = np.maximum(h2 + 2.0 * coke, 0.0)
        fg = np.where(mask[None, :], 0.0, s.flow)
        fg[:, cs.index("CH4")] += ch4
        fg[:, cs.index("H2")] += h2
        outs["fuel_gas"] = fg + outs.pop("ethane")
        outs["fuel_oil"][:, cs.index("C(s)")] += coke
        if bad.any():  # flagged cases: nothing is cracked, the feed passes to the fuel gas
            for k in outs:
                outs[k][bad] = s.flow[bad] if k == "fuel_gas" else 0.0
        T, P = p.T_out, p.P
        streams = {k: Stream(cs, f, T.copy(), P.copy(), s.origin.copy(), check=False) for k, f in outs.items()}
        heat = sum(o.enthalpy for o in streams.values()) - s.enthalpy
        held["fuel_oil"] = np.union1d(held["fuel_oil"], [cs.index("C(s)")])  # and its coke
        mkg = {k: rowdot(o.flow[:, held[k]], cs.molar_mass[held[k]]) if k in held else o.mass_flow
               for k, o in streams.items()}
        return self._result(s, streams, heat, m, h2, coke, bad, mkg)

    def _result(self, s, streams, heat, m, h2, coke, bad, mkg) -> UnitResult:
        cs, n = s.cs, s.n_cases
        design = {"feed_cracked_t_per_h": m * 3.6, "duty_W": heat,
                  "h2_in_fuel_gas_kg_s": h2 * cs.molar_mass[cs.index("H2")],
                  "coke_kg_s": coke * cs.molar_mass[cs.index("C(s)")],
                  **{f"yield_{k}": np.divide(mkg[k] - (s.mass_flow - m if k == "fuel_gas" else 0.0), m,
                                             out=np.zeros(n), where=m > 0) for k in mkg}}
        status = status_array(bad, "feed too poor in hydrogen for the cracker yields")
        util = {"fired_heat_W": np.maximum(heat, 0.0), "cooling_W": np.maximum(-heat, 0.0)}
        return UnitResult(streams, heat, np.zeros(n), design, util, status)

    def _run_compiled(self, s, p, mask, mats) -> UnitResult:
        """:meth:`run` by :func:`carbonhub.unitops._plastics_kernels.crack`."""
        cs, n, names = s.cs, s.n_cases, list(mats)
        E = cs.element_matrix
        y = np.stack([np.broadcast_to(getattr(p, f"y_{k}"), (n,)) for k in names], axis=1)
        outs, per = crack_rows(s, p.T_out, mask, np.array([mats[k] for k in names]), y, names.index("ethane"),
                               names.index("fuel_oil"), E[:, ELEMENTS.index("C")], E[:, ELEMENTS.index("H")])
        m, h2, coke, bad, heat = per[0], per[2], per[3], per[4] > 0, per[5]
        ports = [k if k != "ethane" else "fuel_gas" for k in names]
        order = [c for c, k in enumerate(ports) if k != "fuel_gas"] + [names.index("ethane")]
        streams = {ports[c]: Stream(cs, outs[c], p.T_out.copy(), p.P.copy(), s.origin.copy(), check=False)
                   for c in order}
        mkg = {ports[c]: per[6 + c] for c in order}
        return self._result(s, streams, heat, m, h2, coke, bad, mkg)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: product cuts = yield x cracked feed mass; fuel-gas CH4 and H2 from the C and H
        balances, coke frozen to the core's branch (none, or H2 = 0); outlets at ``T_out``, ``P``;
        heat from the energy balance."""
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        fi = b.sin("feed")
        mask = cracked_columns(cs)
        E = cs.element_matrix
        iC, iH = ELEMENTS.index("C"), ELEMENTS.index("H")
        crack = [j for i, j in enumerate(cs.ids) if mask[i]]
        m = sum(fi.flow_mol_comp[j] * float(cs.molar_mass[cs.index(j)]) for j in crack)  # kg/mol x mol/s
        mats = self._product_matrix(cs)
        flows = {}
        C_used, H_used = 0.0, 0.0
        for k, v in mats.items():
            fl = {j: b.par[f"y_{k}"] * m * float(v[i]) for i, j in enumerate(cs.ids) if v[i]}
            flows[k] = fl
            C_used = C_used + sum(fl[j] * float(E[cs.index(j), iC]) for j in fl)
            H_used = H_used + sum(fl[j] * float(E[cs.index(j), iH]) for j in fl)
        C_res = sum(fi.flow_mol_comp[j] * float(E[cs.index(j), iC]) for j in crack) - C_used
        H_res = sum(fi.flow_mol_comp[j] * float(E[cs.index(j), iH]) for j in crack) - H_used
        coked = float(np.ravel(init.design["coke_kg_s"])[0]) > 0
        ch4 = C_res
        h2 = (H_res - 4.0 * C_res) / 2.0
        if coked:  # H2 = 0: coke = -h2/2 (in mol C), CH4 reduced by it
            coke = -h2 / 2.0
            ch4, h2 = C_res - coke, 0.0 * h2
            flows["fuel_oil"]["C(s)"] = coke
        fg = {j: fi.flow_mol_comp[j] for i, j in enumerate(cs.ids) if not mask[i]}
        fg["CH4"] = fg["CH4"] + ch4
        fg["H2"] = fg["H2"] + h2
        for j, v in flows.pop("ethane").items():
            fg[j] = fg[j] + v
        flows["fuel_gas"] = fg
        for port in self.outlet_names:
            eo_outlet(b, port, flows[port], b.pv("T_out"), b.pv("P"), f"{port} cut")
        b.power.fix(0.0)
        b.add_energy_balance()
        eo_design(b, {"feed_cracked_t_per_h": m * (3.6 * u.s / u.kg) * u.kg / u.mol},
                  "design results: cracked feed [t/h]")


class CrackerFurnace(FiredHeater):
    """The host cracker's own fuel system for the co-feed: the fuel gas of :class:`SteamCracker`
    (H2, CH4, ethane and the uncracked light ends) burnt with ``air`` as in
    :class:`~carbonhub.unitops.pyrolysis.FiredHeater`; the heat it delivers
    (``fired_heat_W`` < 0) pays the cracker's own fired duty (its ``fired_heat_W`` > 0, the net
    cracking duty), and what the fuel gas gives beyond it is fuel left in the host's fuel-gas
    network (credited at the natural-gas price as ``fuel_gas_export``). The fuel gas is not
    burnt in the pyrolysis plant's heater: a cracker's fuel gas stays in the cracker's fuel
    system (scope of the co-feed: an existing cracker with spare capacity). Its flue gas leaves
    through the host's stack (no scrubber charged: the hydrotreated naphtha carries no
    chlorine beyond traces)."""

    cost_note = ("not costed (scope): the existing cracker's furnace, firing the co-feed's own fuel gas "
                 "(see SteamCracker)")
