"""A database that cannot be opened, is locked past the busy timeout, is read-only or on a full disk (issue
#14) is one named error, StoreUnavailable (with its `kind`), in the store, the command line and the app: one
plain line or message with the next step, never a traceback, nothing half-written."""

from __future__ import annotations

import datetime as dt
import os
import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from kkmp.auth import hash_password
from kkmp.cli import EXIT_STORE_UNAVAILABLE, main
from kkmp.i18n import t
from kkmp.sample import init_store, open_store
from kkmp.settings import Settings, load_settings
from kkmp.store import Store, StoreUnavailable
from tests.conftest import ROOT, clear_streamlit_caches
from tests.test_unggah_app import XLSX, open_page, sign_in
from tests.upload_corpus import koperasi_title_rows
from ui import state


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def garbage_url(tmp_path: Path) -> str:
    """A SQLite URL whose file is random bytes, not a database."""
    path = tmp_path / "rusak.db"
    path.write_bytes(os.urandom(8192))
    return f"sqlite:///{path}"


def postgres_down_url() -> str:
    pytest.importorskip("psycopg")
    return f"postgresql+psycopg://kkmp:rahasia-sekali@127.0.0.1:{closed_port()}/kkmp"


def test_garbage_sqlite_file_is_unavailable(garbage_url):
    store = Store(garbage_url)
    with pytest.raises(StoreUnavailable) as info:
        store.create()
    assert isinstance(info.value.__cause__, sa.exc.DatabaseError)
    with pytest.raises(StoreUnavailable):
        store.state()
    with pytest.raises(StoreUnavailable):
        store.snapshot()
    assert info.value.backend == "sqlite"
    store.dispose()


def test_sqlite_file_in_a_folder_that_cannot_be_made(tmp_path):
    blocker = tmp_path / "berkas"
    blocker.write_text("bukan folder")
    with pytest.raises(StoreUnavailable) as info:
        Store(f"sqlite:///{blocker / 'sub' / 'kkmp.sqlite'}")
    assert isinstance(info.value.__cause__, OSError)


def test_postgres_down_is_unavailable_and_the_message_hides_the_url():
    url = postgres_down_url()
    store = Store(url)
    with pytest.raises(StoreUnavailable) as info:
        store.latest_revision()
    assert isinstance(info.value.__cause__, sa.exc.OperationalError)
    assert info.value.backend == "postgresql"
    assert "rahasia" not in str(info.value) and "127.0.0.1" not in str(info.value)
    store.dispose()


def test_a_store_not_created_yet_is_not_unavailable(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'baru.sqlite'}")
    assert store.state() == ("", 0)
    assert store.latest_revision() == 0
    store.dispose()


@pytest.mark.parametrize("broken", ["garbage", "postgres"])
def test_cli_prints_one_line_and_exits_with_its_own_code(broken, garbage_url, capsys):
    url = garbage_url if broken == "garbage" else postgres_down_url()
    assert main(["--db", url, "summary"]) == EXIT_STORE_UNAVAILABLE == 3
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("kkmp: basis data")
    assert "KKMP_DATABASE_URL" in lines[0]
    assert "Traceback" not in err and "rahasia" not in err


@pytest.mark.parametrize(
    ("lang", "message"),
    [("id", "Basis data tidak dapat dibuka saat ini."), ("en", "The database cannot be opened right now.")],
)
def test_a_page_with_a_broken_database_says_what_to_do_in_the_language(garbage_url, monkeypatch, lang, message):
    monkeypatch.setenv("KKMP_DATABASE_URL", garbage_url)
    monkeypatch.chdir(ROOT)
    clear_streamlit_caches()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception, at.exception
        errors = [e.value for e in at.error]
        assert any(e.startswith(message) for e in errors), errors
        assert not any(garbage_url in e for e in errors)
    finally:
        clear_streamlit_caches()


# ---- locked past the busy timeout, read-only, disk full -----------------------------------------------------


def sqlite_path(store: Store) -> str:
    return sa.engine.make_url(store.url).database


@contextmanager
def held_lock(store: Store, *, readers_too: bool) -> Iterator[None]:
    """Another connection holds the write lock (`BEGIN EXCLUSIVE`); with `readers_too` it also keeps the
    file to itself (`locking_mode=EXCLUSIVE`), which in WAL mode is what stops readers as well."""
    store.dispose()  # the exclusive locking mode waits for the file's other connections to close
    other = sqlite3.connect(sqlite_path(store), isolation_level=None, timeout=20)
    try:
        if readers_too:
            other.execute("PRAGMA locking_mode=EXCLUSIVE")
        other.execute("BEGIN EXCLUSIVE")
        other.execute("UPDATE identitas_store SET nilai = nilai")
        yield
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()


