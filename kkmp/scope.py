"""The area chosen in the sidebar, applied to a snapshot: one `scope` for every page and the Briefing."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kkmp.metrics import restrict_to_kelurahan
from kkmp.store import Snapshot
from kkmp.wilayah import WilayahFilter, area_label, select_wilayah


@dataclass(frozen=True)
class Scope:
    """A snapshot seen through an area choice: `snapshot` is the whole region, `snap` only the area."""

    choice: WilayahFilter
    area: pd.DataFrame
    """The wilayah rows (one per kelurahan) of the chosen area."""
    snapshot: Snapshot
    snap: Snapshot
    name: str
    """The area's short name for titles (raw text: escape it before markdown)."""

    @property
    def codes(self) -> pd.Series | None:
        """The chosen area's kelurahan codes; None when the whole region is chosen."""
        return None if self.choice.is_all else self.area["kode_kelurahan"]

    def restrict(self, other: Snapshot) -> Snapshot:
        """Another snapshot (an earlier revision, say) limited to the same area."""
        return other if self.choice.is_all else restrict_to_kelurahan(other, self.area["kode_kelurahan"])


def scope(snapshot: Snapshot, choice: WilayahFilter) -> Scope:
    """`snapshot` limited to the area `choice` names, with that area's rows and title name."""
    area = select_wilayah(snapshot["wilayah"], choice)
    snap = snapshot if choice.is_all else restrict_to_kelurahan(snapshot, area["kode_kelurahan"])
    return Scope(choice, area, snapshot, snap, area_label(choice, snapshot["wilayah"]))
