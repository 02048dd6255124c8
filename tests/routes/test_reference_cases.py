"""Published reference plants, figure by figure, at the tolerances of issue 13.

Each case of ``reference_cases`` in ``flowsheets/<route>.yaml`` is simulated at the paper's own
settings; every published figure is compared with carbonhub's, converted only with
``carbonhub.costing.indices.convert_money``: product yields +-10 %, TIC/FCI/TCI +-25 %, MSP
+-20 %, capital by area +-35 %. A figure the YAML excludes (``excluded``: a technology the route
does not model) is skipped with its reason. A figure outside its tolerance is a defect with a
known cause, listed in ``KNOWN`` with that cause; it is a *strict* expected failure, so the
test fails as soon as the figure comes inside its tolerance and the entry must be removed.
"""
from __future__ import annotations

import pytest

import carbonhub as ch
from carbonhub.report.reference_cases import _owner, _tea, cases, compare, run_case

_CASES = [(r, c) for r in ch.routes.names() for c in cases(r)]

_YIELD_LT = ("yield +23.7 % (58.39 vs 47.21 GGE/dry short t) with the paper's power configuration (power island, "
             "18.30 % of the tail-gas purge burnt for power, the design spec net_electricity_import_MW = 0; since each "
             "steam source enters the island at the pressure its heat can raise, later on 2026-12-07: the FT reactor's "
             "55.4 MW at 493 K as saturated 19.1-bar steam admitted below the 40-bar throttle, the island makes less per "
             "MW of steam and more tail gas is burnt for power: +27.9 % (60.38) at 5.28 % before; since the "
             "heat above steam's reach is fired (costing/heat_supply.py, later on 2026-12-07: the shift's 13.1 MW at "
             "662 K and the product reboilers' 0.6 MW bought as natural gas, 17.5 MW LHV), the island condenses the "
             "steam they took, so less tail gas is burnt for power: +22.1 % (57.66) at 23.35 % before; +22.5 % at "
             "the hand-set 0.221, which bought 0.063 MW; +29.7 % with none burnt, -17 % "
             "without a reformer). The cause lies upstream of the FT loop, in the gas island "
             "(test_swanson_lt_yield_gap_lies_upstream_of_the_ft_loop). Carbon traced through this case, mol C/s "
             "(feed 807.5 = 100 %, corn_stover record; measured 2026-12-07): char 24.2 (3.0 %, carbon conversion 0.97); "
             "raw gas 783.3 holding CH4 85.9 (10.6 %), no tar and no C2+ (the gasifier model makes none); tar reformer "
             "at 80 % CH4 (NREL 2012 target) fed also 54.2 (6.7 %) of recycled tail gas; AGR CO2 384.2 (47.6 %); FT "
             "loop fed 1,174 mol/s H2 + CO (60 % CO per pass, alpha 0.9: 87 % of the converted carbon to C5+), "
             "liquids 291.6 (36.1 %); purge 148.1, of which 61.2 fires the reformer (7.6 %) and 32.7 the boiler "
             "(4.1 %); PSA tail gas 13.6 and cracker off-gas 5.7 to the boiler; products 286.0 (35.4 %). HT case: char "
             "8.1 (1.0 %), no CH4, AGR 454.0 (56.2 %), loop fed 1,115 mol/s H2 + CO, products 271.7 (33.6 %). The FT "
             "loop, upgrading and cut are one design in both cases and turn 0.2484 mol of liquid carbon per mol of H2 "
             "+ CO fed to the loop in both (the HT case is inside its band, -9.9 %), so carbonhub's LT/HT yield ratio, "
             "1.053 against the paper's 0.774, is its H2 + CO ratio, and the paper's LT yield corresponds to ~958 mol/s "
             "into the loop (82 % of carbonhub's). Of carbonhub's 1,210.6 mol/s H2 + CO before the 3 % H2 slip (the "
             "shift and the AGR do not change H2 + CO), the raw gasifier gives 816.9 (67.5 %), reforming the gasifier's "
             "CH4 ~275 (22.7 %), the recycled tail gas ~119 (9.8 %: its own H2 + CO 45.4 and its C1-C4 reformed). What "
             "the paper's LT plant loses of this could not be read (its text is not in the stored sources: a scribd copy "
             "of NREL/TP-6A20-46587 is indexed by its title page only; searched again 2026-12-07 for Swanson's own Iowa "
             "State thesis and the companion papers of Fuel 89 S1, Anex et al. and Wright et al.: none is stored, "
             "property_data/README.md). Measured from this case, one change at a time: "
             "CH4 reformed at the NREL current-performance 20 % (Phillips et al. 2007, recalled) +8.7 % (inside; "
             "the plant then exports 3.2 MW, as the paper's does), no tail gas recycled (boiler_fuel.fraction >= "
             "0.68; at 1.0 the reformer is fired by natural gas) +10.5 %; that (at 1.0) and CH4 at 20 % -10.4 % (the "
             "H2 + CO arithmetic above predicted -10.4 %); gasifier carbon conversion 0.90 +13.3 % (+19.9 % before "
             "the island); before the island, the straw record (wheat_straw, C 44.9 % against the stalks' 41.9 %) +42.4 %. The "
             "paper's own figures point at its gas island: its LT plant exports 18.6 % "
             "more electricity than its HT one (BETO database row 83, 7.75 vs 6.53 MUSD2007/y at one price), i.e. "
             "burns more of its gas; and carbonhub's HT case needs its tail-gas recycle to stay inside its band (all "
             "the purge burnt: -21.9 %), so if the paper's two plants share their FT loop the LT gap is the gasifier's "
             "CH4 not reformed (or its char), not the tail-gas split. None is set: the paper's values are unread")
