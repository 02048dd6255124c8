"""Run every benchmark, collect their JSON into benchmarks/results.json, write RESULTS.md.

Runs each ``benchmarks/bench_*.py`` in its own process, in this order: equilibrium, flowsheet,
tea, sweep, biosteam, eo, any other ``bench_*.py``, and scaling last (it gets
what is left of the time budget, so that the whole run fits in ~30 minutes on 2 cores). The
BioSTEAM environment is set up by bench_biosteam.py on first use (not in ``--smoke``).

Writes ``benchmarks/results.json`` (machine-readable: machine, versions, every benchmark's own
JSON, goals and agreement checks) and ``benchmarks/RESULTS.md`` (one table per benchmark, the
goals met or missed and by how much, with a cProfile of where the time goes for the misses),
prints the ratio table, and exits 1 if a side-by-side pair disagrees beyond its stated tolerance
(or a benchmark failed to produce its answers). Timings never fail the run.

Usage::

    python benchmarks/run_all.py                # full (make bench)
    python benchmarks/run_all.py --smoke        # everything tiny; writes to a temporary directory
    python benchmarks/run_all.py --only flowsheet,scaling
    python benchmarks/run_all.py --only eo --timeout-eo 5400   # a longer limit on a loaded machine
    python benchmarks/run_all.py --report-only  # RESULTS.md again from results.json, running nothing

RESULTS.md opens with the issue-14 status table (each goal's latest figure with the date, load and
commit of its run), then the machine and versions, then ``benchmarks/NOTES.md`` verbatim (notes
written by hand: they survive every re-generation), then the generated tables. The session
history lives in ``benchmarks/HISTORY.md`` and the engineers' notes files, linked at the end.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUDGET_S = 29 * 60

# name -> (full args, smoke args, repeats in full mode, timeout [s]; --timeout NAME=S overrides it)
PLAN: dict[str, tuple[list[str], list[str], int, float]] = {
    "equilibrium": ([], ["--smoke"], 1, 1200),
    "flowsheet": ([], ["--smoke"], 1, 1200),
    "tea": (["--n", "1000000"], ["--smoke"], 3, 600),
    "sweep": (["--route", "biomass_ft", "--sizes", "1e3,1e4,1e5", "--dask-sizes", "1e4,1e5"],
              ["--smoke", "--route", "biomass_ft"], 1, 1800),
    "biosteam": (["--n-biosteam", "200", "--n-carbonhub", "10000", "--n-route", "10000"], ["--smoke"], 1, 2400),
    "eo": (["--n", "5", "--rebuild", "1"], ["--smoke"], 1, 2400),
    "scaling": (["--sizes", "1e2,1e3,1e4,1e5,1e6"], ["--smoke"], 1, 3600),
}
ORDER = ["equilibrium", "flowsheet", "tea", "sweep", "biosteam", "eo"]
LAST = ["scaling"]


# -- machine and versions --------------------------------------------------------------------

def loadavg() -> list[float]:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:  # pragma: no cover
        return list(os.getloadavg()) if hasattr(os, "getloadavg") else []


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"platform": platform.platform(), "cores_logical": os.cpu_count()}
    try:
        cpu = Path("/proc/cpuinfo").read_text()
        m = re.search(r"^model name\s*:\s*(.+)$", cpu, re.M)
        info["cpu_model"] = m.group(1).strip() if m else platform.processor()
        info["cpu_mhz"] = float(re.search(r"^cpu MHz\s*:\s*(.+)$", cpu, re.M).group(1))
        cores = {(a, b) for a, b in re.findall(r"physical id\s*:\s*(\d+).*?core id\s*:\s*(\d+)", cpu, re.S)}
        info["cores_physical"] = len(cores) or None
        flags = re.search(r"^flags\s*:\s*(.+)$", cpu, re.M)
        info["avx512"] = bool(flags and "avx512f" in flags.group(1))
    except (OSError, AttributeError):
        info["cpu_model"] = platform.processor()
    if hasattr(os, "sched_getaffinity"):
        info["cores_available"] = len(os.sched_getaffinity(0))
    try:
        mem = Path("/proc/meminfo").read_text()
        info["memory_gb"] = round(int(re.search(r"MemTotal:\s*(\d+)", mem).group(1)) / 2**20, 1)
    except (OSError, AttributeError):  # pragma: no cover
        pass
    return info


def versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": platform.python_version()}
    for dist in ("numpy", "scipy", "numba", "pandas", "carbonhub", "cantera", "idaes-pse", "pyomo",
                 "CoolProp", "dask"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    py = HERE / ".venv-biosteam" / "bin" / "python"
    out["biosteam"] = out["thermosteam"] = None
    if py.exists():
        r = subprocess.run([str(py), "-c", "from importlib.metadata import version as v; "
                            "print(v('biosteam'), v('thermosteam'))"], capture_output=True, text=True)
        if r.returncode == 0:
            out["biosteam"], out["thermosteam"] = r.stdout.split()
    return out


def git_state() -> dict[str, Any]:
    def g(*args):
        r = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else None
    status = g("status", "--porcelain") or ""
    return {"commit": g("rev-parse", "--short", "HEAD"), "dirty_files": len(status.splitlines())}


# -- running ---------------------------------------------------------------------------------

def bench_names() -> list[str]:
    found = sorted(p.stem[len("bench_"):] for p in HERE.glob("bench_*.py"))
    known = [n for n in ORDER if n in found]
    other = [n for n in found if n not in ORDER and n not in LAST]
    return known + other + [n for n in LAST if n in found]


def _supports(script: Path, flag: str) -> bool:
    r = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=120)
    return flag in r.stdout


def run_bench(name: str, smoke: bool, budget_left: float, log_dir: Path,
              timeout_s: float | None = None) -> dict[str, Any]:
    """Run ``bench_<name>.py`` (``timeout_s`` replaces the plan's limit when given)."""
    script = HERE / f"bench_{name}.py"
    full, smk, repeats, timeout = PLAN.get(name, ([], ["--smoke"], 1, 1800))
    timeout = timeout_s if timeout_s is not None else timeout
    args = list(smk if smoke else full)
    if smoke and not _supports(script, "--smoke"):
        args = [a for a in args if a != "--smoke"]
    if name == "scaling" and not smoke:
        args += ["--budget-s", f"{max(budget_left - 60.0, 120.0):.0f}"]
    use_json = _supports(script, "--json")
    runs, t0 = [], time.perf_counter()
    rec: dict[str, Any] = {"script": script.name, "args": args, "runs": [], "timeout_s": timeout}
    for k in range(1 if smoke else repeats):
        jpath = log_dir / f"{name}_{k}.json"
        cmd = [sys.executable, str(script), *args] + (["--json", str(jpath)] if use_json else [])
        t1 = time.perf_counter()
        try:
            p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
            rc, stdout, stderr = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as exc:
            rc, stdout, stderr = -9, (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or ""), f"timeout after {timeout} s"
        (log_dir / f"{name}_{k}.log").write_text(f"$ {' '.join(cmd)}\n{stdout}\n--- stderr ---\n{stderr}")
        data = None
        if use_json and jpath.exists():
            data = json.loads(jpath.read_text())
        else:
            for line in reversed(stdout.strip().splitlines()):
                if line.startswith("{") or line.startswith("["):
                    try:
                        data = json.loads(line)
                        break
                    except json.JSONDecodeError:
                        continue
        runs.append({"returncode": rc, "seconds": time.perf_counter() - t1, "data": data,
                     "stdout_tail": "\n".join(stdout.strip().splitlines()[-40:]) if data is None or rc else "",
                     "stderr_tail": stderr[-3000:] if rc else ""})
        print(f"[{name}] run {k + 1}: exit {rc} in {runs[-1]['seconds']:.1f} s", flush=True)
        for line in stdout.strip().splitlines()[:-1][-25:]:
            print(f"  {line[:240]}")
        if rc and data is None:
            print(f"  stderr: {stderr[-1500:]}")
            break
    rec["runs"] = runs
    rec["seconds"] = time.perf_counter() - t0
    rec["returncode"] = max((abs(r["returncode"]) for r in runs), default=1)
    return rec


# -- goals, agreement ----------------------------------------------------------------------------

def _data(res: dict, name: str, k: int = 0):
    try:
        return res[name]["runs"][k]["data"]
    except (KeyError, IndexError, TypeError):
        return None


def _median(xs):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    m = len(xs) // 2
    return xs[m] if len(xs) % 2 else 0.5 * (xs[m - 1] + xs[m])


def goals_and_checks(res: dict) -> tuple[list[dict], list[dict]]:
    goals: list[dict] = []
    checks: list[dict] = []

    def goal(bench, what, value, target, unit="x", note="", key=None, load=None):
        met = value is not None and value >= target
        goals.append({"benchmark": bench, "what": what, "value": value, "goal": target, "unit": unit,
                      "met": met, "shortfall": (target / value) if value and not met else None,
                      "note": note, "key": key, "load": load})

    def check(bench, what, passed, detail):
        checks.append({"benchmark": bench, "pair": what, "passed": bool(passed), "detail": detail})

    eq = _data(res, "equilibrium")
    if isinstance(eq, list) and eq:
        for s in sorted({r["set"] for r in eq}):
            rows = [r for r in eq if r["set"] == s]
            big = [r for r in rows if r["n"] >= 10_000]
            best = max(big or rows, key=lambda r: r["ratio"])
            which = "best of N >= 10^4" if big else "best N"
            goal("equilibrium", f"{s}: vectorised ({best['engine']}, {which}: N={best['n']:,}) "
                 "vs Cantera loop", best["ratio"], 30.0, key=f"equilibrium:{s.split()[0]}")
        check("equilibrium", "vectorised Gibbs vs Cantera equilibrate", res["equilibrium"]["returncode"] == 0,
              f"max |x - x_Cantera| = {max(r['max_abs_dx'] for r in eq):.1e} (tolerance 1e-8)")
    elif "equilibrium" in res:
        check("equilibrium", "vectorised Gibbs vs Cantera equilibrate", False,
              "no results (benchmark failed: see its log)")

    fl = _data(res, "flowsheet")
    if fl:
        for ox, g in fl.get("goal", {}).items():
            tag = "" if ox == "ratio" else " (autothermal design spec; informational)"
            goal("flowsheet", f"gasification+shift+FT loop, {ox}: cases/s at N={g['n']:,} on one core{tag}",
                 g["cases_per_s"], 10_000.0, "cases/s",
                 note=f"by CPU time: {g.get('cases_per_cpu_s', 0):,.0f} cases/s" if g.get("cases_per_cpu_s") else "")
            goal("flowsheet", f"gasification+shift+FT loop, {ox}: batch vs Python loop of single cases{tag}",
                 g["speedup_vs_loop"], 100.0)
        for c in fl.get("checks", []):
            check("flowsheet", f"batch of {c['n_batch']:,} vs {c['loop_cases']} single-case runs ({c['oxidant']})",
                  c["passed"], f"max |a-b|/(rtol|b|+atol) = {c['max_normalised_error']:.2g} (<= 1 passes, rtol {c['rtol']:g})")
    elif "flowsheet" in res:
        check("flowsheet", "batch vs single-case runs", False, "no results (benchmark failed)")

    bs = _data(res, "biosteam")
    if bs and "agreement" in bs:
        goal("biosteam", "methanol loop (same flowsheet; recycle, costing, DCF): carbonhub vs BioSTEAM samples "
             "per CPU s", bs.get("ratio_loop_cpu"), 1000.0, key="biosteam:loop",
             note=f"by wall-clock time {bs.get('ratio_loop', 0):,.0f}x; vs BioSTEAM at its default (looser) recycle "
                  f"tolerances {bs.get('ratio_loop_vs_default_tolerance', 0):,.0f}x (wall)")
        if "ratio_route" in bs:
            r = bs["route"]
            goal("biosteam", f"biomass_ft route ({r['units']} units, recycle, spec"
                 + (", costing, DCF" if r["costing"] else ", NO costing: " + r.get("costing_error", "")[:80])
                 + ") vs BioSTEAM methanol loop samples/s", bs["ratio_route"], 1000.0,
                 note=f"by CPU time {bs.get('ratio_route_cpu', 0):,.0f}x")
        ag = bs["agreement"]
        check("biosteam", "carbonhub vs BioSTEAM mass balance (nominal + every Monte Carlo sample)", ag["passed"],
              f"nominal {ag['nominal_max_normalised_error']:.2g}, Monte Carlo {ag['mc_max_normalised_error']:.2g} "
              f"(normalised; rtol {bs['rtol_mass']:g}, same Psat)")
    elif bs and bs.get("biosteam", {}).get("skipped"):
        check("biosteam", "carbonhub vs BioSTEAM", bs.get("passed", False), f"BioSTEAM skipped: {bs['biosteam']['skipped']}")
    elif "biosteam" in res:
        check("biosteam", "carbonhub vs BioSTEAM", False, "no results (benchmark failed)")

    rt = _data(res, "routes")
    for r in (rt or {}).get("rows", []):
        if r["config"] == "new":
            its = "; ".join(f"{k} {v['mean']:.1f}/{v['max']}" for k, v in r["iterations"].items()
                            if v.get("mean") is not None)
            goal("routes", f"{r['route']}: cases per CPU s at N={r['n']:,} ({len(r.get('parameters', []))} "
                 "parameters varied, costing, DCF)", r["cases_per_s_cpu"], float(rt.get("goal_cases_per_s", 10_000)),
                 "cases/s", note=f"{r['ok']:,}/{r['n']:,} ok; passes mean/max {its}", key=f"routes:{r['route']}",
                 load=[r["load"][0][0], r["load"][-1][0]] if r.get("load") else None)

    sc = _data(res, "scaling")
    if sc:
        sw = [r for r in sc["rows"] if r["mode"] == "sweep"]
        traced = [r for r in sc["rows"] if r.get("traced_kb_per_case")]
        if sw and traced:
            big, kb = sw[-1], traced[-1]["traced_kb_per_case"]
            chunk_mb = big["chunk_size"] * kb / 1024.0
            goals.append({"benchmark": "scaling", "what": f"memory bounded by chunking: batch RSS at N={big['n']:,} / "
                          f"one chunk's traced need ({big['chunk_size']:,} cases x {kb:.1f} kB)",
                          "value": big["batch_rss_mb"] / chunk_mb, "goal": 1.5, "unit": "(<=)",
                          "met": big["batch_rss_mb"] <= 1.5 * chunk_mb, "shortfall": None,
                          "note": f"{big['batch_rss_mb']:,.0f} MB; one batch of {big['n']:,} would need "
                                  f"~{big['n'] * kb / 2**20:,.1f} GB"})
        check("scaling", "chunked sweep vs direct batch (same cases)", sc["passed"],
              ", ".join(f"{k}: {v}" for k, v in sc["checks"].items()))
    elif "scaling" in res:
        check("scaling", "chunked sweep vs direct batch", False, "no results (benchmark failed)")

    eo = _data(res, "eo")
    if "eo" not in res:
        goals.append({"benchmark": "eo", "what": "IDAES per-point solves (warm-started) vs vectorised core",
                      "value": None, "goal": 1000.0, "unit": "x", "met": False, "shortfall": None,
                      "note": "not measured: bench_eo did not run"})
    elif isinstance(eo, dict):
        ratio = eo.get("ratio") or eo.get("speedup")
        if ratio is not None:
            goal("eo", "vectorised core (N = 10^4) vs IDAES per-point solves, by CPU", ratio, 1000.0, key="eo",
                 load=[eo[k][0] for k in ("load_start", "load_end") if eo.get(k)] or None)
        if "passed" in eo:
            check("eo", "vectorised core vs IDAES/IPOPT answers", eo["passed"], str(eo.get("tolerance", "")))

    tea = res.get("tea")
    if tea:
        check("tea", "NPV at the MSP = 0", all((r["data"] or {}).get("max_rel_npv_at_msp", 1) < 1e-9 for r in tea["runs"]),
              "max |NPV(MSP)|/CAPEX < 1e-9")
    sweep = res.get("sweep")
    if sweep:
        check("sweep", "sweep runs (in-process and Dask)", sweep["returncode"] == 0, "every measurement completed")
    for name, rec in res.items():  # any benchmark that crashed
        if rec["returncode"] not in (0,) and not any(c["benchmark"] == name for c in checks):
            check(name, "benchmark ran", False, f"exit {rec['returncode']}")
    return goals, checks


# -- profiles for goals missed that the benchmark itself did not profile ------------------------

PROFILE_EQ = r'''
import os
os.environ["OPENBLAS_NUM_THREADS"] = "1"
import cProfile, io, pstats, sys
sys.path.insert(0, "benchmarks")
from bench_equilibrium import GAS, cases
from carbonhub.thermo import equilibrate
mol, T, P = cases(GAS, 10000, 11)
equilibrate(GAS, mol[:10], T[:10], P[:10])
pr = cProfile.Profile(); pr.enable(); equilibrate(GAS, mol, T, P); pr.disable()
buf = io.StringIO(); pstats.Stats(pr, stream=buf).sort_stats("tottime").print_stats(12)
print("\n".join(l for l in buf.getvalue().splitlines() if l.strip())[:4000])
'''


PROFILE_EO = r'''
import os, warnings
os.environ["OPENBLAS_NUM_THREADS"] = "1"
warnings.filterwarnings("ignore")
import cProfile, io, pstats
import numpy as np
import carbonhub as ch
fs = ch.routes.load("co2_methanol_mto")
rng = np.random.default_rng(7)
p = {"meoh_reactor.T": rng.uniform(503, 543, 1000), "purge.fraction": rng.uniform(0.05, 0.12, 1000),
     "mto.T": rng.uniform(723.15, 763.15, 1000)}
fs.simulate(params={k: v[:10] for k, v in p.items()})
pr = cProfile.Profile(); pr.enable(); fs.simulate(params=p); pr.disable()
buf = io.StringIO(); pstats.Stats(pr, stream=buf).sort_stats("tottime").print_stats(14)
print("\n".join(l for l in buf.getvalue().splitlines() if l.strip())[:4500])
'''


def _profile(code: str, title: str, n_lines: int, timeout: float) -> str:
    """Run a cProfile snippet in a fresh process; its header and top rows under ``title``."""
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    lines = [ln for ln in r.stdout.splitlines() if "function calls" in ln or "ncalls" in ln
             or ln.lstrip()[:1].isdigit()]
    return title + "\n" + "\n".join(lines[:n_lines])


def extra_profiles(res: dict, goals: list[dict]) -> dict[str, str]:
    out = {}
    if any(g["benchmark"] == "eo" and not g["met"] and g["value"] is not None for g in goals):
        out["eo"] = _profile(PROFILE_EO, "core: co2_methanol_mto, 1,000 cases (fs.simulate with costing)", 18, 900)
    if any(g["benchmark"] == "equilibrium" and not g["met"] for g in goals):
        out["equilibrium"] = _profile(PROFILE_EQ, "syngas set, N=10,000, equilibrate", 16, 600)
    return out


# -- RESULTS.md ------------------------------------------------------------------------------

def fmt(x, nd=3) -> str:
    if x is None:
        return "-"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int):
        return f"{x:,}"
    if isinstance(x, float):
        if x != x:
            return "nan"
        a = abs(x)
        if a >= 1e9 or (0 < a < 1e-3):
            return f"{x:.{nd}g}"
        if a >= 100:
            return f"{x:,.0f}"
        return f"{x:.{nd}g}"
    return str(x)


