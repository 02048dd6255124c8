"""What the unit families share, defined once: physical constants and unit conversions (the exact
conversion factors live in :mod:`carbonhub.units`, imported here for the unit files), feed
checks, the per-case status, component look-ups, LMTD, the water capacity of a gas, and the
bookkeeping of reactors (duties, utilities, element projection)."""
from __future__ import annotations

import numpy as np

from ..core.stream import Stream, StreamError, present
from ..core.unit import Derived, Param
from ..thermo import steam as props
from ..thermo.components import ComponentSet
from ..thermo.engine import use_numba
from ..thermo.nasa7 import P_REF, R
from ..units import BTU_J, DAY, FT3_M3, HOUR, KWH, SHORT_TON  # noqa: F401  (shared by the units)
from ..thermo.rowdot import rowdot, rowsum

NORMAL_T, NORMAL_P = 273.15, P_REF
"""Normal conditions for Nm3 [K], [Pa] (0 degC, 1 atm)."""
NORMAL_MOLAR_VOLUME = R * NORMAL_T / NORMAL_P
"""Ideal-gas molar volume at 0 degC, 1 atm [m3/mol] (normal conditions for space velocities)."""
P_ATM = P_REF
"""Atmospheric pressure [Pa]."""
RHO_WATER = 997.0
"""Liquid water density [kg/m3] (IAPWS-95 at 298 K), for vessel sizing and volumetric flows."""
LIQUID_HC = ("C5H12", "C7H16", "C8H18", "C12H26", "C16H34", "C30H62")
"""The hydrocarbon lumps that are liquid at the separators after FT synthesis and upgrading."""
OPERATING_HOURS = 8410.0
"""[h/y] used only to express annual capacities for reference-plant costing (tea_defaults.yaml:
operation.operating_hours_per_y, Humbird et al. 2011)."""


def barg(P):
    """Gauge pressure [barg] of an absolute pressure ``P`` [Pa] (the design pressure of the
    Turton pressure factors)."""
    return (P - P_ATM) / 1e5


def zeros(n: int) -> np.ndarray:
    """n zeros (a heat, power or design array of n cases)."""
    return np.zeros(n)


def kernel_array(a, shape, dtype=float) -> np.ndarray:
    """``a`` as a C-contiguous array of ``shape`` and ``dtype`` for a compiled kernel: itself when
    it is one already, else a copy (a value of one case, or a scalar, serves every case as numpy
    broadcasts)."""
    return np.ascontiguousarray(np.broadcast_to(np.asarray(a, dtype=dtype), shape))


class MissingComponentsError(ValueError):
    """The flowsheet's ComponentSet lacks components a unit produces."""


def require(cs: ComponentSet, ids, unit_id: str, why: str = "") -> np.ndarray:
    """Indices of ``ids`` in ``cs``; raise :class:`MissingComponentsError` listing the missing
    ones (a configuration error of the flowsheet, not of a case)."""
    missing = [c for c in ids if c not in cs]
    if missing:
        raise MissingComponentsError(
            f"{unit_id}: the component set lacks {', '.join(missing)}" + (f" ({why})" if why else "")
            + "; use ComponentSet.default() or add them")
    return cs.indices(ids)


def require_map(cs: ComponentSet, ids, unit_id: str, why: str = "") -> dict[str, int]:
    """``{id: index}`` of ``ids`` in ``cs`` (:func:`require`: missing ones are a
    :class:`MissingComponentsError`)."""
    return dict(zip(ids, require(cs, ids, unit_id, why)))


def index_of(cs, cid: str) -> int | None:
    return cs.index(cid) if cid in cs else None


def need(cs, ids, who: str) -> list[int]:
    missing = [c for c in ids if c not in cs]
    if missing:
        raise ValueError(f"{who}: needs component(s) {', '.join(missing)} in the component set "
                         f"(have: {', '.join(cs.ids)})")
    return [cs.index(c) for c in ids]


def first_bad_flow(f: np.ndarray, engine: str = "auto") -> tuple[int, int]:
    """(case, component) of the first negative or non-finite flow of ``f`` (n, k) in row
    order, or (-1, -1); compiled in one pass (:mod:`carbonhub.core._rows_kernel`), numpy the
    reference (``engine="numpy"``)."""
    if use_numba(engine) and isinstance(f, np.ndarray) and f.ndim == 2 and f.dtype == np.float64:
        from ..core._rows_kernel import first_bad_flow as kernel

        i, j = kernel(f)
        return int(i), int(j)
    bad = np.argwhere(~np.isfinite(f) | (f < 0))
    return (int(bad[0][0]), int(bad[0][1])) if bad.size else (-1, -1)


