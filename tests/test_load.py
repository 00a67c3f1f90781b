"""Bounded load test: 20 dashboard sessions read while an import commits, on each database; no errors."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("load_test", ROOT / "scripts" / "load_test.py")
load_test = importlib.util.module_from_spec(_spec)
sys.modules["load_test"] = load_test  # dataclasses look their module up by name
_spec.loader.exec_module(load_test)

SESSIONS = 20
ROUNDS = 2


@pytest.fixture
def store_url(db_url: str) -> str:
    """Runs on SQLite (one app server) and PostgreSQL (two app servers sharing it)."""
    return db_url


def test_twenty_sessions_read_while_an_import_commits(store_url, tmp_path, capsys):
    servers = 2 if store_url.startswith("postgresql") else 1
    report = load_test.run_load_test(
        store_url, sessions=SESSIONS, rounds=ROUNDS, servers=servers, commit=True, log_dir=tmp_path
    )
    with capsys.disabled():
        print(f"\nload ({store_url.split(':')[0]}, {servers} server(s)): {report.as_dict()}")
    assert report.errors == []
    assert report.runs == SESSIONS * ROUNDS
    assert report.revision_after == report.revision_before + 1  # the import landed, as one revision
    assert report.servers_showing_new_revision == servers  # and every server shows it afterwards
