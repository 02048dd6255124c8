"""The oil of Jahirul et al.'s HDPE:PS:PP mixes (fixed bed, 540 degC): its distillation cuts and
its aromatics against the fixed-bed slates, one test per data point. The numbers are typed from
the paper, not read from property_data.

SOURCE: Jahirul, M.I. et al. (2023), Standard diesel production from mixed waste plastics through
thermal pyrolysis and vacuum distillation, Energy Reports 9, 540-545 (open access; text read in a
stored copy, dydtkddl/20251202_pyrolysis_data, try02/EXTRACT/test5_p_o_modify/
Experiment_Results.md; the title is that of the stored abstract PII S2352-4847(23)01425-7, whose
figures are the text's). Mixes by mass HDPE:PS:PP 1:1:1, 2:1:1, 4:1:1, 8:1:1, heated at
6 degC/min to 540 degC. Section 4 (vacuum distillation of the crude oil, wt% of the oil):
petrol below 170 degC, diesel 170-380 degC, residue above 380 degC; section 5: aromatic
hydrocarbons (AH) of the crude oil.

SINGLE: Automobile fuels (diesel and petrol) from plastic pyrolysis oil - Production and
characterisation, Energy Reports, Elsevier PII S2352-4847(22)02154-0, abstract read in a stored
copy (dydtkddl/20251202_pyrolysis_data, try02/TEST6_all/qwen_results_test/
S2352484722021540__META_ABS.xml/input.txt; authors not in it): HDPE, PS and PP each pyrolysed in a batch reactor at 540 degC, the oils vacuum-distilled at
the same cuts (below 170, 170-380, above 380 degC): the PS oil "mostly yielded gasoline at around
70% by weight", the HDPE and PP oils "predominantly diesel at more than 50% by weight".

What is fitted: the 8:1:1 mix's oil yield (78 wt%) and its petrol (46 wt%) set PE's fixed-bed
point at 540 degC (property_data/pyrolysis_yields.yaml, PE fixed_bed_note), with PS's fixed-bed
oil at SINGLE's 70 % petrol (PS fixed_bed_note); every other figure here is a prediction. Cuts are counted as the route's fractionator counts them
(flowsheets/plastics_pyrolysis.py NAPHTHA and DIESEL: naphtha lumps, BTX, styrene; diesel
lumps, naphthalene; wax lumps for the residue). No scatter is published: tolerance 2.5 points,
as the mixes' oil yields in test_pyrolysis_data.py (the Hamburg replicate scatter of liquid).
"""
from __future__ import annotations

import pytest

from carbonhub.unitops.pyrolysis import OIL_PRODUCTS, mixture_yields

PETROL = ("C8H18", "C8H16", "C6H6", "C7H8", "C8H8", "C8H10", "C6H5OH", "CH3CN", "CH2Cl2")
DIESEL = ("C16H34", "C16H32", "C10H8")
RESIDUE = ("C30H62", "C30H60")
AROMATICS = ("C6H6", "C7H8", "C8H8", "C8H10", "C10H8")
TOL = 0.025


def _oil_shares(ratio: tuple) -> dict:
    """Shares of the condensable oil [kg/kg oil] of the HDPE:PS:PP mix ``ratio`` at 540 degC."""
    y = mixture_yields({"PE": ratio[0], "PS": ratio[1], "PP": ratio[2]}, 540.0 + 273.15, "fixed_bed")
    oil = sum(y[k] for k in OIL_PRODUCTS)
    return {name: sum(y[k] for k in keys) / oil for name, keys in
            (("petrol", PETROL), ("diesel", DIESEL), ("residue", RESIDUE), ("aromatics", AROMATICS))}


_PS_HEAVY = ("PS has its fixed-bed oil (SINGLE: 70 % petrol) and PE's split is refitted with it (before: PS's "
             "fluidised-bed oil, 82.5 % petrol: 1:1:1 0.579, 2:1:1 0.538, 4:1:1 0.496, now passing); PP keeps its "
             "fluidised-bed slate in a fixed bed (44 % petrol, 21 % wax, where SINGLE's batch PP oil is more than "
             "50 % diesel: test below). Additivity reaches the 1:1:1 petrol only with a PP oil of less than 5 % "
             "petrol (one without any would give 0.399): the 1:1:1 oil is heavier (8 % residue) than its "
             "polymers' oils add up to")


@pytest.mark.unit
def test_fit_point_8_1_1_petrol():
    """The fit (8:1:1 petrol 46 wt% of the oil) is reproduced to 0.1 point: PE's cut split is the
    one that gives it with PS and PP in the mix (before 2026-12-07 the mix's split was PE's own
    and the mix distilled 51.4 % petrol; refitted 2026-12-08 with PS's fixed-bed oil: naphtha
    0.389 -> 0.409)."""
    assert _oil_shares((8, 1, 1))["petrol"] == pytest.approx(0.46, abs=0.001)


