"""Techno-economics and KPIs of the equation-oriented twin, as Pyomo expressions.

The TEA of :mod:`carbonhub.costing` is evaluated for the same case in the core; its structure
is then written as expressions of the model's variables, so that IPOPT can optimise MSP,
NPV or CO2 over operating variables:

* product, by-product, feedstock, electricity, CO2 emitted and CO2 stored flows are exact
  expressions of the streams, unit powers and parameters;
* the installed cost of each unit follows the correlation's local power law at the core
  solution, C = C0 (S/S0)^n with n = d ln C / d ln S evaluated on the real correlation, and
  the size S scales with the unit's mass throughput (S/S0 = T/T0) — exact at the core point,
  first-order away from it (documented approximation, checked by re-simulating optima in
  the core);
* fixed capital = the core's build-up factor x sum of installed costs; fixed OPEX scales with
  fixed capital except labour; other variable costs (steam, cooling water, catalysts, water)
  scale with the main product;
* the plant's net steam is an exact expression of the units' steam duties (first order where
  a duty is frozen), priced on the side of zero the core is on: a regime the optimiser holds
  (``m._carbonhub["regimes"]``, see :func:`_steam_regime`); a demand the core heats by fired
  heat (above steam's reach) is not steam: its fired part drives the natural gas, the gas's
  CO2 and the size of its fired heater (:mod:`carbonhub.eo.heat_twin`);
* the minimum selling price uses the DCF's exact linear structure (NPV is linear in price and
  in every cost): MSP = (k_cap FCI + k_v V + k_f F - R_by) / Q, with the k's from the core's
  MSP breakdown (:func:`carbonhub.costing.dcf.msp_breakdown`), so MSP(twin) = MSP(core) at the
  initial point to round-off.
"""
from __future__ import annotations

import numpy as np

from ..units import HOUR
from .heat_twin import fired_heater_size_ratio, fired_terms, heat_split

EXACT_VARIABLE = ("electricity", "feedstock", "co2_fossil_emitted", "co2_stored")
LABOUR = ("labour", "labour_burden")



def _utility_driver(blk, key, heat0, u0):
    """The twin quantity a unit's utility ``key`` is proportional to (dimensionless, W/W):
    the reboiler duties and feed heats (steam) or condenser (cooling) duties of its columns,
    else its heat duty where that drives the utility; ``None`` (frozen) otherwise."""
    import pyomo.environ as pyo

    names = {"steam_heat_W": ("reboiler_duty", "feed_heat"), "cooling_W": ("condenser_duty",)}.get(key)
    if names:
        # a Var (column reboilers) or an Expression (the acid-gas removal's reboiler heat, a
        # column's feed heat: unitops/column_feed.py)
        duties = [v for v in blk.component_objects((pyo.Var, pyo.Expression), descend_into=True)
                  if v.local_name in names]
        if duties:
            d = sum(duties) / pyo.units.W
            return d if pyo.value(d) > 0 else None
    if key == "steam_raised_W" and hasattr(blk, "design") and "duty_W" in blk.design:
        # a reactor raising its reaction heat as steam (its duty_W is that part of its heat,
        # e.g. FT: the rest of its heat, cooling to T_sep, goes to cooling water)
        d = blk.design["duty_W"]
        d0 = pyo.value(d)
        if d0 < 0 and abs(u0 + d0) <= 1e-6 * abs(u0):
            un = pyo.units.get_units(d)
            return -d / un if un is not None else -d
    if heat0 != 0.0 and abs(u0) <= 10 * abs(heat0):
        return blk.heat / pyo.units.W
    return None


def _heat_electricity_MW(res, k: int) -> float:
    """Electricity [MW] of case ``k`` that the costing buys beside the units' power: the
    refrigeration and the electrified heat of :func:`carbonhub.costing.heat_supply.heat_supply`."""
    from carbonhub.costing.heat_supply import heat_supply

    h = heat_supply(res)
    return float(h["refrigeration_W"][k] + h["electricity_W"][k]) / 1e6


