"""RAT (annual members' meeting) compliance: the city's measure and the official one.

- City measure (as published): RAT held ÷ all active cooperatives.
- Official measure: RAT held ÷ cooperatives required to hold it, i.e. active and founded
  by the cut-off within the financial year (`RatRule.wajib_berdiri_sebelum`, default 31 Dec: a
  cooperative founded during year Y holds its first RAT for Y in the following year).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import numpy as np
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


def rat_table(
    koperasi: pd.DataFrame,
    rat: pd.DataFrame,
    tahun_buku: int,
    as_of: dt.date | None = None,
    rule: RatRule | None = None,
) -> pd.DataFrame:
    """One row per active cooperative for `tahun_buku`: whether it is required, held, when, scheduled."""
    rule = rule or RatRule()
    active = koperasi[koperasi["status"] == "aktif"]
    cols = ["id_koperasi", "nama_koperasi", "kkmp", "kode_kelurahan", "tanggal_badan_hukum"]
    year = rat[rat["tahun_buku"] == tahun_buku][["id_koperasi", "tanggal_rat", "jadwal_rat", "lapor_ods"]]
    out = active[cols].merge(year, on="id_koperasi", how="left")
    if as_of is not None:
        out["tanggal_rat"] = out["tanggal_rat"].where(out["tanggal_rat"] <= pd.Timestamp(as_of))
    founded = out["tanggal_badan_hukum"]
    out["wajib"] = founded.notna() & (founded <= pd.Timestamp(rule.wajib_cutoff(tahun_buku)))
    out["sudah"] = out["tanggal_rat"].notna()
    return out


def rat_compliance(
    koperasi: pd.DataFrame,
    rat: pd.DataFrame,
    tahun_buku: int,
    as_of: dt.date | None = None,
    rule: RatRule | None = None,
) -> RatCompliance:
    """Both measures for `tahun_buku`, counting only RATs held by `as_of` when given."""
    table = rat_table(koperasi, rat, tahun_buku, as_of, rule)
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


# ---------------------------------------------------------------------------------------------
# Classification against a deadline, per kecamatan, trend, overdue list, KKMP first RAT.

KATEGORI = ("sudah_tepat_waktu", "sudah_terlambat", "terjadwal", "jadwal_lewat", "belum", "belum_wajib")
"""RAT status of one cooperative for one year (the one vocabulary every page, slide and CLI uses):
held on time, held late, scheduled (date still ahead), scheduled date passed without RAT, not held
and no schedule, and not held but not required for that year."""

STATUS_PERTAMA = ("sudah", "dijadwalkan", "jadwal_lewat", "belum_dijadwalkan")
"""Status of a KKMP's first RAT: held, scheduled ahead, schedule passed without RAT, not scheduled."""

_MEASURES = ("sudah", "dihitung", "persen", "wajib", "sudah_wajib", "persen_wajib")


def _days(later: pd.Series, earlier: pd.Series | pd.Timestamp) -> pd.Series:
    return (later - earlier).dt.days.astype("Int64")


def classify_rat(table: pd.DataFrame, tahun_buku: int, rule: RatRule, reference: dt.date) -> pd.DataFrame:
    """`rat_table` rows with `kategori` (see `KATEGORI`) and `hari_terlambat` against `rule`'s deadline.

    `hari_terlambat` is the days past the deadline: of the meeting when held, of `reference` when not
    held and required (0 before the deadline); empty for cooperatives not yet required and not held.
    """
    out = table.copy()
    deadline = pd.Timestamp(rule.deadline(tahun_buku))
    ref = pd.Timestamp(reference)
    held = out["tanggal_rat"].notna()
    on_time = held & (out["tanggal_rat"] <= deadline)
    scheduled = ~held & out["jadwal_rat"].notna() & (out["jadwal_rat"] >= ref)
    passed = ~held & out["jadwal_rat"].notna() & (out["jadwal_rat"] < ref)
    wajib = out["wajib"].astype(bool)
    out["kategori"] = np.select(
        [on_time, held, scheduled, passed, ~wajib],
        ["sudah_tepat_waktu", "sudah_terlambat", "terjadwal", "jadwal_lewat", "belum_wajib"],
        "belum",
    )
    late_held = _days(out["tanggal_rat"], deadline).clip(lower=0)
    late_missing = pd.Series(max(0, (ref - deadline).days), index=out.index, dtype="Int64")
    out["hari_terlambat"] = late_held.where(held, late_missing.where(wajib))
    return out


