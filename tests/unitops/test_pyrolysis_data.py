"""Pyrolysis yields against cited experiments: one test per data point, with its source (DOI or
Elsevier PII, table or abstract) and its tolerance.

The numbers below are typed from the sources (not read from property_data), so a change of the
slates that moves the model off an experiment fails here. Tolerances are the experiment's own
scatter where the source states one (falling-film PP: +-2.2 and +-1.3 wt%); otherwise the
scatter of the same kind of experiment in the same laboratory, named in each test:

* HAMBURG: Kaminsky, Schlesselmann, Simon (1995), J. Anal. Appl. Pyrolysis 32:19,
  doi:10.1016/0165-2370(94)00830-T, Table 3: the three runs MPW 1-3 at 700 degC (nominally the
  same experiment; N2, N2/steam and steam as fluidising gas) give gases 53/53/51, oil +
  distillation residue 45.6/44.5/47.0 and solids 2.0/2.5/1.3 wt%: ranges 2.0, 2.5 and 1.2 wt%.
* BILBAO: the two conical-spouted-bed studies of polystyrene of the Bilbao group give styrene
  64.5 wt% (723-773 K) and 70.6 wt% (500 degC): spread 6.1 wt%.

Mixtures are predicted by mass-weighted additivity of the polymers' slates (the reactor's
rule, :func:`carbonhub.unitops.pyrolysis.mixture_slate`); where an experiment falls outside
its tolerance the test is a strict xfail whose reason gives the deviation (the known limit of
additivity: Williams & Williams 1999, Energy Fuels 13:188, doi:10.1021/ef980163x, abstract: PS
mixtures give more gas than the single plastics predict).

Yields are per kg of dry ash-free polymer: gas = C1-C4, H2, CO, CO2 (HCl apart: the Hamburg gas
analyses list no HCl), liquid = condensable organics, solids = char.
"""
from __future__ import annotations

import pytest

from carbonhub.unitops.pyrolysis import GAS_PRODUCTS, OIL_PRODUCTS, mixture_yields

HAMBURG = {"gas": 0.020, "liquid": 0.025, "solids": 0.012}
BILBAO = 0.061


def _gls(mix: dict, T_C: float, reactor: str = "fluidised_bed") -> dict:
    y = mixture_yields(mix, T_C + 273.15, reactor)
    return {"gas": sum(y[k] for k in GAS_PRODUCTS if k != "HCl"), "liquid": sum(y[k] for k in OIL_PRODUCTS),
            "solids": y["C(s)"], "styrene": y["C8H8"], "HCl": y["HCl"]}


def _check(got: dict, data: dict, tol: dict):
    for k, v in data.items():
        assert got[k] == pytest.approx(v, abs=tol[k]), (k, got[k], v)


# -- polyethylene (fluidised beds) -------------------------------------------------------------

@pytest.mark.unit
def test_pe_500C_hamburg_waxes_about_90_wt_pct():
    """Hamburg pyrolysis process, J. Anal. Appl. Pyrolysis, doi:10.1016/S0165-2370(98)00103-X,
    abstract: non-catalytic PE (quartz sand) at 450-515 degC gives waxes (~90 wt%).
    Tolerance: HAMBURG (same laboratory)."""
    _check(_gls({"PE": 1}, 500.0), {"liquid": 0.90}, HAMBURG)


@pytest.mark.unit
def test_pe_640C_mastral_2002_at_1_5_s():
    """Mastral et al. (2002), J. Anal. Appl. Pyrolysis 63:1, doi:10.1016/S0165-2370(01)00137-1,
    abstract: HDPE in a N2 fluidised bed at 640 degC, 1.5 s: wax 68.5 wt%, gas 31.5 wt%. No
    scatter stated; tolerance: HAMBURG (the replicate scatter of a fluidised bed of this size)."""
    _check(_gls({"PE": 1}, 640.0), {"gas": 0.315, "liquid": 0.685}, HAMBURG)


