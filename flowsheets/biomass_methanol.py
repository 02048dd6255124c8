"""Biomass to methanol: drying or torrefaction (per-case choice), O2/steam or indirect (dual fluidised-bed) gasification, shift to module 2.05, CO2 capture, methanol loop, distillation.

Wood chips (or any solid feedstock) -> size reduction -> belt dryer -> pretreatment choice
``pretreatment.mode`` ("dryer": the dried chips go straight to the gasifier; "torrefaction": they
are torrefied first, the torgas fires the boiler) -> pressurised O2/steam-blown fluidised-bed
gasifier (autothermal: the ASU's air intake is a design spec) -> catalytic tar/CH4 reformer
(910 degC, NREL 2012-target conversions; fired by part of the loop purge, a design spec) ->
syngas cooler (steam raising)
-> water scrubber (HCl, NH3, particulates) -> ZnO sulphur guard -> isothermal equilibrium
water-gas shift with a bypass (the bypass is a design spec: the make-up gas leaves the acid-gas
removal with the stoichiometric module M = (H2 - CO2)/(CO + CO2) = ``module.target``, 2.05 by
default) -> condensate knock-out -> amine (MDEA) acid-gas removal with CO2 capture (compressed to
110 bar for storage) -> make-up compressor to 80 bar -> methanol loop (equilibrium Cu/ZnO
reactor, high-pressure separator, purge, recycle compressor) -> let-down flash -> topping
column (light ends) -> methanol/water column -> AA-grade methanol. Purge gas, flash gas, light
ends and torgas fire a boiler (steam credit). All aqueous streams (scrubber water, shift
condensate, CO2 condensate, column bottoms) go through a sour-water stripper and biological
treatment.

Build option ``gasifier="indirect"``: the O2-blown gasifier and its ASU are replaced by an
indirectly heated dual fluidised bed (the technology of Phillips et al. 2011): a steam-blown
gasifier at 850 degC and 1.5 bar (carbonhub.unitops.indirect_gasifier.IndirectGasifier; char,
tar and CH4 yields from Larsson et al. 2013 and Kirnbauer et al. 2014), its char and, where the
char is not enough, a share of its raw gas (``dfb_gas_split.fraction``, a design spec) burnt
with 20 % excess air in a char combustor at 900 degC (CharCombustor) whose bed heat equals the
gasifier's demand; the flue gas leaves through a steam-raising cooler to the stack (biogenic
CO2), and the scrubbed gas is compressed to 28 bar (``syngas_compressor``) before the sulphur
guard. Its defaults are ``variants: indirect`` in biomass_methanol.yaml. Simplifications: the
raw gas outside the slips is at water-gas-shift equilibrium (real DFB gas is below it: H2/CO
~0.7 at Chalmers), no air preheat, water does not condense in the compressor.

``pretreatment.mode`` is an ordinary choice parameter, so one simulation can hold both options
(``fs.simulate(params={"pretreatment.mode": ["dryer", "torrefaction"]})``): the dried feed is
routed per case to the torrefier or past it (:class:`PretreatmentChoice`), and the idle branch
carries no flow (it costs nothing in that case).

The two design specs are independent (the autothermal gasifier does not see the shift bypass):
the solver takes them one after the other (:func:`carbonhub.core.solver.spec_plan`), the
autothermal spec iterating the air source, ASU and gasifier, the module spec the shift,
knock-out and acid-gas removal; the methanol loop (with its feed-effluent exchanger, tears
``reactor_effluent`` and ``meoh_recycle``) is solved once, at the converged specs.

Documented simplifications: the CH4 the tar reformer leaves (20 % of the gasifier's) is inert
in the loop and leaves with the purge; the methanol
loop, its separators and both columns are costed by the block cost
``ref.methanol_synthesis_loop`` (which includes distillation), so those units carry no cost of
their own here; the make-up compressor is costed separately.

Reference case: Danish Energy Agency, Technology Data for Renewable Fuels, data sheet 97
"Methanol from biomass gasif." (as transcribed in PyPSA technology-data), and Phillips et al.
(2011), NREL/TP-5100-47594; Hamelinck & Faaij (2002), J. Power Sources 111:1-22,
doi:10.1016/S0378-7753(02)00220-3, as unverified context. See flowsheets/biomass_methanol.yaml.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any, Literal

import numpy as np

import carbonhub as ch
from carbonhub.core.flowsheet import DesignSpec
from carbonhub.core.unit import Param, Unit, UnitResult
from carbonhub.costing.flowsheet import add_economics
from carbonhub.unitops.basic import Mixer
from carbonhub.unitops.gasifier import autothermal_spec
from carbonhub.unitops.torrefaction import Torrefaction

# flowsheets/ is not a package: load the shared sections (flowsheets/_sections.py) by path
_spec = importlib.util.spec_from_file_location("carbonhub_routes._sections", Path(__file__).with_name("_sections.py"))
S = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(S)

NAME = "biomass_methanol"
PRETREATMENTS = ("dryer", "torrefaction")
GasifierOption = Literal["o2_blown", "indirect"]
syngas_module = S.syngas_module


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


def module_spec(stream_id: str, measured_unit: str, target_param: str = "module.target") -> DesignSpec:
    """Design spec: vary the fraction of the gas that bypasses the (equilibrium) shift reactor
    so that the gas ``stream_id`` has the module given by the parameter ``target_param``. Both
    bounds are always feasible (no shift; the full equilibrium shift), and the module falls
    monotonically with the bypass."""

    def measure(state) -> np.ndarray:
        return syngas_module(state.stream(stream_id))

    def pyomo_measure(m):
        c = next(c for c in m._carbonhub["fs"].connections if c.id == stream_id)
        return S.syngas_module_ratio(getattr(m.fs, c.src.unit.id).sout(c.src.name).flow_mol_comp)

    return DesignSpec("syngas_module", "wgs.bypass", measure, target_param, 0.0, 1.0, tol=1e-9,
                      doc=f"module (H2 - CO2)/(CO + CO2) of {stream_id} = {target_param} by wgs.bypass",
                      measured_unit=measured_unit, pyomo_measure=pyomo_measure)


def dfb_spec() -> DesignSpec:
    """Design spec of the indirect gasifier: the share of raw gas fired beside the char
    (``dfb_gas_split.fraction`` in [0, 1]) so that the combustor's heat to the bed equals the
    gasifier's heat demand (both W; the residual rises with the share). Where the char alone
    gives more (share 0), the surplus is the combustor's own; where all the gas is too little,
    natural gas makes it up (``dfb_combustor.makeup_heat_W``)."""

    def measure(state) -> np.ndarray:
        return state.unit("dfb_combustor").design["fired_heat_W"] - state.unit("gasifier").design["heat_required_W"]

    def pyomo_measure(m):
        return m.fs.dfb_combustor.fired_heat - m.fs.gasifier.heat_required

    return DesignSpec("dfb_heat", "dfb_gas_split.fraction", measure, 0.0, 0.0, 1.0, tol=1.0,
                      doc="dfb_combustor heat to the bed = gasifier heat demand by dfb_gas_split.fraction",
                      measured_unit="dfb_combustor", pyomo_measure=pyomo_measure,
                      makeup="dfb_combustor.makeup_heat_W", surplus_ok=True)


def build(zld: bool = False, gasifier: GasifierOption = "o2_blown", **params: Any) -> ch.Flowsheet:
    """Build the route; ``params`` are ``unit.param`` values applied on top of the defaults
    (e.g. ``build(**{"pretreatment.mode": "torrefaction"})``; the choice can also be swept per
    case in ``simulate``).
    ``zld=True`` builds the zero-liquid-discharge variant of the water treatment (the treated
    water and sludge through an evaporator/crystalliser, flowsheets/_sections.py WaterTreatment;
    its distillate reused, ``water.reuse = "all"``: cooling-tower make-up, demin feed, process water).
    ``gasifier="indirect"`` builds the indirectly heated (dual fluidised-bed) gasifier instead of
    the O2-blown one: a steam-blown gasifier near atmospheric pressure whose char (and a share of
    its gas, a design spec) is burnt with air in a char combustor that heats the bed; no air
    separation unit; the flue gas leaves through a steam-raising cooler to the stack, and the
    scrubbed gas is compressed to the shift pressure (its defaults: ``variants: indirect`` in
    biomass_methanol.yaml; the technology of Phillips et al. 2011).
    """
    fs = ch.Flowsheet(NAME)
    indirect = gasifier == "indirect"
    # the route's defaults (biomass_methanol.yaml), their one home; the indirect gasifier's own
    D = ch.routes.RouteDefaults(NAME, variant="indirect" if indirect else None)
    P_gasifier, P_loop = D["gasifier.P"], D["makeup_compressor.P_out"]
    P_clean = D["syngas_compressor.P_out"] if indirect else P_gasifier
    gas_keys = ("T", "carbon_conversion", "ch4_slip") + (("tar_slip", "heat_loss_fraction") if indirect else ())
    dfb = (dict(P_syngas=P_clean, excess_air=D["dfb_air.excess_air"], flue_T=D["dfb_flue_cooler.T_out"],
                combustor={"T": D["dfb_combustor.T"]}) if indirect else None)
    # -- feed, pretreatment choice (after the dryer), gasification, cleanup and conditioning
    choice = PretreatmentChoice("pretreatment")
    torr = Torrefaction("torrefaction")
    pre_mix = Mixer("pretreated", n_inlets=2)
    isl = S.GasificationIsland(P=P_gasifier, feedstock=D["feed.feedstock"],
                               rate_dry_t_per_h=D["feed.rate_dry_t_per_h"], air_flow=None if indirect else 3000.0,
                               steam_ratio=D["gasifier_steam.ratio"], shift_steam_ratio=D["shift_steam.ratio"],
                               gasifier={k: D[f"gasifier.{k}"] for k in gas_keys}, indirect=dfb,
                               pretreatment=(choice, torr, pre_mix), agr_technology=D["agr.technology"],
                               co2_capture=D["agr.co2_capture"],
                               wgs=dict(mode="equilibrium", thermal=D["wgs.thermal"], T=573.15, bypass=0.3),
                               knockout=dict(P=P_clean, range_policy="ignore"), reformer={},
                               # no shift feed-effluent exchanger: the boiling-water (isothermal) shift's
                               # reaction heat covers its inlet preheat (net heat removed, -3.4 MW at the
                               # defaults, no fired heat), and its effluent, at the reactor's T mixed with
                               # the cold bypass, is below T: it cannot bring the feed to T
                               shift_feed_effluent=False)
    firing = S.ReformerFiring()  # the reformer's duty from part of the loop purge
    # -- methanol synthesis loop and purification (topping and methanol/water columns)
    # with the feed-effluent exchanger (two tears): every case of 2 x 2,000 random cases around
    # the defaults (30 % torrefaction) converges, 80 Anderson iterations on average, 105 at most
    loop = S.MethanolLoop(P_loop=P_loop, purge=D["purge.fraction"], range_policy="ignore", purification="aa_grade",
                          reactor={k: D[f"meoh_reactor.{k}"] for k in ("T", "dT_approach")},
                          column={"lk_recovery": D["column.lk_recovery"]})
    # -- utilities and water treatment
    boiler = S.Boiler(n_fuels=4)
    water = S.WaterTreatment(n_inlets=4, zld=zld)
    S.add(fs, isl, loop, firing, boiler, water)
    S.add(fs, loop.sinks, firing.sinks, boiler.sinks, isl.sinks, water.sinks)

    def pretreat(dried):
        c = fs.connect
        c(dried, choice.inlets.feed)
        c(choice.outlets.dryer, pre_mix.inlets.in1)
        c(choice.outlets.torrefaction, torr.inlets.feed)
        c(torr.outlets.out, pre_mix.inlets.in2)
        c(torr.outlets.volatiles, boiler.inlets.in3, id="torgas")
        return pre_mix.outlets.out

    isl.connect(fs, pretreat=pretreat, shift_condensate=water.inlets.in2)
    loop.connect(fs, makeup=isl.clean, fuel=(firing.fuel, boiler.inlets.in2, boiler.inlets.in4),
                 bottoms=water.inlets.in4)
    fs.connect(firing.rest, boiler.inlets.in1)
    firing.connect(fs)
    boiler.connect(fs)
    water.connect(fs, in1=isl.wastewater, in3=isl.condensate)

    fs.add_group("module", {"target": Param(D["module.target"], "", 1.0, 4.0,
                                            "stoichiometric module (H2 - CO2)/(CO + CO2) of the make-up gas [-]")})
    # design specs (solved one after the other, see the module doc): the module by the shift
    # bypass, and the autothermal gasifier (the ASU's air intake so that heat + heat loss = 0);
    # the reformer's firing by the share of the loop purge burnt (its measure needs the loop)
    fs.add_spec(S.ReformerFiring.spec())
    fs.add_spec(module_spec("makeup_gas", "agr"))
    if indirect:  # the share of raw gas fired beside the char, so that the combustor heats the gasifier
        fs.add_spec(dfb_spec())
    else:  # the ASU's air intake so that the gasifier is autothermal
        fs.add_spec(autothermal_spec("gasifier", "air.flow", lower=250.0, upper=6000.0, tol=1.0))
    add_economics(fs, ["methanol"])
    ch.routes.apply_defaults(fs, D)
    if zld:
        fs.set("water.reuse", "all")
    for k, v in params.items():
        fs.set(k, v)
    return fs
