"""Field uploads (#15): rows found by what people write, dated by the file, refused when they cannot be true."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kkmp.access import Editor
from kkmp.identify import id_skeleton, koperasi_key
from kkmp.plausibility import today_wita
from kkmp.upload import (
    MissingPosisiPerError,
    StaleUploadError,
    UnconfirmedWarningsError,
    commit_upload,
    prepare_upload,
)
from tests.upload_corpus import WEEKLY_BY_KELURAHAN, csv_bytes, weekly_by_kelurahan, xlsx

TODAY = dt.date(2026, 12, 3)
HEADER = ["Kelurahan", "Tanggal Laporan", "Rencana (%)", "Realisasi (%)"]
FIXTURES = Path(__file__).parent / "fixtures"


def plan_of(store, data: bytes, name: str = "mingguan.xlsx", today: dt.date = TODAY):
    return prepare_upload([(name, data)], store, today=today)


def issues(plan, code: str):
    return [i for i in plan.report.issues if i.code == code]


def progres_rows(*rows: list[object], header: list[str] = HEADER) -> bytes:
    return xlsx({"Laporan": [header, *rows]})


# ---- rows found by kelurahan, cooperative or id ------------------------------------------------


def test_weekly_report_by_kelurahan_finds_each_build(sample_store):
    plan = plan_of(sample_store, weekly_by_kelurahan())
    assert plan.accepted, plan.report.to_frame()
    frame = plan.frames["progres"]
    assert frame["id_pembangunan"].tolist() == ["PB-2025-01", "PB-2025-02", "PB-2025-03"]
    assert frame["realisasi_persen"].tolist() == [76.5, 70.2, 52.0]
    assert plan.posisi_per == {"progres": dt.date(2025, 12, 19)}


def test_cooperative_name_finds_the_build(sample_store):
    plan = plan_of(
        sample_store, progres_rows(["KKMP Manggar", "19/12/2025", 76.5, 52], header=["Koperasi", *HEADER[1:]])
    )
    assert plan.accepted, plan.report.to_frame()
    assert plan.frames["progres"]["id_pembangunan"].tolist() == ["PB-2025-03"]


def test_kelurahan_with_several_builds_must_say_which(sample_store):
    second = ["PB-2025-04", "KKMP-6471011001", "gudang", "2025-11-01", "2026-02-01"]
    data = xlsx(
        {
            "pembangunan": [["id_pembangunan", "id_koperasi", "objek", "tanggal_mulai", "target_selesai"], second],
            "Laporan": [HEADER, ["Manggar", "19/12/2025", 76.5, 52]],
        }
    )
    plan = plan_of(sample_store, data)
    [error] = issues(plan, "id_pembangunan_ganda")
    assert (error.row, error.column) == (2, "Kelurahan")
    assert "PB-2025-03" in error.message() and "PB-2025-04" in error.message()
    assert not issues(plan, "wajib_diisi")  # the row is named once, not again as an empty id


def test_kelurahan_without_a_build_is_an_error(sample_store):
    plan = plan_of(sample_store, progres_rows(["Lamaru", "19/12/2025", 76.5, 52]))
    [error] = issues(plan, "id_pembangunan_tidak_ditemukan")
    assert error.row == 2 and "Lamaru" in error.message()


def test_code_and_name_must_agree(sample_store):
    header = ["Kode Kelurahan", *HEADER]
    plan = plan_of(sample_store, progres_rows(["64.71.01.1001", "Graha Indah", "19/12/2025", 76.5, 52], header=header))
    [error] = issues(plan, "kelurahan_tidak_cocok")
    assert "Manggar" in error.message() and "Graha Indah" in error.message()
    assert not plan.accepted


def test_id_and_kelurahan_must_agree(sample_store):
    header = ["Kode Pembangunan", *HEADER]
    plan = plan_of(sample_store, progres_rows(["PB-2025-01", "Manggar", "19/12/2025", 76.5, 70], header=header))
    [error] = issues(plan, "baris_tidak_cocok")
    assert "Graha Indah" in error.message() and "Manggar" in error.message()


def test_rat_rows_by_cooperative_name_and_kelurahan(sample_store):
    data = xlsx(
        {
            "RAT": [
                ["Nama Koperasi", "Kelurahan", "Tahun Buku", "Tanggal RAT"],
                ["Koperasi Pemuda Makmur Abadi", "Muara Rapak", 2025, "14 Feb 2026"],
            ]
        }
    )
    plan = plan_of(sample_store, data)
    assert plan.accepted, plan.report.to_frame()
    assert plan.frames["rat"]["id_koperasi"].tolist() == ["KOP-0001"]
    assert plan.posisi_per == {"rat": dt.date(2026, 2, 14)}


def test_koperasi_row_found_by_name(sample_store):
    data = xlsx({"Data Koperasi": [["Nama Koperasi", "Kelurahan", "Jumlah Anggota"], ["KKMP Lamaru", "Lamaru", 60]]})
    plan = plan_of(sample_store, data)
    assert plan.accepted, plan.report.to_frame()
    assert plan.diffs["koperasi"].cells[["kunci", "baru"]].values.tolist() == [["KKMP-6471011002", 60]]


def test_unrecognised_sheet_names_found_and_missing_columns(sample_store):
    data = xlsx({"Sheet1": [["Kel.", "Realisasi", "Catatan"], ["Manggar", 52, "x"]]})
    [error] = issues(plan_of(sample_store, data), "sheet_tidak_dikenal_terdekat")
    text = error.message()
    assert "Kel., Realisasi, Catatan" in text and "progres" in text and "tanggal_laporan" in text


# ---- dates that cannot be true ----------------------------------------------------------------


def test_report_on_today_accepted_and_one_day_later_refused(sample_store):
    today = dt.date(2025, 12, 19)
    assert plan_of(sample_store, weekly_by_kelurahan(), today=today).accepted
    late = plan_of(sample_store, weekly_by_kelurahan(), today=today - dt.timedelta(days=1))
    errors = issues(late, "tanggal_masa_depan")
    assert [(e.row, e.column) for e in errors] == [
        (5, "Tanggal Laporan"),
        (6, "Tanggal Laporan"),
        (7, "Tanggal Laporan"),
    ]
    assert "19 Des 2025" in errors[0].message() and "18 Des 2025" in errors[0].message()


def test_report_the_day_before_the_build_started_refused(sample_store):
    assert plan_of(sample_store, progres_rows(["Graha Indah", "17/10/2025", 0, 0])).accepted
    plan = plan_of(sample_store, progres_rows(["Graha Indah", "16/10/2025", 0, 0]))
    [error] = issues(plan, "laporan_sebelum_mulai")
    assert (error.row, error.column) == (2, "Tanggal Laporan") and "17 Okt 2025" in error.message()


def test_percent_outside_0_100_refused(sample_store):
    plan = plan_of(sample_store, progres_rows(["Graha Indah", "19/12/2025", 76.5, "120%"]))
    assert [e.code for e in plan.report.errors] == ["terlalu_besar"]


def rat_sheet(*rows: list[object]) -> bytes:
    return xlsx({"RAT": [["id_koperasi", "tahun_buku", "tanggal_rat"], *rows]})


def test_rat_held_before_its_year_ended_or_in_the_future(sample_store):
    plan = plan_of(sample_store, rat_sheet(["KOP-0001", 2025, "31/12/2025"], ["KOP-0002", 2025, "04/12/2026"]))
    assert [(e.code, e.row) for e in plan.report.errors] == [("rat_masa_depan", 3), ("rat_sebelum_tutup_buku", 2)]
    assert plan_of(sample_store, rat_sheet(["KOP-0001", 2025, "01/01/2026"])).accepted


def test_rat_for_a_year_before_founding_refused(sample_store):
    plan = plan_of(sample_store, rat_sheet(["KKMP-6471011001", 2024, "10/03/2025"]))
    [error] = issues(plan, "rat_sebelum_berdiri")
    assert error.column == "tahun_buku" and "11 Jun 2025" in error.message()


def test_founding_date_in_the_future_refused(sample_store):
    data = csv_bytes([["id_koperasi", "tanggal_badan_hukum"], ["KKMP-6471011001", "04/12/2026"]])
    assert issues(plan_of(sample_store, data, "koperasi.csv"), "berdiri_masa_depan")
    data = csv_bytes([["id_koperasi", "tanggal_badan_hukum"], ["KKMP-6471011001", "03/12/2026"]])
    assert plan_of(sample_store, data, "koperasi.csv").accepted


def test_today_is_the_day_in_balikpapan():
    late_utc = dt.datetime(2026, 12, 3, 17, 0, tzinfo=dt.UTC)  # 01:00 on 4 Dec in WITA
    assert today_wita(late_utc) == dt.date(2026, 12, 4)


# ---- ids that only look the same ---------------------------------------------------------------


@pytest.mark.parametrize("written", ["pb-2025-01", "PB-2025-O1", "PB-2025-01\u200b", "PB-2025- 01", "РВ-2025-01"])
def test_look_alike_id_refused_naming_the_existing_one(sample_store, written):
    data = progres_rows([written, "19/12/2025", 76.5, 76.5], header=["id_pembangunan", *HEADER[1:]])
    plan = plan_of(sample_store, data)
    [error] = [e for e in plan.report.errors]
    assert error.code == "id_mirip" and "'PB-2025-01'" in error.message()


def test_id_skeleton_and_cooperative_key():
    assert id_skeleton("KKMP\u200b-6471011001") == id_skeleton("kkmp-647101100l")
    assert id_skeleton("PB-2025-01") != id_skeleton("PB-2025-02")
    assert koperasi_key("Koperasi Kelurahan Merah Putih Sungai Nangka") == koperasi_key("KKMP Sungainangka")


# ---- odd values: listed, saved only after confirmation -----------------------------------------


def test_falling_and_leaping_progress_need_confirmation(sample_store):
    rows = [["Graha Indah", "19/12/2025", 76.5, 5.0], ["Manggar", "19/12/2025", 76.5, 90.0]]
    plan = plan_of(sample_store, progres_rows(*rows))
    assert plan.accepted and plan.needs_confirmation
    assert {(i.code, i.row) for i in plan.report.to_confirm} == {("realisasi_turun", 2), ("lonjakan", 3)}
    assert (
        "66,6" in issues(plan, "realisasi_turun")[0].message() or "66.6" in issues(plan, "realisasi_turun")[0].message()
    )
    with pytest.raises(UnconfirmedWarningsError):
        commit_upload(plan, sample_store, editor=Editor("budi"))
    assert sample_store.latest_revision() == 2
    result = commit_upload(plan, sample_store, editor=Editor("budi"), confirmed=True)
    assert result.revision == 3


def test_members_changing_by_more_than_half_need_confirmation(sample_store):
    data = csv_bytes([["id_koperasi", "jumlah_anggota"], ["KKMP-6471011001", 40], ["KKMP-6471011002", 60]])
    plan = plan_of(sample_store, data, "koperasi.csv")
    assert [(i.code, i.row) for i in plan.report.to_confirm] == [("anggota_berubah", 2)]


def test_corrections_grouped_one_line_per_kind(sample_store):
    rows = [[f"KKMP-64710{k}", "Aktif"] for k in ("11001", "11002", "11003", "11004", "11005")]
    plan = plan_of(sample_store, csv_bytes([["id_koperasi", "status"], *rows]), "koperasi.csv")
    [group] = [g for g in plan.report.grouped_warnings() if g["kind"] == "koreksi_nilai_disesuaikan"]
    assert group["count"] == 5 and len(group["examples"]) == 3
    assert set(group["examples"][0]) == {"sheet", "row", "column", "value", "message"}


# ---- dated by the file, sourced in words -------------------------------------------------------


def test_commit_dates_progres_by_its_latest_report_and_names_the_source(sample_store):
    plan = plan_of(sample_store, weekly_by_kelurahan())
    commit_upload(plan, sample_store, editor=Editor("Budi"))
    meta = sample_store.snapshot().meta["progres"]
    assert meta.posisi_per == dt.date(2025, 12, 19)
    assert meta.sumber == "Laporan mingguan progres fisik, diunggah oleh Budi"


def test_undated_file_needs_a_posisi_per(sample_store):
    plan = plan_of(sample_store, csv_bytes([["id_koperasi", "jumlah_anggota"], ["KKMP-6471011001", 20]]), "k.csv")
    assert plan.undated == ["koperasi"]
    with pytest.raises(MissingPosisiPerError):
        commit_upload(plan, sample_store, editor=Editor("budi"))
    commit_upload(plan, sample_store, editor=Editor("budi"), posisi_per=dt.date(2025, 12, 1))
    assert sample_store.snapshot().meta["koperasi"].posisi_per == dt.date(2025, 12, 1)


def test_prepare_uses_the_callers_snapshot_and_still_detects_a_stale_plan(sample_store, monkeypatch):
    snapshot = sample_store.snapshot()
    monkeypatch.setattr(type(sample_store), "snapshot", lambda *a, **k: pytest.fail("store read again"))
    monkeypatch.setattr(type(sample_store), "read", lambda *a, **k: pytest.fail("store read again"))
    plan = prepare_upload([("m.xlsx", weekly_by_kelurahan())], sample_store, snapshot=snapshot, today=TODAY)
    monkeypatch.undo()
    assert plan.accepted and plan.base_revision == 2
    other = plan_of(sample_store, weekly_by_kelurahan(WEEKLY_BY_KELURAHAN[4:5]))
    commit_upload(other, sample_store, editor=Editor("sari"))
    with pytest.raises(StaleUploadError):
        commit_upload(plan, sample_store, editor=Editor("budi"))


def test_geojson_boundaries_through_the_upload(sample_store):
    data = (FIXTURES / "batas-contoh.geojson").read_bytes()
    plan = plan_of(sample_store, data, "batas.geojson")
    assert plan.accepted and plan.jenis == "batas"
    diff = plan.diffs["batas_wilayah"]
    written = len(diff.added) + len(diff.changed)
    assert written > 0  # the sample already ships boundaries: these are new outlines for some of them
    before = len(sample_store.read("batas_wilayah"))
    result = commit_upload(plan, sample_store, editor=Editor("budi"))
    assert len(sample_store.read("batas_wilayah")) == before + len(diff.added) and result.revision == 3


def test_preview_names_rows_and_formats_values(sample_store):
    from kkmp.preview import readable_cells, readable_rows

    snapshot = sample_store.snapshot()
    plan = prepare_upload([("m.xlsx", weekly_by_kelurahan())], sample_store, snapshot=snapshot, today=TODAY)
    rows = readable_rows("progres", plan.diffs["progres"].added, snapshot.frames, plan.frames, "id")
    shown = rows.astype("str").to_numpy().ravel().tolist()
    assert "Manggar (64.71.01.1001)" in shown and "19 Des 2025" in shown and "76,5" in shown
    assert "Koperasi Kelurahan Merah Putih Manggar (KKMP-6471011001)" in shown and "—" not in shown[:2]
    assert not {"None", "nan", "NaT", "<NA>"} & set(shown)
    data = csv_bytes([["id_koperasi", "jumlah_anggota", "tanggal_badan_hukum"], ["KKMP-6471011001", 20, ""]])
    plan = plan_of(sample_store, data, "k.csv")
    cells = readable_cells("koperasi", plan.diffs["koperasi"].cells, snapshot.frames, plan.frames, "id")
    assert sorted(cells.values.tolist()) == [
        [
            "Koperasi Kelurahan Merah Putih Manggar (KKMP-6471011001) · Manggar (64.71.01.1001)",
            "jumlah_anggota",
            "18",
            "20",
        ],
        [
            "Koperasi Kelurahan Merah Putih Manggar (KKMP-6471011001) · Manggar (64.71.01.1001)",
            "tanggal_badan_hukum",
            "11 Jun 2025",
            "—",
        ],
    ]
