"""The follow-up list (tindak lanjut) on screen: severity, kelurahan linked to its profile, downloads."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from kkmp.export import export_table_csv, export_table_xlsx
from kkmp.i18n import format_date, format_number, t
from kkmp.kesegaran import Kesegaran
from kkmp.tindak_lanjut import table as follow_up_table
from ui.sidebar import QUERY_ACUAN

MAX_ROWS = 200


def profile_link(kode: object, acuan: dt.date) -> str | None:
    """The Peta page's address that opens a kelurahan's profile as of `acuan`."""
    if kode is None or pd.isna(kode):
        return None
    return f"/peta?kelurahan={kode}&{QUERY_ACUAN}={acuan.isoformat()}"


def tindak_lanjut_ui(items: pd.DataFrame, acuan: dt.date, lang: str) -> None:
    """The list, most urgent first, with a profile link per row and CSV/XLSX downloads of all rows."""
    st.subheader(t("tindak_lanjut.judul", lang), anchor="tindak-lanjut")
    when = format_date(acuan, lang)
    if items.empty:
        st.success(t("tindak_lanjut.kosong", lang, acuan=when))
        return
    st.caption(t("tindak_lanjut.caption", lang, n=format_number(len(items), lang), acuan=when))
    kolom_profil = t("tindak_lanjut.kolom.profil", lang)
    # Only the rows on screen are formatted here (nationally the list holds 100,000 items and formatting them
    # all took 6 s a run); the downloads format every row when clicked.
    on_screen = follow_up_table(items.head(MAX_ROWS), lang)
    on_screen.insert(3, kolom_profil, [profile_link(k, acuan) for k in items["kode_kelurahan"].head(MAX_ROWS)])
    st.dataframe(
        on_screen,
        hide_index=True,
        key="tindak_lanjut_tabel",
        column_config={
            kolom_profil: st.column_config.LinkColumn(kolom_profil, display_text=t("tindak_lanjut.buka_profil", lang))
        },
    )
    name = f"tindak_lanjut_{acuan.isoformat()}"
    buttons = st.container(horizontal=True)
    buttons.download_button(
        t("rat.unduh_csv", lang),
        lambda: export_table_csv(follow_up_table(items, lang)),
        file_name=f"{name}.csv",
        mime="text/csv",
        key="tindak_lanjut_csv",
        icon=":material/download:",
    )
    buttons.download_button(
        t("rat.unduh_xlsx", lang),
        lambda: export_table_xlsx(follow_up_table(items, lang), "tindak_lanjut"),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="tindak_lanjut_xlsx",
        icon=":material/download:",
    )


def freshness_ui(items: list[Kesegaran], datasets: tuple[str, ...], lang: str) -> None:
    """A warning banner for each of `datasets` older than its threshold on the reference date."""
    for k in items:
        if k.dataset in datasets and k.basi and k.posisi_per is not None:
            st.warning(
                t(
                    "app.data_basi",
                    lang,
                    dataset=t(f"app.nama_dataset.{k.dataset}", lang),
                    tanggal=format_date(k.posisi_per, lang, "medium"),
                    n=format_number(k.umur_hari, lang),
                ),
                icon=":material/schedule:",
            )
