"""Biomass to FT fuels: drying, O2/steam gasification, cleanup, shift, CO2 capture, FT with tail-gas recycle, wax hydrocracking.

Wood chips (or any solid feedstock) -> size reduction -> belt dryer -> pressurised O2/steam-blown
fluidised-bed gasifier (autothermal: the ASU's air intake is a design spec) -> syngas cooler
(steam raising) -> water scrubber (HCl, NH3, particulates) -> ZnO sulphur guard -> water-gas
shift to H2/CO = 2.1 -> acid-gas removal with CO2 capture (compressed to 110 bar for storage)
-> cobalt slurry FT with tail-gas recycle and purge -> hydrocracking of the wax with H2 from a
PSA on a syngas slipstream -> naphtha / jet / diesel. Purge, PSA tail gas and cracker off-gas
fire a boiler (steam credit). All aqueous streams (scrubber, FT water, CO2 condensate) go
through a sour-water stripper and biological treatment.

Reference case: Swanson, R.M., Platon, A., Satrio, J.A., Brown, R.C. (2010), Techno-economic
analysis of biomass-to-liquids production based on gasification, Fuel 89:S11-S19,
doi:10.1016/j.fuel.2010.07.027 (NREL/TP-6A20-46587): 2,000 dry t/d, low-temperature (870 degC)
O2/steam fluidised-bed scenario. See flowsheets/biomass_ft.yaml.
"""
from __future__ import annotations

from typing import Any

import carbonhub as ch
from carbonhub.costing.flowsheet import add_economics
from carbonhub.unitops.basic import Heater, Mixer, Splitter
from carbonhub.unitops.cleanup import AcidGasRemoval, CO2Compression, Scrubber, SulphurRemoval, SyngasCooler, WaterGasShift
from carbonhub.unitops.gasification import AirSeparationUnit, Gasifier, autothermal_spec
from carbonhub.unitops.pretreatment import Dryer, FeedHandling
from carbonhub.unitops.separations import PSA
from carbonhub.unitops.sources import AIR, CombustionAir, Feedstock, GasSource, ProportionalFeed, Sink
from carbonhub.unitops.synthesis import FischerTropsch
from carbonhub.unitops.upgrading import Hydrocracker, ProductFractionator
from carbonhub.unitops.utilities import Boiler, Compressor
from carbonhub.unitops.water import BiologicalTreatment, SourWaterStripper

NAME = "biomass_ft"
P_GASIFIER = 28e5  # Pa (Swanson et al. 2010, low-temperature scenario: 28 bar)


