"""The Excel export: its formulas, evaluated independently of Excel and of carbonhub's DCF (a
small evaluator for the arithmetic, SUM and SUMPRODUCT the workbook uses), give the code's MSP,
FCI and TCI; the CLI writes it."""
from __future__ import annotations

import re

import numpy as np
import pytest

import carbonhub as ch

_REF = re.compile(r"(?:'([^']+)'|([A-Za-z][A-Za-z ]*))?!?\$?([A-Z]+)\$?(\d+)")


def _col(s: str) -> int:
    n = 0
    for ch_ in s:
        n = n * 26 + ord(ch_) - 64
    return n


class Evaluator:
    """Evaluates the workbook's formulas: numbers, cell references (A1, $A$1, Sheet!A1,
    'Cash flow'!A1), + - * / ^ and parentheses, SUM(range) and SUMPRODUCT(range, range)."""

    def __init__(self, wb):
        self.wb = wb
        self.cache: dict[tuple[str, str], float] = {}

    def value(self, sheet: str, coord: str) -> float:
        key = (sheet, coord)
        if key not in self.cache:
            v = self.wb[sheet][coord].value
            self.cache[key] = self.formula(sheet, v[1:]) if isinstance(v, str) and v.startswith("=") else \
                float(v or 0.0)
        return self.cache[key]

    def _range(self, sheet, a, b):
        (ca, ra), (cb, rb) = a, b
        return [self.value(sheet, f"{self._letters(c)}{r}") for r in range(ra, rb + 1)
                for c in range(_col(ca), _col(cb) + 1)]

    @staticmethod
    def _letters(n: int) -> str:
        s = ""
        while n:
            n, r = divmod(n - 1, 26)
            s = chr(65 + r) + s
        return s

    def formula(self, sheet: str, f: str) -> float:
        env = {}

        def rng(m):
            sh = m.group(1) or m.group(2) or sheet
            name = f"_r{len(env)}"
            env[name] = self._range(sh.strip(), (m.group(3), int(m.group(4))), (m.group(5), int(m.group(6))))
            return name

        f = re.sub(r"(?:'([^']+)'!|([A-Za-z][A-Za-z]*)!)?\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)", rng, f)

        def cell(m):
            sh = m.group(1) or m.group(2) or sheet
            name = f"_c{len(env)}"
            env[name] = self.value(sh.strip(), f"{m.group(3)}{m.group(4)}")
            return name

        f = re.sub(r"(?:'([^']+)'!|([A-Za-z][A-Za-z]*)!)?\$?\b([A-Z]{1,2})\$?(\d+)\b", cell, f)
        f = f.replace("^", "**")
        env["SUM"] = lambda *xs: float(sum(sum(x) if isinstance(x, list) else x for x in xs))
        env["SUMPRODUCT"] = lambda a, b: float(np.dot(a, b))
        return float(eval(f, {"__builtins__": {}}, env))  # noqa: S307 (our own workbook)


def _find(ws, label):
    for row in ws.iter_rows():
        if row[0].value == label:
            return row[1].coordinate if ws.title != "Capital" else row[5].coordinate
    raise KeyError(label)


@pytest.fixture(scope="module")
def res():
    # co2_methanol_mto sells surplus steam at its defaults (3.7 MW): the condensing turbine earns
    # a credit and is costed, so the workbook carries both
    r = ch.routes.load("co2_methanol_mto").simulate(
        params={"prices.steam_credit_rule": "condensing_turbine", "economics.income_tax_rate": 0.3})
    r.kpis
    return r


@pytest.mark.integration
def test_workbook_formulas_give_the_codes_msp_fci_and_tci(res):
    from carbonhub.report.xlsx import tea_workbook

    wb = tea_workbook(res, 0)
    ev = Evaluator(wb)
    tea = res.tea
    assert ev.value("Cash flow", _find(wb["Cash flow"], "MSP")) == pytest.approx(float(tea.msp_eur_per_t[0]), rel=1e-9)
    assert abs(ev.value("Cash flow", _find(wb["Cash flow"], "NPV at the MSP"))) < 1e-6 * float(tea.capex_eur[0])
    cap = wb["Capital"]
    assert ev.value("Capital", _find(cap, "fixed capital investment (FCI)")) == pytest.approx(float(tea.capex_eur[0]), rel=1e-9)
    assert ev.value("Capital", _find(cap, "total capital investment (TCI)")) == pytest.approx(float(tea.tci_eur[0]), rel=1e-9)
    # the steam credit is exercised: a turbine that makes power, its credit line and its capital
    k = res.kpis
    assert float(k["steam_turbine_MW"][0]) > 0.5
    assert float(k["msp_eur_per_t"][0]) < float(k["msp_no_steam_credit_eur_per_t"][0])
    credit = float(tea.variable_opex["steam_export"][0])
    assert credit < -1e6 and ev.value("Operating", _find(wb["Operating"], "steam_export")) == pytest.approx(credit, rel=1e-9)
    rows = {row[0].value: row for row in cap.iter_rows() if isinstance(row[0].value, str)}
    assert all(float(rows[r][6].value) > 0.0 for r in ("steam_turbine", "steam_turbine.1", "steam_turbine.2"))
    # a live formula: doubling the IRR in Inputs raises the MSP the sheet computes
    irr_cell = _find(wb["Inputs"], "irr")
    wb["Inputs"][irr_cell] = 0.2
    assert Evaluator(wb).value("Cash flow", _find(wb["Cash flow"], "MSP")) > float(tea.msp_eur_per_t[0]) * 1.1


@pytest.mark.integration
def test_cli_run_writes_the_workbook(tmp_path, capsys):
    import openpyxl

    from carbonhub.cli import main

    out = tmp_path / "sub" / "tea.xlsx"
    code = main(["run", "co2_methanol_mto", "--xlsx", str(out)])
    assert code in (0, None)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Inputs", "Capital", "Operating", "Cash flow"]
    assert "wrote" in capsys.readouterr().out
