"""Plastic waste to circular ethylene and propylene: washing, pyrolysis, hydrotreating, fractionation, naphtha co-fed to a steam cracker.

Mixed post-consumer plastic waste (default ``mixed_pcw_film_rigid``; any feedstock with a
polymer mix in property_data/feedstocks.yaml, or a blend of them) -> shredder -> washing line
(wash water to water treatment; sand and dirt washed out) -> dryer (to 2 wt% moisture) ->
fluidised-bed pyrolysis reactor at 500 degC (product slates by polymer and temperature,
property_data/pyrolysis_yields.yaml) -> condenser (pyrolysis gas; reaction water with the
dissolved HCl and NH3; oil) -> dechlorination/hydrotreating with H2 (olefins saturated; Cl, O, N
removed as HCl, H2O, NH3) -> high-pressure separator with wash water (the HCl and NH3 leave in
the sour water) -> fractionation into naphtha (C5-C11), diesel (C12-C20) and wax (C21+) ->
naphtha co-fed to an existing steam cracker (ethylene and propylene: the main product, "light
olefins"; C4, pyrolysis gasoline and fuel oil as by-products). The pyrolysis gas, the char and
the hydrotreater off-gas fire the process heater whose heat drives the pyrolysis reactor; its
surplus raises the plant's own steam (dryer, hydrotreater preheat, sour-water stripper:
carbonhub.costing.heat_supply.own_fuel_raises_steam), so the plant buys no steam, and only what
is left is sold as fuel gas at the natural-gas price (``fuel_gas_export``). Its flue gas passes
a caustic scrubber that takes out the HCl from PVC (blowdown with the chloride to wastewater
treatment, NaOH a priced consumable). The cracker's fuel gas (H2, CH4, ethane) stays in the host
cracker's fuel system: it fires the cracker's own furnace (``cracker_furnace``,
:class:`~carbonhub.unitops.cracker.CrackerFurnace`, flue gas to ``cracker_stack``), whose heat
pays the cracker's own fired duty (the net cracking duty of the co-feed); the rest is fuel left
in the host's network (also ``fuel_gas_export``). The wash water, the reaction water and the
sour water go through a sour-water stripper and biological treatment.

H2 (``build(h2_source=...)``): ``"purchased"`` (default; bought hydrogen of the origin
``prices.hydrogen_origin``: grey SMR hydrogen by default, as refinery hydrotreaters are fed in
NW Europe, with its price and fossil CO2, or green; carbonhub.costing.hydrogen) or
``"electrolyser"`` (PEM electrolysis of process water on site; O2 vented). Either way the H2
is the make-up of the hydrotreater's treat-gas loop, as a hydrotreater is built: the make-up
(stream ``h2_makeup``) and the recycle gas (``ht_recycle``) mix in ``treat_gas_mixer`` into the
treat gas (``h2``); after the high-pressure separator (its wash water takes the HCl and NH3)
the separator gas (``ht_separator_gas``: the unreacted H2 and the light gases the reactions
make) is split by ``ht_purge`` (``fraction`` 0.1 to the heater's fuel, stream ``ht_offgas``,
which keeps the light gases from building up) and the rest returns through
``ht_recycle_compressor`` (Turton, costed by its power in the upgrading area) to the reactor
pressure + :data:`LOOP_DP`. The design spec :func:`treat_gas_spec` sets the make-up
(``h2_feed.ratio`` kg per kg oil; with the electrolyser ``h2_feed`` is its water, x
M(H2O)/M(H2)) so that the treat gas carries ``treat_gas.excess`` (3) x the H2 the hydrotreater
consumes; the make-up is then the consumption plus the H2 purged, C (1 + f (e - 1)) = 1.2 C
at the defaults (1.24 wt% of the oil against 1.03 wt% consumed; before the loop 1.5 wt% was
fed once through and the excess burnt).

KPIs beyond the standard ones: ``products_t_per_t_feed.ethylene`` (t circular ethylene per t of
plastic waste as received) and the same for every product; the carbon origin of the feed
(``recycled`` for fossil plastics, ``biogenic`` for paper) follows into the products.

Product basis: the route's economic KPI is the break-even gate fee per t of waste as received,
``gate_fee_eur_per_t_feed`` (costing/gate_fee.py; negative: what the plant can pay for its
waste), with ethylene and propylene at their market prices and the by-products (C4, pyrolysis
gasoline, fuel oil, the diesel and wax cuts) at theirs (property_data/prices.yaml). The MSP of
the light olefins (``msp_eur_per_t``) is still computed, but at the defaults it is negative: the
by-products, about 0.5 t per t of waste against 0.12 t of light olefins, pay for the plant, so
an olefin price is no measure of it.

Documented simplifications: organic liquids keep their ideal-gas enthalpy (as all C5+ lumps of
carbonhub), so the condenser duty misses their latent heat; the cracker is an existing one
with spare capacity (scope: the co-feed carries no capital, nor the host's dilution steam and
cold end; the unit's cost note says so in docs/units.md); of the washing line the
sink-float tank (Turton vessel) and the dewatering centrifuge (Seider et al. 2017 via
BioSTEAM, sized on its dry solids) are priced (no public cost of friction washers and screens
found); the pyrolysis plant (reactor, condenser, heater) is one block cost
(``ref.plastics_pyrolysis_plant``); the flue-gas scrubber is a venturi scrubber
(``ref.syngas_scrubber``) and its NaOH is counted as a consumable, not as a stream (sodium is
not a balanced element).

Reference cases: see flowsheets/plastics_pyrolysis.yaml (Pryme One, Rotterdam: 40,000 t/y of
mixed plastic waste to about 30,000 t/y of pyrolysis oil; Zabaniotou & Vaskalis 2023, PP oil
yield; Riedewald et al. 2021, CAPEX of a 40,000 t/y mixed-plastic pyrolysis plant).
"""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np

