"""Flowsheet core: cases/s and peak memory vs batch size for gasification + shift + FT loop.

The flowsheet (issue 3): wood chips -> O2/steam gasifier (``mode="T"``, Gibbs equilibrium with
CH4 slip) -> water-gas shift to a target H2/CO (``mode="h2_co"``) -> mixer -> cobalt FT (ASF)
-> splitter (purge) -> recycle of the FT tail gas to the mixer (a tear stream converged by the
vectorised Wegstein). The oxidant is either

* ``ratio``: O2 (99.5 %) from a :class:`ProportionalFeed` at a given kg O2 / kg dry feed ratio
  (a per-case parameter; the gasifier reports the heat it needs, ``heat_required_W``), or
* ``autothermal``: the same feed, its ratio a design spec (:func:`autothermal_spec`: heat +
  heat loss = 0) solved per case (bracketed Illinois iterations, each re-solving the blocks
  downstream of the O2 feed, recycle included).

Each case has its own parameters (gasifier T, FT alpha and CO conversion, purge fraction, feed
rate, shift H2/CO, and the O2 ratio in ``ratio`` mode). Measured per batch size N (each size in a
fresh subprocess, so the peak RSS is that run's own): wall time (median of repeats), CPU time
(CPU/wall ~ 1 shows that one core was used), cases/s, peak traced memory of the simulate call
(tracemalloc, which sees numpy's buffers; in a separate, untimed run) and the process's peak
RSS. Against it: a Python loop over single-case runs of the same code (same flowsheet, same
parameters), whose every case is also compared with its batch counterpart (all streams: flows,
T, P; every unit's heat, power and design results) to rtol 1e-9.

Goal (issue 3): >= 10,000 cases/s on one core at N = 10^4, and >= 100x the single-case loop.

The benchmark process pins BLAS/OpenMP/numba to one thread (before numpy is imported) and
reports what it found.

Usage::

    python benchmarks/bench_flowsheet.py                 # 10^2..10^5 (ratio), 10^2..10^4 (autothermal)
    python benchmarks/bench_flowsheet.py --smoke         # seconds; used by the test suite
    python benchmarks/bench_flowsheet.py --json out.json --sizes 1e2,1e3,1e4

Prints one line per measurement and, last, one JSON line with everything (also written to
``--json``). Exit status 1 if a batch case differs from its single-case run.
"""
from __future__ import annotations

import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS",
           "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_v] = "1"  # one core: before numpy (and numba) are imported

import argparse  # noqa: E402
import cProfile  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import pstats  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

RTOL = 1e-9
GOAL_N = 10_000
GOAL_CASES_PER_S = 10_000.0
GOAL_LOOP_RATIO = 100.0
P_GASIFIER = 28e5  # Pa
O2_PRODUCT = {"O2": 0.995, "Ar": 0.005}  # ASU product (99.5 % O2, argon the impurity)


# -- the flowsheet ---------------------------------------------------------------------------

