"""Water treatment: sour-water stripper, biological treatment, reverse osmosis,
demineralisation (ultrapure water for electrolysis).

Liquid water is ``H2O(L)``; dissolved gases and organics keep their (gas) component ids. Every
unit conserves mass and elements exactly; heat closes the enthalpy balance.

Example
-------
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> from carbonhub.unitops.water import ReverseOsmosis
>>> cs = ComponentSet.from_ids(["H2O(L)", "NH3", "CH3OH"])
>>> w = Stream.from_flows(cs, {"H2O(L)": 1000.0, "NH3": 0.5, "CH3OH": 0.2}, T=298.15, P=2e5)
>>> ro = ReverseOsmosis("ro")
>>> r = ro.run({"feed": w}, ro.resolve({}, 1))
>>> round(float(r.outlets["permeate"]["H2O(L)"][0]), 1), round(float(r.design["permeate_m3_per_h"][0]), 3)
(750.0, 48.787)
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ..core.stream import Stream, mix_origins
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo.components import ELEMENTS
from ..thermo.kvalues import vapour_pressure
from ._common import KWH, RHO_WATER
from ..thermo.rowdot import rowdot, rowsum

M_O2 = 0.0319988


def zeros(n: int) -> np.ndarray:
    return np.zeros(n)


def _iw(cs) -> int:
    if "H2O(L)" not in cs:
        raise ValueError("water units need the component H2O(L) (liquid water) in the component set")
    return cs.index("H2O(L)")


def _water_m3_s(s: Stream) -> np.ndarray:
    return s.flow[:, _iw(s.cs)] * s.cs.molar_mass[_iw(s.cs)] / RHO_WATER


class SourWaterStripper(Unit):
    """Steam-reboiled sour-water stripper: NH3, H2S (and CO2) to an off-gas.

    ``nh3_recovery``, ``h2s_recovery`` and ``co2_recovery`` of the dissolved gases leave with
    the off-gas from the reflux drum at ``T_offgas``, saturated with water vapour
    (y_H2O = Psat(T_offgas)/P, Perry Table 2-8); the rest of the water leaves as stripped
    water at the column bottom temperature (boiling point at P). Reboiler steam: the
    typical specific consumption ``steam_kg_per_m3`` of sour water (refinery practice
    100-150 kg/m3 for a reboiled stripper with reflux, 1.0-1.2 lb/gal) times the latent heat
    of 2.1 MJ/kg of low-pressure steam, reported as ``steam_heat_W``; ``heat`` closes the
    enthalpy balance of the process streams (sensible heat and the water evaporated to the
    off-gas).

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["H2O(L)", "H2O", "NH3", "H2S", "CO2"])
    >>> sw = Stream.from_flows(cs, {"H2O(L)": 5000.0, "NH3": 20.0, "H2S": 10.0}, T=320.0, P=3e5)
    >>> u = SourWaterStripper("sws")
    >>> r = u.run({"feed": sw}, u.resolve({}, 1))
    >>> round(float(r.outlets["offgas"]["NH3"][0]), 2), round(float(r.utilities["steam_kg_s"][0]), 3)
    (19.6, 10.842)

    References
    ----------
    Kohl, A.L., Nielsen, R.B. (1997), Gas Purification, 5th ed., Gulf Publishing, ch. 4
    (sour-water stripping: 0.8-1.5 lb steam per gallon); Weiland, R.H., Hatcher, N.A. (2012),
    Overcome challenges in treating sour water, Hydrocarbon Process. 91(9):45 (verify).
    """

    inlets = ("feed",)
    outlets = ("offgas", "stripped_water")
    params = {
        "nh3_recovery": Param(0.98, "", 0.0, 1.0, "NH3 to off-gas [-]"),
        "h2s_recovery": Param(0.995, "", 0.0, 1.0, "H2S to off-gas [-]"),
        "co2_recovery": Param(0.995, "", 0.0, 1.0, "CO2 to off-gas [-]"),
        "steam_kg_per_m3": Param(120.0, "kg/m^3", 0.0, 500.0, "reboiler steam per m3 sour water"),
        "P": Param(2.0e5, "Pa", 1.1e5, 1e6, "column pressure [Pa]"),
        "T_offgas": Param(363.15, "K", 300.0, 400.0, "reflux drum (off-gas) temperature [K]"),
    }
    costs = (Cost("ref.sour_water_stripper", "feed_m3_per_h"),)

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs = s.cs
        iw = _iw(cs)
        f = s.flow.copy()
        if "H2O" in cs:  # any water vapour in the feed is condensed sour water
            f[:, iw] += f[:, cs.index("H2O")]
            f[:, cs.index("H2O")] = 0.0
        gas = np.zeros_like(f)
        liq = f  # f - gas, in place: on the columns without off-gas x - 0 is x
        for cid, rec in (("NH3", p.nh3_recovery), ("H2S", p.h2s_recovery), ("CO2", p.co2_recovery)):
            if cid in cs:
                j = cs.index(cid)
                gas[:, j] = rec * f[:, j]
                liq[:, j] -= gas[:, j]
        # water vapour saturating the off-gas (needs H2O in the component set)
        T_bot = _boiling_T(p.P)
        if "H2O" in cs:
            y = vapour_pressure(["H2O"], p.T_offgas, policy="raise")[:, 0] / p.P
            wv = np.minimum(rowsum(gas) * y / (1.0 - y), f[:, iw])
            gas[:, cs.index("H2O")] = wv
            liq[:, iw] -= wv
        liq = np.clip(liq, 0.0, None, out=liq)
        gout = Stream(cs, gas, p.T_offgas.copy(), p.P.copy(), s.origin, check=False)
        lout = Stream(cs, liq, T_bot, p.P.copy(), s.origin, check=False)
        heat = gout.enthalpy + lout.enthalpy - s.enthalpy
        m3 = s.flow[:, iw] * cs.molar_mass[iw] / RHO_WATER + (
            s.flow[:, cs.index("H2O")] * cs.molar_mass[iw] / RHO_WATER if "H2O" in cs else 0.0)
        steam = p.steam_kg_per_m3 * m3
        design = {"feed_m3_per_h": m3 * 3600, "duty_W": heat, "T_bottom_K": T_bot}
        util = {"steam_heat_W": steam * 2.1e6, "steam_kg_s": steam, "cooling_W": np.maximum(steam * 2.1e6 - heat, 0.0)}
        return UnitResult({"offgas": gout, "stripped_water": lout}, heat, zeros(p.n), design, util)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: solutes to the off-gas by their recoveries; the off-gas saturated with water
        vapour, ``water_vapour`` (P - Psat(T_offgas)) = (solutes in the off-gas) Psat(T_offgas)
        (Perry DIPPR-101 as a Pyomo expression); stripped water at its boiling point,
        ln Psat(T_bottom) = ln P; ``heat`` closes the enthalpy balance. Frozen: the cap of the
        water vapour at the water fed, the vapour-pressure correlation range."""
        import pyomo.environ as pyo

        from ..thermo.kvalues import KValueModel
        from ..twin.helpers import set_flows
        from ..twin.kvalues import kvalue_region, lnpsat_expr

        u = pyo.units
        cs = b.config.property_package.cs
        iw = _iw(cs)
        fi, go, lo = b.sin("feed"), b.sout("offgas"), b.sout("stripped_water")
        f = fi.flow_mol_comp
        has_v = "H2O" in cs
        fw = f["H2O(L)"] + (f["H2O"] if has_v else 0.0)
        rec = {"NH3": "nh3_recovery", "H2S": "h2s_recovery", "CO2": "co2_recovery"}
        gas = {j: b.par[k] * f[j] for j, k in rec.items() if j in cs}
        liq = {j: f[j] - gas[j] if j in gas else f[j] for j in cs.ids if j not in ("H2O", "H2O(L)")}
        liq["H2O(L)"] = fw
        km = KValueModel(cs.subset(["H2O(L)"]))
        if has_v:
            f0 = init.inlets["feed"].flow[0]
            fw0 = f0[iw] + f0[cs.index("H2O")]
            T_off = float(p["T_offgas"])
            y0 = float(vapour_pressure(["H2O"], T_off, policy="raise")[0, 0]) / float(p["P"])
            gas0 = sum(float(p[k]) * f0[cs.index(j)] for j, k in rec.items() if j in cs)
            b.water_vapour = pyo.Var(initialize=float(init.outlets["offgas"].flow[0, cs.index("H2O")]),
                                     bounds=(0.0, None), units=u.mol / u.s, doc="water vapour in the off-gas [mol/s]")
            if gas0 * y0 / (1.0 - y0) >= fw0:
                b.eq_water_vapour = pyo.Constraint(expr=b.water_vapour == fw, doc="all water evaporated (cap)")
            else:
                psat = pyo.exp(lnpsat_expr("H2O", b.pv("T_offgas") / u.K, kvalue_region(km, 0, T_off))) * u.Pa
                b.eq_water_vapour = pyo.Constraint(expr=b.water_vapour * (b.pv("P") - psat) == sum(gas.values()) * psat,
                                                   doc="off-gas saturated: y_H2O = Psat(T_offgas) / P")
            gas["H2O"] = b.water_vapour
            liq["H2O(L)"] = fw - b.water_vapour
        set_flows(b, "offgas", gas, "off-gas: stripped solutes and water vapour")
        set_flows(b, "stripped_water", liq, "stripped water = feed - off-gas (water as H2O(L))")
        T_bot0 = float(init.outlets["stripped_water"].T[0])
        b.eq_T_offgas = pyo.Constraint(expr=go.temperature == b.pv("T_offgas"), doc="reflux drum temperature")
        b.eq_T_bottom = pyo.Constraint(expr=lnpsat_expr("H2O", lo.temperature / u.K, kvalue_region(km, 0, T_bot0))
                                       == pyo.log(b.pv("P") / u.Pa), doc="stripped water at its boiling point")
        for o in (go, lo):
            b.add_component(f"eq_P_{'offgas' if o is go else 'stripped_water'}",
                            pyo.Constraint(expr=o.pressure == b.pv("P"), doc="column pressure"))
        b.power.fix(0.0)
        b.add_energy_balance("energy balance: heat = H_offgas + H_stripped - H_feed")


