"""Compiled per-case kernels of plastics_pyrolysis's units (numba): the hydrotreater's
reactions, enthalpies and H2 sums (:meth:`carbonhub.unitops.hydrotreating.Hydrotreater.run`)
and the condenser's split by species with its enthalpies
(:meth:`carbonhub.unitops.pyrolysis.PyrolysisCondenser.run`), both in the treat-gas loop; a
polymer mix's pyrolysis slate (:func:`carbonhub.unitops.pyrolysis.mixture_slate`), the steam
cracker (:meth:`carbonhub.unitops.cracker.SteamCracker.run`) and the washer's split
(:meth:`carbonhub.unitops.plastics.PlasticsWasher.run`): each in one pass over a case's row
instead of a dozen whole-array numpy passes and temporaries per unit (and tear pass).

The same operations in the same order as the numpy reference (the units' ``run`` with
``CARBONHUB_NUMBA=0``): element-wise products and sums as numpy evaluates them, row sums in
index order from 0 as :func:`carbonhub.thermo.rowdot.rowdot` (a zero term adds an exact zero
there, so skipping it changes no bit), enthalpy flows as
:meth:`carbonhub.core.stream.Stream.enthalpy_at` (:func:`carbonhub.unitops._unit_kernels.row_h`);
no fast-math, so no reassociation and no fused multiply-add. tests/unitops/test_plastics_kernels.py
checks that both engines give the same bits.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..thermo.nasa7 import R
from ._common import kernel_array
from ._unit_kernels import row_h


@njit(cache=True, error_model="numpy")
def hydrotreat(sf, hf, sT, hT, T_out, T_rx, cols, cls_of, X, nu, ih2, carbon, mw_oil, low, high, tmid, R,
               ptr, who):
    """The hydrotreater's reactions per case (see :meth:`Hydrotreater.run`): ``sf``, ``hf`` the
    feed and H2 inlets' flows (n, k) at ``sT``, ``hT``; ``cols`` (r,) the reactants' columns,
    ``cls_of`` (r,) each reactant's class (a column of ``X`` (n, c), the conversions), ``nu``
    (r, k) the change per mol reacted, ``carbon`` (k,) mol C per mol, ``mw_oil`` (k,) molar
    masses with H2 and water at 0. Returns the product flows (n, k), short (n,) (bool), each
    class's H2 (n, c) and (8, n): per case the demand at the set conversions, the H2 consumed,
    the feed's and the H2 inlet's carbon flows, H_in, the product's enthalpy at ``T_out`` and
    at ``T_rx`` [W], the feed's oil mass [kg/s]. ``ptr`` (k + 1,), ``who``: the reactions whose
    change of component j is not zero are ``who[ptr[j]:ptr[j + 1]]`` (ascending): with every
    extent finite, a product ext_a x 0 is +-0 and adds nothing to a sum that starts at +0, so
    only those are summed (a non-finite extent takes the full sum, as the reference)."""
    n, k = sf.shape
    r = cols.shape[0]
    nc = X.shape[1]
    flow = np.empty((n, k))
    short = np.empty(n, dtype=np.bool_)
    h2cls = np.empty((n, nc))
    # per case: demand, H2 consumed, the inlets' carbon flows, H_in, H_out, H_rx, oil mass
    per = np.empty((8, n))
    ext = np.empty(r)
    for i in range(n):
        for j in range(k):
            flow[i, j] = sf[i, j] + hf[i, j]
        for a in range(r):
            c = cls_of[a]
            ext[a] = flow[i, cols[a]] * (X[i, c] if c >= 0 else 0.0)
        d = 0.0
        for a in range(r):
            d += ext[a] * -nu[a, ih2]
        f2 = flow[i, ih2]
        sh = d > f2 * (1 + 1e-12)
        if sh:
            sc = f2 / d if d > 0 else 0.0
            for a in range(r):
                ext[a] = ext[a] * sc
        else:
            for a in range(r):
                ext[a] = ext[a] * 1.0
        finite = True
        for a in range(r):
            finite = finite and ext[a] - ext[a] == 0.0
        for j in range(k):
            v = 0.0
            if finite:
                for t in range(ptr[j], ptr[j + 1]):
                    a = who[t]
                    if ext[a] != 0.0:
                        v += ext[a] * nu[a, j]
            else:
                for a in range(r):
                    if ext[a] != 0.0:
                        v += ext[a] * nu[a, j]
            flow[i, j] = flow[i, j] + v
        x = flow[i, ih2]
        flow[i, ih2] = 0.0 if sh else (x if (x >= 0.0 or x != x) else 0.0)
        per[0, i] = d
        short[i] = sh
        v = 0.0
        for a in range(r):
            v += ext[a] * -nu[a, ih2]
        per[1, i] = v
        for q in range(nc):
            v = 0.0
            for a in range(r):
                if cls_of[a] == q:
                    v += ext[a] * -nu[a, ih2]
            h2cls[i, q] = v
        c1 = 0.0
        c2 = 0.0
        m = 0.0
        for j in range(k):
            c1 += sf[i, j] * carbon[j]
            c2 += hf[i, j] * carbon[j]
            m += sf[i, j] * mw_oil[j]
        per[2, i] = c1
        per[3, i] = c2
        per[7, i] = m
        per[4, i] = row_h(sf, i, sT[i], low, high, tmid, R) + row_h(hf, i, hT[i], low, high, tmid, R)
        per[5, i] = row_h(flow, i, T_out[i], low, high, tmid, R)
        per[6, i] = row_h(flow, i, T_rx[i], low, high, tmid, R)
    return flow, short, h2cls, per


@njit(cache=True, error_model="numpy")
def condense(f, sT, T, fo, fw, ihcl, inh3, x_hcl, x_nh3, il, iv, mw, low, high, tmid, R):
    """The condenser's split per case (see :meth:`PyrolysisCondenser.run`): ``f`` (n, k) at
    ``sT``; to oil the fractions ``fo`` (k,), to water ``fw`` (k,) with HCl's and NH3's per case
    (``x_hcl``, ``x_nh3``), the rest to gas; the water's vapour to ``H2O(L)``. Returns the gas,
    oil and water flows (n, k), the heat H_out - H_in [W] and the oil's mass flow [kg/s]."""
    n, k = f.shape
    gas = np.empty((n, k))
    oil = np.empty((n, k))
    wat = np.empty((n, k))
    heat = np.empty(n)
    oil_kg = np.empty(n)
    for i in range(n):
        for j in range(k):
            x = f[i, j]
            o = x * fo[j]
            if j == ihcl:
                w = x * x_hcl[i]
            elif j == inh3:
                w = x * x_nh3[i]
            else:
                w = x * fw[j]
            oil[i, j] = o
            wat[i, j] = w
            gas[i, j] = (x - o) - w
        wat[i, il] = wat[i, il] + wat[i, iv]
        wat[i, iv] = 0.0
        t = T[i]
        h = 0.0 + row_h(gas, i, t, low, high, tmid, R)
        h = h + row_h(oil, i, t, low, high, tmid, R)
        h = h + row_h(wat, i, t, low, high, tmid, R)
        heat[i] = h - row_h(f, i, sT[i], low, high, tmid, R)
        m = 0.0
        for j in range(k):
            m += oil[i, j] * mw[j]
        oil_kg[i] = m
    return gas, oil, wat, heat, oil_kg


