"""The KPI table: every column of ``SimulationResult.kpis`` with its unit, definition and source,
in one place. ``docs/guide/kpis.md`` is generated from it (``scripts/generate_docs.py``; a test
checks the file is current and that every KPI column of every route is defined here), the docs
hook shows it in the results guide and the HTML report shows the rows of its result
(:func:`kpi_definitions_for`).

A name may hold a placeholder in angle brackets, ``<product>``, ``<origin>`` (fossil, biogenic,
recycled, atmospheric), ``<area>``, ``<item>`` or ``<x>``: it stands for one word or more
(letters, digits, underscores).

Example
-------
>>> from carbonhub.costing.kpi_table import describe
>>> describe("co2_emitted_biogenic_t_per_y")["unit"]
't CO2/y'
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

__all__ = ["KPI_DEFINITIONS", "kpi_definitions", "describe", "undocumented", "kpi_definitions_for",
           "kpi_table_markdown"]

_K = "costing/kpis.py"
_CO2 = "costing/co2.py (carbon_kpis); EU ETS MRR Art. 38 (biomass zero-rated)"
_AV = "costing/avoided.py; property_data/co2_references.yaml"
_TEA = "costing/tea.py, costing/dcf.py; docs guide/costing.md"
_PINCH = "costing/pinch.py; Linnhoff & Flower (1978), Kemp (2007) s. 2.3, 3.9"
_EX = "costing/exergy.py, thermo/exergy.py; Szargut, Morris, Steward (1988)"
_HS = "costing/heat_supply.py; docs guide/heat.md"
_W = "costing/water.py; docs guide (water)"

KPI_DEFINITIONS: tuple[tuple[str, str, str, str], ...] = (
    # -- mass, carbon
    ("feed_dry_t_per_h", "t/h", "dry feedstock rate", _K),
    ("products_t_per_h.<product>", "t/h", "each product and by-product (one column per product)", _K),
    ("products_t_per_t_feed.<product>", "t/t", "each product per t of feedstock as received", _K),
    ("carbon_efficiency", "-", "carbon in the products / carbon in the feeds", _K),
    ("carbon_efficiency_<origin>", "-", "carbon efficiency of the carbon of one origin", _CO2),
    ("carbon_to_co2_fraction", "-", "carbon in the feeds leaving as CO2 (emitted or captured)", _K),
    ("carbon_in_<origin>_fraction", "-", "share of the carbon fed that is of one origin", _K),
    ("carbon_in_products_<origin>_fraction", "-", "share of the carbon in the products of one origin", _K),
    ("carbon_in_solid_residue_tC_per_y", "t C/y", "carbon leaving as char/soot with ash, spent sorbent and "
     "sludge (tonnes of carbon)", _K),
    ("carbon_other_tC_per_y", "t C/y", "carbon leaving in neither products, CO2 nor solids (CO/CH4 in vents, "
     "organics in wastewater; tonnes of carbon)", _K),
    # -- energy
    ("cold_gas_efficiency", "-", "LHV of the cold raw syngas / LHV of the feed (routes with a gasifier)",
     "unitops/gasifier.py"),
    ("energy_efficiency_lhv", "-", "(LHV of the products, liquid basis for liquid products + electricity sold "
     "+ steam sold) / (LHV of the feeds + electricity bought + fired heat + steam bought); steam at its "
     "latent heat at 10 bar", "costing/energy.py; IAPWS-IF97 (CoolProp)"),
    ("energy_efficiency_products_lhv", "-", "LHV of the products / the same denominator", "costing/energy.py"),
    ("electricity_MW", "MW", "net electricity demand of all units (negative: net export)", _K),
    ("electricity_import_MW", "MW", "electricity bought (net of all units)", "costing/energy.py"),
    ("electricity_export_MW", "MW", "electricity sold (net of all units)", "costing/energy.py"),
    ("steam_import_MW", "MW", "MP steam bought as heat: units' steam demand - steam raised + process steam "
     "drawn, where positive", "costing/energy.py"),
    ("steam_export_MW", "MW", "MP steam sold as heat (the same balance where negative)", "costing/energy.py"),
    ("steam_turbine_MW", "MW", "gross electricity of the steam turbine (prices.steam_credit_rule "
     "condensing_turbine: surplus steam x prices.steam_to_power_MWh_per_t; power_island: all the steam the units "
     "raise through an extraction-condensing turbine; 0 otherwise); its capital is the costing unit "
     "steam_turbine", "costing/power_island.py"),
    ("net_electricity_export_MW", "MW", "steam_turbine_MW less the units' net power (negative: the plant buys "
     "electricity)", "costing/power_island.py"),
    ("fired_heat_MW", "MW", "natural gas burnt for heat (LHV): the fired heat delivered, the steam demands above MP "
     "steam's reach included, net of the route's own gases, over heat.furnace_efficiency", "costing/energy.py"),
    # -- exergy
    ("exergy_efficiency", "-", "(exergy of the products + electricity sold + steam sold x (1 - T0/453.03 K)) / "
     "(exergy of the feeds + electricity bought + fired gas x ex/LHV of methane + steam bought x "
     "(1 - T0/453.03 K)); stream exergy = physical (NASA-7) + chemical (reference environment at "
     "298.15 K, 101.325 kPa)", _EX),
    ("exergy_feeds_MW", "MW", "physical + chemical exergy of every feed (but the process steam, counted as "
     "steam)", _EX),
    ("exergy_feeds_physical_MW", "MW", "the physical part of exergy_feeds_MW", _EX),
    ("exergy_products_MW", "MW", "physical + chemical exergy of the products and by-products", _EX),
    ("exergy_utilities_in_MW", "MW", "exergy of electricity, fired gas and steam bought", _EX),
    ("exergy_utilities_out_MW", "MW", "exergy of electricity and steam sold", _EX),
    ("exergy_lost_destroyed_MW", "MW", "exergy in - exergy out: lost with emissions, effluents, residues and "
     "cooling, and destroyed in the units", _EX),
    # -- heat integration and heat supply
    ("hot_utility_min_MW", "MW", "minimum hot utility by pinch targeting (problem table) at heat.dt_min, plus the fired duties (not integrated)", _PINCH),
    ("cold_utility_min_MW", "MW", "minimum cold utility by pinch targeting at heat.dt_min", _PINCH),
    ("hot_utility_unintegrated_MW", "MW", "the units' heating duties as they are (steam and fired heat)", _PINCH),
    ("cold_utility_unintegrated_MW", "MW", "the units' cooling duties as they are (cooling water, steam "
     "raised)", _PINCH),
    ("heat_recovery_MW", "MW", "heat a heat-exchanger network could recover (unintegrated - minimum hot "
     "utility)", _PINCH),
    ("pinch_T_K", "K", "shifted pinch temperature (NaN where the problem is a threshold one)", _PINCH),
    ("hot_utility_bought_MW", "MW", "steam and natural gas (LHV) bought for heat on heat.utility_basis (units or "
     "pinch targets), before electrification", _HS),
    ("heat_electricity_MW", "MW", "electricity of the electrified heat (heat.hot_utility electric_boiler: "
     "heat / efficiency; heat_pump: steam / COP, COP = eta T_sink / (T_sink - T_source))", _HS),
    ("heat_above_steam_MW", "MW", "steam demands hotter than MP steam reaches (453.03 K less heat.steam_approach_K): "
     "fired heat, with a fired heater costed", _HS),
    ("refrigeration_electricity_MW", "MW", "electricity of the refrigeration that chills column feeds below the "
     "reach of cooling water (Carnot fraction of the unit's refrigerated condensers)", _HS),
    # -- water (reported by costing/water.py)
    ("water_in_t_per_h", "t/h", "water entering (moisture, steam, process water)", _K),
    ("wastewater_t_per_h", "t/h", "water discharged as wastewater", _K),
    ("feed_moisture_t_per_h", "t/h", "water in the feedstocks as received", _W),
    ("reaction_water_t_per_h", "t/h", "net water made by the reactions: water out - water in (negative: "
     "consumed)", _W),
    ("process_water_t_per_h", "t/h", "raw water drawn by process-water sources", _W),
    ("process_steam_t_per_h", "t/h", "steam injected into the process", _W),
    ("cooling_tower_<item>_t_per_h", "t/h", "evaporative cooling tower of the units' cooling duty (and of the steam "
     "turbine's condenser under condensing_turbine or power_island): evaporation, drift, blowdown, make-up", _W),
    ("water_reused_t_per_h", "t/h", "treated water reused (cooling-tower make-up and/or demineralisation "
     "feed, by water.reuse)", _W),
    ("water_reused_<item>_t_per_h", "t/h", "treated water reused, by use", _W),
    ("water_intake_t_per_h", "t/h", "raw water taken in = process water + process steam / demin recovery + "
     "cooling-tower make-up - water reused", _W),
    ("water_use_t_per_t_product", "t/t", "water intake / main product", _W),
    ("liquid_effluent_t_per_h", "t/h", "wastewater + recovered water - water reused", _W),
    ("salts_solid_t_per_h", "t/h", "salts leaving as solids (zero liquid discharge)", _W),
    ("effluent_<x>_mg_per_L", "mg/L", "effluent quality (COD, N, Cl, salts) per litre of water", _W),
    ("effluent_<x>_kg_per_h", "kg/h", "effluent load (COD, N, Cl, salts)", _W),
    ("effluent_<x>_to_limit", "-", "effluent concentration / its limit water.<x>_limit_mg_per_L", _W),
    ("effluent_within_limits", "-", "1 where every effluent ratio is <= 1, else 0", _W),
    # -- CO2 by origin
    ("co2_emitted_t_per_y", "t CO2/y", "CO2 emitted to air, all origins", _CO2),
    ("co2_emitted_<origin>_t_per_y", "t CO2/y", "CO2 emitted of one origin; the four origins sum to "
     "co2_emitted_t_per_y", _CO2),
    ("co2_emitted_fossil_like_t_per_y", "t CO2/y", "CO2 emitted of the fossil-like origins (fossil + "
     "recycled): the CO2 charged under the EU ETS", _CO2),
    ("co2_emitted_nonfossil_t_per_y", "t CO2/y", "the rest (biogenic + atmospheric); fossil_like + "
     "nonfossil = total", _CO2),
    ("co2_captured_t_per_y", "t CO2/y", "CO2 sent to storage, all origins", _CO2),
    ("co2_captured_<origin>_t_per_y", "t CO2/y", "CO2 stored of one origin (also fossil_like, nonfossil)", _CO2),
    # -- CO2 avoided
    ("co2_reference_t_per_y", "t CO2eq/y", "cradle-to-gate emissions of the fossil products the main product "
     "and the by-products replace", _AV),
    ("co2_byproduct_credit_t_per_y", "t CO2eq/y", "the by-products' part of co2_reference_t_per_y "
     "(substitution, ISO 14044 4.3.4.2)", _AV),
    ("co2_route_t_per_y", "t CO2eq/y", "the route's cradle-to-gate emissions: fossil-like CO2 emitted + "
     "electricity bought x (ghg.ppa_share x ghg.ppa_ef_t_per_MWh + rest x ghg.grid_ef_t_per_MWh) + fired "
     "natural gas + steam bought + hydrogen bought + feedstock supply - non-fossil CO2 stored", _AV),
    ("co2_hydrogen_t_per_y", "t CO2eq/y", "the hydrogen bought's part of co2_route_t_per_y: hydrogen x "
     "ghg.hydrogen_ef_t_per_t (by prices.hydrogen_origin; 0 where none is bought)", _AV),
    ("co2_avoided_t_per_y", "t CO2eq/y", "co2_reference_t_per_y - co2_route_t_per_y (negative: the route "
     "emits more)", _AV),
    ("co2_avoided_t_per_t_product", "t CO2eq/t", "CO2 avoided per t of main product", _AV),
    ("co2_avoided_cost_eur_per_t", "EUR/t CO2", "(MSP - market price) x main product / CO2 avoided; NaN "
     "where the route avoids nothing", _AV),
    ("market_price_eur_per_t", "EUR/t", "market price of the main product (prices.<product>_eur_per_t) in "
     "EUR of the cost year", _AV),
    ("financial_gap_eur_per_t", "EUR/t", "MSP - market price", _AV),
    ("financial_gap_eur_per_y", "EUR/y", "financial gap x main product per year", _AV),
    ("gate_fee_eur_per_t_feed", "EUR/t", "break-even gate fee: paid to the plant per t of feed as received "
     "for NPV = 0 with the main product and the by-products at their market prices (negative: what the "
     "plant can pay for its feed)", "costing/gate_fee.py"),
    ("feed_break_even_price_eur_per_t", "EUR/t", "- gate_fee_eur_per_t_feed: the highest feed price at "
     "which the route breaks even", "costing/gate_fee.py"),
    ("simple_payback_y", "y", "TCI / (market revenue + by-product revenue - OPEX); inf where that cash "
     "flow is not positive", _AV),
    # -- economics
    ("tci_eur", "EUR", "total capital investment", _TEA),
    ("capex_eur", "EUR", "fixed capital investment", _TEA),
    ("capital_<area>_eur", "EUR", "installed cost by plant area", "costing/areas.py"),
    ("opex_eur_per_y", "EUR/y", "operating cost (fixed + variable, credits negative)", _TEA),
    ("msp_eur_per_t", "EUR/t", "minimum selling price of the main product at the target IRR", _TEA),
    ("levelised_cost_eur_per_t", "EUR/t", "levelised cost of the main product", _TEA),
    ("npv_eur", "EUR", "net present value at the product prices", _TEA),
    ("msp_no_steam_credit_eur_per_t", "EUR/t", "the MSP with the surplus-steam credit switched off, the plant as "
     "built (under condensing_turbine its turbine's capital stays; under power_island the island's electricity "
     "credit is taken out)", _TEA),
    ("steam_credit_eur_per_t", "EUR/t", "surplus-steam credit in the MSP (prices.steam_credit_rule; under "
     "power_island the island's electricity, power_island_electricity)", _TEA),
    ("n_trains.<item>", "-", "parallel trains of a unit whose size is above its cost correlation's range",
     "costing/correlations.py"),
)
"""(name, unit, definition, source) of every KPI column."""


def _regex(name: str) -> re.Pattern:
    parts = re.split(r"<[a-z]+>", name)
    return re.compile("^" + "[A-Za-z0-9_]+".join(re.escape(p) for p in parts) + "$")


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern, int], ...]:
    # exact names first, then patterns (a pattern never shadows a name defined on its own)
    exact = [(_regex(d[0]), i) for i, d in enumerate(KPI_DEFINITIONS) if "<" not in d[0]]
    pattern = [(_regex(d[0]), i) for i, d in enumerate(KPI_DEFINITIONS) if "<" in d[0]]
    return tuple(exact + pattern)


def kpi_definitions():
    """All definitions as a DataFrame: name, unit, definition, source."""
    import pandas as pd

    return pd.DataFrame(list(KPI_DEFINITIONS), columns=["name", "unit", "definition", "source"])


def describe(column: str) -> dict | None:
    """The definition of one KPI column (``{"name", "unit", "definition", "source"}``) or None."""
    for rx, i in _compiled():
        if rx.match(column):
            return dict(zip(("name", "unit", "definition", "source"), KPI_DEFINITIONS[i]))
    return None


def undocumented(columns: Iterable[str]) -> list[str]:
    """The columns with no definition here."""
    return [c for c in columns if describe(c) is None]


def kpi_definitions_for(columns: Iterable[str]):
    """The definitions that a result's KPI columns use, once each, in table order (for a report)."""
    import pandas as pd

    used = {describe(c)["name"] for c in columns if describe(c) is not None}
    rows = [d for d in KPI_DEFINITIONS if d[0] in used]
    return pd.DataFrame(rows, columns=["name", "unit", "definition", "source"])


def _cell(s: str) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def kpi_table_markdown(header: bool = True) -> str:
    """The Markdown of ``docs/guide/kpis.md`` (``header``: with its title and introduction)."""
    lines = []
    if header:
        lines += ["# KPIs", "",
                  "<!-- generated by scripts/generate_docs.py from carbonhub.costing.kpi_table: do not edit -->",
                  "",
                  "Every column of `res.kpis` (one row per case), with its unit, definition and where it "
                  "is computed or comes from. `<product>`, `<origin>` (fossil, biogenic, recycled, "
                  "atmospheric), `<area>`, `<item>` and `<x>` stand for one column each.", ""]
    lines += ["| KPI | unit | definition | source |", "|---|---|---|---|"]
    lines += [f"| `{n}` | {_cell(u)} | {_cell(d)} | {_cell(s)} |" for n, u, d, s in KPI_DEFINITIONS]
    return "\n".join(lines) + "\n"
