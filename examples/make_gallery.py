"""Draw the figures of the documentation's gallery from one biomass_ft run and one sweep.

    python examples/make_gallery.py                 # writes docs/img/*.png
    python examples/make_gallery.py --out /tmp/img  # anywhere else

The figures are those of the reports: from the route report the carbon Sankey through the
process sections, the energy Sankey, the energy balance, the CAPEX/OPEX breakdown, the MSP
waterfall and the process flow diagram (the report's SVG, rendered to PNG by a headless
Chromium: ``make browser``); from the sweep report the tornado of the minimum selling price
(median MSP over the lowest and highest 20 % of each parameter's samples). Re-run it when the
route or the plots change and commit the PNGs (the documentation build does not run
simulations, to stay fast).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import carbonhub as ch

ROOT = Path(__file__).resolve().parents[1]
DPI = 110

TORNADO_PARAMS = {
    "gasifier.T": "uniform(1100,1250)",
    "prices.feedstock_eur_per_t": "triangular(60,90,130) EUR/t",
    "economics.capex_factor": "triangular(0.8,1.0,1.5)",
    "economics.irr": "uniform(0.06,0.14)",
    "prices.electricity_eur_per_MWh": "uniform(80,250) EUR/MWh",
    "ft.alpha": "uniform(0.85,0.92)",
    "feed.rate_dry_t_per_h": "uniform(40,120)",
}
N_SWEEP = 400


def main(argv: list[str] | None = None) -> list[Path]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="output directory")
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()

    fs = ch.routes.load("biomass_ft")
    res = fs.simulate()
    assert res.status[0] == "ok", res.status[0]
    figures = {
        "biomass_ft_sankey.png": res.plot.sankey(),
        "biomass_ft_energy_sankey.png": res.plot.energy_sankey(),
        "biomass_ft_costs.png": res.plot.costs(),
        "biomass_ft_waterfall.png": res.plot.waterfall(),
        "biomass_ft_pfd.png": res.plot.pfd(),
        "biomass_ft_energy.png": res.plot.energy(),
    }
    msp_sum = float(res.costs["msp"].iloc[:, 0].sum())
    assert abs(msp_sum / res.kpis["msp_eur_per_t"][0] - 1) < 1e-9, msp_sum
    with tempfile.TemporaryDirectory() as tmp:  # the sweep report's tornado
        from carbonhub.sweep import report_figures as rf

        sw = ch.sweep.run(fs, TORNADO_PARAMS, n=N_SWEEP, method="lhs", seed=1,
                          out=Path(tmp) / "gallery.parquet", progress=False)
        df = sw.to_pandas(ok_only=True)
        params = [p for p in TORNADO_PARAMS if p in df]
        units = {p: str(sw.meta["parameters"][p].get("unit", "") or "") for p in params}
        tor = rf.sample_tornado(df, params, "msp_eur_per_t")
        base = float(df["msp_eur_per_t"].median())
        figures["biomass_ft_tornado.png"] = rf.tornado_figure(tor, base, "msp_eur_per_t", units,
                                                              f"EUR{int(fs.get('economics.cost_year'))}")

    written = []
    for name, fig in figures.items():
        path = a.out / name
        fig.savefig(path, dpi=DPI)
        written.append(path)
        print(f"wrote {path}")
    print(f"{len(written)} figures in {time.perf_counter() - t0:.1f} s")
    return written


if __name__ == "__main__":
    main()
