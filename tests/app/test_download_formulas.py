"""Every CSV/XLSX download of the app, on a map whose text is full of spreadsheet formulas (issue 18): no
cell a spreadsheet would run as a formula (OWASP: ``=``, ``+``, ``-``, ``@``, tab, CR at the start),
numbers still numbers, and no download fails on a stored value."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from cjm.io.cells import FORMULA_START
from cjm.store import get_store
from tests.hostile import MAP_ID, hostile_map

#: Every page with a download (the Funnel page's need an uploaded file: tests/app/test_funnel_page.py).
PAGES = ["library", "journey_map", "overview", "audit", "editor", "presenter", "emotion_curve", "flow"]


@pytest.fixture
def downloads(monkeypatch):
    """Every ``download_button`` a run makes, as ``(file name, bytes)`` (deferred data built here)."""
    seen: list[tuple[str, bytes]] = []
    original = DeltaGenerator.download_button

    def spy(self, label, data, file_name=None, *args, **kwargs):
        content = data() if callable(data) else data
        seen.append((str(file_name), content.encode("utf-8") if isinstance(content, str) else bytes(content)))
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    monkeypatch.setattr(st, "download_button", lambda *a, **k: spy(st._main, *a, **k))
    return seen


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def formula_cells(name: str, data: bytes) -> list[str]:
    """The cells of a CSV or XLSX download that a spreadsheet would run as a formula."""
    if name.endswith(".xlsx"):
        wb = openpyxl.load_workbook(io.BytesIO(data))
        cells = [c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row]
        return [c for c in cells if isinstance(c, str) and c.startswith(FORMULA_START)]
    text = data.decode("utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    cells = [c for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for c in row]
    return [c for c in cells if c.startswith(FORMULA_START) and not _is_number(c)]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_download_of_any_page_holds_a_formula_cell(make_app, downloads, lang):
    get_store().create(hostile_map(), author="=cmd|' /C calc'!A0")
    for page in PAGES:
        at = make_app(lang=lang, map_id=MAP_ID)
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
    tables = [(name, data) for name, data in downloads if name.endswith((".csv", ".xlsx"))]
    names = {name.rsplit(".", 1)[-1] for name, _ in tables}
    assert names == {"csv", "xlsx"} and len(tables) >= 4, [n for n, _ in downloads]  # map tables and task lists
    for name, data in tables:
        assert formula_cells(name, data) == [], name


def test_the_check_itself_finds_formula_cells():
    assert formula_cells("a.csv", b"x,=1+1,-5\r\n") == ["=1+1"]
    raw = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["@SUM(A1)", -5, "'=safe"])
    wb.save(raw)
    assert formula_cells("a.xlsx", raw.getvalue()) == ["@SUM(A1)"]
