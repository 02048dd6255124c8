"""Discounted cash flow, vectorised over cases: NPV, IRR, minimum selling price (closed form),
levelised cost.

Time grid (years, end-of-year cash flows, NPV referred to the end of year 0 = start of
operation, as in the NREL design reports)::

    t = -(n_c - 1) ... 0     construction: -FCI x schedule[t]; land at the first year;
                             working capital at t = 0
    t = 1 ... L              operation; year 1 has a start-up period (reduced revenue, variable
                             and fixed costs by the start-up factors); working capital (and land,
                             if ``recover_land``) recovered at t = L

Operating cash flow of year t::

    CF_t = (1 - tau) (R_t - C_t) + tau D_t,   R_t = q_t (p Q + R_by),  C_t = v_t C_var + f_t C_fix

with depreciation D_t of the FCI (MACRS, IRS Pub. 946 Table A-1 half-year convention, or
straight line) from year 1.

**Tax convention** -- tax losses are credited in the year they occur (negative tax, as in the
NREL design reports, which assume the plant belongs to a profitable parent company). Tax is
therefore linear in the cash flows, NPV is exactly linear in the product price p, and the
minimum selling price at the target IRR is the closed form

    MSP = p such that NPV(p) = 0  =  -NPV(p=0) / (dNPV/dp),   dNPV/dp = (1 - tau) Q sum_t q_t d_t

Everything is in real terms (no inflation; the IRR is a real rate). Financing is 100 % equity
(the IRR is the project IRR).

Example
-------
>>> import numpy as np
>>> from carbonhub.costing.dcf import CashFlowInputs, DCFParams, npv, minimum_selling_price
>>> cf = CashFlowInputs(fci=np.array([300e6]), main_product_t_per_y=np.array([100e3]),
...                     variable_opex_eur_per_y=np.array([40e6]),
...                     fixed_opex_eur_per_y=np.array([15e6]),
...                     working_capital_eur=np.array([15e6]))
>>> p = minimum_selling_price(cf, DCFParams())
>>> abs(float(npv(p, cf, DCFParams())[0])) < 1e-3
True

References
----------
.. [1] Humbird, D. et al. (2011). NREL/TP-5100-47764, doi:10.2172/1013269 (DCF conventions).
.. [2] US Internal Revenue Service, Publication 946, How To Depreciate Property, Table A-1.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Mapping, Sequence

import numpy as np

from carbonhub.data import load_yaml

__all__ = [
    "DCFParams",
    "CashFlowInputs",
    "depreciation_schedule",
    "year_factors",
    "npv",
    "npv_coefficients",
    "minimum_selling_price",
    "msp_breakdown",
    "levelised_cost",
    "cash_flows",
    "npv_of_cash_flows",
    "irr",
]


@lru_cache(maxsize=1)
def _dcf_defaults() -> dict:
    return load_yaml("tea_defaults.yaml")["dcf"]


def _dv(key: str):
    return _dcf_defaults()[key]["value"]


def _check_rate(rate, name: str = "irr") -> np.ndarray:
    r = np.asarray(rate, dtype=float)
    if np.any(~np.isfinite(r)) or np.any(r <= -1.0):
        bad = r[~np.isfinite(r) | (r <= -1.0)] if r.ndim else r
        raise ValueError(f"{name} must be > -1 and finite, got {float(np.ravel(bad)[0])!r}")
    return r


@dataclass(frozen=True)
class DCFParams:
    """Cash-flow conventions (defaults: tea_defaults.yaml, after Humbird et al. 2011).

    Attributes
    ----------
    irr : float or ndarray (n_cases,)
        Target real after-tax discount rate / IRR [-], > -1.
    life_y : int
        Operating life [y] after construction.
    construction_schedule : tuple of float
        Fraction of FCI spent in each construction year (sums to 1).
    income_tax_rate : float or ndarray
        Income tax rate [-], in [0, 1).
    depreciation : {"macrs", "straight_line"}
        Tax depreciation method of the FCI.
    depreciation_years : int
        MACRS class (3, 5, 7, 10, 15, 20) or straight-line period [y].
    startup_fraction_of_year : float
        Share of operating year 1 spent in start-up [-].
    startup_revenue_factor, startup_variable_cost_factor, startup_fixed_cost_factor : float
        Revenue / variable / fixed costs during start-up relative to normal operation [-].
    recover_working_capital, recover_land : bool
        Recover working capital / land at the end of life.
    """

    irr: float | np.ndarray = field(default_factory=lambda: float(_dv("irr")))
    life_y: int = field(default_factory=lambda: int(_dv("life_y")))
    construction_schedule: Sequence[float] = field(
        default_factory=lambda: tuple(float(x) for x in _dv("construction_schedule")))
    income_tax_rate: float | np.ndarray = field(
        default_factory=lambda: float(_dv("income_tax_rate")))
    depreciation: str = field(default_factory=lambda: str(_dv("depreciation")))
    depreciation_years: int = field(default_factory=lambda: int(_dv("depreciation_years")))
    startup_fraction_of_year: float = field(
        default_factory=lambda: float(_dv("startup_fraction_of_year")))
    startup_revenue_factor: float = field(
        default_factory=lambda: float(_dv("startup_revenue_factor")))
    startup_variable_cost_factor: float = field(
        default_factory=lambda: float(_dv("startup_variable_cost_factor")))
    startup_fixed_cost_factor: float = field(
        default_factory=lambda: float(_dv("startup_fixed_cost_factor")))
    recover_working_capital: bool = True
    recover_land: bool = False

    def __post_init__(self) -> None:
        _check_rate(self.irr, "irr")
        sched = np.asarray(self.construction_schedule, dtype=float)
        if sched.ndim != 1 or sched.size < 1 or np.any(sched < 0) \
                or abs(float(sched.sum()) - 1.0) > 1e-9:
            raise ValueError(f"construction_schedule must be non-negative fractions summing to 1, "
                             f"got {tuple(self.construction_schedule)!r}")
        if int(self.life_y) != self.life_y or self.life_y < 1:
            raise ValueError(f"life_y must be a positive whole number of years, got "
                             f"{self.life_y!r}")
        if self.life_y < sched.size:
            raise ValueError(f"plant life {self.life_y!r} y is shorter than the construction "
                             f"period ({sched.size} y)")
        tax = np.asarray(self.income_tax_rate, dtype=float)
        if np.any(tax < 0) or np.any(tax >= 1):
            raise ValueError(f"income_tax_rate must be in [0, 1), got {self.income_tax_rate!r}")
        if not 0.0 <= self.startup_fraction_of_year <= 1.0:
            raise ValueError(f"startup_fraction_of_year must be in [0, 1], got "
                             f"{self.startup_fraction_of_year!r}")
        for name in ("startup_revenue_factor", "startup_variable_cost_factor",
                     "startup_fixed_cost_factor"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)!r}")
        sched_dep = depreciation_schedule(self.depreciation, self.depreciation_years)
        if sched_dep.size > self.life_y:
            raise ValueError(f"depreciation schedule ({self.depreciation} "
                             f"{self.depreciation_years} y, {sched_dep.size} tax years) is "
                             f"longer than the plant life {self.life_y!r} y")

    @property
    def n_construction(self) -> int:
        """Number of construction years."""
        return len(self.construction_schedule)


@dataclass(frozen=True)
class CashFlowInputs:
    """Per-case economic quantities of a plant (arrays of shape (n_cases,) or scalars).

    Attributes
    ----------
    fci : ndarray
        Fixed capital investment [EUR] (depreciable, spent by the construction schedule).
    main_product_t_per_y : ndarray
        Main-product output at full operation [t/y], > 0.
    variable_opex_eur_per_y, fixed_opex_eur_per_y : ndarray
        Operating costs at full operation [EUR/y] (by-product credits NOT included).
    byproduct_revenue_eur_per_y : ndarray
        By-product revenue at full operation [EUR/y].
    working_capital_eur, land_eur : ndarray
        [EUR].
    """

    fci: np.ndarray
    main_product_t_per_y: np.ndarray
    variable_opex_eur_per_y: np.ndarray
    fixed_opex_eur_per_y: np.ndarray
    byproduct_revenue_eur_per_y: np.ndarray | float = 0.0
    working_capital_eur: np.ndarray | float = 0.0
    land_eur: np.ndarray | float = 0.0


def depreciation_schedule(method: str, years: int) -> np.ndarray:
    """Fractions of the depreciable base deducted in operating years 1, 2, ... [-].

    ``"macrs"``: IRS Pub. 946 Table A-1 (half-year convention; ``years`` + 1 tax years);
    ``"straight_line"``: ``1/years`` for ``years`` years.

    Example
    -------
    >>> depreciation_schedule("macrs", 5).tolist()
    [0.2, 0.32, 0.192, 0.1152, 0.1152, 0.0576]
    """
    if method == "macrs":
        tables = _dcf_defaults()["macrs_tables"]
        tab = {int(k): v for k, v in tables.items() if str(k).isdigit()}
        if int(years) not in tab:
            raise ValueError(f"no MACRS table for {years!r} years; available: {sorted(tab)}")
        return np.asarray(tab[int(years)], dtype=float)
    if method == "straight_line":
        if int(years) != years or years < 1:
            raise ValueError(f"straight-line depreciation period must be a positive whole "
                             f"number of years, got {years!r}")
        return np.full(int(years), 1.0 / int(years))
    raise ValueError(f"unknown depreciation method {method!r}; expected 'macrs' or "
                     "'straight_line'")


def year_factors(params: DCFParams) -> dict[str, np.ndarray]:
    """Per-year factors on the time grid (plain numpy, length n_years): ``t`` (year index),
    ``build`` (share of the FCI spent), ``q``/``v``/``f`` (revenue, variable- and fixed-cost
    factors with the start-up year), ``dep`` (depreciation share). The Excel export writes
    them into its cash-flow sheet."""
    nc, life = params.n_construction, int(params.life_y)
    t = np.arange(-(nc - 1), life + 1)
    n = t.size
    op = t >= 1
    sf = params.startup_fraction_of_year

    def startup(factor):
        v = op.astype(float)
        v[t == 1] = 1.0 - sf + sf * factor
        return v

    build = np.zeros(n)
    build[:nc] = np.asarray(params.construction_schedule, dtype=float)
    dep = np.zeros(n)
    sched = depreciation_schedule(params.depreciation, params.depreciation_years)
    dep[nc:nc + sched.size] = sched
    return {"t": t, "build": build, "q": startup(params.startup_revenue_factor),
            "v": startup(params.startup_variable_cost_factor),
            "f": startup(params.startup_fixed_cost_factor), "dep": dep}


def npv_coefficients(params: DCFParams, rate=None) -> dict[str, np.ndarray]:
    """Discounted sums of the per-year factors at ``rate`` (default ``params.irr``).

    Returns ``S_build, S_q, S_v, S_f, S_dep, d_first, d_end`` with ``d_t = (1 + r)^-t``; scalars
    if the rate is a scalar, else arrays (n_cases,). One loop over the years, none over cases.
    """
    r = _check_rate(params.irr if rate is None else rate, "discount rate")
    if r.ndim == 1 and r.size > 1 and (r == r[0]).all():  # one rate for the batch: the sums once,
        one = npv_coefficients(params, r[:1])  # by the same operations as for a batch of one case
        return {k: np.full(r.shape, v[0]) for k, v in one.items()}
    fac = year_factors(params)
    acc = {k: np.zeros_like(r) for k in ("S_build", "S_q", "S_v", "S_f", "S_dep")}
    log1r = np.log1p(r)
    for i, t in enumerate(fac["t"]):
        d = np.exp(-t * log1r)
        acc["S_build"] = acc["S_build"] + fac["build"][i] * d
        acc["S_q"] = acc["S_q"] + fac["q"][i] * d
        acc["S_v"] = acc["S_v"] + fac["v"][i] * d
        acc["S_f"] = acc["S_f"] + fac["f"][i] * d
        acc["S_dep"] = acc["S_dep"] + fac["dep"][i] * d
    acc["d_first"] = np.exp(-fac["t"][0] * log1r)
    acc["d_end"] = np.exp(-fac["t"][-1] * log1r)
    return acc


def _npv_parts(cf: CashFlowInputs, params: DCFParams, rate=None, tax=None):
    """NPV = A + B p: returns (A, B) arrays."""
    s = npv_coefficients(params, rate)
    tau = np.asarray(params.income_tax_rate if tax is None else tax, dtype=float)
    fci = np.asarray(cf.fci, dtype=float)
    wc = np.asarray(cf.working_capital_eur, dtype=float)
    land = np.asarray(cf.land_eur, dtype=float)
    q = np.asarray(cf.main_product_t_per_y, dtype=float)
    wc_back = s["d_end"] if params.recover_working_capital else 0.0
    land_back = s["d_end"] if params.recover_land else 0.0
    a = (-fci * s["S_build"] - land * (s["d_first"] - land_back) - wc * (1.0 - wc_back)
         + (1.0 - tau) * (np.asarray(cf.byproduct_revenue_eur_per_y, dtype=float) * s["S_q"]
                          - np.asarray(cf.variable_opex_eur_per_y, dtype=float) * s["S_v"]
                          - np.asarray(cf.fixed_opex_eur_per_y, dtype=float) * s["S_f"])
         + tau * fci * s["S_dep"])
    b = (1.0 - tau) * q * s["S_q"]
    return a, b


def npv(price, cf: CashFlowInputs, params: DCFParams | None = None, *, rate=None) -> np.ndarray:
    """Net present value [EUR] at main-product price ``price`` [EUR/t] and ``rate``.

    Parameters
    ----------
    price : float or ndarray, shape (n_cases,)
        Main-product selling price [EUR/t].
    cf : CashFlowInputs
    params : DCFParams, optional
    rate : float or ndarray, optional
        Discount rate [-]; default ``params.irr``.
    """
    params = params or DCFParams()
    a, b = _npv_parts(cf, params, rate)
    return np.atleast_1d(a + b * np.asarray(price, dtype=float))


def _check_product(cf: CashFlowInputs) -> None:
    q = np.asarray(cf.main_product_t_per_y, dtype=float)
    if np.any(~np.isfinite(q)) or np.any(q <= 0):
        raise ValueError(f"main product output must be > 0 t/y for a selling price, got "
                         f"{float(np.min(q))!r} t/y")


def minimum_selling_price(cf: CashFlowInputs, params: DCFParams | None = None) -> np.ndarray:
    """Minimum selling price [EUR/t] of the main product: NPV = 0 at ``params.irr`` (closed form).

    See the module docstring for the tax convention that makes NPV linear in the price.
    """
    params = params or DCFParams()
    _check_product(cf)
    a, b = _npv_parts(cf, params)
    return np.atleast_1d(-a / b)


def msp_breakdown(cf: CashFlowInputs, params: DCFParams | None = None, *,
                  variable: Mapping[str, object] | None = None,
                  fixed: Mapping[str, object] | None = None) -> dict[str, np.ndarray]:
    """Contributions to the minimum selling price [EUR/t]; they add up to the MSP exactly.

    ``capital`` (return on and of capital, working capital, land, net of the depreciation tax
    shield), one entry per variable and fixed cost item (``variable``/``fixed`` mappings that
    split ``cf.variable_opex_eur_per_y`` / ``cf.fixed_opex_eur_per_y``; a remainder, if any, is
    ``variable_other`` / ``fixed_other``) and ``byproduct_credit`` (negative).
    """
    params = params or DCFParams()
    _check_product(cf)
    s = npv_coefficients(params)
    tau = np.asarray(params.income_tax_rate, dtype=float)
    q = np.asarray(cf.main_product_t_per_y, dtype=float)
    fci = np.asarray(cf.fci, dtype=float)
    wc_back = s["d_end"] if params.recover_working_capital else 0.0
    land_back = s["d_end"] if params.recover_land else 0.0
    qs = q * s["S_q"]
    out = {"capital": np.atleast_1d(
        (fci * s["S_build"] + np.asarray(cf.land_eur, dtype=float) * (s["d_first"] - land_back)
         + np.asarray(cf.working_capital_eur, dtype=float) * (1.0 - wc_back)
         - tau * fci * s["S_dep"]) / ((1.0 - tau) * qs))}
    for items, total, weight, other in ((variable, cf.variable_opex_eur_per_y, s["S_v"],
                                         "variable_other"),
                                        (fixed, cf.fixed_opex_eur_per_y, s["S_f"],
                                         "fixed_other")):
        rest = np.asarray(total, dtype=float)
        for k, v in (items or {}).items():
            out[k] = np.atleast_1d(np.asarray(v, dtype=float) * weight / qs)
            rest = rest - np.asarray(v, dtype=float)
        if items is None or np.any(np.abs(rest) > 1e-9 * (np.abs(np.asarray(total)) + 1.0)):
            out[other] = np.atleast_1d(rest * weight / qs)
    out["byproduct_credit"] = np.atleast_1d(
        -np.asarray(cf.byproduct_revenue_eur_per_y, dtype=float) / q)
    return out


def levelised_cost(cf: CashFlowInputs, params: DCFParams | None = None, *,
                   rate=None) -> np.ndarray:
    """Levelised cost of the main product [EUR/t], pre-tax, net of by-product revenue.

    ``LCOP = sum_t d_t (capital_t + C_t - R_by,t) / sum_t d_t Q_t`` at ``rate`` (default
    ``params.irr``), i.e. the minimum selling price with a zero tax rate.
    """
    params = params or DCFParams()
    _check_product(cf)
    a, b = _npv_parts(cf, params, rate, tax=0.0)
    return np.atleast_1d(-a / b)


def cash_flows(price, cf: CashFlowInputs, params: DCFParams | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
    """Explicit after-tax cash flows [EUR] per year.

    Returns
    -------
    years : ndarray of int, shape (n_years,)
        Year index t (0 = end of construction).
    flows : ndarray, shape (n_years, n_cases)
        Cash flow of each year and case [EUR].
    """
    params = params or DCFParams()
    fac = year_factors(params)
    tau = np.asarray(params.income_tax_rate, dtype=float)
    arrs = np.broadcast_arrays(*(np.atleast_1d(np.asarray(x, dtype=float)) for x in (
        price, cf.fci, cf.main_product_t_per_y, cf.variable_opex_eur_per_y,
        cf.fixed_opex_eur_per_y, cf.byproduct_revenue_eur_per_y, cf.working_capital_eur,
        cf.land_eur)))
    p, fci, q, cv, cfix, rby, wc, land = arrs
    rev = p * q + rby
    t = fac["t"]
    out = np.empty((t.size, p.size))
    for i in range(t.size):
        r_t, c_t = fac["q"][i] * rev, fac["v"][i] * cv + fac["f"][i] * cfix
        out[i] = (1.0 - tau) * (r_t - c_t) + tau * fac["dep"][i] * fci - fac["build"][i] * fci
    out[0] -= land
    out[t == 0] -= wc
    if params.recover_working_capital:
        out[-1] += wc
    if params.recover_land:
        out[-1] += land
    return t, out


def npv_of_cash_flows(years, flows, rate) -> np.ndarray:
    """NPV [EUR] of explicit cash flows ``flows`` (n_years, n_cases) at ``rate``, at year 0."""
    r = _check_rate(rate, "discount rate")
    yrs = np.asarray(years, dtype=float)[:, None]
    return np.sum(np.asarray(flows, dtype=float) * np.exp(-yrs * np.log1p(r)), axis=0)


def irr(years, flows, *, lo: float = -0.99, hi: float = 10.0, tol: float = 1e-12,
        maxiter: int = 200) -> np.ndarray:
    """Internal rate of return per case, vectorised safeguarded Newton-bisection.

    Parameters
    ----------
    years : ndarray, shape (n_years,)
        Year index of each row of ``flows``.
    flows : ndarray, shape (n_years, n_cases)
        Cash flows [EUR].
    lo, hi : float
        Bracket searched [-]; ``lo`` > -1.
    tol : float
        Absolute tolerance on the rate.

    Returns
    -------
    ndarray, shape (n_cases,)
        IRR [-]; NaN where NPV does not change sign in [lo, hi] (no IRR, or not unique there).
    """
    _check_rate(lo, "irr bracket lo")
    cf = np.asarray(flows, dtype=float)
    if cf.ndim == 1:
        cf = cf[:, None]
    tt = np.asarray(years, dtype=float)
    tt = (tt - tt.min())[:, None]        # shift the origin: exponents >= 0, same roots

    def f_df(x):
        v = np.exp(-tt * np.log1p(x))    # (1+x)^-t
        f = np.sum(cf * v, axis=0)
        df = np.sum(-tt * cf * v / (1.0 + x), axis=0)
        return f, df

    n = cf.shape[1]
    a = np.full(n, float(lo))
    b = np.full(n, float(hi))
    fa, _ = f_df(a)
    fb, _ = f_df(b)
    ok = np.sign(fa) * np.sign(fb) <= 0
    x = np.where(ok, np.clip(0.1, a, b), np.nan)   # a typical start inside the bracket
    x = np.where(ok & (fa == 0), a, x)
    x = np.where(ok & (fb == 0), b, x)
    active = ok & (fa != 0) & (fb != 0)
    for _ in range(maxiter):
        if not np.any(active):
            break
        fx, dfx = f_df(np.where(active, x, 0.0))
        same_a = np.sign(fx) == np.sign(fa)
        a = np.where(active & same_a, x, a)
        fa = np.where(active & same_a, fx, fa)
        b = np.where(active & ~same_a, x, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            xn = x - fx / dfx
        bad = ~np.isfinite(xn) | (xn <= a) | (xn >= b)
        xn = np.where(bad, 0.5 * (a + b), xn)
        xn = np.where(fx == 0, x, xn)            # exact root: keep it
        done = active & ((np.abs(xn - x) < tol) | (fx == 0) | (b - a < tol))
        x = np.where(active, xn, x)
        active = active & ~done
    return x