def build(oxidant: str = "ratio"):
    """Gasifier -> WGS -> (mixer -> FT -> purge splitter -> recycle); ``oxidant`` is "ratio"
    (O2 per kg dry feed given) or "autothermal" (that ratio a design spec)."""
    import carbonhub as ch
    from carbonhub.unitops.basic import Mixer, Splitter
    from carbonhub.unitops.ft import FischerTropsch
    from carbonhub.unitops.gasifier import Gasifier, autothermal_spec
    from carbonhub.unitops.shift import WaterGasShift
    from carbonhub.unitops.sources import Feedstock, ProportionalFeed, Sink

    if oxidant not in ("ratio", "autothermal"):
        raise ValueError(f"oxidant {oxidant!r}: expected 'ratio' or 'autothermal'")
    fs = ch.Flowsheet(f"gasification_shift_ft_{oxidant}")
    u, c = fs.add, fs.connect
    feed = u(Feedstock("feed", feedstock="wood_chips", rate_dry_t_per_h=80.0, moisture_wt_pct=10.0,
                       P=P_GASIFIER))
    steam = u(ProportionalFeed("gasifier_steam", composition={"H2O": 1.0}, basis="dry_mass",
                               ratio=0.3, T=573.15, P=P_GASIFIER, category="steam_mp"))
    o2 = u(ProportionalFeed("o2", composition=O2_PRODUCT, basis="dry_mass", ratio=0.35,
                            T=298.15, P=P_GASIFIER, category="oxygen"))
    gasifier = u(Gasifier("gasifier", mode="T", T=1173.15, P=P_GASIFIER, carbon_conversion=0.97,
                          ch4_slip=0.05, heat_loss_fraction=0.02))
    shift_steam = u(ProportionalFeed("shift_steam", composition={"H2O": 1.0}, basis="mol:CO",
                                     ratio=0.6, T=573.15, P=P_GASIFIER, category="steam_mp"))
    wgs = u(WaterGasShift("wgs", mode="h2_co", h2_co=2.3, T=573.15))
    mixer = u(Mixer("ft_mixer", n_inlets=2))
    ft = u(FischerTropsch("ft", co_conversion=0.6, alpha=0.9, ch4_extra=0.05, P=25e5))
    purge = u(Splitter("purge", fraction=0.1))
    ash = u(Sink("ash", category="solid_residue"))
    liquids = u(Sink("ft_liquids", category="product", product="ft_liquids", main=True))
    water = u(Sink("ft_water", category="wastewater"))
    purge_gas = u(Sink("purge_gas", category="emission"))

    c(feed.outlets.out, steam.inlets.ref)
    c(steam.outlets.ref, o2.inlets.ref)
    c(o2.outlets.ref, gasifier.inlets.feed)
    c(o2.outlets.out, gasifier.inlets.oxidant)
    c(steam.outlets.out, gasifier.inlets.steam)
    c(gasifier.outlets.ash, ash.inlets.feed)
    c(gasifier.outlets.syngas, shift_steam.inlets.ref)
    c(shift_steam.outlets.ref, wgs.inlets.feed)
    c(shift_steam.outlets.out, wgs.inlets.steam)
    c(wgs.outlets.out, mixer.inlets.in1)
    c(mixer.outlets.out, ft.inlets.syngas)
    c(ft.outlets.gas, purge.inlets.feed)
    c(purge.outlets.out, mixer.inlets.in2, id="recycle")
    c(purge.outlets.purge, purge_gas.inlets.feed)
    c(ft.outlets.liquid, liquids.inlets.feed)
    c(ft.outlets.water, water.inlets.feed)
    fs.tear_hints.append("recycle")
    if oxidant == "autothermal":
        # the O2/dry-feed ratio [kg/kg] (ER ~ 0.15 .. 0.65 for wood) so that heat + loss = 0
        fs.add_spec(autothermal_spec("gasifier", "o2.ratio", lower=0.2, upper=0.9))
    return fs


def case_params(n: int, oxidant: str, seed: int = 0) -> dict[str, np.ndarray]:
    """Per-case parameters (different in every case)."""
    rng = np.random.default_rng(seed)
    p = {"gasifier.T": rng.uniform(1100.0, 1300.0, n),
         "ft.alpha": rng.uniform(0.85, 0.93, n),
         "ft.co_conversion": rng.uniform(0.4, 0.7, n),
         "purge.fraction": rng.uniform(0.05, 0.3, n),
         "feed.rate_dry_t_per_h": rng.uniform(20.0, 120.0, n),
         "wgs.h2_co": rng.uniform(2.2, 2.4, n)}
    if oxidant == "ratio":
        p["o2.ratio"] = rng.uniform(0.30, 0.45, n)
    return p


def simulate(fs, params):
    return fs.simulate(params=params, costing=False)


# -- machine / threads ---------------------------------------------------------------------------

def thread_info() -> dict[str, Any]:
    """Environment and libraries' thread settings (threadpoolctl when installed)."""
    info: dict[str, Any] = {k: os.environ.get(k) for k in (
        "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")}
    info["affinity_cpus"] = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        info["numpy_blas"] = f"{blas.get('name')} {blas.get('version', '')}".strip()
    except Exception as exc:  # pragma: no cover - numpy < 1.25
        info["numpy_blas"] = f"unknown ({exc})"
    try:
        from threadpoolctl import threadpool_info  # optional

        info["threadpools"] = [{k: d.get(k) for k in ("user_api", "internal_api", "num_threads",
                                                       "version")} for d in threadpool_info()]
    except ImportError:
        info["threadpools"] = "threadpoolctl not installed: see the *_NUM_THREADS variables"
    try:
        import numba

        info["numba_num_threads"] = int(numba.config.NUMBA_NUM_THREADS)
    except ImportError:  # pragma: no cover
        pass
    return info


