"""RAT (annual members' meeting) compliance: the city's measure and the official one.

- City measure (as published): RAT held ÷ all active cooperatives.
- Official measure: RAT held ÷ cooperatives required to hold it, i.e. active and founded
  before the financial year (those founded during the year are "belum wajib RAT").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import pandas as pd

from kkmp.settings import RatRule


@dataclass(frozen=True)
class RatCompliance:
    """Both compliance measures for one financial year."""

    tahun_buku: int
    sudah: int
    dihitung: int
    persen: float | None
    wajib: int
    sudah_wajib: int
    persen_wajib: float | None

    def as_dict(self) -> dict[str, object]:
        """A JSON-friendly form (the summary's `rat` block)."""
        return asdict(self)


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def latest_closed_year(rat: pd.DataFrame, reference: dt.date | None) -> int | None:
    """The newest financial year in the data that had closed by `reference` (31 Dec passed)."""
    if rat.empty:
        return None
    years = sorted({int(y) for y in rat["tahun_buku"].dropna()})
    if reference is None:
        return years[-1]
    closed = [y for y in years if dt.date(y, 12, 31) < reference]
    return closed[-1] if closed else years[0]


def rat_table(koperasi: pd.DataFrame, rat: pd.DataFrame, tahun_buku: int, as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per active cooperative for `tahun_buku`: whether it is required, held, when, scheduled."""
    active = koperasi[koperasi["status"] == "aktif"]
    cols = ["id_koperasi", "nama_koperasi", "kkmp", "kode_kelurahan", "tanggal_badan_hukum"]
    year = rat[rat["tahun_buku"] == tahun_buku][["id_koperasi", "tanggal_rat", "jadwal_rat", "lapor_ods"]]
    out = active[cols].merge(year, on="id_koperasi", how="left")
    if as_of is not None:
        out["tanggal_rat"] = out["tanggal_rat"].where(out["tanggal_rat"] <= pd.Timestamp(as_of))
    founded = out["tanggal_badan_hukum"]
    out["wajib"] = founded.notna() & (founded < pd.Timestamp(tahun_buku, 1, 1))
    out["sudah"] = out["tanggal_rat"].notna()
    return out


def rat_compliance(
    koperasi: pd.DataFrame, rat: pd.DataFrame, tahun_buku: int, as_of: dt.date | None = None
) -> RatCompliance:
    """Both measures for `tahun_buku`, counting only RATs held by `as_of` when given."""
    table = rat_table(koperasi, rat, tahun_buku, as_of)
    sudah = int(table["sudah"].sum())
    dihitung = len(table)
    wajib = int(table["wajib"].sum())
    sudah_wajib = int((table["sudah"] & table["wajib"]).sum())
    return RatCompliance(
        tahun_buku, sudah, dihitung, _pct(sudah, dihitung), wajib, sudah_wajib, _pct(sudah_wajib, wajib)
    )


def held_on_time(table: pd.DataFrame, tahun_buku: int, rule: RatRule) -> pd.Series:
    """For each row of `rat_table`: True when held by the deadline (inclusive)."""
    return table["tanggal_rat"].notna() & (table["tanggal_rat"] <= pd.Timestamp(rule.deadline(tahun_buku)))
