"""Your first flowsheet: a methanol synthesis loop with recycle and purge.

The script version of examples/02_build_a_flowsheet.ipynb, for people who do not use
notebooks. Run it::

    python examples/first_flowsheet.py            # 1 case, then 1,000 cases
    CARBONHUB_EXAMPLES_SMALL=1 python examples/first_flowsheet.py     # 50 cases (CI)

    fresh syngas -> compressor -> mixer -> preheater -> methanol reactor -> flash (40 degC)
                                    ^                                          |  \\-> crude methanol
                                    '---- recycle compressor <- splitter <-----'
                                                                   \\-> purge
"""
from __future__ import annotations

import os

import numpy as np

import carbonhub as ch
from carbonhub.unitops.basic import Heater, Mixer, Splitter
from carbonhub.unitops.machines import Compressor
from carbonhub.unitops.methanol import MethanolReactor
from carbonhub.unitops.separations import Flash
from carbonhub.unitops.sources import GasSource, Sink

N_CASES = 50 if os.environ.get("CARBONHUB_EXAMPLES_SMALL") == "1" else 1000


def build() -> ch.Flowsheet:
    """The loop; every number is a parameter that ``simulate(params=...)`` can vary per case."""
    cs = ch.ComponentSet.from_ids(["H2", "CO", "CO2", "H2O", "H2O(L)", "CH3OH", "CH4", "N2"])
    fs = ch.Flowsheet("methanol_loop", components=cs)
    feed = fs.add(GasSource("syngas", composition={"H2": 0.68, "CO": 0.24, "CO2": 0.05, "CH4": 0.02,
                                                   "N2": 0.01}, flow=1000.0, T=313.15, P=30e5))
    comp = fs.add(Compressor("feed_compressor", P_out=80e5, n_stages=2, aftercooler="yes"))
    mixer = fs.add(Mixer("mixer", n_inlets=2))
    preheat = fs.add(Heater("preheater", T=498.15))
    reactor = fs.add(MethanolReactor("reactor", T=523.15, P=80e5, dT_approach=10.0))
    flash = fs.add(Flash("flash", T=313.15, P=79e5))
    purge = fs.add(Splitter("purge", fraction=0.05))
    recomp = fs.add(Compressor("recycle_compressor", P_out=80e5))
    crude = fs.add(Sink("crude_methanol", category="product", product="methanol", main=True))
    purge_gas = fs.add(Sink("purge_gas", category="emission"))

    fs.connect(feed.outlets.out, comp.inlets.feed)
    fs.connect(comp.outlets.out, mixer.inlets.in1)
    fs.connect(mixer.outlets.out, preheat.inlets.feed)
    fs.connect(preheat.outlets.out, reactor.inlets.feed)
    fs.connect(reactor.outlets.out, flash.inlets.feed)
    fs.connect(flash.outlets.liquid, crude.inlets.feed)
    fs.connect(flash.outlets.vapor, purge.inlets.feed)
    fs.connect(purge.outlets.purge, purge_gas.inlets.feed)
    fs.connect(purge.outlets.out, recomp.inlets.feed)
    fs.connect(recomp.outlets.out, mixer.inlets.in2, id="recycle")
    return fs


def main() -> None:
    fs = build()
    print(fs, "- tear streams:", fs.tears)

    # one case at the defaults
    res = fs.simulate()
    res.check_balances()  # raises AssertionError naming the unit if one does not conserve
    crude = res.stream("flash_liquid")
    feed = res.stream("syngas_out")
    print(f"methanol made      {crude['CH3OH'][0] * 32.042e-3 * 3.6:8.2f} t/h")
    print(f"carbon to methanol {crude['CH3OH'][0] / feed.carbon_flow[0]:8.3f}")
    print(f"recycle / feed     {res.stream('recycle').total_flow[0] / feed.total_flow[0]:8.3f}")
    print(f"tear iterations {int(np.max(res.iterations.get('recycle', [0])))}")

    # N_CASES cases in one call: purge fraction and reactor temperature vary together. A small
    # purge means slow build-up of the inerts (CH4, N2), hence more tear iterations: allow
    # up to 500 (a case that does not converge is flagged in many.status, never silently kept).
    purge = np.linspace(0.02, 0.20, N_CASES)
    temps = np.linspace(503.15, 553.15, N_CASES)
    many = fs.simulate(params={"purge.fraction": purge, "reactor.T": temps}, max_iter=500)
    ok = many.status == "ok"
    meoh = many.stream("flash_liquid")["CH3OH"]
    print(f"{ok.sum()} of {many.n_cases} cases converged; "
          f"methanol from {meoh[ok].min():.1f} to {meoh[ok].max():.1f} mol/s")
    print("worst balance residuals over all cases and units:")
    print(many.balances.max().to_string())

    # checks a reader would notice: every methanol carbon comes from the CO + CO2 fed (one
    # carbon each), and a loop with a 5 % purge converts most of it; every case conserves
    made, co_co2 = crude["CH3OH"][0], feed["CO"][0] + feed["CO2"][0]
    assert 0.85 * co_co2 < made <= co_co2, (made, co_co2)
    assert ok.all(), many.status[~ok]
    many.check_balances()
    print("checks passed")


if __name__ == "__main__":
    main()