def _boiling_T(P: np.ndarray) -> np.ndarray:
    """Boiling temperature of water [K] at P [Pa] (Perry Table 2-8 inverted by Newton)."""
    from ..thermo.kvalues import Dippr, kvalue_data

    d = Dippr([kvalue_data()["vapour_pressure"]["H2O"]])
    T = np.full(P.shape, 373.15)
    for _ in range(30):
        lnP, m = d.lnP(T)
        # d lnP/dT = -m / T^2
        T = T - (lnP[:, 0] - np.log(P)) / (-m[:, 0] / T**2)
    return T


def cod_per_mol(cs) -> np.ndarray:
    """Chemical oxygen demand [mol O2 / mol] of each organic component, exact from its formula:
    CcHhOoNnSsClx + (c + (h - 3n - 2s - x)/4 - o/2) O2 -> c CO2 + (h - 3n - 2s - x)/2 H2O
    + n NH3 + s H2S + x HCl (the COD convention leaves organic N as ammonia; S and Cl are
    released as H2S and HCl here, the form this model gives them). Zero for CO, CO2, water,
    inorganic species, char and ash."""
    E = cs.element_matrix
    c, h, o, nn, s, cl = (E[:, ELEMENTS.index(e)] for e in ("C", "H", "O", "N", "S", "Cl"))
    cod = c + (h - 3 * nn - 2 * s - cl) / 4 - o / 2
    ids = np.array(cs.ids)
    organic = (c > 0) & ~np.isin(ids, ["CO2", "CO", "COS"]) & (cs.phase != "solid")
    organic |= np.char.startswith(ids, "ORG_")
    return np.where(organic, np.maximum(cod, 0.0), 0.0)