@pytest.mark.unit
def test_pe_700C_kaminsky_1995_table7_lldpe():
    """Kaminsky et al. (1995), doi:10.1016/0165-2370(94)00830-T, Table 7: LLDPE at 700 degC
    (fluidised with recycled pyrolysis gas): gases 57, oil 38 + distillation residue 3.9,
    solids 1.0 wt%. Not a point of the PE slate (a prediction between 640 and 780 degC).
    Tolerance: HAMBURG (same paper)."""
    _check(_gls({"PE": 1}, 700.0), {"gas": 0.57, "liquid": 0.419, "solids": 0.010}, HAMBURG)


@pytest.mark.unit
def test_pe_780C_mastral_2002_at_1_34_s():
    """Mastral et al. (2002), abstract: at 780 degC and 1.34 s gas 86.4 wt%, oil 9.6 wt%.
    Tolerance: HAMBURG."""
    _check(_gls({"PE": 1}, 780.0), {"gas": 0.864, "liquid": 0.096}, HAMBURG)


@pytest.mark.unit
@pytest.mark.xfail(strict=True, reason="steam as fluidising gas (Kaminsky 1995 PE 1): model gas 0.255 "
                                       "against 0.31, liquid 0.743 against 0.70 (the slate is of N2 beds)")
def test_pe_600C_kaminsky_1995_table3_hdpe_in_steam():
    """Kaminsky et al. (1995), Table 3, PE 1: HDPE at 600 degC, steam fluidised: gases 31, oil
    41 + distillation residue 29 wt%. Tolerance: HAMBURG (same paper)."""
    _check(_gls({"PE": 1}, 600.0), {"gas": 0.31, "liquid": 0.70}, HAMBURG)


@pytest.mark.unit
@pytest.mark.xfail(strict=True, reason="model gas 0.791, oil 0.172, soot 0.037 against 0.558, 0.392, 0.050: "
                                       "the slate follows Mastral 2002 at 780 degC (gas 86.4 wt% at 1.34 s); "
                                       "the Hamburg bed's own PE gas yields at 700-760 degC spread from 56 to "
                                       "76 wt% (Kaminsky 1995 Tables 3 and 7): vapour residence time, not a "
                                       "parameter of the slates")
def test_pe_760C_hamburg_fluidised_bed_1991():
    """J. Anal. Appl. Pyrolysis 19 (1991), Elsevier PII 0165-2370(91)80052-A, Table 1 (p. 312),
    read in a stored text (dydtkddl/20251202_pyrolysis_data, try04_20251204/
    fig_table_sentences_rawtexts; authors, Kaminsky and Franck, recalled): polyethylene in the
    Hamburg fluidised bed at 760 degC: gas 55.8, oil 39.2, soot 5.0 wt%. Tolerance: HAMBURG."""
    _check(_gls({"PE": 1}, 760.0), {"gas": 0.558, "liquid": 0.392, "solids": 0.050}, HAMBURG)


@pytest.mark.unit
@pytest.mark.parametrize("T_C, aromatics", [(450.0, 0.02), (525.0, 0.04), (600.0, 0.06)])
def test_pe_oil_aromatics_demirbas_2004(T_C, aromatics):
    """Demirbas (2004), J. Anal. Appl. Pyrolysis 72:97, as tabulated by Kusenberg et al.
    (2022), Waste Manag. 138:83, doi:10.1016/j.wasman.2021.11.009, Table 3: aromatics 2/4/6
    vol% of PE oil at 450/525/600 degC. Tolerance +-2 points (vol% against wt%)."""
    y = mixture_yields({"PE": 1}, T_C + 273.15)
    aro = sum(y[k] for k in ("C6H6", "C7H8", "C8H8", "C8H10", "C10H8"))
    assert aro / sum(y[k] for k in OIL_PRODUCTS) == pytest.approx(aromatics, abs=0.02)


# -- polypropylene ---------------------------------------------------------------------------------

@pytest.mark.unit
@pytest.mark.parametrize("T_C, oil, scatter", [(550.0, 0.744, 0.022), (625.0, 0.535, 0.013)])
def test_pp_falling_film_2018(T_C, oil, scatter):
    """Falling-film reactor, Chinese J. Chem. Eng. (2018), PII S1004-9541(17)30384-1, abstract:
    PP oil 74.4 +- 2.2 wt% at 550 degC and 53.5 +- 1.3 wt% at 625 degC (the stated scatter)."""
    assert _gls({"PP": 1}, T_C)["liquid"] == pytest.approx(oil, abs=scatter)


