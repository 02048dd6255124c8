"""Compiled per-case unit kernels (numba): the compressor's stages
(:func:`carbonhub.unitops.machines.compressor_stages`), the two-stream heat exchanger's
duty and outlet temperatures (:func:`carbonhub.unitops.heat.exchange`), a burner's flue-gas
temperature (:func:`carbonhub.unitops.heat.flue_gas`) and the gas side of a steam-raising
cooler (:func:`carbonhub.unitops.cooling.cooler_gas_side`), case by case over the
case's own species with flow, reading each row once instead of building (n, k) tables of
molar entropies and enthalpies per step and summing them.

The same operations in the same order as the numpy reference: sums in index order from 0
(zero flows add exact zeros there), enthalpy terms flow x ((R T) h/RT) and entropy terms
flow x (R s/R) as the references' ``fc * cs.h_cols(T)``, ``fc * cs.s0_cols(T)`` and
:meth:`carbonhub.core.stream.Stream.enthalpy_at`, and the
entropy and enthalpy roots by the iterations of :mod:`carbonhub.thermo._nasa7_kernel` that the
reference calls (``s_root``, ``h_root``). tests/unitops/test_unit_kernels.py checks that both
engines agree.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..thermo._nasa7_kernel import H, S, h_root, poly, row_sum, s_root

_H_TOL, _H_ITER, _H_MIN, _H_MAX = 1e-12, 50, 200.0, 6000.0
"""The enthalpy inversion's settings (:func:`carbonhub.core.stream.solve_T_for_H` defaults)."""
_S_TOL, _S_ITER, _S_MIN, _S_MAX = 1e-13, 60, 50.0, 6000.0
"""The entropy inversion's settings (:func:`carbonhub.unitops.machines.solve_T_for_S`)."""


@njit(cache=True, error_model="numpy", inline="always")
def _row_value(kind, c, flow, i, t, low, high, tmid):
    """0 + sum_j flow_j (c x ``kind``_j(t)) of case i in index order over its species with flow."""
    v = 0.0
    for j in range(flow.shape[1]):
        f = flow[i, j]
        if f != 0.0:
            v += f * (c * poly(kind, t, low[j] if t <= tmid[j] else high[j]))
    return v


@njit(cache=True, error_model="numpy", inline="always")
def row_h(flow, i, t, low, high, tmid, R):
    """Enthalpy flow [W] of case i at t: 0 + sum_j flow_j ((R t) h_j/RT)."""
    return _row_value(H, R * t, flow, i, t, low, high, tmid)


@njit(cache=True, error_model="numpy", inline="always")
def _row_s(flow, i, t, low, high, tmid, R):
    """Standard-state entropy flow [W/K] of case i at t: 0 + sum_j flow_j (R s_j/R)."""
    return _row_value(S, R, flow, i, t, low, high, tmid)


@njit(cache=True, error_model="numpy", inline="always")
def _row_dh(flow, i, t1, t2, low, high, tmid, R):
    """0 + sum_j flow_j (h_j(t1) - h_j(t2)) [W] of case i (a cooler's duty, as the reference)."""
    r1, r2 = R * t1, R * t2
    v = 0.0
    for j in range(flow.shape[1]):
        f = flow[i, j]
        if f != 0.0:
            v += f * (r1 * poly(H, t1, low[j] if t1 <= tmid[j] else high[j])
                      - r2 * poly(H, t2, low[j] if t2 <= tmid[j] else high[j]))
    return v


@njit(cache=True, error_model="numpy", inline="always")
def t_for_h_row(flow, i, target, t0, low, high, tmid, R):
    """Temperature of case i where its enthalpy flow is ``target``: the start clipped and the
    scale of :func:`carbonhub.core.stream.solve_T_for_H`; a row without flow keeps the start."""
    t = min(max(t0, _H_MIN), _H_MAX)
    if not row_sum(flow, i) > 0:
        return t
    a = 0.0
    for j in range(flow.shape[1]):
        a += abs(flow[i, j])
    scale = max(abs(target), a * 1e4) + 1e-300
    return h_root(flow, i, target, t, low, high, tmid, scale, _H_TOL, _H_ITER, _H_MIN, _H_MAX, R)


