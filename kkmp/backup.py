"""Backup and restore of a whole store, in a portable file (SQLite ↔ PostgreSQL).

The file is a zip holding `manifest.json` and one JSON-lines file per table, every row version and
every revision record included, so the history survives. A backup made from SQLite restores into
PostgreSQL and back. A restore is one transaction: it lands whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import zipfile
import zlib
from array import array
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kkmp.diff import ROW_ID
from kkmp.i18n import t
from kkmp.schema import DATASETS
from kkmp.store import REV_FROM, REV_TO, Store

FORMAT = "kkmp-backup"
VERSION = 1
MANIFEST = "manifest.json"
_CHUNK = 1000
MAX_MEMBER_BYTES = 4 * 1024**3  # refuse a table that unpacks to more than this
MAX_LINE_BYTES = 1024**2  # refuse a line (one row) longer than this; the longest real rows are a few kB
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError)


class BackupError(RuntimeError):
    """A backup that cannot be written or restored; the message says what to do (id / en)."""


class BackupRejected(BackupError):
    """A backup file refused before anything is written: `code` names what is wrong (`cadangan.galat.<code>`).

    `str()` is one line in both languages (for the CLI); `message(lang)` is the user's language alone.
    """

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = {k: _shown(v) for k, v in params.items()}
        super().__init__(f"{self.message('id')} / {self.message('en')}")

    def message(self, lang: str = "id") -> str:
        """What is wrong with the file and what to do next, in `lang`."""
        return t(f"cadangan.galat.{self.code}", lang, **self.params)


def _shown(value: object) -> object:
    """A value from the file as it may appear in a one-line message: short, no line breaks."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "…"


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds: its latest revision and the row count of each table."""

    revision: int
    rows: dict[str, int]

    @property
    def total_rows(self) -> int:
        """Rows over all tables."""
        return sum(self.rows.values())


def _tables(store: Store) -> list[sa.Table]:
    """The store's backed-up tables, parents before children (not its identity: a restore makes a new one)."""
    return [t for t in store.metadata.sorted_tables if t is not store.identitas]


def _encode(value: object) -> object:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # SQLite keeps the UTC wall time without its zone
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _decoder(column: sa.Column):
    kind = type(column.type)
    if issubclass(kind, sa.DateTime):
        return lambda v: None if v is None else dt.datetime.fromisoformat(v).astimezone(dt.UTC)
    if issubclass(kind, sa.Date):
        return lambda v: None if v is None else dt.date.fromisoformat(v)
    return lambda v: v


def _read_connection(store: Store) -> Connection:
    conn = store.engine.connect()
    if conn.dialect.name == "postgresql":  # one snapshot for every table
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def _rows(conn: Connection, table: sa.Table) -> Iterator[dict]:
    pk = list(table.primary_key.columns)
    result = conn.execution_options(yield_per=_CHUNK).execute(sa.select(table).order_by(*pk))
    for row in result.mappings():
        yield {k: _encode(v) for k, v in row.items()}


def write_backup(store: Store, path: Path) -> BackupSummary:
    """Write every table of `store` (read in one consistent snapshot) to the zip file `path`."""
    store.create()
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    manifest: dict = {"format": FORMAT, "version": VERSION, "tables": {}}
    with _read_connection(store) as conn, conn.begin(), zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        revision = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(store.revisi.c.id), 0))).scalar_one())
        for table in _tables(store):
            digest = hashlib.sha256()
            count = 0
            with zf.open(f"{table.name}.jsonl", "w") as member:
                for row in _rows(conn, table):
                    line = (json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
                    digest.update(line)
                    member.write(line)
                    count += 1
            manifest["tables"][table.name] = {
                "rows": count,
                "columns": [c.name for c in table.columns],
                "sha256": digest.hexdigest(),
            }
        manifest["revisi_terbaru"] = revision
        manifest["dibuat_pada"] = dt.datetime.now(dt.UTC).isoformat()
        manifest["dari"] = conn.dialect.name
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    tmp.replace(path)
    return BackupSummary(revision, {n: t["rows"] for n, t in manifest["tables"].items()})


def read_manifest(path: Path) -> dict:
    """The manifest of a backup file, checked to be one this version can restore."""
    name = Path(path).name
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read(MANIFEST), parse_constant=_no_constant)
    except FileNotFoundError:
        raise BackupRejected("tidak_ditemukan", berkas=name) from None
    except (KeyError, ValueError, UnicodeDecodeError, *_ZIP_ERRORS):  # RuntimeError: an encrypted zip
        raise BackupRejected("bukan_cadangan", berkas=name) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRejected("bukan_cadangan", berkas=name)
    if manifest.get("version") != VERSION:
        raise BackupRejected("versi", versi=manifest.get("version"), bisa=VERSION)
    return manifest