@pytest.mark.unit
@pytest.mark.parametrize("T_C", [450.0, 500.0])
def test_pp_oil_zabaniotou_2023(T_C):
    """Zabaniotou & Vaskalis (2023), Energies 16:593, doi:10.3390/en16020593, abstract: PP oil
    82-92.3 wt% at 450-550 degC (literature review; the range is the tolerance)."""
    assert 0.82 <= _gls({"PP": 1}, T_C)["liquid"] <= 0.923


@pytest.mark.unit
@pytest.mark.xfail(strict=True, reason="the review's 82-92.3 wt% and the falling-film 74.4 wt% at 550 degC "
                                       "disagree; the slate follows the temperature-resolved falling-film data")
def test_pp_oil_zabaniotou_2023_at_550C():
    """Zabaniotou & Vaskalis (2023): 82-92.3 wt% also at 550 degC."""
    assert 0.82 <= _gls({"PP": 1}, 550.0)["liquid"] <= 0.923


# -- polystyrene -----------------------------------------------------------------------------------

@pytest.mark.unit
@pytest.mark.parametrize("source, T_C, styrene", [
    ("aguado_2003_doi_10.1016/S1385-8947(02)00119-5_abstract", 475.0, 0.645),
    ("artetxe_2015_PII_S0956-053X(15)00409-2_abstract", 500.0, 0.706),
])
def test_ps_styrene_conical_spouted_bed(source, T_C, styrene):
    """Bilbao conical spouted bed: Aguado et al. (2003), Chem. Eng. J. 92:91: styrene 64.5 wt%
    at 723-773 K (taken at 475 degC); Artetxe et al. (2015), Waste Manag.: 70.6 wt% at 500 degC.
    Tolerance: BILBAO (the spread of the two studies)."""
    assert _gls({"PS": 1}, T_C)["styrene"] == pytest.approx(styrene, abs=BILBAO)


@pytest.mark.unit
def test_ps_styrene_600C_liu_2000():
    """Liu, Qian, Wang (2000), Fuel Process. Technol. 63:45, doi:10.1016/S0378-3820(99)00066-1,
    abstract: styrene 78.7 wt% at 600 degC (fluidised bed). No scatter stated: +-2 points (the
    size of the falling-film and Hamburg scatters)."""
    assert _gls({"PS": 1}, 600.0)["styrene"] == pytest.approx(0.787, abs=0.02)


# -- PET, PVC --------------------------------------------------------------------------------------

@pytest.mark.unit
@pytest.mark.parametrize("T_C", [510.0, 600.0])
def test_pet_gas_yield_yoshioka_2004(T_C):
    """Yoshioka et al. (2004), Polym. Degrad. Stab. 86:499, doi:10.1016/j.polymdegradstab.2004.06.001,
    abstract: gas 38-49 wt% (chiefly CO2 and CO) at 510-730 degC in a fluidised bed (the range
    is the tolerance)."""
    y = mixture_yields({"PET": 1}, T_C + 273.15)
    gas = sum(y[k] for k in GAS_PRODUCTS)
    assert 0.38 <= gas <= 0.49
    assert (y["CO2"] + y["CO"]) / gas > 0.9


@pytest.mark.unit
@pytest.mark.parametrize("T_C, residue", [(510.0, 0.05), (600.0, 0.05 + 0.35 * 90 / 220)])
def test_pet_residue_yoshioka_2004(T_C, residue):
    """Yoshioka et al. (2004): organic residue 5 wt% at 510 degC rising to 40 wt% at 730 degC
    (600 degC: linear between them). Tolerance +-3 points."""
    assert _gls({"PET": 1}, T_C)["solids"] == pytest.approx(residue, abs=0.03)


@pytest.mark.unit
def test_pvc_oil_is_aromatic_japs_2003():
    """J. Appl. Polym. Sci. 90 (2003) 3252, abstract: PVC pyrolysis liquid 90 % aromatic, HCl
    55 wt% of the PVC (about 94 % of its Cl) already at 340 degC: at 450 degC at least as much."""
    y = mixture_yields({"PVC": 1}, 723.15)
    aro = sum(y[k] for k in ("C6H6", "C7H8", "C8H8", "C8H10", "C10H8"))
    assert aro / sum(y[k] for k in OIL_PRODUCTS) >= 0.90
    assert y["HCl"] >= 0.55


