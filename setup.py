"""Package list for setuptools (all metadata is in pyproject.toml).

pyproject.toml cannot combine package discovery under ``src/`` with the two top-level folders
mapped into the package (``flowsheets/`` -> ``carbonhub.flowsheets``, ``property_data/`` ->
``carbonhub.property_data``, see ``[tool.setuptools.package-dir]``): this file lists both.
"""
from setuptools import find_packages, setup

setup(packages=[*find_packages("src"), "carbonhub.flowsheets", "carbonhub.property_data"])
