"""AppTest of the Rekonsiliasi page (#21): disagreements only by default, all rows on demand, the Ringkasan count."""

from streamlit.testing.v1 import AppTest

from kkmp.cli import main
from tests.conftest import FIXTURES, ROOT, clear_streamlit_caches

TIMEOUT = 60
FILES = [FIXTURES / "nasional-lahan-balikpapan.csv", FIXTURES / "nasional-statistik-balikpapan.csv"]


def _open(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "id"
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _import(url: str, capsys) -> None:
    assert main(["--db", url, "import", *map(str, FILES), "--posisi-per", "2025-11-30"]) == 0
    capsys.readouterr()
    clear_streamlit_caches()


def test_without_national_data_the_page_says_what_to_do(app_env):
    at = _open("pages/rekonsiliasi.py")
    assert "Unggah ekspor" in at.info[0].value


def test_only_disagreements_then_every_row(app_env, capsys):
    _import(app_env, capsys)
    at = _open("pages/rekonsiliasi.py")
    table = at.dataframe[0].value
    assert len(table) == 17 and set(table["Beda"]) == {"Ya"}
    teritip = table[(table["Kelurahan"] == "Teritip") & (table["Ukuran"] == "Jumlah anggota")].iloc[0]
    assert teritip["Data dinas"] == "18" and teritip["Data nasional"] == "tanpa data"
    at.toggle(key="rekonsiliasi_hanya_beda").set_value(False).run()
    assert len(at.dataframe[0].value) == 170


def test_ringkasan_counts_the_disagreements(app_env, capsys):
    _import(app_env, capsys)
    at = _open("pages/ringkasan.py")
    assert any("17 perbedaan" in i.value for i in at.info)
