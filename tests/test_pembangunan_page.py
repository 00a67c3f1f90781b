"""The Pembangunan page (AppTest) and a new weekly report turning a build kritis through the store."""

import datetime as dt
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kkmp.cli import main
from kkmp.frames import coerce_frame
from kkmp.metrics import alerts
from kkmp.schema import get_dataset
from kkmp.settings import Settings
from kkmp.store import CommitInfo
from tests.conftest import ROOT
from ui import state

TIMEOUT = 60
PAGE = "pages/pembangunan.py"
TERITIP = "PB-2026-04"


def open_page(lang: str = "id") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if lang != "id":
        at.query_params["lang"] = lang
    at.switch_page(PAGE)
    return at.run()


def kurva_s_figure(at: AppTest) -> dict:
    """The Kurva S figure (the second plotly chart on the page, after the Gantt) as JSON."""
    charts = at.get("plotly_chart")
    assert len(charts) == 2
    return json.loads(charts[1].proto.spec)


def statuses_in_table(at: AppTest) -> dict[str, str]:
    table = at.dataframe[0].value
    return dict(zip(table["Kelurahan"], table["Status"], strict=True))


def test_page_shows_the_three_builds_with_their_statuses(app_env):
    at = open_page()
    assert not at.exception
    assert statuses_in_table(at) == {
        "Manggar": "Kontrak kritis",
        "Sepinggan Baru": "Terlambat",
        "Graha Indah": "Sesuai rencana",
    }
    assert list(at.dataframe[0].value["Kelurahan"]) == ["Manggar", "Sepinggan Baru", "Graha Indah"]
    assert any("Kontrak kritis (Permen PU 07/2011)" in c.value and "10 poin" in c.value for c in at.caption)
    assert any("Posisi per 12 Desember 2025" in c.value for c in at.caption)


def test_kurva_s_of_the_riskiest_build_is_shown_first(app_env):
    at = open_page()
    figure = kurva_s_figure(at)
    traces = {t["name"]: t for t in figure["data"]}
    assert traces["Realisasi (kumulatif)"]["y"][-1] == 47.5
    assert traces["Rencana (kumulatif)"]["y"][-1] == 66.0
    assert traces["Deviasi"]["y"][-1] == -18.5
    # the sample's reference date is its newest "posisi per" (12 Dec 2025), not today: the line says so
    assert {"Target selesai", "Tanggal acuan", "Posisi data", "Perkiraan (laju 3 minggu terakhir)"} <= set(traces)
    assert [m.value for m in at.metric] == ["Kontrak kritis", "-18,5 poin", "4 Feb 2026"]


def test_choosing_another_build_changes_the_kurva_s(app_env):
    at = open_page()
    before = kurva_s_figure(at)
    at.selectbox(key=state.PEMBANGUNAN_TERPILIH).select("PB-2025-01").run()
    assert not at.exception
    after = kurva_s_figure(at)
    assert after != before
    real = next(t for t in after["data"] if t["name"] == "Realisasi (kumulatif)")
    assert real["y"][-1] == 66.6
    assert at.metric[0].value == "Sesuai rencana"


def test_page_in_english_names_the_rule(app_env):
    at = open_page("en")
    assert not at.exception
    assert any("Critical contract (Permen PU 07/2011)" in c.value for c in at.caption)
    assert "Critical" in statuses_in_table(at).values()


def test_page_without_builds_in_the_area_says_what_to_do(app_env):
    at = open_page()
    at.session_state[state.FILTER_KECAMATAN] = ["Balikpapan Barat"]  # the sidebar's choice
    at.run()
    assert not at.exception
    assert any("Belum ada pembangunan" in i.value for i in at.info)
    assert not at.get("plotly_chart")


# ---- the "done when": a weekly report that makes a build kritis, through the store ------------


def _commit(store, dataset: str, rows: list[dict], when: dt.date) -> None:
    frame = coerce_frame(get_dataset(dataset), pd.DataFrame(rows))
    result = store.commit({dataset: frame}, CommitInfo(pengguna="uji", posisi_per={dataset: when}, sumber={}))
    assert result.revision is not None


def _report(week: int, rencana: float, realisasi: float) -> dict:
    day = dt.date(2026, 3, 6) + dt.timedelta(days=7 * (week - 1))
    return {
        "id_pembangunan": TERITIP,
        "tanggal_laporan": day,
        "minggu_ke": week,
        "rencana_persen": rencana,
        "realisasi_persen": realisasi,
    }


