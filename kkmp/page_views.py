"""What a chart page shows of one area, computed in one go: the Usaha and RAT pages' frames and figures.

Each view calls the one kkmp function of each concept (`kkmp.usaha`, `kkmp.rat`), so the page, the Briefing and
the CLI still agree; it only gathers them so that `ui.scope.shared_view` can keep one copy per store history,
revision, area, date and choice, shared by every session. At national scale the Usaha page's figures took
1.5–1.9 s and the RAT page's 1.35 s on every run (page switch, language change, a click in a table).
The frames are read-only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from kkmp.frames import isin, rows_where
from kkmp.metrics import as_of, chart_level, kkmp_frame
from kkmp.rat import (
    FirstRatCountdown,
    RatCompliance,
    classify_rat,
    first_rat_countdown,
    kkmp_first_rat,
    overdue_list,
    rat_by_area,
    rat_compliance,
    rat_table,
    rat_trend,
    status_by_area,
    status_counts,
)
from kkmp.settings import RatRule
from kkmp.store import Snapshot
from kkmp.usaha import (
    FunnelStep,
    assets_in_use,
    capital_reference,
    capital_table,
    capital_totals,
    distribution_by_month,
    funnel,
    funnel_by_area,
    funnel_members,
    lahan_counts,
    partner_counts,
    trade_links,
    trading,
    without_land,
)


@dataclass(frozen=True)
class UsahaView:
    """The Usaha page of one area as of one date: KKMP, funnel, land, trade links, distribution and capital."""

    snap: Snapshot
    kkmp: pd.DataFrame
    penyaluran: pd.DataFrame
    level: str
    trading: int
    lahan: dict[str, int]
    steps: list[FunnelStep]
    funnel_by_area: pd.DataFrame
    assets_in_use: pd.DataFrame
    without_land: pd.DataFrame
    links: pd.DataFrame
    partners: pd.DataFrame
    monthly: pd.DataFrame
    capital_ref: dt.date
    capital: pd.DataFrame
    capital_totals: dict[str, object]


def usaha_view(snap: Snapshot, acuan: dt.date) -> UsahaView:
    """Everything the Usaha page draws for the area of `snap`, as of `acuan` (later distribution months unused)."""
    snap = as_of(snap, acuan)
    wilayah = snap["wilayah"]
    kkmp = kkmp_frame(snap)
    penyaluran = rows_where(snap["penyaluran"], isin(snap["penyaluran"]["id_koperasi"], kkmp["id_koperasi"]))
    level = chart_level(wilayah)
    members = funnel_members(kkmp)
    links = trade_links(kkmp, penyaluran)
    capital_ref = capital_reference(snap.meta["koperasi"].posisi_per)
    capital = capital_table(kkmp, capital_ref)
    return UsahaView(
        snap=snap,
        kkmp=kkmp,
        penyaluran=penyaluran,
        level=level,
        trading=int(trading(kkmp).sum()),
        lahan=lahan_counts(kkmp),
        steps=funnel(members),
        funnel_by_area=funnel_by_area(members, level),
        assets_in_use=assets_in_use(kkmp),
        without_land=without_land(kkmp, wilayah),
        links=links,
        partners=partner_counts(links),
        monthly=distribution_by_month(penyaluran),
        capital_ref=capital_ref,
        capital=capital,
        capital_totals=capital_totals(capital),
    )


@dataclass(frozen=True)
class RatView:
    """The RAT page of one area for one financial year, deadline rule and reference date."""

    level: str
    table: pd.DataFrame
    compliance: RatCompliance
    by_area: pd.DataFrame
    trend: pd.DataFrame
    classified: pd.DataFrame
    counts: dict[str, int]
    by_status: pd.DataFrame
    overdue: pd.DataFrame
    first: pd.DataFrame
    countdown: FirstRatCountdown | None


def rat_view(snap: Snapshot, acuan: dt.date, tahun_buku: int, rule: RatRule, trend_years: tuple[int, ...]) -> RatView:
    """Everything the RAT page draws for the area of `snap`: compliance, per area, trend, status, who to chase."""
    koperasi, rat, wilayah = snap["koperasi"], snap["rat"], snap["wilayah"]
    level = chart_level(wilayah)
    table = rat_table(koperasi, rat, tahun_buku, acuan, rule)
    classified = classify_rat(table, tahun_buku, rule, acuan)
    first = kkmp_first_rat(koperasi, rat, rule, acuan, acuan, wilayah)
    return RatView(
        level=level,
        table=table,
        compliance=rat_compliance(koperasi, rat, tahun_buku, acuan, rule),
        by_area=rat_by_area(table, wilayah, level),
        trend=rat_trend(koperasi, rat, acuan, list(trend_years), rule),
        classified=classified,
        counts=status_counts(classified),
        by_status=status_by_area(classified, wilayah, level),
        overdue=overdue_list(classified, wilayah),
        first=first,
        countdown=first_rat_countdown(first),
    )
