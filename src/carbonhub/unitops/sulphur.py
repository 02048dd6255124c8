"""Sulphur removal (H2S/COS) from syngas: ZnO guard bed, liquid redox or amine with a Claus unit,
with the technology table ``SULPHUR_TECH``; batched over cases, with its twin next to ``run``."""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream
from ..core.unit import Cost, Param, Unit, UnitResult
from ..twin.helpers import frozen_min
from ..units import LB_KG
from ._common import HOUR, barg, NORMAL_MOLAR_VOLUME, Status, duty_utilities, index_of, need, tech_default
from ..thermo.rowdot import rowsum

__all__ = ["SulphurRemoval", "SULPHUR_TECH"]


SULPHUR_TECH = {
    # h2s, cos: fractions removed; chem: chemicals [kg per kg S removed]
    "zno": {"h2s": 0.999, "cos": 0.5, "chem": 81.38 / 32.06},
    "lo_cat": {"h2s": 0.99, "cos": 0.0, "chem": 0.0},
    "claus": {"h2s": 0.97, "cos": 0.0, "chem": 0.0},
}
"""Technology defaults of :class:`SulphurRemoval` (typical values, to be verified): ZnO guard
bed (chemicals: stoichiometric ZnO + H2S -> ZnS + H2O, i.e. full sorbent utilisation, a lower
bound), LO-CAT liquid redox (chelated-iron make-up not known here: 0), Claus unit on an acid gas
(2-3 catalytic stages, ~94-98 % recovery)."""