_MSP_LT = ("measured -26.1 % (3.570 vs 4.83 USD2007/GGE, TIC -12.3 %, at the spec's split 0.1830 since each steam "
           "source enters the island at the pressure its heat can raise, the FT reactor's at 19.1 bar, later on "
           "2026-12-07: the yield fell to +23.7 %; -28.2 %, 3.466, TIC -11.7 %, before, since the power island holds NETL's generator "
           "equipment, account 11.1, later on 2026-12-07; -28.4 %, 3.459, before, since the gasification island's shift feed-effluent exchanger "
           "wgs_feh heats the shift feed with its effluent: the shift's fired preheat, 13.1 MW at 662 K in this case, is "
           "gone, its gas and fired heater with it; TIC -10.5 -> -12.1 %, later on 2026-12-07); -22.3 % (3.752 at the spec's split, 0.0528, with the heat above steam's reach fired as natural "
           "gas at the furnace efficiency 0.85 and its fired heaters costed, later on 2026-12-07: the shift, 13.1 MW at 662 K, and the "
           "product reboilers; the yield rose to +27.9 %); -26.2 % (3.565) before, with the hydroprocessing feed heaters fired; -26.4 % on steam; -26.2 % at the hand-set 0.221; -26.0 % with the compressors below Turton's range at its minimum; -25.0 % before the hydrotreater's feed-effluent exchanger "
           "and the product columns' feed heat, 2026-12-07: the 2.2 MW the exchanger recovers is process steam the "
           "island no longer extracts, so it condenses and sells more; -28.0 % before the condensate hydrotreater and the "
           "product columns, -29.4 % before the power island held NETL's feedwater "
           "systems, steam piping and turbine foundations, -29.6 % with the fuel-only steam price, -32.2 % before "
           "the paper's 12 % utilities allowance, 2026-12-07) with the paper's power configuration (power "
           "island, tail-gas split at zero net import; "
           "-19.9 % before the hydrocracker was costed at its quoted size): the capital is 14 % below the "
           "paper's (tic_musd) and the yield 22.5 % above it (see the yield), and the island's 13.0 MW and the "
           "tail gas burnt for steam replace bought power and 22 t/h of bought MP steam. The yield carries most of "
           "it: at this case's own annual costs the paper's 47.21 GGE/t alone would give 3.62 x 57.84 / 47.21 = 4.44 "
           "(-8.1 %, inside). Measured 2026-12-07 with the LT yield brought to the paper's (no tail gas recycled, "
           "the reformer fired by natural gas, the gasifier's CH4 reformed at 50 %: a measurement of the gap's "
           "size, not a setting) the MSP is -22.9 % (3.72): that plant exports 16.0 MW, credited at carbonhub's "
           "210 USD2007/MWh (the paper's price is unread) at 0.78 USD2007/GGE, and buys 0.25 USD2007/GGE of natural "
           "gas; without both ~4.25 (-12 %), the capital -16 % (tic_musd)")
