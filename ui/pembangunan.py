"""Widget groups of the Pembangunan page: the coloured portfolio table, the build choice, the rule, build metrics."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kkmp.charts.pembangunan import forecast_note
from kkmp.i18n import format_date, format_number, t
from kkmp.palette import BUILD_STATUS_COLORS
from kkmp.pembangunan import build_labels, portfolio_table, status_text
from kkmp.settings import KontrakKritisRule
from ui import state


def portfolio_ui(builds: pd.DataFrame, lang: str) -> None:
    """The portfolio table, status cells coloured like the charts (text stays readable)."""
    table = portfolio_table(builds, lang)
    status_col = t("pembangunan.kolom.status", lang)
    fills = [f"background-color: {BUILD_STATUS_COLORS.get(s, 'transparent')}40" for s in builds["status"]]
    styled = table.style.apply(lambda _: fills, subset=[status_col])
    st.dataframe(styled, hide_index=True, width="stretch", key="tabel_pembangunan")


def build_choice_ui(builds: pd.DataFrame, lang: str) -> str:
    """Which build's Kurva S to show (riskiest first); returns its id_pembangunan."""
    ids = builds["id_pembangunan"].tolist()
    names = dict(zip(ids, build_labels(builds, lang), strict=True))
    statuses = dict(
        zip(ids, map(status_text, builds["status"], builds["lewat_target"], [lang] * len(ids)), strict=True)
    )
    if st.session_state.get(state.PEMBANGUNAN_TERPILIH) not in ids:
        st.session_state.pop(state.PEMBANGUNAN_TERPILIH, None)
    return st.selectbox(
        t("pembangunan.pilih_pembangunan", lang),
        ids,
        format_func=lambda i: f"{names[i]} — {statuses[i]}",
        key=state.PEMBANGUNAN_TERPILIH,
        help=t("pembangunan.pilih_pembangunan_help", lang),
    )


def rule_caption(rule: KontrakKritisRule, lang: str) -> str:
    """The kontrak-kritis rule with the configured thresholds, named after the regulation."""
    month, day = rule.akhir_tahun_anggaran
    end = format_date(pd.Timestamp(2001, month, day), lang, "d MMMM")
    return t(
        "pembangunan.aturan",
        lang,
        batas=format_number(rule.batas_rencana, lang),
        rendah=format_number(rule.deviasi_rencana_rendah, lang),
        tinggi=format_number(rule.deviasi_rencana_tinggi, lang),
        akhir=t("pembangunan.akhir_tahun", lang, tanggal=end),
    )


def build_metrics_ui(row: pd.Series, lang: str) -> None:
    """Status, deviasi and forecast finish of the chosen build, as three metrics."""
    cols = st.columns(3)
    cols[0].metric(
        t("pembangunan.status_saat_ini", lang),
        status_text(row["status"], row["lewat_target"], lang),
        help=t("pembangunan.status_help", lang),
    )
    deviasi = "—" if pd.isna(row["deviasi"]) else format_number(row["deviasi"], lang, 1)
    cols[1].metric(
        t("pembangunan.deviasi_metric", lang),
        t("pembangunan.poin_nilai", lang, nilai=deviasi),
        help=t("pembangunan.deviasi_help", lang),
    )
    cols[2].metric(
        t("pembangunan.perkiraan_metric", lang),
        format_date(row["perkiraan_selesai"], lang, "medium"),
        help=forecast_note(row, lang),
    )
    if pd.isna(row["perkiraan_selesai"]) and isinstance(row["alasan_tanpa_perkiraan"], str):
        st.info(forecast_note(row, lang), icon=":material/info:")
