"""Route figures in the documentation, generated from the routes at their defaults.

A page marks a generated block with two lines of their own::

    <!-- generated:NAME -->
    ... (written by scripts/generate_docs.py: do not edit)
    <!-- /generated:NAME -->

:func:`replace_blocks` puts the Markdown of :data:`BLOCKS` ``[NAME]`` between them;
``scripts/generate_docs.py`` does it for every page of :data:`PAGES`, and
``tests/docs/test_doc_figures.py`` fails when a page is not what the routes give now. A figure
the prose quotes belongs in a block (or the prose points to the block's table), so that a
changed default (a price, a unit added to a route) shows up in the pages by re-running the
script, never by someone retyping numbers.

:func:`simulate_defaults` runs every route once at its defaults, once built with zero liquid
discharge and once per hot-utility option (five cases in one call); the blocks are pure
functions of those results.
"""
from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

__all__ = ["BLOCKS", "PAGES", "Runs", "simulate_defaults", "render", "replace_blocks",
           "block_names", "update_pages"]

MARK = re.compile(r"^<!-- generated:([a-z0-9-]+) -->\n(.*?)^<!-- /generated:\1 -->$",
                  re.MULTILINE | re.DOTALL)
OPEN = re.compile(r"^<!-- (/?)generated:([a-z0-9-]+) -->[ \t]*$", re.MULTILINE)
PAGES = ("README.md", "docs/**/*.md")
"""Glob patterns (from the repository root) of the pages that may hold generated blocks."""

HEAT_OPTIONS = (("units", "fuel"), ("pinch", "fuel"), ("units", "electric_boiler"),
                ("units", "heat_pump"), ("pinch", "heat_pump"))
"""(``heat.utility_basis``, ``heat.hot_utility``) of the heat-supply table; the first is the
default."""


@dataclass
class Runs:
    """Route results at the defaults: ``heat[route]`` (one case per :data:`HEAT_OPTIONS`, the
    first the defaults) and ``zld[route]`` (built with zero liquid discharge)."""

    heat: dict
    zld: dict

    @property
    def default(self) -> dict:
        """Every route at its defaults: case 0 of ``heat`` (read with ``case=0``)."""
        return self.heat


def simulate_defaults(routes: list[str] | None = None) -> Runs:
    """Run every route (or ``routes``) at its defaults: 2 simulate() calls per route."""
    from carbonhub import routes as lib

    names = list(routes or lib.names())
    heat = {"heat.utility_basis": [b for b, _ in HEAT_OPTIONS],
            "heat.hot_utility": [h for _, h in HEAT_OPTIONS]}
    runs = Runs(heat={r: lib.load(r).simulate(params=heat) for r in names},
                zld={r: lib.load(r, zld=True).simulate() for r in names})
    for route, res in runs.heat.items():
        defaults = res.flowsheet.parameters().set_index("name")["default"]
        for name, values in heat.items():
            if defaults[name] != values[0]:
                raise ValueError(f"{route}: {name} defaults to {defaults[name]!r}, but case 0 of "
                                 f"the heat-supply table assumes {values[0]!r}")
    return runs


# -- formatting ---------------------------------------------------------------------------
def _n(x: float, digits: int | None = None) -> str:
    """A figure as the pages print it: ``digits`` decimals, or 0 from 100 up, 1 below."""
    x = float(x)
    if not math.isfinite(x):
        return "-"
    # floating-point noise never decides a rounding: 0.4499999999999999 and 0.45 (one figure
    # computed in a batch of cases and alone) print alike
    x = float(f"{x:.10g}")
    if digits is None:
        digits = 0 if abs(x) >= 100 else 1
    s = f"{x:,.{digits}f}"
    return s[1:] if s.startswith("-") and float(s.replace(",", "")) == 0 else s


def _k(res, name: str, case: int = 0) -> float:
    return float(np.asarray(res.kpis[name])[case])


def _prose(text: str) -> str:
    """A paragraph wrapped at 100 characters, as the hand-written pages are."""
    return textwrap.fill(text, 100, break_on_hyphens=False, break_long_words=False)


def _range(xs: list[float], digits: int | None = None) -> str:
    lo, hi = _n(min(xs), digits), _n(max(xs), digits)
    return lo if lo == hi else f"{lo}-{hi}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return "\n".join(out + ["| " + " | ".join(r) + " |" for r in rows])


def _price(res, name: str) -> float:
    return float(np.asarray(res.param(name))[0])


def _common_price(runs: Runs, name: str) -> str:
    vals = {_price(res, name) for res in runs.default.values()}
    return _n(vals.pop(), 1) if len(vals) == 1 else "per route"


