"""The hostile-backup corpus (#14 defect 5): crafted backups whose checksums were recomputed so they pass
the checksum check. Each is refused by `restore` with one line naming what is wrong (exit 1 on the
CLI, no traceback), and the store stays exactly as it was — on SQLite and on PostgreSQL.

The corpus is generated here from a real backup of the sample with some history (edits, a replace,
a rollback), one crafted file per case.
"""

from __future__ import annotations

import hashlib
import json
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from kkmp import backup
from kkmp.backup import MANIFEST, BackupRejected, restore_backup, write_backup
from kkmp.cli import main
from kkmp.sample import init_store
from kkmp.store import CommitInfo, Store
from tests.conftest import BACKENDS, fresh_postgres_database, postgres_base_url

Members = dict[str, list[bytes]]  # table name → its lines (with the newline)


def _history(store: Store) -> Store:
    init_store(store, sample=True)
    kop = store.read("koperasi")
    edited = kop.head(3).copy()
    edited["jumlah_anggota"] = pd.array([5, 6, 7], dtype="Int64")
    store.commit({"koperasi": edited}, CommitInfo(pengguna="uji", catatan="ubah"))
    store.commit({"koperasi": kop.head(20)}, CommitInfo(pengguna="uji"), replace=True)
    store.rollback(3, pengguna="uji")
    return store


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cadangan")
    store = _history(Store(f"sqlite:///{folder / 'src.sqlite'}"))
    path = folder / "baik.zip"
    write_backup(store, path)
    store.dispose()
    return path


def _fingerprint(store: Store) -> tuple:
    """Everything a restore could change: identity, revisions, every row version of every table."""
    with store.engine.connect() as conn:
        tables = tuple(
            (t.name, tuple(map(tuple, conn.execute(t.select().order_by(*t.primary_key.columns)).all())))
            for t in store.metadata.sorted_tables
        )
    return store.identity(), tables


@pytest.fixture(scope="module", params=BACKENDS)
def target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, tuple]]:
    """A store holding the sample (on each database) and its fingerprint, shared by the module's refusals."""
    if request.param == "sqlite":
        url_cm = None
        url = f"sqlite:///{tmp_path_factory.mktemp('ziel') / 'kkmp.sqlite'}"
    else:
        url_cm = fresh_postgres_database(postgres_base_url())
        url = url_cm.__enter__()
    store = Store(url)
    init_store(store, sample=True)
    yield store, _fingerprint(store)
    store.dispose()
    if url_cm is not None:
        url_cm.__exit__(None, None, None)


def _read(path: Path) -> tuple[dict, Members]:
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read(MANIFEST))
        members = {
            n.removesuffix(".jsonl"): zf.read(n).splitlines(keepends=True) for n in zf.namelist() if n != MANIFEST
        }
    return manifest, members


