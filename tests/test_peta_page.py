"""AppTest of the Peta page: the deck's features, the filter, the drill-down, deep links, boundaries."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from kkmp.access import Editor
from kkmp.auth import hash_password
from kkmp.batas import match_boundaries, save_boundaries
from kkmp.store import CommitInfo
from tests.conftest import FIXTURES, ROOT, square_boundaries
from ui import state

TIMEOUT = 60
PAGE = "pages/peta.py"


def open_peta(lang: str | None = None, kelurahan: str | None = None, editors: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if editors is not None:
        at.secrets["kkmp"] = {"editors": editors}
    if lang:
        at.query_params["lang"] = lang
    if kelurahan:
        at.query_params["kelurahan"] = kelurahan
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def deck(at: AppTest) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def features(at: AppTest) -> list[dict]:
    spec = deck(at)
    out = []
    for item in spec["layers"]:
        if item["id"] in ("kelurahan", "kelurahan_titik"):
            out += item["data"]
    return out


def props(feature: dict) -> dict:
    return feature.get("properties", feature)


def test_map_shows_34_kelurahan_with_three_in_construction(app_env):
    at = open_peta()
    shown = features(at)
    assert len(shown) == 34
    building = {props(f)["kelurahan"] for f in shown if props(f)["kategori"] == "pembangunan"}
    assert building == {"Graha Indah", "Sepinggan Baru", "Manggar"}
    legend = " ".join(m.value for m in at.markdown)
    assert "Pembangunan <b>(3)</b>" in legend and "Usulan <b>(31)</b>" in legend
    assert any("Posisi per 21 Oktober 2025" in c.value for c in at.caption)
    assert deck(at)["mapStyle"] == "__MAP_STYLE__"


def test_kecamatan_filter_reduces_the_map(app_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.sidebar.multiselect(key="filter_kecamatan").select("Balikpapan Timur")
    at.switch_page(PAGE).run()
    assert not at.exception
    assert len(features(at)) == 4
    assert "Balikpapan Timur" in at.title[0].value


@pytest.mark.parametrize("indicator", ["usaha_berjalan", "rat", "anggota", "mitra"])
def test_indicator_switch_recolours(app_env, indicator):
    at = open_peta()
    at.button_group(key="peta_indikator").set_value(indicator).run()
    assert not at.exception
    cats = {props(f)["kategori"] for f in features(at)}
    assert "pembangunan" not in cats and len(features(at)) == 34


def test_select_box_opens_profile_and_sets_deep_link(app_env):
    at = open_peta()
    at.selectbox(key="peta_kelurahan").set_value("64.71.03.1006").run()
    assert not at.exception
    assert at.subheader[0].value == "Profil Kelurahan Graha Indah"
    assert at.query_params["kelurahan"] in ("64.71.03.1006", ["64.71.03.1006"])
    outline = next(item for item in deck(at)["layers"] if item["id"] == "pilihan")
    assert [f["properties"]["kode_kelurahan"] for f in outline["data"]] == ["64.71.03.1006"]  # sample: polygons


@pytest.mark.parametrize("lang", ["id", "en"])
def test_deep_link_opens_profile(app_env, lang):
    at = open_peta(lang, kelurahan="64.71.01.1001")
    assert "Manggar" in at.subheader[0].value
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Anggota" if lang == "id" else "Members"] == "18"
    assert ("Realisasi" if lang == "id" else "Actual") in metrics


def test_unknown_deep_link_is_ignored(app_env):
    at = open_peta(kelurahan="99.99.99.9999")
    assert not at.subheader and len(features(at)) == 34


def test_stored_boundaries_draw_34_polygons(app_env, sample_store):
    wilayah = sample_store.read("wilayah")
    save_boundaries(sample_store, match_boundaries(square_boundaries(wilayah), wilayah), wilayah, editor=Editor("tes"))
    at = open_peta()
    polygons = next(item for item in deck(at)["layers"] if item["id"] == "kelurahan")
    assert polygons["@@type"] == "GeoJsonLayer" and len(polygons["data"]) == 34
    assert not [item for item in deck(at)["layers"] if item["id"] == "kelurahan_titik"]


def test_shared_boundaries_draw_34_polygons(app_env, sample_store, shared_boundaries):
    from kkmp.batas import load_boundary_file

    wilayah = sample_store.read("wilayah")
    save_boundaries(sample_store, load_boundary_file(shared_boundaries, wilayah), wilayah, editor=Editor("tes"))
    at = open_peta()
    polygons = next(item for item in deck(at)["layers"] if item["id"] == "kelurahan")
    assert len(polygons["data"]) == 34


def drop_boundaries(store) -> None:
    """Remove the boundaries `init --sample` loads: the store's map is dots again."""
    empty = store.read("batas_wilayah").iloc[0:0]
    store.commit({"batas_wilayah": empty}, CommitInfo(pengguna="tes"), replace=True)


