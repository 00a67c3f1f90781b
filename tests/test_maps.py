"""The kelurahan map: one feature per kelurahan, colours per status, filters, boundaries, offline, scale."""

import json

import numpy as np
import pandas as pd
import pydeck as pdk
import pytest

from kkmp.batas import iter_positions, match_boundaries
from kkmp.maps import (
    INDICATORS,
    LAYER_POINTS,
    LAYER_POLYGONS,
    MAP_VIEWPORTS,
    NO_DATA,
    VIEW_MARGIN,
    ViewFit,
    _pixel,
    _segments,
    build_deck,
    build_map_data,
    build_map_deck,
    choose_level,
    declutter_labels,
    fit_view,
    label_point,
    selected_kode,
)
from kkmp.maps import (
    _inside as inside_rings,
)
from kkmp.metrics import restrict_to_kelurahan
from kkmp.palette import STATUS_FISIK_COLORS, hex_to_rgb
from tests.conftest import square_boundaries

BUILDING = {"Graha Indah", "Sepinggan Baru", "Manggar"}


def deck_json(deck: pdk.Deck) -> dict:
    return json.loads(deck.to_json())


def layer(spec: dict, layer_id: str) -> dict:
    return next(item for item in spec["layers"] if item["id"] == layer_id)


@pytest.fixture(scope="session")
def sample_snapshot(sample_snapshot):
    """The sample without the boundaries `init --sample` ships: the point map these tests were written for."""
    return sample_snapshot.with_frames({"batas_wilayah": sample_snapshot["batas_wilayah"].iloc[0:0]})


def test_shipped_sample_is_a_choropleth_with_names_inside_their_polygons(sample_store):
    shipped = sample_store.snapshot()
    data = build_map_data(shipped, "status_fisik")
    assert len(data.polygons) == 34 and not data.points
    shapes = {f["properties"]["kelurahan"]: f["geometry"] for f in data.polygons}
    for item in data.all_labels:
        point = np.asarray([item["position"]])
        assert inside_rings(point, _segments(shapes[item["text"]]))[0], item["text"]


def test_label_point_is_deep_inside_a_concave_shape():
    # An L: its box's centre (1.5, 1.5) lies outside; the name must go into one of the arms.
    ring = [[0, 0], [3, 0], [3, 1], [1, 1], [1, 3], [0, 3], [0, 0]]
    x, y = label_point({"type": "Polygon", "coordinates": [ring]})
    assert (x < 1 or y < 1) and 0 < x < 3 and 0 < y < 3


def with_boundaries(snapshot, codes=None):
    wilayah = snapshot["wilayah"]
    if codes is not None:
        wilayah = wilayah[wilayah["kode_kelurahan"].isin(codes)]
    match = match_boundaries(square_boundaries(wilayah), snapshot["wilayah"])
    return snapshot.with_frames({"batas_wilayah": match.frame})


def test_sample_has_one_point_per_kelurahan(sample_snapshot):
    data = build_map_data(sample_snapshot, "status_fisik")
    assert data.level == "kelurahan" and not data.polygons
    assert len(data.points) == 34
    assert len({p["kode_kelurahan"] for p in data.points}) == 34
    spec = deck_json(build_deck(data))
    assert len(layer(spec, LAYER_POINTS)["data"]) == 34


@pytest.mark.parametrize("status", ["usulan", "pembangunan"])
def test_colour_follows_status(sample_snapshot, status):
    data = build_map_data(sample_snapshot, "status_fisik")
    features = [p for p in data.points if p["kategori"] == status]
    assert features
    assert all(p["fill"][:3] == hex_to_rgb(STATUS_FISIK_COLORS[status]) for p in features)


def test_three_in_construction_stand_out(sample_snapshot):
    data = build_map_data(sample_snapshot, "status_fisik")
    assert {p["kelurahan"] for p in data.points if p["kategori"] == "pembangunan"} == BUILDING
    assert [p["kategori"] for p in data.points][-3:] == ["pembangunan"] * 3  # drawn last, on top
    counts = {i.code: i.count for i in data.legend}
    assert counts == {"usulan": 31, "pembangunan": 3, "selesai": 0}


def test_legend_is_data_for_slides(sample_snapshot):
    data = build_map_data(sample_snapshot, "status_fisik", "en")
    assert data.legend_pairs() == [
        ("Proposed", STATUS_FISIK_COLORS["usulan"]),
        ("Under construction", STATUS_FISIK_COLORS["pembangunan"]),
        ("Completed", STATUS_FISIK_COLORS["selesai"]),
    ]