def status_counts(classified: pd.DataFrame) -> dict[str, int]:
    """How many cooperatives fall in each `KATEGORI` (all categories, zero when none)."""
    counts = classified["kategori"].value_counts()
    return {k: int(counts.get(k, 0)) for k in KATEGORI}


def _with_wilayah(table: pd.DataFrame, wilayah: pd.DataFrame, level: str = "kecamatan") -> pd.DataFrame:
    columns = list(dict.fromkeys(["kode_kelurahan", "kelurahan", "kecamatan", level]))
    return table.merge(wilayah[columns], on="kode_kelurahan", how="left")


def _percent(part: pd.Series, whole: pd.Series) -> pd.Series:
    return pd.Series([_pct(a, b) for a, b in zip(part, whole, strict=True)], index=part.index, dtype="float64")


def rat_by_area(table: pd.DataFrame, wilayah: pd.DataFrame, level: str = "kecamatan") -> pd.DataFrame:
    """Both measures per area of `wilayah` at `level` (kecamatan, kabupaten_kota, provinsi), worst first.

    Every area of `wilayah` has a row; one without cooperatives has empty percentages.
    """
    joined = _with_wilayah(table, wilayah, level)
    joined["sudah_wajib"] = joined["sudah"] & joined["wajib"]
    areas = sorted(wilayah[level].dropna().unique())
    grouped = joined.groupby(level).agg(
        sudah=("sudah", "sum"),
        dihitung=("id_koperasi", "size"),
        wajib=("wajib", "sum"),
        sudah_wajib=("sudah_wajib", "sum"),
    )
    out = grouped.reindex(areas, fill_value=0).astype(int).rename_axis(level).reset_index()
    out["persen"] = _percent(out["sudah"], out["dihitung"])
    out["persen_wajib"] = _percent(out["sudah_wajib"], out["wajib"])
    out = out.sort_values(["persen", "persen_wajib", level], na_position="last", kind="stable")
    return out[[level, *_MEASURES]].reset_index(drop=True)


def rat_by_kecamatan(table: pd.DataFrame, wilayah: pd.DataFrame) -> pd.DataFrame:
    """Both measures per kecamatan of `wilayah`, worst first; no cooperatives → empty percentages."""
    return rat_by_area(table, wilayah, "kecamatan")


def status_by_area(classified: pd.DataFrame, wilayah: pd.DataFrame, level: str = "kecamatan") -> pd.DataFrame:
    """Long form (area at `level`, kategori, jumlah) over every area of `wilayah` and every category."""
    joined = _with_wilayah(classified, wilayah, level)
    areas = sorted(wilayah[level].dropna().unique())
    grid = pd.MultiIndex.from_product([areas, KATEGORI], names=[level, "kategori"])
    counts = joined.groupby([level, "kategori"]).size().reindex(grid, fill_value=0)
    return counts.rename("jumlah").astype(int).reset_index()


def status_by_kecamatan(classified: pd.DataFrame, wilayah: pd.DataFrame) -> pd.DataFrame:
    """Long form (kecamatan, kategori, jumlah) over every kecamatan of `wilayah` and every category."""
    return status_by_area(classified, wilayah, "kecamatan")


def rat_trend(
    koperasi: pd.DataFrame,
    rat: pd.DataFrame,
    as_of: dt.date | None = None,
    years: list[int] | None = None,
    rule: RatRule | None = None,
) -> pd.DataFrame:
    """Both measures for every financial year in `rat` (or `years`), oldest first.

    Counts the cooperatives active now (the data hold only their current status).
    """
    if years is None:
        years = sorted({int(y) for y in rat["tahun_buku"].dropna()})
    rows = [rat_compliance(koperasi, rat, y, as_of, rule).as_dict() for y in years]
    return pd.DataFrame(rows, columns=["tahun_buku", *_MEASURES]).astype(
        {"persen": "float64", "persen_wajib": "float64"}
    )


