"""Write the example notebooks (examples/*.ipynb) from the cells below, without outputs.

The notebooks are generated so that they can be reviewed as code: edit this file, then run

    python examples/_build_notebooks.py           # rewrites examples/0*.ipynb
    python examples/_build_notebooks.py --check   # exit 1 if a committed notebook is stale

Every notebook reads ``CARBONHUB_EXAMPLES_SMALL=1`` (set by the tests) to use a small number
of cases (fewer optimisations and Pareto points in ``05_optimisation.ipynb``); by default it
runs the full study.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _notebook_checks import CHECKS  # noqa: E402  (the last cells of each notebook)

SETUP = '''\
import os
import time

import numpy as np
import pandas as pd
import matplotlib.pyplot as plt

import carbonhub as ch

SMALL = os.environ.get("CARBONHUB_EXAMPLES_SMALL") == "1"  # the tests set it: few cases
pd.set_option("display.width", 140)
pd.set_option("display.max_columns", 20)
pd.set_option("display.float_format", "{:.4g}".format)
%matplotlib inline'''


def md(text: str):
    return new_markdown_cell(text.strip("\n"))


def code(text: str):
    return new_code_cell(text.strip("\n"))


# ---------------------------------------------------------------------------------------------
NB01 = [
    md("""
# 01 · Thermodynamics and chemical equilibrium

A gasifier, a shift reactor and a methanol reactor all run close to **chemical equilibrium**, so
the composition of their product gas follows from thermodynamics alone: the mixture of species
that minimises the Gibbs energy at the given temperature and pressure, for the atoms that were
fed. This notebook computes those equilibria with carbonhub and shows how they move with
temperature, pressure and steam, the three knobs a process engineer turns.

You will use

* `ch.thermo.equilibrate(species, moles, T, P)`: a batched Gibbs minimiser (the NASA CEA
  method of Gordon & McBride 1994, NASA RP-1311). `moles` has one row per *case*: a whole
  temperature scan is one call, not a loop;
* `ch.thermo.equilibrium_constant(reaction, T)`: K(T) from the same species data;
* Cantera, to check both: carbonhub reads its species data (NASA Glenn polynomials,
  McBride et al. 2002, NASA/TP-2002-211556) from the files bundled with Cantera, so the two
  must agree to round-off.
"""),
    code(SETUP + '''
from carbonhub.thermo import equilibrate, equilibrium_constant

N = 25 if SMALL else 200   # points per scan'''),
    md("""
## 1. Wood and steam at equilibrium

Dry wood is mostly C, H and O. Its ultimate analysis (`property_data/feedstocks.yaml`) gives
the atoms per mole of carbon; only the element inventory matters for an equilibrium, so we can
feed them as graphite `C(s)`, water and hydrogen.
"""),
    code('''
wood = ch.feedstocks.get_feedstock("wood_chips")
u = wood.ultimate_dry_wt_pct
h_c = (u["H"] / 1.008) / (u["C"] / 12.011)      # mol H per mol C
o_c = (u["O"] / 15.999) / (u["C"] / 12.011)     # mol O per mol C
print(f"wood: CH{h_c:.2f}O{o_c:.2f}  ({wood.name}; source: {wood.source})")

species = ["H2", "CO", "CO2", "H2O", "CH4", "C(s)"]
def feed(steam_per_c):
    """Initial moles of one mol C of wood plus steam, one row per case."""
    steam = np.atleast_1d(steam_per_c)
    n = np.zeros((steam.size, len(species)))
    n[:, species.index("C(s)")] = 1.0
    n[:, species.index("H2O")] = o_c + steam           # the wood's oxygen, as water
    n[:, species.index("H2")] = (h_c - 2 * o_c) / 2    # the rest of its hydrogen
    return n'''),
    md("""
A temperature scan at 1 bar and at 30 bar, with 0.5 mol of steam per mol of carbon: each call
solves `N` equilibria at once.
"""),
    code('''
T = np.linspace(700.0, 1500.0, N)
equilibrate(species, feed(0.5), 1000.0, 1e5)   # the first call loads the compiled kernel
scans = {}
for P_bar in (1.0, 30.0):
    t0 = time.perf_counter()
    r = equilibrate(species, np.repeat(feed(0.5), N, axis=0), T, P_bar * 1e5)
    print(f"{P_bar:4.0f} bar: {N} equilibria in {1e3 * (time.perf_counter() - t0):.1f} ms, "
          f"status {sorted(set(r.status.tolist()))}")
    scans[P_bar] = r

def dry_fractions(r):
    """Mole fractions of the dry gas (no water, no solid carbon)."""
    gas = [species.index(s) for s in ("H2", "CO", "CO2", "CH4")]
    m = r.moles[:, gas]
    return pd.DataFrame(m / m.sum(axis=1, keepdims=True), columns=["H2", "CO", "CO2", "CH4"])

fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
for ax, (P_bar, r) in zip(axes, scans.items()):
    x = dry_fractions(r)
    for c in x:
        ax.plot(T, x[c], label=c)
    ax.plot(T, r.moles[:, species.index("C(s)")], "k--", label="C(s) left [mol/mol C]")
    ax.set(title=f"{P_bar:g} bar, steam/C = 0.5", xlabel="T [K]")
axes[0].set_ylabel("dry mole fraction")
axes[1].legend();'''),
    md("""
What the plots say:

* **Methane** is favoured at low temperature and high pressure (CO + 3 H2 = CH4 + H2O removes
  moles); above ~1100 K at 1 bar it is gone. A pressurised gasifier needs a higher temperature
  for the same methane slip.
