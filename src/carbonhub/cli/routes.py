"""``carbonhub routes``: the route library, one line each (name, first line of its docstring)."""
from __future__ import annotations

import argparse

HELP = "list the route library"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--paths", action="store_true", help="also show where each route is defined")


def run(a: argparse.Namespace) -> int:
    from .. import routes

    described = routes.describe()
    for name, doc in described.items():
        line = f"{name:24s} {doc}"
        if a.paths:
            line += f"  [{routes.source(name)}]"
        print(line)
    return 0
