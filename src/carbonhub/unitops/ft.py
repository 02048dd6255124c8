"""Synthesis reactors: low-temperature Fischer-Tropsch (cobalt, slurry bed) with an exact
Anderson-Schulz-Flory product distribution, and equilibrium methanol synthesis.

A methanol *loop* is not a unit: it is a flowsheet (feed -> mixer -> heater/compressor ->
:class:`MethanolReactor` -> flash -> purge splitter -> recycle), see
``tests/unitops/test_synthesis.py::test_methanol_loop_*``.

Example
-------
>>> import numpy as np
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> from carbonhub.unitops.synthesis import asf_lump_carbon_fractions
>>> f = asf_lump_carbon_fractions(0.9)          # C1, C2, C3, C4, C5-C11, C12-C20, C21+
>>> round(float(f[0, 0]), 6), round(float(f[0].sum()), 12)
(0.01, 1.0)
"""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream, StreamError
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo.components import ComponentSet, default_components
from ..thermo.equilibrium import equilibrate

__all__ = ["FischerTropsch", "MethanolReactor", "asf_lump_carbon_fractions", "FT_LUMPS",
           "MissingComponentsError"]

NORMAL_MOLAR_VOLUME = 8.31446261815324 * 273.15 / 101325.0
"""Ideal-gas molar volume at 0 degC, 1 atm [m3/mol] (normal conditions for space velocities)."""

DAY = 86400.0
HOUR = 3600.0


class MissingComponentsError(ValueError):
    """The flowsheet's ComponentSet lacks components a unit produces."""


# -- shared helpers (also used by mto.py and upgrading.py) ------------------------------------

def require(cs: ComponentSet, ids, unit_id: str, why: str = "") -> np.ndarray:
    """Indices of ``ids`` in ``cs``; raise :class:`MissingComponentsError` listing the missing
    ones (a configuration error of the flowsheet, not of a case)."""
    missing = [c for c in ids if c not in cs]
    if missing:
        raise MissingComponentsError(
            f"{unit_id}: the component set lacks {', '.join(missing)}" + (f" ({why})" if why else "")
            + "; use ComponentSet.default() or add them")
    return cs.indices(ids)


def check_feed(s: Stream, unit_id: str, port: str) -> None:
    """Raise :class:`StreamError` (a ValueError) for negative or non-finite inlet flows,
    naming the case and the component."""
    f = s.flow
    bad = ~np.isfinite(f) | (f < 0)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise StreamError(f"{unit_id}.{port}: flow[{i}, {s.cs.ids[j]}] = {f[i, j]!r} mol/s: "
                          "expected a finite value >= 0 mol/s")
    for name, a, u in (("T", s.T, "K"), ("P", s.P, "Pa")):
        badv = ~np.isfinite(a) | (a <= 0)
        if badv.any():
            i = int(np.argmax(badv))
            raise StreamError(f"{unit_id}.{port}: {name} = {a[i]!r} {u} in case {i}: expected > 0")


def water_as_vapour(cs: ComponentSet, flow: np.ndarray) -> np.ndarray:
    """Copy of ``flow`` with liquid water moved to vapour (the state inside a hot reactor)."""
    if "H2O(L)" not in cs or "H2O" not in cs:
        return flow
    out = flow.copy()
    iv, il = cs.index("H2O"), cs.index("H2O(L)")
    out[:, iv] += out[:, il]
    out[:, il] = 0.0
    return out


