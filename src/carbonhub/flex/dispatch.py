"""Hour-by-hour dispatch and sizing of a flexible plant: a linear programme solved by HiGHS.

Variables (per hour t of the profile; loads relative to the steady-state plant, H2 in units of
its H2 rate ``H0`` [kg/h], methanol in units of its methanol rate ``M0`` [t/h]):

* ``e[t]`` electrolyser load, ``m[t]`` synthesis load, ``o[t]`` downstream (MtO) load;
* ``c[t]``, ``d[t]`` H2 into and out of the store, ``s[t]`` H2 stored [H0 h];
* ``q[t]`` methanol stored [M0 h];
* sizes ``A``, ``B``, ``G`` (capacities of electrolysis, synthesis, downstream), ``SH`` (H2 store
  [H0 h]), ``CH`` (storage compressor [H0]), ``SM`` (methanol tank [M0 h]).

Each clock hour is ``w = operating_hours / 8760`` on-stream hours (the planned outages of the
steady-state TEA spread evenly over the year), so the plant at load 1 in every hour is the
steady-state plant. A profile shorter than a year (whole days: a representative period, see
:class:`~carbonhub.flex.prices.PriceProfile`) repeats through the year: the buffers cycle with
the period and every annual sum counts each of its hours ``8760 / n`` times (exact for a
periodic year: averaging the shifted solutions of a convex problem). Constraints::

    min_load * A <= e[t] <= A     |e[t] - e[t-1]| <= ramp * A     (the same for m/B and o/G)
    e[t] + d[t] = m[t] + c[t]                       H2 balance of the hour
    c[t] <= e[t],  c[t] <= CH,  d[t] <= m[t]        store fed by the electrolyser, feeds synthesis
    s[t] = s[t-1] + w (c[t] - d[t]),  0 <= s[t] <= SH         (cyclic: hour -1 is hour 8759)
    q[t] = q[t-1] + w (m[t] - o[t]),  0 <= q[t] <= SM
    sum_t o[t] = 8760                                 the steady-state annual product
    P[t] = P_E e[t] + P_S m[t] + P_O o[t] + k_c H0 c[t]        [MW], k_c: compression [MWh/kg]

Objective: the route's MSP, linearised in the sizes and the electricity bill
``sum_t w price[t] P[t]`` (:meth:`FlexPlant.gradients`, exact for the linear costs: the MSP is
affine in the bill and in every cost with exponent 1). The linearisation is redone at the
solution until the sizes settle (sequential LP); the reported MSP is always the route's own
TEA at the final sizes and bill (:meth:`FlexPlant.msp`), never the LP's estimate.

With a flat price, storage only costs and oversizing only costs, so the optimum is the steady
state: full load every hour, no buffers, and the steady-state MSP.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from carbonhub.flex.plant import FlexPlant, Sizes
from carbonhub.flex.prices import HOURS_PER_YEAR, PriceProfile

__all__ = ["Limits", "Dispatch", "solve_dispatch", "SIZE_NAMES"]

SIZE_NAMES = ("electrolyser", "synthesis", "downstream", "h2_storage_kg", "h2_charge_kg_per_h",
              "methanol_storage_t")


@dataclass(frozen=True)
class Limits:
    """Operating limits (fractions of each section's capacity; defaults property_data/flex.yaml)."""

    electrolyser_min_load: float
    electrolyser_ramp_per_h: float
    synthesis_min_load: float
    synthesis_ramp_per_h: float
    downstream_min_load: float
    downstream_ramp_per_h: float

    @classmethod
    def default(cls, **override: float) -> "Limits":
        from carbonhub.flex.plant import flex_data

        d = {k: float(v["value"]) for k, v in flex_data()["limits"].items()}
        bad = [k for k in override if k not in d]
        if bad:
            raise ValueError(f"unknown limit {bad[0]!r}; expected one of {', '.join(d)}")
        d.update({k: float(v) for k, v in override.items()})
        for k, v in d.items():
            if not (0.0 <= v <= 1.0 if k.endswith("min_load") else 0.0 < v <= 10.0):
                raise ValueError(f"limit {k} = {v!r}: expected a fraction of capacity "
                                 f"{'in [0, 1]' if k.endswith('min_load') else 'per hour in (0, 10]'}")
        return cls(**d)


@dataclass
class Dispatch:
    """Solution of :func:`solve_dispatch`: hourly arrays (length of the profile), sizes, MSP."""

    plant: FlexPlant
    profile: PriceProfile
    limits: Limits
    sizes: Sizes
    electrolyser_load: np.ndarray
    synthesis_load: np.ndarray
    downstream_load: np.ndarray
    h2_to_store_kg_per_h: np.ndarray
    h2_from_store_kg_per_h: np.ndarray
    h2_stored_kg: np.ndarray
    methanol_stored_t: np.ndarray
    power_MW: np.ndarray
    weight_h: float
    msp_eur_per_t: float
    iterations: int
    solve_s: float
    build_s: float
    n_variables: int
    n_constraints: int
    termination: str
    history: list = field(default_factory=list)

    @property
    def electricity_MWh_per_y(self) -> float:
        return float(self.weight_h * self.power_MW.sum())

    @property
    def electricity_cost_eur_per_y(self) -> float:
        return float(self.weight_h * (self.profile.price_eur_per_MWh * self.power_MW).sum())


VARS = ("e", "mm", "o", "c", "d", "s", "q")
SIZE_VARS = ("A", "B", "G", "SH", "CH", "SM")


N_BLOCKS = len(VARS) + len(SIZE_VARS)
"""Column blocks of n: the hourly variables, then one hourly copy of every size chained by
``K[t] = K[t-1]``, so that no column is dense (measured on the shipped year: the same HiGHS
interior-point time as one column per size, 66 iterations, 38 s CPU; presolve copes with
either)."""


class _Rows:
    """Sparse constraint rows ``lo <= A x <= hi`` collected block by block (vectorised)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.i, self.j, self.v, self.lo, self.hi = [], [], [], [], []
        self.m = 0

    def col(self, name: str, shift: int = 0) -> np.ndarray:
        k = VARS.index(name) if name in VARS else len(VARS) + SIZE_VARS.index(name)
        return k * self.n + (np.arange(self.n) - shift) % self.n  # cyclic year

    def chain(self, name: str) -> None:
        """``K[t] - K[t-1] = 0`` for t = 1 .. n-1: every hourly copy of size ``name`` equal."""
        c = self.col(name)
        r = self.m + np.arange(self.n - 1)
        self.i += [r, r]
        self.j += [c[1:], c[:-1]]
        self.v += [np.ones(self.n - 1), -np.ones(self.n - 1)]
        self.lo.append(np.zeros(self.n - 1))
        self.hi.append(np.zeros(self.n - 1))
        self.m += self.n - 1

    def add(self, terms, lo: float, hi: float, count: int | None = None) -> None:
        k = self.n if count is None else count
        r = self.m + np.arange(k) if count is None else np.full(self.n, self.m)
        for cols, coef in terms:
            self.i.append(r)
            self.j.append(cols)
            self.v.append(np.broadcast_to(np.asarray(coef, dtype=float), (self.n,)))
        self.lo.append(np.full(k, lo))
        self.hi.append(np.full(k, hi))
        self.m += k

    def matrix(self):
        from scipy.sparse import csc_matrix

        n_col = N_BLOCKS * self.n
        a = csc_matrix((np.concatenate(self.v), (np.concatenate(self.i), np.concatenate(self.j))),
                       shape=(self.m, n_col))
        a.sum_duplicates()
        return a, np.concatenate(self.lo), np.concatenate(self.hi)


def _build(plant: FlexPlant, n: int, limits: Limits, methanol_storage: bool):
    """The constraint matrix of the dispatch LP (module docstring) for ``n`` hours. Without a
    methanol tank the downstream load is the synthesis load (``o`` and ``q`` are fixed at 0 and
    left out of every row; the downstream capacity equals the synthesis capacity)."""
    w = plant.hours / HOURS_PER_YEAR   # on-stream hours per clock hour (buffers move this much)
    inf = np.inf
    R = _Rows(n)
    c = R.col
    L = limits
    sections = [("e", "A", L.electrolyser_min_load, L.electrolyser_ramp_per_h),
                ("mm", "B", L.synthesis_min_load, L.synthesis_ramp_per_h)]
    if methanol_storage:
        sections.append(("o", "G", L.downstream_min_load, L.downstream_ramp_per_h))
    else:   # one train: the stricter of the two sections' limits
        sections[1] = ("mm", "B", max(L.synthesis_min_load, L.downstream_min_load),
                       min(L.synthesis_ramp_per_h, L.downstream_ramp_per_h))
    for x, cap, lo, ramp in sections:
        R.add([(c(x), 1.0), (c(cap), -1.0)], -inf, 0.0)
        if lo > 0:
            R.add([(c(x), 1.0), (c(cap), -lo)], 0.0, inf)
        if ramp < 1.0:
            R.add([(c(x), 1.0), (c(x, 1), -1.0), (c(cap), -ramp)], -inf, 0.0)
            R.add([(c(x), -1.0), (c(x, 1), 1.0), (c(cap), -ramp)], -inf, 0.0)
    R.add([(c("e"), 1.0), (c("d"), 1.0), (c("mm"), -1.0), (c("c"), -1.0)], 0.0, 0.0)   # H2 balance
    R.add([(c("c"), 1.0), (c("e"), -1.0)], -inf, 0.0)
    R.add([(c("c"), 1.0), (c("CH"), -1.0)], -inf, 0.0)
    R.add([(c("d"), 1.0), (c("mm"), -1.0)], -inf, 0.0)
    R.add([(c("s"), 1.0), (c("s", 1), -1.0), (c("c"), -w), (c("d"), w)], 0.0, 0.0)      # H2 store
    R.add([(c("s"), 1.0), (c("SH"), -1.0)], -inf, 0.0)
    if methanol_storage:
        R.add([(c("q"), 1.0), (c("q", 1), -1.0), (c("mm"), -w), (c("o"), w)], 0.0, 0.0)  # methanol
        R.add([(c("q"), 1.0), (c("SM"), -1.0)], -inf, 0.0)
        R.add([(c("o"), 1.0)], float(n), float(n), count=1)                               # product
    else:
        R.add([(c("mm"), 1.0)], float(n), float(n), count=1)
        R.add([(c("G"), 1.0), (c("B"), -1.0)], 0.0, 0.0)
    for k in SIZE_VARS:
        R.chain(k)
    return R.matrix()


def _bill_coefficients(plant: FlexPlant, price: np.ndarray, methanol_storage: bool) -> np.ndarray:
    """d(electricity bill [EUR/y]) / d(hourly variables), zero for the sizes."""
    n = price.size
    w = plant.hours / n
    P = plant.power_MW
    per = {"e": P["electrolysis"], "mm": P["synthesis"], "o": P["downstream"],
           "c": plant.compression_MWh_per_kg * plant.h2_kg_per_h}
    if not methanol_storage:
        per["mm"] += per.pop("o")
    out = np.zeros(N_BLOCKS * n)
    for v, p in per.items():
        k = VARS.index(v)
        out[k * n:(k + 1) * n] = w * price * p
    return out


def _energy_coefficients(plant: FlexPlant, n: int, methanol_storage: bool) -> np.ndarray:
    return _bill_coefficients(plant, np.ones(n), methanol_storage)


def solve_dispatch(plant: FlexPlant, profile: PriceProfile, *, limits: Limits | None = None,
                   fixed: Mapping[str, float] | None = None, methanol_storage: bool = False,
                   max_iter: int = 6, tol: float = 1e-4, solver: str = "choose") -> Dispatch:
    """Minimum-MSP sizes and hourly dispatch of ``plant`` against ``profile`` (module docstring).

    Parameters
    ----------
    limits : Limits, optional
        Minimum loads and ramp limits (default :meth:`Limits.default`).
    fixed : mapping, optional
        Sizes held fixed (names of :class:`Sizes`), e.g. ``{"electrolyser": 1.5,
        "h2_storage_kg": 2e5}``; the others are decision variables.
    methanol_storage : bool
        Allow a methanol tank between synthesis and MtO (else downstream follows synthesis).
    max_iter, tol : sequential-LP iterations; they end when no size changes by more than
        ``tol`` (relative) or the MSP improves by less than ``tol`` x 1e-3 (relative).
    A year whose every day is the same (prices and grid intensity; e.g. a flat price) is solved
    on that day as a representative period (exact, see the module docstring) and the hourly
    results are repeated over the year.

    solver : {"choose", "simplex", "ipm"}
        HiGHS's LP method ("choose": simplex up to two weeks of hours, interior point with
        crossover above; a warm-started simplex was slower than a new interior-point solve for
        a year).
    """
    import highspy

    day = _repeating_day(profile)
    if day is not None:   # a year that repeats one day is solved exactly on that day
        d = solve_dispatch(plant, day, limits=limits, fixed=fixed, methanol_storage=methanol_storage,
                           max_iter=max_iter, tol=tol, solver=solver)
        return _tile_year(d, profile)
    limits = limits or Limits.default()
    fixed = dict(fixed or {})
    bad = [k for k in fixed if k not in SIZE_NAMES]
    if bad:
        raise ValueError(f"fixed size {bad[0]!r} unknown; expected one of {', '.join(SIZE_NAMES)}")
    for k, v in fixed.items():
        if not np.isfinite(v) or v < 0:
            raise ValueError(f"fixed size {k} = {v!r}: expected a finite value >= 0")
    n = profile.n_hours
    H0, M0 = plant.h2_kg_per_h, plant.methanol_t_per_h
    scale = {"electrolyser": ("A", 1.0), "synthesis": ("B", 1.0), "downstream": ("G", 1.0),
             "h2_storage_kg": ("SH", H0), "h2_charge_kg_per_h": ("CH", H0), "methanol_storage_t": ("SM", M0)}
    size_col = {k: (len(VARS) + SIZE_VARS.index(var)) * n for k, (var, _) in scale.items()}  # copy 0
    t0 = time.perf_counter()
    a, row_lo, row_hi = _build(plant, n, limits, methanol_storage)
    col_lo = np.zeros(a.shape[1])
    col_hi = np.full(a.shape[1], np.inf)
    for k, v in fixed.items():
        col_lo[size_col[k]:size_col[k] + n] = col_hi[size_col[k]:size_col[k] + n] = float(v) / scale[k][1]
    if not methanol_storage:
        col_hi[size_col["methanol_storage_t"]:size_col["methanol_storage_t"] + n] = 0.0
        for v in ("o", "q"):
            k = VARS.index(v)
            col_hi[k * n:(k + 1) * n] = 0.0
    bill_c = _bill_coefficients(plant, profile.price_eur_per_MWh, methanol_storage)
    energy_c = _energy_coefficients(plant, n, methanol_storage)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = a.shape[1], a.shape[0]
    lp.col_cost_ = np.zeros(a.shape[1])
    lp.col_lower_, lp.col_upper_ = col_lo, col_hi
    lp.row_lower_, lp.row_upper_ = row_lo, row_hi
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = a.shape[1], a.shape[0]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("primal_feasibility_tolerance", 1e-10)
    h.setOptionValue("dual_feasibility_tolerance", 1e-10)
    if solver not in ("choose", "simplex", "ipm"):
        raise ValueError(f"solver = {solver!r}: expected 'choose', 'simplex' or 'ipm'")
    h.setOptionValue("solver", "ipm" if solver == "ipm" or (solver == "choose" and n > 24 * 14) else "simplex")
    h.passModel(lp)
    build_s = time.perf_counter() - t0

    def sizes_of(x: np.ndarray) -> Sizes:
        # non-negative variables: a HiGHS tolerance of -1e-10 is zero
        return Sizes(**{k: max(float(x[size_col[k]]), 0.0) * sc for k, (_, sc) in scale.items()})

    sizes = Sizes(**{**Sizes().as_dict(), **fixed})
    e_mwh = plant.steady_electricity_MWh_per_y
    bill = e_mwh * profile.mean_eur_per_MWh
    history, solve_s, best = [], 0.0, None
    term = "not solved"
    all_cols = np.arange(a.shape[1], dtype=np.int32)
    for it in range(1, max_iter + 1):
        g = plant.gradients(sizes, e_mwh, bill)
        cost = g["electricity_eur_per_y"] * bill_c
        for k, (_, sc) in scale.items():
            cost[size_col[k]] = g[k] * sc
        h.changeColsCost(a.shape[1], all_cols, cost)
        t1 = time.perf_counter()
        h.run()
        solve_s += time.perf_counter() - t1
        term = h.modelStatusToString(h.getModelStatus())
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"flex dispatch LP: HiGHS ended with {term!r} (iteration {it})")
        x = np.maximum(np.asarray(h.getSolution().col_value), 0.0)
        new = sizes_of(x)
        e_mwh = float(energy_c @ x)
        bill = float(bill_c @ x)
        msp = plant.msp(new, e_mwh, bill)
        history.append({"iteration": it, "msp_eur_per_t": msp, **new.as_dict()})
        if best is None or msp < best[0] - 1e-12 * abs(best[0]):
            best = (msp, new, {v: x[k * n:(k + 1) * n] for k, v in enumerate(VARS)}, e_mwh, bill)
        change = max(abs(getattr(new, k) - getattr(sizes, k)) / max(abs(getattr(sizes, k)), abs(getattr(new, k)),
                                                                    1.0 if k in ("electrolyser", "synthesis",
                                                                                 "downstream") else 1e-9)
                     for k in SIZE_NAMES)
        sizes = new
        stalled = len(history) > 1 and abs(history[-2]["msp_eur_per_t"] - msp) <= 1e-3 * tol * abs(msp)
        if change <= tol or stalled:
            break
    msp, sizes, x, e_mwh, bill = best
    if not methanol_storage:
        x["o"] = x["mm"].copy()
    P = plant.power_MW
    power = (P["electrolysis"] * x["e"] + P["synthesis"] * x["mm"] + P["downstream"] * x["o"]
             + plant.compression_MWh_per_kg * H0 * x["c"])
    nv = int(np.sum(col_lo < col_hi))   # hourly copies of the sizes included
    nc = int(a.shape[0])
    w = plant.hours / n
    return Dispatch(plant, profile, limits, sizes, x["e"], x["mm"], x["o"], x["c"] * H0, x["d"] * H0,
                    x["s"] * H0, x["q"] * M0, power, w, msp, len(history), solve_s, build_s,
                    nv, nc, term, history)



def _repeating_day(profile: PriceProfile) -> PriceProfile | None:
    """The day that ``profile`` (a year) repeats 365 times, or None."""
    if profile.period or profile.n_hours != HOURS_PER_YEAR:
        return None
    days = profile.price_eur_per_MWh.reshape(365, 24)
    g = profile.grid_co2_t_per_MWh
    gd = None if g is None else g.reshape(365, 24)
    if not (days == days[0]).all() or (gd is not None and not (gd == gd[0]).all()):
        return None
    return PriceProfile(days[0].copy(), None if gd is None else gd[0].copy(), name=profile.name, period=True)


def _tile_year(d: Dispatch, year: PriceProfile) -> Dispatch:
    """The solution of a repeated day as the year's hourly arrays."""
    from dataclasses import replace

    k = HOURS_PER_YEAR // d.profile.n_hours
    arrays = ("electrolyser_load", "synthesis_load", "downstream_load", "h2_to_store_kg_per_h",
              "h2_from_store_kg_per_h", "h2_stored_kg", "methanol_stored_t", "power_MW")
    return replace(d, profile=year, weight_h=d.plant.hours / HOURS_PER_YEAR,
                   **{a: np.tile(getattr(d, a), k) for a in arrays})
