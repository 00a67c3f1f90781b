"""An area-limited editor (issue #14) sees their areas: the sidebar filter pre-selected once at sign-in, the
areas stated on every page, and a template holding only their rows; others get the whole region."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

import ui.unggah
from kkmp.access import Editor, editor_area_names, editor_filter, template_area
from kkmp.auth import hash_password
from kkmp.metrics import restrict_to_kelurahan
from kkmp.template import HEADER_ROW, KELURAHAN_HEADER, build_template_xlsx
from kkmp.wilayah import WilayahFilter
from tests.test_unggah_app import open_page, sign_in
from ui import state
from ui.unggah import template_frames

pytestmark = pytest.mark.usefixtures("fresh_caches")

TIMUR = "64.71.01"  # Kecamatan Balikpapan Timur: Manggar, Lamaru, Teritip, Manggar Baru


@pytest.fixture
def editors() -> dict:
    h = hash_password("rahasia", n=2**10)
    return {"sari": {"hash": h, "wilayah": [TIMUR]}, "budi": h}


def shown(elements) -> list[str]:
    """Markdown texts as read on screen (the escaping backslashes of user text removed)."""
    return [e.value.replace("\\", "") for e in elements]


def kecamatan_filter(at) -> list[str]:
    return list(at.sidebar.multiselect(key=state.FILTER_KECAMATAN).value)


def template_rows(xlsx: bytes, sheet: str) -> pd.DataFrame:
    """The data rows of one sheet of a template, by header."""
    ws = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)[sheet]
    rows = list(ws.iter_rows(min_row=HEADER_ROW, values_only=True))
    return pd.DataFrame([r for r in rows[1:] if any(v is not None for v in r)], columns=rows[0])


# ---- which areas (kkmp) -----------------------------------------------------------------------------


def test_the_filter_for_an_editor_is_the_kecamatan_of_their_prefixes(sample_snapshot):
    wilayah = sample_snapshot["wilayah"]
    assert editor_filter(Editor("sari", (TIMUR,)), wilayah) == WilayahFilter(kecamatan=("Balikpapan Timur",))
    assert editor_filter(Editor("sari", (TIMUR, "64.71.02")), wilayah).kecamatan == (
        "Balikpapan Barat",
        "Balikpapan Timur",
    )
    assert editor_filter(Editor("kota", ("64.71",)), wilayah).is_all  # the whole city: nothing to narrow
    assert editor_filter(Editor("budi"), wilayah).is_all and editor_filter(None, wilayah).is_all
    assert editor_area_names(Editor("sari", (TIMUR, "64.71.01.1001")), wilayah) == [
        "Balikpapan Timur (64.71.01)",
        "Manggar (64.71.01.1001)",
    ]


def test_the_template_area_is_the_sidebar_choice_within_the_editors_areas(sample_snapshot):
    wilayah = sample_snapshot["wilayah"]
    sari = Editor("sari", (TIMUR,))
    timur = tuple(wilayah.loc[wilayah["kecamatan"] == "Balikpapan Timur", "kode_kelurahan"])
    assert len(timur) == 4
    assert template_area(sari, wilayah, None) == timur
    assert template_area(sari, wilayah, ("64.71.01.1001", "64.71.02.1001")) == ("64.71.01.1001",)
    assert template_area(sari, wilayah, ("64.71.02.1001",)) == timur  # viewing elsewhere: still her areas
    assert template_area(Editor("budi"), wilayah, None) is None and template_area(None, wilayah, None) is None


# ---- the pages (AppTest) ----------------------------------------------------------------------------


def test_a_limited_editor_gets_their_kecamatan_pre_selected_once(app_env, editors):
    at = open_page("pages/unggah.py", editors)
    assert kecamatan_filter(at) == []
    at = sign_in(at, name="sari")
    assert not at.exception, at.exception
    assert kecamatan_filter(at) == ["Balikpapan Timur"]
    captions = shown(at.sidebar.caption)
    assert any("Balikpapan Timur (64.71.01)" in c and "sari" in c for c in captions), captions
    at.sidebar.multiselect(key=state.FILTER_KECAMATAN).set_value([]).run()  # she widens the view
    at.run()
    assert kecamatan_filter(at) == []  # pre-selected at sign-in only
    at.switch_page("pages/ringkasan.py").run()
    assert not at.exception, at.exception
    assert any("Balikpapan Timur (64.71.01)" in c for c in shown(at.sidebar.caption))  # stated on every page


@pytest.mark.parametrize("who", ["budi", None])
def test_an_unlimited_editor_or_a_visitor_keeps_the_whole_city(app_env, editors, who):
    at = open_page("pages/unggah.py", editors)
    if who:
        at = sign_in(at, name=who)
    assert not at.exception, at.exception
    assert kecamatan_filter(at) == []
    assert not any("dapat mengubah data wilayah" in c for c in shown(at.sidebar.caption))


@pytest.mark.parametrize(("who", "in_area_only"), [("sari", True), ("budi", False), (None, False)])
def test_the_template_offered_holds_the_editors_rows_only(
    app_env, editors, sample_snapshot, monkeypatch, who, in_area_only
):
    areas = []
    real = ui.unggah.template_area
    monkeypatch.setattr(ui.unggah, "template_area", lambda *a: areas.append(real(*a)) or areas[-1])
    at = open_page("pages/unggah.py", editors)
    if who:
        at = sign_in(at, name=who)
        at.sidebar.multiselect(key=state.FILTER_KECAMATAN).set_value([]).run()  # the whole city in view
    assert not at.exception, at.exception
    xlsx = build_template_xlsx(template_frames(restrict_to_kelurahan(sample_snapshot, areas[-1]), 50_000))
    koperasi = template_rows(xlsx, "koperasi")
    timur = {"Manggar", "Lamaru", "Teritip", "Manggar Baru"}
    assert set(koperasi[KELURAHAN_HEADER]) <= timur if in_area_only else len(koperasi) == 120
    assert not koperasi.empty and set(template_rows(xlsx, "wilayah")["kecamatan"]) >= {"Balikpapan Timur"}
    tab = " ".join(shown(at.caption))
    assert ("wilayah Anda saja: Balikpapan Timur (64.71.01)" in tab) is in_area_only