def table(headers: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(fmt(v).replace("|", "\\|") for v in r) + " |")
    return "\n".join(lines)


def _profile_block(title: str, text: str | None) -> str:
    if not text:
        return ""
    return f"\n<details><summary>{title}</summary>\n\n```\n{text}\n```\n</details>\n"


def md_equilibrium(d) -> str:
    rows = [[r["set"], r["engine"], r["n"], r["vec_states_per_s"], r["cantera_states_per_s"], r["ratio"],
             r.get("vec_states_per_wall_s"), r.get("cantera_states_per_wall_s"), r["max_abs_dx"],
             r["median_newton_iterations"], r.get("mean_newton_iterations")] for r in d]
    return ("Vectorised Gibbs minimiser vs a Cantera `equilibrate` loop on the same states (Cantera's "
            "rate from a loop over min(N, 5,000) states; vectorised: median of 3 repeats below N = 10^5, "
            "each over >= 10,000 states of back-to-back calls). States/s and ratios by CPU time "
            "(`process_time`, one thread) on both sides; wall-clock rates beside them depend on the "
            "machine's load.\n\n"
            + table(["set", "engine", "N", "carbonhub states/s (CPU)", "Cantera states/s (CPU)", "ratio",
                     "carbonhub states/s (wall)", "Cantera states/s (wall)", "max abs dx",
                     "median Newton it.", "mean Newton it."], rows))


