"""``carbonhub equilibrium``: Gibbs equilibrium of a gas (+ C(s)) mixture, for quick look-ups."""
from __future__ import annotations

import argparse

from ._common import UserError

HELP = "Gibbs equilibrium of a gas (+ C(s)) mixture"


def add_arguments(s: argparse.ArgumentParser) -> None:
    s.add_argument("--species", required=True, help="e.g. H2,CO,CO2,H2O,CH4,C(s)")
    s.add_argument("--moles", help="initial moles per species, e.g. 0,1,0,1,0,0")
    s.add_argument("--T", required=True, help="temperature(s) [K], e.g. 1000 or 900,1000 or '700 degC'")
    s.add_argument("--P", default="101325", help="pressure(s) [Pa] or with unit, e.g. '30 bar'")


def _isnum(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def _values(text: str, unit: str, option: str):
    import numpy as np

    from ..units import to_si

    return np.atleast_1d(np.array([to_si(float(t) if _isnum(t) else t.strip(), unit, name=option)
                                   for t in text.split(",")], dtype=float))


def run(a: argparse.Namespace) -> int:
    import numpy as np
    import pandas as pd

    from ..thermo import equilibrate

    species = [s.strip() for s in a.species.split(",")]
    if not a.moles:
        raise UserError("--moles is required: initial moles of each species, e.g. --moles 1,1,0,0")
    try:
        moles = np.array([[float(x) for x in a.moles.split(",")]])
    except ValueError:
        raise UserError(f"--moles {a.moles!r}: expected numbers separated by commas, e.g. 1,1,0,0") from None
    T = _values(a.T, "K", "--T")
    P = _values(a.P, "Pa", "--P")
    n = max(T.size, P.size)
    if T.size not in (1, n) or P.size not in (1, n):
        raise UserError(f"--T has {T.size} values and --P {P.size}: give one of them once or both "
                        "the same number of times")
    if moles.shape[1] != len(species):
        raise UserError(f"--moles has {moles.shape[1]} values for {len(species)} species")
    from ..thermo.components import default_components
    from ..thermo.equilibrium import data_range

    known = default_components()
    unknown = [s for s in species if s not in known]
    if unknown:
        raise UserError(f"--species: unknown species {', '.join(unknown)}; known: {', '.join(known.ids)}")
    lo, hi = data_range(known.subset(species))
    for t in np.ravel(T):
        if not lo <= t <= hi:
            raise UserError(f"--T {t:g} K: outside the NASA-7 data range [{lo:g}, {hi:g}] K of these species")
    moles = np.repeat(moles, n, axis=0)
    r = equilibrate(species, moles, np.broadcast_to(T, (n,)), np.broadcast_to(P, (n,)))
    x = r.moles / r.moles.sum(axis=1, keepdims=True)
    df = pd.DataFrame(x, columns=species)
    df.insert(0, "P_bar", np.broadcast_to(P, (n,)) / 1e5)
    df.insert(0, "T_K", np.broadcast_to(T, (n,)))
    df["status"] = r.status
    with pd.option_context("display.float_format", "{:.6g}".format, "display.width", 160):
        print("Equilibrium mole fractions (all phases):")
        print(df.to_string(index=False))
    return 0
