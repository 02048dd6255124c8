"""Thermal pyrolysis of plastic waste: product slates by polymer and temperature, the pyrolysis
reactor (fluidised bed or auger, 400-800 degC; oil-making plants run at 450-550 degC) and the
vapour condenser.

A feedstock described by its polymer mix (``polymers_dry_wt_pct`` in feedstocks.yaml) is
pyrolysed constituent by constituent: each polymer of ``property_data/polymers.yaml`` has a
product slate per temperature point (``property_data/pyrolysis_yields.yaml``), interpolated
linearly in temperature, and a mixture is the mass-weighted sum (no interaction: Williams &
Williams 1999, Energy & Fuels 13:188, find more gas and less oil/wax from PS mixtures than the
sum at 700 degC, but their yield tables could not be read; superposition studies in batch
reactors find the sum within 8-10 points of oil, see the YAML; the mixture tests of
tests/unitops/test_pyrolysis_data.py give the deviations). The slates depend on the reactor
(``REACTORS``): a fluidised bed (short vapour residence, the default) or a slow-heated fixed
bed (batch), where a constituent has ``fixed_bed_points`` (PE: as much oil as in a fluidised
bed at 500 degC, less at 540 degC; PS: less styrene, more toluene, ethylbenzene and heavy
aromatics; PVC; PET, its aromatic acids carried by the oxygenate and aromatic lumps); the
others use their fluidised-bed points in both
(tests/unitops/test_pyrolysis_fixed_bed.py gives what that costs against batch data). The slates
close every element exactly (see :func:`constituent_slates`), so the reactor conserves C, H, O,
N, S and Cl to round-off.

Example
-------
>>> from carbonhub.unitops.pyrolysis import constituent_slates, slate_yields
>>> y = slate_yields("PS", 873.15)                   # 600 degC, kg per kg of polystyrene
>>> round(y["C8H8"], 3)                              # styrene (Liu et al. 2000: 0.787)
0.787
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..core.stream import Stream, mix_origins
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo.components import ELEMENTS, ComponentSet, atomic_weights
from ..twin.helpers import eo_design, eo_outlet
from ._common import check_feed, require, status_array
from .heat import COMBUSTION_PRODUCTS, Boiler
from ..thermo.engine import use_numba
from ._plastics_kernels import condense_rows, slate_mix_rows
from ..thermo.rowdot import rowdot, rowsum

__all__ = ["PRODUCTS", "GAS_PRODUCTS", "OIL_PRODUCTS", "AQUEOUS_PRODUCTS", "REACTORS", "Slate", "constituent_slates", "slate_yields",
           "mixture_slate", "mixture_yields",
           "org_polymer_fractions", "PyrolysisReactor", "PyrolysisCondenser", "FiredHeater"]

GAS_PRODUCTS: tuple[str, ...] = ("H2", "CH4", "C2H4", "C2H6", "C3H6", "C3H8", "C4H8", "C4H10", "CO", "CO2",
                                 "HCl", "NH3", "H2S")
"""Non-condensable products (C1-C4 and inorganic gases)."""
OIL_PRODUCTS: tuple[str, ...] = ("C8H18", "C8H16", "C16H34", "C16H32", "C30H62", "C30H60", "C6H6", "C7H8",
                                 "C8H8", "C8H10", "C10H8", "C6H5OH", "CH3CN", "CH2Cl2")
"""Condensable products: paraffin/olefin lumps of the naphtha, diesel and wax cuts, aromatics,
oxygenates (phenol), nitriles (CH3CN) and organic chlorides (CH2Cl2)."""
AQUEOUS_PRODUCTS: tuple[str, ...] = ("CH3COOH",)
"""Water-soluble organics (carbohydrate oxygenates, as acetic acid): they condense with the
reaction water (PyrolysisCondenser), not with the oil."""
PRODUCTS: tuple[str, ...] = GAS_PRODUCTS + OIL_PRODUCTS + AQUEOUS_PRODUCTS + ("H2O", "C(s)")
REACTORS: tuple[str, ...] = ("fluidised_bed", "fixed_bed")
"""Reactor types with their own slates: ``points`` of pyrolysis_yields.yaml are fluidised-bed
(or spouted-bed, falling-film) data; ``fixed_bed_points`` are slow-heated fixed-bed (batch)
data, used where a constituent has them."""
CUTS = {"naphtha": ("C8H18", "C8H16"), "diesel": ("C16H34", "C16H32"), "wax": ("C30H62", "C30H60")}
"""Paraffin and olefin representative of each cut (C5-C11, C12-C20, C21+)."""
HYDROGEN_SHIFTS = ((("C2H6", "C2H4"), ("C3H8", "C3H6"), ("C4H10", "C4H8")),
                   tuple(CUTS.values()))
"""Where a constituent's hydrogen does not suffice for the data's product slate, saturated
species become their olefins (each frees one H2), first in the gas (whose composition is the
least certain datum), then in the oil (the olefin lumps also stand for the dienes of real
oils); only then does carbon go to char."""


@dataclass(frozen=True)
class Slate:
    """Products of one constituent: ``T`` [K] of its points (k,), ``y`` [mol of PRODUCTS per kg
    of dry ash-free constituent] (k, len(PRODUCTS))."""

    T: np.ndarray
    y: np.ndarray

    def interval(self, T) -> tuple[np.ndarray, np.ndarray]:
        """Interval index (n,) and position in it (n,), clipped to [0, 1] outside the points."""
        T = np.atleast_1d(np.asarray(T, dtype=float))
        if len(self.T) == 1:
            return np.zeros(T.shape, dtype=int), np.zeros(T.shape)
        i = np.clip(np.searchsorted(self.T, T) - 1, 0, len(self.T) - 2)
        f = np.clip((T - self.T[i]) / (self.T[i + 1] - self.T[i]), 0.0, 1.0)
        return i, f

    def at(self, T) -> np.ndarray:
        """Interpolated slate (n, len(PRODUCTS)) [mol/kg]."""
        i, f = self.interval(T)
        if len(self.T) == 1:
            return np.broadcast_to(self.y[0], (i.size, self.y.shape[1])).copy()
        return self.y[i] + f[:, None] * (self.y[i + 1] - self.y[i])


def _formula(cid: str) -> dict[str, float]:
    from ..thermo.components import pyrolysis_components

    cs = pyrolysis_components()
    row = cs.element_matrix[cs.index(cid)]
    return {e: float(row[k]) for k, e in enumerate(ELEMENTS) if row[k]}


def _point(pid: str, comp: dict[str, float], cons: dict, pt: dict) -> np.ndarray:
    """One slate point [mol/kg] closing every element of the constituent ``comp`` [mol/kg]."""
    aw = atomic_weights()
    ix = {k: i for i, k in enumerate(PRODUCTS)}
    y = np.zeros(len(PRODUCTS))
    nC, nH, nO = comp.get("C", 0.0), comp.get("H", 0.0), comp.get("O", 0.0)
    nN, nS, nCl = comp.get("N", 0.0), comp.get("S", 0.0), comp.get("Cl", 0.0)
    cl_oil, n_oil = float(cons.get("cl_to_oil", 0.0)), float(cons.get("n_to_oil", 0.0))
    y[ix["CH2Cl2"]] = cl_oil * nCl / 2.0
    y[ix["HCl"]] = (1.0 - cl_oil) * nCl
    y[ix["CH3CN"]] = n_oil * nN
    y[ix["NH3"]] = (1.0 - n_oil) * nN
    y[ix["H2S"]] = nS
    o_to = {k: float(v) for k, v in (pt.get("o_to") or {}).items()}
    if sum(o_to.values()) > 1.0 + 1e-12:
        raise ValueError(f"pyrolysis_yields.yaml: {pid}: o_to fractions sum to more than 1")
    y[ix["CO2"]] = o_to.get("CO2", 0.0) * nO / 2.0
    y[ix["CO"]] = o_to.get("CO", 0.0) * nO
    y[ix["C6H5OH"]] = o_to.get("oil", 0.0) * nO
    y[ix["CH3COOH"]] = o_to.get("aqueous", 0.0) * nO / 2.0
    y[ix["H2O"]] = (1.0 - sum(o_to.values())) * nO
    char = float(pt["char_wt_pct"]) / 100.0 / aw["C"]
    F = {k: _formula(k) for k in PRODUCTS if k != "C(s)"}
    used_C = char + sum(y[ix[k]] * F[k].get("C", 0.0) for k in F)
    used_H = sum(y[ix[k]] * F[k].get("H", 0.0) for k in F)
    C_r, H_r = nC - used_C, nH - used_H
    if C_r <= 0 or H_r < 0:
        raise ValueError(f"pyrolysis_yields.yaml: {pid} at {pt['T_C']} degC: char and heteroatom "
                         f"products need more C or H than the constituent has (C left {C_r:.4g}, "
                         f"H left {H_r:.4g} mol/kg)")
    het_kg = sum(y[ix[k]] * sum(aw[e] * n for e, n in F[k].items()) for k in F)
    gas = float(pt["gas_hc_wt_pct"]) / 100.0
    liquid = max(1.0 - gas - float(pt["char_wt_pct"]) / 100.0 - het_kg, 0.0)
    g = gas / (gas + liquid) if gas + liquid > 0 else 0.0
    hc = np.zeros(len(PRODUCTS))

    def put(share: dict, carbon: float) -> None:
        tot = sum(share.values())
        for k, v in share.items():
            hc[ix[k]] += carbon * v / tot / F[k]["C"]

    put(pt.get("gas_carbon") or cons["gas_carbon"], C_r * g)
    fixed = np.zeros(len(PRODUCTS))  # species whose mass yield the data give directly
    for k, w in (pt.get("fixed_wt_pct") or {}).items():
        fixed[ix[k]] = float(w) / 100.0 / sum(aw[e] * n for e, n in F[k].items())
    C_l = C_r * (1.0 - g) - sum(fixed[ix[k]] * F[k].get("C", 0.0) for k in F)
    H_r -= sum(fixed[ix[k]] * F[k].get("H", 0.0) for k in F)
    if C_l < 0 or H_r < 0:
        raise ValueError(f"pyrolysis_yields.yaml: {pid} at {pt['T_C']} degC: fixed_wt_pct exceed the liquid")
    y += fixed
    cl = {k: float(v) for k, v in pt["classes"].items()}
    ct = {k: float(v) for k, v in pt["cuts"].items()}
    cls_tot, cut_tot = sum(cl.values()), sum(ct.values())
    if cl.get("aromatics", 0.0) > 0:
        put(pt.get("aromatic_carbon") or cons["aromatic_carbon"], C_l * cl["aromatics"] / cls_tot)
    for cut, share in ct.items():
        par, ole = CUTS[cut]
        for cls, sp in (("paraffins", par), ("olefins", ole)):
            if cl.get(cls, 0.0) > 0:
                put({sp: 1.0}, C_l * cl[cls] / cls_tot * share / cut_tot)
    H_hc = sum(hc[ix[k]] * F[k].get("H", 0.0) for k in F)
    for group in HYDROGEN_SHIFTS:  # deficit: saturated -> unsaturated, group by group
        n_sat = sum(hc[ix[a]] for a, _ in group)
        if H_r >= H_hc or n_sat <= 0:
            continue
        x = min((H_hc - H_r) / 2.0 / n_sat, 1.0)
        for a, b_ in group:
            d = x * hc[ix[a]]
            hc[ix[a]] -= d
            hc[ix[b_]] += d
        H_hc = sum(hc[ix[k]] * F[k].get("H", 0.0) for k in F)
    if H_r >= H_hc * (1.0 - 1e-14):  # hydrogen surplus leaves as H2
        y += hc
        y[ix["H2"]] += max(H_r - H_hc, 0.0) / 2.0
    else:  # still short: the hydrocarbons take what H there is, the rest of their carbon is char
        s = H_r / H_hc
        y += s * hc
        char += (1.0 - s) * sum(hc[ix[k]] * F[k].get("C", 0.0) for k in F)
    y[ix["C(s)"]] = char
    return y


def _check_reactor(reactor: str) -> str:
    if reactor not in REACTORS:
        raise ValueError(f"pyrolysis reactor = {reactor!r}: expected one of {', '.join(REACTORS)}")
    return reactor


@lru_cache(maxsize=len(REACTORS))
def constituent_slates(reactor: str = "fluidised_bed") -> dict[str, Slate]:
    """Product slates of the constituents of ``property_data/pyrolysis_yields.yaml`` in a
    ``reactor`` of :data:`REACTORS` (a fixed bed takes a constituent's ``fixed_bed_points``
    where it has them, else its ``points``), each checked to close every element to 1e-12
    relative."""
    from ..data import load_yaml
    from ..feedstocks import load_polymers

    _check_reactor(reactor)
    aw = atomic_weights()
    polys = load_polymers()
    raw = load_yaml("pyrolysis_yields.yaml")["constituents"]
    out = {}
    for pid, cons in raw.items():
        comp = {e: w / aw[e] for e, w in polys[pid]["wt"].items()}  # mol/kg
        key = "fixed_bed_points" if reactor == "fixed_bed" and cons.get("fixed_bed_points") else "points"
        pts = sorted(cons[key], key=lambda p: p["T_C"])
        y = np.array([_point(pid, comp, cons, pt) for pt in pts])
        E = np.array([[_formula(k).get(e, 0.0) if k != "C(s)" else float(e == "C") for e in ELEMENTS]
                      for k in PRODUCTS])
        tgt = np.array([comp.get(e, 0.0) for e in ELEMENTS])
        if not np.allclose(y @ E, tgt, rtol=1e-12, atol=1e-12 * tgt.max()):
            raise ValueError(f"pyrolysis slate of {pid} does not close its elements")
        out[pid] = Slate(np.array([p["T_C"] + 273.15 for p in pts]), y)
    return out


def mixture_slate(fractions: dict[str, float], T, reactor: str = "fluidised_bed",
                  known: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Slate of a polymer mix (n, len(PRODUCTS)) [mol per kg dry ash-free mix] at ``T`` [K]
    (n,) in a ``reactor`` of :data:`REACTORS`: the mass-weighted sum of its constituents'
    slates (``fractions``: constituent -> mass fraction, summing to 1). The one mixing rule of
    the reactor (no interaction). ``known``: constituent slates at these ``T`` already
    interpolated (a caller mixing several polymers at the same T), filled as they are made."""
    slates = constituent_slates(reactor)
    T = np.atleast_1d(np.asarray(T, dtype=float))
    if use_numba() and fractions:  # one compiled pass per case, the same operations as below
        return slate_mix_rows([slates[pid] for pid in fractions], list(fractions.values()), T)
    known = {} if known is None else known
    out = np.zeros((T.size, len(PRODUCTS)))
    for pid, w in fractions.items():
        if pid not in known:
            known[pid] = slates[pid].at(T)
        out += w * known[pid]
    return out


