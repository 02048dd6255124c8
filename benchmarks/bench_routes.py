"""Every route: cases/s at batch N on one core, with costing and DCF (MSP), 6+ parameters varied;
the recycle solver and K-value kernels of issue 14 against carbonhub's first solver.

Configurations, each measured in the same process, one after the other, on the same cases:

* ``new``: Anderson tear (default), compiled K-value kernels, the routes' current defaults;
* ``old``: Wegstein tear (``method="wegstein"``), numpy K-values, the loop purges the old
  solver forced (co2_methanol_mto 5 %, waste_methanol_mto 8 %; max_iter 200 as before);
* ``new_at_old_purge``: the new solver at the old purges (a like-for-like speed ratio).

Parameters (uniform, +-``SPREAD`` around each route's default, at least six per route): feed rate,
loop purge, reactor/gasifier temperatures, approach, product and electricity prices, etc. (see
``SPACE``; a route's own in ``ROUTE_SPACE``). Reported per route and configuration: wall and CPU seconds of ``simulate`` + KPIs
(MSP), cases/s by wall and by CPU time, cases ok, tear iterations (mean, max over ok cases).
The machine is shared: the load average is recorded with each measurement; prefer the ratios
(measured back to back) and the CPU-time figures.

Usage::

    python benchmarks/bench_routes.py                  # N = 10,000, every route
    python benchmarks/bench_routes.py --n 2000 --routes co2_methanol_mto
    python benchmarks/bench_routes.py --smoke          # N = 20, seconds
"""
from __future__ import annotations

import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS",
           "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_v] = "1"  # one core: before numpy (and numba) are imported

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

SPREAD = 0.1
SPACE = ("feed.rate_dry_t_per_h", "purge.fraction", "meoh_reactor.T", "meoh_reactor.dT_approach",
         "gasifier.T", "ft.alpha", "ft.co_conversion", "agr.co2_capture", "mto.T",
         "prices.product_eur_per_t", "prices.electricity_eur_per_MWh")
ROUTE_SPACE = {
    # the shared names above reach only two of plastics_pyrolysis's parameters (feed rate,
    # electricity price): its own, so that it too is measured with 6+ parameters varied
    "plastics_pyrolysis": ("pyrolysis.T", "condenser.T", "h2_feed.ratio", "hydrotreater.T",
                           "cracker.y_ethylene", "prices.hydrogen_eur_per_t", "prices.ethylene_eur_per_t"),
}
OLD_PURGE = {"co2_methanol_mto": 0.05, "waste_methanol_mto": 0.08}
GOAL = 10_000.0


def loadavg() -> list[float]:
    try:
        return [float(x) for x in open("/proc/loadavg").read().split()[:3]]
    except OSError:
        return list(os.getloadavg())


def sample(fs, n: int, seed: int, purge: float | None) -> dict[str, np.ndarray]:
    """Uniform +-SPREAD around the defaults (purge around ``purge`` when given); a fraction
    parameter stays inside (0, 1)."""
    table = fs.parameters().set_index("name")
    names = set(table.index)
    rng = np.random.default_rng(seed)
    out = {}
    for k in SPACE + ROUTE_SPACE.get(fs.name, ()):
        if k not in names:
            continue
        d = float(purge if (k == "purge.fraction" and purge is not None) else fs.get(k))
        if not np.isfinite(d) or d == 0:
            continue  # a price taken from prices.yaml (NaN default) is not varied
        lo, hi = d * (1 - SPREAD), d * (1 + SPREAD)
        lo = max(lo, float(table.loc[k, "lower"]))  # inside the parameter's declared range
        hi = min(hi, float(table.loc[k, "upper"]))
        out[k] = rng.uniform(lo, hi, n)
    return out


