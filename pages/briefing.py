"""Briefing: one full-screen slide at a time for a projector or TV, auto-advancing, with PDF/PNG export.

Kiosk form: /briefing?slide=3&auto=20&embed=true (also ?lang=en, ?theme=light, ?per=YYYY-MM-DD).
"""

import streamlit as st

from kkmp.briefing import SLIDE_KEYS, has_data
from kkmp.i18n import t
from ui import state
from ui.briefing import (
    DeckKey,
    advance_if_due,
    footer_ui,
    init_state,
    load_slide,
    page_css,
    render_slide,
    theme_of_session,
)
from ui.data import get_settings, get_store, load_snapshot
from ui.shell import require_app_shell
from ui.sidebar import current_filter, current_language, current_reference, reference_param

require_app_shell()
init_state()
lang = current_language()
theme = theme_of_session()
playing = st.session_state[state.BRIEFING_PLAYING]
interval = st.session_state[state.BRIEFING_INTERVAL]
st.html(page_css(theme, lang, kiosk=playing))
store = get_store(get_settings().database_url)


@st.fragment(run_every=interval if playing else None)
def slide_show() -> None:
    """The slide on screen; reruns alone every `interval` seconds, re-reading the store's revision."""
    identity, revision = store.state()
    snapshot = load_snapshot(store.url, identity, revision)
    if not has_data(snapshot):
        st.info(t("app.store_kosong", lang))
        return
    acuan = current_reference(snapshot)  # the sidebar's "Tanggal acuan" (?per=): every status is as of it
    since = st.session_state[state.BRIEFING_SINCE]
    deck = DeckKey(store.url, identity, revision, lang, theme.name, current_filter(), since, acuan)
    index = advance_if_due(len(SLIDE_KEYS))
    slide = load_slide(deck, index)  # only the slide on screen is built (then kept for every session)
    render_slide(slide, lang, theme, live_map=not playing)  # a kiosk playing by itself: no deck.gl (leaks)
    footer_ui(slide, index, len(SLIDE_KEYS), lang, deck, reference_param(snapshot, acuan))
    st.query_params["slide"] = str(index + 1)
    chosen = (
        current_language(),
        theme_of_session().name,
        st.session_state[state.BRIEFING_PLAYING],
        st.session_state[state.BRIEFING_INTERVAL],
    )
    if chosen != (lang, theme.name, playing, interval):
        st.rerun()  # theme, language or timer changed: redraw the whole page


slide_show()
