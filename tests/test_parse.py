"""The cell parsers: Indonesian numbers and dates, ya/tidak, coded values, kelurahan names."""

import datetime as dt

import pytest

from kkmp.parse import (
    CellError,
    clean_text,
    kelurahan_key,
    normalize_header,
    parse_bool,
    parse_choice,
    parse_choice_list,
    parse_date,
    parse_int,
    parse_kelurahan,
    parse_number,
    parse_text,
)

WILAYAH = (
    ("64.71.01.1001", "Manggar"),
    ("64.71.01.1004", "Manggar Baru"),
    ("64.71.02.1005", "Marga Sari"),
    ("64.71.05.1003", "Mekar Sari"),
    ("64.71.06.1001", "Sungai Nangka"),
    ("64.71.06.1002", "Graha Indah"),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nama Kelurahan", "namakelurahan"),
        ("KEL.", "kel"),
        ("Tgl RAT", "tglrat"),
        ("tanggal_rat", "tanggalrat"),
        ("Realisasi (%)", "realisasi"),
        ("  Modal Sendiri [Rp] ", "modalsendiri"),
        ("(%)", ""),
    ],
)
def test_normalize_header(text, expected):
    assert normalize_header(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.500.000", 1_500_000.0),
        ("45,5", 45.5),
        ("Rp 1.658.000.000", 1_658_000_000.0),
        ("Rp1.500.000,-", 1_500_000.0),
        ("12,5 %", 12.5),
        ("1.500.000,75", 1_500_000.75),
        ("1,500,000.75", 1_500_000.75),
        ("-2,25", -2.25),
        ("(1.000.000)", -1_000_000.0),
        (" 7 ", 7.0),
        ("116.844", 116.844),
        (45.5, 45.5),
        (3, 3.0),
    ],
)
def test_parse_number(value, expected):
    assert parse_number(value).value == pytest.approx(expected)


@pytest.mark.parametrize("value", ["", "-", "  ", None, "N/A", float("nan")])
def test_empty_cells_are_none(value):
    assert parse_number(value).value is None
    assert parse_date(value).value is None
    assert parse_bool(value).value is None


@pytest.mark.parametrize("value", ["abc", "1.2.3,4,5", "12a", True, "1..5", "Rp"])
def test_parse_number_rejects(value):
    with pytest.raises(CellError) as err:
        parse_number(value)
    assert err.value.code == "bukan_angka"


def test_dot_thousands_only_where_asked_and_reported():
    assert parse_number("12.500").value == pytest.approx(12.5)
    parsed = parse_number("12.500", dot_thousands=True)
    assert parsed.value == 12500 and parsed.correction == "titik_ribuan"


@pytest.mark.parametrize(("value", "expected"), [("1.500", 1500), ("18,0", 18), (57.0, 57), ("2.024", 2024)])
def test_parse_int(value, expected):
    parsed = parse_int(value)
    assert parsed.value == expected and parsed.correction is None


def test_parse_int_rejects_fraction():
    with pytest.raises(CellError) as err:
        parse_int("12,5")
    assert err.value.code == "bukan_bulat"


@pytest.mark.parametrize(
    "value",
    [
        "17/10/2025",
        "17-10-2025",
        "17.10.2025",
        "17 Oktober 2025",
        "17 Okt 2025",
        "17 okt. 2025",
        "17 October 2025",
        "2025-10-17",
        "2025-10-17 00:00:00",
        dt.date(2025, 10, 17),
        dt.datetime(2025, 10, 17, 8, 30),
        " 17/10/2025 ",
    ],
)
def test_parse_date_forms(value):
    assert parse_date(value).value == dt.date(2025, 10, 17)


@pytest.mark.parametrize(
    ("value", "code"), [(45947, "tanggal_serial"), ("45947", "tanggal_serial"), ("17/10/25", "tahun_dua_digit")]
)
def test_parse_date_corrections_are_reported(value, code):
    parsed = parse_date(value)
    assert parsed.value == dt.date(2025, 10, 17) and parsed.correction == code


