"""``carbonhub optimize ROUTE``: optimise a route with the IDAES/IPOPT twin
(:func:`carbonhub.eo.optimize`), print a summary table (IPOPT's log only with ``--verbose``) and
write ``--json``."""
from __future__ import annotations

import argparse
import json

from ._common import (UserError, add_build_argument, check_output, parse_build, parse_sets, resolve_defaults,
                      write_output)

HELP = "optimise a route with the IDAES/IPOPT twin"


def add_arguments(s: argparse.ArgumentParser) -> None:
    s.add_argument("route")
    s.add_argument("--objective", default="msp", choices=["msp", "npv", "co2"])
    s.add_argument("--vary", action="append", default=[], metavar="NAME=LO:HI")
    s.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="parameter value, e.g. gasifier.T=1200; NAME=default: the parameter at its default")
    add_build_argument(s)
    s.add_argument("--json", metavar="OUT.json")
    s.add_argument("--method", default="reduced", choices=["reduced", "full"],
                   help="reduced: SLSQP over the decision variables on square twin solves (default); "
                        "full: one IPOPT solve of the whole model")
    s.add_argument("--verbose", action="store_true", help="show IPOPT's log")


def parse_vary(items) -> dict[str, tuple[float, float]]:
    """``NAME=LO:HI`` items -> {name: (lo, hi)}; a name given twice is an error."""
    out: dict[str, tuple[float, float]] = {}
    for item in items or []:
        if "=" not in item or ":" not in item.split("=", 1)[1]:
            raise UserError(f"--vary {item!r}: expected NAME=LO:HI (e.g. gasifier.T=1100:1300)")
        name, rng = item.split("=", 1)
        lo, hi = rng.split(":", 1)
        name = name.strip()
        if name in out:
            raise UserError(f"--vary {name} given twice; give it once")
        try:
            out[name] = (float(lo), float(hi))
        except ValueError:
            raise UserError(f"--vary {item!r}: LO and HI must be numbers in the parameter's unit") from None
    return out


def run(a: argparse.Namespace) -> int:
    from .. import routes
    from ..eo.optimize import optimize

    build = parse_build(a.build, a.route)
    check_output(a.json, "--json")
    vary = parse_vary(a.vary)
    if not vary:
        raise UserError("give at least one decision variable: --vary NAME=LO:HI (e.g. gasifier.T=1100:1300)")
    fs = routes.load(a.route, **build)
    params = resolve_defaults(fs, parse_sets(a.set))
    r = optimize(fs, a.objective, vary, params=params, tee=a.verbose, method=a.method)
    table = r.table()
    print(f"carbonhub optimize {getattr(fs, 'name', '')}: objective {a.objective}, IPOPT {r.termination}, "
          f"{r.outer_iterations} trust-region step(s){'' if r.converged else ' (not converged)'}, {r.solve_s:.1f} s")
    print(table.to_string(float_format=lambda v: f"{v:.6g}"))
    if a.json:
        build_params = (fs.route_spec or {}).get("build_params", {})
        payload = {"route": fs.name, "build_params": build_params, "objective": a.objective,
                   "termination": r.termination,
                   "x": r.x, "x0": r.x0, "kpis": r.kpis, "kpis0": r.kpis0, "core_kpis": r.core_kpis}
        write_output(a.json, json.dumps(payload, indent=1, allow_nan=False))
        print(f"wrote {a.json}")
    return 0
