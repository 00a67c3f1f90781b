"""Uploads end to end: a corpus of messy files, each with its expected outcome; nothing written on rejection."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from kkmp.access import Editor
from kkmp.diff import canonical_text, key_text
from kkmp.export import export_csv, export_xlsx
from kkmp.ingest import Limits, UnreadableFileError, read_sheets, sniff_delimiter
from kkmp.schema import DATASETS, get_dataset
from kkmp.template import TEMPLATE_DATASETS, build_template_xlsx
from kkmp.upload import (
    StaleUploadError,
    _merged_wilayah,
    commit_upload,
    prepare_records,
    prepare_upload,
    rows_all_stored,
)
from kkmp.validate import ValidationFailed
from tests.upload_corpus import (
    csv_bytes,
    koperasi_bad_kelurahan,
    koperasi_title_rows,
    progres_semicolon_cp1252,
    xlsx,
)

TODAY = dt.date(2025, 12, 20)


def state_of(store) -> tuple[int, dict[str, list[str]]]:
    """The latest revision and every dataset as comparable text rows."""
    data = {}
    for name in DATASETS:
        frame = store.read(name)
        data[name] = sorted(
            "|".join(canonical_text(frame[c]).tolist()[i] for c in frame.columns) for i in range(len(frame))
        )
    return store.latest_revision(), data


def codes(plan, severity="error"):
    items = plan.report.errors if severity == "error" else plan.report.warnings
    return {i.code for i in items}


def commit(plan, store, user="budi"):
    """Commit as an editor who has confirmed the odd values (members 18 → 1,250 in the recap)."""
    return commit_upload(plan, store, editor=Editor(user), posisi_per=TODAY, sumber="uji", confirmed=True)


# ---- the corpus: each messy file and what must happen ----------------------------------------


def test_title_rows_typed_kelurahan_and_rupiah(sample_store):
    plan = prepare_upload([("rekap.xlsx", koperasi_title_rows())], sample_store)
    assert plan.accepted, plan.report.to_frame()
    diff = plan.diffs["koperasi"]
    assert len(diff.changed) == 2 and diff.added.empty
    cells = {(r.kunci, r.kolom): (r.lama, r.baru) for r in diff.cells.itertuples()}
    assert cells[("KKMP-6471011001", "jumlah_anggota")] == (18, 25)
    assert cells[("KKMP-6471011001", "modal_sendiri")][1] == 3_500_000
    assert cells[("KKMP-6471051010", "jumlah_anggota")][1] == 1250
    warned = codes(plan, "warning")
    assert {"kolom_diabaikan", "koreksi_kelurahan_disesuaikan", "baris_dilewati"} <= warned
    rows = {(w.row, w.code) for w in plan.report.warnings}
    assert (6, "koreksi_kelurahan_disesuaikan") in rows and (7, "baris_dilewati") in rows


def test_semicolon_cp1252_decimal_commas(sample_store):
    plan = prepare_upload([("progres minggu 10.csv", progres_semicolon_cp1252())], sample_store)
    assert plan.accepted, plan.report.to_frame()
    added = plan.diffs["progres"].added.set_index("id_pembangunan")
    assert added.loc["PB-2025-02", "realisasi_persen"] == pytest.approx(71.25)
    assert added.loc["PB-2025-01", "tanggal_laporan"] == pd.Timestamp("2025-12-19")
    assert added.loc["PB-2025-01", "catatan"] == "Pekerjaan atap – cuaca baik, café buka"


@pytest.mark.parametrize(
    "tanggal",
    ["19/12/2025", "19-12-2025", "19 Desember 2025", "19 Des 2025", "2025-12-19", 46010, dt.datetime(2025, 12, 19)],
)
def test_each_date_form(sample_store, tanggal):
    data = xlsx({"progres": [["id_pembangunan", "tanggal_laporan", "realisasi_persen"], ["PB-2025-03", tanggal, 50]]})
    plan = prepare_upload([("p.xlsx", data)], sample_store)
    assert plan.accepted, plan.report.to_frame()
    assert plan.diffs["progres"].added["tanggal_laporan"].iloc[0] == pd.Timestamp("2025-12-19")


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8", ","), ("utf-8-sig", ";"), ("utf-8-sig", "\t"), ("cp1252", ";")]
)
def test_csv_encodings_and_separators(sample_store, encoding, delimiter):
    rows = [["id_koperasi", "tahun_buku", "Tgl RAT", "ODS"], ["KKMP-6471011001", "2025", "17 Maret 2026", "sudah"]]
    plan = prepare_upload([("rat.csv", csv_bytes(rows, delimiter, encoding))], sample_store)
    assert plan.accepted, plan.report.to_frame()
    cells = plan.diffs["rat"].cells.set_index("kolom")
    assert cells.loc["tanggal_rat", "baru"] == pd.Timestamp("2026-03-17")
    assert bool(cells.loc["lapor_ods", "baru"]) is True


def test_misspelt_kelurahan_rejected_with_row_and_suggestion(sample_store):
    before = state_of(sample_store)
    plan = prepare_upload([("koperasi.csv", koperasi_bad_kelurahan())], sample_store)
    assert not plan.accepted and plan.diffs == {}
    [error] = plan.report.errors
    assert (error.row, error.column, error.value) == (4, "kelurahan", "Sungai Nangkaa")
    assert "Sungai Nangka" in error.message("id") and "Sungai Nangka" in error.message("en")
    assert error.as_dict()["sheet"] == "koperasi"
    with pytest.raises(ValidationFailed):
        commit(plan, sample_store)
    assert state_of(sample_store) == before


def test_duplicate_keys_rejected(sample_store):
    before = state_of(sample_store)
    rows = [
        ["id_koperasi", "tahun_buku", "tanggal_rat"],
        ["KOP-0001", 2025, "01/03/2026"],
        ["KOP-0001", 2025, "02/03/2026"],
    ]
    plan = prepare_upload([("rat.csv", csv_bytes(rows))], sample_store)
    assert codes(plan) == {"kunci_ganda"}
    assert sorted(i.row for i in plan.report.errors) == [2, 3]
    assert state_of(sample_store) == before


def test_empty_sheet_is_skipped_beside_a_good_one(sample_store):
    data = xlsx({"Kosong": [], "rat": [["id_koperasi", "tahun_buku", "tanggal_rat"], ["KOP-0001", 2025, "01/03/2026"]]})
    plan = prepare_upload([("rat.xlsx", data)], sample_store)
    assert plan.accepted and "sheet_kosong" in codes(plan, "warning")


def test_only_an_empty_sheet_is_rejected(sample_store):
    plan = prepare_upload([("kosong.xlsx", xlsx({"Sheet1": []}))], sample_store)
    assert not plan.accepted and "tidak_ada_data" in codes(plan)


def test_wrong_sheet_rejected(sample_store):
    before = state_of(sample_store)
    data = xlsx({"Catatan rapat": [["Rapat koordinasi"], ["Hadir", "Kepala Dinas"], ["Tempat", "Aula"]]})
    plan = prepare_upload([("rapat.xlsx", data)], sample_store)
    assert not plan.accepted and codes(plan) == {"sheet_tidak_dikenal"}
    assert plan.report.errors[0].sheet == "Catatan rapat"
    assert state_of(sample_store) == before


def test_wrong_sheet_beside_data_is_a_warning(sample_store):
    data = xlsx({"Catatan": [["apa saja"]], "rat": [["id_koperasi", "tahun_buku"], ["KOP-0001", 2025]]})
    plan = prepare_upload([("x.xlsx", data)], sample_store)
    assert plan.accepted and "sheet_tidak_dikenal" in codes(plan, "warning")


def test_dataset_found_by_columns_when_sheet_is_unnamed(sample_store):
    data = xlsx(
        {
            "Sheet1": [
                ["Laporan"],
                ["Kode Pembangunan", "Tgl Laporan", "Realisasi %"],
                ["PB-2025-03", "19/12/2025", "50,5"],
            ]
        }
    )
    plan = prepare_upload([("x.xlsx", data)], sample_store)
    assert plan.accepted and list(plan.diffs) == ["progres"]


def test_percent_formatted_cells_and_serial_dates(sample_store):
    rows = [
        ["id_pembangunan", "tanggal_laporan", "rencana_persen", "realisasi_persen"],
        ["PB-2025-03", 46010, 0.755, 0.5],
    ]
    formats = {("Progres Mingguan", 2, 3): "0.0%", ("Progres Mingguan", 2, 4): "0%"}
    plan = prepare_upload([("x.xlsx", xlsx({"Progres Mingguan": rows}, formats))], sample_store)
    assert plan.accepted, plan.report.to_frame()
    row = plan.diffs["progres"].added.iloc[0]
    assert row["rencana_persen"] == pytest.approx(75.5) and row["realisasi_persen"] == pytest.approx(50)
    assert row["tanggal_laporan"] == pd.Timestamp("2025-12-19")
    assert "koreksi_tanggal_serial" in codes(plan, "warning")


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("data.csv", bytes(range(256)) * 20, "bukan_tabel"),
        ("data.xlsx", bytes(range(256)) * 20, "rusak"),
        ("data.xlsx", b"PK\x03\x04" + b"\x00garbage" * 50, "rusak"),
        ("data.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "format_lama"),
        ("data.csv", b"", "kosong"),
        ("data.csv", b"satu kolom saja\nbaris dua\n", "bukan_tabel"),
    ],
    ids=["binary-csv", "binary-xlsx", "broken-zip", "old-xls", "empty", "one-column-text"],
)
def test_unreadable_files(sample_store, name, data, code):
    before = state_of(sample_store)
    with pytest.raises(UnreadableFileError) as err:
        prepare_upload([(name, data)], sample_store)
    assert err.value.code == code and name in err.value.message("id")
    assert state_of(sample_store) == before


def test_password_protected_workbook(sample_store):
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    plain = xlsx({"rat": [["id_koperasi", "tahun_buku"], ["KOP-0001", 2025]]})
    out = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(plain)).encrypt("rahasia", out)
    with pytest.raises(UnreadableFileError) as err:
        prepare_upload([("terkunci.xlsx", out.getvalue())], sample_store)
    assert err.value.code == "terkunci" and "kata sandi" in err.value.message("id")


def test_size_and_row_limits(sample_store):
    rows = [["id_koperasi", "tahun_buku"]] + [[f"KOP-{i:04d}", 2025] for i in range(30)]
    data = csv_bytes(rows)
    with pytest.raises(UnreadableFileError) as err:
        prepare_upload([("rat.csv", data)], sample_store, limits=Limits(max_bytes=100))
    assert err.value.code == "terlalu_besar"
    with pytest.raises(UnreadableFileError) as err:
        prepare_upload([("rat.csv", data)], sample_store, limits=Limits(max_rows=10))
    assert err.value.code == "terlalu_banyak_baris" and "10" in err.value.message("en")


def test_bad_cells_are_listed_once_each(sample_store):
    rows = [
        ["id_pembangunan", "tanggal_laporan", "realisasi_persen"],
        ["PB-2025-03", "31/02/2025", "lima puluh"],
        ["PB-2025-03", "20/12/2025", "150"],
    ]
    plan = prepare_upload([("p.csv", csv_bytes(rows))], sample_store)
    found = {(i.row, i.column, i.code) for i in plan.report.errors}
    assert found == {
        (2, "tanggal_laporan", "sel_tanggal_tidak_ada"),
        (2, "realisasi_persen", "sel_bukan_angka"),
        (3, "realisasi_persen", "terlalu_besar"),
    }


def test_messages_follow_the_language(sample_store):
    plan = prepare_upload([("koperasi.csv", koperasi_bad_kelurahan())], sample_store)
    error = plan.report.errors[0]
    assert "tidak dikenal" in error.message("id") and "not known" in error.message("en")


# ---- references against the store merged with the upload -----------------------------------


def test_progres_for_an_unknown_build_is_rejected(sample_store):
    rows = [["id_pembangunan", "tanggal_laporan", "realisasi_persen"], ["PB-9999", "19/12/2025", "10"]]
    plan = prepare_upload([("p.csv", csv_bytes(rows))], sample_store)
    assert codes(plan) == {"referensi_tidak_ada"}


def test_build_and_its_progress_in_one_upload(sample_store):
    data = xlsx(
        {
            "pembangunan": [
                ["id_pembangunan", "id_koperasi", "objek", "tanggal_mulai", "target_selesai"],
                ["PB-2026-01", "KKMP-6471061001", "Gerai + gudang", "05/01/2026", "05/04/2026"],
            ],
            "progres": [["id_pembangunan", "tanggal_laporan", "realisasi_persen"], ["PB-2026-01", "12/01/2026", "3,5"]],
        }
    )
    plan = prepare_upload([("baru.xlsx", data)], sample_store)
    assert plan.accepted, plan.report.to_frame()
    assert [d["added"] for d in plan.summary()] == [1, 1]


def test_one_bad_sheet_rejects_the_whole_upload(sample_store):
    before = state_of(sample_store)
    data = xlsx(
        {
            "rat": [["id_koperasi", "tahun_buku", "tanggal_rat"], ["KOP-0001", 2025, "01/03/2026"]],
            "progres": [["id_pembangunan", "tanggal_laporan", "realisasi_persen"], ["PB-2025-03", "kemarin", "10"]],
        }
    )
    plan = prepare_upload([("dua.xlsx", data)], sample_store)
    assert not plan.accepted
    assert state_of(sample_store) == before


def test_same_row_in_two_files_is_rejected(sample_store):
    rows = [["id_koperasi", "tahun_buku", "tanggal_rat"], ["KOP-0001", 2025, "01/03/2026"]]
    plan = prepare_upload([("a.csv", csv_bytes(rows)), ("b.csv", csv_bytes(rows))], sample_store)
    assert codes(plan) == {"kunci_ganda_antar_sheet"}


# ---- partial columns, replace mode ----------------------------------------------------------------


def test_updating_some_columns_of_existing_rows(sample_store):
    rows = [["id_koperasi", "jumlah_anggota"], ["KKMP-6471011001", "30"]]
    plan = prepare_upload([("anggota.csv", csv_bytes(rows))], sample_store)
    assert plan.accepted and plan.summary()[0]["changed"] == 1


def test_new_rows_need_the_required_columns(sample_store):
    rows = [["id_koperasi", "jumlah_anggota"], ["KOP-BARU", "30"]]
    plan = prepare_upload([("anggota.csv", csv_bytes(rows))], sample_store)
    assert "kolom_hilang" in codes(plan)


def test_removals_only_in_replace_mode(sample_store):
    current = sample_store.read("progres")
    data = export_csv(get_dataset("progres"), current.iloc[:-2])
    assert prepare_upload([("progres.csv", data)], sample_store).summary()[0]["removed"] == 0
    plan = prepare_upload([("progres.csv", data)], sample_store, replace=True)
    assert plan.summary()[0]["removed"] == 2
    result = commit(plan, sample_store)
    assert len(sample_store.read("progres")) == len(current) - 2 and result.revision == 3


def test_replace_mode_cannot_orphan_rows(sample_store):
    before = state_of(sample_store)
    current = sample_store.read("pembangunan")
    data = export_csv(get_dataset("pembangunan"), current.iloc[:1])
    plan = prepare_upload([("pembangunan.csv", data)], sample_store, replace=True)
    assert codes(plan) == {"masih_dipakai"}
    assert state_of(sample_store) == before


# ---- commit, idempotence, rollback, round trips ---------------------------------------------------


def test_commit_records_who_what_when(sample_store):
    data = koperasi_title_rows()
    plan = prepare_upload([("rekap.xlsx", data)], sample_store)
    result = commit(plan, sample_store)
    assert result.revision == 3
    head = sample_store.revisions().iloc[0]
    assert head["pengguna"] == "budi" and head["nama_file"] == "rekap.xlsx" and head["jenis"] == "impor"
    assert len(head["sha256"]) == 64
    [part] = head["datasets"]
    assert part["diubah"] == 2 and part["posisi_per"] == TODAY and part["sumber"] == "uji" and not part["contoh"]
    assert sample_store.meta()["koperasi"].contoh is False


def test_unchanged_datasets_keep_their_date_and_source(sample_store):
    from openpyxl import load_workbook

    before = sample_store.meta()
    wb = load_workbook(io.BytesIO(build_template_xlsx(sample_store.snapshot().frames)))
    wb["rat"].cell(row=4, column=3).value = "17/03/2026"
    buffer = io.BytesIO()
    wb.save(buffer)
    plan = prepare_upload([("templat.xlsx", buffer.getvalue())], sample_store)
    assert [d["dataset"] for d in plan.summary() if d["changed"]] == ["rat"]
    commit(plan, sample_store)
    after = sample_store.meta()
    # dated by the file: its latest RAT date, not the date passed for undated files
    assert after["rat"].posisi_per == dt.date(2026, 3, 17) and after["rat"].sumber == "uji"
    assert all(after[n] == before[n] for n in DATASETS if n != "rat")
    assert [d["dataset"] for d in sample_store.revisions().iloc[0]["datasets"]] == ["rat"]


def test_same_file_twice_changes_nothing(sample_store):
    data = progres_semicolon_cp1252()
    assert commit(prepare_upload([("p.csv", data)], sample_store), sample_store).revision == 3
    before = state_of(sample_store)
    again = prepare_upload([("p.csv", data)], sample_store)
    assert again.accepted and not again.changes_anything
    assert commit(again, sample_store).revision is None
    assert state_of(sample_store) == before


def test_rollback_undoes_an_upload(sample_store):
    before = state_of(sample_store)
    commit(prepare_upload([("rekap.xlsx", koperasi_title_rows())], sample_store), sample_store)
    assert state_of(sample_store)[1] != before[1]
    result = sample_store.rollback(2, "budi")
    assert result.revision == 4
    assert state_of(sample_store)[1] == before[1]
    assert len(sample_store.revisions()) == 4  # nothing deleted


def test_stale_preview_is_not_committed(sample_store):
    plan = prepare_upload([("p.csv", progres_semicolon_cp1252())], sample_store)
    commit(prepare_upload([("rekap.xlsx", koperasi_title_rows())], sample_store), sample_store)
    with pytest.raises(StaleUploadError):
        commit(plan, sample_store)


def test_template_round_trip_changes_nothing(sample_store):
    data = build_template_xlsx(sample_store.snapshot().frames)
    plan = prepare_upload([("templat.xlsx", data)], sample_store)
    assert plan.accepted and not plan.report.issues
    assert not plan.changes_anything and set(plan.diffs) == set(TEMPLATE_DATASETS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", list(DATASETS))
def test_export_round_trip(sample_store, name, fmt):
    writer = export_csv if fmt == "csv" else export_xlsx
    data = writer(get_dataset(name), sample_store.read(name))
    plan = prepare_upload([(f"{name}.{fmt}", data)], sample_store)
    assert plan.accepted and not plan.report.issues and not plan.changes_anything


def test_template_has_dropdowns_and_notes(sample_store):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(build_template_xlsx(sample_store.snapshot().frames)))
    ws = wb["koperasi"]
    assert ws.cell(row=3, column=4).value == "kelurahan" and ws.cell(row=3, column=4).comment is not None
    assert ws.cell(row=4, column=4).value == "Manggar"
    validations = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "daftar_pilihan" in validations["D4"] and "daftar_pilihan" in validations["E4"]
    assert wb["daftar_pilihan"].sheet_state == "hidden"


# ---- quick entry ----------------------------------------------------------------------------------


def test_quick_progres_entry(sample_store):
    entry = {
        "id_pembangunan": "PB-2025-03",
        "tanggal_laporan": dt.date(2025, 12, 19),
        "minggu_ke": 9,
        "rencana_persen": 75.0,
        "realisasi_persen": 55.5,
        "catatan": None,
    }
    plan = prepare_records("progres", [entry], sample_store)
    assert plan.accepted and plan.jenis == "isian" and plan.summary()[0]["added"] == 1
    assert commit(plan, sample_store).revision == 3
    assert sample_store.revisions().iloc[0]["jenis"] == "isian"


def test_quick_rat_entry_keeps_other_columns(sample_store):
    entry = {
        "id_koperasi": "KKMP-6471011001",
        "tahun_buku": 2025,
        "tanggal_rat": dt.date(2026, 3, 14),
        "lapor_ods": True,
    }
    plan = prepare_records("rat", [entry], sample_store)
    assert plan.accepted and plan.summary()[0]["changed"] == 1
    assert set(plan.diffs["rat"].cells["kolom"]) == {"tanggal_rat", "lapor_ods"}


def test_quick_entry_is_validated(sample_store):
    entry = {"id_pembangunan": "PB-2025-03", "tanggal_laporan": dt.date(2025, 12, 19), "realisasi_persen": 120.0}
    plan = prepare_records("progres", [entry], sample_store)
    assert codes(plan) == {"terlalu_besar"}


def test_sniff_delimiter_prefers_semicolon_over_decimal_commas():
    lines = ["a;b;c", "1,5;2,5;3", "4;5,25;6"]
    assert sniff_delimiter(lines) == ";"


def test_read_sheets_keeps_excel_row_numbers():
    data = xlsx({"rat": [["judul"], [], ["id_koperasi", "tahun_buku"], ["KOP-0001", 2025]]})
    [sheet] = read_sheets("x.xlsx", data)
    assert [n for n, _ in sheet.rows] == [1, 3, 4]


def test_rows_far_below_a_long_empty_gap_are_not_read(monkeypatch):
    import kkmp.ingest

    monkeypatch.setattr(kkmp.ingest, "MAX_EMPTY_RUN", 3)
    rows = [["id_koperasi", "tahun_buku"], ["KOP-0001", 2025]] + [[None]] * 5 + [["KOP-0002", 2025]]
    [sheet] = read_sheets("x.xlsx", xlsx({"rat": rows}))
    assert [n for n, _ in sheet.rows] == [1, 2]


# ---- narrowed checks give what the full ones give -------------------------------------------------


def _full_rows_all_stored(dataset, frame, stored) -> bool:
    """The check over every stored row, as `check_sheets` made it before it was narrowed."""
    return set(key_text(dataset, frame)) <= set(key_text(dataset, stored))


def test_rows_all_stored_matches_the_full_check_on_duplicated_and_new_keys(sample_snapshot):
    ds = get_dataset("progres")
    stored = sample_snapshot.frames["progres"]
    known = stored.iloc[[0, 0, 1]][list(ds.key)]  # a stored key twice, and another stored key
    other = known.copy()
    other.iloc[1, 0] = "PB-TIDAK-ADA"  # a build id that is not stored
    later = known.copy()
    later.iloc[2, 1] = later.iloc[2, 1] + pd.Timedelta(days=1)  # a stored build, a date it has no report for
    for frame in (known, other, later):
        assert rows_all_stored(ds, frame, stored) == _full_rows_all_stored(ds, frame, stored)
    assert rows_all_stored(ds, known, stored) and not rows_all_stored(ds, other, stored)


def test_rows_all_stored_matches_the_full_check_on_a_missing_key():
    ds = get_dataset("koperasi")
    stored = pd.DataFrame({"id_koperasi": pd.Series(["K-1", None], dtype="str")})
    frame = pd.DataFrame({"id_koperasi": pd.Series([None, "K-1"], dtype="str")})
    assert rows_all_stored(ds, frame, stored) == _full_rows_all_stored(ds, frame, stored) is True


def test_kelurahan_names_kept_for_the_upload_match_the_full_list(sample_snapshot):
    stored = sample_snapshot.frames
    code = stored["wilayah"]["kode_kelurahan"].iloc[0]
    renamed = stored["wilayah"].iloc[[0]].assign(kelurahan="Nama Baru")  # the upload's name wins
    uploaded = {"wilayah": renamed}
    places = pd.Series([code, "Kel. Tidak Ada"], dtype="str")
    full = _merged_wilayah(stored, uploaded).set_index("kode_kelurahan")["kelurahan"]
    kept = _merged_wilayah(stored, uploaded, places).set_index("kode_kelurahan")["kelurahan"]
    assert kept.to_dict() == {code: "Nama Baru"} == {code: full[code]}


def test_some_columns_of_a_stored_and_a_new_row_still_need_the_required_columns(sample_store):
    rows = [["id_koperasi", "jumlah_anggota"], ["KKMP-6471011001", "30"], ["KOP-BARU", "30"]]
    plan = prepare_upload([("anggota.csv", csv_bytes(rows))], sample_store)
    assert "kolom_hilang" in codes(plan)  # one row not stored: the missing columns are not kept values


def test_member_jumps_are_found_among_only_the_upload_s_stored_cooperatives(sample_store):
    rows = [["id_koperasi", "jumlah_anggota"], ["KKMP-6471011001", "400"], ["KOP-BARU", "400"]]
    rows.append(["KKMP-6471011001", "400"])  # the same stored cooperative twice: both rows are compared
    plan = prepare_upload([("anggota.csv", csv_bytes(rows))], sample_store, today=TODAY)
    assert sorted(i.row for i in plan.report.to_confirm if i.code == "anggota_berubah") == [2, 4]
