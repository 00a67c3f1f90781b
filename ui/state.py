"""Session-state keys, in one place. State holds only the user's choices."""

LANG = "lang"
FILTER_PROVINSI = "filter_provinsi"
FILTER_KABUPATEN = "filter_kabupaten_kota"
FILTER_KECAMATAN = "filter_kecamatan"
RAT_TAHUN_BUKU = "rat_tahun_buku"
RAT_BATAS_WAKTU = "rat_batas_waktu"
RAT_ACUAN = "rat_acuan"
