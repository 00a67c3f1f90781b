"""Rekonsiliasi: the office's figures and the national KDKMP figures side by side, where they disagree."""

import streamlit as st

from kkmp.i18n import t
from kkmp.rekonsiliasi import disagreements, totals
from ui.components import escape_markdown, sample_badge
from ui.rekonsiliasi import only_disagreements_ui, table_ui, totals_ui
from ui.scope import area_view, page_scope
from ui.shell import require_app_shell

require_app_shell()
scope = page_scope()
lang, snap = scope.lang, scope.snap

st.title(t("rekonsiliasi.judul", lang, wilayah=escape_markdown(scope.area_name)))
sample_badge(snap, lang)
st.caption(t("rekonsiliasi.pengantar", lang))

table = area_view("rekonsiliasi", scope)  # `kkmp.rekonsiliasi.reconcile`, once per area
if table.empty:
    st.info(t("rekonsiliasi.belum_ada", lang), icon=":material/info:")
    st.stop()

st.markdown(t("rekonsiliasi.jumlah", lang, beda=int(table["beda"].sum()), total=len(table)))
totals_ui(totals(table), lang)
shown = disagreements(table) if only_disagreements_ui(lang) else table
if shown.empty:
    st.success(t("rekonsiliasi.kosong", lang))
else:
    table_ui(shown, lang)
