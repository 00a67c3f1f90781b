"""The default page's own address: /ringkasan typed by hand shows Ringkasan (Streamlit serves it at "/")."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from kkmp.i18n import t
from tests.browser.harness import (
    DESKTOP,
    dialogs,
    editor_env,
    exceptions,
    has_shared_sidebar,
    running_server,
    wait_until_idle,
)
from ui.nav import PAGES

HOME = PAGES[0]


def _open_raw(context, url: str):
    """A tab at exactly `url` (not through harness.route, which maps the default page to "/"), once idle."""
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    wait_until_idle(page)
    return page


def _title(page) -> str:
    return page.locator('[data-testid="stMain"] h1').first.inner_text()


def _active_menu_entry(page) -> list[str]:
    links = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]')
    return [links.nth(i).inner_text().strip().splitlines()[-1] for i in range(links.count())]  # after the icon


@pytest.mark.parametrize("lang", ["id", "en"])
def test_default_page_opens_at_its_own_address(browser, app_url, lang):
    context = browser.new_context(viewport=DESKTOP)
    try:
        query = "?lang=en" if lang == "en" else ""
        page = _open_raw(context, f"{app_url.rstrip('/')}/{HOME.url_path}{query}")
        assert not dialogs(page), f"/{HOME.url_path} opens a dialog: {dialogs(page)}"
        assert not exceptions(page)
        assert has_shared_sidebar(page)
        assert _title(page).startswith(t("ringkasan.judul", lang, wilayah="").rstrip(" —"))
        address = urlsplit(page.url)
        assert address.path == "/", f"/{HOME.url_path} should end at the page's one address, not {page.url}"
        assert address.query == query.lstrip("?"), "the query string (language) was lost on the way"
        assert _active_menu_entry(page) == [t(HOME.title_key, lang)]
    finally:
        context.close()


def test_root_still_opens_the_default_page(browser, app_url):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = _open_raw(context, app_url.rstrip("/") + "/")
        assert not dialogs(page)
        assert _title(page).startswith(t("ringkasan.judul", "id", wilayah="").rstrip(" —"))
        assert urlsplit(page.url).path == "/"
    finally:
        context.close()


def test_default_page_address_on_a_freshly_started_server(browser, browser_store_url, tmp_path):
    """The first visit after a start runs in Streamlit's legacy pages/ mode (see ui.shell); it must still land."""
    with running_server(browser_store_url, tmp_path / "cold.log", editor_env()) as server:
        context = browser.new_context(viewport=DESKTOP)
        try:
            page = _open_raw(context, f"{server.url.rstrip('/')}/{HOME.url_path}")
            assert not dialogs(page), f"/{HOME.url_path} on a fresh server opens a dialog: {dialogs(page)}"
            assert not exceptions(page)
            assert has_shared_sidebar(page), f"/{HOME.url_path} on a fresh server was shown without app.py"
            assert _title(page).startswith(t("ringkasan.judul", "id", wilayah="").rstrip(" —"))
            assert urlsplit(page.url).path == "/"
        finally:
            context.close()
