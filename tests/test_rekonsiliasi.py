"""Reconciliation of the office's data with the national exports (#21), on the sample + the fixtures."""

import json

import pytest

from kkmp import rekonsiliasi
from kkmp.cli import main
from tests.conftest import FIXTURES

FILES = [FIXTURES / "nasional-lahan-balikpapan.csv", FIXTURES / "nasional-statistik-balikpapan.csv"]
#: What the fixtures were made to disagree on (see their rows) and the kelurahan they have no row for.
PLANTED = {
    ("Lamaru", "tahap_lahan"),
    ("Graha Indah", "tahap_lahan"),
    ("Sungai Nangka", "tahap_lahan"),
    ("Prapatan", "tahap_lahan"),
    ("Damai Bahagia", "tahap_lahan"),
    ("Graha Indah", "pembangunan_selesai"),
    ("Damai Bahagia", "pembangunan_selesai"),
    ("Manggar", "jumlah_anggota"),
    ("Batu Ampar", "jumlah_anggota"),
    ("Klandasan Ulu", "jumlah_anggota"),
    ("Teritip", "jumlah_anggota"),
    ("Lamaru", "rat_dilaksanakan"),
    ("Margo Mulyo", "rat_dilaksanakan"),
    ("Teritip", "rat_dilaksanakan"),
    ("Karang Jati", "usaha_berjalan"),
    ("Sepinggan", "usaha_berjalan"),
    ("Teritip", "usaha_berjalan"),
}


@pytest.fixture
def imported(sample_store, capsys):
    argv = ["--db", sample_store.url, "import", *map(str, FILES), "--posisi-per", "2025-11-30"]
    assert main(argv) == 0
    capsys.readouterr()
    return sample_store


def test_nothing_is_compared_before_a_national_file_is_imported(sample_snapshot):
    assert rekonsiliasi.reconcile(sample_snapshot).empty


def test_every_disagreement_is_listed_and_nothing_where_they_agree(imported):
    table = rekonsiliasi.reconcile(imported.snapshot())
    assert len(table) == 34 * len(rekonsiliasi.UKURAN)
    found = set(zip(*(rekonsiliasi.disagreements(table)[c] for c in ("kelurahan", "ukuran")), strict=True))
    assert found == PLANTED


def test_a_kelurahan_without_a_national_row_is_a_disagreement_with_no_national_value(imported):
    table = rekonsiliasi.reconcile(imported.snapshot())
    row = table[(table["kelurahan"] == "Teritip") & (table["ukuran"] == "jumlah_anggota")].iloc[0]
    assert row["nilai_nasional"] is None and row["beda"] and row["nilai_dinas"] == 18


def test_totals_count_the_disagreements_per_measure(imported):
    totals = rekonsiliasi.totals(rekonsiliasi.reconcile(imported.snapshot()))
    assert totals["jumlah_anggota"] == {"dibandingkan": 34, "beda": 4}


def test_cli_json_items_carry_both_figures_with_their_dates(imported, capsys):
    assert main(["--db", imported.url, "rekonsiliasi", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out) == len(PLANTED)
    assert set(out[0]) == {
        "kelurahan",
        "kecamatan",
        "ukuran",
        "nilai_dinas",
        "posisi_dinas",
        "nilai_nasional",
        "posisi_nasional",
    }
    manggar = next(i for i in out if i["kelurahan"] == "Manggar" and i["ukuran"] == "jumlah_anggota")
    assert manggar["nilai_dinas"] == 18 and manggar["nilai_nasional"] == 25
    assert manggar["posisi_dinas"] == "2025-10-21" and manggar["posisi_nasional"] == "2025-11-30"


def test_cli_text_names_measures_and_values_as_a_reader_writes_them(imported, capsys):
    capsys.readouterr()
    assert main(["--db", imported.url, "rekonsiliasi"]) == 0
    out = capsys.readouterr().out
    assert "Graha Indah (Balikpapan Utara) Pembangunan selesai: dinas Tidak" in out
    assert "nasional Ya" in out and "Tahap lahan: dinas Sedang Diverifikasi" in out
    assert not any(raw in out for raw in ("False", "True", "tahap_lahan", "sedang_diverifikasi"))
