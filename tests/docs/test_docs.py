"""The documentation builds without a warning (``mkdocs build --strict``), and the pieces it is
made of stay consistent: generated notebooks up to date and without outputs, docstring
normalisation for the API reference."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.mark.integration
@pytest.mark.slow
def test_mkdocs_build_strict(tmp_path):
    """The whole site, API reference included, builds with warnings as errors."""
    site = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                        str(ROOT / "mkdocs.yml"), "--site-dir", str(site)],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    log = r.stdout + r.stderr
    assert r.returncode == 0, log[-6000:]
    assert "WARNING" not in log, log[-6000:]
    for page in ("index.html", "routes.html", "units.html", "dev/add_unit.html",
                 "dev/add_route.html", "api/core.html", "guide/sweeps.html"):
        assert (site / page).is_file(), page
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "biomass_ft" in html and "<!-- carbonhub:" not in html
    unit_page = (site / "dev" / "add_unit.html").read_text(encoding="utf-8")
    # the worked example is included from examples/custom_unit.py, not copied
    assert "FixedConversionReactor" in unit_page and "eq_extent" in unit_page


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.unit
def test_notebooks_are_generated_and_up_to_date():
    gen = _load(EXAMPLES / "_build_notebooks.py", "carbonhub_build_notebooks")
    assert gen.main(["--check"]) == 0, "run: python examples/_build_notebooks.py"


@pytest.mark.unit
def test_notebooks_are_committed_without_outputs_and_honour_small_runs():
    for path in sorted(EXAMPLES.glob("0*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and cell.get("execution_count") is None, path.name
        source = "".join("".join(c["source"]) for c in nb["cells"])
        assert "CARBONHUB_EXAMPLES_SMALL" in source, f"{path.name} ignores CARBONHUB_EXAMPLES_SMALL"


@pytest.mark.unit
def test_gallery_images_exist():
    gen = _load(EXAMPLES / "make_gallery.py", "carbonhub_make_gallery")
    assert gen.DPI > 0
    text = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    for name in ("sankey", "energy_sankey", "costs", "waterfall", "pfd", "tornado"):
        img = ROOT / "docs" / "img" / f"biomass_ft_{name}.png"
        assert img.is_file() and f"img/biomass_ft_{name}.png" in text, img


@pytest.mark.unit
def test_docstring_normalisation_for_the_api_reference():
    ext = _load(ROOT / "docs" / "hooks" / "griffe_rst.py", "carbonhub_griffe_rst")
    doc = ("Summary with :class:`~carbonhub.core.Stream` and :func:`carbonhub.thermo.equilibrate`.\n\n"
           "Range [Tmin, Tmax] [K].\n\n"
           "Example\n-------\n>>> x = {'a': [1]}\n>>> x['a'][0]\n1\n\n"
           "Notes\n-----\n>>> y = 2\n\nmore text")
    out = ext.normalise(doc)
    assert "`Stream`" in out and "`carbonhub.thermo.equilibrate`" in out and ":class:" not in out
    assert "Examples\n--------\n>>> x = {'a': [1]}\n>>> x['a'][0]" in out   # doctest untouched
    assert "[Tmin, Tmax] \\[K]" in out                                    # not a reference link
    assert "```pycon\n>>> y = 2\n```" in out                               # fenced outside Examples
