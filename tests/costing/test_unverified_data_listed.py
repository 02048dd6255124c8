"""Every cost, price or factor not verified in its source is named in property_data/README.md
(issue 13 item 2: the README lists what remains unverified and why, with the count per file)."""
from __future__ import annotations

import re

import pytest
import yaml

from carbonhub.data import project_root

FILES = ("prices.yaml", "reference_plants.yaml", "tea_defaults.yaml",
         # and every other file whose entries carry `verified` (issue 13 item 2, verify8)
         "co2_references.yaml", "flex.yaml", "exergy_reference.yaml", "polymers.yaml",
         "pyrolysis_yields.yaml")


def _unverified(node, path=()):
    if isinstance(node, dict):
        if node.get("verified") is False:
            yield path
        for k, v in node.items():
            yield from _unverified(v, path + (str(k),))


@pytest.mark.unit
@pytest.mark.parametrize("name", FILES)
def test_every_unverified_entry_is_named_in_the_readme(name):
    root = project_root() / "property_data"
    readme = (root / "README.md").read_text()
    section = readme[readme.index("## Unverified entries left"):]
    data = yaml.safe_load((root / name).read_text())
    missing = [".".join(p) for p in _unverified(data)
               if not re.search(rf"\b{re.escape(p[-1])}\b", section)]
    assert not missing, f"{name}: unverified entries not listed in README.md: {missing}"


@pytest.mark.unit
def test_the_readme_counts_match_the_files():
    root = project_root() / "property_data"
    readme = (root / "README.md").read_text()
    for name in FILES:
        n = len(list(_unverified(yaml.safe_load((root / name).read_text()))))
        assert re.search(rf"`{re.escape(name)}` \({n}\D", readme), (name, n)
