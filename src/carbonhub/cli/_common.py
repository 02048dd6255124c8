"""What every verb of the ``carbonhub`` command shares: the user-error type and exit code, the
``--set NAME=VALUE`` parser (``NAME=default``: the parameter at its default), the
``--build NAME=VALUE`` option (the route's build options, checked against its ``build()``) and
atomic file writing.

Example
-------
>>> parse_sets(["gasifier.T=1100,1200", "feed.feedstock=wood_chips"])["gasifier.T"]
array([1100., 1200.])
>>> parse_sets(["feed.blend=rdf:0.6,wood_chips:0.4;rdf:1"])["feed.blend"].tolist()
['rdf:0.6,wood_chips:0.4', 'rdf:1']
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

__all__ = ["EXIT_USAGE", "UserError", "parse_sets", "split_values", "atomic_write", "DEFAULT", "resolve_defaults",
           "add_build_argument", "parse_build"]

EXIT_USAGE = 2


class UserError(Exception):
    """An error in what the user asked for (exit code 2, one line, no traceback)."""


def split_values(text: str) -> Any:
    """``"1100,1200"`` -> [1100.0, 1200.0]; ``"900 K"`` -> "900 K"; ``"wood_chips"`` -> str.
    A feed blend (a value with ``:``, e.g. ``"rdf:0.6,wood_chips:0.4"``) is one value; blends of
    several cases are separated by ``;``."""
    if ":" in text:
        cases = [c.strip() for c in text.split(";") if c.strip()]
        return cases[0] if len(cases) == 1 else cases
    out: list[Any] = []
    for p in (p.strip() for p in text.split(",")):
        try:
            out.append(float(p))
        except ValueError:
            out.append(p)
    return out[0] if len(out) == 1 else out


def parse_sets(items: Sequence[str] | None, option: str = "--set") -> dict[str, Any]:
    """``NAME=VALUE`` items -> parameters; a list value gives one case per element; a name given
    twice is an error."""
    import numpy as np

    params: dict[str, Any] = {}
    for item in items or []:
        if "=" not in item:
            raise UserError(f"{option} {item!r}: expected NAME=VALUE (e.g. gasifier.T=1200)")
        k, v = (s.strip() for s in item.split("=", 1))
        if not k:
            raise UserError(f"{option} {item!r}: the parameter name is empty (expected NAME=VALUE)")
        if not v:
            raise UserError(f"{option} {item!r}: the value is empty (expected NAME=VALUE)")
        if k in params:
            raise UserError(f"{option} {k} given twice; give it once (a list 'a,b,c' makes cases)")
        val = split_values(v)
        if isinstance(val, list):
            if all(isinstance(x, float) for x in val):
                val = np.array(val, dtype=float)
            else:
                val = np.array([str(x) for x in val], dtype=str)
        params[k] = val
    return params


BUILD_HELP = ("build option of the route (a keyword of its build(), e.g. zld=true for zero liquid "
              "discharge; repeatable); `carbonhub routes ROUTE` lists a route's options. Unit "
              "parameters go with --set")


def add_build_argument(s: Any) -> None:
    """Add ``--build NAME=VALUE`` (repeatable) to the verb's parser ``s``."""
    s.add_argument("--build", action="append", default=[], metavar="NAME=VALUE", help=BUILD_HELP)


def parse_build(items: Sequence[str] | None, route: str) -> dict[str, Any]:
    """``--build NAME=VALUE`` items -> the keyword arguments of ``routes.load(route, ...)``,
    each value parsed as the route's ``build()`` declares it (bool ``true``/``false``, int,
    float, text or one of its choices). Every problem (no ``=``, a name given twice, an option
    ``build()`` does not have, a value it cannot take) is a one-line :class:`UserError`, raised
    before anything is built or written."""
    from ..routes import BuildOptionError, check_build_params

    texts: dict[str, str] = {}
    for item in items or []:
        k, eq, v = (s.strip() for s in item.partition("="))
        if not eq or not k or not v:
            raise UserError(f"--build {item!r}: expected NAME=VALUE (e.g. zld=true)")
        if k in texts:
            raise UserError(f"--build {k} given twice; give it once")
        texts[k] = v
    try:
        return check_build_params(route, texts)
    except BuildOptionError as exc:
        raise UserError(f"--build {exc}") from None


