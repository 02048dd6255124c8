"""Water-gas shift CO + H2O = CO2 + H2 (sour or sweet, adiabatic or isothermal) with steam
addition and bypass; batched over cases, with its equation-oriented twin next to ``run``.

Example
-------
>>> import numpy as np
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> from carbonhub.unitops.shift import WaterGasShift
>>> cs = ComponentSet.from_ids(["H2", "CO", "CO2", "H2O", "N2"])
>>> feed = Stream.from_flows(cs, {"H2": 1.0, "CO": 1.0, "CO2": 0.1, "N2": 0.1}, T=620.0, P=25e5)
>>> steam = Stream.from_flows(cs, {"H2O": [1.5, 2.5]}, T=620.0, P=25e5)
>>> wgs = WaterGasShift("wgs", thermal="isothermal", T=623.15)
>>> r = wgs.run({"feed": feed, "steam": steam}, wgs.resolve({}, 2))
>>> np.round(r.design["co_conversion"], 4)      # more steam, more conversion
array([0.8659, 0.9391])

References
----------
.. [1] Higman, C., van der Burgt, M. (2008). Gasification, 2nd ed., Gulf Professional
   Publishing, ISBN 978-0-7506-8528-3 (syngas cooling, scrubbing, shift, acid-gas removal).
.. [2] Kohl, A.L., Nielsen, R.B. (1997). Gas Purification, 5th ed., Gulf Publishing,
   ISBN 0-88415-220-0 (alkanolamines, physical solvents, sulphur recovery).
"""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream, mix_origins, solve_T_for_H
from ..core.unit import Cost, Param, Unit, UnitResult
from ..thermo.nasa7 import R
from ..thermo.reactions import equilibrium_constant
from ._common import (FT3_M3, HOUR, barg, NORMAL_MOLAR_VOLUME, Status, choice_array, duty_utilities, need,
                      eo_utility_exchanger_area, utility_exchanger_area, utility_exchanger_params)
from ..thermo.engine import use_numba
from ._common import kernel_array
from ..thermo.rowdot import rowdot, rowsum

__all__ = ["WaterGasShift", "wgs_extent"]


_WGS = "CO + H2O = CO2 + H2"
_IDS = ["CO", "H2O", "CO2", "H2"]
_NU = np.array([-1.0, -1.0, 1.0, 1.0])


