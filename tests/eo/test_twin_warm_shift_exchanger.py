"""biomass_ft's twin, built at the defaults, re-solved warm at another case (the first case of
``benchmarks/bench_eo.py --smoke``): with the gasification island's shift feed-effluent
exchanger ``wgs_feh`` the shift's feed arrives at its T and its preheat duty is round-off. A twin
that sized the shift's preheat exchanger on that duty gave the TEA a size ratio of noise over
noise, bounded positive, which the first Newton step drove through its bound: IPOPT's warm run
went into restoration for 150+ iterations (minutes) before the cold retry solved it. The warm
run must end optimal by itself, in a Newton-like number of iterations (IPOPT's own count, no
timing), on the core's answer at that case (rtol 1e-6: main product and CO2 emitted, exact
physics of the re-used twin)."""
from __future__ import annotations

import contextlib
import io
import re

import pytest

import carbonhub as ch

RTOL = 1e-6
CASE = {"gasifier.T": 1193.7643199907, "ft.alpha": 0.9180288941238421,
        "ft.co_conversion": 0.6623174805493501, "purge.fraction": 0.228245822121963}


@pytest.mark.integration
@pytest.mark.solver
@pytest.mark.slow  # one route twin build (~20 s of CPU) and two solves
def test_biomass_ft_twin_warm_solve_with_the_shift_exchanger():
    import pyomo.environ as pyo

    from carbonhub.eo import kpis, solve

    fs = ch.routes.load("biomass_ft")
    here = fs.parameters().set_index("name")["value"]  # case 0: the route's values; case 1: CASE
    res = fs.simulate(params={k: [float(here[k]), v] for k, v in CASE.items()})
    assert (res.status == "ok").all(), res.status
    assert float(res.unit_results["wgs_feh"].design["duty_W"][0]) > 1e6  # the exchanger is in the route
    assert abs(float(res.unit_results["wgs"].heat[0])) <= 1.0  # the shift's preheat: round-off

    m = fs.to_pyomo(case=0, res=res)
    assert str(solve(m).solver.termination_condition) == "optimal"
    for name, v in CASE.items():
        uid, p = name.split(".", 1)
        getattr(m.fs, uid).par[p].fix(v)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        r = solve(m, tee=True, options={"max_iter": 100})
    log = buf.getvalue()
    assert str(r.solver.termination_condition) == "optimal"
    exits = re.findall(r"EXIT: (.*)", log)
    assert exits == ["Optimal Solution Found."], exits  # the warm run itself, no cold retry
    its = int(re.findall(r"Number of Iterations\.*:\s*(\d+)", log)[-1])
    assert its <= 30, its

    k, kc = kpis(m), res.kpis.iloc[1]
    assert k["co2_emitted_t_per_y"] == pytest.approx(float(kc["co2_emitted_t_per_y"]), rel=RTOL)
    q = sum(float(kc[f"products_t_per_h.{p}"]) for p in fs.economics_spec["main_products"]
            if f"products_t_per_h.{p}" in kc.index)
    assert k["main_product_t_per_h"] == pytest.approx(q, rel=RTOL)
    assert pyo.value(m.fs.wgs_feh.duty) == pytest.approx(float(res.unit_results["wgs_feh"].design["duty_W"][1]), rel=RTOL)
