"""``carbonhub routes [ROUTE ...]``: the route library, one line each (name, first line of its
docstring); with ROUTE names or ``--verbose``, also each route's build options (the keywords of
its ``build()``, given to ``run``/``sweep``/``optimize``/``flex`` as ``--build NAME=VALUE``) with
default, accepted values and documentation."""
from __future__ import annotations

import argparse
import textwrap

HELP = "list the route library (ROUTE or --verbose: its build options)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("route", nargs="*", metavar="ROUTE", help="show only these routes, with their build options")
    p.add_argument("--paths", action="store_true", help="also show where each route is defined")
    p.add_argument("--verbose", "-v", action="store_true",
                   help="also list each route's build options (--build NAME=VALUE)")


def build_options_text(name: str, indent: str = "    ") -> str:
    """The build options of route ``name`` as printed by ``carbonhub routes ROUTE``."""
    from .. import routes

    options = routes.build_options(name)
    if not options:
        return f"{indent}build options: none"
    lines = [f"{indent}build options (--build NAME=VALUE):"]
    for o in options.values():
        lines.append(f"{indent}  {o.name} = {o.shown_default()}  ({o.expected()})")
        if o.doc:
            lines += textwrap.wrap(o.doc, width=100, initial_indent=indent + "      ",
                                   subsequent_indent=indent + "      ")
    return "\n".join(lines)


def run(a: argparse.Namespace) -> int:
    from .. import routes

    wanted = list(dict.fromkeys(a.route))
    for name in wanted:
        routes.module(name)  # an unknown route: one line, with close matches
    described = routes.describe()
    for name, doc in described.items():
        if wanted and name not in wanted:
            continue
        line = f"{name:24s} {doc}"
        if a.paths:
            line += f"  [{routes.source(name)}]"
        print(line)
        if wanted or a.verbose:
            print(build_options_text(name))
    return 0