def _write(path: Path, manifest: dict, members: Members, *, recompute: bool = True) -> Path:
    """A backup file of `members`, its manifest's sha256 and row counts recomputed to match."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, lines in members.items():
            data = b"".join(lines)
            if recompute and isinstance(manifest["tables"].get(name), dict):
                manifest["tables"][name]["sha256"] = hashlib.sha256(data).hexdigest()
                manifest["tables"][name]["rows"] = manifest["tables"][name].pop("rows_listed", len(lines))
            zf.writestr(f"{name}.jsonl", data)
        zf.writestr(MANIFEST, json.dumps(manifest))
    return path


def _rows(lines: list[bytes]) -> list[dict]:
    return [json.loads(line) for line in lines]


def _lines(rows: list[object]) -> list[bytes]:
    return [(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n").encode() for r in rows]


def _edit_rows(members: Members, table: str, edit: Callable[[list[dict]], list[object]]) -> None:
    members[table] = _lines(edit(_rows(members[table])))


def _first(rows: list[dict], test: Callable[[dict], bool]) -> dict:
    return next(r for r in rows if test(r))


# ---- the corpus: case → (how the file is crafted, the refusal's code) --------------------------------
def rev_sampai_before_dari(m: dict, members: Members) -> None:
    def edit(rows):  # a current cooperative "retired" before it was created: it would silently vanish
        row = _first(rows, lambda r: r["_rev_sampai"] is None and r["_rev_dari"] >= 2)
        row["_rev_sampai"] = row["_rev_dari"] - 1
        return rows

    _edit_rows(members, "data_koperasi", edit)


def rev_sampai_equals_dari(m: dict, members: Members) -> None:
    def edit(rows):
        row = _first(rows, lambda r: r["_rev_sampai"] is not None)
        row["_rev_sampai"] = row["_rev_dari"]
        return rows

    _edit_rows(members, "data_koperasi", edit)


def two_current_versions(m: dict, members: Members) -> None:
    def edit(rows):
        copy = dict(_first(rows, lambda r: r["_rev_sampai"] is None))
        copy["_baris"] = max(r["_baris"] for r in rows) + 1
        copy["jumlah_anggota"] = 999
        return [*rows, copy]

    _edit_rows(members, "data_koperasi", edit)


def revision_missing(m: dict, members: Members) -> None:
    def edit(rows):
        rows[0]["_rev_dari"] = 99
        return rows

    _edit_rows(members, "data_koperasi", edit)


def retired_by_missing_revision(m: dict, members: Members) -> None:
    def edit(rows):
        _first(rows, lambda r: r["_rev_sampai"] is not None)["_rev_sampai"] = 42
        return rows

    _edit_rows(members, "data_rat", edit) if any(
        r["_rev_sampai"] is not None for r in _rows(members["data_rat"])
    ) else _edit_rows(members, "data_koperasi", edit)


def revision_dataset_of_missing_revision(m: dict, members: Members) -> None:
    def edit(rows):
        rows.append({**rows[0], "revisi_id": 77})
        return rows

    _edit_rows(members, "revisi_dataset", edit)


def rollback_to_missing_revision(m: dict, members: Members) -> None:
    def edit(rows):
        _first(rows, lambda r: r["rollback_ke"] is not None)["rollback_ke"] = 50
        return rows

    _edit_rows(members, "revisi", edit)


def negative_revision_id(m: dict, members: Members) -> None:
    def edit(rows):
        rows[0]["_rev_dari"] = -1
        return rows

    _edit_rows(members, "data_koperasi", edit)


def negative_row_id(m: dict, members: Members) -> None:
    def edit(rows):
        rows[0]["_baris"] = -5
        return rows

    _edit_rows(members, "data_koperasi", edit)


def duplicate_row_id(m: dict, members: Members) -> None:
    def edit(rows):
        rows[1]["_baris"] = rows[0]["_baris"]
        return rows

    _edit_rows(members, "data_koperasi", edit)


def revisions_with_a_gap(m: dict, members: Members) -> None:
    def edit(rows):
        return [r for r in rows if r["id"] != 3]

    _edit_rows(members, "revisi", edit)


def latest_revision_mismatch(m: dict, members: Members) -> None:
    m["revisi_terbaru"] = 9


def no_dataset_tables(m: dict, members: Members) -> None:
    for name in [n for n in m["tables"] if n.startswith("data_")]:  # every table would be emptied
        del m["tables"][name]
        del members[name]


def listed_table_missing_from_zip(m: dict, members: Members) -> None:
    del members["data_rat"]


def column_missing_from_first_row(m: dict, members: Members) -> None:
    def edit(rows):
        del rows[0]["nama_koperasi"]
        return rows

    _edit_rows(members, "data_koperasi", edit)


def extra_column_in_a_row(m: dict, members: Members) -> None:
    def edit(rows):
        rows[3]["kolom_palsu"] = 1
        return rows

    _edit_rows(members, "data_koperasi", edit)


def required_column_missing_everywhere(m: dict, members: Members) -> None:
    m["tables"]["data_koperasi"]["columns"].remove("id_koperasi")

    def edit(rows):
        for r in rows:
            del r["id_koperasi"]
        return rows

    _edit_rows(members, "data_koperasi", edit)


def required_value_null(m: dict, members: Members) -> None:
    def edit(rows):
        rows[0]["_rev_dari"] = None
        return rows

    _edit_rows(members, "data_koperasi", edit)


def text_in_an_integer_column(m: dict, members: Members) -> None:
    def edit(rows):
        rows[0]["jumlah_anggota"] = "banyak"
        return rows

    _edit_rows(members, "data_koperasi", edit)


def boolean_in_an_integer_column(m: dict, members: Members) -> None:
    def edit(rows):
        rows[0]["jumlah_anggota"] = True
        return rows

    _edit_rows(members, "data_koperasi", edit)


def integer_too_large(m: dict, members: Members) -> None:
    def edit(rows):
        rows[0]["jumlah_anggota"] = 2**70
        return rows

    _edit_rows(members, "data_koperasi", edit)


def impossible_date(m: dict, members: Members) -> None:
    def edit(rows):
        _first(rows, lambda r: r["tanggal_badan_hukum"] is not None)["tanggal_badan_hukum"] = "2025-13-45"
        return rows

    _edit_rows(members, "data_koperasi", edit)


def number_in_a_text_column(m: dict, members: Members) -> None:
    def edit(rows):
        rows[0]["nama_koperasi"] = 12
        return rows

    _edit_rows(members, "data_koperasi", edit)


def unknown_dataset_in_revision(m: dict, members: Members) -> None:
    def edit(rows):
        rows[0]["dataset"] = "rahasia"
        return rows

    _edit_rows(members, "revisi_dataset", edit)


def _float_literal(literal: str) -> Callable[[dict, Members], None]:
    """A cooperative's `modal_sendiri` written as `literal` (which `json.dumps` would never write)."""

    def craft(m: dict, members: Members) -> None:
        line = members["data_koperasi"][0]
        value = json.dumps(json.loads(line)["modal_sendiri"]).encode()
        members["data_koperasi"][0] = line.replace(
            b'"modal_sendiri": ' + value, b'"modal_sendiri": ' + literal.encode()
        )
        assert literal.encode() in members["data_koperasi"][0]

    return craft


