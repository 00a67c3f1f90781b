"""AppTest of the Usaha & lahan page (#18): funnel matches `summary --json`, tables, filter, both languages."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from kkmp.metrics import headline_summary
from kkmp.settings import Settings
from tests.conftest import ROOT

TIMEOUT = 60
PAGE = "pages/usaha.py"


def open_usaha(lang: str = "id") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def funnel_trace(at: AppTest) -> dict:
    specs = [json.loads(e.proto.spec) for e in at.get("plotly_chart")]
    return next(f["data"][0] for f in specs if f["data"][0].get("type") == "bar" and f["data"][0].get("text"))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_funnel_adds_up_to_34_and_matches_the_summary(app_env, sample_snapshot, lang):
    at = open_usaha(lang)
    bars = funnel_trace(at)
    assert sum(bars["x"]) == 34
    summary = headline_summary(sample_snapshot, Settings(), with_builds=False)
    assert bars["x"] == [c["jumlah"] for c in summary["lahan"]["corong"]]
    title = "Usaha & lahan — Kota Balikpapan" if lang == "id" else "Business & land — Kota Balikpapan"
    assert at.title[0].value == title
    assert any("Posisi per" in c.value or "As of" in c.value for c in at.caption)


def test_cards_tables_and_partners(app_env):
    at = open_usaha()
    values = {m.label: m.value for m in at.metric}
    assert values["KKMP berusaha"] == "7" and values["Tidak Ada Lahan"] == "13"
    assert values["PT Pertamina Patra Niaga"] == "7" and values["PT Bulog"] == "5"
    assert values["Unit simpan pinjam: Persiapan"] == "3"
    tables = [d.value for d in at.dataframe]
    funnel = next(tb for tb in tables if "Tahap" in tb.columns)
    assert "Graha Indah" in funnel.set_index("Tahap").loc["Pembangunan", "Kelurahan"]
    bare = next(tb for tb in tables if "Status lahan" in tb.columns and len(tb) == 13)
    assert set(bare["Status lahan"]) == {"Tidak Ada Lahan"}
    assert at.selectbox(key="usaha_bulan").value.strftime("%Y-%m") == "2025-09"


def per_kkmp_table(at: AppTest):
    return next(d.value for d in at.dataframe if "Satuan" in d.value.columns and "Kelurahan" in d.value.columns)


def test_month_choice_changes_the_tables(app_env, sample_snapshot):
    p = sample_snapshot["penyaluran"]
    at = open_usaha()
    assert len(per_kkmp_table(at)) == int((p["bulan"] == "2025-09-01").sum())
    july = at.selectbox(key="usaha_bulan").value.replace(month=7)
    at.selectbox(key="usaha_bulan").set_value(july).run()
    assert not at.exception
    assert len(per_kkmp_table(at)) == int((p["bulan"] == "2025-07-01").sum()) != int((p["bulan"] == "2025-09-01").sum())


def test_kecamatan_filter_narrows_the_funnel(app_env):
    at = open_usaha()
    at.sidebar.multiselect(key="filter_kecamatan").select("Balikpapan Timur").run()
    assert not at.exception
    assert sum(funnel_trace(at)["x"]) == 4


def test_distribution_follows_the_shared_reference_date(app_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["per"] = "2025-08-15"
    at.switch_page("pages/usaha.py")
    at.run()
    assert not at.exception
    assert at.selectbox(key="usaha_bulan").value.month == 8  # September's figures came after the date
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["per"] = "2026-11-29"
    at.switch_page("pages/usaha.py")
    at.run()
    assert any(w.value.startswith("Data penyaluran terakhir 30 Sep 2025 — 425 hari lalu") for w in at.warning)


def test_long_tables_are_cut_and_say_how_many_there_are(app_env, monkeypatch):
    monkeypatch.setattr("ui.components.MAX_TABLE_ROWS", 5)
    at = open_usaha()
    capital = next(d.value for d in at.dataframe if "Modal sendiri" in d.value.columns)
    assert len(capital) == 5
    assert "Menampilkan 5 baris pertama dari 34." in [c.value for c in at.caption]
