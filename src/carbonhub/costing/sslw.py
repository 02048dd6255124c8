"""Seider-Seader-Lewin-Widagdo (SSLW) purchase-cost correlations, vectorised.

The coefficient tables (alpha constants, material, drive, tube-length, pump-type and motor
factors) are **read from the installed IDAES package** (``idaes/models/costing/SSLW.py``,
class ``SSLWCostingData``), by parsing its source with :mod:`ast` -- nothing is imported, so
neither Pyomo nor IDAES is loaded. One copy of the data thus serves both carbonhub engines.
The functional forms, which IDAES writes as Pyomo expressions, are re-implemented here with
numpy, including the few constants that appear only inside those expressions (cited to
Seider et al. and to the IDAES line they mirror); ``tests/costing/test_sslw.py`` checks every
function against the IDAES Pyomo expressions on one point with ``pyomo.environ.value``.

All costs are purchase costs [USD at CEPCI 500] (IDAES unit ``USD_CE500``), per unit times the
number of units (trains); escalate with ``indices.escalate(c, "idaes_CE500", year)``.
SSLW gives no bare-module factor here: pass an install factor in the unit table.

Unit conversions use exact definitions (NIST SP 811): 1 ft = 0.3048 m, 1 in = 0.0254 m,
1 lb = 0.45359237 kg, 1 hp = 745.69987158 W, 1 psi = 6894.757293 Pa, 1 atm = 101325 Pa,
1 Btu = 1055.056 J (ISO 31-4, the pint value Pyomo uses), 1 US gal = 3.785411784e-3 m3,
g0 = 9.80665 m/s2.

Example
-------
>>> from carbonhub.costing.sslw import sslw_compressor
>>> round(float(sslw_compressor(1000.0, material="CarbonSteel")))   # 1000 kW, USD CE500
622158

References
----------
.. [1] Seider, W.D., Seader, J.D., Lewin, D.R., Widagdo, S. (2009). Product and Process Design
   Principles: Synthesis, Analysis, and Evaluation, 3rd ed., Wiley, ISBN 978-0-470-04895-5,
   Chapter 22 (Section 22.5, purchase costs of the most widely used process equipment).
.. [2] IDAES-PSE, ``idaes.models.costing.SSLW`` (Zamarripa, Lee), the data source read here.
"""
from __future__ import annotations

import ast
import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from carbonhub.costing.correlations import check_size, parallel_trains
from carbonhub.units import ATM, HOUR, LB_KG

__all__ = [
    "sslw_tables",
    "sslw_heat_exchanger",
    "sslw_compressor",
    "sslw_fired_heater",
    "sslw_turbine",
    "sslw_blower",
    "sslw_fan",
    "sslw_pump",
    "sslw_vessel",
]

_FT = 0.3048
_IN = 0.0254
_LB = LB_KG
_HP_W = 745.69987158
_PSI = 6894.757293168
_ATM = ATM
_BTU = 1055.056   # Btu as defined in pint (used by Pyomo/IDAES units), ISO 31-4
_GAL = 3.785411784e-3
_G0 = 9.80665
# IDAES costing_base.register_idaes_currency_units: USD_CE394 = 500/394.0 USD_CE500
_CE394_TO_CE500 = 500.0 / 394.0


# ---------------------------------------------------------------------------------------------
# reading the tables from the installed IDAES source


def _sslw_path() -> Path:
    spec = importlib.util.find_spec("idaes")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("SSLW correlations are read from the installed idaes-pse package, "
                          "which was not found (pip install idaes-pse)")
    return Path(list(spec.submodule_search_locations)[0]) / "models" / "costing" / "SSLW.py"


