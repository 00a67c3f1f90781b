"""Session-state keys, in one place. State holds only the user's choices."""

LANG = "lang"
FILTER_PROVINSI = "filter_provinsi"
FILTER_KABUPATEN = "filter_kabupaten_kota"
FILTER_KECAMATAN = "filter_kecamatan"
PEMBANGUNAN_TERPILIH = "pembangunan_terpilih"
