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

RHO_WATER = 997.0  # kg/m3 at 298 K (IAPWS-95), for volumetric flows
M_O2 = 0.0319988


def _zero(n: int) -> np.ndarray:
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
        for cid, rec in (("NH3", p.nh3_recovery), ("H2S", p.h2s_recovery), ("CO2", p.co2_recovery)):
            if cid in cs:
                gas[:, cs.index(cid)] = rec * f[:, cs.index(cid)]
        liq = f - gas
        # water vapour saturating the off-gas (needs H2O in the component set)
        T_bot = _boiling_T(p.P)
        if "H2O" in cs:
            y = vapour_pressure(["H2O"], p.T_offgas, policy="raise")[:, 0] / p.P
            wv = np.minimum(gas.sum(axis=1) * y / (1.0 - y), f[:, iw])
            gas[:, cs.index("H2O")] = wv
            liq[:, iw] -= wv
        liq = np.clip(liq, 0.0, None)
        gout = Stream(cs, gas, p.T_offgas.copy(), p.P.copy(), s.origin, check=False)
        lout = Stream(cs, liq, T_bot, p.P.copy(), s.origin, check=False)
        heat = gout.enthalpy + lout.enthalpy - s.enthalpy
        m3 = s.flow[:, iw] * cs.molar_mass[iw] / RHO_WATER + (
            s.flow[:, cs.index("H2O")] * cs.molar_mass[iw] / RHO_WATER if "H2O" in cs else 0.0)
        steam = p.steam_kg_per_m3 * m3
        design = {"feed_m3_per_h": m3 * 3600, "duty_W": heat, "T_bottom_K": T_bot}
        util = {"steam_heat_W": steam * 2.1e6, "steam_kg_s": steam, "cooling_W": np.maximum(steam * 2.1e6 - heat, 0.0)}
        return UnitResult({"offgas": gout, "stripped_water": lout}, heat, _zero(p.n), design, util)


def _boiling_T(P: np.ndarray) -> np.ndarray:
    """Boiling temperature of water [K] at P [Pa] (Perry Table 2-8 inverted by Newton)."""
    from ..thermo.kvalues import _Dippr, kvalue_data

    d = _Dippr([kvalue_data()["vapour_pressure"]["H2O"]])
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
    }
    costs = (Cost("ref.biological_wastewater_treatment", "feed_m3_per_h"),)

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
        removed = np.where(bio, s.flow * p.cod_removal[:, None], 0.0)
        el = removed @ E
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
        rem = np.where(ok[:, None], removed, 0.0)
        water = s.flow - rem
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
        sludge = np.zeros_like(water)
        sludge[:, i_c] = np.where(ok, n_cs, 0.0)
        m_solid = sludge[:, i_c] * (cs.molar_mass[i_c] + cs.molar_mass[iw])
        sl_w = np.minimum(np.where(ok, n_cs, 0.0) + m_solid * (1 / p.sludge_solids - 1) / cs.molar_mass[iw],
                          water[:, iw] + np.where(ok, n_cs, 0.0))
        sludge[:, iw] = sl_w
        water[:, iw] -= sl_w - np.where(ok, n_cs, 0.0)
        # off-gas saturated with water vapour at the water temperature
        if "H2O" in cs:
            y = vapour_pressure(["H2O"], s.T, policy="raise")[:, 0] / np.minimum(a.P, s.P)
            wv = np.minimum(gas.sum(axis=1) * y / np.maximum(1.0 - y, 1e-6), np.maximum(water[:, iw], 0.0))
            gas[:, cs.index("H2O")] += wv
            water[:, iw] -= wv
        water = np.clip(water, 0.0, None)
        org = mix_origins([s, a])
        P_out = np.minimum(s.P, a.P)
        outs = {"treated_water": Stream(cs, water, s.T.copy(), s.P.copy(), org, check=False),
                "offgas": Stream(cs, gas, s.T.copy(), P_out, org, check=False),
                "sludge": Stream(cs, sludge, s.T.copy(), s.P.copy(), org, check=False)}
        power = o2_use * M_O2 / p.aeration_efficiency * 3.6e6  # W
        h_out = sum(o.enthalpy for o in outs.values())
        heat = h_out - s.enthalpy - a.enthalpy - power
        design = {"feed_m3_per_h": _water_m3_s(s) * 3600,
                  "cod_in_kg_per_h": (s.flow @ cod) * M_O2 * 3600,
                  "cod_removed_kg_per_h": np.where(ok, (removed @ cod) * M_O2 * 3600, 0.0),
                  "o2_consumed_kg_per_h": o2_use * M_O2 * 3600, "o2_required_mol_s": o2_need,
                  "sludge_kg_per_h": sludge @ cs.molar_mass * 3600, "power_kW": power / 1e3}
        return UnitResult(outs, heat, power, design, {"electricity_W": power},
                          None if ok.all() else status)


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
        power = p.specific_energy * m3 * 3.6e6
        outs = {"permeate": Stream(cs, perm, s.T.copy(), np.minimum(p.P_permeate, s.P), s.origin, check=False),
                "brine": Stream(cs, brine, s.T.copy(), s.P.copy(), s.origin, check=False)}
        heat = sum(o.enthalpy for o in outs.values()) - s.enthalpy - power
        design = {"permeate_m3_per_h": m3 * 3600, "power_kW": power / 1e3}
        return UnitResult(outs, heat, power, design, {"electricity_W": power})


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
        power = p.specific_energy * m3 * 3.6e6
        outs = {"demin_water": Stream(cs, demin, s.T.copy(), s.P.copy(), s.origin, check=False),
                "reject": Stream(cs, rej, s.T.copy(), s.P.copy(), s.origin, check=False)}
        heat = sum(o.enthalpy for o in outs.values()) - s.enthalpy - power
        design = {"demin_m3_per_h": m3 * 3600, "power_kW": power / 1e3}
        util = {"electricity_W": power, "chemicals_kg_s": p.chemicals_kg_per_m3 * m3,
                "demin_water_kg_s": demin[:, iw] * cs.molar_mass[iw]}
        return UnitResult(outs, heat, power, design, util)