def md_flowsheet(d) -> str:
    rows = [[r["oxidant"], r["n"], r["seconds"], r["cases_per_s"], r["us_per_case"], r["cpu_per_wall"],
             r["peak_traced_mb"], r["traced_kb_per_case"], r["peak_rss_mb"], r["baseline_rss_mb"],
             f"{r['ok']}/{r['n']}", r["recycle_iterations_mean"]] for r in d["rows"]]
    s = ("Feedstock -> gasifier (mode T) -> WGS (h2_co) -> mixer -> FT -> purge splitter -> recycle; "
         "per-case gasifier T, FT alpha and conversion, purge fraction, feed rate, shift H2/CO "
         "(and O2 ratio, or the autothermal spec on it). One core (BLAS/OpenMP/numba threads = 1); "
         "wall time: median of 3 repeats (1 at 10^5); memory: tracemalloc peak of the simulate call "
         "and the subprocess's peak RSS (baseline = after imports and warm-up).\n\n")
    s += table(["oxidant", "N", "s", "cases/s", "us/case", "cpu/wall", "traced peak MB", "kB/case",
                "RSS peak MB", "RSS base MB", "ok", "recycle it. (mean)"], rows)
    crow = [[c["oxidant"], c["n_batch"], c["loop_cases"], c["loop_ms_per_case"], c["loop_cases_per_s"],
             c["streams_max_normalised_error"], c["units_max_normalised_error"], c["passed"]] for c in d["checks"]]
    s += "\n\nPython loop over single-case runs of the same flowsheet (each compared with its batch case: " \
         "every stream's flows, T, P and every unit's heat, power and design results, rtol 1e-9):\n\n"
    s += table(["oxidant", "batch N", "loop cases", "ms/case", "cases/s", "streams max err", "units max err",
                "equal"], crow)
    th = d.get("threads", {})
    s += (f"\n\nThreads: OPENBLAS/OMP/MKL/NUMBA_NUM_THREADS = {th.get('OPENBLAS_NUM_THREADS')}, numpy BLAS "
          f"{th.get('numpy_blas')}, numba threads {th.get('numba_num_threads')}, CPUs in affinity "
          f"{th.get('affinity_cpus')}; threadpools: {th.get('threadpools')}.\n")
    prof = next((c.get("profile") for c in d["checks"] if c.get("profile")), None)
    s += _profile_block("cProfile of the goal point (ratio, N = 10^4), top by own time", prof)
    return s


