"""Captured CO2 + electrolytic H2 to light olefins (the e-route): CO2 compression, PEM electrolysis, methanol loop, distillation, MtO, olefin recovery.

Captured CO2 (``feed``: a CO2 source with the feedstock conventions of the route library, see
below) -> intercooled CO2 compression to 80 bar. Raw water -> demineralisation -> PEM
electrolyser (30 bar) -> H2 compressor to 80 bar; the raw-water intake follows the CO2 by a
design spec so that the make-up gas has the stoichiometric module
M = (H2 - CO2)/(CO + CO2) = ``module.target`` (2.0 by default: H2/CO2 = 3, the stoichiometry of
CO2 + 3 H2 = CH3OH + H2O). -> methanol loop (equilibrium Cu/ZnO reactor, high-pressure
separator, purge, recycle compressor) -> let-down flash -> methanol/water column ->
methanol-to-olefins (SAPO-34) -> product-gas compressor -> olefin separation train -> ethylene
and propylene (the main product, "light olefins") and a C4+ cut (by-product). Loop purge, flash
gas, the train's fuel gas and ethane/propane and the MtO coke fire a boiler (steam credit).
Column bottoms and MtO water go to biological treatment; the demineralisation reject leaves as
wastewater; the electrolyser's O2 is vented.

Feed conventions (every route has ``feed.feedstock``, ``feed.rate_dry_t_per_h`` and
``prices.feedstock_eur_per_t``): here ``feed`` is a :class:`CapturedCO2` source.
``feed.feedstock`` has the single choice ``"captured_co2"``; ``feed.rate_dry_t_per_h`` is the
CO2 delivered [t/h] (dry CO2, 1.5 bar, 40 degC, as leaving a capture plant); ``feed.origin``
says where the carbon comes from: ``"biogenic"`` (default: e.g. fermentation or biogas
upgrading, or capture at a biomass-fired plant), ``"recycled"`` (fossil flue gas: counts as
fossil for the EU ETS), ``"atmospheric"`` (direct air capture) or ``"fossil"``. The products'
``carbon_in_products_<origin>_fraction`` and the split of the emitted CO2 follow it.

CO2 price: the CO2 is the route's feedstock (``is_feedstock``): priced by
``prices.feedstock_eur_per_t`` or, when that is NaN, by prices.yaml's ``captured_co2`` entry;
``feed_dry_t_per_h`` reports the CO2 delivered.

Documented simplifications: the separators, the recycle compressor and the methanol column are
inside the block cost ``ref.methanol_synthesis_loop`` (DEA 2020 sheet 98 power-to-methanol, which
includes distillation), the product-gas compressor and the olefin train inside ``ref.mto_unit``
(DECHEMA 2017); those units carry no cost of their own here (their electricity is counted). The
loop purge is 1 % of the separator gas, as industrial loops fed with pure H2 and CO2 (no inerts
enter; see the YAML): the Anderson tear of the core converges it in about 40 iterations (the
Wegstein tear needed ~500, which had forced 5 %); the H2-rich purge costs about 3 % of the H2
(13 % at 5 %). The reference case runs at 2 %. The demineralisation and the electrolyser both
report the demineralised water as a utility, so it is also priced as bought (a small double
count, about 23 EUR/t of light olefins). The electrolyser's O2 is not sold.

Reference figures: DECHEMA (2017) as transcribed in PyPSA technology-data (H2 and CO2 per t
methanol, methanol per t olefins, electricity of methanolisation and MtO), Perez-Fortes et al.
(2016) (1.46 t CO2/t methanol) and ICIS (2010) (3.0 t methanol/t olefins); see
flowsheets/co2_methanol_mto.yaml.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

import carbonhub as ch
from carbonhub.core.flowsheet import DesignSpec
from carbonhub.core.stream import ORIGINS, Stream
from carbonhub.core.unit import Param, Unit, UnitResult
from carbonhub.costing.flowsheet import add_economics
from carbonhub.costing.ghg_params import add_ghg_params
from carbonhub.unitops.basic import Mixer
from carbonhub.unitops.co2 import CO2Compression
from carbonhub.unitops.electrolysis import Electrolyser
from carbonhub.unitops.machines import Compressor
from carbonhub.unitops.sources import ProportionalFeed, Sink
from carbonhub.unitops.water import Demineralisation

# flowsheets/ is not a package: load the shared sections (flowsheets/_sections.py) by path
_spec = importlib.util.spec_from_file_location("carbonhub_routes._sections", Path(__file__).with_name("_sections.py"))
S = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(S)

NAME = "co2_methanol_mto"
P_TRAIN = 32e5  # Pa, demethaniser of the olefin train
syngas_module = S.syngas_module


class CapturedCO2(Unit):
    """Captured CO2 delivered to the plant: pure CO2 at ``T`` and ``P``, ``rate_dry_t_per_h``
    [t/h] (molar mass of CO2 from the component set), carbon origin ``origin`` (per case). The
    parameter names follow the route-library convention of
    :class:`~carbonhub.unitops.sources.Feedstock` (``feedstock`` has the single choice
    ``"captured_co2"``), so that routes can be swept and compared alike.

    Example
    -------
    >>> import carbonhub as ch
    >>> u = CapturedCO2("feed", rate_dry_t_per_h=44.0095 * 3.6)
    >>> u.cs = ch.ComponentSet.default()
    >>> r = u.run({}, u.resolve({}, 1))
    >>> round(float(r.outlets["out"].mass_flow[0] * 3.6), 9)   # t/h
    158.4342
    """

    kind = "source"
    is_feedstock = True  # priced as the route's feedstock (prices.feedstock_eur_per_t)
    outlets = ("out",)
    params = {
        "feedstock": Param("captured_co2", "choice", doc="feed id (captured CO2 only)",
                           choices=("captured_co2",)),
        "rate_dry_t_per_h": Param(100.0, "t/h", 1e-6, 1e5, "CO2 delivered [t/h]"),
        "origin": Param("biogenic", "choice", doc="origin of the CO2's carbon", choices=ORIGINS),
        "T": Param(313.15, "K", 200.0, 600.0, "temperature [K]"),
        "P": Param(1.5e5, "Pa", 1e4, 2e7, "pressure [Pa]"),
    }

    def run(self, ins, p) -> UnitResult:
        cs = self.cs or ch.ComponentSet.default()
        n = p.n
        flow = np.zeros((n, len(cs)))
        i = cs.index("CO2")
        flow[:, i] = p.rate_dry_t_per_h * 1000.0 / 3600.0 / cs.molar_mass[i]
        org = np.broadcast_to(np.asarray(p.origin), (n,))[:, None] == np.array(ORIGINS)[None, :]
        s = Stream(cs, flow, p.T.copy(), p.P.copy(), org.astype(float))
        z = np.zeros(n)
        return UnitResult({"out": s}, z, z.copy())

    def build_pyomo(self, b, p, init) -> None:
        """Twin: CO2 flow = rate [t/h] / M_CO2, T and P as given."""
        import pyomo.environ as pyo

        cs = b.config.property_package.cs
        per_tph = 1000.0 / 3600.0 / float(cs.molar_mass[cs.index("CO2")])  # mol/s per t/h
        out = b.sout("out")
        b.eq_flow = pyo.Constraint(b.comps, rule=lambda b, j: out.flow_mol_comp[j] == (
            per_tph * b.par["rate_dry_t_per_h"] if j == "CO2" else 0.0) * pyo.units.mol / pyo.units.s,
            doc="pure CO2 at the given rate")
        b.eq_T = pyo.Constraint(expr=out.temperature == b.pv("T"), doc="temperature")
        b.eq_P = pyo.Constraint(expr=out.pressure == b.pv("P"), doc="pressure")
        b.heat.fix(0.0)
        b.power.fix(0.0)


def module_spec(stream_id: str, vary: str, unit_id: str, port: str = "out",
                target_param: str = "module.target") -> DesignSpec:
    """Vary ``vary`` so that the module of ``stream_id`` (outlet ``port`` of ``unit_id``) equals
    the parameter ``target_param``. The module is linear in the H2 supply, so the bracketing
    secant of the spec solver meets it in one step after the two bounds. In the
    equation-oriented twin the spec is the equation M(outlet) = target."""

    def measure(state) -> np.ndarray:
        return syngas_module(state.stream(stream_id))

    def pyomo_measure(m):
        return S.syngas_module_ratio(getattr(m.fs, unit_id).sout(port).flow_mol_comp)

    return DesignSpec("makeup_module", vary, measure, target_param, 2.0, 8.0, tol=1e-9,
                      doc=f"(H2 - CO2)/(CO + CO2) of {stream_id} = {target_param} by {vary}",
                      measured_unit=unit_id, pyomo_measure=pyomo_measure)


def build(zld: bool = False, **params: Any) -> ch.Flowsheet:
    """Build the route; ``params`` are ``unit.param`` values applied on top of the defaults
    (e.g. ``build(**{"feed.origin": "atmospheric"})``).
    ``zld=True`` builds the zero-liquid-discharge variant of the water treatment (the treated
    water and sludge through an evaporator/crystalliser, flowsheets/_sections.py WaterTreatment;
    its distillate reused, ``water.reuse = "all"``: cooling-tower make-up, demin feed, process water).
    """
    fs = ch.Flowsheet(NAME)
    D = ch.routes.RouteDefaults(NAME)  # the route's defaults (co2_methanol_mto.yaml), their one home
    P_loop = D["co2_compressor.P_out"]  # the CO2 is compressed to the loop pressure
    # -- CO2 and hydrogen
    feed = CapturedCO2("feed")
    co2comp = CO2Compression("co2_compressor", P_out=P_loop)
    raw_water = ProportionalFeed("raw_water", composition={"H2O(L)": 1.0}, basis="mol:CO2", ratio=4.0,
                                 T=298.15, P=30e5, category="process_water")
    demin = Demineralisation("demin")
    electrolyser = Electrolyser("electrolyser", P=30e5)
    h2comp = Compressor("h2_compressor", P_out=P_loop, n_stages=2, aftercooler="yes")
    makeup_mix = Mixer("makeup_mixer", n_inlets=2)
    # -- methanol synthesis loop (no make-up compressor) and purification, MtO and olefin recovery
    loop = S.MethanolLoop(P_loop=P_loop, purge=D["purge.fraction"], range_policy="status", makeup_compressor=False,
                          reactor={k: D[f"meoh_reactor.{k}"] for k in ("T", "dT_approach")})
    mto = S.MtoTrain(P_train=P_TRAIN, mto={"T": D["mto.T"]})
    # -- utilities and water treatment (no sour water: biological treatment only)
    boiler = S.Boiler(n_fuels=5)
    water = S.WaterTreatment(n_inlets=4, stripper=False, zld=zld, zld_extra=1)
    o2_vent = Sink("o2_vent", category="emission")
    reject = None if zld else Sink("demin_reject", category="wastewater")  # with zld: to the ZLD
    S.add(fs, [feed, co2comp, raw_water, demin, electrolyser, h2comp, makeup_mix], loop, mto, boiler, water)
    S.add(fs, mto.sinks, o2_vent, boiler.sinks, water.sinks, [reject] if reject is not None else [])

    c = fs.connect
    fuel, ww = boiler.inlets, water.inlets
    # the raw water follows the compressed CO2 (the same CO2 moles as delivered), so that the
    # make-up spec, which varies the raw water, does not run the CO2 compressor again
    c(feed.outlets.out, co2comp.inlets.feed)
    c(co2comp.outlets.out, raw_water.inlets.ref)
    c(raw_water.outlets.ref, makeup_mix.inlets.in1)
    c(raw_water.outlets.out, demin.inlets.feed)
    c(demin.outlets.demin_water, electrolyser.inlets.water)
    c(demin.outlets.reject, water.zld_inlets.in3 if zld else reject.inlets.feed, id="demin_reject")
    c(electrolyser.outlets.o2, o2_vent.inlets.feed)
    c(electrolyser.outlets.water_out, ww.in3)
    c(electrolyser.outlets.h2, h2comp.inlets.feed)
    c(co2comp.outlets.condensate, ww.in4)
    c(h2comp.outlets.out, makeup_mix.inlets.in2)
    loop.connect(fs, makeup=makeup_mix.outlets.out, fuel=(fuel.in1, fuel.in2), bottoms=ww.in1)
    mto.connect(fs, methanol=loop.methanol, water=ww.in2, coke=fuel.in5, fuel_gas=fuel.in3, ethane_propane=fuel.in4)
    boiler.connect(fs)
    water.connect(fs)

    fs.add_group("module", {"target": Param(D["module.target"], "", 1.5, 3.0,
                                            "module (H2 - CO2)/(CO + CO2) of the make-up gas [-]")})
    fs.add_spec(module_spec("makeup_gas", "raw_water.ratio", "makeup_mixer"))
    add_ghg_params(fs, ppa_share=D["ghg.ppa_share"])  # electrolysis on renewable power bought under a PPA
    add_economics(fs, ["ethylene", "propylene"], main_name="light_olefins")
    ch.routes.apply_defaults(fs, D)
    if zld:
        fs.set("water.reuse", "all")
    for k, v in params.items():
        fs.set(k, v)
    return fs
