"""The kontrak-kritis rule, the forecast finish and the Kurva S series of `kkmp.pembangunan`."""

import datetime as dt

import pandas as pd
import pytest

from kkmp.pembangunan import (
    RISK_ORDER,
    build_series,
    build_status,
    fiscal_year_end_after,
    kritis_threshold,
    portfolio_table,
    standard_plan,
)
from kkmp.settings import KontrakKritisRule

START = "2025-10-17"
TARGET = "2026-01-17"


def builds(*ids: str, start: str = START, target: str = TARGET) -> pd.DataFrame:
    """Build rows with the canonical dtypes."""
    return pd.DataFrame(
        {
            "id_pembangunan": list(ids),
            "id_koperasi": [f"KOP-{i}" for i in ids],
            "objek": "gerai_gudang",
            "tanggal_mulai": pd.to_datetime([start] * len(ids)),
            "target_selesai": pd.to_datetime([target] * len(ids)),
        }
    )


def reports(rows: list[tuple[str, str, float | None, float]]) -> pd.DataFrame:
    """Weekly reports from (id, date, rencana, realisasi) tuples."""
    frame = pd.DataFrame(rows, columns=["id_pembangunan", "tanggal_laporan", "rencana_persen", "realisasi_persen"])
    frame["tanggal_laporan"] = pd.to_datetime(frame["tanggal_laporan"])
    frame["rencana_persen"] = frame["rencana_persen"].astype("float64")
    frame["realisasi_persen"] = frame["realisasi_persen"].astype("float64")
    frame["minggu_ke"] = pd.array(frame.groupby("id_pembangunan").cumcount() + 1, dtype="Int64")
    return frame


def one_status(rencana: float, realisasi: float, *, pace_from: float | None = None, **rule) -> pd.Series:
    """The status row of one build whose latest report (12 Dec 2025) has these values.

    `pace_from`: realisasi three weeks earlier (default: a pace that finishes well before the target).
    """
    before = realisasi - 30 if pace_from is None else pace_from
    rows = [("B", "2025-11-21", max(rencana - 30, 0), max(before, 0)), ("B", "2025-12-12", rencana, realisasi)]
    return build_status(builds("B"), reports(rows), rule=KontrakKritisRule(**rule)).iloc[0]


# ---- the rule at its boundaries -------------------------------------------------------------


@pytest.mark.parametrize(
    ("rencana", "realisasi", "expected"),
    [
        (40.0, 30.0, "terlambat"),  # exactly 10 behind at plan ≤ 70: not kritis
        (40.0, 29.9, "kritis"),  # more than 10 behind
        (32.4, 22.4, "terlambat"),  # 10 behind despite float noise (32.4 − 22.4 = 10.000000000000002)
        (70.0, 60.0, "terlambat"),  # exactly 70 % plan uses the 10-point threshold
        (70.0, 59.9, "kritis"),
        (70.0, 62.0, "terlambat"),  # 8 behind at exactly 70 %: the 5-point threshold does not apply
        (70.1, 65.1, "terlambat"),  # exactly 5 behind at plan > 70, finishing within the fiscal year
        (70.1, 65.0, "kritis"),  # more than 5 behind at plan > 70
        (80.0, 80.0, "normal"),
        (80.0, 85.0, "normal"),  # ahead of plan
        (40.0, 39.99, "terlambat"),
        (100.0, 100.0, "selesai"),
        (100.0, 90.0, "kritis"),
    ],
)
def test_kontrak_kritis_boundaries(rencana, realisasi, expected):
    assert one_status(rencana, realisasi)["status"] == expected


@pytest.mark.parametrize(
    ("pace_from", "expected"),
    [
        (71.0, "kritis"),  # 3 behind at 75 % plan, 1 point in 3 weeks: finishes in 2027, after 31 Dec 2026
        (40.0, "terlambat"),  # same deviasi, fast pace: finishes within the target's fiscal year
        (72.0, "kritis"),  # zero pace: never finishes, so it runs past the fiscal year
    ],
)
def test_small_delay_at_high_plan_is_kritis_when_running_past_the_fiscal_year(pace_from, expected):
    assert one_status(75.0, 72.0, pace_from=pace_from)["status"] == expected


