"""RAT compliance (#6): both measures, the deadline classification, per kecamatan, trend, overdue, KKMP."""

import datetime as dt
import io
import json

import openpyxl
import pandas as pd
import pytest

from kkmp.charts.rat import plot_rat_by_kecamatan, plot_rat_gauge, plot_rat_trend
from kkmp.export import export_table_csv, export_table_xlsx
from kkmp.metrics import default_rat_year, headline_summary
from kkmp.rat import (
    KATEGORI,
    band_of,
    classify_rat,
    first_rat_countdown,
    kkmp_first_rat,
    overdue_list,
    rat_by_area,
    rat_by_kecamatan,
    rat_compliance,
    rat_table,
    rat_trend,
    status_by_area,
    status_by_kecamatan,
    status_counts,
)
from kkmp.settings import STATUTORY_RAT_DEADLINE, RatRule, Settings, load_settings

MARCH = RatRule()
JUNE = RatRule(batas_waktu=STATUTORY_RAT_DEADLINE)
SEED_DAY = dt.date(2025, 10, 21)


def ts(text: str | None) -> pd.Timestamp:
    return pd.Timestamp(text) if text else pd.NaT


def one_coop(founded="2020-05-01", held=None, scheduled=None, status="aktif", kode="64.71.01.1001"):
    """A single cooperative and its RAT row for financial year 2024."""
    koperasi = pd.DataFrame(
        {
            "id_koperasi": ["K1"],
            "nama_koperasi": ["Koperasi Satu"],
            "kkmp": pd.array([False], dtype="boolean"),
            "kode_kelurahan": [kode],
            "status": [status],
            "tanggal_badan_hukum": pd.to_datetime([founded]),
        }
    )
    rat = pd.DataFrame(
        {
            "id_koperasi": ["K1"],
            "tahun_buku": pd.array([2024], dtype="Int64"),
            "tanggal_rat": pd.to_datetime([held]),
            "jadwal_rat": pd.to_datetime([scheduled]),
            "lapor_ods": pd.array([held is not None], dtype="boolean"),
        }
    )
    return koperasi, rat


def wilayah_frame(extra_kecamatan: str | None = None) -> pd.DataFrame:
    rows = [("64.71.01.1001", "Balikpapan Timur", "Manggar")]
    if extra_kecamatan:
        rows.append(("64.71.09.1001", extra_kecamatan, "Kelurahan Baru"))
    return pd.DataFrame(rows, columns=["kode_kelurahan", "kecamatan", "kelurahan"])


# --- both measures on the sample -----------------------------------------------------------------


def test_city_measure_counts_all_109_active(sample_snapshot):
    c = rat_compliance(sample_snapshot["koperasi"], sample_snapshot["rat"], 2024)
    assert (c.sudah, c.dihitung, c.persen) == (75, 109, 68.8)


def test_official_measure_leaves_out_the_34_kkmp_founded_in_2025(sample_snapshot):
    c = rat_compliance(sample_snapshot["koperasi"], sample_snapshot["rat"], 2024)
    assert (c.sudah_wajib, c.wajib, c.persen_wajib) == (75, 75, 100.0)


def test_default_year_is_the_latest_closed_one(sample_snapshot):
    assert default_rat_year(sample_snapshot) == 2024


def test_summary_rat_block_comes_from_rat_compliance(sample_snapshot):
    block = headline_summary(sample_snapshot, Settings())["rat"]
    expected = rat_compliance(sample_snapshot["koperasi"], sample_snapshot["rat"], 2024).as_dict()
    assert {k: block[k] for k in expected} == expected


def test_as_of_counts_only_meetings_held_by_then(sample_snapshot):
    early = rat_compliance(sample_snapshot["koperasi"], sample_snapshot["rat"], 2024, dt.date(2025, 2, 1))
    assert 0 < early.sudah < 75 and early.dihitung == 109


# --- who is required -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("founded", "wajib"),
    [("2023-12-31", True), ("2024-01-01", True), ("2024-12-31", True), ("2025-01-01", False), (None, False)],
)
def test_cooperative_founded_before_the_year_ended_is_required(founded, wajib):
    koperasi, rat = one_coop(founded=founded)
    assert bool(rat_table(koperasi, rat, 2024)["wajib"].iloc[0]) is wajib


@pytest.mark.parametrize(("founded", "wajib"), [("2024-06-30", True), ("2024-07-01", False)])
def test_wajib_cut_off_is_a_setting(founded, wajib):
    koperasi, rat = one_coop(founded=founded)
    rule = load_settings({"KKMP_RAT_WAJIB_BERDIRI_SEBELUM": "06-30"}).rat
    assert bool(rat_table(koperasi, rat, 2024, rule=rule)["wajib"].iloc[0]) is wajib