import carbonhub as ch
from carbonhub.core.flowsheet import DesignSpec
from carbonhub.core.unit import Param
from carbonhub.costing.flowsheet import add_economics
from carbonhub.thermo.components import pyrolysis_components
from carbonhub.unitops.basic import ComponentSplitter, Heater, Mixer, Splitter
from carbonhub.unitops.cracker import CrackerFurnace, SteamCracker
from carbonhub.unitops.electrolysis import Electrolyser
from carbonhub.unitops.hydrotreating import Hydrotreater
from carbonhub.unitops.machines import Compressor
from carbonhub.unitops.plastics import FlueGasScrubber, PlasticsWasher
from carbonhub.unitops.pretreatment import Dryer, FeedHandling
from carbonhub.unitops.pyrolysis import FiredHeater, PyrolysisCondenser, PyrolysisReactor
from carbonhub.unitops.sources import CombustionAir, Feedstock, ProportionalFeed, Sink
from carbonhub.unitops.water import BiologicalTreatment, SourWaterStripper

# flowsheets/ is not a package: load the shared sections (flowsheets/_sections.py) by path
_spec = importlib.util.spec_from_file_location("carbonhub_routes._sections", Path(__file__).with_name("_sections.py"))
S = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(S)

NAME = "plastics_pyrolysis"
H2Source = Literal["purchased", "electrolyser"]
"""Where the hydrotreater's H2 comes from (``build(h2_source=...)``)."""
H2_SOURCES = get_args(H2Source)
NAPHTHA = ("C8H18", "C8H16", "C6H6", "C7H8", "C8H8", "C8H10", "C6H5OH", "CH3CN", "CH2Cl2", "C5H12", "C7H16")
DIESEL = ("C16H34", "C16H32", "C10H8", "C12H26")
CL_OUTLETS = ("treated_water", "sws_offgas", "bio_offgas", "sludge", "stack", "scrubber_blowdown", "cracker_stack")
"""Sinks through which the feed's chlorine leaves (``zld=True``: ZLD_CL_OUTLETS)."""
ZLD_CL_OUTLETS = ("zld_salts", "zld_vent", "sws_offgas", "bio_offgas", "stack", "cracker_stack")
"""The same with zero liquid discharge: the treated water, the sludge and the flue-gas scrubber
blowdown go to the evaporator/crystalliser, the chloride crystallises as NH4Cl in zld_salts."""


LOOP_DP = 1e5
"""Pressure drop round the hydrotreater's gas loop [Pa] (reactor, effluent cooler, separator):
the recycle compressor returns the separator gas to the hydrotreater pressure + LOOP_DP, the
make-up H2 arrives at it (1 bar, as the methanol loop, flowsheets/_sections.py MethanolLoop)."""