def test_fresh_sample_draws_34_polygons_without_a_boundary_command(app_env):
    at = open_peta()
    layers = {item["id"]: item for item in deck(at)["layers"]}
    assert len(layers["kelurahan"]["data"]) == 34 and "kelurahan_titik" not in layers
    assert any("cahyadsn/wilayah_boundaries" in c.value for c in at.caption)  # the boundaries' source is shown


def signed_in_peta(lang: str | None = None) -> AppTest:
    """The Peta page with the test editor signed in (the boundary form is for editors only)."""
    at = open_peta(lang, editors={"Budi": hash_password("rahasia", n=2**10)})
    at.text_input(key=state.LOGIN_NAME).input("budi")
    at.text_input(key=state.LOGIN_PASSWORD).input("rahasia")
    return at.button(key=state.LOGIN_SUBMIT).click().run()


def test_upload_reports_and_saves_boundaries(app_env, sample_store):
    drop_boundaries(sample_store)
    at = signed_in_peta()
    at.file_uploader(key="peta_batas_file").set_value(
        ("batas-contoh.geojson", (FIXTURES / "batas-contoh.geojson").read_bytes(), "application/geo+json")
    ).run()
    assert not at.exception
    assert any("5 dari 8 fitur cocok" in w.value for w in at.warning)
    tables = [d.value for d in at.dataframe]
    issues = next(tb for tb in tables if "alasan" in tb.columns)
    assert "Antah Berantah" in set(issues["nama"])
    at.button(key="peta_batas_simpan").click().run()
    assert not at.exception
    assert len(sample_store.read("batas_wilayah")) == 5
    layers = {item["id"]: item for item in deck(at)["layers"]}
    assert len(layers["kelurahan"]["data"]) == 5 and len(layers["kelurahan_titik"]["data"]) == 29


def test_bad_upload_says_what_to_do(app_env):
    at = signed_in_peta("en")
    at.file_uploader(key="peta_batas_file").set_value(("x.geojson", b"not json", "application/json")).run()
    assert not at.exception
    assert "Export it again" in at.error[0].value


def test_names_with_html_stay_text(app_env, sample_store):
    evil = "<img src=x onerror=alert(1)>"
    kop = sample_store.read("koperasi")
    kop.loc[kop["id_koperasi"] == "KKMP-6471011001", "nama_koperasi"] = evil
    sample_store.commit({"koperasi": kop}, CommitInfo(pengguna="tes"))
    at = open_peta(kelurahan="64.71.01.1001")
    tooltip = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)
    assert set(tooltip) == {"text", "style"}  # shown with innerText by deck.gl
    manggar = next(props(f) for f in features(at) if props(f)["kode_kelurahan"] == "64.71.01.1001")
    assert evil in manggar["tooltip"]
    shown = [m.value for m in at.markdown if "onerror" in m.value]
    assert shown and all("\\<img" in v and "\\>" in v for v in shown)  # escaped: rendered as text
