"""``carbonhub flex ROUTE --prices FILE``: size and dispatch the route's electrolyser, H2 store,
synthesis (and optionally a methanol tank) against an hourly price profile at minimum MSP; print
the key figures, then write ``--json``/``--report`` atomically (paths checked before solving).

The profile is a CSV or Parquet file with 8,760 rows and a column ``price_eur_per_MWh``
(optional ``grid_co2_t_per_MWh``); property_data/prices_nl_synthetic.csv is a synthetic Dutch
profile."""
from __future__ import annotations

import argparse
import json

from ._common import (DEFAULT, UserError, add_build_argument, check_output, parse_build, parse_sets,
                      resolve_defaults, write_output)

HELP = "flexible operation against hourly electricity prices (electrolyser, H2 store, synthesis)"

SUMMARY = (("msp_eur_per_t", "MSP, flexible", "EUR/t"),
           ("msp_flat_eur_per_t", "MSP, flat at the same average price", "EUR/t"),
           ("price_mean_eur_per_MWh", "average price of the profile", "EUR/MWh"),
           ("price_paid_eur_per_MWh", "average price paid", "EUR/MWh"),
           ("electricity_cost_eur_per_t", "electricity per t of product", "EUR/t"),
           ("electrolyser_capacity_MW", "electrolyser", "MW"),
           ("electrolyser_capacity_factor", "electrolyser capacity factor", "-"),
           ("synthesis_capacity_rel", "synthesis capacity (1 = steady state)", "-"),
           ("h2_storage_kg", "H2 store", "kg"),
           ("methanol_storage_t", "methanol tank", "t"),
           ("grid_co2_t_per_t", "grid CO2", "t/t"),
           ("grid_co2_flat_t_per_t", "grid CO2, flat", "t/t"))


def add_arguments(s: argparse.ArgumentParser) -> None:
    s.add_argument("route")
    s.add_argument("--prices", required=True, metavar="FILE",
                   help="hourly prices, CSV or Parquet (8760 rows, column price_eur_per_MWh)")
    s.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="route parameter (one value), e.g. prices.feedstock_eur_per_t=30; NAME=default: "
                        "the parameter at its default")
    add_build_argument(s)
    s.add_argument("--storage", choices=("salt_cavern", "tank"), default="salt_cavern",
                   help="H2 store technology (default salt_cavern)")
    s.add_argument("--methanol-storage", action="store_true", help="allow a methanol tank before MtO")
    s.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE",
                   help="operating limit, e.g. synthesis_min_load=0.5 (property_data/flex.yaml)")
    s.add_argument("--json", metavar="OUT.json")
    s.add_argument("--report", metavar="OUT.html")


def run(a: argparse.Namespace) -> int:
    import numpy as np

    from ..flex import Limits, flexible_operation, read_prices

    build = parse_build(a.build, a.route)
    for opt, path in (("--json", a.json), ("--report", a.report)):
        check_output(path, opt)
    prices = read_prices(a.prices)
    params = parse_sets(a.set)
    if any(np.ndim(v) == 0 and str(v) == DEFAULT for v in params.values()):
        from .. import routes

        params = resolve_defaults(routes.load(a.route, **build), params)  # the route is built at its defaults
    for k, v in params.items():
        if np.ndim(v) != 0:
            raise UserError(f"--set {k}: flexible operation takes one value, got a list")
    limits = {}
    for k, v in parse_sets(a.limit, option="--limit").items():
        if isinstance(v, str) or np.ndim(v) != 0:
            raise UserError(f"--limit {k}={v}: expected one number (a fraction of capacity)")
        limits[k] = float(v)
    lim = Limits.default(**limits)            # checked before the route is simulated
    r = flexible_operation(a.route, prices, params=params, storage=a.storage,
                           methanol_storage=a.methanol_storage, limits=lim, build=build)
    k = r.kpis
    print(f"flexible operation of {a.route} against {prices.name}")
    for key, label, unit in SUMMARY:
        if key in k:
            print(f"  {label:<42s} {k[key]:>14,.4g} {unit}")
    lp = k["lp"]
    print(f"  LP: {lp['n_variables']} variables, {lp['n_constraints']} constraints, "
          f"{lp['iterations']} linearisation(s), {lp['solve_s']:.1f} s in HiGHS")
    if a.json:
        write_output(a.json, json.dumps(r.to_json(), indent=1, allow_nan=False))
    if a.report:
        write_output(a.report, r.report_html())
    for p in (a.json, a.report):
        if p:
            print(f"wrote {p}")
    return 0