def overdue_list(classified: pd.DataFrame, wilayah: pd.DataFrame) -> pd.DataFrame:
    """Cooperatives without RAT for the year: required ones first, most days overdue first."""
    missing = _with_wilayah(classified[~classified["sudah"]], wilayah)
    missing = missing.sort_values(
        ["wajib", "hari_terlambat", "kecamatan", "kelurahan", "nama_koperasi"],
        ascending=[False, False, True, True, True],
        na_position="last",
        kind="stable",
    )
    cols = [
        "id_koperasi",
        "nama_koperasi",
        "kelurahan",
        "kecamatan",
        "kkmp",
        "wajib",
        "kategori",
        "hari_terlambat",
        "jadwal_rat",
        "lapor_ods",
    ]
    return missing[cols].reset_index(drop=True)


@dataclass(frozen=True)
class FirstRatCountdown:
    """Countdown to the KKMP's first RAT for one financial year."""

    tahun_buku: int
    batas: dt.date
    hari_tersisa: int
    jumlah: int
    sudah: int
    dijadwalkan: int
    jadwal_lewat: int
    belum_dijadwalkan: int


def kkmp_first_rat(
    koperasi: pd.DataFrame,
    rat: pd.DataFrame,
    rule: RatRule,
    reference: dt.date,
    as_of: dt.date | None = None,
    wilayah: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each active KKMP's first RAT: the financial year it was founded in, its deadline, schedule, status.

    `hari_tersisa` counts the days from `reference` to the deadline (negative once it has passed).
    """
    kop = koperasi[(koperasi["status"] == "aktif") & koperasi["kkmp"].fillna(False).astype(bool)]
    kop = kop[kop["tanggal_badan_hukum"].notna()]
    cols = ["id_koperasi", "nama_koperasi", "kode_kelurahan", "tanggal_badan_hukum"]
    out = kop[cols].assign(tahun_buku=kop["tanggal_badan_hukum"].dt.year.astype("Int64"))
    years = rat[["id_koperasi", "tahun_buku", "tanggal_rat", "jadwal_rat", "lapor_ods"]]
    out = out.merge(years.astype({"tahun_buku": "Int64"}), on=["id_koperasi", "tahun_buku"], how="left")
    if as_of is not None:
        out["tanggal_rat"] = out["tanggal_rat"].where(out["tanggal_rat"] <= pd.Timestamp(as_of))
    ref = pd.Timestamp(reference)
    out["batas"] = pd.to_datetime([pd.Timestamp(rule.deadline(int(y))) for y in out["tahun_buku"]])
    out["hari_tersisa"] = _days(out["batas"], ref)
    held = out["tanggal_rat"].notna()
    ahead = out["jadwal_rat"].notna() & (out["jadwal_rat"] >= ref)
    out["status"] = np.select(
        [held, ahead, out["jadwal_rat"].notna()], ["sudah", "dijadwalkan", "jadwal_lewat"], "belum_dijadwalkan"
    )
    if wilayah is not None:
        out = _with_wilayah(out, wilayah)
    order = {s: i for i, s in enumerate(STATUS_PERTAMA)}
    out = out.sort_values(
        ["tahun_buku", "status", "jadwal_rat"], key=lambda s: s.map(order) if s.name == "status" else s
    )
    return out.reset_index(drop=True)


def first_rat_countdown(first: pd.DataFrame) -> FirstRatCountdown | None:
    """The countdown for the earliest first-RAT year with a KKMP still to hold it (else the latest year)."""
    if first.empty:
        return None
    pending = first[first["status"] != "sudah"]
    year = int(pending["tahun_buku"].min()) if not pending.empty else int(first["tahun_buku"].max())
    group = first[first["tahun_buku"] == year]
    counts = group["status"].value_counts()
    return FirstRatCountdown(
        tahun_buku=year,
        batas=group["batas"].iloc[0].date(),
        hari_tersisa=int(group["hari_tersisa"].iloc[0]),
        jumlah=len(group),
        **{s: int(counts.get(s, 0)) for s in STATUS_PERTAMA},
    )


def band_of(persen: float | None, rule: RatRule) -> str | None:
    """The gauge band of a percentage: 'merah' (below the red limit), 'kuning', 'hijau'; None when empty."""
    if persen is None or pd.isna(persen):
        return None
    if persen < rule.batas_merah:
        return "merah"
    return "kuning" if persen < rule.batas_kuning else "hijau"
