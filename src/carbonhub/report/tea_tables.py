"""TEA tables of a report: capital by area beside the unit that holds each cost, and the MSP
breakdown item by item with the utility credits shown explicitly and the MSP without the
surplus-steam credit. Money is labelled with its currency and cost year (e.g. ``EUR2023``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._util import money_label

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..core.results import SimulationResult

CREDITS = ("steam_export", "power_island_electricity", "electricity_export", "fuel_gas_export", "byproduct_credit")
"""MSP items that are credits (negative): surplus steam (by ``prices.steam_credit_rule``),
exported electricity, surplus own fuel sold to the site fuel-gas network, by-products."""


def _tea(res: "SimulationResult"):
    if "economics" not in res.flowsheet.groups:
        return None
    res.kpis  # evaluates the TEA
    return getattr(res, "tea", None)


def capital_area_table(res: "SimulationResult", case: int = 0) -> "pd.DataFrame":
    """Installed cost by plant area [M<money>] and its share (empty without economics)."""
    import pandas as pd

    tea = _tea(res)
    if tea is None:
        return pd.DataFrame()
    m = money_label(res)
    areas = {a: float(np.broadcast_to(v, (res.n_cases,))[case]) for a, v in tea.capital_by_area().items()}
    total = sum(areas.values())
    df = pd.DataFrame({f"installed, M{m}": {a: v / 1e6 for a, v in areas.items()},
                       "share": {a: (v / total if total else np.nan) for a, v in areas.items()}})
    df.index.name = "area"
    return df


def msp_table(res: "SimulationResult", case: int = 0) -> "pd.DataFrame":
    """Every contribution to the MSP [<money>/t of main product], credits negative and named,
    the MSP, and the MSP with the surplus-steam credit switched off."""
    import pandas as pd

    tea = _tea(res)
    if tea is None:
        return pd.DataFrame()
    m = money_label(res)
    br = {k: float(np.broadcast_to(v, (res.n_cases,))[case]) for k, v in tea.msp_breakdown().items()}
    rows = {k: v for k, v in br.items() if k not in CREDITS and v != 0.0}
    rows.update({f"credit: {k}": br[k] for k in CREDITS if k in br})
    msp = float(np.broadcast_to(tea.msp_eur_per_t, (res.n_cases,))[case])
    rows["MSP"] = msp
    rows["MSP without the steam credit"] = msp - br.get("steam_export", 0.0) - br.get("power_island_electricity", 0.0)
    rule = str(np.broadcast_to(np.asarray(res.param("prices.steam_credit_rule")), (res.n_cases,))[case]) \
        if "steam_credit_rule" in res.flowsheet.groups["prices"].params else ""
    df = pd.DataFrame({f"{m}/t": rows})
    df.index.name = f"item (steam credit rule: {rule})" if rule else "item"
    return df
