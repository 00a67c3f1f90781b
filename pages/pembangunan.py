"""Pembangunan: portfolio of builds by risk, their timeline, and the Kurva S of the chosen build."""

import datetime as dt

import streamlit as st

from kkmp.charts.pembangunan import kurva_s_range, plot_gantt, plot_kurva_s
from kkmp.i18n import format_date, format_number, t
from kkmp.pembangunan import build_series
from ui.components import dated_caption, escape_markdown, sample_badge
from ui.data import builds_for, get_settings
from ui.pembangunan import build_choice_ui, build_metrics_ui, portfolio_ui, rule_caption
from ui.scope import page_scope
from ui.shell import require_app_shell

require_app_shell()

CHART_CONFIG = {"displaylogo": False}
# A province or the country has thousands of builds: the table, choice and timeline show the riskiest.
MAX_TABLE = 500
MAX_GANTT = 40

scope = page_scope()
lang, snap = scope.lang, scope.snap
settings = get_settings()
rule = settings.kontrak_kritis
meta = snap.meta
posisi = meta["progres"].posisi_per
today = dt.date.today()

st.title(t("pembangunan.judul", lang, wilayah=escape_markdown(scope.area_name)))
sample_badge(snap, lang)
st.caption(rule_caption(rule, lang), help=t("pembangunan.aturan_catatan", lang))

all_builds = builds_for(snap)  # statuses computed once per revision, sorted by risk
if all_builds.empty:
    st.info(t("pembangunan.tidak_ada", lang), icon=":material/construction:")
    st.stop()
builds = all_builds.head(MAX_TABLE)

st.subheader(t("pembangunan.portofolio", lang))
if len(all_builds) > len(builds):
    st.caption(
        t(
            "pembangunan.teratas",
            lang,
            n=format_number(len(builds), lang),
            total=format_number(len(all_builds), lang),
            n_jadwal=format_number(MAX_GANTT, lang),
        )
    )
portfolio_ui(builds, lang)
st.caption(dated_caption(meta["progres"], lang))

st.subheader(t("pembangunan.jadwal", lang))
st.plotly_chart(
    plot_gantt(builds.head(MAX_GANTT), lang, today=today, posisi_per=posisi), key="chart_gantt", config=CHART_CONFIG
)

st.subheader(t("pembangunan.kurva_s", lang))
chosen = build_choice_ui(builds, lang)
row = builds.set_index("id_pembangunan").loc[chosen]
build = snap["pembangunan"].set_index("id_pembangunan").loc[chosen]
kurva = build_series({**build.to_dict(), "id_pembangunan": chosen}, snap["progres"])
build_metrics_ui(row, lang)
if kurva.rencana_standar:
    st.caption(t("pembangunan.rencana_standar_catatan", lang))
if kurva.laporan.empty:
    st.info(t("pembangunan.belum_ada_laporan", lang), icon=":material/info:")
figure = plot_kurva_s(kurva, lang, rule=rule, perkiraan=row["perkiraan_selesai"], today=today, posisi_per=posisi)
st.plotly_chart(figure, key="chart_kurva_s", config=CHART_CONFIG)
start, end = kurva_s_range(kurva, row["perkiraan_selesai"])
inside = start.date() <= today <= end.date()
st.caption(
    t(
        "pembangunan.hari_ini_catatan" if inside else "pembangunan.hari_ini_di_luar",
        lang,
        hari_ini=format_date(today, lang, "medium"),
        posisi=format_date(posisi, lang, "medium") if posisi else t("app.tanpa_tanggal", lang),
    )
)
st.caption(dated_caption(meta["progres"], lang))
