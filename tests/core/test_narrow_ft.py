"""biomass_ft's recycle blocks on their carried components (core.narrow): each unit class of the
FT loop (reformer, syngas cleanup, shift, acid-gas removal, FT, the reformer's firing) and of the
upgrading loop (hydrocracker) declares what it may create (``narrow_adds``); on the inlets of a
600-case random run of the route, perturbed (flows scaled per case and component, trace species
dropped in some cases or in all, choices drawn per case), the unit run on the inlets' components
plus its declaration gives the whole set's outlets, heat, power, design, utilities and status,
and nothing outside that sub-set in the whole-set run. The route narrowed gives the answers of
the whole-set route."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
import carbonhub.core.narrow as narrow
from carbonhub.core import Stream
from test_narrow import spy_on_begin

pytestmark = pytest.mark.component

N = 600

# unit class -> (its unit in biomass_ft, choice parameters drawn per case, trace species added
# to its inlets in a third of the cases: branches the route's own inlets do not reach)
UNITS = {
    "TarReformer": ("tar_reformer", {"methane": ("conversion", "equilibrium"), "shift": ("equilibrium", "frozen")},
                    ("NH3", "C2H4", "C5H12")),
    "ReformerSteam": ("reformer_steam", {}, ("C7H16",)),
    "SyngasCooler": ("cooler", {}, ()),
    "Scrubber": ("scrubber", {}, ("HCl", "NH3", "ASH")),
    "SulphurRemoval": ("sulphur", {"technology": ("zno", "lo_cat", "claus")}, ("COS",)),
    "WaterGasShift": ("wgs", {"mode": ("equilibrium", "h2_co"), "thermal": ("adiabatic", "isothermal")}, ()),
    "AcidGasRemoval": ("agr", {"technology": ("mea", "mdea", "selexol", "rectisol")}, ("COS", "H2S")),
    "FischerTropsch": ("ft", {}, ("N2",)),
    "CombustionAir": ("reformer_air", {}, ("H2S", "NH3")),
    "FiredHeater": ("reformer_combustor", {}, ("H2S", "HCl", "ASH")),
    "Hydrocracker": ("hydrocracker", {}, ("C12H26",)),
}


@pytest.fixture(scope="module")
def route():
    fs = ch.routes.load("biomass_ft")
    rng = np.random.default_rng(14)
    params = {k: float(fs.get(k)) * rng.uniform(0.9, 1.1, N)
              for k in ("feed.rate_dry_t_per_h", "gasifier.T", "ft.alpha", "ft.co_conversion", "purge.fraction")}
    params["agr.co2_capture"] = rng.uniform(0.8, 0.95, N)
    res = fs.simulate(params=params, costing=False)
    assert res.ok.all()
    return fs, res


def perturbed(s: Stream, rng, extra, drop: str) -> Stream:
    """``s`` with its flows scaled per case and component (0.8-1.2), its trace species (under
    1 % of a case's flow) dropped (``drop`` "some": each in a third of the cases, one of them
    in every case; "all": every one in every case, so that a species the unit makes is in no
    inlet), and the ``extra`` species added at 0.1 % of the flow in a third of the cases."""
    f = s.flow * rng.uniform(0.8, 1.2, s.flow.shape)
    tot = f.sum(axis=1)
    trace = np.flatnonzero(((f > 0) & (f < 0.01 * tot[:, None])).any(axis=0))
    if drop == "all":
        f[:, trace] = 0.0
    else:
        for j in trace:
            f[rng.random(s.n_cases) < 1 / 3, j] = 0.0
        if trace.size:
            f[:, rng.choice(trace)] = 0.0
    for cid in extra:
        j = s.cs.index(cid)
        f[:, j] += np.where(rng.random(s.n_cases) < 1 / 3, 1e-3 * tot, 0.0)
    return Stream._of(s.cs, f, s.T.copy(), s.P.copy(), s.origin.copy())


def run(unit, ins, over):
    n = next(iter(ins.values())).n_cases
    p = unit.resolve(over, n)
    p.idx, p.n_total, p.scratch = np.arange(n), n, {}
    with np.errstate(all="ignore"):
        return unit.run(ins, p)


def close(a, b, what):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.nanmax(np.abs(b)) if b.size and np.isfinite(b).any() else 0.0
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12 * max(scale, 1e-300), err_msg=what)


@pytest.mark.parametrize("drop", ["some", "all"])
@pytest.mark.parametrize("cls", list(UNITS))
def test_a_block_unit_on_its_carried_components_gives_the_whole_set_answers(route, cls, drop):
    fs, res = route
    uid, choices, extra = UNITS[cls]
    unit = fs.units[uid]
    assert type(unit).__name__ == cls
    adds = narrow.additions(unit)
    assert adds is not None, f"{cls} declares nothing"
    cs = fs.components
    rng = np.random.default_rng(sum(map(ord, cls)))
    ins = {c.dst.name: perturbed(res.stream(c.id), rng, extra, drop) for c in fs.connections if c.dst.unit.id == uid}
    over = dict(res._run.overrides.get(uid, {}))
    for k, opts in choices.items():
        over[k] = np.array(opts, dtype=object)[rng.integers(0, len(opts), N)]
    carried = np.zeros(len(cs), dtype=bool)
    carried[[cs.index(c) for c in adds if c in cs]] = True
    for s in ins.values():
        carried |= (s.flow != 0).any(axis=0)
    cols = np.flatnonzero(carried)
    assert cols.size < len(cs)
    sub = narrow.subset(cs, cols)
    whole = run(unit, ins, over)
    part = run(unit, {k: Stream._of(sub, s.flow[:, cols].copy(), s.T.copy(), s.P.copy(), s.origin.copy())
                      for k, s in ins.items()}, over)
    assert set(part.outlets) == set(whole.outlets)
    for port, w in whole.outlets.items():
        p_ = part.outlets[port]
        assert p_.cs is sub
        outside = np.delete(w.flow, cols, axis=1)
        assert not outside.any(), f"{cls}.{port} made {[c for c in cs.ids if c not in sub.ids]} outside its declaration"
        close(p_.flow, w.flow[:, cols], f"{port} flow")
        for k in ("T", "P", "origin"):
            close(getattr(p_, k), getattr(w, k), f"{port} {k}")
    close(part.heat, whole.heat, "heat")
    close(part.power, whole.power, "power")
    for d_part, d_whole, what in ((part.design, whole.design, "design"), (part.utilities, whole.utilities, "utility")):
        assert set(d_part) == set(d_whole), what
        for k, v in d_whole.items():
            if np.asarray(v).dtype.kind in "fiu":
                close(d_part[k], v, f"{what} {k}")
            else:
                np.testing.assert_array_equal(d_part[k], v, err_msg=f"{what} {k}")
    if whole.status is None:
        assert part.status is None
    else:
        np.testing.assert_array_equal(part.status, whole.status)


def test_the_route_runs_both_loops_narrow_with_the_whole_set_answers(route, monkeypatch):
    fs, res = route
    k = 40
    params = {name: res.param(name)[:k] for name in ("feed.rate_dry_t_per_h", "gasifier.T", "ft.alpha",
                                                     "ft.co_conversion", "purge.fraction", "agr.co2_capture")}
    seen, real = spy_on_begin(monkeypatch)
    got = fs.simulate(params=params, costing=False)
    monkeypatch.setattr(narrow, "begin", real)
    ft_loop = [nb for units, n, nb in seen if "ft" in units and n]
    upgrading = [nb for units, n, nb in seen if "hydrocracker" in units and n]
    assert ft_loop and all(nb is not None for nb in ft_loop), "the FT loop did not run narrow"
    assert upgrading and all(nb is not None for nb in upgrading), "the upgrading loop did not run narrow"
    assert len(ft_loop[0].sub) <= 30 and len(upgrading[0].sub) <= 20
    monkeypatch.setattr(narrow, "begin", lambda *a, **kw: None)
    ref = fs.simulate(params=params, costing=False)
    assert got.ok.all() and ref.ok.all()
    for c in fs.connections:
        a, b = got.stream(c.id), ref.stream(c.id)
        close(a.flow, b.flow, c.id)
        close(a.T, b.T, c.id)
    for uid, rb in ref.unit_results.items():
        close(got.unit_results[uid].heat, rb.heat, uid)
    for name, v in ref.iterations.items():
        np.testing.assert_array_equal(got.iterations[name], v, err_msg=name)
    # batch == one by one (the carried components depend on the batch)
    for i in (0, 7):
        one = fs.simulate(params={n_: v[i:i + 1] for n_, v in params.items()}, costing=False)
        for sid in ("ft_recycle", "reformer_recycle", "hydrocracker_effluent", "tail_gas_purge"):
            b = got.stream(sid).flow[i]
            np.testing.assert_allclose(one.stream(sid).flow[0], b, rtol=1e-10, atol=1e-10 * np.abs(b).max(),
                                       err_msg=sid)
    bal = got.balances
    assert bal[["mass_rel", "C_rel", "H_rel", "O_rel", "N_rel", "S_rel"]].abs().to_numpy().max() < 1e-9
    assert bal["energy_rel"].abs().max() < 1e-6
