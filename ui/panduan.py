"""The in-app guide: the sidebar link to the current page's guide page, the guide page chooser and its text."""

from __future__ import annotations

import streamlit as st

from kkmp.i18n import t
from kkmp.panduan import INDEX, GuideImage, GuidePage, guide_blocks, guide_pages, guide_slug_for_page
from ui import state
from ui.nav import PAGES

GUIDE_PAGE = "pages/panduan.py"
GUIDE_PARAM = "halaman"
"""Query parameter naming the guide page shown (`/panduan?halaman=pembangunan`)."""


@st.cache_data(show_spinner=False)
def cached_guide_pages(lang: str) -> list[GuidePage]:
    """The guide's pages in `lang`, read once per server process (the guide ships with the code)."""
    return guide_pages(lang)


def guide_link_ui(url_path: str, lang: str) -> None:
    """A link at the foot of the sidebar to the guide page that explains the page on screen."""
    if url_path == "panduan":
        return
    slug = guide_slug_for_page(url_path or PAGES[0].url_path, lang)
    title = next((p.title for p in cached_guide_pages(lang) if p.slug == slug), "")
    st.sidebar.page_link(
        GUIDE_PAGE,
        label=t("panduan.tautan", lang, judul=title),
        icon=":material/help:",
        query_params={GUIDE_PARAM: slug},
        help=t("panduan.tautan_help", lang),
    )


def guide_choice_ui(lang: str) -> GuidePage:
    """The guide page chooser (kept in `?halaman=`); returns the chosen page (the index when none)."""
    pages = {p.slug: p for p in cached_guide_pages(lang)}
    if state.PANDUAN_HALAMAN not in st.session_state:
        wanted = st.query_params.get(GUIDE_PARAM, INDEX)
        st.session_state[state.PANDUAN_HALAMAN] = wanted if wanted in pages else INDEX
    slug = st.pills(
        t("panduan.pilih", lang),
        options=list(pages),
        format_func=lambda s: pages[s].title,
        key=state.PANDUAN_HALAMAN,
        selection_mode="single",
    )
    slug = slug if slug in pages else INDEX
    st.query_params[GUIDE_PARAM] = slug
    return pages[slug]


def guide_text_ui(page: GuidePage, lang: str) -> None:
    """The page's text and screenshots, in order (project text: Markdown is meant here)."""
    for block in guide_blocks(page):
        if isinstance(block, GuideImage):
            if block.path.is_file():
                st.image(str(block.path), caption=block.alt or None)
            else:
                st.caption(t("panduan.gambar_belum_ada", lang, nama=block.path.name))
        else:
            st.markdown(block)
