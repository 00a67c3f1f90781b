"""Build progress: status under the kontrak-kritis rule, forecast finish, and the standard plan curve.

Vectorised over all builds so a national portfolio (tens of thousands of builds) stays fast.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kkmp.settings import KontrakKritisRule

STATUS = ("belum_mulai", "normal", "terlambat", "kritis", "selesai")
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
]


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

    Sorted by risk: kritis first, then terlambat, belum_mulai, normal, selesai; the most
    behind first within each status.
    """
    rule = rule or KontrakKritisRule()
    builds = pembangunan[["id_pembangunan", "id_koperasi", "objek", "tanggal_mulai", "target_selesai"]].copy()
    if builds.empty:
        return pd.DataFrame(columns=COLUMNS)
    reports = reports_until(progres, as_of)
    latest = reports.groupby("id_pembangunan", sort=False).tail(1).set_index("id_pembangunan")

    # Pace: from the earliest report inside the window before the latest (else from the start at 0 %).
    # (transform, not a merge on the text key: a national portfolio has ~500,000 reports)
    terakhir = reports.groupby("id_pembangunan", sort=False)["tanggal_laporan"].transform("last")
    window = reports[
        (reports["tanggal_laporan"] < terakhir)
        & (reports["tanggal_laporan"] >= terakhir - pd.Timedelta(days=PACE_WINDOW_DAYS))
    ]
    ref = window.groupby("id_pembangunan", sort=False).head(1).set_index("id_pembangunan")

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
    forecast = forecast.where(~done, out["tanggal_laporan"])
    out["perkiraan_selesai"] = forecast
    out["hari_terlambat"] = ((forecast - out["target_selesai"]) / pd.Timedelta(days=1)).round().astype("Int64")
    reason = pd.Series(pd.NA, index=out.index, dtype="str")
    reason = reason.mask(~has_report, "belum_ada_laporan")
    reason = reason.mask(has_report & ~done & ~(pace > 0), "laju_nol")
    out["alasan_tanpa_perkiraan"] = reason

    behind = out["rencana_persen"] - out["realisasi_persen"]
    high_plan = out["rencana_persen"] > rule.batas_rencana
    fiscal_end = pd.to_datetime([rule.fiscal_year_end(t.year) for t in out["target_selesai"]], errors="coerce")
    runs_past_year = forecast.isna() | (forecast > pd.Series(fiscal_end, index=out.index))
    kritis = (
        (~high_plan & (behind > rule.deviasi_rencana_rendah))
        | (high_plan & (behind > rule.deviasi_rencana_tinggi))
        | (high_plan & (behind > 0) & (behind <= rule.deviasi_rencana_tinggi) & runs_past_year)
    )
    status = np.select(
        [~has_report, done, kritis, out["deviasi"] < 0],
        ["belum_mulai", "selesai", "kritis", "terlambat"],
        default="normal",
    )
    out["status"] = pd.Series(status, index=out.index).astype("str")
    out = out.reset_index()
    out["_risk"] = out["status"].map(RISK_ORDER)
    out = out.sort_values(["_risk", "deviasi", "id_pembangunan"], na_position="last").drop(columns="_risk")
    return out[COLUMNS].reset_index(drop=True)
