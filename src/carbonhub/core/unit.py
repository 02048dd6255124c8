"""Unit-operation base: declared parameters, named ports, and the result of a batched run.

A unit is a small class (see STYLE.md): it declares its ports and parameters, and implements

    run(self, ins: dict[str, Stream], p: Params) -> UnitResult      # numpy, batched

``p.<name>`` is the parameter as an array of shape (n_cases,) (or a string / array of strings
for choices). ``UnitResult`` holds the outlet streams, the heat added [W] and the power added
[W] (so that sum H_in + heat + power = sum H_out), typed design results and utilities.
A unit never stores case results on itself: the same instance serves any batch.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Mapping

import numpy as np

from .stream import Stream, every_case


class UnknownParameterError(KeyError):
    """A ``unit.param`` name that does not exist (the message lists the allowed names)."""

    def __str__(self) -> str:
        return str(self.args[0])


class ParameterValueError(ValueError):
    """A parameter value outside its allowed range or of the wrong kind/unit."""


@dataclass(frozen=True)
class Derived:
    """A default that depends on other parameters, resolved per case when a case is resolved
    (never a sentinel value such as NaN or -1).

    source : where the value comes from, shown by ``Flowsheet.parameters()`` (e.g.
        ``"prices.yaml feedstock_eur_per_t[feed.feedstock]"``)
    needs : the parameters it is computed from: ``"name"`` of the same unit or group, or
        ``"owner.name"`` anywhere in the flowsheet
    rule : ``rule(*values)`` with each need as an array over the cases -> the value per case
    """

    source: str
    needs: tuple[str, ...]
    rule: Callable[..., Any]


@dataclass(frozen=True)
class Param:
    """Declaration of a unit parameter.

    default : default value (SI unless ``unit`` says otherwise), or a :class:`Derived` default
        that is computed from other parameters (e.g. a technology's removal fraction)
    unit : unit string of the value (pint syntax), "" for dimensionless, "choice" for options
    lower, upper : allowed range (inclusive)
    doc : one line of documentation
    choices : allowed values for a choice parameter
    parse : for a text parameter (e.g. a feedstock blend ``"rdf:0.6,wood_chips:0.4"``): the
        function that checks one value and returns it in canonical form; it raises
        ValueError with a message naming what was expected
    source : where a plain default comes from (e.g. ``"prices.yaml"``); "" is the code
    """

    default: Any
    unit: str = ""
    lower: float = -math.inf
    upper: float = math.inf
    doc: str = ""
    choices: tuple | None = None
    parse: Callable[[str], str] | None = None
    source: str = ""

    @property
    def kind(self) -> str:
        return "choice" if self.choices is not None else "text" if self.parse is not None else "float"

    @property
    def derived(self) -> Derived | None:
        return self.default if isinstance(self.default, Derived) else None


def derive(decl: Param, value_of: Callable[[str], Any], n: int) -> np.ndarray:
    """The per-case value (n,) of a :class:`Derived` default, ``value_of(need)`` giving each
    needed parameter (scalar or (n,) array)."""
    d = decl.derived
    args = [np.broadcast_to(np.asarray(value_of(k)), (n,)) for k in d.needs]
    if n > 1 and args and all(a.dtype.kind in "OUS" and (a == a[0]).all() for a in args):
        # choices and texts the same in every case: the rule (a value per case) once, for all
        args = [a[:1] for a in args]
    out = np.asarray(d.rule(*args))
    return np.broadcast_to(out.astype(float) if out.dtype.kind in "biuf" else out, (n,)).copy()


@dataclass
class Cost:
    """Declaration of how a unit is costed: a cost item of property_data (e.g.
    ``"turton.fixed_tube_hx"`` or ``"ref.asu"``) and the design result that is its size."""

    item: str
    size: str
    material: str | None = None
    pressure: str | None = None  # design key holding the pressure [barg]
    label: str = ""
    when: tuple | None = None
    """``(param, (choice, ...))``: the item costs the unit only in the cases where its choice
    parameter ``param`` is one of the choices (e.g. the gasifier block by gasifier type)."""
    size_unit: str | None = None
    """Unit of the design result ``size`` where it differs from the cost item's own (converted
    with pint by the costing), e.g. ``"m^3/h"`` for a block sized in US gal/min."""


@dataclass
class UnitResult:
    """What a batched unit run returns.

    outlets : {port: Stream}
    heat : (n,) heat added to the process [W] (negative: removed)
    power : (n,) shaft/electric power added [W]
    design : {name: (n,) array} design results, SI or unit in the name (e.g. ``volume_m3``)
    utilities : {name: (n,) array} consumption, e.g. ``electricity_W``, ``steam_heat_W``,
        ``cooling_W``, ``process_water_kg_s``, ``catalyst_kg``; read by the costing
    status : (n,) object array of "ok" or a reason, or None when all cases are fine
    """

    outlets: dict[str, Stream]
    heat: np.ndarray
    power: np.ndarray
    design: dict[str, np.ndarray] = field(default_factory=dict)
    utilities: dict[str, np.ndarray] = field(default_factory=dict)
    status: np.ndarray | None = None


class PortRef:
    """``unit.outlets.syngas``: a reference to a named port of a unit."""

    __slots__ = ("unit", "name", "direction")

    def __init__(self, unit: "Unit", name: str, direction: str):
        self.unit, self.name, self.direction = unit, name, direction

    def __repr__(self) -> str:
        return f"{self.unit.id}.{self.direction}.{self.name}"


class _Ports:
    def __init__(self, unit: "Unit", names: tuple[str, ...], direction: str):
        self._unit, self._names, self._dir = unit, names, direction

    def __getattr__(self, name: str) -> PortRef:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._names:
            raise AttributeError(
                f"{self._unit.id} ({type(self._unit).__name__}) has no {self._dir} port {name!r}; "
                f"its {self._dir} are: {', '.join(self._names) or '(none)'}")
        return PortRef(self._unit, name, self._dir)

    def __iter__(self):
        return (PortRef(self._unit, n, self._dir) for n in self._names)

    def __dir__(self):
        return list(self._names)


class Params:
    """Resolved parameters of one unit for one batch: attribute access to arrays."""

    def __init__(self, unit_id: str, values: Mapping[str, Any], n: int):
        self._unit_id, self._values, self.n = unit_id, dict(values), n
        self.idx: np.ndarray | None = None  # global case ids of this batch (set by the solver)
        self.n_total: int | None = None
        self.scratch: dict | None = None  # per-run, per-unit store for warm starts

    def warm(self, key: str, width: int) -> np.ndarray | None:
        """Previous solution ``key`` of these cases in this simulation (warm start), or None;
        a case without one has a NaN row (it starts cold, as it would alone: one case's missing
        warm start must not change the others')."""
        if self.scratch is None or self.idx is None or key not in self.scratch:
            return None
        g = self.scratch[key][self.idx]
        return g if g.shape[1] == width and np.isfinite(g).all(axis=1).any() else None

    def keep(self, key: str, values: np.ndarray, sel=None) -> None:
        """Store a solution of (a subset ``sel`` of) these cases for later warm starts."""
        if self.scratch is None or self.idx is None:
            return
        store = self.scratch.get(key)
        if store is None or store.shape[1] != values.shape[1]:
            store = self.scratch[key] = np.full((self.n_total, values.shape[1]), np.nan)
        store[self.idx if sel is None else self.idx[sel]] = values

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"{self._unit_id} has no parameter {name!r}") from None

    def scalar(self, name: str) -> Any:
        """A parameter that must be the same in every case (e.g. a technology choice)."""
        v = self._values[name]
        a = np.asarray(v)
        if a.ndim and a.size > 1 and not (a == a.flat[0]).all():
            raise ParameterValueError(f"{self._unit_id}.{name} must be equal in all cases")
        return a.flat[0] if a.ndim else v


