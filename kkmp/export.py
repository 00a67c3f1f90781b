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
