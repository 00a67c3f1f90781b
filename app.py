"""KKMP Dashboard: page config, shared sidebar, navigation. Nothing else happens here."""

import streamlit as st

from kkmp.i18n import t
from ui.nav import PAGES
from ui.sidebar import current_language, shared_sidebar_ui

st.set_page_config(page_title="KKMP Dashboard", page_icon="🏪", layout="wide")

lang = current_language()
navigation = st.navigation(
    [
        st.Page(p.path, title=t(p.title_key, lang), icon=p.icon, url_path=p.url_path, default=i == 0)
        for i, p in enumerate(PAGES)
    ]
)
shared_sidebar_ui()
navigation.run()
