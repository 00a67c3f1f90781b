"""Figures of the Pembangunan page: Kurva S, Gantt and the compact statuses chart, read as JSON."""

import datetime as dt
import json

import pandas as pd
import pytest

from kkmp.charts.pembangunan import (
    date_ticks,
    forecast_note,
    kurva_s_range,
    plot_build_statuses,
    plot_gantt,
    plot_kurva_s,
)
from kkmp.metrics import builds_frame
from kkmp.pembangunan import build_labels, build_series
from kkmp.settings import Settings
from tests.test_pembangunan import builds, reports


def traces(fig) -> dict[str, dict]:
    return {t["name"]: t for t in json.loads(fig.to_json())["data"]}


@pytest.fixture
def with_plan():
    rows = [("A", "2025-10-24", 1.6, 1.5), ("A", "2025-10-31", 6.2, 5.0), ("A", "2025-11-07", 13.3, 2.0)]
    return build_series(builds("A").iloc[0], reports(rows))


def test_kurva_s_has_plan_actual_weekly_bars_and_deviasi(with_plan):
    tr = traces(plot_kurva_s(with_plan, "id"))
    assert tr["Rencana (kumulatif)"]["y"] == [0.0, 1.6, 6.2, 13.3]
    assert tr["Realisasi (kumulatif)"]["y"] == [0.0, 1.5, 5.0, 2.0]
    assert tr["Realisasi per minggu"]["y"] == [1.5, 3.5, -3.0]
    assert tr["Rencana per minggu"]["type"] == "bar"
    assert tr["Deviasi"]["y"] == [-0.1, -1.2, -11.3]
    assert tr["Deviasi"]["text"] == ["-0,1", "-1,2", "-11,3"]
    assert tr["Batas kontrak kritis"]["y"] == [-10.0, -10.0, -10.0]
    assert tr["Target selesai"]["x"][0].startswith("2026-01-17")


def test_kurva_s_colours_reports_beyond_the_kritis_limit(with_plan):
    colours = traces(plot_kurva_s(with_plan, "id"))["Deviasi"]["marker"]["color"]
    assert colours[-1] != colours[0]  # −11.3 is beyond −10, −0.1 is not


def test_kurva_s_marks_a_standard_plan():
    k = build_series(builds("A").iloc[0], reports([("A", "2025-10-24", None, 2.0)]))
    tr = traces(plot_kurva_s(k, "en"))
    name = "Standard plan (generic S-curve, not the contract plan)"
    assert name in tr and tr[name]["line"]["dash"] == "dot"
    assert tr[name]["y"][-1] == 100.0 and tr[name]["x"][-1].startswith("2026-01-17")


def test_kurva_s_without_reports_draws_the_plan_only():
    k = build_series(builds("A").iloc[0], reports([]))
    tr = traces(plot_kurva_s(k, "id"))
    assert tr["Realisasi (kumulatif)"]["y"] == [0.0]
    assert "Perkiraan (laju 3 minggu terakhir)" not in tr


def test_kurva_s_today_and_forecast_lines(with_plan):
    fig = plot_kurva_s(with_plan, "id", perkiraan=pd.Timestamp("2026-02-20"), today=dt.date(2025, 11, 10))
    tr = traces(fig)
    assert tr["Hari ini"]["x"][0].startswith("2025-11-10")
    assert tr["Perkiraan (laju 3 minggu terakhir)"]["y"] == [2.0, 100.0]
    assert tr["Perkiraan (laju 3 minggu terakhir)"]["x"][-1].startswith("2026-02-20")


def test_kurva_s_range_focuses_on_the_build_period_not_today(with_plan):
    fig = plot_kurva_s(with_plan, "id", today=dt.date(2030, 1, 1))
    start, end = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert start < pd.Timestamp("2025-10-17") and pd.Timestamp("2026-01-17") < end < pd.Timestamp("2026-03-01")


def test_far_forecast_is_capped_in_the_range(with_plan):
    _, end = kurva_s_range(with_plan, pd.Timestamp("2030-01-01"))
    assert end < pd.Timestamp("2026-06-01")


@pytest.mark.parametrize(("font_size", "height"), [(14, 560), (22, 720)])
def test_kurva_s_is_parametrised_for_the_briefing(with_plan, font_size, height):
    fig = plot_kurva_s(with_plan, "id", font_size=font_size, height=height, show_deviasi=False)
    assert (fig.layout.font.size, fig.layout.height) == (font_size, height)
    assert "Deviasi" not in traces(fig)