def md_tea(runs) -> str:
    ds = [r["data"] for r in runs if r.get("data")]
    if not ds:
        return "No results."
    rows = [[i + 1, d["n_cases"], d["seconds"], d["cpu_seconds"], d["cases_per_s"], d["max_rel_npv_at_msp"]]
            for i, d in enumerate(ds)]
    med = _median([d["cases_per_s"] for d in ds])
    return (f"Costing + DCF + CO2 KPIs of {ds[0]['n_cases']:,} cases x {ds[0]['n_units']} units "
            f"(synthetic design results), {len(ds)} runs; median **{med:,.0f} cases/s**.\n\n"
            + table(["run", "N", "s", "CPU s", "cases/s", "max abs NPV(MSP)/CAPEX"], rows))


def md_sweep(d) -> str:
    rows = [[r["route"], r["backend"], r["n"], r["seconds"], r["cases_per_s"], r["chunk_size"], r["ok"],
             r["startup_s"], r["peak_rss_mb"], r["worker_peak_rss_mb"], r["parquet_mb"]] for r in d]
    return ("`carbonhub.sweep.run` (LHS, Parquet output) in-process and on a local Dask cluster of "
            "2 single-threaded workers; each measurement in a fresh process.\n\n"
            + table(["route", "backend", "N", "s", "cases/s", "chunk", "ok", "startup s", "peak RSS MB",
                     "worker RSS MB", "Parquet MB"], rows))


