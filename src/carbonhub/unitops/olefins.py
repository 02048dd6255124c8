"""Light-olefin separation train (demethaniser, deethaniser, C2 and C3 splitters, depropaniser)
of the MTO effluent, from Fenske-Underwood-Gilliland shortcut columns."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core.stream import Stream
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo.kvalues import KValueModel
from ..twin.helpers import set_flows
from .column_feed import feed_heat_pyomo, feed_heat_W
from .columns import COLUMN_PARAMS, PHASE_TOL, column_utilities, column_sizing, fug_design, fug_pyomo
from ..thermo.rowdot import rowsum

_TRAIN = (  # column, feed from, light key, heavy key, pressure param, condenser
    ("demethaniser", None, "CH4", "C2H4", "P_demethaniser", True),
    ("deethaniser", ("demethaniser", "bottoms"), "C2H6", "C3H6", "P_deethaniser", False),
    ("c2_splitter", ("deethaniser", "distillate"), "C2H4", "C2H6", "P_c2_splitter", False),
    ("depropaniser", ("deethaniser", "bottoms"), "C3H8", "C4H8", "P_depropaniser", False),
    ("c3_splitter", ("depropaniser", "distillate"), "C3H6", "C3H8", "P_c3_splitter", False),
)

FUEL_GAS = ("H2", "CO", "N2", "O2", "Ar", "CH4", "CO2")
"""Species of the demethaniser overhead (CO2: a caustic wash upstream is assumed; any CO2
that reaches the train is reported with the fuel gas)."""


class OlefinSeparationTrain(Unit):
    """Light-olefin recovery (front-end demethaniser sequence) of an MTO or cracker effluent.

    Products (exact by specification): ``ethylene`` (``ethylene_recovery`` of the C2H4, with
    C2H6 as the impurity to ``ethylene_purity``), ``propylene`` (likewise with C3H8),
    ``fuel_gas`` (H2, CO, N2, O2, Ar, CH4, CO2), ``ethane_propane`` (remaining C2H6/C3H8 and
    the olefin losses: recycle to a cracker or fuel) and ``c4plus`` (everything heavier,
    oxygenates and any water: drying upstream assumed). Outlets leave at the feed
    temperature (cold recovered against the feed) and the pressure of the column they leave.

    Energy: the five columns (demethaniser with partial condenser, deethaniser, C2 splitter,
    depropaniser, C3 splitter) are designed by Fenske-Underwood-Gilliland on the feeds the
    sequence gives them (Fenske distribution of non-keys; non-product key recoveries
    ``key_recovery``), with ideal K-values (H2, CO, N2, O2, Ar, CO2 non-condensable).
    Condensers below ``T_cooling_water`` are refrigerated (ethylene/propylene cycles) with
    COP = carnot_fraction T_evap / (T_ambient - T_evap); their electricity is the unit's
    ``power``, rejected with the condenser duties to cooling water (``heat``), so the enthalpy
    balance closes exactly. Each column's feed heat (:mod:`~carbonhub.unitops.column_feed`:
    the heat that brings its feed, the train's feed at its temperature or the product of the
    column before it at that column's top or bottom temperature, to the state q its design
    takes) is priced with its reboiler, as a :class:`~carbonhub.unitops.columns.ShortcutColumn`'s
    (steam: reboiler above 300 K plus feed heat, not below zero per column; a feed that
    flashes on entry lowers it). Design keys per column: ``<column>_<key>``.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["H2", "CH4", "C2H4", "C2H6", "C3H6", "C3H8", "C4H8"])
    >>> f = {"H2": 2.0, "CH4": 5.0, "C2H4": 40.0, "C2H6": 3.0, "C3H6": 35.0, "C3H8": 3.0, "C4H8": 12.0}
    >>> feed = Stream.from_flows(cs, f, T=313.15, P=32e5)
    >>> tr = OlefinSeparationTrain("olefins")
    >>> r = tr.run({"feed": feed}, tr.resolve({}, 1))
    >>> round(float(r.outlets["ethylene"]["C2H4"][0]), 3), round(float(r.design["refrigeration_power_kW"][0]), 1)
    (39.8, 1535.3)

    References
    ----------
    Zimmermann, H., Walzl, R. (2009), Ethylene, Ullmann's Encyclopedia of Industrial
    Chemistry, Wiley-VCH, doi:10.1002/14356007.a10_045.pub3 (separation sequences, column
    pressures, polymer-grade purities: ethylene >= 99.9 mol%, propylene >= 99.5 mol%).
    """

    inlets = ("feed",)
    outlets = ("ethylene", "propylene", "c4plus", "fuel_gas", "ethane_propane")
    params = {
        "ethylene_recovery": Param(0.995, "", 0.5, 0.99999, "C2H4 to the ethylene product [-]"),
        "ethylene_purity": Param(0.999, "", 0.5, 1.0, "C2H4 mole fraction of the product [-]"),
        "propylene_recovery": Param(0.99, "", 0.5, 0.99999, "C3H6 to the propylene product [-]"),
        "propylene_purity": Param(0.995, "", 0.5, 1.0, "C3H6 mole fraction of the product [-]"),
        "key_recovery": Param(0.995, "", 0.5, 0.99999, "key recoveries of the non-product cuts [-]"),
        "P_demethaniser": Param(32e5, "Pa", 1e5, 6e6, "demethaniser pressure [Pa]"),
        "P_deethaniser": Param(25e5, "Pa", 1e5, 6e6, "deethaniser pressure [Pa]"),
        "P_c2_splitter": Param(19e5, "Pa", 1e5, 6e6, "C2 splitter pressure [Pa]"),
        "P_depropaniser": Param(16e5, "Pa", 1e5, 6e6, "depropaniser pressure [Pa]"),
        "P_c3_splitter": Param(18e5, "Pa", 1e5, 6e6, "C3 splitter pressure [Pa]"),
        **COLUMN_PARAMS,
        "reflux_factor": Param(1.2, "", 1.01, 10.0, "reflux ratio / minimum reflux ratio [-]"),
    }
    costs = tuple(c for col, *_ in _TRAIN for c in (
        Cost("turton.tower_shell", f"{col}_volume_m3", pressure=f"{col}_P_barg", label=col),
        Cost("turton.tray_sieve", f"{col}_tray_area_m2", label=f"{col}; quantity {col}_n_trays"),
        Cost("turton.heat_exchanger_kettle_reboiler", f"{col}_reboiler_area_m2", label=col),
        Cost("turton.heat_exchanger_fixed_tube", f"{col}_condenser_area_m2", label=col))) + (
        Cost("turton.compressor_centrifugal", "refrigeration_power_kW", label="refrigeration"),)

    def __init__(self, id: str, **values: Any):
        super().__init__(id, **values)
        self._km: dict = {}

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs = s.cs
        ids = np.array(cs.ids)
        f = s.flow
        n = p.n

        def col(cid):
            return f[:, cs.index(cid)] if cid in cs else np.zeros(n)

        out = {k: np.zeros_like(f) for k in self.outlet_names}
        fuel = np.isin(ids, FUEL_GAS)
        out["fuel_gas"][:, fuel] = f[:, fuel]
        for olefin, paraffin, rec, pur, prod in (("C2H4", "C2H6", p.ethylene_recovery, p.ethylene_purity, "ethylene"),
                                                 ("C3H6", "C3H8", p.propylene_recovery, p.propylene_purity, "propylene")):
            o, pa = col(olefin), col(paraffin)
            o_prod = rec * o
            imp = np.minimum(o_prod * (1 - pur) / pur, pa)
            if olefin in cs:
                out[prod][:, cs.index(olefin)] = o_prod
                out["ethane_propane"][:, cs.index(olefin)] = o - o_prod
            if paraffin in cs:
                out[prod][:, cs.index(paraffin)] = imp
                out["ethane_propane"][:, cs.index(paraffin)] = pa - imp
        assigned = fuel | np.isin(ids, ["C2H4", "C2H6", "C3H6", "C3H8"])
        out["c4plus"][:, ~assigned] = f[:, ~assigned]
        for v in out.values():
            np.clip(v, 0.0, None, out=v)  # in place: the arrays are this call's own
        design, power, pressures = self._columns(cs, f, p, s.T)
        port_P = {"ethylene": pressures["c2_splitter"], "propylene": pressures["c3_splitter"],
                  "c4plus": pressures["depropaniser"], "fuel_gas": pressures["demethaniser"],
                  "ethane_propane": pressures["deethaniser"]}
        streams = {k: Stream(cs, v, s.T.copy(), np.minimum(port_P[k], s.P), s.origin, check=False)
                   for k, v in out.items()}
        h_out = sum(st.enthalpy for st in streams.values())
        heat = h_out - s.enthalpy - power
        steam = sum(column_utilities(design, f"{c}_")["steam_heat_W"] for c, *_ in _TRAIN
                    if f"{c}_reboiler_duty_W" in design)
        util = {"electricity_W": power, "steam_heat_W": steam, "cooling_W": -heat + steam}
        st = design.pop("_status")
        return UnitResult(streams, heat, power, design, util, None if (st == "ok").all() else st)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: product cuts by specification (olefin recovery, paraffin impurity to the
        purity, capped at the paraffin feed: the cap frozen at the core solution), outlets at
        the feed temperature and min(column pressure, feed pressure) (branch frozen); the five
        columns as :func:`fug_pyomo` blocks on the feeds the sequence gives them;
        ``power`` = their refrigeration electricity; ``heat`` closes the enthalpy balance. A
        column whose feed is empty in the core solution is left out (no flow, no power)."""
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        ids = list(cs.ids)
        s = init.inlets["feed"]
        pp = self.resolve(p, 1)
        raw: dict = {}
        self._columns(cs, s.flow, pp, s.T, raw=raw)
        fi = b.sin("feed")
        f = fi.flow_mol_comp
        f0 = s.flow[0]
        zero = 0.0 * u.mol / u.s
        out = {k: {} for k in self.outlet_names}
        for j in ids:
            if j in FUEL_GAS:
                out["fuel_gas"][j] = f[j]
        for olefin, paraffin, rec, pur, prod in (("C2H4", "C2H6", "ethylene_recovery", "ethylene_purity", "ethylene"),
                                                 ("C3H6", "C3H8", "propylene_recovery", "propylene_purity", "propylene")):
            o = f[olefin] if olefin in cs else zero
            o0 = f0[cs.index(olefin)] if olefin in cs else 0.0
            o_prod = b.par[rec] * o
            imp = o_prod * (1 - b.par[pur]) / b.par[pur]
            if paraffin in cs and float(p[rec]) * o0 * (1 - float(p[pur])) / float(p[pur]) >= f0[cs.index(paraffin)]:
                imp = f[paraffin]
            if olefin in cs:
                out[prod][olefin] = o_prod
                out["ethane_propane"][olefin] = o - o_prod
            if paraffin in cs:
                out[prod][paraffin] = imp
                out["ethane_propane"][paraffin] = f[paraffin] - imp
        assigned = set(FUEL_GAS) | {"C2H4", "C2H6", "C3H6", "C3H8"}
        for j in ids:
            if j not in assigned:
                out["c4plus"][j] = f[j]
        for k, v in out.items():
            set_flows(b, k, v, f"{k} cut")
        port_col = {"ethylene": "c2_splitter", "propylene": "c3_splitter", "c4plus": "depropaniser",
                    "fuel_gas": "demethaniser", "ethane_propane": "deethaniser"}
        keys = {c[0]: c[4] for c in _TRAIN}
        P0 = float(s.P[0])
        for k, col in port_col.items():
            Pc = b.pv(keys[col]) if float(p[keys[col]]) <= P0 else fi.pressure
            b.same_state(k, "feed", P=False)
            b.add_component(f"eq_P_{k}", pyo.Constraint(expr=b.sout(k).pressure == Pc,
                                                        doc=f"{k} at min({col} pressure, feed pressure)"))
        dry = [j for j in ids if j not in ("H2O", "H2O(L)")]
        feeds: dict = {}
        temps: dict = {}
        power = []
        for name, src, lk, hk, pkey, partial in _TRAIN:
            if lk not in cs or hk not in cs:
                continue
            x = {j: f[j] for j in dry} if src is None else feeds[src]
            r = raw[name]
            if r["feed"][0].sum() <= 0:
                feeds[(name, "distillate")] = feeds[(name, "bottoms")] = {j: zero for j in dry}
                continue
            blk = pyo.Block(doc=f"{name}: Fenske-Underwood-Gilliland design")
            b.add_component(name, blk)
            r_lk = b.par["ethylene_recovery"] if name == "c2_splitter" else (
                b.par["propylene_recovery"] if name == "c3_splitter" else b.par["key_recovery"])
            fug_pyomo(blk, b, r["km"], x, r["feed"][0], b.pv(pkey), lk, hk, r_lk, b.par["key_recovery"],
                      partial, r["res"], r["size"])
            feed_heat_pyomo(blk, b, r["km"], x, r["feed"][0], b.pv(pkey), float(r["size"]["T_feed_bubble_K"][0]),
                            feed_T=fi.temperature if src is None else temps[src])
            feeds[(name, "distillate")] = {j: blk.distillate[j] for j in dry}
            feeds[(name, "bottoms")] = {j: blk.bottoms[j] for j in dry}
            temps[(name, "distillate")], temps[(name, "bottoms")] = blk.T_top, blk.T_bottom
            if hasattr(blk, "refrigeration_power"):
                power.append(blk.refrigeration_power)
        b.eq_power = pyo.Constraint(expr=b.power == sum(power) + 0.0 * u.W,
                                    doc="power = refrigeration electricity of the condensers below cooling water")
        b.add_energy_balance("energy balance: heat = H_out - H_feed - power (rejected to cooling water)")

    def _columns(self, cs, f, p, T_feed, raw: dict | None = None):
        """Design of the five columns (``T_feed``: the train's feed temperature [K], (n,));
        ``raw`` (optional) collects per column its feed, the K-value model and the
        fug_design / column_sizing results (for the twin)."""
        over = {c: "noncondensable" for c in ("H2", "CO", "N2", "O2", "Ar", "CO2") if c in cs}
        key = tuple(sorted(over.items()))
        if (id(cs), key) not in self._km:
            self._km[(id(cs), key)] = KValueModel(cs, light_gases="raoult", solutes="raoult", overrides=over)
        km = self._km[(id(cs), key)]
        feed = np.where(np.isin(np.array(cs.ids), ["H2O", "H2O(L)"]), 0.0, f)  # dried upstream
        feeds, design, pressures = {}, {}, {}
        temps = {}
        power = np.zeros(p.n)
        status = np.full(p.n, "ok", dtype=object)
        for name, src, lk, hk, pkey, partial in _TRAIN:
            P = getattr(p, pkey)
            pressures[name] = P
            x = feed if src is None else feeds[src]
            if lk not in cs or hk not in cs:
                continue
            T_in = T_feed if src is None else temps[src]
            i_lk, i_hk = cs.index(lk), cs.index(hk)
            r_lk, r_hk = p.key_recovery, p.key_recovery
            if name == "c2_splitter":
                r_lk = p.ethylene_recovery
            elif name == "c3_splitter":
                r_lk = p.propylene_recovery
            res = fug_design(km, x, P, i_lk, i_hk, r_lk, r_hk, p.reflux_factor, p.q, partial_condenser=partial,
                             all_phi=raw is not None)  # phi_d of absent components: the twin's
            feeds[(name, "distillate")] = res["distillate"]
            feeds[(name, "bottoms")] = res["bottoms"]
            temps[(name, "distillate")], temps[(name, "bottoms")] = res["T_top"], res["T_bottom"]
            d = column_sizing(cs, km, res, x, P, p.q, p, partial)
            d["feed_heat_W"], d["T_feed_bubble_K"] = feed_heat_W(Stream(cs, x, T_in, P, check=False), x, km, P,
                                                                  p.q, PHASE_TOL, res["T_feed"])
            design.update({f"{name}_{k}": v for k, v in d.items()})
            if raw is not None:
                raw[name] = {"feed": x, "res": res, "size": d, "km": km}
            power = power + d["refrigeration_power_W"]
            if not res["design_ok"].all():
                bad = ~res["design_ok"] & (status == "ok") & (rowsum(x) > 0)
                status = np.where(bad, name + ": " + res["status"].astype(object), status)
        design["refrigeration_power_W"] = power
        design["refrigeration_power_kW"] = power / 1e3
        design["_status"] = status
        return design, power, pressures