@njit(cache=True, error_model="numpy")
def compressor_stages(flow, T_in, lnr, r03, eta, ns, polytropic, T_ic, after, low, high, tmid, R):
    """(T_out, work, q_cool, T_discharge) (n,) each of ``ns[i]`` adiabatic stages of pressure
    ratio r (``lnr`` = ln r, ``r03`` = r^0.3, evaluated by the caller with numpy as the
    reference does) from ``T_in[i]``, cooled to ``T_ic[i]`` between stages (and after the last if
    ``after``) when hotter: see :func:`carbonhub.unitops.machines.compressor_stages`."""
    n = flow.shape[0]
    T_out, work, q_cool, T_dis = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    row, lo, hi, tm = flow, low, high, tmid
    for c in range(n):
        i = c
        t, w, q, td = T_in[c], 0.0, 0.0, T_in[c]
        N = row_sum(row, i)
        for stage in range(ns[c]):
            S1 = _row_s(row, i, t, lo, hi, tm, R)
            H1 = row_h(row, i, t, lo, hi, tm, R)
            guess = t * r03[c]
            if polytropic:
                target = S1 + R * N * lnr[c] / eta[c]
            else:
                target = S1 + R * N * lnr[c]
            ts = s_root(row, i, target, guess, lo, hi, tm, _S_TOL, _S_ITER, _S_MIN, _S_MAX, R) \
                if N > 0 else guess
            if polytropic:
                t2 = ts
                dw = row_h(row, i, t2, lo, hi, tm, R) - H1
            else:
                H2 = H1 + (row_h(row, i, ts, lo, hi, tm, R) - H1) / eta[c]
                t2 = t_for_h_row(row, i, H2, ts, lo, hi, tm, R)
                dw = H2 - H1
            w += dw
            if t2 > td or t2 != t2:
                td = t2
            tc = t2
            if (stage < ns[c] - 1 or after) and t2 > T_ic[c]:
                tc = T_ic[c]
                q += _row_dh(row, i, tc, t2, lo, hi, tm, R)
            t = tc
        T_out[c], work[c], q_cool[c], T_dis[c] = t, w, q, td
    return T_out, work, q_cool, T_dis


APPROACH, DUTY, HOT_T_OUT, COLD_T_OUT = 0, 1, 2, 3
"""The heat exchanger's specifications (codes of :func:`exchange`)."""


@njit(cache=True, error_model="numpy")
def exchange(hot, T_hot, cold, T_cold, spec, dT_min, duty, T_hot_out, T_cold_out, low, high, tmid, R):
    """(q, T_hot_out, T_cold_out, heat) (n,) each of a counter-current exchanger by ``spec``
    (APPROACH, DUTY, HOT_T_OUT or COLD_T_OUT): see :func:`carbonhub.unitops.heat.exchange`."""
    n = hot.shape[0]
    q_out, Th_out, Tc_out, heat = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    for i in range(n):
        th, tc = T_hot[i], T_cold[i]
        Hh = row_h(hot, i, th, low, high, tmid, R)
        Hc = row_h(cold, i, tc, low, high, tmid, R)
        if spec == APPROACH:
            qa = Hh - row_h(hot, i, tc + dT_min[i], low, high, tmid, R)
            qb = row_h(cold, i, th - dT_min[i], low, high, tmid, R) - Hc
            q = qa if (qa <= qb or qa != qa) else qb  # numpy's minimum (NaN wins)
        elif spec == DUTY:
            q = duty[i]
        elif spec == COLD_T_OUT:
            q = row_h(cold, i, T_cold_out[i], low, high, tmid, R) - Hc
        else:
            q = Hh - row_h(hot, i, T_hot_out[i], low, high, tmid, R)
        if not (row_sum(hot, i) > 0 and row_sum(cold, i) > 0):
            q = 0.0
        t_h = t_for_h_row(hot, i, Hh - q, T_hot_out[i] if spec == HOT_T_OUT else th, low, high, tmid, R)
        if spec == COLD_T_OUT:  # the set temperature where heat flows (as the hot side's below)
            t_c = T_cold_out[i] if (row_sum(hot, i) > 0 and row_sum(cold, i) > 0) else tc
        else:
            t_c = t_for_h_row(cold, i, Hc + q, tc, low, high, tmid, R)
        if spec == HOT_T_OUT:
            t_h = T_hot_out[i] if row_sum(hot, i) > 0 else th
        q_out[i], Th_out[i], Tc_out[i] = q, t_h, t_c
        heat[i] = (row_h(hot, i, t_h, low, high, tmid, R) + row_h(cold, i, t_c, low, high, tmid, R)) - (Hh + Hc)
    return q_out, Th_out, Tc_out, heat


