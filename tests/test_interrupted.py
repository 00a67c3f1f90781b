"""Interrupted writes: a writer killed (SIGKILL) mid-commit leaves the store at the previous or the next
revision, never in between. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from kkmp.diff import ROW_ID
from kkmp.store import REV_FROM, REV_TO, CommitInfo, Store

WORKER = Path(__file__).with_name("store_worker.py")
ROWS = 3000
KILLS = 4


@pytest.fixture
def store_url(db_url: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL."""
    return db_url


class Worker:
    """A store_worker.py process whose output lines arrive on a queue."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def wait_for(self, prefix: str, timeout: float = 120) -> str:
        while True:
            line = self.lines.get(timeout=timeout)
            self.seen.append(line)
            if line.startswith(prefix):
                return line

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=60)
        self.proc.stderr.close()
        while not self.lines.empty():
            self.seen.append(self.lines.get())


def _state(store: Store) -> tuple[int, dict[str, pd.DataFrame], pd.DataFrame]:
    snap = store.snapshot()
    frames = {n: f.sort_values(list(f.columns)).reset_index(drop=True) for n, f in snap.frames.items()}
    revs = store.revisions().drop(columns=["datasets"]).reset_index(drop=True)
    return snap.revision, frames, revs


def _assert_same_state(a, b) -> None:
    assert a[0] == b[0]
    for name in a[1]:
        pd.testing.assert_frame_equal(a[1][name], b[1][name])
    pd.testing.assert_frame_equal(a[2], b[2])


def _assert_whole_revisions(store: Store) -> int:
    """Every row and revision record belongs to a revision that is complete; returns the latest."""
    latest = store.latest_revision()
    with store.engine.connect() as conn:
        for table in store.tables.values():
            bad = conn.execute(
                sa.select(sa.func.count()).where(sa.or_(table.c[REV_FROM] > latest, table.c[REV_TO] > latest))
            ).scalar_one()
            assert bad == 0, f"{table.name}: rows of an unfinished revision"
        described = {r for (r,) in conn.execute(sa.select(store.revisi_dataset.c.revisi_id).distinct()).all()}
        assert described == set(range(1, latest + 1)), "a revision without its dataset records"
        # a row is current in at most one version
        pen = store.tables["penyaluran"]
        dup = conn.execute(
            sa.select(sa.func.count()).select_from(
                sa.select(pen.c.id_koperasi, pen.c.bulan, pen.c.komoditas)
                .where(pen.c[REV_TO].is_(None))
                .group_by(pen.c.id_koperasi, pen.c.bulan, pen.c.komoditas)
                .having(sa.func.count(pen.c[ROW_ID]) > 1)
                .subquery()
            )
        ).scalar_one()
        assert dup == 0
    # each churn revision holds exactly its own whole frame
    for rev in range(3, latest + 1):
        pen = store.read("penyaluran", revision=rev)
        assert len(pen) == ROWS and set(pen["jumlah"]) == {float(rev)}, f"revision {rev} incomplete"
    return latest


def test_writer_killed_inside_the_transaction_leaves_the_previous_revision(sample_store):
    before = _state(sample_store)
    worker = Worker("hang", sample_store.url, str(ROWS))
    assert worker.wait_for("inside") == "inside 3"  # rows and revision 3 written, not committed
    worker.kill()
    _assert_same_state(_state(sample_store), before)
    assert _assert_whole_revisions(sample_store) == 2
    # the lock died with the writer: the next import goes through as revision 3
    row = sample_store.read("koperasi").head(1)[["id_koperasi"]].assign(jumlah_anggota=pd.array([7], dtype="Int64"))
    assert sample_store.commit({"koperasi": row}, CommitInfo(pengguna="uji")).revision == 3


def test_writer_killed_at_random_moments_never_leaves_a_partial_revision(sample_store, request):
    rng = random.Random(20251121)
    mid_write = 0
    for _ in range(KILLS):
        before = _state(sample_store)
        worker = Worker("churn", sample_store.url, str(ROWS))
        worker.wait_for("begin")
        threading.Event().wait(rng.uniform(0.0, 1.5))  # let it write for a while, then kill it
        worker.kill()
        last = worker.seen[-1] if worker.seen else ""
        mid_write += last == "begin"
        latest = _assert_whole_revisions(sample_store)
        acknowledged = [int(line.split()[1]) for line in worker.seen if line.startswith("rev ")]
        assert latest >= max([before[0], *acknowledged])  # no commit that was reported done is lost
        assert latest <= before[0] + len(acknowledged) + 1
        if latest == before[0]:
            _assert_same_state(_state(sample_store), before)
    print(f"\n[{request.node.name}] kills: {KILLS}, during a commit: {mid_write}, data lost: none")
