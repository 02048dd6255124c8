"""The site water balance behind ``res.plot.water()``: in and out close with the cooling tower,
the demineralisation of the process steam and the reuse loop; the loop on both bars equals the
reuse KPI; the figure draws the loop."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.report.flows import site_water_flows

pytestmark = pytest.mark.component


@pytest.fixture(scope="module")
def res():
    fs = ch.routes.load("co2_methanol_mto")
    return fs.simulate(params={"water.reuse": np.array(["none", "cooling_tower", "demin"])})


@pytest.mark.parametrize("case", [0, 1, 2])
def test_site_water_closes_and_shows_the_reuse(res, case):
    b = site_water_flows(res, case)
    assert b.total_in == pytest.approx(b.total_out, rel=1e-9)
    k = res.kpis.iloc[case]
    r_in = b.inputs.loc[b.inputs["kind"] == "reuse", "value"].sum()
    r_out = b.outputs.loc[b.outputs["kind"] == "reuse", "value"].sum()
    assert r_in == r_out == pytest.approx(float(k["water_reused_t_per_h"]), rel=1e-12)
    assert (r_in > 0) == (case > 0)
    ct = b.outputs[b.outputs["label"].str.startswith("cooling tower")]["value"].sum()
    assert ct == pytest.approx(float(k["cooling_tower_makeup_t_per_h"]), rel=1e-12)


def test_water_figure_draws_the_loop(res):
    fig = res.plot.water(case=1)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any(t.startswith("reuse loop") for t in texts), texts
    assert len(fig.axes) == 2
