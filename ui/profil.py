"""The kelurahan profile (drill-down): stage timeline, units, partners, members, build progress, RAT history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from kkmp.i18n import format_date, format_number, format_rupiah, label, t
from kkmp.pembangunan import status_text
from kkmp.profil import KelurahanProfile
from kkmp.store import DatasetMeta
from ui.components import dated_caption, escape_markdown


def _timeline_md(profile: KelurahanProfile, lang: str) -> str:
    lines = []
    for step in profile.timeline:
        name = label("tahap", step.tahap, lang)
        when = f" — {format_date(step.tanggal, lang, 'medium')}" if step.tanggal else ""
        if step.current:
            lines.append(f"- :material/radio_button_checked: **{name}** ({t('profil.tahap_sekarang', lang)}){when}")
        elif step.reached:
            lines.append(f"- :green[:material/check_circle:] {name}{when}")
        else:
            lines.append(f"- :gray[:material/radio_button_unchecked: {name}]")
    return "\n".join(lines)


def _builds_ui(profile: KelurahanProfile, lang: str) -> None:
    kop = profile.koperasi or {}
    st.markdown(f"**{t('profil.pembangunan', lang)}**")
    if profile.builds.empty:
        st.caption(t("profil.belum_dibangun", lang, status=label("status_fisik", kop.get("status_fisik"), lang)))
        return
    for _, b in profile.builds.iterrows():
        st.caption(
            t(
                "profil.build_judul",
                lang,
                objek=label("objek", b["objek"], lang),
                pelaksana=escape_markdown(b["pelaksana"]) if pd.notna(b["pelaksana"]) else "—",
                mulai=format_date(b["tanggal_mulai"], lang, "medium"),
                target=format_date(b["target_selesai"], lang, "medium"),
            )
        )
        real = b["realisasi_persen"]
        st.progress(min(max(float(real) / 100.0, 0.0), 1.0) if pd.notna(real) else 0.0)
        cols = st.columns(3)
        cols[0].metric(t("profil.rencana", lang), _pct(b["rencana_persen"], lang))
        cols[1].metric(t("profil.realisasi", lang), _pct(real, lang))
        cols[2].metric(t("profil.deviasi", lang), _pp(b["deviasi"], lang))
        notes = [
            f"{t('profil.status_build', lang)}: **{status_text(b['status'], b['lewat_target'], lang)}**",
            t("profil.laporan_terakhir", lang, tanggal=format_date(b["tanggal_laporan"], lang, "medium")),
        ]
        if pd.notna(b["perkiraan_selesai"]):
            notes.append(t("profil.perkiraan", lang, tanggal=format_date(b["perkiraan_selesai"], lang, "medium")))
        st.caption(" · ".join(notes))


def _pct(value: object, lang: str) -> str:
    return "—" if value is None or pd.isna(value) else format_number(value, lang, 1) + "%"


def _pp(value: object, lang: str) -> str:
    if value is None or pd.isna(value):
        return "—"
    sign = "+" if value > 0 else ""
    return f"{sign}{format_number(value, lang, 1)} pp"


def _rat_ui(profile: KelurahanProfile, lang: str) -> None:
    st.markdown(f"**{t('profil.rat', lang)}**")
    if profile.rat.empty:
        st.caption(t("profil.rat_kosong", lang))
        return
    yes, no = t("profil.ya", lang), t("profil.tidak", lang)
    table = pd.DataFrame(
        {
            t("profil.kolom.tahun_buku", lang): profile.rat["tahun_buku"].astype("Int64").astype(str),
            t("profil.kolom.tanggal_rat", lang): [format_date(v, lang, "medium") for v in profile.rat["tanggal_rat"]],
            t("profil.kolom.jadwal_rat", lang): [format_date(v, lang, "medium") for v in profile.rat["jadwal_rat"]],
            t("profil.kolom.lapor_ods", lang): [
                "—" if pd.isna(v) else (yes if v else no) for v in profile.rat["lapor_ods"]
            ],
        }
    )
    st.dataframe(table, hide_index=True, key="profil_rat")


def kelurahan_profile_ui(
    profile: KelurahanProfile, meta: Mapping[str, DatasetMeta], lang: str, acuan: dt.date | None = None
) -> None:
    """Render one kelurahan's profile (dates as of `acuan`); every user-supplied text is escaped."""
    with st.container(border=True, key="profil_kelurahan"):
        st.subheader(t("profil.judul", lang, kelurahan=escape_markdown(profile.kelurahan)), anchor=False)
        st.caption(
            t(
                "profil.wilayah",
                lang,
                kecamatan=escape_markdown(profile.kecamatan),
                kota=escape_markdown(profile.kabupaten_kota),
                kode=profile.kode_kelurahan,
            )
        )
        kop = profile.koperasi
        if kop is None:
            st.info(t("profil.tanpa_kkmp", lang))
            return
        st.markdown(
            f"**{escape_markdown(kop['nama_koperasi'])}** · "
            + t("profil.status", lang, status=label("status", kop.get("status"), lang))
        )
        cols = st.columns(3)
        target = t("profil.target_anggota", lang, target=format_number(profile.target_anggota, lang))
        cols[0].metric(
            t("profil.anggota", lang),
            format_number(kop.get("jumlah_anggota"), lang),
            help=target if profile.target_anggota else None,
        )
        cols[1].metric(t("profil.modal_sendiri", lang), format_rupiah(kop.get("modal_sendiri"), lang))
        cols[2].metric(t("profil.modal_luar", lang), format_rupiah(kop.get("modal_luar"), lang))
        st.caption(dated_caption(meta["koperasi"], lang, acuan))

        left, right = st.columns([2, 3], gap="large")
        with left:
            st.markdown(f"**{t('profil.tahapan', lang)}**")
            st.markdown(_timeline_md(profile, lang))
        with right:
            none = t("profil.belum_ada", lang)
            units = ", ".join(label("unit_usaha", u, lang) for u in profile.unit_usaha) or none
            partners = ", ".join(escape_markdown(m) for m in profile.mitra) or none
            st.markdown(f"**{t('profil.unit_usaha', lang)}:** {units}")
            st.markdown(f"**{t('profil.mitra', lang)}:** {partners}")
            st.markdown(f"**{t('profil.lahan', lang)}:** {label('status_lahan', kop.get('status_lahan'), lang)}")
            _builds_ui(profile, lang)
            st.caption(dated_caption(meta["progres"], lang, acuan))
            _rat_ui(profile, lang)
            st.caption(dated_caption(meta["rat"], lang, acuan))
