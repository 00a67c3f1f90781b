"""Where the office's data and the national KDKMP exports disagree ("rekonsiliasi", #21).

Per KKMP kelurahan and measure (`UKURAN`): the office's figure (`nilai_dinas`, from `koperasi` or
`rat`) and the national one (`nilai_nasional`, from `lahan_nasional` or `statistik_nasional`), each
with its "posisi per" date and source, and `beda` where they differ. A kelurahan the national file
has no row for has `nilai_nasional` None and counts as a disagreement (it needs following up). A
measure whose national dataset was never imported is left out. The Rekonsiliasi page, the Ringkasan
count and `python -m kkmp rekonsiliasi` all call `reconcile`.
"""

from __future__ import annotations

import pandas as pd

from kkmp.i18n import format_date, format_number, label, t
from kkmp.metrics import kkmp_frame
from kkmp.store import Snapshot
from kkmp.usaha import NO_DATA, land_status, national_land_stage, trading

#: Measures compared, in the order shown: land stage, build finished, members, RAT held, trading.
UKURAN = ("tahap_lahan", "pembangunan_selesai", "jumlah_anggota", "rat_dilaksanakan", "usaha_berjalan")
#: Where each measure's figures come from: (office dataset, national dataset).
SUMBER = {
    "tahap_lahan": ("koperasi", "lahan_nasional"),
    "pembangunan_selesai": ("koperasi", "lahan_nasional"),
    "jumlah_anggota": ("koperasi", "statistik_nasional"),
    "rat_dilaksanakan": ("rat", "statistik_nasional"),
    "usaha_berjalan": ("koperasi", "statistik_nasional"),
}
COLUMNS = [
    "kode_kelurahan",
    "kelurahan",
    "kecamatan",
    "ukuran",
    "nilai_dinas",
    "posisi_dinas",
    "sumber_dinas",
    "nilai_nasional",
    "posisi_nasional",
    "sumber_nasional",
    "beda",
]


def _value(v: object) -> object:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def office_figures(snapshot: Snapshot) -> pd.DataFrame:
    """The office's figure of each measure per KKMP kelurahan (one row per kelurahan)."""
    kkmp = kkmp_frame(snapshot).drop_duplicates("kode_kelurahan")
    rat = snapshot["rat"]
    held = set(rat.loc[rat["tanggal_rat"].notna(), "id_koperasi"]) if not rat.empty else set()
    status = land_status(kkmp)
    return pd.DataFrame(
        {
            "kode_kelurahan": kkmp["kode_kelurahan"].to_numpy(),
            "kelurahan": kkmp["kelurahan"].to_numpy(),
            "kecamatan": kkmp["kecamatan"].to_numpy(),
            "tahap_lahan": status.where(status != NO_DATA, None).to_numpy(),
            "pembangunan_selesai": (kkmp["status_fisik"] == "selesai").fillna(False).astype(bool).to_numpy(),
            "jumlah_anggota": kkmp["jumlah_anggota"].to_numpy(),
            "rat_dilaksanakan": kkmp["id_koperasi"].isin(held).to_numpy(),
            "usaha_berjalan": trading(kkmp).to_numpy(),
        }
    )


def national_figures(snapshot: Snapshot) -> dict[str, pd.Series]:
    """Per measure, the national figure by kelurahan code (measures whose dataset is empty are absent)."""
    out: dict[str, pd.Series] = {}
    lahan = snapshot.frames.get("lahan_nasional", pd.DataFrame())
    if not lahan.empty:
        stage = national_land_stage(lahan)
        out["tahap_lahan"] = stage
        out["pembangunan_selesai"] = stage == "selesai"
    stat = snapshot.frames.get("statistik_nasional", pd.DataFrame())
    if not stat.empty:
        by = stat.set_index("kode_kelurahan")
        out["jumlah_anggota"] = by["anggota_simpanan_pokok"]
        out["rat_dilaksanakan"] = by["jumlah_rat"].fillna(0) > 0
        out["usaha_berjalan"] = by["volume_transaksi"].fillna(0) > 0
    return out