def _no_constant(name: str) -> object:
    raise _Constant(name)


class _Constant(ValueError):
    """NaN, Infinity or -Infinity in a JSON text (which strict JSON does not have)."""


def _check_manifest(store: Store, manifest: dict) -> dict[str, dict]:
    """The manifest's table list, checked: exactly the store's tables, each with its rows, columns, sha256."""
    tables = {t.name: t for t in _tables(store)}
    listed = manifest.get("tables")
    if not isinstance(listed, dict):
        raise BackupRejected("daftar_tabel", bagian="tables")
    for name, info in listed.items():
        if name not in tables:
            raise BackupRejected("tabel_tak_dikenal", tabel=name)
        if not (
            isinstance(info, dict)
            and type(info.get("rows")) is int
            and info["rows"] >= 0
            and isinstance(info.get("columns"), list)
            and all(isinstance(c, str) for c in info["columns"])
            and isinstance(info.get("sha256"), str)
        ):
            raise BackupRejected("daftar_tabel", bagian=name)
        known = {c.name for c in tables[name].columns}
        unknown = sorted(set(info["columns"]) - known)
        if unknown:
            raise BackupRejected("kolom_tak_dikenal", tabel=name, kolom=", ".join(unknown))
        for column in _required_columns(tables[name]):
            if column not in info["columns"]:
                raise BackupRejected("kolom_wajib_hilang", tabel=name, kolom=column)
    for name in tables:
        if name not in listed:
            raise BackupRejected("tabel_hilang", tabel=name)
    return listed


def _required_columns(table: sa.Table) -> list[str]:
    """Columns a backup of `table` must hold: not-null ones and each dataset's key (older backups may lack others)."""
    names = [c.name for c in table.columns if not c.nullable or c.primary_key]
    dataset = DATASETS.get(table.name.removeprefix("data_")) if table.name.startswith("data_") else None
    if dataset is not None:
        names += [k for k in dataset.key if k not in names]
    return names


def _member_lines(zf: zipfile.ZipFile, name: str, expected_sha: str) -> Iterator[tuple[int, dict]]:
    """(line number, row) of one table, read a bounded line at a time; the table's size and sha256 checked.

    No line longer than `MAX_LINE_BYTES` is ever held, whatever the file says, so a huge line costs
    no memory. The sha256 is checked when the table has been read to its end.
    """
    try:
        info = zf.getinfo(f"{name}.jsonl")
    except KeyError:
        raise BackupRejected("anggota_hilang", tabel=name) from None
    if info.file_size > MAX_MEMBER_BYTES:
        raise BackupRejected("tabel_terlalu_besar", tabel=name, batas=MAX_MEMBER_BYTES)
    digest = hashlib.sha256()
    total = 0
    with zf.open(info) as member:
        number = 0
        while raw := member.readline(MAX_LINE_BYTES + 1):
            number += 1
            total += len(raw)
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                raise BackupRejected("baris_terlalu_panjang", tabel=name, baris=number, batas=MAX_LINE_BYTES)
            if total > MAX_MEMBER_BYTES:
                raise BackupRejected("tabel_terlalu_besar", tabel=name, batas=MAX_MEMBER_BYTES)
            digest.update(raw)
            try:
                row = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
            except _Constant:
                raise BackupRejected("tak_hingga", tabel=name, baris=number) from None
            except (ValueError, UnicodeDecodeError):
                raise BackupRejected("bukan_json", tabel=name, baris=number) from None
            if not isinstance(row, dict):
                raise BackupRejected("bukan_objek", tabel=name, baris=number, jenis=type(row).__name__)
            yield number, row
    if digest.hexdigest() != expected_sha:
        raise BackupRejected("sha256", tabel=name)


def _value_checker(column: sa.Column):
    """A function telling whether a JSON value suits `column`'s declared type (None when it does), and its type's name."""
    kind = type(column.type)
    if issubclass(kind, sa.Integer):
        limit = 2**63 - 1 if issubclass(kind, sa.BigInteger) else 2**31 - 1
        return (lambda v: type(v) is int and -limit <= v <= limit), "bilangan bulat / integer"
    if issubclass(kind, sa.Float):
        return (lambda v: type(v) in (int, float) and math.isfinite(v)), "angka / number"
    if issubclass(kind, sa.Boolean):
        return (lambda v: type(v) is bool), "ya/tidak (boolean)"
    if issubclass(kind, sa.DateTime):
        return _parses(dt.datetime.fromisoformat), "waktu ISO / ISO timestamp"
    if issubclass(kind, sa.Date):
        return _parses(dt.date.fromisoformat), "tanggal ISO / ISO date"
    return (lambda v: type(v) is str), "teks / text"


