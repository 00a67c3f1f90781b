"""The revisioned store (SQLAlchemy; SQLite by default, PostgreSQL through the URL).

Every write is a revision. Rows are never updated in place: a row version carries the
revision that created it (`_rev_dari`) and the one that retired it (`_rev_sampai`, empty
while current), so the data as of any past revision can be read back.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from kkmp.diff import ROW_ID, DatasetDiff, diff_frames
from kkmp.frames import DTYPES, empty_frame
from kkmp.schema import DATASETS, Dataset, get_dataset
from kkmp.snapshot_delta import apply_versions

REV_FROM = "_rev_dari"
REV_TO = "_rev_sampai"
_WRITE_FLAG = "kkmp_write"
_PG_LOCK_KEY = 7_271_2025
_FETCH_ROWS = 250_000
_IDENTITY_KEY = "store_id"
_INSERT_ROWS = 100_000
_BULK_ROWS = 50_000

_SQL_TYPES = {
    "str": sa.Text,
    "list": sa.Text,
    "json": sa.Text,
    "int": sa.BigInteger,
    "float": sa.Float,
    "bool": sa.Boolean,
    "date": sa.Date,
}


@dataclass(frozen=True)
class DatasetMeta:
    """What is known about a dataset at a revision: its date, source, and whether it is sample data."""

    dataset: str
    revision: int
    posisi_per: dt.date | None
    sumber: str
    contoh: bool


@dataclass(frozen=True)
class Snapshot:
    """All datasets as of one revision, with their metadata."""

    revision: int
    frames: Mapping[str, pd.DataFrame]
    meta: Mapping[str, DatasetMeta]
    identity: str = ""  # the store's identity when read (`Store.identity`): which history this revision is of

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    @property
    def contoh(self) -> bool:
        """True when any dataset holding rows is sample data."""
        # Only sample datasets are looked at, so a lazily restricted snapshot computes few frames.
        return any(not self.frames[n].empty for n, m in self.meta.items() if m.contoh and n in self.frames)

    def with_frames(self, frames: Mapping[str, pd.DataFrame | Callable[[], pd.DataFrame]]) -> Snapshot:
        """The same snapshot with some frames replaced (after filtering, say); a callable is computed on first use."""
        base = self.frames
        merged: dict[str, pd.DataFrame | Callable[[], pd.DataFrame]] = {
            name: (base.source(name) if isinstance(base, LazyFrames) else base[name])
            for name in base
            if name not in frames
        }
        merged.update(frames)
        return Snapshot(self.revision, LazyFrames(merged), self.meta, self.identity)


class LazyFrames(Mapping):
    """Dataset name → frame, where a frame given as a callable is computed on first access and kept.

    A page that reads three datasets of a restricted national snapshot then filters three, not six
    (the distribution alone has 1.6 million rows).
    """

    def __init__(self, sources: Mapping[str, pd.DataFrame | Callable[[], pd.DataFrame]]) -> None:
        self._sources = dict(sources)
        self._done: dict[str, pd.DataFrame] = {}

    def source(self, name: str) -> pd.DataFrame | Callable[[], pd.DataFrame]:
        """The frame if computed (or given), else the callable that computes it."""
        return self._done.get(name, self._sources[name])

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._done:
            value = self._sources[name]
            self._done[name] = value() if callable(value) else value
        return self._done[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)


@dataclass
class CommitInfo:
    """Who writes what, from where: recorded on the revision."""

    pengguna: str
    catatan: str = ""
    jenis: str = "impor"
    nama_file: str | None = None
    sha256: str | None = None
    posisi_per: Mapping[str, dt.date | None] = field(default_factory=dict)
    sumber: Mapping[str, str] = field(default_factory=dict)
    contoh: bool = False
    rollback_ke: int | None = None


@dataclass
class CommitResult:
    """The revision written (None when nothing changed) and what changed per dataset."""

    revision: int | None
    diffs: dict[str, DatasetDiff]


class StoreError(RuntimeError):
    """A store operation that cannot be done (unknown revision, empty store ...)."""


class StoreReplacedError(StoreError):
    """The store's history was replaced (restore, `init --force`) after the user chose a revision of it."""

    def __init__(self, revision: int) -> None:
        super().__init__(
            f"store diganti sejak revisi {revision} dipilih; muat ulang halaman dan pilih lagi "
            f"/ the store was replaced since revision {revision} was chosen; reload the page and choose again"
        )
        self.revision = revision