def treat_gas_spec(per_h2: float = 1.0) -> DesignSpec:
    """Design spec: the make-up (``h2_feed.ratio``, kg per kg oil, or its electrolyser water:
    ``per_h2`` kg water per kg H2) so that the treat gas reaching the hydrotreater (make-up +
    recycle, stream ``h2``) carries ``treat_gas.excess`` mol H2 per mol its conversions need
    (``h2_demand_mol_s``: its consumption; measured against the demand so that the measure
    stays monotonic, M/demand, where a trial make-up is short). The loop
    returns the separator gas less the purge (``ht_purge.fraction``), so at the solution the
    make-up is the consumption plus the H2 purged: treat gas T = excess x C, make-up =
    C + fraction x (T - C). Linear in the make-up (the bracketing secant meets it after the
    two bounds); in the twin the equation H2(h2) = excess x consumption."""

    def measure(state) -> np.ndarray:
        c = state.unit("hydrotreater").design["h2_demand_mol_s"]
        return np.divide(state.stream("h2")["H2"], c, out=np.zeros_like(c), where=c > 0)

    def pyomo_measure(m):
        import pyomo.environ as pyo

        ht = m.fs.hydrotreater
        return ht.sin("h2").flow_mol_comp["H2"] / (pyo.units.mol / pyo.units.s), ht.design["h2_demand_mol_s"]

    return DesignSpec("treat_gas", "h2_feed.ratio", measure, "treat_gas.excess", 0.002 * per_h2, 0.05 * per_h2,
                      tol=1e-9, doc="H2 fed to the hydrotreater = treat_gas.excess x H2 consumed, by the make-up "
                                    "h2_feed.ratio", measured_unit="hydrotreater", pyomo_measure=pyomo_measure)