def measure(fs, params: dict, method: str, kv_engine: str) -> dict[str, Any]:
    import carbonhub.thermo.kvalues as kv

    real = kv.use_numba
    if kv_engine == "numpy":
        kv.use_numba = lambda engine="auto", error=ValueError: False  # the old numpy K-values
    try:
        load0 = loadavg()
        t0, c0 = time.perf_counter(), time.process_time()
        res = fs.simulate(params=params, method=method)
        msp = res.kpis["msp_eur_per_t"].to_numpy(dtype=float)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    finally:
        kv.use_numba = real
    n = len(next(iter(params.values())))
    ok = res.ok
    its = {k: v[ok] for k, v in res.iterations.items() if v.size}
    return {"n": n, "wall_s": wall, "cpu_s": cpu, "cases_per_s": n / wall, "cases_per_s_cpu": n / cpu,
            "ok": int(ok.sum()), "msp_mean": float(np.nanmean(msp[ok])) if ok.any() else None,
            "iterations": {k: {"mean": float(v.mean()) if v.size else None, "max": int(v.max()) if v.size else None}
                           for k, v in its.items()},
            "load": [load0, loadavg()], "_res": res}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--routes", default="")
    ap.add_argument("--configs", default="new,old,new_at_old_purge")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--json", default="")
    a = ap.parse_args(argv)
    import carbonhub as ch

    n = 20 if a.smoke else a.n
    routes = a.routes.split(",") if a.routes else ch.routes.names()
    rows, checks = [], []
    for route in routes:
        fs = ch.routes.load(route)
        has_purge = "purge.fraction" in set(fs.parameters()["name"])
        new_purge = float(fs.get("purge.fraction")) if has_purge else None
        old_purge = OLD_PURGE.get(route, new_purge)
        # warm-up: numba kernels and the data files the KPIs read (loaded once per process)
        _ = fs.simulate(params={k: v[:8] for k, v in sample(fs, 8, 0, None).items()}).kpis
        same = {}
        for cfg in a.configs.split(","):
            purge = old_purge if cfg in ("old", "new_at_old_purge") else new_purge
            if cfg == "new_at_old_purge" and old_purge == new_purge:
                continue
            params = sample(fs, n, 1, purge)
            method, eng = ("wegstein", "numpy") if cfg == "old" else ("anderson", "auto")
            r = measure(fs, params, method, eng)
            res = r.pop("_res")
            same[cfg] = res
            r.update(route=route, config=cfg, purge=purge, parameters=list(params))
            rows.append(r)
            it = "; ".join(f"{k} {v['mean']:.1f}/{v['max']}" if v["mean"] is not None else f"{k} -"
                           for k, v in r["iterations"].items())
            print(f"{route:20s} {cfg:17s} purge {purge if purge is not None else float('nan'):.3f} N={n}: {r['wall_s']:.2f} s wall, "
                  f"{r['cpu_s']:.2f} s CPU, {r['cases_per_s']:,.0f} cases/s ({r['cases_per_s_cpu']:,.0f} by CPU), "
                  f"ok {r['ok']}, iterations mean/max {it}, load {r['load'][0][0]:.1f}", flush=True)
        if "old" in same and "new_at_old_purge" in same or ("old" in same and "new" in same and old_purge == new_purge):
            a_, b_ = same["old"], same.get("new_at_old_purge", same.get("new"))
            both = a_.ok & b_.ok
            ka, kb = (x.kpis["msp_eur_per_t"].to_numpy(dtype=float)[both] for x in (a_, b_))
            err = float(np.max(np.abs(ka - kb) / np.abs(ka))) if both.any() else float("nan")
            checks.append({"route": route, "pair": "old vs new solver, same cases", "both_ok": int(both.sum()),
                           "max_rel_msp_diff": err, "passed": bool(err <= 1e-6) if both.any() else None})
            print(f"{route:20s} old vs new solver: MSP max rel. diff {err:.2e} over {both.sum()} cases", flush=True)
    out = {"benchmark": "routes", "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "smoke": a.smoke, "n": n, "rows": rows, "checks": checks,
           "goal_cases_per_s": GOAL, "passed": all(c["passed"] is not False for c in checks),
           "threads": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS")}}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)
    print(json.dumps(out))
    return 0 if out["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
