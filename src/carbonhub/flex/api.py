"""One call from a route and a price profile to the flexible plant: :func:`flexible_operation`."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from carbonhub.flex.dispatch import Dispatch, Limits, solve_dispatch
from carbonhub.flex.plant import FlexPlant
from carbonhub.flex.prices import PriceProfile, read_prices
from carbonhub.flex.results import flex_kpis

__all__ = ["FlexResult", "flexible_operation"]


@dataclass
class FlexResult:
    """A solved flexible plant: the hourly :class:`Dispatch` and its KPIs (:func:`flex_kpis`)."""

    dispatch: Dispatch
    kpis: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The JSON object of ``carbonhub flex --json`` (route, version, KPIs, hourly arrays
        left out)."""
        from carbonhub import __version__

        d = self.dispatch
        spec = getattr(d.plant.result.flowsheet, "route_spec", None) or {}
        return {"route": d.plant.route, "build_params": dict(spec.get("build_params", {})),
                "carbonhub_version": __version__, "price_profile": d.profile.name,
                "h2_storage_technology": d.plant.storage, "limits": d.limits.__dict__,
                "steady_state": d.plant.describe(), "kpis": self.kpis}

    def write_json(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=1, allow_nan=False))

    def report_html(self) -> str:
        from carbonhub.flex.report import flex_report_html

        return flex_report_html(self.dispatch, self.kpis)

    def price_duration_plot(self):
        from carbonhub.flex.plots import price_duration_plot

        return price_duration_plot(self.dispatch)

    def storage_week_plot(self, start: int | None = None):
        from carbonhub.flex.plots import storage_week_plot

        return storage_week_plot(self.dispatch, start)


def flexible_operation(route: str | Any, prices: PriceProfile | str | Path, *,
                       params: Mapping[str, Any] | None = None, storage: str = "salt_cavern",
                       methanol_storage: bool = False, limits: Mapping[str, float] | Limits | None = None,
                       fixed: Mapping[str, float] | None = None, build: Mapping[str, Any] | None = None,
                       **solve: Any) -> FlexResult:
    """Size and dispatch a route against an hourly price profile at minimum MSP.

    Parameters
    ----------
    route : str or SimulationResult
        A route name (simulated once at ``params``) or a one-case simulation result.
    prices : PriceProfile or path
        The profile, or a CSV/Parquet file (:func:`~carbonhub.flex.prices.read_prices`).
    params : mapping, optional
        Route parameters (``--set``), one value each.
    storage : {"salt_cavern", "tank"}
        H2 store technology.
    methanol_storage : bool
        Allow a methanol tank between synthesis and MtO.
    limits : mapping or Limits, optional
        Overrides of the operating limits (:class:`~carbonhub.flex.dispatch.Limits`).
    fixed : mapping, optional
        Sizes held fixed (:class:`~carbonhub.flex.plant.Sizes` names).
    build : mapping, optional
        The route's build options (``carbonhub.routes.load(route, **build)``, ``--build``),
        for a route name.
    **solve
        Passed to :func:`~carbonhub.flex.dispatch.solve_dispatch` (``max_iter``, ``solver``).

    Example
    -------
    A whole year takes minutes (doctest skipped):

    >>> import carbonhub as ch
    >>> r = ch.flex.flexible_operation("co2_methanol_mto",
    ...                                ch.flex.shipped_profile_path())  # doctest: +SKIP
    >>> r.kpis["msp_eur_per_t"] < r.kpis["msp_flat_eur_per_t"]  # doctest: +SKIP
    True
    """
    import numpy as np

    if not isinstance(prices, PriceProfile):
        prices = read_prices(prices)
    if isinstance(route, str):
        from carbonhub import routes

        fs = routes.load(route, **dict(build or {}))
        for k, v in (params or {}).items():
            if np.ndim(v) != 0:
                raise ValueError(f"{k}: flexible operation takes one value per parameter, got {v!r}")
        res = fs.simulate(params=dict(params or {}))
    else:
        if params or build:
            raise ValueError("params and build are for a route name; build and simulate the result with them instead")
        res = route
    plant = FlexPlant(res, storage=storage)
    if limits is not None and not isinstance(limits, Limits):
        limits = Limits.default(**dict(limits))
    d = solve_dispatch(plant, prices, limits=limits, fixed=fixed, methanol_storage=methanol_storage, **solve)
    return FlexResult(d, flex_kpis(d))