def check_feed(s: Stream, unit_id: str, port: str) -> None:
    """Raise :class:`StreamError` (a ValueError) for negative or non-finite inlet flows,
    naming the case and the component."""
    f = s.flow
    i, j = first_bad_flow(f)
    if i >= 0:
        raise StreamError(f"{unit_id}.{port}: flow[{i}, {s.cs.ids[j]}] = {f[i, j]!r} mol/s: "
                          "expected a finite value >= 0 mol/s")
    for name, a, u in (("T", s.T, "K"), ("P", s.P, "Pa")):
        badv = ~np.isfinite(a) | (a <= 0)
        if badv.any():
            i = int(np.argmax(badv))
            raise StreamError(f"{unit_id}.{port}: {name} = {a[i]!r} {u} in case {i}: expected > 0")


def checked_inlets(ins, unit_id: str, *ports: str):
    """The inlet streams ``ins[port]`` of ``ports``, each checked by :func:`check_feed`: one
    stream for one port, a tuple for several."""
    out = tuple(ins[port] for port in ports)
    for port, s in zip(ports, out):
        check_feed(s, unit_id, port)
    return out[0] if len(out) == 1 else out


def validate_feed(s: Stream, uid: str) -> None:
    s.validate()  # StreamError (a ValueError) names the bad value


def status_array(flag: np.ndarray, reasons) -> np.ndarray | None:
    """``None`` when no case is flagged, else an object array of "ok" / reason."""
    if not flag.any():
        return None
    st = np.full(flag.shape[0], "ok", dtype=object)
    st[flag] = reasons
    return st


class Status:
    """Per-case status: reasons (object array) and a boolean mask of the flagged cases."""

    __slots__ = ("reason", "bad")

    def __init__(self, n: int):
        self.reason = np.full(n, "ok", dtype=object)
        self.bad = np.zeros(n, dtype=bool)

    def flag(self, mask: np.ndarray, reason) -> None:
        """Record ``reason`` (a str, or a callable of the case indices returning one str per
        case) for the cases of ``mask`` that are not flagged yet (the first reason wins)."""
        sel = np.asarray(mask, dtype=bool) & ~self.bad
        if sel.any():
            self.reason[sel] = reason(np.flatnonzero(sel)) if callable(reason) else reason
            self.bad |= sel

    def result(self):
        return self.reason if self.bad.any() else None


def choice_array(p, name: str) -> np.ndarray:
    return np.broadcast_to(np.asarray(getattr(p, name), dtype=object), (p.n,))


def tech_default(table: dict, key: str, where: str, choice: str = "technology") -> Derived:
    """The default of a parameter that depends on a technology choice: ``table[choice][key]``
    per case (``where`` names the table in the parameter's source, e.g.
    ``"unitops.co2.AGR_TECH"``)."""

    def rule(tech):
        return np.array([table[str(t)][key] for t in np.asarray(tech).tolist()], dtype=float)

    return Derived(f"{where}[{choice}].{key}", (choice,), rule)


def utility_exchanger_params(U: float = 500.0, U_doc: str = "overall heat-transfer coefficient [W/(m2 K)]",
                             dT_doc: str = "approach to the utility [K]") -> dict[str, Param]:
    """The parameters ``U`` and ``dT_utility`` of a heater or cooler against a utility (steam,
    cooling water), sized by :func:`utility_exchanger_area`."""
    return {"U": Param(U, "W/m^2/K", 1.0, 1e4, U_doc), "dT_utility": Param(20.0, "K", 1.0, 500.0, dT_doc)}


ROUND_OFF_DUTY_W = 1.0
"""A duty of at most 1 W is round-off of a unit's enthalpy balance (3e-9 W in the hydrocracker's,
1.8e-7 W in biomass_ft's shift with its feed at T), not heat to supply or an exchanger to size:
the costing keeps such a demand on steam (:data:`carbonhub.costing.heat_supply.MIN_DEMAND_W`)
and a twin sizes no exchanger on it."""


def utility_exchanger_area(duty, p) -> np.ndarray:
    """Area [m2] of a heater or cooler against a utility: |duty| / (U dT_utility), with the
    mean approach ``dT_utility`` to the utility (parameters of :func:`utility_exchanger_params`);
    none on a round-off duty (:data:`ROUND_OFF_DUTY_W`: a shift fed at its T by its feed-effluent
    exchanger had a 1e-11 m2 preheater, costed and counted as an operator's item, by case)."""
    q = np.abs(duty)
    return np.where(q > ROUND_OFF_DUTY_W, q, 0.0) / (p.U * p.dT_utility)