_POWER = ("the paper's steam system and power generation (38.9 LT / 45.6 HT MUSD2007, BETO row 35), compared since "
          "the cases use the power island (all the steam the plant raises, 123.7 / 131.5 MW, through one extraction-"
          "condensing turbine: the syngas cooler's and the boiler's at the 40-bar, 400 degC throttle, the FT reactor's "
          "heat at 493 K as saturated 19.1-bar steam, 10 K below, admitted there; 13.1 / 16.6 MW gross at the design "
          "spec's splits 0.1830 / 0.0919): measured 15.2 / 16.4 MUSD2007 (-61.0 % / -64.0 %) since each steam source "
          "enters the island at the pressure its heat can raise (later on 2026-12-07: more tail gas is burnt, the boiler "
          "raises 23.4 / 14.7 MW, and the feedwater systems and piping are sized on more kg of steam, 198 / 209 t/h); "
          "13.7 / 15.7 (-64.8 % / -65.5 %), 13.2 / 17.6 MW gross, before, "
          "since the island holds NETL's generator equipment (11.1, 2026-12-07); 12.9 / 14.8 (-66.8 % "
          "/ -67.5 %) before, LT at the spec's split 0.0528 and HT with none of the tail gas burnt, since the heat above steam's "
          "reach is fired, later on 2026-12-07: 13.2 / 17.6 MW gross; -65.5 % / -67.5 % before, at the splits of the design spec net_electricity_import_MW = 0; LT -65.7 % at the hand-set 0.221; HT -67.2 % before the hydrotreater's feed-effluent exchanger left 0.5 MW more steam to condense; "
          "-83.6 % / -83.4 % with the turbine, auxiliaries and condenser alone, 2026-12-07; 0.7 / 3.7 "
          "with the condensing turbine on the net surplus, then excluded). The island is NETL's steam cycle "
          "(IDAES BB_costing_data, IGCC case 5B, 2018 USD bare erected cost): turbine generator, auxiliaries, "
          "condenser, foundations and generator equipment (8.1-8.3, 8.5, 11.1) on its gross output and condenser duty, feedwater system with "
          "pumps and deaerator, other feedwater subsystems, other boiler-plant systems and steam piping (3.1, 3.3, "
          "3.5, 8.4: 7.3 / 7.6 MUSD2007) on the steam it raises, all scaled down from 232 MW "
          "with exponents 0.54-0.73 (NETL's range of applicability not read); plus the fuel-gas boiler (0.9 / 0.6, measured 2026-12-07). "
          "The steam raising itself is not here: the FT reactor's (55.4 / 53.2 MW) is inside its block (reactors "
          "only, unverified); the syngas cooler's (44.9 / 63.7 MW) costs nothing, its gasifier block being the paper's "
          "own gasification area, which includes it, so it is costed only if that area holds the raw gas's heat "
          "recovery: not read, and the project's two inferences disagree (reference_plants.yaml puts it in the "
          "paper's steam system, row 35; flowsheets/biomass_ft.yaml in its gasification area). The condenser's heat "
          "(LT / HT 10.4 / 18.0 MW) goes to the site's cooling water (the utilities area, here the paper's allowance). What the paper's area holds "
          "and its gross output could not be read (the paper's text is not in the stored sources: a scribd copy "
          "of NREL/TP-6A20-46587 is indexed by its title pages only; the database gives the area total only), "
          "so a larger island (the paper exports power, BETO row 83, at a price not given) cannot be set. A "
          "larger island would not close the gap: measured 2026-12-07 with more of the tail-gas purge burnt "
          "(boiler_fuel.fraction 0.4 / 0.6 / 0.8 / 1.0, LT): net export 2.4 / 5.6 / 9.3 / 13.3 MW, gross 15.3 / "
          "18.4 / 22.1 / 26.2 MW, power generation 15.1 / 16.9 / 18.9 / 21.0 MUSD2007 (-61 / -57 / -51 / -46 %), "
          "yield +17.3 / +12.0 / +10.5 / +10.5 %; HT at 0.4 / 0.7 / 1.0: export 3.1 / 6.9 / 10.3 MW, power "
          "-63 / -59 / -55 %, yield -13.4 / -17.9 / -21.9 % (out of its tolerance as soon as the HT plant "
          "exports). The paper's credit, 6.58 / 5.55 MUSD2007 a year at 7,446 h, is an export of 883.7 / 745.4 "
          "MW divided by its price in USD2007/MWh. Cross-check of the turbine's cost basis (computed 2026-12-07, not set): "
          "NETL's 8.1 is a 232 MW utility turbine scaled down 13-18x; NREL's biorefinery turbine-generator (Humbird et al. "
          "2011, NREL/TP-5100-47764, as encoded in BioSTEAM: 9.5 MUSD2010 purchased at 42,200 kW, exponent 0.6, installation "
          "1.8; its scope beside the turbine and generator not read) gives 8.1 / 9.7 MUSD2007 installed at 13.2 / 17.6 MW "
          "against 8.1's 4.5 / 5.5: in its place the area would be 16.6 / 19.0 (-57 / -58 %; +0.8 / 0.9 with 11.1), so the cost basis of the "
          "turbine is not what keeps this figure out. Read for scope (2026-12-07): Humbird et al.'s Appendix A, Phillips et al. "
          "2007 (NREL/TP-510-41168), Dutta et al. 2011 (NREL/TP-5100-51400) and Tan et al. 2015 (NREL/TP-5100-62402) could "
          "not be read (stored copies of 41168, of Swanson's NREL/TP-6A20-46587 and of Dutta and Phillips 2009 "
          "NREL/TP-510-45913 hold their first pages only; no repository found encodes their equipment lists); BioSTEAM "
          "(2.52.10, facilities/_boiler_turbogenerator.py) encodes Humbird's area 800 as boiler, turbogenerator, "
          "deaerator, hot process water softener and amine package, with no condenser item and no scope text. The paper's "
          "area is not an outlier of the database: row 35 of the other 2,000 dry t/d designs is 15.6-42.4 MUSD2007 "
          "installed (Zhu et al. 2012 27.7 / 20.1 / 15.6, Tan et al. 2015 34.1, Tan et al. 2017 42.4 / 25.3, Tan et al. "
          "2018 34.7 / 33.6, converted by CEPCI; Jones & Zhu 2009 6.4 / 10.0 purchased), all above carbonhub's "
          "island. Measured 2026-12-07, not set (scope unread): the syngas cooler costed as a waste-heat boiler on its "
          "duty (NETL 7.1, hrsg_netl, the island's own cost path) in this area gives 20.1 / 23.9 (-48.3 / -47.6 %), and "
          "the FT reactor's steam as one more 27.6 / 31.1 (-29.0 / -31.7 %, inside, but the reactor's steam tubes are "
          "inside its block: a double count unless that block excludes them); the island's generator equipment (NETL "
          "11.1, exponent 0.54 on the gross output, costed since) is 0.8 / 0.9 of the area")
_PRYME = ("oil 0.674 t/t as received against 0.75 (-10.1 %, the bound is -10 %; it was 0.689, -8 %, until the "
          "paper slate took the Waterloo cellulose data, Radlein et al. 1991: cellulose gives water-soluble "
          "oxygenates that condense with the reaction water, not the 21 wt% of toluene and phenol 'oil' the "
          "recalled slate made). The route's feed is constructed (mixed_pcw_film_rigid: 8 wt% paper, 6 % PET, "
          "6 % ash, 8 % moisture); Pryme's 'mixed plastic waste' is of unpublished composition, so the "
          "comparison is not like with like: a feed with less paper and PET, which Pryme's may be, would pass, "
          "but choosing it to pass would be tuning")
