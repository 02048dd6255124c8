"""Cells of examples/06_flexible_operation.ipynb (written by _build_notebooks.py)."""
from __future__ import annotations

from nbformat.v4 import new_code_cell, new_markdown_cell

SETUP = '''\
import os
import time

import numpy as np
import pandas as pd
import matplotlib.pyplot as plt

import carbonhub as ch
from carbonhub.flex import FlexPlant, PriceProfile, flex_kpis, read_prices, solve_dispatch
from carbonhub.flex.plots import price_duration_plot, storage_week_plot

SMALL = os.environ.get("CARBONHUB_EXAMPLES_SMALL") == "1"  # the tests set it: two weeks, not a year
pd.set_option("display.float_format", "{:.4g}".format)
%matplotlib inline'''

CELLS = [
    ("md", """\
# 06 Flexible operation against hourly electricity prices

The e-route `co2_methanol_mto` (captured CO2 + electrolytic H2 -> methanol -> olefins) spends about
two thirds of its minimum selling price (MSP) on electricity. Run flat out, it pays the average
price of every hour. Run flexibly, it can make its H2 when power is cheap, keep it in a **salt
cavern** or **tanks**, and keep the methanol synthesis running from the store: a bigger
electrolyser and a store cost capital, cheap hours save electricity.

`carbonhub.flex` sizes the electrolyser, the H2 store, the synthesis (and optionally a methanol
tank) and dispatches them hour by hour at **minimum MSP for the same annual product**: a linear
programme solved by HiGHS, whose objective is the route's own TEA (the same costing as
`carbonhub run`). The profile used here is the **synthetic** Dutch profile shipped in
`property_data/prices_nl_synthetic.csv` (built from 2024 statistics of the Dutch day-ahead
market: it is not market data).

With `CARBONHUB_EXAMPLES_SMALL=1` (the tests) the notebook solves two representative weeks of
the profile instead of the whole year."""),
    ("code", SETUP),
    ("md", "## The price profile"),
    ("code", '''\
year = read_prices(ch.flex.shipped_profile_path())
p = year.price_eur_per_MWh
print(year.name)
print(f"mean {p.mean():.1f} EUR/MWh, min {p.min():.0f}, max {p.max():.0f}, negative hours {(p < 0).sum()}")
by_hour = p.reshape(365, 24).mean(axis=0)
fig, ax = plt.subplots(1, 2, figsize=(11, 3.4))
ax[0].plot(np.sort(p)[::-1]); ax[0].set_xlabel("hours, by falling price"); ax[0].set_ylabel("EUR/MWh")
ax[1].bar(range(24), by_hour); ax[1].set_xlabel("hour of day"); ax[1].set_ylabel("mean price [EUR/MWh]")
fig.tight_layout()'''),
    ("md", """\
## The steady-state plant, cut into sections

One simulation of the route at its defaults; `FlexPlant` cuts it into the electrolysis, the
synthesis (CO2 and H2 compression, methanol loop, distillation) and the downstream (MtO,
olefin train, boiler, water treatment), each with its power at full load."""),
    ("code", '''\
t0 = time.perf_counter()
res = ch.routes.load("co2_methanol_mto").simulate()
plant = FlexPlant(res)                       # salt cavern store by default
print(f"simulated in {time.perf_counter() - t0:.1f} s; steady-state MSP {plant.steady_msp:,.0f} EUR/t")
pd.Series(plant.power_MW, name="power at full load [MW]").to_frame()'''),
    ("md", """\
## Check: a flat price reproduces the steady state

At the route's own electricity price in every hour, oversizing and storage only cost: the
optimum is the steady-state plant, at full load in every hour, with its MSP."""),
    ("code", '''\
price = float(res.param("prices.electricity_eur_per_MWh")[0])
flat = solve_dispatch(plant, PriceProfile(np.full(24, price), period=True))
print(f"flat {price:g} EUR/MWh: MSP {flat.msp_eur_per_t:,.3f} vs steady state {plant.steady_msp:,.3f} EUR/t")
assert abs(flat.msp_eur_per_t / plant.steady_msp - 1) < 1e-9
assert np.allclose(flat.electrolyser_load, 1.0) and flat.sizes.h2_storage_kg < 1e-6'''),
    ("md", """\
## Flexible operation against the Dutch profile

In the small run: two weeks of the profile (a representative period that repeats through the
year: the store cycles with it). In the full run: the whole year, 8,760 hours."""),
    ("code", '''\
if SMALL:
    start = 24 * 120                                   # two weeks from 1 May
    prof = PriceProfile(p[start:start + 336], year.grid_co2_t_per_MWh[start:start + 336],
                        name="2 weeks of the synthetic NL profile", period=True)
else:
    prof = year
t0 = time.perf_counter()
d = solve_dispatch(plant, prof)
k = flex_kpis(d)
print(f"solved in {time.perf_counter() - t0:.1f} s: {k['lp']['n_variables']} variables, "
      f"{k['lp']['n_constraints']} constraints, {k['lp']['iterations']} linearisation(s)")
show = ["msp_eur_per_t", "msp_flat_eur_per_t", "msp_saving_eur_per_t", "price_mean_eur_per_MWh",
        "price_paid_eur_per_MWh", "electricity_cost_eur_per_t", "electricity_cost_flat_eur_per_t",
        "electrolyser_capacity_MW", "electrolyser_capacity_factor", "synthesis_capacity_rel",
        "synthesis_capacity_factor", "h2_storage_kg", "h2_storage_hours_of_h2",
        "grid_co2_t_per_t", "grid_co2_flat_t_per_t"]
pd.Series({s: k[s] for s in show}).to_frame("value")'''),
    ("code", '''\
fig = price_duration_plot(d)
fig = storage_week_plot(d)'''),
    ("md", """\
## Checks

The flexible plant is cheaper than the flat one at the same average price; the H2, methanol and
product balances close hour by hour and over the year (recomputed from the hourly arrays); the
store stays between empty and its size."""),
    ("code", '''\
b = k["balances"]
assert k["msp_eur_per_t"] < k["msp_flat_eur_per_t"]
assert max(b[x] for x in ("h2_hour_rel", "h2_store_hour_rel", "h2_year_rel", "product_year_rel")) < 1e-9
assert b["h2_storage_min_kg"] >= 0 and b["h2_storage_max_over_size"] <= 1 + 1e-9
pd.Series(b).to_frame("residual")'''),
    ("md", """\
## Tanks instead of a cavern, and a methanol tank

Steel tanks cost about 20 times more per kg than a salt cavern (DEA via PyPSA technology-data,
property_data/flex.yaml); a methanol tank lets the MtO section run steadily while the synthesis
follows the H2."""),
    ("code", '''\
rows = {}
for label, pl, meoh in (("salt cavern", plant, False), ("tanks", FlexPlant(res, storage="tank"), False),
                        ("salt cavern + methanol tank", plant, True)):
    kk = flex_kpis(solve_dispatch(pl, prof, methanol_storage=meoh))
    rows[label] = {c: kk[c] for c in ("msp_eur_per_t", "electrolyser_capacity_MW", "h2_storage_kg",
                                      "methanol_storage_t", "synthesis_capacity_rel")}
table = pd.DataFrame(rows).T
assert table.loc["tanks", "h2_storage_kg"] <= table.loc["salt cavern", "h2_storage_kg"] + 1e-6
table'''),
    ("md", """\
## Price spread scenarios

The same average price with a narrower or wider spread (`PriceProfile.scaled`): the saving of
flexible operation grows with the spread."""),
    ("code", '''\
saving = {}
for spread in (0.5, 1.0, 1.5):
    kk = flex_kpis(solve_dispatch(plant, prof.scaled(spread=spread)))
    saving[spread] = kk["msp_saving_eur_per_t"]
s = pd.Series(saving, name="MSP saving vs flat [EUR/t]")
s.index.name = "spread factor"
assert s.is_monotonic_increasing
s.to_frame()'''),
    ("md", """\
The same from the command line:

    carbonhub flex co2_methanol_mto --prices property_data/prices_nl_synthetic.csv \\
        --json flex.json --report flex.html"""),
]

NB_FLEX = [new_markdown_cell(t) if kind == "md" else new_code_cell(t) for kind, t in CELLS]
