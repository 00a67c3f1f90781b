"""Tindak lanjut: one list of whom to chase, most urgent first, computed as of one reference date.

Builds: `kontrak_kritis`, `lewat_target`, `terlambat`, `laporan_basi`; cooperatives: `rat_lewat_batas`
(obliged, deadline passed, not held) and `rat_jadwal_lewat` (scheduled date passed, not held). Statuses
come from `kkmp.pembangunan.build_status` and `kkmp.rat.classify_rat` only.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kkmp.i18n import format_date, format_number, t
from kkmp.metrics import as_of, builds_frame, default_rat_year, kkmp_like_names
from kkmp.pembangunan import past_target
from kkmp.rat import classify_rat, rat_table
from kkmp.settings import Settings
from kkmp.store import Snapshot

JENIS = ("kontrak_kritis", "lewat_target", "rat_lewat_batas", "terlambat", "laporan_basi", "rat_jadwal_lewat")
"""Kinds of follow-up item, most urgent first."""

TINGKAT = {
    "kontrak_kritis": "kritis",
    "lewat_target": "kritis",
    "rat_lewat_batas": "kritis",
    "terlambat": "peringatan",
    "laporan_basi": "peringatan",
    "rat_jadwal_lewat": "peringatan",
}
"""Severity of each kind: `kritis` or `peringatan`."""

COLUMNS = ["jenis", "tingkat", "id_koperasi", "koperasi", "kode_kelurahan", "kelurahan", "kecamatan", "sejak", "nilai"]
ITEM_KEYS = ("jenis", "tingkat", "id_koperasi", "koperasi", "kelurahan", "kecamatan", "sejak", "nilai", "keterangan")


def _items(rows: pd.DataFrame, jenis: str, sejak: pd.Series, nilai: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "jenis": jenis,
            "tingkat": TINGKAT[jenis],
            "id_koperasi": rows["id_koperasi"],
            "koperasi": rows["nama_koperasi"],
            "kode_kelurahan": rows["kode_kelurahan"],
            "kelurahan": rows["kelurahan"],
            "kecamatan": rows["kecamatan"],
            "sejak": pd.to_datetime(sejak),
            "nilai": nilai.astype("float64"),
        },
        index=rows.index,
    )


def _days_since(reference: pd.Timestamp, dates: pd.Series) -> pd.Series:
    return (reference - pd.to_datetime(dates)).dt.days


def _build_items(builds: pd.DataFrame, reference: pd.Timestamp, settings: Settings) -> list[pd.DataFrame]:
    open_ = builds[builds["status"] != "selesai"]
    kritis = open_[open_["status"] == "kritis"]
    late = open_[open_["status"] == "terlambat"]
    past = past_target(open_)
    last = pd.to_datetime(open_["tanggal_laporan"]).fillna(pd.to_datetime(open_["tanggal_mulai"]))
    age = (reference - last).dt.days
    stale = open_[(age > settings.laporan_basi_hari) & (pd.to_datetime(open_["tanggal_mulai"]) <= reference)]
    return [
        _items(kritis, "kontrak_kritis", kritis["tanggal_laporan"], kritis["deviasi"]),
        _items(past, "lewat_target", past["target_selesai"], _days_since(reference, past["target_selesai"])),
        _items(late, "terlambat", late["tanggal_laporan"], late["deviasi"]),
        _items(stale, "laporan_basi", last[stale.index], age[stale.index]),
    ]


def _rat_items(snapshot: Snapshot, reference: dt.date, settings: Settings) -> list[pd.DataFrame]:
    year = default_rat_year(snapshot, reference)
    if year is None:
        return []
    rule = settings.rat
    table = rat_table(snapshot["koperasi"], snapshot["rat"], year, reference, rule)
    classified = classify_rat(table, year, rule, reference)
    classified = classified.merge(
        kkmp_like_names(snapshot)[["id_koperasi", "kelurahan", "kecamatan"]], on="id_koperasi", how="left"
    )
    deadline = pd.Timestamp(rule.deadline(year))
    ref = pd.Timestamp(reference)
    overdue = classified[classified["wajib"] & ~classified["sudah"]] if ref > deadline else classified.iloc[0:0]
    passed = classified[(classified["kategori"] == "jadwal_lewat") & ~classified.index.isin(overdue.index)]
    return [
        _items(overdue, "rat_lewat_batas", pd.Series(deadline, index=overdue.index), overdue["hari_terlambat"]),
        _items(passed, "rat_jadwal_lewat", passed["jadwal_rat"], _days_since(ref, passed["jadwal_rat"])),
    ]


def tindak_lanjut(snapshot: Snapshot, settings: Settings, reference: dt.date) -> pd.DataFrame:
    """Every follow-up item as of `reference` (data newer than it ignored), most urgent first.

    Columns: `COLUMNS`. `nilai`: deviasi (points) for kontrak_kritis/terlambat, otherwise days (past the
    target, since the last report, past the RAT deadline, since the scheduled RAT).
    """
    snap = as_of(snapshot, reference)
    ref = pd.Timestamp(reference)
    parts = _build_items(builds_frame(snap, settings, reference), ref, settings)
    parts += _rat_items(snap, reference, settings)
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    order = {j: i for i, j in enumerate(JENIS)}
    # Within a kind: most behind (lowest deviasi) or longest overdue first.
    urgency = out["nilai"].where(out["jenis"].isin(["kontrak_kritis", "terlambat"]), -out["nilai"])
    out = out.assign(_tingkat=out["tingkat"].ne("kritis"), _jenis=out["jenis"].map(order), _u=urgency)
    out = out.sort_values(["_tingkat", "_jenis", "_u", "kecamatan", "kelurahan", "koperasi"], kind="stable")
    return out[COLUMNS].reset_index(drop=True)


def keterangan(item: pd.Series, lang: str) -> str:
    """One sentence saying what the item is about and what to do."""
    nilai = item["nilai"]
    n = (
        "—"
        if pd.isna(nilai)
        else format_number(abs(nilai), lang, 1 if item["jenis"] in ("kontrak_kritis", "terlambat") else 0)
    )
    return t(f"tindak_lanjut.keterangan.{item['jenis']}", lang, n=n, sejak=format_date(item["sejak"], lang, "medium"))


def records(items: pd.DataFrame, lang: str = "id") -> list[dict[str, object]]:
    """The items as JSON-friendly dicts with `ITEM_KEYS` (dates ISO, numbers plain)."""
    out = []
    for _, row in items.iterrows():
        nilai = None if pd.isna(row["nilai"]) else float(row["nilai"])
        out.append(
            {
                "jenis": row["jenis"],
                "tingkat": row["tingkat"],
                "id_koperasi": row["id_koperasi"],
                "koperasi": None if pd.isna(row["koperasi"]) else str(row["koperasi"]),
                "kelurahan": None if pd.isna(row["kelurahan"]) else str(row["kelurahan"]),
                "kecamatan": None if pd.isna(row["kecamatan"]) else str(row["kecamatan"]),
                "sejak": None if pd.isna(row["sejak"]) else row["sejak"].date().isoformat(),
                "nilai": int(nilai) if nilai is not None and nilai.is_integer() else nilai,
                "keterangan": keterangan(row, lang),
            }
        )
    return out


def table(items: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The list as the user reads (and downloads) it: localised headers and values."""
    out = pd.DataFrame(
        {
            t("tindak_lanjut.kolom.tingkat", lang): items["tingkat"].map(
                lambda v: t(f"tindak_lanjut.tingkat.{v}", lang)
            ),
            t("tindak_lanjut.kolom.jenis", lang): items["jenis"].map(lambda v: t(f"tindak_lanjut.jenis.{v}", lang)),
            t("tindak_lanjut.kolom.kelurahan", lang): items["kelurahan"],
            t("tindak_lanjut.kolom.kecamatan", lang): items["kecamatan"],
            t("tindak_lanjut.kolom.koperasi", lang): items["koperasi"],
            t("tindak_lanjut.kolom.sejak", lang): items["sejak"].map(lambda d: format_date(d, lang, "medium")),
            t("tindak_lanjut.kolom.keterangan", lang): [keterangan(r, lang) for _, r in items.iterrows()],
        }
    )
    return out.astype("str").reset_index(drop=True)
