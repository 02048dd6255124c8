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
PP, PS and PET keep their fluidised-bed slates in a fixed bed (pyrolysis_yields.yaml, PE
fixed_bed_note says why), and PET's batch chemistry (oxygen in aromatic acids and in the char)
is outside carbonhub's species.
"""
from __future__ import annotations

import pytest

from carbonhub.unitops.pyrolysis import GAS_PRODUCTS, OIL_PRODUCTS, mixture_yields

LUMPS = ("gas", "liquid", "solids")


def _fixed_bed_500(mix: dict) -> dict:
    y = mixture_yields(mix, 773.15, "fixed_bed")
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


_PET_CHEM = ("PET keeps its fluidised-bed slate (Yoshioka et al. 2004: CO2 and CO); in a batch reactor PET "
             "keeps its oxygen in terephthalic/benzoic acids and an oxygen-bearing char, not in carbonhub's "
             "species (oxygenates as phenol, char as carbon)")
MIX_20 = {"PE": 62.5, "PP": 14.0, "PS": 3.5, "PET": 20.0}   # HDPE 31.25 + LDPE 31.25 as PE
MIX_45 = {"PE": 44.0, "PP": 9.0, "PS": 2.0, "PET": 45.0}    # HDPE 22 + LDPE 22 as PE


@pytest.mark.unit
@pytest.mark.parametrize("mix, measured, lump", [
    *_case("virgin_mix_20pct_PET", MIX_20, {"gas": 3.0, "liquid": 84.0, "solids": 8.0}, xfail={
        "gas": "model 12.0 wt% against 3-8.5: 7.6 points of it are PET's CO2/CO; " + _PET_CHEM,
        "solids": "model 1.1 wt% against 7.5-13.5: PET's 5 wt% char of the fluidised bed against 32 wt% "
                  "in this reactor; " + _PET_CHEM}),
    *_case("virgin_mix_45pct_PET", MIX_45, {"gas": 5.0, "liquid": 72.0, "solids": 19.0}, xfail={
        "gas": "model 20.1 wt% against 4.5-9.5; " + _PET_CHEM,
        "liquid": "model 77.6 wt% against 71.5-76.5 (+1.1 above the bound): above 33 wt% PET the paper "
                  "finds less condensable product and more solids than its own superposition predicts "
                  "(abstract, superposition_2023): a PET-polyolefin interaction, not in the additive model",
        "solids": "model 2.3 wt% against 18.5-23.5; " + _PET_CHEM + "; and the PET interaction above"}),
])
def test_virgin_polymer_mixes_500C_batch_genuino_2023(mix, measured, lump):
    """GENUINO, Table 1, the two mixes of virgin polymers (not fitted: predictions of the
    additive model from the fixed-bed slates at 500 degC). The 20 % PET mix's liquid is the
    mixture point at the second temperature that passes; before the PE fixed-bed point at
    500 degC the model gave 0.745 for it (PE held at its 540 degC slate)."""
    assert _within_balance(_fixed_bed_500(mix)[lump], measured, lump), (lump, _fixed_bed_500(mix))


_FLUID = "keeps its fluidised-bed slate in a fixed bed (PE fixed_bed_note: why Genuino's is not entered)"


@pytest.mark.unit
@pytest.mark.parametrize("mix, measured, lump", [
    *_case("HDPE", {"PE": 1}, {"gas": 4.0, "liquid": 94.0, "solids": 0.0}),
    *_case("LDPE", {"PE": 1}, {"gas": 4.0, "liquid": 96.0, "solids": 0.0}),
    *_case("PP", {"PP": 1}, {"gas": 4.0, "liquid": 96.0, "solids": 0.0}, xfail={
        "gas": "model 12.6 wt% against 3.5-4.5: PP " + _FLUID,
        "liquid": "model 87.1 wt% against 95.5-96.5: PP " + _FLUID}),
    *_case("PS", {"PS": 1}, {"gas": 2.0, "liquid": 94.0, "solids": 4.0}, xfail={
        "gas": "model 1.4 wt% against 1.5-2.5: PS " + _FLUID,
        "liquid": "model 97.1 wt% against 93.5-94.5: PS " + _FLUID,
        "solids": "model 1.5 wt% against 3.5-4.5: PS " + _FLUID}),
    *_case("PET", {"PET": 1}, {"gas": 9.0, "liquid": 54.0, "solids": 32.0}, xfail={
        "gas": "model 38.1 wt% against 8.5-14.5; " + _PET_CHEM,
        "solids": "model 5.0 wt% against 31.5-37.5; " + _PET_CHEM}),
])
def test_single_polymers_500C_batch_genuino_2023(mix, measured, lump):
    """GENUINO, Table 1, the virgin polymers. HDPE and LDPE are the input of the PE fixed-bed
    point at 500 degC (gas 4 wt% entered, oil by difference): they check that its closure
    keeps them. PP, PS and PET are predictions of their fluidised-bed slates."""
    assert _within_balance(_fixed_bed_500(mix)[lump], measured, lump), (lump, _fixed_bed_500(mix))


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
    assert _fixed_bed_500({"PE": 1})["liquid"] == pytest.approx(oil, abs=0.025)


@pytest.mark.unit
def test_fixed_bed_pe_falls_between_500_and_540C():
    """The fixed-bed PE slate is linear between its points: at 520 degC the oil lies between
    the 500 degC point (0.96) and the 540 degC fit (0.759), at their mean within 0.5 point."""
    oil = {T: mixture_yields({"PE": 1}, T + 273.15, "fixed_bed") for T in (500.0, 520.0, 540.0)}
    liq = {T: sum(y[k] for k in OIL_PRODUCTS) for T, y in oil.items()}
    assert liq[500.0] > liq[520.0] > liq[540.0]
    assert liq[520.0] == pytest.approx(0.5 * (0.96 + 0.759), abs=0.005)