@pytest.mark.parametrize("status", ["tidak_aktif", "bubar"])
def test_inactive_cooperatives_are_not_counted(status):
    koperasi, rat = one_coop(status=status, held="2025-03-01")
    assert rat_compliance(koperasi, rat, 2024).dihitung == 0
    assert rat_compliance(koperasi, rat, 2024).persen is None


# --- on time, late, scheduled, not held ---------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "rule", "kategori"),
    [
        ("2025-03-31", MARCH, "sudah_tepat_waktu"),
        ("2025-04-01", MARCH, "sudah_terlambat"),
        ("2025-04-01", JUNE, "sudah_tepat_waktu"),
        ("2025-06-30", JUNE, "sudah_tepat_waktu"),
        ("2025-07-01", JUNE, "sudah_terlambat"),
    ],
)
def test_late_or_on_time_at_the_deadline_boundary(held, rule, kategori):
    koperasi, rat = one_coop(held=held)
    out = classify_rat(rat_table(koperasi, rat, 2024), 2024, rule, SEED_DAY)
    assert out["kategori"].iloc[0] == kategori


@pytest.mark.parametrize(
    ("founded", "scheduled", "reference", "kategori"),
    [
        ("2020-01-01", "2025-05-10", "2025-05-10", "terjadwal"),  # the scheduled day itself is still ahead
        ("2020-01-01", "2025-05-10", "2025-05-11", "jadwal_lewat"),  # schedule passed without a meeting
        ("2020-01-01", None, "2025-01-15", "belum"),
        ("2025-01-02", None, "2025-05-11", "belum_wajib"),  # founded after the year ended
        ("2024-08-01", "2025-06-01", "2025-05-11", "terjadwal"),
    ],
)
def test_not_held_is_scheduled_missing_or_not_yet_required(founded, scheduled, reference, kategori):
    koperasi, rat = one_coop(founded=founded, scheduled=scheduled)
    out = classify_rat(rat_table(koperasi, rat, 2024), 2024, MARCH, dt.date.fromisoformat(reference))
    assert out["kategori"].iloc[0] == kategori


@pytest.mark.parametrize(
    ("founded", "held", "reference", "rule", "days"),
    [
        ("2020-01-01", None, "2025-04-10", MARCH, 10),
        ("2020-01-01", None, "2025-03-01", MARCH, 0),
        ("2020-01-01", None, "2025-04-10", JUNE, 0),
        ("2020-01-01", "2025-04-05", "2025-10-21", MARCH, 5),
        ("2020-01-01", "2025-03-05", "2025-10-21", MARCH, 0),
        ("2025-08-01", None, "2025-10-21", MARCH, None),
    ],
)
def test_days_overdue_relative_to_the_reference_date(founded, held, reference, rule, days):
    koperasi, rat = one_coop(founded=founded, held=held)
    out = classify_rat(rat_table(koperasi, rat, 2024), 2024, rule, dt.date.fromisoformat(reference))
    value = out["hari_terlambat"].iloc[0]
    assert (None if pd.isna(value) else int(value)) == days


def test_switching_the_deadline_moves_late_meetings_to_on_time(sample_snapshot):
    table = rat_table(sample_snapshot["koperasi"], sample_snapshot["rat"], 2023)
    march = status_counts(classify_rat(table, 2023, MARCH, SEED_DAY))
    june = status_counts(classify_rat(table, 2023, JUNE, SEED_DAY))
    assert march["sudah_terlambat"] > 0 and june["sudah_terlambat"] == 0
    assert march["sudah_tepat_waktu"] + march["sudah_terlambat"] == june["sudah_tepat_waktu"] == 61
    assert sum(march.values()) == sum(june.values()) == 109
    assert list(march) == list(KATEGORI)


# --- per kecamatan ---------------------------------------------------------------------------------


def test_kecamatan_without_cooperatives_shows_no_data_not_zero():
    koperasi, rat = one_coop(held="2025-03-01")
    by_kec = rat_by_kecamatan(rat_table(koperasi, rat, 2024), wilayah_frame("Balikpapan Baru"))
    empty = by_kec[by_kec["kecamatan"] == "Balikpapan Baru"].iloc[0]
    assert empty["dihitung"] == 0 and pd.isna(empty["persen"]) and pd.isna(empty["persen_wajib"])
    assert by_kec["kecamatan"].iloc[-1] == "Balikpapan Baru"  # no data goes last, after the worst


def test_per_kecamatan_sorted_worst_first_and_adds_up(sample_snapshot):
    table = rat_table(sample_snapshot["koperasi"], sample_snapshot["rat"], 2024)
    by_kec = rat_by_kecamatan(table, sample_snapshot["wilayah"])
    assert by_kec["persen"].is_monotonic_increasing
    assert len(by_kec) == 6
    assert (by_kec["sudah"].sum(), by_kec["dihitung"].sum()) == (75, 109)