def md_biosteam(d) -> str:
    s = ("Methanol loop (syngas -> mixer -> compressor -> preheater -> fixed-conversion reactor -> flash -> "
         "purge splitter -> recycle) built in both tools; Monte Carlo over 6 parameters (conversion, purge "
         "fraction, flash T, feed flow, pressure, reactor T), the same samples; costing and DCF (MSP) in "
         "each sample. BioSTEAM in its own venv (`bst.Model`, recycle tolerance rmol 1e-9).\n\n")
    ch = d.get("carbonhub_mc", {})
    rows = [["carbonhub", ch.get("n"), ch.get("seconds"), ch.get("samples_per_s"),
             "without costing: " + fmt(ch.get("samples_per_s_without_costing"))]]
    b = d.get("biosteam", {})
    if "mc" in b:
        rows.append([f"BioSTEAM {b.get('biosteam')}", b["mc"]["n"], b["mc"]["seconds"], b["mc"]["samples_per_s"],
                     f"import {fmt(b.get('t_import_s'))} s"])
        mdt = b.get("mc_default_tolerance") or {}
        if mdt:
            rows.append(["BioSTEAM, default tolerances", mdt.get("n"), mdt.get("seconds"), mdt.get("samples_per_s"),
                         f"methanol off by <= {fmt(mdt.get('methanol_max_rel_diff_vs_tight'))}"])
    else:
        rows.append(["BioSTEAM", "-", "-", "-", b.get("skipped", "not run")])
    rt = d.get("route")
    if rt:
        rows.append([f"carbonhub biomass_ft ({rt['units']} units)", rt["n"], rt["seconds"], rt["cases_per_s"],
                     "with costing + DCF" if rt["costing"] else "NO costing: " + rt.get("costing_error", "")[:120]])
    s += table(["tool", "samples", "s", "samples/s", "note"], rows)
    if "agreement" in d:
        ag = d["agreement"]
        s += (f"\n\n**Ratios** (wall time): same flowsheet {fmt(d.get('ratio_loop'))}x (by CPU time "
              f"{fmt(d.get('ratio_loop_cpu'))}x; vs BioSTEAM at its default tolerances "
              f"{fmt(d.get('ratio_loop_vs_default_tolerance'))}x); biomass_ft route vs the BioSTEAM loop "
              f"{fmt(d.get('ratio_route'))}x (by CPU time {fmt(d.get('ratio_route_cpu'))}x). carbonhub's recycle: "
              f"{fmt(ch.get('recycle_iterations_mean'))} tear iterations per case on average (max "
              f"{fmt(ch.get('recycle_iterations_max'))}).\n\n")
        s += (f"**Agreement** (stated tolerance: every component flow of product, purge and recycle, and every "
              f"sample's methanol/purge/recycle flows, within rtol {d['rtol_mass']:g} (+ rtol x stream total); "
              f"BioSTEAM given carbonhub's DIPPR-101 methanol Psat): nominal {fmt(ag['nominal_max_normalised_error'])}, "
              f"Monte Carlo {fmt(ag['mc_max_normalised_error'])} (normalised, <= 1 passes) -> "
              f"{'PASS' if ag['passed'] else 'FAIL'}. With BioSTEAM's own methanol Psat "
              f"({b.get('own_psat_method')}): largest relative difference {fmt(ag['own_psat_max_rel_diff'])} "
              f"({ag['own_psat_worst']}), from the vapour-pressure correlations alone.\n\n")
        erows = [[k, v["carbonhub"], v["biosteam"],
                  (v["carbonhub"] / v["biosteam"] - 1) if v["carbonhub"] is not None and v["biosteam"] else None]
                 for k, v in ag["energy_nominal"].items()]
        s += ("Energy at the nominal point (not checked: carbonhub NASA-7 ideal gas for every species, the liquid "
              "methanol included, vs thermosteam's Cp correlations and liquid enthalpies; flash duty with the "
              "latent heat):\n\n" + table(["quantity", "carbonhub", "BioSTEAM", "rel. diff"], erows))
    s += _profile_block("cProfile: carbonhub methanol loop, 10^4 samples (simulate + kpis)", d.get("profile_loop"))
    s += _profile_block("cProfile: biomass_ft with costing", d.get("profile_route"))
    return s


def md_scaling(d) -> str:
    bw = d["bandwidth"]
    rows = [[r["n"], r["mode"], r["seconds"], r["cases_per_s"], r["unit_evals_per_case"],
             r["ns_per_case_unit_eval"], r["peak_rss_mb"], r["batch_rss_mb"], r.get("peak_traced_mb"),
             r.get("chunk_size"), r["bytes_touched_per_case_lower_bound"] / 1e3, r["achieved_GB_s_lower_bound"],
             100 * r["fraction_of_copy_bandwidth"], f"{r['ok']}/{r['n']}"] for r in d["rows"]]
    s = (f"Route {d['route']} (recycle, autothermal design spec, costing + DCF), 6 parameters varied; "
         f"direct batches up to 10^4, `carbonhub.sweep` chunks above. numpy copy bandwidth of this machine "
         f"(1 core, {bw['array_mib']} MiB): **{bw['copy_GB_s']:.2f} GB/s**. Bytes touched per case are a lower "
         f"bound (unit interfaces and the allocation high-water mark of every unit call), so the achieved "
         f"bandwidth is too.\n\n")
    s += table(["N", "mode", "s", "cases/s", "unit evals/case", "ns/(case x unit eval)", "peak RSS MB",
                "batch RSS MB", "traced MB", "chunk", "kB touched/case >=", "GB/s >=", "% of copy", "ok"], rows)
    for sk in d.get("skipped", []):
        s += (f"\n\nN = {sk['n']:,} skipped: projected {sk['projected_s']:,.0f} s (at the rate of the previous size) "
              f"> {sk['left_s']:,.0f} s left of the time budget.")
    return s + "\n"