def mixture_yields(fractions: dict[str, float], T: float, reactor: str = "fluidised_bed") -> dict[str, float]:
    """Mass yields [kg per kg dry ash-free mix] of a polymer mix at ``T`` [K] in a ``reactor``
    of :data:`REACTORS`; the fractions are normalised to 1 (e.g. ``{"PE": 2, "PS": 1, "PP": 1}``)."""
    from ..thermo.components import pyrolysis_components

    cs = pyrolysis_components()
    tot = float(sum(fractions.values()))
    y = mixture_slate({k: v / tot for k, v in fractions.items()}, T, reactor)[0]
    return {k: float(y[i] * cs.molar_mass[cs.index(k)]) for i, k in enumerate(PRODUCTS)}


def slate_yields(pid: str, T: float, reactor: str = "fluidised_bed") -> dict[str, float]:
    """Mass yields [kg per kg dry ash-free constituent] of one constituent at ``T`` [K]."""
    return mixture_yields({pid: 1.0}, T, reactor)


@lru_cache(maxsize=None)
def org_polymer_fractions(org_id: str) -> dict[str, float]:
    """Dry ash-free polymer fractions of the feedstock behind ``ORG_<id>`` ({} when the
    feedstock has no polymer mix)."""
    from ..feedstocks import load_feedstocks

    f = load_feedstocks().get(org_id[4:]) if org_id.startswith("ORG_") else None
    if f is None or not f.polymers_dry_wt_pct:
        return {}
    poly = {k: v for k, v in f.polymers_dry_wt_pct.items() if k != "ash" and v > 0}
    tot = sum(poly.values())
    return {k: v / tot for k, v in poly.items()}