KNOWN = {
    ("plastics_pyrolysis", "pryme_one_2023"): {"pyrolysis_oil_per_t_feed_ar": _PRYME},
    ("biomass_ft", "swanson_2010_lt"): {
        "fuel_yield_gge_per_dry_short_ton": _YIELD_LT,
        "msp_usd_per_gge": _MSP_LT,
        "area_musd.power_generation": _POWER,
    },
    ("biomass_ft", "swanson_2010_ht"): {
        "area_musd.power_generation": _POWER,
    },
    ("biomass_ft", "dea_2020_85"): {
        "liquids_efficiency_lhv": (
            "measured 0.509 (+101.7 %; 0.48 while the entrained-flow gasifier also took 0.3 kg steam per kg, "
            "0.40 before the tail gas was recycled through the reformer). DEA's 25 % liquids per unit input is "
            "half the published entrained-flow plant's: Swanson et al.'s HT case makes 60.98 GGE per dry US ton "
            "(BETO database row 15) = 8.24 GJ of liquids per dry tonne, 0.54 of the LHV of carbonhub's "
            "corn_stover record (15.38 MJ/kg dry; 0.50 of its HHV, 16.54), where carbonhub's case makes 0.51 "
            "from wood (until 2026-12-07 this reason put Swanson's plant at '~41 %', which no heating value of "
            "stover gives). The sheet gives no flowsheet to follow. Not the power island: DEA exports 0.0117 MWh "
            "of electricity per MWh input (row 14, 3.5 MW) where carbonhub's plant, its power island on the steam "
            "its units raise (4.7 MW gross since each steam source enters the island at the pressure its heat can raise, "
            "the FT reactor's at ~19 bar, later on 2026-12-07; 5.5 before), buys 2.3 MW net (1.3 before), but with all the tail-gas purge burnt for power "
            "(condensing turbine, net export 0.4 MW) the liquids fell only 16 % (0.41, +60 %, measured before the "
            "entrained-flow case ran without steam)"),
        "specific_investment_meur_per_mw": (
            "measured -29.5 % (unchanged, 3.245 against 3.246 MEUR/MW, since each steam source enters the island at the "
            "pressure its heat can raise, later on 2026-12-07: the FT reactor's steam at ~19 bar, 5.7 -> 4.7 MW gross; "
            "-29.7 % before the power island held NETL's generator equipment, 11.1, later on 2026-12-07; since the shift feed-effluent exchanger wgs_feh took the shift's fired preheat and its fired heater out, later on 2026-12-07; -28.5 % with the heat above steam's reach fired and its fired heaters costed; -30.0 % "
            "before, -30.5 % earlier, -29.8 % with the compressors below Turton's range at its minimum, -29.9 % before the hydrotreater's feed-effluent exchanger) with the plant sized as "
            "DEA's, 75 MW of liquids out (row 7, note A1: the hourly "
            "rating of the product), the entrained-flow block, the hydrocracker at its quoted size, the "
            "condensate hydrotreater and the product columns and the power island of a plant that exports "
            "electricity (prices.steam_credit_rule = power_island, 5.5 MW gross, FCI 231.6 -> 241.9 MEUR2020) "
            "(2026-12-07; -32.9 % without the island, -36.6 % before the hydrotreater and the columns); sized on DEA's input (297.6 MW) it was -49 % (-47 % with the fluidised-bed block "
            "and the old hydrocracker): carbonhub's plant made 151 MW of liquids there (2.0x DEA's) and its "
            "capital per MW fell by the scale alone. Per MW of feed the two agree: re-measured 2026-12-07 (before "
            "the island) at DEA's input (297.6 MW, 58.9 dry t/h) carbonhub's FCI is 375.4 MEUR2020, 1.261 MEUR per MW of feed "
            "against DEA's 345.3 / 297.6 = 1.160 (+8.7 %, inside), and 151.3 MW of liquids (-46.1 % per MW of "
            "liquids): DEA's capital is that of a plant gasifying twice the biomass carbonhub (and Swanson et "
            "al.'s HT plant) needs for 75 MW of liquids, so this figure carries the efficiency gap "
            "(liquids_efficiency_lhv). DEA's definitions were read: MW = liquids out; the outputs are naphtha, "
            "jet and diesel (rows 11-13) plus 0.0117 electricity, no heat or other by-product, so its 25 % "
            "counts the whole liquid product and the comparison cannot be moved to another product basis. Row 20 is row 29 (per kt) x 50/75 x 1.0634, a "
            "factor only the per-MW rows carry: per kt DEA's plant is 4.33 MEUR/MW and the deviation -26.2 % "
            "(6.49 MEUR per kt/y against carbonhub's 4.88 on its own 49.0 kt/y at 8,000 h: -24.8 %; -25.4 % and 4.93 with the compressors below Turton's range at its minimum, -32.6 % "
            "when the per-MW figure was -36.6 %). DEA's sheet gives no area breakdown; its costs cite the Velocys plant and Tan et al. 2017 (note A, "
            "refs 1, 6)"),
    },
    ("biomass_methanol", "dea_2020_97"): {
        "specific_investment_meur_per_mw": (
            "measured -42.7 % (unchanged since each steam source enters the island at the pressure its heat can raise, "
            "later on 2026-12-07: the converter's steam at ~33 bar, 2.39 -> 2.15 MW gross; "
            "-42.8 % before the power island held NETL's generator equipment, 11.1, later on 2026-12-07; -44.4 % before the case costed the power island of a plant that exports "
            "electricity, prices.steam_credit_rule = power_island: 2.4 MW gross, +5.7 MEUR of FCI; -41 % before "
            "2026-12-07's other changes below): what DEA's 2020 figure is was read: 5.591 x 65 MW = 363 MEUR, "
            "equal to its 2015 column, is the Varmlands Metanol project's estimate (the sheet's ref. 5, its "
            "project page: 'about 3.5 billion kronor', 375,000 L/d = 100 kt/y, an Uhde EPC contract that "
            "guarantees performance, district heat for Hagfors, 'the world's first commercial' plant), a single "
            "first plant's project cost, not an nth-plant estimate. Compared like with like now: carbonhub's "
            "plant at DEA's output (65 MW methanol, row 7; +2 % against sizing on DEA's input) and costed "
            "first-of-a-kind (economics.maturity = foak, +5 %). The amine AGR that the NREL methanol designs use "
            "(the route default since 2026-12-07, 21 MEUR of FCI) replaced the NETL coal two-stage Selexol "
            "account scaled to 7 % of its size (-7 points). carbonhub's FCI 202 MEUR2020 without the island (208 with it): DEA's "
            "sheet-98 methanol plant 89, NETL coal feed handling 27, gasifier 22, AGR 21, ASU 15, CO2 compression 7. "
            "What the project's 3.5 bn SEK holds beyond the process plant (owner's costs, land, the 2 km raw-water "
            "line, the district-heat connection, the contractor's guarantee) and in which year's money DEA "
            "converted it could not be read; carbonhub costs no district-heat island (DEA "
            "exports 0.02 electricity and 0.22 heat per input; carbonhub's plant buys 11.8 MW of MP steam and "
            "3.2 MW of electricity net)"),
    },
    ("biomass_methanol", "phillips_2011"): {
        "area_musd.power_generation": (
            "measured -38.4 % (14.22 vs 23.08 MUSD2007, since each steam source enters the island at the pressure its heat "
            "can raise, later on 2026-12-07: the methanol converter's 35.3 MW at 523 K as saturated steam at 33.5 bar, 10 K "
            "below, admitted to the turbine there, not at the 40-bar, 400 degC throttle: 15.7 -> 15.0 MW gross, the "
            "feedwater systems and piping sized on more kg of saturated steam, 183 t/h; -38.9 %, 14.11, before, since "
            "the island holds NETL's generator equipment, account 11.1, 0.88, "
            "later on 2026-12-07; -42.7 %, 13.23, before; -42.4 % before the columns' feed heat, 2026-12-07: the "
            "topping column's 313 K feed takes extracted steam to its bubble point, 0.7 MW at the route's defaults, so less reaches the "
            "condenser), compared since 2026-12-07 (excluded before as 'steam-"
            "turbine power island not modelled'; the case now uses the route's power island, as Swanson's: "
            "prices.steam_credit_rule = power_island; -49.7 % while the case's feed came wet and its dryer took "
            "30.2 MW of steam, see the YAML's feed.moisture_wt_pct): the island expands all the steam the plant "
            "raises (syngas cooler 44.7, char-combustor flue-gas cooler 36.1, methanol converter 35.3 MW), "
            "extracts the process steam at the MP level (AGR reboiler 18.9, methanol columns 25.3, sour-water "
            "stripper 5.5 MW) and condenses the rest: 15.0 MW gross (turbine 4.9, auxiliaries 0.7, condenser 0.7, "
            "feedwater 3.2, boiler-plant systems 0.2, steam piping 3.5, foundations 0.1, generator equipment 0.9 "
            "MUSD2007, NETL accounts "
            "scaled; the fuel-gas boiler 0.15), while the units take 28.1 MW (syngas compressor 1.5 -> 28 bar "
            "18.1, make-up compressor 5.3, CO2 compression 3.2, feed handling 1.9): the plant buys 13.1 MW where "
            "the paper's buys none (BETO database row 81: 0) and sells none (row 83 empty), so the paper's island "
            "carries about 1.9x the output. Part of the difference is the route: the paper sends crude methanol "
            "to MTG, where carbonhub distils it (25.3 MW of MP steam), and vents its CO2 where carbonhub "
            "compresses it (3.2 MW); the rest is heat carbonhub does not recover (flue gas below 300 degC, "
            "combustion-air preheat: dfb_flue_cooler.T_out) or drivers it does not model (steam-driven "
            "compressors), which the paper's unread text would say. More loop purge to the boiler does not close "
            "it: purge.fraction 0.15 / 0.30 gave 11.9 / 15.0 MUSD2007 (-48 / -35 %) and still 16.4 / 12.6 MW "
            "bought, at a methanol area of -24 / -28 % (measured 2026-12-07 with the wet feed, with all the steam at the "
            "throttle). The turbine's cost "
            "basis would move it (computed 2026-12-07, not set): NREL's biorefinery turbine-generator (Humbird et al. "
            "2011 as encoded in BioSTEAM, 9.5 MUSD2010 purchased at 42,200 kW, exponent 0.6, installation 1.8) costs "
            "9.0 MUSD2007 installed at 15.8 MW against NETL 8.1's 5.1 (a 232 MW utility turbine scaled down 15x): in "
            "place of 8.1 the area would be 17.2 (-25 %), in place of 8.1-8.3 and 8.5 15.7 (-32 %), both before the island held its generator "
            "equipment (11.1: +0.9). Which it replaces "
            "depends on what Humbird's item holds (condenser, auxiliaries), which was not read: to be settled by "
            "reading its equipment list, not by this figure (BioSTEAM's encoding of it has no condenser item; the list "
            "itself could not be read, see _POWER). The raw-gas cooler (44.7 MW) and the char combustor's flue-gas "
            "cooler (36.1 MW) cost nothing of their own: their block is Tan et al. 2015's gasification area, which "
            "includes them; whether the paper holds that heat recovery in this area or in its gasification area (14.6, "
            "the database's outlier) was not read. Measured 2026-12-07, not set: both costed as waste-heat boilers on "
            "their duties (NETL 7.1, hrsg_netl, the island's own cost path) in this area give 25.9 (+12.1 %), the "
            "methanol converter's steam as one more 31.2 (+35.3 %). "
            "The area of the NREL designs after it at the same 2,000 dry t/d is 15.6-42.4 MUSD2007 (BETO row 35, see "
            "_POWER). The island takes the converter's heat at 523 K as saturated 33.5-bar steam (10 K approach, "
            "heat.steam_approach_K), admitted below the 40-bar throttle (it took it as 40-bar steam, whose boiling point "
            "is 523.5 K, until later on 2026-12-07)"),
        "area_musd.gasification": (
            "measured +209.4 % (45.17 vs 14.60 MUSD2007) with the paper's technology (build gasifier=indirect, no "
            "ASU; +158 % with the O2-blown gasifier and its ASU, when the figure was excluded). carbonhub's side "
            "checked item by item (2026-12-07): the area is the block ref.gasifier_indirect_biomass alone (Tan et "
            "al. 2015, NREL/TP-5100-62402, gasification area 49.53 MUSD2014 installed: the database's areas add up "
            "to its TIC), sized on 2,000.0 dry t/d (the paper's rate: scale factor 1), converted 2014 -> 2007 by "
            "CEPCI (576.1 -> 525.4); the char combustor, its flue-gas cooler and the raw-gas cooler cost 0 inside "
            "it (no scope costed twice); no basis, size, year or scope error. The paper's area is the outlier of "
            "the database: the other dual-fluidised-bed designs at 2,000 dry t/d, on the same basis (installed, "
            "USD2007), are 38.3 (Jones & Zhu 2009, PNNL-18481: 17.0 MUSD2008 of purchased equipment, their areas "
            "adding up to their 104 MUSD of purchased equipment, x 2.47, their installed-to-purchased factor, "
            "database sheet 'Supporting Calculations' rows 56-65), "
            "43.2 (Tan 2017), 45.2 (Tan 2015) and 43.3 MUSD2007 (Tan 2018): the paper's 14.6 is 0.34x their mean "
            "(tests/costing/test_indirect_gasifier_block.py checks the block against them; until 2026-12-07 this "
            "reason called the paper 'not an outlier of its time' by comparing its installed 14.6 with PNNL's "
            "purchased 17.0). The size of the dual bed is not the difference: the paper buys olivine and MgO at the "
            "same order as those designs (0.48 vs 0.59-0.64 MUSD/y, rows 64 and 69). What remains is the paper's "
            "own equipment cost for its gasification area, from the design generation before NREL's 2011 "
            "mixed-alcohol design (NREL/TP-5100-51400, whose title page names Harris Group Inc. engineers among "
            "its authors; whether it re-costed the gasifier could not be read), and its itemised area could not "
            "be read: the stored copies of NREL/TP-5100-47594 and NREL/TP-510-41168 hold their first pages only"),
    },
}


