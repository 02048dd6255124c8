"""A route twin built at the defaults and re-solved warm at a case where the core runs another
regime: biomass_methanol at gasifier.T = 1040 K (defaults 1143.15 K). There the loop purge no
longer fires the tar reformer (the core burns all of it, fuel_split.fraction = 1, plus
natural-gas make-up; at the defaults it burns 74 % and buys none) and the colder gas holds too
little water for S/C 2 ahead of the reformer (the core adds steam; at the defaults it adds
none). ``ch.eo.solve`` takes both from the core at the new point (``regimes="core"``) and the
re-used twin must land on the core's answer there (rtol 1e-6), with no rebuild by the user.
The reference is the core's solution of that case; the regimes asserted are read from the
core, not from the twin."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch

RTOL = 1e-6
T_BUILD, T_CROSS = 1143.15, 1040.0


@pytest.mark.integration
@pytest.mark.solver
@pytest.mark.slow  # two twin builds (the defaults, and the core's solution at the crossing): ~12 s of CPU
def test_twin_warm_from_defaults_crosses_into_makeup_and_steam_regime():
    import pyomo.environ as pyo

    from carbonhub.eo import kpis, solve, streams_from_model

    fs = ch.routes.load("biomass_methanol")
    res = fs.simulate(params={"gasifier.T": [T_BUILD, T_CROSS]})
    assert (res.status == "ok").all(), res.status
    split = res.param("fuel_split.fraction")
    makeup = res.unit_results["reformer_combustor"].design["makeup_heat_W"]
    steam = res.unit_results["reformer_steam"].design["steam_mol_s"]
    # the core's regimes differ between the two cases (what makes this a crossing)
    assert 0.0 < split[0] < 1.0 and makeup[0] == 0.0 and steam[0] == 0.0
    assert split[1] == 1.0 and makeup[1] > 1e6 and steam[1] > 1.0

    m = fs.to_pyomo(case=0, res=res)  # at the defaults, initialised from the core
    m.fs.gasifier.par["T"].fix(T_CROSS)
    term = str(solve(m).solver.termination_condition)
    assert term == "optimal", term

    assert pyo.value(m.fs.fuel_split.par["fraction"]) == 1.0
    assert pyo.value(m.fs.reformer_combustor.par["makeup_heat_W"]) == pytest.approx(float(makeup[1]), rel=RTOL)
    for sid, (flows, T, P) in streams_from_model(m).items():
        core = res.stream(sid)
        f = np.array([flows[j] for j in fs.components.ids])
        scale = max(float(core.total_flow[1]), 1e-9)
        assert np.abs(f - core.flow[1]).max() / scale <= RTOL, sid
        assert T == pytest.approx(float(core.T[1]), rel=RTOL), sid
        assert P == pytest.approx(float(core.P[1]), rel=RTOL), sid
    k, kc = kpis(m), res.kpis.iloc[1]
    # physics KPIs are exact in the re-used twin (its TEA is first-order about the build point)
    for name in ("co2_emitted_t_per_y", "carbon_efficiency", "reaction_water_t_per_h"):
        assert k[name] == pytest.approx(float(kc[name]), rel=RTOL, abs=1e-9), name