def md_eo(d) -> str:
    sys.path.insert(0, str(HERE))
    from eo_report import markdown  # the eo section's tables and arithmetic (benchmarks/eo_report.py)

    return markdown(d, table)


def md_routes(d) -> str:
    rows = []
    for r in d["rows"]:
        its = "; ".join(f"{k} {v['mean']:.1f}/{v['max']}" for k, v in r["iterations"].items()
                        if v.get("mean") is not None) or "-"
        rows.append([r["route"], r["config"], r["purge"] if r["purge"] is not None else "-", r["n"],
                     len(r.get("parameters", [])),
                     r["cpu_s"], r["cases_per_s_cpu"], r["cases_per_s"], r["ok"], its,
                     r["load"][0][0]])
    checks = [[c["route"], c["pair"], c["both_ok"], c["max_rel_msp_diff"], c["passed"]]
              for c in d.get("checks", [])]
    return ("Every route at N = 10,000 with costing and DCF, its parameters varied +-10 % around the "
            "defaults (`bench_routes.py`): `new` = Anderson tears and compiled kernels at the route's "
            "purge, `old` = Wegstein and numpy K-values at the old purges, `new_at_old_purge` = the new "
            "solver at the old purges (like for like). Cases per CPU second (one core, threads pinned "
            f"to 1) beside the wall-clock rate; goal {fmt(d.get('goal_cases_per_s', 10000))} cases/s.\n\n"
            + table(["route", "config", "purge", "N", "parameters varied", "CPU s", "cases/s (CPU)", "cases/s (wall)", "ok",
                     "tear passes mean/max", "load (1 min)"], rows)
            + "\n\nOld vs new solver on the cases both converge (MSP, relative):\n\n"
            + table(["route", "pair", "both ok", "max rel. MSP diff", "agree (<= 1e-6)"], checks))


MD: dict[str, Callable] = {"equilibrium": md_equilibrium, "flowsheet": md_flowsheet, "sweep": md_sweep,
                           "biosteam": md_biosteam, "scaling": md_scaling, "eo": md_eo,
                           "routes": md_routes}


NOTES = HERE / "NOTES.md"  # written by hand; copied verbatim into RESULTS.md after the Versions line
HISTORY = ("HISTORY.md", "solver_issue14.md", "gasification_speed_issue14.md")  # linked, never copied
MANUAL_RUNS = ("sweep_1e6_biomass_ft.md",)  # runs recorded by hand (too long for make bench): copied

_SOLVER, _GAS, _HIST = "[solver_issue14.md](solver_issue14.md)", \
    "[gasification_speed_issue14.md](gasification_speed_issue14.md)", "[HISTORY.md](HISTORY.md)"
# Issue 14's goals in the status table: goal key -> (what, where the profile / arithmetic of what remains is).
# Point "where" at the newest section that profiles the goal when a session adds one.
STATUS: dict[str, tuple[str, str]] = {
    "routes:plastics_pyrolysis": ("plastics_pyrolysis, N = 10^4", f"{_SOLVER}: Ninth session (narrowspec), "
                                  "'What remains'; Ninth session (plastics10k)"),
    "routes:co2_methanol_mto": ("co2_methanol_mto, N = 10^4", f"{_SOLVER}: Ninth session (co2speed), the "
                                "arithmetic for 10,000 cases/s"),
    "routes:biomass_methanol": ("biomass_methanol, N = 10^4", f"{_GAS}: Ninth session (unitkern), 'What "
                                f"remains'; passes: {_SOLVER}: Ninth session (loopguess)"),
    "routes:waste_methanol_mto": ("waste_methanol_mto, N = 10^4", f"{_SOLVER}: Ninth session (loopguess), "
                                  "'What remains' (passes)"),
    "routes:biomass_ft": ("biomass_ft, N = 10^4", f"{_GAS}: Ninth session (unitkern), 'What remains "
                          f"(arithmetic)'; passes: {_SOLVER}: Ninth session (loopguess)"),
    "biosteam:loop": ("same methanol loop vs BioSTEAM", f"{_HIST}: BioSTEAM, ninth session (arithmetic); "
                      "cProfile in [biosteam](#biosteam) below"),
    "eo": ("IDAES per point vs the core (min over routes)", "met; CPU split of a warm solve in [eo](#eo) below"),
    "equilibrium:syngas": ("gas-only equilibrium vs Cantera's loop", f"{_HIST}: gas-only equilibrium, ninth "
                           f"session ('What remains'); {_SOLVER}: 'Where the 30x goal is missed'"),
}


def _load(x) -> str:
    """A run's 1-minute load: one value, 'start -> end', or what the notes recorded (a string)."""
    if isinstance(x, str):
        return x
    vals = [v[0] if isinstance(v, list) else v for v in (x or [])]
    return " -> ".join(f"{v:.1f}" for v in vals) if vals else "not recorded"


