"""Write the documentation that is generated from the code; ``--check`` only reports stale files.

Targets (default: ``kpis figures``; ``all`` adds ``reference-cases``, which runs every published
reference case, about a minute):

``kpis``             docs/guide/kpis.md, the KPI table of carbonhub.costing.kpi_table
``figures``          the ``<!-- generated:NAME -->`` blocks of README.md and docs/**/*.md: route
                     figures at the defaults (carbonhub.report.doc_figures)
``reference-cases``  docs/reference_cases.json, each route beside its published references
                     (carbonhub.report.reference_cases; docs/routes.md shows it)

Re-run after a change to a KPI, a route, its defaults, its costing or its reference data (tests
check that the files are current):

    PYTHONPATH=src python scripts/generate_docs.py [--check] [TARGET ...]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KPIS = ROOT / "docs" / "guide" / "kpis.md"
REFERENCE_CASES = ROOT / "docs" / "reference_cases.json"


def _file(path: Path, text: str, check: bool) -> list[Path]:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return []
    if not check:
        path.write_text(text, encoding="utf-8")
    return [path]


def kpis(check: bool) -> list[Path]:
    from carbonhub.costing.kpi_table import kpi_table_markdown

    return _file(KPIS, kpi_table_markdown(), check)


def figures(check: bool) -> list[Path]:
    from carbonhub.report.doc_figures import render, simulate_defaults, update_pages

    return update_pages(ROOT, render(simulate_defaults()), check=check)


def reference_cases(check: bool) -> list[Path]:
    import carbonhub as ch
    from carbonhub.report.reference_cases import as_records, cases, compare, run_case

    records = []
    for route in ch.routes.names():
        for case_id in cases(route):
            res, not_applied = run_case(route, case_id)
            records.append(as_records(route, case_id, compare(route, case_id, res), not_applied))
    return _file(REFERENCE_CASES, json.dumps(records, indent=1) + "\n", check)


TARGETS = {"kpis": kpis, "figures": figures, "reference-cases": reference_cases}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("targets", nargs="*", metavar="TARGET",
                    help=f"one of {', '.join(TARGETS)}, all (default: kpis figures)")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = ap.parse_args(argv)
    names = args.targets or ["kpis", "figures"]
    names = list(TARGETS) if "all" in names else names
    bad = [n for n in names if n not in TARGETS]
    if bad:
        ap.error(f"unknown target {bad[0]!r}: expected one of {', '.join(TARGETS)}, all")
    changed = [p for name in names for p in TARGETS[name](args.check)]
    for path in changed:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(("stale: " if args.check else "wrote: ") + str(shown))
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
