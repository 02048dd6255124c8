"""Fixed-bed (batch) pyrolysis yields at 500 degC against cited experiments: the second
temperature of the fixed-bed slates (the first, 540 degC, is Jahirul et al. 2023's four
HDPE:PS:PP mixes in tests/unitops/test_pyrolysis_data.py). One test per data point, with its
source and tolerance; the numbers are typed from the sources, not read from property_data.

GENUINO: Genuino, Ruiz, Heeres, Kersten (2023), Pyrolysis of mixed plastic waste: Predicting
the product yields, Waste Manag. 156:208-215, PII S0956-053X(22)00582-7: batch reactor,
500 degC, Table 1 (gas / oil-wax / solid wt%). The Table 1 figures are transcribed in a public
thesis repository (beebzy-droid/ipis-thesis-pyrolysis-epr, src/verify_vs_genuino.py), not
read in the paper (property_data/pyrolysis_yields.yaml, genuino_2023, verified false).

Tolerance (no replicate scatter is in the transcription): the experiment's own mass balance.
The measured lumps sum to less than 100 %; the true yield of a lump is at least what was
collected and at most that plus all that the balance leaves unaccounted; 0.5 point either side
for the rounding of the published whole numbers. Yields per kg of polymer; "liquid" is all the
condensables (oil, reaction water, water-soluble organics: the paper's oil/wax is the
condensed product).

Where the model falls outside, the test is a strict xfail with the deviation and the reason:
PP keeps its fluidised-bed slate in a fixed bed and PS its fluidised-bed gas and char
(pyrolysis_yields.yaml, PE fixed_bed_note says why; PS fixed_bed_note), and mixtures rich in PET give more char and less condensable product
than their polymers alone (an interaction the additive model does not have). PET's own
fixed-bed slate is the paper's PET row, its aromatic acids carried element for element by
carbonhub's lumps (PET fixed_bed_note).
"""
from __future__ import annotations

import pytest

from carbonhub.unitops.pyrolysis import GAS_PRODUCTS, OIL_PRODUCTS, mixture_yields

LUMPS = ("gas", "liquid", "solids")


def _fixed_bed(mix: dict, T_C: float = 500.0) -> dict:
    y = mixture_yields(mix, T_C + 273.15, "fixed_bed")
    return {"gas": sum(y[k] for k in GAS_PRODUCTS if k != "HCl"),
            "liquid": sum(y[k] for k in OIL_PRODUCTS) + y["H2O"] + y["CH3COOH"], "solids": y["C(s)"]}


def _within_balance(got: float, measured: dict, lump: str) -> bool:
    """``measured``: wt% of gas, liquid, solids; the interval of GENUINO's tolerance."""
    unaccounted = 100.0 - sum(measured.values())
    return measured[lump] - 0.5 <= 100.0 * got <= measured[lump] + unaccounted + 0.5


def _case(id_, mix, measured, xfail=None):
    out = []
    for lump in LUMPS:
        marks = ()
        if xfail and lump in xfail:
            marks = pytest.mark.xfail(strict=True, reason=xfail[lump])
        out.append(pytest.param(mix, measured, lump, id=f"{id_}-{lump}", marks=marks))
    return out


_PET_PAIR = ("PET's fixed-bed slate is the paper's own PET row (gas 9, condensables 54 + the unclosed 5, "
             "char 32 wt%); the additive sum of the paper's own single-polymer rows gives")
MIX_20 = {"PE": 62.5, "PP": 14.0, "PS": 3.5, "PET": 20.0}   # HDPE 31.25 + LDPE 31.25 as PE
MIX_45 = {"PE": 44.0, "PP": 9.0, "PS": 2.0, "PET": 45.0}    # HDPE 22 + LDPE 22 as PE