def _rss_mb() -> float:
    """Peak resident set size of this process so far [MB] (Linux ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # pragma: no cover
        return float("nan")


# -- one measurement (runs in a subprocess) -------------------------------------------------------

def measure_one(oxidant: str, n: int, repeats: int) -> dict[str, Any]:
    fs = build(oxidant)
    params = case_params(n, oxidant)
    simulate(fs, {k: v[:min(n, 64)] for k, v in params.items()})  # warm-up: numba, caches
    base_rss = _current_rss_mb()
    walls, cpus = [], []
    res = None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        res = simulate(fs, params)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        del res
    peak_rss = _rss_mb()
    tracemalloc.start()
    res = simulate(fs, params)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    ok = int((res.status == "ok").sum())
    tears = [v for k, v in res.iterations.items() if not k.startswith("spec:")]  # tear passes, not spec solves
    iters = np.concatenate([np.asarray(v, dtype=float) for v in tears]) if tears else np.zeros(1)
    wall = float(np.median(walls))
    return {"oxidant": oxidant, "n": n, "repeats": repeats, "seconds": wall,
            "seconds_all": [round(w, 5) for w in walls], "cpu_seconds": float(np.median(cpus)),
            "cpu_per_wall": float(np.median(cpus)) / wall, "cases_per_s": n / wall,
            "us_per_case": 1e6 * wall / n, "ok": ok,
            "peak_traced_mb": traced_peak / 2**20,
            "traced_kb_per_case": traced_peak / 1024.0 / n,
            "baseline_rss_mb": base_rss, "peak_rss_mb": peak_rss,
            "recycle_iterations_mean": float(iters.mean()),
            "recycle_iterations_max": int(iters.max()), "threads": thread_info()}


def _float_items(r) -> dict[str, np.ndarray]:
    out = {"heat": np.asarray(r.heat, dtype=float), "power": np.asarray(r.power, dtype=float)}
    for k, v in r.design.items():
        a = np.asarray(v)
        if a.dtype.kind == "f":
            out[k] = a
    return out


def compare(batch, one, i: int) -> tuple[float, str, float, str]:
    """Largest normalised differences between batch case ``i`` and the single run ``one``,
    |a - b| / (rtol |b| + atol) (<= 1 passes), for the streams and for the unit results.

    Streams (every stream: flows, T, P): flows with atol = 1e-3 rtol x the stream's total
    flow (a trace component is judged against its stream); T and P plainly relative.
    Unit results (heat, power, every float design result): an energy quantity (heat, power,
    ``*_W``) with atol = rtol x the unit's largest energy quantity in that case (quantities
    that cross zero, such as a heat balance converged by a design spec, are judged against the
    unit's energy scale); any other with atol = rtol x its largest |value| in the batch."""
    ws, wheres, wu, whereu = 0.0, "", 0.0, ""
    if str(batch.status[i]) != str(one.status[0]):
        return float("inf"), f"status {batch.status[i]!r} vs {one.status[0]!r}", 0.0, ""
    if batch.status[i] != "ok":
        return 0.0, "both failed alike", 0.0, ""
    for sid, s1 in one.stream_data.items():
        sb = batch.stream_data[sid]
        tot = float(np.abs(s1.flow[0]).sum())
        for name, a, b, atol in (("flow", sb.flow[i], s1.flow[0], 1e-3 * RTOL * tot),
                                 ("T", sb.T[i:i + 1], s1.T[:1], 0.0),
                                 ("P", sb.P[i:i + 1], s1.P[:1], 0.0)):
            e = float(np.max(np.abs(a - b) / (RTOL * np.abs(b) + atol + 1e-300)))
            if e > ws:
                ws, wheres = e, f"stream {sid}.{name}"
    for uid, r1 in one.unit_results.items():
        fb, f1 = _float_items(batch.unit_results[uid]), _float_items(r1)
        energy = [k for k in f1 if k in ("heat", "power") or k.endswith("_W")]
        e_scale = max([abs(float(f1[k][0])) for k in energy if np.isfinite(f1[k][0])] or [0.0])
        for k, b in f1.items():
            if k not in fb or not np.isfinite(b[0]):
                continue
            scale = e_scale if k in energy else float(np.nanmax(np.abs(fb[k])))
            e = float(abs(fb[k][i] - b[0]) / (RTOL * abs(b[0]) + RTOL * scale + 1e-300))
            if e > wu:
                wu, whereu = e, f"unit {uid}.{k}"
    return ws, wheres, wu, whereu


