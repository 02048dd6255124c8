"""Sweep throughput: cases/s in-process vs 2 Dask workers, and scaling with N (10^3 .. 10^6).

Each measurement runs in a fresh subprocess (so peak RSS is that run's own) and writes a real
Parquet sweep to a temporary directory. Routes come from ``carbonhub.routes`` by name
(``--route biomass_ft``); until the route library exists, or with ``--route analytic``, an
analytic stand-in with 12 uncertain parameters is used (it measures the sweep machinery:
sampling, chunking, Parquet, Dask, not the physics).

Usage::

    python benchmarks/bench_sweep.py --smoke            # seconds: 10^3, 10^4 local + Dask
    python benchmarks/bench_sweep.py                    # 10^3 .. 10^6 local, 10^4 .. 10^6 Dask
    python benchmarks/bench_sweep.py --route biomass_ft --params-file p.yaml --json out.json
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


class AnalyticRoute:
    """Stand-in route honouring the flowsheet contract; ~40 numpy ops per case."""

    name = "analytic"

    _P = [("gasifier.T", 1200.0, "K", 900.0, 1600.0), ("gasifier.P", 25e5, "Pa", 1e5, 60e5),
          ("feed.rate_dry_t_per_h", 50.0, "t/h", 1.0, 500.0),
          ("prices.feedstock_eur_per_t", 80.0, "EUR/t", 0.0, 1000.0),
          ("ft.alpha", 0.9, "-", 0.7, 0.95), ("ft.co_conversion", 0.8, "-", 0.3, 0.95),
          ("costing.capex_factor", 1.0, "-", 0.3, 3.0), ("costing.irr", 0.1, "-", 0.0, 0.3),
          ("prices.electricity_eur_per_mwh", 60.0, "EUR/MWh", 0.0, 500.0),
          ("prices.product_eur_per_t", 1200.0, "EUR/t", 0.0, 5000.0),
          ("plant.availability", 0.9, "-", 0.5, 1.0), ("plant.lifetime_y", 25.0, "year", 5, 50)]
    _FEEDS = {"wood_chips": 0.50, "wheat_straw": 0.45, "miscanthus": 0.48}

    def parameters(self) -> pd.DataFrame:
        rows = [(n, d, u, lo, hi, "", "float", None) for n, d, u, lo, hi in self._P]
        rows.append(("feed.feedstock", "wood_chips", None, np.nan, np.nan, "", "choice",
                     list(self._FEEDS)))
        return pd.DataFrame(rows, columns=["name", "default", "unit", "lower", "upper", "doc",
                                           "kind", "choices"])

    def simulate(self, params: dict | None = None) -> Any:
        params = dict(params or {})
        n = max([np.size(v) for v in params.values() if not np.isscalar(v)] or [1])
        p = {name: np.broadcast_to(np.asarray(params.get(name, d), dtype=float), (n,))
             for name, d, *_ in self._P}
        feed = np.broadcast_to(np.asarray(params.get("feed.feedstock", "wood_chips")), (n,))
        carbon = np.select([feed == k for k in self._FEEDS], list(self._FEEDS.values()), np.nan)
        T, alpha, x = p["gasifier.T"], p["ft.alpha"], p["ft.co_conversion"]
        ce = carbon * (0.9 - 2e-7 * (T - 1250) ** 2) * (0.6 + 0.4 * alpha) * x / 0.8
        rate = p["feed.rate_dry_t_per_h"]
        hours = 8760 * p["plant.availability"]
        product = rate * ce * 0.8 * hours
        capex = 4e8 * p["costing.capex_factor"] * (rate / 50) ** 0.7
        r, life = p["costing.irr"], p["plant.lifetime_y"]
        crf = np.where(r > 0, r / (1 - (1 + r) ** -life), 1 / life)
        opex = (p["prices.feedstock_eur_per_t"] * rate * hours + 0.04 * capex
                + p["prices.electricity_eur_per_mwh"] * 5 * rate * hours)
        msp = (crf * capex + opex) / product
        kpis = pd.DataFrame({"msp_eur_per_t": msp, "carbon_efficiency": ce,
                             "co2_emitted_t_per_y": rate * hours * (carbon - ce) * 44 / 12,
                             "npv_eur": (p["prices.product_eur_per_t"] - msp) * product / crf})
        status = np.where(np.isfinite(msp), "ok", "error: unknown feedstock")
        return type("Result", (), {"n_cases": n, "kpis": kpis, "status": status})()


ANALYTIC_PARAMS = {
    "gasifier.T": "uniform(1100,1500)", "gasifier.P": "tri(15,25,40) bar",
    "feed.rate_dry_t_per_h": "normal(50,5)", "prices.feedstock_eur_per_t": "tri(60,80,120)",
    "ft.alpha": "pert(0.85,0.9,0.93)", "ft.co_conversion": "uniform(0.6,0.9)",
    "costing.capex_factor": "lognormal(0,0.2)", "costing.irr": "uniform(0.06,0.12)",
    "prices.electricity_eur_per_mwh": "tri(30,60,150)", "prices.product_eur_per_t":
    "uniform(800,1600)", "plant.availability": "pert(0.8,0.9,0.95)",
    "feed.feedstock": "choice(wood_chips,wheat_straw,miscanthus)",
}


def load_route(name: str) -> tuple[Any, dict[str, Any]]:
    """(flowsheet, uncertain parameters) for a route name; "analytic" is the stand-in."""
    if name == "analytic":
        return AnalyticRoute(), dict(ANALYTIC_PARAMS)
    import carbonhub

    fs = carbonhub.routes.load(name)
    table = fs.parameters()
    params: dict[str, Any] = {}
    for row in table.itertuples():  # +-10 % around each bounded float default, 12 at most
        if len(params) >= 12:
            break
        if row.kind == "float" and np.isfinite([row.lower, row.upper]).all() and row.default:
            lo = max(row.lower, 0.9 * row.default)
            hi = min(row.upper, 1.1 * row.default)
            if lo < hi:
                params[row.name] = f"uniform({lo!r},{hi!r})"
    if "feed.feedstock" in set(table["name"]):
        choices = table.set_index("name").loc["feed.feedstock", "choices"]
        params["feed.feedstock"] = f"choice({','.join(choices)})"
    return fs, params


def one(route: str, n: int, dask: str | None, params_file: str | None) -> dict[str, Any]:
    """One measurement in this process: warm up (imports, cluster start), then time the sweep."""
    from carbonhub.sweep import run
    from carbonhub.sweep import load_params as load_param_file

    fs, params = load_route(route)
    if params_file:
        params = load_param_file(params_file)
    client = cluster = None
    startup = 0.0
    if dask == "local":
        from distributed import Client, LocalCluster

        t0 = time.perf_counter()
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=":0", host="127.0.0.1")
        client = Client(cluster)
        startup = time.perf_counter() - t0
    try:
        with tempfile.TemporaryDirectory(prefix="bench_sweep_") as tmp:
            run(fs, params, n=min(n, 2048), method="lhs", seed=1, out=Path(tmp) / "warm",
                dask=client, progress=False)
            t0 = time.perf_counter()
            res = run(fs, params, n=n, method="lhs", seed=0, out=Path(tmp) / "s.parquet",
                      dask=client, progress=False)
            dt = time.perf_counter() - t0
            workers_rss = max(client.run(_peak_rss).values()) if client is not None else 0
            counts = res.status_counts()
            size = sum(p.stat().st_size for p in res.parts())
            chunk = res.meta["chunk_size"]
    finally:
        if client is not None:
            client.close()
            cluster.close()  # type: ignore[union-attr]
    rss = _peak_rss()
    return {"route": route, "backend": "dask-local-2" if dask else "local", "n": n,
            "params": len(params), "seconds": dt, "cases_per_s": n / dt,
            "chunk_size": chunk, "ok": int(counts.get("ok", 0)), "startup_s": startup,
            "peak_rss_mb": rss / 2**20, "worker_peak_rss_mb": workers_rss / 2**20,
            "parquet_mb": size / 2**20}


def _peak_rss() -> int:
    """Peak resident memory of this process [bytes] (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def measure(route: str, n: int, dask: bool, params_file: str | None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--_one", route, str(n), "local" if dask else "-"]
    if params_file:
        cmd += ["--params-file", params_file]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--route", action="append", help="route name(s); default: every route, "
                    "or the analytic stand-in if there is no route library")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, seconds")
    ap.add_argument("--sizes", default=None, help="comma-separated N, e.g. 1e3,1e4,1e5,1e6")
    ap.add_argument("--dask-sizes", default=None, help="N for the 2-worker Dask runs")
    ap.add_argument("--params-file", default=None)
    ap.add_argument("--json", default=None, help="write the measurements here")
    ap.add_argument("--_one", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._one:
        route, n, dask = args._one
        print(json.dumps(one(route, int(n), None if dask == "-" else dask, args.params_file)))
        return 0
    routes = args.route
    if not routes:
        try:
            import carbonhub.routes as r  # type: ignore[import-not-found]

            routes = list(r.names()) or ["analytic"]
        except ImportError:
            routes = ["analytic"]
    if args.smoke:
        sizes, dsizes = [1_000, 10_000], [10_000]
    else:
        sizes = [int(float(s)) for s in (args.sizes or "1e3,1e4,1e5,1e6").split(",")]
        dsizes = [int(float(s)) for s in (args.dask_sizes or "1e4,1e5,1e6").split(",")]
    rows = []
    for route in routes:
        for n in sizes:
            rows.append(measure(route, n, False, args.params_file))
            print(_fmt(rows[-1]), flush=True)
        for n in dsizes:
            rows.append(measure(route, n, True, args.params_file))
            print(_fmt(rows[-1]), flush=True)
    df = pd.DataFrame(rows)
    print()
    print(df.to_markdown(index=False, floatfmt=".4g") if _has_tabulate() else df.to_string())
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


def _fmt(r: dict[str, Any]) -> str:
    return (f"{r['route']:<12} {r['backend']:<13} n={r['n']:>9,} {r['seconds']:8.2f} s "
            f"{r['cases_per_s']:12,.0f} cases/s  chunk={r['chunk_size']:>7,}  "
            f"startup {r['startup_s']:4.1f} s  "
            f"peak RSS {r['peak_rss_mb']:5.0f} MB (workers {r['worker_peak_rss_mb']:4.0f} MB)  "
            f"parquet {r['parquet_mb']:.1f} MB")


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