def run_app(url: str, monkeypatch, page: str | None = None, **env: str) -> AppTest:
    monkeypatch.setenv("KKMP_DATABASE_URL", url)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(ROOT)
    clear_streamlit_caches()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)  # well under the old 60 s wait
    if page:
        at.switch_page(page)
    return at.run()


@pytest.mark.usefixtures("fresh_caches")
def test_a_page_on_a_locked_database_says_busy_after_the_short_timeout(sample_store, monkeypatch):
    with held_lock(sample_store, readers_too=True):
        at = run_app(sample_store.url, monkeypatch, KKMP_SQLITE_BUSY_TIMEOUT="0.2")
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t("app.basis_data_sibuk", "id")]
    assert not at.metric  # nothing of the page itself


@pytest.mark.usefixtures("fresh_caches")
def test_a_writer_holding_the_lock_does_not_stop_a_visitor_reading(sample_store, monkeypatch):
    with held_lock(sample_store, readers_too=False):  # WAL: readers go on; opening the app no longer writes
        at = run_app(sample_store.url, monkeypatch, KKMP_SQLITE_BUSY_TIMEOUT="0.2")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.metric


def test_the_read_and_write_timeouts_come_from_the_settings(tmp_path):
    settings = load_settings({"KKMP_SQLITE_BUSY_TIMEOUT": "1.5", "KKMP_SQLITE_WRITE_TIMEOUT": "90"})
    assert (settings.sqlite_busy_timeout, settings.sqlite_write_timeout) == (1.5, 90.0)
    assert (Settings().sqlite_busy_timeout, Settings().sqlite_write_timeout) == (5.0, 60.0)
    store = open_store(Settings(database_url=f"sqlite:///{tmp_path / 'k.sqlite'}", load_sample_on_first_run=False))
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    store.dispose()


def test_cli_import_on_a_locked_database_writes_nothing_and_says_busy(sample_store, tmp_path, monkeypatch, capsys):
    upload = tmp_path / "rekap.xlsx"
    upload.write_bytes(koperasi_title_rows())
    monkeypatch.setenv("KKMP_SQLITE_WRITE_TIMEOUT", "0.2")
    with held_lock(sample_store, readers_too=False):
        code = main(["--db", sample_store.url, "import", str(upload), "--confirm"])
    err = capsys.readouterr().err
    assert code == EXIT_STORE_UNAVAILABLE, err
    assert err.count("\n") == 1 and "sedang sibuk" in err and "Traceback" not in err
    assert sample_store.latest_revision() == 2


FAULTS = {
    "hanya_baca": "attempt to write a readonly database",
    "penuh": "database or disk is full",
}


def fail_after_writing(monkeypatch, message: str) -> None:
    """The first dataset a commit writes fails after its rows went in (the revision record is in too)."""
    real = Store._apply

    def apply_then_fail(self, conn, dataset, diff, rev):
        real(self, conn, dataset, diff, rev)
        raise sa.exc.OperationalError("INSERT", {}, sqlite3.OperationalError(message))

    monkeypatch.setattr(Store, "_apply", apply_then_fail)


def stored_state(store: Store) -> tuple[int, dict[str, str]]:
    """The latest revision and a digest of every dataset's rows (NaN-safe, unlike comparing records)."""
    snap = store.snapshot()
    digest = {n: f.to_csv(index=False) for n, f in snap.frames.items()}
    return len(store.revisions()), digest


def test_cli_import_on_a_read_only_database_file(sample_store, tmp_path, capsys):
    upload = tmp_path / "rekap.xlsx"
    upload.write_bytes(koperasi_title_rows())
    before = stored_state(sample_store)
    read_only = f"sqlite:///file:{sqlite_path(sample_store)}?mode=ro&uri=true"  # root ignores chmod
    code = main(["--db", read_only, "import", str(upload), "--confirm"])
    err = capsys.readouterr().err
    assert code == EXIT_STORE_UNAVAILABLE, err
    assert err.count("\n") == 1 and "hanya dapat dibaca" in err and "administrator" in err
    assert "Traceback" not in err
    assert stored_state(sample_store) == before


@pytest.mark.parametrize("kind", sorted(FAULTS))
def test_cli_import_that_fails_mid_write_writes_nothing(kind, sample_store, tmp_path, monkeypatch, capsys):
    upload = tmp_path / "rekap.xlsx"
    upload.write_bytes(koperasi_title_rows())
    before = stored_state(sample_store)
    fail_after_writing(monkeypatch, FAULTS[kind])
    code = main(["--db", sample_store.url, "import", str(upload), "--confirm"])
    err = capsys.readouterr().err
    assert code == EXIT_STORE_UNAVAILABLE, err
    assert err.count("\n") == 1 and "administrator" in err and "Traceback" not in err
    monkeypatch.undo()
    assert stored_state(sample_store) == before