def build(**params: Any) -> ch.Flowsheet:
    """Build the route; ``params`` are ``unit.param`` values applied on top of the defaults."""
    fs = ch.Flowsheet(NAME)
    u = fs.add
    feed = u(Feedstock("feed", feedstock="wood_chips", rate_dry_t_per_h=2000 / 24))
    handling = u(FeedHandling("handling"))
    dryer = u(Dryer("dryer", moisture_out_wt_pct=10.0))
    air = u(ProportionalFeed("air", composition=AIR, basis="dry_mass", ratio=1.5, category="air",
                             origin="atmospheric"))
    asu = u(AirSeparationUnit("asu"))
    steam = u(ProportionalFeed("gasifier_steam", composition={"H2O": 1.0}, basis="dry_mass", ratio=0.3,
                               T=573.15, P=P_GASIFIER + 2e5, category="steam_mp"))
    gasifier = u(Gasifier("gasifier", T=1143.15, P=P_GASIFIER, carbon_conversion=0.97, ch4_slip=0.08,
                          heat_loss_fraction=0.02))
    cooler = u(SyngasCooler("cooler", T_out=573.15))
    scrub_water = u(ProportionalFeed("scrub_water", composition={"H2O(L)": 1.0}, basis="dry_mass", ratio=0.2,
                                     T=298.15, P=P_GASIFIER, category="process_water"))
    scrubber = u(Scrubber("scrubber", T_out=313.15))
    sulphur = u(SulphurRemoval("sulphur"))
    wgs_steam = u(ProportionalFeed("shift_steam", composition={"H2O": 1.0}, basis="mol:CO", ratio=1.0,
                                   T=573.15, P=P_GASIFIER, category="steam_mp"))
    wgs = u(WaterGasShift("wgs", mode="h2_co", h2_co=2.1, T=573.15))
    wgs_cool = u(Heater("wgs_cooler", T=313.15))
    agr = u(AcidGasRemoval("agr", technology="selexol", co2_capture=0.9))
    co2comp = u(CO2Compression("co2_compression", P_out=110e5))
    h2_split = u(Splitter("h2_split", fraction=0.03))
    psa = u(PSA("psa"))
    mixer = u(Mixer("ft_mixer", n_inlets=2))
    ft_heat = u(Heater("ft_preheat", T=493.15))
    ft = u(FischerTropsch("ft", co_conversion=0.6, alpha=0.9, ch4_extra=0.05, P=25e5))
    purge = u(Splitter("purge", fraction=0.2))
    recycle_comp = u(Compressor("recycle_compressor", P_out=P_GASIFIER - 1e5))
    h2_comp = u(Compressor("h2_compressor", P_out=50e5))
    hcr = u(Hydrocracker("hydrocracker"))
    frac = u(ProductFractionator("fractionator"))
    fuel_mix = u(Mixer("fuel_mixer", n_inlets=3))
    boiler_air = u(CombustionAir("boiler_air", excess_air=0.15))
    boiler = u(Boiler("boiler"))
    ww_mix = u(Mixer("ww_mixer", n_inlets=3))
    sws = u(SourWaterStripper("sws"))
    ww_cool = u(Heater("ww_cooler", T=308.15))
    bio_air = u(CombustionAir("bio_air", excess_air=1.0))
    bio = u(BiologicalTreatment("biotreatment"))
    naphtha = u(Sink("naphtha", category="product", product="ft_naphtha", main=True))
    jet = u(Sink("jet", category="product", product="ft_jet", main=True))
    diesel = u(Sink("diesel", category="product", product="ft_diesel", main=True))
    stack = u(Sink("stack", category="emission"))
    dryer_vent = u(Sink("dryer_vent", category="emission"))
    n2_vent = u(Sink("n2_vent", category="emission"))
    ash = u(Sink("ash", category="solid_residue"))
    sulphur_out = u(Sink("sulphur_out", category="solid_residue"))
    acid_gas = u(Sink("acid_gas", category="emission"))
    co2_store = u(Sink("co2_storage", category="co2_storage"))
    sws_gas = u(Sink("sws_offgas", category="emission"))
    bio_gas = u(Sink("bio_offgas", category="emission"))
    sludge = u(Sink("sludge", category="solid_residue"))
    water_out = u(Sink("treated_water", category="wastewater"))

    c = fs.connect
    c(feed.outlets.out, handling.inlets.feed)
    c(handling.outlets.out, dryer.inlets.feed)
    c(dryer.outlets.exhaust, dryer_vent.inlets.feed)
    c(dryer.outlets.out, steam.inlets.ref)
    c(steam.outlets.ref, air.inlets.ref)
    c(air.outlets.ref, gasifier.inlets.feed)
    c(steam.outlets.out, gasifier.inlets.steam)
    c(air.outlets.out, asu.inlets.air)
    c(asu.outlets.o2, gasifier.inlets.oxidant)
    c(asu.outlets.n2, n2_vent.inlets.feed)
    c(gasifier.outlets.ash, ash.inlets.feed)
    c(gasifier.outlets.syngas, cooler.inlets.feed)
    c(cooler.outlets.out, scrub_water.inlets.ref)
    c(scrub_water.outlets.ref, scrubber.inlets.gas)
    c(scrub_water.outlets.out, scrubber.inlets.water)
    c(scrubber.outlets.gas, sulphur.inlets.feed)
    c(sulphur.outlets.sulphur, sulphur_out.inlets.feed)
    c(sulphur.outlets.out, wgs_steam.inlets.ref)
    c(wgs_steam.outlets.ref, wgs.inlets.feed)
    c(wgs_steam.outlets.out, wgs.inlets.steam)
    c(wgs.outlets.out, wgs_cool.inlets.feed)
    c(wgs_cool.outlets.out, agr.inlets.feed)
    c(agr.outlets.co2, co2comp.inlets.feed)
    c(co2comp.outlets.out, co2_store.inlets.feed)
    c(agr.outlets.acid_gas, acid_gas.inlets.feed)
    c(agr.outlets.clean, h2_split.inlets.feed)
    c(h2_split.outlets.purge, psa.inlets.feed)
    c(psa.outlets.product, h2_comp.inlets.feed)
    c(h2_comp.outlets.out, hcr.inlets.h2)
    c(h2_split.outlets.out, mixer.inlets.in1)
    c(mixer.outlets.out, ft_heat.inlets.feed)
    c(ft_heat.outlets.out, ft.inlets.syngas)
    c(ft.outlets.gas, purge.inlets.feed)
    c(purge.outlets.out, recycle_comp.inlets.feed)
    c(recycle_comp.outlets.out, mixer.inlets.in2, id="ft_recycle")
    c(ft.outlets.liquid, hcr.inlets.feed)
    c(hcr.outlets.product, frac.inlets.feed)
    c(frac.outlets.naphtha, naphtha.inlets.feed)
    c(frac.outlets.jet, jet.inlets.feed)
    c(frac.outlets.diesel, diesel.inlets.feed)
    c(purge.outlets.purge, fuel_mix.inlets.in1)
    c(psa.outlets.tail_gas, fuel_mix.inlets.in2)
    c(hcr.outlets.offgas, fuel_mix.inlets.in3)
    c(fuel_mix.outlets.out, boiler_air.inlets.fuel)
    c(boiler_air.outlets.fuel, boiler.inlets.fuel)
    c(boiler_air.outlets.air, boiler.inlets.air)
    c(boiler.outlets.flue_gas, stack.inlets.feed)
    c(scrubber.outlets.wastewater, ww_mix.inlets.in1)
    c(ft.outlets.water, ww_mix.inlets.in2)
    c(co2comp.outlets.condensate, ww_mix.inlets.in3)
    c(ww_mix.outlets.out, sws.inlets.feed)
    c(sws.outlets.offgas, sws_gas.inlets.feed)
    c(sws.outlets.stripped_water, ww_cool.inlets.feed)
    c(ww_cool.outlets.out, bio_air.inlets.fuel)
    c(bio_air.outlets.fuel, bio.inlets.feed)
    c(bio_air.outlets.air, bio.inlets.air)
    c(bio.outlets.treated_water, water_out.inlets.feed)
    c(bio.outlets.offgas, bio_gas.inlets.feed)
    c(bio.outlets.sludge, sludge.inlets.feed)
    fs.tear_hints.append("ft_recycle")

    # autothermal gasifier: the ASU's air intake (kg air per kg dry feed; ER ~0.05-0.7) so that
    # heat + heat loss = 0
    fs.add_spec(autothermal_spec("gasifier", "air.ratio", lower=0.3, upper=4.5))
    add_economics(fs, ["ft_naphtha", "ft_jet", "ft_diesel"], main_name="ft_fuels", reference_product="diesel")
    for k, v in params.items():
        fs.set(k, v)
    return fs