@pytest.mark.unit
@pytest.mark.parametrize("mix, measured, lump", [
    *_case("virgin_mix_20pct_PET", MIX_20, {"gas": 3.0, "liquid": 84.0, "solids": 8.0}, xfail={
        "solids": "model 6.6 wt% against 7.5-13.5: a PET-polyolefin interaction (more char than the "
                  "single polymers give: " + _PET_PAIR + " 6.5 wt% too), not in the additive model"}),
    *_case("virgin_mix_45pct_PET", MIX_45, {"gas": 5.0, "liquid": 72.0, "solids": 19.0}, xfail={
        "liquid": "model 78.3 wt% against 71.5-76.5 (+1.8 above the bound): above 33 wt% PET the paper "
                  "finds less condensable product and more solids than its own superposition predicts "
                  "(abstract, superposition_2023; " + _PET_PAIR + " 76.6): a PET-polyolefin "
                  "interaction, not in the additive model",
        "solids": "model 14.7 wt% against 18.5-23.5: the same PET interaction (" + _PET_PAIR + " 14.5)"}),
])
def test_virgin_polymer_mixes_500C_batch_genuino_2023(mix, measured, lump):
    """GENUINO, Table 1, the two mixes of virgin polymers (not fitted: predictions of the
    additive model from the fixed-bed slates at 500 degC). Passing: the gas of both mixes and
    the condensables of the 20 % PET mix (0.745 before the PE fixed-bed point at 500 degC; the
    gas was 12.0 and 20.1 wt% before PET's fixed-bed point: its fluidised-bed CO2 and CO)."""
    assert _within_balance(_fixed_bed(mix)[lump], measured, lump), (lump, _fixed_bed(mix))


_FLUID = "keeps its fluidised-bed slate in a fixed bed (PE fixed_bed_note: why Genuino's is not entered)"
_PS_FIXED = ("PS's fixed-bed points take their oil's composition from fixed-bed data but keep the fluidised-bed "
             "gas and char inputs (PS fixed_bed_note; PE fixed_bed_note: why Genuino's row is not entered)")


@pytest.mark.unit
@pytest.mark.parametrize("mix, measured, lump", [
    *_case("HDPE", {"PE": 1}, {"gas": 4.0, "liquid": 94.0, "solids": 0.0}),
    *_case("LDPE", {"PE": 1}, {"gas": 4.0, "liquid": 96.0, "solids": 0.0}),
    *_case("PP", {"PP": 1}, {"gas": 4.0, "liquid": 96.0, "solids": 0.0}, xfail={
        "gas": "model 12.6 wt% against 3.5-4.5: PP " + _FLUID,
        "liquid": "model 87.1 wt% against 95.5-96.5: PP " + _FLUID}),
    *_case("PS", {"PS": 1}, {"gas": 2.0, "liquid": 94.0, "solids": 4.0}, xfail={
        "gas": "model 1.1 wt% against 1.5-2.5 (1.4 before PS's fixed-bed oil): " + _PS_FIXED,
        "liquid": "model 97.1 wt% against 93.5-94.5: " + _PS_FIXED,
        "solids": "model 1.8 wt% against 3.5-4.5 (1.5 before PS's fixed-bed oil): " + _PS_FIXED}),
    *_case("PET", {"PET": 1}, {"gas": 9.0, "liquid": 54.0, "solids": 32.0}),
])
def test_single_polymers_500C_batch_genuino_2023(mix, measured, lump):
    """GENUINO, Table 1, the virgin polymers. HDPE and LDPE are the input of the PE fixed-bed
    point at 500 degC (gas 4 wt% entered, oil by difference), PET of PET's (char 32 and gas
    9 wt% entered, its acids carried by carbonhub's lumps): they check that the element
    closure keeps them (PET's was gas 38.1 and char 5.0 wt% with its fluidised-bed slate).
    PP and PS are predictions of their fluidised-bed slates."""
    assert _within_balance(_fixed_bed(mix)[lump], measured, lump), (lump, _fixed_bed(mix))


BELDEN = ("Belden et al. (WPI), Machine Learning Predictions of Oil Yields Obtained by Plastic Pyrolysis and "
          "Application to Thermodynamic Analysis, Supporting Information, Table SI.1 (a compilation of 325 "
          "literature points; rows read in a stored copy, their sources not named in the part read)")