def _case(x, n: int) -> np.ndarray:
    return kernel_array(x, (n,))


def hydrotreat_rows(s, h, T_out, T_rx, cols, cls_of, X, nu, ih2, mw_oil):
    """:func:`hydrotreat` on the inlet streams ``s`` (feed) and ``h`` (H2)."""
    cs, n = s.cs, s.n_cases
    c = np.ascontiguousarray
    nu = c(nu, dtype=float)
    nz = nu != 0.0  # per component, the reactions that change it (in the order of the rows)
    ptr = np.concatenate([[0], np.cumsum(nz.sum(axis=0))]).astype(np.int64)
    who = np.nonzero(nz.T)[1].astype(np.int64)
    return hydrotreat(c(s.flow), c(h.flow), _case(s.T, n), _case(h.T, n), _case(T_out, n), _case(T_rx, n),
                      c(cols, dtype=np.int64), c(cls_of, dtype=np.int64), c(X, dtype=float), nu,
                      int(ih2), c(cs.carbon, dtype=float), c(mw_oil, dtype=float), cs.low, cs.high, cs.tmid, R,
                      ptr, who)


def condense_rows(s, T, fo, fw, x_hcl, x_nh3):
    """:func:`condense` on the inlet stream ``s``."""
    cs, n = s.cs, s.n_cases
    return condense(np.ascontiguousarray(s.flow), _case(s.T, n), _case(T, n), fo, fw, cs.index("HCl"),
                    cs.index("NH3"), _case(x_hcl, n), _case(x_nh3, n), cs.index("H2O(L)"), cs.index("H2O"),
                    np.ascontiguousarray(cs.molar_mass, dtype=float), cs.low, cs.high, cs.tmid, R)