@pytest.mark.parametrize("indicator", list(INDICATORS))
def test_every_indicator_colours_all_34(sample_snapshot, indicator):
    data = build_map_data(sample_snapshot, indicator, "en")
    assert len(data.points) == 34
    assert sum(i.count for i in data.legend) == 34
    assert len({i.color for i in data.legend}) == len(data.legend)


def test_usaha_berjalan_counts_seven(sample_snapshot):
    data = build_map_data(sample_snapshot, "usaha_berjalan")
    assert {i.code: i.count for i in data.legend}["berjalan"] == 7


def test_kelurahan_without_kkmp_is_marked_no_data(sample_snapshot):
    kop = sample_snapshot["koperasi"]
    snap = sample_snapshot.with_frames({"koperasi": kop[kop["kode_kelurahan"] != "64.71.01.1001"]})
    data = build_map_data(snap, "status_fisik", "en")
    manggar = next(p for p in data.points if p["kode_kelurahan"] == "64.71.01.1001")
    assert manggar["kategori"] == NO_DATA and "No KKMP data" in manggar["tooltip"]
    assert data.legend[-1].code == NO_DATA and data.legend[-1].count == 1


def test_filter_reduces_features_and_fits_the_area(sample_snapshot):
    wilayah = sample_snapshot["wilayah"]
    timur = wilayah[wilayah["kecamatan"] == "Balikpapan Timur"]
    city = build_map_data(sample_snapshot, "status_fisik")
    data = build_map_data(restrict_to_kelurahan(sample_snapshot, timur["kode_kelurahan"]), "status_fisik")
    assert len(data.points) == 4
    assert timur["lat"].min() <= data.view.latitude <= timur["lat"].max()
    assert timur["lon"].min() <= data.view.longitude <= timur["lon"].max()
    assert data.view.zoom > city.view.zoom


def test_boundaries_give_one_polygon_per_kelurahan(sample_snapshot):
    data = build_map_data(with_boundaries(sample_snapshot), "status_fisik")
    assert (len(data.polygons), len(data.points)) == (34, 0)
    spec = deck_json(build_deck(data))
    polygons = layer(spec, LAYER_POLYGONS)
    assert polygons["@@type"] == "GeoJsonLayer" and len(polygons["data"]) == 34
    assert polygons["filled"] and polygons["stroked"]


def test_shared_boundaries_give_34_polygons(shared_boundaries, sample_snapshot):
    from kkmp.batas import load_boundary_file

    match = load_boundary_file(shared_boundaries, sample_snapshot["wilayah"])
    data = build_map_data(sample_snapshot.with_frames({"batas_wilayah": match.frame}), "status_fisik")
    assert len(data.polygons) == 34 and not data.points
    kinds = {f["geometry"]["type"] for f in data.polygons}
    assert kinds == {"Polygon", "MultiPolygon"}


def test_partial_boundaries_draw_the_rest_as_points(sample_snapshot):
    codes = sample_snapshot["wilayah"]["kode_kelurahan"].head(10)
    data = build_map_data(with_boundaries(sample_snapshot, codes), "status_fisik")
    assert (len(data.polygons), len(data.points)) == (10, 24)