def reactor_and_cooler_duties(cs: ComponentSet, H_in: np.ndarray, effluent: np.ndarray, T_rx,
                              outlets: dict[str, Stream]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split the enthalpy balance of 'isothermal reactor at T_rx, then cooling/separation':

    heat = sum H_out - H_in (what the unit reports), duty_rx = H(effluent at T_rx) - H_in,
    duty_cool = heat - duty_rx. Returns (heat, duty_rx, duty_cool) [W]."""
    H_out = sum(o.enthalpy for o in outlets.values())
    heat = H_out - H_in
    H_eff = (effluent * cs.h(T_rx)).sum(axis=1)
    duty_rx = H_eff - H_in
    return heat, duty_rx, heat - duty_rx


def heat_utilities(duty_rx: np.ndarray, duty_cool: np.ndarray) -> dict[str, np.ndarray]:
    """Utilities of an exothermic reactor with steam raising and a product cooler."""
    return {"steam_raised_W": np.maximum(-duty_rx, 0.0),
            "steam_heat_W": np.maximum(duty_rx, 0.0) + np.maximum(duty_cool, 0.0),
            "cooling_W": np.maximum(-duty_cool, 0.0)}


def status_array(flag: np.ndarray, reasons) -> np.ndarray | None:
    """``None`` when no case is flagged, else an object array of "ok" / reason."""
    if not flag.any():
        return None
    st = np.full(flag.shape[0], "ok", dtype=object)
    st[flag] = reasons
    return st


def project_elements(n: np.ndarray, A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Smallest n-weighted correction of moles ``n`` (cases, species) so that their element
    inventory ``n @ A`` equals ``b`` exactly (to rounding): n + diag(n) A lambda with
    (A^T diag(n) A) lambda = b - n A. Removes the iteration residual of an equilibrium solver
    that would otherwise show, relative to a trace element, above 1e-9. Species with zero
    moles stay zero; elements absent from a case are left alone."""
    r = b - n @ A
    ne = A.shape[1]
    need = (np.abs(r) > 1e-15 * np.abs(b)).any(axis=1)
    if not need.any():
        return n
    out = n.copy()
    n, r = n[need], r[need]
    M = (n @ np.einsum("ki,kl->kil", A, A).reshape(A.shape[0], ne * ne)).reshape(-1, ne, ne)
    d = np.einsum("cii->ci", M)
    absent = d <= 1e-300 * np.maximum(d.max(axis=1, keepdims=True), 1e-300)
    ii = np.arange(ne)
    M[:, ii, ii] = np.where(absent, 1.0, d)
    r = np.where(absent, 0.0, r)
    try:
        lam = np.linalg.solve(M, r[..., None])[..., 0]
    except np.linalg.LinAlgError:  # elements bound in one species only (e.g. pure CO2)
        lam = (np.linalg.pinv(M) @ r[..., None])[..., 0]
    out[need] = np.maximum(n + n * (lam @ A.T), 0.0)
    return out


# -- equation-oriented twin helpers (Pyomo is imported only when a twin is built) --------------

def eo_outlet(b, port: str, flows: dict, T, P, what: str) -> None:
    """Twin constraints of outlet ``port``: component flows ``flows[j]`` (0 where j is absent),
    temperature ``T`` and pressure ``P`` (Pyomo expressions with units)."""
    import pyomo.environ as pyo

    st = b.sout(port)
    b.add_component(f"eq_flow_{port}", pyo.Constraint(
        b.comps, rule=lambda b, j: st.flow_mol_comp[j] == flows.get(j, 0.0), doc=f"{port}: {what}"))
    b.add_component(f"eq_T_{port}", pyo.Constraint(expr=st.temperature == T, doc=f"{port} temperature"))
    b.add_component(f"eq_P_{port}", pyo.Constraint(expr=st.pressure == P, doc=f"{port} pressure"))


def eo_design(b, terms: dict, doc: str) -> None:
    """``b.design[name]``: design results of the twin (names and units as in the core's
    ``UnitResult.design``; the costing reads its size from here)."""
    import pyomo.environ as pyo

    b.design_names = pyo.Set(initialize=list(terms), ordered=True, doc="design results of the twin")
    b.design = pyo.Expression(b.design_names, rule=lambda b, k: terms[k], doc=doc)


def eo_effluent_duty(b, effluent: dict, T, water_vapour: bool = True):
    """H(effluent at T) - sum H_in [W] as a Pyomo expression (the reactor part of ``heat``,
    as :func:`reactor_and_cooler_duties`); liquid water counted as vapour if asked."""
    import pyomo.environ as pyo

    from ..eo.properties import nasa_h_expr

    cs = b.config.property_package.cs
    eff = dict(effluent)
    if water_vapour and "H2O(L)" in eff and "H2O" in eff:
        eff["H2O"], eff["H2O(L)"] = eff["H2O"] + eff["H2O(L)"], 0.0
    Tn = T / pyo.units.K
    H = sum(eff[j] * nasa_h_expr(cs, j, Tn) * pyo.units.J / pyo.units.mol
            for j in cs.ids if not (isinstance(eff[j], float) and eff[j] == 0.0))
    return H - sum(b.sin(n).enth_flow for n in b.config.unit.inlet_names)


# -- Anderson-Schulz-Flory ---------------------------------------------------------------------

FT_LUMPS: tuple[tuple[str, int, int | None, int], ...] = (
    ("CH4", 1, 1, 1),
    ("C2", 2, 2, 2),        # C2H6 (+ C2H4)
    ("C3", 3, 3, 3),        # C3H8 (+ C3H6)
    ("C4", 4, 4, 4),        # C4H10 (+ C4H8)
    ("C8H18", 5, 11, 8),    # naphtha C5-C11, represented by n-octane
    ("C16H34", 12, 20, 16),  # distillate C12-C20, represented by n-hexadecane
    ("C30H62", 21, None, 30),  # wax C21+, represented by n-triacontane
)
"""Product lumps of :class:`FischerTropsch`: (name, first n, last n (None: infinity),
carbon number of the representative species)."""


def _asf_tail(a: np.ndarray, N: int) -> np.ndarray:
    """sum_{n > N} n (1-a)^2 a^(n-1) = a^N (1 + N (1 - a))."""
    return a**N * (1.0 + N * (1.0 - a))


def asf_lump_carbon_fractions(alpha) -> np.ndarray:
    """Carbon (= CH2-unit mass) fractions of the :data:`FT_LUMPS`, shape (n, 7).

    W_n = n (1 - alpha)^2 alpha^(n-1) summed in closed form: single carbon numbers directly,
    ranges as differences of the tail sums a^N (1 + N (1-a)); rows sum to 1 (normalised
    against rounding)."""
    a = np.atleast_1d(np.asarray(alpha, dtype=float))
    cols = []
    for _, lo, hi, _rep in FT_LUMPS:
        if hi == lo:
            cols.append(lo * (1.0 - a) ** 2 * a ** (lo - 1))
        elif hi is None:
            cols.append(_asf_tail(a, lo - 1))
        else:
            cols.append(_asf_tail(a, lo - 1) - _asf_tail(a, hi))
    f = np.stack(cols, axis=1)
    return f / f.sum(axis=1, keepdims=True)


def _asf_lump_terms(a) -> list:
    """Unnormalised ASF carbon fractions of the :data:`FT_LUMPS` for a scalar ``a`` (a float
    or a Pyomo expression): the terms of :func:`asf_lump_carbon_fractions`."""
    cols = []
    for _, lo, hi, _rep in FT_LUMPS:
        if hi == lo:
            cols.append(lo * (1.0 - a) ** 2 * (a ** (lo - 1) if lo > 1 else 1.0))
        elif hi is None:
            cols.append(_asf_tail(a, lo - 1))
        else:
            cols.append(_asf_tail(a, lo - 1) - _asf_tail(a, hi))
    return cols


# products of the FT reactor: (id, carbon number) in the order the code fills them
_FT_PRODUCTS = ("CH4", "C2H6", "C2H4", "C3H8", "C3H6", "C4H10", "C4H8", "C8H18", "C16H34", "C30H62")
_FT_REQUIRED = ("H2", "CO", "CO2", "H2O", "H2O(L)") + _FT_PRODUCTS
_LIQUID_HC = ("C5H12", "C7H16", "C8H18", "C12H26", "C16H34", "C30H62")


class FischerTropsch(Unit):
    """Low-temperature (cobalt, slurry-bed) Fischer-Tropsch reactor with an exact
    Anderson-Schulz-Flory (ASF) product distribution and a three-phase separator.

    Model
    -----
    * A fraction ``co_conversion`` of the CO is converted. ``co2_selectivity`` of the converted
      carbon leaves as CO2 by water-gas shift (CO + H2O -> CO2 + H2; ~0 on cobalt), the rest as
      hydrocarbons: ``ch4_extra`` of it as methane above the ASF value (cobalt makes more CH4
      than ASF predicts), the remainder by ASF with chain-growth probability ``alpha``:
      W_n = n (1-alpha)^2 alpha^(n-1) (carbon basis), summed in closed form over the lumps
      C1 -> CH4, C2 -> C2H6/C2H4, C3 -> C3H8/C3H6, C4 -> C4H10/C4H8, C5-C11 -> C8H18,
      C12-C20 -> C16H34, C21+ -> C30H62 (:data:`FT_LUMPS`). The carbon of every lump is exact;
      its moles are carbon / representative carbon number. ``olefin_fraction`` of the C2-C4
      carbon is olefin (C2H4, C3H6, C4H8).
    * Every O atom of the CO converted to hydrocarbons leaves as water
      (n CO + (2n+1) H2 -> CnH2n+2 + n H2O); H2 consumption follows from the H balance with the
      representative formulas, so all elements close exactly.
    * If the feed holds less H2 than the specified conversion needs, the case is flagged
      (``status``) and its conversion is limited by the H2 (the numbers stay conserved).
    * Outlets after cooling to ``T_sep`` at ``P``: ``gas`` (unconverted syngas, inerts, C1-C4,
      CO2), ``liquid`` (all C5+ hydrocarbons: a simplification, part of the naphtha would stay
      in the gas; solids also leave here), ``water`` (all water, as ``H2O(L)``).
    * Heat: ``heat`` = H_out(T_sep) - H_in; the reactor part, H(effluent at T) - H_in (negative),
      is raised as steam (``steam_raised_W``), the cooler part goes to cooling water.
    * Design: catalyst mass from a C5+ productivity, slurry volume from a catalyst hold-up,
      cost basis syngas (H2 + CO) feed [kmol/h].

    Parameters
    ----------
    co_conversion : CO conversion per pass [-]
    alpha : ASF chain-growth probability, in (0, 1) [-]
    ch4_extra : carbon fraction of the hydrocarbons made as CH4 above ASF [-]
    olefin_fraction : olefin share of the C2-C4 carbon [-]
    co2_selectivity : carbon fraction of the converted CO leaving as CO2 [-] (<= 0.5)
    T, P : reactor temperature [K] and pressure [Pa]
    T_sep : temperature of the three-phase separator [K]
    productivity : kg C5+ per kg catalyst per hour [1/h]
    catalyst_holdup : catalyst per reactor volume [kg/m3]

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> from carbonhub.unitops.synthesis import FischerTropsch
    >>> cs = ComponentSet.default()
    >>> syngas = Stream.from_flows(cs, {"H2": 2.1, "CO": 1.0, "N2": 0.1}, T=493.15, P=25e5)
    >>> ft = FischerTropsch("ft", co_conversion=0.8, alpha=0.9, ch4_extra=0.05)
    >>> r = ft.run({"syngas": syngas}, ft.resolve({}, 1))
    >>> round(float(r.design["c5plus_selectivity"][0]), 4), round(float(r.design["c1_selectivity"][0]), 4)
    (0.8726, 0.0595)
    >>> bool(r.heat[0] < 0), r.status is None
    (True, True)

    References
    ----------
    Flory, P.J. (1936), J. Am. Chem. Soc. 58:1877-1885, doi:10.1021/ja01301a016 (the
    most-probable chain-length distribution); Anderson, R.B. (1984), The Fischer-Tropsch
    Synthesis, Academic Press (ASF for FT products); Dry, M.E. (2002), Catal. Today 71:227-241,
    doi:10.1016/S0920-5861(01)00453-9 (LTFT on cobalt: slurry reactors, alpha ~0.9, low WGS
    activity); de Klerk, A. (2011), Fischer-Tropsch Refining, Wiley-VCH,
    doi:10.1002/9783527635603; Swanson, R.M. et al. (2010), NREL/TP-6A20-46587 (biomass FT
    plant design). Defaults of ``ch4_extra`` (0.05), ``productivity`` and ``catalyst_holdup``
    are typical orders of magnitude, to be verified against a primary source for a given
    catalyst.
    """

    inlets = ("syngas",)
    outlets = ("gas", "liquid", "water")
    params = {
        "co_conversion": Param(0.8, "", 0.0, 1.0, "CO conversion per pass [-]"),
        "alpha": Param(0.9, "", 0.01, 0.99, "ASF chain-growth probability in (0, 1) [-]"),
        "ch4_extra": Param(0.05, "", 0.0, 1.0,
                           "carbon fraction of hydrocarbons made as CH4 above ASF [-]"),
        "olefin_fraction": Param(0.0, "", 0.0, 1.0, "olefin share of the C2-C4 carbon [-]"),
        "co2_selectivity": Param(0.0, "", 0.0, 0.5,
                                 "carbon fraction of converted CO leaving as CO2 (WGS) [-]"),
        "T": Param(493.15, "K", 423.15, 623.15, "reactor temperature [K]"),
        "P": Param(25e5, "Pa", 1e5, 1e7, "reactor pressure [Pa]"),
        "T_sep": Param(313.15, "K", 273.15, 623.15, "three-phase separator temperature [K]"),
        "productivity": Param(0.3, "1/h", 1e-3, 10.0,
                              "catalyst productivity [kg C5+ / (kg cat h)] (typical; verify)"),
        "catalyst_holdup": Param(400.0, "kg/m^3", 10.0, 2000.0,
                                 "catalyst per slurry reactor volume [kg/m3] (typical; verify)"),
    }
    costs = (Cost("ref.ft_synthesis_reactor_and_catalyst", "syngas_kmol_per_h"),)

    def run(self, ins, p) -> UnitResult:
        s = ins["syngas"]
        cs = s.cs
        check_feed(s, self.id, "syngas")
        ix = dict(zip(_FT_REQUIRED, require(cs, _FT_REQUIRED, self.id, "Fischer-Tropsch products")))
        F = s.flow
        co_in, h2_in = F[:, ix["CO"]], F[:, ix["H2"]]
        s_co2 = p.co2_selectivity
        hc = 1.0 - s_co2  # hydrocarbon carbon per mol CO converted
        lump = asf_lump_carbon_fractions(p.alpha) * ((1.0 - p.ch4_extra) * hc)[:, None]
        lump[:, 0] += p.ch4_extra * hc
        olef = p.olefin_fraction
        # moles of each product per mol CO converted, in _FT_PRODUCTS order
        per = np.stack([
            lump[:, 0],
            (1 - olef) * lump[:, 1] / 2, olef * lump[:, 1] / 2,
            (1 - olef) * lump[:, 2] / 3, olef * lump[:, 2] / 3,
            (1 - olef) * lump[:, 3] / 4, olef * lump[:, 3] / 4,
            lump[:, 4] / 8, lump[:, 5] / 16, lump[:, 6] / 30], axis=1)
        pidx = np.array([ix[c] for c in _FT_PRODUCTS])
        H_atoms = cs.element_matrix[pidx, cs.elements.index("H")]
        dH2O = 1.0 - 2.0 * s_co2  # net water per mol CO converted (FT water - WGS water)
        h2_demand = 0.5 * (per @ H_atoms) + dH2O  # > 0 for s_co2 <= 0.5
        c_conv = p.co_conversion * co_in
        need = h2_demand * c_conv
        limited = need > h2_in * (1.0 + 1e-12)
        c_conv = np.where(limited, h2_in / h2_demand, c_conv)
        out = F.copy()
        out[:, ix["CO"]] -= c_conv
        out[:, ix["CO2"]] += s_co2 * c_conv
        out[:, ix["H2"]] = np.where(limited, 0.0, h2_in - h2_demand * c_conv)
        out[:, ix["H2O"]] += dH2O * c_conv
        out[:, pidx] += per * c_conv[:, None]
        out[:, ix["CO"]] = np.maximum(out[:, ix["CO"]], 0.0)

        # three-phase split
        liq_mask = np.isin(np.array(cs.ids), _LIQUID_HC) | (cs.phase == "solid")
        wat_mask = np.isin(np.array(cs.ids), ("H2O", "H2O(L)"))
        gas_mask = ~liq_mask & ~wat_mask
        water = np.zeros_like(out)
        water[:, ix["H2O(L)"]] = out[:, wat_mask].sum(axis=1)
        n = s.n_cases
        T_sep = p.T_sep.copy()
        P = p.P.copy()
        outlets = {
            "gas": Stream(cs, out * gas_mask, T_sep, P, s.origin, check=False),
            "liquid": Stream(cs, out * liq_mask, T_sep, P, s.origin, check=False),
            "water": Stream(cs, water, T_sep, P, s.origin, check=False),
        }
        heat, duty_rx, duty_cool = reactor_and_cooler_duties(
            cs, s.enthalpy, water_as_vapour(cs, out), p.T, outlets)

        # design
        x_eff = np.divide(c_conv, co_in, out=np.zeros(n), where=co_in > 0)
        c1 = lump[:, 0]
        c2c4 = lump[:, 1:4].sum(axis=1)
        c5p = lump[:, 4:].sum(axis=1)
        c5_kg_h = (per[:, 7:] @ cs.molar_mass[pidx[7:]]) * c_conv * HOUR
        cat_kg = c5_kg_h / p.productivity
        design = {
            "co_conversion": x_eff,
            "c1_selectivity": c1, "c2_c4_selectivity": c2c4, "c5plus_selectivity": c5p,
            "co2_selectivity": s_co2.copy(),
            "h2_consumed_mol_s": h2_demand * c_conv,
            "usage_ratio": h2_demand.copy(),
            "c5plus_kg_h": c5_kg_h,
            "duty_W": duty_rx, "cooling_duty_W": duty_cool,
            "catalyst_kg": cat_kg, "volume_m3": cat_kg / p.catalyst_holdup,
            "syngas_kmol_per_h": (co_in + h2_in) * HOUR / 1000.0,
            "T_K": p.T.copy(), "P_bar": P / 1e5,
        }
        util = heat_utilities(duty_rx, duty_cool)
        util["catalyst_kg"] = cat_kg
        status = None
        if limited.any():
            k = np.flatnonzero(limited)
            ratio = np.divide(h2_in[k], co_in[k], out=np.zeros(k.size), where=co_in[k] > 0)
            status = status_array(limited, [
                f"H2-limited: feed H2/CO = {r:.4g} below the usage ratio {u:.4g} needed for "
                f"co_conversion = {x:.4g}; CO conversion limited to {xe:.4g}"
                for r, u, x, xe in zip(ratio, h2_demand[k], p.co_conversion[k], x_eff[k])])
        return UnitResult(outlets, heat, np.zeros(n), design, util, status)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: the closed-form balances of ``run`` as Pyomo expressions of the parameters.

        The ASF lump fractions are the closed-form sums of :func:`asf_lump_carbon_fractions`
        as expressions of ``par[alpha]`` (normalised by their sum, as numpy does), so that
        ``alpha``, ``co_conversion``, ``ch4_extra``, ``olefin_fraction`` and
        ``co2_selectivity`` can be optimised. Not mirrored: the H2-limited branch (such a case
        is flagged in the core and cannot initialise a twin); in the twin the bound
        H2 >= 0 of the ``gas`` outlet keeps an optimiser out of that region instead.
        """
        import pyomo.environ as pyo

        u = pyo.units
        cs = b.config.property_package.cs
        require(cs, _FT_REQUIRED, self.id, "Fischer-Tropsch products")
        F = b.sin("syngas").flow_mol_comp
        par = b.par
        H = dict(zip(cs.ids, cs.element_matrix[:, cs.elements.index("H")]))
        names = [lump[0] for lump in FT_LUMPS]
        raw = dict(zip(names, _asf_lump_terms(par["alpha"])))
        total = sum(raw.values())
        hc = 1.0 - par["co2_selectivity"]
        b.lumps = pyo.Set(initialize=names, ordered=True, doc="ASF product lumps (FT_LUMPS)")
        b.lump_carbon = pyo.Expression(
            b.lumps, rule=lambda b, k: raw[k] / total * (1.0 - par["ch4_extra"]) * hc
            + (par["ch4_extra"] * hc if k == "CH4" else 0.0),
            doc="carbon of each lump per mol CO converted (ASF + extra CH4) [-]")
        L, olef = b.lump_carbon, par["olefin_fraction"]
        per = {"CH4": L["CH4"], "C2H6": (1 - olef) * L["C2"] / 2, "C2H4": olef * L["C2"] / 2,
               "C3H8": (1 - olef) * L["C3"] / 3, "C3H6": olef * L["C3"] / 3,
               "C4H10": (1 - olef) * L["C4"] / 4, "C4H8": olef * L["C4"] / 4,
               "C8H18": L["C8H18"] / 8, "C16H34": L["C16H34"] / 16, "C30H62": L["C30H62"] / 30}
        b.products = pyo.Set(initialize=_FT_PRODUCTS, ordered=True, doc="FT products")
        b.yield_per_co = pyo.Expression(b.products, rule=lambda b, j: per[j],
                                        doc="mol of product j per mol CO converted [-]")
        d_h2o = 1.0 - 2.0 * par["co2_selectivity"]
        b.usage_ratio = pyo.Expression(
            expr=0.5 * sum(b.yield_per_co[j] * float(H[j]) for j in _FT_PRODUCTS) + d_h2o,
            doc="H2 consumed per mol CO converted [-]")
        b.co_converted = pyo.Expression(expr=par["co_conversion"] * F["CO"], doc="CO converted [mol/s]")
        c = b.co_converted
        delta = {"CO": -c, "CO2": par["co2_selectivity"] * c, "H2": -b.usage_ratio * c,
                 "H2O": d_h2o * c}
        for j in _FT_PRODUCTS:
            delta[j] = delta.get(j, 0.0) + b.yield_per_co[j] * c
        b.effluent = pyo.Expression(b.comps, rule=lambda b, j: F[j] + delta.get(j, 0.0),
                                    doc="reactor effluent before the three-phase separator [mol/s]")
        ids = np.array(cs.ids)
        liq = dict(zip(cs.ids, np.isin(ids, _LIQUID_HC) | (cs.phase == "solid")))
        wat = dict(zip(cs.ids, np.isin(ids, ("H2O", "H2O(L)"))))
        eff = b.effluent
        T_sep, P = b.pv("T_sep"), b.pv("P")
        eo_outlet(b, "gas", {j: eff[j] for j in cs.ids if not liq[j] and not wat[j]}, T_sep, P,
                  "unconverted gas, inerts, C1-C4, CO2")
        eo_outlet(b, "liquid", {j: eff[j] for j in cs.ids if liq[j]}, T_sep, P, "C5+ and solids")
        eo_outlet(b, "water", {"H2O(L)": eff["H2O"] + eff["H2O(L)"]}, T_sep, P, "all water as liquid")
        b.power.fix(0.0)
        b.add_energy_balance()
        eo_design(b, {
            "duty_W": eo_effluent_duty(b, {j: eff[j] for j in cs.ids}, b.pv("T")),
            "syngas_kmol_per_h": u.convert(F["CO"] + F["H2"], to_units=u.kmol / u.hour),
            "h2_consumed_mol_s": b.usage_ratio * c,
            "c5plus_selectivity": L["C8H18"] + L["C16H34"] + L["C30H62"],
        }, "design results: reactor duty [W], cost basis (H2 + CO feed) [kmol/h], H2 consumed "
           "[mol/s], C5+ carbon selectivity [-]")


# -- methanol ----------------------------------------------------------------------------------

_MEOH_EQ = ("H2", "CO", "CO2", "H2O", "CH3OH")
_INERT_PROXY = "Ar"


class MethanolReactor(Unit):
    """Isothermal methanol synthesis reactor at chemical equilibrium (with an approach
    temperature) of CO + 2 H2 = CH3OH, CO2 + 3 H2 = CH3OH + H2O and CO + H2O = CO2 + H2.

    Model
    -----
    * The outlet composition minimises the Gibbs energy of the ideal-gas mixture
      {H2, CO, CO2, H2O, CH3OH} at ``T + dT_approach`` and ``P``
      (:func:`carbonhub.thermo.equilibrate`, NASA-7 data of Cantera's nasa_gas.yaml; the two
      independent reactions above span all three). Every other gas (CH4, N2, Ar, C2+, DME, ...)
      is inert: it takes no part (no methanation) but dilutes the mixture; its moles enter the
      minimiser as the same number of moles of an inert proxy (Ar), which is exact for an ideal
      gas. Liquid water in the feed is treated as vapour.
    * The outlet leaves at ``T`` (the approach only shifts the equilibrium: for these
      exothermic reactions a positive ``dT_approach`` lowers the conversion).
    * Optional DME by-product: ``dme_fraction`` of the methanol formed is dehydrated,
      2 CH3OH -> DME + H2O (after the equilibrium; not itself at equilibrium).
    * Heat: ``heat`` = H_out(T) - H_in (negative: removed as steam in a boiling-water reactor).
    * Design: catalyst volume from a gas hourly space velocity (normal m3 feed per m3 catalyst
      per hour), catalyst mass from a bulk density; cost basis methanol made [t/d].

    Parameters
    ----------
    T : outlet temperature [K];  P : pressure [Pa]
    dT_approach : approach to equilibrium [K]
    dme_fraction : fraction of the methanol formed that is dehydrated to DME [-]
    ghsv : gas hourly space velocity [1/h] (normal conditions)
    catalyst_density : catalyst bulk density [kg/m3]

    Example
    -------
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> from carbonhub.unitops.synthesis import MethanolReactor
    >>> cs = ComponentSet.from_ids(["H2", "CO", "CO2", "H2O", "CH3OH", "CH4", "N2", "Ar", "DME"])
    >>> feed = Stream.from_flows(cs, {"H2": 7.0, "CO": 2.5, "CO2": 0.5, "CH4": 0.2}, T=500.0, P=80e5)
    >>> mr = MethanolReactor("meoh", T=523.15, P=80e5)
    >>> r = mr.run({"feed": feed}, mr.resolve({}, 1))
    >>> round(float(r.outlets["out"]["CH3OH"][0]), 4), float(r.outlets["out"]["CH4"][0])
    (1.9115, 0.2)

    References
    ----------
    Gordon, S., McBride, B.J. (1994), NASA RP-1311 (the Gibbs minimiser); McBride, B.J.,
    Zehe, M.J., Gordon, S. (2002), NASA/TP-2002-211556 (species data); Hamelinck, C.N.,
    Faaij, A.P.C. (2002), J. Power Sources 111:1-22, doi:10.1016/S0378-7753(02)00220-3
    (biomass methanol: equilibrium reactor with approach temperature); Phillips, S.D. et al.
    (2011), NREL/TP-5100-47594 (methanol synthesis loop). The default ``ghsv`` (8000 1/h) and
    ``catalyst_density`` (1100 kg/m3) are typical values for Cu/ZnO/Al2O3, to be verified.
    """

    inlets = ("feed",)
    outlets = ("out",)
    params = {
        "T": Param(523.15, "K", 400.0, 650.0, "outlet (reactor) temperature [K]"),
        "P": Param(80e5, "Pa", 1e5, 3e7, "pressure [Pa]"),
        "dT_approach": Param(0.0, "K", 0.0, 200.0, "approach to equilibrium [K]"),
        "dme_fraction": Param(0.0, "", 0.0, 1.0,
                              "fraction of the methanol formed dehydrated to DME [-]"),
        "ghsv": Param(8000.0, "1/h", 100.0, 1e5, "gas hourly space velocity [1/h] (typical; verify)"),
        "catalyst_density": Param(1100.0, "kg/m^3", 300.0, 3000.0,
                                  "catalyst bulk density [kg/m3] (typical; verify)"),
    }
    costs = (Cost("ref.methanol_synthesis_loop", "methanol_t_per_d"),)

    def run(self, ins, p) -> UnitResult:
        s = ins["feed"]
        cs = s.cs
        check_feed(s, self.id, "feed")
        eq = require(cs, _MEOH_EQ, self.id, "methanol equilibrium species")
        n = s.n_cases
        F = s.flow
        feq = F[:, eq].copy()
        liq_w = cs.index("H2O(L)") if "H2O(L)" in cs else None
        if liq_w is not None:
            feq[:, 3] += F[:, liq_w]
        other_gas = cs.is_gas.copy()
        other_gas[eq] = False
        inert = F[:, other_gas].sum(axis=1)
        moles = np.concatenate([feq, inert[:, None]], axis=1)
        T, P = p.T, p.P
        res = equilibrate(list(_MEOH_EQ) + [_INERT_PROXY], moles, T + p.dT_approach, P,
                          components=default_components())
        empty = feq.sum(axis=1) <= 0
        ok = (res.status == "ok") | empty
        out = F.copy()
        if liq_w is not None:
            out[:, liq_w] = 0.0
        new = np.where(ok[:, None] & ~empty[:, None], np.nan_to_num(res.moles[:, :5]), feq)
        new = project_elements(np.maximum(new, 0.0), cs.element_matrix[eq], feq @ cs.element_matrix[eq])
        out[:, eq] = np.maximum(new, 0.0)
        meoh_made = out[:, eq[4]] - F[:, eq[4]]
        if np.any(p.dme_fraction > 0):
            idme = require(cs, ("DME",), self.id, "dme_fraction > 0")[0]
            x = 0.5 * p.dme_fraction * np.maximum(meoh_made, 0.0)
            out[:, eq[4]] -= 2 * x
            out[:, eq[3]] += x
            out[:, idme] += x
        failed = ~ok
        out[failed] = F[failed]  # conserved placeholder for flagged cases
        o = Stream(cs, out, T.copy(), P.copy(), s.origin, check=False)
        heat = o.enthalpy - s.enthalpy
        mw_meoh = cs.molar_mass[eq[4]]
        made = out[:, eq[4]] - F[:, eq[4]]
        dme_made = out[:, cs.index("DME")] - F[:, cs.index("DME")] if "DME" in cs else np.zeros(n)
        co_in, co2_in = F[:, eq[1]], F[:, eq[2]]
        c_in = co_in + co2_in
        q_feed_nm3_h = s.flow[:, cs.is_gas].sum(axis=1) * NORMAL_MOLAR_VOLUME * HOUR
        cat_m3 = q_feed_nm3_h / p.ghsv
        design = {
            "methanol_t_per_d": np.maximum(made, 0.0) * mw_meoh * DAY / 1000.0,
            "methanol_mol_s": made,
            "dme_mol_s": dme_made,
            "co_conversion": np.divide(co_in - out[:, eq[1]], co_in, out=np.zeros(n), where=co_in > 0),
            "co2_conversion": np.divide(co2_in - out[:, eq[2]], co2_in, out=np.zeros(n),
                                        where=co2_in > 0),
            "carbon_conversion": np.divide(made + 2 * dme_made, c_in, out=np.zeros(n), where=c_in > 0),
            "duty_W": heat.copy(),
            "catalyst_volume_m3": cat_m3,
            "catalyst_kg": cat_m3 * p.catalyst_density,
            "T_K": T.copy(), "P_bar": P / 1e5,
        }
        util = {"steam_raised_W": np.maximum(-heat, 0.0), "steam_heat_W": np.maximum(heat, 0.0),
                "catalyst_kg": design["catalyst_kg"]}
        status = status_array(failed, [f"methanol equilibrium: {m}" for m in res.status[failed]])
        return UnitResult({"out": o}, heat, np.zeros(n), design, util, status)

    def build_pyomo(self, b, p, init) -> None:
        """Twin: the equilibrium as constraints on the extents of two independent reactions,
        CO + 2 H2 = CH3OH (``methanol``) and CO2 + H2 = CO + H2O (``rwgs``):
        sum_j nu_j ln(y_j) + (sum_j nu_j) ln(P / P_REF) = ln K = -sum_j nu_j g°_j / (R T_eq),
        with T_eq = T + dT_approach, g° from the NASA-7 data of ``default_components()`` (as
        ``equilibrate``), and y_j = n_j / (moles of the five species + moles of every other gas),
        the inert dilution of ``run``. Elements are conserved by the extents, so ``run``'s
        element projection (which only removes the minimiser's residual) has nothing to do.

        Frozen at the core solution: whether the DME step acts (it needs methanol made > 0);
        and which reactions can proceed: without C or H in the five species both extents are
        0, and with O = C (no CO2 and no water in the feed) the ``rwgs`` extent is 0, which is
        what the element balances alone allow (no log of a zero mole number).
        """
        import pyomo.environ as pyo

        from ..eo.properties import nasa_h_expr, nasa_s0_expr
        from ..thermo.nasa7 import P_REF, R

        u = pyo.units
        cs = b.config.property_package.cs
        require(cs, _MEOH_EQ, self.id, "methanol equilibrium species")
        fi = b.sin("feed")
        F = fi.flow_mol_comp
        fl = {j: float(init.inlets["feed"][j][0]) for j in cs.ids}
        fo = {j: float(init.outlets["out"][j][0]) for j in cs.ids}
        has_liq = "H2O(L)" in cs
        has_dme = "DME" in cs
        feq = {j: F[j] for j in _MEOH_EQ}
        if has_liq:
            feq["H2O"] = F["H2O"] + F["H2O(L)"]
        inert = [j for j, g in zip(cs.ids, cs.is_gas) if g and j not in _MEOH_EQ]
        nu = {"methanol": {"CO": -1, "H2": -2, "CH3OH": 1},
              "rwgs": {"CO2": -1, "H2": -1, "CO": 1, "H2O": 1}}
        # core solution before the DME step: x = DME made, methanol made = extent of "methanol"
        x0 = fo["DME"] - fl["DME"] if has_dme else 0.0
        n0 = {j: fo[j] for j in _MEOH_EQ}
        n0["CH3OH"] += 2 * x0
        n0["H2O"] -= x0
        xi0 = {"methanol": n0["CH3OH"] - fl["CH3OH"], "rwgs": fl["CO2"] - n0["CO2"]}
        b.rxn = pyo.Set(initialize=list(nu), ordered=True,
                        doc="independent reactions: CO + 2 H2 = CH3OH, CO2 + H2 = CO + H2O")
        b.extent = pyo.Var(b.rxn, initialize=xi0, units=u.mol / u.s, doc="extent of reaction [mol/s]")
        b.n_eq = pyo.Var(_MEOH_EQ, initialize=n0, bounds=(0, None), units=u.mol / u.s,
                         doc="moles of the equilibrium species at equilibrium (before DME) [mol/s]")
        b.eq_stoich = pyo.Constraint(
            _MEOH_EQ, rule=lambda b, j: b.n_eq[j] == feq[j] + sum(nu[r].get(j, 0) * b.extent[r] for r in nu),
            doc="equilibrium moles = feed + stoichiometry x extents (conserves C, H, O)")
        b.n_total = pyo.Expression(expr=sum(b.n_eq[j] for j in _MEOH_EQ) + sum(F[j] for j in inert),
                                   doc="gas moles in the equilibrium, inerts included [mol/s]")
        # which reactions can proceed: CO2 + H2O = O - C is invariant, so without C or H, or
        # with O = C (no CO2 and no water), the extents are fixed by the element balances
        c_in = fl["CO"] + fl["CO2"] + fl["CH3OH"]
        h_in = fl["H2"] + fl["H2O"] + 2 * fl["CH3OH"] + (fl["H2O(L)"] if has_liq else 0.0)
        d_in = fl["CO2"] + fl["H2O"] + (fl["H2O(L)"] if has_liq else 0.0)
        live = {"methanol": c_in > 0 and h_in > 0, "rwgs": c_in > 0 and h_in > 0 and d_in > 0}
        T_eq = (b.pv("T") + b.pv("dT_approach")) / u.K
        dcs = default_components()

        def g_rt(j):
            return nasa_h_expr(dcs, j, T_eq) / (R * T_eq) - nasa_s0_expr(dcs, j, T_eq) / R

        b.ln_K = pyo.Expression(b.rxn, rule=lambda b, r: -sum(v * g_rt(j) for j, v in nu[r].items()),
                                doc="ln K = -sum nu g°/(R T_eq), standard state 1 atm [-]")
        # mass action in logarithms of the moles, tied to the moles by exp (no log or division
        # that could be evaluated at a non-positive argument)
        on = [r for r in nu if live[r]]
        for r in nu:
            if not live[r]:
                b.extent[r].fix(0.0)
        if on:
            sp = [j for j in _MEOH_EQ if any(j in nu[r] for r in on)]
            mol_s = u.mol / u.s
            ntot0 = sum(n0.values()) + sum(fl[j] for j in inert)
            b.ln_n = pyo.Var(sp, initialize={j: float(np.log(max(n0[j], 1e-300))) for j in sp},
                             doc="ln of the equilibrium moles [mol/s] of the species of the active reactions")
            b.ln_n_total = pyo.Var(initialize=float(np.log(ntot0)),
                                   doc="ln of the total gas moles [mol/s] in the equilibrium")
            b.eq_ln_n = pyo.Constraint(sp, rule=lambda b, j: b.n_eq[j] == pyo.exp(b.ln_n[j]) * mol_s,
                                       doc="definition of ln_n")
            b.eq_ln_n_total = pyo.Constraint(expr=b.n_total == pyo.exp(b.ln_n_total) * mol_s,
                                             doc="definition of ln_n_total")
            lnP = pyo.log(b.pv("P") / (P_REF * u.Pa))
            b.eq_equilibrium = pyo.Constraint(
                on, rule=lambda b, r: sum(v * (b.ln_n[j] - b.ln_n_total) for j, v in nu[r].items())
                + sum(nu[r].values()) * lnP == b.ln_K[r],
                doc="chemical equilibrium with partial pressures y_j P (ideal gas)")
        dme_on = has_dme and xi0["methanol"] > 0
        x = 0.5 * b.par["dme_fraction"] * b.extent["methanol"] if dme_on else 0.0
        flows = {j: F[j] for j in cs.ids}
        flows.update({j: b.n_eq[j] for j in _MEOH_EQ})
        flows["CH3OH"] = b.n_eq["CH3OH"] - 2 * x
        flows["H2O"] = b.n_eq["H2O"] + x
        if has_liq:
            flows["H2O(L)"] = 0.0
        if has_dme:
            flows["DME"] = F["DME"] + x
        eo_outlet(b, "out", flows, b.pv("T"), b.pv("P"), "equilibrium, inerts pass, DME step")
        b.power.fix(0.0)
        b.add_energy_balance()
        made = fo["CH3OH"] - fl["CH3OH"]
        mw = b.config.property_package.mw["CH3OH"]
        made_mol_s = b.sout("out").flow_mol_comp["CH3OH"] - F["CH3OH"]
        eo_design(b, {
            "methanol_t_per_d": (u.convert(made_mol_s * mw, to_units=u.tonne / u.day) if made > 0
                                 else 0.0 * u.tonne / u.day),
            "methanol_mol_s": made_mol_s,
            "duty_W": b.heat * 1.0,
        }, "design results: methanol made [t/d] (cost basis; 0 if the core made none) and "
           "[mol/s], reactor duty [W]")