@pytest.mark.unit
@pytest.mark.parametrize("ratio, cut, measured", [
    pytest.param((8, 1, 1), "diesel", 0.525, id="8_1_1-diesel"),
    pytest.param((8, 1, 1), "residue", 0.015, id="8_1_1-residue"),
    pytest.param((1, 1, 1), "residue", 0.08, id="1_1_1-residue"),
    pytest.param((1, 1, 1), "petrol", 0.39, id="1_1_1-petrol", marks=pytest.mark.xfail(
        strict=True, reason="model 0.536 against 0.39: " + _PS_HEAVY)),
    pytest.param((1, 1, 1), "diesel", 0.53, id="1_1_1-diesel", marks=pytest.mark.xfail(
        strict=True, reason="model 0.397 against 0.53: the same missing heavy products, counted as petrol")),
    pytest.param((2, 1, 1), "petrol", 0.465, id="2_1_1-petrol", marks=pytest.mark.xfail(
        strict=True, reason="model 0.510 against 0.465 (+2.0 beyond the tolerance): " + _PS_HEAVY)),
    pytest.param((4, 1, 1), "petrol", 0.46, id="4_1_1-petrol"),
])
def test_oil_distillation_540C_fixed_bed_jahirul_2023(ratio, cut, measured):
    """SOURCE, section 4: 8:1:1 diesel 52.5 and residue 1.5 wt% (the petrol is the fit; diesel
    and residue follow from the slates: PP's wax alone is 2.1 % of this oil); 1:1:1 petrol 39,
    diesel 53, residue 8 wt%; 2:1:1 petrol 46.5, 4:1:1 petrol 46 wt% (their diesel and residue
    are not given separately)."""
    assert _oil_shares(ratio)[cut] == pytest.approx(measured, abs=TOL), _oil_shares(ratio)


@pytest.mark.unit
@pytest.mark.parametrize("ratio, measured", [
    pytest.param((1, 1, 1), 0.428, id="1_1_1"),
    pytest.param((8, 1, 1), 0.24, id="8_1_1", marks=pytest.mark.xfail(strict=True, reason=(
        "model 0.150 against 0.24: PE's fixed-bed oil classes are Demirbas 2004's PIONA (2-6 vol% "
        "aromatics, a heated steel tube), while this slow-heated HDPE-rich oil holds 24 wt%; with the "
        "1:1:1 oil passing, the gap is PE's aromatisation in a slow bed, not PS's"))),
])
def test_oil_aromatics_540C_fixed_bed_jahirul_2023(ratio, measured):
    """SOURCE, section 5: aromatic hydrocarbons of the crude oil, 42.8 wt% (1:1:1) and 24 wt%
    (8:1:1); the model counts benzene, toluene, styrene, ethylbenzene/xylenes and naphthalene."""
    assert _oil_shares(ratio)["aromatics"] == pytest.approx(measured, abs=TOL), _oil_shares(ratio)


@pytest.mark.unit
def test_ps_fixed_bed_oil_is_70_pct_petrol_single():
    """SINGLE: the PS oil distils "around 70%" petrol at 540 degC; the PS fixed-bed slate's
    input (styrene, toluene, ethylbenzene in Miandad et al. 2016's ratio, the rest as the
    naphthalene lump standing for the dimers and trimers), checked through the slate's element
    closure (its hydrogen shifts and char) to 0.1 point. Not a prediction."""
    y = mixture_yields({"PS": 1}, 540.0 + 273.15, "fixed_bed")
    oil = sum(y[k] for k in OIL_PRODUCTS)
    assert sum(y[k] for k in PETROL) / oil == pytest.approx(0.70, abs=0.001)


@pytest.mark.unit
@pytest.mark.parametrize("polymer", [
    pytest.param("PE", id="HDPE"),
    pytest.param("PP", id="PP", marks=pytest.mark.xfail(strict=True, reason=(
        "model 0.341 (petrol 0.444, wax 0.215) against more than 0.50: PP keeps its fluidised-bed slate in a "
        "fixed bed; SINGLE gives a bound, not a split, so no PP fixed-bed cut split is entered from it"))),
])
def test_single_polymer_oil_is_mostly_diesel_540C_single(polymer):
    """SINGLE: the HDPE and PP oils hold "more than 50%" diesel (170-380 degC) at 540 degC.
    HDPE is a prediction of PE's fixed-bed split (fitted on the 8:1:1 mix, not on this oil)."""
    y = mixture_yields({polymer: 1}, 540.0 + 273.15, "fixed_bed")
    oil = sum(y[k] for k in OIL_PRODUCTS)
    assert sum(y[k] for k in DIESEL) / oil > 0.50
