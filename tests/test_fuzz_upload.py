"""Fuzzing the importer: exports of the sample, mutated (bytes, cells, headers, encodings, the
workbook's XML), fed to `prepare_upload` for a fixed time budget and a bounded number of cases.

Every case must end in a plan (accepted, or rejected with a report whose messages are texts for the
user) or an `UnreadableFileError` with a message in both languages — never another exception — and
the store must be exactly as before. Then the size limits: a zip bomb disguised as XLSX, a million
rows, a 50 MB cell; each is refused with a clear message, from sizes checked before parsing.
"""

from __future__ import annotations

import csv
import io
import random
import time
import zipfile
from collections import Counter

import pytest

from kkmp.diff import canonical_text
from kkmp.export import export_csv, export_xlsx
from kkmp.ingest import Limits, UnreadableFileError, check_zip_sizes, read_sheets
from kkmp.schema import DATASETS, get_dataset
from kkmp.upload import prepare_upload
from tests.conftest import assert_readable
from tests.test_fuzz_files import mutate_bytes
from tests.upload_corpus import xlsx

BUDGET_S = 8.0
MAX_CASES = 300
SEED = 20251128
ODD_CELLS = [
    "",
    " ",
    "-",
    "#N/A",
    "=1+1",
    "1e309",
    "NaN",
    "-0",
    "31/02/2025",
    "12.345.678,9",
    "Rp 1.000,-",
    "ÿ\u200bñ",
    "\u202etext",
    "x" * 5000,
    "0x1F",
    "TRUE",
    "45%",
    "1/0",
    "None",
    "'0012",
    "\t\n",
    "🙂",
]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1", "utf-16-le"]


def state_of(store) -> tuple[int, dict[str, list[str]]]:
    """The latest revision and every dataset as sorted text rows (what "unchanged" compares)."""
    data = {}
    for name in DATASETS:
        frame = store.read(name)
        columns = [canonical_text(frame[c]).tolist() for c in frame.columns]
        data[name] = sorted("|".join(row) for row in zip(*columns, strict=True))
    return store.latest_revision(), data