DEFAULT = "default"
"""The value of ``--set NAME=default``: the parameter at its default."""


def resolve_defaults(fs: Any, params: dict[str, Any], option: str = "--set") -> dict[str, Any]:
    """``params`` without its ``NAME=default`` entries, each parameter returned to its default on
    ``fs`` (``fs.reset``: the route's default from its YAML, or the unit's; a derived default,
    e.g. the feedstock's own price, follows its inputs). An unknown name is an error, as for any
    value; ``default`` as one case of a list is a :class:`UserError`."""
    import numpy as np

    out = {}
    for k, v in params.items():
        a = np.asarray(v)
        if a.dtype.kind not in "US" or not (a == DEFAULT).any():
            out[k] = v
        elif a.ndim:
            raise UserError(f"{option} {k}={','.join(map(str, a.tolist()))}: '{DEFAULT}' stands alone "
                            f"({option} {k}={DEFAULT}); it cannot be one case of a list")
        else:
            fs.reset(k)
    return out


def atomic_write(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and an atomic rename:
    the file is either the old one or the complete new one, and no temporary file is left."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            tmp.write_text(data, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def check_output(path: str | Path | None, option: str) -> Path | None:
    """Check, before any work, that ``path`` can be written as the output of ``option``; raise a
    one-line :class:`UserError` otherwise. Missing parent folders are fine (made when writing)."""
    if path is None:
        return None
    p = Path(path)
    if str(path) == "" or str(path).endswith(("/", os.sep)):
        raise UserError(f"{option} {str(path)!r}: expected a file name, not a folder")
    if p.is_dir():
        raise UserError(f"{option} {p}: is a folder; give a file name, e.g. {p / ('out' + (p.suffix or '.json'))}")
    if p.exists() and not os.access(p, os.W_OK):
        raise UserError(f"{option} {p}: the file exists and is not writable (permission denied)")
    parent = p.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise UserError(f"{option} {p}: {parent} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UserError(f"{option} {p}: cannot write in {parent} (permission denied)")
    return p


def check_output_folder(path: str | Path, option: str) -> Path:
    """Check, before any work, that the folder ``path`` (e.g. a sweep's ``--out``) can be made
    or written: a one-line :class:`UserError` otherwise."""
    p = Path(path)
    if str(path) == "":
        raise UserError(f"{option} '': expected a folder name")
    parent = p
    while not parent.exists():
        parent = parent.parent
    if parent != p and not parent.is_dir():
        raise UserError(f"{option} {p}: {parent} is a file, not a folder")
    if parent.is_dir() and not os.access(parent, os.W_OK | os.X_OK):
        raise UserError(f"{option} {p}: cannot write in {parent} (permission denied)")
    return p


def write_output(path: str | Path, data: str | bytes) -> None:
    """Make the parent folders and :func:`atomic_write` ``data``."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data)


#: Python keyword phrases in library messages -> the command line's words.
CLI_WORDS = (
    ("shard and overwrite=True", "--shard and --overwrite"),
    ("pass resume=True", "rerun with --resume"),
    ("run again with resume=True", "rerun with --resume"),
    ("resume=True and overwrite=True", "--resume and --overwrite"),
    ("resume=True", "--resume"),
    ("overwrite=True", "--overwrite"),
    ("chunk_size=", "--chunk-size "),
    ("chunk_size must", "--chunk-size must"),
    ("shard=", "--shard "),
    ("another `out`", "another --out"),
    ("`out`", "--out"),
)


def cli_words(message: str) -> str:
    """A library message in the command line's words (``--resume``, not ``resume=True``)."""
    for python, cli in CLI_WORDS:
        message = message.replace(python, cli)
    return message


def one_line(exc: BaseException) -> str:
    """The message of ``exc`` on one line, in CLI words (an OSError names its file)."""
    if isinstance(exc, KeyError) and exc.args:
        msg = str(exc.args[0])
    elif isinstance(exc, OSError) and exc.strerror and type(exc).__str__ is OSError.__str__:
        msg = f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    else:
        msg = str(exc) or type(exc).__name__
    return cli_words(" ".join(msg.split()))