_RESULTS = {}  # (route, case_id) -> the simulation the comparison used


@pytest.fixture(scope="module")
def compared():
    """Compare each case once; cases with the same settings share one simulation."""
    sims, memo = {}, {}

    def get(route, case_id):
        if (route, case_id) not in memo:
            case = cases(route)[case_id]
            key = (route, repr(sorted((case.get("build") or {}).items())),
                   repr(sorted((case.get("settings") or {}).items())),
                   repr(sorted((case.get("finance") or {}).items())), repr(case.get("solver")),
                   repr(case.get("specs")))
            if key not in sims:
                sims[key], _ = run_case(route, case_id)
            res = sims[key]
            assert (res.status == "ok").all(), res.status
            memo[route, case_id] = {r.figure: r for r in compare(route, case_id, res)}
            _RESULTS[route, case_id] = res
        return memo[route, case_id]
    return get


def _params():
    out = []
    for route, case_id in _CASES:
        case = cases(route)[case_id]
        for name, fig in case["figures"].items():
            keys = ([f"{name}.{a}" for a in fig["value"]] if isinstance(fig["value"], dict)
                    else [name])
            for key in keys:
                marks = []
                why = KNOWN.get((route, case_id), {}).get(key)
                if why:
                    marks.append(pytest.mark.xfail(reason=why, strict=True))
                out.append(pytest.param(route, case_id, key, marks=marks,
                                        id=f"{route}-{case_id}-{key}"))
    return out