@pytest.mark.unit
def test_pvc_fixed_bed_430C_batch_1996_and_japs_2003():
    """PVC in a slow fixed bed: Polym. Degrad. Stab. (1996), PII 0141-3910(96)00077-8, abstract:
    batch at 430 degC, liquid 4.7 wt% (an input of the slate: checks that the slate's closure
    keeps it); J. Appl. Polym. Sci. 90 (2003) 3252, abstract: at 340 degC HCl 55 wt% and solid
    residue about 31 wt%. The residue is not an input: it is the slate's char plus the Cl that
    the 55 wt% of HCl leaves in it (58.3 wt% is stoichiometric), 2.5 points (HAMBURG liquid)."""
    y = mixture_yields({"PVC": 1}, 703.15, "fixed_bed")
    assert sum(y[k] for k in OIL_PRODUCTS) == pytest.approx(0.047, abs=0.005)
    assert y["HCl"] >= 0.55
    cl_left = (0.583 - 0.55) * 35.45 / 36.46
    assert y["C(s)"] + cl_left == pytest.approx(0.31, abs=HAMBURG["liquid"])


# -- paper (as cellulose) --------------------------------------------------------------------------

WATERLOO = ("Radlein, D., Piskorz, J., Scott, D.S. (1991), Fast pyrolysis of natural polysaccharides as a "
            "potential industrial process, J. Anal. Appl. Pyrolysis 19, 41-63, Elsevier PII "
            "0165-2370(91)80034-6 (authors and title recalled; the tables read in a stored text, "
            "dydtkddl/20251202_pyrolysis_data try04_20251204/fig_table_sentences_rawtexts): Waterloo "
            "fluidised bed, 500 degC, 0.45-0.5 s vapour residence. Table 2, 'Stake cellulose' untreated "
            "(93.9 % cellulose, 2.5 % ash): organic liquid 58.2, water 9.0, char 15.4, gas 15.3 wt% mf; "
            "Table 3, commercial cellulose SS-144: organic liquid 72.5, water 10.8 wt% mf, and organic "
            "liquid 72.5-87.1 wt% over the five celluloses of the table")


@pytest.mark.unit
def test_paper_as_cellulose_500C_waterloo_fluidised_bed():
    """See WATERLOO, Table 2 (stake cellulose, the one complete balance read; paper carries
    filler ash as it does). Char, water and gas are inputs of the paper slate (they set its
    oxygen split): this checks that the slate's closure keeps them (0.5 point); the organic
    liquid (water-soluble oxygenates as acetic acid, plus oil) is not an input and follows by
    difference: 2.1 points above the data, whose balance closes to 97.9 %. Tolerance for it:
    half the spread of Table 3's five celluloses (72.5-87.1 wt%), 7.3 points; and it is below
    Table 3's pure celluloses (72.5-87.1 wt%: ash-free cellulose makes more liquid, less char).
    Before this slate (recalled): gas 0.280, liquid 0.205, water 0.348."""
    y = mixture_yields({"paper": 1}, 773.15)
    got = _gls({"paper": 1}, 500.0)
    aqueous = y["CH3COOH"]
    _check({"gas": got["gas"], "water": y["H2O"], "solids": got["solids"]},
           {"gas": 0.153, "water": 0.090, "solids": 0.154}, {"gas": 0.005, "water": 0.005, "solids": 0.005})
    organic = got["liquid"] + aqueous
    assert organic == pytest.approx(0.582, abs=0.073)
    assert organic < 0.725
    # the organics are water-soluble oxygenates, not oil: they condense with the reaction water
    assert aqueous > 0.95 * organic


# -- PA6 -------------------------------------------------------------------------------------------

