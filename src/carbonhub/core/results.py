"""Simulation results: streams, unit results, per-unit and per-case balances, status, KPIs."""
from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from ..thermo.components import BALANCE_ELEMENTS, ELEMENTS
from .stream import Stream

if TYPE_CHECKING:  # pragma: no cover
    from .flowsheet import Flowsheet, FlowsheetRun

MASS_TOL = 1e-9
ENERGY_TOL = 1e-6


def unit_balances(fs: "Flowsheet", run: "FlowsheetRun") -> dict[str, dict[str, np.ndarray]]:
    """Per unit: relative mass, element and energy residuals, each (n,) (NaN for failed cases).

    mass_rel = |sum m_in - sum m_out| / max(sum m_in, sum m_out)
    X_rel = |sum X_in - sum X_out| / max(in, out) per element X (0 when X is absent)
    energy_rel = |sum H_in + heat + power - sum H_out| / max(sum |H_in|, sum |H_out|,
                 |heat| + |power|)  (H includes heats of formation)
    """
    out = {}
    n = run.n
    per_stream = {}  # each stream's mass, elements and enthalpy, evaluated once
    for c in fs.connections:
        s = run.streams.get(c.id)
        if s is not None:
            hs = s.enthalpy
            per_stream[c.id] = (s.mass_flow, s.element_flows, hs, np.abs(hs))
    for uid, unit in fs.units.items():
        if uid not in run.results:
            continue
        m_in = np.zeros(n); m_out = np.zeros(n)
        e_in = np.zeros((n, len(ELEMENTS))); e_out = np.zeros((n, len(ELEMENTS)))
        h_in = np.zeros(n); h_out = np.zeros(n); ha_in = np.zeros(n); ha_out = np.zeros(n)
        for c in fs.connections:
            if c.id not in per_stream:
                continue
            m, e, hs, ha = per_stream[c.id]
            if c.dst.unit is unit:
                m_in += m; e_in += e; h_in += hs; ha_in += ha
            if c.src.unit is unit:
                m_out += m; e_out += e; h_out += hs; ha_out += ha
        r = run.results[uid]
        # sources and sinks exchange with the outside: their balance is the boundary itself
        if unit.kind in ("source", "sink"):
            continue
        d: dict[str, np.ndarray] = {}
        with np.errstate(divide="ignore", invalid="ignore"):
            d["mass_rel"] = _rel(m_in, m_out)
            for e in BALANCE_ELEMENTS:
                k = ELEMENTS.index(e)
                d[f"{e}_rel"] = _rel(e_in[:, k], e_out[:, k])
            scale = np.maximum(np.maximum(ha_in, ha_out), np.abs(r.heat) + np.abs(r.power))
            d["energy_rel"] = np.where(scale > 0, np.abs(h_in + r.heat + r.power - h_out) / scale, 0.0)
        out[uid] = d
    return out


