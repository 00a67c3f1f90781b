"""Pembangunan: portfolio of builds by risk, their timeline, and the Kurva S of the chosen build."""

import datetime as dt

import streamlit as st

from kkmp.acuan import figures_as_of
from kkmp.charts.pembangunan import kurva_s_range, plot_gantt, plot_kurva_s
from kkmp.i18n import format_date, format_number, t
from kkmp.kesegaran import freshness
from kkmp.pembangunan import build_series
from ui.components import CHART_CONFIG, dated_caption, escape_markdown, sample_badge
from ui.data import builds_for, get_settings
from ui.pembangunan import build_choice_ui, build_metrics_ui, portfolio_ui, rule_caption
from ui.scope import page_scope
from ui.shell import require_app_shell
from ui.tindak_lanjut import freshness_ui

require_app_shell()

# A province or the country has thousands of builds: the table, choice and timeline show the riskiest.
MAX_TABLE = 500
MAX_GANTT = 40

scope = page_scope()
lang, snap, acuan = scope.lang, scope.snap, scope.acuan
settings = get_settings()
rule = settings.kontrak_kritis
meta = snap.meta
posisi = figures_as_of("progres", meta["progres"].posisi_per, acuan)  # reports after the acuan are not used
# Every status and the green line are as of the shared reference date (sidebar "Tanggal acuan").
is_today = acuan == dt.date.today()
acuan_label = t("pembangunan.hari_ini" if is_today else "pembangunan.tanggal_acuan", lang)

st.title(t("pembangunan.judul", lang, wilayah=escape_markdown(scope.area_name)))
sample_badge(snap, lang)
st.caption(rule_caption(rule, lang), help=t("pembangunan.aturan_catatan", lang))
freshness_ui(freshness(snap, settings, acuan), ("progres",), lang)

all_builds = builds_for(snap, acuan)  # statuses computed once per revision and date, sorted by risk
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
st.caption(dated_caption(meta["progres"], lang, acuan))

st.subheader(t("pembangunan.jadwal", lang))
st.plotly_chart(
    plot_gantt(builds.head(MAX_GANTT), lang, today=acuan, today_label=acuan_label, posisi_per=posisi),
    key="chart_gantt",
    config=CHART_CONFIG,
)

st.subheader(t("pembangunan.kurva_s", lang))
chosen = build_choice_ui(builds, lang)
row = builds.set_index("id_pembangunan").loc[chosen]
build = snap["pembangunan"].set_index("id_pembangunan").loc[chosen]
kurva = build_series({**build.to_dict(), "id_pembangunan": chosen}, snap["progres"], acuan)  # its reports only
build_metrics_ui(row, lang)
if kurva.rencana_standar:
    st.caption(t("pembangunan.rencana_standar_catatan", lang))
if kurva.laporan.empty:
    st.info(t("pembangunan.belum_ada_laporan", lang), icon=":material/info:")
figure = plot_kurva_s(
    kurva, lang, rule=rule, perkiraan=row["perkiraan_selesai"], today=acuan, today_label=acuan_label, posisi_per=posisi
)
st.plotly_chart(figure, key="chart_kurva_s", config=CHART_CONFIG)
start, end = kurva_s_range(kurva, row["perkiraan_selesai"])
inside = start.date() <= acuan <= end.date()
when = format_date(acuan, lang, "medium")
note = ("pembangunan.hari_ini_catatan" if inside else "pembangunan.hari_ini_di_luar") if is_today else None
note = note or ("pembangunan.acuan_catatan" if inside else "pembangunan.acuan_di_luar")
posisi_text = format_date(posisi, lang, "medium") if posisi else t("app.tanpa_tanggal", lang)
st.caption(t(note, lang, hari_ini=when, acuan=when, posisi=posisi_text))
st.caption(dated_caption(meta["progres"], lang, acuan))
