"""Test double of the flowsheet contract the sweep package codes against.

``AnalyticFlowsheet`` implements exactly the public contract of a carbonhub flowsheet that
:mod:`carbonhub.sweep` uses (``name``, ``parameters()``, ``simulate(params)`` returning
``n_cases``, ``kpis`` and ``status``) with a cheap analytic model, so the sweep machinery can be
tested before (and independently of) the real routes. Options make it slow (``delay`` seconds per
``simulate`` call), mark cases failed (``fail_above_T``: status "no convergence ...") or raise
for a whole call that contains a bad case (``raise_above_T``), and count the cases it evaluated.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import cloudpickle
import numpy as np
import pandas as pd
import pytest

HERE = Path(__file__).resolve().parent

# Dask workers cannot import this conftest: ship the double's code by value when pickled.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


class DoubleUnknownParameterError(KeyError):
    """Unknown parameter name (stands in for carbonhub.core.UnknownParameterError)."""


class DoubleResult:
    def __init__(self, kpis: pd.DataFrame, status: np.ndarray) -> None:
        self.n_cases = len(kpis)
        self.kpis = kpis
        self.status = status


_CARBON = {"wood_chips": 0.50, "wheat_straw": 0.45, "miscanthus": 0.48}

_PARAMS = [
    # name, default, unit, lower, upper, doc, kind, choices
    ("gasifier.T", 1200.0, "K", 900.0, 1600.0, "gasifier outlet temperature", "float", None),
    ("gasifier.P", 25e5, "Pa", 1e5, 60e5, "gasifier pressure", "float", None),
    ("feed.rate_dry_t_per_h", 50.0, "t/h", 1.0, 500.0, "dry feed rate", "float", None),
    ("feed.feedstock", "wood_chips", None, np.nan, np.nan, "feedstock id", "choice",
     list(_CARBON)),
    ("prices.feedstock_eur_per_t", 80.0, "EUR/t", 0.0, 1000.0, "feedstock price (as received)",
     "float", None),
    ("ft.alpha", 0.9, "-", 0.7, 0.95, "ASF chain growth probability", "float", None),
    ("costing.capex_factor", 1.0, "-", 0.3, 3.0, "multiplier on capital cost", "float", None),
    ("ishigami.x1", 0.0, "-", -np.pi, np.pi, "Ishigami input 1", "float", None),
    ("ishigami.x2", 0.0, "-", -np.pi, np.pi, "Ishigami input 2", "float", None),
    ("ishigami.x3", 0.0, "-", -np.pi, np.pi, "Ishigami input 3", "float", None),
]


class AnalyticFlowsheet:
    """An analytic stand-in for a route: smooth, vectorised, deterministic."""

    def __init__(self, name: str = "analytic_double", delay: float = 0.0,
                 fail_above_T: float | None = None, raise_above_T: float | None = None) -> None:
        self.name = name
        self.delay = delay
        self.fail_above_T = fail_above_T
        self.raise_above_T = raise_above_T
        self.calls = 0
        self.cases_evaluated = 0

    def parameters(self) -> pd.DataFrame:
        return pd.DataFrame(_PARAMS, columns=["name", "default", "unit", "lower", "upper", "doc",
                                              "kind", "choices"])

    def simulate(self, params: dict | None = None) -> DoubleResult:
        params = dict(params or {})
        table = self.parameters().set_index("name")
        for k in params:
            if k not in table.index:
                raise DoubleUnknownParameterError(k)
        n = max([np.size(v) for v in params.values() if not np.isscalar(v)] or [1])
        p = {}
        for name, row in table.iterrows():
            v = params.get(name, row["default"])
            if row["kind"] == "choice":
                v = np.broadcast_to(np.asarray(v, dtype=str), (n,))
                bad = set(np.unique(v)) - set(row["choices"])
                if bad:
                    raise ValueError(f"unknown feedstock {sorted(bad)}")
            else:
                v = np.broadcast_to(np.asarray(v, dtype=float), (n,))
            p[name] = v
        self.calls += 1
        self.cases_evaluated += n
        if self.delay:
            time.sleep(self.delay)
        T = p["gasifier.T"]
        if self.raise_above_T is not None and np.any(T > self.raise_above_T):
            bad = T[T > self.raise_above_T][0]
            raise RuntimeError(f"gasifier model blew up at T={bad:.3f} K")
        carbon = np.vectorize(_CARBON.get, otypes=[float])(p["feed.feedstock"])
        alpha = p["ft.alpha"]
        ce = carbon * (0.9 - 2e-7 * (T - 1250.0) ** 2) * (0.6 + 0.4 * alpha) * (
            1 + 0.01 * np.log(p["gasifier.P"] / 25e5))
        rate = p["feed.rate_dry_t_per_h"]
        product = rate * ce * 0.8 * 8000.0  # t/y
        capex = 4e8 * p["costing.capex_factor"] * (rate / 50.0) ** 0.7 * (1 + (T - 1200) / 4000)
        opex = p["prices.feedstock_eur_per_t"] * rate * 8000.0 + 0.04 * capex
        msp = (0.1 * capex + opex) / product
        co2 = rate * 8000.0 * carbon * (1 - ce / carbon * 0.98) * 44.0 / 12.0
        x1, x2, x3 = p["ishigami.x1"], p["ishigami.x2"], p["ishigami.x3"]
        ishigami = np.sin(x1) + 7.0 * np.sin(x2) ** 2 + 0.1 * x3**4 * np.sin(x1)
        kpis = pd.DataFrame({"msp_eur_per_t": msp, "carbon_efficiency": ce,
                             "co2_emitted_t_per_y": co2, "ishigami": ishigami})
        status = np.full(n, "ok", dtype=object)
        if self.fail_above_T is not None:
            bad = T > self.fail_above_T
            status[bad] = "no convergence: gasifier energy balance"
            kpis.loc[bad, ["msp_eur_per_t", "carbon_efficiency", "co2_emitted_t_per_y"]] = np.nan
        return DoubleResult(kpis, status.astype(str))


@pytest.fixture
def fs() -> AnalyticFlowsheet:
    return AnalyticFlowsheet()


@pytest.fixture
def make_fs():
    """Factory of test doubles: ``make_fs(name=..., delay=..., fail_above_T=..., raise_above_T=...)``."""
    return AnalyticFlowsheet


@pytest.fixture
def params() -> dict:
    """A representative set of uncertain parameters (every distribution kind)."""
    return {
        "gasifier.T": "uniform(1100,1500)",
        "prices.feedstock_eur_per_t": "tri(60,80,120) EUR/t",
        "ft.alpha": "pert(0.85,0.9,0.93)",
        "costing.capex_factor": "lognormal(0,0.2)",
        "feed.rate_dry_t_per_h": "normal(50,5)",
        "feed.feedstock": "choice(wood_chips,wheat_straw)",
        "gasifier.P": "25 bar",
    }


_LEVELS = {"unit", "component", "integration"}


def pytest_collection_modifyitems(config, items):
    """Every test here carries exactly one of the unit / component / integration markers."""
    for item in items:
        if HERE not in Path(str(item.fspath)).resolve().parents:
            continue
        levels = {m.name for m in item.iter_markers()} & _LEVELS
        if len(levels) != 1:
            raise pytest.UsageError(f"{item.nodeid}: needs exactly one of {sorted(_LEVELS)}, "
                                    f"has {sorted(levels)}")