# -- blocks -------------------------------------------------------------------------------
def _main_product_t_per_y(res) -> float:
    """The route's main product (the sum its MSP is per tonne of) [t/y]."""
    names = res.flowsheet.economics_spec["main_products"]
    return sum(_k(res, f"products_t_per_h.{p}") for p in names) * _price(
        res, "economics.operating_hours")


def route_figures(runs: Runs) -> str:
    """Costing guide: MSP, capital, operating cost, utilities and CO2 of every route."""
    rows = []
    for route, res in runs.default.items():
        rows.append([route, _n(_price(res, "economics.operating_hours"), 0),
                     _n(_main_product_t_per_y(res)), _n(_k(res, "msp_eur_per_t")), _n(_k(res, "capex_eur") / 1e6),
                     _n(_k(res, "tci_eur") / 1e6), _n(_k(res, "opex_eur_per_y") / 1e6),
                     _n(_price(res, "prices.feedstock_eur_per_t")),
                     _n(_k(res, "electricity_import_MW") - _k(res, "electricity_export_MW")),
                     _n(_k(res, "fired_heat_MW")),
                     _n(_k(res, "steam_import_MW") - _k(res, "steam_export_MW")),
                     _n(_k(res, "carbon_efficiency"), 3), _n(_k(res, "energy_efficiency_lhv"), 3),
                     _n(_k(res, "co2_avoided_cost_eur_per_t"))])
    head = ["route", "operating h/y", "main product t/y", "MSP EUR/t", "FCI MEUR", "TCI MEUR", "OPEX MEUR/y", "feedstock EUR/t",
            "net electricity MW", "fired heat MW", "net steam bought MW", "carbon efficiency",
            "energy efficiency (LHV)", "CO2-avoided cost EUR/t CO2"]
    return (_prose(f"Every route at its defaults (electricity "
                   f"{_common_price(runs, 'prices.electricity_eur_per_MWh')} EUR/MWh; MSP per "
                   "tonne of the route's main product; net electricity and steam: bought minus "
                   "sold):") + "\n\n" + _table(head, rows))


def exergy_efficiency(runs: Runs) -> str:
    """Heat guide: exergy and LHV energy efficiency of every route."""
    rows = [[route, _n(_k(res, "exergy_efficiency"), 3), _n(_k(res, "energy_efficiency_lhv"), 3)]
            for route, res in runs.default.items()]
    return _table(["route (defaults)", "exergy efficiency", "energy efficiency (LHV)"], rows)


def heat_supply(runs: Runs) -> str:
    """Heat guide: heat bought and the MSP under each hot-utility option."""
    labels = {"units": "units", "pinch": "pinch", "fuel": "fuel",
              "electric_boiler": "electric boiler", "heat_pump": "heat pump"}
    head = (["route", "hot utility bought MW"]
            + [f"MSP {labels[b]} / {labels[h]} EUR/t" for b, h in HEAT_OPTIONS])
    rows, buyers = [], []
    for route, res in runs.heat.items():
        bought = _k(res, "hot_utility_bought_MW")
        if _n(bought, 2) != "0.00":
            buyers.append(f"{route} ({_n(bought, 2)} MW)")
        rows.append([route, _n(bought, 2)]
                    + [_n(_k(res, "msp_eur_per_t", i)) for i in range(len(HEAT_OPTIONS))])
    who = (" and ".join(buyers) + (" buys" if len(buyers) == 1 else " buy")) if buyers \
        else "no route buys"
    return (_prose(f"At the defaults (electricity "
                   f"{_common_price(runs, 'prices.electricity_eur_per_MWh')} EUR/MWh) {who} "
                   "heat (steam and natural gas bought, `hot_utility_bought_MW`) on the "
                   "`units`/`fuel` basis. The MSP of every route under each option "
                   "(`heat.utility_basis` / `heat.hot_utility`):") + "\n\n" + _table(head, rows))


def _zld_design(res) -> dict:
    for ur in res.unit_results.values():
        if "evaporated_t_per_h" in ur.design:
            return {k: float(np.asarray(v)[0]) for k, v in ur.design.items()}
    raise KeyError("no EvaporatorCrystalliser in a route built with zld=True")


def _limits(res) -> str:
    if _k(res, "effluent_within_limits") == 1:
        return "yes"
    label = {"cod": "COD", "n": "N", "cl": "Cl", "salts": "salts"}
    over = [label[s] for s in label if _k(res, f"effluent_{s}_to_limit") > 1]
    return f"no ({', '.join(over)})"


