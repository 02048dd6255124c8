"""Draw the figures of the documentation's gallery from one biomass_ft run.

    python examples/make_gallery.py                 # writes docs/img/*.png
    python examples/make_gallery.py --out /tmp/img  # anywhere else

Figures: the carbon Sankey by origin, the CAPEX/OPEX breakdown, the MSP waterfall, the process
flow diagram, the energy balance, and a tornado of the minimum selling price
(:func:`carbonhub.sweep.tornado`). Re-run it when the route or the plots change and commit the
PNGs (the documentation build does not run simulations, to stay fast).
"""
from __future__ import annotations

import argparse
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
        "biomass_ft_costs.png": res.plot.costs(),
        "biomass_ft_waterfall.png": res.plot.waterfall(),
        "biomass_ft_pfd.png": res.plot.pfd(),
        "biomass_ft_energy.png": res.plot.energy(),
    }
    base = {name: fs.get(name) for name in TORNADO_PARAMS}
    base["prices.feedstock_eur_per_t"] = 90.0  # the default NaN means "prices.yaml": 90 EUR/t
    tor = ch.sweep.tornado(fs, TORNADO_PARAMS, kpi="msp_eur_per_t", base=base)
    figures["biomass_ft_tornado.png"] = ch.sweep.plot_tornado(tor)
    # the tornado's base point is the route at those inputs; the MSP breakdown adds up
    at_base = fs.simulate(params={k: [v] for k, v in base.items()}).kpis["msp_eur_per_t"][0]
    assert abs(tor.attrs["base_kpi"] / at_base - 1) < 1e-9, (tor.attrs["base_kpi"], at_base)
    msp_sum = float(res.costs["msp"].iloc[:, 0].sum())
    assert abs(msp_sum / res.kpis["msp_eur_per_t"][0] - 1) < 1e-9, msp_sum

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
