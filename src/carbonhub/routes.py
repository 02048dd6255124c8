"""The route library: complete carbon-hub routes in ``flowsheets/`` (one module per route with
``build(**params) -> Flowsheet``, its default parameters and literature reference case in
``flowsheets/<route>.yaml``).

Example
-------
>>> import carbonhub as ch
>>> "biomass_ft" in ch.routes.names()
True
"""
from __future__ import annotations

import importlib.util
import sys
from difflib import get_close_matches
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from .data import project_root


class UnknownRouteError(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def routes_dir() -> Path:
    return project_root() / "flowsheets"


def names() -> list[str]:
    """Route ids, in the library's order."""
    return [p.stem for p in sorted(routes_dir().glob("*.py")) if not p.stem.startswith("_")]


@lru_cache(maxsize=None)
def module(name: str) -> ModuleType:
    """The route's Python module (imported from flowsheets/<name>.py)."""
    if name not in names():
        near = get_close_matches(name, names(), n=2)
        raise UnknownRouteError(f"unknown route {name!r}" + (f"; did you mean {', '.join(near)}?" if near else "")
                                + f" (routes: {', '.join(names())})")
    path = routes_dir() / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"carbonhub_routes.{name}", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def source(name: str) -> Path:
    """The file that defines route ``name``."""
    module(name)
    return routes_dir() / f"{name}.py"


def load(name: str, **build_params: Any):
    """Build route ``name`` (a fresh Flowsheet; parameters at their defaults unless given)."""
    mod = module(name)
    fs = mod.build(**build_params)
    fs.route_spec = {"route": name, "build_params": dict(build_params)}
    return fs


def defaults(name: str) -> dict:
    """The route's YAML: default parameters with sources and its reference case."""
    import yaml

    path = routes_dir() / f"{name}.yaml"
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def describe() -> dict[str, str]:
    """One line per route."""
    out = {}
    for n in names():
        doc = (module(n).__doc__ or "").strip().splitlines()
        out[n] = doc[0] if doc else ""
    return out