class StoreUnavailable(Exception):
    """The database cannot be opened or used right now: a SQLite file unreadable, locked or not a database,
    a PostgreSQL server down or unreachable. The SQLAlchemy error is the `__cause__`. The message names only
    the backend, never the URL (it may hold a password); `reason` is the driver's first line, for the
    administrator (the CLI, the server log), with the URL's password masked."""

    def __init__(self, backend: str, reason: str = "", sqlstate: str | None = None) -> None:
        super().__init__(f"basis data ({backend}) tidak dapat dibuka / the {backend} database cannot be opened")
        self.backend = backend
        self.reason = reason
        self.kind = unavailable_kind(reason, sqlstate)


#: What the driver's first line says → the kind of `StoreUnavailable` (the message the visitor gets).
_KINDS = (
    ("sibuk", ("database is locked", "database table is locked")),
    ("hanya_baca", ("readonly database", "read-only", "read only")),
    ("penuh", ("disk is full", "no space left", "disk full")),
)


#: PostgreSQL SQLSTATE → the same kinds: read-only transaction (a read-only database, a standby) and disk full.
_SQLSTATE_KINDS = {"25006": "hanya_baca", "53100": "penuh"}


def unavailable_kind(reason: str, sqlstate: str | None = None) -> str:
    """`sibuk` (locked past the busy timeout), `hanya_baca` (cannot write), `penuh` (disk full), else ``:
    from the PostgreSQL `sqlstate` when it names one, otherwise from the driver's message."""
    if sqlstate in _SQLSTATE_KINDS:
        return _SQLSTATE_KINDS[sqlstate]
    text = reason.lower()
    return next((kind for kind, needles in _KINDS if any(n in text for n in needles)), "")


def _sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of the driver's error under `exc` (psycopg `sqlstate`, psycopg2 `pgcode`), if it has one."""
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return code if isinstance(code, str) else None


# SQLite reports a missing table or column (a store not created yet, an older schema) as an
# OperationalError too: those are the store's own business, not the database being unavailable.
_SCHEMA_ERRORS = ("no such table", "no such column", "has no column")


def _unavailable(exc: sa.exc.DBAPIError) -> bool:
    """Whether `exc` means the database cannot be opened or reached (rather than a wrong statement)."""
    if exc.connection_invalidated or _sqlstate(exc) in _SQLSTATE_KINDS:
        return True
    if isinstance(exc, sa.exc.OperationalError):
        return not any(s in str(exc.orig).lower() for s in _SCHEMA_ERRORS)
    return type(exc) is sa.exc.DatabaseError  # SQLite: "file is not a database", "disk image is malformed"


def _backend(url: str) -> str:
    try:
        return sa.engine.make_url(url).get_backend_name()
    except sa.exc.ArgumentError:
        return "?"


def _reason(url: str, exc: BaseException) -> str:
    """The first line of the driver's message for `exc`, with the password of `url` masked."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    text = lines[0].strip() if lines else type(orig).__name__
    try:
        password = sa.engine.make_url(url).password
    except sa.exc.ArgumentError:
        password = None
    return text.replace(str(password), "***") if password else text


def default_url() -> str:
    """The SQLite file under `var/` in the working directory."""
    return f"sqlite:///{Path('var') / 'kkmp.sqlite'}"


def safe_url(url: str) -> str:
    """The store URL with its password masked, for messages and logs."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<URL basis data tidak sah / invalid database URL>"


