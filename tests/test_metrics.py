"""Figures on the sample: the seed article's numbers, by the same functions the pages use."""

import datetime as dt

import pandas as pd
import pytest

from kkmp.metrics import alerts, as_of, headline_summary, kkmp_counts, restrict_to_kelurahan, stages_by_kecamatan


@pytest.fixture(scope="module")
def summary(sample_snapshot):
    from kkmp.settings import Settings

    return headline_summary(sample_snapshot, Settings())


def test_seed_counts(summary):
    assert summary["sample"] is True
    assert summary["kkmp"]["total"] == 34
    assert summary["kkmp"]["fisik"] == {"usulan": 31, "pembangunan": 3, "selesai": 0}
    assert summary["kkmp"]["usaha_berjalan"] == 7
    assert summary["kkmp"]["posisi_per"] == "2025-10-21"
    assert summary["koperasi_aktif"] == 109


def test_rat_about_seventy_percent_of_109(summary):
    rat = summary["rat"]
    assert rat["tahun_buku"] == 2024
    assert rat["dihitung"] == 109
    assert 65 <= rat["persen"] <= 72
    assert rat["persen"] == round(100 * rat["sudah"] / 109, 1)
    assert rat["wajib"] < rat["dihitung"]  # the 34 KKMP founded in 2025 are not required


def test_three_builds_at_the_seed_sites(summary):
    assert sorted(b["kelurahan"] for b in summary["pembangunan"]) == ["Graha Indah", "Manggar", "Sepinggan Baru"]
    assert {b["mulai"] for b in summary["pembangunan"]} == {"2025-10-17"}
    assert {b["target_selesai"] for b in summary["pembangunan"]} == {"2026-01-17"}
    assert [b["status"] for b in summary["pembangunan"]] == ["kritis", "terlambat", "normal"]


def test_summary_as_of_a_date_uses_reports_until_then(sample_snapshot, settings):
    early = headline_summary(sample_snapshot, settings, dt.date(2025, 11, 1))
    assert all(b["tanggal_laporan"] <= "2025-11-01" for b in early["pembangunan"])
    assert early["as_of"] == "2025-11-01"


def test_rat_as_of_counts_only_meetings_held_by_then(sample_snapshot, settings):
    early = headline_summary(sample_snapshot, settings, dt.date(2025, 2, 1))
    later = headline_summary(sample_snapshot, settings, dt.date(2025, 10, 21))
    assert early["rat"]["tahun_buku"] == later["rat"]["tahun_buku"] == 2024
    assert early["rat"]["sudah"] < later["rat"]["sudah"]


@pytest.mark.parametrize(
    ("kecamatan", "total"), [("Balikpapan Timur", 4), ("Balikpapan Barat", 6), ("Balikpapan Selatan", 7)]
)
def test_filter_by_kecamatan(sample_snapshot, kecamatan, total):
    w = sample_snapshot["wilayah"]
    codes = w[w["kecamatan"] == kecamatan]["kode_kelurahan"]
    assert kkmp_counts(restrict_to_kelurahan(sample_snapshot, codes))["total"] == total


def test_stages_by_kecamatan_cover_every_kecamatan_and_status(sample_snapshot):
    stages = stages_by_kecamatan(sample_snapshot)
    assert len(stages) == sample_snapshot["wilayah"]["kecamatan"].nunique() * 3
    assert stages["jumlah"].sum() == 34


def test_alerts_list_kritis_before_terlambat(sample_snapshot, settings):
    kinds = alerts(sample_snapshot, settings)["jenis"].tolist()
    assert kinds[:2] == ["pembangunan_kritis", "pembangunan_terlambat"]


def test_as_of_none_is_identity(sample_snapshot):
    assert as_of(sample_snapshot, None) is sample_snapshot


def test_as_of_a_date_after_all_data_copies_nothing(sample_snapshot):
    later = as_of(sample_snapshot, dt.date(2030, 1, 1))
    for name in ("progres", "rat", "penyaluran"):
        assert later[name] is sample_snapshot[name]
    earlier = as_of(sample_snapshot, dt.date(2025, 8, 15))
    assert earlier["penyaluran"]["bulan"].max() <= pd.Timestamp(2025, 8, 15)
    assert earlier["rat"]["tanggal_rat"].max() <= pd.Timestamp(2025, 8, 15)
    assert len(earlier["rat"]) == len(sample_snapshot["rat"])  # a later meeting is "not yet held", not dropped
