"""Biomass to FT fuels: drying, O2/steam gasification, cleanup, shift, CO2 capture, FT with tail-gas recycle, wax hydrocracking, condensate hydrotreating, product columns.

Wood chips (or any solid feedstock) -> size reduction -> belt dryer -> pressurised O2/steam-blown
fluidised-bed gasifier (autothermal: the ASU's air intake is a design spec)
-> catalytic tar/CH4 reformer at 910 degC (CH4, C2+, tars and NH3 reformed at the NREL
2012-target conversions, shift at equilibrium; its duty fired by a combustor burning part of
the FT tail-gas purge, a design spec) -> syngas cooler
(steam raising) -> water scrubber (HCl, NH3, particulates) -> ZnO sulphur guard -> water-gas
shift to H2/CO = 2.1 -> acid-gas removal with CO2 capture (compressed to 110 bar for storage)
-> cobalt slurry FT with tail-gas recycle; the loop purge is burnt in the reformer's combustor
(as much as the reformer needs) and the rest recycled to the reformer (``boiler_fuel.fraction``
sends a share to the boiler instead) -> upgrading (as the hydrocracker -> hydrotreater ->
two shortcut columns of PNNL-32731's fuel upgrading, doi:10.2172/1863608, transcribed in EXPOsan
exposan/saf/systems.py, with the FT wax/condensate split of a slurry reactor ahead): the reactor
wax (C21+) is withdrawn apart from the condensate (``wax_split``, inside the FT reactor's scope),
the condensate (naphtha and distillate) is hydrotreated with H2 from a PSA on a syngas
slipstream, the hydrotreater's effluent with its unreacted H2 joins the wax in the
hydrocracker, and two Fenske-Underwood-Gilliland columns fractionate the C5+ liquid into
naphtha (``naphtha_column`` overhead), jet (``jet_column`` overhead) and diesel (its bottoms).
The hydrocracker's hot C5+ effluent heats the hydrotreater's feed in a feed-effluent exchanger
(``ht_feed_effluent_hx``, 10 K approach, as the methanol loop's) and goes on warm to the naphtha
column (its feed heat priced by the column, unitops/column_feed.py): the condensate was heated
by ~2.5 MW of bought steam while the cracker's effluent was cooled to 40 degC on cooling water
and the column feed reheated.
PSA tail gas and cracker off-gas fire a boiler (steam credit). All aqueous streams (scrubber, FT water, CO2 condensate) go
through a sour-water stripper and biological treatment.

Reference case: Swanson, R.M., Platon, A., Satrio, J.A., Brown, R.C. (2010), Techno-economic
analysis of biomass-to-liquids production based on gasification, Fuel 89:S11-S19,
doi:10.1016/j.fuel.2010.07.027 (NREL/TP-6A20-46587): 2,000 dry t/d, low-temperature (870 degC)
O2/steam fluidised-bed scenario. See flowsheets/biomass_ft.yaml.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import carbonhub as ch
from carbonhub.costing.flowsheet import add_economics
from carbonhub.unitops.basic import ComponentSplitter, Heater, Mixer, Splitter
from carbonhub.unitops.columns import ShortcutColumn
from carbonhub.unitops.heat import HeatExchanger
from carbonhub.unitops.ft import FischerTropsch
from carbonhub.unitops.gasifier import autothermal_spec
from carbonhub.unitops.machines import Compressor
from carbonhub.unitops.separations import PSA
from carbonhub.unitops.sources import Sink
from carbonhub.unitops.hydrotreating import Hydrotreater
from carbonhub.unitops.upgrading import Hydrocracker

# flowsheets/ is not a package: load the shared sections (flowsheets/_sections.py) by path
_spec = importlib.util.spec_from_file_location("carbonhub_routes._sections", Path(__file__).with_name("_sections.py"))
S = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(S)

NAME = "biomass_ft"


def build(zld: bool = False, **params: Any) -> ch.Flowsheet:
    """Build the route; ``params`` are ``unit.param`` values applied on top of the defaults.
    ``zld=True`` builds the zero-liquid-discharge variant of the water treatment (the treated
    water and sludge through an evaporator/crystalliser, flowsheets/_sections.py WaterTreatment;
    its distillate reused, ``water.reuse = "all"``: cooling-tower make-up, demin feed, process water).
    """
    fs = ch.Flowsheet(NAME)
    D = ch.routes.RouteDefaults(NAME)  # the route's defaults (biomass_ft.yaml), their one home
    P_gasifier = D["gasifier.P"]
    isl = S.GasificationIsland(P=P_gasifier, feedstock=D["feed.feedstock"],
                               rate_dry_t_per_h=D["feed.rate_dry_t_per_h"], air_ratio=1.5,
                               steam_ratio=D["gasifier_steam.ratio"],
                               gasifier={k: D[f"gasifier.{k}"] for k in ("T", "carbon_conversion", "ch4_slip")},
                               wgs=dict(mode="h2_co", h2_co=D["wgs.h2_co"], T=573.15), agr_technology=D["agr.technology"],
                               co2_capture=D["agr.co2_capture"], reformer={}, reformer_recycle=True)
    # -- FT synthesis with its loop recycle; the loop purge fires the reformer's combustor (as
    # much as the reformer needs: a design spec) and the rest is recycled to the tar reformer
    # (its C1-C4 reformed); H2 by PSA on a syngas slipstream; wax hydrocracking
    h2_split = Splitter("h2_split", fraction=0.03)
    psa = PSA("psa")
    mixer = Mixer("ft_mixer", n_inlets=2)
    ft_heat = Heater("ft_preheat", T=493.15)
    ft = FischerTropsch("ft", ch4_extra=0.05, P=25e5)
    purge = Splitter("purge")
    recycle_comp = Compressor("recycle_compressor", P_out=P_gasifier - 1e5)
    boiler_fuel = Splitter("boiler_fuel")
    reformer_comp = Compressor("reformer_recycle_compressor", P_out=P_gasifier)
    firing = S.ReformerFiring()
    h2_comp = Compressor("h2_compressor", P_out=50e5)
    # upgrading: the FT reactor's wax (C21+, the C30H62 lump) apart from its condensate, as a
    # slurry reactor delivers them (filtered reactor wax, condensed overhead liquids)
    wax_split = ComponentSplitter("wax_split", split={"C30H62": 1.0})
    # its effluent goes on hot to the cracker, in series on the same H2 (no cooler between them)
    ht = Hydrotreater("hydrotreater", P=50e5, T_out=623.15)
    # the cracker's effluent leaves at its reactor temperature (no cooler of its own): its C5+
    # liquid heats the hydrotreater's feed (feed-effluent exchanger) and goes on to the columns
    hcr = Hydrocracker("hydrocracker", T_out=623.15)
    fehe = HeatExchanger("ht_feed_effluent_hx", spec="approach", dT_min=10.0)
    naphtha_col = ShortcutColumn("naphtha_column", light_key="C8H18", heavy_key="C12H26", P=1.01325e5)
    # below atmospheric pressure so that the reboiler stays under ~540 K (its trace naphtha
    # inside the range of its vapour-pressure data, n-octane to 568.7 K)
    jet_col = ShortcutColumn("jet_column", light_key="C12H26", heavy_key="C16H34", P=0.5e5)
    boiler = S.Boiler(n_fuels=3)
    water = S.WaterTreatment(n_inlets=3, zld=zld)
    products = [Sink(cut, category="product", product=f"ft_{cut}", main=True) for cut in ("naphtha", "jet", "diesel")]
    S.add(fs, isl, [h2_split, psa, mixer, ft_heat, ft, purge, recycle_comp, boiler_fuel, reformer_comp], firing,
          [h2_comp, wax_split, fehe, ht, hcr, naphtha_col, jet_col], boiler, water)
    S.add(fs, products, firing.sinks, boiler.sinks, isl.sinks, water.sinks)

    c = fs.connect
    isl.connect(fs)
    c(isl.clean, h2_split.inlets.feed)
    c(h2_split.outlets.purge, psa.inlets.feed)
    c(psa.outlets.product, h2_comp.inlets.feed)
    c(h2_comp.outlets.out, ht.inlets.h2)
    c(h2_split.outlets.out, mixer.inlets.in1)
    c(mixer.outlets.out, ft_heat.inlets.feed)
    c(ft_heat.outlets.out, ft.inlets.syngas)
    c(ft.outlets.gas, purge.inlets.feed)
    c(purge.outlets.out, recycle_comp.inlets.feed)
    c(recycle_comp.outlets.out, mixer.inlets.in2, id="ft_recycle")
    c(purge.outlets.purge, boiler_fuel.inlets.feed, id="tail_gas_purge")
    c(boiler_fuel.outlets.out, firing.fuel)
    c(firing.rest, reformer_comp.inlets.feed)
    c(reformer_comp.outlets.out, isl.reformer_recycle, id="reformer_recycle")
    firing.connect(fs)
    c(ft.outlets.liquid, wax_split.inlets.feed)
    c(wax_split.outlets.bottom, fehe.inlets.cold, id="ft_condensate")
    c(fehe.outlets.cold_out, ht.inlets.feed, id="hydrotreater_feed")
    c(wax_split.outlets.top, hcr.inlets.feed, id="ft_wax")
    # the hydrotreated condensate and its unreacted H2 go on to the cracker (H2 in series)
    c(ht.outlets.product, hcr.inlets.h2)
    c(hcr.outlets.product, fehe.inlets.hot, id="hydrocracker_effluent")
    c(fehe.outlets.hot_out, naphtha_col.inlets.feed, id="naphtha_column_feed")
    c(naphtha_col.outlets.bottoms, jet_col.inlets.feed)
    for port, sink in zip((naphtha_col.outlets.distillate, jet_col.outlets.distillate, jet_col.outlets.bottoms),
                          products):
        c(port, sink.inlets.feed)
    c(boiler_fuel.outlets.purge, boiler.inlets.in1)
    c(psa.outlets.tail_gas, boiler.inlets.in2)
    c(hcr.outlets.offgas, boiler.inlets.in3)
    boiler.connect(fs)
    water.connect(fs, in1=isl.wastewater, in2=ft.outlets.water, in3=isl.condensate)
    fs.tear_hints += ["ft_recycle", "reformer_recycle", "hydrocracker_effluent"]

    # the reformer's fired duty met by burning part of the purge (outer spec: its measure needs
    # the FT loop, so the inner spec iterates up to the gasifier only); autothermal gasifier:
    # the ASU's air intake (kg air per kg dry feed; ER ~0.05-0.7) so that heat + heat loss = 0
    fs.add_spec(S.ReformerFiring.spec())
    fs.add_spec(autothermal_spec("gasifier", "air.ratio", lower=0.3, upper=4.5))
    add_economics(fs, ["ft_naphtha", "ft_jet", "ft_diesel"], main_name="ft_fuels")
    ch.routes.apply_defaults(fs, D)
    if zld:
        fs.set("water.reuse", "all")
    for k, v in params.items():
        fs.set(k, v)
    return fs
