"""A kelurahan's profile: its KKMP's stage timeline, business units, partners, members, build and RAT.

Pure assembly from a `Snapshot`; the Peta page (and later the briefing) renders it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kkmp.maps import kkmp_by_kelurahan
from kkmp.pembangunan import build_status
from kkmp.schema import TAHAP, split_list
from kkmp.settings import Settings
from kkmp.store import Snapshot

#: Share of households (KK) the city aims to have as members (domain: Balikpapan's target).
MEMBER_TARGET_SHARE = 0.10


@dataclass(frozen=True)
class StageStep:
    """One institutional stage: whether it is reached, whether it is the current one, and its date if known."""

    tahap: str
    reached: bool
    current: bool
    tanggal: dt.date | None = None


@dataclass
class KelurahanProfile:
    """Everything the drill-down shows about one kelurahan and its KKMP."""

    kode_kelurahan: str
    kelurahan: str
    kecamatan: str
    kabupaten_kota: str
    jumlah_kk: int | None
    koperasi: dict[str, object] | None
    timeline: list[StageStep] = field(default_factory=list)
    unit_usaha: list[str] = field(default_factory=list)
    mitra: list[str] = field(default_factory=list)
    target_anggota: int | None = None
    builds: pd.DataFrame = field(default_factory=pd.DataFrame)
    progres: pd.DataFrame = field(default_factory=pd.DataFrame)
    rat: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def has_kkmp(self) -> bool:
        """True when the kelurahan has a KKMP in the data."""
        return self.koperasi is not None


def _date(value: object) -> dt.date | None:
    if value is None or value is pd.NaT or pd.isna(value):
        return None
    return value.date() if isinstance(value, pd.Timestamp) else value


def stage_timeline(tahap: str | None, usaha_berjalan: object, dates: dict[str, dt.date | None]) -> list[StageStep]:
    """Every stage in order: reached up to the current one (trading follows the `usaha_berjalan` flag)."""
    current = TAHAP.index(tahap) if isinstance(tahap, str) and tahap in TAHAP else -1
    steps = []
    for i, code in enumerate(TAHAP):
        reached = i <= current
        if code == "usaha_berjalan" and usaha_berjalan is not None and not pd.isna(usaha_berjalan):
            reached = bool(usaha_berjalan)
        steps.append(StageStep(code, reached, i == current, dates.get(code)))
    return steps


def kelurahan_profile(
    snapshot: Snapshot, kode_kelurahan: str, settings: Settings | None = None, as_of: dt.date | None = None
) -> KelurahanProfile | None:
    """The profile of kelurahan `kode_kelurahan`; None when the region list has no such code."""
    wilayah = snapshot["wilayah"]
    rows = wilayah[wilayah["kode_kelurahan"] == kode_kelurahan]
    if rows.empty:
        return None
    w = rows.iloc[0]
    kk = None if pd.isna(w["jumlah_kk"]) else int(w["jumlah_kk"])
    profile = KelurahanProfile(
        kode_kelurahan, str(w["kelurahan"]), str(w["kecamatan"]), str(w["kabupaten_kota"]), kk, None
    )
    joined = kkmp_by_kelurahan(snapshot)
    match = joined[(joined["kode_kelurahan"] == kode_kelurahan) & joined["id_koperasi"].notna()]
    if match.empty:
        return profile
    kop_id = match.iloc[0]["id_koperasi"]
    kop = snapshot["koperasi"]
    record = kop[kop["id_koperasi"] == kop_id].iloc[0].to_dict()
    profile.koperasi = record
    profile.unit_usaha = split_list(record.get("unit_usaha"))
    profile.mitra = split_list(record.get("mitra"))
    profile.target_anggota = round(kk * MEMBER_TARGET_SHARE) if kk else None

    pembangunan = snapshot["pembangunan"][snapshot["pembangunan"]["id_koperasi"] == kop_id]
    builds = pembangunan["id_pembangunan"]
    progres = snapshot["progres"][snapshot["progres"]["id_pembangunan"].isin(builds)]
    if as_of is not None:
        progres = progres[progres["tanggal_laporan"] <= pd.Timestamp(as_of)]
    rule = (settings or Settings()).kontrak_kritis
    if not pembangunan.empty:
        status = build_status(pembangunan, progres, as_of, rule)
        profile.builds = status.merge(pembangunan[["id_pembangunan", "pelaksana"]], on="id_pembangunan", how="left")
    profile.progres = progres.sort_values(["id_pembangunan", "tanggal_laporan"]).reset_index(drop=True)
    rat = snapshot["rat"][snapshot["rat"]["id_koperasi"] == kop_id]
    profile.rat = rat.sort_values("tahun_buku", ascending=False).reset_index(drop=True)

    dates = {"badan_hukum": _date(record.get("tanggal_badan_hukum"))}
    if not pembangunan.empty:
        dates["pembangunan_fisik"] = _date(pembangunan["tanggal_mulai"].min())
    penyaluran = snapshot["penyaluran"]
    first_sale = penyaluran.loc[penyaluran["id_koperasi"] == kop_id, "bulan"].min()
    if pd.notna(first_sale):
        dates["usaha_berjalan"] = _date(first_sale)
    profile.timeline = stage_timeline(record.get("tahap"), record.get("usaha_berjalan"), dates)
    return profile
