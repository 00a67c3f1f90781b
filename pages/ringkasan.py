"""Ringkasan: headline figures with their dates, KKMP status by kecamatan, and what needs attention."""

import pandas as pd
import streamlit as st

from kkmp.charts.ringkasan import plot_stages_by_kecamatan
from kkmp.i18n import format_date, format_number, format_percent, t
from kkmp.metrics import alerts, chart_level, headline_summary, restrict_to_kelurahan, stages_by_area
from kkmp.wilayah import area_label, select_wilayah
from ui.components import dated_caption, escape_markdown, headline_card, sample_badge
from ui.data import builds_for, current_snapshot, get_settings
from ui.shell import require_app_shell
from ui.sidebar import current_filter, current_language

require_app_shell()

MAX_ALERTS = 12

lang = current_language()
snapshot = current_snapshot()
choice = current_filter()
area = select_wilayah(snapshot["wilayah"], choice)
snap = restrict_to_kelurahan(snapshot, None if choice.is_all else area["kode_kelurahan"])
settings = get_settings()
builds = builds_for(snap)
summary = headline_summary(snap, settings, builds=builds, with_builds=False)
meta = snap.meta

st.title(t("ringkasan.judul", lang, wilayah=escape_markdown(area_label(choice, snapshot["wilayah"]))))
sample_badge(snap, lang)

k, r = summary["kkmp"], summary["rat"]
cards = st.columns(5)
with cards[0]:
    headline_card(
        t("ringkasan.kkmp_total", lang),
        format_number(k["total"], lang),
        meta["koperasi"],
        lang,
        help_text=t("ringkasan.kkmp_total_help", lang),
        key="card_kkmp",
    )
with cards[1]:
    headline_card(
        t("ringkasan.pembangunan", lang),
        format_number(k["fisik"]["pembangunan"], lang),
        meta["koperasi"],
        lang,
        help_text=t("ringkasan.pembangunan_help", lang, usulan=k["fisik"]["usulan"], selesai=k["fisik"]["selesai"]),
        key="card_pembangunan",
    )
with cards[2]:
    headline_card(
        t("ringkasan.usaha_berjalan", lang),
        format_number(k["usaha_berjalan"], lang),
        meta["koperasi"],
        lang,
        help_text=t("ringkasan.usaha_berjalan_help", lang),
        key="card_usaha",
    )
with cards[3]:
    headline_card(
        t("ringkasan.koperasi_aktif", lang),
        format_number(summary["koperasi_aktif"], lang),
        meta["koperasi"],
        lang,
        help_text=t("ringkasan.koperasi_aktif_help", lang),
        key="card_aktif",
    )
with cards[4]:
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
