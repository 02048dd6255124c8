"""Key figures and balances of a flexible-operation solution (:class:`~carbonhub.flex.dispatch.Dispatch`).

:func:`flex_kpis` gives the figures the CLI writes to JSON (``msp_eur_per_t`` is the flexible
plant's MSP, as ``carbonhub run`` writes the steady-state one); :func:`balances` recomputes the
H2, methanol, product and energy balances hour by hour and over the year from the hourly
arrays (independently of the LP's constraints) and the storage bounds.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from carbonhub.flex.dispatch import Dispatch
from carbonhub.flex.plant import Sizes
from carbonhub.flex.prices import HOURS_PER_YEAR

__all__ = ["balances", "flex_kpis", "flat_msp", "scenario_msp"]


def flat_msp(d: Dispatch) -> float:
    """MSP [EUR/t] of the steady-state plant (load 1 every hour, no buffers) paying the hourly
    prices of the profile: the same average price as the profile's, so the flexible MSP is
    compared at equal average price."""
    pl = d.plant
    e = pl.steady_electricity_MWh_per_y
    return pl.msp(Sizes(), e, e * d.profile.mean_eur_per_MWh)


def _cf(load: np.ndarray, cap: float) -> float:
    return float(load.mean() / cap) if cap > 0 else 0.0


def flex_kpis(d: Dispatch) -> dict[str, Any]:
    """Flexible-operation KPIs (names carry their units)."""
    pl, s, p = d.plant, d.sizes, d.profile
    w = d.weight_h
    q_t = pl.main_product_t_per_y
    tea = pl.tea(s, d.electricity_MWh_per_y, d.electricity_cost_eur_per_y)
    msp_flat = flat_msp(d)
    e_on = d.electrolyser_load > 1e-9 * max(s.electrolyser, 1.0)
    out: dict[str, Any] = {
        "msp_eur_per_t": d.msp_eur_per_t,
        "msp_flat_eur_per_t": msp_flat,
        "msp_saving_eur_per_t": msp_flat - d.msp_eur_per_t,
        "msp_steady_state_eur_per_t": pl.steady_msp,
        "price_profile": p.name,
        "price_mean_eur_per_MWh": p.mean_eur_per_MWh,
        "price_paid_eur_per_MWh": d.electricity_cost_eur_per_y / d.electricity_MWh_per_y,
        "electricity_MWh_per_y": d.electricity_MWh_per_y,
        "electricity_cost_eur_per_y": d.electricity_cost_eur_per_y,
        "electricity_cost_eur_per_t": d.electricity_cost_eur_per_y / q_t,
        "electricity_cost_flat_eur_per_t": pl.steady_electricity_MWh_per_y * p.mean_eur_per_MWh / q_t,
        "main_product_t_per_y": q_t,
        "electrolyser_capacity_MW": s.electrolyser * pl.power_MW["electrolysis"],
        "electrolyser_capacity_rel": s.electrolyser,
        "electrolyser_capacity_factor": _cf(d.electrolyser_load, s.electrolyser),
        "electrolyser_hours_run": int(e_on.sum()),
        "electrolyser_full_load_hours": float(w * d.electrolyser_load.sum() / s.electrolyser) if s.electrolyser else 0.0,
        "synthesis_capacity_rel": s.synthesis,
        "synthesis_capacity_factor": _cf(d.synthesis_load, s.synthesis),
        "downstream_capacity_rel": s.downstream,
        "downstream_capacity_factor": _cf(d.downstream_load, s.downstream),
        "h2_storage_kg": s.h2_storage_kg,
        "h2_storage_hours_of_h2": s.h2_storage_kg / pl.h2_kg_per_h,
        "h2_storage_compressor_kg_per_h": s.h2_charge_kg_per_h,
        "h2_storage_technology": pl.storage,
        "methanol_storage_t": s.methanol_storage_t,
        "tci_eur": float(tea.tci_eur[0]),
        "capex_eur": float(tea.capex_eur[0]),
        "opex_eur_per_y": float(tea.opex_eur_per_y[0]),
        "operating_hours": pl.hours,
    }
    if p.grid_co2_t_per_MWh is not None:
        g = p.grid_co2_t_per_MWh
        flex_t = float(w * (g * d.power_MW).sum())
        flat_t = float(w * (g * sum(pl.power_MW.values())).sum())
        out.update({"grid_co2_t_per_y": flex_t, "grid_co2_flat_t_per_y": flat_t,
                    "grid_co2_t_per_t": flex_t / q_t, "grid_co2_flat_t_per_t": flat_t / q_t})
    out["lp"] = {"n_variables": d.n_variables, "n_constraints": d.n_constraints, "iterations": d.iterations,
                 "build_s": d.build_s, "solve_s": d.solve_s, "termination": d.termination}
    out["sizes"] = s.as_dict()
    out["balances"] = balances(d)
    return out


def balances(d: Dispatch) -> dict[str, float]:
    """Relative residuals of the H2, methanol, product and energy balances (hour by hour: the
    largest; year: the sum) and the storage bounds (``*_min`` >= 0, ``*_max_over_size`` <= 1)."""
    pl, w = d.plant, d.weight_h        # annual weight of a profile hour [h]
    a = pl.hours / HOURS_PER_YEAR      # on-stream hours per clock hour: what the buffers move
    H0, M0 = pl.h2_kg_per_h, pl.methanol_t_per_h
    made = d.electrolyser_load * H0                      # kg/h
    used = d.synthesis_load * H0
    c, x = d.h2_to_store_kg_per_h, d.h2_from_store_kg_per_h
    s = d.h2_stored_kg
    h2_hour = made + x - used - c
    ds = s - np.roll(s, 1) - a * (c - x)
    q = d.methanol_stored_t
    dq = q - np.roll(q, 1) - a * (d.synthesis_load - d.downstream_load) * M0
    h2_year = w * (made.sum() - used.sum())  # the store ends the (cyclic) year as it began
    meoh_year = w * M0 * (d.synthesis_load.sum() - d.downstream_load.sum())
    product = w * d.downstream_load.sum() * pl.main_product_t_per_y / pl.hours
    P = pl.power_MW
    e_hour = d.power_MW - (P["electrolysis"] * d.electrolyser_load + P["synthesis"] * d.synthesis_load
                           + P["downstream"] * d.downstream_load + pl.compression_MWh_per_kg * c)
    sh = max(d.sizes.h2_storage_kg, 1e-300)
    sm = max(d.sizes.methanol_storage_t, 1e-300)
    return {
        "h2_hour_rel": float(np.abs(h2_hour).max() / H0),
        "h2_store_hour_rel": float(np.abs(ds).max() / H0),
        "h2_year_rel": float(abs(h2_year) / (w * made.sum())),
        "methanol_store_hour_rel": float(np.abs(dq).max() / M0),
        "methanol_year_rel": float(abs(meoh_year) / (w * M0 * d.synthesis_load.sum())),
        "product_year_rel": float(abs(product - pl.main_product_t_per_y) / pl.main_product_t_per_y),
        "energy_hour_rel": float(np.abs(e_hour).max() / max(np.abs(d.power_MW).max(), 1e-300)),
        "h2_storage_min_kg": float(s.min()),
        "h2_storage_max_over_size": float(s.max() / sh) if d.sizes.h2_storage_kg > 0 else 0.0,
        "methanol_storage_min_t": float(q.min()),
        "methanol_storage_max_over_size": float(q.max() / sm) if d.sizes.methanol_storage_t > 0 else 0.0,
    }


def scenario_msp(d: Dispatch, prices: np.ndarray) -> dict[str, np.ndarray]:
    """MSPs [EUR/t] of the solved design and dispatch ``d`` and of flat operation under many
    price scenarios at once: ``prices`` has shape ``(n_scenarios, n_hours)`` [EUR/MWh].

    The hourly loads stay those of ``d`` (a fixed plan: for the flexible plant this is an upper
    bound on the MSP of re-optimising each scenario; for flat operation it is its MSP). The MSP
    is affine in the annual electricity bill (the route's TEA: one evaluation gives the slope),
    so every scenario costs one matrix-vector product.
    """
    p = np.atleast_2d(np.asarray(prices, dtype=float))
    if p.shape[1] != d.profile.n_hours:
        raise ValueError(f"prices: {p.shape[1]} hours per scenario; expected {d.profile.n_hours} "
                         "(the hours of the solved profile)")
    if not np.all(np.isfinite(p)):
        raise ValueError("prices: NaN or infinite values; expected EUR/MWh in every hour")
    pl, w = d.plant, d.weight_h
    e_flex, e_flat = d.electricity_MWh_per_y, pl.steady_electricity_MWh_per_y
    bill_flex = w * p @ d.power_MW
    bill_flat = w * sum(pl.power_MW.values()) * p.sum(axis=1)
    out = {}
    for name, sizes, mwh, bills in (("msp_eur_per_t", d.sizes, e_flex, bill_flex),
                                    ("msp_flat_eur_per_t", Sizes(), e_flat, bill_flat)):
        b0 = float(bills.mean())
        m0 = pl.msp(sizes, mwh, b0)
        slope = (pl.msp(sizes, mwh, b0 + max(abs(b0), 1e6)) - m0) / max(abs(b0), 1e6)
        out[name] = m0 + slope * (bills - b0)
    return out
