"""Figures from the store's frames: counts by stage and kecamatan, alerts, and the headline summary.

Pure functions of a `Snapshot`; the pages, the CLI and the briefing all call these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from kkmp.pembangunan import build_status
from kkmp.rat import latest_closed_year, rat_compliance, rat_table
from kkmp.schema import STATUS_FISIK
from kkmp.settings import Settings
from kkmp.store import Snapshot


def restrict_to_kelurahan(snapshot: Snapshot, codes: Iterable[str] | None) -> Snapshot:
    """The snapshot limited to `codes`: their region rows, boundaries, cooperatives and what hangs off them."""
    if codes is None:
        return snapshot
    codes = set(codes)
    f = snapshot.frames
    wilayah = f["wilayah"][f["wilayah"]["kode_kelurahan"].isin(codes)]
    koperasi = f["koperasi"][f["koperasi"]["kode_kelurahan"].isin(codes)]
    ids = set(koperasi["id_koperasi"])
    pembangunan = f["pembangunan"][f["pembangunan"]["id_koperasi"].isin(ids)]
    builds = set(pembangunan["id_pembangunan"])
    frames = {
        "wilayah": wilayah,
        "koperasi": koperasi,
        "pembangunan": pembangunan,
        "progres": f["progres"][f["progres"]["id_pembangunan"].isin(builds)],
        "rat": f["rat"][f["rat"]["id_koperasi"].isin(ids)],
        "penyaluran": f["penyaluran"][f["penyaluran"]["id_koperasi"].isin(ids)],
    }
    if "batas_wilayah" in f:
        frames["batas_wilayah"] = f["batas_wilayah"][f["batas_wilayah"]["kode_kelurahan"].isin(codes)]
    return snapshot.with_frames(frames)


def as_of(snapshot: Snapshot, date: dt.date | None) -> Snapshot:
    """The time series (progres, rat, penyaluran) as they stood on `date`."""
    if date is None:
        return snapshot
    ts = pd.Timestamp(date)
    f = snapshot.frames
    rat = f["rat"].copy()
    rat["tanggal_rat"] = rat["tanggal_rat"].where(rat["tanggal_rat"] <= ts)
    return snapshot.with_frames(
        {
            "progres": f["progres"][f["progres"]["tanggal_laporan"] <= ts],
            "rat": rat,
            "penyaluran": f["penyaluran"][f["penyaluran"]["bulan"] <= ts],
        }
    )


def kkmp_frame(snapshot: Snapshot) -> pd.DataFrame:
    """KKMP rows joined with their kelurahan and kecamatan names."""
    kop = snapshot["koperasi"]
    kkmp = kop[kop["kkmp"].fillna(False).astype(bool)]
    return kkmp.merge(
        snapshot["wilayah"][["kode_kelurahan", "kelurahan", "kecamatan", "kabupaten_kota", "provinsi"]],
        on="kode_kelurahan",
        how="left",
    )


def kkmp_counts(snapshot: Snapshot) -> dict[str, object]:
    """KKMP total, by physical status, and how many are trading."""
    kkmp = kkmp_frame(snapshot)
    fisik = kkmp["status_fisik"].value_counts()
    return {
        "total": len(kkmp),
        "fisik": {s: int(fisik.get(s, 0)) for s in STATUS_FISIK},
        "usaha_berjalan": int(kkmp["usaha_berjalan"].fillna(False).astype(bool).sum()),
    }


def koperasi_aktif(snapshot: Snapshot) -> int:
    """Cooperatives whose status is aktif (KKMP and others)."""
    return int((snapshot["koperasi"]["status"] == "aktif").sum())


def stages_by_kecamatan(snapshot: Snapshot) -> pd.DataFrame:
    """KKMP per kecamatan and physical status, plus how many are trading (long form)."""
    kkmp = kkmp_frame(snapshot)
    kecamatan = sorted(snapshot["wilayah"]["kecamatan"].dropna().unique())
    grid = pd.MultiIndex.from_product([kecamatan, STATUS_FISIK], names=["kecamatan", "status_fisik"])
    counts = kkmp.groupby(["kecamatan", "status_fisik"]).size().reindex(grid, fill_value=0)
    out = counts.rename("jumlah").reset_index()
    trading = kkmp.groupby("kecamatan")["usaha_berjalan"].apply(lambda s: int(s.fillna(False).astype(bool).sum()))
    out["usaha_berjalan"] = out["kecamatan"].map(trading).fillna(0).astype(int)
    return out


def builds_frame(snapshot: Snapshot, settings: Settings, as_of_date: dt.date | None = None) -> pd.DataFrame:
    """Build statuses (see `kkmp.pembangunan.build_status`) with kelurahan and cooperative names."""
    status = build_status(snapshot["pembangunan"], snapshot["progres"], as_of_date, settings.kontrak_kritis)
    names = kkmp_like_names(snapshot)
    return status.merge(names, on="id_koperasi", how="left")


def kkmp_like_names(snapshot: Snapshot) -> pd.DataFrame:
    """id_koperasi → nama_koperasi, kode_kelurahan, kelurahan, kecamatan."""
    kop = snapshot["koperasi"][["id_koperasi", "nama_koperasi", "kode_kelurahan"]]
    return kop.merge(snapshot["wilayah"][["kode_kelurahan", "kelurahan", "kecamatan"]], on="kode_kelurahan", how="left")


def default_rat_year(snapshot: Snapshot, as_of_date: dt.date | None = None) -> int | None:
    """The latest financial year closed by `as_of_date` (or by the RAT data's "posisi per")."""
    reference = as_of_date or snapshot.meta["rat"].posisi_per or dt.date.today()
    return latest_closed_year(snapshot["rat"], reference)


def alerts(snapshot: Snapshot, settings: Settings, as_of_date: dt.date | None = None) -> pd.DataFrame:
    """What needs attention: kritis then terlambat builds, then required cooperatives without RAT."""
    rows = []
    builds = builds_frame(snapshot, settings, as_of_date)
    for _, b in builds[builds["status"].isin(["kritis", "terlambat"])].iterrows():
        rows.append(
            {
                "jenis": f"pembangunan_{b['status']}",
                "kelurahan": b["kelurahan"],
                "kecamatan": b["kecamatan"],
                "nama": b["nama_koperasi"],
                "nilai": b["deviasi"],
                "tanggal": b["tanggal_laporan"],
            }
        )
    year = default_rat_year(snapshot, as_of_date)
    if year is not None:
        table = rat_table(snapshot["koperasi"], snapshot["rat"], year, as_of_date)
        missing = table[table["wajib"] & ~table["sudah"]].merge(
            snapshot["wilayah"][["kode_kelurahan", "kelurahan", "kecamatan"]], on="kode_kelurahan", how="left"
        )
        for _, r in missing.iterrows():
            rows.append(
                {
                    "jenis": "belum_rat",
                    "kelurahan": r["kelurahan"],
                    "kecamatan": r["kecamatan"],
                    "nama": r["nama_koperasi"],
                    "nilai": year,
                    "tanggal": r["jadwal_rat"],
                }
            )
    return pd.DataFrame(rows, columns=["jenis", "kelurahan", "kecamatan", "nama", "nilai", "tanggal"])


def _iso(value: object) -> str | None:
    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _num(value: object) -> float | int | None:
    if value is None or pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def headline_summary(snapshot: Snapshot, settings: Settings, as_of_date: dt.date | None = None) -> dict[str, object]:
    """The headline figures: the contract of `python -m kkmp summary --json`."""
    snap = as_of(snapshot, as_of_date)
    meta = snap.meta
    counts = kkmp_counts(snap)
    year = default_rat_year(snap, as_of_date)
    rat_block: dict[str, object] = {"tahun_buku": None}
    if year is not None:
        rat_block = rat_compliance(snap["koperasi"], snap["rat"], year, as_of_date).as_dict()
    rat_block.update(posisi_per=_iso(meta["rat"].posisi_per), sumber=meta["rat"].sumber)
    builds = builds_frame(snap, settings, as_of_date)
    pembangunan = [
        {
            "id": b["id_pembangunan"],
            "id_koperasi": b["id_koperasi"],
            "kelurahan": b["kelurahan"],
            "kecamatan": b["kecamatan"],
            "objek": b["objek"],
            "mulai": _iso(b["tanggal_mulai"]),
            "target_selesai": _iso(b["target_selesai"]),
            "tanggal_laporan": _iso(b["tanggal_laporan"]),
            "rencana_persen": _num(b["rencana_persen"]),
            "realisasi_persen": _num(b["realisasi_persen"]),
            "deviasi": _num(b["deviasi"]),
            "rencana_standar": bool(b["rencana_standar"]),
            "status": b["status"],
            "perkiraan_selesai": _iso(b["perkiraan_selesai"]),
            "hari_terlambat": _num(b["hari_terlambat"]),
        }
        for _, b in builds.iterrows()
    ]
    return {
        "sample": snap.contoh,
        "revisi": snap.revision,
        "as_of": _iso(as_of_date),
        "kkmp": {
            **counts,
            "posisi_per": _iso(meta["koperasi"].posisi_per),
            "sumber": meta["koperasi"].sumber,
        },
        "koperasi_aktif": koperasi_aktif(snap),
        "koperasi_aktif_posisi_per": _iso(meta["koperasi"].posisi_per),
        "rat": rat_block,
        "pembangunan": pembangunan,
        "pembangunan_posisi_per": _iso(meta["progres"].posisi_per),
    }
