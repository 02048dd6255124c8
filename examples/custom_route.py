"""A new route, start to finish: biomass to clean syngas for a downstream synthesis.

This file is the worked example of the guide "How to add a route" (docs/dev/add_route.md),
which includes it piece by piece. Run it::

    python examples/custom_route.py

A route is a Python module with ``build(**params) -> Flowsheet`` (plus a YAML file with its
default parameters, their sources and a literature reference case). A default the YAML lists
lives there only: ``build`` reads it (``ch.routes.RouteDefaults``) and ends by applying them all
(``ch.routes.apply_defaults``). To put this one in the
route library, copy it to ``flowsheets/biomass_syngas.py`` and ``examples/custom_route.yaml`` to
``flowsheets/biomass_syngas.yaml``: ``carbonhub routes`` then lists it, and
``carbonhub run biomass_syngas`` / ``carbonhub sweep biomass_syngas`` work on it.

The chain: wood chips -> size reduction -> belt dryer -> O2/steam-blown pressurised
fluidised-bed gasifier (autothermal: the oxygen supply is a design spec) -> syngas cooler
(raising steam) -> water scrubber -> ZnO sulphur guard -> water-gas shift to H2/CO = 2 ->
Selexol CO2 capture (CO2 compressed for storage) -> clean syngas, sold over the fence.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import carbonhub as ch
from carbonhub.costing.flowsheet import add_economics
from carbonhub.unitops.asu import AirSeparationUnit
from carbonhub.unitops.basic import Heater, Mixer
from carbonhub.unitops.co2 import AcidGasRemoval, CO2Compression
from carbonhub.unitops.cooling import Scrubber, SyngasCooler
from carbonhub.unitops.gasifier import Gasifier, autothermal_spec
from carbonhub.unitops.pretreatment import Dryer, FeedHandling
from carbonhub.unitops.shift import WaterGasShift
from carbonhub.unitops.sources import AIR, Feedstock, GasSource, ProportionalFeed, Sink
from carbonhub.unitops.sulphur import SulphurRemoval

NAME = "biomass_syngas"
YAML = Path(__file__).with_suffix(".yaml")  # custom_route.yaml here; <route>.yaml in flowsheets/


# --8<-- [start:build]
def build(**params: Any) -> ch.Flowsheet:
    """Biomass to clean syngas (H2/CO = 2); ``params`` are ``unit.param`` values applied on top
    of the defaults, e.g. ``build(**{"gasifier.T": 1173.15})``."""
    fs = ch.Flowsheet(NAME)
    D = ch.routes.RouteDefaults(NAME, YAML)  # the defaults of the YAML: their one home
    P_gasifier = D["gasifier.P"]  # a default that shapes the flowsheet (the pressures around it)
    u = fs.add
    # 1. units: every route has a Feedstock called "feed" (feed.feedstock, feed.rate_dry_t_per_h);
    #    the values the YAML lists are not written here
    feed = u(Feedstock("feed", feedstock=D["feed.feedstock"]))
    handling = u(FeedHandling("handling"))
    dryer = u(Dryer("dryer", moisture_out_wt_pct=10.0))
    air = u(GasSource("air", composition=AIR, flow=700.0, category="air", origin="atmospheric"))
    asu = u(AirSeparationUnit("asu"))
    steam = u(ProportionalFeed("gasifier_steam", composition={"H2O": 1.0}, basis="dry_mass",
                               ratio=0.3, T=573.15, P=P_gasifier + 2e5, category="steam_mp"))
    gasifier = u(Gasifier("gasifier", P=P_gasifier, heat_loss_fraction=0.02))
    cooler = u(SyngasCooler("cooler", T_out=573.15))
    scrub_water = u(ProportionalFeed("scrub_water", composition={"H2O(L)": 1.0}, basis="dry_mass",
                                     ratio=0.2, T=298.15, P=P_gasifier, category="process_water"))
    scrubber = u(Scrubber("scrubber", T_out=313.15))
    sulphur = u(SulphurRemoval("sulphur"))
    shift_steam = u(ProportionalFeed("shift_steam", composition={"H2O": 1.0}, basis="mol:CO",
                                     ratio=0.6, T=573.15, P=P_gasifier, category="steam_mp"))
    wgs = u(WaterGasShift("wgs", mode="h2_co", T=573.15))
    wgs_cool = u(Heater("wgs_cooler", T=313.15))
    agr = u(AcidGasRemoval("agr", technology="selexol"))
    co2comp = u(CO2Compression("co2_compression", P_out=110e5))
    ww_mix = u(Mixer("ww_mixer", n_inlets=2))
    # sinks: what leaves the plant, and what it counts as (products, emissions, storage, ...)
    syngas = u(Sink("syngas", category="product", product="syngas", main=True))
    dryer_vent = u(Sink("dryer_vent", category="emission"))
    n2_vent = u(Sink("n2_vent", category="emission"))
    ash = u(Sink("ash", category="solid_residue"))
    sulphur_out = u(Sink("sulphur_out", category="solid_residue"))
    acid_gas = u(Sink("acid_gas", category="emission"))
    co2_store = u(Sink("co2_storage", category="co2_storage"))
    wastewater = u(Sink("wastewater", category="wastewater"))

    # 2. streams: outlet port -> inlet port (ids default to "<unit>_<port>")
    c = fs.connect
    c(feed.outlets.out, handling.inlets.feed)
    c(handling.outlets.out, dryer.inlets.feed)
    c(dryer.outlets.exhaust, dryer_vent.inlets.feed)
    c(dryer.outlets.out, steam.inlets.ref)          # steam in proportion to the dried feed
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
    c(sulphur.outlets.out, shift_steam.inlets.ref)  # shift steam in proportion to the CO
    c(shift_steam.outlets.ref, wgs.inlets.feed)
    c(shift_steam.outlets.out, wgs.inlets.steam)
    c(wgs.outlets.out, wgs_cool.inlets.feed)
    c(wgs_cool.outlets.out, agr.inlets.feed)
    c(agr.outlets.clean, syngas.inlets.feed)
    c(agr.outlets.acid_gas, acid_gas.inlets.feed)
    c(agr.outlets.co2, co2comp.inlets.feed)
    c(co2comp.outlets.out, co2_store.inlets.feed)
    c(scrubber.outlets.wastewater, ww_mix.inlets.in1)
    c(co2comp.outlets.condensate, ww_mix.inlets.in2)
    c(ww_mix.outlets.out, wastewater.inlets.feed)

    # 3. design specs: the air to the ASU so that the gasifier is autothermal, per case
    fs.add_spec(autothermal_spec("gasifier", "air.flow", lower=50.0, upper=5000.0))
    # 4. economics: prices.* and economics.* parameters; the main product for the MSP
    add_economics(fs, ["syngas"])
    # 5. the YAML's defaults, then the parameters given by the caller
    ch.routes.apply_defaults(fs, D)
    for k, v in params.items():
        fs.set(k, v)
    return fs
# --8<-- [end:build]


# --8<-- [start:main]
if __name__ == "__main__":
    import os

    import numpy as np

    small = os.environ.get("CARBONHUB_EXAMPLES_SMALL") == "1"

    fs = build()
    print(fs)
    res = fs.simulate()                                  # one case at the defaults
    res.check_balances()                                 # raises if a unit does not conserve
    k = res.kpis.iloc[0]
    print(f"carbon efficiency  {k['carbon_efficiency']:.3f}")
    print(f"cold gas efficiency {k['cold_gas_efficiency']:.3f}")
    print(f"syngas             {k['products_t_per_h.syngas']:.2f} t/h")
    print(f"TCI                {k['tci_eur'] / 1e6:.1f} MEUR")
    print(f"MSP                {k['msp_eur_per_t']:.0f} EUR/t syngas")

    # the same route over every solid feedstock it accepts, in one call
    feeds = fs.parameters().set_index("name").loc["feed.feedstock", "choices"]
    res = fs.simulate(params={"feed.feedstock": np.array(feeds)})
    table = res.kpis[["carbon_efficiency", "msp_eur_per_t"]].assign(feedstock=feeds,
                                                                    status=res.status)
    print(table.to_string(max_colwidth=60))     # a failed case says why; the others are fine

    # and a small Monte Carlo sweep, as for any route of the library
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        sw = ch.sweep.run(fs, {"gasifier.T": "uniform(1100,1250)",
                               "prices.feedstock_eur_per_t": "triangular(60,90,130) EUR/t"},
                          n=16 if small else 256, method="lhs", seed=1,
                          out=f"{tmp}/syngas.parquet", progress=False)
        print(ch.sweep.summary(sw, ["msp_eur_per_t", "carbon_efficiency"])
              [["n_ok", "mean", "p5", "p50", "p95"]].to_string())

    # checks: each feedstock is ok or says why (no numbers for a failed case); the syngas
    # carries a fraction of the feed's carbon and energy (sanity bands, not validation)
    ok = res.status == "ok"
    assert ok.any() and table["msp_eur_per_t"][~ok].isna().all()
    assert (0.2 < k["carbon_efficiency"] < 1.0) and (0.5 < k["cold_gas_efficiency"] < 1.0)
    print("checks passed")
# --8<-- [end:main]
