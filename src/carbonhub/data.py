"""Locate and load ``property_data/`` (YAML/CSV, each number with its citation).

Where the data come from, first match wins:

1. ``CARBONHUB_DATA``: a folder of your own (it must exist and hold ``components.yaml``);
2. the checkout that the running carbonhub code comes from (``<repository>/property_data``
   next to the ``src/`` that holds this module): a second checkout or git worktree run with its
   own ``src/`` first on ``PYTHONPATH`` reads its own data, not those an editable install of
   another checkout maps ``carbonhub.property_data`` onto;
3. the installed package: ``property_data/`` ships inside the wheel as ``carbonhub.property_data``
   (read through :mod:`importlib.resources`).

A missing folder is a :class:`DataNotFoundError` that says what was looked for, never an empty
result. :func:`packaged_dir` locates ``flowsheets/`` (the route library) the same way.

Example
-------
>>> (data_dir() / "components.yaml").is_file()
True
"""
from __future__ import annotations

import importlib.resources
import importlib.util
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["DATA_ENV", "DataNotFoundError", "data_dir", "load_yaml", "packaged_dir", "project_root"]

#: Environment variable naming a property-data folder to use instead of the packaged one.
DATA_ENV = "CARBONHUB_DATA"


class DataNotFoundError(FileNotFoundError):
    """A data or route folder (or file) that carbonhub needs is not there."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "data not found"


def project_root() -> Path:
    """The repository root of a checkout (holds ``property_data/`` and ``flowsheets/``)."""
    return Path(__file__).resolve().parents[2]


def packaged_dir(name: str) -> Path:
    """The folder ``name`` (``"property_data"`` or ``"flowsheets"``) of the checkout when carbonhub
    runs from its source tree, else of the installed package; :class:`DataNotFoundError` if
    neither exists."""
    looked = []
    checkout = project_root() / name
    if Path(__file__).resolve().parent == project_root() / "src" / "carbonhub" and checkout.is_dir():
        return checkout  # this code's own checkout (before an editable install's mapping elsewhere)
    if importlib.util.find_spec(f"carbonhub.{name}") is not None:
        res = importlib.resources.files(f"carbonhub.{name}")
        if isinstance(res, Path) and res.is_dir():
            return res
        looked.append(str(res))
    looked.append(str(checkout))
    raise DataNotFoundError(f"carbonhub's {name}/ folder is missing (looked in {' and '.join(looked)}): "
                            "reinstall carbonhub (the wheel ships it) or run from a complete checkout")


def data_dir() -> Path:
    """Directory of the property data; ``CARBONHUB_DATA`` overrides it."""
    env = os.environ.get(DATA_ENV)
    if env:
        path = Path(env).expanduser()
        if not path.is_dir():
            raise DataNotFoundError(f"{DATA_ENV}={env}: no such folder (expected a folder that holds "
                                    "components.yaml, feedstocks.yaml, ...; unset it to use the packaged data)")
        if not (path / "components.yaml").is_file():
            raise DataNotFoundError(f"{DATA_ENV}={env}: the folder holds no components.yaml (expected "
                                    "a copy of carbonhub's property_data/ folder)")
        return path
    return packaged_dir("property_data")


@lru_cache(maxsize=None)
def _load(path: str) -> Any:
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError:
        raise DataNotFoundError(f"property data file {path} not found") from None


def load_yaml(name: str) -> Any:
    """Load ``property_data/<name>`` (cached; treat the result as read-only)."""
    return _load(str(data_dir() / name))
