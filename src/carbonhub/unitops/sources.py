"""Flowsheet boundaries: feedstock and gas/water sources, and sinks (products, emissions,
stored CO2, wastewater, solid residues). Sources and sinks define what the KPIs count.

Example
-------
>>> import carbonhub as ch
>>> from carbonhub.unitops.sources import Feedstock
>>> f = Feedstock("feed", feedstock="wood_chips", rate_dry_t_per_h=83.33)
>>> "feed.rate_dry_t_per_h" in [f"feed.{k}" for k in f.all_params()]
True
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ..core.stream import ORIGINS, Stream
from ..core.unit import Derived, Param, Unit, UnitResult
from ..feedstocks import feedstock_ids, load_feedstocks, normalise_blend, parse_blend
from ._common import HOUR, P_ATM
from ..thermo.rowdot import rowdot

BLEND_DOC = ("feed as shares of the dry rate, 'id:share,id:share' (sum 1; ids of "
             "property_data/feedstocks.yaml); unset: the feedstock alone")

SINK_CATEGORIES = ("product", "byproduct", "emission", "co2_storage", "wastewater", "solid_residue",
                   "recovered_water", "other")
"""What leaves the flowsheet: sold products (main and by-products), emissions to air, CO2 sent
to storage, wastewater to discharge, solids to disposal, clean water recovered for reuse (e.g.
a ZLD distillate: reused by the site's utilities, see carbonhub.costing.water)."""


def zeros(n: int) -> np.ndarray:
    return np.zeros(n)


class Feedstock(Unit):
    """Solid or wet feedstock as received: organic matter (``ORG_<id>``), moisture as
    ``H2O(L)`` and ash, from ``property_data/feedstocks.yaml``; or a blend of several.

    ``blend`` (e.g. ``"rdf:0.6,wood_chips:0.4"``; ``+`` also separates) gives the shares of the
    dry feed rate; each feedstock brings its own organic pseudo-component, ash and moisture
    (its own moisture as received unless ``moisture_wt_pct`` sets that of the whole blend), so
    the blend's element inflows are exactly the share-weighted sum of its feedstocks'. Unless
    set, ``blend`` is the case's ``feedstock`` alone (``"<feedstock>:1"``); when set, it replaces
    ``feedstock``. Prices follow the blend (share-weighted by mass as received).

    Carbon origin: the biogenic share of each feedstock is ``biogenic``; the rest is
    ``recycled`` for wastes (fossil carbon given a second life) and ``fossil`` otherwise; a
    blend's stream carries the carbon-weighted mix of its feedstocks' origins.

    Example
    -------
    >>> import numpy as np
    >>> from carbonhub.thermo import ComponentSet
    >>> f = Feedstock("feed", rate_dry_t_per_h=10.0)
    >>> f.cs = ComponentSet.default()
    >>> s = f.run({}, f.resolve({"blend": np.array(["rdf:0.5,wood_chips:0.5"])}, 1)).outlets["out"]
    >>> round(float(s["ORG_rdf"][0] * f.cs.molar_mass[f.cs.index("ORG_rdf")] * 3.6), 6)  # t/h organics
    4.25
    """

    kind = "source"
    is_feedstock = True  # priced by prices.feedstock_eur_per_t / prices.yaml feedstock table
    outlets = ("out",)
    params = {
        "feedstock": Param("wood_chips", "choice", doc="feedstock id (property_data/feedstocks.yaml)",
                           choices=None),
        "blend": Param(Derived("the feedstock alone ('<feedstock>:1')", ("feedstock",), lambda f: alone(f)), "text",
                       doc=BLEND_DOC, parse=normalise_blend),
        "rate_dry_t_per_h": Param(83.333, "t/h", 1e-6, 1e5, "dry feed rate [t/h]"),
        "moisture_wt_pct": Param(Derived("feedstock data (property_data/feedstocks.yaml: moisture_ar_wt_pct "
                                         "of the blend's feedstocks)", ("blend",), lambda b: blend_moisture(b)),
                                 "", 0.0, 95.0, "moisture as received [wt%] (default: the feedstocks' own)"),
        "T": Param(298.15, "K", 200.0, 400.0, "temperature [K]"),
        "P": Param(P_ATM, "Pa", 1e3, 1e7, "pressure [Pa]"),
    }

    def all_params(self) -> dict[str, Param]:  # type: ignore[override]
        # the choices are the feedstocks of property_data, known at run time
        out = dict(super().all_params())
        out["feedstock"] = Param("wood_chips", "choice", doc="feedstock id (property_data/feedstocks.yaml)",
                                 choices=tuple(feedstock_ids()))
        return out

    def run(self, ins, p) -> UnitResult:
        """The feed; design result ``blend``: the blend each case used (the costing prices it)."""
        blend = np.array(np.broadcast_to(np.asarray(p.blend, dtype=object), (p.n,)), dtype=object)
        return UnitResult({"out": feed_stream(self.cs, p)}, zeros(p.n), zeros(p.n), {"blend": blend})

    def build_pyomo(self, b, p, init) -> None:
        """Twin: component flows proportional to the dry rate (composition of the case's
        feedstock and moisture), T and P as given."""
        import pyomo.environ as pyo

        s = init.outlets["out"]
        rate = float(p["rate_dry_t_per_h"])
        per_tph = {j: float(s.flow[0, i]) / rate for i, j in enumerate(s.cs.ids)}
        out = b.sout("out")
        b.eq_flow = pyo.Constraint(b.comps, rule=lambda b, j: out.flow_mol_comp[j]
                                   == per_tph[j] * b.par["rate_dry_t_per_h"] * pyo.units.mol / pyo.units.s,
                                   doc="feed composition x dry rate")
        b.eq_T = pyo.Constraint(expr=out.temperature == b.pv("T"), doc="temperature")
        b.eq_P = pyo.Constraint(expr=out.pressure == b.pv("P"), doc="pressure")
        b.heat.fix(0.0)
        b.power.fix(0.0)


def alone(feedstock) -> np.ndarray:
    """The blend of a feedstock alone, ``"<id>:1"``, for each id in ``feedstock``."""
    return per_distinct(feedstock, lambda f: f"{f}:1", object)


def per_distinct(values, rule, dtype) -> np.ndarray:
    """``rule(str(v))`` for each of ``values``, evaluated once per distinct value and spread
    back over the cases (a batch of 10,000 cases repeats a handful of feedstocks and blends).

    Example
    -------
    >>> per_distinct(["a", "b", "a"], lambda v: v * 2, object).tolist()
    ['aa', 'bb', 'aa']
    """
    keys = np.atleast_1d(np.asarray(values, dtype=object)).astype(str)
    distinct, where = np.unique(keys, return_inverse=True)
    return np.array([rule(k) for k in distinct.tolist()], dtype=dtype)[where.reshape(keys.shape)]


def blend_moisture(blend) -> np.ndarray:
    """Moisture as received [wt%] of each blend in ``blend`` with every feedstock at its own
    moisture (property_data/feedstocks.yaml): the water per kg of dry feed summed over the
    shares, as a wet-basis percentage."""
    feeds = load_feedstocks()

    def moisture(b: str) -> float:
        wd = sum(share * (m := feeds[fid].moisture_ar_wt_pct / 100.0) / (1.0 - m)
                 for fid, share in parse_blend(b).items())
        return 100.0 * wd / (1.0 + wd)

    return per_distinct(blend, moisture, float)


def feed_stream(cs, p) -> Stream:
    """The feed of each case: its blend (``p.blend``) at ``p.rate_dry_t_per_h`` dry."""
    from ..thermo.components import default_components

    cs = cs or default_components()
    feeds = load_feedstocks()
    n = p.n
    blends = np.broadcast_to(np.asarray(p.blend, dtype=object), (n,))
    flow = np.zeros((n, len(cs)))
    c_origin = np.zeros((n, len(ORIGINS)))  # carbon [mol/s] by origin
    rate = p.rate_dry_t_per_h * 1000.0 / HOUR  # kg/s dry
    iash, iw = cs.index("ASH"), cs.index("H2O(L)")
    for b in np.unique(blends.astype(str)):
        sel = blends == b
        for fid, share in parse_blend(b).items():
            fd = feeds[fid]
            j = cs.index(fd.org_id)
            r = rate[sel] * share
            n_org = r * (1.0 - fd.ash_dry_wt_pct / 100.0) / cs.molar_mass[j]
            flow[sel, j] += n_org
            flow[sel, iash] += r * fd.ash_dry_wt_pct / 100.0 / cs.molar_mass[iash]
            o = np.zeros(len(ORIGINS))
            o[ORIGINS.index("biogenic")] = fd.biogenic_carbon_fraction
            rest = "recycled" if fd.category in ("waste", "sludge") else "fossil"
            o[ORIGINS.index(rest)] += 1.0 - fd.biogenic_carbon_fraction
            c_origin[sel] += (n_org * cs.carbon[j])[:, None] * o[None, :]
    mset = p.moisture_wt_pct / 100.0  # as set, or the blend's own (blend_moisture: the same water)
    water_dry = mset / (1 - mset)
    flow[:, iw] = rate * water_dry / cs.molar_mass[iw]
    tot = c_origin.sum(axis=1, keepdims=True)
    origin = np.zeros_like(c_origin)
    origin[:, 0] = 1.0
    origin = np.divide(c_origin, tot, out=origin, where=tot > 0)
    return Stream(cs, flow, p.T, p.P, origin)


class GasSource(Unit):
    """A gas (or liquid) feed of fixed composition: natural gas, air, captured CO2, make-up
    water. ``composition`` is in mole fractions (normalised); ``flow`` in mol/s."""

    kind = "source"
    outlets = ("out",)
    params = {
        "flow": Param(1.0, "mol/s", 0.0, 1e7, "total molar flow [mol/s]"),
        "T": Param(298.15, "K", 50.0, 2000.0, "temperature [K]"),
        "P": Param(P_ATM, "Pa", 1e3, 5e7, "pressure [Pa]"),
    }

    def __init__(self, id: str, composition: Mapping[str, float], origin: str = "fossil",
                 category: str = "utility", **values: Any):
        super().__init__(id, **values)
        if origin not in ORIGINS:
            raise ValueError(f"{id}: origin {origin!r}: expected one of {ORIGINS}")
        tot = float(sum(composition.values()))
        if tot <= 0 or any(v < 0 for v in composition.values()):
            raise ValueError(f"{id}: composition {dict(composition)} must be >= 0 with a positive sum")
        self.composition = {k: v / tot for k, v in composition.items()}
        self.origin = origin
        self.category = category

    def run(self, ins, p) -> UnitResult:
        from ..thermo.components import default_components

        cs = self.cs or default_components()
        x = np.zeros(len(cs))
        for k, v in self.composition.items():
            x[cs.index(k)] = v
        org = np.zeros(len(ORIGINS))
        org[ORIGINS.index(self.origin)] = 1.0
        s = Stream(cs, p.flow[:, None] * x[None, :], p.T, p.P, np.broadcast_to(org, (p.n, 4)))
        return UnitResult({"out": s}, zeros(p.n), zeros(p.n))

    def build_pyomo(self, b, p, init) -> None:
        """Twin: flow x composition, T and P as given."""
        import pyomo.environ as pyo

        x = {j: self.composition.get(j, 0.0) for j in b.config.property_package.cs.ids}
        out = b.sout("out")
        b.eq_flow = pyo.Constraint(b.comps, rule=lambda b, j: out.flow_mol_comp[j] == x[j] * b.pv("flow"),
                                   doc="composition x flow")
        b.eq_T = pyo.Constraint(expr=out.temperature == b.pv("T"), doc="temperature")
        b.eq_P = pyo.Constraint(expr=out.pressure == b.pv("P"), doc="pressure")
        b.heat.fix(0.0)
        b.power.fix(0.0)


AIR = {"N2": 0.78084, "O2": 0.209476, "Ar": 0.00934, "CO2": 0.000344}
"""Dry air, mole fractions (U.S. Standard Atmosphere 1976, NOAA-S/T-76-1562, Table 3; CO2
adjusted so that the sum is 1)."""


class Sink(Unit):
    """Where a stream leaves the flowsheet. ``category`` (SINK_CATEGORIES) says what it counts
    as; ``product`` names a product for prices and KPIs (e.g. "diesel", "methanol").
    ``treated_on_site``: a wastewater already treated in the route's own plant (whose capital
    and power are costed): it counts as effluent, but is not priced again at
    ``wastewater_treatment_eur_per_m3``."""

    kind = "sink"
    inlets = ("feed",)

    def __init__(self, id: str, category: str = "other", product: str | None = None,
                 main: bool = False, treated_on_site: bool = False, **values: Any):
        super().__init__(id, **values)
        if category not in SINK_CATEGORIES:
            raise ValueError(f"{id}: category {category!r}: expected one of {SINK_CATEGORIES}")
        if treated_on_site and category != "wastewater":
            raise ValueError(f"{id}: treated_on_site applies to category 'wastewater', not {category!r}")
        self.category, self.product, self.main = category, product, main
        self.treated_on_site = bool(treated_on_site)

    def run(self, ins, p) -> UnitResult:
        return UnitResult({}, zeros(p.n), zeros(p.n))

    def build_pyomo(self, b, p, init) -> None:
        """Twin: the boundary; the inlet state is set by its Arc."""
        b.heat.fix(0.0)
        b.power.fix(0.0)


def o2_demand_per_mol(cs) -> np.ndarray:
    """Stoichiometric O2 [mol per mol of component] for complete oxidation to CO2, H2O, N2,
    SO2 and HCl (negative for oxidisers such as O2 itself)."""
    from ..thermo.components import ELEMENTS

    E = cs.element_matrix
    ix = {e: ELEMENTS.index(e) for e in ELEMENTS}
    d = E[:, ix["C"]] + (E[:, ix["H"]] - E[:, ix["Cl"]]) / 4 + E[:, ix["S"]] - E[:, ix["O"]] / 2
    return np.where(E[:, ix["Si"]] > 0, 0.0, d)  # ash (SiO2) is inert: its O is not available


class CombustionAir(Unit):
    """Draws ambient air in proportion to the oxygen demand of a stream (feed-forward, like a
    simulator's calculator block): ``fuel`` passes through unchanged, ``air`` carries
    (1 + excess_air) x the stoichiometric O2 (as AIR). Use it in front of a boiler, a flare or an
    aerated basin, so that the air follows the fuel in every case.

    The ``air`` outlet is a flowsheet boundary (counted as a source); the ``fuel`` outlet is not.
    """

    kind = "source"
    boundary_outlets = ("air",)
    inlets = ("fuel",)
    outlets = ("fuel", "air")
    narrow_adds = tuple(AIR)  # the air, of the AIR species in the set (all kept) (core.narrow)
    params = {
        "excess_air": Param(0.15, "", 0.0, 5.0, "air above stoichiometric [-]"),
        "T": Param(298.15, "K", 200.0, 800.0, "air temperature [K]"),
        "P": Param(P_ATM, "Pa", 1e4, 1e7, "air pressure [Pa]"),
    }

    def run(self, ins, p) -> UnitResult:
        f = ins["fuel"]
        cs = f.cs
        o2 = np.maximum(rowdot(f.flow, o2_demand_per_mol(cs)), 0.0) * (1.0 + p.excess_air)
        x = np.zeros(len(cs))
        for k, v in AIR.items():
            if k in cs:
                x[cs.index(k)] = v
        x /= x.sum()
        total = o2 / x[cs.index("O2")]
        org = np.zeros((p.n, len(ORIGINS)))
        org[:, ORIGINS.index("atmospheric")] = 1.0
        air = Stream(cs, total[:, None] * x[None, :], p.T, p.P, org, check=False)
        return UnitResult({"fuel": f, "air": air}, zeros(p.n), zeros(p.n),
                          {"air_mol_s": total, "o2_demand_mol_s": o2 / (1 + p.excess_air)})

    def build_pyomo(self, b, p, init) -> None:
        """Twin: fuel passes; air = (1 + excess) x O2 demand / x_O2, composition of AIR."""
        import pyomo.environ as pyo

        cs = b.config.property_package.cs
        d = dict(zip(cs.ids, o2_demand_per_mol(cs)))
        x = {k: 0.0 for k in cs.ids}
        for k, v in AIR.items():
            if k in cs:
                x[k] = v
        tot = sum(x.values())
        x = {k: v / tot for k, v in x.items()}
        fi, fo, a = b.sin("fuel"), b.sout("fuel"), b.sout("air")
        b.eq_pass = pyo.Constraint(b.comps, rule=lambda b, j: fo.flow_mol_comp[j] == fi.flow_mol_comp[j],
                                   doc="fuel passes through")
        b.same_state("fuel", "fuel")
        o2 = sum(d[j] * fi.flow_mol_comp[j] for j in cs.ids)
        b.eq_air = pyo.Constraint(b.comps, rule=lambda b, j: a.flow_mol_comp[j]
                                  == (1 + b.par["excess_air"]) * o2 * x[j] / x["O2"], doc="air flow")
        b.eq_T = pyo.Constraint(expr=a.temperature == b.pv("T"), doc="air temperature")
        b.eq_P = pyo.Constraint(expr=a.pressure == b.pv("P"), doc="air pressure")
        b.heat.fix(0.0)
        b.power.fix(0.0)


class ProportionalFeed(Unit):
    """A utility feed that follows a process stream (feed-forward), e.g. gasifier steam at a
    steam/dry-feed mass ratio, or shift steam at a steam/CO molar ratio. The ``ref`` stream
    passes through unchanged; ``out`` carries ``ratio`` x basis of ``composition``:

    * ``basis="dry_mass"``: kg of ``out`` per kg of ``ref`` without water [kg/kg];
    * ``basis="mol:<component>"``: mol of ``out`` per mol of that component in ``ref``.

    ``out`` is a flowsheet boundary (a source, priced by ``category``); ``ref`` is not.
    """

    kind = "source"
    boundary_outlets = ("out",)
    inlets = ("ref",)
    outlets = ("ref", "out")
    params = {
        "ratio": Param(0.3, "", 0.0, 1e3, "flow of out per unit of basis (see basis) [-]"),
        "T": Param(298.15, "K", 200.0, 1500.0, "temperature [K]"),
        "P": Param(P_ATM, "Pa", 1e3, 5e7, "pressure [Pa]"),
    }

    def __init__(self, id: str, composition: Mapping[str, float], basis: str = "dry_mass",
                 origin: str = "fossil", category: str = "utility", **values: Any):
        super().__init__(id, **values)
        if basis != "dry_mass" and not basis.startswith("mol:"):
            raise ValueError(f"{id}: basis {basis!r}: expected 'dry_mass' or 'mol:<component>'")
        tot = float(sum(composition.values()))
        if tot <= 0 or any(v < 0 for v in composition.values()):
            raise ValueError(f"{id}: composition {dict(composition)} must be >= 0 with a positive sum")
        self.composition = {k: v / tot for k, v in composition.items()}
        self.basis, self.origin, self.category = basis, origin, category

    @property
    def narrow_adds(self) -> tuple[str, ...]:
        """Creates its composition (``out``); ``ref`` passes. With a molar basis its component
        is kept too (read by id even where no case carries it) (core.narrow)."""
        basis = (self.basis.split(":", 1)[1],) if self.basis.startswith("mol:") else ()
        return (*self.composition, *basis)

    def _x(self, cs) -> np.ndarray:
        x = np.zeros(len(cs))
        for k, v in self.composition.items():
            x[cs.index(k)] = v
        return x

    def _basis_coeff(self, cs) -> np.ndarray:
        """Basis per mol of each component of ``ref`` [kg/mol or mol/mol]."""
        if self.basis == "dry_mass":
            water = np.isin(np.array(cs.ids), ["H2O", "H2O(L)"])
            return np.where(water, 0.0, cs.molar_mass)
        c = np.zeros(len(cs))
        c[cs.index(self.basis.split(":", 1)[1])] = 1.0
        return c

    def run(self, ins, p) -> UnitResult:
        ref = ins["ref"]
        cs = ref.cs
        x = self._x(cs)
        basis = rowdot(ref.flow, self._basis_coeff(cs))
        if self.basis == "dry_mass":
            total = p.ratio * basis / float(x @ cs.molar_mass)  # mol/s of out
        else:
            total = p.ratio * basis
        org = np.zeros((p.n, len(ORIGINS)))
        org[:, ORIGINS.index(self.origin)] = 1.0
        out = Stream(cs, total[:, None] * x[None, :], p.T, p.P, org, check=False)
        return UnitResult({"ref": ref, "out": out}, zeros(p.n), zeros(p.n),
                          {"flow_mol_s": total, "flow_kg_s": out.mass_flow})

    def build_pyomo(self, b, p, init) -> None:
        """Twin: ref passes; out = ratio x basis x composition."""
        import pyomo.environ as pyo

        cs = b.config.property_package.cs
        x = dict(zip(cs.ids, self._x(cs)))
        c = dict(zip(cs.ids, self._basis_coeff(cs)))
        mw = float(self._x(cs) @ cs.molar_mass)
        fi, fo, o = b.sin("ref"), b.sout("ref"), b.sout("out")
        b.eq_pass = pyo.Constraint(b.comps, rule=lambda b, j: fo.flow_mol_comp[j] == fi.flow_mol_comp[j],
                                   doc="ref passes through")
        b.same_state("ref", "ref")
        basis = sum(c[j] * fi.flow_mol_comp[j] for j in cs.ids)
        div = mw if self.basis == "dry_mass" else 1.0
        b.eq_out = pyo.Constraint(b.comps, rule=lambda b, j: o.flow_mol_comp[j]
                                  == b.par["ratio"] * basis / div * x[j], doc="proportional flow")
        b.eq_T = pyo.Constraint(expr=o.temperature == b.pv("T"), doc="temperature")
        b.eq_P = pyo.Constraint(expr=o.pressure == b.pv("P"), doc="pressure")
        b.heat.fix(0.0)
        b.power.fix(0.0)
