"""Session-state keys, in one place. State holds only the user's choices."""

LANG = "lang"
TANGGAL_ACUAN = "tanggal_acuan"  # the shared reference date (sidebar; ?per=YYYY-MM-DD)
FILTER_PROVINSI = "filter_provinsi"
FILTER_KABUPATEN = "filter_kabupaten_kota"
FILTER_KECAMATAN = "filter_kecamatan"
FILTER_EDITOR = "filter_editor"  # the signed-in editor the area filter was last pre-selected for (once per sign-in)
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
# Sign-in (ui/auth.py): the signed-in editor's name and the login form's fields.
EDITOR = "editor_nama"
LOGIN_NAME = "login_nama"
LOGIN_PASSWORD = "login_sandi"
LOGIN_SUBMIT = "login_masuk"
LOGOUT = "login_keluar"
OIDC_LOGIN = "login_oidc"

# Upload page (pages/unggah.py, ui/unggah.py).
UPLOAD_FILES = "unggah_berkas"
UPLOAD_REPLACE = "unggah_ganti"
UPLOAD_POSISI_PER = "unggah_posisi_per"
UPLOAD_SUMBER = "unggah_sumber"
UPLOAD_COMMIT = "unggah_simpan"
UPLOAD_UNDO = "unggah_batalkan"
LAST_COMMIT = "unggah_revisi_terakhir"
LAST_COMMIT_CHANGES = "unggah_perubahan_terakhir"
#: Digest of the files last saved (or undone): their preview stays closed until other files are chosen.
UPLOAD_DONE = "unggah_berkas_selesai"
UPLOAD_CONFIRM = "unggah_konfirmasi"
TEMPLATE_DATASET = "templat_dataset"
TEMPLATE_XLSX = "templat_unduh_xlsx"
TEMPLATE_CSV = "templat_unduh_csv"
QUICK_PROGRES = "isian_progres"
QUICK_RAT = "isian_rat"

# History page (pages/riwayat.py).
RIWAYAT_REVISI = "riwayat_revisi"
RIWAYAT_KONFIRMASI = "riwayat_konfirmasi"
RIWAYAT_ROLLBACK = "riwayat_rollback"
RIWAYAT_IDENTITAS = "riwayat_identitas"  # the store identity the rollback button was shown for

# Usaha & lahan page (pages/usaha.py, ui/usaha.py).
USAHA_BULAN = "usaha_bulan"  # the month whose distribution the tables show

# Guide page (pages/panduan.py, ui/panduan.py): the guide page on screen.
PANDUAN_HALAMAN = "panduan_halaman"

# Rekonsiliasi page (pages/rekonsiliasi.py, ui/rekonsiliasi.py).
REKONSILIASI_HANYA_BEDA = "rekonsiliasi_hanya_beda"  # show only the rows where the sources disagree
REKONSILIASI_UNDUH = "rekonsiliasi_unduh_xlsx"
