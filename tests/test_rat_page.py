"""AppTest of the RAT page (#6): the gauges match `summary`, the year and deadline choices change the page."""

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from kkmp.metrics import headline_summary
from kkmp.sample import open_store
from kkmp.settings import load_settings
from tests.conftest import ROOT

TIMEOUT = 60
PAGE = "pages/rat.py"
REFERENCE = dt.date(2025, 10, 21)  # the sample's "posisi per"; tests never depend on today's date


def figures(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def gauges(at: AppTest) -> dict[str, float | None]:
    """Gauge value by the measure named in its title (city / official)."""
    out = {}
    for fig in figures(at):
        trace = fig["data"][0]
        if trace.get("type") == "indicator":
            out[trace["title"]["text"].split("</b>")[0].removeprefix("<b>")] = trace.get("value")
    return out


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture
def page(app_env) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    at.switch_page(PAGE).run()
    assert at.title[0].value.startswith("Kepatuhan RAT")
    at.date_input(key="rat_acuan").set_value(REFERENCE).run()
    assert not at.exception, at.exception
    return at


def test_gauges_show_both_measures_and_match_summary(page, app_env):
    store = open_store(load_settings())
    summary = headline_summary(store.snapshot(), load_settings())["rat"]
    store.dispose()
    assert page.selectbox(key="rat_tahun_buku").value == summary["tahun_buku"] == 2024
    assert gauges(page) == {"Ukuran kota": summary["persen"], "Ukuran resmi": summary["persen_wajib"]}
    assert summary["persen"] == 68.8
    assert any("Posisi per 21 Oktober 2025" in c.value for c in page.caption)


def test_page_shows_per_kecamatan_trend_status_and_lists(page):
    kinds = [fig["data"][0]["type"] for fig in figures(page)]
    assert kinds == ["indicator", "indicator", "bar", "scatter", "bar"]
    per_kecamatan = figures(page)[2]["data"][0]
    assert len(per_kecamatan["y"]) == 6 and per_kecamatan["y"][-1] == "Balikpapan Timur"  # worst on top
    shown = [(m.label, m.value) for m in page.metric]
    status, kkmp = dict(shown[:6]), dict(shown[6:])
    assert status == {
        "Sudah, tepat waktu": "71",
        "Sudah, terlambat": "4",
        "Terjadwal": "0",
        "Jadwal lewat": "0",
        "Belum RAT": "0",
        "Belum wajib": "34",
    }
    assert kkmp["Menuju batas 31 Mar 2026"] == "161 hari lagi"
    assert (kkmp["Dijadwalkan"], kkmp["Belum dijadwalkan"], kkmp["Sudah RAT"]) == ("17", "17", "0")
    assert len(page.get("download_button")) == 4  # CSV + XLSX of each list
    assert len(page.dataframe) == 2


def test_long_lists_show_the_most_urgent_rows_and_say_so(page, monkeypatch):
    monkeypatch.setattr("ui.components.MAX_TABLE_ROWS", 5)
    page.run()
    assert not page.exception, page.exception
    overdue, first = (d.value for d in page.dataframe)
    assert (len(overdue), len(first)) == (5, 5)
    cut = [c.value.split(" (")[0] for c in page.caption if "teratas" in c.value]
    assert cut == ["Menampilkan 5 teratas dari 34"] * 2


def test_changing_the_year_changes_the_gauges(page):
    page.selectbox(key="rat_tahun_buku").set_value(2023).run()
    assert not page.exception
    assert gauges(page) == {"Ukuran kota": 56.0, "Ukuran resmi": 81.3}
    assert any("TB 2023" in s.value for s in page.subheader)


def test_switching_the_deadline_reclassifies_late_meetings(page):
    page.selectbox(key="rat_tahun_buku").set_value(2023).run()
    march = metrics(page)
    page.button_group(key="rat_batas_waktu").set_value("06-30").run()
    june = metrics(page)
    assert not page.exception
    assert int(march["Sudah, terlambat"]) > 0 and june["Sudah, terlambat"] == "0"
    assert int(june["Sudah, tepat waktu"]) == int(march["Sudah, tepat waktu"]) + int(march["Sudah, terlambat"])
    assert gauges(page) == {"Ukuran kota": 56.0, "Ukuran resmi": 81.3}  # held is held, whatever the deadline


def test_earlier_reference_date_counts_fewer_meetings(page):
    page.date_input(key="rat_acuan").set_value(dt.date(2025, 2, 1)).run()
    assert gauges(page)["Ukuran kota"] < 68.8


def test_kecamatan_filter_narrows_the_gauges(app_env):
    # AppTest runs a switched-to page without app.py while a pages/ folder exists (Streamlit's MPA v1
    # fallback), so the sidebar widget is absent here: set its state as the sidebar would.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    at.session_state["filter_kecamatan"] = ["Balikpapan Timur"]
    at.switch_page(PAGE).run()
    assert not at.exception
    assert "Balikpapan Timur" in at.title[0].value
    assert gauges(at)["Ukuran kota"] == 50.0


def test_english_labels(app_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert set(gauges(at)) == {"City measure", "Official measure"}
    assert at.title[0].value.startswith("RAT compliance")


def test_store_without_rat_data_tells_what_to_do(store_url, monkeypatch, fresh_caches):
    from kkmp.sample import init_store
    from kkmp.store import Store

    store = Store(store_url)
    init_store(store, sample=False)
    store.dispose()
    monkeypatch.setenv("KKMP_DATABASE_URL", store_url)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert any("Unggah dataset `rat`" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_ringkasan_rat_card_shows_the_page_gauge(app_env):
    from kkmp.i18n import format_percent

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    card = {m.label: m.value for m in at.metric}["RAT TB 2024"]
    at.switch_page(PAGE).run()
    at.date_input(key="rat_acuan").set_value(REFERENCE).run()
    assert card == format_percent(gauges(at)["Ukuran kota"], "id") == "68,8%"