@njit(cache=True, error_model="numpy")
def slate_mix(T, Tp, m, Y, w):
    """The mass-weighted sum of constituent slates at ``T`` (n,), per case (see
    :func:`carbonhub.unitops.pyrolysis.mixture_slate` and :meth:`~carbonhub.unitops.pyrolysis.Slate.at`):
    constituent c has ``m[c]`` points at ``Tp[c, :m[c]]`` (ascending) with slates
    ``Y[c, :m[c]]`` (P products each) and weight ``w[c]``; linear between its points, held
    outside them. Returns (n, P): 0 + w_0 s_0 + w_1 s_1 + ... in the constituents' order."""
    n = T.shape[0]
    nc, _, P = Y.shape
    out = np.zeros((n, P))
    for i in range(n):
        t = T[i]
        for c in range(nc):
            mc = m[c]
            wc = w[c]
            if mc == 1:
                for q in range(P):
                    out[i, q] = out[i, q] + wc * Y[c, 0, q]
                continue
            # numpy's searchsorted (left; NaN after every point), clipped to an interval
            a = 0
            if t != t:
                a = mc
            else:
                while a < mc and Tp[c, a] < t:
                    a += 1
            a = min(max(a - 1, 0), mc - 2)
            f = (t - Tp[c, a]) / (Tp[c, a + 1] - Tp[c, a])
            if f < 0.0:
                f = 0.0
            elif f > 1.0:
                f = 1.0
            for q in range(P):
                lo = Y[c, a, q]
                out[i, q] = out[i, q] + wc * (lo + f * (Y[c, a + 1, q] - lo))
    return out


def slate_mix_rows(slates, weights, T) -> np.ndarray:
    """:func:`slate_mix` of :class:`~carbonhub.unitops.pyrolysis.Slate` objects ``slates`` with
    ``weights`` at ``T`` (n,)."""
    mmax = max(len(s.T) for s in slates)
    Tp = np.zeros((len(slates), mmax))
    Y = np.zeros((len(slates), mmax, slates[0].y.shape[1]))
    for c, s in enumerate(slates):
        Tp[c, :len(s.T)], Y[c, :len(s.T)] = s.T, s.y
    return slate_mix(np.ascontiguousarray(T, dtype=float), Tp, np.array([len(s.T) for s in slates], dtype=np.int64),
                     Y, np.array(weights, dtype=float))


