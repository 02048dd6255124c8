"""Test helpers shared by the unit-operation tests."""
from __future__ import annotations

import numpy as np
import pytest

from carbonhub.core.stream import Stream
from carbonhub.thermo.components import BALANCE_ELEMENTS, ELEMENTS


def residuals(ins: dict[str, Stream], res) -> dict[str, np.ndarray]:
    """Relative mass, element and energy residuals of one unit result (per case)."""
    sin = list(ins.values())
    sout = list(res.outlets.values())
    m_in = sum(s.mass_flow for s in sin)
    m_out = sum(s.mass_flow for s in sout)
    e_in = sum(s.element_flows for s in sin)
    e_out = sum(s.element_flows for s in sout)
    h_in = sum(s.enthalpy for s in sin)
    h_out = sum(s.enthalpy for s in sout)
    ha = np.maximum(sum(np.abs(s.enthalpy) for s in sin), sum(np.abs(s.enthalpy) for s in sout))
    scale_e = np.maximum(ha, np.abs(res.heat) + np.abs(res.power))
    out = {"mass_rel": np.abs(m_in - m_out) / np.maximum(np.maximum(m_in, m_out), 1e-300)}
    for e in BALANCE_ELEMENTS:
        k = ELEMENTS.index(e)
        a, b = e_in[:, k], e_out[:, k]
        s = np.maximum(np.abs(a), np.abs(b))
        out[f"{e}_rel"] = np.where(s > 0, np.abs(a - b) / np.where(s > 0, s, 1), 0.0)
    out["energy_rel"] = np.abs(h_in + res.heat + res.power - h_out) / np.maximum(scale_e, 1e-300)
    return out


def assert_unit_conserves(unit, ins: dict[str, Stream], p=None, mass_tol=1e-9, energy_tol=1e-6,
                          min_ok: int = 1, all_cases: bool = False):
    """Run ``unit`` on ``ins`` and assert mass, element and energy conservation for the ok cases
    (with ``all_cases``: for every case, the flagged ones included: their numbers must balance
    too).

    Unless ``all_cases``, at least ``min_ok`` cases must be ok (default 1): a run in which every
    case is flagged would otherwise pass without checking anything. Pass ``min_ok=0`` only where
    all-flagged is the expected outcome (and assert that separately)."""
    n = next(iter(ins.values())).n_cases
    p = p if p is not None else unit.resolve({}, n)
    res = unit.run(ins, p)
    ok = np.ones(n, dtype=bool) if res.status is None else (np.asarray(res.status) == "ok")
    if all_cases:
        ok = np.ones(n, dtype=bool)
    assert ok.sum() >= max(min_ok, 1 if all_cases else 0), (
        f"{unit.id}: {ok.sum()} of {n} cases ok, need {min_ok}: {res.status}")
    for k, v in residuals(ins, res).items():
        tol = energy_tol if k == "energy_rel" else mass_tol
        assert (v[ok] <= tol).all(), f"{unit.id}: {k} = {v[ok].max():.3e} > {tol:g}"
    return res


def check_all_cases(unit, ins: dict[str, Stream], p, finite_design: bool = False):
    """Conservation for every case, including those flagged infeasible (their numbers must still
    balance), plus :func:`assert_unit_conserves` on the ok cases; outlets finite and non-negative;
    with ``finite_design`` also every design and utility value finite. Every case is checked,
    so a batch in which all cases are flagged is still tested."""
    res = assert_unit_conserves(unit, ins, p, all_cases=True)
    for s in res.outlets.values():
        assert np.isfinite(s.flow).all() and (s.flow >= 0).all()
        assert np.isfinite(s.T).all() and (s.T > 0).all() and (s.P > 0).all()
    if finite_design:
        for k, v in {**res.design, **res.utilities}.items():
            assert np.isfinite(v).all(), k
    return res


def check_twin(unit, ins, params):
    """compare_twin plus the structural checks (zero degrees of freedom, IPOPT optimal, agreement
    rtol 1e-6, element balances of the solved twin, units, no structural warnings, a ``doc`` on
    every variable and constraint); returns the report."""
    import pyomo.environ as pyo
    from idaes.core.util import DiagnosticsToolbox
    from pyomo.util.check_units import assert_units_consistent

    from carbonhub.eo.testing import compare_twin

    rep = compare_twin(unit, ins, params)
    assert rep["dof"] == 0
    assert rep["termination"] == "optimal"
    assert rep["max_rel_diff"] < 1e-6, rep["diffs"]
    m = rep["model"]
    blk = getattr(m.fs, unit.id)
    atoms = sum(pyo.value(blk.sin(n).flow_elem[e]) for n in unit.inlet_names for e in ELEMENTS)
    for e in ELEMENTS:
        e_in = sum(pyo.value(blk.sin(n).flow_elem[e]) for n in unit.inlet_names)
        e_out = sum(pyo.value(blk.sout(n).flow_elem[e]) for n in unit.outlet_names)
        assert e_out == pytest.approx(e_in, rel=1e-9, abs=1e-12 * atoms), e
    assert_units_consistent(blk)
    DiagnosticsToolbox(m).assert_no_structural_warnings()
    undocumented = [c.name for c in blk.component_objects((pyo.Var, pyo.Constraint), descend_into=True)
                    if not c.doc and not c.is_reference()]
    assert not undocumented
    return rep


