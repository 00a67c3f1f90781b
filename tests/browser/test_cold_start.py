"""A bookmarked link opened right after the server (re)started must still get the whole app."""

from __future__ import annotations

import contextlib

import pytest

from tests.browser.harness import (
    DESKTOP,
    ROOT,
    dialogs,
    editor_env,
    exceptions,
    has_shared_sidebar,
    open_page,
    running_server,
)
from ui.nav import PAGES

# Streamlit keeps its old "pages/ folder" mode for a directory named pages/ beside app.py until a session
# has run app.py's st.navigation: until then a deep link runs the page script alone, without app.py
# (no page config, no sidebar, file names as navigation). Renaming the folder removes the mode.
PAGES_FOLDER_MODE = (ROOT / "pages").is_dir()


@pytest.mark.skipif(len(PAGES) < 2, reason="needs a page besides the default one (served at /) to deep-link to")
@pytest.mark.xfail(
    PAGES_FOLDER_MODE,
    reason="Streamlit runs pages/<page>.py without app.py for deep links until someone opens / "
    "(pages/ folder mode); fixed by renaming pages/",
    strict=True,
)
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