@pytest.mark.unit
@pytest.mark.parametrize("oil", [
    pytest.param(0.95, id="LDPE_10Cmin_source1"),
    pytest.param(0.62, id="HDPE_5Cmin_source3", marks=pytest.mark.xfail(strict=True, reason=(
        "model 0.960 against 0.62: a third laboratory's HDPE (5 degC/min, 100 g) makes 34 points less oil "
        "than Genuino's HDPE (0.94) and the LDPE row above (0.95) at the same temperature; the fixed-bed "
        "slate follows the laboratory whose mixtures are tested"))),
])
def test_pe_fixed_bed_500C_independent_belden_si(oil):
    """BELDEN: non-catalytic fixed-bed PE at 500 degC from two other laboratories (independent of
    the slate's input). Tolerance: 2.5 points (the Hamburg replicate scatter of
    test_pyrolysis_data.py; the compilation gives none)."""
    assert _fixed_bed({"PE": 1})["liquid"] == pytest.approx(oil, abs=0.025)


@pytest.mark.unit
def test_fixed_bed_pe_falls_between_500_and_540C():
    """The fixed-bed PE slate is linear between its points: at 520 degC the oil lies between
    the 500 degC point (0.96) and the 540 degC fit (0.759), at their mean within 0.5 point."""
    oil = {T: mixture_yields({"PE": 1}, T + 273.15, "fixed_bed") for T in (500.0, 520.0, 540.0)}
    liq = {T: sum(y[k] for k in OIL_PRODUCTS) for T, y in oil.items()}
    assert liq[500.0] > liq[520.0] > liq[540.0]
    assert liq[520.0] == pytest.approx(0.5 * (0.96 + 0.759), abs=0.005)


JEI_2021 = ("Slow pyrolysis of an LDPE/PP mixture: Kinetics and process performance, J. Energy Inst. (2021), "
            "Elsevier PII S1743-9671(21)00038-6, abstract read in a stored copy (dydtkddl/20251202_pyrolysis_data, "
            "try03_20251202/qwen_results_v2/S1743967121000386__META_ABS.xml/input.txt; authors not in it): LDPE 92.5 "
            "+ PP 7.5 wt% in a semi-batch reactor, atmospheric N2: oil/wax 42 -> 62, solid 21 -> 5, gas 37 -> 34 wt% "
            "from 420 to 500 degC")
_SEMI = ("a third laboratory's semi-batch reactor: {gas} wt% gas where Genuino's batch PE gives 4 and Jahirul's "
         "mixes fit; its {solid} wt% solid at {T} degC is polymer or wax left in a slow run (the slates have no "
         "conversion kinetics). Fixed-bed PE oil at 500 degC spans 62-96 wt% between laboratories (Belden SI above): "
         "the slate follows the laboratory whose mixtures are tested")


@pytest.mark.unit
@pytest.mark.parametrize("T_C, lump, measured, reason", [
    (420.0, "gas", 0.37, "model 0.047 against 0.37; " + _SEMI.format(gas=37, solid=21, T=420)),
    (420.0, "liquid", 0.42, "model 0.953 against 0.42; " + _SEMI.format(gas=37, solid=21, T=420)),
    (420.0, "solids", 0.21, "model 0.000 against 0.21; " + _SEMI.format(gas=37, solid=21, T=420)),
    (500.0, "gas", 0.34, "model 0.047 against 0.34; " + _SEMI.format(gas=34, solid=5, T=500)),
    (500.0, "liquid", 0.62, "model 0.953 against 0.62; " + _SEMI.format(gas=34, solid=5, T=500)),
    (500.0, "solids", 0.05, "model 0.000 against 0.05; " + _SEMI.format(gas=34, solid=5, T=500)),
], ids=[f"{T}C-{lump}" for T in (420, 500) for lump in LUMPS])
def test_ldpe_pp_mix_two_temperatures_semi_batch_jei_2021(T_C, lump, measured, reason, request):
    """JEI_2021: one mix at two temperatures (abstract figures, whole numbers; no scatter given:
    tolerance 2.5 points, the Hamburg replicate scatter of test_pyrolysis_data.py). Each point is
    a strict xfail with the model's figure: a slow-pyrolysis laboratory far from the batch data
    the fixed-bed slates follow."""
    request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    got = _fixed_bed({"PE": 92.5, "PP": 7.5}, T_C)[lump]
    assert got == pytest.approx(measured, abs=0.025), (lump, got)


