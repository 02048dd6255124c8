"""The README: its Use block runs as pasted (from an empty folder), its commands are the
Makefile's, and it refers to nothing outside the repository."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block(heading: str, lang: str) -> str:
    section = README.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.search(rf"```{lang}\n(.*?)```", section, re.S).group(1)


@pytest.mark.integration
@pytest.mark.solver
@pytest.mark.slow
def test_use_block_runs_as_pasted(tmp_path):
    code = _block("Use", "python")
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                       timeout=900)
    assert r.returncode == 0, r.stderr[-4000:]
    assert (tmp_path / "runs" / "x.parquet" / "_meta.json").is_file()


@pytest.mark.unit
def test_nothing_outside_the_repository():
    assert "../" not in README and not re.search(r"(?<![\w.])/(work|home|tmp|root|usr)/", README)
    for path in set(re.findall(r"`((?:docs|examples|src|scripts|flowsheets|property_data|benchmarks)/[\w./-]+)`", README)):
        if not any(ch in path for ch in "*<>"):
            assert (ROOT / path.rstrip("/")).exists(), path


@pytest.mark.unit
def test_make_targets_in_the_readme_exist():
    makefile = (ROOT / "Makefile").read_text()
    for target in re.findall(r"^make (\w+)", README, re.M):
        assert re.search(rf"^{target}:", makefile, re.M), target