def _rel(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    s = np.maximum(np.abs(a), np.abs(b))
    return np.where(s > 0, np.abs(a - b) / np.where(s > 0, s, 1.0), 0.0)


class SimulationResult:
    """Result of :meth:`Flowsheet.simulate` for n cases.

    Attributes
    ----------
    n_cases : int
    status : ndarray of str — "ok" or the reason the case failed
    streams : dict[str, Stream]
    unit_results : dict[str, UnitResult]
    """

    def __init__(self, fs: "Flowsheet", run: "FlowsheetRun", costing: bool = True):
        self.flowsheet = fs
        self._run = run
        self.n_cases = run.n
        self.status = np.asarray(run.status, dtype=object).astype(str).astype(object)
        self.stream_data: dict[str, Stream] = run.streams
        self.unit_results = run.results
        self.iterations = run.iterations
        self.residuals = run.residuals
        self._costing = costing

    @property
    def ok(self) -> np.ndarray:
        return self.status == "ok"

    def param(self, name: str) -> np.ndarray:
        """The value of a parameter in every case (n,)."""
        return self._run.param_array(name)

    @cached_property
    def unit_balances(self) -> dict[str, dict[str, np.ndarray]]:
        return unit_balances(self.flowsheet, self._run)

    @cached_property
    def convergence(self):
        """DataFrame per case: for every recycle block (named by its tear streams)
        ``<tears>.iterations`` and ``<tears>.residual`` (the estimated relative distance of the
        tears from their fixed point at the last iteration; NaN where the block never ran),
        for every design spec ``spec:<id>.iterations`` (its Illinois evaluations, or the passes
        of its solve together with the tears it wraps) and ``spec:<id>.residual`` (the final
        |measure - target| in the measure's unit), and ``converged`` (status "ok")."""
        import pandas as pd

        data = {}
        for key, it in self.iterations.items():
            data[f"{key}.iterations"] = it
            data[f"{key}.residual"] = self.residuals.get(key, np.full(self.n_cases, np.nan))
        data["converged"] = self.ok
        return pd.DataFrame(data)

    @cached_property
    def balances(self):
        """DataFrame per case: the worst residual over all units of mass_rel, C_rel, ...,
        energy_rel (NaN for failed cases)."""
        import pandas as pd

        cols = ["mass_rel"] + [f"{e}_rel" for e in BALANCE_ELEMENTS] + ["energy_rel"]
        data = {c: np.zeros(self.n_cases) for c in cols}
        for d in self.unit_balances.values():
            for c in cols:
                data[c] = np.fmax(data[c], d[c])
        df = pd.DataFrame(data)
        df.loc[~self.ok, :] = np.nan
        return df

    def check_balances(self, mass_tol: float = MASS_TOL, energy_tol: float = ENERGY_TOL) -> None:
        """Raise AssertionError naming the unit, case and residual if a balance fails."""
        for uid, d in self.unit_balances.items():
            for k, v in d.items():
                tol = energy_tol if k == "energy_rel" else mass_tol
                bad = self.ok & ~(np.nan_to_num(v, nan=np.inf) <= tol)
                if bad.any():
                    i = int(np.argmax(bad))
                    raise AssertionError(f"{uid}: {k} = {v[i]:.3e} in case {i} (tolerance {tol:g})")

    @property
    def streams(self):
        """Stream table (DataFrame): one row per (stream, case) with T, P and flows [mol/s]."""
        import pandas as pd

        frames = []
        for sid, s in self.stream_data.items():
            df = s.to_frame()
            df.insert(0, "case", np.arange(self.n_cases))
            df.insert(0, "stream", sid)
            df["mass_kg_s"] = s.mass_flow
            frames.append(df)
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    @property
    def units(self):
        """Unit table (DataFrame): heat, power and design results per (unit, case)."""
        import pandas as pd

        rows = []
        for uid, r in self.unit_results.items():
            d = {"unit": uid, "type": type(self.flowsheet.units[uid]).__name__, "case": np.arange(self.n_cases),
                 "heat_W": r.heat, "power_W": r.power}
            d.update({k: v for k, v in r.design.items()})
            d.update({f"util_{k}": v for k, v in r.utilities.items()})
            rows.append(pd.DataFrame(d))
        return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()

    @cached_property
    def kpis(self):
        """KPIs per case (DataFrame; names in DESIGN.md)."""
        from .hooks import hook
        from .pages import small_pages

        with small_pages():
            return hook("kpis")(self, costing=self._costing)

    @property
    def costs(self) -> dict | None:
        """Cost tables (``by_unit``, ``by_category``, ``opex``, ``msp``) when the flowsheet has
        economics; one column per case for up to 20 cases, else the first ok case."""
        if getattr(self, "_costs_override", None) is not None:
            return self._costs_override
        _ = self.kpis  # evaluates the TEA
        tea = getattr(self, "tea", None)
        if tea is None:
            return None
        if self.n_cases <= 20:
            return tea.cost_tables(None)
        first = int(np.argmax(self.ok)) if self.ok.any() else 0
        return tea.cost_tables(first)

    @costs.setter
    def costs(self, tables: dict | None) -> None:
        """Attach cost tables computed elsewhere (e.g. a user's own costing)."""
        self._costs_override = tables

    @property
    def plot(self):
        """Plots of this result: ``res.plot.sankey()``, ``.energy_sankey()``, ``.energy()``,
        ``.water()``, ``.costs()``, ``.waterfall()`` (matplotlib Figures) and ``.pfd()`` (an
        SVG drawing)."""
        from .hooks import hook

        return hook("plot")(self)

    def stream(self, sid: str) -> Stream:
        return self.stream_data[sid]

    def __repr__(self) -> str:
        n_ok = int(self.ok.sum())
        return f"SimulationResult({self.flowsheet.name!r}, {self.n_cases} cases, {n_ok} ok)"