def _org_polymer_columns(cs: ComponentSet) -> list[tuple[int, dict[str, float]]]:
    return [(i, org_polymer_fractions(c)) for i, c in enumerate(cs.ids) if c.startswith("ORG_")]


class PyrolysisReactor(Unit):
    """Fluidised-bed (or auger) pyrolysis reactor for plastic waste at ``T`` (673-1073 K).

    Model
    -----
    * Each organic pseudo-component ``ORG_<feedstock>`` whose feedstock has a polymer mix is
      split by mass into its constituents (PE, PP, PS, PET, PVC, PA6, paper); each constituent
      gives its product slate at ``T`` in the ``reactor`` type (:func:`constituent_slates`:
      linear in T between the cited points, held outside; ``fixed_bed`` differs from the
      default ``fluidised_bed`` where the data do: PE), so the yields depend on the polymer
      mix, on T and on the reactor; a mix is
      the mass-weighted sum (:func:`mixture_slate`, no interaction between polymers: the
      mixture experiments of tests/unitops/test_pyrolysis_data.py show where that falls
      short). Products:
      H2, C1-C4 gases, CO, CO2, HCl (PVC), NH3 (PA6), H2S; oil lumps by cut and class (C8, C16,
      C30 paraffins and olefins), aromatics (benzene, toluene, styrene, ethylbenzene, naphthalene
      for heavier aromatics), oxygenates (phenol), nitriles (CH3CN), organic chlorides
      (CH2Cl2); reaction water; char (carbon).
    * An organic without a polymer mix (wood, RDF, sludge) is not pyrolysed: it leaves with the
      char and the case is flagged in ``status``.
    * Moisture evaporates; ash, char and other solids leave through ``char``; everything else
      (incl. the feed's gases) through ``vapour``; both at ``T`` and ``P``.
    * ``heat`` = H_out - H_in (heating, evaporation, endothermic cracking), supplied as fired
      heat (utility ``fired_heat_W``; the route burns the pyrolysis gas and char for it).

    Design results
    --------------
    feed_ar_t_per_h (cost basis, ``ref.plastics_pyrolysis_plant``), feed_daf_kg_s, yields per kg
    of dry ash-free organics: gas_yield, oil_yield, char_yield (carbon formed), water_yield;
    naphtha_cut_yield, diesel_cut_yield, wax_cut_yield (paraffins + olefins of each cut),
    aromatics_yield; specific_heat_MJ_per_kg (heat per kg feed as received).

    Example
    -------
    >>> from carbonhub.thermo.components import pyrolysis_components
    >>> from carbonhub.core import Stream
    >>> cs = pyrolysis_components()
    >>> feed = Stream.from_flows(cs, {"ORG_sorted_polyolefins": 100.0}, T=298.15, P=1.2e5)
    >>> u = PyrolysisReactor("pyro", T=798.15)
    >>> r = u.run({"feed": feed}, u.resolve({}, 1))
    >>> round(float(r.design["oil_yield"][0]), 3), round(float(r.design["gas_yield"][0]), 3)
    (0.832, 0.159)

    References
    ----------
    See property_data/pyrolysis_yields.yaml: PE from the Hamburg fluidised bed
    (doi:10.1016/S0165-2370(98)00103-X), Mastral et al. 2002 (doi:10.1016/S0165-2370(01)00137-1)
    and Kaminsky et al. 1995 (doi:10.1016/0165-2370(94)00830-T, Table 3); PIONA of Demirbas
    2004 via Kusenberg et al. 2022 (doi:10.1016/j.wasman.2021.11.009); PP from Zabaniotou &
    Vaskalis 2023 (doi:10.3390/en16020593) and a falling-film reactor (Chinese J. Chem. Eng.
    2018, PII S1004-9541(17)30384-1); PS styrene from Aguado et al. 2003
    (doi:10.1016/S1385-8947(02)00119-5), Artetxe et al. 2015 (Waste Manag., PII S0956-053X(15)00409-2)
    and Liu et al. 2000 (doi:10.1016/S0378-3820(99)00066-1); PET from Yoshioka et al. 2004
    (doi:10.1016/j.polymdegradstab.2004.06.001); fixed-bed PE at 500 degC from Genuino et al.
    2023 (Waste Manag. 156:208, PII S0956-053X(22)00582-7, Table 1 as transcribed, not verified)
    and at 540 degC fitted on Jahirul et al. 2023 (Energy Rep. 9:540).
    """

    inlets = ("feed",)
    outlets = ("vapour", "char")
    params = {
        "T": Param(773.15, "K", 673.15, 1073.15, "pyrolysis temperature [K]"),
        "P": Param(1.2e5, "Pa", 5e4, 1e6, "reactor pressure [Pa]"),
        "reactor": Param("fluidised_bed", "choice", doc="reactor type whose yield data are used: "
                         "fluidised_bed (short vapour residence) or fixed_bed (slow-heated, batch)",
                         choices=REACTORS),
    }
    costs = (Cost("ref.plastics_pyrolysis_plant", "feed_ar_t_per_h"),)

    def _yield_matrix(self, cs: ComponentSet, T: np.ndarray, cols, reactor) -> np.ndarray:
        """(n, len(cols), len(PRODUCTS)): mol of product per mol of each ORG column."""
        out = np.zeros((T.size, len(cols), len(PRODUCTS)))
        reactor = np.broadcast_to(np.asarray(reactor).astype(str), T.shape)
        for kind in REACTORS:
            sel = reactor == kind
            if not sel.any():
                continue
            rows = slice(None) if sel.all() else sel  # every case: a view, not a boolean gather
            known: dict[str, np.ndarray] = {}  # each constituent's slate once for all the columns
            for k, (i, frac) in enumerate(cols):
                if frac:  # an empty mix: no products (zeros)
                    out[rows, k, :] = mixture_slate(frac, T[rows], kind, known) * cs.molar_mass[i]
        return out

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        check_feed(s, self.id, "feed")
        cs = s.cs
        jp = require(cs, PRODUCTS, self.id, "pyrolysis products: use pyrolysis_components()")
        cols = [(i, f) for i, f in _org_polymer_columns(cs) if f]
        bad_cols = [i for i, f in _org_polymer_columns(cs) if not f]
        n = s.n_cases
        n_org = s.flow[:, [i for i, _ in cols]] if cols else np.zeros((n, 0))
        # a column without flow in any case adds exact zeros to the products: its slate is not made
        used = [(i, f if n_org[:, k].any() else {}) for k, (i, f) in enumerate(cols)]
        Y = self._yield_matrix(cs, p.T, used, p.reactor)
        prod = np.einsum("nk,nkp->np", n_org, Y)
        solid = ~cs.is_gas
        vap = np.where(solid[None, :], 0.0, s.flow)
        ch = np.where(solid[None, :], s.flow, 0.0)
        for i, _ in cols:
            ch[:, i] = 0.0
        il, iv = cs.index("H2O(L)"), cs.index("H2O")
        vap[:, iv] += s.flow[:, il]
        ch[:, il] = 0.0
        ic = cs.index("C(s)")
        vap[:, jp] += prod
        vap[:, ic] -= prod[:, PRODUCTS.index("C(s)")]
        ch[:, ic] += prod[:, PRODUCTS.index("C(s)")]
        origin = mix_origins([s])
        T, P = p.T.copy(), p.P.copy()
        out_v = Stream(cs, vap, T, P, origin, check=False)
        out_c = Stream(cs, ch, T.copy(), P.copy(), origin.copy(), check=False)
        heat = out_v.enthalpy + out_c.enthalpy - s.enthalpy
        mw = cs.molar_mass
        daf = rowdot(n_org, mw[[i for i, _ in cols]]) if cols else np.zeros(n)
        m = prod * mw[jp]

        def share(names) -> np.ndarray:
            idx = [PRODUCTS.index(k) for k in names]
            return np.divide(rowsum(m[:, idx]), daf, out=np.zeros(n), where=daf > 0)

        ar = s.mass_flow
        design = {
            "feed_ar_t_per_h": ar * 3.6, "feed_daf_kg_s": daf,
            "gas_yield": share(GAS_PRODUCTS), "oil_yield": share(OIL_PRODUCTS), "char_yield": share(["C(s)"]),
            "water_yield": share(["H2O"]), "aqueous_organics_yield": share(AQUEOUS_PRODUCTS),
            **{f"{c}_cut_yield": share(sp) for c, sp in CUTS.items()},
            "aromatics_yield": share(["C6H6", "C7H8", "C8H8", "C8H10", "C10H8"]),
            "heat_W": heat,
            "specific_heat_MJ_per_kg": np.divide(heat, ar, out=np.zeros(n), where=ar > 0) / 1e6,
        }
        flag = (s.flow[:, bad_cols] > 0).any(axis=1) if bad_cols else np.zeros(n, dtype=bool)
        status = status_array(flag, "feedstock without a polymer mix (polymers_dry_wt_pct): not pyrolysed")
        util = {"fired_heat_W": np.maximum(heat, 0.0), "cooling_W": np.maximum(-heat, 0.0)}
        return UnitResult({"vapour": out_v, "char": out_c}, heat, np.zeros(n), design, util, status)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: product flows = sum over ORG columns of flow x yield, each yield linear in the
        parameter ``T`` on the slate interval of the core solution (at a point, the interval
        below it, as the core's); frozen outside the points (the core's clipping); moisture
        evaporates; both outlets at ``T``, ``P``; heat from the energy balance."""
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        fi = b.sin("feed")
        slates = constituent_slates(str(p["reactor"]))
        T0 = np.array([float(p["T"])])
        Tn = b.par["T"]
        cols = [(i, f) for i, f in _org_polymer_columns(cs) if f]

        def y_expr(pid: str, k: int):
            sl = slates[pid]
            if len(sl.T) == 1:
                return float(sl.y[0, k])
            i, f = sl.interval(T0)
            i, f = int(i[0]), float(f[0])
            lo, hi = float(sl.y[i, k]), float(sl.y[i + 1, k])
            if sl.T[0] <= T0[0] <= sl.T[-1]:  # inside the points (a node included): linear in T
                return lo + (hi - lo) * (Tn - float(sl.T[i])) / float(sl.T[i + 1] - sl.T[i])
            return lo + (hi - lo) * f

        solid = {j: not bool(g) for j, g in zip(cs.ids, cs.is_gas)}
        vap = {j: fi.flow_mol_comp[j] for j in cs.ids if not solid[j]}
        vap["H2O"] = vap["H2O"] + fi.flow_mol_comp["H2O(L)"]
        ch = {j: fi.flow_mol_comp[j] for j in cs.ids if solid[j] and j != "H2O(L)"}
        for i, _ in cols:
            ch.pop(cs.ids[i], None)
        for k, sp in enumerate(PRODUCTS):
            term = sum(fi.flow_mol_comp[cs.ids[i]] * float(cs.molar_mass[i])
                       * sum(w * y_expr(pid, k) for pid, w in frac.items()) for i, frac in cols)
            d = ch if sp == "C(s)" else vap
            d[sp] = d[sp] + term if sp in d else term
        for port, flows in (("vapour", vap), ("char", ch)):
            eo_outlet(b, port, flows, b.pv("T"), b.pv("P"), "pyrolysis products")
        b.power.fix(0.0)
        b.add_energy_balance()
        eo_design(b, {"feed_ar_t_per_h": fi.flow_mass * (3.6 * u.s / u.kg), "heat_W": b.heat / u.W},
                  "design results: feed as received [t/h] (cost basis), heat [W]")


class PyrolysisCondenser(Unit):
    """Quench and condensation of pyrolysis vapours at ``T``: the oil species (OIL_PRODUCTS and
    any other species of the paraffin/aromatic lumps) leave as ``oil``, water as liquid
    ``H2O(L)`` in ``water`` with the fractions ``hcl_to_water`` and ``nh3_to_water`` of the HCl
    and NH3 (dissolved) and all the water-soluble organics (AQUEOUS_PRODUCTS), all else as
    ``gas``; all at ``T`` and the inlet pressure. A sharp
    split by species; the oil lumps keep their ideal-gas enthalpy (as every C5+ lump of
    carbonhub), water condenses with its latent heat (NASA ``H2O(L)``). ``heat`` = H_out - H_in
    (utility ``cooling_W``).

    Example
    -------
    >>> from carbonhub.thermo.components import pyrolysis_components
    >>> from carbonhub.core import Stream
    >>> cs = pyrolysis_components()
    >>> v = Stream.from_flows(cs, {"C8H18": 1.0, "CH4": 2.0, "H2O": 0.5, "HCl": 0.1}, T=773.15, P=1.2e5)
    >>> u = PyrolysisCondenser("cond")
    >>> r = u.run({"feed": v}, u.resolve({}, 1))
    >>> [round(float(r.outlets[k].total_flow[0]), 3) for k in ("gas", "oil", "water")]
    [2.01, 1.0, 0.59]
    """

    inlets = ("feed",)
    outlets = ("gas", "oil", "water")
    params = {
        "T": Param(313.15, "K", 273.15, 373.15, "condenser outlet temperature [K]"),
        "hcl_to_water": Param(0.9, "", 0.0, 1.0, "fraction of the HCl dissolved in the water [-]"),
        "nh3_to_water": Param(0.9, "", 0.0, 1.0, "fraction of the NH3 dissolved in the water [-]"),
    }
    costs = ()
    cost_note = "inside ref.plastics_pyrolysis_plant (the pyrolysis island, condensation included)"
    narrow_adds = ("H2O", "H2O(L)", "HCl", "NH3")  # water condenses to H2O(L); read by id (core.narrow)
    OIL = OIL_PRODUCTS + ("C5H12", "C7H16", "C12H26")

    def _fractions(self, cs) -> tuple[np.ndarray, np.ndarray]:
        """Fractions of each component to oil and to water (n_comp,); HCl's and NH3's to water
        are the parameters, set per case by :meth:`run`."""
        oil = np.isin(np.array(cs.ids), self.OIL).astype(float)
        wat = np.zeros(len(cs))
        for j in ("H2O", "H2O(L)") + tuple(AQUEOUS_PRODUCTS):
            if j in cs:
                wat[cs.index(j)] = 1.0
        return oil, wat

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        check_feed(s, self.id, "feed")
        cs = s.cs
        require(cs, ("H2O", "H2O(L)", "HCl", "NH3"), self.id)
        fo, fw = self._fractions(cs)
        if use_numba():  # one compiled pass per case: the same operations as the numpy path below
            gas, oil, wat, heat, oil_kg = condense_rows(s, p.T, fo, fw, p.hcl_to_water, p.nh3_to_water)
        else:
            oil, wat = s.flow * fo, s.flow * fw
            for j, frac in (("HCl", p.hcl_to_water), ("NH3", p.nh3_to_water)):
                wat[:, cs.index(j)] = s.flow[:, cs.index(j)] * frac
            gas = s.flow - oil - wat
            il, iv = cs.index("H2O(L)"), cs.index("H2O")
            wat[:, il] += wat[:, iv]
            wat[:, iv] = 0.0
            heat = sum(Stream(cs, f, p.T, s.P, check=False).enthalpy for f in (gas, oil, wat)) - s.enthalpy
            oil_kg = rowdot(oil, cs.molar_mass)
        outs = {k: Stream(cs, f, p.T.copy(), s.P.copy(), s.origin.copy(), check=False)
                for k, f in (("gas", gas), ("oil", oil), ("water", wat))}
        design = {"duty_W": -heat, "oil_kg_s": oil_kg}
        return UnitResult(outs, heat, np.zeros(s.n_cases), design, {"cooling_W": np.maximum(-heat, 0.0)})

    def build_pyomo(self, b, p, init) -> None:
        """Twin: sharp split by species (HCl/NH3 fractions are parameters), outlets at ``T`` and
        the inlet pressure, heat from the energy balance."""
        cs = b.config.property_package.cs
        fi = b.sin("feed")
        oil = {j: fi.flow_mol_comp[j] for j in cs.ids if j in self.OIL}
        wat = {"H2O(L)": fi.flow_mol_comp["H2O"] + fi.flow_mol_comp["H2O(L)"],
               "HCl": b.par["hcl_to_water"] * fi.flow_mol_comp["HCl"],
               "NH3": b.par["nh3_to_water"] * fi.flow_mol_comp["NH3"],
               **{j: fi.flow_mol_comp[j] for j in AQUEOUS_PRODUCTS if j in cs.ids}}
        gas = {j: fi.flow_mol_comp[j] for j in cs.ids
               if j not in self.OIL and j not in ("H2O", "H2O(L)", *AQUEOUS_PRODUCTS)}
        gas["HCl"] = (1 - b.par["hcl_to_water"]) * fi.flow_mol_comp["HCl"]
        gas["NH3"] = (1 - b.par["nh3_to_water"]) * fi.flow_mol_comp["NH3"]
        for port, flows in (("gas", gas), ("oil", oil), ("water", wat)):
            eo_outlet(b, port, flows, b.pv("T"), fi.pressure, "condensed by species")
        b.power.fix(0.0)
        b.add_energy_balance()


class FiredHeater(Boiler):
    """Combustion chamber that burns the pyrolysis gas and char (or any fuel) with ``air``
    and delivers ``efficiency`` x LHV as fired heat to the pyrolysis reactor and the other
    fired duties of the route: complete combustion and flue-gas temperature as
    :class:`~carbonhub.unitops.heat.Boiler` (whose steam parameters are not used here).
    The heat delivered is the utility ``fired_heat_W`` with a negative sign: it offsets the
    fired duties of the other units (priced as natural gas), and a surplus is credited at the
    natural-gas price (heat export). ``makeup_heat_W`` is heat delivered by make-up natural
    gas fired beside the fuel where the fuel is too little for the duty it serves (set by a
    design spec's ``makeup``, e.g. the reformer firing): not a process stream, it is bought as
    the utility ``fired_heat_W`` of the duty it serves (the served unit's own ``fired_heat_W``
    less the heat of the fuel), so the utility here stays -efficiency x LHV. Design:
    fired_heat_W (delivered: fuel plus make-up), makeup_heat_W, T_flue_K, lhv_in_W.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> from carbonhub.unitops.sources import AIR
    >>> cs = ComponentSet.from_ids(["CH4", "CO2", "H2O", "N2", "O2", "Ar"])
    >>> fuel = Stream.from_flows(cs, {"CH4": 1.0}, T=298.15, P=1.5e5)
    >>> air = Stream.from_flows(cs, {k: 11.0 * v for k, v in AIR.items() if k in cs}, T=298.15, P=1.5e5)
    >>> fh = FiredHeater("fh", efficiency=0.85)
    >>> r = fh.run({"fuel": fuel, "air": air}, fh.resolve({}, 1))
    >>> round(-float(r.utilities["fired_heat_W"][0]) / 1e3, 1)     # 0.85 x LHV of 1 mol/s CH4
    682.2
    """

    costs = ()
    cost_note = "inside ref.plastics_pyrolysis_plant (the plant's energy loop: pyrolysis gas and char burnt)"
    narrow_adds = COMBUSTION_PRODUCTS  # the flue gas of complete combustion (core.narrow)

    params = {**Boiler.params,
              "makeup_heat_W": Param(0.0, "W", 0.0, 1e11, "heat delivered by make-up natural gas beside the fuel [W]")}

    def run(self, ins, p) -> UnitResult:
        r = super().run(ins, p)
        q = -r.heat
        mk = np.asarray(p.makeup_heat_W, dtype=float) * np.ones(p.n)
        r.utilities = {"fired_heat_W": -q}
        r.design = {"fired_heat_W": q + mk, "makeup_heat_W": mk, "T_flue_K": r.design["T_flue_K"],
                    "lhv_in_W": r.design["lhv_in_W"]}
        return r

    def build_pyomo(self, b, p, init) -> None:
        """Twin: the boiler's (combustion, heat = -efficiency x LHV, flue-gas temperature);
        the heat delivered with the make-up gas (a fixed parameter) as an expression."""
        import pyomo.environ as pyo

        super().build_pyomo(b, p, init)
        b.fired_heat = pyo.Expression(expr=-b.heat + b.pv("makeup_heat_W"),
                                      doc="heat delivered: fuel plus make-up natural gas")