class SulphurRemoval(Unit):
    """Removes H2S and COS; the sulphur removed leaves through ``sulphur`` as H2S.

    Removed COS is converted to H2S so that elements balance exactly: by hydrolysis
    COS + H2O -> CO2 + H2S as far as the gas holds water, the rest by hydrogenation
    COS + H2 -> CO + H2S (a case with neither left keeps its COS and gets a status). Isothermal
    at the inlet temperature and pressure; the small heat of those reactions is the ``heat``.
    ``technology`` sets the default fractions and chemicals use (``SULPHUR_TECH``); each can be
    set (``reset`` returns to the default). Utilities: ``chemicals_kg_s``. Design: ``sulphur_kg_s``,
    ``sulphur_t_per_d``, ``sulphur_lb_per_h`` (size of ``ref.sulfur_recovery_claus_netl``, the
    cost of the ``claus`` and ``lo_cat`` technologies), ``bed_volume_m3`` (normal gas flow /
    ``ghsv_per_h``: the ZnO guard bed, costed as a Turton vertical pressure vessel), ``P_barg``.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["H2", "CO", "CO2", "H2O", "H2S", "COS"])
    >>> gas = Stream.from_flows(cs, {"H2": 40.0, "CO": 40.0, "H2O": 5.0, "H2S": 0.1, "COS": 0.01},
    ...                         T=623.15, P=25e5)
    >>> u = SulphurRemoval("zno", technology="zno")
    >>> r = u.run({"feed": gas}, u.resolve({}, 1))
    >>> round(float(r.outlets["sulphur"]["H2S"][0]), 4), round(float(r.outlets["out"]["COS"][0]), 4)
    (0.1049, 0.005)

    References
    ----------
    .. [1] Kohl, A.L., Nielsen, R.B. (1997). Gas Purification, 5th ed., ISBN 0-88415-220-0
       (Claus sulphur recovery, liquid redox processes such as LO-CAT, zinc oxide beds).
    .. [2] Higman, C., van der Burgt, M. (2008). Gasification, 2nd ed., ISBN 978-0-7506-8528-3
       (COS hydrolysis COS + H2O = CO2 + H2S ahead of sulphur removal).
    """

    inlets = ("feed",)
    outlets = ("out", "sulphur")
    params = {
        "technology": Param("zno", "choice", doc="zno (guard bed), lo_cat (liquid redox) or claus",
                            choices=tuple(SULPHUR_TECH)),
        "h2s_removal": Param(tech_default(SULPHUR_TECH, "h2s", "unitops.sulphur.SULPHUR_TECH"), "", 0.0, 1.0,
                             "fraction of H2S removed (default: the technology's)"),
        "cos_removal": Param(tech_default(SULPHUR_TECH, "cos", "unitops.sulphur.SULPHUR_TECH"), "", 0.0, 1.0,
                             "fraction of COS removed (default: the technology's)"),
        "chemicals_kg_per_kg_S": Param(tech_default(SULPHUR_TECH, "chem", "unitops.sulphur.SULPHUR_TECH"), "", 0.0, 1e3,
                                       "chemicals used per kg S removed (default: the technology's)"),
        "ghsv_per_h": Param(2000.0, "1/h", 100.0, 20000.0,
                            "ZnO guard bed: gas hourly space velocity, Nm3/h of gas per m3 of bed "
                            "[1/h] (sizes the bed vessel; assumption, typical 1000-3000)"),
    }
    costs = (Cost("ref.sulfur_recovery_claus_netl", "sulphur_lb_per_h",
                  when=("technology", ("claus", "lo_cat"))),
             Cost("turton.vessel_vertical", "bed_volume_m3", pressure="P_barg",
                  when=("technology", ("zno",))))
    # the sulphur leaves as H2S; removed COS makes CO2 (hydrolysis) or CO (hydrogenation), each
    # only where that product is in the set: both kept (core.narrow)
    narrow_adds = ("H2S", "CO2", "CO")

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs, n, st = s.cs, p.n, Status(p.n)
        (ih,) = need(cs, ["H2S"], f"{self.id} (SulphurRemoval)")
        fh = p.h2s_removal
        fc = p.cos_removal
        chem = p.chemicals_kg_per_kg_S
        flow = s.flow.copy()
        h2s = fh * flow[:, ih]
        flow[:, ih] -= h2s
        ic = index_of(cs, "COS")
        if ic is not None:
            cos = fc * flow[:, ic]
            iw, ico2, ih2, ico = (index_of(cs, c) for c in ("H2O", "CO2", "H2", "CO"))
            x_w = np.minimum(cos, flow[:, iw]) if iw is not None and ico2 is not None else 0.0 * cos
            x_h = (np.minimum(cos - x_w, flow[:, ih2]) if ih2 is not None and ico is not None
                   else 0.0 * cos)
            left = cos - x_w - x_h
            st.flag(left > 1e-12 * np.maximum(cos, 1e-300),
                  "not enough H2O or H2 to convert the removed COS to H2S")
            conv = x_w + x_h
            flow[:, ic] -= conv
            if iw is not None and ico2 is not None:
                flow[:, iw] -= x_w
                flow[:, ico2] += x_w
            if ih2 is not None and ico is not None:
                flow[:, ih2] -= x_h
                flow[:, ico] += x_h
            h2s = h2s + conv
        sul = np.zeros_like(flow)
        sul[:, ih] = h2s
        out = Stream(cs, np.maximum(flow, 0.0), s.T, s.P, s.origin, check=False)
        sp = Stream(cs, sul, s.T.copy(), s.P.copy(), s.origin, check=False)
        q = out.enthalpy + sp.enthalpy - s.enthalpy
        S_kg = h2s * 0.032065  # kg S/s (IUPAC atomic weight of S)
        util = duty_utilities(q)
        util["chemicals_kg_s"] = S_kg * chem
        design = {"sulphur_kg_s": S_kg, "sulphur_t_per_d": S_kg * 86.4,
                  "sulphur_lb_per_h": S_kg * HOUR / LB_KG, "duty_W": q,
                  "bed_volume_m3": rowsum(s.flow) * NORMAL_MOLAR_VOLUME * HOUR / p.ghsv_per_h,
                  "P_barg": barg(s.P)}
        return UnitResult({"out": out, "sulphur": sp}, q, np.zeros(n), design, util, st.result())

    def build_pyomo(self, b, p, init) -> None:
        """Twin: H2S removed by its fraction, removed COS converted to H2S by hydrolysis as far as
        the gas holds water, the rest by hydrogenation (which of those minima binds is frozen
        at the case); outlets at the inlet T and P; heat from the energy balance."""
        import pyomo.environ as pyo

        cs = b.config.property_package.cs
        F, O, S = b.sin("feed"), b.sout("out"), b.sout("sulphur")
        f0 = dict(zip(cs.ids, init.inlets["feed"].flow[0].tolist()))
        # flows as linear combinations {k: coefficient} of the feed flows, coefficients combined
        # before the constraints are written (an x - x term would make Pyomo's NL writer fail)
        out = {j: {j: 1.0} for j in cs.ids}
        to_h2s = {"H2S": b.pv("h2s_removal")}

        def add(j, terms, sign):
            for k, c in terms.items():
                out[j][k] = out[j].get(k, 0.0) + sign * c

        add("H2S", to_h2s, -1)
        if "COS" in cs:
            fc = b.pv("cos_removal")
            left, left0 = {"COS": fc}, pyo.value(fc) * f0["COS"]  # COS removed, not yet converted
            for sub, prod in (("H2O", "CO2"), ("H2", "CO")):
                if sub in cs and prod in cs:  # hydrolysis, then hydrogenation: x = min(left, reactant)
                    x = frozen_min(left, left0, {sub: 1.0}, f0[sub])
                    for j, sign in (("COS", -1), (sub, -1), (prod, 1)):
                        add(j, x, sign)
                    for k, c in x.items():
                        to_h2s[k] = to_h2s.get(k, 0.0) + c
                        left[k] = left.get(k, 0.0) - c
                    left0 -= min(left0, f0[sub])

        def flow(terms):
            return sum(c * F.flow_mol_comp[k] for k, c in terms.items() if not (type(c) is float and c == 0.0))

        b.eq_out = pyo.Constraint(b.comps, rule=lambda b, j: O.flow_mol_comp[j] == flow(out[j]),
                                  doc="removal and COS conversion")
        b.eq_sulphur = pyo.Constraint(b.comps, rule=lambda b, j: S.flow_mol_comp[j]
                                      == (flow(to_h2s) if j == "H2S" else 0.0), doc="sulphur removed, as H2S")
        for o in ("out", "sulphur"):
            b.same_state(o, "feed")
        b.power.fix(0.0)
        b.add_energy_balance()
        from ..twin.helpers import eo_design

        S_kg = S.flow_mol_comp["H2S"] / (pyo.units.mol / pyo.units.s) * 0.032065
        n_feed = sum(F.flow_mol_comp[k] for k in cs.ids) / (pyo.units.mol / pyo.units.s)
        eo_design(b, {"sulphur_kg_s": S_kg, "sulphur_t_per_d": S_kg * 86.4,
                      "sulphur_lb_per_h": S_kg * HOUR / LB_KG,
                      "bed_volume_m3": n_feed * NORMAL_MOLAR_VOLUME * HOUR / b.par["ghsv_per_h"]},
                  doc="design results of the twin (as the core's, value in the unit of the key)")