class Unit:
    """Base class of all unit operations (see module docstring)."""

    inlets: ClassVar[tuple[str, ...]] = ()
    outlets: ClassVar[tuple[str, ...]] = ()
    params: ClassVar[dict[str, Param]] = {}
    costs: ClassVar[tuple[Cost, ...]] = ()
    maturity: ClassVar[str | None] = None
    """Technology maturity for the process contingency ("nth", "foak", a TRL): None follows the
    route's ``economics.maturity``; a unit class or instance sets it only to differ from it."""
    kind: ClassVar[str] = "unit"  # "source", "sink" or "unit"
    narrow_adds: ClassVar[tuple[str, ...] | None] = None
    """Components the unit may give an outlet that no inlet carries (a reactor's products);
    ``()`` for one that creates none. Declared by a class for itself (not inherited): a recycle
    block whose units all declare it runs on the components it carries (:mod:`.narrow`)."""
    cs = None  # the flowsheet's ComponentSet, set by Flowsheet.add

    def __init__(self, id: str, **values: Any):
        if not isinstance(id, str) or not id.isidentifier():
            raise ValueError(f"unit id {id!r}: expected a Python identifier (e.g. 'gasifier')")
        self.id = id
        self.values: dict[str, Any] = {}
        for k, v in values.items():
            self.set(k, v)
        # ``unit.inlets.feed`` on an instance is a PortRef; the class keeps the name tuple
        self.inlet_names: tuple[str, ...] = getattr(self, "inlet_names", type(self).inlets)
        self.outlet_names: tuple[str, ...] = getattr(self, "outlet_names", type(self).outlets)
        self.inlets = _Ports(self, self.inlet_names, "inlets")  # type: ignore[assignment]
        self.outlets = _Ports(self, self.outlet_names, "outlets")  # type: ignore[assignment]

    @classmethod
    def all_params(cls) -> dict[str, Param]:
        out: dict[str, Param] = {}
        for klass in reversed(cls.__mro__):
            out.update(getattr(klass, "params", {}) or {})
        return out

    def set(self, name: str, value: Any) -> None:
        """Set a parameter (validated; units accepted, see :mod:`carbonhub.units`)."""
        decl = self.all_params()
        if name not in decl:
            raise UnknownParameterError(
                f"{self.id} ({type(self).__name__}) has no parameter {name!r}; "
                f"parameters: {', '.join(decl) or '(none)'}")
        self.values[name] = validate_value(f"{self.id}.{name}", decl[name], value)

    def reset(self, name: str) -> None:
        """Return parameter ``name`` to its default (a :class:`Derived` default is resolved again)."""
        decl = self.all_params()
        if name not in decl:
            raise UnknownParameterError(f"{self.id} ({type(self).__name__}) has no parameter {name!r}; "
                                        f"parameters: {', '.join(decl) or '(none)'}")
        self.values.pop(name, None)

    def resolve(self, overrides: Mapping[str, Any], n: int, idx=None) -> Params:
        """Parameters for a batch of n cases (overrides are per-case arrays over all cases;
        ``idx`` selects the cases of this batch). A :class:`Derived` default not given in
        ``overrides`` is computed from this unit's other parameters."""
        vals = {}
        decls = self.all_params()
        derived = []
        whole = None  # idx is every case of the arrays, in order (core.stream.every_case)
        for name, decl in decls.items():
            if name not in overrides and name not in self.values and decl.derived is not None:
                derived.append(name)
                continue
            v = overrides.get(name, self.values.get(name, decl.default))
            a = np.asarray(v)
            if a.ndim and idx is not None:
                if decl.kind in ("choice", "text"):
                    a = a[idx]
                else:  # astype below copies: the selection of every case need not
                    if whole is None:
                        whole = every_case(idx, a.shape[0])
                    a = a if whole and a.shape[0] == np.size(idx) else a[idx]
            if decl.kind in ("choice", "text"):
                vals[name] = a if a.ndim else v
            else:
                vals[name] = _per_case(a.astype(float), n) if a.ndim else np.full(n, float(a))
        for name in derived:
            missing = [k for k in decls[name].derived.needs if k not in vals]
            if missing:
                raise ParameterValueError(f"{self.id}.{name}: its default needs {', '.join(missing)} "
                                          "(resolved by the flowsheet); set it or simulate the flowsheet")
            vals[name] = derive(decls[name], vals.__getitem__, n)
        return Params(self.id, vals, n)

    def run(self, ins: dict[str, Stream], p: Params) -> UnitResult:  # pragma: no cover
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.id!r})"


