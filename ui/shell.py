"""Making sure every page runs inside app.py's shell (page config, shared sidebar, navigation).

Streamlit treats a folder named `pages/` beside the entry script as a legacy multipage app until
`st.navigation` has been called once in the server process. So the very first visit after a
server start that goes straight to a page URL (a kiosk opening `/briefing?slide=3`, a deep link
to `/peta?kelurahan=...`) would run that page alone, without app.py. A page calls
`require_app_shell()` first: in that case it switches the legacy mode off and reruns, and the
rerun goes through app.py to the same page.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def require_app_shell() -> None:
    """Rerun through app.py when Streamlit started this page on its own (legacy pages/ mode)."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
