"""Write docs/guide/kpis.md: the KPI table (name, unit, definition, source) of
carbonhub.costing.kpi_table. Re-run after adding or changing a KPI (a test checks the file is
current):

    PYTHONPATH=src python scripts/kpi_table.py
"""
from __future__ import annotations

from pathlib import Path

from carbonhub.costing.kpi_table import kpi_table_markdown

OUT = Path(__file__).resolve().parents[1] / "docs" / "guide" / "kpis.md"


def main() -> None:
    OUT.write_text(kpi_table_markdown(), encoding="utf-8")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
