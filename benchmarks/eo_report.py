"""The ``eo`` section of RESULTS.md from ``bench_eo.py``'s JSON (used by ``run_all.py``).

Two tables: per route, the twin at the defaults, the MSP optimisation and IDAES per point
against the core (cases per CPU second, the core at N = 10^4); then where one warm per-point
solve spends its CPU, with the CPU per point that the 1,000x goal allows, and a sentence of
arithmetic for each route that misses it.
"""
from __future__ import annotations

from typing import Any, Callable

GOAL = 1000.0


def _last(p: dict) -> dict:
    return (p.get("core") or [{}])[-1]


def _ratio(r: dict) -> float | None:
    return _last(r.get("per_point") or {}).get("ratio_cpu_vs_idaes_warm")


def markdown(d: dict[str, Any], table: Callable[[list[str], list[list[Any]]], str]) -> str:
    """The section body; ``table`` formats a Markdown table (``results_md.table``)."""
    routes = d.get("routes", [])
    sizes = d.get("core_sizes") or []
    n_core = f"{max(sizes):,}" if sizes else "?"
    s = ("Each route's IDAES twin built from the core and solved by IPOPT at the defaults; a three-variable MSP "
         "optimisation (`ch.eo.optimize`, reduced-space trust-region steps) checked in the core and against a "
         "27-point core grid; then the same random cases solved by IDAES one by one (one model, parameters "
         "changed, warm-started from the previous point, the spec regimes taken from the core as "
         "`ch.eo.solve` does) against the vectorised core. Both sides by CPU time on one core (IPOPT's child "
         f"process included), the core at N = {n_core} as in the routes benchmark; wall-clock ratio beside it.\n\n")
    rows = []
    for r in routes:
        df, o, p = r.get("defaults", {}), r.get("optimisation", {}), r.get("per_point", {})
        core = _last(p)
        rows.append([r.get("route"), df.get("variables"), df.get("build_s"), df.get("solve_s"), df.get("termination"),
                     o.get("seconds"), o.get("outer_iterations"), o.get("msp_before"), o.get("msp_after"),
                     o.get("msp_core_at_optimum"), o.get("grid_best_msp"), p.get("idaes_cases_per_cpu_s"),
                     core.get("cases_per_cpu_s"), core.get("ratio_cpu_vs_idaes_warm"),
                     core.get("ratio_vs_idaes_warm"), r.get("passed") if "error" not in r else r["error"]])
    s += table(["route", "variables", "build [s]", "solve [s]", "IPOPT", "optimise [s]", "outer its", "MSP start",
                "MSP optimum", "core at optimum", "best of grid", "IDAES warm [cases/CPU s]",
                f"core N={n_core} [cases/CPU s]", "core / IDAES (CPU)", "(wall)", "checks"], rows)
    prof = []
    for r in routes:
        pr = (r.get("per_point") or {}).get("profile") or {}
        if pr:
            prof.append([r["route"], pr.get("ipopt_variables"), pr.get("ipopt_equalities"),
                         f"{pr.get('iterations', 0):.0f}/{pr.get('iterations_max', 0):.0f}", pr.get("regime_changes"),
                         pr.get("cpu_s"), pr.get("regime_cpu_s"), pr.get("pyomo_cpu_s"), pr.get("nlp_eval_cpu_s"),
                         pr.get("ipopt_cpu_s"), pr.get("ipopt_other_cpu_s"),
                         1e3 * pr.get("cpu_per_iteration_s", float("nan")),
                         1e6 / (GOAL * (r.get("per_point") or {}).get("idaes_cases_per_cpu_s", float("nan"))),
                         1e6 / _last(r.get("per_point") or {}).get("cases_per_cpu_s", float("nan"))])
    if prof:
        s += ("\n\nWhere a warm per-point solve spends its CPU (medians over the cases, CPU seconds): the core call "
              "that picks the regimes (`eo.model.follow_core_regimes`, routes with a make-up spec or a unit branch), "
              "Pyomo in this process (the `.nl` write, loading the solution), and the IPOPT process: its function "
              "evaluations, the rest of IPOPT (MUMPS factorisations and the step), its start-up and I/O; IPOPT's "
              "problem size and CPU per iteration; and the core's CPU per case that 1,000x needs (the mean IDAES CPU "
              "per point / 1,000) beside what the core used at N = 10^4.\n\n")
        s += table(["route", "IPOPT variables", "equalities", "iterations median/max", "regime changes",
                    "CPU per solve", "regime core call", "Pyomo (.nl, solution)", "function evals",
                    "linear algebra + step", "IPOPT start-up, I/O", "ms per iteration",
                    "1,000x needs core <= [us/case]", "core used [us/case]"], prof)
    low = [r for r in routes if (_ratio(r) or 1e18) < GOAL]
    if low:
        parts = []
        for r in low:
            pr, core = r["per_point"].get("profile") or {}, _last(r["per_point"])
            parts.append(
                f"{r['route']} ({_ratio(r):,.0f}x: {pr.get('cpu_s', float('nan')):.2f} s CPU per warm solve "
                f"(median), {pr.get('iterations', float('nan')):.0f} IPOPT iterations of {pr.get('ipopt_variables')} "
                f"variables at {1e3 * pr.get('cpu_per_iteration_s', float('nan')):.0f} ms; 1,000x needs the core at "
                f"<= {1e6 / (GOAL * r['per_point'].get('idaes_cases_per_cpu_s', float('nan'))):,.0f} us CPU per case, "
                f"it used {1e6 / core.get('cases_per_cpu_s', float('nan')):,.0f})")
        s += "\n\nWhere the 1,000x goal is missed: " + "; ".join(parts) + "."
    return s
