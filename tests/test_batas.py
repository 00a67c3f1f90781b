"""Boundary files: reading, matching on code then name, reporting what did not match, saving."""

import json

import pytest

from kkmp.access import Editor
from kkmp.batas import (
    BoundaryFileError,
    load_boundary_file,
    match_boundaries,
    normalize_kode,
    normalize_name,
    read_geojson,
    save_boundaries,
)
from kkmp.cli import main
from kkmp.metrics import restrict_to_kelurahan
from tests.conftest import FIXTURES, square_boundaries

FIXTURE = FIXTURES / "batas-contoh.geojson"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Manggar Baru", "manggarbaru"),
        ("  MANGGAR   baru ", "manggarbaru"),
        ("Kel. Manggar Baru", "manggarbaru"),
        ("Kel Manggar Baru", "manggarbaru"),
        ("Kelurahan Manggar Baru", "manggarbaru"),
        ("Desa Manggar Baru", "manggarbaru"),
        ("Sungainangka", "sungainangka"),
        ("Sungai Nangka", "sungainangka"),
        ("Kelapa Gading", "kelapagading"),
        (None, ""),
    ],
)
def test_normalize_name(raw, expected):
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("64.71.01.1001", "64.71.01.1001"), ("6471011001", "64.71.01.1001"), (6471011001, "64.71.01.1001"), (None, None)],
)
def test_normalize_kode(raw, expected):
    assert normalize_kode(raw) == expected


def test_shared_file_matches_all_34_by_code(shared_boundaries, sample_snapshot):
    match = load_boundary_file(shared_boundaries, sample_snapshot["wilayah"])
    assert (match.matched, match.by_code, match.by_name, match.issues) == (34, 34, [], [])
    assert match.missing.empty
    kinds = {json.loads(g)["type"] for g in match.frame["geometri"]}
    assert kinds == {"Polygon", "MultiPolygon"}


@pytest.fixture
def fixture_match(sample_snapshot):
    return load_boundary_file(FIXTURE, sample_snapshot["wilayah"])


def test_fixture_matches_by_code_and_tolerant_name(fixture_match):
    assert fixture_match.features == 8
    assert fixture_match.by_code == 2
    assert sorted(kode for _, _, kode in fixture_match.by_name) == ["64.71.01.1003", "64.71.01.1004", "64.71.03.1006"]
    assert set(fixture_match.frame["kode_kelurahan"]) == {
        "64.71.01.1001",
        "64.71.01.1002",
        "64.71.01.1003",
        "64.71.01.1004",
        "64.71.03.1006",
    }


@pytest.mark.parametrize(
    ("feature", "code"),
    [(5, "tidak_cocok"), (6, "ganda"), (7, "geometri")],
)
def test_fixture_reports_what_it_could_not_use(fixture_match, feature, code):
    issues = {i.feature: i for i in fixture_match.issues}
    assert issues[feature].code == code
    assert issues[feature].message("id") and issues[feature].message("en")


def test_unmatched_name_is_reported_with_its_name(fixture_match):
    table = fixture_match.issues_frame("en")
    row = table[table["fitur"] == 5].iloc[0]
    assert row["nama"] == "Antah Berantah" and "not in the region list" in row["alasan"]


def test_kelurahan_without_boundary_are_listed(fixture_match):
    assert len(fixture_match.missing) == 34 - 5