def test_small_delay_at_low_plan_is_never_kritis_for_the_fiscal_year():
    assert one_status(60.0, 57.0, pace_from=57.0)["status"] == "terlambat"


def test_zero_pace_at_high_plan_is_kritis():
    row = one_status(75.0, 72.0, pace_from=72.0)
    assert row["status"] == "kritis"
    assert pd.isna(row["perkiraan_selesai"]) and row["alasan_tanpa_perkiraan"] == "laju_nol"


@pytest.mark.parametrize(
    ("akhir_tahun_anggaran", "expected"),
    [((12, 31), "terlambat"), ((3, 31), "kritis"), ((6, 30), "terlambat"), ((6, 25), "kritis")],
)
def test_fiscal_year_end_is_configurable(akhir_tahun_anggaran, expected):
    # 3 behind at 75 %, 3 points in 3 weeks: 28 points left at 1/7 a day → 26 Jun 2026.
    row = one_status(75.0, 72.0, pace_from=69.0, akhir_tahun_anggaran=akhir_tahun_anggaran)
    assert row["perkiraan_selesai"] == pd.Timestamp("2026-06-26")
    assert row["status"] == expected


@pytest.mark.parametrize(
    ("rule", "rencana", "realisasi", "expected"),
    [
        ({"deviasi_rencana_rendah": 5.0}, 40.0, 34.0, "kritis"),
        ({"deviasi_rencana_rendah": 15.0}, 40.0, 28.0, "terlambat"),
        ({"batas_rencana": 50.0}, 60.0, 54.0, "kritis"),
        ({"deviasi_rencana_tinggi": 8.0}, 80.0, 73.0, "terlambat"),
    ],
)
def test_thresholds_are_configuration(rule, rencana, realisasi, expected):
    assert one_status(rencana, realisasi, **rule)["status"] == expected


def test_fiscal_year_end_after_target():
    targets = pd.Series(pd.to_datetime(["2026-01-17", "2026-06-01", None]))
    dec = fiscal_year_end_after(targets, KontrakKritisRule())
    assert list(dec[:2]) == [pd.Timestamp("2026-12-31"), pd.Timestamp("2026-12-31")]
    assert pd.isna(dec[2])
    march = fiscal_year_end_after(targets, KontrakKritisRule(akhir_tahun_anggaran=(3, 31)))
    assert list(march[:2]) == [pd.Timestamp("2026-03-31"), pd.Timestamp("2027-03-31")]


def test_kritis_threshold_steps_at_the_plan_boundary():
    out = kritis_threshold(pd.Series([0.0, 70.0, 70.01, 100.0]), KontrakKritisRule())
    assert out.tolist() == [10.0, 10.0, 5.0, 5.0]


# ---- builds without reports, past target, without plan ----------------------------------------


def test_build_without_reports_is_belum_mulai_with_a_reason():
    row = build_status(builds("A"), reports([])).iloc[0]
    assert row["status"] == "belum_mulai"
    assert pd.isna(row["perkiraan_selesai"]) and pd.isna(row["hari_terlambat"])
    assert row["alasan_tanpa_perkiraan"] == "belum_ada_laporan"


def test_no_builds_gives_an_empty_frame_with_the_columns():
    out = build_status(builds().iloc[:0], reports([]))
    assert out.empty and "status" in out.columns


def test_as_of_ignores_later_reports():
    rows = [("A", "2025-10-24", 1.6, 1.5), ("A", "2025-10-31", 6.2, 6.2), ("A", "2025-11-07", 13.3, 2.0)]
    assert build_status(builds("A"), reports(rows), as_of=dt.date(2025, 11, 6)).iloc[0]["status"] == "normal"
    assert build_status(builds("A"), reports(rows), as_of=dt.date(2025, 10, 20)).iloc[0]["status"] == "belum_mulai"
    assert build_status(builds("A"), reports(rows)).iloc[0]["status"] == "kritis"


