"""``carbonhub run ROUTE``: build the route (``--build NAME=VALUE``: its build options, e.g.
``zld=true``), simulate it (list-valued ``--set`` gives many cases), print the KPI table, then
write ``--json``/``--report``/``--xlsx`` atomically (options and paths checked before building)."""
from __future__ import annotations

import argparse
import json

from ._common import (UserError, add_build_argument, check_output, parse_build, parse_sets, resolve_defaults,
                      write_output)

HELP = "simulate a route (list-valued --set gives many cases)"


def add_arguments(s: argparse.ArgumentParser) -> None:
    s.add_argument("route")
    s.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="parameter value, e.g. gasifier.T=1200 or gasifier.T=1100,1200,1300; "
                        "NAME=default: the parameter at its default (the route's)")
    add_build_argument(s)
    s.add_argument("--json", metavar="OUT.json", help="results JSON (KPIs, balances, units, streams, "
                   "the build options)")
    s.add_argument("--report", metavar="OUT.html")
    s.add_argument("--xlsx", metavar="OUT.xlsx",
                   help="Excel workbook of the TEA of the first case that solved: capital, operating "
                        "costs and a cash-flow sheet with live formulas (MSP as the code's)")


def outputs(a: argparse.Namespace) -> dict[str, str]:
    """Option -> path of every output asked for (a verb extension adds its own, e.g. ``--xlsx``)."""
    found = {opt: getattr(a, opt.lstrip("-").replace("-", "_"), None) for opt in ("--json", "--report", "--xlsx")}
    return {opt: path for opt, path in found.items() if path is not None}


def run(a: argparse.Namespace) -> int:
    from .. import routes
    from ..report.tables import kpi_summary

    build = parse_build(a.build, a.route)
    outs = outputs(a)
    for opt, path in outs.items():
        check_output(path, opt)
    fs = routes.load(a.route, **build)
    params = resolve_defaults(fs, parse_sets(a.set))
    res = fs.simulate(params=params)
    print(kpi_summary(res))
    bad = (res.status != "ok").sum()
    if bad:
        reasons = "; ".join(sorted(set(res.status[res.status != "ok"])))
        print(f"{bad} of {res.n_cases} cases failed: {reasons[:2000]}")
    if a.json:
        from ..report.json_out import result_to_json

        write_output(a.json, json.dumps(result_to_json(fs, res), indent=1, allow_nan=False))
    if a.report:
        from ..report import html_report

        write_output(a.report, html_report(fs, res))
    if a.xlsx:
        import numpy as np

        from ..report.xlsx import write_xlsx

        ok = np.flatnonzero(np.asarray(res.ok))
        if ok.size == 0:
            raise UserError(f"--xlsx {a.xlsx}: no case solved, so there is no TEA to export")
        write_xlsx(res, a.xlsx, case=int(ok[0]))
    for p in outs.values():
        print(f"wrote {p}")
    return 0