def _parses(parse):
    def check(value: object) -> bool:
        if type(value) is not str:
            return False
        try:
            parse(value)
        except ValueError:
            return False
        return True

    return check


class _TableCheck:
    """Checks one table's rows as they stream by, and what must hold over all of them."""

    def __init__(self, table: sa.Table, columns: list[str], revisions: set[int] | None) -> None:
        self.table = table
        self.name = table.name
        self.columns = columns
        self.expected = set(columns)
        self.checks = []
        for name in columns:
            column = table.c[name]
            ok, kind = _value_checker(column)
            self.checks.append((name, ok, kind, not column.nullable or column.primary_key))
        self.revisions = revisions
        self.dataset = DATASETS.get(self.name.removeprefix("data_")) if self.name.startswith("data_") else None
        self.ids = array("q")
        self.current_keys = array("q")
        self.pairs: set[tuple[int, str]] = set()
        self.rollbacks: list[tuple[int, int]] = []

    def row(self, number: int, row: dict) -> None:
        """Check one row: every column, the declared types, ids, intervals and the revisions it names."""
        if row.keys() != self.expected:
            odd = sorted(self.expected.symmetric_difference(row))
            raise BackupRejected("kolom_baris", tabel=self.name, baris=number, kolom=", ".join(odd))
        for name, ok, kind, required in self.checks:
            value = row[name]
            if value is None:
                if required:
                    raise BackupRejected("kosong", tabel=self.name, baris=number, kolom=name)
                continue
            if not ok(value):
                raise BackupRejected("tipe", tabel=self.name, baris=number, kolom=name, tipe=kind, nilai=value)
        if self.name == "revisi":
            self._ids(number, "id", row["id"])
            if row.get("rollback_ke") is not None:
                self.rollbacks.append((number, row["rollback_ke"]))
            return
        if self.name == "revisi_dataset":
            self._revision(number, "revisi_id", row["revisi_id"])
            if row["dataset"] not in DATASETS:
                raise BackupRejected("dataset_tak_dikenal", tabel=self.name, baris=number, nilai=row["dataset"])
            pair = (row["revisi_id"], row["dataset"])
            if pair in self.pairs:
                raise BackupRejected("id_ganda", tabel=self.name, kolom="revisi_id, dataset", nilai=list(pair))
            self.pairs.add(pair)
            return
        self._ids(number, ROW_ID, row[ROW_ID])
        start, end = row[REV_FROM], row[REV_TO]
        self._revision(number, REV_FROM, start)
        if end is None:
            self.current_keys.append(hash(tuple(row[k] for k in self.dataset.key)))
        else:
            self._revision(number, REV_TO, end)
            if end <= start:
                raise BackupRejected("interval", tabel=self.name, baris=number, dari=start, sampai=end)

    def _ids(self, number: int, column: str, value: int) -> None:
        if value < 1:
            raise BackupRejected("id_negatif", tabel=self.name, baris=number, kolom=column, nilai=value)
        self.ids.append(value)

    def _revision(self, number: int, column: str, value: int) -> None:
        if value < 1:
            raise BackupRejected("id_negatif", tabel=self.name, baris=number, kolom=column, nilai=value)
        if self.revisions is not None and value not in self.revisions:
            raise BackupRejected("revisi_tidak_ada", tabel=self.name, baris=number, kolom=column, revisi=value)

    def finish(self, zf: zipfile.ZipFile, sha: str) -> None:
        """What holds over the whole table: unique ids, one current version per key."""
        ids = np.frombuffer(self.ids, dtype=np.int64) if len(self.ids) else np.array([], dtype=np.int64)
        values, counts = np.unique(ids, return_counts=True)
        if (counts > 1).any():
            column = "id" if self.name == "revisi" else ROW_ID
            raise BackupRejected("id_ganda", tabel=self.name, kolom=column, nilai=int(values[counts > 1][0]))
        if self.dataset is None or not len(self.current_keys):
            return
        hashes, counts = np.unique(np.frombuffer(self.current_keys, dtype=np.int64), return_counts=True)
        suspects = set(hashes[counts > 1].tolist())
        if not suspects:
            return
        # Equal hashes: compare the keys themselves (a hash collision is not a duplicate).
        keys: Counter = Counter()
        for _number, row in _member_lines(zf, self.name, sha):
            if row[REV_TO] is None:
                key = tuple(row[k] for k in self.dataset.key)
                if hash(key) in suspects:
                    keys[key] += 1
        twice = [k for k, n in keys.items() if n > 1]
        if twice:
            raise BackupRejected("versi_ganda", tabel=self.name, kunci=list(twice[0]))