@pytest.mark.unit
def test_pa6_condensables_500C_hold_at_least_the_caprolactam():
    """Two abstracts of nylon-6 stockings at 500 degC (Environ. Pollut. 2023, PII
    S0269-7491(23)00686-3: caprolactam 53.6 wt% of stockings of 80.9 wt% nylon; J. CO2 Util.
    2024, PII S2212-9820(24)00281-6: 59.2 wt% of waste of 81.6 wt% nylon 6): caprolactam is
    66.3 and 72.5 wt% of the nylon, with imines, cyclic dimers and azepines beside it: the
    condensables of the PA6 slate (recalled; 0.682) must hold at least the lower caprolactam
    yield. A lower bound only: the other condensables were not in the abstracts."""
    got = _gls({"PA6": 1}, 500.0)
    assert got["liquid"] >= 0.536 / 0.809


# -- mixtures (additivity predictions) ------------------------------------------------------------

JAHIRUL = ("Jahirul, M.I. et al. (2023), Energy Reports 9, 540-545 (open access; text read in a stored copy, "
           "dydtkddl/20251202_pyrolysis_data try02/EXTRACT/test5_p_o_modify/Experiment_Results.md), "
           "section 3 and Table 1: HDPE:PS:PP mixes in a fixed bed at 540 degC, 6 degC/min, oil 83/81/80/78 wt%")


WILLIAMS_1999 = ("Williams, P.T., Williams, E.A. (1999), Interaction of plastics in mixed-plastics pyrolysis, "
                 "Energy & Fuels 13, 188-196 (abstract read in a stored copy): HDPE, LDPE, PP, PS, PVC and PET "
                 "each and PS 1:1 with each of the others, fixed bed, 25 degC/min to 700 degC: the PS mixtures "
                 "gave more gas and less oil/wax than expected from the individual plastics, and a lighter "
                 "oil/wax. Its tables (the yields of each mixture) were not readable, so the additive model "
                 "has no interaction term built from them.")


# Slow-heated fixed bed: PE has its own slate there (pyrolysis_yields.yaml, PE fixed_bed_points),
# FITTED on the 8:1:1 mix alone; the 1:1:1, 2:1:1 and 4:1:1 mixes are predictions (PP keeps its
# fluidised-bed slate; PS's fixed-bed points keep its fluidised-bed gas and char, their oil's
# composition is from fixed-bed data: PS fixed_bed_note).
JAHIRUL_FIT = (8, 1, 1)


@pytest.mark.unit
@pytest.mark.parametrize("ratio, oil", [((1, 1, 1), 0.83), ((2, 1, 1), 0.81), ((4, 1, 1), 0.80)])
def test_hdpe_ps_pp_mixes_540C_fixed_bed_jahirul_2023(ratio, oil):
    """Jahirul et al. (2023) (see JAHIRUL): slow-heated fixed bed, 540 degC. Not fitted (the fit
    point is JAHIRUL_FIT). No scatter stated; tolerance: HAMBURG liquid (2.5 points). What the
    fit leaves free is S, the PS + PP oil: the 1:1:1 mix gives 0.325 + 0.292 S, so it passes only
    for S within 1.65-1.82 (the slates: 0.952 + 0.768 = 1.720; PS 0.957 before its fixed-bed
    oil; the batch data of PII S0165-2370(17)30862-8 at 450 degC, 0.80 + 0.826 = 1.626, would
    fail it)."""
    assert ratio != JAHIRUL_FIT
    got = _gls({"PE": ratio[0], "PS": ratio[1], "PP": ratio[2]}, 540.0, "fixed_bed")
    assert got["liquid"] == pytest.approx(oil, abs=HAMBURG["liquid"]), got


@pytest.mark.unit
def test_fixed_bed_pe_fit_point_and_independent_hdpe_data():
    """The fit (JAHIRUL_FIT, 78 wt% oil) is reproduced to 0.1 point, and the PE oil it implies at
    540 degC lies between the independent fixed-bed and batch HDPE data: 70 % at 550 degC (PSEP
    2019, PII S0957-5820(19)30329-5, abstract) and 80 wt% at 450 degC (J. Anal. Appl. Pyrolysis,
    PII S0165-2370(17)30862-8, abstract); it is below the fluidised-bed PE oil at 540 degC (a
    slow fixed bed cracks PE further: Jahirul's oil falls as the HDPE share rises)."""
    mix = dict(zip(("PE", "PS", "PP"), JAHIRUL_FIT))
    assert _gls(mix, 540.0, "fixed_bed")["liquid"] == pytest.approx(0.78, abs=0.001)
    pe = _gls({"PE": 1}, 540.0, "fixed_bed")["liquid"]
    assert 0.70 <= pe <= 0.80
    assert pe < _gls({"PE": 1}, 540.0)["liquid"] - 0.05


