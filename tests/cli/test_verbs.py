"""The ``carbonhub`` command is a package with one module per verb; adding a module adds a verb."""
from __future__ import annotations

import pkgutil

import pytest

import carbonhub.cli as cli


@pytest.mark.unit
def test_every_verb_module_is_a_subcommand():
    modules = {m.name for m in pkgutil.iter_modules(cli.__path__) if not m.name.startswith("_")}
    assert {"routes", "run", "sweep", "optimize", "equilibrium"} <= modules
    names = list(cli.verbs())
    assert names[:5] == list(cli.ORDER)
    assert set(names) == modules
    sub = next(a for a in cli.build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    assert set(sub.choices) == modules


@pytest.mark.unit
def test_a_new_verb_module_registers_itself(tmp_path, monkeypatch, capsys):
    (tmp_path / "hello.py").write_text(
        'HELP = "say hello"\n'
        "def add_arguments(p):\n    p.add_argument('--who', default='world')\n"
        "def run(a):\n    print('hello', a.who)\n    return 0\n")
    monkeypatch.setattr(cli, "__path__", [*cli.__path__, str(tmp_path)])
    assert "hello" in cli.verbs()
    assert cli.main(["hello", "--who", "carbon"]) == 0
    assert capsys.readouterr().out.strip() == "hello carbon"