def _literal(node: ast.AST, enums: dict[str, dict[str, str]]) -> Any:
    if isinstance(node, ast.Dict):
        return {_literal(k, enums): _literal(v, enums) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
            and node.value.id in enums:
        return enums[node.value.id][node.attr]
    return ast.literal_eval(node)


@lru_cache(maxsize=1)
def sslw_tables() -> dict[str, dict[str, Any]]:
    """Coefficient tables of every ``SSLWCostingData`` method, read from the IDAES source.

    Returns
    -------
    dict
        ``{method_name: {local_dict_name: dict, ...}}``; repeated names (e.g. the pump's
        centrifugal and reciprocating material factors) become lists in source order, and
        ``Param(initialize=...)`` constants are under ``"param:<name>"``. Enum keys are the
        IDAES string values (e.g. ``"Utube"``, ``"StainlessSteelStainlessSteel"``).
    """
    tree = ast.parse(_sslw_path().read_text(encoding="utf-8"))
    enums: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and b.id == "StrEnum" for b in node.bases):
            enums[node.name] = {
                t.targets[0].id: t.value.value for t in node.body
                if isinstance(t, ast.Assign) and isinstance(t.value, ast.Constant)}
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "SSLWCostingData")
    out: dict[str, dict[str, Any]] = {}
    for fn in cls.body:
        if not isinstance(fn, ast.FunctionDef):
            continue
        tables: dict[str, Any] = {}
        for node in ast.walk(fn):
            if not isinstance(node, ast.Assign) or len(node.targets) != 1:
                continue
            tgt = node.targets[0]
            if isinstance(tgt, ast.Name) and isinstance(node.value, ast.Dict):
                val = _literal(node.value, enums)
                if tgt.id in tables:
                    prev = tables[tgt.id]
                    tables[tgt.id] = (prev if isinstance(prev, list) else [prev]) + [val]
                else:
                    tables[tgt.id] = val
            elif isinstance(tgt, ast.Attribute) and isinstance(node.value, ast.Call):
                for kw in node.value.keywords:
                    if kw.arg == "initialize" and isinstance(kw.value, ast.Constant):
                        tables[f"param:{tgt.attr}"] = kw.value.value
        out[fn.name] = tables
    return out


def _t(method: str, name: str) -> Any:
    try:
        return sslw_tables()[method][name]
    except KeyError:
        raise KeyError(f"table {name!r} of SSLWCostingData.{method} not found in the installed "
                       f"IDAES ({_sslw_path()}); the IDAES version may have changed") from None


def _pick(table: dict, key: str, what: str):
    try:
        return table[key]
    except KeyError:
        raise ValueError(f"SSLW {what}: unknown option {key!r}; expected one of "
                         f"{sorted(map(str, table))}") from None


def _trains(size, s_max, item, unit):
    if s_max is None:
        s = check_size(size, item, unit)
        return np.ones(s.shape, dtype=np.int64), s
    return parallel_trains(size, s_max, None, item=item, unit=unit)


# ---------------------------------------------------------------------------------------------
# correlations


def sslw_heat_exchanger(area_m2, *, hx_type: str = "Utube",
                        material: str = "StainlessSteelStainlessSteel",
                        tube_length: str = "12ft", pressure_barg=0.0,
                        s_max_m2: float | None = None, return_trains: bool = False):
    """Shell-and-tube heat exchanger purchase cost [USD, CE500] (SSLW Eqs. 22.39-22.44).

    ``C_B = exp(a1 - a2 ln(A_ft2 f_o) + a3 ln(A_ft2 f_o)^2)`` with the IDAES oversize factor
    ``f_o``; ``C_P = F_P F_M F_L C_B``, ``F_M = a + (A_ft2/100)^b`` (1 for CS/CS),
    ``F_P = 0.9803 + 0.018 (P/100) + 0.0017 (P/100)^2`` with P the tube-side pressure [psig].

    Parameters
    ----------
    area_m2 : float or ndarray, shape (n_cases,)
        Heat-transfer area [m2] (all units together).
    hx_type, material, tube_length : str
        IDAES ``HXType``, ``HXMaterial``, ``HXTubeLength`` values.
    pressure_barg : float or ndarray
        Tube-side pressure [barg].
    s_max_m2 : float, optional
        Area per unit above which parallel units are used [m2].
    return_trains : bool
        Also return the number of units.
    """
    tab = sslw_tables()["cost_heat_exchanger"]
    a = _pick(tab["alpha_dict"], hx_type, "heat exchanger hx_type")
    mf = _pick(tab["hx_material_factor_dict"], material, "heat exchanger material")
    fl = _pick(tab["c_fl"], tube_length, "heat exchanger tube_length")
    n, area = _trains(area_m2, s_max_m2, "sslw.heat_exchanger", "m2")
    a_ft2 = area / _FT**2
    la = np.log(a_ft2 * tab["param:hx_oversize"])
    base = np.exp(a[1] - a[2] * la + a[3] * la * la)
    fm = 1.0 if material == "CarbonSteelCarbonSteel" else mf["A"] + (a_ft2 / 100.0) ** mf["B"]
    p = np.asarray(pressure_barg, dtype=float) * 1e5 / _PSI / 100.0   # psig / 100
    # pressure factor, SSLW Eq. 22.45 (IDAES cost_heat_exchanger p_factor_eq, 100-2000 psig)
    fp = 0.9803 + 0.0180 * p + 0.0017 * p * p
    cost = n * fp * fm * fl * base
    return (cost, n) if return_trains else cost


