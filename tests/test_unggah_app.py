"""AppTest of the upload and history pages: sign in, upload, preview, commit, undo, reject, quick entry, rollback."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from kkmp.auth import hash_password
from tests.conftest import ROOT
from tests.upload_corpus import koperasi_bad_kelurahan, koperasi_title_rows, weekly_by_kelurahan
from ui import state

TIMEOUT = 90
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def open_page(path: str, editors: dict[str, str] | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if editors is not None:
        at.secrets["kkmp"] = {"editors": editors}
    if lang:
        at.query_params["lang"] = lang
    at.switch_page(path)
    return at.run()


# Settings and the store are cached per server; each test has its own store, so start clean.
pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture
def editors() -> dict[str, str]:
    return {"Budi": hash_password("rahasia", n=2**10)}


def sign_in(at: AppTest, name: str = "budi", password: str = "rahasia") -> AppTest:
    at.text_input(key=state.LOGIN_NAME).input(name)
    at.text_input(key=state.LOGIN_PASSWORD).input(password)
    return at.button(key=state.LOGIN_SUBMIT).click().run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_without_editors_the_page_explains_how_to_enable(app_env):
    at = open_page("pages/unggah.py")
    assert not at.exception
    assert any("hash-password" in i.value for i in at.info)
    assert at.file_uploader(key=state.UPLOAD_FILES).disabled


def test_wrong_password_is_refused(app_env, editors):
    at = sign_in(open_page("pages/unggah.py", editors), password="salah")
    assert not at.exception
    assert at.error and "salah" in at.error[0].value
    assert at.file_uploader(key=state.UPLOAD_FILES).disabled


def test_upload_preview_commit_undo(app_env, editors, sample_store):
    at = sign_in(open_page("pages/unggah.py", editors))
    assert "Budi" in at.caption[-1].value or any("Budi" in c.value for c in at.caption)
    at.file_uploader(key=state.UPLOAD_FILES).upload("rekap.xlsx", koperasi_title_rows(), XLSX)
    at.run()
    assert not at.exception, at.exception
    assert metrics(at)["Baris diubah"] == "2"
    assert sample_store.latest_revision() == 2  # the preview writes nothing
    at.checkbox(key=state.UPLOAD_CONFIRM).check()  # members 18 → 1,250 is odd: confirmed
    at.date_input(key=state.UPLOAD_POSISI_PER).set_value(dt.date(2025, 10, 31)).run()
    at.button(key=state.UPLOAD_COMMIT).click().run()
    assert not at.exception, at.exception
    assert sample_store.latest_revision() == 3
    assert sample_store.revisions().iloc[0]["pengguna"] == "Budi"
    assert any("revisi 3" in s.value for s in at.success)
    manggar = sample_store.read("koperasi").set_index("id_koperasi").loc["KKMP-6471011001", "jumlah_anggota"]
    assert manggar == 25
    at.button(key=state.UPLOAD_UNDO).click().run()
    assert not at.exception, at.exception
    assert sample_store.latest_revision() == 4
    manggar = sample_store.read("koperasi").set_index("id_koperasi").loc["KKMP-6471011001", "jumlah_anggota"]
    assert manggar == 18


def test_bad_kelurahan_rejected_on_the_page(app_env, editors, sample_store):
    at = sign_in(open_page("pages/unggah.py", editors))
    at.file_uploader(key=state.UPLOAD_FILES).upload("koperasi.csv", koperasi_bad_kelurahan(), "text/csv").run()
    assert not at.exception, at.exception
    assert at.error and "Tidak ada data yang diubah" in at.error[0].value
    table = at.dataframe[0].value
    assert table.iloc[0]["Baris"] == 4 and "Sungai Nangka" in table.iloc[0]["Pesan"]
    assert not [b for b in at.button if b.key == state.UPLOAD_COMMIT]
    assert sample_store.latest_revision() == 2


def test_rejected_upload_in_english(app_env, editors, sample_store):
    at = sign_in(open_page("pages/unggah.py", editors, lang="en"))
    at.file_uploader(key=state.UPLOAD_FILES).upload("koperasi.csv", koperasi_bad_kelurahan(), "text/csv").run()
    assert "No data was changed" in at.error[0].value
    assert "Closest" in at.dataframe[0].value.iloc[0]["Message"]


def test_unreadable_file_on_the_page(app_env, editors, sample_store):
    at = sign_in(open_page("pages/unggah.py", editors))
    at.file_uploader(key=state.UPLOAD_FILES).upload("rusak.xlsx", b"PK\x03\x04 rusak", XLSX).run()
    assert not at.exception
    assert "rusak" in at.error[0].value and sample_store.latest_revision() == 2


def test_quick_rat_entry(app_env, editors, sample_store):
    at = sign_in(open_page("pages/unggah.py", editors))
    at.selectbox(key=f"{state.QUICK_RAT}_id").set_value("KKMP-6471011001")
    at.number_input(key=f"{state.QUICK_RAT}_tahun").set_value(2025)
    at.checkbox(key=f"{state.QUICK_RAT}_ods").check()
    at.button(key=f"{state.QUICK_RAT}_kirim").click().run()
    assert not at.exception, at.exception
    assert sample_store.latest_revision() == 3
    head = sample_store.revisions().iloc[0]
    assert head["jenis"] == "isian" and head["pengguna"] == "Budi"
    rat = sample_store.read("rat").set_index(["id_koperasi", "tahun_buku"])
    assert bool(rat.loc[("KKMP-6471011001", 2025), "lapor_ods"]) is True


def test_quick_progres_entry_validated(app_env, editors, sample_store):
    at = sign_in(open_page("pages/unggah.py", editors))
    at.selectbox(key=f"{state.QUICK_PROGRES}_id").set_value("PB-2025-03")
    at.button(key=f"{state.QUICK_PROGRES}_kirim").click().run()  # realisasi left empty
    assert not at.exception, at.exception
    assert at.error and sample_store.latest_revision() == 2


def test_template_download_offered_without_sign_in(app_env):
    at = open_page("pages/unggah.py")
    keys = {b.key for b in at.get("download_button")}
    assert {state.TEMPLATE_XLSX, state.TEMPLATE_CSV} <= keys


def test_history_page_rollback(app_env, editors, sample_store):
    at = open_page("pages/riwayat.py", editors)
    assert not at.exception, at.exception
    assert len(at.dataframe[0].value) == 2
    at.selectbox(key=state.RIWAYAT_REVISI).set_value(1).run()
    assert not at.exception, at.exception
    at = sign_in(at)
    at.checkbox(key=state.RIWAYAT_KONFIRMASI).check().run()
    at.button(key=state.RIWAYAT_ROLLBACK).click().run()
    assert not at.exception, at.exception
    assert sample_store.latest_revision() == 3
    assert sample_store.read("koperasi").empty and len(sample_store.read("wilayah")) == 34
    assert sample_store.revisions().iloc[0]["jenis"] == "rollback"


def test_template_leaves_datasets_too_large_to_upload_back_empty(sample_snapshot):
    from kkmp.template import template_frames

    frames = template_frames(sample_snapshot, None, max_rows=100)
    assert len(frames["koperasi"]) == 0  # 120 rows > 100: header only
    assert len(frames["progres"]) == len(sample_snapshot["progres"])


def test_staffer_weekly_workbook_previewed_dated_saved_once(app_env, editors, sample_store):
    at = sign_in(open_page("pages/unggah.py", editors))
    at.file_uploader(key=state.UPLOAD_FILES).upload("laporan-mingguan.xlsx", weekly_by_kelurahan(), XLSX).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert any("19 Des 2025" in i.value for i in at.info)  # the inferred date, shown for checking
    [added] = [d.value for d in at.dataframe if "realisasi_persen" in d.value.columns]
    shown = added.astype("str").to_numpy().ravel().tolist()
    assert "Manggar (64.71.01.1001)" in shown and "19 Des 2025" in shown and "76,5" in shown
    assert not {"None", "nan", "NaT", "<NA>"} & set(shown) and not any("00:00:00" in v for v in shown)
    at.button(key=state.UPLOAD_COMMIT).click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [
        "Tersimpan sebagai revisi 3: progres +3 baru, ~0 diubah, −0 dihapus. Dasbor sudah memakai data baru."
    ]
    assert not at.info and not [b for b in at.button if b.key == state.UPLOAD_COMMIT]
    assert sample_store.snapshot().meta["progres"].posisi_per.isoformat() == "2025-12-19"
    at.button(key=state.UPLOAD_UNDO).click().run()
    assert not at.exception, at.exception
    assert sample_store.latest_revision() == 4 and not [
        d for d in at.dataframe if "realisasi_persen" in d.value.columns
    ]
    assert not [b for b in at.button if b.key == state.UPLOAD_COMMIT]


def test_odd_values_need_the_checkbox_and_undated_files_a_date(app_env, editors, sample_store):
    at = sign_in(open_page("pages/unggah.py", editors))
    at.file_uploader(key=state.UPLOAD_FILES).upload("rekap.xlsx", koperasi_title_rows(), XLSX).run()
    assert not at.exception, at.exception
    assert at.warning and "janggal" in at.warning[0].value
    assert at.button(key=state.UPLOAD_COMMIT).disabled
    at.checkbox(key=state.UPLOAD_CONFIRM).check().run()
    assert at.button(key=state.UPLOAD_COMMIT).disabled  # still no date for the undated recap
    at.date_input(key=state.UPLOAD_POSISI_PER).set_value(dt.date(2025, 12, 1)).run()
    at.button(key=state.UPLOAD_COMMIT).click().run()
    assert not at.exception, at.exception
    assert sample_store.latest_revision() == 3
    assert sample_store.snapshot().meta["koperasi"].sumber == "Rekap data koperasi, diunggah oleh Budi"


def test_national_land_export_is_recognised_and_asks_its_date(app_env, editors, sample_store):
    from tests.conftest import FIXTURES

    at = sign_in(open_page("pages/unggah.py", editors))
    data = (FIXTURES / "nasional-lahan-balikpapan.csv").read_bytes()
    at.file_uploader(key=state.UPLOAD_FILES).upload("lahan.csv", data, "text/csv").run()
    assert not at.exception, at.exception
    assert at.button(key=state.UPLOAD_COMMIT).disabled  # the national export has no date column
    at.date_input(key=state.UPLOAD_POSISI_PER).set_value(dt.date(2025, 11, 30)).run()
    at.button(key=state.UPLOAD_COMMIT).click().run()
    assert not at.exception, at.exception
    snap = sample_store.snapshot()
    assert snap.revision == 3 and len(snap.frames["lahan_nasional"]) == 34
    assert snap.meta["lahan_nasional"].posisi_per == dt.date(2025, 11, 30)
    assert snap.meta["lahan_nasional"].sumber == "Ekspor lahan sistem nasional KDKMP, diunggah oleh Budi"


def test_an_area_limited_editor_is_told_before_saving_and_offered_no_save(app_env, sample_store):
    limited = {"sari": {"hash": hash_password("rahasia", n=2**10), "wilayah": ["64.71.01"]}}
    at = sign_in(open_page("pages/unggah.py", limited), name="sari")
    at.file_uploader(key=state.UPLOAD_FILES).upload("mingguan.xlsx", weekly_by_kelurahan(), XLSX).run()
    assert not at.exception, at.exception
    assert any("64.71.01" in e.value for e in at.error), [e.value for e in at.error]
    assert not [b for b in at.button if b.key == state.UPLOAD_COMMIT]
    own = [[1, "Kel. Manggar", "19 Des 2025", 10, "76,5%", "52,0%", "Hujan; akses lahan"]]
    at.file_uploader(key=state.UPLOAD_FILES).upload("manggar.xlsx", weekly_by_kelurahan(own), XLSX).run()
    assert not at.error, [e.value for e in at.error]
    at.button(key=state.UPLOAD_COMMIT).click().run()
    assert sample_store.latest_revision() == 3 and sample_store.revisions().iloc[0]["pengguna"] == "sari"
