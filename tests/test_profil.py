"""The kelurahan profile behind the map's drill-down."""

import datetime as dt

import pytest

from kkmp.profil import kelurahan_profile, stage_timeline
from kkmp.schema import TAHAP


def test_manggar_profile_has_build_timeline_and_rat(sample_snapshot, settings):
    profile = kelurahan_profile(sample_snapshot, "64.71.01.1001", settings)
    assert profile.kelurahan == "Manggar" and profile.kecamatan == "Balikpapan Timur"
    assert profile.koperasi["nama_koperasi"] == "Koperasi Kelurahan Merah Putih Manggar"
    current = [s.tahap for s in profile.timeline if s.current]
    assert current == ["pembangunan_fisik"]
    steps = {s.tahap: s for s in profile.timeline}
    assert steps["badan_hukum"].reached and steps["badan_hukum"].tanggal == dt.date(2025, 6, 11)
    assert not steps["usaha_berjalan"].reached  # the flag says it does not trade yet
    assert steps["pembangunan_fisik"].tanggal == dt.date(2025, 10, 17)
    assert list(profile.builds["id_pembangunan"]) == ["PB-2025-03"]
    assert profile.builds.iloc[0]["pelaksana"] == "PT Agrinas Pangan Nusantara"
    assert not profile.progres.empty and list(profile.rat["tahun_buku"]) == [2025]


def test_trading_cooperative_lists_units_and_partners(sample_snapshot):
    profile = kelurahan_profile(sample_snapshot, "64.71.01.1002")
    assert profile.unit_usaha == ["sembako", "lpg"]
    assert profile.mitra == ["PT Bulog", "PT Pertamina Patra Niaga"]
    assert {s.tahap: s for s in profile.timeline}["usaha_berjalan"].tanggal is not None
    assert profile.builds.empty


def test_kelurahan_without_kkmp(sample_snapshot):
    kop = sample_snapshot["koperasi"]
    snap = sample_snapshot.with_frames({"koperasi": kop[kop["kode_kelurahan"] != "64.71.01.1001"]})
    profile = kelurahan_profile(snap, "64.71.01.1001")
    assert profile is not None and not profile.has_kkmp


def test_unknown_code_has_no_profile(sample_snapshot):
    assert kelurahan_profile(sample_snapshot, "99.99.99.9999") is None


@pytest.mark.parametrize("tahap", [None, "bukan_tahap"])
def test_timeline_without_a_known_stage_reaches_nothing(tahap):
    steps = stage_timeline(tahap, None, {})
    assert [s.tahap for s in steps] == list(TAHAP)
    assert not any(s.reached or s.current for s in steps)
