"""Your first sweep: Monte Carlo of the biomass_ft route, with the figures a TEA study reports.

The script version of examples/04_uncertainty.ipynb (and of ``carbonhub sweep``), for people
who do not use notebooks. Run it from any directory; it writes into ``./runs/``::

    python examples/first_sweep.py                                   # 2,000 cases
    CARBONHUB_EXAMPLES_SMALL=1 python examples/first_sweep.py        # 64 cases (CI)

The same sweep from the command line::

    carbonhub sweep biomass_ft --n 2000 --method lhs --seed 1 --out runs/first_sweep.parquet \\
        --param "gasifier.T=uniform(1100,1250)" \\
        --param "prices.feedstock_eur_per_t=triangular(60,90,130) EUR/t" \\
        --param "economics.capex_factor=triangular(0.8,1.0,1.5)" \\
        --param "ft.alpha=uniform(0.85,0.92)"
"""
from __future__ import annotations

import os
from pathlib import Path

import carbonhub as ch

SMALL = os.environ.get("CARBONHUB_EXAMPLES_SMALL") == "1"
N = 64 if SMALL else 2000

# What is uncertain, and how: distributions in each parameter's own unit (or with a unit).
PARAMS = {
    "gasifier.T": "uniform(1100,1250)",                           # K
    "prices.feedstock_eur_per_t": "triangular(60,90,130) EUR/t",  # wood chips, as received
    "economics.capex_factor": "triangular(0.8,1.0,1.5)",          # AACE class 4-5 accuracy
    "ft.alpha": "uniform(0.85,0.92)",                             # chain-growth probability
}


def main() -> None:
    out = Path("runs")
    out.mkdir(exist_ok=True)
    fs = ch.routes.load("biomass_ft")

    # 1. Monte Carlo (Latin hypercube), written chunk by chunk to a Parquet dataset
    sw = ch.sweep.run(fs, PARAMS, n=N, method="lhs", seed=1, out=out / "first_sweep.parquet",
                      overwrite=True, progress=False)
    print(sw)
    print(sw.status_counts().to_string())
    print(ch.sweep.summary(sw)[["n_ok", "mean", "p5", "p50", "p95"]].to_string(
        float_format=lambda v: f"{v:.4g}"))
    print("Spearman rank correlations:")
    print(ch.sweep.spearman(sw, kpis=["msp_eur_per_t", "carbon_efficiency",
                                      "co2_emitted_t_per_y"]).round(2).to_string())
    ch.sweep.plot_distribution(sw, "msp_eur_per_t").savefig(out / "msp_distribution.png")

    # 2. one-at-a-time tornado around the route's defaults (10th / 90th percentiles)
    base = {name: fs.get(name) for name in PARAMS}
    base["prices.feedstock_eur_per_t"] = 96.42  # the default NaN means "prices.yaml": 96.42 EUR/t
    tor = ch.sweep.tornado(fs, PARAMS, kpi="msp_eur_per_t", base=base)
    print(tor.to_string(float_format=lambda v: f"{v:.4g}"))
    ch.sweep.plot_tornado(tor).savefig(out / "tornado.png")

    # 3. variance-based (Sobol') indices: which inputs drive the spread of the MSP
    si = ch.sweep.sobol_indices(fs, PARAMS, n=16 if SMALL else 256, kpi="msp_eur_per_t", seed=1)
    print(si.round(3).to_string())
    ch.sweep.plot_sobol(si).savefig(out / "sobol.png")

    # checks a reader would notice: every case ran; the tornado's base point is the route at
    # those inputs; MSP rises with the feedstock price and the capital factor in every case
    # pair of the sample (notebook 04 checks the price bar against the wood bought per t fuel)
    assert (sw.df["status"] == "ok").all(), sw.status_counts()
    at_base = fs.simulate(params={k: [v] for k, v in base.items()}).kpis["msp_eur_per_t"][0]
    assert abs(tor.attrs["base_kpi"] / at_base - 1) < 1e-9, (tor.attrs["base_kpi"], at_base)
    rho = ch.sweep.spearman(sw, kpis=["msp_eur_per_t"])
    assert (rho.loc[["prices.feedstock_eur_per_t", "economics.capex_factor"]] > 0).all().all()
    print("checks passed")
    print(f"figures written to {out.resolve()}")


if __name__ == "__main__":
    main()
