"""Flowsheet: units, named-port connections, parameters, and the batched sequential-modular
solver (tear streams converged per case by Anderson acceleration with a Wegstein fallback, design
specs by a bracketed Illinois secant per case or together with the tears they wrap:
:mod:`carbonhub.core.solver`).

Example
-------
>>> import numpy as np
>>> import carbonhub as ch
>>> from carbonhub.unitops.sources import GasSource, Sink
>>> from carbonhub.unitops.basic import Heater
>>> fs = ch.Flowsheet("demo", components=ch.ComponentSet.from_ids(["H2", "CO", "H2O"]))
>>> src = fs.add(GasSource("syngas", composition={"H2": 2, "CO": 1}, flow=10.0, T=300.0, P=30e5))
>>> hx = fs.add(Heater("heater", T=500.0))
>>> out = fs.add(Sink("out"))
>>> _ = fs.connect(src.outlets.out, hx.inlets.feed)
>>> _ = fs.connect(hx.outlets.out, out.inlets.feed)
>>> res = fs.simulate(params={"heater.T": np.linspace(400, 600, 5)})
>>> res.n_cases, bool((res.balances["energy_rel"] < 1e-9).all())
(5, True)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any, Callable, Iterable, Mapping

import numpy as np

from ..thermo.components import ComponentSet
from ..thermo.engine import use_numba
from .graph import calculation_order
from .pages import small_pages
from .stream import Stream, every_case, row_numbers
from .state import State
from .unit import Derived, Param, PortRef, Unit, UnitResult, UnknownParameterError, derive, validate_value


class FlowsheetError(ValueError):
    """A structural problem of the flowsheet (unconnected port, duplicate id, ...)."""


@dataclass
class Connection:
    id: str
    src: PortRef
    dst: PortRef


@dataclass
class DesignSpec:
    """Vary ``vary`` (a ``unit.param``) per case within [lower, upper] so that
    ``measure(state)`` equals ``target``.

    measure : callable taking a :class:`State` (for the cases being solved) -> (n,) array
    target : float, per-case array, or the name of a parameter holding the target
    tol : absolute tolerance on measure - target (default: 1e-9 x (|target| + 1))
    """

    id: str
    vary: str
    measure: Callable[["State"], np.ndarray]
    target: Any
    lower: float
    upper: float
    tol: float | None = None
    max_iter: int = 60
    doc: str = ""
    measured_unit: str | None = None
    """The unit whose results the measure reads: the iteration then solves only the blocks up
    to it, and the rest of the flowsheet once at the converged value (much faster)."""
    pyomo_measure: Callable[[Any], Any] | None = None
    """The same measure as a Pyomo expression of the equation-oriented model ``m`` (so that the
    twin holds the spec as an equation: the varied parameter is freed, measure == target). A
    ratio may be returned as a tuple ``(numerator, denominator)``: the equation is then
    numerator == target * denominator (no division by a quantity that may vanish)."""
    makeup: str | None = None
    """A ``unit.param`` that takes up what the varied parameter cannot: in a case whose target
    lies beyond the bounds (the residual has one sign on [lower, upper], the measure short of
    the target), the varied parameter stays at the bound nearer the target and ``makeup`` is
    set to target - measure there (0 in every other case); the measure must rise by exactly
    ``makeup`` (e.g. make-up fuel fired where the route's own fuel gas is too little). Without
    it such a case stops with the status "target not reachable"."""
    surplus_ok: bool = False
    """With ``makeup``: a case whose measure exceeds the target at both bounds also keeps the
    bound nearer the target (status ok, no make-up), the surplus being the measured units'
    own (e.g. a reformer whose feed arrives hotter than it and releases heat: its ``cooling_W``,
    nothing to fire)."""
    measure_rises: bool = True
    """With ``makeup``: the measure rises with the varied parameter, so a make-up is taken at
    ``upper`` and a surplus (``surplus_ok``) at ``lower`` (False: the other way round). The
    core finds the bound case by case; the twin needs it to switch regimes
    (:mod:`carbonhub.eo.specs`)."""


@dataclass
class ParamGroup:
    """Parameters that belong to no unit (``prices.*``, ``economics.*``)."""

    id: str
    params: dict[str, Param]
    values: dict[str, Any] = field(default_factory=dict)

    def all_params(self) -> dict[str, Param]:
        return self.params


class Flowsheet:
    """A directed graph of units joined by named ports (see module docstring).

    Parameters
    ----------
    name : str
    components : ComponentSet, optional (default: ``ComponentSet.default()``)
    """

    def __init__(self, name: str = "flowsheet", components: ComponentSet | None = None):
        self.name = name
        self.components = components if components is not None else ComponentSet.default()
        self.units: dict[str, Unit] = {}
        self.connections: list[Connection] = []
        self.specs: list[DesignSpec] = []
        self.groups: dict[str, ParamGroup] = {}
        self.tear_hints: list[str] = []
        self.tear_guesses: dict[str, Stream] = {}
        # (fingerprint, tears) of the solution at the defaults: the warm start of the tears
        # (carbonhub.core.warmstart), refreshed when parameters, streams or settings change
        self.nominal_tears: tuple | None = None
        self.route_spec: dict | None = None  # set by the route library: {"route": name, ...}
        self.param_sources: dict[str, str] = {}  # name -> where a value set on it comes from
        self.route_defaults: dict[str, tuple[Any, str]] = {}  # name -> (the route's default, its source)
        self._order: list[tuple[list[str], list[str]]] | None = None

    # -- building ----------------------------------------------------------------------------
    def add(self, unit: Unit) -> Unit:
        if unit.id in self.units or unit.id in self.groups:
            raise FlowsheetError(f"duplicate id {unit.id!r} in flowsheet {self.name!r}")
        self.units[unit.id] = unit
        unit.cs = self.components
        self._order = None
        return unit

    def add_group(self, gid: str, params: Mapping[str, Param]) -> ParamGroup:
        if gid in self.units or gid in self.groups:
            raise FlowsheetError(f"duplicate id {gid!r} in flowsheet {self.name!r}")
        g = ParamGroup(gid, dict(params))
        self.groups[gid] = g
        return g

    def connect(self, src: PortRef, dst: PortRef, id: str | None = None) -> str:
        """Join an outlet port to an inlet port; returns the stream id."""
        if src.direction != "outlets" or dst.direction != "inlets":
            raise FlowsheetError(f"connect(outlet, inlet): got {src!r} -> {dst!r}")
        for u in (src.unit, dst.unit):
            if self.units.get(u.id) is not u:
                raise FlowsheetError(f"unit {u.id!r} is not in flowsheet {self.name!r}: add() it first")
        for c in self.connections:
            if c.src.unit is src.unit and c.src.name == src.name:
                raise FlowsheetError(f"{src!r} is already connected (to {c.dst!r})")
            if c.dst.unit is dst.unit and c.dst.name == dst.name:
                raise FlowsheetError(f"{dst!r} is already connected (from {c.src!r})")
        sid = id or f"{src.unit.id}_{src.name}"
        if any(c.id == sid for c in self.connections):
            sid = f"{src.unit.id}_{src.name}_to_{dst.unit.id}_{dst.name}"
        self.connections.append(Connection(sid, src, dst))
        self._order = None
        return sid

    def add_spec(self, spec: DesignSpec, outer: bool = False) -> DesignSpec:
        """Add a design spec (after the others; ``outer``: before them, the outermost loop
        where the specs are nested, e.g. one measured on the whole plant)."""
        self.param_decl(spec.vary)
        self.specs.insert(0 if outer else len(self.specs), spec)
        return spec

    def stream_id(self, port: PortRef) -> str:
        for c in self.connections:
            if (c.src.unit is port.unit and c.src.name == port.name) or (
                    c.dst.unit is port.unit and c.dst.name == port.name):
                return c.id
        raise FlowsheetError(f"{port!r} is not connected")

    # -- parameters --------------------------------------------------------------------------
    def param_owner(self, name: str):
        """(owner, parameter name) of ``"unit.param"``: the unit or parameter group holding it."""
        if "." not in name:
            raise UnknownParameterError(f"parameter {name!r}: expected 'unit.param'")
        uid, pname = name.split(".", 1)
        owner = self.units.get(uid) or self.groups.get(uid)
        if owner is None:
            near = get_close_matches(uid, list(self.units) + list(self.groups), n=3)
            raise UnknownParameterError(
                f"unknown unit {uid!r} in parameter {name!r}"
                + (f"; did you mean {', '.join(near)}?" if near else "")
                + f" (units: {', '.join(list(self.units) + list(self.groups))})")
        return owner, pname

    def param_decl(self, name: str) -> Param:
        """The declaration (default, unit, bounds, doc) of parameter ``"unit.param"``."""
        owner, pname = self.param_owner(name)
        decl = owner.all_params()
        if pname not in decl:
            allowed = [f"{owner.id}.{k}" for k in decl]
            near = get_close_matches(name, allowed, n=3)
            raise UnknownParameterError(
                f"unknown parameter {name!r}" + (f"; did you mean {', '.join(near)}?" if near else "")
                + f" (parameters of {owner.id}: {', '.join(allowed)})")
        return decl[pname]

    def set(self, name: str, value: Any) -> None:
        """Set a parameter's value for all later simulations (its source is then "set")."""
        owner, pname = self.param_owner(name)
        if isinstance(owner, Unit):
            owner.set(pname, value)
        else:
            owner.values[pname] = validate_value(name, self.param_decl(name), value)
        self.param_sources.pop(name, None)

    def set_default(self, name: str, value: Any, source: str) -> None:
        """Make ``value`` this flowsheet's default of ``name`` (a route's default, read from its
        YAML): the value used until set, the one :meth:`reset` returns to; ``source`` says
        where it comes from (shown by :meth:`source` and :meth:`parameters`)."""
        self.set(name, value)
        owner, pname = self.param_owner(name)
        self.route_defaults[name] = (owner.values[pname], source)
        self.param_sources[name] = source

    def reset(self, name: str) -> None:
        """Return parameter ``name`` to its default: the route's (:meth:`set_default`), else the
        unit's (a derived default, e.g. the feedstock's own moisture or its price in
        prices.yaml, follows its inputs again)."""
        self.param_decl(name)
        owner, pname = self.param_owner(name)
        if name in self.route_defaults:
            owner.values[pname], self.param_sources[name] = self.route_defaults[name]
            return
        owner.values.pop(pname, None)
        self.param_sources.pop(name, None)

    def get(self, name: str) -> Any:
        """The value of a parameter as used (a derived default resolved at the current values)."""
        owner, pname = self.param_owner(name)
        decl = self.param_decl(name)
        if pname in owner.values or decl.derived is None:
            return owner.values.get(pname, decl.default)
        v = FlowsheetRun(self, {}, 1).param_array(name)[0]
        return v.item() if hasattr(v, "item") else v

    def source(self, name: str) -> str:
        """Where the value of ``name`` comes from: what the route says (``param_sources``), "set"
        for a value set on the flowsheet, else its default's source (a data file, or "code")."""
        owner, pname = self.param_owner(name)
        decl = self.param_decl(name)
        if pname in owner.values:
            return self.param_sources.get(name, "set")
        if decl.derived is not None:
            return decl.derived.source
        return decl.source or "code"

    def parameters(self):
        """DataFrame, one row per parameter: name, value (as used: a derived default resolved),
        default (the same for a parameter not set), source (where the value comes from: the
        route, "set", a data file, or "code"), unit, lower, upper, doc, kind, choices."""
        import pandas as pd

        run = FlowsheetRun(self, {}, 1)
        rows = []
        for owner in list(self.units.values()) + list(self.groups.values()):
            for k, d in owner.all_params().items():
                name = f"{owner.id}.{k}"
                v = run.param_array(name)[0]
                v = v.item() if hasattr(v, "item") else v
                default = run.default_value(name)
                rows.append(dict(name=name, value=v, default=default, source=self.source(name),
                                 unit=d.unit, lower=d.lower, upper=d.upper, doc=d.doc, kind=d.kind,
                                 choices=list(d.choices) if d.choices else None))
        return pd.DataFrame(rows)

    # -- structure ---------------------------------------------------------------------------
    def check(self) -> None:
        """Raise FlowsheetError for unconnected ports."""
        missing = []
        for u in self.units.values():
            for pname in u.inlet_names:
                if not any(c.dst.unit is u and c.dst.name == pname for c in self.connections):
                    missing.append(f"{u.id}.inlets.{pname}")
            for pname in u.outlet_names:
                if not any(c.src.unit is u and c.src.name == pname for c in self.connections):
                    missing.append(f"{u.id}.outlets.{pname}")
        if missing:
            raise FlowsheetError(f"flowsheet {self.name!r}: unconnected ports: {', '.join(missing)} "
                                 "(connect every outlet, e.g. to a Sink)")

    def order(self) -> list[tuple[list[str], list[str]]]:
        """Calculation blocks [(unit ids in order, tear stream ids)]."""
        if self._order is None:
            self.check()
            edges = [(c.src.unit.id, c.dst.unit.id, c.id) for c in self.connections]
            self._order = calculation_order(list(self.units), edges, self.tear_hints)
        return self._order

    @property
    def tears(self) -> list[str]:
        return [t for _, ts in self.order() for t in ts]

    # -- simulation --------------------------------------------------------------------------
    def simulate(self, params: Mapping[str, Any] | None = None, n: int | None = None,
                 tol: float = 1e-11, max_iter: int = 200, costing: bool = True,
                 method: str = "anderson", warm_start: bool = True, specs: str = "auto"):
        """Simulate one case (defaults) or many (array-valued ``params``).

        ``tol`` [-] is the relative tear tolerance (> 0), ``max_iter`` the iteration limit of
        every recycle (>= 1) and ``method`` the tear method: ``"anderson"`` (Anderson
        acceleration with safeguards, Wegstein for cases that stall) or ``"wegstein"``
        (see :mod:`carbonhub.core.recycle`). ``warm_start``: every case's tears start from
        the flowsheet's own solution at its defaults, scaled to the case's inflow (solved once
        and kept; :mod:`carbonhub.core.warmstart`), else from empty tears. ``specs``: how
        design specs are solved, ``"auto"`` (a spec that wraps a recycle together with its
        tears), ``"sequential"`` or ``"nested"`` (:func:`carbonhub.core.solver.run_flowsheet`).
        Returns a
        :class:`~carbonhub.core.results.SimulationResult`; ``res.convergence`` has the
        iterations and final tear residual of every case.
        """
        from .results import SimulationResult
        from .solver import check_settings, run_flowsheet

        check_settings(tol, max_iter, method)
        with small_pages():  # (core.pages)
            run = FlowsheetRun(self, params or {}, n)
            run_flowsheet(self, run, tol=tol, max_iter=max_iter, method=method, warm_start=warm_start, specs=specs)
            return SimulationResult(self, run, costing=costing)

    def to_pyomo(self, case: int = 0, **kwargs):
        """The IDAES/Pyomo twin of this flowsheet for one case (see :mod:`carbonhub.eo`)."""
        from .hooks import hook

        return hook("to_pyomo")(self, case=case, **kwargs)

    def __repr__(self) -> str:
        return f"Flowsheet({self.name!r}, {len(self.units)} units, {len(self.connections)} streams)"


def _fits(s: Stream, n: int) -> bool:
    """``s`` has the full stream's shapes and float64 arrays (it can stand for it as it is)."""
    return (s.flow.shape == (n, len(s.cs)) and s.T.shape == (n,) and s.P.shape == (n,)
            and s.origin.shape == (n, 4) and all(a.dtype == np.float64 for a in (s.flow, s.T, s.P, s.origin)))


def _scatter_into(idx, n: int):
    """``put(a, v)``: ``a[idx] = v``; compiled (:func:`carbonhub.core._rows_kernel.scatter`) for
    a float array ``a`` (n,) and float values, one per index, when ``idx`` is an index array in
    range (numpy's fancy assignment, the reference, pays a set-up per element: a unit's ~10
    design and utility arrays are written in every tear pass). Every case in order: ``a[:] = v``
    (the same elements written with the same casts, without the index)."""
    if every_case(idx, n):
        def put_all(a, v):
            a[:] = v
        return put_all
    rows = row_numbers(idx)
    if rows is None or not use_numba() or (rows.size and (rows.min() < 0 or rows.max() >= n)):
        rows = None

    def put(a, v):
        if (rows is not None and isinstance(v, np.ndarray) and v.dtype == np.float64 and v.shape == rows.shape
                and a.dtype == np.float64 and a.shape == (n,)):
            from ._rows_kernel import scatter

            scatter(a, rows, v)
        else:
            a[idx] = v
    return put


def _arrays(s: Stream) -> tuple[np.ndarray, ...]:
    return s.flow, s.T, s.P, s.origin


def _owner(a: np.ndarray):
    """The object holding ``a``'s memory (``a`` itself, or the array it views)."""
    return a if a.base is None else a.base


class FlowsheetRun:
    """Per-simulation store: overrides, full-size streams, unit results, status."""

    def __init__(self, fs: Flowsheet, params: Mapping[str, Any], n: int | None):
        self.fs = fs
        ov: dict[str, dict[str, Any]] = {}
        sizes = []
        for name, value in params.items():
            decl = fs.param_decl(name)
            v = validate_value(name, decl, value)
            owner, pname = fs.param_owner(name)
            ov.setdefault(owner.id, {})[pname] = v
            if np.ndim(v):
                sizes.append(np.shape(v)[0])
        if len(set(sizes)) > 1:
            raise ValueError(f"array-valued parameters have different lengths {sorted(set(sizes))}: "
                             "all per-case arrays must have the same length")
        self.n = n or (sizes[0] if sizes else 1)
        if sizes and sizes[0] != self.n:
            raise ValueError(f"n = {n} does not match parameter arrays of length {sizes[0]}")
        self.overrides = ov
        self._resolve_derived()
        self.streams: dict[str, Stream] = {}
        self.results: dict[str, UnitResult] = {}
        self.status = np.full(self.n, "ok", dtype=object)
        self.iterations: dict[str, np.ndarray] = {}  # tear iterations per block (by tear ids)
        self.residuals: dict[str, np.ndarray] = {}  # final tear residual per block
        self.spec_slopes: dict[str, np.ndarray] = {}  # d(measure)/d(varied) at each spec's solution
        self.scratch: dict[str, dict] = {}  # per-unit warm-start data of this simulation
        self._kept: set[str] = set()  # streams held as the unit returned them (put_stream)
        self._tear_ids: frozenset[str] | None = None  # the flowsheet's tears, on first use

    def _resolve_derived(self) -> None:
        """Derived defaults (not set, not overridden) computed per case from the parameters
        they need, stored as overrides so that every unit and the costing see the value used."""
        for owner in list(self.fs.units.values()) + list(self.fs.groups.values()):
            for pname, decl in owner.all_params().items():
                if decl.derived is not None:
                    self.param_array(f"{owner.id}.{pname}")

    def default_value(self, name: str):
        """The default of ``name`` in the first case (a derived default at the case's inputs)."""
        owner, pname = self.fs.param_owner(name)
        decl = self.fs.param_decl(name)
        if name in self.fs.route_defaults:
            return self.fs.route_defaults[name][0]
        if decl.derived is None:
            return decl.default
        full = lambda k: k if "." in k else f"{owner.id}.{k}"  # noqa: E731
        v = derive(decl, lambda k: self.param_array(full(k))[:1], 1)[0]
        return v.item() if hasattr(v, "item") else v

    def param_array(self, name: str) -> np.ndarray:
        owner, pname = self.fs.param_owner(name)
        decl = self.fs.param_decl(name)
        v = self.overrides.get(owner.id, {}).get(pname, owner.values.get(pname, decl.default))
        if isinstance(v, Derived):  # resolved once per run, from the parameters it needs
            full = lambda k: k if "." in k else f"{owner.id}.{k}"  # noqa: E731
            v = self.overrides.setdefault(owner.id, {})[pname] = derive(
                decl, lambda k: self.param_array(full(k)), self.n)
        a = np.asarray(v)
        return a if a.ndim else np.full(self.n, v, dtype=a.dtype if a.dtype.kind in "US" else float)

    def set_param(self, name: str, values: np.ndarray) -> None:
        owner, pname = self.fs.param_owner(name)
        self.overrides.setdefault(owner.id, {})[pname] = values

    def group_params(self, gid: str):
        g = self.fs.groups[gid]
        return {k: self.param_array(f"{gid}.{k}") for k in g.params}

    def put_stream(self, sid: str, idx: np.ndarray, s: Stream) -> None:
        """Write the unit outlet ``s`` of cases ``idx`` into stream ``sid``. A write of all the
        cases, in order, keeps ``s`` itself in place of what the stream held (no NaN-filled
        copy to scatter into: on an acyclic route that copy was most of the result assembly;
        in a tear pass where every case is still iterating, no scatter), except for a tear
        stream, which the recycle solver edits in place; an outlet sharing an inlet's
        read-only arrays (:meth:`Stream.read`) is copied first. A later write of some cases
        to a kept stream copies it first, so that a unit's returned arrays are never written
        to."""
        if self._tear_ids is None:
            self._tear_ids = frozenset(self.fs.tears)
        if sid not in self._tear_ids and every_case(idx, self.n) and _fits(s, self.n):
            self.streams[sid] = s if s.writeable() else self._own(s)
            self._kept.add(sid)
            return
        if sid in self._kept:
            self._kept.discard(sid)
            self.streams[sid] = self.streams[sid].copy()
        if sid not in self.streams:
            cs = s.cs
            full = Stream(cs, np.full((self.n, len(cs)), np.nan), np.full(self.n, np.nan),
                          np.full(self.n, np.nan), np.full((self.n, 4), np.nan), check=False)
            self.streams[sid] = full
        self.streams[sid].put(idx, s)

    def _own(self, s: Stream) -> Stream:
        """``s`` to be kept, its read-only arrays copied, except those that view an array of a
        kept stream: a kept stream is never written to (a write of some cases copies it first),
        so an outlet that passes an inlet's flows on unchanged (a utility feed's reference
        stream, a heater's flows) shares them instead of holding a copy. A view of any other
        stream (a tear, which the recycle solver edits in place; a stream written case by
        case) is copied."""
        frozen = {id(_owner(a)) for k in self._kept if k in self.streams
                  for a in _arrays(self.streams[k])}
        kept = [a if (a.flags.writeable or id(_owner(a)) in frozen) else a.copy() for a in _arrays(s)]
        return Stream._of(s.cs, *kept)

    def drop_stream(self, sid: str) -> tuple[Stream | None, bool]:
        """Remove stream ``sid``: (the stream or None, whether it was held as a unit returned it)."""
        kept = sid in self._kept
        self._kept.discard(sid)
        return self.streams.pop(sid, None), kept

    def put_result(self, uid: str, idx: np.ndarray, r: UnitResult) -> None:
        st = self.results.get(uid)
        if st is None:
            st = UnitResult({}, np.full(self.n, np.nan), np.full(self.n, np.nan), {}, {})
            self.results[uid] = st
        put = _scatter_into(idx, self.n)
        put(st.heat, r.heat)
        put(st.power, r.power)
        for dct_full, dct in ((st.design, r.design), (st.utilities, r.utilities)):
            for k, v in dct.items():
                if k not in dct_full:
                    a = np.asarray(v)
                    dct_full[k] = np.full(self.n, np.nan) if a.dtype.kind == "f" or a.dtype.kind in "iub" else np.full(self.n, None, dtype=object)
                put(dct_full[k], v)

    def take(self, idx: np.ndarray) -> "FlowsheetRun":
        """A run of the cases ``idx`` alone, as they stand now (parameters, streams, unit
        results and status copied, per-case arrays taken): what :meth:`State.result
        <carbonhub.core.state.State.result>` evaluates a plant-level measure on."""
        sub = object.__new__(type(self))
        sub.fs, sub.n = self.fs, int(np.size(idx))
        per_case = lambda v: np.asarray(v)[idx] if np.ndim(v) and np.shape(v)[0] == self.n else v  # noqa: E731
        sub.overrides = {o: {k: per_case(v) for k, v in d.items()} for o, d in self.overrides.items()}
        sub.streams = {sid: s.take(idx) for sid, s in self.streams.items()}
        sub.results = {uid: self.take_result(uid, idx) for uid in self.results}
        sub.status = self.status[idx].copy()
        sub.iterations = {k: per_case(v) for k, v in self.iterations.items()}
        sub.residuals = {k: per_case(v) for k, v in self.residuals.items()}
        sub.spec_slopes, sub.scratch, sub._kept, sub._tear_ids = {}, {}, set(), None
        return sub

    def take_result(self, uid: str, idx: np.ndarray) -> UnitResult:
        r = self.results[uid]
        return UnitResult({}, r.heat[idx], r.power[idx], {k: v[idx] for k, v in r.design.items()},
                          {k: v[idx] for k, v in r.utilities.items()})
