"""Biomass to methanol: drying or torrefaction (per-case choice), O2/steam gasification, shift to module 2.05, CO2 capture, methanol loop, distillation.

Wood chips (or any solid feedstock) -> size reduction -> belt dryer -> pretreatment choice
``pretreatment.mode`` ("dryer": the dried chips go straight to the gasifier; "torrefaction": they
are torrefied first, the torgas fires the boiler) -> pressurised O2/steam-blown fluidised-bed
gasifier (autothermal: the ASU's air intake is a design spec) -> syngas cooler (steam raising)
-> water scrubber (HCl, NH3, particulates) -> ZnO sulphur guard -> isothermal equilibrium
water-gas shift with a bypass (the bypass is a design spec: the make-up gas leaves the acid-gas
removal with the stoichiometric module M = (H2 - CO2)/(CO + CO2) = ``module.target``, 2.05 by
default) -> condensate knock-out -> Rectisol acid-gas removal with CO2 capture (compressed to
110 bar for storage) -> make-up compressor to 80 bar -> methanol loop (equilibrium Cu/ZnO
reactor, high-pressure separator, purge, recycle compressor) -> let-down flash -> topping
column (light ends) -> methanol/water column -> AA-grade methanol. Purge gas, flash gas, light
ends and torgas fire a boiler (steam credit). All aqueous streams (scrubber water, shift
condensate, CO2 condensate, column bottoms) go through a sour-water stripper and biological
treatment.

``pretreatment.mode`` is an ordinary choice parameter, so one simulation can hold both options
(``fs.simulate(params={"pretreatment.mode": ["dryer", "torrefaction"]})``): the dried feed is
routed per case to the torrefier or past it (:class:`PretreatmentChoice`), and the idle branch
carries no flow (it costs nothing in that case).

The two design specs are nested (module outer, autothermal inner); the inner one iterates only
up to the gasifier (``measured_unit``), so each outer iteration costs one pass of the methanol
loop (~8 passes per solution).

Documented simplifications: no reformer for the gasifier's methane (it is inert in the loop, a
quarter of the make-up gas LHV, and leaves with the purge to the boiler; carbonhub has no
reformer unit yet); no feed-effluent exchanger on the methanol reactor (the reactor duty heats
its feed, the separator's cooling water takes the effluent's heat; an exchanger inside the loop
needs a second tear stream that does not converge within 200 Wegstein iterations); the methanol
loop, its separators and both columns are costed by the block cost
``ref.methanol_synthesis_loop`` (which includes distillation), so those units carry no cost of
their own here; the make-up compressor is costed separately.

Reference case: Danish Energy Agency, Technology Data for Renewable Fuels, data sheet 97
"Methanol from biomass gasif." (as transcribed in PyPSA technology-data), and Phillips et al.
(2011), NREL/TP-5100-47594; Hamelinck & Faaij (2002), J. Power Sources 111:1-22,
doi:10.1016/S0378-7753(02)00220-3, as unverified context. See flowsheets/biomass_methanol.yaml.
"""
from __future__ import annotations

from typing import Any

import numpy as np

import carbonhub as ch
from carbonhub.core.flowsheet import DesignSpec
from carbonhub.core.unit import Param, Unit, UnitResult
from carbonhub.costing.flowsheet import add_economics
from carbonhub.unitops.basic import Heater, Mixer, Splitter
from carbonhub.unitops.cleanup import AcidGasRemoval, CO2Compression, Scrubber, SulphurRemoval, SyngasCooler, WaterGasShift
from carbonhub.unitops.gasification import AirSeparationUnit, Gasifier, autothermal_spec
from carbonhub.unitops.pretreatment import Dryer, FeedHandling, Torrefaction
from carbonhub.unitops.separations import Flash, ShortcutColumn
from carbonhub.unitops.sources import AIR, CombustionAir, Feedstock, GasSource, ProportionalFeed, Sink
from carbonhub.unitops.synthesis import MethanolReactor
from carbonhub.unitops.utilities import Boiler, Compressor
from carbonhub.unitops.water import BiologicalTreatment, SourWaterStripper

NAME = "biomass_methanol"
P_GASIFIER = 28e5  # Pa, pressurised O2/steam fluidised bed (as biomass_ft)
P_LOOP = 80e5  # Pa, methanol synthesis loop
PRETREATMENTS = ("dryer", "torrefaction")


