"""What a page looks at: the chosen language, the area chosen in the sidebar and that area's data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from kkmp.scope import Scope, scope
from kkmp.store import Snapshot
from kkmp.wilayah import WilayahFilter
from ui.data import current_snapshot
from ui.sidebar import current_filter, current_language, current_reference


@dataclass(frozen=True)
class PageScope:
    """One page run's language and `kkmp.scope.Scope` (the sidebar's area applied to the latest snapshot)."""

    lang: str
    scope: Scope

    @property
    def choice(self) -> WilayahFilter:
        """The sidebar's area choice."""
        return self.scope.choice

    @property
    def area(self) -> pd.DataFrame:
        """The wilayah rows (one per kelurahan) of the area chosen in the sidebar."""
        return self.scope.area

    @property
    def snapshot(self) -> Snapshot:
        """The whole region's latest snapshot."""
        return self.scope.snapshot

    @property
    def snap(self) -> Snapshot:
        """The latest snapshot restricted to the chosen area's kelurahan."""
        return self.scope.snap

    acuan: dt.date
    """The reference date (sidebar "Tanggal acuan", `?per=`): every status and list is as of it."""

    @property
    def area_name(self) -> str:
        """The chosen area's short name for titles (raw text: escape it before markdown)."""
        return self.scope.name


def page_scope() -> PageScope:
    """Language, sidebar area, reference date and the latest snapshot, whole and restricted to that area."""
    snapshot = current_snapshot()
    return PageScope(current_language(), scope(snapshot, current_filter()), current_reference(snapshot))
