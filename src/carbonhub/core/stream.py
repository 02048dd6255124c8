"""Batched material streams: flows (n_cases, n_components) [mol/s], T and P (n_cases,),
and the origin of their carbon (fossil / biogenic / recycled / atmospheric).

Example
-------
>>> import numpy as np
>>> from carbonhub.thermo import ComponentSet
>>> from carbonhub.core import Stream
>>> cs = ComponentSet.from_ids(["H2", "CO", "CO2", "H2O"])
>>> s = Stream.from_flows(cs, {"H2": [2.0, 1.0], "CO": 1.0}, T=500.0, P=30e5)
>>> s.n_cases, float(s.total_flow[0])
(2, 3.0)
"""
from __future__ import annotations

from typing import Iterable, Mapping, Sequence

import numpy as np

from ..thermo import nasa7
from ..thermo.engine import use_numba
from ..thermo.components import ComponentSet, ELEMENTS
from ..units import ATM
from ..thermo.rowdot import present as rowdot_present, rowdot, rowsum

ORIGINS: tuple[str, ...] = ("fossil", "biogenic", "recycled", "atmospheric")
"""Carbon origins tracked through every mix, split and reaction."""


class StreamError(ValueError):
    """Invalid stream data (names the value and what was expected)."""


def _bcast(x, n: int, name: str, unit: str) -> np.ndarray:
    if type(x) is np.ndarray and x.shape == (n,) and x.dtype == np.float64:
        return np.array(x)  # the copy the broadcast below gives, without its set-up
    a = np.asarray(x, dtype=float)
    try:
        return np.array(np.broadcast_to(a, (n,)), dtype=float)
    except ValueError:
        raise StreamError(f"{name}: shape {a.shape} does not broadcast to ({n},) cases [{unit}]") from None