def test_kurva_s_title_for_slides_is_escaped(with_plan):
    fig = plot_kurva_s(with_plan, "id", title="Manggar <script>")
    assert fig.layout.title.text == "Manggar &lt;script&gt;"
    assert plot_kurva_s(with_plan, "id").layout.title.text is None


def test_date_ticks_are_in_the_users_language():
    ticks = date_ticks(pd.Timestamp("2025-10-17"), pd.Timestamp("2026-01-20"), "id")
    assert ticks["ticktext"][0] == "17 Okt<br>2025"
    assert any("Des" in x for x in ticks["ticktext"])
    assert len(ticks["tickvals"]) <= 9


def test_gantt_per_build_with_forecast_and_lines(sample_snapshot):
    frame = builds_frame(sample_snapshot, Settings())
    fig = plot_gantt(frame, "id", today=dt.date(2025, 12, 20), posisi_per=dt.date(2025, 12, 12), height=300)
    data = json.loads(fig.to_json())
    assert list(fig.layout.yaxis.categoryarray) == ["Manggar", "Sepinggan Baru", "Graha Indah"]
    assert {t["y"][0] for t in data["data"] if t.get("y") and t["y"][0]} == {
        "Manggar",
        "Sepinggan Baru",
        "Graha Indah",
    }
    late = [t for t in data["data"] if t["name"] == "Lewat target"]
    assert len(late) == 1 and late[0]["y"][0] == "Manggar"
    assert len(fig.layout.shapes) == 2 and fig.layout.height == 300


def test_statuses_figure_colours_by_status(sample_snapshot):
    frame = builds_frame(sample_snapshot, Settings())
    fig = plot_build_statuses(frame, "en", font_size=20)
    bar = traces(fig)["Actual"]
    assert bar["y"] == ["Manggar", "Sepinggan Baru", "Graha Indah"]
    assert bar["text"][0] == "Critical · -18.5"
    assert len(set(bar["marker"]["color"])) == 3 and fig.layout.font.size == 20


def test_labels_escape_and_disambiguate():
    frame = builds("A", "B", "C")
    frame["kelurahan"] = ["<b>X</b>", "<b>X</b>", "Y"]
    frame["objek"] = ["gerai", "gudang", "gerai"]
    assert build_labels(frame, "id").tolist() == ["<b>X</b> · Gerai", "<b>X</b> · Gudang", "Y"]
    frame["status"] = "belum_mulai"
    frame["realisasi_persen"] = float("nan")
    frame["deviasi"] = float("nan")
    frame["rencana_persen"] = float("nan")
    names = traces(plot_build_statuses(frame, "id"))["Realisasi"]["y"]
    assert names == ["&lt;b&gt;X&lt;/b&gt; · Gerai", "&lt;b&gt;X&lt;/b&gt; · Gudang", "Y"]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"perkiraan_selesai": pd.NaT, "alasan_tanpa_perkiraan": "laju_nol"}, "laju nol"),
        ({"perkiraan_selesai": pd.NaT, "alasan_tanpa_perkiraan": "belum_ada_laporan"}, "belum ada laporan"),
        ({"perkiraan_selesai": pd.Timestamp("2026-02-04"), "hari_terlambat": 18}, "18 hari lewat target"),
        ({"perkiraan_selesai": pd.Timestamp("2026-01-02"), "hari_terlambat": -15}, "15 hari sebelum target"),
    ],
)
def test_forecast_note_says_why_or_how_late(row, expected):
    assert expected in forecast_note(pd.Series(row), "id")


def test_kurva_s_leaves_a_date_line_off_the_chart_out_of_the_legend(with_plan):
    names = traces(plot_kurva_s(with_plan, "id", today=dt.date(2030, 1, 1), posisi_per=dt.date(2025, 11, 7)))
    assert "Hari ini" not in names and "Posisi data" in names


def test_kurva_s_names_the_reference_date_line_as_the_caller_says(with_plan):
    fig = plot_kurva_s(with_plan, "id", today=dt.date(2025, 11, 10), today_label="Tanggal acuan")
    assert "Tanggal acuan" in traces(fig) and "Hari ini" not in traces(fig)


def test_gantt_leaves_a_date_line_off_the_timeline_out_of_the_legend():
    frame = builds_frame_of_one()
    names = traces(plot_gantt(frame, "id", today=dt.date(2030, 1, 1)))
    assert "Hari ini" not in names
    assert "Hari ini" in traces(plot_gantt(frame, "id", today=dt.date(2025, 11, 10)))


def builds_frame_of_one() -> pd.DataFrame:
    from kkmp.pembangunan import build_status

    status = build_status(builds("A"), reports([("A", "2025-10-24", 1.6, 1.5)]))
    return status.assign(kelurahan="Manggar")