def water_figures(runs: Runs) -> str:
    """Water guide: sources, intake, effluent and its quality, with and without ZLD."""
    head = ["route", "moisture t/h", "reaction water t/h", "cooling-tower make-up t/h",
            "intake t/h", "t water / t product", "effluent t/h", "COD mg/L", "Cl mg/L",
            "within limits", "MSP EUR/t"]
    rows, evap, power, dmsp, conc, cryst, spec = [], [], [], [], [], [], []
    for route in runs.default:
        for res, name in ((runs.default[route], route), (runs.zld[route], f"{route}, zld")):
            zld = res is runs.zld[route]
            within = _limits(res)
            if zld and _k(res, "salts_solid_t_per_h") > 0:
                within += f" ({_n(1000 * _k(res, 'salts_solid_t_per_h'), 0)} kg/h salts)"
            rows.append([name] + [_n(_k(res, c)) for c in (
                "feed_moisture_t_per_h", "reaction_water_t_per_h", "cooling_tower_makeup_t_per_h",
                "water_intake_t_per_h", "water_use_t_per_t_product", "liquid_effluent_t_per_h")]
                + (["-", "-"] if zld else [_n(_k(res, "effluent_cod_mg_per_L"), 0),
                                           _n(_k(res, "effluent_cl_mg_per_L"), 0)])
                + [within, _n(_k(res, "msp_eur_per_t"))])
        d = _zld_design(runs.zld[route])
        evap.append(d["evaporated_t_per_h"])
        power.append(d["power_kW"] / 1e3)
        conc.append(d["concentrator_kWh_per_t"])
        cryst.append(d["crystalliser_kWh_per_t"])
        spec.append(d["specific_energy_kWh_per_m3"])
        dmsp.append((route, _k(runs.zld[route], "msp_eur_per_t")
                     - _k(runs.default[route], "msp_eur_per_t")))
    msp = ", ".join(f"{r} {'+' if v >= 0 else ''}{_n(v)}" for r, v in dmsp)
    return (_table(head, rows) + "\n\n" + _prose(
        f"The ZLD train evaporates {_range(evap)} t/h with {_range(power, 2)} MW of compressor "
        f"power ({_range(spec)} kWh/m3 of feed; {_range(conc)} kWh/t evaporated in the brine concentrator, {_range(cryst)} kWh/t "
        "in the crystalliser, within the published 20-39 and 52-66 kWh/m3 of Tong & "
        f"Elimelech 2016); it changes the MSP by (EUR/t) {msp}."))


BLOCKS: dict[str, Callable[[Runs], str]] = {
    "route-figures": route_figures,
    "exergy-efficiency": exergy_efficiency,
    "heat-supply": heat_supply,
    "water-figures": water_figures,
}
"""Block name -> the function that writes its Markdown from :class:`Runs`."""


def render(runs: Runs, names=None) -> dict[str, str]:
    """The Markdown of every block (or of ``names``)."""
    return {n: BLOCKS[n](runs) for n in (names or BLOCKS)}


# -- pages --------------------------------------------------------------------------------
def block_names(text: str) -> list[str]:
    """The generated blocks of a page, in order; a marker without its pair is an error."""
    opened: list[str] = []
    names: list[str] = []
    for m in OPEN.finditer(text):
        closing, name = m.group(1) == "/", m.group(2)
        if closing:
            if not opened or opened.pop() != name:
                raise ValueError(f"<!-- /generated:{name} --> closes no open block")
        else:
            if opened:
                raise ValueError(f"<!-- generated:{name} --> inside "
                                 f"<!-- generated:{opened[-1]} -->")
            opened.append(name)
            names.append(name)
    if opened:
        raise ValueError(f"<!-- generated:{opened[-1]} --> is never closed "
                         f"(expected <!-- /generated:{opened[-1]} -->)")
    return names


def replace_blocks(text: str, blocks: dict[str, str],
                   source: str = "scripts/generate_docs.py") -> str:
    """``text`` with every generated block's content replaced by ``blocks[name]``."""
    names = block_names(text)
    unknown = sorted(set(names) - set(blocks))
    if unknown:
        raise ValueError(f"unknown generated block(s) {unknown}; known: {sorted(blocks)}")

    def sub(m: re.Match) -> str:
        name = m.group(1)
        return (f"<!-- generated:{name} -->\n<!-- written by {source}: do not edit -->\n"
                f"{blocks[name].rstrip()}\n<!-- /generated:{name} -->")

    return MARK.sub(sub, text)


def pages(root: Path) -> list[Path]:
    """The Markdown pages under ``root`` that hold a generated block."""
    out = []
    for pattern in PAGES:
        for path in sorted(root.glob(pattern)):
            if path.is_file() and OPEN.search(path.read_text(encoding="utf-8")):
                out.append(path)
    return out


def update_pages(root: Path, blocks: dict[str, str], check: bool = False) -> list[Path]:
    """Rewrite the generated blocks of every page under ``root``; return the pages that were
    (with ``check``: that would be) changed."""
    stale = []
    for path in pages(root):
        old = path.read_text(encoding="utf-8")
        new = replace_blocks(old, blocks)
        if new != old:
            stale.append(path)
            if not check:
                path.write_text(new, encoding="utf-8")
    return stale
