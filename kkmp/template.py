"""Upload templates: an XLSX workbook (one sheet per dataset, notes, dropdowns, current data) and CSVs.

Each dataset sheet has a title row, a notes row explaining each column, the header row and
then the current rows, so staff edit what is there instead of retyping. Coded columns get a
dropdown list (data validation) read from a hidden sheet; kelurahan are written by name.
The importer (`kkmp.ingest`) reads the workbook back unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping

import pandas as pd

from kkmp.export import export_csv, neutralise_formula
from kkmp.ingest import TEMPLATE_GUIDE_SHEET, TEMPLATE_LISTS_SHEET
from kkmp.metrics import restrict_to_kelurahan
from kkmp.schema import DATASETS, Column, Dataset
from kkmp.store import Snapshot

TITLE_ROW, NOTES_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1
#: Rows below the data that still get the dropdowns, for new entries.
SPARE_ROWS = 500
KELURAHAN_HEADER = "kelurahan"
DATE_FORMAT = "DD/MM/YYYY"

GUIDE = (
    "Templat unggah data KKMP / KKMP upload template",
    "",
    "1. Satu sheet per dataset. Jangan ganti nama sheet dan judul kolom (baris 3).",
    "   One sheet per dataset. Keep the sheet names and the column headers (row 3).",
    "2. Baris 2 menjelaskan isi tiap kolom; arahkan kursor ke judul kolom untuk catatan lengkap.",
    "   Row 2 explains each column; hover over a header for the full note.",
    "3. Ubah sel yang perlu saja. Baris dengan kode yang sama diperbarui; baris baru ditambahkan.",
    "   Change only what you need. Rows with the same key are updated; new keys are added.",
    "4. Angka boleh ditulis 1.500.000 atau 45,5; tanggal 17/10/2025 atau 17 Oktober 2025; ya/tidak.",
    "   Numbers may be written 1.500.000 or 45,5; dates 17/10/2025 or 17 Oktober 2025; ya/tidak.",
    "5. Kelurahan ditulis dengan nama (pilih dari daftar) atau kode Kemendagri.",
    "   Write a kelurahan by name (pick it from the list) or by its Kemendagri code.",
    "6. Unggah di halaman Unggah data; periksa pratinjau sebelum menyimpan.",
    "   Upload on the Upload page; check the preview before saving.",
)


#: Datasets a spreadsheet template makes sense for; boundaries (GeoJSON) load with `python -m kkmp batas`.
#: National exports come as the national system writes them, never through the template.
TEMPLATE_DATASETS = tuple(
    n for n, d in DATASETS.items() if not d.nasional and not any(c.type == "json" for c in d.columns)
)


def template_frames(snapshot: Snapshot, area: Iterable[str] | None, max_rows: int) -> dict[str, pd.DataFrame]:
    """The frames a template is pre-filled with (page and CLI): the rows of `area` (kelurahan codes, e.g. from
    `kkmp.access.template_area`; None = all); a dataset with more rows than one upload may hold (`max_rows`)
    is left empty (header only), since such a sheet could not be uploaded back."""
    frames = restrict_to_kelurahan(snapshot, area).frames
    return {n: (f if len(f) <= max_rows else f.iloc[0:0]) for n, f in frames.items()}


def _header(dataset: Dataset, column: Column) -> str:
    if column.name == "kode_kelurahan" and dataset.name != "wilayah":
        return KELURAHAN_HEADER
    return column.name


def _note(column: Column) -> str:
    parts = [column.keterangan]
    if column.required:
        parts.append("Wajib diisi.")
    if column.allowed and column.type == "list":
        parts.append("Pisahkan dengan titik koma; pilihan: " + ", ".join(column.allowed) + ".")
    if column.synonyms:
        parts.append("Judul lain yang dikenali: " + ", ".join(column.synonyms) + ".")
    return " ".join(parts)


def _cell(dataset: Dataset, column: Column, value: object, names: Mapping[str, str]) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if column.name == "kode_kelurahan" and dataset.name != "wilayah":
        return names.get(str(value), str(value))
    if column.type == "date":
        return pd.Timestamp(value).to_pydatetime().replace(tzinfo=None)
    if column.type == "bool":
        return "ya" if bool(value) else "tidak"
    if column.type == "int":
        return int(value)
    if column.type == "float":
        return float(value)
    return neutralise_formula(str(value))


def _unique_names(wilayah: pd.DataFrame) -> dict[str, str]:
    """Code → name, the name qualified by kecamatan where two kelurahan share it."""
    if wilayah.empty:
        return {}
    counts = wilayah["kelurahan"].value_counts()
    out = {}
    for code, name in zip(wilayah["kode_kelurahan"], wilayah["kelurahan"], strict=True):
        out[str(code)] = str(name) if counts[name] == 1 else str(code)
    return out


def build_template_xlsx(frames: Mapping[str, pd.DataFrame], datasets: list[str] | None = None) -> bytes:
    """The XLSX template: a guide sheet, one sheet per dataset pre-filled with `frames`, dropdown lists."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    wanted = datasets or list(TEMPLATE_DATASETS)
    wilayah = frames.get("wilayah", pd.DataFrame(columns=["kode_kelurahan", "kelurahan"]))
    names = _unique_names(wilayah)
    wb = Workbook()
    guide = wb.active
    guide.title = TEMPLATE_GUIDE_SHEET
    for i, line in enumerate(GUIDE, start=1):
        guide.cell(row=i, column=1, value=line).font = Font(bold=i == 1)
    guide.column_dimensions["A"].width = 100

    lists = wb.create_sheet(TEMPLATE_LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_ranges: dict[str, str] = {}

    def add_list(key: str, values: list[str]) -> str:
        col = len(list_ranges) + 1
        letter = get_column_letter(col)
        lists.cell(row=1, column=col, value=key)
        for r, v in enumerate(values, start=2):
            lists.cell(row=r, column=col, value=v)
        ref = f"{quote_sheetname(TEMPLATE_LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        list_ranges[key] = ref
        return ref

    kelurahan_values = sorted(set(names.values()))
    header_fill = PatternFill("solid", fgColor="FFE0E0")
    for name in wanted:
        dataset = DATASETS[name]
        frame = frames.get(name, pd.DataFrame(columns=dataset.column_names))
        ws = wb.create_sheet(name)
        ws.cell(row=TITLE_ROW, column=1, value=f"{dataset.keterangan} / {dataset.description}").font = Font(
            bold=True, size=12
        )
        last_row = FIRST_DATA_ROW + len(frame) + SPARE_ROWS
        for j, column in enumerate(dataset.columns, start=1):
            letter = get_column_letter(j)
            note = ws.cell(row=NOTES_ROW, column=j, value=column.keterangan)
            note.font = Font(italic=True, color="555555", size=9)
            note.alignment = Alignment(wrap_text=True, vertical="top")
            head = ws.cell(row=HEADER_ROW, column=j, value=_header(dataset, column))
            head.font = Font(bold=True)
            head.fill = header_fill
            head.comment = Comment(_note(column), "KKMP")
            values = frame[column.name].tolist() if column.name in frame.columns else []
            for i, value in enumerate(values):
                cell = ws.cell(row=FIRST_DATA_ROW + i, column=j, value=_cell(dataset, column, value, names))
                if column.type == "date":
                    cell.number_format = DATE_FORMAT
                elif column.unit == "Rp":
                    cell.number_format = "#,##0"
            options: list[str] | None = None
            key = column.name
            if column.name == "kode_kelurahan" and dataset.name != "wilayah" and kelurahan_values:
                options, key = kelurahan_values, "kelurahan"
            elif column.allowed and column.type == "str":
                options = list(column.allowed)
            elif column.type == "bool":
                options, key = ["ya", "tidak"], "ya_tidak"
            if options:
                ref = list_ranges.get(key) or add_list(key, options)
                dv = DataValidation(type="list", formula1=f"={ref}", allow_blank=True, showErrorMessage=True)
                dv.errorTitle = "Nilai tidak dikenal"
                dv.error = "Pilih dari daftar / choose from the list."
                dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
                ws.add_data_validation(dv)
            width = max([len(_header(dataset, column))] + [len(str(v)) for v in values[:200]])
            ws.column_dimensions[letter].width = min(max(width + 2, 14), 45)
        ws.row_dimensions[NOTES_ROW].height = 48
        ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=1)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def build_template_csv(dataset: Dataset, frame: pd.DataFrame) -> bytes:
    """A CSV template for one dataset: the header row and the current rows (UTF-8 with BOM)."""
    return export_csv(dataset, frame)


def template_filename(today: dt.date, dataset: str | None = None) -> str:
    """kkmp-templat-2025-10-21.xlsx, or kkmp-templat-koperasi-2025-10-21.csv for one dataset."""
    if dataset:
        return f"kkmp-templat-{dataset}-{today.isoformat()}.csv"
    return f"kkmp-templat-{today.isoformat()}.xlsx"
