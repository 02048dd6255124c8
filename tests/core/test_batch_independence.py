"""A case's answer does not depend on its batch, to the last bit.

The units below evaluate thermo on the components present in *some* case of the batch
(compressor, water-gas shift) and take products over the case axis (element, mass and LHV
flows; the WGS equilibrium constant from NASA-7 g°/RT). Before :mod:`carbonhub.thermo.rowdot`,
BLAS matrix products and numpy's pairwise row sums gave a case other last bits alone than in a
batch; inside a recycle solved together with a design spec (biomass_ft's swanson_2010_ht case,
boiler_fuel.fraction = [0.172, 0.18, 0.19]) those bits decided whether a case converged or
failed. Here the streams of a batch whose cases carry different components (CH4/N2 in some
cases only) are compared bit for bit with each case run alone."""
from __future__ import annotations

import numpy as np
import pytest

import carbonhub as ch
from carbonhub.unitops.basic import Mixer
from carbonhub.unitops.machines import Compressor
from carbonhub.unitops.shift import WaterGasShift
from carbonhub.unitops.sources import GasSource, Sink

SYNGAS = {"CO": 0.45, "H2": 0.30, "CO2": 0.15, "H2O": 0.10}


def shift_train():
    """syngas + an inert/methane stream (flow 0 in some cases) -> mixer -> 2-stage compressor
    -> adiabatic water-gas shift with steam -> sink."""
    cs = ch.ComponentSet.from_ids(["CO", "H2", "CO2", "H2O", "CH4", "N2"])
    fs = ch.Flowsheet("shift_train", components=cs)
    gas = fs.add(GasSource("syngas", composition=SYNGAS, flow=100.0, T=320.0, P=2e5))
    other = fs.add(GasSource("other", composition={"CH4": 0.6, "N2": 0.4}, flow=5.0, T=300.0, P=2e5))
    steam = fs.add(GasSource("steam", composition={"H2O": 1.0}, flow=40.0, T=600.0, P=30e5))
    mix = fs.add(Mixer("mixer", n_inlets=2))
    comp = fs.add(Compressor("compressor", P_out=30e5, n_stages=2.0, aftercooler="yes", T_intercool=400.0))
    wgs = fs.add(WaterGasShift("wgs", T=600.0))
    fs.add(Sink("product", category="product", product="hydrogen", main=True))
    c = fs.connect
    c(gas.outlets.out, mix.inlets.in1)
    c(other.outlets.out, mix.inlets.in2)
    c(mix.outlets.out, comp.inlets.feed)
    c(comp.outlets.out, wgs.inlets.feed, id="compressed")
    c(steam.outlets.out, wgs.inlets.steam)
    c(wgs.outlets.out, fs.units["product"].inlets.feed, id="shifted")
    return fs


CASES = {"other.flow": np.array([0.0, 7.3, 0.0, 2.9, 0.0]),
         "syngas.flow": np.array([100.0, 83.7, 121.9, 95.1, 64.3]),
         "steam.flow": np.array([40.0, 51.2, 33.3, 44.4, 29.9]),
         "compressor.eta": np.array([0.78, 0.74, 0.81, 0.7, 0.77])}


@pytest.mark.component
def test_every_case_of_a_batch_has_the_bits_it_has_alone():
    fs = shift_train()
    batch = fs.simulate(params=CASES, costing=False)
    assert (batch.status == "ok").all()
    # the shift converts CO; CH4/N2 reach it in some cases only
    co, ch4 = fs.components.index("CO"), fs.components.index("CH4")
    assert (batch.stream("shifted").flow[:, co] < batch.stream("compressed").flow[:, co]).all()
    assert ((batch.stream("shifted").flow[:, ch4] > 0) == (CASES["other.flow"] > 0)).all()
    for i in range(len(CASES["other.flow"])):
        one = fs.simulate(params={k: v[i:i + 1] for k, v in CASES.items()}, costing=False)
        for sid in ("compressed", "shifted"):
            a, b = one.stream(sid), batch.stream(sid)
            assert np.array_equal(a.flow[0], b.flow[i]), (sid, i)
            assert a.T[0] == b.T[i] and a.P[0] == b.P[i], (sid, i)


@pytest.mark.unit
def test_a_case_without_a_warm_start_does_not_cold_start_the_others():
    # recycle passes warm-start a reactor's equilibrium from each case's previous solution; a
    # case that has none yet (NaN row) used to turn the guess off for the whole batch
    from carbonhub.thermo.equilibrium import equilibrate

    sp = ["CO", "H2", "CO2", "H2O", "CH4"]
    m = np.array([[1.0, 2.0, 0.1, 0.5, 0.0], [1.0, 1.0, 0.3, 1.0, 0.1], [0.5, 3.0, 0.2, 0.2, 0.0]])
    T, P = np.array([900.0, 1000.0, 850.0]), np.array([20e5, 30e5, 5e5])
    near = equilibrate(sp, m, T + 5.0, P).moles  # a previous pass's solution
    guess = near.copy()
    guess[1] = np.nan  # case 1 has no previous solution
    batch = equilibrate(sp, m, T, P, guess=guess)
    for i in range(3):
        alone = equilibrate(sp, m[i:i + 1], T[i:i + 1], P[i:i + 1], guess=None if i == 1 else guess[i:i + 1])
        assert np.array_equal(alone.moles[0], batch.moles[i]) and alone.iterations[0] == batch.iterations[i]
    assert (batch.status == "ok").all()
    np.testing.assert_allclose(batch.moles, equilibrate(sp, m, T, P).moles, rtol=1e-9, atol=1e-12)