def _per_case(a: np.ndarray, n: int) -> np.ndarray:
    """``a`` (a copy of the parameter's values) read-only over n cases: itself when it has that
    shape (the read-only view ``np.broadcast_to`` would give, without its ~5 us of set-up per
    parameter and unit call), else broadcast."""
    if a.shape == (n,):
        a.flags.writeable = False
        return a
    return np.broadcast_to(a, (n,))


def validate_value(name: str, decl: Param, value: Any) -> Any:
    """Check a parameter value (scalar or per-case array) against its declaration."""
    if decl.kind == "text":
        a = np.asarray(value)
        if a.dtype.kind not in "US" and not (a.dtype == object and all(isinstance(x, str) for x in a.flat)):
            raise ParameterValueError(f"{name} = {value!r}: expected text ({decl.doc})")
        try:
            out = [decl.parse(str(x)) for x in np.atleast_1d(a).tolist()]
        except ValueError as exc:
            raise ParameterValueError(f"{name} = {exc}") from None
        return out[0] if a.ndim == 0 else np.array(out, dtype=object)
    if decl.kind == "choice":
        a = np.asarray(value)
        bad = [v for v in np.atleast_1d(a).tolist() if v not in decl.choices]
        if bad:
            raise ParameterValueError(
                f"{name} = {bad[0]!r}: expected one of {', '.join(map(str, decl.choices))}")
        return value if a.ndim == 0 else a
    if isinstance(value, (str, tuple)) or hasattr(value, "units"):
        from ..units import to_si

        try:
            value = to_si(value, decl.unit or "dimensionless", name=name)
        except ValueError as exc:
            raise ParameterValueError(str(exc)) from None
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ParameterValueError(f"{name} = {value!r}: expected a number [{decl.unit or '-'}]") from None
    if not np.isfinite(a).all():
        raise ParameterValueError(f"{name} = {value!r}: expected finite values [{decl.unit or '-'}]")
    lo_bad = a < decl.lower
    hi_bad = a > decl.upper
    if lo_bad.any() or hi_bad.any():
        v = a[lo_bad | hi_bad].flat[0] if a.ndim else float(a)
        raise ParameterValueError(
            f"{name} = {v:g} {decl.unit}: outside the allowed range [{decl.lower:g}, {decl.upper:g}]"
            f" {decl.unit}")
    return float(a) if a.ndim == 0 else a


def zeros(n: int) -> np.ndarray:
    return np.zeros(n)
