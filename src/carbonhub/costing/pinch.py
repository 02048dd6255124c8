"""Pinch targeting: minimum hot and cold utility of a set of process streams by the problem
table algorithm, vectorised over cases, and the process streams of a simulated route.

The problem table (Linnhoff and Flower 1978; Kemp 2007, section 3.9 "Algorithms for problem
table and composite curves"): shift hot streams down and cold streams up by dT_min/2, cut the
shifted temperature range at every stream's supply and target temperature, sum in each interval
the heat released by hot streams minus the heat taken by cold streams, and cascade it from the
top. The most negative point of the cascade is the minimum hot utility; the hot utility plus the
net surplus of all intervals is the minimum cold utility; where the cascade (with the hot
utility added) is zero lies the pinch.

Streams of a route (:func:`process_streams`): one per unit duty. A unit that needs steam
(``steam_heat_W``) is a cold stream, a unit that rejects heat
(``cooling_W`` + ``steam_raised_W``) a hot stream, each with constant CP between the unit's
mass-averaged inlet and outlet temperatures. A unit with both (a column: reboiler and condenser)
puts its heating at the hotter and its cooling at the colder of those temperatures, and a duty
at (nearly) one temperature is a 1 K band there. This is a screening data extraction: it is
exact for heaters and coolers, and approximate for reactors, columns and units whose duty
spans several streams.

Fired duties (``fired_heat_W`` > 0: the pyrolysis reactor, the steam cracker's coils, the tar
reformer, an allothermal gasifier, the torrefaction reactor) are not process streams of the
network: they are heat a furnace or burner delivers at the unit's reaction temperature, to solid
feeds that no exchanger heats or to coils hotter than every process stream. Their inlet and
outlet temperatures do not show where that heat is needed (the cracker's products leave
quenched at 40 degC, so its 850 degC duty would look like 40 degC heat that waste heat could
give). :func:`pinch_kpis` adds them to the hot utility as they are, integrated or not
(``fired_duty_MW``), and :func:`carbonhub.costing.heat_supply.heat_supply` keeps them as fired
heat on the ``pinch`` basis.

Example
-------
The four-stream example of Kemp (2007), dT_min = 10 K (temperatures in degC or K alike):

>>> import numpy as np
>>> from carbonhub.costing.pinch import problem_table
>>> t = problem_table([20.0, 170.0, 80.0, 150.0], [135.0, 60.0, 140.0, 30.0],
...                   [230.0, 330.0, 240.0, 180.0], dt_min=10.0)
>>> float(t.hot_utility_min[0]), float(t.cold_utility_min[0]), float(t.pinch_shifted[0])
(20.0, 60.0, 85.0)

References
----------
.. [1] Linnhoff, B., Flower, J.R. (1978). Synthesis of heat exchanger networks: I. Systematic
   generation of energy optimal networks. AIChE J. 24, 633-642, doi:10.1002/aic.690240411.
.. [2] Kemp, I.C. (2007). Pinch Analysis and Process Integration, 2nd ed.,
   Butterworth-Heinemann, ISBN 978-0-7506-8260-2: section 2.3 (the four-stream example) and
   section 3.9 (problem table algorithm).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..thermo.engine import use_numba
from .memo import finite_view, stream_flow


if TYPE_CHECKING:  # pragma: no cover
    from ..core.results import SimulationResult

__all__ = ["DT_MIN_K", "PinchTargets", "problem_table", "composite_curves", "process_streams",
           "fired_duty_W", "pinch_kpis"]

DT_MIN_K = 10.0
"""Default minimum approach temperature [K] (Kemp 2007, table 4.x: 10-20 K typical for
chemical processes; 10 K is the textbook examples' value)."""


@dataclass(frozen=True)
class PinchTargets:
    """Problem-table result per case.

    hot_utility_min, cold_utility_min : (n_cases,) minimum utilities [unit of the duties]
    pinch_shifted : (n_cases,) shifted pinch temperature (NaN where no pinch: a threshold case)
    T_shifted : (n_cases, 2 n_streams) interval boundaries, descending (a temperature shared by
        two streams repeats: a zero-width interval, so that every case has the same shape)
    cascade : (n_cases, n_intervals + 1) heat flow down the cascade with the hot utility added
    """

    hot_utility_min: np.ndarray
    cold_utility_min: np.ndarray
    pinch_shifted: np.ndarray
    T_shifted: np.ndarray
    cascade: np.ndarray


def _as_cases(a) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    return a[None, :] if a.ndim == 1 else a


def problem_table(T_supply, T_target, duty, dt_min=DT_MIN_K, engine: str = "auto") -> PinchTargets:
    """Minimum utilities by the problem table algorithm, vectorised over cases.

    Parameters
    ----------
    T_supply, T_target : array (n_streams,) or (n_cases, n_streams)
        Supply and target temperature of each stream [K]; hot where supply > target.
    duty : array like T_supply
        Heat of each stream, >= 0 [W or any unit; the targets come in the same unit]. A stream
        of zero duty is ignored.
    dt_min : float or array (n_cases,)
        Minimum approach temperature [K].
    engine : {"auto", "numba", "numpy"}
        ``"auto"``: the compiled kernel (:mod:`carbonhub.costing._pinch_kernel`, one pass per
        case) where numba is available and ``CARBONHUB_NUMBA`` is not 0; ``"numpy"``: the
        vectorised reference below.
    """
    Ts, Tt, Q = np.broadcast_arrays(_as_cases(T_supply), _as_cases(T_target), _as_cases(duty))
    if np.any(~np.isfinite(Q)) or np.any(Q < 0):
        raise ValueError(f"duties must be finite and >= 0, got {float(np.min(Q))!r}")
    dT = np.abs(Ts - Tt)
    if np.any((Q > 0) & (dT <= 0)):
        raise ValueError("a stream with a duty needs different supply and target temperatures "
                         "(give a duty at one temperature as a narrow band, e.g. 1 K)")
    dt = np.broadcast_to(np.asarray(dt_min, dtype=float), (Ts.shape[0],))[:, None]
    if np.any(dt < 0):
        raise ValueError(f"dt_min must be >= 0 K, got {float(np.min(dt))!r}")
    if use_numba(engine) and Ts.shape[1] > 0:
        from ._pinch_kernel import problem_table as compiled

        c = [np.ascontiguousarray(a, dtype=float) for a in (Ts, Tt, Q)]
        qh, qc, pinch, T, casc = compiled(*c, np.ascontiguousarray(dt[:, 0]))
        return PinchTargets(qh, qc, pinch, T, casc)
    hot = Ts > Tt
    shift = np.where(hot, -dt / 2.0, dt / 2.0)
    hi = np.maximum(Ts, Tt) + shift
    lo = np.minimum(Ts, Tt) + shift
    # a stream idle in a case (another case's) sits at the case's top temperature (as the kernel)
    top_own = np.max(hi, axis=1, initial=-np.inf, where=Q > 0)[:, None]
    idle = ~(Q > 0) & np.isfinite(top_own)
    hi, lo = np.where(idle, top_own, hi), np.where(idle, top_own, lo)
    cp = np.where(Q > 0, Q / np.where(dT > 0, dT, 1.0), 0.0) * np.where(hot, 1.0, -1.0)
    T = -np.sort(-np.concatenate([hi, lo], axis=1), axis=1)          # (n, 2s) descending
    upper, lower = T[:, :-1, None], T[:, 1:, None]                   # (n, m, 1)
    overlap = np.clip(np.minimum(hi[:, None, :], upper) - np.maximum(lo[:, None, :], lower), 0.0, None)
    net = (overlap * cp[:, None, :]).sum(axis=2)                     # (n, m): + surplus
    casc = np.concatenate([np.zeros((T.shape[0], 1)), np.cumsum(net, axis=1)], axis=1)
    qh = np.maximum(-casc.min(axis=1), 0.0)
    casc = casc + qh[:, None]
    qc = casc[:, -1]
    tol = 1e-9 * np.maximum(np.abs(Q).sum(axis=1), 1e-300)
    at = np.abs(casc) <= tol[:, None]
    # the pinch: the highest zero of the cascade strictly inside (ends are threshold cases),
    # among the case's own stream temperatures: the grid also holds those of streams with no
    # duty in this case (another case's), which must not move its pinch or its ends
    act_hi, act_lo = np.where(Q > 0, hi, np.nan), np.where(Q > 0, lo, np.nan)
    own = ((T[:, :, None] == act_hi[:, None, :]) | (T[:, :, None] == act_lo[:, None, :])).any(axis=2)
    with np.errstate(invalid="ignore"):
        top = np.max(act_hi, axis=1, initial=-np.inf, where=Q > 0)[:, None]
        bottom = np.min(act_lo, axis=1, initial=np.inf, where=Q > 0)[:, None]
    inner = at & own & (T < top) & (T > bottom)
    idx = np.argmax(inner, axis=1)
    pinch = np.where(inner.any(axis=1), T[np.arange(T.shape[0]), idx], np.nan)
    return PinchTargets(qh, qc, pinch, T, casc)


def composite_curves(T_supply, T_target, duty, dt_min=DT_MIN_K):
    """Hot and cold composite curves of one case: ``(H_hot, T_hot, H_cold, T_cold)``, enthalpy
    [unit of the duties] against actual temperature, the cold curve shifted right by the
    minimum cold utility (so the curves touch at the pinch, dt_min apart)."""
    Ts, Tt, Q = (np.asarray(a, dtype=float).ravel() for a in (T_supply, T_target, duty))
    targets = problem_table(Ts, Tt, Q, dt_min)

    def curve(sel):
        if not sel.any():
            return np.zeros(1), np.zeros(1)
        lo, hi = np.minimum(Ts, Tt)[sel], np.maximum(Ts, Tt)[sel]
        cp = Q[sel] / (hi - lo)
        T = np.unique(np.concatenate([lo, hi]))
        dH = [(cp * np.clip(np.minimum(hi, b) - np.maximum(lo, a), 0, None)).sum()
              for a, b in zip(T[:-1], T[1:])]
        return np.concatenate([[0.0], np.cumsum(dH)]), T

    hot = (Ts > Tt) & (Q > 0)
    cold = (Ts < Tt) & (Q > 0)
    Hh, Th = curve(hot)
    Hc, Tc = curve(cold)
    return Hh, Th, Hc + float(targets.cold_utility_min[0]), Tc


def process_streams(res: "SimulationResult") -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """The route's hot and cold streams from its units' duties (see the module docstring):
    ``(T_supply, T_target, duty_W, labels)``, arrays (n_cases, n_streams)."""
    fs = res.flowsheet
    n = res.n_cases
    T_in: dict[str, list] = {}
    T_out: dict[str, list] = {}
    for c in fs.connections:
        if c.id in res.stream_data:
            T_in.setdefault(c.dst.unit.id, []).append(c.id)
            T_out.setdefault(c.src.unit.id, []).append(c.id)
    mT: dict[str, tuple] = {}  # (mass flow, T) of a stream, for the units with a duty only

    def mean_T(sids):
        if not sids:
            return None
        for sid in sids:
            if sid not in mT:
                s = res.stream_data[sid]
                mT[sid] = (finite_view(stream_flow(res, s, "mass_flow")), finite_view(s.T))
        lst = [mT[sid] for sid in sids]
        m = sum(x[0] for x in lst)
        t = sum(x[0] * x[1] for x in lst)
        avg = sum(x[1] for x in lst) / len(lst)
        return np.where(m > 0, t / np.where(m > 0, m, 1.0), avg)

    Ts, Tt, Q, labels = [], [], [], []
    for uid, r in res.unit_results.items():
        u = r.utilities
        heat = finite_view(u.get("steam_heat_W", 0.0))  # fired duties are hot utility (module docstring)
        cool = finite_view(u.get("cooling_W", 0.0)) + finite_view(u.get("steam_raised_W", 0.0))
        heat = np.broadcast_to(np.maximum(heat, 0.0), (n,))
        cool = np.broadcast_to(np.maximum(cool, 0.0), (n,))
        if not (heat > 0).any() and not (cool > 0).any():
            continue
        a, b = mean_T(T_in.get(uid, [])), mean_T(T_out.get(uid, []))
        if a is None and b is None:
            continue
        a = b if a is None else a
        b = a if b is None else b
        t_lo, t_hi = np.minimum(a, b), np.maximum(a, b)
        both = (heat > 0) & (cool > 0)
        narrow = (t_hi - t_lo) < 1.0
        if (heat > 0).any():  # cold stream: heated from t_lo to t_hi (or a 1 K band at the top)
            top = t_hi
            lo_c = np.where(both | narrow, top - 1.0, t_lo)
            Ts.append(lo_c); Tt.append(top); Q.append(heat); labels.append(f"{uid} (heating)")
        if (cool > 0).any():  # hot stream: cooled from t_hi to t_lo (or a 1 K band at the bottom)
            hi_h = np.where(both | narrow, t_lo + 1.0, t_hi)
            Ts.append(hi_h); Tt.append(t_lo); Q.append(cool); labels.append(f"{uid} (cooling)")
    if not Q:
        z = np.zeros((n, 0))
        return z, z, z, []
    return np.stack(Ts, axis=1), np.stack(Tt, axis=1), np.stack(Q, axis=1), labels


def fired_duty_W(res: "SimulationResult") -> np.ndarray:
    """The units' fired duties (their positive ``fired_heat_W``) summed per case [W]: hot
    utility that the pinch targets do not integrate (module docstring)."""
    out = np.zeros(res.n_cases)
    for r in res.unit_results.values():
        out = out + np.maximum(finite_view(r.utilities.get("fired_heat_W", 0.0)), 0.0)
    return out


def pinch_kpis(res: "SimulationResult") -> dict[str, np.ndarray]:
    """``hot_utility_min_MW``, ``cold_utility_min_MW`` (pinch targets at ``heat.dt_min``),
    ``hot_utility_unintegrated_MW``, ``cold_utility_unintegrated_MW`` (the units' heating and
    cooling duties as they are, each by its own utility), ``heat_recovery_MW`` (their
    difference on the hot side) and ``pinch_T_K`` (shifted pinch temperature). Both hot
    utilities include the fired duties as they are (:func:`fired_duty_W`)."""
    n = res.n_cases
    Ts, Tt, Q, _ = process_streams(res)
    fired = fired_duty_W(res)
    dt = (res.param("heat.dt_min").astype(float) if "heat" in res.flowsheet.groups
          else np.full(n, DT_MIN_K))
    if Q.shape[1] == 0:
        z = np.zeros(n)
        return {"hot_utility_min_MW": fired / 1e6, "cold_utility_min_MW": z.copy(),
                "hot_utility_unintegrated_MW": fired / 1e6, "cold_utility_unintegrated_MW": z.copy(),
                "heat_recovery_MW": z.copy(), "pinch_T_K": np.full(n, np.nan)}
    t = problem_table(Ts, Tt, Q, dt)
    hot_u = np.where(Tt > Ts, Q, 0.0).sum(axis=1)
    cold_u = np.where(Ts > Tt, Q, 0.0).sum(axis=1)
    return {"hot_utility_min_MW": (t.hot_utility_min + fired) / 1e6, "cold_utility_min_MW": t.cold_utility_min / 1e6,
            "hot_utility_unintegrated_MW": (hot_u + fired) / 1e6, "cold_utility_unintegrated_MW": cold_u / 1e6,
            "heat_recovery_MW": (hot_u - t.hot_utility_min) / 1e6, "pinch_T_K": t.pinch_shifted}