def test_every_route_has_two_references_from_different_papers():
    """Issue 13 item 5: >= 2 published cases per route, from different papers."""
    for route in ch.routes.names():
        sources = {c["source"] for c in cases(route).values()}
        assert len(sources) >= 2, (route, sources)


def test_docs_comparison_covers_every_case_with_the_yaml_figures():
    """docs/reference_cases.json (scripts/generate_docs.py reference-cases, shown in docs/routes.md) holds
    every case with the published values of the YAML; re-run the script after a change."""
    import json

    from carbonhub.data import project_root

    records = json.loads((project_root() / "docs" / "reference_cases.json").read_text())
    got = {(r["route"], r["case"]): {x["figure"]: x["paper"] for x in r["rows"]} for r in records}
    assert set(got) == set(_CASES)
    for route, case_id in _CASES:
        for name, fig in cases(route)[case_id]["figures"].items():
            vals = fig["value"] if isinstance(fig["value"], dict) else {None: fig["value"]}
            for area, v in vals.items():
                key = name if area is None else f"{name}.{area}"
                assert got[route, case_id][key] == pytest.approx(float(v)), (route, case_id, key)


def test_cases_carry_the_papers_own_settings():
    for route, case_id in _CASES:
        case = cases(route)[case_id]
        for key in ("source", "read_in", "verified", "paper", "settings", "figures"):
            assert key in case, (route, case_id, key)
        for key in ("feed_rate", "on_stream", "cost_year", "currency"):
            assert key in case["paper"], (route, case_id, key)
        for name, fig in case["figures"].items():
            assert fig["tolerance"] == {"yield": 0.10, "capital": 0.25, "msp": 0.20,
                                        "area": 0.35}[fig["kind"]], (route, case_id, name)


@pytest.mark.unit
@pytest.mark.parametrize("case_id", ["swanson_2010_lt", "swanson_2010_ht"])
def test_swanson_utilities_area_is_a_twelve_percent_allowance(case_id):
    """Why the Swanson cases cost their utilities as the paper does
    (``economics.utilities_allowance_frac: 0.12``, costing/utilities_allowance.py): in the
    paper's own figures (BETO database rows 20-38, as the YAML holds them) the area 'Cooling
    Water & Other Utilities' is 12 % of the installed cost of all its other areas, to the dollar,
    i.e. an allowance, not a costed utility system. The database's other 2,000 t/d gasification
    plants (Phillips et al. 2011: 4.249 of 118.1 MUSD2007) do not follow that rule."""
    fig = cases("biomass_ft")[case_id]["figures"]
    util = float(fig["area_musd"]["value"]["utilities"])
    others = float(fig["tic_musd"]["value"]) - util
    assert util == pytest.approx(0.12 * others, abs=1e-3)  # MUSD: the YAML's 3-decimal figures
    ph = cases("biomass_methanol")["phillips_2011"]["figures"]["area_musd"]["value"]["utilities"]
    tic_phillips = 118.111453  # BETO database, sheet "Gasification IDL", column F, row 38 [MUSD2007]
    assert float(ph) / (tic_phillips - float(ph)) == pytest.approx(0.0373, abs=1e-4)


