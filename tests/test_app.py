"""AppTest: every page registered and running without an exception; the shared filter works."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui.nav import PAGES

TIMEOUT = 60


def test_every_page_file_is_registered():
    files = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert files == {p.path for p in PAGES}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url_path)
def test_page_runs_without_exception(app_env, page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.switch_page(page.path) if page != PAGES[0] else None
    at.run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url_path)
def test_page_runs_in_english(app_env, page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at.switch_page(page.path) if page != PAGES[0] else None
    at.run()
    assert not at.exception, at.exception


def test_ringkasan_headline_cards(app_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    values = {m.label: m.value for m in at.metric}
    assert values["KKMP"] == "34"
    assert values["Dibangun"] == "3"
    assert values["Usaha berjalan"] == "7"
    assert values["Koperasi aktif"] == "109"
    assert values["RAT TB 2024"].endswith("%")
    assert any("Posisi per" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 1


def test_kecamatan_filter_changes_figures(app_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    at.sidebar.multiselect(key="filter_kecamatan").select("Balikpapan Timur").run()
    assert not at.exception
    values = {m.label: m.value for m in at.metric}
    assert values["KKMP"] == "4"
    assert "Balikpapan Timur" in at.title[0].value


def test_language_switch_to_english(app_env):
    """Choosing English in the sidebar switch turns the same session's page English (and sets ?lang=en)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert "Ringkasan" in at.title[0].value
    at.sidebar.segmented_control(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    assert "overview" in at.title[0].value
    assert at.query_params.get("lang") == "en"


def test_page_file_paths_exist():
    for p in PAGES:
        assert Path(ROOT / p.path).exists()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url_path)
def test_page_started_alone_draws_the_app_shell(app_env, page):
    """A page Streamlit runs on its own (a deep link after a server start; AppTest's switch_page) gets the sidebar."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.switch_page(page.path)
    at.run()
    assert not at.exception, at.exception
    assert at.sidebar.segmented_control(key="lang") is not None
    assert at.sidebar.multiselect(key="filter_kecamatan") is not None
