"""The shared sidebar: language switch, reference date and area filter. Each `*_ui()` returns the user's choice."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from kkmp.access import Editor, editor_area_names, editor_filter
from kkmp.acuan import default_reference, newest_posisi_per, parse_reference
from kkmp.i18n import LANGUAGES, format_date, normalize_language, t
from kkmp.plausibility import today_wita
from kkmp.store import Snapshot
from kkmp.wilayah import WilayahFilter, options, select_wilayah
from ui import state
from ui.auth import current_editor
from ui.components import escape_markdown, touch_css

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
#: Above this many kecamatan in scope, the kecamatan filter waits for a kabupaten/kota to be chosen.
MAX_KECAMATAN_OPTIONS = 500
#: The URL parameter of the reference date (tanggal acuan), kept across pages and in the kiosk link.
QUERY_ACUAN = "per"


def current_language() -> str:
    """The chosen language: the widget's value, else `?lang=`, else Indonesian."""
    if state.LANG in st.session_state:
        return normalize_language(st.session_state[state.LANG])
    return normalize_language(st.query_params.get("lang"))


def language_ui() -> str:
    """The language switch; returns 'id' or 'en'."""
    if state.LANG not in st.session_state:
        st.session_state[state.LANG] = current_language()
    lang = st.sidebar.segmented_control(
        t("app.bahasa", current_language()),
        options=list(LANGUAGES),
        format_func=LANGUAGE_NAMES.get,
        key=state.LANG,
        selection_mode="single",
    )
    lang = normalize_language(lang)
    if lang == "en":
        st.query_params["lang"] = "en"
    elif "lang" in st.query_params:
        del st.query_params["lang"]
    return lang


def current_reference(snapshot: Snapshot) -> dt.date:
    """The reference date: the sidebar's value, else `?per=`, else today (the sample: its newest posisi per)."""
    chosen = st.session_state.get(state.TANGGAL_ACUAN)
    if isinstance(chosen, dt.date):
        return chosen
    return parse_reference(st.query_params.get(QUERY_ACUAN)) or default_reference(snapshot, today_wita())


def reference_param(snapshot: Snapshot, acuan: dt.date) -> dt.date | None:
    """`acuan` as the address keeps it (`?per=`): None when it is the default (today; the sample's newest date)."""
    return None if acuan == default_reference(snapshot, today_wita()) else acuan


def reference_ui(snapshot: Snapshot, lang: str) -> dt.date:
    """The "Tanggal acuan" control; keeps `?per=` in the address while it differs from the default."""
    if not isinstance(st.session_state.get(state.TANGGAL_ACUAN), dt.date):
        st.session_state[state.TANGGAL_ACUAN] = current_reference(snapshot)
    acuan = st.sidebar.date_input(
        t("app.tanggal_acuan", lang),
        key=state.TANGGAL_ACUAN,
        format="DD/MM/YYYY",
        help=t("app.tanggal_acuan_help", lang),
    )
    if snapshot.contoh:
        newest = format_date(newest_posisi_per(snapshot), lang, "medium")
        st.sidebar.caption(t("app.tanggal_acuan_contoh", lang, tanggal=newest))
    if reference_param(snapshot, acuan) is not None:
        st.query_params[QUERY_ACUAN] = acuan.isoformat()
    elif QUERY_ACUAN in st.query_params:
        del st.query_params[QUERY_ACUAN]
    return acuan


