"""Panduan: the user guide (docs/panduan/) inside the app, for an office without internet."""

import streamlit as st

from kkmp.i18n import t
from ui.panduan import guide_choice_ui, guide_text_ui
from ui.shell import require_app_shell
from ui.sidebar import current_language

require_app_shell()

lang = current_language()
st.title(t("panduan.judul", lang))
if lang != "id":
    st.info(t("panduan.bahasa_indonesia", lang), icon=":material/translate:")
page = guide_choice_ui(lang)
st.divider()
guide_text_ui(page, lang)
