"""Ringkasan: headline figures with their dates, KKMP status by kecamatan, and what needs attention."""

import pandas as pd
import streamlit as st

from kkmp.charts.ringkasan import plot_stages_by_kecamatan
from kkmp.i18n import format_date, format_number, format_percent, t
from kkmp.metrics import alerts, chart_level, headline_summary, stages_by_area
from kkmp.rekonsiliasi import disagreements, reconcile
from ui.components import dated_caption, escape_markdown, headline_card, sample_badge
from ui.data import builds_for, get_settings
from ui.scope import page_scope
from ui.shell import require_app_shell

require_app_shell()

MAX_ALERTS = 12

scope = page_scope()
lang, area, snap = scope.lang, scope.area, scope.snap
settings = get_settings()
builds = builds_for(snap)
summary = headline_summary(snap, settings, builds=builds, with_builds=False)
meta = snap.meta

st.title(t("ringkasan.judul", lang, wilayah=escape_markdown(scope.area_name)))
sample_badge(snap, lang)

k, r = summary["kkmp"], summary["rat"]
counts = (  # (text key, figure, help text parameters, card key), all counted from `koperasi`
    ("kkmp_total", k["total"], {}, "card_kkmp"),
    (
        "pembangunan",
        k["fisik"]["pembangunan"],
        {"usulan": k["fisik"]["usulan"], "selesai": k["fisik"]["selesai"]},
        "card_pembangunan",
    ),
    ("usaha_berjalan", k["usaha_berjalan"], {}, "card_usaha"),
    ("koperasi_aktif", summary["koperasi_aktif"], {}, "card_aktif"),
)
cards = st.columns(len(counts) + 1)
for column, (name, value, params, key) in zip(cards, counts, strict=False):
    with column:
        headline_card(
            t(f"ringkasan.{name}", lang),
            format_number(value, lang),
            meta["koperasi"],
            lang,
            help_text=t(f"ringkasan.{name}_help", lang, **params),
            key=key,
        )
with cards[-1]:
    if r.get("tahun_buku") is not None:
        headline_card(
            t("ringkasan.rat", lang, tahun=r["tahun_buku"]),
            format_percent(r["persen"], lang),
            meta["rat"],
            lang,
            help_text=t(
                "ringkasan.rat_help",
                lang,
                sudah=r["sudah"],
                dihitung=r["dihitung"],
                sudah_wajib=r["sudah_wajib"],
                wajib=r["wajib"],
                persen_wajib=format_percent(r["persen_wajib"], lang),
            ),
            key="card_rat",
        )

left, right = st.columns([3, 2], gap="large")
with left:
    level = chart_level(area)  # national: provinsi, a province: kabupaten/kota, a city: kecamatan
    n_kecamatan = area["kecamatan"].nunique()
    st.subheader(
        t(f"ringkasan.tahap_per_{level}", lang),
        help=None
        if level == "kecamatan"
        else t(
            "ringkasan.tahap_tingkat_help",
            lang,
            n=format_number(n_kecamatan, lang),
            tingkat=t("app.kecamatan", lang).lower(),
            tingkat_grafik=t(f"app.{level}", lang).lower(),
        ),
    )
    stages = stages_by_area(snap, level)
    if stages["jumlah"].sum() == 0:
        st.info(t("app.tidak_ada_data", lang))
    else:
        st.plotly_chart(
            plot_stages_by_kecamatan(stages, lang, level=level), key="chart_tahap", config={"displaylogo": False}
        )
    st.caption(dated_caption(meta["koperasi"], lang))

with right:
    st.subheader(t("ringkasan.peringatan", lang))
    items = alerts(snap, settings, builds=builds)
    if items.empty:
        st.success(t("ringkasan.tidak_ada_peringatan", lang))
    for _, a in items.head(MAX_ALERTS).iterrows():
        value = format_number(a["nilai"], lang, 1) if a["jenis"].startswith("pembangunan") else str(a["nilai"])
        when = format_date(a["tanggal"], lang, "medium") if pd.notna(a["tanggal"]) else "—"
        text = t(
            f"ringkasan.alert_{a['jenis']}",
            lang,
            kelurahan=escape_markdown(a["kelurahan"]),
            kecamatan=escape_markdown(a["kecamatan"]),
            nama=escape_markdown(a["nama"]),
            nilai=value,
            tanggal=when,
        )
        icon = ":material/error:" if a["jenis"] == "pembangunan_kritis" else ":material/warning:"
        (st.error if a["jenis"] == "pembangunan_kritis" else st.warning)(text, icon=icon)
    if len(items) > MAX_ALERTS:
        st.caption(t("ringkasan.alert_lainnya", lang, n=len(items) - MAX_ALERTS))
    st.caption(dated_caption(meta["progres"], lang))
    beda = disagreements(reconcile(snap))
    if not beda.empty:
        st.info(t("rekonsiliasi.ringkasan", lang, n=format_number(len(beda), lang)), icon=":material/compare_arrows:")
