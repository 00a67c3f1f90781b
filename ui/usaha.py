"""Widget groups and tables of the Usaha & lahan page: month choice, funnel, assets, trade, capital."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from kkmp.charts.usaha import step_label
from kkmp.i18n import format_date, format_number, format_percent, format_rupiah, label, t
from kkmp.schema import STATUS_SIMPAN_PINJAM
from kkmp.store import DatasetMeta
from kkmp.usaha import MANDIRI_YEARS, FunnelStep
from ui import state
from ui.components import escape_markdown, first_rows, headline_card

#: Kelurahan names listed per funnel step; the rest are counted ("… +n").
MAX_NAMES = 40
#: Rows a table shows (nationally the lists run to tens of thousands).


def _names(names: tuple[str, ...], lang: str) -> str:
    shown = ", ".join(names[:MAX_NAMES])
    rest = len(names) - MAX_NAMES
    return shown + (f" … +{format_number(rest, lang)}" if rest > 0 else "")


def _table(frame: pd.DataFrame, columns: dict[str, str], lang: str, key: str) -> None:
    """`frame`'s `columns` (name → text key under usaha.kolom) as a plain-text table (cut by `first_rows` first)."""
    shown = frame[list(columns)].rename(columns={c: t(f"usaha.kolom.{k}", lang) for c, k in columns.items()})
    st.dataframe(shown, hide_index=True, width="stretch", key=key)


def usaha_cards_ui(
    total: int, berusaha: int, lahan: dict[str, int], totals: dict[str, object], meta: DatasetMeta, lang: str
) -> None:
    """Headline cards: KKMP trading, with land secured, with no land, with outside capital (all dated)."""
    cards = (  # (text key, figure, help parameters)
        ("berusaha", berusaha, {}),
        ("lahan_aman", lahan["terverifikasi"] + lahan["selesai"], {"total": format_number(total, lang)}),
        ("tanpa_lahan", lahan["tidak_ada_lahan"] + lahan["tanpa_data"], {}),
        ("modal_luar", totals["dengan_modal_luar"], {}),
    )
    for column, (name, value, params) in zip(st.columns(len(cards)), cards, strict=True):
        with column:
            help_text = t(f"usaha.kartu.{name}_help", lang, **params)
            title = t(f"usaha.kartu.{name}", lang)
            headline_card(title, format_number(value, lang), meta, lang, help_text=help_text, key=f"usaha_{name}")


def funnel_table_ui(steps: list[FunnelStep], lang: str) -> None:
    """The funnel as a table: step, KKMP, how many trade, and the kelurahan behind it."""
    frame = pd.DataFrame(
        {
            "tahap": [step_label(s, lang) for s in steps],
            "jumlah": [s.jumlah for s in steps],
            "berusaha": [s.berusaha for s in steps],
            "kelurahan": [_names(s.kelurahan, lang) for s in steps],
        }
    )
    _table(frame, {c: c for c in frame.columns}, lang, "usaha_corong_tabel")


def area_funnel_ui(table: pd.DataFrame, level: str, lang: str) -> None:
    """KKMP per area and funnel step (columns named like the funnel's steps)."""
    names = {level: t(f"app.{level}", lang), "total": t("usaha.kolom.total", lang)}
    for column in table.columns:
        if column not in names:
            tahap, _, lahan = column.partition(":")
            names[column] = step_label(FunnelStep(tahap, lahan or None, 0, 0, ()), lang)
    st.dataframe(table.rename(columns=names), hide_index=True, width="stretch", key="usaha_corong_area")


def assets_table_ui(assets: pd.DataFrame, lang: str) -> None:
    """Which KKMP use which regional asset, for what, with their land status."""
    assets = first_rows(assets, lang)
    frame = assets.assign(
        aset=assets["aset_daerah"].map(lambda v: label("aset_daerah", v, lang)),
        lahan=assets["status_lahan"].map(lambda v: label("status_lahan", v, lang)),
    )
    cols = {"kelurahan": "kelurahan", "kecamatan": "kecamatan", "aset": "aset", "lahan": "lahan"}
    _table(frame, cols, lang, "usaha_aset_tabel")


def without_land_table_ui(rows: pd.DataFrame, lang: str) -> None:
    """Kelurahan with no land: land status (or no KKMP) and any regional asset in use."""
    rows = first_rows(rows, lang)
    status = rows["status_lahan"].map(
        lambda v: t("usaha.tanpa_lahan.tanpa_kkmp", lang) if v == "tanpa_kkmp" else label("status_lahan", v, lang)
    )
    status = status.where(rows["status_lahan"] != "tanpa_data", t("usaha.corong.tanpa_data", lang))
    frame = rows.assign(lahan=status, aset=rows["aset_daerah"].map(lambda v: label("aset_daerah", v, lang)))
    cols = {"kelurahan": "kelurahan", "kecamatan": "kecamatan", "lahan": "lahan", "aset": "aset"}
    _table(frame, cols, lang, "usaha_tanpa_lahan_tabel")


def land_lists_ui(assets: pd.DataFrame, bare: pd.DataFrame, lang: str) -> None:
    """Regional assets in use beside the kelurahan with no land (stacked on phones)."""
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("usaha.aset.judul", lang))
        st.caption(t("usaha.aset.penjelasan", lang, n=format_number(len(assets), lang)))
        if assets.empty:
            st.info(t("usaha.aset.kosong", lang))
        else:
            assets_table_ui(assets, lang)
    with right:
        st.subheader(t("usaha.tanpa_lahan.judul", lang))
        st.caption(t("usaha.tanpa_lahan.penjelasan", lang, n=format_number(len(bare), lang)))
        if bare.empty:
            st.success(t("usaha.tanpa_lahan.kosong", lang))
        else:
            without_land_table_ui(bare, lang)


