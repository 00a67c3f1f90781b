"""The land vocabulary's migration into the national stages (#21)."""

import pandas as pd

from kkmp.lahan import migrate_koperasi, rows_to_migrate
from kkmp.sample import migrate_land_vocabulary
from kkmp.schema import STATUS_LAHAN
from kkmp.store import CommitInfo


def _old(*codes):
    return pd.DataFrame(
        {"id_koperasi": [f"K{i}" for i in range(len(codes))], "status_lahan": pd.Series(codes, dtype="str")}
    )


def test_old_codes_become_national_stages():
    out = migrate_koperasi(_old("belum_ada", "diusulkan", "terverifikasi", None))
    assert out["status_lahan"].tolist()[:3] == ["tidak_ada_lahan", "sedang_diverifikasi", "terverifikasi"]
    assert out["status_lahan"].isna().tolist()[3]


def test_regional_asset_becomes_a_flag_and_a_stage():
    out = migrate_koperasi(_old("aset_daerah", "belum_ada"))
    assert out["status_lahan"][0] == "dipertimbangkan" and bool(out["lahan_aset_daerah"][0])
    assert out["lahan_aset_daerah"].isna()[1]


def test_sample_is_in_the_national_vocabulary(sample_snapshot):
    kop = sample_snapshot.frames["koperasi"]
    assert set(kop["status_lahan"].dropna()) <= set(STATUS_LAHAN)
    assert rows_to_migrate(sample_snapshot.frames).empty


def test_a_store_with_old_codes_is_migrated_once_as_one_revision(sample_store):
    kop = sample_store.snapshot().frames["koperasi"]
    legacy = kop[kop["status_lahan"] == "dipertimbangkan"].assign(status_lahan="aset_daerah")
    sample_store.commit({"koperasi": legacy}, CommitInfo("tes", jenis="impor"))
    before = sample_store.latest_revision()
    assert migrate_land_vocabulary(sample_store) == before + 1
    after = sample_store.snapshot().frames["koperasi"]
    assert set(after["status_lahan"].dropna()) <= set(STATUS_LAHAN)
    assert int(after["lahan_aset_daerah"].fillna(False).sum()) == 5
    assert migrate_land_vocabulary(sample_store) is None
