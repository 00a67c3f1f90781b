"""Ringkasan: headline figures with their dates, the follow-up list, and KKMP status by kecamatan."""

import streamlit as st

from kkmp.charts.ringkasan import plot_stages_by_kecamatan
from kkmp.i18n import format_number, format_percent, t
from kkmp.kesegaran import freshness
from kkmp.metrics import chart_level, stages_by_area
from kkmp.rekonsiliasi import disagreements
from ui.components import (
    CHART_CONFIG,
    dated_caption,
    escape_markdown,
    headline_card,
    phone_two_per_row_css,
    sample_badge,
)
from ui.data import get_settings
from ui.scope import area_view, page_scope
from ui.shell import require_app_shell
from ui.tindak_lanjut import freshness_ui, tindak_lanjut_ui

require_app_shell()

scope = page_scope()
lang, area, snap, acuan = scope.lang, scope.area, scope.snap, scope.acuan
settings = get_settings()
summary = area_view("ringkasan", scope)
meta = snap.meta

st.title(t("ringkasan.judul", lang, wilayah=escape_markdown(scope.area_name)))
sample_badge(snap, lang)
freshness_ui(freshness(snap, settings, acuan), ("progres", "koperasi", "rat"), lang)

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
# On a phone the five headline cards sit two per row, inside the first screen; the follow-up list follows.
phone_two_per_row_css("ringkasan_angka")
cards = st.container(key="ringkasan_angka").columns(len(counts) + 1)
for column, (name, value, params, key) in zip(cards, counts, strict=False):
    with column:
        headline_card(
            t(f"ringkasan.{name}", lang),
            format_number(value, lang),
            meta["koperasi"],
            lang,
            help_text=t(f"ringkasan.{name}_help", lang, **params),
            key=key,
            acuan=acuan,
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
            acuan=acuan,
        )

left, right = st.columns([3, 2], gap="large")
with left:
    tindak_lanjut_ui(area_view("tindak_lanjut", scope), acuan, lang)
    st.caption(dated_caption(meta["progres"], lang, acuan) + " · " + dated_caption(meta["rat"], lang, acuan))

with right:
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
        st.plotly_chart(plot_stages_by_kecamatan(stages, lang, level=level), key="chart_tahap", config=CHART_CONFIG)
    st.caption(dated_caption(meta["koperasi"], lang, acuan))
    beda = disagreements(area_view("rekonsiliasi", scope))
    if not beda.empty:
        st.info(t("rekonsiliasi.ringkasan", lang, n=format_number(len(beda), lang)), icon=":material/compare_arrows:")
