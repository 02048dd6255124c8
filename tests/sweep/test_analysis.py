"""Sensitivity analysis: Sobol' indices of the Ishigami function against their analytic values,
Morris, Spearman, tornado, break-even surface, KPI summaries, feedstock x route matrix, plots."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate

from carbonhub.sweep import SweepInputError, SweepRuntimeError, run
from carbonhub.sweep.analysis import (break_even_surface, feedstock_route_matrix, morris_indices,
                                      sobol_indices, spearman, summary, tornado)
from carbonhub.sweep.plots import (plot_break_even, plot_distribution, plot_sobol, plot_spearman,
                                   plot_tornado)

A, B = 7.0, 0.1
ISHIGAMI_PARAMS = {f"x{i}": f"uniform({-math.pi!r},{math.pi!r})" for i in (1, 2, 3)}


def ishigami(v):
    """f = sin x1 + a sin^2 x2 + b x3^4 sin x1 (Ishigami & Homma 1990)."""
    return np.sin(v["x1"]) + A * np.sin(v["x2"]) ** 2 + B * v["x3"] ** 4 * np.sin(v["x1"])


def _mean(g):
    """E[g(x)] for x ~ U(-pi, pi), by quadrature."""
    return integrate.quad(g, -math.pi, math.pi, epsabs=1e-13, epsrel=1e-13)[0] / (2 * math.pi)


def ishigami_indices(a, b):
    """Analytic first-order and total indices (Saltelli et al. 2008, The Primer, sec. 4.9).

    The ANOVA terms of f are f1(x1) = sin x1 (1 + b E[x3^4]), f2(x2) = a (sin^2 x2 - E sin^2),
    f13(x1, x3) = b sin x1 (x3^4 - E[x3^4]); so V1 = E[sin^2] (1 + b E[x^4])^2,
    V2 = a^2 Var(sin^2 x), V13 = b^2 E[sin^2] Var(x^4), V3 = 0, and V = V1 + V2 + V13.
    """
    e_sin2 = _mean(lambda x: math.sin(x) ** 2)                       # 1/2
    var_sin2 = _mean(lambda x: math.sin(x) ** 4) - e_sin2**2          # 3/8 - 1/4
    e_x4 = _mean(lambda x: x**4)                                      # pi^4 / 5
    var_x4 = _mean(lambda x: x**8) - e_x4**2                          # pi^8/9 - pi^8/25
    v1 = e_sin2 * (1 + b * e_x4) ** 2
    v2 = a**2 * var_sin2
    v13 = b**2 * e_sin2 * var_x4
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


@pytest.mark.unit
def test_analytic_ishigami_indices_match_the_published_values():
    s1, st = ishigami_indices(A, B)
    np.testing.assert_allclose(s1, [0.3139, 0.4424, 0.0], atol=5e-5)
    np.testing.assert_allclose(st, [0.5576, 0.4424, 0.2437], atol=5e-5)


@pytest.mark.component
@pytest.mark.parametrize("seed", [0, 1])
def test_sobol_indices_reproduce_ishigami(seed):
    n = 2**14  # 16384 x (3 + 2) = 81,920 evaluations; the estimators' error is ~1/sqrt(n)
    si = sobol_indices(ishigami, ISHIGAMI_PARAMS, n=n, kpi="y", seed=seed)
    s1, st = ishigami_indices(A, B)
    tol = 1.5 / math.sqrt(n)  # ~0.012, several times the QMC error observed at this n
    np.testing.assert_allclose(si["S1"].to_numpy(), s1, atol=tol)
    np.testing.assert_allclose(si["ST"].to_numpy(), st, atol=tol)
    assert list(si.index) == ["x1", "x2", "x3"] and si.attrs["n_evaluations"] == 5 * n
    assert (si["ST_conf"] < 0.05).all()


@pytest.mark.component
def test_sobol_indices_on_a_flowsheet_with_second_order(fs):
    params = {f"ishigami.x{i}": f"uniform({-math.pi!r},{math.pi!r})" for i in (1, 2, 3)}
    si = sobol_indices(fs, params, n=2**12, kpi=["ishigami", "msp_eur_per_t"],
                       second_order=True, seed=3)
    s1, st = ishigami_indices(A, B)
    np.testing.assert_allclose(si["ishigami"]["S1"].to_numpy(), s1, atol=0.03)
    np.testing.assert_allclose(si["ishigami"]["ST"].to_numpy(), st, atol=0.03)
    s2 = si["ishigami"].attrs["S2"]
    # the only interaction of the Ishigami function is x1-x3: S13 = V13 / V = ST3
    assert s2.loc["ishigami.x1", "ishigami.x3"] == pytest.approx(st[2], abs=0.05)
    assert abs(s2.loc["ishigami.x1", "ishigami.x2"]) < 0.05


@pytest.mark.component
def test_sobol_indices_refuse_failed_cases(make_fs):
    with pytest.raises(SweepRuntimeError, match="no finite KPI"):
        sobol_indices(make_fs(fail_above_T=1400.0), {"gasifier.T": "uniform(1100,1500)"}, n=64)


@pytest.mark.component
def test_sobol_and_morris_rank_the_route_inputs(fs):
    params = {"prices.feedstock_eur_per_t": "uniform(40,160)", "gasifier.T": "uniform(1150,1350)",
              "costing.capex_factor": "tri(0.8,1,1.3)", "feed.feedstock": "choice(wood_chips,"
              "wheat_straw)", "gasifier.P": "normal(25e5,1e4)"}
    si = sobol_indices(fs, params, n=1024, seed=1)
    assert si["ST"].idxmax() == "prices.feedstock_eur_per_t"
    assert si.loc["gasifier.P", "ST"] < 0.01
    mo = morris_indices(fs, params, r=30, seed=1)
    assert mo.index[0] == "prices.feedstock_eur_per_t"
    assert mo.loc["gasifier.P", "mu_star"] < 0.05 * mo["mu_star"].max()


@pytest.mark.component
def test_spearman_and_summary_of_a_sweep(fs, params, tmp_path):
    res = run(fs, params, n=2000, seed=1, out=tmp_path / "s", progress=False)
    rho = spearman(res)
    assert "feed.feedstock" not in rho.index and "gasifier.P" not in rho.index  # text, constant
    assert rho.loc["prices.feedstock_eur_per_t", "msp_eur_per_t"] > 0.2
    assert abs(rho.loc["ft.alpha", "co2_emitted_t_per_y"]) > 0.1
    df = res.df
    ref = df[["prices.feedstock_eur_per_t", "msp_eur_per_t"]].corr(method="spearman").iloc[0, 1]
    assert rho.loc["prices.feedstock_eur_per_t", "msp_eur_per_t"] == pytest.approx(ref, abs=1e-12)
    s = summary(res)
    assert list(s.index) == ["msp_eur_per_t", "co2_emitted_t_per_y"]
    assert s.loc["msp_eur_per_t", "n_ok"] == 2000
    assert s.loc["msp_eur_per_t", "p50"] == pytest.approx(df["msp_eur_per_t"].median())
    assert (s["p5"] < s["p50"]).all() and (s["p50"] < s["p95"]).all()


@pytest.mark.component
def test_summary_counts_failed_cases(make_fs, params, tmp_path):
    res = run(make_fs(fail_above_T=1400.0), params, n=400, seed=1, out=tmp_path / "f",
              progress=False)
    s = summary(res, ["carbon_efficiency"])
    n_failed = int((res.df["status"] != "ok").sum())
    assert n_failed > 0 and s.loc["carbon_efficiency", "n_failed"] == n_failed
    with pytest.raises(SweepInputError, match="unknown column.*nope"):
        summary(res, ["nope"])


@pytest.mark.component
def test_tornado_one_at_a_time_around_the_defaults(fs):
    params = {"prices.feedstock_eur_per_t": "tri(60,80,120) EUR/t",
              "gasifier.T": "uniform(1100,1500)", "feed.feedstock": "choice(wood_chips,"
              "wheat_straw,miscanthus)", "costing.capex_factor": "normal(1,0.1)"}
    t = tornado(fs, params)
    base = fs.simulate({}).kpis["msp_eur_per_t"][0]
    assert t.attrs["base_kpi"] == pytest.approx(base)
    row = t.set_index("parameter").loc["prices.feedstock_eur_per_t"]
    from carbonhub.sweep.distributions import Triangular

    tri = Triangular(60, 80, 120)
    assert row["low"] == pytest.approx(tri.ppf(np.array(0.1)))
    hi = fs.simulate({"prices.feedstock_eur_per_t": row["high"]}).kpis["msp_eur_per_t"][0]
    assert row["kpi_high"] == pytest.approx(hi)
    feed = t.set_index("parameter").loc["feed.feedstock"]
    assert feed["low"] == "wood_chips"  # highest carbon content, lowest MSP
    assert t["swing"].is_monotonic_decreasing
    bounds = tornado(fs, params, use_bounds=True).set_index("parameter")
    assert (bounds.loc["gasifier.T", "low"], bounds.loc["gasifier.T", "high"]) == (1100, 1500)


@pytest.mark.component
def test_break_even_surface(fs):
    surf = break_even_surface(fs, "prices.feedstock_eur_per_t", "costing.capex_factor",
                              x_range=(40, 160), y_range=(0.5, 1.5), n=21)
    assert surf.z.shape == (21, 21)
    i, j = 7, 12
    direct = fs.simulate({"prices.feedstock_eur_per_t": surf.x[j],
                          "costing.capex_factor": surf.y[i]}).kpis["msp_eur_per_t"][0]
    assert surf.z[i, j] == pytest.approx(direct)
    target = float(np.median(surf.z))
    xb = surf.break_even_x(target)
    ok = np.isfinite(xb)
    assert ok.any()
    k = int(np.nonzero(ok)[0][0])
    at = fs.simulate({"prices.feedstock_eur_per_t": xb[k], "costing.capex_factor": surf.y[k]})
    assert at.kpis["msp_eur_per_t"][0] == pytest.approx(target, rel=1e-9)  # MSP linear in price
    assert surf.frame().shape == (21, 21)
    with pytest.raises(SweepInputError, match="unknown parameter"):
        break_even_surface(fs, "prices.feedstock", "costing.capex_factor")


@pytest.mark.component
def test_feedstock_route_matrix(make_fs):
    routes = [make_fs(name="route_a"), make_fs(name="route_b")]
    m = feedstock_route_matrix(routes, {"prices.feedstock_eur_per_t": "tri(60,80,120)"}, n=200,
                               route_params={"route_b": {"gasifier.T": "uniform(1300,1400)"}},
                               feedstocks=["wood_chips", "wheat_straw"])
    assert list(zip(m["route"], m["feedstock"])) == [
        ("route_a", "wood_chips"), ("route_a", "wheat_straw"),
        ("route_b", "wood_chips"), ("route_b", "wheat_straw")]
    assert (m["n_ok"] == 200).all()
    assert (m["msp_eur_per_t_p5"] < m["msp_eur_per_t_p95"]).all()
    a = m.set_index(["route", "feedstock"])
    assert a.loc[("route_a", "wood_chips"), "carbon_efficiency_p50"] > \
        a.loc[("route_a", "wheat_straw"), "carbon_efficiency_p50"]


@pytest.mark.component
def test_plots_return_figures(tmp_path):
    from matplotlib.figure import Figure

    t = pd.DataFrame({"parameter": ["a", "b"], "low": [1.0, "x"], "high": [2.0, "y"],
                      "kpi_low": [9.0, 9.5], "kpi_high": [12.0, 10.5], "swing": [3.0, 1.0]})
    t.attrs.update(base_kpi=10.0, kpi="msp_eur_per_t")
    si = pd.DataFrame({"S1": [0.3, 0.4], "S1_conf": [0.01, 0.02], "ST": [0.5, 0.4],
                       "ST_conf": [0.02, 0.01]}, index=["a", "b"])
    rho = pd.DataFrame({"msp": [0.8, -0.3]}, index=["a", "b"])
    from carbonhub.sweep.analysis import Surface

    x, y = np.linspace(0, 1, 5), np.linspace(0, 2, 4)
    surf = Surface("a", "b", x, y, x[None, :] + y[:, None], "msp", np.full((4, 5), "ok"))
    figs = [plot_tornado(t), plot_sobol(si), plot_spearman(rho),
            plot_distribution(np.random.default_rng(0).normal(size=500), "msp"),
            plot_break_even(surf, target=1.5)]
    for i, f in enumerate(figs):
        assert isinstance(f, Figure)
        f.savefig(tmp_path / f"{i}.png")
        assert (tmp_path / f"{i}.png").stat().st_size > 1000
