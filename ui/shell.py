"""Making sure every page runs inside app.py's shell (page config, shared sidebar, navigation).

Streamlit treats a folder named `pages/` beside the entry script as a legacy multipage app until
`st.navigation` has been called in the server process (AppTest even resets this before every run).
Then a page URL runs that page alone, without app.py: on the very first visit after a server start
(a kiosk opening `/briefing?slide=3`, a deep link to `/peta?kelurahan=...`) and on every AppTest
rerun of a page. A page calls `require_app_shell()` first: in that case it runs app.py in the same
script run (which draws the shell and runs this page again, now inside it) and stops the outer run.
Running in the same run keeps one-shot widget events such as a button click.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

APP_SCRIPT = Path(__file__).resolve().parents[1] / "app.py"


def require_app_shell() -> None:
    """Run the page through app.py when Streamlit started it on its own (legacy pages/ mode)."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(APP_SCRIPT), run_name="__main__")
        st.stop()