* **Solid carbon** disappears above a temperature that rises with pressure: below it, a
  gasifier at equilibrium would leave char (real gasifiers are not at equilibrium, which is
  why carbonhub's `Gasifier` has `carbon_conversion`, `ch4_slip` and `dT_approach`).
* Above ~1000 K the **water-gas shift** (CO + H2O = CO2 + H2) turns back towards CO: hot
  syngas is CO-rich.

## 2. Pressure and steam

The same minimiser with pressure or the steam-to-carbon ratio as the case axis, at 1100 K.
"""),
    code('''
P = np.geomspace(1e5, 60e5, N)
r_P = equilibrate(species, np.repeat(feed(0.5), N, axis=0), 1100.0, P)
steam = np.linspace(0.0, 2.0, N)
r_S = equilibrate(species, feed(steam), 1100.0, 30e5)

fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for c, col in dry_fractions(r_P).items():
    axes[0].semilogx(P / 1e5, col, label=c)
axes[0].set(xlabel="P [bar]", ylabel="dry mole fraction", title="1100 K, steam/C = 0.5")
x = dry_fractions(r_S)
axes[1].plot(steam, x["H2"] / x["CO"], label="H2/CO")
axes[1].plot(steam, r_S.moles[:, species.index("C(s)")], "k--", label="C(s) left")
axes[1].set(xlabel="steam / C [mol/mol]", title="1100 K, 30 bar")
axes[0].legend(); axes[1].legend();'''),
    md("""
More steam raises H2/CO (the shift moves right) and gasifies the last of the carbon; more
pressure makes methane. A Fischer-Tropsch plant wants H2/CO ≈ 2.1 and little methane; this is
why biomass-to-liquids plants gasify at moderate pressure, then shift the gas in a separate
reactor (carbonhub's `WaterGasShift`) rather than in the gasifier.

**Check the balances.** Whatever the case, the minimiser moves atoms between species but never
creates or destroys them:
"""),
    code('''
A = ch.ComponentSet.default().subset(species).element_matrix
for name, r, n0 in (("T scan 30 bar", scans[30.0], np.repeat(feed(0.5), N, axis=0)),
                    ("steam scan", r_S, feed(steam))):
    err = np.abs(r.moles @ A - n0 @ A).max()
    print(f"{name:14s} largest element imbalance: {err:.1e} mol")'''),
    md("""
## 3. Equilibrium constants: shift and methanol

`equilibrium_constant` evaluates K(T) = exp(-ΔG°/RT) for any balanced reaction, standard state
ideal gas at 1 atm, from the same NASA-7 data. A van 't Hoff plot (ln K against 1/T) is nearly a
straight line of slope -ΔH°/R: exothermic reactions (shift, methanol) are favoured at low
temperature.

For comparison, the popular water-gas-shift correlation of Moe (1962),
K = exp(4577.8/T - 4.33): over this range it lies 3-20 % below the value from the NASA data.
Carbonhub uses the NASA data everywhere, so that every equilibrium can be checked against
Cantera; a correlation is a different (fitted) model, not a more accurate one.
"""),
    code('''
Tk = np.linspace(450.0, 1300.0, N)
reactions = {
    "water-gas shift   CO + H2O = CO2 + H2": "CO + H2O = CO2 + H2",
    "methanol from CO  CO + 2 H2 = CH3OH": "CO + 2 H2 = CH3OH",
    "methanol from CO2 CO2 + 3 H2 = CH3OH + H2O": "CO2 + 3 H2 = CH3OH + H2O",
}
fig, ax = plt.subplots(figsize=(7, 4))
for label, rx in reactions.items():
    ax.plot(1000.0 / Tk, np.log(equilibrium_constant(rx, Tk)), label=label)
ax.plot(1000.0 / Tk, 4577.8 / Tk - 4.33, "k:", label="shift, Moe (1962)")
ax.set(xlabel="1000 / T [1/K]", ylabel="ln K (standard state 1 atm)")
ax.legend(fontsize="small");

K_shift = equilibrium_constant("CO + H2O = CO2 + H2", [500.0, 700.0, 1000.0])
print("K_shift at 500, 700, 1000 K:", K_shift.round(3))'''),
    md("""
**Methanol conversion at equilibrium.** The methanol reactions remove two moles of gas per mole
of methanol, so pressure helps as much as cooling. A batch over a temperature × pressure grid
(the grid is flattened into the case axis). Methane is *not* a species here: a Cu/ZnO catalyst
does not make it, so the 3 % of CH4 in the gas is fed as an inert (N2 stands in for it; for an
ideal gas only the number of inert moles matters). Carbonhub's `MethanolReactor` does the same.
"""),
    code('''
meoh_species = ["H2", "CO", "CO2", "H2O", "CH3OH", "N2"]
syngas = np.array([0.68, 0.24, 0.05, 0.0, 0.0, 0.03])    # mole fractions; N2 = the inerts
Tg, Pg = np.meshgrid(np.linspace(473.15, 573.15, N), [50e5, 80e5, 100e5])
r = equilibrate(meoh_species, np.tile(syngas, (Tg.size, 1)), Tg.ravel(), Pg.ravel())
c_in = syngas[1] + syngas[2]
conv = (r.moles[:, meoh_species.index("CH3OH")] / c_in).reshape(Tg.shape)

fig, ax = plt.subplots(figsize=(7, 4))
for i, P_bar in enumerate(Pg[:, 0] / 1e5):
    ax.plot(Tg[i] - 273.15, conv[i], label=f"{P_bar:g} bar")
ax.set(xlabel="T [°C]", ylabel="carbon to methanol at equilibrium [-]",
       title="Methanol synthesis, H2/CO/CO2 = 68/24/5 (+3 % inerts)")
ax.legend();'''),
    md("""
The choice of species *is* a modelling decision. Allow methane to form and the equilibrium
answer changes completely: methanation is far more favourable than methanol synthesis, and only
the catalyst's selectivity keeps it from happening.
"""),
    code('''
with_ch4 = ["H2", "CO", "CO2", "H2O", "CH3OH", "CH4"]
r4 = equilibrate(with_ch4, [[0.68, 0.24, 0.05, 0.0, 0.0, 0.03]], 523.15, 80e5)
x = pd.Series(r4.moles[0] / r4.moles[0].sum(), index=with_ch4)
print("equilibrium at 250 °C, 80 bar with CH4 allowed (mole fractions):")
print(x.round(4).to_string())'''),
    md("""
## 4. Check against Cantera

Cantera's `equilibrate("TP")` on the same species, one state at a time in a Python loop, against
one batched carbonhub call. Gas-phase species only (steam-rich conditions where no carbon forms).
"""),
    code('''
import cantera as ct

gas_species = ["H2", "CO", "CO2", "H2O", "CH4"]
allsp = {s.name: s for s in ct.Species.list_from_file("nasa_gas.yaml")}
gas = ct.Solution(thermo="ideal-gas", species=[allsp[s] for s in gas_species])

n_cmp = 20 if SMALL else 500
rng = np.random.default_rng(1)
Tc = rng.uniform(700.0, 1500.0, n_cmp)
Pc = rng.uniform(1e5, 50e5, n_cmp)
n0 = np.column_stack([np.zeros(n_cmp), rng.uniform(0.5, 1.0, n_cmp), rng.uniform(0, 0.3, n_cmp),
                      rng.uniform(1.0, 3.0, n_cmp), rng.uniform(0, 0.2, n_cmp)])

t0 = time.perf_counter()
x_ct = np.empty((n_cmp, len(gas_species)))
for i in range(n_cmp):                      # Cantera: one state at a time
    gas.TPX = Tc[i], Pc[i], dict(zip(gas_species, n0[i] + 1e-12))
    gas.equilibrate("TP")
    x_ct[i] = gas.X
t_ct = time.perf_counter() - t0

t0 = time.perf_counter()
r = equilibrate(gas_species, n0, Tc, Pc)   # carbonhub: all cases in one call
t_ch = time.perf_counter() - t0
x_ch = r.moles / r.moles.sum(axis=1, keepdims=True)

print(f"{n_cmp} equilibria: Cantera loop {1e3 * t_ct:.0f} ms, carbonhub batch {1e3 * t_ch:.0f} ms")
print(f"largest difference in mole fraction: {np.abs(x_ch - x_ct).max():.1e}")'''),
    md("""
The two agree to round-off (the test suite holds this to 1e-8, `tests/thermo/`). The batch
pays off when thousands of gasifier states are evaluated inside a flowsheet sweep.

**Next:** `02_build_a_flowsheet.ipynb` puts a methanol reactor in a loop with a recycle.
"""),
]

# ---------------------------------------------------------------------------------------------
NB02 = [
    md("""
# 02 · Build a flowsheet: a methanol synthesis loop

Per pass, a methanol reactor converts only a part of the syngas (equilibrium limits it, notebook
01). Plants therefore **recycle** the unconverted gas and **purge** a little of it, so that inert
species (CH4, N2) do not accumulate. This notebook builds that loop from carbonhub's units,
simulates one case, then 1,000 cases in one call, and reads the mass and energy balances.

    fresh syngas -> compressor -> mixer -> preheater -> methanol reactor -> flash (40 °C)
                                   ^                                         |   \\-> crude methanol
                                   '--- recycle compressor <- purge split <--'
                                                                   \\-> purge gas

The same flowsheet as a plain script: `examples/first_flowsheet.py`.
"""),
    code(SETUP + '''
from carbonhub.unitops.basic import Heater, Mixer, Splitter
from carbonhub.unitops.machines import Compressor
from carbonhub.unitops.methanol import MethanolReactor
from carbonhub.unitops.separations import Flash
from carbonhub.unitops.sources import GasSource, Sink

N_CASES = 50 if SMALL else 1000'''),
    md("""
## 1. Components and units

A flowsheet works on one explicit `ComponentSet` (no global state). Liquid water is its own
component, `H2O(L)`: the flash sends condensed water out under that id.
"""),
    code('''
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
fs'''),
    md("""
Every unit declares its parameters with a unit, bounds and a line of documentation; the
flowsheet lists them all as `unit_id.param`:
"""),
    code('''
fs.parameters().query("name.str.startswith('reactor') or name.str.startswith('purge')")[
    ["name", "value", "unit", "lower", "upper", "doc"]]'''),
    md("""
## 2. Streams: connect named ports

`fs.connect(outlet, inlet)` joins an outlet port to an inlet port; a typo in a port name is an
error that lists the unit's ports. The recycle makes a cycle in the graph: carbonhub finds a
*tear stream* and converges it per case by Anderson acceleration (with restarts, step control
and Wegstein's method as the fallback for a case that stalls; `method="wegstein"` selects
carbonhub's first solver).
"""),
    code('''
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
print("tear streams:", fs.tears)
try:
    reactor.outlets.product
except AttributeError as exc:
    print("AttributeError:", exc)'''),
    md("""
## 3. One case

`simulate()` runs the defaults. The result holds every stream, every unit's heat, power and
design results, the balances and the KPIs.
"""),
    code('''
res = fs.simulate()
print(res, "| tear iterations:", res.iterations["recycle"][0])
res.streams.set_index(["stream", "case"]).loc[
    ["syngas_out", "recycle", "flash_liquid", "purge_purge"],
    ["T_K", "P_Pa", "H2", "CO", "CO2", "CH3OH", "H2O(L)", "CH4", "N2"]].round(2)'''),
    code('''
feed_c = res.stream("syngas_out").carbon_flow[0]
meoh = res.stream("flash_liquid")["CH3OH"][0]
print(f"methanol:            {meoh * 32.042e-3 * 3.6:.1f} t/h")
print(f"carbon to methanol:  {meoh / feed_c:.3f}  (overall, thanks to the recycle: one pass "
      "gives much less, notebook 01)")
print(f"recycle / fresh gas: {res.stream('recycle').total_flow[0] / res.stream('syngas_out').total_flow[0]:.2f}")
res.units.set_index("unit").loc[["feed_compressor", "reactor", "flash", "recycle_compressor"],
                                ["heat_W", "power_W"]].div(1e6).round(2).rename(
    columns={"heat_W": "heat [MW]", "power_W": "power [MW]"})'''),
    md("""
**Balances.** Every unit is checked for mass, element (C, H, O, N, S, Cl) and energy
conservation in every case. `res.balances` gives the worst relative residual per case;
`check_balances()` raises an error naming the unit if one is off.
"""),
    code('''
res.check_balances()
res.balances'''),
    md("""
## 4. One thousand cases in one call

A parameter may be an array: each element is a case. Here the purge fraction and the reactor
temperature are drawn at random; all cases are solved simultaneously by the same numpy code. A case
that does not converge is flagged in `res.status`, the others are unaffected. A small purge
means a slow build-up of the inerts and more tear iterations; `res.convergence` has each
case's iterations and final tear residual.
"""),
    code('''
rng = np.random.default_rng(0)
purge_frac = rng.uniform(0.02, 0.20, N_CASES)
T_reactor = rng.uniform(503.15, 553.15, N_CASES)
t0 = time.perf_counter()
many = fs.simulate(params={"purge.fraction": purge_frac, "reactor.T": T_reactor})
print(f"{many.n_cases} cases in {time.perf_counter() - t0:.1f} s;",
      pd.Series(many.status).value_counts().to_dict())'''),
    code('''
ok = many.ok
meoh = many.stream("flash_liquid")["CH3OH"] * 32.042e-3 * 3.6   # t/h
inerts = many.stream("recycle")
x_inert = (inerts["CH4"] + inerts["N2"]) / inerts.total_flow

fig, axes = plt.subplots(1, 3, figsize=(14, 3.8), layout="constrained")
sc = axes[0].scatter(purge_frac[ok], meoh[ok], c=T_reactor[ok] - 273.15, s=8)
axes[0].set(xlabel="purge fraction", ylabel="methanol [t/h]")
fig.colorbar(sc, ax=axes[0], label="reactor T [°C]")
axes[1].plot(purge_frac[ok], x_inert[ok], ".", ms=3)
axes[1].set(xlabel="purge fraction", ylabel="CH4 + N2 in the recycle [-]")
axes[2].hist(many.iterations["recycle"][ok], bins=30)
axes[2].set(xlabel="tear iterations (Anderson)", ylabel="cases");'''),
    md("""
Less purge keeps more carbon in the loop (more methanol) but the inerts build up, which dilutes
the reactants and costs recycle compression. The optimum is an economic trade-off: that is
what the route notebooks (03, 04) and the optimisation notebook (05) are about.

The balances close in every case:
"""),
    code('''
many.check_balances()
many.balances[ok].describe().loc[["max"]]'''),
    md("""
**Next:** `03_route_tea.ipynb` runs a complete route from the library, with costs.
"""),
]

# ---------------------------------------------------------------------------------------------
NB03 = [
    md("""
# 03 · A complete route with its techno-economics: biomass to Fischer-Tropsch fuels

The route library (`ch.routes`) holds complete carbon-hub routes: feedstock handling,
gasification, gas cleaning, synthesis, upgrading and water treatment, each costed. This notebook
runs `biomass_ft` (after Swanson et al. 2010, doi:10.1016/j.fuel.2010.07.027), reads its key
performance indicators (KPIs), follows its carbon and its costs, and changes the feedstock.
"""),
    code(SETUP),
    code('''
pd.Series(ch.routes.describe(), name="route").to_frame()'''),
    code('''
fs = ch.routes.load("biomass_ft")
print(ch.routes.module("biomass_ft").__doc__)'''),
    md("""
## 1. Parameters

Every route has `feed.feedstock`, `feed.rate_dry_t_per_h` and `prices.feedstock_eur_per_t`,
so that routes can be compared. Its defaults and their sources are in `flowsheets/<route>.yaml`.
"""),
    code('''
params = fs.parameters()
print(len(params), "parameters")
params[params["name"].str.match(r"(feed|gasifier|ft|prices|economics)\\.")][
    ["name", "value", "unit", "lower", "upper", "doc"]]'''),
    code('''
pd.DataFrame(ch.routes.defaults("biomass_ft")["defaults"]).T[["value", "source"]]'''),
    md("""
## 2. Run it and read the KPIs
"""),
    code('''
t0 = time.perf_counter()
res = fs.simulate()
print(res, f"in {time.perf_counter() - t0:.1f} s")
kpis = res.kpis.iloc[0]
kpis[["feed_dry_t_per_h", "products_t_per_h.ft_naphtha", "products_t_per_h.ft_jet",
      "products_t_per_h.ft_diesel", "carbon_efficiency", "cold_gas_efficiency",
      "energy_efficiency_lhv", "co2_captured_t_per_y", "tci_eur", "opex_eur_per_y",
      "msp_eur_per_t"]].to_frame("case 0")'''),
    md("""
* `carbon_efficiency`: carbon in the products / carbon in the feed. About a quarter: most of
  the biomass carbon leaves as CO2 (captured at the acid-gas removal, or emitted at the boiler).
* `msp_eur_per_t`: the **minimum selling price** of the fuels, at which the plant earns exactly
  its target internal rate of return (10 % real, NREL "nth-plant" conventions; see the user
  guide, *Costing and TEA*).

## 3. Where does the carbon go?

The Sankey diagram follows carbon from the feeds to the sinks, coloured by origin (biogenic,
fossil, recycled, atmospheric): carbonhub tracks the origin of carbon through every unit.
"""),
    code('''
res.plot.sankey()'''),
    md("""
## 4. What does it cost?

Installed cost by unit, operating cost by item, and the MSP split into its contributions
(capital recovery, feedstock, utilities, ...).
"""),
    code('''
res.plot.costs()'''),
    code('''
res.plot.waterfall()'''),
    code('''
tables = res.costs
tables["msp"].rename(columns={0: "EUR/t"})'''),
    md("""
## 5. Change the feedstock

`feed.feedstock` is a choice parameter; an array of feedstock ids gives one case per feedstock,
all in one call. Each feedstock brings its own composition, moisture, ash, contaminants and gate
price (`property_data/`). A case that cannot be solved (here a plastic waste whose gasifier
cannot reach autothermal operation within the design-spec bounds) is flagged with its reason.
"""),
    code('''
feeds = np.array(params.set_index("name").loc["feed.feedstock", "choices"])
res_f = fs.simulate(params={"feed.feedstock": feeds})
cmp = res_f.kpis[["carbon_efficiency", "cold_gas_efficiency", "msp_eur_per_t",
                  "co2_captured_t_per_y"]].copy()
cmp.insert(0, "feedstock", feeds)
cmp["status"] = res_f.status
cmp'''),
    code('''
ok = res_f.ok
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
axes[0].barh(feeds[ok], cmp["msp_eur_per_t"][ok])
axes[0].set(xlabel="MSP [EUR/t fuels]")
axes[1].barh(feeds[ok], cmp["carbon_efficiency"][ok])
axes[1].set(xlabel="carbon efficiency [-]")
fig.tight_layout()'''),
    md("""
A waste that comes with a gate fee (RDF: a negative price in `prices.yaml`) lowers the MSP. Sewage
sludge has a gate fee too, but it is wet and ash-rich: much drying and little carbon per tonne,
and the highest MSP. The feed price can also be set directly, to see how the MSP follows the
price of wood chips:
"""),
    code('''
price = np.linspace(0.0, 200.0, 9)
r = fs.simulate(params={"prices.feedstock_eur_per_t": price})
slope = np.polyfit(price, r.kpis["msp_eur_per_t"], 1)[0]
print(f"+1 EUR/t of wood chips -> +{slope:.1f} EUR/t of fuels "
      f"(about {1 / (kpis['products_t_per_h.ft_naphtha'] + kpis['products_t_per_h.ft_jet'] + kpis['products_t_per_h.ft_diesel']) * kpis['feed_dry_t_per_h']:.1f} t of dry wood per t of fuel, plus its moisture)")
pd.DataFrame({"wood chips [EUR/t]": price, "MSP [EUR/t]": r.kpis["msp_eur_per_t"]})'''),
    md("""
## 6. A report to share

The same tables and figures as one self-contained HTML file (`carbonhub run biomass_ft --report
out.html` from the command line):
"""),
    code('''
from pathlib import Path
import tempfile

html = ch.report.html_report(fs, res)
path = Path(tempfile.gettempdir()) / "biomass_ft.html"
path.write_text(html, encoding="utf-8")
print(f"{len(html) / 1e3:.0f} kB written to {path}")'''),
    md("""
**Next:** `04_uncertainty.ipynb` asks how sure we are of that MSP.
"""),
]

# ---------------------------------------------------------------------------------------------
NB04 = [
    md("""
# 04 · Uncertainty: Monte Carlo, Sobol' indices and a tornado

An MSP computed at default values is one number from uncertain inputs: a capital cost estimate
at screening level is good to -30/+50 % at best, feedstock prices move, and some process
parameters are only known as ranges. This notebook propagates those uncertainties through the
`biomass_ft` route and asks which of them matter.

* `ch.sweep.run`: sample the inputs (Latin hypercube, Sobol' sequence, Monte Carlo or grid),
  evaluate the vectorised flowsheet in chunks, write a resumable Parquet dataset;
* `ch.sweep.sobol_indices`: variance-based global sensitivity (Saltelli 2010, via SALib);
* `ch.sweep.tornado`: one-at-a-time swings around the base case.

The same sweep from the command line:

    carbonhub sweep biomass_ft --n 10000 --method lhs --seed 1 --out runs/ft.parquet \\
        --param "gasifier.T=uniform(1100,1250)" \\
        --param "prices.feedstock_eur_per_t=triangular(60,90,130) EUR/t" ...
"""),
    code(SETUP + '''
import tempfile
from pathlib import Path

N = 64 if SMALL else 10_000       # Monte Carlo cases
N_SOBOL = 16 if SMALL else 1024    # Sobol' base sample (cost: N_SOBOL x (d + 2) cases)
fs = ch.routes.load("biomass_ft")'''),
    md("""
## 1. The uncertain inputs

Distributions are written as text, in the parameter's own unit (`fs.parameters().unit`) unless a
unit is given: `uniform(a,b)`, `triangular(lo,mode,hi)`, `pert(lo,mode,hi)`, `normal(mu,sd)`,
`lognormal(mu,sigma)`, `choice(x,y,...)`.
"""),
    code('''
PARAMS = {
    "gasifier.T": "uniform(1100,1250)",                            # K
    "ft.alpha": "uniform(0.85,0.92)",                              # ASF chain growth, cobalt LT-FT
    "prices.feedstock_eur_per_t": "triangular(60,90,130) EUR/t",   # wood chips as received
    "prices.electricity_eur_per_MWh": "uniform(80,250) EUR/MWh",
    "economics.capex_factor": "triangular(0.8,1.0,1.5)",           # class 4-5 estimate
}
fs.parameters().set_index("name").loc[list(PARAMS), ["value", "unit", "lower", "upper", "doc"]]'''),
    md("""
## 2. Monte Carlo

`ch.sweep.run` returns a lazy handle on the dataset; `.df` reads it (one row per case: inputs,
every KPI, status). Re-running with `resume=True` after an interruption only evaluates the
missing chunks.
"""),
    code('''
out = Path(tempfile.mkdtemp()) / "biomass_ft_mc.parquet"
t0 = time.perf_counter()
sw = ch.sweep.run(fs, PARAMS, n=N, method="lhs", seed=1, out=out, progress=False)
print(sw, f"in {time.perf_counter() - t0:.1f} s")
sw.status_counts()'''),
    code('''
ch.sweep.summary(sw, ["msp_eur_per_t", "carbon_efficiency", "co2_avoided_t_per_y"])'''),
    code('''
ch.sweep.plot_distribution(sw, "msp_eur_per_t")'''),
    code('''
df = sw.df[sw.df.status == "ok"]
fig, axes = plt.subplots(1, 3, figsize=(14, 3.8), sharey=True)
for ax, p in zip(axes, ["economics.capex_factor", "prices.feedstock_eur_per_t", "gasifier.T"]):
    ax.plot(df[p], df["msp_eur_per_t"], ".", ms=2, alpha=0.3)
    ax.set(xlabel=p)
axes[0].set_ylabel("MSP [EUR/t]");'''),
    md("""
Rank correlations are a first, cheap reading of which input moves which KPI (they assume a
monotonic effect):
"""),
    code('''
ch.sweep.spearman(sw, kpis=["msp_eur_per_t", "carbon_efficiency", "co2_emitted_t_per_y"]).round(2)'''),
    md("""
## 3. Sobol' indices

The first-order index S1 is the share of the output variance that an input explains alone; the
total index ST adds its interactions with the others. ST ≈ S1 means additive effects. The
confidence intervals shrink with the sample size (here `N_SOBOL`; use at least 512 for a study).
"""),
    code('''
t0 = time.perf_counter()
si = ch.sweep.sobol_indices(fs, PARAMS, n=N_SOBOL, kpi="msp_eur_per_t", seed=1)
print(f"{si.attrs['n_evaluations']} evaluations in {time.perf_counter() - t0:.1f} s")
si.round(3)'''),
    code('''
ch.sweep.plot_sobol(si)'''),
    md("""
## 4. Tornado

One input at a time to its 10th and 90th percentile, the others at the base case. The base case
is the route's defaults (the feedstock price resolved from prices.yaml: 96.42 EUR/t for wood chips).
"""),
    code('''
base = {name: fs.get(name) for name in PARAMS}
tor = ch.sweep.tornado(fs, PARAMS, kpi="msp_eur_per_t", base=base)
print(f"base MSP {tor.attrs['base_kpi']:.0f} EUR/t")
tor.round(3)'''),
    code('''
ch.sweep.plot_tornado(tor)'''),
    md("""
Capital cost and the feedstock price dominate the MSP of a gasification-FT plant, with swings
of about the same size: reducing the capital-estimate uncertainty (a better equipment list, a
reference plant) or securing the feedstock price is worth more than refining the gasifier
temperature. That is the kind of conclusion a sweep should
support, with the sample size and the distributions stated.

**Next:** `06_feedstock_route_matrix.ipynb` compares every feedstock on every route.
"""),
]

# ---------------------------------------------------------------------------------------------
NB05 = [
    md("""
# 05 · Optimisation with the equation-oriented twin

carbonhub solves a flowsheet with two engines:

* the **vectorised core** (notebooks 02-04 and 06): every unit is a numpy function of its inlet
  streams, the units are evaluated in order and recycles are converged by tearing a stream. It
  evaluates thousands of cases in one call, which is what sweeps and Monte Carlo need;
* the **equation-oriented twin** (`carbonhub.eo`): the same units as one IDAES/Pyomo model, in
  which every balance, equilibrium and design equation of every unit is a constraint of a single
  large system, solved at once by IPOPT (an interior-point Newton method, with exact first and
  second derivatives from Pyomo).

The twin answers questions the core is not built for: *which operating point gives the lowest
minimum selling price (MSP)?*, *what does it cost to emit less CO2?*, *which catalyst
performance or capital cost would reach a target price?* This notebook asks them of the
`biomass_ft` route (wood chips to Fischer-Tropsch fuels).

What the twin is, precisely:

* **the physics is exact**: each unit's equations are written next to its numpy `run`, in the
  same module; at the same parameters the twin and the core give the same streams to a
  relative 1e-6 (tested for every unit and every route);
* **the TEA is exact at the point the twin was built from, and first-order away from it**: the
  installed cost of each unit is its costing correlation's local power law around the core's
  solution, C = C0 (S/S0)^n with n = d ln C / d ln S, and the MSP uses the discounted cash
  flow's exact linear structure (`carbonhub.eo.tea`);
* **an optimisation is a sequence of trust-region steps**: `ch.eo.optimize` builds the twin
  (and its TEA) from the core at the current point, finds the best point within a box around it
  (SLSQP over the decision variables; every evaluation a square IPOPT solve of the twin, every
  gradient exact from the twin's Jacobian), rebuilds there and repeats until the decision
  variables stop moving. Two things tie the steps to the core: at each point the twin's
  objective is corrected to the core's gradient (central differences of the core, one
  vectorised call), and a step is taken only when the core confirms the predicted gain. At the
  final point the twin's TEA is exact again, and the optimum is re-simulated in the core to
  show it.
"""),
    code(SETUP + '''
import pyomo.environ as pyo

PARETO_N = 2 if SMALL else 5      # points of the Pareto front (each one an optimisation)
GRID = 3 if SMALL else 7          # core grid search: GRID**3 cases in one call
fs = ch.routes.load("biomass_ft")
res = fs.simulate()               # the core, at the route's defaults
res.kpis[["msp_eur_per_t", "carbon_efficiency", "co2_emitted_t_per_y", "co2_captured_t_per_y"]].T'''),
    md("""
## 1. The twin of one case

`fs.to_pyomo(case=k)` simulates case `k` with the core, builds an IDAES `FlowsheetBlock` with
one unit model per unit and a Pyomo `Arc` per stream, and **sets every variable to the core's
solution**, so that IPOPT starts at the answer (`res=` re-uses a core result instead of
simulating again).
"""),
    code('''
from idaes.core.util.model_statistics import number_total_constraints, number_variables

t0 = time.perf_counter()
m = fs.to_pyomo(case=0, res=res)
print(f"built in {time.perf_counter() - t0:.1f} s: {len(fs.units)} unit models, {len(fs.connections)} arcs, "
      f"{number_variables(m):,} variables, {number_total_constraints(m):,} constraints")
print("degrees of freedom:", ch.eo.degrees_of_freedom(m))'''),
    md("""
Zero degrees of freedom: the model is a simulation. Every unit parameter is a *fixed variable*
(`m.fs.<unit>.par["<name>"]`), and the route's design spec (the air intake of the ASU that makes
the gasifier autothermal) is an equation whose varied parameter is freed. Every variable and constraint has a
`doc`; here are the gasifier's equations:
"""),
    code('''
g = m.fs.gasifier
print(f"gasifier.T = {g.par['T'].value} K, fixed: {g.par['T'].fixed}")
pd.DataFrame([(c.local_name, len(c), c.doc) for c in g.component_objects(pyo.Constraint, descend_into=False)],
             columns=["constraint", "equations", "doc"])'''),
    code('''
t0 = time.perf_counter()
results = ch.eo.solve(m)
print(f"IPOPT: {results.solver.termination_condition} in {time.perf_counter() - t0:.1f} s")

twin = pd.Series(ch.eo.kpis(m))
core = res.kpis.iloc[0].reindex(twin.index).astype(float)
core["main_product_t_per_h"] = sum(res.kpis[f"products_t_per_h.{p}"][0] for p in fs.economics_spec["main_products"])
pd.DataFrame({"twin": twin, "core": core, "relative difference": (twin / core - 1).abs()})'''),
    md("""
The two engines agree to round-off, the TEA included: at the point it was built from, the
twin's cost model is exact. The twin carries the KPIs that an optimisation needs (MSP, NPV,
capital, operating cost, CO2 emitted and captured, carbon efficiency, net electricity).

## 2. Minimise the MSP over operating variables

Three operating variables, each within bounds an engineer would defend:

* `gasifier.T`: a hotter gasifier converts more methane and tar to syngas, but burns more of
  the feed to get there (the autothermal spec raises the air/O2 demand);
* `ft.co_conversion`: CO converted per pass in the Fischer-Tropsch reactor; higher means a
  bigger reactor, and less gas recycled and purged;
* `purge.fraction`: the share of the FT tail gas purged to the boiler instead of recycled; less
  purge recovers more carbon but recirculates more inerts.

`ch.eo.optimize` frees them in the twin (their `par` variables get the bounds) and asks IPOPT
for the minimum of `m.tea.msp_eur_per_t`.
"""),
    code('''
vary = {"gasifier.T": (1100.0, 1250.0),     # K
        "ft.co_conversion": (0.5, 0.7),      # CO conversion per pass [-]
        "purge.fraction": (0.1, 0.4)}        # [-]
t0 = time.perf_counter()
opt = ch.eo.optimize(fs, "msp", vary)
print(f"{opt.termination}, {opt.outer_iterations} trust-region step(s) (twin and TEA rebuilt from the core at each), "
      f"{time.perf_counter() - t0:.0f} s")
for name, (lo, hi) in vary.items():
    where = "lower bound" if np.isclose(opt.x[name], lo) else "upper bound" if np.isclose(opt.x[name], hi) else "interior"
    print(f"  {name:18s} {opt.x0[name]:9.4g} -> {opt.x[name]:9.4g}  ({where})")
opt.table()'''),
    md("""
How to read the table: `initial` is the route's default, `optimum` the twin's answer and
`core_at_optimum` the same KPIs from the core re-simulating the optimum. They agree because the
last step built the twin's TEA at the optimum itself; a twin built at the defaults alone would
predict the MSP at the optimum several per cent off, which is why `optimize` steps and rebuilds.

Two of the three variables end on a bound: the optimiser pushes the FT conversion up as far as
it is allowed to (more of the wood's carbon into fuel) and the gasifier temperature down (a
colder gasifier burns less of the feed and needs less oxygen). Bounds like these are where the
model stops being trustworthy (catalyst deactivation at high conversion, tar at a cold
gasifier), so choose them with care: an optimum on a bound is an answer about the bound. The
purge fraction has an interior optimum at a kink: the purge where the plant's net steam is
zero. With less purge the plant buys steam (the boiler that burns the purge raises less); with
more, the boiler raises a surplus that earns nothing under the default credit rule
(`prices.steam_credit_rule` = none) while the carbon burnt there is lost to the fuel. The twin
prices the net steam on the side of zero it is built on and holds that side as a constraint of
each step (a regime), so the steps stop on the kink instead of oscillating across it.

**Check it with the core.** Re-simulate the optimum, and search a grid of the same box in one
vectorised call: no grid point may be better than the optimum.
"""),
    code('''
check = fs.simulate(params={k: [v] for k, v in opt.x.items()})
print(f"MSP at the optimum: twin {opt.kpis['msp_eur_per_t']:.3f}, core {check.kpis['msp_eur_per_t'][0]:.3f} EUR/t")

mesh = np.meshgrid(*[np.linspace(lo, hi, GRID) for lo, hi in vary.values()], indexing="ij")
t0 = time.perf_counter()
grid = fs.simulate(params={k: g.ravel() for k, g in zip(vary, mesh)})
msp = grid.kpis["msp_eur_per_t"].to_numpy()
best = int(np.nanargmin(msp))
print(f"core grid: {msp.size} cases in {time.perf_counter() - t0:.1f} s; best point "
      + ", ".join(f"{k} = {g.ravel()[best]:.4g}" for k, g in zip(vary, mesh))
      + f": MSP {msp[best]:.2f} EUR/t, {msp[best] - check.kpis['msp_eur_per_t'][0]:.2f} EUR/t above the optimum")'''),
    md("""
One-dimensional scans through the optimum, with the core (each scan is one vectorised call of
61 cases):
"""),
    code('''
fig, axes = plt.subplots(1, 3, figsize=(13, 3.6), sharey=True)
for ax, (name, (lo, hi)) in zip(axes, vary.items()):
    xs = np.linspace(lo, hi, 61)
    p = {k: np.full(xs.size, v) for k, v in opt.x.items()}
    p[name] = xs
    scan = fs.simulate(params=p).kpis["msp_eur_per_t"].to_numpy()
    i = int(np.nanargmin(scan))
    print(f"{name:18s} optimum {opt.x[name]:9.4g}; lowest MSP of the core scan at {xs[i]:9.4g}: "
          f"{scan[i]:.2f} EUR/t ({scan[i] - check.kpis['msp_eur_per_t'][0]:+.2f})")
    ax.plot(xs, scan, label="core, the others at the optimum")
    ax.plot(opt.x[name], opt.kpis["msp_eur_per_t"], "o", color="C3", label="optimum (twin)")
    ax.axvline(opt.x0[name], color="0.6", ls=":", label="default")
    ax.set(xlabel=name)
axes[0].set_ylabel("MSP [EUR/t fuels]")
axes[0].legend(fontsize="small")
fig.tight_layout()'''),
    md("""
The bounded variables sit at the core's minimum too, and the purge fraction at the kink of its
scan. The twin's TEA has the core's *values* at the point it was built from, but only
approximately its *slopes* (units without their own size equations are sized in proportion to
their mass throughput, catalysts in proportion to the product); each step corrects the twin's
slopes to the core's at its point, so the steps stop where the core's own slope (on the side
the twin holds) says so. The core scan is the check.
"""),
    md("""
## 3. MSP against CO2: a Pareto front

Does a cheaper plant emit more? Compare the CO2 emitted at the MSP optimum with the default:
"""),
    code('''
print(f"CO2 emitted: default {opt.kpis0['co2_emitted_t_per_y']:,.0f} t/y, "
      f"at the MSP optimum {opt.kpis['co2_emitted_t_per_y']:,.0f} t/y")
print(f"of which fossil-like (default): {res.kpis['co2_emitted_fossil_like_t_per_y'][0]:,.0f} t/y")'''),
    md("""
For these variables there is no trade-off: the cheapest plant is also the one that emits least,
because both follow from putting more of the wood's carbon into fuel. Note also that all the CO2
of `biomass_ft` is biogenic, so a carbon price on fossil CO2 (`prices.co2_eur_per_t`) does not
reach the MSP, and the MSP alone never asks for less CO2.

A trade-off needs a variable that spends money to emit less: the **CO2 capture** of the
acid-gas removal, `agr.co2_capture` (the fraction of the syngas CO2 removed, compressed and
sent to storage). Capturing more costs solvent regeneration, compression power and a storage
fee per tonne (`prices.co2_storage_eur_per_t`); what is not captured stays in the syngas and is
eventually emitted (through the boiler that burns the purge and tail gases).

`ch.eo.pareto` uses the **epsilon-constraint method**: it minimises the CO2 alone and the MSP
alone (the two ends of the front), then minimises the MSP subject to CO2 <= eps for `n` values
of eps between them (the two ends are those two optima themselves). Each point is an
optimisation with its own trust-region steps, started from the previous point's optimum, which
already meets its looser CO2 limit; each ends after a bounded effort (`max_solves` IPOPT solves
of the twin, or four failed steps in a row), with the reason in `termination` if it stopped
early. In the full run the gasifier temperature is a second decision variable.
"""),
    code('''
pareto_vary = {"agr.co2_capture": (0.5, 0.95)}
if not SMALL:
    pareto_vary["gasifier.T"] = (1100.0, 1250.0)
t0 = time.perf_counter()
front = ch.eo.pareto(fs, vary=pareto_vary, n=PARETO_N)
print(f"{len(front)} points in {time.perf_counter() - t0:.0f} s")
front'''),
    md("""
Each point of the front re-simulated in the core, and a plain core scan of the capture fraction
(everything else at the defaults) for comparison:
"""),
    code('''
pts = front[front.termination == "optimal"].reset_index(drop=True)
chk = fs.simulate(params={k: pts[k].to_numpy() for k in pareto_vary})
pts["msp_core"] = chk.kpis["msp_eur_per_t"].to_numpy()
pts["co2_core"] = chk.kpis["co2_emitted_t_per_y"].to_numpy()
print("largest difference twin vs core along the front: MSP "
      f"{(pts.msp_eur_per_t / pts.msp_core - 1).abs().max():.1e}, CO2 {(pts.co2_emitted_t_per_y / pts.co2_core - 1).abs().max():.1e}")

capture = np.linspace(0.5, 0.95, 19)
scan = fs.simulate(params={"agr.co2_capture": capture})
fig, ax = plt.subplots(figsize=(7.5, 4.3))
ax.plot(scan.kpis["co2_emitted_t_per_y"] / 1e3, scan.kpis["msp_eur_per_t"], "-", color="0.6",
        label="core: capture 0.5 to 0.95, the rest at the defaults")
ax.plot(pts.co2_emitted_t_per_y / 1e3, pts.msp_eur_per_t, "o-", color="C3", label="Pareto front (twin)")
ax.plot(pts.co2_core / 1e3, pts.msp_core, "k+", ms=12, label="front re-simulated in the core")
ax.plot(res.kpis["co2_emitted_t_per_y"][0] / 1e3, res.kpis["msp_eur_per_t"][0], "s", color="C0", label="default")
ax.set(xlabel="CO2 emitted [kt/y]", ylabel="MSP [EUR/t fuels]")
ax.legend(fontsize="small");'''),
    md("""
The twin's front and the core agree point by point. (In the full run the gasifier temperature is
optimised at every point as well, and the whole front lies below the grey line of the default
design.)

The slope of the front is a **marginal abatement cost**: the extra cost of the fuel per tonne of
CO2 not emitted. With Q tonnes of fuel a year, it is dMSP x Q / dCO2 [EUR per t CO2]:
"""),
    code('''
hours = fs.get("economics.operating_hours")
q = sum(chk.kpis[f"products_t_per_h.{p}"].to_numpy() for p in fs.economics_spec["main_products"]) * hours
lo_co2, hi_co2 = pts.iloc[0], pts.iloc[-1]          # the cleanest and the cheapest end
cost = ((lo_co2.msp_core * q[0] - hi_co2.msp_core * q[-1]) / (hi_co2.co2_core - lo_co2.co2_core))
print(f"from {hi_co2.co2_core / 1e3:,.0f} to {lo_co2.co2_core / 1e3:,.0f} kt/y of CO2: "
      f"{cost:.0f} EUR per t of CO2 not emitted "
      f"(CO2 storage fee {fs.get('prices.co2_storage_eur_per_t'):g} EUR/t)")'''),
    md("""
Capturing more CO2 pays only if the avoided tonne is worth more than this, for instance through
a price on biogenic CO2 removals: an economic question the front now answers in one number.

## 4. Inverse TEA: what would it take to reach a target price?

`ch.eo.inverse_tea(fs, param, target_msp, bounds)` finds the value of `param` that gives the
target MSP. Two kinds of parameter:

* **economic** (`prices.*`, `economics.capex_factor`): the MSP is linear in them, so the
  question is solved in the core by a bracketed secant (a handful of core evaluations);
* **a unit parameter** (a catalyst property, a conversion): solved in the twin, with the
  parameter freed and MSP = target as an equation.

How much cheaper must the plant be for its fuels to sell at 10 % below today's MSP?
"""),
    code('''
msp0 = float(res.kpis["msp_eur_per_t"][0])
target = 0.9 * msp0
inv = ch.eo.inverse_tea(fs, "economics.capex_factor", target_msp=target, bounds=(0.3, 1.0))
again = fs.simulate(params={"economics.capex_factor": [inv["value"]]})
print(f"capex_factor = {inv['value']:.4f} ({inv['engine']}): capital {100 * (1 - inv['value']):.1f} % below the "
      f"estimate brings the MSP from {msp0:.0f} to {target:.0f} EUR/t (core check: {again.kpis['msp_eur_per_t'][0]:.2f})")'''),
    md("""
The cobalt catalyst of the FT reactor ages: its chain-growth probability `ft.alpha` (Anderson-
Schulz-Flory) drifts down, shifting the product from diesel and wax towards gas. At what alpha
does the MSP reach 5 % above today's? In the twin this is one IPOPT solve, with alpha freed and
MSP = target as an equation, and a TEA linearised at the defaults. As in `optimize`, rebuild the
twin at the answer (`params=`) and solve again:
"""),
    code('''
target_alpha = round(1.05 * msp0, 1)   # EUR/t: 5 % above today's MSP (3 % lies below the branch: 1,846 at alpha 0.85)
steps = []   # (alpha, MSP of the core at that alpha)
for step in range(1, (2 if SMALL else 3) + 1):
    # first twin at 0.8, on the branch the target lies on (the MSP's minimum lies near alpha
    # 0.85-0.88, where a twin linearised there has no slope in alpha to follow); the bounds
    # bracket that one branch
    start = {"ft.alpha": [steps[-1][0] if steps else 0.8]}
    inv_a = ch.eo.inverse_tea(fs, "ft.alpha", target_msp=target_alpha, bounds=(0.75, 0.85), params=start)
    core_msp = float(fs.simulate(params={"ft.alpha": [inv_a["value"]]}).kpis["msp_eur_per_t"][0])
    steps.append((inv_a["value"], core_msp))
    print(f"twin, step {step}: alpha = {inv_a['value']:.6f} (twin MSP {inv_a['msp_eur_per_t']:.2f}), "
          f"core MSP there {core_msp:.3f} EUR/t")'''),
    md("""
Each step lands closer, but only by a constant factor: the rebuilt twin has the core's MSP at
its point but not exactly its slope in alpha (the size of a unit without its own size equation
follows its mass throughput, and the product slate changes with alpha), so the re-linearisation
converges linearly. For one scalar unknown, the core finishes the job: a secant on the core's
MSP from the twin's last two answers, a few vectorised evaluations.
"""),
    code('''
(a0, m0), (a1, m1) = steps[-2], steps[-1]
for it in range(8):
    if abs(m1 / target_alpha - 1) < 1e-9:
        break
    a0, m0, a1 = a1, m1, a1 + (target_alpha - m1) * (a1 - a0) / (m1 - m0)
    m1 = float(fs.simulate(params={"ft.alpha": [a1]}).kpis["msp_eur_per_t"][0])
alpha = a1
print(f"alpha = {alpha:.6f}: core MSP {m1:.6f} EUR/t after {it} secant step(s)")

a = np.linspace(0.75, 0.95, 41)
fig, ax = plt.subplots(figsize=(6.5, 3.8))
ax.plot(a, fs.simulate(params={"ft.alpha": a}).kpis["msp_eur_per_t"], label="core")
ax.axhline(target_alpha, color="0.6", ls=":")
ax.plot(alpha, target_alpha, "o", color="C3", label=f"inverse TEA: alpha = {alpha:.4f}")
ax.set(xlabel="ft.alpha (ASF chain growth) [-]", ylabel="MSP [EUR/t fuels]")
ax.legend();'''),
    md("""
The MSP is not monotonic in alpha (it has a minimum near the default alpha), so the bounds
must bracket one branch; a target that cannot be reached within the bounds gives a clear `OptimizationError` with
IPOPT's termination condition, not a wrong answer.

## Summary

* `fs.to_pyomo(case=k)`, `ch.eo.solve(m)`, `ch.eo.kpis(m)`: the twin of one case, exact physics,
  TEA exact at its point;
* `ch.eo.optimize(fs, "msp" | "npv" | "co2" | {weights}, vary={...}, constraints={...})`:
  operating optimum, re-linearised until converged and re-simulated in the core;
* `ch.eo.pareto(fs, vary, n)`: MSP against CO2 by the epsilon-constraint method;
* `ch.eo.inverse_tea(fs, param, target_msp, bounds)`: in the core for prices and economic
  factors, in the twin for unit parameters;
* from the command line: `carbonhub optimize biomass_ft --objective msp --vary gasifier.T=1100:1250`.

Use the core to explore (sweeps, uncertainty, grids: thousands of cases per second) and the
twin to optimise; check the twin's answers with the core, as here.

**Next:** `06_feedstock_route_matrix.ipynb` compares every feedstock on every route.
"""),
]

# ---------------------------------------------------------------------------------------------
NB06 = [
    md("""
# 06 · Which feedstock suits which route?

The route library converts biomass, wastes and CO2 into fuels and chemicals by different chains.
Which feedstock is cheapest to convert on which route depends on its carbon, moisture, ash and
contaminants, and on its price (a gate fee for wastes). This notebook evaluates **every
feedstock on every route that accepts it**, under the same economic uncertainties, with
`ch.sweep.feedstock_route_matrix`.

The routes come from `ch.routes.names()`: a route added to `flowsheets/` appears here without
changing the notebook.
"""),
    code(SETUP + '''
N = 4 if SMALL else 1000   # cases per (route, feedstock) cell'''),
    code('''
routes = {}
for name in ch.routes.names():
    try:
        fs = ch.routes.load(name)
    except Exception as exc:  # a route under development: show why, carry on with the others
        print(f"skipped {name}: {type(exc).__name__}: {exc}")
        continue
    if "feed.feedstock" in set(fs.parameters()["name"]):
        routes[name] = fs
pd.Series({n: ch.routes.describe()[n] for n in routes}, name="route").to_frame()'''),
    code('''
table = pd.concat({n: fs.parameters().set_index("name").loc[["feed.feedstock"], "choices"]
                   for n, fs in routes.items()}).droplevel(1)
table.to_frame("feedstocks accepted")'''),
    md("""
## 1. The shared uncertainties

The same distributions on every route, with common random numbers (the same seeded design in
every cell), so that differences between cells are not sampling noise. Feedstock prices stay at
their `prices.yaml` value for each feedstock (the default), so that wastes carry their gate fee.
"""),
    code('''
PARAMS = {
    "economics.capex_factor": "triangular(0.8,1.0,1.5)",
    "prices.electricity_eur_per_MWh": "uniform(80,250) EUR/MWh",
    "economics.irr": "uniform(0.08,0.12)",
}
# small runs (CI): each route's default feedstock, plus RDF where a route takes it
FEEDS = sorted({fs.get("feed.feedstock") for fs in routes.values()} | {"rdf"}) if SMALL else None
t0 = time.perf_counter()
m = ch.sweep.feedstock_route_matrix(routes, PARAMS, n=N, feedstocks=FEEDS, seed=1,
                                    kpis=("msp_eur_per_t", "carbon_efficiency", "co2_avoided_t_per_y"))
print(f"{len(m)} cells x {N} cases in {time.perf_counter() - t0:.0f} s")
m[["route", "feedstock", "n_ok", "n_failed", "msp_eur_per_t_p50", "carbon_efficiency_p50"]]'''),
    md("""
## 2. The matrix

Median minimum selling price (the main product differs between routes: fuels, methanol,
olefins, so compare along a row, or across routes with the same product) and median carbon
efficiency. Grey cells: the route does not take that feedstock, or ("failed") it could not be
solved for it in any case; the statuses of a `fs.simulate` say why.
"""),
    code('''
def heatmap(ax, value, title, fmt):
    t = m.pivot(index="route", columns="feedstock", values=value)
    z = t.to_numpy(dtype=float)
    cells = m.set_index(["route", "feedstock"])
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("0.85")
    im = ax.imshow(np.ma.masked_invalid(z), cmap=cmap, aspect="auto")
    ax.set_xticks(range(t.shape[1]), t.columns, rotation=30, ha="right")
    ax.set_yticks(range(t.shape[0]), t.index)
    for (i, j), v in np.ndenumerate(z):
        key = (t.index[i], t.columns[j])
        if key not in cells.index:
            label, colour = "", "k"                         # the route does not take it
        elif np.isnan(v):
            label, colour = "failed", "k"
        else:
            label, colour = fmt.format(v), "w" if v < np.nanmean(z) else "k"
        ax.text(j, i, label, ha="center", va="center", color=colour, fontsize=8)
    ax.set_title(title)
    return im

fig, axes = plt.subplots(1, 2, figsize=(14, 0.8 * len(routes) + 2.5))
fig.colorbar(heatmap(axes[0], "msp_eur_per_t_p50", "MSP, median [EUR/t main product]", "{:.0f}"),
             ax=axes[0])
fig.colorbar(heatmap(axes[1], "carbon_efficiency_p50", "carbon efficiency, median [-]", "{:.2f}"),
             ax=axes[1])
fig.tight_layout()'''),
    md("""
## 3. How robust is the ranking?

The 5-95 % range of the MSP in each cell, for the feedstocks of each route:
"""),
    code('''
fig, ax = plt.subplots(figsize=(10, 0.35 * len(m) + 1.5))
ok = m.dropna(subset=["msp_eur_per_t_p50"]).reset_index(drop=True)
y = np.arange(len(ok))
ax.errorbar(ok["msp_eur_per_t_p50"], y,
            xerr=[ok["msp_eur_per_t_p50"] - ok["msp_eur_per_t_p5"],
                  ok["msp_eur_per_t_p95"] - ok["msp_eur_per_t_p50"]], fmt="o", capsize=3)
ax.set_yticks(y, ok["route"] + " / " + ok["feedstock"])
ax.invert_yaxis()
ax.set_xlabel("MSP [EUR/t main product], median and 5-95 %");'''),
    md("""
Overlapping ranges mean the data cannot rank the two options; separated ranges survive the
stated uncertainty. The uncertainties here are economic only: add process parameters of each
route through `route_params={"route": {...}}`.
"""),
]

NB07 = [
    md("""
# 07 · Plastic waste to circular ethylene: pyrolysis vs gasification + MtO

Two ways to turn the same mixed plastic waste into ethylene and propylene:

* **`plastics_pyrolysis`**: wash, pyrolyse at 400-600 degC, hydrotreat the oil, co-feed its
  naphtha cut to an existing steam cracker (the diesel and wax cuts are sold);
* **`waste_methanol_mto`**: gasify with O2, clean and shift the syngas, make methanol, convert
  it to olefins (MtO).

Same feed (`mixed_plastic_waste`: PE 45, PP 35, PS 8, PET 7, PVC 3, ash 2 wt% dry), same dry feed
rate, compared on circular ethylene per tonne of waste, carbon efficiency, CO2 emitted, the
minimum selling price of the light olefins and the **break-even gate fee per tonne of waste**
(`gate_fee_eur_per_t_feed`: what the plant must be paid per tonne of waste, negative where it can
pay for it, with the olefins and every by-product at their market prices in
`property_data/prices.yaml`). The gate fee is the basis on which the two compare: pyrolysis sells
most of its product as diesel and wax cuts, C4 and pyrolysis gasoline, whose credits can exceed
all its costs, so the MSP of its olefins alone can be negative; per tonne of waste treated both
routes answer the same question. Every number of the pyrolysis route comes from
`property_data/pyrolysis_yields.yaml` and the route's YAML, with their sources.
"""),
    code(SETUP + """
FEED, RATE = "mixed_plastic_waste", 36.0   # t/h dry, the scale of waste_methanol_mto
routes = {name: ch.routes.load(name) for name in ("plastics_pyrolysis", "waste_methanol_mto")}
res = {name: fs.simulate(params={"feed.feedstock": FEED, "feed.rate_dry_t_per_h": RATE})
       for name, fs in routes.items()}
{name: r.status[0] for name, r in res.items()}"""),
    md("""
## 1. Side by side

`products_t_per_t_feed.ethylene` is the tonnes of ethylene per tonne of waste as received; all
its carbon is `recycled` (fossil carbon given a second life), as the feed's.
"""),
    code("""
KPIS = ["products_t_per_t_feed.ethylene", "products_t_per_t_feed.propylene", "carbon_efficiency",
        "energy_efficiency_lhv", "co2_emitted_t_per_y", "tci_eur", "msp_eur_per_t", "market_price_eur_per_t",
        "gate_fee_eur_per_t_feed", "carbon_in_products_recycled_fraction"]
side = pd.DataFrame({name: r.kpis.iloc[0].reindex(KPIS) for name, r in res.items()})
side"""),
    code("""
fig, ax = plt.subplots(1, 4, figsize=(15, 3.2))
for a, k, label in zip(ax, ["products_t_per_t_feed.ethylene", "carbon_efficiency", "msp_eur_per_t",
                            "gate_fee_eur_per_t_feed"],
                       ["t ethylene / t waste", "carbon efficiency [-]", "MSP light olefins [EUR/t]",
                        "break-even gate fee [EUR/t waste]"]):
    a.bar(side.columns, side.loc[k], color=["tab:orange", "tab:blue"])
    a.set_title(label)
    a.tick_params(axis="x", rotation=15)
fig.tight_layout()"""),
    md("""
Pyrolysis keeps most of the carbon in hydrocarbons (oil cuts, cracker products), so its carbon
efficiency is high, but only the naphtha cut becomes ethylene: the diesel and wax cuts are sold
as by-products. Gasification + MtO turns all the carbon into syngas first and loses part of it
as CO2 in the shift and the acid-gas removal, but everything it makes is light olefins and C4.
Per tonne of waste: a negative gate fee means the plant can buy its waste at that price and still
earn the target IRR; a positive one is what a waste supplier must pay it.

## 2. Pyrolysis temperature

The product slates move with temperature (cited points at 450-600 degC, linear in between):
hotter means more gas, less oil and wax.
"""),
    code("""
T = np.linspace(673.15, 873.15, 5 if SMALL else 21)
scan = routes["plastics_pyrolysis"].simulate(params={"feed.feedstock": FEED, "feed.rate_dry_t_per_h": RATE,
                                                     "pyrolysis.T": T})
d = scan.unit_results["pyrolysis"].design
pd.DataFrame({"T [degC]": T - 273.15, "gas": d["gas_yield"], "oil": d["oil_yield"], "char": d["char_yield"],
              "naphtha cut": d["naphtha_cut_yield"],
              "t C2H4 / t waste": scan.kpis["products_t_per_t_feed.ethylene"]})"""),
    md("""
## 3. A blend

`feed.blend` feeds several feedstocks at once (shares of the dry feed): here sorted
polyolefins with the unsorted mixed packaging fraction.
"""),
    code("""
blends = np.array(["sorted_polyolefins:1", "sorted_polyolefins:0.5,mixed_pcw_film_rigid:0.5",
                   "mixed_pcw_film_rigid:1"], dtype=object)
b = routes["plastics_pyrolysis"].simulate(params={"feed.blend": blends})
b.kpis[["products_t_per_t_feed.ethylene", "carbon_efficiency", "msp_eur_per_t",
        "gate_fee_eur_per_t_feed"]].set_index(blends)"""),
    md("""
**Caveats** (see `flowsheets/plastics_pyrolysis.yaml`, `open`): several slate values are
recalled typical values, not read in their sources; the cracker is an existing one (no capital,
its utilities not charged); the gasification route buys no H2 and removes CO2, the pyrolysis
route buys H2 for the hydrotreater.
"""),
]

NOTEBOOKS = {
    "01_thermo_and_equilibrium.ipynb": NB01,
    "02_build_a_flowsheet.ipynb": NB02,
    "03_route_tea.ipynb": NB03,
    "04_uncertainty.ipynb": NB04,
    "05_optimisation.ipynb": NB05,
    "06_feedstock_route_matrix.ipynb": NB06,
    "07_plastics_pyrolysis_vs_gasification.ipynb": NB07,
}
sys.path.insert(0, str(HERE))
from _nb_flex import NB_FLEX  # noqa: E402  (cells of 06_flexible_operation, in their own file)

NOTEBOOKS["06_flexible_operation.ipynb"] = NB_FLEX


def notebook(cells, checks: tuple[str, str] | None = None) -> nbformat.NotebookNode:
    """The notebook of ``cells``, ending with its ``checks`` (a markdown and a code cell)."""
    if checks is not None:
        cells = [*cells, md(checks[0]), code(checks[1])]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, c in enumerate(nb.cells):  # stable ids: regenerating gives identical files
        c["id"] = f"cell-{i:02d}"
    return nb


def render(cells, checks: tuple[str, str] | None = None) -> str:
    return nbformat.writes(notebook(cells, checks)) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if a notebook is out of date")
    a = ap.parse_args(argv)
    stale = []
    for name, cells in NOTEBOOKS.items():
        path = HERE / name
        text = render(cells, CHECKS.get(name))
        if a.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if stale:
        print("out of date (run python examples/_build_notebooks.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
