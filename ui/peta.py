"""Widget groups of the Peta page: indicator choice, kelurahan choice (with deep link), map, legend, boundary upload."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import streamlit as st

from kkmp.access import AccessDenied
from kkmp.batas import MAX_BOUNDARY_BYTES, BoundaryFileError, file_sha256, load_boundary_file, save_boundaries
from kkmp.i18n import format_number, t
from kkmp.maps import INDICATORS, MAP_HEIGHT_PX, MapData, build_deck, build_map_data, selected_kode
from kkmp.scope import scope
from kkmp.store import Store
from kkmp.validate import ValidationFailed
from kkmp.wilayah import WilayahFilter
from ui import state
from ui.auth import editor_ui
from ui.components import uploader_text_css
from ui.data import get_settings, load_snapshot

QUERY_KELURAHAN = "kelurahan"


@st.cache_data(show_spinner=False, max_entries=64)
def cached_map_data(
    url: str,
    identity: str,
    revision: int,
    area: tuple[tuple[str, ...], ...],
    indicator: str,
    lang: str,
    acuan: dt.date | None = None,
) -> MapData:
    """Map data for (store history, revision, area filter, indicator, language, reference date), computed once."""
    snapshot = load_snapshot(url, identity, revision)
    rule = get_settings().rat
    return build_map_data(scope(snapshot, WilayahFilter(*area)).snap, indicator, lang, acuan=acuan, rule=rule)


def indicator_ui(lang: str) -> str:
    """What the map is coloured by; returns an indicator code."""
    if st.session_state.get(state.PETA_INDIKATOR) not in INDICATORS:
        st.session_state[state.PETA_INDIKATOR] = "status_fisik"
    return (
        st.segmented_control(
            t("peta.pilih_indikator", lang),
            options=list(INDICATORS),
            format_func=lambda c: t(f"peta.indikator.{c}", lang),
            key=state.PETA_INDIKATOR,
            selection_mode="single",
        )
        or "status_fisik"
    )


def kelurahan_select_ui(area: pd.DataFrame, lang: str) -> str | None:
    """The kelurahan whose profile is open: the select box, seeded from `?kelurahan=<kode>`; syncs the link."""
    ordered = area.sort_values(["kecamatan", "kelurahan"])
    names = dict(zip(ordered["kode_kelurahan"], ordered["kelurahan"] + " (" + ordered["kecamatan"] + ")", strict=True))
    if state.PETA_KELURAHAN not in st.session_state:
        st.session_state[state.PETA_KELURAHAN] = st.query_params.get(QUERY_KELURAHAN)
    if st.session_state[state.PETA_KELURAHAN] not in names:
        st.session_state[state.PETA_KELURAHAN] = None
    kode = st.selectbox(
        t("peta.pilih_kelurahan", lang),
        options=list(names),
        format_func=names.get,
        index=None,
        placeholder=t("peta.pilih_kelurahan_placeholder", lang),
        key=state.PETA_KELURAHAN,
    )
    if kode:
        st.query_params[QUERY_KELURAHAN] = kode
    elif QUERY_KELURAHAN in st.query_params:
        del st.query_params[QUERY_KELURAHAN]
    return kode


def profile_requested() -> bool:
    """True when a kelurahan's profile is to open on this run (picked on the map, in the select box or by link)."""
    chosen = st.session_state.get(state.PETA_KELURAHAN)
    return bool(chosen if state.PETA_KELURAHAN in st.session_state else st.query_params.get(QUERY_KELURAHAN))


def _on_map_select(key: str) -> None:
    kode = selected_kode(st.session_state.get(key))
    if kode:
        st.session_state[state.PETA_KELURAHAN] = kode


def map_ui(data: MapData, lang: str, *, basemap_online: bool, selected: str | None) -> None:
    """The map; a click on a kelurahan opens its profile (through the select box's state)."""
    deck = build_deck(data, basemap_online=basemap_online, selected=selected)
    # A new key per opened kelurahan: the chart starts without Streamlit's own selection
    # (which would dim the other areas) and the outline layer marks the open one.
    key = f"{state.PETA_MAP}_{data.indicator}_{selected or 'none'}"
    st.pydeck_chart(
        deck,
        height=MAP_HEIGHT_PX,
        on_select=lambda: _on_map_select(key),
        selection_mode="single-object",
        key=key,
        alt=t("peta.alt", lang, n=data.kelurahan_total, indikator=t(f"peta.indikator.{data.indicator}", lang)),
    )