def wgs_extent(n0: np.ndarray, K: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equilibrium extent of CO + H2O = CO2 + H2 from moles (n, 4) [CO, H2O, CO2, H2] and K (n,).

    (c2 + x)(h + x) = K (c - x)(w - x) is a quadratic in x whose physical root (in
    [-min(c2, h), min(c, w)], where the residual is monotone) is -2C / (B + sqrt(B^2 - 4AC)).
    Returns the extent and d(extent)/dK.
    """
    c, w, c2, h = n0.T
    A = 1.0 - K
    B = c2 + h + K * (c + w)
    C = c2 * h - K * c * w
    den = B + np.sqrt(np.maximum(B * B - 4.0 * A * C, 0.0))
    x = np.where(den > 0, -2.0 * C / np.where(den > 0, den, 1.0), 0.0)
    x = np.clip(x, -np.minimum(c2, h), np.minimum(c, w))
    dg = (c2 + h + 2.0 * x) + K * (c + w - 2.0 * x)
    dx = np.where(dg > 0, (c - x) * (w - x) / np.where(dg > 0, dg, 1.0), 0.0)
    return x, dx


def _target_extent(tot: np.ndarray, h2_co: np.ndarray) -> np.ndarray:
    """Extent that brings moles ``tot`` (n, 4) [CO, H2O, CO2, H2] to H2/CO = ``h2_co``."""
    return (h2_co * tot[:, 0] - tot[:, 3]) / (1.0 + h2_co)


def _target_short_of_equilibrium(n0, nb, tot, H_T, p, cand, bed_T, cs):
    """Cases (mask over the batch) of an adiabatic bed whose H2/CO target lies short of the
    shift equilibrium, with their extent and bed outlet temperature. ``n0``, ``nb``: reactor
    inlet and bypass moles of [CO, H2O, CO2, H2] (n, 4); ``tot``: reactor inlet total flow;
    ``bed_T(idx, x)``: the adiabatic bed temperature of cases ``idx`` at extent ``x``.

    On the adiabatic path of the exothermic shift the bed temperature rises with the extent and
    K falls, so the equilibrium residual (CO2 + x)(H2 + x) - K(T(x)) (CO - x)(H2O - x) rises with
    the extent x; the target extent is short of equilibrium exactly when the residual at the
    target's own adiabatic temperature is negative. A case so by a margin (1e-9 of the larger
    term) takes the target directly: the same extent and temperature as the equilibrium Newton
    followed by the target, without that Newton; a case near or beyond equilibrium, a reverse
    shift or a target beyond the CO or steam present keeps the full path (its flags). Same
    answers: the bed temperature is solved from the same energy balance to the same tolerance."""
    n = n0.shape[0]
    fast = np.zeros(n, dtype=bool)
    idx = np.flatnonzero(cand & (tot > 0))
    if idx.size == 0:
        return fast, np.zeros(0), np.zeros(0)
    m0 = n0[idx]
    xt = _target_extent(m0 + nb[idx], p.h2_co[idx])
    c, w, c2, h = m0.T
    ok = (xt >= 0.0) & (xt < c) & (xt < w)
    idx, xt, m0 = idx[ok], xt[ok], m0[ok]
    if idx.size == 0:
        return fast, np.zeros(0), np.zeros(0)
    T = bed_T(idx, xt)
    K = equilibrium_constant(_WGS, T + p.dT_approach[idx], cs)
    c, w, c2, h = m0.T
    fwd, rev = (c2 + xt) * (h + xt), K * (c - xt) * (w - xt)
    short = fwd - rev < -1e-9 * np.maximum(fwd, rev)
    fast[idx[short]] = True
    return fast, xt[short], T[short]


class _Rows:
    """The shift's (n, k) row work of a batch, by the numpy reference (tables over the batch's
    present components, as built before the compiled kernels) or compiled per case
    (:mod:`._shift_kernel`, over the full component set): inlet sums, bed temperature of an
    extent, outlet. Same operations in the same order, so the same bits."""

    def __init__(self, f, s, p, compiled: bool):
        self.f, self.s, self.p, self.compiled = f, s, p, compiled
        full = f.cs
        self.full_ix = full.indices(_IDS)
        if compiled:
            from ._shift_kernel import shift_inlet

            n, k = p.n, len(full)

            c = kernel_array  # a stream of one case serves every case (as numpy broadcasts)
            self.F, self.S, self.b = c(f.flow, (n, k)), c(s.flow, (n, k)), c(p.bypass, (n,))
            self.H_f, self.H_s, self.H_T, self.tot, self.dry, self.n0, self.nb = shift_inlet(
                self.F, self.S, c(f.T, (n,)), c(s.T, (n,)), c(p.T, (n,)), self.b,
                self.full_ix, full.is_gas, full.low, full.high, full.tmid, R)
            self._tables = None
        else:
            t = self.tables()
            cs, ix, rin = t["cs"], t["ix"], t["rin"]
            # (n,) each, also for an inlet of one case serving every case
            self.H_f = np.broadcast_to(rowsum(t["ff"] * cs.h(f.T)), (p.n,))
            self.H_s = np.broadcast_to(rowsum(t["sf"] * cs.h(s.T)), (p.n,))
            self.H_T = rowsum(rin * t["h_T"])
            self.n0, self.nb, self.tot = rin[:, ix], t["byp"][:, ix], rowsum(rin)
            self.dry = rowsum(rin * cs.is_gas) - self.n0[:, 1]  # dry reactor-inlet gas [mol/s]

    def tables(self) -> dict:
        """The reference's tables (built once, on first use): thermo on the components present
        in this batch only (the others have zero flow); sums over them in index order
        (rowsum): a case's answer does not depend on its batch."""
        if getattr(self, "_tables", None) is None:
            f, s, p = self.f, self.s, self.p
            full = f.cs
            cols = np.union1d(np.flatnonzero((f.flow != 0).any(axis=0) | (s.flow != 0).any(axis=0)),
                              full.indices(_IDS))
            cs = full.subset([full.ids[i] for i in cols])
            ff, sf = f.flow[:, cols], s.flow[:, cols]
            b = p.bypass[:, None]
            self._tables = {"cols": cols, "cs": cs, "ix": cs.indices(_IDS), "ff": ff, "sf": sf,
                            "rin": ff * (1.0 - b) + sf, "byp": ff * b, "h_T": cs.h(p.T)}
        return self._tables

    def composition(self, x):
        """Reactor outlet moles (n, k) of the tables at extent x (clipped at zero)."""
        t = self.tables()
        out = t["rin"].copy()
        out[:, t["ix"]] += x[:, None] * _NU
        return np.maximum(out, 0.0)

    def bed_T(self, idx, x):
        """Adiabatic bed temperature [K] of cases ``idx`` at extent ``x``: enthalpy of the reactor
        inlet with the extent applied = the inlet's at T."""
        if self.compiled:
            from ._shift_kernel import bed_temperature

            return bed_temperature(self.F, self.S, self.b, self.full_ix, idx, x, self.H_T[idx],
                                   self.p.T[idx], self.f.cs.low, self.f.cs.high, self.f.cs.tmid, R)
        t = self.tables()
        comp = t["rin"][idx].copy()
        comp[:, t["ix"]] += x[:, None] * _NU
        return solve_T_for_H(t["cs"], comp, self.H_T[idx], self.p.T[idx])

    def outlet(self, x, T_r, adiabatic):
        """(full-width outlet flows, outlet T, heat): reactor outlet at ``T_r`` plus the bypass
        mixed adiabatically after the bed; heat = H_out - H_feed - H_steam."""
        p, full = self.p, self.f.cs
        if self.compiled:
            from ._shift_kernel import shift_outlet

            return shift_outlet(self.F, self.S, self.b, self.full_ix, np.ascontiguousarray(x, dtype=float),
                                np.ascontiguousarray(T_r, dtype=float), self.H_f, self.H_s, full.low,
                                full.high, full.tmid, R)
        t = self.tables()
        cs = t["cs"]
        rout = self.composition(x)
        flow = rout + t["byp"]
        T_out = T_r.copy()
        h_out = t["h_T"].copy()  # isothermal without bypass: outlet at T
        has_b = p.bypass > 0
        if has_b.any():  # bypass mixed adiabatically after the reactor
            H_r = rowsum(rout[has_b] * cs.h(T_r[has_b]))
            T_out[has_b] = solve_T_for_H(cs, flow[has_b], H_r + p.bypass[has_b] * self.H_f[has_b],
                                         T_r[has_b])
        redo = has_b | adiabatic
        if redo.any():
            h_out[redo] = cs.h(T_out[redo])
        full_flow = np.zeros((p.n, len(full)))
        full_flow[:, t["cols"]] = flow
        return full_flow, T_out, rowsum(flow * h_out) - self.H_f - self.H_s


