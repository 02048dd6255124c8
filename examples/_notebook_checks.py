"""The last cells of each example notebook: value checks a reader would notice if wrong.

``_build_notebooks.py`` appends, to each notebook, a markdown cell and a code cell of ``assert``
statements taken from here, so that ``tests/docs/test_examples.py`` (which executes every
notebook) fails when a result shown in the notebook is wrong, not only when a cell raises. The
references are independent of the code under test where one exists (Cantera, a literature
correlation, a hand computation from the notebook's own inputs), otherwise a stated sanity
band. They hold for the small runs of the tests (``CARBONHUB_EXAMPLES_SMALL=1``) and the full
study alike.
"""
from __future__ import annotations

INTRO = ("## Checks\n\nThe numbers above, checked against independent references (a cell that "
         "fails here means a result shown in this notebook is wrong). {what}")

CHECKS: dict[str, tuple[str, str]] = {
    "01_thermo_and_equilibrium.ipynb": (
        INTRO.format(what="Element balance of every equilibrium; no solid carbon left at 1500 K "
                          "(O/C above 1); methane the main carbon species at 700 K and 30 bar; "
                          "the shift constant against Moe's (1962) correlation; methanol "
                          "equilibrium rising with pressure and falling with temperature; the "
                          "batch equilibria against Cantera's one-at-a-time solver."),
        '''\
A_all = ch.ComponentSet.default().subset(species).element_matrix
for P_bar, r_chk in scans.items():
    n0_chk = np.repeat(feed(0.5), N, axis=0)
    assert np.abs(r_chk.moles @ A_all - n0_chk @ A_all).max() < 1e-9, P_bar
    assert (r_chk.status == "ok").all(), P_bar
# wood has O/C ~ 0.68, plus 0.5 steam per C: above ~1100 K all carbon is gasified
assert 1.3 < h_c < 1.6 and 0.55 < o_c < 0.75, (h_c, o_c)   # typical wood, ~CH1.45O0.67
assert scans[1.0].moles[-1, species.index("C(s)")] < 1e-6
assert scans[30.0].moles[-1, species.index("C(s)")] < 1e-6
# low temperature, high pressure: methane is the main carbon-bearing gas
assert dry_fractions(scans[30.0])["CH4"].iloc[0] > 0.4
# water-gas shift: Moe (1962), K = exp(4577.8/T - 4.33), lies within 3-18 % of the NASA data
moe = np.exp(4577.8 / np.array([500.0, 700.0, 1000.0]) - 4.33)
assert np.all(np.abs(moe / K_shift - 1) < 0.2), moe / K_shift
# Le Chatelier: more methanol at higher pressure, less at higher temperature
assert np.all(np.diff(conv, axis=0) > 0) and np.all(np.diff(conv, axis=1) < 0)
# the batch solver against Cantera, case by case
assert np.abs(x_ch - x_ct).max() < 1e-8
print("all checks passed")'''),
    "02_build_a_flowsheet.ipynb": (
        INTRO.format(what="Balances of every unit and case; the methanol made cannot exceed "
                          "the CO + CO2 fed (one carbon each) and, with a 5 % purge, should "
                          "take most of it; a larger purge loses methanol."),
        '''\
b = res.balances
assert (b.drop(columns="energy_rel").max() < 1e-9).all() and b["energy_rel"].max() < 1e-6
fresh = res.stream("syngas_out")
co_co2 = fresh["CO"][0] + fresh["CO2"][0]                  # mol/s of carbon that can react
made = res.stream("flash_liquid")["CH3OH"][0]
assert 0.85 * co_co2 < made <= co_co2, (made, co_co2)
assert res.units.set_index("unit").loc["reactor", "heat_W"] < 0   # exothermic: heat removed
assert many.ok.all(), pd.Series(many.status).value_counts()
meoh_many = many.stream("flash_liquid")["CH3OH"]
assert np.corrcoef(purge_frac, meoh_many)[0, 1] < -0.5    # more purge, less methanol
print("all checks passed")'''),
    "03_route_tea.ipynb": (
        INTRO.format(what="The MSP breakdown adds up to the MSP; the MSP rises by the tonnes "
                          "of wood bought (as received, with its moisture) per tonne of fuel "
                          "for each EUR/t of wood; the feedstock comparison shows each case "
                          "ok or its reason."),
        '''\
msp_sum = float(tables["msp"].iloc[:, 0].sum())
assert abs(msp_sum / kpis["msp_eur_per_t"] - 1) < 1e-9, (msp_sum, kpis["msp_eur_per_t"])
wood = ch.feedstocks.get_feedstock(fs.get("feed.feedstock"))
feed_ar = kpis["feed_dry_t_per_h"] / (1 - wood.moisture_ar_wt_pct / 100)     # t/h as received
fuel = sum(kpis[f"products_t_per_h.{p}"] for p in fs.economics_spec["main_products"])
assert abs(slope / (feed_ar / fuel) - 1) < 0.01, (slope, feed_ar / fuel)
assert ((res_f.status == "ok") == cmp["msp_eur_per_t"].notna()).all()
assert (res.balances.drop(columns="energy_rel") < 1e-9).all().all()
print("all checks passed")'''),
    "04_uncertainty.ipynb": (
        INTRO.format(what="Every case ran; the tornado's base point is the route at those "
                          "inputs; the feedstock-price bar equals the tonnes of wood (as "
                          "received) per tonne of fuel times the price range; capital and the "
                          "feedstock price are the two largest drivers."),
        '''\
assert (sw.df.status == "ok").all(), sw.status_counts()
base_res = fs.simulate(params={k: [v] for k, v in base.items()})
assert abs(tor.attrs["base_kpi"] / base_res.kpis["msp_eur_per_t"][0] - 1) < 1e-9
k0 = base_res.kpis.iloc[0]
wood = ch.feedstocks.get_feedstock(fs.get("feed.feedstock"))
feed_ar = k0["feed_dry_t_per_h"] / (1 - wood.moisture_ar_wt_pct / 100)
fuel = sum(k0[f"products_t_per_h.{p}"] for p in fs.economics_spec["main_products"])
row = tor.set_index("parameter").loc["prices.feedstock_eur_per_t"]
assert abs(row["swing"] / ((row["high"] - row["low"]) * feed_ar / fuel) - 1) < 0.01
assert set(tor.iloc[:2]["parameter"]) == {"economics.capex_factor", "prices.feedstock_eur_per_t"}  # widest bars
print("all checks passed")'''),
    "05_optimisation.ipynb": (
        INTRO.format(what="The twin solved to optimality and agrees with the core; the optimum "
                          "is no worse than the best point of the core grid and the core "
                          "confirms it; the Pareto front trades MSP for CO2; the inverse TEA "
                          "hits its target in the core."),
        '''\
assert str(results.solver.termination_condition) == "optimal"
assert (pd.DataFrame({"twin": twin, "core": core}).pipe(
    lambda d: (d.twin / d.core - 1).abs()) < 1e-6).all()
assert opt.termination == "optimal"
assert abs(check.kpis["msp_eur_per_t"][0] / opt.kpis["msp_eur_per_t"] - 1) < 1e-4
assert check.kpis["msp_eur_per_t"][0] <= msp[best] * (1 + 1e-3)
assert opt.kpis["msp_eur_per_t"] < opt.kpis0["msp_eur_per_t"]
assert (pts.msp_eur_per_t / pts.msp_core - 1).abs().max() < 1e-4
assert np.all(np.diff(pts.sort_values("co2_core").msp_core) <= 1e-9)  # less CO2 costs more
assert abs(again.kpis["msp_eur_per_t"][0] / target - 1) < 1e-3
assert abs(m1 / target_alpha - 1) < 1e-6
print("all checks passed")'''),
    "06_feedstock_route_matrix.ipynb": (
        INTRO.format(what="Every route appears with its default feedstock; a cell that failed "
                          "says so (no number); medians lie inside their 5-95 % bands; carbon "
                          "efficiencies are fractions and do not move with the economic "
                          "inputs sampled."),
        '''\
for name, fs_r in routes.items():
    assert ((m.route == name) & (m.feedstock == fs_r.get("feed.feedstock"))).any(), name
assert ((m.n_ok + m.n_failed) == N).all()
assert (m.loc[m.n_ok == 0, "msp_eur_per_t_p50"].isna()).all()
okc = m.dropna(subset=["msp_eur_per_t_p50"])
assert ((okc.msp_eur_per_t_p5 <= okc.msp_eur_per_t_p50)
        & (okc.msp_eur_per_t_p50 <= okc.msp_eur_per_t_p95)).all()
assert okc.carbon_efficiency_p50.between(0.0, 1.0).all()
# only economic inputs vary here: they cannot move a mass balance
assert np.allclose(okc.carbon_efficiency_p5, okc.carbon_efficiency_p95, rtol=1e-9)
print("all checks passed")'''),
    "07_plastics_pyrolysis_vs_gasification.ipynb": (
        INTRO.format(what="Both routes solved; the gate fee and the MSP tell the same story (a route "
                          "whose MSP is below the market price has an NPV above zero and can pay more "
                          "for its feed than it does now, and the other way round)."),
        '''\
for name, r_chk in res.items():
    k_chk = r_chk.kpis.iloc[0]
    assert r_chk.status[0] == "ok", name
    richer = float(k_chk["msp_eur_per_t"]) < float(k_chk["market_price_eur_per_t"])
    assert richer == (float(k_chk["npv_eur"]) > 0), name
    # paying more than the feed costs now (feed_break_even above the price) iff NPV > 0
    p_now = float(r_chk.param("prices.feedstock_eur_per_t")[0])
    assert richer == (float(k_chk["feed_break_even_price_eur_per_t"]) > p_now), name
print("all checks passed")'''),
}
