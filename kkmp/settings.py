"""Configuration read from environment variables, with the domain's customary defaults."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from kkmp.store import default_url


@dataclass(frozen=True)
class KontrakKritisRule:
    """Thresholds of the kontrak-kritis rule (Permen PU 07/PRT/M/2011, carried into PUPR 14/2020)."""

    batas_rencana: float = 70.0
    deviasi_rencana_rendah: float = 10.0
    deviasi_rencana_tinggi: float = 5.0
    akhir_tahun_anggaran: tuple[int, int] = (12, 31)

    def fiscal_year_end(self, year: int) -> dt.date:
        """The last day of the fiscal year `year`."""
        month, day = self.akhir_tahun_anggaran
        return dt.date(year, month, day)


@dataclass(frozen=True)
class RatRule:
    """RAT deadline and compliance bands."""

    batas_waktu: tuple[int, int] = (3, 31)  # 31 March of the following year (customary)
    target_persen: float = 100.0
    batas_merah: float = 50.0
    batas_kuning: float = 70.0
    wajib_berdiri_sebelum: tuple[int, int] = (12, 31)  # founded on or before this day of Y → obliged for Y

    def wajib_cutoff(self, tahun_buku: int) -> dt.date:
        """The last founding date (inclusive) that makes a cooperative obliged to hold RAT for `tahun_buku`."""
        month, day = self.wajib_berdiri_sebelum
        return dt.date(tahun_buku, month, day)

    def deadline(self, tahun_buku: int) -> dt.date:
        """The date by which the RAT for `tahun_buku` is due."""
        month, day = self.batas_waktu
        return dt.date(tahun_buku + 1, month, day)


STATUTORY_RAT_DEADLINE = (6, 30)


@dataclass(frozen=True)
class Settings:
    """Everything configurable about the dashboard."""

    database_url: str = field(default_factory=default_url)
    kontrak_kritis: KontrakKritisRule = field(default_factory=KontrakKritisRule)
    rat: RatRule = field(default_factory=RatRule)
    basemap_online: bool = False
    load_sample_on_first_run: bool = True
    upload_max_mb: float = 10.0
    upload_max_rows: int = 50_000
    laporan_basi_hari: int = 14  # a build without a report for longer is "laporan_basi"
    data_basi_hari: int = 90  # any other dataset older than this (vs the reference date) is stale
    sqlite_busy_timeout: float = 5.0  # seconds a read (a page) waits for a locked SQLite file
    sqlite_write_timeout: float = 60.0  # seconds a write (save, import) waits for it

    @property
    def upload_max_bytes(self) -> int:
        """The largest file an upload accepts, in bytes."""
        return int(self.upload_max_mb * 1024 * 1024)


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    return float(raw) if raw not in (None, "") else default


def _month_day(env: Mapping[str, str], name: str, default: tuple[int, int]) -> tuple[int, int]:
    raw = env.get(name)
    if not raw:
        return default
    month, day = raw.split("-") if "-" in raw else (raw[:2], raw[2:])
    dt.date(2001, int(month), int(day))  # raises on an impossible date
    return int(month), int(day)


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    return raw.strip().lower() in {"1", "true", "ya", "yes", "on"}


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Settings from `KKMP_*` environment variables (see README, "Konfigurasi")."""
    env = os.environ if env is None else env
    return Settings(
        database_url=env.get("KKMP_DATABASE_URL") or default_url(),
        kontrak_kritis=KontrakKritisRule(
            batas_rencana=_float(env, "KKMP_KRITIS_BATAS_RENCANA", 70.0),
            deviasi_rencana_rendah=_float(env, "KKMP_KRITIS_DEVIASI_RENDAH", 10.0),
            deviasi_rencana_tinggi=_float(env, "KKMP_KRITIS_DEVIASI_TINGGI", 5.0),
            akhir_tahun_anggaran=_month_day(env, "KKMP_AKHIR_TAHUN_ANGGARAN", (12, 31)),
        ),
        rat=RatRule(
            batas_waktu=_month_day(env, "KKMP_RAT_BATAS_WAKTU", (3, 31)),
            target_persen=_float(env, "KKMP_RAT_TARGET", 100.0),
            batas_merah=_float(env, "KKMP_RAT_BATAS_MERAH", 50.0),
            batas_kuning=_float(env, "KKMP_RAT_BATAS_KUNING", 70.0),
            wajib_berdiri_sebelum=_month_day(env, "KKMP_RAT_WAJIB_BERDIRI_SEBELUM", (12, 31)),
        ),
        basemap_online=_bool(env, "KKMP_BASEMAP_ONLINE", False),
        load_sample_on_first_run=_bool(env, "KKMP_SAMPLE_ON_FIRST_RUN", True),
        upload_max_mb=_float(env, "KKMP_UPLOAD_MAX_MB", 10.0),
        upload_max_rows=int(_float(env, "KKMP_UPLOAD_MAX_ROWS", 50_000)),
        laporan_basi_hari=int(_float(env, "KKMP_LAPORAN_BASI_HARI", 14)),
        data_basi_hari=int(_float(env, "KKMP_DATA_BASI_HARI", 90)),
        sqlite_busy_timeout=_float(env, "KKMP_SQLITE_BUSY_TIMEOUT", 5.0),
        sqlite_write_timeout=_float(env, "KKMP_SQLITE_WRITE_TIMEOUT", 60.0),
    )
