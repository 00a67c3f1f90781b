"""kkmp.arrow_copy: the Arrow copy of a revision is written ahead and opens the same frames (#19)."""

from __future__ import annotations

import pandas as pd
import pytest

from kkmp import arrow_copy
from kkmp.demo import write_demo_data
from kkmp.sample import init_store
from kkmp.store import Store
from tests.conftest import BACKENDS


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


@pytest.mark.parametrize("backend", BACKENDS)
def test_init_writes_the_copy_from_memory_equal_to_a_full_read(tmp_path, monkeypatch, make_store_url, backend) -> None:
    # Rows written in reverse key order, so the copy is only right if init sorts them as the store reads them.
    folder = tmp_path / "demo"
    write_demo_data(folder, "city")
    for path in folder.glob("*.csv"):
        frame = pd.read_csv(path, dtype="str", keep_default_na=False)
        frame.iloc[::-1].to_csv(path, index=False)
    monkeypatch.setenv("KKMP_CACHE_DIR", str(tmp_path / "cache"))
    store = Store(make_store_url(backend))
    with monkeypatch.context() as m:  # init must not read the store back to write the copy
        m.setattr(Store, "snapshot", lambda self, revision=None: (_ for _ in ()).throw(AssertionError("read back")))
        rev = init_store(store, wilayah_file=folder / "wilayah.csv", sample_dir=folder)
    full = store.snapshot(rev)
    copy = arrow_copy.copy_folder(store, rev)
    assert len(full["penyaluran"]) > 1000
    for name in full.frames:
        pd.testing.assert_frame_equal(pd.read_feather(copy / f"{name}.arrow"), full[name], obj=name)