class PretreatmentChoice(Unit):
    """Routes the whole feed, per case, to the outlet named by ``mode`` (the other outlet
    carries no flow): ``dryer`` (the dried feed bypasses the torrefier) or ``torrefaction``.
    Isothermal, isobaric, no reaction; carbon origin of the inlet."""

    inlets = ("feed",)
    outlets = PRETREATMENTS
    params = {"mode": Param("dryer", "choice", doc="pretreatment after drying: dryer only, or torrefaction",
                            choices=PRETREATMENTS)}

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        torr = (np.broadcast_to(np.asarray(p.mode), (p.n,)) == "torrefaction")[:, None]
        z = np.zeros(p.n)
        return UnitResult({"dryer": s.with_(flow=np.where(torr, 0.0, s.flow)),
                           "torrefaction": s.with_(flow=np.where(torr, s.flow, 0.0))}, z, z.copy(),
                          {"torrefaction": torr[:, 0].astype(float)})

    def build_pyomo(self, b, p, init) -> None:
        """Twin: the chosen outlet carries the feed, the other none (the choice is a case
        constant); same T and P."""
        import pyomo.environ as pyo

        frac = 1.0 if str(p["mode"]) == "torrefaction" else 0.0
        b.add_component_balances()
        b.eq_split = pyo.Constraint(b.comps, rule=lambda b, j: b.sout("torrefaction").flow_mol_comp[j]
                                    == frac * b.sin("feed").flow_mol_comp[j], doc="route to the chosen pretreatment")
        for o in PRETREATMENTS:
            b.same_state(o, "feed")
        b.heat.fix(0.0)
        b.power.fix(0.0)


def syngas_module(s) -> np.ndarray:
    """Stoichiometric module M = (H2 - CO2)/(CO + CO2) of a stream (n,)."""
    h2, co, co2 = s["H2"], s["CO"], s["CO2"]
    with np.errstate(divide="ignore", invalid="ignore"):
        return (h2 - co2) / (co + co2)


def module_spec(stream_id: str, measured_unit: str, target_param: str = "module.target") -> DesignSpec:
    """Design spec: vary the fraction of the gas that bypasses the (equilibrium) shift reactor
    so that the gas ``stream_id`` has the module given by the parameter ``target_param``. Both
    bounds are always feasible (no shift; the full equilibrium shift), and the module falls
    monotonically with the bypass."""

    def measure(state) -> np.ndarray:
        return syngas_module(state.stream(stream_id))

    def pyomo_measure(m):
        c = next(c for c in m._carbonhub["fs"].connections if c.id == stream_id)
        f = getattr(m.fs, c.src.unit.id).sout(c.src.name).flow_mol_comp
        return (f["H2"] - f["CO2"]) / (f["CO"] + f["CO2"])

    return DesignSpec("syngas_module", "wgs.bypass", measure, target_param, 0.0, 1.0, tol=1e-5,
                      doc=f"module (H2 - CO2)/(CO + CO2) of {stream_id} = {target_param} by wgs.bypass",
                      measured_unit=measured_unit, pyomo_measure=pyomo_measure)


