"""benchmarks/run_all.py writes RESULTS.md without losing what was written by hand: the notes file
comes back verbatim on every re-generation, the issue-14 status table gives each goal its latest
figure and run, and time limits come from the command line. No benchmark runs: RESULTS.md is
formatted from the stored benchmarks/results.json (expected values read from that JSON here)."""
from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
_spec = importlib.util.spec_from_file_location("run_all_under_test", BENCH / "run_all.py")
run_all = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run_all)

NOTES = """## Notes

- **eo**, measured since: min 2,341x (a hand-written figure), line one
  and its continuation, with a | pipe and a [link](HISTORY.md).

| a | b |
|---|---|
| 1 | 2 |
"""


def _stored() -> dict:
    return json.loads((BENCH / "results.json").read_text())


def _status_rows(md: str) -> dict[str, list[str]]:
    """The status table's rows by their first cell."""
    block = md.split("## Issue 14 status", 1)[1].split("\n\n")[2]
    rows = [ln.strip("|").split(" | ") for ln in block.splitlines()[2:]]
    return {r[0].strip(): [c.strip() for c in r] for r in rows}


@pytest.mark.unit
def test_the_notes_file_survives_every_regeneration(tmp_path):
    notes, md = tmp_path / "NOTES.md", tmp_path / "RESULTS.md"
    notes.write_text(NOTES)
    md.write_text("# old\n\n**Versions**: x.\n\n**Issue 14**: a paragraph inserted by hand into RESULTS.md.\n")
    run_all.report(_stored(), md, notes)
    first = md.read_text()
    run_all.report(_stored(), md, notes)
    second = md.read_text()
    assert first == second  # nothing accumulates, nothing is lost
    assert second.count(NOTES.strip()) == 1
    versions = second.index("**Versions**: ")
    assert versions < second.index(NOTES.strip()) < second.index("## Goals")
    assert "inserted by hand into RESULTS.md" not in second  # RESULTS.md itself is never the place
    notes.write_text(NOTES.replace("line one", "line one, edited"))
    run_all.report(_stored(), md, notes)
    third = md.read_text()
    assert "line one, edited" in third and third.count("## Notes") == 1


@pytest.mark.unit
def test_without_a_notes_file_the_report_is_written(tmp_path):
    md = tmp_path / "RESULTS.md"
    run_all.report(_stored(), md, tmp_path / "absent.md")
    text = md.read_text()
    assert "## Notes" not in text and "## Issue 14 status" in text and "## Goals" in text


@pytest.mark.unit
def test_history_is_linked_not_copied(tmp_path):
    md = tmp_path / "RESULTS.md"
    run_all.report(_stored(), md, tmp_path / "absent.md")
    text = md.read_text()
    for name in ("HISTORY.md", "solver_issue14.md", "gasification_speed_issue14.md"):
        first_heading = (BENCH / name).read_text().splitlines()[0]
        assert f"]({name})" in text and first_heading not in text.splitlines()
    assert max(len(ln.split()) for ln in text.splitlines() if not ln.startswith("|")) < 400


@pytest.mark.unit
def test_status_table_gives_each_goal_its_latest_figure_and_run(tmp_path):
    stored, md = _stored(), tmp_path / "RESULTS.md"
    run_all.report(stored, md, None)
    rows = _status_rows(md.read_text())
    res = stored["benchmarks"]
    routes = res["routes"]
    for r in routes["runs"][0]["data"]["rows"]:
        if r["config"] != "new":
            continue
        row = rows[f"{r['route']}, N = {r['n']:,}"]
        v = r["cases_per_s_cpu"]
        assert row[1] == f"{round(v):,} cases/s"
        short = 10_000 / v  # three decimals when it is within 1 % of the goal, two otherwise
        assert row[3] == ("met" if v >= 10_000 else f"missed by {short:.3f}x" if short < 1.01 else f"missed by {short:.2f}x")
        assert row[4] == routes["date"] and row[6] == routes["commit"]
        assert row[5] == f"{r['load'][0][0]:.1f} -> {r['load'][-1][0]:.1f}"
    bs = res["biosteam"]["runs"][0]["data"]["ratio_loop_cpu"]
    assert rows["same methanol loop vs BioSTEAM"][1] == f"{round(bs):,}x"
    assert rows["same methanol loop vs BioSTEAM"][3] == f"missed by {1000 / bs:.2f}x"
    eo = res["eo"]["runs"][0]["data"]["ratio"]
    assert rows["IDAES per point vs the core (min over routes)"][1] == f"{round(eo):,}x"
    assert rows["IDAES per point vs the core (min over routes)"][3] == ("met" if eo >= 1000 else "missed")
    syngas = max(r["ratio"] for r in res["equilibrium"]["runs"][0]["data"]
                 if r["set"].startswith("syngas") and r["n"] >= 10_000)
    eq = rows["gas-only equilibrium vs Cantera's loop"]
    assert eq[1] == f"{syngas:.1f}x"
    assert eq[3] == ("met" if syngas >= 30 else f"missed by {30 / syngas:.2f}x") and eq[4] == res["equilibrium"]["date"]


