"""``carbonhub sweep ROUTE``: Monte Carlo / LHS / Sobol / grid sweep to Parquet (resumable,
on Dask); parses ``--param NAME=DIST`` and ``--params-file`` and runs :func:`carbonhub.sweep.run`.

Example
-------
>>> from carbonhub.cli.sweep import parse_param_arg
>>> parse_param_arg("prices.feedstock_eur_per_t=tri(60,80,120) EUR/t")
('prices.feedstock_eur_per_t', triangular(60, 80, 120) EUR/t)
>>> parse_param_arg("feed.feedstock=choice(wood_chips,wheat_straw)")
('feed.feedstock', choice(wood_chips,wheat_straw))
"""
from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterable
from typing import Any

from ..sweep.distributions import Distribution, parse
from ..sweep.errors import SweepInputError
from ..sweep.paramfile import load_params
from ._common import add_build_argument, check_output, check_output_folder, parse_build

__all__ = ["parse_param_arg", "parse_param_args", "add_arguments", "run", "run_from_args"]

HELP = "Monte Carlo / LHS / Sobol / grid sweep to Parquet (resumable, Dask)"

_NAME = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$")


def parse_param_arg(text: str) -> tuple[str, Distribution]:
    """``"NAME=DIST"`` -> (name, distribution); DIST as in
    :func:`~carbonhub.sweep.distributions.parse` (unit converted later, at binding)."""
    if "=" not in text:
        raise SweepInputError(f"--param {text!r}: expected NAME=DIST, e.g. "
                              "gasifier.T=uniform(1100,1500)")
    name, dist = (s.strip() for s in text.split("=", 1))
    if not _NAME.match(name):
        raise SweepInputError(f"--param {text!r}: {name!r} is not a parameter name "
                              "(unit_id.param)")
    try:
        return name, parse(dist)
    except SweepInputError as exc:
        raise SweepInputError(f"--param {name}: {exc}") from None


def parse_param_args(texts: Iterable[str]) -> dict[str, Distribution]:
    """Several ``NAME=DIST``; a name given twice is an error."""
    out: dict[str, Distribution] = {}
    for t in texts:
        name, dist = parse_param_arg(t)
        if name in out:
            raise SweepInputError(f"--param {name} given twice ({out[name]!r} and {dist!r})")
        out[name] = dist
    return out


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``carbonhub sweep`` arguments to ``parser`` (a sub-command parser)."""
    parser.add_argument("route", help="route name (see `carbonhub routes`)")
    parser.add_argument("--n", type=int, required=True,
                        help="number of cases (grid: levels per parameter)")
    parser.add_argument("--method", default="lhs", choices=["lhs", "sobol", "mc", "grid"])
    parser.add_argument("--param", action="append", default=[], metavar="NAME=DIST",
                        help="uniform(a,b) triangular(lo,mode,hi) pert(lo,mode,hi) normal(mu,sd) "
                             "lognormal(mu,sigma) choice(x,y,...), optionally followed by a unit")
    parser.add_argument("--params-file", metavar="YAML", help="parameters from a YAML file")
    add_build_argument(parser)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True, help="output Parquet dataset (a directory)")
    parser.add_argument("--chunk-size", type=int, default=None)
    parser.add_argument("--resume", action="store_true", help="continue an interrupted sweep")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing sweep")
    parser.add_argument("--dask", metavar="local[:N]|tcp://HOST:PORT|slurm:N", default=None,
                        help="run chunks on Dask: 'local' (2 workers) or 'local:N' (N workers), a "
                             "scheduler address tcp://HOST:PORT, or 'slurm:N' (N SLURM jobs through "
                             "dask-jobqueue)")
    parser.add_argument("--dask-scheduler-file", metavar="PATH", default=None,
                        help="run chunks on the Dask scheduler whose address is in PATH (written by "
                             "`dask scheduler --scheduler-file PATH`)")
    parser.add_argument("--shard", metavar="i/N", default=None,
                        help="evaluate only task i of N (counted from 0) of this sweep: N batch-array "
                             "tasks write their own parts of one --out; a final run with --resume "
                             "completes whatever is missing")
    parser.add_argument("--report", metavar="OUT.html", default=None)
    parser.add_argument("--no-progress", action="store_true")
    return parser


def _dask(args: argparse.Namespace) -> str | None:
    if args.dask_scheduler_file and args.dask:
        raise SweepInputError("give either --dask or --dask-scheduler-file, not both")
    if args.dask_scheduler_file:
        return f"scheduler-file:{args.dask_scheduler_file}"
    return args.dask


def run_from_args(args: argparse.Namespace, load_route: Callable[[str], Any] | None = None) -> int:
    """Run ``carbonhub sweep`` from parsed arguments; print a summary; return the exit code.
    ``load_route(name, **build)`` builds the route (default :func:`carbonhub.routes.load`); the
    ``--build`` options are checked against the route's ``build()`` before anything runs."""
    from ..sweep.analysis import summary
    from ..sweep.runner import run as run_sweep

    items = getattr(args, "build", None)
    build = parse_build(items, args.route) if items or load_route is None else {}  # a test's loader: no library route
    check_output(args.report, "--report")
    check_output_folder(args.out, "--out")
    if args.shard and args.report:
        raise SweepInputError("--report with --shard: a shard holds part of the sweep; write the "
                              "report from the run that completes it (--resume)")
    params: dict[str, Any] = {}
    if args.params_file:
        params.update(load_params(args.params_file))
    for name, dist in parse_param_args(args.param).items():
        params[name] = dist
    if not params:
        raise SweepInputError("no parameter to sweep: give --param NAME=DIST or --params-file")
    if load_route is None:
        from carbonhub import routes  # type: ignore[attr-defined]

        load_route = routes.load
    fs = load_route(args.route, **build)  # workers rebuild it with the same options (fs.route_spec)
    res = run_sweep(fs, params, n=args.n, method=args.method, seed=args.seed, out=args.out,
                    chunk_size=args.chunk_size, resume=args.resume, overwrite=args.overwrite,
                    dask=_dask(args), progress=not args.no_progress,
                    shard=args.shard)
    print(res)
    print(summary(res).to_string(float_format=lambda v: f"{v:.4g}"))
    if args.report:
        from ..sweep.report import html_report

        html_report(res, args.report)
        print(f"report: {args.report}")
    return 0


def run(args: argparse.Namespace) -> int:
    """The verb's entry point (``carbonhub sweep``)."""
    return run_from_args(args)