@pytest.fixture
def teritip_on_plan(sample_store):
    """A fourth build (Teritip), four weekly reports on plan."""
    build = {
        "id_pembangunan": TERITIP,
        "id_koperasi": "KKMP-6471011003",
        "objek": "gerai_gudang",
        "tanggal_mulai": dt.date(2026, 2, 27),
        "target_selesai": dt.date(2026, 5, 27),
        "pelaksana": "PT Agrinas Pangan Nusantara",
    }
    _commit(sample_store, "pembangunan", [build], dt.date(2026, 2, 27))
    weeks = [(1, 3.0, 3.0), (2, 10.0, 10.5), (3, 20.0, 20.0), (4, 30.0, 30.0)]
    _commit(sample_store, "progres", [_report(*w) for w in weeks], dt.date(2026, 3, 27))
    return sample_store


def _summary_status(capsys, store) -> dict:
    assert main(["--db", store.url, "summary", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    return next(b for b in data["pembangunan"] if b["id"] == TERITIP)


def test_weekly_report_more_than_10_behind_at_40_percent_plan_turns_the_build_kritis(teritip_on_plan, app_env, capsys):
    store = teritip_on_plan
    assert _summary_status(capsys, store)["status"] == "normal"

    _commit(store, "progres", [_report(5, 40.0, 30.0)], dt.date(2026, 4, 3))  # exactly 10 behind: not yet
    assert _summary_status(capsys, store)["status"] == "terlambat"

    _commit(store, "progres", [_report(5, 40.0, 29.5)], dt.date(2026, 4, 3))  # 10.5 behind at 40 % plan
    build = _summary_status(capsys, store)
    assert (build["status"], build["rencana_persen"], build["realisasi_persen"], build["deviasi"]) == (
        "kritis",
        40.0,
        29.5,
        -10.5,
    )

    items = alerts(store.snapshot(), Settings())
    assert ("pembangunan_kritis", "Teritip") in set(zip(items["jenis"], items["kelurahan"], strict=True))
    assert list(items["jenis"][:2]) == ["pembangunan_kritis", "pembangunan_kritis"]

    at = open_page()
    assert statuses_in_table(at)["Teritip"] == "Kontrak kritis"
    at.selectbox(key=state.PEMBANGUNAN_TERPILIH).select(TERITIP).run()
    assert at.metric[0].value == "Kontrak kritis"
    real = next(t for t in kurva_s_figure(at)["data"] if t["name"] == "Realisasi (kumulatif)")
    assert real["y"][-1] == 29.5

    ringkasan = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    follow_up = next(d.value for d in ringkasan.dataframe if "Keterangan" in d.value.columns)
    assert ("Kontrak kritis", "Teritip") in set(zip(follow_up["Jenis"], follow_up["Kelurahan"], strict=True))


def test_summary_as_of_gives_the_state_at_that_date(teritip_on_plan, capsys):
    _commit(teritip_on_plan, "progres", [_report(5, 40.0, 29.5)], dt.date(2026, 4, 3))
    assert main(["--db", teritip_on_plan.url, "summary", "--json", "--as-of", "2026-03-31"]) == 0
    data = json.loads(capsys.readouterr().out)
    build = next(b for b in data["pembangunan"] if b["id"] == TERITIP)
    assert (build["status"], build["tanggal_laporan"]) == ("normal", "2026-03-27")


def open_page_as_of(per: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["per"] = per
    at.switch_page(PAGE)
    return at.run()


def legend_names(figure: dict) -> list[str]:
    return [d.get("name") for d in figure["data"] if d.get("showlegend", True) is not False]


def test_statuses_follow_the_shared_reference_date(app_env):
    at = open_page_as_of("2025-11-20")
    assert not at.exception
    assert statuses_in_table(at)["Manggar"] == "Terlambat"  # the report that made it kritis came later
    assert len(kurva_s_figure(at)["data"][0]["x"]) == 4  # only the reports up to the reference date


def test_a_year_later_every_open_build_reads_past_target_with_the_stale_banner(app_env):
    at = open_page_as_of("2026-11-29")
    assert not at.exception
    assert statuses_in_table(at) == {
        "Manggar": "Kontrak kritis · lewat target",
        "Sepinggan Baru": "Terlambat · lewat target",
        "Graha Indah": "Sesuai rencana · lewat target",
    }
    assert any("352 hari lalu" in w.value for w in at.warning)
    assert at.metric[0].value == "Kontrak kritis · lewat target"


def test_the_reference_date_line_is_named_and_left_out_of_the_legend_when_off_the_chart(app_env):
    inside = kurva_s_figure(open_page_as_of("2025-12-12"))
    assert "Tanggal acuan" in legend_names(inside)
    assert "Hari ini" not in legend_names(inside)
    outside = open_page_as_of("2026-11-29")
    assert "Tanggal acuan" not in legend_names(kurva_s_figure(outside))
    assert any("di luar rentang grafik" in c.value for c in outside.caption)
