"""The source tree keeps to the project's rules: one idea per file under 600 lines, the
physical constants shared by several modules defined once, and no private name (``_x``) of
one module used by another (what two modules share is public in one of them)."""
from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "carbonhub"
MAX_LINES = 600
SHARED_CONSTANTS = {
    8.31446261815324: "R (carbonhub.thermo.nasa7)",
    997.0: "RHO_WATER (carbonhub.unitops._common)",
    101325.0: "ATM (carbonhub.units; P_REF, P_ATM)",
    3.6e6: "KWH (carbonhub.units)",
    907.18474: "SHORT_TON (carbonhub.units)",
    1055.05585262: "BTU_J (carbonhub.units)",
    0.028316846592: "FT3_M3 (carbonhub.units)",
    0.45359237: "LB_KG (carbonhub.units)",
    3.6e9: "MWH (carbonhub.units)",
    3600.0: "HOUR (carbonhub.units)",
    86400.0: "DAY (carbonhub.units)",
    12.011: "the atomic weight of C (carbonhub.feedstocks.STANDARD_ATOMIC_WEIGHTS; M_C)",
}


def too_long(root: Path, limit: int = MAX_LINES) -> list[str]:
    out = []
    for p in sorted(root.rglob("*.py")):
        n = len(p.read_text(encoding="utf-8").splitlines())
        if n > limit:
            out.append(f"{p.relative_to(root.parent)}: {n} lines")
    return out


def literal_sites(root: Path, value: float) -> list[str]:
    return _float_literals(root).get(value, [])


@functools.lru_cache(maxsize=4)
def _float_literals(root: Path) -> dict[float, list[str]]:
    """Every float literal below ``root`` -> its ``file:line`` sites (the tree parsed once)."""
    sites: dict[float, list[str]] = {}
    for p in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and type(node.value) is float:
                sites.setdefault(node.value, []).append(f"{p.relative_to(root.parent)}:{node.lineno}")
    return sites


@pytest.mark.unit
def test_no_source_file_over_600_lines():
    assert not too_long(PKG), f"files over {MAX_LINES} lines (split them by idea): {too_long(PKG)}"


@pytest.mark.unit
def test_the_limit_can_fail(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "big.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (tmp_path / "pkg" / "small.py").write_text("x = 1\n" * MAX_LINES)
    assert too_long(tmp_path / "pkg") == [f"pkg/big.py: {MAX_LINES + 1} lines"]


@pytest.mark.unit
@pytest.mark.parametrize("value", sorted(SHARED_CONSTANTS))
def test_shared_constants_are_defined_once(value):
    sites = literal_sites(PKG, value)
    assert len(sites) == 1, f"{SHARED_CONSTANTS[value]} = {value!r} written in {len(sites)} places: {sites}"


def private_imports(root: Path) -> list[str]:
    """``file:line name`` for every private name (``_x``, not ``__x__``) that a module below
    ``root`` imports from another carbonhub module (relative or ``carbonhub.`` imports), or
    reads as an attribute of an imported carbonhub module. A private *module* (``_common``)
    imported within its own package is allowed."""
    out = []
    for p in sorted(root.rglob("*.py")):
        rel = p.relative_to(root.parent)
        tree = ast.parse(p.read_text(encoding="utf-8"))
        modules: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith(root.name)):
                base = p.parents[node.level - 1] if node.level else root.parent
                base = base.joinpath(*(node.module.split(".") if node.module else ()))
                for a in node.names:
                    private = a.name.startswith("_") and not a.name.startswith("__")
                    is_module = (base / f"{a.name}.py").exists() or (base / a.name).is_dir()
                    if is_module:
                        modules.add(a.asname or a.name)
                    if private and not (is_module and node.level == 1 and not node.module):
                        out.append(f"{rel}:{node.lineno} {a.name}")
            elif isinstance(node, ast.Import):
                modules.update((a.asname or a.name).split(".")[0] for a in node.names
                               if a.name.startswith(root.name))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in modules and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                out.append(f"{rel}:{node.lineno} {node.value.id}.{node.attr}")
    return out


@pytest.mark.unit
def test_no_private_name_shared_across_modules():
    found = private_imports(PKG)
    assert not found, f"private names used outside their module (make them public): {found}"


@pytest.mark.unit
def test_the_private_check_can_fail(tmp_path):
    pkg = tmp_path / "carbonhub"
    pkg.mkdir()
    (pkg / "a.py").write_text("def _helper():\n    return 1\n\n\ndef helper():\n    return 2\n")
    (pkg / "_common.py").write_text("X = 1\n")
    (pkg / "b.py").write_text("from . import _common\nfrom .a import helper\nimport numpy as _np\n"
                              "from numpy import _NoValue\n")
    assert private_imports(pkg) == []
    (pkg / "c.py").write_text("from .a import _helper\nfrom . import a\n\ny = a._helper()\n")
    assert private_imports(pkg) == ["carbonhub/c.py:1 _helper", "carbonhub/c.py:4 a._helper"]
    (pkg / "sub").mkdir()
    (pkg / "sub" / "d.py").write_text("from .. import _common\nfrom ..a import helper\n")
    assert private_imports(pkg)[-1:] == ["carbonhub/sub/d.py:1 _common"]
