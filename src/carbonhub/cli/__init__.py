"""The ``carbonhub`` command (``carbonhub --help`` lists the verbs).

One module per verb in this package (``routes``, ``run``, ``sweep``, ``optimize``,
``equilibrium``, ...). A verb module defines

- ``HELP``: the one-line help shown by ``carbonhub --help``;
- ``add_arguments(parser)``: its arguments on an :class:`argparse.ArgumentParser`;
- ``run(args) -> int``: the command itself (heavy imports inside it, so ``--help`` stays fast);
- optionally ``VERB``: the command's name when it differs from the module's name.

Adding ``cli/<verb>.py`` is all it takes to register a verb: every module of the package whose
name does not start with ``_`` is one, listed after the verbs in :data:`ORDER`.

User errors (unknown route, parameter, unit, value out of range, bad distribution, an output path
that cannot be written) print one clear line to stderr and exit with code 2; nothing is written
in that case.
"""
from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from types import ModuleType
from typing import Sequence

from ._common import EXIT_USAGE, UserError, atomic_write, one_line, parse_sets

EXIT_FAILED = 1
EXIT_INTERRUPTED = 130

__all__ = ["main", "build_parser", "verbs", "UserError", "EXIT_USAGE", "parse_sets", "atomic_write"]

#: Verbs listed first in ``carbonhub --help``, in this order; other verb modules follow by name.
ORDER = ("routes", "run", "sweep", "optimize", "equilibrium")


def verbs() -> dict[str, ModuleType]:
    """Verb name -> its module, in the order of ``carbonhub --help``."""
    found = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    ordered = [n for n in ORDER if n in found] + [n for n in found if n not in ORDER]
    mods = (importlib.import_module(f"{__name__}.{n}") for n in ordered)
    return {getattr(m, "VERB", m.__name__.rsplit(".", 1)[1]): m for m in mods}


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error (usage stays available through ``--help``)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``carbonhub`` argument parser with one sub-command per verb module."""
    from .. import __version__

    p = _Parser(prog="carbonhub", description="Simulate and cost carbon-hub routes.")
    p.add_argument("--version", action="version", version=f"carbonhub {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True, metavar="{" + ",".join(verbs()) + "}",
                           parser_class=_Parser)
    for name, mod in verbs().items():
        doc = (mod.__doc__ or "").strip()
        s = sub.add_parser(name, help=mod.HELP, description=doc.split("\n\n")[0] or mod.HELP)
        mod.add_arguments(s)
        s.set_defaults(func=mod.run)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``carbonhub`` command; return its exit code: 0 ok, 2 a problem with the input or
    an output path (one line on stderr, nothing written), 1 a run that could not finish (one
    line), 130 interrupted (Ctrl-C)."""
    parser = build_parser()
    a = parser.parse_args(argv)
    try:
        return int(a.func(a) or 0)
    except KeyboardInterrupt:
        hint = ": rerun with --resume to continue" if a.cmd == "sweep" else ""
        print(f"carbonhub: interrupted{hint}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (UserError, ValueError, KeyError, OSError) as exc:
        print(f"carbonhub: error: {one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except RuntimeError as exc:
        print(f"carbonhub: error: {one_line(exc)}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 - a bug: one line, the traceback on request
        if os.environ.get("CARBONHUB_DEBUG"):
            raise
        print(f"carbonhub: internal error: {type(exc).__name__}: {one_line(exc)} (set "
              "CARBONHUB_DEBUG=1 for the traceback; please report it)", file=sys.stderr)
        return EXIT_FAILED
