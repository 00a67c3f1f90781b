"""The guide in a real browser: the sidebar link of a page opens that page's guide, with its screenshots."""

from __future__ import annotations

from tests.browser.harness import ARTIFACTS, exceptions, full_page_screenshot, wait_until_idle

_IMAGES_LOADED_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] img')]
    .filter(i => i.complete && i.naturalWidth > 0).length"""


def test_the_sidebar_link_opens_the_guide_of_the_page(open_app):
    page = open_app("pembangunan")
    link = page.locator('[data-testid="stSidebarUserContent"] [data-testid="stPageLink-NavLink"]:visible')
    assert link.count() == 1, "the Pembangunan page has no guide link in the sidebar"
    assert link.inner_text().strip().endswith("Panduan: Pembangunan")  # after the icon's ligature text

    link.click()
    page.wait_for_url("**/panduan?halaman=pembangunan", timeout=20_000)
    wait_until_idle(page)
    page.wait_for_function(f"() => ({_IMAGES_LOADED_JS})() >= 2", timeout=20_000)
    full_page_screenshot(page, ARTIFACTS / "panduan-pembangunan.png")

    assert not exceptions(page)
    headings = page.locator('[data-testid="stMain"] h1').all_inner_texts()
    assert any(h.strip().startswith("Pembangunan") for h in headings), headings
    assert page.get_by_text("Kontrak kritis", exact=True).count() >= 1
