"""Backup and restore of a whole store, in a portable file (SQLite ↔ PostgreSQL).

The file is a zip holding `manifest.json` and one JSON-lines file per table, every row version and
every revision record included, so the history survives. A backup made from SQLite restores into
PostgreSQL and back. A restore is one transaction: it lands whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kkmp.store import Store

FORMAT = "kkmp-backup"
VERSION = 1
MANIFEST = "manifest.json"
_CHUNK = 1000
MAX_MEMBER_BYTES = 4 * 1024**3  # refuse a member that would unpack to more than this


class BackupError(RuntimeError):
    """A backup that cannot be written or restored; the message says what to do (id / en)."""


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
    """The store's tables, parents before children."""
    return list(store.metadata.sorted_tables)


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
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read(MANIFEST))
    except FileNotFoundError:
        raise BackupError(f"berkas cadangan tidak ditemukan: {Path(path).name} / backup file not found") from None
    except (zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError):
        raise BackupError(
            f"{Path(path).name} bukan berkas cadangan KKMP; pakai berkas dari `python -m kkmp backup` "
            "/ not a KKMP backup file"
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{Path(path).name} bukan berkas cadangan KKMP / not a KKMP backup file")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"versi cadangan {manifest.get('version')} tidak dikenal (bisa: {VERSION}); perbarui aplikasi "
            "/ unknown backup version; update the application"
        )
    return manifest


def _check_tables(store: Store, manifest: dict) -> None:
    tables = {t.name: t for t in _tables(store)}
    listed = manifest.get("tables")
    if not isinstance(listed, dict):
        raise BackupError("daftar tabel di cadangan rusak / the backup's table list is damaged")
    for name, info in listed.items():
        if name not in tables:
            raise BackupError(f"tabel tak dikenal di cadangan: {name} / unknown table in the backup")
        unknown = set(info.get("columns", [])) - {c.name for c in tables[name].columns}
        if unknown:
            raise BackupError(
                f"kolom tak dikenal di tabel {name}: {', '.join(sorted(unknown))}; perbarui aplikasi "
                "/ unknown columns; update the application"
            )


def _member_lines(zf: zipfile.ZipFile, name: str, expected_sha: str) -> Iterator[dict]:
    info = zf.getinfo(f"{name}.jsonl")
    if info.file_size > MAX_MEMBER_BYTES:
        raise BackupError(f"tabel {name} di cadangan terlalu besar / table too large in the backup")
    digest = hashlib.sha256()
    with zf.open(info) as member:
        for line in io.TextIOWrapper(member, encoding="utf-8", newline="\n"):
            digest.update(line.encode("utf-8"))
            yield json.loads(line)
    if digest.hexdigest() != expected_sha:
        raise BackupError(f"isi tabel {name} rusak (sha256 tidak cocok) / table {name} is damaged (sha256)")


def restore_backup(store: Store, path: Path, *, force: bool = False) -> BackupSummary:
    """Load the backup `path` into `store` in one transaction.

    The store must be empty unless `force`, which replaces everything it holds. Raises
    `BackupError` (the store unchanged) when the file is not a sound backup.
    """
    manifest = read_manifest(path)
    store.create()
    _check_tables(store, manifest)
    tables = [t for t in _tables(store) if t.name in manifest["tables"]]
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path) as zf, store.write_transaction() as conn:
        latest = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(store.revisi.c.id), 0))).scalar_one())
        if latest and not force:
            raise BackupError(
                f"store sudah berisi {latest} revisi; pakai --force untuk menggantinya "
                "/ the store has revisions; use --force to replace them"
            )
        for table in reversed(_tables(store)):
            conn.execute(table.delete())
        for table in tables:
            info = manifest["tables"][table.name]
            decoders = {c.name: _decoder(c) for c in table.columns}
            batch: list[dict] = []
            count = 0
            try:
                for row in _member_lines(zf, table.name, info.get("sha256")):
                    batch.append({k: decoders[k](v) for k, v in row.items()})
                    if len(batch) >= _CHUNK:
                        conn.execute(table.insert(), batch)
                        count += len(batch)
                        batch = []
            except (KeyError, ValueError, TypeError, UnicodeDecodeError) as exc:
                raise BackupError(f"isi tabel {table.name} rusak / table {table.name} is damaged ({exc})") from None
            if batch:
                conn.execute(table.insert(), batch)
                count += len(batch)
            if count != info.get("rows"):
                raise BackupError(f"jumlah baris tabel {table.name} tidak cocok / row count mismatch")
            counts[table.name] = count
            _reset_sequence(conn, table)
        revision = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(store.revisi.c.id), 0))).scalar_one())
    return BackupSummary(revision, counts)


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
