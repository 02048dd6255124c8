"""The sweep on a real `carbonhub.core` flowsheet (the DESIGN.md demo: source -> heater -> sink),
not only on the test double: the contract (parameters(), simulate(), kpis, status) holds."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import carbonhub as ch
from carbonhub.sweep import SweepInputError, run, tornado


def _demo():
    from carbonhub.unitops.basic import Heater
    from carbonhub.unitops.sources import GasSource, Sink

    fs = ch.Flowsheet("demo", components=ch.ComponentSet.from_ids(["H2", "CO", "H2O"]))
    src = fs.add(GasSource("syngas", composition={"H2": 2, "CO": 1}, flow=10.0, T=300.0, P=30e5))
    hx = fs.add(Heater("heater", T=500.0))
    out = fs.add(Sink("out"))
    fs.connect(src.outlets.out, hx.inlets.feed)
    fs.connect(hx.outlets.out, out.inlets.feed)
    return fs


@pytest.mark.integration
def test_sweep_of_a_core_flowsheet_matches_direct_simulation(tmp_path):
    fs = _demo()
    params = {"heater.T": "uniform(127,327) degC", "syngas.flow": "tri(5,10,20)"}
    res = run(fs, params, n=600, method="sobol", seed=1, out=tmp_path / "demo", chunk_size=256,
              progress=False)
    df = res.df
    assert res.route == "demo" and len(df) == 600 and (df["status"] == "ok").all()
    assert df["heater.T"].between(400.15, 600.15).all()  # degC converted to the parameter's K
    direct = fs.simulate({"heater.T": df["heater.T"].to_numpy(),
                          "syngas.flow": df["syngas.flow"].to_numpy()})
    kpis = direct.kpis
    for col in res.kpi_names:
        if col in kpis and pd.api.types.is_numeric_dtype(kpis[col]):
            np.testing.assert_array_equal(df[col].to_numpy(), kpis[col].to_numpy(dtype=float))


@pytest.mark.integration
def test_core_flowsheet_errors_and_tornado(tmp_path):
    fs = _demo()
    with pytest.raises(SweepInputError, match="unknown parameter 'heater.temperature'.*heater.T"):
        run(fs, {"heater.temperature": "uniform(400,600)"}, n=10, out=tmp_path / "x",
            progress=False)
    with pytest.raises(SweepInputError, match="heater.T.*outside the allowed range"):
        run(fs, {"heater.T": "uniform(100,600)"}, n=10, out=tmp_path / "x", progress=False)
    t = tornado(fs, {"syngas.flow": "uniform(5,20)", "heater.T": "uniform(400,600)"},
                kpi="feed_dry_t_per_h")
    assert set(t["parameter"]) == {"syngas.flow", "heater.T"}