def _make_engine(url: str, busy_timeout: float) -> Engine:
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # a folder that cannot be made (no permission, read-only disk)
                raise StoreUnavailable("sqlite", _reason(url, exc)) from exc
        engine = sa.create_engine(url, connect_args={"timeout": busy_timeout})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # Writers take the write lock at BEGIN so two writers queue instead of failing.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get(_WRITE_FLAG) else "BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def _dataset_table(metadata: sa.MetaData, dataset: Dataset) -> sa.Table:
    cols = [
        sa.Column(ROW_ID, sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(REV_FROM, sa.Integer, nullable=False),
        sa.Column(REV_TO, sa.Integer, nullable=True),
    ]
    cols += [sa.Column(c.name, _SQL_TYPES[c.type]()) for c in dataset.columns]
    table = sa.Table(f"data_{dataset.name}", metadata, *cols)
    sa.Index(f"ix_{dataset.name}_aktif", table.c[REV_TO], *[table.c[k] for k in dataset.key])
    sa.Index(f"ix_{dataset.name}_rev", table.c[REV_FROM])
    return table


class Store:
    """The dashboard's data: datasets with full revision history."""

    def __init__(self, url: str | None = None, *, busy_timeout: float = 60.0, write_timeout: float = 60.0) -> None:
        """`busy_timeout`: seconds a SQLite read waits for a lock; `write_timeout`: seconds a write waits."""
        self.url = url or default_url()
        self.busy_timeout = busy_timeout
        self.write_timeout = write_timeout
        self.engine = _make_engine(self.url, busy_timeout)
        self.metadata = sa.MetaData()
        self.revisi = sa.Table(
            "revisi",
            self.metadata,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("dibuat_pada", sa.DateTime(timezone=True), nullable=False),
            sa.Column("pengguna", sa.Text, nullable=False),
            sa.Column("jenis", sa.Text, nullable=False),
            sa.Column("nama_file", sa.Text),
            sa.Column("sha256", sa.Text),
            sa.Column("catatan", sa.Text),
            sa.Column("rollback_ke", sa.Integer),
        )
        self.revisi_dataset = sa.Table(
            "revisi_dataset",
            self.metadata,
            sa.Column("revisi_id", sa.Integer, sa.ForeignKey("revisi.id"), primary_key=True),
            sa.Column("dataset", sa.Text, primary_key=True),
            sa.Column("posisi_per", sa.Date),
            sa.Column("sumber", sa.Text),
            sa.Column("contoh", sa.Boolean, nullable=False),
            sa.Column("ditambah", sa.Integer, nullable=False),
            sa.Column("diubah", sa.Integer, nullable=False),
            sa.Column("dihapus", sa.Integer, nullable=False),
            sa.Column("tetap", sa.Integer, nullable=False),
        )
        self.tables = {name: _dataset_table(self.metadata, d) for name, d in DATASETS.items()}
        # Which history this store holds: a random id, made by `create` on a new store and replaced by
        # `renew_identity` whenever the history is replaced (`init --force`, `restore`). Not backed up.
        self.identitas = sa.Table(
            "identitas_store",
            self.metadata,
            sa.Column("kunci", sa.Text, primary_key=True),
            sa.Column("nilai", sa.Text, nullable=False),
        )

    # ---- set-up -------------------------------------------------------------------------
    def _schema_current(self) -> bool:
        """True when every table and column exists and the store has its identity: `create` need not write."""
        with self._read() as conn:
            inspector = sa.inspect(conn)
            for table in self.metadata.sorted_tables:
                if not inspector.has_table(table.name):
                    return False
                have = {c["name"] for c in inspector.get_columns(table.name)}
                if any(c.name not in have for c in table.columns):
                    return False
            return self._identity(conn) is not None

    def create(self) -> None:
        """Create missing tables and add columns declared since the store was made (no write when none are)."""
        if self._schema_current():  # a page opening a locked database waits the read timeout, not the write one
            return
        with self._write() as conn:
            self.metadata.create_all(conn)
            inspector = sa.inspect(conn)
            for table in self.tables.values():
                have = {c["name"] for c in inspector.get_columns(table.name)}
                for column in table.columns:
                    if column.name not in have:
                        kind = column.type.compile(dialect=conn.dialect)
                        conn.exec_driver_sql(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}')
            if self._identity(conn) is None:
                self.renew_identity(conn)

    def renew_identity(self, conn: Connection) -> str:
        """Give the store a new identity inside the write transaction `conn` (its history was replaced)."""
        new = uuid.uuid4().hex
        conn.execute(self.identitas.delete().where(self.identitas.c.kunci == _IDENTITY_KEY))
        conn.execute(self.identitas.insert().values(kunci=_IDENTITY_KEY, nilai=new))
        return new

    def _identity(self, conn: Connection) -> str | None:
        t = self.identitas
        return conn.execute(sa.select(t.c.nilai).where(t.c.kunci == _IDENTITY_KEY)).scalar()

    def state(self) -> tuple[str, int]:
        """(identity, latest revision), read together: with the url, the key of every cache of the data."""
        try:
            with self._read() as conn:
                return self._identity(conn) or "", self._resolve(conn, None)
        except (sa.exc.OperationalError, sa.exc.ProgrammingError):
            return "", 0

    def identity(self) -> str:
        """The store's identity: changes whenever its history is replaced, so (url, identity, revision)
        names one state of the data (cache keys use it). Empty while the store is not created."""
        try:
            with self._read() as conn:
                return self._identity(conn) or ""
        except (sa.exc.OperationalError, sa.exc.ProgrammingError):
            return ""

    def drop(self) -> None:
        """Remove every table of the store (used by `init --force`)."""
        with self._write() as conn:
            self.metadata.drop_all(conn)

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()

    @contextmanager
    def _unavailable_as_error(self) -> Iterator[None]:
        """Raise StoreUnavailable (the original as its cause) when the database cannot be opened or used."""
        try:
            yield
        except sa.exc.DBAPIError as exc:
            if _unavailable(exc):
                raise StoreUnavailable(_backend(self.url), _reason(self.url, exc), _sqlstate(exc)) from exc
            raise

    def _set_busy_timeout(self, conn: Connection, seconds: float) -> None:
        """SQLite: how long `conn` waits for a lock (set on the driver connection: no transaction begins)."""
        if conn.dialect.name == "sqlite":
            conn.connection.driver_connection.execute(f"PRAGMA busy_timeout={int(seconds * 1000)}")

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._unavailable_as_error(), self.engine.connect() as conn:
            conn.info[_WRITE_FLAG] = True
            self._set_busy_timeout(conn, self.write_timeout)  # a writer may queue longer than a page read
            try:
                with conn.begin():
                    if conn.dialect.name == "postgresql":
                        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
                    yield conn
            finally:
                conn.info.pop(_WRITE_FLAG, None)
                with suppress(sqlite3.Error):  # a broken connection is thrown away by the pool anyway
                    self._set_busy_timeout(conn, self.busy_timeout)

    @contextmanager
    def write_transaction(self) -> Iterator[Connection]:
        """A transaction holding the store's write lock (other writers wait), for bulk work such as a restore."""
        with self._write() as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._unavailable_as_error(), self.engine.connect() as conn, conn.begin():
            yield conn

    # ---- reading ------------------------------------------------------------------------
    def latest_revision(self) -> int:
        """The newest revision number; 0 for an empty store."""
        try:
            with self._read() as conn:
                return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(self.revisi.c.id), 0))).scalar_one())
        except sa.exc.OperationalError:
            return 0
        except sa.exc.ProgrammingError:
            return 0

    def revision_created(self, revision: int) -> dt.datetime | None:
        """When `revision` was written (None when there is no such revision)."""
        with self._read() as conn:
            return conn.execute(sa.select(self.revisi.c.dibuat_pada).where(self.revisi.c.id == revision)).scalar()

    def _resolve(self, conn: Connection, revision: int | None) -> int:
        latest = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(self.revisi.c.id), 0))).scalar_one())
        if revision is None:
            return latest
        if revision < 0 or revision > latest:
            raise StoreError(f"revisi {revision} tidak ada (terbaru: {latest})")
        return revision

    def _select(self, table: sa.Table, revision: int | None, with_row_id: bool = False) -> sa.Select:
        names = [c.name for c in table.columns if not c.name.startswith("_")]
        cols = [table.c[n] for n in names] + ([table.c[ROW_ID]] if with_row_id else [])
        # Rows in key order, the same on every database (SQL leaves the order open otherwise).
        key = [table.c[k] for k in DATASETS[table.name.removeprefix("data_")].key]
        stmt = sa.select(*cols).order_by(*key, table.c[ROW_ID])
        if revision is None:
            return stmt.where(table.c[REV_TO].is_(None))
        return stmt.where(table.c[REV_FROM] <= revision).where(
            sa.or_(table.c[REV_TO].is_(None), table.c[REV_TO] > revision)
        )

    def _read_frame(
        self,
        conn: Connection,
        dataset: Dataset,
        revision: int | None,
        with_row_id: bool = False,
        near: pd.DataFrame | None = None,
        where: str | None = None,
        params: list[object] | None = None,
    ) -> pd.DataFrame:
        """Rows of `dataset` as of `revision`, read column-wise in chunks from the DBAPI cursor.

        SQLAlchemy's row objects cost ~10 µs a row; a national snapshot has millions of rows,
        so the rows are fetched as plain tuples and converted column by column. With `near`
        (an upload), only rows sharing its key values are read: a superset of the rows it can
        change, so diffing an upsert of 100,000 rows does not read millions.
        """
        table = self.tables[dataset.name]
        names = [c.name for c in table.columns if not c.name.startswith("_")] + ([ROW_ID] if with_row_id else [])
        quote = conn.dialect.identifier_preparer.quote
        if where is None and revision is None:
            where = f"{quote(REV_TO)} IS NULL"
        elif where is None:
            rev = int(revision)
            where = f"{quote(REV_FROM)} <= {rev} AND ({quote(REV_TO)} IS NULL OR {quote(REV_TO)} > {rev})"
        params = list(params or [])  # values of the '?' placeholders in `where`
        if near is not None:
            for clause, values in _key_filters(conn, dataset, near):
                where += f" AND {clause}"
                params += values
        order = _key_order_sql(conn, dataset)
        sql = f"SELECT {', '.join(quote(n) for n in names)} FROM {quote(table.name)} WHERE {where} ORDER BY {order}"
        cursor = conn.exec_driver_sql(*_bind(conn, sql, params)).cursor if params else conn.exec_driver_sql(sql).cursor
        parts = []
        while rows := cursor.fetchmany(_FETCH_ROWS):
            parts.append(_columns_frame(dataset, names, rows))
        cursor.close()
        if not parts:
            return _restore_dtypes(dataset, pd.DataFrame(columns=names))
        return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)

    def read(self, dataset: str, revision: int | None = None) -> pd.DataFrame:
        """The rows of `dataset` as of `revision` (default: the latest)."""
        ds = get_dataset(dataset)
        with self._read() as conn:
            rev = self._resolve(conn, revision)
            return self._read_frame(conn, ds, None if revision is None else rev)

    def read_where_in(self, dataset: str, column: str, values: Sequence[str]) -> pd.DataFrame:
        """The current rows of `dataset` whose text `column` is one of `values`, selected by the database."""
        ds = get_dataset(dataset)
        ds.column(column)  # a declared column: never a name from outside in the SQL
        items = [str(v) for v in values]
        with self._read() as conn:
            quote = conn.dialect.identifier_preparer.quote
            where = f"{quote(REV_TO)} IS NULL AND {quote(column)} IN ({', '.join(['?'] * len(items))})"
            return self._read_frame(conn, ds, None, where=where, params=items)

    def revision_versions(self, dataset: str, revision: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The row versions `revision` retired and the ones it created in `dataset` (what it changed),
        read by the revision columns alone, so a small change to a large dataset reads only a few rows."""
        ds = get_dataset(dataset)
        rev = int(revision)
        with self._read() as conn:
            self._resolve(conn, rev)
            quote = conn.dialect.identifier_preparer.quote
            retired = self._read_frame(conn, ds, rev, where=f"{quote(REV_TO)} = {rev}")
            created = self._read_frame(conn, ds, rev, where=f"{quote(REV_FROM)} = {rev}")
        return retired, created

    def _versions_between(
        self, conn: Connection, dataset: Dataset, since: int, revision: int
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Row versions current at `since` but not at `revision`, and those current at `revision` but not at `since`."""
        quote = conn.dialect.identifier_preparer.quote
        rev_from, rev_to, a, b = quote(REV_FROM), quote(REV_TO), int(since), int(revision)
        # Both read along an index: the "active rows" one (revision retired) and the revision one (created).
        retired = self._read_frame(conn, dataset, a, where=f"{rev_to} > {a} AND {rev_to} <= {b} AND {rev_from} <= {a}")
        created = self._read_frame(
            conn, dataset, b, where=f"{rev_from} > {a} AND {rev_from} <= {b} AND ({rev_to} IS NULL OR {rev_to} > {b})"
        )
        return retired, created

    def snapshot_since(self, previous: Snapshot, revision: int | None = None) -> Snapshot:
        """The snapshot at `revision` (default: the latest) built from `previous`, an earlier full snapshot of
        this store, and the row versions the revisions in between retired and created.

        Datasets no revision in between touched are shared with `previous` as they are; a dataset
        missing from `previous`, with other columns, or whose changes outnumber its rows is read in
        full. The result equals `snapshot(revision)`: same columns, dtypes, rows and row order.
        """
        with self._read() as conn:
            if previous.identity and previous.identity != self._identity(conn):
                raise StoreError(
                    "snapshot sebelumnya dari riwayat lain (store diganti) / the earlier snapshot is of another history"
                )
            rev = self._resolve(conn, revision)
            since = self._resolve(conn, previous.revision)
            if since > rev:
                raise StoreError(f"revisi {since} lebih baru dari revisi {rev}")
            latest = self._resolve(conn, None)
            rd = self.revisi_dataset
            touched: dict[str, int] = {}
            for row in conn.execute(
                sa.select(rd.c.dataset, rd.c.ditambah, rd.c.diubah, rd.c.dihapus).where(
                    rd.c.revisi_id > since, rd.c.revisi_id <= rev
                )
            ):
                touched[row.dataset] = touched.get(row.dataset, 0) + row.ditambah + 2 * row.diubah + row.dihapus
            frames: dict[str, pd.DataFrame] = {}
            for name, ds in DATASETS.items():
                old = previous.frames.get(name)
                if old is None or list(old.columns) != ds.column_names:
                    frames[name] = self._read_frame(conn, ds, None if rev == latest else rev)
                elif name not in touched:
                    frames[name] = old
                elif touched[name] > len(old):  # a rollback of most rows: reading them all is cheaper
                    frames[name] = self._read_frame(conn, ds, None if rev == latest else rev)
                else:
                    retired, created = self._versions_between(conn, ds, since, rev)
                    frames[name] = apply_versions(ds, old, retired, created)
            return Snapshot(rev, frames, self._meta(conn, rev), self._identity(conn) or "")

    def meta(self, revision: int | None = None) -> dict[str, DatasetMeta]:
        """Each dataset's latest "posisi per", source and sample flag as of `revision`."""
        with self._read() as conn:
            rev = self._resolve(conn, revision)
            return self._meta(conn, rev)

    def _meta(self, conn: Connection, rev: int) -> dict[str, DatasetMeta]:
        rd = self.revisi_dataset
        rows = conn.execute(sa.select(rd).where(rd.c.revisi_id <= rev).order_by(rd.c.revisi_id)).mappings()
        out: dict[str, DatasetMeta] = {}
        for r in rows:
            out[r["dataset"]] = DatasetMeta(
                r["dataset"], r["revisi_id"], r["posisi_per"], r["sumber"] or "", bool(r["contoh"])
            )
        for name in DATASETS:
            out.setdefault(name, DatasetMeta(name, 0, None, "", False))
        return out

    def snapshot(self, revision: int | None = None) -> Snapshot:
        """Every dataset and its metadata as of `revision` (default: the latest), read consistently."""
        with self._read() as conn:
            rev = self._resolve(conn, revision)
            latest = self._resolve(conn, None)
            # At the latest revision "still active" is the same set and reads along its index.
            at = None if rev == latest else rev
            frames = {name: self._read_frame(conn, ds, at) for name, ds in DATASETS.items()}
            return Snapshot(rev, frames, self._meta(conn, rev), self._identity(conn) or "")

    def revisions(self) -> pd.DataFrame:
        """Every revision, newest first, with what it changed per dataset."""
        r, rd = self.revisi, self.revisi_dataset
        with self._read() as conn:
            head = pd.DataFrame(
                conn.execute(sa.select(r).order_by(r.c.id.desc())).mappings().all(), columns=[c.name for c in r.columns]
            )
            parts = pd.DataFrame(conn.execute(sa.select(rd)).mappings().all(), columns=[c.name for c in rd.columns])
        if head.empty:
            return head.assign(datasets=pd.Series(dtype="object"))
        by_revision: dict[int, list[dict]] = {}
        order = {name: i for i, name in enumerate(DATASETS)}  # schema order, whatever the database returns
        records = sorted(parts.to_dict("records"), key=lambda r: (r["revisi_id"], order.get(r["dataset"], len(order))))
        for record in records:
            by_revision.setdefault(int(record.pop("revisi_id")), []).append(record)
        head["datasets"] = [by_revision.get(int(i), []) for i in head["id"]]
        return head

    # ---- writing ------------------------------------------------------------------------
    def preview(self, changes: Mapping[str, pd.DataFrame], *, replace: bool = False) -> dict[str, DatasetDiff]:
        """What `commit` would change, without writing."""
        with self._read() as conn:
            return self._diffs(conn, changes, replace)

    def _diffs(self, conn: Connection, changes: Mapping[str, pd.DataFrame], replace: bool) -> dict[str, DatasetDiff]:
        """Each dataset's change against the current rows (only the keys in the upload, unless `replace`)."""
        return {
            name: diff_frames(
                get_dataset(name),
                self._read_frame(conn, get_dataset(name), None, True, None if replace else frame),
                frame,
                replace=replace,
            )
            for name, frame in changes.items()
        }

    def commit(self, changes: Mapping[str, pd.DataFrame], info: CommitInfo, *, replace: bool = False) -> CommitResult:
        """Write `changes` (dataset → rows, canonical dtypes) as one atomic revision.

        Rows are upserted by each dataset's key; with `replace`, rows not in the upload are
        retired. When nothing would change, no revision is written and `revision` is None.
        """
        with self._write() as conn:
            diffs = self._diffs(conn, changes, replace)
            if all(d.is_empty for d in diffs.values()):
                return CommitResult(None, diffs)
            rev = self._resolve(conn, None) + 1
            conn.execute(
                self.revisi.insert().values(
                    id=rev,
                    dibuat_pada=dt.datetime.now(dt.UTC),
                    pengguna=info.pengguna,
                    jenis=info.jenis,
                    nama_file=info.nama_file,
                    sha256=info.sha256,
                    catatan=info.catatan,
                    rollback_ke=info.rollback_ke,
                )
            )
            for name, diff in diffs.items():
                self._apply(conn, get_dataset(name), diff, rev)
                conn.execute(
                    self.revisi_dataset.insert().values(
                        revisi_id=rev,
                        dataset=name,
                        posisi_per=info.posisi_per.get(name),
                        sumber=info.sumber.get(name, ""),
                        contoh=info.contoh,
                        ditambah=len(diff.added),
                        diubah=len(diff.changed),
                        dihapus=len(diff.removed),
                        tetap=diff.unchanged,
                    )
                )
            return CommitResult(rev, diffs)

    def _apply(self, conn: Connection, dataset: Dataset, diff: DatasetDiff, rev: int) -> None:
        table = self.tables[dataset.name]
        for start in range(0, len(diff.retired_rows), 500):
            chunk = diff.retired_rows[start : start + 500]
            conn.execute(sa.update(table).where(table.c[ROW_ID].in_(chunk)).values({REV_TO: rev}))
        rows = pd.concat([diff.added, diff.changed], ignore_index=True) if not diff.changed.empty else diff.added
        sqlite = conn.dialect.name == "sqlite"
        names = [REV_FROM, *(c.name for c in dataset.columns)]
        quote = conn.dialect.identifier_preparer.quote
        # SQLite: plain tuples straight to the driver (SQLAlchemy's per-row parameter processing cost
        # more than the insert itself at national scale). Elsewhere Core's insertmanyvalues batches them.
        sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
            f"VALUES ({', '.join(['?'] * len(names))})"
        )
        # Loading many rows into an empty table (init, a first upload): build its indexes once afterwards, from
        # sorted data, instead of updating them row by row (on the same transaction, so it stays atomic).
        indexes = list(table.indexes) if len(rows) >= _BULK_ROWS and _no_rows(conn, table) else []
        for index in indexes:
            index.drop(conn)
        for start in range(0, len(rows), _INSERT_ROWS):  # chunks keep a national load's memory flat
            tuples = _row_tuples(dataset, rows.iloc[start : start + _INSERT_ROWS], rev, sqlite=sqlite)
            if sqlite:
                conn.exec_driver_sql(sql, tuples)
            else:
                conn.execute(table.insert(), [dict(zip(names, t, strict=True)) for t in tuples])
        for index in indexes:
            index.create(conn)

    def rollback(self, revision: int, pengguna: str, catatan: str = "", *, identity: str | None = None) -> CommitResult:
        """Make the data as it was at `revision` again, as a new revision (nothing is deleted).

        With `identity` (the store's identity when the user chose the revision), refuse when the store
        was replaced since: its revision `revision` is not the one the user saw.
        """
        with self._read() as conn:
            if identity is not None and identity != (self._identity(conn) or ""):
                raise StoreReplacedError(revision)
            rev = self._resolve(conn, revision)
            frames = {name: self._read_frame(conn, ds, rev) for name, ds in DATASETS.items()}
            meta = self._meta(conn, rev)
        info = CommitInfo(
            pengguna=pengguna,
            catatan=catatan or f"rollback ke revisi {rev}",
            jenis="rollback",
            posisi_per={n: m.posisi_per for n, m in meta.items()},
            sumber={n: m.sumber for n, m in meta.items()},
            contoh=any(m.contoh for m in meta.values()),
            rollback_ke=rev,
        )
        return self.commit(frames, info, replace=True)


