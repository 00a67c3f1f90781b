"""Validation of frames against the declarations: one behaviour per test."""

import pandas as pd
import pytest

from kkmp.frames import CoercionError, coerce_frame
from kkmp.schema import get_dataset
from kkmp.validate import validate_frame, validate_snapshot

KOP = get_dataset("koperasi")


def _kop(**overrides) -> pd.DataFrame:
    row = {
        "id_koperasi": "K1",
        "nama_koperasi": "Koperasi Uji",
        "kkmp": "ya",
        "kode_kelurahan": "64.71.01.1001",
        "status": "aktif",
        "unit_usaha": "sembako; lpg",
    }
    row.update(overrides)
    return coerce_frame(KOP, pd.DataFrame([row], index=[5]))


def _codes(report):
    return [(i.code, i.row, i.column) for i in report.errors]


def test_valid_row_has_no_issues():
    assert validate_frame(KOP, _kop()).ok


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"status": "hidup"}, ("nilai_tidak_dikenal", 5, "status")),
        ({"nama_koperasi": None}, ("wajib_diisi", 5, "nama_koperasi")),
        ({"kode_kelurahan": "6471011001"}, ("format_salah", 5, "kode_kelurahan")),
        ({"unit_usaha": "sembako; kapal"}, ("nilai_tidak_dikenal", 5, "unit_usaha")),
        ({"jumlah_anggota": -3}, ("terlalu_kecil", 5, "jumlah_anggota")),
    ],
)
def test_each_rule_reports_row_and_column(overrides, expected):
    assert expected in _codes(validate_frame(KOP, _kop(**overrides)))


def test_missing_required_column():
    frame = _kop().drop(columns=["status"])
    assert ("kolom_hilang", None, "status") in _codes(validate_frame(KOP, frame))


def test_duplicate_keys_reported_on_both_rows():
    frame = pd.concat([_kop(), _kop().set_axis([9])])
    assert [(c, r) for c, r, _ in _codes(validate_frame(KOP, frame))] == [("kunci_ganda", 5), ("kunci_ganda", 9)]


def test_reference_to_unknown_kelurahan(sample_snapshot):
    frame = _kop(kode_kelurahan="64.71.09.9999")
    report = validate_frame(KOP, frame, {"wilayah": sample_snapshot["wilayah"]})
    assert ("referensi_tidak_ada", 5, "kode_kelurahan") in _codes(report)


def test_target_before_start_is_an_error():
    ds = get_dataset("pembangunan")
    frame = coerce_frame(
        ds,
        pd.DataFrame(
            [
                {
                    "id_pembangunan": "P",
                    "id_koperasi": "K1",
                    "objek": "gerai",
                    "tanggal_mulai": "2025-10-17",
                    "target_selesai": "2025-10-01",
                }
            ]
        ),
    )
    assert ("target_sebelum_mulai", 0, "target_selesai") in _codes(validate_frame(ds, frame))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_messages_exist_in_both_languages(lang):
    report = validate_frame(KOP, _kop(status="hidup"))
    message = report.errors[0].message(lang)
    assert "hidup" in message and "{" not in message


def test_sample_is_valid(sample_snapshot):
    assert validate_snapshot(dict(sample_snapshot.frames)).ok


def test_coercion_error_names_the_cell():
    with pytest.raises(CoercionError) as info:
        coerce_frame(KOP, pd.DataFrame({"jumlah_anggota": ["12", "dua belas"]}))
    assert (info.value.column, info.value.row, info.value.value) == ("jumlah_anggota", 1, "dua belas")