def legend_ui(data: MapData, lang: str) -> None:
    """The legend pydeck lacks: a colour swatch, label and count per category."""
    rows = [
        '<div style="display:flex;align-items:center;gap:8px;margin:4px 0;font-size:0.95rem">'
        f'<span style="display:inline-block;width:18px;height:18px;border-radius:3px;'
        f'background:{html.escape(item.color)};border:1px solid #374151"></span>'
        f"<span>{html.escape(item.label)} <b>({html.escape(format_number(item.count, lang))})</b></span></div>"
        for item in data.legend
    ]
    st.markdown(
        f'<div role="list" aria-label="{html.escape(t("peta.legenda", lang))}">'
        f'<div style="font-weight:600;margin-bottom:4px">{html.escape(data.title)}</div>{"".join(rows)}</div>',
        unsafe_allow_html=True,
    )
    if data.sites:
        st.caption(t("peta.lahan_titik_keterangan", lang, n=format_number(len(data.sites), lang)))


def boundary_upload_ui(store: Store, wilayah: pd.DataFrame, lang: str) -> None:
    """Load a GeoJSON of kelurahan boundaries (signed-in editors only): match report first, then save."""
    with st.expander(t("batas.judul", lang), icon=":material/map:"):
        st.caption(t("batas.penjelasan", lang))
        editor = editor_ui(lang)
        if editor is None:
            return
        uploader_text_css(state.PETA_BATAS_FILE, lang, MAX_BOUNDARY_BYTES / 2**20, ["geojson", "json"])
        upload = st.file_uploader(t("batas.berkas", lang), type=["geojson", "json"], key=state.PETA_BATAS_FILE)
        sumber = st.text_input(t("batas.sumber", lang), key=state.PETA_BATAS_SUMBER)
        if upload is None:
            return
        data = upload.getvalue()
        try:
            match = load_boundary_file(data, wilayah)
        except BoundaryFileError as exc:
            st.error(exc.message(lang), icon=":material/error:")
            return
        summary = t(
            "batas.hasil",
            lang,
            cocok=match.matched,
            fitur=match.features,
            kode=match.by_code,
            nama=len(match.by_name),
            tanpa=len(match.missing),
        )
        (st.success if match.ok and not match.issues else st.warning)(summary)
        if match.by_name:
            st.caption(t("batas.cocok_nama", lang))
            st.dataframe(
                pd.DataFrame(match.by_name, columns=["fitur", "nama", "kode_kelurahan"]),
                hide_index=True,
                key="batas_nama",
            )
        if match.issues:
            st.markdown(f"**{t('batas.tidak_dipakai', lang)}**")
            st.dataframe(match.issues_frame(lang), hide_index=True, key="batas_masalah")
        if not match.missing.empty:
            st.markdown(f"**{t('batas.tanpa_batas', lang)}**")
            st.dataframe(match.missing, hide_index=True, key="batas_tanpa")
        if not match.ok:
            st.error(BoundaryFileError("tidak_ada_yang_cocok").message(lang), icon=":material/error:")
            return
        if st.button(t("batas.simpan", lang, n=match.matched), key=state.PETA_BATAS_SIMPAN, type="primary"):
            try:
                result = save_boundaries(
                    store,
                    match,
                    wilayah,
                    editor=editor,
                    nama_file=upload.name,
                    sha256=file_sha256(data),
                    sumber=sumber.strip() or upload.name,
                )
            except ValidationFailed as exc:
                st.dataframe(exc.report.to_frame(lang), hide_index=True, key="batas_validasi")
                return
            except AccessDenied as exc:
                st.error(exc.message(lang), icon=":material/block:")
                return
            if result.revision is None:
                st.info(t("batas.tidak_berubah", lang))
                return
            st.toast(t("batas.tersimpan", lang, revisi=result.revision), icon=":material/check_circle:")
            st.rerun()