def loop_and_check(oxidant: str, n: int, m: int, profile: bool) -> dict[str, Any]:
    """Batch of n; a Python loop over m of its cases run one at a time (timed), each compared
    with its batch counterpart; optionally a cProfile of the batch."""
    fs = build(oxidant)
    params = case_params(n, oxidant)
    simulate(fs, {k: v[:1] for k, v in params.items()})  # warm-up
    t0 = time.perf_counter()
    batch = simulate(fs, params)
    t_batch = time.perf_counter() - t0
    idx = np.sort(np.random.default_rng(1).choice(n, size=min(m, n), replace=False))
    ws, wheres, wu, whereu, t_loop = 0.0, "", 0.0, "", 0.0
    for i in idx:
        t0 = time.perf_counter()
        one = simulate(fs, {k: v[i:i + 1] for k, v in params.items()})
        t_loop += time.perf_counter() - t0
        es, w1, eu, w2 = compare(batch, one, int(i))
        if es > ws:
            ws, wheres = es, f"case {i}: {w1}"
        if eu > wu:
            wu, whereu = eu, f"case {i}: {w2}"
    worst = max(ws, wu)
    out = {"oxidant": oxidant, "n_batch": n, "batch_seconds": t_batch,
           "loop_cases": int(idx.size), "loop_seconds": t_loop,
           "loop_cases_per_s": idx.size / t_loop, "loop_ms_per_case": 1e3 * t_loop / idx.size,
           "max_normalised_error": worst, "streams_max_normalised_error": ws, "streams_worst_at": wheres,
           "units_max_normalised_error": wu, "units_worst_at": whereu, "rtol": RTOL,
           "passed": bool(worst <= 1.0), "batch_ok": int((batch.status == "ok").sum())}
    if profile:
        out["profile"] = profile_text(lambda: simulate(fs, params))
    return out


def profile_text(fn, top: int = 15) -> str:
    """cProfile of ``fn()``: the top entries by own time."""
    pr = cProfile.Profile()
    pr.enable()
    fn()
    pr.disable()
    buf = io.StringIO()
    st = pstats.Stats(pr, stream=buf)
    st.sort_stats("tottime").print_stats(top)
    lines = [ln for ln in buf.getvalue().splitlines() if ln.strip()]
    keep = [ln for ln in lines if "function calls" in ln or "ncalls" in ln or ln.lstrip()[:1].isdigit()]
    return "\n".join(keep[:top + 2]).replace(os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + "/", "")


# -- driver ---------------------------------------------------------------------------------

