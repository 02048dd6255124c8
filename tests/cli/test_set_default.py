"""``--set NAME=default``: a parameter back at its default from the command line."""
from __future__ import annotations

import pytest

import carbonhub as ch
from carbonhub.cli import main


@pytest.mark.unit
def test_set_name_default_returns_a_parameter_to_its_default():
    """``--set NAME=default``: the route's default (its YAML) or a derived default, whatever was
    set before (a value the user gave in Python, or a --params-file)."""
    from carbonhub.cli._common import parse_sets, resolve_defaults

    fs = ch.routes.load("biomass_ft")
    yaml_T = ch.routes.defaults("biomass_ft")["defaults"]["gasifier.T"]["value"]
    own_price = fs.get("prices.feedstock_eur_per_t")  # derived: the feedstock's price in prices.yaml
    fs.set("gasifier.T", 1200.0)
    fs.set("prices.feedstock_eur_per_t", own_price + 10.0)
    params = resolve_defaults(fs, parse_sets(["gasifier.T=default", "prices.feedstock_eur_per_t=default",
                                              "ft.alpha=0.88,0.9"]))
    assert list(params) == ["ft.alpha"]
    assert fs.get("gasifier.T") == yaml_T and fs.source("gasifier.T").startswith("biomass_ft.yaml")
    assert fs.get("prices.feedstock_eur_per_t") == own_price


@pytest.mark.integration
def test_run_with_a_default_gives_the_default_case(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "biomass_ft", "--set", "gasifier.T=default", "--set", "ft.alpha=default"]) == 0
    with_default = capsys.readouterr().out
    assert main(["run", "biomass_ft"]) == 0
    assert capsys.readouterr().out == with_default
