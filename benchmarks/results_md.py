"""RESULTS.md from the benchmarks' results (used by ``run_all.py``; ``eo_report.py`` writes the eo section).

Order of the file: the issue-14 status table (``STATUS``: each goal's latest figure and its run),
machine and versions, ``NOTES.md`` verbatim (notes written by hand survive every re-generation),
goals, agreement checks, one section per benchmark, runs recorded by hand (``MANUAL_RUNS``), and
links to the session history (``HISTORY``: linked, never copied).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent


def run_data(res: dict, name: str, k: int = 0):
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


# -- tables and sections ------------------------------------------------------------------------------

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
    "routes:plastics_pyrolysis": ("plastics_pyrolysis", f"{_SOLVER}: Fourteenth session (mem14), 'What "
                                  "is left, and why'"),
    "routes:co2_methanol_mto": ("co2_methanol_mto", f"{_SOLVER}: Fourteenth session (kpi14), 'What "
                                "remains'"),
    "routes:biomass_methanol": ("biomass_methanol", f"{_GAS}: Fourteenth session (ftkern2), 'What "
                                f"remains (arithmetic)'; passes: {_SOLVER}: Thirteenth session (solver13), "
                                "'What is left, and why'"),
    "routes:waste_methanol_mto": ("waste_methanol_mto", f"{_SOLVER}: Fourteenth session (solver14), "
                                  "'What is left' (refresh cost, passes)"),
    "routes:biomass_ft": ("biomass_ft", f"{_GAS}: Fourteenth session (ftkern2), 'What remains "
                          f"(arithmetic)'; passes: {_SOLVER}: Thirteenth session (solver13)"),
    "biosteam:loop": ("same methanol loop vs BioSTEAM", f"{_SOLVER}: Fourteenth session (solver14), 'What "
                      "is left' and Thirteenth session (solver13), 'What is left, and why' (glue, units, KPIs per "
                      "sample); cProfile in [biosteam](#biosteam) below"),
    "eo": ("IDAES per point vs the core (min over routes)", "met; CPU split of a warm solve in [eo](#eo) below"),
    "equilibrium:syngas": ("gas-only equilibrium vs Cantera's loop", f"{_HIST}: gas-only equilibrium, ninth "
                           f"session; {_SOLVER}: Tenth session (eq30), 'Where the time is now', "
                           "'What remains for 30x'"),
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
        what += f", N = {g['n']:,}" if g and g.get("n") else ""
        if g is None or g["value"] is None:
            failed = f"run failed (exit {rec['returncode']})" if rec.get("returncode") else "-"
            if rec.get("previous"):
                failed += f"; the run of {rec['previous'].get('date', 'before')} is kept in results.json (`previous`)"
            rows.append([what, "not measured", "-", failed, rec.get("date", "-"),
                         _load(rec.get("load_1min")) if rec else "-", rec.get("commit", "-"), where])
            continue
        unit = " cases/s" if g["unit"] == "cases/s" else "x"
        value = f"{g['value']:.1f}" if g["value"] < 100 else fmt(g["value"])
        verdict = "met" if g["met"] else f"missed by {g['shortfall']:.{3 if g['shortfall'] < 1.01 else 2}f}x"
        rows.append([what, f"{value}{unit}", f">= {fmt(g['goal'])}{unit}", verdict,
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
        d = run_data(res, name)
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