def test_tooltip_is_plain_text_and_keeps_names_verbatim(sample_snapshot):
    evil = "<img src=x onerror=alert(1)>"
    kop = sample_snapshot["koperasi"].copy()
    kop.loc[kop["id_koperasi"] == "KKMP-6471011001", "nama_koperasi"] = evil
    data = build_map_data(sample_snapshot.with_frames({"koperasi": kop}), "status_fisik")
    deck = build_deck(data)
    # deck.gl shows a "text" tooltip with innerText: the name is displayed as text, never parsed.
    assert set(deck._tooltip) == {"text", "style"} and deck._tooltip["text"] == "{tooltip}"
    manggar = next(p for p in data.points if p["kode_kelurahan"] == "64.71.01.1001")
    assert evil in manggar["tooltip"] and "&lt;" not in manggar["tooltip"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_tooltip_names_kelurahan_kecamatan_cooperative_stage_members_date(sample_snapshot, lang):
    data = build_map_data(sample_snapshot, "status_fisik", lang)
    text = next(p for p in data.points if p["kode_kelurahan"] == "64.71.01.1001")["tooltip"]
    for part in ("Manggar", "Balikpapan Timur", "Koperasi Kelurahan Merah Putih Manggar", "18"):
        assert part in text
    assert ("Posisi per 21 Oktober 2025" if lang == "id" else "As of 21 October 2025") in text
    assert ("Pembangunan fisik" if lang == "id" else "Physical build") in text


def test_offline_deck_has_no_basemap_and_no_url(sample_snapshot):
    spec = deck.to_json() if (deck := build_map_deck(sample_snapshot, "status_fisik")) else ""
    parsed = json.loads(spec)
    # "__MAP_STYLE__" is what Streamlit reads as "no basemap"; an absent mapStyle would load CARTO tiles.
    assert parsed["mapStyle"] == "__MAP_STYLE__" and "mapProvider" not in parsed
    assert "http" not in spec


def test_online_basemap_is_opt_in(sample_snapshot):
    parsed = deck_json(build_map_deck(sample_snapshot, "status_fisik", basemap_online=True))
    assert parsed["mapProvider"] == "carto" and parsed["mapStyle"].startswith("https://")


def test_selected_kelurahan_gets_an_outline(sample_snapshot):
    spec = deck_json(build_map_deck(sample_snapshot, "status_fisik", selected="64.71.01.1001"))
    outline = layer(spec, "pilihan")
    assert [p["kode_kelurahan"] for p in outline["data"]] == ["64.71.01.1001"]


def test_labels_name_kelurahan_without_overlap(sample_snapshot):
    data = build_map_data(sample_snapshot, "status_fisik")
    names = {label["text"] for label in data.labels}
    assert names >= BUILDING and names <= {p["kelurahan"] for p in data.points}
    spec = deck_json(build_deck(data))
    assert layer(spec, "label")["@@type"] == "TextLayer"


def test_declutter_keeps_the_most_important_of_two_overlapping_labels():
    view = ViewFit(-1.2, 116.9, 12)
    labels = [
        {"position": [116.9, -1.2], "text": "Biasa", "rank": [1, 0], "offset": [0, 0]},
        {"position": [116.9001, -1.2], "text": "Penting", "rank": [2, 0], "offset": [0, 0]},
        {"position": [116.99, -1.2], "text": "Jauh", "rank": [1, 0], "offset": [0, 0]},
    ]
    assert [x["text"] for x in declutter_labels(labels, view)] == ["Penting", "Jauh"]


def test_fit_view_contains_the_bounds():
    view = fit_view((116.8, -1.3, 117.0, -1.1))
    assert (view.latitude, view.longitude) == pytest.approx((-1.2, 116.9), abs=1e-3)
    assert 10 < view.zoom < 12
    assert fit_view(None).zoom < 6


FIT_BOUNDS = {
    "balikpapan": (116.78, -1.33, 117.10, -0.94),
    "lebar": (114.0, -3.0, 118.0, -2.0),  # wider than tall: the phone's narrow width decides
    "tinggi": (116.9, -2.0, 117.0, 1.5),  # taller than wide, across the equator
    "kecamatan": (116.83, -1.27, 116.88, -1.24),
    "jauh_selatan": (140.0, -9.0, 141.0, -8.0),
}


def _corners_px(bounds, view) -> list[tuple[float, float]]:
    """The corners of `bounds` in screen pixels from the map's centre at `view`."""
    cx, cy = _pixel(view.longitude, view.latitude, view.zoom)
    lons, lats = (bounds[0], bounds[2]), (bounds[1], bounds[3])
    return [(x - cx, y - cy) for x, y in (_pixel(lon, lat, view.zoom) for lon in lons for lat in lats)]


def _inside(corners, width, height, share=1.0) -> bool:
    return all(abs(x) <= share * width / 2 + 0.01 and abs(y) <= share * height / 2 + 0.01 for x, y in corners)


@pytest.mark.parametrize("viewport", list(MAP_VIEWPORTS), ids=str)
@pytest.mark.parametrize("bounds", list(FIT_BOUNDS), ids=str)
def test_opening_view_shows_the_bounds_on_every_viewport(bounds, viewport):
    width, height = MAP_VIEWPORTS[viewport]
    view = fit_view(FIT_BOUNDS[bounds])
    assert _inside(_corners_px(FIT_BOUNDS[bounds], view), width, height, VIEW_MARGIN)


@pytest.mark.parametrize("bounds", list(FIT_BOUNDS), ids=str)
def test_opening_view_is_as_close_as_the_narrowest_map_allows(bounds):
    view = fit_view(FIT_BOUNDS[bounds])
    closer = ViewFit(view.latitude, view.longitude, view.zoom + 0.05)
    corners = _corners_px(FIT_BOUNDS[bounds], closer)
    assert not all(_inside(corners, w, h, VIEW_MARGIN) for w, h in MAP_VIEWPORTS.values())


@pytest.mark.parametrize("bounds", list(FIT_BOUNDS), ids=str)
def test_opening_view_is_centred_on_the_bounds(bounds):
    corners = _corners_px(FIT_BOUNDS[bounds], fit_view(FIT_BOUNDS[bounds]))
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    assert (min(xs) + max(xs), min(ys) + max(ys)) == pytest.approx((0, 0), abs=0.5)


@pytest.mark.parametrize(
    ("bounds", "decides"), [("lebar", "phone"), ("balikpapan", "phone"), ("tinggi", None)], ids=str
)
def test_the_narrowest_map_decides_the_zoom(bounds, decides):
    alone = {name: fit_view(FIT_BOUNDS[bounds], [size]).zoom for name, size in MAP_VIEWPORTS.items()}
    zoom = fit_view(FIT_BOUNDS[bounds]).zoom
    assert zoom == min(alone.values())
    if decides:
        assert alone[decides] < max(alone.values())
    else:  # so tall that the common height decides: every map opens alike
        assert len(set(alone.values())) == 1


def test_real_boundaries_fit_desktop_and_phone(shared_boundaries, sample_snapshot):
    from kkmp.batas import load_boundary_file

    match = load_boundary_file(shared_boundaries, sample_snapshot["wilayah"])
    data = build_map_data(sample_snapshot.with_frames({"batas_wilayah": match.frame}), "status_fisik")
    assert len(data.polygons) == 34
    cx, cy = _pixel(data.view.longitude, data.view.latitude, data.view.zoom)
    for width, height in MAP_VIEWPORTS.values():
        for feature in data.polygons:
            for lon, lat in iter_positions(feature["geometry"]):
                x, y = _pixel(lon, lat, data.view.zoom)
                assert abs(x - cx) <= width / 2 and abs(y - cy) <= height / 2, (
                    feature["properties"]["kelurahan"],
                    width,
                )


def synthetic_region(n_kecamatan: int, per_kecamatan: int) -> pd.DataFrame:
    rows = []
    for k in range(n_kecamatan):
        for i in range(per_kecamatan):
            rows.append(
                {
                    "kode_kelurahan": f"99.{1 + k // 50:02d}.{k % 50:02d}.{1000 + i}",
                    "provinsi": "Provinsi Uji",
                    "kabupaten_kota": f"Kab {k // 50}",
                    "kecamatan": f"Kec {k}",
                    "kelurahan": f"Desa {k}-{i}",
                    "lat": -1.0 - k * 0.01,
                    "lon": 116.0 + i * 0.001,
                }
            )
    return pd.DataFrame(rows)


def test_large_region_is_aggregated_by_kecamatan(sample_snapshot):
    wilayah = synthetic_region(60, 50)  # 3,000 desa
    snap = sample_snapshot.with_frames({"wilayah": wilayah})
    data = build_map_data(snap, "status_fisik")
    assert data.level == "kecamatan" and data.kelurahan_total == 3000
    assert len(data.points) == 60 and not data.polygons
    assert all(p["kode_kelurahan"] is None for p in data.points)


def test_very_large_region_is_aggregated_by_kabupaten(sample_snapshot):
    wilayah = synthetic_region(120, 5)
    assert choose_level(wilayah, max_features=100) == "kabupaten_kota"
    data = build_map_data(sample_snapshot.with_frames({"wilayah": wilayah}), "anggota", max_features=100)
    assert data.level == "kabupaten_kota" and len(data.points) == 3


def test_aggregated_share_colours_the_area(sample_snapshot):
    data = build_map_data(sample_snapshot, "status_fisik", "en", max_features=10)
    assert data.level == "kecamatan" and len(data.points) == 6
    timur = next(p for p in data.points if p["wilayah"] == "Balikpapan Timur")
    assert "Share: 25.0%" in timur["tooltip"]  # 1 of 4 under construction
    assert sum(i.count for i in data.legend) == 6


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ({"selection": {"objects": {LAYER_POINTS: [{"kode_kelurahan": "64.71.01.1001"}]}}}, "64.71.01.1001"),
        (
            {"selection": {"objects": {LAYER_POLYGONS: [{"properties": {"kode_kelurahan": "64.71.03.1006"}}]}}},
            "64.71.03.1006",
        ),
        ({"selection": {"indices": {}, "objects": {}}}, None),
        (None, None),
    ],
)
def test_selected_kode_reads_streamlit_selection(selection, expected):
    assert selected_kode(selection) == expected