class Stream:
    """A material stream for n_cases at once. SI units: mol/s, K, Pa.

    Parameters
    ----------
    cs : ComponentSet
    flow : array (n_cases, n_components) [mol/s]
    T : array (n_cases,) [K]
    P : array (n_cases,) [Pa]
    origin : array (n_cases, 4), optional
        fraction of the stream's carbon by origin (ORIGINS); rows sum to 1 where the
        stream holds carbon. Default: all fossil.
    """

    __slots__ = ("cs", "flow", "T", "P", "origin")

    def __init__(self, cs: ComponentSet, flow, T, P, origin=None, *, check: bool = True):
        flow = np.asarray(flow, dtype=float)
        if flow.ndim == 1:
            flow = flow[None, :]
        if flow.ndim != 2 or flow.shape[1] != len(cs):
            raise StreamError(f"flow: expected shape (n_cases, {len(cs)}) [mol/s], got {flow.shape}")
        n = flow.shape[0]
        self.cs = cs
        self.flow = flow
        self.T = _bcast(T, n, "T", "K")
        self.P = _bcast(P, n, "P", "Pa")
        if origin is None:
            origin = np.zeros((n, len(ORIGINS)))
            origin[:, 0] = 1.0
        if type(origin) is np.ndarray and origin.shape == (n, len(ORIGINS)) and origin.dtype == np.float64:
            self.origin = np.array(origin)  # the copy the broadcast below gives, without its set-up
        else:
            self.origin = np.array(np.broadcast_to(np.asarray(origin, dtype=float), (n, len(ORIGINS))))
        if check:
            self.validate()

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def zeros(cls, cs: ComponentSet, n: int, T=298.15, P=ATM) -> "Stream":
        return cls(cs, np.zeros((n, len(cs))), T, P)

    @classmethod
    def from_flows(cls, cs: ComponentSet, flows: Mapping[str, object], T, P, origin=None,
                   n: int | None = None) -> "Stream":
        """From ``{component: flow [mol/s] (scalar or (n,))}``."""
        sizes = [np.size(v) for v in flows.values()] + [np.size(T), np.size(P)]
        n = n or max(sizes + [1])
        f = np.zeros((n, len(cs)))
        for cid, v in flows.items():
            f[:, cs.index(cid)] = _bcast(v, n, f"flow[{cid}]", "mol/s")
        return cls(cs, f, T, P, origin)

    def copy(self) -> "Stream":
        return Stream(self.cs, self.flow.copy(), self.T.copy(), self.P.copy(), self.origin.copy(),
                      check=False)

    @classmethod
    def _of(cls, cs: ComponentSet, flow: np.ndarray, T: np.ndarray, P: np.ndarray,
            origin: np.ndarray) -> "Stream":
        """A stream of arrays that already have their shapes and dtype (no copies, no checks)."""
        s = object.__new__(cls)
        s.cs, s.flow, s.T, s.P, s.origin = cs, flow, T, P, origin
        return s

    def take(self, idx) -> "Stream":
        """The cases ``idx`` (an index array or boolean mask), copied."""
        rows = row_numbers(idx)
        if rows is None:  # not an index array (a list, a slice): numpy's general indexing
            return Stream(self.cs, self.flow[idx].copy(), self.T[idx].copy(), self.P[idx].copy(),
                          self.origin[idx].copy(), check=False)  # a slice would give views
        # np.take along the case axis: the same rows as fancy indexing, several times faster
        # on the narrow origin array
        return Stream._of(self.cs, np.take(self.flow, rows, axis=0), np.take(self.T, rows),
                          np.take(self.P, rows), np.take(self.origin, rows, axis=0))

    def read(self, idx) -> "Stream":
        """The cases ``idx`` for reading: when ``idx`` is every case in order
        (:func:`every_case`), the stream's own arrays as read-only views (no copy; a write
        raises), else a copy (:meth:`take`). A unit's inlets are read so in every pass; an
        outlet that shares an inlet's arrays is copied when it is stored (its arrays are not
        writeable, :meth:`carbonhub.core.flowsheet.FlowsheetRun.put_stream`)."""
        if not every_case(idx, self.flow.shape[0]):
            return self.take(idx)
        return Stream._of(self.cs, _readonly(self.flow), _readonly(self.T), _readonly(self.P),
                          _readonly(self.origin))

    def writeable(self) -> bool:
        """All four arrays may be written (none is a read-only view of another stream's)."""
        return all(a.flags.writeable for a in (self.flow, self.T, self.P, self.origin))

    def put(self, idx, other: "Stream") -> None:
        """Write ``other`` into the cases ``idx`` (in place)."""
        rows = row_numbers(idx)
        if rows is not None and use_numba() and _writable_rows(self, rows):
            from ._rows_kernel import scatter, scatter_rows

            scatter_rows(self.flow, rows, _shaped(other.flow, (rows.size, self.flow.shape[1])))
            scatter(self.T, rows, _shaped(other.T, rows.shape))
            scatter(self.P, rows, _shaped(other.P, rows.shape))
            scatter_rows(self.origin, rows, _shaped(other.origin, (rows.size, self.origin.shape[1])))
            return
        self.flow[idx] = other.flow
        self.T[idx] = other.T
        self.P[idx] = other.P
        self.origin[idx] = other.origin

    def finite_rows(self) -> np.ndarray:
        """(n,) bool: the case's flows, T and P are all finite (every unit outlet is checked
        so, in every tear pass; compiled, with the numpy expression as the reference)."""
        if use_numba() and self.flow.dtype == np.float64 and self.T.dtype == np.float64 and self.P.dtype == np.float64:
            from ._rows_kernel import finite_rows

            return finite_rows(self.flow, self.T, self.P)
        return np.isfinite(self.flow).all(axis=1) & np.isfinite(self.T) & np.isfinite(self.P)

    def with_(self, flow=None, T=None, P=None, origin=None) -> "Stream":
        """A new stream with some fields replaced (others shared, not copied)."""
        return Stream(self.cs, self.flow if flow is None else flow, self.T if T is None else T,
                      self.P if P is None else P, self.origin if origin is None else origin,
                      check=False)

    def validate(self) -> None:
        """Raise :class:`StreamError` for NaN, negative flows, T <= 0 or P <= 0."""
        if not np.isfinite(self.flow).all():
            i, j = np.argwhere(~np.isfinite(self.flow))[0]
            raise StreamError(f"flow[{i}, {self.cs.ids[j]}] = {self.flow[i, j]} mol/s: expected finite")
        if (self.flow < -1e-12 * (1 + np.abs(self.flow).sum(axis=1, keepdims=True))).any():
            i, j = np.argwhere(self.flow < 0)[0]
            raise StreamError(f"flow[{i}, {self.cs.ids[j]}] = {self.flow[i, j]} mol/s: expected >= 0")
        for name, a, unit in (("T", self.T, "K"), ("P", self.P, "Pa")):
            bad = ~np.isfinite(a) | (a <= 0)
            if bad.any():
                i = int(np.argmax(bad))
                raise StreamError(f"{name} = {a[i]} {unit} in case {i}: expected a finite value > 0")

    # -- properties --------------------------------------------------------------------------
    @property
    def n_cases(self) -> int:
        return self.flow.shape[0]

    def __len__(self) -> int:
        return self.n_cases

    def __getitem__(self, cid: str) -> np.ndarray:
        """Flow of one component [mol/s], shape (n,)."""
        return self.flow[:, self.cs.index(cid)]

    @property
    def total_flow(self) -> np.ndarray:
        """[mol/s] (n,)"""
        return rowsum(self.flow)

    @property
    def mass_flows(self) -> np.ndarray:
        """[kg/s] (n, n_comp)"""
        return self.flow * self.cs.molar_mass

    @property
    def mass_flow(self) -> np.ndarray:
        """[kg/s] (n,)"""
        return rowdot(self.flow, self.cs.molar_mass)

    @property
    def element_flows(self) -> np.ndarray:
        """[mol/s of atoms] (n, n_elements) in ELEMENTS order."""
        return rowdot(self.flow, self.cs.element_matrix)

    def element(self, e: str) -> np.ndarray:
        return self.element_flows[:, ELEMENTS.index(e)]

    @property
    def carbon_flow(self) -> np.ndarray:
        """[mol C/s] (n,)"""
        return rowdot(self.flow, self.cs.carbon)

    @property
    def carbon_by_origin(self) -> np.ndarray:
        """[mol C/s] (n, 4)"""
        return self.carbon_flow[:, None] * self.origin

    @property
    def mole_fractions(self) -> np.ndarray:
        tot = self.total_flow[:, None]
        return np.divide(self.flow, tot, out=np.zeros_like(self.flow), where=tot > 0)

    def gas_mole_fractions(self) -> np.ndarray:
        g = self.flow * self.cs.is_gas
        tot = g.sum(axis=1, keepdims=True)
        return np.divide(g, tot, out=np.zeros_like(g), where=tot > 0)

    @property
    def enthalpy(self) -> np.ndarray:
        """Enthalpy flow incl. formation [W] (n,)."""
        return self.enthalpy_at(self.T)

    def enthalpy_at(self, T) -> np.ndarray:
        """Enthalpy flow incl. formation [W] (n,) at temperatures ``T`` [K] (scalar or (n,)).
        With numba one compiled pass per case over its species with flow
        (:func:`carbonhub.thermo.nasa7.mixture_h`); the numpy path is its reference."""
        cs = self.cs
        out = nasa7.mixture_h(self.flow, T, cs.low, cs.high, cs.tmid)
        if out is not None:
            return out
        cols = present(self.flow)
        return rowsum(self.flow[:, cols] * cs.h_cols(T, cols))

    def heat_capacity_flow(self, T=None) -> np.ndarray:
        """[W/K] (n,)"""
        cols = present(self.flow)
        return rowsum(self.flow[:, cols] * self.cs.cp_cols(self.T if T is None else T, cols))

    def lhv(self) -> np.ndarray:
        """Lower heating value flow [W] (n,): combustion to CO2, H2O(g), N2, SO2, HCl at 298.15 K."""
        return rowdot(self.flow, lhv_molar(self.cs))

    def to_frame(self):
        import pandas as pd

        df = pd.DataFrame(self.flow, columns=list(self.cs.ids))
        df.insert(0, "P_Pa", self.P)
        df.insert(0, "T_K", self.T)
        return df

    def __repr__(self) -> str:
        return (f"Stream({self.n_cases} cases, {float(self.total_flow.mean()):.4g} mol/s mean, "
                f"T {float(self.T.min()):.1f}-{float(self.T.max()):.1f} K)")