COST_BLOCKS = ("condensate", "biorefinery")
"""Capital blocks of :class:`BiologicalTreatment` (parameter ``cost_block``), by the effluent."""


class BiologicalTreatment(Unit):
    """Aerobic activated-sludge treatment of organic wastewater.

    Each biodegradable organic (methanol, DME, hydrocarbons, ORG_*: see :func:`cod_per_mol`)
    is removed to ``cod_removal``. Of the removed carbon, ``sludge_carbon_fraction`` becomes
    biomass, represented element-exactly as C(s) + H2O(L) (one water per carbon, i.e. CH2O;
    biomass N is neglected); the rest is oxidised to CO2. Organic N, S and Cl are released as
    NH3, H2S and HCl (they stay in the water). Water is formed from the hydrogen; the O2 needed
    follows from the element balance and is taken from the ``air`` inlet. Unused air leaves
    with the CO2 in the off-gas, saturated with water vapour at the basin temperature (Perry
    Table 2-8). Cases whose air brings too little O2 get a status. Blower electricity =
    O2 consumed / ``aeration_efficiency`` (field oxygen transfer of fine-bubble diffusers
    about 1.2-2.0 kg O2/kWh, Metcalf & Eddy 2014) is the unit's ``power``; ``heat`` closes the
    balance (outlets at the water inlet temperature).

    Capital (``cost_block``, chosen by the effluent; ``cod_in_mg_per_L`` is reported to choose
    by): ``condensate`` (default) costs the process-water treatment of a gasification plant,
    NETL's IGCC account 3.7 (reference_plants.yaml ``wastewater_treatment_netl``, sized on the
    water treated), for the dilute condensates (COD of a few g/L) that every carbonhub route
    makes; ``biorefinery`` costs the wastewater plant of Humbird et al. (2011), anaerobic and
    aerobic digestion, sludge handling and RO, designed for a cellulosic-ethanol effluent with
    an organic load an order of magnitude above (``biological_wastewater_treatment``).

    Default sludge carbon fraction 0.3: the observed heterotrophic yield of 0.3-0.4 g VSS per
    g COD removed (Metcalf & Eddy 2014) with 1.42 g COD/g VSS puts 40-55 % of the COD into new
    cells, of which decay returns part; 0.3 of the carbon is a conservative mid value.

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> from carbonhub.unitops.sources import AIR
    >>> cs = ComponentSet.from_ids(["H2O(L)", "H2O", "CH3OH", "CO2", "O2", "N2", "Ar", "C(s)", "NH3"])
    >>> ww = Stream.from_flows(cs, {"H2O(L)": 5000.0, "CH3OH": 2.0}, T=298.15, P=1.5e5)
    >>> air = Stream.from_flows(cs, {k: 20.0 * v for k, v in AIR.items()}, T=298.15, P=1.5e5)
    >>> bt = BiologicalTreatment("bio")
    >>> r = bt.run({"feed": ww, "air": air}, bt.resolve({}, 1))
    >>> round(float(r.design["cod_removed_kg_per_h"][0]), 2), round(float(r.power[0]), 1)
    (328.31, 175097.4)

    References
    ----------
    Metcalf & Eddy / AECOM (2014), Wastewater Engineering: Treatment and Resource Recovery,
    5th ed., McGraw-Hill, ISBN 978-0-07-340118-8, ch. 5 (aeration) and ch. 7-8 (yields).
    """

    inlets = ("feed", "air")
    outlets = ("treated_water", "offgas", "sludge")
    params = {
        "cod_removal": Param(0.95, "", 0.0, 1.0, "fraction of the biodegradable COD removed [-]"),
        "sludge_carbon_fraction": Param(0.3, "", 0.0, 0.9, "removed organic C to biomass [-]"),
        "aeration_efficiency": Param(1.5, "", 0.3, 10.0, "field aeration efficiency [kg O2/kWh]"),
        "sludge_solids": Param(0.02, "", 0.005, 0.5, "solids mass fraction of the waste sludge [-]"),
        "cost_block": Param("condensate", "choice", doc="capital block by the effluent: condensate "
                            "(dilute process condensate of a gasification or synthesis plant: the "
                            "NETL IGCC process-water treatment account) or biorefinery (organic-rich "
                            "fermentation effluent: the Humbird et al. 2011 anaerobic + aerobic + RO "
                            "plant)", choices=COST_BLOCKS),
    }
    costs = (Cost("ref.wastewater_treatment_netl", "feed_m3_per_h", size_unit="m^3/h",
                  when=("cost_block", ("condensate",))),
             Cost("ref.biological_wastewater_treatment", "feed_m3_per_h",
                  when=("cost_block", ("biorefinery",))))

    def run(self, ins, p) -> UnitResult:
        s, a = ins["feed"], ins["air"]
        cs = s.cs
        iw = _iw(cs)
        need = ("CO2", "O2", "C(s)")
        missing = [c for c in need if c not in cs]
        if missing:
            raise ValueError(f"BiologicalTreatment needs components {missing} in the component set")
        E = cs.element_matrix
        cod = cod_per_mol(cs)
        bio = cod > 0
        # the removed organics on the COD-bearing columns alone: on the others nothing is
        # removed (exact zeros, which change no bit of an index-order sum, and x - 0 is x)
        jb = np.flatnonzero(bio)
        rb = s.flow[:, jb] * p.cod_removal[:, None]
        el = rowdot(rb, E[jb])
        C, H, O, N, S, Cl = (el[:, ELEMENTS.index(e)] for e in ("C", "H", "O", "N", "S", "Cl"))
        n_cs = p.sludge_carbon_fraction * C
        n_co2 = C - n_cs
        n_nh3 = N
        h2o_formed = (H - 3 * N - 2 * S - Cl) / 2  # includes the sludge water (n_cs)
        o2_need = (2 * n_co2 + h2o_formed - O) / 2
        i_o2, i_co2, i_c = cs.index("O2"), cs.index("CO2"), cs.index("C(s)")
        o2_in = a.flow[:, i_o2]
        ok = o2_in >= o2_need
        status = np.where(ok, "ok", "air inlet supplies too little O2 for the COD removed")
        o2_use = np.where(ok, o2_need, 0.0)
        water = s.flow.copy()
        water[:, jb] -= rb if ok.all() else np.where(ok[:, None], rb, 0.0)
        gas = a.flow.copy()
        gas[:, i_o2] -= o2_use
        gas[:, i_co2] += np.where(ok, n_co2, 0.0)
        for cid, amount in (("NH3", n_nh3), ("H2S", S), ("HCl", Cl)):
            if amount.any():
                if cid not in cs:
                    raise ValueError(f"organic N, S, Cl are released as NH3, H2S, HCl: add {cid} to "
                                     "the component set")
                water[:, cs.index(cid)] += np.where(ok, amount, 0.0)
        water[:, iw] += np.where(ok, h2o_formed - n_cs, 0.0)
        sludge = np.zeros(water.shape)
        sludge[:, i_c] = np.where(ok, n_cs, 0.0)
        m_solid = sludge[:, i_c] * (cs.molar_mass[i_c] + cs.molar_mass[iw])
        sl_w = np.minimum(np.where(ok, n_cs, 0.0) + m_solid * (1 / p.sludge_solids - 1) / cs.molar_mass[iw],
                          water[:, iw] + np.where(ok, n_cs, 0.0))
        sludge[:, iw] = sl_w
        water[:, iw] -= sl_w - np.where(ok, n_cs, 0.0)
        # off-gas saturated with water vapour at the water temperature
        if "H2O" in cs:
            y = vapour_pressure(["H2O"], s.T, policy="raise")[:, 0] / np.minimum(a.P, s.P)
            wv = np.minimum(rowsum(gas) * y / np.maximum(1.0 - y, 1e-6), np.maximum(water[:, iw], 0.0))
            gas[:, cs.index("H2O")] += wv
            water[:, iw] -= wv
        water = np.clip(water, 0.0, None, out=water)
        org = mix_origins([s, a])
        P_out = np.minimum(s.P, a.P)
        outs = {"treated_water": Stream(cs, water, s.T.copy(), s.P.copy(), org, check=False),
                "offgas": Stream(cs, gas, s.T.copy(), P_out, org, check=False),
                "sludge": Stream(cs, sludge, s.T.copy(), s.P.copy(), org, check=False)}
        power = o2_use * M_O2 / p.aeration_efficiency * KWH  # W
        h_out = sum(o.enthalpy for o in outs.values())
        heat = h_out - s.enthalpy - a.enthalpy - power
        v_w, cod_in = _water_m3_s(s), rowdot(s.flow, cod)
        js = np.array(sorted((i_c, iw)))  # the sludge's two columns
        design = {"feed_m3_per_h": v_w * 3600,
                  "cod_in_kg_per_h": cod_in * M_O2 * 3600,
                  "cod_in_mg_per_L": cod_in * M_O2 * 1e6 / np.maximum(v_w * 1e3, 1e-30),
                  "cod_removed_kg_per_h": np.where(ok, rowdot(rb, cod[jb]) * M_O2 * 3600, 0.0),
                  "o2_consumed_kg_per_h": o2_use * M_O2 * 3600, "o2_required_mol_s": o2_need,
                  "sludge_kg_per_h": rowdot(sludge[:, js], cs.molar_mass[js]) * 3600, "power_kW": power / 1e3}
        return UnitResult(outs, heat, power, design, {"electricity_W": power},
                          None if ok.all() else status)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: element balances of the removed organics as equations (carbon to biomass
        C(s) + H2O(L) and CO2, N/S/Cl to NH3/H2S/HCl, O2 taken from the air), off-gas
        saturated with water vapour (``water_vapour`` (P - Psat(T)) = dry off-gas x Psat(T)),
        power = O2 used / aeration efficiency, ``heat`` closes the balance. Frozen at the core
        solution: the sludge-water cap, the water-vapour cap, min(P_feed, P_air), the
        vapour-pressure range. A case whose air lacks O2 fails in the core (no twin)."""
        import pyomo.environ as pyo

        from ..thermo.kvalues import KValueModel
        from ..twin.helpers import set_flows
        from ..twin.kvalues import kvalue_region, lnpsat_expr

        u = pyo.units
        cs = b.config.property_package.cs
        ids = list(cs.ids)
        iw = _iw(cs)
        mw = b.config.property_package.mw
        fi, ai = b.sin("feed"), b.sin("air")
        f, a = fi.flow_mol_comp, ai.flow_mol_comp
        E = {(j, e): float(cs.element_matrix[cs.index(j), ELEMENTS.index(e)]) for j in ids for e in ELEMENTS}
        cod = dict(zip(ids, cod_per_mol(cs)))
        bio = [j for j in ids if cod[j] > 0]
        removed = {j: b.par["cod_removal"] * f[j] for j in bio}
        el = {e: sum(removed[j] * E[j, e] for j in bio) for e in ("C", "H", "O", "N", "S", "Cl")}
        n_cs = b.par["sludge_carbon_fraction"] * el["C"]
        n_co2 = el["C"] - n_cs
        h2o_formed = (el["H"] - 3 * el["N"] - 2 * el["S"] - el["Cl"]) / 2
        b.o2_used = pyo.Var(initialize=float(init.design["o2_required_mol_s"]), units=u.mol / u.s,
                            doc="O2 consumed by the COD removed [mol/s]")
        b.eq_o2 = pyo.Constraint(expr=b.o2_used == (2 * n_co2 + h2o_formed - el["O"]) / 2,
                                 doc="O2 from the element balance of the oxidation")
        water = {j: f[j] - removed[j] if j in removed else f[j] for j in ids}
        for cid, amount in (("NH3", el["N"]), ("H2S", el["S"]), ("HCl", el["Cl"])):
            if cid in cs:
                water[cid] = water[cid] + amount
        water["H2O(L)"] = water["H2O(L)"] + h2o_formed - n_cs
        # sludge water: solids / sludge_solids, at most the water available (cap frozen)
        s0 = init.outlets["sludge"].flow[0]
        m_solid = n_cs * (mw["C(s)"] + mw["H2O(L)"])
        sl_w = n_cs + m_solid * (1 / b.par["sludge_solids"] - 1) / mw["H2O(L)"]
        ncs0 = float(s0[cs.index("C(s)")])
        mw0 = cs.molar_mass
        sl_uncapped = ncs0 + ncs0 * (mw0[cs.index("C(s)")] + mw0[iw]) * (1 / float(p["sludge_solids"]) - 1) / mw0[iw]
        if sl_uncapped > float(s0[iw]) * (1 + 1e-12):
            sl_w = water["H2O(L)"] + n_cs
        water["H2O(L)"] = water["H2O(L)"] - (sl_w - n_cs)
        gas = {j: a[j] for j in ids}
        gas["O2"] = gas["O2"] - b.o2_used
        gas["CO2"] = gas["CO2"] + n_co2
        Pa0, Ps0 = float(init.inlets["air"].P[0]), float(init.inlets["feed"].P[0])
        P_out = fi.pressure if Ps0 <= Pa0 else ai.pressure
        if "H2O" in cs:
            o0 = init.outlets["offgas"].flow[0]
            wv0 = float(o0[cs.index("H2O")] - init.inlets["air"].flow[0, cs.index("H2O")])
            b.water_vapour = pyo.Var(initialize=wv0, bounds=(0.0, None), units=u.mol / u.s,
                                     doc="water evaporated into the off-gas [mol/s]")
            T0 = float(init.inlets["feed"].T[0])
            y0 = float(vapour_pressure(["H2O"], T0, policy="raise")[0, 0]) / min(Pa0, Ps0)
            dry0 = float(o0.sum()) - wv0
            km = KValueModel(cs.subset(["H2O(L)"]))
            if dry0 * y0 / max(1 - y0, 1e-6) >= float(init.outlets["treated_water"].flow[0, iw]) + wv0:
                b.eq_water_vapour = pyo.Constraint(expr=b.water_vapour == water["H2O(L)"],
                                                   doc="all remaining water evaporated (cap)")
            else:
                psat = pyo.exp(lnpsat_expr("H2O", fi.temperature / u.K, kvalue_region(km, 0, T0))) * u.Pa
                b.eq_water_vapour = pyo.Constraint(
                    expr=b.water_vapour * (P_out - psat) == sum(gas.values()) * psat,
                    doc="off-gas saturated with water vapour at the basin temperature")
            gas["H2O"] = gas["H2O"] + b.water_vapour
            water["H2O(L)"] = water["H2O(L)"] - b.water_vapour
        set_flows(b, "treated_water", water, "treated water")
        set_flows(b, "offgas", gas, "off-gas: air - O2 used + CO2 + water vapour")
        set_flows(b, "sludge", {"C(s)": n_cs, "H2O(L)": sl_w}, "sludge: biomass C(s) + H2O(L) and its water")
        for port in self.outlet_names:
            b.same_state(port, "feed", P=False)
            b.add_component(f"eq_P_{port}", pyo.Constraint(
                expr=b.sout(port).pressure == (P_out if port == "offgas" else fi.pressure), doc="outlet pressure"))
        b.eq_power = pyo.Constraint(expr=b.power == u.convert(
            b.o2_used * M_O2 * u.kg / u.mol / (b.par["aeration_efficiency"] * u.kg / (u.kW * u.hour)), to_units=u.W),
            doc="blower electricity = O2 used / aeration efficiency")
        b.add_energy_balance("energy balance: heat = H_out - H_in - power")


class ReverseOsmosis(Unit):
    """Reverse-osmosis stage: ``recovery`` of the water to the permeate; each dissolved species
    to the permeate in proportion (1 - rejection) x recovery (``rejection`` default, per-species
    values in the constructor's ``rejections``; dissolved gases CO2/NH3/H2S pass RO poorly
    rejected, e.g. 0.5). Electricity ``specific_energy`` kWh per m3 permeate (seawater RO
    2.5-4 kWh/m3 (Voutchkov 2018); brackish and process water 0.5-1.5) is the unit's power,
    dissipated into the brine (``heat`` closes the balance, outlets at the feed temperature).

    References
    ----------
    Voutchkov, N. (2018), Energy use for membrane seawater desalination - current status and
    trends, Desalination 431:2-14, doi:10.1016/j.desal.2017.10.033.
    """

    inlets = ("feed",)
    outlets = ("permeate", "brine")
    params = {
        "recovery": Param(0.75, "", 0.0, 0.99, "water fraction to the permeate [-]"),
        "rejection": Param(0.99, "", 0.0, 1.0, "default rejection of dissolved species [-]"),
        "specific_energy": Param(1.0, "kWh/m^3", 0.0, 10.0, "electricity per m3 permeate [kWh/m3]"),
        "P_permeate": Param(1.2e5, "Pa", 1e4, 1e7, "permeate pressure [Pa]"),
    }
    costs = (Cost("ref.reverse_osmosis", "permeate_m3_per_h"),)

    def __init__(self, id: str, rejections: Mapping[str, float] | None = None, **values: Any):
        super().__init__(id, **values)
        self.rejections = dict(rejections or {})
        for k, v in self.rejections.items():
            if not 0.0 <= v <= 1.0:
                raise ValueError(f"{id}: rejections[{k}] = {v}: expected a fraction in [0, 1]")

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs = s.cs
        iw = _iw(cs)
        rej = np.broadcast_to(p.rejection[:, None], s.flow.shape).copy()
        for k, v in self.rejections.items():
            rej[:, cs.index(k)] = v
        frac = (1.0 - rej) * p.recovery[:, None]
        frac[:, iw] = p.recovery
        frac = np.where(cs.is_gas | (np.arange(len(cs)) == iw), frac, 0.0)  # solids stay in the brine
        frac = np.where(np.array(cs.ids) == "H2O", p.recovery[:, None], frac)
        perm = s.flow * frac
        brine = s.flow - perm
        m3 = (perm[:, iw] * cs.molar_mass[iw]) / RHO_WATER
        power = p.specific_energy * m3 * KWH
        outs = {"permeate": Stream(cs, perm, s.T.copy(), np.minimum(p.P_permeate, s.P), s.origin, check=False),
                "brine": Stream(cs, brine, s.T.copy(), s.P.copy(), s.origin, check=False)}
        heat = sum(o.enthalpy for o in outs.values()) - s.enthalpy - power
        design = {"permeate_m3_per_h": m3 * 3600, "power_kW": power / 1e3}
        return UnitResult(outs, heat, power, design, {"electricity_W": power})

    def build_pyomo(self, b, p, init) -> None:
        """Twin: permeate_j = recovery x (1 - rejection_j) x feed_j (water: recovery; solids:
        0), brine = feed - permeate; power = specific energy x permeate volume; ``heat``
        closes the balance. Frozen: min(P_permeate, P)."""
        import pyomo.environ as pyo

        from ..twin.helpers import set_flows

        u = pyo.units
        cs = b.config.property_package.cs
        iw = _iw(cs)
        fi = b.sin("feed")
        f = fi.flow_mol_comp
        rec = b.par["recovery"]

        def frac(j):
            if j in ("H2O", "H2O(L)"):
                return rec
            if not cs.is_gas[cs.index(j)]:
                return 0.0
            return (1 - (self.rejections[j] if j in self.rejections else b.par["rejection"])) * rec

        perm = {j: frac(j) * f[j] for j in cs.ids}
        set_flows(b, "permeate", perm, "permeate by recovery and rejection")
        set_flows(b, "brine", {j: f[j] - perm[j] for j in cs.ids}, "brine = feed - permeate")
        b.same_state("permeate", "feed", P=False)
        b.same_state("brine", "feed")
        Pp = b.pv("P_permeate") if float(p["P_permeate"]) <= float(init.inlets["feed"].P[0]) else fi.pressure
        b.eq_P_permeate = pyo.Constraint(expr=b.sout("permeate").pressure == Pp, doc="min(P_permeate, P)")
        m3 = perm[cs.ids[iw]] * b.config.property_package.mw["H2O(L)"] / (RHO_WATER * u.kg / u.m**3)
        b.eq_power = pyo.Constraint(expr=b.power == u.convert(b.pv("specific_energy") * m3, to_units=u.W),
                                    doc="electricity = specific energy x permeate m3")
        b.add_energy_balance("energy balance: heat = H_out - H_in - power")


class Demineralisation(Unit):
    """Ultrapure (demineralised) water for electrolysis: raw water in, demin water and reject
    out. ``recovery`` of the water becomes pure H2O(L) (all dissolved species and solids go
    to the reject); typical RO + electrodeionisation trains recover 60-80 %, i.e. 1.3-1.7 m3
    raw water per m3 demin water. Electricity ``specific_energy`` per m3 demin water (default
    3 kWh/m3, the upper seawater-RO value used for electrolysis water by Beswick et al. 2021,
    small against 50-55 MWh per t H2); chemicals ``chemicals_kg_per_m3`` (antiscalant, pH
    control, regeneration). Power is dissipated into the reject; outlets at feed T.

    References
    ----------
    Beswick, R.R., Oliveira, A.M., Yan, Y. (2021), Does the green hydrogen economy have a
    water problem?, ACS Energy Lett. 6:3167-3169, doi:10.1021/acsenergylett.1c01375.
    """

    inlets = ("feed",)
    outlets = ("demin_water", "reject")
    params = {
        "recovery": Param(0.75, "", 0.05, 0.99, "water fraction to demin water [-]"),
        "specific_energy": Param(3.0, "kWh/m^3", 0.0, 20.0, "electricity per m3 demin water [kWh/m3]"),
        "chemicals_kg_per_m3": Param(0.05, "kg/m^3", 0.0, 10.0, "chemicals per m3 demin water"),
    }
    costs = (Cost("ref.demineralisation", "demin_m3_per_h"),)

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs = s.cs
        iw = _iw(cs)
        demin = np.zeros_like(s.flow)
        demin[:, iw] = p.recovery * s.flow[:, iw]
        rej = s.flow - demin
        m3 = demin[:, iw] * cs.molar_mass[iw] / RHO_WATER
        power = p.specific_energy * m3 * KWH
        outs = {"demin_water": Stream(cs, demin, s.T.copy(), s.P.copy(), s.origin, check=False),
                "reject": Stream(cs, rej, s.T.copy(), s.P.copy(), s.origin, check=False)}
        heat = sum(o.enthalpy for o in outs.values()) - s.enthalpy - power
        design = {"demin_m3_per_h": m3 * 3600, "power_kW": power / 1e3,
                  "demin_water_kg_s": demin[:, iw] * cs.molar_mass[iw]}
        # the demineralised water is made here (costed as this unit): not a purchased utility
        util = {"electricity_W": power, "chemicals_kg_s": p.chemicals_kg_per_m3 * m3}
        return UnitResult(outs, heat, power, design, util)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: demin water = recovery x water fed, reject = the rest; power = specific energy
        x demin volume; outlets at the feed state; ``heat`` closes the balance."""
        import pyomo.environ as pyo

        from ..twin.helpers import set_flows

        u = pyo.units
        cs = b.config.property_package.cs
        fi = b.sin("feed")
        demin = b.par["recovery"] * fi.flow_mol_comp["H2O(L)"]
        set_flows(b, "demin_water", {"H2O(L)": demin}, "demin water")
        set_flows(b, "reject", {j: fi.flow_mol_comp[j] - (demin if j == "H2O(L)" else 0.0 * u.mol / u.s)
                                for j in cs.ids}, "reject = feed - demin water")
        b.same_state("demin_water", "feed")
        b.same_state("reject", "feed")
        m3 = demin * b.config.property_package.mw["H2O(L)"] / (RHO_WATER * u.kg / u.m**3)
        b.eq_power = pyo.Constraint(expr=b.power == u.convert(b.pv("specific_energy") * m3, to_units=u.W),
                                    doc="electricity = specific energy x demin m3")
        b.add_energy_balance("energy balance: heat = H_out - H_in - power")