def require_browser() -> str:
    """A headless Chromium's path for the browser tests. Without one the test fails where one
    could be installed (on CI, or as root with apt-get: ``make test`` runs
    scripts/install_browser.sh first) and is skipped only where the platform cannot install
    one."""
    import os
    import shutil

    from carbonhub.report.browser import find_browser

    exe = find_browser()
    if exe is not None:
        return exe
    can_install = shutil.which("apt-get") is not None and (
        os.geteuid() == 0 or shutil.which("sudo") is not None)
    if os.environ.get("CI") or can_install:
        pytest.fail("no headless Chromium: 'make test' (or 'make browser') installs Debian's "
                    "chromium with scripts/install_browser.sh; run it, or set CARBONHUB_BROWSER")
    pytest.skip("no headless Chromium, and this platform cannot install one (no apt-get/root)")


GAS = ["H2", "CO", "CO2", "H2O", "CH4", "N2", "NH3", "C2H4", "C2H6", "Ar"]


def gas_cases(n, seed):
    """Random gas-phase equilibrium cases over ``GAS``: (moles (n, 10), T [K], P [Pa]); each
    species absent in ~30 % of the cases, steam and CO always present (700-1,600 K, 1-80 bar)."""
    rng = np.random.default_rng(seed)
    mol = rng.uniform(0, 1, (n, len(GAS))) * (rng.uniform(size=(n, len(GAS))) > 0.3)
    mol[:, GAS.index("H2O")] += 0.05
    mol[:, GAS.index("CO")] += 0.05
    return mol, rng.uniform(700, 1600, n), rng.uniform(1e5, 80e5, n)


def refrigeration_by_hand(res, uid: str, columns, T_cw=308.15, T_amb=313.15, eta=0.5, dT=10.0):
    """Electricity [W] per case of the column feeds of unit ``uid`` chilled below cooling water
    (``<column>_feed_heat_W`` < 0 with ``<column>_T_feed_bubble_K`` < ``T_cw``), by the Carnot
    fraction ``eta`` between T_evap = bubble point - ``dT`` and ``T_amb``: W = Q (T_amb - T_evap)
    / (eta T_evap). ``columns``: the column prefixes of the unit's design results."""
    d = res.unit_results[uid].design
    w = np.zeros(res.n_cases)
    for c in columns:
        q, Tb = -np.asarray(d[f"{c}_feed_heat_W"], dtype=float), np.asarray(d[f"{c}_T_feed_bubble_K"], dtype=float)
        Te = Tb - dT
        w = w + np.where((q > 0) & (Tb < T_cw), q * (T_amb - Te) / (eta * Te), 0.0)
    return w


def result_fields(r) -> dict[str, np.ndarray]:
    """Every array of a unit result by name: heat, power, status, each outlet's flow, T and P,
    design values and utilities (to compare two engines' results field by field)."""
    d = {"heat": r.heat, "power": r.power, "status": np.array([] if r.status is None else list(r.status))}
    for k, o in r.outlets.items():
        d.update({f"{k}.flow": o.flow, f"{k}.T": o.T, f"{k}.P": o.P})
    d.update({f"design.{k}": v for k, v in r.design.items()})
    d.update({f"util.{k}": v for k, v in (r.utilities or {}).items()})
    return d


def differing_fields(a: dict, b: dict) -> list[str]:
    """Names of the fields of ``a`` whose arrays in ``b`` differ in any bit (NaN equal to NaN)."""
    return [k for k in a if not np.array_equal(np.asarray(a[k]), np.asarray(b[k]),
                                               equal_nan=np.asarray(a[k]).dtype.kind == "f")]


def assert_case_alone_equals_batch(run, ins: dict[str, Stream], over: dict[str, np.ndarray], cases, keys):
    """``run(ins, over)`` (a unit result from inlets and per-case parameters) of the whole batch
    and of each case of ``cases`` alone (its inlets' row, its parameters): the fields ``keys``
    (:func:`result_fields`) equal to the bit."""
    batch = result_fields(run(ins, over))
    for i in cases:
        one = result_fields(run({k: s.take(np.array([i])) for k, s in ins.items()},
                                {k: v[i:i + 1] for k, v in over.items()}))
        for k in keys:
            assert np.array_equal(batch[k][i], one[k][0]), (k, i)
