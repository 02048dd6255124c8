"""The ``carbonhub`` command (``carbonhub --help`` lists the verbs).

User errors (unknown route, parameter, unit, value out of range, bad distribution) print one
clear line to stderr and exit with code 2; nothing is written in that case.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

EXIT_USAGE = 2


class UserError(Exception):
    """An error in what the user asked for (exit code 2, one line, no traceback)."""


def _split_values(text: str) -> Any:
    """``"1100,1200"`` -> [1100.0, 1200.0]; ``"900 K"`` -> "900 K"; ``"wood_chips"`` -> str."""
    parts = [p.strip() for p in text.split(",")]
    out = []
    for p in parts:
        try:
            out.append(float(p))
        except ValueError:
            out.append(p)
    return out[0] if len(out) == 1 else out


def parse_sets(items: Sequence[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in items or []:
        if "=" not in item:
            raise UserError(f"--set {item!r}: expected NAME=VALUE (e.g. gasifier.T=1200)")
        k, v = item.split("=", 1)
        val = _split_values(v)
        if isinstance(val, list):
            import numpy as np

            val = np.array(val, dtype=float if all(isinstance(x, float) for x in val) else object)
            if val.dtype == object:
                val = val.astype(str)
        params[k.strip()] = val
    return params


def cmd_equilibrium(a: argparse.Namespace) -> int:
    import numpy as np

    from .thermo import equilibrate
    from .units import to_si

    species = [s.strip() for s in a.species.split(",")]
    if a.moles:
        moles = np.array([[float(x) for x in a.moles.split(",")]])
    else:
        moles = None
    T = np.atleast_1d(np.array([to_si(t.strip() if not _isnum(t) else float(t), "K", name="--T")
                                for t in a.T.split(",")], dtype=float))
    P = np.atleast_1d(np.array([to_si(p.strip() if not _isnum(p) else float(p), "Pa", name="--P")
                                for p in a.P.split(",")], dtype=float))
    n = max(T.size, P.size)
    if moles is None:
        raise UserError("--moles is required: initial moles of each species, e.g. --moles 1,1,0,0")
    if moles.shape[1] != len(species):
        raise UserError(f"--moles has {moles.shape[1]} values for {len(species)} species")
    moles = np.repeat(moles, n, axis=0)
    r = equilibrate(species, moles, np.broadcast_to(T, (n,)), np.broadcast_to(P, (n,)))
    import pandas as pd

    x = r.moles / r.moles.sum(axis=1, keepdims=True)
    df = pd.DataFrame(x, columns=species)
    df.insert(0, "P_bar", np.broadcast_to(P, (n,)) / 1e5)
    df.insert(0, "T_K", np.broadcast_to(T, (n,)))
    df["status"] = r.status
    with pd.option_context("display.float_format", "{:.6g}".format, "display.width", 160):
        print("Equilibrium mole fractions (all phases):")
        print(df.to_string(index=False))
    return 0


def _isnum(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def cmd_routes(a: argparse.Namespace) -> int:
    from . import routes

    for name, doc in routes.describe().items():
        print(f"{name:24s} {doc}")
    return 0


def cmd_run(a: argparse.Namespace) -> int:
    from . import routes
    from .report.json_out import result_to_json

    fs = routes.load(a.route)
    params = parse_sets(a.set)
    outs = [p for p in (a.json, a.report) if p]
    res = fs.simulate(params=params)
    payload = result_to_json(fs, res)
    if a.json:
        _atomic_write(Path(a.json), json.dumps(payload, indent=1, allow_nan=False))
    if a.report:
        from .report import html_report

        _atomic_write(Path(a.report), html_report(fs, res))
    from .report.tables import kpi_summary

    print(kpi_summary(res))
    bad = (res.status != "ok").sum()
    if bad:
        print(f"{bad} of {res.n_cases} cases failed: " + "; ".join(sorted(set(res.status[res.status != 'ok'])))[:2000])
    for p in outs:
        print(f"wrote {p}")
    return 0


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def cmd_sweep(a: argparse.Namespace) -> int:
    from .sweep.cli_support import run_from_args

    return run_from_args(a)


def cmd_optimize(a: argparse.Namespace) -> int:
    from . import routes
    from .eo.cli_support import optimize_from_cli

    fs = routes.load(a.route)
    return optimize_from_cli(fs, a)


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    p = argparse.ArgumentParser(prog="carbonhub", description="Simulate and cost carbon-hub routes.")
    p.add_argument("--version", action="version", version=f"carbonhub {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("routes", help="list the route library")
    s.set_defaults(func=cmd_routes)

    s = sub.add_parser("run", help="simulate a route (list-valued --set gives many cases)")
    s.add_argument("route")
    s.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="parameter value, e.g. gasifier.T=1200 or gasifier.T=1100,1200,1300")
    s.add_argument("--json", metavar="OUT.json")
    s.add_argument("--report", metavar="OUT.html")
    s.set_defaults(func=cmd_run)

    s = sub.add_parser("sweep", help="Monte Carlo / LHS / Sobol / grid sweep to Parquet (resumable, Dask)")
    from .sweep.cli_support import add_sweep_arguments

    add_sweep_arguments(s)
    s.set_defaults(func=cmd_sweep)

    s = sub.add_parser("optimize", help="optimise a route with the IDAES/IPOPT twin")
    s.add_argument("route")
    s.add_argument("--objective", default="msp", choices=["msp", "npv", "co2"])
    s.add_argument("--vary", action="append", default=[], metavar="NAME=LO:HI")
    s.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    s.add_argument("--json", metavar="OUT.json")
    s.add_argument("--method", default="reduced", choices=["reduced", "full"],
                   help="reduced: SLSQP over the decision variables on square twin solves (default); "
                        "full: one IPOPT solve of the whole model")
    s.add_argument("--verbose", action="store_true", help="show IPOPT's log")
    s.set_defaults(func=cmd_optimize)

    s = sub.add_parser("equilibrium", help="Gibbs equilibrium of a gas (+ C(s)) mixture")
    s.add_argument("--species", required=True, help="e.g. H2,CO,CO2,H2O,CH4,C(s)")
    s.add_argument("--moles", help="initial moles per species, e.g. 0,1,0,1,0,0")
    s.add_argument("--T", required=True, help="temperature(s) [K], e.g. 1000 or 900,1000 or '700 degC'")
    s.add_argument("--P", default="101325", help="pressure(s) [Pa] or with unit, e.g. '30 bar'")
    s.set_defaults(func=cmd_equilibrium)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    a = parser.parse_args(argv)
    try:
        return int(a.func(a) or 0)
    except UserError as exc:
        print(f"carbonhub: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (KeyError, ValueError, FileExistsError) as exc:
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        print(f"carbonhub: error: {msg}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
