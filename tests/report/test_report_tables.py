"""Text and DataFrame tables: KPI summary, stream table, unit table, balance table."""
from __future__ import annotations

import doctest

import numpy as np
import pytest
from report_toy import FAILED_REASON, build_toy

from carbonhub.report import tables
from carbonhub.report.tables import balance_table, kpi_summary, kpi_table, stream_table, unit_table


@pytest.mark.unit
def test_kpi_summary_single_case(res1):
    text = kpi_summary(res1)
    lines = text.splitlines()
    assert lines[0] == "toy_sng: 1 case, 1 ok"
    assert lines[1].split() == ["KPI", "unit", "case", "0"]
    for name in res1.kpis.columns:
        assert any(line.startswith(name + " ") for line in lines), name
    ce = next(line for line in lines if line.startswith("carbon_efficiency "))
    assert ce.split()[-1] == f"{res1.kpis['carbon_efficiency'][0]:.4f}"
    # aligned: every data row has the same length up to the last column
    widths = {len(line) for line in lines[1:]}
    assert len(widths) == 1


@pytest.mark.unit
def test_kpi_summary_few_cases_one_column_each(toy):
    res = toy.simulate(params={"loop.fraction": [0.1, 0.2, 0.3]})
    head = kpi_summary(res).splitlines()[1]
    assert head.split() == ["KPI", "unit", "case", "0", "case", "1", "case", "2"]


@pytest.mark.unit
def test_kpi_summary_many_cases_percentiles(res_multi):
    text = kpi_summary(res_multi)
    assert "12 cases, 11 ok" in text.splitlines()[0]
    assert text.splitlines()[1].split() == ["KPI", "unit", "p5", "p50", "p95", "n", "ok"]
    t = kpi_table(res_multi)
    ok = np.asarray(res_multi.status) == "ok"
    a = res_multi.kpis["carbon_efficiency"].to_numpy()[ok]
    assert t.loc["carbon_efficiency", "p50"] == pytest.approx(np.percentile(a, 50))
    assert t.loc["carbon_efficiency", "n ok"] == 11
    assert FAILED_REASON not in text  # per-case status only in the per-case layout


@pytest.mark.unit
def test_kpi_table_in_percent_with_explicit_units(res_costs):
    raw, pct = kpi_table(res_costs), kpi_table(res_costs, percent=True)
    assert raw.loc["carbon_efficiency", "unit"] == "-" and pct.loc["carbon_efficiency", "unit"] == "%"
    assert pct.loc["carbon_efficiency", "case 0"] == pytest.approx(
        100.0 * res_costs.kpis["carbon_efficiency"][0], rel=1e-12)
    assert pct.loc["co2_emitted_t_per_y", "unit"] == "t CO2/y"
    assert pct.loc["co2_emitted_t_per_y", "case 0"] == raw.loc["co2_emitted_t_per_y", "case 0"]


@pytest.mark.unit
def test_stream_table(res1):
    st = stream_table(res1)
    assert list(st.columns) == [c.id for c in res1.flowsheet.connections]
    assert st.loc["from", "recycle"] == "loop.out" and st.loc["to", "recycle"] == "mixer.in3"
    assert st.loc["P [bar]", "syngas_out"] == pytest.approx(20.0)
    assert st.loc["T [°C]", "syngas_out"] == pytest.approx(320.0 - 273.15)
    assert st.loc["mass flow [t/h]", "natgas_out"] == pytest.approx(
        float(res1.stream_data["natgas_out"].mass_flow[0]) * 3.6)
    x = st.loc[[i for i in st.index if str(i).startswith("x ")]].astype(float)
    assert np.allclose(x.sum(axis=0), 1.0)
    assert set(x.index) == {f"x {c}" for c in ("H2", "CO", "CO2", "H2O", "CH4", "N2")}
    flows = stream_table(res1, basis="flow")
    assert flows.loc["CH4 [kmol/h]", "natgas_out"] == pytest.approx(4.75 * 3.6)
    with pytest.raises(ValueError, match="basis"):
        stream_table(res1, basis="mass")


@pytest.mark.unit
def test_unit_table(res1, res_costs):
    ut = unit_table(res1)
    assert list(ut.index) == list(res1.flowsheet.units)
    assert ut.loc["cooler", "type"] == "Heater"
    assert ut.loc["storage", "type"] == "Sink (co2_storage)"
    assert ut.loc["cooler", "heat [MW]"] == pytest.approx(float(res1.unit_results["cooler"].heat[0]) / 1e6)
    assert "area_m2 = " in ut.loc["cooler", "design"]
    assert "installed cost [MEUR]" not in ut.columns
    uc = unit_table(res_costs)
    assert uc.loc["agr", "installed cost [MEUR]"] == pytest.approx(5.0)
    assert np.isnan(uc.loc["mixer", "installed cost [MEUR]"])
    assert uc.loc["mixer", "cost note"] == ""


@pytest.mark.unit
def test_balance_table(res1):
    bt = balance_table(res1)
    assert "mixer" in bt.index and "syngas" not in bt.index  # sources/sinks are the boundary
    assert bt.loc["tolerance", "energy_rel"] == 1e-6 and bt.loc["tolerance", "C_rel"] == 1e-9
    assert (bt.loc["worst of all units"] <= bt.loc["tolerance"]).all()


@pytest.mark.unit
def test_failed_case_status_row():
    res = build_toy().simulate(params={"loop.fraction": [0.1, 0.2]})
    res.status = np.array(["ok", "infeasible spec"])
    text = kpi_summary(res)
    assert text.splitlines()[-1].split()[:3] == ["status", "ok", "infeasible"]
    assert "–" in text  # the failed case's KPIs are NaN


@pytest.mark.unit
def test_docstring_example():
    assert doctest.testmod(tables, raise_on_error=False).failed == 0