def _rate(terms, factor, unit):
    """``sum(terms) * factor`` made dimensionless by ``unit``; 0.0 (not a dimensioned zero)
    when there are no terms, so that Pyomo's unit check holds."""
    terms = list(terms)
    return sum(terms) * factor / unit if terms else 0.0

def _mass_through(blk, unit):
    if unit.inlet_names:
        return sum(blk.sin(n).flow_mass for n in unit.inlet_names)
    return sum(blk.sout(n).flow_mass for n in unit.outlet_names)


def _cost_size_key(unit, row_id: str) -> str:
    k = int(row_id.split(".")[1]) if "." in row_id else 0
    return unit.costs[k].size


def _local_exponent(row: dict, cost_year: int) -> float:
    """d ln(installed cost) / d ln(size) of the unit's correlation at its size."""
    from carbonhub.costing.unit_costs import cost_unit

    import warnings

    s0 = float(row["size"])
    if s0 <= 0:
        return 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # range warnings were reported by the core's costing
        c = [float(np.asarray(cost_unit(dict(row, size=np.array([s0 * f])), cost_year).installed_eur).ravel()[0])
             for f in (0.999, 1.001)]
    if c[0] <= 0 or c[1] <= 0:
        return 0.0
    return float(np.log(c[1] / c[0]) / np.log(1.001 / 0.999))


def _capital_shares(tea, rows, k: int):
    """({cost row: its share of the FCI [EUR]}, {cost row: its part of the maintenance base
    [EUR]}) of case ``k``, from the core's factored build-up (``CapitalBreakdown.fci_per_unit``:
    linear in each unit's cost); None where the core's capital is not that sum (Lang method,
    a utilities allowance whose row follows the others)."""
    cap = tea.capital
    share = {u: float(np.ravel(v)[k]) for u, v in getattr(cap, "fci_per_unit", {}).items()}
    fci0 = float(np.ravel(cap.fci)[k])
    if not share or set(share) != {r["unit_id"] for r in rows} or abs(sum(share.values()) - fci0) > 1e-9 * fci0:
        return None
    c0 = {u: float(np.ravel(c.installed_eur)[k]) for u, c in tea.unit_costs.items()}
    osbl = {r["unit_id"]: bool(np.ravel(r["osbl"])[0]) for r in rows}
    base = {u: c for u, c in c0.items() if tea.unit_costs[u].basis == "fixed_capital" or not osbl[u]}
    base0 = float(np.ravel(cap["isbl_installed"])[k] + np.ravel(cap["complete_units_fixed_capital"])[k])
    if abs(sum(base.values()) - base0) > 1e-9 * max(base0, 1.0) or base0 <= 0.0:
        return None
    return share, base


