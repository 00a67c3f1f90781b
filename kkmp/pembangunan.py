"""Build progress: status under the kontrak-kritis rule, forecast finish, and the standard plan curve.

Vectorised over all builds so a national portfolio (tens of thousands of builds) stays fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kkmp.i18n import format_date, format_number, format_percent, label, t
from kkmp.settings import KontrakKritisRule

STATUS = ("belum_mulai", "normal", "terlambat", "kritis", "selesai")
"""Build status (the one vocabulary every page, slide and CLI uses); `lewat_target` is a separate flag:
the target date has passed on the reference date and the build is not finished."""
RISK_ORDER = {"kritis": 0, "terlambat": 1, "belum_mulai": 2, "normal": 3, "selesai": 4}
PACE_WINDOW_DAYS = 21

COLUMNS = [
    "id_pembangunan",
    "id_koperasi",
    "objek",
    "tanggal_mulai",
    "target_selesai",
    "tanggal_laporan",
    "minggu_ke",
    "rencana_persen",
    "realisasi_persen",
    "deviasi",
    "rencana_standar",
    "status",
    "laju_per_hari",
    "perkiraan_selesai",
    "hari_terlambat",
    "alasan_tanpa_perkiraan",
    "lewat_target",
]

_EMPTY_DTYPES = {
    **dict.fromkeys(["tanggal_mulai", "target_selesai", "tanggal_laporan", "perkiraan_selesai"], "datetime64[ns]"),
    **dict.fromkeys(["rencana_persen", "realisasi_persen", "deviasi", "laju_per_hari"], "float64"),
    "rencana_standar": bool,
    "lewat_target": bool,
    "hari_terlambat": "Int64",
}


def standard_plan(
    start: pd.Series | dt.date, target: pd.Series | dt.date, when: pd.Series | dt.date
) -> pd.Series | float:
    """The customary S-shaped plan (smoothstep) from 0 % at `start` to 100 % at `target`, in %."""
    start_ts, target_ts, when_ts = pd.to_datetime(start), pd.to_datetime(target), pd.to_datetime(when)
    total = (target_ts - start_ts) / pd.Timedelta(days=1)
    done = (when_ts - start_ts) / pd.Timedelta(days=1)
    x = np.clip(np.asarray(done, dtype="float64") / np.maximum(np.asarray(total, dtype="float64"), 1.0), 0.0, 1.0)
    value = np.round(100.0 * (3 * x**2 - 2 * x**3), 1)
    if np.ndim(value) == 0:
        return float(value)
    return pd.Series(value, index=getattr(when_ts, "index", None))


def fiscal_year_end_after(target: pd.Series, rule: KontrakKritisRule) -> pd.Series:
    """The end of the fiscal year each target date falls in (NaT where the target is missing)."""
    target = pd.to_datetime(target)
    month, day = rule.akhir_tahun_anggaran
    years = target.dt.year
    this_year = pd.to_datetime({"year": years.fillna(2000), "month": month, "day": day}, errors="coerce").where(
        years.notna()
    )
    return this_year.where(this_year >= target, this_year + pd.DateOffset(years=1))


def reports_until(progres: pd.DataFrame, as_of: dt.date | None) -> pd.DataFrame:
    """Weekly reports dated on or before `as_of` (all of them when None), oldest first."""
    out = progres
    if as_of is not None:
        out = out[out["tanggal_laporan"] <= pd.Timestamp(as_of)]
    return out.sort_values(["id_pembangunan", "tanggal_laporan"])


def build_status(
    pembangunan: pd.DataFrame,
    progres: pd.DataFrame,
    as_of: dt.date | None = None,
    rule: KontrakKritisRule | None = None,
) -> pd.DataFrame:
    """One row per build: latest report on or before `as_of`, deviasi, status, forecast, days late.

    `hari_terlambat` is the forecast finish minus the target in days (positive = late); `lewat_target`
    is True when the target passed before `as_of` (the newest report date when None) unfinished.

    Sorted by risk: kritis first, then terlambat, belum_mulai, normal, selesai; the most
    behind first within each status.
    """
    rule = rule or KontrakKritisRule()
    builds = pembangunan[["id_pembangunan", "id_koperasi", "objek", "tanggal_mulai", "target_selesai"]].copy()
    if builds.empty:
        return pd.DataFrame(columns=COLUMNS).astype(_EMPTY_DTYPES)
    reports = reports_until(progres, as_of)
    latest = reports.groupby("id_pembangunan", sort=False).tail(1).set_index("id_pembangunan")

    # Pace: from the earliest report inside the window before the latest; else from the report
    # just before the latest (reports further apart than the window); else from the start at 0 %.
    # (transform, not a merge on the text key: a national portfolio has ~500,000 reports)
    terakhir = reports.groupby("id_pembangunan", sort=False)["tanggal_laporan"].transform("last")
    before_latest = reports["tanggal_laporan"] < terakhir
    earlier = reports[before_latest]
    in_window = reports[before_latest & (reports["tanggal_laporan"] >= terakhir - pd.Timedelta(days=PACE_WINDOW_DAYS))]
    ref = in_window.groupby("id_pembangunan", sort=False).head(1).set_index("id_pembangunan")
    previous = earlier.groupby("id_pembangunan", sort=False).tail(1).set_index("id_pembangunan")
    ref = pd.concat([ref, previous[~previous.index.isin(ref.index)]])
    finished = (
        reports[reports["realisasi_persen"] >= 100].groupby("id_pembangunan", sort=False)["tanggal_laporan"].min()
    )

    out = builds.set_index("id_pembangunan")
    out["tanggal_laporan"] = latest["tanggal_laporan"]
    out["minggu_ke"] = latest["minggu_ke"]
    out["rencana_persen"] = latest["rencana_persen"]
    out["realisasi_persen"] = latest["realisasi_persen"]
    has_report = out["tanggal_laporan"].notna()
    std = standard_plan(out["tanggal_mulai"], out["target_selesai"], out["tanggal_laporan"])
    out["rencana_standar"] = has_report & out["rencana_persen"].isna()
    out["rencana_persen"] = out["rencana_persen"].where(~out["rencana_standar"], std)
    out["deviasi"] = (out["realisasi_persen"] - out["rencana_persen"]).round(2)

    ref_date = ref["tanggal_laporan"].reindex(out.index).fillna(out["tanggal_mulai"])
    ref_real = ref["realisasi_persen"].reindex(out.index).fillna(0.0)
    days = (out["tanggal_laporan"] - ref_date) / pd.Timedelta(days=1)
    pace = (out["realisasi_persen"] - ref_real) / days.where(days > 0)
    out["laju_per_hari"] = pace.round(4)
    remaining = 100.0 - out["realisasi_persen"]
    can_forecast = has_report & (pace > 0)
    eta_days = np.ceil((remaining / pace).where(can_forecast))
    forecast = out["tanggal_laporan"] + pd.to_timedelta(eta_days, unit="D")
    done = out["realisasi_persen"] >= 100
    forecast = forecast.where(~done, finished.reindex(out.index))
    out["perkiraan_selesai"] = forecast
    out["hari_terlambat"] = ((forecast - out["target_selesai"]) / pd.Timedelta(days=1)).round().astype("Int64")
    reason = pd.Series(pd.NA, index=out.index, dtype="str")
    reason = reason.mask(~has_report, "belum_ada_laporan")
    reason = reason.mask(has_report & ~done & ~(pace > 0), "laju_nol")
    out["alasan_tanpa_perkiraan"] = reason

    # The rule reads the published deviasi (2 decimals), so 40.0 − 30.0 is exactly 10 points
    # behind and float noise (32.4 − 22.4 = 10.000000000000002) never tips a build into kritis.
    behind = -out["deviasi"]
    high_plan = out["rencana_persen"] > rule.batas_rencana
    runs_past_year = forecast.isna() | (forecast > fiscal_year_end_after(out["target_selesai"], rule))
    kritis = (
        (~high_plan & (behind > rule.deviasi_rencana_rendah))
        | (high_plan & (behind > rule.deviasi_rencana_tinggi))
        | (high_plan & (behind > 0) & runs_past_year)
    )
    status = np.select(
        [~has_report, done, kritis, out["deviasi"] < 0],
        ["belum_mulai", "selesai", "kritis", "terlambat"],
        default="normal",
    )
    out["status"] = pd.Series(status, index=out.index).astype("str")
    reference = pd.Timestamp(as_of) if as_of is not None else reports["tanggal_laporan"].max()
    out["lewat_target"] = (out["status"] != "selesai") & (out["target_selesai"] < reference)
    out["lewat_target"] = out["lewat_target"].fillna(False).astype(bool)
    out = out.reset_index()
    out["_risk"] = out["status"].map(RISK_ORDER)
    out = out.sort_values(["_risk", "deviasi", "id_pembangunan"], na_position="last").drop(columns="_risk")
    return out[COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class KurvaS:
    """One build's S-curve: its weekly reports and its cumulative plan curve.

    `laporan`: tanggal_laporan, minggu_ke, rencana_persen, realisasi_persen, deviasi, rencana_minggu,
    realisasi_minggu (weekly increments), rencana_standar (plan taken from the standard S).
    `rencana`: tanggal, rencana_persen, standar — the plan line, from 0 % at the start.
    `rencana_standar`: True when no report carries a plan, so the whole plan line is the standard S.
    """

    id_pembangunan: str
    tanggal_mulai: pd.Timestamp
    target_selesai: pd.Timestamp
    laporan: pd.DataFrame
    rencana: pd.DataFrame
    rencana_standar: bool


def build_series(build: Mapping[str, object], progres: pd.DataFrame, as_of: dt.date | None = None) -> KurvaS:
    """The Kurva S of one build (a row of `pembangunan`): reports on or before `as_of` and the plan curve."""
    start = pd.Timestamp(build["tanggal_mulai"])
    target = pd.Timestamp(build["target_selesai"])
    rows = reports_until(progres[progres["id_pembangunan"] == build["id_pembangunan"]], as_of)
    laporan = rows[["tanggal_laporan", "minggu_ke", "rencana_persen", "realisasi_persen"]].reset_index(drop=True)
    has_plan = bool(laporan["rencana_persen"].notna().any())
    laporan["rencana_standar"] = laporan["rencana_persen"].isna()
    if len(laporan):
        std = standard_plan(start, target, laporan["tanggal_laporan"])
        laporan["rencana_persen"] = laporan["rencana_persen"].fillna(std)
    laporan["deviasi"] = (laporan["realisasi_persen"] - laporan["rencana_persen"]).round(2)
    laporan["rencana_minggu"] = laporan["rencana_persen"].diff().fillna(laporan["rencana_persen"]).round(2)
    laporan["realisasi_minggu"] = laporan["realisasi_persen"].diff().fillna(laporan["realisasi_persen"]).round(2)
    if has_plan:
        plan = pd.DataFrame(
            {
                "tanggal": [start, *laporan["tanggal_laporan"]],
                "rencana_persen": [0.0, *laporan["rencana_persen"]],
                "standar": [False, *laporan["rencana_standar"]],
            }
        )
    else:
        dates = pd.date_range(start, target, freq="7D")
        if len(dates) == 0 or dates[-1] != target:
            dates = dates.append(pd.DatetimeIndex([target]))
        plan = pd.DataFrame(
            {"tanggal": dates, "rencana_persen": standard_plan(start, target, pd.Series(dates)).to_numpy()}
        )
        plan["standar"] = True
    columns = [
        "tanggal_laporan",
        "minggu_ke",
        "rencana_persen",
        "realisasi_persen",
        "deviasi",
        "rencana_minggu",
        "realisasi_minggu",
        "rencana_standar",
    ]
    return KurvaS(str(build["id_pembangunan"]), start, target, laporan[columns], plan, not has_plan)


def kritis_threshold(rencana_persen: pd.Series, rule: KontrakKritisRule) -> pd.Series:
    """Points behind allowed at each plan level before the build is kritis (10 up to 70 % plan, then 5)."""
    high = rencana_persen > rule.batas_rencana
    return pd.Series(
        np.where(high, rule.deviasi_rencana_tinggi, rule.deviasi_rencana_rendah), index=rencana_persen.index
    )


def past_target(builds: pd.DataFrame) -> pd.DataFrame:
    """The builds of `build_status` whose target date passed unfinished (`lewat_target`): the one count of them."""
    return builds[builds["lewat_target"].fillna(False).astype(bool) & (builds["status"] != "selesai")]


def status_text(status: str, lewat_target: object, lang: str = "id") -> str:
    """A build's status as shown everywhere: its label, plus "lewat target" when the target passed unfinished."""
    text = label("status_pembangunan", status, lang)
    if status != "selesai" and not pd.isna(lewat_target) and bool(lewat_target):
        text = f"{text} · {t('pembangunan.lewat_target', lang)}"
    return text


