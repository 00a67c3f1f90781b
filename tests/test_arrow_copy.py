"""kkmp.arrow_copy: the Arrow copy of a revision is written ahead and opens the same frames (#19)."""

from __future__ import annotations

import pandas as pd

from kkmp import arrow_copy
from kkmp.sample import init_store
from kkmp.store import Store


def test_init_writes_the_arrow_copy_of_the_latest_revision(tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'kkmp.db'}")
    rev = init_store(store)
    assert (arrow_copy.copy_folder(store, rev) / "koperasi.arrow").exists()


def test_open_revision_from_the_copy_equals_a_full_read(tmp_path, monkeypatch) -> None:
    store = Store(f"sqlite:///{tmp_path / 'kkmp.db'}")
    rev = init_store(store)
    full = store.snapshot(rev)
    monkeypatch.setattr(Store, "snapshot", lambda self, revision=None: (_ for _ in ()).throw(AssertionError))
    opened = arrow_copy.open_revision(store, rev)
    assert dict(opened.meta) == dict(full.meta)
    for name in full.frames:
        pd.testing.assert_frame_equal(opened[name], full[name], obj=name)


def test_write_arrow_copy_keeps_an_existing_copy(tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'kkmp.db'}")
    rev = init_store(store)
    folder = arrow_copy.copy_folder(store, rev)
    before = (folder / "wilayah.arrow").stat().st_ino
    assert arrow_copy.write_arrow_copy(store) == folder
    assert (folder / "wilayah.arrow").stat().st_ino == before
