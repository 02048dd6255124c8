"""Flexible operation of an e-route against hourly electricity prices, with buffers.

The steady-state route (one simulated case) is cut into sections that can run at their own
load (electrolysis, synthesis, downstream; property_data/flex.yaml); a linear programme
(HiGHS) chooses the sizes of the electrolyser, the H2 store (salt cavern or tanks), the
synthesis and an optional methanol tank, and the hour-by-hour loads, at minimum MSP of the main
product for the same annual production. The MSP is always the route's own TEA
(:func:`carbonhub.costing.flowsheet.evaluate`) at the chosen sizes and electricity bill.

Modules
-------
prices     hourly price profiles (CSV/Parquet, checks), the synthetic Dutch profile
plant      the steady-state route cut into sections; its TEA at other sizes
dispatch   the dispatch and sizing LP (sparse matrices, HiGHS), sequential linearisation
results    KPIs (capacity factors, storage, electricity per t, MSP flexible vs flat, grid CO2)
           and hour-by-hour balances
plots      price duration curve with the dispatch; buffers over a representative week
report     the HTML report section
api        :func:`flexible_operation` (route + profile -> :class:`FlexResult`)

Example
-------
>>> from carbonhub.flex import PriceProfile
>>> PriceProfile.flat(80.0).n_hours
8760
"""
from __future__ import annotations

from carbonhub.flex.api import FlexResult, flexible_operation
from carbonhub.flex.dispatch import Dispatch, Limits, solve_dispatch
from carbonhub.flex.plant import FlexPlant, Sizes
from carbonhub.flex.prices import (PriceProfile, PriceProfileError, read_prices, shipped_profile_path,
                                   synthetic_nl_profile, write_prices)
from carbonhub.flex.results import balances, flat_msp, flex_kpis, scenario_msp

__all__ = ["FlexResult", "flexible_operation", "Dispatch", "Limits", "solve_dispatch", "FlexPlant",
           "Sizes", "PriceProfile", "PriceProfileError", "read_prices", "shipped_profile_path",
           "synthetic_nl_profile", "write_prices", "balances", "flat_msp", "flex_kpis", "scenario_msp"]