def reconcile(snapshot: Snapshot) -> pd.DataFrame:
    """Every KKMP kelurahan × measure with both figures, their dates and sources, and `beda` (`COLUMNS`)."""
    office = office_figures(snapshot)
    national = national_figures(snapshot)
    rows = []
    for ukuran in UKURAN:
        if ukuran not in national:
            continue
        mine, theirs = SUMBER[ukuran]
        m_meta, n_meta = snapshot.meta.get(mine), snapshot.meta.get(theirs)
        for r in office.itertuples(index=False):
            dinas = _value(getattr(r, ukuran))
            nasional = _value(national[ukuran].get(r.kode_kelurahan))
            rows.append(
                {
                    "kode_kelurahan": r.kode_kelurahan,
                    "kelurahan": r.kelurahan,
                    "kecamatan": r.kecamatan,
                    "ukuran": ukuran,
                    "nilai_dinas": dinas,
                    "posisi_dinas": m_meta.posisi_per if m_meta else None,
                    "sumber_dinas": m_meta.sumber if m_meta else "",
                    "nilai_nasional": nasional,
                    "posisi_nasional": n_meta.posisi_per if n_meta else None,
                    "sumber_nasional": n_meta.sumber if n_meta else "",
                    "beda": nasional is None or dinas != nasional,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def disagreements(table: pd.DataFrame) -> pd.DataFrame:
    """Only the rows where the office and the national figures differ."""
    return table[table["beda"].astype(bool)] if not table.empty else table


def totals(table: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Per measure: kelurahan compared and how many disagree (the "in total" line)."""
    out: dict[str, dict[str, int]] = {}
    for ukuran, part in table.groupby("ukuran", sort=False):
        out[str(ukuran)] = {"dibandingkan": len(part), "beda": int(part["beda"].sum())}
    return out


def items(table: pd.DataFrame) -> list[dict[str, object]]:
    """The rows as the CLI's JSON items {kelurahan, kecamatan, ukuran, nilai_dinas, posisi_dinas,
    nilai_nasional, posisi_nasional}, dates as ISO text."""
    keys = ["kelurahan", "kecamatan", "ukuran", "nilai_dinas", "posisi_dinas", "nilai_nasional", "posisi_nasional"]
    out = []
    for r in table[keys].to_dict("records"):
        for k in ("posisi_dinas", "posisi_nasional"):
            r[k] = r[k].isoformat() if r[k] is not None and not pd.isna(r[k]) else None
        out.append({k: _value(v) for k, v in r.items()})
    return out


def shown_value(ukuran: str, value: object, lang: str = "id") -> str:
    """A figure as a reader sees it: a land stage's label, Ya/Tidak, a number, or "tanpa data"."""
    if value is None:
        return t("rekonsiliasi.tanpa_data", lang)
    if ukuran == "tahap_lahan":
        return label("status_lahan", value, lang)
    if isinstance(value, bool):
        return t("rekonsiliasi.ya" if value else "rekonsiliasi.tidak", lang)
    return format_number(value, lang) if isinstance(value, (int, float)) else str(value)


def readable_table(table: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """The reconciliation with headers and values in the reader's language (for the page and XLSX)."""
    cols = {c: t(f"rekonsiliasi.kolom.{c}", lang) for c in COLUMNS if c != "kode_kelurahan"}
    out = pd.DataFrame(
        {
            cols["kelurahan"]: table["kelurahan"],
            cols["kecamatan"]: table["kecamatan"],
            cols["ukuran"]: table["ukuran"].map(lambda u: t(f"rekonsiliasi.ukuran.{u}", lang)),
            cols["nilai_dinas"]: [
                shown_value(u, v, lang) for u, v in zip(table["ukuran"], table["nilai_dinas"], strict=True)
            ],
            cols["posisi_dinas"]: table["posisi_dinas"].map(lambda d: format_date(d, lang) if d else "—"),
            cols["sumber_dinas"]: table["sumber_dinas"],
            cols["nilai_nasional"]: [
                shown_value(u, v, lang) for u, v in zip(table["ukuran"], table["nilai_nasional"], strict=True)
            ],
            cols["posisi_nasional"]: table["posisi_nasional"].map(lambda d: format_date(d, lang) if d else "—"),
            cols["sumber_nasional"]: table["sumber_nasional"],
            cols["beda"]: table["beda"].map(lambda b: t("rekonsiliasi.ya" if b else "rekonsiliasi.tidak", lang)),
        }
    )
    order = ["kelurahan", "kecamatan", "ukuran", "nilai_dinas", "nilai_nasional", "beda", "posisi_dinas"]
    order += ["posisi_nasional", "sumber_dinas", "sumber_nasional"]  # the two figures side by side first
    return out[[cols[c] for c in order]].reset_index(drop=True)
