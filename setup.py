"""Package list for setuptools (all metadata is in pyproject.toml).

pyproject.toml cannot combine package discovery under ``src/`` with the two top-level folders
mapped into the package (``flowsheets/`` -> ``carbonhub.flowsheets``, ``property_data/`` ->
``carbonhub.property_data``, see ``[tool.setuptools.package-dir]``): this file lists both, with
their sub-folders, so that every data file ships in the wheel.
"""
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).resolve().parent


def data_packages(folder: str) -> list[str]:
    root = HERE / folder
    subs = sorted(p for p in root.rglob("*") if p.is_dir() and "__pycache__" not in p.parts)
    return [f"carbonhub.{folder}", *(f"carbonhub.{folder}." + ".".join(p.relative_to(root).parts) for p in subs)]


setup(packages=[*find_packages("src"), *data_packages("flowsheets"), *data_packages("property_data")])