MIANDAD = ("Miandad, Barakat, Aburiazaiza, Rehan, Ismail, Nizami (2017), Effect of plastic waste types on "
           "pyrolysis liquid oil, Int. Biodeterior. Biodegrad. 119:239-252, doi:10.1016/j.ibiod.2016.09.017 (full "
           "text read in a copy in a public repository, pyrolysis_yields.yaml miandad_2017_mixes): waste polymers "
           "singly and mixed, 1 kg in a 20 L batch reactor, 10 degC/min to 450 degC, 75 min; section 3.1 and "
           "Fig. 2, oil / char / gas wt% (gas by difference)")
_MIANDAD_LAB = ("{lump} {got:.1f} wt% against {data}: this laboratory's own polymers are far from the batch data the "
                "slates follow (its PP 42 wt% oil and 54.5 gas by difference, where Genuino's batch PP gives 96 and 4 "
                "and PII S0165-2370(17)30862-8's 82.6 wt% oil at 450 degC; its PE mostly wax and gas), and its mixes "
                "do not add up from its own polymers either (PS/PP: 61.4 wt% oil from its PS and PP, 25 measured): "
                "the experiment's balance (gas by difference), not a constituent slate, sets the gap")


def _miandad(id_, mix, oil, char, gas):
    data = {"liquid": oil, "solids": char, "gas": gas}
    got = _fixed_bed(mix, 450.0)
    return [pytest.param(mix, lump, data[lump], id=f"{id_}-{lump}", marks=pytest.mark.xfail(strict=True, reason=(
        _MIANDAD_LAB.format(lump=f"model {lump}", got=100.0 * got[lump], data=data[lump]))))
            for lump in LUMPS]


@pytest.mark.unit
@pytest.mark.parametrize("mix, lump, measured", [
    *_miandad("PS", {"PS": 1}, 80.8, 6.2, 13.0),
    *_miandad("PP", {"PP": 1}, 42.0, 3.5, 54.5),
    *_miandad("PS_PP_50_50", {"PS": 50, "PP": 50}, 25.0, 5.1, 69.9),
    *_miandad("PS_PE_50_50", {"PS": 50, "PE": 50}, 54.0, 7.7, 38.3),
    *_miandad("PP_PE_50_50", {"PP": 50, "PE": 50}, 24.0, 24.8, 51.2),
    *_miandad("PS_PE_PP_50_25_25", {"PS": 50, "PE": 25, "PP": 25}, 49.0, 3.9, 47.1),
    *_miandad("PS_PE_PP_PET_40_20_20_20", {"PS": 40, "PE": 20, "PP": 20, "PET": 20}, 40.0, 18.0, 42.0),
])
def test_waste_polymers_and_mixes_450C_batch_miandad_2017(mix, lump, measured):
    """MIANDAD: five mixes and two polymers at 450 degC (a temperature no other mixture of the
    fixed-bed tests has). No replicate scatter of the yields is published: tolerance 2.5 points
    (the Hamburg replicate scatter of test_pyrolysis_data.py). Every point is a strict xfail
    whose reason gives the model's figure; the same laboratory's PS oil composition is an input
    of PS's fixed-bed points (ps_batch_2016), its yields are not."""
    assert 100.0 * _fixed_bed(mix, 450.0)[lump] == pytest.approx(measured, abs=2.5)
