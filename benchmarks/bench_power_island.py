"""The power island of ``prices.steam_credit_rule = power_island`` at N random cases: CPU time of
``island_of`` with the steam tables (thermo/steam_tables.py) and with CoolProp HEOS
flashes per case (carbonhub.thermo.steam, the island's steam functions before the tables), in
the same process on the same cases, and their largest relative difference.

Cases: biomass_ft with a Selexol AGR (it raises steam at 40 bar in its syngas cooler and boiler
and at ~19 bar in its FT reactor, admitted below the throttle), six parameters uniform around
the defaults (feed rate, FT temperature +-3 %, gasifier temperature, CO conversion, purge, alpha
+-10 %), or all alike (``--alike``). CPU time (``time.process_time``) with the load average.

Usage::

    PYTHONPATH=src python benchmarks/bench_power_island.py [--n 10000] [--alike]
"""
from __future__ import annotations

import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[_v] = "1"  # one core: before numpy is imported

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

VARIED = {"feed.rate_dry_t_per_h": 0.1, "ft.T": 0.03, "gasifier.T": 0.1, "ft.co_conversion": 0.1,
          "purge.fraction": 0.1, "ft.alpha": 0.1}


def _load() -> str:
    return " ".join(open("/proc/loadavg").read().split()[:3])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--alike", action="store_true", help="all cases at the defaults")
    args = ap.parse_args()

    import carbonhub as ch
    from carbonhub.costing import power_island as pim
    from carbonhub.thermo import steam_tables as tab
    from carbonhub.costing.flowsheet import annual_flows
    from carbonhub.thermo import steam as heos

    fs = ch.routes.load("biomass_ft")
    rng = np.random.default_rng(7)
    params = {"prices.steam_credit_rule": "power_island", "agr.technology": "selexol"}
    for k, spread in VARIED.items():
        d = float(fs.get(k))
        params[k] = np.full(args.n, d) if args.alike else rng.uniform(d * (1 - spread), d * (1 + spread), args.n)
    res = fs.simulate(params=params)
    flows = annual_flows(res, res.param("economics.operating_hours").astype(float), island=False)
    heos._propssi()  # CoolProp imported outside the timings
    t0 = time.process_time()
    tab._tables()
    build = time.process_time() - t0

    class _Heos:  # the island's steam functions straight from CoolProp HEOS
        h_sat_liquid, h_sat_vapour, s_sat_vapour = heos.h_sat_liquid, heos.h_sat_vapour, heos.s_sat_vapour
        T_sat, P_sat, h_water, s_water = heos.T_sat, heos.P_sat, heos.h_water, heos.s_water
        h_from_PS, s_from_PH = heos.h_from_PS_water, heos.s_from_PH_water

    out = {}
    for name, props in (("tables", tab), ("HEOS", _Heos)):
        pim.props = props
        load = _load()
        t0 = time.process_time()
        out[name] = pim.island_of(res, flows, cache=False)[1]
        cpu = time.process_time() - t0
        print(f"island_of, {name:6s}: N = {args.n} {'alike' if args.alike else 'random'}, "
              f"CPU {cpu * 1e3:,.1f} ms ({cpu / args.n * 1e6:.1f} us per case), load {load}")
    pim.props = tab
    print(f"tables built once per process: CPU {build:.3f} s")
    for k, v in vars(out["HEOS"]).items():
        got = getattr(out["tables"], k)
        big = np.abs(v) > 1e-6 * max(float(np.abs(v).max()), 1e-300)
        rel = float((np.abs(got - v)[big] / np.abs(v[big])).max()) if big.any() else 0.0
        print(f"  {k}: max relative difference tables vs HEOS {rel:.1e}")


if __name__ == "__main__":
    main()