def build(h2_source: H2Source = "purchased", zld: bool = False, **params: Any) -> ch.Flowsheet:
    """Build the route; ``params`` are ``unit.param`` values applied on top of the defaults
    (e.g. ``build(**{"feed.feedstock": "sorted_polyolefins"})``). ``h2_source``: the
    hydrotreater's H2 bought (``"purchased"``, priced and counted by ``prices.hydrogen_origin``) or made on site by PEM
    electrolysis of process water (``"electrolyser"``, O2 vented). ``zld=True``: the treated
    water and the sludge go to a zero-liquid-discharge evaporator/crystalliser
    with the flue-gas scrubber's blowdown (flowsheets/_sections.py ZeroLiquidDischarge; the
    chloride leaves as solid NH4Cl, the
    distillate is reused, ``water.reuse = "all"``: cooling-tower make-up, then process water)."""
    if h2_source not in H2_SOURCES:
        raise ValueError(f"h2_source = {h2_source!r}: expected one of {', '.join(H2_SOURCES)}")
    fs = ch.Flowsheet(NAME, components=pyrolysis_components())
    D = ch.routes.RouteDefaults(NAME)  # the route's defaults (plastics_pyrolysis.yaml), their one home
    P_ht = D["hydrotreater.P"]
    c = fs.connect
    # -- feed and pretreatment
    feed = Feedstock("feed", feedstock=D["feed.feedstock"])
    shredder = FeedHandling("shredder")
    wash_water = ProportionalFeed("wash_water", composition={"H2O(L)": 1.0}, basis="dry_mass",
                                  T=298.15, P=1.2e5, category="process_water")
    washer = PlasticsWasher("washer")
    dryer = Dryer("dryer")
    # -- pyrolysis and condensation
    pyro = PyrolysisReactor("pyrolysis")
    cond = PyrolysisCondenser("condenser")
    # -- hydrotreating, separation, fractionation
    P_loop = P_ht + LOOP_DP  # the treat gas enters the reactor at the loop's top pressure
    cs = fs.components
    # make-up H2 per kg oil (or its electrolyser water): only a first value, the design spec
    # treat_gas_spec sets it case by case
    per_h2 = 1.0 if h2_source == "purchased" else cs.molar_mass[cs.index("H2O(L)")] / cs.molar_mass[cs.index("H2")]
    if h2_source == "purchased":
        h2 = ProportionalFeed("h2_feed", composition={"H2": 1.0}, basis="dry_mass", ratio=0.012,
                              T=313.15, P=P_loop, category="hydrogen")
        h2_units = [h2]
    else:
        h2 = ProportionalFeed("h2_feed", composition={"H2O(L)": 1.0}, basis="dry_mass",
                              ratio=0.012 * per_h2, T=298.15, P=30e5, category="process_water")
        electrolyser = Electrolyser("electrolyser", technology="pem", P=P_loop, T=313.15)
        h2_units = [h2, electrolyser]
    treat_mix = Mixer("treat_gas_mixer", n_inlets=2)  # make-up + recycle gas
    ht = Hydrotreater("hydrotreater", P=P_ht, h2_short="scale")  # short only at the spec's trial points
    ht_purge = Splitter("ht_purge", fraction=D["ht_purge.fraction"])
    recycle_comp = Compressor("ht_recycle_compressor", P_out=P_loop)
    h2_units += [treat_mix]
    ht_wash = ProportionalFeed("ht_wash_water", composition={"H2O(L)": 1.0}, basis="dry_mass",
                               T=313.15, P=P_ht, category="process_water")
    ht_mix = Mixer("ht_wash_mixer", n_inlets=2)
    ht_sep = PyrolysisCondenser("ht_separator", hcl_to_water=1.0, nh3_to_water=1.0)
    frac = ComponentSplitter("fractionator", split={k: 1.0 for k in NAPHTHA})
    heavy = ComponentSplitter("heavy_splitter", split={k: 1.0 for k in DIESEL})
    cracker = SteamCracker("cracker")
    # -- heat: pyrolysis gas, char and hydrotreater off-gas fire the heater; the cracker's fuel
    # gas stays in the host cracker's fuel system and fires its own furnace
    fuel_mix = Mixer("fuel_mixer", n_inlets=3)
    cracker_air = CombustionAir("cracker_air", excess_air=0.15)
    cracker_furnace = CrackerFurnace("cracker_furnace")
    air = CombustionAir("heater_air", excess_air=0.15)
    heater = FiredHeater("heater")
    scrub_water = ProportionalFeed("scrubber_water", composition={"H2O(L)": 1.0}, basis="dry_mass",
                                   T=298.15, P=1.2e5, category="process_water")
    scrubber = FlueGasScrubber("flue_gas_scrubber")
    # -- water treatment: wash water, reaction water, sour water
    ww_mix = Mixer("ww_mixer", n_inlets=3 if h2_source == "purchased" else 4)
    sws = SourWaterStripper("sws")
    ww_cool = Heater("ww_cooler", T=308.15)
    bio_air = CombustionAir("bio_air", excess_air=1.0)
    bio = BiologicalTreatment("biotreatment")
    zero = S.ZeroLiquidDischarge(n_inlets=3) if zld else None  # treated water, sludge, scrubber blowdown
    for u in [feed, shredder, wash_water, washer, dryer, pyro, cond, *h2_units, ht, ht_wash, ht_mix, ht_sep,
              ht_purge, recycle_comp, frac, heavy, cracker, cracker_air, cracker_furnace, fuel_mix, air, heater, scrub_water, scrubber, ww_mix, sws, ww_cool, bio_air, bio,
              *(zero.units if zld else [])]:
        fs.add(u)
    sinks = {k: fs.add(s) for k, s in {
        "ethylene": Sink("ethylene", "product", product="ethylene", main=True),
        "propylene": Sink("propylene", "product", product="propylene", main=True),
        "c4": Sink("c4", "byproduct", product="c4_mix"),
        "pygas": Sink("pygas", "byproduct", product="pyrolysis_gasoline"),
        "fuel_oil": Sink("fuel_oil", "byproduct", product="pyrolysis_fuel_oil"),
        "diesel": Sink("diesel", "byproduct", product="pyrolysis_diesel"),
        "wax": Sink("wax", "byproduct", product="pyrolysis_wax"),
        "stack": Sink("stack", "emission"),
        "cracker_stack": Sink("cracker_stack", "emission"),
        "dryer_exhaust": Sink("dryer_exhaust", "emission"),
        "sws_offgas": Sink("sws_offgas", "emission"),
        "bio_offgas": Sink("bio_offgas", "emission"),
        **({} if zld else {"sludge": Sink("sludge", "solid_residue"),
                           "treated_water": Sink("treated_water", "wastewater", treated_on_site=True),
                           "scrubber_blowdown": Sink("scrubber_blowdown", "wastewater")}),
        **({"o2_vent": Sink("o2_vent", "emission")} if h2_source == "electrolyser" else {}),
    }.items()}
    if zld:
        S.add(fs, zero.sinks)

    c(feed.outlets.out, shredder.inlets.feed)
    c(shredder.outlets.out, wash_water.inlets.ref)
    c(wash_water.outlets.ref, washer.inlets.feed)
    c(wash_water.outlets.out, washer.inlets.water, id="wash_water")
    c(washer.outlets.out, dryer.inlets.feed)
    c(washer.outlets.wastewater, ww_mix.inlets.in1, id="wash_wastewater")
    c(dryer.outlets.exhaust, sinks["dryer_exhaust"].inlets.feed)
    c(dryer.outlets.out, pyro.inlets.feed, id="pyrolysis_feed")
    c(pyro.outlets.vapour, cond.inlets.feed, id="pyrolysis_vapour")
    c(pyro.outlets.char, fuel_mix.inlets.in2, id="char")
    c(cond.outlets.gas, fuel_mix.inlets.in1, id="pyrolysis_gas")
    c(cond.outlets.water, ww_mix.inlets.in2, id="reaction_water")
    c(cond.outlets.oil, h2.inlets.ref, id="pyrolysis_oil")
    c(h2.outlets.ref, ht.inlets.feed)
    if h2_source == "purchased":
        c(h2.outlets.out, treat_mix.inlets.in1, id="h2_makeup")
    else:
        c(h2.outlets.out, electrolyser.inlets.water, id="electrolyser_water")
        c(electrolyser.outlets.h2, treat_mix.inlets.in1, id="h2_makeup")
        c(electrolyser.outlets.o2, sinks["o2_vent"].inlets.feed)
        c(electrolyser.outlets.water_out, ww_mix.inlets.in4, id="electrolyser_water_out")
    c(ht.outlets.product, ht_wash.inlets.ref)
    c(ht_wash.outlets.ref, ht_mix.inlets.in1)
    c(ht_wash.outlets.out, ht_mix.inlets.in2)
    c(ht_mix.outlets.out, ht_sep.inlets.feed)
    c(treat_mix.outlets.out, ht.inlets.h2, id="h2")
    c(ht_sep.outlets.gas, ht_purge.inlets.feed, id="ht_separator_gas")
    c(ht_purge.outlets.purge, fuel_mix.inlets.in3, id="ht_offgas")
    c(ht_purge.outlets.out, recycle_comp.inlets.feed)
    c(recycle_comp.outlets.out, treat_mix.inlets.in2, id="ht_recycle")
    fs.tear_hints.append("ht_recycle")
    c(ht_sep.outlets.water, ww_mix.inlets.in3, id="sour_water")
    c(ht_sep.outlets.oil, frac.inlets.feed, id="hydrotreated_oil")
    c(frac.outlets.top, cracker.inlets.feed, id="naphtha")
    c(frac.outlets.bottom, heavy.inlets.feed)
    c(heavy.outlets.top, sinks["diesel"].inlets.feed, id="diesel_cut")
    c(heavy.outlets.bottom, sinks["wax"].inlets.feed, id="wax_cut")
    for k in ("ethylene", "propylene", "c4", "pygas", "fuel_oil"):
        c(getattr(cracker.outlets, k), sinks[k].inlets.feed)
    c(cracker.outlets.fuel_gas, cracker_air.inlets.fuel, id="cracker_fuel_gas")
    c(cracker_air.outlets.fuel, cracker_furnace.inlets.fuel)
    c(cracker_air.outlets.air, cracker_furnace.inlets.air)
    c(cracker_furnace.outlets.flue_gas, sinks["cracker_stack"].inlets.feed, id="cracker_flue_gas")
    c(fuel_mix.outlets.out, air.inlets.fuel)
    c(air.outlets.fuel, heater.inlets.fuel)
    c(air.outlets.air, heater.inlets.air)
    c(heater.outlets.flue_gas, scrub_water.inlets.ref, id="flue_gas")
    c(scrub_water.outlets.ref, scrubber.inlets.gas)
    c(scrub_water.outlets.out, scrubber.inlets.water, id="scrubber_water")
    c(scrubber.outlets.gas, sinks["stack"].inlets.feed, id="stack_gas")
    c(scrubber.outlets.wastewater, zero.inlets.in3 if zld else sinks["scrubber_blowdown"].inlets.feed,
      id="scrubber_blowdown")
    c(ww_mix.outlets.out, sws.inlets.feed)
    c(sws.outlets.offgas, sinks["sws_offgas"].inlets.feed)
    c(sws.outlets.stripped_water, ww_cool.inlets.feed)
    c(ww_cool.outlets.out, bio_air.inlets.fuel)
    c(bio_air.outlets.fuel, bio.inlets.feed)
    c(bio_air.outlets.air, bio.inlets.air)
    c(bio.outlets.offgas, sinks["bio_offgas"].inlets.feed)
    if zld:
        zero.connect(fs, in1=bio.outlets.treated_water, in2=bio.outlets.sludge)
    else:
        c(bio.outlets.treated_water, sinks["treated_water"].inlets.feed)
        c(bio.outlets.sludge, sinks["sludge"].inlets.feed)

    fs.add_group("treat_gas", {"excess": Param(D["treat_gas.excess"], "", 1.05, 10.0,
                                               "H2 fed to the hydrotreater per H2 it consumes [mol/mol]")})
    fs.add_spec(treat_gas_spec(per_h2))
    add_economics(fs, ["ethylene", "propylene"], main_name="light_olefins")
    ch.routes.apply_defaults(fs, D)
    if zld:
        fs.set("water.reuse", "all")
    for k, v in params.items():
        fs.set(k, v)
    return fs

