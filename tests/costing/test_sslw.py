"""SSLW correlations (numpy, tables read from the IDAES source) against the IDAES Pyomo
expressions of ``idaes.models.costing.SSLW.SSLWCostingData`` on one point each.

The IDAES costing methods are called on a Pyomo block whose ``unit_model`` is a light stand-in
exposing exactly the variables each method reads (area, pressure, work, duty, flow, ...); the
costing variables are then computed constraint by constraint with
``calculate_variable_from_constraint`` (no solver) and compared with ``pyomo.environ.value``.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from carbonhub.costing import sslw

pyo = pytest.importorskip("pyomo.environ")

RTOL = 1e-10


@pytest.fixture(scope="module")
def idaes_sslw():
    from idaes.core import register_idaes_currency_units
    from idaes.models.costing import SSLW

    register_idaes_currency_units()
    return SSLW


def _model():
    m = pyo.ConcreteModel()
    m.time = pyo.Set(initialize=[0], ordered=True)
    return m


def _var(m, name, value, units):
    v = pyo.Var(m.time, initialize=value, units=units)
    m.add_component(name, v)
    v.fix()
    return v


def _cost_block(m, unit):
    m.c = pyo.Block()
    object.__setattr__(m.c, "unit_model", unit)
    return m.c


def _solve(blk, pairs):
    from pyomo.util.calc_var_value import calculate_variable_from_constraint

    for var, con in pairs:
        calculate_variable_from_constraint(getattr(blk, var), getattr(blk, con))
    return pyo.value(pyo.units.convert(blk.capital_cost, to_units=pyo.units.USD_CE500))


@pytest.mark.component
def test_tables_are_read_without_importing_pyomo():
    import subprocess
    import sys

    code = ("import sys; from carbonhub.costing.sslw import sslw_tables; t = sslw_tables(); "
            "assert t['cost_compressor']['alpha_dict']['Centrifugal'][1] == 7.58; "
            "assert 'pyomo' not in sys.modules and 'idaes' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.component
def test_heat_exchanger_matches_idaes(idaes_sslw):
    m = _model()
    area = pyo.Var(initialize=250.0, units=pyo.units.m**2)
    m.area = area
    area.fix()
    p = _var(m, "P", 31e5, pyo.units.Pa)
    unit = SimpleNamespace(area=area, name="hx", flowsheet=lambda: SimpleNamespace(time=m.time),
                           hot_side=SimpleNamespace(properties_in={0: SimpleNamespace(
                               pressure=p[0])}))
    blk = _cost_block(m, unit)
    S = idaes_sslw
    S.SSLWCostingData.cost_heat_exchanger(blk, hx_type=S.HXType.floating_head,
                                          material_type=S.HXMaterial.CarbonSteelStainlessSteel,
                                          tube_length=S.HXTubeLength.SixteenFoot)
    ref = _solve(blk, [("base_cost_per_unit", "base_cost_per_unit_eq"),
                       ("material_factor", "hx_material_eqn"),
                       ("pressure_factor", "p_factor_eq"),
                       ("capital_cost", "capital_cost_constraint")])
    got = sslw.sslw_heat_exchanger(250.0, hx_type="floating_head",
                                   material="CarbonSteelStainlessSteel", tube_length="16ft",
                                   pressure_barg=(31e5 - 101325.0) / 1e5)
    assert float(got) == pytest.approx(ref, rel=RTOL)


def _pc_unit(m, *, compressor=True, work=None, flow_vol=None, pressure=None, dens=None,
             delta_p=None):
    from idaes.models.unit_models.pressure_changer import ThermodynamicAssumption

    props = SimpleNamespace(pressure=pressure, flow_vol=flow_vol, dens_mass=dens)
    return SimpleNamespace(
        name="pc", flowsheet=lambda: SimpleNamespace(time=m.time),
        config=SimpleNamespace(compressor=compressor,
                               thermodynamic_assumption=ThermodynamicAssumption.isentropic),
        work_mechanical=work, deltaP=delta_p,
        control_volume=SimpleNamespace(properties_in={0: props}))


@pytest.mark.component
def test_compressor_matches_idaes(idaes_sslw):
    m = _model()
    w = _var(m, "W", 2.5e6, pyo.units.W)
    blk = _cost_block(m, _pc_unit(m, work=w))
    S = idaes_sslw
    S.SSLWCostingData.cost_compressor(blk, compressor_type=S.CompressorType.Screw,
                                      drive_type=S.CompressorDriveType.SteamTurbine,
                                      material_type=S.CompressorMaterial.NickelAlloy)
    ref = _solve(blk, [("base_cost_per_unit", "base_cost_per_unit_eq"),
                       ("capital_cost", "capital_cost_constraint")])
    got = sslw.sslw_compressor(2500.0, compressor_type="Screw", drive="SteamTurbine",
                               material="NickelAlloy")
    assert float(got) == pytest.approx(ref, rel=RTOL)


@pytest.mark.component
def test_turbine_blower_fan_match_idaes(idaes_sslw):
    S = idaes_sslw
    m = _model()
    w = _var(m, "W", -1.8e6, pyo.units.W)
    blk = _cost_block(m, _pc_unit(m, compressor=False, work=w))
    S.SSLWCostingData.cost_turbine(blk)
    ref = _solve(blk, [("capital_cost", "capital_cost_constraint")])
    assert float(sslw.sslw_turbine(1800.0)) == pytest.approx(ref, rel=RTOL)

    m = _model()
    w = _var(m, "W", 150e3, pyo.units.W)
    blk = _cost_block(m, _pc_unit(m, work=w))
    S.SSLWCostingData.cost_blower(blk, blower_type=S.BlowerType.Rotary,
                                  material_type=S.BlowerMaterial.Aluminum)
    ref = _solve(blk, [("base_cost_per_unit", "base_cost_per_unit_eq"),
                       ("capital_cost", "capital_cost_constraint")])
    got = sslw.sslw_blower(150.0, blower_type="Rotary", material="Aluminum")
    assert float(got) == pytest.approx(ref, rel=RTOL)

    m = _model()
    q = _var(m, "Q", 12.0, pyo.units.m**3 / pyo.units.s)
    blk = _cost_block(m, _pc_unit(m, flow_vol=q[0]))
    S.SSLWCostingData.cost_fan(blk, fan_type=S.FanType.VaneAxial,
                               material_type=S.FanMaterial.Fiberglass)
    ref = _solve(blk, [("base_cost_per_unit", "base_cost_per_unit_eq"),
                       ("capital_cost", "capital_cost_constraint")])
    got = sslw.sslw_fan(12.0, fan_type="VaneAxial", material="Fiberglass")
    assert float(got) == pytest.approx(ref, rel=RTOL)


@pytest.mark.component
def test_fired_heater_matches_idaes(idaes_sslw):
    S = idaes_sslw
    for source in (S.HeaterSource.Fuel, S.HeaterSource.HotWater, S.HeaterSource.Reformer):
        m = _model()
        q = _var(m, "Q", 20e6, pyo.units.W)
        p = _var(m, "P", 25e5, pyo.units.Pa)
        unit = SimpleNamespace(name="h", flowsheet=lambda m=m: SimpleNamespace(time=m.time),
                               heat_duty=q, control_volume=SimpleNamespace(
                                   properties_in={0: SimpleNamespace(pressure=p[0])}))
        blk = _cost_block(m, unit)
        S.SSLWCostingData.cost_fired_heater(blk, heat_source=source,
                                            material_type=S.HeaterMaterial.CrMoSteel)
        ref = _solve(blk, [("pressure_factor", "pressure_factor_eq"),
                           ("base_cost_per_unit", "base_cost_per_unit_eq"),
                           ("capital_cost", "capital_cost_constraint")])
        got = sslw.sslw_fired_heater(20e3, heat_source=source.value, material="CrMoSteel",
                                     pressure_barg=(25e5 - 101325.0) / 1e5)
        assert float(got) == pytest.approx(ref, rel=RTOL), source


@pytest.mark.component
def test_pump_matches_idaes(idaes_sslw):
    S = idaes_sslw
    m = _model()
    w = _var(m, "W", 40e3, pyo.units.W)
    dp = _var(m, "dP", 12e5, pyo.units.Pa)
    q = _var(m, "Q", 0.05, pyo.units.m**3 / pyo.units.s)
    rho = _var(m, "rho", 850.0, pyo.units.kg / pyo.units.m**3)
    blk = _cost_block(m, _pc_unit(m, work=w, flow_vol=q[0], dens=rho[0], delta_p=dp))
    S.SSLWCostingData.cost_pump(blk, pump_type=S.PumpType.Centrifugal,
                                material_type=S.PumpMaterial.CastSteel, pump_type_factor=1.3,
                                motor_type=S.PumpMotorType.Enclosed)
    ref = _solve(blk, [("pump_head", "pump_head_eq"), ("size_factor", "size_factor_eq"),
                       ("base_pump_cost_per_unit", "base_pump_cost_per_unit_eq"),
                       ("pump_capital_cost", "pump_capital_cost_eq"),
                       ("base_motor_cost_per_unit", "base_motor_cost_eq"),
                       ("motor_capital_cost", "motor_capital_cost_eq"),
                       ("capital_cost", "capital_cost_constraint")])
    got = sslw.sslw_pump(0.05, head_m=12e5 / (850.0 * 9.80665), power_kW=40.0,
                         material="CastSteel", pump_type_factor=1.3, motor="enclosed")
    assert float(got) == pytest.approx(ref, rel=1e-9)


@pytest.mark.component
def test_vessel_matches_idaes(idaes_sslw):
    S = idaes_sslw
    for vertical in (True, False):
        m = _model()
        m.D = pyo.Var(initialize=2.5, units=pyo.units.m)
        m.L = pyo.Var(initialize=9.0, units=pyo.units.m)
        m.D.fix()
        m.L.fix()
        blk = _cost_block(m, SimpleNamespace(name="v", diameter=m.D, length=m.L))
        S.SSLWCostingData.cost_vessel(blk, vertical=vertical,
                                      material_type=S.VesselMaterial.StainlessSteel316)
        ref = _solve(blk, [("weight", "weight_eq"), ("base_cost_per_unit", "base_cost_constraint"),
                           ("base_cost_platforms_ladders", "cost_platforms_ladders_eq"),
                           ("capital_cost", "capital_cost_constraint")])
        got = sslw.sslw_vessel(2.5, 9.0, vertical=vertical, material="StainlessSteel316")
        assert float(got) == pytest.approx(ref, rel=RTOL), vertical


@pytest.mark.unit
def test_vectorised_and_trains():
    from carbonhub.costing import CostRangeWarning

    a = np.array([100.0, 500.0, 3000.0])
    with pytest.warns(CostRangeWarning, match="3 parallel trains"):
        c, n = sslw.sslw_heat_exchanger(a, s_max_m2=1000.0, pressure_barg=10.0,
                                        return_trains=True)
    assert n.tolist() == [1, 1, 3]
    one = sslw.sslw_heat_exchanger(1000.0, pressure_barg=10.0)
    assert c[2] == pytest.approx(3 * float(one), rel=1e-12)


@pytest.mark.unit
def test_bad_options_name_the_value():
    with pytest.raises(ValueError, match="Unobtainium"):
        sslw.sslw_compressor(100.0, material="Unobtainium")
    with pytest.raises(ValueError, match="sslw.compressor.*-5"):
        sslw.sslw_compressor(-5.0)