def _key_order_sql(conn: Connection, dataset: Dataset) -> str:
    """ORDER BY terms for key order, the same on every database (SQL leaves the order open otherwise).

    Text compares by code point, as in `kkmp.snapshot_delta`: SQLite's default (binary) collation does
    that; PostgreSQL's follows the database's locale unless told "C". Ties (none among one revision's
    rows, whose keys are unique) go by row id. For the latest revision the "active rows" index holds
    the rows in this order.
    """
    quote = conn.dialect.identifier_preparer.quote
    postgres = conn.dialect.name == "postgresql"
    terms = [
        f'{quote(k)} COLLATE "C"' if postgres and dataset.column(k).type in ("str", "list") else quote(k)
        for k in dataset.key
    ]
    return ", ".join([*terms, quote(ROW_ID)])


def _restore_dtypes(dataset: Dataset, raw: pd.DataFrame) -> pd.DataFrame:
    if raw.empty:
        frame = empty_frame(dataset)
        if ROW_ID in raw.columns:
            frame[ROW_ID] = pd.Series(dtype="Int64")
        return frame
    out = {}
    for c in dataset.columns:
        s = raw[c.name]
        if c.type == "date":
            out[c.name] = pd.to_datetime(s).astype("datetime64[ns]")
        elif c.type == "bool":
            out[c.name] = s.astype("boolean")
        elif c.type == "int":
            out[c.name] = pd.to_numeric(s).astype("Int64")
        elif c.type == "float":
            out[c.name] = pd.to_numeric(s).astype("float64")
        else:
            out[c.name] = s.astype(DTYPES[c.type])
    if ROW_ID in raw.columns:
        out[ROW_ID] = raw[ROW_ID].astype("Int64")
    return pd.DataFrame(out)


