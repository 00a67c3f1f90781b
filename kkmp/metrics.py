"""Figures from the store's frames: counts by stage and kecamatan, alerts, and the headline summary.

Pure functions of a `Snapshot`; the pages, the CLI and the briefing all call these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from kkmp.acuan import default_reference
from kkmp.frames import isin, rows_where
from kkmp.kesegaran import freshness
from kkmp.pembangunan import build_status
from kkmp.rat import classify_rat, latest_closed_year, rat_compliance, rat_table, status_counts
from kkmp.schema import DATASETS, STATUS_FISIK
from kkmp.settings import Settings
from kkmp.store import Snapshot
from kkmp.usaha import lahan_summary, national_lahan_counts, trading, usaha_summary


def restrict_to_kelurahan(snapshot: Snapshot, codes: Iterable[str] | None) -> Snapshot:
    """The snapshot limited to `codes`: their region rows, cooperatives and what hangs off them.

    Each dataset follows its declared reference (kode_kelurahan → wilayah, id_koperasi →
    koperasi, id_pembangunan → pembangunan); a dataset is filtered only when a page reads it.
    """
    if codes is None:
        return snapshot
    codes = pd.Index(pd.unique(pd.Series(list(codes), dtype="object")))
    f = snapshot.frames
    frames: dict[str, object] = {}
    restricted = {}

    def keys(target: str) -> pd.Index:
        key = DATASETS[target].key[0]
        return codes if target == "wilayah" else pd.Index(restricted_frame(target)[key])

    def restricted_frame(name: str) -> pd.DataFrame:
        if name not in restricted:
            frame = f[name]
            refs = DATASETS[name].references if name in DATASETS else {}
            if name == "wilayah" or ("kode_kelurahan" in frame.columns and not refs):
                restricted[name] = frame[isin(frame["kode_kelurahan"], codes)]
            elif refs:
                column, target = next(iter(refs.items()))
                restricted[name] = frame[isin(frame[column], keys(target))]
            else:
                restricted[name] = frame
        return restricted[name]

    for name in f:
        frames[name] = lambda name=name: restricted_frame(name)
    return snapshot.with_frames(frames)


def as_of(snapshot: Snapshot, date: dt.date | None) -> Snapshot:
    """The time series (`acuan.CUT_DATASETS`: progres, rat, penyaluran) as they stood on `date`.

    Each is cut when first read, and not copied when nothing in it is newer than `date`.
    """
    if date is None:
        return snapshot
    ts = pd.Timestamp(date)
    f = snapshot.frames

    def rat() -> pd.DataFrame:
        frame = f["rat"]
        later = (frame["tanggal_rat"] > ts).to_numpy(dtype=bool)
        if not later.any():
            return frame
        frame = frame.copy()
        frame["tanggal_rat"] = frame["tanggal_rat"].where(~later)  # a RAT held after `date` was not yet held
        return frame

    return snapshot.with_frames(
        {
            "progres": lambda: rows_where(f["progres"], f["progres"]["tanggal_laporan"] <= ts),
            "rat": rat,
            "penyaluran": lambda: rows_where(f["penyaluran"], f["penyaluran"]["bulan"] <= ts),
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
        "usaha_berjalan": int(trading(kkmp).sum()),
    }


def koperasi_aktif(snapshot: Snapshot) -> int:
    """Cooperatives whose status is aktif (KKMP and others)."""
    return int((snapshot["koperasi"]["status"] == "aktif").sum())


#: Levels of the region hierarchy a status chart can group by, broadest first.
AREA_LEVELS = ("provinsi", "kabupaten_kota", "kecamatan")
#: At most this many bars in a status chart; above it the chart groups one level up.
MAX_AREA_BARS = 40


def chart_level(wilayah: pd.DataFrame, finest: str = "kecamatan", max_bars: int = MAX_AREA_BARS) -> str:
    """The finest level (at most `finest`) at which `wilayah` has no more than `max_bars` areas."""
    levels = AREA_LEVELS[: AREA_LEVELS.index(finest) + 1]
    for level in reversed(levels):
        if wilayah[level].nunique() <= max_bars:
            return level
    return levels[0]


def stages_by_area(snapshot: Snapshot, level: str = "kecamatan") -> pd.DataFrame:
    """KKMP per area at `level` and physical status, plus how many are trading (long form).

    The area's name is in a column called `level` (e.g. 'kecamatan', 'kabupaten_kota').
    """
    kkmp = kkmp_frame(snapshot)
    areas = sorted(snapshot["wilayah"][level].dropna().unique())
    grid = pd.MultiIndex.from_product([areas, STATUS_FISIK], names=[level, "status_fisik"])
    counts = kkmp.groupby([level, "status_fisik"]).size().reindex(grid, fill_value=0)
    out = counts.rename("jumlah").reset_index()
    trades = trading(kkmp).groupby(kkmp[level]).sum()
    out["usaha_berjalan"] = out[level].map(trades).fillna(0).astype(int)
    return out


def stages_by_kecamatan(snapshot: Snapshot) -> pd.DataFrame:
    """KKMP per kecamatan and physical status, plus how many are trading (long form)."""
    return stages_by_area(snapshot, "kecamatan")


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


def alerts(
    snapshot: Snapshot,
    settings: Settings,
    as_of_date: dt.date | None = None,
    builds: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """What needs attention: kritis then terlambat builds, then required cooperatives without RAT.

    `builds` may be passed when the caller already has `builds_frame` for this snapshot.
    """
    columns = ["jenis", "kelurahan", "kecamatan", "nama", "nilai", "tanggal"]
    parts = []
    builds = builds_frame(snapshot, settings, as_of_date) if builds is None else builds
    late = builds[builds["status"].isin(["kritis", "terlambat"])]
    parts.append(
        pd.DataFrame(
            {
                "jenis": "pembangunan_" + late["status"].astype("object"),
                "kelurahan": late["kelurahan"],
                "kecamatan": late["kecamatan"],
                "nama": late["nama_koperasi"],
                "nilai": late["deviasi"].astype("object"),
                "tanggal": late["tanggal_laporan"],
            }
        )
    )
    year = default_rat_year(snapshot, as_of_date)
    if year is not None:
        table = rat_table(snapshot["koperasi"], snapshot["rat"], year, as_of_date, settings.rat)
        missing = table[table["wajib"] & ~table["sudah"]].merge(
            snapshot["wilayah"][["kode_kelurahan", "kelurahan", "kecamatan"]], on="kode_kelurahan", how="left"
        )
        parts.append(
            pd.DataFrame(
                {
                    "jenis": "belum_rat",
                    "kelurahan": missing["kelurahan"],
                    "kecamatan": missing["kecamatan"],
                    "nama": missing["nama_koperasi"],
                    "nilai": pd.Series(year, index=missing.index, dtype="object"),
                    "tanggal": missing["jadwal_rat"],
                }
            )
        )
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def _iso(value: object) -> str | None:
    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _iso_column(series: pd.Series) -> pd.Series:
    out = pd.to_datetime(series).dt.strftime("%Y-%m-%d").astype("object")
    return out.where(series.notna(), None)


def _plain_column(series: pd.Series) -> pd.Series:
    return series.astype("object").where(series.notna(), None)


def builds_records(builds: pd.DataFrame) -> list[dict[str, object]]:
    """`builds_frame` rows as JSON-friendly dicts (the summary's `pembangunan` list), built column-wise."""
    frame = pd.DataFrame(
        {
            "id": _plain_column(builds["id_pembangunan"]),
            "id_koperasi": _plain_column(builds["id_koperasi"]),
            "kelurahan": _plain_column(builds["kelurahan"]),
            "kecamatan": _plain_column(builds["kecamatan"]),
            "objek": _plain_column(builds["objek"]),
            "mulai": _iso_column(builds["tanggal_mulai"]),
            "target_selesai": _iso_column(builds["target_selesai"]),
            "tanggal_laporan": _iso_column(builds["tanggal_laporan"]),
            "rencana_persen": _plain_column(builds["rencana_persen"]),
            "realisasi_persen": _plain_column(builds["realisasi_persen"]),
            "deviasi": _plain_column(builds["deviasi"]),
            "rencana_standar": builds["rencana_standar"].fillna(False).astype(bool),
            "status": _plain_column(builds["status"]),
            "lewat_target": builds["lewat_target"].fillna(False).astype(bool),
            "perkiraan_selesai": _iso_column(builds["perkiraan_selesai"]),
            "hari_terlambat": _plain_column(builds["hari_terlambat"]),
        }
    )
    records = frame.to_dict("records")
    for r in records:  # numpy scalars → Python numbers for json
        for k in ("rencana_persen", "realisasi_persen", "deviasi", "hari_terlambat"):
            v = r[k]
            if v is not None and hasattr(v, "item"):
                r[k] = v.item()
    return records


def headline_summary(
    snapshot: Snapshot,
    settings: Settings,
    as_of_date: dt.date | None = None,
    *,
    builds: pd.DataFrame | None = None,
    with_builds: bool = True,
) -> dict[str, object]:
    """The headline figures: the contract of `python -m kkmp summary --json`.

    `builds` may be passed when the caller already has `builds_frame` for this snapshot and
    date; `with_builds=False` leaves the per-build list empty (pages show it elsewhere).
    """
    snap = as_of(snapshot, as_of_date)
    meta = snap.meta
    counts = kkmp_counts(snap)
    year = default_rat_year(snap, as_of_date)
    reference = as_of_date or default_reference(snapshot, dt.date.today())
    rat_block: dict[str, object] = {"tahun_buku": None}
    if year is not None:
        rat_block = rat_compliance(snap["koperasi"], snap["rat"], year, as_of_date, settings.rat).as_dict()
        table = rat_table(snap["koperasi"], snap["rat"], year, as_of_date, settings.rat)
        rat_block["status"] = status_counts(classify_rat(table, year, settings.rat, reference))
    rat_block.update(posisi_per=_iso(meta["rat"].posisi_per), sumber=meta["rat"].sumber)
    pembangunan: list[dict[str, object]] = []
    if with_builds:
        builds = builds_frame(snap, settings, as_of_date) if builds is None else builds
        pembangunan = builds_records(builds)
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
        "usaha": usaha_block(snap),
        "lahan": lahan_block(snap),
        "kesegaran": [k.as_dict() for k in freshness(snapshot, settings, reference)],
    }


def usaha_block(snapshot: Snapshot) -> dict[str, object]:
    """The summary's `usaha` block (see `kkmp.usaha.usaha_summary`), dated by the distribution data."""
    meta = snapshot.meta["penyaluran"]
    block = usaha_summary(kkmp_frame(snapshot), snapshot["penyaluran"])
    return {**block, "posisi_per": _iso(meta.posisi_per), "sumber": meta.sumber}


def lahan_block(snapshot: Snapshot) -> dict[str, object]:
    """The summary's `lahan` block (see `kkmp.usaha.lahan_summary`), dated by the cooperative data."""
    meta = snapshot.meta["koperasi"]
    kkmp = kkmp_frame(snapshot)
    block = {**lahan_summary(kkmp), "posisi_per": _iso(meta.posisi_per), "sumber": meta.sumber}
    lahan = snapshot.frames.get("lahan_nasional")
    if lahan is not None and not lahan.empty:  # the national export's stages, beside the office's own
        national = snapshot.meta["lahan_nasional"]
        block["nasional"] = {
            "status": national_lahan_counts(kkmp, lahan),
            "posisi_per": _iso(national.posisi_per),
            "sumber": national.sumber,
        }
    return block
