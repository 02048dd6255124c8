"""Per-unit CPU profile of a route at batch N: each unit's ``run`` timed by CPU time
(``time.process_time``) over one ``simulate`` + KPIs (MSP) of the routes benchmark's cases
(``bench_routes.sample``, seed 1), with the load average before and after.

Printed per unit: CPU seconds, share of the whole call, case-passes per case (how many times
a case went through the unit: the passes of the loops and specs around it) and microseconds
per case-pass. What is not in a unit's ``run`` (the solver's bookkeeping, stream copies between
units, costing, KPIs) is the rest of the total.

Usage::

    python benchmarks/profile_units.py biomass_ft                 # N = 10,000, top 25 units
    python benchmarks/profile_units.py waste_methanol_mto --n 2000 --top 40
"""
from __future__ import annotations

import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS",
           "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_v] = "1"  # one core: before numpy (and numba) are imported

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_routes import loadavg, sample  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("route")
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args(argv)
    import carbonhub as ch

    fs = ch.routes.load(a.route)
    _ = fs.simulate(params={k: v[:8] for k, v in sample(fs, 8, 0, None).items()}).kpis  # warm-up
    params = sample(fs, a.n, 1, None)
    stats: dict[str, list] = {}
    for uid, unit in fs.units.items():
        def timed(ins, p, run=unit.run, uid=uid, kind=type(unit).__name__):
            c = time.process_time()
            r = run(ins, p)
            s = stats.setdefault(uid, [0.0, 0, kind])
            s[0] += time.process_time() - c
            s[1] += len(p.idx)
            return r
        unit.run = timed
    load0 = loadavg()
    c0 = time.process_time()
    res = fs.simulate(params=params)
    _ = res.kpis["msp_eur_per_t"]
    total = time.process_time() - c0
    in_units = sum(s[0] for s in stats.values())
    print(f"{a.route} N = {a.n}: {total:.2f} s CPU, {a.n / total:,.0f} cases/s by CPU, units "
          f"{100 * in_units / total:.1f} %, ok {int(res.ok.sum())}, load {load0[0]:.1f} -> {loadavg()[0]:.1f}")
    for uid, (t, case_passes, kind) in sorted(stats.items(), key=lambda x: -x[1][0])[:a.top]:
        print(f"  {uid:28s} {kind:24s} {t:7.3f} s {100 * t / total:5.1f} %  passes/case "
              f"{case_passes / a.n:5.2f}  us/case-pass {1e6 * t / max(case_passes, 1):6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