@pytest.mark.unit
@pytest.mark.parametrize("item, owner", [("wgs_fired_heater", "wgs"), ("jet_column_fired_heater.1", "jet_column"),
                                         ("ft.2", "ft"), ("reformer_recycle_compressor.1", "reformer_recycle_compressor"),
                                         ("wgs_catalyst_fill", "wgs_catalyst_fill")])
def test_a_units_fired_heater_counts_in_its_area(item, owner):
    """A fired heater the costing adds to a unit (``<unit>_fired_heater``, installed cost, in the
    TIC) is compared in the area that lists the unit; a first catalyst charge is fixed capital
    outside the TIC the paper's areas add up to, so it stays out of every area."""
    assert _owner(item) == owner


@pytest.mark.unit
@pytest.mark.parametrize("case_id", ["swanson_2010_lt", "swanson_2010_ht"])
def test_swanson_cases_run_at_the_papers_feed_rate(case_id):
    """The paper's plant takes 2,000 dry METRIC t/d, not 2,000 US t/d: its own annual feedstock
    cost (BETO database, sheet "Gasification IDL", row 59 gives it at 100 % on-stream; x row 14,
    310.25 / 365.25 d) is 51,300,000 USD2007, which at its 75 USD per dry US ton (row 11) and
    310.25 d/y (row 13) is 2,204.7 US t/d. The case's feed rate must be that, within 0.1 %
    (2,000 US t/d, 75.6 t/h, is 9.3 % less)."""
    case = cases("biomass_ft")[case_id]
    feed_cost_100 = 60394278.80741  # row 59 [USD2007/y at 100 % on-stream]
    days = 310.25                   # row 13 [d/y]
    annual = feed_cost_100 * days / 365.25
    assert annual == pytest.approx(51.3e6, rel=1e-9)  # the paper's own round figure
    price = float(case["paper"]["feedstock_price"]["value"])  # USD per dry US ton
    us_t_per_d = annual / price / days
    t_per_h = us_t_per_d * 0.90718474 / 24.0  # US ton = 2,000 lb = 0.90718474 t
    assert float(case["settings"]["feed.rate_dry_t_per_h"]) == pytest.approx(t_per_h, rel=1e-3)


@pytest.mark.integration
@pytest.mark.parametrize("route, case_id, efficiency", [("biomass_ft", "dea_2020_85", "liquids_efficiency_lhv"),
                                                      ("biomass_methanol", "dea_2020_97", "methanol_efficiency_lhv")])
def test_dea_cases_run_at_the_sheets_product_output(compared, route, case_id, efficiency):
    """A specific investment per MW of product holds for a plant of the sheet's size, which DEA
    gives as MW of product out (row 7, note A1): the case's feed rate x the feedstock's dry LHV
    x carbonhub's own efficiency is that size within 3 % (sized on DEA's input instead,
    biomass_ft's plant made 1.92x DEA's liquids). Fails when a route's yield moves and the
    case's feed rate is not moved with it."""
    from carbonhub.feedstocks import get_feedstock

    case = cases(route)[case_id]
    s = case["settings"]
    feed_MW = float(s["feed.rate_dry_t_per_h"]) * get_feedstock(s["feed.feedstock"]).lhv_dry_MJ_per_kg / 3.6
    product_MW = feed_MW * compared(route, case_id)[efficiency].carbonhub
    assert product_MW == pytest.approx(float(case["paper"]["plant_size_MW"]["value"]), rel=0.03)


@pytest.mark.integration
@pytest.mark.parametrize("route, case_id, figure", _params())
def test_reference_figure(compared, route, case_id, figure):
    row = compared(route, case_id)[figure]
    if row.excluded:
        pytest.skip(f"excluded in the YAML: {row.excluded}")
    assert row.within, (f"{route}/{case_id} {figure}: carbonhub {row.carbonhub:.4g} vs paper "
                        f"{row.paper:.4g} ({100 * row.deviation:+.0f} %, tolerance "
                        f"±{100 * row.tolerance:.0f} %)")


# Units of a whole-plant case in no area of the paper's, each with why (the YAML's comments on
# ``areas`` say more): the paper vents its CO2 (no compression area), gives its gasification
# design no wastewater area (condensate treatment), holds its feed handling in the delivered
# feedstock price (Phillips, row 20), or has no counterpart (Phillips: MTG where carbonhub
# distils methanol; the syngas compressor, whose area in the paper could not be read).
_OUTSIDE_AREAS = {
    ("biomass_ft", "swanson_2010_lt"): {"co2_compression", "sws", "ww_cooler", "biotreatment"},
    ("biomass_ft", "swanson_2010_ht"): {"co2_compression", "sws", "ww_cooler", "biotreatment"},
    ("biomass_methanol", "phillips_2011"): {"co2_compression", "sws", "ww_cooler", "biotreatment", "handling",
                                            "column", "topping_column", "syngas_compressor"},
}


@pytest.mark.integration
@pytest.mark.parametrize("route, case_id", sorted(_OUTSIDE_AREAS))
def test_every_installed_unit_is_in_an_area_or_outside_by_reason(compared, route, case_id):
    """A whole plant's areas hold every unit with an installed cost, but those the case leaves
    out for a stated reason: a unit the route gains (or a costing-level unit attached to one)
    fails here until it is placed in the paper's area it belongs to."""
    compared(route, case_id)
    table = _tea(_RESULTS[route, case_id]).unit_table(0)
    listed = {u for ids in cases(route)[case_id]["areas"].values() for u in ids}
    costed = {_owner(str(i)) for i, v in zip(table.index, table["installed_eur"]) if float(v) > 0.0}
    fixed = {str(i).split(".")[0] for i in table.index if str(i).split(".")[0].endswith("_catalyst_fill")}
    assert costed - listed - fixed == _OUTSIDE_AREAS[route, case_id]


