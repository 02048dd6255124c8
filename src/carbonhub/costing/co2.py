"""Carbon and CO2 KPIs by carbon origin, vectorised over cases.

Carbon flows are given per origin (``"fossil"``, ``"biogenic"``, ``"recycled"``,
``"atmospheric"``) as mappings ``origin -> array (n_cases,)`` in tonnes of **carbon** per year
[t C/y], for the feeds, the products, the CO2 captured and the CO2 emitted to air. CO2 masses
use M(CO2)/M(C) = 44.009/12.011 = 3.66406 (IUPAC 2013 conventional atomic weights).

Which origins count as fossil (ETS-liable, not climate-neutral) is set in tea_defaults.yaml
(``co2.fossil_like_origins``: fossil and recycled fossil carbon; biomass is zero-rated under
the EU ETS MRR, Art. 38).

CO2 avoided (per year) compares a route with a named fossil reference product on the same
boundary::

    avoided = Q x EF_ref - (direct fossil-like CO2 + electricity x grid EF + other indirect
                            + fossil C in the product x 44/12 [if the boundary includes use]
                            - non-fossil CO2 captured and stored)
    cost of CO2 avoided = (MSP - reference price) x Q / avoided      [EUR/t CO2]

Example
-------
>>> import numpy as np
>>> from carbonhub.costing.co2 import carbon_kpis
>>> k = carbon_kpis(feed={"biogenic": np.array([100.0])}, products={"biogenic": np.array([40.0])},
...                 emitted={"biogenic": np.array([35.0])}, captured={"biogenic": np.array([25.0])})
>>> float(k["carbon_efficiency"][0]), round(float(k["co2_captured_t_per_y"][0]), 2)
(0.4, 91.6)

References
----------
.. [1] IUPAC/CIAAW (2016). Atomic weights of the elements 2013. Pure Appl. Chem. 88, 265-291,
   doi:10.1515/pac-2015-0305.
.. [2] Commission Implementing Regulation (EU) 2018/2066 (EU ETS monitoring and reporting),
   Art. 38 (zero emission factor of biomass).
.. [3] Directive (EU) 2018/2001 (RED II), Annex V C.19 (fossil fuel comparator 94 g CO2eq/MJ).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Mapping

import numpy as np

from carbonhub.data import load_yaml

__all__ = [
    "ORIGINS",
    "co2_per_c",
    "fossil_like_origins",
    "carbon_kpis",
    "reference_product",
    "co2_avoided",
    "co2_avoidance_cost",
    "energy_efficiency_lhv",
]

ORIGINS = ("fossil", "biogenic", "recycled", "atmospheric")


@lru_cache(maxsize=1)
def _co2() -> dict:
    return load_yaml("tea_defaults.yaml")["co2"]


def co2_per_c() -> float:
    """M(CO2)/M(C) [t CO2 per t C] (tea_defaults.yaml, IUPAC 2013)."""
    aw = _co2()["atomic_weights"]
    return (float(aw["C"]) + 2.0 * float(aw["O"])) / float(aw["C"])


def fossil_like_origins() -> tuple[str, ...]:
    """Origins counted as fossil CO2 (tea_defaults.yaml ``co2.fossil_like_origins``)."""
    return tuple(_co2()["fossil_like_origins"]["value"])


def _origins(d: Mapping[str, object] | None, what: str) -> dict[str, np.ndarray]:
    if d is None:
        return {}
    out = {}
    for k, v in d.items():
        if k not in ORIGINS:
            raise ValueError(f"{what}: unknown carbon origin {k!r}; expected one of {ORIGINS}")
        a = np.asarray(v, dtype=float)
        if np.any(~np.isfinite(a)) or np.any(a < 0):
            raise ValueError(f"{what}[{k!r}] must be finite and >= 0 t C/y, got "
                             f"{float(np.min(a))!r}")
        out[k] = a
    return out


def _total(d: Mapping[str, np.ndarray]) -> np.ndarray:
    return sum(d.values(), np.asarray(0.0))


def _ratio(num, den) -> np.ndarray:
    num, den = np.broadcast_arrays(np.asarray(num, dtype=float), np.asarray(den, dtype=float))
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def carbon_kpis(feed: Mapping[str, object], products: Mapping[str, object],
                emitted: Mapping[str, object] | None = None,
                captured: Mapping[str, object] | None = None) -> dict[str, np.ndarray]:
    """Carbon efficiency and CO2 flows, overall and by origin.

    Parameters
    ----------
    feed, products, emitted, captured : mapping origin -> float or ndarray (n_cases,)
        Carbon in all feeds, in all products, in CO2 emitted to air and in CO2 captured
        [t C/y].

    Returns
    -------
    dict of ndarray
        ``carbon_efficiency`` (C in products / C in feed [-]) and
        ``carbon_efficiency_<origin>`` (NaN where the feed has no carbon of that origin);
        ``carbon_to_co2_fraction`` ((emitted + captured) / feed [-]);
        ``co2_emitted_t_per_y`` and ``co2_emitted_<origin>_t_per_y`` for each of the four
        origins (that origin only: the four sum to the total), ``co2_emitted_fossil_like_t_per_y``
        (the origins of ``co2.fossil_like_origins``: fossil + recycled by default) and
        ``co2_emitted_nonfossil_t_per_y`` (the rest; the two also sum to the total); the same
        for ``co2_captured_*`` [t CO2/y];
        ``carbon_not_co2_tC_per_y`` (feed - products - emitted - captured [t C/y]: carbon
        leaving in other streams such as char, ash or wastewater).
    """
    f = _origins(feed, "feed")
    p = _origins(products, "products")
    e = _origins(emitted, "emitted")
    c = _origins(captured, "captured")
    k = co2_per_c()
    fossil = fossil_like_origins()
    out: dict[str, np.ndarray] = {}
    f_tot, p_tot, e_tot, c_tot = _total(f), _total(p), _total(e), _total(c)
    out["carbon_efficiency"] = _ratio(p_tot, f_tot)
    for o in ORIGINS:
        if o in f or o in p:
            out[f"carbon_efficiency_{o}"] = _ratio(p.get(o, 0.0), f.get(o, 0.0))
    out["carbon_to_co2_fraction"] = _ratio(e_tot + c_tot, f_tot)
    shape = np.shape(f_tot + p_tot + e_tot + c_tot)
    for what, d in (("emitted", e), ("captured", c)):
        # one origin each: the four add up to the total exactly (no overlapping names)
        by = {o: k * np.broadcast_to(np.asarray(d.get(o, 0.0), dtype=float), shape) for o in ORIGINS}
        out[f"co2_{what}_t_per_y"] = sum(by.values(), np.zeros(shape))
        for o in ORIGINS:
            out[f"co2_{what}_{o}_t_per_y"] = by[o]
        out[f"co2_{what}_fossil_like_t_per_y"] = sum((by[o] for o in ORIGINS if o in fossil),
                                                     np.zeros(shape))
        out[f"co2_{what}_nonfossil_t_per_y"] = sum((by[o] for o in ORIGINS if o not in fossil),
                                                   np.zeros(shape))
    out["carbon_not_co2_tC_per_y"] = np.asarray(f_tot - p_tot - e_tot - c_tot, dtype=float)
    return out


def reference_product(name: str) -> dict:
    """Emission factor of a named fossil reference product (tea_defaults.yaml).

    Returns ``{"value": t CO2eq/t, "boundary": str, "source": str}``; raises KeyError listing
    the available names.
    """
    table = _co2()["reference_products"]
    try:
        return dict(table[name])
    except KeyError:
        raise KeyError(f"unknown reference product {name!r}; available: {sorted(table)} "
                       "(or pass the emission factor [t CO2eq/t] directly)") from None


def co2_avoided(product_t_per_y, reference: str | float, *, direct_fossil_co2_t_per_y=0.0,
                electricity_MWh_per_y=0.0, grid_ef_t_per_MWh=0.0, other_indirect_t_per_y=0.0,
                product_fossil_c_t_per_y=0.0, stored_nonfossil_co2_t_per_y=0.0,
                include_product_use: bool | None = None) -> dict[str, np.ndarray]:
    """CO2 avoided per year relative to a fossil reference product [t CO2eq/y].

    Parameters
    ----------
    product_t_per_y : float or ndarray (n_cases,)
        Main-product output Q [t/y].
    reference : str or float
        A reference-product name of tea_defaults.yaml (e.g. ``"diesel"``) or its emission
        factor EF_ref [t CO2eq/t].
    direct_fossil_co2_t_per_y : float or ndarray
        Fossil CO2 emitted at the plant [t/y].
    electricity_MWh_per_y, grid_ef_t_per_MWh : float or ndarray
        Net electricity imported [MWh/y] and its emission factor [t CO2eq/MWh].
    other_indirect_t_per_y : float or ndarray
        Other upstream emissions (feedstock supply, chemicals) [t CO2eq/y].
    product_fossil_c_t_per_y : float or ndarray
        Fossil(-like) carbon in the main product [t C/y], emitted on use.
    stored_nonfossil_co2_t_per_y : float or ndarray
        Biogenic/atmospheric CO2 captured and permanently stored [t/y] (a removal).
    include_product_use : bool, optional
        Count the product's fossil carbon as emitted on use. Default: True when the reference
        boundary includes use (well_to_wheel / cradle_to_grave), False for cradle_to_gate; a
        numeric reference defaults to True.

    Returns
    -------
    dict of ndarray
        ``reference_emissions_t_per_y``, ``route_emissions_t_per_y``,
        ``co2_avoided_t_per_y``.
    """
    if isinstance(reference, str):
        ref = reference_product(reference)
        ef = float(ref["value"])
        if include_product_use is None:
            include_product_use = ref.get("boundary") != "cradle_to_gate"
    else:
        ef = float(reference)
        include_product_use = True if include_product_use is None else include_product_use
    if ef < 0:
        raise ValueError(f"reference emission factor must be >= 0, got {ef!r} t CO2eq/t")
    q = np.asarray(product_t_per_y, dtype=float)
    route = (np.asarray(direct_fossil_co2_t_per_y, dtype=float)
             + np.asarray(electricity_MWh_per_y, dtype=float)
             * np.asarray(grid_ef_t_per_MWh, dtype=float)
             + np.asarray(other_indirect_t_per_y, dtype=float)
             - np.asarray(stored_nonfossil_co2_t_per_y, dtype=float))
    if include_product_use:
        route = route + co2_per_c() * np.asarray(product_fossil_c_t_per_y, dtype=float)
    ref_em = q * ef
    return {"reference_emissions_t_per_y": ref_em, "route_emissions_t_per_y": route,
            "co2_avoided_t_per_y": ref_em - route}


def co2_avoidance_cost(msp_eur_per_t, reference_price_eur_per_t, product_t_per_y,
                       co2_avoided_t_per_y) -> np.ndarray:
    """Cost of CO2 avoided [EUR/t CO2]: ``(MSP - p_ref) Q / avoided``; NaN where avoided <= 0."""
    extra = (np.asarray(msp_eur_per_t, dtype=float)
             - np.asarray(reference_price_eur_per_t, dtype=float)) \
        * np.asarray(product_t_per_y, dtype=float)
    av = np.asarray(co2_avoided_t_per_y, dtype=float)
    extra, av = np.broadcast_arrays(extra, av)
    out = np.full(extra.shape, np.nan)
    np.divide(extra, av, out=out, where=av > 0)
    return out


def energy_efficiency_lhv(products_lhv_MW, feed_lhv_MW, electricity_in_MW=0.0,
                          other_energy_in_MW=0.0) -> np.ndarray:
    """Energy efficiency on LHV [-]: products / (feed + electricity + other energy in).

    Parameters
    ----------
    products_lhv_MW, feed_lhv_MW : float or ndarray
        Chemical energy (LHV) of the products and feeds [MW].
    electricity_in_MW, other_energy_in_MW : float or ndarray
        Net electricity and other energy imports (e.g. natural gas LHV) [MW].
    """
    den = (np.asarray(feed_lhv_MW, dtype=float) + np.asarray(electricity_in_MW, dtype=float)
           + np.asarray(other_energy_in_MW, dtype=float))
    return _ratio(products_lhv_MW, den)
