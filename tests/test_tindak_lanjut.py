"""The follow-up list (tindak lanjut): kinds, order, the reference date, and the CLI."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest

from kkmp.acuan import default_reference, parse_reference
from kkmp.cli import main
from kkmp.kesegaran import freshness
from kkmp.metrics import headline_summary
from kkmp.settings import Settings, load_settings
from kkmp.tindak_lanjut import ITEM_KEYS, records, tindak_lanjut

DEC = dt.date(2025, 12, 12)
NOV = dt.date(2026, 11, 29)


def kinds(items, kelurahan: str) -> set[str]:
    return set(items[items["kelurahan"] == kelurahan]["jenis"])


def test_in_december_2025_manggar_is_kritis_first_and_graha_indah_is_absent(sample_snapshot):
    items = tindak_lanjut(sample_snapshot, Settings(), DEC)
    assert items.iloc[0]["kelurahan"] == "Manggar" and items.iloc[0]["jenis"] == "kontrak_kritis"
    assert kinds(items, "Sepinggan Baru") == {"terlambat"}
    assert kinds(items, "Graha Indah") == set()


def test_in_november_2026_every_build_is_past_target_and_its_report_stale(sample_snapshot):
    items = tindak_lanjut(sample_snapshot, Settings(), NOV)
    for kelurahan in ("Graha Indah", "Sepinggan Baru", "Manggar"):
        assert {"lewat_target", "laporan_basi"} <= kinds(items, kelurahan)


def test_one_rat_lewat_batas_per_obliged_cooperative_without_rat(sample_snapshot):
    settings = Settings()
    items = tindak_lanjut(sample_snapshot, settings, NOV)
    rat = headline_summary(sample_snapshot, settings, NOV, with_builds=False)["rat"]
    overdue = items[items["jenis"] == "rat_lewat_batas"]
    assert len(overdue) == rat["wajib"] - rat["sudah_wajib"] > 0
    assert overdue["id_koperasi"].is_unique


def test_kritis_items_come_before_warnings(sample_snapshot):
    items = tindak_lanjut(sample_snapshot, Settings(), NOV)
    tingkat = items["tingkat"].tolist()
    assert tingkat == sorted(tingkat, key=lambda v: v != "kritis") and set(tingkat) == {"kritis", "peringatan"}


def test_stale_report_threshold_is_a_setting(sample_snapshot):
    day = DEC + dt.timedelta(days=10)
    assert "laporan_basi" not in set(tindak_lanjut(sample_snapshot, Settings(), day)["jenis"])
    strict = load_settings({"KKMP_LAPORAN_BASI_HARI": "7"})
    assert kinds(tindak_lanjut(sample_snapshot, strict, day), "Graha Indah") == {"laporan_basi"}


def test_data_newer_than_the_reference_date_is_not_used(sample_snapshot):
    early = tindak_lanjut(sample_snapshot, Settings(), dt.date(2025, 10, 18))
    assert early.empty  # one day after groundbreaking: nothing reported, nothing due


def test_records_carry_the_json_keys(sample_snapshot):
    rows = records(tindak_lanjut(sample_snapshot, Settings(), DEC))
    assert [tuple(r) for r in rows] == [ITEM_KEYS] * 2
    assert rows[0]["tingkat"] == "kritis" and rows[0]["sejak"] == "2025-12-12"


def test_default_reference_for_the_sample_is_its_newest_posisi_per(sample_snapshot):
    assert default_reference(sample_snapshot, dt.date(2030, 1, 1)) == DEC


@pytest.mark.parametrize(("text", "date"), [("2025-12-12", DEC), ("", None), ("kemarin", None), (None, None)])
def test_parse_reference(text, date):
    assert parse_reference(text) == date


def test_freshness_says_progress_reports_are_352_days_old_in_november_2026(sample_snapshot):
    progres = {k.dataset: k for k in freshness(sample_snapshot, Settings(), NOV)}["progres"]
    assert (progres.umur_hari, progres.basi) == (352, True)
    fresh = {k.dataset: k for k in freshness(sample_snapshot, Settings(), DEC)}["progres"]
    assert (fresh.umur_hari, fresh.basi) == (0, False)


def test_summary_rat_status_sums_to_dihitung(sample_snapshot):
    data = headline_summary(sample_snapshot, Settings(), NOV, with_builds=False)
    assert sum(data["rat"]["status"].values()) == data["rat"]["dihitung"]
    assert {k["dataset"] for k in data["kesegaran"]} >= {"progres", "rat", "koperasi"}


def test_cli_json_and_xlsx(capsys, sample_store, tmp_path):
    assert main(["--db", sample_store.url, "tindak-lanjut", "--as-of", "2025-12-12", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(i["kelurahan"], i["jenis"]) for i in data["items"]] == [
        ("Manggar", "kontrak_kritis"),
        ("Sepinggan Baru", "terlambat"),
    ]
    out = tmp_path / "tl.xlsx"
    assert (
        main(["--db", sample_store.url, "tindak-lanjut", "--as-of", "2026-11-29", "--format", "xlsx", "-o", str(out)])
        == 0
    )
    sheet = openpyxl.load_workbook(io.BytesIO(out.read_bytes())).active
    assert sheet.max_row - 1 == len(tindak_lanjut(sample_store.snapshot(), Settings(), NOV))