@pytest.mark.parametrize(("level", "areas"), [("kecamatan", 6), ("kabupaten_kota", 1), ("provinsi", 1)])
def test_per_area_adds_up_at_every_level(sample_snapshot, level, areas):
    table = rat_table(sample_snapshot["koperasi"], sample_snapshot["rat"], 2024)
    by_area = rat_by_area(table, sample_snapshot["wilayah"], level)
    assert by_area.columns[0] == level and len(by_area) == areas
    assert (by_area["sudah"].sum(), by_area["dihitung"].sum()) == (75, 109)


@pytest.mark.parametrize("level", ["kecamatan", "kabupaten_kota", "provinsi"])
def test_status_by_area_counts_every_cooperative_once(sample_snapshot, level):
    table = rat_table(sample_snapshot["koperasi"], sample_snapshot["rat"], 2024)
    status = status_by_area(classify_rat(table, 2024, MARCH, SEED_DAY), sample_snapshot["wilayah"], level)
    assert status["jumlah"].sum() == 109 and set(status["kategori"]) == set(KATEGORI)


def test_status_by_kecamatan_covers_every_kecamatan_and_category(sample_snapshot):
    table = rat_table(sample_snapshot["koperasi"], sample_snapshot["rat"], 2024)
    status = status_by_kecamatan(classify_rat(table, 2024, MARCH, SEED_DAY), sample_snapshot["wilayah"])
    assert len(status) == 6 * len(KATEGORI) and status["jumlah"].sum() == 109


# --- trend, overdue list, KKMP ---------------------------------------------------------------------


def test_trend_has_every_year_and_matches_the_single_year_figure(sample_snapshot):
    trend = rat_trend(sample_snapshot["koperasi"], sample_snapshot["rat"])
    assert trend["tahun_buku"].tolist() == [2022, 2023, 2024, 2025]
    row = trend.set_index("tahun_buku").loc[2024]
    assert (row["sudah"], row["dihitung"], row["persen"]) == (75, 109, 68.8)


def test_overdue_list_puts_required_first_with_days_and_schedule(sample_snapshot):
    table = rat_table(sample_snapshot["koperasi"], sample_snapshot["rat"], 2023)
    overdue = overdue_list(classify_rat(table, 2023, MARCH, SEED_DAY), sample_snapshot["wilayah"])
    assert len(overdue) == 109 - 61
    required = overdue[overdue["wajib"]]
    assert len(required) == 14 and overdue["wajib"].iloc[: len(required)].all()
    assert (required["hari_terlambat"] == (pd.Timestamp(SEED_DAY) - pd.Timestamp("2024-03-31")).days).all()
    assert required["kelurahan"].notna().all() and required["jadwal_rat"].notna().all()
    assert {"lapor_ods", "kecamatan", "nama_koperasi"} <= set(overdue.columns)


@pytest.mark.parametrize(("rule", "days"), [(MARCH, 161), (JUNE, 252)])
def test_kkmp_countdown_to_their_first_rat(sample_snapshot, rule, days):
    first = kkmp_first_rat(sample_snapshot["koperasi"], sample_snapshot["rat"], rule, SEED_DAY)
    countdown = first_rat_countdown(first)
    assert (countdown.tahun_buku, countdown.jumlah, countdown.hari_tersisa) == (2025, 34, days)
    assert countdown.dijadwalkan == 17 and countdown.sudah == 0
    assert countdown.dijadwalkan + countdown.belum_dijadwalkan == 34


def test_kkmp_schedules_lapse_once_the_date_passes(sample_snapshot):
    first = kkmp_first_rat(sample_snapshot["koperasi"], sample_snapshot["rat"], MARCH, dt.date(2026, 4, 30))
    countdown = first_rat_countdown(first)
    assert countdown.hari_tersisa == -30 and countdown.jadwal_lewat == 17 and countdown.dijadwalkan == 0


def test_no_kkmp_no_countdown(sample_snapshot):
    kop = sample_snapshot["koperasi"]
    first = kkmp_first_rat(kop[~kop["kkmp"].astype(bool)], sample_snapshot["rat"], MARCH, SEED_DAY)
    assert first.empty and first_rat_countdown(first) is None


@pytest.mark.parametrize(
    ("persen", "band"),
    [(0.0, "merah"), (49.9, "merah"), (50.0, "kuning"), (69.9, "kuning"), (70.0, "hijau"), (None, None)],
)
def test_bands(persen, band):
    assert band_of(persen, MARCH) == band