def status_md(res: dict, goals: list[dict]) -> str:
    """The issue-14 status table: each goal's latest figure, met or missed by how much, and its run."""
    by_key = {g.get("key"): g for g in goals}
    rows = []
    for key, (what, where) in STATUS.items():
        g, rec = by_key.get(key), res.get(key.split(":")[0], {})
        if g is None or g["value"] is None:
            rows.append([what, "not measured", "-", "-", rec.get("date", "-"), "-", "-", where])
            continue
        unit = "cases/s" if g["unit"] == "cases/s" else "x"
        verdict = "met" if g["met"] else f"missed by {g['shortfall']:.2f}x"
        rows.append([what, f"{fmt(g['value'])} {unit}", f">= {fmt(g['goal'])} {unit}", verdict,
                     rec.get("date", "-"), _load(g.get("load") or rec.get("load_1min")),
                     rec.get("commit", "not recorded"), where])
    return ("## Issue 14 status\n\nThe latest run of each goal in `results.json`, by CPU time on one core "
            "(run date UTC, 1-minute load at its start -> end, commit of the code it ran). Figures measured "
            "outside `run_all.py` since are in the notes below; what each session measured is in "
            f"{_HIST}.\n\n" + table(["goal", "latest", "target", "status", "run", "load", "commit",
                                       "profile / arithmetic of what remains"], rows) + "\n")


def write_md(path: Path, summary: dict, res: dict, goals, checks, profiles, notes: Path | None = NOTES) -> None:
    """RESULTS.md: status, machine and versions, the notes file verbatim, then every benchmark's tables."""
    m, v = summary["machine"], summary["versions"]
    out = [f"# carbonhub benchmarks{' (smoke)' if summary['smoke'] else ''}", "",
           f"Generated by `benchmarks/run_all.py{' --smoke' if summary['smoke'] else ''}` (`make bench`) on "
           f"{summary['date']} in {summary['total_seconds'] / 60:.1f} min; git {summary['git']['commit']} "
           f"({summary['git']['dirty_files']} files modified in the work tree). Timings are of this machine "
           "on this day; benchmarks are never asserted in CI. Do not edit this file by hand: notes go in "
           "[NOTES.md](NOTES.md), history in [HISTORY.md](HISTORY.md).", "", status_md(res, goals),
           *([f"Benchmarks were run at different times (`run_all.py --only` re-runs some and keeps the others): "
              + ", ".join(f"{n} {r.get('date', 'earlier')}" for n, r in res.items()) + ". The machine line below "
              "is of the latest run.", ""] if len({r.get("date") for r in res.values()}) > 1 else []),
           f"**Machine**: {m.get('cpu_model')}, {m.get('cores_available')} cores available "
           f"({m.get('cores_logical')} logical, {m.get('cores_physical')} physical), {m.get('memory_gb')} GB RAM, "
           f"{m.get('platform')}. **Load average** (1/5/15 min) at start {summary['load_start']}, at end "
           f"{summary['load_end']}, highest 1-min value seen between benchmarks {summary['load_max']:.2f}: "
           + ("the machine was shared with other jobs, so rates are lower and noisier than on an idle machine."
              if summary["load_max"] > 1.2 else "the machine was close to idle."), "",
           "**Versions**: " + ", ".join(f"{k} {val}" for k, val in v.items() if val) + ".", ""]
    if notes is not None and notes.exists() and not summary["smoke"]:
        out += [f"<!-- {notes.name} (verbatim): edit it there; run_all.py rewrites this file -->",
                notes.read_text().strip(), ""]
    out += ["## Goals", "", table(["benchmark", "goal", "measured", "target", "met", "missed by", "note"],
                                  [[g["benchmark"], g["what"], g["value"], f"{'<= ' if '<=' in g['unit'] else '>= '}{fmt(g['goal'])} {g['unit'].replace('(<=)', '').strip()}".strip(),
                                    g["met"], f"{g['shortfall']:.1f}x" if g["shortfall"] else "-", g["note"]]
                                   for g in goals]), ""]
    out += ["## Side-by-side agreement", "", table(["benchmark", "pair", "agree", "detail"],
                                                  [[c["benchmark"], c["pair"], c["passed"], c["detail"]] for c in checks]), ""]
    for name, rec in res.items():
        when = f" (run {rec['date']})" if rec.get("date") else ""
        out += [f"## {name}", "", f"`{' '.join([rec['script'], *rec['args']])}`: {rec['seconds']:.0f} s, exit "
                f"{rec['returncode']}{when}.", ""]
        d = _data(res, name)
        try:
            if name == "tea":
                out.append(md_tea(rec["runs"]))
            elif d is not None and name in MD:
                out.append(MD[name](d))
            elif d is not None:
                out.append("```\n" + json.dumps(d, indent=1)[:4000] + "\n```")
            else:
                tail = rec["runs"][-1]["stderr_tail"] or rec["runs"][-1]["stdout_tail"] if rec["runs"] else ""
                out.append(f"No results. Last output:\n\n```\n{tail[-2500:]}\n```")
        except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
            out.append(f"(could not format: {type(exc).__name__}: {exc})\n\n```\n{json.dumps(d)[:3000]}\n```")
        if name in profiles:
            out.append(_profile_block(f"cProfile ({name}), top by own time", profiles[name]))
        out.append("")
    if not summary["smoke"]:
        for name in MANUAL_RUNS:
            if (HERE / name).exists():
                out += ["", (HERE / name).read_text().strip()]
        out += ["", "## Session notes and history", "",
                "Written by hand, linked rather than copied: "
                + "; ".join(f"[{n}]({n}) ({(HERE / n).read_text().split(chr(10), 1)[0].lstrip('# ')})"
                            for n in HISTORY if (HERE / n).exists()) + "."]
    path.write_text("\n".join(out).rstrip() + "\n")


def report(full: dict, md_path: Path, notes: Path | None = NOTES) -> tuple[list[dict], list[dict]]:
    """Goals and checks of a stored ``results.json`` (updated in ``full``) and RESULTS.md from it."""
    res = full["benchmarks"]
    goals, checks = goals_and_checks(res)
    full.update(goals=goals, checks=checks)
    summary = {k: full[k] for k in ("date", "smoke", "machine", "versions", "git", "load_start", "load_end",
                                    "load_max", "total_seconds")}
    write_md(md_path, summary, res, goals, checks, full.get("profiles", {}), notes)
    return goals, checks


