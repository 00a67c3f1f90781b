"""A page URL opened first on a freshly started server still runs inside app.py's shell.

Streamlit treats `pages/` as a legacy multipage folder until `st.navigation` has run once in the
process; `ui.shell.require_app_shell` reruns such a first visit through app.py. A kiosk that boots
straight into a page URL depends on this.
"""

import pytest

from tests.browser.harness import exceptions, has_shared_sidebar, make_sample_store, open_page, running_server

pytestmark = pytest.mark.browser


def test_first_visit_straight_to_a_page_gets_the_shell(browser, tmp_path):
    url = make_sample_store(tmp_path)
    with running_server(url, tmp_path / "server.log") as server:
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        try:
            page = open_page(context, server.url, "pembangunan", {"lang": "en"}, timeout_ms=90_000)
            assert not exceptions(page)
            assert has_shared_sidebar(page), server.log()
            assert "builds" in page.locator("h1").first.inner_text().lower()
        finally:
            context.close()
