"""The generated KPI table (carbonhub.costing.kpi_table): docs/guide/kpis.md is current, every
row has a unit, a definition and a source, and placeholders match what they stand for."""
from __future__ import annotations

from pathlib import Path

import pytest

from carbonhub.costing.kpi_table import KPI_DEFINITIONS, describe, kpi_table_markdown, undocumented

DOC = Path(__file__).resolve().parents[2] / "docs" / "guide" / "kpis.md"


@pytest.mark.unit
def test_docs_kpi_table_is_current():
    assert DOC.read_text(encoding="utf-8") == kpi_table_markdown(), (
        "docs/guide/kpis.md is stale: run PYTHONPATH=src python scripts/generate_docs.py")


@pytest.mark.unit
def test_every_row_is_complete_and_unique():
    names = [d[0] for d in KPI_DEFINITIONS]
    assert len(names) == len(set(names))
    for name, unit, definition, source in KPI_DEFINITIONS:
        assert unit and definition and source, name


@pytest.mark.unit
def test_placeholders_match_and_names_win():
    assert describe("co2_emitted_fossil_like_t_per_y")["name"] == "co2_emitted_fossil_like_t_per_y"
    assert describe("co2_emitted_biogenic_t_per_y")["name"] == "co2_emitted_<origin>_t_per_y"
    assert describe("products_t_per_h.ft_diesel")["unit"] == "t/h"
    assert undocumented(["exergy_efficiency", "no_such_kpi"]) == ["no_such_kpi"]