def add_tea(m, fs, res, case: int) -> None:
    """Add ``m.tea`` (a Block) with expressions msp_eur_per_t, npv_eur, fci_eur, tci_eur,
    opex_eur_per_y, main_product_t_per_y, co2_emitted_t_per_y, co2_captured_t_per_y,
    carbon_efficiency, electricity_MW, reaction_water_t_per_h."""
    import pyomo.environ as pyo

    from carbonhub.core.boundary import boundary
    from carbonhub.costing import flowsheet as glue

    if not hasattr(fs, "economics_spec"):
        return
    tea = glue.evaluate(res)  # the core TEA of every case of res
    res.tea = tea
    k = case
    hours = float(res.param("economics.operating_hours")[k])
    s_per_y = hours * HOUR
    spec = fs.economics_spec
    cs = fs.components
    ico2 = cs.index("CO2")
    b = pyo.Block(doc="techno-economics of the case")
    m.tea = b
    # --- capital ------------------------------------------------------------------------
    def _unit_flow(uid, key):  # (core value, twin expression) of a unit's utility [W, as numbers]
        r = res.unit_results[uid]
        u0 = float(np.nan_to_num(np.asarray(r.utilities[key]).ravel()[k])) if key in r.utilities else 0.0
        drv = _utility_driver(getattr(m.fs, uid), key, float(r.heat[k]), u0) if u0 != 0.0 else None
        return u0, (u0 * drv / pyo.value(drv) if drv is not None else u0)

    split = heat_split(res, k, _unit_flow)  # steam demands on steam / fired, as the core splits them
    rows = glue.unit_table(res)
    cost_year = int(res.param("economics.cost_year")[k])
    cf = float(res.param("economics.capex_factor")[k])
    inst, grow = {}, {}  # installed cost [EUR] and its ratio to the core's, of each cost row
    for row in rows:
        uid = row["unit_id"].split(".")[0]
        c0 = float(np.asarray(tea.unit_costs[row["unit_id"]].installed_eur).ravel()[k])
        r1 = {kk: (v[k] if isinstance(v, np.ndarray) and v.shape == (res.n_cases,) and v.dtype.kind in "fbiU" else v)
              for kk, v in row.items()}  # the case's size, activity, rule, pressure
        if uid not in fs.units:
            # a utility row of the costing (heat_supply, own_steam): at the core's cost; a fired
            # heater (costing.heat_supply) sized on its unit's fired duty
            ratio = fired_heater_size_ratio(split, row["unit_id"])
            if ratio is None:
                inst[row["unit_id"]] = c0
                continue
        elif hasattr(blk := getattr(m.fs, uid), "design") and (
                key := _cost_size_key(fs.units[uid], row["unit_id"])) in blk.design:
            s_expr = blk.design[key]  # the twin's own size: exact
            s0 = pyo.value(s_expr)
            u = pyo.units.get_units(s_expr)  # a twin may give its size with units
            ratio = (s_expr / (s0 * u) if u is not None else s_expr / s0) if s0 > 0 else None
        else:  # size proportional to mass throughput (first order)
            t0 = pyo.value(_mass_through(blk, fs.units[uid]))
            ratio = _mass_through(blk, fs.units[uid]) / (t0 * pyo.units.kg / pyo.units.s) if t0 > 0 else None
        n = _local_exponent(r1, cost_year)
        if ratio is None:
            continue
        if n:
            r0 = pyo.value(ratio)
            v = pyo.Var(initialize=r0, bounds=(1e-6, None), doc="size ratio")
            b.add_component("sr_" + row["unit_id"].replace(".", "_"), v)
            b.add_component("src_" + row["unit_id"].replace(".", "_"), pyo.Constraint(expr=v == ratio))
            grow[row["unit_id"]] = v ** n
            inst[row["unit_id"]] = c0 * grow[row["unit_id"]]
        else:
            inst[row["unit_id"]] = c0
    sum_c0 = sum(float(np.asarray(c.installed_eur).ravel()[k]) * cf for c in tea.unit_costs.values())
    fci0 = float(np.asarray(tea.capital.fci).ravel()[k] if np.ndim(tea.capital.fci) else tea.capital.fci)
    f_fci = fci0 / sum_c0 if sum_c0 > 0 else 0.0
    b.capex_factor = pyo.Param(initialize=cf, mutable=True, doc="multiplier on installed costs [-]")
    b.installed_eur = pyo.Expression(expr=b.capex_factor * sum(inst.values()), doc="installed equipment [EUR]")
    shares = _capital_shares(tea, rows, k)
    if shares is None:  # one build-up factor over all installed costs (exact at the point only)
        b.fci_eur = pyo.Expression(expr=f_fci * b.installed_eur, doc="fixed capital investment [EUR]")
    else:  # each unit's own share of the FCI (its factors: complete unit, ISBL/OSBL, contingency)
        b.fci_eur = pyo.Expression(expr=b.capex_factor / cf * sum(v * grow.get(u, 1.0) for u, v in shares[0].items()),
                                   doc="fixed capital investment [EUR]")
        b.maintenance_base_eur = pyo.Expression(
            expr=b.capex_factor / cf * sum(v * grow.get(u, 1.0) for u, v in shares[1].items()),
            doc="maintenance base: ISBL installed and complete units' fixed capital [EUR]")
    tci0 = float(np.asarray(tea.tci_eur).ravel()[k])
    b.tci_eur = pyo.Expression(expr=tci0 / fci0 * b.fci_eur, doc="total capital investment [EUR]")
    # --- flows ----------------------------------------------------------------------------
    src, snk = [], []
    for c in fs.connections:
        if c.src.unit.kind == "source":
            bo = getattr(c.src.unit, "boundary_outlets", None)
            if bo is None or c.src.name in bo:
                src.append((c.src.unit, getattr(m.fs, c.src.unit.id).sout(c.src.name)))
        if c.dst.unit.kind == "sink":
            snk.append((c.dst.unit, getattr(m.fs, c.dst.unit.id).sin(c.dst.name)))
    per_y = s_per_y / 1000.0  # kg/s -> t/y
    tCO2 = float(cs.molar_mass[ico2]) * per_y
    main = [st for u, st in snk if getattr(u, "product", None) in spec["main_products"]]
    byp = [(u, st) for u, st in snk if getattr(u, "category", "") in ("product", "byproduct")
           and getattr(u, "product", None) not in spec["main_products"]]
    b.main_product_t_per_y = pyo.Expression(expr=_rate([st.flow_mass for st in main], per_y, pyo.units.kg / pyo.units.s),
                                            doc="main product [t/y]")
    fossil_like = {}
    for u, s in boundary(res)[1]:
        fossil_like[u.id] = float(s.origin[k, 0] + s.origin[k, 2])
    b.co2_emitted_t_per_y = pyo.Expression(expr=_rate([st.flow_mol_comp["CO2"] for u, st in snk if u.category == "emission"],
                                                      tCO2, pyo.units.mol / pyo.units.s), doc="CO2 emitted [t/y]")
    b.co2_fossil_emitted_t_per_y = pyo.Expression(
        expr=_rate([fossil_like.get(u.id, 0.0) * st.flow_mol_comp["CO2"] for u, st in snk if u.category == "emission"],
                   tCO2, pyo.units.mol / pyo.units.s), doc="fossil CO2 emitted [t/y] (origins frozen at the core solution)")
    b.co2_captured_t_per_y = pyo.Expression(expr=_rate([st.flow_mol_comp["CO2"] for u, st in snk if u.category == "co2_storage"],
                                                       tCO2, pyo.units.mol / pyo.units.s), doc="CO2 stored [t/y]")
    b.carbon_efficiency = pyo.Expression(
        expr=sum(st.flow_elem["C"] for u, st in snk if u.category in ("product", "byproduct"))
        / sum(st.flow_elem["C"] for u, st in src), doc="carbon in products / carbon in [-]")
    b.electricity_MW = pyo.Expression(expr=sum(getattr(m.fs, uid).power for uid in fs.units) / (1e6 * pyo.units.W),
                                      doc="net electricity [MW]")
    water = [j for j in ("H2O", "H2O(L)") if j in cs]
    mw = {j: float(cs.molar_mass[cs.index(j)]) for j in water}

    def _water(st):  # kg/s of water (vapour + liquid), as a number of mol/s
        return sum(st.flow_mol_comp[j] * mw[j] for j in water)

    b.reaction_water_t_per_h = pyo.Expression(
        expr=_rate([_water(st) for u, st in snk], 3.6, pyo.units.mol / pyo.units.s)
        - _rate([_water(st) for u, st in src], 3.6, pyo.units.mol / pyo.units.s),
        doc="net water made by the reactions: water out - water in [t/h] (costing.water)")
    # --- operating costs --------------------------------------------------------------------
    flows = glue.annual_flows(res, res.param("economics.operating_hours").astype(float))
    var0 = {kk: float(np.asarray(v).ravel()[k] if np.ndim(v) else v) for kk, v in tea.variable_opex.items() if kk != "total"}
    fix0 = {kk: float(np.asarray(v).ravel()[k] if np.ndim(v) else v) for kk, v in tea.fixed_opex.items() if kk != "total"}
    q0 = pyo.value(b.main_product_t_per_y)
    from carbonhub.costing.finance import price_escalation

    k_price = price_escalation(res, cost_year)  # prices.* (price year) -> cost year, as the core
    elec_price = float(res.param("prices.electricity_eur_per_MWh")[k]) * k_price
    feed_cost_per_t = float(np.asarray(flows["feedstock_price_eur_per_t"]).ravel()[k]) * k_price
    feed_t0 = float(np.asarray(flows["feedstock_t_per_y"]).ravel()[k])
    co2_price = float(res.param("prices.co2_eur_per_t")[k]) * k_price
    co2_store_price = float(res.param("prices.co2_storage_eur_per_t")[k]) * k_price
    feed_src = [st for u, st in src if getattr(u, "is_feedstock", False)]
    var_terms = {
        # the units' power, and the electricity the heat supply adds (refrigeration of feeds
        # chilled below cooling water, electrified heat: costing/heat_supply.py) frozen at the core's
        "electricity": elec_price * (b.electricity_MW + _heat_electricity_MW(res, k)) * hours,
        "feedstock": feed_cost_per_t * _rate([st.flow_mass for st in feed_src], per_y, pyo.units.kg / pyo.units.s)
        if feed_src else feed_cost_per_t * feed_t0,
        "co2_fossil_emitted": co2_price * b.co2_fossil_emitted_t_per_y,
        "co2_stored": co2_store_price * b.co2_captured_t_per_y,
    }
    if "electricity_export" in var0:  # net electricity above covers both import and export
        var_terms["electricity_export"] = 0.0
    # utilities and process-stream purchases (steam, cooling water, process water): the twin's
    # quantity over the core's, times the core's cost. Heat utilities (costing.flowsheet.
    # HEAT_UTILITIES, as the core prices them): a unit's utility follows its heat duty
    # (u = u0 heat / heat0: exact for coolers, boilers and steam raisers; frozen where the net
    # heat does not drive it, as in columns); a source of that category (e.g. the gasifier and
    # shift steam) by its mass flow.
    def _twin_flow(kk):  # (core value, twin expression, gross core value) of a utility's annual flow
        u_0, u_tw, gross = 0.0, 0.0, 0.0
        _, terms, j_per_unit = glue.HEAT_UTILITIES.get(kk, (None, (), 1.0))
        to_flow = 1.0 / j_per_unit
        for uid, r in res.unit_results.items():
            for key, sg in terms:
                if key not in r.utilities:
                    continue
                u0, e = _unit_flow(uid, key)
                if key == "steam_heat_W" and split is not None:  # its part on steam (the rest fired)
                    u0, e = split.steam_side(uid, u0, e)
                if u0 == 0.0:
                    continue
                u_0 += sg * u0 * to_flow * s_per_y
                gross += abs(u0) * to_flow * s_per_y
                u_tw = u_tw + sg * to_flow * s_per_y * e
        for u, st in src:
            cat = getattr(u, "category", "utility")
            if not getattr(u, "is_feedstock", False) and (
                    cat == kk or (cat in glue.STEAM_SOURCES and kk in ("steam_import", "steam_export"))):
                u_0 += pyo.value(st.flow_mass) * per_y
                gross += abs(pyo.value(st.flow_mass)) * per_y
                u_tw = u_tw + st.flow_mass * per_y / (pyo.units.kg / pyo.units.s)
        return u_0, u_tw, gross

    steam = _steam_regime(b, flows, k, k_price, var0, _twin_flow)
    if steam:
        var_terms.update(steam)
        m._carbonhub["regimes"] = {"steam": b.steam}
    if split is not None:  # the natural gas of the fired heat and its CO2 (costing.heat_supply)
        var_terms.update(fired_terms(split, [_unit_flow(uid, "fired_heat_W") for uid, r in res.unit_results.items()
                                             if "fired_heat_W" in r.utilities], res, k, flows, var0, s_per_y))
    for kk in var0:
        if kk in var_terms or var0[kk] == 0.0:
            continue
        u_0, u_tw, _ = _twin_flow(kk)
        if u_0 != 0.0:
            var_terms[kk] = var0[kk] * u_tw / u_0
    exact = [kk for kk in var0 if kk in var_terms]
    other_var = sum(v for kk, v in var0.items() if kk not in exact)
    b.variable_opex_eur_per_y = pyo.Expression(
        expr=sum(var_terms[kk] for kk in exact) + other_var * b.main_product_t_per_y / q0,
        doc="variable OPEX [EUR/y]")
    labour = sum(v for kk, v in fix0.items() if kk in LABOUR)
    maint = fix0.get("maintenance", 0.0) if hasattr(b, "maintenance_base_eur") else 0.0
    other_fix = sum(v for kk, v in fix0.items() if kk not in LABOUR) - maint
    b.fixed_opex_eur_per_y = pyo.Expression(
        expr=labour + other_fix * b.fci_eur / fci0
        + (maint * b.maintenance_base_eur / pyo.value(b.maintenance_base_eur) if maint else 0.0),
        doc="fixed OPEX [EUR/y]: labour; maintenance with the ISBL installed cost; the rest with the FCI")
    b.opex_eur_per_y = pyo.Expression(expr=b.variable_opex_eur_per_y + b.fixed_opex_eur_per_y, doc="OPEX [EUR/y]")
    prices = {}
    for u, st in byp:
        try:
            prices[u.id] = glue.default_price(f"{u.product}_eur_per_t")
        except KeyError:
            prices[u.id] = 0.0
    b.byproduct_revenue_eur_per_y = pyo.Expression(
        expr=_rate([prices[u.id] * st.flow_mass for u, st in byp], per_y, pyo.units.kg / pyo.units.s),
        doc="by-product revenue [EUR/y]")
    # --- DCF: exact linear structure from the core breakdown -------------------------------
    br = {kk: float(np.asarray(v).ravel()[k]) for kk, v in tea.msp_breakdown().items()}
    k_cap = br["capital"] * q0 / fci0
    v_tot0 = sum(var0.values())
    f_tot0 = sum(fix0.values())
    k_v = sum(v for kk, v in br.items() if kk in var0 or kk == "variable_other") * q0 / v_tot0 if v_tot0 else 0.0
    k_f = sum(v for kk, v in br.items() if kk in fix0 or kk == "fixed_other") * q0 / f_tot0 if f_tot0 else 0.0
    num = (k_cap * b.fci_eur + k_v * b.variable_opex_eur_per_y + k_f * b.fixed_opex_eur_per_y
              - b.byproduct_revenue_eur_per_y)
    b.msp_num = pyo.Var(initialize=pyo.value(num))
    b.msp_num_eq = pyo.Constraint(expr=b.msp_num == num)
    b.q_var = pyo.Var(initialize=q0, bounds=(1e-9, None))
    b.q_eq = pyo.Constraint(expr=b.q_var == b.main_product_t_per_y)
    b.msp_eur_per_t = pyo.Expression(
        expr=b.msp_num / b.q_var,
        doc="minimum selling price of the main product [EUR/t]")
    npv0 = float(np.asarray(tea.npv_eur).ravel()[k])
    msp0 = float(np.asarray(tea.msp_eur_per_t).ravel()[k])
    if np.isfinite(npv0):
        # NPV is linear in the price: NPV = (p - MSP) Q S_q (1 - tax); recover the core's p
        from carbonhub.costing.dcf import npv_coefficients

        s = npv_coefficients(tea.dcf)
        tau = float(np.broadcast_to(np.asarray(tea.dcf.income_tax_rate, dtype=float), (res.n_cases,))[k])
        beta = float(np.broadcast_to(np.asarray(s["S_q"], dtype=float), (res.n_cases,))[k]) * (1 - tau)
        p_used = msp0 + npv0 / (q0 * beta)
        b.product_price_eur_per_t = pyo.Param(initialize=p_used, mutable=True, doc="main product price [EUR/t]")
        b.npv_eur = pyo.Expression(expr=(b.product_price_eur_per_t - b.msp_eur_per_t) * b.main_product_t_per_y * beta,
                                   doc="net present value at the product price [EUR]")
    m._carbonhub["tea0"] = {"msp": msp0, "npv": npv0, "tci": tci0}
    m._carbonhub["hours"] = hours