class WaterGasShift(Unit):
    """Water-gas shift CO + H2O = CO2 + H2 with steam addition and bypass.

    The fraction ``bypass`` of the feed goes around the reactor; the rest and all of the
    ``steam`` inlet (expected as vapour, ``H2O``) react. ``mode``:

    * ``"equilibrium"``: shift equilibrium at the reactor outlet temperature plus
      ``dT_approach`` (K from :func:`carbonhub.thermo.equilibrium_constant`, i.e. the NASA-7
      data of the components; other reactions such as methanation are taken as
      kinetically frozen);
    * ``"h2_co"``: the extent that gives ``h2_co`` (H2/CO, molar) in the combined outlet; a case
      whose target lies beyond equilibrium (or below the feed's ratio: reverse shift) gets a
      status and the equilibrium (or zero) extent. In an adiabatic bed a target short of
      equilibrium (the equilibrium residual at the target's own adiabatic temperature below
      zero by a margin) is taken directly, without the equilibrium Newton: same answer.

    ``thermal``: ``"isothermal"`` (reactor outlet at ``T``; heat removed or added) or
    ``"adiabatic"`` (reactor inlet brought to ``T``, the bed adiabatic, its outlet temperature
    solved together with the equilibrium by a safeguarded Newton iteration). The bypass is mixed
    adiabatically after the reactor. ``heat`` = preheat/cooling of the reactor inlet to ``T``
    (adiabatic) or all heat exchanged (isothermal).

    Design: catalyst volume = dry reactor-inlet gas at 0 degC, 1 atm [Nm3/h] / ``ghsv``
    (``volume_m3``, ``catalyst_volume_ft3``), ``catalyst_kg``, ``co_conversion`` (of the CO in
    feed + steam), ``h2_co_out``, ``T_reactor_K``, ``steam_to_co`` (of the reactor inlet),
    ``P_barg``. Defaults ``ghsv`` = 1000 1/h and ``catalyst_density`` = 1200 kg/m3 are typical
    of high-temperature Fe-Cr catalysts, not verified in this session; the GHSV is that of
    NETL's own coal-IGCC shift design within ~15 % (its catalyst volume, IDAES account 5.7,
    against its gas flow, account 5.1), the design the ``netl_account`` block was costed for.

    Cost (``cost_block``): ``vessels`` (default): the reactor as what it is, a catalyst-filled
    vertical pressure vessel of the catalyst volume at the reactor pressure (Turton et al.
    bare-module cost, ``turton.vessel_vertical``, carbon steel, L/D = 3; above 520 m3 parallel
    vessels) and the exchanger of its ``heat`` (reactor-inlet preheat of an adiabatic bed, the
    cooling surface of an isothermal one: ``exchanger_area_m2`` = abs(heat) / (``U``
    ``dT_utility``), ``turton.heat_exchanger_fixed_tube``), the catalyst itself an operating cost
    (inventory / ``economics.catalyst_life_y`` at ``prices.shift_catalyst_eur_per_kg``);
    ``netl_account``: NETL's coal-IGCC sour-shift
    account 5.7 (two stages with their heat recovery, 17,622 ft3 of catalyst, 136 MUSD2018
    BEC) scaled on catalyst volume (``ref.water_gas_shift_reactors_netl``), a scope built for
    ~4x the gas of a 2,000 t/d biomass plant.

    Example
    -------
    >>> import numpy as np
    >>> from carbonhub.thermo import ComponentSet
    >>> from carbonhub.core import Stream
    >>> cs = ComponentSet.from_ids(["H2", "CO", "CO2", "H2O", "N2"])
    >>> feed = Stream.from_flows(cs, {"H2": 1.0, "CO": 1.0, "N2": 0.1}, T=500.0, P=25e5)
    >>> steam = Stream.from_flows(cs, {"H2O": 1.2}, T=500.0, P=25e5)
    >>> u = WaterGasShift("wgs", mode="h2_co", h2_co=2.0)
    >>> r = u.run({"feed": feed, "steam": steam}, u.resolve({}, 1))
    >>> round(float(r.design["h2_co_out"][0]), 6), round(float(r.design["T_reactor_K"][0]), 1)
    (2.0, 738.7)

    References
    ----------
    .. [1] Gordon, S., McBride, B.J. (1994), NASA RP-1311 (equilibrium from NASA polynomials).
    .. [2] Newsome, D.S. (1980). The Water-Gas Shift Reaction. Catal. Rev. Sci. Eng. 21:275-318,
       doi:10.1080/03602458008066535.
    """

    inlets = ("feed", "steam")
    outlets = ("out",)
    params = {
        "mode": Param("equilibrium", "choice", doc="equilibrium or h2_co (extent to a target)",
                      choices=("equilibrium", "h2_co")),
        "thermal": Param("adiabatic", "choice", doc="adiabatic bed or isothermal reactor",
                         choices=("adiabatic", "isothermal")),
        "T": Param(623.15, "K", 400.0, 1500.0,
                   "reactor inlet (adiabatic) or reactor (isothermal) temperature [K]"),
        "dT_approach": Param(0.0, "K", 0.0, 300.0, "approach to equilibrium: K at T_out + dT [K]"),
        "h2_co": Param(2.0, "", 0.01, 1e4, "target H2/CO of the outlet (mode h2_co) [mol/mol]"),
        "bypass": Param(0.0, "", 0.0, 1.0, "fraction of the feed bypassing the reactor [-]"),
        "dP": Param(0.0, "Pa", 0.0, 1e7, "pressure drop [Pa]"),
        "ghsv": Param(1000.0, "1/h", 1.0, 1e6, "dry-gas hourly space velocity at 0 degC, 1 atm [1/h]"),
        "catalyst_density": Param(1200.0, "kg/m^3", 100.0, 5000.0, "catalyst bulk density [kg/m3]"),
        "cost_block": Param("vessels", "choice",
                            doc="vessels: the catalyst-filled pressure vessel(s) (Turton vertical "
                                "vessel of the catalyst volume at P); netl_account: NETL coal-IGCC "
                                "sour-shift account 5.7 scaled on catalyst volume",
                            choices=("vessels", "netl_account")),
        **utility_exchanger_params(U_doc="preheat/cooling exchanger overall U [W/(m2 K)] (cost_block vessels)",
                                   dT_doc="its mean approach to the utility [K]"),
    }
    costs = (Cost("turton.vessel_vertical", "volume_m3", pressure="P_barg",
                  when=("cost_block", ("vessels",))),
             Cost("turton.heat_exchanger_fixed_tube", "exchanger_area_m2", pressure="P_barg",
                  label="preheat/cooling", when=("cost_block", ("vessels",))),
             Cost("ref.water_gas_shift_reactors_netl", "catalyst_volume_ft3",
                  when=("cost_block", ("netl_account",))))
    narrow_adds = ("CO", "H2O", "CO2", "H2")  # the shift's species (core.narrow)

    def run(self, ins, p) -> UnitResult:
        return self.shift(ins, p)

    def shift(self, ins, p, engine: str = "auto") -> UnitResult:
        """``run`` with the engine of its (n, k) row work: "auto" (compiled per case,
        :mod:`carbonhub.unitops._shift_kernel`, unless ``CARBONHUB_NUMBA=0``) or "numpy" (the
        reference); the same bits (tests/unitops/test_shift_kernel.py)."""
        f, s = ins["feed"], ins["steam"]
        full, n, st = f.cs, p.n, Status(p.n)
        need(full, _IDS, f"{self.id} (WaterGasShift)")
        rows = _Rows(f, s, p, use_numba(engine))
        H_T, n0, nb = rows.H_T, rows.n0, rows.nb
        adiabatic = choice_array(p, "thermal") == "adiabatic"
        target = choice_array(p, "mode") == "h2_co"
        T_r = p.T.copy()
        # an adiabatic bed with a target short of equilibrium: its extent and outlet temperature
        # at once, without the equilibrium Newton (see _target_short_of_equilibrium)
        fast, x_t, T_t = _target_short_of_equilibrium(n0, nb, rows.tot, H_T, p, target & adiabatic,
                                                      rows.bed_T, full)
        # equilibrium: isothermal at T, adiabatic by Newton on the bed outlet temperature
        x = np.zeros(n)
        slow = np.flatnonzero(~fast)
        x[slow] = wgs_extent(n0[slow], equilibrium_constant(_WGS, T_r[slow] + p.dT_approach[slow], full))[0]
        act = np.flatnonzero(adiabatic & (rows.tot > 0) & ~fast)
        if act.size:  # the reference's tables for these cases' Newton
            t = rows.tables()
            cs, ix, rin = t["cs"], t["ix"], t["rin"]
        lo, hi = np.full(act.size, 250.0), np.full(act.size, 3000.0)
        for _ in range(60):
            if act.size == 0:
                break
            Ta = T_r[act]
            Te = Ta + p.dT_approach[act]
            K = equilibrium_constant(_WGS, Te, cs)
            xa, dxdK = wgs_extent(n0[act], K)
            na = rin[act]
            hT, cpT = cs.h(Ta), cs.cp(Ta)
            dH = rowdot(hT[:, ix], _NU)
            g = rowsum(na * hT) + xa * dH - H_T[act]
            dH_e = rowdot(cs.h(Te)[:, ix], _NU)  # reaction enthalpy at T + dT (van 't Hoff)
            dgdT = (rowsum(na * cpT) + xa * rowdot(cpT[:, ix], _NU)
                    + dH * dxdK * K * dH_e / (R * Te**2))
            lo = np.where(g < 0, Ta, lo)
            hi = np.where(g > 0, Ta, hi)
            Tn = Ta - g / dgdT
            bad = ~((Tn > lo) & (Tn < hi)) | ~np.isfinite(Tn)
            Tn = np.where(bad, 0.5 * (lo + hi), Tn)
            T_r[act], x[act] = Tn, xa
            done = np.abs(Tn - Ta) < 1e-11 * Ta
            keep = ~done
            act, lo, hi = act[keep], lo[keep], hi[keep]
        if act.size:
            st.flag(np.isin(np.arange(n), act), "adiabatic shift: no convergence of T_out")
        ad = np.flatnonzero(adiabatic & ~fast)
        x_eq = x.copy()
        if ad.size:  # the extent at the converged temperature
            x_eq[ad] = wgs_extent(n0[ad], equilibrium_constant(
                _WGS, T_r[ad] + p.dT_approach[ad], full))[0]
        x = x_eq
        if target.any():
            tot = n0 + nb
            xt = _target_extent(tot, p.h2_co)
            rest = target & ~fast
            st.flag(rest & (xt < -1e-12 * (tot[:, 0] + tot[:, 3])),
                  "target H2/CO is below the feed's: reverse shift is not modelled")
            st.flag(rest & (xt > x_eq * (1 + 1e-12) + 1e-300),
                  "target H2/CO lies beyond the shift equilibrium")
            xt = np.clip(xt, 0.0, np.maximum(x_eq, 0.0))
            x = np.where(target, xt, x_eq)
            # adiabatic: bed outlet temperature for the target extent
            sel = rest & adiabatic
            if sel.any():
                t = rows.tables()
                T_r[sel] = solve_T_for_H(t["cs"], rows.composition(x)[sel], H_T[sel], T_r[sel])
            x[fast], T_r[fast] = x_t, T_t
        full_flow, T_out, heat = rows.outlet(x, T_r, adiabatic)
        out = Stream(full, full_flow, T_out, np.maximum(f.P - p.dP, 1.0), mix_origins([f, s]),
                     check=False)
        # adiabatic: heat = preheat of the reactor inlet to T (the bed itself is adiabatic)
        fx = rows.full_ix
        co_in = n0[:, 0] + nb[:, 0]  # CO of feed + steam
        V = rows.dry * NORMAL_MOLAR_VOLUME * HOUR / p.ghsv
        design = {
            "co_conversion": np.divide(x, co_in, out=np.zeros(n), where=co_in > 0),
            "h2_co_out": np.divide(full_flow[:, fx[3]], full_flow[:, fx[0]], out=np.zeros(n),
                                   where=full_flow[:, fx[0]] > 0),
            "T_reactor_K": T_r, "T_out_K": T_out, "duty_W": heat, "volume_m3": V,
            "catalyst_volume_ft3": V / FT3_M3, "catalyst_kg": V * p.catalyst_density,
            "steam_to_co": np.divide(n0[:, 1], n0[:, 0], out=np.zeros(n), where=n0[:, 0] > 0),
            "P_barg": barg(f.P), "exchanger_area_m2": utility_exchanger_area(heat, p),
        }
        util = duty_utilities(heat)
        util["catalyst_kg"] = V * p.catalyst_density
        return UnitResult({"out": out}, heat, np.zeros(n), design, util, st.result())

    def build_pyomo(self, b, p, init) -> None:
        """Twin: extent of the shift in the reactor (feed minus bypass, plus steam) and the bed
        outlet temperature as variables. Mode equilibrium: (CO2)(H2) = K (CO)(H2O) at the bed
        outlet with K(T_reactor + dT_approach) = exp(-sum nu g0/RT) from the NASA-7 data;
        mode h2_co: outlet H2 = h2_co x CO (the core's clip of a target beyond equilibrium is
        not mirrored: those cases carry a status). Isothermal: bed at T; adiabatic: bed
        enthalpy = reactor inlet at T. The bypass is mixed adiabatically after the reactor;
        heat from the overall energy balance."""
        import pyomo.environ as pyo

        from ..twin.properties import nasa_h_expr, nasa_s0_expr

        u = pyo.units
        cs = b.config.property_package.cs
        F, S, O = b.sin("feed"), b.sin("steam"), b.sout("out")
        nu = {"CO": -1.0, "H2O": -1.0, "CO2": 1.0, "H2": 1.0}
        rin = {j: (1 - b.par["bypass"]) * F.flow_mol_comp[j] + S.flow_mol_comp[j] for j in cs.ids}
        co0 = float(init.inlets["feed"]["CO"][0] + init.inlets["steam"]["CO"][0])
        b.extent = pyo.Var(initialize=co0 - float(init.outlets["out"]["CO"][0]), units=u.mol / u.s,
                           doc="extent of CO + H2O = CO2 + H2 in the reactor [mol/s]")
        b.T_reactor = pyo.Var(initialize=float(init.design["T_reactor_K"]), bounds=(250.0, 3000.0),
                              units=u.K, doc="bed outlet temperature [K]")
        rout = {j: rin[j] + nu.get(j, 0.0) * b.extent for j in cs.ids}

        def H(flows, T):  # enthalpy flow [W] of ``flows`` at T [K] (NASA-7, as the streams)
            return sum(flows[j] * nasa_h_expr(cs, j, T / u.K) * u.J / u.mol for j in cs.ids)

        b.eq_flows = pyo.Constraint(b.comps, rule=lambda b, j: O.flow_mol_comp[j] == F.flow_mol_comp[j]
                                    + S.flow_mol_comp[j] + nu.get(j, 0.0) * b.extent,
                                    doc="stoichiometry of the shift (bypass and reactor together)")
        if p["mode"] == "equilibrium":
            Te = (b.T_reactor + b.pv("dT_approach")) / u.K
            g_RT = {j: nasa_h_expr(cs, j, Te) / (R * Te) - nasa_s0_expr(cs, j, Te) / R for j in nu}
            b.ln_K = pyo.Expression(expr=-sum(n * g_RT[j] for j, n in nu.items()),
                                    doc="ln K of the shift at T_reactor + dT_approach (NASA-7)")
            b.eq_reaction = pyo.Constraint(
                expr=rout["CO2"] * rout["H2"] == pyo.exp(b.ln_K) * rout["CO"] * rout["H2O"],
                doc="shift equilibrium at the bed outlet")
        else:
            b.eq_reaction = pyo.Constraint(expr=O.flow_mol_comp["H2"] == b.par["h2_co"] * O.flow_mol_comp["CO"],
                                           doc="outlet H2/CO = target")
        b.enth_reactor_out = pyo.Expression(expr=H(rout, b.T_reactor), doc="enthalpy flow out of the bed [W]")
        if p["thermal"] == "isothermal":
            b.eq_T_reactor = pyo.Constraint(expr=b.T_reactor == b.pv("T"), doc="isothermal bed at T")
        else:
            b.eq_T_reactor = pyo.Constraint(expr=b.enth_reactor_out == H(rin, b.pv("T")),
                                            doc="adiabatic bed: outlet enthalpy = reactor inlet at T")
        b.eq_mix = pyo.Constraint(expr=O.enth_flow == b.enth_reactor_out + b.par["bypass"] * F.enth_flow,
                                  doc="bypass mixed adiabatically after the bed")
        b.eq_P = pyo.Constraint(expr=O.pressure == F.pressure - b.pv("dP"), doc="pressure drop")
        b.power.fix(0.0)
        b.add_energy_balance()
        from ..twin.helpers import eo_design

        dry = sum(rin[j] for i, j in enumerate(cs.ids) if cs.is_gas[i] and j != "H2O") / (u.mol / u.s)
        V = dry * (NORMAL_MOLAR_VOLUME * HOUR) / b.par["ghsv"]
        # the preheat/cooling exchanger on |heat|; none on a round-off duty (a feed brought to T
        # by a feed-effluent exchanger), as in the core
        area = eo_utility_exchanger_area(b, b.heat, float(np.ravel(init.heat)[0]))
        eo_design(b, {"volume_m3": V, "catalyst_volume_ft3": V / FT3_M3,
                      "catalyst_kg": V * b.par["catalyst_density"], "T_reactor_K": b.T_reactor / u.K,
                      "exchanger_area_m2": area},
                  doc="design results of the twin (as the core's, value in the unit of the key)")