@pytest.mark.usefixtures("fresh_caches")
@pytest.mark.parametrize("kind", sorted(FAULTS))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_save_on_the_page_that_cannot_be_written_says_tell_the_administrator(kind, lang, sample_store, monkeypatch):
    before = stored_state(sample_store)
    editors = {"Budi": hash_password("rahasia", n=2**10)}
    monkeypatch.setenv("KKMP_DATABASE_URL", sample_store.url)
    monkeypatch.chdir(ROOT)
    at = sign_in(open_page("pages/unggah.py", editors, lang=lang))
    at.file_uploader(key=state.UPLOAD_FILES).upload("rekap.xlsx", koperasi_title_rows(), XLSX).run()
    at.checkbox(key=state.UPLOAD_CONFIRM).check()
    at.date_input(key=state.UPLOAD_POSISI_PER).set_value(dt.date(2025, 10, 21)).run()
    fail_after_writing(monkeypatch, FAULTS[kind])
    at.button(key=state.UPLOAD_COMMIT).click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t(f"app.basis_data_{kind}", lang)]
    monkeypatch.undo()
    assert stored_state(sample_store) == before


# ---- PostgreSQL: a read-only database or transaction, a full disk (by SQLSTATE) ---------------------------------


def psycopg_error(kind: str) -> sa.exc.DBAPIError:
    """What SQLAlchemy raises for PostgreSQL's read-only transaction (25006) and disk full (53100); the disk-full
    text names no "space", so only its SQLSTATE can tell."""
    errors = pytest.importorskip("psycopg.errors")
    if kind == "hanya_baca":
        return sa.exc.InternalError(
            "INSERT", {}, errors.ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction")
        )
    return sa.exc.OperationalError(
        "INSERT", {}, errors.DiskFull('could not extend file "base/16384/16402": wrote only 4096 of 8192 bytes')
    )


@pytest.mark.parametrize(("kind", "sqlstate"), [("hanya_baca", "25006"), ("penuh", "53100")])
def test_the_sqlstate_names_the_kind_before_the_message(kind, sqlstate):
    assert StoreUnavailable("postgresql", "something else entirely", sqlstate).kind == kind
    assert StoreUnavailable("postgresql", "something else entirely").kind == ""
    assert StoreUnavailable("postgresql", "disk is full", "42P01").kind == "penuh"  # other codes: the message


@pytest.mark.parametrize("kind", sorted(FAULTS))
def test_cli_import_that_postgres_refuses_says_the_same_as_on_sqlite(kind, sample_store, tmp_path, monkeypatch, capsys):
    upload = tmp_path / "rekap.xlsx"
    upload.write_bytes(koperasi_title_rows())
    before = stored_state(sample_store)
    real = Store._apply

    def apply_then_fail(self, conn, dataset, diff, rev):
        real(self, conn, dataset, diff, rev)
        raise psycopg_error(kind)

    monkeypatch.setattr(Store, "_apply", apply_then_fail)
    code = main(["--db", sample_store.url, "import", str(upload), "--confirm"])
    err = capsys.readouterr().err
    assert code == EXIT_STORE_UNAVAILABLE, err
    expected = {"hanya_baca": "hanya dapat dibaca", "penuh": "disk penuh"}[kind]
    assert err.count("\n") == 1 and expected in err and "administrator" in err and "Traceback" not in err
    monkeypatch.undo()
    assert stored_state(sample_store) == before


@pytest.fixture
def postgres_sample_url() -> Iterator[str]:
    """A fresh PostgreSQL database holding the sample (skipped without KKMP_TEST_POSTGRES_URL)."""
    from tests.conftest import fresh_postgres_database, postgres_base_url

    with fresh_postgres_database(postgres_base_url()) as url:
        store = Store(url)
        init_store(store, sample=True)
        store.dispose()
        yield url


@pytest.mark.parametrize("how", ["database", "session"])
def test_cli_import_on_a_read_only_postgres_database(how, postgres_sample_url, tmp_path, capsys):
    upload = tmp_path / "rekap.xlsx"
    upload.write_bytes(koperasi_title_rows())
    store = Store(postgres_sample_url)
    before = stored_state(store)
    store.dispose()
    url = sa.engine.make_url(postgres_sample_url)
    if how == "database":  # every new session of this database starts read-only
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'ALTER DATABASE "{url.database}" SET default_transaction_read_only = on')
        admin.dispose()
        target = postgres_sample_url
    else:  # the same for one session, through the URL's options
        target = url.update_query_dict({"options": "-c default_transaction_read_only=on"})
        target = target.render_as_string(hide_password=False)
    code = main(["--db", target, "import", str(upload), "--confirm"])
    err = capsys.readouterr().err
    assert code == EXIT_STORE_UNAVAILABLE, err
    assert err.count("\n") == 1 and "hanya dapat dibaca" in err and "administrator" in err
    assert "(postgresql)" in err and "Traceback" not in err
    store = Store(postgres_sample_url)
    assert stored_state(store) == before
    store.dispose()
