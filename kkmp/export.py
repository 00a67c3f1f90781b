"""Writing datasets out as CSV or XLSX, safe to open in a spreadsheet program."""

from __future__ import annotations

import io

import pandas as pd

from kkmp.schema import Dataset

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    """Text that a spreadsheet would run as a formula, prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_plain_frame(dataset: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame in the canonical file form: ISO dates, ya/tidak, text cells formula-safe."""
    out = pd.DataFrame(index=frame.index)
    for c in dataset.columns:
        if c.name not in frame.columns:
            continue
        s = frame[c.name]
        if c.type == "date":
            out[c.name] = s.dt.strftime("%Y-%m-%d").astype("object").where(s.notna(), None)
        elif c.type == "bool":
            out[c.name] = s.astype("object").map(lambda v: None if pd.isna(v) else ("ya" if v else "tidak"))
        elif c.type in ("str", "list", "json"):
            out[c.name] = s.astype("object").where(s.notna(), None).map(neutralise_formula)
        elif c.type == "int":
            out[c.name] = s.astype("object").where(s.notna(), None)
        else:
            out[c.name] = s
    return out


def export_csv(dataset: Dataset, frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheet programs read the accents) of the dataset.

    Lines end in CRLF (RFC 4180), so a cell holding a bare CR or LF is quoted and stays one cell.
    """
    text = to_plain_frame(dataset, frame).to_csv(index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def export_xlsx(dataset: Dataset, frame: pd.DataFrame) -> bytes:
    """An XLSX workbook with one sheet named after the dataset."""
    buffer = io.BytesIO()
    plain = to_plain_frame(dataset, frame)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        plain.to_excel(writer, sheet_name=dataset.name, index=False)
        sheet = writer.sheets[dataset.name]
        sheet.freeze_panes = "A2"
        for i, column in enumerate(plain.columns, start=1):
            width = max([len(str(column))] + [len(str(v)) for v in plain[column].head(200).tolist()])
            sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = min(max(width + 2, 10), 60)
    return buffer.getvalue()


def to_plain_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Any table (not a declared dataset) in file form: ISO dates, ya/tidak, text cells formula-safe."""
    out = pd.DataFrame(index=frame.index)
    for name in frame.columns:
        s = frame[name]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[name] = s.dt.strftime("%Y-%m-%d").astype("object").where(s.notna(), None)
        elif pd.api.types.is_bool_dtype(s):
            out[name] = s.astype("object").map(lambda v: None if pd.isna(v) else ("ya" if v else "tidak"))
        elif pd.api.types.is_numeric_dtype(s):
            out[name] = s.astype("object").where(s.notna(), None)
        else:
            out[name] = s.astype("object").where(s.notna(), None).map(neutralise_formula)
    return out


def export_table_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM) of any table, formula-safe."""
    text = to_plain_table(frame).to_csv(index=False, lineterminator="\n")
    return ("\ufeff" + text).encode("utf-8")


def export_table_xlsx(frame: pd.DataFrame, sheet_name: str) -> bytes:
    """An XLSX workbook with `frame` on one sheet (header frozen, columns sized), formula-safe."""
    buffer = io.BytesIO()
    plain = to_plain_table(frame)
    sheet_name = sheet_name[:31]
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        plain.to_excel(writer, sheet_name=sheet_name, index=False)
        sheet = writer.sheets[sheet_name]
        sheet.freeze_panes = "A2"
        for i, column in enumerate(plain.columns, start=1):
            width = max([len(str(column))] + [len(str(v)) for v in plain[column].head(200).tolist()])
            sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = min(max(width + 2, 10), 60)
    return buffer.getvalue()
