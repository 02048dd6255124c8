"""Scaling of the largest route: time and peak memory vs N, ns per case per unit evaluation,
and how close the core runs to this machine's memory bandwidth.

Route: ``biomass_ft`` (the largest: ~50 units, the autothermal-gasifier design spec, the FT
recycle, costing and DCF via ``res.kpis``), 6 parameters varied per case (uniform, +-5 %).

* N <= DIRECT_MAX: one ``fs.simulate(params)`` + ``res.kpis`` batch.
* N > DIRECT_MAX: chunked by :func:`carbonhub.sweep.run` (in-process, automatic chunk size from
  the memory per case, Parquet output to a temporary directory) so that memory stays bounded.

Every N runs in a fresh subprocess: ``peak_rss_mb`` is that run's own peak resident memory;
``baseline_rss_mb`` is the process after imports and a warm-up, so their difference is what the
batch needs. For N <= TRACE_MAX a separate, untimed run with tracemalloc gives the traced peak.

Unit evaluations: every unit's ``run`` is wrapped to count the cases it evaluates (a unit inside
the recycle runs once per Wegstein iteration, every block downstream of the design spec's varied
unit once per spec iteration), so ``ns_per_case_unit_eval`` = wall time / (N x unit evaluations
per case) is the cost of one unit on one case, all overheads included.

Memory bandwidth: a numpy copy of a 256 MiB array (well beyond the last-level cache; best of 10; read + write counted) is this
machine's single-core bandwidth. The core's bytes touched per case are estimated from below:
(a) ``interface``: the bytes of every unit's inlet and outlet streams and result arrays, once
per unit evaluation; (b) ``allocated``: per unit call, the high-water mark of memory allocated
during the call (tracemalloc, which sees numpy's buffers) plus its inlets, i.e. at least every
temporary alive at the call's peak, written once and read at least once (x2). The achieved
bandwidth bytes per case / time per case is thus a lower bound; its ratio to the copy bandwidth
says how far the core is from being memory-bound (a small fraction: it is bound by per-call
overhead and arithmetic, not memory).

Usage::

    python benchmarks/bench_scaling.py                    # 10^2 .. 10^6 (10^6 only if it fits --budget-s)
    python benchmarks/bench_scaling.py --smoke            # 10^2, 10^3 and a 2-chunk sweep; checks only
    python benchmarks/bench_scaling.py --sizes 1e2,1e3,1e4 --json out.json

Checks (exit 1 if one fails): every case ok; mass/element balances of the direct batches within
1e-9 and energy within 1e-6; the chunked sweep gives, case for case, the KPIs of a direct batch
of the same cases (rtol 1e-9) on a sample.
"""
from __future__ import annotations

import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS",
           "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_v] = "1"  # one core: before numpy is imported

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

ROUTE = "biomass_ft"
DIRECT_MAX = 10_000
TRACE_MAX = 10_000
RTOL = 1e-9
VARY = {"gasifier.T": 0.05, "ft.alpha": 0.02, "ft.co_conversion": 0.05, "purge.fraction": 0.05,
        "feed.rate_dry_t_per_h": 0.05, "wgs.h2_co": 0.02}
"""Parameter -> half-width of its uniform range, relative to the route's default."""


def bandwidth(mib: int = 256, repeats: int = 10) -> dict[str, float]:
    """Single-core numpy copy bandwidth [GB/s]: bytes read + written / best time."""
    n = mib * 2**20 // 8
    src = np.random.default_rng(0).uniform(size=n)
    dst = np.empty_like(src)
    np.copyto(dst, src)  # touch the pages
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        np.copyto(dst, src)
        best = min(best, time.perf_counter() - t0)
    return {"array_mib": mib, "copy_GB_s": 2 * src.nbytes / best / 1e9, "copy_seconds_best": best}


def route_and_params(n: int, seed: int = 0):
    import carbonhub as ch

    fs = ch.routes.load(ROUTE)
    rng = np.random.default_rng(seed)
    params = {}
    for k, hw in VARY.items():
        d = float(fs.get(k))
        params[k] = rng.uniform(d * (1 - hw), d * (1 + hw), n)
    return fs, params


class Counter:
    """Wraps every unit's ``run``: cases evaluated, interface bytes and (optionally) the
    tracemalloc high-water mark of each call."""

    def __init__(self, fs, trace: bool = False):
        self.cases = 0
        self.calls = 0
        self.interface_bytes = 0
        self.allocated_bytes = 0
        self.trace = trace
        for unit in fs.units.values():
            unit.run = self._wrap(unit.run)

    @staticmethod
    def _stream_bytes(s) -> int:
        return s.flow.nbytes + s.T.nbytes + s.P.nbytes + s.origin.nbytes

    def _wrap(self, run):
        def counted(ins, p):
            if self.trace:
                before = tracemalloc.get_traced_memory()[0]
                tracemalloc.reset_peak()
            res = run(ins, p)
            self.calls += 1
            self.cases += int(p.n)
            b_in = sum(self._stream_bytes(s) for s in ins.values())
            b_out = sum(self._stream_bytes(s) for s in res.outlets.values())
            b_res = sum(np.asarray(v).nbytes for d in (res.design, res.utilities) for v in d.values())
            self.interface_bytes += b_in + b_out + b_res + res.heat.nbytes + res.power.nbytes
            if self.trace:
                self.allocated_bytes += 2 * (tracemalloc.get_traced_memory()[1] - before) + b_in
            return res
        return counted


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # pragma: no cover
        return float("nan")


