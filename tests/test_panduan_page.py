"""AppTest of the Panduan page and of the guide link every page shows in the sidebar."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui import state
from ui.nav import PAGES

TIMEOUT = 60
PAGE = "pages/panduan.py"


def run(page: str | None, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for name, value in params.items():
        at.query_params[name] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def guide_link(at: AppTest):
    links = [e for e in at.sidebar.get("page_link") if e.proto.page.endswith("panduan")]
    assert len(links) == 1, "the sidebar has no guide link"
    return links[0].proto


def test_the_guide_page_shows_the_page_named_in_the_address(app_env):
    at = run(PAGE, halaman="pembangunan")
    assert at.session_state[state.PANDUAN_HALAMAN] == "pembangunan"
    headings = [m.value for m in at.markdown]
    assert any(h.startswith("# Pembangunan") for h in headings)
    assert any("## Kontrak kritis" in h for h in headings)
    assert len(at.get("image")) >= 2  # the table screenshot and the Kurva S


def test_the_guide_page_opens_the_index_for_an_unknown_page(app_env):
    at = run(PAGE, halaman="tidak-ada")
    assert at.session_state[state.PANDUAN_HALAMAN] == "README"
    assert any(m.value.startswith("# Panduan Dasbor KKMP") for m in at.markdown)


def test_links_inside_the_guide_stay_in_the_app(app_env):
    at = run(PAGE, halaman="README")
    index = next(m.value for m in at.markdown if m.value.startswith("# Panduan Dasbor KKMP"))
    assert "](panduan?halaman=pembangunan)" in index
    assert "(pembangunan.md)" not in index


def test_the_guide_page_in_english_says_the_guide_is_indonesian(app_env):
    at = run(PAGE, lang="en")
    assert any("Bahasa Indonesia" in i.value for i in at.info)
    assert at.title[0].value == "User guide"


@pytest.mark.parametrize("page", [p for p in PAGES if p.url_path != "panduan"], ids=lambda p: p.url_path)
def test_every_page_links_its_guide_page_in_the_sidebar(app_env, page):
    at = run(None if page == PAGES[0] else page.path)
    link = guide_link(at)
    assert link.query_string == f"halaman={page.url_path}"
    assert link.label.startswith("Panduan: ")


def test_the_guide_page_has_no_link_to_itself(app_env):
    at = run(PAGE)
    assert not [e for e in at.sidebar.get("page_link") if e.proto.page.endswith("panduan")]


@pytest.mark.parametrize("page", ["pages/ringkasan.py", "pages/pembangunan.py", "pages/rat.py"])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_headline_figure_says_what_it_means(app_env, page, lang):
    at = run(None if page == PAGES[0].path else page, lang=lang)
    metrics = at.metric
    assert metrics, f"{page} shows no figures"
    silent = [m.label for m in metrics if not (m.help or "").strip()]
    assert not silent, f"{page} ({lang}): figures without a help text (the ? mark): {silent}"
