"""The import layers of carbonhub (docs: DESIGN.md, "Layers"), checked on the source text.

    data, units, feedstocks -> thermo -> core -> twin -> unitops -> costing, routes
        -> eo | sweep | report | flex -> cli

Every ``import`` and ``from ... import`` of a ``carbonhub`` module in ``src/carbonhub`` (at the
top of a file or inside a function; ``if TYPE_CHECKING:`` blocks excepted) is an edge of the
module graph. A module may import its own layer or layers to its left; the graph has no
circle. The one exception is :mod:`carbonhub.core.hooks`, which names the implementations of
``res.kpis``, ``res.plot`` and ``fs.to_pyomo`` as strings.
"""
from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PKG = SRC / "carbonhub"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("data", "units", "feedstocks"),
    ("thermo",),
    ("core",),
    ("twin",),
    ("unitops",),
    ("costing", "routes"),
    ("eo", "sweep", "report", "flex"),
    ("cli",),
)
RANK = {name: i for i, names in enumerate(LAYERS) for name in names}
HOOK_MODULE = "carbonhub.core.hooks"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the nodes inside ``if TYPE_CHECKING:`` blocks (not run-time imports)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in node.body:
                out.update(id(n) for n in ast.walk(sub))
    return out


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, int]]:
    """(imported carbonhub module, line) for every import in the file; ``from pkg import sub``
    counts as an import of ``pkg.sub`` when ``sub`` is a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_nodes(tree)
    is_pkg = path.name == "__init__.py"
    out = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names if a.name.split(".")[0] == "carbonhub"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "carbonhub":
                continue
            subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in modules]
            out += [(t, node.lineno) for t in subs] or [(target, node.lineno)]
    return out


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


@lru_cache(maxsize=1)
def _parsed_graph() -> dict[str, tuple[tuple[str, int], ...]]:
    modules = all_modules()
    return {name: tuple(imports_of(name, path, modules)) for name, path in modules.items()}


def graph() -> dict[str, list[tuple[str, int]]]:
    """A fresh copy of the module graph (parsed once per session)."""
    return {k: list(v) for k, v in _parsed_graph().items()}


def upward_imports(g) -> list[str]:
    bad = []
    for src, targets in g.items():
        ls = layer(src)
        for tgt, line in targets:
            lt = layer(tgt)
            if ls is None or lt is None or lt == ls:
                continue
            if ls not in RANK or lt not in RANK:
                bad.append(f"{src}:{line} imports {tgt}: {ls!r} or {lt!r} has no layer in LAYERS")
            elif RANK[lt] > RANK[ls]:
                bad.append(f"{src}:{line} imports {tgt} (layer {lt!r} is above {ls!r})")
    return bad


def cycles(g) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), or a self-import."""
    edges = {s: sorted({t for t, _ in ts if t in g and t != s}) for s, ts in g.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in edges:
        if v not in index:
            visit(v)
    return out


@pytest.mark.unit
def test_every_package_has_a_layer():
    packages = {layer(m) for m in all_modules()} - {None}
    assert packages <= set(RANK), f"add {sorted(packages - set(RANK))} to LAYERS (and DESIGN.md)"


@pytest.mark.unit
def test_no_upward_import():
    bad = upward_imports(graph())
    assert not bad, "upward imports:\n" + "\n".join(bad)


@pytest.mark.unit
def test_no_import_circle():
    found = cycles(graph())
    assert not found, "import circles:\n" + "\n".join(" <-> ".join(c) for c in found)


@pytest.mark.unit
def test_the_hook_is_the_only_way_up():
    """Only core.hooks names modules of higher layers as strings (importlib)."""
    offenders = []
    for name, path in all_modules().items():
        if name == HOOK_MODULE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and ast.unparse(node.func).endswith("import_module") and node.args
                    and isinstance(node.args[0], ast.Constant) and str(node.args[0].value).startswith("carbonhub.")):
                lt, ls = layer(node.args[0].value), layer(name)
                if ls and lt and lt != ls and RANK.get(lt, 99) > RANK.get(ls, -1):
                    offenders.append(f"{name}:{node.lineno} import_module({node.args[0].value!r})")
    assert not offenders, offenders
    from carbonhub.core.hooks import HOOKS

    for conv, (module, attr) in HOOKS.items():
        assert RANK[layer(module)] > RANK["core"], conv


@pytest.mark.unit
def test_the_checker_sees_a_planted_violation():
    """The checks can fail: an upward import and a circle planted in a copy of the graph."""
    g = graph()
    g["carbonhub.thermo.nasa7"] = g["carbonhub.thermo.nasa7"] + [("carbonhub.eo.model", 1)]
    assert any("carbonhub.thermo.nasa7:1 imports carbonhub.eo.model" in b for b in upward_imports(g))
    g["carbonhub.core.stream"] = g["carbonhub.core.stream"] + [("carbonhub.core.unit", 1)]
    assert any({"carbonhub.core.stream", "carbonhub.core.unit"} <= set(c) for c in cycles(g))