def ratio_table(goals) -> str:
    w = max(len(g["what"]) for g in goals) if goals else 10
    lines = [f"{'benchmark':12s} {'goal':{w}s} {'measured':>12s} {'target':>10s}  status"]
    for g in goals:
        val = "-" if g["value"] is None else (f"{g['value']:,.1f}" if g["value"] < 1e4 else f"{g['value']:,.0f}")
        st = "met" if g["met"] else (f"MISSED by {g['shortfall']:.1f}x" if g["shortfall"] else
                                     "not measured" if g["value"] is None else "MISSED")
        lines.append(f"{g['benchmark']:12s} {g['what']:{w}s} {val:>12s} {fmt(g['goal']):>10s}  {st}")
    return "\n".join(lines)


def seconds(text: str) -> float:
    """A time limit from the command line: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"time limit {text!r} s: expected a positive, finite number of seconds")
    return value


def name_seconds(text: str) -> tuple[str, float]:
    """``NAME=SECONDS`` for ``--timeout``: a benchmark name and its time limit."""
    name, eq, limit = text.partition("=")
    if not eq or not name.strip():
        raise argparse.ArgumentTypeError(f"--timeout {text!r}: expected NAME=SECONDS, e.g. eo=5400")
    return name.strip(), seconds(limit)


def timeouts(a: argparse.Namespace) -> dict[str, float]:
    """Per-benchmark time limits [s] given on the command line (``--timeout``, ``--timeout-eo``)."""
    out = dict(a.timeout or [])
    unknown = sorted(set(out) - set(PLAN) - set(bench_names()))
    if unknown:
        raise SystemExit(f"--timeout {unknown[0]}: no benchmark of that name; expected one of "
                         + ", ".join(sorted(set(PLAN) | set(bench_names()))))
    if a.timeout_eo is not None:
        out["eo"] = a.timeout_eo
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="every benchmark tiny (no BioSTEAM install)")
    ap.add_argument("--only", default=None, help="comma-separated benchmark names; with a full run, the others "
                    "are kept from the existing results.json (each benchmark's section gives its own date)")
    ap.add_argument("--json", default=None, help="results JSON (default benchmarks/results.json; smoke: a temp dir)")
    ap.add_argument("--md", default=None, help="RESULTS.md path (default benchmarks/RESULTS.md; smoke: a temp dir)")
    ap.add_argument("--budget-s", type=float, default=BUDGET_S)
    ap.add_argument("--timeout", type=name_seconds, action="append", metavar="NAME=SECONDS",
                    help="time limit of one benchmark's run, e.g. --timeout biosteam=3600 (repeatable; "
                    "defaults in PLAN: eo and biosteam 2,400 s, scaling 3,600 s, others 600-1,800 s)")
    ap.add_argument("--timeout-eo", type=seconds, default=None, metavar="SECONDS",
                    help=f"time limit of bench_eo [s] (default {PLAN['eo'][3]:,.0f}; at a 1-minute load of "
                    "9-11 that covered four of its five routes)")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite RESULTS.md (and the goals) from an existing results.json, running nothing")
    a = ap.parse_args(argv)
    limits = timeouts(a)
    if a.report_only:
        json_path = Path(a.json) if a.json else HERE / "results.json"
        md_path = Path(a.md) if a.md else HERE / "RESULTS.md"
        full = json.loads(json_path.read_text())
        goals, checks = report(full, md_path)
        json_path.write_text(json.dumps(full, indent=1, default=str))
        print(ratio_table(goals))
        print(f"rewrote {md_path} from {json_path}")
        return 1 if any(not c["passed"] for c in checks) else 0
    tmp = Path(tempfile.mkdtemp(prefix="carbonhub_bench_"))
    json_path = Path(a.json) if a.json else (tmp / "results.json" if a.smoke else HERE / "results.json")
    md_path = Path(a.md) if a.md else (tmp / "RESULTS.md" if a.smoke else HERE / "RESULTS.md")
    names = bench_names()
    if a.only:
        want = [x.strip() for x in a.only.split(",")]
        names = [n for n in names if n in want]
    t0 = time.perf_counter()
    load_start = loadavg()
    load_max = load_start[0] if load_start else 0.0
    date = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"carbonhub benchmarks ({'smoke' if a.smoke else 'full'}): {', '.join(names)}; logs in {tmp}", flush=True)
    res: dict[str, Any] = {}
    if a.only and not a.smoke and json_path.exists():  # re-run some, keep the others' last results
        res.update(json.loads(json_path.read_text()).get("benchmarks", {}))
    for name in names:
        left = a.budget_s - (time.perf_counter() - t0)
        before, code = loadavg(), git_state()
        res[name] = run_bench(name, a.smoke, left, tmp, limits.get(name))
        la = loadavg()
        res[name].update(date=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                         load_1min=[x[0] for x in (before, la) if x], commit=code["commit"],
                         dirty_files=code["dirty_files"])
        if la:
            load_max = max(load_max, la[0])
    goals, checks = goals_and_checks(res)
    profiles = {} if a.smoke else extra_profiles(res, goals)
    summary = {"date": date, "smoke": a.smoke, "machine": machine(), "versions": versions(), "git": git_state(),
               "load_start": load_start, "load_end": loadavg(), "load_max": load_max,
               "total_seconds": time.perf_counter() - t0}
    full = {**summary, "goals": goals, "checks": checks, "profiles": profiles, "benchmarks": res}
    json_path.write_text(json.dumps(full, indent=1, default=str))
    write_md(md_path, summary, res, goals, checks, profiles)
    print()
    print(ratio_table(goals))
    print()
    bad = [c for c in checks if not c["passed"]]
    for c in checks:
        print(f"{'agree' if c['passed'] else 'DISAGREE'}  {c['benchmark']:12s} {c['pair']}: {c['detail']}")
    print(f"\nwrote {json_path} and {md_path} in {summary['total_seconds'] / 60:.1f} min")
    if bad:
        print(f"FAILED: {len(bad)} side-by-side check(s) disagree or did not run", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