@pytest.mark.parametrize(
    ("value", "expected"), [("Oktober 2025", dt.date(2025, 10, 1)), ("2025-10", dt.date(2025, 10, 1))]
)
def test_parse_month(value, expected):
    assert parse_date(value).value == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("31/02/2025", "tanggal_tidak_ada"),
        ("10/17/2025", "tanggal_bulan_hari"),
        ("17 Oktobr 2025", "bulan_tidak_dikenal"),
        ("besok", "bukan_tanggal"),
        (12, "bukan_tanggal"),
    ],
)
def test_parse_date_rejects(value, code):
    with pytest.raises(CellError) as err:
        parse_date(value)
    assert err.value.code == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ya", True),
        ("Ya", True),
        ("sudah", True),
        ("TRUE", True),
        (1, True),
        ("✓", True),
        ("tidak", False),
        ("Belum", False),
        ("tdk", False),
        (0, False),
        (False, False),
    ],
)
def test_parse_bool(value, expected):
    assert parse_bool(value).value is expected


def test_parse_bool_rejects():
    with pytest.raises(CellError):
        parse_bool("mungkin")


def test_parse_choice_tolerates_case_spaces_and_labels():
    allowed = ("aktif", "tidak_aktif", "bubar")
    assert parse_choice("aktif", allowed).correction is None
    parsed = parse_choice("Tidak Aktif", allowed)
    assert parsed.value == "tidak_aktif" and parsed.correction == "nilai_disesuaikan"
    assert parse_choice("Inactive", allowed, {"tidak_aktif": ["Inactive"]}).value == "tidak_aktif"


def test_parse_choice_suggests():
    with pytest.raises(CellError) as err:
        parse_choice("aktip", ("aktif", "tidak_aktif"))
    assert err.value.params["saran"] == "aktif"


def test_parse_choice_list():
    parsed = parse_choice_list("Sembako, LPG", ("sembako", "lpg", "apotek"))
    assert parsed.value == "sembako; lpg" and parsed.correction == "nilai_disesuaikan"
    assert parse_choice_list("sembako; lpg", ("sembako", "lpg")).correction is None


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Manggar", "64.71.01.1001"),
        ("64.71.01.1001", "64.71.01.1001"),
        ("Kel. Manggar", "64.71.01.1001"),
        ("KELURAHAN MANGGAR BARU", "64.71.01.1004"),
        ("kel manggar baru", "64.71.01.1004"),
        ("Sungainangka", "64.71.06.1001"),
        ("Mekarsari", "64.71.05.1003"),
        ("Margasari", "64.71.02.1005"),
        ("  graha   indah ", "64.71.06.1002"),
        ("6471011001", "64.71.01.1001"),
    ],
)
def test_parse_kelurahan(value, code):
    assert parse_kelurahan(value, WILAYAH).value == code


def test_exact_kelurahan_name_is_not_a_correction():
    assert parse_kelurahan("Manggar", WILAYAH).correction is None
    assert parse_kelurahan("Sungainangka", WILAYAH).correction == "kelurahan_disesuaikan"


def test_unknown_kelurahan_suggests_closest():
    with pytest.raises(CellError) as err:
        parse_kelurahan("Sungai Nangkaa", WILAYAH)
    assert err.value.code == "kelurahan_tidak_dikenal"
    assert "Sungai Nangka" in err.value.params["saran"]


def test_unknown_code_is_an_error():
    with pytest.raises(CellError) as err:
        parse_kelurahan("64.71.09.9999", WILAYAH)
    assert err.value.code == "kode_kelurahan_tidak_ada"


def test_same_name_in_two_kecamatan_asks_for_the_code():
    with pytest.raises(CellError) as err:
        parse_kelurahan("Damai", (("64.71.03.1001", "Damai"), ("64.71.04.1001", "Damai")))
    assert err.value.code == "kelurahan_ganda"


def test_kelurahan_key_keeps_names_starting_like_a_prefix():
    assert kelurahan_key("Kelapa Dua") == "kelapadua"
    assert kelurahan_key("Kel.Manggar") == "manggar"


@pytest.mark.parametrize(("value", "expected"), [("'=SUM(A1)", "=SUM(A1)"), ("a\u00a0 b", "a b"), ("'abc", "'abc")])
def test_clean_text(value, expected):
    assert clean_text(value) == expected


def test_parse_text_whole_numbers():
    assert parse_text(2024.0).value == "2024"
    assert parse_text(" KOP-1 ").value == "KOP-1"


def test_region_pairs_find_what_a_plain_list_finds():
    from kkmp.parse import RegionPairs

    pairs = RegionPairs(WILAYAH)
    for value in ("Manggar", "6471011001", "64.71.01.1001", "kel. manggar"):
        assert parse_kelurahan(value, pairs) == parse_kelurahan(value, list(WILAYAH))
    assert pairs.codes == {k for k, _ in WILAYAH}
