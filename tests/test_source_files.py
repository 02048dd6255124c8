"""The source tree keeps to the project's rules: one idea per file under 600 lines, and the
physical constants shared by several modules defined once."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "carbonhub"
MAX_LINES = 600
SHARED_CONSTANTS = {
    8.31446261815324: "R (carbonhub.thermo.nasa7)",
    997.0: "RHO_WATER (carbonhub.unitops._common)",
}


def too_long(root: Path, limit: int = MAX_LINES) -> list[str]:
    out = []
    for p in sorted(root.rglob("*.py")):
        n = len(p.read_text(encoding="utf-8").splitlines())
        if n > limit:
            out.append(f"{p.relative_to(root.parent)}: {n} lines")
    return out


def literal_sites(root: Path, value: float) -> list[str]:
    sites = []
    for p in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and type(node.value) is float and node.value == value:
                sites.append(f"{p.relative_to(root.parent)}:{node.lineno}")
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
