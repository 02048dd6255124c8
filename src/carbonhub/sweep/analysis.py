"""Which inputs matter: Sobol' and Morris indices, rank correlations, tornado, break-even surfaces,
KPI distributions and the feedstock x route matrix.

Models are a flowsheet (``fs.simulate``, KPIs by name) or a plain vectorised function
``func(values: dict[str, ndarray]) -> ndarray | dict | DataFrame``. Distributions are sampled in
the unit hypercube and mapped through their ``ppf``, so every index below works for any
distribution, including discrete choices.

Example
-------
>>> import numpy as np
>>> from carbonhub.sweep.analysis import sobol_indices
>>> f = lambda v: v["a"] + 0.1 * v["b"]
>>> si = sobol_indices(f, {"a": "uniform(0,1)", "b": "uniform(0,1)"}, n=1024, kpi="y")
>>> si["ST"].round(2).tolist()
[0.99, 0.01]

References
----------
Saltelli, A. et al. (2008). *Global Sensitivity Analysis: The Primer*. Wiley.
doi:10.1002/9780470725184
Saltelli, A. et al. (2010). Comput. Phys. Commun. 181(2), 259-270. doi:10.1016/j.cpc.2009.09.018
Morris, M. D. (1991). Technometrics 33(2), 161-174. doi:10.1080/00401706.1991.10484804
Herman, J., Usher, W. (2017). SALib. J. Open Source Softw. 2(9), 97. doi:10.21105/joss.00097
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .distributions import Choice, Distribution
from .errors import SweepInputError, SweepRuntimeError
from .evaluate import evaluate
from .params import bind, fixed_values, free_bind, parameter_table, sampled, values_from_u
from .result import SweepResult

__all__ = ["sobol_indices", "morris_indices", "spearman", "tornado", "break_even_surface",
           "Surface", "summary", "feedstock_route_matrix"]

_CHUNK = 65_536
DEFAULT_KPIS = ("msp_eur_per_t", "co2_emitted_t_per_y")


class _Model:
    """A flowsheet or a plain function, evaluated on value dicts in bounded chunks."""

    def __init__(self, model: Any, params: Mapping[str, Any]) -> None:
        self.model = model
        self.is_fs = hasattr(model, "simulate") and hasattr(model, "parameters")
        if not self.is_fs and not callable(model):
            raise SweepInputError(f"expected a flowsheet or a function, got {type(model).__name__}")
        self.dists = bind(model, params) if self.is_fs else free_bind(params)
        self.free = sampled(self.dists)
        self.fixed = fixed_values(self.dists)

    def __call__(self, values: Mapping[str, np.ndarray], n: int) -> tuple[dict[str, np.ndarray],
                                                                           np.ndarray]:
        if not self.is_fs:
            out = self.model({**{k: np.full(n, v) for k, v in self.fixed.items()}, **values})
            if hasattr(out, "kpis"):
                out = out.kpis
            if isinstance(out, pd.DataFrame):
                kpis = {str(c): out[c].to_numpy(dtype=float) for c in out.columns}
            elif isinstance(out, Mapping):
                kpis = {str(k): np.asarray(v, dtype=float) for k, v in out.items()}
            else:
                kpis = {"y": np.asarray(out, dtype=float).reshape(n)}
            return kpis, np.full(n, "ok", dtype=object)
        kp: list[dict[str, np.ndarray]] = []
        st: list[np.ndarray] = []
        for s in range(0, n, _CHUNK):
            e = min(s + _CHUNK, n)
            k, status = evaluate(self.model, {k: v[s:e] for k, v in values.items()}, self.fixed,
                                 e - s)
            kp.append(k)
            st.append(status)
        names = list(dict.fromkeys(name for k in kp for name in k))
        kpis = {name: np.concatenate([k.get(name, np.full(len(s), np.nan)) for k, s in zip(kp, st)])
                for name in names}
        return kpis, np.concatenate(st)

    def kpi(self, values: Mapping[str, np.ndarray], n: int, kpi: str) -> tuple[np.ndarray,
                                                                               np.ndarray]:
        kpis, status = self(values, n)
        if kpi not in kpis:
            if not self.is_fs and len(kpis) == 1:
                return next(iter(kpis.values())), status
            raise SweepInputError(f"unknown KPI {kpi!r}; the model gives {sorted(kpis)}")
        return kpis[kpi], status


def _clip_unbounded(dist: Distribution, u: np.ndarray, lo: float = 0.01) -> np.ndarray:
    return u if dist.bounded else lo + (1 - 2 * lo) * u


def _require_finite(y: np.ndarray, status: np.ndarray, what: str) -> None:
    bad = ~np.isfinite(y)
    if bad.any():
        reasons = pd.Series(status[bad]).value_counts().head(3).to_dict()
        raise SweepRuntimeError(f"{what}: {int(bad.sum())} of {y.size} cases have no finite KPI "
                                f"(statuses: {reasons}); these indices need every case")


def _problem(free: Mapping[str, Distribution]) -> dict[str, Any]:
    if not free:
        raise SweepInputError("no uncertain parameter (all are constants)")
    return {"num_vars": len(free), "names": list(free), "bounds": [[0.0, 1.0]] * len(free)}


def sobol_indices(model: Any, params: Mapping[str, Any], n: int = 1024, *,
                  kpi: str | Sequence[str] = "msp_eur_per_t", second_order: bool = False,
                  seed: int = 0, num_resamples: int = 100,
                  conf_level: float = 0.95) -> pd.DataFrame | dict[str, pd.DataFrame]:
    """First-order and total Sobol' indices (Saltelli sampling, Jansen/Saltelli 2010 estimators).

    Costs ``n (d + 2)`` model evaluations (``n (2 d + 2)`` with ``second_order``); ``n`` a power
    of 2 keeps the Sobol' sequence balanced.

    Returns
    -------
    DataFrame indexed by parameter with columns S1, S1_conf, ST, ST_conf (``attrs``: kpi, n,
    n_evaluations, and S2 / S2_conf DataFrames with ``second_order``); a dict of those by KPI
    when ``kpi`` is a list.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    m = _Model(model, params)
    problem = _problem(m.free)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*balance properties of Sobol",
                                category=UserWarning)
        U = sobol_sample.sample(problem, int(n), calc_second_order=second_order, scramble=True,
                                seed=seed)
    values = values_from_u(m.free, U)
    kpis, status = m(values, len(U))
    names = [kpi] if isinstance(kpi, str) else list(kpi)
    out = {}
    for name in names:
        if name not in kpis and not (not m.is_fs and len(kpis) == 1):
            raise SweepInputError(f"unknown KPI {name!r}; the model gives {sorted(kpis)}")
        y = kpis.get(name, next(iter(kpis.values())))
        _require_finite(y, status, f"Sobol' indices of {name}")
        with np.errstate(divide="ignore", invalid="ignore"):
            r = sobol_analyze.analyze(problem, y, calc_second_order=second_order,
                                      num_resamples=num_resamples, conf_level=conf_level,
                                      print_to_console=False, seed=seed)
        df = pd.DataFrame({"S1": r["S1"], "S1_conf": r["S1_conf"], "ST": r["ST"],
                           "ST_conf": r["ST_conf"]}, index=pd.Index(problem["names"],
                                                                    name="parameter"))
        df.attrs.update(kpi=name, n=int(n), n_evaluations=len(U))
        if second_order:
            df.attrs["S2"] = pd.DataFrame(r["S2"], index=df.index, columns=df.index)
            df.attrs["S2_conf"] = pd.DataFrame(r["S2_conf"], index=df.index, columns=df.index)
        out[name] = df
    return out[names[0]] if isinstance(kpi, str) else out


