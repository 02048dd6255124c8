r"""Sweep parameters from a YAML file (``carbonhub sweep --params-file``, or Python).

Example
-------
>>> import tempfile, pathlib
>>> f = pathlib.Path(tempfile.mkdtemp()) / "p.yaml"
>>> _ = f.write_text("params:\n  gasifier.T: uniform(1100,1500)\n")
>>> load_params(f)
{'gasifier.T': uniform(1100, 1500)}
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .distributions import Distribution, as_distribution
from .errors import SweepInputError

__all__ = ["load_params"]


def load_params(path: str | Path) -> dict[str, Distribution]:
    """Parameters from YAML: a mapping name -> spec (text or dict form), optionally under a
    top-level ``params:`` key::

        params:
          gasifier.T: uniform(1100,1500)
          prices.feedstock_eur_per_t: {dist: tri, lo: 60, mode: 80, hi: 120, unit: EUR/t}
          feed.feedstock: {dist: choice, values: [wood_chips, wheat_straw], weights: [3, 1]}

    A missing or unreadable file, a YAML syntax error or a bad entry raise
    :class:`SweepInputError` naming the file.
    """
    import yaml

    path = Path(path)
    if path.is_dir():
        raise SweepInputError(f"{path}: is a folder; expected a YAML file of parameters")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SweepInputError(f"{path}: no such file (expected a YAML file of parameters)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SweepInputError(f"{path}: cannot read it ({exc.__class__.__name__}: "
                              f"{getattr(exc, 'strerror', None) or exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise SweepInputError(f"{path}: YAML error{where}: {problem}") from None
    if isinstance(data, Mapping) and "params" in data:
        data = data["params"]
    if not isinstance(data, Mapping) or not data:
        raise SweepInputError(f"{path}: expected a mapping of parameter names to distributions, "
                              "e.g. 'gasifier.T: uniform(1100,1500)'")
    out = {}
    for name, spec in data.items():
        try:
            out[str(name)] = as_distribution(spec)
        except SweepInputError as exc:
            raise SweepInputError(f"{path}: {name}: {exc}") from None
    return out
