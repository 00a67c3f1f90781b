"""A database that cannot be opened (issue #14) is one named error, StoreUnavailable, in the store,
the command line and the app: one plain line or message with the next step, never a traceback."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from kkmp.cli import EXIT_STORE_UNAVAILABLE, main
from kkmp.store import Store, StoreUnavailable
from tests.conftest import ROOT, clear_streamlit_caches


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


def test_ringkasan_with_a_broken_database_says_what_to_do(garbage_url, monkeypatch):
    monkeypatch.setenv("KKMP_DATABASE_URL", garbage_url)
    monkeypatch.chdir(ROOT)
    clear_streamlit_caches()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        assert not at.exception, at.exception
        errors = [e.value for e in at.error]
        assert any(e.startswith("Basis data tidak dapat dibuka saat ini.") for e in errors), errors
        assert not any(garbage_url in e for e in errors)
    finally:
        clear_streamlit_caches()


def test_the_message_follows_the_language(garbage_url, monkeypatch):
    monkeypatch.setenv("KKMP_DATABASE_URL", garbage_url)
    monkeypatch.chdir(ROOT)
    clear_streamlit_caches()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = "en"
        at.run()
        assert not at.exception, at.exception
        assert any(e.value.startswith("The database cannot be opened right now.") for e in at.error)
    finally:
        clear_streamlit_caches()