@pytest.mark.integration
@pytest.mark.parametrize("case_id", ["swanson_2010_lt", "swanson_2010_ht"])
def test_swanson_power_island_buys_no_net_electricity(compared, case_id):
    """The paper's power configuration: its plant buys no electricity (BETO database row 81 empty)
    and runs all its steam through one turbine island. In both cases the tail-gas split
    (boiler_fuel.fraction) is the design spec ``net_electricity_import_MW = 0`` (biomass_ft.yaml
    ``specs``), so the island's gross output equals the units' own power to the spec's 1e-6 MW
    in the KPI the costing reports (a hand-set split missed it by 0.06 MW after two route
    changes). HT burnt none from the time the heat above steam's reach was fired until each
    steam source entered the island at the pressure its heat can raise (the FT reactor's ~19
    bar): its plant then bought 1.4 MW with none burnt, so the spec's root is inside the
    split's range again."""
    compared("biomass_ft", case_id)
    res = _RESULTS["biomass_ft", case_id]
    k = res.kpis
    assert str(res.param("prices.steam_credit_rule")[0]) == "power_island"
    assert float(k["steam_turbine_MW"].iloc[0]) > 10.0  # all the raised steam, not a surplus
    assert abs(float(k["net_electricity_export_MW"].iloc[0])) < 1e-5
    assert 0.0 < float(res.param("boiler_fuel.fraction")[0]) < 1.0


_STEAM_RAISERS = {  # per power-island case: unit raising steam -> where its heat-recovery cost is
    ("biomass_ft", "swanson_2010_lt"): {"cooler": "gasifier", "ft": "own", "boiler": "own"},
    ("biomass_ft", "swanson_2010_ht"): {"cooler": "gasifier", "ft": "own", "boiler": "own"},
    ("biomass_methanol", "phillips_2011"): {"cooler": "gasifier", "dfb_flue_cooler": "gasifier",
                                            "meoh_reactor": "own", "boiler": "own"},
}


@pytest.mark.integration
@pytest.mark.parametrize("route, case_id", sorted(_STEAM_RAISERS))
def test_power_area_scope_of_the_island_cases(compared, route, case_id):
    """What the power_generation reasons of KNOWN say the area holds: the island's rows (NETL
    steam-cycle accounts, unit ``steam_turbine``) and the fuel-gas boiler, nothing else; every
    unit that raises steam is costed by its own block, or costs nothing inside the gasifier
    block (``includes``: the raw-gas and flue-gas coolers), so no heat-recovery equipment is
    costed for those. A unit that starts or stops raising steam, or a cooler that gets a cost of
    its own, fails here until the reasons are re-measured."""
    import numpy as np

    compared(route, case_id)
    res = _RESULTS[route, case_id]
    tea = _tea(res)
    table = tea.unit_table(0)
    area = set(cases(route)[case_id]["areas"]["power_generation"])
    assert area == {"boiler", "steam_turbine"}
    assert {_owner(str(i)) for i in table.index if _owner(str(i)) in area} == area
    raisers = {uid for uid, r in res.unit_results.items()
               if float(np.nan_to_num(np.asarray(r.utilities.get("steam_raised_W", 0.0), dtype=float)).ravel()[0]) > 0.0}
    assert raisers == set(_STEAM_RAISERS[route, case_id])
    for uid, where in _STEAM_RAISERS[route, case_id].items():
        rows = [k for k in tea.unit_costs if _owner(k) == uid]
        own = sum(float(table["installed_eur"][k]) for k in rows)
        holders = {str(np.atleast_1d(np.asarray(tea.unit_costs[k].included_in
                                                if tea.unit_costs[k].included_in is not None else ""))[0])
                   for k in rows}
        if where == "own":
            assert own > 0.0 and holders == {""}, (uid, holders)
        else:
            assert own == 0.0 and holders == {where}, (uid, holders)


@pytest.mark.integration
def test_swanson_net_electricity_spec_solves_its_root(compared):
    """The spec changes nothing but the split: the case run without its spec at the split the spec
    found gives every published figure to 1e-6 and zero net import; runs 0.005 either side of it
    import and export (the root bracketed by an independent computation). (The splits set by hand
    in biomass_ft.yaml, 0.221 LT and 0.152 HT, were measured before the heat above steam's reach
    was fired; that physics is no longer offered, so they are not re-run.)"""
    case_id = "swanson_2010_lt"
    rows = compared("biomass_ft", case_id)
    res = _RESULTS["biomass_ft", case_id]
    x = float(res.param("boiler_fuel.fraction")[0])

    def export(f):
        r, _ = run_case("biomass_ft", case_id, specs=False, settings={"boiler_fuel.fraction": f})
        return float(r.kpis["net_electricity_export_MW"].iloc[0]), r

    e, fixed = export(x)
    assert abs(e) < 1e-4
    for r in compare("biomass_ft", case_id, fixed):
        assert r.carbonhub == pytest.approx(rows[r.figure].carbonhub, rel=1e-6), r.figure
    assert export(x - 0.005)[0] < 0.0 < export(x + 0.005)[0]


@pytest.mark.unit
def test_a_case_spec_carbonhub_does_not_know_is_one_clear_error():
    from carbonhub.report.reference_cases import _case_spec

    with pytest.raises(KeyError, match="biomass_ft/swanson_2010_lt: unknown case spec 'net_power_MW' "
                                       r"\(known: net_electricity_import_MW\)"):
        _case_spec("biomass_ft", "swanson_2010_lt", "net_power_MW", {"target": 0, "vary": "boiler_fuel.fraction"})
    sp = _case_spec("biomass_ft", "swanson_2010_lt", "net_electricity_import_MW",
                    cases("biomass_ft")["swanson_2010_lt"]["specs"]["net_electricity_import_MW"])
    assert (sp.vary, sp.target, sp.lower, sp.upper) == ("boiler_fuel.fraction", 0.0, 0.0, 1.0)
