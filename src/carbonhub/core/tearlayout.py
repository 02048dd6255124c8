"""The tear variables a recycle block carries: the loop's own components, not the whole set.

A tear stream is (component flows, T, P) over the flowsheet's whole component set (40 in the
methanol-to-olefins routes), but a loop carries 5-13 of them: a component that is zero in every
case's tear guess and every pass's tear value contributes nothing to the iteration (its
differences, steps and errors are exactly zero). :class:`TearLayout` keeps the *carried*
variables (flows nonzero in some case and pass so far, T, P, and design-spec variables solved
with the tears), so that the accelerator's history, scaling, safeguards and convergence test
work on (n, d_carried) instead of (n, d_full) arrays: the same arithmetic on 3-6x fewer numbers.
A component that appears in a later pass (material reaching the loop through the recycle
itself) joins the carried set then (:meth:`TearLayout.grow`); its earlier values were zero.

The scaling and the convergence test are :func:`carbonhub.core.recycle.variable_scale` and
:func:`carbonhub.core.recycle.tear_error` on the carried variables (a variable left out is zero
and changes neither a stream's total flow nor any maximum); tests/core/test_tear_layout.py
checks both against those references on the full vectors.
"""
from __future__ import annotations

import numpy as np
from ..thermo.engine import use_numba
from ..thermo.rowdot import rowdot, rowsum
from ._tearerror_kernel import scaled_max_rows, tear_error_rows


