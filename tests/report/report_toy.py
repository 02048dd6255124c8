"""A small flowsheet that exercises every part of the report: two sources of different carbon
origin, a mixer with a recycle, a cooler, a water knock-out, CO2 capture with a vent, a product
separation and a purge, and sinks of the categories product, emission, co2_storage and
wastewater."""
from __future__ import annotations

import pandas as pd

import carbonhub as ch
from carbonhub.unitops.basic import ComponentSplitter, Heater, Mixer, Splitter
from carbonhub.unitops.sources import GasSource, Sink

COMPONENTS = ["H2", "CO", "CO2", "H2O", "CH4", "N2"]


def build_toy() -> ch.Flowsheet:
    fs = ch.Flowsheet("toy_sng", components=ch.ComponentSet.from_ids(COMPONENTS))
    feed = fs.add(GasSource("syngas", {"CO": 1, "H2": 2, "CO2": 0.5, "H2O": 0.3, "CH4": 0.1,
                                       "N2": 0.05}, origin="biogenic", flow=100.0, T=320.0,
                            P=20e5))
    ng = fs.add(GasSource("natgas", {"CH4": 0.95, "CO2": 0.01, "N2": 0.04}, origin="fossil",
                          flow=5.0, T=300.0, P=20e5))
    mix = fs.add(Mixer("mixer", n_inlets=3))
    cooler = fs.add(Heater("cooler", T=310.0))
    ko = fs.add(ComponentSplitter("knockout", {"H2O": 1.0}))
    agr = fs.add(ComponentSplitter("agr", {"CO2": 0.9}))
    vent = fs.add(Splitter("co2_vent", fraction=0.3))
    sep = fs.add(ComponentSplitter("product_sep", {"CH4": 0.9, "CO": 0.2}))
    loop = fs.add(Splitter("loop", fraction=0.1))
    prod = fs.add(Sink("sng", category="product", product="sng", main=True))
    ww = fs.add(Sink("wastewater", category="wastewater"))
    store = fs.add(Sink("storage", category="co2_storage"))
    stack = fs.add(Sink("stack", category="emission"))
    flare = fs.add(Sink("flare", category="emission"))
    fs.connect(feed.outlets.out, mix.inlets.in1)
    fs.connect(ng.outlets.out, mix.inlets.in2)
    fs.connect(mix.outlets.out, cooler.inlets.feed)
    fs.connect(cooler.outlets.out, ko.inlets.feed)
    fs.connect(ko.outlets.top, ww.inlets.feed)
    fs.connect(ko.outlets.bottom, agr.inlets.feed)
    fs.connect(agr.outlets.top, vent.inlets.feed)
    fs.connect(vent.outlets.out, store.inlets.feed)
    fs.connect(vent.outlets.purge, stack.inlets.feed)
    fs.connect(agr.outlets.bottom, sep.inlets.feed)
    fs.connect(sep.outlets.top, prod.inlets.feed)
    fs.connect(sep.outlets.bottom, loop.inlets.feed)
    fs.connect(loop.outlets.purge, flare.inlets.feed)
    fs.connect(loop.outlets.out, mix.inlets.in3, id="recycle")
    return fs


def attach_costs(res) -> None:
    """Cost results as the costing package will attach them (tables of one case)."""
    res.costs = {
        "by_unit": pd.DataFrame({"installed_eur": [2e6, 5e6, 1.5e6, 3e6],
                                 "purchased_eur": [1e6, 2e6, 0.5e6, 1e6]},
                                index=pd.Index(["cooler", "agr", "knockout", "product_sep"],
                                               name="unit")),
        "by_category": pd.DataFrame({"EUR": [4e6, 7.5e6, 11.5e6, 1.2e6, 12.7e6]},
                                    index=["purchased_equipment", "installation_and_indirect",
                                           "fci", "working_capital", "tci"]),
        "opex": pd.DataFrame({"EUR_per_y": [3e6, 0.8e6, 0.5e6, 1.1e6, 0.4e6, -0.6e6, 5.2e6]},
                             index=["feedstock_syngas", "electricity", "cooling_water", "labour",
                                    "maintenance", "co2_credit", "total"]),
    }
    kpis = res.kpis.copy()
    kpis["msp_eur_per_t"] = 900.0
    kpis["tci_eur"] = 12.7e6
    res.kpis = kpis


N_MULTI = 12
FAILED_CASE = 3
FAILED_REASON = "no convergence: recycle (test)"
