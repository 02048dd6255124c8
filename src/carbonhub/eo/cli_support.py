"""``carbonhub optimize``: parse the arguments, run :func:`carbonhub.eo.optimize`, print a
summary table (IPOPT's log only with ``--verbose``) and write ``--json``."""
from __future__ import annotations

import json
from pathlib import Path

from .optimize import OptimizationError


def parse_vary(items) -> dict[str, tuple[float, float]]:
    out = {}
    for item in items or []:
        if "=" not in item or ":" not in item.split("=", 1)[1]:
            raise OptimizationError(f"--vary {item!r}: expected NAME=LO:HI (e.g. gasifier.T=1100:1300)")
        name, rng = item.split("=", 1)
        lo, hi = rng.split(":", 1)
        try:
            out[name.strip()] = (float(lo), float(hi))
        except ValueError:
            raise OptimizationError(f"--vary {item!r}: LO and HI must be numbers in the parameter's unit") from None
    return out


def optimize_from_cli(fs, a) -> int:
    from ..cli import parse_sets
    from .optimize import optimize

    vary = parse_vary(a.vary)
    params = parse_sets(a.set)
    r = optimize(fs, a.objective, vary, params=params, tee=a.verbose, method=getattr(a, "method", "reduced"))
    table = r.table()
    print(f"carbonhub optimize {getattr(fs, 'name', '')}: objective {a.objective}, IPOPT {r.termination}, "
          f"{r.outer_iterations} trust-region step(s){'' if r.converged else ' (not converged)'}, {r.solve_s:.1f} s")
    print(table.to_string(float_format=lambda v: f"{v:.6g}"))
    if a.json:
        payload = {"route": fs.name, "objective": a.objective, "termination": r.termination,
                   "x": r.x, "x0": r.x0, "kpis": r.kpis, "kpis0": r.kpis0, "core_kpis": r.core_kpis}
        path = Path(a.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(payload, indent=1, allow_nan=False))
        tmp.replace(path)
        print(f"wrote {path}")
    return 0
