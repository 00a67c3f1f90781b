"""A revision's snapshot built from the previous one plus what it changed equals a full read (#10)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kkmp.frames import empty_frame
from kkmp.schema import DATASETS, get_dataset
from kkmp.snapshot_delta import apply_versions, sort_by_key
from kkmp.store import CommitInfo, Snapshot, Store, StoreError


@pytest.fixture
def store_url(db_url: str) -> str:
    """Every store test here runs on SQLite and on PostgreSQL."""
    return db_url


def _info(note: str = "uji") -> CommitInfo:
    return CommitInfo(pengguna="uji", catatan=note, posisi_per={"koperasi": dt.date(2025, 11, 1)}, sumber={})


def assert_snapshots_equal(got: Snapshot, want: Snapshot) -> None:
    """Same revision, metadata, and frame by frame the same columns, dtypes, rows and row order."""
    assert got.revision == want.revision
    assert dict(got.meta) == dict(want.meta)
    assert list(got.frames) == list(want.frames)
    for name in want.frames:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)


# ---- what a revision may do (each writes one revision) ----------------------------------------
def upsert_cell(store: Store) -> None:
    kop = store.read("koperasi").head(3).copy()
    kop["jumlah_anggota"] = kop["jumlah_anggota"].fillna(0) + 5
    kop.loc[kop.index[0], "jumlah_anggota"] = pd.NA  # a nullable int going missing
    kop.loc[kop.index[1], "tahap"] = pd.NA  # a text cell going missing
    store.commit({"koperasi": kop}, _info("anggota"))


def add_rows(store: Store) -> None:
    last = store.read("penyaluran")
    new = last.head(4).copy()
    new["bulan"] = pd.Timestamp("2030-01-01") + pd.to_timedelta(range(4), unit="D")
    new["jumlah"] = [1.5, 2.0, float("nan"), 4.0]
    store.commit({"penyaluran": new}, _info("penyaluran baru"))


def add_keys_out_of_order(store: Store) -> None:
    """Keys sorting before, between and after the stored ones; code-point order ("B" < "a" < "Ä")."""
    base = store.read("koperasi").head(1)
    rows = pd.concat([base] * 4, ignore_index=True)
    rows["id_koperasi"] = pd.array(["A-0001", "KKMP-6471011001a", "kkmp-kecil", "KKMP-Ärger"], dtype="str")
    store.commit({"koperasi": rows}, _info("kunci baru"))


def replace_with_fewer(store: Store) -> None:
    rat = store.read("rat")
    store.commit({"rat": rat.iloc[::3]}, _info("rat diganti"), replace=True)


def delete_all_builds(store: Store) -> None:
    store.commit({"pembangunan": empty_frame(get_dataset("pembangunan"))}, _info("hapus"), replace=True)


def add_dataset(store: Store) -> None:
    """Rows in a dataset that had none (boundaries)."""
    wilayah = store.read("wilayah").head(3)
    rows = pd.DataFrame(
        {
            "kode_kelurahan": wilayah["kode_kelurahan"],
            "nama_berkas": pd.array(["batas.geojson", None, "batas.geojson"], dtype="str"),
            "geometri": pd.array(['{"type": "Point", "coordinates": [0, 0]}'] * 3, dtype="str"),
        }
    )
    store.commit({"batas_wilayah": rows}, _info("batas"))


def rollback_to_sample(store: Store) -> None:
    store.rollback(2, "uji")


def rollback_to_region(store: Store) -> None:
    store.rollback(1, "uji")


def touch_nothing_new(store: Store) -> None:
    """A revision that names datasets but changes only one of them."""
    kop = store.read("koperasi")
    rat = store.read("rat").head(1).copy()
    rat["lapor_ods"] = ~rat["lapor_ods"].fillna(False)
    store.commit({"koperasi": kop, "rat": rat}, _info("sebagian"))


SEQUENCES: dict[str, list[Callable[[Store], None]]] = {
    "upsert": [upsert_cell],
    "add-rows": [add_rows, add_rows],
    "key-order": [add_keys_out_of_order, upsert_cell],
    "replace-delete": [replace_with_fewer, delete_all_builds],
    "add-dataset": [add_dataset],
    "rollback": [upsert_cell, add_rows, rollback_to_sample],
    "rollback-to-empty-then-back": [rollback_to_region, rollback_to_sample],
    "mixed": [add_keys_out_of_order, touch_nothing_new, replace_with_fewer, add_dataset, rollback_to_sample],
}


@pytest.mark.parametrize("steps", SEQUENCES.values(), ids=SEQUENCES.keys())
def test_delta_equals_full_read_after_each_revision(sample_store: Store, steps) -> None:
    snapshot = sample_store.snapshot()
    for step in steps:
        step(sample_store)
        revision = sample_store.latest_revision()
        delta = sample_store.snapshot_since(snapshot, revision)
        assert_snapshots_equal(delta, sample_store.snapshot(revision))
        snapshot = delta  # the next revision builds on the built one, as the server does


@pytest.mark.parametrize("steps", SEQUENCES.values(), ids=SEQUENCES.keys())
def test_delta_over_several_revisions_equals_full_read(sample_store: Store, steps) -> None:
    start = sample_store.snapshot()
    for step in steps:
        step(sample_store)
    assert_snapshots_equal(sample_store.snapshot_since(start), sample_store.snapshot())


def test_delta_to_an_earlier_revision_than_the_latest(sample_store: Store) -> None:
    start = sample_store.snapshot()
    upsert_cell(sample_store)
    add_rows(sample_store)
    assert_snapshots_equal(sample_store.snapshot_since(start, 3), sample_store.snapshot(3))


def test_datasets_a_revision_did_not_touch_are_shared(sample_store: Store) -> None:
    before = sample_store.snapshot()
    upsert_cell(sample_store)
    after = sample_store.snapshot_since(before)
    assert after["wilayah"] is before["wilayah"]
    assert after["penyaluran"] is before["penyaluran"]
    assert after["koperasi"] is not before["koperasi"]


def test_a_dataset_missing_from_the_base_is_read_in_full(sample_store: Store) -> None:
    before = sample_store.snapshot()
    add_dataset(sample_store)
    partial = Snapshot(before.revision, {n: f for n, f in before.frames.items() if n != "koperasi"}, before.meta)
    assert_snapshots_equal(sample_store.snapshot_since(partial), sample_store.snapshot())


def test_a_base_newer_than_the_revision_is_refused(sample_store: Store) -> None:
    upsert_cell(sample_store)
    with pytest.raises(StoreError):
        sample_store.snapshot_since(sample_store.snapshot(3), 2)


def test_full_read_is_in_key_order(sample_store: Store) -> None:
    add_keys_out_of_order(sample_store)
    snapshot = sample_store.snapshot()
    for name, frame in snapshot.frames.items():
        pd.testing.assert_frame_equal(sort_by_key(DATASETS[name], frame), frame, obj=name)
    ids = snapshot["koperasi"]["id_koperasi"].tolist()
    assert ids.index("A-0001") == 0
    assert ids == sorted(ids)  # Python compares text by code point too: "6" < "Ä", "K" < "k"
    assert ids[-1] == "kkmp-kecil" and ids.index("KKMP-Ärger") > ids.index("KKMP-6471011001a")


# ---- the pure part ----------------------------------------------------------------------------
RAT = get_dataset("rat")


def _rat(rows: list[tuple[str, int, bool | None]]) -> pd.DataFrame:
    frame = empty_frame(RAT)
    data = {
        "id_koperasi": pd.array([r[0] for r in rows], dtype="str"),
        "tahun_buku": pd.array([r[1] for r in rows], dtype="Int64"),
        "tanggal_rat": pd.Series([pd.NaT] * len(rows), dtype="datetime64[ns]"),
        "jadwal_rat": pd.Series([pd.NaT] * len(rows), dtype="datetime64[ns]"),
        "lapor_ods": pd.array([r[2] for r in rows], dtype="boolean"),
    }
    return pd.DataFrame(data)[list(frame.columns)]


@pytest.mark.parametrize(
    ("old", "retired", "created", "want"),
    [
        pytest.param([("a", 1, True)], [], [("b", 1, None)], [("a", 1, True), ("b", 1, None)], id="append"),
        pytest.param([("a", 1, True), ("a", 2, False)], [("a", 1, True)], [], [("a", 2, False)], id="delete"),
        pytest.param([("a", 1, True), ("a", 2, False)], [("a", 2, False)], [("a", 2, None)], [("a", 1, True), ("a", 2, None)], id="change"),
        pytest.param([("b", 2, True)], [], [("B", 9, None), ("a", 1, None)], [("B", 9, None), ("a", 1, None), ("b", 2, True)], id="code-point-order"),
        pytest.param([], [], [("b", 2, True), ("a", 3, False)], [("a", 3, False), ("b", 2, True)], id="from-empty"),
        pytest.param([("a", 1, True)], [("a", 1, True)], [], [], id="to-empty"),
        pytest.param([("a", 1, True), ("b", 1, True)], [("a", 2, True)], [], [("a", 1, True), ("b", 1, True)], id="same-first-key-other-second"),
    ],
)  # fmt: skip
def test_apply_versions(old, retired, created, want) -> None:
    got = apply_versions(RAT, _rat(old), _rat(retired), _rat(created))
    pd.testing.assert_frame_equal(got, _rat(want))


def test_apply_versions_keeps_the_frames_dtypes() -> None:
    old = _rat([("a", 1, True)])
    created = _rat([("b", 2, None)]).astype({"tahun_buku": "int64", "lapor_ods": "object"})
    assert apply_versions(RAT, old, _rat([]), created).dtypes.equals(old.dtypes)


# ---- property: any sequence of upserts and replaces ---------------------------------------------
_row = st.tuples(
    st.sampled_from(["K1", "K2", "k1", "Ä", "B"]), st.integers(2023, 2026), st.sampled_from([True, False, None])
)
_write = st.tuples(st.lists(_row, max_size=8, unique_by=lambda r: (r[0], r[1])), st.booleans())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(writes=st.lists(_write, min_size=1, max_size=5))
def test_property_delta_equals_full_read_on_sqlite(writes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'kkmp.sqlite'}")
        store.create()
        try:
            snapshot = store.snapshot()
            for rows, replace in writes:
                store.commit({"rat": _rat(rows)}, CommitInfo(pengguna="uji"), replace=replace)
                delta = store.snapshot_since(snapshot)
                assert_snapshots_equal(delta, store.snapshot())
                snapshot = delta
        finally:
            store.dispose()
