"""A bookmarked link opened right after the server (re)started must still get the whole app."""

from __future__ import annotations

import contextlib

import pytest

from tests.browser.harness import (
    DESKTOP,
    dialogs,
    editor_env,
    exceptions,
    has_shared_sidebar,
    open_page,
    running_server,
)
from ui.nav import PAGES

# Streamlit treats a folder named pages/ beside app.py as a legacy multipage app until st.navigation has
# run once in the server: a deep link opened first would run the page alone, without app.py (no page
# config, no sidebar, file names as navigation). ui.shell.require_app_shell reruns such a visit through app.py.


@pytest.mark.skipif(len(PAGES) < 2, reason="needs a page besides the default one (served at /) to deep-link to")
def test_deep_link_on_a_freshly_started_server(browser, streamlit_server, browser_store_url, tmp_path):
    spec = PAGES[-1]
    with contextlib.ExitStack() as stack:
        # This file runs first, while the session's server is still unvisited; otherwise start a fresh one.
        server = (
            streamlit_server
            if not streamlit_server.visited
            else stack.enter_context(running_server(browser_store_url, tmp_path / "cold.log", editor_env()))
        )
        server.visited = True
        context = browser.new_context(viewport=DESKTOP)
        stack.callback(context.close)
        page = open_page(context, server.url, spec.url_path)
        assert not exceptions(page)
        assert not dialogs(page)
        assert has_shared_sidebar(page), f"/{spec.url_path} on a fresh server was shown without app.py"
