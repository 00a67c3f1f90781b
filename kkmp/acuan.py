"""The reference date (tanggal acuan): the one date every status, countdown and list is computed as of."""

from __future__ import annotations

import datetime as dt

from kkmp.store import Snapshot

#: Datasets whose "posisi per" dates the figures (the region list and boundaries do not).
DATED_DATASETS = ("koperasi", "pembangunan", "progres", "rat", "penyaluran")


def newest_posisi_per(snapshot: Snapshot) -> dt.date | None:
    """The newest "posisi per" date among the dated datasets (None when none is dated)."""
    dates = [m.posisi_per for n, m in snapshot.meta.items() if n in DATED_DATASETS and m.posisi_per]
    return max(dates) if dates else None


def default_reference(snapshot: Snapshot, today: dt.date) -> dt.date:
    """Today; for sample data the sample's newest "posisi per" (its figures would all look stale today)."""
    if snapshot.contoh:
        return newest_posisi_per(snapshot) or today
    return today


def parse_reference(text: str | None) -> dt.date | None:
    """A YYYY-MM-DD date from a URL or command line; None when empty or not a date."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        return None


#: Datasets that `metrics.as_of` cuts at the reference date (reports, meetings and months after it are not used).
CUT_DATASETS = ("progres", "rat", "penyaluran")


def figures_as_of(dataset: str, posisi_per: dt.date | None, acuan: dt.date | None) -> dt.date | None:
    """The date a dataset's figures are as of: its posisi per, or the reference date when that is earlier and the
    dataset is cut at it (`CUT_DATASETS`); the other datasets are used as recorded on their posisi per."""
    if posisi_per is None or acuan is None or dataset not in CUT_DATASETS:
        return posisi_per
    return min(posisi_per, acuan)
