"""Peta: every kelurahan coloured by its KKMP's stage, with a legend, boundaries and a profile drill-down."""

import streamlit as st

from kkmp.i18n import format_number, t
from kkmp.profil import kelurahan_profile
from ui.components import dated_caption, escape_markdown, sample_badge
from ui.data import get_settings, get_store
from ui.peta import (
    boundary_upload_ui,
    cached_map_data,
    indicator_ui,
    kelurahan_select_ui,
    legend_ui,
    map_ui,
    profile_requested,
)
from ui.profil import kelurahan_profile_ui
from ui.scope import page_scope
from ui.shell import require_app_shell

require_app_shell()

scope = page_scope()
lang, choice, snapshot, snap = scope.lang, scope.choice, scope.snapshot, scope.snap
settings = get_settings()
store = get_store(settings.database_url)

st.title(t("peta.judul", lang, wilayah=escape_markdown(scope.area_name)))
sample_badge(snap, lang)

indicator = indicator_ui(lang)
filter_key = (choice.provinsi, choice.kabupaten_kota, choice.kecamatan)
data = cached_map_data(store.url, snapshot.identity, snapshot.revision, filter_key, indicator, lang, scope.acuan)

# The profile opens where the user looks: in the side column beside the map (widened for it) on a
# desktop; on a phone the columns stack, so it comes directly below the map.
wide_side = data.level == "kelurahan" and profile_requested()
map_col, side_col = st.columns([3, 2] if wide_side else [4, 1], gap="medium")
with side_col:
    kode = kelurahan_select_ui(scope.area, lang) if data.level == "kelurahan" else None
    if kode:
        profile = kelurahan_profile(snap, kode, settings, as_of=scope.acuan)
        if profile is not None:
            kelurahan_profile_ui(profile, snap.meta, lang, scope.acuan)
    legend_ui(data, lang)
    st.caption(t("peta.jumlah_ditampilkan", lang, n=format_number(data.kelurahan_total, lang)))
with map_col:
    if data.level != "kelurahan":
        st.info(
            t(
                "peta.ringkas",
                lang,
                n=format_number(data.kelurahan_total, lang),
                tingkat=t(f"peta.tingkat.{data.level}", lang),
            )
        )
    map_ui(data, lang, basemap_online=settings.basemap_online, selected=kode)
    source = "rat" if indicator == "rat" else "koperasi"
    notes = [dated_caption(snap.meta[source], lang, scope.acuan)]
    batas = snap["batas_wilayah"]
    if data.level == "kelurahan" and not data.polygons:
        notes.append(t("peta.batas_titik", lang))
    elif data.level == "kelurahan" and data.points:
        notes.append(t("peta.batas_sebagian", lang, n=len(data.points)))
    if not batas.empty and snap.meta["batas_wilayah"].sumber:
        notes.append(t("peta.sumber_batas", lang, sumber=snap.meta["batas_wilayah"].sumber))
    notes.append(t("peta.daring" if settings.basemap_online else "peta.luring", lang))
    st.caption("  \n".join(notes))

boundary_upload_ui(store, snapshot["wilayah"], lang)