def check_backup(store: Store, path: Path) -> dict:
    """Read the whole backup `path` and check it can be restored into `store`, writing nothing.

    Checks every table listed and present; each line a JSON object of bounded size with every column,
    each value of its declared type (no NaN/Infinity); ids positive and unique; revisions 1…N; every
    revision a row names exists; `_rev_sampai` after `_rev_dari`; one current version per key; row
    counts and sha256. Raises `BackupRejected` naming the first thing wrong; returns the manifest.
    """
    manifest = read_manifest(path)
    listed = _check_manifest(store, manifest)
    tables = {t.name: t for t in _tables(store)}
    order = ["revisi", *[n for n in tables if n != "revisi"]]
    revisions: set[int] | None = None
    try:
        with zipfile.ZipFile(path) as zf:
            for name in order:
                info = listed[name]
                check = _TableCheck(tables[name], info["columns"], revisions)
                count = 0
                for number, row in _member_lines(zf, name, info["sha256"]):
                    check.row(number, row)
                    count = number
                if count != info["rows"]:
                    raise BackupRejected("jumlah_baris", tabel=name, ada=count, tercatat=info["rows"])
                check.finish(zf, info["sha256"])
                if name == "revisi":
                    revisions = set(check.ids.tolist())
                    _check_revision_run(revisions, manifest)
                    check.revisions = revisions
                    for number, target in check.rollbacks:
                        check._revision(number, "rollback_ke", target)
    except BackupError:
        raise
    except _ZIP_ERRORS as exc:
        raise BackupRejected("zip_rusak", sebab=type(exc).__name__) from None
    return manifest


def _check_revision_run(revisions: set[int], manifest: Mapping) -> None:
    """Revisions are 1…N without a gap, N as the manifest says."""
    latest = max(revisions, default=0)
    if len(revisions) != latest:
        missing = min(set(range(1, latest + 1)) - revisions)
        raise BackupRejected("revisi_berlubang", terbaru=latest, revisi=missing)
    listed = manifest.get("revisi_terbaru", latest)
    if listed != latest:
        raise BackupRejected("revisi_terbaru", tercatat=listed, ada=latest)


def restore_backup(store: Store, path: Path, *, force: bool = False) -> BackupSummary:
    """Load the backup `path` into `store` in one transaction, after checking the whole file (`check_backup`).

    The store must be empty unless `force`, which replaces everything it holds; the store gets a new
    identity (`Store.identity`). Raises `BackupRejected` (the store unchanged) when the file is not a
    sound backup.
    """
    if not Path(path).exists():
        raise BackupRejected("tidak_ditemukan", berkas=Path(path).name)
    store.create()
    if store.latest_revision() and not force:
        raise BackupRejected("store_berisi", revisi=store.latest_revision())
    manifest = check_backup(store, path)
    tables = _tables(store)
    counts: dict[str, int] = {}
    try:
        with zipfile.ZipFile(path) as zf, store.write_transaction() as conn:
            latest = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(store.revisi.c.id), 0))).scalar_one())
            if latest and not force:
                raise BackupRejected("store_berisi", revisi=latest)
            for table in reversed(tables):
                conn.execute(table.delete())
            for table in tables:
                info = manifest["tables"][table.name]
                counts[table.name] = _load_table(conn, zf, table, info)
                _reset_sequence(conn, table)
            store.renew_identity(conn)
            revision = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(store.revisi.c.id), 0))).scalar_one())
    except BackupError:
        raise
    except _ZIP_ERRORS as exc:  # the file changed since it was checked
        raise BackupRejected("zip_rusak", sebab=type(exc).__name__) from None
    except sa.exc.IntegrityError as exc:
        raise BackupRejected("ditolak_basis_data", sebab=type(exc.orig).__name__) from None
    return BackupSummary(revision, counts)


def _load_table(conn: Connection, zf: zipfile.ZipFile, table: sa.Table, info: dict) -> int:
    """Insert one checked table's rows in chunks; returns how many."""
    decoders = {c.name: _decoder(c) for c in table.columns}
    batch: list[dict] = []
    count = 0
    for _number, row in _member_lines(zf, table.name, info["sha256"]):
        batch.append({k: decoders[k](v) for k, v in row.items()})
        if len(batch) >= _CHUNK:
            conn.execute(table.insert(), batch)
            count += len(batch)
            batch = []
    if batch:
        conn.execute(table.insert(), batch)
        count += len(batch)
    if count != info["rows"]:
        raise BackupRejected("jumlah_baris", tabel=table.name, ada=count, tercatat=info["rows"])
    return count


def _reset_sequence(conn: Connection, table: sa.Table) -> None:
    """After rows came in with their own ids, let PostgreSQL's id sequence continue above them."""
    if conn.dialect.name != "postgresql":
        return
    for column in table.primary_key.columns:
        if column.autoincrement is True:
            conn.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                    f'COALESCE((SELECT MAX("{column.name}") FROM {table.name}), 0) + 1, false)'
                )
            )