_MAX_FILTER_VALUES = 20_000


def _key_filters(conn: Connection, dataset: Dataset, near: pd.DataFrame) -> list[tuple[str, list[object]]]:
    """`column IN (...)` clauses on the key columns of `near` with few enough distinct values."""
    quote = conn.dialect.identifier_preparer.quote
    sqlite = conn.dialect.name == "sqlite"
    columns = [k for k in dataset.key if k in near.columns]
    if len(columns) < len(dataset.key) or near[columns].isna().any().any():
        return []
    distinct = sorted(((k, near[k].drop_duplicates()) for k in columns), key=lambda kv: len(kv[1]))
    out, used = [], 0
    for name, values in distinct:
        if used + len(values) > _MAX_FILTER_VALUES:
            break
        kind = dataset.column(name).type
        if kind == "date":
            items = [v.date().isoformat() if sqlite else v.date() for v in values]
        elif kind == "int":
            items = [int(v) for v in values]
        else:
            items = [str(v) for v in values]
        out.append((f"{quote(name)} IN ({', '.join(['?'] * len(items))})", items))
        used += len(items)
    return out


def _bind(conn: Connection, sql: str, params: list[object]) -> tuple[str, tuple | dict]:
    """`sql` written with '?' placeholders, and its parameters, in the driver's own style."""
    style = conn.dialect.paramstyle
    if style == "qmark":
        return sql, tuple(params)
    if style in ("format", "pyformat"):
        return sql.replace("?", "%s"), tuple(params)
    parts = sql.split("?")
    marks = [f":{i + 1}" if style == "numeric" else f":p{i}" for i in range(len(params))]
    text = parts[0] + "".join(m + rest for m, rest in zip(marks, parts[1:], strict=True))
    if style == "numeric":
        return text, tuple(params)
    return text, {f"p{i}": v for i, v in enumerate(params)}