def test_rat_rule_from_environment():
    rule = load_settings({"KKMP_RAT_BATAS_WAKTU": "06-30", "KKMP_RAT_TARGET": "90", "KKMP_RAT_BATAS_MERAH": "40"}).rat
    assert rule.deadline(2024) == dt.date(2025, 6, 30)
    assert (rule.target_persen, rule.batas_merah, rule.batas_kuning) == (90.0, 40.0, 70.0)


# --- figures ----------------------------------------------------------------------------------------


def test_gauge_figure_json():
    fig = json.loads(
        plot_rat_gauge(68.8, "Ukuran kota", RatRule(target_persen=95), "id", detail="75 dari 109").to_json()
    )
    indicator = fig["data"][0]
    assert indicator["type"] == "indicator" and indicator["mode"] == "gauge+number"
    assert indicator["value"] == 68.8
    assert indicator["gauge"]["threshold"]["value"] == 95
    assert [s["range"] for s in indicator["gauge"]["steps"]] == [[0, 50], [50, 70], [70, 100]]
    assert indicator["gauge"]["axis"]["range"] == [0, 100]
    assert "Ukuran kota" in indicator["title"]["text"] and "75 dari 109" in indicator["title"]["text"]
    assert fig["layout"]["separators"] == ",."


def test_gauge_without_data_says_so():
    fig = json.loads(plot_rat_gauge(None, "x", MARCH, "en").to_json())
    assert fig["data"][0]["mode"] == "gauge" and "value" not in fig["data"][0]
    assert fig["layout"]["annotations"][0]["text"] == "no data"


def test_gauge_scales_with_font_size_for_the_briefing():
    small = plot_rat_gauge(70, "x", MARCH, font_size=14)
    large = plot_rat_gauge(70, "x", MARCH, font_size=28)
    assert large.data[0].number.font.size == 2 * small.data[0].number.font.size
    assert large.layout.height > small.layout.height


def test_kecamatan_bars_worst_on_top_and_no_data_marked():
    koperasi, rat = one_coop(held="2025-03-01")
    by_kec = rat_by_kecamatan(rat_table(koperasi, rat, 2024), wilayah_frame("Balikpapan Baru"))
    fig = plot_rat_by_kecamatan(by_kec, MARCH, "id")
    assert list(fig.data[0].y) == by_kec["kecamatan"].tolist()[::-1]  # first drawn at the bottom
    assert [a.text for a in fig.layout.annotations] == ["tidak ada data"]
    assert [s.x0 for s in fig.layout.shapes if s.type == "rect"] == [0.0, 50.0, 70.0]


def test_trend_figure_has_both_measures(sample_snapshot):
    trend = rat_trend(sample_snapshot["koperasi"], sample_snapshot["rat"], years=[2022, 2023, 2024])
    fig = plot_rat_trend(trend, MARCH, "en")
    assert [len(d.x) for d in fig.data] == [3, 3]
    assert list(fig.data[0].y) == trend["persen"].tolist()


# --- downloads ---------------------------------------------------------------------------------------


def test_overdue_download_is_formula_safe_in_csv_and_xlsx():
    frame = pd.DataFrame(
        {
            "nama_koperasi": ['=HYPERLINK("http://x")', "Koperasi Biasa"],
            "wajib": pd.array([True, False], dtype="boolean"),
            "jadwal_rat": pd.to_datetime(["2026-03-01", None]),
            "hari_terlambat": pd.array([12, pd.NA], dtype="Int64"),
        }
    )
    text = export_table_csv(frame).decode("utf-8-sig")
    assert text.splitlines()[1] == '"\'=HYPERLINK(""http://x"")",ya,2026-03-01,12'
    assert text.splitlines()[2] == "Koperasi Biasa,tidak,,"
    sheet = openpyxl.load_workbook(io.BytesIO(export_table_xlsx(frame, "belum-rat"))).active
    assert sheet["A2"].value.startswith("'=") and sheet["B2"].value == "ya" and sheet["D2"].value == 12


# --- the summary's rat block on the command line ----------------------------------------------------


@pytest.mark.parametrize("as_of", [None, "2025-02-01"])
def test_cli_summary_rat_block_matches_the_page_functions(capsys, sample_store, as_of):
    from kkmp.cli import main

    argv = ["--db", sample_store.url, "summary", "--json"] + (["--as-of", as_of] if as_of else [])
    assert main(argv) == 0
    block = json.loads(capsys.readouterr().out)["rat"]
    snap = sample_store.snapshot()
    when = dt.date.fromisoformat(as_of) if as_of else None
    expected = rat_compliance(snap["koperasi"], snap["rat"], 2024, when).as_dict()
    assert {k: block[k] for k in expected} == expected
    assert (block["dihitung"], block["persen"] == 68.8) == (109, as_of is None)
