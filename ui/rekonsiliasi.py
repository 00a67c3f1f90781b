"""Widgets of the Rekonsiliasi page: the "only disagreements" filter, the table, totals and the XLSX export."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kkmp.export import export_table_xlsx
from kkmp.i18n import format_number, t
from kkmp.rekonsiliasi import readable_table
from ui import state


def only_disagreements_ui(lang: str) -> bool:
    """The "only disagreements" switch (on by default): the user's choice."""
    return st.toggle(t("rekonsiliasi.hanya_beda", lang), value=True, key=state.REKONSILIASI_HANYA_BEDA)


def totals_ui(totals: dict[str, dict[str, int]], lang: str) -> None:
    """One metric per measure: how many kelurahan disagree, of how many compared."""
    st.subheader(t("rekonsiliasi.total", lang))
    cols = st.columns(max(len(totals), 1))
    for col, (ukuran, n) in zip(cols, totals.items(), strict=False):
        col.metric(
            t(f"rekonsiliasi.ukuran.{ukuran}", lang),
            format_number(n["beda"], lang),
            help=t("rekonsiliasi.jumlah", lang, beda=n["beda"], total=n["dibandingkan"]),
        )


def table_ui(table: pd.DataFrame, lang: str) -> None:
    """The rows shown (user text as dataframe cells, never markdown) and their XLSX download."""
    readable = readable_table(table, lang)
    st.dataframe(readable, hide_index=True, key="rekonsiliasi_tabel", width="stretch")
    st.download_button(
        t("rekonsiliasi.unduh_xlsx", lang),
        lambda: export_table_xlsx(readable, "rekonsiliasi"),
        file_name="rekonsiliasi-kkmp.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=state.REKONSILIASI_UNDUH,
        icon=":material/download:",
    )
