"""Operating labour of a costed flowsheet: the operators per shift by Turton et al. (Eq. 8.3),
from the solids-processing steps and the other equipment of the cost table, held at the edge
of the correlation's data, with the results' note when it is."""
from __future__ import annotations

import numpy as np


def solids_by_case(res) -> dict[str, np.ndarray]:
    """Per costed unit that processes particulate solids in some case: the cases (n,) where it
    does, i.e. where a solid phase is above 1 % of the mass of its inlets (feed handling,
    dryer, gasifier, torrefaction, ...)."""
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
        m = sum(np.nan_to_num(s.flow * s.cs.molar_mass) for s in into[uid])
        tot, sol = m.sum(axis=1), m[:, solid].sum(axis=1)
        hit = sol > 0.01 * np.maximum(tot, 1e-300)
        if hit.any():
            out[uid] = hit
    return out


def solids_steps(res) -> list[str]:
    """Units that process particulate solids in any case (:func:`solids_by_case`)."""
    return list(solids_by_case(res))


TURTON_MAX_SOLIDS_STEPS = 2
"""Turton et al. (2009, 3rd ed., Section 8.2, p. 226): "Equation 8.3 was derived for processes
with, at most, two solid handling steps. For processes with a greater number of solid handling
operations, this equation should not be used" (read in a stored copy of the book page)."""


def operators_per_shift(res, rows: list[dict]) -> np.ndarray:
    """Operators per shift by Turton et al. (2012), Eq. 8.3 (after Alkhayat and Gerrard 1984),
    ``N_OL = (6.29 + 31.7 P^2 + 0.23 N_np)^0.5``: P = the solids-processing steps of
    :func:`solids_steps` (feed handling, drying, gasification, ...), N_np = the other cost items
    that are compressors, towers, reactors, heaters or exchangers, counted whoever holds their
    cost (a unit inside a block still needs operators). The correlation's data hold at most
    ``TURTON_MAX_SOLIDS_STEPS`` = 2 solids steps; beyond them the 31.7 P^2 term is an
    extrapolation (P = 5 would ask 28 operators per shift of a 5 t/h plant), so P is held at 2,
    the edge of the data, and :func:`labour_note` says so in the results. Returns (n_cases,) [-].
    Both counts are per case (a unit is a solids step in the cases where solids reach it), so
    that a case's labour does not depend on the other cases of its batch."""
    from .opex import operators_per_shift_turton
    from .unit_costs import labour_class

    solids = solids_by_case(res)
    n = res.n_cases
    none = np.zeros(n, dtype=bool)

    # per case: a cost row counts where its unit is there (a choice swaps rows, e.g. the amine
    # or the physical-solvent AGR block; a unit can be absent, size 0, in some cases), whether
    # it is costed itself or inside another's block, as in a batch of that case alone
    # (``present``: sized and chosen, set by the unit cost rows; else chosen or inside)
    def chosen(r):
        if "present" in r:
            return np.broadcast_to(np.asarray(r["present"], dtype=bool), (n,))
        act = np.broadcast_to(np.asarray(r.get("active", 1.0), dtype=float) > 0, (n,))
        inside = np.broadcast_to(np.asarray(r.get("included_in", ""), dtype=object) != "", (n,))
        return act | inside

    n_np = sum(((chosen(r) & ~solids.get(r["unit_id"].split(".")[0], none)).astype(float)
                for r in rows if labour_class(r) == "fluid"), np.zeros(n))
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
