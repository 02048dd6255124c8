"""Plant areas of the capital table: each unit's area from its kind, generic equipment by where
it delivers.

Areas (in report order): ``feed_handling`` (receiving, size reduction, drying, torrefaction),
``gasification`` (syngas or hydrogen generation: gasifier, syngas cooler, ASU, electrolysis;
plastics pyrolysis), ``cleanup`` (scrubbing, sulphur removal, shift, acid-gas removal, CO2
compression, pyrolysis vapour condensation),
``synthesis`` (FT, methanol and MtO reactors with their loops), ``upgrading`` (hydrocracking,
hydrotreating, steam cracking, fractionation, distillation, olefin recovery), ``utilities`` (boiler, steam and power) and
``osbl`` (water and wastewater treatment). ``utilities`` and ``osbl`` units are outside battery
limits in the TCI build-up (no warehouse, site development or additional piping on them), as in
Humbird et al. (2011), NREL/TP-5100-47764, where boiler, utilities and wastewater treatment are
outside the ISBL base of those factors.

A unit class may state its area (attribute ``cost_area``), a route may set it on a unit; else
:data:`AREA_BY_CLASS` decides; generic equipment (compressors, heaters, flashes, splitters,
exchangers, PSA) takes the area of the first classified unit downstream of it (a make-up
compressor belongs to the synthesis it feeds, a shift cooler to the acid-gas removal).
"""
from __future__ import annotations

__all__ = ["AREAS", "AREA_BY_CLASS", "OSBL_AREAS", "own_area", "unit_areas"]

AREAS = ("feed_handling", "gasification", "cleanup", "synthesis", "upgrading", "utilities", "osbl")
OSBL_AREAS = ("utilities", "osbl")

AREA_BY_CLASS = {
    "Feedstock": "feed_handling", "FeedHandling": "feed_handling", "Dryer": "feed_handling",
    "Torrefaction": "feed_handling", "Pelletiser": "feed_handling", "PlasticsWasher": "feed_handling",
    "Gasifier": "gasification", "AirSeparationUnit": "gasification", "SyngasCooler": "gasification",
    "Electrolyser": "gasification", "Pyrolyser": "gasification", "PyrolysisReactor": "gasification",
    "PyrolysisCondenser": "cleanup",
    "Scrubber": "cleanup", "SulphurRemoval": "cleanup", "WaterGasShift": "cleanup",
    "AcidGasRemoval": "cleanup", "CO2Compression": "cleanup", "Membrane": "cleanup",
    "FischerTropsch": "synthesis", "MethanolReactor": "synthesis", "MethanolToOlefins": "synthesis",
    "Hydrocracker": "upgrading", "ProductFractionator": "upgrading", "ShortcutColumn": "upgrading",
    "OlefinSeparationTrain": "upgrading", "Hydrotreater": "upgrading", "SteamCracker": "upgrading",
    "Boiler": "utilities", "SteamTurbine": "utilities",
    "SourWaterStripper": "osbl", "BiologicalTreatment": "osbl", "ReverseOsmosis": "osbl",
    "Demineralisation": "osbl",
}


def own_area(unit) -> str | None:
    """The area a unit states (``cost_area``) or its class has; None for generic equipment."""
    a = getattr(unit, "cost_area", None)
    if a is not None:
        if a not in AREAS:
            raise ValueError(f"unit {unit.id!r}: cost_area {a!r}; expected one of {', '.join(AREAS)}")
        return a
    for cls in type(unit).__mro__:
        if cls.__name__ in AREA_BY_CLASS:
            return AREA_BY_CLASS[cls.__name__]
    return None


def unit_areas(fs) -> dict[str, str]:
    """Area of every unit of a flowsheet (``"utilities"`` where nothing downstream decides)."""
    own = {uid: own_area(u) for uid, u in fs.units.items()}
    down: dict[str, list[str]] = {}
    for c in fs.connections:
        down.setdefault(c.src.unit.id, []).append(c.dst.unit.id)
    out: dict[str, str] = {}
    for uid in fs.units:
        if own[uid] is not None:
            out[uid] = own[uid]
            continue
        seen, queue, found = {uid}, list(down.get(uid, [])), None
        while queue and found is None:  # breadth first: the nearest classified unit downstream
            nxt = []
            for v in queue:
                if v in seen:
                    continue
                seen.add(v)
                if own.get(v) is not None:
                    found = own[v]
                    break
                nxt.extend(down.get(v, []))
            queue = nxt
        out[uid] = found or "utilities"
    return out