def build(**params: Any) -> ch.Flowsheet:
    """Build the route; ``params`` are ``unit.param`` values applied on top of the defaults
    (e.g. ``build(**{"pretreatment.mode": "torrefaction"})``; the choice can also be swept per
    case in ``simulate``)."""
    fs = ch.Flowsheet(NAME)
    u = fs.add
    # -- feed and pretreatment
    feed = u(Feedstock("feed", feedstock="wood_chips", rate_dry_t_per_h=2000 / 24))
    handling = u(FeedHandling("handling"))
    dryer = u(Dryer("dryer", moisture_out_wt_pct=10.0))
    choice = u(PretreatmentChoice("pretreatment"))
    torr = u(Torrefaction("torrefaction", T=553.15, residence_time=1050.0))
    pre_mix = u(Mixer("pretreated", n_inlets=2))
    # -- gasification
    air = u(GasSource("air", composition=AIR, flow=3000.0, category="air", origin="atmospheric"))
    asu = u(AirSeparationUnit("asu"))
    steam = u(ProportionalFeed("gasifier_steam", composition={"H2O": 1.0}, basis="dry_mass", ratio=0.3,
                               T=573.15, P=P_GASIFIER + 2e5, category="steam_mp"))
    gasifier = u(Gasifier("gasifier", T=1143.15, P=P_GASIFIER, carbon_conversion=0.97, ch4_slip=0.08,
                          heat_loss_fraction=0.02))
    # -- cleanup and conditioning
    cooler = u(SyngasCooler("cooler", T_out=573.15))
    scrub_water = u(ProportionalFeed("scrub_water", composition={"H2O(L)": 1.0}, basis="dry_mass", ratio=0.2,
                                     T=298.15, P=P_GASIFIER, category="process_water"))
    scrubber = u(Scrubber("scrubber", T_out=313.15))
    sulphur = u(SulphurRemoval("sulphur"))
    wgs_steam = u(ProportionalFeed("shift_steam", composition={"H2O": 1.0}, basis="mol:CO", ratio=1.0,
                                   T=573.15, P=P_GASIFIER, category="steam_mp"))
    wgs = u(WaterGasShift("wgs", mode="equilibrium", thermal="isothermal", T=573.15, bypass=0.3))
    knockout = u(Flash("knockout", T=313.15, P=P_GASIFIER, range_policy="ignore"))
    agr = u(AcidGasRemoval("agr", technology="rectisol", co2_capture=0.9))
    co2comp = u(CO2Compression("co2_compression", P_out=110e5))
    # -- methanol synthesis loop
    makeup = u(Compressor("makeup_compressor", P_out=P_LOOP, n_stages=2, aftercooler="yes"))
    loop_mix = u(Mixer("loop_mixer", n_inlets=2))
    reactor = u(MethanolReactor("meoh_reactor", T=523.15, P=P_LOOP, dT_approach=10.0))
    separator = u(Flash("hp_separator", T=313.15, P=P_LOOP - 1e5, range_policy="ignore"))
    purge = u(Splitter("purge", fraction=0.05))
    recycle_comp = u(Compressor("recycle_compressor", P_out=P_LOOP))
    # -- purification
    letdown = u(Flash("letdown", T=313.15, P=3e5, range_policy="ignore"))
    topping = u(ShortcutColumn("topping_column", light_key="CO2", heavy_key="CH3OH", P=1.5e5,
                               lk_recovery=0.999, hk_recovery=0.995, condenser="partial", range_policy="ignore"))
    column = u(ShortcutColumn("column", light_key="CH3OH", heavy_key="H2O", P=1.2e5, lk_recovery=0.995,
                              hk_recovery=0.999, range_policy="ignore"))
    # -- utilities and water treatment
    fuel_mix = u(Mixer("fuel_mixer", n_inlets=4))
    boiler_air = u(CombustionAir("boiler_air", excess_air=0.15))
    boiler = u(Boiler("boiler"))
    ww_mix = u(Mixer("ww_mixer", n_inlets=4))
    sws = u(SourWaterStripper("sws"))
    ww_cool = u(Heater("ww_cooler", T=308.15))
    bio_air = u(CombustionAir("bio_air", excess_air=1.0))
    bio = u(BiologicalTreatment("biotreatment"))
    # -- boundary
    methanol = u(Sink("methanol", category="product", product="methanol", main=True))
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
    c(dryer.outlets.out, choice.inlets.feed)
    c(choice.outlets.dryer, pre_mix.inlets.in1)
    c(choice.outlets.torrefaction, torr.inlets.feed)
    c(torr.outlets.out, pre_mix.inlets.in2)
    c(torr.outlets.volatiles, fuel_mix.inlets.in3, id="torgas")
    c(pre_mix.outlets.out, steam.inlets.ref)
    c(steam.outlets.ref, gasifier.inlets.feed)
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
    c(wgs.outlets.out, knockout.inlets.feed)
    c(knockout.outlets.liquid, ww_mix.inlets.in2, id="shift_condensate")
    c(knockout.outlets.vapor, agr.inlets.feed)
    c(agr.outlets.co2, co2comp.inlets.feed)
    c(co2comp.outlets.out, co2_store.inlets.feed)
    c(agr.outlets.acid_gas, acid_gas.inlets.feed)
    c(agr.outlets.clean, makeup.inlets.feed, id="makeup_gas")
    c(makeup.outlets.out, loop_mix.inlets.in1)
    c(loop_mix.outlets.out, reactor.inlets.feed)
    c(reactor.outlets.out, separator.inlets.feed)
    c(separator.outlets.vapor, purge.inlets.feed)
    c(purge.outlets.out, recycle_comp.inlets.feed)
    c(recycle_comp.outlets.out, loop_mix.inlets.in2, id="meoh_recycle")
    c(purge.outlets.purge, fuel_mix.inlets.in1, id="loop_purge")
    c(separator.outlets.liquid, letdown.inlets.feed, id="crude_methanol")
    c(letdown.outlets.vapor, fuel_mix.inlets.in2, id="flash_gas")
    c(letdown.outlets.liquid, topping.inlets.feed)
    c(topping.outlets.distillate, fuel_mix.inlets.in4, id="light_ends")
    c(topping.outlets.bottoms, column.inlets.feed)
    c(column.outlets.distillate, methanol.inlets.feed, id="methanol_product")
    c(column.outlets.bottoms, ww_mix.inlets.in4, id="column_bottoms")
    c(fuel_mix.outlets.out, boiler_air.inlets.fuel)
    c(boiler_air.outlets.fuel, boiler.inlets.fuel)
    c(boiler_air.outlets.air, boiler.inlets.air)
    c(boiler.outlets.flue_gas, stack.inlets.feed)
    c(scrubber.outlets.wastewater, ww_mix.inlets.in1)
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
    fs.tear_hints.append("meoh_recycle")

    # the loop, its separators and the column are inside the block cost of the synthesis loop
    # (ref.methanol_synthesis_loop includes distillation): no separate cost here
    for unit in (separator, recycle_comp, letdown, topping, column):
        unit.costs = ()

    fs.add_group("module", {"target": Param(2.05, "", 1.0, 4.0,
                                            "stoichiometric module (H2 - CO2)/(CO + CO2) of the make-up gas [-]")})
    # nested specs: the module (outer, one loop pass per iteration) and the autothermal gasifier
    # (inner, iterated up to the gasifier only); the ASU's air intake so that heat + heat loss = 0
    fs.add_spec(module_spec("makeup_gas", "agr"))
    fs.add_spec(autothermal_spec("gasifier", "air.flow", lower=400.0, upper=6000.0, tol=1e3))
    add_economics(fs, ["methanol"])
    for k, v in params.items():
        fs.set(k, v)
    return fs
