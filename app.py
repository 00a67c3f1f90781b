"""KKMP Dashboard: page config, shared sidebar, navigation. Nothing else happens here."""

import streamlit as st

from kkmp.i18n import t
from kkmp.store import StoreUnavailable
from ui.data import store_unavailable_ui
from ui.nav import PAGES
from ui.panduan import guide_link_ui
from ui.sidebar import current_language, shared_sidebar_ui

st.set_page_config(page_title="KKMP Dashboard", page_icon="🏪", layout="wide")

lang = current_language()
home, *others = PAGES
# Streamlit serves the default page at "/" only; its own address (/ringkasan) answers to a hidden
# page of the same script, which sends the browser on to "/" so one address shows it in the menu.
default_page = st.Page(home.path, title=t(home.title_key, lang), icon=home.icon, url_path="", default=True)
home_alias = st.Page(home.path, title=t(home.title_key, lang), url_path=home.url_path, visibility="hidden")
navigation = st.navigation(
    [
        default_page,
        *(st.Page(p.path, title=t(p.title_key, lang), icon=p.icon, url_path=p.url_path) for p in others),
        home_alias,
    ]
)
if navigation is home_alias:
    st.switch_page(default_page, query_params=st.query_params.to_dict())
try:
    shared_sidebar_ui()
    guide_link_ui(navigation.url_path, lang)
    navigation.run()
except StoreUnavailable as exc:  # the one place: every page reads the store through the shell
    store_unavailable_ui(exc, current_language())
