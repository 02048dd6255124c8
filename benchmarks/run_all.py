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
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from results_md import NOTES, fmt, run_data, write_md  # noqa: E402  (RESULTS.md's text: results_md.py)

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

def goals_and_checks(res: dict) -> tuple[list[dict], list[dict]]:
    goals: list[dict] = []
    checks: list[dict] = []

    def goal(bench, what, value, target, unit="x", note="", key=None, load=None, n=None):
        met = value is not None and value >= target
        goals.append({"benchmark": bench, "what": what, "value": value, "goal": target, "unit": unit,
                      "met": met, "shortfall": (target / value) if value and not met else None,
                      "note": note, "key": key, "load": load, "n": n})

    def check(bench, what, passed, detail):
        checks.append({"benchmark": bench, "pair": what, "passed": bool(passed), "detail": detail})

    eq = run_data(res, "equilibrium")
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

    fl = run_data(res, "flowsheet")
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

    bs = run_data(res, "biosteam")
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

    rt = run_data(res, "routes")
    for r in (rt or {}).get("rows", []):
        if r["config"] == "new":
            its = "; ".join(f"{k} {v['mean']:.1f}/{v['max']}" for k, v in r["iterations"].items()
                            if v.get("mean") is not None)
            goal("routes", f"{r['route']}: cases per CPU s at N={r['n']:,} ({len(r.get('parameters', []))} "
                 "parameters varied, costing, DCF)", r["cases_per_s_cpu"], float(rt.get("goal_cases_per_s", 10_000)),
                 "cases/s", note=f"{r['ok']:,}/{r['n']:,} ok; passes mean/max {its}", key=f"routes:{r['route']}",
                 load=[r["load"][0][0], r["load"][-1][0]] if r.get("load") else None, n=r["n"])

    sc = run_data(res, "scaling")
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

    eo = run_data(res, "eo")
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
        before, code, prev = loadavg(), git_state(), res.get(name)
        res[name] = run_bench(name, a.smoke, left, tmp, limits.get(name))
        la = loadavg()
        res[name].update(date=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                         load_1min=[x[0] for x in (before, la) if x], commit=code["commit"],
                         dirty_files=code["dirty_files"])
        if run_data(res, name) is None and prev is not None and run_data({name: prev}, name) is not None:
            prev.pop("previous", None)
            res[name]["previous"] = prev  # a run that gave no answers (e.g. stopped by its limit) keeps the last
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