def _steam_regime(b, flows, k, k_price, var0, twin_flow):
    """The plant's net steam as a twin expression, priced by the side of zero it is on.

    The core buys net steam at ``prices.steam_import_eur_per_t`` and credits a surplus by
    ``prices.steam_credit_rule`` (nothing by default): cost = p_import max(net, 0) + p_export
    min(net, 0), a kink at zero net steam. Scaling the core's import (or export) with the units'
    steam duties, as the other utilities are, is exact on one side and wrong across the kink:
    from a plant that buys a little steam it extrapolates to selling steam at the purchase price
    (waste_methanol_mto with the amine AGR sits 2.6 K of methanol-reactor temperature from
    zero net steam). Here the price is that of the side the core is on (``b.steam.price``) and
    the side is a regime (``b.steam.side``, +1 buying, -1 selling) that the optimiser holds as a
    constraint, side x net >= 0, and may flip to explore the other side. Returns the variable
    OPEX terms, or None (the old scaling) where the core's steam is not the units' net steam
    (a heat-supply choice, own fuel raising steam) or nothing is bought or sold."""
    import pyomo.environ as pyo

    if "steam_import" not in var0 or "steam_export" not in var0:
        return None
    imp = float(np.asarray(flows["steam_import_t_per_y"]).ravel()[k])
    exp_ = float(np.asarray(flows["steam_export_t_per_y"]).ravel()[k])
    net0 = imp + exp_
    u_0, u_tw, gross = twin_flow("steam_import")
    # the net is a difference of the gross duties: at the kink (net ~ 0) their round-off is
    # relative to the gross (biomass_ft at its optimum: 3e-10 of 0.175 t/y net, 4e6 t/y gross)
    if net0 == 0.0 or abs(u_0 - net0) > 1e-9 * max(gross, abs(net0)):
        return None
    p_imp = float(np.asarray(flows["steam_import_price_eur_per_t"]).ravel()[k]) * k_price
    p_exp = float(np.asarray(flows["steam_export_price_eur_per_t"]).ravel()[k]) * k_price
    if (abs(var0["steam_import"] - p_imp * imp) > 1e-9 * max(abs(var0["steam_import"]), 1.0)
            or abs(var0["steam_export"] - p_exp * exp_) > 1e-9 * max(abs(var0["steam_export"]), 1.0)):
        return None  # priced otherwise than the flows say: keep the old scaling
    s = pyo.Block(doc="net steam of the plant and the side of zero it is on")
    b.steam = s
    # a variable (not an expression of the enthalpies): the reduced gradients differentiate it
    s.net_t_per_y = pyo.Var(initialize=pyo.value(u_tw), doc="net steam bought (> 0) or sold (< 0) [t/y]")
    s.net_eq = pyo.Constraint(expr=s.net_t_per_y == u_tw, doc="net steam: the units' duties and steam sources")
    side = 1.0 if net0 > 0 else -1.0
    s.side = pyo.Param(initialize=side, mutable=True, doc="+1: the plant buys steam, -1: it sells")
    s.price = pyo.Param(initialize=p_imp if side > 0 else p_exp, mutable=True, doc="price on that side [EUR/t]")
    s.prices = {1.0: p_imp, -1.0: p_exp}
    # the optimiser's constraint side x net / scale >= 0 is scaled by the plant's gross steam
    # (the duties and sources whose sum is the net): at an anchor on the kink itself net0 is
    # ~0 (13.8 t/y of 250,000 on waste_methanol_mto), and a scale of |net0| made the constraint's
    # slope 1e4 per unit range and its tolerance 1e-6 of nothing
    s.scale = max(gross, abs(net0))
    return {"steam_import": s.price * s.net_t_per_y, "steam_export": 0.0}


def kpis(m) -> dict[str, float]:
    """KPIs of a (solved) twin, with the core's names (a subset: the ones the twin carries)."""
    import pyomo.environ as pyo

    out = {}
    if hasattr(m, "tea"):
        for name in ("msp_eur_per_t", "npv_eur", "tci_eur", "opex_eur_per_y", "co2_emitted_t_per_y",
                     "co2_captured_t_per_y", "carbon_efficiency", "electricity_MW", "reaction_water_t_per_h"):
            if hasattr(m.tea, name):
                out[name] = float(pyo.value(getattr(m.tea, name)))
        out["capex_eur"] = float(pyo.value(m.tea.fci_eur))
        out["main_product_t_per_h"] = float(pyo.value(m.tea.main_product_t_per_y)) / (m._carbonhub["hours"])
    return out
