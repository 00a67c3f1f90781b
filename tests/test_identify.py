"""Finding rows by names (kkmp.identify): the narrowed lookups give what the full table gives."""

from __future__ import annotations

import pandas as pd

from kkmp.i18n import load_texts
from kkmp.identify import candidates, id_skeleton, id_skeletons, identify_rows, similar_ids
from kkmp.ingest import choice_labels, read_upload
from kkmp.parse import parse_choice
from kkmp.schema import get_dataset


def _rat_upload(snapshot, rows: list[dict]) -> list:
    data = pd.DataFrame(rows).to_csv(index=False).encode()
    return read_upload([("rat.csv", data)], snapshot.frames["wilayah"]).sheets


def _found(snapshot, sheets: list) -> list:
    stored = snapshot.frames
    uploaded = {s.dataset: s.frame for s in sheets}
    names = dict(zip(stored["wilayah"]["kode_kelurahan"], stored["wilayah"]["kelurahan"], strict=True))
    return identify_rows(sheets, stored, uploaded, names) + similar_ids(sheets, stored, uploaded)


def test_narrowed_candidates_are_the_full_table_filtered(sample_snapshot) -> None:
    stored = sample_snapshot.frames
    kop = stored["koperasi"]
    ids, places = {kop["id_koperasi"].iloc[0]}, {kop["kode_kelurahan"].iloc[-1]}
    full = candidates("rat", stored, {})
    wanted = full[full["id"].isin(ids) | full["kode_kelurahan"].isin(places)].reset_index(drop=True)
    pd.testing.assert_frame_equal(candidates("rat", stored, {}, ids=ids, places=places), wanted)


def test_narrowed_build_candidates_are_the_full_table_filtered(sample_snapshot) -> None:
    stored = sample_snapshot.frames
    full = candidates("progres", stored, {})
    ids, places = {full["id"].iloc[0]}, {full["kode_kelurahan"].iloc[-1]}
    wanted = full[full["id"].isin(ids) | full["kode_kelurahan"].isin(places)].reset_index(drop=True)
    pd.testing.assert_frame_equal(candidates("progres", stored, {}, ids=ids, places=places), wanted)


def test_names_instead_of_codes_find_the_id(sample_snapshot) -> None:
    kop = sample_snapshot.frames["koperasi"].iloc[0]
    kelurahan = sample_snapshot.frames["wilayah"].set_index("kode_kelurahan").loc[kop["kode_kelurahan"], "kelurahan"]
    sheets = _rat_upload(
        sample_snapshot, [{"nama_koperasi": kop["nama_koperasi"], "kelurahan": kelurahan, "tahun_buku": 2025}]
    )
    assert _found(sample_snapshot, sheets) == []
    assert sheets[0].frame["id_koperasi"].tolist() == [kop["id_koperasi"]]


def test_a_name_alone_finds_the_id(sample_snapshot) -> None:
    kop = sample_snapshot.frames["koperasi"].iloc[1]
    written = kop["nama_koperasi"].replace("Koperasi Kelurahan Merah Putih", "KKMP").upper()
    sheets = _rat_upload(sample_snapshot, [{"nama_koperasi": written, "tahun_buku": 2025}])
    assert _found(sample_snapshot, sheets) == []
    assert sheets[0].frame["id_koperasi"].tolist() == [kop["id_koperasi"]]


def test_a_misspelt_id_names_the_stored_one(sample_snapshot) -> None:
    stored_id = sample_snapshot.frames["koperasi"]["id_koperasi"].iloc[0]
    sheets = _rat_upload(sample_snapshot, [{"id_koperasi": " " + stored_id.lower() + " ", "tahun_buku": 2025}])
    issues = _found(sample_snapshot, sheets)
    assert [(i.code, i.params) for i in issues] == [("id_mirip", {"ada": stored_id})]


def test_an_unknown_id_is_not_called_similar(sample_snapshot) -> None:
    sheets = _rat_upload(sample_snapshot, [{"id_koperasi": "KOP-TIDAK-ADA-999", "tahun_buku": 2025}])
    assert _found(sample_snapshot, sheets) == []


def test_a_name_not_in_its_kelurahan_is_not_found(sample_snapshot) -> None:
    code = sample_snapshot.frames["koperasi"]["kode_kelurahan"].iloc[0]
    row = {"kode_kelurahan": code, "nama_koperasi": "Koperasi Yang Tidak Ada", "tahun_buku": 2025}
    issues = _found(sample_snapshot, _rat_upload(sample_snapshot, [row]))
    assert [i.code for i in issues] == ["id_koperasi_tidak_ditemukan"]


def test_a_code_and_a_name_that_disagree_are_refused(sample_snapshot) -> None:
    kop = sample_snapshot.frames["koperasi"]
    first, other = kop.iloc[0], kop[kop["kode_kelurahan"] != kop["kode_kelurahan"].iloc[0]].iloc[0]
    row = {"id_koperasi": first["id_koperasi"], "kode_kelurahan": other["kode_kelurahan"], "tahun_buku": 2025}
    issues = _found(sample_snapshot, _rat_upload(sample_snapshot, [row]))
    assert [i.code for i in issues] == ["baris_tidak_cocok"]
    assert issues[0].params["milik"].startswith(f"{first['id_koperasi']} ({first['nama_koperasi']}, ")


def test_id_skeletons_match_id_skeleton_one_by_one() -> None:
    ids = pd.Series(
        ["KOP-01", " Kop 0l\t", "Коp-01", "kop\u200b01", "a\x1cb", "ÀbC", "x\u00a0y", "ﬁ"], index=range(3, 11)
    )
    assert id_skeletons(ids).tolist() == [id_skeleton(v) for v in ids]


def test_choice_labels_are_every_text_of_each_code() -> None:
    prefix = "nilai.status."
    scanned = {k[len(prefix) :]: list(e.values()) for k, e in load_texts().items() if k.startswith(prefix)}
    assert choice_labels("status") == scanned
    assert choice_labels("status")["tidak_aktif"] == ["Tidak aktif", "Inactive"]


def test_choice_labels_in_indonesian_and_english_read_as_the_code() -> None:
    allowed = get_dataset("koperasi").column("status").allowed
    labels = choice_labels("status")
    assert parse_choice("Tidak Aktif", allowed, labels).value == "tidak_aktif"
    assert parse_choice("inactive", allowed, labels).value == "tidak_aktif"


def test_choice_labels_are_a_fresh_copy() -> None:
    choice_labels("status")["aktif"].append("changed")
    assert "changed" not in choice_labels("status")["aktif"]