def _columns_frame(dataset: Dataset, names: list[str], rows: list[tuple]) -> pd.DataFrame:
    """A frame in canonical dtypes from DBAPI row tuples, converting whole columns at once."""
    values = list(zip(*rows, strict=True))
    out = {}
    for i, name in enumerate(names):
        column = values[i]
        if name == ROW_ID:
            out[name] = pd.array(column, dtype="Int64")
            continue
        kind = dataset.column(name).type
        if kind == "date":
            out[name] = _dates(column)
        elif kind == "bool":
            out[name] = pd.array([None if v is None else bool(v) for v in column], dtype="boolean")
        elif kind == "int":
            out[name] = pd.array(column, dtype="Int64")
        elif kind == "float":
            out[name] = np.array(column, dtype="float64")
        else:  # text: through Arrow, which the "str" dtype is backed by
            out[name] = pd.array(pa.array(column, type=pa.large_string()), dtype=DTYPES[kind])
    return pd.DataFrame(out)


def _dates(column: tuple) -> pd.Series:
    """Dates from the driver (SQLite: ISO text, PostgreSQL: date objects) as datetime64[ns], vectorised."""
    try:
        return pa.array(column).cast(pa.timestamp("ns")).to_pandas().astype("datetime64[ns]")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return pd.to_datetime(pd.Series(column, dtype="object"), format="ISO8601").astype("datetime64[ns]")


