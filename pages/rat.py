"""Kepatuhan RAT: both compliance measures, per kecamatan, trend, deadline status, who to chase, KKMP's first RAT."""

import streamlit as st

from kkmp.charts.rat import plot_rat_by_kecamatan, plot_rat_gauge, plot_rat_status_by_kecamatan, plot_rat_trend
from kkmp.i18n import format_date, format_number, format_percent, label, t
from kkmp.metrics import default_rat_year
from kkmp.page_views import RatView
from kkmp.rat import KATEGORI
from ui.components import CHART_CONFIG, dated_caption, escape_markdown, sample_badge
from ui.data import get_settings
from ui.rat import first_rat_table_ui, overdue_table_ui, rat_choice_ui
from ui.scope import page_scope, shared_view
from ui.shell import require_app_shell

require_app_shell()


scope = page_scope()
lang, snapshot, snap = scope.lang, scope.snapshot, scope.snap
settings = get_settings()
wilayah, meta = snap["wilayah"], snap.meta["rat"]

st.title(t("rat.judul", lang, wilayah=escape_markdown(scope.area_name)))
sample_badge(snap, lang)
years = sorted({int(y) for y in snapshot["rat"]["tahun_buku"].dropna()})
if not years:
    st.info(t("rat.tidak_ada_rat", lang))
    st.stop()

default_year = default_rat_year(snap, scope.acuan) or default_rat_year(snapshot, scope.acuan)
pick = rat_choice_ui(years, default_year, settings.rat, lang, scope.acuan)
year, rule, acuan = pick.tahun_buku, pick.rule, pick.acuan
deadline = rule.deadline(year)
st.caption(
    t(
        "rat.konteks",
        lang,
        tahun=year,
        batas=format_date(deadline, lang),
        wajib=format_date(rule.wajib_cutoff(year), lang),
        acuan=format_date(acuan, lang),
    )
    + " · "
    + dated_caption(meta, lang, acuan)
)

trend_years = tuple(y for y in years if y <= max(year, default_year))
view: RatView = shared_view("rat", scope, year, rule, trend_years, acuan=acuan)
c = view.compliance
n = {k: format_number(getattr(c, k), lang) for k in ("sudah", "dihitung", "sudah_wajib", "wajib")}
measures = [
    ("kota", c.persen, t("rat.detail_kota", lang, sudah=n["sudah"], dihitung=n["dihitung"])),
    ("resmi", c.persen_wajib, t("rat.detail_resmi", lang, sudah=n["sudah_wajib"], wajib=n["wajib"], tahun=year)),
]
for column, (key, persen, detail) in zip(st.columns(2), measures, strict=True):
    title = f"<b>{t(f'rat.ukuran_{key}', lang)}</b> · {t('rat.tb', lang)} {year}"
    detail = f"{t(f'rat.ukuran_{key}_rumus', lang)}<br>{detail}"
    fig = plot_rat_gauge(persen, title, rule, lang, detail=detail)
    column.plotly_chart(fig, key=f"rat_gauge_{key}", config=CHART_CONFIG)
pct = {"target": rule.target_persen, "merah": rule.batas_merah, "kuning": rule.batas_kuning}
st.caption(t("rat.penjelasan_ukuran", lang, **{k: format_percent(v, lang, 0) for k, v in pct.items()}))

level = view.level  # a city: kecamatan; a province: kabupaten/kota; the country: provinsi
by_area = view.by_area
left, right = st.columns(2, gap="large")
with left:
    n_kecamatan = format_number(wilayah["kecamatan"].nunique(), lang)
    more = t("rat.tingkat_help", lang, n=n_kecamatan, tingkat_grafik=t(f"app.{level}", lang).lower())
    st.subheader(t(f"rat.per_{level}", lang), help=None if level == "kecamatan" else more)
    fig = plot_rat_by_kecamatan(by_area, rule, lang, level=level)
    st.plotly_chart(fig, key="rat_per_kecamatan", config=CHART_CONFIG)
with right:
    st.subheader(t("rat.tren", lang))
    st.plotly_chart(plot_rat_trend(view.trend, rule, lang), key="rat_tren", config=CHART_CONFIG)
    st.caption(t("rat.tren_catatan", lang))

st.subheader(t("rat.status_judul", lang, batas=format_date(deadline, lang)))
counts = view.counts
for column, kategori in zip(st.columns(len(KATEGORI)), KATEGORI, strict=True):
    column.metric(
        label("rat_kategori", kategori, lang),
        format_number(counts[kategori], lang),
        help=t(f"rat.kategori_help.{kategori}", lang),
    )
status_fig = plot_rat_status_by_kecamatan(view.by_status, by_area[level].tolist(), lang, level=level)
st.plotly_chart(status_fig, key="rat_status", config=CHART_CONFIG)

st.subheader(t("rat.daftar_judul", lang, tahun=year))
overdue = view.overdue
if overdue.empty:
    st.success(t("rat.daftar_kosong", lang))
else:
    counts = {"n": format_number(len(overdue), lang), "wajib": format_number(int(overdue["wajib"].sum()), lang)}
    st.caption(t("rat.daftar_caption", lang, **counts, acuan=format_date(acuan, lang)))
    overdue_table_ui(overdue, year, lang)

first, countdown = view.first, view.countdown
if countdown is None:
    st.info(t("rat.tidak_ada_kkmp", lang))
else:
    st.subheader(t("rat.kkmp_judul", lang, tahun=countdown.tahun_buku))
    days = countdown.hari_tersisa
    when = t("rat.kkmp_hari_lagi" if days >= 0 else "rat.kkmp_hari_lewat", lang, n=format_number(abs(days), lang))
    left, right = st.columns([1, 2])
    left.metric(
        t("rat.kkmp_hitung_mundur", lang, batas=format_date(countdown.batas, lang, "medium")),
        when,
        help=t("rat.kkmp_hitung_mundur_help", lang),
    )
    cells = right.columns(4)
    for column, status in zip(cells, ("sudah", "dijadwalkan", "jadwal_lewat", "belum_dijadwalkan"), strict=True):
        column.metric(
            label("rat_pertama", status, lang),
            format_number(getattr(countdown, status), lang),
            help=t(f"rat.pertama_help.{status}", lang),
        )
    st.caption(t("rat.kkmp_caption", lang, jumlah=format_number(countdown.jumlah, lang), tahun=countdown.tahun_buku))
    first_rat_table_ui(first[first["tahun_buku"] == countdown.tahun_buku], lang)
st.caption(dated_caption(meta, lang, acuan))
