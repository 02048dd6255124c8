"""Route figures in the documentation are generated (carbonhub.report.doc_figures,
scripts/generate_docs.py) and current: every ``<!-- generated:NAME -->`` block of README.md and
docs/**/*.md equals what the routes give at their defaults now."""
from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

import pytest

from carbonhub.report import doc_figures as dfig

ROOT = Path(__file__).resolve().parents[2]
FIX = "run: PYTHONPATH=src python scripts/generate_docs.py figures"


@pytest.fixture(scope="module")
def blocks():
    """Every block from one set of runs: 3 simulate() calls per route."""
    return dfig.render(dfig.simulate_defaults())


@pytest.mark.integration
def test_generated_figures_in_the_pages_are_current(blocks):
    stale = []
    for path in dfig.pages(ROOT):
        old = path.read_text(encoding="utf-8")
        new = dfig.replace_blocks(old, blocks)
        if new != old:
            diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
            stale.append(f"{path.relative_to(ROOT)}:\n" + "\n".join(list(diff)[:30]))
    assert not stale, FIX + "\n" + "\n".join(stale)


@pytest.mark.unit
def test_every_block_is_on_a_page_and_the_guides_hold_them():
    on_pages = {n: p.relative_to(ROOT).as_posix() for p in dfig.pages(ROOT)
                for n in dfig.block_names(p.read_text(encoding="utf-8"))}
    assert set(on_pages) == set(dfig.BLOCKS)
    assert on_pages["water-figures"] == "docs/guide/water.md"
    assert on_pages["exergy-efficiency"] == on_pages["heat-supply"] == "docs/guide/heat.md"


@pytest.mark.unit
def test_replace_blocks_rewrites_only_between_the_markers_and_is_idempotent():
    text = ("intro 1\n<!-- generated:a -->\nold 2\n<!-- /generated:a -->\nmiddle 3\n"
            "<!-- generated:b -->\n<!-- /generated:b -->\nend\n")
    out = dfig.replace_blocks(text, {"a": "| x |\n", "b": "B"}, source="s.py")
    assert out == ("intro 1\n<!-- generated:a -->\n<!-- written by s.py: do not edit -->\n| x |\n"
                   "<!-- /generated:a -->\nmiddle 3\n<!-- generated:b -->\n"
                   "<!-- written by s.py: do not edit -->\nB\n<!-- /generated:b -->\nend\n")
    assert dfig.replace_blocks(out, {"a": "| x |\n", "b": "B"}, source="s.py") == out


@pytest.mark.unit
@pytest.mark.parametrize("text, message", [
    ("<!-- generated:a -->\nx\n", "<!-- generated:a --> is never closed"),
    ("x\n<!-- /generated:a -->\n", "closes no open block"),
    ("<!-- generated:a -->\n<!-- generated:b -->\n<!-- /generated:b -->\n<!-- /generated:a -->\n",
     "inside <!-- generated:a -->"),
    ("<!-- generated:zz -->\n<!-- /generated:zz -->\n", "unknown generated block(s) ['zz']"),
])
def test_bad_markers_are_one_clear_error(text, message):
    with pytest.raises(ValueError, match=__import__("re").escape(message)):
        dfig.replace_blocks(text, {"a": "A", "b": "B"})


@pytest.mark.unit
def test_number_format():
    assert [dfig._n(x) for x in (2850.79, 117.4, 44.93, -0.04, float("nan"))] == \
        ["2,851", "117", "44.9", "0.0", "-"]
    assert dfig._n(0.38983, 3) == "0.390"
    assert dfig._n(0.4499999999999999) == dfig._n(0.45) == "0.5"  # noise does not round


@pytest.mark.unit
def test_script_check_mode_writes_nothing(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("carbonhub_generate_docs",
                                                  ROOT / "scripts" / "generate_docs.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert gen.main(["--check", "kpis"]) == 0  # docs/guide/kpis.md is current
    stale = tmp_path / "kpis.md"
    stale.write_text("old\n", encoding="utf-8")
    monkeypatch.setattr(gen, "KPIS", stale)
    assert gen.main(["--check", "kpis"]) == 1
    assert stale.read_text(encoding="utf-8") == "old\n"