def eo_utility_exchanger_area(b, duty, duty0: float):
    """Twin of :func:`utility_exchanger_area`: ``|duty|`` [W, a Pyomo
    expression] over ``U dT_utility`` (the unit's parameters), the sign of the abs() frozen at
    the case's duty ``duty0`` [W]; none where that duty is round-off
    (:data:`ROUND_OFF_DUTY_W`), as in the core."""
    import pyomo.environ as pyo

    if abs(duty0) <= ROUND_OFF_DUTY_W:
        return 0.0
    return (1.0 if duty0 >= 0.0 else -1.0) * duty / pyo.units.W / (b.par["U"] * b.par["dT_utility"])


def lmtd(d1, d2):
    d1, d2 = np.maximum(d1, 1e-6), np.maximum(d2, 1e-6)
    same = np.abs(d1 - d2) < 1e-9 * np.maximum(d1, d2)
    return np.where(same, 0.5 * (d1 + d2), (d1 - d2) / np.log(np.where(same, 2.0, d1 / d2)))


def water_capacity(flow, cs, T, P, iw):
    """Largest water-vapour flow [mol/s] the gas phase of ``flow`` holds at (T, P):
    y_w = P_sat(T)/P (ideal mixture, Raoult/Dalton). Returns (capacity, boils) where ``boils``
    marks cases with P_sat(T) >= P."""
    Tc = np.minimum(T, props.T_CRIT_WATER)
    psat = props.P_sat(np.maximum(Tc, props.T_TRIPLE_WATER))
    dry = rowsum(flow * cs.is_gas) - flow[:, iw]
    boils = psat >= P
    y = np.where(boils, 0.0, psat / P)
    return np.where(boils, np.inf, y / (1.0 - y) * dry), boils


def duty_utilities(q: np.ndarray) -> dict[str, np.ndarray]:
    """Utilities of a duty q [W]: heating (q > 0) by steam, cooling (q < 0) by cooling water."""
    return {"steam_heat_W": np.maximum(q, 0.0), "cooling_W": np.maximum(-q, 0.0)}


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
    cols = present(effluent)  # the components with flow: the others add exact zeros
    H_eff = rowsum(effluent[:, cols] * cs.h_cols(T_rx, cols))
    duty_rx = H_eff - H_in
    return heat, duty_rx, heat - duty_rx


def heat_utilities(duty_rx: np.ndarray, duty_cool: np.ndarray, fired=None) -> dict[str, np.ndarray]:
    """Utilities of an exothermic reactor with steam raising and a product cooler. ``fired``
    (per case, bool; :func:`fired_heating`): the reactor's heating (``duty_rx`` > 0) is a fired
    heater's duty (``fired_heat_W``, natural gas at carbonhub's price of fired duties) instead of
    steam."""
    heat_in = np.maximum(duty_rx, 0.0)
    out = {"steam_raised_W": np.maximum(-duty_rx, 0.0),
           "steam_heat_W": heat_in + np.maximum(duty_cool, 0.0),
           "cooling_W": np.maximum(-duty_cool, 0.0)}
    if fired is not None:
        fired = np.broadcast_to(np.asarray(fired, dtype=bool), np.shape(heat_in))
        out["steam_heat_W"] = out["steam_heat_W"] - np.where(fired, heat_in, 0.0)
        out["fired_heat_W"] = np.where(fired, heat_in, 0.0)
    return out


FIRED_ABOVE_K = 523.15
"""Process heating to above this temperature is fired, not steam: "Fired heaters are used for
process heating duties above the highest temperatures that can be reached using high pressure
steam, typically about 250 degC (482 degF)" (Towler, G., Sinnott, R. (2013), Chemical
Engineering Design, 2nd ed., Butterworth-Heinemann, section 3.2.2 "Fired heat"; read in a
stored transcription of the section, 2026-12-07). carbonhub's steam is MP steam at 10 bar
(179.9 degC, costing/utilities.py): a reactor heated to 350 degC by it could not be built."""

HEATING_CHOICES = ("auto", "fired", "steam")


def heating_param() -> Param:
    """The ``heating`` parameter of a unit that heats its feed to its reactor temperature."""
    return Param("auto", "choice", doc="how the reactor's feed is heated: auto (a fired heater where the "
                 f"reactor T is above {FIRED_ABOVE_K:g} K, the highest a high-pressure steam reaches, else "
                 "steam; Towler & Sinnott 2013, 3.2.2), fired or steam", choices=HEATING_CHOICES)