def morris_indices(model: Any, params: Mapping[str, Any], r: int = 20, *,
                   kpi: str = "msp_eur_per_t", num_levels: int = 4, seed: int = 0,
                   num_resamples: int = 100) -> pd.DataFrame:
    """Morris elementary effects (screening): mu, mu_star, sigma, mu_star_conf per parameter.

    Effects are per unit change of the input's quantile (u from 0 to 1 spans a bounded
    distribution; the 1st to 99th percentile of an unbounded one), so they compare across
    parameters of different units. Costs ``r (d + 1)`` evaluations.
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    m = _Model(model, params)
    problem = _problem(m.free)
    U = morris_sample.sample(problem, int(r), num_levels=num_levels, seed=seed)
    values = {k: d.ppf(_clip_unbounded(d, U[:, j])) for j, (k, d) in enumerate(m.free.items())}
    y, status = m.kpi(values, len(U), kpi)
    _require_finite(y, status, f"Morris indices of {kpi}")
    res = morris_analyze.analyze(problem, U, y, num_resamples=num_resamples,
                                 num_levels=num_levels, print_to_console=False, seed=seed)
    df = pd.DataFrame({c: np.asarray(res[c], dtype=float)
                       for c in ("mu", "mu_star", "sigma", "mu_star_conf")},
                      index=pd.Index(problem["names"], name="parameter"))
    df.attrs.update(kpi=kpi, r=int(r), n_evaluations=len(U))
    return df.sort_values("mu_star", ascending=False)


def _frame(data: SweepResult | pd.DataFrame, columns: Sequence[str] | None) -> pd.DataFrame:
    if isinstance(data, SweepResult):
        cols = None if columns is None else list(dict.fromkeys([*columns, "status"]))
        return data.to_pandas(columns=cols)
    if isinstance(data, pd.DataFrame):
        return data
    raise SweepInputError(f"expected a SweepResult or a DataFrame, got {type(data).__name__}")


def spearman(data: SweepResult | pd.DataFrame, kpis: Sequence[str] | None = None,
             params: Sequence[str] | None = None) -> pd.DataFrame:
    """Spearman rank correlation of every numeric swept input with every KPI (ok cases only).

    Returns a DataFrame indexed by parameter, one column per KPI.
    """
    if isinstance(data, SweepResult):
        params = list(params or [k for k, d in data.parameters.items() if d.kind == "float"
                                 and d.dist != "constant"])
        kpis = list(kpis or data.kpi_names)
    elif params is None or kpis is None:
        raise SweepInputError("spearman(DataFrame): give params and kpis")
    df = _frame(data, [*params, *kpis])
    if "status" in df:
        df = df[df["status"] == "ok"]
    missing = [c for c in [*params, *kpis] if c not in df.columns]
    if missing:
        raise SweepInputError(f"columns not in the data: {missing}")
    ranks = df[[*params, *kpis]].astype(float).rank().to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = np.corrcoef(ranks, rowvar=False)
    p = len(params)
    return pd.DataFrame(corr[:p, p:], index=pd.Index(params, name="parameter"), columns=kpis)


def summary(data: SweepResult | pd.DataFrame, kpis: Sequence[str] | None = None,
            percentiles: Sequence[float] = (5, 10, 25, 50, 75, 90, 95)) -> pd.DataFrame:
    """Distribution of each KPI over the ok cases: n_ok, n_failed, mean, std, min, percentiles,
    max (default KPIs: MSP and CO2 emitted, where present)."""
    if kpis is None:
        names = data.kpi_names if isinstance(data, SweepResult) else list(data.columns)
        kpis = [k for k in DEFAULT_KPIS if k in names] or [
            k for k in names if k not in ("case", "status")]
    df = _frame(data, list(kpis))
    ok = (df["status"] == "ok").to_numpy() if "status" in df else np.ones(len(df), bool)
    rows = {}
    for k in kpis:
        if k not in df.columns:
            raise SweepInputError(f"unknown KPI {k!r}; columns: {list(df.columns)}")
        y = df[k].to_numpy(dtype=float)[ok]
        y = y[np.isfinite(y)]
        row = {"n_ok": int(y.size), "n_failed": int(len(df) - y.size)}
        if y.size:
            row.update(mean=y.mean(), std=y.std(ddof=1) if y.size > 1 else 0.0, min=y.min())
            row.update({f"p{q:g}": v for q, v in zip(percentiles, np.percentile(y, percentiles))})
            row["max"] = y.max()
        rows[k] = row
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("kpi")


def _base_values(m: _Model, base: Mapping[str, Any] | None) -> dict[str, Any]:
    """Base case of every model parameter that is varied: table default, else median."""
    out: dict[str, Any] = {}
    table = parameter_table(m.model) if m.is_fs else None
    for k, d in m.dists.items():
        v = None
        if base is not None and k in base:
            v = base[k]
        elif table is not None:
            # the flowsheet's current value (a route sets its own), else the declared default
            v = table.loc[k, "value"] if "value" in table.columns else table.loc[k, "default"]
        if v is None or (isinstance(v, float) and not np.isfinite(v)):
            v = d.ppf(np.array(0.5)).item()  # no usable value (e.g. NaN = "from data"): median
        out[k] = v
    return out


def tornado(model: Any, params: Mapping[str, Any], *, kpi: str = "msp_eur_per_t",
            base: Mapping[str, Any] | None = None, quantiles: tuple[float, float] = (0.1, 0.9),
            use_bounds: bool = False) -> pd.DataFrame:
    """One-at-a-time sensitivity around a base case, in one vectorised evaluation.

    Each parameter goes to its distribution's low/high ``quantiles`` (default 10th/90th
    percentiles) or, with ``use_bounds``, to its support (bounded distributions); a choice
    tries every value and reports the ones giving the lowest and highest KPI. The base case is
    the flowsheet's defaults (or ``base``).

    Returns a DataFrame sorted by decreasing ``swing`` = |kpi_high - kpi_low| with columns
    parameter, low, high, kpi_low, kpi_high, swing; ``attrs["base_kpi"]`` is the base value.
    """
    m = _Model(model, params)
    basev = _base_values(m, base)
    plan: list[tuple[str, Any]] = []  # (parameter, value) for rows after the base row
    for k, d in m.free.items():
        if isinstance(d, Choice):
            plan += [(k, v) for v in d.values]
        else:
            q = (0.0, 1.0) if use_bounds and d.bounded else quantiles
            plan += [(k, d.ppf(np.array(q[0])).item()), (k, d.ppf(np.array(q[1])).item())]
    n = 1 + len(plan)
    values: dict[str, np.ndarray] = {}
    for k in m.free:
        v0 = basev[k]
        values[k] = np.full(n, v0, dtype=object if isinstance(v0, str) else float)
    for i, (k, v) in enumerate(plan, start=1):
        values[k][i] = v
    values = {k: v.astype(str) if v.dtype == object else v for k, v in values.items()}
    y, status = m.kpi(values, n, kpi)
    rows = []
    i = 1
    for k, d in m.free.items():
        if isinstance(d, Choice):
            ys = y[i:i + len(d.values)]
            lo_i, hi_i = int(np.nanargmin(ys)), int(np.nanargmax(ys))
            rows.append((k, d.values[lo_i], d.values[hi_i], ys[lo_i], ys[hi_i]))
            i += len(d.values)
        else:
            rows.append((k, values[k][i], values[k][i + 1], y[i], y[i + 1]))
            i += 2
    df = pd.DataFrame(rows, columns=["parameter", "low", "high", "kpi_low", "kpi_high"])
    df["swing"] = (df["kpi_high"] - df["kpi_low"]).abs()
    df = df.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    df.attrs.update(kpi=kpi, base_kpi=float(y[0]), base=basev, base_status=str(status[0]))
    return df


@dataclass
class Surface:
    """A KPI over a grid of two parameters: ``z[i, j]`` at ``y[i]``, ``x[j]``."""

    x_name: str
    y_name: str
    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    kpi: str
    status: np.ndarray

    def frame(self) -> pd.DataFrame:
        """``z`` as a DataFrame: index y values, columns x values."""
        return pd.DataFrame(self.z, index=pd.Index(self.y, name=self.y_name),
                            columns=pd.Index(self.x, name=self.x_name))

    def break_even_x(self, target: float) -> np.ndarray:
        """For each y, the x at which the KPI crosses ``target`` (NaN where it does not)."""
        out = np.full(self.y.size, np.nan)
        for i, row in enumerate(self.z):
            d = row - target
            idx = np.nonzero(np.sign(d[:-1]) * np.sign(d[1:]) <= 0)[0]
            if idx.size:
                j = idx[0]
                out[i] = self.x[j] if d[j + 1] == d[j] else (
                    self.x[j] - d[j] * (self.x[j + 1] - self.x[j]) / (d[j + 1] - d[j]))
        return out


def _range(m: _Model, name: str, given: tuple[float, float] | None) -> tuple[float, float]:
    if given is not None:
        lo, hi = given
        if m.is_fs:
            from carbonhub.units import to_si

            unit = parameter_table(m.model).loc[name, "unit"]
            if isinstance(unit, str) and unit not in ("", "-"):
                lo, hi = to_si(lo, unit, name=name), to_si(hi, unit, name=name)
        return float(lo), float(hi)
    if name in m.free:
        d = m.free[name]
        q = (0.0, 1.0) if d.bounded else (0.05, 0.95)
        return float(d.ppf(np.array(q[0]))), float(d.ppf(np.array(q[1])))
    if m.is_fs:
        row = parameter_table(m.model).loc[name]
        lo, hi = float(row["lower"]), float(row["upper"])
        if np.isfinite(lo) and np.isfinite(hi):
            return lo, hi
    raise SweepInputError(f"break-even surface: give a range for {name!r} (x_range / y_range) or "
                          "a distribution in params")


def break_even_surface(model: Any, x: str, y: str, *, kpi: str = "msp_eur_per_t",
                       params: Mapping[str, Any] | None = None,
                       x_range: tuple[Any, Any] | None = None,
                       y_range: tuple[Any, Any] | None = None, n: int = 41,
                       base: Mapping[str, Any] | None = None) -> Surface:
    """The KPI on an ``n x n`` grid over parameters ``x`` and ``y``, others at the base case.

    Ranges default to the distributions in ``params`` (their support, or 5th-95th percentile),
    else to the parameters' [lower, upper]. Use :meth:`Surface.break_even_x` or
    :func:`~carbonhub.sweep.plots.plot_break_even` with a target (e.g. a market price).
    """
    params = dict(params or {})
    m = _Model(model, params)
    if m.is_fs:
        from .params import check_names

        check_names(parameter_table(model), [x, y])
    xs = np.linspace(*_range(m, x, x_range), n)
    ys = np.linspace(*_range(m, y, y_range), n)
    basev = _base_values(m, base)
    X, Y = np.meshgrid(xs, ys)
    values: dict[str, np.ndarray] = {}
    for k in m.free:
        v0 = basev[k]
        values[k] = np.full(X.size, v0, dtype=None if isinstance(v0, str) else float)
    values[x], values[y] = X.ravel(), Y.ravel()
    z, status = m.kpi(values, X.size, kpi)
    return Surface(x, y, xs, ys, z.reshape(X.shape), kpi, status.reshape(X.shape))


def feedstock_route_matrix(flowsheets: Sequence[Any] | Mapping[str, Any],
                           params: Mapping[str, Any], n: int = 1000, *,
                           route_params: Mapping[str, Mapping[str, Any]] | None = None,
                           feedstocks: Sequence[str] | None = None, method: str = "lhs",
                           seed: int = 0,
                           kpis: Sequence[str] = ("msp_eur_per_t", "carbon_efficiency"),
                           percentiles: Sequence[float] = (5, 50, 95)) -> pd.DataFrame:
    """Every feedstock through every route that accepts it, under the same uncertainties.

    For each route (``fs.name``) and each feedstock among the choices of its
    ``feed.feedstock`` parameter (limited to ``feedstocks`` if given; an entry of ``feedstocks``
    may also be a blend, ``"rdf:0.6,wood_chips:0.4"``, set as ``feed.blend``), ``n`` cases of the
    uncertain ``params`` (shared by all routes; ``route_params[route]`` adds route-specific ones)
    are evaluated in memory with the same seeded design (common random numbers, so differences
    between cells are not sampling noise).

    Returns a long DataFrame: route, feedstock, n_ok, n_failed, and per KPI its mean and
    percentiles (``msp_eur_per_t_p50`` ...).
    """
    from .samplers import make_sampler

    items = list(flowsheets.items()) if isinstance(flowsheets, Mapping) else [
        (str(fs.name), fs) for fs in flowsheets]
    rows = []
    for rname, fs in items:
        table = parameter_table(fs)
        if "feed.feedstock" not in table.index:
            raise SweepInputError(f"route {rname!r} has no feed.feedstock parameter")
        accepted = [str(c) for c in (table.loc["feed.feedstock", "choices"] or [])]
        use = [f for f in accepted if feedstocks is None or f in feedstocks]
        use += [f for f in (feedstocks or []) if ":" in f and "feed.blend" in table.index]
        spec = {**params, **dict((route_params or {}).get(rname, {}))}
        for feed in use:
            m = _Model(fs, {**spec, ("feed.blend" if ":" in feed else "feed.feedstock"): feed})
            s = make_sampler(method, n=n, seed=seed, dists=m.free)
            values = values_from_u(m.free, s.u(0, s.n_cases))
            k, status = m(values, s.n_cases)
            ok = status == "ok"
            row: dict[str, Any] = {"route": rname, "feedstock": feed, "n_ok": int(ok.sum()),
                                   "n_failed": int((~ok).sum())}
            for name in kpis:
                y = k.get(name, np.full(s.n_cases, np.nan))[ok]
                y = y[np.isfinite(y)]
                row[f"{name}_mean"] = y.mean() if y.size else np.nan
                for q, v in zip(percentiles, np.percentile(y, percentiles) if y.size else
                                [np.nan] * len(percentiles)):
                    row[f"{name}_p{q:g}"] = v
            rows.append(row)
    return pd.DataFrame(rows)
