"""Concurrent writes: imports at the same moment land as separate revisions, one after the other, none lost.

Runs on SQLite and PostgreSQL, with threads in one process and with separate processes.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from kkmp.frames import DTYPES
from kkmp.store import CommitInfo, Store

WORKER = Path(__file__).with_name("store_worker.py")
KOP = "KKMP-6471011001"
COLUMN_DTYPES = {"jumlah_anggota": "Int64", "modal_sendiri": "float64"}


@pytest.fixture
def store_url(db_url: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL."""
    return db_url


def _cell(id_koperasi: str, column: str, value: int) -> dict[str, pd.DataFrame]:
    row = pd.DataFrame({"id_koperasi": pd.Series([id_koperasi], dtype=DTYPES["str"])})
    row[column] = pd.Series([value], dtype=COLUMN_DTYPES[column])
    return {"koperasi": row}


def _run_together(store: Store, jobs: list[tuple[str, dict[str, pd.DataFrame]]]) -> list[int | None]:
    """Commit every job from its own thread, all released at the same moment; the revisions written."""
    barrier = threading.Barrier(len(jobs))
    results: list[int | None] = [None] * len(jobs)
    errors: list[BaseException] = []

    def work(i: int, user: str, changes: dict[str, pd.DataFrame]) -> None:
        try:
            barrier.wait()
            results[i] = store.commit(changes, CommitInfo(pengguna=user)).revision
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i, u, c)) for i, (u, c) in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


def test_two_threads_editing_one_row_both_land(sample_store):
    revs = _run_together(
        sample_store,
        [("a", _cell(KOP, "jumlah_anggota", 111)), ("b", _cell(KOP, "modal_sendiri", 222))],
    )
    assert sorted(revs) == [3, 4]
    row = sample_store.read("koperasi").set_index("id_koperasi").loc[KOP]
    assert (row["jumlah_anggota"], row["modal_sendiri"]) == (111, 222)
    history = sample_store.revisions().set_index("id")
    assert {history.at[3, "pengguna"], history.at[4, "pengguna"]} == {"a", "b"}
    for rev in (3, 4):
        assert history.at[rev, "datasets"][0]["diubah"] == 1


def test_eight_threads_each_land_as_their_own_revision(sample_store):
    ids = sample_store.read("koperasi")["id_koperasi"].head(8).tolist()
    revs = _run_together(sample_store, [(f"u{i}", _cell(k, "jumlah_anggota", 1000 + i)) for i, k in enumerate(ids)])
    assert sorted(revs) == list(range(3, 11))
    now = sample_store.read("koperasi").set_index("id_koperasi")
    assert [now.at[k, "jumlah_anggota"] for k in ids] == [1000 + i for i in range(8)]
    # each revision holds exactly its own change, applied on top of the one before
    for rev in range(3, 11):
        before = sample_store.read("koperasi", revision=rev - 1).set_index("id_koperasi")["jumlah_anggota"].sort_index()
        after = sample_store.read("koperasi", revision=rev).set_index("id_koperasi")["jumlah_anggota"].sort_index()
        assert int((before.fillna(-1) != after.fillna(-1)).sum()) == 1


def test_two_processes_editing_one_row_both_land(sample_store, tmp_path):
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "cell", sample_store.url, str(go), KOP, column, str(value)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for column, value in (("jumlah_anggota", 333), ("modal_sendiri", 444))
    ]
    go.touch()
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outputs]
    revs = sorted(int(out.split()[-1]) for out, _ in outputs)
    assert revs == [3, 4]
    row = sample_store.read("koperasi").set_index("id_koperasi").loc[KOP]
    assert (row["jumlah_anggota"], row["modal_sendiri"]) == (333, 444)
