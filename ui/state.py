"""Session-state keys, in one place. State holds only the user's choices."""

LANG = "lang"
FILTER_PROVINSI = "filter_provinsi"
FILTER_KABUPATEN = "filter_kabupaten_kota"
FILTER_KECAMATAN = "filter_kecamatan"
PETA_INDIKATOR = "peta_indikator"
PETA_KELURAHAN = "peta_kelurahan"
PETA_MAP = "peta_map"
PETA_BATAS_FILE = "peta_batas_file"
PETA_BATAS_SUMBER = "peta_batas_sumber"
PETA_BATAS_SIMPAN = "peta_batas_simpan"
PEMBANGUNAN_TERPILIH = "pembangunan_terpilih"
RAT_TAHUN_BUKU = "rat_tahun_buku"
RAT_BATAS_WAKTU = "rat_batas_waktu"
RAT_ACUAN = "rat_acuan"

# Briefing (pages/briefing.py): the slide on screen, autoplay and display choices.
BRIEFING_SLIDE = "briefing_slide"  # 0-based index of the slide on screen
BRIEFING_SHOWN_AT = "briefing_shown_at"  # when that slide came on screen (monotonic seconds)
BRIEFING_PLAYING = "briefing_playing"
BRIEFING_INTERVAL = "briefing_interval"  # seconds per slide
BRIEFING_THEME = "briefing_theme"
BRIEFING_LANG = "briefing_lang"
BRIEFING_SINCE = "briefing_since"  # date for "Perubahan sejak …"; None = previous revision
BRIEFING_EXPORT = "briefing_export_wanted"  # the user asked for the PDF/PNG files (they stay offered)
