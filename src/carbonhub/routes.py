"""The route library: complete carbon-hub routes, one module per route with
``build(**params) -> Flowsheet`` plus its default parameters and literature reference case in
``<route>.yaml`` next to it.

Where routes come from (a name defined twice is an error):

1. carbonhub's own library, ``flowsheets/`` (shipped inside the wheel as ``carbonhub.flowsheets``);
2. folders named in ``CARBONHUB_ROUTES`` (separated by ``os.pathsep``, ``:`` on Linux), each
   holding ``<route>.py`` (and optionally ``<route>.yaml``) files like ``flowsheets/``;
3. installed packages that declare an entry point in the group ``carbonhub.routes``: the entry
   point's name is the route's name and its value a module with ``build(**params)``, e.g. in the
   plug-in's ``pyproject.toml``::

       [project.entry-points."carbonhub.routes"]
       my_route = "my_package.my_route"

   (its YAML, if any, is the ``.yaml`` file next to the module).

Files starting with ``_`` are helpers, not routes. A folder that does not exist is an error
(:class:`carbonhub.data.DataNotFoundError`), never an empty library.

One home per default: a parameter listed in a route's YAML (``defaults:``, each with its value
and source) has its value there only. The route's ``build`` reads the YAML through
:class:`RouteDefaults` (``D = RouteDefaults(NAME)``; ``D["gasifier.P"]`` where a value shapes
the flowsheet, e.g. the pressure of the units around the gasifier) and ends with
:func:`apply_defaults`, which makes every YAML value the flowsheet's default
(``fs.set_default``: shown with its source by ``fs.parameters()``, the value ``fs.reset`` and
``carbonhub run --set NAME=default`` return to). A YAML parameter that the build code also
writes (without reading it from ``D``) is an error, :class:`RouteDefaultsError`.

Example
-------
>>> import carbonhub as ch
>>> "biomass_ft" in ch.routes.names()
True
>>> ch.routes.source("biomass_ft").name
'biomass_ft.py'
"""
from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from .data import DataNotFoundError, packaged_dir

if TYPE_CHECKING:  # pragma: no cover
    from .core.flowsheet import Flowsheet

__all__ = ["ROUTES_ENV", "ENTRY_POINT_GROUP", "UnknownRouteError", "routes_dir", "route_folders",
           "names", "module", "source", "load", "defaults", "describe", "RouteDefaults", "RouteDefaultsError",
           "apply_defaults", "BuildOption", "BuildOptionError", "build_options", "check_build_params"]

#: Environment variable: extra folders of route modules (``os.pathsep``-separated).
ROUTES_ENV = "CARBONHUB_ROUTES"
#: Entry-point group through which installed packages add routes.
ENTRY_POINT_GROUP = "carbonhub.routes"