@njit(cache=True, error_model="numpy")
def flue_gas(fuel, T_fuel, air, T_air, flue, q, T0, low, high, tmid, R):
    """(T_flue, heat) (n,) each of a burner delivering ``q`` [W]: see
    :func:`carbonhub.unitops.heat.flue_gas`."""
    n = fuel.shape[0]
    T, heat = np.empty(n), np.empty(n)
    for i in range(n):
        Hf = row_h(fuel, i, T_fuel[i], low, high, tmid, R)
        Ha = row_h(air, i, T_air[i], low, high, tmid, R)
        T[i] = t_for_h_row(flue, i, Hf + Ha - q[i], T0, low, high, tmid, R)
        heat[i] = row_h(flue, i, T[i], low, high, tmid, R) - Hf - Ha
    return T, heat


@njit(cache=True, error_model="numpy")
def cooler_gas_side(flow, T_in, T_out, dh_steam, dh_super, dh_evap, low, high, tmid, R):
    """(q, steam, q_superheat, q_evaporate, T_1, T_2) (n,) each of a gas cooled from ``T_in``
    to ``T_out`` raising steam: see :func:`carbonhub.unitops.cooling.cooler_gas_side`."""
    n = flow.shape[0]
    q, m, q_sh, q_ev, T1, T2 = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    for i in range(n):
        H_in = row_h(flow, i, T_in[i], low, high, tmid, R)
        q[i] = H_in - row_h(flow, i, T_out[i], low, high, tmid, R)
        qp = q[i] if (q[i] > 0.0 or q[i] != q[i]) else 0.0  # numpy's maximum (NaN wins)
        m[i] = qp / dh_steam[i]
        q_sh[i], q_ev[i] = m[i] * dh_super[i], m[i] * dh_evap[i]
        T1[i] = t_for_h_row(flow, i, H_in - q_sh[i], T_in[i], low, high, tmid, R)
        T2[i] = t_for_h_row(flow, i, H_in - q_sh[i] - q_ev[i], T1[i], low, high, tmid, R)
    return q, m, q_sh, q_ev, T1, T2


@njit(cache=True, error_model="numpy", inline="always")
def _dot_row(a, i, b):
    """0 + a[i, 0] b[0] + a[i, 1] b[1] + ... (every term, as ``rowdot`` with a vector)."""
    v = 0.0
    for j in range(a.shape[1]):
        v += a[i, j] * b[j]
    return v