@njit(cache=True, error_model="numpy")
def crack(f, sT, T_out, mask, mw, Ec, Eh, V, y, eth, ifo, ich4, ih2, ics, low, high, tmid, R):
    """The steam cracker per case (see :meth:`carbonhub.unitops.cracker.SteamCracker.run`):
    ``f`` (n, k) at ``sT``; ``mask`` (k,) the cracked species; ``V`` (c, k) mol per kg of each
    cut (row ``eth``: ethane, to the fuel gas; row ``ifo``: the fuel oil, which takes the coke),
    ``y`` (n, c) the cuts' mass yields; C and H per mol ``Ec``, ``Eh``. Returns the outlets
    (c, n, k) (row ``eth`` holds the fuel gas), and (6 + c, n): the cracked mass [kg/s], CH4,
    H2 and coke [mol/s] of the balances, bad (1.0
    where the feed is too poor in H), H_out - H_in [W], and each outlet's mass flow over the
    columns it can hold (the fuel gas's over all)."""
    n, k = f.shape
    nc = V.shape[0]
    outs = np.empty((nc, n, k))
    per = np.empty((6 + nc, n))
    for i in range(n):
        m = 0.0
        cr = 0.0
        hr = 0.0
        for j in range(k):
            x = f[i, j] if mask[j] else 0.0
            m += x * mw[j]
        for j in range(k):
            x = f[i, j] if mask[j] else 0.0
            cr += x * Ec[j]
        for j in range(k):
            x = f[i, j] if mask[j] else 0.0
            hr += x * Eh[j]
        cu = 0.0
        hu = 0.0
        for c in range(nc):
            a = y[i, c] * m
            sc = 0.0
            sh = 0.0
            for j in range(k):
                v = a * V[c, j]
                outs[c, i, j] = v
                if V[c, j] != 0.0:
                    sc += v * Ec[j]
                    sh += v * Eh[j]
            cu = cu + sc
            hu = hu + sh
        ch4 = cr - cu
        h2 = ((hr - hu) - 4.0 * ch4) / 2.0
        coke = -h2 / 2.0 if h2 < 0 else 0.0
        mm = m if (m >= 1e-300 or m != m) else 1e-300
        bad = (ch4 < -1e-12 * mm) | (coke > ch4)
        hi = ch4 if (ch4 >= 0.0 or ch4 != ch4) else 0.0
        lo = coke if (coke >= 0.0 or coke != coke) else 0.0
        coke = lo if (lo <= hi or lo != lo) else hi
        x = ch4 - coke
        ch4 = x if (x >= 0.0 or x != x) else 0.0
        x = h2 + 2.0 * coke
        h2 = x if (x >= 0.0 or x != x) else 0.0
        for j in range(k):
            g = 0.0 if mask[j] else f[i, j]
            if j == ich4:
                g = g + ch4
            if j == ih2:
                g = g + h2
            outs[eth, i, j] = g + outs[eth, i, j]
        outs[ifo, i, ics] = outs[ifo, i, ics] + coke
        if bad:
            for c in range(nc):
                for j in range(k):
                    outs[c, i, j] = f[i, j] if c == eth else 0.0
        t = T_out[i]
        h = 0.0
        for c in range(nc):
            if c != eth:
                h = h + row_h(outs[c], i, t, low, high, tmid, R)
        h = h + row_h(outs[eth], i, t, low, high, tmid, R)
        per[0, i] = m
        per[1, i] = ch4
        per[2, i] = h2
        per[3, i] = coke
        per[4, i] = 1.0 if bad else 0.0
        per[5, i] = h - row_h(f, i, sT[i], low, high, tmid, R)
        for c in range(nc):
            s = 0.0
            for j in range(k):
                if c == eth or V[c, j] != 0.0 or (c == ifo and j == ics):
                    s += outs[c, i, j] * mw[j]
            per[6 + c, i] = s
    return outs, per


def crack_rows(s, T_out, mask, V, y, eth, ifo, Ec, Eh):
    """:func:`crack` on the feed stream ``s``: the outlets (c, n, k) and the per-case rows."""
    cs, n = s.cs, s.n_cases
    c = np.ascontiguousarray
    return crack(c(s.flow), _case(s.T, n), _case(T_out, n), c(mask, dtype=np.bool_),
                 c(cs.molar_mass, dtype=float),
                 c(Ec, dtype=float), c(Eh, dtype=float), c(V, dtype=float), c(y, dtype=float), int(eth), int(ifo),
                 cs.index("CH4"), cs.index("H2"), cs.index("C(s)"), cs.low, cs.high, cs.tmid, R)


@njit(cache=True, error_model="numpy")
def wash(f, w, kind, ol, ar, mw):
    """The washer's split per case (see :meth:`carbonhub.unitops.plastics.PlasticsWasher.run`):
    ``f``, ``w`` the feed's and the water's flows (n, k); ``kind`` (k,) 0 for a column that is
    not a solid (gases, liquid water), 1 for a solid, 2 for an organic solid (``ORG_*``, lost to
    the wash water at ``ol`` (n,)), 3 for ash (removed at ``ar`` (n,)). Returns the solids
    leaving (n, k) (``tot (1 - to_ww)`` on the solid columns, 0 elsewhere), the inlets' sum
    tot = f + w (n, k) and the dry solids' mass 0 + sum_j solids_j ``mw``_j (n,)."""
    n, k = f.shape
    sol = np.empty((n, k))
    tot = np.empty((n, k))
    m_dry = np.empty(n)
    for i in range(n):
        oi = ol[i]
        ai = ar[i]
        m = 0.0
        for j in range(k):
            t = f[i, j] + w[i, j]
            tot[i, j] = t
            kj = kind[j]
            if kj == 0:
                v = 0.0
            else:
                tw = (oi if kj == 2 else 0.0) + (ai if kj == 3 else 0.0)
                v = t * (1 - tw)
            sol[i, j] = v
            m += v * mw[j]
        m_dry[i] = m
    return sol, tot, m_dry
