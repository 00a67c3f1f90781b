"""Widget groups of the RAT page: the choice of year, deadline and reference date; tables with downloads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from kkmp.export import export_table_csv, export_table_xlsx
from kkmp.i18n import format_date, label, t
from kkmp.settings import STATUTORY_RAT_DEADLINE, RatRule
from ui import state
from ui.components import first_rows

CUSTOMARY_RAT_DEADLINE = (3, 31)
#: Rows a table shows; the downloads hold them all (nationally the lists run to ~100,000).


@dataclass(frozen=True)
class RatChoice:
    """The user's choice on the RAT page."""

    tahun_buku: int
    rule: RatRule
    acuan: dt.date


def _md(value: tuple[int, int]) -> str:
    return f"{value[0]:02d}-{value[1]:02d}"


def deadline_options(rule: RatRule) -> list[str]:
    """'MM-DD' options: the configured deadline first, then 31 March and 30 June when different."""
    found = [_md(rule.batas_waktu), _md(CUSTOMARY_RAT_DEADLINE), _md(STATUTORY_RAT_DEADLINE)]
    return list(dict.fromkeys(found))


def deadline_label(option: str, lang: str) -> str:
    """'31 Maret (kebiasaan)', '30 Juni (UU 25/1992)', or the configured date."""
    month, day = (int(p) for p in option.split("-"))
    when = format_date(dt.date(2001, month, day), lang, "d MMMM")
    if (month, day) == CUSTOMARY_RAT_DEADLINE:
        return t("rat.batas_kebiasaan", lang, tanggal=when)
    if (month, day) == STATUTORY_RAT_DEADLINE:
        return t("rat.batas_undang", lang, tanggal=when)
    return t("rat.batas_pengaturan", lang, tanggal=when)


def rat_choice_ui(
    years: list[int], default_year: int, rule: RatRule, lang: str, acuan: dt.date | None = None
) -> RatChoice:
    """Financial year, deadline (31 Mar / 30 Jun) and reference date (starting at the shared one); the choice."""
    if st.session_state.get(state.RAT_TAHUN_BUKU) not in years:
        st.session_state[state.RAT_TAHUN_BUKU] = default_year
    options = deadline_options(rule)
    if st.session_state.get(state.RAT_BATAS_WAKTU) not in options:
        st.session_state[state.RAT_BATAS_WAKTU] = options[0]
    if not isinstance(st.session_state.get(state.RAT_ACUAN), dt.date):
        st.session_state[state.RAT_ACUAN] = acuan or dt.date.today()
    left, middle, right = st.columns([1, 2, 1])
    year = left.selectbox(t("rat.tahun_buku", lang), years, key=state.RAT_TAHUN_BUKU)
    batas = middle.segmented_control(
        t("rat.batas_waktu", lang),
        options,
        format_func=lambda o: deadline_label(o, lang),
        key=state.RAT_BATAS_WAKTU,
        help=t("rat.batas_waktu_help", lang),
    )
    acuan = right.date_input(
        t("rat.acuan", lang), key=state.RAT_ACUAN, format="DD/MM/YYYY", help=t("rat.acuan_help", lang)
    )
    batas = batas or options[0]  # a segmented control can be cleared; fall back to the configured one
    month, day = (int(p) for p in batas.split("-"))
    return RatChoice(int(year), replace(rule, batas_waktu=(month, day)), acuan)


def downloads_ui(frame: pd.DataFrame, name: str, lang: str, key: str) -> None:
    """CSV and XLSX downloads of every row of `frame`, built only when clicked."""
    buttons = st.container(horizontal=True)
    buttons.download_button(
        t("rat.unduh_csv", lang),
        lambda: export_table_csv(frame),  # built on click: nationally the lists have ~100,000 rows
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
    )
    buttons.download_button(
        t("rat.unduh_xlsx", lang),
        lambda: export_table_xlsx(frame, name),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon=":material/download:",
    )


#: Column → (kind, heading text key) for the RAT page's tables.
TABLE_COLUMNS = {
    "nama_koperasi": ("text", "rat.kolom.nama"),
    "kelurahan": ("text", "rat.kolom.kelurahan"),
    "kecamatan": ("text", "rat.kolom.kecamatan"),
    "kkmp": ("check", "rat.kolom.kkmp"),
    "wajib": ("check", "rat.kolom.wajib"),
    "kategori": ("text", "rat.kolom.kategori"),
    "status": ("text", "rat.kolom.kategori"),
    "hari_terlambat": ("days", "rat.kolom.hari_terlambat"),
    "hari_tersisa": ("days", "rat.kolom.hari_tersisa"),
    "jadwal_rat": ("date", "rat.kolom.jadwal_rat"),
    "tanggal_rat": ("date", "rat.kolom.tanggal_rat"),
    "lapor_ods": ("check", "rat.kolom.lapor_ods"),
}


def _table_ui(frame: pd.DataFrame, columns: list[str], key: str, lang: str) -> None:
    """`columns` of `frame` as a table with the headings and formats of `TABLE_COLUMNS`."""
    kinds = {
        "text": lambda title: st.column_config.TextColumn(title),
        "check": lambda title: st.column_config.CheckboxColumn(title),
        "days": lambda title: st.column_config.NumberColumn(title, format="%d"),
        "date": lambda title: st.column_config.DateColumn(title, format="DD/MM/YYYY"),
    }
    config = {c: kinds[TABLE_COLUMNS[c][0]](t(TABLE_COLUMNS[c][1], lang)) for c in columns}
    st.dataframe(frame[columns], hide_index=True, width="stretch", key=key, column_config=config)


def overdue_table_ui(overdue: pd.DataFrame, tahun_buku: int, lang: str) -> None:
    """The list of cooperatives without RAT (most urgent first), with CSV and XLSX downloads of all of it."""
    top = first_rows(overdue, lang, "rat.tabel_teratas")
    shown = top.assign(kategori=top["kategori"].map(lambda k: label("rat_kategori", k, lang)))
    columns = ["nama_koperasi", "kelurahan", "kecamatan", "kkmp", "wajib", "kategori", "hari_terlambat", "jadwal_rat"]
    _table_ui(shown, [*columns, "lapor_ods"], "rat_daftar_belum", lang)
    downloads_ui(overdue.assign(tahun_buku=tahun_buku), f"belum-rat-tb{tahun_buku}", lang, "rat_unduh")


def first_rat_table_ui(first: pd.DataFrame, lang: str) -> None:
    """The KKMP and their first RAT: schedule, status, days to the deadline (the whole list as downloads)."""
    top = first_rows(first, lang, "rat.tabel_teratas")
    shown = top.assign(status=top["status"].map(lambda s: label("rat_pertama", s, lang)))
    columns = ["nama_koperasi", "kelurahan", "status", "jadwal_rat", "tanggal_rat", "hari_tersisa"]
    _table_ui(shown, columns, "rat_kkmp_pertama", lang)
    columns = ["id_koperasi", "nama_koperasi", "kelurahan", "kecamatan", "tahun_buku", "batas", "status"]
    columns += ["jadwal_rat", "tanggal_rat", "hari_tersisa"]
    whole = first[[c for c in columns if c in first.columns]]
    year = int(first["tahun_buku"].iloc[0]) if not first.empty else ""
    downloads_ui(whole, f"rat-pertama-kkmp-tb{year}", lang, "rat_pertama_unduh")