def _balances_ok(res) -> tuple[bool, float, float]:
    b = res.balances
    mass = float(np.nanmax(b.drop(columns=["energy_rel"]).to_numpy())) if len(b) else 0.0
    energy = float(np.nanmax(b["energy_rel"].to_numpy())) if len(b) else 0.0
    return bool(mass <= 1e-9 and energy <= 1e-6), mass, energy


def measure_direct(n: int) -> dict[str, Any]:
    fs, params = route_and_params(n)
    fs.simulate(params={k: v[:2] for k, v in params.items()}).kpis  # warm-up
    cnt = Counter(fs)
    base = _current_rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    res = fs.simulate(params=params)
    t1 = time.perf_counter()
    kp = res.kpis
    t2, c2 = time.perf_counter(), time.process_time()
    peak = _rss_mb()
    ok_bal, mass, energy = _balances_ok(res)
    out = {"n": n, "mode": "direct", "seconds": t2 - t0, "simulate_seconds": t1 - t0,
           "kpis_seconds": t2 - t1, "cpu_seconds": c2 - c0, "cases_per_s": n / (t2 - t0),
           "us_per_case": 1e6 * (t2 - t0) / n, "ok": int(res.ok.sum()),
           "msp_median": float(np.nanmedian(kp["msp_eur_per_t"])),
           "unit_calls": cnt.calls, "unit_evals_per_case": cnt.cases / n,
           "interface_bytes_per_case": cnt.interface_bytes / n,
           "baseline_rss_mb": base, "peak_rss_mb": peak, "batch_rss_mb": peak - base,
           "balances_ok": ok_bal, "max_mass_rel": mass, "max_energy_rel": energy}
    del res, kp
    if n <= TRACE_MAX:
        fs2, _ = route_and_params(1)
        cnt2 = Counter(fs2, trace=True)
        tracemalloc.start()
        r2 = fs2.simulate(params=params)
        r2.kpis
        out["peak_traced_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        out["traced_kb_per_case"] = out["peak_traced_mb"] * 1024 / n
        out["allocated_bytes_per_case"] = cnt2.allocated_bytes / n
    return out


def measure_sweep(n: int, check: int) -> dict[str, Any]:
    """Chunked through carbonhub.sweep (in-process); a sample of the cases re-run directly."""
    from carbonhub.sweep import run

    fs, _ = route_and_params(1)
    dists = {k: (float(fs.get(k)) * (1 - hw), float(fs.get(k)) * (1 + hw)) for k, hw in VARY.items()}
    with tempfile.TemporaryDirectory(prefix="bench_scaling_") as tmp:
        run(fs, dists, n=64, method="mc", seed=1, out=Path(tmp) / "warm", progress=False)
        cnt = Counter(fs)
        base = _current_rss_mb()
        t0, c0 = time.perf_counter(), time.process_time()
        sw = run(fs, dists, n=n, method="mc", seed=0, out=Path(tmp) / "s.parquet", progress=False)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        peak = _rss_mb()
        counts = sw.status_counts()
        chunk = int(sw.meta["chunk_size"])
        out = {"n": n, "mode": "sweep", "seconds": dt, "cpu_seconds": cpu, "cases_per_s": n / dt,
               "us_per_case": 1e6 * dt / n, "ok": int(counts.get("ok", 0)), "chunk_size": chunk,
               "chunks": -(-n // chunk), "unit_calls": cnt.calls, "unit_evals_per_case": cnt.cases / n,
               "interface_bytes_per_case": cnt.interface_bytes / n,
               "baseline_rss_mb": base, "peak_rss_mb": peak, "batch_rss_mb": peak - base,
               "parquet_mb": sum(p.stat().st_size for p in sw.parts()) / 2**20}
        if check:  # the sweep's cases == a direct batch of the same inputs
            df = sw.to_pandas() if hasattr(sw, "to_pandas") else sw.df
            rows = np.random.default_rng(5).choice(len(df), size=min(check, len(df)), replace=False)
            sub = df.iloc[np.sort(rows)]
            params = {k: sub[k].to_numpy(dtype=float) for k in VARY}
            fs2, _ = route_and_params(1)
            k2 = fs2.simulate(params=params).kpis
            cols = [c for c in ("msp_eur_per_t", "carbon_efficiency", "capex_eur") if c in k2 and c in sub]
            errs = [float(np.nanmax(np.abs(sub[c].to_numpy(dtype=float) - k2[c].to_numpy(dtype=float))
                                    / np.abs(k2[c].to_numpy(dtype=float)))) for c in cols]
            out["sweep_vs_direct_max_rel"] = max(errs) if errs else float("nan")
            out["sweep_vs_direct_columns"] = cols
            out["sweep_vs_direct_cases"] = int(len(sub))
    return out


def _sub(args: list[str], timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, os.path.abspath(__file__), *args]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if out.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--sizes", default=None, help="e.g. 1e2,1e3,1e4,1e5,1e6")
    ap.add_argument("--budget-s", type=float, default=1500.0,
                    help="skip a size whose projected time (from the previous rate) exceeds what is left")
    ap.add_argument("--check", type=int, default=200, help="sweep cases re-run directly")
    ap.add_argument("--json", default=None)
    ap.add_argument("--_one", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--_bw", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a._bw:
        print(json.dumps(bandwidth(a._bw)))
        return 0
    if a._one:
        mode, n, check = a._one
        r = measure_direct(int(n)) if mode == "direct" else measure_sweep(int(n), int(check))
        print(json.dumps(r))
        return 0
    if a.smoke:
        plan = [("direct", 100), ("direct", 1000), ("sweep", 2048)]
        check = 20
    else:
        sizes = [int(float(s)) for s in (a.sizes or "1e2,1e3,1e4,1e5,1e6").split(",")]
        plan = [("direct" if n <= DIRECT_MAX else "sweep", n) for n in sizes]
        check = a.check
    # in a subprocess: a child inherits the parent's resident size in its peak RSS (Linux)
    bw = _sub(["--_bw", str(32 if a.smoke else 256)], timeout=300)
    print(f"numpy copy bandwidth (1 core): {bw['copy_GB_s']:.2f} GB/s", flush=True)
    rows, skipped = [], []
    t_start = time.perf_counter()
    rate = None
    for mode, n in plan:
        left = a.budget_s - (time.perf_counter() - t_start)
        if rate and n / rate * 1.2 > left and not a.smoke:
            skipped.append({"n": n, "projected_s": n / rate, "left_s": left})
            print(f"N={n:>9,}: skipped (projected {n / rate:,.0f} s > {left:,.0f} s left of the budget)")
            continue
        r = _sub(["--_one", mode, str(n), str(check)], timeout=max(left * 2, 600))
        rate = r["cases_per_s"]
        t_case = r["seconds"] / n
        r["ns_per_case_unit_eval"] = 1e9 * t_case / r["unit_evals_per_case"]
        best_bytes = max(r.get("allocated_bytes_per_case", 0.0), r["interface_bytes_per_case"])
        if "allocated_bytes_per_case" not in r:  # measured at a traced size: scale-free per case
            prev = [x for x in rows if "allocated_bytes_per_case" in x]
            if prev:
                best_bytes = max(best_bytes, prev[-1]["allocated_bytes_per_case"]
                                 * r["interface_bytes_per_case"] / prev[-1]["interface_bytes_per_case"])
        r["bytes_touched_per_case_lower_bound"] = best_bytes
        r["achieved_GB_s_lower_bound"] = best_bytes / t_case / 1e9
        r["fraction_of_copy_bandwidth"] = r["achieved_GB_s_lower_bound"] / bw["copy_GB_s"]
        rows.append(r)
        print(f"N={n:>9,} {mode:6s} {r['seconds']:9.2f} s {r['cases_per_s']:>9,.0f} cases/s "
              f"{r['unit_evals_per_case']:6.1f} unit evals/case {r['ns_per_case_unit_eval']:9.0f} ns/(case*unit)  "
              f"RSS peak {r['peak_rss_mb']:7.0f} MB (batch {r['batch_rss_mb']:6.0f} MB"
              + (f", traced {r['peak_traced_mb']:.0f} MB" if "peak_traced_mb" in r else "")
              + (f", chunk {r['chunk_size']:,}" if "chunk_size" in r else "") + ")  "
              f">= {r['achieved_GB_s_lower_bound']:.3f} GB/s ({100 * r['fraction_of_copy_bandwidth']:.1f} % of copy)  "
              f"ok {r['ok']}/{n}", flush=True)
    checks = {"all_ok": all(r["ok"] == r["n"] for r in rows),
              "balances_ok": all(r.get("balances_ok", True) for r in rows),
              "sweep_equals_direct": all(r.get("sweep_vs_direct_max_rel", 0.0) <= RTOL for r in rows)}
    passed = all(checks.values())
    out = {"benchmark": "scaling", "route": ROUTE, "smoke": a.smoke, "bandwidth": bw, "rows": rows,
           "skipped": skipped, "checks": checks, "passed": passed}
    print(f"checks: {checks} -> {'PASS' if passed else 'FAIL'}")
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=1))
    print(json.dumps(out))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
