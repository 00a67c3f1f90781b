"""Small display pieces used on several pages: the sample badge, dated headline cards, safe text."""

from __future__ import annotations

import datetime as dt
import html
import re

import pandas as pd
import streamlit as st

from kkmp.acuan import figures_as_of
from kkmp.i18n import format_date, format_number, t
from kkmp.store import DatasetMeta, Snapshot

MAX_TABLE_ROWS = 500
"""Rows a page table shows; the rest are counted in a caption (and in the downloads where a page offers them)."""

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def escape_markdown(text: object) -> str:
    """User-supplied text made inert for st.markdown (no links, HTML, formatting)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


_MD_ENTITY = re.compile(r"[\\`*_{}\[\]()#+\-.!|~$]")


def html_text(text: object) -> str:
    """User-supplied text for HTML inside st.markdown: tags escaped, markdown marks as character entities."""
    return _MD_ENTITY.sub(lambda m: f"&#{ord(m.group())};", html.escape(str(text), quote=True))


def sample_badge(snapshot: Snapshot, lang: str) -> None:
    """The "Data contoh" badge, shown whenever sample data is on screen."""
    if snapshot.contoh:
        st.badge(
            t("app.data_contoh", lang),
            icon=":material/science:",
            color="orange",
            help=t("app.data_contoh_penjelasan", lang),
        )


def dated_caption(meta: DatasetMeta, lang: str, acuan: dt.date | None = None) -> str:
    """'Posisi per 21 Oktober 2025 · Sumber: …' for a dataset, as of `acuan` (see `kkmp.acuan.figures_as_of`)."""
    posisi = figures_as_of(meta.dataset, meta.posisi_per, acuan)
    when = format_date(posisi, lang) if posisi else t("app.tanpa_tanggal", lang)
    text = t("app.posisi_per", lang, tanggal=when)
    if meta.sumber:  # the source is user text (upload form, boundary form, import --sumber): literal
        text += " · " + t("app.sumber", lang, sumber=escape_markdown(meta.sumber))
    return text


def first_rows(frame: pd.DataFrame, lang: str, note_key: str = "app.tabel_sebagian") -> pd.DataFrame:
    """The first `MAX_TABLE_ROWS` rows of `frame` (format only these), with a caption giving the total when cut."""
    if len(frame) > MAX_TABLE_ROWS:
        total = format_number(len(frame), lang)
        st.caption(t(note_key, lang, n=format_number(MAX_TABLE_ROWS, lang), total=total))
    return frame.head(MAX_TABLE_ROWS)


def headline_card(
    title: str,
    value: str,
    meta: DatasetMeta,
    lang: str,
    *,
    help_text: str | None = None,
    key: str,
    acuan: dt.date | None = None,
) -> None:
    """A bordered card: big number, its title, its date (as of `acuan`) and its source."""
    with st.container(border=True, key=key):
        st.metric(title, value, help=help_text)
        posisi = figures_as_of(meta.dataset, meta.posisi_per, acuan)
        when = format_date(posisi, lang, "medium") if isinstance(posisi, dt.date) else t("app.tanpa_tanggal", lang)
        st.caption(
            t("app.posisi_per", lang, tanggal=when),
            help=t("app.sumber", lang, sumber=escape_markdown(meta.sumber)) if meta.sumber else None,
        )


#: Streamlit stacks columns below this width (its "sm" breakpoint): the layout a phone gets.
PHONE_MAX_PX = 640


def phone_two_per_row_css(key: str) -> None:
    """On a phone, lay the columns inside the container `key` out two per row instead of one (headline cards)."""
    row = f'.st-key-{key} [data-testid="stHorizontalBlock"]'
    st.html(
        f"<style>@media (max-width: {PHONE_MAX_PX}px) {{ {row} {{ flex-flow: row wrap; gap: 0.75rem; }}"
        f' {row} > [data-testid="stColumn"] {{ flex: 1 1 calc(50% - 0.75rem) !important;'
        " min-width: calc(50% - 0.75rem) !important; width: calc(50% - 0.75rem) !important; } }</style>"
    )


def _css_string(text: str) -> str:
    """`text` as a CSS string literal (for `content:`)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def uploader_text_css(key: str, lang: str, max_mb: float, types: list[str]) -> None:
    """The file uploader `key` in the user's language: Streamlit writes "Upload" and "200MB per file" in English
    and with the server's hard cap, not this dashboard's own limit; CSS puts our words in their place."""
    button = t("app.unggah_tombol", lang)
    limit = t("app.unggah_batas", lang, mb=f"{max_mb:g}", jenis=", ".join(x.upper() for x in types))
    zone = f'.st-key-{key} [data-testid="stFileUploaderDropzone"]'
    st.html(
        "<style>"
        f'{zone} button [data-testid="stMarkdownContainer"] p {{ font-size: 0 !important; }}'
        f'{zone} button [data-testid="stMarkdownContainer"] p::after {{ content: {_css_string(button)};'
        " font-size: 0.875rem; }"
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0 !important; }}'
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: {_css_string(limit)};'
        " font-size: 0.875rem; }"
        "</style>"
    )


#: Plotly's options on the pages: no logo; the mode bar shows on hover with a mouse (see `touch_css`).
CHART_CONFIG = {"displaylogo": False}


def touch_css() -> None:
    """On touch screens (phones, tablets) hide plotly's mode bar: a tap shows it over the legend, and these
    charts are read, not explored."""
    st.html("<style>@media (hover: none) { .js-plotly-plot .modebar-container { display: none !important; } }</style>")