def wilayah_ui(wilayah: pd.DataFrame, lang: str) -> WilayahFilter:
    """Area filter: provinsi and kabupaten/kota only when the region has several; then kecamatan."""
    sidebar = st.sidebar
    sidebar.markdown(f"**{t('app.filter_wilayah', lang)}**")
    choice = WilayahFilter()
    if wilayah["provinsi"].nunique() > 1:
        provinsi = sidebar.multiselect(
            t("app.provinsi", lang),
            options(wilayah, "provinsi"),
            key=state.FILTER_PROVINSI,
            placeholder=t("app.semua_provinsi", lang),
            select_all=False,  # an empty choice already means all, and Streamlit's "Select all" is English only
        )
        choice = WilayahFilter(provinsi=tuple(provinsi))
    if wilayah["kabupaten_kota"].nunique() > 1:
        kab = sidebar.multiselect(
            t("app.kabupaten_kota", lang),
            options(wilayah, "kabupaten_kota", choice),
            key=state.FILTER_KABUPATEN,
            placeholder=t("app.semua_kabupaten_kota", lang),
            select_all=False,
        )
        choice = WilayahFilter(choice.provinsi, tuple(kab))
    kecamatan_options = options(wilayah, "kecamatan", choice)
    # Nationally there are ~7,000 kecamatan: list them once a kabupaten/kota (or a small area) is chosen.
    too_many = len(kecamatan_options) > MAX_KECAMATAN_OPTIONS
    kecamatan = sidebar.multiselect(
        t("app.kecamatan", lang),
        [] if too_many else kecamatan_options,
        key=state.FILTER_KECAMATAN,
        placeholder=t("app.pilih_kabupaten_dulu" if too_many else "app.semua_kecamatan", lang),
        disabled=too_many,
        select_all=False,
    )
    return WilayahFilter(choice.provinsi, choice.kabupaten_kota, () if too_many else tuple(kecamatan))


def editor_filter_default(editor: Editor | None, wilayah: pd.DataFrame) -> None:
    """Once per sign-in, before the filter is drawn: pre-select a limited editor's areas (they may widen it)."""
    name = editor.name if editor else None
    if st.session_state.get(state.FILTER_EDITOR) == name:
        return
    st.session_state[state.FILTER_EDITOR] = name
    if editor is None or not editor.is_limited:
        return
    choice = editor_filter(editor, wilayah)
    if len(options(wilayah, "kecamatan", choice)) > MAX_KECAMATAN_OPTIONS:
        choice = WilayahFilter(choice.provinsi, choice.kabupaten_kota)
    st.session_state[state.FILTER_PROVINSI] = list(choice.provinsi)
    st.session_state[state.FILTER_KABUPATEN] = list(choice.kabupaten_kota)
    st.session_state[state.FILTER_KECAMATAN] = list(choice.kecamatan)


def editor_areas_ui(editor: Editor | None, wilayah: pd.DataFrame, lang: str) -> None:
    """Under the filter: the areas a limited signed-in editor may change."""
    if editor is not None and editor.is_limited:
        names = ", ".join(editor_area_names(editor, wilayah))
        st.sidebar.caption(
            t("akses.wilayah_editor", lang, nama=escape_markdown(editor.name), wilayah=escape_markdown(names))
        )


def current_filter() -> WilayahFilter:
    """The area chosen in the sidebar (all when nothing is chosen)."""
    get = st.session_state.get
    return WilayahFilter(
        tuple(get(state.FILTER_PROVINSI) or ()),
        tuple(get(state.FILTER_KABUPATEN) or ()),
        tuple(get(state.FILTER_KECAMATAN) or ()),
    )


def shared_sidebar_ui() -> tuple[str, WilayahFilter]:
    """Everything the sidebar shows on every page: language, reference date, area filter, data revision."""
    from ui.data import current_snapshot

    touch_css()
    lang = language_ui()
    snapshot = current_snapshot()
    reference_ui(snapshot, lang)
    editor = current_editor()
    editor_filter_default(editor, snapshot["wilayah"])
    choice = wilayah_ui(snapshot["wilayah"], lang)
    editor_areas_ui(editor, snapshot["wilayah"], lang)
    st.sidebar.caption(t("app.revisi", lang, revisi=snapshot.revision))
    return lang, choice


def selected_kelurahan(snapshot: Snapshot) -> tuple[str, ...] | None:
    """Kelurahan codes of the area chosen in the sidebar; None when the whole region is chosen."""
    choice = current_filter()
    if choice.is_all:
        return None
    return tuple(select_wilayah(snapshot["wilayah"], choice)["kode_kelurahan"])