def test_build_past_its_target_counts_days_late():
    rows = [("A", "2026-01-09", 100.0, 80.0), ("A", "2026-01-30", 100.0, 86.0)]
    row = build_status(builds("A"), reports(rows), as_of=dt.date(2026, 2, 1)).iloc[0]
    assert row["status"] == "kritis"
    # 6 points in 21 days; 14 points left → 49 days after 30 Jan 2026.
    assert row["perkiraan_selesai"] == pd.Timestamp("2026-03-20")
    assert row["hari_terlambat"] == (pd.Timestamp("2026-03-20") - pd.Timestamp(TARGET)).days


def test_finished_build_uses_the_first_report_at_100():
    rows = [("A", "2026-01-09", 95.0, 100.0), ("A", "2026-01-16", 100.0, 100.0)]
    row = build_status(builds("A"), reports(rows)).iloc[0]
    assert row["status"] == "selesai"
    assert row["perkiraan_selesai"] == pd.Timestamp("2026-01-09") and row["hari_terlambat"] == -8


def test_build_without_plan_uses_the_standard_plan():
    rows = [("A", "2025-12-12", None, 50.0)]
    row = build_status(builds("A"), reports(rows)).iloc[0]
    assert bool(row["rencana_standar"])
    assert row["rencana_persen"] == standard_plan(START, TARGET, "2025-12-12") == 66.0
    assert row["deviasi"] == -16.0 and row["status"] == "kritis"


def test_forecast_with_zero_pace_has_none_and_says_why():
    rows = [("A", "2025-11-21", 30.0, 20.0), ("A", "2025-11-28", 40.0, 20.0), ("A", "2025-12-05", 50.0, 20.0)]
    row = build_status(builds("A"), reports(rows)).iloc[0]
    assert pd.isna(row["perkiraan_selesai"]) and pd.isna(row["hari_terlambat"])
    assert row["laju_per_hari"] == 0 and row["alasan_tanpa_perkiraan"] == "laju_nol"


def test_pace_uses_the_last_three_weeks():
    rows = [
        ("A", "2025-10-24", 2.0, 10.0),  # outside the window: a fast start must not count
        ("A", "2025-11-21", 30.0, 20.0),
        ("A", "2025-11-28", 40.0, 27.0),
        ("A", "2025-12-12", 60.0, 41.0),
    ]
    row = build_status(builds("A"), reports(rows)).iloc[0]
    assert row["laju_per_hari"] == pytest.approx(1.0)
    assert row["perkiraan_selesai"] == pd.Timestamp("2025-12-12") + pd.Timedelta(days=59)


def test_pace_after_a_long_gap_uses_the_previous_report():
    rows = [("A", "2025-10-24", 2.0, 10.0), ("A", "2025-12-12", 60.0, 59.0)]
    row = build_status(builds("A"), reports(rows)).iloc[0]
    assert row["laju_per_hari"] == pytest.approx(1.0)


def test_single_report_paces_from_the_start():
    row = build_status(builds("A"), reports([("A", "2025-10-27", 2.0, 10.0)])).iloc[0]
    assert row["laju_per_hari"] == pytest.approx(1.0)


def test_sorted_by_risk_then_most_behind():
    rows = [
        ("N", "2025-12-12", 60.0, 61.0),
        ("T", "2025-12-12", 60.0, 55.0),
        ("K1", "2025-12-12", 60.0, 45.0),
        ("K2", "2025-12-12", 60.0, 30.0),
    ]
    out = build_status(builds("N", "T", "K1", "K2", "E"), reports(rows))
    assert out["id_pembangunan"].tolist() == ["K2", "K1", "T", "E", "N"]
    assert out["status"].map(RISK_ORDER).is_monotonic_increasing


# ---- Kurva S series ---------------------------------------------------------------------------