@njit(cache=True, error_model="numpy")
def gasifier_feed(flows, Ts, Ps, fuel_mask, dry_mask, i_ash, E, lhv, mw, XC, slip_cols,
                  slip_frac, slip_on, i_nh3, nh3_frac, i_steam, el):
    """The gasifier's feed as its equilibrium sees it, per case in one pass
    (:func:`carbonhub.unitops.gasifier_model.prepare_feed`): total inlet flows, the fuel's
    elements, char, slips and fuel-N NH3 bypassing the equilibrium, the equilibrium's element
    inventory, the fuel's LHV flow, the dry feed and the steam mass flows, the O2 inflow and
    the O2 of complete combustion. ``el`` holds the element columns (C, H, O, N, S, Cl) and the
    O2 component's column. The reference's operations in its order: inlet flows summed from 0
    in inlet order, element sums as ``rowdot`` (index order, zero entries of a finite element
    matrix skipped), the vector sums over every term. Also returns whether any inlet has a
    negative or non-finite flow, T or P (then the caller's ``Stream.validate`` decides)."""
    n, k = flows[0].shape
    ne = E.shape[1]
    iC, iH, iO, iN, iS, iCl, iO2 = el[0], el[1], el[2], el[3], el[4], el[5], el[6]
    tot, bypass, inv = np.empty((n, k)), np.zeros((n, k)), np.empty((n, ne))
    fuel, fe, fe2 = np.empty(k), np.empty(ne), np.empty(ne)  # this case's fuel and element sums
    per_case = np.empty((8, n))
    char, c_fuel, lhv_feed, dry_kg = per_case[0], per_case[1], per_case[2], per_case[3]
    steam_kg, o2_in, o2_st, ash = per_case[4], per_case[5], per_case[6], per_case[7]
    suspect = False
    for i in range(n):
        for j in range(k):
            tot[i, j] = 0.0
        for s in range(len(flows)):  # each inlet's row once (inlet order: 0 + f_0 + f_1 + ...)
            a = flows[s]
            ts, ps = Ts[s][i], Ps[s][i]
            if not (ts > 0.0 and ps > 0.0 and np.isfinite(ts) and np.isfinite(ps)):
                suspect = True
            for j in range(k):
                f = a[i, j]
                if not f >= 0.0 or not np.isfinite(f):
                    suspect = True
                tot[i, j] += f
        for j in range(k):
            fuel[j] = tot[i, j] if fuel_mask[j] else 0.0
        for q in range(ne):
            fe[q] = 0.0
            inv[i, q] = 0.0
        for j in range(k):  # rowdot(fuel, E) and rowdot(tot without ash, E)
            f = fuel[j]
            if f != 0.0:
                for q in range(ne):
                    fe[q] += f * E[j, q]
            t = tot[i, j] if j != i_ash else 0.0
            if t != 0.0:
                for q in range(ne):
                    inv[i, q] += t * E[j, q]
        c_fuel[i] = fe[iC]
        char[i] = (1.0 - XC[i]) * fe[iC]
        c_conv = XC[i] * fe[iC]
        for m in range(slip_cols.size):
            if slip_on[m]:
                j = slip_cols[m]
                bypass[i, j] += slip_frac[m, i] * c_conv / E[j, iC]
        bypass[i, i_nh3] += nh3_frac[i] * fe[iN]
        inv[i, iC] -= char[i]
        for q in range(ne):  # inv -= rowdot(bypass, E)
            fe2[q] = 0.0
        for j in range(k):
            f = bypass[i, j]
            if f != 0.0:
                for q in range(ne):
                    fe2[q] += f * E[j, q]
        for q in range(ne):
            inv[i, q] -= fe2[q]
        v = 0.0
        w = 0.0
        for j in range(k):
            v += fuel[j] * lhv[j]
            w += (tot[i, j] if (dry_mask[j]) else 0.0) * mw[j]
        lhv_feed[i] = v
        dry_kg[i] = w
        steam_kg[i] = _dot_row(flows[i_steam], i, mw)
        o2_in[i] = tot[i, iO2]
        o2_st[i] = fe[iC] + (fe[iH] - fe[iCl]) / 4 + fe[iS] - fe[iO] / 2
        ash[i] = tot[i, i_ash]
    return (tot, inv, char, c_fuel, bypass, lhv_feed, dry_kg, steam_kg, o2_in, o2_st, ash,
            suspect)


