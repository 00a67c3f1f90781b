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
from kkmp.cli import main
from kkmp.schema import get_dataset
from kkmp.template import HEADER_ROW, KELURAHAN_HEADER, build_template_csv, build_template_xlsx, template_frames
from kkmp.wilayah import WilayahFilter
from tests.test_unggah_app import open_page, sign_in
from ui import state

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
    xlsx = build_template_xlsx(template_frames(sample_snapshot, areas[-1], 50_000))
    koperasi = template_rows(xlsx, "koperasi")
    timur = {"Manggar", "Lamaru", "Teritip", "Manggar Baru"}
    assert set(koperasi[KELURAHAN_HEADER]) <= timur if in_area_only else len(koperasi) == 120
    assert not koperasi.empty and set(template_rows(xlsx, "wilayah")["kecamatan"]) >= {"Balikpapan Timur"}
    tab = " ".join(shown(at.caption))
    assert ("wilayah Anda saja: Balikpapan Timur (64.71.01)" in tab) is in_area_only


# ---- the command line: `template --as-editor` gives what the page gives --------------------------------------


def workbook_values(xlsx: bytes) -> dict[str, list[tuple]]:
    """Every sheet's cell values, by sheet name."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


@pytest.fixture
def cli_editors(monkeypatch) -> None:
    h = hash_password("rahasia", n=2**10)
    monkeypatch.setenv("KKMP_EDITORS", f"budi:{h},sari:{h}@{TIMUR}")


@pytest.mark.usefixtures("cli_editors")
def test_cli_template_as_a_limited_editor_is_the_pages_template(sample_store, tmp_path, capsys):
    target = tmp_path / "sari.xlsx"
    assert main(["--db", sample_store.url, "template", "-o", str(target), "--as-editor", "sari"]) == 0
    assert "hanya wilayah Balikpapan Timur (64.71.01)" in capsys.readouterr().err
    snapshot = sample_store.snapshot()
    page_area = template_area(Editor("sari", (TIMUR,)), snapshot["wilayah"], None)  # what template_ui passes
    page = build_template_xlsx(template_frames(snapshot, page_area, 50_000))
    assert workbook_values(target.read_bytes()) == workbook_values(page)
    xlsx = target.read_bytes()
    assert set(template_rows(xlsx, "wilayah")["kode_kelurahan"]) == set(page_area) and len(page_area) == 4
    koperasi = template_rows(xlsx, "koperasi")
    assert 0 < len(koperasi) < 120 and set(koperasi[KELURAHAN_HEADER]) <= {
        "Manggar",
        "Lamaru",
        "Teritip",
        "Manggar Baru",
    }
    csv = tmp_path / "sari.csv"
    argv = ["--db", sample_store.url, "template", "--format", "csv", "--dataset", "koperasi", "-o", str(csv)]
    assert main([*argv, "--as-editor", "sari"]) == 0
    assert csv.read_bytes() == build_template_csv(
        get_dataset("koperasi"), template_frames(snapshot, page_area, 50_000)["koperasi"]
    )
    assert main([*argv, "--as-editor", "budi"]) == 0  # an unlimited editor: the whole city, as without the option
    assert len(template_rows_csv(csv.read_bytes())) == 120


def template_rows_csv(payload: bytes) -> list[str]:
    """The data lines of a CSV template (after its header line)."""
    return payload.decode("utf-8-sig").strip().splitlines()[1:]


@pytest.mark.usefixtures("cli_editors")
def test_cli_template_for_an_unknown_editor_is_one_line_and_no_file(sample_store, tmp_path, capsys):
    target = tmp_path / "x.xlsx"
    assert main(["--db", sample_store.url, "template", "-o", str(target), "--as-editor", "tidakada"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and "'tidakada'" in err and "Traceback" not in err
    assert not target.exists()