def sslw_compressor(power_kW, *, compressor_type: str = "Centrifugal",
                    drive: str = "ElectricMotor", material: str = "StainlessSteel",
                    s_max_kW: float | None = None, return_trains: bool = False):
    """Compressor purchase cost [USD, CE500]: ``F_D F_M exp(a1 + a2 ln P_hp)`` (SSLW Eq. 22.57).

    Parameters
    ----------
    power_kW : float or ndarray, shape (n_cases,)
        Shaft power [kW] (all units together).
    compressor_type, drive, material : str
        IDAES ``CompressorType``, ``CompressorDriveType``, ``CompressorMaterial`` values.
    """
    tab = sslw_tables()["cost_compressor"]
    a = _pick(tab["alpha_dict"], compressor_type, "compressor type")
    fd = _pick(tab["FD_param"], drive, "compressor drive")
    fm = _pick(tab["material_factor_dict"], material, "compressor material")
    n, p = _trains(power_kW, s_max_kW, "sslw.compressor", "kW")
    hp = p * 1e3 / _HP_W
    cost = n * fd * fm * np.exp(a[1] + a[2] * np.log(hp))
    return (cost, n) if return_trains else cost


def sslw_fired_heater(duty_kW, *, heat_source: str = "Fuel", material: str = "CarbonSteel",
                      pressure_barg=0.0, s_max_kW: float | None = None,
                      return_trains: bool = False):
    """Fired heater purchase cost [USD, CE500] (SSLW Eqs. 22.48-22.54).

    ``C_P = F_M F_P C_B(Q)`` with Q per unit [Btu/h] and
    ``F_P = 0.986 - 0.0035 (P/500) + 0.0175 (P/500)^2`` (P [psig]).
    """
    fm = _pick(sslw_tables()["cost_fired_heater"]["material_factor_dict"], material,
               "fired heater material")
    n, q_kw = _trains(duty_kW, s_max_kW, "sslw.fired_heater", "kW")
    q = q_kw * 1e3 * HOUR / _BTU            # Btu/h
    lq = np.log(q)
    # base-cost forms of IDAES cost_fired_heater base_cost_per_unit_eq [SSLW Eqs. 22.48-22.54]
    forms = {
        "Fuel": lambda: np.exp(0.32325 + 0.766 * lq),
        "Reformer": lambda: 0.859 * q**0.81,
        "Pyrolysis": lambda: 0.650 * q**0.81,
        "HotWater": lambda: np.exp(9.593 - 0.3769 * lq + 0.03434 * lq * lq),
        "Salts": lambda: 12.32 * q**0.64,
        "DowthermA": lambda: 12.74 * q**0.65,
        "SteamBoiler": lambda: 0.367 * q**0.77,
    }
    base = _pick(forms, heat_source, "fired heater heat_source")()
    p = np.asarray(pressure_barg, dtype=float) * 1e5 / _PSI / 500.0
    fp = 0.986 - 0.0035 * p + 0.0175 * p * p
    cost = n * fm * fp * base
    return (cost, n) if return_trains else cost