def row_numbers(idx) -> np.ndarray | None:
    """``idx`` as an array of row numbers (a boolean mask converted), or None when it is not
    an integer or boolean array (a slice, a scalar: numpy's general indexing)."""
    if isinstance(idx, np.ndarray) and idx.ndim == 1:
        if idx.dtype == np.bool_:
            return np.flatnonzero(idx)
        if idx.dtype.kind in "iu":
            return idx
    return None


def every_case(idx, n: int) -> bool:
    """``idx`` is an index array of every case in order (0, 1, ..., n-1); compiled
    (:func:`carbonhub.core._stream_kernels.in_order`), numpy's differences as the reference."""
    if not (isinstance(idx, np.ndarray) and idx.ndim == 1 and idx.dtype.kind in "iu" and idx.size == n
            and n > 0 and idx[0] == 0 and idx[-1] == n - 1):
        return False
    if idx.dtype == np.int64 and use_numba():
        from ._stream_kernels import in_order

        return bool(in_order(idx))
    return bool((np.diff(idx) == 1).all())


def _readonly(a: np.ndarray) -> np.ndarray:
    v = a.view()
    v.flags.writeable = False
    return v


def _shaped(a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``a`` broadcast to ``shape`` for reading: itself when it has that shape already (an
    outlet of the cases written, the usual case: no ``np.broadcast_to`` set-up, ~5 us)."""
    return a if a.shape == shape else np.broadcast_to(a, shape)


def _writable_rows(s: "Stream", rows: np.ndarray) -> bool:
    """The compiled scatter applies: float arrays of the expected ranks and rows in range."""
    return (rows.size == 0 or (rows.min() >= 0 and rows.max() < s.flow.shape[0])) and all(
        a.dtype == np.float64 for a in (s.flow, s.T, s.P, s.origin)) and s.flow.ndim == 2 and s.T.ndim == 1


def present(flow: np.ndarray) -> np.ndarray:
    """Columns (components) with a nonzero flow in any case: thermo is evaluated for these
    only (a 36-component set typically carries 10-15 in a given stream); compiled, see
    :func:`carbonhub.thermo.rowdot.present`."""
    return rowdot_present(flow)


_LHV_CACHE: dict[int, np.ndarray] = {}


def lhv_molar(cs: ComponentSet) -> np.ndarray:
    """LHV of each component [J/mol] at 298.15 K (products CO2, H2O gas, N2, SO2, HCl; ash and
    non-combustibles 0). Computed from the component set's own heats of formation, so that
    energy efficiencies are consistent with the energy balances."""
    key = id(cs)
    if key in _LHV_CACHE:
        return _LHV_CACHE[key]
    from ..thermo.components import default_components

    ref = default_components()
    h = ref.h(298.15)[0]
    hp = {k: h[ref.index(k)] for k in ("CO2", "H2O", "N2", "SO2", "HCl", "O2")}
    E = cs.element_matrix
    ix = {e: ELEMENTS.index(e) for e in ELEMENTS}
    nC, nH, nO = E[:, ix["C"]], E[:, ix["H"]], E[:, ix["O"]]
    nN, nS, nCl = E[:, ix["N"]], E[:, ix["S"]], E[:, ix["Cl"]]
    h_prod = (nC * hp["CO2"] + (nH - nCl) / 2 * hp["H2O"] + nN / 2 * hp["N2"] + nS * hp["SO2"]
              + nCl * hp["HCl"])
    o2_needed = nC + (nH - nCl) / 4 + nS - nO / 2
    lhv = cs.h(298.15)[0] + o2_needed * hp["O2"] - h_prod
    # species that are not fuels: water, CO2, N2, ash, inert, O2 itself
    inert = (np.abs(lhv) < 1.0) | (nC + nH + nS == 0) | np.isin(np.array(cs.ids), ["H2O", "H2O(L)", "CO2", "ASH"])
    lhv = np.where(inert, 0.0, lhv)
    _LHV_CACHE[key] = lhv
    return lhv


def mix(streams: Sequence[Stream], P=None) -> Stream:
    """Adiabatic mixing: flows add, carbon origins mix carbon-weighted, T from the enthalpy
    balance (vectorised Newton), P the lowest pressure of the inlets that flow, unless given."""
    if not streams:
        raise StreamError("mix: no streams")
    cs = streams[0].cs
    two = nasa7.mix_two(streams[0].flow, streams[1].flow, streams[0].T, streams[1].T, cs.low, cs.high,
                        cs.tmid, cs.carbon) if len(streams) == 2 else _mix_rows(cs, streams)
    if two is not None:  # compiled: the same sums in one pass over the rows
        flow, H, w, cflow = two
        origin = _origins(sum(c[:, None] * s.origin for c, s in zip(cflow, streams)))
    else:
        flow = sum(s.flow for s in streams)
        H = sum(s.enthalpy for s in streams)
        w = np.array([s.total_flow for s in streams])  # (k, n)
        origin = mix_origins(streams)
    if P is None:  # the lowest pressure among inlets that flow (an empty stream sets nothing)
        Ps = np.array([np.where(wk > 0, s.P, np.inf) for wk, s in zip(w, streams)])
        Pm = Ps.min(axis=0)
        Pm = np.where(np.isfinite(Pm), Pm, np.minimum.reduce([s.P for s in streams]))
    else:
        Pm = P
    wt = w.sum(axis=0)
    T0 = np.divide((w * np.array([s.T for s in streams])).sum(axis=0), wt,
                   out=np.array(streams[0].T, dtype=float), where=wt > 0)
    T = solve_T_for_H(cs, flow, H, T0)
    return Stream(cs, flow, T, Pm, origin, check=False)


def _mix_rows(cs: ComponentSet, streams: Sequence[Stream]):
    """The row sums of a mix of three or more inlets in one compiled pass
    (:func:`carbonhub.core._stream_kernels.mix_rows`), or None (fewer inlets, numpy as the engine,
    an array not float64 or not (n,) / (n, k): :func:`mix` then sums them one by one)."""
    if len(streams) < 3 or not use_numba():
        return None
    n, k = streams[0].flow.shape
    if not all(s.flow.dtype == np.float64 and s.T.dtype == np.float64 and s.flow.shape == (n, k)
               and s.T.shape == (n,) for s in streams):
        return None
    from ._stream_kernels import mix_rows

    def c(a):  # contiguous and read-only, all alike: the tuples' items must have one type
        return _readonly(np.ascontiguousarray(a))

    return mix_rows(tuple(c(s.flow) for s in streams), tuple(c(s.T) for s in streams), cs.low, cs.high,
                    cs.tmid, nasa7.R, np.ascontiguousarray(cs.carbon, dtype=float))


def mix_origins(streams: Iterable[Stream]) -> np.ndarray:
    """Carbon-weighted origin fractions of a set of streams (n, 4)."""
    return _origins(sum(s.carbon_by_origin for s in streams))


def _origins(cb: np.ndarray) -> np.ndarray:
    """Origin fractions from carbon flows by origin (n, 4); all fossil where there is none."""
    tot = cb.sum(axis=1, keepdims=True)
    out = np.zeros_like(cb)
    out[:, 0] = 1.0
    return np.divide(cb, tot, out=out, where=tot > 0)


def solve_T_for_H(cs: ComponentSet, flow: np.ndarray, H: np.ndarray, T0, tol: float = 1e-12,
                  max_iter: int = 50, T_min: float = 200.0, T_max: float = 6000.0) -> np.ndarray:
    """Temperature [K] at which ``flow`` has enthalpy ``H`` [W]; vectorised Newton with bisection
    safeguard. Cases with zero flow keep T0. With numba the same iteration runs per case in one
    compiled loop (:func:`carbonhub.thermo.nasa7.mixture_T_for_H`); this numpy loop is its
    reference (``CARBONHUB_NUMBA=0``)."""
    T = np.clip(np.array(np.broadcast_to(T0, H.shape), dtype=float), T_min, T_max)
    scale = np.maximum(np.abs(H), rowsum(np.abs(flow)) * 1e4) + 1e-300
    # compiled: each case over its own species with flow (no gather of the present columns)
    compiled = nasa7.mixture_T_for_H(flow, H, T, cs.low, cs.high, cs.tmid, scale, tol,
                                     max_iter, T_min, T_max)
    if compiled is not None:
        return compiled
    has = rowsum(flow) > 0
    cols = present(flow)
    flow = flow[:, cols]
    lo = np.full_like(T, T_min)
    hi = np.full_like(T, T_max)
    active = np.flatnonzero(has)
    for _ in range(max_iter):
        if active.size == 0:
            break
        Ta = T[active]
        fa = flow[active]
        f = rowsum(fa * cs.h_cols(Ta, cols)) - H[active]
        cp = rowsum(fa * cs.cp_cols(Ta, cols))
        lo[active] = np.where(f < 0, Ta, lo[active])
        hi[active] = np.where(f > 0, Ta, hi[active])
        step = f / np.where(cp > 0, cp, 1.0)
        converged = np.abs(f) <= tol * scale[active]
        Tn = Ta - step
        small = np.abs(step) < 1e-11 * Ta  # a Newton step below round-off: converged
        out = ~small & ((Tn <= lo[active]) | (Tn >= hi[active]) | ~np.isfinite(Tn))
        Tn = np.where(out, 0.5 * (lo[active] + hi[active]), Tn)
        Tn = np.where(converged, Ta, Tn)
        T[active] = Tn
        done = converged | small
        active = active[~done]
    return T