def line_is_a_list(m: dict, members: Members) -> None:
    members["data_koperasi"][0] = b"[1, 2, 3]\n"


def line_is_null(m: dict, members: Members) -> None:
    members["data_koperasi"][0] = b"null\n"


def line_is_not_json(m: dict, members: Members) -> None:
    members["data_koperasi"][0] = b'{"_id": 1, \n'


def line_is_not_utf8(m: dict, members: Members) -> None:
    members["data_koperasi"][0] = members["data_koperasi"][0].replace(b"Koperasi", b"K\xffperasi", 1)


def row_count_mismatch(m: dict, members: Members) -> None:
    m["tables"]["data_koperasi"]["rows_listed"] = m["tables"]["data_koperasi"]["rows"] + 1  # see `_write`


def unknown_table(m: dict, members: Members) -> None:
    m["tables"]["../../etc/passwd"] = {"rows": 0, "columns": [], "sha256": hashlib.sha256(b"").hexdigest()}


def damaged_table_list(m: dict, members: Members) -> None:
    m["tables"]["data_rat"] = ["bukan", "objek"]


CASES: dict[str, tuple[Callable[[dict, Members], None], str]] = {
    "rev-sampai-before-dari": (rev_sampai_before_dari, "interval"),
    "rev-sampai-equals-dari": (rev_sampai_equals_dari, "interval"),
    "two-current-versions-of-a-key": (two_current_versions, "versi_ganda"),
    "created-by-missing-revision": (revision_missing, "revisi_tidak_ada"),
    "retired-by-missing-revision": (retired_by_missing_revision, "revisi_tidak_ada"),
    "revision-dataset-of-missing-revision": (revision_dataset_of_missing_revision, "revisi_tidak_ada"),
    "rollback-to-missing-revision": (rollback_to_missing_revision, "revisi_tidak_ada"),
    "negative-revision-id": (negative_revision_id, "id_negatif"),
    "negative-row-id": (negative_row_id, "id_negatif"),
    "duplicate-row-id": (duplicate_row_id, "id_ganda"),
    "revisions-with-a-gap": (revisions_with_a_gap, "revisi_berlubang"),
    "latest-revision-mismatch": (latest_revision_mismatch, "revisi_terbaru"),
    "manifest-lists-no-dataset-tables": (no_dataset_tables, "tabel_hilang"),
    "listed-table-missing-from-zip": (listed_table_missing_from_zip, "anggota_hilang"),
    "column-missing-from-first-row": (column_missing_from_first_row, "kolom_baris"),
    "extra-column-in-a-row": (extra_column_in_a_row, "kolom_baris"),
    "key-column-missing-everywhere": (required_column_missing_everywhere, "kolom_wajib_hilang"),
    "required-value-null": (required_value_null, "kosong"),
    "text-in-integer-column": (text_in_an_integer_column, "tipe"),
    "boolean-in-integer-column": (boolean_in_an_integer_column, "tipe"),
    "integer-too-large": (integer_too_large, "tipe"),
    "impossible-date": (impossible_date, "tipe"),
    "number-in-text-column": (number_in_a_text_column, "tipe"),
    "unknown-dataset-in-revision": (unknown_dataset_in_revision, "dataset_tak_dikenal"),
    "nan": (_float_literal("NaN"), "tak_hingga"),
    "infinity": (_float_literal("Infinity"), "tak_hingga"),
    "minus-infinity": (_float_literal("-Infinity"), "tak_hingga"),
    "overflowing-float-1e999": (_float_literal("1e999"), "tipe"),
    "line-is-a-list": (line_is_a_list, "bukan_objek"),
    "line-is-null": (line_is_null, "bukan_objek"),
    "line-is-not-json": (line_is_not_json, "bukan_json"),
    "line-is-not-utf8": (line_is_not_utf8, "bukan_json"),
    "row-count-mismatch": (row_count_mismatch, "jumlah_baris"),
    "unknown-table": (unknown_table, "tabel_tak_dikenal"),
    "damaged-table-list": (damaged_table_list, "daftar_tabel"),
}