class TearLayout:
    """Carried variables of a block's tear vector (full layout: each tear's ``widths[t] - 2``
    flows, T, P; then ``n_extra`` spec variables).

    Parameters
    ----------
    widths : list[int]
        width of each tear in the full vector (n_components + 2).
    n_extra : int
        variables after the tears (design-spec variables, :mod:`.joint`): always carried.
    elements : array (n_components, n_elements), optional
        element matrix for the convergence test's element flows (:func:`.recycle.tear_error`).
    carried : bool array (d_full,), optional
        the variables carried at the start (T, P and extras are always added); default all.
    """

    def __init__(self, widths: list[int], n_extra: int = 0, elements: np.ndarray | None = None,
                 carried: np.ndarray | None = None):
        self.widths = list(widths)
        self.n_extra = n_extra
        self.elements = elements
        self.full = sum(widths) + n_extra
        self._tear = np.full(self.full, -1)  # tear of each full variable (-1: extra)
        self._flow = np.zeros(self.full, dtype=np.bool_)  # a flow variable
        self._comp = np.full(self.full, -1)  # component index of a flow variable
        o = 0
        for t, w in enumerate(widths):
            self._tear[o:o + w] = t
            self._flow[o:o + w - 2] = True
            self._comp[o:o + w - 2] = np.arange(w - 2)
            o += w
        base = ~self._flow  # T, P, extras
        self.carried = base | (np.ones(self.full, dtype=np.bool_) if carried is None else np.asarray(carried, bool))
        self._build()

    @classmethod
    def of_nonzero(cls, v: np.ndarray, widths: list[int], n_extra: int = 0,
                   elements: np.ndarray | None = None) -> "TearLayout":
        """The layout carrying the flows that are nonzero in some row of ``v`` (n, d_full)."""
        return cls(widths, n_extra, elements, (v != 0).any(axis=0))

    def _build(self) -> None:
        self.cols = np.flatnonzero(self.carried)  # full index of each carried variable
        self.size = self.cols.size
        self.tear = self._tear[self.cols]
        self.is_flow = self._flow[self.cols]
        self.flow_cols = np.flatnonzero(self.is_flow)
        self.extra_start = self.size - self.n_extra
        nt = len(self.widths)
        # tear of every carried variable, extras mapped to tear 0 (their entries are not used)
        self.tear_or0 = np.where(self.tear >= 0, self.tear, 0)
        self.in_tears = self.tear >= 0
        if self.elements is not None:  # element flows of each tear: columns t*ne .. (t+1)*ne
            ne = self.elements.shape[1]
            self.el = np.zeros((self.size, nt * ne))
            for j in self.flow_cols:
                t = self.tear[j]
                self.el[j, t * ne:(t + 1) * ne] = self.elements[self._comp[self.cols[j]]]
        # per tear: carried positions of its flows, T and P; full offset of the tear
        self.parts = []
        o = 0
        for t, w in enumerate(self.widths):
            pos = np.flatnonzero(self.tear == t)
            sel = self.cols[pos] - o
            flows = pos[sel < w - 2]
            self.parts.append((o, w, flows, self._comp[self.cols[flows]], pos[sel == w - 2][0], pos[sel == w - 1][0]))
            o += w
        # the compiled convergence test's view of the parts (:mod:`._tearerror_kernel`)
        self._flows = np.concatenate([p[2] for p in self.parts]).astype(np.int64) if self.parts else np.zeros(0, np.int64)
        self._ptr = np.cumsum([0] + [p[2].size for p in self.parts]).astype(np.int64)
        self._el = np.ascontiguousarray(self.el) if self.elements is not None else np.zeros((self.size, 0))

    # -- moving between the full and the carried vectors ------------------------------------
    def compact(self, v_full: np.ndarray) -> np.ndarray:
        """(n, d_full) -> (n, d_carried)."""
        return v_full[:, self.cols]

    def expand(self, v: np.ndarray) -> np.ndarray:
        """(n, d_carried) -> (n, d_full), zeros where not carried."""
        out = np.zeros((v.shape[0], self.full))
        out[:, self.cols] = v
        return out

    def gather(self, flows: list[np.ndarray], T: list[np.ndarray], P: list[np.ndarray],
               extra: np.ndarray | None = None) -> np.ndarray:
        """The carried vector (n, d_carried) of the tears' flows (n, n_components), T and P
        (n,) (one of each per tear) and the extra variables (n, n_extra): the full vector's
        :meth:`compact` without building it."""
        g = np.empty((flows[0].shape[0], self.size))
        for (_, _, fpos, comp, tp, pp), f, t_, p_ in zip(self.parts, flows, T, P):
            g[:, fpos] = f[:, comp]
            g[:, tp] = t_
            g[:, pp] = p_
        if self.n_extra:
            g[:, self.extra_start:] = extra
        return g

    def grow_flows(self, flows: list[np.ndarray]) -> np.ndarray | None:
        """:meth:`grow` from the tears' flows (n, n_components) (one array per tear)."""
        o, new = 0, np.zeros(self.full, dtype=np.bool_)
        for w, f in zip(self.widths, flows):
            out = np.flatnonzero(~self.carried[o:o + w - 2])
            if out.size:
                new[o + out] = (f[:, out] != 0).any(axis=0)
            o += w
        if not new.any():
            return None
        old = self.cols
        self.carried = self.carried | new
        self._build()
        return np.searchsorted(self.cols, old)

    def grow(self, v_full: np.ndarray) -> np.ndarray | None:
        """Carry every flow that is nonzero in some row of ``v_full`` (n, d_full). Returns the
        new positions of the previously carried variables when the set grew, else None."""
        new = ~self.carried
        if not (v_full[:, new] != 0).any():
            return None
        old = self.cols
        self.carried = self.carried | (v_full != 0).any(axis=0)
        self._build()
        return np.searchsorted(self.cols, old)

    # -- scaling and the convergence test on the carried variables --------------------------
    def totals(self, a: np.ndarray) -> np.ndarray:
        """Sum of |flows| of each tear per row, (n, n_tears), from carried values ``a``. (A sum,
        not a product with a one-hot matrix: BLAS may round a product differently with the
        array's memory alignment, and the scale must not depend on it.)"""
        out = np.zeros((a.shape[0], len(self.widths)))
        for t, part in enumerate(self.parts):
            if part[2].size:
                out[:, t] = rowsum(np.abs(a[:, part[2]]))
        return out

    def scale(self, g: np.ndarray, floor: float, extra_scale: np.ndarray | None = None) -> np.ndarray:
        """:func:`.recycle.variable_scale` on the carried variables: |flow| down to ``floor`` x
        its stream's flow, |T| and |P| down to 1; extras ``extra_scale`` (or 1)."""
        ag = np.abs(g)
        low = np.maximum(floor * self.totals(g)[:, self.tear_or0], 1e-300)
        s = np.where(self.is_flow, np.maximum(ag, low), np.maximum(ag, 1.0))
        if self.n_extra:
            s[:, self.extra_start:] = 1.0 if extra_scale is None else extra_scale
        return s

    def scaled_max(self, x: np.ndarray, g: np.ndarray, floor: float, extra_scale: np.ndarray | None = None,
                   engine: str = "auto") -> np.ndarray:
        """max over the variables of |g - x| / :meth:`scale` (g, floor, extra_scale) per case;
        compiled (:func:`._tearerror_kernel.scaled_max_rows`, the same bits) unless ``engine``
        is "numpy" or ``CARBONHUB_NUMBA=0``."""
        if not use_numba(engine):
            return (np.abs(g - x) / self.scale(g, floor, extra_scale)).max(axis=1)
        extra = np.ones((x.shape[0], self.n_extra)) if extra_scale is None else np.broadcast_to(
            extra_scale, (x.shape[0], self.n_extra))
        out = np.empty(x.shape[0])
        scaled_max_rows(x, g, floor, self._flows, self._ptr, self.tear_or0, self.is_flow, self.extra_start, extra, out)
        return out

    def error(self, x: np.ndarray, g: np.ndarray, dist: np.ndarray | None = None, engine: str = "auto") -> np.ndarray:
        """:func:`.recycle.tear_error` on the carried variables (spec variables left out); compiled
        per case (:func:`._tearerror_kernel.tear_error_rows`, the same bits) unless ``engine`` is
        "numpy" or ``CARBONHUB_NUMBA=0``: then this numpy reference."""
        d = np.abs(g - x) if dist is None else dist
        if use_numba(engine):
            out = np.empty(x.shape[0])
            tear_error_rows(x, g, d, self._flows, self._ptr, self.tear_or0, self.is_flow,
                            self.in_tears, self._el, out)
            return out
        ag = np.abs(g)
        tg = self.totals(g)
        floor = np.maximum(1e-6 * tg, 1e-300)[:, self.tear_or0]
        den = np.where(self.is_flow, np.maximum(ag, floor), np.maximum(ag, 1.0))
        rel = d / den
        # an empty tear (no flow both ways) is converged in flow
        empty = (tg + self.totals(x)) == 0
        if empty.any():
            rel = np.where(self.is_flow & empty[:, self.tear_or0], 0.0, rel)
        err = rel[:, self.in_tears].max(axis=1) if self.n_extra else rel.max(axis=1)
        if self.elements is not None:
            num = rowdot(d, self.el)
            den_e = rowdot(ag, self.el)
            with np.errstate(divide="ignore", invalid="ignore"):
                e_el = np.where(num > 0, num / np.maximum(den_e, 1e-300), 0.0).max(axis=1)
            err = np.maximum(err, e_el)
        return np.nan_to_num(err, nan=np.inf)