@njit(cache=True, error_model="numpy")
def gasifier_outlet(bypass, idx, cols, moles, eq_pos, eq_gas, ash, char, pos_ash, pos_c, T, low,
                    high, tmid, R):
    """The gasifier's outlet columns at the equilibrium ``moles`` of cases ``idx``
    (:func:`carbonhub.unitops.gasifier_model.evaluate`): gas = bypass + the equilibrium's gas
    species, solids = ash and char + the equilibrium's condensed carbon, and the outlet's
    enthalpy flow at T, per case in one pass. As the reference: NaN moles read as 0 and
    +-inf as the largest finite floats (``np.nan_to_num``), the condensed species summed from 0
    in order, the enthalpy summed over the outlet columns in order (zero flows add exact
    zeros, so they are skipped), each term flow x ((R T) h/RT)."""
    m, nc, ne = idx.size, cols.size, moles.shape[1]
    gas = np.empty((m, nc))
    sol = np.zeros((m, nc))
    hout = np.empty(m)
    big = np.finfo(np.float64).max
    for a in range(m):
        i = idx[a]
        for c in range(nc):
            gas[a, c] = bypass[i, cols[c]]
        cs_ = 0.0
        for q in range(ne):
            x = moles[a, q]
            if np.isnan(x):
                x = 0.0
            elif x == np.inf:
                x = big
            elif x == -np.inf:
                x = -big
            if eq_gas[q]:
                gas[a, eq_pos[q]] += x
            else:
                cs_ += x
        sol[a, pos_ash] = ash[i]
        sol[a, pos_c] = char[i] + cs_
        t = T[a]
        rt = R * t
        v = 0.0
        for c in range(nc):
            f = gas[a, c] + sol[a, c]
            if f != 0.0:
                v += f * (rt * poly(H, t, low[c] if t <= tmid[c] else high[c]))
        hout[a] = v
    return gas, sol, hout


@njit(cache=True, error_model="numpy", inline="always")
def _rows_h3(a, b, c, i, t, low, high, tmid, R):
    """Enthalpy flows [W] of rows i of ``a``, ``b`` and ``c`` at one temperature t, each as
    :func:`row_h` (0 + sum_j flow_j ((R t) h_j/RT) over its species with flow), one molar
    enthalpy per species for the three."""
    rt = R * t
    ha = hb = hc = 0.0
    for j in range(a.shape[1]):
        x, y, z = a[i, j], b[i, j], c[i, j]
        if x != 0.0 or y != 0.0 or z != 0.0:
            hj = rt * poly(H, t, low[j] if t <= tmid[j] else high[j])
            if x != 0.0:
                ha += x * hj
            if y != 0.0:
                hb += y * hj
            if z != 0.0:
                hc += z * hj
    return ha, hb, hc


@njit(cache=True, error_model="numpy")
def acid_gas_split(flow, T_in, T, to_co2, to_acid, iw, ratio, boils, is_gas, low, high, tmid, R):
    """The acid-gas removal's split per case in one pass (see
    :meth:`carbonhub.unitops.co2.AcidGasRemoval.run`): CO2 outlet flow x ``to_co2`` (k,) per case
    (row i of ``to_co2`` (n, k)), acid gas flow x ``to_acid`` (n, k), the CO2 outlet's water
    (``iw`` >= 0) the lesser of the feed's and its saturation capacity ``ratio`` (y/(1 - y))
    x dry gas (none where water ``boils`` at T and P_co2), the clean gas (flow - CO2) - acid clipped at 0 as numpy's maximum;
    the enthalpy flows of clean, CO2 and acid gas at ``T`` and of the feed at ``T_in`` (as
    ``Stream.enthalpy``) and the feed's gas flow. Sums from 0 in index order (every term where
    the reference adds every term)."""
    n, k = flow.shape
    clean, co2, acid = np.empty((n, k)), np.empty((n, k)), np.empty((n, k))
    Hc, Hq, Ha, Hs, gas = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    for i in range(n):
        dry = 0.0
        g = 0.0
        for j in range(k):
            f = flow[i, j]
            q = f * to_co2[i, j]
            co2[i, j] = q
            acid[i, j] = f * to_acid[i, j]
            gj = 1.0 if is_gas[j] else 0.0
            dry += q * gj
            g += f * gj
        gas[i] = g
        if iw >= 0:
            cap = 0.0 if boils[i] else ratio[i] * (dry - co2[i, iw])  # boiling: no water
            a = flow[i, iw]
            co2[i, iw] = a if (a <= cap or a != a) else cap  # numpy's minimum (NaN wins)
        for j in range(k):
            c = (flow[i, j] - co2[i, j]) - acid[i, j]
            clean[i, j] = c if (c >= 0.0 or c != c) else 0.0  # numpy's maximum(c, 0)
        hc, hq, ha = _rows_h3(clean, co2, acid, i, T[i], low, high, tmid, R)
        hs = row_h(flow, i, T_in[i], low, high, tmid, R)
        Hc[i], Hq[i], Ha[i], Hs[i] = hc, hq, ha, hs
    return clean, co2, acid, Hc, Hq, Ha, Hs, gas


