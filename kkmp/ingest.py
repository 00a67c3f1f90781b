"""Reading the files staff have: XLSX workbooks and CSV exports, into dataset frames with a report.

The path: file bytes → sheets (rows with the row number Excel shows) → which dataset each sheet
holds and where its header row is → header cells matched to declared columns (synonyms from
`kkmp.schema`) → each cell read by `kkmp.parse` → frames in canonical dtypes whose index is the
row number the user sees. Automatic corrections become warnings; unreadable cells become errors.
A file that cannot be opened at all raises `UnreadableFileError`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePath

import pandas as pd

from kkmp.frames import DTYPES
from kkmp.i18n import load_texts, t
from kkmp.nasional import locate_kelurahan
from kkmp.parse import (
    CellError,
    Parsed,
    RegionPairs,
    clean_text,
    is_empty,
    normalize_header,
    parse_bool,
    parse_choice,
    parse_choice_list,
    parse_date,
    parse_int,
    parse_kelurahan,
    parse_list,
    parse_number,
    parse_text,
)
from kkmp.schema import DATASETS, Column, Dataset
from kkmp.validate import ValidationIssue, ValidationReport

#: Sheets the template adds for its own use; skipped without a word.
TEMPLATE_LISTS_SHEET = "daftar_pilihan"
TEMPLATE_GUIDE_SHEET = "petunjuk"
HEADER_SCAN_ROWS = 30
MAX_COLUMNS = 200
#: Stop reading a sheet after this many empty rows in a row (cells formatted down to row 1,048,576).
MAX_EMPTY_RUN = 5_000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_TOTAL_WORDS = {"jumlah", "total", "jumlahtotal", "totalkeseluruhan", "grandtotal", "subtotal"}


class UnreadableFileError(Exception):
    """A file that cannot be opened as a workbook or CSV; `code` is a key under `unggah.berkas.`."""

    def __init__(self, code: str, file: str, **params: object) -> None:
        super().__init__(f"{file}: {code}")
        self.code = code
        self.file = file
        self.params = params

    def message(self, lang: str = "id") -> str:
        """What is wrong with the file and what to do, in the user's language."""
        return t(f"unggah.berkas.{self.code}", lang, file=self.file, **self.params)


@dataclass(frozen=True)
class Limits:
    """Upper bounds on what one upload may hold."""

    max_bytes: int = 10 * 1024 * 1024
    max_rows: int = 50_000
    #: Sum of the declared uncompressed sizes of a workbook's parts, checked before any parsing.
    max_unpacked_bytes: int = 200 * 1024 * 1024
    #: A part larger than this must not inflate more than `max_ratio` times (zip bombs inflate ~1000×).
    ratio_floor_bytes: int = 1024 * 1024
    max_ratio: int = 100
    #: Excel itself holds at most 32,767 characters in a cell.
    max_cell_chars: int = 32_767


@dataclass
class RawSheet:
    """A sheet as read: its name and its rows as (row number the user sees, cell values)."""

    file: str
    name: str
    rows: list[tuple[int, list[object]]]
    hidden: bool = False


@dataclass
class SheetMatch:
    """Where a dataset was found in a sheet: its header row and which column holds what."""

    dataset: Dataset
    header_row: int
    columns: dict[int, str]
    headers: dict[str, str]
    ignored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


@dataclass
class SheetData:
    """One sheet read into a dataset frame (index: row numbers), with where it came from."""

    file: str
    sheet: str
    dataset: str
    frame: pd.DataFrame
    headers: dict[str, str]
    bad_cells: set[tuple[int, str]] = field(default_factory=set)
    #: The lookup columns (`Dataset.lookups`) the sheet has, by the same row numbers; never stored.
    lookups: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class IngestResult:
    """Every sheet read from an upload, and the report of problems and corrections."""

    sheets: list[SheetData]
    report: ValidationReport

    def frames(self) -> dict[str, pd.DataFrame]:
        """One frame per dataset; several sheets of the same dataset are stacked."""
        out: dict[str, list[pd.DataFrame]] = {}
        for s in self.sheets:
            out.setdefault(s.dataset, []).append(s.frame)
        return {name: pd.concat(parts) if len(parts) > 1 else parts[0] for name, parts in out.items()}


