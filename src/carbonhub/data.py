"""Locate and load ``property_data/`` (YAML/CSV, each number with its citation)."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["data_dir", "load_yaml", "project_root"]


def project_root() -> Path:
    """The repository root (holds ``property_data/`` and ``flowsheets/``)."""
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """Directory of the property data; ``CARBONHUB_DATA`` overrides it."""
    env = os.environ.get("CARBONHUB_DATA")
    path = Path(env) if env else project_root() / "property_data"
    if not path.is_dir():
        raise FileNotFoundError(
            f"property data directory {path} not found (set CARBONHUB_DATA to the folder "
            "that holds components.yaml)"
        )
    return path


@lru_cache(maxsize=None)
def _load(path: str) -> Any:
    import yaml

    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load_yaml(name: str) -> Any:
    """Load ``property_data/<name>`` (cached; treat the result as read-only)."""
    return _load(str(data_dir() / name))
