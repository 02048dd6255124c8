"""Costing, techno-economics and carbon/CO2 accounting, vectorised over a leading case axis.

Modules
-------
indices        CEPCI escalation and USD/EUR conversion by year
correlations   Turton (CAPCOST) purchase and bare-module costs, reference-plant scaling,
               parallel trains for out-of-range sizes (:class:`CostRangeWarning`)
sslw           Seider-Seader-Lewin-Widagdo correlations, data read from the installed IDAES
capital        total capital investment build-up (factored, by technology maturity) or Lang
opex           fixed and variable operating costs from annual flows
dcf            discounted cash flow: NPV, IRR, closed-form minimum selling price, levelised cost
co2            carbon efficiency by origin, CO2 emitted/captured/avoided, cost of CO2 avoided
tea            :func:`evaluate_tea`: units + flows + products -> arrays and breakdown tables

No Pyomo or IDAES import happens here (SSLW tables are parsed from the IDAES source on first
use, without importing it).

Example
-------
>>> import numpy as np
>>> import carbonhub.costing as cc
>>> round(float(cc.turton_cp0("vessel_vertical", 10.0)))
11306
"""
from __future__ import annotations

from carbonhub.costing.capital import (CapitalBreakdown, CapitalFactors, capital_table, lang_tci,
                                       process_contingency_fraction, tci_buildup)
from carbonhub.costing.co2 import (carbon_kpis, co2_avoidance_cost, co2_avoided,
                                   energy_efficiency_lhv)
from carbonhub.costing.correlations import (CostRangeWarning, parallel_trains, scaled_cost,
                                            turton_cbm, turton_cp0)
from carbonhub.costing.dcf import (CashFlowInputs, DCFParams, cash_flows, irr, levelised_cost,
                                   minimum_selling_price, msp_breakdown, npv)
from carbonhub.costing.indices import CostYearError, convert_cost, escalate, to_currency
from carbonhub.costing.opex import fixed_opex, operators_per_shift_turton, variable_opex
from carbonhub.costing.tea import Economics, TEAResult, evaluate_tea
from carbonhub.costing.unit_costs import cost_units

__all__ = [
    "CapitalBreakdown", "CapitalFactors", "capital_table", "lang_tci",
    "process_contingency_fraction", "tci_buildup",
    "carbon_kpis", "co2_avoidance_cost", "co2_avoided", "energy_efficiency_lhv",
    "CostRangeWarning", "parallel_trains", "scaled_cost", "turton_cbm", "turton_cp0",
    "CashFlowInputs", "DCFParams", "cash_flows", "irr", "levelised_cost",
    "minimum_selling_price", "msp_breakdown", "npv",
    "CostYearError", "convert_cost", "escalate", "to_currency",
    "fixed_opex", "operators_per_shift_turton", "variable_opex",
    "Economics", "TEAResult", "cost_units", "evaluate_tea",
]