def _no_rows(conn: Connection, table: sa.Table) -> bool:
    """True when `table` holds no row version at all (not even retired ones)."""
    return conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is None


def _column_values(kind: str, series: pd.Series, *, sqlite: bool) -> list[object]:
    """One column as Python values for the driver, converted whole (missing values as None).

    Dates go to SQLite as ISO text (what SQLAlchemy's `Date` stores there), to other databases as dates.
    """
    missing = series.isna().to_numpy()
    if kind == "date":
        days = series.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        values = days.astype(str).tolist() if sqlite else days.astype(object).tolist()
    elif kind == "bool":
        values = series.to_numpy(dtype=bool, na_value=False).tolist()
    elif kind == "int":
        values = series.to_numpy(dtype="int64", na_value=0).tolist()
    elif kind == "float":
        values = series.to_numpy(dtype="float64", na_value=np.nan).tolist()
    else:
        values = series.astype("str").to_numpy(dtype=object, na_value=None).tolist()
    for i in np.flatnonzero(missing):
        values[i] = None
    return values


def _row_tuples(dataset: Dataset, frame: pd.DataFrame, rev: int, *, sqlite: bool) -> list[tuple]:
    """The rows of `frame` as (revision, declared columns...) tuples; a column `frame` lacks is all None."""
    n = len(frame)
    columns = [
        _column_values(c.type, frame[c.name], sqlite=sqlite) if c.name in frame.columns else [None] * n
        for c in dataset.columns
    ]
    return list(zip([rev] * n, *columns, strict=True))