def test_open_ring_is_closed(fixture_match):
    row = fixture_match.frame[fixture_match.frame["kode_kelurahan"] == "64.71.03.1006"].iloc[0]
    ring = json.loads(row["geometri"])["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 5


def test_duplicate_name_needs_kecamatan(sample_snapshot):
    wilayah = sample_snapshot["wilayah"].copy()
    twin = wilayah.iloc[[0]].assign(kode_kelurahan="64.71.02.9999", kecamatan="Balikpapan Selatan")
    wilayah = __import__("pandas").concat([wilayah, twin], ignore_index=True)
    square = [[[116.9, -1.2], [116.91, -1.2], [116.91, -1.19], [116.9, -1.2]]]
    bare = {
        "type": "Feature",
        "properties": {"kelurahan": "Manggar"},
        "geometry": {"type": "Polygon", "coordinates": square},
    }
    with_kec = {**bare, "properties": {"kelurahan": "Manggar", "kecamatan": "Kec. Balikpapan Selatan"}}
    match = match_boundaries({"type": "FeatureCollection", "features": [bare, with_kec]}, wilayah)
    assert [i.code for i in match.issues] == ["nama_ganda"]
    assert list(match.frame["kode_kelurahan"]) == ["64.71.02.9999"]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (b"not json", "bukan_json"),
        (b'{"type": "Polygon", "coordinates": []}', "bukan_featurecollection"),
        (b'{"type": "FeatureCollection", "features": []}', "kosong"),
        (
            b'{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:32750"}},'
            b' "features": [{"type": "Feature", "properties": {}, "geometry": null}]}',
            "crs",
        ),
    ],
)
def test_unreadable_files_raise_a_named_error(payload, code):
    with pytest.raises(BoundaryFileError) as err:
        read_geojson(payload)
    assert err.value.code == code
    assert (
        "GeoJSON" in err.value.message("en")
        or "WGS 84" in err.value.message("en")
        or "features" in err.value.message("en")
    )


def test_projected_coordinates_are_reported_per_feature(sample_snapshot):
    feature = {
        "type": "Feature",
        "properties": {"kode": "64.71.01.1001"},
        "geometry": {"type": "Polygon", "coordinates": [[[500000, 9860000], [500100, 9860000], [500100, 9860100]]]},
    }
    match = match_boundaries({"type": "FeatureCollection", "features": [feature]}, sample_snapshot["wilayah"])
    assert not match.ok and match.issues[0].code == "geometri"


def test_save_writes_a_revision_and_filter_keeps_it(sample_store):
    wilayah = sample_store.read("wilayah")
    match = match_boundaries(square_boundaries(wilayah), wilayah)
    result = save_boundaries(
        sample_store, match, wilayah, editor=Editor("tes"), nama_file="kotak.geojson", sumber="tes"
    )
    assert result.revision == 3
    snap = sample_store.snapshot()
    assert len(snap["batas_wilayah"]) == 34
    assert snap.meta["batas_wilayah"].sumber == "tes"
    timur = snap["wilayah"][snap["wilayah"]["kecamatan"] == "Balikpapan Timur"]["kode_kelurahan"]
    assert len(restrict_to_kelurahan(snap, timur)["batas_wilayah"]) == 4
    again = save_boundaries(sample_store, match, wilayah, editor=Editor("tes"))
    assert again.revision is None


def test_save_refuses_when_nothing_matched(sample_store):
    wilayah = sample_store.read("wilayah")
    match = match_boundaries({"type": "FeatureCollection", "features": []}, wilayah)
    with pytest.raises(BoundaryFileError):
        save_boundaries(sample_store, match, wilayah, editor=Editor("tes"))


def test_cli_dry_run_writes_nothing(capsys, sample_store):
    code = main(["--db", sample_store.url, "batas", str(FIXTURE), "--dry-run"])
    out, err = capsys.readouterr()
    assert code == 0 and "5 dari 8 fitur cocok" in out
    assert "Antah Berantah" in err and "tanpa batas" in err
    assert sample_store.latest_revision() == 2


def test_cli_saves_and_reports(capsys, sample_store, tmp_path):
    code = main(["--db", sample_store.url, "batas", str(FIXTURE), "--sumber", "uji"])
    out, _ = capsys.readouterr()
    assert code == 0 and "revisi 3" in out
    saved = sample_store.read("batas_wilayah").set_index("kode_kelurahan")["geometri"]
    matched = load_boundary_file(FIXTURE, sample_store.read("wilayah")).frame.set_index("kode_kelurahan")["geometri"]
    assert len(matched) == 5 and (saved[matched.index] == matched).all()  # upserted over the shipped ones
    assert len(saved) == 34
    bad = tmp_path / "rusak.geojson"
    bad.write_text("{", encoding="utf-8")
    assert main(["--db", sample_store.url, "batas", str(bad)]) == 1
    assert "GeoJSON" in capsys.readouterr().err
