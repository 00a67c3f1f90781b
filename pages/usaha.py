"""Usaha & lahan: the programme funnel, regional assets and land, who trades with whom, distribution, capital."""

import streamlit as st

from kkmp.charts.usaha import CAPITAL_BARS, plot_capital, plot_distribution, plot_funnel
from kkmp.i18n import format_number, t
from kkmp.kesegaran import freshness
from kkmp.page_views import UsahaView
from kkmp.usaha import distribution_by_partner, distribution_detail
from ui.components import CHART_CONFIG, dated_caption, escape_markdown, sample_badge
from ui.data import get_settings
from ui.scope import page_scope, shared_view
from ui.shell import require_app_shell
from ui.tindak_lanjut import freshness_ui
from ui.usaha import (
    area_funnel_ui,
    capital_summary_ui,
    capital_table_ui,
    distribution_tables_ui,
    funnel_table_ui,
    land_lists_ui,
    links_table_ui,
    month_ui,
    partner_metrics_ui,
    usaha_cards_ui,
)

require_app_shell()


scope = page_scope()
lang, acuan = scope.lang, scope.acuan
view: UsahaView = shared_view("usaha", scope)  # distribution months after the shared Tanggal acuan are not used
snap, kkmp, penyaluran = view.snap, view.kkmp, view.penyaluran
meta = snap.meta

st.title(t("usaha.judul", lang, wilayah=escape_markdown(scope.area_name)))
sample_badge(snap, lang)
freshness_ui(freshness(snap, get_settings(), acuan), ("penyaluran",), lang)
st.caption(t("usaha.pengantar", lang))
if kkmp.empty:
    st.info(t("usaha.tidak_ada_kkmp", lang))
    st.stop()

capital, totals = view.capital, view.capital_totals
usaha_cards_ui(len(kkmp), view.trading, view.lahan, totals, meta["koperasi"], lang)

st.subheader(t("usaha.corong.judul", lang))
st.plotly_chart(plot_funnel(view.steps, lang), key="usaha_corong", config=CHART_CONFIG)
funnel_table_ui(view.steps, lang)
explained = t("usaha.corong.penjelasan", lang, total=format_number(len(kkmp), lang))
st.caption(explained + "  \n" + dated_caption(meta["koperasi"], lang, acuan))
level = view.level
with st.expander(t("usaha.corong.per_area", lang, tingkat=t(f"app.{level}", lang).lower())):
    area_funnel_ui(view.funnel_by_area, level, lang)

land_lists_ui(view.assets_in_use, view.without_land, lang)
st.caption(dated_caption(meta["koperasi"], lang, acuan))

st.subheader(t("usaha.usaha.judul", lang))
links = view.links
if links.empty:
    st.info(t("usaha.usaha.tanpa_mitra", lang))
else:
    partner_metrics_ui(view.partners, lang)
    links_table_ui(links, lang)
    st.caption(t("usaha.usaha.sejak_catatan", lang) + "  \n" + dated_caption(meta["koperasi"], lang, acuan))

st.subheader(t("usaha.penyaluran.judul", lang))
monthly = view.monthly
if monthly.empty:
    st.info(t("usaha.penyaluran.kosong", lang))
else:
    st.plotly_chart(plot_distribution(monthly, lang), key="usaha_penyaluran", config=CHART_CONFIG)
    bulan = month_ui(sorted(monthly["bulan"].unique()), lang)
    detail, by_partner = distribution_detail(penyaluran, kkmp, bulan), distribution_by_partner(penyaluran, bulan)
    distribution_tables_ui(detail, by_partner, bulan, lang)
    st.caption(dated_caption(meta["penyaluran"], lang, acuan))

st.subheader(t("usaha.modal.judul", lang))
capital_summary_ui(totals, lang)
st.plotly_chart(plot_capital(capital, lang), key="usaha_modal", config=CHART_CONFIG)
if len(capital) > CAPITAL_BARS:
    n, total = format_number(CAPITAL_BARS, lang), format_number(len(capital), lang)
    st.caption(t("usaha.modal.grafik_teratas", lang, n=n, total=total))
capital_table_ui(capital, totals, view.capital_ref, lang)
st.caption(dated_caption(meta["koperasi"], lang, acuan))