class UnknownRouteError(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def routes_dir() -> Path:
    """carbonhub's own route library (``flowsheets/``)."""
    return packaged_dir("flowsheets")


def route_folders() -> list[Path]:
    """The folders searched for routes: the library, then each folder in ``CARBONHUB_ROUTES``."""
    folders = [routes_dir()]
    for entry in (e for e in os.environ.get(ROUTES_ENV, "").split(os.pathsep) if e.strip()):
        path = Path(entry).expanduser()
        if not path.is_dir():
            raise DataNotFoundError(f"{ROUTES_ENV}: route folder {entry} does not exist (expected a "
                                    "folder of <route>.py files)")
        folders.append(path)
    return folders


def _from_folders() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in route_folders():
        for p in sorted(folder.glob("*.py")):
            if p.stem.startswith("_"):
                continue
            if p.stem in found:
                raise ValueError(f"route {p.stem!r} is defined twice: {found[p.stem]} and {p}; "
                                 "rename one of them")
            found[p.stem] = p
    return found


def _from_entry_points() -> dict[str, Any]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def _catalogue() -> dict[str, Path | Any]:
    """Route name -> its file (folders) or entry point (plug-ins), in the library's order."""
    found: dict[str, Path | Any] = _from_folders()
    for name, ep in _from_entry_points().items():
        if name in found:
            raise ValueError(f"route {name!r} is defined twice: {found[name]} and the entry point "
                             f"{ep.value} (group {ENTRY_POINT_GROUP}); rename one of them")
        found[name] = ep
    if not found:
        raise DataNotFoundError(f"no route found in {', '.join(map(str, route_folders()))}")
    return found


def names() -> list[str]:
    """Route ids: the library's in file order, then those from ``CARBONHUB_ROUTES`` and plug-ins."""
    return list(_catalogue())


def _unknown(name: str, known: list[str]) -> UnknownRouteError:
    near = get_close_matches(name, known, n=2)
    return UnknownRouteError(f"unknown route {name!r}" + (f"; did you mean {', '.join(near)}?" if near else "")
                             + f" (routes: {', '.join(known)})")


@lru_cache(maxsize=None)
def _module(name: str, where: str) -> ModuleType:
    if not where.endswith(".py"):  # an entry point's module
        return importlib.import_module(where)
    spec = importlib.util.spec_from_file_location(f"carbonhub_routes.{name}", where)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def _where(name: str) -> Path | Any:
    """Route ``name``'s file or entry point (an UnknownRouteError with close matches if none)."""
    cat = _catalogue()
    if name not in cat:
        raise _unknown(name, list(cat))
    return cat[name]


def module(name: str) -> ModuleType:
    """The route's Python module (a file of a route folder, or a plug-in's module)."""
    where = _where(name)
    mod = _module(name, str(where) if isinstance(where, Path) else where.value.split(":", 1)[0])
    if not callable(getattr(mod, "build", None)):
        raise ValueError(f"route {name!r} ({source(name)}) has no build(**params) function")
    return mod


def source(name: str) -> Path:
    """The file that defines route ``name``."""
    where = _where(name)
    if isinstance(where, Path):
        return where
    spec = importlib.util.find_spec(where.value.split(":", 1)[0])
    if spec is None or spec.origin is None:
        raise DataNotFoundError(f"route {name!r}: entry point {where.value} (group "
                                f"{ENTRY_POINT_GROUP}) names a module that is not installed")
    return Path(spec.origin)


def load(name: str, **build_params: Any):
    """Build route ``name`` (a fresh Flowsheet; parameters at their defaults unless given).
    ``build_params`` go to the route's ``build()``: its build options (:func:`build_options`,
    e.g. ``zld=True``) and ``unit.param`` values; they travel with the flowsheet as
    ``fs.route_spec["build_params"]`` (results JSON, reports, sweep workers)."""
    mod = module(name)
    _check_build_kinds(name, build_params)
    fs = mod.build(**build_params)
    fs.route_spec = {"route": name, "build_params": dict(build_params)}
    for pname, entry in (defaults(name).get("defaults") or {}).items():  # where the route's values come from
        if pname not in build_params and isinstance(entry, dict) and entry.get("source"):
            fs.param_sources[pname] = f"{name}.yaml: {entry['source']}"
    return fs


def defaults(name: str) -> dict:
    """The route's YAML (``<route>.yaml`` next to its module): default parameters with sources
    and its reference case; ``{}`` for a route without one."""
    import yaml

    path = source(name).with_suffix(".yaml")
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


class RouteDefaultsError(ValueError):
    """A route's build code and its YAML both give a default (one home: the YAML)."""


class RouteDefaults(Mapping):
    """The defaults of route ``name``'s YAML (``<name>.yaml`` next to its module, or the file
    ``path``; ``defaults:``, entries solved by a design spec left out), read by the route's
    build: ``D[name]`` is a value, and the names read are remembered (see
    :func:`apply_defaults`). ``variant``: the entries of ``variants: {variant: ...}`` replace or
    add to ``defaults:`` (the defaults of a build option, e.g. another gasifier technology)."""

    def __init__(self, name: str, path: str | Path | None = None, variant: str | None = None):
        self.name = name
        if path is None:
            doc = defaults(name)
        else:
            import yaml

            doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        entries = dict(doc.get("defaults") or {})
        if variant is not None:  # a build option's own defaults (``variants: {variant: {...}}``) over them
            variants = doc.get("variants") or {}
            if variant not in variants:
                raise RouteDefaultsError(f"route {name}: no defaults for the variant {variant!r} in {name}.yaml "
                                         f"(variants: {', '.join(variants) or 'none'})")
            entries.update(variants[variant] or {})
        self.entries = {k: e for k, e in entries.items() if e["value"] != "design spec"}
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        value = self.entries[key]["value"]
        self.read.add(key)
        if isinstance(value, str):  # YAML 1.1 reads 2.5e6 (no dot, no sign) as text
            try:
                return float(value)
            except ValueError:
                pass
        return value

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def apply_defaults(fs: "Flowsheet", D: RouteDefaults) -> None:
    """Set every default of the route's YAML on ``fs`` as the route's default (with its source).
    A value the build has read from ``D`` stays as the build set it (the YAML's, or derived from
    it, e.g. an H2 demand expressed as electrolysis water). Raises :class:`RouteDefaultsError`
    for a YAML parameter that the build code has set without reading it from ``D`` (a second
    home)."""
    for pname, entry in D.entries.items():
        value = entry["value"]
        if fs.source(pname) == "set":  # the build code has given it a value
            if pname not in D.read:
                raise RouteDefaultsError(
                    f"route {D.name}: {pname} = {fs.get(pname)!r} is written in the build code and "
                    f"{entry['value']!r} in {D.name}.yaml; keep it in the YAML only (read D[{pname!r}])")
            value = fs.get(pname)  # read by the build: the YAML's value or one derived from it
        fs.set_default(pname, value, f"{D.name}.yaml: {entry['source']}")


def describe() -> dict[str, str]:
    """One line per route (the first line of its module's docstring)."""
    out = {}
    for n in names():
        doc = (module(n).__doc__ or "").strip().splitlines()
        out[n] = doc[0] if doc else ""
    return out


# -- build options: the named keyword parameters of a route's build() ----------------------------

_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


class BuildOptionError(ValueError):
    """A build option that the route's ``build()`` does not have, or a value it cannot take."""


@dataclass(frozen=True)
class BuildOption:
    """One named keyword parameter of a route's ``build()`` (e.g. ``zld``), read from its
    signature: ``kind`` from the annotation (``bool``, ``int``, ``float``, ``str``, or a
    ``Literal[...]`` of ``choices``) or else from the default's type ("" when neither says);
    ``doc`` the sentences of ``build``'s docstring that name it."""

    name: str
    default: Any
    required: bool
    kind: str
    choices: tuple = ()
    doc: str = ""

    def expected(self) -> str:
        """What a value must be, in words (``"true or false"``, ``"one of a, b"``, ...)."""
        if self.choices:
            return "one of " + ", ".join(map(str, self.choices))
        return {"bool": "true or false", "int": "a whole number", "float": "a finite number",
                "str": "text"}.get(self.kind, "true/false, a number or text")

    def shown_default(self) -> str:
        """The default as written on the command line (``false``, ``purchased``)."""
        if self.required:
            return "(required)"
        return str(self.default).lower() if isinstance(self.default, bool) else str(self.default)

    def parse(self, text: str) -> Any:
        """The value of ``text`` (command-line words: ``true``/``false``, ``yes``/``no``,
        ``1``/``0`` for a bool); :class:`BuildOptionError` naming the option, the value and what
        it expects when it cannot take it."""
        import math

        t = text.strip()
        low = t.lower()
        value: Any = None
        kind = self.kind or ("bool" if low in _TRUE + _FALSE else "")
        if kind == "bool":
            value = True if low in _TRUE else False if low in _FALSE else None
        elif kind == "int" or (not kind and _parses_as(t, int)):
            value = int(t) if _parses_as(t, int) else None
        elif kind == "float" or (not kind and _parses_as(t, float)):
            value = float(t) if _parses_as(t, float) and math.isfinite(float(t)) else None
        else:  # text
            value = t if t else None
        if self.choices and value not in self.choices:
            value = None
        if value is None:
            raise BuildOptionError(f"{self.name}={text}: expected {self.expected()} (default "
                                   f"{self.shown_default()})")
        return value


def _parses_as(t: str, convert: Any) -> bool:
    """Whether ``convert(t)`` (``int`` or ``float``) takes the text ``t``."""
    try:
        convert(t)
        return True
    except ValueError:
        return False


def _sentences_naming(doc: str, name: str) -> str:
    """The sentences of ``doc`` that name ``name`` as ````name```` or ````name=...```` (sentences
    end with ". " outside parentheses)."""
    import re

    text = " ".join(doc.split())
    out, start, depth = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == "." and depth <= 0 and (i + 1 == len(text) or text[i + 1] == " "):
            out.append(text[start:i + 1].strip())
            start = i + 1
    out.append(text[start:].strip())
    pat = re.compile(rf"``{re.escape(name)}(``|\s*=)")
    return " ".join(s for s in out if s and pat.search(s))


def _kind(annotation: Any, default: Any) -> tuple[str, tuple]:
    from typing import Literal, get_args, get_origin

    if get_origin(annotation) is Literal:
        choices = get_args(annotation)
        kinds = {type(c).__name__ for c in choices}
        return (kinds.pop() if len(kinds) == 1 else ""), choices
    for t in (bool, int, float, str):
        if annotation is t or (annotation is inspect.Parameter.empty and type(default) is t):
            return t.__name__, ()
    return "", ()


def build_options(name: str) -> dict[str, BuildOption]:
    """The build options of route ``name``: the named keyword parameters of its ``build()``
    (``**params``, its ``unit.param`` values, left out), with default, kind and doc.

    >>> build_options("waste_methanol_mto")["zld"].default
    False
    """
    from typing import get_type_hints

    build = module(name).build
    try:
        hints = get_type_hints(build)
    except Exception:  # noqa: BLE001 - an annotation that cannot be evaluated: no kind from it
        hints = {}
    doc = inspect.getdoc(build) or ""
    out = {}
    for p in inspect.signature(build).parameters.values():
        if p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            continue
        required = p.default is p.empty
        kind, choices = _kind(hints.get(p.name, p.empty), None if required else p.default)
        out[p.name] = BuildOption(p.name, None if required else p.default, required, kind, choices,
                                  _sentences_naming(doc, p.name))
    return out


def _check_build_kinds(name: str, given: Mapping[str, Any]) -> None:
    """A build option given from Python with a value of the wrong kind (``zld="false"``, which
    Python would take as true) raises :class:`BuildOptionError`; ``unit.param`` values pass."""
    options = build_options(name)
    for key, value in given.items():
        opt = options.get(key)
        if opt is None:
            continue
        ok = {"bool": lambda v: isinstance(v, (bool, np.bool_)),
              "int": lambda v: isinstance(v, (int, np.integer)) and not isinstance(v, bool),
              "float": lambda v: isinstance(v, (int, float, np.number)) and not isinstance(v, bool),
              "str": lambda v: isinstance(v, str)}.get(opt.kind, lambda v: True)(value)
        if not ok or (opt.choices and value not in opt.choices):
            raise BuildOptionError(f"{key} = {value!r}: route {name}'s build option {key} expects "
                                   f"{opt.expected()} (default {opt.shown_default()})")


def check_build_params(name: str, values: Mapping[str, str]) -> dict[str, Any]:
    """Text values of build options (``{"zld": "true"}``) -> the values ``load(name, **...)``
    takes (``{"zld": True}``); :class:`BuildOptionError` for an option ``build()`` does not
    name or a value it cannot take (one line naming the option, value and what is expected)."""
    options = build_options(name)
    out = {}
    for key, text in values.items():
        if key not in options:
            known = ", ".join(options) or "none"
            near = get_close_matches(key, list(options), n=1)
            hint = (f"; a unit parameter goes with --set {key}={text}" if "." in key
                    else f"; did you mean {near[0]}?" if near else "")
            raise BuildOptionError(f"{key}={text}: route {name} has no build option {key!r} (its "
                                   f"build options: {known}){hint}")
        out[key] = options[key].parse(text)
    missing = [o.name for o in options.values() if o.required and o.name not in out]
    if missing:
        raise BuildOptionError(f"route {name} needs the build option(s) {', '.join(missing)} "
                               f"({'; '.join(f'{m}: {options[m].expected()}' for m in missing)})")
    return out