def _assert_refused(store: Store, before: tuple, path: Path, code: str, capsys) -> None:
    with pytest.raises(BackupRejected) as info:
        restore_backup(store, path, force=True)
    assert info.value.code == code, str(info.value)
    assert "\n" not in str(info.value) and "Traceback" not in str(info.value)
    assert "{" not in info.value.message("id") and "{" not in info.value.message("en")
    assert main(["--db", store.url, "restore", str(path), "--force"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert captured.err.startswith("kkmp: ") and info.value.message("id") in captured.err
    assert _fingerprint(store) == before


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_crafted_backup_is_refused_and_the_store_unchanged(good_backup, target, tmp_path, case, capsys):
    craft, code = CASES[case]
    manifest, members = _read(good_backup)
    craft(manifest, members)
    path = _write(tmp_path / f"{case}.zip", manifest, members)
    store, before = target
    _assert_refused(store, before, path, code, capsys)


def test_the_good_backup_restores(good_backup, make_store_url):
    """The corpus's source itself passes every check (so each refusal is the crafted change's)."""
    manifest, members = _read(good_backup)
    path = _write(good_backup.with_name("neu.zip"), manifest, members)
    store = Store(make_store_url("sqlite"))
    assert restore_backup(store, path).revision == 5
    store.dispose()


def _member_span(path: Path, name: str) -> tuple[int, int]:
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
    with open(path, "rb") as f:
        f.seek(info.header_offset + 26)
        head = f.read(4)
    start = info.header_offset + 30 + int.from_bytes(head[:2], "little") + int.from_bytes(head[2:], "little")
    return start, start + info.compress_size


@pytest.mark.parametrize("fraction", [0.0, 0.13, 0.31, 0.5, 0.77, 0.999])
def test_a_single_bit_flip_in_a_table_is_refused(good_backup, target, tmp_path, fraction, capsys):
    """A bit flipped in a table's compressed bytes (a BadZipFile/zlib traceback before): refused in one line."""
    start, end = _member_span(good_backup, "data_koperasi.jsonl")
    data = bytearray(good_backup.read_bytes())
    at = start + int((end - start - 1) * fraction)
    data[at] ^= 0x10
    path = tmp_path / "flip.zip"
    path.write_bytes(bytes(data))
    store, before = target
    with pytest.raises(BackupRejected) as info:
        restore_backup(store, path, force=True)
    # zlib or the CRC notices at once, or the damaged text fails a line check before the CRC is read
    assert info.value.message("id") and "Traceback" not in str(info.value)
    assert main(["--db", store.url, "restore", str(path), "--force"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert _fingerprint(store) == before


def test_a_table_over_the_size_bound_is_refused(good_backup, target, monkeypatch, capsys):
    monkeypatch.setattr(backup, "MAX_MEMBER_BYTES", 10_000)  # the real bound (4 GB) is too big for a test file
    store, before = target
    _assert_refused(store, before, good_backup, "tabel_terlalu_besar", capsys)


def test_a_600_mb_line_is_refused_without_loading_it(good_backup, target, tmp_path, capsys):
    """One line of 600 MB (deflated to under a megabyte): refused after reading 1 MB of it."""
    manifest, members = _read(good_backup)
    path = tmp_path / "panjang.zip"
    size = 600 * 1024**2
    digest = hashlib.sha256()
    chunk = b"a" * 1024**2
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, lines in members.items():
            if name != "data_koperasi":
                zf.writestr(f"{name}.jsonl", b"".join(lines))
        with zf.open("data_koperasi.jsonl", "w", force_zip64=True) as member:
            for _ in range(size // len(chunk)):
                member.write(chunk)
                digest.update(chunk)
            member.write(b"\n")
            digest.update(b"\n")
        manifest["tables"]["data_koperasi"].update(sha256=digest.hexdigest(), rows=1)
        zf.writestr(MANIFEST, json.dumps(manifest))
    assert path.stat().st_size < 5 * 1024**2
    store, before = target
    tracemalloc.start()
    with pytest.raises(BackupRejected) as info:
        restore_backup(store, path, force=True)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert info.value.code == "baris_terlalu_panjang"
    assert peak < 20 * 1024**2, f"peak {peak / 2**20:.1f} MB"
    assert _fingerprint(store) == before
