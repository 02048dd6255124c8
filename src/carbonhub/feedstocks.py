"""Feedstocks from ``property_data/feedstocks.yaml``: ultimate/proximate analysis, moisture,
ash, heating values, contaminants, biogenic carbon share, each with its source.

Example
-------
>>> from carbonhub.feedstocks import get_feedstock
>>> f = get_feedstock("wood_chips")
>>> 40 < f.ultimate_dry_wt_pct["C"] < 55
True
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

H2O_LATENT_25C_MJ_PER_KG = 2.442
"""Latent heat of water at 25 °C [MJ/kg] (IAPWS-95 via e.g. NIST Webbook: 43.99 kJ/mol)."""
H_TO_H2O = 8.936
"""kg water formed per kg hydrogen (M_H2O / M_H2 = 18.015 / 2.016)."""


@dataclass(frozen=True)
class Feedstock:
    """One feedstock (dry basis unless a name says otherwise)."""

    id: str
    name: str
    category: str
    biogenic_carbon_fraction: float
    ultimate_dry_wt_pct: dict[str, float]
    ash_dry_wt_pct: float
    moisture_ar_wt_pct: float
    hhv_dry_MJ_per_kg: float
    lhv_dry_MJ_per_kg: float
    proximate_dry_wt_pct: dict[str, float] = field(default_factory=dict)
    trace_dry_mg_per_kg: dict[str, float] = field(default_factory=dict)
    polymers_dry_wt_pct: dict[str, float] = field(default_factory=dict)
    source: str = ""
    note: str = ""

    @property
    def org_id(self) -> str:
        """Id of its organic pseudo-component in the component set."""
        return f"ORG_{self.id}"

    def lhv_ar_MJ_per_kg(self) -> float:
        """LHV as received [MJ/kg wet]."""
        w = self.moisture_ar_wt_pct / 100.0
        return self.lhv_dry_MJ_per_kg * (1 - w) - H2O_LATENT_25C_MJ_PER_KG * w


class UnknownFeedstockError(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def _lhv_from_hhv(hhv: float, h_wt_pct: float) -> float:
    return hhv - H2O_LATENT_25C_MJ_PER_KG * H_TO_H2O * h_wt_pct / 100.0


@lru_cache(maxsize=1)
def load_feedstocks() -> dict[str, Feedstock]:
    """All feedstocks, by id, validated (closure of the ultimate analysis within 1 wt%)."""
    from .data import load_yaml

    raw = load_yaml("feedstocks.yaml")
    out: dict[str, Feedstock] = {}
    for fid, d in raw["feedstocks"].items():
        poly = {k: float(v) for k, v in (d.get("polymers_dry_wt_pct") or {}).items()}
        if poly:
            ult, hhv_mix = ultimate_from_polymers(fid, poly)
            stated = d.get("ultimate_dry_wt_pct") or {}
            for e, v in stated.items():
                if abs(float(v or 0.0) - ult.get(e, 0.0)) > 0.05:
                    raise ValueError(f"feedstocks.yaml: {fid}: ultimate {e} = {v} wt% differs from "
                                     f"{ult.get(e, 0.0):.3f} wt% computed from its polymers (tolerance 0.05)")
            d = {**d, "ultimate_dry_wt_pct": ult, "hhv_dry_MJ_per_kg": d.get("hhv_dry_MJ_per_kg", hhv_mix)}
        ult = {k: float(v or 0.0) for k, v in d["ultimate_dry_wt_pct"].items()}
        ash = float(ult.pop("ash", d.get("proximate_dry_wt_pct", {}).get("ash", 0.0)))
        total = sum(ult.get(e, 0.0) for e in ("C", "H", "O", "N", "S", "Cl")) + ash
        if abs(total - 100.0) > 1.0:
            raise ValueError(f"feedstocks.yaml: {fid}: ultimate analysis + ash sums to {total:.2f} "
                             "wt% (dry), expected 100 +- 1")
        # close exactly on oxygen (by-difference convention) so that the element inventory is
        # consistent with 100 % of the dry mass
        ult["O"] = ult.get("O", 0.0) + (100.0 - total)
        hhv = float(d["hhv_dry_MJ_per_kg"])
        lhv = float(d.get("lhv_dry_MJ_per_kg") or _lhv_from_hhv(hhv, ult.get("H", 0.0)))
        out[fid] = Feedstock(
            id=fid, name=d.get("name", fid), category=d.get("category", "biomass"),
            biogenic_carbon_fraction=float(d.get("biogenic_carbon_fraction", 1.0)),
            ultimate_dry_wt_pct=ult, ash_dry_wt_pct=ash,
            moisture_ar_wt_pct=float(d.get("moisture_ar_wt_pct", 0.0)),
            hhv_dry_MJ_per_kg=hhv, lhv_dry_MJ_per_kg=lhv,
            proximate_dry_wt_pct=dict(d.get("proximate_dry_wt_pct", {}) or {}),
            trace_dry_mg_per_kg=dict(d.get("trace_dry_mg_per_kg", {}) or {}),
            polymers_dry_wt_pct=poly,
            source=str(d.get("source", "")), note=str(d.get("note", "")))
    return out


STANDARD_ATOMIC_WEIGHTS = {"C": 12.011, "H": 1.008, "N": 14.007, "O": 15.999, "S": 32.06, "Cl": 35.453}
"""Standard atomic weights [g/mol] (IUPAC; the values of the ``stoichiometry`` source of
feedstocks.yaml and polymers.yaml) for the mass fractions of polymer repeat units. The feedstock's ultimate analysis and the pyrolysis
slates both use these fractions, so element balances close whatever the atomic weights."""
M_C = STANDARD_ATOMIC_WEIGHTS["C"] * 1e-3
"""Molar mass of carbon [kg/mol] (carbon flows [mol C/s] to t C)."""


@lru_cache(maxsize=1)
def load_polymers() -> dict[str, dict]:
    """``property_data/polymers.yaml``: per polymer its repeat unit, mass fractions of the
    elements (``wt``, from :data:`STANDARD_ATOMIC_WEIGHTS`) and HHV [MJ/kg daf]."""
    from .data import load_yaml

    aw = STANDARD_ATOMIC_WEIGHTS
    out = {}
    for pid, d in load_yaml("polymers.yaml")["polymers"].items():
        ru = {e: float(n) for e, n in d["repeat_unit"].items()}
        M = sum(aw[e] * n for e, n in ru.items())
        out[pid] = {"name": d.get("name", pid), "repeat_unit": ru, "molar_mass": M / 1000.0,  # kg/mol
                    "wt": {e: aw[e] * n / M for e, n in ru.items()},
                    "hhv_MJ_per_kg": float(d["hhv_MJ_per_kg"]), "source": d.get("source", "")}
    return out


def ultimate_from_polymers(fid: str, poly: dict[str, float]) -> tuple[dict[str, float], float]:
    """Ultimate analysis [wt% dry, incl. ash] and additive HHV [MJ/kg dry] of a polymer mix
    ``{polymer id or 'ash': wt% dry}`` (sums to 100 +- 0.01)."""
    known = load_polymers()
    bad = [k for k in poly if k != "ash" and k not in known]
    if bad:
        raise ValueError(f"feedstocks.yaml: {fid}: unknown polymer {bad[0]!r} in polymers_dry_wt_pct; "
                         f"known: {', '.join(known)}, ash")
    if any(v < 0 for v in poly.values()) or abs(sum(poly.values()) - 100.0) > 0.01:
        raise ValueError(f"feedstocks.yaml: {fid}: polymers_dry_wt_pct must be >= 0 and sum to 100 "
                         f"(got {sum(poly.values()):.3f})")
    ult = {e: 0.0 for e in ("C", "H", "O", "N", "S", "Cl")}
    hhv = 0.0
    for k, w in poly.items():
        if k == "ash":
            continue
        for e, f in known[k]["wt"].items():
            ult[e] += w * f
        hhv += w / 100.0 * known[k]["hhv_MJ_per_kg"]
    ult["ash"] = poly.get("ash", 0.0)
    return ult, hhv


def feedstock_ids() -> list[str]:
    return list(load_feedstocks())


def get_feedstock(fid: str) -> Feedstock:
    """Feedstock by id; an unknown id raises an error listing the known ones."""
    fs = load_feedstocks()
    if fid not in fs:
        raise UnknownFeedstockError(f"unknown feedstock {fid!r}; known feedstocks: {', '.join(fs)}")
    return fs[fid]


BLEND_TOL = 1e-9
"""Shares of a blend must sum to 1 within this tolerance."""


def parse_blend(text: str) -> dict[str, float]:
    """A feed blend ``"rdf:0.6,wood_chips:0.4"`` (``+`` also separates; a bare id is the
    feedstock alone) -> ``{id: share of the dry feed}``. Raises ValueError naming the value and
    what was expected: unknown ids (with the close ones), shares that are not numbers, negative,
    repeated ids, or shares that do not sum to 1.

    Example
    -------
    >>> parse_blend("rdf:0.6 + wood_chips:0.4")
    {'rdf': 0.6, 'wood_chips': 0.4}
    """
    from difflib import get_close_matches

    known = load_feedstocks()
    raw = str(text).strip()
    parts = [p.strip() for p in raw.replace("+", ",").split(",") if p.strip()]
    if not parts:
        raise ValueError(f"{text!r}: expected a blend 'id:share,id:share' of feedstocks.yaml ids "
                         "with shares of the dry feed summing to 1")
    out: dict[str, float] = {}
    for part in parts:
        fid, _, share = part.partition(":")
        fid = fid.strip()
        if fid not in known:
            near = get_close_matches(fid, list(known), n=2)
            raise ValueError(f"{text!r}: unknown feedstock {fid!r}" + (f" (did you mean {', '.join(near)}?)" if near
                                                                     else "") + f"; known: {', '.join(known)}")
        try:
            w = float(share) if share.strip() else (1.0 if len(parts) == 1 else float("nan"))
        except ValueError:
            w = float("nan")
        if not np.isfinite(w):
            raise ValueError(f"{text!r}: share of {fid!r} = {share.strip()!r}: expected a number "
                             "(fraction of the dry feed), e.g. 'rdf:0.6,wood_chips:0.4'")
        if w < 0:
            raise ValueError(f"{text!r}: share of {fid!r} = {w:g}: expected >= 0")
        if fid in out:
            raise ValueError(f"{text!r}: feedstock {fid!r} given twice")
        out[fid] = w
    tot = sum(out.values())
    if abs(tot - 1.0) > BLEND_TOL:
        raise ValueError(f"{text!r}: shares sum to {tot:.12g}; expected 1 (fractions of the dry feed)")
    return out


def normalise_blend(text: str) -> str:
    """Canonical form of a blend (``"a:0.6,b:0.4"``; shares as given, ids checked)."""
    return ",".join(f"{k}:{v!r}" for k, v in parse_blend(text).items())