def _table(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _to_csv(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def mutate_rows(rows: list[list[str]], rng: random.Random) -> list[list[str]]:
    """One table mutation: an odd cell, a header renamed/dropped/duplicated, rows duplicated, dropped or ragged."""
    rows = [list(r) for r in rows]
    kind = rng.randrange(7)
    r = rng.randrange(len(rows))
    c = rng.randrange(max(len(rows[r]), 1))
    if kind == 0 and rows[r]:
        rows[r][c] = rng.choice(ODD_CELLS)
    elif kind == 1:
        h = next((i for i, row in enumerate(rows) if len(row) > 1), 0)  # the header row
        if rows[h]:
            c = rng.randrange(len(rows[h]))
            old = rows[h][c]
            rows[h][c] = rng.choice(["", old.upper(), f" {old} ", "kolom_lain", rows[h][-1], "Jumlah", old[:3]])
    elif kind == 2:
        for row in rows:
            del row[c : c + 1]
    elif kind == 3:
        rows[r:r] = [rows[r]] * rng.randint(1, 3)
    elif kind == 4 and len(rows) > 1:
        del rows[r]
    elif kind == 5:
        rows[r] = rows[r][: rng.randrange(len(rows[r]) + 1)] + [rng.choice(ODD_CELLS)] * rng.randint(0, 3)
    else:
        rows.insert(0, [rng.choice(["REKAP", "", "Data per 31 Des"])])
    return rows


def csv_case(seeds: dict[str, bytes], rng: random.Random) -> tuple[str, bytes]:
    """A mutated CSV: table mutations, then an encoding and separator, sometimes byte mutations."""
    name, data = rng.choice(list(seeds.items()))
    rows = _table(data)
    for _ in range(rng.randint(1, 4)):
        rows = mutate_rows(rows, rng)
    text = _to_csv(rows, rng.choice([",", ";", "\t"]))
    out = text.encode(rng.choice(ENCODINGS), errors="replace")
    if rng.random() < 0.3:
        out = mutate_bytes(out, rng)
    return f"{name}.csv", out


def _zip_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _rezip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


def xlsx_case(seeds: dict[str, bytes], csv_seeds: dict[str, bytes], rng: random.Random) -> tuple[str, bytes]:
    """A mutated XLSX: cells rewritten through openpyxl, an XML part mutated and re-zipped, or raw bytes."""
    name = rng.choice(list(seeds))
    kind = rng.randrange(3)
    if kind == 0:
        rows = _table(csv_seeds[name])
        for _ in range(rng.randint(1, 4)):
            rows = mutate_rows(rows, rng)
        sheet = rng.choice([name, "Sheet1", name.upper(), "petunjuk"])
        return f"{name}.xlsx", xlsx({sheet: [[c.replace("\x00", "") for c in r] for r in rows]})
    if kind == 1:
        parts = _zip_parts(seeds[name])
        part = rng.choice([p for p in parts if p.endswith((".xml", ".rels"))])
        body = parts[part]
        for _ in range(rng.randint(1, 3)):
            body = mutate_bytes(body, rng)
        if rng.random() < 0.2:
            del parts[part]
        else:
            parts[part] = body
        return f"{name}.xlsx", _rezip(parts)
    data = seeds[name]
    for _ in range(rng.randint(1, 3)):
        data = mutate_bytes(data, rng)
    return f"{name}.xlsx", data


def _check_outcome(files: list[tuple[str, bytes]], store, outcomes: Counter[str]) -> None:
    try:
        plan = prepare_upload(files, store)
    except UnreadableFileError as exc:
        assert_readable(exc.message, "unggah.berkas")
        outcomes[f"tak terbaca:{exc.code}"] += 1
        return
    if plan.accepted:
        outcomes["diterima"] += 1
        return
    for issue in plan.report.errors:
        assert_readable(issue.message, "validasi.", issue.code)
    outcomes["ditolak (laporan)"] += 1


@pytest.fixture(scope="module")
def exports(sample_snapshot) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """CSV and XLSX exports of every sample dataset: the valid files the mutations start from."""
    frames = {n: sample_snapshot[n] for n in DATASETS}
    return (
        {n: export_csv(get_dataset(n), f) for n, f in frames.items()},
        {n: export_xlsx(get_dataset(n), f) for n, f in frames.items()},
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_mutated_tables_give_a_plan_or_a_clear_message(sample_store, exports, fmt, request):
    csv_seeds, xlsx_seeds = exports
    before = state_of(sample_store)
    rng = random.Random(f"{SEED}-{fmt}")
    outcomes: Counter[str] = Counter()
    end = time.monotonic() + BUDGET_S
    while time.monotonic() < end and sum(outcomes.values()) < MAX_CASES:
        case = csv_case(csv_seeds, rng) if fmt == "csv" else xlsx_case(xlsx_seeds, csv_seeds, rng)
        try:
            _check_outcome([case], sample_store, outcomes)
        except AssertionError:
            raise
        except Exception as exc:  # any other exception is the defect this test looks for
            pytest.fail(f"{case[0]} ({len(case[1])} bytes): {type(exc).__name__}: {exc}")
    assert state_of(sample_store) == before
    total = sum(outcomes.values())
    print(f"\n[{request.node.name}] {total} mutated {fmt.upper()} files: {dict(outcomes.most_common())}")
    assert total > 0 and len(outcomes) > 1


# ---- size limits, checked before parsing -------------------------------------------------


def zip_bomb(member: str = "xl/worksheets/sheet1.xml", unpacked_mb: int = 200) -> bytes:
    """A small zip that looks like a workbook and whose sheet XML inflates to `unpacked_mb` MB."""
    seed = xlsx({"koperasi": [["id_koperasi", "nama_koperasi"], ["KOP-0001", "A"]]})
    parts = _zip_parts(seed)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, body in parts.items():
            if name != member:
                z.writestr(name, body)
        info = zipfile.ZipInfo(member)
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as f:
            chunk = b"<!--" + b" " * (1024 * 1024 - 8) + b"-->\n"
            for _ in range(unpacked_mb):
                f.write(chunk)
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb()


def test_zip_bomb_is_refused_from_declared_sizes(sample_store, bomb, monkeypatch):
    assert len(bomb) < Limits().max_bytes  # small on the wire: the size check alone would let it in
    before = state_of(sample_store)

    def no_parsing(*args, **kwargs):
        raise AssertionError("the workbook was opened before its sizes were checked")

    monkeypatch.setattr("openpyxl.load_workbook", no_parsing)
    with pytest.raises(UnreadableFileError) as err:
        prepare_upload([("koperasi.xlsx", bomb)], sample_store)
    assert err.value.code == "bom_zip"
    assert "200.0 MB" in err.value.message("id") and "save it again" in err.value.message("en")
    assert state_of(sample_store) == before


def test_many_parts_each_under_the_ratio_are_refused_by_their_total():
    parts = {f"xl/media/p{i}.bin": bytes(random.Random(i).randbytes(1024)) for i in range(5)}
    data = _rezip(parts)
    check_zip_sizes("ok.xlsx", data)  # small and incompressible: fine
    with pytest.raises(UnreadableFileError) as err:
        check_zip_sizes("x.xlsx", data, Limits(max_unpacked_bytes=4000))
    assert err.value.code == "bom_zip"


def test_ordinary_export_passes_the_zip_check(exports):
    for name, data in exports[1].items():
        check_zip_sizes(f"{name}.xlsx", data)


def test_a_million_row_csv_is_refused_at_the_row_limit(sample_store):
    before = state_of(sample_store)
    data = b"id_koperasi,tahun_buku\r\n" + b"K,1\r\n" * 1_000_000  # 5 MB, under the byte limit
    assert len(data) < Limits().max_bytes
    with pytest.raises(UnreadableFileError) as err:
        prepare_upload([("rat.csv", data)], sample_store)
    assert err.value.code == "terlalu_banyak_baris"
    assert "50000" in err.value.message("id").replace(".", "") or "50.000" in err.value.message("id")
    assert "Split" in err.value.message("en")
    assert state_of(sample_store) == before


def test_rows_below_an_understated_dimension_record_are_read():
    """A sheet whose <dimension> says A1:A1 but holds more rows: every row is read, none dropped."""
    parts = _zip_parts(xlsx({"rat": [["id_koperasi", "tahun_buku"], ["KOP-0001", 2025], ["KOP-0002", 2025]]}))
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b'<dimension ref="A1:B3" />', b'<dimension ref="A1:A1" />')
    assert parts["xl/worksheets/sheet1.xml"] != sheet
    (raw,) = read_sheets("rat.xlsx", _rezip(parts))
    assert [n for n, _ in raw.rows] == [1, 2, 3]


def test_a_million_row_sheet_is_refused(sample_store):
    """A sheet declaring a million rows: too big to unpack, or stopped at the row limit when read."""
    body = b'<row><c t="inlineStr"><is><t>K</t></is></c></row>' * 1_000_000  # 48 MB of XML
    seed = _zip_parts(xlsx({"rat": [["id_koperasi"]]}))
    head, _, rest = seed["xl/worksheets/sheet1.xml"].partition(b"<sheetData>")
    seed["xl/worksheets/sheet1.xml"] = head + b"<sheetData>" + body + b"</sheetData>" + rest.split(b"</sheetData>")[1]
    data = _rezip(seed)
    before = state_of(sample_store)
    with pytest.raises(UnreadableFileError) as err:
        read_sheets("rat.xlsx", data)
    assert err.value.code in {"bom_zip", "terlalu_banyak_baris"}
    assert err.value.message("id") and err.value.message("en")
    with pytest.raises(UnreadableFileError) as err:
        read_sheets("rat.xlsx", data, Limits(max_ratio=10**6, max_unpacked_bytes=10**9, max_rows=1000))
    assert err.value.code == "terlalu_banyak_baris"
    assert state_of(sample_store) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_50_mb_cell_is_refused(sample_store, fmt):
    before = state_of(sample_store)
    big = "A" * (50 * 1024 * 1024)
    if fmt == "csv":
        data = f"id_koperasi,nama_koperasi\r\nKOP-0001,{big}\r\n".encode()
        expected = {"terlalu_besar"}
    else:
        seed = _zip_parts(xlsx({"koperasi": [["id_koperasi", "nama_koperasi"], ["KOP-0001", "B"]]}))
        shared = seed.get("xl/sharedStrings.xml")
        part = "xl/sharedStrings.xml" if shared and b"<t>B</t>" in shared else "xl/worksheets/sheet1.xml"
        seed[part] = seed[part].replace(b">B<", b">" + big.encode() + b"<", 1)
        data = _rezip(seed)
        expected = {"bom_zip"}
    del big
    with pytest.raises(UnreadableFileError) as err:
        prepare_upload([(f"koperasi.{fmt}", data)], sample_store)
    assert err.value.code in expected
    assert err.value.message("id") and err.value.message("en")
    assert state_of(sample_store) == before


@pytest.mark.parametrize("length", [40_000, 200_000], ids=["above-excel", "above-csv-module"])
def test_a_csv_cell_longer_than_excel_allows_is_refused(sample_store, length):
    """A long CSV cell, small enough to pass the byte limit, refused as a cell (not a csv.Error)."""
    long = "".join(random.Random(1).choices("abcdefghij", k=length))
    data = _to_csv([["id_koperasi", "nama_koperasi"], ["KOP-0001", long]]).encode()
    with pytest.raises(UnreadableFileError) as err:
        prepare_upload([("koperasi.csv", data)], sample_store)
    assert err.value.code == "sel_terlalu_panjang"
    assert "32767" in err.value.message("id") or "32.767" in err.value.message("id")
    assert "32,767" in err.value.message("en") or "32767" in err.value.message("en")