def sslw_turbine(power_kW, *, s_max_kW: float | None = None, return_trains: bool = False):
    """Gas expander / turbine purchase cost [USD, CE500]: ``530 P_hp^0.81`` (SSLW Eq. 22.60).

    The constants sit in IDAES ``cost_turbine`` capital_cost_constraint.
    """
    n, p = _trains(power_kW, s_max_kW, "sslw.turbine", "kW")
    cost = n * 530.0 * (p * 1e3 / _HP_W) ** 0.81
    return (cost, n) if return_trains else cost


def sslw_blower(power_kW, *, blower_type: str = "Centrifugal",
                material: str = "StainlessSteel", s_max_kW: float | None = None,
                return_trains: bool = False):
    """Blower purchase cost [USD, CE500]: ``F_M exp(a1 + a2 ln P - a3 (ln P)^2)``, P [hp]."""
    tab = sslw_tables()["cost_blower"]
    a = _pick(tab["alpha_dict"], blower_type, "blower type")
    fm = _pick(tab["material_factor_dict"], material, "blower material")
    n, p = _trains(power_kW, s_max_kW, "sslw.blower", "kW")
    lp = np.log(p * 1e3 / _HP_W)
    cost = n * fm * np.exp(a[1] + a[2] * lp - a[3] * lp * lp)
    return (cost, n) if return_trains else cost


def sslw_fan(flow_m3_s, *, fan_type: str = "CentrifugalBackward",
             material: str = "StainlessSteel", head_factor: float = 1.45,
             s_max_m3_s: float | None = None, return_trains: bool = False):
    """Fan purchase cost [USD, CE500]: ``F_M F_H exp(a1 - a2 ln Q + a3 (ln Q)^2)``, Q [ft3/min].

    ``head_factor`` defaults to the IDAES default 1.45 (``cost_fan(fan_head_factor=1.45)``).
    """
    tab = sslw_tables()["cost_fan"]
    a = _pick(tab["alpha_dict"], fan_type, "fan type")
    fm = _pick(tab["material_factor_dict"], material, "fan material")
    n, f = _trains(flow_m3_s, s_max_m3_s, "sslw.fan", "m3/s")
    lq = np.log(f / _FT**3 * 60.0)
    cost = n * fm * head_factor * np.exp(a[1] - a[2] * lq + a[3] * lq * lq)
    return (cost, n) if return_trains else cost