@pytest.mark.unit
def test_a_benchmark_that_was_not_run_is_said_so(tmp_path):
    stored, md = _stored(), tmp_path / "RESULTS.md"
    del stored["benchmarks"]["biosteam"]
    run_all.report(stored, md, None)
    assert _status_rows(md.read_text())["same methanol loop vs BioSTEAM"][1] == "not measured"


@pytest.mark.unit
def test_time_limits_from_the_command_line(tmp_path, monkeypatch, capsys):
    given = {}

    def fake_run(name, smoke, budget_left, log_dir, timeout_s=None):
        given[name] = timeout_s
        return {"script": f"bench_{name}.py", "args": [], "runs": [], "seconds": 0.0, "returncode": 0}

    monkeypatch.setattr(run_all, "run_bench", fake_run)
    out = ["--json", str(tmp_path / "r.json"), "--md", str(tmp_path / "R.md")]
    run_all.main(["--only", "eo,tea", "--timeout-eo", "5400", *out])
    assert given == {"eo": 5400.0, "tea": None}  # None: the plan's own limit
    run_all.main(["--only", "biosteam", "--timeout", "biosteam=3600", *out])
    assert given["biosteam"] == 3600.0
    saved = json.loads((tmp_path / "r.json").read_text())["benchmarks"]["biosteam"]
    assert saved["load_1min"] and saved["commit"]  # each run records its own load and code
    for bad, says in ((["--timeout-eo", "-5"], "'-5' s: expected a positive"),
                      (["--timeout-eo", "soon"], "'soon' s: expected a positive"),
                      (["--timeout", "eo"], "expected NAME=SECONDS")):
        with pytest.raises(SystemExit):
            run_all.main([*bad, "--report-only", *out])
        assert says in capsys.readouterr().err
    with pytest.raises(SystemExit, match="--timeout nosuch: no benchmark of that name"):
        run_all.timeouts(argparse.Namespace(timeout=[("nosuch", 10.0)], timeout_eo=None))


@pytest.mark.unit
def test_the_limit_given_is_the_limit_the_benchmark_runs_under(tmp_path, monkeypatch):
    limits = []

    def fake_subprocess_run(cmd, **kw):
        if "--help" not in cmd:
            limits.append(kw["timeout"])
        return run_all.subprocess.CompletedProcess(cmd, 0, stdout='{"benchmark": "eo"}\n', stderr="")

    monkeypatch.setattr(run_all.subprocess, "run", fake_subprocess_run)
    rec = run_all.run_bench("eo", False, 1e4, tmp_path, 5400.0)
    assert limits == [5400.0] and rec["timeout_s"] == 5400.0 and rec["runs"][0]["data"] == {"benchmark": "eo"}
    run_all.run_bench("eo", False, 1e4, tmp_path)
    assert limits[-1] == run_all.PLAN["eo"][3] == 2400


@pytest.mark.unit
def test_a_run_stopped_by_its_limit_keeps_the_last_answers(tmp_path, monkeypatch):
    answers = {"benchmark": "eo", "ratio": 2435.9, "passed": True, "tolerance": "rtol 1e-06"}
    outcomes = iter([(0, answers), (9, None)])

    def fake_run(name, smoke, budget_left, log_dir, timeout_s=None):
        rc, data = next(outcomes)
        run = {"returncode": -rc, "seconds": 1.0, "data": data, "stdout_tail": "",
               "stderr_tail": "timeout after 2400.0 s" if rc else ""}
        return {"script": "bench_eo.py", "args": [], "runs": [run], "seconds": 1.0, "returncode": rc}

    monkeypatch.setattr(run_all, "run_bench", fake_run)
    out = ["--only", "eo", "--json", str(tmp_path / "r.json"), "--md", str(tmp_path / "R.md")]
    assert run_all.main(out) == 0
    first = json.loads((tmp_path / "r.json").read_text())["benchmarks"]["eo"]
    assert run_all.main(out) == 1  # the failed run is reported as failed ...
    eo = json.loads((tmp_path / "r.json").read_text())["benchmarks"]["eo"]
    assert eo["returncode"] == 9 and eo["previous"] == first  # ... and the answers before it are kept
    row = _status_rows((tmp_path / "R.md").read_text())["IDAES per point vs the core (min over routes)"]
    assert row[1] == "not measured" and "run failed (exit 9)" in row[3] and first["date"] in row[3]
