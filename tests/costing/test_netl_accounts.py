"""NETL account blocks of reference_plants.yaml against the data IDAES ships.

Each entry with ``idaes_account`` names the NETL bituminous-baseline accounts (Rev. 4, as
encoded in IDAES-PSE, ``idaes/models_extra/power_generation/costing/BB_costing_data.json``)
its reference cost stands for. The reference values here are read from that file at run time,
not from carbonhub: the block's C_ref is the sum of the accounts' bare erected costs, S_ref the
first account's reference parameter, the exponent the accounts' exponent. IDAES divides an
account that NETL scales on two parameters into parts x.y.a and x.y.b (its
costing_dictionaries.py; the Cansolv system 5.1.a/5.1.b is split 60/40), so a block may not
hold one part without the other: the ASU once held only 4.3.a, half of account 4.3.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from carbonhub.costing.correlations import reference_plant, reference_plants, scaled_cost

pytestmark = pytest.mark.unit


def _idaes_accounts() -> dict:
    import idaes

    path = (Path(idaes.__file__).parent / "models_extra" / "power_generation" / "costing"
            / "BB_costing_data.json")
    return json.loads(path.read_text())


def _netl_blocks() -> list[str]:
    return [k for k in reference_plants() if reference_plant(k).get("idaes_account")]


@pytest.fixture(scope="module")
def bb():
    return _idaes_accounts()


@pytest.mark.parametrize("name", _netl_blocks())
def test_block_is_the_sum_of_its_idaes_accounts(bb, name):
    e = reference_plant(name)
    ia = e["idaes_account"]
    accounts = bb[str(ia["technology"])][ia["ccs"]]
    listed = [accounts[a] for a in ia["accounts"]]
    # the YAML holds C_ref to the dollar and S_ref to four decimals
    assert e["C_ref"] == pytest.approx(1e3 * sum(a["BEC"] for a in listed), abs=1.0)
    assert e["S_ref"] == pytest.approx(float(listed[0]["RP Value"]), abs=1e-4)
    assert [float(a["Exponent"]) for a in listed] == pytest.approx([e["exponent"]] * len(listed))


@pytest.mark.parametrize("name", _netl_blocks())
def test_block_holds_both_parts_of_a_divided_account(bb, name):
    ia = reference_plant(name)["idaes_account"]
    accounts = bb[str(ia["technology"])][ia["ccs"]]
    for acc in ia["accounts"]:
        stem, _, part = acc.rpartition(".")
        if part in ("a", "b"):
            parts = {a for a in accounts if a.rpartition(".")[0] == stem}
            assert parts <= set(ia["accounts"]), (name, acc, sorted(parts))


def test_asu_block_at_its_reference_size_is_account_4_3(bb):
    acc = bb["5"]["B"]
    whole = 1e3 * (acc["4.3.a"]["BEC"] + acc["4.3.b"]["BEC"])
    assert float(scaled_cost("air_separation_unit_netl", acc["4.3.a"]["RP Value"])) == \
        pytest.approx(whole, abs=1.0)