def sslw_pump(flow_m3_s, *, head_m, power_kW, material: str = "StainlessSteel",
              pump_type_factor: float = 1.4, motor: str = "open",
              s_max_m3_s: float | None = None, return_trains: bool = False):
    """Centrifugal pump + electric motor purchase cost [USD, CE500] (SSLW Eqs. 22.13-22.20).

    Pump: ``F_T F_M exp(9.7171 - 0.6019 ln S + 0.0519 (ln S)^2)`` [CE394] with the size factor
    ``S = Q_gpm H_ft^0.5``; motor: efficiency ``0.80 + 0.0319 ln P - 0.00182 (ln P)^2`` and
    ``exp(5.8259 + 0.13141 ln P_c + 0.053255 (ln P_c)^2 + 0.028628 (ln P_c)^3
    - 0.0035549 (ln P_c)^4)`` [CE394] on the motor power ``P_c = P/eta`` [hp]; converted to
    CE500 with IDAES's ``USD_CE394 = 500/394 USD_CE500``.

    Parameters
    ----------
    flow_m3_s : float or ndarray
        Volumetric flow [m3/s] (all units together).
    head_m : float or ndarray
        Pump head [m of liquid] (= delta P / (rho g0)).
    power_kW : float or ndarray
        Shaft (brake) power of all units [kW].
    material, motor : str
        IDAES ``PumpMaterial`` and ``PumpMotorType`` values.
    pump_type_factor : float
        SSLW centrifugal pump type key (1.1, 1.2, 1.3, 1.4, 2.1, 2.2).
    """
    tab = sslw_tables()["cost_pump"]
    fm = _pick(tab["material_factor_dict"][0], material, "pump material")
    ft = _pick(tab["pump_type_factor_dict"], pump_type_factor, "pump type factor")
    fmot = _pick(tab["pump_motor_type_dict"], motor, "pump motor type")
    n, q = _trains(flow_m3_s, s_max_m3_s, "sslw.pump", "m3/s")
    w = check_size(power_kW, "sslw.pump", "kW") / n
    h_ft = np.asarray(head_m, dtype=float) / _FT
    s = q / _GAL * 60.0 * np.sqrt(h_ft)
    ls = np.log(s)
    pump = ft * fm * np.exp(9.7171 - 0.6019 * ls + 0.0519 * ls * ls)
    hp = w * 1e3 / _HP_W
    lh = np.log(hp)
    eta = 0.80 + 0.0319 * lh - 0.00182 * lh * lh
    lm = np.log(hp / eta)
    motor_c = fmot * np.exp(5.8259 + 0.13141 * lm + 0.053255 * lm**2 + 0.028628 * lm**3
                            - 0.0035549 * lm**4)
    cost = n * (pump + motor_c) * _CE394_TO_CE500
    return (cost, n) if return_trains else cost


def sslw_vessel(diameter_m, length_m, *, vertical: bool = True, material: str = "Carbon_steel",
                shell_thickness_m: float = 1.25 * _IN, include_platforms_ladders: bool = True,
                weight_limit: int = 1, aspect_ratio_range: int = 1, n_units=1):
    """Pressure vessel (shell) purchase cost [USD, CE500] from its weight (SSLW Eqs. 22.53-22.59).

    ``W = pi (D + t)(L + 0.8 D) t rho`` [lb, inch]; ``C_V = exp(a1 + a2 ln W + a3 (ln W)^2)``;
    ``C_P = F_M C_V + C_PL`` with platforms and ladders ``C_PL`` (horizontal
    ``2005 D^0.20294``; vertical ``361.8 D^0.73960 L^0.70684`` or, for aspect range 2,
    ``309.9 D^0.63316 L^0.80161``; D, L [ft]). The IDAES default shell thickness (1.25 in)
    already includes the pressure allowance, so there is no pressure factor.
    """
    tab = sslw_tables()["cost_vessel"]
    mat = _pick(tab["material_factor_dict"], material, "vessel material")
    a = tab["alpha_dict"]["V" if vertical else "H"][weight_limit]
    if a is None:
        raise ValueError(f"SSLW vessel: weight_limit {weight_limit!r} is only valid for "
                         "vertical vessels")
    d = check_size(diameter_m, "sslw.vessel", "m (diameter)")
    ln_ = check_size(length_m, "sslw.vessel", "m (length)")
    d_in, l_in, t_in = d / _IN, ln_ / _IN, shell_thickness_m / _IN
    w = np.pi * (d_in + t_in) * (l_in + 0.8 * d_in) * t_in * mat["density"]
    lw = np.log(w)
    cost = mat["factor"] * np.exp(a[1] + a[2] * lw + a[3] * lw * lw)
    if include_platforms_ladders:
        d_ft, l_ft = d / _FT, ln_ / _FT
        if not vertical:
            cost = cost + 2005.0 * d_ft**0.20294
        elif aspect_ratio_range == 1:
            cost = cost + 361.8 * d_ft**0.73960 * l_ft**0.70684
        elif aspect_ratio_range == 2:
            cost = cost + 309.9 * d_ft**0.63316 * l_ft**0.80161
        else:
            raise ValueError(f"SSLW vessel: aspect_ratio_range must be 1 or 2, got "
                             f"{aspect_ratio_range!r}")
    return cost * np.asarray(n_units, dtype=float)
