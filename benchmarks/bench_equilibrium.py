"""Vectorised Gibbs minimiser vs a Cantera ``equilibrate`` loop on the same states.

Two species sets: a gas-only syngas set (Cantera ``ThermoPhase.equilibrate('TP')``) and a
gasifier set with graphite (Cantera ``Mixture.equilibrate('TP', solver='gibbs')``). The
answers are compared (max |x - x_cantera| must be < 1e-8) and states/s reported for batch
sizes 10^2..10^5. Cantera's per-state cost does not depend on the batch, so its loop runs on
min(N, CANTERA_MAX) states and its rate is used for the ratio.

Rates and ratios are by CPU time (``time.process_time``) on one thread, for both sides: the
machine is shared, and wall time under load mostly measures the other users (a 0.7 ms call
fits in one time slice, a 0.5 s call does not, which once made the per-state cost look as if
it grew 7x with N). Wall-clock rates are recorded beside them (``*_per_wall_s``).

Usage: python benchmarks/bench_equilibrium.py [--smoke] [--json OUT]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1] / "tests"))

GAS = ["H2", "CO", "CO2", "H2O", "CH4", "N2", "NH3", "C2H4", "C2H6", "Ar"]
SOLID = ["H2", "CO", "CO2", "H2O", "CH4", "N2", "C(s)"]


def cases(species, n, seed):
    rng = np.random.default_rng(seed)
    mol = rng.uniform(0, 1, (n, len(species))) * (rng.uniform(size=(n, len(species))) > 0.3)
    mol[:, species.index("H2O")] += 0.05
    if "C(s)" in species:
        mol[:, species.index("C(s)")] += rng.uniform(0.2, 1.5, n)
    else:
        mol[:, species.index("CO")] += 0.05
    return mol, rng.uniform(700, 1600, n), rng.uniform(1e5, 80e5, n)


def cantera_loop(species, mol, T, P):
    import cantera as ct
    from thermo.test_equilibrium import _cantera_gas, _graphite

    solid = "C(s)" in species
    gsp = [s for s in species if s != "C(s)"]
    gas, order = _cantera_gas(gsp)
    gr = _graphite() if solid else None
    out = np.full((len(T), len(species)), np.nan)
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(len(T)):
        X = np.zeros(gas.n_species)
        X[order] = mol[i, :len(gsp)]
        gas.TPX = T[i], P[i], X
        if solid:
            m = None
            for solver in ("gibbs", "vcs"):  # Cantera's MultiPhaseEquil, then VCS as fallback
                gas.TPX = T[i], P[i], X
                mix = ct.Mixture([(gas, X.sum()), (gr, mol[i, -1])])
                mix.T, mix.P = T[i], P[i]
                try:
                    mix.equilibrate("TP", solver=solver, rtol=1e-12, max_iter=2000)
                    m = mix.species_moles
                    break
                except ct.CanteraError:
                    continue
            if m is None:
                continue  # Cantera failed on this state: left out of the comparison
            out[i, :-1] = m[:-1][order]
            out[i, -1] = m[-1]
        else:
            gas.equilibrate("TP", rtol=1e-13, max_steps=10000)
            out[i] = gas.X[order] * X.sum()  # mole fractions suffice for the comparison
    return out, time.process_time() - c0, time.perf_counter() - t0


def vec(species, mol, T, P, repeats, engine="auto", min_states=10_000):
    """(result, CPU s per call, wall s per call): median of ``repeats`` timings, each over enough
    back-to-back calls to cover ``min_states`` states (a 100-state call is ~1 ms)."""
    from carbonhub.thermo import equilibrate

    # compile / warm the caches on the whole batch: a path met only by some cases (e.g. the
    # per-case kernel re-solving the 2 of the syngas set's first 10^5 states that end off their
    # element balance, none among the first 10^4) would otherwise compile inside a timed call
    # (7-11 s in one call: the N = 10^5 rows of 14,080 and 9,301 states/s)
    equilibrate(species, mol, T, P, engine=engine)
    inner = max(1, -(-min_states // len(T)))
    cpu, wall = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(inner):
            r = equilibrate(species, mol, T, P, engine=engine)
        cpu.append((time.process_time() - c0) / inner)
        wall.append((time.perf_counter() - t0) / inner)
    return r, float(np.median(cpu)), float(np.median(wall))


def gas_x(m, species):
    g = np.array([s != "C(s)" for s in species])
    mg = m[:, g]
    return mg / mg.sum(axis=1, keepdims=True)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    sizes = [100, 300] if a.smoke else [100, 1000, 10_000, 100_000]
    cmax = 100 if a.smoke else 5000
    rows = []
    for label, species in (("syngas (gas only, 10 species)", GAS), ("gasifier (6 gases + graphite)", SOLID)):
        mol, T, P = cases(species, max(sizes), 11)
        nc = min(cmax, max(sizes))
        ref, tc, tc_wall = cantera_loop(species, mol[:nc], T[:nc], P[:nc])
        c_rate = nc / tc
        for n, engine in [(n, e) for n in sizes for e in ("numba", "numpy")]:
            r, tv, tv_wall = vec(species, mol[:n], T[:n], P[:n], 1 if n >= 100_000 else 3, engine,
                                 min_states=1000 if a.smoke or engine == "numpy" else 10_000)
            k = min(n, nc)
            both = np.isfinite(ref[:k]).all(axis=1)
            err = float(np.abs(gas_x(r.moles[:k][both], species) - gas_x(ref[:k][both], species)).max())
            if err > 1e-8 or not (r.status == "ok").all():
                raise SystemExit(f"{label} N={n}: disagreement with Cantera {err:.2e} or failed cases")
            rows.append(dict(benchmark="equilibrium", set=label, engine=engine, n=n, vec_s=tv, vec_states_per_s=n / tv,
                             cantera_states_per_s=c_rate, ratio=(n / tv) / c_rate, max_abs_dx=err,
                             timer="process_time", vec_wall_s=tv_wall, vec_states_per_wall_s=n / tv_wall,
                             cantera_states_per_wall_s=nc / tc_wall,
                             mean_newton_iterations=float(np.mean(r.iterations)),
                             median_newton_iterations=float(np.median(r.iterations)),
                             cantera_failures=int((~np.isfinite(ref).all(axis=1)).sum())))
            print(f"{label:30s} {engine:5s} N={n:>7d}  carbonhub {n / tv:>10.0f} states/s   Cantera loop "
                  f"{c_rate:>8.0f} states/s (CPU)   ratio {(n / tv) / c_rate:6.1f}x   max|dx| {err:.1e}")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(rows, fh, indent=1)
    return rows


if __name__ == "__main__":
    main()
