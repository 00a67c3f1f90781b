"""The revisioned store: write, read back, read an earlier state, upsert, replace, rollback."""

import pandas as pd
import pytest

from kkmp.schema import get_dataset
from kkmp.store import CommitInfo, Store, StoreError


@pytest.fixture
def store_url(db_url: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL."""
    return db_url


def _koperasi(sample_store: Store) -> pd.DataFrame:
    return sample_store.read("koperasi")


def test_init_writes_region_then_sample(sample_store):
    revs = sample_store.revisions()
    assert revs["id"].tolist() == [2, 1]
    assert revs.iloc[-1]["datasets"][0]["dataset"] == "wilayah"
    assert len(sample_store.read("wilayah")) == 34


def test_read_back_an_earlier_revision(sample_store):
    assert sample_store.read("koperasi", revision=1).empty
    assert len(sample_store.read("koperasi", revision=2)) == 120


def test_upsert_changes_one_cell_and_keeps_history(sample_store):
    kop = _koperasi(sample_store)
    row = kop[kop["id_koperasi"] == "KKMP-6471011001"].copy()
    row["jumlah_anggota"] = 99
    result = sample_store.commit({"koperasi": row}, CommitInfo(pengguna="uji", catatan="anggota"))
    assert result.revision == 3
    diff = result.diffs["koperasi"]
    assert (len(diff.added), len(diff.changed), diff.unchanged) == (0, 1, 0)
    assert diff.cells[["kolom", "baru"]].values.tolist() == [["jumlah_anggota", 99]]
    now = sample_store.read("koperasi").set_index("id_koperasi")
    before = sample_store.read("koperasi", revision=2).set_index("id_koperasi")
    assert now.at["KKMP-6471011001", "jumlah_anggota"] == 99
    assert before.at["KKMP-6471011001", "jumlah_anggota"] != 99
    assert len(now) == 120


def test_same_upload_twice_changes_nothing(sample_store):
    kop = _koperasi(sample_store)
    result = sample_store.commit({"koperasi": kop}, CommitInfo(pengguna="uji"))
    assert result.revision is None
    assert result.diffs["koperasi"].unchanged == 120
    assert sample_store.latest_revision() == 2


def test_partial_columns_keep_stored_values(sample_store):
    kop = _koperasi(sample_store)[["id_koperasi", "jumlah_anggota"]].head(2).copy()
    kop["jumlah_anggota"] = [1, 2]
    sample_store.commit({"koperasi": kop}, CommitInfo(pengguna="uji"))
    now = sample_store.read("koperasi").set_index("id_koperasi")
    assert now.loc[kop["id_koperasi"], "nama_koperasi"].notna().all()


def test_replace_mode_removes_rows_not_uploaded(sample_store):
    kop = _koperasi(sample_store).head(10)
    result = sample_store.commit({"koperasi": kop}, CommitInfo(pengguna="uji"), replace=True)
    assert len(result.diffs["koperasi"].removed) == 110
    assert len(sample_store.read("koperasi")) == 10
    assert len(sample_store.read("koperasi", revision=2)) == 120


def test_rollback_restores_an_earlier_state_as_a_new_revision(sample_store):
    kop = _koperasi(sample_store).head(10)
    sample_store.commit({"koperasi": kop}, CommitInfo(pengguna="uji"), replace=True)
    result = sample_store.rollback(2, pengguna="uji")
    assert result.revision == 4
    pd.testing.assert_frame_equal(
        sample_store.read("koperasi").sort_values("id_koperasi").reset_index(drop=True),
        sample_store.read("koperasi", revision=2).sort_values("id_koperasi").reset_index(drop=True),
    )
    assert sample_store.revisions().iloc[0]["rollback_ke"] == 2


def test_meta_keeps_posisi_per_and_source_per_dataset(sample_store):
    meta = sample_store.meta()
    assert meta["koperasi"].posisi_per.isoformat() == "2025-10-21"
    assert "Kaltimkita" in meta["koperasi"].sumber
    assert meta["koperasi"].contoh and not meta["wilayah"].contoh


def test_unknown_revision_is_a_store_error(sample_store):
    with pytest.raises(StoreError):
        sample_store.read("koperasi", revision=99)


def test_types_survive_the_round_trip(sample_store):
    progres = sample_store.read("progres")
    assert str(progres["tanggal_laporan"].dtype).startswith("datetime64")
    assert progres["realisasi_persen"].dtype == "float64"
    kop = _koperasi(sample_store)
    assert kop["kkmp"].dtype == "boolean"
    assert kop["jumlah_anggota"].dtype == "Int64"


def test_empty_store_has_revision_zero(empty_store):
    assert empty_store.latest_revision() == 0
    assert empty_store.snapshot().frames["koperasi"].empty


def test_revision_versions_read_only_what_a_revision_touched(sample_store):
    kop = sample_store.read("koperasi")
    row = kop[kop["id_koperasi"] == "KKMP-6471011001"].copy()
    row["jumlah_anggota"] = 77
    rev = sample_store.commit({"koperasi": row}, CommitInfo(pengguna="uji")).revision
    retired, created = sample_store.revision_versions("koperasi", rev)
    assert retired["id_koperasi"].tolist() == created["id_koperasi"].tolist() == ["KKMP-6471011001"]
    assert created["jumlah_anggota"].tolist() == [77]
    retired, created = sample_store.revision_versions("koperasi", 2)
    assert retired.empty and len(created) == 120


def test_missing_values_of_every_type_survive_the_round_trip(sample_store):
    ds = get_dataset("koperasi")
    assert {"str", "int", "float", "bool", "date"} <= {c.type for c in ds.columns}
    changed = _koperasi(sample_store)
    for c in ds.columns:
        if c.name not in ds.key:
            changed.loc[changed.index[::2], c.name] = None  # every other row missing in each column
    sample_store.commit({"koperasi": changed}, CommitInfo("uji"))
    pd.testing.assert_frame_equal(sample_store.read("koperasi"), changed)


def test_read_where_in_returns_the_current_rows_holding_a_value(sample_store):
    kop = _koperasi(sample_store)
    row = kop[kop["id_koperasi"] == "KKMP-6471011001"].copy()
    row["status_lahan"] = "tidak_ada_lahan"
    sample_store.commit({"koperasi": row}, CommitInfo(pengguna="uji"))
    found = sample_store.read_where_in("koperasi", "status_lahan", ["tidak_ada_lahan"])
    now = _koperasi(sample_store)
    assert sorted(found["id_koperasi"]) == sorted(now.loc[now["status_lahan"] == "tidak_ada_lahan", "id_koperasi"])
    assert "KKMP-6471011001" in set(found["id_koperasi"])
    assert sample_store.read_where_in("koperasi", "status_lahan", ["tidak_ada_kode_ini"]).empty
