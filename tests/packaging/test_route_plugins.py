"""Routes from outside the package (a ``CARBONHUB_ROUTES`` folder, a ``carbonhub.routes`` entry
point) and clear errors for missing data or route folders (never an empty list)."""
from __future__ import annotations

import sys
import textwrap

import pytest

import carbonhub as ch
from carbonhub.cli import main
from carbonhub.data import DataNotFoundError

ROUTE = textwrap.dedent('''\
    """My route: biomass_ft under another name (a route from outside carbonhub)."""
    import carbonhub as ch


    def build(**params):
        return ch.routes.module("biomass_ft").build(**params)
    ''')


@pytest.mark.unit
def test_folder_of_routes(tmp_path, monkeypatch, capsys):
    (tmp_path / "my_route.py").write_text(ROUTE)
    (tmp_path / "my_route.yaml").write_text("route: my_route\ndefaults: {}\n")
    (tmp_path / "_helper.py").write_text("X = 1\n")
    monkeypatch.setenv("CARBONHUB_ROUTES", str(tmp_path))
    assert ch.routes.names()[-1] == "my_route" and "_helper" not in ch.routes.names()
    assert ch.routes.source("my_route") == tmp_path / "my_route.py"
    assert ch.routes.defaults("my_route") == {"route": "my_route", "defaults": {}}
    fs = ch.routes.load("my_route")
    assert fs.route_spec == {"route": "my_route", "build_params": {}}
    assert main(["routes"]) == 0
    assert "my_route                 My route: biomass_ft under another name" in capsys.readouterr().out


@pytest.mark.unit
def test_entry_point_route(tmp_path, monkeypatch):
    pkg = tmp_path / "my_plugin"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "ep_route.py").write_text(ROUTE)
    info = tmp_path / "my_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: my-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[carbonhub.routes]\nep_route = my_plugin.ep_route\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "ep_route" in ch.routes.names()
    assert ch.routes.source("ep_route") == pkg / "ep_route.py"
    assert ch.routes.module("ep_route").__name__ == "my_plugin.ep_route"
    assert ch.routes.describe()["ep_route"].startswith("My route")
    sys.modules.pop("my_plugin.ep_route", None)


@pytest.mark.unit
def test_route_defined_twice_is_an_error(tmp_path, monkeypatch):
    (tmp_path / "biomass_ft.py").write_text(ROUTE)
    monkeypatch.setenv("CARBONHUB_ROUTES", str(tmp_path))
    with pytest.raises(ValueError, match="route 'biomass_ft' is defined twice"):
        ch.routes.names()


@pytest.mark.unit
@pytest.mark.parametrize("var, words", [
    ("CARBONHUB_ROUTES", "route folder"),
    ("CARBONHUB_DATA", "no such folder"),
])
def test_missing_folder_is_a_clear_error(tmp_path, monkeypatch, capsys, var, words):
    monkeypatch.setenv(var, str(tmp_path / "nowhere"))
    with pytest.raises(DataNotFoundError, match=words):
        ch.routes.names() if var == "CARBONHUB_ROUTES" else ch.data.data_dir()
    assert main(["routes"] if var == "CARBONHUB_ROUTES" else ["run", "biomass_ft"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(tmp_path / "nowhere") in err[0], err


@pytest.mark.unit
def test_packaged_folder_missing(monkeypatch, tmp_path):
    import importlib.util

    import carbonhub.data as data

    # neither an installed package folder (a wheel, or the editable install's mapping of
    # carbonhub.flowsheets onto the checkout) nor a checkout
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "carbonhub.flowsheets" else real_find_spec(name, *a))
    monkeypatch.setattr(data, "project_root", lambda: tmp_path)
    with pytest.raises(DataNotFoundError, match="flowsheets/ folder is missing"):
        ch.routes.names()


@pytest.mark.unit
def test_a_checkout_reads_its_own_folders(monkeypatch, tmp_path):
    """A second checkout (a git worktree) run with its own src/ first on PYTHONPATH, while an
    editable install maps carbonhub.flowsheets and carbonhub.property_data onto another
    checkout, reads its own route library and property data (it read the other checkout's,
    silently, until 2026-12-07)."""
    import importlib.resources

    import carbonhub.data as data

    for name in ("flowsheets", "property_data"):
        (tmp_path / name).mkdir()  # the other checkout's folders, as the editable mapping gives them
    real_files = importlib.resources.files
    monkeypatch.setattr(importlib.resources, "files",
                        lambda pkg: tmp_path / pkg.split(".")[-1] if pkg.startswith("carbonhub.")
                        else real_files(pkg))
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    root = data.project_root()
    assert data.packaged_dir("flowsheets") == root / "flowsheets"
    assert data.data_dir() == root / "property_data"
    assert ch.routes.routes_dir() == root / "flowsheets"
