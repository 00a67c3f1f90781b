"""National KDKMP exports (#21): placing rows in the region, and importing both files as dated datasets."""

import json

import pandas as pd

from kkmp.cli import main
from kkmp.nasional import cooperative_kelurahan, district_key, locate_kelurahan
from tests.conftest import FIXTURES

LAHAN = FIXTURES / "nasional-lahan-balikpapan.csv"
STATISTIK = FIXTURES / "nasional-statistik-balikpapan.csv"


def _names(*rows):
    return pd.DataFrame(rows, columns=["kabupaten_kota", "kecamatan", "nama_kelurahan"], index=range(2, 2 + len(rows)))


def test_district_names_agree_across_spellings():
    assert district_key("KAB. PASER") == district_key("Kabupaten Paser")
    assert district_key("KOTA BALIKPAPAN") == district_key("Kota Balikpapan")


def test_cooperative_name_gives_its_kelurahan():
    name = "KOPERASI KELURAHAN MERAH PUTIH GUNUNG SAMARINDA BARU KECAMATAN BALIKPAPAN UTARA"
    assert cooperative_kelurahan(name) == "GUNUNG SAMARINDA BARU"


def test_joined_words_and_abbreviations_find_the_kelurahan(sample_snapshot):
    wilayah = sample_snapshot.frames["wilayah"]
    names = _names(
        ("KOTA BALIKPAPAN", "Balikpapan Barat", "Margomulyo"),
        ("KOTA BALIKPAPAN", "Balikpapan Selatan", "Gn. Bahagia"),
        ("KOTA BALIKPAPAN", "Balikpapan Utara", "Gunungsamarinda Baru"),
    )
    placed = locate_kelurahan(names, wilayah)
    assert list(placed.kode) == ["64.71.02.1005", "64.71.05.1006", "64.71.03.1005"]


def test_cooperative_name_places_a_row_whose_village_is_spelt_otherwise(sample_snapshot):
    names = _names(("KOTA BALIKPAPAN", "Balikpapan Kota", "Klandasan"))
    coop = pd.Series(["KOPERASI KELURAHAN MERAH PUTIH KLANDASAN ILIR"], index=names.index)
    placed = locate_kelurahan(names, sample_snapshot.frames["wilayah"], coop)
    assert placed.kode[2] == "64.71.06.1004"


def test_row_of_another_district_is_not_placed(sample_snapshot):
    placed = locate_kelurahan(_names(("KAB. PASER", "Tanah Grogot", "Tanah Grogot")), sample_snapshot.frames["wilayah"])
    assert placed.kode.isna().all() and placed.reasons == {2: "kabupaten"}


def test_kelurahan_without_a_row_are_listed(sample_snapshot):
    names = _names(("KOTA BALIKPAPAN", "Balikpapan Timur", "Manggar"))
    placed = locate_kelurahan(names, sample_snapshot.frames["wilayah"])
    assert len(placed.without_row) == 33 and "64.71.01.1001" not in placed.without_row


def test_import_of_both_exports_exits_0_and_places_every_balikpapan_row(capsys, sample_store):
    argv = ["--db", sample_store.url, "import", str(LAHAN), str(STATISTIK), "--posisi-per", "2025-11-30", "--json"]
    code = main(argv)
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["accepted"]
    added = {d["dataset"]: d["added"] for d in out["datasets"]}
    assert added == {"lahan_nasional": 34, "statistik_nasional": 33}
    assert out["posisi_per"]["lahan_nasional"]["tanggal"] == "2025-11-30"
    snap = sample_store.snapshot()
    assert snap.frames["lahan_nasional"]["kode_kelurahan"].notna().all()
    assert snap.meta["statistik_nasional"].posisi_per.isoformat() == "2025-11-30"
    assert len(snap.frames["koperasi"]) == 120  # the office's own data is untouched


def test_land_sites_are_their_own_map_layer_on_the_land_indicator(capsys, sample_store):
    from kkmp.maps import LAYER_SITES, build_deck, build_map_data

    assert main(["--db", sample_store.url, "import", str(LAHAN), "--posisi-per", "2025-11-30"]) == 0
    capsys.readouterr()
    snap = sample_store.snapshot()
    data = build_map_data(snap, "lahan")
    sites = snap.frames["lahan_nasional"]
    assert len(data.sites) == int(sites["lat"].notna().sum()) > 0
    assert "Tidak Ada Lahan" not in " ".join(s["tooltip"] for s in data.sites)  # no point without a site
    assert LAYER_SITES in [layer.id for layer in build_deck(data).layers]
    assert not build_map_data(snap, "rat").sites


def test_summary_counts_national_stages_summing_to_the_kkmp_total(capsys, sample_store):
    assert main(["--db", sample_store.url, "import", str(LAHAN), "--posisi-per", "2025-11-30"]) == 0
    capsys.readouterr()
    assert main(["--db", sample_store.url, "summary", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    national = data["lahan"]["nasional"]
    assert sum(national["status"].values()) == data["kkmp"]["total"] == 34
    assert national["status"]["tanpa_data"] == 1  # Damai Bahagia has no row
    assert national["posisi_per"] == "2025-11-30"
    assert sum(data["lahan"]["status"].values()) == 34
