"""Shared test configuration: every test runs with an empty HOME unless it says otherwise is not
needed — the project never relies on ~/.idaes, ~/.pyomo or ~/.CoolProp."""
from __future__ import annotations

import os
import sys

import matplotlib

matplotlib.use("Agg")

sys.path.insert(0, os.path.dirname(__file__))  # tests/helpers.py