def test_series_from_reports_with_plan():
    rows = [("A", "2025-10-24", 1.6, 2.0), ("A", "2025-10-31", 6.2, 5.0), ("B", "2025-10-24", 9.0, 9.0)]
    k = build_series(builds("A").iloc[0], reports(rows))
    assert not k.rencana_standar
    assert k.rencana["rencana_persen"].tolist() == [0.0, 1.6, 6.2]
    assert k.laporan["deviasi"].tolist() == [0.4, -1.2]
    assert k.laporan["realisasi_minggu"].tolist() == [2.0, 3.0]
    assert k.laporan["rencana_minggu"].tolist() == [1.6, 4.6]


def test_series_without_plan_draws_the_standard_s_to_the_target():
    rows = [("A", "2025-10-24", None, 2.0), ("A", "2025-10-31", None, 5.0)]
    k = build_series(builds("A").iloc[0], reports(rows))
    assert k.rencana_standar and k.rencana["standar"].all()
    assert k.rencana["tanggal"].iloc[0] == pd.Timestamp(START)
    assert k.rencana["tanggal"].iloc[-1] == pd.Timestamp(TARGET)
    assert k.rencana["rencana_persen"].iloc[-1] == 100.0
    assert k.rencana["rencana_persen"].is_monotonic_increasing
    assert k.laporan["rencana_standar"].all()
    assert k.laporan["rencana_persen"].tolist() == [1.6, 6.2]


def test_series_of_a_build_without_reports_is_the_standard_plan_only():
    k = build_series(builds("A").iloc[0], reports([]))
    assert k.laporan.empty and k.rencana_standar and len(k.rencana) >= 2


def test_series_respects_as_of():
    rows = [("A", "2025-10-24", 1.6, 2.0), ("A", "2025-10-31", 6.2, 5.0)]
    k = build_series(builds("A").iloc[0], reports(rows), as_of=dt.date(2025, 10, 25))
    assert len(k.laporan) == 1


@pytest.mark.parametrize(("when", "expected"), [(START, 0.0), (TARGET, 100.0), ("2025-12-02", 50.0)])
def test_standard_plan_is_an_s_from_0_to_100(when, expected):
    assert standard_plan(START, TARGET, when) == pytest.approx(expected, abs=1.0)


def test_portfolio_table_is_localised_and_shows_missing_as_dash():
    frame = build_status(builds("A", "B"), reports([("A", "2025-12-12", 66.0, 47.5), ("A", "2025-11-21", 32.4, 26.7)]))
    frame["kelurahan"] = ["Manggar", "Teritip"]
    idn = portfolio_table(frame, "id")
    assert list(idn.columns[:3]) == ["Kelurahan", "Status", "Deviasi"]
    assert idn.iloc[0].tolist()[:5] == ["Manggar", "Kontrak kritis", "-18,5", "66,0%", "47,5%"]
    assert idn.iloc[1]["Status"] == "Belum mulai" and idn.iloc[1]["Perkiraan"] == "—"
    assert idn.iloc[1]["Deviasi"] == "—" and idn.iloc[1]["Perkiraan selesai vs target (hari)"] == "—"
    eng = portfolio_table(frame, "en")
    assert eng.iloc[0]["Status"] == "Critical" and eng.iloc[0]["Deviation"] == "-18.5"


@pytest.mark.parametrize(("as_of", "lewat"), [("2025-12-12", False), ("2026-11-29", True)])
def test_unfinished_build_past_its_target_is_lewat_target(sample_snapshot, as_of, lewat):
    out = build_status(sample_snapshot["pembangunan"], sample_snapshot["progres"], dt.date.fromisoformat(as_of))
    assert out["lewat_target"].tolist() == [lewat] * 3


def test_status_text_adds_past_target_to_an_unfinished_build():
    from kkmp.pembangunan import status_text

    assert status_text("normal", True) == "Sesuai rencana · lewat target"
    assert status_text("normal", False) == "Sesuai rencana"
    assert status_text("selesai", True) == "Selesai"
    assert status_text("kritis", True, "en").endswith("· past target")
