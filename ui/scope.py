"""What a page looks at: the chosen language, the area chosen in the sidebar and that area's data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from kkmp.metrics import restrict_to_kelurahan
from kkmp.store import Snapshot
from kkmp.wilayah import WilayahFilter, area_label, select_wilayah
from ui.data import current_snapshot
from ui.sidebar import current_filter, current_language, current_reference


@dataclass(frozen=True)
class PageScope:
    """One page run's scope: `snapshot` is the whole region, `snap` only the kelurahan of `area`."""

    lang: str
    choice: WilayahFilter
    area: pd.DataFrame
    """The wilayah rows (one per kelurahan) of the area chosen in the sidebar."""
    snapshot: Snapshot
    snap: Snapshot
    acuan: dt.date
    """The reference date (sidebar "Tanggal acuan", `?per=`): every status and list is as of it."""

    @property
    def area_name(self) -> str:
        """The chosen area's short name for titles (raw text: escape it before markdown)."""
        return area_label(self.choice, self.snapshot["wilayah"])


def page_scope() -> PageScope:
    """Language, sidebar area, reference date and the latest snapshot, whole and restricted to that area's kelurahan."""
    lang = current_language()
    snapshot = current_snapshot()
    choice = current_filter()
    area = select_wilayah(snapshot["wilayah"], choice)
    snap = restrict_to_kelurahan(snapshot, None if choice.is_all else area["kode_kelurahan"])
    return PageScope(lang, choice, area, snapshot, snap, current_reference(snapshot))
