"""ui/data opens a new revision from the previous one (memory or its Arrow copy) instead of a full read (#10)."""

from __future__ import annotations

import pandas as pd
import pytest

from kkmp import arrow_copy
from kkmp.sample import init_store
from kkmp.store import CommitInfo, Store
from tests.conftest import clear_streamlit_caches
from ui import data


@pytest.fixture
def full_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The revisions read in full from the database (`Store.snapshot` calls) during the test."""
    calls: list[int] = []
    original = Store.snapshot

    def counting(self: Store, revision: int | None = None):
        calls.append(revision)
        return original(self, revision)

    monkeypatch.setattr(Store, "snapshot", counting)
    return calls


@pytest.fixture
def fresh_caches(sample_store: Store):
    """No snapshot in memory nor on disk before or after the test (a fresh server)."""
    clear_streamlit_caches()
    arrow_copy.clear_disk_cache(sample_store.url)
    yield
    clear_streamlit_caches()


def _upsert(store: Store) -> int:
    kop = store.read("koperasi").head(2).copy()
    kop["jumlah_anggota"] = pd.array([123, None], dtype="Int64")
    return store.commit({"koperasi": kop}, CommitInfo(pengguna="uji")).revision


def _assert_equals_full_read(store: Store, snapshot, revision: int, full_reads: list[int]) -> None:
    full = store.snapshot(revision)
    full_reads.pop()  # this check's own read does not count
    assert snapshot.revision == revision and dict(snapshot.meta) == dict(full.meta)
    for name in full.frames:
        pd.testing.assert_frame_equal(snapshot[name], full[name], obj=name)


def test_a_new_revision_is_built_from_the_one_in_memory(sample_store, fresh_caches, full_reads) -> None:
    url = sample_store.url
    before = data.load_snapshot(url, sample_store.identity(), 2)
    assert full_reads == [2]
    rev = _upsert(sample_store)
    after = data.load_snapshot(url, sample_store.identity(), rev)
    assert full_reads == [2], "the new revision was read in full"
    assert after["wilayah"] is before["wilayah"]  # untouched frames are shared
    _assert_equals_full_read(sample_store, after, rev, full_reads)
    # The Arrow copy of the new revision is written for the next restart; unchanged files are linked.
    folder = arrow_copy.disk_cache_dir(url) / arrow_copy.revision_stamp(sample_store.identity(), rev)
    old = arrow_copy.disk_cache_dir(url) / arrow_copy.revision_stamp(sample_store.identity(), 2)
    assert (folder / "koperasi.arrow").exists()
    assert (folder / "wilayah.arrow").stat().st_ino == (old / "wilayah.arrow").stat().st_ino
    pd.testing.assert_frame_equal(pd.read_feather(folder / "koperasi.arrow"), after["koperasi"])


def test_after_a_restart_a_new_revision_is_built_from_the_arrow_copy(sample_store, fresh_caches, full_reads) -> None:
    url = sample_store.url
    data.load_snapshot(url, sample_store.identity(), 2)
    clear_streamlit_caches()  # a restart: memory gone, the Arrow copy of revision 2 stays
    _upsert(sample_store)
    sample_store.rollback(1, "uji")  # two revisions since the copy, the second a rollback
    rev = sample_store.latest_revision()
    snapshot = data.load_snapshot(url, sample_store.identity(), rev)
    assert full_reads == [2]
    _assert_equals_full_read(sample_store, snapshot, rev, full_reads)


def test_without_an_earlier_copy_the_store_is_read_in_full(sample_store, fresh_caches, full_reads) -> None:
    rev = _upsert(sample_store)
    snapshot = data.load_snapshot(sample_store.url, sample_store.identity(), rev)
    assert full_reads == [rev]
    _assert_equals_full_read(sample_store, snapshot, rev, full_reads)


def test_a_rebuilt_store_is_not_built_from_the_old_history(sample_store, fresh_caches, full_reads) -> None:
    url = sample_store.url
    held = data.load_snapshot(url, sample_store.identity(), 2)  # noqa: F841 — kept alive, as the cache would
    init_store(sample_store, force=True)  # same revision numbers, other data and timestamps
    sample_store.commit({"rat": sample_store.read("rat").head(1)}, CommitInfo(pengguna="uji"), replace=True)
    snapshot = data.load_snapshot(url, sample_store.identity(), 3)
    # The one full read is the old store's 2; `init` writes the new store's Arrow copy from what it
    # loaded (no read back), and 3 is built from that copy, not from the old store's history.
    assert full_reads == [2]
    _assert_equals_full_read(sample_store, snapshot, 3, full_reads)