@njit(cache=True, error_model="numpy")
def ft_outlets(F, T_in, c_conv, s_co2, h2_in, h2_demand, limited, dH2O, per, pidx, ix, phase, T_sep,
               T_rx, low, high, tmid, R):
    """The Fischer-Tropsch reactor's effluent and three-phase split per case in one pass (see
    :meth:`carbonhub.unitops.ft.FischerTropsch.run`): CO converted ``c_conv``, CO2, H2 (0 where
    ``limited``) and water by their yields, the products ``per`` (n, 10) x ``c_conv`` at columns
    ``pidx``, CO clipped at 0 (numpy's maximum); gas, liquid (``phase`` 0 / 1 per column) and
    water (``phase`` 2, summed into H2O(L)) outlets; the enthalpy flows of the three outlets at
    ``T_sep``, of the feed at ``T_in`` and of the effluent with its water as vapour at ``T_rx``
    (as ``Stream.enthalpy`` and ``reactor_and_cooler_duties``). ``ix``: columns of CO, CO2, H2,
    H2O, H2O(L)."""
    n, k = F.shape
    iCO, iCO2, iH2, iW, iL = ix[0], ix[1], ix[2], ix[3], ix[4]
    out, gas, liq, wat = np.empty((n, k)), np.empty((n, k)), np.empty((n, k)), np.zeros((n, k))
    Hg, Hl, Hw, Hin, Heff = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    for i in range(n):
        c = c_conv[i]
        for j in range(k):
            out[i, j] = F[i, j]
        out[i, iCO] -= c
        out[i, iCO2] += s_co2[i] * c
        out[i, iH2] = 0.0 if limited[i] else h2_in[i] - h2_demand[i] * c
        out[i, iW] += dH2O[i] * c
        for m in range(pidx.size):
            out[i, pidx[m]] += per[i, m] * c
        a = out[i, iCO]
        out[i, iCO] = a if (a >= 0.0 or a != a) else 0.0
        w = 0.0
        for j in range(k):
            o = out[i, j]
            gas[i, j] = o * (1.0 if phase[j] == 0 else 0.0)
            liq[i, j] = o * (1.0 if phase[j] == 1 else 0.0)
            if phase[j] == 2:
                w += o
        wat[i, iL] = w
        hg, hl, hw = _rows_h3(gas, liq, wat, i, T_sep[i], low, high, tmid, R)
        hi = row_h(F, i, T_in[i], low, high, tmid, R)
        tr = T_rx[i]
        rtr = R * tr
        he = 0.0  # the effluent with its water as vapour at T_rx
        for j in range(k):
            e = out[i, j] + out[i, iL] if j == iW else (0.0 if j == iL else out[i, j])
            if e != 0.0:
                he += e * (rtr * poly(H, tr, low[j] if tr <= tmid[j] else high[j]))
        Hg[i], Hl[i], Hw[i], Hin[i], Heff[i] = hg, hl, hw, hi, he
    return out, gas, liq, wat, Hg, Hl, Hw, Hin, Heff
