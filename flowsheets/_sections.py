"""Sections shared by the routes of the library: the gasification island, the methanol loop with
its purification, the MtO + olefin train, the steam boiler and the water treatment.

Not a route (the route registry skips modules whose name starts with ``_``). ``flowsheets/`` is
not a package, so a route loads this file by path::

    _spec = importlib.util.spec_from_file_location("carbonhub_routes._sections",
                                                   Path(__file__).with_name("_sections.py"))
    S = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(S)

Each route loads its own copy and none is put in ``sys.modules``; a built flowsheet holds only
units of ``carbonhub.unitops`` made here, never an object of this module, so it pickles (for
sweep workers) as it did before the sections were shared.

How a section is used. A section is built in three steps, because the order in which units are
added and streams are connected decides the calculation order (``fs.order()``), the tear streams
and the order of every report table, and each route keeps its own:

1. ``Section(...)`` creates the units (nothing is added to a flowsheet yet; units of one section
   can therefore be wired to units of a section created later);
2. :func:`add` adds them to the flowsheet: first the process units of all sections, then the
   boundary sinks (``section.sinks``) in the route's order;
3. ``section.connect(fs, ...)`` makes its connections; the streams into other sections (a fuel
   to the boiler, a wastewater to the treatment) go to the ports the route passes.

Every unit is also an attribute of its section (``island.gasifier``, ``loop.purge``). The unit
ids, stream ids and parameter values are those of the routes (their YAMLs and tests name them);
parameters of a section are the route-to-route differences only.

One home per default: a parameter listed in a route's YAML has its value there only (see
:class:`carbonhub.routes.RouteDefaults`); a section takes such values as arguments from the
route's build and its own literals are the defaults of the parameters no route YAML lists.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

import carbonhub as ch
from carbonhub.core.flowsheet import DesignSpec
from carbonhub.core.unit import PortRef, Unit
from carbonhub.unitops.asu import AirSeparationUnit
from carbonhub.unitops.basic import ComponentSplitter, Heater, Mixer, Splitter
from carbonhub.unitops.co2 import AcidGasRemoval, CO2Compression
from carbonhub.unitops.columns import ShortcutColumn
from carbonhub.unitops.cooling import Scrubber, SyngasCooler
from carbonhub.unitops.gasifier import Gasifier
from carbonhub.unitops.heat import Boiler as BoilerUnit
from carbonhub.unitops.heat import HeatExchanger
from carbonhub.unitops.indirect_gasifier import CharCombustor, IndirectGasifier
from carbonhub.unitops.machines import Compressor
from carbonhub.unitops.methanol import MethanolReactor
from carbonhub.unitops.mto import MethanolToOlefins
from carbonhub.unitops.olefins import OlefinSeparationTrain
from carbonhub.unitops.pyrolysis import FiredHeater
from carbonhub.unitops.reformer import ReformerSteam, TarReformer
from carbonhub.unitops.pretreatment import Dryer, FeedHandling
from carbonhub.unitops.separations import Flash
from carbonhub.unitops.shift import WaterGasShift
from carbonhub.unitops.sources import AIR, CombustionAir, Feedstock, GasSource, ProportionalFeed, Sink
from carbonhub.unitops.sulphur import SulphurRemoval
from carbonhub.unitops.water import BiologicalTreatment, SourWaterStripper
from carbonhub.unitops.zld import EvaporatorCrystalliser


def syngas_module(s) -> np.ndarray:
    """Stoichiometric module M = (H2 - CO2)/(CO + CO2) of a stream (n,)."""
    h2, co, co2 = s["H2"], s["CO"], s["CO2"]
    with np.errstate(divide="ignore", invalid="ignore"):
        return (h2 - co2) / (co + co2)


def syngas_module_ratio(flow_mol_comp) -> tuple:
    """The module of a twin's stream as (numerator, denominator) Pyomo expressions: a design
    spec posed as ``num == target * den`` has no division by a flow that could be zero."""
    f = flow_mol_comp
    return f["H2"] - f["CO2"], f["CO"] + f["CO2"]


class Section:
    """Units of one part of a route: ``units`` (process units, in flowsheet order), ``sinks``
    (its boundary sinks, in order) and ``connect(fs, ...)``; each unit is also an attribute named
    by its role (``island.scrubber``)."""

    def __init__(self) -> None:
        self.units: list[Unit] = []
        self.sinks: list[Unit] = []

    def _unit(self, attr: str, unit: Unit) -> Unit:
        self.units.append(unit)
        setattr(self, attr, unit)
        return unit

    def _sink(self, attr: str, unit_id: str, category: str, **kw: Any) -> Unit:
        sink = Sink(unit_id, category=category, **kw)
        self.sinks.append(sink)
        setattr(self, attr, sink)
        return sink


def add(fs: ch.Flowsheet, *parts: Section | Unit | list) -> None:
    """Add to ``fs``, in the order given: a Section's process units, or a unit, or a list of
    units (e.g. ``section.sinks``)."""
    for part in parts:
        for unit in part.units if isinstance(part, Section) else part if isinstance(part, list) else [part]:
            fs.add(unit)


class GasificationIsland(Section):
    """Solid feed to clean syngas: feed handling and drying, pressurised O2/steam-blown gasifier
    with its ASU, syngas cooler, water scrubber, optional chloride/ammonia guard bed, sulphur
    guard, water-gas shift, knock-out (or cooler), acid-gas removal with CO2 compression.

    Units: feed, handling, dryer, [``pretreatment`` units], air, asu (or the ``indirect`` units),
    gasifier_steam, gasifier, cooler, scrub_water, scrubber, [guard], sulphur, shift_steam, [wgs_feh],
    wgs, knockout | wgs_cooler, agr, co2_compression. Sinks: dryer_vent, n2_vent (dfb_flue), ash,
    [spent_guard], sulphur_out, acid_gas, co2_storage. Ports: ``clean`` (the cleaned gas),
    ``wastewater`` (scrubber), ``condensate`` (CO2 compression; unless :meth:`connect` takes it).

    Parameters
    ----------
    P : gasifier pressure [Pa]; the gasifier steam enters at P + 2 bar
    air_ratio, air_flow : the ASU's air intake: proportional to the dry feed [kg/kg] (a
        ProportionalFeed chained between the steam and the gasifier) or a flow [mol/s]
        (GasSource); exactly one is given
    steam_ratio, steam_T : gasifier steam [kg/kg dry feed], [K]
    shift_steam_ratio : steam to the shift [mol H2O/mol CO]
    shift_feed_effluent : a feed-effluent exchanger ``wgs_feh`` (default True): the shift's gas
        feed (after ``shift_steam`` has measured its CO; the steam joins inside the shift, already
        at the shift's T) is heated to the shift's ``T`` by the shift effluent, so the reactor
        inlet reaches T without a fired preheat (the effluent then goes on cooler to the cooler or
        knock-out); torn at the effluent (stream ``shift_effluent``). False: the shift preheats its
        own inlet (its ``heat``)
    gasifier : Gasifier parameters replacing the defaults (T 1143.15 K, carbon_conversion 0.97,
        ch4_slip 0.08, heat_loss_fraction 0.02); ``solid_carbon`` as :class:`Gasifier`
    scrub_ratio : scrub water [kg/kg dry feed]
    guard : a chloride/ammonia guard bed (complete HCl and NH3 split) after the scrubber
    sulphur : SulphurRemoval parameters (e.g. ``{"technology": "zno"}``)
    wgs : WaterGasShift parameters
    knockout : Flash parameters of a condensate knock-out after the shift (T 313.15 K); None: a
        ``wgs_cooler`` (Heater to 313.15 K) instead
    agr_technology, co2_capture : acid-gas removal
    pretreatment : route units added after the dryer (connected by ``connect(pretreat=...)``)
    reformer : TarReformer parameters: a ``tar_reformer`` between the gasifier and the syngas
        cooler, with ``reformer_steam`` (ReformerSteam: steam up to S/C 2 where the gas holds
        less) ahead of it; None (default): no reformer
    reformer_recycle : with a reformer, a ``reformer_mixer`` ahead of it whose inlet ``in2``
        (port ``reformer_recycle``) takes a recycle such as FT tail gas
    indirect : ``{P_syngas, excess_air, combustor, flue_T}``: a dual fluidised bed (no air, no ASU):
        IndirectGasifier at ``P``, its char + the raw gas fired (``dfb_gas_split``) -> dfb_fuel ->
        dfb_air -> dfb_combustor -> dfb_flue_cooler -> dfb_flue; ``syngas_compressor`` to P_syngas
    """

    def __init__(self, *, P: float, feedstock: str, rate_dry_t_per_h: float, air_ratio: float | None = None,
                 air_flow: float | None = None, steam_ratio: float = 0.3, steam_T: float = 573.15,
                 gasifier: Mapping[str, Any] | None = None, solid_carbon: bool = False, scrub_ratio: float = 0.2,
                 guard: bool = False, sulphur: Mapping[str, Any] | None = None, wgs: Mapping[str, Any],
                 knockout: Mapping[str, Any] | None = None, agr_technology: str = "rectisol",
                 co2_capture: float = 0.9, shift_steam_ratio: float = 1.0, pretreatment: tuple[Unit, ...] = (),
                 reformer: Mapping[str, Any] | None = None, reformer_recycle: bool = False,
                 indirect: Mapping[str, Any] | None = None, shift_feed_effluent: bool = True):
        super().__init__()
        self.indirect = indirect is not None
        if not self.indirect and (air_ratio is None) == (air_flow is None):
            raise ValueError("GasificationIsland: give exactly one of air_ratio and air_flow")
        u = self._unit
        u("feed", Feedstock("feed", feedstock=feedstock, rate_dry_t_per_h=rate_dry_t_per_h))
        u("handling", FeedHandling("handling"))
        u("dryer", Dryer("dryer"))
        self.units.extend(pretreatment)
        self.air_proportional = air_ratio is not None
        if not self.indirect:
            u("air", ProportionalFeed("air", composition=AIR, basis="dry_mass", ratio=air_ratio, category="air",
                                      origin="atmospheric") if self.air_proportional
              else GasSource("air", composition=AIR, flow=air_flow, category="air", origin="atmospheric"))
            u("asu", AirSeparationUnit("asu"))
        u("steam", ProportionalFeed("gasifier_steam", composition={"H2O": 1.0}, basis="dry_mass", ratio=steam_ratio,
                                    T=steam_T, P=P + 2e5, category="steam_mp"))
        gas = dict(T=1143.15, P=P, carbon_conversion=0.97, ch4_slip=0.08, heat_loss_fraction=0.02)
        u("gasifier", (IndirectGasifier if self.indirect else Gasifier)(
            "gasifier", solid_carbon=solid_carbon, **{**gas, **(gasifier or {})}))
        if self.indirect:
            u("dfb_split", Splitter("dfb_gas_split", fraction=0.1))
            u("dfb_mix", Mixer("dfb_fuel", n_inlets=2))
            u("dfb_air", CombustionAir("dfb_air", excess_air=indirect["excess_air"], P=P))
            u("combustor", CharCombustor("dfb_combustor", **indirect.get("combustor", {})))
            u("flue_cooler", SyngasCooler("dfb_flue_cooler", T_out=indirect["flue_T"]))
            self.flue_cooler.cost_scope = "dfb_flue_cooler"
        self.reformer = self.reformer_mix = None
        if reformer is not None:
            if reformer_recycle:
                u("reformer_mix", Mixer("reformer_mixer", n_inlets=2))
                self.reformer_recycle = self.reformer_mix.inlets.in2
            u("reformer_steam", ReformerSteam("reformer_steam", P=P + 2e5))
            u("reformer", TarReformer("tar_reformer", **reformer))
        u("cooler", SyngasCooler("cooler", T_out=573.15))
        u("scrub_water", ProportionalFeed("scrub_water", composition={"H2O(L)": 1.0}, basis="dry_mass",
                                          ratio=scrub_ratio, T=298.15, P=P, category="process_water"))
        u("scrubber", Scrubber("scrubber", T_out=313.15))
        self.guard = u("guard", ComponentSplitter("guard", split={"HCl": 1.0, "NH3": 1.0})) if guard else None
        P_clean = float(indirect["P_syngas"]) if self.indirect else P  # of the gas cleaning and shift
        if self.indirect:
            u("syngas_comp", Compressor("syngas_compressor", P_out=P_clean, n_stages=4.0, aftercooler="yes"))
        u("sulphur", SulphurRemoval("sulphur", **(sulphur or {})))
        u("shift_steam", ProportionalFeed("shift_steam", composition={"H2O": 1.0}, basis="mol:CO",
                                          ratio=shift_steam_ratio, T=573.15, P=P_clean, category="steam_mp"))
        self.feh = u("feh", HeatExchanger("wgs_feh", spec="cold_T_out", dT_min=10.0, T_cold_out=float(
            wgs.get("T", WaterGasShift.params["T"].default)))) if shift_feed_effluent else None
        u("wgs", WaterGasShift("wgs", **wgs))
        if knockout is None:
            self.knockout = None
            u("wgs_cool", Heater("wgs_cooler", T=313.15))
        else:
            u("knockout", Flash("knockout", T=313.15, **knockout))
        u("agr", AcidGasRemoval("agr", technology=agr_technology, co2_capture=co2_capture))
        u("co2comp", CO2Compression("co2_compression", P_out=110e5))
        s = self._sink
        s("dryer_vent", "dryer_vent", "emission")
        s(*(("flue", "dfb_flue") if self.indirect else ("n2_vent", "n2_vent")), "emission")
        s("ash", "ash", "solid_residue")
        if guard:
            s("spent_guard", "spent_guard", "solid_residue")
        s("sulphur_out", "sulphur_out", "solid_residue")
        s("acid_gas", "acid_gas", "emission")
        s("co2_store", "co2_storage", "co2_storage")
        self.clean = self.agr.outlets.clean
        self.wastewater = self.scrubber.outlets.wastewater
        self.condensate = self.co2comp.outlets.condensate

    def connect(self, fs: ch.Flowsheet, *, pretreat: Callable[[PortRef], PortRef] | None = None,
                shift_condensate: PortRef | None = None, co2_condensate: PortRef | None = None) -> None:
        """Connect the island. ``pretreat(dried)`` (optional) connects the route's pretreatment
        to the dryer outlet and returns the port that feeds the gasifier; ``shift_condensate``
        receives the knock-out liquid (stream ``shift_condensate``); ``co2_condensate`` (optional)
        receives the CO2 compression condensate (else the route connects ``condensate``)."""
        if self.knockout is not None and shift_condensate is None:
            raise ValueError("GasificationIsland.connect: the knock-out needs shift_condensate (a wastewater inlet)")
        c = fs.connect
        c(self.feed.outlets.out, self.handling.inlets.feed)
        c(self.handling.outlets.out, self.dryer.inlets.feed)
        c(self.dryer.outlets.exhaust, self.dryer_vent.inlets.feed)
        solids = self.dryer.outlets.out if pretreat is None else pretreat(self.dryer.outlets.out)
        c(solids, self.steam.inlets.ref)
        if self.air_proportional:
            c(self.steam.outlets.ref, self.air.inlets.ref)
            c(self.air.outlets.ref, self.gasifier.inlets.feed)
        else:
            c(self.steam.outlets.ref, self.gasifier.inlets.feed)
        c(self.steam.outlets.out, self.gasifier.inlets.steam)
        gas = self.gasifier.outlets.syngas
        if self.indirect:  # char and the share of raw gas fired -> combustor -> flue gas
            c(gas, self.dfb_split.inlets.feed, id="raw_syngas")
            c(self.gasifier.outlets.ash, self.dfb_mix.inlets.in1, id="char")
            c(self.dfb_split.outlets.purge, self.dfb_mix.inlets.in2, id="dfb_gas_fired")
            c(self.dfb_mix.outlets.out, self.dfb_air.inlets.fuel)
            c(self.dfb_air.outlets.fuel, self.combustor.inlets.fuel)
            c(self.dfb_air.outlets.air, self.combustor.inlets.air)
            c(self.combustor.outlets.flue_gas, self.flue_cooler.inlets.feed)
            c(self.flue_cooler.outlets.out, self.flue.inlets.feed)
            c(self.combustor.outlets.ash, self.ash.inlets.feed)
            gas = self.dfb_split.outlets.out
        else:
            c(self.air.outlets.out, self.asu.inlets.air)
            c(self.asu.outlets.o2, self.gasifier.inlets.oxidant)
            c(self.asu.outlets.n2, self.n2_vent.inlets.feed)
            c(self.gasifier.outlets.ash, self.ash.inlets.feed)
        if self.reformer is None:
            c(gas, self.cooler.inlets.feed)
        else:
            if self.reformer_mix is not None:
                c(gas, self.reformer_mix.inlets.in1)
                gas = self.reformer_mix.outlets.out
            c(gas, self.reformer_steam.inlets.ref)
            c(self.reformer_steam.outlets.ref, self.reformer.inlets.feed, id="reformer_feed")
            c(self.reformer_steam.outlets.out, self.reformer.inlets.steam, id="reformer_steam")
            c(self.reformer.outlets.out, self.cooler.inlets.feed, id="reformed_syngas")
        c(self.cooler.outlets.out, self.scrub_water.inlets.ref)
        c(self.scrub_water.outlets.ref, self.scrubber.inlets.gas)
        c(self.scrub_water.outlets.out, self.scrubber.inlets.water)
        gas = self.scrubber.outlets.gas
        if self.indirect:
            c(gas, self.syngas_comp.inlets.feed)
            gas = self.syngas_comp.outlets.out
        if self.guard is not None:
            c(gas, self.guard.inlets.feed)
            c(self.guard.outlets.top, self.spent_guard.inlets.feed)
            gas = self.guard.outlets.bottom
        c(gas, self.sulphur.inlets.feed)
        c(self.sulphur.outlets.sulphur, self.sulphur_out.inlets.feed)
        c(self.sulphur.outlets.out, self.shift_steam.inlets.ref)
        c(self.shift_steam.outlets.out, self.wgs.inlets.steam)
        shifted = self.wgs.outlets.out
        if self.feh is None:
            c(self.shift_steam.outlets.ref, self.wgs.inlets.feed)
        else:  # torn at the effluent (the exchanger's hot inlet), as the methanol loop's exchanger
            c(self.shift_steam.outlets.ref, self.feh.inlets.cold, id="shift_feed")
            c(self.feh.outlets.cold_out, self.wgs.inlets.feed, id="shift_feed_hot")
            c(shifted, self.feh.inlets.hot, id="shift_effluent")
            shifted = self.feh.outlets.hot_out
            fs.tear_hints.append("shift_effluent")
        if self.knockout is None:
            c(shifted, self.wgs_cool.inlets.feed)
            c(self.wgs_cool.outlets.out, self.agr.inlets.feed)
        else:
            c(shifted, self.knockout.inlets.feed)
            c(self.knockout.outlets.liquid, shift_condensate, id="shift_condensate")
            c(self.knockout.outlets.vapor, self.agr.inlets.feed)
        c(self.agr.outlets.co2, self.co2comp.inlets.feed)
        c(self.co2comp.outlets.out, self.co2_store.inlets.feed)
        if co2_condensate is not None:
            c(self.condensate, co2_condensate)
        c(self.agr.outlets.acid_gas, self.acid_gas.inlets.feed)


class ReformerFiring(Section):
    """The fired duty of the island's tar reformer met by the route's own fuel gas: fuel_split
    (a Splitter: ``fraction`` of the fuel to the combustor, the rest to port ``rest``) ->
    reformer_air (15 % excess air) -> reformer_combustor (FiredHeater, 85 % of the LHV
    delivered; its cost inside ``ref.tar_reformer``, scope tar_reformer_combustor) -> sink
    ``reformer_flue``. :meth:`spec` is the design spec on ``fuel_split.fraction`` that makes
    the combustor deliver the reformer's duty."""

    def __init__(self):
        super().__init__()
        self.fuel = self._unit("split", Splitter("fuel_split", fraction=0.5)).inlets.feed
        self.rest = self.split.outlets.out
        self._unit("air", CombustionAir("reformer_air", excess_air=0.15))
        self._unit("combustor", FiredHeater("reformer_combustor", efficiency=0.85))
        self.combustor.cost_scope = "tar_reformer_combustor"
        self._sink("flue", "reformer_flue", "emission")

    def connect(self, fs: ch.Flowsheet) -> None:
        """Connect split, air, combustor and flue (the route connects ``fuel`` and ``rest``)."""
        c = fs.connect
        c(self.split.outlets.purge, self.air.inlets.fuel, id="reformer_fuel")
        c(self.air.outlets.fuel, self.combustor.inlets.fuel)
        c(self.air.outlets.air, self.combustor.inlets.air)
        c(self.combustor.outlets.flue_gas, self.flue.inlets.feed)

    @staticmethod
    def spec(reformer_id: str = "tar_reformer", combustor_id: str = "reformer_combustor",
             vary: str = "fuel_split.fraction") -> DesignSpec:
        """Design spec: the share of the fuel burnt in the combustor (``vary`` in [0, 1]) so that
        the heat it delivers equals the reformer duty; the residual, delivered heat - duty,
        rises monotonically with the share. Where the whole fuel is too little (a lean loop
        purge), the share stays at 1 and natural gas makes up the rest: the combustor's
        ``makeup_heat_W`` (the spec's ``makeup``) = duty - heat of the fuel, bought as natural
        gas (the reformer's ``fired_heat_W`` less the combustor's offset), as a real plant tops
        up its reformer firing with supplementary fuel. Where the reformer releases heat (its
        feed hotter than it: a hot gasifier), nothing is burnt (share 0) and the reformer's
        surplus is its own ``cooling_W``."""

        def measure(state) -> np.ndarray:
            return state.unit(combustor_id).design["fired_heat_W"] - state.unit(reformer_id).heat

        def pyomo_measure(m):
            return getattr(m.fs, combustor_id).fired_heat - getattr(m.fs, reformer_id).heat

        return DesignSpec("reformer_fired", vary, measure, 0.0, 0.0, 1.0, tol=1.0,
                          doc=f"{combustor_id} delivers the duty of {reformer_id} by {vary} "
                              f"(natural-gas make-up where the fuel is too little)",
                          measured_unit=combustor_id, pyomo_measure=pyomo_measure,
                          makeup=f"{combustor_id}.makeup_heat_W", surplus_ok=True)


class MethanolLoop(Section):
    """Make-up gas to methanol: optional make-up compressor, loop (mixer, feed-effluent heat
    exchanger, equilibrium Cu/ZnO reactor, high-pressure separator, purge, recycle compressor,
    tears ``reactor_effluent`` and ``meoh_recycle``), let-down flash and distillation.

    The feed-effluent exchanger (``feed_effluent_hx``, 10 K approach) heats the loop feed with
    the reactor effluent, as in every methanol loop (Lurgi/ICI designs): without it the reactor
    feed was heated by bought steam while the effluent's heat went to cooling water. Its
    duty is the largest with 10 K at both ends on ideal-gas enthalpies (the effluent does not
    condense in it: the recovered heat is a lower bound; the separator condenses the rest).
    ``feed_effluent=False`` leaves it out (one tear, ``meoh_recycle``). With the exchanger the
    two-tear loop needs Anderson acceleration (:mod:`carbonhub.core.recycle`): Wegstein alone
    needed 100-580 iterations for some biomass feeds, over the default limit of 200. The loop
    is torn at the reactor effluent (the exchanger's hot inlet), so that the exchanger runs
    again on the fresh effluent in each pass (:func:`carbonhub.core.solver.pass_steps`): torn
    at the reactor feed, material went round the loop once per two passes (twice the passes).

    Units: [makeup_compressor], loop_mixer, feed_effluent_hx, meoh_reactor, hp_separator, purge,
    recycle_compressor, letdown, then for ``purification="aa_grade"``: topping_column (light
    ends) and column (methanol/water; product sink ``methanol``), for ``"mto_feed"``: meoh_column
    (methanol/water, partial condenser: its vapour distillate, port ``methanol``, feeds an MtO
    reactor). The separator, recycle compressor, let-down flash (scope
    ``methanol_loop_equipment``) and the columns (``methanol_distillation``) are inside the block
    ``ref.methanol_synthesis_loop`` (its ``includes``): they cost zero where that block is costed,
    and the cost table names the reactor as the unit that holds their cost.

    Parameters
    ----------
    P_loop : loop pressure [Pa] (reactor; the separator at P_loop - 1 bar)
    purge : fraction of the separator gas purged
    range_policy : of the flashes and columns ("ignore" or "status")
    purification : "aa_grade" or "mto_feed" (above)
    makeup_compressor : compress the make-up gas to ``P_loop`` (2 stages, aftercooler)
    feed_effluent : the feed-effluent heat exchanger (default True)
    reactor : MethanolReactor parameters replacing the defaults (T 523.15 K, dT_approach 10 K)
    column : parameters of the methanol/water column replacing its defaults (e.g. lk_recovery)
    """

    def __init__(self, *, P_loop: float, purge: float, range_policy: str, purification: str = "mto_feed",
                 makeup_compressor: bool = True, feed_effluent: bool = True,
                 reactor: Mapping[str, Any] | None = None, column: Mapping[str, Any] | None = None):
        super().__init__()
        u = self._unit
        self.makeup = u("makeup", Compressor("makeup_compressor", P_out=P_loop, n_stages=2, aftercooler="yes")
                        ) if makeup_compressor else None
        u("loop_mix", Mixer("loop_mixer", n_inlets=2))
        self.fehe = u("fehe", HeatExchanger("feed_effluent_hx", spec="approach", dT_min=10.0)) \
            if feed_effluent else None
        u("reactor", MethanolReactor("meoh_reactor", P=P_loop, **{"T": 523.15, "dT_approach": 10.0, **(reactor or {})}))
        u("separator", Flash("hp_separator", T=313.15, P=P_loop - 1e5, range_policy=range_policy))
        u("purge", Splitter("purge", fraction=purge))
        u("recycle_comp", Compressor("recycle_compressor", P_out=P_loop))
        u("letdown", Flash("letdown", T=313.15, P=3e5, range_policy=range_policy))
        if purification not in ("aa_grade", "mto_feed"):
            raise ValueError(f"purification {purification!r}: expected 'aa_grade' or 'mto_feed'")
        self.aa_grade = purification == "aa_grade"
        if self.aa_grade:
            columns = (u("topping", ShortcutColumn("topping_column", light_key="CO2", heavy_key="CH3OH", P=1.5e5,
                                                   lk_recovery=0.999, hk_recovery=0.995, condenser="partial",
                                                   range_policy=range_policy)),
                       u("column", ShortcutColumn("column", light_key="CH3OH", heavy_key="H2O", P=1.2e5,
                                                  range_policy=range_policy,
                                                  **{"lk_recovery": 0.995, "hk_recovery": 0.999, **(column or {})})))
            self._sink("product", "methanol", "product", product="methanol", main=True)
        else:
            columns = (u("column", ShortcutColumn("meoh_column", light_key="CH3OH", heavy_key="H2O", P=1.0e5,
                                                  condenser="partial", solutes="henry", range_policy=range_policy,
                                                  **{"lk_recovery": 0.995, "hk_recovery": 0.99, **(column or {})})),)
        for unit in (self.fehe, self.separator, self.recycle_comp, self.letdown):
            if unit is not None:
                unit.cost_scope = "methanol_loop_equipment"
        for unit in columns:
            unit.cost_scope = "methanol_distillation"
        self.methanol = self.column.outlets.distillate

    def connect(self, fs: ch.Flowsheet, *, makeup: PortRef, fuel: tuple[PortRef, ...], bottoms: PortRef) -> None:
        """Connect the loop: ``makeup`` is the make-up gas (stream ``makeup_gas``); ``fuel`` the
        boiler inlets of the purge, the flash gas [and the light ends]; ``bottoms`` the
        wastewater inlet of the column bottoms. The MtO feed (port ``methanol``) is connected by
        :meth:`MtoTrain.connect`."""
        c = fs.connect
        if self.makeup is not None:
            c(makeup, self.makeup.inlets.feed, id="makeup_gas")
            c(self.makeup.outlets.out, self.loop_mix.inlets.in1)
        else:
            c(makeup, self.loop_mix.inlets.in1, id="makeup_gas")
        if self.fehe is not None:
            c(self.loop_mix.outlets.out, self.fehe.inlets.cold, id="loop_feed")
            c(self.fehe.outlets.cold_out, self.reactor.inlets.feed, id="reactor_feed")
            c(self.reactor.outlets.out, self.fehe.inlets.hot, id="reactor_effluent")
            c(self.fehe.outlets.hot_out, self.separator.inlets.feed)
        else:
            c(self.loop_mix.outlets.out, self.reactor.inlets.feed)
            c(self.reactor.outlets.out, self.separator.inlets.feed)
        c(self.separator.outlets.vapor, self.purge.inlets.feed)
        c(self.purge.outlets.out, self.recycle_comp.inlets.feed)
        c(self.recycle_comp.outlets.out, self.loop_mix.inlets.in2, id="meoh_recycle")
        c(self.purge.outlets.purge, fuel[0], id="loop_purge")
        c(self.separator.outlets.liquid, self.letdown.inlets.feed, id="crude_methanol")
        c(self.letdown.outlets.vapor, fuel[1], id="flash_gas")
        if self.aa_grade:
            c(self.letdown.outlets.liquid, self.topping.inlets.feed)
            c(self.topping.outlets.distillate, fuel[2], id="light_ends")
            c(self.topping.outlets.bottoms, self.column.inlets.feed)
            c(self.methanol, self.product.inlets.feed, id="methanol_product")
            c(self.column.outlets.bottoms, bottoms, id="column_bottoms")
        else:
            c(self.letdown.outlets.liquid, self.column.inlets.feed)
            c(self.column.outlets.bottoms, bottoms, id="column_bottoms")
        fs.tear_hints += ["reactor_effluent", "meoh_recycle"] if self.fehe is not None else ["meoh_recycle"]


class MtoTrain(Section):
    """Methanol to light olefins: SAPO-34 MtO reactor, product-gas compressor (to the
    demethaniser pressure, 3 stages) and olefin separation train; product sinks ethylene and
    propylene (main) and c4_mix (by-product). The compressor and the train are inside the block
    ``ref.mto_unit`` (DECHEMA's MTO CAPEX includes olefin recovery; scopes
    ``mto_product_compression`` and ``olefin_separation_cold_box``): they cost zero there."""

    def __init__(self, *, P_train: float, mto: Mapping[str, Any] | None = None):
        super().__init__()
        u = self._unit
        u("mto", MethanolToOlefins("mto", P=2.5e5, **{"T": 723.15, **(mto or {})}))
        u("product_comp", Compressor("product_compressor", P_out=P_train, n_stages=3, aftercooler="yes"))
        u("train", OlefinSeparationTrain("olefin_train"))
        self.product_comp.cost_scope = "mto_product_compression"
        self.train.cost_scope = "olefin_separation_cold_box"
        self._sink("ethylene", "ethylene", "product", product="ethylene", main=True)
        self._sink("propylene", "propylene", "product", product="propylene", main=True)
        self._sink("c4", "c4_mix", "byproduct", product="c4_mix")

    def connect(self, fs: ch.Flowsheet, *, methanol: PortRef, water: PortRef, coke: PortRef, fuel_gas: PortRef,
                ethane_propane: PortRef) -> None:
        """Connect: ``methanol`` feeds the reactor (stream ``methanol``); ``water`` (stream
        ``mto_water``) goes to the wastewater; coke (``mto_coke``), fuel gas and ethane/propane
        to the boiler inlets given."""
        c = fs.connect
        c(methanol, self.mto.inlets.feed, id="methanol")
        c(self.mto.outlets.product, self.product_comp.inlets.feed)
        c(self.mto.outlets.water, water, id="mto_water")
        c(self.mto.outlets.coke, coke, id="mto_coke")
        c(self.product_comp.outlets.out, self.train.inlets.feed)
        c(self.train.outlets.ethylene, self.ethylene.inlets.feed)
        c(self.train.outlets.propylene, self.propylene.inlets.feed)
        c(self.train.outlets.c4plus, self.c4.inlets.feed)
        c(self.train.outlets.fuel_gas, fuel_gas)
        c(self.train.outlets.ethane_propane, ethane_propane)


class Boiler(Section):
    """Steam boiler firing the route's fuel gases: fuel_mixer (``n_fuels`` inlets, ``inlets.in1``
    ...) -> boiler_air (15 % excess air) -> boiler -> sink ``stack``."""

    def __init__(self, n_fuels: int):
        super().__init__()
        self.inlets = self._unit("fuel_mix", Mixer("fuel_mixer", n_inlets=n_fuels)).inlets
        self._unit("air", CombustionAir("boiler_air", excess_air=0.15))
        self._unit("boiler", BoilerUnit("boiler"))
        self._sink("stack", "stack", "emission")

    def connect(self, fs: ch.Flowsheet) -> None:
        """Connect mixer, air and boiler (the fuels are connected by the sections that make them)."""
        c = fs.connect
        c(self.fuel_mix.outlets.out, self.air.inlets.fuel)
        c(self.air.outlets.fuel, self.boiler.inlets.fuel)
        c(self.air.outlets.air, self.boiler.inlets.air)
        c(self.boiler.outlets.flue_gas, self.stack.inlets.feed)


class ZeroLiquidDischarge(Section):
    """Zero liquid discharge of a route's treated water: zld_mixer (``n_inlets``: the treated
    water, the sludge and any other aqueous stream, ports ``inlets.in1`` ...) -> zld_ammonia
    (NH3 dosed 1:1 to the HCl, category ``ammonia``) -> ``zld`` (MVR brine concentrator +
    crystalliser, :class:`carbonhub.unitops.zld.EvaporatorCrystalliser`). Sinks: zld_distillate
    (category ``recovered_water``: reusable, see ``water.reuse``), zld_vent (emission),
    zld_salts (solid_residue); no liquid effluent."""

    def __init__(self, n_inlets: int = 2):
        super().__init__()
        u = self._unit
        self.inlets = u("mix", Mixer("zld_mixer", n_inlets=n_inlets)).inlets
        u("base", ProportionalFeed("zld_ammonia", composition={"NH3": 1.0}, basis="mol:HCl", ratio=1.0,
                                   T=298.15, P=1.5e5, category="ammonia"))
        u("unit", EvaporatorCrystalliser("zld"))
        self._sink("distillate", "zld_distillate", "recovered_water")
        self._sink("vent", "zld_vent", "emission")
        self._sink("salts", "zld_salts", "solid_residue")

    def connect(self, fs: ch.Flowsheet, **feeds: PortRef) -> None:
        """Connect ``feeds`` (``in1=port``, ...: in this order) to the mixer, then the ZLD."""
        c = fs.connect
        for inlet, src in feeds.items():
            c(src, getattr(self.inlets, inlet), id={"in1": "treated_water", "in2": "sludge"}.get(inlet))
        c(self.mix.outlets.out, self.base.inlets.ref)
        c(self.base.outlets.ref, self.unit.inlets.feed, id="zld_feed")
        c(self.base.outlets.out, self.unit.inlets.base, id="zld_ammonia")
        c(self.unit.outlets.distillate, self.distillate.inlets.feed)
        c(self.unit.outlets.vent, self.vent.inlets.feed)
        c(self.unit.outlets.solids, self.salts.inlets.feed)


class WaterTreatment(Section):
    """Aqueous streams to treated water: ww_mixer (``n_inlets``, ``inlets.in1`` ...) -> [sour-water
    stripper ``sws`` -> ``ww_cooler`` (308.15 K)] -> bio_air (100 % excess) -> biotreatment.
    Sinks: [sws_offgas], bio_offgas, sludge, treated_water. ``stripper=False`` (no H2S/NH3 in
    the water, e.g. an electrolysis route) leaves out the stripper and the cooler.

    ``zld=True``: the treated water and the sludge (and ``zld_extra`` more aqueous streams,
    ports ``zld_inlets.in3`` ...) go to a :class:`ZeroLiquidDischarge` section (its units and
    sinks instead of the sinks sludge and treated_water)."""

    def __init__(self, n_inlets: int, *, stripper: bool = True, zld: bool = False, zld_extra: int = 0):
        super().__init__()
        u = self._unit
        self.inlets = u("ww_mix", Mixer("ww_mixer", n_inlets=n_inlets)).inlets
        self.stripper = stripper
        if stripper:
            u("sws", SourWaterStripper("sws"))
            u("ww_cool", Heater("ww_cooler", T=308.15))
            self._sink("sws_gas", "sws_offgas", "emission")
        u("bio_air", CombustionAir("bio_air", excess_air=1.0))
        u("bio", BiologicalTreatment("biotreatment"))
        self._sink("bio_gas", "bio_offgas", "emission")
        self.zld = ZeroLiquidDischarge(2 + zld_extra) if zld else None
        if self.zld is not None:
            self.units.extend(self.zld.units)
            self.sinks.extend(self.zld.sinks)
            self.zld_inlets = self.zld.inlets
        else:
            self._sink("sludge", "sludge", "solid_residue")
            self._sink("water_out", "treated_water", "wastewater", treated_on_site=True)

    def connect(self, fs: ch.Flowsheet, **feeds: PortRef) -> None:
        """Connect ``feeds`` (``in1=port``, ...: in this order) to the mixer, then the treatment."""
        c = fs.connect
        for inlet, src in feeds.items():
            c(src, getattr(self.inlets, inlet))
        water = self.ww_mix.outlets.out
        if self.stripper:
            c(water, self.sws.inlets.feed)
            c(self.sws.outlets.offgas, self.sws_gas.inlets.feed)
            c(self.sws.outlets.stripped_water, self.ww_cool.inlets.feed)
            water = self.ww_cool.outlets.out
        c(water, self.bio_air.inlets.fuel)
        c(self.bio_air.outlets.fuel, self.bio.inlets.feed)
        c(self.bio_air.outlets.air, self.bio.inlets.air)
        c(self.bio.outlets.offgas, self.bio_gas.inlets.feed)
        if self.zld is None:
            c(self.bio.outlets.treated_water, self.water_out.inlets.feed)
            c(self.bio.outlets.sludge, self.sludge.inlets.feed)
        else:
            self.zld.connect(fs, in1=self.bio.outlets.treated_water, in2=self.bio.outlets.sludge)
