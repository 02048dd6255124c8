"""Operating labour of a costed flowsheet: the operators per shift by Turton et al. (Eq. 8.3),
from the solids-processing steps and the other equipment of the cost table, held at the edge
of the correlation's data, with the results' note when it is."""
from __future__ import annotations

import numpy as np

from ..thermo.engine import use_numba
from .memo import finite_view, once


def solids_steps(res) -> list[str]:
    """Units that process particulate solids: costed units with a solid phase above 1 % of
    the mass of their inlets (in any case), e.g. feed handling, dryer, gasifier, torrefaction."""
    return [uid for uid, m in solids_by_case(res).items() if m.any()]


def solids_by_case(res) -> dict[str, np.ndarray]:
    """Per costed unit, the cases (n,) in which it processes particulate solids (a solid phase
    above 1 % of the mass of its inlets): a case's labour is counted from its own streams, not
    from the other cases of its batch. Evaluated once per result."""
    return once(res, "solids_by_case", lambda: _solids_by_case(res))


def _solids_by_case(res, engine: str = "auto") -> dict[str, np.ndarray]:
    fs = res.flowsheet
    solid = fs.components.phase == "solid"
    into: dict[str, list] = {}
    for c in fs.connections:
        s = res.stream_data.get(c.id)
        if s is not None:
            into.setdefault(c.dst.unit.id, []).append(s)
    out = {}
    for uid, unit in fs.units.items():
        if not unit.costs or uid not in into:
            continue
        if not any(_has_solids(s.flow, solid, engine) for s in into[uid]):  # no solid flows: 0 > 0.01 x total
            out[uid] = np.zeros(res.n_cases, dtype=bool)
            continue
        out[uid] = _solids_cases(into[uid], solid, engine)
    return out


def _has_solids(flow: np.ndarray, solid: np.ndarray, engine: str = "auto") -> bool:
    """``flow[:, solid].any()``: compiled, stopping at the first solid flow, for a float array."""
    if not solid.any():
        return False
    if use_numba(engine) and flow.dtype == np.float64 and flow.ndim == 2:
        from ._labour_kernel import any_nonzero

        return bool(any_nonzero(flow, np.flatnonzero(solid)))
    return bool(flow[:, solid].any())


def _solids_cases(inlets: list, solid: np.ndarray, engine: str = "auto") -> np.ndarray:
    """Per case: the inlets' solid mass above 1 % of their mass. Compiled (one pass over each
    inlet, costing/_labour_kernel.py) where the answer is clear of the numpy sums' rounding;
    the numpy expressions below (the reference) for a batch with any case too close to call."""
    if use_numba(engine):
        from ._labour_kernel import add_mass, decide

        m = np.empty(inlets[0].flow.shape)
        for i, s in enumerate(inlets):
            add_mass(s.flow, s.cs.molar_mass, m, i == 0)
        out, sure = decide(m, solid)
        if sure.all():
            return out
    m = None  # the inlets' mass flows (n, k), non-finite values as by nan_to_num, summed
    for s in inlets:
        x = finite_view(s.flow * s.cs.molar_mass)  # a new array either way
        m = x if m is None else np.add(m, x, out=m)
    tot, sol = m.sum(axis=1), m[:, solid].sum(axis=1)
    return sol > 0.01 * np.maximum(tot, 1e-300)


TURTON_MAX_SOLIDS_STEPS = 2
"""Turton et al. (2009, 3rd ed., Section 8.2, p. 226): "Equation 8.3 was derived for processes
with, at most, two solid handling steps. For processes with a greater number of solid handling
operations, this equation should not be used" (read in a stored copy of the book page)."""


def operators_per_shift(res, rows: list[dict]) -> np.ndarray:
    """Operators per shift by Turton et al. (2012), Eq. 8.3 (after Alkhayat and Gerrard 1984),
    ``N_OL = (6.29 + 31.7 P^2 + 0.23 N_np)^0.5``: P = the solids-processing steps of
    :func:`solids_by_case` (feed handling, drying, gasification, ...; a unit is a solids step in
    the cases whose inlets carry solids, so that a case's labour does not depend on its batch),
    N_np = the other cost items
    that are compressors, towers, reactors, heaters or exchangers, counted whoever holds their
    cost (a unit inside a block still needs operators). The correlation's data hold at most
    ``TURTON_MAX_SOLIDS_STEPS`` = 2 solids steps; beyond them the 31.7 P^2 term is an
    extrapolation (P = 5 would ask 28 operators per shift of a 5 t/h plant), so P is held at 2,
    the edge of the data, and :func:`labour_note` says so in the results. Returns (n_cases,) [-]."""
    from .opex import operators_per_shift_turton
    from .unit_costs import labour_class

    n = res.n_cases
    solids = solids_by_case(res)
    no = np.zeros(n, dtype=bool)
    # per case: a cost row counts where its technology is chosen (a choice swaps rows, e.g. the
    # amine or the physical-solvent AGR block: a case's labour must not depend on the other
    # cases of its batch), whether it is costed itself or inside another's block
    # (``present``, set by the unit cost rows: sized and chosen; a unit can also be absent,
    # size 0, in some cases, and then has no row in a batch of that case alone)
    def chosen(r):
        if "present" in r:
            return np.broadcast_to(np.asarray(r["present"], dtype=bool), (n,)).astype(float)
        act = np.broadcast_to(np.asarray(r.get("active", 1.0), dtype=float) > 0, (n,))
        inside = np.broadcast_to(np.asarray(r.get("included_in", ""), dtype=object) != "", (n,))
        return (act | inside).astype(float)

    # a unit is a solids step or a fluid step case by case (its inlets' solids differ by case)
    n_np = sum((chosen(r) * ~solids.get(r["unit_id"].split(".")[0], no) for r in rows
                if labour_class(r) == "fluid"), np.zeros(n))
    p = np.minimum(sum((m.astype(float) for m in solids.values()), np.zeros(n)), TURTON_MAX_SOLIDS_STEPS)
    return np.asarray(operators_per_shift_turton(p, n_np), dtype=float) * np.ones(n)


def labour_note(res) -> str | None:
    """The results' note when the route has more solids steps than Turton's Eq. 8.3 was made
    from (None otherwise)."""
    solids = solids_steps(res)
    if len(solids) <= TURTON_MAX_SOLIDS_STEPS:
        return None
    return (f"labour: {len(solids)} solids-handling steps ({', '.join(solids)}); Turton Eq. 8.3 was derived "
            f"for at most {TURTON_MAX_SOLIDS_STEPS} and should not be used beyond: P held at "
            f"{TURTON_MAX_SOLIDS_STEPS} (the edge of its data; a lower bound on the operators)")
