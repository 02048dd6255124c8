"""Test helpers shared by the unit-operation tests."""
from __future__ import annotations

import numpy as np

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


def assert_unit_conserves(unit, ins: dict[str, Stream], p=None, mass_tol=1e-9, energy_tol=1e-6):
    """Run ``unit`` on ``ins`` and assert mass, element and energy conservation for the ok cases."""
    n = next(iter(ins.values())).n_cases
    p = p if p is not None else unit.resolve({}, n)
    res = unit.run(ins, p)
    ok = np.ones(n, dtype=bool) if res.status is None else (np.asarray(res.status) == "ok")
    for k, v in residuals(ins, res).items():
        tol = energy_tol if k == "energy_rel" else mass_tol
        assert (v[ok] <= tol).all(), f"{unit.id}: {k} = {v[ok].max():.3e} > {tol:g}"
    return res