@pytest.mark.unit
@pytest.mark.xfail(strict=True, reason="the fluidised-bed slates give 0.842 against 0.78 (+6.2 points): "
                                       "Jahirul's reactor is a slow-heated fixed bed (test above)")
def test_hdpe_ps_pp_8_1_1_540C_with_fluidised_bed_slates():
    """Jahirul et al. (2023) 8:1:1 with the fluidised-bed slates: the reactor type matters."""
    got = _gls({"PE": 8, "PS": 1, "PP": 1}, 540.0)
    assert got["liquid"] == pytest.approx(0.78, abs=HAMBURG["liquid"]), got


@pytest.mark.unit
def test_unknown_reactor_is_one_clear_error():
    with pytest.raises(ValueError, match=r"pyrolysis reactor = 'kiln': expected one of fluidised_bed, fixed_bed"):
        mixture_yields({"PE": 1}, 773.15, "kiln")


@pytest.mark.unit
@pytest.mark.xfail(strict=True, reason="not like with like: Table 3 is of the 'plastic light fraction', whose "
                                       "composition the paper does not give, and its balance (gases + oil + "
                                       "residue + solids = 100.6 wt%) holds no HCl, which Table 1's 13.7 wt% "
                                       "PVC would give (8 wt%); with Table 1's mix additivity gives gas 0.364 "
                                       "against 0.51-0.53. The PS interaction of WILLIAMS_1999 may add to it")
def test_mixed_household_plastics_700C_kaminsky_1995():
    """Kaminsky et al. (1995), Tables 1 and 3: mixed plastics from household waste (Table 1:
    polyolefins 57, PS 19, PVC 13.7, other plastics and paper 4.8 wt%; polyolefins taken as PE,
    the rest as paper); Table 3 ("mass balances of the pyrolysis of the plastic light fraction")
    at 700 degC, per organic input: gases 53/53/51, oil + residue 45.6/44.5/47.0, solids
    2.0/2.5/1.3 (MPW 1-3). Compared with the middle of the three runs; tolerance: HAMBURG."""
    got = _gls({"PE": 57.0, "PS": 19.0, "PVC": 13.7, "paper": 4.8}, 700.0)
    _check(got, {"gas": 0.52, "liquid": 0.4575, "solids": 0.019}, HAMBURG)


DONAJ = ("Pyrolysis of polyolefins for increasing the yield of monomers' recovery, Waste Management "
         "(2012), PII S0956-053X(11)00468-5, abstract: LDPE 46, HDPE 30, PP 24 wt% in the Hamburg "
         "fluidised quartz bed, thermal: gas/liquid/solid 36.9/48.4/15.7 wt% at 650 degC and "
         "42.4/44.7/13.9 wt% at 730 degC")


@pytest.mark.unit
@pytest.mark.parametrize("T_C, data", [
    pytest.param(650.0, {"gas": 0.369, "liquid": 0.484, "solids": 0.157}, id="650C", marks=pytest.mark.xfail(
        strict=True, reason="gas 0.382 within; liquid 0.612 and solids 0.006 against 0.484 and 0.157")),
    pytest.param(730.0, {"gas": 0.424, "liquid": 0.447, "solids": 0.139}, id="730C", marks=pytest.mark.xfail(
        strict=True, reason="gas 0.622 against 0.424, liquid 0.355 against 0.447, solids 0.023 against 0.139")),
])
def test_polyolefin_mix_hamburg_2012(T_C, data):
    """See DONAJ. Tolerance: HAMBURG (same laboratory). The 14-16 wt% solids of this series
    are not char of the slates (PE and PP give at most 2-4 wt% char)."""
    _check(_gls({"PE": 76.0, "PP": 24.0}, T_C), data, HAMBURG)
