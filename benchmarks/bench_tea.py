"""Benchmark: full cost + cash-flow + carbon-KPI evaluation of N cases with carbonhub.costing.

Given design results (random but plausible sizes for 16 units of a biomass-to-methanol plant
with an LPG by-product: Turton equipment, NETL reference blocks, an electrolyser), one call of
:func:`carbonhub.costing.evaluate_tea` prices every case: unit purchase and installed costs
(with parallel trains where sizes exceed the correlation ranges), TCI build-up with process
contingency by maturity, fixed and variable OPEX, closed-form minimum selling price, NPV,
levelised cost, carbon efficiency by origin and CO2 avoided.

Usage::

    python benchmarks/bench_tea.py              # 10**6 cases
    python benchmarks/bench_tea.py --n 200000
    python benchmarks/bench_tea.py --smoke      # 1,000 cases, used by the test suite

Prints a human-readable line and, last, one JSON line:
``{"benchmark": "tea", "n_cases": ..., "seconds": ..., "cpu_seconds": ..., "cases_per_s": ...}``
(``seconds`` is wall time of the evaluation alone, without generating the design results;
``cpu_seconds`` is the process CPU time of the same span, less sensitive to a busy machine).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import warnings

import numpy as np


def design_results(n: int, seed: int = 0) -> tuple[list, dict, dict, dict]:
    """Random design results for ``n`` cases: units, annual flows, products, carbon flows."""
    rng = np.random.default_rng(seed)
    feed_dry_t_per_d = rng.uniform(500.0, 3000.0, n)            # t/d dry biomass
    scale = feed_dry_t_per_d / 2000.0

    def u(lo, hi):
        return rng.uniform(lo, hi, n) * scale

    units = [
        {"unit_id": "asu", "item": "ref.air_separation_unit_netl", "size": u(1500, 2500),
         "size_unit": "ton/d", "osbl": True},
        {"unit_id": "syngas_cooler", "item": "ref.syngas_cooler_netl", "size": u(120, 260),
         "size_unit": "MBtu/hr"},
        {"unit_id": "wgs", "item": "ref.water_gas_shift_reactors_netl",
         "size": u(6000, 15000), "size_unit": "ft3"},
        {"unit_id": "agr", "item": "ref.acid_gas_removal_selexol_two_stage_netl",
         "size": u(6000, 14000), "size_unit": "ft3/min"},
        {"unit_id": "electrolyser", "item": "ref.electrolyser_alkaline", "size": u(5e3, 5e4),
         "size_unit": "kW", "maturity": "foak"},
        {"unit_id": "E101", "item": "turton.heat_exchanger_fixed_tube", "size": u(50, 1500),
         "size_unit": "m2", "material": "CS/SS", "pressure_barg": rng.uniform(2, 60, n)},
        {"unit_id": "E102", "item": "turton.heat_exchanger_floating_head", "size": u(20, 800),
         "size_unit": "m2", "material": "SS/SS", "pressure_barg": rng.uniform(2, 80, n)},
        {"unit_id": "E103", "item": "turton.heat_exchanger_air_cooler", "size": u(200, 4000),
         "size_unit": "m2"},
        {"unit_id": "R201", "item": "turton.vessel_vertical", "size": u(20, 150),
         "size_unit": "m3", "material": "SS_clad", "pressure_barg": rng.uniform(40, 90, n),
         "params": {"diameter_m": rng.uniform(2.0, 4.0, n)}, "maturity": 7},
        {"unit_id": "V202", "item": "turton.vessel_horizontal", "size": u(5, 60),
         "size_unit": "m3", "pressure_barg": rng.uniform(1, 30, n),
         "params": {"diameter_m": rng.uniform(1.5, 3.0, n)}},
        {"unit_id": "T301", "item": "turton.tower_shell", "size": u(30, 200), "size_unit": "m3",
         "pressure_barg": rng.uniform(0.5, 5, n), "params": {"diameter_m": rng.uniform(2, 5, n)}},
        {"unit_id": "K101", "item": "turton.compressor_centrifugal", "size": u(1500, 6000),
         "size_unit": "kW", "material": "CS"},
        {"unit_id": "K102", "item": "turton.compressor_centrifugal", "size": u(500, 2500),
         "size_unit": "kW", "material": "CS"},
        {"unit_id": "P101", "item": "turton.pump_centrifugal", "size": u(5, 150),
         "size_unit": "kW", "material": "CS", "pressure_barg": rng.uniform(5, 60, n)},
        {"unit_id": "P102", "item": "turton.pump_centrifugal", "size": u(2, 60),
         "size_unit": "kW", "material": "SS"},
        {"unit_id": "H101", "item": "turton.fired_heater_nonreactive", "size": u(5e3, 4e4),
         "size_unit": "kW", "material": "CS", "pressure_barg": rng.uniform(5, 40, n)},
    ]
    feed_ar = feed_dry_t_per_d * 350.4 / (1.0 - rng.uniform(0.25, 0.45, n))   # t/y as received
    methanol = feed_dry_t_per_d * 350.4 * rng.uniform(0.35, 0.55, n)          # t/y
    flows = {
        "feedstock_wood_chips_t_per_y": feed_ar,
        "electricity_MWh_per_y": methanol * rng.uniform(0.2, 1.5, n),
        "steam_mp_t_per_y": methanol * rng.uniform(0.1, 0.8, n),
        "cooling_water_m3_per_y": methanol * rng.uniform(50, 150, n),
        "process_water_m3_per_y": methanol * rng.uniform(0.5, 2.0, n),
        "wastewater_m3_per_y": methanol * rng.uniform(0.3, 1.5, n),
        "co2_fossil_emitted_t_per_y": methanol * rng.uniform(0.0, 0.1, n),
        "co2_stored_t_per_y": methanol * rng.uniform(0.0, 0.8, n),
        "electricity_price_eur_per_MWh": rng.uniform(60, 200, n),
    }
    products = {"methanol": methanol, "lpg": methanol * rng.uniform(0.0, 0.05, n)}
    c_feed = feed_dry_t_per_d * 350.4 * 0.5
    c_prod = methanol * 12.011 / 32.042
    c_capt = flows["co2_stored_t_per_y"] * 12.011 / 44.009
    c_emit_f = flows["co2_fossil_emitted_t_per_y"] * 12.011 / 44.009
    c_emit_b = np.maximum(c_feed - c_prod - c_capt, 0.0)
    carbon = {"feed": {"biogenic": c_feed, "fossil": c_emit_f},
              "products": {"biogenic": c_prod},
              "emitted": {"biogenic": c_emit_b, "fossil": c_emit_f},
              "captured": {"biogenic": c_capt}}
    return units, flows, products, carbon


def run(n: int, seed: int = 0) -> dict:
    from carbonhub.costing import CostRangeWarning, Economics, evaluate_tea

    t0 = time.perf_counter()
    units, flows, products, carbon = design_results(n, seed)
    t1, c1 = time.perf_counter(), time.process_time()
    econ = Economics(reference_product="methanol_fuel", grid_ef_t_per_MWh=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CostRangeWarning)   # trains are expected here
        res = evaluate_tea(units, flows, products, main_product="methanol", economics=econ,
                           carbon=carbon, catalysts={"cu_zno_methanol_catalyst": {
                               "inventory_kg": products["methanol"] * 0.01, "life_y": 4.0}})
    t2, c2 = time.perf_counter(), time.process_time()
    npv_check = float(np.max(np.abs(res.npv_at(res.msp_eur_per_t)) / res.capex_eur))
    max_trains = int(max(int(np.max(v)) for v in res.n_trains.values()))
    return {"benchmark": "tea", "n_cases": n, "n_units": len(units),
            "seconds": round(t2 - t1, 4), "cpu_seconds": round(c2 - c1, 4),
            "setup_seconds": round(t1 - t0, 4),
            "cases_per_s": round(n / (t2 - t1), 1),
            "msp_eur_per_t_median": round(float(np.median(res.msp_eur_per_t)), 2),
            "tci_eur_median": round(float(np.median(res.tci_eur)), 0),
            "max_rel_npv_at_msp": npv_check, "max_trains": max_trains,
            "co2_avoided_cost_median": round(float(np.nanmedian(
                res.co2["co2_avoided_cost_eur_per_t"])), 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="number of cases")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--smoke", action="store_true", help="tiny run (1,000 cases) for the tests")
    a = ap.parse_args(argv)
    n = 1000 if a.smoke else a.n
    out = run(n, a.seed)
    print(f"carbonhub.costing: {out['n_cases']:,} cases x {out['n_units']} units in "
          f"{out['seconds']:.3f} s ({out['cases_per_s']:,.0f} cases/s)")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
