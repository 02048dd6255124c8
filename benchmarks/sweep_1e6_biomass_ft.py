"""The 10^6-case sweep of biomass_ft with 12 uncertain parameters (issue 7 acceptance run).

Writes runs/biomass_ft_1e6/ (Parquet parts) and prints wall time, cases/s and the peak RSS of
this process. Resumable: run it again with --resume after an interruption.
Usage: python benchmarks/sweep_1e6_biomass_ft.py [--n N] [--resume] [--out DIR]
"""
from __future__ import annotations

import argparse
import json
import resource
import time

PARAMS = {
    "gasifier.T": "uniform(1100,1250)",
    "gasifier.carbon_conversion": "uniform(0.94,0.99)",
    "gasifier.ch4_slip": "tri(0.05,0.08,0.12)",
    "gasifier_steam.ratio": "uniform(0.2,0.5)",
    "ft.alpha": "pert(0.85,0.9,0.92)",
    "ft.co_conversion": "uniform(0.5,0.7)",
    "purge.fraction": "uniform(0.1,0.4)",
    "feed.rate_dry_t_per_h": "uniform(40,120)",
    "feed.feedstock": "choice(wood_chips,forestry_residue,wheat_straw)",
    "prices.feedstock_eur_per_t": "tri(40,80,130)",
    "prices.electricity_eur_per_MWh": "uniform(60,200)",
    "economics.capex_factor": "lognormal(0,0.2)",
    "economics.irr": "uniform(0.06,0.12)",
}


def main(argv=None):
    import carbonhub as ch
    from carbonhub.sweep import run

    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--out", default="runs/biomass_ft_1e6")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--chunk-size", type=int, default=20_000)
    a = ap.parse_args(argv)
    fs = ch.routes.load("biomass_ft")
    t = time.time()
    res = run(fs, PARAMS, n=a.n, method="lhs", seed=1, out=a.out, chunk_size=a.chunk_size,
              resume=a.resume, overwrite=not a.resume, progress=True)
    dt = time.time() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {"n": a.n, "wall_s": dt, "cases_per_s": a.n / dt, "peak_rss_MB": peak_mb,
           "status": {str(k): int(v) for k, v in res.status_counts().items()}}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