def _sub(args: list[str], timeout: float = 3600) -> dict[str, Any]:
    cmd = [sys.executable, os.path.abspath(__file__), *args]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if out.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="tiny sizes (seconds), for the tests")
    ap.add_argument("--sizes", default=None, help="batch sizes for the ratio flowsheet, e.g. 1e2,1e3,1e4,1e5")
    ap.add_argument("--autothermal-sizes", default=None, help="batch sizes with the autothermal spec")
    ap.add_argument("--loop", type=int, default=None, help="single-case runs in the Python loop")
    ap.add_argument("--repeats", type=int, default=3, help="timed repeats per size (median)")
    ap.add_argument("--no-profile", action="store_true", help="skip the cProfile of the goal point")
    ap.add_argument("--json", default=None, help="write the results here")
    ap.add_argument("--_one", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--_check", nargs=4, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a._one:
        print(json.dumps(measure_one(a._one[0], int(a._one[1]), int(a._one[2]))))
        return 0
    if a._check:
        ox, n, m, prof = a._check
        print(json.dumps(loop_and_check(ox, int(n), int(m), prof == "1")))
        return 0

    def sizes(s, default):
        return [int(float(x)) for x in s.split(",")] if s else default

    if a.smoke:
        ratio_sizes, auto_sizes, goal_n, loop_ratio, loop_auto = [100, 1000], [100], 1000, 10, 3
    else:
        ratio_sizes = sizes(a.sizes, [100, 1000, 10_000, 100_000])
        auto_sizes = sizes(a.autothermal_sizes, [100, 1000, 10_000])
        goal_n, loop_ratio, loop_auto = GOAL_N, a.loop or 200, max((a.loop or 200) // 4, 10)
    rows = []
    for ox, szs in (("ratio", ratio_sizes), ("autothermal", auto_sizes)):
        for n in szs:
            reps = 1 if n >= 100_000 or a.smoke else a.repeats
            r = _sub(["--_one", ox, str(n), str(reps)])
            rows.append(r)
            print(f"{ox:11s} N={n:>7,d}  {r['seconds']:8.3f} s  {r['cases_per_s']:>9,.0f} cases/s  "
                  f"{r['us_per_case']:8.1f} us/case  cpu/wall {r['cpu_per_wall']:.2f}  "
                  f"traced peak {r['peak_traced_mb']:8.1f} MB ({r['traced_kb_per_case']:.2f} kB/case)  "
                  f"RSS peak {r['peak_rss_mb']:7.0f} MB (base {r['baseline_rss_mb']:.0f})  "
                  f"ok {r['ok']}/{n}  recycle it. {r['recycle_iterations_mean']:.2f}", flush=True)
    checks = []
    for ox, m in (("ratio", loop_ratio), ("autothermal", loop_auto)):
        n = goal_n if ox == "ratio" else min(goal_n, max(auto_sizes))
        prof = "1" if (ox == "ratio" and not a.no_profile and not a.smoke) else "0"
        c = _sub(["--_check", ox, str(n), str(m), prof])
        checks.append(c)
        print(f"{ox:11s} loop of {c['loop_cases']} single cases: {c['loop_ms_per_case']:.2f} ms/case "
              f"({c['loop_cases_per_s']:.1f} cases/s); batch of {n:,} == single runs: "
              f"{'yes' if c['passed'] else 'NO'} (max |diff|/(rtol|b|+atol) = "
              f"streams {c['streams_max_normalised_error']:.3g} at {c['streams_worst_at'] or '-'}; units "
              f"{c['units_max_normalised_error']:.3g} at {c['units_worst_at'] or '-'})", flush=True)
    goal = {}
    for ox in ("ratio", "autothermal"):
        at = [r for r in rows if r["oxidant"] == ox and r["n"] == (goal_n if ox == "ratio" else min(goal_n, max(auto_sizes)))]
        ck = [c for c in checks if c["oxidant"] == ox]
        if at and ck:
            rate = at[0]["cases_per_s"]
            ratio = rate / ck[0]["loop_cases_per_s"]
            goal[ox] = {"n": at[0]["n"], "cases_per_s": rate, "loop_cases_per_s": ck[0]["loop_cases_per_s"],
                        "cases_per_cpu_s": at[0]["n"] / at[0]["cpu_seconds"],
                        "speedup_vs_loop": ratio,
                        "goal_cases_per_s": GOAL_CASES_PER_S, "goal_speedup": GOAL_LOOP_RATIO,
                        "met_cases_per_s": bool(rate >= GOAL_CASES_PER_S),
                        "met_speedup": bool(ratio >= GOAL_LOOP_RATIO)}
            print(f"{ox:11s} goal N={at[0]['n']:,}: {rate:,.0f} cases/s (goal {GOAL_CASES_PER_S:,.0f}: "
                  f"{'met' if rate >= GOAL_CASES_PER_S else 'MISSED'}), {ratio:,.0f}x the loop (goal "
                  f"{GOAL_LOOP_RATIO:.0f}x: {'met' if ratio >= GOAL_LOOP_RATIO else 'MISSED'})")
    out = {"benchmark": "flowsheet", "smoke": a.smoke, "rtol": RTOL, "rows": rows, "checks": checks,
           "goal": goal, "passed": all(c["passed"] for c in checks), "threads": rows[0]["threads"] if rows else {}}
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(out, fh, indent=1)
    print(json.dumps(out))
    return 0 if out["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