def build_labels(builds: pd.DataFrame, lang: str = "id") -> pd.Series:
    """A short name per build: its kelurahan, with the object added when a kelurahan has several builds."""
    kelurahan = builds["kelurahan"].fillna(builds["id_koperasi"]).astype(str)
    several = kelurahan.duplicated(keep=False)
    objek = builds["objek"].map(lambda o: label("objek", o, lang))
    named = kelurahan.where(~several, kelurahan + " · " + objek)
    again = named.duplicated(keep=False)
    return named.where(~again, named + " (" + builds["id_pembangunan"].astype(str) + ")")


# Kelurahan, status and deviasi first: on a phone they are what shows without scrolling sideways.
_COLUMNS = (
    ("kelurahan", "kelurahan"),
    ("status", "status"),
    ("deviasi", "deviasi"),
    ("rencana_persen", "rencana"),
    ("realisasi_persen", "realisasi"),
    ("perkiraan_selesai", "perkiraan"),
    ("hari_terlambat", "hari_terlambat"),
    ("tanggal_laporan", "laporan"),
    ("tanggal_mulai", "mulai"),
    ("target_selesai", "target"),
    ("objek", "objek"),
)


def portfolio_table(builds: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The portfolio as the user reads it: localised headers, dates and numbers, in risk order."""
    out = pd.DataFrame(index=builds.index)
    for column, key in _COLUMNS:
        values = builds[column]
        if column in ("tanggal_mulai", "target_selesai", "tanggal_laporan", "perkiraan_selesai"):
            values = values.map(lambda d: format_date(d, lang, "medium"))
        elif column in ("rencana_persen", "realisasi_persen"):
            values = values.map(lambda v: format_percent(v, lang, 1))
        elif column == "deviasi":
            values = values.map(lambda v: "—" if pd.isna(v) else ("+" if v > 0 else "") + format_number(v, lang, 1))
        elif column == "hari_terlambat":
            values = values.map(lambda v: format_number(v, lang))
        elif column == "status":
            values = pd.Series(
                [status_text(s, p, lang) for s, p in zip(values, builds["lewat_target"], strict=True)],
                index=builds.index,
            )
        elif column == "objek":
            values = values.map(lambda v: label("objek", v, lang))
        out[t(f"pembangunan.kolom.{key}", lang)] = values.astype(str)
    return out.reset_index(drop=True)