FIRED_HEATER_COST = "turton.fired_heater_nonreactive"
"""Cost item of a unit's own fired heater (Turton non-reactive process heater, on its duty in kW,
with the pressure factor of its tubes): a unit whose cost block is the reactor alone, as the
hydrotreater and hydrocracker blocks (costed with their feed heater apart, as QSDsan's
``Hydroprocessing`` costs its influent heater ``inf_hx`` apart from the decorated reactor cost)."""


def fired_heater_design(fired, duty_W, P) -> dict[str, np.ndarray]:
    """Design results of a unit's fired heater: ``fired_heater_kW`` (its duty where the heating is
    fired, else 0: not costed) and ``fired_heater_P_barg`` (the tubes at the unit's pressure ``P`` [Pa])."""
    return {"fired_heater_kW": np.where(fired, np.maximum(duty_W, 0.0), 0.0) / 1e3,
            "fired_heater_P_barg": np.maximum(barg(np.asarray(P, dtype=float)), 0.0)}


def fired_heating(p, T) -> np.ndarray:
    """Per case: the unit's heating is fired (parameter ``heating``, see :func:`heating_param`;
    ``T`` the temperature it heats to [K])."""
    how = np.broadcast_to(np.asarray(p.heating).astype(str), np.shape(T))
    return (how == "fired") | ((how == "auto") & (np.asarray(T) > FIRED_ABOVE_K))


def project_elements(n: np.ndarray, A: np.ndarray, b: np.ndarray, engine: str = "auto") -> np.ndarray:
    """Smallest n-weighted correction of moles ``n`` (cases, species) so that their element
    inventory ``n @ A`` equals ``b`` exactly (to rounding): n + diag(n) A lambda with
    (A^T diag(n) A) lambda = b - n A. Removes the iteration residual of an equilibrium solver
    that would otherwise show, relative to a trace element, above 1e-9. Species with zero
    moles stay zero; elements absent from a case are left alone. ``engine``: "auto" (the
    compiled per-case kernel ``thermo._eq_kernel.element_projection`` unless
    ``CARBONHUB_NUMBA=0``), "numba" or "numpy" (the batched reference below); a case whose
    system is singular (elements bound in one species only, e.g. pure CO2) is solved by the
    pseudo-inverse on either path."""
    if use_numba(engine):
        from ..thermo._eq_kernel import element_projection

        with np.errstate(all="ignore"):
            out, singular = element_projection(np.ascontiguousarray(n, dtype=float), np.ascontiguousarray(A, dtype=float),
                                               np.ascontiguousarray(b, dtype=float))
        if singular.any():
            out[singular] = project_elements(n[singular], A, b[singular], engine="numpy")
        return out
    r = b - rowdot(n, A)
    ne = A.shape[1]
    need = (np.abs(r) > 1e-15 * np.abs(b)).any(axis=1)
    if not need.any():
        return n
    out = n.copy()
    n, r = n[need], r[need]
    M = rowdot(n, np.einsum("ki,kl->kil", A, A).reshape(A.shape[0], ne * ne)).reshape(-1, ne, ne)
    d = np.einsum("cii->ci", M)
    absent = d <= 1e-300 * np.maximum(d.max(axis=1, keepdims=True), 1e-300)
    ii = np.arange(ne)
    M[:, ii, ii] = np.where(absent, 1.0, d)
    r = np.where(absent, 0.0, r)
    try:
        lam = np.linalg.solve(M, r[..., None])[..., 0]
    except np.linalg.LinAlgError:  # elements bound in one species only (e.g. pure CO2)
        lam = (np.linalg.pinv(M) @ r[..., None])[..., 0]
    out[need] = np.maximum(n + n * rowdot(lam, A.T), 0.0)
    return out


def chiller_cop(T_evap, T_sink, carnot_fraction) -> np.ndarray:
    """Cooling COP of the Carnot-fraction model, ``eta T_evap / (T_sink - T_evap)`` (lift at
    least 1 K), used by the columns' refrigerated condensers (unitops/columns.py) and the costing's chilled feeds (costing/heat_supply.py).

    >>> from carbonhub.unitops._common import chiller_cop
    >>> round(float(chiller_cop(256.41, 313.15, 0.5)), 4)
    2.2595
    """
    T_evap, T_sink = np.asarray(T_evap, dtype=float), np.asarray(T_sink, dtype=float)
    return np.asarray(carnot_fraction, dtype=float) * T_evap / np.maximum(T_sink - T_evap, 1.0)