# ---- files → sheets ---------------------------------------------------------------------


def read_sheets(name: str, data: bytes, limits: Limits = Limits()) -> list[RawSheet]:
    """The sheets of an XLSX workbook or the one table of a CSV file; raises `UnreadableFileError`."""
    if len(data) > limits.max_bytes:
        raise UnreadableFileError("terlalu_besar", name, ukuran=_mb(len(data)), batas=_mb(limits.max_bytes))
    if not data.strip():
        raise UnreadableFileError("kosong", name)
    if data.startswith(_OLE_MAGIC):
        code = "terkunci" if _ENCRYPTED_MARK in data else "format_lama"
        raise UnreadableFileError(code, name)
    if data.startswith(b"PK"):
        return _read_xlsx(name, data, limits)
    suffix = PurePath(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        raise UnreadableFileError("rusak", name)
    return [_read_csv(name, data, limits)]


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def check_zip_sizes(name: str, data: bytes, limits: Limits = Limits()) -> None:
    """Refuse a workbook whose parts would unpack too large, from the sizes its zip directory declares.

    Runs before any part is inflated, so a small file that unpacks to gigabytes (a zip bomb) costs
    nothing. The declared sizes are also enforced while reading: zipfile stops at the declared size.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise UnreadableFileError("rusak", name) from exc
    total = 0
    for info in members:
        total += info.file_size
        inflates = info.file_size > limits.ratio_floor_bytes
        if inflates and info.file_size > max(info.compress_size, 1) * limits.max_ratio:
            raise UnreadableFileError("bom_zip", name, ukuran=_mb(info.file_size))
    if total > limits.max_unpacked_bytes:
        raise UnreadableFileError("bom_zip", name, ukuran=_mb(total))


def _read_xlsx(name: str, data: bytes, limits: Limits) -> list[RawSheet]:
    import openpyxl

    check_zip_sizes(name, data, limits)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError) as exc:
        raise UnreadableFileError("rusak", name) from exc
    except Exception as exc:  # openpyxl raises many kinds on a damaged package
        raise UnreadableFileError("rusak", name) from exc
    sheets = []
    total = 0
    try:
        for ws in workbook.worksheets:
            # Read every row the sheet holds, not just up to its <dimension> record: some programs
            # write a wrong one, and openpyxl would then drop the rows below it without a word.
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()
            rows: list[tuple[int, list[object]]] = []
            empty_run = 0
            for number, row in enumerate(ws.iter_rows(max_col=MAX_COLUMNS), start=1):
                values = [_cell_value(c) for c in row]
                _check_cells(name, values, limits)
                if all(is_empty(v) for v in values):
                    empty_run += 1
                    if empty_run > MAX_EMPTY_RUN:  # formatting far below the table, not data
                        break
                    continue
                empty_run = 0
                total += 1
                if total > limits.max_rows:
                    raise UnreadableFileError("terlalu_banyak_baris", name, batas=limits.max_rows)
                rows.append((number, values))
            sheets.append(RawSheet(name, ws.title, rows, hidden=ws.sheet_state != "visible"))
    except UnreadableFileError:
        raise
    except Exception as exc:
        raise UnreadableFileError("rusak", name) from exc
    finally:
        workbook.close()
    return sheets


def _check_cells(name: str, values: Iterable[object], limits: Limits) -> None:
    for v in values:
        if isinstance(v, str) and len(v) > limits.max_cell_chars:
            raise UnreadableFileError("sel_terlalu_panjang", name, batas=limits.max_cell_chars)


def _cell_value(cell: object) -> object:
    value = getattr(cell, "value", None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        fmt = str(getattr(cell, "number_format", "") or "")
        if "%" in fmt:  # a cell formatted as percent shows 45,5% but holds 0.455
            return round(float(value) * 100, 10)
    if isinstance(value, dt.time):
        return None if value == dt.time(0) else value.isoformat()
    return value


def decode_text(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return control > len(head) * 0.05


def sniff_delimiter(lines: Sequence[str]) -> str:
    """The CSV separator (comma, semicolon or tab) that splits the lines most consistently."""
    best, best_score = ",", -1
    for delim in (";", "\t", ","):
        counts = [len(r) for r in csv.reader(lines, delimiter=delim) if len(r) > 1]
        if not counts:
            continue
        modal = max(set(counts), key=lambda n: (counts.count(n), n))
        score = counts.count(modal) * (modal - 1)
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_csv(name: str, data: bytes, limits: Limits) -> RawSheet:
    try:
        return _parse_csv(name, data, limits)
    except csv.Error as exc:  # a field above csv's own limit, a NUL byte past the sniffed head
        code = "sel_terlalu_panjang" if "field larger" in str(exc) else "bukan_tabel"
        raise UnreadableFileError(code, name, batas=limits.max_cell_chars) from exc
    except UnicodeDecodeError as exc:  # a UTF-16 mark on bytes that are not UTF-16
        raise UnreadableFileError("bukan_tabel", name) from exc


def _parse_csv(name: str, data: bytes, limits: Limits) -> RawSheet:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = decode_text(data)
    elif _looks_binary(data):
        raise UnreadableFileError("bukan_tabel", name)
    else:
        text = decode_text(data)
    lines = text.splitlines()
    delim = sniff_delimiter(lines[:60])
    rows = []
    for number, values in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delim), start=1):
        cells: list[object] = list(values[:MAX_COLUMNS])
        _check_cells(name, cells, limits)
        if all(is_empty(v) for v in cells):
            continue
        if len(rows) >= limits.max_rows:
            raise UnreadableFileError("terlalu_banyak_baris", name, batas=limits.max_rows)
        rows.append((number, cells))
    if rows and max(len(r) for _, r in rows) < 2:
        raise UnreadableFileError("bukan_tabel", name)
    return RawSheet(name, PurePath(name).stem, rows)


# ---- sheets → datasets and header rows ---------------------------------------------------


def header_names(column: Column) -> set[str]:
    """Every normalised header that means `column`: its name and its synonyms."""
    return {normalize_header(column.name), *(normalize_header(s) for s in column.synonyms)}


def dataset_for_sheet_name(sheet: str) -> Dataset | None:
    """The dataset a sheet's name points at ("Data Koperasi", "progres_mingguan", "RAT 2025")."""
    key = normalize_header(sheet)
    for d in DATASETS.values():
        names = {normalize_header(d.name), *(normalize_header(s) for s in d.synonyms)}
        if key in names:
            return d
    stripped = key.rstrip("0123456789")
    for d in DATASETS.values():
        names = {normalize_header(d.name), *(normalize_header(s) for s in d.synonyms)}
        if stripped in names:
            return d
    return None


def match_header_row(dataset: Dataset, cells: Sequence[object]) -> SheetMatch:
    """Which cells of a header row name which columns of `dataset`."""
    lookup: dict[str, str] = {}
    for c in dataset.columns:
        for n in sorted(header_names(c)):
            lookup.setdefault(n, c.name)
    for c in dataset.columns:  # a column's own name wins over another column's synonym
        lookup[normalize_header(c.name)] = c.name
    for c in dataset.lookups:  # names that find a row (kelurahan, cooperative) come after the columns
        for n in sorted(header_names(c)):
            lookup.setdefault(n, c.name)
    columns: dict[int, str] = {}
    headers: dict[str, str] = {}
    ignored, duplicates = [], []
    for i, cell in enumerate(cells):
        if is_empty(cell):
            continue
        text = clean_text(cell)
        name = lookup.get(normalize_header(text))
        if name is None:
            ignored.append(text)
        elif name in headers:
            duplicates.append(text)
        else:
            columns[i] = name
            headers[name] = text
    return SheetMatch(dataset, 0, columns, headers, ignored, duplicates)


def detect_table(sheet: RawSheet) -> SheetMatch | None:
    """The dataset a sheet holds and its header row, from the sheet's name or its column headers."""
    named = dataset_for_sheet_name(sheet.name)
    candidates = [named] if named else list(DATASETS.values())
    best: tuple[tuple[int, int, float], SheetMatch] | None = None
    for number, cells in sheet.rows[:HEADER_SCAN_ROWS]:
        for d in candidates:
            m = match_header_row(d, cells)
            keys = keys_present(d, m.headers)
            own = sum(1 for name in m.columns.values() if name in d.column_names)
            score = (keys, own, own / len(d.columns))
            if named is None and (keys < len(d.key) or len(m.columns) < 2):
                continue
            if named is not None and len(m.columns) == 0:
                continue
            if best is None or score > best[0]:
                m.header_row = number
                best = (score, m)
    return best[1] if best else None


def keys_present(dataset: Dataset, headers: Mapping[str, str]) -> int:
    """How many key columns a header row gives, counting an id that other columns can stand in for."""
    found = any(name in headers for name in dataset.found_from)
    return sum(1 for k in dataset.key if k in headers or (k == dataset.found_by and found))


@dataclass(frozen=True)
class ClosestDataset:
    """For a sheet no dataset was found in: the headers it has and what the nearest dataset still needs."""

    dataset: str
    found: list[str]
    missing: list[str]


def closest_dataset(sheet: RawSheet) -> ClosestDataset | None:
    """The dataset whose columns a sheet's best header row comes nearest to, and what it lacks."""
    best: tuple[tuple[int, int], ClosestDataset] | None = None
    for _, cells in sheet.rows[:HEADER_SCAN_ROWS]:
        texts = [clean_text(c) for c in cells if not is_empty(c)]
        if len(texts) < 2:
            continue
        for d in DATASETS.values():
            m = match_header_row(d, cells)
            found = any(n in m.headers for n in d.found_from)
            needed = []
            for c in dict.fromkeys([*d.key, *d.required_columns]):
                if c in m.headers or (c == d.found_by and found):
                    continue
                alt = f" ({'/'.join(d.found_from)})" if c == d.found_by and d.found_from else ""
                needed.append(c + alt)
            score = (len(m.columns), -len(needed))
            if m.columns and (best is None or score > best[0]):
                best = (score, ClosestDataset(d.name, texts[:12], needed))
    return best[1] if best else None


# ---- cells → values --------------------------------------------------------------------------


def choice_labels(column: str) -> dict[str, list[str]]:
    """Display labels (Indonesian and English) of each code of a coded column, from nilai.toml."""
    return {code: list(names) for code, names in _choice_labels(column)}


@cache
def _choice_labels(column: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    # The texts are loaded once (`load_texts` is cached), so one scan per column is enough.
    prefix = f"nilai.{column}."
    return tuple(
        (key[len(prefix) :], tuple(v for v in entry.values() if isinstance(v, str)))
        for key, entry in load_texts().items()
        if key.startswith(prefix)
    )


def parse_cell(dataset: Dataset, column: Column, value: object, wilayah: Sequence[tuple[str, str]]) -> Parsed:
    """One cell read as `column` of `dataset` wants it; raises `CellError`."""
    if column.name == "kode_kelurahan" and dataset.name != "wilayah":
        return parse_kelurahan(value, wilayah)
    if column in dataset.lookups and column.name == "kelurahan":
        return parse_kelurahan(value, wilayah)
    if column.type == "str" and column.allowed:
        return parse_choice(value, column.allowed, choice_labels(column.name))
    if column.type == "list":
        if column.allowed:
            return parse_choice_list(value, column.allowed, choice_labels(column.name))
        return parse_list(value)
    if column.type == "int":
        return parse_int(value)
    if column.type == "float":
        return parse_number(value, dot_thousands=column.unit == "Rp")
    if column.type == "bool":
        return parse_bool(value)
    if column.type == "date":
        return parse_date(value)
    return parse_text(value)


def to_series(column: Column, values: list[object], index: list[int]) -> pd.Series:
    """Parsed values as a series in the column's canonical dtype."""
    idx = pd.Index(index, dtype="int64")
    if column.type == "date":
        return pd.Series(
            [pd.Timestamp(v) if v is not None else pd.NaT for v in values], index=idx, dtype="datetime64[ns]"
        )
    if column.type == "bool":
        return pd.Series([pd.NA if v is None else v for v in values], index=idx, dtype="boolean")
    if column.type == "int":
        return pd.Series([pd.NA if v is None else v for v in values], index=idx, dtype="Int64")
    if column.type == "float":
        return pd.Series([float("nan") if v is None else v for v in values], index=idx, dtype="float64")
    return pd.Series(values, index=idx, dtype=DTYPES[column.type])


def read_table(
    sheet: RawSheet, match: SheetMatch, wilayah: Sequence[tuple[str, str]], report: ValidationReport
) -> SheetData:
    """The rows under the header of `sheet` as a frame of `match.dataset`, issues added to `report`."""
    d = match.dataset

    def issue(code: str, row=None, column=None, value=None, severity="error", **params) -> None:
        report.issues.append(
            ValidationIssue(d.name, code, row, column, value, params, severity=severity, sheet=sheet.name)
        )

    for text in match.ignored:
        issue("kolom_diabaikan", match.header_row, text, severity="warning")
    for text in match.duplicates:
        issue("kolom_ganda", match.header_row, text)
    positions = sorted(match.columns)
    key_positions = [i for i in positions if match.columns[i] in d.key]
    values: dict[str, list[object]] = {match.columns[i]: [] for i in positions}
    index: list[int] = []
    bad: set[tuple[int, str]] = set()
    for number, cells in sheet.rows:
        if number <= match.header_row:
            continue
        mapped = [cells[i] if i < len(cells) else None for i in positions]
        if all(is_empty(v) for v in mapped):
            continue
        keys_empty = all(is_empty(cells[i] if i < len(cells) else None) for i in key_positions)
        filled = sum(1 for v in mapped if not is_empty(v))
        first = next((clean_text(v) for v in cells if not is_empty(v)), "")
        total = any(isinstance(v, str) and normalize_header(v) in _TOTAL_WORDS for v in cells)
        if total or (keys_empty and filled <= 1):
            issue("baris_dilewati", number, None, first[:60], severity="warning")
            continue
        index.append(number)
        for i in positions:
            name = match.columns[i]
            column = d.readable(name)
            raw = cells[i] if i < len(cells) else None
            try:
                parsed = parse_cell(d, column, raw, wilayah)
            except CellError as err:
                bad.add((number, name))
                issue(
                    f"sel_{err.code}",
                    number,
                    match.headers[name],
                    _shown(raw),
                    **err.params,
                )
                values[name].append(None)
                continue
            if parsed.correction:
                issue(
                    f"koreksi_{parsed.correction}",
                    number,
                    match.headers[name],
                    _shown(raw),
                    severity="warning",
                    **parsed.params,
                )
            values[name].append(parsed.value)
    frame = pd.DataFrame(
        {name: to_series(d.column(name), values[name], index) for name in d.column_names if name in values},
        index=pd.Index(index, dtype="int64"),
    )
    names = pd.DataFrame(
        {c.name: to_series(c, values[c.name], index) for c in d.lookups if c.name in values},
        index=pd.Index(index, dtype="int64"),
    )
    return SheetData(sheet.file, sheet.name, d.name, frame, dict(match.headers), bad, names)


def _shown(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return value[:80]
    return value


def read_upload(
    files: Iterable[tuple[str, bytes]],
    wilayah: pd.DataFrame,
    limits: Limits = Limits(),
) -> IngestResult:
    """Every recognised sheet of every file as dataset frames, with a report of what was found.

    `wilayah` is the stored region list, used to turn kelurahan names into codes; a `wilayah`
    sheet in the upload adds to it. Raises `UnreadableFileError` for a file that cannot be opened.
    """
    report = ValidationReport()
    sheets: list[RawSheet] = []
    total_rows = 0
    for name, data in files:
        found = read_sheets(name, data, limits)
        total_rows += sum(len(s.rows) for s in found)
        if total_rows > limits.max_rows:
            raise UnreadableFileError("terlalu_banyak_baris", name, batas=limits.max_rows)
        sheets.extend(found)

    matched: list[tuple[RawSheet, SheetMatch]] = []
    unknown: list[RawSheet] = []
    for sheet in sheets:
        if normalize_header(sheet.name) in (normalize_header(TEMPLATE_LISTS_SHEET), TEMPLATE_GUIDE_SHEET):
            continue
        if not sheet.rows:
            report.issues.append(
                ValidationIssue("", "sheet_kosong", severity="warning", sheet=sheet.name, params={"file": sheet.file})
            )
            continue
        m = detect_table(sheet)
        if m is None:
            if not sheet.hidden:
                unknown.append(sheet)
            continue
        matched.append((sheet, m))
    severity = "warning" if matched else "error"
    for sheet in unknown:
        near = closest_dataset(sheet)
        code, params = "sheet_tidak_dikenal", {"file": sheet.file, "dataset": ", ".join(DATASETS)}
        if near is not None:
            code = "sheet_tidak_dikenal_terdekat"
            params |= {"ditemukan": ", ".join(near.found), "terdekat": near.dataset, "kurang": ", ".join(near.missing)}
        report.issues.append(ValidationIssue("", code, severity=severity, sheet=sheet.name, params=params))
    if not matched and not unknown:
        report.issues.append(ValidationIssue("", "tidak_ada_data", sheet=None))

    pairs = _wilayah_pairs(wilayah)
    out: list[SheetData] = []
    order = sorted(matched, key=lambda sm: sm[1].dataset.name != "wilayah")
    for sheet, m in order:
        data = read_table(sheet, m, pairs, report)
        if m.dataset.nasional:
            data = place_national_rows(data, wilayah, report)
        if m.dataset.name == "wilayah" and {"kode_kelurahan", "kelurahan"} <= set(data.frame.columns):
            pairs = _merge_pairs(pairs, data.frame)
        out.append(data)
    return IngestResult(out, report)


def place_national_rows(data: SheetData, wilayah: pd.DataFrame | None, report: ValidationReport) -> SheetData:
    """A national export's rows with their kelurahan code (`kkmp.nasional`); rows that cannot be placed
    are left out and listed, and so are the region's kelurahan that have no row (warnings)."""
    cooperative = data.frame["nama_koperasi"] if "nama_koperasi" in data.frame.columns else None
    placed = locate_kelurahan(data.lookups, wilayah, cooperative)
    header = data.headers.get("nama_kelurahan", "village")
    for row, reason in placed.reasons.items():
        names = data.lookups.loc[row] if row in data.lookups.index else pd.Series(dtype="object")
        report.issues.append(
            ValidationIssue(
                data.dataset,
                f"nasional_tidak_cocok_{reason}",
                row,
                header,
                _shown(names.get("nama_kelurahan")),
                {
                    "kabupaten": names.get("kabupaten_kota") or "—",
                    "kecamatan": names.get("kecamatan") or "—",
                },
                severity="warning",
                sheet=data.sheet,
            )
        )
    if placed.without_row:
        listed = ", ".join(sorted(placed.without_row.values()))
        report.issues.append(
            ValidationIssue(
                data.dataset,
                "nasional_tanpa_baris",
                None,
                header,
                listed,
                {"n": len(placed.without_row)},
                severity="warning",
                sheet=data.sheet,
            )
        )
    keep = placed.kode.notna()
    frame = data.frame.drop(columns="kode_kelurahan", errors="ignore")
    frame.insert(0, "kode_kelurahan", placed.kode.astype(DTYPES["str"]))
    data.frame = frame[keep.to_numpy()]
    data.lookups = data.lookups[keep.to_numpy()]
    data.headers.setdefault("kode_kelurahan", header)
    return data


def _wilayah_pairs(wilayah: pd.DataFrame) -> list[tuple[str, str]]:
    if wilayah is None or wilayah.empty:
        return []
    # `tolist` rather than iterating the Arrow-backed columns: 0.13 s → 0.02 s for 83,700 regions.
    codes, names = wilayah["kode_kelurahan"].astype("str").tolist(), wilayah["kelurahan"].astype("str").tolist()
    return RegionPairs(zip(codes, names, strict=True))


def _merge_pairs(pairs: list[tuple[str, str]], frame: pd.DataFrame) -> list[tuple[str, str]]:
    merged = dict(pairs)
    for k, n in zip(frame["kode_kelurahan"], frame["kelurahan"], strict=True):
        if pd.notna(k) and pd.notna(n):
            merged[str(k)] = str(n)
    return RegionPairs(merged.items())


def records_frame(dataset: Dataset, records: Sequence[Mapping[str, object]]) -> RawSheet:
    """Form entries as a sheet (header row 1, one row per record), so they take the upload's path."""
    names = dataset.column_names
    used = [n for n in names if any(n in r for r in records)]
    rows: list[tuple[int, list[object]]] = [(1, list(used))]
    for i, r in enumerate(records, start=2):
        rows.append((i, [r.get(n) for n in used]))
    return RawSheet("form", dataset.name, rows)
