"""`carbonhub sweep` support: --param parsing, parameter files, the command end to end."""
from __future__ import annotations

import argparse

import pytest

from carbonhub.cli.sweep import add_arguments as add_sweep_arguments
from carbonhub.cli.sweep import parse_param_arg, parse_param_args, run_from_args
from carbonhub.sweep import SweepInputError, load
from carbonhub.sweep import load_params as load_param_file
from carbonhub.sweep.distributions import Choice, Triangular, Uniform


@pytest.mark.unit
def test_parse_param_arg():
    assert parse_param_arg("gasifier.T=uniform(1100,1500)") == ("gasifier.T", Uniform(1100, 1500))
    assert parse_param_arg("prices.feedstock_eur_per_t = tri(60,80,120) EUR/t") == (
        "prices.feedstock_eur_per_t", Triangular(60, 80, 120, "EUR/t"))
    assert parse_param_arg("feed.feedstock=choice(wood_chips,wheat_straw)")[1] == Choice(
        ["wood_chips", "wheat_straw"])


@pytest.mark.unit
@pytest.mark.parametrize(("text", "words"), [
    ("gasifier.T", ["NAME=DIST"]),
    ("gasifier T=uniform(1,2)", ["not a parameter name"]),
    ("gasifier.T=uniform(2,1)", ["gasifier.T", "low must be less than high"]),
    ("gasifier.T=unform(1,2)", ["gasifier.T", "unknown distribution", "uniform"]),
])
def test_parse_param_arg_errors(text, words):
    with pytest.raises(SweepInputError) as err:
        parse_param_arg(text)
    for w in words:
        assert w in str(err.value)


@pytest.mark.unit
def test_duplicate_param_is_an_error():
    with pytest.raises(SweepInputError, match="given twice"):
        parse_param_args(["a.b=uniform(1,2)", "a.b=uniform(1,3)"])


@pytest.mark.unit
def test_param_file(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("params:\n"
                 "  gasifier.T: uniform(1100,1500)\n"
                 "  prices.feedstock_eur_per_t: {dist: tri, lo: 60, mode: 80, hi: 120, unit: EUR/t}\n"
                 "  feed.feedstock: {dist: choice, values: [wood_chips, wheat_straw], weights: [3, 1]}\n"
                 "  gasifier.P: 25 bar\n")
    p = load_param_file(f)
    assert p["prices.feedstock_eur_per_t"] == Triangular(60, 80, 120, "EUR/t")
    assert p["feed.feedstock"].weights == (0.75, 0.25)
    bad = tmp_path / "bad.yaml"
    bad.write_text("gasifier.T: {dist: uniform, low: 5, high: 1}\n")
    with pytest.raises(SweepInputError, match="gasifier.T"):
        load_param_file(bad)


@pytest.mark.integration
def test_sweep_command_end_to_end(make_fs, tmp_path, capsys):
    parser = add_sweep_arguments(argparse.ArgumentParser(prog="carbonhub sweep"))
    out = tmp_path / "cli.parquet"
    argv = ["analytic_double", "--n", "300", "--method", "sobol", "--seed", "2",
            "--param", "gasifier.T=uniform(1100,1500)",
            "--param", "prices.feedstock_eur_per_t=tri(0.06,0.08,0.12) EUR/kg",
            "--param", "feed.feedstock=choice(wood_chips,wheat_straw)",
            "--out", str(out), "--chunk-size", "100", "--no-progress",
            "--report", str(tmp_path / "r.html")]
    assert run_from_args(parser.parse_args(argv), load_route=lambda name: make_fs(name=name)) == 0
    printed = capsys.readouterr().out
    assert "300/300 cases" in printed and "msp_eur_per_t" in printed
    res = load(out)
    assert res.df["prices.feedstock_eur_per_t"].between(60, 120).all()
    html = (tmp_path / "r.html").read_text()
    assert "carbonhub sweep: analytic_double" in html and "data:image/png;base64" in html
    # running it again without --resume must not touch the results
    with pytest.raises(SweepInputError, match="resume=True"):
        run_from_args(parser.parse_args(argv), load_route=lambda name: make_fs(name=name))
    assert run_from_args(parser.parse_args([*argv, "--resume"]),
                         load_route=lambda name: make_fs(name=name)) == 0