def partner_metrics_ui(partners: pd.DataFrame, lang: str, limit: int = 4) -> None:
    """KKMP per partner, the `limit` largest as metrics (partner names as literal text)."""
    shown = partners.head(limit)
    for column, (mitra, n) in zip(st.columns(max(len(shown), 1)), shown.itertuples(index=False), strict=False):
        column.metric(escape_markdown(mitra), format_number(n, lang), help=t("usaha.usaha.mitra_help", lang))


def links_table_ui(links: pd.DataFrame, lang: str) -> None:
    """Who trades with whom since when, and what."""
    links = first_rows(links, lang)
    commodities = links["komoditas"].map(
        lambda v: ", ".join(label("komoditas", k, lang) for k in str(v).split("; ")) if isinstance(v, str) else "—"
    )
    frame = links.assign(
        sejak=links["sejak"].map(lambda d: format_date(d, lang, "MMM y")),
        terakhir=links["terakhir"].map(lambda d: format_date(d, lang, "MMM y")),
        komoditas=commodities,
    )
    cols = {c: c for c in ("kelurahan", "kecamatan", "mitra", "sejak", "terakhir", "komoditas")}
    _table(frame, cols, lang, "usaha_mitra_tabel")


def month_ui(months: list[pd.Timestamp], lang: str) -> pd.Timestamp:
    """The month whose distribution the tables show (newest by default); returns it."""
    if st.session_state.get(state.USAHA_BULAN) not in months:
        st.session_state[state.USAHA_BULAN] = months[-1]
    return st.selectbox(
        t("usaha.penyaluran.pilih_bulan", lang),
        months,
        format_func=lambda m: format_date(m, lang, "MMMM y"),
        key=state.USAHA_BULAN,
    )


def _quantities(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.assign(
        komoditas=frame["komoditas"].map(lambda v: label("komoditas", v, lang)),
        satuan=frame["satuan"].map(lambda v: t(f"briefing.satuan_{v}", lang)),
        jumlah_salur=frame["jumlah"].map(lambda v: format_number(v, lang)),
    )


def distribution_tables_ui(detail: pd.DataFrame, partners: pd.DataFrame, bulan: pd.Timestamp, lang: str) -> None:
    """One month's distribution per KKMP and per partner, side by side (stacked on phones)."""
    when = format_date(bulan, lang, "MMMM y")
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.markdown("**" + t("usaha.penyaluran.per_koperasi", lang, bulan=when) + "**")
        cols = {c: c for c in ("kelurahan", "mitra", "komoditas", "jumlah_salur", "satuan")}
        _table(_quantities(first_rows(detail, lang), lang), cols, lang, "usaha_salur_koperasi")
    with right:
        st.markdown("**" + t("usaha.penyaluran.per_mitra", lang, bulan=when) + "**")
        frame = _quantities(first_rows(partners, lang), lang).rename(columns={"koperasi": "jumlah_koperasi"})
        cols = {c: c for c in ("mitra", "komoditas", "jumlah_salur", "satuan", "jumlah_koperasi")}
        _table(frame, cols, lang, "usaha_salur_mitra")


def capital_summary_ui(totals: dict[str, object], lang: str) -> None:
    """Total own and outside capital, own share, and KKMP per savings-and-loans state."""
    figures = [
        (t("usaha.modal.total_sendiri", lang), format_rupiah(totals["modal_sendiri"], lang)),
        (t("usaha.modal.total_luar", lang), format_rupiah(totals["modal_luar"], lang)),
        (t("usaha.modal.porsi", lang), format_percent(totals["persen_sendiri"], lang)),
    ]
    unit = t("usaha.kolom.simpan_pinjam", lang)
    states = [
        (f"{unit}: {label('simpan_pinjam', s, lang)}", format_number(totals["simpan_pinjam"][s], lang))
        for s in STATUS_SIMPAN_PINJAM
    ]
    for row in (figures, states):
        for column, (title, value) in zip(st.columns(len(row)), row, strict=True):
            column.metric(title, value)


def capital_table_ui(capital: pd.DataFrame, totals: dict[str, object], reference: dt.date, lang: str) -> None:
    """Per KKMP: both capitals, own share, savings-and-loans state, self-financing aim and months left."""
    st.markdown("**" + t("usaha.modal.simpan_pinjam_judul", lang) + "**")
    aim = {k: format_date(totals[f"target_mandiri_{k}"], lang) for k in ("awal", "akhir")}
    acuan = format_date(reference, lang)
    st.caption(t("usaha.modal.simpan_pinjam_penjelasan", lang, tahun=MANDIRI_YEARS, acuan=acuan, **aim))
    capital = first_rows(capital, lang)
    frame = capital.assign(
        modal_sendiri=capital["modal_sendiri"].map(lambda v: format_rupiah(v, lang)),
        modal_luar=capital["modal_luar"].map(lambda v: format_rupiah(v, lang)),
        persen_sendiri=capital["persen_sendiri"].map(lambda v: format_percent(v, lang, 0)),
        simpan_pinjam=capital["simpan_pinjam"].map(lambda v: label("simpan_pinjam", v, lang)),
        target_mandiri=capital["target_mandiri"].map(lambda d: format_date(d, lang, "MMM y")),
        bulan_tersisa=capital["bulan_tersisa"].map(lambda v: format_number(v, lang)),
    )
    cols = {c: c for c in ("kelurahan", "kecamatan", "modal_sendiri", "modal_luar", "persen_sendiri")}
    cols |= {c: c for c in ("simpan_pinjam", "target_mandiri", "bulan_tersisa")}
    _table(frame, cols, lang, "usaha_modal_tabel")
